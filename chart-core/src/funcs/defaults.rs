//! Template functions: defaults and flow. Sprig's `default`, `empty`, `coalesce`, `all`,
//! `any` and `ternary`. (`compact` lives with the lists; Helm's `required` and `fail` with
//! Helm's functions.)
//!
//! All of them rest on Sprig's `empty`, which is Go's zero-value test and differs from
//! template truthiness in one place: a struct is never empty.

use super::{Args, FnCtx, FnError, Func, GoType};
use crate::value::Value;

pub(super) const FUNCS: &[Func] = &[
    Func {
        name: "default",
        params: &[GoType::Any],
        variadic: Some(GoType::Any),
        call: default,
    },
    Func {
        name: "empty",
        params: &[GoType::Any],
        variadic: None,
        call: empty,
    },
    Func {
        name: "coalesce",
        params: &[],
        variadic: Some(GoType::Any),
        call: coalesce,
    },
    Func {
        name: "all",
        params: &[],
        variadic: Some(GoType::Any),
        call: all,
    },
    Func {
        name: "any",
        params: &[],
        variadic: Some(GoType::Any),
        call: any,
    },
    Func {
        name: "ternary",
        params: &[GoType::Any, GoType::Any, GoType::Bool],
        variadic: None,
        call: ternary,
    },
];

/// Sprig's `empty`: whether `value` is the zero value of its type. Nil, `false`, zero numbers
/// and empty strings, slices and maps are empty; a struct never is; a pointer is empty only
/// when nil.
pub(super) fn is_empty(value: &Value) -> bool {
    match value {
        Value::Invalid | Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i, _) => *i == 0,
        Value::Uint(u, _) => *u == 0,
        Value::Float(f) => *f == 0.0,
        Value::Complex(re, im) => *re == 0.0 && *im == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        // Structs report true; only a nil pointer reports false.
        Value::Object(o) => !o.is_true(),
    }
}

/// Sprig's `default DEFAULT [GIVEN...]`: `GIVEN` (the first of them; the rest are ignored)
/// unless it is missing or empty.
fn default(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let mut args = args.into_iter();
    let fallback = args.next().unwrap_or(Value::Nil);
    Ok(match args.next() {
        Some(given) if !is_empty(&given) => given,
        _ => fallback,
    })
}

/// Sprig's `empty`.
fn empty(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(args.first().is_none_or(is_empty)))
}

/// Sprig's `coalesce`: the first non-empty argument, or nil.
fn coalesce(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(args
        .into_iter()
        .find(|v| !is_empty(v))
        .unwrap_or(Value::Nil))
}

/// Sprig's `all`: whether no argument is empty (true without arguments).
fn all(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(!args.iter().any(is_empty)))
}

/// Sprig's `any`: whether some argument is not empty (false without arguments).
fn any(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(args.iter().any(|v| !is_empty(v))))
}

/// Sprig's `ternary TRUE_VALUE FALSE_VALUE CONDITION`.
fn ternary(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let mut args = args.into_iter();
    let if_true = args.next().unwrap_or(Value::Nil);
    let if_false = args.next().unwrap_or(Value::Nil);
    let condition = matches!(args.next(), Some(Value::Bool(true)));
    Ok(if condition { if_true } else { if_false })
}
