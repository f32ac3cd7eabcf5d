//! W0439: a zone whose owner (`controlled_by`) is not stated. Who controls a
//! segment decides who can patch, monitor and lock it down; a default owner
//! would state a falsehood for a phone, a home network or the Internet, so
//! the model must say it.

use crate::findings::codes;
use crate::stage::gap;
use ward_diagnostics::Diagnostic;
use ward_model::{ControlledBy, Model};

/// One finding per zone without `controlled_by`: a warning at the design
/// stage, an error at the submission stage.
pub(crate) fn zones_without_owner(model: &Model, out: &mut Vec<Diagnostic>) {
    for zone in model.zones.iter().filter(|z| z.controlled_by.is_none()) {
        let mut diagnostic = gap(
            model.stage,
            codes::ZONE_WITHOUT_OWNER,
            zone.meta.name_span,
            format!("zone `{}` does not state who controls it", zone.meta.name),
        )
        .with_primary_label("no `controlled_by`")
        .with_help(format!(
            "add `controlled_by: OWNER` (one of {}): the updatability view and the rules on owners need it",
            ControlledBy::NAMES
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if let Some(fix) = &zone.add_owner {
            diagnostic = diagnostic.with_fix(fix.clone());
        }
        out.push(diagnostic);
    }
}
