//! Repository index files (`index.yaml`): reading them as Helm does (entries sorted newest
//! first, `apiVersion` required), choosing a version for a constraint, and writing them in
//! Helm's format (`helm repo index`).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result};
use chart_core::semver::{Constraints, Version};
use serde_json::{Map as JsonMap, Value as Json, json};

/// An index file. Each chart version is kept as its JSON object (Chart.yaml metadata plus
/// `urls`, `created`, `digest`), so fields `chart` does not know survive a merge.
#[derive(Debug, Clone, Default)]
pub struct IndexFile {
    /// `apiVersion`.
    pub api_version: String,
    /// `generated`.
    pub generated: String,
    /// `entries`: chart name to versions, newest first.
    pub entries: BTreeMap<String, Vec<Json>>,
    /// Other top-level fields (`publicKeys`, `annotations`), written back as read.
    pub extra: JsonMap<String, Json>,
}

/// A string field of a chart version.
pub fn field<'a>(cv: &'a Json, key: &str) -> &'a str {
    cv.get(key).and_then(Json::as_str).unwrap_or("")
}

/// The first URL of a chart version.
pub fn first_url(cv: &Json) -> Option<&str> {
    cv.get("urls")
        .and_then(Json::as_array)
        .and_then(|u| u.first())
        .and_then(Json::as_str)
}

/// Sorts versions newest first; versions that are not SemVer go last (Helm's order).
fn sort_versions(list: &mut [Json]) {
    list.sort_by(|a, b| {
        let va = Version::parse(field(a, "version")).ok();
        let vb = Version::parse(field(b, "version")).ok();
        match (va, vb) {
            (Some(x), Some(y)) => y.compare(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
}

impl IndexFile {
    /// A new, empty index (`helm repo index` with nothing to add).
    pub fn new() -> IndexFile {
        IndexFile {
            api_version: "v1".to_string(),
            generated: super::now_rfc3339_nano(),
            ..IndexFile::default()
        }
    }

    /// Parses an index the way Helm's `loadIndex` does.
    pub fn parse(data: &[u8]) -> Result<IndexFile, String> {
        if data.is_empty() {
            return Err("empty index.yaml file".to_string());
        }
        let text = String::from_utf8_lossy(data);
        let v = super::yaml_to_json(&text)?;
        let mut top = match v {
            Json::Object(top) => top,
            Json::Null => return Err("no API version specified".to_string()),
            other => {
                let kind = match other {
                    Json::String(_) => "string",
                    Json::Number(_) => "number",
                    Json::Bool(_) => "bool",
                    _ => "array",
                };
                return Err(format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \
                     {kind} into Go value of type repo.IndexFile"
                ));
            }
        };
        let api_version = match top.remove("apiVersion") {
            Some(Json::String(s)) if !s.is_empty() => s,
            _ => return Err("no API version specified".to_string()),
        };
        let generated = match top.remove("generated") {
            Some(Json::String(s)) => s,
            _ => String::new(),
        };
        let mut entries = BTreeMap::new();
        if let Some(Json::Object(map)) = top.remove("entries") {
            for (name, list) in map {
                let Json::Array(list) = list else { continue };
                let mut versions: Vec<Json> = list
                    .into_iter()
                    .filter(|cv| cv.is_object() && !field(cv, "version").is_empty())
                    .map(|mut cv| {
                        if field(&cv, "apiVersion").is_empty()
                            && let Some(obj) = cv.as_object_mut()
                        {
                            obj.insert("apiVersion".into(), json!("v1"));
                        }
                        cv
                    })
                    .collect();
                sort_versions(&mut versions);
                entries.insert(name, versions);
            }
        }
        Ok(IndexFile {
            api_version,
            generated,
            entries,
            extra: top,
        })
    }

    /// Loads an index file from disk.
    pub fn load(path: &Path) -> Result<IndexFile> {
        let data = std::fs::read(path).with_context(|| format!("open {}", path.display()))?;
        IndexFile::parse(&data).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// Helm's `IndexFile.Get`: an exact version match first, then the newest version that
    /// satisfies the constraint (`*`, stable versions only, when none is given).
    pub fn get(&self, name: &str, version: &str) -> Result<&Json, String> {
        let Some(versions) = self.entries.get(name) else {
            return Err("no chart name found".to_string());
        };
        if versions.is_empty() {
            return Err("no chart version found".to_string());
        }
        let constraint = Constraints::parse(if version.is_empty() { "*" } else { version })
            .map_err(|e| e.to_string())?;
        if !version.is_empty()
            && let Some(cv) = versions.iter().find(|cv| field(cv, "version") == version)
        {
            return Ok(cv);
        }
        for cv in versions {
            let Ok(v) = Version::parse(field(cv, "version")) else {
                continue;
            };
            if constraint.check(&v) {
                if !version.is_empty() {
                    eprintln!(
                        "level=WARN msg=\"unable to find exact version requested; falling back \
                         to closest available version\" chart={name} requested={version} \
                         selected={}",
                        field(cv, "version")
                    );
                }
                return Ok(cv);
            }
        }
        Err(format!("no chart version found for {name}-{version}"))
    }

    /// `<name>-charts.txt`: every chart name followed by a newline (sorted; Helm's order is
    /// Go's map order).
    pub fn charts_txt(&self) -> String {
        self.entries.keys().map(|n| format!("{n}\n")).collect()
    }

    /// Adds the versions of `other` this index does not have (Helm's `Merge`).
    pub fn merge(&mut self, other: &IndexFile) {
        for (name, versions) in &other.entries {
            let mine = self.entries.entry(name.clone()).or_default();
            for cv in versions {
                if !mine
                    .iter()
                    .any(|m| field(m, "version") == field(cv, "version"))
                {
                    mine.push(cv.clone());
                }
            }
        }
    }

    /// Sorts every chart's versions newest first.
    pub fn sort_entries(&mut self) {
        for versions in self.entries.values_mut() {
            sort_versions(versions);
        }
    }

    /// The text Helm writes.
    pub fn to_yaml(&self) -> Result<String> {
        let mut top = self.extra.clone();
        top.insert("apiVersion".into(), json!(self.api_version));
        top.insert("generated".into(), json!(self.generated));
        let entries: JsonMap<String, Json> = self
            .entries
            .iter()
            .map(|(k, v)| (k.clone(), Json::Array(v.clone())))
            .collect();
        top.insert("entries".into(), Json::Object(entries));
        super::json_to_yaml(&Json::Object(top))
    }
}

fn is_empty_json(v: &Json) -> bool {
    match v {
        Json::Null => true,
        Json::Bool(b) => !b,
        Json::String(s) => s.is_empty(),
        Json::Array(a) => a.is_empty(),
        Json::Object(o) => o.is_empty(),
        Json::Number(_) => false,
    }
}

/// Go's `%v` text of a scalar that Helm reads into a string field.
fn as_string(v: &Json) -> Json {
    match v {
        Json::Number(n) => Json::String(n.to_string()),
        other => other.clone(),
    }
}

/// The index entry fields of a chart's metadata (Helm's `chart.Metadata` JSON, `omitempty`).
pub fn metadata_json(chart_yaml: &Json) -> Json {
    let mut out = JsonMap::new();
    for key in chart_core::chart::metadata::METADATA_FIELDS {
        let Some(v) = chart_yaml.get(*key) else {
            continue;
        };
        let v = match *key {
            "maintainers" => Json::Array(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(|m| {
                        let mut o = JsonMap::new();
                        for k in ["name", "email", "url"] {
                            if let Some(x) = m.get(k).filter(|x| !is_empty_json(x)) {
                                o.insert(k.into(), as_string(x));
                            }
                        }
                        Json::Object(o)
                    })
                    .collect(),
            ),
            "dependencies" => Json::Array(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(|d| {
                        let mut o = JsonMap::new();
                        o.insert("name".into(), json!(field(d, "name")));
                        o.insert("repository".into(), json!(field(d, "repository")));
                        for k in [
                            "version",
                            "condition",
                            "tags",
                            "enabled",
                            "import-values",
                            "alias",
                        ] {
                            if let Some(x) = d.get(k).filter(|x| !is_empty_json(x)) {
                                o.insert(k.into(), as_string(x));
                            }
                        }
                        Json::Object(o)
                    })
                    .collect(),
            ),
            "deprecated" | "sources" | "keywords" | "annotations" => v.clone(),
            _ => as_string(v),
        };
        if !is_empty_json(&v) {
            out.insert((*key).into(), v);
        }
    }
    if field(&Json::Object(out.clone()), "apiVersion").is_empty() {
        out.insert("apiVersion".into(), json!("v1"));
    }
    Json::Object(out)
}

/// Go's `urlutil.URLJoin`: the base URL's path joined with `rel` (`path.Join` semantics).
pub fn url_join(base: &str, rel: &str) -> String {
    if base.is_empty() {
        return clean_join("", rel);
    }
    // Split off the path of the base URL, keep scheme://host and any query.
    let (head, rest) = match base.find("://") {
        Some(i) => {
            let after = &base[i + 3..];
            let p = after.find(['/', '?', '#']).unwrap_or(after.len());
            (&base[..i + 3 + p], &after[p..])
        }
        None => ("", base),
    };
    let (path, query) = match rest.find(['?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let joined = clean_join(path, rel);
    let joined = if !head.is_empty() && !joined.starts_with('/') && !joined.is_empty() {
        format!("/{joined}")
    } else {
        joined
    };
    format!("{head}{joined}{query}")
}

/// Go's `path.Join` of two parts.
fn clean_join(a: &str, b: &str) -> String {
    let all = match (a.is_empty(), b.is_empty()) {
        (true, true) => return String::new(),
        (true, false) => b.to_string(),
        (false, true) => a.to_string(),
        (false, false) => format!("{a}/{b}"),
    };
    let rooted = all.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in all.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// Helm's `IndexDirectory`: every `*.tgz` in `dir` and its direct subdirectories that loads
/// as a chart, with `urls` under `base_url` and `digest` the SHA-256 of the archive.
pub fn index_directory(dir: &Path, base_url: &str) -> Result<IndexFile> {
    let mut archives = Vec::new();
    let mut top: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("open {}", dir.display()))?
        .filter_map(Result::ok)
        .collect();
    top.sort_by_key(|e| e.file_name());
    for entry in &top {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".tgz") && !entry.path().is_dir() {
            archives.push((String::new(), name));
        }
    }
    for entry in &top {
        if !entry.path().is_dir() {
            continue;
        }
        let sub = entry.file_name().to_string_lossy().into_owned();
        let mut inner: Vec<_> = std::fs::read_dir(entry.path())
            .map(|r| r.filter_map(Result::ok).collect())
            .unwrap_or_default();
        inner.sort_by_key(|e: &std::fs::DirEntry| e.file_name());
        for e in inner {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".tgz") && !e.path().is_dir() {
                archives.push((sub.clone(), name));
            }
        }
    }
    // Go's Glob returns `*.tgz` then `*/*.tgz`, each sorted by full path.
    archives.sort_by(|a, b| match (a.0.is_empty(), b.0.is_empty()) {
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        _ => format!("{}/{}", a.0, a.1).cmp(&format!("{}/{}", b.0, b.1)),
    });
    let mut index = IndexFile::new();
    for (sub, file) in archives {
        let path = if sub.is_empty() {
            dir.join(&file)
        } else {
            dir.join(&sub).join(&file)
        };
        let data = std::fs::read(&path).with_context(|| format!("open {}", path.display()))?;
        // Files that do not load as charts are skipped, as Helm does.
        let Ok(files) = chart_core::chart::archive::read_files(&data) else {
            continue;
        };
        if chart_core::chart::load_archive(&data).is_err() {
            continue;
        }
        let Some(chart_yaml) = files.iter().rev().find(|f| f.name == "Chart.yaml") else {
            continue;
        };
        let Ok(meta) = super::yaml_to_json(&String::from_utf8_lossy(&chart_yaml.data)) else {
            continue;
        };
        let mut cv = metadata_json(&meta);
        let rel = if sub.is_empty() {
            file.clone()
        } else {
            format!("{sub}/{file}")
        };
        let url = if base_url.is_empty() {
            rel
        } else {
            url_join(&url_join(base_url, &sub), &file)
        };
        if let Some(obj) = cv.as_object_mut() {
            obj.insert("urls".into(), json!([url]));
            obj.insert("created".into(), json!(super::now_rfc3339_nano()));
            obj.insert("digest".into(), json!(super::sha256_hex(&data)));
        }
        let name = field(&cv, "name").to_string();
        index.entries.entry(name).or_default().push(cv);
    }
    index.sort_entries();
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_join_is_gos() {
        assert_eq!(url_join("http://x/", "a.tgz"), "http://x/a.tgz");
        assert_eq!(
            url_join("http://x/charts", "a.tgz"),
            "http://x/charts/a.tgz"
        );
        assert_eq!(url_join("http://x", "a.tgz"), "http://x/a.tgz");
        assert_eq!(url_join("http://x/?q=1", "a.tgz"), "http://x/a.tgz?q=1");
        assert_eq!(url_join("", "sub/a.tgz"), "sub/a.tgz");
    }

    #[test]
    fn get_prefers_exact_then_newest_stable() {
        let idx = IndexFile::parse(
            b"apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n  - name: a\n    \
              version: 2.0.0-rc.1\n  - name: a\n    version: 1.5.0\n",
        )
        .expect("index");
        assert_eq!(field(idx.get("a", "").expect("latest"), "version"), "1.5.0");
        assert_eq!(
            field(idx.get("a", "2.0.0-rc.1").expect("exact"), "version"),
            "2.0.0-rc.1"
        );
        assert_eq!(
            field(idx.get("a", ">0.0.0-0").expect("devel"), "version"),
            "2.0.0-rc.1"
        );
        assert_eq!(idx.get("b", "").unwrap_err(), "no chart name found");
        assert_eq!(
            idx.get("a", "9.9.9").unwrap_err(),
            "no chart version found for a-9.9.9"
        );
        assert_eq!(
            IndexFile::parse(b"entries: {}\n").unwrap_err(),
            "no API version specified"
        );
        assert_eq!(IndexFile::parse(b"").unwrap_err(), "empty index.yaml file");
        assert_eq!(
            IndexFile::parse(b"<html><body>hi</body></html>\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into \
             Go value of type repo.IndexFile"
        );
    }
}
