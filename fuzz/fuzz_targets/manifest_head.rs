//! The fast reading of a manifest's head must agree with the full YAML parser on every
//! document it accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = std::str::from_utf8(data) {
        assert!(chart_core::render::fast_head_agrees(doc), "fast head disagrees on {doc:?}");
    }
});
