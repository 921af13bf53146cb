//! Parsing any text must return a tree or an error, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let mut set = chart_core::template::TemplateSet::new();
        let _ = set.add("fuzz.yaml", text);
    }
});
