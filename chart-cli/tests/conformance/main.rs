//! The conformance runner: every vector of `testdata/conformance/` (produced by the real Helm
//! 4.1.4), run through `chart`.
//!
//! * `template`: each case's chart is rendered in process through the CLI's own argument
//!   resolution and the library's engine, and the raw output of the case's template (before
//!   document splitting, after `<no value>` removal) is compared with Helm's.
//! * `setflag`, `values`, `render`: the `chart` binary runs the case's command in the case's
//!   folder, and its stdout, exit code, error and written files are compared with Helm's.
//!
//! It prints `conformance <suite>: <passed>/<total>` per suite. Cases that fail today are listed
//! in `testdata/conformance/known-failures.txt`; the run fails when an unlisted case fails (a
//! regression) or a listed case passes (the list is stale). Arguments: `--suite NAME` and a
//! substring filter on case ids; `-v` prints every failure.

mod cases;
mod runners;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The outcome of one case.
pub struct Outcome {
    pub id: String,
    /// `None` when the case passed; otherwise why it failed.
    pub failure: Option<String>,
}

/// Runs one suite: the data directory and an optional id filter.
type SuiteRunner = fn(&Path, Option<&str>) -> Vec<Outcome>;

fn main() -> ExitCode {
    // The date cases are defined in UTC and the C locale; re-run under them when needed.
    if std::env::var("TZ").as_deref() != Ok("UTC") {
        let status = std::env::current_exe().and_then(|exe| {
            std::process::Command::new(exe)
                .args(std::env::args_os().skip(1))
                .env("TZ", "UTC")
                .env("LC_ALL", "C")
                .status()
        });
        return match status {
            Ok(s) if s.success() => ExitCode::SUCCESS,
            _ => ExitCode::FAILURE,
        };
    }
    // Panics are reported as case failures, not printed.
    std::panic::set_hook(Box::new(|_| {}));
    let args: Vec<String> = std::env::args().skip(1).collect();
    // libtest-style flags that cargo passes (`--nocapture`, `--test-threads`) are ignored.
    let mut suite_filter: Option<String> = None;
    let mut id_filter: Option<String> = None;
    let mut verbose = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--suite" => suite_filter = it.next().cloned(),
            "-v" | "--verbose" => verbose = true,
            s if s.starts_with('-') => {}
            s => id_filter = Some(s.to_string()),
        }
    }
    let root = repo_root();
    let data = root.join("testdata/conformance");
    let known_path = data.join("known-failures.txt");
    let known: BTreeSet<String> = std::fs::read_to_string(&known_path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();

    let suites: [(&str, SuiteRunner); 4] = [
        ("template", runners::run_template_suite),
        ("setflag", runners::run_setflag_suite),
        ("values", runners::run_values_suite),
        ("render", runners::run_render_suite),
    ];
    let mut regressions = Vec::new();
    let mut stale = Vec::new();
    let mut now_failing = Vec::new();
    for (name, run) in suites {
        if suite_filter.as_deref().is_some_and(|s| s != name) {
            continue;
        }
        let outcomes = run(&data, id_filter.as_deref());
        let passed = outcomes.iter().filter(|o| o.failure.is_none()).count();
        println!("conformance {name}: {passed}/{}", outcomes.len());
        for o in &outcomes {
            match (&o.failure, known.contains(&o.id)) {
                (Some(why), false) => regressions.push((o.id.clone(), why.clone())),
                (None, true) => stale.push(o.id.clone()),
                (Some(why), true) => {
                    now_failing.push(o.id.clone());
                    if verbose {
                        println!("  known failure {}: {why}", o.id);
                    }
                }
                (None, false) => {}
            }
        }
    }
    if std::env::var_os("CONFORMANCE_WRITE_KNOWN_FAILURES").is_some()
        && suite_filter.is_none()
        && id_filter.is_none()
    {
        let mut all: Vec<String> = now_failing
            .iter()
            .chain(regressions.iter().map(|(id, _)| id))
            .cloned()
            .collect();
        all.sort();
        let text = format!(
            "# Conformance cases that fail today, one id per line. The runner fails when an unlisted case\n# fails or a listed one passes. Regenerate with CONFORMANCE_WRITE_KNOWN_FAILURES=1.\n{}",
            all.iter().map(|s| format!("{s}\n")).collect::<String>()
        );
        if let Err(e) = std::fs::write(&known_path, text) {
            eprintln!("cannot write {}: {e}", known_path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {} ids to {}", all.len(), known_path.display());
        return ExitCode::SUCCESS;
    }
    let mut ok = true;
    if !regressions.is_empty() {
        ok = false;
        println!(
            "\n{} case(s) failed that are not in known-failures.txt:",
            regressions.len()
        );
        for (id, why) in &regressions {
            println!("--- {id}\n{why}\n");
        }
    }
    if !stale.is_empty() && id_filter.is_none() {
        ok = false;
        println!(
            "\n{} case(s) in known-failures.txt now pass; remove them:",
            stale.len()
        );
        for id in &stale {
            println!("  {id}");
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
