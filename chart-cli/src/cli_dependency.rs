//! Command-line definitions of `chart dependency` (alias `dep`, `dependencies`): `list`,
//! `update` and `build`, with Helm's flag names. [`crate::cli`] wires them in.

use clap::{Args, Subcommand};

/// `chart dependency`.
#[derive(Debug, Args)]
pub struct DependencyArgs {
    /// The dependency command.
    #[command(subcommand)]
    pub command: DependencyCommand,
}

/// The `dependency` subcommands.
#[derive(Debug, Subcommand)]
pub enum DependencyCommand {
    /// List the dependencies for the given chart.
    #[command(visible_alias = "ls")]
    List(DependencyListArgs),
    /// Update charts/ based on the contents of Chart.yaml.
    #[command(visible_alias = "up")]
    Update(DependencyFetchArgs),
    /// Rebuild the charts/ directory based on the Chart.lock file.
    Build(DependencyFetchArgs),
}

/// `chart dependency list [CHART]`.
#[derive(Debug, Args)]
pub struct DependencyListArgs {
    /// The chart (a directory or an archive); `.` when absent.
    #[arg(value_name = "CHART")]
    pub chart: Option<String>,
    /// Maximum column width for output table.
    #[arg(long = "max-col-width", value_name = "uint", default_value_t = 80)]
    pub max_col_width: usize,
}

/// `chart dependency update|build [CHART]`.
#[derive(Debug, Args)]
pub struct DependencyFetchArgs {
    /// The chart directory; `.` when absent.
    #[arg(value_name = "CHART")]
    pub chart: Option<String>,
    /// Do not refresh the local repository cache.
    #[arg(long = "skip-refresh")]
    pub skip_refresh: bool,
    /// Verify the packages against signatures (not supported).
    #[arg(long)]
    pub verify: bool,
    /// Keyring containing public keys (only with --verify, which is not supported).
    #[arg(allow_hyphen_values = true, long, value_name = "string")]
    pub keyring: Option<String>,
    /// Chart repository username where to locate the requested chart.
    #[arg(allow_hyphen_values = true, long, value_name = "string")]
    pub username: Option<String>,
    /// Chart repository password where to locate the requested chart.
    #[arg(allow_hyphen_values = true, long, value_name = "string")]
    pub password: Option<String>,
    /// Verify certificates of HTTPS-enabled servers using this CA bundle.
    #[arg(allow_hyphen_values = true, long = "ca-file", value_name = "string")]
    pub ca_file: Option<String>,
    /// Identify HTTPS client using this SSL certificate file.
    #[arg(allow_hyphen_values = true, long = "cert-file", value_name = "string")]
    pub cert_file: Option<String>,
    /// Identify HTTPS client using this SSL key file.
    #[arg(allow_hyphen_values = true, long = "key-file", value_name = "string")]
    pub key_file: Option<String>,
    /// Skip tls certificate checks for the chart download.
    #[arg(long = "insecure-skip-tls-verify")]
    pub insecure_skip_tls_verify: bool,
    /// Use insecure HTTP connections for the chart download.
    #[arg(long = "plain-http")]
    pub plain_http: bool,
}
