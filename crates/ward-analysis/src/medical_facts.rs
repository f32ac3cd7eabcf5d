//! Whether a model states the medical facts its safety scoring rests on:
//! hazards, data ratings, and hazards linked to what the threats reach. A
//! model ported from a generic tool (pytm, Threagile, Threat Dragon) has
//! none of them; its security findings still come out, but without these
//! facts every threat scores without a safety severity and on `none`
//! impacts, so it would read "acceptable" in silence. Decided once here:
//! the findings W0415-W0417 and the verdict read it.

use crate::findings::codes;
use crate::stage::gap;
use serde::Serialize;
use ward_diagnostics::{Diagnostic, Span};
use ward_model::Model;

/// A kind of medical fact the model omits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingMedicalFact {
    /// No `hazard` declaration (W0415).
    Hazards,
    /// No `data` with any rating written: every rating is the default
    /// `none` (W0416).
    DataRatings,
    /// Hazards declared, but no component or data links one (W0417): no
    /// threat can reach a hazard.
    HazardLinks,
}

impl MissingMedicalFact {
    /// As the verdict names it.
    pub fn as_str(self) -> &'static str {
        match self {
            MissingMedicalFact::Hazards => "no hazards declared",
            MissingMedicalFact::DataRatings => "no data rated",
            MissingMedicalFact::HazardLinks => "no hazard linked to a component or data",
        }
    }
}

/// The medical facts `model` omits, in [`MissingMedicalFact`] order.
pub fn missing_medical_facts(model: &Model) -> Vec<MissingMedicalFact> {
    let mut missing = Vec::new();
    if model.hazards.is_empty() {
        missing.push(MissingMedicalFact::Hazards);
    }
    if model.data.iter().all(|d| d.unrated.len() == 3) {
        missing.push(MissingMedicalFact::DataRatings);
    }
    let linked = model.elements.iter().any(|e| !e.hazards.is_empty())
        || model.data.iter().any(|d| !d.hazards.is_empty());
    if !model.hazards.is_empty() && !linked {
        missing.push(MissingMedicalFact::HazardLinks);
    }
    missing
}

/// W0415-W0417: one finding per kind of missing fact, at the system (else
/// the first element, the first declaration the reader looks for).
pub(crate) fn medical_fact_findings(
    model: &Model,
    missing: &[MissingMedicalFact],
    out: &mut Vec<Diagnostic>,
) {
    let span = model
        .system
        .as_ref()
        .map(|s| s.meta.name_span)
        .or_else(|| model.elements.first().map(|e| e.meta.name_span))
        .unwrap_or_default();
    for &fact in missing {
        out.push(finding(model, fact, span));
    }
}

fn finding(model: &Model, fact: MissingMedicalFact, span: Span) -> Diagnostic {
    let note = match fact {
        MissingMedicalFact::DataRatings => {
            "its security threats are still listed, but each scores on a security impact of \
             `none`, so its security risk is understated: the report's verdict says so"
        }
        _ => {
            "its security threats are still listed, but the safety side of their risk is not \
             assessed: the report's verdict says so"
        }
    };
    let (code, message, label, help) = match fact {
        MissingMedicalFact::Hazards => (
            codes::NO_HAZARDS,
            "the model declares no `hazard`",
            "no hazard: no threat has a safety severity",
            "declare the hazards the device can cause, `hazard overdose \"Overdose\" { severity: \
             catastrophic }`, and link them from data and components (`hazards { ... }`; \
             docs/language.md §3.7)",
        ),
        MissingMedicalFact::DataRatings => (
            codes::NO_DATA_RATINGS,
            "no `data` of the model has a confidentiality, integrity or availability rating",
            "no rating: every security impact is `none`",
            "rate each data's `confidentiality`, `integrity` and `availability` (`high | medium | \
             low | none`; docs/language.md §3.3)",
        ),
        MissingMedicalFact::HazardLinks => (
            codes::NO_HAZARD_LINKS,
            "no component or data links a hazard",
            "no threat can reach a hazard",
            "link each hazard where it arises: `hazards { integrity: [overdose] }` on the data or \
             component whose compromise causes it (docs/language.md §3.3, §3.4)",
        ),
    };
    gap(model.stage, code, span, message.to_string())
        .with_primary_label(label)
        .with_note(note)
        .with_help(help)
}
