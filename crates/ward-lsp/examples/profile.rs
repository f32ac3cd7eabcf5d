//! `cargo run --release -p ward-lsp --example profile [N]`: the language
//! server's load -> check -> analyse loop, repeated with a warm parse cache,
//! on a generated model of N components (default 10,000). An easy target for
//! a profiler when the edit-to-diagnostics time regresses.
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("N must be a whole number"))
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let files = ward_bench::generate(n, ward_bench::DEFAULT_SEED);
    ward_bench::write_model(dir.path(), &files).expect("the generated model is written");
    let mut cache = ward_model::ParseCache::new();
    let overlay = ward_model::Overlay::new();
    for round in 0..5 {
        let t = Instant::now();
        let loaded = ward_model::load(dir.path(), &overlay, &mut cache);
        let t_load = t.elapsed();
        let t = Instant::now();
        let compiled = ward_model::check(loaded);
        let t_check = t.elapsed();
        let t = Instant::now();
        let analysis = ward_analysis::analyze(&compiled.model);
        let t_analyse = t.elapsed();
        println!(
            "round {round}: load {t_load:?} check {t_check:?} analyse {t_analyse:?} threats {} findings {} diagnostics {}",
            analysis.threats.len(),
            analysis.findings.len(),
            compiled.diagnostics.len()
        );
    }
    let (name, text) = &files[files.len() / 2];
    let t = Instant::now();
    let parsed = ward_syntax::parse(text, ward_diagnostics::FileId(0));
    println!(
        "parse {name}: {:?} ({} errors)",
        t.elapsed(),
        parsed.errors.len()
    );
}
