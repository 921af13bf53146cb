//! One module per command. Each resolves its settings, does its work through `chart-core`,
//! and writes to the given output.

pub mod dependency;
pub mod package;
pub mod pull;
pub mod repo;
pub mod search;
pub mod show;
pub mod template;

use std::io::Write;

use anyhow::Result;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub fn dispatch(cli: Cli, out: &mut dyn Write) -> Result<()> {
    match &cli.command {
        Command::Template(args) => {
            let settings = crate::settings::TemplateSettings::resolve(&cli.global, args)?;
            template::run(&settings, out)
        }
        Command::Package(args) => package::run(&cli.global, args, out),
        Command::Show(cmd) => show::run(&cli.global, cmd, out),
        Command::Repo(args) => repo::run(&cli.global, &args.command, out),
        Command::Search(args) => search::run(&cli.global, &args.command, out),
        Command::Pull(args) => pull::run(&cli.global, args, out),
        Command::Dependency(args) => dependency::run(&cli.global, &args.command, out),
        Command::Install(args) => crate::release::commands::install(&cli.global, args, out),
        Command::Upgrade(args) => crate::release::commands::upgrade(&cli.global, args, out),
        Command::Rollback(args) => crate::release::commands::rollback(&cli.global, args, out),
        Command::Uninstall(args) => crate::release::commands::uninstall(&cli.global, args, out),
        Command::List(args) => crate::release::commands::list(&cli.global, args, out),
        Command::Status(args) => crate::release::commands::status(&cli.global, args, out),
        Command::History(args) => crate::release::commands::history(&cli.global, args, out),
        Command::Get(cmd) => crate::release::commands::get(&cli.global, cmd, out),
    }
}

/// Reads a values file or `--set-file` argument from disk (`-` is stdin).
pub(crate) fn read_input(path: &str) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| e.to_string())?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("open {path}: no such file or directory"),
        _ => format!("open {path}: {e}"),
    })
}

/// The text Go gives the errno behind an I/O error (`no such file or directory`).
pub(crate) fn go_errno_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotADirectory => "not a directory".to_string(),
        _ => e.to_string(),
    }
}
