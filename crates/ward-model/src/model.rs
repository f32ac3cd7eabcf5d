//! The typed semantic model: what a set of `.ward` files means once names are
//! resolved, values typed and every default of the language (spec §2) filled in.
//!
//! # How analysis uses it
//!
//! - Every declaration lives in one `Vec` of [`Model`]; the index newtypes
//!   ([`ZoneId`], [`ElementId`], ...) index into them (`model.zones[id.index()]`,
//!   or `model.zone(id)`). Order is declaration order: files in load order,
//!   declarations in file order. Ids are only meaningful within one `Model`.
//! - Components and actors are both [`Element`]s (graph nodes); flows are
//!   edges. A `<->` flow is two [`Flow`]s: the forward one named `f` and the
//!   reverse one named `f.reverse` (source and target swapped, same
//!   properties, `reverse_of: Some(forward)`; the forward one has
//!   `reverse: Some(reverse)`). Both share the declaration's spans. A
//!   `->` flow with `returns` is two flows the same way; its reverse, the
//!   response direction, carries `returns` and has `is_response`.
//! - Defaults are already applied (physical access and trust inherited from
//!   enclosing zones, `controlled_by` from the element's zone, `updatable`
//!   from the component's kind, ...), so analysis never looks at "not
//!   given". The one exception is an owner (`controlled_by`) nobody wrote:
//!   it stays `None`, "not stated", because no default owner is true of
//!   every zone.
//! - Levels ([`Level`]) index into the scales of the policy in force
//!   (`model.policy()`), which is always present and well formed (complete
//!   matrices): analysis may index its matrices without checks.
//! - `model.rules` are exactly the rules that apply: those declared in the
//!   model plus the stdlib ones when `use std::stride` is present. Stdlib rule
//!   levels are already mapped onto the model's exploitability scale.
//! - A rule's `when` is a [`TypedExpr`] whose literals are resolved to enum
//!   values and ids; analysis evaluates it per element of the rule's
//!   [`RuleTarget`] kind (attribute semantics in spec §2 "rule"). A rule whose
//!   `when` had type errors holds `TypedExpr::Bool(false)` and so yields
//!   no threat.
//! - A partial model (compile errors present) is still consistent: every id
//!   stored anywhere is valid. Unresolved references are simply left out of
//!   lists (or `None` where optional); a missing or invalid required value
//!   gets a documented fallback (noted on each field). Analysis may run on a
//!   partial model (the language server does) but its results then only
//!   serve the editor.
//! - [`Threat`]s here are the hand-written ones. Rule-generated threats are
//!   analysis's: it names them `RULE@ELEMENT` and matches them against
//!   [`ThreatKey::Generated`] in `mitigates` and `accept`. The model only
//!   checked that the rule exists and applies to that element's kind;
//!   whether `when` holds (else the "stale reference" warning) is analysis's.
//! - [`SymbolIndex`] is for the language server: every declaration and every
//!   reference occurrence with what it resolves to.

use serde::Serialize;
use ward_diagnostics::{FileId, Fix, Span};
use ward_syntax::ast::{CompareOp, DeclKind};

macro_rules! index_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
            pub fn from_index(i: usize) -> $name {
                $name(i as u32)
            }
        }
    )*};
}

index_id!(
    ZoneId,
    DataId,
    /// A component or an actor.
    ElementId,
    /// One direction of a flow.
    FlowId,
    HazardId,
    /// A hand-written threat.
    ThreatId,
    RuleId,
    ControlId,
    VerificationId,
    AssumptionId,
    UsecaseId,
    AcceptId,
    PolicyId,
    ApprovalId,
    SoftwareId,
    /// A `vulnerability` declaration or a feed record (docs/lifecycle.md).
    VulnerabilityId,
    AnomalyId,
    MonitoringId,
    DispositionId,
);

/// A level of one of the policy's scales (severity or exploitability): its
/// index, lowest first. The policy gives its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Level(pub u32);

impl Level {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Defines a closed value set: the enum, `ALL` in order (lowest first for
/// ordered scales), `as_str()` (the spelling in source) and `parse()`.
macro_rules! closed_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The spellings of `ALL`, in order.
            pub const NAMES: &'static [&'static str] = &[$($text),*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }
            /// The allowed spellings, for help lines.
            pub fn names() -> Vec<&'static str> {
                Self::NAMES.to_vec()
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

closed_enum!(ComponentKind {
    Device = "device",
    Firmware = "firmware",
    MobileApp = "mobile_app",
    WebApp = "web_app",
    Service = "service",
    Gateway = "gateway",
    Datastore = "datastore",
    CloudService = "cloud_service",
    Process = "process",
    // v2 kinds (issue #16; docs/language.md "Component defaults").
    Proxy = "proxy",
    IdentityProvider = "identity_provider",
    CiPipeline = "ci_pipeline",
    CodeRepository = "code_repository",
    Browser = "browser",
    MlModel = "ml_model",
    Agent = "agent",
    Runtime = "runtime",
});

closed_enum!(
    /// A component's authorization model (`authorization`): `per_patient`
    /// means a caller reaches only the patients it is assigned.
    Authorization {
        None = "none",
        RoleBased = "role_based",
        AttributeBased = "attribute_based",
        PerPatient = "per_patient",
    }
);

/// How `when` and presenters spell an `authorization` nobody stated.
pub const AUTHORIZATION_UNSPECIFIED: &str = "unspecified";

/// A component's `authorization` as shown: its value, or `unspecified`.
pub fn authorization_text(authorization: Option<Authorization>) -> &'static str {
    authorization.map_or(AUTHORIZATION_UNSPECIFIED, Authorization::as_str)
}

closed_enum!(
    /// Whether a `software` item's supplier still supports it (FDA).
    SupportLevel {
        Supported = "supported",
        Limited = "limited",
        Unsupported = "unsupported",
    }
);

closed_enum!(
    /// Where the triage of one threat stands (docs/language.md §3.21):
    /// three tracking statuses, then the two that take it out of open risk.
    DispositionStatus {
        Open = "open",
        InProgress = "in_progress",
        Mitigated = "mitigated",
        FalsePositive = "false_positive",
        NotApplicable = "not_applicable",
    }
);

impl DispositionStatus {
    /// `not_applicable` and `false_positive`: the threat is kept in every
    /// register but is not open risk (while its disposition is not stale),
    /// so the decision needs a rationale, an approver and a date.
    pub fn is_dispositioned(self) -> bool {
        matches!(
            self,
            DispositionStatus::FalsePositive | DispositionStatus::NotApplicable
        )
    }
}

closed_enum!(
    /// A vulnerability's disposition (VEX status, CISA's minimum elements).
    VulnerabilityStatus {
        Affected = "affected",
        NotAffected = "not_affected",
        Fixed = "fixed",
        UnderInvestigation = "under_investigation",
    }
);

closed_enum!(
    /// Why a vulnerability is `not_affected` (the VEX justifications).
    VexJustification {
        ComponentNotPresent = "component_not_present",
        VulnerableCodeNotPresent = "vulnerable_code_not_present",
        VulnerableCodeNotInExecutePath = "vulnerable_code_not_in_execute_path",
        VulnerableCodeCannotBeControlledByAdversary = "vulnerable_code_cannot_be_controlled_by_adversary",
        InlineMitigationsAlreadyExist = "inline_mitigations_already_exist",
    }
);

closed_enum!(
    /// Whether a threat's judged residual risk is controlled: the two
    /// classes FDA's postmarket guidance sets patch timelines for.
    RiskControlState {
        Uncontrolled = "uncontrolled",
        Controlled = "controlled",
    }
);

closed_enum!(ActorKind { Human = "human", ExternalSystem = "external_system" });

closed_enum!(DataKind {
    Command = "command",
    Phi = "phi",
    Credential = "credential",
    Firmware = "firmware",
    Config = "config",
    Log = "log",
    Telemetry = "telemetry",
    // Identifies a device or patient or locates them: serial numbers, UDI,
    // radio addresses, location (what tracking discloses).
    Identifier = "identifier",
    Other = "other",
});

closed_enum!(
    /// Confidentiality, integrity and availability levels; also the security
    /// impact scale. Ordered.
    CiaLevel { None = "none", Low = "low", Medium = "medium", High = "high" }
);

closed_enum!(
    /// Zone trust. Ordered.
    Trust { Hostile = "hostile", Untrusted = "untrusted", Controlled = "controlled", Trusted = "trusted" }
);

closed_enum!(ControlledBy {
    Manufacturer = "manufacturer",
    Hcf = "hcf",
    Patient = "patient",
    ThirdParty = "third_party",
});

/// How every presenter shows an owner nobody wrote.
pub const OWNER_NOT_STATED: &str = "not stated";

/// A zone's or element's owner as shown: its value, or "not stated".
pub fn owner_text(owner: Option<ControlledBy>) -> &'static str {
    owner.map_or(OWNER_NOT_STATED, ControlledBy::as_str)
}

closed_enum!(Fleet { PerPatient = "per_patient", Shared = "shared" });

closed_enum!(
    /// How a flow's source authenticates (`auth`).
    AuthMethod {
        None = "none",
        Password = "password",
        Token = "token",
        Certificate = "certificate",
        MutualTls = "mutual_tls",
        Mfa = "mfa",
    }
);

closed_enum!(
    /// The lowest TLS version a flow accepts (`tls_version`). Ordered.
    TlsVersion { Tls1_0 = "tls1_0", Tls1_1 = "tls1_1", Tls1_2 = "tls1_2", Tls1_3 = "tls1_3" }
);

closed_enum!(
    /// Whose identity a call carries (`identity`): the end user's,
    /// propagated, or a technical account's.
    CallerIdentity { EndUser = "end_user", Service = "service" }
);

/// How `when` and presenters spell a flow property nobody stated.
pub const UNSPECIFIED: &str = "unspecified";

closed_enum!(
    /// Where an attacker must be (CVSS's attack vector words). `adjacent`
    /// (radio range) and `physical` threats start in the target's zone, not
    /// at a network entry point.
    AttackVector { Network = "network", Adjacent = "adjacent", Local = "local", Physical = "physical" }
);

impl AttackVector {
    /// The attacker must be near the target: within radio range or touching it.
    pub fn is_proximity(self) -> bool {
        matches!(self, AttackVector::Adjacent | AttackVector::Physical)
    }
}

impl From<ward_cvss::AttackVector> for AttackVector {
    fn from(av: ward_cvss::AttackVector) -> AttackVector {
        match av {
            ward_cvss::AttackVector::Network => AttackVector::Network,
            ward_cvss::AttackVector::Adjacent => AttackVector::Adjacent,
            ward_cvss::AttackVector::Local => AttackVector::Local,
            ward_cvss::AttackVector::Physical => AttackVector::Physical,
        }
    }
}

closed_enum!(Stride {
    Spoofing = "spoofing",
    Tampering = "tampering",
    Repudiation = "repudiation",
    InformationDisclosure = "information_disclosure",
    DenialOfService = "denial_of_service",
    ElevationOfPrivilege = "elevation_of_privilege",
});

closed_enum!(
    /// The eight FDA security control categories (premarket guidance App. 1).
    ControlCategory {
        Authentication = "authentication",
        Authorization = "authorization",
        Cryptography = "cryptography",
        Integrity = "integrity",
        Confidentiality = "confidentiality",
        EventDetection = "event_detection",
        Resiliency = "resiliency",
        Updatability = "updatability",
    }
);

closed_enum!(
    /// ISO 14971 §7.1 risk control options.
    ControlOption {
        InherentSafety = "inherent_safety",
        ProtectiveMeasure = "protective_measure",
        InformationForSafety = "information_for_safety",
    }
);

closed_enum!(ControlStatus { Proposed = "proposed", Implemented = "implemented", Verified = "verified" });

closed_enum!(VerificationType {
    SecurityRequirements = "security_requirements",
    ThreatMitigation = "threat_mitigation",
    Vulnerability = "vulnerability",
    Penetration = "penetration",
});

closed_enum!(Method { Test = "test", Analysis = "analysis", Inspection = "inspection", Demonstration = "demonstration" });

closed_enum!(
    /// The outcome of a verification: only `pass` is evidence; a `fail`
    /// without a `disposition` keeps its controls unverified.
    TestResult { Pass = "pass", Fail = "fail", Pending = "pending", NotRun = "not_run" }
);

closed_enum!(
    /// Risk levels of the matrices. Ordered.
    RiskLevel { Acceptable = "acceptable", Review = "review", Unacceptable = "unacceptable" }
);

closed_enum!(
    /// The stage a model is judged at (`stage` in `Ward.toml`, `--stage`):
    /// `design` judges on planned controls and reports gaps as warnings;
    /// `submission` judges on verified evidence only and turns what a
    /// reviewer would send back into errors (docs/risk.md, "Stages").
    Stage { Design = "design", Submission = "submission" }
);

closed_enum!(
    /// What a rule's `applies_to` names.
    RuleTarget { Flow = "flow", Component = "component", Actor = "actor" }
);

closed_enum!(
    /// A flow rule's `per`: whether its threat is about the link (one
    /// threat for both directions of a `<->` flow) or about a direction.
    RulePer { Link = "link", Direction = "direction" }
);

closed_enum!(
    /// A rule's `group_by`: a flow rule's matches into (or out of) one
    /// element are one threat on that element, listing the flows; a
    /// component rule's matches on one `runtime` (`runs_on`) are one threat
    /// on the runtime, listing the components.
    RuleGroupBy { Target = "target", Source = "source", RunsOn = "runs_on" }
);

closed_enum!(
    /// The three security properties (keys of `hazards { ... }` blocks).
    SecurityProperty { Confidentiality = "confidentiality", Integrity = "integrity", Availability = "availability" }
);

/// Whether a graph node is a component or an actor, with its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "element", content = "kind", rename_all = "lowercase")]
pub enum ElementKind {
    Component(ComponentKind),
    Actor(ActorKind),
}

impl ComponentKind {
    /// `updatable` when not given (docs/language.md "Component defaults").
    /// Apps, services, gateways, processes and stores are software the
    /// maker or operator patches through a normal release path; a device or
    /// its firmware is patchable only through an update path the maker
    /// designs, so the model must say so. Every v2 kind (proxy, identity
    /// provider, pipeline, repository, browser, model, agent, runtime) is
    /// software patched through its vendor's or operator's release path.
    /// Never read from `software`.
    pub fn updatable_by_default(self) -> bool {
        !matches!(self, ComponentKind::Device | ComponentKind::Firmware)
    }
}

impl ElementKind {
    /// Checked for the eight FDA control categories (W0411): every
    /// component kind, whether or not it declares `software`, except a
    /// `browser` (the user's software: the controls belong to the web app it
    /// renders); actors are outside the system and carry none of its controls.
    pub fn is_checked_for_fda_categories(self) -> bool {
        !matches!(
            self,
            ElementKind::Actor(_) | ElementKind::Component(ComponentKind::Browser)
        )
    }
}

impl ElementKind {
    /// The kind's spelling (`device`, `human`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Component(k) => k.as_str(),
            ElementKind::Actor(k) => k.as_str(),
        }
    }
    /// A component kind or an actor kind by its spelling (the sets are disjoint).
    pub fn parse(text: &str) -> Option<ElementKind> {
        ComponentKind::parse(text)
            .map(ElementKind::Component)
            .or_else(|| ActorKind::parse(text).map(ElementKind::Actor))
    }
    pub fn is_actor(self) -> bool {
        matches!(self, ElementKind::Actor(_))
    }
    pub fn rule_target(self) -> RuleTarget {
        match self {
            ElementKind::Component(_) => RuleTarget::Component,
            ElementKind::Actor(_) => RuleTarget::Actor,
        }
    }
    /// The element's role in STRIDE per element (spec §2 component and actor).
    pub fn stride_class(self) -> StrideClass {
        match self {
            ElementKind::Actor(_) => StrideClass::ExternalEntity,
            ElementKind::Component(ComponentKind::Datastore) => StrideClass::DataStore,
            ElementKind::Component(_) => StrideClass::Process,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StrideClass {
    ExternalEntity,
    Process,
    DataStore,
    DataFlow,
}

/// What every declaration carries.
#[derive(Clone, Debug, Serialize)]
pub struct Meta {
    /// The declared id (`f.reverse` for the reverse of a `<->` flow; the
    /// written threat reference for an `accept`).
    pub name: String,
    /// The title string, else the id.
    pub title: String,
    /// The `///` doc comment.
    pub doc: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// `renamed_from`: the ids it had in earlier versions, newest first
    /// (`ward diff` matches them to this declaration).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<String>,
    /// From the keyword to the end of the block.
    pub span: Span,
    /// The declared id (for `accept`, the threat reference).
    pub name_span: Span,
}

impl Meta {
    /// The meta of a record no declaration wrote (an SBOM package, a feed
    /// record, the stand-in policy): its name, its title, and where it came
    /// from; no doc, description, tags or history.
    pub fn imported(name: impl Into<String>, title: impl Into<String>, span: Span) -> Meta {
        Meta {
            name: name.into(),
            title: title.into(),
            doc: None,
            description: None,
            tags: Vec::new(),
            renamed_from: Vec::new(),
            span,
            name_span: span,
        }
    }
}

/// A graph edge end or a threat target: a component/actor, or one direction
/// of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", content = "id", rename_all = "lowercase")]
pub enum Target {
    Element(ElementId),
    Flow(FlowId),
}

/// Something an assumption can apply to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", content = "id", rename_all = "lowercase")]
pub enum NodeRef {
    Zone(ZoneId),
    Element(ElementId),
    Flow(FlowId),
}

/// `hazards { confidentiality: [...], integrity: [...], availability: [...] }`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PropertyHazards {
    pub confidentiality: Vec<HazardId>,
    pub integrity: Vec<HazardId>,
    pub availability: Vec<HazardId>,
}

impl PropertyHazards {
    pub fn get(&self, property: SecurityProperty) -> &[HazardId] {
        match property {
            SecurityProperty::Confidentiality => &self.confidentiality,
            SecurityProperty::Integrity => &self.integrity,
            SecurityProperty::Availability => &self.availability,
        }
    }
    pub(crate) fn get_mut(&mut self, property: SecurityProperty) -> &mut Vec<HazardId> {
        match property {
            SecurityProperty::Confidentiality => &mut self.confidentiality,
            SecurityProperty::Integrity => &mut self.integrity,
            SecurityProperty::Availability => &mut self.availability,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.confidentiality.is_empty() && self.integrity.is_empty() && self.availability.is_empty()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct System {
    pub meta: Meta,
    pub version: Option<String>,
    pub intended_use: Option<String>,
    /// The policy named by `policy` (default `std::policy::iso14971_5x5`),
    /// also `Model::policy_in_force`.
    pub policy: PolicyId,
    pub out_of_scope: Vec<String>,
    /// Lifecycle phases covered (identifiers, an open set).
    pub lifecycle: Vec<String>,
    pub overall_residual: Option<String>,
    pub approved_by: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Zone {
    pub meta: Meta,
    /// The enclosing zone (`in`).
    pub parent: Option<ZoneId>,
    /// Given, else the enclosing zone's, else `untrusted`.
    pub trust: Trust,
    /// Given, else the enclosing zone's, else `false`.
    pub physical_access: bool,
    /// Given, else `None`: not stated. Not inherited from the enclosing
    /// zone (a sealed pump in the patient's home is still the maker's).
    pub controlled_by: Option<ControlledBy>,
    /// The fix the analysis offers when `controlled_by` is not stated:
    /// insert `controlled_by: ` in the block (`None` for an unclosed block).
    #[serde(skip)]
    pub add_owner: Option<Fix>,
    pub trust_span: Option<Span>,
}

impl Zone {
    /// A zone with the language's defaults for every optional property.
    pub fn new(meta: Meta, trust: Trust) -> Zone {
        Zone {
            meta,
            parent: None,
            trust,
            physical_access: false,
            controlled_by: None,
            add_owner: None,
            trust_span: None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Data {
    pub meta: Meta,
    /// Default `other`.
    pub kind: DataKind,
    /// Each defaults to `none`.
    pub confidentiality: CiaLevel,
    pub integrity: CiaLevel,
    pub availability: CiaLevel,
    /// The properties whose level is not written (scored as `none`).
    pub unrated: Vec<SecurityProperty>,
    pub hazards: PropertyHazards,
}

impl Data {
    /// Data with the language's defaults for every optional property.
    pub fn new(meta: Meta, kind: DataKind, cia: [CiaLevel; 3]) -> Data {
        let [confidentiality, integrity, availability] = cia;
        Data {
            meta,
            kind,
            confidentiality,
            integrity,
            availability,
            unrated: Vec::new(),
            hazards: PropertyHazards::default(),
        }
    }
}

impl Data {
    pub fn level(&self, property: SecurityProperty) -> CiaLevel {
        match property {
            SecurityProperty::Confidentiality => self.confidentiality,
            SecurityProperty::Integrity => self.integrity,
            SecurityProperty::Availability => self.availability,
        }
    }
}

/// A component or an actor.
#[derive(Clone, Debug, Serialize)]
pub struct Element {
    pub meta: Meta,
    /// Component default `process`; a missing or invalid actor `kind` (an
    /// error) falls back to `human`.
    pub kind: ElementKind,
    /// The innermost zone (`in`). `None` only after an error (missing or
    /// unresolved `in`).
    pub zone: Option<ZoneId>,
    pub stores: Vec<DataId>,
    /// The software it runs, one label each: a free-text item as written
    /// (`"pump-fw 4.2.0"`), a referenced `software` as `TITLE VERSION`.
    /// Rules read it (`software != []`); `[]` for actors.
    pub software: Vec<String>,
    /// The `software` declarations it references, in written order, then
    /// the packages of its `sbom`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub software_refs: Vec<SoftwareId>,
    /// Its `sbom`, if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sbom: Option<ComponentSbom>,
    /// The version of the component's own software (`version`): evidence
    /// must have been produced on it (`tested_version`).
    pub version: Option<String>,
    /// Interface names (open set); `[]` for actors.
    pub interfaces: Vec<String>,
    /// Default `per_patient`.
    pub fleet: Fleet,
    /// Given, else the zone's (`None`, not stated, when neither states it).
    pub controlled_by: Option<ControlledBy>,
    /// Given, else the default of the component's kind
    /// ([`ComponentKind::updatable_by_default`]); always `false` for actors.
    pub updatable: bool,
    /// The hazards of the element's own function (components only).
    pub hazards: PropertyHazards,
    /// `out_of_scope`: why the element is outside the threat model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_of_scope: Option<String>,
    /// The security properties of a component (issue #16); their defaults
    /// are left out of model.json.
    #[serde(flatten)]
    pub security: ComponentSecurity,
}

/// A component's own security properties and what it touches without
/// storing (docs/language.md §3.4). All default to "not stated" / `false` / `[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ComponentSecurity {
    /// `input_validation`: all input is validated against an allow-list or schema.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub input_validation: bool,
    /// `output_encoding`: output is encoded for the context it is rendered in.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub output_encoding: bool,
    /// `access_control`: every request is checked against the caller's rights.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub access_control: bool,
    /// `authorization`: `None` when not stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
    /// `parses`: the formats it parses from its inputs (open set).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parses: Vec<String>,
    /// `processes`: data it handles in memory but never stores. Never in
    /// `stores`: data-store facts (`stores`, `stores_kind`, `max_*`) do not read it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub processes: Vec<DataId>,
    /// `runs_on`: the `runtime` component it runs on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runs_on: Option<ElementId>,
}

impl Element {
    /// The data the element touches: what it stores, then what it only
    /// processes (the affected data of its threats; its data in reports).
    pub fn handled_data(&self) -> impl Iterator<Item = DataId> + '_ {
        self.stores.iter().chain(&self.security.processes).copied()
    }
}

impl Element {
    /// A component with the language's defaults for every optional property.
    pub fn component(meta: Meta, kind: ComponentKind, zone: Option<ZoneId>) -> Element {
        Element {
            meta,
            kind: ElementKind::Component(kind),
            zone,
            stores: Vec::new(),
            software: Vec::new(),
            software_refs: Vec::new(),
            sbom: None,
            version: None,
            interfaces: Vec::new(),
            fleet: Fleet::PerPatient,
            controlled_by: None,
            updatable: kind.updatable_by_default(),
            hazards: PropertyHazards::default(),
            out_of_scope: None,
            security: ComponentSecurity::default(),
        }
    }
}

impl Element {
    pub fn is_actor(&self) -> bool {
        self.kind.is_actor()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Flow {
    /// `name` is `f` or, for the reverse direction, `f.reverse`.
    pub meta: Meta,
    /// `None` only after an error (unresolved or wrong-kind end).
    pub source: Option<ElementId>,
    pub target: Option<ElementId>,
    /// Default `unspecified`.
    pub protocol: String,
    /// The data of this direction: on a response direction, the forward
    /// flow's `returns`.
    pub carries: Vec<DataId>,
    /// `auth != none`.
    pub authenticated: bool,
    /// `auth`; `None` when only `authenticated: true` says the source
    /// authenticates (`unspecified` in `when`).
    #[serde(skip_serializing_if = "auth_follows_authenticated")]
    pub auth: Option<AuthMethod>,
    /// Given, else the flow's `authenticated`.
    pub server_authenticated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_version: Option<TlsVersion>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<CallerIdentity>,
    pub encrypted: bool,
    pub integrity_protected: bool,
    /// For the reverse direction of `<->` or of a `returns` flow: the
    /// forward flow.
    pub reverse_of: Option<FlowId>,
    /// For the forward direction of `<->` or of a `returns` flow: the
    /// reverse flow.
    pub reverse: Option<FlowId>,
    /// The response direction made by `returns`: it carries the forward
    /// flow's `returns`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub is_response: bool,
    /// `out_of_scope`: why the flow is outside the threat model (both
    /// directions of `<->` share it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_of_scope: Option<String>,
}

impl Flow {
    /// A one-way flow with the language's defaults for every optional
    /// property.
    pub fn new(meta: Meta, source: Option<ElementId>, target: Option<ElementId>) -> Flow {
        Flow {
            meta,
            source,
            target,
            protocol: "unspecified".into(),
            carries: Vec::new(),
            authenticated: false,
            auth: Some(AuthMethod::None),
            server_authenticated: false,
            tls_version: None,
            identity: None,
            encrypted: false,
            integrity_protected: false,
            reverse_of: None,
            reverse: None,
            is_response: false,
            out_of_scope: None,
        }
    }
}

/// `auth` says no more than `authenticated` (not written, or `none`), so
/// model.json leaves it out.
fn auth_follows_authenticated(auth: &Option<AuthMethod>) -> bool {
    matches!(auth, None | Some(AuthMethod::None))
}

#[derive(Clone, Debug, Serialize)]
pub struct Hazard {
    pub meta: Meta,
    /// A severity level; a missing or invalid one (an error) falls back to
    /// the highest severity.
    pub severity: Level,
    pub harm: Option<String>,
    pub hazardous_situation: Option<String>,
    pub rmf_ref: Option<String>,
    /// The risk management file's own evaluation of this hazard
    /// (`rmf_risk`), shown beside Ward's so the loop between the security and
    /// safety files is visible.
    pub rmf_risk: Option<String>,
}

impl Hazard {
    /// A hazard with the language's defaults for every optional property.
    pub fn new(meta: Meta, severity: Level) -> Hazard {
        Hazard {
            meta,
            severity,
            harm: None,
            hazardous_situation: None,
            rmf_ref: None,
            rmf_risk: None,
        }
    }
}

/// A threat's exploitability as given (hand-written threats).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "source", rename_all = "lowercase")]
pub enum Exploitability {
    /// `exploitability: LEVEL`. Also the fallback (highest level) when a
    /// threat gives neither or an invalid value (an error).
    Level { level: Level },
    /// `cvss: "CVSS:3.1/..."`: the level is the band of the exploitability
    /// sub-score (spec §4.5).
    Cvss {
        vector: String,
        base_score: f64,
        exploitability_subscore: f64,
        level: Level,
        /// The properties whose impact metric (C, I, A) is not `N`: the
        /// only ones the threat can break (docs/risk.md §2).
        impacted: Vec<SecurityProperty>,
        /// The vector's AV.
        attack_vector: AttackVector,
    },
}

impl Exploitability {
    pub fn level(&self) -> Level {
        match self {
            Exploitability::Level { level } | Exploitability::Cvss { level, .. } => *level,
        }
    }
    /// The CVSS vector's AV, else `network` (the default of a threat).
    pub fn attack_vector(&self) -> AttackVector {
        match self {
            Exploitability::Level { .. } => AttackVector::Network,
            Exploitability::Cvss { attack_vector, .. } => *attack_vector,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Threat {
    pub meta: Meta,
    pub stride: Vec<Stride>,
    pub targets: Vec<Target>,
    pub hazards: Vec<HazardId>,
    pub exploitability: Exploitability,
    pub capec: Vec<u32>,
    pub cwe: Vec<u32>,
    /// `impact`: the security impact stated by hand, used instead of the
    /// one derived from the affected data's ratings.
    pub impact: Option<CiaLevel>,
}

impl Threat {
    /// A threat with the language's defaults for every optional property.
    pub fn new(
        meta: Meta,
        stride: Vec<Stride>,
        targets: Vec<Target>,
        exploitability: Exploitability,
    ) -> Threat {
        Threat {
            meta,
            stride,
            targets,
            hazards: Vec::new(),
            exploitability,
            capec: Vec::new(),
            cwe: Vec::new(),
            impact: None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    pub meta: Meta,
    /// The title as a template (`{path}` placeholders).
    pub template: Template,
    pub stride: Vec<Stride>,
    pub applies_to: RuleTarget,
    /// Default `true`; `false` if it had type errors.
    pub when: TypedExpr,
    /// On the model's exploitability scale (stdlib levels mapped by rank).
    pub exploitability: Level,
    /// Given, else `network`.
    pub attack_vector: AttackVector,
    pub capec: Vec<u32>,
    pub cwe: Vec<u32>,
    pub suggest: Vec<ControlCategory>,
    /// What its threats can affect (`affects`).
    pub affects: Affects,
    /// `detection_gap: true`: its threats are a missing record (an absent
    /// log), scored on the unrecorded actions' data and given no hazards.
    pub detection_gap: bool,
    /// Flow rules: `link` keeps one threat for both directions of a `<->`
    /// flow (default `direction`). As declared; on other rules it is
    /// ignored (W0490).
    pub per: RulePer,
    /// Flow rules: one threat per target (or source) element.
    pub group_by: Option<RuleGroupBy>,
    /// Declared in the standard library (`use std::stride`).
    pub from_stdlib: bool,
}

/// What a threat can affect (a rule's `affects`, a CVSS vector's impact
/// metrics). `None` restricts nothing: the STRIDE-derived properties, and
/// all the data the targets touch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Affects {
    /// Only these of the STRIDE-derived broken properties are broken.
    pub properties: Option<Vec<SecurityProperty>>,
    /// Only data of these kinds is affected.
    pub kinds: Option<Vec<DataKind>>,
}

/// One item of an `affects` list: a security property or a data kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AffectsItem {
    Property(SecurityProperty),
    Kind(DataKind),
}

const AFFECTS_NAME_COUNT: usize = SecurityProperty::NAMES.len() + DataKind::NAMES.len();
const AFFECTS_NAMES: [&str; AFFECTS_NAME_COUNT] = {
    let mut out = [""; AFFECTS_NAME_COUNT];
    let mut i = 0;
    while i < AFFECTS_NAME_COUNT {
        let p = SecurityProperty::NAMES.len();
        out[i] = if i < p {
            SecurityProperty::NAMES[i]
        } else {
            DataKind::NAMES[i - p]
        };
        i += 1;
    }
    out
};

impl AffectsItem {
    /// The spellings of an `affects` item: the properties, then the kinds.
    pub const NAMES: &'static [&'static str] = &AFFECTS_NAMES;
    pub fn parse(text: &str) -> Option<AffectsItem> {
        SecurityProperty::parse(text)
            .map(AffectsItem::Property)
            .or_else(|| DataKind::parse(text).map(AffectsItem::Kind))
    }
    pub fn names() -> Vec<&'static str> {
        Self::NAMES.to_vec()
    }
}

impl Affects {
    /// The restriction an `affects` list states: its properties and its
    /// kinds, each `None` when the list names none.
    pub fn from_items(items: &[AffectsItem]) -> Affects {
        let (mut properties, mut kinds) = (Vec::new(), Vec::new());
        for item in items {
            match *item {
                AffectsItem::Property(p) => properties.push(p),
                AffectsItem::Kind(k) => kinds.push(k),
            }
        }
        Affects {
            properties: (!properties.is_empty()).then_some(properties),
            kinds: (!kinds.is_empty()).then_some(kinds),
        }
    }
    /// Whether data of this kind can be affected.
    pub fn covers_kind(&self, kind: DataKind) -> bool {
        self.kinds.as_ref().is_none_or(|k| k.contains(&kind))
    }
    /// Whether this property can be broken.
    pub fn covers_property(&self, property: SecurityProperty) -> bool {
        self.properties
            .as_ref()
            .is_none_or(|p| p.contains(&property))
    }
}

/// A resolved threat reference (in `mitigates` and `accept`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "origin", rename_all = "lowercase")]
pub enum ThreatKey {
    Hand {
        threat: ThreatId,
    },
    /// `RULE@ELEMENT`: the rule exists and applies to the element's kind.
    Generated {
        rule: RuleId,
        element: Target,
    },
    /// `VULNERABILITY@COMPONENT`: a known vulnerability of software the
    /// component runs (docs/language.md §3.18).
    Vulnerability {
        vulnerability: VulnerabilityId,
        element: ElementId,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ThreatRefResolved {
    pub key: ThreatKey,
    /// The whole written reference.
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum VerificationItem {
    /// A `verification` declaration.
    Ref {
        verification: VerificationId,
        span: Span,
    },
    /// `METHOD "text"`: no test type, no result.
    Inline {
        method: Method,
        text: String,
        span: Span,
    },
}

#[derive(Clone, Debug, Serialize)]
pub struct Control {
    pub meta: Meta,
    /// The requirement id: `id`, else the control's id.
    pub requirement_id: String,
    /// Fallback after an error: `authentication`.
    pub category: ControlCategory,
    /// Fallback after an error: `""`.
    pub requirement: String,
    pub mitigates: Vec<ThreatRefResolved>,
    /// Default 0.
    pub reduces: u32,
    /// Default `false`.
    pub independent: bool,
    pub residual_exploitability: Option<Level>,
    /// `limits { hazard: severity }`: caps of hazard severity.
    pub limits: Vec<(HazardId, Level)>,
    pub option: Option<ControlOption>,
    pub acceptance: Option<String>,
    pub implemented_in: Vec<ElementId>,
    pub verification: Vec<VerificationItem>,
    /// Default `proposed`.
    pub status: ControlStatus,
    pub mitigates_span: Option<Span>,
    pub status_span: Option<Span>,
    pub verification_span: Option<Span>,
}

impl Control {
    /// A control with the language's defaults for every optional property
    /// (its `id` is its name).
    pub fn new(meta: Meta, category: ControlCategory, requirement: String) -> Control {
        Control {
            requirement_id: meta.name.clone(),
            meta,
            category,
            requirement,
            mitigates: Vec::new(),
            reduces: 0,
            independent: false,
            residual_exploitability: None,
            limits: Vec::new(),
            option: None,
            acceptance: None,
            implemented_in: Vec::new(),
            verification: Vec::new(),
            status: ControlStatus::Proposed,
            mitigates_span: None,
            status_span: None,
            verification_span: None,
        }
    }
}

impl Control {
    pub fn is_information_for_safety(&self) -> bool {
        self.option == Some(ControlOption::InformationForSafety)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Verification {
    pub meta: Meta,
    pub kind: Option<VerificationType>,
    /// Fallback after an error: `test`.
    pub method: Method,
    pub report: Option<String>,
    pub result: Option<TestResult>,
    /// The version of what was tested; compared with the `version` of the
    /// components the verification covers (stale evidence otherwise).
    pub tested_version: Option<String>,
    /// When it was run (`"YYYY-MM-DD"`).
    pub date: Option<String>,
    /// Why a `fail` no longer counts against its controls (e.g. "superseded
    /// by retest TR-2026-031").
    pub disposition: Option<String>,
    /// Default `false`.
    pub independent: bool,
    pub scope: Vec<Target>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Assumption {
    pub meta: Meta,
    pub rationale: Option<String>,
    pub applies_to: Vec<NodeRef>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Usecase {
    pub meta: Meta,
    pub state: Option<String>,
    pub steps: Vec<FlowId>,
}

impl Usecase {
    /// A use case with the language's defaults for every optional property.
    pub fn new(meta: Meta, steps: Vec<FlowId>) -> Usecase {
        Usecase {
            meta,
            state: None,
            steps,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Accept {
    /// `name` is the written reference (`rule@element`), or `[a, b@c]` for
    /// the list form; no id is declared.
    pub meta: Meta,
    /// The threats accepted, in written order; a reference that did not
    /// resolve (an error) is left out.
    pub threats: Vec<ThreatRefResolved>,
    /// Fallback after an error: `review`.
    pub level: RiskLevel,
    pub level_span: Option<Span>,
    pub rationale: String,
    pub benefit: Option<String>,
    pub benefit_risk: Option<String>,
    pub benefit_risk_span: Option<Span>,
    /// Who accepted the residual risk.
    pub approved_by: Option<String>,
    /// When it was accepted: `YYYY-MM-DD`, checked.
    pub date: Option<String>,
}

/// A `disposition`: the outcome of one threat's triage, with its
/// tracking ticket, and for `not_applicable` or `false_positive` the
/// decision record and the hash of the targets it was decided on.
#[derive(Clone, Debug, Serialize)]
pub struct Disposition {
    /// `name` is the written reference (`rule@element`); no id is declared.
    pub meta: Meta,
    /// `None` when the reference did not resolve (an error).
    pub threat: Option<ThreatRefResolved>,
    /// Default `open`.
    pub status: DispositionStatus,
    pub status_span: Option<Span>,
    pub rationale: Option<String>,
    pub approver: Option<String>,
    /// `YYYY-MM-DD`, checked.
    pub date: Option<String>,
    /// The issue tracker's reference.
    pub ticket: Option<String>,
    /// `sha256:HEX` of the threat's target declarations when decided.
    pub target_hash: Option<String>,
    pub target_hash_span: Option<Span>,
    /// Where a missing property is inserted (after the last one), for fixes.
    pub new_property_at: Option<Span>,
}

/// A `software` declaration: one SBOM entry with the NTIA minimum elements
/// and the FDA's support fields (docs/lifecycle.md).
#[derive(Clone, Debug, Serialize)]
pub struct Software {
    pub meta: Meta,
    pub supplier: String,
    pub version: String,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    pub author: String,
    /// `YYYY-MM-DD`, checked; empty after an error.
    pub timestamp: String,
    pub depends_on: Vec<SoftwareId>,
    /// `None` after an error, or for an imported package whose SBOM does
    /// not state it (docs/lifecycle.md, "Importing an SBOM").
    pub support: Option<SupportLevel>,
    /// `YYYY-MM-DD`, checked.
    pub end_of_support: Option<String>,
    pub hashes: Vec<String>,
    /// The components that run it, directly (`software: [...]`) or through
    /// another software's `depends_on`, in declaration order.
    pub run_by: Vec<ElementId>,
    /// The SBOM package it was imported from; `None` for a `software`
    /// declaration.
    pub imported_from: Option<SbomPackage>,
}

/// Where an imported `software` comes from: a package of an SBOM file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SbomPackage {
    /// The SBOM file, relative to the model root, `/`-separated.
    pub sbom: String,
    /// The package's reference in the document: CycloneDX `bom-ref`, SPDX
    /// `SPDXID` (empty when a CycloneDX component has none).
    pub reference: String,
}

/// A component's `sbom`: the file, and what it held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComponentSbom {
    /// Relative to the model root, `/`-separated.
    pub path: String,
    /// The `sbom:` value in the `.ward` source.
    pub span: Span,
    /// `CycloneDX` or `SPDX`; empty when the file could not be read.
    pub format: String,
    /// As the document states it: `1.6`, `SPDX-2.3`.
    pub spec_version: String,
    /// The software imported from it, in document order.
    pub software: Vec<SoftwareId>,
}

impl Software {
    /// How components' `software` lists and rule titles name it.
    pub fn label(&self) -> String {
        format!("{} {}", self.meta.title, self.version)
    }
}

/// The versions a vulnerability affects, OSV-style: a version is affected
/// when it is listed in `versions`, or when `introduced` or `fixed` is given
/// and it is at or after `introduced` (if given) and before `fixed` (if
/// given). With none of the three, every version is affected. Versions
/// compare as in [`crate::version::compare`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VersionRange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// OSV `last_affected`: the last affected version (feeds only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}

impl VersionRange {
    /// Whether `version` is in the range.
    pub fn contains(&self, version: &str) -> bool {
        use std::cmp::Ordering::*;
        if self
            .versions
            .iter()
            .any(|v| crate::version::compare(v, version) == Equal)
        {
            return true;
        }
        if self.introduced.is_none() && self.fixed.is_none() && self.last_affected.is_none() {
            return self.versions.is_empty();
        }
        let after_introduced = self
            .introduced
            .as_deref()
            .is_none_or(|i| crate::version::compare(version, i) != Less);
        let before_fixed = self
            .fixed
            .as_deref()
            .is_none_or(|f| crate::version::compare(version, f) == Less);
        let until_last = self
            .last_affected
            .as_deref()
            .is_none_or(|l| crate::version::compare(version, l) != Greater);
        after_introduced && before_fixed && until_last
    }
}

/// Where a vulnerability record comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum VulnerabilityOrigin {
    /// A `vulnerability` declaration (its span is the record's `meta.span`).
    Declared,
    /// A record of a feed file named in `Ward.toml` (path relative to the
    /// model root, 1-based line).
    Feed { path: String, line: u32 },
}

/// The CISA Known Exploited Vulnerabilities listing of a vulnerability.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KevListing {
    /// `dateAdded` of the catalog, `YYYY-MM-DD`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_added: Option<String>,
}

/// A known vulnerability: a `vulnerability` declaration or a feed record
/// (one type for both; docs/language.md §3.18, docs/lifecycle.md).
#[derive(Clone, Debug, Serialize)]
pub struct Vulnerability {
    pub meta: Meta,
    /// The advisory's id: `CVE-...`, `GHSA-...` or the vendor's own.
    pub advisory: String,
    /// Other ids of the same advisory (OSV `aliases`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The software it is stated for, in written order.
    pub software: Vec<SoftwareId>,
    pub range: VersionRange,
    /// Those of `software` whose declared version is in `range`: the
    /// software it affects in this model (computed once, in lowering).
    pub affects: Vec<SoftwareId>,
    /// The CVSS vector and the exploitability level it maps to (the same
    /// record as a threat's `cvss`); `None` when not given or invalid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss: Option<Exploitability>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kev: Option<KevListing>,
    /// `None` only after an error.
    pub status: Option<VulnerabilityStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<VexJustification>,
    /// `YYYY-MM-DD`, checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    pub origin: VulnerabilityOrigin,
}

impl Vulnerability {
    /// Whether it is scored as a threat on the components that run the
    /// software it affects: `affected` and `under_investigation` are;
    /// `not_affected` and `fixed` are recorded only.
    pub fn is_open(&self) -> bool {
        matches!(
            self.status,
            Some(VulnerabilityStatus::Affected | VulnerabilityStatus::UnderInvestigation)
        )
    }
}

/// An `anomaly` declaration: a known defect the device is released with,
/// assessed for safety and security (docs/lifecycle.md).
#[derive(Clone, Debug, Serialize)]
pub struct Anomaly {
    pub meta: Meta,
    pub cwe: Option<u32>,
    pub software: Vec<SoftwareId>,
    pub safety_impact: String,
    pub security_impact: String,
    pub hazards: Vec<HazardId>,
    /// Why the device is released with it; `None`: W0480.
    pub rationale: Option<String>,
    pub ticket: Option<String>,
}

/// What a statement of an imported VEX file set on a vulnerability besides
/// its status and justification (docs/lifecycle.md, "VEX in and out").
#[derive(Clone, Debug, Serialize)]
pub struct VexDisposition {
    pub vulnerability: VulnerabilityId,
    /// The VEX file, relative to the model root.
    pub file: String,
    /// The statement's impact statement or remediation text.
    pub detail: Option<String>,
    /// CycloneDX responses (`update`, `will_not_fix`, ...).
    pub response: Vec<String>,
}

/// The `monitoring` declaration: the post-market plan's inputs.
#[derive(Clone, Debug, Serialize)]
pub struct Monitoring {
    pub meta: Meta,
    pub sources: Vec<String>,
    pub cvd_contact: String,
    pub cvd_policy: Option<String>,
    pub patch_within: PatchTimelines,
}

/// Days allowed from a vulnerability's publication to its patch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PatchTimelines {
    pub uncontrolled: Option<u32>,
    pub controlled: Option<u32>,
}

impl PatchTimelines {
    pub fn days(&self, state: RiskControlState) -> Option<u32> {
        match state {
            RiskControlState::Uncontrolled => self.uncontrolled,
            RiskControlState::Controlled => self.controlled,
        }
    }
}

/// What an `approval` covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "threats", rename_all = "lowercase")]
pub enum ApprovalScope {
    /// Every declaration of the model and `Ward.toml`'s `stage`.
    Model,
    /// The model scope plus the system's `version`.
    Release,
    /// The accepts that name these threats, and the risk they accept.
    Accepts(Vec<ThreatRefResolved>),
}

/// An `approval`: who approved what and when, pinned by a content hash
/// (docs/qms.md). Whether it is still current is the analysis's to say.
#[derive(Clone, Debug, Serialize)]
pub struct Approval {
    pub meta: Meta,
    pub role: String,
    pub name: String,
    /// `YYYY-MM-DD`, checked; empty after an error.
    pub date: String,
    /// `None` after an error in the scope (nothing to judge).
    pub scope: Option<ApprovalScope>,
    /// As written: `sha256:HEX`.
    pub approved_hash: String,
    pub approved_hash_span: Span,
    pub note: Option<String>,
}

/// The digest of one declaration of the model as `ward fmt` prints it,
/// without comments: what approvals' content hashes are made of.
#[derive(Clone, Debug)]
pub struct ContentDigest {
    /// The declaration keyword, or `use` for a `use` item.
    pub kind: &'static str,
    /// The declared id (an accept's written reference; a `use` target).
    pub name: String,
    /// sha256 of the canonical text, lower-case hex.
    pub sha256: String,
}

/// A risk policy: scales, criteria and matrices. The one in force is always
/// well formed: `matrix[severity][exploitability]` and
/// `security_matrix[impact][exploitability]` are complete.
#[derive(Clone, Debug, Serialize)]
pub struct Policy {
    pub meta: Meta,
    /// `std::policy::iso14971_5x5` (declared in the stdlib).
    pub from_stdlib: bool,
    /// The path by which it is referred to: `std::policy::iso14971_5x5` or the id.
    pub path: String,
    /// Level names, lowest first.
    pub severity: Vec<String>,
    pub exploitability: Vec<String>,
    /// One entry per exploitability level.
    pub exploitability_criteria: Vec<Option<String>>,
    /// `[severity][exploitability]`. Cells that a malformed matrix left
    /// empty (an error) are `unacceptable`.
    pub matrix: Vec<Vec<RiskLevel>>,
    /// Always `[none, low, medium, high]`.
    pub security_impact: Vec<CiaLevel>,
    /// `[impact as CiaLevel index][exploitability]`.
    pub security_matrix: Vec<Vec<RiskLevel>>,
    /// Lower bounds of levels 1.. on the CVSS exploitability sub-score.
    pub cvss_exploitability_bands: Option<Vec<f64>>,
    /// Default `[acceptable]`.
    pub controlled: Vec<RiskLevel>,
    /// Default `false`.
    pub require_verified: bool,
    pub transfer_basis: Option<String>,
}

impl Policy {
    pub fn severity_name(&self, level: Level) -> &str {
        self.severity.get(level.index()).map_or("?", String::as_str)
    }
    pub fn exploitability_name(&self, level: Level) -> &str {
        self.exploitability
            .get(level.index())
            .map_or("?", String::as_str)
    }
    pub fn severity_level(&self, name: &str) -> Option<Level> {
        self.severity
            .iter()
            .position(|n| n == name)
            .map(|i| Level(i as u32))
    }
    pub fn exploitability_level(&self, name: &str) -> Option<Level> {
        self.exploitability
            .iter()
            .position(|n| n == name)
            .map(|i| Level(i as u32))
    }
    pub fn highest_severity(&self) -> Level {
        Level(self.severity.len().saturating_sub(1) as u32)
    }
    pub fn highest_exploitability(&self) -> Level {
        Level(self.exploitability.len().saturating_sub(1) as u32)
    }
    /// Safety-related security risk: `matrix[severity][exploitability]`.
    pub fn safety_risk(&self, severity: Level, exploitability: Level) -> RiskLevel {
        self.matrix
            .get(severity.index())
            .and_then(|row| row.get(exploitability.index()))
            .copied()
            .unwrap_or(RiskLevel::Unacceptable)
    }
    /// Security risk: `security_matrix[impact][exploitability]`.
    pub fn security_risk(&self, impact: CiaLevel, exploitability: Level) -> RiskLevel {
        self.security_matrix
            .get(impact as usize)
            .and_then(|row| row.get(exploitability.index()))
            .copied()
            .unwrap_or(RiskLevel::Unacceptable)
    }
    /// The exploitability level of a CVSS exploitability sub-score (spec
    /// §4.5): the highest level whose lower bound is at or below it, else the
    /// lowest. `None` without bands.
    pub fn cvss_band(&self, subscore: f64) -> Option<Level> {
        let bands = self.cvss_exploitability_bands.as_ref()?;
        let above = bands.iter().take_while(|bound| **bound <= subscore).count();
        Some(Level(above as u32))
    }
    pub fn is_controlled(&self, risk: RiskLevel) -> bool {
        self.controlled.contains(&risk)
    }
}

// ---------------------------------------------------------------------------
// `when` expressions and title templates

/// A step from one object to another in an attribute path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Nav {
    /// flow -> its source element
    Source,
    /// flow -> its target element
    Target,
    /// element -> its innermost zone
    Zone,
    /// element -> the `runtime` it runs on (`runs_on`)
    RunsOn,
}

impl Nav {
    pub fn as_str(self) -> &'static str {
        match self {
            Nav::Source => "source",
            Nav::Target => "target",
            Nav::Zone => "zone",
            Nav::RunsOn => "runs_on",
        }
    }
}

/// A value attribute of a flow, an element or a zone (spec §2 rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    // every object
    Id,
    Tags,
    // flows
    Protocol,
    Authenticated,
    Encrypted,
    IntegrityProtected,
    CrossesBoundary,
    FromLowerTrust,
    Carries,
    Auth,
    ServerAuthenticated,
    TlsVersion,
    Identity,
    IsResponse,
    // flows (over carried data) and elements (over stored data)
    MaxConfidentiality,
    MaxIntegrity,
    MaxAvailability,
    // elements
    Kind,
    Stores,
    Interfaces,
    Fleet,
    Software,
    ControlledBy,
    Updatable,
    Exposed,
    InputValidation,
    OutputEncoding,
    AccessControl,
    Authorization,
    Parses,
    Processes,
    /// A `runtime`: some component that runs on it is exposed.
    HostsExposed,
    ReceivesUntrustedInput,
    /// A `browser` a staff member (a human not controlled by the patient)
    /// drives over a `ui` flow.
    UsedByStaff,
    // zones (and `controlled_by`)
    Trust,
    PhysicalAccess,
}

impl Attribute {
    pub fn as_str(self) -> &'static str {
        match self {
            Attribute::Id => "id",
            Attribute::Tags => "tags",
            Attribute::Protocol => "protocol",
            Attribute::Authenticated => "authenticated",
            Attribute::Encrypted => "encrypted",
            Attribute::IntegrityProtected => "integrity_protected",
            Attribute::CrossesBoundary => "crosses_boundary",
            Attribute::FromLowerTrust => "from_lower_trust",
            Attribute::Carries => "carries",
            Attribute::Auth => "auth",
            Attribute::ServerAuthenticated => "server_authenticated",
            Attribute::TlsVersion => "tls_version",
            Attribute::Identity => "identity",
            Attribute::IsResponse => "is_response",
            Attribute::MaxConfidentiality => "max_confidentiality",
            Attribute::MaxIntegrity => "max_integrity",
            Attribute::MaxAvailability => "max_availability",
            Attribute::Kind => "kind",
            Attribute::Stores => "stores",
            Attribute::Interfaces => "interfaces",
            Attribute::Fleet => "fleet",
            Attribute::Software => "software",
            Attribute::ControlledBy => "controlled_by",
            Attribute::Updatable => "updatable",
            Attribute::Exposed => "exposed",
            Attribute::InputValidation => "input_validation",
            Attribute::OutputEncoding => "output_encoding",
            Attribute::AccessControl => "access_control",
            Attribute::Authorization => "authorization",
            Attribute::Parses => "parses",
            Attribute::Processes => "processes",
            Attribute::HostsExposed => "hosts_exposed",
            Attribute::ReceivesUntrustedInput => "receives_untrusted_input",
            Attribute::UsedByStaff => "used_by_staff",
            Attribute::Trust => "trust",
            Attribute::PhysicalAccess => "physical_access",
        }
    }
}

/// The object an attribute path starts from or passes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    Flow,
    /// A component or an actor.
    Element,
    Zone,
}

/// The static type of a `when` value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Type {
    Bool,
    /// A string (software items).
    Str,
    /// An identifier of an open set: ids, protocols, interfaces, tags.
    Name(NameSet),
    ElementKind,
    DataKind,
    Fleet,
    ControlledBy,
    /// An `authorization` model or `unspecified`.
    Authorization,
    Trust,
    Cia,
    /// A flow's `auth`, or `unspecified`.
    Auth,
    /// A flow's `tls_version`, or `unspecified`. Ordered; `unspecified`
    /// is below and above nothing.
    TlsVersion,
    /// A flow's `identity`, or `unspecified`.
    Identity,
    /// A component or actor (compared by identity).
    Element,
    Zone,
    Data,
    List(Box<Type>),
}

/// Which open set of identifiers a `Type::Name` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NameSet {
    Id,
    Protocol,
    Interface,
    Tag,
    /// `parses`: formats.
    Format,
}

impl Type {
    /// How the type is named in messages.
    pub fn describe(&self) -> String {
        match self {
            Type::Bool => "a boolean".into(),
            Type::Str => "a string".into(),
            Type::Name(NameSet::Id) => "an id".into(),
            Type::Name(NameSet::Protocol) => "a protocol name".into(),
            Type::Name(NameSet::Interface) => "an interface name".into(),
            Type::Name(NameSet::Tag) => "a tag".into(),
            Type::Name(NameSet::Format) => "a format name".into(),
            Type::Authorization => "an authorization model".into(),
            Type::ElementKind => "an element kind".into(),
            Type::DataKind => "a data kind".into(),
            Type::Fleet => "a fleet value".into(),
            Type::ControlledBy => "a `controlled_by` value".into(),
            Type::Trust => "a trust level".into(),
            Type::Cia => "a CIA level".into(),
            Type::Auth => "an authentication method".into(),
            Type::TlsVersion => "a TLS version".into(),
            Type::Identity => "an `identity` value".into(),
            Type::Element => "an element".into(),
            Type::Zone => "a zone".into(),
            Type::Data => "a data item".into(),
            Type::List(item) => format!("a list of {}", item.describe_plural()),
        }
    }
    fn describe_plural(&self) -> String {
        match self {
            Type::Str => "strings".into(),
            Type::Name(NameSet::Id) => "ids".into(),
            Type::Name(NameSet::Protocol) => "protocol names".into(),
            Type::Name(NameSet::Interface) => "interface names".into(),
            Type::Name(NameSet::Tag) => "tags".into(),
            Type::Name(NameSet::Format) => "format names".into(),
            Type::Data => "data items".into(),
            other => other.describe(),
        }
    }
    /// Levels that `< <= > >=` may compare.
    pub fn is_ordered(&self) -> bool {
        matches!(self, Type::Trust | Type::Cia | Type::TlsVersion)
    }
}

/// `[nav...].attr`: an attribute of the rule's element, or of an object
/// reached from it. `attr: None` is the object itself (`source`,
/// `source.zone`), compared by identity, rendered as its id.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttrPath {
    pub nav: Vec<Nav>,
    pub attr: Option<Attribute>,
    /// The type of the value.
    pub ty: Type,
}

/// A literal, resolved against the type the other operand expects.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Literal {
    Bool(bool),
    Str(String),
    /// An identifier of an open set (id, protocol, interface, tag).
    Name(String),
    ElementKind(ElementKind),
    DataKind(DataKind),
    Fleet(Fleet),
    ControlledBy(ControlledBy),
    /// An `authorization` model; `None` is `unspecified`.
    Authorization(Option<Authorization>),
    Trust(Trust),
    Cia(CiaLevel),
    /// `None` is `unspecified`.
    Auth(Option<AuthMethod>),
    TlsVersion(Option<TlsVersion>),
    Identity(Option<CallerIdentity>),
    Element(ElementId),
    Zone(ZoneId),
    Data(DataId),
}

impl Literal {
    /// The spelling of a flow setting that may be unstated (`auth`,
    /// `tls_version`, `identity`): its value or `unspecified`.
    pub fn setting_text(&self) -> Option<&'static str> {
        match self {
            Literal::Auth(a) => Some(a.map_or(UNSPECIFIED, AuthMethod::as_str)),
            Literal::TlsVersion(v) => Some(v.map_or(UNSPECIFIED, TlsVersion::as_str)),
            Literal::Identity(i) => Some(i.map_or(UNSPECIFIED, CallerIdentity::as_str)),
            _ => None,
        }
    }
}

/// A call on the rule's element or an object reached from it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "call", content = "arg", rename_all = "snake_case")]
pub enum Call {
    /// Flow: carries data of this kind.
    CarriesKind(DataKind),
    /// Element: stores data of this kind.
    StoresKind(DataKind),
    /// Element: has this interface.
    HasInterface(String),
    /// Element: processes (without storing) data of this kind.
    ProcessesKind(DataKind),
    /// Element: stores or processes data of this kind.
    HandlesKind(DataKind),
}

/// A type-checked `when` expression. Its value is a boolean.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "expr", rename_all = "snake_case")]
pub enum TypedExpr {
    Bool {
        value: bool,
    },
    And {
        left: Box<TypedExpr>,
        right: Box<TypedExpr>,
    },
    Or {
        left: Box<TypedExpr>,
        right: Box<TypedExpr>,
    },
    Not {
        operand: Box<TypedExpr>,
    },
    /// `==` `!=` on values of one type (lists compare as sets); `< <= > >=`
    /// on two levels of one ordered scale (`Type::is_ordered`).
    Compare {
        op: CompareOp,
        left: Box<TypedExpr>,
        right: Box<TypedExpr>,
    },
    /// `item in list`: membership.
    In {
        item: Box<TypedExpr>,
        list: Box<TypedExpr>,
    },
    Attr {
        path: AttrPath,
    },
    Literal {
        value: Literal,
    },
    /// A list literal; the items are literals or attributes of the item type.
    List {
        items: Vec<TypedExpr>,
        item_type: Type,
    },
    Call {
        nav: Vec<Nav>,
        call: Call,
    },
}

impl TypedExpr {
    pub const TRUE: TypedExpr = TypedExpr::Bool { value: true };
    pub const FALSE: TypedExpr = TypedExpr::Bool { value: false };
}

/// A rule title: text and `{path}` placeholders.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum TemplatePart {
    Text {
        text: String,
    },
    /// An element or zone renders as its id, a list as `a, b, c`.
    Value {
        path: AttrPath,
    },
    /// `{path:filter}`: only the items of a list that pass the filter.
    Filtered {
        path: AttrPath,
        keep: TemplateFilter,
    },
}

/// What a `{path:filter}` title placeholder keeps of a list.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "keep", content = "value", rename_all = "snake_case")]
pub enum TemplateFilter {
    /// Data items of this kind (`{carries:phi}`).
    DataKind(DataKind),
    /// Debug ports (`{interfaces:debug}`): the interfaces of
    /// [`crate::language::DEBUG_INTERFACES`].
    DebugInterfaces,
}

impl TemplateFilter {
    /// As written after the `:` of a placeholder.
    pub fn as_str(&self) -> &'static str {
        match self {
            TemplateFilter::DataKind(kind) => kind.as_str(),
            TemplateFilter::DebugInterfaces => "debug",
        }
    }
}

// ---------------------------------------------------------------------------
// The model

#[derive(Clone, Debug, Serialize)]
pub struct Model {
    pub system: Option<System>,
    pub zones: Vec<Zone>,
    pub data: Vec<Data>,
    pub elements: Vec<Element>,
    pub flows: Vec<Flow>,
    pub hazards: Vec<Hazard>,
    pub threats: Vec<Threat>,
    /// The rules that apply: the model's, plus the stdlib's with `use std::stride`.
    pub rules: Vec<Rule>,
    pub controls: Vec<Control>,
    pub verifications: Vec<Verification>,
    pub assumptions: Vec<Assumption>,
    pub usecases: Vec<Usecase>,
    pub accepts: Vec<Accept>,
    pub dispositions: Vec<Disposition>,
    pub approvals: Vec<Approval>,
    pub software: Vec<Software>,
    /// Declared vulnerabilities, in declaration order.
    pub vulnerabilities: Vec<Vulnerability>,
    pub anomalies: Vec<Anomaly>,
    /// The post-market plan; a model has at most one (E0150).
    pub monitoring: Option<Monitoring>,
    /// The VEX statements that set a vulnerability's disposition, in the
    /// order applied (a later one for the same vulnerability wins).
    pub vex: Vec<VexDisposition>,
    /// Every declaration and `use` of the model's own files (not the
    /// stdlib's), approvals excepted, sorted by kind and name. The
    /// declarations' only when the model has approvals or dispositions or
    /// was compiled with [`crate::Digests::All`].
    #[serde(skip)]
    pub content: Vec<ContentDigest>,
    /// The policies declared in the model, plus `std::policy::iso14971_5x5`.
    pub policies: Vec<Policy>,
    /// The policy in force: the system's `policy`, default the std one.
    pub policy_in_force: PolicyId,
    /// `use std::stride` is present.
    pub uses_stride: bool,
    /// `use std::fda` is present: the per-component coverage check applies.
    pub fda_coverage: bool,
    /// The stage the model is judged at: `Ward.toml`'s `stage`, or
    /// `--stage` (which the CLI sets here before the analysis).
    pub stage: Stage,
    /// The date support ends are judged against (`as_of` of `Ward.toml`
    /// or `--as-of`); `None`: no date is compared.
    #[serde(skip)]
    pub as_of: Option<String>,
    /// The files the model read besides its `.ward` sources, and
    /// `[vulnerabilities]` of `Ward.toml` as written.
    #[serde(skip)]
    pub supply: SupplyInputs,
    #[serde(skip)]
    pub symbols: SymbolIndex,
}

/// What the model read besides `.ward` sources and the rest of `Ward.toml`:
/// the SBOM, feed and VEX files (their texts are in the source map) and the
/// `[vulnerabilities]` patterns that named the feeds and VEX files. An
/// export that must give the same model back carries these
/// (`model.otm.json`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SupplyInputs {
    /// Each file read, once, in the loader's order: SBOMs, feeds, VEX.
    pub files: Vec<SupplyFile>,
    /// `[vulnerabilities] feeds`, as written.
    pub feed_patterns: Vec<String>,
    /// `[vulnerabilities] vex`, as written.
    pub vex_paths: Vec<String>,
}

/// One file of [`SupplyInputs`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupplyFile {
    /// Relative to the model root, `/`-separated: where it was read.
    pub path: String,
    /// Its text in the source map.
    pub file: FileId,
}

macro_rules! getters {
    ($($fn:ident($id:ident) -> $ty:ident in $field:ident;)*) => {
        impl Model {$(
            pub fn $fn(&self, id: $id) -> &$ty {
                &self.$field[id.index()]
            }
        )*}
    };
}

getters! {
    zone(ZoneId) -> Zone in zones;
    datum(DataId) -> Data in data;
    element(ElementId) -> Element in elements;
    flow(FlowId) -> Flow in flows;
    hazard(HazardId) -> Hazard in hazards;
    threat(ThreatId) -> Threat in threats;
    rule(RuleId) -> Rule in rules;
    control(ControlId) -> Control in controls;
    verification(VerificationId) -> Verification in verifications;
    assumption(AssumptionId) -> Assumption in assumptions;
    usecase(UsecaseId) -> Usecase in usecases;
    accept(AcceptId) -> Accept in accepts;
    disposition(DispositionId) -> Disposition in dispositions;
    approval(ApprovalId) -> Approval in approvals;
    software(SoftwareId) -> Software in software;
    vulnerability(VulnerabilityId) -> Vulnerability in vulnerabilities;
    anomaly(AnomalyId) -> Anomaly in anomalies;
}

impl Model {
    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policies[self.policy_in_force.index()]
    }
    pub fn policy_by_id(&self, id: PolicyId) -> &Policy {
        &self.policies[id.index()]
    }
    /// A zone and its enclosing zones, innermost first.
    pub fn zone_chain(&self, zone: ZoneId) -> impl Iterator<Item = ZoneId> + '_ {
        let mut next = Some(zone);
        let mut seen = 0usize;
        std::iter::from_fn(move || {
            let current = next?;
            seen += 1;
            // `in` cycles are errors and cut at resolution; the bound is a guard.
            next = if seen > self.zones.len() {
                None
            } else {
                self.zones[current.index()].parent
            };
            Some(current)
        })
    }
    /// The name of a target (`pump`, `f_sync.reverse`).
    /// Whether rules generate threats on `target`: an element unless it is
    /// `out_of_scope`; a flow unless it is, or both its ends are (a flow
    /// with one end in scope keeps its threats, for that end's sake).
    pub fn in_scope(&self, target: Target) -> bool {
        let element_in_scope =
            |e: Option<ElementId>| e.is_none_or(|e| self.element(e).out_of_scope.is_none());
        match target {
            Target::Element(e) => self.element(e).out_of_scope.is_none(),
            Target::Flow(f) => {
                let flow = self.flow(f);
                flow.out_of_scope.is_none()
                    && (element_in_scope(flow.source) || element_in_scope(flow.target))
            }
        }
    }
    pub fn target_name(&self, target: Target) -> &str {
        match target {
            Target::Element(e) => &self.element(e).meta.name,
            Target::Flow(f) => &self.flow(f).meta.name,
        }
    }
    /// The stable id of a threat key: the threat's id, or `RULE@ELEMENT`.
    pub fn threat_key_name(&self, key: ThreatKey) -> String {
        match key {
            ThreatKey::Hand { threat } => self.threat(threat).meta.name.clone(),
            ThreatKey::Generated { rule, element } => {
                format!(
                    "{}@{}",
                    self.rule(rule).meta.name,
                    self.target_name(element)
                )
            }
            ThreatKey::Vulnerability {
                vulnerability,
                element,
            } => format!(
                "{}@{}",
                self.vulnerability(vulnerability).meta.name,
                self.element(element).meta.name
            ),
        }
    }
    pub fn find_zone(&self, name: &str) -> Option<ZoneId> {
        self.zones
            .iter()
            .position(|z| z.meta.name == name)
            .map(ZoneId::from_index)
    }
    pub fn find_element(&self, name: &str) -> Option<ElementId> {
        self.elements
            .iter()
            .position(|e| e.meta.name == name)
            .map(ElementId::from_index)
    }
    pub fn find_flow(&self, name: &str) -> Option<FlowId> {
        self.flows
            .iter()
            .position(|f| f.meta.name == name)
            .map(FlowId::from_index)
    }
    pub fn find_rule(&self, name: &str) -> Option<RuleId> {
        self.rules
            .iter()
            .position(|r| r.meta.name == name)
            .map(RuleId::from_index)
    }
    pub fn find_threat(&self, name: &str) -> Option<ThreatId> {
        self.threats
            .iter()
            .position(|t| t.meta.name == name)
            .map(ThreatId::from_index)
    }
    pub fn find_hazard(&self, name: &str) -> Option<HazardId> {
        self.hazards
            .iter()
            .position(|h| h.meta.name == name)
            .map(HazardId::from_index)
    }
    pub fn find_control(&self, name: &str) -> Option<ControlId> {
        self.controls
            .iter()
            .position(|c| c.meta.name == name)
            .map(ControlId::from_index)
    }
    pub fn find_data(&self, name: &str) -> Option<DataId> {
        self.data
            .iter()
            .position(|d| d.meta.name == name)
            .map(DataId::from_index)
    }
}

// ---------------------------------------------------------------------------
// Symbols, for the language server

/// What a declaration or a reference stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Symbol {
    System,
    Zone(ZoneId),
    Data(DataId),
    Element(ElementId),
    Flow(FlowId),
    Hazard(HazardId),
    Threat(ThreatId),
    Rule(RuleId),
    Control(ControlId),
    Verification(VerificationId),
    Assumption(AssumptionId),
    Usecase(UsecaseId),
    Accept(AcceptId),
    Disposition(DispositionId),
    Policy(PolicyId),
    Approval(ApprovalId),
    Software(SoftwareId),
    Vulnerability(VulnerabilityId),
    Anomaly(AnomalyId),
    /// The `monitoring` declaration (only the first is the model's).
    Monitoring(MonitoringId),
    /// A file named by `use` (`use "x.ward"` or a std module).
    File(FileId),
}

#[derive(Clone, Debug, Serialize)]
pub struct Declaration {
    pub name: String,
    pub kind: DeclKind,
    pub symbol: Symbol,
    /// The file is `span.file`.
    pub span: Span,
    pub name_span: Span,
}

/// One occurrence of a name that resolves to a symbol: `pump` in
/// `targets: [pump]`, both parts of `R@E`, a flow end, an `in` parent, a
/// hazard key in `limits`, a zone in a `when`, the file of a `use`, ...
/// `f.reverse` is one reference (whole span) to the reverse flow.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Reference {
    pub span: Span,
    pub symbol: Symbol,
}

#[derive(Clone, Debug, Default)]
pub struct SymbolIndex {
    pub declarations: Vec<Declaration>,
    pub references: Vec<Reference>,
}

impl SymbolIndex {
    /// The declaration or reference under a byte offset of a file.
    pub fn at(&self, file: FileId, offset: usize) -> Option<Symbol> {
        let hit = |span: Span| {
            span.file == file && span.start as usize <= offset && offset < span.end as usize
        };
        self.references
            .iter()
            .filter(|r| hit(r.span))
            .min_by_key(|r| r.span.len())
            .map(|r| r.symbol)
            .or_else(|| {
                self.declarations
                    .iter()
                    .find(|d| hit(d.name_span))
                    .map(|d| d.symbol)
            })
    }
    /// The declaration of a symbol.
    pub fn declaration(&self, symbol: Symbol) -> Option<&Declaration> {
        self.declarations.iter().find(|d| d.symbol == symbol)
    }
    /// Every reference to a symbol.
    pub fn references_to(&self, symbol: Symbol) -> impl Iterator<Item = &Reference> {
        self.references.iter().filter(move |r| r.symbol == symbol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_enums_round_trip_their_spelling() {
        for kind in DataKind::ALL {
            assert_eq!(DataKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(Trust::parse("controlled"), Some(Trust::Controlled));
        assert!(Trust::Hostile < Trust::Trusted);
        assert!(CiaLevel::None < CiaLevel::Low);
        assert_eq!(
            ElementKind::parse("human"),
            Some(ElementKind::Actor(ActorKind::Human))
        );
        assert_eq!(
            ElementKind::parse("datastore").map(ElementKind::stride_class),
            Some(StrideClass::DataStore)
        );
    }
}
