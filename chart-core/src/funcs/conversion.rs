//! Template functions: conversion. Sprig's `atoi`, `int`, `int64`, `float64`, `toDecimal`,
//! `toString` and `toStrings`, which never fail: what they cannot convert becomes 0 (see
//! [`cast`]).

use super::cast;
use super::{Args, FnCtx, FnError, Func, GoType};
use crate::gofmt;
use crate::value::Value;

pub(super) const FUNCS: &[Func] = &[
    func("atoi", &[GoType::String], atoi),
    func("int", &[GoType::Any], int),
    func("int64", &[GoType::Any], int64),
    func("float64", &[GoType::Any], float64),
    func("toDecimal", &[GoType::Any], to_decimal),
    func("toString", &[GoType::Any], to_string),
    func("toStrings", &[GoType::Any], to_strings),
];

const fn func(name: &'static str, params: &'static [GoType], call: super::NativeFn) -> Func {
    Func {
        name,
        params,
        variadic: None,
        call,
    }
}

fn arg(args: &[Value]) -> &Value {
    args.first().unwrap_or(&Value::Nil)
}

/// `atoi`: Go's `strconv.Atoi` with the error dropped (overflow clamps, bad text is 0).
fn atoi(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let text = arg(&args).as_str().unwrap_or("");
    Ok(Value::int(cast::atoi(text)))
}

fn int(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::int(cast::to_int(arg(&args))))
}

fn int64(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::int64(cast::to_int64(arg(&args))))
}

fn float64(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Float(cast::to_float64(arg(&args))))
}

/// `toDecimal`: the value printed with `fmt.Sprint`, read as an octal `int64` (`"0777"` and
/// `777` are 511); anything else, `"9"` included, is 0.
fn to_decimal(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let text = match arg(&args) {
        Value::String(s) => s.to_string(),
        Value::Int(i, _) => i.to_string(),
        other => gofmt::sprint(std::slice::from_ref(other)),
    };
    Ok(Value::int64(cast::parse_int(&text, 8).unwrap_or(0)))
}

/// `toString`: Sprig's `strval`.
fn to_string(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(cast::to_string(arg(&args))))
}

/// `toStrings`: Sprig's `strslice`, a `[]string`.
fn to_strings(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::str_list(cast::to_string_slice(arg(&args))))
}

#[cfg(test)]
mod tests;
