//! Rendering a chart as `helm template` does: the engine, `NOTES.txt`, hooks, CRDs, kind
//! ordering, and the exact text Helm prints.

mod capabilities;
mod engine;
mod head;
mod manifest;
mod postrender;
mod renderer;

use std::collections::BTreeMap;

pub use capabilities::{
    Capabilities, DEFAULT_KUBE_VERSION, HELM_VERSION, KubeVersion, default_api_versions,
};
pub use engine::{
    EngineOptions, ParsedTemplates, Release, TemplateCache, chart_value, render_files,
    render_files_cached,
};
pub use manifest::{
    Hook, HookEvent, INSTALL_ORDER, Manifest, ManifestError, fast_head_agrees, sort_manifests,
    split_manifests,
};
pub use postrender::{
    FILENAME_ANNOTATION, PostRenderer, annotate_and_merge, post_render, split_and_deannotate,
};
pub use renderer::{Error, Renderer};

use crate::chart::Chart;
use crate::random::Random;
use crate::value::Map;

/// Why a render failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A template failed to parse or execute.
    #[error(transparent)]
    Template(#[from] crate::template::Error),
    /// A rendered document is not valid YAML.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// The chart's `kubeVersion` constraint excludes the target cluster.
    #[error(
        "chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {version}"
    )]
    KubeVersion {
        /// The chart's constraint.
        constraint: String,
        /// The cluster's version.
        version: String,
    },
    /// The chart's `kubeVersion` is not a valid constraint.
    #[error("{0}")]
    InvalidKubeVersion(String),
    /// `--show-only` named a template that produced nothing.
    #[error("could not find template {0} in chart")]
    ShowOnlyMissing(String),
    /// The post-renderer failed, or its input or output is not valid YAML (Helm's whole
    /// message).
    #[error("{0}")]
    PostRender(String),
}

impl RenderError {
    /// Whether Helm would have a partial release to show (`Use --debug flag to render out
    /// invalid YAML`).
    pub fn has_rendered_output(&self) -> bool {
        self.debug_output().is_some()
    }

    /// What `helm template --debug` prints on stdout before failing with this error: the
    /// rendered templates when the output is not valid YAML, an empty manifest after a
    /// template or `kubeVersion` error, nothing when there is no release to show.
    pub fn debug_output(&self) -> Option<String> {
        match self {
            RenderError::Manifest(e) => Some(format!("{}\n", e.rendered.trim())),
            RenderError::Template(_)
            | RenderError::KubeVersion { .. }
            | RenderError::PostRender(_) => Some("\n".to_string()),
            RenderError::InvalidKubeVersion(_) | RenderError::ShowOnlyMissing(_) => None,
        }
    }
}

/// What `helm template` needs besides the chart and values.
#[derive(Clone, Debug, Default)]
pub struct TemplateOptions {
    /// `.Release`.
    pub release: Release,
    /// `.Capabilities` (`--kube-version`, `--api-versions`).
    pub capabilities: Option<Capabilities>,
    /// `--include-crds`.
    pub include_crds: bool,
    /// `--skip-tests`.
    pub skip_tests: bool,
    /// `--no-hooks`.
    pub no_hooks: bool,
    /// `--show-only` patterns.
    pub show_only: Vec<String>,
    /// `--render-subchart-notes`.
    pub subchart_notes: bool,
}

/// A rendered chart.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// Every template's output by full name (partials excluded, `NOTES.txt` removed).
    pub files: BTreeMap<String, String>,
    /// CRDs from `crds/` directories: `(full path, contents)`, in chart order.
    pub crds: Vec<(String, String)>,
    /// Ordinary manifests, in install order.
    pub manifests: Vec<Manifest>,
    /// Hooks, ordered by kind.
    pub hooks: Vec<Hook>,
    /// The rendered `NOTES.txt`.
    pub notes: String,
    /// What Helm would log while rendering (`level=WARN msg=...` lines).
    pub warnings: Vec<String>,
    /// The options it was rendered with (they decide what is printed).
    pub options: TemplateOptions,
}

/// One document of the output, in the order `helm template` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document<'a> {
    /// The `# Source:` path.
    pub source: &'a str,
    /// The YAML document.
    pub content: &'a str,
}

/// CRD files of a chart and its subcharts, as Helm's `CRDObjects` collects them.
fn crd_objects(chart: &Chart, full_path: &str, out: &mut Vec<(String, String)>) {
    for f in chart.crd_files() {
        let ext = f
            .name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(ext.as_str(), "yaml" | "yml" | "json") {
            out.push((
                format!("{full_path}/{}", f.name),
                crate::value::gostring::from_go_bytes(&f.data).into_owned(),
            ));
        }
    }
    for dep in &chart.dependencies {
        crd_objects(dep, &format!("{full_path}/charts/{}", dep.name()), out);
    }
}

/// Renders `chart` with its final values (already coalesced and processed), as
/// `helm template` does before printing.
pub fn render(
    chart: &Chart,
    values: &Map,
    options: &TemplateOptions,
    engine: &EngineOptions<'_>,
    random: &mut Random,
) -> Result<Rendered, RenderError> {
    render_cached(chart, values, options, engine, random, None)
}

/// [`render`], reusing parsed templates from `cache` when they fit.
pub fn render_cached(
    chart: &Chart,
    values: &Map,
    options: &TemplateOptions,
    engine: &EngineOptions<'_>,
    random: &mut Random,
    cache: Option<&TemplateCache>,
) -> Result<Rendered, RenderError> {
    let caps = options
        .capabilities
        .clone()
        .unwrap_or_else(|| Capabilities::new(KubeVersion::default(), &[]));
    if !chart.metadata.kube_version.is_empty() {
        let compatible = crate::semver::is_compatible_range(
            &chart.metadata.kube_version,
            &caps.kube_version.version,
        );
        if !compatible {
            return Err(RenderError::KubeVersion {
                constraint: chart.metadata.kube_version.clone(),
                version: caps.kube_version.version.clone(),
            });
        }
    }
    let mut files = render_files_cached(
        chart,
        values,
        &options.release,
        &caps,
        engine,
        random,
        cache,
    )?;

    let own_notes = format!("{}/templates/NOTES.txt", chart.name());
    let mut notes = String::new();
    let note_names: Vec<String> = files
        .keys()
        .filter(|k| k.ends_with("NOTES.txt"))
        .cloned()
        .collect();
    for k in note_names {
        if let Some(v) = files.remove(&k)
            && (options.subchart_notes || k == own_notes)
        {
            if !notes.is_empty() {
                notes.push('\n');
            }
            notes.push_str(&v);
        }
    }

    if let Some(post_renderer) = engine.post_renderer {
        files = post_render(&files, post_renderer).map_err(RenderError::PostRender)?;
    }
    let (hooks, manifests) = sort_manifests(&files)?;
    let mut crds = Vec::new();
    if options.include_crds {
        crd_objects(chart, chart.name(), &mut crds);
    }
    Ok(Rendered {
        files,
        crds,
        manifests,
        hooks,
        notes,
        warnings: Vec::new(),
        options: options.clone(),
    })
}

impl Rendered {
    /// Every document in printing order: CRDs (with `--include-crds`), manifests by kind, then
    /// hooks (unless `--no-hooks`; test hooks unless `--skip-tests`). `--show-only` is not
    /// applied here.
    pub fn documents(&self) -> Vec<Document<'_>> {
        let mut docs: Vec<Document<'_>> = self
            .crds
            .iter()
            .map(|(source, content)| Document { source, content })
            .collect();
        docs.extend(self.manifests.iter().map(|m| Document {
            source: &m.source,
            content: &m.content,
        }));
        docs.extend(self.printed_hooks().map(|h| Document {
            source: &h.path,
            content: &h.manifest,
        }));
        docs
    }

    /// The hooks `helm template` prints.
    pub fn printed_hooks(&self) -> impl Iterator<Item = &Hook> {
        let (no_hooks, skip_tests) = (self.options.no_hooks, self.options.skip_tests);
        self.hooks
            .iter()
            .filter(move |h| !(no_hooks || skip_tests && h.is_test()))
    }

    /// Exactly what `helm template` prints (without `--output-dir`).
    pub fn to_helm_output(&self) -> Result<String, RenderError> {
        use std::fmt::Write as _;
        let size: usize = self
            .crds
            .iter()
            .map(|(n, d)| n.len() + d.len())
            .sum::<usize>()
            + self
                .manifests
                .iter()
                .map(|m| m.source.len() + m.content.len())
                .sum::<usize>()
            + self
                .hooks
                .iter()
                .map(|h| h.path.len() + h.manifest.len())
                .sum::<usize>()
            + 16 * (self.crds.len() + self.manifests.len() + self.hooks.len())
            + 1;
        let mut out = String::with_capacity(size);
        for (name, data) in &self.crds {
            let _ = write!(out, "---\n# Source: {name}\n{data}\n");
        }
        for m in &self.manifests {
            let _ = write!(out, "---\n# Source: {}\n{}\n", m.source, m.content);
        }
        // Helm trims the manifests (not the hooks) and ends them with one line feed.
        out.truncate(out.trim_end_matches(char::is_whitespace).len());
        let leading = out.len() - out.trim_start_matches(char::is_whitespace).len();
        out.drain(..leading);
        out.push('\n');
        for h in self.printed_hooks() {
            let _ = write!(out, "---\n# Source: {}\n{}\n", h.path, h.manifest);
        }
        if self.options.show_only.is_empty() {
            return Ok(out);
        }
        show_only(&out, &self.options.show_only)
    }
}

/// `--show-only`: the documents whose `# Source:` path (after the chart name) matches one of
/// the patterns, in pattern order.
fn show_only(all: &str, patterns: &[String]) -> Result<String, RenderError> {
    let docs = split_manifests(all);
    let mut selected = Vec::new();
    for pattern in patterns {
        let mut missing = true;
        for doc in &docs {
            let Some(rest) = doc.lines().find_map(|l| l.strip_prefix("# Source: ")) else {
                continue;
            };
            let Some((_, path)) = rest.split_once('/') else {
                continue;
            };
            if !go_path_match(pattern, path) {
                continue;
            }
            selected.push(doc.as_str());
            missing = false;
        }
        if missing {
            return Err(RenderError::ShowOnlyMissing(pattern.clone()));
        }
    }
    let mut out = String::new();
    for d in selected {
        out.push_str("---\n");
        out.push_str(d);
        out.push('\n');
    }
    Ok(out)
}

/// Go's `filepath.Match` (on Linux): `*` and `?` stop at `/`, `[...]` classes, `\` escapes.
pub fn go_path_match(pattern: &str, name: &str) -> bool {
    fn m(p: &[char], n: &[char]) -> bool {
        let Some((&c, rest)) = p.split_first() else {
            return n.is_empty();
        };
        match c {
            '*' => (0..=n.len())
                .take_while(|&i| i == 0 || n[i - 1] != '/')
                .any(|i| m(rest, &n[i..])),
            '?' => n.first().is_some_and(|&x| x != '/') && m(rest, &n[1..]),
            '\\' => match rest.split_first() {
                Some((&e, r)) => n.first() == Some(&e) && m(r, &n[1..]),
                None => false,
            },
            '[' => {
                let Some(&x) = n.first() else { return false };
                if x == '/' {
                    return false;
                }
                let mut r = rest;
                let negated = r.first() == Some(&'^');
                if negated {
                    r = &r[1..];
                }
                let mut matched = false;
                let mut first = true;
                loop {
                    let Some((&a, r2)) = r.split_first() else {
                        return false;
                    };
                    if a == ']' && !first {
                        r = r2;
                        break;
                    }
                    first = false;
                    let (lo, after) = if a == '\\' {
                        match r2.split_first() {
                            Some((&e, r3)) => (e, r3),
                            None => return false,
                        }
                    } else {
                        (a, r2)
                    };
                    if after.first() == Some(&'-') && after.get(1).is_some_and(|&h| h != ']') {
                        let hi = after[1];
                        matched |= lo <= x && x <= hi;
                        r = &after[2..];
                    } else {
                        matched |= lo == x;
                        r = after;
                    }
                }
                matched != negated && m(r, &n[1..])
            }
            c => n.first() == Some(&c) && m(rest, &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    m(&p, &n)
}

#[cfg(test)]
mod tests {
    use super::go_path_match;
    use crate::chart::{Chart, ChartFile, Metadata};
    use crate::{Map, Renderer};

    fn chart_with_templates(templates: &[(String, String)]) -> Chart {
        Chart {
            metadata: Metadata {
                api_version: "v2".into(),
                name: "big".into(),
                version: "0.1.0".into(),
                ..Metadata::default()
            },
            templates: templates
                .iter()
                .map(|(name, text)| ChartFile {
                    name: name.clone(),
                    data: text.as_bytes().into(),
                })
                .collect(),
            ..Chart::default()
        }
    }

    #[test]
    fn big_charts_parse_in_helm_order_and_report_helms_parse_error() {
        // Enough template text to parse on several threads.
        let mut templates: Vec<(String, String)> = (0..80)
            .map(|i| {
                let body = format!(
                    "{{{{- define \"big.n{i}\" }}}}{i}{{{{ end }}}}\n# {}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i:02}\ndata:\n  n: {{{{ include \"big.n{i}\" . | quote }}}}\n",
                    "x".repeat(1000)
                );
                (format!("templates/c{i:02}.yaml"), body)
            })
            .collect();
        // Both define `big.shared`: the file that sorts first wins, as in Helm.
        templates.push((
            "templates/_a.tpl".into(),
            "{{ define \"big.shared\" }}from-a{{ end }}".into(),
        ));
        templates.push((
            "templates/_b.tpl".into(),
            "{{ define \"big.shared\" }}from-b{{ end }}".into(),
        ));
        templates.push((
            "templates/shared.yaml".into(),
            "kind: Shared\nname: {{ include \"big.shared\" . }}\n".into(),
        ));
        let chart = chart_with_templates(&templates);
        let out = Renderer::new()
            .render_to_string(&chart, &Map::new())
            .expect("render");
        assert!(out.contains("  name: c79\ndata:\n  n: \"79\"\n"), "{out}");
        assert!(out.contains("name: from-a\n"), "{out}");

        // Of two broken files, Helm reports the one it parses first: later names first.
        templates.push(("templates/a-broken.yaml".into(), "{{ if }}".into()));
        templates.push(("templates/z-broken.yaml".into(), "{{ end }}".into()));
        let chart = chart_with_templates(&templates);
        let err = Renderer::new()
            .render_to_string(&chart, &Map::new())
            .expect_err("parse error")
            .to_string();
        assert!(
            err.contains("parse error at (big/templates/z-broken.yaml:1): unexpected {{end}}"),
            "{err}"
        );
    }

    #[test]
    fn path_match_follows_go() {
        assert!(go_path_match("templates/*.yaml", "templates/a.yaml"));
        assert!(!go_path_match("templates/*", "templates/sub/a.yaml"));
        assert!(go_path_match(
            "charts/sub/templates/s.yaml",
            "charts/sub/templates/s.yaml"
        ));
        assert!(go_path_match("templates/[ab].yaml", "templates/b.yaml"));
    }
}
