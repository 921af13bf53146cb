//! Manifests: splitting rendered files into YAML documents, separating hooks, and ordering
//! everything by Helm's kind install order (`pkg/release/v1/util/manifest_sorter.go`).

use std::collections::BTreeMap;

use crate::value::Value;

/// Helm 4's install order of kinds; kinds not listed come after these, sorted by name.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// One YAML document of the output, with the template it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The template's full name (`chart/templates/x.yaml`), printed as `# Source:`.
    pub source: String,
    /// The document, trimmed.
    pub content: String,
    /// Its `kind` (empty when it has none).
    pub kind: String,
}

/// The lifecycle events a hook can run at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HookEvent {
    /// `pre-install`.
    PreInstall,
    /// `post-install`.
    PostInstall,
    /// `pre-delete`.
    PreDelete,
    /// `post-delete`.
    PostDelete,
    /// `pre-upgrade`.
    PreUpgrade,
    /// `post-upgrade`.
    PostUpgrade,
    /// `pre-rollback`.
    PreRollback,
    /// `post-rollback`.
    PostRollback,
    /// `test` (also spelled `test-success`).
    Test,
}

impl HookEvent {
    fn parse(s: &str) -> Option<HookEvent> {
        Some(match s {
            "pre-install" => HookEvent::PreInstall,
            "post-install" => HookEvent::PostInstall,
            "pre-delete" => HookEvent::PreDelete,
            "post-delete" => HookEvent::PostDelete,
            "pre-upgrade" => HookEvent::PreUpgrade,
            "post-upgrade" => HookEvent::PostUpgrade,
            "pre-rollback" => HookEvent::PreRollback,
            "post-rollback" => HookEvent::PostRollback,
            "test" | "test-success" => HookEvent::Test,
            _ => return None,
        })
    }

    /// Helm's name of the event.
    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::PreInstall => "pre-install",
            HookEvent::PostInstall => "post-install",
            HookEvent::PreDelete => "pre-delete",
            HookEvent::PostDelete => "post-delete",
            HookEvent::PreUpgrade => "pre-upgrade",
            HookEvent::PostUpgrade => "post-upgrade",
            HookEvent::PreRollback => "pre-rollback",
            HookEvent::PostRollback => "post-rollback",
            HookEvent::Test => "test",
        }
    }
}

/// A document annotated with `helm.sh/hook`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    /// `metadata.name`.
    pub name: String,
    /// `kind`.
    pub kind: String,
    /// The template's full name.
    pub path: String,
    /// The document.
    pub manifest: String,
    /// The events it runs at.
    pub events: Vec<HookEvent>,
    /// `helm.sh/hook-weight` (0 when absent or not an integer).
    pub weight: i64,
    /// `helm.sh/hook-delete-policy`.
    pub delete_policies: Vec<String>,
    /// `helm.sh/hook-output-log-policy`.
    pub output_log_policies: Vec<String>,
}

impl Hook {
    /// Whether this is a test hook (`helm.sh/hook: test`).
    pub fn is_test(&self) -> bool {
        self.events.contains(&HookEvent::Test)
    }
}

/// A rendered document that is not valid YAML or not an object.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("YAML parse error on {path}: {message}")]
pub struct ManifestError {
    /// The template's full name.
    pub path: String,
    /// The parser's message.
    pub message: String,
    /// Every rendered template as Helm shows it under `--debug` (`---\n# Source: …`), so the
    /// user can see the invalid YAML.
    pub rendered: String,
}

/// The rendered templates as one text, the way Helm prints them when the output is not
/// valid YAML: each non-blank template (partials excluded) as `---\n# Source: name\ncontent`.
/// Helm walks a Go map here, in random order; we use the templates' sorted order.
fn rendered_dump(files: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim_matches(go_space).is_empty() {
            continue;
        }
        out.push_str("---\n# Source: ");
        out.push_str(path);
        out.push('\n');
        out.push_str(content);
        out.push('\n');
    }
    out
}

/// Go's `\s` (RE2's Perl class): what Helm's separator regex counts as space.
fn is_separator_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

/// The next match, at or after `from`, of Helm's document separator `(?:^|\s*\n)---\s*`
/// with RE2's leftmost-first semantics, as byte offsets. `from` is 0 or the end of the
/// previous match, which ends at a non-space byte, so a match never reaches back before it.
///
/// A match that is not at the very start is a line feed followed by `---`, together with
/// the spaces before that line feed: the line feed must end its run of spaces, because `-`
/// is not a space. The earliest such line feed gives the leftmost match.
fn next_separator(text: &[u8], from: usize) -> Option<(usize, usize)> {
    let (start, dashes_end) = if from == 0 && text.starts_with(b"---") {
        (0, 3)
    } else {
        let line_feed = from + memchr::memmem::find(&text[from..], b"\n---")?;
        let mut start = line_feed;
        while start > from && is_separator_space(text[start - 1]) {
            start -= 1;
        }
        (start, line_feed + 4)
    };
    let spaces = text[dashes_end..]
        .iter()
        .take_while(|&&b| is_separator_space(b))
        .count();
    Some((start, dashes_end + spaces))
}

/// Splits a rendered file into trimmed YAML documents, as Helm's `SplitManifests` does: it
/// trims the text, splits it at every separator, drops empty pieces and trims the rest.
pub fn split_manifests(text: &str) -> Vec<String> {
    let text = text.trim_matches(go_space);
    let bytes = text.as_bytes();
    let mut docs = Vec::new();
    let mut keep = |piece: &str| {
        if !piece.is_empty() {
            docs.push(piece.trim_matches(go_space).to_string());
        }
    };
    let mut from = 0;
    while let Some((start, end)) = next_separator(bytes, from) {
        keep(&text[from..start]);
        from = end;
    }
    keep(&text[from..]);
    docs
}

/// Go's `unicode.IsSpace`, which `strings.TrimSpace` uses.
fn go_space(c: char) -> bool {
    c.is_whitespace()
}

/// The head of a document: what Helm unmarshals into `SimpleHead`.
struct Head {
    kind: String,
    name: String,
    annotations: Option<BTreeMap<String, String>>,
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::List(_) => "array",
        Value::Bool(_) => "bool",
        Value::Map(_) => "object",
        _ => "number",
    }
}

/// Reads a document's head as Helm's `yaml.Unmarshal` into `SimpleHead` does: scalars in
/// string fields are converted to strings the sigs.k8s.io/yaml way (`name: n` is `"false"`).
fn parse_head(doc: &str) -> Result<Head, String> {
    if let Some(h) = super::head::fast_head(doc) {
        return Ok(Head {
            kind: h.kind,
            name: h.name,
            annotations: h.annotations,
        });
    }
    full_head(doc)
}

/// For the differential fuzzer: whether the fast reading of a document, when it applies,
/// agrees with the full parser (and the full parser accepts the document).
#[doc(hidden)]
pub fn fast_head_agrees(doc: &str) -> bool {
    let Some(h) = super::head::fast_head(doc) else {
        return true;
    };
    match full_head(doc) {
        Ok(full) => h.kind == full.kind && h.name == full.name && h.annotations == full.annotations,
        Err(_) => false,
    }
}

/// [`parse_head`] through the full YAML parser.
fn full_head(doc: &str) -> Result<Head, String> {
    let v = crate::yaml::load_typed(doc).map_err(|e| e.to_string())?;
    let m = match v {
        Value::Nil | Value::Invalid => {
            return Ok(Head {
                kind: String::new(),
                name: String::new(),
                annotations: None,
            });
        }
        Value::Map(m) => m,
        other => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type util.SimpleHead",
                json_type(&other)
            ));
        }
    };
    let field_err = |field: &str, v: &Value, ty: &str| {
        format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field SimpleHead.{field} of type {ty}",
            json_type(v)
        )
    };
    let string_field = |v: Option<Value>, field: &str| -> Result<String, String> {
        match v {
            None | Some(Value::Nil) => Ok(String::new()),
            Some(v) => {
                crate::yaml::go_string_field(&v).ok_or_else(|| field_err(field, &v, "string"))
            }
        }
    };
    let kind = string_field(m.get("kind"), "kind")?;
    let mut name = String::new();
    let mut annotations = None;
    match m.get("metadata") {
        None | Some(Value::Nil) => {}
        Some(Value::Map(md)) => {
            name = string_field(md.get("name"), "metadata.name")?;
            match md.get("annotations") {
                None | Some(Value::Nil) => {}
                Some(Value::Map(a)) => {
                    let mut out = BTreeMap::new();
                    for (k, v) in a.entries() {
                        out.insert(
                            k.to_string(),
                            string_field(Some(v), "metadata.annotations")?,
                        );
                    }
                    annotations = Some(out);
                }
                Some(other) => {
                    return Err(field_err(
                        "metadata.annotations",
                        &other,
                        "map[string]string",
                    ));
                }
            }
        }
        Some(other) => {
            return Err(field_err(
                "metadata",
                &other,
                "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }",
            ));
        }
    }
    Ok(Head {
        kind,
        name,
        annotations,
    })
}

fn split_annotation(v: Option<&String>) -> Vec<String> {
    match v {
        None => Vec::new(),
        Some(s) => s
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
    }
}

/// Splits the rendered files into hooks and ordinary manifests, both ordered by kind (Helm's
/// `SortManifests`). Partials and blank files are skipped.
pub fn sort_manifests(
    files: &BTreeMap<String, String>,
) -> Result<(Vec<Hook>, Vec<Manifest>), ManifestError> {
    let mut hooks = Vec::new();
    let mut generic = Vec::new();
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim_matches(go_space).is_empty() {
            continue;
        }
        for doc in split_manifests(content) {
            let head = parse_head(&doc).map_err(|message| ManifestError {
                path: path.clone(),
                message,
                rendered: rendered_dump(files),
            })?;
            let hook_types = head
                .annotations
                .as_ref()
                .filter(|a| !a.is_empty())
                .and_then(|a| a.get("helm.sh/hook"));
            let Some(hook_types) = hook_types else {
                generic.push(Manifest {
                    source: path.clone(),
                    content: doc,
                    kind: head.kind,
                });
                continue;
            };
            let mut events = Vec::new();
            let mut unknown = false;
            for t in hook_types.split(',') {
                match HookEvent::parse(&t.trim().to_lowercase()) {
                    Some(e) => events.push(e),
                    None => {
                        unknown = true;
                        break;
                    }
                }
            }
            if unknown {
                continue;
            }
            let annotations = head.annotations.unwrap_or_default();
            let weight = annotations
                .get("helm.sh/hook-weight")
                .and_then(|w| w.parse::<i64>().ok())
                .unwrap_or(0);
            hooks.push(Hook {
                name: head.name,
                kind: head.kind,
                path: path.clone(),
                manifest: doc,
                events,
                weight,
                delete_policies: split_annotation(annotations.get("helm.sh/hook-delete-policy")),
                output_log_policies: split_annotation(
                    annotations.get("helm.sh/hook-output-log-policy"),
                ),
            });
        }
    }
    hooks.sort_by(|a, b| kind_order(&a.kind, &b.kind));
    generic.sort_by(|a, b| kind_order(&a.kind, &b.kind));
    Ok((hooks, generic))
}

/// Helm's `lessByKind` as a stable ordering: known kinds by install order, unknown kinds
/// after them by name.
fn kind_order(a: &str, b: &str) -> std::cmp::Ordering {
    let pa = INSTALL_ORDER.iter().position(|k| *k == a);
    let pb = INSTALL_ORDER.iter().position(|k| *k == b);
    match (pa, pb) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Helm's separator regex, run by the regex crate, splits random text exactly as the
    /// hand-written splitter does. Go's `\s` is ASCII-only, so the class is spelled out (the
    /// regex crate's `\s` would also match U+00A0).
    #[test]
    fn splits_exactly_as_helms_separator_regex() {
        let helm = regex::Regex::new(r"(?:^|[\t\n\x0C\r ]*\n)---[\t\n\x0C\r ]*").expect("valid");
        let by_regex = |text: &str| -> Vec<String> {
            helm.split(text.trim_matches(go_space))
                .filter(|d| !d.is_empty())
                .map(|d| d.trim_matches(go_space).to_string())
                .collect()
        };
        let alphabet = [
            "-", "-", "-", "\n", "\n", " ", "\t", "\r", "\x0C", "a", "#", "\u{A0}", "\u{0B}",
        ];
        let mut random = crate::testing::Xorshift::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..100_000 {
            let len = random.below(24);
            let text: String = (0..len).map(|_| random.pick(&alphabet)).collect();
            assert_eq!(split_manifests(&text), by_regex(&text), "{text:?}");
        }
    }

    #[test]
    fn splits_like_helm() {
        let docs = split_manifests("a: 1\n---   \nb: 2\n--- # c\nd: 3\n  ---x\n");
        assert_eq!(docs, vec!["a: 1", "b: 2", "# c\nd: 3\n  ---x"]);
        assert!(split_manifests("---\n").is_empty());
    }

    #[test]
    fn unknown_kinds_sort_last_by_name() {
        let mut kinds = vec!["Zed", "Deployment", "", "Service", "Alpha"];
        kinds.sort_by(|a, b| kind_order(a, b));
        assert_eq!(kinds, vec!["Service", "Deployment", "", "Alpha", "Zed"]);
    }
}

#[cfg(test)]
mod fast_head_tests {
    use super::*;

    /// Documents from the golden suite's expected output, and variants of them with one line
    /// changed in ways that often break YAML.
    fn corpus() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/golden");
        let mut docs = Vec::new();
        for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path().join("expected.stdout")) {
                docs.extend(split_manifests(&text));
            }
        }
        let mut variants = Vec::new();
        let edits: [&dyn Fn(&str) -> String; 9] = [
            &|l| format!(" {l}"),
            &|l| l.strip_prefix(' ').unwrap_or(l).to_string(),
            &|l| format!("{l}: x"),
            &|l| format!("{l} #c"),
            &|l| format!("- {l}"),
            &|l| l.replace(": ", ":"),
            &|l| l.replace(": ", ": n"),
            &|l| format!("{l}\n"),
            &|_| String::new(),
        ];
        for doc in &docs {
            let lines: Vec<&str> = doc.lines().collect();
            for i in 0..lines.len() {
                for edit in &edits {
                    let mut v: Vec<String> = lines.iter().map(|s| (*s).to_string()).collect();
                    v[i] = edit(lines[i]);
                    variants.push(v.join("\n"));
                }
            }
        }
        docs.extend(variants);
        docs
    }

    #[test]
    fn fast_reading_agrees_with_the_full_parser() {
        let docs = corpus();
        assert!(docs.len() > 1000, "corpus too small: {}", docs.len());
        let mut fast = 0;
        for doc in &docs {
            let Some(h) = super::super::head::fast_head(doc) else {
                continue;
            };
            fast += 1;
            let full = full_head(doc)
                .unwrap_or_else(|e| panic!("fast path accepted invalid YAML ({e}):\n{doc}"));
            assert_eq!(
                (h.kind.as_str(), h.name.as_str(), h.annotations.as_ref()),
                (
                    full.kind.as_str(),
                    full.name.as_str(),
                    full.annotations.as_ref()
                ),
                "{doc}"
            );
        }
        // The fast path must actually take most real documents.
        assert!(
            fast * 2 > docs.len() / 10,
            "fast path took only {fast} of {}",
            docs.len()
        );
    }
}
