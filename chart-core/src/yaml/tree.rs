//! YAML documents read and written back the way Helm 4 does around a post-renderer, through
//! kustomize's kyaml (go-yaml v3 nodes with compact sequences): every document of a stream
//! becomes a node tree that keeps scalar styles, flow collections, anchors, explicit tags
//! and comments, and is written again with two-space indentation, no folding and blank
//! lines dropped.
//!
//! Comments follow go-yaml v3's three kinds: a head comment is on the lines before an entry
//! (a mapping pair or a sequence item), a line comment ends the line of a node, and a foot
//! comment follows an entry. The comment lines between two entries are split into groups at
//! blank lines and where a comment starts left of the one before it. The last group is the
//! next entry's head when it touches that entry and is not indented deeper than it; every
//! other group is a foot comment of the entry just finished or of one of its last
//! descendants: the deepest whose column is not right of the comment. At the end of a
//! document, a group after a blank line ends the document instead. When written, a blank
//! line separates an entry's foot comment from the next entry, blank lines inside a run of
//! head comments become one, and all other blank lines are dropped. Comments inside flow
//! collections and on a block scalar's header line are dropped.

use libyaml_safer::{Comment, EventData, MappingStyle, Parser, ScalarStyle, SequenceStyle};

use super::emit::{self, Decorated, Style, Text};

/// A position in the text: byte offset, 0-based line and column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Pos {
    index: u64,
    line: u64,
    column: u64,
}

impl From<libyaml_safer::Mark> for Pos {
    fn from(m: libyaml_safer::Mark) -> Pos {
        Pos {
            index: m.index,
            line: m.line,
            column: m.column,
        }
    }
}

/// A parsed node.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    anchor: Option<String>,
    tag: Option<String>,
    head: Vec<String>,
    line: Option<String>,
    foot: Vec<String>,
    start: Pos,
    end: Pos,
}

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Scalar {
        value: String,
        style: Style,
    },
    Sequence {
        items: Vec<Node>,
        flow: bool,
    },
    Mapping {
        pairs: Vec<(Node, Node)>,
        flow: bool,
    },
    Alias(String),
}

impl Node {
    fn new(kind: Kind) -> Node {
        Node {
            kind,
            anchor: None,
            tag: None,
            head: Vec::new(),
            line: None,
            foot: Vec::new(),
            start: Pos::default(),
            end: Pos::default(),
        }
    }

    /// A plain scalar.
    pub(crate) fn plain(value: &str) -> Node {
        Node::new(Kind::Scalar {
            value: value.to_string(),
            style: Style::Plain,
        })
    }

    /// A single-quoted scalar (kyaml writes the values it sets this way).
    pub(crate) fn single_quoted(value: &str) -> Node {
        Node::new(Kind::Scalar {
            value: value.to_string(),
            style: Style::SingleQuoted,
        })
    }

    /// go-yaml v3's name for the node's kind.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Scalar { .. } => "ScalarNode",
            Kind::Sequence { .. } => "SequenceNode",
            Kind::Mapping { .. } => "MappingNode",
            Kind::Alias(_) => "AliasNode",
        }
    }

    /// The scalar's text.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The value of `key` in a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Mapping { pairs, .. } => pairs
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The pairs of a mapping, to change them.
    pub(crate) fn pairs_mut(&mut self) -> Option<&mut Vec<(Node, Node)>> {
        match &mut self.kind {
            Kind::Mapping { pairs, .. } => Some(pairs),
            _ => None,
        }
    }

    /// Whether this is a flow collection.
    pub(crate) fn is_flow(&self) -> bool {
        matches!(
            self.kind,
            Kind::Sequence { flow: true, .. } | Kind::Mapping { flow: true, .. }
        )
    }

    /// An empty mapping, in flow style when `flow`.
    pub(crate) fn mapping(flow: bool) -> Node {
        Node::new(Kind::Mapping {
            pairs: Vec::new(),
            flow,
        })
    }

    /// Whether a document with this root holds nothing (an empty or comment-only document).
    fn is_empty_document(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { value, style: Style::Plain } if value.is_empty())
            && self.tag.is_none()
            && self.anchor.is_none()
    }

    fn to_emit(&self) -> emit::Node {
        let node = match &self.kind {
            Kind::Scalar { value, style } => emit::Node::Scalar(Text::Owned(value.clone()), *style),
            Kind::Sequence { items, flow } => {
                let items = items.iter().map(Node::to_emit).collect();
                if *flow {
                    emit::Node::FlowSequence(items)
                } else {
                    emit::Node::Sequence(items)
                }
            }
            Kind::Mapping { pairs, flow } => {
                let pairs = pairs
                    .iter()
                    .map(|(k, v)| (k.to_emit(), v.to_emit()))
                    .collect();
                if *flow {
                    emit::Node::FlowMapping(pairs)
                } else {
                    emit::Node::Mapping(pairs)
                }
            }
            Kind::Alias(name) => emit::Node::Alias(name.clone()),
        };
        if self.anchor.is_none()
            && self.tag.is_none()
            && self.head.is_empty()
            && self.line.is_none()
            && self.foot.is_empty()
        {
            return node;
        }
        emit::Node::Decorated(Box::new(Decorated {
            node,
            anchor: self.anchor.clone(),
            tag: self.tag.clone(),
            head: self.head.clone(),
            line: self.line.clone(),
            foot: self.foot.clone(),
        }))
    }

    /// The node written as kyaml writes a document.
    pub(crate) fn to_yaml(&self) -> String {
        emit::emit(&self.to_emit(), emit::KYAML)
    }
}

/// Reads every document of `text`, dropping empty and comment-only ones. The error is
/// go-yaml's message (`yaml: line 1: did not find expected node content`).
pub(crate) fn parse_documents(text: &str) -> Result<Vec<Node>, String> {
    // Bytes that are not UTF-8 (kept as escapes in the value model) go back to being bytes,
    // so that the reader rejects them with go-yaml's messages.
    let bytes = crate::value::gostring::to_go_bytes(text);
    let mut input: &[u8] = &bytes;
    let mut parser = Parser::new();
    parser.set_encoding(libyaml_safer::Encoding::Utf8);
    parser.set_input_string(&mut input);
    parser.keep_comments();
    let docs = Builder {
        parser: &mut parser,
    }
    .documents()?;
    let mut cursor = Comments {
        all: parser.take_comments(),
        next: 0,
    };
    let mut out = Vec::new();
    let bounds: Vec<u64> = docs.iter().skip(1).map(|(_, start)| start.index).collect();
    for (i, (mut root, _)) in docs.into_iter().enumerate() {
        let end = bounds.get(i).copied().unwrap_or(u64::MAX);
        attach_document(&mut root, &mut cursor, end, &bytes);
        if !root.is_empty_document() {
            out.push(root);
        }
    }
    Ok(out)
}

struct Builder<'p, 'r, 'b> {
    parser: &'p mut Parser<&'b mut &'r [u8]>,
}

impl Builder<'_, '_, '_> {
    fn next(&mut self) -> Result<libyaml_safer::Event, String> {
        super::parse::next_event(self.parser)
    }

    /// Every document's root and where the document starts.
    fn documents(&mut self) -> Result<Vec<(Node, Pos)>, String> {
        let mut docs = Vec::new();
        loop {
            let event = self.next()?;
            match event.data {
                EventData::StreamStart { .. } => {}
                EventData::StreamEnd => return Ok(docs),
                EventData::DocumentStart { .. } => {
                    let start = Pos::from(event.start_mark);
                    let root = self.node()?;
                    let end = self.next()?;
                    if !matches!(end.data, EventData::DocumentEnd { .. }) {
                        return Err("yaml: did not find expected <document end>".to_string());
                    }
                    docs.push((root, start));
                }
                _ => return Err("yaml: unknown problem parsing YAML content".to_string()),
            }
        }
    }

    fn node(&mut self) -> Result<Node, String> {
        let event = self.next()?;
        self.node_from(event)
    }

    fn node_from(&mut self, event: libyaml_safer::Event) -> Result<Node, String> {
        let (start, end) = (Pos::from(event.start_mark), event.end_mark);
        let (kind, anchor, tag, end) = match event.data {
            EventData::Scalar {
                anchor,
                tag,
                value,
                style,
                ..
            } => {
                let style = match style {
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                    // go-yaml v3 writes a plain scalar holding a line break as a literal.
                    _ if value.contains('\n') => Style::Literal,
                    _ => Style::Plain,
                };
                (Kind::Scalar { value, style }, anchor, tag, end)
            }
            EventData::Alias { anchor } => (Kind::Alias(anchor), None, None, end),
            EventData::SequenceStart {
                anchor, tag, style, ..
            } => {
                let mut items = Vec::new();
                let end = loop {
                    let event = self.next()?;
                    if matches!(event.data, EventData::SequenceEnd) {
                        break event.end_mark;
                    }
                    items.push(super::deep(|| self.node_from(event))?);
                };
                let flow = style == SequenceStyle::Flow;
                (Kind::Sequence { items, flow }, anchor, tag, end)
            }
            EventData::MappingStart {
                anchor, tag, style, ..
            } => {
                let mut pairs = Vec::new();
                let end = loop {
                    let event = self.next()?;
                    if matches!(event.data, EventData::MappingEnd) {
                        break event.end_mark;
                    }
                    let key = super::deep(|| self.node_from(event))?;
                    let value = super::deep(|| self.node())?;
                    pairs.push((key, value));
                };
                let flow = style == MappingStyle::Flow;
                (Kind::Mapping { pairs, flow }, anchor, tag, end)
            }
            _ => return Err("yaml: unknown problem parsing YAML content".to_string()),
        };
        let mut node = Node::new(kind);
        node.anchor = anchor;
        node.tag = tag.map(|t| super::resolve::short_tag(&t));
        node.start = start;
        node.end = end.into();
        Ok(node)
    }
}

/// The comments of the stream, consumed in order.
struct Comments {
    all: Vec<Comment>,
    next: usize,
}

impl Comments {
    /// Takes the comments that start before `index`.
    fn take_before(&mut self, index: u64) -> Vec<Comment> {
        let from = self.next;
        while self.next < self.all.len() && self.all[self.next].mark.index < index {
            self.next += 1;
        }
        self.all[from..self.next].to_vec()
    }

    /// Takes the next comment if it is on `line` and starts before `index`.
    fn take_on_line(&mut self, line: u64, index: u64) -> Option<String> {
        let c = self.all.get(self.next)?;
        if c.mark.line == line && c.mark.index < index {
            self.next += 1;
            return Some(c.text.trim_end().to_string());
        }
        None
    }
}

/// Comment lines with a blank line (an empty string) wherever the source has one or more.
fn with_blank_lines(comments: &[Comment], mut previous_line: Option<u64>) -> Vec<String> {
    let mut lines = Vec::new();
    for c in comments {
        if previous_line.is_some_and(|p| c.mark.line > p + 1) {
            lines.push(String::new());
        }
        lines.push(c.text.trim_end().to_string());
        previous_line = Some(c.mark.line);
    }
    lines
}

fn attach_document(root: &mut Node, comments: &mut Comments, end: u64, src: &[u8]) {
    let head = comments.take_before(root.start.index);
    root.head = with_blank_lines(&head, None);
    attach(root, comments, src);
    let rest = comments.take_before(end);
    let (feet, _) = split_gap(&rest, None, root.last_line());
    for (column, lines) in feet {
        // After a blank line, the comments end the document rather than its last entry.
        let after_blank = lines.first().is_some_and(String::is_empty);
        match entry_count(root).filter(|_| !after_blank) {
            Some(n) => {
                let depth = foot_depth(root, n - 1, column);
                foot_at(root, n - 1, depth).extend(lines);
            }
            None => root.foot.extend(lines),
        }
    }
}

impl Node {
    /// The last line with content of the node: a block collection's end mark lies at
    /// whatever follows it, comments included.
    fn last_line(&self) -> u64 {
        match &self.kind {
            Kind::Mapping { pairs, flow: false } => {
                pairs.last().map_or(self.end_line(), |(_, v)| v.last_line())
            }
            Kind::Sequence { items, flow: false } => {
                items.last().map_or(self.end_line(), Node::last_line)
            }
            _ => self.end_line(),
        }
    }

    /// The line of the node's last character.
    fn end_line(&self) -> u64 {
        // A block collection or block scalar ends at the start of the line after it.
        if self.end.column == 0 && self.end.line > self.start.line {
            self.end.line - 1
        } else {
            self.end.line
        }
    }
}

/// How many entries a non-empty block collection has.
fn entry_count(node: &Node) -> Option<usize> {
    match &node.kind {
        Kind::Mapping { pairs, flow: false } if !pairs.is_empty() => Some(pairs.len()),
        Kind::Sequence { items, flow: false } if !items.is_empty() => Some(items.len()),
        _ => None,
    }
}

/// How far down the chain of last entries, from entry `index` of `container`, a foot comment
/// at `column` goes: to the deepest entry whose column is not right of the comment.
fn foot_depth(container: &Node, index: usize, column: u64) -> usize {
    let inner = match &container.kind {
        Kind::Mapping { pairs, .. } => pairs.get(index).map(|(_, v)| v),
        Kind::Sequence { items, .. } => items.get(index),
        _ => None,
    };
    match inner {
        Some(inner) if inner.start.column <= column => match entry_count(inner) {
            Some(n) => 1 + foot_depth(inner, n - 1, column),
            None => 0,
        },
        _ => 0,
    }
}

/// The foot comments of the entry `depth` levels down the chain of last entries.
fn foot_at(container: &mut Node, index: usize, depth: usize) -> &mut Vec<String> {
    match &mut container.kind {
        Kind::Mapping { pairs, .. } => {
            let (key, value) = &mut pairs[index];
            if depth == 0 {
                return &mut key.foot;
            }
            let n = entry_count(value).unwrap_or(1);
            foot_at(value, n - 1, depth - 1)
        }
        Kind::Sequence { items, .. } => {
            let item = &mut items[index];
            if depth == 0 {
                return &mut item.foot;
            }
            let n = entry_count(item).unwrap_or(1);
            foot_at(item, n - 1, depth - 1)
        }
        _ => &mut container.foot,
    }
}

/// Splits the comment lines between two entries into foot groups (with their column) and the
/// next entry's head. Groups end at blank lines and where a comment starts left of the one
/// before it; a blank line before a foot group is kept as an empty line.
fn split_gap(
    gap: &[Comment],
    next: Option<(u64, u64)>,
    previous_line: u64,
) -> (Vec<(u64, Vec<String>)>, Vec<String>) {
    let mut groups: Vec<(u64, Vec<String>)> = Vec::new();
    let mut last: Option<&Comment> = None;
    for c in gap {
        let line_before = last.map_or(previous_line, |l| l.mark.line);
        let blank = c.mark.line > line_before + 1;
        let starts_group = match last {
            None => true,
            Some(l) => blank || c.mark.column < l.mark.column,
        };
        if starts_group {
            let mut lines = Vec::new();
            if blank {
                lines.push(String::new());
            }
            groups.push((c.mark.column, lines));
        }
        if let Some((_, lines)) = groups.last_mut() {
            lines.push(c.text.trim_end().to_string());
        }
        last = Some(c);
    }
    let mut head = Vec::new();
    // The last group is the next entry's head when it touches that entry and is not
    // indented deeper than it.
    if let (Some(l), Some((next_line, next_column))) = (last, next)
        && next_line == l.mark.line + 1
        && groups
            .last()
            .is_some_and(|(column, _)| *column <= next_column)
        && let Some((_, mut lines)) = groups.pop()
    {
        if lines.first().is_some_and(String::is_empty) {
            lines.remove(0);
        }
        head = lines;
    }
    (groups, head)
}

/// Whether the comment is the first thing after a sequence's `-` on its line.
fn follows_dash(c: &Comment, src: &[u8]) -> bool {
    let at = usize::try_from(c.mark.index)
        .unwrap_or(usize::MAX)
        .min(src.len());
    let line_start = src[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    src[line_start..at].trim_ascii() == b"-"
}

/// Attaches the comments inside `node` and the line comment right after it.
fn attach(node: &mut Node, comments: &mut Comments, src: &[u8]) {
    let end_line = node.end_line();
    match &mut node.kind {
        Kind::Scalar { style, .. } => {
            if !matches!(style, Style::Literal | Style::Folded) {
                node.line = comments.take_on_line(end_line, u64::MAX);
            }
        }
        Kind::Alias(_) => node.line = comments.take_on_line(end_line, u64::MAX),
        Kind::Sequence { flow: true, .. } | Kind::Mapping { flow: true, .. } => {
            // Comments inside a flow collection are dropped.
            comments.take_before(node.end.index);
            node.line = comments.take_on_line(end_line, u64::MAX);
        }
        Kind::Mapping { .. } => {
            let n = entry_count(node).unwrap_or(0);
            for i in 0..n {
                let key_start = match &node.kind {
                    Kind::Mapping { pairs, .. } => pairs[i].0.start,
                    _ => break,
                };
                let gap = comments.take_before(key_start.index);
                place_gap(node, i, &gap, key_start);
                let Some(pairs) = node.pairs_mut() else { break };
                let (key, value) = &mut pairs[i];
                if entry_count(value).is_some() && value.start.line > key.end.line {
                    value.line = comments.take_on_line(key.end.line, value.start.index);
                }
                attach(value, comments, src);
            }
        }
        Kind::Sequence { .. } => {
            let n = entry_count(node).unwrap_or(0);
            for i in 0..n {
                let item_start = match &node.kind {
                    Kind::Sequence { items, .. } => items[i].start,
                    _ => break,
                };
                let mut gap = comments.take_before(item_start.index);
                let dash_comment = gap.last().filter(|c| follows_dash(c, src)).cloned();
                if dash_comment.is_some() {
                    gap.pop();
                }
                place_gap(node, i, &gap, item_start);
                if let Kind::Sequence { items, .. } = &mut node.kind {
                    let item = &mut items[i];
                    if let Some(c) = dash_comment {
                        item.line = Some(c.text.trim_end().to_string());
                    }
                    attach(item, comments, src);
                }
            }
        }
    }
}

/// Places the comments before entry `index` of a block collection: foot comments of the
/// entries before it, and its own head.
fn place_gap(container: &mut Node, index: usize, gap: &[Comment], next: Pos) {
    if gap.is_empty() {
        return;
    }
    let head = if index == 0 {
        with_blank_lines(gap, None)
    } else {
        let previous_line = match &container.kind {
            Kind::Mapping { pairs, .. } => pairs[index - 1].1.last_line(),
            Kind::Sequence { items, .. } => items[index - 1].last_line(),
            _ => 0,
        };
        let next_column = match &container.kind {
            // A sequence's items start at its dashes.
            Kind::Sequence { .. } => container.start.column,
            _ => next.column,
        };
        let (feet, head) = split_gap(gap, Some((next.line, next_column)), previous_line);
        for (column, lines) in feet {
            let depth = if container.start.column <= column {
                foot_depth(container, index - 1, column)
            } else {
                0
            };
            foot_at(container, index - 1, depth).extend(lines);
        }
        head
    };
    match &mut container.kind {
        Kind::Mapping { pairs, .. } => pairs[index].0.head = head,
        Kind::Sequence { items, .. } => items[index].head = head,
        _ => {}
    }
}

/// Writes documents as kyaml's `kio.StringAll` does: each as go-yaml v3 writes it, joined
/// by `---` lines.
pub(crate) fn write_documents(docs: &[Node]) -> String {
    let mut out = String::new();
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&write_document(doc));
    }
    out
}

/// One document: its head comments, the root, its foot comments.
pub(crate) fn write_document(root: &Node) -> String {
    let mut out = String::new();
    for line in &root.head {
        out.push_str(line);
        out.push('\n');
    }
    let mut bare = root.clone();
    bare.head.clear();
    let foot = std::mem::take(&mut bare.foot);
    out.push_str(&bare.to_yaml());
    for line in &foot {
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        let docs = parse_documents(text).expect("parses");
        write_documents(&docs)
    }

    #[test]
    fn styles_survive_and_layout_is_kyamls() {
        let text = "a:   'single'\nb: \"double\"\nc: [x, \"y\"]\nd: {k: v}\nseq:\n    -   one\n    - two\n\
                    lit: |\n  x\n  y\nfold: >\n  folded\n  text\nplain: multi\n  line\nempty:\ntag: !!str 1\nanchor: &a v\nalias: *a\n";
        assert_eq!(
            round_trip(text),
            "a: 'single'\nb: \"double\"\nc: [x, \"y\"]\nd: {k: v}\nseq:\n- one\n- two\n\
             lit: |\n  x\n  y\nfold: >\n  folded text\n\nplain: multi line\nempty:\ntag: !!str 1\nanchor: &a v\nalias: *a\n"
        );
    }

    #[test]
    fn comments_are_placed_as_go_yaml_v3_places_them() {
        let text = "# top\n\n\n# more\na: 1  # line\n\n# head of b\nb:\n  c: 1\n  # foot of c\n# head of d\nd: # after key\n  - # after dash\n    e: 1\n\n# end\n";
        assert_eq!(
            round_trip(text),
            "# top\n\n# more\na: 1 # line\n# head of b\nb:\n  c: 1\n  # foot of c\n# head of d\nd: # after key\n- # after dash\n  e: 1\n\n# end\n"
        );
    }

    #[test]
    fn empty_and_comment_only_documents_are_dropped() {
        assert_eq!(round_trip("---\n# nothing\n---\na: 1\n---\n"), "a: 1\n");
        assert!(parse_documents("").expect("parses").is_empty());
    }
}
