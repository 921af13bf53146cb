//! Decoding JSON into values, as Go's `json.Unmarshal` into an `interface {}` does.
//!
//! Go validates the whole input with its scanner before decoding anything, so a syntax error
//! anywhere wins over a type error. The parser here is a single iterative pass that reports
//! the same syntax errors at the same bytes (`invalid character 'x' after object key`,
//! `unexpected end of JSON input`) and, like Go, only records the first type error (a number
//! beyond `float64`, which Go leaves as `nil`) and keeps decoding.

use super::JsonError;
use crate::value::{Key, List, Map, MapType, Value};

/// Go's `maxNestingDepth`: deeper input fails with `exceeded max depth`.
const MAX_DEPTH: usize = 10000;

/// `json.Unmarshal` into an `interface {}`: objects become `map[string]interface {}`, arrays
/// `[]interface {}`, numbers `float64`. Errors carry Go's text
/// (`invalid character 'x' looking for beginning of value`).
pub fn decode(text: &str) -> Result<Value, JsonError> {
    let (value, err) = decode_document(text)?;
    match err {
        Some(e) => Err(e),
        None => Ok(value),
    }
}

/// `json.Unmarshal` into a `map[string]interface {}`, as Helm's `fromJson` calls it. Returns
/// what Go leaves in the map and the first error. The map is `None` when the document is
/// `null` (Go sets the map to nil) and empty when decoding failed before it was filled.
/// A document of another type fails with
/// `json: cannot unmarshal array into Go value of type map[string]interface {}`.
pub fn decode_into_map(text: &str) -> (Option<Map>, Option<JsonError>) {
    if let Some(e) = overflowing_number(text) {
        return (
            Some(Map::new()),
            Some(type_error(&e, "map[string]interface {}")),
        );
    }
    match decode_document(text) {
        Err(e) => (Some(Map::new()), Some(e)),
        Ok((Value::Map(m), err)) => (Some(m), err),
        Ok((Value::Nil, err)) => (None, err),
        // Go skips a value of the wrong type without looking inside it, so only the type
        // error is reported.
        Ok((other, _)) => (
            Some(Map::new()),
            Some(type_error(&other, "map[string]interface {}")),
        ),
    }
}

/// `json.Unmarshal` into a `[]interface {}`, as Helm's `fromJsonArray` calls it. Returns the
/// decoded list (`None` for `null`) and the first error.
pub fn decode_into_list(text: &str) -> (Option<List>, Option<JsonError>) {
    if let Some(e) = overflowing_number(text) {
        return (
            Some(List::new(Vec::new())),
            Some(type_error(&e, "[]interface {}")),
        );
    }
    match decode_document(text) {
        Err(e) => (Some(List::new(Vec::new())), Some(e)),
        Ok((Value::List(l), err)) => (Some(l), err),
        Ok((Value::Nil, err)) => (None, err),
        Ok((other, _)) => (
            Some(List::new(Vec::new())),
            Some(type_error(&other, "[]interface {}")),
        ),
    }
}

/// One value read the way `json.Decoder.Decode` reads it from a stream: leading whitespace
/// is skipped, the value ends where its syntax ends, and input that stops inside the value
/// fails with `unexpected EOF`. Returns the value and the number of bytes consumed.
pub fn decode_stream_value(text: &str) -> Result<(Value, usize), JsonError> {
    let mut p = Parser::new(text.as_bytes(), true);
    let container = matches!(p.peek_nonspace(), Some(b'{' | b'['));
    let value = p.value()?;
    // Go's decoder knows an object or array ended at its closing bracket, but needs one more
    // byte to end a string, number or literal, and that byte must be whitespace.
    if !container
        && let Some(&c) = p.input.get(p.pos)
        && !matches!(c, b' ' | b'\t' | b'\n' | b'\r')
    {
        return Err(p.invalid(c, "after top-level value"));
    }
    if let Some(e) = p.saved {
        return Err(e);
    }
    Ok((value, p.pos))
}

/// A document that is a single number beyond `float64` (decoded as nil, but still a number
/// for the type check): the value to report it as.
fn overflowing_number(text: &str) -> Option<Value> {
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r']);
    if !trimmed.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        return None;
    }
    match decode_document(text) {
        Ok((Value::Nil, Some(_))) => Some(Value::Float(0.0)),
        _ => None,
    }
}

/// Go's `UnmarshalTypeError` for a top-level value that does not fit the target type:
/// `json: cannot unmarshal array into Go value of type map[string]interface {}`. `target` is
/// the Go type name (`util.SimpleHead`, `chart.Metadata`).
pub fn type_error(v: &Value, target: &str) -> JsonError {
    let what = match v {
        Value::List(_) => "array",
        Value::Map(_) => "object",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    };
    JsonError(format!(
        "json: cannot unmarshal {what} into Go value of type {target}"
    ))
}

/// Decodes a whole document: `Err` for a syntax error (nothing decoded), otherwise the value
/// and the first type error.
fn decode_document(text: &str) -> Result<(Value, Option<JsonError>), JsonError> {
    let mut p = Parser::new(text.as_bytes(), false);
    let value = p.value()?;
    p.skip_space();
    if let Some(&c) = p.input.get(p.pos) {
        return Err(p.invalid(c, "after top-level value"));
    }
    Ok((value, p.saved))
}

/// A container being filled.
enum Open {
    Array(Vec<Value>),
    /// The members so far (sorted into a map's entries once the object closes) and the
    /// current member's name.
    Object(Vec<(Key, Value)>, String),
}

struct Parser<'a> {
    input: &'a [u8],
    pos: usize,
    /// `json.Decoder` says `unexpected EOF` where `json.Unmarshal` says
    /// `unexpected end of JSON input`.
    stream: bool,
    saved: Option<JsonError>,
}

impl<'a> Parser<'a> {
    fn new(input: &'a [u8], stream: bool) -> Parser<'a> {
        Parser {
            input,
            pos: 0,
            stream,
            saved: None,
        }
    }

    fn eof(&self) -> JsonError {
        JsonError(
            if self.stream {
                "unexpected EOF"
            } else {
                "unexpected end of JSON input"
            }
            .into(),
        )
    }

    /// The input ended inside a token. Go's `checkValid` then feeds the scanner a space,
    /// so the message is about that space when the token cannot end there; a decoder
    /// reading a stream just reports `unexpected EOF`.
    fn eof_in(&self, context: &str) -> JsonError {
        if self.stream {
            self.eof()
        } else {
            self.invalid(b' ', context)
        }
    }

    fn invalid(&self, c: u8, context: &str) -> JsonError {
        JsonError(format!("invalid character {} {context}", quote_char(c)))
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.input.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek_nonspace(&mut self) -> Option<u8> {
        self.skip_space();
        self.input.get(self.pos).copied()
    }

    /// Parses one complete value; containers are handled with an explicit stack so that
    /// deep nesting cannot exhaust the call stack.
    fn value(&mut self) -> Result<Value, JsonError> {
        let mut stack: Vec<Open> = Vec::new();
        loop {
            // Expect the beginning of a value.
            let c = self.peek_nonspace().ok_or_else(|| self.eof())?;
            let mut done = match c {
                b'{' | b'[' => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.invalid(c, "exceeded max depth"));
                    }
                    self.pos += 1;
                    let close = if c == b'{' { b'}' } else { b']' };
                    let next = self.peek_nonspace().ok_or_else(|| self.eof())?;
                    if next == close {
                        self.pos += 1;
                        Some(if c == b'{' {
                            Value::Map(Map::new())
                        } else {
                            Value::List(List::new(Vec::new()))
                        })
                    } else if c == b'{' {
                        let key = self.object_key()?;
                        stack.push(Open::Object(Vec::new(), key));
                        None
                    } else {
                        stack.push(Open::Array(Vec::new()));
                        None
                    }
                }
                b'"' => Some(Value::String(self.string()?.into())),
                b't' => Some(self.literal(b"true", Value::Bool(true))?),
                b'f' => Some(self.literal(b"false", Value::Bool(false))?),
                b'n' => Some(self.literal(b"null", Value::Nil)?),
                b'-' | b'0'..=b'9' => Some(self.number()?),
                _ => return Err(self.invalid(c, "looking for beginning of value")),
            };
            // Close as many containers as the input closes.
            while let Some(value) = done.take() {
                let Some(top) = stack.last_mut() else {
                    return Ok(value);
                };
                let c = self.peek_nonspace().ok_or_else(|| self.eof())?;
                match top {
                    Open::Array(items) => {
                        items.push(value);
                        match c {
                            b',' => self.pos += 1,
                            b']' => {
                                self.pos += 1;
                                if let Some(Open::Array(items)) = stack.pop() {
                                    done = Some(Value::List(List::new(items)));
                                }
                            }
                            _ => return Err(self.invalid(c, "after array element")),
                        }
                    }
                    Open::Object(entries, key) => {
                        entries.push((std::mem::take(key).into(), value));
                        match c {
                            b',' => {
                                self.pos += 1;
                                let next = self.peek_nonspace().ok_or_else(|| self.eof())?;
                                if next != b'"' {
                                    return Err(self.invalid(
                                        next,
                                        "looking for beginning of object key string",
                                    ));
                                }
                                let k = self.object_key()?;
                                if let Some(Open::Object(_, key)) = stack.last_mut() {
                                    *key = k;
                                }
                            }
                            b'}' => {
                                self.pos += 1;
                                if let Some(Open::Object(entries, _)) = stack.pop() {
                                    done = Some(Value::Map(Map::from_entries(
                                        MapType::Any,
                                        entries.into_iter().collect(),
                                    )));
                                }
                            }
                            _ => return Err(self.invalid(c, "after object key:value pair")),
                        }
                    }
                }
            }
        }
    }

    /// Reads `"key"` and the `:` after it; the position is at the opening quote or at the
    /// first non-space byte where a key should start.
    fn object_key(&mut self) -> Result<String, JsonError> {
        let c = self.peek_nonspace().ok_or_else(|| self.eof())?;
        if c != b'"' {
            return Err(self.invalid(c, "looking for beginning of object key string"));
        }
        let key = self.string()?;
        let c = self.peek_nonspace().ok_or_else(|| self.eof())?;
        if c != b':' {
            return Err(self.invalid(c, "after object key"));
        }
        self.pos += 1;
        Ok(key)
    }

    fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, JsonError> {
        // The first byte already matched.
        for (i, &expected) in word.iter().enumerate().skip(1) {
            let name = std::str::from_utf8(word).unwrap_or("");
            let context = || format!("in literal {name} (expecting {})", quote_char(expected));
            match self.input.get(self.pos + i) {
                None => return Err(self.eof_in(&context())),
                Some(&c) if c != expected => return Err(self.invalid(c, &context())),
                Some(_) => {}
            }
        }
        self.pos += word.len();
        Ok(value)
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        let input = self.input;
        let at = |i: usize| input.get(i).copied();
        let mut i = self.pos;
        if at(i) == Some(b'-') {
            i += 1;
        }
        match at(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = at(i) {
                    i += 1;
                }
            }
            Some(c) => return Err(self.invalid(c, "in numeric literal")),
            None => return Err(self.eof_in("in numeric literal")),
        }
        if at(i) == Some(b'.') {
            i += 1;
            match at(i) {
                Some(b'0'..=b'9') => {}
                Some(c) => return Err(self.invalid(c, "after decimal point in numeric literal")),
                None => return Err(self.eof_in("after decimal point in numeric literal")),
            }
            while let Some(b'0'..=b'9') = at(i) {
                i += 1;
            }
        }
        if let Some(b'e' | b'E') = at(i) {
            i += 1;
            if let Some(b'+' | b'-') = at(i) {
                i += 1;
            }
            match at(i) {
                Some(b'0'..=b'9') => {}
                Some(c) => return Err(self.invalid(c, "in exponent of numeric literal")),
                None => return Err(self.eof_in("in exponent of numeric literal")),
            }
            while let Some(b'0'..=b'9') = at(i) {
                i += 1;
            }
        }
        self.pos = i;
        let text = std::str::from_utf8(&input[start..i]).unwrap_or("0");
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => {
                // Go's ParseFloat fails on overflow; the decoder records the type error and
                // leaves the value nil.
                if self.saved.is_none() {
                    self.saved = Some(JsonError(format!(
                        "json: cannot unmarshal number {text} into Go value of type float64"
                    )));
                }
                Ok(Value::Nil)
            }
        }
    }

    /// Reads a string literal starting at the opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            let Some(&c) = self.input.get(self.pos) else {
                return Err(self.eof());
            };
            match c {
                b'"' => {
                    out.push_str(self.text(run, self.pos));
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(self.text(run, self.pos));
                    self.pos += 1;
                    self.escape(&mut out)?;
                    run = self.pos;
                }
                0..=0x1f => return Err(self.invalid(c, "in string literal")),
                _ => self.pos += 1,
            }
        }
    }

    fn text(&self, from: usize, to: usize) -> &'a str {
        // The input came from a `&str` and both ends sit at ASCII bytes.
        std::str::from_utf8(self.input.get(from..to).unwrap_or_default()).unwrap_or_default()
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let Some(&c) = self.input.get(self.pos) else {
            return Err(self.eof_in("in string escape code"));
        };
        self.pos += 1;
        let simple = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let ch = if (0xD800..0xDC00).contains(&first) {
                    // A high surrogate combines with a following `\uDC00`-`\uDFFF` escape;
                    // anything else leaves it as U+FFFD, as Go's decoder does.
                    let low = match self.input.get(self.pos..self.pos + 6) {
                        Some([b'\\', b'u', hex @ ..]) => parse_hex4(hex),
                        _ => None,
                    };
                    match low {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            self.pos += 6;
                            char::from_u32(0x10000 + ((first - 0xD800) << 10) + (lo - 0xDC00))
                        }
                        _ => None,
                    }
                } else {
                    char::from_u32(first)
                };
                out.push(ch.unwrap_or('\u{FFFD}'));
                return Ok(());
            }
            _ => return Err(self.invalid(c, "in string escape code")),
        };
        out.push(simple);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let Some(&c) = self.input.get(self.pos) else {
                return Err(self.eof_in("in \\u hexadecimal character escape"));
            };
            let d = char::from(c)
                .to_digit(16)
                .ok_or_else(|| self.invalid(c, "in \\u hexadecimal character escape"))?;
            v = v * 16 + d;
            self.pos += 1;
        }
        Ok(v)
    }
}

fn parse_hex4(b: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(b).ok()?;
    u32::from_str_radix(s, 16).ok()
}

/// Go's `quoteChar`: the byte as a rune inside single quotes, escaped as `strconv.Quote`
/// escapes it (`'\n'`, `'\x01'`), with `'\''` and `'"'` special-cased.
pub(crate) fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        _ => format!("'{}'", go_quote_rune(char::from(c))),
    }
}

/// The body of `strconv.Quote` for one rune (without the surrounding quotes).
pub(crate) fn go_quote_rune(c: char) -> String {
    match c {
        '\u{7}' => "\\a".into(),
        '\u{8}' => "\\b".into(),
        '\u{c}' => "\\f".into(),
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        '\u{b}' => "\\v".into(),
        '\\' => "\\\\".into(),
        '"' => "\\\"".into(),
        c if (c as u32) < 0x20 || c == '\u{7f}' => format!("\\x{:02x}", c as u32),
        c if go_is_print(c) => c.to_string(),
        c if (c as u32) < 0x10000 => format!("\\u{:04x}", c as u32),
        c => format!("\\U{:08x}", c as u32),
    }
}

/// Go's `strconv.IsPrint` for the runes a single byte can become (U+0000-U+00FF), and a close
/// approximation beyond: letters, marks, numbers, punctuation, symbols and the ASCII space.
pub(crate) fn go_is_print(c: char) -> bool {
    match c {
        ' '..='~' => true,
        '\u{0}'..='\u{a0}' | '\u{ad}' => false,
        _ => {
            !c.is_control()
                && !c.is_whitespace()
                && !matches!(c, '\u{fff9}'..='\u{fffb}' | '\u{feff}')
        }
    }
}
