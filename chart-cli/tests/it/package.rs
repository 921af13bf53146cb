//! `chart package` against the reference Helm: the same chart directory (so the same file
//! times) packaged by both must give the same gunzipped tar stream and the same gzip header,
//! and Helm must render our archive exactly as it renders the directory. The compressed
//! bytes differ (Go's deflate is not ours); that is expected and not asserted.
//!
//! The Helm comparisons need `CHART_REFERENCE_HELM` and say `SKIPPED` without it; the other
//! tests (reproducibility with `SOURCE_DATE_EPOCH`, error messages) always run.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Fixtures packaged by both tools; none has two sibling subcharts, whose order Helm takes
/// from a Go map (random), so their archives must be byte-identical.
const SAME_BYTES: &[&str] = &[
    "app", "demo", "platform", "packaged", "crds", "files", "schema", "imports",
];

/// The length of Helm's gzip header: 10 fixed bytes, XLEN, the 41-byte extra, `Helm\0`.
const GZIP_HEADER_LEN: usize = 10 + 2 + 41 + 5;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Sets the modification time of every file under `dir` (two copies then package alike).
fn set_all_mtimes(dir: &Path, secs: u64) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            set_all_mtimes(&entry.path(), secs);
        } else {
            let f = std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap();
            f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
                .unwrap();
        }
    }
}

/// Runs a tool in `cwd` with a clean Helm environment.
fn run(tool: &Path, cwd: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let home = cwd.join(".home");
    let mut cmd = Command::new(tool);
    cmd.current_dir(cwd)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_DATA_HOME", home.join("data"));
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn chart_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_chart"))
}

/// Decompresses with the system `gzip` (the test binary has no deflate crate).
fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = Command::new("gzip")
        .arg("-dc")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip on PATH");
    let mut stdin = child.stdin.take().unwrap();
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    writer.join().unwrap().unwrap();
    assert!(child.wait().unwrap().success(), "gzip -dc failed");
    out
}

/// The tar entries (header block + padded data) of a stream, for order-insensitive checks.
fn tar_entries(tar: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 512 <= tar.len() && tar[i..i + 512].iter().any(|&b| b != 0) {
        let size_text = String::from_utf8_lossy(&tar[i + 124..i + 135]).to_string();
        let size = usize::from_str_radix(size_text.trim_matches(['\0', ' ']), 8).unwrap();
        let end = i + 512 + size.div_ceil(512) * 512;
        out.push(tar[i..end].to_vec());
        i = end;
    }
    out
}

fn helm() -> Option<PathBuf> {
    std::env::var_os("CHART_REFERENCE_HELM").map(PathBuf::from)
}

/// Packages `name` (a copy under `work`) with both tools; returns (helm's .tgz, ours).
fn package_both(helm: &Path, work: &Path, name: &str) -> (Vec<u8>, Vec<u8>) {
    let h = run(helm, work, &["package", name, "-d", "out-helm"], &[]);
    assert!(
        h.status.success(),
        "helm package {name}: {}",
        String::from_utf8_lossy(&h.stderr)
    );
    let c = run(
        &chart_bin(),
        work,
        &["package", name, "-d", "out-chart"],
        &[],
    );
    assert!(
        c.status.success(),
        "chart package {name}: {}",
        String::from_utf8_lossy(&c.stderr)
    );
    assert!(c.stderr.is_empty());
    let h_out = String::from_utf8_lossy(&h.stdout).replace("out-helm", "OUT");
    let c_out = String::from_utf8_lossy(&c.stdout).replace("out-chart", "OUT");
    assert_eq!(c_out, h_out, "stdout of package {name}");
    let file = h_out
        .trim_end()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let hb = std::fs::read(work.join("out-helm").join(&file)).unwrap();
    let cb = std::fs::read(work.join("out-chart").join(&file)).unwrap();
    (hb, cb)
}

#[test]
fn packages_match_helm() {
    let Some(helm) = helm() else {
        println!(
            "SKIPPED packages_match_helm: set CHART_REFERENCE_HELM to the reference Helm to \
             compare archives"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    let fixtures = repo_root().join("fixtures/charts");
    let mut compressed_equal = 0;
    for name in SAME_BYTES {
        copy_tree(&fixtures.join(name), &work.join(name));
        let (hb, cb) = package_both(&helm, work, name);
        assert_eq!(
            &cb[..GZIP_HEADER_LEN],
            &hb[..GZIP_HEADER_LEN],
            "gzip header of {name}"
        );
        let (ht, ct) = (gunzip(&hb), gunzip(&cb));
        assert!(ht == ct, "the tar stream of {name} differs from Helm's");
        if hb == cb {
            compressed_equal += 1;
        }
        // Helm renders our archive as it renders the directory.
        let archive = work.join("out-chart").join(
            std::fs::read_dir(work.join("out-chart"))
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .find(|f| f.to_string_lossy().starts_with(&format!("{name}-")))
                .unwrap(),
        );
        let from_dir = run(&helm, work, &["template", "x", name], &[]);
        let from_tgz = run(
            &helm,
            work,
            &["template", "x", archive.to_str().unwrap()],
            &[],
        );
        assert_eq!(from_tgz.stdout, from_dir.stdout, "helm template of {name}");
        assert_eq!(from_tgz.status.code(), from_dir.status.code());
    }
    println!(
        "packages_match_helm: {compressed_equal}/{} archives also equal in compressed bytes",
        SAME_BYTES.len()
    );
}

#[test]
fn overrides_and_sibling_subcharts_match_helm() {
    let Some(helm) = helm() else {
        println!("SKIPPED overrides_and_sibling_subcharts_match_helm: set CHART_REFERENCE_HELM");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    copy_tree(
        &repo_root().join("fixtures/charts/toggles"),
        &work.join("toggles"),
    );
    // Helm writes sibling subcharts in random order: compare the entries as a set.
    let (hb, cb) = package_both(&helm, work, "toggles");
    let mut he = tar_entries(&gunzip(&hb));
    let mut ce = tar_entries(&gunzip(&cb));
    assert_eq!(ce.len(), he.len());
    he.sort();
    ce.sort();
    assert!(he == ce, "the entries of toggles differ from Helm's");

    // --version and --app-version.
    copy_tree(&repo_root().join("fixtures/charts/app"), &work.join("app"));
    let args = [
        "package",
        "app",
        "--version",
        "v2.0.0-rc.1+build.5",
        "--app-version",
        "0001",
        "-d",
    ];
    let h = run(&helm, work, &[&args[..], &["o-h"]].concat(), &[]);
    let c = run(&chart_bin(), work, &[&args[..], &["o-c"]].concat(), &[]);
    assert!(h.status.success() && c.status.success());
    let file = "app-v2.0.0-rc.1+build.5.tgz";
    let ht = gunzip(&std::fs::read(work.join("o-h").join(file)).unwrap());
    let ct = gunzip(&std::fs::read(work.join("o-c").join(file)).unwrap());
    assert!(ht == ct, "tar stream with --version/--app-version differs");
}

#[test]
fn errors_match_helm() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    copy_tree(&repo_root().join("fixtures/charts/app"), &work.join("app"));
    std::fs::create_dir_all(work.join("empty")).unwrap();
    std::fs::create_dir_all(work.join("v3")).unwrap();
    std::fs::write(
        work.join("v3/Chart.yaml"),
        "apiVersion: v3\nname: v3\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::create_dir_all(work.join("schema")).unwrap();
    std::fs::write(
        work.join("schema/Chart.yaml"),
        "apiVersion: v2\nname: schema\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(work.join("schema/values.schema.json"), "{bad\n").unwrap();
    let cases: &[(&[&str], String)] = &[
        (
            &["package", "app", "--version", "1.2.x"],
            "Error: invalid semantic version\n".to_string(),
        ),
        (
            &["package", "v3"],
            "Error: invalid chart apiVersion\n".to_string(),
        ),
        (
            &["package", "schema"],
            "Error: failed to save: invalid JSON in values.schema.json\n".to_string(),
        ),
        (
            &["package", "missing"],
            "Error: stat missing: no such file or directory\n".to_string(),
        ),
        (
            &["package", "empty"],
            format!(
                "Error: unable to detect chart at {0}/empty/Chart.yaml: open \
                 {0}/empty/Chart.yaml: no such file or directory\n",
                work.canonicalize().unwrap().display()
            ),
        ),
    ];
    for (args, want) in cases {
        let c = run(&chart_bin(), &work.canonicalize().unwrap(), args, &[]);
        assert_eq!(c.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&c.stderr), *want, "{args:?}");
        if let Some(helm) = helm() {
            let h = run(&helm, &work.canonicalize().unwrap(), args, &[]);
            assert_eq!(h.status.code(), Some(1), "helm {args:?}");
            assert_eq!(String::from_utf8_lossy(&h.stderr), *want, "helm {args:?}");
        }
    }
    // Nothing was written by the failures.
    assert!(!work.join("app-1.2.x.tgz").exists());
    assert!(!work.join("schema-1.0.0.tgz").exists());
}

#[test]
fn source_date_epoch_gives_identical_packages() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = repo_root().join("fixtures/charts/platform");
    let mut outputs = Vec::new();
    for checkout in ["one", "two"] {
        let dir = tmp.path().join(checkout);
        copy_tree(&fixture, &dir.join("platform"));
        // Different file times in each checkout.
        let f = std::fs::File::options()
            .write(true)
            .open(dir.join("platform/values.yaml"))
            .unwrap();
        let secs = if checkout == "one" {
            1_000_000
        } else {
            2_000_000
        };
        f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
            .unwrap();
        let out = run(
            &chart_bin(),
            &dir,
            &["package", "platform"],
            &[("SOURCE_DATE_EPOCH", "1700000000")],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!(
                "Successfully packaged chart and saved it to: {}/platform-0.9.0.tgz\n",
                dir.canonicalize().unwrap().display()
            )
        );
        outputs.push(std::fs::read(dir.join("platform-0.9.0.tgz")).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    let tar = gunzip(&outputs[0]);
    for entry in tar_entries(&tar) {
        assert_eq!(&entry[136..148], b"14524770400\0", "mtime 1700000000");
    }
}

#[test]
fn dependency_update_of_file_dependencies_matches_helm() {
    let tmp = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    let tools: Vec<(&str, PathBuf)> = std::iter::once(("chart", chart_bin()))
        .chain(helm().map(|h| ("helm", h)))
        .collect();
    for (label, tool) in &tools {
        let work = tmp.path().join(label);
        copy_tree(&repo_root().join("fixtures/charts/app"), &work.join("sub"));
        copy_tree(
            &repo_root().join("fixtures/charts/packaged/charts"),
            &work.join("parent/charts"),
        );
        std::fs::write(
            work.join("parent/Chart.yaml"),
            "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n- name: app\n  \
             version: \">=1.0.0\"\n  repository: file://../sub\n",
        )
        .unwrap();
        std::fs::write(work.join("parent/values.yaml"), "x: 1\n").unwrap();
        set_all_mtimes(&work, 1_600_000_000);
        let out = run(tool, &work, &["package", "-u", "parent", "-d", "out"], &[]);
        assert!(
            out.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "Successfully packaged chart and saved it to: out/parent-0.1.0.tgz\n"
        );
        // The outdated archive is gone, the dependency is packaged, the lock written.
        let charts: Vec<String> = std::fs::read_dir(work.join("parent/charts"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(charts, ["app-1.4.2.tgz"], "{label}");
        let lock = std::fs::read_to_string(work.join("parent/Chart.lock")).unwrap();
        let (head, generated) = lock.split_once("generated: ").unwrap();
        assert!(generated.starts_with('"') && generated.ends_with("Z\"\n"));
        let sub = gunzip(&std::fs::read(work.join("parent/charts/app-1.4.2.tgz")).unwrap());
        results.push((head.to_string(), sub));
    }
    assert_eq!(
        results[0].0,
        "dependencies:\n- name: app\n  repository: file://../sub\n  version: 1.4.2\n\
         digest: sha256:c2b816f4ab6a9fe087f6fa94e823ada9ff1eef1b98a3277c258ef5bfe986f884\n"
    );
    if results.len() == 2 {
        assert_eq!(results[0].0, results[1].0, "Chart.lock");
        assert!(
            results[0].1 == results[1].1,
            "charts/app-1.4.2.tgz tar stream"
        );
    } else {
        println!("SKIPPED the Helm half of dependency_update_of_file_dependencies_matches_helm");
    }
}

#[test]
fn rich_metadata_and_v1_charts_match_helm() {
    let Some(helm) = helm() else {
        println!("SKIPPED rich_metadata_and_v1_charts_match_helm: set CHART_REFERENCE_HELM");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    let write = |rel: &str, text: &str| {
        let p = work.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    // Every Chart.yaml field, quoting traps and a line long enough to be folded.
    write(
        "rich/Chart.yaml",
        include_str!("package_data/rich-Chart.yaml"),
    );
    write(
        "rich/charts/dep/Chart.yaml",
        "apiVersion: v2\nname: dep\nversion: 1.0.3\n",
    );
    // apiVersion v1: dependencies in requirements.yaml, lock in requirements.lock.
    write(
        "v1/Chart.yaml",
        "apiVersion: v1\nname: v1\nversion: 0.1.0\n",
    );
    let reqs = "dependencies:\n- name: dep\n  version: 1.0.3\n  repository: file://x\n";
    write("v1/requirements.yaml", reqs);
    write(
        "v1/requirements.lock",
        &format!("{reqs}digest: sha256:x\ngenerated: \"2020-01-01T00:00:00Z\"\n"),
    );
    write(
        "v1/charts/dep/Chart.yaml",
        "apiVersion: v2\nname: dep\nversion: 1.0.3\n",
    );
    for name in ["rich", "v1"] {
        let (hb, cb) = package_both(&helm, work, name);
        assert!(
            gunzip(&hb) == gunzip(&cb),
            "the tar stream of {name} differs"
        );
        for what in ["chart", "all"] {
            let h = run(&helm, work, &["show", what, name], &[]);
            let c = run(&chart_bin(), work, &["show", what, name], &[]);
            assert_eq!(
                String::from_utf8_lossy(&c.stdout),
                String::from_utf8_lossy(&h.stdout),
                "show {what} {name}"
            );
        }
    }
}

/// `dependency update` and `dependency build` package `file://` dependencies into `charts/`
/// as Helm's `tarFromLocalDir` does: same messages, same lock, same tar stream.
#[test]
fn dependency_commands_package_file_dependencies_as_helm() {
    let tmp = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    let tools: Vec<(&str, PathBuf)> = std::iter::once(("chart", chart_bin()))
        .chain(helm().map(|h| ("helm", h)))
        .collect();
    for (label, tool) in &tools {
        let work = tmp.path().join(label);
        copy_tree(&repo_root().join("fixtures/charts/app"), &work.join("sub"));
        // An archive that is no dependency any more: Helm deletes it.
        copy_tree(
            &repo_root().join("fixtures/charts/packaged/charts"),
            &work.join("parent/charts"),
        );
        std::fs::write(
            work.join("parent/Chart.yaml"),
            "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n- name: app\n  \
             version: \"~1.4.0\"\n  repository: file://../sub\n",
        )
        .unwrap();
        set_all_mtimes(&work, 1_600_000_000);
        let update = run(tool, &work, &["dependency", "update", "parent"], &[]);
        assert!(
            update.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&update.stderr)
        );
        let charts: Vec<String> = std::fs::read_dir(work.join("parent/charts"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(
            charts,
            ["app-1.4.2.tgz"],
            "{label}: outdated charts are deleted"
        );
        let lock = std::fs::read_to_string(work.join("parent/Chart.lock")).unwrap();
        let (head, _) = lock.split_once("generated: ").unwrap();
        let archive = work.join("parent/charts/app-1.4.2.tgz");
        let tar = gunzip(&std::fs::read(&archive).unwrap());
        // `build` from the lock rebuilds the same archive.
        std::fs::remove_file(&archive).unwrap();
        let build = run(tool, &work, &["dependency", "build", "parent"], &[]);
        assert!(
            build.status.success(),
            "{label} build: {}",
            String::from_utf8_lossy(&build.stderr)
        );
        assert!(
            gunzip(&std::fs::read(&archive).unwrap()) == tar,
            "{label}: build"
        );
        results.push((update.stdout, build.stdout, head.to_string(), tar));
    }
    assert!(results[0].2.starts_with(
        "dependencies:\n- name: app\n  repository: file://../sub\n  version: 1.4.2\n"
    ));
    if results.len() == 2 {
        assert_eq!(
            String::from_utf8_lossy(&results[0].0),
            String::from_utf8_lossy(&results[1].0),
            "update output"
        );
        assert_eq!(
            String::from_utf8_lossy(&results[0].1),
            String::from_utf8_lossy(&results[1].1),
            "build output"
        );
        assert_eq!(results[0].2, results[1].2, "Chart.lock");
        assert!(
            results[0].3 == results[1].3,
            "charts/app-1.4.2.tgz tar stream"
        );
    } else {
        println!("SKIPPED the Helm half of dependency_commands_package_file_dependencies_as_helm");
    }
}

/// Provenance is not implemented: `--sign` fails clearly and writes nothing.
#[test]
fn sign_is_refused_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(
        &repo_root().join("fixtures/charts/app"),
        &tmp.path().join("app"),
    );
    let out = run(
        &chart_bin(),
        tmp.path(),
        &["package", "app", "--sign", "--key", "k", "-d", "out"],
        &[],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--sign is not supported yet"), "{err}");
    assert!(!tmp.path().join("out").exists());
}
