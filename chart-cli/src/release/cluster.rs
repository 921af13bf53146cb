//! The Kubernetes side of releases: the client (kubeconfig, context), release storage in
//! Secrets as Helm's Secrets driver does, and applying, reading and deleting objects.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context as _, Result, anyhow, bail};
use k8s_openapi::api::core::v1::Namespace;
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
    /// The configuration the client was built from (`lookup` builds its own clients from it).
    pub config: Config,
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
        driver_is_secrets()?;
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
        let client =
            Client::try_from(config.clone()).context("cannot build the Kubernetes client")?;
        Ok(Cluster {
            client,
            config,
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

    /// Creates an object unless one of that name exists (Helm's CRD install: "already
    /// present, skipping"); `Ok(false)` when it was already there, even if another client
    /// created it a moment ago.
    pub async fn create_if_absent(&mut self, obj: &Object, ns: &str) -> Result<bool> {
        let (api, _) = self.api_for(obj, ns).await?;
        let o: DynamicObject = serde_json::from_value(obj.json.clone())?;
        match api.create(&PostParams::default(), &o).await {
            Ok(_) => Ok(true),
            Err(kube::Error::Api(s)) if s.code == 409 => Ok(false),
            Err(e) => Err(api_error(e, obj)),
        }
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

/// Helm's storage drivers: Secrets (the default) or ConfigMaps (`HELM_DRIVER=configmap`).
pub struct Storage {
    api: Api<DynamicObject>,
    namespace: String,
    secrets: bool,
}

/// The storage driver `HELM_DRIVER` names: `true` for Secrets, `false` for ConfigMaps.
pub fn driver_is_secrets() -> Result<bool> {
    match std::env::var("HELM_DRIVER").unwrap_or_default().as_str() {
        "" | "secret" | "secrets" => Ok(true),
        "configmap" | "configmaps" => Ok(false),
        other => bail!(
            "storage driver {} is not supported by chart (secret and configmap are)",
            chart_core::gofmt::quote(other)
        ),
    }
}

fn storage_resource(secrets: bool) -> ApiResource {
    let gvk = GroupVersionKind::gvk("", "v1", if secrets { "Secret" } else { "ConfigMap" });
    ApiResource::from_gvk_with_plural(&gvk, if secrets { "secrets" } else { "configmaps" })
}

impl Storage {
    /// Storage in a namespace.
    pub fn new(client: &Client, ns: &str) -> Storage {
        let secrets = driver_is_secrets().unwrap_or(true);
        Storage {
            api: Api::namespaced_with(client.clone(), ns, &storage_resource(secrets)),
            namespace: ns.to_string(),
            secrets,
        }
    }

    /// Storage across all namespaces (for `list -A`).
    pub fn all(client: &Client) -> Storage {
        let secrets = driver_is_secrets().unwrap_or(true);
        Storage {
            api: Api::all_with(client.clone(), &storage_resource(secrets)),
            namespace: String::new(),
            secrets,
        }
    }

    /// The object name of a release revision.
    pub fn key(name: &str, version: i64) -> String {
        format!("sh.helm.release.v1.{name}.v{version}")
    }

    fn kind_plural(&self) -> &'static str {
        if self.secrets {
            "secrets"
        } else {
            "configmaps"
        }
    }

    /// The release text stored in an object (`data.release`; base64 once more in a Secret).
    fn release_of(&self, o: &DynamicObject) -> Option<Result<Release>> {
        let data = o.data["data"]["release"].as_str()?;
        if self.secrets {
            use base64::Engine as _;
            let bytes = match base64::engine::general_purpose::STANDARD.decode(data) {
                Ok(b) => b,
                Err(e) => return Some(Err(anyhow!("cannot decode the release data: {e}"))),
            };
            Some(Release::decode(&String::from_utf8_lossy(&bytes)))
        } else {
            Some(Release::decode(data))
        }
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
        for o in list.items {
            match self.release_of(&o) {
                None => {}
                Some(Ok(r)) => out.push(r),
                Some(Err(e)) => eprintln!(
                    "level=WARN msg=\"failed to decode release\" key={} error={}",
                    o.metadata.name.clone().unwrap_or_default(),
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
        let Some(o) = self.api.get_opt(&Storage::key(name, version)).await? else {
            return Ok(None);
        };
        self.release_of(&o).transpose()
    }

    fn object(&self, rel: &Release, created: bool) -> Result<serde_json::Value> {
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
        let meta = serde_json::json!({
            "name": Storage::key(&rel.name, rel.version),
            "namespace": self.namespace,
            "labels": labels,
        });
        Ok(if self.secrets {
            use base64::Engine as _;
            serde_json::json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": meta,
                "type": "helm.sh/release.v1",
                "data": {"release": base64::engine::general_purpose::STANDARD.encode(encoded)},
            })
        } else {
            serde_json::json!({
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": meta,
                "data": {"release": encoded},
            })
        })
    }

    /// Stores a new revision.
    pub async fn create(&self, rel: &Release) -> Result<()> {
        let o: DynamicObject = serde_json::from_value(self.object(rel, true)?)?;
        match self.api.create(&PostParams::default(), &o).await {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(e)) if e.code == 409 => bail!(
                "create: failed to create: {} {} already exists",
                self.kind_plural(),
                chart_core::gofmt::quote(&Storage::key(&rel.name, rel.version))
            ),
            Err(e) => Err(anyhow!("create: failed to create: {e}")),
        }
    }

    /// Rewrites a revision.
    pub async fn update(&self, rel: &Release) -> Result<()> {
        let key = Storage::key(&rel.name, rel.version);
        let mut o: DynamicObject = serde_json::from_value(self.object(rel, false)?)?;
        if let Some(existing) = self.api.get_opt(&key).await? {
            o.metadata.resource_version = existing.metadata.resource_version;
        }
        self.api
            .replace(&key, &PostParams::default(), &o)
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
