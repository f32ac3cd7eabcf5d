//! The example models of `examples/`.

use std::path::PathBuf;

/// Compiles `examples/NAME`, which must compile without errors.
pub fn example(name: &str) -> ward_model::Compiled {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    let compiled = ward_model::compile_path(&path);
    let errors: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    assert!(
        errors.is_empty(),
        "{}",
        ward_diagnostics::render_terminal(
            &compiled.sources,
            &errors,
            ward_diagnostics::ColorChoice::Never
        )
    );
    compiled
}
