//! `profile-render CHART_DIR ITERATIONS`: renders a chart repeatedly with one warm renderer,
//! for profilers (`perf record --call-graph dwarf`).

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (
        args.first(),
        args.get(1).and_then(|s| s.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: profile-render CHART_DIR ITERATIONS");
        return std::process::ExitCode::from(2);
    };
    let chart = match chart_core::load_chart(dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("profile-render: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let renderer = chart_core::Renderer::new();
    let values = chart_core::Map::new();
    let mut bytes = 0;
    for _ in 0..n {
        match renderer.render_to_string(&chart, &values) {
            Ok(s) => bytes += s.len(),
            Err(e) => {
                eprintln!("profile-render: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    println!("{bytes} bytes rendered");
    std::process::ExitCode::SUCCESS
}
