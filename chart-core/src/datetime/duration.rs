//! Go's `time.Duration`: `ParseDuration` and `Duration.String()`.

use std::fmt;

use super::parse::{leading_int, quote};

/// A Go `time.Duration`: a signed count of nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(i64);

/// Why `ParseDuration` rejected its input; the text is Go's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseDurationError(String);

const NANOSECOND: u64 = 1;
const MICROSECOND: u64 = 1000 * NANOSECOND;
const MILLISECOND: u64 = 1000 * MICROSECOND;
const SECOND: u64 = 1000 * MILLISECOND;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;

impl Duration {
    /// A duration of `nanos` nanoseconds.
    pub const fn from_nanos(nanos: i64) -> Duration {
        Duration(nanos)
    }

    /// The duration in nanoseconds.
    pub const fn nanos(self) -> i64 {
        self.0
    }

    /// `time.Duration(n) * time.Second`, wrapping on overflow as Go's multiplication does.
    pub const fn from_secs_wrapping(secs: i64) -> Duration {
        Duration(secs.wrapping_mul(SECOND as i64))
    }

    /// Go's `time.ParseDuration`: a signed sequence of decimal numbers with optional fractions
    /// and units (`ns`, `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`), such as `1h30m` or `-1.5s`.
    pub fn parse(s: &str) -> Result<Duration, ParseDurationError> {
        let invalid =
            || ParseDurationError(format!("time: invalid duration {}", quote(s.as_bytes())));
        let mut rest = s.as_bytes();
        let mut neg = false;
        if let Some(&c @ (b'-' | b'+')) = rest.first() {
            neg = c == b'-';
            rest = &rest[1..];
        }
        if rest == b"0" {
            return Ok(Duration(0));
        }
        if rest.is_empty() {
            return Err(invalid());
        }
        let mut total: u64 = 0;
        while !rest.is_empty() {
            if !(rest[0] == b'.' || rest[0].is_ascii_digit()) {
                return Err(invalid());
            }
            let before = rest.len();
            let (mut v, after_int) = leading_int(rest).ok_or_else(invalid)?;
            rest = after_int;
            let had_int = before != rest.len();

            let (mut frac, mut scale, mut had_frac) = (0u64, 1f64, false);
            if rest.first() == Some(&b'.') {
                rest = &rest[1..];
                let before = rest.len();
                (frac, scale, rest) = leading_fraction(rest);
                had_frac = before != rest.len();
            }
            if !had_int && !had_frac {
                return Err(invalid());
            }

            let unit_len = rest
                .iter()
                .take_while(|&&c| c != b'.' && !c.is_ascii_digit())
                .count();
            if unit_len == 0 {
                return Err(ParseDurationError(format!(
                    "time: missing unit in duration {}",
                    quote(s.as_bytes())
                )));
            }
            let (unit_text, after_unit) = rest.split_at(unit_len);
            rest = after_unit;
            let unit = match unit_text {
                b"ns" => NANOSECOND,
                // `µs` with U+00B5 MICRO SIGN or U+03BC GREEK SMALL LETTER MU.
                b"us" | [0xC2, 0xB5, b's'] | [0xCE, 0xBC, b's'] => MICROSECOND,
                b"ms" => MILLISECOND,
                b"s" => SECOND,
                b"m" => MINUTE,
                b"h" => HOUR,
                _ => {
                    return Err(ParseDurationError(format!(
                        "time: unknown unit {} in duration {}",
                        quote(unit_text),
                        quote(s.as_bytes())
                    )));
                }
            };
            if v > (1 << 63) / unit {
                return Err(invalid());
            }
            v *= unit;
            if frac > 0 {
                // Go computes the fractional part in floating point, then truncates.
                v += (frac as f64 * (unit as f64 / scale)) as u64;
                if v > 1 << 63 {
                    return Err(invalid());
                }
            }
            // Go's unsigned sum may wrap; it checks only for exceeding 2^63.
            total = total.wrapping_add(v);
            if total > 1 << 63 {
                return Err(invalid());
            }
        }
        if neg {
            return Ok(Duration((total as i64).wrapping_neg()));
        }
        if total > i64::MAX as u64 {
            return Err(invalid());
        }
        Ok(Duration(total as i64))
    }

    /// Go's `Duration.Round(m)`: to the nearest multiple of `m`, halves away from zero,
    /// saturating.
    #[must_use]
    pub fn round(self, m: Duration) -> Duration {
        let (d, m) = (self.0, m.0);
        if m <= 0 {
            return self;
        }
        let mut r = d % m;
        let less_than_half = |r: i64| (r as u64).wrapping_add(r as u64) < m as u64;
        if d < 0 {
            r = -r;
            if less_than_half(r) {
                return Duration(d + r);
            }
            let d1 = d.wrapping_sub(m).wrapping_add(r);
            return Duration(if d1 < d { d1 } else { i64::MIN });
        }
        if less_than_half(r) {
            return Duration(d - r);
        }
        let d1 = d.wrapping_add(m).wrapping_sub(r);
        Duration(if d1 > d { d1 } else { i64::MAX })
    }

    /// Go's `Duration.Truncate(m)`: towards zero to a multiple of `m`.
    #[must_use]
    pub fn truncate(self, m: Duration) -> Duration {
        if m.0 <= 0 {
            self
        } else {
            Duration(self.0 - self.0 % m.0)
        }
    }

    /// Go's `Duration.Abs()` (the minimum saturates to the maximum).
    #[must_use]
    pub fn abs(self) -> Duration {
        Duration(self.0.checked_abs().unwrap_or(i64::MAX))
    }

    /// The duration in hours, as Go's `Hours()` computes it.
    pub fn hours(self) -> f64 {
        split_float(self.0, HOUR as i64)
    }

    /// The duration in minutes.
    pub fn minutes(self) -> f64 {
        split_float(self.0, MINUTE as i64)
    }

    /// The duration in seconds.
    pub fn seconds(self) -> f64 {
        split_float(self.0, SECOND as i64)
    }
}

/// `float64(d / unit) + float64(d % unit) / unit`: whole units and the rest, separately.
fn split_float(d: i64, unit: i64) -> f64 {
    (d / unit) as f64 + (d % unit) as f64 / unit as f64
}

/// Go's `leadingFraction`: digits after a decimal point as a number and its scale; digits
/// beyond what fits are skipped without error.
fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let (mut x, mut scale, mut overflow) = (0u64, 1f64, false);
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    for &c in &s[..digits] {
        if overflow {
            continue;
        }
        if x > (i64::MAX as u64) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > 1 << 63 {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, &s[digits..])
}

/// Appends the digits of `v` below the decimal point (`prec` of them, trailing zeros and a
/// bare point omitted) in front of `buf`, returning `v` without them.
fn push_fraction(buf: &mut Vec<u8>, mut v: u64, prec: u32) -> u64 {
    let mut printing = false;
    for _ in 0..prec {
        let digit = (v % 10) as u8;
        printing = printing || digit != 0;
        if printing {
            buf.push(b'0' + digit);
        }
        v /= 10;
    }
    if printing {
        buf.push(b'.');
    }
    v
}

fn push_int_reversed(buf: &mut Vec<u8>, mut v: u64) {
    if v == 0 {
        buf.push(b'0');
    }
    while v > 0 {
        buf.push(b'0' + (v % 10) as u8);
        v /= 10;
    }
}

impl fmt::Display for Duration {
    /// Go's `Duration.String()`: `72h3m0.5s`, `1.5ms`, `0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Built back to front, as Go builds it.
        let mut buf = Vec::with_capacity(32);
        let mut u = self.0.unsigned_abs();
        if u < SECOND {
            if u == 0 {
                return f.write_str("0s");
            }
            buf.push(b's');
            let prec = if u < MICROSECOND {
                buf.push(b'n');
                0
            } else if u < MILLISECOND {
                // "µ" reversed.
                buf.extend_from_slice(&[0xB5, 0xC2]);
                3
            } else {
                buf.push(b'm');
                6
            };
            u = push_fraction(&mut buf, u, prec);
            push_int_reversed(&mut buf, u);
        } else {
            buf.push(b's');
            u = push_fraction(&mut buf, u, 9);
            push_int_reversed(&mut buf, u % 60);
            u /= 60;
            if u > 0 {
                buf.push(b'm');
                push_int_reversed(&mut buf, u % 60);
                u /= 60;
                if u > 0 {
                    buf.push(b'h');
                    push_int_reversed(&mut buf, u);
                }
            }
        }
        if self.0 < 0 {
            buf.push(b'-');
        }
        buf.reverse();
        f.write_str(&String::from_utf8_lossy(&buf))
    }
}
