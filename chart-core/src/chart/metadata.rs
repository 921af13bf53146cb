//! `Chart.yaml`, `requirements.yaml` and the lock files: decoding them the way Helm does,
//! checking them, and showing them to templates as `.Chart`.
//!
//! Helm reads these files with sigs.k8s.io/yaml into Go structs. The YAML 1.1 scalars are
//! resolved first and then coerced into each field's Go type: a number or a boolean landing
//! in a `string` field becomes its text (`appVersion: 1.10` is `"1.1"`, `description: on`
//! is `"true"`), a `null` leaves the field alone, and a value of the wrong shape is a JSON
//! type error such as `json: cannot unmarshal array into Go struct field Metadata.name of
//! type string`. Object keys match field names case-insensitively, and since the document
//! passes through JSON with sorted keys, the last spelling in byte order wins.

use std::sync::LazyLock;

use super::{Dependency, ImportValue, Lock, Maintainer, Metadata};
use crate::json;
use crate::value::{Entries, List, Map, MapType, Value};
use crate::yaml;

/// The `validation: ...` errors of `Metadata.Validate`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("validation: {0}")]
pub struct ValidationError(pub String);

/// Decodes a `Chart.yaml` (or a v1 `requirements.yaml`) into `md`, as `yaml.Unmarshal` into
/// an existing `*Metadata` does: fields absent from the document keep their value. The error
/// is the Go text after `cannot load Chart.yaml: `.
pub(crate) fn decode_metadata_into(md: &mut Metadata, data: &[u8]) -> Result<(), String> {
    let doc = typed_document(data)?;
    match &doc {
        Value::Nil => Ok(()),
        Value::Map(m) => {
            let mut ctx = Context::new("Metadata");
            for (key, value) in m.entries() {
                let Some(field) = find_field(METADATA_FIELDS, &key) else {
                    continue;
                };
                ctx.path.push(field);
                decode_metadata_field(md, field, &value, &mut ctx)?;
                ctx.path.pop();
            }
            Ok(())
        }
        other => Err(value_type_error(other, "v2.Metadata")),
    }
}

/// The `apiVersion` of a `Chart.yaml`, as Helm 4's version-detecting loader reads it before
/// picking the loader for that chart version.
pub(crate) fn api_version(data: &[u8]) -> Result<String, String> {
    let doc = typed_document(data)?;
    match &doc {
        Value::Nil => Ok(String::new()),
        Value::Map(m) => {
            let mut out = String::new();
            let mut ctx = Context::new("chartBase");
            for (key, value) in m.entries() {
                if find_field(&["apiVersion"], &key).is_some() {
                    ctx.path.push("apiVersion");
                    decode_string(&mut out, &value, &ctx)?;
                    ctx.path.pop();
                }
            }
            Ok(out)
        }
        other => Err(value_type_error(other, "loader.chartBase")),
    }
}

/// The chart name in a `Chart.yaml`, or `None` when it cannot be read.
#[cfg(feature = "archive")]
pub(crate) fn chart_name(data: &[u8]) -> Option<String> {
    let mut md = Metadata::default();
    decode_metadata_into(&mut md, data).ok()?;
    Some(md.name)
}

/// Decodes a `Chart.lock` or `requirements.lock`. `Ok(None)` for a document that is `null`
/// (Go sets the pointer back to nil). The error is the text after `cannot load Chart.lock: `.
pub(crate) fn decode_lock(data: &[u8]) -> Result<Option<Lock>, String> {
    let doc = typed_document(data)?;
    let m = match &doc {
        Value::Nil => return Ok(None),
        Value::Map(m) => m.clone(),
        other => return Err(value_type_error(other, "v2.Lock")),
    };
    let mut lock = Lock::default();
    let mut ctx = Context::new("Lock");
    for (key, value) in m.entries() {
        let Some(field) = find_field(&["generated", "digest", "dependencies"], &key) else {
            continue;
        };
        ctx.path.push(field);
        match field {
            "generated" => decode_time(&mut lock.generated, &value)?,
            "digest" => decode_string(&mut lock.digest, &value, &ctx)?,
            _ => {
                let mut nulls = false;
                decode_dependencies(&mut lock.dependencies, &mut nulls, &value, &mut ctx)?;
            }
        }
        ctx.path.pop();
    }
    Ok(Some(lock))
}

fn typed_document(data: &[u8]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(data);
    yaml::load_typed(&text).map_err(|e| e.0)
}

/// Go's `errorContext`: the struct being decoded and the JSON field names leading to the
/// value, which `UnmarshalTypeError` prints as `Struct.field.field`.
struct Context {
    structs: Vec<&'static str>,
    path: Vec<&'static str>,
}

impl Context {
    fn new(root: &'static str) -> Context {
        Context {
            structs: vec![root],
            path: Vec::new(),
        }
    }

    fn type_error(&self, value: &Value, go_type: &str) -> String {
        format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field {}.{} of type {}",
            json_kind(value),
            self.structs.last().copied().unwrap_or("Metadata"),
            self.path.join("."),
            go_type
        )
    }
}

fn value_type_error(value: &Value, go_type: &str) -> String {
    format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type {}",
        json_kind(value),
        go_type
    )
}

/// How `encoding/json` names the kind of a JSON value in its errors.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::Int(..) | Value::Uint(..) | Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "array",
        Value::Map(_) => "object",
        _ => "null",
    }
}

/// The fields of Helm's `chart.Metadata`, in its declaration (and JSON) order.
pub const METADATA_FIELDS: &[&str] = &[
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
];

const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];

const DEPENDENCY_FIELDS: &[&str] = &[
    "name",
    "version",
    "repository",
    "condition",
    "tags",
    "enabled",
    "import-values",
    "alias",
];

/// `encoding/json`'s field lookup: an exact name first, then a case-insensitive one.
fn find_field(fields: &[&'static str], key: &str) -> Option<&'static str> {
    fields
        .iter()
        .find(|f| **f == key)
        .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(key)))
        .copied()
}

fn decode_metadata_field(
    md: &mut Metadata,
    field: &'static str,
    value: &Value,
    ctx: &mut Context,
) -> Result<(), String> {
    match field {
        "name" => decode_string(&mut md.name, value, ctx),
        "home" => decode_string(&mut md.home, value, ctx),
        "sources" => decode_strings(&mut md.sources, value, ctx),
        "version" => decode_string(&mut md.version, value, ctx),
        "description" => decode_string(&mut md.description, value, ctx),
        "keywords" => decode_strings(&mut md.keywords, value, ctx),
        "maintainers" => decode_maintainers(md, value, ctx),
        "icon" => decode_string(&mut md.icon, value, ctx),
        "apiVersion" => decode_string(&mut md.api_version, value, ctx),
        "condition" => decode_string(&mut md.condition, value, ctx),
        "tags" => decode_string(&mut md.tags, value, ctx),
        "appVersion" => decode_string(&mut md.app_version, value, ctx),
        "deprecated" => decode_bool(&mut md.deprecated, value, ctx),
        "annotations" => decode_annotations(&mut md.annotations, value, ctx),
        "kubeVersion" => decode_string(&mut md.kube_version, value, ctx),
        "dependencies" => {
            if value.is_nil() {
                md.dependencies.clear();
                md.dependencies_declared = false;
                md.null_dependency = false;
                return Ok(());
            }
            let mut nulls = false;
            decode_dependencies(&mut md.dependencies, &mut nulls, value, ctx)?;
            md.dependencies_declared = true;
            md.null_dependency = nulls;
            Ok(())
        }
        _ => decode_string(&mut md.chart_type, value, ctx),
    }
}

fn decode_string(out: &mut String, value: &Value, ctx: &Context) -> Result<(), String> {
    match value {
        Value::Nil | Value::Invalid => Ok(()),
        Value::List(_) | Value::Map(_) => Err(ctx.type_error(value, "string")),
        scalar => {
            if let Some(s) = yaml::go_string_field(scalar) {
                *out = s;
            }
            Ok(())
        }
    }
}

fn decode_bool(out: &mut bool, value: &Value, ctx: &Context) -> Result<(), String> {
    match value {
        Value::Nil | Value::Invalid => Ok(()),
        Value::Bool(b) => {
            *out = *b;
            Ok(())
        }
        other => Err(ctx.type_error(other, "bool")),
    }
}

fn decode_strings(out: &mut Vec<String>, value: &Value, ctx: &Context) -> Result<(), String> {
    match value {
        Value::Nil | Value::Invalid => {
            out.clear();
            Ok(())
        }
        Value::List(items) => {
            let mut decoded = Vec::with_capacity(items.len());
            for item in items.items() {
                let mut s = String::new();
                decode_string(&mut s, item, ctx)?;
                decoded.push(s);
            }
            *out = decoded;
            Ok(())
        }
        other => Err(ctx.type_error(other, "[]string")),
    }
}

fn decode_annotations(
    out: &mut Option<Vec<(String, String)>>,
    value: &Value,
    ctx: &Context,
) -> Result<(), String> {
    match value {
        Value::Nil | Value::Invalid => {
            *out = None;
            Ok(())
        }
        Value::Map(m) => {
            // Decoding into an existing Go map adds to it.
            let mut entries: Vec<(String, String)> = out.take().unwrap_or_default();
            for (key, item) in m.entries() {
                let mut s = String::new();
                decode_string(&mut s, &item, ctx)?;
                match entries.iter_mut().find(|(k, _)| key == *k) {
                    Some(slot) => slot.1 = s,
                    None => entries.push((key.into(), s)),
                }
            }
            entries.sort();
            *out = Some(entries);
            Ok(())
        }
        other => Err(ctx.type_error(other, "map[string]string")),
    }
}

fn decode_maintainers(md: &mut Metadata, value: &Value, ctx: &mut Context) -> Result<(), String> {
    match value {
        Value::Nil | Value::Invalid => {
            md.maintainers.clear();
            md.null_maintainer = false;
            Ok(())
        }
        Value::List(items) => {
            let mut decoded = Vec::with_capacity(items.len());
            let mut nulls = false;
            for item in items.items() {
                match item {
                    Value::Nil => nulls = true,
                    Value::Map(m) => {
                        let mut maintainer = Maintainer::default();
                        ctx.structs.push("Maintainer");
                        for (key, v) in m.entries() {
                            let Some(field) = find_field(MAINTAINER_FIELDS, &key) else {
                                continue;
                            };
                            ctx.path.push(field);
                            let slot = match field {
                                "name" => &mut maintainer.name,
                                "email" => &mut maintainer.email,
                                _ => &mut maintainer.url,
                            };
                            decode_string(slot, &v, ctx)?;
                            ctx.path.pop();
                        }
                        ctx.structs.pop();
                        decoded.push(maintainer);
                    }
                    other => return Err(ctx.type_error(other, "v2.Maintainer")),
                }
            }
            md.maintainers = decoded;
            md.null_maintainer = nulls;
            Ok(())
        }
        other => Err(ctx.type_error(other, "[]*v2.Maintainer")),
    }
}

fn decode_dependencies(
    out: &mut Vec<Dependency>,
    nulls: &mut bool,
    value: &Value,
    ctx: &mut Context,
) -> Result<(), String> {
    match value {
        Value::Nil | Value::Invalid => {
            out.clear();
            Ok(())
        }
        Value::List(items) => {
            let mut decoded = Vec::with_capacity(items.len());
            for item in items.items() {
                match item {
                    Value::Nil => *nulls = true,
                    Value::Map(m) => {
                        ctx.structs.push("Dependency");
                        let dep = decode_dependency(m, ctx)?;
                        ctx.structs.pop();
                        decoded.push(dep);
                    }
                    other => return Err(ctx.type_error(other, "v2.Dependency")),
                }
            }
            *out = decoded;
            Ok(())
        }
        other => Err(ctx.type_error(other, "[]*v2.Dependency")),
    }
}

fn decode_dependency(m: &Map, ctx: &mut Context) -> Result<Dependency, String> {
    let mut dep = Dependency::default();
    for (key, v) in m.entries() {
        let Some(field) = find_field(DEPENDENCY_FIELDS, &key) else {
            continue;
        };
        ctx.path.push(field);
        match field {
            "name" => decode_string(&mut dep.name, &v, ctx)?,
            "version" => decode_string(&mut dep.version, &v, ctx)?,
            "repository" => decode_string(&mut dep.repository, &v, ctx)?,
            "condition" => decode_string(&mut dep.condition, &v, ctx)?,
            "tags" => decode_strings(&mut dep.tags, &v, ctx)?,
            "enabled" => decode_bool(&mut dep.enabled, &v, ctx)?,
            "import-values" => match &v {
                Value::Nil | Value::Invalid => dep.import_values.clear(),
                Value::List(items) => {
                    dep.import_values = items
                        .items()
                        .iter()
                        .map(|item| ImportValue::from_raw(&untyped(item)))
                        .collect();
                }
                other => return Err(ctx.type_error(other, "[]interface {}")),
            },
            _ => decode_string(&mut dep.alias, &v, ctx)?,
        }
        ctx.path.pop();
    }
    Ok(dep)
}

/// A value decoded into an `interface {}`: JSON numbers become `float64`.
fn untyped(v: &Value) -> Value {
    match v {
        Value::Int(i, _) => Value::Float(*i as f64),
        Value::Uint(u, _) => Value::Float(*u as f64),
        Value::List(l) => Value::list(l.items().iter().map(untyped).collect()),
        Value::Map(m) => {
            let entries: Entries = m
                .entries()
                .into_iter()
                .map(|(k, v)| (k, untyped(&v)))
                .collect();
            Value::map(entries)
        }
        other => other.clone(),
    }
}

/// `time.Time`'s JSON decoding of the lock file's `generated`.
fn decode_time(out: &mut String, value: &Value) -> Result<(), String> {
    match value {
        Value::Nil | Value::Invalid => Ok(()),
        Value::String(s) => {
            if s.parse::<jiff::Timestamp>().is_err() {
                return Err(format!(
                    "error unmarshaling JSON: while decoding JSON: parsing time {} as \"2006-01-02T15:04:05Z07:00\": cannot parse {} as \"2006\"",
                    super::go_quote(s),
                    super::go_quote(s)
                ));
            }
            *out = s.to_string();
            Ok(())
        }
        _ => Err(
            "error unmarshaling JSON: while decoding JSON: Time.UnmarshalJSON: input is not a JSON string"
                .into(),
        ),
    }
}

impl ImportValue {
    /// One `import-values` entry as Helm keeps it before processing: a string is an export
    /// name, a map gives `child` and `parent` (each formatted with `%v`, so a missing one is
    /// `<nil>`), anything else is kept as is and ignored.
    pub fn from_raw(v: &Value) -> ImportValue {
        match v {
            Value::String(s) => ImportValue::Exports(s.to_string()),
            Value::Map(m) => ImportValue::ChildParent {
                child: sprint_v(&m.get("child").unwrap_or(Value::Nil)),
                parent: sprint_v(&m.get("parent").unwrap_or(Value::Nil)),
            },
            other => ImportValue::Other(other.clone()),
        }
    }
}

/// Go's `%v` for the plain data a YAML document can hold.
pub(crate) fn sprint_v(v: &Value) -> String {
    match v {
        Value::Invalid | Value::Nil => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i, _) => i.to_string(),
        Value::Uint(u, _) => u.to_string(),
        Value::Float(f) => json::format_float(*f, b'g', 64),
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => format!(
            "[{}]",
            b.iter().map(u8::to_string).collect::<Vec<_>>().join(" ")
        ),
        Value::List(l) => format!(
            "[{}]",
            l.items().iter().map(sprint_v).collect::<Vec<_>>().join(" ")
        ),
        Value::Map(m) => format!(
            "map[{}]",
            m.entries()
                .iter()
                .map(|(k, v)| format!("{k}:{}", sprint_v(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Value::Complex(r, i) => format!("({r}+{i}i)"),
        Value::Object(o) => format!("<{}>", o.type_name()),
    }
}

/// Helm's `sanitizeString`: white space becomes a plain space and characters Go does not
/// consider printable are dropped.
pub(crate) fn sanitize(s: &str) -> String {
    static NON_PRINTABLE: LazyLock<Option<regex::Regex>> =
        LazyLock::new(|| regex::Regex::new(r"\p{C}").ok());
    if s.chars()
        .all(|c| c == ' ' || (!c.is_whitespace() && !c.is_control() && c.is_ascii()))
    {
        return s.to_string();
    }
    let spaced: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    match NON_PRINTABLE.as_ref() {
        Some(re) => re.replace_all(&spaced, "").into_owned(),
        None => spaced.chars().filter(|c| !c.is_control()).collect(),
    }
}

static ALIAS_FORMAT: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new("^[a-zA-Z0-9_-]+$").ok());

impl Metadata {
    /// Helm's `Metadata.Validate`: cleans the text fields (Helm's `sanitizeString`: white space
    /// becomes a plain space, characters Go does not consider printable are dropped) and
    /// checks what a chart must have, with Helm's messages in order: `apiVersion`, `name`
    /// (present, a single path element, not `.` or `..`), `version` (present, semver),
    /// `type`, no null maintainer or dependency, legal aliases, and no two dependencies with
    /// the same name or alias.
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        let err = |s: String| Err(ValidationError(s));
        for field in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.condition,
            &mut self.tags,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            *field = sanitize(field);
        }
        for s in self.sources.iter_mut().chain(self.keywords.iter_mut()) {
            *s = sanitize(s);
        }
        if self.api_version.is_empty() {
            return err("chart.metadata.apiVersion is required".into());
        }
        if self.name.is_empty() {
            return err("chart.metadata.name is required".into());
        }
        if self.name != go_base(&self.name) {
            return err(format!(
                "chart.metadata.name {} is invalid",
                super::go_quote(&self.name)
            ));
        }
        if self.name == "." || self.name == ".." {
            return err(format!(
                "chart.metadata.name {} is not allowed",
                super::go_quote(&self.name)
            ));
        }
        if self.version.is_empty() {
            return err("chart.metadata.version is required".into());
        }
        if crate::semver::Version::parse(&self.version).is_err() {
            return err(format!(
                "chart.metadata.version {} is invalid",
                super::go_quote(&self.version)
            ));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return err("chart.metadata.type must be application or library".into());
        }
        if self.null_maintainer {
            return err("maintainers must not contain empty or null nodes".into());
        }
        for m in &mut self.maintainers {
            m.name = sanitize(&m.name);
            m.email = sanitize(&m.email);
            m.url = sanitize(&m.url);
        }
        if self.null_dependency {
            return err("dependencies must not contain empty or null nodes".into());
        }
        let mut seen: Vec<String> = Vec::new();
        for dep in &mut self.dependencies {
            dep.name = sanitize(&dep.name);
            dep.version = sanitize(&dep.version);
            dep.repository = sanitize(&dep.repository);
            dep.condition = sanitize(&dep.condition);
            for t in &mut dep.tags {
                *t = sanitize(t);
            }
            let alias_ok = ALIAS_FORMAT
                .as_ref()
                .is_some_and(|re| re.is_match(&dep.alias));
            if !dep.alias.is_empty() && !alias_ok {
                return err(format!(
                    "dependency {} has disallowed characters in the alias",
                    super::go_quote(&dep.name)
                ));
            }
            let key = if dep.alias.is_empty() {
                dep.name.clone()
            } else {
                dep.alias.clone()
            };
            if seen.contains(&key) {
                return err(format!(
                    "more than one dependency with name or alias {}. Try using distinct aliases for dependencies with the same chart name.",
                    super::go_quote(&key)
                ));
            }
            seen.push(key);
        }
        Ok(())
    }

    /// `.Chart` as Helm 4's templates see it: a `map[string]interface {}` keyed by the Go
    /// field names of `Metadata`, plus `IsRoot`.
    ///
    /// Lists are `[]interface {}` (empty, not nil, when absent), maintainers and dependencies
    /// are maps keyed by their Go field names, and `Annotations` is a `map[string]string`.
    ///
    /// Divergence: Helm shows absent annotations as a typed nil `map[string]string` (`typeOf`
    /// says `map[string]string`, `toJson` says `null`); the value model has no typed nil map,
    /// so this gives a nil `interface {}`.
    pub fn to_value(&self, is_root: bool) -> Value {
        let s = |v: &str| Value::string(v);
        let strings =
            |items: &[String]| Value::List(List::new(items.iter().map(|i| s(i)).collect()));
        let mut e = Entries::new();
        e.insert("APIVersion".into(), s(&self.api_version));
        e.insert(
            "Annotations".into(),
            match &self.annotations {
                None => Value::Nil,
                Some(pairs) => Value::Map(Map::from_entries(
                    MapType::Str,
                    pairs.iter().map(|(k, v)| (k.into(), s(v))).collect(),
                )),
            },
        );
        e.insert("AppVersion".into(), s(&self.app_version));
        e.insert("Condition".into(), s(&self.condition));
        e.insert(
            "Dependencies".into(),
            Value::List(List::new(
                self.dependencies.iter().map(Dependency::to_value).collect(),
            )),
        );
        e.insert("Deprecated".into(), Value::Bool(self.deprecated));
        e.insert("Description".into(), s(&self.description));
        e.insert("Home".into(), s(&self.home));
        e.insert("Icon".into(), s(&self.icon));
        e.insert("IsRoot".into(), Value::Bool(is_root));
        e.insert("Keywords".into(), strings(&self.keywords));
        e.insert("KubeVersion".into(), s(&self.kube_version));
        e.insert(
            "Maintainers".into(),
            Value::List(List::new(
                self.maintainers
                    .iter()
                    .map(|m| {
                        let mut me = Entries::new();
                        me.insert("Email".into(), s(&m.email));
                        me.insert("Name".into(), s(&m.name));
                        me.insert("URL".into(), s(&m.url));
                        Value::map(me)
                    })
                    .collect(),
            )),
        );
        e.insert("Name".into(), s(&self.name));
        e.insert("Sources".into(), strings(&self.sources));
        e.insert("Tags".into(), s(&self.tags));
        e.insert("Type".into(), s(&self.chart_type));
        e.insert("Version".into(), s(&self.version));
        Value::map(e)
    }
}

impl Dependency {
    /// A dependency as `.Chart.Dependencies` shows it.
    pub fn to_value(&self) -> Value {
        let mut e = Entries::new();
        e.insert("Alias".into(), Value::string(self.alias.as_str()));
        e.insert("Condition".into(), Value::string(self.condition.as_str()));
        e.insert("Enabled".into(), Value::Bool(self.enabled));
        e.insert(
            "ImportValues".into(),
            Value::List(List::new(
                self.import_values
                    .iter()
                    .map(ImportValue::to_value)
                    .collect(),
            )),
        );
        e.insert("Name".into(), Value::string(self.name.as_str()));
        e.insert("Repository".into(), Value::string(self.repository.as_str()));
        e.insert(
            "Tags".into(),
            Value::List(List::new(
                self.tags
                    .iter()
                    .map(|t| Value::string(t.as_str()))
                    .collect(),
            )),
        );
        e.insert("Version".into(), Value::string(self.version.as_str()));
        Value::map(e)
    }
}

impl ImportValue {
    /// The entry as templates see it: a processed entry is a `map[string]string` with
    /// `child` and `parent`; an unprocessed string or other value is shown as written.
    pub fn to_value(&self) -> Value {
        match self {
            ImportValue::Exports(s) => Value::string(s.as_str()),
            ImportValue::ChildParent { child, parent } => {
                let mut e = Entries::new();
                e.insert("child".into(), Value::string(child.as_str()));
                e.insert("parent".into(), Value::string(parent.as_str()));
                Value::Map(Map::from_entries(MapType::Str, e))
            }
            ImportValue::Other(v) => v.clone(),
        }
    }
}

/// Go's `filepath.Base` on Unix.
fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Result<Metadata, String> {
        let mut md = Metadata::default();
        decode_metadata_into(&mut md, text.as_bytes())?;
        Ok(md)
    }

    /// Chart.yaml scalars and what `.Chart` showed in Helm 4.1.4.
    #[test]
    fn scalars_are_coerced_like_sigs_yaml() {
        let cases = [
            ("appVersion: 1.10", "1.1"),
            ("appVersion: 2.0", "2"),
            ("appVersion: 1000000", "1000000"),
            ("appVersion: 1.123456789", "1.1234568"),
            ("appVersion: 1e6", "1e+06"),
            ("appVersion: 12345678901", "12345678901"),
            ("appVersion: 0x1F", "31"),
            ("appVersion: 123456789012345678901234", "1.2345679e+23"),
            ("appVersion: 18446744073709551615", "18446744073709551615"),
            ("appVersion: ~", ""),
            ("appVersion: on", "true"),
        ];
        for (line, want) in cases {
            let md = decode(line).expect(line);
            assert_eq!(md.app_version, want, "{line}");
        }
        let md = decode("keywords: [a, ~, 1.5]\nannotations:\n  a: ~\n  1.5: 2.5\n  y: 2\n")
            .expect("decode");
        assert_eq!(md.keywords, ["a", "", "1.5"]);
        assert_eq!(
            md.annotations,
            Some(vec![
                ("1.5".into(), "2.5".into()),
                ("a".into(), String::new()),
                ("true".into(), "2".into())
            ])
        );
        // Later keys in byte order win: `name` after `NAME`.
        assert_eq!(decode("name: c\nNAME: d\n").expect("decode").name, "c");
        assert_eq!(decode("NAME: d\n").expect("decode").name, "d");
    }

    /// The type errors Helm 4.1.4 printed after `cannot load Chart.yaml: `.
    #[test]
    fn type_errors_match_helm() {
        let prefix = "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ";
        let cases = [
            (
                "name: [x]",
                "array into Go struct field Metadata.name of type string",
            ),
            (
                "keywords: a",
                "string into Go struct field Metadata.keywords of type []string",
            ),
            (
                "deprecated: \"true\"",
                "string into Go struct field Metadata.deprecated of type bool",
            ),
            (
                "deprecated: 1",
                "number into Go struct field Metadata.deprecated of type bool",
            ),
            (
                "maintainers:\n- name: [a]",
                "array into Go struct field Maintainer.maintainers.name of type string",
            ),
            (
                "maintainers:\n- x",
                "string into Go struct field Metadata.maintainers of type v2.Maintainer",
            ),
            (
                "dependencies:\n- name: a\n  tags: x",
                "string into Go struct field Dependency.dependencies.tags of type []string",
            ),
            (
                "dependencies: {a: 1}",
                "object into Go struct field Metadata.dependencies of type []*v2.Dependency",
            ),
            (
                "annotations: [a]",
                "array into Go struct field Metadata.annotations of type map[string]string",
            ),
            (
                "annotations:\n  b: [x]",
                "array into Go struct field Metadata.annotations of type string",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(
                decode(text).expect_err(text),
                format!("{prefix}{want}"),
                "{text}"
            );
        }
        assert_eq!(
            api_version(b"apiVersion: [v2]").expect_err("array"),
            format!("{prefix}array into Go struct field chartBase.apiVersion of type string")
        );
        assert_eq!(api_version(b"apiVersion: 2").expect("int"), "2");
    }

    #[test]
    fn validation_messages_match_helm() {
        let check = |text: &str| {
            let mut md = decode(text).expect(text);
            if md.api_version.is_empty() {
                md.api_version = "v1".into();
            }
            md.validate().map_err(|e| e.to_string())
        };
        let cases = [
            (
                "apiVersion: v2\nversion: 0.1.0",
                "validation: chart.metadata.name is required",
            ),
            (
                "apiVersion: v2\nname: x",
                "validation: chart.metadata.version is required",
            ),
            (
                "apiVersion: v2\nname: x\nversion: abc",
                "validation: chart.metadata.version \"abc\" is invalid",
            ),
            (
                "apiVersion: v2\nname: x\nversion: 1.2.3.4",
                "validation: chart.metadata.version \"1.2.3.4\" is invalid",
            ),
            (
                "apiVersion: v2\nname: a/b\nversion: 1.0.0",
                "validation: chart.metadata.name \"a/b\" is invalid",
            ),
            (
                "apiVersion: v2\nname: \"..\"\nversion: 1.0.0",
                "validation: chart.metadata.name \"..\" is not allowed",
            ),
            (
                "apiVersion: v2\nname: \".\"\nversion: 1.0.0",
                "validation: chart.metadata.name \".\" is not allowed",
            ),
            (
                "apiVersion: v2\nname: x\nversion: 1.0.0\ntype: foo",
                "validation: chart.metadata.type must be application or library",
            ),
            (
                "apiVersion: v2\nname: x\nversion: 1.0.0\ntype: Library",
                "validation: chart.metadata.type must be application or library",
            ),
            (
                "apiVersion: v2\nname: x\nversion: 1.0.0\nmaintainers:\n- null",
                "validation: maintainers must not contain empty or null nodes",
            ),
            (
                "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- null",
                "validation: dependencies must not contain empty or null nodes",
            ),
            (
                "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n  alias: b.c",
                "validation: dependency \"a\" has disallowed characters in the alias",
            ),
            (
                "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n- name: a",
                "validation: more than one dependency with name or alias \"a\". Try using distinct aliases for dependencies with the same chart name.",
            ),
            ("", "validation: chart.metadata.name is required"),
        ];
        for (text, want) in cases {
            assert_eq!(check(text), Err(want.to_string()), "{text}");
        }
        assert_eq!(check("apiVersion: v2\nname: x\nversion: 1.2"), Ok(()));
        assert_eq!(check("apiVersion: v2\nname: x\nversion: v1.2.3"), Ok(()));
        let mut md = decode(
            "apiVersion: v2\nname: \"a\\tb\"\nversion: 1.0.0\ndescription: \"d\\te\\u200b\"",
        )
        .expect("decode");
        md.validate().expect("valid");
        assert_eq!(md.name, "a b");
        assert_eq!(md.description, "d e");
    }

    #[test]
    fn lock_files() {
        assert_eq!(decode_lock(b"").expect("empty"), None);
        let lock = decode_lock(b"generated: \"2020-01-01T00:00:00Z\"\ndigest: sha256:x\ndependencies:\n- name: a\n  version: 1.0.0\n")
            .expect("lock")
            .expect("some");
        assert_eq!(lock.dependencies.len(), 1);
        assert_eq!(
            decode_lock(b"generated: x\n").expect_err("time"),
            "error unmarshaling JSON: while decoding JSON: parsing time \"x\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"x\" as \"2006\""
        );
        assert_eq!(
            decode_lock(b"dependencies: 5\n").expect_err("deps"),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field Lock.dependencies of type []*v2.Dependency"
        );
    }

    #[test]
    fn import_values_are_formatted_with_percent_v() {
        let md = decode("dependencies:\n- name: a\n  import-values: [foo, 1, {child: 5}, {parent: p}, {child: {q: 1}, parent: 1.5}]\n")
            .expect("decode");
        let iv = &md.dependencies[0].import_values;
        assert_eq!(iv[0], ImportValue::Exports("foo".into()));
        assert!(matches!(iv[1], ImportValue::Other(Value::Float(f)) if f == 1.0));
        assert_eq!(
            iv[2],
            ImportValue::ChildParent {
                child: "5".into(),
                parent: "<nil>".into()
            }
        );
        assert_eq!(
            iv[3],
            ImportValue::ChildParent {
                child: "<nil>".into(),
                parent: "p".into()
            }
        );
        assert_eq!(
            iv[4],
            ImportValue::ChildParent {
                child: "map[q:1]".into(),
                parent: "1.5".into()
            }
        );
    }
}
