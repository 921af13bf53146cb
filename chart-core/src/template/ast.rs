//! The parse tree of a template, shaped like Go's `text/template/parse` nodes.
//!
//! Every node keeps its byte position so that errors can name `FILE:LINE:COL`, and renders
//! back to template text exactly as Go's `Node.String` does, because Go's error messages
//! quote that text (`executing "x" at <.Values.a.b>`).

use std::fmt::{self, Write as _};
use std::sync::Arc;

use crate::funcs::Func;
use crate::value::Key;

/// A byte offset into the template text. Four bytes, not eight: a chart's parse trees are
/// most of what a render holds in memory, and the parser refuses texts of 4 GiB or more.
pub(crate) type Pos = u32;

/// A parsed template: one file, one `define`, one `block`, or a `tpl` string.
#[derive(Debug)]
pub(crate) struct Tree {
    /// The template's name (`chart/templates/x.yaml` or the `define` name).
    pub name: String,
    /// The name of the file it was parsed from (what errors print before `:LINE:COL`).
    pub parse_name: Arc<str>,
    /// The text it was parsed from (positions index into it).
    pub text: SourceText,
    /// The body.
    pub root: Box<[Node]>,
}

/// The text a tree was parsed from, shared: a chart file's own bytes when they are UTF-8
/// already (so a chart's templates are not held twice), else a copy.
#[derive(Clone, Debug)]
pub(crate) struct SourceText(Arc<[u8]>);

impl SourceText {
    /// A copy of `text`.
    pub(crate) fn copy_of(text: &str) -> SourceText {
        SourceText(Arc::from(text.as_bytes()))
    }

    /// `bytes` themselves, when `text` is a view of exactly those bytes (so they are UTF-8
    /// already: no second check).
    pub(crate) fn shared(bytes: &Arc<[u8]>, text: &str) -> Option<SourceText> {
        let same = std::ptr::eq(text.as_ptr(), bytes.as_ptr()) && text.len() == bytes.len();
        same.then(|| SourceText(bytes.clone()))
    }

    /// The whole text (checked again on each call: for errors and other rare uses).
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The text of `start..end`, positions the parser found at character boundaries; only
    /// that span is checked.
    pub(crate) fn span(&self, start: Pos, end: Pos) -> &str {
        self.0
            .get(start as usize..end as usize)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// A copy, for an error that outlives the tree.
    pub(crate) fn to_arc_str(&self) -> Arc<str> {
        Arc::from(self.as_str())
    }
}

impl Tree {
    /// Go's `IsEmptyTree`: only whitespace text and comments.
    pub(crate) fn is_empty(&self) -> bool {
        self.root.iter().all(|n| n.is_empty(&self.text))
    }

    /// `FILE:LINE:COL` of a position, as Go's `ErrorContext` computes it (column is the
    /// 0-based byte offset within the line).
    pub(crate) fn location(&self, pos: Pos) -> String {
        let pos = (pos as usize).min(self.text.len());
        let before = &self.text.as_bytes()[..pos];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let col = match before.iter().rposition(|&b| b == b'\n') {
            Some(nl) => pos - (nl + 1),
            None => pos,
        };
        format!("{}:{}:{}", self.parse_name, line, col)
    }
}

/// A statement-level node. The rarer, larger shapes are boxed so that a node stays small:
/// a chart's parsed templates are most of what a render holds in memory.
#[derive(Debug)]
pub(crate) enum Node {
    /// Text between actions: the span `start..end` of the tree's text (a slice, not a copy:
    /// text is most of a template).
    Text(Pos, Pos),
    Action(Pos, Pipe),
    If(Box<Branch>),
    Range(Box<Branch>),
    With(Box<Branch>),
    Template {
        pos: Pos,
        name: Box<str>,
        pipe: Option<Box<Pipe>>,
    },
    Break(Pos),
    Continue(Pos),
}

impl Node {
    fn is_empty(&self, text: &SourceText) -> bool {
        match self {
            Node::Text(start, end) => text.span(*start, *end).trim().is_empty(),
            _ => false,
        }
    }

    pub(crate) fn pos(&self) -> Pos {
        match self {
            Node::Text(p, _) | Node::Action(p, _) | Node::Break(p) | Node::Continue(p) => *p,
            Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
            Node::Template { pos, .. } => *pos,
        }
    }
}

/// The shared shape of `if`, `range` and `with`.
#[derive(Debug)]
pub(crate) struct Branch {
    pub pos: Pos,
    pub pipe: Pipe,
    pub list: Box<[Node]>,
    pub else_list: Option<Box<[Node]>>,
}

/// A pipeline with optional variable declarations (`$x := a | b`).
#[derive(Debug)]
pub(crate) struct Pipe {
    pub pos: Pos,
    pub is_assign: bool,
    /// Declared variable names (`$x`).
    pub decl: Box<[Box<str>]>,
    pub cmds: Box<[Command]>,
}

/// One command of a pipeline: an operand, possibly followed by arguments.
#[derive(Debug)]
pub(crate) struct Command {
    pub pos: Pos,
    pub args: Box<[Arg]>,
}

/// What an identifier names, resolved at parse time.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Callee {
    /// A function of the library table.
    Native(&'static Func),
    /// One of Go's builtins (`and`, `or`, `index`, ...).
    Builtin(Builtin),
    /// A function the evaluator implements itself (`include`, `tpl`, `lookup`).
    Engine(EngineFn),
}

impl Callee {
    /// The name templates call it by.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Callee::Native(f) => f.name,
            Callee::Builtin(b) => b.name(),
            Callee::Engine(e) => e.name(),
        }
    }
}

/// Go's builtin functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    And,
    Or,
    Not,
    Len,
    Index,
    Slice,
    Call,
    Print,
    Printf,
    Println,
    Html,
    Js,
    Urlquery,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Functions that need the evaluator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EngineFn {
    Include,
    Tpl,
    Lookup,
}

impl EngineFn {
    /// Every engine function.
    pub(crate) const ALL: [EngineFn; 3] = [EngineFn::Include, EngineFn::Tpl, EngineFn::Lookup];

    /// The name templates call it by.
    pub(crate) fn name(self) -> &'static str {
        match self {
            EngineFn::Include => "include",
            EngineFn::Tpl => "tpl",
            EngineFn::Lookup => "lookup",
        }
    }
}

/// A parsed number constant with every interpretation Go's parser derives.
#[derive(Clone, Debug, Default)]
pub(crate) struct Number {
    pub text: String,
    pub is_int: bool,
    pub int64: i64,
    pub is_uint: bool,
    pub uint64: u64,
    pub is_float: bool,
    pub float64: f64,
    pub is_complex: bool,
    pub complex: (f64, f64),
}

/// An operand.
#[derive(Debug)]
pub(crate) enum Arg {
    /// A function name (its text is the callee's name).
    Identifier {
        pos: Pos,
        callee: Callee,
    },
    Dot(Pos),
    Nil(Pos),
    /// `$x.a.b`: `idents[0]` is the variable name.
    Variable {
        pos: Pos,
        idents: Box<[Key]>,
    },
    /// `.a.b`.
    Field {
        pos: Pos,
        idents: Box<[Key]>,
    },
    /// `(pipe).a.b`.
    Chain {
        pos: Pos,
        node: Box<Arg>,
        fields: Box<[Key]>,
    },
    Bool(Pos, bool),
    Number(Pos, Box<Number>),
    /// A string constant: its value, and its source text when that is not the value between
    /// double quotes (it had escapes, or was a raw string). Most constants are plain, and an
    /// operand stays small.
    String {
        pos: Pos,
        text: Arc<str>,
        quoted: Option<Box<Box<str>>>,
    },
    /// A parenthesized pipeline.
    Pipe(Box<Pipe>),
}

impl Arg {
    pub(crate) fn pos(&self) -> Pos {
        match self {
            Arg::Identifier { pos, .. }
            | Arg::Dot(pos)
            | Arg::Nil(pos)
            | Arg::Variable { pos, .. }
            | Arg::Field { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Bool(pos, _)
            | Arg::Number(pos, _)
            | Arg::String { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

// ---- Go's Node.String(), used in error messages ----

impl Node {
    /// Go's `Node.String()`: the node as template text. `text` is the text of the node's
    /// tree, which text nodes are spans of.
    pub(crate) fn shown<'a>(&'a self, text: &'a str) -> Shown<'a> {
        Shown { node: self, text }
    }
}

/// A node with its tree's text, which displays as Go's `Node.String()`.
pub(crate) struct Shown<'a> {
    node: &'a Node,
    text: &'a str,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.text;
        match self.node {
            Node::Text(start, end) => f.write_str(&text[*start as usize..*end as usize]),
            Node::Action(_, p) => write!(f, "{{{{{p}}}}}"),
            Node::If(b) => write_branch(f, "if", b, text),
            Node::Range(b) => write_branch(f, "range", b, text),
            Node::With(b) => write_branch(f, "with", b, text),
            Node::Template { name, pipe, .. } => {
                write!(f, "{{{{template {}", crate::template::error::go_quote(name))?;
                if let Some(p) = pipe {
                    write!(f, " {p}")?;
                }
                f.write_str("}}")
            }
            Node::Break(_) => f.write_str("{{break}}"),
            Node::Continue(_) => f.write_str("{{continue}}"),
        }
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, list: &[Node], text: &str) -> fmt::Result {
    for n in list {
        write!(f, "{}", n.shown(text))?;
    }
    Ok(())
}

fn write_branch(f: &mut fmt::Formatter<'_>, name: &str, b: &Branch, text: &str) -> fmt::Result {
    write!(f, "{{{{{name} {}}}}}", b.pipe)?;
    write_list(f, &b.list, text)?;
    if let Some(e) = &b.else_list {
        f.write_str("{{else}}")?;
        write_list(f, e, text)?;
    }
    f.write_str("{{end}}")
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Identifier { callee, .. } => f.write_str(callee.name()),
            Arg::Dot(_) => f.write_char('.'),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Variable { idents, .. } => f.write_str(&idents.join(".")),
            Arg::Field { idents, .. } => {
                for id in idents {
                    write!(f, ".{id}")?;
                }
                Ok(())
            }
            Arg::Chain { node, fields, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for id in fields {
                    write!(f, ".{id}")?;
                }
                Ok(())
            }
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(_, n) => f.write_str(&n.text),
            Arg::String {
                quoted: Some(quoted),
                ..
            } => f.write_str(quoted),
            Arg::String { text, .. } => write!(f, "\"{text}\""),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}
