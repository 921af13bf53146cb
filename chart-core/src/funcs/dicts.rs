//! Template functions: dictionaries. Sprig's `dict`, `get`, `set`, `unset`, `hasKey`,
//! `pluck`, `dig`, `keys`, `values`, `pick`, `omit`, the `merge` family and `deepCopy`.
//!
//! Go maps are references, and Sprig relies on it: `set`, `unset` and `merge` modify the map
//! they are given and return that same map, so a chart that calls `set .Values ...` changes
//! `.Values` for every template rendered afterwards. [`Map`] handles share their table the
//! same way.
//!
//! Go iterates maps in random order, so `keys` and `values` have no defined order in Helm;
//! ours follow the sorted keys, which is one of the orders Helm can produce.

use super::{Args, FnCtx, FnError, Func, GoType, cast};
use crate::value::{Kind, List, ListType, Map, MapType, Value};

pub(super) const FUNCS: &[Func] = &[
    Func {
        name: "dict",
        params: &[],
        variadic: Some(GoType::Any),
        call: dict,
    },
    Func {
        name: "get",
        params: &[GoType::MapAny, GoType::String],
        variadic: None,
        call: get,
    },
    Func {
        name: "set",
        params: &[GoType::MapAny, GoType::String, GoType::Any],
        variadic: None,
        call: set,
    },
    Func {
        name: "unset",
        params: &[GoType::MapAny, GoType::String],
        variadic: None,
        call: unset,
    },
    Func {
        name: "hasKey",
        params: &[GoType::MapAny, GoType::String],
        variadic: None,
        call: has_key,
    },
    Func {
        name: "pluck",
        params: &[GoType::String],
        variadic: Some(GoType::MapAny),
        call: pluck,
    },
    Func {
        name: "dig",
        params: &[],
        variadic: Some(GoType::Any),
        call: dig,
    },
    Func {
        name: "keys",
        params: &[],
        variadic: Some(GoType::MapAny),
        call: keys,
    },
    Func {
        name: "values",
        params: &[GoType::MapAny],
        variadic: None,
        call: values,
    },
    Func {
        name: "pick",
        params: &[GoType::MapAny],
        variadic: Some(GoType::String),
        call: pick,
    },
    Func {
        name: "omit",
        params: &[GoType::MapAny],
        variadic: Some(GoType::String),
        call: omit,
    },
    Func {
        name: "merge",
        params: &[GoType::MapAny],
        variadic: Some(GoType::MapAny),
        call: merge,
    },
    Func {
        name: "mustMerge",
        params: &[GoType::MapAny],
        variadic: Some(GoType::MapAny),
        call: must_merge,
    },
    Func {
        name: "mergeOverwrite",
        params: &[GoType::MapAny],
        variadic: Some(GoType::MapAny),
        call: merge_overwrite,
    },
    Func {
        name: "mustMergeOverwrite",
        params: &[GoType::MapAny],
        variadic: Some(GoType::MapAny),
        call: must_merge_overwrite,
    },
    Func {
        name: "deepCopy",
        params: &[GoType::Any],
        variadic: None,
        call: deep_copy,
    },
    Func {
        name: "mustDeepCopy",
        params: &[GoType::Any],
        variadic: None,
        call: deep_copy,
    },
];

/// How deeply `merge` and `deepCopy` descend into nested maps and lists. Go has no limit and
/// crashes with a stack overflow on a map that contains itself; we fail with an error instead.
const MAX_NESTING: usize = 10_000;

fn nesting_error(what: &str) -> FnError {
    FnError::new(format!(
        "{what}: values nested more than {MAX_NESTING} levels deep"
    ))
}

fn arg(args: &[Value], index: usize) -> &Value {
    args.get(index).unwrap_or(&Value::Nil)
}

fn str_arg(args: &[Value], index: usize) -> &str {
    arg(args, index).as_str().unwrap_or_default()
}

/// A `map[string]interface {}` argument; a nil map reads as empty.
fn map_arg(args: &[Value], index: usize) -> Option<&Map> {
    arg(args, index).as_map()
}

/// Sprig's `dict K V K V ...`: keys go through `strval` (`dict 1 "one"` has the key `"1"`);
/// a key without a value maps to `""`; a later duplicate wins.
fn dict(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let map = Map::new();
    let mut pairs = args.into_iter();
    while let Some(key) = pairs.next() {
        let value = pairs.next().unwrap_or_else(|| Value::from(""));
        map.insert(cast::to_string(&key), value);
    }
    Ok(Value::Map(map))
}

/// Sprig's `get MAP KEY`: the value, or `""` when the key is absent.
fn get(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(map_arg(&args, 0)
        .and_then(|m| m.get(str_arg(&args, 1)))
        .unwrap_or_else(|| Value::from("")))
}

/// Sprig's `set MAP KEY VALUE`: stores into `MAP` itself and returns it.
fn set(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let Some(map) = map_arg(&args, 0) else {
        return Err(FnError::new("assignment to entry in nil map"));
    };
    map.insert(str_arg(&args, 1), arg(&args, 2).clone());
    Ok(Value::Map(map.clone()))
}

/// Sprig's `unset MAP KEY`: deletes from `MAP` itself and returns it.
fn unset(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let Some(map) = map_arg(&args, 0) else {
        return Ok(Value::Map(Map::new()));
    };
    map.remove(str_arg(&args, 1));
    Ok(Value::Map(map.clone()))
}

/// Sprig's `hasKey MAP KEY`, true even when the value is nil.
fn has_key(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(
        map_arg(&args, 0).is_some_and(|m| m.contains_key(str_arg(&args, 1))),
    ))
}

/// Sprig's `pluck KEY MAP...`: the value under `KEY` of each map that has it.
fn pluck(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let key = str_arg(&args, 0);
    let found = args
        .iter()
        .skip(1)
        .filter_map(Value::as_map)
        .filter_map(|m| m.get(key))
        .collect();
    Ok(Value::List(List::new(found)))
}

/// Go's message for a failed type assertion `v.(T)` on an `interface {}`.
fn assertion_error(value: &Value, wanted: &str) -> FnError {
    let actual = if value.is_nil() {
        "nil".into()
    } else {
        value.type_name()
    };
    FnError::new(format!(
        "interface conversion: interface {{}} is {actual}, not {wanted}"
    ))
}

const MAP_ANY: &str = "map[string]interface {}";

/// Go's assertion `v.(map[string]interface{})`: exactly that type, so neither a
/// `common.Values` nor a `map[string]string` passes.
fn assert_map_any(value: &Value) -> Result<&Map, FnError> {
    match value {
        Value::Map(m) if m.ty() == MapType::Any => Ok(m),
        other => Err(assertion_error(other, MAP_ANY)),
    }
}

/// Sprig's `dig KEY... DEFAULT MAP`: follows the keys down nested maps; `DEFAULT` when a key
/// is missing. Sprig asserts the types it expects, so a non-map on the way (or a non-string
/// key) fails with Go's interface conversion panic.
fn dig(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let [keys @ .., fallback, root] = &args[..] else {
        return Err(FnError::new("dig needs at least three arguments"));
    };
    if keys.is_empty() {
        return Err(FnError::new("dig needs at least three arguments"));
    }
    let mut map = assert_map_any(root)?.clone();
    let keys = keys
        .iter()
        .map(|k| k.as_str().ok_or_else(|| assertion_error(k, "string")))
        .collect::<Result<Vec<_>, _>>()?;
    let mut keys = keys.into_iter().peekable();
    while let Some(key) = keys.next() {
        let Some(step) = map.get(key) else {
            return Ok(fallback.clone());
        };
        if keys.peek().is_none() {
            return Ok(step);
        }
        map = assert_map_any(&step)?.clone();
    }
    Ok(fallback.clone())
}

/// Sprig's `keys MAP...`: the keys of every map, concatenated, as a `[]string`.
fn keys(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let all: Vec<String> = args
        .iter()
        .filter_map(Value::as_map)
        .flat_map(Map::keys)
        .collect();
    Ok(Value::str_list(all))
}

/// Sprig's `values MAP`: the values, as a `[]interface {}`.
fn values(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let all = map_arg(&args, 0).map_or_else(Vec::new, |m| {
        m.entries().into_iter().map(|(_, v)| v).collect()
    });
    Ok(Value::List(List::new(all)))
}

/// Sprig's `pick MAP KEY...`: a new map with only the listed keys that `MAP` has.
fn pick(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let out = Map::new();
    if let Some(map) = map_arg(&args, 0) {
        for key in args.iter().skip(1).filter_map(Value::as_str) {
            if let Some(v) = map.get(key) {
                out.insert(key, v);
            }
        }
    }
    Ok(Value::Map(out))
}

/// Sprig's `omit MAP KEY...`: a new map without the listed keys.
fn omit(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let out = Map::new();
    if let Some(map) = map_arg(&args, 0) {
        let omitted: Vec<&str> = args.iter().skip(1).filter_map(Value::as_str).collect();
        for (k, v) in map.entries() {
            if !omitted.contains(&k.as_str()) {
                out.insert(k, v);
            }
        }
    }
    Ok(Value::Map(out))
}

fn merge(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    merge_all(&args, false, false)
}

fn must_merge(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    merge_all(&args, false, true)
}

fn merge_overwrite(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    merge_all(&args, true, false)
}

fn must_merge_overwrite(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    merge_all(&args, true, true)
}

/// How a mergo merge failed.
enum MergeFailure {
    /// mergo returned an error: `merge` swallows it (and returns `""`), `mustMerge` reports it.
    Returned(FnError),
    /// Go panicked (inside `reflect`): reported by every variant.
    Panicked(FnError),
}

/// Sprig's `merge DST SRC...` and its variants: each `SRC` merged into `DST` in turn with
/// mergo (`Merge`, or `MergeWithOverwrite`), then `DST` itself returned.
fn merge_all(args: &[Value], overwrite: bool, must: bool) -> Result<Value, FnError> {
    // A nil destination is replaced by a fresh map, as mergo does through its pointer.
    let dst = map_arg(args, 0).cloned().unwrap_or_default();
    let merger = Merger { overwrite };
    for src in args.iter().skip(1).filter_map(Value::as_map) {
        match merger.merge_maps(&dst, src, 0) {
            Ok(()) => {}
            Err(MergeFailure::Returned(_)) if !must => return Ok(Value::from("")),
            Err(MergeFailure::Returned(err) | MergeFailure::Panicked(err)) => return Err(err),
        }
    }
    Ok(Value::Map(dst))
}

/// mergo v1.0's `deepMerge` for `map[string]interface {}` trees, as Sprig configures it.
///
/// Without overwrite, a source value fills a destination key that is absent or holds an
/// empty value (nil, `0`, `""`, `false`, empty list or map); nested maps merge key by key;
/// lists are never merged. With overwrite, every source value replaces the destination's,
/// even an empty one (and a nil one), except that nested maps still merge key by key and a
/// non-empty list is replaced as a whole.
struct Merger {
    overwrite: bool,
}

/// mergo's `isEmptyValue` (with dereferencing): Sprig's `empty`, except that complex numbers
/// are never empty.
fn mergo_empty(value: &Value) -> bool {
    !matches!(value, Value::Complex(..)) && super::defaults::is_empty(value)
}

/// The Go element type of a map, as `reflect.Value.SetMapIndex` names it.
fn element_type(ty: MapType) -> &'static str {
    match ty {
        MapType::Any | MapType::Values => "interface {}",
        MapType::Str => "string",
        MapType::Files => "[]uint8",
    }
}

impl Merger {
    /// Merges the entries of `src` into `dst` (mergo's `reflect.Map` case).
    fn merge_maps(&self, dst: &Map, src: &Map, depth: usize) -> Result<(), MergeFailure> {
        if depth > MAX_NESTING {
            return Err(MergeFailure::Panicked(nesting_error("merge")));
        }
        let src_element = element_type(src.ty());
        for (key, s) in src.entries() {
            let d = dst.get(&key);
            if s.is_nil() {
                if self.overwrite {
                    self.store(dst, &key, Value::Nil, src_element)?;
                }
                continue;
            }
            match &s {
                Value::Map(_) | Value::Object(_) => {
                    let d_dynamic = d.as_ref().filter(|v| !v.is_nil());
                    stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                        self.merge_nested(d_dynamic, &s, depth)
                    })?;
                }
                Value::List(_) | Value::Bytes(_) => {
                    // mergo stores a list here first; which one depends on whether the
                    // destination map is empty at this moment.
                    let dst_list = if self.overwrite || dst.is_empty() {
                        s.clone()
                    } else {
                        match &d {
                            Some(v) if !v.is_nil() => v.clone(),
                            _ => empty_list_like(&s),
                        }
                    };
                    let ty = dst_list.type_name();
                    self.store(dst, &key, dst_list, &ty)?;
                }
                _ => {}
            }
            if let Some(d) = &d
                && !mergo_empty(d)
            {
                let src_is_list = matches!(s, Value::List(_) | Value::Bytes(_));
                let both_maps = matches!((&s, d), (Value::Map(_), Value::Map(_)));
                if src_is_list || both_maps {
                    continue;
                }
            }
            if self.overwrite || d.as_ref().is_none_or(mergo_empty) {
                self.store(dst, &key, s, src_element)?;
            }
        }
        Ok(())
    }

    /// mergo's recursion into a map, struct or pointer source value, where the destination
    /// value came out of an interface and so cannot be replaced in place.
    fn merge_nested(
        &self,
        dst: Option<&Value>,
        src: &Value,
        depth: usize,
    ) -> Result<(), MergeFailure> {
        match (dst, src) {
            (Some(Value::Map(d)), Value::Map(s)) => self.merge_maps(d, s, depth + 1),
            (Some(Value::Object(d)), _) if d.kind() == Kind::Ptr && !self.overwrite => {
                // Pointer destinations merge only with pointers or with their own struct type.
                let same_struct = d.type_name().strip_prefix('*') == Some(&*src.type_name());
                if src.kind() == Kind::Ptr || same_struct {
                    Ok(())
                } else {
                    Err(MergeFailure::Returned(FnError::new(
                        "src and dst must be of same type",
                    )))
                }
            }
            _ => Ok(()),
        }
    }

    /// `dst[key] = value`, with Go's assignability check for maps whose element type is not
    /// `interface {}` (`split`'s `map[string]string`, `.Files`).
    fn store(
        &self,
        dst: &Map,
        key: &str,
        value: Value,
        value_type: &str,
    ) -> Result<(), MergeFailure> {
        let wanted = element_type(dst.ty());
        if wanted != "interface {}" && wanted != value_type {
            return Err(MergeFailure::Panicked(FnError::new(format!(
                "reflect.Value.SetMapIndex: value of type {value_type} is not assignable to type {wanted}"
            ))));
        }
        dst.insert(key, value);
        Ok(())
    }
}

/// An empty slice of the same Go type as `list`.
fn empty_list_like(list: &Value) -> Value {
    match list {
        Value::List(l) => Value::List(List::with_type(l.ty(), Vec::new())),
        Value::Bytes(_) => Value::Bytes(Vec::new().into()),
        _ => Value::List(List::with_type(ListType::Any, Vec::new())),
    }
}

/// Sprig's `deepCopy` (`copystructure.Copy`): a copy sharing no map with the original,
/// keeping every Go type. Copying nil makes `reflect` panic.
///
/// copystructure copies structs field by field and skips unexported fields, so a copied
/// `*semver.Version` is the zero version `0.0.0`; other Go objects are shared rather than
/// copied (they are immutable from templates).
fn deep_copy(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let value = arg(&args, 0);
    if value.is_nil() {
        return Err(FnError::new(
            "reflect: call of reflect.Value.Type on zero Value",
        ));
    }
    copy_value(ctx, value, 0)
}

fn copy_value(ctx: &mut FnCtx<'_>, value: &Value, depth: usize) -> Result<Value, FnError> {
    if depth > MAX_NESTING {
        return Err(nesting_error("deepCopy"));
    }
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
        Ok(match value {
            Value::Map(m) => {
                let copy = Map::with_type(m.ty());
                for (k, v) in m.entries() {
                    copy.insert(k, copy_value(ctx, &v, depth + 1)?);
                }
                Value::Map(copy)
            }
            Value::List(l) => {
                let items = l
                    .items()
                    .iter()
                    .map(|v| copy_value(ctx, v, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                Value::List(List::with_type(l.ty(), items))
            }
            Value::Bytes(b) => Value::Bytes(b.to_vec().into()),
            Value::Object(o) if o.type_name() == "*semver.Version" => zero_semver(ctx)?,
            other => other.clone(),
        })
    })
}

/// A `*semver.Version` whose fields are all zero, as copystructure makes of one.
fn zero_semver(ctx: &mut FnCtx<'_>) -> Result<Value, FnError> {
    match super::lookup("semver") {
        Some(f) => (f.call)(ctx, smallvec::smallvec![Value::from("0.0.0")]),
        None => Ok(Value::Nil),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::FuncEnv;
    use crate::random::Random;

    fn call(name: &str, args: Vec<Value>) -> Result<Value, FnError> {
        let func = FUNCS
            .iter()
            .find(|f| f.name == name)
            .expect("a dict function");
        let mut random = Random::from_seed(1);
        let env = FuncEnv::default();
        let mut ctx = FnCtx::new(&mut random, &env);
        (func.call)(&mut ctx, args.into())
    }

    fn cyclic() -> Value {
        let map = Map::new();
        map.insert("x", Value::int(1));
        map.insert("self", Value::Map(map.clone()));
        Value::Map(map)
    }

    /// Divergence: Go recurses until its stack overflows and the process dies.
    #[test]
    fn self_containing_maps_fail_instead_of_overflowing() {
        let d = cyclic();
        for name in ["merge", "mergeOverwrite", "mustMerge"] {
            let err = call(name, vec![d.clone(), d.clone()]).expect_err(name);
            assert!(err.message.contains("nested more than"), "{name}: {err}");
        }
        let err = call("deepCopy", vec![d]).expect_err("deepCopy");
        assert!(err.message.contains("nested more than"), "{err}");
    }

    #[test]
    fn set_and_merge_modify_the_given_map() {
        let d = Map::new();
        let returned = call(
            "set",
            vec![Value::Map(d.clone()), "k".into(), Value::int(1)],
        )
        .expect("set");
        assert!(returned.as_map().is_some_and(|m| m.ptr_eq(&d)));
        let src = Map::new();
        src.insert("m", Value::Map(Map::new()));
        let merged = call(
            "merge",
            vec![Value::Map(d.clone()), Value::Map(src.clone())],
        )
        .expect("merge");
        assert!(merged.as_map().is_some_and(|m| m.ptr_eq(&d)));
        // A map that fills an absent key is shared with the source, as in Go.
        let inner = d.get("m").and_then(|v| v.as_map().cloned()).expect("m");
        assert!(
            src.get("m")
                .and_then(|v| v.as_map().cloned())
                .is_some_and(|m| m.ptr_eq(&inner))
        );
    }

    fn wrap(key: &str, value: Value) -> Value {
        let map = Map::new();
        map.insert(key, value);
        Value::Map(map)
    }

    /// `split` makes a `map[string]string`; Go's reflection refuses to store an
    /// `interface {}` into it (outputs recorded with Helm 4.1.4).
    #[test]
    fn merging_into_a_string_map_checks_assignability() {
        let split = || {
            let m = Map::with_type(MapType::Str);
            m.insert("_0", Value::from("x"));
            m.insert("_1", Value::from("y"));
            Value::Map(m)
        };
        let refused = "reflect.Value.SetMapIndex: value of type interface {} is not assignable to type string";
        let err = call(
            "merge",
            vec![wrap("a", split()), wrap("a", wrap("_9", Value::int(1)))],
        )
        .expect_err("merge into map[string]string");
        assert_eq!(err.message, refused);
        let err = call(
            "mergeOverwrite",
            vec![wrap("a", split()), wrap("a", wrap("_0", Value::Nil))],
        )
        .expect_err("overwrite into map[string]string");
        assert_eq!(err.message, refused);
        // Nothing to store: the destination's "_0" is not empty.
        let kept = call(
            "merge",
            vec![wrap("a", split()), wrap("a", wrap("_0", "z".into()))],
        )
        .expect("nothing stored");
        let inner = kept.as_map().and_then(|m| m.get("a")).expect("a");
        assert_eq!(
            inner
                .as_map()
                .and_then(|m| m.get("_0"))
                .and_then(|v| v.as_str().map(str::to_owned)),
            Some("x".to_owned())
        );
        // The other way round, strings go into an interface map.
        let filled = call(
            "merge",
            vec![wrap("a", wrap("_9", Value::int(1))), wrap("a", split())],
        )
        .expect("merge from map[string]string");
        let inner = filled.as_map().and_then(|m| m.get("a")).expect("a");
        assert_eq!(
            inner.as_map().map(Map::keys),
            Some(vec!["_0".into(), "_1".into(), "_9".into()])
        );
    }

    #[test]
    fn deep_copy_shares_nothing() {
        let inner = Map::new();
        inner.insert("p", Value::int(1));
        let outer = Map::with_type(MapType::Values);
        outer.insert("a", Value::Map(inner.clone()));
        let copy = call("deepCopy", vec![Value::Map(outer)]).expect("copy");
        assert_eq!(copy.type_name(), "common.Values");
        let copied_inner = copy.as_map().and_then(|m| m.get("a")).expect("a");
        assert!(copied_inner.as_map().is_some_and(|m| !m.ptr_eq(&inner)));
    }
}
