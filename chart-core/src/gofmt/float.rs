//! Go's `strconv.FormatFloat` for 64-bit floats.
//!
//! The decimal digits come from Rust's float formatting, which, like Go's, yields the shortest
//! digit string that reads back to the same float (`{:e}`) or the exactly rounded digits, ties
//! to even (`{:.N e}`, `{:.N}`). Only the layout is Go's own: `e+06` exponents of at least two
//! digits, `%g`'s choice between the two notations, `+Inf`, and the binary and hexadecimal forms.

use std::fmt::Write as _;

const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";
const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";
const MANT_BITS: u32 = 52;
const EXP_BIAS: i32 = -1023;

/// The decimal digits of a float's magnitude: the value is `0.d₁d₂…dₙ × 10^dp`. Trailing zeros
/// are trimmed, and zero has no digits at all (and `dp == 0`), as in Go's `decimalSlice`.
struct Digits<'a> {
    d: &'a [u8],
    dp: i32,
}

impl Digits<'_> {
    fn nd(&self) -> i32 {
        i32::try_from(self.d.len()).unwrap_or(i32::MAX)
    }

    /// The digit at index `i`, or `'0'` past either end.
    fn at(&self, i: i32) -> u8 {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.d.get(i))
            .copied()
            .unwrap_or(b'0')
    }
}

/// A fixed-size, allocation-free buffer for the shortest form of a float (at most 24 bytes:
/// 17 digits, a point, and `e-324`).
struct StackText {
    buf: [u8; 40],
    len: usize,
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Splits Rust's `{:e}` text of a non-negative float (`1.2345e6`, `5e-324`, `0e0`) into its
/// digits (copied to `store`, which must be at least as long as `text`) and the decimal point
/// position.
fn parse_scientific<'a>(text: &[u8], store: &'a mut [u8]) -> Digits<'a> {
    let (mantissa, exponent) = match text.iter().position(|&b| b == b'e') {
        Some(i) => (
            text.get(..i).unwrap_or_default(),
            text.get(i + 1..).unwrap_or_default(),
        ),
        None => (text, &b""[..]),
    };
    let exp: i32 = std::str::from_utf8(exponent)
        .ok()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0);
    let len = copy_digits(mantissa, store);
    finish_digits(store, 0, len, exp + 1)
}

/// Splits Rust's `{:.N}` text of a non-negative float (`123.4500`, `0.0012`) into its digits
/// (copied to `store`, at least as long as `text`) and the decimal point position.
fn parse_fixed<'a>(text: &[u8], store: &'a mut [u8]) -> Digits<'a> {
    let int_len = text.iter().position(|&b| b == b'.').unwrap_or(text.len());
    let len = copy_digits(text, store);
    let leading = store.iter().take(len).take_while(|&&b| b == b'0').count();
    let dp = i32::try_from(int_len).unwrap_or(i32::MAX) - i32::try_from(leading).unwrap_or(0);
    finish_digits(store, leading, len, dp)
}

/// Copies the ASCII digits of `text` to the front of `store`, returning how many there were.
fn copy_digits(text: &[u8], store: &mut [u8]) -> usize {
    let mut len = 0;
    for (slot, &digit) in store
        .iter_mut()
        .zip(text.iter().filter(|b| b.is_ascii_digit()))
    {
        *slot = digit;
        len += 1;
    }
    len
}

/// The digits `store[start..end]` with trailing zeros trimmed; an all-zero number has no
/// digits and `dp == 0`.
fn finish_digits(store: &[u8], start: usize, end: usize, dp: i32) -> Digits<'_> {
    let digits = store.get(start..end).unwrap_or_default();
    let kept = digits.len() - digits.iter().rev().take_while(|&&b| b == b'0').count();
    let d = digits.get(..kept).unwrap_or_default();
    Digits {
        d,
        dp: if d.is_empty() { 0 } else { dp },
    }
}

/// `strconv.FormatFloat(f, fmt, prec, 64)` appended to `out`.
pub(super) fn append_float(out: &mut String, f: f64, fmt: u8, prec: i32) {
    if f.is_nan() {
        out.push_str("NaN");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f < 0.0 { "-Inf" } else { "+Inf" });
        return;
    }
    let neg = f.is_sign_negative();
    match fmt {
        b'b' => return append_binary(out, f),
        b'x' | b'X' => return append_hex(out, f, fmt, prec),
        _ => {}
    }
    let abs = f.abs();
    let shortest = prec < 0;
    let mut prec = prec;
    let mut text = StackText {
        buf: [0; 40],
        len: 0,
    };
    let mut short_store = [0u8; 40];
    let mut long_store = Vec::new();
    let digits = if shortest {
        let _ = write!(text, "{abs:e}");
        let digits = parse_scientific(
            text.buf.get(..text.len).unwrap_or_default(),
            &mut short_store,
        );
        prec = match fmt {
            b'e' | b'E' => (digits.nd() - 1).max(0),
            b'f' => (digits.nd() - digits.dp).max(0),
            b'g' | b'G' => digits.nd(),
            _ => prec,
        };
        digits
    } else if fmt == b'f' {
        let text = format!("{abs:.*}", prec_usize(prec));
        long_store.resize(text.len(), 0);
        parse_fixed(text.as_bytes(), &mut long_store)
    } else {
        let significant = match fmt {
            b'e' | b'E' => prec_usize(prec) + 1,
            b'g' | b'G' => {
                if prec == 0 {
                    prec = 1;
                }
                prec_usize(prec)
            }
            _ => 1,
        };
        let text = format!("{abs:.*e}", significant - 1);
        long_store.resize(text.len(), 0);
        parse_scientific(text.as_bytes(), &mut long_store)
    };
    format_digits(out, shortest, neg, &digits, prec, fmt);
}

fn prec_usize(prec: i32) -> usize {
    usize::try_from(prec).unwrap_or(0)
}

/// Lays out decimal digits in the `e`, `f` or `g` notation (Go's `formatDigits`).
fn format_digits(out: &mut String, shortest: bool, neg: bool, digits: &Digits, prec: i32, fmt: u8) {
    match fmt {
        b'e' | b'E' => append_e(out, neg, digits, prec, fmt),
        b'f' => append_f(out, neg, digits, prec),
        b'g' | b'G' => {
            // Trailing zeros of the significand are never shown by %g.
            let mut eprec = prec;
            if eprec > digits.nd() && digits.nd() >= digits.dp {
                eprec = digits.nd();
            }
            // The shortest form switches to an exponent from 1e+06 on, like %e with
            // precision 6 would.
            if shortest {
                eprec = 6;
            }
            let exp = digits.dp - 1;
            if exp < -4 || exp >= eprec {
                let prec = prec.min(digits.nd());
                append_e(out, neg, digits, prec - 1, fmt + b'e' - b'g');
            } else {
                let prec = if prec > digits.dp { digits.nd() } else { prec };
                append_f(out, neg, digits, (prec - digits.dp).max(0));
            }
        }
        _ => {
            out.push('%');
            out.push(char::from(fmt));
        }
    }
}

/// `-d.dddde±dd`.
fn append_e(out: &mut String, neg: bool, digits: &Digits, prec: i32, fmt: u8) {
    if neg {
        out.push('-');
    }
    out.push(char::from(digits.at(0)));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(char::from(digits.at(i)));
        }
    }
    out.push(char::from(fmt));
    let exp = if digits.d.is_empty() {
        0
    } else {
        digits.dp - 1
    };
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    let _ = write!(out, "{exp}");
}

/// `-ddd.dddd`.
fn append_f(out: &mut String, neg: bool, digits: &Digits, prec: i32) {
    if neg {
        out.push('-');
    }
    if digits.dp > 0 {
        for i in 0..digits.dp {
            out.push(char::from(digits.at(i)));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec {
            out.push(char::from(digits.at(digits.dp + i)));
        }
    }
}

/// The significand (with its implicit bit) and the binary exponent of a finite float, so that
/// the value is `mant × 2^(exp − 52)`.
fn decompose(f: f64) -> (u64, i32) {
    let bits = f.to_bits();
    let biased = i32::try_from((bits >> MANT_BITS) & 0x7FF).unwrap_or(0);
    let mut mant = bits & ((1 << MANT_BITS) - 1);
    let exp = if biased == 0 {
        1
    } else {
        mant |= 1 << MANT_BITS;
        biased
    };
    (mant, exp + EXP_BIAS)
}

/// `%b`: `-ddddp±ddd`, the integer significand and a power of two.
fn append_binary(out: &mut String, f: f64) {
    let (mant, exp) = decompose(f);
    if f.is_sign_negative() {
        out.push('-');
    }
    let exp = exp - MANT_BITS as i32;
    let _ = write!(out, "{mant}p{}{exp}", if exp >= 0 { "+" } else { "" });
}

/// `%x`: `-0x1.yyyyp±dd`, a hexadecimal significand normalised to a leading 1 and a binary
/// exponent; with a precision below 15 the significand is rounded half to even.
fn append_hex(out: &mut String, f: f64, fmt: u8, prec: i32) {
    let (mut mant, mut exp) = decompose(f);
    if mant == 0 {
        exp = 0;
    }
    // Put the leading 1 at bit 60, leaving four bits above it for a carry.
    mant <<= 60 - MANT_BITS;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = prec as u32 * 4;
        let extra = (mant << shift) & ((1 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex = if fmt == b'X' { UPPER_HEX } else { LOWER_HEX };
    if f.is_sign_negative() {
        out.push('-');
    }
    out.push('0');
    out.push(char::from(fmt));
    out.push(if (mant >> 60) & 1 == 1 { '1' } else { '0' });
    mant <<= 4;
    let nibble = |mant: u64| char::from(hex[((mant >> 60) & 15) as usize]);
    if prec < 0 && mant != 0 {
        out.push('.');
        while mant != 0 {
            out.push(nibble(mant));
            mant <<= 4;
        }
    } else if prec > 0 {
        out.push('.');
        for _ in 0..prec {
            out.push(nibble(mant));
            mant <<= 4;
        }
    }
    out.push(if fmt == b'X' { 'P' } else { 'p' });
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    let _ = write!(out, "{exp}");
}

#[cfg(test)]
mod tests {
    use super::super::format_float;

    #[test]
    fn shortest_forms() {
        let cases: &[(f64, u8, &str)] = &[
            (1e6, b'g', "1e+06"),
            (123456.789, b'g', "123456.789"),
            (1e20, b'g', "1e+20"),
            (1e21, b'g', "1e+21"),
            (1e-5, b'g', "1e-05"),
            (0.0001, b'g', "0.0001"),
            (20.0, b'g', "20"),
            (0.0, b'g', "0"),
            (-0.0, b'g', "-0"),
            (1.7976931348623157e308, b'g', "1.7976931348623157e+308"),
            (5e-324, b'g', "5e-324"),
            (1e6, b'e', "1e+06"),
            (1e6, b'f', "1000000"),
            (0.1, b'f', "0.1"),
            (1e-7, b'f', "0.0000001"),
            (1e100, b'E', "1E+100"),
            (f64::INFINITY, b'g', "+Inf"),
            (f64::NEG_INFINITY, b'e', "-Inf"),
            (f64::NAN, b'f', "NaN"),
        ];
        for &(f, fmt, want) in cases {
            assert_eq!(format_float(f, fmt, -1), want, "{f} {}", char::from(fmt));
        }
    }

    #[test]
    fn fixed_precision() {
        let cases: &[(f64, u8, i32, &str)] = &[
            (1.23456, b'f', 3, "1.235"),
            (2.5, b'f', 0, "2"),
            (3.5, b'f', 0, "4"),
            (0.125, b'f', 2, "0.12"),
            (-0.0001, b'f', 2, "-0.00"),
            (1234.5678, b'e', 6, "1.234568e+03"),
            (0.0, b'e', 2, "0.00e+00"),
            (1.0, b'g', 3, "1"),
            (123456.0, b'g', 3, "1.23e+05"),
            (0.00001234, b'g', 2, "1.2e-05"),
            (100.0, b'g', 0, "1e+02"),
            (1e21, b'G', 4, "1E+21"),
        ];
        for &(f, fmt, prec, want) in cases {
            assert_eq!(
                format_float(f, fmt, prec),
                want,
                "{f} {} {prec}",
                char::from(fmt)
            );
        }
    }

    #[test]
    fn binary_and_hex() {
        assert_eq!(format_float(1.0, b'b', -1), "4503599627370496p-52");
        assert_eq!(format_float(1.5, b'x', -1), "0x1.8p+00");
        assert_eq!(format_float(1.0, b'x', -1), "0x1p+00");
        assert_eq!(format_float(0.0, b'x', -1), "0x0p+00");
        assert_eq!(format_float(-1024.0, b'X', -1), "-0X1P+10");
        assert_eq!(format_float(1.96875, b'x', 1), "0x1.0p+01");
        assert_eq!(format_float(5e-324, b'x', -1), "0x1p-1074");
    }
}
