//! Conversions that Sprig performs with `spf13/cast` v1.7.0 and its own `strval`/`strslice`
//! helpers, plus the pieces of Go's `strconv` they rest on. Shared by the math, conversion,
//! list and string functions.
//!
//! `cast` swallows every error and returns the zero value instead, so each conversion here is
//! total: a string that Go's `strconv` rejects (`" 5"`, `"1e3"` for an integer, `"0x10"` for a
//! float) or that overflows becomes 0.

use crate::gofmt;
use crate::value::Value;

/// `cast.ToInt64(v)`: numbers truncate toward zero, strings parse with Go's base prefixes
/// (`"010"` is 8, `"0x1F"` is 31, `"1_000"` is 1000) after a trailing `.0…` is dropped
/// (`"12.0"` is 12), bools are 0/1, anything else (nil, lists, unparsable or overflowing
/// text) is 0.
pub fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i, _) => *i,
        // Go's int64(uint64) conversion wraps.
        Value::Uint(u, _) => *u as i64,
        Value::Float(f) => float_to_int(*f),
        Value::String(s) => parse_int(trim_zero_decimal(s), 0).unwrap_or(0),
        Value::Bool(b) => i64::from(*b),
        _ => 0,
    }
}

/// `cast.ToInt(v)`: as [`to_int64`], for Go `int` (64 bits wide on every platform Helm
/// ships for, so the two agree).
pub fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// `cast.ToFloat64(v)`: integers convert, strings parse with Go's `strconv.ParseFloat`
/// (`"1e3"`, `"inf"`, `"0x1p4"` are numbers; `"0x10"` and out-of-range text are 0), bools are
/// 0/1, anything else is 0.
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i, _) => *i as f64,
        Value::Uint(u, _) => *u as f64,
        Value::Float(f) => *f,
        Value::String(s) => parse_float(s).unwrap_or(0.0),
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => 0.0,
    }
}

/// Sprig's `strval`: a string as is, `[]byte` as text, a Stringer or error through its
/// method, anything else with `fmt.Sprintf("%v", v)`.
pub fn to_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        // Go keeps the raw bytes; our strings are UTF-8, so invalid sequences become U+FFFD.
        Value::Bytes(b) => crate::value::gostring::from_go_bytes(b).into_owned(),
        // An object's `%v` already goes through its `String()`/`Error()` method.
        other => gofmt::sprintf("%v", std::slice::from_ref(other)),
    }
}

/// Sprig's `strslice` (the `toStrings` function, and what `join` joins): a `[]string` as
/// is; the elements of any other slice through [`to_string`], skipping nil elements; nil as
/// no strings; any other value as a one-element list.
pub fn to_string_slice(v: &Value) -> Vec<String> {
    match v {
        Value::List(list) => list
            .items()
            .iter()
            .filter(|item| !item.is_nil())
            .map(to_string)
            .collect(),
        // A `[]byte` is a slice of `uint8` to reflection: one decimal string per byte.
        Value::Bytes(bytes) => bytes.iter().map(u8::to_string).collect(),
        Value::Invalid | Value::Nil => Vec::new(),
        other => vec![to_string(other)],
    }
}

/// Go's `int64(f)` for a `float64` as the amd64 instruction computes it: truncation toward
/// zero, and `math.MinInt64` for NaN and for values outside the `int64` range (Rust's `as`
/// saturates instead).
pub fn float_to_int(f: f64) -> i64 {
    // 2^63 is exactly representable; every float below it in magnitude fits.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// Why Go's `strconv` rejected a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumError {
    /// `strconv.ErrSyntax`: not a number in the accepted syntax.
    Syntax,
    /// `strconv.ErrRange`: a number, but too large; Go returns the clamped value with it.
    Range(i64),
}

/// cast's `trimZeroDecimal`: `"12.0"`, `"12.00"` → `"12"`; anything else unchanged (`"12."`
/// and `"12.5"` stay, and then fail to parse as integers).
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, b) in s.bytes().enumerate().rev() {
        match b {
            b'.' if found_zero => return &s[..i],
            b'.' => return s,
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// `strconv.ParseInt(s, base, 64)`, for `base` 0 (Go literal prefixes `0b`, `0o`, `0x`, a
/// leading `0` for octal, and `_` separators) or 2..=36.
pub fn parse_int(s: &str, base: u32) -> Result<i64, NumError> {
    let (negative, digits) = match s.as_bytes().first() {
        None => return Err(NumError::Syntax),
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        Some(_) => (false, s),
    };
    let (magnitude, overflowed) = match parse_uint(digits, base) {
        Ok(n) => (n, false),
        Err(UintError::Syntax) => return Err(NumError::Syntax),
        Err(UintError::Range) => (u64::MAX, true),
    };
    const CUTOFF: u64 = 1 << 63;
    if !negative && magnitude >= CUTOFF {
        return Err(NumError::Range(i64::MAX));
    }
    if negative && magnitude > CUTOFF {
        return Err(NumError::Range(i64::MIN));
    }
    if overflowed {
        // Unreachable: an overflowing magnitude is u64::MAX and was clamped above.
        return Err(NumError::Range(i64::MAX));
    }
    // `magnitude` is at most 2^63 here; wrapping negation maps 2^63 to i64::MIN.
    let n = magnitude as i64;
    Ok(if negative { n.wrapping_neg() } else { n })
}

/// `strconv.Atoi(s)` as Sprig's `atoi` uses it: the value, clamped on overflow, or 0 for
/// anything that is not a plain base-10 integer.
pub fn atoi(s: &str) -> i64 {
    match parse_int(s, 10) {
        Ok(n) | Err(NumError::Range(n)) => n,
        Err(NumError::Syntax) => 0,
    }
}

enum UintError {
    Syntax,
    Range,
}

/// `strconv.ParseUint(s, base, 64)` without the sign.
fn parse_uint(s: &str, base: u32) -> Result<u64, UintError> {
    if s.is_empty() {
        return Err(UintError::Syntax);
    }
    let bytes = s.as_bytes();
    let prefixed = base == 0;
    let (base, body) = if prefixed {
        if bytes[0] == b'0' {
            match bytes.get(1).map(u8::to_ascii_lowercase) {
                Some(b'b') if bytes.len() >= 3 => (2, &bytes[2..]),
                Some(b'o') if bytes.len() >= 3 => (8, &bytes[2..]),
                Some(b'x') if bytes.len() >= 3 => (16, &bytes[2..]),
                _ => (8, &bytes[1..]),
            }
        } else {
            (10, bytes)
        }
    } else if (2..=36).contains(&base) {
        (base, bytes)
    } else {
        return Err(UintError::Syntax);
    };
    let base = u64::from(base);
    let cutoff = u64::MAX / base + 1;
    let mut underscores = false;
    let mut n: u64 = 0;
    for &c in body {
        let digit = match c {
            b'_' if prefixed => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => u64::from(c - b'0'),
            _ if c.is_ascii_alphabetic() => u64::from(c.to_ascii_lowercase() - b'a' + 10),
            _ => return Err(UintError::Syntax),
        };
        if digit >= base {
            return Err(UintError::Syntax);
        }
        if n >= cutoff {
            return Err(UintError::Range);
        }
        n *= base;
        n = n.checked_add(digit).ok_or(UintError::Range)?;
    }
    if underscores && !underscores_ok(s) {
        return Err(UintError::Syntax);
    }
    Ok(n)
}

/// strconv's `underscoreOK`: underscores may only separate digits (or follow a base prefix).
fn underscores_ok(s: &str) -> bool {
    let mut bytes = s.as_bytes();
    if let Some(b'+' | b'-') = bytes.first() {
        bytes = &bytes[1..];
    }
    // What came last: '^' start, '0' a digit or prefix, '_' an underscore, '!' other.
    let mut saw = b'^';
    let mut hex = false;
    let mut i = 0;
    if bytes.len() >= 2
        && bytes[0] == b'0'
        && matches!(bytes[1].to_ascii_lowercase(), b'b' | b'o' | b'x')
    {
        i = 2;
        saw = b'0';
        hex = bytes[1].eq_ignore_ascii_case(&b'x');
    }
    for &c in &bytes[i..] {
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
    }
    saw != b'_'
}

/// `strconv.ParseFloat(s, 64)`: decimal and hexadecimal (`0x1.8p1`) floats with `_`
/// separators, `inf`/`infinity`/`nan` in any case. `None` for a syntax error and for values
/// beyond the `float64` range (Go returns ±Inf with `ErrRange` there, which every caller
/// here turns into 0).
pub fn parse_float(s: &str) -> Option<f64> {
    parse_float_checked(s).ok()
}

fn parse_float_checked(s: &str) -> Result<f64, NumError> {
    if let Some(special) = parse_special_float(s) {
        return Ok(special);
    }
    let bytes = s.as_bytes();
    let (negative, body) = match bytes.first() {
        Some(b'+') => (false, &bytes[1..]),
        Some(b'-') => (true, &bytes[1..]),
        _ => (false, bytes),
    };
    let hex = body.len() > 2 && body[0] == b'0' && body[1].eq_ignore_ascii_case(&b'x');
    let magnitude = if hex {
        parse_hex_float(&body[2..])?
    } else {
        parse_decimal_float(body)?
    };
    if !underscores_ok(s) && s.contains('_') {
        return Err(NumError::Syntax);
    }
    if magnitude.is_infinite() {
        return Err(NumError::Syntax);
    }
    Ok(if negative { -magnitude } else { magnitude })
}

/// strconv's `special`: `[+-]inf`, `[+-]infinity`, `nan` (no sign), ignoring case.
fn parse_special_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    let (sign, rest) = match lower.as_bytes().first() {
        Some(b'+') => (1.0, &lower[1..]),
        Some(b'-') => (-1.0, &lower[1..]),
        _ => (1.0, lower.as_str()),
    };
    if rest == "inf" || rest == "infinity" {
        return Some(sign * f64::INFINITY);
    }
    if lower == "nan" {
        return Some(f64::NAN);
    }
    None
}

/// A decimal float body (after the sign): digits with one optional `.`, at least one digit,
/// then an optional exponent `e[+-]digits`. Underscores are skipped here and validated by
/// the caller.
fn parse_decimal_float(body: &[u8]) -> Result<f64, NumError> {
    let mut clean = String::with_capacity(body.len());
    let mut i = 0;
    let mut saw_dot = false;
    let mut saw_digits = false;
    while let Some(&c) = body.get(i) {
        match c {
            b'_' => {}
            b'.' if !saw_dot => {
                saw_dot = true;
                clean.push('.');
            }
            b'0'..=b'9' => {
                saw_digits = true;
                clean.push(char::from(c));
            }
            _ => break,
        }
        i += 1;
    }
    if !saw_digits {
        return Err(NumError::Syntax);
    }
    if let Some(b'e' | b'E') = body.get(i) {
        i += 1;
        clean.push('e');
        if let Some(&sign @ (b'+' | b'-')) = body.get(i) {
            clean.push(char::from(sign));
            i += 1;
        }
        if !body.get(i).is_some_and(u8::is_ascii_digit) {
            return Err(NumError::Syntax);
        }
        while let Some(&c) = body.get(i) {
            match c {
                b'0'..=b'9' => clean.push(char::from(c)),
                b'_' => {}
                _ => break,
            }
            i += 1;
        }
    }
    if i != body.len() {
        return Err(NumError::Syntax);
    }
    clean.parse::<f64>().map_err(|_| NumError::Syntax)
}

/// A hexadecimal float body after `0x`: hex digits with one optional `.`, then a mandatory
/// binary exponent `p[+-]digits`. Rounds to nearest, ties to even, as Go does.
fn parse_hex_float(body: &[u8]) -> Result<f64, NumError> {
    let mut mantissa: u64 = 0;
    // Whether nonzero digits were dropped because the mantissa was full (a sticky bit).
    let mut sticky = false;
    // The binary exponent to apply to `mantissa`.
    let mut exponent: i64 = 0;
    let mut saw_dot = false;
    let mut saw_digits = false;
    let mut i = 0;
    while let Some(&c) = body.get(i) {
        match c {
            b'_' => {}
            b'.' if !saw_dot => saw_dot = true,
            _ if c.is_ascii_hexdigit() => {
                saw_digits = true;
                let digit = u64::from(char::from(c).to_digit(16).unwrap_or(0));
                if mantissa >> 60 == 0 {
                    mantissa = mantissa << 4 | digit;
                    if saw_dot {
                        exponent -= 4;
                    }
                } else {
                    sticky |= digit != 0;
                    if !saw_dot {
                        exponent += 4;
                    }
                }
            }
            _ => break,
        }
        i += 1;
    }
    if !saw_digits || !matches!(body.get(i), Some(b'p' | b'P')) {
        return Err(NumError::Syntax);
    }
    i += 1;
    let exp_negative = match body.get(i) {
        Some(b'+') => {
            i += 1;
            false
        }
        Some(b'-') => {
            i += 1;
            true
        }
        _ => false,
    };
    if !body.get(i).is_some_and(u8::is_ascii_digit) {
        return Err(NumError::Syntax);
    }
    let mut written: i64 = 0;
    while let Some(&c) = body.get(i) {
        match c {
            b'0'..=b'9' => {
                if written < 100_000 {
                    written = written * 10 + i64::from(c - b'0');
                }
            }
            b'_' => {}
            _ => break,
        }
        i += 1;
    }
    if i != body.len() {
        return Err(NumError::Syntax);
    }
    exponent += if exp_negative { -written } else { written };
    Ok(round_binary(mantissa, sticky, exponent))
}

/// `mantissa × 2^exponent` rounded to the nearest `f64` (ties to even); `sticky` says that
/// nonzero bits below the mantissa were dropped. Overflow gives infinity.
fn round_binary(mantissa: u64, sticky: bool, exponent: i64) -> f64 {
    if mantissa == 0 {
        return 0.0;
    }
    // Normalize so that bit 63 is set; the value is then m × 2^(e - 63) with m in [2^63, 2^64).
    let shift = mantissa.leading_zeros();
    let m = mantissa << shift;
    let e = exponent - i64::from(shift) + 63;
    // A normal f64 keeps 53 bits: the value is 1.f × 2^e with e in [-1022, 1023].
    let keep: i64 = if e >= -1022 {
        53
    } else {
        // Subnormal: fewer bits survive; below 2^-1075 nothing does (but rounding may give
        // the smallest subnormal).
        53 - (-1022 - e)
    };
    if keep < 0 {
        return 0.0;
    }
    let drop = 64 - keep;
    let (mut kept, round_bit, rest_nonzero) = if drop >= 64 {
        (0u64, drop == 64 && m >> 63 == 1, (m << 1) != 0 || sticky)
    } else {
        let kept = m >> drop;
        let round_bit = (m >> (drop - 1)) & 1 == 1;
        let rest_mask = (1u64 << (drop - 1)) - 1;
        (kept, round_bit, (m & rest_mask) != 0 || sticky)
    };
    if round_bit && (rest_nonzero || kept & 1 == 1) {
        kept += 1;
    }
    // kept × 2^(e - keep + 1); scale exactly in two steps to avoid intermediate overflow.
    let scale = e - keep + 1;
    let value = kept as f64;
    scale_by_power_of_two(value, scale)
}

fn scale_by_power_of_two(mut value: f64, mut scale: i64) -> f64 {
    while scale > 1000 {
        value *= 2f64.powi(1000);
        scale -= 1000;
        if value.is_infinite() {
            return value;
        }
    }
    while scale < -1000 {
        value *= 2f64.powi(-1000);
        scale += 1000;
    }
    value * 2f64.powi(scale as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_cast_and_strconv() {
        // Expected values from Helm 4.1.4 (`int "..."`).
        let cases: &[(&str, i64)] = &[
            ("12", 12),
            ("12.7", 0),
            ("0x1A", 26),
            ("010", 8),
            ("0o17", 15),
            ("0b11", 3),
            (" 5", 0),
            ("1e3", 0),
            ("12.0", 12),
            ("12.00", 12),
            ("12.", 0),
            ("1_000", 1000),
            ("+5", 5),
            ("-0x10", -16),
            ("0X1a", 26),
            (".0", 0),
            ("0.0", 0),
            ("-0", 0),
            ("0_7", 7),
            ("0b_1", 1),
            ("_1", 0),
            ("  ", 0),
            ("", 0),
            ("9223372036854775807", i64::MAX),
            ("9223372036854775808", 0),
            ("-9223372036854775808", i64::MIN),
            ("0x8000000000000000", 0),
            ("true", 0),
        ];
        for (text, want) in cases {
            assert_eq!(to_int64(&Value::from(*text)), *want, "int {text:?}");
        }
        assert_eq!(to_int64(&Value::Float(12.7)), 12);
        assert_eq!(to_int64(&Value::Float(-3.9)), -3);
        assert_eq!(to_int64(&Value::Float(1e20)), i64::MIN);
        assert_eq!(to_int64(&Value::Float(-1e20)), i64::MIN);
        assert_eq!(to_int64(&Value::Bool(true)), 1);
        assert_eq!(to_int64(&Value::Nil), 0);
        assert_eq!(to_int64(&Value::list(vec![])), 0);
    }

    #[test]
    fn floats_follow_strconv() {
        // Expected values from Helm 4.1.4 (`float64 "..."`).
        let cases: &[(&str, f64)] = &[
            ("1.5e3", 1500.0),
            ("abc", 0.0),
            ("0x10", 0.0),
            ("1_000", 1000.0),
            ("inf", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
            ("0x1p4", 16.0),
            ("1e400", 0.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("+.5e-2", 0.005),
            ("0x1.8p1", 3.0),
            ("1_0.5", 10.5),
            ("0x_1p0", 1.0),
            ("1e", 0.0),
            ("true", 0.0),
            ("12.0", 12.0),
            ("+nan", 0.0),
            ("infin", 0.0),
            ("0x1p-1074", 5e-324),
            ("0x1p-1075", 0.0),
            ("0x1.8p-1074", 1e-323),
            ("0x1.fffffffffffff8p0", 2.0),
            ("0x1.fffffffffffff7p0", 1.9999999999999998),
            ("0x1p1024", 0.0),
        ];
        for (text, want) in cases {
            let got = to_float64(&Value::from(*text));
            assert!(
                got == *want || (got.is_nan() && want.is_nan()),
                "float64 {text:?}: got {got}, want {want}"
            );
        }
        assert!(to_float64(&Value::from("nan")).is_nan());
        assert_eq!(to_float64(&Value::Bool(true)), 1.0);
        assert_eq!(to_float64(&Value::int64(7)), 7.0);
    }

    #[test]
    fn atoi_clamps_on_overflow() {
        // Expected values from Helm 4.1.4 (`atoi "..."`).
        assert_eq!(atoi("99999999999999999999"), i64::MAX);
        assert_eq!(atoi("-99999999999999999999"), i64::MIN);
        assert_eq!(atoi("+5"), 5);
        assert_eq!(atoi("1_0"), 0);
        assert_eq!(atoi("0x10"), 0);
        assert_eq!(atoi("007"), 7);
        assert_eq!(atoi(""), 0);
        assert_eq!(atoi("12a"), 0);
    }

    #[test]
    fn string_slices_skip_nil() {
        assert_eq!(to_string_slice(&Value::Nil), Vec::<String>::new());
        assert_eq!(
            to_string_slice(&Value::Bytes(b"hi".as_slice().into())),
            ["104", "105"]
        );
        assert_eq!(to_string(&Value::Bytes(b"hi".as_slice().into())), "hi");
        assert_eq!(to_string(&Value::from("x")), "x");
    }
}
