//! The library API, as an embedding program uses it.

use chart_core::{Renderer, ValueOverrides};

fn demo() -> chart_core::Chart {
    chart_core::load_chart(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/charts/demo"
    ))
    .expect("demo chart loads")
}

fn values(set: &[&str]) -> chart_core::Map {
    ValueOverrides {
        set: set.iter().map(|s| (*s).to_string()).collect(),
        ..ValueOverrides::default()
    }
    .merge(&|p| std::fs::read(p).map_err(|e| e.to_string()))
    .expect("values merge")
}

#[test]
fn a_renderer_reused_with_other_values_renders_each_time_afresh() {
    let chart = demo();
    let renderer = Renderer::new().release("web", "prod");
    let first = renderer
        .render_to_string(&chart, &values(&["image.tag=1.0.0"]))
        .expect("renders");
    let second = renderer
        .render_to_string(&chart, &values(&["image.tag=2.0.0", "replicaCount=3"]))
        .expect("renders");
    assert!(first.contains("nginx:1.0.0") && !first.contains("nginx:2.0.0"));
    assert!(second.contains("nginx:2.0.0") && second.contains("replicas: 3"));
    // A fresh renderer gives the same text as the reused one.
    let fresh = Renderer::new()
        .release("web", "prod")
        .render_to_string(&chart, &values(&["image.tag=2.0.0", "replicaCount=3"]));
    assert_eq!(fresh.expect("renders"), second);
}

#[test]
fn documents_come_in_helm_order() {
    let rendered = Renderer::new()
        .render(&demo(), &values(&[]))
        .expect("renders");
    let kinds: Vec<&str> = rendered.manifests.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, ["ServiceAccount", "Service", "Deployment"]);
    let sources: Vec<&str> = rendered.documents().iter().map(|d| d.source).collect();
    assert_eq!(
        sources.last().copied(),
        Some("demo/templates/tests/test-connection.yaml")
    );
}

#[test]
fn errors_are_typed_and_carry_helms_text() {
    let err = Renderer::new()
        .render(
            &demo(),
            &values(&["ingress.enabled=true", "ingress.hosts=x"]),
        )
        .unwrap_err();
    assert!(matches!(err, chart_core::Error::Render(_)), "{err:?}");
    let err = ValueOverrides {
        set: vec!["a[x]=1".into()],
        ..ValueOverrides::default()
    }
    .merge(&|_| Err("unused".to_string()))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "failed parsing --set data: error parsing index: strconv.Atoi: parsing \"x\": invalid syntax"
    );
}
