//! Shared helpers of the integration tests: compile Ward text, analyse it.
#![allow(dead_code)]

pub mod evidence;
pub mod examples;
pub mod reach;
pub mod risk;

use ward_analysis::{analyze, Analysis};
use ward_diagnostics::{render_terminal, ColorChoice, Diagnostic};
use ward_model::{compile_str, Compiled};

/// A system and the usual zones, for short models.
pub const PRELUDE: &str = r#"
system s "Test system" { version: "1.0.0" }
zone internet "Internet" { trust: hostile }
zone home "Home" { trust: untrusted, physical_access: true, controlled_by: patient }
zone cloud "Cloud" { trust: controlled }
zone hw "Device enclosure" in home { trust: trusted }
"#;

/// Compiles one file (which must compile without errors) and analyses it.
pub fn analysed(text: &str) -> (Compiled, Analysis) {
    try_analysed("model.ward", text)
        .unwrap_or_else(|errors| panic!("the test model does not compile:\n{errors}\n{text}"))
}

/// Compiles one file named `name` and analyses it; `Err` renders its
/// compile errors.
pub fn try_analysed(name: &str, text: &str) -> Result<(Compiled, Analysis), String> {
    let compiled = compile_str(name, text);
    let errors: Vec<Diagnostic> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(render_terminal(
            &compiled.sources,
            &errors,
            ColorChoice::Never,
        ));
    }
    let analysis = analyze(&compiled.model);
    Ok((compiled, analysis))
}

/// `PRELUDE` plus `body`, analysed.
pub fn analysed_with_prelude(body: &str) -> (Compiled, Analysis) {
    analysed(&format!("{PRELUDE}{body}"))
}

pub fn threat_ids(analysis: &Analysis) -> Vec<String> {
    analysis.threats.iter().map(|t| t.id.clone()).collect()
}

/// The findings rendered as the terminal shows them, without colour.
pub fn rendered_findings(compiled: &Compiled, analysis: &Analysis) -> String {
    render_terminal(&compiled.sources, &analysis.findings, ColorChoice::Never)
}

/// Compiles one file (which must compile without errors) and analyses it
/// at `stage`, as `--stage` does.
pub fn analysed_at(stage: ward_model::Stage, text: &str) -> (Compiled, Analysis) {
    let (mut compiled, _) = analysed(text);
    compiled.model.stage = stage;
    let analysis = analyze(&compiled.model);
    (compiled, analysis)
}

/// The codes of the findings, in order.
pub fn finding_codes(analysis: &Analysis) -> Vec<&'static str> {
    analysis.findings.iter().map(|d| d.code.as_str()).collect()
}
