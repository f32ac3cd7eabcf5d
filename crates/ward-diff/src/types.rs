//! What changed between two analysed models: plain data (serde), the single
//! input of the four formats. Its JSON form is documented in docs/diff.md and
//! docs/diff-schema.json; `SCHEMA_VERSION` changes when a field does.

use serde::Serialize;

/// The version of the JSON form (`ward diff --format json`).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct ModelDiff {
    pub schema_version: u32,
    pub old: SideSummary,
    pub new: SideSummary,
    /// `identical`, `provenance_only` (the sources changed, e.g. a comment,
    /// but no declaration or analysed fact did) or `changed`.
    pub verdict: Verdict,
    /// Declarations whose id changed through `renamed_from`.
    pub renames: Vec<Rename>,
    /// Declarations added, removed or with changed properties (matched by
    /// id, renames followed), rule-generated threats aside.
    pub declarations: Vec<DeclarationChange>,
    /// Analysed threats added, removed or with changed facts, each with the
    /// inputs that changed.
    pub threats: Vec<ThreatChange>,
    /// Controls added, removed, changed, or whose evidence changed.
    pub controls: Vec<ControlChange>,
    pub verifications_invalidated: Vec<InvalidatedVerification>,
    pub acceptances_made_stale: Vec<StaleAcceptance>,
    pub hazards: HazardReach,
    pub findings: FindingChanges,
    pub summary: Summary,
}

/// One side of the comparison.
#[derive(Clone, Debug, Serialize)]
pub struct SideSummary {
    /// What was named on the command line (a folder, a `Ward.toml`, a revision).
    pub label: String,
    /// The commit a revision resolved to.
    pub commit: Option<String>,
    /// `sources.sha256` of model.json: the provenance of the side.
    pub sources_sha256: String,
    pub stage: String,
    /// Which residual acceptability was judged on (`planned`, `verified`).
    pub judged_on: String,
    pub threats: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Identical,
    ProvenanceOnly,
    Changed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rename {
    /// The declaration keyword (`component`, `rule`, ...).
    pub kind: String,
    pub from: String,
    pub to: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    Changed,
    /// Renamed, possibly with changed fields too.
    Renamed,
}

/// A field that differs; values are as written in source (names, levels),
/// `null` when unset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeclarationChange {
    pub kind: String,
    /// The id in NEW (in OLD when removed).
    pub id: String,
    pub change: Change,
    /// The id in OLD when renamed.
    pub previous_id: Option<String>,
    pub fields: Vec<FieldChange>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Increase,
    Decrease,
    Same,
}

#[derive(Clone, Debug, Serialize)]
pub struct ThreatChange {
    /// `RULE@ELEMENT` or the threat's id, in NEW (in OLD when removed).
    pub id: String,
    pub change: Change,
    pub previous_id: Option<String>,
    pub title: String,
    /// Initial, planned and verified residual, judged risk, severity,
    /// exploitability, controlled, multi-patient, hazards, controls, acceptance.
    pub fields: Vec<FieldChange>,
    /// Of the judged residual risk (an added threat: `increase`, a removed
    /// one: `decrease`).
    pub risk: Direction,
    /// Not controlled in NEW (false when removed).
    pub uncontrolled: bool,
    /// The inputs that changed: `control `auth` changed: status verified -> proposed`.
    pub reasons: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ControlChange {
    pub id: String,
    pub change: Change,
    pub previous_id: Option<String>,
    /// Requirement, acceptance criterion, status and every other property,
    /// then the evidence (`evidence_holds`, `stale_evidence`, `open_failures`).
    pub fields: Vec<FieldChange>,
}

#[derive(Clone, Debug, Serialize)]
pub struct InvalidatedVerification {
    pub id: String,
    /// Why it no longer shows what it showed.
    pub reason: String,
    /// The controls whose evidence it was.
    pub controls: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StaleAcceptance {
    pub threat: String,
    /// The accepted level.
    pub accepted: String,
    /// The judged residual risk it no longer matches.
    pub judged: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct HazardReach {
    /// Hazards some threat reaches in NEW and none did in OLD.
    pub newly_reached: Vec<String>,
    pub no_longer_reached: Vec<String>,
    /// Threats that became multi-patient.
    pub newly_multi_patient: Vec<String>,
    pub no_longer_multi_patient: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct FindingChanges {
    pub introduced: Vec<Finding>,
    pub resolved: Vec<Finding>,
}

/// A finding by its location-independent key: code and message (OLD's
/// message with renamed ids replaced).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub code: String,
    pub severity: String,
    pub message: String,
}

/// The counts `--fail-on` reads.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Threats added, or whose initial, planned, verified or judged risk rose.
    pub risk_increases: Vec<String>,
    /// Threats not controlled in NEW that were controlled in OLD or absent.
    pub new_uncontrolled: Vec<String>,
    pub stale_acceptances: usize,
    /// Content changes of every kind (renames, declarations, threats,
    /// controls, verifications, acceptances, hazards, findings).
    pub changes: usize,
}
