//! Reading the vector files (documented in `testdata/conformance/README.md`). They are read
//! with an independent YAML 1.2 parser, not with the YAML layer under test.

use std::collections::BTreeMap;
use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

/// What a case expects.
pub enum Expected {
    /// Exact output.
    Output(String),
    /// Rendering fails with a message containing this text.
    Error(String),
    /// Nondeterministic output that must fully match this regular expression.
    Match(String),
}

/// A case of the `template` suite.
pub struct TemplateCase {
    pub id: String,
    pub template: String,
    pub values: Option<String>,
    pub files: Vec<(String, String)>,
    pub chart: Vec<(String, Yaml)>,
    pub args: Vec<String>,
    pub release_name: Option<String>,
    pub expected: Expected,
}

/// A case of the `setflag` suite.
pub struct SetflagCase {
    pub id: String,
    pub args: Vec<String>,
    pub values: Option<String>,
    pub files: Vec<(String, String)>,
    /// `Ok((values JSON, kinds))` or `Err(error substring)`.
    pub expected: Result<(String, BTreeMap<String, String>), String>,
}

/// A whole-command case of the `values` and `render` suites.
pub struct CommandCase {
    pub dir: std::path::PathBuf,
    pub command: Vec<String>,
    pub collect: Option<String>,
    pub exit_code: i64,
    pub stdout: Option<String>,
    pub error: Option<String>,
    pub files: BTreeMap<String, String>,
}

pub fn load(path: &Path) -> Result<Yaml, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut docs =
        YamlLoader::load_from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if docs.is_empty() {
        return Err(format!("{}: empty", path.display()));
    }
    Ok(docs.swap_remove(0))
}

fn string(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

fn strings(y: &Yaml) -> Vec<String> {
    y.as_vec()
        .map(|v| v.iter().filter_map(string).collect())
        .unwrap_or_default()
}

fn pairs(y: &Yaml) -> Vec<(String, String)> {
    y.as_hash()
        .map(|h| {
            h.iter()
                .filter_map(|(k, v)| Some((string(k)?, string(v)?)))
                .collect()
        })
        .unwrap_or_default()
}

fn expected(e: &Yaml) -> Expected {
    if let Some(o) = string(&e["output"]) {
        Expected::Output(o)
    } else if let Some(m) = string(&e["match"]) {
        Expected::Match(m)
    } else {
        Expected::Error(string(&e["error"]).unwrap_or_default())
    }
}

/// Every template case of one topic file, with the file's defaults applied.
pub fn template_cases(path: &Path) -> Result<Vec<TemplateCase>, String> {
    let doc = load(path)?;
    let defaults = &doc["defaults"];
    let pick = |case: &Yaml, key: &str| -> Yaml {
        if case[key].is_badvalue() {
            defaults[key].clone()
        } else {
            case[key].clone()
        }
    };
    let mut out = Vec::new();
    for case in doc["cases"].as_vec().cloned().unwrap_or_default() {
        out.push(TemplateCase {
            id: string(&case["id"]).unwrap_or_default(),
            template: string(&case["template"]).unwrap_or_default(),
            values: string(&pick(&case, "values")),
            files: pairs(&pick(&case, "files")),
            chart: pick(&case, "chart")
                .as_hash()
                .map(|h| {
                    h.iter()
                        .filter_map(|(k, v)| Some((string(k)?, v.clone())))
                        .collect()
                })
                .unwrap_or_default(),
            args: strings(&pick(&case, "args")),
            release_name: string(&pick(&case, "release_name")),
            expected: expected(&case["expected"]),
        });
    }
    Ok(out)
}

/// Every case of one setflag file.
pub fn setflag_cases(path: &Path) -> Result<Vec<SetflagCase>, String> {
    let doc = load(path)?;
    let mut out = Vec::new();
    for case in doc["cases"].as_vec().cloned().unwrap_or_default() {
        let e = &case["expected"];
        let expected = match string(&e["values"]) {
            Some(values) => Ok((values, pairs(&e["kinds"]).into_iter().collect())),
            None => Err(string(&e["error"]).unwrap_or_default()),
        };
        out.push(SetflagCase {
            id: string(&case["id"]).unwrap_or_default(),
            args: strings(&case["args"]),
            values: string(&case["values"]),
            files: pairs(&case["files"]),
            expected,
        });
    }
    Ok(out)
}

/// The case of one `values/` or `render/` folder.
pub fn command_case(dir: &Path) -> Result<CommandCase, String> {
    let doc = load(&dir.join("case.yaml"))?;
    let e = &doc["expected"];
    Ok(CommandCase {
        dir: dir.to_path_buf(),
        command: strings(&doc["command"]),
        collect: string(&doc["collect"]),
        exit_code: e["exit_code"].as_i64().unwrap_or(0),
        stdout: string(&e["stdout"]),
        error: string(&e["error"]),
        files: pairs(&e["files"]).into_iter().collect(),
    })
}

/// Writes a value of a case's `chart:` block as YAML (JSON flow style, scalars as written).
pub fn yaml_text(y: &Yaml) -> String {
    match y {
        Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Yaml::Array(a) => format!(
            "[{}]",
            a.iter().map(yaml_text).collect::<Vec<_>>().join(", ")
        ),
        Yaml::Hash(h) => format!(
            "{{{}}}",
            h.iter()
                .map(|(k, v)| format!("{}: {}", yaml_text(k), yaml_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => "null".to_string(),
    }
}
