//! The template engine alone, on a realistic helpers-heavy chart (the `helm create` scaffold):
//! lexing + parsing its templates, then executing them; and `tpl` at scale.

use std::hint::black_box;

use chart_core::funcs::FuncEnv;
use chart_core::random::Random;
use chart_core::render::{Capabilities, EngineOptions, KubeVersion, Release, render_files};
use chart_core::template::{Options, TemplateSet};
use chart_core::{Map, Renderer};
use criterion::{Criterion, criterion_group, criterion_main};

fn scaffold_templates() -> Vec<(String, String)> {
    let chart = chart_core::load_chart(chart_benches::scaffold_dir()).expect("scaffold");
    chart
        .templates
        .iter()
        .map(|t| {
            (
                format!("demo/{}", t.name),
                String::from_utf8_lossy(&t.data).into_owned(),
            )
        })
        .collect()
}

fn lex_and_parse(c: &mut Criterion) {
    let templates = scaffold_templates();
    let bytes: usize = templates.iter().map(|(_, t)| t.len()).sum();
    c.bench_function(
        &format!(
            "parse scaffold templates ({} files, {bytes} bytes)",
            templates.len()
        ),
        |b| {
            b.iter(|| {
                let mut set = TemplateSet::new();
                for (name, text) in &templates {
                    set.add(name, text).expect("parses");
                }
                black_box(set)
            });
        },
    );
}

fn execute(c: &mut Criterion) {
    let chart = chart_core::load_chart(chart_benches::scaffold_dir()).expect("scaffold");
    let renderer = Renderer::new();
    let (chart, values, _) = renderer.prepare(&chart, &Map::new()).expect("prepares");
    let caps = Capabilities::new(KubeVersion::default(), &[]);
    let release = Release::default();
    let options = EngineOptions {
        template: Options::default(),
        funcs: FuncEnv::default(),
        lookup: None,
        post_renderer: None,
    };
    let cache = chart_core::render::TemplateCache::default();
    c.bench_function("execute scaffold templates (parsed once)", |b| {
        let mut random = Random::from_seed(1);
        b.iter(|| {
            black_box(
                chart_core::render::render_files_cached(
                    &chart,
                    &values,
                    &release,
                    &caps,
                    &options,
                    &mut random,
                    Some(&cache),
                )
                .expect("renders"),
            )
        });
    });
    c.bench_function("parse + execute scaffold templates", |b| {
        let mut random = Random::from_seed(1);
        b.iter(|| {
            black_box(
                render_files(&chart, &values, &release, &caps, &options, &mut random)
                    .expect("renders"),
            )
        });
    });
}

fn tpl_umbrella(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("chart-bench-tpl-{}", std::process::id()));
    let path = chart_benches::write_umbrella(&dir, 100, 50).expect("umbrella");
    let chart = chart_core::load_chart(&path).expect("loads");
    let renderer = Renderer::new();
    let values = Map::new();
    let mut group = c.benchmark_group("umbrella");
    group.sample_size(20);
    group.bench_function("100 subcharts, 5000 tpl calls (in-process render)", |b| {
        b.iter(|| black_box(renderer.render(&chart, &values).expect("renders")));
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, lex_and_parse, execute, tpl_umbrella);
criterion_main!(benches);
