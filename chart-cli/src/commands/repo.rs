//! `chart repo add|list|remove|update|index`, with Helm's messages and files.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};

use crate::cli::GlobalFlags;
use crate::cli_repo::{
    ConnectionFlags, RepoAddArgs, RepoCommand, RepoIndexArgs, RepoListArgs, RepoRemoveArgs,
    RepoUpdateArgs,
};
use crate::helm_home::HelmDirs;
use crate::repo::config::{self, RepoEntry, RepoFile};
use crate::repo::download;
use crate::repo::http::HttpOptions;
use crate::repo::index::{self, IndexFile};

/// Runs a `repo` command.
pub fn run(global: &GlobalFlags, cmd: &RepoCommand, out: &mut dyn Write) -> Result<()> {
    let dirs = HelmDirs::from_flags(global);
    match cmd {
        RepoCommand::Add(a) => add(&dirs, a, out),
        RepoCommand::List(a) => list(&dirs, a, out),
        RepoCommand::Remove(a) => remove(&dirs, a, out),
        RepoCommand::Update(a) => update(&dirs, a, out),
        RepoCommand::Index(a) => index_cmd(a),
    }
}

/// Go's `time.ParseDuration` for the common forms (`120s`, `2m0s`, `1h`, `1.5m`, `300ms`).
pub fn parse_duration(text: &str) -> Result<Duration> {
    let bad = || {
        anyhow!("invalid argument {text:?} for \"--timeout\" flag: time: invalid duration {text:?}")
    };
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let mut rest = text;
    let mut total = 0f64;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let n: f64 = rest[..num_end].parse().map_err(|_| bad())?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(bad()),
        };
        total += n * scale;
        rest = &rest[unit_end..];
    }
    Ok(Duration::from_secs_f64(total))
}

/// The connection options given by flags.
pub fn http_from_flags(conn: &ConnectionFlags) -> HttpOptions {
    HttpOptions {
        username: conn.username.clone().unwrap_or_default(),
        password: conn.password.clone().unwrap_or_default(),
        pass_credentials_all: conn.pass_credentials,
        ca_file: conn.ca_file.clone().unwrap_or_default(),
        cert_file: conn.cert_file.clone().unwrap_or_default(),
        key_file: conn.key_file.clone().unwrap_or_default(),
        insecure_skip_tls_verify: conn.insecure_skip_tls_verify,
        ..HttpOptions::default()
    }
}

/// Downloads a repository's index into the cache (`<name>-index.yaml` as served, and
/// `<name>-charts.txt`).
pub(crate) fn download_to_cache(
    dirs: &HelmDirs,
    name: &str,
    opts: &HttpOptions,
) -> Result<(), String> {
    let (data, idx) = download::download_index(opts)?;
    crate::repo::write_atomic_mode(&dirs.charts_file(name), idx.charts_txt().as_bytes(), 0o644)
        .map_err(|e| format!("{e:#}"))?;
    crate::repo::write_atomic_mode(&dirs.index_file(name), &data, 0o644)
        .map_err(|e| format!("{e:#}"))?;
    Ok(())
}

fn add(dirs: &HelmDirs, a: &RepoAddArgs, out: &mut dyn Write) -> Result<()> {
    let (name, url) = match a.positional.as_slice() {
        [n, u] => (n.clone(), u.clone()),
        _ => bail!(
            "\"chart repo add\" requires 2 arguments\n\nUsage:  chart repo add [NAME] [URL] [flags]"
        ),
    };
    if name.contains('/') {
        bail!("repository name ({name}) contains '/', please specify a different name without '/'");
    }
    if !a.allow_deprecated_repos {
        for (old, new) in [
            (
                "//kubernetes-charts.storage.googleapis.com",
                "https://charts.helm.sh/stable",
            ),
            (
                "//kubernetes-charts-incubator.storage.googleapis.com",
                "https://charts.helm.sh/incubator",
            ),
        ] {
            if url.contains(old) {
                bail!("repo {url:?} is no longer available; try {new:?} instead");
            }
        }
    }
    let timeout = parse_duration(&a.timeout)?;
    let _lock = config::lock(&dirs.repository_config)?;
    let mut file = RepoFile::load_or_default(&dirs.repository_config)?;
    let mut password = a.conn.password.clone().unwrap_or_default();
    let username = a.conn.username.clone().unwrap_or_default();
    if a.password_stdin {
        let mut buf = String::new();
        std::io::stdin().read_line(&mut buf)?;
        password = buf.trim_end_matches(['\n', '\r']).to_string();
    }
    if !username.is_empty() && password.is_empty() {
        // Helm prompts on the terminal; without one, reading the password fails.
        use std::io::IsTerminal as _;
        write!(out, "Password: ")?;
        out.flush()?;
        if !std::io::stdin().is_terminal() {
            writeln!(out)?;
            bail!("inappropriate ioctl for device");
        }
        let mut buf = String::new();
        std::io::stdin().read_line(&mut buf)?;
        writeln!(out)?;
        password = buf.trim_end_matches(['\n', '\r']).to_string();
    }
    let entry = RepoEntry {
        name: name.clone(),
        url: url.clone(),
        username,
        password,
        cert_file: a.conn.cert_file.clone().unwrap_or_default(),
        key_file: a.conn.key_file.clone().unwrap_or_default(),
        ca_file: a.conn.ca_file.clone().unwrap_or_default(),
        insecure_skip_tls_verify: a.conn.insecure_skip_tls_verify,
        pass_credentials_all: a.conn.pass_credentials,
    };
    if !a.force_update
        && let Some(existing) = file.get(&name)
    {
        if *existing != entry {
            bail!("repository name ({name}) already exists, please specify a different name");
        }
        writeln!(
            out,
            "{name:?} already exists with the same configuration, skipping"
        )?;
        return Ok(());
    }
    let mut opts = HttpOptions::for_repo(&entry);
    opts.timeout = Some(timeout);
    download_to_cache(dirs, &name, &opts).map_err(|e| {
        anyhow!("looks like {url:?} is not a valid chart repository or cannot be reached: {e}")
    })?;
    file.update(entry);
    file.write(&dirs.repository_config)?;
    writeln!(out, "{name:?} has been added to your repositories")?;
    Ok(())
}

fn list(dirs: &HelmDirs, a: &RepoListArgs, out: &mut dyn Write) -> Result<()> {
    let file = RepoFile::load(&dirs.repository_config)?.unwrap_or_default();
    if file.repositories.is_empty() && a.output == "table" {
        // Helm says so on stderr and succeeds.
        eprintln!("no repositories to show");
        return Ok(());
    }
    match a.output.as_str() {
        "table" => {
            let mut rows = Vec::new();
            if !a.no_headers {
                rows.push(vec!["NAME".to_string(), "URL".to_string()]);
            }
            for r in &file.repositories {
                rows.push(vec![r.name.clone(), r.url.clone()]);
            }
            out.write_all(crate::repo::table::format(&rows, 0).as_bytes())?;
        }
        "json" | "yaml" => {
            let list: Vec<serde_json::Value> = file
                .repositories
                .iter()
                .map(|r| serde_json::json!({"name": r.name, "url": r.url}))
                .collect();
            write_structured(out, &a.output, &serde_json::Value::Array(list))?;
        }
        other => bail!("invalid argument {other:?} for \"-o, --output\" flag: invalid format type"),
    }
    Ok(())
}

/// Helm's `-o json` (one line) and `-o yaml`.
pub fn write_structured(out: &mut dyn Write, format: &str, v: &serde_json::Value) -> Result<()> {
    if format == "json" {
        writeln!(out, "{}", serde_json::to_string(v)?)?;
    } else {
        out.write_all(crate::repo::json_to_yaml(v)?.as_bytes())?;
    }
    Ok(())
}

fn remove(dirs: &HelmDirs, a: &RepoRemoveArgs, out: &mut dyn Write) -> Result<()> {
    if a.names.is_empty() {
        bail!(
            "\"chart repo remove\" requires at least 1 argument\n\nUsage:  chart repo remove [REPO1 [REPO2 ...]] [flags]"
        );
    }
    let _lock = config::lock(&dirs.repository_config)?;
    let mut file = RepoFile::load_or_default(&dirs.repository_config)?;
    if file.repositories.is_empty() {
        bail!("no repositories configured");
    }
    for name in &a.names {
        if !file.remove(name) {
            bail!("no repo named {name:?} found");
        }
        file.write(&dirs.repository_config)?;
        for p in [dirs.index_file(name), dirs.charts_file(name)] {
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(anyhow!("can't remove {}: {e}", p.display())),
            }
        }
        writeln!(out, "{name:?} has been removed from your repositories")?;
    }
    Ok(())
}

fn update(dirs: &HelmDirs, a: &RepoUpdateArgs, out: &mut dyn Write) -> Result<()> {
    let timeout = parse_duration(&a.timeout)?;
    let file = RepoFile::load_or_default(&dirs.repository_config)?;
    if file.repositories.is_empty() {
        bail!("no repositories found. You must add one before updating");
    }
    for n in &a.names {
        if file.get(n).is_none() {
            bail!("no repositories found matching '{n}'.  Nothing will be updated");
        }
    }
    writeln!(
        out,
        "Hang tight while we grab the latest from your chart repositories..."
    )?;
    let mut failed = Vec::new();
    for r in &file.repositories {
        if !a.names.is_empty() && !a.names.contains(&r.name) {
            continue;
        }
        let mut opts = HttpOptions::for_repo(r);
        opts.timeout = Some(timeout);
        match download_to_cache(dirs, &r.name, &opts) {
            Ok(()) => writeln!(
                out,
                "...Successfully got an update from the {:?} chart repository",
                r.name
            )?,
            Err(e) => {
                writeln!(
                    out,
                    "...Unable to get an update from the {:?} chart repository ({}):\n\t{e}",
                    r.name, r.url
                )?;
                failed.push(r.url.clone());
            }
        }
    }
    if !failed.is_empty() {
        bail!(
            "failed to update the following repositories: [{}]",
            failed.join(" ")
        );
    }
    writeln!(out, "Update Complete. ⎈Happy Helming!⎈")?;
    Ok(())
}

fn index_cmd(a: &RepoIndexArgs) -> Result<()> {
    let [dir] = a.dirs.as_slice() else {
        bail!("\"chart repo index\" requires 1 argument\n\nUsage:  chart repo index [DIR] [flags]");
    };
    let dir = Path::new(dir);
    let out_path = dir.join("index.yaml");
    if !dir.is_dir() {
        bail!("open {}: no such file or directory", out_path.display());
    }
    let mut idx = index::index_directory(dir, a.url.as_deref().unwrap_or(""))?;
    if let Some(merge) = &a.merge {
        let merge_path = Path::new(merge);
        let other = if merge_path.exists() {
            IndexFile::load(merge_path).map_err(|e| anyhow!("merge failed: {e:#}"))?
        } else {
            let empty = IndexFile::new();
            write_index(&empty, merge_path, a.json)?;
            empty
        };
        idx.merge(&other);
    }
    idx.sort_entries();
    write_index(&idx, &out_path, a.json)
}

fn write_index(idx: &IndexFile, path: &Path, json: bool) -> Result<()> {
    let text = if json {
        let yaml = idx.to_yaml()?;
        let v = crate::repo::yaml_to_json(&yaml).map_err(anyhow::Error::msg)?;
        serde_json::to_string(&v)?
    } else {
        idx.to_yaml()?
    };
    crate::repo::write_atomic_mode(path, text.as_bytes(), 0o644)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2m0s").expect("d"), Duration::from_secs(120));
        assert_eq!(
            parse_duration("1.5s").expect("d"),
            Duration::from_millis(1500)
        );
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("5").is_err());
    }
}
