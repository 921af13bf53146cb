//! The release commands: argument handling, rendering with the release's facts, and Helm's
//! printed output.

use std::io::Write;

use anyhow::{Context as _, Result, anyhow, bail};
use chart_core::Value;
use chart_core::render::{Capabilities, KubeVersion};
use chart_core::value::Map;

use super::args::{
    DeployFlags, GetCommand, GetFlags, HistoryArgs, InstallArgs, KubeFlags, ListArgs, RollbackArgs,
    StatusArgs, UninstallArgs, UpgradeArgs,
};
use super::cluster::{Cluster, KubeOptions, Storage, runtime};
use super::model::{self, Release};
use super::ops::{self, Ctx, DeployOpts, Planned};
use crate::cli::{GlobalFlags, TemplateArgs};
use crate::plugin::PluginPostRenderer;
use crate::settings::TemplateSettings;

fn kube_opts(k: &KubeFlags) -> KubeOptions {
    KubeOptions {
        kubeconfig: k.kubeconfig.clone(),
        context: k.kube_context.clone(),
    }
}

/// The release namespace: `-n`, `HELM_NAMESPACE`, the context's namespace, `default`.
fn namespace(global: &GlobalFlags, cluster: &Cluster) -> String {
    global
        .namespace
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| {
            std::env::var("HELM_NAMESPACE")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| cluster.default_namespace.clone())
}

fn template_args(name: &str, chart: &str, d: &DeployFlags) -> TemplateArgs {
    TemplateArgs {
        positional: vec![name.to_string(), chart.to_string()],
        values: d.values.clone(),
        output_dir: None,
        show_only: Vec::new(),
        include_crds: false,
        skip_crds: d.skip_crds,
        skip_tests: false,
        no_hooks: false,
        kube_version: None,
        api_versions: Vec::new(),
        release_name: false,
        name_template: None,
        generate_name: false,
        is_upgrade: false,
        skip_schema_validation: d.skip_schema_validation,
        // The command resolved `--post-renderer` before anything else; `plan` is handed it.
        post_render: Default::default(),
        render_subchart_notes: d.render_subchart_notes,
        enable_dns: d.enable_dns,
        version: d.version.clone(),
        devel: d.devel,
        repo: d.repo.clone(),
        conn: Default::default(),
    }
}

/// Deep merge: `over` wins (Helm's `CoalesceTables(over, base)`).
fn merge_values(base: &Map, over: &Map) -> Map {
    let out = base.deep_copy();
    chart_core::values::overrides::merge_maps(&out, over);
    out
}

struct RenderReq<'a> {
    name: &'a str,
    chart: &'a str,
    ns: &'a str,
    revision: i64,
    upgrade: bool,
    previous: Option<&'a Release>,
    reuse: bool,
    reset: bool,
    reset_then_reuse: bool,
}

/// Renders the chart as `install`/`upgrade` do, with the cluster's version and APIs.
async fn plan(
    cluster: &Cluster,
    global: &GlobalFlags,
    d: &DeployFlags,
    post_renderer: Option<&PluginPostRenderer>,
    r: RenderReq<'_>,
) -> Result<Planned> {
    let mut settings = TemplateSettings::resolve(global, &template_args(r.name, r.chart, d))?;
    let (version, apis) = cluster.capabilities().await?;
    let kv = KubeVersion::parse(&version).unwrap_or_default();
    settings.options.capabilities = Some(Capabilities::new(kv, &apis));
    settings.options.release.namespace = r.ns.to_string();
    settings.options.release.revision = r.revision;
    settings.options.release.is_install = !r.upgrade;
    settings.options.release.is_upgrade = r.upgrade;
    // Collect the CRDs of crds/ (installed first unless --skip-crds; never in the manifest).
    settings.options.include_crds = true;
    let mut user = settings.values.merge(&crate::commands::read_input)?;
    if let Some(prev) = r.previous {
        let old = model::config_map(prev)?;
        if r.reset {
            // the new values only
        } else if r.reuse || r.reset_then_reuse {
            user = merge_values(&old, &user);
        } else if user.is_empty() && !old.is_empty() {
            user = old;
        }
    }
    let mut loaded = crate::commands::template::locate_chart(&settings)?;
    // `--reuse-values`: Helm replaces the chart's values with the previous release's coalesced
    // values (its chart's values under its config), for rendering and for the stored chart.
    if let Some(prev) = r.previous
        && r.reuse
        && !r.reset
    {
        let old_chart_vals = prev
            .chart
            .as_ref()
            .and_then(|c| serde_json::from_str::<serde_json::Value>(c.get()).ok())
            .map(|c| c["values"].to_string())
            .and_then(|t| chart_core::json::decode(&t).ok());
        if let Some(Value::Map(cv)) = old_chart_vals {
            loaded.values = merge_values(&cv, &model::config_map(prev)?);
        }
    }
    // Helm queries the cluster in `lookup` unless this is a client-side dry run.
    let live = super::lookup::ClusterLookup::new(cluster.config.clone());
    let interact = matches!(
        d.dry_run.as_deref(),
        None | Some("none" | "false" | "server")
    );
    let mut renderer: chart_core::Renderer<'_> = crate::commands::template::renderer(&settings);
    if interact {
        renderer = renderer.lookup(&live);
    }
    if let Some(post_renderer) = post_renderer {
        renderer = renderer.post_renderer(post_renderer);
    }
    let (chart, values, warnings) = renderer.prepare(&loaded, &user)?;
    for w in &warnings {
        eprintln!("{w}");
    }
    // Unlike `helm template`, `install` and `upgrade` add no `--debug` hint to a render error.
    let rendered = renderer.render_prepared(&chart, &values)?;
    let mut manifest = String::new();
    for m in &rendered.manifests {
        manifest.push_str(&format!("---\n# Source: {}\n{}\n", m.source, m.content));
    }
    Ok(Planned {
        chart_json: model::chart_json(
            &loaded,
            Some(std::path::Path::new(&settings.chart)).filter(|p| p.is_dir()),
        ),
        config: user,
        manifest,
        hooks: ops::release_hooks(&rendered.hooks),
        notes: rendered.notes.clone(),
        crds: rendered.crds.clone(),
    })
}

fn deploy_opts(d: &DeployFlags, max_history: i64) -> Result<DeployOpts> {
    Ok(DeployOpts {
        timeout: ops::parse_duration(&d.timeout)?,
        wait: d
            .wait
            .as_deref()
            .is_some_and(|w| w != "hookOnly" && w != "false"),
        no_hooks: d.no_hooks,
        rollback_on_failure: d.rollback_on_failure || d.atomic,
        skip_crds: d.skip_crds,
        description: d.description.clone(),
        max_history,
        take_ownership: d.take_ownership,
    })
}

/// Helm's generated release name (`<chart>-<unix seconds>`).
fn generated_name(chart: &str) -> String {
    let base = std::path::Path::new(chart.trim_end_matches('/'))
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "chart".into());
    let base = base.trim_end_matches(".tgz");
    let base = base
        .rsplit_once('-')
        .filter(|(_, v)| v.starts_with(|c: char| c.is_ascii_digit()))
        .map(|(b, _)| b)
        .unwrap_or(base);
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut b = base.to_string();
    b.truncate(42);
    format!("{}-{secs}", b.trim_end_matches('-'))
}

/// Helm 4 warns about a bare `--dry-run` (taken as `client`).
fn warn_bare_dry_run(d: &DeployFlags) {
    if d.dry_run.as_deref() == Some("true") {
        eprintln!(
            "level=WARN msg=\"--dry-run is deprecated and should be replaced with '--dry-run=client'\""
        );
    }
}

/// `chart install`.
pub fn install(global: &GlobalFlags, args: &InstallArgs, out: &mut dyn Write) -> Result<()> {
    // Helm resolves `--post-renderer` while parsing flags: a missing plugin fails before
    // anything else, without the command's `INSTALLATION FAILED:`/`UPGRADE FAILED:` prefix.
    let post_renderer = crate::plugin::post_renderer(&args.deploy.post_render)?;
    let (name, chart) = match (args.positional.as_slice(), args.generate_name) {
        ([chart], true) => (generated_name(chart), chart.clone()),
        ([_, _], true) => bail!("cannot set --generate-name and also specify a name"),
        ([name, chart], false) => (name.clone(), chart.clone()),
        ([_], false) => bail!("must either provide a name or specify --generate-name"),
        _ => bail!(
            "\"chart install\" requires at least 1 argument\n\nUsage:  chart install [NAME] [CHART] [flags]"
        ),
    };
    let d = &args.deploy;
    warn_bare_dry_run(d);
    let opts = deploy_opts(d, 0)?;
    let rt = runtime()?;
    rt.block_on(async {
        let mut cluster = Cluster::connect(&kube_opts(&d.kube)).await?;
        let ns = namespace(global, &cluster);
        let p = plan(
            &cluster,
            global,
            d,
            post_renderer.as_ref(),
            RenderReq { name: &name, chart: &chart, ns: &ns, revision: 1, upgrade: false, previous: None, reuse: false, reset: false, reset_then_reuse: false },
        )
        .await
        .map_err(|e| anyhow!("INSTALLATION FAILED: {e:#}"))?;
        let storage = Storage::new(&cluster.client, &ns);
        let h = storage.history(&name).await?;
        if !h.is_empty() {
            bail!("INSTALLATION FAILED: cannot re-use a name that is still in use");
        }
        if let Some(mode) = &d.dry_run {
            if mode != "client" && mode != "server" && mode != "none" && mode != "true" {
                bail!("invalid dry-run flag. Flag must one of the following: false, true, client, server");
            }
            if mode == "server" && !p.crds.is_empty() {
                eprintln!("level=WARN msg=\"This chart or one of its subcharts contains CRDs. Rendering may fail or contain inaccuracies.\"");
            }
            if mode != "none" {
                let mut rel = ops::new_release(&name, &ns, 1, &p, model::PENDING_INSTALL, "Dry run complete");
                rel.info.status = model::PENDING_INSTALL.into();
                return print_release(out, &rel, &d.output, !d.hide_notes, true, "");
            }
        }
        if d.create_namespace {
            cluster.ensure_namespace(&ns).await?;
        }
        let mut ctx = Ctx { cluster: &mut cluster, storage, namespace: ns.clone() };
        let rel = ops::install(&mut ctx, &name, p, &opts)
            .await
            .map_err(|e| anyhow!("INSTALLATION FAILED: {e:#}"))?;
        print_release(out, &rel, &d.output, !d.hide_notes, false, "")
    })
}

/// `chart upgrade`.
pub fn upgrade(global: &GlobalFlags, args: &UpgradeArgs, out: &mut dyn Write) -> Result<()> {
    // Helm resolves `--post-renderer` while parsing flags: a missing plugin fails before
    // anything else, without the command's `INSTALLATION FAILED:`/`UPGRADE FAILED:` prefix.
    let post_renderer = crate::plugin::post_renderer(&args.deploy.post_render)?;
    let [name, chart] = args.positional.as_slice() else {
        bail!(
            "\"chart upgrade\" requires 2 arguments\n\nUsage:  chart upgrade [RELEASE] [CHART] [flags]"
        );
    };
    let d = &args.deploy;
    warn_bare_dry_run(d);
    let opts = deploy_opts(d, args.max_history)?;
    let rt = runtime()?;
    rt.block_on(async {
        let mut cluster = Cluster::connect(&kube_opts(&d.kube)).await?;
        let ns = namespace(global, &cluster);
        let storage = Storage::new(&cluster.client, &ns);
        let h = storage.history(name).await?;
        let installable = h.is_empty()
            || h.last()
                .is_some_and(|r| r.info.status == model::UNINSTALLED && h.len() == 1);
        if h.is_empty() || (args.install && installable) {
            if !args.install {
                bail!("UPGRADE FAILED: \"{name}\" has no deployed releases");
            }
            if !h.is_empty() {
                for r in &h {
                    storage.delete(name, r.version).await?;
                }
            }
            // Helm announces the install before it renders, and reports the install's
            // errors as they are (no `INSTALLATION FAILED:`).
            writeln!(
                out,
                "Release {} does not exist. Installing it now.",
                chart_core::gofmt::quote(name)
            )?;
            let p = plan(
                &cluster,
                global,
                d,
                post_renderer.as_ref(),
                RenderReq {
                    name,
                    chart,
                    ns: &ns,
                    revision: 1,
                    upgrade: false,
                    previous: None,
                    reuse: false,
                    reset: false,
                    reset_then_reuse: false,
                },
            )
            .await?;
            if d.create_namespace {
                cluster.ensure_namespace(&ns).await?;
            }
            let mut ctx = Ctx {
                cluster: &mut cluster,
                storage,
                namespace: ns.clone(),
            };
            // `upgrade --install` reports the install's error as it is.
            let rel = ops::install(&mut ctx, name, p, &opts).await?;
            return print_release(out, &rel, &d.output, !d.hide_notes, false, "");
        }
        let Some(latest) = h.last().cloned() else {
            bail!("UPGRADE FAILED: \"{name}\" has no deployed releases")
        };
        if latest.info.status.starts_with("pending-") {
            bail!("UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress");
        }
        let current = h
            .iter()
            .rev()
            .find(|r| r.info.status == model::DEPLOYED)
            .cloned()
            .unwrap_or_else(|| latest.clone());
        if h.iter().all(|r| r.info.status == model::UNINSTALLED) && !args.install {
            bail!("UPGRADE FAILED: \"{name}\" has no deployed releases");
        }
        let p = plan(
            &cluster,
            global,
            d,
            post_renderer.as_ref(),
            RenderReq {
                name,
                chart,
                ns: &ns,
                revision: latest.version + 1,
                upgrade: true,
                previous: Some(&current),
                reuse: args.reuse_values,
                reset: args.reset_values,
                reset_then_reuse: args.reset_then_reuse_values,
            },
        )
        .await
        .map_err(|e| anyhow!("UPGRADE FAILED: {e:#}"))?;
        if d.dry_run.as_deref().is_some_and(|m| m != "none") {
            let rel = ops::new_release(
                name,
                &ns,
                latest.version + 1,
                &p,
                model::PENDING_UPGRADE,
                "Dry run complete",
            );
            return print_release(out, &rel, &d.output, !d.hide_notes, true, "");
        }
        let mut ctx = Ctx {
            cluster: &mut cluster,
            storage,
            namespace: ns.clone(),
        };
        let rel = ops::upgrade(&mut ctx, name, &current, latest.version, p, &opts)
            .await
            .map_err(|e| anyhow!("UPGRADE FAILED: {e:#}"))?;
        if d.output == "table" {
            writeln!(
                out,
                "Release {} has been upgraded. Happy Helming!",
                chart_core::gofmt::quote(name)
            )?;
        }
        print_release(out, &rel, &d.output, !d.hide_notes, false, "")
    })
}

/// `chart rollback`.
pub fn rollback(global: &GlobalFlags, args: &RollbackArgs, out: &mut dyn Write) -> Result<()> {
    let (name, rev) = match args.positional.as_slice() {
        [name] => (name.clone(), 0),
        [name, rev] => (
            name.clone(),
            rev.parse::<i64>()
                .map_err(|_| anyhow!("could not convert revision to a number: strconv.Atoi: parsing {}: invalid syntax", chart_core::gofmt::quote(rev)))?,
        ),
        _ => bail!("\"chart rollback\" requires at least 1 argument\n\nUsage:  chart rollback <RELEASE> [REVISION] [flags]"),
    };
    let opts = DeployOpts {
        timeout: ops::parse_duration(&args.timeout)?,
        wait: args
            .wait
            .as_deref()
            .is_some_and(|w| w != "hookOnly" && w != "false"),
        no_hooks: args.no_hooks,
        max_history: args.max_history,
        ..DeployOpts::default()
    };
    let rt = runtime()?;
    rt.block_on(async {
        let mut cluster = Cluster::connect(&kube_opts(&args.kube)).await?;
        let ns = namespace(global, &cluster);
        let storage = Storage::new(&cluster.client, &ns);
        if storage.history(&name).await?.is_empty() {
            bail!("release: not found");
        }
        if args.dry_run.is_some() {
            writeln!(out, "Rollback was a success! Happy Helming!")?;
            return Ok(());
        }
        let mut ctx = Ctx {
            cluster: &mut cluster,
            storage,
            namespace: ns,
        };
        ops::rollback(&mut ctx, &name, rev, &opts).await?;
        writeln!(out, "Rollback was a success! Happy Helming!")?;
        Ok(())
    })
}

/// `chart uninstall`.
pub fn uninstall(global: &GlobalFlags, args: &UninstallArgs, out: &mut dyn Write) -> Result<()> {
    if args.names.is_empty() {
        bail!(
            "\"chart uninstall\" requires at least 1 argument\n\nUsage:  chart uninstall RELEASE_NAME [...] [flags]"
        );
    }
    let timeout = ops::parse_duration(&args.timeout)?;
    let rt = runtime()?;
    rt.block_on(async {
        let mut cluster = Cluster::connect(&kube_opts(&args.kube)).await?;
        let ns = namespace(global, &cluster);
        for name in &args.names {
            let storage = Storage::new(&cluster.client, &ns);
            if storage.history(name).await?.is_empty() {
                if args.ignore_not_found {
                    continue;
                }
                bail!("uninstall: Release not loaded: {name}: release: not found");
            }
            if args.dry_run {
                writeln!(
                    out,
                    "release {} uninstalled",
                    chart_core::gofmt::quote(name)
                )?;
                continue;
            }
            let mut ctx = Ctx {
                cluster: &mut cluster,
                storage,
                namespace: ns.clone(),
            };
            let note =
                ops::uninstall(&mut ctx, name, args.keep_history, args.no_hooks, timeout).await?;
            if !note.is_empty() {
                write!(out, "{note}")?;
            }
            writeln!(
                out,
                "release {} uninstalled",
                chart_core::gofmt::quote(name)
            )?;
        }
        Ok(())
    })
}

fn status_mask(args: &ListArgs) -> Vec<&'static str> {
    let mut m = Vec::new();
    if args.deployed {
        m.push(model::DEPLOYED);
    }
    if args.failed {
        m.push(model::FAILED);
    }
    if args.pending {
        m.extend([
            model::PENDING_INSTALL,
            model::PENDING_UPGRADE,
            model::PENDING_ROLLBACK,
        ]);
    }
    if args.superseded {
        m.push(model::SUPERSEDED);
    }
    if args.uninstalled {
        m.push(model::UNINSTALLED);
    }
    if args.uninstalling {
        m.push(model::UNINSTALLING);
    }
    // Helm 4 lists every status unless status flags narrow it.
    m
}

/// Prints a table as Helm's `uitable` does (columns padded to the widest cell, joined by a tab).
fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// Orders `chart list` as Helm does: by name, or with `--date` by the whole
/// seconds of the last deployment (oldest first, ties by name); `--reverse`
/// turns either order round.
fn sort_releases(rels: &mut [Release], by_date: bool, reverse: bool) {
    if by_date {
        let seconds = |r: &Release| {
            r.info
                .last_deployed
                .as_deref()
                .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                .map_or(i64::MIN, |t| t.as_second())
        };
        rels.sort_by(|a, b| (seconds(a), &a.name).cmp(&(seconds(b), &b.name)));
    } else {
        rels.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if reverse {
        rels.reverse();
    }
}

/// `chart list`.
pub fn list(global: &GlobalFlags, args: &ListArgs, out: &mut dyn Write) -> Result<()> {
    let rt = runtime()?;
    rt.block_on(async {
        let cluster = Cluster::connect(&kube_opts(&args.kube)).await?;
        let ns = namespace(global, &cluster);
        let storage = if args.all_namespaces {
            Storage::all(&cluster.client)
        } else {
            Storage::new(&cluster.client, &ns)
        };
        let all = storage.query(args.selector.as_deref().unwrap_or("")).await?;
        let updated = |r: &Release| {
            let t = r.info.last_deployed.as_deref().unwrap_or("");
            match &args.time_format {
                Some(layout) if !layout.is_empty() => model::go_layout(t, layout),
                _ => model::go_time_string(t),
            }
        };
        // The latest revision of each release.
        let mut latest: std::collections::BTreeMap<(String, String), Release> = Default::default();
        for r in all {
            let key = (r.namespace.clone(), r.name.clone());
            if latest.get(&key).is_none_or(|x| x.version < r.version) {
                latest.insert(key, r);
            }
        }
        let mask = status_mask(args);
        let filter = match &args.filter {
            Some(f) if !f.is_empty() => Some(regex::Regex::new(f).context("invalid filter")?),
            _ => None,
        };
        let mut rels: Vec<Release> = latest
            .into_values()
            .filter(|r| mask.is_empty() || mask.contains(&r.info.status.as_str()))
            .filter(|r| filter.as_ref().is_none_or(|re| re.is_match(&r.name)))
            .collect();
        sort_releases(&mut rels, args.date, args.reverse);
        let rels: Vec<Release> = rels.into_iter().skip(args.offset).take(args.max).collect();
        if args.short {
            for r in &rels {
                writeln!(out, "{}", r.name)?;
            }
            return Ok(());
        }
        match args.output.as_str() {
            "json" => {
                let items: Vec<String> = rels
                    .iter()
                    .map(|r| {
                        let (chart, app) = r.chart_names();
                        let q = |s: &str| model::json_str(s);
                        format!(
                            "{{\"name\":{},\"namespace\":{},\"revision\":{},\"updated\":{},\"status\":{},\"chart\":{},\"app_version\":{}}}",
                            q(&r.name),
                            q(&r.namespace),
                            q(&r.version.to_string()),
                            q(&updated(r)),
                            q(&r.info.status),
                            q(&chart),
                            q(&app)
                        )
                    })
                    .collect();
                writeln!(out, "[{}]", items.join(","))?;
                Ok(())
            }
            "yaml" => {
                let items: Vec<Value> = rels
                    .iter()
                    .map(|r| {
                        let (chart, app) = r.chart_names();
                        let m = Map::new();
                        m.insert("name", Value::string(r.name.as_str()));
                        m.insert("namespace", Value::string(r.namespace.as_str()));
                        m.insert("revision", Value::string(r.version.to_string()));
                        m.insert(
                            "updated",
                            Value::string(updated(r)),
                        );
                        m.insert("status", Value::string(r.info.status.as_str()));
                        m.insert("chart", Value::string(chart));
                        m.insert("app_version", Value::string(app));
                        Value::Map(m)
                    })
                    .collect();
                let v = Value::List(chart_core::value::List::new(items));
                write_structured(out, &v, &args.output)
            }
            "table" => {
                let mut rows = Vec::new();
                if !args.no_headers {
                    rows.push(
                        [
                            "NAME",
                            "NAMESPACE",
                            "REVISION",
                            "UPDATED",
                            "STATUS",
                            "CHART",
                            "APP VERSION",
                        ]
                        .map(String::from)
                        .to_vec(),
                    );
                }
                for r in &rels {
                    let (chart, app) = r.chart_names();
                    rows.push(vec![
                        r.name.clone(),
                        r.namespace.clone(),
                        r.version.to_string(),
                        updated(r),
                        r.info.status.clone(),
                        chart,
                        app,
                    ]);
                }
                out.write_all(table(&rows).as_bytes())?;
                Ok(())
            }
            o => bail!("invalid format type {}", chart_core::gofmt::quote(o)),
        }
    })
}

fn write_structured(out: &mut dyn Write, v: &Value, format: &str) -> Result<()> {
    if format == "json" {
        let s = chart_core::json::encode(v).map_err(|e| anyhow!("{e}"))?;
        writeln!(out, "{s}")?;
    } else {
        let s = chart_core::yaml::to_yaml(v).map_err(|e| anyhow!("{e}"))?;
        writeln!(out, "{s}")?;
    }
    Ok(())
}

async fn load(
    kube: &KubeFlags,
    global: &GlobalFlags,
    name: &str,
    rev: Option<i64>,
) -> Result<Release> {
    let cluster = Cluster::connect(&kube_opts(kube)).await?;
    let ns = namespace(global, &cluster);
    let storage = Storage::new(&cluster.client, &ns);
    match rev.filter(|r| *r > 0) {
        Some(v) => storage
            .get(name, v)
            .await?
            .ok_or_else(|| anyhow!("release: not found")),
        None => storage
            .history(name)
            .await?
            .pop()
            .ok_or_else(|| anyhow!("release: not found")),
    }
}

/// Helm's release summary (`install`, `upgrade`, `status`).
fn print_release(
    out: &mut dyn Write,
    rel: &Release,
    format: &str,
    notes: bool,
    dry_run: bool,
    _x: &str,
) -> Result<()> {
    match format {
        "json" | "yaml" => {
            let v = chart_core::json::decode(&rel.to_json()).map_err(|e| anyhow!("{e}"))?;
            return write_structured(out, &v, format);
        }
        "table" => {}
        o => bail!("invalid format type {}", chart_core::gofmt::quote(o)),
    }
    let mut s = String::new();
    s.push_str(&format!("NAME: {}\n", rel.name));
    if let Some(t) = &rel.info.last_deployed {
        s.push_str(&format!("LAST DEPLOYED: {}\n", model::ansic(t)));
    }
    s.push_str(&format!("NAMESPACE: {}\n", rel.namespace));
    s.push_str(&format!("STATUS: {}\n", rel.info.status));
    s.push_str(&format!("REVISION: {}\n", rel.version));
    s.push_str(&format!("DESCRIPTION: {}\n", rel.info.description));
    let tests: Vec<_> = rel
        .hooks
        .iter()
        .filter(|h| h.events.iter().any(|e| e == "test"))
        .collect();
    if tests.is_empty() {
        s.push_str("TEST SUITE: None\n");
    }
    for t in tests {
        // Only tests that ran are shown (chart has no `test` command yet, so from Helm's runs).
        let Some(start) = &t.last_run.started_at else {
            continue;
        };
        s.push_str(&format!(
            "TEST SUITE:     {}\nLast Started:   {}\nLast Completed: {}\nPhase:          {}\n",
            t.name,
            model::ansic(start),
            model::ansic(t.last_run.completed_at.as_deref().unwrap_or("")),
            t.last_run.phase
        ));
    }
    if dry_run {
        s.push_str("HOOKS:\n");
        for h in &rel.hooks {
            s.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest));
        }
        s.push_str(&format!("MANIFEST:\n{}\n", rel.manifest));
    }
    if notes && !rel.info.notes.trim().is_empty() {
        s.push_str(&format!("NOTES:\n{}\n", rel.info.notes.trim_end()));
    }
    out.write_all(s.as_bytes())?;
    Ok(())
}

/// `chart status`.
pub fn status(global: &GlobalFlags, args: &StatusArgs, out: &mut dyn Write) -> Result<()> {
    let [name] = args.names.as_slice() else {
        bail!("\"chart status\" requires 1 argument\n\nUsage:  chart status RELEASE_NAME [flags]");
    };
    let rt = runtime()?;
    rt.block_on(async {
        let rel = load(&args.kube, global, name, args.revision).await?;
        print_release(out, &rel, &args.output, true, false, "")
    })
}

/// `chart history`.
pub fn history(global: &GlobalFlags, args: &HistoryArgs, out: &mut dyn Write) -> Result<()> {
    let [name] = args.names.as_slice() else {
        bail!(
            "\"chart history\" requires 1 argument\n\nUsage:  chart history RELEASE_NAME [flags]"
        );
    };
    let rt = runtime()?;
    rt.block_on(async {
        let cluster = Cluster::connect(&kube_opts(&args.kube)).await?;
        let ns = namespace(global, &cluster);
        let h = Storage::new(&cluster.client, &ns).history(name).await?;
        if h.is_empty() {
            bail!("release: not found");
        }
        let skip = h.len().saturating_sub(args.max);
        let h = &h[skip..];
        match args.output.as_str() {
            "json" => {
                let items: Vec<String> = h
                    .iter()
                    .map(|r| {
                        let (chart, app) = r.chart_names();
                        let q = |s: &str| model::json_str(s);
                        format!(
                            "{{\"revision\":{},\"updated\":{},\"status\":{},\"chart\":{},\"app_version\":{},\"description\":{}}}",
                            r.version,
                            q(r.info.last_deployed.as_deref().unwrap_or("0001-01-01T00:00:00Z")),
                            q(&r.info.status),
                            q(&chart),
                            q(&app),
                            q(&r.info.description)
                        )
                    })
                    .collect();
                writeln!(out, "[{}]", items.join(","))?;
                Ok(())
            }
            "yaml" => {
                let items: Vec<Value> = h
                    .iter()
                    .map(|r| {
                        let (chart, app) = r.chart_names();
                        let m = Map::new();
                        m.insert("revision", Value::Float(r.version as f64));
                        m.insert(
                            "updated",
                            Value::string(r.info.last_deployed.clone().unwrap_or_default()),
                        );
                        m.insert("status", Value::string(r.info.status.as_str()));
                        m.insert("chart", Value::string(chart));
                        m.insert("app_version", Value::string(app));
                        m.insert("description", Value::string(r.info.description.as_str()));
                        Value::Map(m)
                    })
                    .collect();
                write_structured(
                    out,
                    &Value::List(chart_core::value::List::new(items)),
                    &args.output,
                )
            }
            "table" => {
                let mut rows = vec![
                    [
                        "REVISION",
                        "UPDATED",
                        "STATUS",
                        "CHART",
                        "APP VERSION",
                        "DESCRIPTION",
                    ]
                    .map(String::from)
                    .to_vec(),
                ];
                for r in h {
                    let (chart, app) = r.chart_names();
                    rows.push(vec![
                        r.version.to_string(),
                        model::ansic(r.info.last_deployed.as_deref().unwrap_or("")),
                        r.info.status.clone(),
                        chart,
                        app,
                        r.info.description.clone(),
                    ]);
                }
                out.write_all(table(&rows).as_bytes())?;
                Ok(())
            }
            o => bail!("invalid format type {}", chart_core::gofmt::quote(o)),
        }
    })
}

/// `chart get ...`.
pub fn get(global: &GlobalFlags, cmd: &GetCommand, out: &mut dyn Write) -> Result<()> {
    let flags: &GetFlags = match cmd {
        GetCommand::All(f)
        | GetCommand::Hooks(f)
        | GetCommand::Manifest(f)
        | GetCommand::Notes(f) => f,
        GetCommand::Values(v) => &v.get,
    };
    let [name] = flags.names.as_slice() else {
        bail!(
            "\"chart get\" requires 1 argument\n\nUsage:  chart get [command] RELEASE_NAME [flags]"
        );
    };
    let rt = runtime()?;
    rt.block_on(async {
        let rel = load(&flags.kube, global, name, flags.revision).await?;
        let config = model::config_map(&rel)?;
        let mut s = String::new();
        match cmd {
            GetCommand::Manifest(_) => {
                s.push_str(&rel.manifest);
                s.push('\n');
            }
            GetCommand::Hooks(_) => {
                for h in &rel.hooks {
                    s.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest));
                }
            }
            GetCommand::Notes(_) => {
                if !rel.info.notes.is_empty() {
                    s.push_str(&format!("NOTES:\n{}\n", rel.info.notes));
                }
            }
            GetCommand::Values(v) => {
                let vals = if v.all {
                    let chart_vals = rel
                        .chart
                        .as_ref()
                        .and_then(|c| serde_json::from_str::<serde_json::Value>(c.get()).ok())
                        .map(|c| c["values"].to_string())
                        .and_then(|t| chart_core::json::decode(&t).ok());
                    match chart_vals {
                        Some(Value::Map(cv)) => merge_values(&cv, &config),
                        _ => config.clone(),
                    }
                } else {
                    config.clone()
                };
                match v.output.as_str() {
                    "json" => {
                        let t = chart_core::json::encode(&Value::Map(vals))
                            .map_err(|e| anyhow!("{e}"))?;
                        s.push_str(&format!("{t}\n"));
                    }
                    "yaml" | "table" => {
                        if v.output == "table" {
                            s.push_str(if v.all {
                                "COMPUTED VALUES:\n"
                            } else {
                                "USER-SUPPLIED VALUES:\n"
                            });
                        }
                        if vals.is_empty() {
                            s.push_str("null\n");
                        } else {
                            let t = chart_core::yaml::to_yaml(&Value::Map(vals))
                                .map_err(|e| anyhow!("{e}"))?;
                            s.push_str(&format!("{t}\n"));
                        }
                    }
                    o => bail!("invalid format type {}", chart_core::gofmt::quote(o)),
                }
            }
            GetCommand::All(_) => {
                s.push_str(&format!("NAME: {}\n", rel.name));
                if let Some(t) = &rel.info.last_deployed {
                    s.push_str(&format!("LAST DEPLOYED: {}\n", model::ansic(t)));
                }
                s.push_str(&format!(
                    "NAMESPACE: {}\nSTATUS: {}\nREVISION: {}\n",
                    rel.namespace, rel.info.status, rel.version
                ));
                let head: model::ChartHead = rel
                    .chart
                    .as_ref()
                    .and_then(|c| serde_json::from_str(c.get()).ok())
                    .unwrap_or_default();
                if let Some(m) = head.metadata {
                    s.push_str(&format!(
                        "CHART: {}\nVERSION: {}\nAPP_VERSION: {}\n",
                        m.name, m.version, m.app_version
                    ));
                }
                s.push_str(&format!("DESCRIPTION: {}\n", rel.info.description));
                if !rel
                    .hooks
                    .iter()
                    .any(|h| h.events.iter().any(|e| e == "test"))
                {
                    s.push_str("TEST SUITE: None\n");
                }
                s.push_str("USER-SUPPLIED VALUES:\n");
                if config.is_empty() {
                    s.push_str("null\n");
                } else {
                    let t = chart_core::yaml::to_yaml(&Value::Map(config.clone()))
                        .map_err(|e| anyhow!("{e}"))?;
                    s.push_str(&format!("{t}\n"));
                }
                let chart_vals = rel
                    .chart
                    .as_ref()
                    .and_then(|c| serde_json::from_str::<serde_json::Value>(c.get()).ok())
                    .map(|c| c["values"].to_string())
                    .and_then(|t| chart_core::json::decode(&t).ok());
                let computed = match chart_vals {
                    Some(Value::Map(cv)) => merge_values(&cv, &config),
                    _ => config.clone(),
                };
                s.push_str("\nCOMPUTED VALUES:\n");
                let t =
                    chart_core::yaml::to_yaml(&Value::Map(computed)).map_err(|e| anyhow!("{e}"))?;
                s.push_str(&format!("{t}\n"));
                s.push_str("\nHOOKS:\n");
                for h in &rel.hooks {
                    s.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest));
                }
                s.push_str(&format!("MANIFEST:\n{}\n", rel.manifest));
                if !rel.info.notes.is_empty() {
                    s.push_str(&format!("NOTES:\n{}", rel.info.notes));
                }
            }
        }
        out.write_all(s.as_bytes())?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(name: &str, last_deployed: &str) -> Release {
        Release {
            name: name.to_string(),
            info: model::Info {
                last_deployed: Some(last_deployed.to_string()),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn names(rels: &[Release]) -> Vec<&str> {
        rels.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn list_by_date_compares_whole_seconds_then_names_as_helm_does() {
        let make = || {
            vec![
                release("c", "2026-11-23T00:19:53.9Z"),
                release("b", "2026-11-23T00:19:52.9Z"),
                release("a", "2026-11-23T00:19:53.0Z"),
            ]
        };
        let mut rels = make();
        sort_releases(&mut rels, true, false);
        assert_eq!(names(&rels), ["b", "a", "c"]);
        let mut rels = make();
        sort_releases(&mut rels, true, true);
        assert_eq!(names(&rels), ["c", "a", "b"]);
        let mut rels = make();
        sort_releases(&mut rels, false, true);
        assert_eq!(names(&rels), ["c", "b", "a"]);
    }
}
