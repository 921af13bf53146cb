//! A fast reading of a rendered document's head (`kind`, `metadata.name`,
//! `metadata.annotations`) for the shape nearly every manifest has: block mappings and
//! sequences of simple scalars, block scalars and comments.
//!
//! Helm parses every document with a full YAML parser to read these fields, and that parse is
//! most of the cost of sorting manifests. This reader accepts only documents it can prove
//! valid and read exactly as go-yaml would; for anything else (flow collections, anchors,
//! tags, multi-line plain or quoted scalars, escapes, tabs, duplicate head keys, scalars that
//! YAML 1.1 would type) it returns `None` and the full parser decides, errors included.

use std::collections::BTreeMap;

use crate::yaml::Resolved;

/// The fields Helm's `SimpleHead` reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Head {
    pub kind: String,
    pub name: String,
    pub annotations: Option<BTreeMap<String, String>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Map,
    Seq,
}

/// Where a mapping sits, for the keys the head needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Place {
    Top,
    Metadata,
    Annotations,
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Frame {
    indent: usize,
    kind: Kind,
    place: Place,
}

/// A scalar value of a `key: value` line.
enum Scalar<'a> {
    /// Nothing after the colon: a nested block or null.
    Empty,
    /// A plain or simply quoted string, and whether it is a plain string to YAML 1.1 (always
    /// `true` where the caller does not ask).
    Text(&'a str, bool),
    /// `{}` or `[]`.
    EmptyFlow,
    /// A one-line flow sequence of simply quoted strings: `['wget']`, `["a", "b"]`.
    QuotedList,
    /// `|`, `|-`, `>`... : a block scalar follows.
    Block,
}

fn is_key_byte(b: u8) -> bool {
    KEY_BYTES[usize::from(b)]
}

/// [`is_key_byte`] as a table: keys are checked byte by byte, on every line.
static KEY_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'/');
        b += 1;
    }
    table
};

/// The number of spaces a line starts with.
fn leading_spaces(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// Whether every byte is a line feed or printable ASCII (`0x20..=0x7E`). Each block of 64
/// bytes is checked without branches, which the compiler turns into vector instructions.
fn is_printable_ascii(bytes: &[u8]) -> bool {
    let unprintable = |b: u8| (b.wrapping_sub(0x20) >= 0x5F) & (b != b'\n');
    let mut blocks = bytes.chunks_exact(64);
    for block in &mut blocks {
        if block.iter().fold(false, |bad, &b| bad | unprintable(b)) {
            return false;
        }
    }
    !blocks.remainder().iter().any(|&b| unprintable(b))
}

/// A plain scalar that go-yaml would read as exactly this string.
fn plain_string(s: &str) -> bool {
    !s.is_empty() && crate::yaml::is_plain_string(s)
}

/// Where the comment of a value starts (the space before its ` #`), and whether a `: `
/// comes before that: one pass over the bytes, which for the short values of a manifest
/// costs less than two `memchr` searches.
fn comment_and_colon(bytes: &[u8]) -> (usize, bool) {
    let mut colon_space = false;
    let mut prev = 0u8;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && prev == b' ' {
            return (i - 1, colon_space);
        }
        if b == b' ' && prev == b':' {
            colon_space = true;
        }
        prev = b;
    }
    (bytes.len(), colon_space)
}

/// Classifies the text after `key:` (or after `- `). `None`: not a shape this reader handles.
/// Without `typed_matters`, a plain scalar's flag in [`Scalar::Text`] means nothing (the
/// caller ignores it), so the YAML 1.1 resolver runs only where it could refuse the scalar.
fn scalar(raw: &str, typed_matters: bool) -> Option<Scalar<'_>> {
    let (end, colon_space) = comment_and_colon(raw.as_bytes());
    let v = raw[..end].trim_end_matches(' ');
    let Some(&first) = v.as_bytes().first() else {
        return Some(Scalar::Empty);
    };
    match first {
        b'"' => {
            let inner = v[1..].strip_suffix('"')?;
            if memchr::memchr2(b'"', b'\\', inner.as_bytes()).is_some() {
                return None;
            }
            return Some(Scalar::Text(inner, true));
        }
        b'\'' => {
            let inner = v[1..].strip_suffix('\'')?;
            if memchr::memchr(b'\'', inner.as_bytes()).is_some() {
                return None;
            }
            return Some(Scalar::Text(inner, true));
        }
        b'{' => return (v == "{}").then_some(Scalar::EmptyFlow),
        b'[' => {
            if v == "[]" {
                return Some(Scalar::EmptyFlow);
            }
            let items = v[1..].strip_suffix(']')?;
            let simply_quoted = |item: &str| {
                let item = item.trim_matches(' ');
                let single = item
                    .strip_prefix('\'')
                    .and_then(|r| r.strip_suffix('\''))
                    .is_some_and(|inner| !inner.contains('\''));
                let double = item
                    .strip_prefix('"')
                    .and_then(|r| r.strip_suffix('"'))
                    .is_some_and(|inner| !inner.contains(['"', '\\']));
                single || double
            };
            return items
                .split(',')
                .all(simply_quoted)
                .then_some(Scalar::QuotedList);
        }
        b'|' | b'>' => {
            return matches!(&v[1..], "" | "-" | "+").then_some(Scalar::Block);
        }
        _ => {}
    }
    if !(first.is_ascii_alphanumeric()
        || matches!(first, b'_' | b'.' | b'/' | b'$' | b'(' | b'+' | b'='))
    {
        return None;
    }
    // `: ` before the comment: either inside `v` or, where `v` ends with `:`, just after it.
    if colon_space || v.ends_with(':') {
        return None;
    }
    // A plain scalar that starts with a letter (or `_ / $ ( =`) is a string, bool or null
    // to go-yaml, never a number, so it is never the infinite or NaN float refused below.
    if !typed_matters
        && (first.is_ascii_alphabetic() || matches!(first, b'_' | b'/' | b'$' | b'(' | b'='))
    {
        return Some(Scalar::Text(v, true));
    }
    match crate::yaml::resolve_plain(v) {
        Resolved::Float(f) if !f.is_finite() => None,
        resolved => Some(Scalar::Text(v, matches!(resolved, Resolved::Str))),
    }
}

/// Reads the head, or `None` when the full parser must decide.
pub(crate) fn fast_head(doc: &str) -> Option<Head> {
    // Tabs, carriage returns, byte-order marks, YAML 1.1's other line breaks (NEL, U+2028,
    // U+2029) and characters YAML does not allow in a stream are the parser's business.
    let unusual = |c: char| {
        let v = c as u32;
        !(c == '\n'
            || (0x20..=0x7E).contains(&v)
            || (0xA0..=0xD7FF).contains(&v) && v != 0x2028 && v != 0x2029
            || (0xE000..=0xFFFD).contains(&v) && v != 0xFEFF
            // The last 256 code points stand for bytes that are not UTF-8 (`gostring`).
            || (0x10000..0x10FF00).contains(&v))
    };
    let plain_ascii = is_printable_ascii(doc.as_bytes());
    if !plain_ascii && doc.chars().any(unusual) {
        return None;
    }
    let mut head = Head::default();
    let mut stack: Vec<Frame> = Vec::new();
    // A key or dash whose value is a nested block: its indent and what its mapping would be.
    let mut open: Option<(usize, Place)> = None;
    // Inside a block scalar: the parent's indent and the content's indent once known.
    let mut block: Option<(usize, Option<usize>)> = None;
    let mut leading_blank = 0;
    let mut seen_top = [false; 2];
    let mut seen_meta = [false; 2];
    let mut seen_root = false;

    for line in crate::lines::split(doc) {
        let indent = leading_spaces(line);
        let content = &line[indent..];
        if let Some((parent, content_indent)) = block {
            if content.is_empty() {
                if content_indent.is_none() {
                    leading_blank = leading_blank.max(indent);
                }
                continue;
            }
            if indent > parent {
                match content_indent {
                    // Leading blank lines may not be indented deeper than the first text line.
                    None if leading_blank > indent => return None,
                    None => block = Some((parent, Some(indent))),
                    Some(ci) if indent >= ci => {}
                    Some(_) => return None,
                }
                continue;
            }
            block = None;
        }
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if content.starts_with("---") || content.starts_with("...") {
            return None;
        }

        let (is_item, rest, col) = if content == "-" || content.starts_with("- ") {
            let after = &content[1 + leading_spaces(&content[1..])..];
            (true, after, indent + (content.len() - after.len()))
        } else {
            (false, content, indent)
        };

        // Place the entry in the block structure.
        let entry_kind = if is_item { Kind::Seq } else { Kind::Map };
        let place;
        match open.take() {
            Some((p, child_place))
                if indent > p
                    || (indent == p
                        && is_item
                        && stack.last().is_some_and(|f| f.kind == Kind::Map)) =>
            {
                if is_item && child_place != Place::Other {
                    return None; // metadata or annotations as a list: the parser reports it
                }
                place = child_place;
                stack.push(Frame {
                    indent,
                    kind: entry_kind,
                    place,
                });
            }
            _ => {
                while stack.last().is_some_and(|f| f.indent > indent) {
                    stack.pop();
                }
                // A sequence written at its key's indent ends at the next key of that map.
                if !is_item
                    && stack
                        .last()
                        .is_some_and(|f| f.kind == Kind::Seq && f.indent == indent)
                {
                    stack.pop();
                }
                match stack.last() {
                    None if seen_root => return None, // content after the root ended
                    None => {
                        seen_root = true;
                        if is_item {
                            return None; // a top-level sequence: the full parser reports it
                        }
                        place = Place::Top;
                        stack.push(Frame {
                            indent,
                            kind: Kind::Map,
                            place,
                        });
                    }
                    Some(f) if f.indent == indent && f.kind == entry_kind => place = f.place,
                    Some(_) => return None,
                }
            }
        }

        // The text after a dash may itself start a mapping (`- name: x`).
        let (key_part, map_col, map_place) = if is_item {
            if rest.is_empty() {
                open = Some((indent, Place::Other));
                continue;
            }
            if rest.starts_with('-') || rest.starts_with('#') {
                return None;
            }
            match memchr::memchr(b':', rest.as_bytes()) {
                Some(i) if rest[i + 1..].is_empty() || rest[i + 1..].starts_with(' ') => {
                    stack.push(Frame {
                        indent: col,
                        kind: Kind::Map,
                        place: Place::Other,
                    });
                    (rest, col, Place::Other)
                }
                _ => {
                    scalar_ok(rest)?;
                    continue;
                }
            }
        } else {
            (rest, col, place)
        };

        // A key is plain, or quoted with only key characters inside (`"helm.sh/hook": x`):
        // either way go-yaml reads it as exactly that string.
        let quote = key_part.chars().next().filter(|c| matches!(c, '"' | '\''));
        let (key, after) = match quote {
            Some(q) => {
                let close = key_part[1..].find(q)? + 1;
                let after = key_part[close + 1..].strip_prefix(':')?;
                (&key_part[1..close], after)
            }
            None => {
                // One pass: the key's characters, then its colon.
                let colon = key_part.bytes().position(|b| !is_key_byte(b))?;
                if key_part.as_bytes()[colon] != b':' {
                    return None;
                }
                (&key_part[..colon], &key_part[colon + 1..])
            }
        };
        if key.is_empty()
            || (quote.is_some() && !key.bytes().all(is_key_byte))
            || (quote.is_none() && !plain_string(key))
            || !(after.is_empty() || after.starts_with(' '))
        {
            return None;
        }
        let value = scalar(after.trim_start_matches(' '), map_place != Place::Other)?;
        if matches!(value, Scalar::Text(_, false)) && !matches!(map_place, Place::Other) {
            // A typed scalar among the head's keys: let the full parser convert it.
            if matches!(
                (map_place, key),
                (Place::Top, "kind" | "metadata")
                    | (Place::Metadata, "name" | "annotations")
                    | (Place::Annotations, _)
            ) {
                return None;
            }
        }
        let nested_place = match (map_place, key) {
            (Place::Top, "metadata") => Place::Metadata,
            (Place::Metadata, "annotations") => Place::Annotations,
            _ => Place::Other,
        };
        match (map_place, key) {
            (Place::Top, "kind") | (Place::Top, "metadata") => {
                let slot = usize::from(key == "metadata");
                if std::mem::replace(&mut seen_top[slot], true) {
                    return None;
                }
            }
            (Place::Metadata, "name") | (Place::Metadata, "annotations") => {
                let slot = usize::from(key == "annotations");
                if std::mem::replace(&mut seen_meta[slot], true) {
                    return None;
                }
            }
            _ => {}
        }
        match value {
            Scalar::Empty => {
                if matches!(
                    (map_place, key),
                    (Place::Top, "kind") | (Place::Metadata, "name") | (Place::Annotations, _)
                ) {
                    return None;
                }
                open = Some((map_col, nested_place));
            }
            Scalar::EmptyFlow => match (map_place, key) {
                (Place::Top, "kind") | (Place::Metadata, "name") | (Place::Annotations, _) => {
                    return None;
                }
                (Place::Metadata, "annotations") => {
                    if after.trim_start_matches(' ').starts_with('[') {
                        return None;
                    }
                    head.annotations = Some(BTreeMap::new());
                }
                (Place::Top, "metadata") if after.trim_start_matches(' ').starts_with('[') => {
                    return None;
                }
                _ => {}
            },
            Scalar::QuotedList => {
                if matches!(
                    (map_place, key),
                    (Place::Top, "kind" | "metadata")
                        | (Place::Metadata, "name" | "annotations")
                        | (Place::Annotations, _)
                ) {
                    return None;
                }
            }
            Scalar::Block => {
                if !matches!(map_place, Place::Other)
                    && matches!(
                        (map_place, key),
                        (Place::Top, "kind" | "metadata")
                            | (Place::Metadata, "name" | "annotations")
                            | (Place::Annotations, _)
                    )
                {
                    return None;
                }
                block = Some((map_col, None));
                leading_blank = 0;
            }
            Scalar::Text(text, _) => match (map_place, key) {
                (Place::Top, "kind") => head.kind = text.to_string(),
                (Place::Top, "metadata") | (Place::Metadata, "annotations") => return None,
                (Place::Metadata, "name") => head.name = text.to_string(),
                (Place::Annotations, k) => {
                    head.annotations
                        .get_or_insert_with(BTreeMap::new)
                        .insert(k.to_string(), text.to_string());
                }
                _ => {}
            },
        }
    }
    if block.is_some_and(|(_, ci)| ci.is_none()) {
        // A block scalar with no content at the end: fine for YAML, but keep it simple.
        return None;
    }
    Some(head)
}

/// A sequence item's scalar (`- value`) that this reader accepts.
fn scalar_ok(rest: &str) -> Option<()> {
    match scalar(rest, false)? {
        Scalar::Text(..) | Scalar::EmptyFlow | Scalar::QuotedList => Some(()),
        Scalar::Empty | Scalar::Block => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_skipped_by_the_resolver_are_never_refused_by_it() {
        // `scalar` without `typed_matters` accepts these first characters unresolved: the
        // resolver must never turn such a scalar into an infinite or NaN float.
        let starts = ('a'..='z')
            .chain('A'..='Z')
            .chain(['_', '/', '$', '(', '=']);
        let tails = [
            "", "nf", "NF", "nan", "NaN", ".inf", "1e999", "e999", "x", "es", "rue", "ull", "n",
            "ff", ":", "1", "0x1", ".5", "_1_000", "nfinity", "aN",
        ];
        for start in starts {
            for tail in tails {
                let v = format!("{start}{tail}");
                if let Resolved::Float(f) = crate::yaml::resolve_plain(&v) {
                    assert!(f.is_finite(), "{v:?} resolves to {f}");
                }
                assert!(
                    scalar(&v, false).is_some() == scalar(&v, true).is_some(),
                    "{v:?}: the skipped resolver would decide differently"
                );
            }
        }
    }

    #[test]
    fn printable_ascii_check_agrees_with_a_byte_by_byte_one() {
        let naive = |b: &[u8]| b.iter().all(|&b| b == b'\n' || (0x20..=0x7E).contains(&b));
        // Lengths around 64 reach the block loop as well as the remainder.
        for len in [0, 1, 7, 8, 9, 16, 23, 63, 64, 65, 130] {
            for pos in 0..len {
                for byte in 0..=255u8 {
                    let mut text = vec![b'a'; len];
                    text[pos] = byte;
                    assert_eq!(
                        is_printable_ascii(&text),
                        naive(&text),
                        "{byte:#x} at {pos}/{len}"
                    );
                }
            }
        }
        // Neighbouring bytes must not change each other's verdict.
        for pos in 0..15 {
            for first in [0x00, b'\n', 0x1F, b' ', 0x7E, 0x7F, 0x80, 0xFF] {
                for second in 0..=255u8 {
                    let mut text = vec![b'a'; 16];
                    text[pos] = first;
                    text[pos + 1] = second;
                    assert_eq!(
                        is_printable_ascii(&text),
                        naive(&text),
                        "{first:#x} {second:#x} at {pos}"
                    );
                }
            }
        }
    }

    #[test]
    fn reads_every_document_of_the_scaffold_chart() {
        for output in [
            include_str!("../../../testdata/golden/demo-default/expected.stdout"),
            include_str!("../../../testdata/golden/demo-all-features/expected.stdout"),
        ] {
            for doc in crate::render::manifest::split_manifests(output) {
                let head = fast_head(&doc);
                assert!(head.is_some(), "fell back to the full parser:\n{doc}");
                assert!(super::super::manifest::fast_head_agrees(&doc));
            }
        }
    }

    #[test]
    fn reads_quoted_flow_lists_outside_the_head() {
        let doc = "kind: Pod\nmetadata:\n  name: t\nspec:\n  containers:\n  - command: ['wget']\n    args: [\"a:80\", 'b']\n";
        let head = fast_head(doc).expect("handled");
        assert_eq!((head.kind.as_str(), head.name.as_str()), ("Pod", "t"));
        let quoted =
            "kind: Pod\nmetadata:\n  annotations:\n    \"helm.sh/hook\": test\n    'x': \"y\"\n";
        let head = fast_head(quoted).expect("handled");
        let annotations = head.annotations.expect("annotations");
        assert_eq!(
            annotations.get("helm.sh/hook").map(String::as_str),
            Some("test")
        );
        assert_eq!(annotations.get("x").map(String::as_str), Some("y"));
        let duplicate = "kind: Pod\nmetadata:\n  annotations:\n    \"a\": c\n    a: d\n";
        assert!(super::super::manifest::fast_head_agrees(duplicate));
        for tricky in [
            "kind: Pod\nspec:\n  args: ['a', b]\n",
            "kind: Pod\nspec:\n  args: ['a,b']\n",
            "kind: Pod\nspec:\n  args: ['it''s']\n",
            "kind: Pod\nspec:\n  args: [\"a\\\"\"]\n",
            "kind: ['Pod']\n",
            "kind: Pod\nmetadata:\n  annotations: ['a']\n",
            "kind: Pod\nmetadata:\n  annotations:\n    \"a:b\": c\n",
        ] {
            assert!(fast_head(tricky).is_none(), "{tricky}");
        }
    }

    #[test]
    fn reads_a_typical_manifest() {
        let doc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    app: web\n  annotations:\n    helm.sh/hook: pre-install\n    x: 'y'\nspec:\n  ports:\n  - port: 80 # http\n    name: http\n  selector:\n    app: web\ndata:\n  script: |\n    echo: a # b\n\n      c\n";
        let head = fast_head(doc).expect("handled");
        assert_eq!(head.kind, "Service");
        assert_eq!(head.name, "web");
        let ann = head.annotations.expect("annotations");
        assert_eq!(
            ann.get("helm.sh/hook").map(String::as_str),
            Some("pre-install")
        );
    }

    #[test]
    fn leaves_anything_unusual_to_the_parser() {
        for doc in [
            "kind: [a]",
            "kind: Service\nkind: Pod",
            "metadata:\n  name: n",
            "a: b: c",
            "a: &x 1",
            "- a",
            "a:\n\tb: 1",
            "a: b\n  c",
            "kind: \"a\\tb\"",
            "a: |\n    x\n  y",
        ] {
            assert!(fast_head(doc).is_none(), "{doc:?}");
        }
    }
}
