//! Go's `text/template`, as Helm 4.1.4 (Go 1.25) runs it: `lexer` → `parser` → `ast` →
//! `exec`, plus Go's builtins and the methods of Helm's named types.
//!
//! A [`TemplateSet`] holds every parsed file and `define` of a render; one name space is shared
//! by all files, and a later file's definition of a name replaces an earlier one, as Go's
//! `Template.Parse` does. A [`Session`] executes templates from the set with the render-wide
//! state (random source, `include` nesting, step budget).

mod ast;
mod builtins;
pub(crate) mod error;
mod exec;
mod lexer;
mod memo;
mod methods;
mod parser;

use std::collections::HashMap;

/// A map keyed by template names or texts, looked up several times per `include`: a fast
/// (randomly seeded) hash instead of SipHash.
pub(crate) type NameMap<V> = HashMap<String, V, foldhash::fast::RandomState>;
use std::sync::Arc;

pub use error::{Cause, Error, ExecError, ParseError};

use crate::funcs::FuncEnv;
use crate::random::Random;
use crate::value::Value;
use ast::{Callee, EngineFn, Tree};

/// Answers `lookup` calls (Helm's cluster lookups). Without one, `lookup` returns an empty map,
/// as `helm template` does.
pub trait Lookup: Send + Sync {
    /// Returns the object (or a list object when `name` is empty) as a map, or an error message.
    fn lookup(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Value, String>;
}

/// Execution options.
#[derive(Clone, Debug)]
pub struct Options {
    /// Go's `missingkey=error` (Helm's `--strict` lint mode) instead of `missingkey=zero`.
    pub strict: bool,
    /// The most steps (nodes walked plus commands evaluated) one session may take before it
    /// fails, so that no template can run forever.
    pub max_steps: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strict: false,
            max_steps: 2_000_000_000,
        }
    }
}

/// The trees of one template file, parsed but not yet added to a [`TemplateSet`].
#[derive(Debug)]
pub struct ParsedFile(Vec<(String, Arc<Tree>)>);

/// A set of templates sharing one name space of `define`s.
#[derive(Clone, Debug, Default)]
pub struct TemplateSet {
    ns: Arc<Namespace>,
}

/// Template names to trees, layered: `tpl` adds its own definitions on top of the set's
/// without copying it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Namespace {
    trees: NameMap<Arc<Tree>>,
    parent: Option<Arc<Namespace>>,
}

impl Namespace {
    fn lookup(&self, name: &str) -> Option<Arc<Tree>> {
        let mut ns = self;
        loop {
            if let Some(t) = ns.trees.get(name) {
                return Some(t.clone());
            }
            ns = ns.parent.as_deref()?;
        }
    }

    /// Adds the trees of one parse, with Go's `associate` rule: an empty definition never
    /// replaces an existing one.
    fn associate(&mut self, trees: impl IntoIterator<Item = (String, Arc<Tree>)>) {
        for (name, tree) in trees {
            if tree.is_empty() && self.lookup(&name).is_some() {
                continue;
            }
            self.trees.insert(name, tree);
        }
    }

    fn overlay(
        parent: Arc<Namespace>,
        trees: impl IntoIterator<Item = (String, Arc<Tree>)>,
    ) -> Namespace {
        let mut ns = Namespace {
            trees: NameMap::default(),
            parent: Some(parent),
        };
        ns.associate(trees);
        ns
    }
}

/// Resolves a function name: Helm's engine functions, then the function library, then Go's
/// builtins (so Sprig's `slice` replaces Go's).
pub(crate) fn resolve_function(name: &str) -> Option<Callee> {
    if let Some(e) = EngineFn::ALL.into_iter().find(|e| e.name() == name) {
        return Some(Callee::Engine(e));
    }
    if let Some(f) = crate::funcs::lookup(name) {
        return Some(Callee::Native(f));
    }
    builtins::by_name(name).map(Callee::Builtin)
}

impl TemplateSet {
    /// An empty set.
    pub fn new() -> TemplateSet {
        TemplateSet::default()
    }

    /// Parses `text` as the template `name` and adds it and its definitions to the set.
    pub fn add(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let file = TemplateSet::parse_file(name, text)?;
        self.add_parsed(file);
        Ok(())
    }

    /// Parses `text` as the template `name` without adding it: files parse independently
    /// (on several threads), then [`TemplateSet::add_parsed`] adds them in order.
    pub fn parse_file(name: &str, text: &str) -> Result<ParsedFile, Error> {
        Self::parse_shared(name, text, ast::SourceText::copy_of(text))
    }

    /// [`TemplateSet::parse_file`] for a file's bytes (Go's string conversion applied):
    /// UTF-8 bytes are shared with the trees rather than copied.
    pub fn parse_file_bytes(name: &str, bytes: &Arc<[u8]>) -> Result<ParsedFile, Error> {
        let text = crate::value::gostring::from_go_bytes(bytes);
        let shared = ast::SourceText::shared(bytes, &text)
            .unwrap_or_else(|| ast::SourceText::copy_of(&text));
        Self::parse_shared(name, &text, shared)
    }

    /// Parses `text`, whose trees hold `shared` (the same text).
    fn parse_shared(name: &str, text: &str, shared: ast::SourceText) -> Result<ParsedFile, Error> {
        let trees =
            parser::parse_source(name, text, shared, &resolve_function).map_err(Error::Parse)?;
        Ok(ParsedFile(
            trees.into_iter().map(|(n, t)| (n, Arc::new(t))).collect(),
        ))
    }

    /// Adds a file parsed by [`TemplateSet::parse_file`], as [`TemplateSet::add`] would.
    pub fn add_parsed(&mut self, file: ParsedFile) {
        Arc::make_mut(&mut self.ns).associate(file.0);
    }

    /// Whether the set has a template named `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.ns.lookup(name).is_some()
    }

    /// Starts executing templates of this set.
    pub fn session<'a>(
        &'a self,
        random: &'a mut Random,
        env: &'a FuncEnv,
        options: &'a Options,
    ) -> Session<'a> {
        Session {
            set: self,
            shared: exec::Shared {
                random,
                env,
                options,
                lookup: None,
                included: NameMap::default(),
                tpl_parsed: NameMap::default(),
                steps_left: options.max_steps,
                spare_buffers: Vec::new(),
                memo: memo::IncludeMemo::default(),
                outside_inputs: 0,
            },
        }
    }
}

/// Executes templates of a set, sharing the render-wide state between them.
pub struct Session<'a> {
    set: &'a TemplateSet,
    shared: exec::Shared<'a>,
}

impl<'a> Session<'a> {
    /// Answers `lookup` with `lookup` instead of returning empty maps.
    pub fn with_lookup(mut self, lookup: &'a dyn Lookup) -> Session<'a> {
        self.shared.lookup = Some(lookup);
        self
    }

    /// Sets `.Template` in a chart's template context (the map every template of the chart
    /// gets as dot) before one of its templates runs, as Helm's engine does.
    pub fn set_template(&mut self, context: &crate::value::Map, template: Value) {
        self.shared.memo.forget_context_readers();
        context.replace_template(template);
    }

    /// How many `include` calls so far reused an earlier result instead of executing.
    #[cfg(test)]
    pub(crate) fn reused_includes(&self) -> u64 {
        self.shared.memo.reused()
    }

    /// Executes the template `name` with `data` as dot. The output still contains Go's
    /// `<no value>` markers; Helm deletes them afterwards.
    pub fn execute(&mut self, name: &str, data: Value) -> Result<String, Error> {
        let Some(tree) = self.set.ns.lookup(name) else {
            return Err(Error::Exec(Box::new(ExecError {
                template: name.to_string(),
                location: None,
                context: String::new(),
                message: format!(
                    "no template {} associated with template {}",
                    error::go_quote(name),
                    error::go_quote(exec::ROOT_NAME)
                ),
                cause: None,
                source: None,
            })));
        };
        let ns = self.set.ns.clone();
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            exec::execute(&tree, &ns, data, &mut self.shared)
        })
    }
}

/// Output with Go's `<no value>` markers deleted, as Helm's engine deletes them from each
/// rendered file and from `tpl`'s result. Output without one is returned as it is.
pub(crate) fn without_no_value(out: String) -> String {
    if memchr::memmem::find(out.as_bytes(), b"<no value>").is_some() {
        out.replace("<no value>", "")
    } else {
        out
    }
}

/// Parses and executes a single template text with `data`, the way Helm renders one file.
/// A convenience for tests and simple embedding.
pub fn render_str(name: &str, text: &str, data: Value) -> Result<String, Error> {
    let mut set = TemplateSet::new();
    set.add(name, text)?;
    let mut random = Random::from_entropy();
    let env = FuncEnv::default();
    let options = Options::default();
    let mut session = set.session(&mut random, &env, &options);
    Ok(without_no_value(session.execute(name, data)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Entries, Map, MapType};

    /// An identifier keeps only what it calls: its name is the callee's.
    #[test]
    fn every_function_is_named_by_what_it_calls() {
        let builtins = [
            "and", "or", "not", "len", "index", "slice", "call", "print", "printf", "println",
            "html", "js", "urlquery", "eq", "ne", "lt", "le", "gt", "ge",
        ];
        let names = crate::funcs::names().into_iter().chain(builtins);
        for name in names.chain(["include", "tpl", "lookup"]) {
            let callee = resolve_function(name).expect("resolves");
            assert_eq!(callee.name(), name);
        }
        // Every builtin is reachable by its name (Sprig's `slice` shadows Go's in templates).
        for b in builtins::ALL {
            assert_eq!(builtins::by_name(b.name()), Some(b));
        }
    }

    /// A helper included again with the same dot, nothing changed, is not executed again;
    /// one that reads `.Template` is executed again in the next template.
    #[test]
    fn includes_are_reused_until_something_they_read_changes() {
        let mut set = TemplateSet::new();
        set.add(
            "_h.tpl",
            "{{ define \"name\" }}{{ .Values.x }}{{ end }}{{ define \"file\" }}{{ .Template.Name }}{{ end }}",
        )
        .expect("parses");
        let body = "{{ include \"name\" . }} {{ include \"name\" . }} {{ include \"file\" . }}";
        set.add("a", body).expect("parses");
        set.add("b", body).expect("parses");
        let mut context = Entries::new();
        context.insert("Values".into(), Value::map(Entries::new()));
        context.mark_context();
        let context = Map::from_entries(MapType::Values, context);
        let mut random = Random::from_seed(1);
        let (env, options) = (FuncEnv::default(), Options::default());
        let mut session = set.session(&mut random, &env, &options);
        let mut outputs = Vec::new();
        for name in ["a", "b"] {
            let mut template = Entries::new();
            template.insert("Name".into(), Value::from(name));
            session.set_template(&context, Value::map(template));
            outputs.push(
                session
                    .execute(name, Value::Map(context.clone()))
                    .expect("runs"),
            );
        }
        assert_eq!(
            outputs,
            ["<no value> <no value> a", "<no value> <no value> b"]
        );
        // a: the second `name`; b: both `name`s. `file` runs in each template.
        assert_eq!(session.reused_includes(), 3);
        let Some(Value::Map(values)) = context.get("Values") else {
            panic!("values");
        };
        values.insert("x", Value::from("changed"));
        let out = session
            .execute("a", Value::Map(context.clone()))
            .expect("runs");
        assert_eq!(out, "changed changed b");
        assert_eq!(session.reused_includes(), 4);
    }

    #[test]
    fn a_files_utf8_bytes_are_shared_with_its_trees_and_other_bytes_converted() {
        let bytes: Arc<[u8]> = Arc::from(&b"a{{ define \"x\" }}b{{ end }}c"[..]);
        let file = TemplateSet::parse_file_bytes("t", &bytes).expect("parses");
        assert_eq!(file.0.len(), 2);
        for (name, tree) in &file.0 {
            assert!(
                std::ptr::eq(tree.text.as_bytes().as_ptr(), bytes.as_ptr()),
                "{name} holds a copy"
            );
        }
        // Bytes that are not UTF-8 become Go's string (each bad byte one escape character).
        let bad: Arc<[u8]> = Arc::from(&b"a\xff{{ .x }}"[..]);
        let file = TemplateSet::parse_file_bytes("u", &bad).expect("parses");
        let (_, tree) = &file.0[0];
        assert!(!std::ptr::eq(tree.text.as_bytes().as_ptr(), bad.as_ptr()));
        assert_eq!(
            crate::value::gostring::to_go_bytes(tree.text.as_str()),
            b"a\xff{{ .x }}".to_vec()
        );
        let mut set = TemplateSet::new();
        set.add_parsed(file);
        let mut random = Random::from_seed(1);
        let (env, options) = (FuncEnv::default(), Options::default());
        let out = set
            .session(&mut random, &env, &options)
            .execute("u", values(&[("x", Value::from("y"))]))
            .expect("renders");
        assert_eq!(
            crate::value::gostring::to_go_bytes(&out),
            b"a\xffy".to_vec()
        );
    }

    fn values(pairs: &[(&str, Value)]) -> Value {
        let e: Entries = pairs
            .iter()
            .map(|(k, v)| ((*k).into(), v.clone()))
            .collect();
        Value::Map(Map::from_entries(MapType::Values, e))
    }

    fn render(text: &str, data: Value) -> Result<String, String> {
        render_str("t.yaml", text, data).map_err(|e| e.helm_message())
    }

    #[test]
    fn control_flow_and_variables() {
        let data = values(&[
            ("a", Value::from("x")),
            ("l", Value::list(vec![Value::from("p"), Value::from("q")])),
        ]);
        assert_eq!(
            render("{{ if .a }}yes{{ else }}no{{ end }}", data.clone()).unwrap(),
            "yes"
        );
        assert_eq!(
            render(
                "{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}",
                data.clone()
            )
            .unwrap(),
            "0=p;1=q;"
        );
        assert_eq!(
            render("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", data.clone()).unwrap(),
            "2"
        );
        assert_eq!(
            render(
                "{{ range .l }}{{ if eq . \"q\" }}{{ break }}{{ end }}{{ . }}{{ end }}",
                data.clone()
            )
            .unwrap(),
            "p"
        );
        assert_eq!(
            render("{{ range 3 }}{{ . }}{{ end }}", data.clone()).unwrap(),
            "012"
        );
        assert_eq!(
            render(
                "{{ with .missing }}a{{ else with .a }}{{ . }}{{ end }}",
                data
            )
            .unwrap(),
            "x"
        );
    }

    #[test]
    fn defines_include_and_tpl() {
        let data = values(&[("n", Value::from("v"))]);
        let t = r#"{{ define "x" }}[{{ .n }}]{{ end }}{{ template "x" . }}{{ include "x" . }}{{ tpl "{{ .n }}!" . }}"#;
        assert_eq!(render(t, data).unwrap(), "[v][v]v!");
    }

    #[test]
    fn missing_values_and_nil_errors() {
        let data = values(&[("m", Value::map(Entries::new()))]);
        assert_eq!(
            render("[{{ .missing }}][{{ .m.x }}]", data.clone()).unwrap(),
            "[][]"
        );
        assert_eq!(
            render("{{ .missing.deeper }}", data.clone()).unwrap_err(),
            "t.yaml:1:11\n  executing \"t.yaml\" at <.missing.deeper>:\n    nil pointer evaluating interface {}.deeper"
        );
        assert_eq!(
            render("{{ index .m 1 }}", data).unwrap_err(),
            "template: t.yaml:1:3: executing \"t.yaml\" at <index .m 1>: error calling index: value has type int; should be string"
        );
    }

    #[test]
    fn argument_conversion_errors() {
        let data = values(&[]);
        assert_eq!(
            render("{{ include 1 . }}", data.clone()).unwrap_err(),
            "t.yaml:1:11\n  executing \"t.yaml\" at <1>:\n    expected string; found 1"
        );
        assert_eq!(
            render("{{ include \"x\" }}", data).unwrap_err(),
            "t.yaml:1:3\n  executing \"t.yaml\" at <include>:\n    wrong number of args for include: want 2 got 1"
        );
    }
}
