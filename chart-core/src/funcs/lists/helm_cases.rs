//! Edge cases of the collection topics (lists, dicts, defaults, math, reflection), each with
//! the output or error that the reference Helm 4.1.4 produced for it.
//!
//! `helm-cases.jsonl` holds one case a line: a template, and either its exact `output` or a
//! substring of its `error` (the last line of Helm's message, after the last `>: `).
//! `generate-cases.py` re-derives every expected value from Helm; never edit them by hand.
//! All templates see the values of `helm-cases-values.yaml`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::conformance::root;

const CASES: &str = include_str!("helm-cases.jsonl");
const VALUES: &str = include_str!("helm-cases-values.yaml");

#[test]
fn helm_recorded_edge_cases() {
    let mut failures = Vec::new();
    let mut blocked = Vec::new();
    let mut passed = 0;
    for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("a JSON case");
        let template = case["template"].as_str().unwrap_or_default();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            crate::template::render_str("t.yaml", template, root(Some(VALUES)))
                .map_err(|e| format!("{e}\n{}", e.helm_message()))
        }));
        let Ok(result) = outcome else {
            blocked.push(format!(
                "{template}: panicked (a module not implemented yet?)"
            ));
            continue;
        };
        let ok = match (&result, case["output"].as_str(), case["error"].as_str()) {
            (Err(got), _, _) if got.contains("not defined") => {
                blocked.push(format!("{template}: {}", got.lines().next().unwrap_or("")));
                continue;
            }
            (Ok(got), Some(want), _) => got == want,
            (Err(got), _, Some(want)) => got.contains(want),
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failures.push(format!(
                "{template}\n   want {}\n   got  {result:?}",
                case.get("output").unwrap_or(&case["error"])
            ));
        }
    }
    println!("{passed} passed, {} blocked", blocked.len());
    for b in &blocked {
        println!("  blocked {b}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(passed + blocked.len() > 140, "cases missing");
}
