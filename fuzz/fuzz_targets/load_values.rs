//! Any values file must load or fail with an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(values) = chart_core::yaml::load_values(text) {
        let _ = chart_core::yaml::to_yaml(&chart_core::Value::Map(values));
    }
    let _ = chart_core::yaml::from_yaml(text);
});
