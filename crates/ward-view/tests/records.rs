//! The view's resolved records: what model.json serialises and the tables
//! show (FDA category coverage, a threat's acceptance).

#[path = "../../ward-analysis/tests/common/mod.rs"]
mod common;
use common::evidence::{control, model};
use common::*;
use ward_model::{ControlCategory, Stage};
use ward_view::View;

#[test]
fn coverage_names_each_components_controls_per_category() {
    let (compiled, analysis) = analysed_at(Stage::Design, &model(&control("verified", "")));
    let view = View::new(&compiled.model, &analysis, &compiled.sources);
    assert_eq!(view.coverage.len(), analysis.coverage.len());
    let pump = view
        .coverage
        .iter()
        .find(|c| c.component == "pump")
        .expect("the pump's coverage");
    // `mac` is an integrity control implemented in the pump.
    assert_eq!(pump.controls(ControlCategory::Integrity), ["mac"]);
    assert!(pump.controls(ControlCategory::Authentication).is_empty());
    assert!(pump.missing.iter().any(|m| m == "authentication"));
    assert!(!pump.missing.iter().any(|m| m == "integrity"));
}

#[test]
fn an_acceptance_carries_its_accept_record_and_whether_it_is_stale() {
    let text = model(&format!(
        "{}\naccept forge {{ level: review, rationale: \"Alarms limit harm\", approved_by: \"Board\", date: \"2026-07-16\" }}",
        control("verified", "")
    ));
    let (compiled, analysis) = analysed_at(Stage::Design, &text);
    let view = View::new(&compiled.model, &analysis, &compiled.sources);
    let forge = analysis.threat("forge").unwrap();
    let index = analysis
        .threats
        .iter()
        .position(|t| t.id == "forge")
        .unwrap();
    let accepted = view.threat(index).acceptance.as_deref().expect("accepted");
    assert_eq!(accepted.level, "review");
    // Judged review (catastrophic x very_low after `mac`): not stale.
    assert_eq!(forge.judged, ward_model::RiskLevel::Review);
    assert!(!accepted.stale);
    assert_eq!(accepted.rationale, "Alarms limit harm");
    assert_eq!(accepted.approved_by.as_deref(), Some("Board"));
    assert_eq!(accepted.date.as_deref(), Some("2026-07-16"));
    // A threat without an accept has none.
    let (compiled, analysis) = analysed_at(Stage::Design, &model(&control("verified", "")));
    let unaccepted = View::new(&compiled.model, &analysis, &compiled.sources);
    assert!(unaccepted.threat(index).acceptance.is_none());
}
