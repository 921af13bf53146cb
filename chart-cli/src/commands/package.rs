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
    #[arg(allow_hyphen_values = true, long = "app-version", value_name = "string")]
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

/// Runs `chart package`.
pub fn run(args: &PackageArgs, out: &mut dyn Write) -> Result<()> {
    if args.paths.is_empty() {
        bail!("need at least one argument, the path to the chart");
    }
    if args.sign {
        bail!("--sign is not supported yet: chart cannot write provenance files");
    }
    let mtime = match std::env::var(SOURCE_DATE_EPOCH) {
        Ok(v) if !v.trim().is_empty() => Some(
            v.trim()
                .parse::<i64>()
                .with_context(|| format!("{SOURCE_DATE_EPOCH}={v:?} is not a number of seconds"))?,
        ),
        _ => None,
    };
    let opts = PackageOptions {
        version: args.version.clone(),
        app_version: args.app_version.clone(),
        mtime,
    };
    for given in &args.paths {
        let path = std::path::absolute(given).with_context(|| format!("invalid path {given}"))?;
        if let Err(e) = std::fs::metadata(given) {
            bail!("{}", stat_error(given, &e));
        }
        if args.dependency_update {
            dependency_update(&path)?;
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

/// `-u`: a chart without dependencies needs nothing; fetching dependencies is not done yet.
fn dependency_update(path: &Path) -> Result<()> {
    let chart = chart_core::chart::load(path)?;
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    bail!(
        "--dependency-update is not supported yet for a chart with dependencies ({}): run \
         `helm dependency update {}` first, then package without -u",
        chart
            .metadata
            .dependencies
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        path.display()
    )
}

/// Go's `os.Stat` error text: `stat <path>: no such file or directory`.
fn stat_error(path: &str, e: &std::io::Error) -> String {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotADirectory => "not a directory".to_string(),
        _ => e.to_string(),
    };
    format!("stat {path}: {reason}")
}

/// Go's `filepath.Clean` of a joined path (`./out/x.tgz` → `out/x.tgz`).
fn go_clean(path: &Path) -> PathBuf {
    let text = path.to_string_lossy();
    let rooted = text.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    PathBuf::from(match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    })
}
