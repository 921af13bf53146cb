//! Helm 4's release record (`pkg/release/v1`) and its storage encoding: JSON with Go's field
//! names and order, gzip (best compression), then base64.

use std::io::{Read as _, Write as _};

use anyhow::{Context as _, Result};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::value::RawValue;

use chart_core::Value;
use chart_core::chart::{Chart, ChartFile, Dependency, Metadata};
use chart_core::value::Map;

/// A release status, as Helm spells it.
pub const DEPLOYED: &str = "deployed";
/// `superseded`.
pub const SUPERSEDED: &str = "superseded";
/// `failed`.
pub const FAILED: &str = "failed";
/// `uninstalled`.
pub const UNINSTALLED: &str = "uninstalled";
/// `uninstalling`.
pub const UNINSTALLING: &str = "uninstalling";
/// `pending-install`.
pub const PENDING_INSTALL: &str = "pending-install";
/// `pending-upgrade`.
pub const PENDING_UPGRADE: &str = "pending-upgrade";
/// `pending-rollback`.
pub const PENDING_ROLLBACK: &str = "pending-rollback";

/// `info`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Info {
    /// RFC 3339 time of the first deployment.
    #[serde(default)]
    pub first_deployed: Option<String>,
    /// RFC 3339 time of the last deployment.
    #[serde(default)]
    pub last_deployed: Option<String>,
    /// When it was uninstalled.
    #[serde(default)]
    pub deleted: Option<String>,
    /// A log line.
    #[serde(default)]
    pub description: String,
    /// The status.
    #[serde(default)]
    pub status: String,
    /// The rendered NOTES.txt.
    #[serde(default)]
    pub notes: String,
}

/// `last_run` of a hook.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct HookExecution {
    /// Start time.
    #[serde(default)]
    pub started_at: Option<String>,
    /// Completion time.
    #[serde(default)]
    pub completed_at: Option<String>,
    /// `Unknown`, `Running`, `Succeeded`, `Failed` (or empty).
    #[serde(default)]
    pub phase: String,
}

/// A hook of a release.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Hook {
    /// `metadata.name`.
    #[serde(default)]
    pub name: String,
    /// The kind.
    #[serde(default)]
    pub kind: String,
    /// The template path.
    #[serde(default)]
    pub path: String,
    /// The document.
    #[serde(default)]
    pub manifest: String,
    /// Events.
    #[serde(default)]
    pub events: Vec<String>,
    /// The last run.
    #[serde(default)]
    pub last_run: HookExecution,
    /// Weight.
    #[serde(default)]
    pub weight: i64,
    /// Delete policies.
    #[serde(default)]
    pub delete_policies: Vec<String>,
    /// Output log policies.
    #[serde(default)]
    pub output_log_policies: Vec<String>,
}

/// A release, as stored.
#[derive(Debug, Default, Deserialize)]
pub struct Release {
    /// The release name.
    #[serde(default)]
    pub name: String,
    /// Info.
    #[serde(default)]
    pub info: Info,
    /// The chart, kept as the exact JSON text it was stored with.
    #[serde(default)]
    pub chart: Option<Box<RawValue>>,
    /// The user-supplied values, as JSON text.
    #[serde(default)]
    pub config: Option<Box<RawValue>>,
    /// The rendered manifest.
    #[serde(default)]
    pub manifest: String,
    /// Hooks.
    #[serde(default)]
    pub hooks: Vec<Hook>,
    /// The revision.
    #[serde(default)]
    pub version: i64,
    /// The namespace.
    #[serde(default)]
    pub namespace: String,
    /// `ssa` or `csa` (empty for Helm 3 releases).
    #[serde(default)]
    pub apply_method: String,
}

impl Clone for Release {
    fn clone(&self) -> Self {
        Release {
            name: self.name.clone(),
            info: self.info.clone(),
            chart: self.chart.as_ref().map(|c| c.to_owned()),
            config: self.config.as_ref().map(|c| c.to_owned()),
            manifest: self.manifest.clone(),
            hooks: self.hooks.clone(),
            version: self.version,
            namespace: self.namespace.clone(),
            apply_method: self.apply_method.clone(),
        }
    }
}

/// Go's `encoding/json` text of a string (HTML characters escaped).
pub fn json_str(s: &str) -> String {
    chart_core::json::encode(&Value::String(s.into())).unwrap_or_else(|_| "\"\"".to_string())
}

/// An object written field by field, in order, skipping what Go's `omitempty` skips.
#[derive(Default)]
struct Obj(Vec<(String, String)>);

impl Obj {
    fn raw(&mut self, key: &str, json: String) -> &mut Self {
        self.0.push((key.to_string(), json));
        self
    }
    fn str_opt(&mut self, key: &str, s: &str) -> &mut Self {
        if !s.is_empty() {
            self.raw(key, json_str(s));
        }
        self
    }
    fn strs_opt(&mut self, key: &str, v: &[String]) -> &mut Self {
        if !v.is_empty() {
            let items: Vec<String> = v.iter().map(|s| json_str(s)).collect();
            self.raw(key, format!("[{}]", items.join(",")));
        }
        self
    }
    fn finish(&self) -> String {
        let fields: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{}:{}", json_str(k), v))
            .collect();
        format!("{{{}}}", fields.join(","))
    }
}

fn dependency_json(d: &Dependency) -> String {
    let mut o = Obj::default();
    o.str_opt("name", &d.name)
        .str_opt("version", &d.version)
        .str_opt("repository", &d.repository)
        .str_opt("condition", &d.condition)
        .strs_opt("tags", &d.tags);
    if d.enabled {
        o.raw("enabled", "true".into());
    }
    // import-values and alias (kept simple: exports as strings).
    let imports: Vec<String> = d
        .import_values
        .iter()
        .filter_map(|i| match i {
            chart_core::chart::ImportValue::Exports(s) => Some(json_str(s)),
            chart_core::chart::ImportValue::ChildParent { child, parent } => Some(format!(
                "{{\"child\":{},\"parent\":{}}}",
                json_str(child),
                json_str(parent)
            )),
            chart_core::chart::ImportValue::Other(v) => chart_core::json::encode(v).ok(),
        })
        .collect();
    if !imports.is_empty() {
        o.raw("import-values", format!("[{}]", imports.join(",")));
    }
    o.str_opt("alias", &d.alias);
    o.finish()
}

/// `Chart.yaml` as Helm's `Metadata` JSON.
pub fn metadata_json(m: &Metadata) -> String {
    let mut o = Obj::default();
    o.str_opt("name", &m.name)
        .str_opt("home", &m.home)
        .strs_opt("sources", &m.sources)
        .str_opt("version", &m.version)
        .str_opt("description", &m.description)
        .strs_opt("keywords", &m.keywords);
    if !m.maintainers.is_empty() {
        let items: Vec<String> = m
            .maintainers
            .iter()
            .map(|x| {
                let mut mo = Obj::default();
                mo.str_opt("name", &x.name)
                    .str_opt("email", &x.email)
                    .str_opt("url", &x.url);
                mo.finish()
            })
            .collect();
        o.raw("maintainers", format!("[{}]", items.join(",")));
    }
    o.str_opt("icon", &m.icon)
        .str_opt("apiVersion", &m.api_version)
        .str_opt("condition", &m.condition)
        .str_opt("tags", &m.tags)
        .str_opt("appVersion", &m.app_version);
    if m.deprecated {
        o.raw("deprecated", "true".into());
    }
    if let Some(ann) = &m.annotations
        && !ann.is_empty()
    {
        let mut sorted: Vec<&(String, String)> = ann.iter().collect();
        sorted.sort();
        let items: Vec<String> = sorted
            .iter()
            .map(|(k, v)| format!("{}:{}", json_str(k), json_str(v)))
            .collect();
        o.raw("annotations", format!("{{{}}}", items.join(",")));
    }
    o.str_opt("kubeVersion", &m.kube_version);
    if !m.dependencies.is_empty() {
        let items: Vec<String> = m.dependencies.iter().map(dependency_json).collect();
        o.raw("dependencies", format!("[{}]", items.join(",")));
    }
    o.str_opt("type", &m.chart_type);
    o.finish()
}

fn files_json(files: &[ChartFile], dir: Option<&std::path::Path>) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let items: Vec<String> = files
        .iter()
        .map(|f| {
            let mut o = format!(
                "{{\"name\":{},\"data\":{}",
                json_str(&f.name),
                json_str(&b64.encode(&f.data))
            );
            if let Some(d) = dir {
                o.push_str(&format!(
                    ",\"modtime\":{}",
                    json_str(&file_time(&d.join(&f.name)))
                ));
            }
            o.push('}');
            o
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// Go's zero `time.Time`.
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// A file's modification time as Go's JSON writes it (zero when unknown).
fn file_time(path: &std::path::Path) -> String {
    let Ok(m) = std::fs::metadata(path).and_then(|m| m.modified()) else {
        return ZERO_TIME.to_string();
    };
    match jiff::Timestamp::try_from(m) {
        Ok(ts) => format_rfc3339(&ts.to_zoned(jiff::tz::TimeZone::system())),
        Err(_) => ZERO_TIME.to_string(),
    }
}

/// The chart as Helm's `chart.Chart` JSON (its subcharts are not stored, as in Helm).
pub fn chart_json(chart: &Chart, dir: Option<&std::path::Path>) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let lock = match &chart.lock {
        None => "null".to_string(),
        Some(l) => {
            let deps: Vec<String> = l.dependencies.iter().map(dependency_json).collect();
            format!(
                "{{\"generated\":{},\"digest\":{},\"dependencies\":[{}]}}",
                json_str(&l.generated),
                json_str(&l.digest),
                deps.join(",")
            )
        }
    };
    let values =
        chart_core::json::encode(&Value::Map(chart.values.clone())).unwrap_or_else(|_| "{}".into());
    let schema = match &chart.schema {
        None => "null".to_string(),
        Some(s) => json_str(&b64.encode(s)),
    };
    let mut out = format!(
        "{{\"metadata\":{},\"lock\":{},\"templates\":{},\"values\":{},\"schema\":{}",
        metadata_json(&chart.metadata),
        lock,
        files_json(&chart.templates, dir),
        values,
        schema,
    );
    if let Some(d) = dir {
        let st = if chart.schema.is_some() {
            file_time(&d.join("values.schema.json"))
        } else {
            ZERO_TIME.to_string()
        };
        out.push_str(&format!(",\"schemamodtime\":{}", json_str(&st)));
    }
    out.push_str(&format!(",\"files\":{}", files_json(&chart.files, dir)));
    if let Some(d) = dir {
        out.push_str(&format!(
            ",\"modtime\":{}",
            json_str(&file_time(&d.join("Chart.yaml")))
        ));
    }
    out.push('}');
    out
}

/// The user values (`config`) as JSON text; `None` when empty (omitted, as Go's `omitempty`).
pub fn config_json(values: &Map) -> Option<String> {
    if values.is_empty() {
        return None;
    }
    chart_core::json::encode(&Value::Map(values.clone())).ok()
}

/// The stored config as a values map.
pub fn config_map(rel: &Release) -> Result<Map> {
    match &rel.config {
        None => Ok(Map::default()),
        Some(raw) => match chart_core::json::decode(raw.get()) {
            Ok(Value::Map(m)) => Ok(m),
            Ok(_) => Ok(Map::default()),
            Err(e) => Err(anyhow::anyhow!("cannot decode the release's config: {e}")),
        },
    }
}

/// Chart metadata fields of a stored release (for list/history/status).
#[derive(Debug, Default, Deserialize)]
pub struct ChartHead {
    /// `metadata`.
    #[serde(default)]
    pub metadata: Option<ChartHeadMeta>,
}

/// A few fields of `chart.metadata`.
#[derive(Debug, Default, Deserialize)]
pub struct ChartHeadMeta {
    /// name.
    #[serde(default)]
    pub name: String,
    /// version.
    #[serde(default)]
    pub version: String,
    /// appVersion.
    #[serde(default, rename = "appVersion")]
    pub app_version: String,
}

impl Release {
    /// `name-version` of its chart, and its app version.
    pub fn chart_names(&self) -> (String, String) {
        let head: ChartHead = self
            .chart
            .as_ref()
            .and_then(|c| serde_json::from_str(c.get()).ok())
            .unwrap_or_default();
        match head.metadata {
            Some(m) => (format!("{}-{}", m.name, m.version), m.app_version),
            None => (String::new(), String::new()),
        }
    }

    /// Helm's JSON of the release.
    pub fn to_json(&self) -> String {
        let mut info = Obj::default();
        if let Some(t) = &self.info.first_deployed {
            info.raw("first_deployed", json_str(t));
        }
        if let Some(t) = &self.info.last_deployed {
            info.raw("last_deployed", json_str(t));
        }
        if let Some(t) = &self.info.deleted {
            info.raw("deleted", json_str(t));
        }
        info.str_opt("description", &self.info.description)
            .str_opt("status", &self.info.status)
            .str_opt("notes", &self.info.notes);
        let mut o = Obj::default();
        o.str_opt("name", &self.name);
        o.raw("info", info.finish());
        if let Some(c) = &self.chart {
            o.raw("chart", c.get().to_string());
        }
        if let Some(c) = &self.config
            && c.get() != "{}"
            && c.get() != "null"
        {
            o.raw("config", c.get().to_string());
        }
        o.str_opt("manifest", &self.manifest);
        if !self.hooks.is_empty() {
            let items: Vec<String> = self.hooks.iter().map(hook_json).collect();
            o.raw("hooks", format!("[{}]", items.join(",")));
        }
        if self.version != 0 {
            o.raw("version", self.version.to_string());
        }
        o.str_opt("namespace", &self.namespace)
            .str_opt("apply_method", &self.apply_method);
        o.finish()
    }

    /// Parses Helm's JSON of a release.
    pub fn from_json(text: &str) -> Result<Release> {
        serde_json::from_str(text).context("cannot decode the release JSON")
    }

    /// `data.release` of the storage object: base64(gzip(JSON)).
    pub fn encode(&self) -> Result<String> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(self.to_json().as_bytes())?;
        let bytes = gz.finish()?;
        Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// Decodes `data.release` (gzip optional, as in Helm).
    pub fn decode(data: &str) -> Result<Release> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .context("cannot decode the release data (base64)")?;
        let json = if bytes.starts_with(&[0x1f, 0x8b, 0x08]) {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut out)
                .context("cannot decompress the release data")?;
            out
        } else {
            bytes
        };
        Release::from_json(&String::from_utf8_lossy(&json))
    }
}

fn hook_json(h: &Hook) -> String {
    let mut run = Obj::default();
    if let Some(t) = &h.last_run.started_at {
        run.raw("started_at", json_str(t));
    }
    if let Some(t) = &h.last_run.completed_at {
        run.raw("completed_at", json_str(t));
    }
    run.raw("phase", json_str(&h.last_run.phase));
    let mut o = Obj::default();
    o.str_opt("name", &h.name)
        .str_opt("kind", &h.kind)
        .str_opt("path", &h.path)
        .str_opt("manifest", &h.manifest)
        .strs_opt("events", &h.events)
        .raw("last_run", run.finish());
    if h.weight != 0 {
        o.raw("weight", h.weight.to_string());
    }
    o.strs_opt("delete_policies", &h.delete_policies)
        .strs_opt("output_log_policies", &h.output_log_policies);
    o.finish()
}

/// Go's `time.Time` JSON text (RFC 3339 with nanoseconds, trailing zeros trimmed) for now.
pub fn now_rfc3339() -> String {
    let ts = jiff::Timestamp::now();
    let zoned = ts.to_zoned(jiff::tz::TimeZone::system());
    format_rfc3339(&zoned)
}

fn format_rfc3339(z: &jiff::Zoned) -> String {
    let base = z.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let nanos = z.subsec_nanosecond();
    let frac = if nanos == 0 {
        String::new()
    } else {
        let s = format!(".{nanos:09}");
        s.trim_end_matches('0').to_string()
    };
    let off = z.offset().seconds();
    let tz = if off == 0 {
        "Z".to_string()
    } else {
        let sign = if off < 0 { '-' } else { '+' };
        let a = off.abs();
        format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
    };
    format!("{base}{frac}{tz}")
}

/// Parses a stored time.
pub fn parse_time(s: &str) -> Option<jiff::Zoned> {
    let ts: jiff::Timestamp = s.parse().ok()?;
    Some(ts.to_zoned(jiff::tz::TimeZone::system()))
}

/// Go's `time.Time.String()` form Helm's tables print
/// (`2006-01-02 15:04:05.999999999 -0700 MST`).
pub fn go_time_string(s: &str) -> String {
    let Some(z) = parse_time(s) else {
        return String::new();
    };
    let nanos = z.subsec_nanosecond();
    let frac = if nanos == 0 {
        String::new()
    } else {
        format!(".{nanos:09}").trim_end_matches('0').to_string()
    };
    let abbr = z.strftime("%Z").to_string();
    format!(
        "{}{} {} {}",
        z.strftime("%Y-%m-%d %H:%M:%S"),
        frac,
        z.strftime("%z"),
        abbr
    )
}

/// Go's `time.ANSIC` form (`Mon Jan _2 15:04:05 2006`) used by `LAST DEPLOYED:`.
pub fn ansic(s: &str) -> String {
    match parse_time(s) {
        Some(z) => z.strftime("%a %b %e %H:%M:%S %Y").to_string(),
        None => String::new(),
    }
}

/// A stored time in a Go layout (`--time-format`).
pub fn go_layout(s: &str, layout: &str) -> String {
    let Ok(ts) = s.parse::<jiff::Timestamp>() else {
        return String::new();
    };
    let t = chart_core::datetime::Time::from_unix(
        ts.as_second(),
        i64::from(ts.subsec_nanosecond()),
        &chart_core::datetime::Location::local(),
    );
    t.format(layout)
}
