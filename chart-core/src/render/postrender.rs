//! Helm 4's post-rendering: the rendered files are merged into one stream of documents, each
//! annotated with the file it came from, handed to a post-renderer, and split back into files
//! by that annotation. Both steps read and write the documents through kyaml, so what is
//! printed afterwards is kyaml's rewriting of them (see [`crate::yaml`]'s `tree`), even when
//! the post-renderer changes nothing.

use std::collections::BTreeMap;

use crate::yaml::tree::{self, Kind, Node};

/// The annotation Helm uses to carry a document's file name through a post-renderer.
pub const FILENAME_ANNOTATION: &str = "postrenderer.helm.sh/postrender-filename";

/// A post-renderer (`--post-renderer`): gets the merged manifests, returns the new ones.
pub trait PostRenderer {
    /// Runs the post-renderer. The error is Helm's text for the failure (`failed to invoke
    /// post-renderer plugin "x": ...`); the caller adds `error while running post render on
    /// files: `.
    fn run(&self, manifests: &str) -> Result<String, String>;
}

/// Runs `post_renderer` over `files` as Helm 4's `renderResources` does. The error carries
/// Helm's whole message (`error merging manifests: ...`).
pub fn post_render(
    files: &BTreeMap<String, String>,
    post_renderer: &dyn PostRenderer,
) -> Result<BTreeMap<String, String>, String> {
    let merged = annotate_and_merge(files).map_err(|e| format!("error merging manifests: {e}"))?;
    let output = post_renderer
        .run(&merged)
        .map_err(|e| format!("error while running post render on files: {e}"))?;
    split_and_deannotate(&output)
        .map_err(|e| format!("error while parsing post rendered output: {e}"))
}

/// Every document of every file (partials and blank files skipped, files in name order),
/// annotated with its file name, as one stream.
pub fn annotate_and_merge(files: &BTreeMap<String, String>) -> Result<String, String> {
    let mut all = Vec::new();
    for (name, content) in files {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        let docs = parse_all(content).map_err(|e| format!("parsing {name}: {e}"))?;
        for mut doc in docs {
            set_annotation(&mut doc, FILENAME_ANNOTATION, name)
                .map_err(|e| format!("annotating {name}: {e}"))?;
            all.push(doc);
        }
    }
    Ok(tree::write_documents(&all))
}

/// The post-renderer's output split back into files by the annotation, which is removed. A
/// document without it goes to `generated-by-postrender-N.yaml`, N being its position.
pub fn split_and_deannotate(output: &str) -> Result<BTreeMap<String, String>, String> {
    let docs = parse_all(output).map_err(|e| format!("error parsing YAML: {e}"))?;
    let mut by_file: BTreeMap<String, Vec<Node>> = BTreeMap::new();
    for (i, mut doc) in docs.into_iter().enumerate() {
        let name = annotation(&doc, FILENAME_ANNOTATION)?
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("generated-by-postrender-{i}.yaml"));
        clear_annotation(&mut doc, FILENAME_ANNOTATION);
        by_file.entry(name).or_default().push(doc);
    }
    Ok(by_file
        .into_iter()
        .map(|(name, docs)| (name, tree::write_documents(&docs)))
        .collect())
}

/// kyaml's `kio.ParseAll`: the documents of a stream; a stream of one `List` gives its items.
fn parse_all(text: &str) -> Result<Vec<Node>, String> {
    let docs = tree::parse_documents(text).map_err(|e| format!("MalformedYAMLError: {e}"))?;
    // kyaml reads every document's metadata, so each must be a mapping (a `List`'s items
    // are not checked).
    if let Some(doc) = docs
        .iter()
        .find(|d| !matches!(d.kind, Kind::Mapping { .. }))
    {
        return Err(wrong_kind(doc));
    }
    if docs.len() != 1 {
        return Ok(docs);
    }
    let mut out = Vec::with_capacity(docs.len());
    for mut doc in docs {
        let is_list = doc.get("kind").and_then(Node::as_str) == Some("List");
        let items = match doc.pairs_mut() {
            Some(pairs) if is_list => pairs
                .iter()
                .position(|(k, _)| k.as_str() == Some("items"))
                .map(|i| pairs.remove(i).1),
            _ => None,
        };
        match items.map(|i| i.kind) {
            Some(Kind::Sequence { items, .. }) => out.extend(items),
            _ => out.push(doc),
        }
    }
    Ok(out)
}

/// kyaml's error for a document that is not a mapping.
fn wrong_kind(doc: &Node) -> String {
    format!(
        "wrong node kind: expected MappingNode but got {}: node contents:\n{}",
        doc.kind_name(),
        tree::write_document(doc)
    )
}

/// The pairs of a mapping; kyaml's wrong-kind error for any other node.
fn pairs_of(node: &mut Node) -> Result<&mut Vec<(Node, Node)>, String> {
    if !matches!(node.kind, Kind::Mapping { .. }) {
        return Err(wrong_kind(node));
    }
    node.pairs_mut()
        .ok_or_else(|| "unreachable: not a mapping".to_string())
}

/// The node under `key` in a mapping, created as an empty mapping (in the parent's flow
/// style) when absent or null.
fn lookup_create<'n>(parent: &'n mut Node, key: &str) -> Result<&'n mut Node, String> {
    let flow = parent.is_flow();
    let pairs = pairs_of(parent)?;
    let index = match pairs.iter().position(|(k, _)| k.as_str() == Some(key)) {
        Some(i) => {
            if pairs[i]
                .1
                .as_str()
                .is_some_and(|v| v.is_empty() || v == "null" || v == "~")
            {
                pairs[i].1 = Node::mapping(flow);
            }
            i
        }
        None => {
            pairs.push((Node::plain(key), Node::mapping(flow)));
            pairs.len() - 1
        }
    };
    Ok(&mut pairs[index].1)
}

/// kyaml's `SetAnnotation`: `metadata.annotations[key] = 'value'`.
fn set_annotation(doc: &mut Node, key: &str, value: &str) -> Result<(), String> {
    let metadata = lookup_create(doc, "metadata")?;
    let annotations = lookup_create(metadata, "annotations")?;
    let pairs = pairs_of(annotations)?;
    match pairs.iter_mut().find(|(k, _)| k.as_str() == Some(key)) {
        Some((_, v)) => *v = Node::single_quoted(value),
        None => pairs.push((Node::plain(key), Node::single_quoted(value))),
    }
    Ok(())
}

/// The annotation's value, if the document has it; an error for a document that is not a
/// mapping (kyaml's `GetMeta`).
fn annotation(doc: &Node, key: &str) -> Result<Option<String>, String> {
    if !matches!(doc.kind, Kind::Mapping { .. }) {
        return Err(wrong_kind(doc));
    }
    Ok(doc
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(key))
        .and_then(Node::as_str)
        .map(str::to_string))
}

/// The value under `key` in a mapping, to change it.
fn field_mut<'n>(node: &'n mut Node, key: &str) -> Option<&'n mut Node> {
    node.pairs_mut()?
        .iter_mut()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

/// Removes `key` from a mapping; whether it was there.
fn remove_field(node: &mut Node, key: &str) -> bool {
    let Some(pairs) = node.pairs_mut() else {
        return false;
    };
    let before = pairs.len();
    pairs.retain(|(k, _)| k.as_str() != Some(key));
    pairs.len() != before
}

/// Whether a node is a mapping without entries.
fn is_empty_mapping(node: &mut Node) -> bool {
    node.pairs_mut().is_some_and(|p| p.is_empty())
}

/// kyaml's `ClearAnnotation`: removes the annotation, then `annotations` and `metadata` if
/// that left them empty.
fn clear_annotation(doc: &mut Node, key: &str) {
    let Some(metadata) = field_mut(doc, "metadata") else {
        return;
    };
    let Some(annotations) = field_mut(metadata, "annotations") else {
        return;
    };
    if !remove_field(annotations, key) || !is_empty_mapping(annotations) {
        return;
    }
    remove_field(metadata, "annotations");
    if is_empty_mapping(metadata) {
        remove_field(doc, "metadata");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn merging_annotates_every_document_in_file_order_and_skips_partials() {
        let merged = annotate_and_merge(&files(&[
            (
                "c/templates/b.yaml",
                "kind: B\nmetadata:\n  name: b\n---\n---\nkind: C\n",
            ),
            ("c/templates/_helpers.tpl", "kind: Partial\n"),
            (
                "c/templates/a.yaml",
                "# head\nkind: A\nmetadata: {name: a}\n",
            ),
            ("c/templates/blank.yaml", " \n\n"),
        ]))
        .expect("merges");
        assert_eq!(
            merged,
            "# head\nkind: A\nmetadata: {name: a, annotations: {postrenderer.helm.sh/postrender-filename: 'c/templates/a.yaml'}}\n\
             ---\nkind: B\nmetadata:\n  name: b\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'c/templates/b.yaml'\n\
             ---\nkind: C\nmetadata:\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'c/templates/b.yaml'\n"
        );
    }

    #[test]
    fn a_file_holding_only_a_list_gives_its_items() {
        let merged = annotate_and_merge(&files(&[(
            "c/templates/l.yaml",
            "apiVersion: v1\nkind: List\nitems:\n- kind: X\n",
        )]))
        .expect("merges");
        assert_eq!(
            merged,
            "kind: X\nmetadata:\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'c/templates/l.yaml'\n"
        );
    }

    #[test]
    fn splitting_groups_by_annotation_and_drops_what_it_added() {
        let out = split_and_deannotate(
            "kind: A\nmetadata:\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'x/a.yaml'\n\
             ---\nkind: New\n\
             ---\nkind: A2\nmetadata:\n  name: n\n  annotations:\n    keep: \"1\"\n    postrenderer.helm.sh/postrender-filename: x/a.yaml\n",
        )
        .expect("splits");
        assert_eq!(
            out,
            files(&[
                (
                    "x/a.yaml",
                    "kind: A\n---\nkind: A2\nmetadata:\n  name: n\n  annotations:\n    keep: \"1\"\n"
                ),
                ("generated-by-postrender-1.yaml", "kind: New\n"),
            ])
        );
    }

    #[test]
    fn documents_that_are_not_mappings_fail_as_in_kyaml() {
        let err = annotate_and_merge(&files(&[("c/t.yaml", "- 1\n")])).expect_err("a list");
        assert_eq!(
            err,
            "parsing c/t.yaml: wrong node kind: expected MappingNode but got SequenceNode: node contents:\n- 1\n"
        );
        let err = split_and_deannotate("kind: A\n---\nplain text\n").expect_err("a scalar");
        assert!(
            err.starts_with(
                "error parsing YAML: wrong node kind: expected MappingNode but got ScalarNode"
            ),
            "{err}"
        );
        let err = split_and_deannotate("a: [\n").expect_err("broken");
        assert!(
            err.starts_with("error parsing YAML: MalformedYAMLError: yaml: "),
            "{err}"
        );
    }

    struct Upper;

    impl PostRenderer for Upper {
        fn run(&self, manifests: &str) -> Result<String, String> {
            Ok(manifests.replace("name: a", "name: A"))
        }
    }

    struct Broken;

    impl PostRenderer for Broken {
        fn run(&self, _: &str) -> Result<String, String> {
            Err("it broke".into())
        }
    }

    #[test]
    fn post_render_runs_the_whole_round_trip_with_helms_error_prefixes() {
        let input = files(&[("c/templates/a.yaml", "kind: A\nmetadata:\n  name: a\n")]);
        let out = post_render(&input, &Upper).expect("post-renders");
        assert_eq!(
            out,
            files(&[("c/templates/a.yaml", "kind: A\nmetadata:\n  name: A\n")])
        );
        assert_eq!(
            post_render(&input, &Broken).expect_err("fails"),
            "error while running post render on files: it broke"
        );
        let bad = files(&[("c/templates/a.yaml", "a: [\n")]);
        assert!(post_render(&bad, &Upper).expect_err("bad").starts_with(
            "error merging manifests: parsing c/templates/a.yaml: MalformedYAMLError: "
        ));
    }
}
