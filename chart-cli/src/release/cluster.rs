//! The Kubernetes side of releases: the client (kubeconfig, context), release storage in
//! Secrets as Helm's Secrets driver does, and applying, reading and deleting objects.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context as _, Result, anyhow, bail};
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, GroupVersionKind, ListParams, ObjectMeta, Patch,
    PatchParams, PostParams,
};
use kube::discovery::Scope;
use kube::{Client, Config};

use super::model::Release;

/// Helm's field manager for server-side apply.
pub const FIELD_MANAGER: &str = "helm";

/// The kubeconfig flags.
#[derive(Clone, Debug, Default)]
pub struct KubeOptions {
    /// `--kubeconfig` (else `KUBECONFIG`, else `~/.kube/config`).
    pub kubeconfig: Option<String>,
    /// `--kube-context`.
    pub context: Option<String>,
}

/// A connected client with a discovery cache.
pub struct Cluster {
    /// The client.
    pub client: Client,
    /// The kubeconfig's namespace for the context (used when `-n` is not given).
    pub default_namespace: String,
    kinds: HashMap<(String, String), (ApiResource, bool)>,
}

/// A parsed object from a manifest.
#[derive(Clone, Debug)]
pub struct Object {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace` as written.
    pub namespace: Option<String>,
    /// The whole object.
    pub json: serde_json::Value,
}

impl Object {
    /// Parses one YAML document; `None` for an empty one.
    pub fn parse(doc: &str) -> Result<Option<Object>> {
        let value = chart_core::yaml::from_yaml(doc).map_err(|e| anyhow!("{e}"))?;
        if matches!(value, chart_core::Value::Nil | chart_core::Value::Invalid) {
            return Ok(None);
        }
        let text = chart_core::json::encode(&value).map_err(|e| anyhow!("{e}"))?;
        let json: serde_json::Value = serde_json::from_str(&text)?;
        let s = |p: &str| json.pointer(p).and_then(|v| v.as_str()).map(str::to_string);
        Ok(Some(Object {
            api_version: s("/apiVersion").unwrap_or_default(),
            kind: s("/kind").unwrap_or_default(),
            name: s("/metadata/name").unwrap_or_default(),
            namespace: s("/metadata/namespace"),
            json,
        }))
    }

    /// Every object of a multi-document manifest, in order.
    pub fn parse_all(manifest: &str) -> Result<Vec<Object>> {
        let mut out = Vec::new();
        for doc in split_docs(manifest) {
            if let Some(o) = Object::parse(&doc)? {
                out.push(o);
            }
        }
        Ok(out)
    }

    fn gvk(&self) -> GroupVersionKind {
        let (group, version) = match self.api_version.split_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), self.api_version.clone()),
        };
        GroupVersionKind::gvk(&group, &version, &self.kind)
    }
}

/// Splits a manifest on `---` lines.
pub fn split_docs(manifest: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut cur = String::new();
    for line in manifest.lines() {
        if line.trim_end() == "---" || line.starts_with("--- ") {
            docs.push(std::mem::take(&mut cur));
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
    }
    docs.push(cur);
    docs.into_iter().filter(|d| !d.trim().is_empty()).collect()
}

/// The runtime all cluster commands run on.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

impl Cluster {
    /// Connects with the kubeconfig flags.
    pub async fn connect(opts: &KubeOptions) -> Result<Cluster> {
        // kube is built with ring only; install it as the process provider (idempotent).
        let _ = rustls_provider();
        let kopts = kube::config::KubeConfigOptions {
            context: opts.context.clone(),
            cluster: None,
            user: None,
        };
        let path = opts
            .kubeconfig
            .clone()
            .or_else(|| std::env::var("KUBECONFIG").ok().filter(|s| !s.is_empty()));
        let (config, default_namespace) = match path {
            Some(p) => {
                let first = p.split(':').next().unwrap_or(&p).to_string();
                let kc = kube::config::Kubeconfig::read_from(&first)
                    .with_context(|| format!("cannot read kubeconfig {first}"))?;
                let ns = context_namespace(&kc, opts.context.as_deref());
                let cfg = Config::from_custom_kubeconfig(kc, &kopts)
                    .await
                    .with_context(|| format!("kubeconfig {first}"))?;
                (cfg, ns)
            }
            None => {
                let cfg = Config::from_kubeconfig(&kopts)
                    .await
                    .context("Kubernetes cluster unreachable: no kubeconfig")?;
                let ns = cfg.default_namespace.clone();
                (cfg, Some(ns))
            }
        };
        let client = Client::try_from(config).context("cannot build the Kubernetes client")?;
        Ok(Cluster {
            client,
            default_namespace: default_namespace.unwrap_or_else(|| "default".to_string()),
            kinds: HashMap::new(),
        })
    }

    /// The server's version (`v1.20.2`) and its API group versions.
    pub async fn capabilities(&self) -> Result<(String, Vec<String>)> {
        let v = self
            .client
            .apiserver_version()
            .await
            .map_err(|e| anyhow!("Kubernetes cluster unreachable: {e}"))?;
        let mut apis = Vec::new();
        if let Ok(core) = self.client.list_core_api_versions().await {
            apis.extend(core.versions);
        }
        if let Ok(groups) = self.client.list_api_groups().await {
            for g in groups.groups {
                for v in g.versions {
                    apis.push(v.group_version);
                }
            }
        }
        Ok((v.git_version, apis))
    }

    /// Resolves a kind (cached): its API resource and whether it is namespaced.
    pub async fn resolve(&mut self, obj: &Object) -> Result<(ApiResource, bool)> {
        let key = (obj.api_version.clone(), obj.kind.clone());
        if let Some(r) = self.kinds.get(&key) {
            return Ok(r.clone());
        }
        let gvk = obj.gvk();
        match kube::discovery::pinned_kind(&self.client, &gvk).await {
            Ok((ar, caps)) => {
                let r = (ar, caps.scope == Scope::Namespaced);
                self.kinds.insert(key, r.clone());
                Ok(r)
            }
            Err(_) => Err(anyhow!(
                "resource mapping not found for name: {} namespace: {} from \"\": no matches for kind {} in version {}\nensure CRDs are installed first",
                chart_core::gofmt::quote(&obj.name),
                chart_core::gofmt::quote(obj.namespace.as_deref().unwrap_or("")),
                chart_core::gofmt::quote(&obj.kind),
                chart_core::gofmt::quote(&obj.api_version)
            )),
        }
    }

    /// Forgets cached kinds (after CRDs were installed).
    pub fn forget_kinds(&mut self) {
        self.kinds.clear();
    }

    /// The API for an object, in the release namespace unless it names its own.
    pub async fn api_for(&mut self, obj: &Object, ns: &str) -> Result<(Api<DynamicObject>, bool)> {
        let (ar, namespaced) = self.resolve(obj).await?;
        let api = if namespaced {
            let ns = obj.namespace.clone().unwrap_or_else(|| ns.to_string());
            Api::namespaced_with(self.client.clone(), &ns, &ar)
        } else {
            Api::all_with(self.client.clone(), &ar)
        };
        Ok((api, namespaced))
    }

    /// Reads an object, `None` when absent.
    pub async fn get(&mut self, obj: &Object, ns: &str) -> Result<Option<DynamicObject>> {
        let (api, _) = self.api_for(obj, ns).await?;
        Ok(api.get_opt(&obj.name).await?)
    }

    /// Server-side applies an object with Helm's field manager.
    pub async fn apply(&mut self, obj: &Object, ns: &str, dry_run: bool) -> Result<()> {
        let (api, _) = self.api_for(obj, ns).await?;
        let mut pp = PatchParams::apply(FIELD_MANAGER).force();
        pp.dry_run = dry_run;
        api.patch(&obj.name, &pp, &Patch::Apply(&obj.json))
            .await
            .map_err(|e| api_error(e, obj))?;
        Ok(())
    }

    /// Creates an object (hooks are created, not applied).
    pub async fn create(&mut self, obj: &Object, ns: &str) -> Result<()> {
        let (api, _) = self.api_for(obj, ns).await?;
        let o: DynamicObject = serde_json::from_value(obj.json.clone())?;
        api.create(&PostParams::default(), &o)
            .await
            .map_err(|e| api_error(e, obj))?;
        Ok(())
    }

    /// Deletes an object; `Ok(false)` when it was not there.
    pub async fn delete(&mut self, obj: &Object, ns: &str) -> Result<bool> {
        let (api, _) = match self.api_for(obj, ns).await {
            Ok(a) => a,
            Err(_) => return Ok(false),
        };
        match api.delete(&obj.name, &DeleteParams::background()).await {
            Ok(_) => Ok(true),
            Err(kube::Error::Api(s)) if s.code == 404 => Ok(false),
            Err(e) => Err(api_error(e, obj)),
        }
    }

    /// Creates the namespace when it is missing (`--create-namespace`).
    pub async fn ensure_namespace(&self, ns: &str) -> Result<()> {
        let api: Api<Namespace> = Api::all(self.client.clone());
        if api.get_opt(ns).await?.is_some() {
            return Ok(());
        }
        let nsobj = Namespace {
            metadata: ObjectMeta {
                name: Some(ns.to_string()),
                labels: Some(BTreeMap::from([("name".to_string(), ns.to_string())])),
                ..ObjectMeta::default()
            },
            ..Namespace::default()
        };
        match api.create(&PostParams::default(), &nsobj).await {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(s)) if s.code == 409 => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

fn rustls_provider() -> Result<(), ()> {
    rustls::crypto::ring::default_provider()
        .install_default()
        .map_err(|_| ())
}

fn context_namespace(kc: &kube::config::Kubeconfig, context: Option<&str>) -> Option<String> {
    let name = context
        .map(str::to_string)
        .or_else(|| kc.current_context.clone())?;
    kc.contexts
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.context.as_ref())
        .and_then(|c| c.namespace.clone())
}

/// An API error in the words `kubectl`/Helm print.
fn api_error(e: kube::Error, obj: &Object) -> anyhow::Error {
    match e {
        kube::Error::Api(s) => {
            let _ = obj;
            anyhow!("{}", s.message)
        }
        other => anyhow!("{other}"),
    }
}

/// Helm's Secrets storage driver.
pub struct Storage {
    api: Api<Secret>,
    namespace: String,
}

impl Storage {
    /// Storage in a namespace.
    pub fn new(client: &Client, ns: &str) -> Storage {
        Storage {
            api: Api::namespaced(client.clone(), ns),
            namespace: ns.to_string(),
        }
    }

    /// Storage across all namespaces (for `list -A`).
    pub fn all(client: &Client) -> Storage {
        Storage {
            api: Api::all(client.clone()),
            namespace: String::new(),
        }
    }

    /// The object name of a release revision.
    pub fn key(name: &str, version: i64) -> String {
        format!("sh.helm.release.v1.{name}.v{version}")
    }

    /// Every release record matching a label selector (`owner=helm` is always added).
    pub async fn query(&self, selector: &str) -> Result<Vec<Release>> {
        let sel = if selector.is_empty() {
            "owner=helm".to_string()
        } else {
            format!("owner=helm,{selector}")
        };
        let list = self
            .api
            .list(&ListParams::default().labels(&sel))
            .await
            .map_err(|e| anyhow!("query: failed to query with labels: {e}"))?;
        let mut out = Vec::new();
        for s in list.items {
            let Some(data) = s.data.as_ref().and_then(|d| d.get("release")) else {
                continue;
            };
            let text = String::from_utf8_lossy(&data.0).into_owned();
            match Release::decode(&text) {
                Ok(r) => out.push(r),
                Err(e) => eprintln!(
                    "level=WARN msg=\"failed to decode release\" key={} error={}",
                    s.metadata.name.unwrap_or_default(),
                    chart_core::gofmt::quote(&e.to_string())
                ),
            }
        }
        Ok(out)
    }

    /// All revisions of a release, sorted by version.
    pub async fn history(&self, name: &str) -> Result<Vec<Release>> {
        let mut v = self.query(&format!("name={name}")).await?;
        v.sort_by_key(|r| r.version);
        Ok(v)
    }

    /// One revision.
    pub async fn get(&self, name: &str, version: i64) -> Result<Option<Release>> {
        let Some(s) = self.api.get_opt(&Storage::key(name, version)).await? else {
            return Ok(None);
        };
        let Some(data) = s.data.as_ref().and_then(|d| d.get("release")) else {
            return Ok(None);
        };
        Ok(Some(Release::decode(&String::from_utf8_lossy(&data.0))?))
    }

    fn secret(&self, rel: &Release, created: bool, existing: Option<&Secret>) -> Result<Secret> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
            .to_string();
        // Helm rebuilds the labels on every write: `createdAt` on create, `modifiedAt` on update.
        let mut labels: BTreeMap<String, String> = BTreeMap::new();
        labels.insert("name".into(), rel.name.clone());
        labels.insert("owner".into(), "helm".into());
        labels.insert("status".into(), rel.info.status.clone());
        labels.insert("version".into(), rel.version.to_string());
        if created {
            labels.insert("createdAt".into(), now);
        } else {
            labels.insert("modifiedAt".into(), now);
        }
        let encoded = rel.encode()?;
        let mut meta = existing.map(|s| s.metadata.clone()).unwrap_or_default();
        meta.name = Some(Storage::key(&rel.name, rel.version));
        meta.namespace = Some(self.namespace.clone());
        meta.labels = Some(labels);
        meta.managed_fields = None;
        Ok(Secret {
            metadata: meta,
            type_: Some("helm.sh/release.v1".to_string()),
            data: Some(BTreeMap::from([(
                "release".to_string(),
                ByteString(encoded.into_bytes()),
            )])),
            ..Secret::default()
        })
    }

    /// Stores a new revision.
    pub async fn create(&self, rel: &Release) -> Result<()> {
        let s = self.secret(rel, true, None)?;
        match self.api.create(&PostParams::default(), &s).await {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(e)) if e.code == 409 => bail!(
                "create: failed to create: secrets {} already exists",
                chart_core::gofmt::quote(&Storage::key(&rel.name, rel.version))
            ),
            Err(e) => Err(anyhow!("create: failed to create: {e}")),
        }
    }

    /// Rewrites a revision.
    pub async fn update(&self, rel: &Release) -> Result<()> {
        let key = Storage::key(&rel.name, rel.version);
        let existing = self.api.get_opt(&key).await?;
        let s = self.secret(rel, false, existing.as_ref())?;
        self.api
            .replace(&key, &PostParams::default(), &s)
            .await
            .map_err(|e| anyhow!("update: failed to update: {e}"))?;
        Ok(())
    }

    /// Removes a revision.
    pub async fn delete(&self, name: &str, version: i64) -> Result<()> {
        match self
            .api
            .delete(&Storage::key(name, version), &DeleteParams::default())
            .await
        {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(e)) if e.code == 404 => Ok(()),
            Err(e) => Err(anyhow!("delete: failed to delete release: {e}")),
        }
    }
}
