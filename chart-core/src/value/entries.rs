//! The entries of a map: a vector of key and value pairs kept sorted by key.
//!
//! Chart values are many small tables (a few keys each) that Helm copies several times per
//! render. A sorted vector holds such a table in one exactly sized allocation, copies it with
//! one allocation, and searches it in contiguous memory; a B-tree allocates a node of eleven
//! slots for every table, however small. Building a table from keys in order, as the YAML and
//! JSON decoders do, appends; an insertion elsewhere shifts the entries after it.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;

use super::{Key, Value, mutation};

/// The entries of a [`Map`](super::Map), sorted by key in Go's byte order. Its methods are
/// the `BTreeMap<Key, Value>` methods the crate uses, with the same meaning.
#[derive(Default)]
pub struct Entries {
    items: Vec<(Key, Value)>,
    /// A template context (the `.` of a chart's templates), whose `Template` entry the engine
    /// replaces before each template: reads that may see that entry are counted (see
    /// [`mutation::note_context_read`]).
    context: bool,
}

/// The entry of a template context that the engine replaces between templates.
const TEMPLATE: &str = "Template";

impl Clone for Entries {
    /// A copy of the entries. The copy is not a context: nothing replaces its `Template`.
    fn clone(&self) -> Self {
        self.observe();
        Entries {
            items: self.items.clone(),
            context: false,
        }
    }
}

/// A borrowing iterator over the entries, in key order.
pub type Iter<'a> = std::iter::Map<
    std::slice::Iter<'a, (Key, Value)>,
    for<'b> fn(&'b (Key, Value)) -> (&'b Key, &'b Value),
>;

/// A mutably borrowing iterator over the entries, in key order.
pub type IterMut<'a> = std::iter::Map<
    std::slice::IterMut<'a, (Key, Value)>,
    for<'b> fn(&'b mut (Key, Value)) -> (&'b Key, &'b mut Value),
>;

fn pair_ref(pair: &(Key, Value)) -> (&Key, &Value) {
    (&pair.0, &pair.1)
}

fn pair_mut(pair: &mut (Key, Value)) -> (&Key, &mut Value) {
    (&pair.0, &mut pair.1)
}

impl Entries {
    /// No entries.
    pub fn new() -> Entries {
        Entries::default()
    }

    /// No entries, with room for `n`.
    pub fn with_capacity(n: usize) -> Entries {
        Entries {
            items: Vec::with_capacity(n),
            context: false,
        }
    }

    /// Marks these entries as a template context (see [`Entries::context`]).
    pub(crate) fn mark_context(&mut self) {
        self.context = true;
    }

    /// Whether these entries are a template context.
    pub(crate) fn is_context(&self) -> bool {
        self.context
    }

    /// Counts a read of a context that may see its `Template` entry.
    fn observe(&self) {
        if self.context {
            mutation::note_context_read();
        }
    }

    /// Counts a keyed read of a context that found the entry at `found` (or nothing).
    fn observe_key(&self, found: Result<usize, usize>) {
        if self.context && found.map_or(true, |i| self.items[i].0.as_str() == TEMPLATE) {
            mutation::note_context_read();
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Where `key` is (`Ok`), or where it would go (`Err`).
    fn position<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        Key: Borrow<Q>,
    {
        self.items.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value under `key` (a `&str` or a `&Key`).
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&Value>
    where
        Key: Borrow<Q>,
    {
        let found = self.position(key);
        self.observe_key(found);
        found.ok().map(|i| &self.items[i].1)
    }

    /// Whether `key` is present.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        Key: Borrow<Q>,
    {
        let found = self.position(key);
        self.observe_key(found);
        found.is_ok()
    }

    /// Stores `value` under `key`, returning the value it replaces. A key past the last one
    /// is appended without a search.
    pub fn insert(&mut self, key: Key, value: Value) -> Option<Value> {
        if let Some((last, _)) = self.items.last()
            && key.cmp(last) == Ordering::Greater
        {
            self.items.push((key, value));
            return None;
        }
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i].1, value)),
            Err(i) => {
                self.items.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<Value>
    where
        Key: Borrow<Q>,
    {
        match self.position(key) {
            Ok(i) => Some(self.items.remove(i).1),
            Err(_) => None,
        }
    }

    /// The entries, in key order.
    pub fn iter(&self) -> Iter<'_> {
        self.observe();
        self.items.iter().map(pair_ref)
    }

    /// The entries, in key order, with mutable values.
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        self.items.iter_mut().map(pair_mut)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + ExactSizeIterator {
        self.observe();
        self.items.iter().map(|(k, _)| k)
    }

    /// The values, in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.observe();
        self.items.iter().map(|(_, v)| v)
    }

    /// The values, in key order, to change in place.
    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator {
        self.items.iter_mut().map(|(_, v)| v)
    }

    /// The values, in key order, taken out.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = Value> + ExactSizeIterator {
        self.observe();
        self.items.into_iter().map(|(_, v)| v)
    }
}

impl FromIterator<(Key, Value)> for Entries {
    /// Entries from pairs in any order; of equal keys, the last pair's value wins, as with
    /// repeated inserts.
    fn from_iter<I: IntoIterator<Item = (Key, Value)>>(iter: I) -> Entries {
        let mut items: Vec<(Key, Value)> = iter.into_iter().collect();
        if !items.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable, so equal keys keep their order; the kept (first) pair of a run takes
            // each later pair's value, so the last one wins.
            items.sort_by(|a, b| a.0.cmp(&b.0));
            items.dedup_by(|later, kept| {
                let same = later.0 == kept.0;
                if same {
                    std::mem::swap(&mut later.1, &mut kept.1);
                }
                same
            });
        }
        Entries {
            items,
            context: false,
        }
    }
}

impl IntoIterator for Entries {
    type Item = (Key, Value);
    type IntoIter = std::vec::IntoIter<(Key, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.observe();
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Entries {
    type Item = (&'a Key, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl fmt::Debug for Entries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::Entries;
    use crate::value::{Key, Value};

    fn keys(e: &Entries) -> Vec<&str> {
        e.keys().map(Key::as_str).collect()
    }

    #[test]
    fn keeps_keys_sorted_whatever_the_insertion_order() {
        let mut e = Entries::new();
        for k in ["m", "b", "z", "a", "mm", "b"] {
            e.insert(k.into(), Value::from(k));
        }
        assert_eq!(keys(&e), ["a", "b", "m", "mm", "z"]);
        assert_eq!(e.len(), 5);
        assert_eq!(
            e.insert("m".into(), Value::Nil)
                .and_then(|v| v.as_str().map(String::from)),
            Some("m".to_string())
        );
        assert!(matches!(e.get("m"), Some(Value::Nil)));
        assert!(e.remove("a").is_some());
        assert!(e.remove("a").is_none());
        assert_eq!(keys(&e), ["b", "m", "mm", "z"]);
        assert!(e.contains_key(&Key::from("mm")));
        assert!(!e.contains_key("q"));
    }

    #[test]
    fn collecting_lets_the_last_of_equal_keys_win() {
        let e: Entries = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)]
            .into_iter()
            .map(|(k, v)| (Key::from(k), Value::int(v)))
            .collect();
        assert_eq!(keys(&e), ["a", "b", "c"]);
        let ints: Vec<i64> = e
            .values()
            .map(|v| match v {
                Value::Int(i, _) => *i,
                _ => -1,
            })
            .collect();
        assert_eq!(ints, [5, 3, 4]);
    }
}
