//! Any `--set`-family argument must parse or fail with an error, never panic.
#![no_main]

use chart_core::value::Map;
use chart_core::values::overrides;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = overrides::parse_set(text, &Map::new());
    let _ = overrides::parse_set_string(text, &Map::new());
    let _ = overrides::parse_set_json(text, &Map::new());
    let _ = overrides::parse_set_literal(text, &Map::new());
});
