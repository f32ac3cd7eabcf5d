//! End of support (W0460): software whose supplier does not, or may not,
//! support it any more is a gap, naming the components that run it. Dates
//! are judged against the model's `as_of`, never the clock, so a build is
//! the same whenever it runs; without `as_of`, only `unsupported` and a
//! missing `end_of_support` are reported.

use crate::findings::codes::SOFTWARE_UNSUPPORTED;
use crate::stage::gap;
use crate::types::Analysis;
use ward_diagnostics::Diagnostic;
use ward_model::{Model, Software, SupportLevel};

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

pub(crate) fn software_support(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    if model.software.is_empty() {
        return;
    }
    let as_of = model.as_of.as_deref();
    for software in &model.software {
        let Some(why) = support_gap(software, as_of) else {
            continue;
        };
        let name = &software.meta.name;
        const REPLACE: &str = "move to a supported version and plan the field update, or record the supplier's extended support with its later `end_of_support`";
        let (message, label, help) = match why {
            Gap::Unsupported => (
                format!("software `{name}` is unsupported by its supplier"),
                "`support: unsupported`".to_owned(),
                REPLACE,
            ),
            Gap::NoEndOfSupport => (
                format!("software `{name}` states no end of support"),
                "no `end_of_support`".to_owned(),
                if software.imported_from.is_some() {
                    "state in the SBOM when the supplier's support ends: the CycloneDX component property `ward:end_of_support` (`YYYY-MM-DD`), or SPDX `validUntilDate`"
                } else {
                    "state when the supplier's support ends: `end_of_support: \"YYYY-MM-DD\"`"
                },
            ),
            Gap::Ended { on, as_of } => (
                format!("support for software `{name}` ended on {on}, before {as_of}"),
                format!("support ended {on} (as of {as_of})"),
                REPLACE,
            ),
        };
        let used_by = if software.run_by.is_empty() {
            "no component runs it".to_owned()
        } else {
            let names: Vec<String> = software
                .run_by
                .iter()
                .map(|e| format!("`{}`", model.element(*e).meta.name))
                .collect();
            format!("run by {}", names.join(", "))
        };
        out.push(
            gap(
                analysis.stage,
                SOFTWARE_UNSUPPORTED,
                software.meta.name_span,
                message,
            )
            .with_primary_label(label)
            .with_note(used_by)
            .with_help(help),
        );
    }
}
