//! A big umbrella chart (the benchmarks' generator: the `helm create` scaffold copied as 40
//! subcharts), big enough for the loader and the template parser to spread their work over
//! several threads. The output must not depend on the thread count, and with the reference
//! Helm available it must be Helm's.

use std::path::{Path, PathBuf};

use chart_benches::write_umbrella;
use std::process::Command;

fn render(tool: &Path, chart: &Path, threads: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(tool);
    cmd.args(["template", "umbrella"])
        .arg(chart)
        .args(["--set", "sub007.replicaCount=3"]);
    if let Some(n) = threads {
        cmd.env("CHART_THREADS", n);
    }
    cmd.output().expect("run the template command")
}

#[test]
fn umbrella_output_does_not_depend_on_threads_and_matches_helm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let umbrella = write_umbrella(dir.path(), 40, 0).expect("write the umbrella chart");
    let chart = PathBuf::from(env!("CARGO_BIN_EXE_chart"));
    let one = render(&chart, &umbrella, Some("1"));
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let text = String::from_utf8_lossy(&one.stdout);
    assert_eq!(text.matches("\nkind: Deployment\n").count(), 40, "{text}");
    assert!(text.contains("# Source: umbrella/charts/sub007/templates/deployment.yaml\n"));
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
    for sub in ["sub003", "sub031"] {
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
        err.contains("umbrella/charts/sub031/templates/broken.yaml:1"),
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
    for sub in ["sub003", "sub031"] {
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
