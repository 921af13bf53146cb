//! `chart-cli/hot-text.ld`, the linker script of the release binary on Linux (written by
//! `scripts/hot-text`, linked by `chart-cli/build.rs`). CI builds no release binary, so a
//! malformed script would only show when a user runs `cargo build --release`: this checks
//! its shape instead.

use std::collections::HashSet;

/// Characters of C names, of legacy (`_ZN…E`) and v0 (`_R…`) mangled names, and the `*` of a
/// hash-free pattern: none of them ends a linker-script token.
fn is_symbol_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.' | '*')
}

#[test]
fn the_hot_text_script_is_one_insert_of_well_formed_entries() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/hot-text.ld");
    let text = std::fs::read_to_string(path).expect("chart-cli/hot-text.ld is readable");
    let body = text
        .split_once("*/\n")
        .map(|(_, rest)| rest)
        .expect("the script opens with a comment");
    let mut lines = body.lines();
    assert_eq!(lines.next(), Some("SECTIONS {"));
    assert_eq!(lines.next(), Some("  .text.hot : {"));
    let rest: Vec<&str> = lines.collect();
    assert_eq!(
        rest[rest.len() - 3..],
        ["  }", "}", "INSERT BEFORE .text;"],
        "the script ends by inserting its section before .text"
    );
    let entries = &rest[..rest.len() - 3];
    assert!(
        entries.len() > 100,
        "only {} functions listed",
        entries.len()
    );
    let mut seen = HashSet::new();
    for entry in entries {
        let inner = entry
            .strip_prefix("    *(.text.")
            .and_then(|e| e.strip_suffix(')'))
            .unwrap_or_else(|| panic!("not an input section entry: {entry}"));
        let (name, unlikely) = inner
            .split_once(" .text.unlikely.")
            .unwrap_or_else(|| panic!("no .text.unlikely. form: {entry}"));
        assert_eq!(name, unlikely, "{entry}");
        assert!(name.chars().all(is_symbol_char), "{entry}");
        assert!(seen.insert(name), "listed twice: {name}");
    }
}
