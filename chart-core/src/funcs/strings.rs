//! Template functions: strings. Sprig v3.3.0's string section as Helm 4.1.4 runs it: Go's
//! `strings` package, Masterminds `goutils` v1.1.1 (`abbrev`, `wrap`, `initials`, `nospace`,
//! `swapcase`, `untitle`) and `huandu/xstrings` v1.5.0 (`camelcase`, `snakecase`,
//! `kebabcase`), each with its quirks: Go indexes strings by byte, so `substr`, `trunc`,
//! `abbrev` and `wrap` count bytes, and `initials`/`nospace` even read each byte as a Latin-1
//! character.
//!
//! Divergences from Helm, all deliberate:
//! - Our strings are UTF-8, so a byte slice that cuts a character in two (`substr 0 2 "héllo"`)
//!   shows U+FFFD where Go keeps the raw byte.
//! - `repeat`, `indent`, `nindent` and `replace` refuse to build a string larger than
//!   [`MAX_STRING_BYTES`] and fail instead of exhausting memory.

use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::cast;
use super::{Args, FnCtx, FnError, Func, GoType};
use crate::gofmt;
use crate::value::{Entries, Map, MapType, Value};

/// The largest string `repeat`, `indent`, `nindent` and `replace` build (64 MiB). Go has no
/// such limit; a template that needs more is far more likely a mistake or an attack.
pub(super) const MAX_STRING_BYTES: usize = 64 << 20;

pub(super) const FUNCS: &[Func] = &[
    func("hello", &[], hello),
    func("abbrev", &[GoType::Int, GoType::String], abbrev),
    func(
        "abbrevboth",
        &[GoType::Int, GoType::Int, GoType::String],
        abbrevboth,
    ),
    func("trunc", &[GoType::Int, GoType::String], trunc),
    func("trim", &[GoType::String], trim),
    func("upper", &[GoType::String], upper),
    func("lower", &[GoType::String], lower),
    func("title", &[GoType::String], title),
    func("untitle", &[GoType::String], untitle),
    func(
        "substr",
        &[GoType::Int, GoType::Int, GoType::String],
        substr,
    ),
    func("repeat", &[GoType::Int, GoType::String], repeat),
    func("trimall", &[GoType::String, GoType::String], trim_all),
    func("trimAll", &[GoType::String, GoType::String], trim_all),
    func("trimSuffix", &[GoType::String, GoType::String], trim_suffix),
    func("trimPrefix", &[GoType::String, GoType::String], trim_prefix),
    func("nospace", &[GoType::String], nospace),
    func("initials", &[GoType::String], initials),
    func("swapcase", &[GoType::String], swapcase),
    func("snakecase", &[GoType::String], snakecase),
    func("camelcase", &[GoType::String], camelcase),
    func("kebabcase", &[GoType::String], kebabcase),
    func("wrap", &[GoType::Int, GoType::String], wrap),
    func(
        "wrapWith",
        &[GoType::Int, GoType::String, GoType::String],
        wrap_with,
    ),
    func("contains", &[GoType::String, GoType::String], contains),
    func("hasPrefix", &[GoType::String, GoType::String], has_prefix),
    func("hasSuffix", &[GoType::String, GoType::String], has_suffix),
    Func {
        name: "quote",
        params: &[],
        variadic: Some(GoType::Any),
        call: quote,
    },
    Func {
        name: "squote",
        params: &[],
        variadic: Some(GoType::Any),
        call: squote,
    },
    Func {
        name: "cat",
        params: &[],
        variadic: Some(GoType::Any),
        call: cat,
    },
    func("indent", &[GoType::Int, GoType::String], indent),
    func("nindent", &[GoType::Int, GoType::String], nindent),
    func(
        "replace",
        &[GoType::String, GoType::String, GoType::String],
        replace,
    ),
    func(
        "plural",
        &[GoType::String, GoType::String, GoType::Int],
        plural,
    ),
    func("split", &[GoType::String, GoType::String], split),
    func("splitList", &[GoType::String, GoType::String], split_list),
    func(
        "splitn",
        &[GoType::String, GoType::Int, GoType::String],
        splitn,
    ),
    func("join", &[GoType::String, GoType::Any], join),
];

const fn func(name: &'static str, params: &'static [GoType], call: super::NativeFn) -> Func {
    Func {
        name,
        params,
        variadic: None,
        call,
    }
}

/// The string argument at `index` (the evaluator has already converted it).
pub(super) fn str_arg(args: &[Value], index: usize) -> &str {
    args.get(index).and_then(Value::as_str).unwrap_or("")
}

/// The `int` argument at `index`.
pub(super) fn int_arg(args: &[Value], index: usize) -> i64 {
    match args.get(index) {
        Some(Value::Int(i, _)) => *i,
        _ => 0,
    }
}

fn string(s: impl Into<Arc<str>>) -> Result<Value, FnError> {
    Ok(Value::String(s.into()))
}

/// `result`, a piece of the string argument at `index`, as a string value. When the piece is
/// the whole argument (nothing to trim or cut), the argument itself is handed on, uncopied.
fn piece_of(args: &[Value], index: usize, result: &str) -> Result<Value, FnError> {
    match args.get(index) {
        Some(Value::String(whole)) if std::ptr::eq(whole.as_ref(), result) => {
            Ok(Value::String(whole.clone()))
        }
        _ => string(result),
    }
}

/// Bytes that Go would hand on as a string; invalid UTF-8 becomes U+FFFD (see the module
/// documentation).
fn bytes_to_value(bytes: &[u8]) -> Result<Value, FnError> {
    string(crate::value::gostring::from_go_bytes(bytes))
}

/// The error for a string that would exceed [`MAX_STRING_BYTES`].
pub(super) fn too_large(what: &str) -> FnError {
    FnError::new(format!(
        "{what}: the result would exceed {MAX_STRING_BYTES} bytes, the most this renderer builds"
    ))
}

/// Go's `strings.Repeat`, with its panics as errors and the size guard.
pub(super) fn go_repeat(s: &str, count: i64) -> Result<String, FnError> {
    match count {
        0 => return Ok(String::new()),
        1 => return Ok(s.to_string()),
        _ if count < 0 => return Err(FnError::new("strings: negative Repeat count")),
        _ => {}
    }
    let count = usize::try_from(count).map_err(|_| too_large("strings.Repeat"))?;
    match s.len().checked_mul(count) {
        Some(total) if total <= MAX_STRING_BYTES => Ok(s.repeat(count)),
        Some(total) if total <= i64::MAX as usize => Err(too_large("strings.Repeat")),
        _ => Err(FnError::new("strings: Repeat output length overflow")),
    }
}

fn hello(_: &mut FnCtx<'_>, _: Args) -> Result<Value, FnError> {
    string("Hello!")
}

fn abbrev(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (width, s) = (int_arg(&args, 0), str_arg(&args, 1));
    if width < 4 {
        return string(s);
    }
    bytes_to_value(&abbreviate(s.as_bytes(), 0, width).unwrap_or_default())
}

fn abbrevboth(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (left, right, s) = (int_arg(&args, 0), int_arg(&args, 1), str_arg(&args, 2));
    if right < 4 || left > 0 && right < 7 {
        return string(s);
    }
    bytes_to_value(&abbreviate(s.as_bytes(), left, right).unwrap_or_default())
}

/// goutils' `AbbreviateFull`: `None` where it returns an error (Sprig then yields "").
/// Arithmetic wraps as Go's `int` does.
fn abbreviate(s: &[u8], offset: i64, max_width: i64) -> Option<Vec<u8>> {
    const MARKER: &[u8] = b"...";
    if s.is_empty() {
        return Some(Vec::new());
    }
    if max_width < 4 {
        return None;
    }
    let len = i64::try_from(s.len()).ok()?;
    if len <= max_width {
        return Some(s.to_vec());
    }
    // From here on len > max_width >= 4, so every slice bound below is inside `s`.
    let keep = max_width - 3;
    let mut offset = offset.min(len);
    if len.wrapping_sub(offset) < keep {
        offset = len - keep;
    }
    if offset <= 4 {
        let mut out = s.get(..usize::try_from(keep).ok()?)?.to_vec();
        out.extend_from_slice(MARKER);
        return Some(out);
    }
    if max_width < 7 {
        return None;
    }
    let mut out = MARKER.to_vec();
    if offset.wrapping_add(keep) < len {
        let rest = s.get(usize::try_from(offset).ok()?..)?;
        out.extend(abbreviate(rest, 0, keep).unwrap_or_default());
    } else {
        out.extend_from_slice(s.get(usize::try_from(len - keep).ok()?..)?);
    }
    Some(out)
}

fn trunc(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (count, s) = (int_arg(&args, 0), str_arg(&args, 1));
    let len = s.len() as i64;
    let bytes = s.as_bytes();
    if count < 0 && len + count > 0 {
        return bytes_to_value(&bytes[(len + count) as usize..]);
    }
    if count >= 0 && len > count {
        return bytes_to_value(&bytes[..count as usize]);
    }
    piece_of(&args, 1, s)
}

fn trim(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    // Go's TrimSpace and Rust's trim agree on Unicode White_Space.
    piece_of(&args, 0, str_arg(&args, 0).trim())
}

fn upper(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    string(
        str_arg(&args, 0)
            .chars()
            .map(go_unicode::to_upper)
            .collect::<String>(),
    )
}

fn lower(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    string(
        str_arg(&args, 0)
            .chars()
            .map(go_unicode::to_lower)
            .collect::<String>(),
    )
}

/// Go's deprecated `strings.Title`: title-cases every letter that follows a separator
/// (anything but a letter, digit or `_`; non-ASCII symbols other than spaces are not
/// separators).
fn title(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    fn is_separator(c: char) -> bool {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        if go_unicode::is_letter(c) || go_unicode::is_digit(c) {
            return false;
        }
        c.is_whitespace()
    }
    let mut prev = ' ';
    let out: String = str_arg(&args, 0)
        .chars()
        .map(|c| {
            let mapped = if is_separator(prev) {
                go_unicode::to_title(c)
            } else {
                c
            };
            prev = c;
            mapped
        })
        .collect();
    string(out)
}

/// goutils' `Uncapitalize`: lower-cases the first character of every whitespace-separated
/// word.
fn untitle(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let mut at_word_start = true;
    let out: String = str_arg(&args, 0)
        .chars()
        .map(|c| {
            if c.is_whitespace() {
                at_word_start = true;
                c
            } else if at_word_start {
                at_word_start = false;
                go_unicode::to_lower(c)
            } else {
                c
            }
        })
        .collect();
    string(out)
}

/// Sprig's `substring`, byte-indexed, with Go's slice-bounds panics as errors.
fn substr(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (start, end, s) = (int_arg(&args, 0), int_arg(&args, 1), str_arg(&args, 2));
    let bytes = crate::value::gostring::to_go_bytes(s);
    let len = bytes.len() as i64;
    let (from, to) = if start < 0 {
        (0, end)
    } else if end < 0 || end > len {
        (start, len)
    } else {
        (start, end)
    };
    if start < 0 {
        // s[:end]
        if end < 0 {
            return Err(slice_error(format!("[:{end}]")));
        }
        if end > len {
            return Err(slice_error(format!("[:{end}] with length {len}")));
        }
    } else if from > to {
        return Err(slice_error(format!("[{from}:{to}]")));
    }
    bytes_to_value(&bytes[from as usize..to as usize])
}

fn slice_error(bounds: String) -> FnError {
    FnError::new(format!("runtime error: slice bounds out of range {bounds}"))
}

fn repeat(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    string(go_repeat(str_arg(&args, 1), int_arg(&args, 0))?)
}

/// `trimAll CUTSET S`: Go's `strings.Trim(S, CUTSET)`.
fn trim_all(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (cutset, s) = (str_arg(&args, 0), str_arg(&args, 1));
    string(s.trim_matches(|c| cutset.contains(c)))
}

fn trim_suffix(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (suffix, s) = (str_arg(&args, 0), str_arg(&args, 1));
    piece_of(&args, 1, s.strip_suffix(suffix).unwrap_or(s))
}

fn trim_prefix(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (prefix, s) = (str_arg(&args, 0), str_arg(&args, 1));
    piece_of(&args, 1, s.strip_prefix(prefix).unwrap_or(s))
}

/// goutils' `DeleteWhiteSpace`. It walks bytes, not characters: each byte is read as the
/// Latin-1 character of that value, so the bytes 0x85 and 0xA0 inside a UTF-8 sequence count
/// as whitespace, and once anything is deleted the other non-ASCII bytes come out as their
/// Latin-1 characters (`"é x"` gives `"Ã©x"`).
fn nospace(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let s = str_arg(&args, 0);
    let kept: String = s
        .bytes()
        .map(char::from)
        .filter(|c| !c.is_whitespace())
        .collect();
    if kept.chars().count() == s.len() {
        return string(s);
    }
    string(kept)
}

/// goutils' `Initials`: the first byte of each whitespace-separated word, read as a Latin-1
/// character (see [`nospace`]).
fn initials(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let mut after_gap = true;
    let mut out = String::new();
    for c in str_arg(&args, 0).bytes().map(char::from) {
        if c.is_whitespace() {
            after_gap = true;
        } else if after_gap {
            out.push(c);
            after_gap = false;
        }
    }
    string(out)
}

/// goutils' `SwapCase`: upper and title case become lower; lower case becomes title case at
/// the start of the text or after whitespace and upper case elsewhere.
fn swapcase(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let mut after_space = true;
    let mut out = String::new();
    for c in str_arg(&args, 0).chars() {
        if go_unicode::is_upper(c) || go_unicode::is_title(c) {
            out.push(go_unicode::to_lower(c));
            after_space = false;
        } else if go_unicode::is_lower(c) {
            if after_space {
                out.push(go_unicode::to_title(c));
                after_space = false;
            } else {
                out.push(go_unicode::to_upper(c));
            }
        } else {
            out.push(c);
            after_space = c.is_whitespace();
        }
    }
    string(out)
}

fn camelcase(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    string(case_words::to_camel_case(str_arg(&args, 0)))
}

fn snakecase(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    string(case_words::to_lower_words(str_arg(&args, 0), '_'))
}

fn kebabcase(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    string(case_words::to_lower_words(str_arg(&args, 0), '-'))
}

fn wrap(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (width, s) = (int_arg(&args, 0), str_arg(&args, 1));
    bytes_to_value(&wrap_custom(s.as_bytes(), width, b"", false))
}

fn wrap_with(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (width, sep, s) = (int_arg(&args, 0), str_arg(&args, 1), str_arg(&args, 2));
    bytes_to_value(&wrap_custom(s.as_bytes(), width, sep.as_bytes(), true))
}

/// goutils' `WrapCustom`: breaks at the last space (byte) that keeps a line within `width`
/// bytes, dropping that space and any spaces that would start a line; words longer than
/// `width` are cut (`wrap_long`) or left whole.
fn wrap_custom(s: &[u8], width: i64, newline: &[u8], wrap_long: bool) -> Vec<u8> {
    if s.is_empty() {
        return Vec::new();
    }
    let newline = if newline.is_empty() { b"\n" } else { newline };
    let width = width.max(1);
    let len = s.len();
    let mut out = Vec::with_capacity(len);
    let mut offset = 0usize;
    // `width < len - offset` keeps every index below inside `s`.
    while i64::try_from(len - offset).unwrap_or(i64::MAX) > width {
        let width = width as usize;
        if s[offset] == b' ' {
            offset += 1;
            continue;
        }
        let window = &s[offset..offset + width + 1];
        if let Some(space) = window.iter().rposition(|&b| b == b' ') {
            out.extend_from_slice(&s[offset..offset + space]);
            out.extend_from_slice(newline);
            offset += space + 1;
        } else if wrap_long {
            out.extend_from_slice(&s[offset..offset + width]);
            out.extend_from_slice(newline);
            offset += width;
        } else {
            let end = offset + width;
            match s[end..].iter().position(|&b| b == b' ') {
                Some(space) => {
                    out.extend_from_slice(&s[offset..end + space]);
                    out.extend_from_slice(newline);
                    offset = end + space + 1;
                }
                None => {
                    out.extend_from_slice(&s[offset..]);
                    offset = len;
                }
            }
        }
    }
    out.extend_from_slice(&s[offset..]);
    out
}

fn contains(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(str_arg(&args, 1).contains(str_arg(&args, 0))))
}

fn has_prefix(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(
        str_arg(&args, 1).starts_with(str_arg(&args, 0)),
    ))
}

fn has_suffix(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(str_arg(&args, 1).ends_with(str_arg(&args, 0))))
}

/// Sprig's `quote`: each non-nil argument through `strval`, then Go's `%q`; joined by
/// spaces.
fn quote(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    // `%q` of a string with no flags is `strconv.Quote`.
    let mut out = String::new();
    for (i, v) in args.iter().filter(|v| !v.is_nil()).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match v {
            Value::String(s) => gofmt::append_quote(&mut out, s),
            other => gofmt::append_quote(&mut out, &cast::to_string(other)),
        }
    }
    string(out)
}

/// Sprig's `squote`: each non-nil argument with `'%v'` (not `strval`: a `[]byte` prints as
/// numbers); joined by spaces.
fn squote(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let quoted: Vec<String> = args
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| gofmt::sprintf("'%v'", std::slice::from_ref(v)))
        .collect();
    string(quoted.join(" "))
}

/// Sprig's `cat`: the non-nil arguments with `%v`, separated by spaces.
fn cat(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let kept: Vec<Value> = args.into_iter().filter(|v| !v.is_nil()).collect();
    let format = vec!["%v"; kept.len()].join(" ");
    string(gofmt::sprintf(&format, &kept))
}

fn indent(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    string(indent_text(int_arg(&args, 0), str_arg(&args, 1), false)?)
}

fn nindent(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    string(indent_text(int_arg(&args, 0), str_arg(&args, 1), true)?)
}

/// Sprig's `indent` (and, after a leading `\n`, `nindent`): the pad before the text and after
/// every newline, written into one exactly sized string.
fn indent_text(spaces: i64, text: &str, leading_newline: bool) -> Result<String, FnError> {
    const SPACES: &str = "                                ";
    let pad = match usize::try_from(spaces) {
        Ok(pad) if pad <= MAX_STRING_BYTES => pad,
        // Go's error for this pad (`strings.Repeat`'s): negative or too large.
        _ => return go_repeat(" ", spaces).and(Err(too_large("indent"))),
    };
    let lines = crate::lines::count(text) + 1;
    let total = lines
        .checked_mul(pad)
        .and_then(|padding| padding.checked_add(text.len() + usize::from(leading_newline)))
        .filter(|&total| total <= MAX_STRING_BYTES)
        .ok_or_else(|| too_large("indent"))?;
    let mut out = String::with_capacity(total);
    let push_pad = |out: &mut String| {
        let mut left = pad;
        while left > 0 {
            let n = left.min(SPACES.len());
            out.push_str(&SPACES[..n]);
            left -= n;
        }
    };
    if leading_newline {
        out.push('\n');
    }
    push_pad(&mut out);
    for (i, line) in crate::lines::split(text).enumerate() {
        if i > 0 {
            out.push('\n');
            push_pad(&mut out);
        }
        out.push_str(line);
    }
    Ok(out)
}

/// `replace OLD NEW SRC`: Go's `strings.Replace(SRC, OLD, NEW, -1)`; an empty OLD matches
/// before every character and at the end, as in Go.
fn replace(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (old, new, src) = (str_arg(&args, 0), str_arg(&args, 1), str_arg(&args, 2));
    let matches = if old.is_empty() {
        src.chars().count() + 1
    } else {
        src.matches(old).count()
    };
    let grows = new.len().saturating_sub(old.len());
    if matches.saturating_mul(grows).saturating_add(src.len()) > MAX_STRING_BYTES {
        return Err(too_large("replace"));
    }
    string(src.replace(old, new))
}

fn plural(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let pick = if int_arg(&args, 2) == 1 { 0 } else { 1 };
    string(str_arg(&args, pick))
}

/// Go's `strings.SplitN(s, sep, n)` (`n < 0` for all pieces, `0` for none); an empty
/// separator splits into characters.
pub(super) fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let limit = usize::try_from(n).unwrap_or(usize::MAX);
    if sep.is_empty() {
        let chars = s.chars().count();
        let pieces = chars.min(limit);
        let mut out: Vec<String> = Vec::with_capacity(pieces);
        let mut rest = s;
        for _ in 1..pieces {
            let mut it = rest.chars();
            if let Some(c) = it.next() {
                out.push(c.to_string());
            }
            rest = it.as_str();
        }
        if pieces > 0 {
            out.push(rest.to_string());
        }
        return out;
    }
    s.splitn(limit, sep).map(str::to_string).collect()
}

/// A `map[string]string` with the keys `_0`, `_1`, … as Sprig's `split` and `splitn` build.
fn indexed_map(parts: Vec<String>) -> Value {
    let entries: Entries = parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| (format!("_{i}").into(), Value::from(part)))
        .collect();
    Value::Map(Map::from_entries(MapType::Str, entries))
}

fn split(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (sep, s) = (str_arg(&args, 0), str_arg(&args, 1));
    Ok(indexed_map(go_split(s, sep, -1)))
}

fn split_list(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (sep, s) = (str_arg(&args, 0), str_arg(&args, 1));
    Ok(Value::str_list(go_split(s, sep, -1)))
}

fn splitn(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (sep, n, s) = (str_arg(&args, 0), int_arg(&args, 1), str_arg(&args, 2));
    Ok(indexed_map(go_split(s, sep, n)))
}

/// `join SEP LIST`: the list through Sprig's `strslice`, joined.
fn join(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let sep = str_arg(&args, 0);
    let items = args.get(1).map(cast::to_string_slice).unwrap_or_default();
    string(items.join(sep))
}

/// Go's `unicode` package as far as these functions use it: general categories (Go tests
/// categories, not Rust's derived `Uppercase`/`Alphabetic` properties) and the simple case
/// mappings (Go maps one character to one character: `ß` has no upper case, `ᾳ` upper-cases
/// to `ᾼ`, where Rust's full mappings give `SS` and `ΑΙ`).
pub(super) mod go_unicode {
    use super::{LazyLock, Regex};

    fn category(pattern: &str) -> Regex {
        Regex::new(pattern).expect("a constant Unicode class compiles")
    }

    static UPPER: LazyLock<Regex> = LazyLock::new(|| category(r"\p{Lu}"));
    static LOWER: LazyLock<Regex> = LazyLock::new(|| category(r"\p{Ll}"));
    static TITLE: LazyLock<Regex> = LazyLock::new(|| category(r"\p{Lt}"));
    static LETTER: LazyLock<Regex> = LazyLock::new(|| category(r"\p{L}"));
    static DIGIT: LazyLock<Regex> = LazyLock::new(|| category(r"\p{Nd}"));
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| category(r"\p{N}"));
    static PUNCT: LazyLock<Regex> = LazyLock::new(|| category(r"\p{P}"));

    fn is(class: &Regex, c: char) -> bool {
        let mut buf = [0u8; 4];
        class.is_match(c.encode_utf8(&mut buf))
    }

    /// `unicode.IsUpper`: category Lu.
    pub fn is_upper(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_uppercase();
        }
        is(&UPPER, c)
    }

    /// `unicode.IsLower`: category Ll.
    pub fn is_lower(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_lowercase();
        }
        is(&LOWER, c)
    }

    /// `unicode.IsTitle`: category Lt.
    pub fn is_title(c: char) -> bool {
        !c.is_ascii() && is(&TITLE, c)
    }

    /// `unicode.IsLetter`: category L.
    pub fn is_letter(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphabetic();
        }
        is(&LETTER, c)
    }

    /// `unicode.IsDigit`: category Nd.
    pub fn is_digit(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_digit();
        }
        is(&DIGIT, c)
    }

    /// `unicode.IsNumber`: category N.
    pub fn is_number(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_digit();
        }
        is(&NUMBER, c)
    }

    /// `unicode.IsPunct`: category P.
    pub fn is_punct(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_punctuation()
                && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
        }
        is(&PUNCT, c)
    }

    /// Characters whose case mapping arrived in Unicode 16: Rust knows them, Go 1.25
    /// (Unicode 15) leaves them alone.
    fn newer_than_go(c: char) -> bool {
        matches!(
            u32::from(c),
            0x19B | 0x264 | 0x1C89 | 0x1C8A | 0xA7CB..=0xA7CD | 0xA7D2..=0xA7D5 | 0xA7DA..=0xA7DC
                | 0x10D50..=0x10D65 | 0x10D70..=0x10D85
        )
    }

    /// `unicode.ToUpper`.
    pub fn to_upper(c: char) -> char {
        if newer_than_go(c) {
            return c;
        }
        let mut mapped = c.to_uppercase();
        match (mapped.next(), mapped.next()) {
            (Some(single), None) => single,
            // Characters whose full mapping has several characters; their simple mapping is
            // themselves except for the Greek letters with ypogegrammeni.
            _ => match u32::from(c) {
                0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => {
                    char::from_u32(u32::from(c) + 8).unwrap_or(c)
                }
                0x1FB3 => '\u{1FBC}',
                0x1FC3 => '\u{1FCC}',
                0x1FF3 => '\u{1FFC}',
                _ => c,
            },
        }
    }

    /// `unicode.ToLower`.
    pub fn to_lower(c: char) -> char {
        if newer_than_go(c) {
            return c;
        }
        let mut mapped = c.to_lowercase();
        match (mapped.next(), mapped.next()) {
            (Some(single), None) => single,
            // Only U+0130 (İ) lower-cases to several characters; its simple mapping is `i`.
            _ if c == '\u{130}' => 'i',
            _ => c,
        }
    }

    /// `unicode.ToTitle`: as [`to_upper`] except for the digraphs (`ǆ` → `ǅ`) and Georgian
    /// Mkhedruli, whose title case is itself.
    pub fn to_title(c: char) -> char {
        match u32::from(c) {
            0x1C4..=0x1C6 => '\u{1C5}',
            0x1C7..=0x1C9 => '\u{1C8}',
            0x1CA..=0x1CC => '\u{1CB}',
            0x1F1..=0x1F3 => '\u{1F2}',
            0x10D0..=0x10FA | 0x10FD..=0x10FF => c,
            _ => to_upper(c),
        }
    }
}

/// `huandu/xstrings` v1.5.0's word-based case conversions.
mod case_words {
    use super::go_unicode::{is_letter, is_number, is_punct, is_upper, to_lower, to_upper};

    /// xstrings treats U+FFFD as the decoding error it usually stands for.
    const RUNE_ERROR: char = '\u{FFFD}';

    fn is_connector(c: char) -> bool {
        c == '-' || c == '_' || c.is_whitespace()
    }

    /// xstrings' `isAlphabet`: a letter, but not a common CJK ideograph.
    fn is_alphabet(c: char) -> bool {
        is_letter(c)
            && !matches!(u32::from(c), 0x4E00..=0x9FCC | 0x3400..=0x4D85 | 0x20000..=0x2B81D)
    }

    /// `ToCamelCase` (which in v1.5.0 upper-cases the first letter): connectors (`-`, `_`,
    /// whitespace) are dropped and the next character upper-cased; inside a word that began
    /// with an upper-case letter, further upper-case letters are lowered. Leading
    /// connectors and repeated ones stay, and a text of connectors only gains one more.
    pub fn to_camel_case(s: &str) -> String {
        let mut chars = s.chars();
        let mut out = String::with_capacity(s.len());
        let mut first_upper = false;
        let mut r0 = None;
        for c in chars.by_ref() {
            if !is_connector(c) {
                first_upper = is_upper(c);
                r0 = Some(to_upper(c));
                break;
            }
            out.push(c);
            r0 = Some(c);
        }
        let Some(mut r0) = r0 else {
            return out;
        };
        let rest = chars.as_str();
        if rest.is_empty() {
            out.push(r0);
            return out;
        }
        for c in rest.chars() {
            let r1 = r0;
            r0 = c;
            if is_connector(r0) && is_connector(r1) {
                out.push(r1);
                continue;
            }
            if is_connector(r1) {
                first_upper = is_upper(r0);
                r0 = to_upper(r0);
            } else {
                if first_upper {
                    if is_upper(r0) {
                        r0 = to_lower(r0);
                    } else {
                        first_upper = false;
                    }
                }
                out.push(r1);
            }
        }
        out.push(r0);
        out
    }

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum WordType {
        Invalid,
        Number,
        UpperCase,
        Alphabet,
        Connector,
        Punct,
        Other,
    }

    /// xstrings' `nextValidRune`: the next character other than U+FFFD and the bytes up to
    /// and including it; `prev` when only U+FFFD remain.
    fn next_valid(s: &str, prev: char) -> (char, usize) {
        let mut size = 0;
        for c in s.chars() {
            size += c.len_utf8();
            if c != RUNE_ERROR {
                return (c, size);
            }
        }
        (prev, size)
    }

    /// xstrings' `nextWord`: the type of the leading word, the word and the rest.
    fn next_word(s: &str) -> (WordType, &str, &str) {
        if s.is_empty() {
            return (WordType::Invalid, "", "");
        }
        let (mut r, mut size) = next_valid(s, RUNE_ERROR);
        let mut offset = size;
        if r == RUNE_ERROR {
            return (WordType::Invalid, &s[..offset], &s[offset..]);
        }
        // Extends the word while `keep` holds for the next valid character.
        let extend = |offset: &mut usize, mut r: char, keep: &dyn Fn(char) -> bool| {
            while *offset < s.len() {
                let (next, size) = next_valid(&s[*offset..], r);
                r = next;
                if !keep(r) {
                    break;
                }
                *offset += size;
            }
        };
        let word_type = if is_connector(r) {
            extend(&mut offset, r, &is_connector);
            WordType::Connector
        } else if is_punct(r) {
            extend(&mut offset, r, &is_punct);
            WordType::Punct
        } else if is_upper(r) {
            if offset < s.len() {
                (r, size) = next_valid(&s[offset..], r);
                if is_upper(r) {
                    let mut last_size = size;
                    offset += size;
                    while offset < s.len() {
                        (r, size) = next_valid(&s[offset..], r);
                        if !is_upper(r) {
                            break;
                        }
                        last_size = size;
                        offset += size;
                    }
                    // "HTTPStatus" is "HTTP" + "Status": the last capital starts the next word.
                    if offset < s.len() && is_alphabet(r) {
                        offset -= last_size;
                    }
                } else if is_alphabet(r) {
                    offset += size;
                    extend(&mut offset, r, &|c| is_alphabet(c) && !is_upper(c));
                }
            }
            WordType::UpperCase
        } else if is_alphabet(r) {
            extend(&mut offset, r, &|c| is_alphabet(c) && !is_upper(c));
            WordType::Alphabet
        } else if is_number(r) {
            extend(&mut offset, r, &is_number);
            WordType::Number
        } else {
            extend(&mut offset, r, &|c| {
                !(is_connector(c) || is_alphabet(c) || is_number(c) || is_punct(c))
            });
            WordType::Other
        };
        (word_type, &s[..offset], &s[offset..])
    }

    /// xstrings' `toLower`: upper-case and connector words are lowered, connectors becoming
    /// `connector`; other words are copied.
    fn push_lower(out: &mut String, word_type: WordType, word: &str, connector: char) {
        if word_type != WordType::UpperCase && word_type != WordType::Connector {
            out.push_str(word);
            return;
        }
        for c in word.chars() {
            if is_connector(c) {
                out.push(connector);
            } else if is_upper(c) {
                out.push(to_lower(c));
            } else {
                out.push(c);
            }
        }
    }

    /// `ToSnakeCase` (`connector` `_`) and `ToKebabCase` (`-`): words split at case changes,
    /// connectors and digits, lowered and joined by `connector`.
    pub fn to_lower_words(s: &str, connector: char) -> String {
        use WordType::{Alphabet, Connector, Invalid, Number, Punct};
        if s.is_empty() {
            return String::new();
        }
        let mut out = String::with_capacity(s.len() + s.len() / 2);
        let (mut wt, mut word, mut remaining) = next_word(s);
        while !remaining.is_empty() {
            if wt != Connector {
                push_lower(&mut out, wt, word, connector);
            }
            let prev = wt;
            let last = word;
            (wt, word, remaining) = next_word(remaining);
            match prev {
                Number => {
                    while wt == Alphabet || wt == Number {
                        push_lower(&mut out, wt, word, connector);
                        (wt, word, remaining) = next_word(remaining);
                    }
                    if wt != Invalid && wt != Punct && wt != Connector {
                        out.push(connector);
                    }
                }
                Connector => push_lower(&mut out, prev, last, connector),
                Punct => {}
                _ => {
                    if wt != Number {
                        if wt != Connector && wt != Punct {
                            out.push(connector);
                        }
                        continue;
                    }
                    if remaining.is_empty() {
                        continue;
                    }
                    let number = word;
                    (wt, word, remaining) = next_word(remaining);
                    // A number followed by anything but letters belongs to the word before
                    // it ("Bld4Floor" is "bld4_floor").
                    if wt != Alphabet {
                        push_lower(&mut out, Number, number, connector);
                        if wt != Connector && wt != Punct {
                            out.push(connector);
                        }
                        continue;
                    }
                    // Letters after a number start a new word with it ("HTTP2xx" is "http_2xx").
                    out.push(connector);
                    push_lower(&mut out, Number, number, connector);
                    while wt == Alphabet || wt == Number {
                        push_lower(&mut out, wt, word, connector);
                        (wt, word, remaining) = next_word(remaining);
                    }
                    if wt != Invalid && wt != Connector && wt != Punct {
                        out.push(connector);
                    }
                }
            }
        }
        push_lower(&mut out, wt, word, connector);
        out
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(in crate::funcs) mod conformance;
