//! `lookup` against the cluster during install, upgrade and rollback (Helm queries the API
//! server unless it is a client-side dry run).
//!
//! Templates render synchronously on the runtime's only thread, so each lookup runs on its
//! own thread with its own small runtime and client, built from the release's kubeconfig.

use chart_core::template::Lookup;
use chart_core::value::{Map, Value};
use kube::api::{Api, DynamicObject, GroupVersionKind, ListParams};
use kube::discovery::Scope;

/// Answers `lookup` from the live cluster.
pub struct ClusterLookup {
    config: kube::Config,
}

impl ClusterLookup {
    /// A lookup through clients built from this configuration.
    pub fn new(config: kube::Config) -> ClusterLookup {
        ClusterLookup { config }
    }
}

impl Lookup for ClusterLookup {
    fn lookup(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Value, String> {
        let config = self.config.clone();
        let (api_version, kind, namespace, name) = (
            api_version.to_string(),
            kind.to_string(),
            namespace.to_string(),
            name.to_string(),
        );
        let fetched = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(fetch(config, &api_version, &kind, &namespace, &name))
        })
        .join()
        .map_err(|_| "lookup: the cluster query panicked".to_string())??;
        match fetched {
            None => Ok(Value::Map(Map::new())),
            Some(json) => chart_core::json::decode(&json).map_err(|e| e.to_string()),
        }
    }
}

/// The object (or the list, without a name) as JSON text; `None` when it does not exist.
async fn fetch(
    config: kube::Config,
    api_version: &str,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Result<Option<String>, String> {
    let client = kube::Client::try_from(config).map_err(|e| e.to_string())?;
    let (group, version) = match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    };
    let gvk = GroupVersionKind::gvk(group, version, kind);
    let (resource, caps) = kube::discovery::pinned_kind(&client, &gvk)
        .await
        .map_err(|e| format!("unable to get apiresource from unstructured: {gvk:?}: {e}"))?;
    let api: Api<DynamicObject> = if caps.scope == Scope::Namespaced && !namespace.is_empty() {
        Api::namespaced_with(client, namespace, &resource)
    } else {
        Api::all_with(client, &resource)
    };
    if name.is_empty() {
        let list = api
            .list(&ListParams::default())
            .await
            .map_err(|e| e.to_string())?;
        let items: Vec<serde_json::Value> = list
            .items
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        let object = serde_json::json!({
            "apiVersion": api_version,
            "kind": format!("{kind}List"),
            "metadata": { "resourceVersion": list.metadata.resource_version.unwrap_or_default() },
            "items": items,
        });
        return Ok(Some(object.to_string()));
    }
    match api.get_opt(name).await {
        Ok(Some(object)) => serde_json::to_string(&object)
            .map(Some)
            .map_err(|e| e.to_string()),
        Ok(None) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}
