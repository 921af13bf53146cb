//! Go's layout language (`2006-01-02T15:04:05Z07:00`) and `Time.Format`.
//!
//! A layout is literal text with elements taken from the reference time
//! `Mon Jan 2 15:04:05 MST 2006`. The scanner below recognises exactly the elements Go's
//! `nextStdChunk` recognises, with its precedence (`Jan` only when not followed by a
//! lower-case letter, `_2006` as a literal `_` and a year, fractional seconds only when the
//! run of `0`s or `9`s is not followed by another digit).

use super::{Civil, Time, civil_from_abs};

/// One layout element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Std {
    /// `January`.
    LongMonth,
    /// `Jan`.
    Month,
    /// `1`.
    NumMonth,
    /// `01`.
    ZeroMonth,
    /// `Monday`.
    LongWeekDay,
    /// `Mon`.
    WeekDay,
    /// `2`.
    Day,
    /// `_2`.
    UnderDay,
    /// `02`.
    ZeroDay,
    /// `__2`.
    UnderYearDay,
    /// `002`.
    ZeroYearDay,
    /// `15`.
    Hour,
    /// `3`.
    Hour12,
    /// `03`.
    ZeroHour12,
    /// `4`.
    Minute,
    /// `04`.
    ZeroMinute,
    /// `5`.
    Second,
    /// `05`.
    ZeroSecond,
    /// `2006`.
    LongYear,
    /// `06`.
    Year,
    /// `PM`.
    PM,
    /// `pm`.
    Pm,
    /// `MST`.
    TZ,
    /// `Z0700`.
    Iso8601TZ,
    /// `Z070000`.
    Iso8601SecondsTZ,
    /// `Z07`.
    Iso8601ShortTZ,
    /// `Z07:00`.
    Iso8601ColonTZ,
    /// `Z07:00:00`.
    Iso8601ColonSecondsTZ,
    /// `-0700`.
    NumTZ,
    /// `-070000`.
    NumSecondsTZ,
    /// `-07`.
    NumShortTZ,
    /// `-07:00`.
    NumColonTZ,
    /// `-07:00:00`.
    NumColonSecondsTZ,
    /// `.000` / `,000`: `digits` fractional digits, trailing zeros kept.
    FracSecond0 { digits: usize, comma: bool },
    /// `.999` / `,999`: up to `digits` fractional digits, trailing zeros dropped.
    FracSecond9 { digits: usize, comma: bool },
}

impl Std {
    /// Whether the element is one of the `Z...` forms that print `Z` for a zero offset.
    pub(super) fn is_iso8601(self) -> bool {
        matches!(
            self,
            Std::Iso8601TZ
                | Std::Iso8601SecondsTZ
                | Std::Iso8601ShortTZ
                | Std::Iso8601ColonTZ
                | Std::Iso8601ColonSecondsTZ
        )
    }
}

/// The two-digit elements `01`..`06`.
const STD_0X: [Std; 6] = [
    Std::ZeroMonth,
    Std::ZeroDay,
    Std::ZeroHour12,
    Std::ZeroMinute,
    Std::ZeroSecond,
    Std::Year,
];

/// Splits `layout` at its first element: the literal text before it, the element, and the
/// rest. Without an element, returns the whole layout as the prefix.
pub(super) fn next_std_chunk(layout: &str) -> (&str, Option<Std>, &str) {
    let b = layout.as_bytes();
    let at = |i: usize, s: &str| b.get(i..i + s.len()) == Some(s.as_bytes());
    let lower_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_lowercase);
    for i in 0..b.len() {
        let found = match b[i] {
            b'J' if at(i, "Jan") => {
                if at(i, "January") {
                    Some((Std::LongMonth, 7))
                } else if !lower_at(i + 3) {
                    Some((Std::Month, 3))
                } else {
                    None
                }
            }
            b'M' if at(i, "Mon") && at(i, "Monday") => Some((Std::LongWeekDay, 6)),
            b'M' if at(i, "Mon") && !lower_at(i + 3) => Some((Std::WeekDay, 3)),
            b'M' if at(i, "MST") => Some((Std::TZ, 3)),
            b'0' if matches!(b.get(i + 1), Some(b'1'..=b'6')) => {
                let n = usize::from(b[i + 1] - b'1');
                Some((STD_0X[n], 2))
            }
            b'0' if at(i + 1, "02") => Some((Std::ZeroYearDay, 3)),
            b'1' if b.get(i + 1) == Some(&b'5') => Some((Std::Hour, 2)),
            b'1' => Some((Std::NumMonth, 1)),
            b'2' if at(i, "2006") => Some((Std::LongYear, 4)),
            b'2' => Some((Std::Day, 1)),
            b'_' if b.get(i + 1) == Some(&b'2') => {
                // `_2006` is a literal underscore followed by the year.
                if at(i + 1, "2006") {
                    return (&layout[..=i], Some(Std::LongYear), &layout[i + 5..]);
                }
                Some((Std::UnderDay, 2))
            }
            b'_' if at(i + 1, "_2") => Some((Std::UnderYearDay, 3)),
            b'3' => Some((Std::Hour12, 1)),
            b'4' => Some((Std::Minute, 1)),
            b'5' => Some((Std::Second, 1)),
            b'P' if b.get(i + 1) == Some(&b'M') => Some((Std::PM, 2)),
            b'p' if b.get(i + 1) == Some(&b'm') => Some((Std::Pm, 2)),
            b'-' if at(i, "-070000") => Some((Std::NumSecondsTZ, 7)),
            b'-' if at(i, "-07:00:00") => Some((Std::NumColonSecondsTZ, 9)),
            b'-' if at(i, "-0700") => Some((Std::NumTZ, 5)),
            b'-' if at(i, "-07:00") => Some((Std::NumColonTZ, 6)),
            b'-' if at(i, "-07") => Some((Std::NumShortTZ, 3)),
            b'Z' if at(i, "Z070000") => Some((Std::Iso8601SecondsTZ, 7)),
            b'Z' if at(i, "Z07:00:00") => Some((Std::Iso8601ColonSecondsTZ, 9)),
            b'Z' if at(i, "Z0700") => Some((Std::Iso8601TZ, 5)),
            b'Z' if at(i, "Z07:00") => Some((Std::Iso8601ColonTZ, 6)),
            b'Z' if at(i, "Z07") => Some((Std::Iso8601ShortTZ, 3)),
            c @ (b'.' | b',') if matches!(b.get(i + 1), Some(b'0' | b'9')) => {
                let digit = b[i + 1];
                let end = (i + 1..b.len()).find(|&j| b[j] != digit).unwrap_or(b.len());
                // The run must not be followed by another digit (`.0001` is not a fraction).
                if b.get(end).is_some_and(u8::is_ascii_digit) {
                    None
                } else {
                    // Go packs the count into 12 bits.
                    let (digits, comma) = ((end - (i + 1)) & 0xfff, c == b',');
                    let std = if digit == b'0' {
                        Std::FracSecond0 { digits, comma }
                    } else {
                        Std::FracSecond9 { digits, comma }
                    };
                    Some((std, end - i))
                }
            }
            _ => None,
        };
        if let Some((std, len)) = found {
            return (&layout[..i], Some(std), &layout[i + len..]);
        }
    }
    (layout, None, "")
}

pub(super) const LONG_DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
pub(super) const SHORT_DAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
pub(super) const LONG_MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub(super) const SHORT_MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Appends `x` in decimal, zero-padded to `width` digits after any minus sign (Go's
/// `appendInt`).
pub(super) fn push_int(out: &mut String, x: i64, width: usize) {
    if x < 0 {
        out.push('-');
    }
    let digits = x.unsigned_abs().to_string();
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

/// Appends the fractional second `nanos` for a `.000`/`.999` element (Go's `appendNano`).
fn push_nanos(out: &mut String, nanos: u32, digits: usize, comma: bool, trim: bool) {
    if trim && (digits == 0 || nanos == 0) {
        return;
    }
    let separator = if comma { ',' } else { '.' };
    let all = format!("{nanos:09}");
    let mut frac = &all[..digits.min(9)];
    if trim {
        frac = frac.trim_end_matches('0');
    }
    if !trim || !frac.is_empty() {
        out.push(separator);
    }
    out.push_str(frac);
}

/// Appends a numeric zone offset for one of the offset elements.
fn push_offset(out: &mut String, std: Std, offset: i32) {
    let minutes = offset / 60;
    out.push(if minutes < 0 { '-' } else { '+' });
    let (minutes, abs_offset) = (minutes.abs(), offset.abs());
    push_int(out, i64::from(minutes / 60), 2);
    let colon = matches!(
        std,
        Std::Iso8601ColonTZ | Std::NumColonTZ | Std::Iso8601ColonSecondsTZ | Std::NumColonSecondsTZ
    );
    if colon {
        out.push(':');
    }
    if !matches!(std, Std::NumShortTZ | Std::Iso8601ShortTZ) {
        push_int(out, i64::from(minutes % 60), 2);
    }
    match std {
        Std::Iso8601SecondsTZ | Std::NumSecondsTZ => push_int(out, i64::from(abs_offset % 60), 2),
        Std::Iso8601ColonSecondsTZ | Std::NumColonSecondsTZ => {
            out.push(':');
            push_int(out, i64::from(abs_offset % 60), 2);
        }
        _ => {}
    }
}

/// Go's `Time.Format`.
pub(super) fn format(t: &Time, layout: &str) -> String {
    let (zone, abs) = t.abs_seconds();
    let civil: Civil = civil_from_abs(abs);
    let mut out = String::with_capacity(layout.len() + 10);
    let mut layout = layout;
    loop {
        let (prefix, std, suffix) = next_std_chunk(layout);
        out.push_str(prefix);
        let Some(std) = std else { break };
        layout = suffix;
        let hour12 = match civil.hour % 12 {
            0 => 12,
            h => h,
        };
        match std {
            Std::Year => push_int(&mut out, (civil.year.unsigned_abs() % 100) as i64, 2),
            Std::LongYear => push_int(&mut out, civil.year, 4),
            Std::Month => out.push_str(month_name(civil.month).get(..3).unwrap_or("")),
            Std::LongMonth => out.push_str(&month_name(civil.month)),
            Std::NumMonth => push_int(&mut out, i64::from(civil.month), 0),
            Std::ZeroMonth => push_int(&mut out, i64::from(civil.month), 2),
            Std::WeekDay => out.push_str(SHORT_DAY_NAMES[usize::from(civil.weekday % 7)]),
            Std::LongWeekDay => out.push_str(LONG_DAY_NAMES[usize::from(civil.weekday % 7)]),
            Std::Day => push_int(&mut out, i64::from(civil.day), 0),
            Std::UnderDay => {
                if civil.day < 10 {
                    out.push(' ');
                }
                push_int(&mut out, i64::from(civil.day), 0);
            }
            Std::ZeroDay => push_int(&mut out, i64::from(civil.day), 2),
            Std::UnderYearDay => {
                if civil.yday < 100 {
                    out.push(' ');
                    if civil.yday < 10 {
                        out.push(' ');
                    }
                }
                push_int(&mut out, i64::from(civil.yday), 0);
            }
            Std::ZeroYearDay => push_int(&mut out, i64::from(civil.yday), 3),
            Std::Hour => push_int(&mut out, i64::from(civil.hour), 2),
            Std::Hour12 => push_int(&mut out, i64::from(hour12), 0),
            Std::ZeroHour12 => push_int(&mut out, i64::from(hour12), 2),
            Std::Minute => push_int(&mut out, i64::from(civil.minute), 0),
            Std::ZeroMinute => push_int(&mut out, i64::from(civil.minute), 2),
            Std::Second => push_int(&mut out, i64::from(civil.second), 0),
            Std::ZeroSecond => push_int(&mut out, i64::from(civil.second), 2),
            Std::PM => out.push_str(if civil.hour >= 12 { "PM" } else { "AM" }),
            Std::Pm => out.push_str(if civil.hour >= 12 { "pm" } else { "am" }),
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
                if zone.offset == 0 && std.is_iso8601() {
                    out.push('Z');
                } else {
                    push_offset(&mut out, std, zone.offset);
                }
            }
            Std::TZ => {
                if zone.name.is_empty() {
                    // An unnamed zone prints as -0700.
                    push_offset(&mut out, Std::NumTZ, zone.offset);
                } else {
                    out.push_str(&zone.name);
                }
            }
            Std::FracSecond0 { digits, comma } => {
                push_nanos(&mut out, t.nanosecond(), digits, comma, false);
            }
            Std::FracSecond9 { digits, comma } => {
                push_nanos(&mut out, t.nanosecond(), digits, comma, true);
            }
        }
    }
    out
}

/// Go's `Month.String()`: the English name, or `%!Month(n)` out of range.
pub(super) fn month_name(month: u8) -> String {
    match LONG_MONTH_NAMES.get(usize::from(month).wrapping_sub(1)) {
        Some(name) => (*name).to_string(),
        None => format!("%!Month({month})"),
    }
}
