//! Reuse of `include` results within a render.
//!
//! Charts include the same helper with the same dot many times (`labels` includes `chart`
//! and `selectorLabels`, and every manifest includes `labels`). Executing a template is a
//! function of the template, its dot and the values reachable from that dot, unless it draws
//! random numbers, reads the clock, resolves names, looks up the cluster, or changes a map.
//! The evaluator records an `include`'s result only when its execution did none of those,
//! and forgets every recorded result as soon as any map changes anywhere (see
//! [`crate::value::mutation`]), so a reused result is always the text executing again would
//! produce. The one change the engine makes between templates, replacing `.Template`, only
//! forgets the results whose execution may have read it.

use std::sync::Arc;

use super::Namespace;
use crate::value::{Map, Value, mutation};

/// One reusable result: the template set it was looked up in, the name, the dot (kept so
/// that its address cannot be reused by another map; its Go type counts too, since `typeOf`
/// shows it), and the output.
struct Entry {
    ns: Arc<Namespace>,
    name: Box<str>,
    dot: Map,
    output: Value,
    /// Whether the execution may have read a template context's `Template` entry.
    reads_context: bool,
}

/// At most this many results are kept: a `range` that includes a helper for each of many
/// maps would otherwise make every lookup scan them all. Helpers reused with `.` are found
/// again right after the list is emptied.
const CAPACITY: usize = 128;

/// The reusable `include` results of a render.
#[derive(Default)]
pub(crate) struct IncludeMemo {
    /// The change count the entries were recorded at.
    epoch: u64,
    entries: Vec<Entry>,
    /// How many `include` calls reused a result (for tests).
    #[cfg(test)]
    reused: u64,
}

impl IncludeMemo {
    /// Drops the entries if a value changed since they were recorded.
    fn refresh(&mut self) {
        let now = mutation::count();
        if now != self.epoch {
            self.entries.clear();
            self.epoch = now;
        }
    }

    /// The recorded output of `include name dot` in `ns`, if nothing changed since. Reusing
    /// a result that read `.Template` counts as such a read, so that an `include` around this
    /// one is known to depend on `.Template` too.
    pub fn get(&mut self, ns: &Arc<Namespace>, name: &str, dot: &Map) -> Option<Value> {
        self.refresh();
        let entry = self.entries.iter().find(|e| {
            Arc::ptr_eq(&e.ns, ns)
                && e.dot.ptr_eq(dot)
                && e.dot.ty() == dot.ty()
                && &*e.name == name
        })?;
        if entry.reads_context {
            mutation::note_context_read();
        }
        #[cfg(test)]
        {
            self.reused += 1;
        }
        Some(entry.output.clone())
    }

    /// How many `include` calls reused a result.
    #[cfg(test)]
    pub fn reused(&self) -> u64 {
        self.reused
    }

    /// Records the output of an execution that started at change count `started_at` and
    /// used nothing but its template and dot. An execution during which a value changed is
    /// not recorded.
    pub fn put(
        &mut self,
        started_at: u64,
        ns: &Arc<Namespace>,
        name: &str,
        dot: Map,
        output: Value,
        reads_context: bool,
    ) {
        self.refresh();
        if self.epoch != started_at {
            return;
        }
        if self.entries.len() == CAPACITY {
            self.entries.clear();
        }
        self.entries.push(Entry {
            ns: ns.clone(),
            name: name.into(),
            dot,
            output,
            reads_context,
        });
    }

    /// Forgets the results that may have read a `Template` entry, which the engine is about
    /// to replace.
    pub fn forget_context_readers(&mut self) {
        self.entries.retain(|e| !e.reads_context);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::MapType;

    #[test]
    fn results_are_found_by_set_name_dot_and_type_and_kept_within_capacity() {
        let (ns, other_ns) = (
            Arc::new(Namespace::default()),
            Arc::new(Namespace::default()),
        );
        let dot = Map::new();
        let mut memo = IncludeMemo::default();
        let now = mutation::count();
        memo.put(now, &ns, "x", dot.clone(), Value::from("out"), false);
        assert!(matches!(memo.get(&ns, "x", &dot), Some(Value::String(s)) if &*s == "out"));
        assert!(memo.get(&other_ns, "x", &dot).is_none());
        assert!(memo.get(&ns, "y", &dot).is_none());
        assert!(memo.get(&ns, "x", &Map::new()).is_none());
        assert!(memo.get(&ns, "x", &dot.retyped(MapType::Values)).is_none());
        assert_eq!(memo.reused(), 1);
        // An execution that started before a change is not recorded.
        dot.insert("k", Value::Nil);
        memo.put(now, &ns, "z", dot.clone(), Value::from("stale"), false);
        assert!(memo.get(&ns, "z", &dot).is_none());
        assert!(
            memo.get(&ns, "x", &dot).is_none(),
            "forgotten after the change"
        );
        let now = mutation::count();
        for i in 0..=CAPACITY {
            memo.put(
                now,
                &ns,
                &i.to_string(),
                dot.clone(),
                Value::Nil,
                i % 2 == 0,
            );
            assert!(memo.entries.len() <= CAPACITY);
        }
        let kept = memo.entries.len();
        memo.forget_context_readers();
        assert!(memo.entries.iter().all(|e| !e.reads_context));
        assert!(memo.entries.len() < kept);
    }
}
