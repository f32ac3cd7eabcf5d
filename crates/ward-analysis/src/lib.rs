//! Ward analysis: model graph, STRIDE rule engine, risk scoring, attack
//! paths, multi-patient reach, FDA coverage and findings (spec §4).
//!
//! [`analyze`] turns a [`ward_model::Model`] into an [`Analysis`]: plain,
//! serialisable data. The crate produces no presentation text beyond its
//! findings' messages: `ward-view` resolves the analysis for presenters.

pub mod acceptance_checks;
mod analyze;
pub mod approvals;
mod completeness;
pub mod coverage;
pub mod dispositions;
pub mod eval;
pub mod evidence;
mod evidence_findings;
pub mod findings;
pub mod graph;
pub mod medical_facts;
pub mod multi_patient;
mod patch_timelines;
pub mod paths;
mod postmarket;
pub mod risk;
pub mod rules;
mod software_support;
mod stage;
mod types;
pub mod vulnerabilities;
mod vulnerability_findings;
mod zone_owner;

#[cfg(test)]
mod testkit;

pub use analyze::{analyze, analyze_compiled};
pub use evidence::{ControlEvidence, StaleEvidence};
pub use findings::codes;
pub use graph::ModelGraph;
pub use medical_facts::MissingMedicalFact;
pub use types::*;
