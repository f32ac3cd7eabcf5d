//! FDA category coverage in the view: the names model.json's `coverage` and
//! the coverage table show.

#[path = "../../ward-analysis/tests/common/mod.rs"]
mod common;
use common::evidence::{control, model};
use common::*;
use ward_model::{ControlCategory, Stage};
use ward_view::View;

#[test]
fn coverage_names_each_components_controls_per_category() {
    let (compiled, analysis) = analysed_at(Stage::Design, &model(&control("verified", "")));
    let view = View::new(&compiled.model, &analysis);
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
