//! Ward analysis: model graph, STRIDE rule engine, risk scoring, attack
//! paths, multi-patient reach, FDA coverage and findings (spec §4).
//!
//! [`analyze`] turns a [`ward_model::Model`] into an [`Analysis`]: plain,
//! serialisable data that renderers and the language server consume.
//! [`explain_risk`] prints how one threat's risk was derived.

pub mod acceptance_checks;
mod analyze;
mod completeness;
pub mod coverage;
pub mod eval;
pub mod evidence;
mod evidence_findings;
mod explain;
pub mod findings;
pub mod graph;
pub mod multi_patient;
pub mod paths;
pub mod risk;
pub mod rules;
mod stage;
mod table;
mod types;
mod zone_owner;

#[cfg(test)]
mod testkit;

pub use analyze::analyze;
pub use evidence::{ControlEvidence, StaleEvidence};
pub use explain::explain_risk;
pub use findings::codes;
pub use graph::ModelGraph;
pub use table::{risk_table, stride_letters};
pub use types::*;
