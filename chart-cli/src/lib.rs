//! The `chart` command line: argument definitions ([`cli`]), their resolution into settings
//! ([`settings`]), and one module per command ([`commands`]).
//!
//! `main` only calls [`run`]; everything else is here so that tests can drive the exact code
//! path the binary runs.

pub mod cli;
pub mod cli_dependency;
pub mod cli_repo;
pub mod commands;
pub mod helm_home;
pub mod output;
pub mod plugin;
pub mod release;
pub mod repo;
pub mod settings;

use std::ffi::OsString;
use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

/// Runs `chart` with the given arguments (the first is the program name), printing to the
/// process's stdout and stderr. Errors print as Helm prints them: `Error: <message>`, exit 1.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match commands::dispatch(cli, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = out.flush();
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("Error: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
