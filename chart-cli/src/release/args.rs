//! Command-line definitions of the release commands (Helm's flag names).

use clap::{Args, Subcommand};

use crate::cli::{PostRenderFlags, ValuesFlags};

/// Flags every cluster command takes.
#[derive(Debug, Args, Default, Clone)]
pub struct KubeFlags {
    /// Path to the kubeconfig file.
    #[arg(allow_hyphen_values = true, long = "kubeconfig", value_name = "string")]
    pub kubeconfig: Option<String>,
    /// Name of the kubeconfig context to use.
    #[arg(
        allow_hyphen_values = true,
        long = "kube-context",
        value_name = "string"
    )]
    pub kube_context: Option<String>,
}

/// Flags shared by `install` and `upgrade`.
#[derive(Debug, Args, Default, Clone)]
pub struct DeployFlags {
    /// The values flags.
    #[command(flatten)]
    pub values: ValuesFlags,
    /// Cluster connection.
    #[command(flatten)]
    pub kube: KubeFlags,
    /// Create the release namespace if not present.
    #[arg(long = "create-namespace")]
    pub create_namespace: bool,
    /// Simulate an install: "client" (default when given alone) or "server".
    #[arg(long = "dry-run", value_name = "string", num_args = 0..=1, default_missing_value = "true", require_equals = true)]
    pub dry_run: Option<String>,
    /// Time to wait for any individual Kubernetes operation (like Jobs for hooks).
    #[arg(long = "timeout", value_name = "duration", default_value = "5m0s")]
    pub timeout: String,
    /// Wait until resources are ready (watcher, hookOnly, legacy).
    #[arg(long = "wait", value_name = "WaitStrategy", num_args = 0..=1, default_missing_value = "watcher", require_equals = true)]
    pub wait: Option<String>,
    /// If set, wait until all Jobs have been completed.
    #[arg(long = "wait-for-jobs")]
    pub wait_for_jobs: bool,
    /// If set, Helm will rollback (upgrade) or uninstall (install) on failure.
    #[arg(long = "rollback-on-failure")]
    pub rollback_on_failure: bool,
    /// Deprecated name of --rollback-on-failure.
    #[arg(long = "atomic", hide = true)]
    pub atomic: bool,
    /// Prevent hooks from running.
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    /// If set, ignore the ownership metadata of existing objects and take them over.
    #[arg(long = "take-ownership")]
    pub take_ownership: bool,
    /// If set, no CRDs will be installed.
    #[arg(long = "skip-crds")]
    pub skip_crds: bool,
    /// Add a custom description.
    #[arg(
        allow_hyphen_values = true,
        long = "description",
        value_name = "string"
    )]
    pub description: Option<String>,
    /// Specify a version constraint for the chart version to use.
    #[arg(allow_hyphen_values = true, long = "version", value_name = "string")]
    pub version: Option<String>,
    /// Use development versions, too.
    #[arg(long = "devel")]
    pub devel: bool,
    /// Chart repository url where to locate the requested chart.
    #[arg(allow_hyphen_values = true, long = "repo", value_name = "string")]
    pub repo: Option<String>,
    /// If set, disables JSON schema validation.
    #[arg(long = "skip-schema-validation")]
    pub skip_schema_validation: bool,
    /// `--post-renderer` and its arguments.
    #[command(flatten)]
    pub post_render: PostRenderFlags,
    /// If set, render subchart notes along with the parent.
    #[arg(long = "render-subchart-notes")]
    pub render_subchart_notes: bool,
    /// If set, do not render notes in the output.
    #[arg(long = "hide-notes")]
    pub hide_notes: bool,
    /// Enable DNS lookups when rendering templates.
    #[arg(long = "enable-dns")]
    pub enable_dns: bool,
    /// Prints the output in the specified format (table, json, yaml).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "format",
        default_value = "table"
    )]
    pub output: String,
}

/// `chart install [NAME] [CHART]`.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// `[NAME] [CHART]`.
    #[arg(value_name = "NAME] [CHART", num_args = 0..=2)]
    pub positional: Vec<String>,
    /// Generate the name (and omit the NAME parameter).
    #[arg(short = 'g', long = "generate-name")]
    pub generate_name: bool,
    /// Shared deploy flags.
    #[command(flatten)]
    pub deploy: DeployFlags,
}

/// `chart upgrade [RELEASE] [CHART]`.
#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// `[RELEASE] [CHART]`.
    #[arg(value_name = "RELEASE] [CHART", num_args = 0..=2)]
    pub positional: Vec<String>,
    /// If a release by this name doesn't already exist, run an install.
    #[arg(short = 'i', long = "install")]
    pub install: bool,
    /// When upgrading, reuse the last release's values and merge in any overrides.
    #[arg(long = "reuse-values")]
    pub reuse_values: bool,
    /// When upgrading, reset the values to the ones built into the chart.
    #[arg(long = "reset-values")]
    pub reset_values: bool,
    /// Reset to the chart's values, then apply the last release's values and the overrides.
    #[arg(long = "reset-then-reuse-values")]
    pub reset_then_reuse_values: bool,
    /// Limit the maximum number of revisions saved per release (0 for no limit).
    #[arg(long = "max-history", value_name = "int", default_value_t = 10)]
    pub max_history: i64,
    /// Shared deploy flags.
    #[command(flatten)]
    pub deploy: DeployFlags,
}

/// `chart rollback <RELEASE> [REVISION]`.
#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// `<RELEASE> [REVISION]`.
    #[arg(value_name = "RELEASE] [REVISION", num_args = 0..=2)]
    pub positional: Vec<String>,
    /// Cluster connection.
    #[command(flatten)]
    pub kube: KubeFlags,
    /// Time to wait for any individual Kubernetes operation.
    #[arg(long = "timeout", value_name = "duration", default_value = "5m0s")]
    pub timeout: String,
    /// Wait until resources are ready.
    #[arg(long = "wait", value_name = "WaitStrategy", num_args = 0..=1, default_missing_value = "watcher", require_equals = true)]
    pub wait: Option<String>,
    /// Prevent hooks from running during rollback.
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    /// Limit the maximum number of revisions saved per release.
    #[arg(long = "max-history", value_name = "int", default_value_t = 10)]
    pub max_history: i64,
    /// Simulate a rollback.
    #[arg(long = "dry-run", value_name = "string", num_args = 0..=1, default_missing_value = "client", require_equals = true)]
    pub dry_run: Option<String>,
}

/// `chart uninstall RELEASE_NAME [...]`.
#[derive(Debug, Args)]
#[command(visible_aliases = ["del", "delete", "un"])]
pub struct UninstallArgs {
    /// Release names.
    #[arg(value_name = "RELEASE_NAME")]
    pub names: Vec<String>,
    /// Cluster connection.
    #[command(flatten)]
    pub kube: KubeFlags,
    /// Remove all associated resources and mark the release as deleted, but retain the release history.
    #[arg(long = "keep-history")]
    pub keep_history: bool,
    /// Prevent hooks from running during uninstallation.
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    /// Treat "release not found" as a successful uninstall.
    #[arg(long = "ignore-not-found")]
    pub ignore_not_found: bool,
    /// Time to wait for any individual Kubernetes operation.
    #[arg(long = "timeout", value_name = "duration", default_value = "5m0s")]
    pub timeout: String,
    /// Add a custom description.
    #[arg(
        allow_hyphen_values = true,
        long = "description",
        value_name = "string"
    )]
    pub description: Option<String>,
    /// Simulate an uninstall.
    #[arg(long = "dry-run")]
    pub dry_run: bool,
    /// Wait until resources are deleted.
    #[arg(long = "wait", value_name = "WaitStrategy", num_args = 0..=1, default_missing_value = "watcher", require_equals = true)]
    pub wait: Option<String>,
}

/// `chart list`.
#[derive(Debug, Args)]
#[command(visible_aliases = ["ls"])]
pub struct ListArgs {
    /// Cluster connection.
    #[command(flatten)]
    pub kube: KubeFlags,
    /// List releases across all namespaces.
    #[arg(short = 'A', long = "all-namespaces")]
    pub all_namespaces: bool,
    /// A regular expression; releases that match it are listed.
    #[arg(
        allow_hyphen_values = true,
        short = 'f',
        long = "filter",
        value_name = "string"
    )]
    pub filter: Option<String>,
    /// Output format (table, json, yaml).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "format",
        default_value = "table"
    )]
    pub output: String,
    /// Output short (quiet) listing format.
    #[arg(short = 'q', long = "short")]
    pub short: bool,
    /// Don't print headers when using the default output format.
    #[arg(long = "no-headers")]
    pub no_headers: bool,
    /// Show deployed releases.
    #[arg(long = "deployed")]
    pub deployed: bool,
    /// Show failed releases.
    #[arg(long = "failed")]
    pub failed: bool,
    /// Show pending releases.
    #[arg(long = "pending")]
    pub pending: bool,
    /// Show superseded releases.
    #[arg(long = "superseded")]
    pub superseded: bool,
    /// Show uninstalled releases (if 'helm uninstall --keep-history' was used).
    #[arg(long = "uninstalled")]
    pub uninstalled: bool,
    /// Show releases that are currently being uninstalled.
    #[arg(long = "uninstalling")]
    pub uninstalling: bool,
    /// Reverse the sort order.
    #[arg(short = 'r', long = "reverse")]
    pub reverse: bool,
    /// Sort by release date.
    #[arg(short = 'd', long = "date")]
    pub date: bool,
    /// Maximum number of releases to fetch.
    #[arg(short = 'm', long = "max", value_name = "int", default_value_t = 256)]
    pub max: usize,
    /// Format time using golang time formatter.
    #[arg(
        allow_hyphen_values = true,
        long = "time-format",
        value_name = "string"
    )]
    pub time_format: Option<String>,
    /// Selector (label query) to filter on.
    #[arg(
        allow_hyphen_values = true,
        short = 'l',
        long = "selector",
        value_name = "string"
    )]
    pub selector: Option<String>,
    /// Next release index in the list.
    #[arg(long = "offset", value_name = "int", default_value_t = 0)]
    pub offset: usize,
}

/// `chart status RELEASE_NAME`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The release.
    #[arg(value_name = "RELEASE_NAME")]
    pub names: Vec<String>,
    /// Cluster connection.
    #[command(flatten)]
    pub kube: KubeFlags,
    /// If set, display the status of the named release with revision.
    #[arg(long = "revision", value_name = "int")]
    pub revision: Option<i64>,
    /// Output format.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "format",
        default_value = "table"
    )]
    pub output: String,
    /// If set, display the description message of the named release.
    #[arg(long = "show-desc")]
    pub show_desc: bool,
}

/// `chart history RELEASE_NAME`.
#[derive(Debug, Args)]
#[command(visible_aliases = ["hist"])]
pub struct HistoryArgs {
    /// The release.
    #[arg(value_name = "RELEASE_NAME")]
    pub names: Vec<String>,
    /// Cluster connection.
    #[command(flatten)]
    pub kube: KubeFlags,
    /// Maximum number of revisions to include in history.
    #[arg(long = "max", value_name = "int", default_value_t = 256)]
    pub max: usize,
    /// Output format.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "format",
        default_value = "table"
    )]
    pub output: String,
}

/// Flags of the `get` subcommands.
#[derive(Debug, Args)]
pub struct GetFlags {
    /// The release.
    #[arg(value_name = "RELEASE_NAME")]
    pub names: Vec<String>,
    /// Cluster connection.
    #[command(flatten)]
    pub kube: KubeFlags,
    /// Get the named release with revision.
    #[arg(long = "revision", value_name = "int")]
    pub revision: Option<i64>,
}

/// `chart get values`.
#[derive(Debug, Args)]
pub struct GetValuesArgs {
    /// Common flags.
    #[command(flatten)]
    pub get: GetFlags,
    /// Dump all (computed) values.
    #[arg(short = 'a', long = "all")]
    pub all: bool,
    /// Output format (table, json, yaml).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "format",
        default_value = "table"
    )]
    pub output: String,
}

/// `chart get ...`.
#[derive(Debug, Subcommand)]
pub enum GetCommand {
    /// Download all information for a named release.
    All(GetFlags),
    /// Download all hooks for a named release.
    Hooks(GetFlags),
    /// Download the manifest for a named release.
    Manifest(GetFlags),
    /// Download the notes for a named release.
    Notes(GetFlags),
    /// Download the values file for a named release.
    Values(GetValuesArgs),
}
