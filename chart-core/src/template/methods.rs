//! Methods of Helm's named collection types, which shadow map keys of the same name:
//! `common.Values` (`.Values.YAML`, `.Values.Table`, ...), `engine.files` (`.Files.Get`, ...)
//! and `common.VersionSet` (`.Capabilities.APIVersions.Has`). Struct objects bring their own
//! methods through [`crate::value::Object::method`].

use crate::funcs::{Args, FnCtx, FnError, Func, GoType};
use crate::value::{ListType, Map, MapType, Value};

/// The method `name` of `receiver`'s Go type, if it has one.
pub(crate) fn method_of(receiver: &Value, name: &str) -> Option<&'static Func> {
    match receiver {
        Value::Map(m) => match m.ty() {
            MapType::Values => VALUES_METHODS.iter().find(|f| f.name == name),
            MapType::Files => crate::files::method(name),
            _ => None,
        },
        Value::List(l) if l.ty() == ListType::VersionSet => {
            VERSION_SET_METHODS.iter().find(|f| f.name == name)
        }
        Value::Object(o) => o.method(name),
        _ => None,
    }
}

/// Whether `name` is a method of `chartutil.Values` (and so not a key lookup on it).
pub(crate) fn is_values_method(name: &str) -> bool {
    VALUES_METHODS.iter().any(|f| f.name == name)
}

static VALUES_METHODS: &[Func] = &[
    Func {
        name: "YAML",
        params: &[],
        variadic: None,
        call: values_yaml,
    },
    Func {
        name: "Table",
        params: &[GoType::String],
        variadic: None,
        call: values_table,
    },
    Func {
        name: "AsMap",
        params: &[],
        variadic: None,
        call: values_as_map,
    },
    Func {
        name: "PathValue",
        params: &[GoType::String],
        variadic: None,
        call: values_path_value,
    },
];

static VERSION_SET_METHODS: &[Func] = &[Func {
    name: "Has",
    params: &[GoType::String],
    variadic: None,
    call: version_set_has,
}];

fn receiver_map(args: &[Value]) -> Map {
    match args.first() {
        Some(Value::Map(m)) => m.clone(),
        _ => Map::with_type(MapType::Values),
    }
}

fn arg_str(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or_default()
}

/// `Values.YAML()`: the values as YAML (with its final newline).
fn values_yaml(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let m = receiver_map(&args);
    let yaml = crate::yaml::to_yaml(&Value::Map(m)).map_err(|e| FnError::new(e.to_string()))?;
    Ok(Value::from(yaml + "\n"))
}

/// Walks a dotted table path as `Values.Table` does.
fn table(m: &Map, path: &str) -> Result<Map, String> {
    let mut current = m.clone();
    for part in path.split('.') {
        match current.get(part) {
            Some(Value::Map(next)) if matches!(next.ty(), MapType::Any | MapType::Values) => {
                current = next
            }
            _ => {
                return Err(format!(
                    "{} is not a table",
                    crate::template::error::go_quote(part)
                ));
            }
        }
    }
    Ok(current)
}

/// `Values.Table(name)`: the sub-table at a dotted path.
fn values_table(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let m = receiver_map(&args);
    table(&m, arg_str(&args, 1))
        .map(|t| Value::Map(t.retyped(MapType::Values)))
        .map_err(FnError::new)
}

/// `Values.AsMap()`: the same table as a plain map.
fn values_as_map(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let m = receiver_map(&args);
    Ok(Value::Map(m.retyped(MapType::Any)))
}

fn is_table(v: &Value) -> bool {
    matches!(v, Value::Map(m) if matches!(m.ty(), MapType::Any | MapType::Values))
}

/// `Values.PathValue(path)`: a non-table value at a dotted path.
fn values_path_value(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let m = receiver_map(&args);
    let path = arg_str(&args, 1);
    if path.is_empty() {
        return Err(FnError::new("YAML path cannot be empty"));
    }
    let parts: Vec<&str> = path.split('.').collect();
    let not_a_value = |k: &str| {
        FnError::new(format!(
            "{} is not a value",
            crate::template::error::go_quote(k)
        ))
    };
    let (key, prefix) = parts.split_last().ok_or_else(|| not_a_value(path))?;
    let holder = if prefix.is_empty() {
        Ok(m)
    } else {
        table(&m, &prefix.join("."))
    };
    match holder {
        Ok(t) => match t.get(*key) {
            Some(v) if !is_table(&v) => Ok(v),
            _ => Err(not_a_value(key)),
        },
        Err(_) => Err(not_a_value(key)),
    }
}

/// `VersionSet.Has(apiVersion)`.
fn version_set_has(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let want = arg_str(&args, 1);
    let found = match args.first() {
        Some(Value::List(l)) => l.items().iter().any(|v| v.as_str() == Some(want)),
        _ => false,
    };
    Ok(Value::Bool(found))
}
