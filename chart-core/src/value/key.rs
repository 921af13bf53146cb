//! Map keys: shared, immutable strings that compare quickly.
//!
//! Values are copied often (Helm deep-copies the values several times per render, and every
//! subchart gets its own copy), so a key is an `Arc<str>`: copying a map copies its keys by
//! bumping a count, not by allocating. Keys order by bytes, as Go sorts map keys. Each key also
//! keeps its first eight bytes as a number, so that comparing two keys is one integer
//! comparison unless they share those bytes: a `memcmp` call per step of a search costs more
//! than the search itself.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// The [`Key`] for a string literal: allocated once per call site, then shared.
macro_rules! static_key {
    ($text:literal) => {{
        static KEY: std::sync::LazyLock<$crate::value::Key> =
            std::sync::LazyLock::new(|| $crate::value::Key::from($text));
        KEY.clone()
    }};
}
pub(crate) use static_key;

/// A map key. It derefs to `&str`, and a map keyed by it can be searched with a `&str` or,
/// faster, with a `&Key`.
#[derive(Clone, Default)]
pub struct Key {
    /// The first eight bytes, big-endian, zero-padded: their order is the order of the keys
    /// whenever they differ.
    prefix: u64,
    text: Arc<str>,
}

impl Key {
    fn new(text: Arc<str>) -> Key {
        let mut head = [0u8; 8];
        for (slot, byte) in head.iter_mut().zip(text.bytes()) {
            *slot = byte;
        }
        Key {
            prefix: u64::from_be_bytes(head),
            text,
        }
    }

    /// The key as a string slice.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Ord for Key {
    /// Byte-wise order, as `str`'s. Zero-padded prefixes that differ order as the keys do: at
    /// the first difference either both bytes are real, or the shorter key has ended (a zero
    /// against a non-zero byte) and is a prefix of the longer, so it sorts first.
    fn cmp(&self, other: &Self) -> Ordering {
        match self.prefix.cmp(&other.prefix) {
            // Equal prefixes of keys that fit in them: the shorter key is a prefix of the
            // longer (its padding matched the other's zero bytes), so length decides.
            Ordering::Equal if self.text.len() <= 8 && other.text.len() <= 8 => {
                self.text.len().cmp(&other.text.len())
            }
            Ordering::Equal => self.text.as_bytes().cmp(other.text.as_bytes()),
            unequal => unequal,
        }
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.prefix == other.prefix && self.text == other.text
    }
}

impl Eq for Key {}

impl Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Key {
        Key::new(s.into())
    }
}

impl From<&String> for Key {
    fn from(s: &String) -> Key {
        Key::new(s.as_str().into())
    }
}

impl From<String> for Key {
    fn from(s: String) -> Key {
        Key::new(s.into())
    }
}

impl From<Key> for String {
    fn from(k: Key) -> String {
        k.text.as_ref().to_owned()
    }
}

impl From<Key> for Arc<str> {
    fn from(k: Key) -> Arc<str> {
        k.text
    }
}

impl PartialEq<String> for Key {
    fn eq(&self, other: &String) -> bool {
        *self.text == **other
    }
}

impl PartialEq<Key> for &str {
    fn eq(&self, other: &Key) -> bool {
        *self == &*other.text
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

#[cfg(test)]
mod tests {
    use super::Key;
    use std::collections::BTreeMap;

    #[test]
    fn orders_as_str_does() {
        let words = [
            "",
            "a",
            "ab",
            "b",
            "B",
            "aa",
            "a\u{e9}",
            "z",
            "\u{ff}",
            "abc",
            "ab\0",
            "ab\0\0",
            "a\0b",
            "abcdefg",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefgi",
            "serviceAccount",
            "serviceAccountName",
            "service",
        ];
        for x in words {
            for y in words {
                let (kx, ky) = (Key::from(x), Key::from(y));
                assert_eq!(kx.cmp(&ky), x.cmp(y), "{x:?} vs {y:?}");
                assert_eq!(kx == ky, x == y, "{x:?} == {y:?}");
            }
        }
    }

    #[test]
    fn finds_by_str_and_by_key() {
        let mut m = BTreeMap::new();
        for w in [
            "image",
            "service",
            "ingress",
            "replicaCount",
            "serviceAccount",
        ] {
            m.insert(Key::from(w), w.len());
        }
        assert_eq!(m.get("serviceAccount"), Some(&14));
        assert_eq!(m.get(&Key::from("service")), Some(&7));
        assert_eq!(m.get("servic"), None);
        let keys: Vec<&str> = m.keys().map(Key::as_str).collect();
        assert_eq!(
            keys,
            [
                "image",
                "ingress",
                "replicaCount",
                "service",
                "serviceAccount"
            ]
        );
    }
}
