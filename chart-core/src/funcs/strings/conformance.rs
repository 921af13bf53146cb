//! Runs the conformance cases of this topic's files (`testdata/conformance/template/`
//! `08-strings.yaml`, `11-conversion.yaml`, `14-regex.yaml`) straight through
//! `template::render_str`, with a `common.Values` root whose `Values` come from the case's
//! `values` text.
//!
//! The case files and the values are read with a small YAML-to-value reader of their own
//! (the values module is written elsewhere): plain scalars that look like numbers become
//! `float64`, as Helm's values loader makes them.
//!
//! A case is skipped, not failed, when it needs what this harness or the library does not
//! have yet: extra chart files or `--set` arguments, a function of another topic that is not
//! registered (`function "toYaml" not defined`), or a module that is still a stub (a panic
//! saying `not implemented`).

use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;

use libyaml_safer::{Document, Node, NodeData, Parser, ScalarStyle};

use crate::template::render_str;
use crate::value::{Entries, List, Map, MapType, Value};

/// One template rendered by Helm 4.1.4 (`helm template` with `TZ=UTC LC_ALL=C`), with the
/// chart's `values.yaml` text, and what Helm printed: the output, or (a stable part of) its
/// error message.
pub(in crate::funcs) struct HelmCase {
    pub template: &'static str,
    pub values: &'static str,
    pub expected: Result<&'static str, &'static str>,
}

/// Renders every case as the template `t.yaml` and compares with Helm. Cases that need a
/// function of another topic that is not registered yet, or a stub module, are skipped and
/// counted; any other difference fails the test.
pub(in crate::funcs) fn check_helm_cases(label: &str, cases: &[HelmCase]) {
    silence_stub_panics();
    let (mut passed, mut skipped) = (0, 0);
    let mut failures = Vec::new();
    for case in cases {
        let values = match load_yaml(case.values) {
            Some(Value::Map(m)) => Value::Map(m),
            _ => Value::map(Entries::new()),
        };
        let mut root = Entries::new();
        root.insert("Values".into(), values);
        let data = Value::Map(Map::from_entries(MapType::Values, root));
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            render_str("t.yaml", case.template, data).map_err(|e| e.helm_message())
        }));
        let result = match outcome {
            Ok(result) => result,
            Err(payload) if panic_message(&payload).contains("not implemented") => {
                skipped += 1;
                continue;
            }
            Err(payload) => {
                failures.push(format!(
                    "{}: panicked: {}",
                    case.template,
                    panic_message(&payload)
                ));
                continue;
            }
        };
        if matches!(&result, Err(message) if message.contains("\" not defined")) {
            skipped += 1;
            continue;
        }
        let ok = match (&result, case.expected) {
            (Ok(got), Ok(want)) => got == want,
            (Err(got), Err(want)) => got.contains(want),
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failures.push(format!(
                "{}\n    got:  {result:?}\n    want: {:?}",
                case.template, case.expected
            ));
        }
    }
    println!(
        "{label}: {passed} passed, {} failed, {skipped} skipped",
        failures.len()
    );
    for failure in &failures {
        println!("  FAILED {failure}");
    }
    assert!(
        failures.is_empty(),
        "{label}: {} cases differ from Helm",
        failures.len()
    );
}

/// Cases where we knowingly differ from Helm, with the reason.
const KNOWN_DIVERGENCES: &[(&str, &str)] = &[];

/// The outcome of one file.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: Vec<String>,
    diverged: usize,
    skipped: Vec<String>,
}

#[test]
fn conformance_cases_of_this_topic() {
    silence_stub_panics();
    let mut unexpected = Vec::new();
    for file in ["08-strings.yaml", "11-conversion.yaml", "14-regex.yaml"] {
        let tally = run_file(file);
        println!(
            "{file}: {} passed, {} failed, {} known divergences, {} skipped",
            tally.passed,
            tally.failed.len(),
            tally.diverged,
            tally.skipped.len()
        );
        for skip in &tally.skipped {
            println!("  skipped {skip}");
        }
        for failure in &tally.failed {
            println!("  FAILED {failure}");
        }
        unexpected.extend(tally.failed);
    }
    assert!(unexpected.is_empty(), "{} cases failed", unexpected.len());
}

fn run_file(file: &str) -> Tally {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/conformance/template")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("conformance file is readable");
    let Some(Value::Map(root)) = load_yaml(&text) else {
        panic!("{file} is not a YAML mapping");
    };
    let defaults = root.get("defaults");
    let mut tally = Tally::default();
    let Some(Value::List(cases)) = root.get("cases") else {
        panic!("{file} has no cases");
    };
    for case in cases.items() {
        let field = |key: &str| case.as_map().and_then(|m| m.get(key));
        let text_field = |key: &str| field(key).and_then(|v| v.as_str().map(str::to_string));
        let id = text_field("id").unwrap_or_default();
        if field("files").is_some() || field("args").is_some() || field("chart").is_some() {
            tally
                .skipped
                .push(format!("{id} (needs chart files or flags)"));
            continue;
        }
        let template = text_field("template").unwrap_or_default();
        let values_text = text_field("values").or_else(|| {
            defaults
                .as_ref()
                .and_then(|d| d.as_map().and_then(|m| m.get("values")))
                .and_then(|v| v.as_str().map(str::to_string))
        });
        let values = match values_text.as_deref().map(load_yaml) {
            None => Value::map(Entries::new()),
            Some(Some(Value::Map(m))) => Value::Map(m),
            Some(_) => Value::map(Entries::new()),
        };
        let mut root = Entries::new();
        root.insert("Values".into(), values);
        let data = Value::Map(Map::from_entries(MapType::Values, root));
        let expected = field("expected").and_then(|v| v.as_map().cloned());
        let expected_field = |key: &str| {
            expected
                .as_ref()
                .and_then(|m| m.get(key))
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let name = format!("conformance/templates/{id}.yaml");
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            render_str(&name, &template, data).map_err(|e| e.helm_message())
        }));
        let result = match outcome {
            Ok(result) => result,
            Err(payload) => {
                let message = panic_message(&payload);
                if message.contains("not implemented") {
                    tally.skipped.push(format!("{id} ({message})"));
                } else {
                    tally.failed.push(format!("{id}: panicked: {message}"));
                }
                continue;
            }
        };
        if let Err(message) = &result
            && message.contains("\" not defined")
        {
            tally.skipped.push(format!("{id} ({message})"));
            continue;
        }
        let passed = match (
            &result,
            expected_field("output"),
            expected_field("error"),
            expected_field("match"),
        ) {
            (Ok(got), Some(want), _, _) => *got == want,
            (Err(got), _, Some(want), _) => got.contains(&want),
            (Ok(_), None, None, Some(_)) => true,
            _ => false,
        };
        if passed {
            tally.passed += 1;
        } else if KNOWN_DIVERGENCES.iter().any(|(known, _)| *known == id) {
            tally.diverged += 1;
        } else {
            tally.failed.push(format!(
                "{id}: got {result:?}, want output {:?} / error {:?}",
                expected_field("output"),
                expected_field("error")
            ));
        }
    }
    tally
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Keeps the expected panics of stub modules out of the test output.
fn silence_stub_panics() {
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let text = info.to_string();
        if !text.contains("not implemented") {
            default_hook(info);
        }
    }));
}

/// Reads a YAML document into values: mappings become `map[string]interface {}`, sequences
/// `[]interface {}`, quoted scalars strings, plain scalars `null`/booleans/`float64`
/// numbers/strings as Helm's values loader types them.
fn load_yaml(text: &str) -> Option<Value> {
    let mut input = text.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    let mut document = Document::load(&mut parser).ok()?;
    let root = document.get_root_node()?.clone();
    Some(convert(&document, &root))
}

fn convert(document: &Document, node: &Node) -> Value {
    let child = |index: i32| {
        document
            .get_node(index)
            .map_or(Value::Nil, |n| convert(document, n))
    };
    match &node.data {
        NodeData::NoNode => Value::Nil,
        NodeData::Scalar { value, style } => {
            if *style != ScalarStyle::Plain {
                return Value::from(value.as_str());
            }
            plain_scalar(value)
        }
        NodeData::Sequence { items, .. } => {
            Value::List(List::new(items.iter().map(|&i| child(i)).collect()))
        }
        NodeData::Mapping { pairs, .. } => {
            let entries: Entries = pairs
                .iter()
                .map(|pair| {
                    let key = match child(pair.key) {
                        Value::String(s) => s.to_string(),
                        Value::Float(f) => f.to_string(),
                        Value::Bool(b) => b.to_string(),
                        _ => String::new(),
                    };
                    (key.into(), child(pair.value))
                })
                .collect();
            Value::map(entries)
        }
    }
}

/// A plain scalar typed as Helm's values loader (YAML 1.1 through JSON) types it.
fn plain_scalar(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Nil,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
            Value::Bool(true)
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            Value::Bool(false)
        }
        _ => {
            let numeric = text
                .trim_start_matches(['-', '+'])
                .starts_with(|c: char| c.is_ascii_digit() || c == '.');
            match text.parse::<f64>() {
                Ok(f) if numeric => Value::Float(f),
                _ => Value::from(text),
            }
        }
    }
}
