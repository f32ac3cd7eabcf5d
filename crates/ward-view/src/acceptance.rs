//! A threat's `accept`, resolved: the accepted level, whether it is stale
//! (the analysis decided), and the accept's own record. Serialises as
//! model.json's `acceptance`; the risk register words it.

use serde::Serialize;
use ward_analysis::Acceptance;
use ward_model::Model;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AcceptanceView {
    pub level: String,
    /// The accepted level differs from the judged residual risk.
    pub stale: bool,
    pub rationale: String,
    pub benefit: Option<String>,
    pub benefit_risk: Option<String>,
    pub approved_by: Option<String>,
    pub date: Option<String>,
}

impl AcceptanceView {
    pub fn new(model: &Model, a: &Acceptance) -> AcceptanceView {
        let accept = model.accept(a.accept);
        AcceptanceView {
            level: a.level.as_str().into(),
            stale: a.stale,
            rationale: accept.rationale.clone(),
            benefit: accept.benefit.clone(),
            benefit_risk: accept.benefit_risk.clone(),
            approved_by: accept.approved_by.clone(),
            date: accept.date.clone(),
        }
    }
}
