//! Helm's plugins, as far as `chart` uses them so far: finding an installed plugin by name and
//! type in Helm's plugin directories (`$HELM_PLUGINS`, else `<data home>/plugins`), and running
//! a `postrenderer/v1` plugin with the subprocess runtime.

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
    /// `runtimeConfig.platformCommand` (or a legacy top-level `command`).
    pub commands: Vec<PlatformCommand>,
}

/// One entry of `runtimeConfig.platformCommand`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlatformCommand {
    /// `os`: Go's name (`linux`, `darwin`); empty for any.
    pub os: String,
    /// `arch`: Go's name (`amd64`, `arm64`); empty for any.
    pub arch: String,
    /// `command`, before environment expansion.
    pub command: String,
    /// `args`, before environment expansion.
    pub args: Vec<String>,
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
    let text_of = |v: &chart_core::Value, key: &str| {
        v.as_map()
            .and_then(|m| m.get(key))
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let mut commands = Vec::new();
    let runtime = manifest.get("runtimeConfig");
    let runtime = runtime.as_ref().and_then(|r| r.as_map());
    let platform = runtime.and_then(|r| r.get("platformCommand"));
    let entries = platform.as_ref().and_then(|p| p.as_list());
    for entry in entries.into_iter().flat_map(|l| l.items().iter()) {
        let args_value = entry.as_map().and_then(|m| m.get("args"));
        let args = args_value
            .as_ref()
            .and_then(|a| a.as_list())
            .map(|l| {
                l.items()
                    .iter()
                    .filter_map(|a| a.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        commands.push(PlatformCommand {
            os: text_of(entry, "os"),
            arch: text_of(entry, "arch"),
            command: text_of(entry, "command"),
            args,
        });
    }
    if commands.is_empty()
        && let Some(command) = field("command")
    {
        commands.push(PlatformCommand {
            command,
            ..PlatformCommand::default()
        });
    }
    Some(Plugin {
        name: field("name")?,
        kind,
        dir: dir.to_path_buf(),
        commands,
    })
}

/// Go's names for this machine's OS and architecture.
fn go_platform() -> (&'static str, &'static str) {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    (os, arch)
}

/// The command for this platform, as Helm picks it: an entry for this OS and architecture,
/// else one for this OS and any architecture, else one for any platform.
fn platform_command(commands: &[PlatformCommand]) -> Option<&PlatformCommand> {
    let (os, arch) = go_platform();
    let exact = commands.iter().find(|c| c.os == os && c.arch == arch);
    let os_only = || commands.iter().find(|c| c.os == os && c.arch.is_empty());
    let any = || {
        commands
            .iter()
            .find(|c| c.os.is_empty() && c.arch.is_empty())
    };
    exact.or_else(os_only).or_else(any)
}

/// Go's `os.Expand` over `vars` then the process environment: `$NAME` and `${NAME}`, unknown
/// names empty.
fn expand_env(text: &str, vars: &[(&str, String)]) -> String {
    let lookup = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| std::env::var(name).ok())
            .unwrap_or_default()
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(braced) = after.strip_prefix('{')
            && let Some(end) = braced.find('}')
        {
            out.push_str(&lookup(&braced[..end]));
            rest = &braced[end + 1..];
            continue;
        }
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if len == 0 {
            out.push('$');
        } else {
            out.push_str(&lookup(&after[..len]));
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// A `postrenderer/v1` plugin with the arguments from `--post-renderer-args`.
#[derive(Debug, Clone)]
pub struct PluginPostRenderer {
    /// The plugin.
    pub plugin: Plugin,
    /// Extra arguments, after the plugin's own.
    pub args: Vec<String>,
}

impl chart_core::render::PostRenderer for PluginPostRenderer {
    fn run(&self, manifests: &str) -> Result<String, String> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let name = &self.plugin.name;
        let failed =
            |why: String| format!("failed to invoke post-renderer plugin \"{name}\": {why}");
        let plugins = std::env::join_paths(plugin_dirs())
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let vars = [
            ("HELM_PLUGIN_NAME", name.clone()),
            ("HELM_PLUGIN_DIR", self.plugin.dir.display().to_string()),
            ("HELM_PLUGINS", plugins),
        ];
        let Some(cmd) = platform_command(&self.plugin.commands) else {
            return Err(failed(format!(
                "no plugin command is applicable for plugin \"{name}\""
            )));
        };
        let expanded = expand_env(&cmd.command, &vars);
        let mut parts = expanded.split_whitespace().map(str::to_string);
        let Some(program) = parts.next() else {
            return Err(failed(format!("plugin \"{name}\" has no command")));
        };
        let mut args: Vec<String> = parts.collect();
        args.extend(cmd.args.iter().map(|a| expand_env(a, &vars)));
        args.extend(self.args.iter().cloned());
        let mut child = Command::new(&program)
            .args(&args)
            .envs(vars.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                failed(format!(
                    "fork/exec {program}: {}",
                    crate::commands::go_errno_text(&e)
                ))
            })?;
        // The plugin may write before it has read everything: feed it from another thread.
        let input = manifests.as_bytes().to_vec();
        let mut stdin = child.stdin.take();
        let writer = std::thread::spawn(move || {
            if let Some(stdin) = stdin.as_mut() {
                // A plugin that exits without reading its input closes the pipe; its exit
                // status tells what happened.
                let _ = stdin.write_all(&input);
            }
        });
        let output = child
            .wait_with_output()
            .map_err(|e| failed(e.to_string()))?;
        let _ = writer.join();
        if !output.status.success() {
            return Err(failed(format!("plugin \"{name}\" exited with error")));
        }
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        if text.trim().is_empty() {
            return Err(format!("post-renderer \"{name}\" produced empty output"));
        }
        Ok(text)
    }
}

/// The post-renderer `--post-renderer` names, found in `HELM_PLUGINS` (none without the flag).
/// Helm resolves it while parsing flags, so a missing plugin is a flag error.
pub fn post_renderer(
    flags: &crate::cli::PostRenderFlags,
) -> anyhow::Result<Option<PluginPostRenderer>> {
    let Some(name) = &flags.post_renderer else {
        return Ok(None);
    };
    let Some(plugin) = find(&plugin_dirs(), name, "postrenderer/v1") else {
        anyhow::bail!("{}", post_renderer_not_found(name));
    };
    Ok(Some(PluginPostRenderer {
        plugin,
        args: flags.post_renderer_args.clone(),
    }))
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

    #[test]
    fn environment_is_expanded_as_go_does() {
        let vars = [("HELM_PLUGIN_DIR", "/p".to_string())];
        assert_eq!(expand_env("${HELM_PLUGIN_DIR}/run.sh", &vars), "/p/run.sh");
        assert_eq!(expand_env("$HELM_PLUGIN_DIR/x $", &vars), "/p/x $");
        assert_eq!(expand_env("a${CHART_SURELY_UNSET_VAR}b", &vars), "ab");
    }

    #[test]
    fn the_command_for_this_platform_wins() {
        let (os, arch) = go_platform();
        let cmd = |o: &str, a: &str, c: &str| PlatformCommand {
            os: o.into(),
            arch: a.into(),
            command: c.into(),
            args: Vec::new(),
        };
        let list = [
            cmd("", "", "any"),
            cmd(os, "", "os"),
            cmd(os, arch, "exact"),
            cmd("plan9", "", "other"),
        ];
        assert_eq!(
            platform_command(&list).map(|c| c.command.as_str()),
            Some("exact")
        );
        assert_eq!(
            platform_command(&list[..2]).map(|c| c.command.as_str()),
            Some("os")
        );
        assert_eq!(
            platform_command(&list[..1]).map(|c| c.command.as_str()),
            Some("any")
        );
        assert_eq!(platform_command(&list[3..]), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_post_renderer_plugin_gets_the_manifests_its_arguments_and_environment() {
        use chart_core::render::PostRenderer;
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("temp dir");
        let script = |name: &str, body: &str| {
            let dir = tmp.path().join(name);
            std::fs::create_dir_all(&dir).expect("plugin folder");
            std::fs::write(
                dir.join("plugin.yaml"),
                format!(
                    "apiVersion: v1\ntype: postrenderer/v1\nname: {name}\nversion: 0.1.0\n\
                     runtime: subprocess\nruntimeConfig:\n  platformCommand:\n  \
                     - command: ${{HELM_PLUGIN_DIR}}/run.sh\n    args: [first]\n"
                ),
            )
            .expect("plugin.yaml");
            let run = dir.join("run.sh");
            std::fs::write(&run, body).expect("run.sh");
            std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o755)).expect("chmod");
            PluginPostRenderer {
                plugin: find(&[tmp.path().to_path_buf()], name, "postrenderer/v1").expect("found"),
                args: vec!["extra arg".into()],
            }
        };
        let echo = script(
            "echo",
            "#!/bin/sh\ncat\necho \"args: $1|$2 name: $HELM_PLUGIN_NAME\"\n",
        );
        assert_eq!(
            echo.run("kind: A\n").expect("runs"),
            "kind: A\nargs: first|extra arg name: echo\n"
        );
        let fails = script("fails", "#!/bin/sh\nexit 2\n");
        assert_eq!(
            fails.run("kind: A\n").expect_err("fails"),
            "failed to invoke post-renderer plugin \"fails\": plugin \"fails\" exited with error"
        );
        let empty = script("empty", "#!/bin/sh\ncat >/dev/null\necho\n");
        assert_eq!(
            empty.run("kind: A\n").expect_err("empty"),
            "post-renderer \"empty\" produced empty output"
        );
    }
}
