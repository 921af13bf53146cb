//! The values flags of `helm template`/`install`: `-f/--values`, `--set`, `--set-string`,
//! `--set-json`, `--set-literal` and `--set-file` (Helm calls the `--set` grammar "strvals").
//!
//! [`ValueOverrides::merge`] builds the user-supplied values exactly as Helm 4's
//! `values.Options.MergeValues` does, and the `parse_set*` functions apply one flag
//! occurrence each. The result still holds `null`s: deleting chart defaults with them is the
//! job of [coalescing](super::coalesce).
//!
//! # The `--set` grammar
//!
//! * `a.b=c,d=e`: `.` nests maps (at most 30 levels), `,` separates assignments, and `\`
//!   takes the next character literally (`a\.b=x\,y` sets the key `a.b` to `x,y`).
//! * `a[2]=x` sets a list element, filling the gap with nils (indexes up to 65536);
//!   `a[0].b=x` and `a[0][1]=x` nest. `a={x,y}` is a list; `a={}` is `[""]`.
//! * `--set` types its values: `true`/`false` in any case are booleans, `null` is nil, and
//!   integers that fit `int64` without a leading zero are `int64`; `007`, `1.5`, `1e3` and
//!   `0x1F` stay strings. `--set-string` never types; `--set-file` stores file contents.
//! * `--set-json` values are JSON (numbers are `float64`; an empty value is `null`), and a
//!   whole object (`--set-json '{"a":1}'`) is merged in like a values file.
//! * `--set-literal` has no escapes and no lists: everything after the first `=` is the
//!   string.
//! * Helm 4 silently ignores what follows an unterminated list index (`a[0=x`).

mod json_stream;
mod strvals;
mod url;

#[cfg(test)]
mod tests;

use std::fmt;

use crate::value::{List, ListType, Map, MapType, Value};

/// The values flags of one command, each `Vec` in command-line order with one entry per flag
/// occurrence.
///
/// The CLI is expected to have split `-f a.yaml,b.yaml` already (Helm's `-f` is a
/// comma-separated string slice); the `--set*` flags are never split by the CLI.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueOverrides {
    /// `-f/--values`: paths of YAML files (`-` is standard input).
    pub value_files: Vec<String>,
    /// `--set`.
    pub set: Vec<String>,
    /// `--set-string`.
    pub set_string: Vec<String>,
    /// `--set-json`.
    pub set_json: Vec<String>,
    /// `--set-literal`.
    pub set_literal: Vec<String>,
    /// `--set-file`.
    pub set_file: Vec<String>,
}

impl ValueOverrides {
    /// Builds the user-supplied values as Helm does: by category, not by position on the
    /// command line. First each `-f` file in order, deep-merged into the result (maps merge
    /// key by key; any other value replaces), then every `--set-json`, `--set`,
    /// `--set-string`, `--set-file` and finally `--set-literal`.
    ///
    /// `read` reads a file (for `-f` and for the paths of `--set-file`) and returns its bytes
    /// or Go's error text (`open x.yaml: no such file or directory`), which becomes the
    /// error message. It receives the path as given, except that a path that is `-` once
    /// trimmed is passed as `-`, meaning standard input. Helm also fetches `http://`,
    /// `https://` and `oci://` paths; that is left to `read` as well (a URL arrives
    /// unchanged), as is reading standard input.
    ///
    /// ```
    /// use chart_core::values::overrides::ValueOverrides;
    ///
    /// let flags = ValueOverrides {
    ///     set: vec!["image.tag=2.0,replicas=3".into()],
    ///     set_string: vec!["replicas=5".into()],
    ///     set_file: vec!["motd=motd.txt".into()],
    ///     ..ValueOverrides::default()
    /// };
    /// let read = |path: &str| match path {
    ///     "motd.txt" => Ok(b"hello\n".to_vec()),
    ///     _ => Err(format!("open {path}: no such file or directory")),
    /// };
    /// let values = flags.merge(&read).unwrap();
    /// // --set-string comes after --set, whatever the order on the command line.
    /// assert_eq!(values.get("replicas").unwrap().as_str(), Some("5"));
    /// assert_eq!(values.get("motd").unwrap().as_str(), Some("hello\n"));
    /// ```
    pub fn merge(
        &self,
        read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    ) -> Result<Map, ValuesError> {
        let base = Map::new();
        for path in &self.value_files {
            let file = load_values_file(path, read)?;
            merge_maps(&base, &file);
        }
        for value in &self.set_json {
            parse_set_json(value, &base)?;
        }
        for value in &self.set {
            parse_set(value, &base)?;
        }
        for value in &self.set_string {
            parse_set_string(value, &base)?;
        }
        for value in &self.set_file {
            parse_set_file(value, &base, read)?;
        }
        for value in &self.set_literal {
            parse_set_literal(value, &base)?;
        }
        Ok(base)
    }
}

/// A values flag that could not be applied. `Display` is Helm's message (what follows
/// `Error: `).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValuesError {
    /// A `--set`, `--set-string`, `--set-file` or `--set-literal` value that does not parse
    /// (or whose file cannot be read): `failed parsing --set data: key "a" has no value`.
    #[error("failed parsing {flag} data: {message}")]
    Set {
        /// The flag.
        flag: SetFlag,
        /// The parser's message.
        message: String,
    },
    /// A `--set-json key=value` list that does not parse. Helm shows the flag's value, not
    /// the JSON error.
    #[error("failed parsing --set-json data {value}")]
    SetJson {
        /// The flag's value.
        value: String,
    },
    /// A `--set-json` whole object (`{...}`) that is not valid JSON.
    #[error("failed parsing --set-json data JSON: {value}")]
    SetJsonObject {
        /// The flag's value.
        value: String,
    },
    /// A `-f` path that cannot be read, or that Go's `url.Parse` rejects; the message is
    /// `read`'s error (`open a.yaml: no such file or directory`) or Go's
    /// (`parse "x%zz.yaml": invalid URL escape "%zz"`), and names the file.
    #[error("{message}")]
    Read {
        /// The path, as given.
        path: String,
        /// The message.
        message: String,
    },
    /// A `-f` file that is not a valid values file:
    /// `failed to parse a.yaml: cannot unmarshal yaml document: ...`.
    #[error("failed to parse {path}: {message}")]
    Parse {
        /// The path, as given.
        path: String,
        /// The YAML loader's message.
        message: String,
    },
}

/// The `--set` flags that report errors as `failed parsing FLAG data: MESSAGE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetFlag {
    /// `--set`.
    Set,
    /// `--set-string`.
    SetString,
    /// `--set-file`.
    SetFile,
    /// `--set-literal`.
    SetLiteral,
}

impl fmt::Display for SetFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SetFlag::Set => "--set",
            SetFlag::SetString => "--set-string",
            SetFlag::SetFile => "--set-file",
            SetFlag::SetLiteral => "--set-literal",
        })
    }
}

fn set_error(flag: SetFlag) -> impl Fn(String) -> ValuesError {
    move |message| ValuesError::Set { flag, message }
}

/// Applies one `--set` value to `into` (Helm's `strvals.ParseInto`): values are typed
/// (`int64`, `bool`, nil or string).
///
/// ```
/// use chart_core::Map;
/// use chart_core::values::overrides::parse_set;
///
/// let values = Map::new();
/// parse_set(r"a.b=1,list[1]=x,tags={web,db},note=x\,y", &values).unwrap();
/// let a = values.get("a").unwrap();
/// assert_eq!(a.as_map().unwrap().get("b").unwrap().type_name(), "int64");
/// let list = values.get("list").unwrap();
/// assert!(list.as_list().unwrap().get(0).unwrap().is_nil());
/// assert_eq!(values.get("note").unwrap().as_str(), Some("x,y"));
///
/// let err = parse_set("a", &values).unwrap_err();
/// assert_eq!(err.to_string(), "failed parsing --set data: key \"a\" has no value");
/// ```
pub fn parse_set(s: &str, into: &Map) -> Result<(), ValuesError> {
    strvals::parse_into(s, into, strvals::Mode::Typed).map_err(set_error(SetFlag::Set))
}

/// Applies one `--set-string` value to `into` (Helm's `strvals.ParseIntoString`): every value
/// is a string.
///
/// ```
/// use chart_core::Map;
/// use chart_core::values::overrides::parse_set_string;
///
/// let values = Map::new();
/// parse_set_string("port=8080,enabled=true", &values).unwrap();
/// assert_eq!(values.get("port").unwrap().as_str(), Some("8080"));
/// assert_eq!(values.get("enabled").unwrap().as_str(), Some("true"));
/// ```
pub fn parse_set_string(s: &str, into: &Map) -> Result<(), ValuesError> {
    strvals::parse_into(s, into, strvals::Mode::String).map_err(set_error(SetFlag::SetString))
}

/// Applies one `--set-literal` value to `into` (Helm's `strvals.ParseLiteralInto`): the key
/// is read without escapes up to the first `=`, and everything after it is the string.
///
/// ```
/// use chart_core::Map;
/// use chart_core::values::overrides::parse_set_literal;
///
/// let values = Map::new();
/// parse_set_literal(r"password=a,b=c\d", &values).unwrap();
/// assert_eq!(values.get("password").unwrap().as_str(), Some(r"a,b=c\d"));
/// ```
pub fn parse_set_literal(s: &str, into: &Map) -> Result<(), ValuesError> {
    strvals::parse_into(s, into, strvals::Mode::Literal).map_err(set_error(SetFlag::SetLiteral))
}

/// Applies one `--set-file` value to `into` (Helm's `strvals.ParseIntoFile`): each value is a
/// path, and the file's contents become the string. `read` is called as for
/// [`ValueOverrides::merge`]; bytes that are not UTF-8 become U+FFFD one byte at a time, as
/// Go's JSON and text output show them.
///
/// ```
/// use chart_core::Map;
/// use chart_core::values::overrides::parse_set_file;
///
/// let values = Map::new();
/// let read = |path: &str| match path {
///     "cert.pem" => Ok(b"-----BEGIN-----\n".to_vec()),
///     _ => Err(format!("open {path}: no such file or directory")),
/// };
/// parse_set_file("tls.cert=cert.pem", &values, &read).unwrap();
/// let err = parse_set_file("key=missing.pem", &values, &read).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "failed parsing --set-file data: open missing.pem: no such file or directory"
/// );
/// ```
pub fn parse_set_file(
    s: &str,
    into: &Map,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<(), ValuesError> {
    let contents = |path: &str| read_source(path, read).map(|bytes| go_string(&bytes));
    strvals::parse_into(s, into, strvals::Mode::File(&contents))
        .map_err(set_error(SetFlag::SetFile))
}

/// Applies one `--set-json` value to `into`. As in Helm 4, a value that starts with `{` (after
/// whitespace) is a whole JSON object, deep-merged like a values file; otherwise it is
/// Helm's `strvals.ParseJSON`: `key=json` pairs, where the JSON value ends where its syntax
/// ends, and an empty value is `null`. Numbers are `float64`.
///
/// ```
/// use chart_core::Map;
/// use chart_core::values::overrides::parse_set_json;
///
/// let values = Map::new();
/// parse_set_json(r#"a=[1,"x"],b={"c":true}"#, &values).unwrap();
/// parse_set_json(r#"{"b":{"d":null}}"#, &values).unwrap();
/// let b = values.get("b").unwrap();
/// assert_eq!(b.as_map().unwrap().keys(), ["c", "d"]);
///
/// let err = parse_set_json("a=abc", &values).unwrap_err();
/// assert_eq!(err.to_string(), "failed parsing --set-json data a=abc");
/// ```
pub fn parse_set_json(s: &str, into: &Map) -> Result<(), ValuesError> {
    // Go's strings.TrimSpace and Rust's trim agree: both trim Unicode White_Space.
    let trimmed = s.trim();
    if trimmed.starts_with('{') {
        let object_error = || ValuesError::SetJsonObject { value: s.into() };
        return match crate::json::decode(trimmed) {
            Ok(Value::Map(object)) => {
                merge_maps(into, &object);
                Ok(())
            }
            _ => Err(object_error()),
        };
    }
    strvals::parse_into(s, into, strvals::Mode::Json)
        .map_err(|_| ValuesError::SetJson { value: s.into() })
}

/// Helm's `MergeMaps(into, from)`, done in place: for each key of `from`, a map merges
/// recursively into a map already under that key; anything else (including nil and lists)
/// replaces it.
pub fn merge_maps(into: &Map, from: &Map) {
    for (key, value) in from.entries() {
        if let Value::Map(incoming) = &value
            && let Some(Value::Map(existing)) = into.get(&key)
            && existing.ty() == MapType::Any
            && incoming.ty() == MapType::Any
        {
            stacker::maybe_grow(64 * 1024, 1024 * 1024, || merge_maps(&existing, incoming));
            continue;
        }
        into.insert(key, value);
    }
}

/// Helm's `readFile`: `-` (once trimmed) is standard input, and the path must survive Go's
/// `url.Parse` before `read` sees it.
fn read_source(
    path: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, String> {
    if path.trim() == "-" {
        return read("-");
    }
    if let Some(message) = url::parse_error(path) {
        return Err(message);
    }
    read(path)
}

/// Reads and parses one `-f` file.
fn load_values_file(
    path: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<Map, ValuesError> {
    let bytes = read_source(path, read).map_err(|message| ValuesError::Read {
        path: path.into(),
        message,
    })?;
    let parse_error = |message: String| ValuesError::Parse {
        path: path.into(),
        message,
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => crate::yaml::load_values(text).map_err(|e| parse_error(e.0)),
        Err(e) => Err(parse_error(encoding_error(&bytes, e.valid_up_to()))),
    }
}

/// The error for a values file that is not UTF-8, whose first bad byte is at `bad`.
///
/// Helm splits the file into documents (at `---` lines) and go-yaml decodes each one
/// before parsing it, so the documents before the bad one are loaded first and their
/// errors win; then the bad document fails with go-yaml's decoding error. (go-yaml decodes
/// in 512-byte chunks, so a syntax error well before the bad byte of a long document would
/// win in Helm; that is not mirrored.)
fn encoding_error(bytes: &[u8], bad: usize) -> String {
    let valid = std::str::from_utf8(bytes.get(..bad).unwrap_or_default()).unwrap_or("");
    let doc_start = document_start(valid);
    let before = valid.get(..doc_start).unwrap_or("");
    if !before.is_empty()
        && let Err(e) = crate::yaml::load_values(before)
    {
        return e.0;
    }
    let problem = go_yaml_decoding_problem(bytes.get(doc_start..).unwrap_or_default());
    format!("cannot unmarshal yaml document: error converting YAML to JSON: yaml: {problem}")
}

/// The byte offset where the YAML document holding the end of `text` starts: just after
/// the last line that begins with `---` followed only by whitespace or a comment.
fn document_start(text: &str) -> usize {
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        if !line.ends_with('\n') {
            break;
        }
        if let Some(after) = line.strip_prefix("---") {
            let after = after.trim();
            if after.is_empty() || after.starts_with('#') {
                start = offset;
            }
        }
    }
    start
}

/// go-yaml's reader check of one document's bytes: the first character that is not
/// allowed in YAML, or the first malformed UTF-8 sequence. Helm's document reader ends
/// every line with `\n`, so a sequence cut by the end of the file meets that newline.
fn go_yaml_decoding_problem(doc: &[u8]) -> &'static str {
    let mut i = 0;
    while let Some(&lead) = doc.get(i) {
        let width = match lead {
            b if b & 0x80 == 0 => 1,
            b if b & 0xE0 == 0xC0 => 2,
            b if b & 0xF0 == 0xE0 => 3,
            b if b & 0xF8 == 0xF0 => 4,
            _ => return "invalid leading UTF-8 octet",
        };
        let mut value = u32::from(match width {
            1 => lead & 0x7F,
            2 => lead & 0x1F,
            3 => lead & 0x0F,
            _ => lead & 0x07,
        });
        for k in 1..width {
            let trailing = doc.get(i + k).copied().unwrap_or(b'\n');
            if trailing & 0xC0 != 0x80 {
                return "invalid trailing UTF-8 octet";
            }
            value = (value << 6) | u32::from(trailing & 0x3F);
        }
        let shortest = match width {
            1 => true,
            2 => value >= 0x80,
            3 => value >= 0x800,
            _ => value >= 0x10000,
        };
        if !shortest {
            return "invalid length of a UTF-8 sequence";
        }
        if (0xD800..=0xDFFF).contains(&value) || value > 0x10FFFF {
            return "invalid Unicode character";
        }
        let allowed = matches!(value, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
        if !allowed {
            return "control characters are not allowed";
        }
        i += width;
    }
    // Unreachable for bytes that are not UTF-8; kept total.
    "invalid leading UTF-8 octet"
}

/// Go's `string(bytes)` as JSON and text output show it: each byte of a malformed
/// sequence becomes U+FFFD.
fn go_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                return out;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or(""));
                let bad = e.error_len().unwrap_or(after.len());
                out.extend(std::iter::repeat_n('\u{FFFD}', bad));
                rest = after.get(bad..).unwrap_or_default();
            }
        }
    }
}

/// Go's `%q` of a string (`strconv.Quote`).
fn go_quote(s: &str) -> String {
    crate::gofmt::quote(s)
}

/// Go's `%q` of a `[]rune`: `['x' 'y']`.
fn go_quote_runes(s: &str) -> String {
    let runes = s
        .chars()
        .map(|c| Value::Int(i64::from(u32::from(c)), crate::value::IntType::Int32))
        .collect();
    crate::gofmt::sprintf("%q", &[Value::List(List::with_type(ListType::Any, runes))])
}
