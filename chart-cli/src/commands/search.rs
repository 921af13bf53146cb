//! `chart search repo`: Helm's search over the cached repository indexes (scoring, sorting,
//! version constraints and output formats).

use std::io::Write;

use anyhow::{Result, anyhow, bail};
use chart_core::semver::{Constraints, Version};
use serde_json::Value as Json;

use crate::cli::GlobalFlags;
use crate::cli_repo::{SearchCommand, SearchRepoArgs};
use crate::helm_home::HelmDirs;
use crate::repo::config::RepoFile;
use crate::repo::index::{IndexFile, field};

const SEP: char = '\u{b}';
const MAX_SCORE: usize = 25;

struct Line {
    /// `repo/chart`.
    name: String,
    /// What the search looks in: name, repo/name, description, keywords.
    text: String,
    chart: Json,
}

struct Hit {
    name: String,
    score: usize,
    chart: Json,
}

/// Runs a `search` command.
pub fn run(global: &GlobalFlags, cmd: &SearchCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        SearchCommand::Repo(a) => search_repo(&HelmDirs::from_flags(global), a, out),
    }
}

fn score(index: usize, line: &str) -> usize {
    let splits: Vec<usize> = line
        .char_indices()
        .filter(|(_, c)| *c == SEP)
        .map(|(i, _)| i)
        .collect();
    splits
        .iter()
        .position(|pos| index <= *pos)
        .unwrap_or(splits.len())
}

fn search_repo(dirs: &HelmDirs, a: &SearchRepoArgs, out: &mut dyn Write) -> Result<()> {
    let version = match (&a.version, a.devel) {
        (Some(v), _) if !v.is_empty() => v.clone(),
        (_, true) => ">0.0.0-0".to_string(),
        _ => ">0.0.0".to_string(),
    };
    let file = RepoFile::load(&dirs.repository_config)?.unwrap_or_default();
    if file.repositories.is_empty() {
        bail!("no repositories configured");
    }
    let mut lines = Vec::new();
    for r in &file.repositories {
        let idx = match IndexFile::load(&dirs.index_file(&r.name)) {
            Ok(i) => i,
            Err(e) => {
                eprintln!(
                    "level=WARN msg=\"repo is corrupt or missing\" repo={} error={}",
                    r.name,
                    chart_core::gofmt::quote(&format!("{e:#}"))
                );
                continue;
            }
        };
        for (name, versions) in &idx.entries {
            for cv in versions {
                let keywords: Vec<&str> = cv
                    .get("keywords")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Json::as_str)
                    .collect();
                let cname = field(cv, "name");
                let text = format!(
                    "{cname}{SEP}{}/{cname}{SEP}{}{SEP}{}",
                    r.name,
                    field(cv, "description"),
                    keywords.join(" ")
                );
                lines.push(Line {
                    name: format!("{}/{name}", r.name),
                    text,
                    chart: cv.clone(),
                });
            }
        }
    }
    let mut hits: Vec<Hit> = if a.keywords.is_empty() {
        lines
            .into_iter()
            .map(|l| Hit {
                name: l.name,
                score: 0,
                chart: l.chart,
            })
            .collect()
    } else {
        let term = a.keywords.join(" ");
        let mut hits = Vec::new();
        if a.regexp {
            let re = regex::Regex::new(&term).map_err(|e| anyhow!("{e}"))?;
            for l in lines {
                // Helm matches the regexp against the line as written (case-sensitive).
                if let Some(m) = re.find(&l.text) {
                    let s = score(m.start(), &l.text);
                    if s < MAX_SCORE {
                        hits.push(Hit {
                            name: l.name,
                            score: s,
                            chart: l.chart,
                        });
                    }
                }
            }
        } else {
            let term = term.to_lowercase();
            for l in lines {
                let text = l.text.to_lowercase();
                if let Some(i) = text.find(&term) {
                    let s = score(i, &text);
                    if s < MAX_SCORE {
                        hits.push(Hit {
                            name: l.name,
                            score: s,
                            chart: l.chart,
                        });
                    }
                }
            }
        }
        hits
    };
    hits.sort_by(|x, y| {
        x.score.cmp(&y.score).then_with(|| {
            if x.name == y.name {
                let vx = Version::parse(field(&x.chart, "version"));
                let vy = Version::parse(field(&y.chart, "version"));
                match (vx, vy) {
                    (Ok(vx), Ok(vy)) => vy.compare(&vx),
                    _ => std::cmp::Ordering::Equal,
                }
            } else {
                x.name.cmp(&y.name)
            }
        })
    });
    let constraint = Constraints::parse(&version)
        .map_err(|e| anyhow!("an invalid version/constraint format: {e}"))?;
    let mut found = std::collections::HashSet::new();
    let mut results = Vec::new();
    for h in hits {
        if !a.versions && found.contains(&h.name) {
            continue;
        }
        let Ok(v) = Version::parse(field(&h.chart, "version")) else {
            continue;
        };
        if constraint.check(&v) {
            found.insert(h.name.clone());
            results.push(h);
        }
    }
    if a.fail_on_no_result && results.is_empty() {
        bail!("no results found");
    }
    match a.output.as_str() {
        "table" => {
            if results.is_empty() {
                writeln!(out, "No results found")?;
                return Ok(());
            }
            let mut rows = vec![vec![
                "NAME".to_string(),
                "CHART VERSION".to_string(),
                "APP VERSION".to_string(),
                "DESCRIPTION".to_string(),
            ]];
            for h in &results {
                rows.push(vec![
                    h.name.clone(),
                    field(&h.chart, "version").to_string(),
                    field(&h.chart, "appVersion").to_string(),
                    field(&h.chart, "description").to_string(),
                ]);
            }
            out.write_all(crate::repo::table::format(&rows, a.max_col_width).as_bytes())?;
        }
        "json" | "yaml" => {
            if a.output == "json" {
                // Helm's field order: name, version, app_version, description.
                let items: Vec<String> = results
                    .iter()
                    .map(|h| {
                        let q = |s: &str| Json::String(s.to_string()).to_string();
                        format!(
                            "{{\"name\":{},\"version\":{},\"app_version\":{},\"description\":{}}}",
                            q(&h.name),
                            q(field(&h.chart, "version")),
                            q(field(&h.chart, "appVersion")),
                            q(field(&h.chart, "description"))
                        )
                    })
                    .collect();
                writeln!(out, "[{}]", items.join(","))?;
                return Ok(());
            }
            let list: Vec<Json> = results
                .iter()
                .map(|h| {
                    serde_json::json!({
                        "name": h.name,
                        "version": field(&h.chart, "version"),
                        "app_version": field(&h.chart, "appVersion"),
                        "description": field(&h.chart, "description"),
                    })
                })
                .collect();
            super::repo::write_structured(out, &a.output, &Json::Array(list))?;
        }
        other => bail!("invalid argument {other:?} for \"-o, --output\" flag: invalid format type"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_counts_separators_before_the_match() {
        let line = format!("nginx{SEP}repo/nginx{SEP}a web server{SEP}web");
        assert_eq!(score(0, &line), 0);
        assert_eq!(score(7, &line), 1);
        assert_eq!(line.find("server").map(|i| score(i, &line)), Some(2));
    }
}
