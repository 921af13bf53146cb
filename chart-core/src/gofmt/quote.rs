//! Go's `strconv` quoting: `Quote`, `QuoteToASCII`, `QuoteRune`, `CanBackquote` and `IsPrint`,
//! which `%q` (and Sprig's `quote`) print through.

use super::print_table::PRINTABLE;

const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols (Unicode 15.0, as in
/// Go 1.25) and the ASCII space.
pub fn is_print(c: char) -> bool {
    let c = u32::from(c);
    if c < 0x80 {
        return (0x20..0x7F).contains(&c);
    }
    // The ranges are sorted and disjoint: find the last one starting at or before `c`.
    let after = PRINTABLE.partition_point(|&(lo, _)| lo <= c);
    after
        .checked_sub(1)
        .and_then(|i| PRINTABLE.get(i))
        .is_some_and(|&(_, hi)| c <= hi)
}

/// Go's `strconv.Quote`: a double-quoted Go string literal; printable runes stay as they are.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    append_quote(&mut out, s);
    out
}

/// Appends [`quote`]`(s)` to `out`.
pub fn append_quote(out: &mut String, s: &str) {
    // The common case: printable ASCII with nothing to escape is copied between the quotes.
    if s.bytes()
        .all(|b| (0x20..0x7F).contains(&b) && b != b'"' && b != b'\\')
    {
        out.reserve(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    append_quoted(out, &crate::value::gostring::to_go_bytes(s), b'"', false);
}

/// Go's `strconv.QuoteToASCII`: like [`quote`], but every non-ASCII rune is escaped.
pub fn quote_to_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    append_quoted(
        &mut out,
        &crate::value::gostring::to_go_bytes(s),
        b'"',
        true,
    );
    out
}

/// Go's `strconv.CanBackquote`: whether `s` can be written as a raw string literal unchanged
/// (no control characters other than tab, no backquote, no DEL, no byte order mark, and valid
/// UTF-8).
pub fn can_backquote(s: &[u8]) -> bool {
    let mut rest = s;
    while let Some((decoded, width)) = decode_rune(rest) {
        rest = rest.get(width..).unwrap_or_default();
        match decoded {
            None => return false,
            Some('\u{FEFF}') => return false,
            // Every other correctly encoded multibyte rune is accepted as printable.
            Some(_) if width > 1 => {}
            Some(c) => {
                if (c < ' ' && c != '\t') || c == '`' || c == '\u{7F}' {
                    return false;
                }
            }
        }
    }
    true
}

/// Appends `bytes` (usually, but not necessarily, UTF-8) as a Go literal quoted with `quote`,
/// the way `strconv.appendQuotedWith` does: a byte that does not start a valid UTF-8 sequence
/// becomes `\xNN`.
pub(super) fn append_quoted(out: &mut String, bytes: &[u8], quote: u8, ascii_only: bool) {
    out.push(char::from(quote));
    let mut rest = bytes;
    while let Some((decoded, width)) = decode_rune(rest) {
        match decoded {
            Some(c) => append_escaped_rune(out, c, quote, ascii_only),
            None => {
                let b = rest.first().copied().unwrap_or_default();
                push_hex_escape(out, 'x', u32::from(b), 2);
            }
        }
        rest = rest.get(width..).unwrap_or_default();
    }
    out.push(char::from(quote));
}

/// Appends the Go character literal for `r` (`strconv.QuoteRune`/`QuoteRuneToASCII`). A value
/// that is not a Unicode scalar value is quoted as U+FFFD, as Go does.
pub(super) fn append_quoted_rune(out: &mut String, r: u64, ascii_only: bool) {
    let c = u32::try_from(r)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{FFFD}');
    out.push('\'');
    append_escaped_rune(out, c, b'\'', ascii_only);
    out.push('\'');
}

/// One rune of a quoted literal: Go's `appendEscapedRune`.
fn append_escaped_rune(out: &mut String, c: char, quote: u8, ascii_only: bool) {
    if c == char::from(quote) || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    let printable = if ascii_only {
        c.is_ascii() && is_print(c)
    } else {
        is_print(c)
    };
    if printable {
        out.push(c);
        return;
    }
    match c {
        '\u{07}' => out.push_str("\\a"),
        '\u{08}' => out.push_str("\\b"),
        '\u{0C}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{0B}' => out.push_str("\\v"),
        c if c < ' ' || c == '\u{7F}' => push_hex_escape(out, 'x', u32::from(c), 2),
        c if u32::from(c) < 0x10000 => push_hex_escape(out, 'u', u32::from(c), 4),
        c => push_hex_escape(out, 'U', u32::from(c), 8),
    }
}

/// `\` + `kind` + `digits` lowercase hex digits of `value`.
fn push_hex_escape(out: &mut String, kind: char, value: u32, digits: u32) {
    out.push('\\');
    out.push(kind);
    for shift in (0..digits).rev() {
        let nibble = (value >> (shift * 4)) & 0xF;
        out.push(char::from(LOWER_HEX[nibble as usize]));
    }
}

/// Decodes the first rune of `bytes` like Go's `utf8.DecodeRune`: `None` when empty; otherwise
/// the rune (or `None` for an invalid encoding, which Go reports as `RuneError` of width 1) and
/// the number of bytes consumed.
pub(super) fn decode_rune(bytes: &[u8]) -> Option<(Option<char>, usize)> {
    let first = *bytes.first()?;
    if first < 0x80 {
        return Some((Some(char::from(first)), 1));
    }
    let width = match first {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return Some((None, 1)),
    };
    match bytes.get(..width).and_then(|b| std::str::from_utf8(b).ok()) {
        Some(s) => Some((s.chars().next(), width)),
        None => Some((None, 1)),
    }
}

/// The number of runes Go's `utf8.RuneCount` sees in `bytes` (each invalid byte counts as one).
pub(super) fn rune_count(bytes: &[u8]) -> usize {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.chars().count();
    }
    let mut rest = bytes;
    let mut n = 0;
    while let Some((_, width)) = decode_rune(rest) {
        rest = rest.get(width..).unwrap_or_default();
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_follows_unicode_15() {
        assert!(is_print(' '));
        assert!(!is_print('\t'));
        assert!(is_print('é'));
        assert!(!is_print('\u{A0}'));
        assert!(!is_print('\u{AD}'));
        assert!(is_print('\u{1F600}'));
        assert!(!is_print('\u{200D}'));
        assert!(!is_print('\u{2028}'));
        assert!(!is_print('\u{E000}'));
        // Kawi, new in Unicode 15.0.
        assert!(is_print('\u{11F00}'));
        assert!(!is_print('\u{10FFFF}'));
    }

    #[test]
    fn quotes_like_strconv() {
        assert_eq!(
            quote("a\"b\\c\n\t\u{7}\u{7F}é\u{A0}😀\u{200D}"),
            r#""a\"b\\c\n\t\a\x7fé\u00a0😀\u200d""#
        );
        assert_eq!(quote_to_ascii("é😀"), r#""\u00e9\U0001f600""#);
        let mut out = String::new();
        append_quoted(&mut out, b"a\xffb\xe2\x82", b'"', false);
        assert_eq!(out, r#""a\xffb\xe2\x82""#);
        assert!(can_backquote(b"a\tb\"c"));
        assert!(!can_backquote(b"a`b"));
        assert!(!can_backquote(b"a\nb"));
        assert!(!can_backquote("\u{FEFF}".as_bytes()));
        assert!(!can_backquote(b"\xff"));
        let mut r = String::new();
        append_quoted_rune(&mut r, 0xD800, false);
        append_quoted_rune(&mut r, u64::from('\''), false);
        append_quoted_rune(&mut r, u64::from('"'), true);
        assert_eq!(r, "'\u{FFFD}''\\'''\"'");
    }
}
