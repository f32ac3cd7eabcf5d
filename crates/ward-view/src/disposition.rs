//! A threat's `disposition`, resolved: its status, whether it still holds
//! and takes the threat out of open risk (the analysis decided), and the
//! record. Serialises as model.json's `disposition`; the registers and
//! SARIF word it.

use serde::Serialize;
use ward_analysis::DispositionState;
use ward_model::Model;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DispositionView {
    /// `open`, `in_progress`, `mitigated`, `false_positive`, `not_applicable`.
    pub status: &'static str,
    /// `not_applicable` or `false_positive`, and not stale: not open risk.
    pub dispositioned: bool,
    /// Its targets changed since it was decided, or no hash was pinned.
    pub stale: bool,
    pub rationale: Option<String>,
    pub approver: Option<String>,
    pub date: Option<String>,
    pub ticket: Option<String>,
}

impl DispositionView {
    pub fn new(model: &Model, state: &DispositionState) -> DispositionView {
        let d = model.disposition(state.disposition);
        DispositionView {
            status: state.status.as_str(),
            dispositioned: state.dispositioned,
            stale: state.stale,
            rationale: d.rationale.clone(),
            approver: d.approver.clone(),
            date: d.date.clone(),
            ticket: d.ticket.clone(),
        }
    }

    /// The register's words: the rationale with who decided it and when,
    /// and `STALE` first when it no longer holds.
    pub fn record(&self) -> String {
        let mut text = self.rationale.clone().unwrap_or_default();
        match (&self.approver, &self.date) {
            (Some(by), Some(date)) => text.push_str(&format!(" (approved by {by} on {date})")),
            (Some(by), None) => text.push_str(&format!(" (approved by {by})")),
            (None, Some(date)) => text.push_str(&format!(" (decided on {date})")),
            (None, None) => {}
        }
        if self.stale {
            text = format!("STALE: its targets changed since it was decided; {text}");
        }
        text.trim().to_string()
    }
}
