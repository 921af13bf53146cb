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
            dependency_update(global, &path, mtime)?;
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
/// nothing. `file://` dependencies are resolved against their version constraints, packaged
/// into `charts/` (older archives there removed) and recorded in `Chart.lock`, which is left
/// untouched when its digest did not change. Charts with dependencies from repositories go
/// through `chart dependency update`, as Helm's package command uses its dependency manager.
fn dependency_update(
    global: &crate::cli::GlobalFlags,
    path: &Path,
    mtime: Option<i64>,
) -> Result<()> {
    use chart_core::chart::Dependency;
    use chart_core::semver::{Constraints, Version};
    let chart = chart_core::chart::load(path)?;
    let deps = &chart.metadata.dependencies;
    if deps.is_empty() {
        return Ok(());
    }
    let remote: Vec<&str> = deps
        .iter()
        .filter(|d| !d.repository.starts_with("file://"))
        .map(|d| d.name.as_str())
        .collect();
    if !remote.is_empty() {
        // Helm runs its dependency manager with its output discarded.
        let parsed = <crate::cli::Cli as clap::Parser>::try_parse_from([
            std::ffi::OsStr::new("chart"),
            std::ffi::OsStr::new("dependency"),
            std::ffi::OsStr::new("update"),
            path.as_os_str(),
        ])?;
        let crate::cli::Command::Dependency(dep) = &parsed.command else {
            bail!("internal error: `dependency update` did not parse");
        };
        return super::dependency::run(global, &dep.command, &mut std::io::sink());
    }
    let mut locked = Vec::new();
    let mut sources = Vec::new();
    let mut missing = Vec::new();
    for d in deps {
        let dir = local_path(&d.repository, path)?;
        let constraint = Constraints::parse(&d.version).map_err(|e| {
            anyhow::anyhow!(
                "dependency {:?} has an invalid version/constraint format: {e}",
                d.name
            )
        })?;
        let sub = chart_core::chart::load_dir(&dir)?;
        let ok = Version::parse(&sub.metadata.version).is_ok_and(|v| constraint.check(&v));
        if !ok {
            missing.push(format!(
                "{:?} (repository {:?}, version {:?})",
                d.name, d.repository, d.version
            ));
            continue;
        }
        locked.push(Dependency {
            name: d.name.clone(),
            repository: d.repository.clone(),
            version: sub.metadata.version.clone(),
            ..Default::default()
        });
        sources.push(dir);
    }
    if !missing.is_empty() {
        bail!(
            "can't get a valid version for {} subchart(s): {}. Make sure a matching chart \
             version exists in the repo, or change the version constraint in Chart.yaml",
            missing.len(),
            missing.join(", ")
        );
    }
    // Package every dependency first; nothing is written unless all succeed.
    let opts = PackageOptions {
        mtime,
        skip_dependency_check: true,
        ..Default::default()
    };
    let mut batch = crate::output::FileBatch::default();
    let charts_dir = path.join("charts");
    let mut new_files = Vec::new();
    for dir in &sources {
        let package = package_dir(dir, &opts)
            .with_context(|| format!("unable to package {}", dir.display()))?;
        batch.write(charts_dir.join(&package.file_name), &package.bytes, false);
        new_files.push(package.file_name);
    }
    let lock = chart_core::chart::package::new_lock(deps, locked);
    let lock_changed = chart.lock.as_ref().is_none_or(|l| l.digest != lock.digest);
    if lock_changed {
        let text = chart_core::chart::serialize::lock_yaml(&lock)?;
        let name = if chart.metadata.api_version == "v1" {
            "requirements.lock"
        } else {
            "Chart.lock"
        };
        batch.write(path.join(name), text.as_bytes(), false);
    }
    batch.commit()?;
    // Helm's "Deleting outdated charts": archives in charts/ that are not dependencies now.
    if let Ok(entries) = std::fs::read_dir(&charts_dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.ends_with(".tgz") && !new_files.contains(&name) && entry.path().is_file() {
                std::fs::remove_file(entry.path())
                    .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            }
        }
    }
    Ok(())
}

/// Helm's `GetLocalPath`: a `file://` repository relative to the chart directory.
fn local_path(repo: &str, chart: &Path) -> Result<PathBuf> {
    let p = repo.trim_start_matches("file://");
    let dep = if p.starts_with('/') {
        PathBuf::from(p)
    } else {
        go_clean(&chart.join(p))
    };
    if !dep.exists() {
        bail!("directory {} not found", dep.display());
    }
    Ok(dep)
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
pub(crate) fn go_clean(path: &Path) -> PathBuf {
    PathBuf::from(chart_core::chart::clean_path(&path.to_string_lossy()))
}
