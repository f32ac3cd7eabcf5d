//! End of support (W0460): software whose supplier does not, or may not,
//! support it any more is a gap, naming the components that run it. Dates
//! are judged against the model's `as_of`, never the clock, so a build is
//! the same whenever it runs; without `as_of`, only `unsupported` and a
//! missing `end_of_support` are reported.

use crate::findings::codes::SOFTWARE_UNSUPPORTED;
use crate::stage::gap;
use crate::types::Analysis;
use std::collections::BTreeSet;
use ward_diagnostics::Diagnostic;
use ward_model::{Model, Software, SoftwareId, SupportLevel};

/// Why a software item counts as unsupported.
enum Gap<'a> {
    Unsupported,
    NoEndOfSupport,
    Ended { on: &'a str, as_of: &'a str },
}

fn support_gap<'a>(software: &'a Software, as_of: Option<&'a str>) -> Option<Gap<'a>> {
    if software.support == Some(SupportLevel::Unsupported) {
        return Some(Gap::Unsupported);
    }
    let Some(on) = software.end_of_support.as_deref() else {
        return Some(Gap::NoEndOfSupport);
    };
    // Checked `YYYY-MM-DD` dates order as strings.
    as_of
        .filter(|as_of| on < *as_of)
        .map(|as_of| Gap::Ended { on, as_of })
}

/// For each software, the components that run it, directly or through
/// `depends_on` (cycles were cut in lowering; the walk stops at seen ones).
fn users(model: &Model) -> Vec<BTreeSet<String>> {
    let mut users = vec![BTreeSet::new(); model.software.len()];
    for element in &model.elements {
        let mut seen = vec![false; model.software.len()];
        let mut stack: Vec<SoftwareId> = element.software_refs.clone();
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id.index()], true) {
                continue;
            }
            users[id.index()].insert(element.meta.name.clone());
            stack.extend(&model.software(id).depends_on);
        }
    }
    users
}

pub(crate) fn software_support(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    if model.software.is_empty() {
        return;
    }
    let as_of = model.as_of.as_deref();
    let users = users(model);
    for (software, users) in model.software.iter().zip(&users) {
        let Some(why) = support_gap(software, as_of) else {
            continue;
        };
        let name = &software.meta.name;
        let (message, label) = match why {
            Gap::Unsupported => (
                format!("software `{name}` is unsupported by its supplier"),
                "`support: unsupported`".to_owned(),
            ),
            Gap::NoEndOfSupport => (
                format!("software `{name}` states no end of support"),
                "no `end_of_support`".to_owned(),
            ),
            Gap::Ended { on, as_of } => (
                format!("support for software `{name}` ended on {on}, before {as_of}"),
                format!("support ended {on} (as of {as_of})"),
            ),
        };
        let used_by = if users.is_empty() {
            "no component runs it".to_owned()
        } else {
            let names: Vec<String> = users.iter().map(|u| format!("`{u}`")).collect();
            format!("run by {}", names.join(", "))
        };
        out.push(
            gap(analysis.stage, SOFTWARE_UNSUPPORTED, software.meta.name_span, message)
                .with_primary_label(label)
                .with_note(used_by)
                .with_help(
                    "state `end_of_support: \"YYYY-MM-DD\"` from the supplier, or move to a supported version and plan the update",
                ),
        );
    }
}
