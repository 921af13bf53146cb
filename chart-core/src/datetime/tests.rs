//! Unit tests of the `time` model. Expected values are Go's (checked with Helm 4.1.4 where a
//! template can show them); the large Helm-generated table lives with the date functions.

use super::*;
use crate::value::{Kind, Object, Value};

fn utc() -> Location {
    Location::utc()
}

fn rfc(value: &str) -> Time {
    Time::parse("2006-01-02T15:04:05.999999999Z07:00", value, &utc(), &utc())
        .unwrap_or_else(|e| panic!("{value}: {e}"))
}

#[test]
fn durations_print_like_go() {
    let cases: &[(i64, &str)] = &[
        (0, "0s"),
        (1, "1ns"),
        (-1, "-1ns"),
        (999, "999ns"),
        (1_000, "1µs"),
        (1_500, "1.5µs"),
        (1_000_000, "1ms"),
        (1_234_567, "1.234567ms"),
        (1_000_000_000, "1s"),
        (1_500_000_000, "1.5s"),
        (60_000_000_000, "1m0s"),
        (-60_000_000_000, "-1m0s"),
        (3_661_000_000_000, "1h1m1s"),
        (3_600_000_000_001, "1h0m0.000000001s"),
        (i64::MAX, "2562047h47m16.854775807s"),
        (i64::MIN, "-2562047h47m16.854775808s"),
    ];
    for (nanos, text) in cases {
        assert_eq!(Duration::from_nanos(*nanos).to_string(), *text);
    }
}

#[test]
fn durations_parse_like_go() {
    let ok: &[(&str, i64)] = &[
        ("0", 0),
        ("-0", 0),
        ("1h1m1s", 3_661_000_000_000),
        ("1.5h", 5_400_000_000_000),
        ("-1.5s", -1_500_000_000),
        ("+2ms", 2_000_000),
        (".5us", 500),
        ("1.µs", 1_000),
        ("1μs", 1_000),
        ("1h1h", 7_200_000_000_000),
        ("2562047h47m16.854775807s", i64::MAX),
        ("-9223372036854775808ns", i64::MIN),
        // Go's unsigned sum wraps to zero here and is accepted.
        ("9223372036854775808ns9223372036854775808ns", 0),
    ];
    for (text, nanos) in ok {
        assert_eq!(
            Duration::parse(text),
            Ok(Duration::from_nanos(*nanos)),
            "{text}"
        );
    }
    let errors: &[(&str, &str)] = &[
        ("", r#"time: invalid duration """#),
        ("1", r#"time: missing unit in duration "1""#),
        ("1x", r#"time: unknown unit "x" in duration "1x""#),
        (
            "1é",
            r#"time: unknown unit "\xc3\xa9" in duration "1\xc3\xa9""#,
        ),
        (".h", r#"time: invalid duration ".h""#),
        (
            "9223372036854775808ns",
            r#"time: invalid duration "9223372036854775808ns""#,
        ),
        (
            "99999999999999999999h",
            r#"time: invalid duration "99999999999999999999h""#,
        ),
    ];
    for (text, message) in errors {
        assert_eq!(
            Duration::parse(text).map_err(|e| e.to_string()),
            Err(message.to_string())
        );
    }
}

#[test]
fn duration_rounding_saturates() {
    let d = |n| Duration::from_nanos(n);
    assert_eq!(d(1_499_999_999).round(d(1_000_000_000)), d(1_000_000_000));
    assert_eq!(d(1_500_000_000).round(d(1_000_000_000)), d(2_000_000_000));
    assert_eq!(d(-1_500_000_000).round(d(1_000_000_000)), d(-2_000_000_000));
    assert_eq!(d(i64::MAX).round(d(1_000_000_000)), d(i64::MAX));
    assert_eq!(d(i64::MIN).round(d(1_000_000_000)), d(i64::MIN));
    assert_eq!(d(7).round(d(0)), d(7));
    assert_eq!(d(-7).truncate(d(5)), d(-5));
    assert_eq!(d(i64::MIN).abs(), d(i64::MAX));
    assert!((d(5_400_000_000_000).hours() - 1.5).abs() < f64::EPSILON);
}

#[test]
fn time_string_shows_the_monotonic_reading() {
    let t = Clock::Fixed(1_700_000_000_000_000_000).now(&utc());
    assert_eq!(
        t.go_string(),
        "2023-11-14 22:13:20 +0000 UTC m=+0.000000001"
    );
    // Add keeps the reading; In and Round drop it.
    let later = t.add(Duration::from_nanos(1_500_000_000));
    assert_eq!(
        later.go_string(),
        "2023-11-14 22:13:21.5 +0000 UTC m=+1.500000001"
    );
    assert_eq!(
        later.in_location(&utc()).go_string(),
        "2023-11-14 22:13:21.5 +0000 UTC"
    );
    assert_eq!(later.round(Duration::from_nanos(0)).monotonic(), None);
    // Negative readings, and readings of many seconds.
    let earlier = t.add(Duration::from_nanos(-3_000_000_000));
    assert!(
        earlier.go_string().ends_with(" m=-2.999999999"),
        "{}",
        earlier.go_string()
    );
    // Times outside 1885..2157 cannot carry a reading, as in Go.
    let far = Clock::Fixed(-3_000_000_000_000_000_000).now(&utc());
    assert_eq!(far.monotonic(), None);
    // Sub uses the readings when both have one.
    assert_eq!(later.sub(&t), Duration::from_nanos(1_500_000_000));
}

#[test]
fn json_is_rfc3339_with_nanoseconds() {
    let t = rfc("2024-05-06T07:08:09.120+02:00");
    assert_eq!(
        t.rfc3339_nano().as_deref(),
        Ok("2024-05-06T07:08:09.12+02:00")
    );
    assert_eq!(
        Object::to_json_value(&t).as_str(),
        Some("2024-05-06T07:08:09.12+02:00")
    );
    let far = Time::from_unix(253_402_300_800, 0, &utc());
    assert_eq!(
        far.rfc3339_nano(),
        Err("Time.MarshalJSON: year outside of range [0,9999]".to_string())
    );
    let odd = rfc("2024-01-01T00:00:00+24:00");
    assert_eq!(
        odd.rfc3339_nano(),
        Err("Time.MarshalJSON: timezone hour outside of range [0,23]".to_string())
    );
}

#[test]
fn objects_have_go_types() {
    let t = rfc("2024-02-29T12:34:56Z");
    assert_eq!(
        (Object::type_name(&t), Object::kind(&t)),
        ("time.Time", Kind::Struct)
    );
    let month = Month(2);
    assert_eq!(
        (month.type_name(), month.go_string()),
        ("time.Month", "February".to_string())
    );
    assert_eq!(Month(13).go_string(), "%!Month(13)");
    assert_eq!(Weekday(0).go_string(), "Sunday");
    assert_eq!(Weekday(-1).go_string(), "%!Weekday(-1)");
    let d = Duration::from_nanos(90_000_000_000);
    assert_eq!(
        (d.type_name(), d.go_string()),
        ("time.Duration", "1m30s".to_string())
    );
    assert!(d.to_json_value().deep_equal(&Value::int64(90_000_000_000)));
    let loc = GoLocation(utc());
    assert_eq!(
        (loc.type_name(), loc.kind(), loc.go_string()),
        ("*time.Location", Kind::Ptr, "UTC".into())
    );
    for name in [
        "Format", "Unix", "UnixNano", "UTC", "Year", "Month", "Day", "Hour", "Minute",
    ] {
        assert!(t.method(name).is_some(), "{name}");
    }
    for name in [
        "Second", "Weekday", "YearDay", "Add", "Sub", "In", "Before", "After", "Equal",
    ] {
        assert!(t.method(name).is_some(), "{name}");
    }
    assert!(t.method("IsZero").is_some() && t.method("Zone").is_none());
    assert!(t.deep_equal(&rfc("2024-02-29T12:34:56Z")));
    assert!(!t.deep_equal(&rfc("2024-02-29T12:34:57Z")));
}

#[test]
fn dates_normalise_like_go() {
    let u = utc();
    let t = Time::from_date(2024, 14, 32, 25, 61, 61, 1_000_000_001, &u);
    assert_eq!(t.go_string(), "2025-03-05 02:02:02.000000001 +0000 UTC");
    let t = Time::from_date(2024, 0, 0, -1, -1, -1, -1, &u);
    assert_eq!(t.go_string(), "2023-11-29 22:58:58.999999999 +0000 UTC");
    assert_eq!(Time::zero().go_string(), "0001-01-01 00:00:00 +0000 UTC");
    assert!(Time::zero().is_zero());
    // Saturating seconds, as Go's addSec.
    let max =
        Time::from_unix(i64::MAX - UNIX_TO_INTERNAL, 0, &u).add(Duration::from_nanos(i64::MAX));
    assert_eq!(max.unix(), i64::MAX.wrapping_sub(UNIX_TO_INTERNAL));
}

#[test]
fn fixed_zones_print_their_name_or_offset() {
    let named = Time::from_unix(0, 0, &Location::fixed("ABC", -12_345));
    assert_eq!(
        named.format("MST -0700 -07:00:00 Z07"),
        "ABC -0325 -03:25:45 -03"
    );
    let unnamed = Time::from_unix(0, 0, &Location::fixed("", 19_800));
    assert_eq!(unnamed.go_string(), "1970-01-01 05:30:00 +0530 +0530");
}

#[test]
fn parse_errors_quote_like_go() {
    let err = Time::parse("2006-01-02", "x\u{1}\"\\", &utc(), &utc())
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(r#"parsing time "x\x01\"\\" as "2006-01-02": cannot parse "x\x01\"\\" as "2006""#)
    );
}

#[test]
fn bad_zone_data_is_rejected() {
    assert!(Location::from_tzif("x", b"").is_err());
    assert!(Location::from_tzif("x", b"TZif2").is_err());
    let data = std::fs::read("/usr/share/zoneinfo/Europe/Paris").unwrap_or_default();
    if !data.is_empty() {
        for cut in [10, 44, 100, data.len() / 2, data.len() - 1] {
            let _ = Location::from_tzif("x", &data[..cut]);
        }
        assert!(Location::from_tzif("Europe/Paris", &data).is_ok());
    }
}

/// A small deterministic generator for the no-panic checks.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() as usize % items.len()]
    }
}

#[test]
fn arbitrary_layouts_values_and_instants_never_panic() {
    let pieces = [
        "2006",
        "06",
        "01",
        "1",
        "Jan",
        "January",
        "02",
        "2",
        "_2",
        "__2",
        "002",
        "Mon",
        "Monday",
        "15",
        "3",
        "03",
        "4",
        "04",
        "5",
        "05",
        "PM",
        "pm",
        "MST",
        "Z07:00",
        "-0700",
        "-07",
        "Z070000",
        "-07:00:00",
        ".000",
        ".999",
        ",9",
        ".0000000000",
        " ",
        "-",
        ":",
        "é",
        "\u{0}",
        "+",
        "9",
        "0",
        "GMT",
        "UTC",
        "ChST",
        "T",
        "Z",
        "12",
        "99",
        "366",
        "+25:00",
        ".",
        ",",
    ];
    let zones = [
        utc(),
        Location::load("America/New_York", &utc()).unwrap_or_else(|_| utc()),
    ];
    let mut rng = Lcg(42);
    for _ in 0..20_000 {
        let layout: String = (0..rng.next() % 6).map(|_| rng.pick(&pieces)).collect();
        let value: String = (0..rng.next() % 6).map(|_| rng.pick(&pieces)).collect();
        let zone = &zones[rng.next() as usize % 2];
        if let Ok(t) = Time::parse(&layout, &value, zone, zone) {
            let _ = t.format(&layout);
        }
        let secs = (rng.next() as i64)
            .wrapping_mul(rng.next() as i64)
            .wrapping_mul(rng.next() as i64);
        let t = Time::from_unix(secs, rng.next() as i64, zone);
        let _ = (
            t.go_string(),
            t.format(&layout),
            t.civil(),
            t.rfc3339_nano(),
        );
        let d = Duration::from_nanos(secs);
        let _ = (
            t.add(d),
            t.sub(&Time::zero()),
            t.round(d),
            t.truncate(d),
            d.to_string(),
        );
        let _ = t.add_date(secs, secs.wrapping_neg(), secs.rotate_left(7));
        let _ = Duration::parse(&value);
    }
}
