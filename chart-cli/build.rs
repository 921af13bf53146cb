//! Link settings of the release `chart` binary on Linux, for resident memory; output never
//! depends on them. `CHART_DEFAULT_LAYOUT=1` turns both off (for a linker that refuses them).
//!
//! - `hot-text.ld` (written by `scripts/hot-text`) places the functions that `chart template`
//!   runs side by side, so that the kernel maps about 2 MiB of code instead of 5 MiB.
//! - Packed relative relocations (`-z pack-relative-relocs`, DT_RELR) shrink the relocation
//!   table that the dynamic loader reads at start-up from about 470 KiB to 6 KiB. They need
//!   glibc 2.36, so they are used only when the build's own C library has them (a native build).

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
    if var("TARGET") == var("HOST") && var("CARGO_CFG_TARGET_ENV") == "gnu" && glibc_has_relr() {
        println!("cargo:rustc-link-arg-bin=chart=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether this machine's glibc accepts DT_RELR (it defines the `GLIBC_ABI_DT_RELR` version).
fn glibc_has_relr() -> bool {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let candidates = [
        format!("/lib/{arch}-linux-gnu/libc.so.6"),
        format!("/usr/lib/{arch}-linux-gnu/libc.so.6"),
        "/lib64/libc.so.6".to_string(),
        "/usr/lib64/libc.so.6".to_string(),
    ];
    let needle = b"GLIBC_ABI_DT_RELR";
    candidates.iter().any(|path| {
        std::fs::read(path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
    })
}
