//! Table-driven checks against outputs of the real Helm: `testdata/gofmt/cases.json` holds
//! `[pipeline, output]` pairs rendered by `testdata/gofmt/regenerate`. Each pipeline is a call
//! of `print`, `printf` or `println` whose arguments are template literals and a few function
//! calls; the small reader below turns them into the values Helm's template engine would pass.

use std::any::Any;
use std::sync::Arc;

use super::{sprint, sprintf, sprintln};
use crate::value::{Entries, IntType, Kind, List, ListType, Map, MapType, Object, UintType, Value};

const CASES: &str = include_str!("../../../testdata/gofmt/cases.json");

/// A stand-in for `*semver.Version`, which prints through its `String` method.
#[derive(Debug)]
struct Version(String);

impl Object for Version {
    fn type_name(&self) -> &str {
        "*semver.Version"
    }
    fn kind(&self) -> Kind {
        Kind::Ptr
    }
    fn go_string(&self) -> String {
        self.0.clone()
    }
    fn to_json_value(&self) -> Value {
        Value::string(self.0.as_str())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Tokens of a template pipeline.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Str(String),
    Word(String),
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' => i += 1,
            '(' => {
                tokens.push(Token::Open);
                i += 1;
            }
            ')' => {
                tokens.push(Token::Close);
                i += 1;
            }
            '"' => {
                let (s, next) = read_go_string(&chars, i + 1);
                tokens.push(Token::Str(
                    crate::value::gostring::from_go_bytes(s.as_bytes()).into_owned(),
                ));
                i = next;
            }
            _ => {
                let start = i;
                if c == '\'' {
                    i += 1;
                    while chars[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                } else {
                    while i < chars.len() && !matches!(chars[i], ' ' | '(' | ')') {
                        i += 1;
                    }
                }
                tokens.push(Token::Word(chars[start..i].iter().collect()));
            }
        }
    }
    tokens
}

/// Reads an interpreted Go string literal whose opening quote is just before `i`.
fn read_go_string(chars: &[char], mut i: usize) -> (String, usize) {
    let mut out = String::new();
    loop {
        let c = chars[i];
        i += 1;
        match c {
            '"' => return (out, i),
            '\\' => {
                let e = chars[i];
                i += 1;
                let hex = |i: usize, n: usize| {
                    let digits: String = chars[i..i + n].iter().collect();
                    u32::from_str_radix(&digits, 16).expect("hex escape")
                };
                match e {
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{C}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'v' => out.push('\u{B}'),
                    '\\' | '"' => out.push(e),
                    'x' => {
                        let byte = hex(i, 2);
                        assert!(byte < 0x80, "non-ASCII \\x escapes cannot be a Rust string");
                        out.push(char::from_u32(byte).expect("ascii"));
                        i += 2;
                    }
                    'u' => {
                        out.push(char::from_u32(hex(i, 4)).expect("rune"));
                        i += 4;
                    }
                    'U' => {
                        out.push(char::from_u32(hex(i, 8)).expect("rune"));
                        i += 8;
                    }
                    other => panic!("unsupported escape \\{other}"),
                }
            }
            c => out.push(c),
        }
    }
}

/// The chart's `values.yaml` (`a: 1`, `b: [x, 2.5]`) as Helm reads it.
fn chart_values() -> Map {
    let mut entries = Entries::new();
    entries.insert("a".into(), Value::Float(1.0));
    entries.insert(
        "b".into(),
        Value::list(vec![Value::string("x"), Value::Float(2.5)]),
    );
    Map::from_entries(MapType::Values, entries)
}

fn chart_file(name: &str) -> Value {
    let bytes: &[u8] = match name {
        "hi.txt" => b"hi",
        "empty.txt" => b"",
        "bin.dat" => b"\xff\xfeA\x00",
        other => panic!("no file {other}"),
    };
    Value::Bytes(Arc::from(bytes))
}

struct Reader {
    tokens: Vec<Token>,
    at: usize,
}

impl Reader {
    fn next(&mut self) -> Token {
        let t = self.tokens[self.at].clone();
        self.at += 1;
        t
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    /// Arguments up to a closing parenthesis or the end.
    fn args(&mut self) -> Vec<Value> {
        let mut args = Vec::new();
        while let Some(t) = self.peek() {
            if *t == Token::Close {
                break;
            }
            args.push(self.operand());
        }
        args
    }

    fn operand(&mut self) -> Value {
        match self.next() {
            Token::Str(s) => Value::string(s),
            Token::Open => {
                let Token::Word(name) = self.next() else {
                    panic!("function name expected")
                };
                let args = self.args();
                assert_eq!(self.next(), Token::Close);
                call(&name, args)
            }
            Token::Word(w) => literal(&w),
            Token::Close => panic!("unexpected )"),
        }
    }
}

fn literal(word: &str) -> Value {
    match word {
        "nil" => return Value::Nil,
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        ".Values" => return Value::Map(chart_values()),
        ".Files" => {
            let files =
                ["bin.dat", "empty.txt", "hi.txt"].map(|name| (name.into(), chart_file(name)));
            return Value::Map(Map::from_entries(
                MapType::Files,
                files.into_iter().collect(),
            ));
        }
        _ => {}
    }
    if let Some(key) = word.strip_prefix(".Values.") {
        return chart_values().get(key).expect("value");
    }
    if let Some(ch) = word.strip_prefix('\'') {
        return Value::int(i64::from(u32::from(ch.chars().next().expect("char"))));
    }
    if let Some(hex) = word.strip_prefix("0x") {
        return Value::int(i64::from_str_radix(hex, 16).expect("hex"));
    }
    if let Some(body) = word.strip_suffix('i') {
        // `2i`, `1+2i`, `1.5-0.5i`: split at the sign that is not the first character and
        // not part of an exponent.
        let split = body
            .char_indices()
            .skip(1)
            .filter(|&(i, c)| (c == '+' || c == '-') && !body[..i].ends_with(['e', 'E']))
            .map(|(i, _)| i)
            .last();
        return match split {
            Some(i) => Value::Complex(
                body[..i].parse().expect("re"),
                body[i..].parse().expect("im"),
            ),
            None => Value::Complex(0.0, body.parse().expect("im")),
        };
    }
    if word.contains(['.', 'e', 'E']) {
        return Value::Float(word.parse().expect("float"));
    }
    Value::int(word.parse().expect("int"))
}

fn call(name: &str, args: Vec<Value>) -> Value {
    let str_arg = |i: usize| args[i].as_str().expect("string argument").to_string();
    match name {
        "list" => Value::list(args),
        "dict" => {
            let mut entries = Entries::new();
            for pair in args.chunks(2) {
                entries.insert(pair[0].as_str().expect("key").into(), pair[1].clone());
            }
            Value::map(entries)
        }
        "int64" => match &args[0] {
            Value::Int(i, _) => Value::Int(*i, IntType::Int64),
            other => panic!("int64 of {other:?}"),
        },
        "float64" => Value::Float(match str_arg(0).as_str() {
            "NaN" => f64::NAN,
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            text => text.parse().expect("float"),
        }),
        "index" => {
            let Value::Int(i, _) = args[1] else {
                panic!("index")
            };
            Value::Uint(
                u64::from(str_arg(0).as_bytes()[i as usize]),
                UintType::Uint8,
            )
        }
        "splitList" => Value::str_list(str_arg(1).split(str_arg(0).as_str()).map(str::to_string)),
        "split" => {
            let mut entries = Entries::new();
            for (i, part) in str_arg(1).split(str_arg(0).as_str()).enumerate() {
                entries.insert(format!("_{i}").into(), Value::string(part));
            }
            Value::Map(Map::from_entries(MapType::Str, entries))
        }
        "until" => {
            let Value::Int(n, _) = args[0] else {
                panic!("until")
            };
            Value::List(List::with_type(
                ListType::Int,
                (0..n).map(Value::int).collect(),
            ))
        }
        "semver" => Value::Object(Arc::new(Version(str_arg(0)))),
        ".Files.GetBytes" => chart_file(&str_arg(0)),
        other => panic!("unsupported function {other}"),
    }
}

/// Evaluates one pipeline of the table.
fn render(pipeline: &str) -> String {
    let mut reader = Reader {
        tokens: tokenize(pipeline),
        at: 0,
    };
    let Token::Word(func) = reader.next() else {
        panic!("function expected")
    };
    match func.as_str() {
        "print" => sprint(&reader.args()),
        "println" => sprintln(&reader.args()),
        "printf" => {
            let Token::Str(format) = reader.next() else {
                panic!("format expected")
            };
            sprintf(&format, &reader.args())
        }
        other => panic!("unsupported call {other}"),
    }
}

#[test]
fn helm_cases() {
    let cases: Vec<(String, String)> = serde_json::from_str(CASES).expect("cases.json");
    let mut failures = Vec::new();
    for (pipeline, want) in &cases {
        // Raw bytes are carried escaped; the recorded output shows them as U+FFFD.
        let got = String::from_utf8_lossy(&crate::value::gostring::to_go_bytes(&render(pipeline)))
            .into_owned();
        if &got != want {
            failures.push(format!("{pipeline}\n   want {want:?}\n    got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(cases.len() > 250);
}

#[test]
fn conformance_printing_cases() {
    // From testdata/conformance/template/06-printing.yaml: values-file numbers are float64.
    let big = Value::Float(1_000_000.0);
    assert_eq!(
        sprintf("%d", std::slice::from_ref(&big)),
        "%!d(float64=1e+06)"
    );
    assert_eq!(sprintf("%v", std::slice::from_ref(&big)), "1e+06");
    assert_eq!(sprintf("%.0f", std::slice::from_ref(&big)), "1000000");
    assert_eq!(
        sprint(&[
            big,
            Value::Float(12_345_678_901.0),
            Value::Float(0.000001),
            Value::Float(2.5),
            Value::Float(3.0),
            Value::Float(-42.0),
        ]),
        "1e+06 1.2345678901e+10 1e-06 2.5 3 -42"
    );
    assert_eq!(
        sprint(&[Value::Float(9.223372036854776e18), Value::int64(i64::MIN)]),
        "9.223372036854776e+18 -9223372036854775808"
    );
    assert_eq!(sprint(&[Value::Invalid]), "<nil>");
}

#[test]
fn widths_up_to_ten_million() {
    // Helm prints `%10000000d` of 1 as 9,999,999 spaces and a 1, and `%.10000000d` as zeros
    // (Go's limit rejects a width only once it has read past 1e6).
    let padded = sprintf("%10000000d", &[Value::int(1)]);
    assert_eq!(padded.len(), 10_000_000);
    assert!(padded.ends_with(" 1") && padded.starts_with(' '));
    let zeros = sprintf("%.10000000d", &[Value::int(1)]);
    assert_eq!(zeros.len(), 10_000_000);
    assert!(zeros.ends_with("01") && zeros.starts_with('0'));
    assert_eq!(
        sprintf("%100000000d", &[Value::int(1)]),
        "%!(NOVERB)%!(EXTRA int=1)"
    );
}

#[test]
fn cyclic_and_deep_values_terminate() {
    // Go overflows its stack on a map that contains itself; the printer stops descending.
    let map = Map::new();
    map.insert("self", Value::Map(map.clone()));
    let text = sprint(&[Value::Map(map.clone())]);
    assert!(text.starts_with("map[self:map[self:"));
    map.remove("self");

    let mut deep = Value::int(1);
    for _ in 0..5_000 {
        deep = Value::list(vec![deep]);
    }
    let text = sprintf("%v", &[deep]);
    assert!(text.starts_with("[[[[") && text.len() < 10_000);
}

#[test]
fn single_value_helpers() {
    use super::{format_value, write_sprint, write_value};
    assert_eq!(format_value(&Value::int(255), 'x'), "ff");
    assert_eq!(format_value(&Value::string("a"), 'q'), "\"a\"");
    assert_eq!(format_value(&Value::Nil, 'd'), "%!d(<nil>)");
    assert_eq!(
        format_value(&Value::Float(1.0), '%'),
        "%%!(EXTRA float64=1)"
    );
    let mut out = String::from(">");
    write_value(&mut out, &Value::Float(1e21));
    write_value(&mut out, &Value::Uint(7, UintType::Uint8));
    write_value(&mut out, &Value::Bool(false));
    write_sprint(&mut out, &[Value::int(1), Value::int(2)]);
    write_sprint(&mut out, &[]);
    assert_eq!(out, ">1e+217false1 2");
}

#[test]
fn arbitrary_directives_never_panic() {
    // A deterministic stream of random format strings over the directive alphabet, against
    // operands of every kind.
    const ALPHABET: &[char] = &[
        '%', '%', '%', '-', '+', '#', ' ', '0', '1', '9', '.', '*', '[', ']', 'v', 'd', 's', 'q',
        'x', 'X', 'T', 't', 'c', 'U', 'e', 'E', 'f', 'F', 'g', 'G', 'b', 'o', 'O', 'p', 'w', 'é',
        'a',
    ];
    let operands = [
        Value::Nil,
        Value::Invalid,
        Value::int(-3),
        Value::Int(i64::MIN, IntType::Int64),
        Value::Uint(u64::from(u8::MAX), UintType::Uint8),
        Value::Float(-0.0),
        Value::Float(f64::NAN),
        Value::Float(1e300),
        Value::Complex(1.5, -2.0),
        Value::string("héllo\n"),
        Value::Bytes(Arc::from(&b"\xffa\xc3"[..])),
        Value::list(vec![Value::Nil, Value::string("a"), Value::Float(2.5)]),
        Value::Map(chart_values()),
        Value::Object(Arc::new(Version("1.2.3".into()))),
    ];
    let mut random = crate::testing::Xorshift::new(0x2545_F491_4F6C_DD1D);
    for _ in 0..20_000 {
        let len = random.below(12);
        let format: String = (0..len).map(|_| random.pick(ALPHABET)).collect();
        let count = random.below(4);
        let args: Vec<Value> = (0..count)
            .map(|_| operands[random.below(operands.len())].clone())
            .collect();
        let _ = sprintf(&format, &args);
        let _ = sprint(&args);
        let _ = sprintln(&args);
    }
}
