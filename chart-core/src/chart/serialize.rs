//! `Chart.yaml` and `Chart.lock` written back as Helm writes them (`helm package`, `helm show
//! chart`): the Go structs marshalled to JSON (`omitempty` fields left out when empty), then
//! read back and written by go-yaml v2 (`sigs.k8s.io/yaml`), so keys come out sorted, comments
//! and the original quoting are gone, and long strings are folded at 80 columns.

use std::sync::LazyLock;

use super::{Dependency, Lock, Maintainer, Metadata};
use crate::value::{Entries, List, Map, MapType, Value};
use crate::yaml;

/// The text of `Chart.yaml` for `metadata` (`yaml.Marshal` of Helm's `Metadata`, what `helm
/// show chart` prints), ending with a newline.
pub fn chart_yaml(metadata: &Metadata) -> Result<String, yaml::YamlError> {
    metadata_yaml(metadata, true)
}

/// The `Chart.yaml` written into a package: [`chart_yaml`], except that an `apiVersion: v1`
/// chart keeps its dependencies in `requirements.yaml` only, as Helm's `Save` does.
pub fn archived_chart_yaml(metadata: &Metadata) -> Result<String, yaml::YamlError> {
    metadata_yaml(metadata, metadata.api_version != "v1")
}

fn metadata_yaml(metadata: &Metadata, with_dependencies: bool) -> Result<String, yaml::YamlError> {
    let mut e = Entries::new();
    let put_str = |e: &mut Entries, key: &str, v: &str| {
        if !v.is_empty() {
            e.insert(key.into(), Value::string(v));
        }
    };
    put_str(&mut e, "name", &metadata.name);
    put_str(&mut e, "home", &metadata.home);
    put_str(&mut e, "version", &metadata.version);
    put_str(&mut e, "description", &metadata.description);
    put_str(&mut e, "icon", &metadata.icon);
    put_str(&mut e, "apiVersion", &metadata.api_version);
    put_str(&mut e, "condition", &metadata.condition);
    put_str(&mut e, "tags", &metadata.tags);
    put_str(&mut e, "appVersion", &metadata.app_version);
    put_str(&mut e, "kubeVersion", &metadata.kube_version);
    put_str(&mut e, "type", &metadata.chart_type);
    if !metadata.sources.is_empty() {
        e.insert("sources".into(), Value::str_list(metadata.sources.clone()));
    }
    if !metadata.keywords.is_empty() {
        e.insert(
            "keywords".into(),
            Value::str_list(metadata.keywords.clone()),
        );
    }
    if !metadata.maintainers.is_empty() {
        let list = metadata.maintainers.iter().map(maintainer_value).collect();
        e.insert("maintainers".into(), Value::List(List::new(list)));
    }
    if metadata.deprecated {
        e.insert("deprecated".into(), Value::Bool(true));
    }
    if let Some(annotations) = metadata.annotations.as_ref().filter(|a| !a.is_empty()) {
        let entries: Entries = annotations
            .iter()
            .map(|(k, v)| (k.into(), Value::string(v.as_str())))
            .collect();
        e.insert(
            "annotations".into(),
            Value::Map(Map::from_entries(MapType::Str, entries)),
        );
    }
    if with_dependencies && !metadata.dependencies.is_empty() {
        let list = metadata.dependencies.iter().map(dependency_value).collect();
        e.insert("dependencies".into(), Value::List(List::new(list)));
    }
    marshal(&Value::map(e))
}

/// The text of `Chart.lock` for `lock`, ending with a newline. `generated` is written as
/// Go writes a `time.Time` (RFC 3339 with the fraction's trailing zeros dropped, `Z` for UTC).
pub fn lock_yaml(lock: &Lock) -> Result<String, yaml::YamlError> {
    let mut e = Entries::new();
    e.insert(
        "generated".into(),
        Value::string(go_time_text(&lock.generated)),
    );
    e.insert("digest".into(), Value::string(lock.digest.as_str()));
    let deps = if lock.dependencies.is_empty() {
        Value::Nil
    } else {
        Value::List(List::new(
            lock.dependencies.iter().map(dependency_value).collect(),
        ))
    };
    e.insert("dependencies".into(), deps);
    marshal(&Value::map(e))
}

fn marshal(v: &Value) -> Result<String, yaml::YamlError> {
    let mut text = yaml::to_yaml(v)?;
    text.push('\n');
    Ok(text)
}

fn maintainer_value(m: &Maintainer) -> Value {
    let mut e = Entries::new();
    for (k, v) in [("name", &m.name), ("email", &m.email), ("url", &m.url)] {
        if !v.is_empty() {
            e.insert(k.into(), Value::string(v.as_str()));
        }
    }
    Value::map(e)
}

fn dependency_value(d: &Dependency) -> Value {
    let mut e = Entries::new();
    // `name` and `repository` have no `omitempty`.
    e.insert("name".into(), Value::string(d.name.as_str()));
    e.insert("repository".into(), Value::string(d.repository.as_str()));
    for (k, v) in [
        ("version", &d.version),
        ("condition", &d.condition),
        ("alias", &d.alias),
    ] {
        if !v.is_empty() {
            e.insert(k.into(), Value::string(v.as_str()));
        }
    }
    if !d.tags.is_empty() {
        e.insert("tags".into(), Value::str_list(d.tags.clone()));
    }
    if d.enabled {
        e.insert("enabled".into(), Value::Bool(true));
    }
    if !d.import_values.is_empty() {
        let list = d.import_values.iter().map(|i| i.to_value()).collect();
        e.insert("import-values".into(), Value::List(List::new(list)));
    }
    Value::map(e)
}

/// Go's JSON text of a `time.Time` read from `text` (RFC 3339): the fraction without trailing
/// zeros and a zero offset as `Z`. An empty text is Go's zero time.
fn go_time_text(text: &str) -> String {
    static RFC3339: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^(\d{4}-\d\d-\d\d)[Tt](\d\d:\d\d:\d\d)(\.\d+)?([Zz]|[+-]\d\d:\d\d)$")
            .unwrap_or_else(|_| unreachable!("a valid regular expression"))
    });
    if text.is_empty() {
        return "0001-01-01T00:00:00Z".into();
    }
    let Some(c) = RFC3339.captures(text) else {
        return text.to_string();
    };
    let frac = c
        .get(3)
        .map_or("", |m| m.as_str().trim_end_matches('0'))
        .trim_end_matches('.');
    let zone = match c.get(4).map_or("Z", |m| m.as_str()) {
        "z" | "Z" | "+00:00" | "-00:00" => "Z",
        other => other,
    };
    format!("{}T{}{frac}{zone}", &c[1], &c[2])
}

/// The instant of a lock's `generated` time, in Unix seconds rounded to the nearest second as
/// Go's tar writer rounds it; `None` for Go's zero time (absent) or unreadable text.
#[cfg_attr(not(feature = "archive"), allow(dead_code))]
pub(crate) fn generated_unix(text: &str) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    let ts: jiff::Timestamp = go_time_text(text).parse().ok()?;
    let secs = ts.as_second();
    let nanos = ts.subsec_nanosecond();
    Some(if nanos >= 500_000_000 { secs + 1 } else { secs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_times() {
        assert_eq!(
            go_time_text("2024-01-02T03:04:05.120000+02:00"),
            "2024-01-02T03:04:05.12+02:00"
        );
        assert_eq!(
            go_time_text("2024-01-02T03:04:05.000+00:00"),
            "2024-01-02T03:04:05Z"
        );
        assert_eq!(go_time_text(""), "0001-01-01T00:00:00Z");
        assert_eq!(
            generated_unix("2024-01-02T03:04:05.12+02:00"),
            Some(1_704_157_445)
        );
        assert_eq!(generated_unix("1970-01-01T00:00:01.5Z"), Some(2));
        assert_eq!(generated_unix(""), None);
    }

    #[test]
    fn chart_yaml_is_sorted_and_drops_empty_fields() {
        let md = Metadata {
            api_version: "v2".into(),
            name: "mc".into(),
            version: "1.0.0".into(),
            app_version: "0001".into(),
            description:
                "Umbrella chart with three levels of nested subcharts (api -> queue -> exporter)."
                    .into(),
            annotations: Some(vec![("b".into(), "1".into()), ("a".into(), "x".into())]),
            dependencies: vec![Dependency {
                name: "greeter".into(),
                version: ">=0".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        // Helm 4.1.4's output for the same Chart.yaml.
        assert_eq!(
            chart_yaml(&md).unwrap(),
            "annotations:\n  a: x\n  b: \"1\"\napiVersion: v2\nappVersion: \"0001\"\n\
             dependencies:\n- name: greeter\n  repository: \"\"\n  version: '>=0'\n\
             description: Umbrella chart with three levels of nested subcharts (api -> queue ->\n  \
             exporter).\nname: mc\nversion: 1.0.0\n"
        );
        let v1 = Metadata {
            api_version: "v1".into(),
            ..md
        };
        assert!(!archived_chart_yaml(&v1).unwrap().contains("dependencies"));
        assert!(chart_yaml(&v1).unwrap().contains("dependencies"));
    }
}
