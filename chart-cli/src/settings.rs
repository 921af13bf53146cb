//! Resolving raw arguments into the options the library takes, before any work is done
//! (ripgrep's low-level/high-level argument split).

use std::path::PathBuf;

use anyhow::{Result, bail};
use chart_core::render::{Capabilities, KubeVersion, Release, TemplateOptions};
use chart_core::values::overrides::ValueOverrides;

use crate::cli::{GlobalFlags, TemplateArgs, ValuesFlags};

/// Everything `chart template` needs, resolved.
#[derive(Debug)]
pub struct TemplateSettings {
    /// The chart reference as given (a directory or `.tgz`).
    pub chart: String,
    /// The values flags.
    pub values: ValueOverrides,
    /// Options for rendering and printing.
    pub options: TemplateOptions,
    /// `--output-dir`.
    pub output_dir: Option<PathBuf>,
    /// `--release-name`: put files under `<output-dir>/<release>`.
    pub use_release_name: bool,
    /// `--skip-schema-validation`.
    pub skip_schema_validation: bool,
    /// `--enable-dns`.
    pub enable_dns: bool,
    /// `--post-renderer` and its arguments.
    pub post_renderer: Option<crate::plugin::PluginPostRenderer>,
    /// `--debug`.
    pub debug: bool,
    /// `--version` (with `--devel` applied): the constraint for a chart from a repository.
    pub chart_version: String,
    /// `--repo`: the repository URL to find the chart in.
    pub chart_repo: Option<String>,
    /// Helm's repository file and caches.
    pub dirs: crate::helm_home::HelmDirs,
    /// Connection flags for a chart from a repository (`--username`, `--ca-file`, ...).
    pub chart_http: crate::repo::http::HttpOptions,
}

impl From<&ValuesFlags> for ValueOverrides {
    fn from(f: &ValuesFlags) -> Self {
        ValueOverrides {
            value_files: split_csv(&f.values),
            set: f.set.clone(),
            set_string: f.set_string.clone(),
            set_json: f.set_json.clone(),
            set_literal: f.set_literal.clone(),
            set_file: f.set_file.clone(),
        }
    }
}

/// pflag's `StringSlice`: each occurrence may hold several comma-separated values.
fn split_csv(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Helm's release-name rule.
fn validate_release_name(name: &str) -> Result<()> {
    let re =
        regex::Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")?;
    if name.is_empty() || name.len() > 53 || !re.is_match(name) {
        let err = format!(
            "release name {}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53",
            chart_core::gofmt::quote(name)
        );
        // Helm 4 logs the failure before returning it.
        eprintln!(
            "level=ERROR msg=\"release name check failed\" error={}",
            chart_core::gofmt::quote(&err)
        );
        bail!("release name check failed: {err}");
    }
    Ok(())
}

/// Renders `--name-template` (a Go template with no data).
fn template_name(text: &str) -> Result<String> {
    chart_core::template::render_str("name-template", text, chart_core::Value::Invalid)
        .map_err(|e| anyhow::anyhow!("{}", e.go_message()))
}

impl TemplateSettings {
    /// Resolves `chart template` arguments.
    pub fn resolve(global: &GlobalFlags, args: &TemplateArgs) -> Result<TemplateSettings> {
        // Helm resolves the post-renderer while parsing flags, before anything else.
        let post_renderer = crate::plugin::post_renderer(&args.post_render)?;
        let (name, chart) = match args.positional.as_slice() {
            [] => bail!(
                "\"chart template\" requires at least 1 argument\n\nUsage:  chart template [NAME] [CHART] [flags]"
            ),
            [name, chart] => {
                if args.generate_name {
                    bail!("cannot set --generate-name and also specify a name");
                }
                if args.name_template.is_some() {
                    bail!("cannot set --name-template and also specify a name");
                }
                (name.clone(), chart.clone())
            }
            [chart] => match &args.name_template {
                Some(t) => (template_name(t)?, chart.clone()),
                // `helm template` presets the name, so --generate-name has no effect here.
                None => ("release-name".to_string(), chart.clone()),
            },
            [_, _, rest @ ..] => bail!(
                "expected at most two arguments, unexpected arguments: {}",
                rest.join(", ")
            ),
        };
        validate_release_name(&name)?;
        let kube_version = match &args.kube_version {
            Some(v) => KubeVersion::parse(v).map_err(anyhow::Error::msg)?,
            None => KubeVersion::default(),
        };
        let api_versions = split_csv(&args.api_versions);
        let namespace = global
            .namespace
            .clone()
            .or_else(|| {
                std::env::var("HELM_NAMESPACE")
                    .ok()
                    .filter(|s| !s.is_empty())
            })
            .unwrap_or_else(|| "default".to_string());
        let options = TemplateOptions {
            release: Release {
                name,
                namespace,
                revision: 1,
                is_install: !args.is_upgrade,
                is_upgrade: args.is_upgrade,
            },
            capabilities: Some(Capabilities::new(kube_version, &api_versions)),
            include_crds: args.include_crds,
            skip_tests: args.skip_tests,
            no_hooks: args.no_hooks,
            show_only: args.show_only.clone(),
            subchart_notes: args.render_subchart_notes,
        };
        Ok(TemplateSettings {
            chart,
            values: ValueOverrides::from(&args.values),
            options,
            output_dir: args.output_dir.clone(),
            use_release_name: args.release_name,
            skip_schema_validation: args.skip_schema_validation,
            enable_dns: args.enable_dns,
            post_renderer,
            debug: global.debug,
            chart_version: match (&args.version, args.devel) {
                (Some(v), _) if !v.is_empty() => v.clone(),
                (_, true) => ">0.0.0-0".to_string(),
                _ => String::new(),
            },
            chart_repo: args.repo.clone(),
            dirs: crate::helm_home::HelmDirs::from_flags(global),
            chart_http: crate::commands::repo::http_from_flags(&args.conn),
        })
    }
}
