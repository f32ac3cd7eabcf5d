//! Whether each `approval` still holds: the content hash of its scope now,
//! against the hash that was approved (docs/qms.md, "Approvals"). A stale
//! approval is a gap (W0450): re-approval is a human act, so no fix.

use crate::findings::codes::STALE_APPROVAL;
use crate::stage::gap;
use crate::types::{Analysis, ThreatAnalysis};
use serde::Serialize;
use std::fmt::Write;
use ward_diagnostics::Diagnostic;
use ward_model::{sha256_hex, Approval, ApprovalScope, Model};

/// One approval, judged.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApprovalState {
    /// The scope as `ward check --print-hash` names it: `model`, `release`
    /// or `accepts [T, RULE@ELEMENT]`.
    pub scope: String,
    /// `sha256:HEX` of the scope now.
    pub current_hash: String,
    /// `approved_hash` differs from `current_hash`.
    pub stale: bool,
}

/// The state of each approval, indexed like `model.approvals`; `None` where
/// the scope had an error.
pub(crate) fn approval_states(model: &Model, analysis: &Analysis) -> Vec<Option<ApprovalState>> {
    model
        .approvals
        .iter()
        .map(|approval| {
            let scope = approval.scope.as_ref()?;
            let (label, current_hash) = scope_hash(model, analysis, scope);
            Some(ApprovalState {
                stale: approval.approved_hash != current_hash,
                scope: label,
                current_hash,
            })
        })
        .collect()
}

/// Each scope the model's approvals use, after the model scope, once each:
/// `(label, sha256:HEX)`, for `ward check --print-hash`.
pub fn scope_hashes(model: &Model, analysis: &Analysis) -> Vec<(String, String)> {
    let mut out = vec![scope_hash(model, analysis, &ApprovalScope::Model)];
    for scope in model.approvals.iter().filter_map(|a| a.scope.as_ref()) {
        let entry = scope_hash(model, analysis, scope);
        if !out.contains(&entry) {
            out.push(entry);
        }
    }
    out
}

/// The scope's label and content hash. The hashed text is one line per
/// fact (docs/qms.md states it exactly):
/// - `model`: `KIND NAME SHA256` for each declaration and `use` of the
///   model's files (approvals excepted; `stage NAME` for `Ward.toml`'s
///   stage), sorted by kind and name; the digest is that of the
///   declaration as `ward fmt` prints it, without comments;
/// - `release`: the model's lines, then `version VERSION`;
/// - accepts: `accept NAME SHA256` for each accept naming a listed threat,
///   then `threat ID INITIAL PLANNED VERIFIED JUDGED` (risk levels as
///   analysed) for each listed threat, in threat id order.
fn scope_hash(model: &Model, analysis: &Analysis, scope: &ApprovalScope) -> (String, String) {
    let mut text = String::new();
    let label = match scope {
        ApprovalScope::Model | ApprovalScope::Release => {
            for d in &model.content {
                let _ = writeln!(text, "{} {} {}", d.kind, d.name, d.sha256);
            }
            if *scope == ApprovalScope::Release {
                let version = model.system.as_ref().and_then(|s| s.version.as_deref());
                let _ = writeln!(text, "version {}", version.unwrap_or_default());
                "release".to_owned()
            } else {
                "model".to_owned()
            }
        }
        ApprovalScope::Accepts(threats) => {
            let mut accepts: Vec<&str> = model
                .accepts
                .iter()
                .filter(|a| {
                    a.threats
                        .iter()
                        .any(|t| threats.iter().any(|s| s.key == t.key))
                })
                .map(|a| a.meta.name.as_str())
                .collect();
            accepts.sort_unstable();
            accepts.dedup();
            for name in accepts {
                if let Some(d) = model
                    .content
                    .iter()
                    .find(|d| d.kind == "accept" && d.name == name)
                {
                    let _ = writeln!(text, "accept {} {}", d.name, d.sha256);
                }
            }
            let mut analysed: Vec<&ThreatAnalysis> = analysis
                .threats
                .iter()
                .filter(|t| threats.iter().any(|s| s.key == t.key))
                .collect();
            analysed.sort_by(|a, b| a.id.cmp(&b.id));
            for t in &analysed {
                let _ = writeln!(
                    text,
                    "threat {} {} {} {} {}",
                    t.id,
                    t.initial.overall.as_str(),
                    t.planned.risk.overall.as_str(),
                    t.verified.risk.overall.as_str(),
                    t.judged.as_str()
                );
            }
            let ids: Vec<&str> = threats
                .iter()
                .filter_map(|s| analysis.threats.iter().find(|t| t.key == s.key))
                .map(|t| t.id.as_str())
                .collect();
            format!("accepts [{}]", ids.join(", "))
        }
    };
    (label, format!("sha256:{}", sha256_hex(text.as_bytes())))
}

/// W0450 for each approval whose scope changed since it was approved.
pub(crate) fn stale_approvals(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    for (approval, state) in model.approvals.iter().zip(&analysis.approvals) {
        let Some(state) = state.as_ref().filter(|s| s.stale) else {
            continue;
        };
        out.push(stale(approval, state, analysis));
    }
}

fn stale(approval: &Approval, state: &ApprovalState, analysis: &Analysis) -> Diagnostic {
    gap(
        analysis.stage,
        STALE_APPROVAL,
        approval.approved_hash_span,
        format!(
            "approval `{}` is stale: its scope `{}` changed since it was approved",
            approval.meta.name, state.scope
        ),
    )
    .with_primary_label(format!("approved {}", approval.approved_hash))
    .with_note(format!("the scope's hash is now {}", state.current_hash))
    .with_help(format!(
        "have {} ({}) review the change and approve again, then write the new hash \
         (`ward check --print-hash`) with the new date",
        approval.name, approval.role
    ))
}
