//! Counts, on this thread, of the changes made to mutable values (maps, `*semver.Version`
//! pointees) and of the reads that may see a template context's `Template` entry. Template
//! code that finds the change count unchanged knows that every value it can reach still holds
//! what it held before, which is what lets the evaluator reuse an `include`. The engine
//! replaces `Template` between templates without counting a change, and forgets only the
//! reused results whose execution read it.

use std::cell::Cell;

thread_local! {
    static CHANGES: Cell<u64> = const { Cell::new(0) };
    static CONTEXT_READS: Cell<u64> = const { Cell::new(0) };
}

/// Records a read of a template context that may have seen its `Template` entry.
pub(crate) fn note_context_read() {
    CONTEXT_READS.with(|c| c.set(c.get().wrapping_add(1)));
}

/// The number of such reads recorded on this thread so far.
pub(crate) fn context_reads() -> u64 {
    CONTEXT_READS.with(Cell::get)
}

/// Records a change to a mutable value.
pub(crate) fn note() {
    CHANGES.with(|c| c.set(c.get().wrapping_add(1)));
}

/// The number of changes recorded on this thread so far.
pub(crate) fn count() -> u64 {
    CHANGES.with(Cell::get)
}

#[cfg(test)]
mod tests {
    use crate::value::{Entries, Map, MapType, Value};

    #[test]
    fn every_way_of_changing_a_map_is_counted() {
        let map = Map::new();
        let before = super::count();
        map.insert("a", Value::Bool(true));
        assert_eq!(super::count(), before + 1);
        map.remove("a");
        assert_eq!(super::count(), before + 2);
        map.with_entries_mut(|_| ());
        assert_eq!(super::count(), before + 3);
        let _ = map.get("a");
        let _ = map.deep_copy();
        assert_eq!(super::count(), before + 3, "reading is not a change");
    }

    #[test]
    fn reads_that_may_see_a_contexts_template_entry_are_counted() {
        let mut entries = Entries::new();
        entries.insert("Template".into(), Value::Bool(true));
        entries.insert("Values".into(), Value::Bool(true));
        entries.mark_context();
        let context = Map::from_entries(MapType::Values, entries);
        let plain = Map::new();
        plain.insert("Template", Value::Bool(true));
        let reads = super::context_reads();
        let _ = context.get("Values");
        let _ = plain.get("Template");
        let _ = plain.keys();
        assert_eq!(super::context_reads(), reads, "other keys and other maps");
        let counted: [&dyn Fn(); 6] = [
            &|| assert!(context.get("Template").is_some()),
            &|| assert!(context.get("Missing").is_none()),
            &|| assert!(context.contains_key("Template")),
            &|| assert_eq!(context.keys().len(), 2),
            &|| assert_eq!(context.entries().len(), 2),
            &|| assert_eq!(context.deep_copy().len(), 2),
        ];
        for (i, read) in counted.iter().enumerate() {
            let before = super::context_reads();
            read();
            assert!(super::context_reads() > before, "read {i} was not counted");
        }
        let copy = context.deep_copy();
        let before = super::context_reads();
        let _ = copy.get("Template");
        assert_eq!(super::context_reads(), before, "a copy is not a context");
        let changes = super::count();
        context.replace_template(Value::Bool(false));
        assert_eq!(
            super::count(),
            changes,
            "replacing Template is not counted as a change"
        );
        assert!(matches!(context.get("Template"), Some(Value::Bool(false))));
        plain.replace_template(Value::Bool(false));
        assert_eq!(super::count(), changes + 1, "in another map it is a change");
    }
}
