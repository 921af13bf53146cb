//! `chart-core` loads Helm charts, builds their values and renders their templates exactly as
//! Helm 4.1.4 does, without Helm, Go, a cluster or an async runtime.
//!
//! # Rendering a chart
//!
//! ```
//! use chart_core::{Renderer, ValueOverrides};
//!
//! // A chart directory or .tgz.
//! let chart = chart_core::load_chart(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/charts/demo"))?;
//!
//! // The user's values: -f files and the --set family, merged in Helm's order.
//! let overrides = ValueOverrides {
//!     set: vec!["image.tag=1.2.3".into(), "replicaCount=2".into()],
//!     ..ValueOverrides::default()
//! };
//! let values = overrides.merge(&|path| std::fs::read(path).map_err(|e| e.to_string()))?;
//!
//! // `helm template web ./demo -n prod --set ...`
//! let rendered = Renderer::new().release("web", "prod").render(&chart, &values)?;
//!
//! // The documents in Helm's order, or the exact text `helm template` prints.
//! let deployment = rendered.documents().into_iter().find(|d| d.source.ends_with("deployment.yaml")).unwrap();
//! assert!(deployment.content.contains("image: \"nginx:1.2.3\""));
//! let text = rendered.to_helm_output()?;
//! assert!(text.contains("replicas: 2"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Errors are typed ([`Error`] and the module errors it wraps); their `Display` is Helm's
//! message. Template errors also render a source excerpt with `{:#}`.
//!
//! # Modules
//!
//! * [`chart`]: the chart model and its loading (directories, archives, `.helmignore`).
//! * [`values`]: `-f`/`--set` overrides, coalescing, dependencies, `values.schema.json`.
//! * [`template`]: Go's `text/template` (lexer, parser, evaluator) with Helm's functions
//!   ([`funcs`]), Go's `fmt` ([`gofmt`]), `time` ([`datetime`]) and Masterminds' [`semver`].
//! * [`render`]: Helm's engine and the `helm template` output contract.
//! * [`yaml`], [`json`]: YAML 1.1 and JSON exactly as Helm reads and writes them.
//! * [`value`]: the value model, which mirrors Go's types.
//!
//! # Features
//!
//! * `archive` (default): read charts packaged as `.tgz` (flate2 + tar).
//!
//! Rendering never depends on tokio, an HTTP client or a Kubernetes client. Known differences
//! from Helm are listed in `COMPATIBILITY.md` at the repository root.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod chart;
pub mod datetime;
pub mod files;
pub mod funcs;
pub mod gofmt;
pub mod json;
mod lines;
mod parallel;
pub mod random;
pub mod render;
pub mod semver;
pub mod template;
#[cfg(test)]
mod testing;
pub mod value;
pub mod values;
pub mod yaml;

#[cfg(feature = "archive")]
pub use chart::load_archive;
pub use chart::{Chart, load as load_chart};
pub use render::{Document, Error, Rendered, Renderer};
pub use value::{List, Map, Value};
pub use values::overrides::ValueOverrides;
