//! The coalescing primitives of Helm 4's `pkg/chart/common/util/coalesce.go`.
//!
//! Values are Go maps, and Helm's coalescing mixes deep copies (the chart's defaults, the
//! caller's values), shallow copies (globals) and in-place updates. Some of its results
//! depend on that sharing, so this module mirrors it operation by operation: [`Map`] is a
//! shared reference just like a Go map.
//!
//! `merge` is Helm's flag that tells `MergeValues` (keep `null`s, used while processing
//! dependencies) from `CoalesceValues` (a `null` from a higher layer deletes the key, used
//! for rendering).

use crate::chart::Chart;
use crate::value::{Map, MapType, Value};

use super::ValuesError;
use super::log::Log;

/// The key of the values copied down into every subchart.
pub const GLOBAL_KEY: &str = "global";

/// Helm's `CoalesceValues`: the chart's values (defaults, then each subchart's under its
/// name) under `vals`, which wins; a `null` in `vals` deletes a default.
pub(crate) fn coalesce_values(
    chart: &Chart,
    vals: &Map,
    log: &mut Log,
) -> Result<Map, ValuesError> {
    coalesce(chart, vals.deep_copy(), "", false, log)
}

/// Helm's `MergeValues`: as [`coalesce_values`], but `null`s are kept.
pub(crate) fn merge_values(chart: &Chart, vals: &Map, log: &mut Log) -> Result<Map, ValuesError> {
    coalesce(chart, vals.deep_copy(), "", true, log)
}

/// Whether a value is what Go's `istable` accepts: a `map[string]interface {}`.
pub(crate) fn is_table(v: &Value) -> bool {
    matches!(v, Value::Map(m) if matches!(m.ty(), MapType::Any | MapType::Values))
}

fn as_table(v: &Value) -> Option<&Map> {
    match v {
        Value::Map(m) if matches!(m.ty(), MapType::Any | MapType::Values) => Some(m),
        _ => None,
    }
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

fn coalesce(
    chart: &Chart,
    dest: Map,
    prefix: &str,
    merge: bool,
    log: &mut Log,
) -> Result<Map, ValuesError> {
    coalesce_chart_values(chart, &dest, prefix, merge, log);
    coalesce_deps(chart, dest, prefix, merge, log)
}

/// `coalesceDeps`: each subchart's values, under its name in `dest`, get the globals and
/// the subchart's own coalescing.
fn coalesce_deps(
    chart: &Chart,
    dest: Map,
    prefix: &str,
    merge: bool,
    log: &mut Log,
) -> Result<Map, ValuesError> {
    for sub in &chart.dependencies {
        let name = sub.name();
        let dv = match dest.get(name) {
            None => {
                let fresh = Map::new();
                dest.insert(name, Value::Map(fresh.clone()));
                fresh
            }
            Some(v) => match as_table(&v) {
                Some(m) => m.clone(),
                None => {
                    return Err(ValuesError::TypeMismatch {
                        name: name.to_string(),
                        value: v,
                    });
                }
            },
        };
        let sub_prefix = concat_prefix(prefix, chart.name());
        coalesce_globals(&dv, &dest, &sub_prefix, log);
        let result = coalesce(sub, dv, &sub_prefix, merge, log)?;
        dest.insert(name, Value::Map(result));
    }
    Ok(dest)
}

/// `coalesceGlobals`: copies the globals of `src` (the parent's values) into those of
/// `dest` (a subchart's). Tables are shallow copies merged with the subchart's own table,
/// the parent's entries winning.
fn coalesce_globals(dest: &Map, src: &Map, prefix: &str, log: &mut Log) {
    let dg = match dest.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(v) => match as_table(&v) {
            Some(m) => m.clone(),
            None => {
                log.info(format!(
                    "warning: skipping globals because destination {GLOBAL_KEY} is not a table."
                ));
                return;
            }
        },
    };
    let sg = match src.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(v) => match as_table(&v) {
            Some(m) => m.clone(),
            None => {
                log.info(format!(
                    "warning: skipping globals because source {GLOBAL_KEY} is not a table."
                ));
                return;
            }
        },
    };
    for (key, val) in sg.entries() {
        if let Some(table) = as_table(&val) {
            let vv = Map::from_entries(table.ty(), table.with_entries(Clone::clone));
            match dg.get(&key) {
                None => {
                    dg.insert(key, Value::Map(vv));
                }
                Some(destv) => match as_table(&destv) {
                    None => log.info(format!(
                        "Conflict: cannot merge map onto non-map for {}. Skipping.",
                        crate::chart::go_quote(&key)
                    )),
                    Some(destvmap) => {
                        // Reversed on purpose: the parent's table (`vv`) wins over the
                        // subchart's, and null entries are kept for the later coalescing.
                        coalesce_tables_full_key(
                            &vv,
                            destvmap,
                            &concat_prefix(prefix, &key),
                            true,
                            log,
                        );
                        dg.insert(key, Value::Map(vv));
                    }
                },
            }
        } else if dg.get(&key).is_some_and(|dv| is_table(&dv)) {
            log.info(format!("key {key} is table. Skipping"));
        } else {
            dg.insert(key, val);
        }
    }
    dest.insert(GLOBAL_KEY, Value::Map(dg));
}

/// `coalesceValues`: the chart's own defaults (a deep copy) under `v`.
fn coalesce_chart_values(chart: &Chart, v: &Map, prefix: &str, merge: bool, log: &mut Log) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    // A fresh copy that nothing else holds: its entries can be moved out.
    let defaults = chart.values.deep_copy().with_entries_mut(std::mem::take);
    for (key, val) in defaults {
        match v.get(&key) {
            Some(value) => {
                if value.is_nil() && !merge {
                    // A null from a higher layer removes the default.
                    v.remove(&key);
                } else if let Some(dest) = as_table(&value) {
                    match as_table(&val) {
                        Some(src) => {
                            // A subchart's block keeps its nulls here: they are resolved
                            // when the subchart itself is coalesced.
                            let merge = merge || chart.dependencies.iter().any(|d| d.name() == key);
                            coalesce_tables_full_key(
                                dest,
                                src,
                                &concat_prefix(&sub_prefix, &key),
                                merge,
                                log,
                            );
                        }
                        None => {
                            if !val.is_nil() {
                                log.info(format!(
                                    "warning: skipped value for {sub_prefix}.{key}: Not a table."
                                ));
                            }
                        }
                    }
                }
            }
            None => {
                v.insert(key, val);
            }
        }
    }
}

/// Helm's `MergeTables`: `src` under `dst` (which wins), keeping nulls.
pub(crate) fn merge_tables(dst: &Map, src: &Map, log: &mut Log) {
    coalesce_tables_full_key(dst, src, "", true, log);
}

/// `coalesceTablesFullKey`: merges `src` into `dst` in place; `dst` is authoritative.
fn coalesce_tables_full_key(dst: &Map, src: &Map, prefix: &str, merge: bool, log: &mut Log) {
    if dst.ptr_eq(src) {
        // Go would merge a map with itself to no effect.
        return;
    }
    for (key, val) in src.entries() {
        // Only the log and nested tables need the full key.
        let full_key = || concat_prefix(prefix, &key);
        match dst.get(&key) {
            Some(dv) if !merge && dv.is_nil() => {
                dst.remove(&key);
            }
            None => {
                dst.insert(key, val);
            }
            Some(dv) => {
                if let Some(src_table) = as_table(&val) {
                    match as_table(&dv) {
                        Some(dst_table) => {
                            coalesce_tables_full_key(dst_table, src_table, &full_key(), merge, log)
                        }
                        None => log.info(format!(
                            "warning: cannot overwrite table with non table for {} ({})",
                            full_key(),
                            crate::chart::metadata::sprint_v(&val)
                        )),
                    }
                } else if is_table(&dv) && !val.is_nil() {
                    log.info(format!(
                        "warning: destination for {} is a table. Ignoring non-table value ({})",
                        full_key(),
                        crate::chart::metadata::sprint_v(&val)
                    ));
                }
            }
        }
    }
}

/// `Values.Table`: the table at a dotted path, shared with `values`, or the segment where the
/// walk failed (`"x" is not a table`).
pub(crate) fn table(values: &Map, path: &str) -> Result<Map, String> {
    let mut current = values.clone();
    for segment in path.split('.') {
        let next = current.get(segment).and_then(|v| as_table(&v).cloned());
        match next {
            Some(m) => current = m,
            None => {
                return Err(format!(
                    "{} is not a table",
                    crate::chart::go_quote(segment)
                ));
            }
        }
    }
    Ok(current)
}

/// Why `Values.PathValue` found nothing.
pub(crate) enum PathError {
    /// Helm's `ErrNoValue`: nothing (or a table) at the path.
    NoValue,
    /// Any other failure (an empty path).
    Other(String),
}

/// `Values.PathValue`: the non-table value at a dotted path (possibly nil).
pub(crate) fn path_value(values: &Map, path: &str) -> Result<Value, PathError> {
    if path.is_empty() {
        return Err(PathError::Other("YAML path cannot be empty".into()));
    }
    let segments: Vec<&str> = path.split('.').collect();
    let (last, parents) = match segments.split_last() {
        Some(parts) => parts,
        None => return Err(PathError::NoValue),
    };
    let holder = if parents.is_empty() {
        values.clone()
    } else {
        table(values, &parents.join(".")).map_err(|_| PathError::NoValue)?
    };
    match holder.get(*last) {
        Some(v) if !is_table(&v) => Ok(v),
        _ => Err(PathError::NoValue),
    }
}

/// The values a subchart's templates see under `.Values`: the table named after the
/// subchart (its alias, if any) in its parent's values, or an empty map when there is no
/// such table. This is what Helm's engine does when it walks into a subchart.
pub fn subchart_values(parent: &Map, name: &str) -> Map {
    table(parent, name).unwrap_or_default()
}
