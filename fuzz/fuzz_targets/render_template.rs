//! Parsing and executing any text against a small values tree must finish (the step budget
//! stops runaway loops) and never panic.
#![no_main]

use chart_core::funcs::FuncEnv;
use chart_core::random::Random;
use chart_core::template::{Options, TemplateSet};
use chart_core::value::{Entries, List, Map, MapType, Value};
use libfuzzer_sys::fuzz_target;

fn data() -> Value {
    let mut values = Entries::new();
    values.insert("name".into(), Value::from("app"));
    values.insert("replicas".into(), Value::Float(3.0));
    values.insert("list".into(), Value::List(List::new(vec![Value::from("a"), Value::Float(1.5), Value::Nil])));
    let mut nested = Entries::new();
    nested.insert("k".into(), Value::from("v"));
    values.insert("map".into(), Value::map(nested));
    let mut top = Entries::new();
    top.insert("Values".into(), Value::Map(Map::from_entries(MapType::Values, values)));
    Value::Map(Map::from_entries(MapType::Values, top))
}

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else { return };
    let mut set = TemplateSet::new();
    if set.add("fuzz.yaml", text).is_err() {
        return;
    }
    let mut random = Random::from_seed(1);
    let env = FuncEnv { fixed_now_nanos: Some(0), ..FuncEnv::default() };
    let options = Options { max_steps: 20_000, ..Options::default() };
    let mut session = set.session(&mut random, &env, &options);
    let _ = session.execute("fuzz.yaml", data());
});
