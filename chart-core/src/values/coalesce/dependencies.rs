//! Dependency processing (Helm 4's `pkg/chart/v2/util/dependencies.go`): which subcharts
//! are enabled (conditions, tags), which name each one renders under (aliases), and the
//! values children export to their parent (`import-values`).

use crate::chart::{Chart, Dependency, ImportValue};
use crate::value::{Map, Value};

use super::ValuesError;
use super::log::Log;
use super::tables::{self, PathError};

/// `ProcessDependencies`: enables and disables subcharts from the coalesced values, then
/// imports values from children into their parents (keeping nulls for the final coalescing).
pub(crate) fn process(chart: &mut Chart, user: &Map, log: &mut Log) -> Result<(), ValuesError> {
    process_enabled(chart, user, "", log)?;
    process_import_values_tree(chart, log)
}

/// Whether any chart of the tree declares dependencies: only then does [`process`] change it
/// (both of its passes skip charts that declare none, and the first stops at such a chart).
pub(crate) fn declared_anywhere(chart: &Chart) -> bool {
    chart.metadata.dependencies_declared || chart.dependencies.iter().any(declared_anywhere)
}

/// `IsCompatibleRange`: whether a subchart's version satisfies a dependency's constraint.
fn compatible(constraint: &str, version: &str) -> bool {
    crate::semver::is_compatible_range(constraint, version)
}

/// `processDependencyEnabled`.
fn process_enabled(
    chart: &mut Chart,
    values: &Map,
    path: &str,
    log: &mut Log,
) -> Result<(), ValuesError> {
    if !chart.metadata.dependencies_declared {
        return Ok(());
    }
    // Subcharts that no `dependencies` entry claims stay as they are.
    let mut kept: Vec<Chart> = chart
        .dependencies
        .iter()
        .filter(|existing| {
            !chart.metadata.dependencies.iter().any(|req| {
                existing.name() == req.name && compatible(&req.version, &existing.metadata.version)
            })
        })
        .cloned()
        .collect();
    // Each entry gets its own copy of the first matching subchart, renamed to its alias.
    for req in &mut chart.metadata.dependencies {
        if let Some(copy) = alias_dependency(&chart.dependencies, req) {
            kept.push(copy);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    chart.dependencies = kept;
    for req in &mut chart.metadata.dependencies {
        req.enabled = true;
    }
    let cvals = tables::coalesce_values(chart, values, log)?;
    process_tags(&mut chart.metadata.dependencies, &cvals, log);
    process_conditions(&mut chart.metadata.dependencies, &cvals, path, log);

    let disabled: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    chart
        .dependencies
        .retain(|c| !disabled.iter().any(|d| d == c.name()));
    chart
        .metadata
        .dependencies
        .retain(|r| !disabled.contains(&r.name));
    for sub in &mut chart.dependencies {
        let subpath = format!("{path}{}.", sub.name());
        process_enabled(sub, &cvals, &subpath, log)?;
    }
    // Go rebuilds the list by appending to nil: an empty result is a nil list.
    chart.metadata.dependencies_declared = !chart.metadata.dependencies.is_empty();
    Ok(())
}

/// `getAliasDependency`: a copy of the first subchart with the entry's name and a compatible
/// version, renamed to the entry's alias.
fn alias_dependency(charts: &[Chart], req: &Dependency) -> Option<Chart> {
    let found = charts
        .iter()
        .find(|c| c.name() == req.name && compatible(&req.version, &c.metadata.version))?;
    let mut copy = found.clone();
    if !req.alias.is_empty() {
        copy.metadata.name = req.alias.clone();
    }
    Some(copy)
}

/// `processDependencyTags`: a dependency with a `true` tag is enabled, one with only `false`
/// tags disabled.
fn process_tags(reqs: &mut [Dependency], cvals: &Map, log: &mut Log) {
    let Ok(tags) = tables::table(cvals, "tags") else {
        return;
    };
    for r in reqs {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            match tags.get(k.as_str()) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                Some(_) => log.warn("returned non-bool value", &[("tag", k), ("chart", &r.name)]),
                None => {}
            }
        }
        if !has_true && has_false {
            r.enabled = false;
        } else if has_true || !has_false {
            r.enabled = true;
        }
    }
}

/// `processDependencyConditions`: the first condition path holding a bool decides.
fn process_conditions(reqs: &mut [Dependency], cvals: &Map, prefix: &str, log: &mut Log) {
    for r in reqs {
        let condition = r.condition.trim().to_string();
        for c in condition.split(',') {
            if c.is_empty() {
                continue;
            }
            match tables::path_value(cvals, &format!("{prefix}{c}")) {
                Ok(Value::Bool(b)) => {
                    r.enabled = b;
                    break;
                }
                Ok(_) => log.warn(
                    "returned non-bool value",
                    &[("path", c), ("chart", &r.name)],
                ),
                Err(PathError::NoValue) => {}
                Err(PathError::Other(e)) => {
                    log.warn("the method PathValue returned error", &[("error", &e)]);
                }
            }
        }
    }
}

/// `processDependencyImportValues`: children first, then the chart itself.
fn process_import_values_tree(chart: &mut Chart, log: &mut Log) -> Result<(), ValuesError> {
    for sub in &mut chart.dependencies {
        process_import_values_tree(sub, log)?;
    }
    process_import_values(chart, log)
}

/// `processImportValues` (merge mode): the chart's values become its merged values (its
/// subcharts' included) with the imported tables underneath, the chart's own values winning.
fn process_import_values(chart: &mut Chart, log: &mut Log) -> Result<(), ValuesError> {
    if !chart.metadata.dependencies_declared {
        return Ok(());
    }
    let cvals = tables::merge_values(chart, &Map::new(), log)?;
    let imported = Map::new();
    for r in &mut chart.metadata.dependencies {
        let mut rewritten = Vec::new();
        for iv in &r.import_values {
            match iv {
                ImportValue::ChildParent { child, parent } => {
                    rewritten.push(ImportValue::ChildParent {
                        child: child.clone(),
                        parent: parent.clone(),
                    });
                    match tables::table(&cvals, &format!("{}.{child}", r.name)) {
                        Ok(vv) => {
                            let data = path_to_map(parent, as_map(vv));
                            tables::merge_tables(&imported, &data, log);
                        }
                        Err(e) => log.warn(
                            "ImportValues missing table from chart",
                            &[("chart", &r.name), ("error", &e)],
                        ),
                    }
                }
                ImportValue::Exports(name) => {
                    let child = format!("exports.{name}");
                    rewritten.push(ImportValue::ChildParent {
                        child: child.clone(),
                        parent: ".".into(),
                    });
                    match tables::table(&cvals, &format!("{}.{child}", r.name)) {
                        Ok(vm) => tables::merge_tables(&imported, &as_map(vm), log),
                        Err(e) => log.warn("ImportValues missing table", &[("error", &e)]),
                    }
                }
                ImportValue::Other(_) => {}
            }
        }
        r.import_values = rewritten;
    }
    // Imported values rank below the parent's own: the parent can import a block and
    // override parts of it. Helm deep-copies the merged values first; with nothing imported
    // the copy changes nothing (`cvals` shares no map with any chart, and every later reader
    // copies `chart.values` before changing it), so it is skipped.
    if imported.is_empty() {
        chart.values = cvals;
    } else {
        let merged = cvals.deep_copy();
        tables::merge_tables(&merged, &imported, log);
        chart.values = merged;
    }
    Ok(())
}

/// `Values.AsMap`: an empty table is replaced by a fresh map.
fn as_map(m: Map) -> Map {
    if m.is_empty() { Map::new() } else { m }
}

/// `pathToMap`: `data` nested under a dotted path (`.` is `data` itself).
fn path_to_map(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    let mut current = data;
    for segment in path.split('.').rev() {
        let outer = Map::new();
        outer.insert(segment, Value::Map(current));
        current = outer;
    }
    current
}
