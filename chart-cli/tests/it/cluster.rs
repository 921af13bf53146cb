//! Releases against a real API server (etcd + kube-apiserver v1.20.2 from
//! `../shared/tools/kube-apiserver-up`, which `.ci/run` starts): `chart` and the reference Helm
//! install, upgrade, roll back and uninstall each other's releases, the Secret layout is
//! Helm's, and failures (a manifest the server rejects partway, a missing kind, a failing hook,
//! a timeout) leave what Helm leaves.
//!
//! Every test needs `CHART_TEST_KUBECONFIG` (the kubeconfig of a running test API server) and
//! says `SKIPPED` without it; the Helm comparisons also need `CHART_REFERENCE_HELM`. Each test
//! uses namespaces of its own (the API server has no controller manager, so deleted namespaces
//! never go away: the names carry a per-run suffix).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SKIP: &str = "set CHART_TEST_KUBECONFIG (.ci/run starts a test API server)";

struct Env {
    kubeconfig: String,
    helm: Option<PathBuf>,
    home: tempfile::TempDir,
    suffix: String,
    driver: Option<String>,
    /// `HELM_PLUGINS` for both tools, when a test uses plugins.
    plugins: Option<PathBuf>,
}

fn env(name: &str) -> Option<Env> {
    let Some(kc) = std::env::var("CHART_TEST_KUBECONFIG")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        println!("SKIPPED {name}: {SKIP}");
        return None;
    };
    if Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_err()
    {
        println!("SKIPPED {name}: kubectl is not installed (the tests read objects with it)");
        return None;
    }
    let helm = std::env::var("CHART_REFERENCE_HELM")
        .ok()
        .filter(|s| !s.is_empty())
        .map(PathBuf::from);
    let suffix = format!(
        "{}{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_micros()
            % 1000
    );
    Some(Env {
        kubeconfig: kc,
        helm,
        home: tempfile::tempdir().unwrap(),
        suffix,
        driver: None,
        plugins: None,
    })
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn chart_dir(name: &str) -> String {
    repo_root()
        .join("fixtures/charts")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

impl Env {
    fn ns(&self, base: &str) -> String {
        format!("{base}-{}", self.suffix)
    }

    fn run(&self, tool: &Path, args: &[&str]) -> Output {
        let h = self.home.path();
        let mut cmd = Command::new(tool);
        if let Some(d) = &self.driver {
            cmd.env("HELM_DRIVER", d);
        } else {
            cmd.env_remove("HELM_DRIVER");
        }
        match &self.plugins {
            Some(dir) => cmd.env("HELM_PLUGINS", dir),
            None => cmd.env_remove("HELM_PLUGINS"),
        };
        cmd.args(args)
            .env("KUBECONFIG", &self.kubeconfig)
            .env("HELM_CONFIG_HOME", h.join("config"))
            .env("HELM_CACHE_HOME", h.join("cache"))
            .env("HELM_DATA_HOME", h.join("data"))
            .env_remove("HELM_NAMESPACE")
            .output()
            .unwrap()
    }

    fn chart(&self, args: &[&str]) -> Output {
        self.run(Path::new(env!("CARGO_BIN_EXE_chart")), args)
    }

    fn chart_ok(&self, args: &[&str]) -> String {
        let o = self.chart(args);
        assert!(
            o.status.success(),
            "chart {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn helm(&self, args: &[&str]) -> Option<Output> {
        self.helm.as_ref().map(|h| self.run(h, args))
    }

    fn helm_ok(&self, args: &[&str]) -> Option<String> {
        let o = self.helm(args)?;
        assert!(
            o.status.success(),
            "helm {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        Some(String::from_utf8_lossy(&o.stdout).into_owned())
    }

    fn kubectl(&self, args: &[&str]) -> Output {
        Command::new("kubectl")
            .args(args)
            .env("KUBECONFIG", &self.kubeconfig)
            .output()
            .unwrap()
    }

    fn create_ns(&self, ns: &str) {
        let o = self.kubectl(&["create", "namespace", ns]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }

    fn exists(&self, kind: &str, ns: &str, name: &str) -> bool {
        self.kubectl(&["get", kind, "-n", ns, name, "-o", "name"])
            .status
            .success()
    }

    /// The release Secrets of a namespace: name → (type, labels, decoded release JSON).
    fn secrets(&self, ns: &str) -> Vec<(String, String, serde_json::Value, serde_json::Value)> {
        let o = self.kubectl(&["get", "secret", "-n", ns, "-l", "owner=helm", "-o", "json"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let mut out = Vec::new();
        for item in list["items"].as_array().unwrap() {
            let name = item["metadata"]["name"].as_str().unwrap().to_string();
            let ty = item["type"].as_str().unwrap_or("").to_string();
            let labels = item["metadata"]["labels"].clone();
            let data = item["data"]["release"].as_str().unwrap();
            out.push((name, ty, labels, decode_release(data)));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// base64(base64(gzip(JSON))) as kubectl shows `data.release`.
fn decode_release(data: &str) -> serde_json::Value {
    use base64::Engine as _;
    use std::io::Read as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let once = b64.decode(data).unwrap();
    let twice = b64.decode(&once).unwrap();
    assert_eq!(&twice[..2], &[0x1f, 0x8b], "release data is gzip");
    let mut json = String::new();
    flate2::read::GzDecoder::new(&twice[..])
        .read_to_string(&mut json)
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

/// The raw JSON text of a stored release (for field order).
fn release_text(env: &Env, ns: &str, secret: &str) -> String {
    use base64::Engine as _;
    use std::io::Read as _;
    let o = env.kubectl(&[
        "get",
        "secret",
        "-n",
        ns,
        secret,
        "-o",
        "jsonpath={.data.release}",
    ]);
    let b64 = base64::engine::general_purpose::STANDARD;
    let once = b64.decode(&o.stdout).unwrap();
    let twice = b64.decode(&once).unwrap();
    let mut json = String::new();
    flate2::read::GzDecoder::new(&twice[..])
        .read_to_string(&mut json)
        .unwrap();
    json
}

/// Replaces times, the namespace and the release name, so two releases can be compared.
fn normalize(text: &str, ns: &str, name: &str) -> String {
    let re = regex::Regex::new(r#""\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)""#).unwrap();
    re.replace_all(text, "\"TIME\"")
        .replace(ns, "NS")
        .replace(name, "NAME")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Drops the `LAST DEPLOYED:` line (a time) and `status`'s `RESOURCES:` block (not
/// implemented by chart; see COMPATIBILITY.md).
fn without_time(s: &str) -> String {
    let mut out = Vec::new();
    let mut in_resources = false;
    for l in s.lines() {
        if l == "RESOURCES:" {
            in_resources = true;
        } else if l.starts_with("TEST SUITE:") || l == "NOTES:" {
            in_resources = false;
        }
        if !in_resources && !l.starts_with("LAST DEPLOYED:") {
            out.push(l);
        }
    }
    out.join("\n")
}

#[test]
fn cluster_install_output_and_secret_layout_match_helm() {
    let Some(env) = env("cluster_install_output_and_secret_layout_match_helm") else {
        return;
    };
    let chart = chart_dir("cluster-app");
    let ns_c = env.ns("layout-c");
    let out = env.chart_ok(&[
        "install",
        "app",
        &chart,
        "-n",
        &ns_c,
        "--create-namespace",
        "--set",
        "message=hi",
        "--set",
        "extra=true",
    ]);
    assert!(out.contains("STATUS: deployed"), "{out}");
    assert!(env.exists("configmap", &ns_c, "app-config"));
    assert!(env.exists("configmap", &ns_c, "app-extra"));
    assert!(env.exists("service", &ns_c, "app-svc"));
    let secrets = env.secrets(&ns_c);
    assert_eq!(secrets.len(), 1);
    let (name, ty, labels, rel) = &secrets[0];
    assert_eq!(name, "sh.helm.release.v1.app.v1");
    assert_eq!(ty, "helm.sh/release.v1");
    assert_eq!(labels["owner"], "helm");
    assert_eq!(labels["name"], "app");
    assert_eq!(labels["status"], "deployed");
    assert_eq!(labels["version"], "1");
    // Helm rebuilds the labels on each write: after the final update only `modifiedAt`.
    assert!(
        labels["modifiedAt"].is_string() && labels.get("createdAt").is_none(),
        "{labels}"
    );
    assert_eq!(rel["info"]["status"], "deployed");
    assert_eq!(rel["config"]["message"], "hi");
    assert_eq!(rel["apply_method"], "ssa");
    // Ownership metadata on the objects.
    let o = env.kubectl(&[
        "get",
        "configmap",
        "-n",
        &ns_c,
        "app-config",
        "-o",
        "json",
        "--show-managed-fields",
    ]);
    let cm: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        cm["metadata"]["labels"]["app.kubernetes.io/managed-by"],
        "Helm"
    );
    assert_eq!(
        cm["metadata"]["annotations"]["meta.helm.sh/release-name"],
        "app"
    );
    assert_eq!(
        cm["metadata"]["annotations"]["meta.helm.sh/release-namespace"],
        ns_c.as_str()
    );
    let managers: Vec<String> = cm["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["manager"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(managers.contains(&"helm".to_string()), "{managers:?}");

    // The reference Helm, same chart and values, in another namespace.
    let ns_h = env.ns("layout-h");
    let Some(hout) = env.helm_ok(&[
        "install",
        "app",
        &chart,
        "-n",
        &ns_h,
        "--create-namespace",
        "--set",
        "message=hi",
        "--set",
        "extra=true",
    ]) else {
        println!("SKIPPED Helm comparison: set CHART_REFERENCE_HELM");
        return;
    };
    assert_eq!(
        without_time(&out).replace(&ns_c, "NS"),
        without_time(&hout).replace(&ns_h, "NS")
    );
    let hsecrets = env.secrets(&ns_h);
    let (_, hty, hlabels, _) = &hsecrets[0];
    assert_eq!(ty, hty);
    let keys = |l: &serde_json::Value| {
        let mut k: Vec<String> = l.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(labels), keys(hlabels));
    let ours = release_text(&env, &ns_c, "sh.helm.release.v1.app.v1");
    let theirs = release_text(&env, &ns_h, "sh.helm.release.v1.app.v1");
    assert_eq!(
        normalize(&ours, &ns_c, "app"),
        normalize(&theirs, &ns_h, "app")
    );
    // Each upgrades its own release with --reuse-values: both revisions stay byte-identical
    // (up to times), the superseded one included.
    env.chart_ok(&[
        "upgrade",
        "app",
        &chart,
        "-n",
        &ns_c,
        "--reuse-values",
        "--set",
        "hooks=true",
    ]);
    env.helm_ok(&[
        "upgrade",
        "app",
        &chart,
        "-n",
        &ns_h,
        "--reuse-values",
        "--set",
        "hooks=true",
    ])
    .unwrap();
    for v in ["v1", "v2"] {
        let key = format!("sh.helm.release.v1.app.{v}");
        assert_eq!(
            normalize(&release_text(&env, &ns_c, &key), &ns_c, "app"),
            normalize(&release_text(&env, &ns_h, &key), &ns_h, "app"),
            "{key}"
        );
    }
    let labels_of = |ns: &str| -> Vec<(String, String)> {
        env.secrets(ns)
            .into_iter()
            .map(|(n, _, l, _)| (n, format!("{} {}", l["status"], l["version"])))
            .collect()
    };
    assert_eq!(labels_of(&ns_c), labels_of(&ns_h));
}

#[test]
fn cluster_chart_release_is_managed_by_helm() {
    let Some(env) = env("cluster_chart_release_is_managed_by_helm") else {
        return;
    };
    let chart = chart_dir("cluster-app");
    let ns = env.ns("c2h");
    env.chart_ok(&[
        "install",
        "rel",
        &chart,
        "-n",
        &ns,
        "--create-namespace",
        "--set",
        "message=one",
    ]);
    // chart's own views.
    let list = env.chart_ok(&["list", "-n", &ns]);
    assert!(list.starts_with("NAME"), "{list}");
    assert!(
        list.contains("rel") && list.contains("cluster-app-0.1.0") && list.contains("deployed"),
        "{list}"
    );
    let vals = env.chart_ok(&["get", "values", "rel", "-n", &ns]);
    assert_eq!(vals, "USER-SUPPLIED VALUES:\nmessage: one\n");
    let manifest = env.chart_ok(&["get", "manifest", "rel", "-n", &ns]);
    assert!(manifest.contains("# Source: cluster-app/templates/configmap.yaml"));
    let notes = env.chart_ok(&["get", "notes", "rel", "-n", &ns]);
    assert_eq!(
        notes,
        "NOTES:\nRelease rel is at revision 1.\nMessage: one\n\n"
    );
    if env.helm.is_none() {
        println!(
            "SKIPPED Helm half of cluster_chart_release_is_managed_by_helm: set CHART_REFERENCE_HELM"
        );
        return;
    }
    let hl = env.helm_ok(&["list", "-n", &ns, "-o", "json"]).unwrap();
    let hl: serde_json::Value = serde_json::from_str(&hl).unwrap();
    assert_eq!(hl[0]["name"], "rel");
    assert_eq!(hl[0]["status"], "deployed");
    assert_eq!(hl[0]["chart"], "cluster-app-0.1.0");
    let cl: serde_json::Value =
        serde_json::from_str(&env.chart_ok(&["list", "-n", &ns, "-o", "json"])).unwrap();
    assert_eq!(cl, hl, "list -o json");
    let hv = env.helm_ok(&["get", "values", "rel", "-n", &ns]).unwrap();
    assert_eq!(hv, vals);
    assert_eq!(
        env.helm_ok(&["get", "manifest", "rel", "-n", &ns]).unwrap(),
        manifest
    );
    // helm upgrades it; chart sees revision 2 and the merged values.
    env.helm_ok(&[
        "upgrade",
        "rel",
        &chart,
        "-n",
        &ns,
        "--reuse-values",
        "--set",
        "extra=true",
    ])
    .unwrap();
    assert!(env.exists("configmap", &ns, "rel-extra"));
    let v2 = env.chart_ok(&["get", "values", "rel", "-n", &ns, "-o", "json"]);
    assert_eq!(v2, "{\"extra\":true,\"message\":\"one\"}\n");
    let hist = env.chart_ok(&["history", "rel", "-n", &ns]);
    assert!(
        hist.contains("superseded") && hist.contains("Upgrade complete"),
        "{hist}"
    );
    // chart upgrades again, helm rolls back to 1, chart sees it.
    env.chart_ok(&[
        "upgrade",
        "rel",
        &chart,
        "-n",
        &ns,
        "--reuse-values",
        "--set",
        "message=three",
    ]);
    let hh = env
        .helm_ok(&["history", "rel", "-n", &ns, "-o", "json"])
        .unwrap();
    let hh: serde_json::Value = serde_json::from_str(&hh).unwrap();
    assert_eq!(hh.as_array().unwrap().len(), 3);
    assert_eq!(hh[2]["status"], "deployed");
    assert_eq!(hh[1]["status"], "superseded");
    env.helm_ok(&["rollback", "rel", "1", "-n", &ns]).unwrap();
    assert!(
        !env.exists("configmap", &ns, "rel-extra"),
        "rollback to 1 removes the extra ConfigMap"
    );
    let st = env.chart_ok(&["status", "rel", "-n", &ns]);
    assert!(
        st.contains("REVISION: 4") && st.contains("Rollback to 1"),
        "{st}"
    );
    assert_eq!(
        without_time(&st),
        without_time(&env.helm_ok(&["status", "rel", "-n", &ns]).unwrap())
    );
    // After both touched it: every Secret is Helm's layout.
    for (name, ty, labels, rel) in env.secrets(&ns) {
        assert!(name.starts_with("sh.helm.release.v1.rel.v"), "{name}");
        assert_eq!(ty, "helm.sh/release.v1");
        assert_eq!(labels["owner"], "helm");
        assert_eq!(labels["status"], rel["info"]["status"]);
        assert_eq!(
            labels["version"].as_str().unwrap(),
            rel["version"].to_string()
        );
    }
    env.helm_ok(&["uninstall", "rel", "-n", &ns]).unwrap();
    assert!(env.secrets(&ns).is_empty());
    assert!(!env.exists("configmap", &ns, "rel-config"));
}

#[test]
fn cluster_helm_release_is_managed_by_chart() {
    let Some(env) = env("cluster_helm_release_is_managed_by_chart") else {
        return;
    };
    if env.helm.is_none() {
        println!("SKIPPED cluster_helm_release_is_managed_by_chart: set CHART_REFERENCE_HELM");
        return;
    }
    let chart = chart_dir("cluster-app");
    let ns = env.ns("h2c");
    env.helm_ok(&[
        "install",
        "hr",
        &chart,
        "-n",
        &ns,
        "--create-namespace",
        "--set",
        "kept=true",
    ])
    .unwrap();
    let list = env.chart_ok(&["list", "-n", &ns]);
    assert!(list.contains("hr") && list.contains("deployed"), "{list}");
    assert_eq!(
        env.chart_ok(&["list", "-n", &ns, "-o", "yaml"]),
        env.helm_ok(&["list", "-n", &ns, "-o", "yaml"]).unwrap()
    );
    // Upgrade drops the kept ConfigMap from the chart: it stays (resource policy).
    let up = env.chart_ok(&["upgrade", "hr", &chart, "-n", &ns, "--set", "extra=true"]);
    assert!(
        up.starts_with("Release \"hr\" has been upgraded. Happy Helming!\n"),
        "{up}"
    );
    assert!(env.exists("configmap", &ns, "hr-kept"));
    assert!(env.exists("configmap", &ns, "hr-extra"));
    let hv = env
        .helm_ok(&["get", "values", "hr", "-n", &ns, "-o", "json"])
        .unwrap();
    assert_eq!(hv, "{\"extra\":true}\n");
    // Rollback by chart; helm sees revision 3.
    let rb = env.chart_ok(&["rollback", "hr", "-n", &ns]);
    assert_eq!(rb, "Rollback was a success! Happy Helming!\n");
    assert!(!env.exists("configmap", &ns, "hr-extra"));
    let hs = env
        .helm_ok(&["status", "hr", "-n", &ns, "-o", "json"])
        .unwrap();
    let hs: serde_json::Value = serde_json::from_str(&hs).unwrap();
    assert_eq!(hs["version"], 3);
    assert_eq!(hs["info"]["status"], "deployed");
    assert_eq!(hs["info"]["description"], "Rollback to 1");
    assert_eq!(
        env.chart_ok(&["history", "hr", "-n", &ns]).lines().count(),
        4,
        "header + 3 revisions"
    );
    // Uninstall with history kept: helm lists it as uninstalled.
    let un = env.chart_ok(&["uninstall", "hr", "-n", &ns, "--keep-history"]);
    assert!(un.ends_with("release \"hr\" uninstalled\n"), "{un}");
    assert!(
        env.exists("configmap", &ns, "hr-kept"),
        "keep policy survives uninstall"
    );
    assert!(!env.exists("configmap", &ns, "hr-config"));
    let hl = env
        .helm_ok(&["list", "-n", &ns, "--uninstalled", "-o", "json"])
        .unwrap();
    let hl: serde_json::Value = serde_json::from_str(&hl).unwrap();
    assert_eq!(hl[0]["status"], "uninstalled");
    env.helm_ok(&["uninstall", "hr", "-n", &ns]).unwrap();
    assert!(env.secrets(&ns).is_empty());
}

/// Runs the same failing install with both tools; returns (chart's stderr, Helm's stderr).
fn both_fail(env: &Env, base: &str, extra: &[&str]) -> (String, Option<String>) {
    let chart = chart_dir("cluster-app");
    let ns_c = env.ns(&format!("{base}-c"));
    env.create_ns(&ns_c);
    let mut args = vec!["install", "f", chart.as_str(), "-n", ns_c.as_str()];
    args.extend_from_slice(extra);
    let o = env.chart(&args);
    assert!(
        !o.status.success(),
        "chart {args:?} should fail: {}",
        stdout(&o)
    );
    let ours = stderr(&o).replace(&ns_c, "NS");
    let theirs = env.helm.as_ref().map(|_| {
        let ns_h = env.ns(&format!("{base}-h"));
        env.create_ns(&ns_h);
        let mut args = vec!["install", "f", chart.as_str(), "-n", ns_h.as_str()];
        args.extend_from_slice(extra);
        let o = env.helm(&args).unwrap();
        assert!(!o.status.success());
        stderr(&o).replace(&ns_h, "NS")
    });
    (ours, theirs)
}

#[test]
fn cluster_rejected_manifest_fails_partway_and_upgrade_recovers() {
    let Some(env) = env("cluster_rejected_manifest_fails_partway_and_upgrade_recovers") else {
        return;
    };
    let (ours, theirs) = both_fail(&env, "bad", &["--set", "bad=true"]);
    assert!(ours.starts_with("Error: INSTALLATION FAILED: "), "{ours}");
    assert!(
        ours.contains("failed to create typed patch object"),
        "{ours}"
    );
    if let Some(theirs) = theirs {
        assert_eq!(ours, theirs);
    }
    let ns = env.ns("bad-c");
    // Partway: the ConfigMap went in before the Service was rejected.
    assert!(env.exists("configmap", &ns, "f-config"));
    let hist = env.chart_ok(&["history", "f", "-n", &ns]);
    assert!(hist.contains("failed"), "{hist}");
    let list = env.chart_ok(&["list", "-n", &ns, "-q"]);
    assert_eq!(list, "f\n", "failed releases are listed by default");
    // A later upgrade recovers it.
    // Without new values an upgrade reuses the failed revision's (bad=true); reset them.
    let up = env.chart_ok(&[
        "upgrade",
        "f",
        &chart_dir("cluster-app"),
        "-n",
        &ns,
        "--reset-values",
    ]);
    assert!(
        up.contains("STATUS: deployed") && up.contains("REVISION: 2"),
        "{up}"
    );
}

#[test]
fn cluster_missing_kind_fails_with_helms_error() {
    let Some(env) = env("cluster_missing_kind_fails_with_helms_error") else {
        return;
    };
    let (ours, theirs) = both_fail(&env, "kind", &["--set", "hpa=true"]);
    assert!(
        ours.contains(
            "no matches for kind \"HorizontalPodAutoscaler\" in version \"autoscaling/v2\""
        ),
        "{ours}"
    );
    if let Some(theirs) = theirs {
        assert_eq!(ours, theirs);
    }
    // Nothing was recorded: the objects could not be built.
    assert!(env.secrets(&env.ns("kind-c")).is_empty());
}

#[test]
fn cluster_hooks_run_in_order_with_policies() {
    let Some(env) = env("cluster_hooks_run_in_order_with_policies") else {
        return;
    };
    let chart = chart_dir("cluster-app");
    let ns = env.ns("hooks");
    env.chart_ok(&[
        "install",
        "h",
        &chart,
        "-n",
        &ns,
        "--create-namespace",
        "--set",
        "hooks=true,widget=true",
    ]);
    assert!(env.exists("configmap", &ns, "h-pre-install"));
    assert!(env.exists("configmap", &ns, "h-post-install"));
    assert!(
        !env.exists("configmap", &ns, "h-transient"),
        "hook-succeeded deletes it"
    );
    assert!(!env.exists("configmap", &ns, "h-pre-upgrade"));
    assert!(
        env.exists("widget", &ns, "h-widget"),
        "CRD from crds/ installed first"
    );
    let hooks = env.chart_ok(&["get", "hooks", "h", "-n", &ns]);
    assert!(hooks.contains("# Source: cluster-app/templates/hooks.yaml"));
    let (_, _, _, rel) = &env.secrets(&ns)[0];
    let phases: Vec<&str> = rel["hooks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| {
            h["events"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e == "pre-install")
        })
        .map(|h| h["last_run"]["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, ["Succeeded", "Succeeded"]);
    env.chart_ok(&["upgrade", "h", &chart, "-n", &ns, "--reuse-values"]);
    let o = env.kubectl(&[
        "get",
        "configmap",
        "-n",
        &ns,
        "h-pre-upgrade",
        "-o",
        "jsonpath={.data.revision}",
    ]);
    assert_eq!(stdout(&o), "2");
    env.chart_ok(&["uninstall", "h", "-n", &ns]);
    assert!(env.exists("configmap", &ns, "h-pre-delete"));
    assert!(!env.exists("configmap", &ns, "h-config"));
}

#[test]
fn cluster_failing_hook_fails_the_release() {
    let Some(env) = env("cluster_failing_hook_fails_the_release") else {
        return;
    };
    let (ours, theirs) = both_fail(&env, "fhook", &["--set", "failHook=true"]);
    assert!(
        ours.starts_with("Error: INSTALLATION FAILED: failed pre-install"),
        "{ours}"
    );
    if let Some(theirs) = theirs {
        assert_eq!(ours, theirs);
    }
    let ns = env.ns("fhook-c");
    let (_, _, labels, rel) = &env.secrets(&ns)[0];
    assert_eq!(labels["status"], "failed");
    assert_eq!(rel["info"]["status"], "failed");
    assert!(
        !env.exists("configmap", &ns, "f-config"),
        "pre-install failed before the apply"
    );
}

#[test]
fn cluster_hook_timeout_and_rollback_on_failure() {
    let Some(env) = env("cluster_hook_timeout_and_rollback_on_failure") else {
        return;
    };
    let chart = chart_dir("cluster-app");
    let ns = env.ns("timeout");
    let o = env.chart(&[
        "install",
        "t",
        &chart,
        "-n",
        &ns,
        "--create-namespace",
        "--set",
        "jobHook=true",
        "--timeout",
        "2s",
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.starts_with("Error: INSTALLATION FAILED: failed pre-install"),
        "{err}"
    );
    assert!(
        err.contains("context deadline exceeded") || err.contains("timed out"),
        "{err}"
    );
    assert_eq!(env.secrets(&ns)[0].2["status"], "failed");
    // --rollback-on-failure uninstalls the failed install.
    let o = env.chart(&[
        "install",
        "t2",
        &chart,
        "-n",
        &ns,
        "--set",
        "jobHook=true",
        "--timeout",
        "2s",
        "--rollback-on-failure",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("has been uninstalled due to rollback-on-failure"),
        "{}",
        stderr(&o)
    );
    assert!(!env.exists("configmap", &ns, "t2-config"));
    assert!(env.secrets(&ns).iter().all(|s| !s.0.contains(".t2.")));
    // --wait on kinds that are ready once created succeeds.
    env.chart_ok(&[
        "install",
        "w",
        &chart,
        "-n",
        &ns,
        "--wait",
        "--timeout",
        "20s",
    ]);
    // --wait on a Deployment (no kubelet: never ready) times out and fails the release.
    let o = env.chart(&[
        "install",
        "d",
        &chart_dir("demo"),
        "-n",
        &ns,
        "--wait",
        "--timeout",
        "2s",
        "--no-hooks",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("context deadline exceeded"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn cluster_upgrade_removes_objects_and_rollback_restores() {
    let Some(env) = env("cluster_upgrade_removes_objects_and_rollback_restores") else {
        return;
    };
    let chart = chart_dir("cluster-app");
    let ns = env.ns("upg");
    env.chart_ok(&[
        "install",
        "u",
        &chart,
        "-n",
        &ns,
        "--create-namespace",
        "--set",
        "extra=true,kept=true",
    ]);
    let up = env.chart_ok(&[
        "upgrade",
        "u",
        &chart,
        "-n",
        &ns,
        "--reset-values",
        "--max-history",
        "2",
    ]);
    assert!(up.contains("REVISION: 2"), "{up}");
    assert!(!env.exists("configmap", &ns, "u-extra"));
    assert!(env.exists("configmap", &ns, "u-kept"));
    let o = env.kubectl(&[
        "get",
        "configmap",
        "-n",
        &ns,
        "u-config",
        "-o",
        "jsonpath={.data.isUpgrade}",
    ]);
    assert_eq!(stdout(&o), "true");
    env.chart_ok(&["rollback", "u", "1", "-n", &ns]);
    assert!(env.exists("configmap", &ns, "u-extra"));
    env.chart_ok(&["upgrade", "u", &chart, "-n", &ns, "--max-history", "2"]);
    let names: Vec<String> = env.secrets(&ns).into_iter().map(|s| s.0).collect();
    assert_eq!(
        names,
        ["sh.helm.release.v1.u.v3", "sh.helm.release.v1.u.v4"]
    );
    // A name in use.
    let o = env.chart(&["install", "u", &chart, "-n", &ns]);
    assert_eq!(
        stderr(&o),
        "Error: INSTALLATION FAILED: cannot re-use a name that is still in use\n"
    );
    // Objects that exist without Helm's ownership metadata, or of another release, are not
    // adopted (Helm's error text).
    assert!(
        env.kubectl(&["create", "configmap", "v-config", "-n", &ns])
            .status
            .success()
    );
    let o = env.chart(&["install", "v", &chart, "-n", &ns]);
    assert_eq!(
        stderr(&o).replace(&ns, "NS"),
        "Error: INSTALLATION FAILED: unable to continue with install: ConfigMap \"v-config\" in namespace \"NS\" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key \"app.kubernetes.io/managed-by\": must be set to \"Helm\"; annotation validation error: missing key \"meta.helm.sh/release-name\": must be set to \"v\"; annotation validation error: missing key \"meta.helm.sh/release-namespace\": must be set to \"NS\"\n"
    );
    assert!(
        env.secrets(&ns).iter().all(|s| !s.0.contains(".v.")),
        "nothing recorded"
    );
    // --take-ownership adopts it.
    env.chart_ok(&["install", "v", &chart, "-n", &ns, "--take-ownership"]);
    let o = env.kubectl(&[
        "get",
        "configmap",
        "-n",
        &ns,
        "v-config",
        "-o",
        "jsonpath={.metadata.annotations.meta\\.helm\\.sh/release-name}",
    ]);
    assert_eq!(stdout(&o), "v");
    let o = env.kubectl(&["get", "configmap", "-n", &ns, "u-config", "-o", "yaml"]);
    let other = String::from_utf8_lossy(&o.stdout).replace("name: u-config", "name: w-config");
    let other: String = other
        .lines()
        .filter(|l| {
            !l.contains("resourceVersion")
                && !l.contains("uid:")
                && !l.contains("creationTimestamp")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let f = env.home.path().join("w.yaml");
    std::fs::write(&f, other).unwrap();
    assert!(
        env.kubectl(&["create", "-f", f.to_str().unwrap()])
            .status
            .success()
    );
    let o = env.chart(&["install", "w", &chart, "-n", &ns]);
    assert!(
        stderr(&o).ends_with("exists and cannot be imported into the current release: invalid ownership metadata; annotation validation error: key \"meta.helm.sh/release-name\" must equal \"w\": current value is \"u\"\n"),
        "{}",
        stderr(&o)
    );
    let list = env.chart_ok(&["list", "-A", "--filter", "^u$", "-o", "json"]);
    let l: serde_json::Value = serde_json::from_str(&list).unwrap();
    let ours: Vec<&serde_json::Value> = l
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["namespace"] == ns.as_str())
        .collect();
    assert_eq!(ours.len(), 1, "{list}");
    assert_eq!(ours[0]["revision"], "4");
}

#[test]
fn cluster_read_commands_print_what_helm_prints() {
    let Some(env) = env("cluster_read_commands_print_what_helm_prints") else {
        return;
    };
    if env.helm.is_none() {
        println!("SKIPPED cluster_read_commands_print_what_helm_prints: set CHART_REFERENCE_HELM");
        return;
    }
    let ns = env.ns("read");
    env.helm_ok(&[
        "install",
        "a",
        &chart_dir("cluster-app"),
        "-n",
        &ns,
        "--create-namespace",
        "--set",
        "hooks=true,message=x",
    ])
    .unwrap();
    env.chart_ok(&["install", "b", &chart_dir("demo"), "-n", &ns]);
    env.chart_ok(&[
        "upgrade",
        "a",
        &chart_dir("cluster-app"),
        "-n",
        &ns,
        "--reuse-values",
        "--set",
        "extra=true",
    ]);
    env.helm_ok(&["uninstall", "b", "-n", &ns, "--keep-history"])
        .unwrap();
    for cmd in [
        "list",
        "list -o json",
        "list -o yaml",
        "list --deployed -q",
        "list --uninstalled",
        "list --time-format 2006-01-02T15:04:05Z0700",
        "list -l name=a -o json",
        "list --date -r",
        "history a",
        "history a -o json",
        "history a -o yaml",
        "get all a",
        "get all b",
        "get hooks a",
        "get manifest a --revision 1",
        "get notes a",
        "get values a",
        "get values a -a",
        "get values a -o json",
        "status b",
    ] {
        let mut args: Vec<&str> = cmd.split(' ').collect();
        args.extend(["-n", &ns]);
        let ours = env.chart_ok(&args);
        let theirs = env.helm_ok(&args).unwrap();
        assert_eq!(ours, theirs, "chart {cmd}");
    }
}

#[test]
fn cluster_dry_runs_and_upgrade_install_print_what_helm_prints() {
    let Some(env) = env("cluster_dry_runs_and_upgrade_install_print_what_helm_prints") else {
        return;
    };
    if env.helm.is_none() {
        println!(
            "SKIPPED cluster_dry_runs_and_upgrade_install_print_what_helm_prints: set CHART_REFERENCE_HELM"
        );
        return;
    }
    let chart = chart_dir("cluster-app");
    let (ns_c, ns_h) = (env.ns("dry-c"), env.ns("dry-h"));
    env.create_ns(&ns_c);
    env.create_ns(&ns_h);
    let cases: &[&[&str]] = &[
        &["install", "z", &chart, "--dry-run", "--set", "hooks=true"],
        &["install", "z", &chart, "--dry-run=server"],
        &["upgrade", "z", &chart, "--install", "--set", "message=a"],
        &[
            "upgrade",
            "z",
            &chart,
            "--reuse-values",
            "--set",
            "extra=true",
        ],
        &["rollback", "z", "1"],
        &["uninstall", "z", "--keep-history"],
        &["status", "z"],
        &["uninstall", "z"],
        &["uninstall", "z"],
        &["upgrade", "z", &chart],
    ];
    for args in cases {
        let mut c: Vec<&str> = args.to_vec();
        c.extend(["-n", &ns_c]);
        let mut h: Vec<&str> = args.to_vec();
        h.extend(["-n", &ns_h]);
        let ours = env.chart(&c);
        let theirs = env.helm(&h).unwrap();
        assert_eq!(ours.status.success(), theirs.status.success(), "{args:?}");
        let o = format!("{}{}", stdout(&ours), stderr(&ours)).replace(&ns_c, "NS");
        let t = format!("{}{}", stdout(&theirs), stderr(&theirs)).replace(&ns_h, "NS");
        assert_eq!(without_time(&o), without_time(&t), "{args:?}");
    }
}

#[test]
fn cluster_timeouts_print_what_helm_prints() {
    let Some(env) = env("cluster_timeouts_print_what_helm_prints") else {
        return;
    };
    if env.helm.is_none() {
        println!("SKIPPED cluster_timeouts_print_what_helm_prints: set CHART_REFERENCE_HELM");
        return;
    }
    let chart = chart_dir("cluster-app");
    let demo = chart_dir("demo");
    let (ns_c, ns_h) = (env.ns("tmo-c"), env.ns("tmo-h"));
    env.create_ns(&ns_c);
    env.create_ns(&ns_h);
    let cases: &[&[&str]] = &[
        &["install", "rd", &chart],
        &[
            "upgrade",
            "rd",
            &chart,
            "--set",
            "jobHook=true",
            "--timeout",
            "2s",
            "--rollback-on-failure",
        ],
        &[
            "install",
            "tj",
            &chart,
            "--set",
            "jobHook=true",
            "--timeout",
            "2s",
        ],
        &["install", "wd", &demo, "--wait", "--timeout", "2s"],
        &[
            "install",
            "wd2",
            &demo,
            "--wait",
            "--timeout",
            "2s",
            "--rollback-on-failure",
        ],
        &["list", "-q"],
    ];
    for args in cases {
        let mut c: Vec<&str> = args.to_vec();
        c.extend(["-n", &ns_c]);
        let mut h: Vec<&str> = args.to_vec();
        h.extend(["-n", &ns_h]);
        let ours = env.chart(&c);
        let theirs = env.helm(&h).unwrap();
        assert_eq!(ours.status.success(), theirs.status.success(), "{args:?}");
        let o = format!("{}{}", stdout(&ours), stderr(&ours)).replace(&ns_c, "NS");
        let t = format!("{}{}", stdout(&theirs), stderr(&theirs)).replace(&ns_h, "NS");
        assert_eq!(without_time(&o), without_time(&t), "{args:?}");
    }
}

#[test]
fn cluster_configmap_driver_is_shared_with_helm() {
    let Some(mut env) = env("cluster_configmap_driver_is_shared_with_helm") else {
        return;
    };
    env.driver = Some("configmap".to_string());
    let chart = chart_dir("cluster-app");
    let ns = env.ns("cmdrv");
    env.chart_ok(&[
        "install",
        "c",
        &chart,
        "-n",
        &ns,
        "--create-namespace",
        "--set",
        "message=m",
    ]);
    let o = env.kubectl(&[
        "get",
        "configmap",
        "-n",
        &ns,
        "-l",
        "owner=helm",
        "-o",
        "name",
    ]);
    assert_eq!(stdout(&o), "configmap/sh.helm.release.v1.c.v1\n");
    assert!(
        env.secrets(&ns).is_empty(),
        "no Secret with the configmap driver"
    );
    if env.helm.is_none() {
        println!(
            "SKIPPED Helm half of cluster_configmap_driver_is_shared_with_helm: set CHART_REFERENCE_HELM"
        );
        return;
    }
    assert_eq!(
        env.helm_ok(&["get", "values", "c", "-n", &ns]).unwrap(),
        "USER-SUPPLIED VALUES:\nmessage: m\n"
    );
    env.helm_ok(&["upgrade", "c", &chart, "-n", &ns, "--reuse-values"])
        .unwrap();
    let hist = env.chart_ok(&["history", "c", "-n", &ns]);
    assert_eq!(hist, env.helm_ok(&["history", "c", "-n", &ns]).unwrap());
    env.chart_ok(&["uninstall", "c", "-n", &ns]);
    assert!(env.helm_ok(&["list", "-n", &ns, "-q"]).unwrap().is_empty());
}

#[test]
fn cluster_lookup_reads_live_objects() {
    let Some(env) = env("cluster_lookup_reads_live_objects") else {
        return;
    };
    let chart = chart_dir("cluster-lookup");
    let ns = env.ns("lookup");
    env.create_ns(&ns);
    let o = env.kubectl(&[
        "create",
        "configmap",
        "seed",
        "-n",
        &ns,
        "--from-literal=token=s3cret",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    env.chart_ok(&["install", "ours", &chart, "-n", &ns]);
    let manifest = env.chart_ok(&["get", "manifest", "ours", "-n", &ns]);
    assert!(manifest.contains("seed: \"s3cret\""), "{manifest}");
    assert!(
        manifest.contains("listKind: \"ConfigMapList\""),
        "{manifest}"
    );
    assert!(manifest.contains("listed: \"1\""), "{manifest}");
    assert!(manifest.contains("missing: \"{}\""), "{manifest}");
    // A client-side dry run does not ask the cluster, as in Helm.
    let dry = env.chart_ok(&["install", "dry", &chart, "-n", &ns, "--dry-run=client"]);
    assert!(dry.contains("seed: \"absent\""), "{dry}");
    if let Some(theirs) = env.helm_ok(&["install", "theirs", &chart, "-n", &ns]) {
        let _ = theirs;
        let helm_manifest = env
            .helm_ok(&["get", "manifest", "theirs", "-n", &ns])
            .unwrap_or_default();
        // Helm's second install also sees the first release's ConfigMap in the list.
        assert!(
            helm_manifest.contains("seed: \"s3cret\""),
            "{helm_manifest}"
        );
        assert!(helm_manifest.contains("listed: \"2\""), "{helm_manifest}");
        let ours_again = env.chart_ok(&["upgrade", "ours", &chart, "-n", &ns]);
        let _ = ours_again;
        let manifest = env.chart_ok(&["get", "manifest", "ours", "-n", &ns]);
        assert!(manifest.contains("listed: \"3\""), "{manifest}");
    }
}

#[test]
fn cluster_post_renderer_shapes_the_release_as_in_helm() {
    let Some(mut env) = env("cluster_post_renderer_shapes_the_release_as_in_helm") else {
        return;
    };
    env.plugins = Some(repo_root().join("fixtures/plugins"));
    let chart = chart_dir("cluster-app");
    let ns = env.ns("postrender");
    env.create_ns(&ns);
    // `install` or `upgrade` of `name` with the plugin, which adds a ConfigMap `added`.
    let deploy = |verb: &str, name: &str, added: &str| -> Vec<String> {
        [
            verb,
            name,
            &chart,
            "-n",
            &ns,
            "--post-renderer",
            "add-config",
            "--post-renderer-args",
            added,
            "--post-renderer-args",
            &ns,
        ]
        .map(String::from)
        .to_vec()
    };
    fn strs(args: &[String]) -> Vec<&str> {
        args.iter().map(String::as_str).collect()
    }
    env.chart_ok(&strs(&deploy("install", "ours", "ours-added")));
    // The plugin's extra document is part of the release, and so is its rewrite.
    assert!(env.exists("configmap", &ns, "ours-added"));
    let manifest = env.chart_ok(&["get", "manifest", "ours", "-n", &ns]);
    assert!(manifest.contains("name: ours-added"), "{manifest}");
    assert!(
        manifest.contains("# Source: generated-by-postrender-"),
        "{manifest}"
    );
    // An upgrade runs it again, with its new arguments.
    env.chart_ok(&strs(&deploy("upgrade", "ours", "ours-upgraded")));
    assert!(env.exists("configmap", &ns, "ours-upgraded"));
    assert!(!env.exists("configmap", &ns, "ours-added"));
    // A plugin that does not exist fails before anything is installed.
    let missing = env.chart(&[
        "install",
        "none",
        &chart,
        "-n",
        &ns,
        "--post-renderer",
        "nope",
    ]);
    assert!(!missing.status.success());
    assert_eq!(
        stderr(&missing),
        "Error: invalid argument \"nope\" for \"--post-renderer\" flag: plugin: {Name:nope Type:postrenderer/v1} not found\n"
    );
    // A failing plugin fails the install with Helm's text: no `--debug` hint, and
    // `upgrade --install` reports it without `INSTALLATION FAILED:`, after its announcement.
    let failed = "error while running post render on files: failed to invoke post-renderer plugin \"fails\": plugin \"fails\" exited with error\n";
    for (verb, announced, prefix) in [
        (&["install"][..], "", "INSTALLATION FAILED: "),
        (
            &["upgrade", "--install"][..],
            "Release \"bad\" does not exist. Installing it now.\n",
            "",
        ),
    ] {
        let mut args = verb.to_vec();
        args.extend(["bad", &chart, "-n", &ns, "--post-renderer", "fails"]);
        let failing = env.chart(&args);
        assert_eq!(stdout(&failing), announced, "{verb:?}");
        assert_eq!(
            stderr(&failing),
            format!("Error: {prefix}{failed}"),
            "{verb:?}"
        );
    }
    assert!(!env.exists("configmap", &ns, "bad-config"));
    if env
        .helm_ok(&strs(&deploy("install", "theirs", "theirs-added")))
        .is_some()
    {
        let theirs = env
            .helm_ok(&["get", "manifest", "theirs", "-n", &ns])
            .unwrap_or_default();
        let ours = env.chart_ok(&["get", "manifest", "ours", "-n", &ns, "--revision", "1"]);
        assert_eq!(
            normalize(&ours, &ns, "ours"),
            normalize(&theirs, &ns, "theirs")
        );
    }
}
