//! `repositories.yaml`, read and written in Helm's exact format: `apiVersion`, `generated`
//! and `repositories` (each entry with all nine fields, keys sorted), mode 0600, written
//! atomically under Helm's `repositories.lock`.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde_json::{Value as Json, json};

/// One repository (Helm's `repo.Entry`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepoEntry {
    /// `name`.
    pub name: String,
    /// `url`.
    pub url: String,
    /// `username`.
    pub username: String,
    /// `password`. Never printed.
    pub password: String,
    /// `certFile`.
    pub cert_file: String,
    /// `keyFile`.
    pub key_file: String,
    /// `caFile`.
    pub ca_file: String,
    /// `insecure_skip_tls_verify`.
    pub insecure_skip_tls_verify: bool,
    /// `pass_credentials_all`.
    pub pass_credentials_all: bool,
}

/// The repositories file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoFile {
    /// `apiVersion` (Helm writes `""` for a file it created).
    pub api_version: String,
    /// `generated`, as read (Go's zero time for a new file).
    pub generated: String,
    /// The repositories, in file order.
    pub repositories: Vec<RepoEntry>,
}

impl Default for RepoFile {
    fn default() -> Self {
        RepoFile {
            api_version: String::new(),
            generated: "0001-01-01T00:00:00Z".to_string(),
            repositories: Vec::new(),
        }
    }
}

fn str_field(v: &Json, key: &str) -> String {
    match v.get(key) {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Number(n)) => n.to_string(),
        Some(Json::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn bool_field(v: &Json, key: &str) -> bool {
    matches!(v.get(key), Some(Json::Bool(true)))
}

impl RepoEntry {
    fn from_json(v: &Json) -> RepoEntry {
        RepoEntry {
            name: str_field(v, "name"),
            url: str_field(v, "url"),
            username: str_field(v, "username"),
            password: str_field(v, "password"),
            cert_file: str_field(v, "certFile"),
            key_file: str_field(v, "keyFile"),
            ca_file: str_field(v, "caFile"),
            insecure_skip_tls_verify: bool_field(v, "insecure_skip_tls_verify"),
            pass_credentials_all: bool_field(v, "pass_credentials_all"),
        }
    }

    fn to_json(&self) -> Json {
        json!({
            "name": self.name,
            "url": self.url,
            "username": self.username,
            "password": self.password,
            "certFile": self.cert_file,
            "keyFile": self.key_file,
            "caFile": self.ca_file,
            "insecure_skip_tls_verify": self.insecure_skip_tls_verify,
            "pass_credentials_all": self.pass_credentials_all,
        })
    }
}

impl RepoFile {
    /// Parses the file's text; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<RepoFile> {
        let v = super::yaml_to_json(text)
            .map_err(|e| anyhow::anyhow!("error parsing {}: {e}", path.display()))?;
        let mut file = RepoFile::default();
        if v.is_null() {
            return Ok(file);
        }
        if !v.is_object() {
            anyhow::bail!(
                "error parsing {}: the file is not a repositories file",
                path.display()
            );
        }
        file.api_version = str_field(&v, "apiVersion");
        if let Some(Json::String(g)) = v.get("generated") {
            file.generated = g.clone();
        }
        if let Some(Json::Array(list)) = v.get("repositories") {
            file.repositories = list
                .iter()
                .filter(|e| e.is_object())
                .map(RepoEntry::from_json)
                .collect();
        }
        Ok(file)
    }

    /// Loads the file; `Ok(None)` when it does not exist.
    pub fn load(path: &Path) -> Result<Option<RepoFile>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(RepoFile::parse(&text, path)?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Loads the file, or an empty one when it does not exist.
    pub fn load_or_default(path: &Path) -> Result<RepoFile> {
        Ok(RepoFile::load(path)?.unwrap_or_default())
    }

    /// The text Helm writes.
    pub fn to_yaml(&self) -> Result<String> {
        let repos: Vec<Json> = self.repositories.iter().map(RepoEntry::to_json).collect();
        super::json_to_yaml(&json!({
            "apiVersion": self.api_version,
            "generated": self.generated,
            "repositories": repos,
        }))
    }

    /// Writes the file atomically with mode 0600.
    pub fn write(&self, path: &Path) -> Result<()> {
        super::write_atomic_mode(path, self.to_yaml()?.as_bytes(), 0o600)
    }

    /// The entry with this name.
    pub fn get(&self, name: &str) -> Option<&RepoEntry> {
        self.repositories.iter().find(|r| r.name == name)
    }

    /// Adds an entry or replaces the one with the same name (in place).
    pub fn update(&mut self, entry: RepoEntry) {
        match self.repositories.iter_mut().find(|r| r.name == entry.name) {
            Some(slot) => *slot = entry,
            None => self.repositories.push(entry),
        }
    }

    /// Removes the entry with this name; false when there is none.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.repositories.len();
        self.repositories.retain(|r| r.name != name);
        self.repositories.len() != before
    }
}

/// Helm's lock next to the repositories file (`repositories.lock`), held while the file is
/// read, changed and written.
pub struct RepoLock {
    _file: File,
}

/// The lock file's path: the repositories file with its extension replaced by `.lock`.
pub fn lock_path(repo_file: &Path) -> PathBuf {
    repo_file.with_extension("lock")
}

/// Takes the lock (blocking), creating the file with mode 0600.
pub fn lock(repo_file: &Path) -> Result<RepoLock> {
    let path = lock_path(repo_file);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let file = opts
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    file.lock()
        .with_context(|| format!("cannot lock {}", path.display()))?;
    Ok(RepoLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_helms_format() {
        let mut f = RepoFile::default();
        f.update(RepoEntry {
            name: "myrepo".into(),
            url: "http://127.0.0.1:18080/".into(),
            ..RepoEntry::default()
        });
        assert_eq!(
            f.to_yaml().expect("yaml"),
            "apiVersion: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\nrepositories:\n\
             - caFile: \"\"\n  certFile: \"\"\n  insecure_skip_tls_verify: false\n  keyFile: \"\"\n\
             \x20 name: myrepo\n  pass_credentials_all: false\n  password: \"\"\n\
             \x20 url: http://127.0.0.1:18080/\n  username: \"\"\n"
        );
        let back =
            RepoFile::parse(&f.to_yaml().expect("yaml"), Path::new("r.yaml")).expect("parse");
        assert_eq!(back, f);
    }
}
