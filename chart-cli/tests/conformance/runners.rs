//! Running each suite.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chart_cli::cli::{Cli, Command as CliCommand};
use chart_cli::settings::TemplateSettings;
use clap::Parser as _;

use crate::Outcome;
use crate::cases::{self, CommandCase, Expected, TemplateCase};

/// The environment every case runs in (the suite's README): UTC, C locale, empty Helm homes,
/// no kubeconfig.
fn case_env(cmd: &mut Command, home: &Path) {
    cmd.env("TZ", "UTC")
        .env("LC_ALL", "C")
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_DATA_HOME", home.join("data"))
        .env_remove("KUBECONFIG")
        .env_remove("HELM_NAMESPACE");
}

fn chart_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_chart"))
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p)?;
    }
    std::fs::write(path, text)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn diff(expected: &str, actual: &str) -> String {
    let d = similar::TextDiff::from_lines(expected, actual);
    let mut s = String::new();
    for change in d.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => "-",
            similar::ChangeTag::Insert => "+",
            similar::ChangeTag::Equal => " ",
        };
        s.push_str(&format!("{sign}{change}"));
        if !change.to_string().ends_with('\n') {
            s.push_str("⏎(no newline)\n");
        }
    }
    s
}

/// Runs `f`, turning a panic into an error message.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_default();
            Err(format!("panicked: {msg}"))
        }
    }
}

fn template_chart_yaml(case: &TemplateCase) -> String {
    let mut meta: Vec<(String, String)> = vec![
        ("apiVersion".into(), "v2".into()),
        ("name".into(), "conformance".into()),
        ("version".into(), "0.1.0".into()),
        ("appVersion".into(), "\"1.0.0\"".into()),
    ];
    for (k, v) in &case.chart {
        let text = cases::yaml_text(v);
        match meta.iter_mut().find(|(mk, _)| mk == k) {
            Some(slot) => slot.1 = text,
            None => meta.push((k.clone(), text)),
        }
    }
    meta.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
}

fn render_template_case(case: &TemplateCase, tmp: &Path) -> Result<String, String> {
    let chart_dir = tmp.join("conformance");
    let io = |e: std::io::Error| e.to_string();
    write(&chart_dir.join("Chart.yaml"), &template_chart_yaml(case)).map_err(io)?;
    if let Some(v) = &case.values {
        write(&chart_dir.join("values.yaml"), v).map_err(io)?;
    }
    for (name, content) in &case.files {
        write(&chart_dir.join(name), content).map_err(io)?;
    }
    write(
        &chart_dir
            .join("templates")
            .join(format!("{}.yaml", case.id)),
        &case.template,
    )
    .map_err(io)?;
    let mut argv: Vec<String> = vec!["chart".into(), "template".into()];
    argv.extend(case.release_name.clone());
    argv.push(chart_dir.to_string_lossy().into_owned());
    argv.extend(case.args.iter().cloned());
    let cli = Cli::try_parse_from(&argv).map_err(|e| e.to_string())?;
    let CliCommand::Template(args) = &cli.command else {
        return Err("not a template command".into());
    };
    let settings = TemplateSettings::resolve(&cli.global, args).map_err(|e| format!("{e:#}"))?;
    let files = chart_cli::commands::template::render_template_files(&settings)
        .map_err(|e| format!("{e:#}"))?;
    let key = format!("conformance/templates/{}.yaml", case.id);
    files
        .get(&key)
        .cloned()
        .ok_or_else(|| format!("no output for {key}"))
}

fn check(expected: &Expected, actual: Result<String, String>) -> Option<String> {
    match (expected, actual) {
        (Expected::Output(want), Ok(got)) if *want == got => None,
        (Expected::Output(want), Ok(got)) => Some(format!("output differs:\n{}", diff(want, &got))),
        (Expected::Output(want), Err(e)) => {
            Some(format!("expected output {want:?}, got error:\n{e}"))
        }
        (Expected::Error(want), Err(e)) if e.contains(want.as_str()) => None,
        (Expected::Error(want), Err(e)) => Some(format!(
            "expected an error containing {want:?}, got error:\n{e}"
        )),
        (Expected::Error(want), Ok(got)) => Some(format!(
            "expected an error containing {want:?}, got output {got:?}"
        )),
        (Expected::Match(re), Ok(got)) => match regex::Regex::new(&format!("^(?:{re})$")) {
            Ok(r) if r.is_match(&got) => None,
            Ok(_) => Some(format!("output {got:?} does not match {re:?}")),
            Err(e) => Some(format!("bad pattern {re:?}: {e}")),
        },
        (Expected::Match(re), Err(e)) => {
            Some(format!("expected output matching {re:?}, got error:\n{e}"))
        }
    }
}

pub fn run_template_suite(data: &Path, filter: Option<&str>) -> Vec<Outcome> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("template"))
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let cases = match cases::template_cases(&file) {
            Ok(c) => c,
            Err(e) => {
                out.push(Outcome {
                    id: file.display().to_string(),
                    failure: Some(e),
                });
                continue;
            }
        };
        for case in cases {
            if filter.is_some_and(|f| !case.id.contains(f)) {
                continue;
            }
            let failure = match tempfile::tempdir() {
                Err(e) => Some(e.to_string()),
                Ok(tmp) => check(
                    &case.expected,
                    guarded(|| render_template_case(&case, tmp.path())),
                ),
            };
            out.push(Outcome {
                id: case.id,
                failure,
            });
        }
    }
    out
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_chart(args: &[String], cwd: &Path, home: &Path) -> Result<Run, String> {
    let mut cmd = Command::new(chart_bin());
    cmd.args(args).current_dir(cwd);
    case_env(&mut cmd, home);
    let out = cmd.output().map_err(|e| format!("cannot run chart: {e}"))?;
    Ok(Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

pub fn run_setflag_suite(data: &Path, filter: Option<&str>) -> Vec<Outcome> {
    let dir = data.join("setflag");
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for file in files {
        for case in cases::setflag_cases(&file).unwrap_or_default() {
            if filter.is_some_and(|f| !case.id.contains(f)) {
                continue;
            }
            let failure = (|| -> Result<Option<String>, String> {
                let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
                copy_dir(&dir.join("chart"), &tmp.path().join("chart"))
                    .map_err(|e| e.to_string())?;
                if let Some(v) = &case.values {
                    write(&tmp.path().join("chart/values.yaml"), v).map_err(|e| e.to_string())?;
                }
                for (name, content) in &case.files {
                    write(&tmp.path().join(name), content).map_err(|e| e.to_string())?;
                }
                let mut args = vec!["template".to_string(), "chart".to_string()];
                args.extend(case.args.iter().cloned());
                let run = run_chart(&args, tmp.path(), &tmp.path().join(".home"))?;
                Ok(match &case.expected {
                    Err(want) => {
                        if run.code != 0 && run.stderr.contains(want.as_str()) {
                            None
                        } else {
                            Some(format!(
                                "expected failure with {want:?}; exit {}, stderr {:?}",
                                run.code, run.stderr
                            ))
                        }
                    }
                    Ok((values, kinds)) => {
                        if run.code != 0 {
                            return Ok(Some(format!("exit {}: {}", run.code, run.stderr)));
                        }
                        let got_values = run
                            .stdout
                            .lines()
                            .find_map(|l| l.strip_prefix("values: "))
                            .unwrap_or_default();
                        let got_kinds: BTreeMap<String, String> = run
                            .stdout
                            .lines()
                            .find_map(|l| l.strip_prefix("kinds: "))
                            .and_then(|k| serde_json::from_str(k).ok())
                            .unwrap_or_default();
                        if got_values != values {
                            Some(format!("values: want {values}\n        got  {got_values}"))
                        } else if &got_kinds != kinds {
                            Some(format!("kinds: want {kinds:?}\n       got  {got_kinds:?}"))
                        } else {
                            None
                        }
                    }
                })
            })()
            .unwrap_or_else(Some);
            out.push(Outcome {
                id: case.id,
                failure,
            });
        }
    }
    out
}

fn list_files(root: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    for entry in rd.flatten() {
        let p = entry.path();
        if p.is_dir() {
            list_files(&p, base, out);
        } else if let Ok(rel) = p.strip_prefix(base) {
            out.insert(
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read_to_string(&p).unwrap_or_default(),
            );
        }
    }
}

fn run_command_case(case: &CommandCase) -> Result<Option<String>, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let work = tmp.path().join("case");
    copy_dir(&case.dir, &work).map_err(|e| e.to_string())?;
    let run = run_chart(&case.command, &work, &tmp.path().join(".home"))?;
    if i64::from(run.code) != case.exit_code {
        return Ok(Some(format!(
            "exit code {} (want {}); stderr:\n{}",
            run.code, case.exit_code, run.stderr
        )));
    }
    if case.exit_code != 0 {
        let want = case.error.clone().unwrap_or_default();
        if !run.stderr.contains(&want) {
            return Ok(Some(format!("stderr lacks {want:?}:\n{}", run.stderr)));
        }
        return Ok(None);
    }
    if let Some(want) = &case.stdout
        && *want != run.stdout
    {
        return Ok(Some(format!(
            "stdout differs:\n{}",
            diff(want, &run.stdout)
        )));
    }
    if let Some(collect) = &case.collect {
        let mut got = BTreeMap::new();
        list_files(&work.join(collect), &work, &mut got);
        if got != case.files {
            let want_keys: Vec<_> = case.files.keys().collect();
            let got_keys: Vec<_> = got.keys().collect();
            if want_keys != got_keys {
                return Ok(Some(format!(
                    "files differ: want {want_keys:?}, got {got_keys:?}"
                )));
            }
            for (k, v) in &case.files {
                if got.get(k) != Some(v) {
                    return Ok(Some(format!(
                        "file {k} differs:\n{}",
                        diff(v, got.get(k).map_or("", String::as_str))
                    )));
                }
            }
        }
    }
    Ok(None)
}

fn run_command_suite(dir: &Path, filter: Option<&str>) -> Vec<Outcome> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("case.yaml").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    let mut out = Vec::new();
    for d in dirs {
        let id = d
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if filter.is_some_and(|f| !id.contains(f)) {
            continue;
        }
        let failure = match cases::command_case(&d) {
            Ok(case) => run_command_case(&case).unwrap_or_else(Some),
            Err(e) => Some(e),
        };
        out.push(Outcome { id, failure });
    }
    out
}

pub fn run_values_suite(data: &Path, filter: Option<&str>) -> Vec<Outcome> {
    run_command_suite(&data.join("values"), filter)
}

pub fn run_render_suite(data: &Path, filter: Option<&str>) -> Vec<Outcome> {
    run_command_suite(&data.join("render"), filter)
}
