//! Turning a parsed document into values: go-yaml v2's decoding into an `interface {}`, then
//! sigs.k8s.io/yaml's conversion to JSON.
//!
//! go-yaml builds `map[interface {}]interface {}` trees: keys keep their YAML type, a
//! duplicate key overwrites the earlier one, and `<<` merges a mapping (or a list of them)
//! into the mapping being built *at the point where it appears*, so an explicit key written
//! before the merge is overwritten by it and one written after wins. Aliases are expanded
//! (a copy per use, as Go's decoder builds a fresh map each time) under go-yaml's budget
//! against alias bombs.
//!
//! sigs.k8s.io/yaml then turns keys into strings (`true`, `1`, and floats through
//! `FormatFloat(f, 'g', -1, 32)`, so `1.10:` becomes `"1.1"`), refuses null and unsigned keys
//! with its `unsupported map key of type` message, and marshals to JSON, which refuses
//! NaN and infinities.

use std::collections::HashMap;

use super::parse::{Document, Node};
use super::resolve::{self, BINARY_TAG, MERGE_TAG, Resolved};
use crate::json::{format_float, go_quote_rune};
use crate::value::{IntType, Key, List, Map, MapType, UintType, Value};

/// A value as go-yaml v2 decodes it into an `interface {}`.
#[derive(Clone, Debug)]
pub(crate) enum GoValue {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// A Go string; `!!binary` data may hold bytes that are not UTF-8.
    Str(Vec<u8>),
    Seq(Vec<GoValue>),
    Map(GoMap),
}

/// A `map[interface {}]interface {}` in insertion order, with Go's key equality.
#[derive(Clone, Debug, Default)]
pub(crate) struct GoMap {
    pub(crate) entries: Vec<(GoValue, GoValue)>,
    /// Key hash to the index of an entry with that hash, once the map is big enough for a
    /// linear scan to hurt.
    index: HashMap<u64, usize>,
}

/// Maps with more entries than this are indexed by key hash.
const INDEX_FROM: usize = 16;

/// Go's map key equality for decoded keys: same type and value; NaN equals nothing.
fn same_key(a: &GoValue, b: &GoValue) -> bool {
    match (a, b) {
        (GoValue::Nil, GoValue::Nil) => true,
        (GoValue::Bool(x), GoValue::Bool(y)) => x == y,
        (GoValue::Int(x), GoValue::Int(y)) => x == y,
        (GoValue::Uint(x), GoValue::Uint(y)) => x == y,
        #[allow(clippy::float_cmp)]
        (GoValue::Float(x), GoValue::Float(y)) => x == y,
        (GoValue::Str(x), GoValue::Str(y)) => x == y,
        _ => false,
    }
}

/// A hash consistent with [`same_key`]; `None` for keys equal to nothing (NaN, collections).
fn key_hash(k: &GoValue) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match k {
        GoValue::Nil => 0u8.hash(&mut h),
        GoValue::Bool(b) => (1u8, b).hash(&mut h),
        GoValue::Int(i) => (2u8, i).hash(&mut h),
        GoValue::Uint(u) => (3u8, u).hash(&mut h),
        GoValue::Float(f) if f.is_nan() => return None,
        // 0.0 and -0.0 are the same key.
        GoValue::Float(f) => (4u8, if *f == 0.0 { 0 } else { f.to_bits() }).hash(&mut h),
        GoValue::Str(s) => (5u8, s).hash(&mut h),
        GoValue::Seq(_) | GoValue::Map(_) => return None,
    }
    Some(h.finish())
}

impl GoMap {
    /// Sets `key` to `value`, replacing the value of an equal key (last one wins).
    fn insert(&mut self, key: GoValue, value: GoValue) {
        if let Some(i) = self.find(&key) {
            if let Some(slot) = self.entries.get_mut(i) {
                slot.1 = value;
            }
            return;
        }
        if self.entries.len() >= INDEX_FROM {
            if self.index.is_empty() {
                for (i, (k, _)) in self.entries.iter().enumerate() {
                    if let Some(h) = key_hash(k) {
                        self.index.insert(h, i);
                    }
                }
            }
            if let Some(h) = key_hash(&key) {
                self.index.insert(h, self.entries.len());
            }
        }
        self.entries.push((key, value));
    }

    fn find(&self, key: &GoValue) -> Option<usize> {
        if self.index.is_empty() {
            return self.entries.iter().position(|(k, _)| same_key(k, key));
        }
        let h = key_hash(key)?;
        match self.index.get(&h) {
            Some(&i) if self.entries.get(i).is_some_and(|(k, _)| same_key(k, key)) => Some(i),
            // A hash collision: fall back to scanning.
            Some(_) => self.entries.iter().position(|(k, _)| same_key(k, key)),
            None => None,
        }
    }
}

fn take_or_copy(children: &mut Vec<usize>, shared: bool) -> Vec<usize> {
    if shared {
        children.clone()
    } else {
        std::mem::take(children)
    }
}

/// go-yaml's defence against alias bombs: once more than 100 of at least 1000 decoded nodes
/// come from alias expansion, the share allowed shrinks from 99% (up to 400000 nodes) to
/// 10% (from 4000000).
fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

/// go-yaml v2's decoder.
struct Decoder<'d> {
    doc: &'d mut Document,
    decode_count: u64,
    alias_count: u64,
    alias_depth: u32,
    /// The alias nodes being expanded, to refuse an anchor that contains itself.
    expanding: Vec<usize>,
}

/// Decodes the document into go-yaml's `interface {}` tree. Errors are go-yaml messages
/// (`yaml: ...`).
pub(crate) fn to_go(doc: &mut Document) -> Result<GoValue, String> {
    let root = doc.root;
    let mut d = Decoder {
        doc,
        decode_count: 0,
        alias_count: 0,
        alias_depth: 0,
        expanding: Vec::new(),
    };
    d.decode(root)
}

impl Decoder<'_> {
    fn count(&mut self) -> Result<(), String> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err("yaml: document contains excessive aliasing".to_string());
        }
        Ok(())
    }

    fn node(&self, id: usize) -> Result<&Node, String> {
        self.doc
            .nodes
            .get(id)
            .ok_or_else(|| "yaml: unknown problem parsing YAML content".to_string())
    }

    fn decode(&mut self, id: usize) -> Result<GoValue, String> {
        super::deep(|| self.decode_inner(id))
    }

    fn decode_inner(&mut self, id: usize) -> Result<GoValue, String> {
        self.count()?;
        // A node no alias can reach is decoded once, so its text and children can be moved
        // out instead of copied.
        let shared = self.doc.shared.get(id).copied().unwrap_or(true);
        match self.doc.nodes.get_mut(id) {
            None => Err("yaml: unknown problem parsing YAML content".to_string()),
            Some(Node::Alias { name, target }) => {
                let (name, target) = (name.clone(), *target);
                self.alias(id, &name, target, |d, t| d.decode(t))
            }
            Some(Node::Scalar {
                value,
                tag,
                implicit,
            }) => {
                let text = if shared {
                    value.clone()
                } else {
                    std::mem::take(value)
                };
                scalar(text, tag, *implicit)
            }
            Some(Node::Sequence(children)) => {
                let children = take_or_copy(children, shared);
                let mut items = Vec::with_capacity(children.len());
                for c in children {
                    items.push(self.decode(c)?);
                }
                Ok(GoValue::Seq(items))
            }
            Some(Node::Mapping(children)) => {
                let children = take_or_copy(children, shared);
                let mut map = GoMap::default();
                self.fill(&mut map, &children)?;
                Ok(GoValue::Map(map))
            }
        }
    }

    fn alias<T>(
        &mut self,
        id: usize,
        name: &str,
        target: usize,
        f: impl FnOnce(&mut Self, usize) -> Result<T, String>,
    ) -> Result<T, String> {
        if self.expanding.contains(&id) {
            return Err(format!("yaml: anchor '{name}' value contains itself"));
        }
        self.expanding.push(id);
        self.alias_depth += 1;
        let result = f(self, target);
        self.alias_depth -= 1;
        self.expanding.pop();
        result
    }

    /// Adds a mapping's pairs to `map`, applying merge keys where they appear.
    fn fill(&mut self, map: &mut GoMap, children: &[usize]) -> Result<(), String> {
        for pair in children.chunks(2) {
            let (&k, v) = match pair {
                [k, v] => (k, *v),
                _ => continue,
            };
            if self.is_merge(k)? {
                self.merge(map, v)?;
                continue;
            }
            let key = self.decode(k)?;
            if matches!(key, GoValue::Seq(_) | GoValue::Map(_)) {
                return Err(format!("yaml: invalid map key: {}", go_syntax(&key)));
            }
            let value = self.decode(v)?;
            map.insert(key, value);
        }
        Ok(())
    }

    fn is_merge(&self, id: usize) -> Result<bool, String> {
        Ok(match self.node(id)? {
            Node::Scalar {
                value,
                tag,
                implicit,
            } => value == "<<" && (*implicit || tag == MERGE_TAG),
            _ => false,
        })
    }

    /// The mapping kind of a node, looking through one alias as go-yaml does.
    fn is_mapping(&self, id: usize) -> Result<bool, String> {
        Ok(match self.node(id)? {
            Node::Mapping(_) => true,
            Node::Alias { target, .. } => matches!(self.node(*target)?, Node::Mapping(_)),
            _ => false,
        })
    }

    /// Decodes a merged mapping straight into `map` (go-yaml unmarshals it into the map
    /// being built, overwriting keys already there).
    fn merge_one(&mut self, map: &mut GoMap, id: usize) -> Result<(), String> {
        self.count()?;
        let shared = self.doc.shared.get(id).copied().unwrap_or(true);
        match self.doc.nodes.get_mut(id) {
            Some(Node::Mapping(children)) => {
                let children = take_or_copy(children, shared);
                self.fill(map, &children)
            }
            Some(Node::Alias { name, target }) => {
                let (name, target) = (name.clone(), *target);
                self.alias(id, &name, target, |d, t| d.merge_one(map, t))
            }
            _ => Err(WANT_MAP.to_string()),
        }
    }

    fn merge(&mut self, map: &mut GoMap, id: usize) -> Result<(), String> {
        match self.node(id)? {
            Node::Mapping(_) | Node::Alias { .. } => {
                if !self.is_mapping(id)? {
                    return Err(WANT_MAP.to_string());
                }
                self.merge_one(map, id)
            }
            Node::Sequence(items) => {
                // Earlier mappings take precedence, so they are applied last.
                let items = items.clone();
                for &item in items.iter().rev() {
                    if !self.is_mapping(item)? {
                        return Err(WANT_MAP.to_string());
                    }
                    self.merge_one(map, item)?;
                }
                Ok(())
            }
            Node::Scalar { .. } => Err(WANT_MAP.to_string()),
        }
    }
}

const WANT_MAP: &str = "yaml: map merge requires map or sequence of maps as the value";

/// Decodes a scalar into an `interface {}`.
fn scalar(value: String, tag: &str, implicit: bool) -> Result<GoValue, String> {
    if tag.is_empty() && !implicit {
        // A quoted or block scalar without a tag is always a string.
        return Ok(GoValue::Str(value.into_bytes()));
    }
    if tag == BINARY_TAG {
        return match base64_decode(&value) {
            Some(bytes) => Ok(GoValue::Str(bytes)),
            None => Err("yaml: !!binary value contains invalid base64 data".to_string()),
        };
    }
    Ok(
        match resolve::resolve(tag, &value).map_err(|m| format!("yaml: {m}"))? {
            Resolved::Null => GoValue::Nil,
            Resolved::Bool(b) => GoValue::Bool(b),
            Resolved::Int(i) => GoValue::Int(i),
            Resolved::Uint(u) => GoValue::Uint(u),
            Resolved::Float(f) => GoValue::Float(f),
            Resolved::Str | Resolved::Timestamp | Resolved::Merge => {
                GoValue::Str(value.into_bytes())
            }
        },
    )
}

/// Go's `base64.StdEncoding.DecodeString`: padding required, `\r` and `\n` skipped.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut sextets = Vec::with_capacity(text.len());
    let mut padding = 0;
    for c in text.bytes() {
        let v = match c {
            b'\r' | b'\n' => continue,
            b'=' => {
                padding += 1;
                continue;
            }
            _ if padding > 0 => return None,
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        sextets.push(v);
    }
    if (sextets.len() + padding) % 4 != 0
        || padding > 2
        || (padding > 0 && sextets.len() % 4 + padding != 4)
    {
        return None;
    }
    let mut out = Vec::with_capacity(sextets.len() / 4 * 3);
    for chunk in sextets.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &s)| acc | (u32::from(s) << (18 - 6 * i)));
        let bytes = n.to_be_bytes();
        // A group of 4, 3 or 2 characters carries 3, 2 or 1 bytes.
        let keep = chunk.len().saturating_sub(1);
        out.extend_from_slice(bytes.get(1..=keep).unwrap_or_default());
    }
    Some(out)
}

/// How numbers come out of the JSON conversion.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Numbers {
    /// Decoded into an `interface {}`: every number is a `float64`.
    Float64,
    /// Kept as go-yaml typed them: `int64`, `uint64` or `float64` (the typed Chart.yaml path,
    /// where the caller coerces them to its field types).
    Typed,
}

/// sigs.k8s.io/yaml's YAML-to-JSON conversion of a decoded document, then JSON decoding.
/// Errors are the text after `error converting YAML to JSON: `.
pub(crate) fn to_json_value(v: GoValue, numbers: Numbers) -> Result<Value, String> {
    let mut non_finite = false;
    let value = convert(v, numbers, &mut non_finite)?;
    if non_finite {
        // json.Marshal visits map keys in sorted order and fails on the first NaN or
        // infinity it meets.
        if let Some(f) = first_non_finite(&value) {
            return Err(format!(
                "json: unsupported value: {}",
                format_float(f, b'g', 64)
            ));
        }
    }
    Ok(value)
}

fn convert(v: GoValue, numbers: Numbers, non_finite: &mut bool) -> Result<Value, String> {
    super::deep(|| convert_inner(v, numbers, non_finite))
}

fn convert_inner(v: GoValue, numbers: Numbers, non_finite: &mut bool) -> Result<Value, String> {
    Ok(match v {
        GoValue::Nil => Value::Nil,
        GoValue::Bool(b) => Value::Bool(b),
        GoValue::Int(i) => match numbers {
            Numbers::Float64 => Value::Float(i as f64),
            Numbers::Typed => Value::Int(i, IntType::Int64),
        },
        GoValue::Uint(u) => match numbers {
            Numbers::Float64 => Value::Float(u as f64),
            Numbers::Typed => Value::Uint(u, UintType::Uint64),
        },
        GoValue::Float(f) => {
            if !f.is_finite() {
                *non_finite = true;
            }
            Value::Float(f)
        }
        GoValue::Str(bytes) => Value::String(go_lossy_string(bytes).into()),
        GoValue::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(convert(item, numbers, non_finite)?);
            }
            Value::List(List::new(out))
        }
        GoValue::Map(map) => {
            // Collected, then sorted once: inserting key by key would shift the entries for
            // every key out of order, which adds up on a big table.
            let mut pairs: Vec<(Key, Value)> = Vec::with_capacity(map.entries.len());
            for (k, v) in map.entries {
                let key = match k {
                    // The common case: the key's bytes move into the map.
                    GoValue::Str(bytes) => bytes,
                    k => match key_string(&k) {
                        Some(key) => key,
                        None => {
                            return Err(format!(
                                "unsupported map key of type: {}, key: {}, value: {}",
                                go_type_name(&k),
                                go_syntax(&k),
                                go_syntax(&v)
                            ));
                        }
                    },
                };
                let value = convert(v, numbers, non_finite)?;
                pairs.push((go_lossy_string(key).into(), value));
            }
            Value::Map(Map::from_entries(MapType::Any, pairs.into_iter().collect()))
        }
    })
}

/// sigs.k8s.io/yaml's key stringification; `None` for the key types it refuses.
fn key_string(k: &GoValue) -> Option<Vec<u8>> {
    Some(match k {
        GoValue::Str(s) => s.clone(),
        GoValue::Int(i) => i.to_string().into_bytes(),
        GoValue::Bool(b) => if *b { "true" } else { "false" }.as_bytes().to_vec(),
        GoValue::Float(f) => float32_key(*f).into_bytes(),
        GoValue::Nil | GoValue::Uint(_) | GoValue::Seq(_) | GoValue::Map(_) => return None,
    })
}

/// A float as sigs.k8s.io/yaml writes it for a key or a string field:
/// `strconv.FormatFloat(f, 'g', -1, 32)`, with YAML's spellings of the specials.
pub(crate) fn float32_key(f: f64) -> String {
    let s = format_float(f, b'g', 32);
    match s.as_str() {
        "+Inf" => ".inf".to_string(),
        "-Inf" => "-.inf".to_string(),
        "NaN" => ".nan".to_string(),
        _ => s,
    }
}

/// The first NaN or infinity in JSON's traversal order (map keys sorted).
fn first_non_finite(v: &Value) -> Option<f64> {
    super::deep(|| first_non_finite_inner(v))
}

fn first_non_finite_inner(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) if !f.is_finite() => Some(*f),
        Value::List(l) => l.items().iter().find_map(first_non_finite),
        Value::Map(m) => m.with_entries(|e| e.values().find_map(first_non_finite)),
        _ => None,
    }
}

/// Bytes as Go's JSON encoder writes them: each byte that is not part of valid UTF-8
/// becomes U+FFFD.
pub(crate) fn go_lossy_string(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let bytes = e.into_bytes();
            let mut out = String::with_capacity(bytes.len());
            let mut rest = bytes.as_slice();
            while !rest.is_empty() {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let (good, bad) = rest.split_at(e.valid_up_to());
                        out.push_str(std::str::from_utf8(good).unwrap_or_default());
                        out.push('\u{FFFD}');
                        // Go's decoder consumes one byte of an invalid sequence at a time.
                        rest = bad.get(1..).unwrap_or_default();
                    }
                }
            }
            out
        }
    }
}

/// Go's `strconv.Quote` of a string's bytes: invalid UTF-8 bytes as `\xff`.
fn go_quote(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    let mut rest = bytes;
    while !rest.is_empty() {
        let valid = match std::str::from_utf8(rest) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(rest.get(..e.valid_up_to()).unwrap_or_default())
                .unwrap_or_default(),
        };
        for c in valid.chars() {
            out.push_str(&go_quote_rune(c));
        }
        rest = rest.get(valid.len()..).unwrap_or_default();
        if let Some((&bad, tail)) = rest.split_first() {
            out.push_str(&format!("\\x{bad:02x}"));
            rest = tail;
        }
    }
    out.push('"');
    out
}

/// The Go type name printed by `%s` of `reflect.TypeOf(k)`.
fn go_type_name(v: &GoValue) -> &'static str {
    match v {
        GoValue::Nil => "%!s(<nil>)",
        GoValue::Bool(_) => "bool",
        GoValue::Int(_) => "int",
        GoValue::Uint(_) => "uint64",
        GoValue::Float(_) => "float64",
        GoValue::Str(_) => "string",
        GoValue::Seq(_) => "[]interface {}",
        GoValue::Map(_) => "map[interface {}]interface {}",
    }
}

/// Go's `%#v` (also `%+#v`) of a decoded value, for error messages.
fn go_syntax(v: &GoValue) -> String {
    let mut out = String::new();
    write_go_syntax(&mut out, v, true);
    out
}

fn write_go_syntax(out: &mut String, v: &GoValue, top: bool) {
    super::deep(|| write_go_syntax_inner(out, v, top));
}

fn write_go_syntax_inner(out: &mut String, v: &GoValue, top: bool) {
    match v {
        GoValue::Nil => out.push_str(if top { "<nil>" } else { "interface {}(nil)" }),
        GoValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        GoValue::Int(i) => out.push_str(&i.to_string()),
        GoValue::Uint(u) => out.push_str(&format!("0x{u:x}")),
        GoValue::Float(f) => out.push_str(&format_float(*f, b'g', 64)),
        GoValue::Str(s) => out.push_str(&go_quote(s)),
        GoValue::Seq(items) => {
            out.push_str("[]interface {}{");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_go_syntax(out, item, false);
            }
            out.push('}');
        }
        GoValue::Map(m) => {
            out.push_str("map[interface {}]interface {}{");
            for (i, (k, v)) in m.entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_go_syntax(out, k, false);
                out.push(':');
                write_go_syntax(out, v, false);
            }
            out.push('}');
        }
    }
}
