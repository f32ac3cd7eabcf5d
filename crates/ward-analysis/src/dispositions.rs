//! Whether each `disposition` still holds: the content hash of its
//! threat's target declarations now, against the `target_hash` it was
//! decided on (docs/language.md §3.21). A stale disposition is a gap
//! (W0162) whose fix, offered to editors and never applied by `ward check --fix`, writes the current hash, and a stale `not_applicable`
//! or `false_positive` threat is open risk again. `mitigated` without a
//! verified control is W0161.

use crate::findings::codes::{MITIGATED_WITHOUT_EVIDENCE, STALE_DISPOSITION};
use crate::stage::gap;
use crate::types::{Analysis, DispositionState};
use std::fmt::Write;
use ward_diagnostics::{Applicability, Diagnostic, Edit, Fix};
use ward_model::{sha256_hex, DispositionId, DispositionStatus, Model, Target};

/// The disposition `id` of a threat on `targets`, judged.
pub fn judge(model: &Model, id: DispositionId, targets: &[Target]) -> DispositionState {
    let disposition = model.disposition(id);
    let current_hash = target_hash(model, targets);
    let stale = match &disposition.target_hash {
        Some(hash) => *hash != current_hash,
        None => disposition.status.is_dispositioned(),
    };
    DispositionState {
        disposition: id,
        status: disposition.status,
        current_hash,
        stale,
        dispositioned: disposition.status.is_dispositioned() && !stale,
    }
}

/// `sha256:HEX` of the lines `KIND NAME SHA256` of the target declarations
/// (a flow's direction counts as its declaration), sorted: the same
/// digests as approvals' content hashes (docs/qms.md).
pub fn target_hash(model: &Model, targets: &[Target]) -> String {
    let mut lines: Vec<String> = targets
        .iter()
        .filter_map(|&target| {
            let (kinds, name): (&[&str], &str) = match target {
                Target::Element(e) => (&["component", "actor"], &model.element(e).meta.name),
                Target::Flow(f) => {
                    let forward = model.flow(f).reverse_of.unwrap_or(f);
                    (&["flow"], &model.flow(forward).meta.name)
                }
            };
            model
                .content
                .iter()
                .find(|d| kinds.contains(&d.kind) && d.name == *name)
                .map(|d| format!("{} {} {}", d.kind, d.name, d.sha256))
        })
        .collect();
    lines.sort_unstable();
    lines.dedup();
    let mut text = String::new();
    for line in lines {
        let _ = writeln!(text, "{line}");
    }
    format!("sha256:{}", sha256_hex(text.as_bytes()))
}

/// W0161 and W0162, once per disposition (a threat's own).
pub(crate) fn disposition_findings(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    for threat in &analysis.threats {
        let Some(state) = &threat.disposition else {
            continue;
        };
        let disposition = model.disposition(state.disposition);
        let status_span = disposition
            .status_span
            .unwrap_or(disposition.meta.name_span);
        let verified = threat
            .controls
            .iter()
            .any(|c| analysis.evidence[c.index()].verified);
        if state.status == DispositionStatus::Mitigated && !verified {
            out.push(
                Diagnostic::warning(
                    MITIGATED_WITHOUT_EVIDENCE,
                    status_span,
                    format!(
                        "threat `{}` is marked `mitigated`, but none of its controls is verified",
                        threat.id
                    ),
                )
                .with_primary_label("planned controls are not evidence")
                .with_label(threat.span, format!("`{}` is declared here", threat.id))
                .with_help(
                    "keep it `in_progress` until a control's verification passes, or record \
                     the passing result; the risk is judged on the controls, not on this status",
                ),
            );
        }
        if state.stale {
            out.push(stale(model, analysis, threat, state));
        }
    }
}

/// W0162, with the fix that writes the current hash.
fn stale(
    model: &Model,
    analysis: &Analysis,
    threat: &crate::types::ThreatAnalysis,
    state: &DispositionState,
) -> Diagnostic {
    let disposition = model.disposition(state.disposition);
    let hash = format!("\"{}\"", state.current_hash);
    let (span, message, edit) = match disposition.target_hash_span {
        Some(span) => (
            span,
            format!(
                "stale disposition of `{}`: its targets changed since it was decided",
                threat.id
            ),
            Some(Edit::replace(span, hash)),
        ),
        None => (
            disposition
                .status_span
                .unwrap_or(disposition.meta.name_span),
            format!(
                "the disposition of `{}` pins no `target_hash`: a change to its targets would go unnoticed",
                threat.id
            ),
            disposition.new_property_at.map(|at| {
                Edit::insert(at.file, at.start as usize, format!("\n  target_hash: {hash}"))
            }),
        ),
    };
    let open_again = match disposition.status.is_dispositioned() {
        true => format!("; until then `{}` counts as open risk", threat.id),
        false => String::new(),
    };
    let mut d = gap(analysis.stage, STALE_DISPOSITION, span, message)
        .with_primary_label(format!("the targets' hash is now `{}`", state.current_hash))
        .with_help(format!(
            "review the decision against its targets as they are now, then write their \
             current hash (the editor's quick fix does; `ward check --fix` never does, \
             since writing it re-approves the decision){open_again}"
        ));
    if let Some(edit) = edit {
        // Writing the hash re-approves the decision, so it needs a person:
        // editors offer it, `ward check --fix` leaves it.
        d = d.with_fix(Fix::new(
            "Write the targets' current hash (after review)",
            Applicability::Unsafe,
            vec![edit],
        ));
    }
    d
}
