//! Helm's plugins, as far as `chart` uses them so far: finding an installed plugin by name and
//! type in Helm's plugin directories (`$HELM_PLUGINS`, else `<data home>/plugins`).

use std::path::{Path, PathBuf};

pub use crate::helm_home::data_home;

/// The directories Helm looks for plugins in, in order.
pub fn plugin_dirs() -> Vec<PathBuf> {
    match std::env::var_os("HELM_PLUGINS").filter(|d| !d.is_empty()) {
        Some(list) => std::env::split_paths(&list).collect(),
        None => vec![data_home().join("plugins")],
    }
}

/// An installed plugin: the folder holding its `plugin.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plugin {
    /// `name` in `plugin.yaml`.
    pub name: String,
    /// `type` in `plugin.yaml`, such as `postrenderer/v1`.
    pub kind: String,
    /// The plugin's folder (`HELM_PLUGIN_DIR`).
    pub dir: PathBuf,
}

/// Reads `<dir>/plugin.yaml`; `None` when it is missing or not a plugin manifest.
fn read_plugin(dir: &Path) -> Option<Plugin> {
    let text = std::fs::read_to_string(dir.join("plugin.yaml")).ok()?;
    let manifest = chart_core::yaml::from_yaml_map(&text).ok()?;
    let field = |key: &str| {
        manifest
            .get(key)
            .and_then(|v| v.as_str().map(str::to_string))
    };
    // Plugins without an apiVersion are Helm 3's "legacy" plugins: commands or downloaders.
    let kind = match field("apiVersion") {
        Some(_) => field("type")?,
        None => "cli/v1".to_string(),
    };
    Some(Plugin {
        name: field("name")?,
        kind,
        dir: dir.to_path_buf(),
    })
}

/// Finds the installed plugin with this name and type.
pub fn find(dirs: &[PathBuf], name: &str, kind: &str) -> Option<Plugin> {
    dirs.iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.filter_map(Result::ok))
        .filter_map(|entry| read_plugin(&entry.path()))
        .find(|p| p.name == name && p.kind == kind)
}

/// Helm's error when `--post-renderer` names no installed post-renderer plugin.
pub fn post_renderer_not_found(name: &str) -> String {
    format!(
        "invalid argument \"{name}\" for \"--post-renderer\" flag: plugin: \
         {{Name:{name} Type:postrenderer/v1}} not found"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn install(root: &Path, folder: &str, manifest: &str) {
        let dir = root.join(folder);
        std::fs::create_dir_all(&dir).expect("plugin folder");
        std::fs::write(dir.join("plugin.yaml"), manifest).expect("plugin.yaml");
    }

    #[test]
    fn finds_plugins_by_name_and_type() {
        let tmp = tempfile::tempdir().expect("temp dir");
        install(
            tmp.path(),
            "kustomize-it",
            "apiVersion: v1\ntype: postrenderer/v1\nname: kustomizer\nversion: 0.1.0\n\
             runtime: subprocess\n",
        );
        install(
            tmp.path(),
            "old",
            "name: legacy\nversion: 0.1.0\ncommand: $HELM_PLUGIN_DIR/run.sh\n",
        );
        install(tmp.path(), "broken", "name: [unclosed\n");
        let dirs = vec![tmp.path().to_path_buf(), tmp.path().join("missing")];
        let found = find(&dirs, "kustomizer", "postrenderer/v1").expect("found");
        assert_eq!(found.dir, tmp.path().join("kustomize-it"));
        assert_eq!(
            find(&dirs, "legacy", "cli/v1").map(|p| p.name),
            Some("legacy".into())
        );
        assert_eq!(find(&dirs, "legacy", "postrenderer/v1"), None);
        assert_eq!(find(&dirs, "kustomize-it", "postrenderer/v1"), None);
    }

    #[test]
    fn not_found_message_is_helms() {
        assert_eq!(
            post_renderer_not_found("/bin/cat"),
            "invalid argument \"/bin/cat\" for \"--post-renderer\" flag: plugin: \
             {Name:/bin/cat Type:postrenderer/v1} not found"
        );
    }
}
