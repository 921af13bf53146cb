//! Helm's rendering engine (`pkg/engine`): every template of a chart and its subcharts in one
//! template set, each chart's templates executed with that chart's scope of values.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::chart::{Chart, Metadata};
use crate::funcs::FuncEnv;
use crate::random::Random;
use crate::template::{self, Lookup, Options, TemplateSet};
use crate::value::{Entries, List, ListType, Map, MapType, Value, static_key};

use super::capabilities::Capabilities;

/// `.Release`.
#[derive(Clone, Debug)]
pub struct Release {
    /// `.Release.Name`.
    pub name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// `.Release.Revision`.
    pub revision: i64,
    /// `.Release.IsInstall`.
    pub is_install: bool,
    /// `.Release.IsUpgrade`.
    pub is_upgrade: bool,
}

impl Default for Release {
    fn default() -> Self {
        Release {
            name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_install: true,
            is_upgrade: false,
        }
    }
}

impl Release {
    fn to_value(&self) -> Value {
        let mut e = Entries::with_capacity(6);
        e.insert(static_key!("Name"), Value::from(self.name.as_str()));
        e.insert(
            static_key!("Namespace"),
            Value::from(self.namespace.as_str()),
        );
        e.insert(static_key!("IsUpgrade"), Value::Bool(self.is_upgrade));
        e.insert(static_key!("IsInstall"), Value::Bool(self.is_install));
        e.insert(static_key!("Revision"), Value::int(self.revision));
        e.insert(static_key!("Service"), Value::from("Helm"));
        Value::map(e)
    }
}

/// How templates are executed.
#[derive(Default)]
pub struct EngineOptions<'a> {
    /// Template execution options (strict mode, step budget).
    pub template: Options,
    /// Settings for the function library (`--enable-dns`, a fixed clock).
    pub funcs: FuncEnv,
    /// Answers `lookup`; without it `lookup` returns empty maps, as in `helm template`.
    pub lookup: Option<&'a dyn Lookup>,
    /// Rewrites the rendered files before they are sorted (`--post-renderer`).
    pub post_renderer: Option<&'a dyn super::PostRenderer>,
}

struct Renderable {
    text: Arc<[u8]>,
    vals: Map,
    /// `.Template.BasePath`, shared by the chart's templates.
    base_path: Arc<str>,
}

/// A chart tree's templates, parsed: Helm re-parses every template on every render; parsed
/// templates can be reused for any render of the same tree (same template names and texts).
pub struct ParsedTemplates {
    set: TemplateSet,
    /// Template names in Helm's parse (and execution) order.
    order: Vec<String>,
    /// What the set was parsed from: each template's name, text address and length.
    key: Vec<(String, usize, usize)>,
}

impl std::fmt::Debug for ParsedTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParsedTemplates")
            .field("templates", &self.order.len())
            .finish_non_exhaustive()
    }
}

fn template_key(templates: &BTreeMap<String, Renderable>) -> Vec<(String, usize, usize)> {
    templates
        .iter()
        .map(|(name, r)| (name.clone(), r.text.as_ptr() as usize, r.text.len()))
        .collect()
}

/// How many bytes of templates make parsing them on several threads worthwhile.
const PARALLEL_PARSE_BYTES: usize = 64 * 1024;

impl ParsedTemplates {
    fn parse(templates: &BTreeMap<String, Renderable>) -> Result<ParsedTemplates, template::Error> {
        // Helm parses deeper paths first and, at equal depth, later names first, so the
        // definition from the file that sorts first wins.
        let mut order: Vec<(usize, &String)> = templates
            .keys()
            .map(|name| (name.bytes().filter(|&b| b == b'/').count(), name))
            .collect();
        order.sort_by(|(da, a), (db, b)| db.cmp(da).then_with(|| b.cmp(a)));
        let order: Vec<String> = order.into_iter().map(|(_, name)| name.clone()).collect();
        // Files parse independently; adding them in order keeps Go's precedence, and the
        // first error in that order is the one reported.
        let bytes: usize = templates.values().map(|r| r.text.len()).sum();
        let files = crate::parallel::map(
            order.iter().collect(),
            bytes >= PARALLEL_PARSE_BYTES,
            |name: &String| TemplateSet::parse_file_bytes(name, &templates[name].text),
        );
        let mut set = TemplateSet::new();
        for file in files {
            set.add_parsed(file?);
        }
        Ok(ParsedTemplates {
            set,
            order,
            key: template_key(templates),
        })
    }
}

/// Parsed templates kept between renders (see [`ParsedTemplates`]).
pub type TemplateCache = parking_lot::Mutex<Option<Arc<ParsedTemplates>>>;

/// Renders every template of `chart` (and its enabled subcharts) with `values` (the root's
/// coalesced values). Returns the output of each non-partial template by its full name
/// (`chart/templates/x.yaml`), with Go's `<no value>` markers removed, as Helm's engine does.
pub fn render_files(
    chart: &Chart,
    values: &Map,
    release: &Release,
    capabilities: &Capabilities,
    options: &EngineOptions<'_>,
    random: &mut Random,
) -> Result<BTreeMap<String, String>, template::Error> {
    render_files_cached(chart, values, release, capabilities, options, random, None)
}

/// [`render_files`], reusing the parsed templates in `cache` when they fit the chart tree
/// (and storing them there otherwise).
pub fn render_files_cached(
    chart: &Chart,
    values: &Map,
    release: &Release,
    capabilities: &Capabilities,
    options: &EngineOptions<'_>,
    random: &mut Random,
    cache: Option<&TemplateCache>,
) -> Result<BTreeMap<String, String>, template::Error> {
    let mut top = Entries::with_capacity(3);
    top.insert(
        static_key!("Values"),
        Value::Map(values.retyped(MapType::Values)),
    );
    top.insert(static_key!("Release"), release.to_value());
    top.insert(static_key!("Capabilities"), capabilities.to_value());
    let top = Map::from_entries(MapType::Values, top);

    let mut templates = BTreeMap::new();
    collect(chart, None, &top, &mut templates);

    let cached = cache
        .and_then(|c| c.lock().clone())
        .filter(|p| p.key == template_key(&templates));
    let parsed = match cached {
        Some(p) => p,
        None => {
            let p = Arc::new(ParsedTemplates::parse(&templates)?);
            if let Some(c) = cache {
                *c.lock() = Some(p.clone());
            }
            p
        }
    };

    let mut session = parsed
        .set
        .session(random, &options.funcs, &options.template);
    if let Some(l) = options.lookup {
        session = session.with_lookup(l);
    }
    let mut rendered = BTreeMap::new();
    for name in &parsed.order {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') {
            continue;
        }
        let r = &templates[name];
        let mut tmpl = Entries::with_capacity(2);
        tmpl.insert(static_key!("Name"), Value::from(name.as_str()));
        tmpl.insert(static_key!("BasePath"), Value::String(r.base_path.clone()));
        session.set_template(
            &r.vals,
            Value::Map(Map::from_entries(MapType::Values, tmpl)),
        );
        let out = session.execute(name, Value::Map(r.vals.clone()))?;
        rendered.insert(name.clone(), template::without_no_value(out));
    }
    Ok(rendered)
}

/// Helm's `recAllTpls`: builds each chart's render context and collects its templates.
/// Returns the chart's context, which becomes its entry in the parent's `.Subcharts`.
fn collect(
    chart: &Chart,
    parent: Option<(&str, &Map)>,
    parent_ctx: &Map,
    out: &mut BTreeMap<String, Renderable>,
) -> Map {
    let is_root = parent.is_none();
    let full_path = match parent {
        None => chart.name().to_string(),
        Some((parent_path, _)) => format!("{parent_path}/charts/{}", chart.name()),
    };
    let subcharts = Map::new();
    let mut next = Entries::with_capacity(6);
    next.insert(static_key!("Chart"), chart_value(&chart.metadata, is_root));
    next.insert(
        static_key!("Files"),
        crate::files::files_value(chart.files.iter().map(|f| (f.name.as_str(), &f.data))),
    );
    next.insert(
        static_key!("Release"),
        parent_ctx.get("Release").unwrap_or(Value::Nil),
    );
    next.insert(
        static_key!("Capabilities"),
        parent_ctx.get("Capabilities").unwrap_or(Value::Nil),
    );
    let values = if is_root {
        parent_ctx
            .get("Values")
            .unwrap_or_else(|| Value::Map(Map::with_type(MapType::Values)))
    } else {
        match parent_ctx.get("Values") {
            Some(Value::Map(pv)) => match pv.get(chart.name()) {
                Some(Value::Map(m)) if matches!(m.ty(), MapType::Any | MapType::Values) => {
                    Value::Map(m.retyped(MapType::Values))
                }
                _ => Value::Map(Map::with_type(MapType::Values)),
            },
            _ => Value::Map(Map::with_type(MapType::Values)),
        }
    };
    next.insert(static_key!("Values"), values);
    next.insert(static_key!("Subcharts"), Value::Map(subcharts.clone()));
    next.mark_context();
    let next = Map::from_entries(MapType::Values, next);

    for child in &chart.dependencies {
        let child_ctx = collect(child, Some((&full_path, &next)), &next, out);
        subcharts.insert(child.name(), Value::Map(child_ctx.retyped(MapType::Any)));
    }

    let base_path: Arc<str> = format!("{full_path}/templates").into();
    for t in &chart.templates {
        if chart.is_library()
            && !t
                .name
                .rsplit('/')
                .next()
                .unwrap_or(&t.name)
                .starts_with('_')
        {
            continue;
        }
        out.insert(
            format!("{full_path}/{}", t.name),
            Renderable {
                text: t.data.clone(),
                vals: next.clone(),
                base_path: base_path.clone(),
            },
        );
    }
    next
}

/// `.Chart` in Helm 4: a map keyed by the Go field names of `Chart.yaml`'s metadata.
pub fn chart_value(m: &Metadata, is_root: bool) -> Value {
    let strs = |v: &[String]| {
        Value::List(List::with_type(
            ListType::Str,
            v.iter().map(|s| Value::from(s.as_str())).collect(),
        ))
    };
    let mut e = Entries::with_capacity(18);
    e.insert(
        static_key!("APIVersion"),
        Value::from(m.api_version.as_str()),
    );
    e.insert(
        static_key!("Annotations"),
        match &m.annotations {
            None => Value::Nil,
            Some(a) => Value::Map(Map::from_entries(
                MapType::Str,
                a.iter()
                    .map(|(k, v)| (k.into(), Value::from(v.as_str())))
                    .collect(),
            )),
        },
    );
    e.insert(
        static_key!("AppVersion"),
        Value::from(m.app_version.as_str()),
    );
    e.insert(static_key!("Condition"), Value::from(m.condition.as_str()));
    e.insert(
        static_key!("Dependencies"),
        Value::list(
            m.dependencies
                .iter()
                .map(|d| {
                    let mut de = Entries::with_capacity(7);
                    de.insert(static_key!("Name"), Value::from(d.name.as_str()));
                    de.insert(static_key!("Version"), Value::from(d.version.as_str()));
                    de.insert(
                        static_key!("Repository"),
                        Value::from(d.repository.as_str()),
                    );
                    de.insert(static_key!("Condition"), Value::from(d.condition.as_str()));
                    de.insert(static_key!("Tags"), strs(&d.tags));
                    de.insert(static_key!("Enabled"), Value::Bool(d.enabled));
                    de.insert(static_key!("Alias"), Value::from(d.alias.as_str()));
                    Value::map(de)
                })
                .collect(),
        ),
    );
    e.insert(static_key!("Deprecated"), Value::Bool(m.deprecated));
    e.insert(
        static_key!("Description"),
        Value::from(m.description.as_str()),
    );
    e.insert(static_key!("Home"), Value::from(m.home.as_str()));
    e.insert(static_key!("Icon"), Value::from(m.icon.as_str()));
    e.insert(static_key!("IsRoot"), Value::Bool(is_root));
    e.insert(static_key!("Keywords"), strs(&m.keywords));
    e.insert(
        static_key!("KubeVersion"),
        Value::from(m.kube_version.as_str()),
    );
    e.insert(
        static_key!("Maintainers"),
        Value::list(
            m.maintainers
                .iter()
                .map(|mt| {
                    let mut me = Entries::with_capacity(3);
                    me.insert(static_key!("Name"), Value::from(mt.name.as_str()));
                    me.insert(static_key!("Email"), Value::from(mt.email.as_str()));
                    me.insert(static_key!("URL"), Value::from(mt.url.as_str()));
                    Value::map(me)
                })
                .collect(),
        ),
    );
    e.insert(static_key!("Name"), Value::from(m.name.as_str()));
    e.insert(static_key!("Sources"), strs(&m.sources));
    e.insert(static_key!("Tags"), Value::from(m.tags.as_str()));
    e.insert(static_key!("Type"), Value::from(m.chart_type.as_str()));
    e.insert(static_key!("Version"), Value::from(m.version.as_str()));
    Value::map(e)
}
