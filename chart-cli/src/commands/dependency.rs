//! `chart dependency list|update|build` (aliases `dep`, `dependencies`), as Helm 4's
//! `action.Dependency` and `downloader.Manager` do it: the status table, version resolution
//! against repository indexes (configured repositories, `@name`/`alias:name`, or plain URLs
//! through `helm-manager-<sha256>` index caches), `Chart.lock` with Helm's digest, and
//! downloads into `charts/`.
//!
//! Beyond Helm: downloads go through Helm 4's content cache and are checked against the index
//! digest, so `dependency build` works offline once the charts were fetched once.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use chart_core::chart::{Chart, Dependency, clean_path};
use chart_core::semver::{Constraints, Version};
use serde_json::Value as Json;

use crate::cli::GlobalFlags;
use crate::cli_dependency::{DependencyCommand, DependencyFetchArgs, DependencyListArgs};
use crate::helm_home::HelmDirs;
use crate::repo::config::{RepoEntry, RepoFile};
use crate::repo::download::{self, Resolved};
use crate::repo::http::HttpOptions;
use crate::repo::index::{self, IndexFile};

/// The prefix of the index cache names of repositories that are not configured.
const MANAGER_KEY_PREFIX: &str = "helm-manager-";

/// Runs `chart dependency ...`.
pub fn run(global: &GlobalFlags, cmd: &DependencyCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        DependencyCommand::List(a) => list(a, out),
        DependencyCommand::Update(a) => {
            let m = Manager::new(global, a)?;
            m.update(out)
        }
        DependencyCommand::Build(a) => {
            let m = Manager::new(global, a)?;
            m.build(out)
        }
    }
}

fn join(base: &str, rel: &str) -> String {
    clean_path(&format!("{base}/{rel}"))
}

/// The sorted paths matching `dir/<prefix>*<suffix>` (Go's `filepath.Glob` on one level).
fn glob(dir: &str, prefix: &str, suffix: &str) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| {
            n.len() >= prefix.len() + suffix.len() && n.starts_with(prefix) && n.ends_with(suffix)
        })
        .map(|n| join(dir, &n))
        .collect();
    found.sort();
    found
}

// ---------------------------------------------------------------------------------------------
// list

fn list(a: &DependencyListArgs, out: &mut dyn Write) -> Result<()> {
    let chartpath = clean_path(a.chart.as_deref().unwrap_or("."));
    if let Err(e) = std::fs::metadata(&chartpath) {
        if e.kind() == std::io::ErrorKind::NotFound {
            bail!("stat {chartpath}: no such file or directory");
        }
        bail!("stat {chartpath}: {e}");
    }
    let c = chart_core::chart::load(&chartpath).map_err(|e| anyhow!("{e}"))?;
    if !c.metadata.dependencies_declared {
        writeln!(
            out,
            "WARNING: no dependencies at {}",
            join(&chartpath, "charts")
        )?;
        return Ok(());
    }
    let mut rows = vec![vec![
        "NAME".to_string(),
        "VERSION".to_string(),
        "REPOSITORY".to_string(),
        "STATUS".to_string(),
    ]];
    for dep in &c.metadata.dependencies {
        rows.push(vec![
            dep.name.clone(),
            dep.version.clone(),
            dep.repository.clone(),
            dependency_status(&chartpath, dep, &c),
        ]);
    }
    let table = crate::repo::table::format(&rows, a.max_col_width);
    // uitable's String() has no final newline; Helm prints it with Println, then an empty line.
    writeln!(out, "{table}")?;
    print_missing(&chartpath, out, &c.metadata.dependencies)?;
    Ok(())
}

fn version_status(found: &str, wanted: &str) -> Option<&'static str> {
    if found == wanted {
        return None;
    }
    let Ok(constraint) = Constraints::parse(wanted) else {
        return Some("invalid version");
    };
    let Ok(v) = Version::parse(found) else {
        return Some("invalid version");
    };
    (!constraint.check(&v)).then_some("wrong version")
}

fn stat_archive_for_status(archive: &str, dep: &Dependency) -> Option<String> {
    std::fs::metadata(archive).ok()?;
    let Ok(c) = chart_core::chart::load(archive) else {
        return Some("corrupt".into());
    };
    if c.name() != dep.name {
        return Some("misnamed".into());
    }
    Some(
        version_status(&c.metadata.version, &dep.version)
            .unwrap_or("ok")
            .to_string(),
    )
}

fn dependency_status(chartpath: &str, dep: &Dependency, parent: &Chart) -> String {
    let archives = glob(
        &join(chartpath, "charts"),
        &format!("{}-", dep.name),
        ".tgz",
    );
    if archives.len() > 1 {
        let prefix = format!("{}-", dep.name);
        let found: Vec<&String> = archives
            .iter()
            .filter(|arc| {
                let base = arc.rsplit('/').next().unwrap_or("");
                let stem = base.strip_suffix(".tgz").unwrap_or(base);
                let maybe = stem.strip_prefix(&prefix).unwrap_or(stem);
                Version::parse_strict(maybe).is_ok()
            })
            .collect();
        if found.len() == 1 {
            if let Some(r) = stat_archive_for_status(found[0], dep) {
                return r;
            }
        } else if found.len() > 1 {
            return "too many matches".into();
        }
    } else if archives.len() == 1
        && let Some(r) = stat_archive_for_status(&archives[0], dep)
    {
        return r;
    }
    let Some(dep_chart) = parent
        .dependencies
        .iter()
        .rev()
        .find(|d| d.name() == dep.name)
    else {
        return "missing".into();
    };
    version_status(&dep_chart.metadata.version, &dep.version)
        .unwrap_or("unpacked")
        .to_string()
}

fn print_missing(chartpath: &str, out: &mut dyn Write, reqs: &[Dependency]) -> Result<()> {
    for f in glob(&join(chartpath, "charts"), "", "") {
        let is_dir = Path::new(&f).is_dir();
        let base = f.rsplit('/').next().unwrap_or("");
        // Go's filepath.Ext: from the last dot of the last element.
        let ext = base.rfind('.').map_or("", |i| &base[i..]);
        if !is_dir && ext != ".tgz" {
            continue;
        }
        let Ok(c) = chart_core::chart::load(&f) else {
            writeln!(out, "WARNING: {f:?} is not a chart.")?;
            continue;
        };
        if !reqs.iter().any(|d| d.name == c.name()) {
            writeln!(out, "WARNING: {f:?} is not in Chart.yaml.")?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The digest of a lock file

/// Go's `encoding/json` encoding of a value: object keys sorted, `<`, `>`, `&`, U+2028 and
/// U+2029 escaped.
fn go_json(v: &Json, out: &mut String) {
    match v {
        Json::Object(map) => {
            let sorted: BTreeMap<&String, &Json> = map.iter().collect();
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json_string(k, out);
                out.push(':');
                go_json(v, out);
            }
            out.push('}');
        }
        Json::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json(v, out);
            }
            out.push(']');
        }
        Json::String(s) => go_json_string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn go_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// One `chart.Dependency` as Go marshals it (fields in struct order, `omitempty` honoured);
/// `import_values` is the entry's `import-values` as written in the YAML file.
fn dependency_json(d: &Dependency, import_values: Option<&Json>) -> String {
    let mut s = String::from("{\"name\":");
    go_json_string(&d.name, &mut s);
    if !d.version.is_empty() {
        s.push_str(",\"version\":");
        go_json_string(&d.version, &mut s);
    }
    s.push_str(",\"repository\":");
    go_json_string(&d.repository, &mut s);
    if !d.condition.is_empty() {
        s.push_str(",\"condition\":");
        go_json_string(&d.condition, &mut s);
    }
    if !d.tags.is_empty() {
        s.push_str(",\"tags\":");
        go_json(
            &Json::Array(d.tags.iter().cloned().map(Json::String).collect()),
            &mut s,
        );
    }
    if d.enabled {
        s.push_str(",\"enabled\":true");
    }
    if let Some(iv) = import_values.filter(|iv| iv.as_array().is_some_and(|a| !a.is_empty())) {
        s.push_str(",\"import-values\":");
        go_json(iv, &mut s);
    }
    if !d.alias.is_empty() {
        s.push_str(",\"alias\":");
        go_json_string(&d.alias, &mut s);
    }
    s.push('}');
    s
}

fn dependency_list_json(deps: &[Dependency], raw: &[Json]) -> String {
    let items: Vec<String> = deps
        .iter()
        .enumerate()
        .map(|(i, d)| dependency_json(d, raw.get(i).and_then(|r| r.get("import-values"))))
        .collect();
    format!("[{}]", items.join(","))
}

/// Helm's `HashReq`: `sha256:` and the SHA-256 of the JSON of `[req, lock]`.
fn hash_req(req: &[Dependency], raw_req: &[Json], lock: &[Dependency]) -> String {
    let data = format!(
        "[{},{}]",
        dependency_list_json(req, raw_req),
        dependency_list_json(lock, &[])
    );
    format!("sha256:{}", crate::repo::sha256_hex(data.as_bytes()))
}

/// Helm's `HashV2Req` (requirements locked by Helm 2): the JSON of `{"dependencies": req}`.
fn hash_v2_req(req: &[Dependency], raw_req: &[Json]) -> String {
    let data = format!(
        "{{\"dependencies\":{}}}",
        dependency_list_json(req, raw_req)
    );
    format!("sha256:{}", crate::repo::sha256_hex(data.as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// update and build

/// Helm's `urlutil.Equal`: URLs equal once an empty path is `/` and paths are cleaned.
fn url_equal(a: &str, b: &str) -> bool {
    fn norm(u: &str) -> String {
        let (head, rest) = match u.find("://") {
            Some(i) => {
                let after = &u[i + 3..];
                let end = after.find(['/', '?', '#']).map_or(u.len(), |j| i + 3 + j);
                (&u[..end], &u[end..])
            }
            None => ("", u),
        };
        let (path, tail) = match rest.find(['?', '#']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let path = if path.is_empty() { "/" } else { path };
        format!("{head}{}{tail}", clean_path(path))
    }
    norm(a) == norm(b)
}

/// Go's `url.ParseRequestURI` succeeding: an absolute URL or an absolute path.
fn is_request_uri(s: &str) -> bool {
    if s.starts_with('/') {
        return true;
    }
    match s.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

struct Manager {
    dirs: HelmDirs,
    chartpath: String,
    skip_refresh: bool,
    http: HttpOptions,
}

/// A loaded chart directory with the raw `dependencies` entries (for `import-values`).
struct Loaded {
    chart: Chart,
    raw_deps: Vec<Json>,
    v1: bool,
}

impl Manager {
    fn new(global: &GlobalFlags, a: &DependencyFetchArgs) -> Result<Manager> {
        if a.verify {
            bail!(
                "--verify (provenance checks) is not supported by chart yet; run without it \
                 or use helm"
            );
        }
        if a.keyring.is_some() {
            bail!("--keyring only applies to --verify, which is not supported by chart yet");
        }
        Ok(Manager {
            dirs: HelmDirs::from_flags(global),
            chartpath: clean_path(a.chart.as_deref().unwrap_or(".")),
            skip_refresh: a.skip_refresh,
            http: HttpOptions {
                username: a.username.clone().unwrap_or_default(),
                password: a.password.clone().unwrap_or_default(),
                ca_file: a.ca_file.clone().unwrap_or_default(),
                cert_file: a.cert_file.clone().unwrap_or_default(),
                key_file: a.key_file.clone().unwrap_or_default(),
                insecure_skip_tls_verify: a.insecure_skip_tls_verify,
                ..HttpOptions::default()
            },
        })
    }

    fn load_chart_dir(&self) -> Result<Loaded> {
        let p = &self.chartpath;
        match std::fs::metadata(p) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                bail!("could not find {p}: stat {p}: no such file or directory")
            }
            Err(e) => bail!("could not find {p}: stat {p}: {e}"),
            Ok(m) if !m.is_dir() => bail!("only unpacked charts can be updated"),
            Ok(_) => {}
        }
        let chart = chart_core::chart::load_dir(Path::new(p)).map_err(|e| anyhow!("{e}"))?;
        let v1 = chart.metadata.api_version == "v1";
        // apiVersion v1 charts keep their dependencies in requirements.yaml.
        let file = if v1 {
            "requirements.yaml"
        } else {
            "Chart.yaml"
        };
        let raw_deps = std::fs::read_to_string(Path::new(p).join(file))
            .ok()
            .and_then(|t| crate::repo::yaml_to_json(&t).ok())
            .and_then(|v| v.get("dependencies").and_then(Json::as_array).cloned())
            .unwrap_or_default();
        Ok(Loaded {
            chart,
            raw_deps,
            v1,
        })
    }

    fn repo_file(&self) -> Result<Option<RepoFile>> {
        RepoFile::load(&self.dirs.repository_config)
    }

    /// Helm's `resolveRepoNames`: the configured repository of each dependency (by name),
    /// `@name`/`alias:name` replaced by the repository URL.
    fn resolve_repo_names(&self, deps: &mut [Dependency]) -> Result<BTreeMap<String, String>> {
        // A missing repositories.yaml is an empty one.
        let rf = self.repo_file()?.unwrap_or_default();
        let mut names = BTreeMap::new();
        let mut missing = Vec::new();
        for dd in deps.iter_mut() {
            if dd.repository.is_empty() {
                continue;
            }
            if dd.repository.starts_with("file://") {
                get_local_path(&dd.repository, &self.chartpath)?;
                names.insert(dd.name.clone(), dd.repository.clone());
                continue;
            }
            let alias = dd
                .repository
                .strip_prefix('@')
                .or_else(|| dd.repository.strip_prefix("alias:"));
            let found = rf
                .repositories
                .iter()
                .find(|r| alias.is_some_and(|a| a == r.name) || url_equal(&r.url, &dd.repository));
            match found {
                Some(r) => {
                    if alias.is_some_and(|a| a == r.name) {
                        dd.repository = r.url.clone();
                    }
                    names.insert(dd.name.clone(), r.name.clone());
                }
                None if is_request_uri(&dd.repository) => {
                    names.insert(dd.repository.clone(), dd.repository.clone());
                }
                None => missing.push(dd.repository.clone()),
            }
        }
        if !missing.is_empty() {
            let mut msg = format!(
                "no repository definition for {}. Please add them via 'helm repo add'",
                missing.join(", ")
            );
            if missing
                .iter()
                .any(|r| !r.contains("//") && !r.starts_with('@') && !r.starts_with("alias:"))
            {
                msg.push_str(
                    "\nNote that repositories must be URLs or aliases. For example, to refer to the \"example\"\nrepository, use \"https://charts.example.com/\" or \"@example\" instead of\n\"example\". Don't forget to add the repo, too ('helm repo add').",
                );
            }
            bail!(msg);
        }
        Ok(names)
    }

    fn merged_http(&self, mut base: HttpOptions) -> HttpOptions {
        let pick = |a: &mut String, b: &String| {
            if !b.is_empty() {
                a.clone_from(b);
            }
        };
        pick(&mut base.username, &self.http.username);
        pick(&mut base.password, &self.http.password);
        pick(&mut base.ca_file, &self.http.ca_file);
        pick(&mut base.cert_file, &self.http.cert_file);
        pick(&mut base.key_file, &self.http.key_file);
        base.insecure_skip_tls_verify |= self.http.insecure_skip_tls_verify;
        base
    }

    /// Downloads the indexes of repositories that are not configured (Helm's
    /// `ensureMissingRepos`), under `helm-manager-<sha256 of the URL>`.
    fn ensure_missing_repos(
        &self,
        names: &mut BTreeMap<String, String>,
        deps: &[Dependency],
        out: &mut dyn Write,
    ) -> Result<()> {
        let mut unmanaged: Vec<(String, String)> = Vec::new();
        for dd in deps {
            if names.contains_key(&dd.name) || dd.repository.is_empty() {
                continue;
            }
            let rn = format!(
                "{MANAGER_KEY_PREFIX}{}",
                crate::repo::sha256_hex(dd.repository.as_bytes())
            );
            names.insert(dd.name.clone(), rn.clone());
            unmanaged.push((rn, dd.repository.clone()));
        }
        if !self.skip_refresh && !unmanaged.is_empty() {
            writeln!(out, "Getting updates for unmanaged Helm repositories...")?;
            for (rn, url) in &unmanaged {
                let opts = self.merged_http(HttpOptions {
                    repo_url: url.clone(),
                    ..HttpOptions::default()
                });
                match super::repo::download_to_cache(&self.dirs, rn, &opts) {
                    Ok(()) => writeln!(
                        out,
                        "...Successfully got an update from the {url:?} chart repository"
                    )?,
                    Err(e) => writeln!(
                        out,
                        "...Unable to get an update from the {url:?} chart repository:\n\t{e}"
                    )?,
                }
            }
        }
        Ok(())
    }

    /// Helm's `UpdateRepositories`: refreshes every configured repository's index.
    fn update_repositories(&self, out: &mut dyn Write) -> Result<()> {
        let repos = self
            .repo_file()?
            .map(|f| f.repositories)
            .unwrap_or_default();
        if repos.is_empty() {
            return Ok(());
        }
        writeln!(
            out,
            "Hang tight while we grab the latest from your chart repositories..."
        )?;
        for r in &repos {
            let opts = self.merged_http(HttpOptions::for_repo(r));
            match super::repo::download_to_cache(&self.dirs, &r.name, &opts) {
                Ok(()) => writeln!(
                    out,
                    "...Successfully got an update from the {:?} chart repository",
                    r.name
                )?,
                Err(e) => writeln!(
                    out,
                    "...Unable to get an update from the {:?} chart repository ({}):\n\t{e}",
                    r.name, r.url
                )?,
            }
        }
        writeln!(out, "Update Complete. ⎈Happy Helming!⎈")?;
        Ok(())
    }

    /// Helm's resolver: the locked version of each dependency.
    fn resolve(
        &self,
        reqs: &[Dependency],
        names: &BTreeMap<String, String>,
    ) -> Result<Vec<Dependency>> {
        let mut locked = Vec::new();
        let mut missing = Vec::new();
        for d in reqs {
            let constraint = Constraints::parse(&d.version).map_err(|e| {
                anyhow!(
                    "dependency {:?} has an invalid version/constraint format: {e}",
                    d.name
                )
            })?;
            let lock = |version: String| Dependency {
                name: d.name.clone(),
                repository: d.repository.clone(),
                version,
                ..Dependency::default()
            };
            if d.repository.is_empty() {
                get_local_path(&format!("charts/{}", d.name), &self.chartpath)?;
                locked.push(lock(d.version.clone()));
                continue;
            }
            if d.repository.starts_with("file://") {
                let dir = get_local_path(&d.repository, &self.chartpath)?;
                let ch =
                    chart_core::chart::load_dir(Path::new(&dir)).map_err(|e| anyhow!("{e}"))?;
                let Ok(v) = Version::parse(&ch.metadata.version) else {
                    continue;
                };
                if !constraint.check(&v) {
                    missing.push(format!(
                        "{:?} (repository {:?}, version {:?})",
                        d.name, d.repository, d.version
                    ));
                    continue;
                }
                locked.push(lock(ch.metadata.version.clone()));
                continue;
            }
            let repo_name = names.get(&d.name).cloned().unwrap_or_default();
            let idx = IndexFile::load(&self.dirs.index_file(&repo_name)).map_err(|e| {
                anyhow!(
                    "no cached repository for {repo_name} found. (try 'helm repo update'): {e:#}"
                )
            })?;
            let Some(versions) = idx.entries.get(&d.name) else {
                bail!("{} chart not found in repo {}", d.name, d.repository);
            };
            let found = versions.iter().find_map(|cv| {
                let v = Version::parse(index::field(cv, "version")).ok()?;
                index::first_url(cv)?;
                constraint.check(&v).then(|| v.original().to_string())
            });
            match found {
                Some(v) => locked.push(lock(v)),
                None => missing.push(format!(
                    "{:?} (repository {:?}, version {:?})",
                    d.name, d.repository, d.version
                )),
            }
        }
        if !missing.is_empty() {
            bail!(
                "can't get a valid version for {} subchart(s): {}. Make sure a matching chart \
                 version exists in the repo, or change the version constraint in Chart.yaml",
                missing.len(),
                missing.join(", ")
            );
        }
        Ok(locked)
    }

    /// Finds the archive of an exact dependency version: in a configured repository's cached
    /// index, else in the `helm-manager-` index cache of its URL (downloaded when absent).
    fn find_chart(&self, dep: &Dependency, repos: &[RepoEntry]) -> Result<Resolved> {
        let (idx, base, http) =
            if let Some(r) = repos.iter().find(|r| url_equal(&dep.repository, &r.url)) {
                let idx = IndexFile::load(&self.dirs.index_file(&r.name))?;
                (
                    idx,
                    r.url.clone(),
                    self.merged_http(HttpOptions::for_repo(r)),
                )
            } else {
                let rn = format!(
                    "{MANAGER_KEY_PREFIX}{}",
                    crate::repo::sha256_hex(dep.repository.as_bytes())
                );
                let http = self.merged_http(HttpOptions {
                    repo_url: dep.repository.clone(),
                    ..HttpOptions::default()
                });
                let idx = match IndexFile::load(&self.dirs.index_file(&rn)) {
                    Ok(idx) => idx,
                    Err(_) => download::download_index(&http)
                        .map(|(_, idx)| idx)
                        .map_err(|e| {
                            anyhow!(
                                "could not find : chart {} not found in {}: {e}",
                                dep.name,
                                dep.repository
                            )
                        })?,
                };
                (idx, dep.repository.clone(), http)
            };
        let not_found = |why: &str| {
            anyhow!(
                "could not find : chart {} not found in {}: {why}",
                dep.name,
                dep.repository
            )
        };
        let versions = idx
            .entries
            .get(&dep.name)
            .ok_or_else(|| not_found("entry not found"))?;
        let cv = versions
            .iter()
            .filter(|cv| index::first_url(cv).is_some())
            .find(|cv| {
                dep.version.is_empty() || version_equals(&dep.version, index::field(cv, "version"))
            })
            .ok_or_else(|| not_found("no matching version"))?;
        let url = index::first_url(cv).unwrap_or_default();
        let digest = index::field(cv, "digest");
        let digest = digest
            .strip_prefix("sha256:")
            .unwrap_or(digest)
            .to_ascii_lowercase();
        Ok(Resolved {
            url: download::resolve_reference_url(&base, url),
            digest: (digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()))
                .then_some(digest),
            http,
        })
    }

    /// Helm's `downloadAll`: every locked dependency into `charts/`, replacing older archives of
    /// the same chart only once all were fetched.
    fn download_all(&self, deps: &[Dependency], out: &mut dyn Write) -> Result<()> {
        let repos = self
            .repo_file()?
            .map(|f| f.repositories)
            .unwrap_or_default();
        let dest = PathBuf::from(join(&self.chartpath, "charts"));
        match std::fs::metadata(&dest) {
            Err(_) => std::fs::create_dir_all(&dest)
                .with_context(|| format!("cannot create {}", dest.display()))?,
            Ok(m) if !m.is_dir() => bail!("{:?} is not a directory", dest.display().to_string()),
            Ok(_) => {}
        }
        writeln!(out, "Saving {} charts", deps.len())?;
        let mut fetched: Vec<(String, Vec<u8>)> = Vec::new();
        let mut seen_urls = BTreeSet::new();
        for dep in deps {
            if dep.repository.is_empty() {
                writeln!(
                    out,
                    "Dependency {} did not declare a repository. Assuming it exists in the charts directory",
                    dep.name
                )?;
                let ch = chart_core::chart::load_dir(&dest.join(&dep.name))
                    .map_err(|e| anyhow!("Unable to load chart: {e}"))?;
                let constraint = Constraints::parse(&dep.version).map_err(|e| {
                    anyhow!(
                        "dependency {} has an invalid version/constraint format: {e}",
                        dep.name
                    )
                })?;
                let v = Version::parse(&ch.metadata.version).map_err(|e| {
                    anyhow!(
                        "invalid version {} for dependency {}: {e}",
                        dep.version,
                        dep.name
                    )
                })?;
                if !constraint.check(&v) {
                    bail!(
                        "dependency {} at version {} does not satisfy the constraint {}",
                        dep.name,
                        ch.metadata.version,
                        dep.version
                    );
                }
                continue;
            }
            if dep.repository.starts_with("file://") {
                // Helm's `tarFromLocalDir`: the directory is packaged as `helm package` would.
                let dir = get_local_path(&dep.repository, &self.chartpath)?;
                let opts = chart_core::chart::package::PackageOptions {
                    mtime: super::package::source_date_epoch()?,
                    skip_dependency_check: true,
                    ..Default::default()
                };
                let package = chart_core::chart::package::package_dir(Path::new(&dir), &opts)
                    .map_err(|e| anyhow!("{e}"))?;
                fetched.push((package.file_name, package.bytes));
                continue;
            }
            let resolved = self.find_chart(dep, &repos)?;
            if !seen_urls.insert(resolved.url.clone()) {
                writeln!(
                    out,
                    "Already downloaded {} from repo {}",
                    dep.name, dep.repository
                )?;
                continue;
            }
            writeln!(out, "Downloading {} from repo {}", dep.name, dep.repository)?;
            let data = download::fetch(&self.dirs, &resolved)
                .map_err(|e| anyhow!("could not download {}: {e:#}", resolved.url))?;
            let name = resolved.file_name();
            if name.is_empty() || name.contains('\\') || name == ".." {
                bail!("cannot tell the file name of {}", resolved.url);
            }
            fetched.push((name, data));
        }
        // Helm's `safeMoveDeps`: every file of charts/ that is not one of the charts just
        // fetched goes, if it loads as a chart that is not an unmanaged (repository-less)
        // dependency.
        writeln!(out, "Deleting outdated charts")?;
        let dest_s = dest.to_string_lossy().into_owned();
        let fresh: BTreeSet<&str> = fetched.iter().map(|(n, _)| n.as_str()).collect();
        let unmanaged: BTreeSet<&str> = deps
            .iter()
            .filter(|d| d.repository.is_empty())
            .map(|d| d.name.as_str())
            .collect();
        let mut existing: Vec<String> = std::fs::read_dir(&dest)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !fresh.contains(n.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        existing.sort();
        for name in existing {
            let f = join(&dest_s, &name);
            match chart_core::chart::load(Path::new(&f)) {
                Ok(c) if unmanaged.contains(c.name()) => {}
                Ok(_) => {
                    if let Err(e) = std::fs::remove_file(&f) {
                        write!(out, "Could not delete {f}: {e} (Skipping)")?;
                    }
                }
                Err(e) => write!(out, "Could not verify {f} for deletion: {e} (Skipping)")?,
            }
        }
        for (name, data) in &fetched {
            crate::repo::write_atomic_mode(&dest.join(name), data, 0o644)?;
        }
        Ok(())
    }

    fn write_lock(&self, loaded: &Loaded, deps: &[Dependency], digest: &str) -> Result<()> {
        let deps_json: Vec<Json> = deps
            .iter()
            .map(|d| {
                let mut m = serde_json::Map::new();
                m.insert("name".into(), Json::String(d.name.clone()));
                if !d.version.is_empty() {
                    m.insert("version".into(), Json::String(d.version.clone()));
                }
                m.insert("repository".into(), Json::String(d.repository.clone()));
                Json::Object(m)
            })
            .collect();
        let lock = serde_json::json!({
            "generated": crate::repo::now_rfc3339_nano(),
            "digest": digest,
            "dependencies": deps_json,
        });
        let text = crate::repo::json_to_yaml(&lock)?;
        let name = if loaded.v1 {
            "requirements.lock"
        } else {
            "Chart.lock"
        };
        crate::repo::write_atomic_mode(
            &Path::new(&self.chartpath).join(name),
            text.as_bytes(),
            0o644,
        )
    }

    /// `dependency update`.
    fn update(&self, out: &mut dyn Write) -> Result<()> {
        let loaded = self.load_chart_dir()?;
        self.update_loaded(loaded, out)
    }

    fn update_loaded(&self, loaded: Loaded, out: &mut dyn Write) -> Result<()> {
        if !loaded.chart.metadata.dependencies_declared {
            return Ok(());
        }
        let mut req = loaded.chart.metadata.dependencies.clone();
        let mut names = self.resolve_repo_names(&mut req)?;
        self.ensure_missing_repos(&mut names, &req, out)?;
        if !self.skip_refresh {
            self.update_repositories(out)?;
        }
        let locked = self.resolve(&req, &names)?;
        self.download_all(&locked, out)?;
        let digest = hash_req(&req, &loaded.raw_deps, &locked);
        if loaded
            .chart
            .lock
            .as_ref()
            .is_some_and(|l| l.digest == digest)
        {
            return Ok(());
        }
        self.write_lock(&loaded, &locked, &digest)
    }

    /// `dependency build`.
    fn build(&self, out: &mut dyn Write) -> Result<()> {
        let loaded = self.load_chart_dir()?;
        let Some(lock) = loaded.chart.lock.clone() else {
            return self.update_loaded(loaded, out);
        };
        let mut req = loaded.chart.metadata.dependencies.clone();
        let v2_sum = loaded.v1.then(|| hash_v2_req(&req, &loaded.raw_deps));
        self.resolve_repo_names(&mut req)?;
        if hash_req(&req, &loaded.raw_deps, &lock.dependencies) != lock.digest {
            match v2_sum {
                Some(sum) => {
                    eprintln!(
                        "level=WARN msg=\"a valid Helm v3 hash was not found. Checking against Helm v2 hash...\""
                    );
                    if sum != lock.digest {
                        bail!(
                            "the lock file (requirements.lock) is out of sync with the dependencies file (requirements.yaml). Please update the dependencies"
                        );
                    }
                }
                None => bail!(
                    "the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies"
                ),
            }
        }
        self.has_all_repos(&lock.dependencies)?;
        if !self.skip_refresh {
            self.update_repositories(out)?;
        }
        self.download_all(&lock.dependencies, out)
    }

    /// Helm's `hasAllRepos`: `build` needs every repository configured.
    fn has_all_repos(&self, deps: &[Dependency]) -> Result<()> {
        let repos = self
            .repo_file()?
            .map(|f| f.repositories)
            .unwrap_or_default();
        let missing: Vec<&str> = deps
            .iter()
            .filter(|d| !d.repository.is_empty() && !d.repository.starts_with("file://"))
            .filter(|d| {
                let want = d.repository.strip_suffix('/').unwrap_or(&d.repository);
                !repos.iter().any(|r| url_equal(&r.url, want))
            })
            .map(|d| d.repository.as_str())
            .collect();
        if !missing.is_empty() {
            bail!(
                "no repository definition for {}. Please add the missing repos via 'helm repo add'",
                missing.join(", ")
            );
        }
        Ok(())
    }
}

/// Helm's `versionEquals`: semantic equality, else string equality.
fn version_equals(a: &str, b: &str) -> bool {
    match Version::parse(a) {
        Ok(va) => Version::parse(b).is_ok_and(|vb| va.compare(&vb) == std::cmp::Ordering::Equal),
        Err(_) => a == b,
    }
}

/// Helm's `GetLocalPath`: a `file://` path relative to the chart (or absolute), which must
/// exist.
fn get_local_path(repo: &str, chartpath: &str) -> Result<String> {
    let p = repo.strip_prefix("file://").unwrap_or(repo);
    let dep_path = if p.starts_with('/') {
        clean_path(p)
    } else {
        join(chartpath, p)
    };
    if !Path::new(&dep_path).exists() {
        bail!("directory {dep_path} not found");
    }
    Ok(dep_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_clean_like_go() {
        assert_eq!(clean_path("a/../b/"), "b");
        assert_eq!(clean_path("./x//y/."), "x/y");
        assert_eq!(clean_path("../a"), "../a");
        assert_eq!(clean_path("/a/../.."), "/");
        assert_eq!(clean_path(""), ".");
    }

    #[test]
    fn urls_compare_like_helm() {
        assert!(url_equal("http://h:1", "http://h:1/"));
        assert!(url_equal("http://h/a/", "http://h/a"));
        assert!(!url_equal("http://h/a", "http://h/b"));
        assert!(is_request_uri("http://h"));
        assert!(!is_request_uri("stable"));
    }

    #[test]
    fn digest_matches_helm_for_html_characters_and_import_values() {
        // Recorded from Helm 4.1.4: `>` is escaped, `parent: y` is YAML 1.1's true.
        let req = vec![Dependency {
            name: "hello".into(),
            version: "~0.1.0".into(),
            repository: "http://127.0.0.1:18731".into(),
            ..Dependency::default()
        }];
        let raw = vec![serde_json::json!({"import-values": [{"child": "x", "parent": true}]})];
        let lock = vec![Dependency {
            name: "hello".into(),
            version: "0.1.0".into(),
            repository: "http://127.0.0.1:18731".into(),
            ..Dependency::default()
        }];
        assert_eq!(
            hash_req(&req, &raw, &lock),
            "sha256:7e8befec639ba5b3f902459926e83e08263be9965777dd15f648ac7aa78431f4"
        );
        let mut req2 = req.clone();
        req2[0].version = ">=0.1.0".into();
        let mut lock2 = lock.clone();
        lock2[0].version = "0.2.0".into();
        assert_eq!(
            hash_req(&req2, &[], &lock2),
            "sha256:2f4b9de0616baf9c9ed604443124f7f75d9d68a3ad5f117b2ef84298a852c177"
        );
    }
}
