//! `.Capabilities`: the Kubernetes version, the API versions the cluster serves, and the Helm
//! version — Helm's `*common.Capabilities`.

use std::any::Any;
use std::sync::Arc;

use crate::funcs::{Args, FnCtx, FnError, Func};
use crate::value::{Entries, Kind, List, ListType, Map, MapType, Object, Value};

/// The Kubernetes version `helm template` assumes by default (Helm 4.1.4's client-go).
pub const DEFAULT_KUBE_VERSION: &str = "v1.35.0";

/// The version Helm reports in `.Capabilities.HelmVersion`.
pub const HELM_VERSION: &str = "v4.1.4";
const HELM_GIT_COMMIT: &str = "05fa37973dc9e42b76e1d2883494c87174b6074f";
const HELM_GO_VERSION: &str = "go1.25.9";
const HELM_KUBE_CLIENT_VERSION: &str = "v1.35";

/// The API versions Helm 4.1.4 assumes when it cannot ask a cluster, in Helm's order.
pub fn default_api_versions() -> Vec<String> {
    include_str!("default-api-versions.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A Kubernetes version as `.Capabilities.KubeVersion` exposes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeVersion {
    /// `v1.35.0` (the full version, with a `v`).
    pub version: String,
    /// `1`.
    pub major: String,
    /// `35`.
    pub minor: String,
}

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion {
            version: DEFAULT_KUBE_VERSION.into(),
            major: "1".into(),
            minor: "35".into(),
        }
    }
}

impl KubeVersion {
    /// Parses `--kube-version` as Helm 4 does (Kubernetes' generic version syntax:
    /// `1.28`, `v1.28.3`, `v1.30.0-eks-1`). Errors read
    /// `invalid kube version 'abc': could not parse "abc" as version`.
    pub fn parse(s: &str) -> Result<KubeVersion, String> {
        let bad = || {
            format!(
                "invalid kube version '{s}': could not parse {} as version",
                crate::template::error::go_quote(s)
            )
        };
        let trimmed = s.trim();
        let body = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let numeric_end = body
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(body.len());
        let (numbers, extra) = body.split_at(numeric_end);
        let parts: Vec<&str> = numbers.split('.').collect();
        if parts.len() < 2
            || parts
                .iter()
                .any(|p| p.is_empty() || p.len() > 1 && p.starts_with('0'))
        {
            return Err(bad());
        }
        if !extra.is_empty() && !extra.starts_with(['-', '+']) {
            return Err(bad());
        }
        let patch = parts.get(2).copied().unwrap_or("0");
        Ok(KubeVersion {
            version: format!("v{}.{}.{patch}{extra}", parts[0], parts[1]),
            major: parts[0].to_string(),
            minor: parts[1].to_string(),
        })
    }

    /// The version as a [`Value`] object of Go type `common.KubeVersion`.
    pub fn to_value(&self) -> Value {
        Value::Object(Arc::new(self.clone()))
    }
}

static KUBE_VERSION_METHODS: &[Func] = &[
    Func {
        name: "String",
        params: &[],
        variadic: None,
        call: kube_version_string,
    },
    Func {
        name: "GitVersion",
        params: &[],
        variadic: None,
        call: kube_version_string,
    },
];

fn kube_version_string(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    match args.first() {
        Some(Value::Object(o)) => Ok(Value::from(o.go_string())),
        _ => Ok(Value::from("")),
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        "common.KubeVersion"
    }
    fn kind(&self) -> Kind {
        Kind::Struct
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(Value::from(self.version.as_str())),
            "Major" => Some(Value::from(self.major.as_str())),
            "Minor" => Some(Value::from(self.minor.as_str())),
            _ => None,
        }
    }
    fn method(&self, name: &str) -> Option<&'static Func> {
        KUBE_VERSION_METHODS.iter().find(|f| f.name == name)
    }
    fn go_string(&self) -> String {
        self.version.clone()
    }
    fn to_json_value(&self) -> Value {
        let mut e = Entries::new();
        e.insert("Version".into(), Value::from(self.version.as_str()));
        e.insert("Major".into(), Value::from(self.major.as_str()));
        e.insert("Minor".into(), Value::from(self.minor.as_str()));
        Value::map(e)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Helm's `version.BuildInfo`.
#[derive(Clone, Debug)]
struct BuildInfo;

impl Object for BuildInfo {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }
    fn kind(&self) -> Kind {
        Kind::Struct
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::from(match name {
            "Version" => HELM_VERSION,
            "GitCommit" => HELM_GIT_COMMIT,
            "GitTreeState" => "clean",
            "GoVersion" => HELM_GO_VERSION,
            "KubeClientVersion" => HELM_KUBE_CLIENT_VERSION,
            _ => return None,
        }))
    }
    fn go_string(&self) -> String {
        format!(
            "{{{HELM_VERSION} {HELM_GIT_COMMIT} clean {HELM_GO_VERSION} {HELM_KUBE_CLIENT_VERSION}}}"
        )
    }
    fn to_json_value(&self) -> Value {
        let mut e = Entries::new();
        e.insert("version".into(), Value::from(HELM_VERSION));
        e.insert("git_commit".into(), Value::from(HELM_GIT_COMMIT));
        e.insert("git_tree_state".into(), Value::from("clean"));
        e.insert("go_version".into(), Value::from(HELM_GO_VERSION));
        e.insert(
            "kube_client_version".into(),
            Value::from(HELM_KUBE_CLIENT_VERSION),
        );
        Value::map(e)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `*common.Capabilities`.
#[derive(Clone, Debug)]
pub struct Capabilities {
    /// The cluster's Kubernetes version.
    pub kube_version: KubeVersion,
    /// The API versions (`group/version` and `group/version/Kind`) the cluster serves.
    pub api_versions: Arc<[String]>,
}

impl Capabilities {
    /// Helm's defaults plus `extra_api_versions` (`--api-versions`).
    pub fn new(kube_version: KubeVersion, extra_api_versions: &[String]) -> Capabilities {
        // Renders share one copy of the default list.
        static DEFAULTS: std::sync::OnceLock<Arc<[String]>> = std::sync::OnceLock::new();
        let defaults = DEFAULTS.get_or_init(|| default_api_versions().into());
        let api_versions = if extra_api_versions.is_empty() {
            defaults.clone()
        } else {
            defaults.iter().chain(extra_api_versions).cloned().collect()
        };
        Capabilities {
            kube_version,
            api_versions,
        }
    }

    /// The capabilities as a [`Value`] object.
    pub fn to_value(&self) -> Value {
        Value::Object(Arc::new(self.clone()))
    }

    fn api_versions_value(&self) -> Value {
        Value::List(List::with_type(
            ListType::VersionSet,
            self.api_versions
                .iter()
                .map(|s| Value::from(s.as_str()))
                .collect(),
        ))
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }
    fn kind(&self) -> Kind {
        Kind::Ptr
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(self.kube_version.to_value()),
            "APIVersions" => Some(self.api_versions_value()),
            "HelmVersion" => Some(Value::Object(Arc::new(BuildInfo))),
            _ => None,
        }
    }
    fn go_string(&self) -> String {
        format!(
            "&{{{{{} {} {}}} [{}] {}}}",
            self.kube_version.version,
            self.kube_version.major,
            self.kube_version.minor,
            self.api_versions.join(" "),
            BuildInfo.go_string()
        )
    }
    fn to_json_value(&self) -> Value {
        let mut e = Entries::new();
        e.insert("KubeVersion".into(), self.kube_version.to_json_value());
        e.insert(
            "APIVersions".into(),
            Value::str_list(self.api_versions.iter().map(String::as_str)),
        );
        e.insert("HelmVersion".into(), BuildInfo.to_json_value());
        Value::Map(Map::from_entries(MapType::Any, e))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kube_versions_like_helm() {
        let v = KubeVersion::parse("1.28.3").unwrap();
        assert_eq!(
            (v.version.as_str(), v.major.as_str(), v.minor.as_str()),
            ("v1.28.3", "1", "28")
        );
        let v = KubeVersion::parse("v1.30.0-eks-1").unwrap();
        assert_eq!(
            (v.version.as_str(), v.minor.as_str()),
            ("v1.30.0-eks-1", "30")
        );
        assert_eq!(
            KubeVersion::parse("abc").unwrap_err(),
            "invalid kube version 'abc': could not parse \"abc\" as version"
        );
        assert_eq!(default_api_versions().len(), 52);
    }
}
