//! The seeds' GitOps flow, end to end: CI renders `charts/app` into `manifests/app.yaml` with
//! the image tag of the build, commits it, and renders again at the next build. Between two
//! builds the committed manifest must change in the image line and nowhere else, or Argo CD
//! would see spurious diffs.
//!
//! With the reference Helm available (`CHART_REFERENCE_HELM`), both renders are also compared
//! with Helm's, byte for byte.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("chart-cli sits in the workspace")
        .to_path_buf()
}

/// Copies a directory tree (the fixture chart) into the scratch repository.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the chart directory");
    for entry in std::fs::read_dir(from).expect("read the fixture chart") {
        let entry = entry.expect("read a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a chart file");
        }
    }
}

/// The CI step: `<tool> template -n test app charts/app -f charts/app/values.yaml
/// --set image.tag=TAG > manifests/app.yaml`, run from the scratch repository.
fn render_step(tool: &Path, repo: &Path, tag: &str) -> Vec<u8> {
    let output = Command::new(tool)
        .current_dir(repo)
        .args([
            "template",
            "-n",
            "test",
            "app",
            "charts/app",
            "-f",
            "charts/app/values.yaml",
            "--set",
            &format!("image.tag={tag}"),
        ])
        .env("HELM_CACHE_HOME", repo.join(".cache"))
        .env("HELM_CONFIG_HOME", repo.join(".config"))
        .env("HELM_DATA_HOME", repo.join(".data"))
        .output()
        .expect("run the template command");
    assert!(
        output.status.success(),
        "{} template failed: {}",
        tool.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Writes the rendered text where the shell redirection of the CI script puts it.
fn commit_manifest(repo: &Path, text: &[u8]) -> String {
    let path = repo.join("manifests/app.yaml");
    std::fs::create_dir_all(path.parent().expect("manifests/")).expect("create manifests/");
    std::fs::write(&path, text).expect("write manifests/app.yaml");
    String::from_utf8(std::fs::read(&path).expect("read it back")).expect("manifests are UTF-8")
}

#[test]
fn new_image_tag_changes_only_the_image_line() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let repo = scratch.path();
    copy_tree(
        &repo_root().join("fixtures/charts/app"),
        &repo.join("charts/app"),
    );
    let chart = PathBuf::from(env!("CARGO_BIN_EXE_chart"));

    let first = commit_manifest(repo, &render_step(&chart, repo, "1.4.2"));
    let second = commit_manifest(repo, &render_step(&chart, repo, "1.4.3"));

    let first_lines: Vec<&str> = first.lines().collect();
    let second_lines: Vec<&str> = second.lines().collect();
    assert_eq!(
        first_lines.len(),
        second_lines.len(),
        "a new tag must not add or remove lines"
    );
    let changed: Vec<(&str, &str)> = first_lines
        .iter()
        .zip(&second_lines)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (*a, *b))
        .collect();
    assert_eq!(
        changed,
        vec![(
            r#"          image: "registry.example.com/team/app:1.4.2""#,
            r#"          image: "registry.example.com/team/app:1.4.3""#,
        )],
        "only the image line may change between two builds"
    );
    assert!(first.contains("# Source: app/templates/deployment.yaml\n"));
    assert!(
        first.contains("  namespace: test\n"),
        "-n test reaches .Release.Namespace"
    );

    // Rendering the same build twice is reproducible: no spurious diff for Argo CD.
    let again = render_step(&chart, repo, "1.4.3");
    assert_eq!(
        second.as_bytes(),
        again.as_slice(),
        "the same build renders the same bytes"
    );
}

#[test]
fn committed_manifests_match_helm() {
    let Some(helm) = std::env::var_os("CHART_REFERENCE_HELM").map(PathBuf::from) else {
        eprintln!(
            "SKIPPED committed_manifests_match_helm: set CHART_REFERENCE_HELM to the reference \
             Helm (../shared/tools/reference-helm prints it; .ci/run sets it)"
        );
        return;
    };
    let scratch = tempfile::tempdir().expect("temp dir");
    let repo = scratch.path();
    copy_tree(
        &repo_root().join("fixtures/charts/app"),
        &repo.join("charts/app"),
    );
    let chart = PathBuf::from(env!("CARGO_BIN_EXE_chart"));
    for tag in ["1.4.2", "1.4.3"] {
        let ours = render_step(&chart, repo, tag);
        let helms = render_step(&helm, repo, tag);
        assert!(
            ours == helms,
            "chart and helm disagree for image.tag={tag}:\n--- helm\n{}\n--- chart\n{}",
            String::from_utf8_lossy(&helms),
            String::from_utf8_lossy(&ours)
        );
    }
}
