//! Lexing: template text into items, with Go's `text/template/parse` rules (trim markers,
//! comments, raw and interpreted strings, char constants, Go number syntax).
//!
//! The lexer runs lazily, as Go's does: the parser asks for items by their index, and the
//! lexer produces them up to the end of input or the first error, which is the last item.
//! It keeps only the last [`ITEM_WINDOW`] items, enough for the parser's look-back, so
//! lexing allocates nothing. Positions are byte offsets into the text; lines are 1-based.
//!
//! Items are small `Copy` values that borrow their text from the input; the message of the
//! error item, the only text that is not a slice of the input, is kept in the lexer.

use super::ast::Pos;

/// The kinds of lexical items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemKind {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords (Go's "item > itemKeyword").
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl ItemKind {
    pub(crate) fn is_keyword(self) -> bool {
        matches!(
            self,
            ItemKind::Block
                | ItemKind::Break
                | ItemKind::Continue
                | ItemKind::Dot
                | ItemKind::Define
                | ItemKind::Else
                | ItemKind::End
                | ItemKind::If
                | ItemKind::Nil
                | ItemKind::Range
                | ItemKind::Template
                | ItemKind::With
        )
    }
}

/// A lexical item: its kind, byte offset, text and starting line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Item<'a> {
    pub kind: ItemKind,
    pub pos: Pos,
    /// The item's text, a slice of the input (empty for an error item, whose message is
    /// [`Lexed::error`]).
    pub val: &'a str,
    pub line: usize,
}

impl Item<'_> {
    /// How Go's parser quotes an item in its error messages. `error` is the lexer's error
    /// message, which an `Error` item stands for.
    pub(crate) fn describe(&self, error: &str) -> String {
        match self.kind {
            ItemKind::Eof => "EOF".to_string(),
            ItemKind::Error => error.to_string(),
            k if k.is_keyword() => format!("<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let head: String = self.val.chars().take(10).collect();
                    format!("{}...", crate::template::error::go_quote(&head))
                } else {
                    crate::template::error::go_quote(self.val)
                }
            }
        }
    }
}

const LEFT_DELIM: &str = "{{";
const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
/// A trim marker is `-` plus one space character.
const TRIM_MARKER_LEN: usize = 2;

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Go's `isAlphaNumeric`: `_`, letters and digits.
fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn has_left_trim_marker(s: &[u8]) -> bool {
    s.len() >= 2 && s[0] == b'-' && is_space(s[1])
}

fn has_right_trim_marker(s: &[u8]) -> bool {
    s.len() >= 2 && is_space(s[0]) && s[1] == b'-'
}

fn right_trim_length(s: &[u8]) -> usize {
    s.len() - s.iter().rposition(|&b| !is_space(b)).map_or(0, |i| i + 1)
}

fn left_trim_length(s: &[u8]) -> usize {
    s.iter().position(|&b| !is_space(b)).unwrap_or(s.len())
}

/// The offset of the first `{{` in `s`.
fn find_left_delim(s: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'{', &s[from..]) {
        let at = from + i;
        if s.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Options that change lexing.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LexOptions {
    /// `break` is a keyword (false when a function named `break` exists).
    pub break_ok: bool,
    /// `continue` is a keyword.
    pub continue_ok: bool,
}

impl Default for LexOptions {
    fn default() -> Self {
        LexOptions {
            break_ok: true,
            continue_ok: true,
        }
    }
}

/// How many of the latest items the lexer keeps. The parser reads at most a few items
/// behind the newest one it asked for (it backs up over `{{`, a space and a keyword, or a
/// variable, a space and `:=`).
const ITEM_WINDOW: usize = 16;

/// The lexer: its position in the input, its state, and the latest items.
pub(crate) struct Lexer<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
    start: usize,
    line: usize,
    start_line: usize,
    paren_depth: usize,
    options: LexOptions,
    /// The state to run next; `None` once the last item (`Eof` or `Error`) is out.
    state: Option<State>,
    /// The latest items: item `i` is at `i % ITEM_WINDOW`.
    window: [Item<'a>; ITEM_WINDOW],
    /// How many items have been produced.
    produced: usize,
    /// The message of the error item, if lexing stopped at an error.
    error: String,
}

#[derive(Clone, Copy)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `input`.
    pub(crate) fn new(input: &'a str, options: LexOptions) -> Self {
        let none = Item {
            kind: ItemKind::Eof,
            pos: 0,
            val: "",
            line: 0,
        };
        Lexer {
            input,
            bytes: input.as_bytes(),
            pos: 0,
            start: 0,
            line: 1,
            start_line: 1,
            paren_depth: 0,
            options,
            state: Some(State::Text),
            window: [none; ITEM_WINDOW],
            produced: 0,
            error: String::new(),
        }
    }

    /// Lexes until item `i` exists or the last item is out.
    pub(crate) fn fill(&mut self, i: usize) {
        while self.produced <= i {
            let Some(s) = self.state else { return };
            self.state = self.step(s);
        }
    }

    /// Item `i`, which [`Lexer::fill`] has produced and which is at most [`ITEM_WINDOW`]
    /// items behind the newest. Past the last item (`Eof` or `Error`), the last item.
    pub(crate) fn item(&self, i: usize) -> &Item<'a> {
        let i = i.min(self.produced.saturating_sub(1));
        debug_assert!(i + ITEM_WINDOW >= self.produced, "item {i} left the window");
        &self.window[i % ITEM_WINDOW]
    }

    /// The message of the `Error` item (empty if there is none).
    pub(crate) fn error(&self) -> &str {
        &self.error
    }

    fn push(&mut self, item: Item<'a>) {
        self.window[self.produced % ITEM_WINDOW] = item;
        self.produced += 1;
    }

    fn step(&mut self, s: State) -> Option<State> {
        match s {
            State::Text => self.lex_text(),
            State::LeftDelim => self.lex_left_delim(),
            State::Comment => self.lex_comment(),
            State::RightDelim => self.lex_right_delim(),
            State::InsideAction => self.lex_inside_action(),
            State::Space => self.lex_space(),
            State::Identifier => self.lex_identifier(),
            State::Field => self.lex_field_or_variable(ItemKind::Field),
            State::Variable => self.lex_variable(),
            State::Char => self.lex_char(),
            State::Number => self.lex_number(),
            State::Quote => self.lex_quote(),
            State::RawQuote => self.lex_raw_quote(),
        }
    }

    fn next(&mut self) -> Option<char> {
        let b = *self.bytes.get(self.pos)?;
        if b.is_ascii() {
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
            }
            return Some(b as char);
        }
        let c = self.input[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn peek(&self) -> Option<char> {
        match self.bytes.get(self.pos) {
            Some(&b) if b.is_ascii() => Some(b as char),
            Some(_) => self.input[self.pos..].chars().next(),
            None => None,
        }
    }

    /// Steps back over the last character read by `next` (which must be `c`).
    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos -= c.len_utf8();
            if c == '\n' {
                self.line -= 1;
            }
        }
    }

    fn this_item(&mut self, kind: ItemKind) -> Item<'a> {
        let item = Item {
            kind,
            pos: self.start as Pos,
            val: &self.input[self.start..self.pos],
            line: self.start_line,
        };
        self.start = self.pos;
        self.start_line = self.line;
        item
    }

    fn emit(&mut self, kind: ItemKind) {
        let item = self.this_item(kind);
        self.push(item);
    }

    fn ignore(&mut self) {
        self.line += self.input[self.start..self.pos]
            .bytes()
            .filter(|&b| b == b'\n')
            .count();
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn errorf(&mut self, msg: String) -> Option<State> {
        self.push(Item {
            kind: ItemKind::Error,
            pos: self.start as Pos,
            val: "",
            line: self.start_line,
        });
        self.error = msg;
        None
    }

    fn accept(&mut self, valid: &str) -> bool {
        if let Some(c) = self.peek()
            && valid.contains(c)
        {
            self.next();
            return true;
        }
        false
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.bytes[self.pos..];
        if has_right_trim_marker(rest)
            && rest[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM.as_bytes())
        {
            return (true, true);
        }
        (rest.starts_with(RIGHT_DELIM.as_bytes()), false)
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if c.is_ascii() && is_space(c as u8) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => self.bytes[self.pos..].starts_with(RIGHT_DELIM.as_bytes()),
        }
    }

    fn lex_text(&mut self) -> Option<State> {
        if let Some(x) = find_left_delim(&self.bytes[self.pos..]) {
            if x > 0 {
                self.pos += x;
                let delim_end = self.pos + LEFT_DELIM.len();
                let trim = if has_left_trim_marker(&self.bytes[delim_end..]) {
                    right_trim_length(&self.bytes[self.start..self.pos])
                } else {
                    0
                };
                self.pos -= trim;
                self.line += self.input[self.start..self.pos]
                    .bytes()
                    .filter(|&b| b == b'\n')
                    .count();
                let item = Item {
                    kind: ItemKind::Text,
                    pos: self.start as Pos,
                    val: &self.input[self.start..self.pos],
                    line: self.start_line,
                };
                self.start = self.pos;
                self.start_line = self.line;
                self.pos += trim;
                self.ignore();
                if !item.val.is_empty() {
                    self.push(item);
                }
            }
            return Some(State::LeftDelim);
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.line += self.input[self.start..self.pos]
                .bytes()
                .filter(|&b| b == b'\n')
                .count();
            self.emit(ItemKind::Text);
        }
        self.emit(ItemKind::Eof);
        None
    }

    fn lex_left_delim(&mut self) -> Option<State> {
        self.pos += LEFT_DELIM.len();
        let trim = has_left_trim_marker(&self.bytes[self.pos..]);
        let after_marker = if trim { TRIM_MARKER_LEN } else { 0 };
        if self.bytes[self.pos + after_marker..].starts_with(LEFT_COMMENT.as_bytes()) {
            self.pos += after_marker;
            self.ignore();
            return Some(State::Comment);
        }
        let item = self.this_item(ItemKind::LeftDelim);
        self.push(item);
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        Some(State::InsideAction)
    }

    fn lex_comment(&mut self) -> Option<State> {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = self.input[self.pos..].find(RIGHT_COMMENT) else {
            return self.errorf("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += RIGHT_DELIM.len();
        if trim {
            self.pos += left_trim_length(&self.bytes[self.pos..]);
        }
        self.ignore();
        Some(State::Text)
    }

    fn lex_right_delim(&mut self) -> Option<State> {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += RIGHT_DELIM.len();
        let item = self.this_item(ItemKind::RightDelim);
        if trim {
            self.pos += left_trim_length(&self.bytes[self.pos..]);
            self.ignore();
        }
        self.push(item);
        Some(State::Text)
    }

    fn lex_inside_action(&mut self) -> Option<State> {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return Some(State::RightDelim);
            }
            return self.errorf("unclosed left paren".into());
        }
        let r = self.next();
        match r {
            None => self.errorf("unclosed action".into()),
            Some(c) if c.is_ascii() && is_space(c as u8) => {
                self.backup(r);
                Some(State::Space)
            }
            Some('=') => {
                self.emit(ItemKind::Assign);
                Some(State::InsideAction)
            }
            Some(':') => {
                if self.next() != Some('=') {
                    return self.errorf("expected :=".into());
                }
                self.emit(ItemKind::Declare);
                Some(State::InsideAction)
            }
            Some('|') => {
                self.emit(ItemKind::Pipe);
                Some(State::InsideAction)
            }
            Some('"') => Some(State::Quote),
            Some('`') => Some(State::RawQuote),
            Some('$') => Some(State::Variable),
            Some('\'') => Some(State::Char),
            Some('.') => {
                // ".field" versus a number such as ".5".
                match self.bytes.get(self.pos) {
                    Some(b) if !b.is_ascii_digit() => Some(State::Field),
                    _ => {
                        self.backup(r);
                        Some(State::Number)
                    }
                }
            }
            Some(c) if c == '+' || c == '-' || c.is_ascii_digit() => {
                self.backup(r);
                Some(State::Number)
            }
            Some(c) if is_alnum(c) => {
                self.backup(r);
                Some(State::Identifier)
            }
            Some('(') => {
                self.paren_depth += 1;
                self.emit(ItemKind::LeftParen);
                Some(State::InsideAction)
            }
            Some(')') => {
                if self.paren_depth == 0 {
                    return self.errorf("unexpected right paren".into());
                }
                self.paren_depth -= 1;
                self.emit(ItemKind::RightParen);
                Some(State::InsideAction)
            }
            Some(c) if c.is_ascii() && !c.is_ascii_control() => {
                self.emit(ItemKind::Char);
                Some(State::InsideAction)
            }
            Some(c) => self.errorf(format!(
                "unrecognized character in action: {}",
                go_unicode(c)
            )),
        }
    }

    /// Steps over a run of alphanumeric characters (Go's `isAlphaNumeric`), bytewise while
    /// they are ASCII. The run holds no newline, so the line does not change.
    fn skip_alnum(&mut self) {
        loop {
            let rest = &self.bytes[self.pos..];
            self.pos += rest
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
                .unwrap_or(rest.len());
            match self.bytes.get(self.pos) {
                Some(b) if !b.is_ascii() => match self.input[self.pos..].chars().next() {
                    Some(c) if is_alnum(c) => self.pos += c.len_utf8(),
                    _ => return,
                },
                _ => return,
            }
        }
    }

    fn lex_space(&mut self) -> Option<State> {
        let mut num_spaces = 0;
        while let Some(&b) = self.bytes.get(self.pos) {
            if !is_space(b) {
                break;
            }
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
            }
            num_spaces += 1;
        }
        // A trim-marked right delimiter has a space before its minus.
        let rest = &self.bytes[self.pos - 1..];
        if has_right_trim_marker(rest)
            && rest[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM.as_bytes())
        {
            let last = self.input[..self.pos].chars().next_back();
            self.backup(last);
            if num_spaces == 1 {
                return Some(State::RightDelim);
            }
        }
        self.emit(ItemKind::Space);
        Some(State::InsideAction)
    }

    fn lex_identifier(&mut self) -> Option<State> {
        self.skip_alnum();
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\u{fffd}');
            return self.errorf(format!("bad character {}", go_unicode(c)));
        }
        let word = &self.input[self.start..self.pos];
        let kind = match word {
            "block" => ItemKind::Block,
            "break" if self.options.break_ok => ItemKind::Break,
            "continue" if self.options.continue_ok => ItemKind::Continue,
            "define" => ItemKind::Define,
            "else" => ItemKind::Else,
            "end" => ItemKind::End,
            "if" => ItemKind::If,
            "range" => ItemKind::Range,
            "nil" => ItemKind::Nil,
            "template" => ItemKind::Template,
            "with" => ItemKind::With,
            "true" | "false" => ItemKind::Bool,
            _ => ItemKind::Identifier,
        };
        self.emit(kind);
        Some(State::InsideAction)
    }

    fn lex_variable(&mut self) -> Option<State> {
        if self.at_terminator() {
            self.emit(ItemKind::Variable);
            return Some(State::InsideAction);
        }
        self.lex_field_or_variable(ItemKind::Variable)
    }

    fn lex_field_or_variable(&mut self, kind: ItemKind) -> Option<State> {
        if self.at_terminator() {
            self.emit(if kind == ItemKind::Variable {
                ItemKind::Variable
            } else {
                ItemKind::Dot
            });
            return Some(State::InsideAction);
        }
        self.skip_alnum();
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\u{fffd}');
            return self.errorf(format!("bad character {}", go_unicode(c)));
        }
        self.emit(kind);
        Some(State::InsideAction)
    }

    fn lex_char(&mut self) -> Option<State> {
        loop {
            match self.next() {
                Some('\\') => {
                    if matches!(self.next(), None | Some('\n')) {
                        return self.errorf("unterminated character constant".into());
                    }
                }
                None | Some('\n') => return self.errorf("unterminated character constant".into()),
                Some('\'') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemKind::CharConstant);
        Some(State::InsideAction)
    }

    fn lex_number(&mut self) -> Option<State> {
        if !self.scan_number() {
            let text = self.input[self.start..self.pos].to_string();
            return self.errorf(format!(
                "bad number syntax: {}",
                crate::template::error::go_quote(&text)
            ));
        }
        if let Some('+' | '-') = self.peek() {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let text = self.input[self.start..self.pos].to_string();
                return self.errorf(format!(
                    "bad number syntax: {}",
                    crate::template::error::go_quote(&text)
                ));
            }
            self.emit(ItemKind::Complex);
            return Some(State::InsideAction);
        }
        self.emit(ItemKind::Number);
        Some(State::InsideAction)
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if let Some(c) = self.peek()
            && is_alnum(c)
        {
            self.next();
            return false;
        }
        true
    }

    fn lex_quote(&mut self) -> Option<State> {
        loop {
            match self.next() {
                Some('\\') => {
                    if matches!(self.next(), None | Some('\n')) {
                        return self.errorf("unterminated quoted string".into());
                    }
                }
                None | Some('\n') => return self.errorf("unterminated quoted string".into()),
                Some('"') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemKind::String);
        Some(State::InsideAction)
    }

    fn lex_raw_quote(&mut self) -> Option<State> {
        loop {
            match self.next() {
                None => return self.errorf("unterminated raw quoted string".into()),
                Some('`') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemKind::RawString);
        Some(State::InsideAction)
    }
}

/// Go's `%#U`: `U+002D '-'`.
pub(crate) fn go_unicode(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{}'", c as u32, c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(ItemKind, String)> {
        let mut lexer = Lexer::new(s, LexOptions::default());
        let mut items = Vec::new();
        loop {
            lexer.fill(items.len());
            let item = *lexer.item(items.len());
            items.push(match item.kind {
                ItemKind::Error => (item.kind, lexer.error().to_string()),
                _ => (item.kind, item.val.to_string()),
            });
            if matches!(item.kind, ItemKind::Eof | ItemKind::Error) {
                return items;
            }
        }
    }

    #[test]
    fn trims_whitespace_around_markers() {
        let items = kinds("a \n {{- 3 -}} \n b");
        assert_eq!(
            items,
            vec![
                (ItemKind::Text, "a".into()),
                (ItemKind::LeftDelim, "{{".into()),
                (ItemKind::Number, "3".into()),
                (ItemKind::RightDelim, "}}".into()),
                (ItemKind::Text, "b".into()),
                (ItemKind::Eof, String::new()),
            ]
        );
    }

    #[test]
    fn minus_without_space_is_a_number() {
        let items = kinds("{{-3}}");
        assert_eq!(items[1], (ItemKind::Number, "-3".into()));
    }

    #[test]
    fn comments_are_skipped_and_trim() {
        assert_eq!(
            kinds("a {{- /* c */}} b")[..2],
            [(ItemKind::Text, "a".into()), (ItemKind::Text, " b".into())]
        );
        assert_eq!(
            kinds("{{/* unclosed")[0],
            (ItemKind::Error, "unclosed comment".into())
        );
    }

    #[test]
    fn fields_variables_and_keywords() {
        let items = kinds("{{ $x := .a.b | printf \"%d\" }}{{end}}");
        let k: Vec<ItemKind> = items.iter().map(|i| i.0).collect();
        assert_eq!(
            k,
            vec![
                ItemKind::LeftDelim,
                ItemKind::Space,
                ItemKind::Variable,
                ItemKind::Space,
                ItemKind::Declare,
                ItemKind::Space,
                ItemKind::Field,
                ItemKind::Field,
                ItemKind::Space,
                ItemKind::Pipe,
                ItemKind::Space,
                ItemKind::Identifier,
                ItemKind::Space,
                ItemKind::String,
                ItemKind::Space,
                ItemKind::RightDelim,
                ItemKind::LeftDelim,
                ItemKind::End,
                ItemKind::RightDelim,
                ItemKind::Eof
            ]
        );
    }

    #[test]
    fn bad_character_in_field() {
        let items = kinds("{{ .Values.my-key }}");
        assert_eq!(
            items.last().map(|i| i.1.as_str()),
            Some("bad character U+002D '-'")
        );
    }
}
