//! `chart template`: render a chart locally and print it (or write it to `--output-dir`)
//! exactly as `helm template` does.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chart_core::chart::Chart;
use chart_core::funcs::FuncEnv;
use chart_core::random::Random;
use chart_core::render::{
    Capabilities, EngineOptions, KubeVersion, Rendered, Renderer, render_files,
};
use chart_core::value::Map;

use crate::output::FileBatch;
use crate::settings::TemplateSettings;

/// The library renderer configured from the command line.
pub fn renderer(settings: &TemplateSettings) -> Renderer<'static> {
    Renderer::new()
        .template_options(settings.options.clone())
        .skip_schema_validation(settings.skip_schema_validation)
        .funcs(FuncEnv {
            enable_dns: settings.enable_dns,
            ..FuncEnv::default()
        })
}

/// Loads the chart and computes its values, in the order `helm template` does: the values
/// flags first, then the chart, then the checks and coalescing. Helm's warnings go to stderr.
pub fn load_and_prepare(settings: &TemplateSettings) -> Result<(Chart, Map)> {
    let user = settings.values.merge(&super::read_input)?;
    let chart = locate_chart(settings)?;
    let (chart, values, warnings) = renderer(settings).prepare(&chart, &user)?;
    for w in &warnings {
        eprintln!("{w}");
    }
    Ok((chart, values))
}

/// Helm's `LocateChart`: a local directory or archive when the path exists; otherwise a
/// `repo/chart` reference, a URL, or a name with `--repo`, taken from the content cache or
/// downloaded into it.
pub fn locate_chart(settings: &TemplateSettings) -> Result<Chart> {
    let name = &settings.chart;
    let path = Path::new(name);
    if settings.chart_repo.is_none() {
        if path.exists() {
            return Ok(chart_core::chart::load(path)?);
        }
        if path.is_absolute() || name.starts_with('.') {
            bail!("path {} not found", chart_core::gofmt::quote(name));
        }
    }
    let req = crate::repo::download::ChartRequest {
        reference: name.clone(),
        version: settings.chart_version.clone(),
        repo_url: settings.chart_repo.clone(),
        http: settings.chart_http.clone(),
    };
    let resolved = crate::repo::download::resolve(&settings.dirs, &req)?;
    let data = crate::repo::download::fetch(&settings.dirs, &resolved)?;
    Ok(chart_core::chart::load_archive(&data)?)
}

/// Renders the chart: the same pipeline `helm template` runs, up to the printed text. A render
/// error says how to see the invalid output; with `--debug`, that output goes to `out` first.
pub fn render_chart(settings: &TemplateSettings, out: &mut dyn Write) -> Result<Rendered> {
    let (mut chart, values) = load_and_prepare(settings)?;
    release_prepared_inputs(&mut chart);
    let mut renderer = renderer(settings);
    if let Some(post_renderer) = &settings.post_renderer {
        renderer = renderer.post_renderer(post_renderer);
    }
    let r = renderer.render_prepared(&chart, &values);
    // The process ends after printing; freeing the parsed templates, the chart and the
    // values tree one allocation at a time would only cost time (Helm never frees them either).
    std::mem::forget(renderer);
    std::mem::forget(chart);
    std::mem::forget(values);
    match r {
        Ok(r) => Ok(r),
        Err(e) if settings.debug => {
            if let Some(text) = e.debug_output() {
                out.write_all(&chart_core::value::gostring::to_go_bytes(&text))?;
            }
            Err(e.into())
        }
        Err(e) if e.has_rendered_output() => {
            bail!("{e}\n\nUse --debug flag to render out invalid YAML")
        }
        Err(e) => Err(e.into()),
    }
}

/// Frees what rendering no longer reads once the values are final (each chart's default
/// values, their text and its schema), before the templates are parsed: on a big umbrella,
/// about a megabyte less at the peak.
fn release_prepared_inputs(chart: &mut Chart) {
    chart.values = Map::new();
    chart.raw_values = None;
    chart.schema = None;
    for sub in &mut chart.dependencies {
        release_prepared_inputs(sub);
    }
}

/// The engine's raw output for every template (before document splitting), for tests that
/// compare single templates with Helm's.
pub fn render_template_files(settings: &TemplateSettings) -> Result<BTreeMap<String, String>> {
    let (chart, values) = load_and_prepare(settings)?;
    let mut random = Random::from_entropy();
    let caps = settings
        .options
        .capabilities
        .clone()
        .unwrap_or_else(|| Capabilities::new(KubeVersion::default(), &[]));
    let engine = EngineOptions {
        funcs: FuncEnv {
            enable_dns: settings.enable_dns,
            ..FuncEnv::default()
        },
        ..EngineOptions::default()
    };
    Ok(render_files(
        &chart,
        &values,
        &settings.options.release,
        &caps,
        &engine,
        &mut random,
    )?)
}

/// Runs `chart template`.
pub fn run(settings: &TemplateSettings, out: &mut dyn Write) -> Result<()> {
    let rendered = render_chart(settings, out)?;
    match &settings.output_dir {
        None => {
            let text = rendered.to_helm_output()?;
            out.write_all(&chart_core::value::gostring::to_go_bytes(&text))?;
        }
        Some(dir) => write_output_dir(settings, &rendered, dir, out)?,
    }
    Ok(())
}

/// `--output-dir`: one file per template, documents of the same template appended, CRDs
/// under the chart's path, manifests and hooks under the release name with `--release-name`.
/// All files are written atomically, together, after rendering succeeded.
fn write_output_dir(
    settings: &TemplateSettings,
    rendered: &Rendered,
    dir: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let opts = &settings.options;
    let mut batch = FileBatch::default();
    let mut written = std::collections::HashSet::new();
    let mut log = String::new();
    let mut emit = |base: &Path,
                    name: &str,
                    data: &str,
                    batch: &mut FileBatch,
                    written: &mut std::collections::HashSet<PathBuf>| {
        let path = base.join(name);
        let append = written.contains(&path);
        batch.write(
            path.clone(),
            &chart_core::value::gostring::to_go_bytes(&format!("---\n# Source: {name}\n{data}\n")),
            append,
        );
        written.insert(path);
        log.push_str(&format!("wrote {}/{name}\n", base.display()));
    };
    for (name, data) in &rendered.crds {
        emit(dir, name, data, &mut batch, &mut written);
    }
    let release_dir = if settings.use_release_name {
        dir.join(&opts.release.name)
    } else {
        dir.to_path_buf()
    };
    for m in &rendered.manifests {
        emit(
            &release_dir,
            &m.source,
            &m.content,
            &mut batch,
            &mut written,
        );
    }
    for h in rendered.printed_hooks() {
        emit(&release_dir, &h.path, &h.manifest, &mut batch, &mut written);
    }
    batch
        .commit()
        .context("cannot write the output directory")?;
    out.write_all(log.as_bytes())?;
    // Helm then prints the (empty) manifest text of the release: a lone newline.
    out.write_all(b"\n")?;
    Ok(())
}
