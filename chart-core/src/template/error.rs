//! Template errors, with Go's text and Helm's rewriting of it.
//!
//! Go's `text/template` reports an execution error as one line,
//! `template: FILE:L:C: executing "NAME" at <ACTION>: MESSAGE`, where MESSAGE may wrap the
//! error of a called function (`error calling include: template: ...`). Helm 4 rewrites that
//! chain: `fail`/`required` become `execution error at (FILE:L:C): MESSAGE`, a chain made only of
//! template errors becomes a multi-line trace, and anything else stays Go's line. We keep the
//! chain as Go builds it and apply Helm's rules to its text, so the result matches Helm even in
//! the odd cases.

use std::fmt;
use std::sync::Arc;

use regex::Regex;

/// A template could not be parsed or executed.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// The template text is malformed.
    Parse(ParseError),
    /// Executing the template failed.
    Exec(Box<ExecError>),
}

impl Error {
    /// Go's message, as `text/template` returns it.
    pub fn go_message(&self) -> String {
        match self {
            Error::Parse(p) => p.go_message(),
            Error::Exec(e) => e.go_message(),
        }
    }

    /// Helm 4's message: what `helm template` prints after `Error: `.
    pub fn helm_message(&self) -> String {
        match self {
            Error::Parse(p) => p.helm_message(),
            Error::Exec(e) => e.helm_message(),
        }
    }

    fn excerpt(&self) -> Option<(Arc<str>, Arc<str>, usize)> {
        match self {
            Error::Parse(p) => p.source.clone(),
            Error::Exec(e) => e.innermost_source(),
        }
    }
}

impl fmt::Display for Error {
    /// Helm's text. The alternate form (`{:#}`) adds the failing source line with a caret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.helm_message())?;
        if f.alternate()
            && let Some((name, text, pos)) = self.excerpt()
        {
            write!(f, "\n{}", caret_excerpt(&name, &text, pos))?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Renders the line holding `pos` with a caret under it.
pub(crate) fn caret_excerpt(name: &str, text: &str, pos: usize) -> String {
    let pos = pos.min(text.len());
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let line_no = 1 + text[..pos].matches('\n').count();
    let line = &text[line_start..line_end];
    let col = text[line_start..pos].chars().count();
    let gutter = line_no.to_string();
    format!(
        "{pad} --> {name}:{line_no}:{col}\n{gutter} | {line}\n{pad} | {spaces}^",
        pad = " ".repeat(gutter.len()),
        spaces = " ".repeat(col),
    )
}

/// A parse error: `template: NAME:LINE: MESSAGE` in Go.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    /// The file (or `tpl` name) being parsed.
    pub name: String,
    /// The 1-based line.
    pub line: usize,
    /// Go's message.
    pub message: String,
    pub(crate) source: Option<(Arc<str>, Arc<str>, usize)>,
}

impl ParseError {
    /// Go's message.
    pub fn go_message(&self) -> String {
        format!("template: {}:{}: {}", self.name, self.line, self.message)
    }

    /// Helm's `parse error at (NAME:LINE): MESSAGE`, where Helm keeps only the text after the
    /// last `": "` of Go's message.
    pub fn helm_message(&self) -> String {
        let go = self.go_message();
        let tokens: Vec<&str> = go.split(": ").collect();
        match tokens.as_slice() {
            [_] => format!("parse error in ({}): {go}", self.name),
            [_, location, .., last] => format!("parse error at ({location}): {last}"),
            _ => go,
        }
    }
}

/// An execution error raised at one action of one template.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecError {
    /// The template being executed (`executing "NAME"`).
    pub template: String,
    /// `FILE:LINE:COL` of the failing node, or `None` when no node was being executed.
    pub location: Option<String>,
    /// The failing node's text (`at <...>`).
    pub context: String,
    /// Go's message, up to the wrapped cause.
    pub message: String,
    /// The error this one wraps (`error calling include: <cause>`).
    pub cause: Option<Cause>,
    pub(crate) source: Option<(Arc<str>, Arc<str>, usize)>,
}

/// What an execution error wraps.
#[derive(Clone, Debug, PartialEq)]
pub enum Cause {
    /// A nested template's error (`include`, `tpl`).
    Template(Box<Error>),
    /// A plain error message (a function's failure).
    Text(String),
    /// The message of Helm's `fail` or `required`.
    Helm(String),
    /// A message wrapping another cause (`cannot parse template "x": <cause>`).
    Wrapped(String, Box<Cause>),
}

impl Cause {
    fn go_message(&self) -> String {
        match self {
            Cause::Template(e) => e.go_message(),
            Cause::Text(t) => t.clone(),
            Cause::Helm(m) => format!("HELM_ERR_START{m}HELM_ERR_END"),
            Cause::Wrapped(prefix, c) => format!("{prefix}{}", c.go_message()),
        }
    }

    /// The messages of Go's `errors.Unwrap` chain, starting with this cause.
    fn chain(&self, out: &mut Vec<String>) {
        match self {
            Cause::Template(e) => match e.as_ref() {
                Error::Exec(x) => x.chain(out),
                Error::Parse(p) => out.push(p.go_message()),
            },
            Cause::Text(_) | Cause::Helm(_) => out.push(self.go_message()),
            Cause::Wrapped(_, c) => {
                out.push(self.go_message());
                c.chain(out);
            }
        }
    }

    fn innermost_source(&self) -> Option<(Arc<str>, Arc<str>, usize)> {
        match self {
            Cause::Template(e) => e.excerpt(),
            Cause::Wrapped(_, c) => c.innermost_source(),
            _ => None,
        }
    }
}

impl ExecError {
    /// Go's one-line message.
    pub fn go_message(&self) -> String {
        let mut s = match &self.location {
            Some(loc) => format!(
                "template: {loc}: executing {} at <{}>: {}",
                go_quote(&self.template),
                self.context,
                self.message
            ),
            None => format!("template: {}: {}", self.template, self.message),
        };
        if let Some(c) = &self.cause {
            s.push_str(&c.go_message());
        }
        s
    }

    /// The messages of Go's `errors.Unwrap` chain: the `ExecError`, the `fmt` error inside it,
    /// then the wrapped cause's chain.
    fn chain(&self, out: &mut Vec<String>) {
        let own = self.go_message();
        out.push(own.clone());
        out.push(own);
        if let Some(c) = &self.cause {
            c.chain(out);
        }
    }

    fn innermost_source(&self) -> Option<(Arc<str>, Arc<str>, usize)> {
        self.cause
            .as_ref()
            .and_then(Cause::innermost_source)
            .or_else(|| self.source.clone())
    }

    /// Helm 4's rewriting of the message (`pkg/engine` in Helm 4.1).
    pub fn helm_message(&self) -> String {
        let go = self.go_message();
        let tokens: Vec<&str> = go.splitn(3, ": ").collect();
        if tokens.len() != 3 {
            return go;
        }
        if let Some(m) = helm_error_marker().captures(tokens[2]) {
            return format!("execution error at ({}): {}", tokens[1], &m[1]);
        }
        let mut chain = Vec::new();
        self.chain(&mut chain);
        let mut frames: Vec<Frame> = Vec::new();
        for text in &chain {
            let Some(frame) = Frame::parse(text) else {
                return go;
            };
            if frames.last() != Some(&frame) {
                frames.push(frame);
            }
        }
        let mut out = String::new();
        for f in &frames {
            f.write(&mut out);
        }
        out.trim().to_string()
    }
}

fn helm_error_marker() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?s)HELM_ERR_START(.*)HELM_ERR_END").unwrap_or_else(|_| unreachable!())
    })
}

/// One step of Helm's multi-line trace.
#[derive(Debug, PartialEq)]
struct Frame {
    location: String,
    executing: String,
    message: String,
}

impl Frame {
    /// Reads one message of the chain the way Helm 4 does; `None` when it is not a template
    /// error, which makes Helm keep Go's one-line text.
    fn parse(text: &str) -> Option<Frame> {
        let rest = text.strip_prefix("template: ")?;
        if rest.starts_with("no template ") {
            return Some(Frame {
                location: String::new(),
                executing: String::new(),
                message: text.to_string(),
            });
        }
        let cut_next = |m: &str| match m.find(" template:") {
            Some(i) => m[..i].to_string(),
            None => m.to_string(),
        };
        if let Some(i) = rest.find(": executing \"") {
            let location = rest[..i].to_string();
            let after = &rest[i + ": executing \"".len()..];
            let end_quote = after.find('"')?;
            let name = &after[..end_quote];
            let after = after[end_quote + 1..].strip_prefix(" at <")?;
            let end = after.find(">: ")?;
            let context = &after[..end];
            let message = cut_next(&after[end + 3..]);
            return Some(Frame {
                location,
                executing: format!("executing \"{name}\" at <{context}>:"),
                message,
            });
        }
        let i = rest.rfind(": ")?;
        Some(Frame {
            location: rest[..i].to_string(),
            executing: String::new(),
            message: cut_next(&rest[i + 2..]),
        })
    }

    fn write(&self, out: &mut String) {
        if !self.location.is_empty() {
            out.push_str(&self.location);
            out.push_str("\n  ");
        }
        if !self.executing.is_empty() {
            out.push_str(&self.executing);
            out.push_str("\n    ");
        }
        if !self.message.is_empty() {
            out.push_str(&self.message);
            out.push('\n');
        }
    }
}

/// Go's `strconv.Quote`.
pub(crate) fn go_quote(s: &str) -> String {
    crate::gofmt::quote(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exec(loc: &str, name: &str, ctx: &str, msg: &str, cause: Option<Cause>) -> ExecError {
        ExecError {
            template: name.into(),
            location: Some(loc.into()),
            context: ctx.into(),
            message: msg.into(),
            cause,
            source: None,
        }
    }

    #[test]
    fn plain_exec_error_is_multi_line() {
        let e = exec(
            "f.yaml:1:10",
            "f.yaml",
            ".Values.a.b",
            "nil pointer evaluating interface {}.b",
            None,
        );
        assert_eq!(
            e.helm_message(),
            "f.yaml:1:10\n  executing \"f.yaml\" at <.Values.a.b>:\n    nil pointer evaluating interface {}.b"
        );
    }

    #[test]
    fn function_error_keeps_go_line() {
        let e = exec(
            "f.yaml:1:3",
            "f.yaml",
            "index .x 5",
            "error calling index: ",
            Some(Cause::Text("index out of range: 5".into())),
        );
        assert_eq!(
            e.helm_message(),
            "template: f.yaml:1:3: executing \"f.yaml\" at <index .x 5>: error calling index: index out of range: 5"
        );
    }

    #[test]
    fn fail_becomes_execution_error() {
        let inner = exec(
            "f.yaml:1:26",
            "bad",
            "fail \"x\"",
            "error calling fail: ",
            Some(Cause::Helm("inner".into())),
        );
        let e = exec(
            "f.yaml:1:60",
            "f.yaml",
            "include \"bad\" .",
            "error calling include: ",
            Some(Cause::Template(Box::new(Error::Exec(Box::new(inner))))),
        );
        assert_eq!(e.helm_message(), "execution error at (f.yaml:1:60): inner");
    }

    #[test]
    fn include_of_missing_template() {
        let e = exec(
            "f.yaml:1:3",
            "f.yaml",
            "include \"nope\" .",
            "error calling include: ",
            Some(Cause::Text(
                "template: no template \"nope\" associated with template \"gotpl\"".into(),
            )),
        );
        assert_eq!(
            e.helm_message(),
            "f.yaml:1:3\n  executing \"f.yaml\" at <include \"nope\" .>:\n    error calling include:\ntemplate: no template \"nope\" associated with template \"gotpl\""
        );
    }

    #[test]
    fn parse_error_keeps_last_token() {
        let p = ParseError {
            name: "f.yaml".into(),
            line: 1,
            message: "integer overflow: \"1\"".into(),
            source: None,
        };
        assert_eq!(p.helm_message(), "parse error at (f.yaml:1): \"1\"");
    }

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\n\u{1}é"), "\"a\\\"b\\n\\x01é\"");
    }
}
