//! Go's `time.Parse` / `time.ParseInLocation`: reading a value against a layout.
//!
//! The rules are Go's, including its leniencies: runs of spaces match runs of spaces, month
//! and day names match case-insensitively, an unrequested fractional second after the seconds
//! is accepted, a numeric offset or zone abbreviation known to the local zone yields the local
//! zone, and an unknown abbreviation yields a fixed zone with offset zero. The error texts are
//! Go's `ParseError` messages.

use std::fmt;

use super::format::{LONG_DAY_NAMES, LONG_MONTH_NAMES, SHORT_DAY_NAMES, SHORT_MONTH_NAMES};
use super::format::{Std, next_std_chunk};
use super::{Location, Time, days_in, is_leap};

/// Go's `*time.ParseError`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The layout being followed.
    pub layout: String,
    /// The whole value being parsed.
    pub value: Vec<u8>,
    /// The layout element that did not match.
    pub layout_elem: String,
    /// The part of the value that did not match.
    pub value_elem: Vec<u8>,
    /// A specific message (`: month out of range`), or empty for the generic one.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(
                f,
                "parsing time {} as {}: cannot parse {} as {}",
                quote(&self.value),
                quote(self.layout.as_bytes()),
                quote(&self.value_elem),
                quote(self.layout_elem.as_bytes())
            )
        } else {
            write!(f, "parsing time {}{}", quote(&self.value), self.message)
        }
    }
}

impl std::error::Error for ParseError {}

/// The `time` package's own quoting: bytes outside printable ASCII as `\xNN`, `"` and `\`
/// escaped with a backslash.
pub(super) fn quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        if !(b' '..0x80).contains(&b) {
            out.push_str(&format!("\\x{b:02x}"));
        } else {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(char::from(b));
        }
    }
    out.push('"');
    out
}

/// Go's `leadingInt`: the leading decimal digits as a number (`None` past 2^63), and the rest.
pub(super) fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x: u64 = 0;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(c - b'0');
        if x > 1 << 63 {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

/// Go's `atoi` in package `time`: an optional sign, then digits only.
fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (q, rest) = leading_int(digits)?;
    if !rest.is_empty() {
        return None;
    }
    let x = q as i64;
    Some(if neg { x.wrapping_neg() } else { x })
}

fn is_digit(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// Go's `getnum`: one or two digits (exactly two when `fixed`).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    if !is_digit(s, 0) {
        return None;
    }
    if !is_digit(s, 1) {
        if fixed {
            return None;
        }
        return Some((i64::from(s[0] - b'0'), &s[1..]));
    }
    Some((
        i64::from(s[0] - b'0') * 10 + i64::from(s[1] - b'0'),
        &s[2..],
    ))
}

/// Go's `getnum3`: one to three digits (exactly three when `fixed`).
fn getnum3(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let mut n = 0;
    let mut i = 0;
    while i < 3 && is_digit(s, i) {
        n = n * 10 + i64::from(s[i] - b'0');
        i += 1;
    }
    if i == 0 || (fixed && i != 3) {
        return None;
    }
    Some((n, &s[i..]))
}

/// Go's `skip`: removes the literal `prefix`, where a space matches any run of spaces.
fn skip<'v>(mut value: &'v [u8], prefix: &[u8]) -> Result<&'v [u8], &'v [u8]> {
    let mut prefix = prefix;
    while let Some(&p) = prefix.first() {
        if p == b' ' {
            if value.first().is_some_and(|&c| c != b' ') {
                return Err(value);
            }
            prefix = trim_spaces(prefix);
            value = trim_spaces(value);
            continue;
        }
        match value.first() {
            Some(&c) if c == p => {
                prefix = &prefix[1..];
                value = &value[1..];
            }
            _ => return Err(value),
        }
    }
    Ok(value)
}

fn trim_spaces(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| c == b' ').count();
    &s[n..]
}

/// Go's `lookup`: the index of the first name that `value` starts with, ignoring ASCII case.
fn lookup<'v>(names: &[&str], value: &'v [u8]) -> Option<(usize, &'v [u8])> {
    names.iter().enumerate().find_map(|(i, name)| {
        let head = value.get(..name.len())?;
        head.eq_ignore_ascii_case(name.as_bytes())
            .then(|| (i, &value[name.len()..]))
    })
}

/// Go's `parseNanoseconds`: a `.` or `,` then the digits of `value[1..nbytes]`, scaled to
/// nanoseconds (at most nine digits count).
fn parse_nanoseconds(value: &[u8], nbytes: usize) -> Result<i64, Option<&'static str>> {
    if !matches!(value.first(), Some(b'.' | b',')) {
        return Err(None);
    }
    let nbytes = nbytes.min(10);
    let digits = value.get(1..nbytes).ok_or(None)?;
    let ns = atoi(digits).ok_or(None)?;
    if ns < 0 {
        return Err(Some("fractional second"));
    }
    Ok(ns.wrapping_mul(10i64.pow((10 - nbytes) as u32)))
}

/// Go's `parseTimeZone`: the length of a zone abbreviation at the start of `value`.
fn parse_time_zone(value: &[u8]) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.starts_with(b"ChST") || value.starts_with(b"MeST") {
        return Some(4);
    }
    if value.starts_with(b"GMT") {
        return Some(
            3 + if value.len() == 3 {
                0
            } else {
                parse_signed_offset(&value[3..])
            },
        );
    }
    if value[0] == b'+' || value[0] == b'-' {
        let n = parse_signed_offset(value);
        return (n > 0).then_some(n);
    }
    let upper = value
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        3 => Some(3),
        4 if value[3] == b'T' || value.starts_with(b"WITA") => Some(4),
        5 if value[4] == b'T' => Some(5),
        _ => None,
    }
}

/// Go's `parseSignedOffset`: the length of a `+hh`/`-hh` offset (hours up to 23), or 0.
fn parse_signed_offset(value: &[u8]) -> usize {
    if !matches!(value.first(), Some(b'+' | b'-')) {
        return 0;
    }
    match leading_int(&value[1..]) {
        Some((x, rest)) if rest.len() != value.len() - 1 && x <= 23 => value.len() - rest.len(),
        _ => 0,
    }
}

/// Days before month `m` (1..=13) in a common year.
fn days_before(m: i64) -> i64 {
    const CUMULATIVE: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
    CUMULATIVE
        .get((m - 1).clamp(0, 12) as usize)
        .copied()
        .unwrap_or(365)
}

/// What the layout elements read so far say about the time.
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    yday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    nsec: i64,
    zone: Option<Location>,
    zone_offset: i64,
    zone_name: Vec<u8>,
    am: bool,
    pm: bool,
}

/// Why one layout element failed.
enum ElemError {
    /// The generic "cannot parse" error.
    Bad,
    /// A value out of range (`month`, `hour`, ...).
    Range(&'static str),
}

/// Go's `parse(layout, value, defaultLocation, local)`.
pub(super) fn parse(
    layout: &str,
    value: &str,
    default: &Location,
    local: &Location,
) -> Result<Time, ParseError> {
    let whole = value.as_bytes();
    let error = |layout_elem: &str, value_elem: &[u8], message: String| ParseError {
        layout: layout.to_string(),
        value: whole.to_vec(),
        layout_elem: layout_elem.to_string(),
        value_elem: value_elem.to_vec(),
        message,
    };
    let mut f = Fields {
        year: 0,
        month: -1,
        day: -1,
        yday: -1,
        hour: 0,
        min: 0,
        sec: 0,
        nsec: 0,
        zone: None,
        zone_offset: -1,
        zone_name: Vec::new(),
        am: false,
        pm: false,
    };
    let mut rest_layout = layout;
    let mut value = whole;
    loop {
        let (prefix, std, suffix) = next_std_chunk(rest_layout);
        let std_str = &rest_layout[prefix.len()..rest_layout.len() - suffix.len()];
        value = skip(value, prefix.as_bytes()).map_err(|at| error(prefix, at, String::new()))?;
        let Some(std) = std else {
            if !value.is_empty() {
                return Err(error("", value, format!(": extra text: {}", quote(value))));
            }
            break;
        };
        rest_layout = suffix;
        let hold = value;
        match parse_elem(std, value, suffix, &mut f) {
            Ok(rest) => value = rest,
            Err((ElemError::Range(what), rest)) => {
                return Err(error(std_str, rest, format!(": {what} out of range")));
            }
            Err((ElemError::Bad, _)) => return Err(error(std_str, hold, String::new())),
        }
    }
    if f.pm && f.hour < 12 {
        f.hour += 12;
    } else if f.am && f.hour == 12 {
        f.hour = 0;
    }

    if f.yday >= 0 {
        let mut yday = f.yday;
        let (mut m, mut d) = (0, 0);
        if is_leap(f.year) {
            if yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if !(1..=365).contains(&yday) {
            return Err(error("", value, ": day-of-year out of range".into()));
        }
        if m == 0 {
            m = (yday - 1) / 31 + 1;
            if days_before(m + 1) < yday {
                m += 1;
            }
            d = yday - days_before(m);
        }
        if f.month >= 0 && f.month != m {
            return Err(error(
                "",
                value,
                ": day-of-year does not match month".into(),
            ));
        }
        f.month = m;
        if f.day >= 0 && f.day != d {
            return Err(error("", value, ": day-of-year does not match day".into()));
        }
        f.day = d;
    } else {
        if f.month < 0 {
            f.month = 1;
        }
        if f.day < 0 {
            f.day = 1;
        }
    }
    if f.day < 1 || f.day > days_in(f.month, f.year) {
        return Err(error("", value, ": day out of range".into()));
    }

    let date =
        |loc: &Location| Time::from_date(f.year, f.month, f.day, f.hour, f.min, f.sec, f.nsec, loc);
    if let Some(zone) = &f.zone {
        return Ok(date(zone));
    }
    let zone_name = String::from_utf8_lossy(&f.zone_name).into_owned();
    if f.zone_offset != -1 {
        let mut t = date(&Location::utc());
        t.add_sec(-f.zone_offset);
        // A numeric offset that the local zone had at that instant means the local zone.
        let found = local.lookup(t.unix());
        if i64::from(found.offset) == f.zone_offset
            && (zone_name.is_empty() || found.name == zone_name)
        {
            return Ok(t.in_location(local));
        }
        let offset = i32::try_from(f.zone_offset).unwrap_or(0);
        return Ok(t.in_location(&Location::fixed(&zone_name, offset)));
    }
    if !zone_name.is_empty() {
        let mut t = date(&Location::utc());
        if let Some(offset) = local.lookup_name(&zone_name, t.unix()) {
            t.add_sec(-i64::from(offset));
            return Ok(t.in_location(local));
        }
        // An unknown abbreviation gets offset zero, except `GMT+h`.
        let mut offset = 0;
        if zone_name.len() > 3 && zone_name.starts_with("GMT") {
            offset = atoi(&f.zone_name[3..]).unwrap_or(0).wrapping_mul(3600);
        }
        let offset = i32::try_from(offset).unwrap_or(0);
        return Ok(t.in_location(&Location::fixed(&zone_name, offset)));
    }
    Ok(date(default))
}

type ElemResult<'v> = Result<&'v [u8], (ElemError, &'v [u8])>;

/// Reads one layout element from the start of `value`, returning the rest. `layout_rest` is
/// the layout after the element (a seconds element peeks at it).
fn parse_elem<'v>(std: Std, value: &'v [u8], layout_rest: &str, f: &mut Fields) -> ElemResult<'v> {
    let bad = |v: &'v [u8]| (ElemError::Bad, v);
    let range = |what: &'static str, v: &'v [u8]| (ElemError::Range(what), v);
    match std {
        Std::Year => {
            let digits = value.get(..2).ok_or(bad(value))?;
            let year = atoi(digits).ok_or(bad(value))?;
            f.year = if year >= 69 { year + 1900 } else { year + 2000 };
            Ok(&value[2..])
        }
        Std::LongYear => {
            if value.len() < 4 || !is_digit(value, 0) {
                return Err(bad(value));
            }
            f.year = atoi(&value[..4]).ok_or(bad(value))?;
            Ok(&value[4..])
        }
        Std::Month | Std::LongMonth => {
            let names: &[&str] = if std == Std::Month {
                &SHORT_MONTH_NAMES
            } else {
                &LONG_MONTH_NAMES
            };
            let (i, rest) = lookup(names, value).ok_or(bad(value))?;
            f.month = i as i64 + 1;
            Ok(rest)
        }
        Std::NumMonth | Std::ZeroMonth => {
            let (month, rest) = getnum(value, std == Std::ZeroMonth).ok_or(bad(value))?;
            f.month = month;
            if !(1..=12).contains(&month) {
                return Err(range("month", rest));
            }
            Ok(rest)
        }
        Std::WeekDay | Std::LongWeekDay => {
            // The day of the week is checked for form only.
            let names: &[&str] = if std == Std::WeekDay {
                &SHORT_DAY_NAMES
            } else {
                &LONG_DAY_NAMES
            };
            lookup(names, value).map(|(_, rest)| rest).ok_or(bad(value))
        }
        Std::Day | Std::UnderDay | Std::ZeroDay => {
            let mut v = value;
            if std == Std::UnderDay && v.first() == Some(&b' ') {
                v = &v[1..];
            }
            let (day, rest) = getnum(v, std == Std::ZeroDay).ok_or(bad(value))?;
            f.day = day;
            Ok(rest)
        }
        Std::UnderYearDay | Std::ZeroYearDay => {
            let mut v = value;
            for _ in 0..2 {
                if std == Std::UnderYearDay && v.first() == Some(&b' ') {
                    v = &v[1..];
                }
            }
            let (yday, rest) = getnum3(v, std == Std::ZeroYearDay).ok_or(bad(value))?;
            f.yday = yday;
            Ok(rest)
        }
        Std::Hour => {
            let (hour, rest) = getnum(value, false).ok_or(bad(value))?;
            f.hour = hour;
            if hour >= 24 {
                return Err(range("hour", rest));
            }
            Ok(rest)
        }
        Std::Hour12 | Std::ZeroHour12 => {
            let (hour, rest) = getnum(value, std == Std::ZeroHour12).ok_or(bad(value))?;
            f.hour = hour;
            if hour > 12 {
                return Err(range("hour", rest));
            }
            Ok(rest)
        }
        Std::Minute | Std::ZeroMinute => {
            let (min, rest) = getnum(value, std == Std::ZeroMinute).ok_or(bad(value))?;
            f.min = min;
            if min >= 60 {
                return Err(range("minute", rest));
            }
            Ok(rest)
        }
        Std::Second | Std::ZeroSecond => {
            let (sec, rest) = getnum(value, std == Std::ZeroSecond).ok_or(bad(value))?;
            f.sec = sec;
            if sec >= 60 {
                return Err(range("second", rest));
            }
            // A fractional second the layout does not ask for is still read.
            if rest.len() >= 2 && matches!(rest[0], b'.' | b',') && is_digit(rest, 1) {
                let next = next_std_chunk(layout_rest).1;
                if matches!(
                    next,
                    Some(Std::FracSecond0 { .. } | Std::FracSecond9 { .. })
                ) {
                    return Ok(rest);
                }
                let n = 2 + rest[2..].iter().take_while(|c| c.is_ascii_digit()).count();
                let after = &rest[n..];
                f.nsec = match parse_nanoseconds(rest, n) {
                    Ok(ns) => ns,
                    Err(Some(what)) => return Err(range(what, after)),
                    Err(None) => return Err(bad(value)),
                };
                return Ok(after);
            }
            Ok(rest)
        }
        Std::PM | Std::Pm => {
            let p = value.get(..2).ok_or(bad(value))?;
            let (pm, am): (&[u8], &[u8]) = if std == Std::PM {
                (b"PM", b"AM")
            } else {
                (b"pm", b"am")
            };
            if p == pm {
                f.pm = true;
            } else if p == am {
                f.am = true;
            } else {
                return Err(bad(value));
            }
            Ok(&value[2..])
        }
        Std::Iso8601TZ
        | Std::Iso8601SecondsTZ
        | Std::Iso8601ShortTZ
        | Std::Iso8601ColonTZ
        | Std::Iso8601ColonSecondsTZ
        | Std::NumTZ
        | Std::NumSecondsTZ
        | Std::NumShortTZ
        | Std::NumColonTZ
        | Std::NumColonSecondsTZ => {
            if std.is_iso8601() && value.first() == Some(&b'Z') {
                f.zone = Some(Location::utc());
                return Ok(&value[1..]);
            }
            parse_offset(std, value, f)
        }
        Std::TZ => {
            if value.starts_with(b"UTC") {
                f.zone = Some(Location::utc());
                return Ok(&value[3..]);
            }
            let n = parse_time_zone(value).ok_or(bad(value))?;
            f.zone_name = value[..n].to_vec();
            Ok(&value[n..])
        }
        Std::FracSecond0 { digits, .. } => {
            let n = 1 + digits;
            if value.len() < n {
                return Err(bad(value));
            }
            let after = &value[n..];
            f.nsec = match parse_nanoseconds(value, n) {
                Ok(ns) => ns,
                Err(Some(what)) => return Err(range(what, after)),
                Err(None) => return Err(bad(value)),
            };
            Ok(after)
        }
        Std::FracSecond9 { .. } => {
            if value.len() < 2 || !matches!(value[0], b'.' | b',') || !is_digit(value, 1) {
                // The fraction is optional.
                return Ok(value);
            }
            let n = 1 + value[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            let after = &value[n..];
            f.nsec = match parse_nanoseconds(value, n) {
                Ok(ns) => ns,
                Err(Some(what)) => return Err(range(what, after)),
                Err(None) => return Err(bad(value)),
            };
            Ok(after)
        }
    }
}

/// Reads a numeric zone offset (`-0700`, `-07:00`, `-07`, `-070000`, `-07:00:00`).
fn parse_offset<'v>(std: Std, value: &'v [u8], f: &mut Fields) -> ElemResult<'v> {
    let bad = (ElemError::Bad, value);
    // (total length, hour, minute, second) positions; None for a part the form lacks.
    let (len, colons): (usize, &[usize]) = match std {
        Std::Iso8601ColonTZ | Std::NumColonTZ => (6, &[3]),
        Std::NumShortTZ | Std::Iso8601ShortTZ => (3, &[]),
        Std::Iso8601ColonSecondsTZ | Std::NumColonSecondsTZ => (9, &[3, 6]),
        Std::Iso8601SecondsTZ | Std::NumSecondsTZ => (7, &[]),
        _ => (5, &[]),
    };
    if value.len() < len || colons.iter().any(|&i| value[i] != b':') {
        return Err(bad);
    }
    let part = |start: usize| &value[start..start + 2];
    let (hour, min, sec): (&[u8], &[u8], &[u8]) = match std {
        Std::Iso8601ColonTZ | Std::NumColonTZ => (part(1), part(4), b"00"),
        Std::NumShortTZ | Std::Iso8601ShortTZ => (part(1), b"00", b"00"),
        Std::Iso8601ColonSecondsTZ | Std::NumColonSecondsTZ => (part(1), part(4), part(7)),
        Std::Iso8601SecondsTZ | Std::NumSecondsTZ => (part(1), part(3), part(5)),
        _ => (part(1), part(3), b"00"),
    };
    let rest = &value[len..];
    let mut parsed_ok = true;
    let mut number = |digits: &[u8]| match getnum(digits, true) {
        Some((n, _)) if parsed_ok => n,
        _ => {
            parsed_ok = false;
            0
        }
    };
    let (hr, mm, ss) = (number(hour), number(min), number(sec));
    let mut range_error = None;
    if hr > 24 {
        range_error = Some("time zone offset hour");
    }
    if mm > 60 {
        range_error = Some("time zone offset minute");
    }
    if ss > 60 {
        range_error = Some("time zone offset second");
    }
    let mut offset = (hr * 60 + mm) * 60 + ss;
    match value[0] {
        b'+' => {}
        b'-' => offset = -offset,
        _ => parsed_ok = false,
    }
    f.zone_offset = offset;
    if let Some(what) = range_error {
        return Err((ElemError::Range(what), rest));
    }
    if !parsed_ok {
        return Err(bad);
    }
    Ok(rest)
}
