//! What a reviewer asks of an `accept` in a submission: a decision record
//! (who accepted the residual risk, and when; ISO 14971 §7.4 and §8, the
//! records of 21 CFR 820) and, for an unacceptable residual, a real
//! benefit-risk rationale (ISO 14971 §7.4). Reported at the submission
//! stage only; at the design stage an `accept` may still be a draft.

use crate::types::{Analysis, JudgedOn};
use std::collections::HashMap;
use ward_diagnostics::{Code, Diagnostic};
use ward_model::{Accept, AcceptId, Model, RiskLevel, Stage};

/// An `accept` without `approved_by` or without `date`.
pub const ACCEPT_WITHOUT_RECORD: Code = Code::E0434;
/// An accepted unacceptable residual whose `benefit_risk` is a placeholder.
pub const PLACEHOLDER_BENEFIT_RISK: Code = Code::E0435;

/// Written where a rationale should be, they state none. Compared
/// case-insensitively, after trimming.
const PLACEHOLDERS: [&str; 7] = ["", "none", "n/a", "na", "tbd", "-", "todo"];

/// Whether `benefit_risk` states no benefit-risk rationale.
pub fn is_placeholder(benefit_risk: &str) -> bool {
    let text = benefit_risk.trim().to_lowercase();
    PLACEHOLDERS.contains(&text.as_str())
}

/// E0434 and E0435, at the submission stage.
pub(crate) fn acceptance_checks(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    if analysis.stage != Stage::Submission {
        return;
    }
    // The threats each accept covers whose judged residual is unacceptable.
    let mut unacceptable: HashMap<AcceptId, Vec<&str>> = HashMap::new();
    for t in &analysis.threats {
        if let Some(a) = t
            .acceptance
            .as_ref()
            .filter(|_| t.judged == RiskLevel::Unacceptable)
        {
            unacceptable.entry(a.accept).or_default().push(&t.id);
        }
    }
    for (index, accept) in model.accepts.iter().enumerate() {
        out.extend(without_record(accept));
        let threats = unacceptable.get(&AcceptId(index as u32));
        if let Some(threats) =
            threats.filter(|_| is_placeholder(accept.benefit_risk.as_deref().unwrap_or("")))
        {
            out.push(placeholder_benefit_risk(
                accept,
                threats,
                analysis.judged_on,
            ));
        }
    }
}

/// E0434: no `approved_by`, no `date`, or neither.
fn without_record(accept: &Accept) -> Option<Diagnostic> {
    let missing: Vec<&str> = [
        ("approved_by", accept.approved_by.is_none()),
        ("date", accept.date.is_none()),
    ]
    .into_iter()
    .filter_map(|(key, absent)| absent.then_some(key))
    .collect();
    if missing.is_empty() {
        return None;
    }
    Some(
        Diagnostic::error(
            ACCEPT_WITHOUT_RECORD,
            accept.meta.name_span,
            format!(
                "`accept {}` does not record who accepted the residual risk and when: no {}",
                accept.meta.name,
                backticked(&missing, " and ")
            ),
        )
        .with_primary_label("not a decision record")
        .with_help(
            "add `approved_by: \"...\"` (the person or board, and the record's id) and \
             `date: \"YYYY-MM-DD\"`: ISO 14971 §7.4 and §8 and 21 CFR 820 expect the acceptance \
             of a residual risk to be a dated, approved record",
        ),
    )
}

/// E0435 for an accept of `threats`, unacceptable, without a rationale.
fn placeholder_benefit_risk(accept: &Accept, threats: &[&str], judged_on: JudgedOn) -> Diagnostic {
    let which = judged_on.residual_words();
    let stated = match &accept.benefit_risk {
        Some(text) => format!("`benefit_risk: {text:?}` states none"),
        None => "it has no `benefit_risk`".to_string(),
    };
    Diagnostic::error(
        PLACEHOLDER_BENEFIT_RISK,
        accept.benefit_risk_span.unwrap_or(accept.meta.name_span),
        format!(
            "`accept {}` accepts the unacceptable {which} risk of {} without a benefit-risk rationale: {stated}",
            accept.meta.name,
            backticked(threats, ", ")
        ),
    )
    .with_primary_label("no benefit-risk rationale")
    .with_help(
        "name the benefit-risk analysis that shows the medical benefit outweighs this residual \
         risk (ISO 14971 §7.4), e.g. `benefit_risk: \"BRA-2026-03\"`, or lower the risk with a control",
    )
}

fn backticked(items: &[&str], separator: &str) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(separator)
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn placeholders_state_no_rationale_whatever_their_case_and_spaces() {
        for text in [
            "", "  ", "none", "None", " N/A ", "na", "TBD", "-", "ToDo", "\t",
        ] {
            assert!(is_placeholder(text), "{text:?}");
        }
        for text in [
            "BRA-2026-03",
            "none of the alternatives is safer: BRA-7",
            "n/a?",
            "--",
        ] {
            assert!(!is_placeholder(text), "{text:?}");
        }
    }
}
