//! [`Renderer`]: the whole of `helm template` between a loaded chart plus user values and the
//! rendered manifests, for programs that embed `chart-core`.

use std::borrow::Cow;

use crate::chart::Chart;
use crate::funcs::FuncEnv;
use crate::random::Random;
use crate::template::{Lookup, Options};
use crate::value::Map;
use crate::values::coalesce::{SchemaCheck, prepare_values_shared};

use super::{
    Capabilities, EngineOptions, KubeVersion, PostRenderer, Release, RenderError, Rendered,
    TemplateCache, TemplateOptions, render_cached,
};

/// Everything that can stop a chart from rendering. `Display` gives Helm's message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The chart could not be loaded.
    #[error(transparent)]
    Load(#[from] crate::chart::LoadError),
    /// A values flag (`-f`, `--set`, ...) is malformed.
    #[error(transparent)]
    Overrides(#[from] crate::values::overrides::ValuesError),
    /// The values could not be coalesced or break a schema.
    #[error(transparent)]
    Values(#[from] crate::values::coalesce::ValuesError),
    /// The chart is a library chart (or of another non-application type).
    #[error("{0} charts are not installable")]
    NotInstallable(String),
    /// `Chart.yaml` lists dependencies that `charts/` lacks.
    #[error(
        "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: {0}"
    )]
    MissingDependencies(#[from] crate::chart::MissingDependencies),
    /// Rendering failed (a template error, invalid YAML output, `kubeVersion`, `--show-only`).
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// Renders charts as `helm template` does. A renderer keeps the parsed templates of the last
/// chart it rendered, so rendering the same chart again (with other values) skips parsing.
///
/// ```
/// use chart_core::{Map, Renderer};
///
/// let chart = chart_core::chart::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/charts/demo"))?;
/// let values = Map::new(); // the user's values: -f files and --set flags, merged
/// let rendered = Renderer::new().release("web", "prod").render(&chart, &values)?;
/// let text = rendered.to_helm_output()?;
/// assert!(text.starts_with("---\n# Source: demo/templates/serviceaccount.yaml\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Renderer<'a> {
    options: TemplateOptions,
    schema: SchemaCheck,
    funcs: FuncEnv,
    template: Options,
    lookup: Option<&'a dyn Lookup>,
    post_renderer: Option<&'a dyn PostRenderer>,
    seed: Option<u64>,
    cache: TemplateCache,
}

impl Default for Renderer<'_> {
    fn default() -> Self {
        Renderer::new()
    }
}

impl<'a> Renderer<'a> {
    /// A renderer with `helm template`'s defaults: release `release-name` in namespace
    /// `default`, Kubernetes v1.35.0, schema validation on.
    pub fn new() -> Renderer<'a> {
        Renderer {
            options: TemplateOptions {
                capabilities: Some(Capabilities::new(KubeVersion::default(), &[])),
                ..TemplateOptions::default()
            },
            schema: SchemaCheck::Validate,
            funcs: FuncEnv::default(),
            template: Options::default(),
            lookup: None,
            post_renderer: None,
            seed: None,
            cache: TemplateCache::default(),
        }
    }

    /// The release name and namespace (`helm template NAME -n NAMESPACE`).
    #[must_use]
    pub fn release(mut self, name: &str, namespace: &str) -> Self {
        self.options.release.name = name.to_string();
        self.options.release.namespace = namespace.to_string();
        self
    }

    /// `.Release` in full (revision, install/upgrade).
    #[must_use]
    pub fn release_info(mut self, release: Release) -> Self {
        self.options.release = release;
        self
    }

    /// `.Capabilities`: the cluster version and extra API versions (`--kube-version`,
    /// `--api-versions`).
    #[must_use]
    pub fn capabilities(mut self, capabilities: Capabilities) -> Self {
        self.options.capabilities = Some(capabilities);
        self
    }

    /// All `helm template` output options at once.
    #[must_use]
    pub fn template_options(mut self, options: TemplateOptions) -> Self {
        self.options = options;
        self
    }

    /// `--skip-schema-validation`.
    #[must_use]
    pub fn skip_schema_validation(mut self, skip: bool) -> Self {
        self.schema = if skip {
            SchemaCheck::Skip
        } else {
            SchemaCheck::Validate
        };
        self
    }

    /// Settings of the function library (`--enable-dns`, a fixed clock).
    #[must_use]
    pub fn funcs(mut self, funcs: FuncEnv) -> Self {
        self.funcs = funcs;
        self
    }

    /// Template execution options (strict mode, step budget).
    #[must_use]
    pub fn template_execution(mut self, options: Options) -> Self {
        self.template = options;
        self
    }

    /// Answers `lookup` calls (without one, `lookup` returns empty maps as in `helm template`).
    #[must_use]
    pub fn lookup(mut self, lookup: &'a dyn Lookup) -> Self {
        self.lookup = Some(lookup);
        self
    }

    /// Runs the rendered files through a post-renderer before sorting them, as
    /// `helm template --post-renderer` does.
    #[must_use]
    pub fn post_renderer(mut self, post_renderer: &'a dyn PostRenderer) -> Self {
        self.post_renderer = Some(post_renderer);
        self
    }

    /// Seeds the random functions (`randAlphaNum`, `uuidv4`, ...) so that output repeats.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The options this renderer prints with.
    pub fn options(&self) -> &TemplateOptions {
        &self.options
    }

    /// Checks the chart, coalesces `values` (the user's merged values) with its defaults,
    /// validates them and renders, as `helm template` does. The warnings Helm would log
    /// (`level=WARN ...`) are in [`Rendered::warnings`].
    pub fn render(&self, chart: &Chart, values: &Map) -> Result<Rendered, Error> {
        let (chart, values, warnings) = self.prepare_shared(chart, values)?;
        let mut rendered = self.render_prepared(&chart, &values)?;
        rendered.warnings = warnings;
        Ok(rendered)
    }

    /// The checks and value processing of [`Renderer::render`], without rendering: the chart
    /// with its disabled subcharts removed, the root's final values, and Helm's warnings.
    pub fn prepare(&self, chart: &Chart, values: &Map) -> Result<(Chart, Map, Vec<String>), Error> {
        let (chart, values, warnings) = self.prepare_shared(chart, values)?;
        Ok((chart.into_owned(), values, warnings))
    }

    /// [`Renderer::prepare`], copying the chart only when dependency processing changes it.
    fn prepare_shared<'c>(
        &self,
        chart: &'c Chart,
        values: &Map,
    ) -> Result<(Cow<'c, Chart>, Map, Vec<String>), Error> {
        let chart_type = &chart.metadata.chart_type;
        if !chart_type.is_empty() && chart_type != "application" {
            return Err(Error::NotInstallable(chart_type.clone()));
        }
        let mut warnings = Vec::new();
        if chart.metadata.deprecated {
            warnings.push("level=WARN msg=\"this chart is deprecated\"".to_string());
        }
        chart.check_dependencies()?;
        let mut chart = Cow::Borrowed(chart);
        let prepared = prepare_values_shared(&mut chart, values, self.schema)?;
        warnings.extend(prepared.warnings);
        Ok((chart, prepared.values, warnings))
    }

    /// Renders a chart whose values were already prepared ([`Renderer::prepare`]).
    pub fn render_prepared(&self, chart: &Chart, values: &Map) -> Result<Rendered, RenderError> {
        let engine = EngineOptions {
            template: self.template.clone(),
            funcs: self.funcs.clone(),
            lookup: self.lookup,
            post_renderer: self.post_renderer,
        };
        let mut random = match self.seed {
            Some(s) => Random::from_seed(s),
            None => Random::from_entropy(),
        };
        render_cached(
            chart,
            values,
            &self.options,
            &engine,
            &mut random,
            Some(&self.cache),
        )
    }

    /// Renders and returns exactly what `helm template` prints.
    pub fn render_to_string(&self, chart: &Chart, values: &Map) -> Result<String, Error> {
        Ok(self.render(chart, values)?.to_helm_output()?)
    }
}
