//! Go strings are byte strings; ours are UTF-8 text. A Go string may hold bytes that are not
//! UTF-8 (`substr` cutting a character in two, `b64dec` of binary data), and Helm prints those
//! bytes as they are (`printf "%q"` shows them as `\xc3`).
//!
//! To carry such bytes through a `String`, each byte that is not part of valid UTF-8 becomes
//! the character U+10FF00 + byte (the last 256 code points of Supplementary Private Use
//! Area-B, which no chart uses). [`to_go_bytes`] turns them back into the original bytes when
//! the text leaves the engine.

use std::borrow::Cow;

/// The first code point of the escape range.
const ESCAPE_BASE: u32 = 0x10FF00;

/// The byte a character stands for, if it is an escaped non-UTF-8 byte.
pub fn escaped_byte(c: char) -> Option<u8> {
    let v = c as u32;
    if v >= ESCAPE_BASE {
        u8::try_from(v - ESCAPE_BASE).ok()
    } else {
        None
    }
}

fn escape_char(b: u8) -> char {
    char::from_u32(ESCAPE_BASE + u32::from(b)).unwrap_or('\u{FFFD}')
}

/// Whether `s` holds a character of the escape range. Those are the last code points of
/// Unicode, whose UTF-8 form starts with the byte 0xF4, so text without that byte has none.
fn has_escapes(s: &str) -> bool {
    memchr::memchr(0xF4, s.as_bytes()).is_some() && s.chars().any(|c| escaped_byte(c).is_some())
}

/// A Go string's bytes as text: valid UTF-8 is kept, every other byte is escaped.
pub fn from_go_bytes(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) if !has_escapes(s) => Cow::Borrowed(s),
        _ => {
            let mut out = String::with_capacity(bytes.len());
            for chunk in bytes.utf8_chunks() {
                // A genuine character of the escape range would read back as a byte: escape
                // its own bytes so that it survives the round trip.
                for c in chunk.valid().chars() {
                    if escaped_byte(c).is_some() {
                        let mut buf = [0u8; 4];
                        for b in c.encode_utf8(&mut buf).bytes() {
                            out.push(escape_char(b));
                        }
                    } else {
                        out.push(c);
                    }
                }
                for &b in chunk.invalid() {
                    out.push(escape_char(b));
                }
            }
            Cow::Owned(out)
        }
    }
}

/// The Go string a text stands for: escaped bytes become raw bytes again.
pub fn to_go_bytes(s: &str) -> Cow<'_, [u8]> {
    if !has_escapes(s) {
        return Cow::Borrowed(s.as_bytes());
    }
    let mut out = Vec::with_capacity(s.len());
    let mut buf = [0u8; 4];
    for c in s.chars() {
        match escaped_byte(c) {
            Some(b) => out.push(b),
            None => out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
        }
    }
    Cow::Owned(out)
}

/// Go's `len` of the string: its length in bytes.
pub fn go_len(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if escaped_byte(c).is_some() {
                1
            } else {
                c.len_utf8()
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_any_bytes() {
        let cut = &"héllo".as_bytes()[..2];
        let text = from_go_bytes(cut);
        assert_eq!(go_len(&text), 2);
        assert_eq!(to_go_bytes(&text).as_ref(), cut);
        let weird = "a\u{10FF41}b".as_bytes().to_vec();
        assert_eq!(to_go_bytes(&from_go_bytes(&weird)).as_ref(), &weird[..]);
        assert!(matches!(from_go_bytes(b"plain"), Cow::Borrowed("plain")));
    }
}
