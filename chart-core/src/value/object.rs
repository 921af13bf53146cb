//! Go structs and pointers with fields and methods: `.Capabilities`, `time.Time`, semver
//! versions, certificates.

use std::any::Any;
use std::fmt;

use super::{Kind, Value};
use crate::funcs::Func;

/// A Go struct or pointer value that templates can read fields from and call methods on.
///
/// Implementations live next to the functions that create them (dates, semver, crypto) and
/// in the render layer (`.Capabilities`).
pub trait Object: Send + Sync + fmt::Debug + 'static {
    /// The Go type name, as `typeOf` prints it (`*semver.Version`, `time.Time`).
    fn type_name(&self) -> &str;

    /// The Go kind: [`Kind::Ptr`] or [`Kind::Struct`].
    fn kind(&self) -> Kind;

    /// An exported field, for `.Field` access.
    fn field(&self, name: &str) -> Option<Value> {
        let _ = name;
        None
    }

    /// A method, for `.Method args...` calls. The function receives the receiver as its
    /// first argument, followed by the call's arguments; `Func::params` lists only the
    /// call's own parameters.
    fn method(&self, name: &str) -> Option<&'static Func> {
        let _ = name;
        None
    }

    /// What `fmt` prints for `%v`, `%s` and in `{{ . }}`. Types with a Go `String()` or
    /// `Error()` method print through it; plain structs print `{field1 field2}`.
    fn go_string(&self) -> String;

    /// The value `encoding/json` would marshal this object as (a string for types with a
    /// `MarshalJSON`/`MarshalText` method, a map of fields otherwise).
    fn to_json_value(&self) -> Value;

    /// For Go named integer types (`time.Month`, `time.Weekday`, `time.Duration`): the integer,
    /// which Go's comparison builtins and `%d` see.
    fn as_int(&self) -> Option<i64> {
        None
    }

    /// Go truthiness: struct values are always true; a nil pointer is false.
    fn is_true(&self) -> bool {
        true
    }

    /// Go's `reflect.DeepEqual` against another object.
    fn deep_equal(&self, other: &dyn Object) -> bool {
        self.type_name() == other.type_name() && self.go_string() == other.go_string()
    }

    /// Access to the concrete type, for methods that downcast their receiver.
    fn as_any(&self) -> &dyn Any;
}
