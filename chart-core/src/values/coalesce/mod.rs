//! Coalescing: chart defaults, then the parent's block for each subchart, then user values;
//! `global` copied down; `null` deleting defaults; dependency conditions, tags, aliases and
//! `import-values`.
//!
//! The render layer calls [`prepare_values`] once per render. It does what `helm template`
//! does between loading the chart and rendering it:
//!
//! 1. [`process_dependencies`]: each subchart listed in `dependencies` is enabled or removed
//!    according to its `tags` and `condition` (read from the coalesced values), renamed to
//!    its `alias`, and its `import-values` are copied into its parent's defaults;
//! 2. [`coalesce_values`]: the user's values over the chart's defaults, each subchart's
//!    defaults under its name (alias), `global` copied into every subchart;
//! 3. the values of each chart are checked against its `values.schema.json`, unless the
//!    caller skips it (`--skip-schema-validation`).
//!
//! The result is the root chart's `.Values`. A subchart's templates see
//! [`subchart_values`]`(parent_values, sub.name())`, walking down `chart.dependencies` (which
//! after step 1 holds the enabled subcharts, each named by its alias).
//!
//! `null` follows Helm 4.1.4: a `null` given by the user or by a parent for a key that has a
//! default removes the key; a `null` with no default to remove stays (`"key": null`); a
//! `null` in a chart's own `values.yaml` stays for the root chart but is removed for a
//! subchart. Lists are replaced, never merged.

mod dependencies;
mod log;
mod tables;

pub use log::Log;
pub use tables::{GLOBAL_KEY, subchart_values};

use std::borrow::Cow;

use crate::chart::Chart;
use crate::value::{Map, Value};
use crate::values::schema::{self, SchemaError};

/// Why values could not be prepared. `Display` gives Helm's message.
#[derive(Debug, thiserror::Error)]
pub enum ValuesError {
    /// A parent's value for a subchart's name is not a table (`sub: 5`).
    #[error("type mismatch on {name}: {}", percent_t(.value))]
    TypeMismatch {
        /// The subchart's name (or alias).
        name: String,
        /// The value found instead of a table.
        value: Value,
    },
    /// Dependency processing failed (Helm wraps the cause).
    #[error("chart dependencies processing failed: {0}")]
    Dependencies(Box<ValuesError>),
    /// The values break a chart's `values.schema.json`.
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

/// Go's `%t` of a value: `true`/`false` for a bool, else `%!t(TYPE=VALUE)`.
fn percent_t(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Nil | Value::Invalid => "%!t(<nil>)".into(),
        other => format!(
            "%!t({}={})",
            other.type_name(),
            crate::chart::metadata::sprint_v(other)
        ),
    }
}

/// Whether to check values against the charts' `values.schema.json`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SchemaCheck {
    /// Check every chart that has a schema (Helm's default).
    #[default]
    Validate,
    /// `--skip-schema-validation`.
    Skip,
}

/// The values a render starts from, and what Helm logged on the way.
#[derive(Debug)]
pub struct Prepared {
    /// The root chart's `.Values` (a `map[string]interface {}`).
    pub values: Map,
    /// Warnings Helm would print on stderr (`level=WARN msg=...`).
    pub warnings: Vec<String>,
}

/// Processes `chart`'s dependencies against the user's values, coalesces everything and
/// validates it: the single entry point for rendering (see the module documentation).
///
/// `user` is the result of `-f`/`--set` and friends; it is not modified.
pub fn prepare_values(
    chart: &mut Chart,
    user: &Map,
    schema: SchemaCheck,
) -> Result<Prepared, ValuesError> {
    let mut shared = Cow::Borrowed(&*chart);
    let prepared = prepare_values_shared(&mut shared, user, schema)?;
    if let Cow::Owned(processed) = shared {
        *chart = processed;
    }
    Ok(prepared)
}

/// [`prepare_values`] on a chart that is copied only if dependency processing changes it
/// (a tree where no chart declares dependencies stays as it is).
pub(crate) fn prepare_values_shared(
    chart: &mut Cow<'_, Chart>,
    user: &Map,
    schema: SchemaCheck,
) -> Result<Prepared, ValuesError> {
    let mut log = Log::new();
    if dependencies::declared_anywhere(chart) {
        dependencies::process(chart.to_mut(), user, &mut log)
            .map_err(|e| ValuesError::Dependencies(Box::new(e)))?;
    }
    let values = tables::coalesce_values(chart, user, &mut log)?;
    if schema == SchemaCheck::Validate {
        schema::validate_chart(chart, &values)?;
    }
    Ok(Prepared {
        values,
        warnings: log.into_lines(),
    })
}

/// Helm's `ProcessDependencies`: enables, disables, renames (aliases) and imports values for
/// the subcharts of `chart`, in place. See [`prepare_values`].
pub fn process_dependencies(chart: &mut Chart, user: &Map) -> Result<(), ValuesError> {
    dependencies::process(chart, user, &mut Log::new())
}

/// Helm's `CoalesceValues`: the root chart's values, with every subchart's under its name.
/// `user` wins over the defaults and is not modified.
pub fn coalesce_values(chart: &Chart, user: &Map) -> Result<Map, ValuesError> {
    tables::coalesce_values(chart, user, &mut Log::new())
}

#[cfg(test)]
mod tests;
