//! Whole renders through the public API: a warm in-process render of the `helm create`
//! scaffold (the embedding case) and of a 100-subchart umbrella.

use std::hint::black_box;

use chart_core::{Map, Renderer};
use criterion::{Criterion, criterion_group, criterion_main};

fn scaffold(c: &mut Criterion) {
    let chart = chart_core::load_chart(chart_benches::scaffold_dir()).expect("scaffold");
    let renderer = Renderer::new().release("web", "prod");
    let values = Map::new();
    c.bench_function(
        "warm render of the helm create scaffold (to helm's text)",
        |b| {
            b.iter(|| black_box(renderer.render_to_string(&chart, &values).expect("renders")));
        },
    );
    c.bench_function(
        "cold render of the helm create scaffold (load + render)",
        |b| {
            b.iter(|| {
                let chart =
                    chart_core::load_chart(chart_benches::scaffold_dir()).expect("scaffold");
                black_box(
                    Renderer::new()
                        .render_to_string(&chart, &values)
                        .expect("renders"),
                )
            });
        },
    );
}

fn umbrella(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("chart-bench-umbrella-{}", std::process::id()));
    let path = chart_benches::write_umbrella(&dir, 100, 0).expect("umbrella");
    let chart = chart_core::load_chart(&path).expect("loads");
    let renderer = Renderer::new();
    let values = Map::new();
    let mut group = c.benchmark_group("umbrella");
    group.sample_size(20);
    group.bench_function("100 subcharts (warm render)", |b| {
        b.iter(|| black_box(renderer.render_to_string(&chart, &values).expect("renders")));
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, scaffold, umbrella);
criterion_main!(benches);
