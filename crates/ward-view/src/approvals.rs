//! Each approval with its state, resolved once for every presenter
//! (model.json, the report, the design-history index).

use crate::declarations::Location;
use serde::Serialize;
use ward_analysis::Analysis;
use ward_diagnostics::SourceMap;
use ward_model::{ApprovalScope, Model};

/// One `approval` and whether it still covers the model.
#[derive(Clone, Debug, Serialize)]
pub struct ApprovalRecord {
    pub id: String,
    pub role: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `model`, `release` or `accepts`.
    pub scope: &'static str,
    /// The threats of an accepts scope, by id; empty otherwise.
    pub threats: Vec<String>,
    pub approved_hash: String,
    /// The scope's content hash now.
    pub current_hash: String,
    /// The scope changed since it was approved (W0450).
    pub stale: bool,
    pub note: Option<String>,
    pub location: Option<Location>,
}

impl ApprovalRecord {
    /// A model or release approval covers every artifact.
    pub fn covers_everything(&self) -> bool {
        self.scope != "accepts"
    }
}

/// The approvals whose scope could be judged, in declaration order.
pub(crate) fn approval_records(
    model: &Model,
    analysis: &Analysis,
    sources: &SourceMap,
) -> Vec<ApprovalRecord> {
    model
        .approvals
        .iter()
        .zip(&analysis.approvals)
        .filter_map(|(a, state)| {
            let state = state.as_ref()?;
            let (scope, threats) = match a.scope.as_ref()? {
                ApprovalScope::Model => ("model", Vec::new()),
                ApprovalScope::Release => ("release", Vec::new()),
                ApprovalScope::Accepts(list) => (
                    "accepts",
                    list.iter().map(|t| model.threat_key_name(t.key)).collect(),
                ),
            };
            Some(ApprovalRecord {
                id: a.meta.name.clone(),
                role: a.role.clone(),
                name: a.name.clone(),
                date: a.date.clone(),
                scope,
                threats,
                approved_hash: a.approved_hash.clone(),
                current_hash: state.current_hash.clone(),
                stale: state.stale,
                note: a.note.clone(),
                location: Location::of(sources, a.meta.name_span),
            })
        })
        .collect()
}
