//! Releases in a cluster: Helm 4's release record and Secrets storage, and the commands that
//! install, upgrade, roll back, uninstall and inspect them.

pub mod args;
pub mod cluster;
pub mod commands;
pub mod lookup;
pub mod model;
pub mod ops;
