//! Go's `time` package as templates see it: `time.Time` values with their zone, Go layout
//! formatting and parsing, `time.Duration`, and the local zone taken from `TZ`.
//!
//! Helm's date functions are Sprig's, which hand back and format `time.Time` values, so every
//! observable detail comes from Go: `Time.String()` (`2024-01-15 10:30:00 +0000 UTC`, plus
//! `m=+0.000123456` for a reading of the monotonic clock), the layout language
//! (`2006-01-02T15:04:05Z07:00`), `ParseDuration`, `Duration.String()` and the zone files.
//!
//! Arithmetic follows Go's representation exactly, including its integer wrap-around: seconds
//! are kept since January 1 of year 1, calendar fields are computed from a count of seconds since
//! March 1 of year -292277022400 as an unsigned number, and `Add` saturates where Go's does.

mod duration;
mod format;
mod object;
mod parse;
mod zone;

#[cfg(test)]
mod tests;

use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

pub use duration::{Duration, ParseDurationError};
pub(crate) use object::expect_time;
pub use object::{GoLocation, Month, Weekday, time_of};
pub use parse::ParseError;
pub use zone::{Location, LocationError, ZoneInfo};

const SECONDS_PER_MINUTE: i64 = 60;
const SECONDS_PER_HOUR: i64 = 60 * SECONDS_PER_MINUTE;
const SECONDS_PER_DAY: i64 = 24 * SECONDS_PER_HOUR;
const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// Years between the absolute epoch (March 1 of year -292277022400) and year 0.
const ABSOLUTE_YEARS: u64 = 292_277_022_400;
/// Days from March 1 through December 31.
const MARCH_THRU_DECEMBER: u32 = 306;
/// Seconds between January 1 of year 1 (Go's internal epoch) and the Unix epoch.
const UNIX_TO_INTERNAL: i64 = 62_135_596_800;
/// Seconds between the absolute epoch and the internal epoch, negated.
const ABSOLUTE_TO_INTERNAL: i64 = -9_223_371_966_606_163_200;
/// Unix seconds to absolute seconds.
const UNIX_TO_ABSOLUTE: i64 = UNIX_TO_INTERNAL - ABSOLUTE_TO_INTERNAL;
/// Internal seconds of January 1, 1885: Go keeps a monotonic reading only for wall times in
/// the 2^33 seconds after it.
const WALL_TO_INTERNAL: i64 = 59_453_308_800;
const MAX_WALL: i64 = WALL_TO_INTERNAL + ((1 << 33) - 1);

/// A Go `time.Time`: an instant with nanosecond precision, a location for presentation, and
/// an optional reading of the monotonic clock (only `now` has one).
#[derive(Clone, Debug)]
pub struct Time {
    /// Seconds since January 1, year 1, 00:00:00 UTC.
    sec: i64,
    /// Nanoseconds within the second, `0..1e9`.
    nsec: u32,
    /// Monotonic clock reading, nanoseconds since the process started.
    mono: Option<i64>,
    loc: Location,
}

/// A calendar date and clock time in some zone, as Go's accessors return them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    /// The year (may be zero or negative).
    pub year: i64,
    /// The month, 1..=12.
    pub month: u8,
    /// The day of the month, 1..=31.
    pub day: u8,
    /// The day of the year, 1..=366.
    pub yday: u16,
    /// The day of the week, 0 (Sunday)..=6.
    pub weekday: u8,
    /// The hour, 0..=23.
    pub hour: u8,
    /// The minute, 0..=59.
    pub minute: u8,
    /// The second, 0..=59.
    pub second: u8,
}

impl Time {
    /// Go's zero `Time{}`: January 1, year 1, 00:00:00 UTC.
    pub fn zero() -> Time {
        Time {
            sec: 0,
            nsec: 0,
            mono: None,
            loc: Location::utc(),
        }
    }

    /// Go's `time.Unix(sec, nsec)` shown in `loc` (Go uses `time.Local`).
    pub fn from_unix(sec: i64, nsec: i64, loc: &Location) -> Time {
        let (mut sec, mut nsec) = (sec, nsec);
        if !(0..NANOS_PER_SECOND).contains(&nsec) {
            let carry = nsec / NANOS_PER_SECOND;
            sec = sec.wrapping_add(carry);
            nsec -= carry * NANOS_PER_SECOND;
            if nsec < 0 {
                nsec += NANOS_PER_SECOND;
                sec = sec.wrapping_sub(1);
            }
        }
        Time {
            sec: sec.wrapping_add(UNIX_TO_INTERNAL),
            nsec: nsec as u32,
            mono: None,
            loc: loc.clone(),
        }
    }

    /// Go's `time.Date(...)`: out-of-range fields carry into the next larger one (month 13 is
    /// January of the next year), and a local time skipped or repeated by a zone transition is
    /// resolved as Go resolves it.
    #[allow(clippy::too_many_arguments)]
    pub fn from_date(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        min: i64,
        sec: i64,
        nsec: i64,
        loc: &Location,
    ) -> Time {
        let (year, month0) = norm(year, month.wrapping_sub(1), 12);
        let (sec, nsec) = norm(sec, nsec, NANOS_PER_SECOND);
        let (min, sec) = norm(min, sec, 60);
        let (hour, min) = norm(hour, min, 60);
        let (day, hour) = norm(day, hour, 24);
        let days = date_to_abs_days(year, (month0 + 1) as u32, day);
        let clock = hour
            .wrapping_mul(SECONDS_PER_HOUR)
            .wrapping_add(min.wrapping_mul(SECONDS_PER_MINUTE))
            .wrapping_add(sec);
        let mut unix = (days as i64)
            .wrapping_mul(SECONDS_PER_DAY)
            .wrapping_add(clock)
            .wrapping_sub(UNIX_TO_ABSOLUTE);
        // Guess the offset from the wall time read as UTC, then correct it with the offset in
        // effect at the instant that guess gives (Go's two-step lookup in `Date`).
        let guess = loc.lookup(unix).offset;
        if guess != 0 {
            let corrected = loc.lookup(unix.wrapping_sub(i64::from(guess))).offset;
            unix = unix.wrapping_sub(i64::from(corrected));
        }
        let mut t = Time::from_unix(unix, 0, loc);
        t.nsec = nsec as u32;
        t
    }

    /// Unix seconds.
    pub fn unix(&self) -> i64 {
        self.sec.wrapping_sub(UNIX_TO_INTERNAL)
    }

    /// Unix nanoseconds (wrapping outside years 1678..2262, as Go's does).
    pub fn unix_nano(&self) -> i64 {
        self.unix()
            .wrapping_mul(NANOS_PER_SECOND)
            .wrapping_add(i64::from(self.nsec))
    }

    /// Unix milliseconds.
    pub fn unix_milli(&self) -> i64 {
        self.unix()
            .wrapping_mul(1000)
            .wrapping_add(i64::from(self.nsec / 1_000_000))
    }

    /// Unix microseconds.
    pub fn unix_micro(&self) -> i64 {
        self.unix()
            .wrapping_mul(1_000_000)
            .wrapping_add(i64::from(self.nsec / 1000))
    }

    /// The nanoseconds within the second.
    pub fn nanosecond(&self) -> u32 {
        self.nsec
    }

    /// The location used for presentation.
    pub fn location(&self) -> &Location {
        &self.loc
    }

    /// The monotonic clock reading, if the time has one.
    pub fn monotonic(&self) -> Option<i64> {
        self.mono
    }

    /// Whether this is the zero time (`IsZero`).
    pub fn is_zero(&self) -> bool {
        self.sec == 0 && self.nsec == 0
    }

    /// The zone abbreviation and offset in effect (`Zone`).
    pub fn zone(&self) -> ZoneInfo {
        self.loc.lookup(self.unix())
    }

    /// The same instant shown in `loc`, without a monotonic reading (`In`, `UTC`, `Local`).
    #[must_use]
    pub fn in_location(&self, loc: &Location) -> Time {
        Time {
            sec: self.sec,
            nsec: self.nsec,
            mono: None,
            loc: loc.clone(),
        }
    }

    /// Seconds since the absolute epoch in the time's own zone, as an unsigned count.
    fn abs_seconds(&self) -> (ZoneInfo, u64) {
        let zone = self.zone();
        let local = self.unix().wrapping_add(i64::from(zone.offset));
        (zone, local.wrapping_add(UNIX_TO_ABSOLUTE) as u64)
    }

    /// The calendar fields in the time's zone.
    pub fn civil(&self) -> Civil {
        civil_from_abs(self.abs_seconds().1)
    }

    /// `Add(d)`: the monotonic reading moves too, and the wall clock saturates as in Go.
    #[must_use]
    pub fn add(&self, d: Duration) -> Time {
        let d = d.nanos();
        let mut dsec = d / NANOS_PER_SECOND;
        let mut nsec = i64::from(self.nsec) + d % NANOS_PER_SECOND;
        if nsec >= NANOS_PER_SECOND {
            dsec += 1;
            nsec -= NANOS_PER_SECOND;
        } else if nsec < 0 {
            dsec -= 1;
            nsec += NANOS_PER_SECOND;
        }
        let mut t = self.clone();
        t.nsec = nsec as u32;
        t.add_sec(dsec);
        if let Some(mono) = t.mono {
            t.mono = mono.checked_add(d);
        }
        t
    }

    /// Go's `addSec`: a time with a monotonic reading loses it when the wall clock leaves the
    /// range Go can pack; otherwise the seconds saturate at ±(2^63-1).
    fn add_sec(&mut self, d: i64) {
        if self.mono.is_some() {
            let sum = self.sec.wrapping_add(d);
            if (WALL_TO_INTERNAL..=MAX_WALL).contains(&sum) && self.sec.checked_add(d).is_some() {
                self.sec = sum;
                return;
            }
            self.mono = None;
        }
        self.sec = match self.sec.checked_add(d) {
            Some(sum) => sum,
            None if d > 0 => i64::MAX,
            None => -i64::MAX,
        };
    }

    /// `Sub(u)`: the duration `self - u`, clamped to the representable range.
    pub fn sub(&self, u: &Time) -> Duration {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return Duration::from_nanos(match a.checked_sub(b) {
                Some(d) => d,
                None if a > b => i64::MAX,
                None => i64::MIN,
            });
        }
        let d = self
            .sec
            .wrapping_sub(u.sec)
            .wrapping_mul(NANOS_PER_SECOND)
            .wrapping_add(i64::from(self.nsec) - i64::from(u.nsec));
        if u.add(Duration::from_nanos(d)).equal(self) {
            Duration::from_nanos(d)
        } else if self.before(u) {
            Duration::from_nanos(i64::MIN)
        } else {
            Duration::from_nanos(i64::MAX)
        }
    }

    /// `AddDate(years, months, days)`, normalised like `Date`.
    #[must_use]
    pub fn add_date(&self, years: i64, months: i64, days: i64) -> Time {
        let c = self.civil();
        Time::from_date(
            c.year.wrapping_add(years),
            i64::from(c.month).wrapping_add(months),
            i64::from(c.day).wrapping_add(days),
            i64::from(c.hour),
            i64::from(c.minute),
            i64::from(c.second),
            i64::from(self.nsec),
            &self.loc,
        )
    }

    /// The signed order of the two instants (`Compare`), by monotonic reading when both have one.
    pub fn compare(&self, u: &Time) -> std::cmp::Ordering {
        match (self.mono, u.mono) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => (self.sec, self.nsec).cmp(&(u.sec, u.nsec)),
        }
    }

    /// `Before(u)`.
    pub fn before(&self, u: &Time) -> bool {
        self.compare(u).is_lt()
    }

    /// `After(u)`.
    pub fn after(&self, u: &Time) -> bool {
        self.compare(u).is_gt()
    }

    /// `Equal(u)`: the same instant, whatever the locations.
    pub fn equal(&self, u: &Time) -> bool {
        self.compare(u).is_eq()
    }

    /// The remainder of the time since the zero time divided by `d` (Go's `div`), `0 <= r < d`.
    fn remainder(&self, d: i64) -> i64 {
        let total = i128::from(self.sec) * i128::from(NANOS_PER_SECOND) + i128::from(self.nsec);
        total.rem_euclid(i128::from(d)) as i64
    }

    /// `Truncate(d)`: rounded down to a multiple of `d` since the zero time.
    #[must_use]
    pub fn truncate(&self, d: Duration) -> Time {
        let mut t = self.clone();
        t.mono = None;
        if d.nanos() <= 0 {
            return t;
        }
        let r = t.remainder(d.nanos());
        t.add(Duration::from_nanos(-r))
    }

    /// `Round(d)`: rounded to the nearest multiple of `d` since the zero time, halves up.
    #[must_use]
    pub fn round(&self, d: Duration) -> Time {
        let mut t = self.clone();
        t.mono = None;
        let d = d.nanos();
        if d <= 0 {
            return t;
        }
        let r = t.remainder(d);
        if (r as u64).wrapping_add(r as u64) < d as u64 {
            t.add(Duration::from_nanos(-r))
        } else {
            t.add(Duration::from_nanos(d - r))
        }
    }

    /// `Format(layout)`.
    pub fn format(&self, layout: &str) -> String {
        format::format(self, layout)
    }

    /// `String()`: `2006-01-02 15:04:05.999999999 -0700 MST`, then ` m=±s.nnnnnnnnn` when the
    /// time carries a monotonic reading.
    pub fn go_string(&self) -> String {
        let mut s = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(mono) = self.mono {
            let sign = if mono < 0 { '-' } else { '+' };
            let m = mono.unsigned_abs();
            let (whole, frac) = (m / 1_000_000_000, m % 1_000_000_000);
            s.push_str(&format!(" m={sign}{whole}.{frac:09}"));
        }
        s
    }

    /// `MarshalJSON`'s text without quotes: RFC 3339 with trailing-zero-free nanoseconds.
    /// Go refuses years outside 0..=9999 and offsets of 24 hours or more; the error text is
    /// returned for those.
    pub fn rfc3339_nano(&self) -> Result<String, String> {
        let year = self.civil().year;
        if !(0..=9999).contains(&year) {
            return Err("Time.MarshalJSON: year outside of range [0,9999]".into());
        }
        if self.zone().offset.unsigned_abs() / 3600 >= 24 {
            return Err("Time.MarshalJSON: timezone hour outside of range [0,23]".into());
        }
        Ok(self.format("2006-01-02T15:04:05.999999999Z07:00"))
    }

    /// Go's `ParseInLocation(layout, value, loc)`; `Parse` is this with `loc` = UTC and
    /// `local` = `time.Local`. Offsets that match `local` at the parsed instant yield `local`,
    /// others a fixed zone.
    pub fn parse(
        layout: &str,
        value: &str,
        default: &Location,
        local: &Location,
    ) -> Result<Time, ParseError> {
        parse::parse(layout, value, default, local)
    }
}

/// Go's `norm`: carries `lo` into `hi` so that `0 <= lo < base`.
fn norm(hi: i64, lo: i64, base: i64) -> (i64, i64) {
    let (mut hi, mut lo) = (hi, lo);
    if lo < 0 {
        let n = (lo.wrapping_neg().wrapping_sub(1)) / base + 1;
        hi = hi.wrapping_sub(n);
        lo = lo.wrapping_add(n.wrapping_mul(base));
    }
    if lo >= base {
        let n = lo / base;
        hi = hi.wrapping_add(n);
        lo = lo.wrapping_sub(n.wrapping_mul(base));
    }
    (hi, lo)
}

/// Days from the absolute epoch to the given date (`month` in 1..=12, `day` unbounded).
fn date_to_abs_days(year: i64, month: u32, day: i64) -> u64 {
    let jan_feb = u32::from(month < 3);
    let amonth = month + 12 * jan_feb;
    let y = (year as u64)
        .wrapping_sub(u64::from(jan_feb))
        .wrapping_add(ABSOLUTE_YEARS);
    // Days before the month in a March-based year: 0 for March, 31 for April, ...
    let ayday = (979 * amonth - 2919) >> 5;
    let century = y / 100;
    let cyear = (y % 100) as u32;
    let cday = 1461 * cyear / 4;
    let century_days = 146_097u64.wrapping_mul(century) / 4;
    century_days.wrapping_add(i64::from(cday + ayday).wrapping_add(day).wrapping_sub(1) as u64)
}

/// Calendar fields from absolute seconds (Neri–Schneider on a March-based year, as Go does).
fn civil_from_abs(abs: u64) -> Civil {
    let days = abs / SECONDS_PER_DAY as u64;
    let d = days.wrapping_mul(4).wrapping_add(3);
    let century = d / 146_097;
    let cd = ((d % 146_097) as u32) | 3;
    let product = u64::from(cd) * 2_939_745;
    let cyear = (product >> 32) as u32;
    let ayday = (product as u32) / 2_939_745 / 4;
    let m = 2141 * ayday + 197_913;
    let amonth = m >> 16;
    let mday = (m & 0xFFFF) / 2141 + 1;
    let jan_feb = u32::from(ayday >= MARCH_THRU_DECEMBER);
    let year = (century.wrapping_mul(100).wrapping_sub(ABSOLUTE_YEARS) as i64)
        .wrapping_add(i64::from(cyear))
        .wrapping_add(i64::from(jan_feb));
    let leap = u32::from(cyear.is_multiple_of(4) && (cyear != 0 || century.is_multiple_of(4)));
    let yday = ayday + 1 + 31 + 28 + (leap & !jan_feb) - 365 * jan_feb;
    let clock = abs % SECONDS_PER_DAY as u64;
    Civil {
        year,
        month: (amonth - 12 * jan_feb) as u8,
        day: mday as u8,
        yday: yday as u16,
        // March 1 of the absolute epoch was a Wednesday.
        weekday: ((days.wrapping_add(3)) % 7) as u8,
        hour: (clock / 3600) as u8,
        minute: (clock % 3600 / 60) as u8,
        second: (clock % 60) as u8,
    }
}

/// Whether `year` is a Gregorian leap year.
fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` (1..=12) of `year`.
fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Where "now" comes from: the system clock, or a fixed instant for reproducible renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// The system's wall clock, with a monotonic reading as Go's `time.Now` has.
    System,
    /// A fixed instant in Unix nanoseconds. Its monotonic reading is always 1ns.
    Fixed(i128),
}

/// The process's monotonic origin (Go measures from runtime start).
fn monotonic_origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

/// Starts the monotonic clock that `now` readings are measured from. Go starts it when the
/// process starts; calling this early makes our `m=+...` readings look alike. Optional.
pub fn start_monotonic_clock() {
    monotonic_origin();
}

impl Clock {
    /// The clock for a render: fixed when `fixed_now_nanos` is set.
    pub fn from_fixed(fixed_now_nanos: Option<i128>) -> Clock {
        fixed_now_nanos.map_or(Clock::System, Clock::Fixed)
    }

    /// Go's `time.Now()` in `local`.
    pub fn now(self, local: &Location) -> Time {
        let (unix_nanos, mono) = match self {
            Clock::Fixed(nanos) => (nanos, 1),
            Clock::System => {
                let origin = monotonic_origin();
                let wall = match SystemTime::now().duration_since(UNIX_EPOCH) {
                    Ok(d) => d.as_nanos() as i128,
                    Err(e) => -(e.duration().as_nanos() as i128),
                };
                let mono = i64::try_from(origin.elapsed().as_nanos()).unwrap_or(i64::MAX);
                (wall, mono.saturating_add(1))
            }
        };
        let sec = unix_nanos.div_euclid(1_000_000_000);
        let nsec = unix_nanos.rem_euclid(1_000_000_000) as i64;
        let sec = i64::try_from(sec).unwrap_or(if sec < 0 { i64::MIN } else { i64::MAX });
        let mut t = Time::from_unix(sec, nsec, local);
        if (WALL_TO_INTERNAL..=MAX_WALL).contains(&t.sec) {
            t.mono = Some(mono);
        }
        t
    }

    /// Go's `time.Since(t)`: by monotonic readings when `t` has one.
    pub fn since(self, t: &Time) -> Duration {
        self.now(&Location::utc()).sub(t)
    }
}
