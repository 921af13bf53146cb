//! TOML as Helm's `toToml` and `fromToml` see it: the encoder and decoder of
//! `github.com/BurntSushi/toml`.
//!
//! Encoding follows BurntSushi's layout: in every table the plain keys come first (sorted),
//! then sub-tables and arrays of tables (sorted), each nested level indented by two spaces; a
//! blank line separates top-level tables; floats always show a decimal point or an exponent
//! (`1.0`, `1e+06`); nil map values are left out. Encoding errors are Go's texts
//! (`toml: cannot encode array with nil element`).
//!
//! Decoding gives Go's types: `int64` integers, `float64` floats, strings, booleans, lists
//! and `map[string]interface {}` tables. Differences from BurntSushi: date-times come back as
//! the string Go prints for a `time.Time` (`1979-05-27 07:32:00 +0000 UTC`) instead of a
//! `time.Time`, arrays of tables are `[]interface {}` instead of `[]map[string]interface {}`,
//! and error messages follow BurntSushi's wording for the common mistakes only.

use crate::json::format_float;
use crate::value::{Entries, IntType, List, Map, MapType, Value};

/// Why encoding stopped.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Failure {
    /// BurntSushi returned an error; Helm's `toToml` prints its text.
    Error(String),
    /// The Go encoder panicked; the template fails with this message.
    Panic(String),
}

const INDENT: &str = "  ";

/// Encodes `v` as BurntSushi's `toml.NewEncoder(w).Encode(v)` does.
pub(super) fn encode(v: &Value) -> Result<String, Failure> {
    let mut e = Encoder {
        out: String::new(),
        written: false,
        depth: 0,
    };
    e.encode(&[], v)?;
    Ok(e.out)
}

/// What BurntSushi's `tomlTypeOfGo` makes of a value, as far as layout is concerned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Nil,
    /// A table (map or struct).
    Table,
    /// A non-empty array whose elements are all tables.
    TableArray,
    Other,
}

fn nil_element() -> Failure {
    Failure::Error("toml: cannot encode array with nil element".to_string())
}

fn unsupported(what: &str) -> Failure {
    Failure::Error(format!("unsupported type: {what}"))
}

/// A struct value seen through what it marshals to: a table, or a scalar.
fn object_form(v: &Value) -> Option<Value> {
    match v {
        Value::Object(o) => Some(o.to_json_value()),
        _ => None,
    }
}

fn is_time(v: &Value) -> bool {
    matches!(v, Value::Object(o) if o.type_name() == "time.Time")
}

fn shape(v: &Value) -> Result<Shape, Failure> {
    Ok(match v {
        Value::Invalid | Value::Nil => Shape::Nil,
        Value::Map(_) => Shape::Table,
        Value::Object(_) if is_time(v) => Shape::Other,
        Value::Object(_) => match object_form(v) {
            Some(Value::Map(_)) => Shape::Table,
            _ => Shape::Other,
        },
        Value::List(l) => {
            if is_table_array(l)? {
                Shape::TableArray
            } else {
                Shape::Other
            }
        }
        Value::Complex(..) => return Err(unsupported("complex128")),
        _ => Shape::Other,
    })
}

/// BurntSushi's `isTableArray`: every element a table; a nil element anywhere in nested
/// arrays is an error.
fn is_table_array(l: &List) -> Result<bool, Failure> {
    if l.is_empty() {
        return Ok(false);
    }
    let mut all_tables = true;
    for item in l.items() {
        let s = shape(item)?;
        if s == Shape::Nil {
            return Err(nil_element());
        }
        if s != Shape::Table {
            all_tables = false;
        }
    }
    Ok(all_tables)
}

/// A key part, bare when it can be.
fn quote_key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_string()
    } else {
        quote(k)
    }
}

/// A basic string with BurntSushi's escapes.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{0}'..='\u{1f}' | '\u{7f}' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    let s = format_float(f, b'g', 64);
    if s.contains(['.', 'e']) {
        s
    } else {
        format!("{s}.0")
    }
}

fn key_path(key: &[String]) -> String {
    key.iter()
        .map(|k| quote_key(k))
        .collect::<Vec<_>>()
        .join(".")
}

fn indent(key: &[String]) -> String {
    INDENT.repeat(key.len().saturating_sub(1))
}

/// Objects that marshal to objects could nest forever.
const MAX_DEPTH: usize = 10000;

struct Encoder {
    out: String,
    /// BurntSushi writes the blank line before a table only once something was written.
    written: bool,
    depth: usize,
}

impl Encoder {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        self.written = true;
    }

    fn newline(&mut self) {
        if self.written {
            self.write("\n");
        }
    }

    fn encode(&mut self, key: &[String], v: &Value) -> Result<(), Failure> {
        if self.depth >= MAX_DEPTH {
            return Err(Failure::Error("toml: value nests too deeply".to_string()));
        }
        self.depth += 1;
        let result = crate::yaml::deep(|| self.encode_inner(key, v));
        self.depth -= 1;
        result
    }

    fn encode_inner(&mut self, key: &[String], v: &Value) -> Result<(), Failure> {
        match v {
            Value::Invalid | Value::Nil => {
                if key.is_empty() {
                    return Err(Failure::Panic(
                        "reflect: call of reflect.Value.Type on zero Value".to_string(),
                    ));
                }
                Ok(())
            }
            Value::Map(m) => self.table(key, m),
            Value::List(l) if is_table_array(l)? => self.table_array(key, l),
            Value::Object(_) if !is_time(v) => match object_form(v) {
                Some(Value::Map(m)) => self.table(key, &m),
                Some(other) => self.key_value(key, &other, false),
                None => Ok(()),
            },
            Value::Complex(..) => Err(unsupported("complex128")),
            _ => self.key_value(key, v, false),
        }
    }

    fn key_value(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), Failure> {
        let Some(last) = key.last() else {
            return self.element(v);
        };
        let prefix = if inline { String::new() } else { indent(key) };
        self.write(&format!("{prefix}{} = ", quote_key(last)));
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn element(&mut self, v: &Value) -> Result<(), Failure> {
        crate::yaml::deep(|| self.element_inner(v))
    }

    fn element_inner(&mut self, v: &Value) -> Result<(), Failure> {
        match v {
            Value::Invalid | Value::Nil => return Err(nil_element()),
            Value::Bool(b) => self.write(if *b { "true" } else { "false" }),
            Value::Int(i, _) => self.write(&i.to_string()),
            Value::Uint(u, _) => self.write(&u.to_string()),
            Value::Float(f) => self.write(&float_text(*f)),
            Value::Complex(..) => return Err(unsupported("complex128")),
            Value::String(s) => self.write(&quote(s)),
            Value::Bytes(b) => {
                let items: Vec<String> = b.iter().map(u8::to_string).collect();
                self.write(&format!("[{}]", items.join(", ")));
            }
            Value::List(l) => {
                self.write("[");
                for (i, item) in l.items().iter().enumerate() {
                    if i > 0 {
                        self.write(", ");
                    }
                    self.element(item)?;
                }
                self.write("]");
            }
            Value::Map(m) => self.inline_table(m)?,
            Value::Object(o) => {
                let form = o.to_json_value();
                match (&form, is_time(v)) {
                    // A time is written bare, in RFC 3339 form.
                    (Value::String(s), true) => self.write(s),
                    (Value::Map(m), _) => self.inline_table(m)?,
                    _ => self.element(&form)?,
                }
            }
        }
        Ok(())
    }

    /// Splits a table's keys into plain values and sub-tables, each sorted.
    #[allow(clippy::type_complexity)]
    fn split(m: &Map) -> Result<(Vec<(String, Value)>, Vec<(String, Value)>), Failure> {
        let (mut direct, mut sub) = (Vec::new(), Vec::new());
        for (k, v) in m.entries() {
            match shape(&v)? {
                Shape::Table | Shape::TableArray => sub.push((k.to_string(), v)),
                Shape::Nil | Shape::Other => direct.push((k.to_string(), v)),
            }
        }
        Ok((direct, sub))
    }

    fn inline_table(&mut self, m: &Map) -> Result<(), Failure> {
        let (direct, sub) = Self::split(m)?;
        self.write("{");
        let groups = [(direct, !sub.is_empty()), (sub, false)];
        for (keys, trailing_comma) in groups {
            let n = keys.len();
            for (i, (k, v)) in keys.into_iter().enumerate() {
                if v.is_nil() {
                    continue;
                }
                self.key_value(&[k], &v, true)?;
                if trailing_comma || i + 1 != n {
                    self.write(", ");
                }
            }
        }
        self.write("}");
        Ok(())
    }

    fn table(&mut self, key: &[String], m: &Map) -> Result<(), Failure> {
        if key.len() == 1 {
            self.newline();
        }
        if !key.is_empty() {
            self.write(&format!("{}[{}]", indent(key), key_path(key)));
            self.newline();
        }
        self.table_body(key, m)
    }

    fn table_body(&mut self, key: &[String], m: &Map) -> Result<(), Failure> {
        let (direct, sub) = Self::split(m)?;
        for (k, v) in direct.into_iter().chain(sub) {
            if v.is_nil() {
                continue;
            }
            let mut path = key.to_vec();
            path.push(k);
            self.encode(&path, &v)?;
        }
        Ok(())
    }

    fn table_array(&mut self, key: &[String], l: &List) -> Result<(), Failure> {
        if key.is_empty() {
            return Err(Failure::Error(
                "toml: top-level values must be Go maps or structs".to_string(),
            ));
        }
        for item in l.items() {
            let table = match item {
                Value::Map(m) => m.clone(),
                other => match object_form(other) {
                    Some(Value::Map(m)) => m,
                    _ => continue,
                },
            };
            self.newline();
            self.write(&format!("{}[[{}]]", indent(key), key_path(key)));
            self.newline();
            self.table_body(key, &table)?;
        }
        Ok(())
    }
}

/// Decodes a TOML document into a `map[string]interface {}`, or BurntSushi's error text.
pub(super) fn decode(text: &str) -> Result<Map, String> {
    let mut p = Parser::new(text);
    p.document()?;
    Ok(p.into_map())
}

/// How a table came to exist, for TOML's redefinition rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// `[a]` header.
    Header,
    /// Created on the way to a deeper header or by a dotted key.
    Implicit,
    /// `a = {...}`: closed to further additions.
    Inline,
}

/// A table under construction.
#[derive(Default)]
struct Table {
    entries: Vec<(String, Item)>,
}

enum Item {
    Value(Value),
    Table(Table, Origin),
    /// `[[a]]` entries.
    Array(Vec<Table>),
}

impl Table {
    fn get_mut(&mut self, key: &str) -> Option<&mut Item> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    fn into_value(self) -> Value {
        let mut entries = Entries::new();
        for (k, item) in self.entries {
            let v = match item {
                Item::Value(v) => v,
                Item::Table(t, _) => t.into_value(),
                Item::Array(tables) => {
                    Value::list(tables.into_iter().map(Table::into_value).collect())
                }
            };
            entries.insert(k.into(), v);
        }
        Value::Map(Map::from_entries(MapType::Any, entries))
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    root: Table,
    /// The path of the current `[table]` or `[[array]]` header.
    current: Vec<String>,
    /// The last key read, for error messages.
    last_key: String,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            pos: 0,
            line: 1,
            root: Table::default(),
            current: Vec::new(),
            last_key: String::new(),
        }
    }

    fn into_map(self) -> Map {
        match self.root.into_value() {
            Value::Map(m) => m,
            _ => Map::new(),
        }
    }

    fn error(&self, message: impl std::fmt::Display) -> String {
        if self.last_key.is_empty() {
            format!("toml: line {}: {message}", self.line)
        } else {
            format!(
                "toml: line {} (last key {:?}): {message}",
                self.line, self.last_key
            )
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.text[self.pos..].chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.text[self.pos..].starts_with(s) {
            for _ in s.chars() {
                self.bump();
            }
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
    }

    fn skip_comment(&mut self) {
        if self.peek() == Some('#') {
            while let Some(c) = self.peek() {
                if c == '\n' {
                    break;
                }
                self.bump();
            }
        }
    }

    /// Whitespace, comments and newlines (inside arrays).
    fn skip_ws_comments_newlines(&mut self) {
        loop {
            self.skip_ws();
            self.skip_comment();
            match self.peek() {
                Some('\n') => {
                    self.bump();
                }
                Some('\r') if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                _ => return,
            }
        }
    }

    fn document(&mut self) -> Result<(), String> {
        loop {
            self.skip_ws_comments_newlines();
            let Some(c) = self.peek() else { return Ok(()) };
            if c == '[' {
                self.header()?;
            } else {
                self.key_value_line()?;
            }
            self.skip_ws();
            self.skip_comment();
            match self.peek() {
                None => return Ok(()),
                Some('\n') => {
                    self.bump();
                }
                Some('\r') if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some(c) => {
                    return Err(self.error(format!(
                        "expected a top-level item to end with a newline, comment, or EOF, but got {} instead",
                        go_quote_rune(c)
                    )));
                }
            }
        }
    }

    fn header(&mut self) -> Result<(), String> {
        self.bump();
        let array = self.eat("[");
        self.skip_ws();
        let path = self.key(true)?;
        self.skip_ws();
        if !self.eat("]") {
            let got = self.peek().unwrap_or('\0');
            return Err(self.error(format!(
                "expected '.' or ']' to end table name, but got {} instead",
                go_quote_rune(got)
            )));
        }
        if array && !self.eat("]") {
            let got = self.peek().unwrap_or('\0');
            return Err(self.error(format!(
                "expected end of table array name delimiter ']', but got {} instead",
                go_quote_rune(got)
            )));
        }
        let Some((last, parents)) = path.split_last() else {
            return Err(self.error("unexpected ']': table name appears blank"));
        };
        // BurntSushi reports a redefinition with the header's parent path as the last key.
        self.last_key = parents.join(".");
        let defined = self.error(format!(
            "Key '{}' has already been defined.",
            path.join(".")
        ));
        let mut table = &mut self.root;
        for part in parents {
            table = descend(table, part, Origin::Implicit).ok_or_else(|| defined.clone())?;
        }
        if array {
            match table.get_mut(last) {
                Some(Item::Array(tables)) => tables.push(Table::default()),
                Some(_) => return Err(defined),
                None => table
                    .entries
                    .push((last.clone(), Item::Array(vec![Table::default()]))),
            }
        } else {
            match table.get_mut(last) {
                Some(Item::Table(_, origin)) if *origin == Origin::Implicit => {
                    *origin = Origin::Header
                }
                Some(_) => return Err(defined),
                None => table
                    .entries
                    .push((last.clone(), Item::Table(Table::default(), Origin::Header))),
            }
        }
        self.last_key = path.join(".");
        self.current = path.clone();
        Ok(())
    }

    /// A key: bare, quoted or dotted. `header` keys end at `]`.
    fn key(&mut self, header: bool) -> Result<Vec<String>, String> {
        let mut parts = Vec::new();
        loop {
            self.skip_ws();
            let part = match self.peek() {
                Some('"') => self.basic_string()?,
                Some('\'') => self.literal_string()?,
                Some(c) if c.is_ascii_alphanumeric() || c == '_' || c == '-' => {
                    let start = self.pos;
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        self.bump();
                    }
                    self.text[start..self.pos].to_string()
                }
                Some('=') if !header => {
                    return Err(self.error("unexpected '=': key name appears blank"));
                }
                Some(']') if header => {
                    return Err(self.error("unexpected ']': table name appears blank"));
                }
                None => return Err(self.error("unexpected EOF; expected key name")),
                Some(c) => {
                    return Err(
                        self.error(format!("bare keys cannot contain {}", go_quote_rune(c)))
                    );
                }
            };
            parts.push(part);
            self.skip_ws();
            if !self.eat(".") {
                return Ok(parts);
            }
        }
    }

    fn key_value_line(&mut self) -> Result<(), String> {
        let key = self.key(false)?;
        self.skip_ws();
        if !self.eat("=") {
            let got = self.peek().map_or("end of file".to_string(), go_quote_rune);
            return Err(self.error(format!("expected '.' or '=', but got {got} instead")));
        }
        let mut full = self.current.clone();
        full.extend(key.iter().cloned());
        self.last_key = full.join(".");
        self.skip_ws();
        let value = self.value()?;
        let current = self.current.clone();
        self.insert(&current, &key, value)?;
        // Once the pair is complete, errors name only the table it is in.
        self.last_key = current.join(".");
        Ok(())
    }

    /// Inserts a value under `base` (a header path) and a possibly dotted `key`.
    fn insert(&mut self, base: &[String], key: &[String], item: Item) -> Result<(), String> {
        let full = base
            .iter()
            .chain(key)
            .cloned()
            .collect::<Vec<_>>()
            .join(".");
        let defined = self.error(format!("Key '{full}' has already been defined."));
        let Some((last, parents)) = key.split_last() else {
            return Err(self.error("unexpected '=': key name appears blank"));
        };
        let mut table = &mut self.root;
        for part in base {
            table = match table.get_mut(part) {
                Some(Item::Table(t, _)) => t,
                Some(Item::Array(tables)) => match tables.last_mut() {
                    Some(t) => t,
                    None => return Err(defined),
                },
                _ => return Err(defined),
            };
        }
        for part in parents {
            match descend(table, part, Origin::Implicit) {
                Some(t) => table = t,
                None => return Err(defined),
            }
        }
        if table.get_mut(last).is_some() {
            return Err(defined);
        }
        table.entries.push((last.clone(), item));
        Ok(())
    }

    fn value(&mut self) -> Result<Item, String> {
        let Some(c) = self.peek() else {
            return Err(self.error("unexpected EOF; expected value"));
        };
        Ok(Item::Value(match c {
            '"' => {
                if self.text[self.pos..].starts_with("\"\"\"") {
                    Value::string(self.multiline_basic()?)
                } else {
                    Value::string(self.basic_string()?)
                }
            }
            '\'' => {
                if self.text[self.pos..].starts_with("'''") {
                    Value::string(self.multiline_literal()?)
                } else {
                    Value::string(self.literal_string()?)
                }
            }
            '[' => self.array()?,
            '{' => return self.inline_table(),
            't' if self.eat("true") => Value::Bool(true),
            'f' if self.eat("false") => Value::Bool(false),
            _ => self.scalar()?,
        }))
    }

    fn array(&mut self) -> Result<Value, String> {
        self.bump();
        let mut items = Vec::new();
        loop {
            self.skip_ws_comments_newlines();
            match self.peek() {
                Some(']') => {
                    self.bump();
                    return Ok(Value::list(items));
                }
                None => return Err(self.error("unexpected EOF; expected value")),
                _ => {}
            }
            let item = match self.value()? {
                Item::Value(v) => v,
                Item::Table(t, _) => t.into_value(),
                Item::Array(ts) => Value::list(ts.into_iter().map(Table::into_value).collect()),
            };
            items.push(item);
            self.skip_ws_comments_newlines();
            match self.peek() {
                Some(',') => {
                    self.bump();
                }
                Some(']') => {}
                None => {
                    return Err(self.error(
                        "expected a comma (',') or array terminator (']'), but got end of file",
                    ));
                }
                Some(c) => {
                    return Err(self.error(format!(
                        "expected a comma (',') or array terminator (']'), but got {}",
                        go_quote_rune(c)
                    )));
                }
            }
        }
    }

    fn inline_table(&mut self) -> Result<Item, String> {
        self.bump();
        let outer = self.last_key.clone();
        let mut table = Table::default();
        loop {
            self.skip_ws();
            // An empty table, or a trailing comma (allowed by BurntSushi).
            if self.eat("}") {
                self.last_key = outer;
                return Ok(Item::Table(table, Origin::Inline));
            }
            let key = self.key(false)?;
            self.skip_ws();
            if !self.eat("=") {
                let got = self.peek().map_or("end of file".to_string(), go_quote_rune);
                return Err(self.error(format!("expected '.' or '=', but got {got} instead")));
            }
            // Errors inside the table name the key being read in it.
            self.last_key = if outer.is_empty() {
                key.join(".")
            } else {
                format!("{outer}.{}", key.join("."))
            };
            self.skip_ws();
            let value = self.value()?;
            let Some((last, parents)) = key.split_last() else {
                return Err(self.error("unexpected '=': key name appears blank"));
            };
            let defined = self.error(format!("Key '{}' has already been defined.", key.join(".")));
            let mut t = &mut table;
            for part in parents {
                t = descend(t, part, Origin::Implicit).ok_or_else(|| defined.clone())?;
            }
            if t.get_mut(last).is_some() {
                return Err(defined);
            }
            t.entries.push((last.clone(), value));
            self.skip_ws();
            match self.peek() {
                Some(',') => {
                    self.bump();
                }
                Some('}') => {
                    self.bump();
                    self.last_key = outer;
                    return Ok(Item::Table(table, Origin::Inline));
                }
                got => {
                    let got = got.map_or("end of file".to_string(), go_quote_rune);
                    return Err(self.error(format!(
                        "expected a comma or an inline table terminator '}}', but got {got} instead"
                    )));
                }
            }
        }
    }

    fn basic_string(&mut self) -> Result<String, String> {
        self.bump();
        let mut out = String::new();
        loop {
            if self.peek() == Some('\n') {
                return Err(self.error("strings cannot contain newlines"));
            }
            match self.bump() {
                None => return Err(self.error("unexpected EOF; expected '\"'")),
                Some('"') => return Ok(out),
                Some('\\') => out.push(self.escape()?),
                Some(c) if is_control(c) => {
                    return Err(self.error(format!(
                        "control characters are not allowed: {}",
                        go_quote_rune(c)
                    )));
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn multiline_basic(&mut self) -> Result<String, String> {
        self.eat("\"\"\"");
        // A newline right after the opening quotes is trimmed.
        if !self.eat("\n") {
            self.eat("\r\n");
        }
        let mut out = String::new();
        loop {
            if self.text[self.pos..].starts_with("\"\"\"") {
                self.eat("\"\"\"");
                // Up to two more quotes belong to the content.
                for _ in 0..2 {
                    if self.eat("\"") {
                        out.push('"');
                    }
                }
                return Ok(out);
            }
            match self.bump() {
                None => return Err(self.error("unexpected EOF; expected '\"\"\"'")),
                Some('\\') => {
                    // A backslash at the end of a line trims the break and the indentation.
                    let rest = &self.text[self.pos..];
                    let trimmed = rest.trim_start_matches([' ', '\t']);
                    if trimmed.starts_with('\n') || trimmed.starts_with("\r\n") {
                        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
                            self.bump();
                        }
                    } else {
                        out.push(self.escape()?);
                    }
                }
                Some('\r') if self.peek() == Some('\n') => {}
                Some(c) if is_control(c) && c != '\n' && c != '\t' => {
                    return Err(self.error(format!(
                        "control characters are not allowed: {}",
                        go_quote_rune(c)
                    )));
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn literal_string(&mut self) -> Result<String, String> {
        self.bump();
        let start = self.pos;
        loop {
            match self.bump() {
                None => return Err(self.error("unexpected EOF; expected \"'\"")),
                Some('\'') => return Ok(self.text[start..self.pos - 1].to_string()),
                Some('\n') => return Err(self.error("strings cannot contain newlines")),
                Some(_) => {}
            }
        }
    }

    fn multiline_literal(&mut self) -> Result<String, String> {
        self.eat("'''");
        if !self.eat("\n") {
            self.eat("\r\n");
        }
        let mut out = String::new();
        loop {
            if self.text[self.pos..].starts_with("'''") {
                self.eat("'''");
                for _ in 0..2 {
                    if self.eat("'") {
                        out.push('\'');
                    }
                }
                return Ok(out.replace("\r\n", "\n"));
            }
            match self.bump() {
                None => return Err(self.error("unexpected EOF; expected \"'''\"")),
                Some(c) => out.push(c),
            }
        }
    }

    fn escape(&mut self) -> Result<char, String> {
        let c = self
            .bump()
            .ok_or_else(|| self.error("unexpected EOF; expected escape"))?;
        Ok(match c {
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            '"' => '"',
            '\\' => '\\',
            'u' | 'U' | 'x' => {
                let (n, count) = match c {
                    'u' => (4, "four"),
                    'U' => (8, "eight"),
                    _ => (2, "two"),
                };
                let digits: String = self.text[self.pos..].chars().take(n).collect();
                if digits.chars().count() < n || !digits.chars().all(|d| d.is_ascii_hexdigit()) {
                    return Err(self.error(format!(
                        "expected {count} hexadecimal digits after '\\{c}', but got {} instead",
                        go_quote_str(&format!("\\{c}{digits}"))
                    )));
                }
                for _ in 0..n {
                    self.bump();
                }
                let code = u32::from_str_radix(&digits, 16).unwrap_or(0xFFFD);
                char::from_u32(code)
                    .ok_or_else(|| self.error(format!("invalid unicode escape: '\\{c}{digits}'")))?
            }
            other => {
                return Err(self.error(format!("invalid escape in string '\\{other}'")));
            }
        })
    }

    /// Numbers, `inf`, `nan` and date-times.
    fn scalar(&mut self) -> Result<Value, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '+' | '-' | '_' | '.' | ':')
                || (c == ' ' && self.is_date_time_space(start))
        }) {
            self.bump();
        }
        let token = &self.text[start..self.pos];
        if token.is_empty() {
            return Err(match self.peek() {
                None => self.error("unexpected EOF; expected value"),
                Some(c) => self.error(format!(
                    "expected value but found {} instead",
                    go_quote_rune(c)
                )),
            });
        }
        let first = token.chars().next().unwrap_or('\0');
        if first == '_' {
            return Err(self.error(format!(
                "expected value but found {} instead",
                go_quote_rune(first)
            )));
        }
        if let Some(v) = parse_date_time(token) {
            return Ok(v);
        }
        let numeric = first.is_ascii_digit() || matches!(first, '+' | '-' | '.');
        if !numeric && !matches!(token, "inf" | "nan") {
            return Err(self.error(format!(
                "expected value but found {} instead",
                go_quote_str(token)
            )));
        }
        parse_number(token).map_err(|m| self.error(m))
    }

    /// A space inside a date-time (`1979-05-27 07:32:00`): a date so far, then a digit.
    fn is_date_time_space(&self, start: usize) -> bool {
        let so_far = &self.text[start..self.pos];
        so_far.len() == 10
            && so_far.as_bytes().get(4) == Some(&b'-')
            && self.peek_at(1).is_some_and(|c| c.is_ascii_digit())
    }
}

/// The sub-table `part` of `table`, created when missing; `None` when the key holds a value
/// or an inline table.
fn descend<'t>(table: &'t mut Table, part: &str, origin: Origin) -> Option<&'t mut Table> {
    if table.get_mut(part).is_none() {
        table
            .entries
            .push((part.to_string(), Item::Table(Table::default(), origin)));
    }
    match table.get_mut(part)? {
        Item::Table(t, o) if *o != Origin::Inline => Some(t),
        Item::Array(tables) => tables.last_mut(),
        _ => None,
    }
}

fn is_control(c: char) -> bool {
    (c < ' ' && c != '\t') || c == '\u{7f}'
}

/// Go's `%q` of a string.
fn go_quote_str(s: &str) -> String {
    let body: String = s.chars().map(crate::json::go_quote_rune).collect();
    format!("\"{body}\"")
}

/// Go's `%q` of a rune.
fn go_quote_rune(c: char) -> String {
    match c {
        '\'' => "'\\''".to_string(),
        '"' => "'\"'".to_string(),
        _ => format!("'{}'", crate::json::go_quote_rune(c)),
    }
}

/// TOML integers and floats, with underscores between digits.
fn parse_number(token: &str) -> Result<Value, String> {
    let (sign, body) = match token.as_bytes().first() {
        Some(b'+') => (1.0, &token[1..]),
        Some(b'-') => (-1.0, &token[1..]),
        _ => (1.0, token),
    };
    match body {
        "inf" => return Ok(Value::Float(sign * f64::INFINITY)),
        "nan" => return Ok(Value::Float(if sign < 0.0 { -f64::NAN } else { f64::NAN })),
        _ => {}
    }
    if body.starts_with('.') {
        return Err("floats must start with a digit, not '.'".to_string());
    }
    let quoted = go_quote_str(token);
    let underscores_ok = |s: &str| {
        let b = s.as_bytes();
        b.iter().enumerate().all(|(i, &c)| {
            c != b'_'
                || (i > 0
                    && b[i - 1].is_ascii_alphanumeric()
                    && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric))
        })
    };
    for (prefix, radix, what) in [
        ("0x", 16, "a hexadecimal"),
        ("0o", 8, "an octal"),
        ("0b", 2, "a binary"),
    ] {
        if let Some(digits) = body.strip_prefix(prefix) {
            if token.starts_with(['+', '-']) {
                return Err(format!(
                    "cannot use sign with non-decimal numbers: '{}'",
                    &token[..3]
                ));
            }
            if !digits.starts_with(|c: char| c.is_digit(radix)) {
                let next = digits.chars().next().unwrap_or('\0');
                return Err(format!("not {what} number: '{prefix}{next}'"));
            }
            if !underscores_ok(digits) {
                return Err(format!(
                    "Invalid integer {quoted}: underscores must be surrounded by digits"
                ));
            }
            let clean: String = digits.chars().filter(|&c| c != '_').collect();
            return i64::from_str_radix(&clean, radix)
                .map(|i| Value::Int(i, IntType::Int64))
                .map_err(|_| format!("{token} is out of range for int64"));
        }
    }
    let clean: String = token.chars().filter(|&c| c != '_').collect();
    if body.chars().all(|c| c.is_ascii_digit() || c == '_') {
        if body.len() > 1 && body.starts_with('0') {
            return Err(format!(
                "Invalid integer {quoted}: cannot have leading zeroes"
            ));
        }
        if !underscores_ok(body) {
            return Err(format!(
                "Invalid integer {quoted}: underscores must be surrounded by digits"
            ));
        }
        return clean
            .parse::<i64>()
            .map(|i| Value::Int(i, IntType::Int64))
            .map_err(|_| format!("{token} is out of range for int64"));
    }
    if let Some(dot) = body.find('.')
        && !body[dot + 1..].starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(format!(
            "Invalid float {quoted}: '.' must be followed by one or more digits"
        ));
    }
    if !underscores_ok(body) {
        return Err(format!(
            "Invalid float {quoted}: underscores must be surrounded by digits"
        ));
    }
    match clean.parse::<f64>() {
        Ok(f) if f.is_finite() && !clean.ends_with(['e', 'E', '+', '-']) => Ok(Value::Float(f)),
        _ => Err(format!("Invalid float value: {quoted}")),
    }
}

/// TOML date-times, printed as Go prints the `time.Time` BurntSushi returns.
fn parse_date_time(token: &str) -> Option<Value> {
    let b = token.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let date = b.len() >= 10
        && digits(&b[0..4])
        && b[4] == b'-'
        && digits(&b[5..7])
        && b[7] == b'-'
        && digits(&b[8..10]);
    if date && b.len() == 10 {
        return Some(Value::string(format!("{token} 00:00:00 +0000 date-local")));
    }
    let time_at = |i: usize| {
        b.len() >= i + 8
            && digits(&b[i..i + 2])
            && b[i + 2] == b':'
            && digits(&b[i + 3..i + 5])
            && b[i + 5] == b':'
            && digits(&b[i + 6..i + 8])
    };
    if !date && time_at(0) {
        let frac = &token[8..];
        return Some(Value::string(format!(
            "0000-01-01 {}{frac} +0000 time-local",
            &token[..8]
        )));
    }
    if !date || !matches!(b.get(10), Some(b'T' | b't' | b' ')) || !time_at(11) {
        return None;
    }
    let mut i = 19;
    let mut frac = String::new();
    if b.get(i) == Some(&b'.') {
        let start = i;
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        frac = token[start..i]
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    let clock = format!("{} {}{frac}", &token[..10], &token[11..19]);
    let zone = &token[i..];
    Some(Value::string(match zone {
        "" => format!("{clock} +0000 datetime-local"),
        "Z" | "z" => format!("{clock} +0000 UTC"),
        z if z.len() == 6
            && (z.starts_with('+') || z.starts_with('-'))
            && z.as_bytes()[3] == b':' =>
        {
            format!("{clock} {}{} {}{}", &z[..3], &z[4..], &z[..3], &z[4..])
        }
        _ => return None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates() {
        assert!(matches!(parse_number("0x10"), Ok(Value::Int(16, _))));
        assert!(matches!(parse_number("1_000"), Ok(Value::Int(1000, _))));
        assert!(parse_number("01").is_err());
        assert!(matches!(parse_number("1.5e3"), Ok(Value::Float(f)) if (f - 1500.0).abs() < 1e-9));
        assert!(parse_number("1.").is_err());
        assert_eq!(
            parse_date_time("1979-05-27T07:32:00Z")
                .and_then(|v| v.as_str().map(String::from))
                .as_deref(),
            Some("1979-05-27 07:32:00 +0000 UTC")
        );
    }
}
