//! install, upgrade, rollback and uninstall: Helm's action sequences against the cluster.

use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use chart_core::value::Map;

use super::cluster::{Cluster, Object, Storage};
use super::model::{self, Hook, Info, Release};

/// Helm's ownership label and annotations.
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
/// `meta.helm.sh/release-name`.
pub const RELEASE_NAME_ANN: &str = "meta.helm.sh/release-name";
/// `meta.helm.sh/release-namespace`.
pub const RELEASE_NS_ANN: &str = "meta.helm.sh/release-namespace";

/// Options of one deploy (install, upgrade or rollback).
#[derive(Clone, Debug, Default)]
pub struct DeployOpts {
    /// `--timeout`.
    pub timeout: Duration,
    /// `--wait` given (any strategy but hookOnly).
    pub wait: bool,
    /// `--no-hooks`.
    pub no_hooks: bool,
    /// `--rollback-on-failure` / `--atomic`.
    pub rollback_on_failure: bool,
    /// `--skip-crds`.
    pub skip_crds: bool,
    /// `--description`.
    pub description: Option<String>,
    /// `--max-history` (0: unlimited).
    pub max_history: i64,
    /// `--take-ownership`: adopt existing objects whatever their ownership metadata.
    pub take_ownership: bool,
}

/// Parses a Go duration (`5m0s`, `30s`, `1h`, `500ms`, `10`).
pub fn parse_duration(s: &str) -> Result<Duration> {
    let s = s.trim();
    if let Ok(n) = s.parse::<u64>() {
        return Ok(Duration::from_secs(n));
    }
    let mut total = 0f64;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let mut unit = c.to_string();
        while let Some(&n) = chars.peek() {
            if n.is_ascii_alphabetic() || n == 'µ' {
                unit.push(n);
                chars.next();
            } else {
                break;
            }
        }
        let v: f64 = num
            .parse()
            .map_err(|_| anyhow!("time: invalid duration \"{s}\""))?;
        num.clear();
        total += v * match unit.as_str() {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "us" | "µs" => 0.000_001,
            "ns" => 0.000_000_001,
            _ => bail!("time: unknown unit \"{unit}\" in duration \"{s}\""),
        };
    }
    if !num.is_empty() {
        bail!("time: missing unit in duration \"{s}\"");
    }
    Ok(Duration::from_secs_f64(total))
}

/// Adds Helm's ownership metadata to an object.
pub fn set_ownership(obj: &mut Object, release: &str, ns: &str) {
    let meta = obj
        .json
        .as_object_mut()
        .map(|o| o.entry("metadata").or_insert_with(|| serde_json::json!({})));
    let Some(meta) = meta.and_then(|m| m.as_object_mut()) else {
        return;
    };
    let labels = meta
        .entry("labels")
        .or_insert_with(|| serde_json::json!({}));
    if !labels.is_object() {
        *labels = serde_json::json!({});
    }
    if let Some(l) = labels.as_object_mut() {
        l.insert(MANAGED_BY.into(), "Helm".into());
    }
    let ann = meta
        .entry("annotations")
        .or_insert_with(|| serde_json::json!({}));
    if !ann.is_object() {
        *ann = serde_json::json!({});
    }
    if let Some(a) = ann.as_object_mut() {
        a.insert(RELEASE_NAME_ANN.into(), release.into());
        a.insert(RELEASE_NS_ANN.into(), ns.into());
    }
}

/// Helm's check that an existing object may be adopted by this release.
fn check_ownership(
    existing: &kube::api::DynamicObject,
    release: &str,
    ns: &str,
) -> std::result::Result<(), String> {
    let mut errs = Vec::new();
    let labels = existing.metadata.labels.clone().unwrap_or_default();
    let anns = existing.metadata.annotations.clone().unwrap_or_default();
    let mut check =
        |kind: &str, map: &std::collections::BTreeMap<String, String>, key: &str, want: &str| {
            match map.get(key) {
                None => errs.push(format!(
                    "{kind} validation error: missing key {}: must be set to {}",
                    chart_core::gofmt::quote(key),
                    chart_core::gofmt::quote(want)
                )),
                Some(v) if v != want => errs.push(format!(
                    "{kind} validation error: key {} must equal {}: current value is {}",
                    chart_core::gofmt::quote(key),
                    chart_core::gofmt::quote(want),
                    chart_core::gofmt::quote(v)
                )),
                _ => {}
            }
        };
    check("label", &labels, MANAGED_BY, "Helm");
    check("annotation", &anns, RELEASE_NAME_ANN, release);
    check("annotation", &anns, RELEASE_NS_ANN, ns);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(format!("invalid ownership metadata; {}", errs.join("; ")))
    }
}

/// An object's identity for comparing two manifests.
fn identity(o: &Object, ns: &str) -> (String, String, String, String) {
    let group = o
        .api_version
        .split_once('/')
        .map(|(g, _)| g.to_string())
        .unwrap_or_default();
    (
        group,
        o.kind.clone(),
        o.namespace.clone().unwrap_or_else(|| ns.to_string()),
        o.name.clone(),
    )
}

fn describe(o: &Object, ns: &str) -> String {
    format!(
        "{} {} in namespace {}",
        o.kind,
        chart_core::gofmt::quote(&o.name),
        chart_core::gofmt::quote(o.namespace.as_deref().unwrap_or(ns))
    )
}

/// The context of one release operation.
pub struct Ctx<'a> {
    /// The cluster.
    pub cluster: &'a mut Cluster,
    /// Storage in the release namespace.
    pub storage: Storage,
    /// The release namespace.
    pub namespace: String,
}

impl Ctx<'_> {
    /// Resolves every object's kind (Helm's `Build`), failing as Helm does on a missing kind.
    pub async fn build(&mut self, manifest: &str) -> Result<Vec<Object>> {
        let objs = Object::parse_all(manifest)?;
        for o in &objs {
            self.cluster.resolve(o).await.map_err(|e| {
                anyhow!("unable to build kubernetes objects from release manifest: {e}")
            })?;
        }
        Ok(objs)
    }

    /// Checks that objects that exist already belong to this release (or to nobody known).
    pub async fn check_adoptable(
        &mut self,
        objs: &[Object],
        release: &str,
        skip: &[(String, String, String, String)],
        verb: &str,
    ) -> Result<()> {
        let ns = self.namespace.clone();
        for o in objs {
            if skip.contains(&identity(o, &ns)) {
                continue;
            }
            if let Some(existing) = self.cluster.get(o, &ns).await?
                && let Err(e) = check_ownership(&existing, release, &ns)
            {
                bail!(
                    "unable to continue with {verb}: {} exists and cannot be imported into the current release: {e}",
                    describe(o, &ns)
                );
            }
        }
        Ok(())
    }

    /// Applies objects in order.
    pub async fn apply_all(&mut self, objs: &[Object], release: &str) -> Result<()> {
        let ns = self.namespace.clone();
        for o in objs {
            let mut o = o.clone();
            set_ownership(&mut o, release, &ns);
            self.cluster.apply(&o, &ns, false).await?;
        }
        Ok(())
    }

    /// Deletes the objects of `old` that `new` no longer has (unless kept).
    pub async fn delete_stale(&mut self, old: &[Object], new: &[Object]) -> Result<()> {
        let ns = self.namespace.clone();
        let keep: Vec<_> = new.iter().map(|o| identity(o, &ns)).collect();
        for o in old.iter().rev() {
            if keep.contains(&identity(o, &ns)) || resource_policy_keep(o) {
                continue;
            }
            self.cluster.delete(o, &ns).await?;
        }
        Ok(())
    }

    /// Waits until every object is ready (`--wait`).
    pub async fn wait_ready(&mut self, objs: &[Object], timeout: Duration) -> Result<()> {
        let ns = self.namespace.clone();
        let deadline = Instant::now() + timeout;
        loop {
            let mut pending = None;
            for o in objs {
                let live = self.cluster.get(o, &ns).await?;
                if !is_ready(o, live.as_ref()) {
                    pending = Some(o.clone());
                    break;
                }
            }
            let Some(p) = pending else { return Ok(()) };
            if Instant::now() >= deadline {
                let live = self.cluster.get(&p, &ns).await.ok().flatten();
                bail!(
                    "resource {}/{}/{} not ready. status: InProgress, message: {}\ncontext deadline exceeded",
                    p.kind,
                    p.namespace.as_deref().unwrap_or(&ns),
                    p.name,
                    progress_message(&p, live.as_ref())
                );
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// Runs the hooks of an event, by weight, with their delete policies.
    pub async fn run_hooks(
        &mut self,
        hooks: &mut [Hook],
        event: &str,
        release: &str,
        timeout: Duration,
    ) -> Result<()> {
        let ns = self.namespace.clone();
        let mut order: Vec<usize> = (0..hooks.len())
            .filter(|&i| hooks[i].events.iter().any(|e| e == event))
            .collect();
        let kind_rank = |k: &str| {
            chart_core::render::INSTALL_ORDER
                .iter()
                .position(|x| *x == k)
                .unwrap_or(usize::MAX)
        };
        order.sort_by(|&a, &b| {
            let (x, y) = (&hooks[a], &hooks[b]);
            x.weight
                .cmp(&y.weight)
                .then_with(|| kind_rank(&x.kind).cmp(&kind_rank(&y.kind)))
                .then_with(|| x.kind.cmp(&y.kind))
                .then_with(|| x.name.cmp(&y.name))
        });
        let mut done = Vec::new();
        for i in order {
            let h = &mut hooks[i];
            let Some(mut obj) = Object::parse(&h.manifest)? else {
                continue;
            };
            if h.delete_policies.is_empty() {
                h.delete_policies = vec!["before-hook-creation".to_string()];
            }
            let policies = h.delete_policies.clone();
            if policies.iter().any(|p| p == "before-hook-creation") {
                self.cluster.delete(&obj, &ns).await?;
                wait_gone(self.cluster, &obj, &ns, timeout).await?;
            }
            set_ownership_hook(&mut obj, release, &ns);
            h.last_run = model::HookExecution {
                started_at: Some(model::now_rfc3339()),
                completed_at: None,
                phase: "Running".into(),
            };
            let result = match self.cluster.create(&obj, &ns).await {
                Ok(()) => wait_hook(self.cluster, &obj, &ns, timeout).await,
                Err(e) => Err(anyhow!("warning: Hook {event} {} failed: {e}", h.path)),
            };
            h.last_run.completed_at = Some(model::now_rfc3339());
            match result {
                Ok(()) => {
                    h.last_run.phase = "Succeeded".into();
                    done.push((obj, policies));
                }
                Err(e) => {
                    h.last_run.phase = "Failed".into();
                    if policies.iter().any(|p| p == "hook-failed") {
                        let _ = self.cluster.delete(&obj, &ns).await;
                    }
                    return Err(e);
                }
            }
        }
        for (obj, policies) in done.into_iter().rev() {
            if policies.iter().any(|p| p == "hook-succeeded") {
                self.cluster.delete(&obj, &ns).await?;
            }
        }
        Ok(())
    }
}

fn set_ownership_hook(obj: &mut Object, _release: &str, _ns: &str) {
    // Helm creates hooks as they are rendered, without ownership metadata.
    let _ = obj;
}

fn resource_policy_keep(o: &Object) -> bool {
    o.json
        .pointer("/metadata/annotations/helm.sh~1resource-policy")
        .and_then(|v| v.as_str())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("keep"))
}

async fn wait_gone(cluster: &mut Cluster, obj: &Object, ns: &str, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while cluster.get(obj, ns).await?.is_some() {
        if Instant::now() >= deadline {
            bail!("timed out waiting for the condition");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}

/// A hook is done when created, except Jobs (complete) and Pods (succeeded).
async fn wait_hook(cluster: &mut Cluster, obj: &Object, ns: &str, timeout: Duration) -> Result<()> {
    if obj.kind != "Job" && obj.kind != "Pod" {
        return Ok(());
    }
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(live) = cluster.get(obj, ns).await? {
            let st = &live.data["status"];
            if obj.kind == "Job" {
                let conds = st["conditions"].as_array().cloned().unwrap_or_default();
                for c in conds {
                    if c["status"] == "True" && c["type"] == "Complete" {
                        return Ok(());
                    }
                    if c["status"] == "True" && c["type"] == "Failed" {
                        bail!(
                            "job {} failed: {}",
                            obj.name,
                            c["reason"].as_str().unwrap_or("BackoffLimitExceeded")
                        );
                    }
                }
            } else {
                match st["phase"].as_str() {
                    Some("Succeeded") => return Ok(()),
                    Some("Failed") => bail!("pod {} failed", obj.name),
                    _ => {}
                }
            }
        }
        if Instant::now() >= deadline {
            bail!(
                "resource {}/{}/{} not ready. status: InProgress, message: {} in progress\ncontext deadline exceeded",
                obj.kind,
                obj.namespace.as_deref().unwrap_or(ns),
                obj.name,
                obj.kind
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// kstatus's message for an object still in progress.
fn progress_message(o: &Object, live: Option<&kube::api::DynamicObject>) -> String {
    let Some(live) = live else {
        return "Resource not found".to_string();
    };
    let st = &live.data["status"];
    match o.kind.as_str() {
        "Deployment" | "StatefulSet" | "ReplicaSet" => format!(
            "Replicas: {}/{}",
            st["readyReplicas"].as_i64().unwrap_or(0),
            live.data["spec"]["replicas"].as_i64().unwrap_or(1)
        ),
        k => format!("{k} in progress"),
    }
}

/// Readiness as far as a cluster without kubelet can tell: workloads need their replicas.
fn is_ready(o: &Object, live: Option<&kube::api::DynamicObject>) -> bool {
    let Some(live) = live else { return false };
    let st = &live.data["status"];
    let num = |v: &serde_json::Value| v.as_i64().unwrap_or(0);
    match o.kind.as_str() {
        "Deployment" | "StatefulSet" | "ReplicaSet" => {
            let want = live.data["spec"]["replicas"].as_i64().unwrap_or(1);
            num(&st["readyReplicas"]) >= want && (want == 0 || num(&st["readyReplicas"]) > 0)
        }
        "DaemonSet" => {
            num(&st["numberReady"]) >= num(&st["desiredNumberScheduled"])
                && num(&st["desiredNumberScheduled"]) > 0
        }
        "Pod" => st["phase"] == "Running" || st["phase"] == "Succeeded",
        "Job" => st["succeeded"].as_i64().unwrap_or(0) > 0,
        "PersistentVolumeClaim" => st["phase"] == "Bound",
        _ => true,
    }
}

/// Converts rendered hooks to release hooks.
pub fn release_hooks(hooks: &[chart_core::render::Hook]) -> Vec<Hook> {
    hooks
        .iter()
        .map(|h| Hook {
            name: h.name.clone(),
            kind: h.kind.clone(),
            path: h.path.clone(),
            manifest: h.manifest.clone(),
            events: h.events.iter().map(|e| e.as_str().to_string()).collect(),
            last_run: model::HookExecution::default(),
            weight: h.weight,
            delete_policies: h.delete_policies.clone(),
            output_log_policies: h.output_log_policies.clone(),
        })
        .collect()
}

/// Everything a rendered release needs.
pub struct Planned {
    /// The chart JSON.
    pub chart_json: String,
    /// The user values.
    pub config: Map,
    /// The manifest text.
    pub manifest: String,
    /// Hooks.
    pub hooks: Vec<Hook>,
    /// NOTES.txt.
    pub notes: String,
    /// CRDs to install first: (path, text).
    pub crds: Vec<(String, String)>,
}

/// A new release record.
pub fn new_release(
    name: &str,
    ns: &str,
    version: i64,
    p: &Planned,
    status: &str,
    desc: &str,
) -> Release {
    let now = model::now_rfc3339();
    Release {
        name: name.to_string(),
        info: Info {
            first_deployed: Some(now.clone()),
            last_deployed: Some(now),
            deleted: None,
            description: desc.to_string(),
            status: status.to_string(),
            notes: p.notes.clone(),
        },
        chart: serde_json::value::RawValue::from_string(p.chart_json.clone()).ok(),
        config: model::config_json(&p.config)
            .and_then(|c| serde_json::value::RawValue::from_string(c).ok()),
        manifest: p.manifest.clone(),
        hooks: p.hooks.clone(),
        version,
        namespace: ns.to_string(),
        apply_method: "ssa".to_string(),
    }
}

/// Installs the CRDs of `crds/` (existing ones are left alone).
pub async fn install_crds(ctx: &mut Ctx<'_>, crds: &[(String, String)]) -> Result<()> {
    let ns = ctx.namespace.clone();
    let mut created = Vec::new();
    for (_, text) in crds {
        for o in Object::parse_all(text)? {
            if ctx.cluster.get(&o, &ns).await?.is_none()
                && ctx.cluster.create_if_absent(&o, &ns).await?
            {
                created.push(o);
            }
        }
    }
    if created.is_empty() {
        return Ok(());
    }
    // Wait until the new kinds are established (served), as Helm does, for up to a minute.
    let deadline = Instant::now() + Duration::from_secs(60);
    for o in &created {
        loop {
            let established = ctx.cluster.get(o, &ns).await?.is_some_and(|live| {
                live.data["status"]["conditions"]
                    .as_array()
                    .is_some_and(|cs| {
                        cs.iter()
                            .any(|c| c["type"] == "Established" && c["status"] == "True")
                    })
            });
            if established || Instant::now() >= deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    ctx.cluster.forget_kinds();
    Ok(())
}

/// Helm's install, after rendering. Returns the stored release.
pub async fn install(
    ctx: &mut Ctx<'_>,
    name: &str,
    p: Planned,
    opts: &DeployOpts,
) -> Result<Release> {
    let ns = ctx.namespace.clone();
    if !opts.skip_crds {
        install_crds(ctx, &p.crds).await?;
    }
    let objs = ctx.build(&p.manifest).await?;
    if !opts.take_ownership {
        ctx.check_adoptable(&objs, name, &[], "install").await?;
    }
    let mut rel = new_release(
        name,
        &ns,
        1,
        &p,
        model::PENDING_INSTALL,
        "Initial install underway",
    );
    ctx.storage.create(&rel).await?;
    let result: Result<()> = async {
        if !opts.no_hooks {
            let mut hooks = std::mem::take(&mut rel.hooks);
            let r = ctx
                .run_hooks(&mut hooks, "pre-install", name, opts.timeout)
                .await;
            rel.hooks = hooks;
            r.map_err(|e| anyhow!("failed pre-install: {e}"))?;
        }
        ctx.apply_all(&objs, name).await?;
        if opts.wait {
            ctx.wait_ready(&objs, opts.timeout).await?;
        }
        if !opts.no_hooks {
            let mut hooks = std::mem::take(&mut rel.hooks);
            let r = ctx
                .run_hooks(&mut hooks, "post-install", name, opts.timeout)
                .await;
            rel.hooks = hooks;
            r.map_err(|e| anyhow!("failed post-install: {e}"))?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            rel.info.status = model::DEPLOYED.into();
            rel.info.description = opts
                .description
                .clone()
                .unwrap_or_else(|| "Install complete".into());
            ctx.storage.update(&rel).await?;
            Ok(rel)
        }
        Err(e) => {
            rel.info.status = model::FAILED.into();
            rel.info.description =
                format!("Release {} failed: {e}", chart_core::gofmt::quote(name));
            ctx.storage.update(&rel).await?;
            if opts.rollback_on_failure {
                let un = uninstall(ctx, name, false, true, opts.timeout).await;
                if let Err(ue) = un {
                    bail!(
                        "an error occurred while uninstalling the release. original install error: {e}: {ue}"
                    );
                }
                bail!(
                    "release {name} failed, and has been uninstalled due to rollback-on-failure being set: {e}"
                );
            }
            Err(e)
        }
    }
}

/// Helm's upgrade from `current` (the deployed or last revision) to a new revision.
pub async fn upgrade(
    ctx: &mut Ctx<'_>,
    name: &str,
    current: &Release,
    latest_version: i64,
    p: Planned,
    opts: &DeployOpts,
) -> Result<Release> {
    let ns = ctx.namespace.clone();
    let old = Object::parse_all(&current.manifest)?;
    let objs = ctx.build(&p.manifest).await?;
    let owned: Vec<_> = old.iter().map(|o| identity(o, &ns)).collect();
    if !opts.take_ownership {
        ctx.check_adoptable(&objs, name, &owned, "update").await?;
    }
    let mut rel = new_release(
        name,
        &ns,
        latest_version + 1,
        &p,
        model::PENDING_UPGRADE,
        "Preparing upgrade",
    );
    rel.info.first_deployed = current.info.first_deployed.clone();
    ctx.storage.create(&rel).await?;
    let result: Result<()> = async {
        if !opts.no_hooks {
            let mut hooks = std::mem::take(&mut rel.hooks);
            let r = ctx
                .run_hooks(&mut hooks, "pre-upgrade", name, opts.timeout)
                .await;
            rel.hooks = hooks;
            r.map_err(|e| anyhow!("pre-upgrade hooks failed: {e}"))?;
        }
        ctx.apply_all(&objs, name).await?;
        ctx.delete_stale(&old, &objs).await?;
        if opts.wait {
            ctx.wait_ready(&objs, opts.timeout).await?;
        }
        if !opts.no_hooks {
            let mut hooks = std::mem::take(&mut rel.hooks);
            let r = ctx
                .run_hooks(&mut hooks, "post-upgrade", name, opts.timeout)
                .await;
            rel.hooks = hooks;
            r.map_err(|e| anyhow!("post-upgrade hooks failed: {e}"))?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            supersede(ctx, name, rel.version).await?;
            rel.info.status = model::DEPLOYED.into();
            rel.info.description = opts
                .description
                .clone()
                .unwrap_or_else(|| "Upgrade complete".into());
            ctx.storage.update(&rel).await?;
            prune_history(ctx, name, opts.max_history).await?;
            Ok(rel)
        }
        Err(e) => {
            eprintln!(
                "level=WARN msg=\"upgrade failed\" name={name} error={}",
                chart_core::gofmt::quote(&e.to_string())
            );
            rel.info.status = model::FAILED.into();
            rel.info.description =
                format!("Upgrade {} failed: {e}", chart_core::gofmt::quote(name));
            ctx.storage.update(&rel).await?;
            if opts.rollback_on_failure {
                let r = rollback(ctx, name, current.version, opts).await;
                if let Err(re) = r {
                    bail!(
                        "an error occurred while rolling back the release. original upgrade error: {e}: {re}"
                    );
                }
                bail!(
                    "release {name} failed, and has been rolled back due to rollback-on-failure being set: {e}"
                );
            }
            Err(e)
        }
    }
}

/// Marks every deployed revision other than `keep` as superseded.
async fn supersede(ctx: &mut Ctx<'_>, name: &str, keep: i64) -> Result<()> {
    for mut r in ctx.storage.history(name).await? {
        if r.version != keep && r.info.status == model::DEPLOYED {
            r.info.status = model::SUPERSEDED.into();
            ctx.storage.update(&r).await?;
        }
    }
    Ok(())
}

/// Keeps at most `max` revisions (0: all), dropping the oldest.
async fn prune_history(ctx: &mut Ctx<'_>, name: &str, max: i64) -> Result<()> {
    if max <= 0 {
        return Ok(());
    }
    let h = ctx.storage.history(name).await?;
    let extra = h.len() as i64 - max;
    for r in h.iter().take(extra.max(0) as usize) {
        if r.info.status != model::DEPLOYED {
            ctx.storage.delete(name, r.version).await?;
        }
    }
    Ok(())
}

/// Helm's rollback to `target` (0: the previous revision).
pub async fn rollback(
    ctx: &mut Ctx<'_>,
    name: &str,
    target: i64,
    opts: &DeployOpts,
) -> Result<Release> {
    let ns = ctx.namespace.clone();
    let h = ctx.storage.history(name).await?;
    let Some(latest) = h.last().cloned() else {
        bail!("release: not found");
    };
    let target = if target == 0 {
        latest.version - 1
    } else {
        target
    };
    if target <= 0 {
        bail!("release has no {target} version");
    }
    let Some(prev) = h.iter().find(|r| r.version == target).cloned() else {
        bail!("release has no {target} version");
    };
    let current = h
        .iter()
        .rev()
        .find(|r| r.info.status == model::DEPLOYED)
        .cloned()
        .unwrap_or_else(|| latest.clone());
    let old = Object::parse_all(&current.manifest)?;
    let objs = ctx.build(&prev.manifest).await?;
    let now = model::now_rfc3339();
    let mut rel = prev.clone();
    rel.version = latest.version + 1;
    rel.info = Info {
        first_deployed: current.info.first_deployed.clone(),
        last_deployed: Some(now),
        deleted: None,
        description: format!("Rollback to {target}"),
        status: model::PENDING_ROLLBACK.into(),
        notes: prev.info.notes.clone(),
    };
    ctx.storage.create(&rel).await?;
    let result: Result<()> = async {
        if !opts.no_hooks {
            let mut hooks = std::mem::take(&mut rel.hooks);
            let r = ctx
                .run_hooks(&mut hooks, "pre-rollback", name, opts.timeout)
                .await;
            rel.hooks = hooks;
            r?;
        }
        ctx.apply_all(&objs, name).await?;
        ctx.delete_stale(&old, &objs).await?;
        if opts.wait {
            ctx.wait_ready(&objs, opts.timeout).await?;
        }
        if !opts.no_hooks {
            let mut hooks = std::mem::take(&mut rel.hooks);
            let r = ctx
                .run_hooks(&mut hooks, "post-rollback", name, opts.timeout)
                .await;
            rel.hooks = hooks;
            r?;
        }
        Ok(())
    }
    .await;
    let _ = &ns;
    match result {
        Ok(()) => {
            supersede(ctx, name, rel.version).await?;
            rel.info.status = model::DEPLOYED.into();
            ctx.storage.update(&rel).await?;
            prune_history(ctx, name, opts.max_history).await?;
            Ok(rel)
        }
        Err(e) => {
            rel.info.status = model::FAILED.into();
            rel.info.description =
                format!("Rollback {} failed: {e}", chart_core::gofmt::quote(name));
            ctx.storage.update(&rel).await?;
            Err(e)
        }
    }
}

/// Helm's uninstall. Returns the kept resources' note (empty when none).
pub async fn uninstall(
    ctx: &mut Ctx<'_>,
    name: &str,
    keep_history: bool,
    no_hooks: bool,
    timeout: Duration,
) -> Result<String> {
    let ns = ctx.namespace.clone();
    let h = ctx.storage.history(name).await?;
    let Some(mut rel) = h.last().cloned() else {
        bail!("uninstall: Release not loaded: {name}: release: not found");
    };
    if rel.info.status == model::UNINSTALLED {
        if !keep_history {
            for r in &h {
                ctx.storage.delete(name, r.version).await?;
            }
            return Ok(String::new());
        }
        bail!(
            "the release named {} is already deleted",
            chart_core::gofmt::quote(name)
        );
    }
    rel.info.status = model::UNINSTALLING.into();
    rel.info.deleted = Some(model::now_rfc3339());
    rel.info.description = "Deletion in progress (or silently failed)".into();
    ctx.storage.update(&rel).await?;
    if !no_hooks {
        let mut hooks = std::mem::take(&mut rel.hooks);
        let r = ctx.run_hooks(&mut hooks, "pre-delete", name, timeout).await;
        rel.hooks = hooks;
        r?;
    }
    let objs = Object::parse_all(&rel.manifest)?;
    let mut kept = Vec::new();
    for o in objs.iter().rev() {
        if resource_policy_keep(o) {
            kept.push(format!("[{}] {}", o.kind, o.name));
            continue;
        }
        ctx.cluster.delete(o, &ns).await?;
    }
    if !no_hooks {
        let mut hooks = std::mem::take(&mut rel.hooks);
        let r = ctx
            .run_hooks(&mut hooks, "post-delete", name, timeout)
            .await;
        rel.hooks = hooks;
        r?;
    }
    rel.info.status = model::UNINSTALLED.into();
    rel.info.description = "Uninstallation complete".into();
    if keep_history {
        ctx.storage.update(&rel).await?;
    } else {
        for r in &h {
            ctx.storage.delete(name, r.version).await?;
        }
    }
    let mut note = String::new();
    if !kept.is_empty() {
        note = format!(
            "These resources were kept due to the resource policy:\n{}\n",
            kept.join("\n")
        );
    }
    Ok(note)
}
