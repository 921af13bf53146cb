//! Chart references (`repo/chart`, a URL, or `--repo URL` plus a name), resolved against the
//! cached repository indexes, and Helm 4's content-addressed chart cache
//! (`<content cache>/<first byte in hex>/<sha256>.chart`). A chart whose index digest is in the
//! cache is used without touching the network (offline-first); a download is checked against
//! the index digest before it is cached or used.

use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};

use super::config::RepoFile;
use super::http::{self, HttpOptions};
use super::index::{self, IndexFile};
use crate::helm_home::HelmDirs;

/// A chart to fetch.
#[derive(Debug, Clone, Default)]
pub struct ChartRequest {
    /// `repo/chart`, a URL, or a chart name with `repo_url`.
    pub reference: String,
    /// The version constraint (`""` for the newest stable version).
    pub version: String,
    /// `--repo`.
    pub repo_url: Option<String>,
    /// Connection flags given on the command line (`--username`, `--ca-file`, ...).
    pub http: HttpOptions,
}

/// A resolved chart download.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The archive's URL.
    pub url: String,
    /// The SHA-256 the index gives for it, when known.
    pub digest: Option<String>,
    /// How to reach the server.
    pub http: HttpOptions,
}

impl Resolved {
    /// The file name the archive is saved under (the last segment of the URL path).
    pub fn file_name(&self) -> String {
        let path = self.url.split(['?', '#']).next().unwrap_or("");
        path.rsplit('/').next().unwrap_or("").to_string()
    }
}

/// Helm's `ResolveReferenceURL`: an absolute `ref_url` as is, else relative to the repository
/// URL taken as a directory, keeping the repository URL's query.
pub fn resolve_reference_url(base: &str, ref_url: &str) -> String {
    if ref_url.contains("://") {
        return ref_url.to_string();
    }
    let (base_path, query) = match base.find('?') {
        Some(i) => (&base[..i], &base[i..]),
        None => (base, ""),
    };
    let ref_path = ref_url.split('?').next().unwrap_or(ref_url);
    if let Some(abs) = ref_path.strip_prefix('/') {
        let root_end = base_path
            .find("://")
            .map(|i| {
                i + 3
                    + base_path[i + 3..]
                        .find('/')
                        .unwrap_or(base_path.len() - i - 3)
            })
            .unwrap_or(0);
        return format!("{}/{abs}{query}", &base_path[..root_end]);
    }
    let ref_path = ref_path.strip_prefix("./").unwrap_or(ref_path);
    format!("{}/{ref_path}{query}", base_path.trim_end_matches('/'))
}

fn is_absolute_url(reference: &str) -> bool {
    match reference.split_once("://") {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && rest.find('/').is_some_and(|i| i > 0 && i + 1 < rest.len())
        }
        None => false,
    }
}

fn strip_digest(d: &str) -> Option<String> {
    let d = d.strip_prefix("sha256:").unwrap_or(d).to_ascii_lowercase();
    (d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit())).then_some(d)
}

/// The index URL of a repository.
pub fn index_url(repo_url: &str) -> String {
    match repo_url.split_once('?') {
        Some((p, q)) => format!("{}/index.yaml?{q}", p.trim_end_matches('/')),
        None => format!("{}/index.yaml", repo_url.trim_end_matches('/')),
    }
}

/// Downloads and parses a repository's index; returns the raw bytes and the index.
pub fn download_index(opts: &HttpOptions) -> Result<(Vec<u8>, IndexFile), String> {
    let data = http::get(&index_url(&opts.repo_url), opts, None)?;
    let idx = IndexFile::parse(&data)?;
    Ok((data, idx))
}

/// Resolves a chart reference the way Helm's `ResolveChartVersion` does.
pub fn resolve(dirs: &HelmDirs, req: &ChartRequest) -> Result<Resolved> {
    if let Some(repo_url) = &req.repo_url {
        let mut opts = req.http.clone();
        opts.repo_url = repo_url.clone();
        let (_, idx) = download_index(&opts).map_err(|e| {
            anyhow!(
                "looks like {repo_url:?} is not a valid chart repository or cannot be reached: {e}"
            )
        })?;
        let mut what = format!("chart {:?}", req.reference);
        if !req.version.is_empty() {
            what = format!("{what} version {:?}", req.version);
        }
        let cv = idx
            .get(&req.reference, &req.version)
            .map_err(|_| anyhow!("{what} not found in {repo_url} repository"))?;
        let Some(url) = index::first_url(cv) else {
            bail!("{what} has no downloadable URLs");
        };
        return Ok(Resolved {
            url: resolve_reference_url(repo_url, url),
            digest: strip_digest(index::field(cv, "digest")),
            http: opts,
        });
    }
    let repos = RepoFile::load_or_default(&dirs.repository_config)?;
    if is_absolute_url(&req.reference) {
        // Credentials of a configured repository whose URL the chart URL starts with.
        let mut opts = req.http.clone();
        if let Some(entry) = repos
            .repositories
            .iter()
            .find(|r| !r.url.is_empty() && req.reference.starts_with(r.url.trim_end_matches('/')))
        {
            opts = merge_http(HttpOptions::for_repo(entry), &req.http);
        } else {
            opts.repo_url = req.reference.clone();
        }
        return Ok(Resolved {
            url: req.reference.clone(),
            digest: None,
            http: opts,
        });
    }
    let Some((repo_name, chart_name)) = req.reference.split_once('/') else {
        bail!(
            "non-absolute URLs should be in form of repo_name/path_to_chart, got: {}",
            req.reference
        );
    };
    let Some(entry) = repos.get(repo_name) else {
        bail!("repo {repo_name} not found");
    };
    let idx = IndexFile::load(&dirs.index_file(repo_name))
        .map_err(|e| anyhow!("no cached repo found. (try 'helm repo update'): {e:#}"))?;
    let cv = idx.get(chart_name, &req.version).map_err(|e| {
        anyhow!(
            "chart {chart_name:?} matching {} not found in {repo_name} index. (try 'helm repo update'): {e}",
            req.version
        )
    })?;
    let Some(url) = index::first_url(cv) else {
        bail!("chart {chart_name:?} has no downloadable URLs");
    };
    Ok(Resolved {
        url: resolve_reference_url(&entry.url, url),
        digest: strip_digest(index::field(cv, "digest")),
        http: merge_http(HttpOptions::for_repo(entry), &req.http),
    })
}

/// The repository's settings, with the command line's connection flags winning.
fn merge_http(mut base: HttpOptions, flags: &HttpOptions) -> HttpOptions {
    let pick = |a: &mut String, b: &String| {
        if !b.is_empty() {
            a.clone_from(b);
        }
    };
    pick(&mut base.username, &flags.username);
    pick(&mut base.password, &flags.password);
    pick(&mut base.ca_file, &flags.ca_file);
    pick(&mut base.cert_file, &flags.cert_file);
    pick(&mut base.key_file, &flags.key_file);
    base.insecure_skip_tls_verify |= flags.insecure_skip_tls_verify;
    base.pass_credentials_all |= flags.pass_credentials_all;
    base.timeout = flags.timeout.or(base.timeout);
    base
}

/// The cache path of a chart with this SHA-256.
pub fn cache_path(dirs: &HelmDirs, digest: &str) -> PathBuf {
    dirs.content_cache
        .join(&digest[..2.min(digest.len())])
        .join(format!("{digest}.chart"))
}

/// The cached archive with this digest, if present, non-empty and intact.
pub fn cache_get(dirs: &HelmDirs, digest: &str) -> Option<Vec<u8>> {
    let data = std::fs::read(cache_path(dirs, digest)).ok()?;
    (!data.is_empty() && super::sha256_hex(&data) == digest).then_some(data)
}

/// Stores an archive in the cache under its SHA-256 (atomically, mode 0644).
pub fn cache_put(dirs: &HelmDirs, data: &[u8]) -> Result<PathBuf> {
    let digest = super::sha256_hex(data);
    let path = cache_path(dirs, &digest);
    super::write_atomic_mode(&path, data, 0o644)?;
    Ok(path)
}

/// The archive's bytes: from the cache when the digest is known and cached, else downloaded,
/// checked against the digest, and cached.
pub fn fetch(dirs: &HelmDirs, resolved: &Resolved) -> Result<Vec<u8>> {
    if let Some(d) = &resolved.digest
        && let Some(data) = cache_get(dirs, d)
    {
        return Ok(data);
    }
    let data = http::get(
        &resolved.url,
        &resolved.http,
        Some("application/gzip,application/octet-stream"),
    )
    .map_err(anyhow::Error::msg)?;
    if let Some(want) = &resolved.digest {
        let got = super::sha256_hex(&data);
        if &got != want {
            bail!(
                "digest mismatch for {}: the repository index says sha256:{want}, the download \
                 is sha256:{got}",
                resolved.url
            );
        }
    }
    cache_put(dirs, &data)?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_urls_resolve_like_helm() {
        assert_eq!(
            resolve_reference_url("http://h/charts", "a-1.tgz"),
            "http://h/charts/a-1.tgz"
        );
        assert_eq!(
            resolve_reference_url("http://h/charts/", "a-1.tgz"),
            "http://h/charts/a-1.tgz"
        );
        assert_eq!(
            resolve_reference_url("http://h/charts?t=1", "a-1.tgz"),
            "http://h/charts/a-1.tgz?t=1"
        );
        assert_eq!(
            resolve_reference_url("http://h/charts", "https://o/a-1.tgz"),
            "https://o/a-1.tgz"
        );
        assert_eq!(
            resolve_reference_url("http://h/charts", "/x/a.tgz"),
            "http://h/x/a.tgz"
        );
        assert!(is_absolute_url("http://h/a.tgz"));
        assert!(!is_absolute_url("repo/chart"));
        assert!(!is_absolute_url("http://h"));
    }
}
