//! Chart repositories end to end: `repo add/list/update/remove/index`, `search repo`, `pull`
//! through Helm 4's content cache, failures that must leave nothing behind, the offline flow
//! (pull once, server gone, pull and template again), and interoperability with the
//! reference Helm (`CHART_REFERENCE_HELM`) sharing the same Helm directories.
//!
//! The charts are `fixtures/repo/hello-*.tgz` (made by `helm package`), served by a small
//! in-process HTTP server on 127.0.0.1 that stops by itself.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

pub(crate) fn reference_helm(test: &str) -> Option<PathBuf> {
    match std::env::var_os("CHART_REFERENCE_HELM").filter(|v| !v.is_empty()) {
        Some(p) => Some(PathBuf::from(p)),
        None => {
            println!("SKIPPED {test}: CHART_REFERENCE_HELM is not set");
            None
        }
    }
}

/// A static file server: `/<file>` serves `root/<file>`, `/truncated/<file>` announces more
/// bytes than it sends, `/auth/<file>` wants basic auth `bob:s3cret`.
pub(crate) struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Server {
    pub(crate) fn start(root: &Path) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let root = root.to_path_buf();
        let handle = std::thread::spawn(move || {
            // Bounded: the server stops by itself after two minutes.
            let deadline = Instant::now() + Duration::from_secs(120);
            while !flag.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => serve(stream, &root),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => break,
                }
            }
        });
        Server {
            addr,
            stop,
            handle: Some(handle),
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(crate) fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            h.join().expect("server thread");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn serve(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut req = Vec::new();
    let mut buf = [0u8; 1024];
    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => req.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&req).into_owned();
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    let path = path.split('?').next().unwrap_or("/").to_string();
    let (mode, file) = if let Some(rest) = path.strip_prefix("/truncated/") {
        ("truncated", rest.to_string())
    } else if let Some(rest) = path.strip_prefix("/auth/") {
        ("auth", rest.to_string())
    } else {
        ("plain", path.trim_start_matches('/').to_string())
    };
    if mode == "auth"
        && !text.lines().any(|l| {
            l.to_ascii_lowercase().starts_with("authorization:")
                && l[14..].trim() == "Basic Ym9iOnMzY3JldA=="
        })
    {
        let _ = stream.write_all(
            b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        return;
    }
    let body = if file.contains("..") {
        None
    } else {
        std::fs::read(root.join(&file)).ok()
    };
    let Some(body) = body else {
        let _ = stream.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
        );
        return;
    };
    let announced = if mode == "truncated" {
        body.len() + 100
    } else {
        body.len()
    };
    let head =
        format!("HTTP/1.1 200 OK\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// Separate Helm homes shared by `chart` and Helm.
pub(crate) struct Homes {
    tmp: tempfile::TempDir,
}

impl Homes {
    pub(crate) fn new() -> Homes {
        Homes {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub(crate) fn path(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }

    pub(crate) fn run(&self, tool: &Path, args: &[&str]) -> Output {
        Command::new(tool)
            .args(args)
            .current_dir(self.tmp.path())
            .env("HELM_CONFIG_HOME", self.path("config"))
            .env("HELM_CACHE_HOME", self.path("cache"))
            .env("HELM_DATA_HOME", self.path("data"))
            .env_remove("HELM_REPOSITORY_CONFIG")
            .env_remove("HELM_REPOSITORY_CACHE")
            .env_remove("HELM_CONTENT_CACHE")
            .output()
            .expect("run the tool")
    }

    pub(crate) fn chart(&self, args: &[&str]) -> Output {
        self.run(Path::new(env!("CARGO_BIN_EXE_chart")), args)
    }

    pub(crate) fn chart_ok(&self, args: &[&str]) -> String {
        let out = self.chart(args);
        assert!(
            out.status.success(),
            "chart {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    pub(crate) fn chart_err(&self, args: &[&str]) -> String {
        let out = self.chart(args);
        assert!(!out.status.success(), "chart {args:?} should fail");
        String::from_utf8(out.stderr).expect("utf-8")
    }

    /// Every file under the content cache.
    fn cached_files(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut stack = vec![self.path("cache/content")];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    found.push(e.path());
                }
            }
        }
        found
    }
}

/// A served repository: the fixture archives plus an index written by `chart repo index`.
pub(crate) fn served_repo(homes: &Homes) -> (Server, PathBuf) {
    let dir = homes.path("served");
    std::fs::create_dir_all(&dir).expect("served dir");
    for v in ["0.1.0", "0.2.0", "0.3.0-rc.1"] {
        let name = format!("hello-{v}.tgz");
        std::fs::copy(
            repo_root().join("fixtures/repo").join(&name),
            dir.join(&name),
        )
        .expect("copy fixture");
    }
    let server = Server::start(&dir);
    homes.chart_ok(&[
        "repo",
        "index",
        dir.to_str().expect("utf-8"),
        "--url",
        &server.url(),
    ]);
    (server, dir)
}

fn sha256_file(path: &Path) -> String {
    use sha2::Digest as _;
    let data = std::fs::read(path).expect("read");
    sha2::Sha256::digest(&data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn repo_add_list_update_remove() {
    let homes = Homes::new();
    let (server, _dir) = served_repo(&homes);
    let url = server.url();
    assert_eq!(
        homes.chart_ok(&["repo", "add", "r", &url]),
        "\"r\" has been added to your repositories\n"
    );
    let config = homes.path("config/repositories.yaml");
    let text = std::fs::read_to_string(&config).expect("repositories.yaml");
    assert_eq!(
        text,
        format!(
            "apiVersion: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\nrepositories:\n- caFile: \"\"\n  \
             certFile: \"\"\n  insecure_skip_tls_verify: false\n  keyFile: \"\"\n  name: r\n  \
             pass_credentials_all: false\n  password: \"\"\n  url: {url}\n  username: \"\"\n"
        )
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&config)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(
        std::fs::read_to_string(homes.path("cache/repository/r-charts.txt")).expect("charts.txt"),
        "hello\n"
    );
    assert_eq!(
        std::fs::read(homes.path("cache/repository/r-index.yaml")).expect("index cache"),
        std::fs::read(homes.path("served/index.yaml")).expect("served index")
    );
    assert_eq!(
        homes.chart_ok(&["repo", "add", "r", &url]),
        "\"r\" already exists with the same configuration, skipping\n"
    );
    assert!(
        homes
            .chart_err(&["repo", "add", "r", &format!("{url}/other")])
            .contains("Error: repository name (r) already exists, please specify a different name")
    );
    // A password is stored, never printed.
    let out = homes.chart(&[
        "repo",
        "add",
        "secure",
        &url,
        "--username",
        "bob",
        "--password",
        "s3cret",
    ]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("s3cret"));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("s3cret"));
    assert_eq!(
        homes.chart_ok(&["repo", "list"]),
        format!(
            "NAME  \tURL{pad}\nr     \t{url}\nsecure\t{url}\n",
            pad = " ".repeat(url.len() - 3)
        )
    );
    assert!(
        !homes
            .chart_ok(&["repo", "list", "-o", "yaml"])
            .contains("s3cret")
    );
    assert_eq!(
        homes.chart_ok(&["repo", "list", "-o", "json"]),
        format!(
            "[{{\"name\":\"r\",\"url\":\"{url}\"}},{{\"name\":\"secure\",\"url\":\"{url}\"}}]\n"
        )
    );
    assert_eq!(
        homes.chart_ok(&["repo", "update", "r"]),
        "Hang tight while we grab the latest from your chart repositories...\n\
         ...Successfully got an update from the \"r\" chart repository\n\
         Update Complete. ⎈Happy Helming!⎈\n"
    );
    assert!(
        homes
            .chart_err(&["repo", "update", "nope"])
            .contains("Error: no repositories found matching 'nope'.  Nothing will be updated")
    );
    assert_eq!(
        homes.chart_ok(&["repo", "remove", "secure"]),
        "\"secure\" has been removed from your repositories\n"
    );
    assert!(!homes.path("cache/repository/secure-index.yaml").exists());
    assert!(
        homes
            .chart_err(&["repo", "remove", "secure"])
            .contains("Error: no repo named \"secure\" found")
    );
    homes.chart_ok(&["repo", "remove", "r"]);
    let out = homes.chart(&["repo", "list"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "no repositories to show\n"
    );
    assert!(
        homes
            .chart_err(&["repo", "remove", "r"])
            .contains("Error: no repositories configured")
    );
    // Unreachable and invalid repositories are not added.
    let err = homes.chart_err(&["repo", "add", "bad", &format!("{url}/missing")]);
    assert!(
        err.contains(&format!(
            "looks like \"{url}/missing\" is not a valid chart repository or cannot be reached: \
             failed to fetch {url}/missing/index.yaml : 404 Not Found"
        )),
        "{err}"
    );
    assert!(
        !std::fs::read_to_string(&config)
            .expect("config")
            .contains("bad")
    );
}

#[test]
fn search_repo_versions_and_formats() {
    let homes = Homes::new();
    let (server, _dir) = served_repo(&homes);
    homes.chart_ok(&["repo", "add", "r", &server.url()]);
    let header = format!(
        "NAME   \tCHART VERSION\tAPP VERSION\t{:<33}\n",
        "DESCRIPTION"
    );
    let row =
        |v: &str| format!("r/hello\t{v:<13}\t1.0        \tA tiny chart for repository tests\n");
    assert_eq!(
        homes.chart_ok(&["search", "repo", "hello"]),
        format!("{header}{}", row("0.2.0"))
    );
    assert_eq!(
        homes.chart_ok(&["search", "repo", "greeting", "--devel"]),
        format!("{header}{}", row("0.3.0-rc.1"))
    );
    assert_eq!(
        homes.chart_ok(&["search", "repo", "-l"]),
        format!("{header}{}{}", row("0.2.0"), row("0.1.0"))
    );
    assert_eq!(
        homes.chart_ok(&["search", "repo", "hello", "--version", "<0.2.0"]),
        format!("{header}{}", row("0.1.0"))
    );
    assert_eq!(
        homes.chart_ok(&["search", "repo", "nothing-like-this"]),
        "No results found\n"
    );
    assert_eq!(
        homes.chart_ok(&["search", "repo", "hel+o", "-r", "-o", "json"]),
        "[{\"name\":\"r/hello\",\"version\":\"0.2.0\",\"app_version\":\"1.0\",\
         \"description\":\"A tiny chart for repository tests\"}]\n"
    );
}

#[test]
fn pull_by_constraint_into_the_cache_and_destination() {
    let homes = Homes::new();
    let (server, dir) = served_repo(&homes);
    homes.chart_ok(&["repo", "add", "r", &server.url()]);
    std::fs::create_dir_all(homes.path("dest")).expect("dest");
    assert_eq!(
        homes.chart_ok(&["pull", "r/hello", "--version", "~0.1", "-d", "dest"]),
        ""
    );
    let pulled = homes.path("dest/hello-0.1.0.tgz");
    assert_eq!(
        std::fs::read(&pulled).expect("pulled"),
        std::fs::read(dir.join("hello-0.1.0.tgz")).expect("fixture")
    );
    let digest = sha256_file(&pulled);
    let cached = homes
        .path("cache/content")
        .join(&digest[..2])
        .join(format!("{digest}.chart"));
    assert!(cached.is_file(), "{} missing", cached.display());
    // The newest stable version by default, the alias `fetch`, and --untar.
    homes.chart_ok(&["fetch", "r/hello", "-d", "dest"]);
    assert!(homes.path("dest/hello-0.2.0.tgz").is_file());
    homes.chart_ok(&[
        "pull",
        "r/hello",
        "--devel",
        "--untar",
        "-d",
        "dest",
        "--untardir",
        "u",
    ]);
    let chart_yaml = std::fs::read_to_string(homes.path("dest/u/hello/Chart.yaml")).expect("untar");
    assert!(chart_yaml.contains("version: 0.3.0-rc.1"));
    assert!(!homes.path("dest/hello-0.3.0-rc.1.tgz").exists());
    let err = homes.chart_err(&[
        "pull",
        "r/hello",
        "--devel",
        "--untar",
        "-d",
        "dest",
        "--untardir",
        "u",
    ]);
    assert!(
        err.contains("failed to untar: a file or directory with the name"),
        "{err}"
    );
    // A URL and --repo.
    std::fs::create_dir_all(homes.path("dest2")).expect("dest2");
    homes.chart_ok(&[
        "pull",
        &format!("{}/hello-0.1.0.tgz", server.url()),
        "-d",
        "dest2",
    ]);
    homes.chart_ok(&[
        "pull",
        "--repo",
        &server.url(),
        "hello",
        "--version",
        "0.2.0",
        "-d",
        "dest2",
    ]);
    assert!(homes.path("dest2/hello-0.1.0.tgz").is_file());
    assert!(homes.path("dest2/hello-0.2.0.tgz").is_file());
    let err = homes.chart_err(&["pull", "r/hello", "--version", "9.9.9", "-d", "dest"]);
    assert!(
        err.contains(
            "Error: chart \"hello\" matching 9.9.9 not found in r index. (try 'helm repo update'): \
             no chart version found for hello-9.9.9"
        ),
        "{err}"
    );
}

/// Rewrites the served index (and the cached copy) with `edit`.
fn edit_index(homes: &Homes, dir: &Path, edit: impl Fn(&str) -> String) {
    for p in [
        dir.join("index.yaml"),
        homes.path("cache/repository/r-index.yaml"),
    ] {
        let text = std::fs::read_to_string(&p).expect("index");
        std::fs::write(&p, edit(&text)).expect("write index");
    }
}

fn assert_nothing_left(homes: &Homes) {
    assert_eq!(homes.cached_files(), Vec::<PathBuf>::new());
    let left: Vec<_> = std::fs::read_dir(homes.path("dest"))
        .expect("dest")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn failed_downloads_leave_nothing_behind() {
    let homes = Homes::new();
    let (mut server, dir) = served_repo(&homes);
    let url = server.url();
    homes.chart_ok(&["repo", "add", "r", &url]);
    std::fs::create_dir_all(homes.path("dest")).expect("dest");

    // Digest mismatch: the index promises other bytes.
    let real = sha256_file(&dir.join("hello-0.1.0.tgz"));
    edit_index(&homes, &dir, |t| t.replace(&real, &"ab".repeat(32)));
    let err = homes.chart_err(&["pull", "r/hello", "--version", "0.1.0", "-d", "dest"]);
    assert!(err.contains("digest mismatch"), "{err}");
    assert!(err.contains(&real), "{err}");
    assert_nothing_left(&homes);
    edit_index(&homes, &dir, |t| t.replace(&"ab".repeat(32), &real));

    // 404.
    edit_index(&homes, &dir, |t| {
        t.replace("hello-0.2.0.tgz", "gone-0.2.0.tgz")
    });
    let err = homes.chart_err(&["pull", "r/hello", "--version", "0.2.0", "-d", "dest"]);
    assert!(
        err.contains(&format!(
            "Error: failed to fetch {url}/gone-0.2.0.tgz : 404 Not Found"
        )),
        "{err}"
    );
    assert_nothing_left(&homes);

    // Truncated body.
    edit_index(&homes, &dir, |t| {
        t.replace(
            &format!("{url}/gone-0.2.0.tgz"),
            &format!("{url}/truncated/hello-0.2.0.tgz"),
        )
    });
    let err = homes.chart_err(&["pull", "r/hello", "--version", "0.2.0", "-d", "dest"]);
    assert!(err.contains("failed to read"), "{err}");
    assert_nothing_left(&homes);

    // Unreachable server.
    server.shutdown();
    let err = homes.chart_err(&["pull", "r/hello", "--version", "0.1.0", "-d", "dest"]);
    assert!(err.contains("connection refused"), "{err}");
    assert_nothing_left(&homes);
    let out = homes.chart(&["repo", "update"]);
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!(
            "...Unable to get an update from the \"r\" chart repository ({url}):\n\tGet \"{url}/index.yaml\": dial tcp"
        )),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!(
        "Error: failed to update the following repositories: [{url}]"
    )));
}

#[test]
fn offline_pull_and_template_after_the_server_is_gone() {
    let homes = Homes::new();
    let (mut server, _dir) = served_repo(&homes);
    homes.chart_ok(&["repo", "add", "r", &server.url()]);
    std::fs::create_dir_all(homes.path("dest")).expect("dest");
    homes.chart_ok(&["pull", "r/hello", "--version", "0.1.0", "-d", "dest"]);
    // `template` also takes `--repo URL` and a chart URL.
    let by_repo = homes.chart_ok(&[
        "template",
        "y",
        "hello",
        "--repo",
        &server.url(),
        "--version",
        "0.2.0",
    ]);
    assert!(by_repo.contains("  version: \"0.2.0\"\n"), "{by_repo}");
    let by_url = homes.chart_ok(&[
        "template",
        "y",
        &format!("{}/hello-0.3.0-rc.1.tgz", server.url()),
    ]);
    assert!(by_url.contains("  version: \"0.3.0-rc.1\"\n"), "{by_url}");
    // --force-update replaces an entry with another URL.
    assert_eq!(
        homes.chart_ok(&[
            "repo",
            "add",
            "r",
            &format!("{}/", server.url()),
            "--force-update"
        ]),
        "\"r\" has been added to your repositories\n"
    );
    server.shutdown();
    std::fs::create_dir_all(homes.path("again")).expect("again");
    homes.chart_ok(&["pull", "r/hello", "--version", "0.1.0", "-d", "again"]);
    assert_eq!(
        std::fs::read(homes.path("again/hello-0.1.0.tgz")).expect("again"),
        std::fs::read(homes.path("dest/hello-0.1.0.tgz")).expect("dest")
    );
    let out = homes.chart_ok(&["template", "x", "r/hello", "--version", "0.1.0"]);
    assert_eq!(
        out,
        "---\n# Source: hello/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  \
         name: x-hello\ndata:\n  greeting: \"hi\"\n  version: \"0.1.0\"\n"
    );
    // Versions fetched through `template --repo` and by URL were cached as well.
    homes.chart_ok(&["template", "x", "r/hello", "--version", "0.2.0"]);
    homes.chart_ok(&["template", "x", "r/hello", "--devel"]);
    // Without the cache, the server is needed.
    std::fs::remove_dir_all(homes.path("cache/content")).expect("clear the cache");
    let err = homes.chart_err(&["template", "x", "r/hello", "--version", "0.1.0"]);
    assert!(err.contains("connection refused"), "{err}");
}

/// Drops the lines that hold timestamps.
fn without_times(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("created:") && !l.starts_with("generated:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn interop_with_reference_helm() {
    let Some(helm) = reference_helm("interop_with_reference_helm") else {
        return;
    };
    let homes = Homes::new();
    let (server, dir) = served_repo(&homes);
    let url = server.url();

    // The index chart writes is Helm's, timestamps aside.
    let helm_dir = homes.path("helm-served");
    std::fs::create_dir_all(&helm_dir).expect("helm dir");
    for v in ["0.1.0", "0.2.0", "0.3.0-rc.1"] {
        let name = format!("hello-{v}.tgz");
        std::fs::copy(dir.join(&name), helm_dir.join(&name)).expect("copy");
    }
    let out = homes.run(
        &helm,
        &[
            "repo",
            "index",
            helm_dir.to_str().expect("utf-8"),
            "--url",
            &url,
        ],
    );
    assert!(out.status.success());
    assert_eq!(
        without_times(&std::fs::read_to_string(helm_dir.join("index.yaml")).expect("helm index")),
        without_times(&std::fs::read_to_string(dir.join("index.yaml")).expect("chart index"))
    );

    // chart adds, Helm lists; Helm adds, chart lists; the files are the same bytes.
    homes.chart_ok(&["repo", "add", "r", &url]);
    let after_chart = std::fs::read(homes.path("config/repositories.yaml")).expect("config");
    let out = homes.run(&helm, &["repo", "list"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("r   \t{url}")));
    let out = homes.run(&helm, &["repo", "remove", "r"]);
    assert!(out.status.success());
    let out = homes.run(&helm, &["repo", "add", "r", &url]);
    assert!(out.status.success());
    assert_eq!(
        std::fs::read(homes.path("config/repositories.yaml")).expect("config"),
        after_chart
    );
    let out = homes.run(&helm, &["repo", "add", "h", &url]);
    assert!(out.status.success());
    let helm_list = homes.run(&helm, &["repo", "list"]).stdout;
    assert_eq!(homes.chart_ok(&["repo", "list"]).into_bytes(), helm_list);
    for args in [
        &["search", "repo", "hello"][..],
        &["search", "repo", "-l", "--devel"],
        &["search", "repo", "tiny", "-o", "yaml"],
        &["repo", "list", "-o", "json"],
    ] {
        let helm_out = homes.run(&helm, args);
        assert_eq!(
            homes.chart_ok(args),
            String::from_utf8_lossy(&helm_out.stdout),
            "{args:?}"
        );
    }

    // Helm pulls from the index chart wrote (served), chart pulls from Helm's index.
    std::fs::create_dir_all(homes.path("hd")).expect("hd");
    let out = homes.run(
        &helm,
        &["pull", "r/hello", "--version", "0.1.0", "-d", "hd"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(homes.path("hd/hello-0.1.0.tgz").is_file());
    let mut helm_server = Server::start(&helm_dir);
    let out = homes.run(
        &helm,
        &[
            "repo",
            "index",
            helm_dir.to_str().expect("utf-8"),
            "--url",
            &helm_server.url(),
        ],
    );
    assert!(out.status.success());
    homes.chart_ok(&["repo", "add", "fromhelm", &helm_server.url()]);
    std::fs::create_dir_all(homes.path("cd")).expect("cd");
    homes.chart_ok(&["pull", "fromhelm/hello", "--version", "0.2.0", "-d", "cd"]);
    assert!(homes.path("cd/hello-0.2.0.tgz").is_file());

    // The content cache is shared both ways: with the server gone, Helm renders the chart
    // `chart` cached, and `chart` renders the one Helm cached.
    let out = homes.run(
        &helm,
        &["template", "x", "fromhelm/hello", "--version", "0.1.0"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    helm_server.shutdown();
    let out = homes.run(
        &helm,
        &["template", "x", "fromhelm/hello", "--version", "0.2.0"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        homes.chart_ok(&["template", "x", "fromhelm/hello", "--version", "0.2.0"]),
        String::from_utf8_lossy(&out.stdout)
    );
    let out = homes.run(
        &helm,
        &["template", "x", "fromhelm/hello", "--version", "0.1.0"],
    );
    assert_eq!(
        homes.chart_ok(&["template", "x", "fromhelm/hello", "--version", "0.1.0"]),
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn basic_auth_repository() {
    let homes = Homes::new();
    let (server, _dir) = served_repo(&homes);
    let url = format!("{}/auth", server.url());
    let err = homes.chart_err(&["repo", "add", "a", &url]);
    assert!(
        err.contains(&format!(
            "failed to fetch {url}/index.yaml : 401 Unauthorized"
        )),
        "{err}"
    );
    let out = homes.chart(&[
        "repo",
        "add",
        "a",
        &url,
        "--username",
        "bob",
        "--password",
        "wrong",
    ]);
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("wrong"));
    homes.chart_ok(&[
        "repo",
        "add",
        "a",
        &url,
        "--username",
        "bob",
        "--password",
        "s3cret",
    ]);
    let config = std::fs::read_to_string(homes.path("config/repositories.yaml")).expect("config");
    assert!(config.contains("  password: s3cret\n  url: "));
    // --password-stdin, and Helm's failure when there is no terminal to prompt on.
    let mut child = Command::new(env!("CARGO_BIN_EXE_chart"))
        .args([
            "repo",
            "add",
            "b",
            &url,
            "--username",
            "bob",
            "--password-stdin",
        ])
        .env("HELM_CONFIG_HOME", homes.path("config"))
        .env("HELM_CACHE_HOME", homes.path("cache"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run chart");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"s3cret\n")
        .expect("write the password");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "\"b\" has been added to your repositories\n"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_chart"))
        .args(["repo", "add", "c", &url, "--username", "bob"])
        .env("HELM_CONFIG_HOME", homes.path("config"))
        .env("HELM_CACHE_HOME", homes.path("cache"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run chart");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Password: \n");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: inappropriate ioctl for device\n"
    );
    assert!(config.contains("  username: bob\n"));
    homes.chart_ok(&["repo", "update"]);
    // `template --repo` takes the same credentials.
    let out = homes.chart_ok(&[
        "template",
        "x",
        "hello",
        "--repo",
        &url,
        "--username",
        "bob",
        "--password",
        "s3cret",
        "--version",
        "0.1.0",
    ]);
    assert!(out.contains("name: x-hello"), "{out}");
    let err = homes.chart_err(&["template", "x", "hello", "--repo", &url]);
    assert!(err.contains("401 Unauthorized"), "{err}");
}

/// A child process that is ended when the test ends, even by a panic.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An HTTPS repository served by `openssl s_server -WWW` with a self-signed certificate:
/// refused without the CA, accepted with `--ca-file` or `--insecure-skip-tls-verify`.
#[test]
fn tls_repository_with_custom_ca() {
    let homes = Homes::new();
    let dir = homes.path("tls");
    std::fs::create_dir_all(&dir).expect("tls dir");
    let openssl = |args: &[&str]| {
        Command::new("openssl")
            .args(args)
            .current_dir(&dir)
            .output()
    };
    // A CA and a server certificate it signed (rustls, unlike Go, refuses a CA certificate
    // used as the server's own).
    let steps: [&[&str]; 3] = [
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=test-ca",
        ],
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "srv.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "srv.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    ];
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .expect("ext.cnf");
    for step in steps {
        let made = openssl(step);
        if !made.as_ref().is_ok_and(|o| o.status.success()) {
            println!("SKIPPED tls_repository_with_custom_ca: openssl is not available");
            return;
        }
    }
    // A free port for s_server.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    for v in ["0.1.0", "0.2.0"] {
        let name = format!("hello-{v}.tgz");
        std::fs::copy(
            repo_root().join("fixtures/repo").join(&name),
            dir.join(&name),
        )
        .expect("copy");
    }
    let url = format!("https://127.0.0.1:{port}");
    homes.chart_ok(&["repo", "index", dir.to_str().expect("utf-8"), "--url", &url]);
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-WWW", "-accept"])
        .arg(port.to_string())
        .args(["-cert", "cert.pem", "-key", "key.pem"])
        .current_dir(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(KillOnDrop)
        .expect("start openssl s_server");
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let ca = dir.join("ca.pem");
    let err = homes.chart_err(&["repo", "add", "t", &url]);
    assert!(
        err.contains("is not a valid chart repository or cannot be reached"),
        "{err}"
    );
    homes.chart_ok(&[
        "repo",
        "add",
        "t",
        &url,
        "--ca-file",
        ca.to_str().expect("utf-8"),
    ]);
    homes.chart_ok(&["repo", "add", "k", &url, "--insecure-skip-tls-verify"]);
    std::fs::create_dir_all(homes.path("dest")).expect("dest");
    homes.chart_ok(&["pull", "t/hello", "-d", "dest"]);
    assert!(homes.path("dest/hello-0.2.0.tgz").is_file());
    homes.chart_ok(&["pull", "k/hello", "--version", "0.1.0", "-d", "dest"]);
    assert!(homes.path("dest/hello-0.1.0.tgz").is_file());
    drop(child);

    // Client certificates: a server that wants one signed by the CA.
    let client_steps: [&[&str]; 2] = [
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "client.key",
            "-out",
            "client.csr",
            "-subj",
            "/CN=client",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "client.pem",
            "-days",
            "2",
            "-extfile",
            "client.cnf",
        ],
    ];
    std::fs::write(dir.join("client.cnf"), "extendedKeyUsage=clientAuth\n").expect("client.cnf");
    for step in client_steps {
        assert!(openssl(step).is_ok_and(|o| o.status.success()));
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let url = format!("https://127.0.0.1:{port}");
    homes.chart_ok(&["repo", "index", dir.to_str().expect("utf-8"), "--url", &url]);
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-WWW", "-accept"])
        .arg(port.to_string())
        .args([
            "-cert", "cert.pem", "-key", "key.pem", "-Verify", "1", "-CAfile", "ca.pem",
        ])
        .current_dir(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(KillOnDrop)
        .expect("start openssl s_server");
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let ca = ca.to_str().expect("utf-8");
    let err = homes.chart_err(&["repo", "add", "m", &url, "--ca-file", ca]);
    assert!(
        err.contains("is not a valid chart repository or cannot be reached"),
        "{err}"
    );
    let cert = dir.join("client.pem");
    let key = dir.join("client.key");
    homes.chart_ok(&[
        "repo",
        "add",
        "m",
        &url,
        "--ca-file",
        ca,
        "--cert-file",
        cert.to_str().expect("utf-8"),
        "--key-file",
        key.to_str().expect("utf-8"),
    ]);
    let config = std::fs::read_to_string(homes.path("config/repositories.yaml")).expect("config");
    assert!(config.contains("certFile: "), "{config}");
    std::fs::create_dir_all(homes.path("mtls")).expect("mtls");
    homes.chart_ok(&["pull", "m/hello", "-d", "mtls"]);
    assert!(homes.path("mtls/hello-0.2.0.tgz").is_file());
    drop(child);
}
