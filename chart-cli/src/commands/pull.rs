//! `chart pull` (alias `fetch`): download a chart by `repo/chart`, URL or `--repo`, through
//! Helm 4's content cache (offline-first), checked against the index digest, written to the
//! destination atomically or unpacked with `--untar`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};

use crate::cli::GlobalFlags;
use crate::cli_repo::PullArgs;
use crate::helm_home::HelmDirs;
use crate::repo::download::{self, ChartRequest};

/// Runs `chart pull`.
pub fn run(global: &GlobalFlags, a: &PullArgs, _out: &mut dyn Write) -> Result<()> {
    if a.charts.is_empty() {
        bail!(
            "\"chart pull\" requires at least 1 argument\n\nUsage:  chart pull [chart URL | repo/chartname] [...] [flags]"
        );
    }
    if a.verify || a.prov {
        bail!("--verify and --prov (provenance files) are not supported by chart yet");
    }
    let dirs = HelmDirs::from_flags(global);
    let mut version = a.version.clone().unwrap_or_default();
    if version.is_empty() && a.devel {
        version = ">0.0.0-0".to_string();
    }
    let http = super::repo::http_from_flags(&a.conn);
    for chart in &a.charts {
        let req = ChartRequest {
            reference: chart.clone(),
            version: version.clone(),
            repo_url: a.repo.clone(),
            http: http.clone(),
        };
        let resolved = download::resolve(&dirs, &req)?;
        let data = download::fetch(&dirs, &resolved)?;
        let dest = Path::new(&a.destination);
        if a.untar {
            let ud = Path::new(&a.untardir);
            let ud: PathBuf = if ud.is_absolute() {
                ud.to_path_buf()
            } else {
                dest.join(ud)
            };
            std::fs::create_dir_all(&ud)
                .map_err(|e| anyhow!("failed to untar: cannot create {}: {e}", ud.display()))?;
            chart_core::chart::archive::unpack_to(&data, &ud).map_err(|e| match e {
                chart_core::chart::archive::UnpackError::Exists(p) => anyhow!(
                    "failed to untar: a file or directory with the name {} already exists",
                    p.display()
                ),
                other => anyhow!("failed to untar: {other}"),
            })?;
        } else {
            let name = resolved.file_name();
            if name.is_empty() {
                bail!("cannot tell the file name of {}", resolved.url);
            }
            let target = dest.join(&name);
            if !dest.is_dir() {
                bail!("open {}: no such file or directory", target.display());
            }
            crate::repo::write_atomic_mode(&target, &data, 0o644)?;
        }
    }
    Ok(())
}
