//! FDA control category coverage per component, names resolved. Serialises
//! as model.json's `coverage`; the coverage table reads it too.

use serde::Serialize;
use ward_analysis::ComponentCoverage;
use ward_model::{ControlCategory, Model};

/// The controls implemented in a component for one category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CategoryControlsView {
    pub category: String,
    pub controls: Vec<String>,
}

/// One component's coverage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoverageView {
    pub component: String,
    pub covered: Vec<CategoryControlsView>,
    pub missing: Vec<String>,
    /// The coverage check considers it (it has software or interfaces).
    pub checked: bool,
}

impl CoverageView {
    pub fn new(model: &Model, c: &ComponentCoverage) -> CoverageView {
        CoverageView {
            component: model.element(c.element).meta.name.clone(),
            covered: c
                .covered
                .iter()
                .map(|(category, controls)| CategoryControlsView {
                    category: category.as_str().into(),
                    controls: controls
                        .iter()
                        .map(|&x| model.control(x).meta.name.clone())
                        .collect(),
                })
                .collect(),
            missing: c.missing.iter().map(|m| m.as_str().into()).collect(),
            checked: c.checked,
        }
    }

    /// The controls implemented for `category` (none when it is missing).
    pub fn controls(&self, category: ControlCategory) -> &[String] {
        self.covered
            .iter()
            .find(|c| c.category == category.as_str())
            .map_or(&[], |c| c.controls.as_slice())
    }
}
