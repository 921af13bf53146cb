//! Template functions: Helm's own serialization functions (`toYaml`, `fromYaml`, `toJson`,
//! `toToml`, ...), Sprig's JSON functions (`toPrettyJson`, `toRawJson`, `mustFromJson`, ...)
//! and Helm's `required` and `fail`.
//!
//! The non-`must` variants mirror Helm's error swallowing: `toYaml`, `toJson` and
//! `toPrettyJson` return `""` when marshalling fails, `fromYaml` and `fromJson` return a map
//! whose `Error` key holds the message, `fromYamlArray` and `fromJsonArray` a one-element
//! list holding it, and `toToml` the error text itself. Sprig's `toRawJson` is the odd one
//! out: it panics, which fails the template like a `must` function.

use super::{Args, FnCtx, FnError, Func, GoType};
use crate::json;
use crate::value::{List, Map, Value};
use crate::yaml;

mod toml;

pub(super) const FUNCS: &[Func] = &[
    Func {
        name: "toYaml",
        params: &[GoType::Any],
        variadic: None,
        call: to_yaml,
    },
    Func {
        name: "mustToYaml",
        params: &[GoType::Any],
        variadic: None,
        call: must_to_yaml,
    },
    Func {
        name: "toYamlPretty",
        params: &[GoType::Any],
        variadic: None,
        call: to_yaml_pretty,
    },
    Func {
        name: "fromYaml",
        params: &[GoType::String],
        variadic: None,
        call: from_yaml,
    },
    Func {
        name: "fromYamlArray",
        params: &[GoType::String],
        variadic: None,
        call: from_yaml_array,
    },
    Func {
        name: "toJson",
        params: &[GoType::Any],
        variadic: None,
        call: to_json,
    },
    Func {
        name: "mustToJson",
        params: &[GoType::Any],
        variadic: None,
        call: must_to_json,
    },
    Func {
        name: "fromJson",
        params: &[GoType::String],
        variadic: None,
        call: from_json,
    },
    Func {
        name: "fromJsonArray",
        params: &[GoType::String],
        variadic: None,
        call: from_json_array,
    },
    Func {
        name: "mustFromJson",
        params: &[GoType::String],
        variadic: None,
        call: must_from_json,
    },
    Func {
        name: "toPrettyJson",
        params: &[GoType::Any],
        variadic: None,
        call: to_pretty_json,
    },
    Func {
        name: "mustToPrettyJson",
        params: &[GoType::Any],
        variadic: None,
        call: must_to_pretty_json,
    },
    Func {
        name: "toRawJson",
        params: &[GoType::Any],
        variadic: None,
        call: to_raw_json,
    },
    Func {
        name: "mustToRawJson",
        params: &[GoType::Any],
        variadic: None,
        call: to_raw_json,
    },
    Func {
        name: "toToml",
        params: &[GoType::Any],
        variadic: None,
        call: to_toml,
    },
    Func {
        name: "fromToml",
        params: &[GoType::String],
        variadic: None,
        call: from_toml,
    },
    Func {
        name: "required",
        params: &[GoType::String, GoType::Any],
        variadic: None,
        call: required,
    },
    Func {
        name: "fail",
        params: &[GoType::String],
        variadic: None,
        call: fail,
    },
];

/// The single argument of a one-parameter function.
fn arg(args: &[Value]) -> &Value {
    args.first().unwrap_or(&Value::Nil)
}

/// The string argument at `i` (the evaluator has already converted it).
fn str_arg(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or_default()
}

/// `toYaml`: Helm's YAML of the value, `""` if it cannot be marshalled.
fn to_yaml(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::string(yaml::to_yaml(arg(&args)).unwrap_or_default()))
}

/// `mustToYaml`: as `toYaml`, failing with `error marshaling into JSON: ...`.
fn must_to_yaml(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    yaml::to_yaml(arg(&args))
        .map(Value::string)
        .map_err(|e| FnError::new(e.0))
}

/// `toYamlPretty`: go-yaml v3 with two-space indentation, `""` on error.
fn to_yaml_pretty(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::string(
        yaml::to_yaml_pretty(arg(&args)).unwrap_or_default(),
    ))
}

/// `fromYaml`: the document as a map, or `{"Error": message}`.
fn from_yaml(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Map(
        yaml::from_yaml_map(str_arg(&args, 0)).unwrap_or_else(|e| error_map(Map::new(), e.0)),
    ))
}

/// `fromYamlArray`: the document as a list, or a list holding the error message.
fn from_yaml_array(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::List(
        yaml::from_yaml_list(str_arg(&args, 0))
            .unwrap_or_else(|e| List::new(vec![Value::string(e.0)])),
    ))
}

fn error_map(m: Map, message: String) -> Map {
    m.insert("Error", Value::string(message));
    m
}

/// `toJson`: `json.Marshal`, `""` on error.
fn to_json(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::string(json::encode(arg(&args)).unwrap_or_default()))
}

/// `mustToJson`: `json.Marshal`, failing with Go's error.
fn must_to_json(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    json::encode(arg(&args))
        .map(Value::string)
        .map_err(|e| FnError::new(e.0))
}

/// `fromJson`: `json.Unmarshal` into a map. Go keeps whatever it decoded before a type error
/// and Helm adds the message under `Error`; `null` gives a nil (empty) map.
fn from_json(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (map, err) = json::decode_into_map(str_arg(&args, 0));
    let map = map.unwrap_or_default();
    Ok(Value::Map(match err {
        Some(e) => error_map(map, e.0),
        None => map,
    }))
}

/// `fromJsonArray`: `json.Unmarshal` into a list, or a list holding the error message.
fn from_json_array(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::List(
        match json::decode_into_list(str_arg(&args, 0)) {
            (_, Some(e)) => List::new(vec![Value::string(e.0)]),
            (list, None) => list.unwrap_or_else(|| List::new(Vec::new())),
        },
    ))
}

/// Sprig's `mustFromJson`: `json.Unmarshal` into an `interface {}`, failing on error.
fn must_from_json(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    json::decode(str_arg(&args, 0)).map_err(|e| FnError::new(e.0))
}

/// Sprig's `toPrettyJson`: `json.MarshalIndent(v, "", "  ")`, `""` on error.
fn to_pretty_json(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::string(
        json::encode_pretty(arg(&args)).unwrap_or_default(),
    ))
}

/// Sprig's `mustToPrettyJson`.
fn must_to_pretty_json(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    json::encode_pretty(arg(&args))
        .map(Value::string)
        .map_err(|e| FnError::new(e.0))
}

/// Sprig's `toRawJson` and `mustToRawJson`: JSON without HTML escaping. `toRawJson` panics
/// on error, which fails the template just as `mustToRawJson`'s error does.
fn to_raw_json(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    json::encode_raw(arg(&args))
        .map(Value::string)
        .map_err(|e| FnError::new(e.0))
}

/// `toToml`: BurntSushi/toml's encoding. An encoding error becomes the output text, as in
/// Helm; a nil value fails the template the way the Go encoder's panic does.
fn to_toml(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    match toml::encode(arg(&args)) {
        Ok(text) => Ok(Value::string(text)),
        Err(toml::Failure::Error(message)) => Ok(Value::string(message)),
        Err(toml::Failure::Panic(message)) => Err(FnError::new(message)),
    }
}

/// `fromToml`: the TOML document as a map, or `{"Error": message}`.
fn from_toml(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Map(
        toml::decode(str_arg(&args, 0)).unwrap_or_else(|e| error_map(Map::new(), e)),
    ))
}

/// `required`: fails with the message when the value is nil or an empty string, and passes
/// it through otherwise (`0`, `false` and empty lists are fine).
fn required(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let value = args.get(1).cloned().unwrap_or(Value::Nil);
    let missing = match &value {
        Value::Invalid | Value::Nil => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    };
    if missing {
        return Err(FnError::helm(str_arg(&args, 0)));
    }
    Ok(value)
}

/// `fail`: always fails with the message.
fn fail(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Err(FnError::helm(str_arg(&args, 0)))
}

#[cfg(test)]
mod tests;
