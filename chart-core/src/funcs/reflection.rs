//! Template functions: reflection. Sprig's `typeOf`, `typeIs`, `typeIsLike`, `kindOf`,
//! `kindIs` and `deepEqual` (Go's `reflect.DeepEqual`).
//!
//! Type names are Go's `%T` (`[]interface {}`, `common.Values`, `*semver.Version`, `<nil>`);
//! kind names are `reflect.Kind`'s (`slice`, `map`, `ptr`, and `invalid` for nil).

use super::{Args, FnCtx, FnError, Func, GoType};
use crate::value::Value;

pub(super) const FUNCS: &[Func] = &[
    Func {
        name: "typeOf",
        params: &[GoType::Any],
        variadic: None,
        call: type_of,
    },
    Func {
        name: "typeIs",
        params: &[GoType::String, GoType::Any],
        variadic: None,
        call: type_is,
    },
    Func {
        name: "typeIsLike",
        params: &[GoType::String, GoType::Any],
        variadic: None,
        call: type_is_like,
    },
    Func {
        name: "kindOf",
        params: &[GoType::Any],
        variadic: None,
        call: kind_of,
    },
    Func {
        name: "kindIs",
        params: &[GoType::String, GoType::Any],
        variadic: None,
        call: kind_is,
    },
    Func {
        name: "deepEqual",
        params: &[GoType::Any, GoType::Any],
        variadic: None,
        call: deep_equal,
    },
];

fn arg(args: &[Value], index: usize) -> &Value {
    args.get(index).unwrap_or(&Value::Nil)
}

fn target(args: &[Value]) -> &str {
    arg(args, 0).as_str().unwrap_or_default()
}

/// Sprig's `typeOf`: `fmt.Sprintf("%T", v)`.
fn type_of(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(arg(&args, 0).type_name().into_owned()))
}

/// Sprig's `typeIs TYPE V`: whether `V`'s type is exactly `TYPE`.
fn type_is(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(arg(&args, 1).type_name() == target(&args)))
}

/// Sprig's `typeIsLike TYPE V`: whether `V`'s type is `TYPE` or a pointer to it.
fn type_is_like(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let actual = arg(&args, 1).type_name();
    let wanted = target(&args);
    Ok(Value::Bool(
        actual == wanted || actual.strip_prefix('*') == Some(wanted),
    ))
}

/// Sprig's `kindOf`: the name of `V`'s `reflect.Kind`.
fn kind_of(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(arg(&args, 0).kind().name()))
}

/// Sprig's `kindIs KIND V`.
fn kind_is(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(arg(&args, 1).kind().name() == target(&args)))
}

/// Sprig's `deepEqual`: Go's `reflect.DeepEqual`, so types must match (`1` is not `1.0`).
fn deep_equal(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(arg(&args, 0).deep_equal(arg(&args, 1))))
}
