//! PEM as Go's `encoding/pem` reads and writes it.
//!
//! Reading follows Go's `pem.Decode`: the first well-formed block wins, malformed candidates
//! are skipped, headers (`Key: value` lines) are allowed and ignored by Sprig, and the body is
//! base64 with spaces, tabs and newlines ignored. Writing wraps the base64 body at 64 columns.

use crate::funcs::encoding::{base64_decode, base64_encode};

/// A decoded PEM block: its type (`RSA PRIVATE KEY`, `CERTIFICATE`, ...) and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Block {
    /// The word(s) between `-----BEGIN ` and `-----`.
    pub kind: String,
    /// The decoded body.
    pub bytes: Vec<u8>,
}

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"\n-----END ";
const DASHES: &[u8] = b"-----";

/// Go's `pem.Encode` of a block without headers.
pub(super) fn encode(kind: &str, bytes: &[u8]) -> String {
    let body = base64_encode(bytes);
    let mut out = String::with_capacity(body.len() + body.len() / 64 + 2 * kind.len() + 32);
    out.push_str("-----BEGIN ");
    out.push_str(kind);
    out.push_str("-----\n");
    let mut rest = body.as_str();
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(64));
        out.push_str(line);
        out.push('\n');
        rest = tail;
    }
    out.push_str("-----END ");
    out.push_str(kind);
    out.push_str("-----\n");
    out
}

/// The first line of `data` without trailing spaces and tabs, and what follows its newline
/// (Go's `getLine`; a `\r` before the `\n` belongs to the line ending).
fn get_line(data: &[u8]) -> (&[u8], &[u8]) {
    let (mut line, rest) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => {
            let line = data.get(..i).unwrap_or_default();
            (
                line.strip_suffix(b"\r").unwrap_or(line),
                data.get(i + 1..).unwrap_or_default(),
            )
        }
        None => (data, &[][..]),
    };
    while let Some(stripped) = line.strip_suffix(b" ").or_else(|| line.strip_suffix(b"\t")) {
        line = stripped;
    }
    (line, rest)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Go's `pem.Decode`: the first PEM block in `data`, if any.
pub(super) fn decode(data: &[u8]) -> Option<Block> {
    let mut rest = data;
    loop {
        // A block starts at the very beginning or right after a newline.
        if let Some(after) = rest.strip_prefix(BEGIN) {
            rest = after;
        } else {
            let at = find(rest, b"\n-----BEGIN ")?;
            rest = rest.get(at + 1 + BEGIN.len()..)?;
        }

        let (type_line, after_type) = get_line(rest);
        rest = after_type;
        let Some(kind) = type_line.strip_suffix(DASHES) else {
            continue;
        };

        let mut has_headers = false;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (line, next) = get_line(rest);
            // Go keeps `Key: value` headers; Sprig never looks at them.
            if !line.contains(&b':') {
                break;
            }
            has_headers = true;
            rest = next;
        }

        let (end_index, trailer_index) = if !has_headers && rest.starts_with(&END[1..]) {
            (0, END.len() - 1)
        } else {
            match find(rest, END) {
                Some(i) => (i, i + END.len()),
                None => continue,
            }
        };

        // The END line must repeat the type and close with five dashes, and nothing but
        // whitespace may follow on that line.
        let trailer = rest.get(trailer_index..).unwrap_or_default();
        let trailer_len = kind.len() + DASHES.len();
        if trailer.len() < trailer_len {
            continue;
        }
        let (end_line, rest_of_end_line) = trailer.split_at(trailer_len);
        if !end_line.starts_with(kind) || !end_line.ends_with(DASHES) {
            continue;
        }
        if !get_line(rest_of_end_line).0.is_empty() {
            continue;
        }

        let body: Vec<u8> = rest
            .get(..end_index)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|&b| b != b' ' && b != b'\t')
            .collect();
        let Ok(bytes) = base64_decode(&body) else {
            continue;
        };
        return Some(Block {
            kind: String::from_utf8_lossy(kind).into_owned(),
            bytes,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_wraps_at_64_columns() {
        let pem = encode("TEST", &[0xab; 100]);
        let lines: Vec<&str> = pem.lines().collect();
        assert_eq!(lines.first(), Some(&"-----BEGIN TEST-----"));
        assert_eq!(lines.get(1).map(|l| l.len()), Some(64));
        assert_eq!(lines.get(2).map(|l| l.len()), Some(64));
        assert_eq!(lines.get(3).map(|l| l.len()), Some(8));
        assert_eq!(lines.last(), Some(&"-----END TEST-----"));
        assert!(pem.ends_with("-----\n"));
        // A body of exactly 64 characters is one line.
        assert_eq!(encode("X", &[0; 48]).lines().count(), 3);
    }

    #[test]
    fn decode_round_trips() {
        let data: Vec<u8> = (0..=255).collect();
        let block = decode(encode("SOME THING", &data).as_bytes()).expect("a block");
        assert_eq!(
            block,
            Block {
                kind: "SOME THING".into(),
                bytes: data
            }
        );
    }

    #[test]
    fn decode_is_lenient_like_go() {
        // Text before the block, headers, CRLF line ends, spaces in the body.
        let text = "junk\r\n-----BEGIN K-----\r\nProc-Type: 4,ENCRYPTED\r\n\r\naGVs bG8=\r\n-----END K-----  \r\nmore";
        let block = decode(text.as_bytes()).expect("a block");
        assert_eq!(block.bytes, b"hello");
        // An END line for another type, or bad base64, skips to the next candidate.
        let text =
            "-----BEGIN A-----\naGk=\n-----END B-----\n-----BEGIN C-----\naGk=\n-----END C-----\n";
        assert_eq!(
            decode(text.as_bytes()).map(|b| b.kind),
            Some("C".to_owned())
        );
        assert_eq!(decode(b"-----BEGIN A-----\n!!!!\n-----END A-----\n"), None);
        assert_eq!(decode(b"no pem here"), None);
        assert_eq!(decode(b"x-----BEGIN A-----\naGk=\n-----END A-----\n"), None);
        // An empty body may be followed directly by the END line.
        assert_eq!(
            decode(b"-----BEGIN E-----\n-----END E-----\n").map(|b| b.bytes),
            Some(vec![])
        );
    }
}
