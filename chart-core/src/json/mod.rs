//! JSON exactly as Go's `encoding/json` reads and writes it.
//!
//! Encoding mirrors `json.Marshal` byte for byte: object keys sorted by bytes, the HTML-safe
//! escapes `\u003c \u003e \u0026` (unless disabled, as Sprig's `toRawJson` does), U+2028 and
//! U+2029 always escaped, control characters as `\u00XX` except `\b \f \n \r \t`, `[]byte` as
//! standard base64, and numbers in Go's float format (plain decimal for `1e-6 <= |x| < 1e21`,
//! otherwise the shortest exponent form: `1e-7`, `1e+21`). Values Go refuses to marshal fail
//! with Go's text: `json: unsupported value: NaN`, `json: unsupported type: complex128`, and
//! `json: unsupported value: encountered a cycle via map[string]interface {}` for a map that
//! contains itself.

use std::fmt::Write as _;

use crate::value::{Map, Value};

mod decode;

pub(crate) use decode::go_quote_rune;
pub use decode::{decode, decode_into_list, decode_into_map, decode_stream_value, type_error};

/// A JSON encoding or decoding error, with Go's message text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct JsonError(pub String);

/// `json.Marshal`: compact, keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped, floats in
/// Go's format. Helm's `toJson`.
pub fn encode(v: &Value) -> Result<String, JsonError> {
    let mut w = Writer::new(true, None);
    w.value(v)?;
    Ok(w.out)
}

/// `json.MarshalIndent(v, "", "  ")`. Sprig's `toPrettyJson`. Empty objects and arrays stay
/// `{}` and `[]`; there is no trailing newline.
pub fn encode_pretty(v: &Value) -> Result<String, JsonError> {
    let mut w = Writer::new(true, Some("  "));
    w.value(v)?;
    Ok(w.out)
}

/// `json.Marshal` without HTML escaping. Sprig's `toRawJson`: a `json.Encoder` with
/// `SetEscapeHTML(false)`, whose trailing newline Sprig trims, so none is returned here.
/// U+2028 and U+2029 are still escaped, as Go always does.
pub fn encode_raw(v: &Value) -> Result<String, JsonError> {
    let mut w = Writer::new(false, None);
    w.value(v)?;
    Ok(w.out)
}

/// The text `encoding/json` writes for a `float64`: plain decimal when `1e-6 <= |f| < 1e21`
/// (or zero), otherwise the shortest exponent form with Go's `e-07` cleaned up to `e-7`.
/// NaN and infinities are refused as Go refuses them (`json: unsupported value: +Inf`).
pub fn float_text(f: f64) -> Result<String, JsonError> {
    if !f.is_finite() {
        return Err(JsonError(format!(
            "json: unsupported value: {}",
            format_float(f, b'g', 64)
        )));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut s = format_float(f, b'e', 64);
        // Go writes a two-digit exponent (`1e-07`); encoding/json trims a negative one's
        // leading zero so the text matches JavaScript's.
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        Ok(s)
    } else {
        Ok(format_float(f, b'f', 64))
    }
}

/// Go's `strconv.FormatFloat(f, fmt, -1, bits)` for `fmt` in `b'e'`, `b'f'`, `b'g'` and
/// `bits` 32 or 64: the shortest decimal that reads back as the same value (rounded to
/// `float32` first when `bits` is 32). `NaN`, `+Inf` and `-Inf` are spelled as Go spells them.
pub fn format_float(f: f64, fmt: u8, bits: u32) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let (neg, digits, dp) = if bits == 32 {
        #[allow(clippy::cast_possible_truncation)]
        let g = f as f32;
        if g.is_infinite() {
            return if g > 0.0 { "+Inf" } else { "-Inf" }.to_string();
        }
        shortest_digits(&format!("{g:e}"))
    } else {
        shortest_digits(&format!("{f:e}"))
    };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    match fmt {
        b'e' => write_exp(&mut out, &digits, dp),
        b'f' => write_fixed(&mut out, &digits, dp),
        _ => {
            // Shortest %g switches to the exponent form when the exponent is below -4 or at
            // least 6 (Go uses precision 6 for this decision in the shortest mode).
            let exp = dp - 1;
            if !(-4..6).contains(&exp) {
                write_exp(&mut out, &digits, dp);
            } else {
                write_fixed(&mut out, &digits, dp);
            }
        }
    }
    out
}

/// Splits Rust's shortest `{:e}` rendering (`-1.2345e-7`) into sign, significant digits
/// (`"12345"`) and the decimal point position as Go's `decimal` keeps it (`d.ddd × 10^(dp-1)`).
fn shortest_digits(text: &str) -> (bool, String, i32) {
    let (neg, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mantissa, exp) = rest.split_once('e').unwrap_or((rest, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    (neg, digits, exp + 1)
}

fn write_exp(out: &mut String, digits: &str, dp: i32) {
    let (first, rest) = digits.split_at(1.min(digits.len()));
    out.push_str(if first.is_empty() { "0" } else { first });
    if !rest.is_empty() {
        out.push('.');
        out.push_str(rest);
    }
    let exp = if digits == "0" { 0 } else { dp - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    let _ = write!(out, "{exp}");
}

fn write_fixed(out: &mut String, digits: &str, dp: i32) {
    if digits == "0" {
        out.push('0');
        return;
    }
    let nd = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    if dp <= 0 {
        out.push_str("0.");
        for _ in 0..-dp {
            out.push('0');
        }
        out.push_str(digits);
    } else if dp >= nd {
        out.push_str(digits);
        for _ in 0..dp - nd {
            out.push('0');
        }
    } else {
        let (int, frac) = digits.split_at(usize::try_from(dp).unwrap_or(0));
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    }
}

/// Standard base64 with padding, as `encoding/json` writes a `[]byte`.
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let sextet = |shift: u32| char::from(ALPHABET[((n >> shift) & 63) as usize]);
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

/// Writes `s` as a JSON string literal the way Go's encoder does.
pub(crate) fn write_string(out: &mut String, s: &str, escape_html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escape: Option<&str> = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '<' | '>' | '&' if escape_html => None,
            '\u{0}'..='\u{1f}' | '\u{2028}' | '\u{2029}' => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match escape {
            Some(e) => out.push_str(e),
            None => {
                let code = u32::from(c);
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(char::from(HEX[((code >> shift) & 15) as usize]));
                }
            }
        }
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// How deep objects may nest inside objects (`to_json_value` returning another object)
/// before we stop; Go would recurse until its stack overflows.
const MAX_OBJECT_NESTING: usize = 64;

struct Writer<'a> {
    out: String,
    escape_html: bool,
    indent: Option<&'a str>,
    depth: usize,
    /// The maps on the path from the root, to detect a map that contains itself.
    path: Vec<Map>,
    object_nesting: usize,
}

impl<'a> Writer<'a> {
    fn new(escape_html: bool, indent: Option<&'a str>) -> Writer<'a> {
        Writer {
            out: String::new(),
            escape_html,
            indent,
            depth: 0,
            path: Vec::new(),
            object_nesting: 0,
        }
    }

    fn newline(&mut self) {
        if let Some(unit) = self.indent {
            self.out.push('\n');
            for _ in 0..self.depth {
                self.out.push_str(unit);
            }
        }
    }

    fn value(&mut self, v: &Value) -> Result<(), JsonError> {
        crate::yaml::deep(|| self.value_inner(v))
    }

    fn value_inner(&mut self, v: &Value) -> Result<(), JsonError> {
        match v {
            Value::Invalid | Value::Nil => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i, _) => {
                let _ = write!(self.out, "{i}");
            }
            Value::Uint(u, _) => {
                let _ = write!(self.out, "{u}");
            }
            Value::Float(f) => {
                let text = float_text(*f)?;
                self.out.push_str(&text);
            }
            Value::Complex(..) => {
                return Err(JsonError("json: unsupported type: complex128".into()));
            }
            Value::String(s) => write_string(&mut self.out, s, self.escape_html),
            Value::Bytes(b) => {
                let text = base64_encode(b);
                write_string(&mut self.out, &text, self.escape_html);
            }
            Value::List(l) => {
                if l.is_empty() {
                    self.out.push_str("[]");
                    return Ok(());
                }
                self.out.push('[');
                self.depth += 1;
                for (i, item) in l.items().iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.newline();
                    self.value(item)?;
                }
                self.depth -= 1;
                self.newline();
                self.out.push(']');
            }
            Value::Map(m) => self.map(m)?,
            Value::Object(o) => {
                if self.object_nesting >= MAX_OBJECT_NESTING {
                    return Err(JsonError(format!(
                        "json: unsupported value: encountered a cycle via {}",
                        o.type_name()
                    )));
                }
                self.object_nesting += 1;
                let inner = o.to_json_value();
                let result = self.value(&inner);
                self.object_nesting -= 1;
                result?;
            }
        }
        Ok(())
    }

    fn map(&mut self, m: &Map) -> Result<(), JsonError> {
        if self.path.iter().any(|p| p.ptr_eq(m)) {
            return Err(JsonError(format!(
                "json: unsupported value: encountered a cycle via {}",
                m.ty().name()
            )));
        }
        self.path.push(m.clone());
        let result = m.with_entries(|entries| {
            if entries.is_empty() {
                self.out.push_str("{}");
                return Ok(());
            }
            self.out.push('{');
            self.depth += 1;
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                self.newline();
                write_string(&mut self.out, k, self.escape_html);
                self.out.push(':');
                if self.indent.is_some() {
                    self.out.push(' ');
                }
                self.value(v)?;
            }
            self.depth -= 1;
            self.newline();
            self.out.push('}');
            Ok(())
        });
        self.path.pop();
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Entries, IntType, List};

    fn map(entries: Vec<(&str, Value)>) -> Value {
        let mut e = Entries::new();
        for (k, v) in entries {
            e.insert(k.into(), v);
        }
        Value::map(e)
    }

    fn fixture() -> serde_json::Value {
        serde_json::from_str(include_str!("../yaml/testdata/json_cases.json")).expect("fixture")
    }

    fn report(failures: &[String], checked: usize) {
        assert!(
            failures.is_empty(),
            "{} of {checked} differ:\n{}",
            failures.len(),
            failures
                .iter()
                .take(30)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    /// `toJson`, `toRawJson` and `toPrettyJson` of the string corpus, as Helm printed them.
    #[test]
    fn string_encoding_matches_helm() {
        let data = fixture();
        let mut failures = Vec::new();
        let mut checked = 0;
        for case in data["encode"].as_array().expect("encode") {
            let s = case["s"].as_str().expect("s");
            let one = Value::Int(1, IntType::Int);
            let got = [
                encode(&Value::string(s)),
                encode_raw(&Value::string(s)),
                encode_pretty(&map(vec![(
                    s,
                    Value::list(vec![Value::string(s), one.clone()]),
                )])),
                encode(&map(vec![
                    (s, one),
                    ("x", Value::list(vec![Value::string(s)])),
                ])),
            ];
            for (i, got) in got.into_iter().enumerate() {
                let want = case["out"][i].as_str().expect("out");
                let got = got.unwrap_or_else(|e| e.0);
                checked += 1;
                if got != want {
                    failures.push(format!("{s:?} #{i}\n want {want:?}\n  got {got:?}"));
                }
            }
        }
        assert!(checked > 2800);
        report(&failures, checked);
    }

    /// What Helm's `fromJson` and `fromJsonArray` make of valid and broken JSON, printed with
    /// `toJson`.
    #[test]
    fn decoding_matches_helm_from_json() {
        let data = fixture();
        let mut failures = Vec::new();
        let mut checked = 0;
        for case in data["decode"].as_array().expect("decode") {
            let s = case["s"].as_str().expect("s");
            let from_json = match decode_into_map(s) {
                (None, None) => "null".to_string(),
                (m, err) => {
                    let m = m.unwrap_or_default();
                    if let Some(e) = err {
                        m.insert("Error", Value::string(e.0));
                    }
                    encode(&Value::Map(m)).unwrap_or_default()
                }
            };
            let from_json_array = match decode_into_list(s) {
                (_, Some(e)) => encode(&Value::list(vec![Value::string(e.0)])).unwrap_or_default(),
                (None, None) => "null".to_string(),
                (Some(l), None) => encode(&Value::List(l)).unwrap_or_default(),
            };
            for (what, got) in [("fromJson", from_json), ("fromJsonArray", from_json_array)] {
                let want = case[what].as_str().expect("expected");
                checked += 1;
                if got != want {
                    failures.push(format!("{s:?} {what}\n want {want:?}\n  got {got:?}"));
                }
            }
        }
        assert!(checked > 160);
        report(&failures, checked);
    }

    /// Floats through `toJson`, `toYaml` and `toYamlPretty`.
    #[test]
    fn float_text_matches_helm() {
        let data = fixture();
        let mut failures = Vec::new();
        let mut checked = 0;
        for case in data["numbers"].as_array().expect("numbers") {
            let f: f64 = case["yaml"].as_str().expect("yaml").parse().expect("float");
            let v = Value::Float(f);
            let got = [
                ("toJson", encode(&v).unwrap_or_default()),
                ("toYaml", crate::yaml::to_yaml(&v).unwrap_or_default()),
                (
                    "toYamlPretty",
                    crate::yaml::to_yaml_pretty(&v).unwrap_or_default(),
                ),
            ];
            for (what, got) in got {
                let want = case[what].as_str().expect("expected");
                checked += 1;
                if got != want {
                    failures.push(format!("{f:?} {what}\n want {want:?}\n  got {got:?}"));
                }
            }
        }
        assert!(checked > 90);
        report(&failures, checked);
    }

    #[test]
    fn go_float_formatting() {
        let cases: &[(f64, u8, u32, &str)] = &[
            (0.0, b'g', 64, "0"),
            (-0.0, b'g', 64, "-0"),
            (1e6, b'g', 64, "1e+06"),
            (999999.0, b'g', 64, "999999"),
            (0.0001, b'g', 64, "0.0001"),
            (0.00001, b'g', 64, "1e-05"),
            (1e21, b'f', 64, "1000000000000000000000"),
            (1.5, b'e', 64, "1.5e+00"),
            (5e-324, b'e', 64, "5e-324"),
            (1.1, b'g', 32, "1.1"),
            (1234567.89, b'g', 32, "1.2345679e+06"),
            (1e300, b'g', 32, "+Inf"),
            (f64::NAN, b'g', 64, "NaN"),
            (f64::NEG_INFINITY, b'g', 64, "-Inf"),
        ];
        for &(f, fmt, bits, want) in cases {
            assert_eq!(
                format_float(f, fmt, bits),
                want,
                "{f} {} {bits}",
                fmt as char
            );
        }
    }

    #[test]
    fn unsupported_values_fail_with_go_text() {
        assert_eq!(
            encode(&Value::Float(f64::NAN)).unwrap_err().0,
            "json: unsupported value: NaN"
        );
        assert_eq!(
            encode(&Value::Float(f64::INFINITY)).unwrap_err().0,
            "json: unsupported value: +Inf"
        );
        assert_eq!(
            encode(&Value::list(vec![Value::Float(f64::NEG_INFINITY)]))
                .unwrap_err()
                .0,
            "json: unsupported value: -Inf"
        );
        assert_eq!(
            encode(&Value::Complex(1.0, 2.0)).unwrap_err().0,
            "json: unsupported type: complex128"
        );
        let m = Map::new();
        m.insert("self", Value::Map(m.clone()));
        assert_eq!(
            encode(&Value::Map(m.clone())).unwrap_err().0,
            "json: unsupported value: encountered a cycle via map[string]interface {}"
        );
        m.remove("self");
    }

    #[test]
    fn bytes_and_pretty_layout() {
        assert_eq!(
            encode(&Value::Bytes(b"hi".as_slice().into())).unwrap(),
            r#""aGk=""#
        );
        assert_eq!(
            encode(&Value::Bytes(b"".as_slice().into())).unwrap(),
            r#""""#
        );
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        let v = map(vec![
            ("a", map(vec![("c", Value::list(vec![Value::string("x")]))])),
            ("b", Value::Float(1.0)),
            ("e", Value::List(List::new(vec![]))),
            ("m", map(vec![])),
        ]);
        assert_eq!(
            encode_pretty(&v).unwrap(),
            "{\n  \"a\": {\n    \"c\": [\n      \"x\"\n    ]\n  },\n  \"b\": 1,\n  \"e\": [],\n  \"m\": {}\n}"
        );
        assert_eq!(encode_pretty(&Value::Nil).unwrap(), "null");
    }

    #[test]
    fn stream_decoding_reads_one_value() {
        assert_eq!(decode_stream_value(" [1, 2] rest").map(|(_, n)| n), Ok(7));
        assert_eq!(decode_stream_value("1 x").map(|(_, n)| n), Ok(1));
        assert_eq!(
            decode_stream_value("1x").unwrap_err().0,
            "invalid character 'x' after top-level value"
        );
        assert_eq!(decode_stream_value("[1,").unwrap_err().0, "unexpected EOF");
        assert_eq!(decode_stream_value("nul").unwrap_err().0, "unexpected EOF");
        assert_eq!(
            decode("nul").unwrap_err().0,
            "invalid character ' ' in literal null (expecting 'l')"
        );
    }
}
