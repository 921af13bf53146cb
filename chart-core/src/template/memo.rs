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

/// The reusable `include` results of a render.
#[derive(Default)]
pub(crate) struct IncludeMemo {
    /// The change count the entries were recorded at.
    epoch: u64,
    entries: Vec<Entry>,
    /// How many `include` calls reused a result.
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

    /// The recorded output of `include name dot` in `ns`, if nothing changed since.
    pub fn get(&mut self, ns: &Arc<Namespace>, name: &str, dot: &Map) -> Option<Value> {
        self.refresh();
        self.entries
            .iter()
            .find(|e| {
                Arc::ptr_eq(&e.ns, ns)
                    && e.dot.ptr_eq(dot)
                    && e.dot.ty() == dot.ty()
                    && &*e.name == name
            })
            .map(|e| e.output.clone())
            .inspect(|_| self.reused += 1)
    }

    /// How many `include` calls reused a result.
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
