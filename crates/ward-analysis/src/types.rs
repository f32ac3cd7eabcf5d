//! The analysed model: plain data, the single input of renderers and the
//! language server. Ids are the model's index newtypes; names are resolved
//! through the [`ward_model::Model`] the analysis was made from.

use serde::Serialize;
use ward_diagnostics::{Diagnostic, Span};
use ward_model::{
    AcceptId, AttackVector, CiaLevel, ControlCategory, ControlId, DataId, DispositionId,
    DispositionStatus, ElementId, FlowId, HazardId, Level, RiskLevel, RuleId, SecurityProperty,
    Stage, Stride, Target, ThreatId, ThreatKey, VulnerabilityId, ZoneId,
};

/// Everything `analyze` derives from a model.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    /// Hand-written and rule-generated threats, sorted by id.
    pub threats: Vec<ThreatAnalysis>,
    /// Facts per component or actor, indexed like `model.elements`.
    pub elements: Vec<ElementFacts>,
    /// Facts per flow direction, indexed like `model.flows`.
    pub flows: Vec<FlowFacts>,
    /// Attack paths (spec §4.9 as refined in docs/risk.md): one per
    /// reachable hazard target, in target order; threats refer to them by
    /// index.
    pub paths: Vec<AttackPath>,
    /// FDA control-category coverage per component (computed whether or not
    /// the model uses `std::fda`; the finding needs `use std::fda`).
    pub coverage: Vec<ComponentCoverage>,
    /// What each control's verifications show, indexed like
    /// `model.controls`: the verified residual counts only controls whose
    /// evidence holds.
    pub evidence: Vec<crate::evidence::ControlEvidence>,
    /// The analysis findings (spec §4.8), sorted by position.
    pub findings: Vec<Diagnostic>,
    /// False when the rules generate more threats than the model's budget
    /// (`rules::threat_budget`): then `threats` and `paths` are empty and
    /// `findings` holds only the E0420 error, and nothing may be rendered.
    #[serde(skip)]
    pub within_budget: bool,
    /// The stage the model was judged at (the model's, or `--stage`).
    pub stage: Stage,
    /// Which residual acceptability is judged on, for every threat.
    pub judged_on: JudgedOn,
    /// Each approval's scope hash now and whether it is stale, indexed like
    /// `model.approvals` (`None` where the scope had an error).
    pub approvals: Vec<Option<crate::approvals::ApprovalState>>,
    /// The medical facts the model omits (hazards, data ratings, hazard
    /// links): its safety assessment is missing when any is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_medical_facts: Vec<crate::MissingMedicalFact>,
}

/// Which of a threat's two residuals decides acceptability: the verified
/// one at the submission stage or when the policy sets `require_verified`,
/// else the planned one. Decided once, in the analysis; every presenter
/// reads it from here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JudgedOn {
    Planned,
    Verified,
}

impl JudgedOn {
    pub fn of(model: &ward_model::Model) -> JudgedOn {
        if model.stage == Stage::Submission || model.policy().require_verified {
            JudgedOn::Verified
        } else {
            JudgedOn::Planned
        }
    }
    /// "residual" or "verified residual", for messages.
    pub fn residual_words(self) -> &'static str {
        match self {
            JudgedOn::Planned => "residual",
            JudgedOn::Verified => "verified residual",
        }
    }
}

impl ThreatAnalysis {
    /// The controls the planned residual counts that the verified one does
    /// not: what the planned residual rests on without evidence.
    pub fn unverified_controls(&self) -> Vec<ControlId> {
        self.planned
            .controls
            .iter()
            .copied()
            .filter(|c| !self.verified.controls.contains(c))
            .collect()
    }
    /// The planned residual is better than the verified one: acceptability
    /// judged on planned controls rests on unverified ones.
    pub fn rests_on_unverified(&self) -> bool {
        self.verified.risk.overall > self.planned.risk.overall
    }
    /// The residual acceptability is judged on.
    pub fn judged_residual(&self, judged_on: JudgedOn) -> &Residual {
        match judged_on {
            JudgedOn::Planned => &self.planned,
            JudgedOn::Verified => &self.verified,
        }
    }
}

impl Analysis {
    /// The threat with this id (`replay_bolus`, `rule@f_dose`).
    pub fn threat(&self, id: &str) -> Option<&ThreatAnalysis> {
        self.threats
            .binary_search_by(|t| t.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.threats[i])
    }
    /// The threat with this key.
    pub fn threat_by_key(&self, key: ThreatKey) -> Option<&ThreatAnalysis> {
        self.threats.iter().find(|t| t.key == key)
    }
}

/// Where a threat comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A `threat` declaration.
    Hand,
    /// A rule match.
    Rule,
    /// A known vulnerability of software a component runs.
    Vulnerability,
}

/// How the initial exploitability was obtained.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "source", rename_all = "lowercase")]
pub enum ExploitabilitySource {
    /// `exploitability: LEVEL` on a hand-written threat.
    Hand,
    /// `cvss: "..."` on a hand-written threat.
    Cvss {
        vector: String,
        base_score: f64,
        exploitability_subscore: f64,
    },
    /// The level of the generating rule (stdlib levels mapped by rank).
    Rule { rule: RuleId, from_stdlib: bool },
    /// A known vulnerability: the policy's band of its CVSS exploitability
    /// sub-score, else the default `high` (no vector), raised to at least
    /// `high` by a KEV listing (docs/risk.md §5.1).
    Vulnerability {
        vulnerability: VulnerabilityId,
        /// The vector and its scores, when the record gives one.
        cvss: Option<CvssScores>,
        kev: bool,
        /// The KEV listing raised the level above the CVSS band.
        raised_by_kev: bool,
    },
}

/// A CVSS vector with its base score and exploitability sub-score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CvssScores {
    pub vector: String,
    pub base_score: f64,
    pub exploitability_subscore: f64,
}

/// A property a threat breaks, over which data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BrokenProperty {
    pub property: SecurityProperty,
    /// Repudiation alone breaks integrity of `log` data only.
    pub log_data_only: bool,
}

/// Security, safety and overall risk at one point (initial or residual).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RiskScore {
    /// `security_matrix[impact][exploitability]`.
    pub security: RiskLevel,
    /// `matrix[severity][exploitability]`, for threats with hazards.
    pub safety: Option<RiskLevel>,
    /// The worse of the two.
    pub overall: RiskLevel,
}

/// A hazard's residual severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct HazardSeverity {
    pub hazard: HazardId,
    pub severity: Level,
    /// The control whose `limits` set it (the lowest cap), if any lowered it.
    pub limited_by: Option<ControlId>,
    /// The safety-related risk of this hazard: `matrix[severity]` at the
    /// residual's exploitability (the safety transfer lists it per hazard).
    pub safety_risk: RiskLevel,
}

/// A residual risk over one set of controls (spec §4.7).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Residual {
    /// The controls counted (mitigating, not `information_for_safety`; for
    /// the verified residual, only those whose evidence holds).
    pub controls: Vec<ControlId>,
    /// Exploitability levels removed before the `residual_exploitability` caps.
    pub reduction: u32,
    /// The initial exploitability lowered by `reduction`, before the caps.
    pub lowered: Level,
    pub exploitability: Level,
    /// The control whose `residual_exploitability` set the level, when a cap
    /// was lower than the reduced level.
    pub capped_by: Option<ControlId>,
    /// Per hazard (in the threat's hazard order).
    pub severities: Vec<HazardSeverity>,
    /// The highest residual hazard severity.
    pub severity: Option<Level>,
    pub risk: RiskScore,
}

/// An `accept` of a threat.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Acceptance {
    pub accept: AcceptId,
    pub level: RiskLevel,
    /// The accepted level differs from the judged residual risk.
    pub stale: bool,
}

/// The `disposition` of a threat, judged (docs/language.md §3.21).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DispositionState {
    pub disposition: DispositionId,
    pub status: DispositionStatus,
    /// `sha256:HEX` of the threat's target declarations now.
    pub current_hash: String,
    /// `target_hash` differs from `current_hash`, or is missing on a
    /// `not_applicable` or `false_positive` disposition.
    pub stale: bool,
    /// `not_applicable` or `false_positive`, and not stale: kept in every
    /// register, but not open risk.
    pub dispositioned: bool,
}

/// One analysed threat.
#[derive(Clone, Debug, Serialize)]
pub struct ThreatAnalysis {
    /// The threat's id, or `RULE@ELEMENT`.
    pub id: String,
    pub title: String,
    pub key: ThreatKey,
    pub origin: Origin,
    /// The generating rule's id (rule-generated threats).
    pub rule: Option<String>,
    pub stride: Vec<Stride>,
    pub targets: Vec<Target>,
    /// In data declaration order.
    pub affected_data: Vec<DataId>,
    pub broken: Vec<BrokenProperty>,
    /// An event-detection gap (its rule declares `detection_gap: true`): a
    /// missing record of the actions on its affected data, which hides harm
    /// rather than causing it, so it has no hazards.
    pub detection_gap: bool,
    /// In hazard declaration order.
    pub hazards: Vec<HazardId>,
    /// The highest hazard severity.
    pub severity: Option<Level>,
    pub exploitability: Level,
    pub exploitability_source: ExploitabilitySource,
    /// The highest level among the affected data of the broken properties,
    /// or the threat's `impact` when stated by hand.
    pub impact: CiaLevel,
    /// `impact` is the threat's own `impact`, not derived from the data.
    pub impact_by_hand: bool,
    pub initial: RiskScore,
    /// Every control that names the threat in `mitigates`, in declaration
    /// order (`information_for_safety` ones included).
    pub controls: Vec<ControlId>,
    pub planned: Residual,
    pub verified: Residual,
    /// The judged residual's risk (see [`JudgedOn`]).
    pub judged: RiskLevel,
    /// `judged` is in the policy's `controlled` list.
    pub controlled: bool,
    /// Named by an `information_for_safety` control: residual risk disclosed
    /// to the user.
    pub transferred: bool,
    pub acceptance: Option<Acceptance>,
    /// Its `disposition`, if any.
    pub disposition: Option<DispositionState>,
    pub multi_patient: bool,
    /// When what the threat alters (it breaks integrity) reaches a `fleet:
    /// shared` element downstream of a target along flows, and its targets
    /// are not multi-patient themselves: the nearest such element (for the
    /// first target that has one). It is why the threat is multi-patient
    /// (docs/risk.md §10).
    pub shared_reached: Option<ElementId>,
    /// Where the attacker must be (the rule's `attack_vector`, a CVSS
    /// vector's AV, else `network`).
    pub attack_vector: AttackVector,
    /// For a proximity threat (`adjacent`, `physical`): where its sequence
    /// of events starts, near the target in its zone; it then has no `paths`.
    pub proximity: Option<ProximityStart>,
    /// Indexes into `Analysis::paths`: the shortest modelled paths from an
    /// entry point that contain one of its targets (none for a proximity
    /// threat).
    pub paths: Vec<usize>,
    pub capec: Vec<u32>,
    pub cwe: Vec<u32>,
    /// FDA categories the rule suggests (rule-generated threats).
    pub suggest: Vec<ControlCategory>,
    /// Where findings about it are reported: the threat's id, or for a
    /// rule-generated threat its element's id.
    pub span: Span,
    /// Hand-written threats.
    pub threat: Option<ThreatId>,
}

/// Facts about one component or actor.
#[derive(Clone, Debug, Serialize)]
pub struct ElementFacts {
    pub element: ElementId,
    /// Some flow into or out of it crosses a trust boundary.
    pub crosses_boundary: bool,
    /// The target of a request from a zone of trust `untrusted` or lower, or
    /// from an exposed `proxy` (see `graph::ElementInfo::exposed`).
    pub exposed: bool,
    /// Sits in a zone of trust `untrusted` or lower: an attack entry point.
    pub entry: bool,
    pub multi_patient: bool,
    pub flows_in: Vec<FlowId>,
    pub flows_out: Vec<FlowId>,
}

/// Facts about one flow direction.
#[derive(Clone, Debug, Serialize)]
pub struct FlowFacts {
    pub flow: FlowId,
    pub crosses_boundary: bool,
    pub from_lower_trust: bool,
    pub multi_patient: bool,
}

/// The attack path to a hazard-bearing component: one shortest path from
/// the nearest entry element (no flows when the component is itself an
/// entry), and how many entry elements reach it by any path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttackPath {
    pub entry: ElementId,
    pub target: ElementId,
    pub flows: Vec<FlowId>,
    pub entries: u32,
}

/// Where a proximity threat's attacker starts: near `element` (a target, or
/// a flow target's destination), in its zone, on no modelled flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ProximityStart {
    pub element: ElementId,
    pub zone: ZoneId,
}

/// The FDA control categories implemented in one component.
#[derive(Clone, Debug, Serialize)]
pub struct ComponentCoverage {
    pub element: ElementId,
    /// Per category present, the controls implemented in the component.
    pub covered: Vec<(ControlCategory, Vec<ControlId>)>,
    pub missing: Vec<ControlCategory>,
    /// The coverage finding considers it (it has software or interfaces).
    pub checked: bool,
}
