//! `chart show chart|values|readme|crds|all CHART`: `helm show` for a chart directory or a
//! `.tgz` archive. Repository and OCI references are refused with a clear error for now.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};
use chart_core::chart::Chart;
use clap::{Args, Subcommand};

/// The `show` subcommands.
#[derive(Debug, Subcommand)]
pub enum ShowCommand {
    /// Show all information of the chart.
    All(ShowArgs),
    /// Show the chart's definition.
    Chart(ShowArgs),
    /// Show the chart's README.
    Readme(ShowArgs),
    /// Show the chart's values.
    Values(ShowArgs),
    /// Show the chart's CRDs.
    Crds(ShowArgs),
}

/// The arguments of every `show` subcommand.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The chart: a directory or a `.tgz` file.
    #[arg(value_name = "CHART")]
    pub chart: String,
    /// Specify a version constraint for the chart version to use (repository charts only).
    #[arg(allow_hyphen_values = true, long = "version", value_name = "string")]
    pub version: Option<String>,
    /// Use development versions, too (repository charts only).
    #[arg(long = "devel")]
    pub devel: bool,
    /// Chart repository url where to locate the requested chart.
    #[arg(allow_hyphen_values = true, long = "repo", value_name = "string")]
    pub repo: Option<String>,
    /// Supply a JSONPath expression to filter the output (`show values`).
    #[arg(allow_hyphen_values = true, long = "jsonpath", value_name = "string")]
    pub jsonpath: Option<String>,
}

/// What to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum What {
    All,
    Chart,
    Readme,
    Values,
    Crds,
}

/// Runs `chart show ...`.
pub fn run(global: &crate::cli::GlobalFlags, cmd: &ShowCommand, out: &mut dyn Write) -> Result<()> {
    let (what, args) = match cmd {
        ShowCommand::All(a) => (What::All, a),
        ShowCommand::Chart(a) => (What::Chart, a),
        ShowCommand::Readme(a) => (What::Readme, a),
        ShowCommand::Values(a) => (What::Values, a),
        ShowCommand::Crds(a) => (What::Crds, a),
    };
    if args.jsonpath.is_some() {
        bail!("--jsonpath is not supported yet");
    }
    let chart = locate_and_load(global, args)?;
    let text = show(&chart, what)?;
    out.write_all(&text)?;
    Ok(())
}

/// Helm's `LocateChart`: a local directory or archive when the path exists; otherwise a
/// `repo/chart` reference, a URL, or a name with `--repo`, from the content cache or
/// downloaded into it (as `chart template` and `chart pull` do).
fn locate_and_load(global: &crate::cli::GlobalFlags, args: &ShowArgs) -> Result<Chart> {
    let name = args.chart.as_str();
    if args.repo.is_none() && std::fs::metadata(name).is_ok() {
        let path = super::package::go_clean(&std::path::absolute(name)?);
        // `helm show` reads a directory with the chart v2 loader directly (no apiVersion
        // detection), so a directory without Chart.yaml says "Chart.yaml file is missing".
        if path.is_dir() {
            return Ok(chart_core::chart::load_dir(&path)?);
        }
        return Ok(chart_core::chart::load(&path)?);
    }
    if args.repo.is_none() {
        if Path::new(name).is_absolute() || name.starts_with('.') {
            bail!("path {name:?} not found");
        }
        if !name.contains("://") && !name.contains('/') {
            bail!("non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}");
        }
    }
    if name.starts_with("oci://") {
        bail!("chart {name:?}: OCI registries are not supported yet");
    }
    let req = crate::repo::download::ChartRequest {
        reference: name.to_string(),
        version: match (&args.version, args.devel) {
            (Some(v), _) if !v.is_empty() => v.clone(),
            (_, true) => ">0.0.0-0".to_string(),
            _ => String::new(),
        },
        repo_url: args.repo.clone(),
        http: Default::default(),
    };
    let dirs = crate::helm_home::HelmDirs::from_flags(global);
    let resolved = crate::repo::download::resolve(&dirs, &req)?;
    let data = crate::repo::download::fetch(&dirs, &resolved)?;
    Ok(chart_core::chart::load_archive(&data)?)
}

/// The text `helm show <what>` prints for `chart`.
fn show(chart: &Chart, what: What) -> Result<Vec<u8>> {
    let all = what == What::All;
    let mut out = Vec::new();
    if what == What::Chart || all {
        let text = chart_core::chart::serialize::chart_yaml(&chart.metadata)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        out.extend_from_slice(text.as_bytes());
        out.push(b'\n');
    }
    if (what == What::Values || all)
        && let Some(values) = &chart.raw_values
    {
        // `show all` separates the values only when the chart has a values.yaml.
        if all {
            out.extend_from_slice(b"---\n");
        }
        out.extend_from_slice(values);
        out.push(b'\n');
    }
    if what == What::Readme || all {
        let readme = chart.files.iter().find(|f| {
            ["readme.md", "readme.txt", "readme"]
                .iter()
                .any(|n| f.name.eq_ignore_ascii_case(n))
        });
        if let Some(readme) = readme {
            if all {
                out.extend_from_slice(b"---\n");
            }
            out.extend_from_slice(&readme.data);
            out.push(b'\n');
        }
    }
    if what == What::Crds || all {
        let mut crds = Vec::new();
        collect_crds(chart, &mut crds);
        for data in crds {
            if !data.starts_with(b"---") {
                out.extend_from_slice(b"---\n");
            }
            out.extend_from_slice(data);
            out.push(b'\n');
        }
    }
    Ok(out)
}

/// Helm's `Chart.CRDObjects`: this chart's CRD files, then each subchart's.
fn collect_crds<'a>(chart: &'a Chart, out: &mut Vec<&'a [u8]>) {
    out.extend(chart.crd_files().map(|f| &f.data[..]));
    for dep in &chart.dependencies {
        collect_crds(dep, out);
    }
}
