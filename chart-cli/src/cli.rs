//! Command-line definitions: Helm's command names, flag names and short forms. Only clap types
//! live here; [`crate::settings`] turns them into options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// A Helm-compatible chart tool.
#[derive(Debug, Parser)]
#[command(name = "chart", version, about, long_about = None, disable_help_subcommand = true)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub global: GlobalFlags,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Helm's global flags.
#[derive(Debug, Args)]
pub struct GlobalFlags {
    /// Enable verbose output.
    #[arg(long, global = true)]
    pub debug: bool,
    /// Namespace scope for this request.
    #[arg(allow_hyphen_values = true, short = 'n', long, global = true)]
    pub namespace: Option<String>,
    /// Path to the file containing repository names and URLs.
    #[arg(
        allow_hyphen_values = true,
        long = "repository-config",
        value_name = "string",
        global = true
    )]
    pub repository_config: Option<PathBuf>,
    /// Path to the directory containing cached repository indexes.
    #[arg(
        allow_hyphen_values = true,
        long = "repository-cache",
        value_name = "string",
        global = true
    )]
    pub repository_cache: Option<PathBuf>,
    /// Path to the directory containing cached content (e.g. charts).
    #[arg(
        allow_hyphen_values = true,
        long = "content-cache",
        value_name = "string",
        global = true
    )]
    pub content_cache: Option<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Locally render templates.
    Template(TemplateArgs),
    /// Package a chart directory into a chart archive.
    Package(crate::commands::package::PackageArgs),
    /// Show information of a chart.
    #[command(subcommand)]
    Show(crate::commands::show::ShowCommand),
    /// Add, list, remove, update, and index chart repositories.
    Repo(crate::cli_repo::RepoArgs),
    /// Search for a keyword in charts.
    Search(crate::cli_repo::SearchArgs),
    /// Download a chart from a repository and (optionally) unpack it in local directory.
    #[command(visible_alias = "fetch")]
    Pull(crate::cli_repo::PullArgs),
    /// Manage a chart's dependencies.
    #[command(visible_alias = "dep", visible_alias = "dependencies")]
    Dependency(crate::cli_dependency::DependencyArgs),
    /// Install a chart.
    Install(crate::release::args::InstallArgs),
    /// Upgrade a release.
    Upgrade(crate::release::args::UpgradeArgs),
    /// Roll back a release to a previous revision.
    Rollback(crate::release::args::RollbackArgs),
    /// Uninstall a release.
    Uninstall(crate::release::args::UninstallArgs),
    /// List releases.
    List(crate::release::args::ListArgs),
    /// Display the status of the named release.
    Status(crate::release::args::StatusArgs),
    /// Fetch release history.
    History(crate::release::args::HistoryArgs),
    /// Download extended information of a named release.
    #[command(subcommand)]
    Get(crate::release::args::GetCommand),
}

/// The values flags shared by `template`, `install` and `upgrade`.
#[derive(Debug, Args, Default, Clone)]
pub struct ValuesFlags {
    /// Specify values in a YAML file or a URL (can specify multiple).
    #[arg(allow_hyphen_values = true, short = 'f', long = "values", value_name = "strings", action = clap::ArgAction::Append)]
    pub values: Vec<String>,
    /// Set values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2).
    #[arg(allow_hyphen_values = true, long = "set", value_name = "stringArray", action = clap::ArgAction::Append)]
    pub set: Vec<String>,
    /// Set STRING values on the command line.
    #[arg(allow_hyphen_values = true, long = "set-string", value_name = "stringArray", action = clap::ArgAction::Append)]
    pub set_string: Vec<String>,
    /// Set JSON values on the command line.
    #[arg(allow_hyphen_values = true, long = "set-json", value_name = "stringArray", action = clap::ArgAction::Append)]
    pub set_json: Vec<String>,
    /// Set a literal STRING value on the command line.
    #[arg(allow_hyphen_values = true, long = "set-literal", value_name = "stringArray", action = clap::ArgAction::Append)]
    pub set_literal: Vec<String>,
    /// Set values from respective files specified via the command line.
    #[arg(allow_hyphen_values = true, long = "set-file", value_name = "stringArray", action = clap::ArgAction::Append)]
    pub set_file: Vec<String>,
}

/// `--post-renderer` and `--post-renderer-args` (`template`, `install`, `upgrade`).
#[derive(Clone, Debug, Default, Args)]
pub struct PostRenderFlags {
    /// The name of a postrenderer type plugin to be used for post rendering.
    #[arg(
        allow_hyphen_values = true,
        long = "post-renderer",
        value_name = "postRendererString"
    )]
    pub post_renderer: Option<String>,
    /// An argument to the post-renderer (can specify multiple).
    #[arg(allow_hyphen_values = true, long = "post-renderer-args", value_name = "postRendererArgsSlice", action = clap::ArgAction::Append)]
    pub post_renderer_args: Vec<String>,
}

/// `chart template [NAME] [CHART]`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// `[NAME] [CHART]`: the release name (optional) and the chart (a directory or `.tgz`).
    #[arg(value_name = "NAME] [CHART", num_args = 0..=2)]
    pub positional: Vec<String>,
    /// The values flags.
    #[command(flatten)]
    pub values: ValuesFlags,
    /// Writes the executed templates to files in output-dir instead of stdout.
    #[arg(allow_hyphen_values = true, long = "output-dir", value_name = "string")]
    pub output_dir: Option<PathBuf>,
    /// Only show manifests rendered from the given templates.
    #[arg(allow_hyphen_values = true, short = 's', long = "show-only", value_name = "stringArray", action = clap::ArgAction::Append)]
    pub show_only: Vec<String>,
    /// Include CRDs in the templated output.
    #[arg(long = "include-crds")]
    pub include_crds: bool,
    /// If set, no CRDs will be installed.
    #[arg(long = "skip-crds")]
    pub skip_crds: bool,
    /// Skip tests from templated output.
    #[arg(long = "skip-tests")]
    pub skip_tests: bool,
    /// Prevent hooks from running during install.
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    /// Kubernetes version used for Capabilities.KubeVersion.
    #[arg(
        allow_hyphen_values = true,
        long = "kube-version",
        value_name = "string"
    )]
    pub kube_version: Option<String>,
    /// Kubernetes api versions used for Capabilities.APIVersions (can specify multiple, or separate with commas).
    #[arg(allow_hyphen_values = true, short = 'a', long = "api-versions", value_name = "strings", action = clap::ArgAction::Append)]
    pub api_versions: Vec<String>,
    /// Use release name in the output-dir path.
    #[arg(long = "release-name")]
    pub release_name: bool,
    /// Specify template used to name the release.
    #[arg(
        allow_hyphen_values = true,
        long = "name-template",
        value_name = "string"
    )]
    pub name_template: Option<String>,
    /// Generate the name (and omit the NAME parameter).
    #[arg(short = 'g', long = "generate-name")]
    pub generate_name: bool,
    /// Set .Release.IsUpgrade instead of .Release.IsInstall.
    #[arg(long = "is-upgrade")]
    pub is_upgrade: bool,
    /// If set, disables JSON schema validation.
    #[arg(long = "skip-schema-validation")]
    pub skip_schema_validation: bool,
    /// `--post-renderer` and its arguments.
    #[command(flatten)]
    pub post_render: PostRenderFlags,
    /// If set, render subchart notes along with the parent.
    #[arg(long = "render-subchart-notes")]
    pub render_subchart_notes: bool,
    /// Enable DNS lookups when rendering templates.
    #[arg(long = "enable-dns")]
    pub enable_dns: bool,
    /// Specify a version constraint for the chart version to use.
    #[arg(allow_hyphen_values = true, long = "version", value_name = "string")]
    pub version: Option<String>,
    /// Use development versions, too. Equivalent to version '>0.0.0-0'.
    #[arg(long = "devel")]
    pub devel: bool,
    /// Chart repository url where to locate the requested chart.
    #[arg(allow_hyphen_values = true, long = "repo", value_name = "string")]
    pub repo: Option<String>,
    /// Connection flags for a chart from a repository.
    #[command(flatten)]
    pub conn: crate::cli_repo::ConnectionFlags,
}
