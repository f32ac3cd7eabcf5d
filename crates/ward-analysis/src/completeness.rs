//! Findings about what a premarket file needs stated: data ratings (W0440),
//! the hazardous situation of each hazard handed to the ISO 14971 file
//! (W0436) and, at the submission stage, its risk-file reference (W0437, a
//! warning: the report shows the blank cell at design) and the overall
//! residual-risk statement (E0438).

use crate::findings::codes;
use crate::stage::gap;
use crate::types::Analysis;
use ward_diagnostics::Diagnostic;
use ward_model::{Model, Stage};

pub(crate) fn completeness_findings(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    unrated_data(model, out);
    transferred_hazards(model, analysis, out);
    if model.stage == Stage::Submission {
        overall_residual(model, out);
    }
}

/// W0440: data with a property left unrated, which scores as `none`.
fn unrated_data(model: &Model, out: &mut Vec<Diagnostic>) {
    for datum in &model.data {
        if datum.unrated.is_empty() {
            continue;
        }
        let names: Vec<String> = datum.unrated.iter().map(|p| format!("`{p}`")).collect();
        let missing = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.join(""),
        };
        out.push(
            gap(
                model.stage,
                codes::UNRATED_DATA,
                datum.meta.name_span,
                format!("data `{}` has no {missing} rating", datum.meta.name),
            )
            .with_primary_label("unrated")
            .with_note(
                "an unrated property scores as `none`: threats that break only it come out acceptable",
            )
            .with_help(format!(
                "rate it: {}",
                datum
                    .unrated
                    .iter()
                    .map(|p| format!("`{p}: high | medium | low | none`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
}

/// W0436 and W0437: a hazard on a row of the safety transfer without its
/// hazardous situation or without its risk management file reference.
fn transferred_hazards(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    // Rows of the safety transfer per hazard: the threats that name it,
    // counted in one pass (a scan of every threat per hazard was quadratic).
    let mut rows_of = vec![0usize; model.hazards.len()];
    for threat in &analysis.threats {
        for (k, h) in threat.hazards.iter().enumerate() {
            if !threat.hazards[..k].contains(h) {
                rows_of[h.index()] += 1;
            }
        }
    }
    for (hazard, &rows) in model.hazards.iter().zip(&rows_of) {
        if rows == 0 {
            continue;
        }
        let name = &hazard.meta.name;
        let rows_note = format!(
            "`{name}` is on {rows} row{} of the safety transfer",
            if rows == 1 { "" } else { "s" }
        );
        if hazard.hazardous_situation.is_none() {
            out.push(
                gap(
                    model.stage,
                    codes::NO_HAZARDOUS_SITUATION,
                    hazard.meta.name_span,
                    format!("hazard `{name}` has no `hazardous_situation`"),
                )
                .with_primary_label("handed to the risk management file without its situation")
                .with_note(rows_note.clone())
                .with_help(
                    "add `hazardous_situation: \"...\"`: the circumstance in which the exploit exposes \
                     the patient to the hazard (ISO 14971 3.5), which the risk file evaluates",
                ),
            );
        }
        if hazard.rmf_ref.is_none() && model.stage == Stage::Submission {
            out.push(
                Diagnostic::warning(
                    codes::NO_RMF_REFERENCE,
                    hazard.meta.name_span,
                    format!("hazard `{name}` has no `rmf_ref`"),
                )
                .with_primary_label("not traced to the risk management file")
                .with_note(rows_note)
                .with_help(
                    "add `rmf_ref: \"...\"`: the hazard's id in the ISO 14971 risk management file, \
                     so each transferred row can be found there",
                ),
            );
        }
    }
}

/// E0438: no overall residual-risk statement on the system.
fn overall_residual(model: &Model, out: &mut Vec<Diagnostic>) {
    let Some(system) = &model.system else {
        return;
    };
    if system.overall_residual.is_some() {
        return;
    }
    out.push(
        Diagnostic::error(
            codes::NO_OVERALL_RESIDUAL,
            system.meta.name_span,
            format!(
                "system `{}` has no overall residual-risk statement",
                system.meta.name
            ),
        )
        .with_primary_label("no `overall_residual`")
        .with_help(
            "add `overall_residual: \"...\"`: the evaluation of the overall residual security risk \
             and why it is acceptable (ISO 14971 clause 8; FDA premarket guidance V.A)",
        ),
    );
}
