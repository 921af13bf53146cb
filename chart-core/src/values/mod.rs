//! Values: the user's overrides (`-f`, `--set` and friends) and their coalescing with the
//! chart's defaults, scoped to each subchart, exactly as Helm does it.

pub mod coalesce;
pub mod overrides;
pub mod schema;
