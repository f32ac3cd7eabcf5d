//! FDA control-category coverage (spec §5 `std::fda`): per component, the
//! categories of the controls implemented in it and the categories with
//! none.

use crate::types::ComponentCoverage;
use ward_model::{ControlCategory, ControlId, ElementId, Model};

/// Coverage of every component (actors are outside the device and carry no
/// controls of the manufacturer's). `checked` marks the components the
/// finding looks at: those with `software` or `interfaces`, where the FDA
/// categories are design inputs; a component with neither (a plain process
/// box of the diagram) would only add noise.
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
                checked: !element.software.is_empty() || !element.interfaces.is_empty(),
            }
        })
        .collect()
}
