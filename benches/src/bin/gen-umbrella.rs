//! `gen-umbrella DIR SUBCHARTS TPL_PER_SUBCHART`: writes the benchmark umbrella chart into DIR
//! and prints its path (used by `benches/vs-helm`).

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(subcharts), Some(tpl)) = (
        args.first(),
        args.get(1).and_then(|s| s.parse().ok()),
        args.get(2).and_then(|s| s.parse().ok()),
    ) else {
        eprintln!("usage: gen-umbrella DIR SUBCHARTS TPL_PER_SUBCHART");
        return std::process::ExitCode::from(2);
    };
    match chart_benches::write_umbrella(std::path::Path::new(dir), subcharts, tpl) {
        Ok(path) => {
            println!("{}", path.display());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-umbrella: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
