//! From values to emitter nodes, as Helm's two YAML writers see them.
//!
//! `toYaml` (sigs.k8s.io/yaml over go-yaml v2) marshals to JSON first and reads the JSON back
//! with go-yaml: objects become what they marshal to, `[]byte` becomes base64 text, and
//! numbers become what their JSON text resolves to (integral floats turn into integers, floats
//! too large for `uint64` stay floats, `1e+20`). `toYamlPretty` (go-yaml v3) encodes the Go
//! values directly: a `float64` keeps Go's `%g` form (`1e+06`).
//!
//! Both quote a string whenever its plain text would read back as something else under
//! YAML 1.1 (`"yes"`, `"012"`, `"1:20"`, `"2001-12-14"`), write multi-line strings as literal
//! blocks, and sort mapping keys in go-yaml's natural order, where runs of digits compare as
//! numbers and other characters sort before letters.

use super::decode::{self, GoValue};
use super::emit::{Node, Style, Text};
use super::parse;
use super::resolve::{self, Resolved};
use crate::json::{JsonError, base64_encode, float_text, format_float};
use crate::value::{Map, Value};

/// How deep objects may return objects from `to_json_value` before we give up.
const MAX_OBJECT_NESTING: usize = 64;

/// Which of Helm's YAML writers to mirror.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `toYaml`: through JSON, then go-yaml v2.
    Json,
    /// `toYamlPretty`: go-yaml v3 on the Go values.
    Direct,
}

/// Why a value could not be written.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Marshalling to JSON failed (`json: unsupported value: NaN`), or go-yaml v3 refused a
    /// type.
    Json(JsonError),
    /// go-yaml could not read the JSON back (`yaml: control characters are not allowed`).
    Yaml(String),
}

impl From<JsonError> for Failure {
    fn from(e: JsonError) -> Failure {
        Failure::Json(e)
    }
}

/// go-yaml's nesting limit, which the JSON round trip runs into.
const MAX_DEPTH: usize = 10000;

/// Builds the emitter tree for `v`.
pub(crate) fn represent(v: &Value, flavor: Flavor) -> Result<Node, Failure> {
    let mut r = Representer {
        flavor,
        path: Vec::new(),
        object_nesting: 0,
        depth: 0,
        round_trip: false,
    };
    let node = r.node(v)?;
    if r.round_trip {
        // Some text does not survive go-yaml reading the JSON back (a raw NEL is a line
        // break inside a quoted scalar, DEL and C1 controls are refused, keys longer than
        // 1024 characters cannot be simple keys): take the slow path through the text.
        return through_json_text(v);
    }
    Ok(node)
}

/// sigs.k8s.io/yaml's `JSONToYAML` literally: the JSON text read by go-yaml, then written.
fn through_json_text(v: &Value) -> Result<Node, Failure> {
    let text = crate::json::encode(v)?;
    let document = parse::first_document(&text).map_err(Failure::Yaml)?;
    let Some(mut document) = document else {
        return Ok(plain("null"));
    };
    let go = decode::to_go(&mut document).map_err(Failure::Yaml)?;
    Ok(go_node(go))
}

fn go_node(v: GoValue) -> Node {
    super::deep(|| go_node_inner(v))
}

fn go_node_inner(v: GoValue) -> Node {
    match v {
        GoValue::Nil => plain("null"),
        GoValue::Bool(b) => plain(if b { "true" } else { "false" }),
        GoValue::Int(i) => plain(i.to_string()),
        GoValue::Uint(u) => plain(u.to_string()),
        GoValue::Float(f) => plain(yaml_float(f)),
        GoValue::Str(bytes) => string_node(Text::Owned(decode::go_lossy_string(bytes))),
        GoValue::Seq(items) => Node::Sequence(items.into_iter().map(go_node).collect()),
        GoValue::Map(m) => {
            let pairs = m
                .entries
                .into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        GoValue::Str(bytes) => decode::go_lossy_string(bytes),
                        other => match go_node(other) {
                            Node::Scalar(text, _) => text.to_string(),
                            _ => String::new(),
                        },
                    };
                    (key, go_node(v))
                })
                .collect();
            Node::Mapping(
                sort_keys(pairs, Flavor::Json)
                    .into_iter()
                    .map(|(k, v)| (string_node(Text::Owned(k)), v))
                    .collect(),
            )
        }
    }
}

/// Whether go-yaml would read this string back differently from JSON, or refuse it.
fn unsafe_in_json_text(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}'))
}

struct Representer {
    flavor: Flavor,
    path: Vec<Map>,
    object_nesting: usize,
    depth: usize,
    /// The value needs the exact JSON text round trip (only for [`Flavor::Json`]).
    round_trip: bool,
}

impl Representer {
    fn node(&mut self, v: &Value) -> Result<Node, Failure> {
        if self.depth >= MAX_DEPTH {
            return Err(Failure::Yaml(format!(
                "yaml: exceeded max depth of {MAX_DEPTH}"
            )));
        }
        self.depth += 1;
        let result = super::deep(|| self.node_inner(v));
        self.depth -= 1;
        result
    }

    fn string(&mut self, s: Text) -> Node {
        if self.flavor == Flavor::Json && unsafe_in_json_text(&s) {
            self.round_trip = true;
        }
        string_node(s)
    }

    fn node_inner(&mut self, v: &Value) -> Result<Node, Failure> {
        Ok(match v {
            Value::Invalid | Value::Nil => plain("null"),
            Value::Bool(b) => plain(if *b { "true" } else { "false" }),
            Value::Int(i, _) => plain(i.to_string()),
            Value::Uint(u, _) => plain(u.to_string()),
            Value::Float(f) => match self.flavor {
                Flavor::Json => plain(json_number(*f)?),
                Flavor::Direct => plain(yaml_float(*f)),
            },
            Value::Complex(..) => {
                return Err(Failure::Json(JsonError(match self.flavor {
                    Flavor::Json => "json: unsupported type: complex128".to_string(),
                    Flavor::Direct => "cannot marshal type: complex128".to_string(),
                })));
            }
            Value::String(s) => self.string(Text::Shared(s.clone())),
            Value::Bytes(b) => match self.flavor {
                Flavor::Json => string_node(Text::Owned(base64_encode(b))),
                // go-yaml v3 writes a byte slice like any other slice.
                Flavor::Direct => Node::Sequence(b.iter().map(|x| plain(x.to_string())).collect()),
            },
            Value::List(l) => {
                let mut items = Vec::with_capacity(l.len());
                for item in l.items() {
                    items.push(self.node(item)?);
                }
                Node::Sequence(items)
            }
            Value::Map(m) => self.map(m, false)?,
            Value::Object(o) => {
                if self.object_nesting >= MAX_OBJECT_NESTING {
                    return Err(Failure::Json(JsonError(format!(
                        "json: unsupported value: encountered a cycle via {}",
                        o.type_name()
                    ))));
                }
                self.object_nesting += 1;
                let inner = o.to_json_value();
                let result = match (&inner, self.flavor) {
                    // go-yaml v3 writes a time as a plain timestamp.
                    (Value::String(s), Flavor::Direct) if o.type_name() == "time.Time" => {
                        Ok(Node::Scalar(Text::Shared(s.clone()), Style::Plain))
                    }
                    // go-yaml v3 names struct fields in lower case.
                    (Value::Map(m), Flavor::Direct) => self.map(m, true),
                    _ => self.node(&inner),
                };
                self.object_nesting -= 1;
                result?
            }
        })
    }

    fn map(&mut self, m: &Map, lowercase_keys: bool) -> Result<Node, Failure> {
        if self.path.iter().any(|p| p.ptr_eq(m)) {
            return Err(Failure::Json(JsonError(format!(
                "json: unsupported value: encountered a cycle via {}",
                m.ty().name()
            ))));
        }
        self.path.push(m.clone());
        let result: Result<Vec<(String, Node)>, Failure> = m.with_entries(|entries| {
            let mut pairs = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                let key = if lowercase_keys {
                    k.to_lowercase()
                } else {
                    k.to_string()
                };
                if self.flavor == Flavor::Json && (key.len() > 1000 || unsafe_in_json_text(&key)) {
                    self.round_trip = true;
                }
                pairs.push((key, self.node(v)?));
            }
            Ok(pairs)
        });
        self.path.pop();
        let pairs = result?;
        let sorted = sort_keys(pairs, self.flavor);
        Ok(Node::Mapping(
            sorted
                .into_iter()
                .map(|(k, v)| (self.string(Text::Owned(k)), v))
                .collect(),
        ))
    }
}

fn plain(s: impl Into<PlainText>) -> Node {
    Node::Scalar(s.into().0, Style::Plain)
}

/// Text for a plain scalar: a literal word or a formatted number.
struct PlainText(Text);

impl From<&'static str> for PlainText {
    fn from(s: &'static str) -> PlainText {
        PlainText(Text::Static(s))
    }
}

impl From<String> for PlainText {
    fn from(s: String) -> PlainText {
        PlainText(Text::Owned(s))
    }
}

/// go-yaml's choice for a string: a literal block when it spans lines, double quotes when the
/// plain text would resolve to another type, plain otherwise (the emitter may still quote).
fn string_node(s: Text) -> Node {
    let style = if s.contains('\n') {
        Style::Literal
    } else if resolve::needs_quotes(&s) {
        Style::DoubleQuoted
    } else {
        Style::Plain
    };
    Node::Scalar(s, style)
}

/// The YAML text of a float after the JSON round trip: the JSON number read back by
/// go-yaml, which types integral numbers as `int` or `uint64` when they fit.
fn json_number(f: f64) -> Result<String, JsonError> {
    // Integral floats below 2^53 print as the integer (JSON text `1000000`, read back as an
    // `int`); this is the common case and needs no round trip through text.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        #[allow(clippy::cast_possible_truncation)]
        return Ok((f as i64).to_string());
    }
    let text = float_text(f)?;
    Ok(match resolve::resolve_plain(&text) {
        Resolved::Int(i) => i.to_string(),
        Resolved::Uint(u) => u.to_string(),
        Resolved::Float(g) => yaml_float(g),
        _ => text,
    })
}

/// go-yaml's float text: `strconv.FormatFloat(f, 'g', -1, 64)` with YAML's specials.
fn yaml_float(f: f64) -> String {
    if f.is_nan() {
        ".nan".to_string()
    } else if f == f64::INFINITY {
        ".inf".to_string()
    } else if f == f64::NEG_INFINITY {
        "-.inf".to_string()
    } else {
        format_float(f, b'g', 64)
    }
}

/// Sorts string keys in go-yaml's natural order (v2's for `toYaml`, v3's for
/// `toYamlPretty`).
///
/// The order is not transitive for some sets of keys mixing leading zeros, digits and
/// letters (`0071`, `0z`, `9x`); Go sorts those in map iteration order, which is random, so
/// Helm's output for them varies from run to run.
pub(crate) fn sort_keys<T>(mut pairs: Vec<(String, T)>, flavor: Flavor) -> Vec<(String, T)> {
    let after_digit = flavor == Flavor::Direct;
    let less = |a: &(String, T), b: &(String, T)| key_less(&a.0, &b.0, after_digit);
    // Keys come in byte order, which often already is go-yaml's order.
    if pairs.windows(2).all(|w| !less(&w[1], &w[0])) {
        return pairs;
    }
    merge_sort(&mut pairs, &less);
    pairs
}

/// [`natural_less`] on two keys, without copying ASCII keys.
fn key_less(a: &str, b: &str, letters_first_after_digit: bool) -> bool {
    if a.is_ascii() && b.is_ascii() {
        natural_less(a.as_bytes(), b.as_bytes(), letters_first_after_digit)
    } else {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        natural_less(&a, &b, letters_first_after_digit)
    }
}

/// A stable merge sort that only needs a "less" relation and never panics, even when the
/// relation is not a strict order.
fn merge_sort<T>(items: &mut Vec<T>, less: &dyn Fn(&T, &T) -> bool) {
    if items.len() <= 1 {
        return;
    }
    let mut right = items.split_off(items.len() / 2);
    merge_sort(items, less);
    merge_sort(&mut right, less);
    let left = std::mem::take(items);
    items.reserve(left.len() + right.len());
    let mut l = left.into_iter().peekable();
    let mut r = right.into_iter().peekable();
    loop {
        let take_right = match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => less(b, a),
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (None, None) => break,
        };
        let next = if take_right { r.next() } else { l.next() };
        if let Some(item) = next {
            items.push(item);
        }
    }
}

/// go-yaml's key order for strings: at the first difference, two letters compare as
/// characters, a letter sorts after a non-letter (go-yaml v3: before it when the equal part
/// ends in a digit), and otherwise the runs of digits starting there compare as numbers (a
/// shorter run first when equal, then by character).
pub(crate) fn natural_less<C: Copy + Into<char>>(
    a: &[C],
    b: &[C],
    letters_first_after_digit: bool,
) -> bool {
    let ch = |s: &[C], i: usize| s.get(i).map(|&c| c.into());
    let mut after_digit = false;
    for i in 0..a.len().min(b.len()) {
        let (Some(ca), Some(cb)) = (ch(a, i), ch(b, i)) else {
            break;
        };
        if ca == cb {
            after_digit = ca.is_ascii_digit();
            continue;
        }
        let (la, lb) = (ca.is_alphabetic(), cb.is_alphabetic());
        if la && lb {
            return ca < cb;
        }
        if la || lb {
            return if letters_first_after_digit && after_digit {
                la
            } else {
                lb
            };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ca == '0' || cb == '0' {
            // A zero inside a number that already has a non-zero digit is an ordinary
            // digit, not a leading zero.
            if a.get(..i)
                .unwrap_or_default()
                .iter()
                .map(|&c| c.into())
                .rev()
                .take_while(char::is_ascii_digit)
                .any(|c: char| c != '0')
            {
                an = 1;
                bn = 1;
            }
        }
        let mut ai = i;
        while let Some(d) = ch(a, ai).and_then(|c| c.to_digit(10)) {
            an = an.wrapping_mul(10).wrapping_add(i64::from(d));
            ai += 1;
        }
        let mut bi = i;
        while let Some(d) = ch(b, bi).and_then(|c| c.to_digit(10)) {
            bn = bn.wrapping_mul(10).wrapping_add(i64::from(d));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ca < cb;
    }
    a.len() < b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_matches_go_yaml() {
        let keys = [
            "b", "a10", "a9", "a2", "A", "_x", "10", "9", "ab", "aB", "a", "a.b", "a-b", "",
            "x1y10", "x1y9", "x01", "x1",
        ];
        let sorted: Vec<String> = sort_keys(
            keys.iter().map(|k| (k.to_string(), ())).collect(),
            Flavor::Json,
        )
        .into_iter()
        .map(|p| p.0)
        .collect();
        assert_eq!(
            sorted,
            [
                "", "_x", "9", "10", "A", "a", "a-b", "a.b", "a2", "a9", "a10", "aB", "ab", "b",
                "x1", "x1y9", "x1y10", "x01"
            ]
        );
    }
}
