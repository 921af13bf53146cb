//! Template functions: dates (Sprig v3.3.0's `date.go`).
//!
//! Sprig's oddities are kept, because charts depend on them without knowing:
//! * `date`, `dateInZone` and `htmlDate*` take an `interface{}` and understand only
//!   `time.Time`, `*time.Time`, `int`, `int32` and `int64` (Unix seconds). Anything else, such as
//!   the `float64` every number in a values file is, silently formats the current time.
//! * `duration` understands only a `string` (parsed with `strconv.ParseInt`) and an `int64`, so
//!   `duration 3661`, whose literal is an `int`, is `0s`, while `duration (int64 3661)` is
//!   `1h1m1s`.
//! * `durationRound` understands a duration string, an `int64` of nanoseconds and a
//!   `time.Time` (the time since it); its units are `y` (365 days), `mo` (30 days), `d`, `h`,
//!   `m`, `s`, each used only when the duration strictly exceeds one unit.
//! * an unknown zone name formats in UTC; an unparsable date is the zero time; an invalid
//!   `dateModify` duration leaves the date unchanged.
//!
//! `time.Local` is the process's zone from `TZ`; the functions below take it as a parameter so
//! tests can pass any zone.

use super::{Args, FnCtx, FnError, Func, GoType};
use crate::datetime::{Clock, Duration, Location, Time, time_of};
use crate::value::{IntType, Value};

pub(super) const FUNCS: &[Func] = &[
    Func {
        name: "now",
        params: &[],
        variadic: None,
        call: now,
    },
    Func {
        name: "date",
        params: &[GoType::String, GoType::Any],
        variadic: None,
        call: date,
    },
    Func {
        name: "htmlDate",
        params: &[GoType::Any],
        variadic: None,
        call: html_date,
    },
    Func {
        name: "htmlDateInZone",
        params: &[GoType::Any, GoType::String],
        variadic: None,
        call: html_date_in_zone,
    },
    Func {
        name: "dateInZone",
        params: &[GoType::String, GoType::Any, GoType::String],
        variadic: None,
        call: date_in_zone,
    },
    Func {
        name: "date_in_zone",
        params: &[GoType::String, GoType::Any, GoType::String],
        variadic: None,
        call: date_in_zone,
    },
    Func {
        name: "dateModify",
        params: &[GoType::String, GoType::Any],
        variadic: None,
        call: date_modify,
    },
    Func {
        name: "date_modify",
        params: &[GoType::String, GoType::Any],
        variadic: None,
        call: date_modify,
    },
    Func {
        name: "mustDateModify",
        params: &[GoType::String, GoType::Any],
        variadic: None,
        call: must_date_modify,
    },
    Func {
        name: "must_date_modify",
        params: &[GoType::String, GoType::Any],
        variadic: None,
        call: must_date_modify,
    },
    Func {
        name: "ago",
        params: &[GoType::Any],
        variadic: None,
        call: ago,
    },
    Func {
        name: "duration",
        params: &[GoType::Any],
        variadic: None,
        call: duration,
    },
    Func {
        name: "durationRound",
        params: &[GoType::Any],
        variadic: None,
        call: duration_round,
    },
    Func {
        name: "toDate",
        params: &[GoType::String, GoType::String],
        variadic: None,
        call: to_date,
    },
    Func {
        name: "mustToDate",
        params: &[GoType::String, GoType::String],
        variadic: None,
        call: must_to_date,
    },
    Func {
        name: "unixEpoch",
        params: &[GoType::Any],
        variadic: None,
        call: unix_epoch,
    },
];

fn clock(ctx: &FnCtx<'_>) -> Clock {
    Clock::from_fixed(ctx.env().fixed_now_nanos)
}

fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Nil)
}

fn str_arg(args: &[Value], i: usize) -> &str {
    arg(args, i).as_str().unwrap_or("")
}

/// The parameters Sprig declares as `time.Time`. The evaluator has no such parameter type, so
/// the check happens here, with Go's conversion message.
fn time_arg(args: &[Value], i: usize) -> Result<&Time, FnError> {
    crate::datetime::expect_time(arg(args, i))
}

fn now(ctx: &mut FnCtx<'_>, _args: Args) -> Result<Value, FnError> {
    Ok(clock(ctx).now(&Location::local()).into_value())
}

fn date(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let local = Location::local();
    Ok(Value::from(format_in_zone(
        str_arg(&args, 0),
        arg(&args, 1),
        "Local",
        clock(ctx),
        &local,
    )))
}

fn html_date(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let local = Location::local();
    Ok(Value::from(format_in_zone(
        "2006-01-02",
        arg(&args, 0),
        "Local",
        clock(ctx),
        &local,
    )))
}

fn html_date_in_zone(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let local = Location::local();
    let zone = str_arg(&args, 1);
    Ok(Value::from(format_in_zone(
        "2006-01-02",
        arg(&args, 0),
        zone,
        clock(ctx),
        &local,
    )))
}

fn date_in_zone(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let local = Location::local();
    let (layout, zone) = (str_arg(&args, 0), str_arg(&args, 2));
    Ok(Value::from(format_in_zone(
        layout,
        arg(&args, 1),
        zone,
        clock(ctx),
        &local,
    )))
}

fn date_modify(_ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let t = time_arg(&args, 1)?;
    Ok(modify(str_arg(&args, 0), t)
        .unwrap_or_else(|_| t.clone())
        .into_value())
}

fn must_date_modify(_ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let t = time_arg(&args, 1)?;
    modify(str_arg(&args, 0), t).map(Time::into_value)
}

fn ago(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(ago_text(
        arg(&args, 0),
        clock(ctx),
        &Location::local(),
    )))
}

fn duration(_ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(seconds_text(arg(&args, 0))))
}

fn duration_round(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(rounded_text(arg(&args, 0), clock(ctx))))
}

fn to_date(_ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let local = Location::local();
    let parsed = parse_local(str_arg(&args, 0), str_arg(&args, 1), &local);
    Ok(parsed.unwrap_or_else(|_| Time::zero()).into_value())
}

fn must_to_date(_ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let local = Location::local();
    parse_local(str_arg(&args, 0), str_arg(&args, 1), &local)
        .map(Time::into_value)
        .map_err(|e| FnError::new(e.to_string()))
}

fn unix_epoch(_ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(time_arg(&args, 0)?.unix().to_string()))
}

/// Sprig's `dateInZone`: the time `date` stands for, shown in zone `zone` (UTC when the zone
/// cannot be loaded) and formatted with `layout`.
pub(crate) fn format_in_zone(
    layout: &str,
    date: &Value,
    zone: &str,
    clock: Clock,
    local: &Location,
) -> String {
    let t = match date {
        Value::Int(secs, IntType::Int | IntType::Int32 | IntType::Int64) => {
            Time::from_unix(*secs, 0, local)
        }
        other => match time_of(other) {
            Some(t) => t.clone(),
            None => clock.now(local),
        },
    };
    let loc = Location::load(zone, local).unwrap_or_else(|_| Location::utc());
    t.in_location(&loc).format(layout)
}

/// Sprig's `toDate`/`mustToDate`: `time.ParseInLocation(layout, value, time.Local)`.
pub(crate) fn parse_local(
    layout: &str,
    value: &str,
    local: &Location,
) -> Result<Time, crate::datetime::ParseError> {
    Time::parse(layout, value, local, local)
}

/// Sprig's `dateModify`: the time moved by a Go duration string.
fn modify(spec: &str, t: &Time) -> Result<Time, FnError> {
    let d = Duration::parse(spec).map_err(|e| FnError::new(e.to_string()))?;
    Ok(t.add(d))
}

/// Sprig's `ago`: the time since `date` (a `time.Time`, or Unix seconds as `int`/`int64`;
/// anything else means now), rounded to the second.
pub(crate) fn ago_text(date: &Value, clock: Clock, local: &Location) -> String {
    let t = match date {
        Value::Int(secs, IntType::Int | IntType::Int64) => Time::from_unix(*secs, 0, local),
        other => match time_of(other) {
            Some(t) => t.clone(),
            None => clock.now(local),
        },
    };
    clock
        .since(&t)
        .round(Duration::from_nanos(1_000_000_000))
        .to_string()
}

/// Sprig's `duration`: seconds given as a decimal string or an `int64`; anything else is 0.
pub(crate) fn seconds_text(v: &Value) -> String {
    let secs = match v {
        Value::String(s) => parse_int_base10(s),
        Value::Int(n, IntType::Int64) => *n,
        _ => 0,
    };
    Duration::from_secs_wrapping(secs).to_string()
}

/// `strconv.ParseInt(s, 10, 64)` with the error ignored, as Sprig ignores it: a syntax error
/// gives 0, an out-of-range number the nearest limit.
fn parse_int_base10(s: &str) -> i64 {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return 0;
    }
    let magnitude = digits.bytes().try_fold(0u64, |acc, c| {
        acc.checked_mul(10)
            .and_then(|x| x.checked_add(u64::from(c - b'0')))
    });
    match (neg, magnitude) {
        (false, Some(m)) => i64::try_from(m).unwrap_or(i64::MAX),
        (true, Some(m)) if m <= i64::MIN.unsigned_abs() => 0i64.wrapping_sub_unsigned(m),
        (false, None) => i64::MAX,
        (true, _) => i64::MIN,
    }
}

/// Sprig's `durationRound`: the duration in its largest whole unit.
pub(crate) fn rounded_text(v: &Value, clock: Clock) -> String {
    let d = match v {
        Value::String(s) => Duration::parse(s).unwrap_or_default(),
        Value::Int(n, IntType::Int64) => Duration::from_nanos(*n),
        other => match time_of(other) {
            Some(t) => clock.since(t),
            None => Duration::default(),
        },
    };
    let u = d.nanos().unsigned_abs();
    const SECOND: u64 = 1_000_000_000;
    const MINUTE: u64 = 60 * SECOND;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;
    const MONTH: u64 = 30 * DAY;
    const YEAR: u64 = 365 * DAY;
    let units = [
        (YEAR, "y"),
        (MONTH, "mo"),
        (DAY, "d"),
        (HOUR, "h"),
        (MINUTE, "m"),
        (SECOND, "s"),
    ];
    match units.iter().find(|(unit, _)| u > *unit) {
        Some((unit, suffix)) => format!("{}{suffix}", u / unit),
        None => "0s".to_string(),
    }
}

#[cfg(test)]
mod tests;
