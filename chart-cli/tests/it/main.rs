//! Integration tests of the `chart` binary: one test binary (`cargo test -p chart-cli --test it`)
//! holding every suite that runs the built command as a user would.
//!
//! * [`golden`]: `chart template` against the golden files of `testdata/golden/`, recorded from
//!   the real Helm by `scripts/regen-golden`.
//! * [`package`]: `chart package` against the reference Helm's archives.
//! * [`gitops`]: the CI flow of rendering into a committed `manifests/` directory.
//! * [`dependency`]: `dependency list/update/build`, compared with the reference Helm.
//! * [`repo`]: chart repositories, search, pull, the content cache and offline use.
//! * [`umbrella`]: a 40-subchart umbrella, rendered on one thread and on several.
//! * [`layout`]: the shape of the release binary's linker script (`hot-text.ld`).

mod cluster;
mod dependency;
mod gitops;
mod golden;
mod layout;
mod package;
mod repo;
mod umbrella;
