//! The post-market findings whose pages cannot be checked at the design
//! stage with the page's text alone: E0151 (submission stage only) and
//! W0481 (needs the model's `as_of`, which `Ward.toml` gives).

use std::path::PathBuf;
use ward_analysis::analyze;
use ward_model::{compile_str, Stage};

fn page_example(code: &str) -> String {
    let page = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../docs/diagnostics/{code}.md")),
    )
    .unwrap();
    assert!(page.starts_with(&format!("# {code}: ")), "{code}");
    assert!(page.contains("## Fix"), "{code}");
    let after = page.split("## Example").nth(1).expect("an example");
    let start = after.find("```ward\n").unwrap() + "```ward\n".len();
    let end = after[start..].find("```").unwrap();
    after[start..start + end].to_string()
}

/// The findings' codes, but for those about the example's missing hazards
/// and ratings (W0415-W0417).
fn codes(compiled: &ward_model::Compiled) -> Vec<&'static str> {
    analyze(&compiled.model)
        .findings
        .iter()
        .filter(|d| !ward_analysis::codes::MISSING_MEDICAL_FACTS.contains(&d.code))
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn the_page_of_e0151_yields_it_at_submission_only() {
    let mut compiled = compile_str("model.ward", &page_example("E0151"));
    assert!(
        compiled.diagnostics.is_empty(),
        "{:#?}",
        compiled.diagnostics
    );
    compiled.model.stage = Stage::Submission;
    assert_eq!(codes(&compiled), ["E0151"]);
    compiled.model.stage = Stage::Design;
    assert!(codes(&compiled).is_empty());
}

#[test]
fn the_page_of_w0481_yields_it_as_of_its_date_only() {
    let text = page_example("W0481");
    let as_of = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("// Ward.toml: as_of = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("the example states its as_of");
    let mut compiled = compile_str("model.ward", &text);
    assert!(
        compiled.diagnostics.is_empty(),
        "{:#?}",
        compiled.diagnostics
    );
    assert!(!codes(&compiled).contains(&"W0481"));
    compiled.model.as_of = Some(as_of.to_string());
    assert!(
        codes(&compiled).contains(&"W0481"),
        "{:?}",
        codes(&compiled)
    );
}
