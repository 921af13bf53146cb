//! The template function library: Sprig v3.3.0 (without `env` and `expandenv`) and Helm's own
//! functions, grouped by topic as Sprig groups them.
//!
//! Every function declares its Go signature ([`Func::params`], [`Func::variadic`]). The
//! evaluator converts arguments exactly as Go's reflection-based `text/template` does (an
//! untyped constant `1` becomes `int`, a `float64` passed where `int` is declared fails with
//! `wrong type for value; expected int; got float64`) before the Rust implementation runs, so
//! implementations receive values of the declared types.
//!
//! Functions that need the template set (`include`, `tpl`) or a cluster (`lookup`) are part
//! of the evaluator, not of this table.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use crate::random::Random;
use crate::value::Value;

pub mod cast;
mod conversion;
mod crypto;
mod dates;
mod defaults;
mod dicts;
mod encoding;
mod helm;
mod lists;
mod math;
mod network;
pub(crate) mod paths;
mod random;
mod reflection;
mod regex;
mod semver;
mod strings;

/// A Go parameter type, as far as argument conversion is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoType {
    /// `interface {}`: anything; a missing value arrives as [`Value::Nil`].
    Any,
    /// `reflect.Value`: anything, passed through untouched (even [`Value::Invalid`]). Only Go's
    /// own builtins (`index`, `len`, `eq`, ...) use it.
    Reflect,
    /// `bool`.
    Bool,
    /// `int`.
    Int,
    /// `int64`.
    Int64,
    /// `float64`.
    Float64,
    /// `string`.
    String,
    /// `[]interface {}`.
    ListAny,
    /// `[]string`.
    ListStr,
    /// `map[string]interface {}` (a `common.Values` converts to it).
    MapAny,
    /// `[]byte`.
    Bytes,
    /// A struct or pointer type carried by [`crate::value::Object`]s, by its Go name
    /// (`time.Time`, `*semver.Version`); a leading `*` makes it a pointer, which may be nil.
    Object(&'static str),
    /// A named integer type carried by an object (`time.Duration`): an integer constant
    /// converts to it (the function receives a `Value::Int(_, IntType::Int64)`), as does an
    /// object of that type.
    IntNamed(&'static str),
}

impl GoType {
    /// The Go type name used in conversion errors.
    pub fn name(self) -> &'static str {
        match self {
            GoType::Any => "interface {}",
            GoType::Reflect => "reflect.Value",
            GoType::Bool => "bool",
            GoType::Int => "int",
            GoType::Int64 => "int64",
            GoType::Float64 => "float64",
            GoType::String => "string",
            GoType::ListAny => "[]interface {}",
            GoType::ListStr => "[]string",
            GoType::MapAny => "map[string]interface {}",
            GoType::Bytes => "[]uint8",
            GoType::Object(name) | GoType::IntNamed(name) => name,
        }
    }
}

/// The Rust implementation of a template function. `args` hold one value per declared
/// parameter (variadic ones flattened at the end), already converted to the declared types.
pub type NativeFn = fn(&mut FnCtx<'_>, Args) -> Result<Value, FnError>;

/// The evaluated arguments of a call. Calls pass a few, so they are kept inline: a call
/// allocates nothing for its arguments.
pub type Args = smallvec::SmallVec<[Value; 4]>;

/// A template function with its Go signature.
pub struct Func {
    /// The name templates call it by.
    pub name: &'static str,
    /// The fixed parameters.
    pub params: &'static [GoType],
    /// The element type of a trailing `...T` parameter, if any.
    pub variadic: Option<GoType>,
    /// The implementation.
    pub call: NativeFn,
}

impl fmt::Debug for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Func")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// What a function may use besides its arguments: the render's random source and settings.
/// It notes whether the function used either, since a call that did may give another result
/// next time (see [`FnCtx::used_outside_inputs`]).
pub struct FnCtx<'a> {
    random: &'a mut Random,
    env: &'a FuncEnv,
    used: std::cell::Cell<bool>,
}

impl<'a> FnCtx<'a> {
    /// A context drawing from `random` and consulting `env`.
    pub fn new(random: &'a mut Random, env: &'a FuncEnv) -> FnCtx<'a> {
        FnCtx {
            random,
            env,
            used: std::cell::Cell::new(false),
        }
    }

    /// The one random source of the render; every random function draws from it.
    pub fn random(&mut self) -> &mut Random {
        self.used.set(true);
        self.random
    }

    /// Settings that functions consult (the clock, DNS).
    pub fn env(&self) -> &FuncEnv {
        self.used.set(true);
        self.env
    }

    /// Whether the function drew random numbers or consulted the settings: its result then
    /// depends on more than its arguments.
    pub fn used_outside_inputs(&self) -> bool {
        self.used.get()
    }
}

/// Settings the function library consults.
#[derive(Clone, Debug, Default)]
pub struct FuncEnv {
    /// `getHostByName` resolves names only when this is set (Helm's `--enable-dns`).
    pub enable_dns: bool,
    /// When set, `now` returns this instant (Unix nanoseconds) instead of the clock.
    pub fixed_now_nanos: Option<i128>,
}

/// A function's failure. The evaluator reports it as Go does: `error calling NAME: MESSAGE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnError {
    /// What went wrong, in Go's words.
    pub message: String,
    /// Helm's `fail` and `required` mark their message so that Helm reports it as
    /// `execution error at (FILE:L:C): MESSAGE`.
    pub helm_message: bool,
}

impl FnError {
    /// An error with Go's message text.
    pub fn new(message: impl Into<String>) -> FnError {
        FnError {
            message: message.into(),
            helm_message: false,
        }
    }

    /// The message of Helm's `fail` / `required`.
    pub fn helm(message: impl Into<String>) -> FnError {
        FnError {
            message: message.into(),
            helm_message: true,
        }
    }
}

impl fmt::Display for FnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FnError {}

/// Every topic's functions, in the order later entries override earlier ones (Helm's own
/// functions replace Sprig's of the same name).
const TOPICS: &[&[Func]] = &[
    strings::FUNCS,
    lists::FUNCS,
    dicts::FUNCS,
    defaults::FUNCS,
    math::FUNCS,
    conversion::FUNCS,
    encoding::FUNCS,
    crypto::FUNCS,
    dates::FUNCS,
    semver::FUNCS,
    regex::FUNCS,
    reflection::FUNCS,
    network::FUNCS,
    paths::FUNCS,
    random::FUNCS,
    helm::FUNCS,
];

static TABLE: LazyLock<HashMap<&'static str, &'static Func, foldhash::fast::RandomState>> =
    LazyLock::new(|| {
        let mut table = HashMap::default();
        for topic in TOPICS {
            for func in *topic {
                table.insert(func.name, func);
            }
        }
        table
    });

/// The function registered under `name`.
pub fn lookup(name: &str) -> Option<&'static Func> {
    TABLE.get(name).copied()
}

/// Every registered function name, sorted.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<_> = TABLE.keys().copied().collect();
    names.sort_unstable();
    names
}
