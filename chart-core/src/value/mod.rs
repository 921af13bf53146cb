//! The value model: a dynamically typed value that mirrors the Go types Helm's templates see.
//!
//! Go's `text/template` is driven by reflection, so the exact Go type of a value is visible to
//! chart authors (`typeOf`, `kindOf`, `printf "%T"`, comparison rules, argument conversion). The
//! model therefore keeps more than a JSON-like tree: integers remember their Go kind (`int` versus
//! `int64`), lists and maps remember their element type (`[]string` versus `[]interface {}`), and
//! a few named Helm types (`common.Values`, `engine.files`) carry their methods.
//!
//! Maps are reference types, as in Go: cloning a [`Map`] shares the entries, and a mutation
//! through one handle (Sprig's `set`, `unset`, `merge`) is visible through every other.
//! Lists are immutable once built; every Sprig list function returns a new list.

mod entries;
pub mod gostring;
mod key;
pub(crate) mod mutation;
mod object;

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

use parking_lot::RwLock;

pub use entries::Entries;
pub use key::Key;
pub(crate) use key::static_key;
pub use object::Object;

/// A Go value as seen by a template.
#[derive(Clone, Default)]
pub enum Value {
    /// No value at all: Go's invalid `reflect.Value`. A pipeline whose result is a nil interface
    /// becomes this, and printing it yields `<no value>` (which Helm then deletes).
    #[default]
    Invalid,
    /// A nil `interface {}`: what a map lookup yields for a missing key or a `null` entry.
    Nil,
    /// Go `bool`.
    Bool(bool),
    /// A signed Go integer of the given kind.
    Int(i64, IntType),
    /// An unsigned Go integer of the given kind (`uint8` comes from indexing a string).
    Uint(u64, UintType),
    /// Go `float64`. Every number read from a values file is one.
    Float(f64),
    /// Go `complex128` (only from literals such as `1i`).
    Complex(f64, f64),
    /// Go `string`.
    String(Arc<str>),
    /// Go `[]byte` (`.Files.GetBytes`).
    Bytes(Arc<[u8]>),
    /// A Go slice.
    List(List),
    /// A Go map with string keys.
    Map(Map),
    /// A Go struct or pointer with fields and methods (`.Capabilities`, `time.Time`, ...).
    Object(Arc<dyn Object>),
}

/// The Go kinds of signed integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntType {
    /// `int` (64 bits, as on every platform Helm ships for).
    Int,
    /// `int8`.
    Int8,
    /// `int16`.
    Int16,
    /// `int32` (also `rune`).
    Int32,
    /// `int64`.
    Int64,
}

/// The Go kinds of unsigned integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UintType {
    /// `uint`.
    Uint,
    /// `uint8` (also `byte`).
    Uint8,
    /// `uint16`.
    Uint16,
    /// `uint32`.
    Uint32,
    /// `uint64`.
    Uint64,
    /// `uintptr`.
    Uintptr,
}

/// Go's `reflect.Kind`, as printed by Sprig's `kindOf`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// No value (`invalid`).
    Invalid,
    /// `bool`.
    Bool,
    /// Signed integers.
    Int(IntType),
    /// Unsigned integers.
    Uint(UintType),
    /// `float64`.
    Float64,
    /// `complex128`.
    Complex128,
    /// `string`.
    String,
    /// `slice`.
    Slice,
    /// `map`.
    Map,
    /// `ptr`.
    Ptr,
    /// `struct`.
    Struct,
    /// `interface`.
    Interface,
    /// `func`.
    Func,
}

impl Kind {
    /// The name Go's `reflect.Kind.String` gives.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Invalid => "invalid",
            Kind::Bool => "bool",
            Kind::Int(t) => t.name(),
            Kind::Uint(t) => t.name(),
            Kind::Float64 => "float64",
            Kind::Complex128 => "complex128",
            Kind::String => "string",
            Kind::Slice => "slice",
            Kind::Map => "map",
            Kind::Ptr => "ptr",
            Kind::Struct => "struct",
            Kind::Interface => "interface",
            Kind::Func => "func",
        }
    }
}

impl IntType {
    /// The Go type name.
    pub fn name(self) -> &'static str {
        match self {
            IntType::Int => "int",
            IntType::Int8 => "int8",
            IntType::Int16 => "int16",
            IntType::Int32 => "int32",
            IntType::Int64 => "int64",
        }
    }
}

impl UintType {
    /// The Go type name.
    pub fn name(self) -> &'static str {
        match self {
            UintType::Uint => "uint",
            UintType::Uint8 => "uint8",
            UintType::Uint16 => "uint16",
            UintType::Uint32 => "uint32",
            UintType::Uint64 => "uint64",
            UintType::Uintptr => "uintptr",
        }
    }
}

/// The Go type of a map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MapType {
    /// `map[string]interface {}`: values, `dict`, `fromYaml`.
    Any,
    /// `map[string]string`: Sprig's `split`.
    Str,
    /// `common.Values`: `.Values`, the root context and `.Template`; has methods.
    Values,
    /// `engine.files`: `.Files` (a `map[string][]byte`); has methods.
    Files,
}

impl MapType {
    /// The Go type name, as `typeOf` prints it.
    pub fn name(self) -> &'static str {
        match self {
            MapType::Any => "map[string]interface {}",
            MapType::Str => "map[string]string",
            MapType::Values => "common.Values",
            MapType::Files => "engine.files",
        }
    }
}

/// The Go type of a slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListType {
    /// `[]interface {}`.
    Any,
    /// `[]string`.
    Str,
    /// `[]int`.
    Int,
    /// `[]float64`.
    Float64,
    /// `[][]interface {}` (Sprig's `chunk`).
    AnyList,
    /// `common.VersionSet` (`.Capabilities.APIVersions`); has the method `Has`.
    VersionSet,
}

impl ListType {
    /// The Go type name, as `typeOf` prints it.
    pub fn name(self) -> &'static str {
        match self {
            ListType::Any => "[]interface {}",
            ListType::Str => "[]string",
            ListType::Int => "[]int",
            ListType::Float64 => "[]float64",
            ListType::AnyList => "[][]interface {}",
            ListType::VersionSet => "common.VersionSet",
        }
    }
}

/// A Go slice: an immutable, shared sequence of values with a Go element type.
#[derive(Clone)]
pub struct List {
    ty: ListType,
    items: Arc<Vec<Value>>,
}

impl List {
    /// A `[]interface {}` holding `items`.
    pub fn new(items: Vec<Value>) -> List {
        List {
            ty: ListType::Any,
            items: Arc::new(items),
        }
    }

    /// A slice of the given Go type holding `items`.
    pub fn with_type(ty: ListType, items: Vec<Value>) -> List {
        List {
            ty,
            items: Arc::new(items),
        }
    }

    /// The Go type of the slice.
    pub fn ty(&self) -> ListType {
        self.ty
    }

    /// The same elements under another Go type.
    #[must_use]
    pub fn retyped(&self, ty: ListType) -> List {
        List {
            ty,
            items: self.items.clone(),
        }
    }

    /// The elements.
    pub fn items(&self) -> &[Value] {
        &self.items
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the slice is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The element at `i`.
    pub fn get(&self, i: usize) -> Option<&Value> {
        self.items.get(i)
    }

    /// A copy of the elements, for building a new list.
    pub fn to_vec(&self) -> Vec<Value> {
        self.items.as_ref().clone()
    }
}

/// A Go map with string keys: a shared, mutable table whose keys iterate in sorted order.
#[derive(Clone)]
pub struct Map {
    ty: MapType,
    cell: Arc<RwLock<Entries>>,
}

impl Default for Map {
    fn default() -> Self {
        Map::new()
    }
}

impl Map {
    /// An empty `map[string]interface {}`.
    pub fn new() -> Map {
        Map::from_entries(MapType::Any, Entries::new())
    }

    /// An empty map of the given Go type.
    pub fn with_type(ty: MapType) -> Map {
        Map::from_entries(ty, Entries::new())
    }

    /// A map of the given Go type holding `entries`.
    pub fn from_entries(ty: MapType, entries: Entries) -> Map {
        Map {
            ty,
            cell: Arc::new(RwLock::new(entries)),
        }
    }

    /// The Go type of the map.
    pub fn ty(&self) -> MapType {
        self.ty
    }

    /// The same table (shared, not copied) seen under another Go type, as a Go conversion
    /// between `common.Values` and `map[string]interface {}` does.
    #[must_use]
    pub fn retyped(&self, ty: MapType) -> Map {
        Map {
            ty,
            cell: self.cell.clone(),
        }
    }

    /// The value stored under `key`: a `&str`, or a `&Key`, which is searched for faster.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<Value>
    where
        Key: Borrow<Q>,
    {
        self.cell.read().get(key).cloned()
    }

    /// Follows `keys` through nested maps, as far as `step` allows and the keys exist, and
    /// returns how many were followed, the value reached and the type of the map it was read
    /// from. Each map is read in place: only the value reached is copied. `None` when not even
    /// the first key can be followed.
    pub(crate) fn follow(
        &self,
        keys: &[Key],
        step: &impl Fn(MapType, &Key) -> bool,
    ) -> Option<(usize, Value, MapType)> {
        let (first, rest) = keys.split_first()?;
        if !step(self.ty, first) {
            return None;
        }
        // Recursive read locks: a map may hold itself.
        let entries = self.cell.read_recursive();
        let value = entries.get(first)?;
        if let Value::Map(inner) = value
            && let Some((followed, reached, ty)) = inner.follow(rest, step)
        {
            return Some((followed + 1, reached, ty));
        }
        Some((1, value.clone(), self.ty))
    }

    /// Whether `key` (a `&str` or a `&Key`) is present, even with a nil value.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        Key: Borrow<Q>,
    {
        self.cell.read().contains_key(key)
    }

    /// Stores `value` under `key`, returning the previous value.
    pub fn insert(&self, key: impl Into<Key>, value: Value) -> Option<Value> {
        mutation::note();
        self.cell.write().insert(key.into(), value)
    }

    /// Replaces the `Template` entry of a template context without counting a change (see
    /// [`mutation`]): the engine does this between templates, and the evaluator forgets the
    /// reused `include` results that read the entry. In a map that is not a context, whose
    /// reads are not watched, it is an ordinary, counted change.
    pub(crate) fn replace_template(&self, template: Value) {
        let mut entries = self.cell.write();
        if !entries.is_context() {
            mutation::note();
        }
        entries.insert(key::static_key!("Template"), template);
    }

    /// Removes `key` (a `&str` or a `&Key`), returning its value.
    pub fn remove<Q: Ord + ?Sized>(&self, key: &Q) -> Option<Value>
    where
        Key: Borrow<Q>,
    {
        mutation::note();
        self.cell.write().remove(key)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.cell.read().len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.cell.read().is_empty()
    }

    /// The keys, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.cell.read().keys().map(|k| k.to_string()).collect()
    }

    /// A snapshot of the entries, sorted by key. No lock is held once it returns, so the
    /// caller may run template code that mutates the map.
    pub fn entries(&self) -> Vec<(Key, Value)> {
        self.cell
            .read()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Runs `f` with shared access to the entries. `f` must not touch this map through
    /// another handle.
    pub fn with_entries<R>(&self, f: impl FnOnce(&Entries) -> R) -> R {
        f(&self.cell.read())
    }

    /// Runs `f` with exclusive access to the entries. `f` must not touch this map through
    /// another handle.
    pub fn with_entries_mut<R>(&self, f: impl FnOnce(&mut Entries) -> R) -> R {
        mutation::note();
        f(&mut self.cell.write())
    }

    /// Whether both handles share one table (Go map identity).
    pub fn ptr_eq(&self, other: &Map) -> bool {
        Arc::ptr_eq(&self.cell, &other.cell)
    }

    /// A copy of the map that shares nothing with it: nested maps are copied too.
    #[must_use]
    pub fn deep_copy(&self) -> Map {
        // Cloning the tree copies it node by node (no re-sorting); then only nested maps and
        // lists need copies of their own.
        let mut entries = self.cell.read().clone();
        for v in entries.values_mut() {
            if matches!(v, Value::Map(_) | Value::List(_)) {
                *v = v.deep_copy();
            }
        }
        Map::from_entries(self.ty, entries)
    }
}

impl Value {
    /// A Go `string`.
    pub fn string(s: impl Into<Arc<str>>) -> Value {
        Value::String(s.into())
    }

    /// A Go `int`.
    pub fn int(i: i64) -> Value {
        Value::Int(i, IntType::Int)
    }

    /// A Go `int64`.
    pub fn int64(i: i64) -> Value {
        Value::Int(i, IntType::Int64)
    }

    /// A `[]interface {}`.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(List::new(items))
    }

    /// A `[]string`.
    pub fn str_list<S: Into<Arc<str>>>(items: impl IntoIterator<Item = S>) -> Value {
        Value::List(List::with_type(
            ListType::Str,
            items.into_iter().map(|s| Value::String(s.into())).collect(),
        ))
    }

    /// A `map[string]interface {}` holding `entries`.
    pub fn map(entries: Entries) -> Value {
        Value::Map(Map::from_entries(MapType::Any, entries))
    }

    /// Whether this is no value or a nil interface (Go's `x == nil` for an `interface {}`).
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Invalid | Value::Nil)
    }

    /// The Go kind, as `kindOf` prints it.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Invalid | Value::Nil => Kind::Invalid,
            Value::Bool(_) => Kind::Bool,
            Value::Int(_, t) => Kind::Int(*t),
            Value::Uint(_, t) => Kind::Uint(*t),
            Value::Float(_) => Kind::Float64,
            Value::Complex(..) => Kind::Complex128,
            Value::String(_) => Kind::String,
            Value::Bytes(_) | Value::List(_) => Kind::Slice,
            Value::Map(_) => Kind::Map,
            Value::Object(o) => o.kind(),
        }
    }

    /// The Go type name, as `typeOf` and `%T` print it (`<nil>` for nil).
    pub fn type_name(&self) -> std::borrow::Cow<'static, str> {
        use std::borrow::Cow;
        match self {
            Value::Invalid | Value::Nil => Cow::Borrowed("<nil>"),
            Value::Bool(_) => Cow::Borrowed("bool"),
            Value::Int(_, t) => Cow::Borrowed(t.name()),
            Value::Uint(_, t) => Cow::Borrowed(t.name()),
            Value::Float(_) => Cow::Borrowed("float64"),
            Value::Complex(..) => Cow::Borrowed("complex128"),
            Value::String(_) => Cow::Borrowed("string"),
            Value::Bytes(_) => Cow::Borrowed("[]uint8"),
            Value::List(l) => Cow::Borrowed(l.ty().name()),
            Value::Map(m) => Cow::Borrowed(m.ty().name()),
            Value::Object(o) => Cow::Owned(o.type_name().to_string()),
        }
    }

    /// Go template truthiness (`if`, `with`, `and`, `or`, `not`): false for the zero value of
    /// the type, for nil, and for empty strings, slices and maps.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Invalid | Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i, _) => *i != 0,
            Value::Uint(u, _) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::Complex(r, i) => *r != 0.0 || *i != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Object(o) => o.is_true(),
        }
    }

    /// The string, if this is a Go `string`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The map, if this is a Go map.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list, if this is a Go slice (other than `[]byte`).
    pub fn as_list(&self) -> Option<&List> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// A copy that shares no map with this value (Sprig's `deepCopy`, coalescing).
    #[must_use]
    pub fn deep_copy(&self) -> Value {
        stacker::maybe_grow(32 * 1024, 1024 * 1024, || self.deep_copy_inner())
    }

    fn deep_copy_inner(&self) -> Value {
        match self {
            Value::Map(m) => Value::Map(m.deep_copy()),
            // Lists are immutable: one without maps inside can be shared.
            Value::List(l)
                if !l
                    .items()
                    .iter()
                    .any(|v| matches!(v, Value::Map(_) | Value::List(_))) =>
            {
                Value::List(l.clone())
            }
            Value::List(l) => Value::List(List::with_type(
                l.ty(),
                l.items().iter().map(Value::deep_copy).collect(),
            )),
            other => other.clone(),
        }
    }

    /// Go's `reflect.DeepEqual` on two interface values: types must match exactly. Values
    /// nested deeper than [`MAX_DEPTH`] (only cyclic maps get there) compare unequal.
    pub fn deep_equal(&self, other: &Value) -> bool {
        self.deep_equal_at(other, 0)
    }

    fn deep_equal_at(&self, other: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        stacker::maybe_grow(32 * 1024, 1024 * 1024, || {
            self.deep_equal_inner(other, depth)
        })
    }

    fn deep_equal_inner(&self, other: &Value, depth: usize) -> bool {
        match (self, other) {
            (Value::Invalid | Value::Nil, Value::Invalid | Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a, ta), Value::Int(b, tb)) => ta == tb && a == b,
            (Value::Uint(a, ta), Value::Uint(b, tb)) => ta == tb && a == b,
            #[allow(clippy::float_cmp)]
            (Value::Float(a), Value::Float(b)) => a == b,
            #[allow(clippy::float_cmp)]
            (Value::Complex(a, b), Value::Complex(c, d)) => a == c && b == d,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                a.ty() == b.ty()
                    && a.len() == b.len()
                    && a.items()
                        .iter()
                        .zip(b.items())
                        .all(|(x, y)| x.deep_equal_at(y, depth + 1))
            }
            (Value::Map(a), Value::Map(b)) => {
                if a.ty() != b.ty() {
                    return false;
                }
                if a.ptr_eq(b) {
                    return true;
                }
                let (ea, eb) = (a.entries(), b.entries());
                ea.len() == eb.len()
                    && ea
                        .iter()
                        .zip(eb.iter())
                        .all(|((ka, va), (kb, vb))| ka == kb && va.deep_equal_at(vb, depth + 1))
            }
            (Value::Object(a), Value::Object(b)) => a.deep_equal(b.as_ref()),
            _ => false,
        }
    }
}

/// How deep [`Value::deep_equal`] looks before giving up (a map that contains itself).
pub const MAX_DEPTH: usize = 10_000;

// Dropping a deeply nested value must not recurse once per level (a `--set a[0][0]...`
// argument nests tens of thousands deep): below a fixed depth, children that are only owned
// here are moved onto a work list and dropped one by one.
impl Drop for List {
    fn drop(&mut self) {
        // Most drops release one of several handles: a plain load says so without the
        // read-modify-write that `Arc::get_mut` costs.
        if Arc::strong_count(&self.items) == 1
            && let Some(items) = Arc::get_mut(&mut self.items)
            && items.iter().any(holds_collection)
        {
            let items = std::mem::take(items);
            drop_nested(items, |items| items);
        }
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        // As for lists: only the last handle looks inside.
        if Arc::strong_count(&self.cell) == 1
            && let Some(lock) = Arc::get_mut(&mut self.cell)
        {
            let entries = lock.get_mut();
            if entries.values().any(holds_collection) {
                let entries = std::mem::take(entries);
                drop_nested(entries, |entries| entries.into_values().collect());
            }
        }
    }
}

/// Whether dropping this value may recurse: only collections hold other values. Values made
/// of scalars alone are dropped in place, without a work list.
fn holds_collection(v: &Value) -> bool {
    matches!(v, Value::List(_) | Value::Map(_))
}

// How many collections deep the current thread is dropping recursively.
thread_local! {
    static DROP_DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Drops a collection's contents: recursively while the nesting is shallow (no work list to
/// allocate), with an explicit work list below [`RECURSIVE_DROP_DEPTH`] levels, so that a
/// deeply nested value cannot overflow the stack.
fn drop_nested<T>(contents: T, into_values: impl FnOnce(T) -> Vec<Value>) {
    const RECURSIVE_DROP_DEPTH: u32 = 64;
    let depth = DROP_DEPTH.get();
    if depth < RECURSIVE_DROP_DEPTH {
        DROP_DEPTH.set(depth + 1);
        drop(contents);
        DROP_DEPTH.set(depth);
    } else {
        drop_iteratively(into_values(contents));
    }
}

fn drop_iteratively(mut stack: Vec<Value>) {
    while let Some(v) = stack.pop() {
        match v {
            Value::List(mut l) => {
                if let Some(items) = Arc::get_mut(&mut l.items) {
                    stack.append(items);
                }
            }
            Value::Map(mut m) => {
                if let Some(lock) = Arc::get_mut(&mut m.cell) {
                    stack.extend(std::mem::take(lock.get_mut()).into_values());
                }
            }
            _ => {}
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        if s.is_empty() {
            return Value::String(empty_str());
        }
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        if s.is_empty() {
            return Value::String(empty_str());
        }
        Value::String(s.into())
    }
}

/// The empty string, allocated once and shared: charts are full of empty strings.
fn empty_str() -> Arc<str> {
    static EMPTY: std::sync::LazyLock<Arc<str>> = std::sync::LazyLock::new(|| Arc::from(""));
    EMPTY.clone()
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Map(m)
    }
}

impl From<List> for Value {
    fn from(l: List) -> Value {
        Value::List(l)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Invalid => f.write_str("Invalid"),
            Value::Nil => f.write_str("Nil"),
            Value::Bool(b) => write!(f, "{b:?}"),
            Value::Int(i, t) => write!(f, "{i}_{}", t.name()),
            Value::Uint(u, t) => write!(f, "{u}_{}", t.name()),
            Value::Float(x) => write!(f, "{x:?}_float64"),
            Value::Complex(r, i) => write!(f, "({r}+{i}i)"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Bytes(b) => write!(f, "bytes{b:?}"),
            Value::List(l) => f.debug_list().entries(l.items()).finish(),
            Value::Map(m) => m.with_entries(|e| f.debug_map().entries(e.iter()).finish()),
            Value::Object(o) => write!(f, "<{}>", o.type_name()),
        }
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with_entries(|e| f.debug_map().entries(e.iter()).finish())
    }
}

impl fmt::Debug for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.items()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_are_shared_references() {
        let a = Map::new();
        let b = a.clone();
        b.insert("k", Value::int(1));
        assert!(a.get("k").is_some_and(|v| v.deep_equal(&Value::int(1))));
        let c = a.deep_copy();
        c.insert("k", Value::int(2));
        assert!(a.get("k").is_some_and(|v| v.deep_equal(&Value::int(1))));
    }

    #[test]
    fn deep_equal_is_type_sensitive() {
        assert!(!Value::int(1).deep_equal(&Value::int64(1)));
        assert!(!Value::int(1).deep_equal(&Value::Float(1.0)));
        assert!(Value::Nil.deep_equal(&Value::Invalid));
    }

    #[test]
    fn type_names_follow_go() {
        assert_eq!(Value::list(vec![]).type_name(), "[]interface {}");
        assert_eq!(Value::str_list(["a"]).type_name(), "[]string");
        assert_eq!(
            Value::Map(Map::with_type(MapType::Values)).type_name(),
            "common.Values"
        );
        assert_eq!(Value::Nil.kind().name(), "invalid");
    }
}

#[cfg(test)]
mod deep_tests {
    use super::*;

    #[test]
    fn deep_values_drop_and_compare_without_overflow() {
        let mut v = Value::Nil;
        for _ in 0..200_000 {
            v = Value::list(vec![v]);
        }
        let w = v.clone();
        assert!(v.deep_equal(&w) || MAX_DEPTH < 200_000);
        drop(v);
        drop(w);
        let mut nested = Map::new();
        for _ in 0..200_000 {
            let outer = Map::new();
            outer.insert("m", Value::Map(nested));
            outer.insert("l", Value::list(vec![Value::int(1), Value::list(vec![])]));
            nested = outer;
        }
        drop(nested);
        let m = Map::new();
        m.insert("self", Value::Map(m.clone()));
        assert!(!Value::Map(m.clone()).deep_equal(&Value::Map(m.deep_copy_shallow_cycle())));
    }

    fn nested(keys: &[&str], leaf: Value) -> Map {
        let m = Map::new();
        match keys {
            [] => {}
            [last] => {
                m.insert(*last, leaf);
            }
            [first, rest @ ..] => {
                m.insert(*first, Value::Map(nested(rest, leaf)));
            }
        }
        m
    }

    fn keys(names: &[&str]) -> Vec<Key> {
        names.iter().map(|n| Key::from(*n)).collect()
    }

    #[test]
    fn follow_stops_at_missing_keys_non_maps_and_refused_steps() {
        let m = nested(&["a", "b", "c"], Value::from("x"));
        let any = |_: MapType, _: &Key| true;
        let reached =
            |r: Option<(usize, Value, MapType)>| r.map(|(n, v, _)| (n, v.type_name().into_owned()));
        let (n, v, ty) = m.follow(&keys(&["a", "b", "c"]), &any).expect("follows");
        assert_eq!((n, v.as_str(), ty), (3, Some("x"), MapType::Any));
        // A missing key stops the walk at the map before it; a string cannot be stepped into.
        assert_eq!(
            reached(m.follow(&keys(&["a", "zz", "c"]), &any)),
            Some((1, "map[string]interface {}".to_string()))
        );
        assert_eq!(
            reached(m.follow(&keys(&["a", "b", "c", "d"]), &any)),
            Some((3, "string".to_string()))
        );
        assert_eq!(reached(m.follow(&keys(&["zz"]), &any)), None);
        assert_eq!(reached(m.follow(&[], &any)), None);
        // A refused step (a method name) ends the walk before that key.
        let not_b = |_: MapType, k: &Key| k.as_str() != "b";
        assert_eq!(
            reached(m.follow(&keys(&["a", "b", "c"]), &not_b)),
            Some((1, "map[string]interface {}".to_string()))
        );
        // A map that holds itself is read under recursive read locks.
        let cyclic = Map::new();
        cyclic.insert("self", Value::Map(cyclic.clone()));
        let (n, _, _) = cyclic
            .follow(&keys(&["self", "self", "self"]), &any)
            .expect("follows");
        assert_eq!(n, 3);
        cyclic.remove("self");
    }

    impl Map {
        fn deep_copy_shallow_cycle(&self) -> Map {
            let other = Map::new();
            other.insert("self", Value::Map(other.clone()));
            other
        }
    }
}
