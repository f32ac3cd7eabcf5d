//! Findings about verification evidence: failed verifications without a
//! disposition (W0431), evidence produced on another version (W0432), and,
//! at the submission stage, controls relied on without evidence (E0430) or
//! without an acceptance criterion (E0433).

use crate::findings::codes;
use crate::stage::gap;
use crate::types::Analysis;
use std::collections::BTreeMap;
use ward_diagnostics::Diagnostic;
use ward_model::{Model, Stage, TestResult, VerificationId};

pub(crate) fn evidence_findings(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    open_failures(model, analysis, out);
    stale_evidence(model, analysis, out);
    if model.stage == Stage::Submission {
        relied_on_without_evidence(model, analysis, out);
        without_acceptance_criterion(model, out);
    }
}

fn backticked(names: impl IntoIterator<Item = String>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The controls that link a verification, by name, and whether there are
/// several (for the verb).
fn controls_linking(
    analysis: &Analysis,
    model: &Model,
    verification: VerificationId,
) -> (String, bool) {
    let names: Vec<String> = analysis
            .evidence
            .iter()
            .filter(|e| {
                model.control(e.control).verification.iter().any(|item| {
                    matches!(item, ward_model::VerificationItem::Ref { verification: v, .. } if *v == verification)
                })
            })
            .map(|e| model.control(e.control).meta.name.clone())
        .collect();
    let several = names.len() > 1;
    (backticked(names), several)
}

/// W0431, once per failed verification without a disposition.
fn open_failures(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    for (i, v) in model.verifications.iter().enumerate() {
        if v.result != Some(TestResult::Fail) || v.disposition.is_some() {
            continue;
        }
        let id = VerificationId(i as u32);
        let mut d = gap(
            model.stage,
            codes::OPEN_FAILURE,
            v.meta.name_span,
            format!(
                "verification `{}` failed and has no `disposition`",
                v.meta.name
            ),
        )
        .with_primary_label("`result: fail`")
        .with_help(
            "correct the control and verify it again (a new `verification` with `result: pass`), \
             then record on this one why it no longer stands: `disposition: \"superseded by ...\"`",
        );
        let (controls, several) = controls_linking(analysis, model, id);
        if !controls.is_empty() {
            let verb = if several { "do" } else { "does" };
            d = d.with_note(format!(
                "until it is dispositioned, {controls} {verb} not count as verified"
            ));
        }
        out.push(d);
    }
}

/// W0432, once per verification, naming each component whose version
/// differs from the one tested.
fn stale_evidence(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    let mut by_verification: BTreeMap<VerificationId, Vec<(String, String)>> = BTreeMap::new();
    for evidence in &analysis.evidence {
        for stale in &evidence.stale {
            let entry = by_verification.entry(stale.verification).or_default();
            let pair = (
                model.element(stale.component).meta.name.clone(),
                stale.current.clone(),
            );
            if !entry.contains(&pair) {
                entry.push(pair);
            }
        }
    }
    for (id, components) in by_verification {
        let v = model.verification(id);
        let versions = components
            .iter()
            .map(|(name, version)| format!("`{name}` is at version `{version}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let (message, label) = match &v.tested_version {
            Some(tested) => (
                format!(
                    "verification `{}` tested version `{tested}`, but {versions}",
                    v.meta.name
                ),
                format!("tested `{tested}`"),
            ),
            None => (
                format!(
                    "verification `{}` does not say which version it tested, and {versions}",
                    v.meta.name
                ),
                "no `tested_version`".to_string(),
            ),
        };
        out.push(
            gap(model.stage, codes::STALE_EVIDENCE, v.meta.name_span, message)
                .with_primary_label(label)
                .with_note(format!(
                    "its pass does not count for {}: a version change makes older evidence stale (ISO 13485 7.3.9)",
                    controls_linking(analysis, model, id).0
                ))
                .with_help(
                    "verify the current version and set `tested_version` to it, or record the \
                     change analysis that shows the result still holds in a new verification",
                ),
        );
    }
}

/// E0430: a control that mitigates a threat without counting as verified.
fn relied_on_without_evidence(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    for evidence in &analysis.evidence {
        let control = model.control(evidence.control);
        if control.mitigates.is_empty() {
            continue;
        }
        let Some(shortfall) = evidence.shortfall(model) else {
            continue;
        };
        out.push(
            Diagnostic::error(
                codes::UNVERIFIED_CONTROL,
                control.meta.name_span,
                format!(
                    "control `{}` is relied on without evidence that it works: {shortfall}",
                    control.meta.name
                ),
            )
            .with_primary_label("not verified")
            .with_note(
                "at the submission stage residual risk is judged on verified controls only \
                 (FDA premarket guidance V.C: security testing of each control)",
            )
            .with_help(
                "link a `verification` with `result: pass` (and the component's `tested_version`), \
                 then set `status: verified`; or remove the control from `mitigates`",
            ),
        );
    }
}

/// E0433: a control that mitigates a threat without an acceptance criterion.
fn without_acceptance_criterion(model: &Model, out: &mut Vec<Diagnostic>) {
    for control in &model.controls {
        if control.mitigates.is_empty() || control.acceptance.is_some() {
            continue;
        }
        out.push(
            Diagnostic::error(
                codes::NO_ACCEPTANCE_CRITERION,
                control.meta.name_span,
                format!(
                    "control `{}` has no `acceptance` criterion",
                    control.meta.name
                ),
            )
            .with_primary_label("no criterion its verification is judged against")
            .with_help(
                "add `acceptance: \"...\"`: the measurable result that shows the requirement is met \
                 (a design input needs one, ISO 13485 7.3.3)",
            ),
        );
    }
}
