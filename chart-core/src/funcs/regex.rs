//! Template functions: regex. Sprig's regular-expression functions with Go's `regexp`
//! semantics (RE2 syntax, leftmost-first matching, Go's `$1`/`${name}` expansion, Go's
//! handling of empty matches), run on the `regex` crate.
//!
//! The crate's syntax is close to Go's but not the same (`\d`, `\s`, `\w` and `\b` are
//! Unicode-aware there and ASCII in Go; Go has `\Q…\E`, allows `x**`-free stacking rules,
//! limits counts to 1000, accepts only its own Unicode class names), so [`GoRegex::compile`]
//! parses the Go syntax itself, reports Go's errors word for word (`error parsing regexp:
//! missing closing ): `(``), and hands the crate an equivalent pattern in which every flag
//! is spelled out where it applies.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock};

use parking_lot::Mutex;
use regex::{Regex, RegexBuilder};

use super::strings::go_unicode;
use super::{Args, FnCtx, FnError, Func, GoType};
use crate::gofmt;
use crate::value::Value;

pub(super) const FUNCS: &[Func] = &[
    func("regexMatch", &[GoType::String, GoType::String], regex_match),
    func(
        "mustRegexMatch",
        &[GoType::String, GoType::String],
        must_regex_match,
    ),
    func(
        "regexFindAll",
        &[GoType::String, GoType::String, GoType::Int],
        regex_find_all,
    ),
    func(
        "mustRegexFindAll",
        &[GoType::String, GoType::String, GoType::Int],
        must_regex_find_all,
    ),
    func("regexFind", &[GoType::String, GoType::String], regex_find),
    func(
        "mustRegexFind",
        &[GoType::String, GoType::String],
        must_regex_find,
    ),
    func(
        "regexReplaceAll",
        &[GoType::String, GoType::String, GoType::String],
        regex_replace_all,
    ),
    func(
        "mustRegexReplaceAll",
        &[GoType::String, GoType::String, GoType::String],
        must_regex_replace_all,
    ),
    func(
        "regexReplaceAllLiteral",
        &[GoType::String, GoType::String, GoType::String],
        regex_replace_all_literal,
    ),
    func(
        "mustRegexReplaceAllLiteral",
        &[GoType::String, GoType::String, GoType::String],
        must_regex_replace_all_literal,
    ),
    func(
        "regexSplit",
        &[GoType::String, GoType::String, GoType::Int],
        regex_split,
    ),
    func(
        "mustRegexSplit",
        &[GoType::String, GoType::String, GoType::Int],
        must_regex_split,
    ),
    func("regexQuoteMeta", &[GoType::String], regex_quote_meta),
];

const fn func(name: &'static str, params: &'static [GoType], call: super::NativeFn) -> Func {
    Func {
        name,
        params,
        variadic: None,
        call,
    }
}

fn str_arg(args: &[Value], index: usize) -> &str {
    args.get(index).and_then(Value::as_str).unwrap_or("")
}

fn int_arg(args: &[Value], index: usize) -> i64 {
    match args.get(index) {
        Some(Value::Int(i, _)) => *i,
        _ => 0,
    }
}

/// `regexp.Compile` for the `must…` functions: the syntax error as the function's error.
fn compile(expr: &str) -> Result<Arc<GoRegex>, FnError> {
    GoRegex::cached(expr).map_err(|err| FnError::new(err.to_string()))
}

/// `regexp.MustCompile` for the functions without `must`: Sprig lets it panic, and Go's
/// template engine reports the panic `regexp: Compile(`EXPR`): error parsing regexp: …`.
fn must_compile(expr: &str) -> Result<Arc<GoRegex>, FnError> {
    GoRegex::cached(expr)
        .map_err(|err| FnError::new(format!("regexp: Compile({}): {err}", go_regexp_quote(expr))))
}

/// Go's `regexp.quote`: backquoted when `strconv.CanBackquote` allows, else `%q`.
fn go_regexp_quote(s: &str) -> String {
    let can_backquote = s
        .chars()
        .all(|c| c != '`' && c != '\u{7f}' && c != '\u{feff}' && (c >= ' ' || c == '\t'));
    if can_backquote {
        format!("`{s}`")
    } else {
        gofmt::sprintf("%q", &[Value::from(s)])
    }
}

fn strings(items: Vec<&str>) -> Value {
    Value::str_list(items)
}

fn regex_match(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let matched = GoRegex::cached(str_arg(&args, 0))
        .map(|re| re.is_match(str_arg(&args, 1)))
        .unwrap_or(false);
    Ok(Value::Bool(matched))
}

fn must_regex_match(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let re = compile(str_arg(&args, 0))?;
    Ok(Value::Bool(re.is_match(str_arg(&args, 1))))
}

fn regex_find_all(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let re = must_compile(str_arg(&args, 0))?;
    let s = str_arg(&args, 1);
    Ok(strings(re.find_all(s, int_arg(&args, 2))))
}

fn must_regex_find_all(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let re = compile(str_arg(&args, 0))?;
    let s = str_arg(&args, 1);
    Ok(strings(re.find_all(s, int_arg(&args, 2))))
}

fn regex_find(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let re = must_compile(str_arg(&args, 0))?;
    Ok(Value::from(re.find(str_arg(&args, 1))))
}

fn must_regex_find(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let re = compile(str_arg(&args, 0))?;
    Ok(Value::from(re.find(str_arg(&args, 1))))
}

fn regex_replace_all(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let re = must_compile(str_arg(&args, 0))?;
    let replaced = re.replace_all(str_arg(&args, 1), str_arg(&args, 2), true);
    Ok(Value::from(replaced))
}

fn must_regex_replace_all(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let re = compile(str_arg(&args, 0))?;
    let replaced = re.replace_all(str_arg(&args, 1), str_arg(&args, 2), true);
    Ok(Value::from(replaced))
}

fn regex_replace_all_literal(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let re = must_compile(str_arg(&args, 0))?;
    let replaced = re.replace_all(str_arg(&args, 1), str_arg(&args, 2), false);
    Ok(Value::from(replaced))
}

fn must_regex_replace_all_literal(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let re = compile(str_arg(&args, 0))?;
    let replaced = re.replace_all(str_arg(&args, 1), str_arg(&args, 2), false);
    Ok(Value::from(replaced))
}

fn regex_split(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let re = must_compile(str_arg(&args, 0))?;
    Ok(strings(re.split(str_arg(&args, 1), int_arg(&args, 2))))
}

fn must_regex_split(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let re = compile(str_arg(&args, 0))?;
    Ok(strings(re.split(str_arg(&args, 1), int_arg(&args, 2))))
}

/// `regexQuoteMeta`: Go's `regexp.QuoteMeta`, a backslash before each of `\.+*?()|[]{}^$`.
fn regex_quote_meta(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let s = str_arg(&args, 0);
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::from(out))
}

/// A Go regular-expression syntax error, printed as Go's `*syntax.Error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Go's error code text (`missing closing )`).
    pub code: &'static str,
    /// The offending part of the expression.
    pub expr: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error parsing regexp: {}: `{}`", self.code, self.expr)
    }
}

impl std::error::Error for SyntaxError {}

const INVALID_CHAR_RANGE: &str = "invalid character class range";
const INVALID_ESCAPE: &str = "invalid escape sequence";
const INVALID_NAMED_CAPTURE: &str = "invalid named capture";
const INVALID_PERL_OP: &str = "invalid or unsupported Perl syntax";
const INVALID_REPEAT_OP: &str = "invalid nested repetition operator";
const INVALID_REPEAT_SIZE: &str = "invalid repeat count";
const MISSING_BRACKET: &str = "missing closing ]";
const MISSING_PAREN: &str = "missing closing )";
const MISSING_REPEAT_ARGUMENT: &str = "missing argument to repetition operator";
const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";
const UNEXPECTED_PAREN: &str = "unexpected )";
const NESTING_DEPTH: &str = "expression nests too deeply";
const TOO_LARGE: &str = "expression too large";

fn error(code: &'static str, expr: &str) -> SyntaxError {
    SyntaxError {
        code,
        expr: expr.to_string(),
    }
}

/// A compiled Go regular expression.
#[derive(Debug)]
pub struct GoRegex {
    regex: Regex,
    /// Whether the Go expression was empty (`Split` treats that specially).
    empty_expr: bool,
    /// The name of each capture group (index 0 is the whole match), "" when unnamed.
    names: Vec<String>,
}

/// Recently compiled expressions: templates tend to apply one pattern in a loop.
static CACHE: LazyLock<Mutex<HashMap<String, Arc<GoRegex>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
const CACHE_ENTRIES: usize = 128;

impl GoRegex {
    /// `regexp.Compile(expr)`.
    pub fn compile(expr: &str) -> Result<GoRegex, SyntaxError> {
        let translated = translate(expr)?;
        let regex = RegexBuilder::new(&translated.pattern)
            .size_limit(64 << 20)
            .nest_limit(4096)
            .build()
            .map_err(|_| error(TOO_LARGE, expr))?;
        Ok(GoRegex {
            regex,
            empty_expr: expr.is_empty(),
            names: translated.names,
        })
    }

    fn cached(expr: &str) -> Result<Arc<GoRegex>, SyntaxError> {
        if let Some(re) = CACHE.lock().get(expr) {
            return Ok(re.clone());
        }
        let re = Arc::new(GoRegex::compile(expr)?);
        let mut cache = CACHE.lock();
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(expr.to_string(), re.clone());
        Ok(re)
    }

    /// `MatchString`.
    pub fn is_match(&self, s: &str) -> bool {
        self.regex.is_match(s)
    }

    /// `FindString`: the leftmost match, "" if none.
    pub fn find<'s>(&self, s: &'s str) -> &'s str {
        self.regex.find(s).map_or("", |m| m.as_str())
    }

    /// Go's `allMatches`: successive matches, at most `n` (`n < 0` for all); an empty match
    /// right where the previous match ended is skipped.
    fn all_matches(&self, s: &str, n: i64) -> Vec<(usize, usize)> {
        let limit = if n < 0 {
            s.len() + 1
        } else {
            usize::try_from(n).unwrap_or(usize::MAX)
        };
        let mut out = Vec::new();
        let mut pos = 0;
        let mut prev_end: Option<usize> = None;
        while out.len() < limit && pos <= s.len() {
            let Some(m) = self.regex.find_at(s, pos) else {
                break;
            };
            let (start, end) = (m.start(), m.end());
            let mut accept = true;
            if end == pos {
                if prev_end == Some(start) {
                    accept = false;
                }
                pos += s[pos..].chars().next().map_or(1, char::len_utf8);
            } else {
                pos = end;
            }
            prev_end = Some(end);
            if accept {
                out.push((start, end));
            }
        }
        out
    }

    /// `FindAllString(s, n)`.
    pub fn find_all<'s>(&self, s: &'s str, n: i64) -> Vec<&'s str> {
        self.all_matches(s, n)
            .into_iter()
            .map(|(start, end)| &s[start..end])
            .collect()
    }

    /// `Split(s, n)`.
    pub fn split<'s>(&self, s: &'s str, n: i64) -> Vec<&'s str> {
        if n == 0 {
            return Vec::new();
        }
        if s.is_empty() && !self.empty_expr {
            return vec![""];
        }
        let limit = usize::try_from(n).ok();
        let mut out = Vec::new();
        let (mut begin, mut end) = (0, 0);
        for (start, stop) in self.all_matches(s, n) {
            if limit.is_some_and(|limit| out.len() == limit - 1) {
                break;
            }
            end = start;
            if stop != 0 {
                out.push(&s[begin..end]);
            }
            begin = stop;
        }
        if end != s.len() {
            out.push(&s[begin..]);
        }
        out
    }

    /// `ReplaceAllString` (`expand`: `$1`, `${name}` and `$$` in `replacement`) or
    /// `ReplaceAllLiteralString`.
    pub fn replace_all(&self, s: &str, replacement: &str, expand: bool) -> String {
        let mut out = String::with_capacity(s.len());
        let mut last_end = 0;
        let mut search = 0;
        let mut locations = self.regex.capture_locations();
        while search <= s.len() {
            let Some(m) = self.regex.captures_read_at(&mut locations, s, search) else {
                break;
            };
            let (start, end) = (m.start(), m.end());
            out.push_str(&s[last_end..start]);
            // No replacement for an empty match right after the previous match.
            if end > last_end || start == 0 {
                if expand {
                    self.expand(&mut out, replacement, s, &locations);
                } else {
                    out.push_str(replacement);
                }
            }
            last_end = end;
            let width = s[search..].chars().next().map_or(0, char::len_utf8);
            if search + width > end {
                search += width;
            } else if search + 1 > end {
                search += 1;
            } else {
                search = end;
            }
        }
        out.push_str(&s[last_end..]);
        out
    }

    /// Go's `Regexp.expand`: `$$` is `$`; `$name` takes the longest run of letters, digits
    /// and `_` (so `$1a` names the group "1a"); `${name}` is braced; a number selects a group
    /// by index, a name the first group of that name that matched; a malformed reference is
    /// copied as is.
    fn expand(
        &self,
        out: &mut String,
        template: &str,
        s: &str,
        locations: &regex::CaptureLocations,
    ) {
        let group = |index: usize| locations.get(index).map(|(a, b)| &s[a..b]);
        let mut rest = template;
        while let Some(dollar) = rest.find('$') {
            out.push_str(&rest[..dollar]);
            rest = &rest[dollar + 1..];
            if let Some(after) = rest.strip_prefix('$') {
                out.push('$');
                rest = after;
                continue;
            }
            let Some((name, after)) = extract_reference(rest) else {
                out.push('$');
                continue;
            };
            rest = after;
            match reference_number(name) {
                Some(index) => {
                    if let Some(text) = group(index) {
                        out.push_str(text);
                    }
                }
                None => {
                    let text = self
                        .names
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| n.as_str() == name)
                        .find_map(|(index, _)| group(index));
                    if let Some(text) = text {
                        out.push_str(text);
                    }
                }
            }
        }
        out.push_str(rest);
    }
}

/// Go's `extract`: the name after a `$` (bare or in braces) and the rest of the template.
fn extract_reference(s: &str) -> Option<(&str, &str)> {
    let (braced, body) = match s.strip_prefix('{') {
        Some(body) => (true, body),
        None => (false, s),
    };
    let len: usize = body
        .chars()
        .take_while(|&c| go_unicode::is_letter(c) || go_unicode::is_digit(c) || c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    if braced {
        let after = body[len..].strip_prefix('}')?;
        return Some((name, after));
    }
    Some((name, &body[len..]))
}

/// A reference that is a group number: ASCII digits, no leading zero, below 10^8.
fn reference_number(name: &str) -> Option<usize> {
    if name.len() > 1 && name.starts_with('0') {
        return None;
    }
    if name.len() > 8 || !name.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    name.parse().ok()
}

/// The pattern for the `regex` crate and the group names.
struct Translation {
    pattern: String,
    names: Vec<String>,
}

/// Go's parse flags that matter for matching.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Flags {
    fold_case: bool,
    /// `(?m)`: `^`/`$` match at line boundaries (Go's `OneLine` cleared).
    multi_line: bool,
    dot_nl: bool,
    non_greedy: bool,
}

/// One parsed operand, in the crate's syntax.
struct Operand {
    text: String,
    /// The smallest `n` for which Go's `repeatIsValid(operand, n)` holds.
    repeat_need: u64,
    /// An approximation of Go's parse-tree height.
    height: u32,
}

/// An open group (or the whole expression) being parsed.
struct Frame {
    /// The flags when the group opened; restored at its `)`.
    saved: Flags,
    capture: bool,
    branches: Vec<Vec<Operand>>,
    current: Vec<Operand>,
}

impl Frame {
    fn new(saved: Flags, capture: bool) -> Frame {
        Frame {
            saved,
            capture,
            branches: Vec::new(),
            current: Vec::new(),
        }
    }

    /// The group's contents as one operand.
    fn finish(mut self) -> (String, u64, u32) {
        self.branches.push(std::mem::take(&mut self.current));
        let mut need = 0;
        let mut height = 0;
        let texts: Vec<String> = self
            .branches
            .iter()
            .map(|branch| {
                for operand in branch {
                    need = need.max(operand.repeat_need);
                    height = height.max(operand.height);
                }
                if branch.is_empty() {
                    "(?:)".to_string()
                } else {
                    branch.iter().map(|o| o.text.as_str()).collect()
                }
            })
            .collect();
        let multi = self.branches.len() > 1 || self.branches.iter().any(|b| b.len() > 1);
        (texts.join("|"), need, height + u32::from(multi))
    }
}

/// Go's limit on any counted repetition and on nested products of them.
const MAX_REPEAT: u64 = 1000;
/// Go's limit on the parse-tree height.
const MAX_HEIGHT: u32 = 1000;

/// Parses the Go expression, checking it as Go's `regexp/syntax` does (with `Perl` flags)
/// and translating it.
fn translate(whole: &str) -> Result<Translation, SyntaxError> {
    translate_checked(whole).map_err(|mut err| {
        if err.code == NESTING_DEPTH {
            err.expr = whole.to_string();
        }
        err
    })
}

fn translate_checked(whole: &str) -> Result<Translation, SyntaxError> {
    let mut names = vec![String::new()];
    let mut flags = Flags::default();
    let mut stack = vec![Frame::new(flags, false)];
    let mut t = whole;
    // The text from the previous repetition operator, if the previous token was one.
    let mut last_repeat: Option<&str> = None;
    while let Some(c) = t.chars().next() {
        let mut repeat: Option<&str> = None;
        match c {
            '(' => {
                if t.starts_with("(?") {
                    t = parse_group_flags(t, &mut flags, &mut stack, &mut names)?;
                } else {
                    names.push(String::new());
                    stack.push(Frame::new(flags, true));
                    t = &t[1..];
                }
            }
            '|' => {
                let frame = top(&mut stack);
                let branch = std::mem::take(&mut frame.current);
                frame.branches.push(branch);
                t = &t[1..];
            }
            ')' => {
                if stack.len() < 2 {
                    return Err(error(UNEXPECTED_PAREN, whole));
                }
                let frame = stack.pop().unwrap_or_else(|| Frame::new(flags, false));
                flags = frame.saved;
                let capture = frame.capture;
                let (inner, need, height) = frame.finish();
                let text = if capture {
                    format!("({inner})")
                } else {
                    format!("(?:{inner})")
                };
                push(&mut stack, text, need, height + u32::from(capture))?;
                t = &t[1..];
            }
            '^' => {
                let text = if flags.multi_line { "(?m:^)" } else { r"\A" };
                push(&mut stack, text.to_string(), 0, 1)?;
                t = &t[1..];
            }
            '$' => {
                let text = if flags.multi_line { "(?m:$)" } else { r"\z" };
                push(&mut stack, text.to_string(), 0, 1)?;
                t = &t[1..];
            }
            '.' => {
                let text = if flags.dot_nl { "(?s:.)" } else { "." };
                push(&mut stack, text.to_string(), 0, 1)?;
                t = &t[1..];
            }
            '[' => {
                let (class, rest) = parse_class(t)?;
                push(&mut stack, with_fold(flags, class), 0, 1)?;
                t = rest;
            }
            '*' | '+' | '?' => {
                let before = t;
                let (min, max) = match c {
                    '*' => (0, None),
                    '+' => (1, None),
                    _ => (0, Some(1)),
                };
                t = apply_repeat(
                    &mut stack,
                    flags,
                    RepeatOp {
                        min,
                        max,
                        counted: false,
                    },
                    before,
                    &t[1..],
                    last_repeat,
                )?;
                repeat = Some(before);
            }
            '{' => {
                let before = t;
                match parse_repeat(t) {
                    None => {
                        push_literal(&mut stack, flags, '{')?;
                        t = &t[1..];
                    }
                    Some((min, max, after)) => {
                        // Go: min < 0 || min > 1000 || max > 1000 || max >= 0 && min > max.
                        let limit = MAX_REPEAT as i64;
                        if min < 0 || min > limit || max > limit || max >= 0 && min > max {
                            let consumed = &before[..before.len() - after.len()];
                            return Err(error(INVALID_REPEAT_SIZE, consumed));
                        }
                        let op = RepeatOp {
                            min: min.unsigned_abs(),
                            max: u64::try_from(max).ok(),
                            counted: true,
                        };
                        t = apply_repeat(&mut stack, flags, op, before, after, last_repeat)?;
                        repeat = Some(before);
                    }
                }
            }
            '\\' => {
                t = parse_backslash(t, flags, &mut stack)?;
            }
            _ => {
                push_literal(&mut stack, flags, c)?;
                t = &t[c.len_utf8()..];
            }
        }
        last_repeat = repeat;
    }
    if stack.len() != 1 {
        return Err(error(MISSING_PAREN, whole));
    }
    let frame = stack.pop().unwrap_or_else(|| Frame::new(flags, false));
    let (pattern, _, _) = frame.finish();
    Ok(Translation { pattern, names })
}

fn top(stack: &mut [Frame]) -> &mut Frame {
    // The stack always holds the frame of the whole expression.
    let last = stack.len() - 1;
    &mut stack[last]
}

/// Adds an operand to the current branch, enforcing Go's height limit.
fn push(
    stack: &mut [Frame],
    text: String,
    repeat_need: u64,
    height: u32,
) -> Result<(), SyntaxError> {
    if height > MAX_HEIGHT {
        // `translate` fills in the whole expression, as Go reports it.
        return Err(error(NESTING_DEPTH, ""));
    }
    top(stack).current.push(Operand {
        text,
        repeat_need,
        height,
    });
    Ok(())
}

fn push_literal(stack: &mut [Frame], flags: Flags, c: char) -> Result<(), SyntaxError> {
    push(stack, with_fold(flags, escape_char(c)), 0, 1)
}

/// A single character in the crate's syntax: ASCII letters and digits as themselves,
/// everything else as a `\x{…}` escape (which is literal everywhere, classes included).
fn escape_char(c: char) -> String {
    if c.is_ascii_alphanumeric() {
        c.to_string()
    } else {
        format!("\\x{{{:X}}}", u32::from(c))
    }
}

fn with_fold(flags: Flags, text: String) -> String {
    if flags.fold_case {
        format!("(?i:{text})")
    } else {
        text
    }
}

struct RepeatOp {
    min: u64,
    max: Option<u64>,
    /// `{…}` rather than `*`, `+`, `?` (only counted repeats take part in Go's count limit).
    counted: bool,
}

/// Go's `parser.repeat`: applies the operator to the last operand of the current branch.
/// `before` starts at the operator, `after` follows it; returns the text after an optional
/// non-greedy `?`.
fn apply_repeat<'t>(
    stack: &mut [Frame],
    flags: Flags,
    op: RepeatOp,
    before: &'t str,
    after: &'t str,
    last_repeat: Option<&'t str>,
) -> Result<&'t str, SyntaxError> {
    let mut after = after;
    let mut greedy = !flags.non_greedy;
    if let Some(rest) = after.strip_prefix('?') {
        after = rest;
        greedy = !greedy;
    }
    if let Some(last) = last_repeat {
        return Err(error(INVALID_REPEAT_OP, &last[..last.len() - after.len()]));
    }
    let consumed = &before[..before.len() - after.len()];
    let Some(operand) = top(stack).current.pop() else {
        return Err(error(MISSING_REPEAT_ARGUMENT, consumed));
    };
    // Go's repeatIsValid, for counts of two or more.
    let governing = match op.max {
        Some(0) => None,
        Some(max) => Some(max),
        None => Some(op.min),
    };
    let need = match governing {
        None => 0,
        Some(0) => operand.repeat_need,
        Some(m) => m.saturating_mul(operand.repeat_need.max(1)),
    };
    let need = if op.counted {
        need
    } else {
        operand.repeat_need
    };
    if op.counted && (op.min >= 2 || op.max.is_some_and(|m| m >= 2)) && need > MAX_REPEAT {
        return Err(error(INVALID_REPEAT_SIZE, consumed));
    }
    let quantifier = match (op.min, op.max) {
        (0, None) => "*".to_string(),
        (1, None) => "+".to_string(),
        (0, Some(1)) if !op.counted => "?".to_string(),
        (min, None) => format!("{{{min},}}"),
        (min, Some(max)) if min == max => format!("{{{min}}}"),
        (min, Some(max)) => format!("{{{min},{max}}}"),
    };
    let lazy = if greedy { "" } else { "?" };
    let text = format!("(?:{}){quantifier}{lazy}", operand.text);
    push(stack, text, need, operand.height + 1)?;
    Ok(after)
}

/// Go's `parseRepeat`: `{min}` (max = min), `{min,}` (max = -1) or `{min,max}`, and the
/// rest. `None` when the text is not of that form (the `{` is then a literal); a count of
/// 10^8 or more makes `min` -1.
fn parse_repeat(s: &str) -> Option<(i64, i64, &str)> {
    let s = s.strip_prefix('{')?;
    let (mut min, s) = parse_count(s)?;
    if s.is_empty() {
        return None;
    }
    let (max, s) = match s.strip_prefix(',') {
        None => (min, s),
        Some("") => return None,
        Some(s) if s.starts_with('}') => (-1, s),
        Some(s) => {
            let (max, s) = parse_count(s)?;
            if max < 0 {
                min = -1;
            }
            (max, s)
        }
    };
    let rest = s.strip_prefix('}')?;
    Some((min, max, rest))
}

/// Go's `parseInt` for repeat counts: digits without a leading zero; -1 when the value
/// reaches 10^8.
fn parse_count(s: &str) -> Option<(i64, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits >= 2 && s.starts_with('0') {
        return None;
    }
    let mut value: i64 = 0;
    for b in s[..digits].bytes() {
        if value >= 100_000_000 {
            value = -1;
            break;
        }
        value = value * 10 + i64::from(b - b'0');
    }
    Some((value, &s[digits..]))
}

/// Go's `parsePerlFlags`: `(?P<name>`, `(?<name>`, `(?flags)` or `(?flags:`.
fn parse_group_flags<'t>(
    t: &'t str,
    flags: &mut Flags,
    stack: &mut Vec<Frame>,
    names: &mut Vec<String>,
) -> Result<&'t str, SyntaxError> {
    let bytes = t.as_bytes();
    let starts_with_p = bytes.len() > 4 && bytes[2] == b'P' && bytes[3] == b'<';
    let starts_with_name = bytes.len() > 3 && bytes[2] == b'<';
    if starts_with_p || starts_with_name {
        let name_start = if starts_with_p { 4 } else { 3 };
        let Some(end) = t.find('>') else {
            return Err(error(INVALID_NAMED_CAPTURE, t));
        };
        let capture = &t[..=end];
        let name = t.get(name_start..end).unwrap_or("");
        if name.is_empty() || !name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric()) {
            return Err(error(INVALID_NAMED_CAPTURE, capture));
        }
        names.push(name.to_string());
        stack.push(Frame::new(*flags, true));
        return Ok(&t[end + 1..]);
    }
    let mut new_flags = *flags;
    let mut negated = false;
    let mut saw_flag = false;
    let mut rest = &t[2..];
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            'i' => {
                new_flags.fold_case = !negated;
                saw_flag = true;
            }
            'm' => {
                new_flags.multi_line = !negated;
                saw_flag = true;
            }
            's' => {
                new_flags.dot_nl = !negated;
                saw_flag = true;
            }
            'U' => {
                new_flags.non_greedy = !negated;
                saw_flag = true;
            }
            '-' => {
                if negated {
                    break;
                }
                negated = true;
                saw_flag = false;
            }
            ':' | ')' => {
                if negated && !saw_flag {
                    break;
                }
                if c == ':' {
                    stack.push(Frame::new(*flags, false));
                }
                *flags = new_flags;
                return Ok(rest);
            }
            _ => break,
        }
    }
    Err(error(INVALID_PERL_OP, &t[..t.len() - rest.len()]))
}

/// A backslash outside a class: `\A \b \B \z \Q…\E`, `\pN`/`\p{Name}`, `\d \s \w` and
/// their negations, or a single-character escape.
fn parse_backslash<'t>(
    t: &'t str,
    flags: Flags,
    stack: &mut [Frame],
) -> Result<&'t str, SyntaxError> {
    match t.as_bytes().get(1) {
        Some(b'A') => {
            push(stack, r"\A".to_string(), 0, 1)?;
            return Ok(&t[2..]);
        }
        Some(b'b') => {
            push(stack, r"(?-u:\b)".to_string(), 0, 1)?;
            return Ok(&t[2..]);
        }
        Some(b'B') => {
            push(stack, r"(?-u:\B)".to_string(), 0, 1)?;
            return Ok(&t[2..]);
        }
        Some(b'C') => return Err(error(INVALID_ESCAPE, &t[..2])),
        Some(b'Q') => {
            let (literal, rest) = t[2..].split_once(r"\E").unwrap_or((&t[2..], ""));
            for c in literal.chars() {
                push_literal(stack, flags, c)?;
            }
            return Ok(rest);
        }
        Some(b'z') => {
            push(stack, r"\z".to_string(), 0, 1)?;
            return Ok(&t[2..]);
        }
        _ => {}
    }
    if let Some((class, rest)) = parse_unicode_class(t)? {
        push(stack, with_fold(flags, class), 0, 1)?;
        return Ok(rest);
    }
    if let Some((class, rest)) = parse_perl_class(t) {
        push(stack, with_fold(flags, format!("[{class}]")), 0, 1)?;
        return Ok(rest);
    }
    let (c, rest) = parse_escape(t)?;
    push_literal(stack, flags, c)?;
    Ok(rest)
}

/// `\d \D \s \S \w \W` as the inside of a class in the crate's syntax (Go's ASCII classes).
fn parse_perl_class(t: &str) -> Option<(String, &str)> {
    let class = match t.get(..2)? {
        r"\d" => r"0-9",
        r"\D" => r"^0-9",
        r"\s" => r"\t\n\x0C\r ",
        r"\S" => r"^\t\n\x0C\r ",
        r"\w" => r"0-9A-Za-z_",
        r"\W" => r"^0-9A-Za-z_",
        _ => return None,
    };
    Some((class.to_string(), &t[2..]))
}

/// Go's `parseEscape`: a single-character escape (`\n`, `\x41`, `\x{263a}`, `\012`,
/// `\.`...).
fn parse_escape(s: &str) -> Result<(char, &str), SyntaxError> {
    let t = &s[1..];
    let Some(c) = t.chars().next() else {
        return Err(error(TRAILING_BACKSLASH, ""));
    };
    let mut t = &t[c.len_utf8()..];
    let invalid = |t: &str| error(INVALID_ESCAPE, &s[..s.len() - t.len()]);
    match c {
        '1'..='7' if !t.starts_with(|d: char| ('0'..='7').contains(&d)) => Err(invalid(t)),
        '0'..='7' => {
            // Up to three octal digits in all.
            let mut value = c.to_digit(8).unwrap_or(0);
            for _ in 1..3 {
                match t.chars().next().and_then(|d| d.to_digit(8)) {
                    Some(d) => {
                        value = value * 8 + d;
                        t = &t[1..];
                    }
                    None => break,
                }
            }
            Ok((char::from_u32(value).unwrap_or('\0'), t))
        }
        'x' => {
            let Some(c) = t.chars().next() else {
                return Err(invalid(t));
            };
            t = &t[c.len_utf8()..];
            if c == '{' {
                let mut value: u32 = 0;
                let mut digits = 0;
                loop {
                    let Some(c) = t.chars().next() else {
                        return Err(invalid(t));
                    };
                    t = &t[c.len_utf8()..];
                    if c == '}' {
                        break;
                    }
                    let Some(v) = c.to_digit(16) else {
                        return Err(invalid(t));
                    };
                    value = value * 16 + v;
                    if value > 0x10FFFF {
                        return Err(invalid(t));
                    }
                    digits += 1;
                }
                if digits == 0 {
                    return Err(invalid(t));
                }
                // Go accepts surrogate code points here; they cannot be in a Rust string,
                // so they become U+FFFD, which no valid text contains either way.
                return Ok((char::from_u32(value).unwrap_or('\u{FFFD}'), t));
            }
            let Some(y) = t.chars().next() else {
                return Err(invalid(t));
            };
            t = &t[y.len_utf8()..];
            match (c.to_digit(16), y.to_digit(16)) {
                (Some(hi), Some(lo)) => Ok((char::from_u32(hi * 16 + lo).unwrap_or('\0'), t)),
                _ => Err(invalid(t)),
            }
        }
        'a' => Ok(('\u{7}', t)),
        'f' => Ok(('\u{c}', t)),
        'n' => Ok(('\n', t)),
        'r' => Ok(('\r', t)),
        't' => Ok(('\t', t)),
        'v' => Ok(('\u{b}', t)),
        _ if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok((c, t)),
        _ => Err(invalid(t)),
    }
}

/// Go's `parseUnicodeClass`: `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}` as a class in the
/// crate's syntax. `Ok(None)` when `t` does not start with `\p` or `\P`.
fn parse_unicode_class(t: &str) -> Result<Option<(String, &str)>, SyntaxError> {
    let negated_escape = match t.get(..2) {
        Some(r"\p") => false,
        Some(r"\P") => true,
        _ => return Ok(None),
    };
    let after = &t[2..];
    let (sequence, name, rest) = match after.chars().next() {
        Some('{') => {
            let Some(close) = t.find('}') else {
                return Err(error(INVALID_CHAR_RANGE, t));
            };
            (&t[..=close], &t[3..close], &t[close + 1..])
        }
        Some(c) => {
            let end = 2 + c.len_utf8();
            (&t[..end], &t[2..end], &t[end..])
        }
        None => (t, "", ""),
    };
    let (negated_name, name) = match name.strip_prefix('^') {
        Some(name) => (true, name),
        None => (false, name),
    };
    let Some(property) = unicode_property(name) else {
        return Err(error(INVALID_CHAR_RANGE, sequence));
    };
    let negated = negated_escape != negated_name;
    let letter = if negated { 'P' } else { 'p' };
    Ok(Some((format!("\\{letter}{{{property}}}"), rest)))
}

/// Go's `canonicalName`: separators (`_`, `-`, space) dropped, the first letter upper case,
/// the rest lower case.
fn canonical_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '_' | '-' | ' ') {
            continue;
        }
        if out.is_empty() {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The general categories Go knows, by canonical name.
const CATEGORIES: &[&str] = &[
    "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
    "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm",
    "So", "Z", "Zl", "Zp", "Zs",
];

/// Go's `unicode.CategoryAliases`, by canonical name.
const CATEGORY_ALIASES: &[(&str, &str)] = &[
    ("Casedletter", "LC"),
    ("Closepunctuation", "Pe"),
    ("Combiningmark", "M"),
    ("Connectorpunctuation", "Pc"),
    ("Control", "Cc"),
    ("Cntrl", "Cc"),
    ("Currencysymbol", "Sc"),
    ("Dashpunctuation", "Pd"),
    ("Decimalnumber", "Nd"),
    ("Digit", "Nd"),
    ("Enclosingmark", "Me"),
    ("Finalpunctuation", "Pf"),
    ("Format", "Cf"),
    ("Initialpunctuation", "Pi"),
    ("Letter", "L"),
    ("Letternumber", "Nl"),
    ("Lineseparator", "Zl"),
    ("Lowercaseletter", "Ll"),
    ("Mark", "M"),
    ("Mathsymbol", "Sm"),
    ("Modifierletter", "Lm"),
    ("Modifiersymbol", "Sk"),
    ("Nonspacingmark", "Mn"),
    ("Number", "N"),
    ("Openpunctuation", "Ps"),
    ("Other", "C"),
    ("Otherletter", "Lo"),
    ("Othernumber", "No"),
    ("Otherpunctuation", "Po"),
    ("Othersymbol", "So"),
    ("Paragraphseparator", "Zp"),
    ("Privateuse", "Co"),
    ("Punct", "P"),
    ("Punctuation", "P"),
    ("Separator", "Z"),
    ("Spaceseparator", "Zs"),
    ("Spacingmark", "Mc"),
    ("Surrogate", "Cs"),
    ("Symbol", "S"),
    ("Titlecaseletter", "Lt"),
    ("Unassigned", "Cn"),
    ("Uppercaseletter", "Lu"),
];

/// The scripts of Go's `unicode.Scripts` (Unicode 15.0) that Go 1.25 can still look up: its
/// lookup canonicalizes the name first, which only single-word names survive.
const SCRIPTS: &[&str] = &[
    "Adlam",
    "Ahom",
    "Arabic",
    "Armenian",
    "Avestan",
    "Balinese",
    "Bamum",
    "Batak",
    "Bengali",
    "Bhaiksuki",
    "Bopomofo",
    "Brahmi",
    "Braille",
    "Buginese",
    "Buhid",
    "Carian",
    "Chakma",
    "Cham",
    "Cherokee",
    "Chorasmian",
    "Common",
    "Coptic",
    "Cuneiform",
    "Cypriot",
    "Cyrillic",
    "Deseret",
    "Devanagari",
    "Dogra",
    "Duployan",
    "Elbasan",
    "Elymaic",
    "Ethiopic",
    "Georgian",
    "Glagolitic",
    "Gothic",
    "Grantha",
    "Greek",
    "Gujarati",
    "Gurmukhi",
    "Han",
    "Hangul",
    "Hanunoo",
    "Hatran",
    "Hebrew",
    "Hiragana",
    "Inherited",
    "Javanese",
    "Kaithi",
    "Kannada",
    "Katakana",
    "Kawi",
    "Kharoshthi",
    "Khmer",
    "Khojki",
    "Khudawadi",
    "Lao",
    "Latin",
    "Lepcha",
    "Limbu",
    "Lisu",
    "Lycian",
    "Lydian",
    "Mahajani",
    "Makasar",
    "Malayalam",
    "Mandaic",
    "Manichaean",
    "Marchen",
    "Medefaidrin",
    "Miao",
    "Modi",
    "Mongolian",
    "Mro",
    "Multani",
    "Myanmar",
    "Nabataean",
    "Nandinagari",
    "Newa",
    "Nko",
    "Nushu",
    "Ogham",
    "Oriya",
    "Osage",
    "Osmanya",
    "Palmyrene",
    "Phoenician",
    "Rejang",
    "Runic",
    "Samaritan",
    "Saurashtra",
    "Sharada",
    "Shavian",
    "Siddham",
    "Sinhala",
    "Sogdian",
    "Soyombo",
    "Sundanese",
    "Syriac",
    "Tagalog",
    "Tagbanwa",
    "Takri",
    "Tamil",
    "Tangsa",
    "Tangut",
    "Telugu",
    "Thaana",
    "Thai",
    "Tibetan",
    "Tifinagh",
    "Tirhuta",
    "Toto",
    "Ugaritic",
    "Vai",
    "Vithkuqi",
    "Wancho",
    "Yezidi",
    "Yi",
];

/// Go's `unicodeTable`: the property a `\p{name}` names, as the crate spells it.
fn unicode_property(name: &str) -> Option<String> {
    let canonical = canonical_name(name);
    match canonical.as_str() {
        "Any" => return Some("Any".to_string()),
        "Assigned" => return Some("Assigned".to_string()),
        "Ascii" => return Some("ASCII".to_string()),
        "Lc" => return Some("LC".to_string()),
        _ => {}
    }
    if CATEGORIES.contains(&canonical.as_str()) || SCRIPTS.contains(&canonical.as_str()) {
        return Some(canonical);
    }
    CATEGORY_ALIASES
        .iter()
        .find(|(alias, _)| *alias == canonical)
        .map(|(_, category)| category.to_string())
}

/// Go's POSIX classes, `[:name:]` and `[:^name:]`.
const POSIX_CLASSES: &[&str] = &[
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

/// Go's `parseClass`: `[…]` as a class in the crate's syntax, and the rest.
fn parse_class(s: &str) -> Result<(String, &str), SyntaxError> {
    let mut t = &s[1..];
    let mut out = String::from("[");
    if let Some(rest) = t.strip_prefix('^') {
        out.push('^');
        t = rest;
    }
    let mut first = true;
    while t.is_empty() || !t.starts_with(']') || first {
        first = false;
        // POSIX class like [:alnum:].
        if t.len() > 2
            && t.starts_with("[:")
            && let Some(end) = t[2..].find(":]")
        {
            let name = &t[..end + 4];
            let inner = &name[2..name.len() - 2];
            let bare = inner.strip_prefix('^').unwrap_or(inner);
            if !POSIX_CLASSES.contains(&bare) {
                return Err(error(INVALID_CHAR_RANGE, name));
            }
            out.push_str(&format!("[[:{inner}:]]"));
            t = &t[end + 4..];
            continue;
        }
        if let Some((class, rest)) = parse_unicode_class(t)? {
            out.push_str(&class);
            t = rest;
            continue;
        }
        if let Some((class, rest)) = parse_perl_class(t) {
            out.push_str(&format!("[{class}]"));
            t = rest;
            continue;
        }
        let range_start = t;
        let (lo, rest) = parse_class_char(t, s)?;
        t = rest;
        let mut hi = lo;
        if t.len() >= 2 && t.starts_with('-') && !t[1..].starts_with(']') {
            let (end, rest) = parse_class_char(&t[1..], s)?;
            t = rest;
            hi = end;
            if hi < lo {
                let text = &range_start[..range_start.len() - t.len()];
                return Err(error(INVALID_CHAR_RANGE, text));
            }
        }
        out.push_str(&escape_char(lo));
        if hi != lo {
            out.push('-');
            out.push_str(&escape_char(hi));
        }
    }
    out.push(']');
    Ok((out, &t[1..]))
}

/// Go's `parseClassChar`: one (possibly escaped) character of a class.
fn parse_class_char<'t>(t: &'t str, whole_class: &str) -> Result<(char, &'t str), SyntaxError> {
    let Some(c) = t.chars().next() else {
        return Err(error(MISSING_BRACKET, whole_class));
    };
    if c == '\\' {
        return parse_escape(t);
    }
    Ok((c, &t[c.len_utf8()..]))
}

#[cfg(test)]
mod tests;
