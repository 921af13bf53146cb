//! A YAML emitter that writes what go-yaml's libyaml-derived emitter writes for block
//! documents: the same scalar analysis (which of plain, single-quoted, double-quoted and
//! literal styles a string allows), the same indentation bookkeeping, the same escapes
//! (`\U0001F600` for characters outside the Basic Multilingual Plane, which go-yaml treats
//! as unprintable) and the same folding of long plain and quoted scalars at the configured
//! width.
//!
//! A marshalled value needs block mappings and sequences (empty ones written as `{}` and
//! `[]`) and scalars. Documents read back for a post-renderer (`tree`) also need what
//! go-yaml v3 keeps of a parsed node: single-quoted and folded scalars, flow collections,
//! anchors, aliases, explicit tags, and head, line and foot comments.

use std::sync::Arc;

/// The style the representer asks for; the emitter may fall back to a quoted one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// Scalar text, shared with the value it came from when it is a string.
#[derive(Clone, Debug)]
pub(crate) enum Text {
    Shared(Arc<str>),
    Owned(String),
    Static(&'static str),
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Shared(s) => s,
            Text::Owned(s) => s,
            Text::Static(s) => s,
        }
    }
}

/// A node to write.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    Scalar(Text, Style),
    Sequence(Vec<Node>),
    Mapping(Vec<(Node, Node)>),
    /// `[a, b]`.
    FlowSequence(Vec<Node>),
    /// `{a: 1}`.
    FlowMapping(Vec<(Node, Node)>),
    /// `*name`.
    Alias(String),
    /// A node with an anchor, an explicit tag or comments.
    Decorated(Box<Decorated>),
}

/// What go-yaml v3 keeps around a node besides its content.
#[derive(Clone, Debug, Default)]
pub(crate) struct Decorated {
    pub(crate) node: Node,
    /// Written as `&anchor`.
    pub(crate) anchor: Option<String>,
    /// Written as is (`!!str`, `!custom`).
    pub(crate) tag: Option<String>,
    /// Comment lines (each starting with `#`) written before the node, at its indentation;
    /// an empty line stands for a blank line. For a mapping key, before the pair.
    pub(crate) head: Vec<String>,
    /// A comment written after the node on its line; for a block collection, after the
    /// indicator that opens it (`key: # comment`).
    pub(crate) line: Option<String>,
    /// Comment lines written after the node (for a mapping key: after the pair), at its
    /// indentation; an empty line stands for a blank line.
    pub(crate) foot: Vec<String>,
}

impl Default for Node {
    fn default() -> Self {
        Node::Scalar(Text::Static(""), Style::Plain)
    }
}

impl Node {
    /// The node under its decorations.
    pub(crate) fn content(&self) -> &Node {
        match self {
            Node::Decorated(d) => d.node.content(),
            n => n,
        }
    }
}

/// The emitter settings that differ between go-yaml v2 (`toYaml`) and v3 (`toYamlPretty`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Options {
    /// Plain and quoted scalars fold at a space once a line is longer than this.
    pub(crate) width: usize,
    /// A sequence that is the value of a mapping key starts at the key's column (go-yaml v2)
    /// instead of two columns further in (go-yaml v3).
    pub(crate) indentless_sequences: bool,
    /// A tab only rules out plain and single-quoted styles, so a multi-line string with tabs
    /// can still be a literal block (go-yaml v3); go-yaml v2 treats a tab as unprintable.
    pub(crate) tabs_in_blocks: bool,
    /// An empty plain scalar still gets the space that separates it from its indicator
    /// (`key: `): go-yaml v2 writes it; go-yaml v3 does not.
    pub(crate) space_before_empty_plain: bool,
}

/// go-yaml v2's settings: width 80, sequences not indented under their key.
pub(crate) const V2: Options = Options {
    width: 80,
    indentless_sequences: true,
    tabs_in_blocks: false,
    space_before_empty_plain: true,
};

/// go-yaml v3's settings with `SetIndent(2)`: no folding, sequences indented.
pub(crate) const V3: Options = Options {
    width: usize::MAX,
    indentless_sequences: false,
    tabs_in_blocks: true,
    space_before_empty_plain: true,
};

/// kyaml's settings (go-yaml v3 with compact sequences), as Helm writes documents for a
/// post-renderer: no folding, sequences under a key start at the key's column.
pub(crate) const KYAML: Options = Options {
    width: usize::MAX,
    indentless_sequences: true,
    tabs_in_blocks: true,
    space_before_empty_plain: false,
};

const BEST_INDENT: i64 = 2;

/// Writes `root` as a YAML document, ending with a newline.
pub(crate) fn emit(root: &Node, options: Options) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        indent: -1,
        indents: Vec::new(),
        flow_level: 0,
        options,
    };
    e.node(
        root,
        Context {
            mapping: false,
            simple_key: false,
        },
    );
    e.write_indent();
    e.out
}

#[derive(Clone, Copy)]
struct Context {
    /// The node is a mapping key or value.
    mapping: bool,
    /// The node is a key written without `? `.
    simple_key: bool,
}

struct Emitter {
    out: String,
    /// In characters, as libyaml counts it.
    column: usize,
    /// The last thing written was whitespace (or nothing on this line).
    whitespace: bool,
    /// Only indentation has been written on this line.
    indention: bool,
    indent: i64,
    indents: Vec<i64>,
    flow_level: usize,
    options: Options,
}

/// Which styles a scalar's text allows.
#[derive(Clone, Copy, Debug)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// go-yaml's printable set: it excludes everything outside the Basic Multilingual Plane.
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        && c != '\u{FEFF}'
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Blank, a line break, or NUL (libyaml's end-of-string marker).
fn is_blankz(c: char) -> bool {
    is_blank(c) || is_break(c) || c == '\0'
}

fn analyze(value: &str, tabs_in_blocks: bool) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = value.starts_with("---") || value.starts_with("...");
    let mut flow_indicators = block_indicators;
    let (mut line_breaks, mut special_characters, mut tabs) = (false, false, false);
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let (mut previous_space, mut previous_break) = (false, false);

    let mut chars = value.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let last = next.is_none();
        // go-yaml v2 looks only at spaces and tabs here, not at line breaks.
        let followed_by_whitespace = next.is_none_or(is_blank);
        if first {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if c == '\t' && tabs_in_blocks {
            tabs = true;
        } else if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            leading_space |= first;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= first;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(c);
        first = false;
    }

    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if tabs {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// The style actually written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Written {
    Plain,
    Single,
    Double,
    Literal,
    Folded,
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// Writes a line break character from the text: `\n` as the emitter's newline, any
    /// other break as itself.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = usize::try_from(self.indent.max(0)).unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn restore_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn node(&mut self, node: &Node, ctx: Context) {
        super::deep(|| self.node_inner(node, ctx));
    }

    fn node_inner(&mut self, node: &Node, ctx: Context) {
        match node {
            Node::Scalar(value, style) => {
                let analysis = analyze(value, self.options.tabs_in_blocks);
                self.scalar(value, *style, &analysis, ctx);
            }
            Node::Sequence(items) | Node::FlowSequence(items) if items.is_empty() => {
                self.empty_flow("[", "]")
            }
            Node::Mapping(pairs) | Node::FlowMapping(pairs) if pairs.is_empty() => {
                self.empty_flow("{", "}")
            }
            Node::Sequence(items) | Node::FlowSequence(items)
                if self.flow_level > 0 || matches!(node, Node::FlowSequence(_)) =>
            {
                self.flow_sequence(items)
            }
            Node::Mapping(pairs) | Node::FlowMapping(pairs)
                if self.flow_level > 0 || matches!(node, Node::FlowMapping(_)) =>
            {
                self.flow_mapping(pairs)
            }
            Node::Sequence(items) | Node::FlowSequence(items) => {
                self.block_sequence(items, ctx, None)
            }
            Node::Mapping(pairs) | Node::FlowMapping(pairs) => self.block_mapping(pairs, None),
            Node::Alias(name) => {
                self.write_indicator("*", true, false, false);
                self.write_text(name);
            }
            Node::Decorated(d) => self.decorated(d, ctx),
        }
    }

    fn write_text(&mut self, text: &str) {
        for c in text.chars() {
            self.put(c);
        }
        self.whitespace = false;
        self.indention = false;
    }

    /// A node with properties or comments; its head and foot comments are written by the
    /// collection that holds it.
    fn decorated(&mut self, d: &Decorated, ctx: Context) {
        if let Some(anchor) = &d.anchor {
            self.write_indicator("&", true, false, false);
            self.write_text(anchor);
        }
        if let Some(tag) = &d.tag {
            self.write_indicator(tag, true, false, false);
        }
        let line = d.line.as_deref();
        match d.node.content() {
            Node::Sequence(items) if !items.is_empty() && self.flow_level == 0 => {
                self.block_sequence(items, ctx, line)
            }
            Node::Mapping(pairs) if !pairs.is_empty() && self.flow_level == 0 => {
                self.block_mapping(pairs, line)
            }
            _ => {
                self.node(&d.node, ctx);
                if let Some(comment) = line {
                    self.line_comment(comment);
                }
            }
        }
    }

    /// ` # comment` at the end of the current line.
    fn line_comment(&mut self, comment: &str) {
        if !self.whitespace {
            self.put(' ');
        }
        self.write_text(comment);
    }

    /// Comment lines at the current indentation; an empty one is a blank line.
    fn comment_lines(&mut self, lines: &[String]) {
        for line in lines {
            if self.column > 0 || !self.indention {
                self.put_break();
            }
            if line.is_empty() {
                self.put_break();
                self.indention = true;
                self.whitespace = true;
                continue;
            }
            let indent = usize::try_from(self.indent.max(0)).unwrap_or(0);
            while self.column < indent {
                self.put(' ');
            }
            self.write_text(line);
        }
    }

    /// `[a, b]` or `{k: v}`: the entries between `open` and `close`, separated by commas.
    fn flow_collection<T>(
        &mut self,
        (open, close): (&str, &str),
        entries: &[T],
        mut entry: impl FnMut(&mut Self, &T),
    ) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.flow_level += 1;
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                self.write_indicator(",", false, false, false);
            }
            entry(self, e);
        }
        self.flow_level -= 1;
        self.restore_indent();
        self.write_indicator(close, false, false, false);
    }

    fn flow_sequence(&mut self, items: &[Node]) {
        self.flow_collection(("[", "]"), items, |e, item| {
            e.node(
                item,
                Context {
                    mapping: false,
                    simple_key: false,
                },
            );
        });
    }

    fn flow_mapping(&mut self, pairs: &[(Node, Node)]) {
        self.flow_collection(("{", "}"), pairs, |e, (key, value)| {
            let simple = is_simple_key(key, e.options.tabs_in_blocks);
            if !simple {
                e.write_indicator("?", true, false, false);
            }
            e.node(
                key,
                Context {
                    mapping: true,
                    simple_key: simple,
                },
            );
            e.write_indicator(":", !simple, false, false);
            e.node(
                value,
                Context {
                    mapping: true,
                    simple_key: false,
                },
            );
        });
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.flow_collection::<()>((open, close), &[], |_, _| {});
    }

    fn block_sequence(&mut self, items: &[Node], ctx: Context, line: Option<&str>) {
        let indentless = self.options.indentless_sequences && ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        if let Some(comment) = line {
            self.line_comment(comment);
        }
        let mut previous_foot = false;
        for item in items {
            let (head, foot) = comments_of(item);
            // go-yaml v3 puts a blank line between an entry's foot comment and the next entry.
            if previous_foot {
                self.comment_lines(&[String::new()]);
            }
            self.comment_lines(head);
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(
                item,
                Context {
                    mapping: false,
                    simple_key: false,
                },
            );
            self.comment_lines(foot);
            previous_foot = !foot.is_empty();
        }
        self.restore_indent();
    }

    fn block_mapping(&mut self, pairs: &[(Node, Node)], line: Option<&str>) {
        self.increase_indent(false, false);
        if let Some(comment) = line {
            self.line_comment(comment);
        }
        let mut previous_foot = false;
        for (key, value) in pairs {
            let (head, foot) = comments_of(key);
            if previous_foot {
                self.comment_lines(&[String::new()]);
            }
            self.comment_lines(head);
            self.write_indent();
            // A key can be written without `? ` when it is a single-line scalar of at most
            // 128 bytes (or an empty collection).
            let (simple, analysis) = match key {
                Node::Scalar(text, _) => {
                    let a = analyze(text, self.options.tabs_in_blocks);
                    (!a.multiline && text.len() <= 128, Some(a))
                }
                _ => (is_simple_key(key, self.options.tabs_in_blocks), None),
            };
            let key_ctx = Context {
                mapping: true,
                simple_key: simple,
            };
            if !simple {
                self.write_indicator("?", true, false, true);
            }
            match (key, &analysis) {
                (Node::Scalar(text, style), Some(a)) => self.scalar(text, *style, a, key_ctx),
                _ => self.node(key, key_ctx),
            }
            if simple {
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(
                value,
                Context {
                    mapping: true,
                    simple_key: false,
                },
            );
            self.comment_lines(foot);
            previous_foot = !foot.is_empty();
        }
        self.restore_indent();
    }

    fn select_style(&self, value: &str, requested: Style, a: &Analysis, ctx: Context) -> Written {
        let mut style = match requested {
            Style::Plain => Written::Plain,
            Style::SingleQuoted => Written::Single,
            Style::DoubleQuoted => Written::Double,
            Style::Literal => Written::Literal,
            Style::Folded => Written::Folded,
        };
        if ctx.simple_key && a.multiline {
            style = Written::Double;
        }
        if style == Written::Plain {
            let flow = self.flow_level > 0;
            if (flow && !a.flow_plain_allowed) || (!flow && !a.block_plain_allowed) {
                style = Written::Single;
            }
            if value.is_empty() && (flow || ctx.simple_key) {
                style = Written::Single;
            }
        }
        if style == Written::Single && !a.single_quoted_allowed {
            style = Written::Double;
        }
        if matches!(style, Written::Literal | Written::Folded)
            && (!a.block_allowed || self.flow_level > 0 || ctx.simple_key)
        {
            style = Written::Double;
        }
        style
    }

    fn scalar(&mut self, value: &str, requested: Style, analysis: &Analysis, ctx: Context) {
        let style = self.select_style(value, requested, analysis, ctx);
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Written::Plain => self.write_plain(value, allow_breaks),
            Written::Single => self.write_single_quoted(value, allow_breaks),
            Written::Double => self.write_double_quoted(value, allow_breaks),
            Written::Literal => self.write_literal(value),
            Written::Folded => self.write_folded(value),
        }
        self.restore_indent();
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace && (self.options.space_before_empty_plain || !value.is_empty()) {
            self.put(' ');
        }
        let (mut spaces, mut breaks) = (false, false);
        let mut chars = value.chars().peekable();
        while let Some(c) = chars.next() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.options.width
                    && chars.peek() != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let (mut spaces, mut breaks) = (false, false);
        let mut chars = value.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if c == ' ' {
                let inside = i > 0 && i + 1 < value.len();
                if allow_breaks
                    && !spaces
                    && self.column > self.options.width
                    && inside
                    && next != Some(' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let mut spaces = false;
        let mut chars = value.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let code = u32::from(c);
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let (marker, digits) = if code <= 0xFF {
                            ('x', 2)
                        } else if code <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(marker);
                        for k in (0..digits).rev() {
                            let digit = (code >> (4 * k)) & 0xF;
                            self.put(
                                char::from_digit(digit, 16)
                                    .unwrap_or('0')
                                    .to_ascii_uppercase(),
                            );
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                let inside = i > 0 && i + 1 < value.len();
                if allow_breaks && !spaces && self.column > self.options.width && inside {
                    self.write_indent();
                    if next == Some(' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_block_hints(&mut self, value: &str) {
        let mut chars = value.chars();
        if chars.next().is_some_and(|c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let mut rev = value.chars().rev();
        let chomp = match (rev.next(), rev.next()) {
            (None, _) => Some("-"),
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(before)) if is_break(before) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        self.write_block_hints(value);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }

    /// A folded block, as go-yaml writes it: a line break that follows text is written
    /// twice unless the value starts with a blank, a line break or nothing (go-yaml looks
    /// for the next non-break character from the start of the value, not from the break).
    fn write_folded(&mut self, value: &str) {
        self.write_indicator(">", true, false, false);
        self.write_block_hints(value);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let doubled = value
            .trim_start_matches(is_break)
            .chars()
            .next()
            .is_some_and(|c| !is_blankz(c));
        let (mut breaks, mut leading_spaces) = (true, true);
        let mut chars = value.chars().peekable();
        while let Some(c) = chars.next() {
            if is_break(c) {
                if !breaks && !leading_spaces && c == '\n' && doubled {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                    leading_spaces = is_blank(c);
                }
                let next_is_space = chars.peek() == Some(&' ');
                if !breaks && c == ' ' && !next_is_space && self.column > self.options.width {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// Whether a key can be written without `? `: a single-line scalar of at most 128 bytes, an
/// alias, or an empty collection.
fn is_simple_key(key: &Node, tabs_in_blocks: bool) -> bool {
    match key.content() {
        Node::Scalar(text, _) => !analyze(text, tabs_in_blocks).multiline && text.len() <= 128,
        Node::Sequence(items) | Node::FlowSequence(items) => items.is_empty(),
        Node::Mapping(pairs) | Node::FlowMapping(pairs) => pairs.is_empty(),
        Node::Alias(_) => true,
        Node::Decorated(_) => false,
    }
}

/// The head and foot comments of an entry (a sequence item or a mapping key).
fn comments_of(node: &Node) -> (&[String], &[String]) {
    match node {
        Node::Decorated(d) => (&d.head, &d.foot),
        _ => (&[], &[]),
    }
}
