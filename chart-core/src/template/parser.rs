//! Parsing: items into trees, with Go's `text/template/parse` grammar and error texts.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::ast::{Arg, Branch, Callee, Command, Node, Number, Pipe, Pos, SourceText, Tree};
use super::error::ParseError;
use super::lexer::{Item, ItemKind, LexOptions, Lexer};
use crate::value::Key;

/// Go's limit on nested parentheses (`maxStackDepth`), which keeps deep input from
/// exhausting the stack.
const MAX_PAREN_DEPTH: usize = 10000;

/// Resolves a function name at parse time (Go checks that every function exists while parsing).
pub(crate) type Resolver<'a> = &'a dyn Fn(&str) -> Option<Callee>;

/// Parses one source text (a file or a `tpl` string) named `name`. Returns every template it
/// defines, the top-level one included, keyed by name, in Go's `treeSet` semantics.
pub(crate) fn parse(
    name: &str,
    text: &str,
    resolve: Resolver<'_>,
) -> Result<HashMap<String, Tree>, ParseError> {
    parse_source(name, text, SourceText::copy_of(text), resolve)
}

/// [`parse`], with the trees holding `shared` (the same text as `source`) instead of a copy.
pub(crate) fn parse_source(
    name: &str,
    source: &str,
    shared: SourceText,
    resolve: Resolver<'_>,
) -> Result<HashMap<String, Tree>, ParseError> {
    debug_assert_eq!(source.as_bytes(), shared.as_bytes());
    let text = shared;
    let parse_name: Arc<str> = Arc::from(name);
    if let Err(message) = check_positions_fit(source.len()) {
        return Err(ParseError {
            name: name.to_string(),
            line: 1,
            message,
            source: None,
        });
    }
    let lexer = Lexer::new(
        source,
        LexOptions {
            break_ok: resolve("break").is_none(),
            continue_ok: resolve("continue").is_none(),
        },
    );
    let mut p = Parser {
        lexer,
        idx: 0,
        furthest: 0,
        vars: vec!["$"],
        vars_base: 0,
        nodes: Vec::with_capacity(32),
        cmds: Vec::with_capacity(8),
        args: Vec::with_capacity(16),
        range_depth: 0,
        action_line: 0,
        paren_depth: 0,
        parse_name: parse_name.clone(),
        text: text.clone(),
        resolve,
        tree_set: HashMap::new(),
        keys: HashMap::default(),
    };
    let root = p.parse_top()?;
    let tree = Tree {
        name: name.to_string(),
        parse_name,
        text,
        root,
    };
    p.add(tree)?;
    Ok(p.tree_set)
}

/// Positions are `u32`s (see [`Pos`]): a text of 4 GiB or more is refused before lexing.
fn check_positions_fit(len: usize) -> Result<(), String> {
    match Pos::try_from(len) {
        Ok(_) => Ok(()),
        Err(_) => Err(format!("template of {len} bytes is too large")),
    }
}

struct Parser<'t, 'r> {
    lexer: Lexer<'t>,
    idx: usize,
    furthest: usize,
    /// The variables in scope, innermost last. Those of the template being parsed (a
    /// `define` or `block` body starts afresh with only `$`) begin at `vars_base`.
    vars: Vec<&'t str>,
    vars_base: usize,
    /// Scratch stacks for the node lists, pipeline commands and command arguments being
    /// built: each list collects on top of its stack and leaves it as one exactly sized
    /// `Vec`, so that building a tree reallocates nothing. Nested lists stack above the
    /// list that contains them and are taken off before it continues.
    nodes: Vec<Node>,
    cmds: Vec<Command>,
    args: Vec<Arg>,
    range_depth: usize,
    action_line: usize,
    paren_depth: usize,
    parse_name: Arc<str>,
    text: SourceText,
    resolve: Resolver<'r>,
    tree_set: HashMap<String, Tree>,
    /// Field and variable names met so far, shared by every node that names them.
    keys: HashMap<&'t str, Key, foldhash::fast::RandomState>,
}

type PResult<T> = Result<T, ParseError>;

impl<'t> Parser<'t, '_> {
    /// An item already read (the parser reads each item through `next` or `peek` first).
    fn item(&self, i: usize) -> &Item<'t> {
        self.lexer.item(i)
    }

    /// The next item. Past the end, the final `Eof`/`Error` item repeats, as Go's lexer
    /// keeps returning it.
    fn next(&mut self) -> Item<'t> {
        self.lexer.fill(self.idx);
        let it = *self.item(self.idx);
        self.furthest = self.furthest.max(self.idx);
        self.idx += 1;
        it
    }

    fn peek(&mut self) -> Item<'t> {
        self.lexer.fill(self.idx);
        self.furthest = self.furthest.max(self.idx);
        *self.item(self.idx)
    }

    fn backup(&mut self) {
        self.idx -= 1;
    }

    fn backup_to(&mut self, idx: usize) {
        self.idx = idx;
    }

    fn next_non_space(&mut self) -> Item<'t> {
        loop {
            let it = self.next();
            if it.kind != ItemKind::Space {
                return it;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'t> {
        let it = self.next_non_space();
        self.backup();
        it
    }

    fn errorf(&self, message: String) -> ParseError {
        let it = self.item(self.furthest);
        ParseError {
            name: self.parse_name.to_string(),
            line: it.line,
            message,
            source: Some((
                self.parse_name.clone(),
                self.text.to_arc_str(),
                it.pos as usize,
            )),
        }
    }

    fn unexpected(&self, token: &Item<'_>, context: &str) -> ParseError {
        if token.kind == ItemKind::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.action_line
                );
                if self.lexer.error().ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{}{extra}", token.describe(self.lexer.error())));
        }
        self.errorf(format!(
            "unexpected {} in {context}",
            token.describe(self.lexer.error())
        ))
    }

    /// Starts the variable scope of a `define` or `block` body, where only `$` is defined.
    /// Returns what [`Parser::leave_template_scope`] restores.
    fn enter_template_scope(&mut self) -> usize {
        let saved = self.vars_base;
        self.vars_base = self.vars.len();
        self.vars.push("$");
        saved
    }

    fn leave_template_scope(&mut self, saved: usize) {
        self.vars.truncate(self.vars_base);
        self.vars_base = saved;
    }

    /// Takes the nodes collected since `mark` off the node stack.
    fn take_nodes(&mut self, mark: usize) -> Box<[Node]> {
        self.nodes.drain(mark..).collect()
    }

    fn expect(&mut self, kind: ItemKind, context: &str) -> PResult<Item<'t>> {
        let token = self.next_non_space();
        if token.kind != kind {
            return Err(self.unexpected(&token, context));
        }
        Ok(token)
    }

    /// Go's `Tree.add`: a second non-empty definition of a name in one parse is an error; an
    /// empty one never replaces a non-empty one.
    fn add(&mut self, tree: Tree) -> PResult<()> {
        match self.tree_set.get(&tree.name) {
            Some(existing) if !existing.is_empty() => {
                if !tree.is_empty() {
                    return Err(self.errorf(format!(
                        "template: multiple definition of template {}",
                        super::error::go_quote(&tree.name)
                    )));
                }
                Ok(())
            }
            _ => {
                self.tree_set.insert(tree.name.clone(), tree);
                Ok(())
            }
        }
    }

    fn parse_top(&mut self) -> PResult<Box<[Node]>> {
        let mark = self.nodes.len();
        while self.peek().kind != ItemKind::Eof {
            if self.peek().kind == ItemKind::LeftDelim {
                let delim_idx = self.idx;
                self.next();
                if self.next_non_space().kind == ItemKind::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.backup_to(delim_idx);
            }
            match self.text_or_action()? {
                Parsed::Node(n) => self.nodes.push(n),
                Parsed::End => return Err(self.errorf("unexpected {{end}}".into())),
                Parsed::Else => return Err(self.errorf("unexpected {{else}}".into())),
            }
        }
        Ok(self.take_nodes(mark))
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let token = self.next_non_space();
        if token.kind != ItemKind::String && token.kind != ItemKind::RawString {
            return Err(self.unexpected(&token, context));
        }
        let name = unquote(token.val).map_err(|e| self.errorf(e))?;
        self.expect(ItemKind::RightDelim, context)?;
        let saved_scope = self.enter_template_scope();
        let (root, end) = self.item_list()?;
        self.leave_template_scope(saved_scope);
        if !matches!(end, Parsed::End) {
            return Err(self.errorf(format!(
                "unexpected {} in {context}",
                end.describe(self.text.as_str())
            )));
        }
        let tree = Tree {
            name,
            parse_name: self.parse_name.clone(),
            text: self.text.clone(),
            root,
        };
        self.add(tree)
    }

    /// Parses nodes up to an `{{end}}` or `{{else}}`, which it returns.
    fn item_list(&mut self) -> PResult<(Box<[Node]>, Parsed)> {
        let mark = self.nodes.len();
        while self.peek_non_space().kind != ItemKind::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => self.nodes.push(n),
                end @ (Parsed::End | Parsed::Else) => {
                    return Ok((self.take_nodes(mark), end));
                }
            }
        }
        Err(self.errorf("unexpected EOF".into()))
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.kind {
            ItemKind::Text => Ok(Parsed::Node(Node::Text(
                token.pos,
                token.pos + token.val.len() as Pos,
            ))),
            ItemKind::LeftDelim => {
                self.action_line = token.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => Err(self.unexpected(&token, "input")),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.kind {
            ItemKind::Block => return self.block_control(),
            ItemKind::Break => return self.loop_control(token.pos, "break").map(Parsed::Node),
            ItemKind::Continue => {
                return self.loop_control(token.pos, "continue").map(Parsed::Node);
            }
            ItemKind::Else => return self.else_control(),
            ItemKind::End => {
                self.expect(ItemKind::RightDelim, "end")?;
                return Ok(Parsed::End);
            }
            ItemKind::If => {
                return self
                    .branch_control("if")
                    .map(|b| Parsed::Node(Node::If(Box::new(b))));
            }
            ItemKind::Range => {
                return self
                    .branch_control("range")
                    .map(|b| Parsed::Node(Node::Range(Box::new(b))));
            }
            ItemKind::Template => return self.template_control().map(Parsed::Node),
            ItemKind::With => {
                return self
                    .branch_control("with")
                    .map(|b| Parsed::Node(Node::With(Box::new(b))));
            }
            _ => {}
        }
        self.backup();
        let token = self.peek();
        let pipe = self.pipeline("command", ItemKind::RightDelim)?;
        Ok(Parsed::Node(Node::Action(token.pos, pipe)))
    }

    fn loop_control(&mut self, pos: Pos, word: &str) -> PResult<Node> {
        let token = self.next_non_space();
        if token.kind != ItemKind::RightDelim {
            return Err(self.unexpected(&token, &format!("{{{{{word}}}}}")));
        }
        if self.range_depth == 0 {
            return Err(self.errorf(format!("{{{{{word}}}}} outside {{{{range}}}}")));
        }
        Ok(if word == "break" {
            Node::Break(pos)
        } else {
            Node::Continue(pos)
        })
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek_non_space();
        if peek.kind == ItemKind::If || peek.kind == ItemKind::With {
            return Ok(Parsed::Else);
        }
        self.expect(ItemKind::RightDelim, "else")?;
        Ok(Parsed::Else)
    }

    fn branch_control(&mut self, context: &str) -> PResult<Branch> {
        let vars_mark = self.vars.len();
        let r = self.branch_control_inner(context);
        self.vars.truncate(vars_mark);
        r
    }

    fn branch_control_inner(&mut self, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, ItemKind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let listed = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = listed?;
        let mut else_list = None;
        if let Parsed::Else = next {
            if context == "if" && self.peek().kind == ItemKind::If {
                self.next();
                let inner = self.branch_control("if")?;
                else_list = Some(Box::from([Node::If(Box::new(inner))]));
            } else if context == "with" && self.peek().kind == ItemKind::With {
                self.next();
                let inner = self.branch_control("with")?;
                else_list = Some(Box::from([Node::With(Box::new(inner))]));
            } else {
                let (l, next) = self.item_list()?;
                if !matches!(next, Parsed::End) {
                    return Err(self.errorf(format!(
                        "expected end; found {}",
                        next.describe(self.text.as_str())
                    )));
                }
                else_list = Some(l);
            }
        }
        Ok(Branch {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn template_name(&mut self, token: &Item<'_>, context: &str) -> PResult<String> {
        match token.kind {
            ItemKind::String | ItemKind::RawString => {
                unquote(token.val).map_err(|e| self.errorf(e))
            }
            _ => Err(self.unexpected(token, context)),
        }
    }

    fn template_control(&mut self) -> PResult<Node> {
        let context = "template clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, context)?;
        let pipe = if self.next_non_space().kind == ItemKind::RightDelim {
            None
        } else {
            self.backup();
            Some(Box::new(self.pipeline(context, ItemKind::RightDelim)?))
        };
        Ok(Node::Template {
            pos: token.pos,
            name: name.into(),
            pipe,
        })
    }

    fn block_control(&mut self) -> PResult<Parsed> {
        let context = "block clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, context)?;
        let pipe = self.pipeline(context, ItemKind::RightDelim)?;
        let saved_scope = self.enter_template_scope();
        let listed = self.item_list();
        self.leave_template_scope(saved_scope);
        let (root, end) = listed?;
        if !matches!(end, Parsed::End) {
            return Err(self.errorf(format!(
                "unexpected {} in {context}",
                end.describe(self.text.as_str())
            )));
        }
        let tree = Tree {
            name: name.clone(),
            parse_name: self.parse_name.clone(),
            text: self.text.clone(),
            root,
        };
        self.add(tree)?;
        Ok(Parsed::Node(Node::Template {
            pos: token.pos,
            name: name.into(),
            pipe: Some(Box::new(pipe)),
        }))
    }

    fn pipeline(&mut self, context: &str, end: ItemKind) -> PResult<Pipe> {
        let pos = self.peek_non_space().pos;
        let mut is_assign = false;
        let mut decl: Vec<Box<str>> = Vec::new();
        'decls: loop {
            let v = self.peek_non_space();
            if v.kind != ItemKind::Variable {
                break;
            }
            let v_idx = {
                self.next_non_space();
                self.idx - 1
            };
            let token_after = self.peek();
            let next = self.peek_non_space();
            match next.kind {
                ItemKind::Assign | ItemKind::Declare => {
                    is_assign = next.kind == ItemKind::Assign;
                    self.next_non_space();
                    decl.push(v.val.into());
                    self.vars.push(v.val);
                }
                ItemKind::Char if next.val == "," => {
                    self.next_non_space();
                    decl.push(v.val.into());
                    self.vars.push(v.val);
                    if context == "range" && decl.len() < 2 {
                        match self.peek_non_space().kind {
                            ItemKind::Variable | ItemKind::RightDelim | ItemKind::RightParen => {
                                continue 'decls;
                            }
                            _ => {
                                return Err(
                                    self.errorf("range can only initialize variables".into())
                                );
                            }
                        }
                    }
                    return Err(self.errorf(format!("too many declarations in {context}")));
                }
                _ if token_after.kind == ItemKind::Space => self.backup_to(v_idx),
                _ => self.backup_to(v_idx),
            }
            break;
        }
        let cmds_mark = self.cmds.len();
        loop {
            let token = self.next_non_space();
            match token.kind {
                k if k == end => {
                    let pipe = Pipe {
                        pos,
                        is_assign,
                        decl: decl.into_boxed_slice(),
                        cmds: self.cmds.drain(cmds_mark..).collect(),
                    };
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemKind::Bool
                | ItemKind::CharConstant
                | ItemKind::Complex
                | ItemKind::Dot
                | ItemKind::Field
                | ItemKind::Identifier
                | ItemKind::Number
                | ItemKind::Nil
                | ItemKind::RawString
                | ItemKind::String
                | ItemKind::Variable
                | ItemKind::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    self.cmds.push(cmd);
                }
                _ => return Err(self.unexpected(&token, context)),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(
                    Arg::Bool(..)
                        | Arg::Dot(_)
                        | Arg::Nil(_)
                        | Arg::Number(..)
                        | Arg::String { .. }
                )
            ) {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let args_mark = self.args.len();
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                self.args.push(operand);
            }
            let token = self.next();
            match token.kind {
                ItemKind::Space => continue,
                ItemKind::RightDelim | ItemKind::RightParen => self.backup(),
                ItemKind::Pipe => {}
                _ => return Err(self.unexpected(&token, "operand")),
            }
            break;
        }
        if self.args.len() == args_mark {
            return Err(self.errorf("empty command".into()));
        }
        Ok(Command {
            pos,
            args: self.args.drain(args_mark..).collect(),
        })
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != ItemKind::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        Ok(Some(match node {
            Arg::Field { idents, .. } => Arg::Field {
                pos: chain_pos,
                idents: self.field_chain(idents),
            },
            Arg::Variable { idents, .. } => Arg::Variable {
                pos: chain_pos,
                idents: self.field_chain(idents),
            },
            n @ (Arg::Bool(..)
            | Arg::String { .. }
            | Arg::Number(..)
            | Arg::Nil(_)
            | Arg::Dot(_)) => {
                // The fields are read before the error (its position is the furthest item).
                self.field_chain(Box::default());
                return Err(self.errorf(format!(
                    "unexpected . after term {}",
                    super::error::go_quote(&n.to_string())
                )));
            }
            n => Arg::Chain {
                pos: chain_pos,
                node: Box::new(n),
                fields: self.field_chain(Box::default()),
            },
        }))
    }

    /// Reads the `.x.y` fields that follow a term: `idents` and their names, exactly sized.
    fn field_chain(&mut self, idents: Box<[Key]>) -> Box<[Key]> {
        let mut idents = idents.into_vec();
        while self.peek().kind == ItemKind::Field {
            let f = self.next();
            let key = self.key(&f.val[1..]);
            idents.push(key);
        }
        idents.into_boxed_slice()
    }

    /// The map key for an identifier. A file names the same few fields again and again
    /// (`Values`, `name`, `image`...), so each distinct name is allocated once per parse.
    fn key(&mut self, name: &'t str) -> Key {
        self.keys
            .entry(name)
            .or_insert_with(|| Key::from(name))
            .clone()
    }

    /// The keys of a dotted chain (`a.b.c`).
    fn chain_keys(&mut self, chain: &'t str) -> Box<[Key]> {
        chain.split('.').map(|name| self.key(name)).collect()
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        Ok(Some(match token.kind {
            ItemKind::Identifier => {
                let Some(callee) = (self.resolve)(token.val) else {
                    return Err(self.errorf(format!(
                        "function {} not defined",
                        super::error::go_quote(token.val)
                    )));
                };
                Arg::Identifier {
                    pos: token.pos,
                    callee,
                }
            }
            ItemKind::Dot => Arg::Dot(token.pos),
            ItemKind::Nil => Arg::Nil(token.pos),
            ItemKind::Variable => {
                let idents = self.chain_keys(token.val);
                if !self.vars[self.vars_base..]
                    .iter()
                    .any(|v| *v == idents[0].as_str())
                {
                    return Err(self.errorf(format!(
                        "undefined variable {}",
                        super::error::go_quote(&idents[0])
                    )));
                }
                Arg::Variable {
                    pos: token.pos,
                    idents,
                }
            }
            ItemKind::Field => Arg::Field {
                pos: token.pos,
                idents: self.chain_keys(&token.val[1..]),
            },
            ItemKind::Bool => Arg::Bool(token.pos, token.val == "true"),
            ItemKind::CharConstant | ItemKind::Complex | ItemKind::Number => {
                let n = new_number(token.val, token.kind).map_err(|e| self.errorf(e))?;
                Arg::Number(token.pos, Box::new(n))
            }
            ItemKind::LeftParen => {
                self.paren_depth += 1;
                if self.paren_depth >= MAX_PAREN_DEPTH {
                    return Err(self.errorf("max expression depth exceeded".into()));
                }
                let pipe = self.pipeline("parenthesized pipeline", ItemKind::RightParen);
                self.paren_depth -= 1;
                Arg::Pipe(Box::new(pipe?))
            }
            ItemKind::String | ItemKind::RawString => {
                let text = unquote_shared(token.val).map_err(|e| self.errorf(e))?;
                let plain = token.val.len() == text.len() + 2
                    && token.val.starts_with('"')
                    && token.val[1..token.val.len() - 1] == *text;
                Arg::String {
                    pos: token.pos,
                    quoted: (!plain).then(|| Box::new(Box::from(token.val))),
                    text,
                }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// What one step of the parser produced.
enum Parsed {
    Node(Node),
    End,
    Else,
}

impl Parsed {
    /// Go's quoting of what ended a list; `text` is the text being parsed.
    fn describe(&self, text: &str) -> String {
        match self {
            Parsed::End => "{{end}}".into(),
            Parsed::Else => "{{else}}".into(),
            Parsed::Node(n) => n.shown(text).to_string(),
        }
    }
}

/// [`unquote`] into shared text. A literal without escapes, the common case, is its own
/// body, which goes into the `Arc` directly instead of through a `String`.
fn unquote_shared(s: &str) -> Result<Arc<str>, String> {
    let bytes = s.as_bytes();
    if bytes.len() >= 2 {
        // The quotes are ASCII, so the body is a slice at character boundaries.
        let body = &s[1..s.len() - 1];
        match (bytes[0], bytes[bytes.len() - 1]) {
            (b'"', b'"') if !body.contains(['"', '\\']) => {
                return Ok(Arc::from(
                    crate::value::gostring::from_go_bytes(body.as_bytes()).as_ref(),
                ));
            }
            (b'`', b'`') if !body.contains(['`', '\r']) => return Ok(Arc::from(body)),
            _ => {}
        }
    }
    unquote(s).map(Arc::from)
}

/// Go's `strconv.Unquote` for the string forms the lexer produces.
pub(crate) fn unquote(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    if bytes.len() < 2 {
        return Err("invalid syntax".into());
    }
    let q = bytes[0];
    if q != bytes[bytes.len() - 1] {
        return Err("invalid syntax".into());
    }
    let body = &s[1..s.len() - 1];
    if q == b'`' {
        if body.contains('`') {
            return Err("invalid syntax".into());
        }
        return Ok(body.replace('\r', ""));
    }
    if q != b'"' && q != b'\'' {
        return Err("invalid syntax".into());
    }
    // Go's string literal is bytes: characters and `\x` bytes go into one buffer, which
    // becomes text with any non-UTF-8 bytes escaped.
    let mut bytes_out: Vec<u8> = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (piece, tail) =
            unquote_char(rest, q as char).ok_or_else(|| "invalid syntax".to_string())?;
        match piece {
            Piece::Char(c) => {
                let mut buf = [0u8; 4];
                bytes_out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            Piece::Byte(b) => bytes_out.push(b),
        }
        rest = tail;
        if q == b'\'' && !rest.is_empty() {
            return Err("invalid syntax".into());
        }
    }
    Ok(crate::value::gostring::from_go_bytes(&bytes_out).into_owned())
}

enum Piece {
    Char(char),
    Byte(u8),
}

/// One character of a Go string or rune literal body.
fn unquote_char(s: &str, quote: char) -> Option<(Piece, &str)> {
    let mut chars = s.chars();
    let c = chars.next()?;
    if c == quote && (quote == '\'' || quote == '"') {
        return None;
    }
    if c != '\\' {
        return Some((Piece::Char(c), chars.as_str()));
    }
    let e = chars.next()?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        '\\' => Some('\\'),
        '\'' | '"' => {
            if e != quote {
                return None;
            }
            Some(e)
        }
        _ => None,
    };
    if let Some(c) = simple {
        return Some((Piece::Char(c), rest));
    }
    match e {
        'x' | 'u' | 'U' => {
            let n = match e {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let hex = rest.get(..n)?;
            let v = u32::from_str_radix(hex, 16).ok()?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            if e == 'x' {
                if quote == '\'' {
                    return Some((Piece::Char(char::from_u32(v)?), &rest[n..]));
                }
                return Some((Piece::Byte(u8::try_from(v).ok()?), &rest[n..]));
            }
            Some((Piece::Char(char::from_u32(v)?), &rest[n..]))
        }
        '0'..='7' => {
            let oct = s.get(1..4)?;
            if !oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return None;
            }
            let v = u32::from_str_radix(oct, 8).ok()?;
            if v > 255 {
                return None;
            }
            if quote == '\'' {
                return Some((Piece::Char(char::from_u32(v)?), &s[4..]));
            }
            Some((Piece::Byte(u8::try_from(v).ok()?), &s[4..]))
        }
        _ => None,
    }
}

/// Go's `newNumber`: every interpretation (int, uint, float, complex) of a number constant.
fn new_number(text: &str, kind: ItemKind) -> Result<Number, String> {
    let mut n = Number {
        text: text.to_string(),
        ..Number::default()
    };
    match kind {
        ItemKind::CharConstant => {
            let inner =
                unquote(text).map_err(|_| format!("malformed character constant: {text}"))?;
            let mut chars = inner.chars();
            let c = chars
                .next()
                .ok_or_else(|| format!("malformed character constant: {text}"))?;
            if chars.next().is_some() {
                return Err(format!("malformed character constant: {text}"));
            }
            let v = c as u32;
            n.int64 = i64::from(v);
            n.is_int = true;
            n.uint64 = u64::from(v);
            n.is_uint = true;
            n.float64 = f64::from(v);
            n.is_float = true;
            return Ok(n);
        }
        ItemKind::Complex => {
            let (re, im) =
                parse_complex(text).ok_or_else(|| format!("expected integer; found {text}"))?;
            n.is_complex = true;
            n.complex = (re, im);
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    if let Some(imag) = text.strip_suffix('i')
        && let Some(f) = parse_go_float(imag)
    {
        n.is_complex = true;
        n.complex = (0.0, f);
        simplify_complex(&mut n);
        return Ok(n);
    }
    let u = parse_go_uint(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Some(i) = parse_go_int(text) {
        n.is_int = true;
        n.int64 = i;
        if i == 0 {
            n.is_uint = true;
            n.uint64 = u.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Some(f) = parse_go_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!(
                "integer overflow: {}",
                super::error::go_quote(text)
            ));
        }
        n.is_float = true;
        n.float64 = f;
        if !n.is_int && (f as i64) as f64 == f && f.is_finite() {
            n.is_int = true;
            n.int64 = f as i64;
        }
        if !n.is_uint && (f as u64) as f64 == f && f >= 0.0 && f.is_finite() {
            n.is_uint = true;
            n.uint64 = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!(
            "illegal number syntax: {}",
            super::error::go_quote(text)
        ));
    }
    Ok(n)
}

fn simplify_complex(n: &mut Number) {
    let (re, im) = n.complex;
    n.is_float = im == 0.0;
    if n.is_float {
        n.float64 = re;
        n.is_int = (re as i64) as f64 == re;
        if n.is_int {
            n.int64 = re as i64;
        }
        n.is_uint = re >= 0.0 && (re as u64) as f64 == re;
        if n.is_uint {
            n.uint64 = re as u64;
        }
    }
}

fn parse_complex(text: &str) -> Option<(f64, f64)> {
    // "1+2i" / "1-2i": split at the last sign that is not part of an exponent.
    let body = text.strip_suffix('i')?;
    let bytes = body.as_bytes();
    let mut split = None;
    for i in (1..bytes.len()).rev() {
        if (bytes[i] == b'+' || bytes[i] == b'-')
            && !matches!(bytes[i - 1], b'e' | b'E' | b'p' | b'P')
        {
            split = Some(i);
            break;
        }
    }
    let i = split?;
    Some((parse_go_float(&body[..i])?, parse_go_float(&body[i..])?))
}

/// Checks Go's rule for `_` in number literals: only between digits, or after a base prefix.
fn underscores_ok(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let bytes = s.as_bytes();
    let base_prefix = bytes.len() >= 2
        && bytes[0] == b'0'
        && matches!(bytes[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B');
    // '^' marks "after a digit or base prefix", '0' "after a digit", '_' "after underscore".
    let mut saw = '^';
    let mut hex = false;
    let mut i = 0;
    if base_prefix {
        hex = matches!(bytes[1], b'x' | b'X');
        i = 2;
        saw = '0';
    }
    let mut last = saw;
    while i < bytes.len() {
        let b = bytes[i];
        let is_digit = b.is_ascii_digit() || (hex && b.is_ascii_hexdigit());
        if is_digit {
            last = '0';
        } else if b == b'_' {
            if last != '0' {
                return false;
            }
            last = '_';
        } else {
            if last == '_' {
                return false;
            }
            last = '!';
        }
        i += 1;
    }
    last != '_'
}

fn strip_underscores(s: &str) -> Option<Cow<'_, str>> {
    if s.contains('_') {
        if !underscores_ok(s) {
            return None;
        }
        Some(Cow::Owned(s.replace('_', "")))
    } else {
        Some(Cow::Borrowed(s))
    }
}

/// `strconv.ParseUint(s, 0, 64)`.
pub(crate) fn parse_go_uint(s: &str) -> Option<u64> {
    if s.starts_with(['+', '-']) {
        return None;
    }
    let base_prefixed = s.len() > 1 && s.starts_with('0');
    let clean =
        if base_prefixed && matches!(s.as_bytes()[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B') {
            strip_underscores(s)?
        } else if s.contains('_') {
            // Underscores are allowed only with base 0 and a prefix, or in plain decimal per Go syntax.
            strip_underscores(s)?
        } else {
            Cow::Borrowed(s)
        };
    let (digits, radix) = if let Some(h) = clean
        .strip_prefix("0x")
        .or_else(|| clean.strip_prefix("0X"))
    {
        (h, 16)
    } else if let Some(o) = clean
        .strip_prefix("0o")
        .or_else(|| clean.strip_prefix("0O"))
    {
        (o, 8)
    } else if let Some(b) = clean
        .strip_prefix("0b")
        .or_else(|| clean.strip_prefix("0B"))
    {
        (b, 2)
    } else if clean.len() > 1 && clean.starts_with('0') {
        (&clean[1..], 8)
    } else {
        (clean.as_ref(), 10)
    };
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_go_uint(body)?;
    if neg {
        if u > (i64::MAX as u64) + 1 {
            return None;
        }
        Some((u as i64).wrapping_neg())
    } else {
        i64::try_from(u).ok()
    }
}

/// `strconv.ParseFloat(s, 64)` for Go number-literal syntax (decimal and hex floats,
/// underscores). Infinity and NaN spellings are not number literals and are rejected.
pub(crate) fn parse_go_float(s: &str) -> Option<f64> {
    let clean = strip_underscores(s)?;
    let (neg, body) = match clean.as_bytes().first() {
        Some(b'-') => (true, &clean[1..]),
        Some(b'+') => (false, &clean[1..]),
        _ => (false, clean.as_ref()),
    };
    if body.is_empty() {
        return None;
    }
    let v = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        parse_hex_float(hex)?
    } else {
        if !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            return None;
        }
        body.parse::<f64>().ok()?
    };
    Some(if neg { -v } else { v })
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = match s.find(['p', 'P']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int_part, frac_part) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int_part.chars() {
        v = v * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac_part.chars() {
        v += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_funcs(_: &str) -> Option<Callee> {
        None
    }

    fn parse_err(text: &str) -> String {
        match parse("t", text, &no_funcs) {
            Ok(_) => String::new(),
            Err(e) => e.go_message(),
        }
    }

    #[test]
    fn numbers_follow_go() {
        let n = new_number("0x1F", ItemKind::Number).unwrap();
        assert!(n.is_int && n.int64 == 31);
        let n = new_number("1_000", ItemKind::Number).unwrap();
        assert_eq!(n.int64, 1000);
        let n = new_number("017", ItemKind::Number).unwrap();
        assert_eq!(n.int64, 15);
        let n = new_number("1e3", ItemKind::Number).unwrap();
        assert!(n.is_float && n.is_int && n.int64 == 1000);
        let n = new_number("0x1p4", ItemKind::Number).unwrap();
        assert!((n.float64 - 16.0).abs() < f64::EPSILON);
        assert!(
            new_number("18446744073709551616", ItemKind::Number)
                .unwrap_err()
                .starts_with("integer overflow")
        );
        let n = new_number("'a'", ItemKind::CharConstant).unwrap();
        assert_eq!(n.int64, 97);
        let n = new_number("1i", ItemKind::Number).unwrap();
        assert!(n.is_complex && n.complex == (0.0, 1.0));
    }

    #[test]
    fn parse_errors_carry_go_text() {
        assert_eq!(parse_err("{{ end }}"), "template: t:1: unexpected {{end}}");
        assert_eq!(
            parse_err("{{ if }}x{{ end }}"),
            "template: t:1: missing value for if"
        );
        assert_eq!(
            parse_err("{{ $y }}"),
            "template: t:1: undefined variable \"$y\""
        );
        assert_eq!(
            parse_err("{{ break }}"),
            "template: t:1: {{break}} outside {{range}}"
        );
        assert_eq!(parse_err("a\n{{ if 1 }}"), "template: t:2: unexpected EOF");
        assert_eq!(
            parse_err("{{ \"abc\".x }}"),
            "template: t:1: unexpected . after term \"\\\"abc\\\"\""
        );
    }

    /// Text nodes are spans of the tree's text; shown with it, a tree prints as Go's
    /// `Node.String()` does (trim markers and spaces inside actions normalized).
    #[test]
    fn text_nodes_show_their_span_of_the_text() {
        let text = "a: {{ .x }}\n{{- if .y }} yes {{ else }} no {{- end }}\ntail";
        let set = parse("t", text, &no_funcs).unwrap();
        let tree = &set["t"];
        let shown: String = tree
            .root
            .iter()
            .map(|n| n.shown(tree.text.as_str()).to_string())
            .collect();
        assert_eq!(shown, "a: {{.x}}{{if .y}} yes {{else}} no{{end}}\ntail");
        assert!(matches!(tree.root[0], Node::Text(0, 3)));
        let blank = parse("b", " \n {{/* c */}} ", &no_funcs).unwrap();
        assert!(blank["b"].is_empty());
        assert!(!tree.is_empty());
    }

    #[test]
    fn defines_are_collected() {
        let set = parse("f", "{{ define \"a\" }}A{{ end }}x", &no_funcs).unwrap();
        assert!(set.contains_key("a") && set.contains_key("f"));
        assert!(
            parse_err("{{ define \"a\" }}A{{ end }}{{ define \"a\" }}B{{ end }}")
                .contains("multiple definition")
        );
    }

    /// Operands keep what Go's `Node.String()` prints: a function's name, a field chain, and
    /// a string constant's source text (escapes and raw quotes as written).
    #[test]
    fn operands_show_as_written() {
        let text = "{{ printf \"a\\tb\" \"plain\" `raw` \"\" .a.b (len .c).d | quote }}";
        let set = parse("t", text, &crate::template::resolve_function).unwrap();
        let tree = &set["t"];
        assert_eq!(
            tree.root[0].shown(tree.text.as_str()).to_string(),
            "{{printf \"a\\tb\" \"plain\" `raw` \"\" .a.b (len .c).d | quote}}"
        );
    }

    /// A chart's parse trees are most of what a render holds in memory: these sizes are what
    /// keeps them small (four-byte positions, exactly sized lists, rare shapes boxed).
    #[test]
    fn nodes_and_operands_stay_small() {
        assert_eq!(size_of::<Node>(), 48);
        assert_eq!(size_of::<Pipe>(), 40);
        assert_eq!(size_of::<Command>(), 24);
        assert_eq!(size_of::<Arg>(), 32);
    }

    #[test]
    fn texts_of_4_gib_or_more_are_refused() {
        assert!(check_positions_fit(u32::MAX as usize).is_ok());
        assert_eq!(
            check_positions_fit(u32::MAX as usize + 1).unwrap_err(),
            "template of 4294967296 bytes is too large"
        );
    }

    #[test]
    fn unquotes_go_strings() {
        assert_eq!(unquote(r#""a\tb\u00e9\x41""#).unwrap(), "a\tbéA");
        assert_eq!(unquote("`a\\n`").unwrap(), "a\\n");
    }
}
