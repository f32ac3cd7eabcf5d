//! What each control's verifications show (ISO 13485 7.3.6, FDA premarket
//! guidance V.C): whether the control counts as verified, and why not.
//!
//! A control counts as verified when it claims `status: verified` and its
//! evidence holds: at least one passing verification that is current, and
//! no failed verification without a `disposition`. A passing verification is
//! current when every component it covers that declares a `version` was
//! tested at that version (`tested_version`): a version bump makes older
//! evidence stale (ISO 13485 7.3.9).

use serde::Serialize;
use ward_model::{
    Control, ControlId, ControlStatus, ElementId, Model, Target, TestResult, Verification,
    VerificationId, VerificationItem,
};

/// The evidence of one control, indexed like `model.controls`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControlEvidence {
    pub control: ControlId,
    /// Declarations linked in `verification: [...]` with `result: pass`
    /// and current for every covered component.
    pub passing: Vec<VerificationId>,
    /// `result: fail` without a `disposition`: the control is not verified
    /// until the failure is dispositioned.
    pub open_failures: Vec<VerificationId>,
    /// Passing verifications run on another version than a covered
    /// component's, or with no `tested_version` for a versioned component.
    pub stale: Vec<StaleEvidence>,
    /// Counts in the verified residual: claimed `verified`, at least one
    /// current pass, no open failure.
    pub verified: bool,
}

/// A passing verification that no longer speaks for a component.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StaleEvidence {
    pub verification: VerificationId,
    pub component: ElementId,
    /// `tested_version`, when written.
    pub tested: Option<String>,
    /// The component's `version`.
    pub current: String,
}

impl ControlEvidence {
    /// Why the control does not count as verified, in a reader's words;
    /// `None` when it does.
    pub fn shortfall(&self, model: &Model) -> Option<String> {
        if self.verified {
            return None;
        }
        let control = model.control(self.control);
        let name = |v: &VerificationId| format!("`{}`", model.verification(*v).meta.name);
        let mut reasons = Vec::new();
        if control.status != ControlStatus::Verified {
            reasons.push(format!("its status is `{}`", control.status));
        }
        if !self.open_failures.is_empty() {
            let failed: Vec<String> = self.open_failures.iter().map(name).collect();
            reasons.push(format!("{} failed with no disposition", failed.join(", ")));
        }
        if self.passing.is_empty() {
            reasons.push(if self.stale.is_empty() {
                "no verification of it passed".to_string()
            } else {
                "its passing evidence is for another version".to_string()
            });
        }
        Some(reasons.join("; "))
    }
}

/// The evidence of every control, indexed like `model.controls`.
pub fn evidence(model: &Model) -> Vec<ControlEvidence> {
    model
        .controls
        .iter()
        .enumerate()
        .map(|(i, control)| control_evidence(model, ControlId(i as u32), control))
        .collect()
}

fn control_evidence(model: &Model, id: ControlId, control: &Control) -> ControlEvidence {
    let mut passing = Vec::new();
    let mut open_failures = Vec::new();
    let mut stale = Vec::new();
    for item in &control.verification {
        let VerificationItem::Ref { verification, .. } = item else {
            // Inline items have no result: never evidence.
            continue;
        };
        let v = model.verification(*verification);
        match v.result {
            Some(TestResult::Pass) => {
                let outdated = outdated_components(model, control, v);
                if outdated.is_empty() {
                    passing.push(*verification);
                }
                stale.extend(
                    outdated
                        .into_iter()
                        .map(|(component, current)| StaleEvidence {
                            verification: *verification,
                            component,
                            tested: v.tested_version.clone(),
                            current,
                        }),
                );
            }
            Some(TestResult::Fail) if v.disposition.is_none() => open_failures.push(*verification),
            _ => {}
        }
    }
    let verified = control.status == ControlStatus::Verified
        && !passing.is_empty()
        && open_failures.is_empty();
    ControlEvidence {
        control: id,
        passing,
        open_failures,
        stale,
        verified,
    }
}

/// The components a verification covers for this control: the elements of
/// its `scope` that implement the control (all of its scope when none
/// does), else, without a scope, the control's `implemented_in`.
pub fn covered_components(control: &Control, verification: &Verification) -> Vec<ElementId> {
    let scope: Vec<ElementId> = verification
        .scope
        .iter()
        .filter_map(|t| match t {
            Target::Element(e) => Some(*e),
            Target::Flow(_) => None,
        })
        .collect();
    if scope.is_empty() {
        return control.implemented_in.clone();
    }
    let implementing: Vec<ElementId> = scope
        .iter()
        .copied()
        .filter(|e| control.implemented_in.contains(e))
        .collect();
    if implementing.is_empty() {
        scope
    } else {
        implementing
    }
}

/// Covered components that declare a `version` other than the one tested,
/// with their version.
fn outdated_components(
    model: &Model,
    control: &Control,
    verification: &Verification,
) -> Vec<(ElementId, String)> {
    covered_components(control, verification)
        .into_iter()
        .filter_map(|e| {
            let current = model.element(e).version.as_ref()?;
            (verification.tested_version.as_ref() != Some(current)).then(|| (e, current.clone()))
        })
        .collect()
}
