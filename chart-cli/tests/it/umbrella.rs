//! A big umbrella chart (the `helm create` scaffold copied as 40 subcharts), big enough for the
//! loader and the template parser to spread their work over several threads. The output must
//! not depend on the thread count, and with the reference Helm available it must be Helm's.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("chart-cli sits in the workspace")
        .to_path_buf()
}

/// Copies the scaffold into `to`, renaming its chart and helpers to `name`.
fn copy_renamed(from: &Path, to: &Path, name: &str) {
    std::fs::create_dir_all(to).expect("create a subchart directory");
    for entry in std::fs::read_dir(from).expect("read the scaffold") {
        let entry = entry.expect("read a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_renamed(&entry.path(), &target, name);
        } else {
            let text = std::fs::read_to_string(entry.path()).expect("read a scaffold file");
            let text = text
                .replace("demo.", &format!("{name}."))
                .replace("name: demo", &format!("name: {name}"));
            std::fs::write(target, text).expect("write a subchart file");
        }
    }
}

fn write_umbrella(dir: &Path, subcharts: usize) -> PathBuf {
    let root = dir.join("umbrella");
    let mut deps = String::new();
    for i in 0..subcharts {
        deps.push_str(&format!("  - name: sub{i:02}\n    version: 0.1.0\n"));
        copy_renamed(
            &repo_root().join("fixtures/charts/demo"),
            &root.join(format!("charts/sub{i:02}")),
            &format!("sub{i:02}"),
        );
    }
    std::fs::write(
        root.join("Chart.yaml"),
        format!("apiVersion: v2\nname: umbrella\nversion: 0.1.0\ndependencies:\n{deps}"),
    )
    .expect("write Chart.yaml");
    std::fs::write(root.join("values.yaml"), "global:\n  team: platform\n").expect("values");
    root
}

fn render(tool: &Path, chart: &Path, threads: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(tool);
    cmd.args(["template", "umbrella"])
        .arg(chart)
        .args(["--set", "sub07.replicaCount=3"]);
    if let Some(n) = threads {
        cmd.env("CHART_THREADS", n);
    }
    cmd.output().expect("run the template command")
}

#[test]
fn umbrella_output_does_not_depend_on_threads_and_matches_helm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let umbrella = write_umbrella(dir.path(), 40);
    let chart = PathBuf::from(env!("CARGO_BIN_EXE_chart"));
    let one = render(&chart, &umbrella, Some("1"));
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let text = String::from_utf8_lossy(&one.stdout);
    assert_eq!(text.matches("\nkind: Deployment\n").count(), 40, "{text}");
    assert!(text.contains("# Source: umbrella/charts/sub07/templates/deployment.yaml\n"));
    assert!(text.contains("  replicas: 3\n"), "{text}");
    for threads in ["2", "4"] {
        let many = render(&chart, &umbrella, Some(threads));
        assert!(many.status.success());
        assert!(
            one.stdout == many.stdout,
            "CHART_THREADS={threads} changed the output"
        );
    }

    // A broken template in two subcharts: the error is the one Helm reports, whatever the
    // thread count.
    for sub in ["sub03", "sub31"] {
        std::fs::write(
            umbrella.join(format!("charts/{sub}/templates/broken.yaml")),
            "{{ if }}\n",
        )
        .expect("write a broken template");
    }
    let one = render(&chart, &umbrella, Some("1"));
    let many = render(&chart, &umbrella, Some("4"));
    assert!(!one.status.success());
    assert_eq!(one.stderr, many.stderr);
    let err = String::from_utf8_lossy(&one.stderr);
    assert!(
        err.contains("umbrella/charts/sub31/templates/broken.yaml:1"),
        "{err}"
    );

    let Some(helm) = std::env::var_os("CHART_REFERENCE_HELM").map(PathBuf::from) else {
        println!(
            "SKIPPED umbrella_output_does_not_depend_on_threads_and_matches_helm (Helm part): \
             set CHART_REFERENCE_HELM to the reference Helm"
        );
        return;
    };
    let theirs = render(&helm, &umbrella, None);
    assert!(!theirs.status.success());
    let theirs_err = String::from_utf8_lossy(&theirs.stderr);
    assert_eq!(
        err.lines().next(),
        theirs_err.lines().next(),
        "first error line differs from Helm's"
    );
    for sub in ["sub03", "sub31"] {
        std::fs::remove_file(umbrella.join(format!("charts/{sub}/templates/broken.yaml")))
            .expect("remove the broken template");
    }
    let ours = render(&chart, &umbrella, None);
    let theirs = render(&helm, &umbrella, None);
    assert!(
        theirs.status.success(),
        "{}",
        String::from_utf8_lossy(&theirs.stderr)
    );
    assert!(
        ours.stdout == theirs.stdout,
        "chart and helm disagree on the umbrella chart"
    );
}
