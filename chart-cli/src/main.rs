//! The `chart` command: a Helm-compatible chart tool.

use std::process::ExitCode;

/// Rendering allocates many small strings and maps; mimalloc serves them faster than the
/// system allocator (about a fifth fewer instructions per render of the scaffold chart).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    chart_cli::run(std::env::args_os())
}
