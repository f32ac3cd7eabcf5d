//! The generated models must compile without errors and stay deterministic.

use ward_bench::{generate, Counts};
use ward_diagnostics::Diagnostic;

fn compile(n: usize, seed: u64) -> ward_model::Compiled {
    let files = generate(n, seed);
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    ward_model::compile_memory(&refs, ".")
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .take(10)
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

fn assert_compiles(n: usize) {
    let compiled = compile(n, 1);
    assert_eq!(errors(&compiled.diagnostics), Vec::<String>::new(), "N={n}");
    let counts = Counts::new(n);
    assert_eq!(
        compiled.model.flows.len(),
        counts.flows,
        "N={n}: flow directions"
    );
    assert_eq!(
        compiled.model.elements.len(),
        counts.components,
        "N={n}: components and actors"
    );
}

#[test]
fn model_of_100_components_compiles_without_errors() {
    assert_compiles(100);
}

#[test]
fn model_of_1000_components_compiles_without_errors() {
    assert_compiles(1000);
}

#[test]
fn tiny_models_compile_without_errors() {
    for n in [1, 2, 7, 10, 49] {
        assert_compiles(n);
    }
}

#[test]
fn other_seeds_compile_too() {
    for seed in [2, 3, 99] {
        let compiled = compile(300, seed);
        assert_eq!(
            errors(&compiled.diagnostics),
            Vec::<String>::new(),
            "seed {seed}"
        );
    }
}

#[test]
fn generation_is_deterministic_and_seed_changes_only_ward_facts() {
    assert_eq!(generate(200, 5), generate(200, 5));
    let a = generate(200, 5);
    let b = generate(200, 6);
    assert_ne!(a, b);
    // The architecture (everything but hazard links, threats and controls)
    // does not depend on the seed.
    let flows = |files: &[(String, String)]| -> Vec<String> {
        files
            .iter()
            .flat_map(|(_, t)| t.lines())
            .filter(|l| l.starts_with("flow ") || l.starts_with("zone "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(flows(&a), flows(&b));
}

#[test]
fn files_are_about_one_per_50_components() {
    assert_eq!(generate(10, 1).len(), 1);
    assert_eq!(generate(1000, 1).len(), 20);
}

#[test]
fn every_file_parses_on_its_own() {
    // Every file parses without syntax errors on its own.
    for (i, (name, text)) in generate(500, 1).iter().enumerate() {
        let parse = ward_syntax::parse(text, ward_diagnostics::FileId(i as u32));
        assert!(
            parse.errors.is_empty(),
            "{name}: {:?}",
            parse.errors.first().map(|e| &e.message)
        );
    }
}
