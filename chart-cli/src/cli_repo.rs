//! Command-line definitions of `chart repo`, `chart search` and `chart pull` (Helm's names,
//! flags and short forms). [`crate::cli`] wires them in.

use clap::{Args, Subcommand};

/// Connection flags shared by `repo add` and `pull`.
#[derive(Debug, Args, Default, Clone)]
pub struct ConnectionFlags {
    /// Chart repository username.
    #[arg(allow_hyphen_values = true, long, value_name = "string")]
    pub username: Option<String>,
    /// Chart repository password.
    #[arg(allow_hyphen_values = true, long, value_name = "string")]
    pub password: Option<String>,
    /// Pass credentials to all domains.
    #[arg(long = "pass-credentials")]
    pub pass_credentials: bool,
    /// Verify certificates of HTTPS-enabled servers using this CA bundle.
    #[arg(allow_hyphen_values = true, long = "ca-file", value_name = "string")]
    pub ca_file: Option<String>,
    /// Identify HTTPS client using this SSL certificate file.
    #[arg(allow_hyphen_values = true, long = "cert-file", value_name = "string")]
    pub cert_file: Option<String>,
    /// Identify HTTPS client using this SSL key file.
    #[arg(allow_hyphen_values = true, long = "key-file", value_name = "string")]
    pub key_file: Option<String>,
    /// Skip tls certificate checks.
    #[arg(long = "insecure-skip-tls-verify")]
    pub insecure_skip_tls_verify: bool,
}

/// `chart repo`.
#[derive(Debug, Args)]
pub struct RepoArgs {
    /// The repo command.
    #[command(subcommand)]
    pub command: RepoCommand,
}

/// The `repo` commands.
#[derive(Debug, Subcommand)]
pub enum RepoCommand {
    /// Add a chart repository.
    Add(RepoAddArgs),
    /// List chart repositories.
    #[command(visible_alias = "ls")]
    List(RepoListArgs),
    /// Remove one or more chart repositories.
    #[command(visible_alias = "rm")]
    Remove(RepoRemoveArgs),
    /// Update information of available charts locally from chart repositories.
    #[command(visible_alias = "up")]
    Update(RepoUpdateArgs),
    /// Generate an index file given a directory containing packaged charts.
    Index(RepoIndexArgs),
}

/// `chart repo add NAME URL`.
#[derive(Debug, Args)]
pub struct RepoAddArgs {
    /// `NAME URL`.
    #[arg(value_name = "NAME", num_args = 0..)]
    pub positional: Vec<String>,
    /// Connection flags.
    #[command(flatten)]
    pub conn: ConnectionFlags,
    /// Read chart repository password from stdin.
    #[arg(long = "password-stdin")]
    pub password_stdin: bool,
    /// Replace (overwrite) the repo if it already exists.
    #[arg(long = "force-update")]
    pub force_update: bool,
    /// Time to wait for the index file download to complete.
    #[arg(
        allow_hyphen_values = true,
        long,
        value_name = "duration",
        default_value = "2m0s"
    )]
    pub timeout: String,
    /// Raise error if repo is already registered (deprecated, ignored).
    #[arg(long = "no-update", hide = true)]
    pub no_update: bool,
    /// Allow adding official repos that have been deprecated.
    #[arg(long = "allow-deprecated-repos")]
    pub allow_deprecated_repos: bool,
}

/// `chart repo list`.
#[derive(Debug, Args)]
pub struct RepoListArgs {
    /// Prints the output in the specified format. Allowed values: table, json, yaml.
    #[arg(short = 'o', long, value_name = "format", default_value = "table")]
    pub output: String,
    /// Suppress headers in the output.
    #[arg(long = "no-headers")]
    pub no_headers: bool,
}

/// `chart repo remove NAME...`.
#[derive(Debug, Args)]
pub struct RepoRemoveArgs {
    /// The repositories to remove.
    #[arg(value_name = "REPO")]
    pub names: Vec<String>,
}

/// `chart repo update [REPO...]`.
#[derive(Debug, Args)]
pub struct RepoUpdateArgs {
    /// The repositories to update (all when none is given).
    #[arg(value_name = "REPO")]
    pub names: Vec<String>,
    /// Time to wait for the index file download to complete.
    #[arg(
        allow_hyphen_values = true,
        long,
        value_name = "duration",
        default_value = "2m0s"
    )]
    pub timeout: String,
}

/// `chart repo index DIR`.
#[derive(Debug, Args)]
pub struct RepoIndexArgs {
    /// The directory holding the packaged charts.
    #[arg(value_name = "DIR", num_args = 0..)]
    pub dirs: Vec<String>,
    /// URL of the chart repository.
    #[arg(allow_hyphen_values = true, long, value_name = "string")]
    pub url: Option<String>,
    /// Merge the generated index into the given index.
    #[arg(allow_hyphen_values = true, long, value_name = "string")]
    pub merge: Option<String>,
    /// Output in JSON format.
    #[arg(long)]
    pub json: bool,
}

/// `chart search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The search command.
    #[command(subcommand)]
    pub command: SearchCommand,
}

/// The `search` commands.
#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Search repositories for a keyword in charts.
    Repo(SearchRepoArgs),
}

/// `chart search repo [KEYWORD]`.
#[derive(Debug, Args)]
pub struct SearchRepoArgs {
    /// The keywords.
    #[arg(value_name = "keyword")]
    pub keywords: Vec<String>,
    /// Use regular expressions for searching repositories you have added.
    #[arg(short = 'r', long)]
    pub regexp: bool,
    /// Use development versions (alpha, beta, and release candidate releases), too.
    #[arg(long)]
    pub devel: bool,
    /// Show the long listing, with each version of each chart on its own line.
    #[arg(short = 'l', long)]
    pub versions: bool,
    /// Search using semantic versioning constraints on repositories you have added.
    #[arg(allow_hyphen_values = true, long, value_name = "string")]
    pub version: Option<String>,
    /// Maximum column width for output table.
    #[arg(long = "max-col-width", value_name = "uint", default_value_t = 50)]
    pub max_col_width: usize,
    /// Prints the output in the specified format. Allowed values: table, json, yaml.
    #[arg(short = 'o', long, value_name = "format", default_value = "table")]
    pub output: String,
    /// Search fails if no results are found.
    #[arg(long = "fail-on-no-result")]
    pub fail_on_no_result: bool,
}

/// `chart pull [chart URL | repo/chartname] [...]`.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// The charts.
    #[arg(value_name = "chart URL | repo/chartname")]
    pub charts: Vec<String>,
    /// Connection flags.
    #[command(flatten)]
    pub conn: ConnectionFlags,
    /// Specify a version constraint for the chart version to use.
    #[arg(allow_hyphen_values = true, long, value_name = "string")]
    pub version: Option<String>,
    /// Use development versions, too. Equivalent to version '>0.0.0-0'.
    #[arg(long)]
    pub devel: bool,
    /// Location to write the chart.
    #[arg(
        allow_hyphen_values = true,
        short = 'd',
        long,
        value_name = "string",
        default_value = "."
    )]
    pub destination: String,
    /// If set to true, will untar the chart after downloading it.
    #[arg(long)]
    pub untar: bool,
    /// If untar is specified, the directory into which the chart is expanded.
    #[arg(
        allow_hyphen_values = true,
        long,
        value_name = "string",
        default_value = "."
    )]
    pub untardir: String,
    /// Chart repository url where to locate the requested chart.
    #[arg(allow_hyphen_values = true, long, value_name = "string")]
    pub repo: Option<String>,
    /// Verify the package before using it (not supported).
    #[arg(long)]
    pub verify: bool,
    /// Fetch the provenance file, but don't perform verification (not supported).
    #[arg(long)]
    pub prov: bool,
    /// Use insecure HTTP connections for the chart download.
    #[arg(long = "plain-http")]
    pub plain_http: bool,
}
