//! Charts: the in-memory model of a Helm chart and its loading from a directory or archive.
//!
//! A [`Chart`] holds exactly what Helm's loader keeps: the parsed `Chart.yaml`, the lock file,
//! the templates, the default values, the schema, the other files (what `.Files` sees), and
//! the subcharts found under `charts/`.
//!
//! [`load`] reads a chart directory or a `.tgz` file and [`load_archive`] an archive in
//! memory, with Helm 4's rules and error messages (see [`LoadError`]). Nothing here writes to
//! disk except [`archive::unpack_to`].

#[cfg(feature = "archive")]
pub mod archive;
pub mod ignore;
mod loader;
pub mod metadata;
#[cfg(feature = "archive")]
pub mod package;
pub mod serialize;

use std::sync::Arc;

use crate::value::{Map, Value};

#[cfg(feature = "archive")]
pub use loader::load_archive;
pub use loader::{BufferedFile, LoadError, load, load_dir, load_files};

/// A file of a chart: its path relative to the chart root (`templates/x.yaml`) and contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartFile {
    /// The path relative to the chart root, with `/` separators.
    pub name: String,
    /// The contents.
    pub data: Arc<[u8]>,
}

/// A loaded chart.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    /// `Chart.yaml`.
    pub metadata: Metadata,
    /// `Chart.lock` (or `requirements.lock` for apiVersion v1 charts).
    pub lock: Option<Lock>,
    /// Files under `templates/`, in load order (a directory is walked depth first with the
    /// entries of each directory sorted, an archive is read in entry order).
    pub templates: Vec<ChartFile>,
    /// `values.yaml`, parsed (an empty map when there is none).
    pub values: Map,
    /// The text of `values.yaml`, for `show values` and packaging.
    pub raw_values: Option<Arc<[u8]>>,
    /// `values.schema.json`, if present.
    pub schema: Option<Arc<[u8]>>,
    /// Every other file of the chart (what `.Files` sees), `crds/` included, in load order.
    pub files: Vec<ChartFile>,
    /// The subcharts loaded from `charts/` (directories and archives), sorted by their entry
    /// under `charts/`. After [`crate::values::coalesce::process_dependencies`] these are the
    /// enabled subcharts, each named by its alias when it has one.
    pub dependencies: Vec<Chart>,
}

/// `Chart.yaml`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata {
    /// `apiVersion` (`v1` or `v2`).
    pub api_version: String,
    /// `name`.
    pub name: String,
    /// `home`.
    pub home: String,
    /// `sources`.
    pub sources: Vec<String>,
    /// `version`.
    pub version: String,
    /// `description`.
    pub description: String,
    /// `keywords`.
    pub keywords: Vec<String>,
    /// `maintainers`.
    pub maintainers: Vec<Maintainer>,
    /// `icon`.
    pub icon: String,
    /// `condition` (legacy, top level).
    pub condition: String,
    /// `tags` (legacy, top level).
    pub tags: String,
    /// `appVersion`.
    pub app_version: String,
    /// `deprecated`.
    pub deprecated: bool,
    /// `annotations` (`None` when absent, which `.Chart.Annotations` shows as nil).
    pub annotations: Option<Vec<(String, String)>>,
    /// `kubeVersion`: a semver constraint on the cluster version.
    pub kube_version: String,
    /// `dependencies` (or `requirements.yaml` for apiVersion v1).
    pub dependencies: Vec<Dependency>,
    /// Whether `dependencies` was given at all: Go tells a nil list from an empty one, and
    /// Helm skips dependency processing for a chart whose list is nil.
    pub dependencies_declared: bool,
    /// `type`: `application` or `library`.
    pub chart_type: String,
    /// A `null` entry in `maintainers`, reported by [`Metadata::validate`].
    pub(crate) null_maintainer: bool,
    /// A `null` entry in `dependencies`, reported by [`Metadata::validate`].
    pub(crate) null_dependency: bool,
}

/// A maintainer entry of `Chart.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Maintainer {
    /// `name`.
    pub name: String,
    /// `email`.
    pub email: String,
    /// `url`.
    pub url: String,
}

/// A dependency entry of `Chart.yaml` (or of a lock file).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dependency {
    /// `name`.
    pub name: String,
    /// `version`: a semver constraint (an exact version in lock files).
    pub version: String,
    /// `repository`.
    pub repository: String,
    /// `condition`: comma-separated value paths.
    pub condition: String,
    /// `tags`.
    pub tags: Vec<String>,
    /// `enabled` (set during dependency processing).
    pub enabled: bool,
    /// `import-values`.
    pub import_values: Vec<ImportValue>,
    /// `alias`.
    pub alias: String,
}

/// One `import-values` entry: the string form `child.path` or the `{child, parent}` form.
#[derive(Clone, Debug)]
pub enum ImportValue {
    /// `- data` imports the child's `exports.data`.
    Exports(String),
    /// `- child: a.b` / `parent: c`. Dependency processing rewrites every entry to this form
    /// (`- data` becomes `child: exports.data`, `parent: .`).
    ChildParent {
        /// The path in the child's values.
        child: String,
        /// The path in the parent's values.
        parent: String,
    },
    /// Any other entry (a number, a list): kept as written until processing drops it.
    Other(Value),
}

impl PartialEq for ImportValue {
    fn eq(&self, other: &ImportValue) -> bool {
        match (self, other) {
            (ImportValue::Exports(a), ImportValue::Exports(b)) => a == b,
            (
                ImportValue::ChildParent { child, parent },
                ImportValue::ChildParent {
                    child: c2,
                    parent: p2,
                },
            ) => child == c2 && parent == p2,
            (ImportValue::Other(a), ImportValue::Other(b)) => a.deep_equal(b),
            _ => false,
        }
    }
}

/// `Chart.lock`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lock {
    /// `generated` (RFC 3339).
    pub generated: String,
    /// `digest`.
    pub digest: String,
    /// `dependencies`.
    pub dependencies: Vec<Dependency>,
}

/// Dependencies listed in `Chart.yaml` with no chart under `charts/`. The CLI prefixes
/// `an error occurred while checking for chart dependencies. You may need to run `helm
/// dependency build` to fetch missing dependencies: `.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("found in Chart.yaml, but missing in charts/ directory: {}", .0.join(", "))]
pub struct MissingDependencies(pub Vec<String>);

impl Chart {
    /// The chart's name.
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// Whether this is a library chart (`type: library`, case-insensitive).
    pub fn is_library(&self) -> bool {
        self.metadata.chart_type.eq_ignore_ascii_case("library")
    }

    /// The CRD files of this chart alone: files under `crds/` whose extension is `.yaml`,
    /// `.yml` or `.json` in any case, in load order (Helm's `Chart.CRDObjects`, which then
    /// appends each subchart's).
    pub fn crd_files(&self) -> impl Iterator<Item = &ChartFile> {
        self.files.iter().filter(|f| {
            let ext = f
                .name
                .rfind('.')
                .filter(|&i| !f.name[i..].contains('/'))
                .map_or("", |i| &f.name[i..]);
            f.name.starts_with("crds/")
                && [".yaml", ".yml", ".json"]
                    .iter()
                    .any(|e| ext.eq_ignore_ascii_case(e))
        })
    }

    /// Helm's `action.CheckDependencies`, run by `helm template` before rendering: every
    /// `dependencies` entry must have a chart of that name under `charts/` (versions are not
    /// compared).
    pub fn check_dependencies(&self) -> Result<(), MissingDependencies> {
        let missing: Vec<String> = self
            .metadata
            .dependencies
            .iter()
            .filter(|req| !self.dependencies.iter().any(|d| d.name() == req.name))
            .map(|req| req.name.clone())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(MissingDependencies(missing))
        }
    }

    /// `.Chart` for templates of this chart: see [`Metadata::to_value`].
    pub fn chart_value(&self, is_root: bool) -> Value {
        self.metadata.to_value(is_root)
    }
}

/// Go's `path.Clean` on a `/`-separated path (also `filepath.Clean` on Unix), for callers that
/// must print or compare paths as Helm does.
pub fn clean_path(path: &str) -> String {
    crate::funcs::paths::path_clean(path)
}

/// Go's `strconv.Quote`, as `%q` prints a string in Helm's messages.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            '\u{fffd}' => out.push_str("\\ufffd"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
