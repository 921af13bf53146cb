//! The golden-file suite: `chart` must print exactly what the real Helm printed.
//!
//! Each folder of `testdata/golden/` is a case. Its `args` file holds the command line after
//! `helm` (one argument per line, paths relative to the repository root); the `expected.*`
//! files were recorded from the reference Helm by `scripts/regen-golden` (never by this test):
//!
//! * `expected.stdout`: the exact stdout (when Helm succeeded, or failed after printing);
//! * `expected.error` + `expected.exit_code`: the exact stderr and exit code when Helm failed;
//! * `expected.stderr`: stderr when Helm succeeded and still wrote to stderr (otherwise `chart`
//!   must keep stderr empty on success);
//! * `expected.files/`: the tree written by `--output-dir`.
//!
//! The test runs the `chart` binary with the same arguments in the same environment as the
//! script ran Helm: the repository root as working directory, `TZ=UTC`, `LC_ALL=C`, a fresh
//! `HOME`, empty `HELM_*_HOME` directories, `HELM_PLUGINS` set to `fixtures/plugins` (the
//! post-renderers the cases use), no kubeconfig, nothing else inherited. An
//! `--output-dir` argument is redirected to a temporary directory, and the temporary path is
//! written back to the argument as given in the `wrote ...` lines, as the script does.
//!
//! Helm's `--debug` log lines on stderr (`level=DEBUG msg=…`, which name absolute paths) are
//! left out of the comparison on both sides; `chart` does not print them.
//!
//! Every case runs; the test fails at the end with a unified diff per mismatch and the list of
//! failing cases. `GOLDEN_CASES=app-,crds` runs only cases whose name contains one of the
//! comma-separated words.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The flag whose value is redirected to a temporary directory.
const OUTPUT_DIR_FLAG: &str = "--output-dir";
/// A run that takes longer than this is killed and reported (an endless loop must not hang CI).
const RUN_TIMEOUT: Duration = Duration::from_secs(120);
/// Diffs longer than this many lines are cut.
const MAX_DIFF_LINES: usize = 200;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// One case folder.
struct Case {
    name: String,
    dir: PathBuf,
    args: Vec<String>,
}

/// What Helm did, as recorded in a case folder.
struct Expected {
    exit_code: i32,
    stdout: Vec<u8>,
    /// Helm's stderr: the error text when it failed, its warnings (usually none) when it succeeded.
    stderr: Vec<u8>,
    files: BTreeMap<String, Vec<u8>>,
}

/// What `chart` did.
struct Actual {
    exit_code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    files: BTreeMap<String, Vec<u8>>,
}

fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, String> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

fn read_args(dir: &Path) -> Result<Vec<String>, String> {
    let path = dir.join("args");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text = text.strip_suffix('\n').unwrap_or(&text);
    if text.is_empty() {
        return Ok(Vec::new());
    }
    Ok(text.split('\n').map(str::to_string).collect())
}

/// Every regular file under `top`, keyed by its `/`-separated path relative to `top`.
fn read_tree(top: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    fn walk(top: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                walk(top, &path, out)?;
            } else {
                let rel = path
                    .strip_prefix(top)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, std::fs::read(&path)?);
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    if top.is_dir() {
        walk(top, top, &mut out).map_err(|e| format!("cannot read {}: {e}", top.display()))?;
    }
    Ok(out)
}

fn load_expected(dir: &Path) -> Result<Expected, String> {
    let stdout = read_optional(&dir.join("expected.stdout"))?;
    let error = read_optional(&dir.join("expected.error"))?;
    let files = read_tree(&dir.join("expected.files"))?;
    match error {
        Some(stderr) => {
            let code_path = dir.join("expected.exit_code");
            let code = read_optional(&code_path)?
                .ok_or_else(|| format!("{} is missing", code_path.display()))?;
            let exit_code = String::from_utf8_lossy(&code)
                .trim()
                .parse::<i32>()
                .map_err(|e| format!("bad {}: {e}", code_path.display()))?;
            Ok(Expected {
                exit_code,
                stdout: stdout.unwrap_or_default(),
                stderr,
                files,
            })
        }
        None => Ok(Expected {
            exit_code: 0,
            stdout: stdout.ok_or_else(|| {
                format!(
                    "{} has neither expected.stdout nor expected.error (run scripts/regen-golden)",
                    dir.display()
                )
            })?,
            stderr: read_optional(&dir.join("expected.stderr"))?.unwrap_or_default(),
            files,
        }),
    }
}

/// The cases to run, sorted by name, narrowed by `GOLDEN_CASES`.
fn load_cases(golden: &Path) -> Result<Vec<Case>, String> {
    let filters: Vec<String> = std::env::var("GOLDEN_CASES")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let entries =
        std::fs::read_dir(golden).map_err(|e| format!("cannot read {}: {e}", golden.display()))?;
    let mut cases = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let dir = entry.path();
        if !dir.join("args").is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let args = read_args(&dir)?;
        cases.push(Case { name, dir, args });
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(cases)
}

/// Go's `filepath.Clean` for the paths Helm prints (`out/`, `./out` → `out`).
fn clean_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Replaces the `--output-dir` value by `target`; returns the new arguments and the value
/// as given (when there was one).
fn redirect_output_dir(args: &[String], target: &str) -> (Vec<String>, Option<String>) {
    let mut out = Vec::with_capacity(args.len());
    let mut given = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == OUTPUT_DIR_FLAG {
            match it.next() {
                Some(value) => {
                    given = Some(value.clone());
                    out.push(arg.clone());
                    out.push(target.to_string());
                }
                None => out.push(arg.clone()),
            }
        } else if let Some(value) = arg.strip_prefix(&format!("{OUTPUT_DIR_FLAG}=")) {
            given = Some(value.to_string());
            out.push(format!("{OUTPUT_DIR_FLAG}={target}"));
        } else {
            out.push(arg.clone());
        }
    }
    (out, given)
}

fn replace_bytes(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    if from.is_empty() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(pos) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..pos]);
        out.extend_from_slice(to);
        rest = &rest[pos + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// Runs `chart` once for a case, in a fresh environment.
fn run_chart(root: &Path, args: &[String]) -> Result<Actual, String> {
    let tmp = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let home = tmp.path();
    let output_dir = home.join("output-dir");
    let output_dir_text = output_dir.to_string_lossy().into_owned();
    let (argv, given) = redirect_output_dir(args, &output_dir_text);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chart"));
    cmd.args(&argv)
        .current_dir(root)
        .env_clear()
        .env(
            "PATH",
            std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
        )
        .env("HOME", home.join("home"))
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_DATA_HOME", home.join("data"))
        .env("HELM_PLUGINS", root.join("fixtures").join("plugins"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for sub in ["home", "cache", "config", "data"] {
        std::fs::create_dir_all(home.join(sub)).map_err(|e| e.to_string())?;
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", env!("CARGO_BIN_EXE_chart")))?;
    // Read both pipes while waiting, so a large output cannot block the child.
    let mut out_pipe = child.stdout.take();
    let mut err_pipe = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(p) = out_pipe.as_mut() {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(p) = err_pipe.as_mut() {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > RUN_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("chart did not finish within {RUN_TIMEOUT:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("cannot wait for chart: {e}")),
        }
    };
    let mut stdout = out_reader.join().unwrap_or_default();
    let mut stderr = err_reader.join().unwrap_or_default();
    let mut files = BTreeMap::new();
    if let Some(given) = given {
        let shown = clean_path(&given);
        stdout = replace_bytes(&stdout, output_dir_text.as_bytes(), shown.as_bytes());
        stderr = replace_bytes(&stderr, output_dir_text.as_bytes(), shown.as_bytes());
        files = read_tree(&output_dir)?;
    }
    Ok(Actual {
        exit_code: status.code(),
        stdout,
        stderr,
        files,
    })
}

/// A unified diff of two byte strings, read as text, cut after [`MAX_DIFF_LINES`] lines.
fn diff(expected: &[u8], actual: &[u8]) -> String {
    let expected = String::from_utf8_lossy(expected);
    let actual = String::from_utf8_lossy(actual);
    let text = similar::TextDiff::from_lines(expected.as_ref(), actual.as_ref())
        .unified_diff()
        .context_radius(3)
        .header("expected (helm)", "actual (chart)")
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= MAX_DIFF_LINES {
        return text;
    }
    let mut cut = lines[..MAX_DIFF_LINES].join("\n");
    cut.push_str(&format!(
        "\n... ({} more diff lines)\n",
        lines.len() - MAX_DIFF_LINES
    ));
    cut
}

/// Every difference between Helm's recorded behaviour and `chart`'s.
fn compare(expected: &Expected, actual: &Actual) -> Vec<String> {
    let mut problems = Vec::new();
    if actual.exit_code != Some(expected.exit_code) {
        let got = actual
            .exit_code
            .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string());
        problems.push(format!(
            "exit code: expected {}, got {got}",
            expected.exit_code
        ));
    }
    if actual.stdout != expected.stdout {
        problems.push(format!(
            "stdout differs:\n{}",
            diff(&expected.stdout, &actual.stdout)
        ));
    }
    let (want_err, got_err) = (
        without_debug_log(&expected.stderr),
        without_debug_log(&actual.stderr),
    );
    if got_err != want_err {
        let what = if expected.exit_code == 0 {
            "stderr (Helm's warnings on success)"
        } else {
            "stderr (the error)"
        };
        problems.push(format!("{what} differs:\n{}", diff(&want_err, &got_err)));
    }
    for (path, want) in &expected.files {
        match actual.files.get(path) {
            None => problems.push(format!("--output-dir: {path} was not written")),
            Some(got) if got != want => problems.push(format!(
                "--output-dir: {path} differs:\n{}",
                diff(want, got)
            )),
            Some(_) => {}
        }
    }
    for path in actual.files.keys() {
        if !expected.files.contains_key(path) {
            problems.push(format!(
                "--output-dir: {path} was written, Helm did not write it"
            ));
        }
    }
    problems
}

/// Stderr without Helm's `--debug` log lines.
fn without_debug_log(stderr: &[u8]) -> Vec<u8> {
    stderr
        .split_inclusive(|b| *b == b'\n')
        .filter(|line| !line.starts_with(b"level=DEBUG msg="))
        .flatten()
        .copied()
        .collect()
}

fn check_case(root: &Path, case: &Case) -> Vec<String> {
    let expected = match load_expected(&case.dir) {
        Ok(e) => e,
        Err(e) => return vec![e],
    };
    match run_chart(root, &case.args) {
        Ok(actual) => compare(&expected, &actual),
        Err(e) => vec![e],
    }
}

/// Shell-like quoting of the command line, for the report.
fn command_line(args: &[String]) -> String {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars().all(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '=' | ',')
                })
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect();
    format!("chart {}", quoted.join(" "))
}

#[test]
fn golden_cases_match_helm() {
    let root = repo_root();
    let golden = root.join("testdata").join("golden");
    let cases = match load_cases(&golden) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    assert!(
        !cases.is_empty(),
        "no golden case found under {} (GOLDEN_CASES={:?})",
        golden.display(),
        std::env::var("GOLDEN_CASES").unwrap_or_default()
    );

    // Cases are independent processes: run a few at a time.
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let next = AtomicUsize::new(0);
    let results: Mutex<BTreeMap<String, Vec<String>>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let problems = check_case(&root, case);
                    if let Ok(mut r) = results.lock() {
                        r.insert(case.name.clone(), problems);
                    }
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();

    let mut failing = Vec::new();
    for case in &cases {
        let problems = results
            .get(&case.name)
            .cloned()
            .unwrap_or_else(|| vec!["the case did not run (a worker thread panicked)".to_string()]);
        if problems.is_empty() {
            continue;
        }
        eprintln!("=== golden case {} FAILED", case.name);
        eprintln!("    {}", command_line(&case.args));
        for p in &problems {
            eprintln!("{p}");
        }
        eprintln!();
        failing.push(case.name.as_str());
    }
    eprintln!(
        "golden: {}/{} cases match Helm",
        cases.len() - failing.len(),
        cases.len()
    );
    assert!(
        failing.is_empty(),
        "{} of {} golden cases differ from Helm: {}",
        failing.len(),
        cases.len(),
        failing.join(", ")
    );
}

#[test]
fn output_dir_argument_is_redirected() {
    let args: Vec<String> = ["template", "x", "--output-dir", "out/", "-n", "a"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (argv, given) = redirect_output_dir(&args, "/tmp/t");
    assert_eq!(given.as_deref(), Some("out/"));
    assert_eq!(argv[3], "/tmp/t");
    let (argv, given) = redirect_output_dir(&["--output-dir=o".to_string()], "/tmp/t");
    assert_eq!(given.as_deref(), Some("o"));
    assert_eq!(argv, ["--output-dir=/tmp/t"]);
    assert_eq!(clean_path("out/"), "out");
    assert_eq!(clean_path("./a//b/../c"), "a/c");
    assert_eq!(clean_path("/x/../../y"), "/y");
    assert_eq!(clean_path(""), ".");
}
