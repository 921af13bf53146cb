//! Inputs for the benchmarks: the `helm create` scaffold from `fixtures/`, and generated
//! umbrella charts (100 copies of the scaffold as subcharts, optionally with `tpl` calls).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The repository's `fixtures/charts/demo` (the `helm create` scaffold).
pub fn scaffold_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/charts/demo")
}

/// Writes an umbrella chart named `umbrella` into `dir`: `subcharts` copies of the scaffold
/// under `charts/subNNN/` (their helpers renamed), and, when `tpl_per_subchart` is non-zero,
/// one more template per subchart that makes that many `tpl` calls. Returns the chart's path.
pub fn write_umbrella(
    dir: &Path,
    subcharts: usize,
    tpl_per_subchart: usize,
) -> std::io::Result<PathBuf> {
    let root = dir.join("umbrella");
    std::fs::create_dir_all(root.join("charts"))?;
    let mut deps = String::new();
    for i in 1..=subcharts {
        let _ = write!(deps, "  - name: sub{i:03}\n    version: 0.1.0\n");
    }
    std::fs::write(
        root.join("Chart.yaml"),
        format!(
            "apiVersion: v2\nname: umbrella\nversion: 0.1.0\nappVersion: \"1.0.0\"\ndependencies:\n{deps}"
        ),
    )?;
    std::fs::write(root.join("values.yaml"), "global:\n  team: platform\n")?;
    let scaffold = scaffold_dir();
    for i in 1..=subcharts {
        let name = format!("sub{i:03}");
        copy_renamed(&scaffold, &root.join("charts").join(&name), &name)?;
        if tpl_per_subchart > 0 {
            let t = format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ include \"{name}.fullname\" . }}}}-tpl\ndata:\n{{{{- range $i := until {tpl_per_subchart} }}}}\n  k{{{{ $i }}}}: {{{{ tpl $.Values.tplText $ | quote }}}}\n{{{{- end }}}}\n"
            );
            std::fs::write(
                root.join("charts").join(&name).join("templates/tpl.yaml"),
                t,
            )?;
            let values_path = root.join("charts").join(&name).join("values.yaml");
            let mut values = std::fs::read_to_string(&values_path)?;
            values.push_str(
                "\ntplText: \"{{ .Release.Name }}-{{ .Chart.Name }}-{{ .Values.service.port }}\"\n",
            );
            std::fs::write(values_path, values)?;
        }
    }
    Ok(root)
}

fn copy_renamed(from: &Path, to: &Path, name: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_renamed(&entry.path(), &target, name)?;
        } else {
            let text = std::fs::read_to_string(entry.path())?;
            let text = text
                .replace("demo.", &format!("{name}."))
                .replace("name: demo", &format!("name: {name}"));
            std::fs::write(target, text)?;
        }
    }
    Ok(())
}
