//! FDA control-category coverage (spec §5 `std::fda`): per component, the
//! categories of the controls implemented in it and the categories with
//! none.

use crate::types::ComponentCoverage;
use ward_model::{ControlCategory, ControlId, ElementId, Model};

/// Coverage of every component (actors are outside the device and carry no
/// controls of the manufacturer's). Every component kind is checked for the
/// eight categories (docs/risk.md §11): whether `software` or `interfaces`
/// are written says how detailed the model is, not whether the component
/// needs the controls (a fleet gateway without `software` still does).
pub fn coverage(model: &Model) -> Vec<ComponentCoverage> {
    let mut implemented: Vec<Vec<ControlId>> = vec![Vec::new(); model.elements.len()];
    for (i, control) in model.controls.iter().enumerate() {
        for element in &control.implemented_in {
            let list = &mut implemented[element.index()];
            if !list.contains(&ControlId(i as u32)) {
                list.push(ControlId(i as u32));
            }
        }
    }
    model
        .elements
        .iter()
        .enumerate()
        .filter(|(_, element)| !element.is_actor())
        .map(|(i, element)| {
            let mut covered = Vec::new();
            let mut missing = Vec::new();
            for &category in ControlCategory::ALL {
                let controls: Vec<ControlId> = implemented[i]
                    .iter()
                    .copied()
                    .filter(|c| model.control(*c).category == category)
                    .collect();
                if controls.is_empty() {
                    missing.push(category);
                } else {
                    covered.push((category, controls));
                }
            }
            ComponentCoverage {
                element: ElementId(i as u32),
                covered,
                missing,
                checked: element.kind.is_checked_for_fda_categories(),
            }
        })
        .collect()
}
