//! Helm's directories, so that `chart` shares configuration, cache and data with an installed
//! `helm`: `$HELM_CONFIG_HOME`, `$HELM_CACHE_HOME` and `$HELM_DATA_HOME` win over the XDG
//! variables, which win over the Linux defaults `~/.config/helm`, `~/.cache/helm` and
//! `~/.local/share/helm`. The repository file and caches have their own overrides, as in Helm.

use std::path::PathBuf;

fn env_dir(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

fn home_dir() -> PathBuf {
    env_dir("HOME").unwrap_or_else(|| PathBuf::from("/"))
}

fn helm_dir(helm_var: &str, xdg_var: &str, default: &str) -> PathBuf {
    if let Some(dir) = env_dir(helm_var) {
        return dir;
    }
    if let Some(dir) = env_dir(xdg_var) {
        return dir.join("helm");
    }
    home_dir().join(default)
}

/// Helm's configuration directory.
pub fn config_home() -> PathBuf {
    helm_dir("HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config/helm")
}

/// Helm's cache directory.
pub fn cache_home() -> PathBuf {
    helm_dir("HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache/helm")
}

/// Helm's data directory.
pub fn data_home() -> PathBuf {
    helm_dir("HELM_DATA_HOME", "XDG_DATA_HOME", ".local/share/helm")
}

/// `repositories.yaml`: `$HELM_REPOSITORY_CONFIG`, else `<config home>/repositories.yaml`.
pub fn repository_config() -> PathBuf {
    env_dir("HELM_REPOSITORY_CONFIG").unwrap_or_else(|| config_home().join("repositories.yaml"))
}

/// The repository index cache: `$HELM_REPOSITORY_CACHE`, else `<cache home>/repository`.
pub fn repository_cache() -> PathBuf {
    env_dir("HELM_REPOSITORY_CACHE").unwrap_or_else(|| cache_home().join("repository"))
}

/// Helm 4's content-addressed chart cache: `$HELM_CONTENT_CACHE`, else `<cache home>/content`.
pub fn content_cache() -> PathBuf {
    env_dir("HELM_CONTENT_CACHE").unwrap_or_else(|| cache_home().join("content"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_the_home_default() {
        // The process environment cannot be changed safely here; the integration tests run
        // the binary with HELM_*_HOME set.
        assert_eq!(
            helm_dir("CHART_TEST_UNSET_A", "CHART_TEST_UNSET_B", ".config/helm"),
            home_dir().join(".config/helm")
        );
    }
}

/// The repository file and caches, after Helm's global flags
/// (`--repository-config`, `--repository-cache`, `--content-cache`).
#[derive(Debug, Clone)]
pub struct HelmDirs {
    /// `repositories.yaml`.
    pub repository_config: PathBuf,
    /// Index cache directory.
    pub repository_cache: PathBuf,
    /// Content-addressed chart cache directory.
    pub content_cache: PathBuf,
}

impl HelmDirs {
    /// The directories, with the global flags applied.
    pub fn from_flags(global: &crate::cli::GlobalFlags) -> HelmDirs {
        HelmDirs {
            repository_config: global
                .repository_config
                .clone()
                .unwrap_or_else(repository_config),
            repository_cache: global
                .repository_cache
                .clone()
                .unwrap_or_else(repository_cache),
            content_cache: global.content_cache.clone().unwrap_or_else(content_cache),
        }
    }

    /// `<cache>/<name>-index.yaml`.
    pub fn index_file(&self, repo: &str) -> PathBuf {
        self.repository_cache.join(format!("{repo}-index.yaml"))
    }

    /// `<cache>/<name>-charts.txt`.
    pub fn charts_file(&self, repo: &str) -> PathBuf {
        self.repository_cache.join(format!("{repo}-charts.txt"))
    }
}
