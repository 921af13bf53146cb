//! Reading the first YAML document into a node graph, as go-yaml v2's parser does.
//!
//! Events come from libyaml-safer, a port of the same libyaml that go-yaml v2 ports, so the
//! documents it accepts and the problems it reports (`did not find expected key`) are the
//! ones Helm reports. What go-yaml adds on top is reproduced here: anchors are registered
//! when their node starts (an alias to a later anchor is `unknown anchor 'x' referenced`),
//! nesting deeper than 10000 levels fails, and the line in an error message follows
//! go-yaml's quirk: a scanner problem prints the 1-based line of its mark, a parser problem
//! the 0-based one, and a mark on the first line prints no line at all.

use std::collections::HashMap;

use libyaml_safer::{Error as LibError, ErrorKind, EventData, MappingStyle, Parser, SequenceStyle};

/// go-yaml's limit on nested flow collections and on block indentation levels.
const MAX_DEPTH: usize = 10000;

/// A node of the document graph. Aliases point at the node they repeat, so a document
/// with many aliases stays small until it is decoded.
#[derive(Debug)]
pub(crate) enum Node {
    Scalar {
        value: String,
        /// The resolved tag (`tag:yaml.org,2002:int`, `!custom`), empty when absent.
        tag: String,
        /// Plain and untagged (or tagged `!`): its type comes from its text.
        implicit: bool,
    },
    Sequence(Vec<usize>),
    /// Keys and values alternate.
    Mapping(Vec<usize>),
    Alias {
        name: String,
        target: usize,
    },
}

/// The first document of a stream.
#[derive(Debug)]
pub(crate) struct Document {
    pub(crate) nodes: Vec<Node>,
    pub(crate) root: usize,
    /// Per node: an alias may decode it again (it is anchored, or inside an anchored
    /// collection), so its text must be copied rather than moved out when decoding.
    pub(crate) shared: Vec<bool>,
}

/// A go-yaml error message, `yaml: ` prefix included.
pub(crate) type Message = String;

/// Parses the first document of `text`. `Ok(None)` when the stream holds no document (an
/// empty or comment-only text).
pub(crate) fn first_document(text: &str) -> Result<Option<Document>, Message> {
    // A backslash escape cut off by the end of the input makes libyaml-safer panic; go-yaml
    // reads the NUL padding after its buffer as the escape character and reports `found
    // unknown escape character` at the backslash. Any other character that is not an escape
    // gets the same report at the same place.
    if text.ends_with('\\')
        && let Err(e) = compose(&format!("{text}q"))
        && e.ends_with("found unknown escape character")
    {
        return Err(e);
    }
    compose(text)
}

fn compose(text: &str) -> Result<Option<Document>, Message> {
    // The input is UTF-8. Saying so keeps libyaml-safer from sniffing the first bytes, where
    // it mistakes any character from U+F000 to U+FFFF for a broken byte order mark; a real
    // one is dropped here, as the reader would drop it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Bytes that are not UTF-8 (kept as escapes in the value model) go back to being bytes,
    // so the reader rejects them with go-yaml's messages, as Helm does.
    let bytes = crate::value::gostring::to_go_bytes(text);
    let mut input: &[u8] = &bytes;
    let mut parser = Parser::new();
    parser.set_encoding(libyaml_safer::Encoding::Utf8);
    parser.set_input_string(&mut input);
    Composer {
        parser: &mut parser,
        nodes: Vec::new(),
        shared: Vec::new(),
        anchors: HashMap::new(),
        anchored_depth: 0,
    }
    .document()
}

struct Composer<'p, 'r, 'b> {
    parser: &'p mut Parser<&'b mut &'r [u8]>,
    nodes: Vec<Node>,
    shared: Vec<bool>,
    anchors: HashMap<String, usize>,
    /// How many anchored collections are open around the current node.
    anchored_depth: usize,
}

/// An open collection and how it counts towards go-yaml's depth limits.
struct Open {
    node: usize,
    flow: bool,
    anchored: bool,
}

/// The parser's next event, or go-yaml's message for the problem.
pub(crate) fn next_event(parser: &mut Parser<&mut &[u8]>) -> Result<libyaml_safer::Event, Message> {
    // libyaml-safer asserts its own invariants with panics; a document that trips one is
    // reported as unparsable instead of taking the process down.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse())) {
        Ok(Ok(event)) => Ok(event),
        Ok(Err(e)) => Err(message(&e)),
        Err(_) => Err("yaml: unknown problem parsing YAML content".to_string()),
    }
}

impl Composer<'_, '_, '_> {
    fn next(&mut self) -> Result<libyaml_safer::Event, Message> {
        next_event(self.parser)
    }

    fn document(mut self) -> Result<Option<Document>, Message> {
        loop {
            let event = self.next()?;
            match event.data {
                EventData::StreamStart { .. } => {}
                EventData::StreamEnd => return Ok(None),
                EventData::DocumentStart { .. } => break,
                _ => return Err("yaml: unknown problem parsing YAML content".to_string()),
            }
        }
        let root = self.content()?;
        // go-yaml reads the document end before it returns the document, so a problem in
        // the tokens right after the content still fails.
        let event = self.next()?;
        if !matches!(event.data, EventData::DocumentEnd { .. }) {
            return Err("yaml: did not find expected <document end>".to_string());
        }
        Ok(Some(Document {
            nodes: self.nodes,
            root,
            shared: self.shared,
        }))
    }

    fn add(&mut self, node: Node, anchor: Option<String>) -> usize {
        let id = self.nodes.len();
        self.nodes.push(node);
        self.shared
            .push(anchor.is_some() || self.anchored_depth > 0);
        if let Some(a) = anchor {
            self.anchors.insert(a, id);
        }
        id
    }

    /// Reads one node (with everything nested in it) and returns its index.
    fn content(&mut self) -> Result<usize, Message> {
        let mut stack: Vec<Open> = Vec::new();
        let (mut flow_depth, mut block_depth) = (0usize, 0usize);
        loop {
            let event = self.next()?;
            let line = event.start_mark.line;
            let finished = match event.data {
                EventData::Scalar {
                    anchor,
                    tag,
                    value,
                    plain_implicit,
                    ..
                } => {
                    let tag = tag.unwrap_or_default();
                    let implicit = plain_implicit;
                    let id = self.add(
                        Node::Scalar {
                            value,
                            tag,
                            implicit,
                        },
                        anchor,
                    );
                    Some(id)
                }
                EventData::Alias { anchor } => {
                    let Some(&target) = self.anchors.get(&anchor) else {
                        return Err(format!("yaml: unknown anchor '{anchor}' referenced"));
                    };
                    Some(self.add(
                        Node::Alias {
                            name: anchor,
                            target,
                        },
                        None,
                    ))
                }
                EventData::SequenceStart { anchor, style, .. } => {
                    let flow = style == SequenceStyle::Flow;
                    let anchored = anchor.is_some();
                    let id = self.add(Node::Sequence(Vec::new()), anchor);
                    let open = Open {
                        node: id,
                        flow,
                        anchored,
                    };
                    self.open(&mut stack, open, &mut flow_depth, &mut block_depth, line)?;
                    None
                }
                EventData::MappingStart { anchor, style, .. } => {
                    let flow = style == MappingStyle::Flow;
                    let anchored = anchor.is_some();
                    let id = self.add(Node::Mapping(Vec::new()), anchor);
                    let open = Open {
                        node: id,
                        flow,
                        anchored,
                    };
                    self.open(&mut stack, open, &mut flow_depth, &mut block_depth, line)?;
                    None
                }
                EventData::SequenceEnd | EventData::MappingEnd => {
                    let Some(open) = stack.pop() else {
                        return Err("yaml: unknown problem parsing YAML content".to_string());
                    };
                    if open.flow {
                        flow_depth -= 1;
                    } else {
                        block_depth -= 1;
                    }
                    if open.anchored {
                        self.anchored_depth -= 1;
                    }
                    Some(open.node)
                }
                _ => return Err("yaml: unknown problem parsing YAML content".to_string()),
            };
            let Some(id) = finished else { continue };
            let Some(parent) = stack.last() else {
                return Ok(id);
            };
            match self.nodes.get_mut(parent.node) {
                Some(Node::Sequence(children) | Node::Mapping(children)) => children.push(id),
                _ => return Err("yaml: unknown problem parsing YAML content".to_string()),
            }
        }
    }

    fn open(
        &mut self,
        stack: &mut Vec<Open>,
        open: Open,
        flow_depth: &mut usize,
        block_depth: &mut usize,
        line: u64,
    ) -> Result<(), Message> {
        let depth = if open.flow { flow_depth } else { block_depth };
        *depth += 1;
        if *depth > MAX_DEPTH {
            // go-yaml's scanner refuses the collection that goes one level too deep; as a
            // scanner error its line is printed 1-based.
            return Err(if line == 0 {
                format!("yaml: exceeded max depth of {MAX_DEPTH}")
            } else {
                format!("yaml: line {}: exceeded max depth of {MAX_DEPTH}", line + 1)
            });
        }
        if open.anchored {
            self.anchored_depth += 1;
        }
        stack.push(open);
        Ok(())
    }
}

/// go-yaml v2's `parser.fail` message for a libyaml problem.
fn message(e: &LibError) -> Message {
    let problem_line = e.problem_mark().map_or(0, |m| m.line);
    let context_line = e.context_mark().map_or(0, |m| m.line);
    let line = if problem_line != 0 {
        if e.kind() == ErrorKind::Scanner {
            problem_line + 1
        } else {
            problem_line
        }
    } else {
        context_line
    };
    let problem = e.problem();
    let problem = if problem.is_empty() {
        "unknown problem parsing YAML content"
    } else {
        problem
    };
    if line == 0 {
        format!("yaml: {problem}")
    } else {
        format!("yaml: line {line}: {problem}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match first_document(text) {
            Err(e) => e,
            Ok(d) => panic!("expected an error for {text:?}, got {d:?}"),
        }
    }

    #[test]
    fn error_lines_follow_go_yaml() {
        assert_eq!(
            err("a:\n  b: 1\n c: 2\n"),
            "yaml: line 2: did not find expected key"
        );
        assert_eq!(
            err("a:\n\tb: 1\n"),
            "yaml: line 2: found character that cannot start any token"
        );
        assert_eq!(
            err("a: \"abc\nb: 2\n"),
            "yaml: line 3: found unexpected end of stream"
        );
        assert_eq!(
            err("a: b: c\n"),
            "yaml: mapping values are not allowed in this context"
        );
        assert_eq!(err("a: *nope\n"), "yaml: unknown anchor 'nope' referenced");
        assert_eq!(
            err("a: ["),
            "yaml: line 1: did not find expected node content"
        );
    }

    #[test]
    fn empty_streams_have_no_document() {
        assert!(matches!(first_document(""), Ok(None)));
        assert!(matches!(first_document("# only\n"), Ok(None)));
        assert!(matches!(first_document("---\n"), Ok(Some(_))));
    }
}
