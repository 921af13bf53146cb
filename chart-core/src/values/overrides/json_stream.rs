//! One JSON value read from the front of a longer text, as Go's `json.Decoder.Decode` reads
//! it: `--set-json a=1,b=2` decodes `1` and leaves `,b=2` for the `--set` grammar.
//!
//! The decoder stops as soon as Go's scanner knows the value is complete: right after the
//! closing bracket of an object or array, and at the first byte that cannot continue a
//! string, number or literal. That byte is not checked (Go defers the complaint to the next
//! `Decode`, which Helm never calls), so `a=1x=2` sets `a` to 1 and `x` to 2. The extent is
//! found here with Go's grammar; the value itself is decoded by [`crate::json::decode`].

use crate::value::Value;

/// Go's `maxNestingDepth` for JSON objects and arrays.
const MAX_DEPTH: usize = 10000;

/// Decodes the JSON value at the start of `text` (after JSON whitespace) and returns it with
/// the number of bytes it took (Go's `InputOffset`). The error text is only a diagnostic:
/// Helm reports a failed `--set-json` value without it.
pub(super) fn decode_value(text: &str) -> Result<(Value, usize), String> {
    let end = value_end(text.as_bytes())?;
    let document = text.get(..end).ok_or("value ends inside a character")?;
    let value = crate::json::decode(document).map_err(|e| e.0)?;
    Ok((value, end))
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The byte offset just past the first JSON value in `s`, or a syntax error.
fn value_end(s: &[u8]) -> Result<usize, String> {
    let mut scan = Scan { s, pos: 0 };
    // Open containers: `{` or `[`.
    let mut open: Vec<u8> = Vec::new();
    scan.skip_space();
    loop {
        // A value starts at `pos`.
        match scan.peek() {
            Some(b @ (b'{' | b'[')) => {
                scan.pos += 1;
                open.push(b);
                if open.len() > MAX_DEPTH {
                    return Err("exceeded max depth".into());
                }
                scan.skip_space();
                let close = if b == b'{' { b'}' } else { b']' };
                if scan.peek() == Some(close) {
                    scan.pos += 1;
                    open.pop();
                } else {
                    if b == b'{' {
                        scan.object_key()?;
                    }
                    continue;
                }
            }
            Some(b'"') => scan.string()?,
            Some(b'-' | b'0'..=b'9') => scan.number()?,
            Some(b't') => scan.word(b"true")?,
            Some(b'f') => scan.word(b"false")?,
            Some(b'n') => scan.word(b"null")?,
            Some(_) => return Err(scan.unexpected("looking for beginning of value")),
            None => return Err("unexpected EOF".into()),
        }
        // A value ended: close containers or move to the next element.
        loop {
            let Some(&container) = open.last() else {
                return Ok(scan.pos);
            };
            scan.skip_space();
            match (container, scan.peek()) {
                (b'{', Some(b',')) => {
                    scan.pos += 1;
                    scan.skip_space();
                    scan.object_key()?;
                    break;
                }
                (b'[', Some(b',')) => {
                    scan.pos += 1;
                    scan.skip_space();
                    break;
                }
                (b'{', Some(b'}')) | (b'[', Some(b']')) => {
                    scan.pos += 1;
                    open.pop();
                }
                (_, None) => return Err("unexpected EOF".into()),
                _ => return Err(scan.unexpected("after value")),
            }
        }
    }
}

struct Scan<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    fn unexpected(&self, context: &str) -> String {
        match self.peek() {
            Some(b) => format!("invalid character {b:#04x} {context}"),
            None => "unexpected EOF".into(),
        }
    }

    /// `"key"`, whitespace, `:`, whitespace; leaves `pos` at the member's value.
    fn object_key(&mut self) -> Result<(), String> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("looking for beginning of object key string"));
        }
        self.string()?;
        self.skip_space();
        if self.peek() != Some(b':') {
            return Err(self.unexpected("after object key"));
        }
        self.pos += 1;
        self.skip_space();
        Ok(())
    }

    fn string(&mut self) -> Result<(), String> {
        self.pos += 1; // the opening quote
        loop {
            match self.peek() {
                None => return Err("unexpected EOF".into()),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 1;
                        }
                        Some(b'u') => {
                            self.pos += 1;
                            for _ in 0..4 {
                                if !self.peek().is_some_and(|b| b.is_ascii_hexdigit()) {
                                    return Err(
                                        self.unexpected("in \\u hexadecimal character escape")
                                    );
                                }
                                self.pos += 1;
                            }
                        }
                        _ => return Err(self.unexpected("in string escape code")),
                    }
                }
                Some(b) if b < 0x20 => return Err(self.unexpected("in string literal")),
                Some(_) => self.pos += 1,
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; a leading `0` ends the
    /// integer part (`01` is the number `0` followed by other input).
    fn number(&mut self) -> Result<(), String> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.unexpected("in numeric literal")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.unexpected("after decimal point in numeric literal"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.unexpected("in exponent of numeric literal"));
            }
        }
        Ok(())
    }

    fn word(&mut self, word: &[u8]) -> Result<(), String> {
        for &expected in word {
            if self.peek() != Some(expected) {
                return Err(self.unexpected("in literal"));
            }
            self.pos += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod unit {
    use super::value_end;

    #[test]
    fn extent_follows_go_decoder() {
        for (text, end) in [
            ("1", 1),
            ("1x", 1),
            ("1 , b=2", 1),
            ("-0.5e+3,", 7),
            ("01", 1),
            ("\"a\\\"b\"c", 6),
            ("truex", 4),
            ("null", 4),
            ("[1,[2,{}]]tail", 10),
            ("{\"a\" : [ true ] }x", 17),
            ("  {}", 4),
        ] {
            assert_eq!(value_end(text.as_bytes()), Ok(end), "{text:?}");
        }
        for text in [
            "",
            "-",
            "1.",
            "1e",
            "1e+",
            ".5",
            "tru",
            "nul",
            "\"abc",
            "\"\\x\"",
            "\"\\u12g4\"",
            "\"a\nb\"",
            "[1",
            "[1,]",
            "{\"a\"}",
            "{a:1}",
            "{\"a\":1,}",
            "[1 2]",
            "abc",
            "'a'",
        ] {
            assert!(value_end(text.as_bytes()).is_err(), "{text:?}");
        }
    }

    #[test]
    fn depth_is_limited_without_recursion() {
        let ok = "[".repeat(10000) + &"]".repeat(10000);
        assert_eq!(value_end(ok.as_bytes()), Ok(20000));
        let deep = "[".repeat(10001) + &"]".repeat(10001);
        assert!(value_end(deep.as_bytes()).is_err());
        let unclosed = "[".repeat(200_000);
        assert!(value_end(unclosed.as_bytes()).is_err());
    }
}
