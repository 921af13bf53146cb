//! Link settings of the release `chart` binary on Linux, for resident memory; output never
//! depends on them. `CHART_DEFAULT_LAYOUT=1` turns both off (for a linker that refuses them).
//!
//! - `hot-text.ld` (written by `scripts/hot-text`) places the functions that `chart template`
//!   runs side by side, so that the kernel maps about 2 MiB of code instead of 5 MiB.
//! - A position-dependent executable (`-no-pie`, glibc targets): the linker resolves the
//!   binary's ~340 KiB of pointers in `.data.rel.ro` (vtables, clap's tables, string slices),
//!   so the dynamic loader writes none of them. Relocating them at start-up copied about 90
//!   pages per run and took two fifths of the scaffold render's process time (4.3 ms of CPU
//!   before, 2.6 ms after, `perf stat`). The price: the binary's own code and data load at a
//!   fixed address (its heap, stack and libraries are still randomised).

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=hot-text.ld");
    println!("cargo:rerun-if-env-changed=CHART_DEFAULT_LAYOUT");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let linux = var("CARGO_CFG_TARGET_OS") == "linux";
    let release = var("PROFILE") == "release";
    if !linux || !release || std::env::var_os("CHART_DEFAULT_LAYOUT").is_some() {
        return;
    }
    let script = Path::new(&var("CARGO_MANIFEST_DIR")).join("hot-text.ld");
    let exists = script.exists();
    let script = script.to_string_lossy();
    // `-Wl,` splits its argument at commas.
    if exists && !script.contains(',') {
        println!("cargo:rustc-link-arg-bin=chart=-Wl,-T,{script}");
    }
    if var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bin=chart=-no-pie");
    }
}
