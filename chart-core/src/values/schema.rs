//! `values.schema.json`: checking the coalesced values of a chart and of each subchart
//! against its schema, with the messages Helm 4 prints.
//!
//! Helm 4 validates with santhosh-tekuri/jsonschema v6 (draft 2020-12 unless the schema's
//! `$schema` names another draft) and reports:
//!
//! ```text
//! values don't meet the specifications of the schema(s) in the following chart(s):
//! parent:
//! - at '/port': got string, want integer
//! sub:
//! - at '': missing property 'name'
//! ```
//!
//! The validation itself is done by the `jsonschema` crate; its errors are then arranged the
//! way v6 prints them: one line per error, `at '<JSON pointer>'`, the errors of one
//! location in keyword order (a failing `type`, `const` or `enum` hides the rest of that
//! location, as v6 stops there), and a location holding several errors shown as `validation
//! failed` with its errors indented below it.
//!
//! Known differences: v6 walks object properties in Go's random map order, so Helm's order
//! of errors for different properties varies from run to run; here properties come in byte
//! order. Errors inside `allOf`/`oneOf`/`$ref` are not grouped under their keyword as v6
//! does, and remote `$ref`s are not fetched.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jsonschema::error::ValidationErrorKind;
use serde_json::Value as Json;

use crate::chart::Chart;
use crate::json;
use crate::value::{Map, Value};

/// The values break one or more schemas. `Display` is Helm's whole message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "values don't meet the specifications of the schema(s) in the following chart(s):\n{report}"
)]
pub struct SchemaError {
    /// The per-chart part of the message: `name:` lines, each followed by its errors.
    pub report: String,
}

/// Helm's `ValidateAgainstSchema`: `values` against `chart`'s schema, then each subchart's
/// values (`values[sub.name()]`) against the subchart's, recursively.
pub fn validate_chart(chart: &Chart, values: &Map) -> Result<(), SchemaError> {
    let report = chart_report(chart, values);
    if report.is_empty() {
        Ok(())
    } else {
        Err(SchemaError { report })
    }
}

fn chart_report(chart: &Chart, values: &Map) -> String {
    let mut out = String::new();
    if let Some(Err(e)) = chart.schema.as_ref().map(|s| validate_single(values, s)) {
        let _ = write!(out, "{}:\n{e}", chart.name());
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Nil) => {}
            Some(Value::Map(m)) => out.push_str(&chart_report(sub, &m)),
            Some(other) => {
                let _ = write!(
                    out,
                    "{}:\ninvalid type for values: expected object (map), got {}\n",
                    sub.name(),
                    other.type_name()
                );
            }
        }
    }
    out
}

/// Helm's `ValidateAgainstSingleSchema`: the error lines (each ending with a newline) of one
/// chart's values against one schema.
pub fn validate_single(values: &Map, schema: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(schema);
    // serde_json keeps integers apart from floats, as the `json.Number`s v6 prints do; Go's
    // decoder gives the error text Helm prints for a malformed schema.
    let schema_json: Json = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(_) => {
            let e = json::decode(&text)
                .err()
                .map_or_else(|| "invalid schema".to_string(), |e| e.to_string());
            return Err(format!("{e}\n"));
        }
    };
    let validator = jsonschema::options()
        .with_draft(draft_of(&schema_json))
        .build(&schema_json)
        .map_err(|e| format!("jsonschema: {e}\n"))?;
    let instance = to_json(&Value::Map(values.clone()));
    let mut tree = Node::default();
    for error in validator.iter_errors(&instance) {
        let path = pointer_tokens(error.instance_path().as_str());
        let Some(message) = message(&error, &schema_json, &instance) else {
            continue;
        };
        tree.insert(&path, message);
    }
    if tree.is_empty() {
        return Ok(());
    }
    // v6 writes each error on a new line; Helm trims the first line (the schema's URL).
    let mut out = String::new();
    for unit in tree.units(&[]) {
        unit.render(&mut out, 1);
    }
    let mut report = out.strip_prefix('\n').unwrap_or(&out).to_string();
    report.push('\n');
    Err(report)
}

/// The draft of a schema: its `$schema`, else 2020-12 as santhosh-tekuri/jsonschema assumes.
fn draft_of(schema: &Json) -> jsonschema::Draft {
    let uri = schema
        .get("$schema")
        .and_then(Json::as_str)
        .unwrap_or_default();
    if uri.contains("draft-04") {
        jsonschema::Draft::Draft4
    } else if uri.contains("draft-06") {
        jsonschema::Draft::Draft6
    } else if uri.contains("draft-07") {
        jsonschema::Draft::Draft7
    } else if uri.contains("2019-09") {
        jsonschema::Draft::Draft201909
    } else {
        jsonschema::Draft::Draft202012
    }
}

/// A value as `encoding/json` would see it.
fn to_json(v: &Value) -> Json {
    match v {
        Value::Invalid | Value::Nil => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i, _) => Json::from(*i),
        Value::Uint(u, _) => Json::from(*u),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::String(s) => Json::String(s.to_string()),
        Value::Bytes(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        Value::List(l) => Json::Array(l.items().iter().map(to_json).collect()),
        Value::Map(m) => Json::Object(
            m.entries()
                .into_iter()
                .map(|(k, v)| (k.into(), to_json(&v)))
                .collect(),
        ),
        Value::Complex(..) | Value::Object(_) => Json::Null,
    }
}

fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn pointer(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// One error of one location, ranked in the order v6 checks keywords.
#[derive(Clone, Debug)]
struct Message {
    rank: u8,
    text: String,
    /// `required` errors of one location are reported together.
    missing: Option<String>,
    /// The errors of the subschemas of an `anyOf`/`oneOf`, shown below it.
    causes: Vec<(Vec<String>, String)>,
}

/// Keyword ranks up to this one (`type`, `const`, `enum`, `format`) stop v6 at once.
const RANK_LAST_EARLY: u8 = 4;
/// Where a location's children (properties, items) come among its own keywords.
const RANK_CHILDREN: u8 = 50;
/// `additionalProperties: false`, reported after the properties.
const RANK_ADDITIONAL: u8 = 60;

fn rank(kind: &ValidationErrorKind) -> u8 {
    use ValidationErrorKind as K;
    match kind {
        K::FalseSchema => 0,
        K::Type { .. } => 1,
        K::Constant { .. } => 2,
        K::Enum { .. } => 3,
        K::Format { .. } => 4,
        K::MinProperties { .. } => 10,
        K::MaxProperties { .. } => 11,
        K::Required { .. } => 12,
        K::MinItems { .. } => 13,
        K::MaxItems { .. } => 14,
        K::UniqueItems => 15,
        K::MinLength { .. } => 16,
        K::MaxLength { .. } => 17,
        K::Pattern { .. } => 18,
        K::Minimum { .. } => 20,
        K::Maximum { .. } => 21,
        K::ExclusiveMinimum { .. } => 22,
        K::ExclusiveMaximum { .. } => 23,
        K::MultipleOf { .. } => 24,
        K::AdditionalProperties { .. } => RANK_ADDITIONAL,
        K::AdditionalItems { .. } => 61,
        K::PropertyNames { .. } => 62,
        K::Contains => 63,
        K::Not { .. } => 70,
        K::AnyOf { .. } => 72,
        K::OneOfNotValid { .. } | K::OneOfMultipleValid { .. } => 73,
        K::UnevaluatedProperties { .. } | K::UnevaluatedItems { .. } => 80,
        _ => 90,
    }
}

fn message(
    error: &jsonschema::ValidationError<'_>,
    schema: &Json,
    instance: &Json,
) -> Option<Message> {
    use ValidationErrorKind as K;
    let kind = error.kind();
    let at = pointer_tokens(error.instance_path().as_str());
    let value = resolve(instance, &at);
    let mut missing = None;
    let mut causes = Vec::new();
    let schema_path = error.schema_path().as_str();
    let mut rank = rank(kind);
    let text = match kind {
        K::FalseSchema if schema_path.ends_with("/additionalProperties") => {
            // `additionalProperties: false` compiles to a false schema; v6 names the
            // properties that no `properties` or `patternProperties` entry covers.
            let parent = schema
                .pointer(&schema_path[..schema_path.len() - "/additionalProperties".len()])
                .unwrap_or(&Json::Null);
            let names = unexpected_properties(parent, value);
            if names.is_empty() {
                return None;
            }
            let quoted: Vec<String> = names.iter().map(|n| quote(n)).collect();
            rank = RANK_ADDITIONAL;
            format!("additional properties {} not allowed", quoted.join(", "))
        }
        K::FalseSchema => "false schema".to_string(),
        K::Type { .. } => {
            let keyword = schema.pointer(error.schema_path().as_str());
            format!("got {}, want {}", json_type(value), wanted_types(keyword))
        }
        K::Constant { expected_value } => match expected_value.as_ref() {
            Json::Array(_) | Json::Object(_) => "const failed".into(),
            v => format!("value must be {}", display(v)),
        },
        K::Enum { options } => {
            let items = options.as_array().cloned().unwrap_or_default();
            if items.iter().any(|i| i.is_array() || i.is_object()) {
                "enum failed".into()
            } else if items.len() == 1 {
                format!("value must be {}", display(&items[0]))
            } else {
                let shown: Vec<String> = items.iter().map(display).collect();
                format!("value must be one of {}", shown.join(", "))
            }
        }
        K::Format { format } => format!("{} is not valid {format}", display(value)),
        K::MinProperties { limit } => {
            format!("minProperties: got {}, want {limit}", object_len(value))
        }
        K::MaxProperties { limit } => {
            format!("maxProperties: got {}, want {limit}", object_len(value))
        }
        K::Required { property } => {
            let name = property.as_str().unwrap_or_default().to_string();
            missing = Some(name.clone());
            format!("missing property {}", quote(&name))
        }
        K::MinItems { limit } => format!("minItems: got {}, want {limit}", array_len(value)),
        K::MaxItems { limit } => format!("maxItems: got {}, want {limit}", array_len(value)),
        K::UniqueItems => {
            let (i, j) = first_duplicate(value);
            format!("items at {i} and {j} are equal")
        }
        K::MinLength { limit } => format!("minLength: got {}, want {limit}", rune_len(value)),
        K::MaxLength { limit } => format!("maxLength: got {}, want {limit}", rune_len(value)),
        K::Pattern { pattern } => format!(
            "{} does not match pattern {}",
            quote(value.as_str().unwrap_or_default()),
            quote(pattern)
        ),
        K::Minimum { limit } => format!("minimum: got {}, want {}", number(value), number(limit)),
        K::Maximum { limit } => format!("maximum: got {}, want {}", number(value), number(limit)),
        K::ExclusiveMinimum { limit } => format!(
            "exclusiveMinimum: got {}, want {}",
            number(value),
            number(limit)
        ),
        K::ExclusiveMaximum { limit } => format!(
            "exclusiveMaximum: got {}, want {}",
            number(value),
            number(limit)
        ),
        K::MultipleOf { multiple_of } => format!(
            "multipleOf: got {}, want {}",
            number(value),
            json::format_float(*multiple_of, b'g', 64)
        ),
        K::AdditionalProperties { unexpected } => {
            let mut names = unexpected.clone();
            names.sort();
            let quoted: Vec<String> = names.iter().map(|n| quote(n)).collect();
            format!("additional properties {} not allowed", quoted.join(", "))
        }
        K::AdditionalItems { limit } => format!(
            "last {} additionalItem(s) not allowed",
            array_len(value).saturating_sub(*limit)
        ),
        K::PropertyNames { error } => {
            format!(
                "invalid property {}",
                quote(error.instance().as_str().unwrap_or_default())
            )
        }
        K::Contains => "no items match contains schema".into(),
        K::Not { .. } => "not failed".into(),
        K::AnyOf { context } => {
            causes = sub_causes(context, schema, instance);
            "anyOf failed".into()
        }
        K::OneOfNotValid { context } => {
            causes = sub_causes(context, schema, instance);
            "oneOf failed, none matched".into()
        }
        K::OneOfMultipleValid { .. } => "oneOf failed, subschemas 0, 1 matched".into(),
        K::UnevaluatedProperties { .. } | K::UnevaluatedItems { .. } => "false schema".into(),
        other => format!("{other:?}"),
    };
    Some(Message {
        rank,
        text,
        missing,
        causes,
    })
}

/// The properties of `value` that neither `properties` nor `patternProperties` of `schema`
/// covers, in byte order.
fn unexpected_properties(schema: &Json, value: &Json) -> Vec<String> {
    let Some(object) = value.as_object() else {
        return Vec::new();
    };
    let declared = schema.get("properties").and_then(Json::as_object);
    let patterns: Vec<regex::Regex> = schema
        .get("patternProperties")
        .and_then(Json::as_object)
        .map(|m| m.keys().filter_map(|k| regex::Regex::new(k).ok()).collect())
        .unwrap_or_default();
    let mut names: Vec<String> = object
        .keys()
        .filter(|k| !declared.is_some_and(|d| d.contains_key(*k)))
        .filter(|k| !patterns.iter().any(|p| p.is_match(k)))
        .cloned()
        .collect();
    names.sort();
    names
}

fn sub_causes(
    context: &[Vec<jsonschema::ValidationError<'static>>],
    schema: &Json,
    instance: &Json,
) -> Vec<(Vec<String>, String)> {
    context
        .iter()
        .flatten()
        .filter_map(|e| {
            let at = pointer_tokens(e.instance_path().as_str());
            message(e, schema, instance).map(|m| (at, m.text))
        })
        .collect()
}

fn resolve<'a>(instance: &'a Json, at: &[String]) -> &'a Json {
    let mut current = instance;
    for token in at {
        current = match current {
            Json::Object(m) => m.get(token).unwrap_or(&Json::Null),
            Json::Array(a) => token
                .parse::<usize>()
                .ok()
                .and_then(|i| a.get(i))
                .unwrap_or(&Json::Null),
            _ => &Json::Null,
        };
    }
    current
}

/// v6's names of JSON types (`integer` only ever appears on the wanted side).
fn json_type(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// The `type` keyword's types in v6's fixed order, joined with ` or `.
fn wanted_types(keyword: Option<&Json>) -> String {
    const ORDER: [&str; 7] = [
        "null", "boolean", "number", "integer", "string", "array", "object",
    ];
    let listed: Vec<&str> = match keyword {
        Some(Json::String(s)) => vec![s.as_str()],
        Some(Json::Array(items)) => items.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    };
    ORDER
        .iter()
        .filter(|t| listed.contains(t))
        .copied()
        .collect::<Vec<_>>()
        .join(" or ")
}

fn object_len(v: &Json) -> usize {
    v.as_object().map_or(0, serde_json::Map::len)
}

fn array_len(v: &Json) -> usize {
    v.as_array().map_or(0, Vec::len)
}

fn rune_len(v: &Json) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn first_duplicate(v: &Json) -> (usize, usize) {
    let items = v.as_array().cloned().unwrap_or_default();
    for (i, a) in items.iter().enumerate() {
        for (j, b) in items.iter().enumerate().skip(i + 1) {
            if json_equal(a, b) {
                return (i, j);
            }
        }
    }
    (0, 0)
}

fn json_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, p)| y.get(k).is_some_and(|q| json_equal(p, q)))
        }
        _ => a == b,
    }
}

/// A number as v6 prints it: Go's `%v` of the `float64`.
fn number(v: &Json) -> String {
    v.as_f64()
        .map_or_else(|| v.to_string(), |f| json::format_float(f, b'g', 64))
}

/// v6's `display` of a primitive: a quoted string, `<nil>` for null, else the JSON text.
fn display(v: &Json) -> String {
    match v {
        Json::String(s) => quote(s),
        Json::Null => "<nil>".into(),
        Json::Array(_) | Json::Object(_) => "value".into(),
        other => other.to_string(),
    }
}

/// v6's `quote`: Go's `%q` with `"` left alone and `'` escaped, in single quotes.
fn quote(s: &str) -> String {
    let go = crate::chart::go_quote(s);
    let inner = &go[1..go.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

/// The errors of one instance location and of the locations below it.
#[derive(Default)]
struct Node {
    own: Vec<Message>,
    children: BTreeMap<ChildKey, Node>,
}

/// Children sort as array indices numerically, as property names by bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ChildKey {
    Index(usize),
    Name(String),
}

impl ChildKey {
    fn token(&self) -> String {
        match self {
            ChildKey::Index(i) => i.to_string(),
            ChildKey::Name(n) => n.clone(),
        }
    }
}

/// One line of the report, possibly with lines below it.
struct Unit {
    at: String,
    text: String,
    below: Vec<Unit>,
}

impl Unit {
    fn render(&self, out: &mut String, indent: usize) {
        out.push('\n');
        for _ in 1..indent {
            out.push_str("  ");
        }
        let _ = write!(out, "- at {}: {}", quote(&self.at), self.text);
        for unit in &self.below {
            unit.render(out, indent + 1);
        }
    }
}

impl Node {
    fn insert(&mut self, path: &[String], message: Message) {
        match path.split_first() {
            None => self.own.push(message),
            Some((first, rest)) => {
                let key = match first.parse::<usize>() {
                    Ok(i) if i.to_string() == *first => ChildKey::Index(i),
                    _ => ChildKey::Name(first.clone()),
                };
                self.children.entry(key).or_default().insert(rest, message);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.own.is_empty() && self.children.values().all(Node::is_empty)
    }

    /// The report units of this location, in v6's order.
    fn units(&self, at: &[String]) -> Vec<Unit> {
        let location = pointer(at);
        let mut own = self.own.clone();
        own.sort_by_key(|m| m.rank);
        own.dedup_by(|a, b| a.rank == b.rank && a.text == b.text);
        // A failing type, const, enum or format ends v6's checks of this location.
        if let Some(first) = own.first().filter(|m| m.rank <= RANK_LAST_EARLY) {
            return vec![self.unit_of(first, &location)];
        }
        // All missing properties of a location make one error.
        let mut merged: Vec<Message> = Vec::new();
        for m in own {
            match (&m.missing, merged.last_mut()) {
                (Some(name), Some(last)) if last.missing.is_some() => {
                    let mut names: Vec<String> = last
                        .missing
                        .iter()
                        .flat_map(|n| n.split('\u{0}').map(str::to_string))
                        .collect();
                    names.push(name.clone());
                    last.missing = Some(names.join("\u{0}"));
                    let quoted: Vec<String> = names.iter().map(|n| quote(n)).collect();
                    last.text = format!("missing properties {}", quoted.join(", "));
                }
                _ => merged.push(m),
            }
        }
        let mut units = Vec::new();
        for m in merged.iter().filter(|m| m.rank < RANK_CHILDREN) {
            units.push(self.unit_of(m, &location));
        }
        for (key, child) in &self.children {
            let mut path = at.to_vec();
            path.push(key.token());
            let mut child_units = child.units(&path);
            match child_units.len() {
                0 => {}
                1 => units.append(&mut child_units),
                _ => units.push(Unit {
                    at: pointer(&path),
                    text: "validation failed".into(),
                    below: child_units,
                }),
            }
        }
        for m in merged.iter().filter(|m| m.rank >= RANK_CHILDREN) {
            units.push(self.unit_of(m, &location));
        }
        units
    }

    fn unit_of(&self, m: &Message, location: &str) -> Unit {
        Unit {
            at: location.to_string(),
            text: m.text.clone(),
            below: m
                .causes
                .iter()
                .map(|(at, text)| Unit {
                    at: pointer(at),
                    text: text.clone(),
                    below: Vec::new(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(values: &str, schema: &str) -> Result<(), String> {
        let values = crate::yaml::load_values(values).expect("values");
        validate_single(&values, schema.as_bytes())
    }

    /// Messages Helm 4.1.4 printed for these schemas (errors of different properties come
    /// in random order in Helm; each case here has one failing property).
    #[test]
    fn messages_match_helm() {
        let cases = [
            (
                "port: x",
                r#"{"properties":{"port":{"type":"integer"}}}"#,
                "- at '/port': got string, want integer\n",
            ),
            (
                "port: 0",
                r#"{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"port":{"type":"integer","minimum":1}},"required":["port"]}"#,
                "- at '/port': minimum: got 0, want 1\n",
            ),
            (
                "name: 5",
                r#"{"type":"object","properties":{"name":{"type":"string"}}}"#,
                "- at '/name': got number, want string\n",
            ),
            (
                "a: null",
                r#"{"properties":{"a":{"type":["object","array","string","integer","number","boolean"]}}}"#,
                "- at '/a': got null, want boolean or number or integer or string or array or object\n",
            ),
            (
                "b: 1.5",
                r#"{"properties":{"b":{"type":["integer","null"]}}}"#,
                "- at '/b': got number, want null or integer\n",
            ),
            (
                "q: 5",
                r#"{"properties":{"q":{"enum":[1,"x",null,true]}}}"#,
                "- at '/q': value must be one of 1, 'x', <nil>, true\n",
            ),
            (
                "r: abc",
                r#"{"properties":{"r":{"minLength":5,"maxLength":1,"pattern":"^z$","const":"zz"}}}"#,
                "- at '/r': value must be 'zz'\n",
            ),
            (
                "x: 1",
                r#"{"required":["zz","yy"]}"#,
                "- at '': missing properties 'zz', 'yy'\n",
            ),
            (
                "extra: 1\nother: 2",
                r#"{"additionalProperties":false}"#,
                "- at '': additional properties 'extra', 'other' not allowed\n",
            ),
            (
                "d: 1.5",
                r#"{"properties":{"d":{"type":"integer","minimum":3,"maximum":1}}}"#,
                "- at '/d': got number, want integer\n",
            ),
            (
                "port: 8080",
                r#"{"properties":{"port":{"type":"integer"}}}"#,
                "",
            ),
        ];
        for (values, schema, want) in cases {
            let got = check(values, schema).err().unwrap_or_default();
            assert_eq!(got, want, "{values} / {schema}");
        }
    }

    /// A location with several errors is a group, its errors indented in keyword order.
    #[test]
    fn groups_match_helm() {
        let got = check(
            "t: [1, 1]\nu: 7",
            r#"{"properties":{"t":{"uniqueItems":true,"minItems":3,"maxItems":1},"u":{"multipleOf":2,"exclusiveMaximum":3,"exclusiveMinimum":8}}}"#,
        )
        .expect_err("invalid");
        assert_eq!(
            got,
            "- at '/t': validation failed\n  - at '/t': minItems: got 2, want 3\n  - at '/t': maxItems: got 2, want 1\n  - at '/t': items at 0 and 1 are equal\n- at '/u': validation failed\n  - at '/u': exclusiveMinimum: got 7, want 8\n  - at '/u': exclusiveMaximum: got 7, want 3\n  - at '/u': multipleOf: got 7, want 2\n"
        );
    }

    #[test]
    fn malformed_schema_reports_go_json_error() {
        let got = check("a: 1", "{x").expect_err("bad schema");
        assert!(got.starts_with("invalid character 'x'"), "{got}");
    }
}
