//! Go's builtin template functions (`text/template/funcs.go`): comparison, `index`, `len`,
//! `not`, `call`, the print family and the escapers, with Go's error texts.

use super::ast::{Arg, Builtin};
use crate::funcs::GoType;
use crate::value::{Kind, Value};

/// The Go signature of a builtin: fixed parameters and variadic element type.
pub(crate) fn signature(b: Builtin) -> (&'static [GoType], Option<GoType>) {
    const R: GoType = GoType::Reflect;
    match b {
        Builtin::And
        | Builtin::Or
        | Builtin::Index
        | Builtin::Slice
        | Builtin::Call
        | Builtin::Eq => (&[R], Some(R)),
        Builtin::Not | Builtin::Len => (&[R], None),
        Builtin::Print | Builtin::Println | Builtin::Html | Builtin::Js | Builtin::Urlquery => {
            (&[], Some(GoType::Any))
        }
        Builtin::Printf => (&[GoType::String], Some(GoType::Any)),
        Builtin::Ne | Builtin::Lt | Builtin::Le | Builtin::Gt | Builtin::Ge => (&[R, R], None),
    }
}

/// Every builtin, for [`by_name`]: each is named by [`Builtin::name`].
pub(crate) const ALL: [Builtin; 19] = [
    Builtin::And,
    Builtin::Or,
    Builtin::Not,
    Builtin::Len,
    Builtin::Index,
    Builtin::Slice,
    Builtin::Call,
    Builtin::Print,
    Builtin::Printf,
    Builtin::Println,
    Builtin::Html,
    Builtin::Js,
    Builtin::Urlquery,
    Builtin::Eq,
    Builtin::Ne,
    Builtin::Lt,
    Builtin::Le,
    Builtin::Gt,
    Builtin::Ge,
];

/// The builtin named `name`.
pub(crate) fn by_name(name: &str) -> Option<Builtin> {
    ALL.into_iter().find(|b| b.name() == name)
}

impl Builtin {
    /// The name templates call it by.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Builtin::And => "and",
            Builtin::Or => "or",
            Builtin::Not => "not",
            Builtin::Len => "len",
            Builtin::Index => "index",
            Builtin::Slice => "slice",
            Builtin::Call => "call",
            Builtin::Print => "print",
            Builtin::Printf => "printf",
            Builtin::Println => "println",
            Builtin::Html => "html",
            Builtin::Js => "js",
            Builtin::Urlquery => "urlquery",
            Builtin::Eq => "eq",
            Builtin::Ne => "ne",
            Builtin::Lt => "lt",
            Builtin::Le => "le",
            Builtin::Gt => "gt",
            Builtin::Ge => "ge",
        }
    }
}

/// Go's truthiness of an argument of `and`, `or` and `not`.
pub(crate) fn truth(v: &Value) -> bool {
    v.is_true()
}

/// Calls builtin `b`. `argv` holds the converted arguments; `args` the argument nodes (for
/// `call`, whose error names its first argument).
pub(crate) fn call(b: Builtin, argv: &[Value], args: &[Arg]) -> Result<Value, String> {
    let first = argv.first().cloned().unwrap_or(Value::Invalid);
    match b {
        Builtin::And | Builtin::Or => unreachable_short_circuit(),
        Builtin::Not => Ok(Value::Bool(!truth(&first))),
        Builtin::Len => length(&first).map(Value::int),
        Builtin::Index => index(&first, &argv[1..]),
        Builtin::Slice => Err("slice is provided by the function library".into()),
        Builtin::Call => {
            let name = args.first().map(ToString::to_string).unwrap_or_default();
            match &first {
                Value::Invalid | Value::Nil => Err("call of nil".into()),
                v => Err(format!("non-function {name} of type {}", v.type_name())),
            }
        }
        Builtin::Print => Ok(Value::from(crate::gofmt::sprint(argv))),
        Builtin::Println => Ok(Value::from(crate::gofmt::sprintln(argv))),
        Builtin::Printf => {
            let format = first.as_str().unwrap_or_default().to_string();
            Ok(Value::from(crate::gofmt::sprintf(&format, &argv[1..])))
        }
        Builtin::Html => Ok(Value::from(html_escape(&eval_args(argv)))),
        Builtin::Js => Ok(Value::from(js_escape(&eval_args(argv)))),
        Builtin::Urlquery => Ok(Value::from(query_escape(&eval_args(argv)))),
        Builtin::Eq => eq(&first, &argv[1..]).map(Value::Bool),
        Builtin::Ne => eq(&first, &argv[1..2]).map(|t| Value::Bool(!t)),
        Builtin::Lt => lt(&first, &argv[1]).map(Value::Bool),
        Builtin::Le => le(&first, &argv[1]).map(Value::Bool),
        Builtin::Gt => le(&first, &argv[1]).map(|t| Value::Bool(!t)),
        Builtin::Ge => lt(&first, &argv[1]).map(|t| Value::Bool(!t)),
    }
}

fn unreachable_short_circuit() -> Result<Value, String> {
    Err("and/or are evaluated by the evaluator".into())
}

/// The basic kinds Go's comparison functions distinguish.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum BasicKind {
    Invalid,
    Bool,
    Complex,
    Int,
    Float,
    String,
    Uint,
}

fn basic_kind(v: &Value) -> BasicKind {
    match v {
        Value::Bool(_) => BasicKind::Bool,
        Value::Int(..) => BasicKind::Int,
        Value::Uint(..) => BasicKind::Uint,
        Value::Float(_) => BasicKind::Float,
        Value::Complex(..) => BasicKind::Complex,
        Value::String(_) => BasicKind::String,
        _ => BasicKind::Invalid,
    }
}

/// Go's `indirectInterface`: a nil interface is no value.
fn concrete(v: &Value) -> Value {
    match v {
        Value::Nil => Value::Invalid,
        // Named integer types (`time.Month`) compare as integers.
        Value::Object(o) if o.as_int().is_some() => Value::int64(o.as_int().unwrap_or_default()),
        other => other.clone(),
    }
}

const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";

fn type_of(v: &Value) -> String {
    v.type_name().into_owned()
}

fn eq(arg1: &Value, rest: &[Value]) -> Result<bool, String> {
    let a = concrete(arg1);
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(&a);
    for arg in rest {
        let b = concrete(arg);
        let k2 = basic_kind(&b);
        let truth = if k1 != k2 {
            match (&a, &b) {
                (Value::Int(i, _), Value::Uint(u, _)) => *i >= 0 && *i as u64 == *u,
                (Value::Uint(u, _), Value::Int(i, _)) => *i >= 0 && *u == *i as u64,
                _ => {
                    if !matches!(a, Value::Invalid) && !matches!(b, Value::Invalid) {
                        return Err(format!(
                            "incompatible types for comparison: {} and {}",
                            type_of(&a),
                            type_of(&b)
                        ));
                    }
                    false
                }
            }
        } else {
            match (&a, &b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Complex(r1, i1), Value::Complex(r2, i2)) => r1 == r2 && i1 == i2,
                (Value::Float(x), Value::Float(y)) => x == y,
                (Value::Int(x, _), Value::Int(y, _)) => x == y,
                (Value::String(x), Value::String(y)) => x == y,
                (Value::Uint(x, _), Value::Uint(y, _)) => x == y,
                _ => {
                    let (nil_a, nil_b) = (is_nil(&a), is_nil(&b));
                    if a.kind() != b.kind() && !nil_a && !nil_b {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            crate::gofmt::sprintf("%s", std::slice::from_ref(&a)),
                            type_of(&a),
                            type_of(&b),
                            crate::gofmt::sprintf("%v", std::slice::from_ref(&b)),
                        ));
                    }
                    if nil_a || nil_b {
                        nil_a == nil_b
                    } else {
                        if !comparable(&b) {
                            return Err(format!(
                                "non-comparable type {}: {}",
                                crate::gofmt::sprintf("%s", std::slice::from_ref(&b)),
                                type_of(&b)
                            ));
                        }
                        match (&a, &b) {
                            // Pointers compare by identity, structs by value.
                            (Value::Object(x), Value::Object(y)) if x.kind() == Kind::Ptr => {
                                std::sync::Arc::ptr_eq(x, y)
                            }
                            (Value::Object(x), Value::Object(y)) => x.deep_equal(y.as_ref()),
                            _ => false,
                        }
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn is_nil(v: &Value) -> bool {
    matches!(v, Value::Invalid | Value::Nil)
}

fn comparable(v: &Value) -> bool {
    !matches!(v.kind(), Kind::Slice | Kind::Map | Kind::Func)
}

fn lt(arg1: &Value, arg2: &Value) -> Result<bool, String> {
    let a = concrete(arg1);
    let k1 = basic_kind(&a);
    if k1 == BasicKind::Invalid {
        return Err(BAD_COMPARISON_TYPE.into());
    }
    let b = concrete(arg2);
    let k2 = basic_kind(&b);
    if k2 == BasicKind::Invalid {
        return Err(BAD_COMPARISON_TYPE.into());
    }
    if k1 != k2 {
        return match (&a, &b) {
            (Value::Int(i, _), Value::Uint(u, _)) => Ok(*i < 0 || (*i as u64) < *u),
            (Value::Uint(u, _), Value::Int(i, _)) => Ok(*i >= 0 && *u < *i as u64),
            _ => Err(format!(
                "incompatible types for comparison: {} and {}",
                type_of(&a),
                type_of(&b)
            )),
        };
    }
    match (&a, &b) {
        (Value::Float(x), Value::Float(y)) => Ok(x < y),
        (Value::Int(x, _), Value::Int(y, _)) => Ok(x < y),
        (Value::String(x), Value::String(y)) => Ok(x.as_bytes() < y.as_bytes()),
        (Value::Uint(x, _), Value::Uint(y, _)) => Ok(x < y),
        _ => Err(BAD_COMPARISON_TYPE.into()),
    }
}

fn le(arg1: &Value, arg2: &Value) -> Result<bool, String> {
    if lt(arg1, arg2)? {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}

fn length(item: &Value) -> Result<i64, String> {
    let n = match item {
        Value::Nil => return Err("len of nil pointer".into()),
        Value::Invalid => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Value::String(s) => crate::value::gostring::go_len(s),
        Value::Bytes(b) => b.len(),
        Value::List(l) => l.len(),
        Value::Map(m) => m.len(),
        other => return Err(format!("len of type {}", other.type_name())),
    };
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

fn index_arg(index: &Value, cap: usize) -> Result<usize, String> {
    let x: i64 = match index {
        Value::Int(i, _) => *i,
        Value::Uint(u, _) => *u as i64,
        Value::Invalid | Value::Nil => return Err("cannot index slice/array with nil".into()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    match usize::try_from(x) {
        Ok(i) if i <= cap => Ok(i),
        _ => Err(format!("index out of range: {x}")),
    }
}

fn index(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    let mut item = concrete(item);
    if matches!(item, Value::Invalid) {
        return Err("index of untyped nil".into());
    }
    for idx in indexes {
        let idx = concrete(idx);
        if matches!(item, Value::Nil | Value::Invalid) {
            return Err("index of nil pointer".into());
        }
        item = match &item {
            Value::List(l) => {
                let x = index_arg(&idx, l.len())?;
                l.get(x)
                    .cloned()
                    .ok_or_else(|| "reflect: slice index out of range".to_string())?
            }
            Value::Bytes(b) => {
                let x = index_arg(&idx, b.len())?;
                let byte = b
                    .get(x)
                    .ok_or_else(|| "reflect: slice index out of range".to_string())?;
                Value::Uint(u64::from(*byte), crate::value::UintType::Uint8)
            }
            Value::String(s) => {
                let bytes = crate::value::gostring::to_go_bytes(s);
                let x = index_arg(&idx, bytes.len())?;
                let byte = bytes
                    .get(x)
                    .ok_or_else(|| "reflect: string index out of range".to_string())?;
                Value::Uint(u64::from(*byte), crate::value::UintType::Uint8)
            }
            Value::Map(m) => {
                let key = match &idx {
                    Value::String(k) => k.clone(),
                    Value::Invalid | Value::Nil => {
                        return Err("value is nil; should be of type string".into());
                    }
                    other => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        ));
                    }
                };
                match m.get(&*key) {
                    Some(v) => v,
                    None => match m.ty() {
                        crate::value::MapType::Str => Value::from(""),
                        crate::value::MapType::Files => Value::Bytes(std::sync::Arc::from(&[][..])),
                        _ => Value::Nil,
                    },
                }
            }
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

/// Go's `evalArgs` for the escapers: a lone string as is, anything else through `fmt.Sprint`.
fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    crate::gofmt::sprint(args)
}

/// Go's `HTMLEscapeString`.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `JSEscapeString`.
pub(crate) fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if c.is_ascii() => out.push(c),
            c if !c.is_control()
                && !matches!(c as u32, 0x2028 | 0x2029 | 0xFEFF | 0x200B..=0x200F) =>
            {
                out.push(c)
            }
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_follow_go_kinds() {
        assert_eq!(eq(&Value::int(1), &[Value::int64(1)]), Ok(true));
        assert_eq!(
            eq(&Value::int(1), &[Value::Float(1.0)]),
            Err("incompatible types for comparison: int and float64".into())
        );
        assert_eq!(eq(&Value::Nil, &[Value::int(1)]), Ok(false));
        assert_eq!(
            eq(&Value::int(1), &[Value::int(2), Value::int(1)]),
            Ok(true)
        );
        assert_eq!(
            lt(&Value::Bool(true), &Value::Bool(false)),
            Err(BAD_COMPARISON_TYPE.into())
        );
        assert_eq!(lt(&Value::from("a"), &Value::from("b")), Ok(true));
    }

    #[test]
    fn index_errors() {
        let l = Value::list(vec![Value::int(1)]);
        assert_eq!(
            index(&l, &[Value::int(5)]).unwrap_err(),
            "index out of range: 5"
        );
        assert_eq!(
            index(&l, &[Value::int(1)]).unwrap_err(),
            "reflect: slice index out of range"
        );
        assert_eq!(
            index(&Value::Invalid, &[Value::int(1)]).unwrap_err(),
            "index of untyped nil"
        );
        assert!(matches!(
            index(&Value::from("abc"), &[Value::int(1)]),
            Ok(Value::Uint(98, _))
        ));
    }

    #[test]
    fn escapers() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&#34;x&#34;&gt;&amp;&#39;"
        );
        assert_eq!(js_escape("a'b\"<=\n"), "a\\'b\\\"\\u003C\\u003D\\u000A");
        assert_eq!(query_escape("a b&c/é"), "a+b%26c%2F%C3%A9");
    }
}
