//! The `key=value` grammar shared by `--set`, `--set-string`, `--set-json`, `--set-file` and
//! `--set-literal` (Helm's `pkg/strvals`).
//!
//! The grammar has no specification beyond Helm's hand-written scanner, and charts depend on
//! its accidents, so this parser follows the same control flow rather than a cleaner grammar:
//!
//! * Parsing is a loop of `key` steps over one buffer. A step reads a key up to `=`, `[`, `,`
//!   or `.`; a `.` recurses into a nested map (at most 30 levels), a `[` reads list indexes
//!   (nested lists and maps inside lists are not counted against that limit).
//! * Every step can stop with an error that wraps Go's `io.EOF`. Helm treats any such error
//!   as the normal end of input, so an unterminated index (`a[0=x`) or a trailing `a.` ends
//!   parsing silently, keeping whatever was stored before.
//! * Helm finds existing containers with unchecked Go type assertions and recovers the panic
//!   in the enclosing key step, reporting `unable to parse key: interface conversion: ...`.
//!   [`Halt::Panic`] models that: it unwinds list steps without running their remaining code.
//! * Lists are Go slices. A failed list step returns the slice it was given, with the
//!   elements that were overwritten in place; an extension (which reallocates in Go) is lost.
//!   The list functions below keep that distinction, because after a silent stop the partial
//!   result is what Helm keeps.

use crate::value::{List, ListType, Map, MapType, Value};

use super::{go_quote, go_quote_runes, json_stream};

/// Helm's `MaxIndex`: the largest list index `--set` accepts.
const MAX_INDEX: i64 = 65536;

/// Helm's `MaxNestedNameLevel`: how many `.` a key may nest.
const MAX_NESTED_NAME_LEVEL: usize = 30;

/// Stack to keep free before recursing, and the size of each new segment: list indexes nest
/// without limit (`a[0][0][0]...`), as deep as a command line allows.
const STACK_RED_ZONE: usize = 64 * 1024;
const STACK_SEGMENT: usize = 1024 * 1024;

/// How a value after `=` becomes a Go value.
pub(super) enum Mode<'a> {
    /// `--set`: `true`/`false`/`null` and integers are typed, the rest are strings.
    Typed,
    /// `--set-string`: always a string.
    String,
    /// `--set-json`: a JSON value, decoded as a stream; an empty value is `null`.
    Json,
    /// `--set-file`: the value is a path; its contents (read through the function) become a
    /// string.
    File(&'a dyn Fn(&str) -> Result<String, String>),
    /// `--set-literal`: no escapes, no lists; everything after the first `=` is the string.
    Literal,
}

/// Why a step stopped.
#[derive(Debug)]
enum Halt {
    /// An error wrapping `io.EOF`: parsing ends without error.
    End,
    /// An error: parsing fails with this message.
    Fail(String),
    /// A Go panic (a failed type assertion), recovered by the nearest key step.
    Panic(String),
}

type Step = Result<(), Halt>;

/// Why a `{a,b}` list could not be read.
enum ListHalt {
    /// The input ended right after `=`.
    Eof,
    /// The value does not start with `{`.
    NotList,
    /// An unterminated list or a failed read.
    Fail(String),
}

/// Parses `input` into `data` in the given mode, as `strvals.ParseInto` and friends do.
/// The error is the message Helm wraps as `failed parsing --set data: ...`.
pub(super) fn parse_into(input: &str, data: &Map, mode: Mode<'_>) -> Result<(), String> {
    let mut parser = Parser {
        input,
        pos: 0,
        mode,
    };
    loop {
        match parser.key(data, 0) {
            Ok(()) => {}
            Err(Halt::End) => return Ok(()),
            Err(Halt::Fail(message) | Halt::Panic(message)) => return Err(message),
        }
    }
}

struct Parser<'a> {
    input: &'a str,
    /// Byte offset of the next unread character.
    pos: usize,
    mode: Mode<'a>,
}

impl Parser<'_> {
    fn literal(&self) -> bool {
        matches!(self.mode, Mode::Literal)
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.input.get(self.pos..)?.chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn peek_char(&self) -> Option<char> {
        self.input.get(self.pos..)?.chars().next()
    }

    /// The rest of the input, consumed.
    fn take_rest(&mut self) -> &str {
        let rest = self.input.get(self.pos..).unwrap_or("");
        self.pos = self.input.len();
        rest
    }

    /// Helm's `runesUntil`: characters up to (not including) one of `stop`, which is consumed
    /// and returned (`None` at the end of input). A backslash takes the next character
    /// literally, except in literal mode; a backslash at the very end is dropped.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut text = String::new();
        while let Some(c) = self.next_char() {
            if stop.contains(&c) {
                return (text, Some(c));
            }
            if c == '\\' && !self.literal() {
                match self.next_char() {
                    Some(escaped) => text.push(escaped),
                    None => return (text, None),
                }
            } else {
                text.push(c);
            }
        }
        (text, None)
    }

    /// One key step (Helm's `parser.key`), with the panic recovery Helm defers in it.
    fn key(&mut self, data: &Map, level: usize) -> Step {
        stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
            match self.key_unrecovered(data, level) {
                Err(Halt::Panic(message)) => {
                    Err(Halt::Fail(format!("unable to parse key: {message}")))
                }
                other => other,
            }
        })
    }

    fn key_unrecovered(&mut self, data: &Map, level: usize) -> Step {
        let stop: &[char] = if self.literal() {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (key, last) = self.until(stop);
        match last {
            None if key.is_empty() => Err(Halt::End),
            None => Err(Halt::Fail(format!("key {} has no value", go_quote(&key)))),
            Some('[') => {
                let index = self.index()?;
                let mut list = match data.get(key.as_str()) {
                    None => Vec::new(),
                    Some(existing) => as_list(&existing)?.to_vec(),
                };
                let result = self.list_item(&mut list, index, level);
                if matches!(result, Err(Halt::Panic(_))) {
                    return result;
                }
                set(data, &key, Value::List(List::new(list)));
                result
            }
            Some('=') => self.key_value(data, &key),
            Some(',') => {
                set(data, &key, Value::from(""));
                Err(Halt::Fail(format!(
                    "key {} has no value (cannot end with ,)",
                    go_quote(&key)
                )))
            }
            Some(_) => {
                // '.': a nested map.
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(Halt::Fail(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let inner = match data.get(key.as_str()) {
                    None => Map::new(),
                    Some(existing) => as_map(&existing)?,
                };
                let result = self.key(&inner, level);
                if result.is_ok() && inner.is_empty() {
                    return Err(Halt::Fail(format!(
                        "key map {} has no value",
                        go_quote(&key)
                    )));
                }
                if !inner.is_empty() {
                    set(data, &key, Value::Map(inner));
                }
                result
            }
        }
    }

    /// The value after `key=`, stored in `data`.
    fn key_value(&mut self, data: &Map, key: &str) -> Step {
        match self.mode {
            Mode::Literal => {
                let value = Value::from(self.take_rest());
                set(data, key, value);
                Ok(())
            }
            Mode::Json => {
                if self.empty_value() {
                    set(data, key, Value::Nil);
                    return Ok(());
                }
                let value = self.json_value()?;
                set(data, key, value);
                self.empty_value();
                Ok(())
            }
            _ => match self.value_list() {
                Ok(items) => {
                    set(data, key, Value::List(List::new(items)));
                    Ok(())
                }
                Err(ListHalt::Eof) => {
                    set(data, key, Value::from(""));
                    Err(Halt::End)
                }
                Err(ListHalt::NotList) => {
                    let text = self.value_text();
                    let (value, result) = self.convert(&text);
                    set(data, key, value);
                    result
                }
                Err(ListHalt::Fail(message)) => Err(Halt::Fail(message)),
            },
        }
    }

    /// The index inside `[...]` (Helm's `keyIndex`), with Helm's `error parsing index: `
    /// wrapping. An unterminated index wraps `io.EOF` and so ends parsing silently.
    fn index(&mut self) -> Result<i64, Halt> {
        let (text, last) = self.until(&[']']);
        if last.is_none() {
            return Err(Halt::End);
        }
        atoi(&text).map_err(|e| Halt::Fail(format!("error parsing index: {e}")))
    }

    /// What follows `[i]` (Helm's `listItem`). On success `list` is the list Helm returns;
    /// on a stop or an error it is the list Helm hands back with the error: the original
    /// length, with in-place overwrites.
    fn list_item(&mut self, list: &mut Vec<Value>, index: i64, level: usize) -> Step {
        stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
            self.list_item_unguarded(list, index, level)
        })
    }

    fn list_item_unguarded(&mut self, list: &mut Vec<Value>, index: i64, level: usize) -> Step {
        if index < 0 {
            return Err(Halt::Fail(format!("negative {index} index not allowed")));
        }
        let slot = usize::try_from(index).unwrap_or(usize::MAX);
        let (rest, last) = self.until(&['[', '.', '=']);
        if !rest.is_empty() {
            return Err(Halt::Fail(format!(
                "unexpected data at end of array index: {}",
                go_quote_runes(&rest)
            )));
        }
        match last {
            None => Err(Halt::End),
            Some('=') => self.list_value(list, index),
            Some('[') => {
                let next = self.index()?;
                // An existing nested list is shared with `list`: Go writes into it in place.
                let (mut inner, shared) = match list.get(slot) {
                    None | Some(Value::Nil | Value::Invalid) => (Vec::new(), false),
                    Some(existing) => (as_list(existing)?.to_vec(), true),
                };
                match self.list_item(&mut inner, next, level) {
                    Ok(()) => set_index(list, index, Value::List(List::new(inner))),
                    Err(Halt::Panic(message)) => Err(Halt::Panic(message)),
                    Err(halt) => {
                        if shared && let Some(element) = list.get_mut(slot) {
                            *element = Value::List(List::new(inner));
                        }
                        Err(halt)
                    }
                }
            }
            Some(_) => {
                // '.': a map inside the list. An element that is not a map is replaced in
                // place before the nested key is even read.
                let inner = match list.get_mut(slot) {
                    None => Map::new(),
                    Some(Value::Map(m)) if m.ty() == MapType::Any => m.clone(),
                    Some(element) => {
                        let fresh = Map::new();
                        *element = Value::Map(fresh.clone());
                        fresh
                    }
                };
                self.key(&inner, level)?;
                set_index(list, index, Value::Map(inner))
            }
        }
    }

    /// The value after `[i]=`, stored in `list`.
    fn list_value(&mut self, list: &mut Vec<Value>, index: i64) -> Step {
        match self.mode {
            Mode::Literal => {
                let value = Value::from(self.take_rest());
                set_index(list, index, value)
            }
            Mode::Json => {
                if self.empty_value() {
                    return set_index(list, index, Value::Nil);
                }
                let value = self.json_value()?;
                set_index(list, index, value)?;
                self.empty_value();
                Ok(())
            }
            _ => match self.value_list() {
                Ok(items) => set_index(list, index, Value::List(List::new(items))),
                Err(ListHalt::Eof) => set_index(list, index, Value::from("")),
                Err(ListHalt::NotList) => {
                    let text = self.value_text();
                    let (value, result) = self.convert(&text);
                    result?;
                    set_index(list, index, value)
                }
                Err(ListHalt::Fail(message)) => Err(Halt::Fail(message)),
            },
        }
    }

    /// A plain value: everything up to the next unescaped `,` (Helm's `val`).
    fn value_text(&mut self) -> String {
        self.until(&[',']).0
    }

    /// A `{a,b,c}` list (Helm's `valList`). `{}` is a list holding one empty string.
    fn value_list(&mut self) -> Result<Vec<Value>, ListHalt> {
        match self.peek_char() {
            None => return Err(ListHalt::Eof),
            Some('{') => self.pos += 1,
            Some(_) => return Err(ListHalt::NotList),
        }
        let mut items = Vec::new();
        loop {
            let (text, last) = self.until(&[',', '}']);
            match last {
                None => return Err(ListHalt::Fail("list must terminate with '}'".into())),
                Some('}') => {
                    if self.peek_char() == Some(',') {
                        self.pos += 1;
                    }
                    let (value, result) = self.convert(&text);
                    items.push(value);
                    return match result {
                        Ok(()) => Ok(items),
                        Err(Halt::Fail(m) | Halt::Panic(m)) => Err(ListHalt::Fail(m)),
                        Err(Halt::End) => Err(ListHalt::Eof),
                    };
                }
                Some(_) => {
                    let (value, result) = self.convert(&text);
                    match result {
                        Ok(()) => items.push(value),
                        Err(Halt::Fail(m) | Halt::Panic(m)) => return Err(ListHalt::Fail(m)),
                        Err(Halt::End) => return Err(ListHalt::Eof),
                    }
                }
            }
        }
    }

    /// Converts the text of a value as the mode says (Helm's `reader`). A failed file read
    /// yields nil with the error, which Helm still stores under a map key.
    fn convert(&self, text: &str) -> (Value, Step) {
        match self.mode {
            Mode::Typed => (typed_value(text), Ok(())),
            Mode::File(read) => match read(text) {
                Ok(contents) => (Value::from(contents), Ok(())),
                Err(message) => (Value::Nil, Err(Halt::Fail(message))),
            },
            Mode::String | Mode::Json | Mode::Literal => (Value::from(text), Ok(())),
        }
    }

    /// Helm's `emptyVal`: skips whitespace; true (consuming it) at a `,` or the end, false
    /// (consuming nothing more) at anything else.
    fn empty_value(&mut self) -> bool {
        while let Some(c) = self.peek_char() {
            if c == ',' {
                self.pos += 1;
                return true;
            }
            if !c.is_whitespace() {
                return false;
            }
            self.pos += c.len_utf8();
        }
        true
    }

    /// One JSON value read as Go's `json.Decoder` reads it; the rest stays unread.
    fn json_value(&mut self) -> Result<Value, Halt> {
        let rest = self.input.get(self.pos..).unwrap_or("");
        let (value, length) = json_stream::decode_value(rest).map_err(Halt::Fail)?;
        self.pos += length;
        Ok(value)
    }
}

/// Helm's `typedVal` for `--set`: `true`/`false` (any case) are booleans, `null` is nil, and
/// a base-10 integer that fits in `int64` and does not start with `0` (other than `0`
/// itself) is an `int64`. Everything else (`1.5`, `1e3`, `007`, `0x1F`, `yes`) is a string.
pub(super) fn typed_value(text: &str) -> Value {
    if go_equal_fold(text, "true") {
        return Value::Bool(true);
    }
    if go_equal_fold(text, "false") {
        return Value::Bool(false);
    }
    if go_equal_fold(text, "null") {
        return Value::Nil;
    }
    if text == "0" {
        return Value::int64(0);
    }
    if !text.is_empty() && !text.starts_with('0') {
        // Rust's and Go's base-10 parsers accept the same texts: an optional sign, then
        // ASCII digits.
        if let Ok(i) = text.parse::<i64>() {
            return Value::int64(i);
        }
    }
    Value::from(text)
}

/// Go's `strings.EqualFold` against an ASCII lowercase word. Besides ASCII case, Unicode
/// simple folding maps only `ſ` (U+017F) and `K` (U+212A) onto ASCII letters, so `falſe`
/// is `false`.
fn go_equal_fold(text: &str, word: &str) -> bool {
    let mut chars = text.chars();
    for expected in word.chars() {
        let Some(c) = chars.next() else {
            return false;
        };
        let folds = c.to_ascii_lowercase() == expected
            || (c == '\u{17F}' && expected == 's')
            || (c == '\u{212A}' && expected == 'k');
        if !folds {
            return false;
        }
    }
    chars.next().is_none()
}

/// Go's `strconv.Atoi` on a 64-bit platform, with its error text.
fn atoi(text: &str) -> Result<i64, String> {
    let fail = |reason: &str| format!("strconv.Atoi: parsing {}: {reason}", go_quote(text));
    let (negative, digits) = match text.as_bytes().split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text.as_bytes()),
    };
    if digits.is_empty() {
        return Err(fail("invalid syntax"));
    }
    // Go's ParseUint stops at the first bad digit or at the first overflow, whichever
    // comes first.
    let mut magnitude: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return Err(fail("invalid syntax"));
        }
        magnitude = magnitude
            .checked_mul(10)
            .and_then(|m| m.checked_add(u64::from(b - b'0')))
            .ok_or_else(|| fail("value out of range"))?;
    }
    let limit = 1u64 << 63;
    if negative {
        if magnitude > limit {
            return Err(fail("value out of range"));
        }
        Ok(0i64.wrapping_sub_unsigned(magnitude))
    } else {
        i64::try_from(magnitude).map_err(|_| fail("value out of range"))
    }
}

/// Helm's `set`: an empty key is silently ignored.
fn set(data: &Map, key: &str, value: Value) {
    if !key.is_empty() {
        data.insert(key, value);
    }
}

/// Helm's `setIndex`: grows the list with nils as needed.
fn set_index(list: &mut Vec<Value>, index: i64, value: Value) -> Step {
    if index < 0 {
        return Err(Halt::Fail(format!("negative {index} index not allowed")));
    }
    if index > MAX_INDEX {
        return Err(Halt::Fail(format!(
            "index of {index} is greater than maximum supported index of {MAX_INDEX}"
        )));
    }
    // 0 <= index <= MAX_INDEX, so the conversion cannot fail.
    let slot = usize::try_from(index).unwrap_or_default();
    if list.len() <= slot {
        list.resize(slot + 1, Value::Nil);
    }
    if let Some(element) = list.get_mut(slot) {
        *element = value;
    }
    Ok(())
}

/// Go's `v.([]interface{})`, panicking like Go when `v` is anything else.
fn as_list(v: &Value) -> Result<&List, Halt> {
    match v {
        Value::List(l) if l.ty() == ListType::Any => Ok(l),
        other => Err(conversion_panic(other, "[]interface {}")),
    }
}

/// Go's `v.(map[string]interface{})`, panicking like Go when `v` is anything else.
fn as_map(v: &Value) -> Result<Map, Halt> {
    match v {
        Value::Map(m) if m.ty() == MapType::Any => Ok(m.clone()),
        other => Err(conversion_panic(other, "map[string]interface {}")),
    }
}

/// The text of Go's `*runtime.TypeAssertionError`.
fn conversion_panic(v: &Value, want: &str) -> Halt {
    let have = if v.is_nil() {
        "nil".into()
    } else {
        v.type_name()
    };
    Halt::Panic(format!(
        "interface conversion: interface {{}} is {have}, not {want}"
    ))
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn atoi_matches_go() {
        assert_eq!(atoi("0"), Ok(0));
        assert_eq!(atoi("+7"), Ok(7));
        assert_eq!(atoi("-007"), Ok(-7));
        assert_eq!(atoi("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(atoi("9223372036854775807"), Ok(i64::MAX));
        for (text, reason) in [
            ("", "invalid syntax"),
            ("+", "invalid syntax"),
            ("1_0", "invalid syntax"),
            (" 1", "invalid syntax"),
            ("9223372036854775808", "value out of range"),
            ("-9223372036854775809", "value out of range"),
            // Go reports the overflow before it reaches the bad digit, but not the reverse.
            ("99999999999999999999x", "value out of range"),
            ("9223372036854775808x", "invalid syntax"),
        ] {
            let err = atoi(text).unwrap_err();
            assert!(err.ends_with(reason), "{text:?}: {err}");
        }
    }

    #[test]
    fn equal_fold_matches_go() {
        assert!(go_equal_fold("TrUe", "true"));
        assert!(go_equal_fold("falſe", "false"));
        assert!(!go_equal_fold("truee", "true"));
        assert!(!go_equal_fold("tru", "true"));
        assert!(!go_equal_fold("", "null"));
    }
}
