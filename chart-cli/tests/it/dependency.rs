//! `chart dependency list|update|build` against a served repository (the fixtures of
//! `fixtures/repo/`, see [`crate::repo`]): the status table, `Chart.lock` (digest included)
//! and `charts/`, compared with the reference Helm (`CHART_REFERENCE_HELM`) run on a copy of
//! the same chart with its own Helm homes; Helm's errors for a missing or stale lock; and
//! `dependency build` offline from the content cache once the server is gone (Helm 4 fails
//! there).

use std::path::Path;

use crate::repo::{Homes, reference_helm, repo_root, served_repo};

fn write_chart(dir: &Path, deps: &str) {
    std::fs::create_dir_all(dir).expect("chart dir");
    std::fs::write(
        dir.join("Chart.yaml"),
        format!("apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n{deps}"),
    )
    .expect("Chart.yaml");
}

/// `Chart.lock` without its `generated` line.
fn lock_without_time(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("Chart.lock"))
        .expect("Chart.lock")
        .lines()
        .filter(|l| !l.starts_with("generated:"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The files of `charts/` with their bytes, sorted.
fn charts_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("charts"))
        .expect("charts/")
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    found.sort();
    found
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo_root().join("fixtures/repo").join(name)).expect("fixture")
}

fn url_deps(url: &str) -> String {
    format!(
        "- name: hello\n  version: \"~0.1.0\"\n  repository: {url}\n\
         - name: hello\n  alias: h2\n  version: \">=0.1.0\"\n  repository: {url}/\n  \
         condition: h2.enabled\n  tags: [a, b]\n  import-values: [data, {{child: x, parent: y}}]\n"
    )
}

#[test]
fn update_and_list_match_reference_helm() {
    let homes = Homes::new();
    let (server, _dir) = served_repo(&homes);
    let chart = homes.path("umbrella");
    write_chart(&chart, &url_deps(&server.url()));

    let before = homes.chart_ok(&["dependency", "list", "umbrella"]);
    assert!(before.starts_with("NAME \tVERSION\tREPOSITORY"), "{before}");
    assert_eq!(before.matches("\tmissing\n").count(), 2, "{before}");

    let up = homes.chart_ok(&["dep", "update", "umbrella"]);
    let expected_up = format!(
        "Getting updates for unmanaged Helm repositories...\n\
         ...Successfully got an update from the \"{0}\" chart repository\n\
         Saving 2 charts\n\
         Downloading hello from repo {0}\n\
         Downloading hello from repo {0}/\n\
         Deleting outdated charts\n",
        server.url()
    );
    assert_eq!(up, expected_up);
    let lock = lock_without_time(&chart);
    assert!(lock.contains("  version: 0.1.0\n") && lock.contains("  version: 0.2.0\n"));
    assert!(lock.contains("digest: sha256:"), "{lock}");
    assert_eq!(
        charts_dir(&chart),
        vec![
            ("hello-0.1.0.tgz".to_string(), fixture("hello-0.1.0.tgz")),
            ("hello-0.2.0.tgz".to_string(), fixture("hello-0.2.0.tgz")),
        ]
    );
    let after = homes.chart_ok(&["dependency", "list", "umbrella"]);
    assert_eq!(after.matches("\ttoo many matches\n").count(), 2, "{after}");
    // The lock is in sync: build accepts it (the repository is not configured, so it stops
    // where Helm stops, at the repository check).
    let err = homes.chart_err(&["dependency", "build", "umbrella"]);
    assert!(
        err.contains("Please add the missing repos via 'helm repo add'"),
        "{err}"
    );

    let Some(helm) = reference_helm("update_and_list_match_reference_helm") else {
        return;
    };
    let helm_homes = Homes::new();
    let helm_chart = helm_homes.path("umbrella");
    write_chart(&helm_chart, &url_deps(&server.url()));
    let run = |args: &[&str]| {
        let out = helm_homes.run(&helm, args);
        assert!(out.status.success(), "helm {args:?}: {out:?}");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    assert_eq!(run(&["dependency", "list", "umbrella"]), before);
    let helm_up = run(&["dependency", "update", "umbrella"]);
    assert_eq!(helm_up, up);
    assert_eq!(lock_without_time(&helm_chart), lock);
    assert_eq!(charts_dir(&helm_chart), charts_dir(&chart));
    assert_eq!(run(&["dependency", "list", "umbrella"]), after);
    // Helm lists our result the same way, and we list Helm's the same way.
    assert_eq!(
        String::from_utf8(helm_homes.chart(&["dependency", "list", "umbrella"]).stdout)
            .expect("utf-8"),
        after
    );
}

#[test]
fn build_from_lock_and_offline_from_the_content_cache() {
    let homes = Homes::new();
    let (mut server, _dir) = served_repo(&homes);
    homes.chart_ok(&["repo", "add", "myrepo", &server.url()]);
    let chart = homes.path("umbrella");
    let deps = "- name: hello\n  version: \"0.x\"\n  repository: \"@myrepo\"\n";
    write_chart(&chart, deps);

    // No lock: build runs an update.
    let out = homes.chart_ok(&["dependency", "build", "umbrella"]);
    assert!(out.starts_with(
        "Hang tight while we grab the latest from your chart repositories...\n\
         ...Successfully got an update from the \"myrepo\" chart repository\n\
         Update Complete. ⎈Happy Helming!⎈\nSaving 1 charts\n"
    ));
    let lock = lock_without_time(&chart);
    assert!(
        lock.starts_with(&format!(
            "dependencies:\n- name: hello\n  repository: {}\n  version: 0.2.0\ndigest: sha256:",
            server.url()
        )),
        "{lock}"
    );
    if let Some(helm) = reference_helm("build_from_lock_and_offline_from_the_content_cache") {
        // Helm accepts our lock as in sync and rebuilds the same charts/.
        std::fs::remove_dir_all(chart.join("charts")).expect("rm charts");
        let out = homes.run(
            &helm,
            &["dependency", "build", "umbrella", "--skip-refresh"],
        );
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            charts_dir(&chart),
            vec![("hello-0.2.0.tgz".to_string(), fixture("hello-0.2.0.tgz"))]
        );
    }

    // A changed Chart.yaml: Helm's error.
    write_chart(&chart, &deps.replace("0.x", "~0.1.0"));
    let err = homes.chart_err(&["dependency", "build", "umbrella"]);
    assert!(
        err.contains(
            "the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). \
             Please update the dependencies"
        ),
        "{err}"
    );
    write_chart(&chart, deps);

    // Server gone, charts/ gone: build restores it from the content cache.
    server.shutdown();
    std::fs::remove_dir_all(chart.join("charts")).expect("rm charts");
    let out = homes.chart_ok(&["dependency", "build", "umbrella"]);
    assert!(
        out.contains("...Unable to get an update from the \"myrepo\" chart repository"),
        "{out}"
    );
    assert_eq!(
        charts_dir(&chart),
        vec![("hello-0.2.0.tgz".to_string(), fixture("hello-0.2.0.tgz"))]
    );
    let listed = homes.chart_ok(&["dependency", "list", "umbrella"]);
    assert!(listed.contains("\tok    \n"), "{listed}");
}

/// `package -u` runs the dependency manager (its output discarded, as Helm does) for charts
/// whose dependencies come from repositories, then packages the chart with them.
#[test]
fn package_with_dependency_update_downloads_from_repositories() {
    let homes = Homes::new();
    let (server, _dir) = served_repo(&homes);
    let chart = homes.path("umbrella");
    write_chart(&chart, &url_deps(&server.url()));
    let out = homes.chart_ok(&["package", "-u", "umbrella", "-d", "out"]);
    assert_eq!(
        out,
        "Successfully packaged chart and saved it to: out/umbrella-1.0.0.tgz\n"
    );
    assert_eq!(
        charts_dir(&chart),
        vec![
            ("hello-0.1.0.tgz".to_string(), fixture("hello-0.1.0.tgz")),
            ("hello-0.2.0.tgz".to_string(), fixture("hello-0.2.0.tgz")),
        ]
    );
    assert!(lock_without_time(&chart).contains("digest: sha256:"));
    let listed = homes.chart_ok(&["show", "chart", "out/umbrella-1.0.0.tgz"]);
    assert!(listed.contains("name: umbrella"), "{listed}");
    let rendered = homes.chart_ok(&["template", "x", "out/umbrella-1.0.0.tgz"]);
    assert!(
        rendered.contains("# Source: umbrella/charts/"),
        "{rendered}"
    );
}

/// `show` takes `repo/chart` and `--repo URL chart` like `template` and `pull`, and prints what
/// Helm prints for them.
#[test]
fn show_charts_from_repositories() {
    let homes = Homes::new();
    let (server, _dir) = served_repo(&homes);
    homes.chart_ok(&["repo", "add", "myrepo", &server.url()]);
    let chart = homes.chart_ok(&["show", "chart", "myrepo/hello", "--version", "0.1.0"]);
    assert!(
        chart.contains("name: hello\n") && chart.contains("version: 0.1.0\n"),
        "{chart}"
    );
    let newest = homes.chart_ok(&["show", "chart", "--repo", &server.url(), "hello"]);
    assert!(newest.contains("version: 0.2.0\n"), "{newest}");
    let all = homes.chart_ok(&["show", "all", "myrepo/hello"]);
    let err = homes.chart_err(&["show", "values", "myrepo/nope"]);
    assert!(err.contains("nope"), "{err}");

    let Some(helm) = reference_helm("show_charts_from_repositories") else {
        return;
    };
    let helm_homes = Homes::new();
    let run = |args: &[&str]| {
        let out = helm_homes.run(&helm, args);
        assert!(out.status.success(), "helm {args:?}: {out:?}");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    run(&["repo", "add", "myrepo", &server.url()]);
    assert_eq!(
        run(&["show", "chart", "myrepo/hello", "--version", "0.1.0"]),
        chart
    );
    assert_eq!(
        run(&["show", "chart", "--repo", &server.url(), "hello"]),
        newest
    );
    assert_eq!(run(&["show", "all", "myrepo/hello"]), all);
}
