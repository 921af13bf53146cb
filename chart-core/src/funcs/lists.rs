//! Template functions: lists. Sprig's list functions (`list`, `append`, `first`, `uniq`,
//! `slice`, `chunk`, ...) and its integer sequences (`until`, `untilStep`, `seq`).
//!
//! Sprig reaches list elements through reflection, so every function accepts any Go slice
//! (`[]interface {}`, `[]string`, `[]int`, `[]byte`, ...) and rejects other kinds with a message
//! naming the kind (`Cannot find first on type string`). A nil argument has no type at all:
//! Sprig calls `reflect.TypeOf(nil).Kind()`, which panics with a nil pointer dereference.
//! Results are new slices; the argument is never modified. Most results are `[]interface {}`
//! whatever the input's element type, as in Sprig.

use super::defaults::is_empty;
use super::{Args, FnCtx, FnError, Func, GoType, cast};
use crate::value::{List, ListType, UintType, Value};

/// The most elements `until`, `untilStep` and `seq` produce. Go would try to allocate any
/// size (and exhaust memory); we refuse sequences longer than this instead.
pub(super) const MAX_SEQUENCE_LEN: usize = 1_000_000;

/// A [`Func`] entry. The plain and `must` variants share one implementation: Sprig's plain
/// ones panic where the `must` ones return an error, and Go's template engine reports both
/// with the same text.
macro_rules! func {
    ($name:expr, [$($param:expr),*], $variadic:expr, $call:expr) => {
        Func {
            name: $name,
            params: &[$($param),*],
            variadic: $variadic,
            call: $call,
        }
    };
}

pub(super) const FUNCS: &[Func] = &[
    func!("list", [], Some(GoType::Any), list),
    func!("tuple", [], Some(GoType::Any), list),
    func!("append", [GoType::Any, GoType::Any], None, push),
    func!("push", [GoType::Any, GoType::Any], None, push),
    func!("mustAppend", [GoType::Any, GoType::Any], None, push),
    func!("mustPush", [GoType::Any, GoType::Any], None, push),
    func!("prepend", [GoType::Any, GoType::Any], None, prepend),
    func!("mustPrepend", [GoType::Any, GoType::Any], None, prepend),
    func!("first", [GoType::Any], None, first),
    func!("mustFirst", [GoType::Any], None, first),
    func!("rest", [GoType::Any], None, rest),
    func!("mustRest", [GoType::Any], None, rest),
    func!("last", [GoType::Any], None, last),
    func!("mustLast", [GoType::Any], None, last),
    func!("initial", [GoType::Any], None, initial),
    func!("mustInitial", [GoType::Any], None, initial),
    func!("reverse", [GoType::Any], None, reverse),
    func!("mustReverse", [GoType::Any], None, reverse),
    func!("uniq", [GoType::Any], None, uniq),
    func!("mustUniq", [GoType::Any], None, uniq),
    func!("without", [GoType::Any], Some(GoType::Any), without),
    func!("mustWithout", [GoType::Any], Some(GoType::Any), without),
    func!("has", [GoType::Any, GoType::Any], None, has),
    func!("mustHas", [GoType::Any, GoType::Any], None, has),
    func!("compact", [GoType::Any], None, compact),
    func!("mustCompact", [GoType::Any], None, compact),
    func!("slice", [GoType::Any], Some(GoType::Any), slice),
    func!("mustSlice", [GoType::Any], Some(GoType::Any), slice),
    func!("concat", [], Some(GoType::Any), concat),
    func!("chunk", [GoType::Int, GoType::Any], None, chunk),
    func!("mustChunk", [GoType::Int, GoType::Any], None, chunk),
    func!("sortAlpha", [GoType::Any], None, sort_alpha),
    func!("until", [GoType::Int], None, until),
    func!(
        "untilStep",
        [GoType::Int, GoType::Int, GoType::Int],
        None,
        until_step
    ),
    func!("seq", [], Some(GoType::Int), seq),
];

/// What Go reports when Sprig asks a nil interface for its type's kind.
fn nil_dereference() -> FnError {
    FnError::new("runtime error: invalid memory address or nil pointer dereference")
}

/// The elements of a Go slice, or `None` for a value of another kind. A `[]byte` is a slice
/// of `uint8`s.
pub(super) fn slice_items(value: &Value) -> Option<Vec<Value>> {
    match value {
        Value::List(l) => Some(l.to_vec()),
        Value::Bytes(b) => Some(
            b.iter()
                .map(|&byte| Value::Uint(u64::from(byte), UintType::Uint8))
                .collect(),
        ),
        _ => None,
    }
}

/// The elements of Sprig's list argument: a nil panics as in Go, another kind yields the
/// function's own message, which `message` builds from the kind's name.
fn list_arg(value: &Value, message: impl FnOnce(&str) -> String) -> Result<Vec<Value>, FnError> {
    if value.is_nil() {
        return Err(nil_dereference());
    }
    slice_items(value).ok_or_else(|| FnError::new(message(value.kind().name())))
}

fn arg(args: &[Value], index: usize) -> &Value {
    args.get(index).unwrap_or(&Value::Nil)
}

fn int_arg(args: &[Value], index: usize) -> i64 {
    match args.get(index) {
        Some(Value::Int(i, _)) => *i,
        _ => 0,
    }
}

fn any_list(items: Vec<Value>) -> Value {
    Value::List(List::new(items))
}

/// Sprig's `list`/`tuple`: the arguments as a `[]interface {}`.
fn list(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(any_list(args.into_vec()))
}

/// Sprig's `append`/`push`: a copy of the list with `v` added at the end.
fn push(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let mut items = list_arg(arg(&args, 0), |k| format!("Cannot push on type {k}"))?;
    items.push(arg(&args, 1).clone());
    Ok(any_list(items))
}

/// Sprig's `prepend`: a copy of the list with `v` added at the front.
fn prepend(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let items = list_arg(arg(&args, 0), |k| format!("Cannot prepend on type {k}"))?;
    let mut out = Vec::with_capacity(items.len() + 1);
    out.push(arg(&args, 1).clone());
    out.extend(items);
    Ok(any_list(out))
}

/// Sprig's `first`: the first element, or nil for an empty list.
fn first(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let items = list_arg(arg(&args, 0), |k| format!("Cannot find first on type {k}"))?;
    Ok(items.into_iter().next().unwrap_or(Value::Nil))
}

/// Sprig's `last`: the last element, or nil for an empty list.
fn last(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let items = list_arg(arg(&args, 0), |k| format!("Cannot find last on type {k}"))?;
    Ok(items.into_iter().next_back().unwrap_or(Value::Nil))
}

/// Sprig's `rest`: every element but the first.
fn rest(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let items = list_arg(arg(&args, 0), |k| format!("Cannot find rest on type {k}"))?;
    Ok(any_list(items.into_iter().skip(1).collect()))
}

/// Sprig's `initial`: every element but the last.
fn initial(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let mut items = list_arg(arg(&args, 0), |k| {
        format!("Cannot find initial on type {k}")
    })?;
    items.pop();
    Ok(any_list(items))
}

/// Sprig's `reverse`: the elements in reverse order.
fn reverse(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let mut items = list_arg(arg(&args, 0), |k| {
        format!("Cannot find reverse on type {k}")
    })?;
    items.reverse();
    Ok(any_list(items))
}

/// Whether `needle` is `reflect.DeepEqual` to one of `haystack`.
fn contains(haystack: &[Value], needle: &Value) -> bool {
    haystack.iter().any(|h| needle.deep_equal(h))
}

/// Sprig's `uniq`: the elements without repeats (by `reflect.DeepEqual`, so `1` and `"1"`
/// differ), first occurrence kept.
fn uniq(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let items = list_arg(arg(&args, 0), |k| format!("Cannot find uniq on type {k}"))?;
    let mut out: Vec<Value> = Vec::new();
    for item in items {
        if !contains(&out, &item) {
            out.push(item);
        }
    }
    Ok(any_list(out))
}

/// Sprig's `without LIST V...`: the elements deep-equal to none of the `V`s.
fn without(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let items = list_arg(arg(&args, 0), |k| {
        format!("Cannot find without on type {k}")
    })?;
    let omit = args.get(1..).unwrap_or_default();
    Ok(any_list(
        items
            .into_iter()
            .filter(|item| !contains(omit, item))
            .collect(),
    ))
}

/// Sprig's `has NEEDLE LIST`. Unlike the other list functions it accepts a nil list (false).
fn has(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let haystack = arg(&args, 1);
    if haystack.is_nil() {
        return Ok(Value::Bool(false));
    }
    let items = list_arg(haystack, |k| format!("Cannot find has on type {k}"))?;
    Ok(Value::Bool(contains(&items, arg(&args, 0))))
}

/// Sprig's `compact`: the elements that are not `empty`.
fn compact(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let items = list_arg(arg(&args, 0), |k| format!("Cannot compact on type {k}"))?;
    Ok(any_list(
        items.into_iter().filter(|item| !is_empty(item)).collect(),
    ))
}

/// Sprig's `slice LIST [START [END]]`, which replaces Go's builtin: indices go through
/// `cast.ToInt`, the result keeps the list's own type, an empty list gives nil, and strings
/// are refused (Sprig v3.3.0 only slices slices).
///
/// Divergence: Go checks `END` against the slice's capacity, which can exceed its length
/// after `append`; we check it against the length.
fn slice(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let list = arg(&args, 0);
    if list.is_nil() {
        return Err(nil_dereference());
    }
    let len = match list {
        Value::List(l) => l.len(),
        Value::Bytes(b) => b.len(),
        other => {
            return Err(FnError::new(format!(
                "list should be type of slice or array but {}",
                other.kind().name()
            )));
        }
    };
    if len == 0 {
        return Ok(Value::Nil);
    }
    let start = args.get(1).map_or(0, cast::to_int);
    let end = match args.get(2) {
        Some(v) => cast::to_int(v),
        None => i64::try_from(len).unwrap_or(i64::MAX),
    };
    let bounds = usize::try_from(start)
        .ok()
        .zip(usize::try_from(end).ok())
        .filter(|&(s, e)| s <= e && e <= len);
    let Some((start, end)) = bounds else {
        return Err(FnError::new(
            "reflect.Value.Slice: slice index out of bounds",
        ));
    };
    Ok(match list {
        Value::List(l) => Value::List(List::with_type(
            l.ty(),
            l.items().get(start..end).unwrap_or_default().to_vec(),
        )),
        Value::Bytes(b) => Value::Bytes(b.get(start..end).unwrap_or_default().into()),
        _ => Value::Nil,
    })
}

/// Sprig's `concat LIST...`: the elements of every list, in order, as one `[]interface {}`.
/// A non-list argument makes Sprig panic with a plain string.
fn concat(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let mut out = Vec::new();
    for list in &args {
        out.extend(list_arg(list, |k| {
            format!("Cannot concat type {k} as list")
        })?);
    }
    Ok(any_list(out))
}

/// Go's conversion of a float64 to int on amd64: NaN and out-of-range values become the
/// minimum int.
fn go_float_to_int(f: f64) -> i64 {
    // 2^63 as a float64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if (-LIMIT..LIMIT).contains(&f) {
        // In range, so `as` truncates exactly as Go does.
        f as i64
    } else {
        i64::MIN
    }
}

fn makeslice_error() -> FnError {
    FnError::new("runtime error: makeslice: len out of range")
}

/// Sprig's `chunk SIZE LIST`: the list cut into `[]interface {}` pieces of `SIZE` elements
/// (the last one shorter), as a `[][]interface {}`.
///
/// Sprig computes the piece count and the last piece's length in floating point, so odd
/// sizes behave as Go does: a size of 0 panics in `make`, and a negative size gives an
/// empty result or a panic depending on the length.
fn chunk(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let size = int_arg(&args, 0);
    let items = list_arg(arg(&args, 1), |k| format!("Cannot chunk type {k}"))?;
    let len = items.len() as f64;
    let count = go_float_to_int(((len - 1.0) / size as f64).floor() + 1.0);
    if count < 0 {
        return Err(makeslice_error());
    }
    let mut chunks = Vec::new();
    for i in 0..count {
        let mut piece_len = size;
        if i == count - 1 {
            piece_len = go_float_to_int((len % size as f64).floor());
            if piece_len == 0 {
                piece_len = size;
            }
        }
        if piece_len < 0 {
            return Err(makeslice_error());
        }
        let mut piece = Vec::new();
        for j in 0..piece_len {
            let element = i
                .checked_mul(size)
                .and_then(|base| base.checked_add(j))
                .and_then(|ix| usize::try_from(ix).ok())
                .and_then(|ix| items.get(ix));
            match element {
                Some(v) => piece.push(v.clone()),
                None => return Err(FnError::new("reflect: slice index out of range")),
            }
        }
        chunks.push(any_list(piece));
    }
    Ok(Value::List(List::with_type(ListType::AnyList, chunks)))
}

/// Sprig's `sortAlpha`: the elements as strings (Sprig's `strslice`: nils dropped, the rest
/// through `strval`), sorted by bytes, as a `[]string`. A non-list becomes a one-element list.
fn sort_alpha(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let value = arg(&args, 0);
    let mut strings: Vec<String> = match slice_items(value) {
        Some(items) => items
            .iter()
            .filter(|v| !v.is_nil())
            .map(cast::to_string)
            .collect(),
        None => vec![cast::to_string(value)],
    };
    strings.sort_unstable();
    Ok(Value::str_list(strings))
}

/// The number of elements of Sprig's `untilStep(start, stop, step)`, or an error when it
/// exceeds [`MAX_SEQUENCE_LEN`] (or would make Go's loop counter overflow and run on).
fn step_count(start: i64, stop: i64, step: i64) -> Result<usize, FnError> {
    let (start, stop, step) = (i128::from(start), i128::from(stop), i128::from(step));
    let span = if stop < start {
        if step >= 0 {
            return Ok(0);
        }
        start - stop
    } else {
        if step <= 0 {
            return Ok(0);
        }
        stop - start
    };
    let magnitude = step.abs();
    let count = (span + magnitude - 1) / magnitude;
    // Go's `i += step` wraps around when the element after the last overflows int64, and
    // the loop then runs on for an astronomical number of rounds.
    let after_last = start + count * step;
    let overflows = after_last > i128::from(i64::MAX) || after_last < i128::from(i64::MIN);
    match usize::try_from(count) {
        Ok(n) if n <= MAX_SEQUENCE_LEN && !overflows => Ok(n),
        _ => Err(FnError::new(format!(
            "sequence of more than {MAX_SEQUENCE_LEN} elements refused"
        ))),
    }
}

/// Sprig's `untilStep` as a vector of Go ints.
fn step_sequence(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FnError> {
    let count = step_count(start, stop, step)?;
    let mut out = Vec::with_capacity(count);
    let mut next = start;
    for _ in 0..count {
        out.push(next);
        next = next.wrapping_add(step);
    }
    Ok(out)
}

fn int_list(items: Vec<i64>) -> Value {
    Value::List(List::with_type(
        ListType::Int,
        items.into_iter().map(Value::int).collect(),
    ))
}

/// Sprig's `until N`: `0 … N-1` (or `0 … N+1` counting down for a negative `N`), a `[]int`.
fn until(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let count = int_arg(&args, 0);
    let step = if count < 0 { -1 } else { 1 };
    Ok(int_list(step_sequence(0, count, step)?))
}

/// Sprig's `untilStep START STOP STEP`: from `START` towards `STOP` (excluded) by `STEP`; an
/// empty `[]int` when the step points away from `STOP`.
fn until_step(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(int_list(step_sequence(
        int_arg(&args, 0),
        int_arg(&args, 1),
        int_arg(&args, 2),
    )?))
}

/// Sprig's `seq`, as the Unix command: `seq END`, `seq START END`, `seq START STEP END`, with
/// END included, joined by spaces into a string. Other argument counts give "".
fn seq(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let params: Vec<i64> = (0..args.len()).map(|i| int_arg(&args, i)).collect();
    // Sprig adds the direction to END to make it inclusive; Go's int addition wraps.
    let numbers = match params[..] {
        [end] => {
            let increment = if end < 1 { -1 } else { 1 };
            step_sequence(1, end.wrapping_add(increment), increment)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            step_sequence(start, end.wrapping_add(step), step)?
        }
        [start, step, end] => {
            let mut increment = 1;
            if end < start {
                increment = -1;
                if step > 0 {
                    return Ok(Value::from(""));
                }
            }
            step_sequence(start, end.wrapping_add(increment), step)?
        }
        _ => Vec::new(),
    };
    let mut text = String::new();
    for (i, n) in numbers.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(&n.to_string());
    }
    Ok(Value::from(text))
}

#[cfg(test)]
mod conformance;

#[cfg(test)]
mod helm_cases;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::FuncEnv;
    use crate::random::Random;

    fn call(name: &str, args: Vec<Value>) -> Result<Value, FnError> {
        let func = FUNCS
            .iter()
            .find(|f| f.name == name)
            .expect("a list function");
        let mut random = Random::from_seed(1);
        let env = FuncEnv::default();
        let mut ctx = FnCtx::new(&mut random, &env);
        (func.call)(&mut ctx, args.into())
    }

    fn ints(values: &[i64]) -> Vec<Value> {
        values.iter().copied().map(Value::int).collect()
    }

    /// Divergence: Go would allocate (or loop) until memory runs out.
    #[test]
    fn huge_sequences_are_refused() {
        let limit = i64::try_from(MAX_SEQUENCE_LEN).unwrap_or(i64::MAX);
        assert!(call("until", ints(&[limit + 1])).is_err());
        assert!(call("until", ints(&[-limit - 1])).is_err());
        assert!(call("untilStep", ints(&[0, i64::MAX, 1])).is_err());
        assert!(call("seq", ints(&[0, i64::MAX - 1])).is_err());
        // Go's counter wraps past int64 here and the loop runs on.
        assert!(call("untilStep", ints(&[5, i64::MIN, -i64::MAX])).is_err());
        let at_limit = call("until", ints(&[limit])).expect("the limit itself is allowed");
        assert_eq!(at_limit.as_list().map(List::len), Some(MAX_SEQUENCE_LEN));
    }

    #[test]
    fn sequences_at_the_ends_of_int64() {
        let last = call("untilStep", ints(&[i64::MAX - 1, i64::MAX, 1])).expect("fits");
        assert!(last.deep_equal(&int_list(vec![i64::MAX - 1])));
        let down = call("untilStep", ints(&[i64::MIN + 1, i64::MIN, -1])).expect("fits");
        assert!(down.deep_equal(&int_list(vec![i64::MIN + 1])));
        // `seq` adds 1 to END, which wraps in Go and leaves nothing to count.
        let wrapped = call("seq", ints(&[i64::MAX])).expect("empty");
        assert_eq!(wrapped.as_str(), Some(""));
    }

    #[test]
    fn lists_of_bytes_hold_uint8s() {
        let bytes = Value::Bytes(b"hi".to_vec().into());
        let first = call("first", vec![bytes.clone()]).expect("a byte");
        assert!(first.deep_equal(&Value::Uint(104, UintType::Uint8)));
        let whole = call("slice", vec![bytes.clone()]).expect("a byte slice");
        assert!(whole.deep_equal(&bytes));
        let reversed = call("reverse", vec![bytes]).expect("a list");
        let expected = Value::list(vec![
            Value::Uint(105, UintType::Uint8),
            Value::Uint(104, UintType::Uint8),
        ]);
        assert!(reversed.deep_equal(&expected));
    }
}
