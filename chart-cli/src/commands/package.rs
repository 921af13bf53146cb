//! `chart package`: `helm package` — chart directories written as `.tgz` archives laid out
//! exactly as Helm 4 lays them out (see `chart_core::chart::package`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chart_core::chart::package::{PackageOptions, package_dir};
use clap::Args;

/// `chart package [CHART_PATH] [...]`.
#[derive(Debug, Args)]
pub struct PackageArgs {
    /// The chart directories.
    #[arg(value_name = "CHART_PATH")]
    pub paths: Vec<String>,
    /// Set the version on the chart to this semver version.
    #[arg(allow_hyphen_values = true, long = "version", value_name = "string")]
    pub version: Option<String>,
    /// Set the appVersion on the chart to this version.
    #[arg(
        allow_hyphen_values = true,
        long = "app-version",
        value_name = "string"
    )]
    pub app_version: Option<String>,
    /// Location to write the chart.
    #[arg(
        allow_hyphen_values = true,
        short = 'd',
        long = "destination",
        value_name = "string",
        default_value = "."
    )]
    pub destination: String,
    /// Update dependencies from "Chart.yaml" to dir "charts/" before packaging.
    #[arg(short = 'u', long = "dependency-update")]
    pub dependency_update: bool,
    /// Use a PGP private key to sign this package.
    #[arg(long = "sign")]
    pub sign: bool,
    /// Name of the key to use when signing. Used if --sign is true.
    #[arg(allow_hyphen_values = true, long = "key", value_name = "string")]
    pub key: Option<String>,
    /// Location of a public keyring.
    #[arg(allow_hyphen_values = true, long = "keyring", value_name = "string")]
    pub keyring: Option<String>,
    /// Location of a file which contains the passphrase for the signing key.
    #[arg(
        allow_hyphen_values = true,
        long = "passphrase-file",
        value_name = "string"
    )]
    pub passphrase_file: Option<String>,
}

/// The environment variable that fixes every entry's modification time (Unix seconds).
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// `SOURCE_DATE_EPOCH`, when set: the time every archive entry gets.
pub fn source_date_epoch() -> Result<Option<i64>> {
    match std::env::var(SOURCE_DATE_EPOCH) {
        Ok(v) if !v.trim().is_empty() => {
            Ok(Some(v.trim().parse::<i64>().with_context(|| {
                format!("{SOURCE_DATE_EPOCH}={v:?} is not a number of seconds")
            })?))
        }
        _ => Ok(None),
    }
}

/// Runs `chart package`.
pub fn run(
    global: &crate::cli::GlobalFlags,
    args: &PackageArgs,
    out: &mut dyn Write,
) -> Result<()> {
    if args.paths.is_empty() {
        bail!("need at least one argument, the path to the chart");
    }
    if args.sign {
        bail!("--sign is not supported yet: chart cannot write provenance files");
    }
    let mtime = source_date_epoch()?;
    let opts = PackageOptions {
        version: args.version.clone(),
        app_version: args.app_version.clone(),
        mtime,
        ..Default::default()
    };
    for given in &args.paths {
        // Go's filepath.Abs: absolute and cleaned.
        let path =
            go_clean(&std::path::absolute(given).with_context(|| format!("invalid path {given}"))?);
        if let Err(e) = std::fs::metadata(given) {
            bail!("{}", stat_error(given, &e));
        }
        if args.dependency_update {
            dependency_update(global, &path)?;
        }
        let package = package_dir(&path, &opts)?;
        let dest = if args.destination == "." {
            std::env::current_dir().context("cannot read the current directory")?
        } else {
            PathBuf::from(&args.destination)
        };
        if let Ok(meta) = std::fs::metadata(&dest)
            && !meta.is_dir()
        {
            bail!("failed to save: is not a directory: {}", dest.display());
        }
        let target = go_clean(&dest.join(&package.file_name));
        crate::output::write_atomic(&target, &package.bytes)
            .with_context(|| "failed to save".to_string())?;
        writeln!(
            out,
            "Successfully packaged chart and saved it to: {}",
            target.display()
        )?;
    }
    Ok(())
}

/// `-u`: Helm's dependency update before packaging. A chart without dependencies needs
/// nothing; otherwise Helm's package command runs its dependency manager with the output
/// discarded, and so does this (`chart dependency update`: repositories and `file://`
/// dependencies alike).
fn dependency_update(global: &crate::cli::GlobalFlags, path: &Path) -> Result<()> {
    let chart = chart_core::chart::load(path)?;
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let parsed = <crate::cli::Cli as clap::Parser>::try_parse_from([
        std::ffi::OsStr::new("chart"),
        std::ffi::OsStr::new("dependency"),
        std::ffi::OsStr::new("update"),
        path.as_os_str(),
    ])?;
    let crate::cli::Command::Dependency(dep) = &parsed.command else {
        bail!("internal error: `dependency update` did not parse");
    };
    super::dependency::run(global, &dep.command, &mut std::io::sink())
}

/// Go's `os.Stat` error text: `stat <path>: no such file or directory`.
fn stat_error(path: &str, e: &std::io::Error) -> String {
    format!("stat {path}: {}", super::go_errno_text(e))
}

/// Go's `filepath.Clean` of a joined path (`./out/x.tgz` → `out/x.tgz`).
pub(crate) fn go_clean(path: &Path) -> PathBuf {
    PathBuf::from(chart_core::chart::clean_path(&path.to_string_lossy()))
}
