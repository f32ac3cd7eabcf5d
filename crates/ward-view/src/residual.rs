//! Risk scores and residuals with names resolved: controls, hazards and
//! levels as the policy names them. Serialise as model.json's `initial`,
//! `planned` and `verified`.

use serde::Serialize;
use ward_analysis::{Residual, RiskScore};
use ward_model::Model;

/// A risk score: the security risk, the safety-related security risk (none
/// without a hazard) and the worse of the two.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RiskView {
    pub security: String,
    pub safety: Option<String>,
    pub overall: String,
}

impl RiskView {
    pub fn new(r: &RiskScore) -> RiskView {
        RiskView {
            security: r.security.as_str().into(),
            safety: r.safety.map(|s| s.as_str().into()),
            overall: r.overall.as_str().into(),
        }
    }
}

/// A hazard's severity after controls, and the control that limits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HazardSeverityView {
    pub hazard: String,
    pub severity: String,
    pub limited_by: Option<String>,
}

/// A residual (planned or verified): the controls it counts and what they
/// lower, each value with where it comes from (`capped_by`, `limited_by`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResidualView {
    pub controls: Vec<String>,
    pub reduction: u32,
    pub exploitability: String,
    pub capped_by: Option<String>,
    pub severities: Vec<HazardSeverityView>,
    pub severity: Option<String>,
    pub risk: RiskView,
}

impl ResidualView {
    pub fn new(model: &Model, r: &Residual) -> ResidualView {
        let policy = model.policy();
        let control = |c: ward_model::ControlId| model.control(c).meta.name.clone();
        ResidualView {
            controls: r.controls.iter().map(|&c| control(c)).collect(),
            reduction: r.reduction,
            exploitability: policy.exploitability_name(r.exploitability).to_string(),
            capped_by: r.capped_by.map(control),
            severities: r
                .severities
                .iter()
                .map(|s| HazardSeverityView {
                    hazard: model.hazard(s.hazard).meta.name.clone(),
                    severity: policy.severity_name(s.severity).to_string(),
                    limited_by: s.limited_by.map(control),
                })
                .collect(),
            severity: r.severity.map(|s| policy.severity_name(s).to_string()),
            risk: RiskView::new(&r.risk),
        }
    }
}
