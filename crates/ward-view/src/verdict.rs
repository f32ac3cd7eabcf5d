//! The overall verdict on a model at its stage: whether every threat is
//! controlled (or accepted, and the acceptance still holds), decided once
//! here and read by the report's first screen and model.json.

use serde::Serialize;
use ward_analysis::{Analysis, JudgedOn, ThreatAnalysis};
use ward_model::{RiskLevel, Stage};

/// Where one threat stands, for the verdict and the register's status filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreatStatus {
    /// Neither controlled nor accepted.
    Uncontrolled = 0,
    /// Accepted at a level other than the one it is judged at now.
    StaleAcceptance = 1,
    /// Not controlled, and accepted at the level it is judged at.
    Accepted = 2,
    /// Its judged residual risk is one the policy counts as controlled.
    Controlled = 3,
    /// `not_applicable` or `false_positive` by a disposition that still
    /// holds: kept in the registers, not open risk.
    Dispositioned = 4,
}

impl ThreatStatus {
    pub const ALL: [ThreatStatus; 5] = [
        ThreatStatus::Uncontrolled,
        ThreatStatus::StaleAcceptance,
        ThreatStatus::Accepted,
        ThreatStatus::Controlled,
        ThreatStatus::Dispositioned,
    ];

    pub fn of(t: &ThreatAnalysis) -> ThreatStatus {
        if t.disposition.as_ref().is_some_and(|d| d.dispositioned) {
            return ThreatStatus::Dispositioned;
        }
        match (&t.acceptance, t.controlled) {
            (_, true) => ThreatStatus::Controlled,
            (Some(a), false) if a.stale => ThreatStatus::StaleAcceptance,
            (Some(_), false) => ThreatStatus::Accepted,
            (None, false) => ThreatStatus::Uncontrolled,
        }
    }

    /// Its place in [`ThreatStatus::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// As readers see it (and the register's filter values).
    pub fn as_str(self) -> &'static str {
        match self {
            ThreatStatus::Controlled => "controlled",
            ThreatStatus::Accepted => "accepted",
            ThreatStatus::StaleAcceptance => "stale acceptance",
            ThreatStatus::Uncontrolled => "uncontrolled",
            ThreatStatus::Dispositioned => "dispositioned",
        }
    }

    /// Blocks a ready verdict.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ThreatStatus::Uncontrolled | ThreatStatus::StaleAcceptance
        )
    }
}

/// The overall verdict: counts and the sentence a reviewer reads first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// No threat is uncontrolled or stale-accepted.
    pub ready: bool,
    pub stage: &'static str,
    /// Which residual acceptability is judged on (`planned`, `verified`).
    pub judged_on: &'static str,
    pub threats: usize,
    pub controlled: usize,
    pub accepted: usize,
    pub stale_acceptances: usize,
    pub uncontrolled: usize,
    /// `not_applicable` or `false_positive` threats (not open risk).
    pub dispositioned: usize,
    /// Approvals whose scope changed after they were given (W0450).
    pub stale_approvals: usize,
    /// The medical facts the model omits (W0415-W0417), as the summary
    /// names them: then the safety assessment is missing and the model is
    /// not ready, whatever its threats' scores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub safety_not_assessed: Vec<&'static str>,
    /// "Not ready for submission: 3 uncontrolled threats, 1 stale acceptance".
    pub summary: String,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Verdict {
    pub fn new(analysis: &Analysis, approvals: &[crate::ApprovalRecord]) -> Verdict {
        let mut counts = [0usize; ThreatStatus::ALL.len()];
        for t in &analysis.threats {
            counts[ThreatStatus::of(t).index()] += 1;
        }
        let [uncontrolled, stale_acceptances, accepted, controlled, dispositioned] = counts;
        let threats = analysis.threats.len();
        let stale_approvals = approvals.iter().filter(|a| a.stale).count();
        let safety_not_assessed: Vec<&'static str> = analysis
            .missing_medical_facts
            .iter()
            .map(|f| f.as_str())
            .collect();
        let security_ready = uncontrolled == 0 && stale_acceptances == 0 && stale_approvals == 0;
        let ready = security_ready && safety_not_assessed.is_empty();
        let evidence = match analysis.judged_on {
            JudgedOn::Verified => "verified evidence",
            JudgedOn::Planned => "planned controls",
        };
        // A threat whose own score is acceptable counts as controlled with no
        // control at all; the sentence must not credit controls for it.
        let without_controls = analysis
            .threats
            .iter()
            .filter(|t| ThreatStatus::of(t) == ThreatStatus::Controlled && t.controls.is_empty())
            .count();
        let security = if security_ready {
            let mut text = if without_controls == threats && controlled == threats {
                match threats {
                    1 => "The threat is acceptable on its own score, with no control".to_string(),
                    _ => format!(
                        "All {threats} threats acceptable on their own scores, with no control"
                    ),
                }
            } else if threats == 1 {
                format!("The threat is controlled on {evidence}")
            } else {
                format!("All {threats} threats controlled on {evidence}")
            };
            if without_controls > 0 && without_controls < threats {
                text = format!(
                    "{text} ({} acceptable on {} own score with no control)",
                    without_controls,
                    if without_controls == 1 {
                        "its"
                    } else {
                        "their"
                    }
                );
            }
            if accepted > 0 {
                text = format!(
                    "{text}, or accepted ({} accepted)",
                    plural(accepted, "threat", "threats")
                );
            }
            if dispositioned > 0 {
                text = format!(
                    "{text}; {} dispositioned not applicable or false positive",
                    plural(dispositioned, "threat", "threats")
                );
            }
            text
        } else {
            let mut open = Vec::new();
            if uncontrolled > 0 {
                open.push(plural(
                    uncontrolled,
                    "uncontrolled threat",
                    "uncontrolled threats",
                ));
            }
            if stale_acceptances > 0 {
                open.push(plural(
                    stale_acceptances,
                    "stale acceptance",
                    "stale acceptances",
                ));
            }
            if stale_approvals > 0 {
                open.push(plural(stale_approvals, "stale approval", "stale approvals"));
            }
            let not_ready = match analysis.stage {
                Stage::Submission => "Not ready for submission".to_string(),
                Stage::Design => format!("Not ready (design stage, judged on {evidence})"),
            };
            format!("{not_ready}: {}", open.join(", "))
        };
        // Without hazards, ratings or hazard links the scores are security
        // scores only: say so first rather than "controlled".
        let summary = if safety_not_assessed.is_empty() {
            security
        } else {
            format!(
                "Safety assessment missing ({}); security: {security}",
                safety_not_assessed.join(", ")
            )
        };
        Verdict {
            ready,
            stage: analysis.stage.as_str(),
            judged_on: match analysis.judged_on {
                JudgedOn::Verified => "verified",
                JudgedOn::Planned => "planned",
            },
            threats,
            controlled,
            accepted,
            stale_acceptances,
            uncontrolled,
            dispositioned,
            stale_approvals,
            safety_not_assessed,
            summary,
        }
    }
}

/// Threat indexes, highest judged residual risk first, then highest initial
/// risk, then analysis (id) order: the register's default order.
pub fn by_risk(analysis: &Analysis) -> Vec<usize> {
    let mut order: Vec<usize> = (0..analysis.threats.len()).collect();
    let rank = |r: RiskLevel| std::cmp::Reverse(r);
    order.sort_by_key(|&i| {
        let t = &analysis.threats[i];
        (rank(t.judged), rank(t.initial.overall), i)
    });
    order
}
