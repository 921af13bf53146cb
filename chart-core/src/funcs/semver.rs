//! Template functions: semver. Sprig's `semver` and `semverCompare`, and the Go values
//! `semver` hands to templates: a `*semver.Version` whose methods (`.Major`, `.Compare`,
//! `.IncMinor`, ...) are Masterminds' own, and the `semver.Version` structs that
//! `IncMajor`/`SetPrerelease` and friends return.

use std::any::Any;
use std::sync::Arc;

use parking_lot::RwLock;

use super::{Args, FnCtx, FnError, Func, GoType};
use crate::semver::{Constraints, Version, VersionError};
use crate::value::{Entries, Kind, Object, UintType, Value};

pub(super) const FUNCS: &[Func] = &[
    Func {
        name: "semver",
        params: &[GoType::String],
        variadic: None,
        call: semver,
    },
    Func {
        name: "semverCompare",
        params: &[GoType::String, GoType::String],
        variadic: None,
        call: semver_compare,
    },
];

/// Sprig's `semver`: `semver.NewVersion`, lenient (`v1.2` is 1.2.0).
fn semver(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let version = Version::parse(string_arg(&args, 0)?).map_err(version_error)?;
    Ok(VersionPtr::new_value(version))
}

/// Sprig's `semverCompare CONSTRAINT VERSION`. The constraint is parsed first, so a bad
/// constraint is reported even when the version is bad too.
fn semver_compare(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let constraints =
        Constraints::parse(string_arg(&args, 0)?).map_err(|err| FnError::new(err.to_string()))?;
    let version = Version::parse(string_arg(&args, 1)?).map_err(version_error)?;
    Ok(Value::Bool(constraints.check(&version)))
}

fn string_arg(args: &[Value], index: usize) -> Result<&str, FnError> {
    args.get(index)
        .and_then(Value::as_str)
        .ok_or_else(|| FnError::new("expected string"))
}

fn version_error(err: VersionError) -> FnError {
    FnError::new(err.to_string())
}

/// What a Go method call on a nil `*Version` (or with a nil `*Version` argument) panics with.
fn nil_dereference() -> FnError {
    FnError::new("runtime error: invalid memory address or nil pointer dereference")
}

/// A `*semver.Version`, as Sprig's `semver` returns it.
///
/// The version sits behind a lock because Go's `Scan` and `UnmarshalText` overwrite the
/// pointee in place, and every copy of the pointer sees the change.
#[derive(Debug)]
struct VersionPtr(RwLock<Version>);

impl VersionPtr {
    fn new_value(version: Version) -> Value {
        Value::Object(Arc::new(VersionPtr(RwLock::new(version))))
    }

    fn get(&self) -> Version {
        self.0.read().clone()
    }
}

impl Object for VersionPtr {
    fn type_name(&self) -> &str {
        "*semver.Version"
    }

    fn kind(&self) -> Kind {
        Kind::Ptr
    }

    fn method(&self, name: &str) -> Option<&'static Func> {
        POINTER_METHODS.iter().find(|m| m.name == name)
    }

    fn go_string(&self) -> String {
        self.get().to_string()
    }

    fn to_json_value(&self) -> Value {
        Value::from(self.get().to_string())
    }

    /// Go's `reflect.DeepEqual` on pointers: the same pointer, or pointees with equal fields
    /// (the original text included, so `1.2.3` and `v1.2.3` differ).
    fn deep_equal(&self, other: &dyn Object) -> bool {
        match other.as_any().downcast_ref::<VersionPtr>() {
            Some(other) => std::ptr::eq(self, other) || self.get() == other.get(),
            None => false,
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A `semver.Version` struct (not a pointer): what `IncMajor`, `IncMinor`, `IncPatch`,
/// `SetPrerelease` and `SetMetadata` return. Go templates can only call its value-receiver
/// methods, so it lacks `Original`, `Compare`, `LessThan` and the other comparisons.
#[derive(Debug)]
struct VersionValue(Version);

impl VersionValue {
    fn new_value(version: Version) -> Value {
        Value::Object(Arc::new(VersionValue(version)))
    }
}

impl Object for VersionValue {
    fn type_name(&self) -> &str {
        "semver.Version"
    }

    fn kind(&self) -> Kind {
        Kind::Struct
    }

    fn method(&self, name: &str) -> Option<&'static Func> {
        VALUE_METHODS.iter().find(|m| m.name == name)
    }

    fn go_string(&self) -> String {
        self.0.to_string()
    }

    fn to_json_value(&self) -> Value {
        Value::from(self.0.to_string())
    }

    fn deep_equal(&self, other: &dyn Object) -> bool {
        other
            .as_any()
            .downcast_ref::<VersionValue>()
            .is_some_and(|other| self.0 == other.0)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A Go `error` returned as a plain value (by `Scan`, `UnmarshalText`, `UnmarshalJSON`,
/// which return only an error, so templates print it instead of failing).
#[derive(Debug)]
struct ErrorValue {
    type_name: &'static str,
    message: String,
}

impl ErrorValue {
    /// The error as a value, or nil for success.
    fn from_result(result: Result<(), VersionError>) -> Value {
        match result {
            Ok(()) => Value::Nil,
            Err(err) => {
                // Masterminds' sentinel errors come from `errors.New`; the number failure
                // is wrapped with `fmt.Errorf("...: %w")`.
                let type_name = match err {
                    VersionError::Number { .. } => "*fmt.wrapError",
                    _ => "*errors.errorString",
                };
                ErrorValue::new_value(type_name, err.to_string())
            }
        }
    }

    fn new_value(type_name: &'static str, message: String) -> Value {
        Value::Object(Arc::new(ErrorValue { type_name, message }))
    }
}

impl Object for ErrorValue {
    fn type_name(&self) -> &str {
        self.type_name
    }

    fn kind(&self) -> Kind {
        Kind::Ptr
    }

    fn go_string(&self) -> String {
        self.message.clone()
    }

    /// Go's error types have no exported fields: `encoding/json` writes `{}`.
    fn to_json_value(&self) -> Value {
        Value::map(Entries::new())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The method set of `*semver.Version`: every exported method of Masterminds' `Version`.
const POINTER_METHODS: &[Func] = &[
    method("Compare", &[GoType::Any], compare),
    method("Equal", &[GoType::Any], equal),
    method("GreaterThan", &[GoType::Any], greater_than),
    method("GreaterThanEqual", &[GoType::Any], greater_than_equal),
    method("IncMajor", &[], inc_major),
    method("IncMinor", &[], inc_minor),
    method("IncPatch", &[], inc_patch),
    method("LessThan", &[GoType::Any], less_than),
    method("LessThanEqual", &[GoType::Any], less_than_equal),
    method("Major", &[], major),
    method("MarshalJSON", &[], marshal_json),
    method("MarshalText", &[], marshal_text),
    method("Metadata", &[], metadata),
    method("Minor", &[], minor),
    method("Original", &[], original),
    method("Patch", &[], patch),
    method("Prerelease", &[], prerelease),
    method("Scan", &[GoType::Any], scan),
    method("SetMetadata", &[GoType::String], set_metadata),
    method("SetPrerelease", &[GoType::String], set_prerelease),
    method("String", &[], string),
    method("UnmarshalJSON", &[GoType::Bytes], unmarshal_json),
    method("UnmarshalText", &[GoType::Bytes], unmarshal_text),
    method("Value", &[], sql_value),
];

/// The method set of a `semver.Version` struct that is not addressable (a method's result):
/// only the methods Masterminds declares on the value receiver.
const VALUE_METHODS: &[Func] = &[
    method("IncMajor", &[], inc_major),
    method("IncMinor", &[], inc_minor),
    method("IncPatch", &[], inc_patch),
    method("Major", &[], major),
    method("MarshalJSON", &[], marshal_json),
    method("MarshalText", &[], marshal_text),
    method("Metadata", &[], metadata),
    method("Minor", &[], minor),
    method("Patch", &[], patch),
    method("Prerelease", &[], prerelease),
    method("SetMetadata", &[GoType::String], set_metadata),
    method("SetPrerelease", &[GoType::String], set_prerelease),
    method("String", &[], string),
    method("Value", &[], sql_value),
];

const fn method(name: &'static str, params: &'static [GoType], call: super::NativeFn) -> Func {
    Func {
        name,
        params,
        variadic: None,
        call,
    }
}

/// The receiver (`args[0]`) of a method call.
fn receiver(args: &[Value]) -> Result<Version, FnError> {
    let Some(Value::Object(object)) = args.first() else {
        return Err(nil_dereference());
    };
    let any = object.as_any();
    if let Some(pointer) = any.downcast_ref::<VersionPtr>() {
        return Ok(pointer.get());
    }
    any.downcast_ref::<VersionValue>()
        .map(|v| v.0.clone())
        .ok_or_else(nil_dereference)
}

/// The `*semver.Version` argument of a comparison method: `None` for a nil pointer.
fn version_arg(args: &[Value]) -> Result<Option<Version>, FnError> {
    match args.get(1) {
        None | Some(Value::Nil | Value::Invalid) => Ok(None),
        Some(Value::Object(object)) if object.as_any().is::<VersionPtr>() => Ok(object
            .as_any()
            .downcast_ref::<VersionPtr>()
            .map(VersionPtr::get)),
        // Go's reflection refuses these before the call; the text is its text.
        Some(other) => Err(FnError::new(format!(
            "wrong type for value; expected *semver.Version; got {}",
            other.type_name()
        ))),
    }
}

/// `Compare` and the comparisons built on it dereference their argument: nil panics.
fn compared(args: &[Value]) -> Result<std::cmp::Ordering, FnError> {
    let this = receiver(args)?;
    let other = version_arg(args)?.ok_or_else(nil_dereference)?;
    Ok(this.compare(&other))
}

fn compare(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::int(compared(&args)? as i64))
}

/// `Equal` checks for nil itself instead of panicking.
fn equal(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let this = receiver(&args)?;
    Ok(Value::Bool(
        version_arg(&args)?.is_some_and(|other| this.compare(&other).is_eq()),
    ))
}

fn greater_than(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(compared(&args)?.is_gt()))
}

fn greater_than_equal(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(compared(&args)?.is_ge()))
}

fn less_than(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(compared(&args)?.is_lt()))
}

fn less_than_equal(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(compared(&args)?.is_le()))
}

fn inc_major(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(VersionValue::new_value(receiver(&args)?.inc_major()))
}

fn inc_minor(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(VersionValue::new_value(receiver(&args)?.inc_minor()))
}

fn inc_patch(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(VersionValue::new_value(receiver(&args)?.inc_patch()))
}

fn set_prerelease(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let version = receiver(&args)?.with_prerelease(string_arg(&args, 1)?);
    Ok(VersionValue::new_value(version.map_err(version_error)?))
}

fn set_metadata(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let version = receiver(&args)?.with_metadata(string_arg(&args, 1)?);
    Ok(VersionValue::new_value(version.map_err(version_error)?))
}

/// Masterminds returns the numbers as `uint64`.
fn major(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Uint(receiver(&args)?.major(), UintType::Uint64))
}

fn minor(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Uint(receiver(&args)?.minor(), UintType::Uint64))
}

fn patch(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Uint(receiver(&args)?.patch(), UintType::Uint64))
}

fn prerelease(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(receiver(&args)?.prerelease()))
}

fn metadata(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(receiver(&args)?.metadata()))
}

fn original(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(receiver(&args)?.original()))
}

fn string(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(receiver(&args)?.to_string()))
}

/// `Value() (driver.Value, error)`: the string form.
fn sql_value(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(receiver(&args)?.to_string()))
}

/// `MarshalJSON`: the string form as a JSON string, as `[]byte`. Version text never needs
/// JSON escaping.
fn marshal_json(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let json = format!("\"{}\"", receiver(&args)?);
    Ok(Value::Bytes(json.into_bytes().into()))
}

fn marshal_text(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bytes(
        receiver(&args)?.to_string().into_bytes().into(),
    ))
}

/// Replaces the pointee with `text` parsed leniently, leaving it alone on failure.
fn overwrite(args: &[Value], text: &str) -> Result<Value, FnError> {
    let Some(Value::Object(object)) = args.first() else {
        return Err(nil_dereference());
    };
    let pointer = object
        .as_any()
        .downcast_ref::<VersionPtr>()
        .ok_or_else(nil_dereference)?;
    let parsed = Version::parse(text).map(|version| {
        crate::value::mutation::note();
        *pointer.0.write() = version;
    });
    Ok(ErrorValue::from_result(parsed))
}

/// `Scan(interface{}) error` (database/sql): a non-string scans as the empty string.
fn scan(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let text = args
        .get(1)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    overwrite(&args, &text)
}

fn unmarshal_text(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let text = match args.get(1) {
        Some(Value::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::new(),
    };
    overwrite(&args, &text)
}

/// `UnmarshalJSON([]byte) error`: the bytes must hold a JSON string (or `null`, which leaves
/// the empty string); otherwise the `encoding/json` error comes back as the value.
fn unmarshal_json(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let json = match args.get(1) {
        Some(Value::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::new(),
    };
    let kind = match crate::json::decode(&json) {
        Ok(Value::String(text)) => return overwrite(&args, &text),
        Ok(Value::Nil) => return overwrite(&args, ""),
        Err(err) => return Ok(ErrorValue::new_value("*json.SyntaxError", err.0)),
        Ok(Value::Bool(_)) => "bool",
        Ok(Value::List(_)) => "array",
        Ok(Value::Map(_)) => "object",
        Ok(_) => "number",
    };
    Ok(ErrorValue::new_value(
        "*json.UnmarshalTypeError",
        format!("json: cannot unmarshal {kind} into Go value of type string"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::FuncEnv;
    use crate::random::Random;

    fn run(func: &Func, args: Vec<Value>) -> Result<Value, FnError> {
        let mut random = Random::from_seed(1);
        let env = FuncEnv::default();
        let mut ctx = FnCtx::new(&mut random, &env);
        (func.call)(&mut ctx, args.into())
    }

    fn call(name: &str, args: &[&str]) -> Result<Value, FnError> {
        let func = FUNCS
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        run(func, args.iter().map(|&a| Value::from(a)).collect())
    }

    /// `.METHOD ARGS...` on `receiver`, as the evaluator calls it.
    fn call_method(receiver: &Value, name: &str, args: Vec<Value>) -> Result<Value, FnError> {
        let Value::Object(object) = receiver else {
            panic!("not an object: {receiver:?}")
        };
        let func = object
            .method(name)
            .unwrap_or_else(|| panic!("no method {name}"));
        assert_eq!(func.params.len(), args.len(), "{name} arity");
        let mut all = vec![receiver.clone()];
        all.extend(args);
        run(func, all)
    }

    fn semver(text: &str) -> Value {
        call("semver", &[text]).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// How Go's `fmt` prints the values these functions return.
    fn show(result: Result<Value, FnError>) -> String {
        match result {
            Ok(Value::Bool(b)) => b.to_string(),
            Ok(Value::Int(i, _)) => i.to_string(),
            Ok(Value::Uint(u, _)) => u.to_string(),
            Ok(Value::String(s)) => s.to_string(),
            Ok(Value::Nil) => "<nil>".to_string(),
            Ok(Value::Object(o)) => o.go_string(),
            Ok(Value::Bytes(b)) => {
                let numbers: Vec<String> = b.iter().map(u8::to_string).collect();
                format!("[{}]", numbers.join(" "))
            }
            Ok(other) => panic!("unexpected {other:?}"),
            Err(err) => format!("ERROR {err}"),
        }
    }

    fn compare(constraint: &str, version: &str) -> String {
        show(call("semverCompare", &[constraint, version]))
    }

    /// The cases of `testdata/conformance/template/16-semver.yaml`, one template call at a
    /// time (the expected outputs are the file's, produced by Helm 4.1.4).
    #[test]
    fn conformance_16_semver() {
        let joined = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(c, v)| compare(c, v))
                .collect::<Vec<_>>()
                .join(" ")
        };
        // semverCompare-caret
        assert_eq!(
            joined(&[
                ("^1.2.0", "1.3.0"),
                ("^1.2.0", "2.0.0"),
                ("^0.2.3", "0.3.0")
            ]),
            "true false false"
        );
        // semverCompare-tilde
        assert_eq!(
            joined(&[("~1.2", "1.2.9"), ("~1.2", "1.3.0")]),
            "true false"
        );
        // semverCompare-ranges
        assert_eq!(
            joined(&[
                (">=1.20 <1.25", "1.22.3"),
                (">1.0, <2.0", "1.5.0"),
                ("<1.0 || >=3.0", "3.1.0")
            ]),
            "true true true"
        );
        // semverCompare-hyphen-range
        assert_eq!(
            joined(&[("1.2 - 1.4.5", "1.4.5"), ("1.2 - 1.4.5", "1.4.6")]),
            "true false"
        );
        // semverCompare-wildcard
        assert_eq!(
            joined(&[("1.x", "1.9.9"), ("1.2.*", "1.3.0"), ("*", "0.0.1")]),
            "true false true"
        );
        // semverCompare-prerelease-excluded
        assert_eq!(
            joined(&[(">=1.20", "1.21.3-gke.100"), (">=1.20-0", "1.21.3-gke.100")]),
            "false true"
        );
        // semverCompare-prerelease-kubeversion-pattern
        assert_eq!(
            joined(&[(">=1.19-0", "v1.22.0-eks-a1"), ("<2.0.0", "2.0.0-rc1")]),
            "true false"
        );
        // semverCompare-v-prefix-and-partial
        assert_eq!(joined(&[("=1.2.0", "v1.2"), ("1", "1.0.0")]), "true true");
        // semverCompare-invalid-version-is-error
        assert_eq!(
            compare(">1.0", "not-a-version"),
            "ERROR invalid semantic version"
        );
        // semverCompare-invalid-constraint-is-error
        assert_eq!(compare("!!1", "1.0.0"), "ERROR improper constraint: !!1");
        // semverCompare-exact-and-ne
        assert_eq!(
            joined(&[("1.2.3", "1.2.3"), ("!=1.2.3", "1.2.3")]),
            "true false"
        );
        // semverCompare-build-metadata
        assert_eq!(compare("=1.2.3", "1.2.3+build.5"), "true");
        // semver-fields
        let v = semver("1.2.3-alpha.1+build.5");
        let fields: Vec<String> = [
            "Major",
            "Minor",
            "Patch",
            "Prerelease",
            "Metadata",
            "Original",
        ]
        .iter()
        .map(|m| show(call_method(&v, m, vec![])))
        .collect();
        assert_eq!(
            fields.join(" "),
            "1 2 3 alpha.1 build.5 1.2.3-alpha.1+build.5"
        );
        // semver-string
        assert_eq!(show(Ok(semver("v1.2"))), "1.2.0");
        // semver-compare-method
        let method = |a: &str, m: &str, b: &str| show(call_method(&semver(a), m, vec![semver(b)]));
        assert_eq!(
            [
                method("1.2.3", "Compare", "1.3.0"),
                method("2.0.0", "Compare", "1.9.9"),
                method("1.0.0", "Compare", "1.0.0")
            ]
            .join(" "),
            "-1 1 0"
        );
        // semver-invalid-is-error
        assert_eq!(
            show(call("semver", &["x.y"])),
            "ERROR invalid semantic version"
        );
        // semver-with-capabilities (Helm 4.1.4's default KubeVersion is v1.35.0)
        assert_eq!(compare(">=1.20.0-0", "v1.35.0"), "true");
        // semver-leading-zeros
        assert_eq!(compare("1.2.3", "01.02.03"), "true");
        // semverCompare-or-with-spaces
        assert_eq!(compare("~1.0 || ^2.1", "2.5.0"), "true");
        // semver-LessThan
        assert_eq!(method("1.2.3", "LessThan", "1.2.4"), "true");
    }

    /// `(semver VERSION).METHOD [ARG]` in Helm 4.1.4.
    const METHOD_RESULTS: &[(&str, &str, &str)] = &[
        ("1.2.3-alpha.1+build.5", "Major", "1"),
        ("1.2.3-alpha.1+build.5", "Minor", "2"),
        ("1.2.3-alpha.1+build.5", "Patch", "3"),
        ("1.2.3-alpha.1+build.5", "Prerelease", "alpha.1"),
        ("1.2.3-alpha.1+build.5", "Metadata", "build.5"),
        ("1.2.3-alpha.1+build.5", "Original", "1.2.3-alpha.1+build.5"),
        ("1.2.3-alpha.1+build.5", "String", "1.2.3-alpha.1+build.5"),
        ("1.2.3-alpha.1+build.5", "IncPatch", "1.2.3"),
        ("1.2.3-alpha.1+build.5", "IncMinor", "1.3.0"),
        ("1.2.3-alpha.1+build.5", "IncMajor", "2.0.0"),
        (
            "1.2.3-alpha.1+build.5",
            "SetPrerelease beta.2",
            "1.2.3-beta.2+build.5",
        ),
        (
            "1.2.3-alpha.1+build.5",
            "SetMetadata m.1",
            "1.2.3-alpha.1+m.1",
        ),
        ("v1.2", "Major", "1"),
        ("v1.2", "Minor", "2"),
        ("v1.2", "Patch", "0"),
        ("v1.2", "Prerelease", ""),
        ("v1.2", "Metadata", ""),
        ("v1.2", "Original", "v1.2"),
        ("v1.2", "String", "1.2.0"),
        ("v1.2", "IncPatch", "1.2.1"),
        ("v1.2", "IncMinor", "1.3.0"),
        ("v1.2", "IncMajor", "2.0.0"),
        ("v1.2", "SetPrerelease beta.2", "1.2.0-beta.2"),
        ("v1.2", "SetMetadata m.1", "1.2.0+m.1"),
        ("01.02.03", "Major", "1"),
        ("01.02.03", "Minor", "2"),
        ("01.02.03", "Patch", "3"),
        ("01.02.03", "Prerelease", ""),
        ("01.02.03", "Metadata", ""),
        ("01.02.03", "Original", "01.02.03"),
        ("01.02.03", "String", "1.2.3"),
        ("01.02.03", "IncPatch", "1.2.4"),
        ("01.02.03", "IncMinor", "1.3.0"),
        ("01.02.03", "IncMajor", "2.0.0"),
        ("01.02.03", "SetPrerelease beta.2", "1.2.3-beta.2"),
        ("01.02.03", "SetMetadata m.1", "1.2.3+m.1"),
        ("1.2.3", "Major", "1"),
        ("1.2.3", "Minor", "2"),
        ("1.2.3", "Patch", "3"),
        ("1.2.3", "Prerelease", ""),
        ("1.2.3", "Metadata", ""),
        ("1.2.3", "Original", "1.2.3"),
        ("1.2.3", "String", "1.2.3"),
        ("1.2.3", "IncPatch", "1.2.4"),
        ("1.2.3", "IncMinor", "1.3.0"),
        ("1.2.3", "IncMajor", "2.0.0"),
        ("1.2.3", "SetPrerelease beta.2", "1.2.3-beta.2"),
        ("1.2.3", "SetMetadata m.1", "1.2.3+m.1"),
        ("v2.0.0-rc.1", "Major", "2"),
        ("v2.0.0-rc.1", "Minor", "0"),
        ("v2.0.0-rc.1", "Patch", "0"),
        ("v2.0.0-rc.1", "Prerelease", "rc.1"),
        ("v2.0.0-rc.1", "Metadata", ""),
        ("v2.0.0-rc.1", "Original", "v2.0.0-rc.1"),
        ("v2.0.0-rc.1", "String", "2.0.0-rc.1"),
        ("v2.0.0-rc.1", "IncPatch", "2.0.0"),
        ("v2.0.0-rc.1", "IncMinor", "2.1.0"),
        ("v2.0.0-rc.1", "IncMajor", "3.0.0"),
        ("v2.0.0-rc.1", "SetPrerelease beta.2", "2.0.0-beta.2"),
        ("v2.0.0-rc.1", "SetMetadata m.1", "2.0.0-rc.1+m.1"),
    ];

    #[test]
    fn methods_agree_with_helm() {
        for (version, call, expected) in METHOD_RESULTS {
            let (name, args) = match call.split_once(' ') {
                Some((name, arg)) => (name, vec![Value::from(arg)]),
                None => (*call, vec![]),
            };
            assert_eq!(
                show(call_method(&semver(version), name, args)),
                *expected,
                "{version} {call}"
            );
        }
    }

    #[test]
    fn go_types_agree_with_helm() {
        let v = semver("1.2.3");
        assert_eq!(v.type_name(), "*semver.Version");
        assert_eq!(v.kind().name(), "ptr");
        assert!(v.is_true());
        let Value::Object(object) = &v else { panic!() };
        assert!(object.to_json_value().deep_equal(&Value::from("1.2.3")));

        let bumped = call_method(&v, "IncMajor", vec![]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bumped.type_name(), "semver.Version");
        assert_eq!(bumped.kind().name(), "struct");
        let Value::Object(bumped_object) = &bumped else {
            panic!()
        };
        assert!(
            bumped_object
                .to_json_value()
                .deep_equal(&Value::from("2.0.0"))
        );
        // Only value-receiver methods can be called on a method's result.
        assert!(bumped_object.method("Original").is_none());
        assert!(bumped_object.method("LessThan").is_none());
        assert_eq!(show(call_method(&bumped, "IncMajor", vec![])), "3.0.0");
        assert_eq!(show(call_method(&bumped, "Major", vec![])), "2");

        assert!(matches!(
            call_method(&v, "Major", vec![]),
            Ok(Value::Uint(1, UintType::Uint64))
        ));
        assert!(matches!(
            call_method(&v, "Compare", vec![semver("1.2.3")]),
            Ok(Value::Int(0, crate::value::IntType::Int))
        ));
        assert!(object.method("Nope").is_none());
    }

    #[test]
    fn deep_equal_compares_every_field() {
        assert!(semver("1.2.3").deep_equal(&semver("1.2.3")));
        assert!(!semver("1.2.3").deep_equal(&semver("v1.2.3")));
        let bump = |v: &str| call_method(&semver(v), "IncMajor", vec![]).unwrap_or(Value::Nil);
        assert!(bump("1.2.3").deep_equal(&bump("1.2.3")));
        assert!(!bump("1.2.3").deep_equal(&semver("2.0.0")));
    }

    #[test]
    fn method_errors_agree_with_helm() {
        let v = semver("1.2.3");
        let set = |m: &str, arg: &str| show(call_method(&v, m, vec![Value::from(arg)]));
        assert_eq!(
            set("SetPrerelease", "01"),
            "ERROR version segment starts with 0"
        );
        assert_eq!(
            set("SetPrerelease", "a..b"),
            "ERROR invalid prerelease string"
        );
        assert_eq!(
            set("SetPrerelease", "a_b"),
            "ERROR invalid prerelease string"
        );
        assert_eq!(set("SetPrerelease", ""), "1.2.3");
        assert_eq!(
            show(call_method(
                &semver("1.2.3-x"),
                "SetPrerelease",
                vec![Value::from("")]
            )),
            "1.2.3"
        );
        assert_eq!(set("SetMetadata", "a..b"), "ERROR invalid metadata string");
        assert_eq!(set("SetMetadata", "a_b"), "ERROR invalid metadata string");
        assert_eq!(set("SetMetadata", "01"), "1.2.3+01");

        let nil_panic = "ERROR runtime error: invalid memory address or nil pointer dereference";
        assert_eq!(
            show(call_method(&v, "Compare", vec![Value::Nil])),
            nil_panic
        );
        assert_eq!(
            show(call_method(&v, "LessThan", vec![Value::Nil])),
            nil_panic
        );
        assert_eq!(show(call_method(&v, "Equal", vec![Value::Nil])), "false");
        let bumped = call_method(&v, "IncMajor", vec![]).unwrap_or(Value::Nil);
        assert_eq!(
            show(call_method(&v, "Compare", vec![bumped])),
            "ERROR wrong type for value; expected *semver.Version; got semver.Version"
        );
    }

    #[test]
    fn comparisons_agree_with_helm() {
        let method = |a: &str, m: &str, b: &str| show(call_method(&semver(a), m, vec![semver(b)]));
        assert_eq!(method("1.0.0", "Compare", "1.0.0+x"), "0");
        assert_eq!(method("1.2.3", "GreaterThan", "1.2.4"), "false");
        assert_eq!(method("1.2.3", "Equal", "v1.2.3+m"), "true");
        assert_eq!(method("1.2.3", "LessThanEqual", "1.2.3"), "true");
        assert_eq!(method("1.2.3", "GreaterThanEqual", "1.2.4"), "false");
    }

    #[test]
    fn encodings_agree_with_helm() {
        let v = semver("1.2.3");
        assert_eq!(
            show(call_method(&v, "MarshalJSON", vec![])),
            "[34 49 46 50 46 51 34]"
        );
        assert_eq!(
            show(call_method(&v, "MarshalText", vec![])),
            "[49 46 50 46 51]"
        );
        assert_eq!(show(call_method(&v, "Value", vec![])), "1.2.3");
        let bumped = call_method(&v, "IncMajor", vec![]).unwrap_or(Value::Nil);
        assert_eq!(show(call_method(&bumped, "Value", vec![])), "2.0.0");
    }

    #[test]
    fn scan_overwrites_the_pointee() {
        // Helm: `{{ $v := semver "1.2.3" }}{{ $v.Scan "2.0.0" }}{{ $v }}` prints `<nil>2.0.0`.
        let v = semver("1.2.3");
        assert_eq!(
            show(call_method(&v, "Scan", vec![Value::from("2.0.0")])),
            "<nil>"
        );
        assert_eq!(show(Ok(v.clone())), "2.0.0");
        // `(semver "1.2.3").Scan 5` prints the error it returns.
        let failed = call_method(&v, "Scan", vec![Value::int(5)]);
        assert_eq!(show(failed), "invalid semantic version");
        assert_eq!(show(Ok(v.clone())), "2.0.0");
        let text = call_method(
            &v,
            "UnmarshalText",
            vec![Value::Bytes(b"v3".as_slice().into())],
        );
        assert_eq!(show(text), "<nil>");
        assert_eq!(show(call_method(&v, "Original", vec![])), "v3");
    }

    #[test]
    fn semver_compare_checks_the_constraint_first() {
        assert_eq!(compare("!!1", "bad"), "ERROR improper constraint: !!1");
        assert_eq!(
            compare("1.2.3 | 1.2.4", "1.2.3"),
            "ERROR constraint parser error"
        );
        assert_eq!(
            compare(">1.0", "99999999999999999999"),
            "ERROR error parsing version segment: strconv.ParseUint: parsing \
             \"99999999999999999999\": value out of range"
        );
        assert_eq!(
            show(call("semver", &[""])),
            "ERROR invalid semantic version"
        );
    }
}
