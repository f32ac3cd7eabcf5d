//! Checks a model and prints its diagnostics: `cargo run -p ward-model
//! --example check -- PATH` (a `.ward` file, a folder or a `Ward.toml`).

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: check PATH");
        std::process::exit(2);
    };
    let compiled = ward_model::compile_path(std::path::Path::new(&path));
    print!(
        "{}",
        ward_diagnostics::render_terminal(
            &compiled.sources,
            &compiled.diagnostics,
            ward_diagnostics::ColorChoice::Never
        )
    );
    println!(
        "{} zones, {} elements, {} flows, {} rules, {} threats, {} controls; policy {}",
        compiled.model.zones.len(),
        compiled.model.elements.len(),
        compiled.model.flows.len(),
        compiled.model.rules.len(),
        compiled.model.threats.len(),
        compiled.model.controls.len(),
        compiled.model.policy().path
    );
}
