//! The values conformance cases (`testdata/conformance/values/`): each case's chart is
//! loaded, its `-f`/`--set` arguments applied, dependencies processed and values coalesced,
//! and the `.Values` of every chart scope compared with what Helm 4.1.4 rendered.

use std::path::{Path, PathBuf};

use super::{SchemaCheck, prepare_values, subchart_values};
use crate::chart::{self, Chart};
use crate::value::{Map, Value};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/conformance/values")
}

fn field(m: &Map, key: &str) -> Option<Value> {
    m.get(key)
}

fn text(v: Option<Value>) -> Option<String> {
    v.and_then(|v| v.as_str().map(str::to_string))
}

/// A small `--set` for the shapes the cases use: dotted keys, and Helm's typing of the
/// value (`true`/`false`/`null` in any case, int64 integers, strings otherwise).
fn set_path(base: &Map, path: &str, value: Value) {
    let segments: Vec<&str> = path.split('.').collect();
    let mut current = base.clone();
    for (i, seg) in segments.iter().enumerate() {
        if i + 1 == segments.len() {
            current.insert(*seg, value);
            return;
        }
        let next = match current.get(*seg) {
            Some(Value::Map(m)) => m,
            _ => {
                let m = Map::new();
                current.insert(*seg, Value::Map(m.clone()));
                m
            }
        };
        current = next;
    }
}

fn typed_set_value(raw: &str) -> Value {
    match raw.to_ascii_lowercase().as_str() {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        "null" => return Value::Nil,
        _ => {}
    }
    let plain_integer = raw == "0" || (!raw.starts_with('0') && !raw.starts_with("-0"));
    if let Some(i) = raw.parse::<i64>().ok().filter(|_| plain_integer) {
        return Value::int64(i);
    }
    Value::string(raw)
}

/// Helm's `-f` merge: later files win, tables merge.
fn merge_maps(dst: &Map, src: &Map) {
    for (k, v) in src.entries() {
        match (dst.get(&k), &v) {
            (Some(Value::Map(a)), Value::Map(b)) => merge_maps(&a, b),
            _ => {
                dst.insert(k, v);
            }
        }
    }
}

fn user_values(dir: &Path, args: &[String]) -> Map {
    let user = Map::new();
    let mut sets = Vec::new();
    let mut strings = Vec::new();
    let mut jsons = Vec::new();
    let mut i = 0;
    while i + 1 < args.len() {
        let (flag, arg) = (&args[i], &args[i + 1]);
        match flag.as_str() {
            "-f" | "--values" => {
                let text = std::fs::read_to_string(dir.join(arg)).expect("values file");
                let m = crate::yaml::load_values(&text).expect("values file parses");
                merge_maps(&user, &m);
            }
            "--set" => sets.push(arg.clone()),
            "--set-string" => strings.push(arg.clone()),
            "--set-json" => jsons.push(arg.clone()),
            other => panic!("unsupported flag {other}"),
        }
        i += 2;
    }
    for s in jsons {
        let (k, v) = s.split_once('=').expect("key=value");
        set_path(&user, k, crate::json::decode(v).expect("json"));
    }
    for s in sets {
        let (k, v) = s.split_once('=').expect("key=value");
        set_path(&user, k, typed_set_value(v));
    }
    for s in strings {
        let (k, v) = s.split_once('=').expect("key=value");
        set_path(&user, k, Value::string(v));
    }
    user
}

/// The `.Values` of each chart that renders `templates/values-seen.yaml`, keyed by the
/// `# Source:` path Helm prints.
fn values_seen(chart: &Chart, values: &Map, path: &str, out: &mut Vec<(String, String)>) {
    if !chart.is_library()
        && chart
            .templates
            .iter()
            .any(|t| t.name == "templates/values-seen.yaml")
    {
        let json = crate::json::encode(&Value::Map(values.clone())).expect("json");
        out.push((format!("{path}/templates/values-seen.yaml"), json));
    }
    for sub in &chart.dependencies {
        let scope = subchart_values(values, sub.name());
        values_seen(sub, &scope, &format!("{path}/charts/{}", sub.name()), out);
    }
}

fn run_case(dir: &Path) -> Result<(), String> {
    let case_text = std::fs::read_to_string(dir.join("case.yaml")).map_err(|e| e.to_string())?;
    let case = crate::yaml::from_yaml_map(&case_text).map_err(|e| e.0)?;
    let command: Vec<String> = field(&case, "command")
        .and_then(|c| {
            c.as_list().map(|l| {
                l.items()
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
        })
        .unwrap_or_default();
    let expected = field(&case, "expected")
        .and_then(|e| e.as_map().cloned())
        .unwrap_or_default();
    let want_error = text(expected.get("error"));

    let outcome = (|| -> Result<Vec<(String, String)>, String> {
        let mut chart = chart::load(dir.join("chart")).map_err(|e| e.to_string())?;
        if chart.is_library() {
            return Err("library charts are not installable".into());
        }
        chart.check_dependencies().map_err(|e| {
            format!("an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: {e}")
        })?;
        let user = user_values(dir, command.get(2..).unwrap_or_default());
        let prepared =
            prepare_values(&mut chart, &user, SchemaCheck::Validate).map_err(|e| e.to_string())?;
        let mut seen = Vec::new();
        values_seen(&chart, &prepared.values, chart.name(), &mut seen);
        Ok(seen)
    })();

    match (outcome, want_error) {
        (Err(got), Some(want)) if got.contains(&want) => Ok(()),
        (Err(got), Some(want)) => Err(format!("error {got:?} does not contain {want:?}")),
        (Err(got), None) => Err(format!("unexpected error {got:?}")),
        (Ok(_), Some(want)) => Err(format!("expected error {want:?}")),
        (Ok(mut seen), None) => {
            let mut want: Vec<(String, String)> = expected
                .get("values_seen")
                .and_then(|v| v.as_map().cloned())
                .map(|m| {
                    m.entries()
                        .into_iter()
                        .filter_map(|(k, v)| v.as_str().map(|s| (k.to_string(), s.to_string())))
                        .collect()
                })
                .unwrap_or_default();
            seen.sort();
            want.sort();
            if seen == want {
                Ok(())
            } else {
                Err(format!("values seen\n  got:  {seen:?}\n  want: {want:?}"))
            }
        }
    }
}

#[test]
fn values_conformance_cases() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("cases")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("case.yaml").exists())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    for dir in &dirs {
        if let Err(e) = run_case(dir) {
            failures.push(format!(
                "{}: {e}",
                dir.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
    }
    let passed = dirs.len() - failures.len();
    eprintln!("values conformance: {passed}/{} passed", dirs.len());
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Prints the `.Values` of every scope of the chart in `$CHART_DIR` (with `$CHART_ARGS`,
/// space-separated `-f`/`--set` arguments relative to the chart's parent): a probe to compare
/// with `helm template` by hand.
#[test]
#[ignore]
fn probe_chart_dir() {
    let Ok(dir) = std::env::var("CHART_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let args: Vec<String> = std::env::var("CHART_ARGS")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut chart = chart::load(&dir).expect("load");
    let user = user_values(dir.parent().unwrap_or(Path::new(".")), &args);
    match prepare_values(&mut chart, &user, SchemaCheck::Validate) {
        Ok(prepared) => {
            let mut seen = Vec::new();
            values_seen(&chart, &prepared.values, chart.name(), &mut seen);
            for (path, json) in seen {
                println!("{path}: {json}");
            }
            for w in prepared.warnings {
                println!("{w}");
            }
        }
        Err(e) => println!("Error: {e}"),
    }
}
