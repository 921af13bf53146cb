//! Scalar resolution as go-yaml v2 does it: YAML 1.1 booleans (`y`, `yes`, `on`, ...), nulls,
//! integers through Go's `strconv.ParseInt(s, 0, 64)` after dropping underscores (so `0x1F`,
//! `0o17`, `012`, `0b101` and `1_000` are integers), floats, and the explicit tags `!!str`,
//! `!!int`, `!!float`, `!!bool`, `!!null`, `!!binary`, `!!timestamp`.
//!
//! Timestamps and base-60 numbers are recognised only to be quoted on output: decoded into an
//! `interface {}` they stay strings, as go-yaml v2 keeps them for compatibility.

/// The long form of the YAML core tags, as the parser reports them.
pub(crate) const STR_TAG: &str = "tag:yaml.org,2002:str";
pub(crate) const INT_TAG: &str = "tag:yaml.org,2002:int";
pub(crate) const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
pub(crate) const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
pub(crate) const NULL_TAG: &str = "tag:yaml.org,2002:null";
pub(crate) const BINARY_TAG: &str = "tag:yaml.org,2002:binary";
pub(crate) const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";
pub(crate) const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

/// What a scalar resolves to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Resolved {
    Null,
    Bool(bool),
    /// An integer that fits Go's `int`.
    Int(i64),
    /// An integer above `int64`'s range, kept as Go's `uint64`.
    Uint(u64),
    Float(f64),
    /// The scalar's own text.
    Str,
    /// A timestamp (decoded into an `interface {}` it stays its text).
    Timestamp,
    /// The merge key `<<`.
    Merge,
}

impl Resolved {
    /// The long tag of the resolved kind.
    fn tag(self) -> &'static str {
        match self {
            Resolved::Null => NULL_TAG,
            Resolved::Bool(_) => BOOL_TAG,
            Resolved::Int(_) | Resolved::Uint(_) => INT_TAG,
            Resolved::Float(_) => FLOAT_TAG,
            Resolved::Str => STR_TAG,
            Resolved::Timestamp => TIMESTAMP_TAG,
            Resolved::Merge => MERGE_TAG,
        }
    }
}

/// The words go-yaml v2 maps to a value without further parsing.
fn lookup_word(s: &str) -> Option<Resolved> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Resolved::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        "<<" => Resolved::Merge,
        _ => return None,
    })
}

/// `!!int` and friends, shortened the way go-yaml prints them in errors.
pub(crate) fn short_tag(tag: &str) -> String {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

/// Resolves a scalar with no tag (a plain scalar in a document).
pub(crate) fn resolve_plain(value: &str) -> Resolved {
    resolve_hinted(value, true)
}

/// Resolves a scalar under an explicit tag (`""` for none). Fails with go-yaml's
/// `cannot decode !!str `abc` as a !!int` when the text does not fit the tag.
pub(crate) fn resolve(tag: &str, value: &str) -> Result<Resolved, String> {
    let resolvable = matches!(
        tag,
        "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG
    );
    if !resolvable || tag == STR_TAG {
        return Ok(Resolved::Str);
    }
    let resolved = resolve_hinted(value, tag.is_empty() || tag == TIMESTAMP_TAG);
    if tag.is_empty() || resolved.tag() == tag {
        return Ok(resolved);
    }
    if tag == FLOAT_TAG {
        // go-yaml lets `!!float 1` through as the float 1.
        match resolved {
            Resolved::Int(i) => return Ok(Resolved::Float(i as f64)),
            Resolved::Uint(u) => return Ok(Resolved::Float(u as f64)),
            _ => {}
        }
    }
    Err(format!(
        "cannot decode {} `{}` as a {}",
        short_tag(resolved.tag()),
        value,
        short_tag(tag)
    ))
}

/// go-yaml's resolution by the first character's hint.
fn resolve_hinted(value: &str, timestamps: bool) -> Resolved {
    let Some(&first) = value.as_bytes().first() else {
        return Resolved::Null;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            lookup_word(value).unwrap_or(Resolved::Str)
        }
        b'.' => {
            if let Some(r) = lookup_word(value) {
                return r;
            }
            if is_dot_float(value)
                && let Ok(f) = value.replace('_', "").parse::<f64>()
                && f.is_finite()
            {
                return Resolved::Float(f);
            }
            Resolved::Str
        }
        b'0'..=b'9' | b'+' | b'-' => {
            if let Some(r) = lookup_word(value) {
                return r;
            }
            if timestamps && is_timestamp(value) {
                return Resolved::Timestamp;
            }
            let plain: std::borrow::Cow<'_, str> = if value.contains('_') {
                value
                    .chars()
                    .filter(|&c| c != '_')
                    .collect::<String>()
                    .into()
            } else {
                value.into()
            };
            if let Some(i) = go_parse_int(&plain) {
                return Resolved::Int(i);
            }
            if let Some(u) = go_parse_uint(&plain) {
                return Resolved::Uint(u);
            }
            if is_yaml_style_float(&plain)
                && let Ok(f) = plain.parse::<f64>()
            {
                // Go's ParseFloat reports overflow as an error; the text then stays a
                // string.
                if f.is_finite() {
                    return Resolved::Float(f);
                }
            }
            Resolved::Str
        }
        _ => Resolved::Str,
    }
}

/// Whether `s` would read back as something other than a string (go-yaml's test for
/// quoting a string on output), including the base-60 floats it quotes for older parsers.
pub(crate) fn needs_quotes(s: &str) -> bool {
    resolve_plain(s) != Resolved::Str || is_base60_float(s)
}

/// `.5`, `.5e3`, `.5_0`: what Go's `ParseFloat` accepts after a leading dot (underscores
/// only between digits).
fn is_dot_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(mut i) = digit_run(b, 1) else {
        return false;
    };
    if i == b.len() {
        return true;
    }
    if !matches!(b.get(i), Some(b'e' | b'E')) {
        return false;
    }
    i += 1;
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    digit_run(b, i) == Some(b.len())
}

/// The end of a run of digits starting at `i`, with single underscores allowed between
/// digits; `None` when there is no digit there.
fn digit_run(b: &[u8], mut i: usize) -> Option<usize> {
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    loop {
        match b.get(i) {
            Some(c) if c.is_ascii_digit() => i += 1,
            Some(b'_') if b.get(i + 1).is_some_and(u8::is_ascii_digit) => i += 1,
            _ => return Some(i),
        }
    }
}

/// An optional `e[+-]digits` that ends the text at `i`.
fn exponent_tail(b: &[u8], mut i: usize) -> bool {
    if i == b.len() {
        return true;
    }
    if !matches!(b.get(i), Some(b'e' | b'E')) {
        return false;
    }
    i += 1;
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i > start && i == b.len()
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    } else {
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    }
    exponent_tail(b, i)
}

/// Splits Go's base prefix off an unsigned number: `0x`, `0o`, `0b` or a leading `0`.
fn base_and_digits(s: &str) -> (u32, &str) {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0] == b'0' {
        match b[1] {
            b'x' | b'X' => return (16, &s[2..]),
            b'o' | b'O' => return (8, &s[2..]),
            b'b' | b'B' => return (2, &s[2..]),
            _ => return (8, &s[1..]),
        }
    }
    (10, s)
}

/// The magnitude of an unsigned number in Go's base-0 syntax, if it is one.
fn go_magnitude(s: &str) -> Option<u64> {
    let (base, digits) = base_and_digits(s);
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    u64::from_str_radix(digits, base).ok()
}

/// `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mag = go_magnitude(rest)?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Some((mag as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(mag).ok()
    }
}

/// `strconv.ParseUint(s, 0, 64)` (no sign allowed).
pub(crate) fn go_parse_uint(s: &str) -> Option<u64> {
    if s.starts_with(['+', '-']) {
        return None;
    }
    go_magnitude(s)
}

/// go-yaml's base-60 float pattern: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
pub(crate) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // `[0-5]?[0-9]`: one digit, or two with the first at most 5.
        match (b.get(i), b.get(i + 1)) {
            (Some(b'0'..=b'5'), Some(b'0'..=b'9')) => i += 2,
            (Some(b'0'..=b'9'), _) => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// Whether go-yaml v2's `parseTimestamp` accepts `s`: it must start with four digits and a
/// dash, then parse with one of Go's layouts `2006-1-2T15:4:5.999999999Z07:00` (also with a
/// lower-case `t`), `2006-1-2 15:4:5.999999999` or `2006-1-2`.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut p = TimeParser { b, i: 0 };
    let Some((year, month, day)) = p.date() else {
        return false;
    };
    if !valid_day(year, month, day) {
        return false;
    }
    if p.i == b.len() {
        return true;
    }
    let rest = p.i;
    // `T` or `t` layouts with a zone.
    for sep in [b'T', b't'] {
        let mut q = TimeParser { b, i: rest };
        if q.byte(sep) && q.clock() && q.zone() && q.i == b.len() {
            return true;
        }
    }
    // The space-separated layout without a zone; a layout space matches one or more spaces.
    let mut q = TimeParser { b, i: rest };
    if q.spaces() && q.clock() && q.i == b.len() {
        return true;
    }
    false
}

fn valid_day(year: u32, month: u32, day: u32) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The pieces of Go's `time.Parse` that the timestamp layouts use.
struct TimeParser<'a> {
    b: &'a [u8],
    i: usize,
}

impl TimeParser<'_> {
    fn byte(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn spaces(&mut self) -> bool {
        let start = self.i;
        while self.b.get(self.i) == Some(&b' ') {
            self.i += 1;
        }
        self.i > start
    }

    /// Go's `getnum(s, false)`: one digit, or two when a second follows.
    fn num12(&mut self) -> Option<u32> {
        let d0 = *self.b.get(self.i)?;
        if !d0.is_ascii_digit() {
            return None;
        }
        self.i += 1;
        let mut n = u32::from(d0 - b'0');
        if let Some(&d1) = self.b.get(self.i)
            && d1.is_ascii_digit()
        {
            self.i += 1;
            n = n * 10 + u32::from(d1 - b'0');
        }
        Some(n)
    }

    fn date(&mut self) -> Option<(u32, u32, u32)> {
        let year = std::str::from_utf8(self.b.get(..4)?).ok()?.parse().ok()?;
        self.i = 4;
        if !self.byte(b'-') {
            return None;
        }
        let month = self.num12()?;
        if !(1..=12).contains(&month) || !self.byte(b'-') {
            return None;
        }
        let day = self.num12()?;
        Some((year, month, day))
    }

    /// `15:4:5` with an optional fraction of any length.
    fn clock(&mut self) -> bool {
        let ok = (|| {
            let h = self.num12()?;
            if h >= 24 || !self.byte(b':') {
                return None;
            }
            let m = self.num12()?;
            if m >= 60 || !self.byte(b':') {
                return None;
            }
            let s = self.num12()?;
            if s >= 60 {
                return None;
            }
            Some(())
        })();
        if ok.is_none() {
            return false;
        }
        if matches!(self.b.get(self.i), Some(b'.' | b','))
            && self.b.get(self.i + 1).is_some_and(u8::is_ascii_digit)
        {
            self.i += 1;
            while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
                self.i += 1;
            }
        }
        true
    }

    /// `Z07:00`: `Z`, or a sign with `hh:mm`.
    fn zone(&mut self) -> bool {
        if self.byte(b'Z') {
            return true;
        }
        let Some(z) = self.b.get(self.i..self.i + 6) else {
            return false;
        };
        let digits = |x: &[u8]| x.iter().all(u8::is_ascii_digit);
        if !matches!(z[0], b'+' | b'-') || z[3] != b':' || !digits(&z[1..3]) || !digits(&z[4..6]) {
            return false;
        }
        let hour = u32::from(z[1] - b'0') * 10 + u32::from(z[2] - b'0');
        let minute = u32::from(z[4] - b'0') * 10 + u32::from(z[5] - b'0');
        if hour > 24 || minute > 60 {
            return false;
        }
        self.i += 6;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_as_go_yaml_v2() {
        let cases: &[(&str, Resolved)] = &[
            ("y", Resolved::Bool(true)),
            ("NO", Resolved::Bool(false)),
            ("On", Resolved::Bool(true)),
            ("~", Resolved::Null),
            ("", Resolved::Null),
            ("0x1F", Resolved::Int(31)),
            ("-0x1F", Resolved::Int(-31)),
            ("0o17", Resolved::Int(15)),
            ("012", Resolved::Int(10)),
            ("089", Resolved::Float(89.0)),
            ("0b101", Resolved::Int(5)),
            ("1_000", Resolved::Int(1000)),
            ("+12", Resolved::Int(12)),
            ("-0", Resolved::Int(0)),
            (
                "12345678901234567890",
                Resolved::Uint(12_345_678_901_234_567_890),
            ),
            ("99999999999999999999", Resolved::Float(1e20)),
            ("1e3", Resolved::Float(1000.0)),
            ("1.", Resolved::Float(1.0)),
            (".5", Resolved::Float(0.5)),
            ("1_000.5", Resolved::Float(1000.5)),
            ("1e400", Resolved::Str),
            ("1:20", Resolved::Str),
            ("2001-12-14", Resolved::Timestamp),
            ("2001-12-14T21:59:43.10-05:00", Resolved::Timestamp),
            ("2001-12-14t21:59:43.10-05:00", Resolved::Timestamp),
            ("2001-12-14 21:59:43.10", Resolved::Timestamp),
            ("2001-12-14 21:59:43.10 -5", Resolved::Str),
            ("2001-02-30", Resolved::Str),
            ("e3", Resolved::Str),
            (".", Resolved::Str),
            ("inf", Resolved::Str),
            ("<<", Resolved::Str),
            ("0x", Resolved::Str),
            ("-", Resolved::Str),
            ("1.2.3", Resolved::Str),
        ];
        for (input, want) in cases {
            let got = resolve_plain(input);
            match (got, want) {
                (Resolved::Float(a), Resolved::Float(b)) => {
                    assert!((a - b).abs() < 1e-9, "{input}")
                }
                _ => assert_eq!(&got, want, "{input}"),
            }
        }
        assert!(matches!(resolve_plain(".inf"), Resolved::Float(f) if f.is_infinite()));
        assert!(matches!(resolve_plain(".NaN"), Resolved::Float(f) if f.is_nan()));
    }

    #[test]
    fn tags_force_or_reject_types() {
        assert_eq!(resolve(STR_TAG, "123"), Ok(Resolved::Str));
        assert_eq!(resolve(INT_TAG, "42"), Ok(Resolved::Int(42)));
        assert_eq!(resolve(FLOAT_TAG, "1"), Ok(Resolved::Float(1.0)));
        assert_eq!(resolve(BOOL_TAG, "yes"), Ok(Resolved::Bool(true)));
        assert_eq!(resolve("!custom", "123"), Ok(Resolved::Str));
        assert_eq!(
            resolve(INT_TAG, "abc"),
            Err("cannot decode !!str `abc` as a !!int".to_string())
        );
        assert_eq!(
            resolve(INT_TAG, "1.5"),
            Err("cannot decode !!float `1.5` as a !!int".to_string())
        );
    }

    #[test]
    fn base60_pattern() {
        for s in ["1:20", "190:20:30", "12:30", "1:2:3", "-1:30", "1_0:30.5"] {
            assert!(is_base60_float(s), "{s}");
        }
        for s in ["1:", ":30", "1:60", "1:234", "a:1", "1"] {
            assert!(!is_base60_float(s), "{s}");
        }
    }
}
