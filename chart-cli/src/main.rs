//! The `chart` command: a Helm-compatible chart tool.

use std::process::ExitCode;

fn main() -> ExitCode {
    chart_cli::run(std::env::args_os())
}
