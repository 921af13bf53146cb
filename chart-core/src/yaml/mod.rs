//! YAML exactly as Helm reads and writes it: go-yaml v2 (YAML 1.1) through sigs.k8s.io/yaml.
//!
//! Reading ([`load_values`], [`from_yaml`], [`load_typed`]) goes through three layers, each
//! mirroring a Go package:
//!
//! 1. `parse`: libyaml events composed into a node graph for the first document, with
//!    go-yaml's anchors, depth limit and error lines;
//! 2. `decode`: go-yaml v2's decoding into `interface {}` (YAML 1.1 scalars from `resolve`,
//!    `<<` merges with their order-dependent precedence, last duplicate key wins), then
//!    sigs.k8s.io/yaml's JSON conversion (keys stringified the Go way, NaN and infinities
//!    refused, numbers become `float64`);
//! 3. for values files, Helm 4's splitting of the file into `---`-separated documents that
//!    are deep-merged in order.
//!
//! Writing ([`to_yaml`], [`to_yaml_pretty`]) builds emitter nodes in `represent` and writes
//! them with `emit`, a reimplementation of go-yaml's emitter for block documents.
//!
//! Known divergences from Helm:
//!
//! * A byte order mark at the start of a line after the first is skipped (libyaml does that);
//!   go-yaml keeps it as text because its BOM check looks at the start of its buffer.
//! * A tag directly followed by a comma inside a flow collection (`[!x,1]`) ends at the comma,
//!   as in libyaml; go-yaml v2 takes the comma (and brackets) into the tag.
//! * A set of keys that go-yaml's natural order cannot sort consistently (`0071`, `0zx`,
//!   `9x`: its comparison is not transitive) is written in the order our stable sort gives;
//!   Go sorts such keys in random map iteration order, so Helm's output varies between runs.
//! * `toYamlPretty` of a struct other than `time.Time` lists its fields in sorted order
//!   (go-yaml v3 keeps the struct's declaration order, which the value model does not know).

use std::borrow::Cow;

use crate::json;
use crate::value::{List, Map, Value};

mod decode;
mod emit;
mod parse;
mod represent;
mod resolve;
pub(crate) mod tree;

#[cfg(test)]
mod tests;

use decode::Numbers;
pub(crate) use resolve::{Resolved, resolve_plain};

/// A YAML error with go-yaml's text (`yaml: line 2: did not find expected key`), wrapped as
/// the Go function that failed wraps it (see each function for the exact prefix).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct YamlError(pub String);

/// Reads a values file as Helm 4's `loader.LoadValues` does: every document is deep-merged in
/// order, the top level must be a mapping (an empty file is `{}`), and every number is a
/// `float64`. Returns a `map[string]interface {}` ([`crate::value::MapType::Any`]).
///
/// The file is split into documents the way Kubernetes' `YAMLReader` splits it: at every line
/// that starts with `---`, which may only be followed by spaces or a comment. Each piece is
/// then read on its own, so line numbers in errors count from the start of that piece.
///
/// The error text is what `LoadValues` returns; the caller prefixes it with
/// `cannot load values.yaml: ` (a chart's values) or `failed to parse FILE: ` (`-f FILE`):
///
/// * `cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: did not
///   find expected key` (the document is not valid YAML),
/// * `cannot unmarshal yaml document: error converting YAML to JSON: json: unsupported value:
///   +Inf` (`.inf` or `.nan` somewhere),
/// * `cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json:
///   cannot unmarshal array into Go value of type map[string]interface {}` (the top level
///   is not a mapping),
/// * `error reading yaml document: invalid Yaml document separator: x` (a `---x` line).
pub fn load_values(text: &str) -> Result<Map, YamlError> {
    let mut values = Map::new();
    for document in split_documents(text)? {
        let value = unmarshal(&document, Numbers::Float64)
            .map_err(|e| YamlError(format!("cannot unmarshal yaml document: {e}")))?;
        match value {
            Value::Nil => {}
            // The first document is the values as they are; later ones merge into it.
            Value::Map(m) if values.is_empty() => values = m,
            Value::Map(m) => merge_maps(&values, &m),
            other => {
                return Err(YamlError(format!(
                    "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: {}",
                    json::type_error(&other, "map[string]interface {}")
                )));
            }
        }
    }
    Ok(values)
}

/// Whether go-yaml reads the plain scalar `s` as exactly the string `s` (not a bool, number,
/// null, timestamp or merge key).
pub(crate) fn is_plain_string(s: &str) -> bool {
    matches!(resolve::resolve_plain(s), resolve::Resolved::Str)
}

/// sigs.k8s.io/yaml's `Unmarshal` into an `interface {}`: the first document only, converted
/// through JSON, so numbers are `float64` and keys are strings. An empty document is
/// [`Value::Nil`]. The error text is the whole Go error
/// (`error converting YAML to JSON: yaml: mapping values are not allowed in this context`).
pub fn from_yaml(text: &str) -> Result<Value, YamlError> {
    unmarshal(text, Numbers::Float64).map_err(YamlError)
}

/// Helm's `fromYaml` input: [`from_yaml`] into a `map[string]interface {}`. A document that is
/// not a mapping fails with `error unmarshaling JSON: while decoding JSON: json: cannot
/// unmarshal array into Go value of type map[string]interface {}`; an empty one is `{}`.
pub fn from_yaml_map(text: &str) -> Result<Map, YamlError> {
    match from_yaml(text)? {
        Value::Map(m) => Ok(m),
        Value::Nil => Ok(Map::new()),
        other => Err(json_type_error(&other, "map[string]interface {}")),
    }
}

/// Helm's `fromYamlArray` input: [`from_yaml`] into a `[]interface {}` (an empty document is
/// an empty list).
pub fn from_yaml_list(text: &str) -> Result<List, YamlError> {
    match from_yaml(text)? {
        Value::List(l) => Ok(l),
        Value::Nil => Ok(List::new(Vec::new())),
        other => Err(json_type_error(&other, "[]interface {}")),
    }
}

fn json_type_error(v: &Value, target: &str) -> YamlError {
    YamlError(format!(
        "error unmarshaling JSON: while decoding JSON: {}",
        json::type_error(v, target)
    ))
}

/// Reads the first document with YAML 1.1 resolution but keeps go-yaml's number types:
/// integers are `Value::Int(_, IntType::Int64)` (`Value::Uint(_, UintType::Uint64)` above
/// `int64`), floats `Value::Float`; keys are stringified as for values. This is the input for
/// typed files (Chart.yaml, requirements.yaml, index.yaml), where sigs.k8s.io/yaml coerces a
/// scalar into the Go field's type: see [`go_string_field`].
///
/// Errors carry the whole Go text (`error converting YAML to JSON: yaml: line 5: mapping
/// values are not allowed in this context`); the caller adds `cannot load Chart.yaml: `. NaN
/// and infinities fail (`error converting YAML to JSON: json: unsupported value: +Inf`), as
/// they do when Helm loads a Chart.yaml. A top level that does not fit the target type is
/// the caller's to report (`error unmarshaling JSON: while decoding JSON: json: cannot
/// unmarshal array into Go value of type chart.Metadata`).
pub fn load_typed(text: &str) -> Result<Value, YamlError> {
    unmarshal(text, Numbers::Typed).map_err(YamlError)
}

/// The string a scalar becomes in a Go `string` field of a typed document: sigs.k8s.io/yaml
/// formats integers in decimal, floats with `strconv.FormatFloat(f, 'g', -1, 32)` (so
/// `appVersion: 1.10` is `"1.1"`, `1.5e6` is `"1.5e+06"`, `1234567.89` is `"1.2345679e+06"`)
/// and booleans as `true`/`false`. `None` for nil (the field keeps its zero value) and for
/// lists and maps (a JSON type error for the caller to report).
pub fn go_string_field(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_string()),
        Value::Int(i, _) => Some(i.to_string()),
        Value::Uint(u, _) => Some(u.to_string()),
        Value::Float(f) => Some(json::format_float(*f, b'g', 32)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Helm's `toYaml`: the value marshalled to JSON (integral floats become integers, objects
/// what they marshal to, `[]byte` base64 text), read back and written by go-yaml v2, with the
/// final newline trimmed. The error is `error marshaling into JSON: json: unsupported value:
/// NaN` and the like (Helm's `toYaml` turns it into `""`, `mustToYaml` reports it).
pub fn to_yaml(v: &Value) -> Result<String, YamlError> {
    let node = represent::represent(v, represent::Flavor::Json).map_err(|e| match e {
        represent::Failure::Json(e) => YamlError(format!("error marshaling into JSON: {e}")),
        represent::Failure::Yaml(e) => YamlError(e),
    })?;
    let mut text = emit::emit(&node, emit::V2);
    if text.ends_with('\n') {
        text.pop();
    }
    Ok(text)
}

/// Helm's `toYamlPretty`: go-yaml v3 with `SetIndent(2)` on the value itself (no JSON round
/// trip, so a `float64` keeps Go's `%g` text, `1e+06`), sequences indented under their key,
/// no folding of long lines, final newline trimmed. Structs other than `time.Time` are
/// written from [`crate::value::Object::to_json_value`] with lower-cased keys in sorted order
/// (go-yaml v3 keeps the struct's field order, which the value model does not know).
pub fn to_yaml_pretty(v: &Value) -> Result<String, YamlError> {
    let node = represent::represent(v, represent::Flavor::Direct).map_err(|e| match e {
        represent::Failure::Json(e) => YamlError(e.0),
        represent::Failure::Yaml(e) => YamlError(e),
    })?;
    let mut text = emit::emit(&node, emit::V3);
    if text.ends_with('\n') {
        text.pop();
    }
    Ok(text)
}

/// sigs.k8s.io/yaml's `Unmarshal` of the first document into an `interface {}`; the error is
/// the whole Go error text.
fn unmarshal(text: &str, numbers: Numbers) -> Result<Value, String> {
    let convert = |e: String| format!("error converting YAML to JSON: {e}");
    let Some(mut document) = parse::first_document(text).map_err(convert)? else {
        return Ok(Value::Nil);
    };
    let go = decode::to_go(&mut document).map_err(convert)?;
    decode::to_json_value(go, numbers).map_err(convert)
}

/// Kubernetes' `YAMLReader`: the text split at lines starting with `---`. Lines are read as
/// Go's `bufio.Reader.ReadLine` reads them (a `\r\n` ending becomes `\n`), a separator line
/// with anything but spaces or a comment after the dashes is an error, and a separator before
/// any content stays in the first piece.
fn split_documents(text: &str) -> Result<Vec<Cow<'_, str>>, YamlError> {
    // The usual file has no separator and no `\r\n`: it is one piece, the text itself (with
    // a final line break).
    if !text.starts_with("---") && !text.contains("\n---") && !text.contains("\r\n") {
        return Ok(match text {
            "" => Vec::new(),
            _ if text.ends_with('\n') => vec![Cow::Borrowed(text)],
            _ => vec![Cow::Owned(format!("{text}\n"))],
        });
    }
    let mut documents = Vec::new();
    let mut buffer = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, after) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let ended = rest.len() > line.len();
        rest = after;
        let line = if ended {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        };
        if let Some(tail) = line.strip_prefix("---") {
            let trimmed = tail.trim_matches(|c: char| c.is_whitespace());
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(YamlError(format!(
                    "error reading yaml document: invalid Yaml document separator: {trimmed}"
                )));
            }
            if !buffer.is_empty() {
                documents.push(Cow::Owned(std::mem::take(&mut buffer)));
                continue;
            }
        }
        buffer.push_str(line);
        buffer.push('\n');
    }
    if !buffer.is_empty() {
        documents.push(Cow::Owned(buffer));
    }
    Ok(documents)
}

/// Runs a step of a recursive walk over a document with enough stack for any depth go-yaml
/// accepts: a fresh stack segment is allocated when less than 128 KiB are left.
pub(crate) fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(128 * 1024, 4 * 1024 * 1024, f)
}

/// Helm's `MergeMaps` of one document into the values so far: nested maps merge, anything
/// else replaces.
fn merge_maps(into: &Map, from: &Map) {
    deep(|| merge_maps_inner(into, from));
}

fn merge_maps_inner(into: &Map, from: &Map) {
    for (key, value) in from.entries() {
        if let Value::Map(incoming) = &value
            && let Some(Value::Map(existing)) = into.get(&key)
        {
            merge_maps(&existing, incoming);
            continue;
        }
        into.insert(key, value);
    }
}
