//! The language's vocabulary as read-only data (spec §2): the properties of
//! each declaration with what their values are, and the attributes a rule's
//! `when` can name. The checks of this crate read these tables, and so do
//! tools (the language server's completion and highlighting), so that the
//! vocabulary is written down once.

use crate::model::*;
use ward_syntax::ast::DeclKind;

/// A property a declaration takes, declared once: lowering reads it through
/// its const (`Props::get(&ZONE_TRUST)`), completion shows its `doc`, and
/// `tests/language_reference.rs` checks that `docs/language.md` states the same
/// default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropertySpec {
    pub key: &'static str,
    pub required: bool,
    pub value: ValueType,
    /// The default as the language reference states it (Markdown), empty
    /// for a required property.
    pub default: &'static str,
    /// One line: what the property means.
    pub doc: &'static str,
}

/// What a property's value is (one value or a list of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// Strings.
    Text,
    /// A calendar date, the string `"YYYY-MM-DD"`.
    Date,
    /// Numbers (CAPEC and CWE ids, CVSS bands).
    Number,
    /// Identifiers of an open set with no usual spellings (tags, names of
    /// the policy's scales, a use case's state).
    Name,
    Bool,
    /// One of a closed set (spec §2), in the set's order.
    Enum(&'static [&'static str]),
    /// An identifier of an open set; these are the usual ones.
    OpenSet(&'static [&'static str]),
    /// Ids declared with these keywords.
    Ids(&'static [DeclKind]),
    /// Hand-written threats and rule-generated `RULE@ELEMENT` ones.
    Threats,
    /// Flows, with `.reverse` for `<->` ones.
    Flows,
    /// Components, actors and flows.
    Targets,
    /// A level of the policy's severity scale.
    SeverityLevel,
    /// A level of the policy's exploitability scale.
    ExploitabilityLevel,
    /// `std::policy::...` or a policy id.
    Policy,
    /// Verification ids or an inline `METHOD "text"`.
    Verification,
    /// A `when` expression (see [`when_attributes`]).
    When,
    /// What an approval covers: `model`, `release`, or a list of accepted
    /// threats (the accepts that name them).
    ApprovalScope,
    /// A block `key { k: v, ... }` whose keys and values are these.
    Block {
        keys: &'static ValueType,
        values: &'static ValueType,
    },
}

use ValueType::*;

impl ValueType {
    /// What a value of this type is, in the reference's words (Markdown),
    /// for hover and completion documentation.
    pub fn describe(&self) -> String {
        let words = |items: &[&str]| {
            items
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Text => "string".into(),
            Date => "date `\"YYYY-MM-DD\"`".into(),
            Number => "number".into(),
            Name => "name".into(),
            Bool => "`true` or `false`".into(),
            Enum(values) => format!("one of {}", words(values)),
            OpenSet(usual) => format!("a name; usually one of {}", words(usual)),
            Ids(kinds) => {
                let kinds: Vec<&str> = kinds.iter().map(|k| k.keyword()).collect();
                format!("ids of {}", words(&kinds))
            }
            Threats => "threat ids or `RULE@ELEMENT`".into(),
            Flows => "flow ids (`FLOW.reverse` for `<->` and `returns`)".into(),
            Targets => "component, actor or flow ids".into(),
            SeverityLevel => "a severity level of the policy".into(),
            ExploitabilityLevel => "an exploitability level of the policy".into(),
            Policy => "`std::policy::...` or a policy id".into(),
            Verification => "verification ids or `METHOD \"text\"`".into(),
            When => "a `when` expression".into(),
            ApprovalScope => {
                "`model`, `release`, or a list of accepted threats `[T, RULE@ELEMENT]`".into()
            }
            Block { keys, values } => format!(
                "a block: keys {}, values {}",
                keys.describe(),
                values.describe()
            ),
        }
    }
}

/// The usual `protocol` names (spec §2: an open set the stdlib knows).
pub const PROTOCOLS: &[&str] = &[
    "ble", "wifi", "usb", "nfc", "serial", "https", "http", "tls", "tcp", "udp", "mqtt", "mqtts",
    "amqp", "wss", "hl7", "fhir", "dicom", "ui", "zigbee", "cellular", "lte", "mics", "rf",
];
/// The usual `interfaces` names (debug ones feed `std::stride` rules).
pub const INTERFACES: &[&str] = &[
    "ble", "wifi", "usb", "nfc", "serial", "jtag", "swd", "uart", "https", "http", "tls", "tcp",
    "udp", "mqtt", "ui", "cellular",
];
/// The debug ports among `interfaces`: what `debug_port_exposed` matches
/// and `{interfaces:debug}` lists in a rule title.
pub const DEBUG_INTERFACES: &[&str] = &["jtag", "swd"];
/// The usual `lifecycle` phases.
pub const LIFECYCLE: &[&str] = &[
    "design",
    "manufacturing",
    "deployment",
    "maintenance",
    "decommissioning",
];

const ELEMENTS: &[DeclKind] = &[DeclKind::Component, DeclKind::Actor];
const DATA: &[DeclKind] = &[DeclKind::Data];
const HAZARDS: &[DeclKind] = &[DeclKind::Hazard];

const fn prop(
    key: &'static str,
    required: bool,
    value: ValueType,
    default: &'static str,
    doc: &'static str,
) -> PropertySpec {
    PropertySpec {
        key,
        required,
        value,
        default,
        doc,
    }
}

/// `hazards { confidentiality: [...], ... }` of data and components.
const PROPERTY_HAZARDS: ValueType = Block {
    keys: &Enum(SecurityProperty::NAMES),
    values: &Ids(HAZARDS),
};

/// `version` of `system`.
pub const SYSTEM_VERSION: PropertySpec = prop(
    "version",
    false,
    Text,
    "none",
    "the version of the device the model describes, shown in the artifacts",
);

/// `intended_use` of `system`.
pub const SYSTEM_INTENDED_USE: PropertySpec = prop(
    "intended_use",
    false,
    Text,
    "none",
    "the device's intended use, as the submission states it",
);

/// `policy` of `system`.
pub const SYSTEM_POLICY: PropertySpec = prop(
    "policy",
    false,
    Policy,
    "`std::policy::iso14971_5x5`",
    "the risk policy in force (a policy with an empty scale falls back to the standard one)",
);

/// `out_of_scope` of `system`.
pub const SYSTEM_OUT_OF_SCOPE: PropertySpec = prop(
    "out_of_scope",
    false,
    Text,
    "`[]`",
    "what the threat model leaves out, stated in the report",
);

/// `lifecycle` of `system`.
pub const SYSTEM_LIFECYCLE: PropertySpec = prop(
    "lifecycle",
    false,
    OpenSet(LIFECYCLE),
    "`[]`",
    "the lifecycle phases the model covers (an open set)",
);

/// `overall_residual` of `system`.
pub const SYSTEM_OVERALL_RESIDUAL: PropertySpec = prop(
    "overall_residual",
    false,
    Text,
    "none",
    "the overall residual risk statement",
);

/// `approved_by` of `system`.
pub const SYSTEM_APPROVED_BY: PropertySpec = prop(
    "approved_by",
    false,
    Text,
    "none",
    "who approved the threat model",
);
const SYSTEM: &[PropertySpec] = &[
    SYSTEM_VERSION,
    SYSTEM_INTENDED_USE,
    SYSTEM_POLICY,
    SYSTEM_OUT_OF_SCOPE,
    SYSTEM_LIFECYCLE,
    SYSTEM_OVERALL_RESIDUAL,
    SYSTEM_APPROVED_BY,
];
/// `trust` of `zone`.
pub const ZONE_TRUST: PropertySpec = prop(
    "trust",
    false,
    Enum(Trust::NAMES),
    "the enclosing zone's, else `untrusted`",
    "how far what is inside the zone is trusted: `hostile < untrusted < controlled < trusted`",
);

/// `physical_access` of `zone`.
pub const ZONE_PHYSICAL_ACCESS: PropertySpec = prop(
    "physical_access",
    false,
    Bool,
    "the enclosing zone's, else `false`",
    "whether an attacker can touch what is inside the zone",
);

/// `controlled_by` of `zone`.
pub const ZONE_CONTROLLED_BY: PropertySpec = prop(
    "controlled_by",
    false,
    Enum(ControlledBy::NAMES),
    "not stated (not inherited)",
    "who runs the zone: `manufacturer`, `hcf`, `patient` or `third_party`",
);
const ZONE: &[PropertySpec] = &[ZONE_TRUST, ZONE_PHYSICAL_ACCESS, ZONE_CONTROLLED_BY];
/// `kind` of `data`.
pub const DATA_KIND: PropertySpec = prop(
    "kind",
    false,
    Enum(DataKind::NAMES),
    "`other`",
    "what the data is (`command`, `phi`, `credential`, `firmware`, ...), which rules read",
);

/// `confidentiality` of `data`.
pub const DATA_CONFIDENTIALITY: PropertySpec = prop(
    "confidentiality",
    false,
    Enum(CiaLevel::NAMES),
    "`none`",
    "the harm of its disclosure: `none < low < medium < high`",
);

/// `integrity` of `data`.
pub const DATA_INTEGRITY: PropertySpec = prop(
    "integrity",
    false,
    Enum(CiaLevel::NAMES),
    "`none`",
    "the harm of its alteration: `none < low < medium < high`",
);

/// `availability` of `data`.
pub const DATA_AVAILABILITY: PropertySpec = prop(
    "availability",
    false,
    Enum(CiaLevel::NAMES),
    "`none`",
    "the harm of its loss: `none < low < medium < high`",
);

/// `hazards` of `data`.
pub const DATA_HAZARDS: PropertySpec = prop(
    "hazards",
    false,
    PROPERTY_HAZARDS,
    "empty",
    "the hazards its loss of confidentiality, integrity or availability leads to",
);
const DATA_ITEM: &[PropertySpec] = &[
    DATA_KIND,
    DATA_CONFIDENTIALITY,
    DATA_INTEGRITY,
    DATA_AVAILABILITY,
    DATA_HAZARDS,
];
/// `kind` of `component`.
pub const COMPONENT_KIND: PropertySpec = prop(
    "kind",
    false,
    Enum(ComponentKind::NAMES),
    "`process`",
    "what the component is (`device`, `firmware`, `mobile_app`, `service`, `proxy`, `runtime`, ...)",
);

/// `stores` of `component`.
pub const COMPONENT_STORES: PropertySpec = prop(
    "stores",
    false,
    Ids(DATA),
    "`[]`",
    "the data the component stores",
);

/// `software` of `component`.
pub const COMPONENT_SOFTWARE: PropertySpec = prop(
    "software",
    false,
    Ids(&[DeclKind::Software]),
    "`[]`",
    "the software it runs: `software` ids (free-text strings still work, with W0204)",
);

/// `sbom` of `component`.
pub const COMPONENT_SBOM: PropertySpec = prop(
    "sbom",
    false,
    Text,
    "none",
    "a CycloneDX 1.5/1.6 or SPDX 2.3 JSON SBOM, relative to the model root: its packages are software the component runs",
);

/// `version` of `component`.
pub const COMPONENT_VERSION: PropertySpec = prop(
    "version", false, Text,
    "none",
    "the version of the component's own software; passing evidence must have been produced on it (`tested_version`, W0432)",
);

/// `interfaces` of `component`.
pub const COMPONENT_INTERFACES: PropertySpec = prop(
    "interfaces",
    false,
    OpenSet(INTERFACES),
    "`[]`",
    "its physical and network interfaces (an open set: `ble`, `usb`, `jtag`, ...)",
);

/// `fleet` of `component`.
pub const COMPONENT_FLEET: PropertySpec = prop(
    "fleet",
    false,
    Enum(Fleet::NAMES),
    "`per_patient`",
    "`per_patient`, or `shared` when one instance serves many patients",
);

/// `controlled_by` of `component`.
pub const COMPONENT_CONTROLLED_BY: PropertySpec = prop(
    "controlled_by",
    false,
    Enum(ControlledBy::NAMES),
    "its zone's `controlled_by`",
    "who runs the component (default: its zone's owner)",
);

/// `updatable` of `component`.
pub const COMPONENT_UPDATABLE: PropertySpec = prop(
    "updatable",
    false,
    Bool,
    "by `kind`, see below",
    "whether its software can be updated in the field (default: by `kind`)",
);

/// `hazards` of `component`.
pub const COMPONENT_HAZARDS: PropertySpec = prop(
    "hazards",
    false,
    PROPERTY_HAZARDS,
    "empty",
    "the hazards of its own function, as in `data`",
);
/// `input_validation` of `component`.
pub const COMPONENT_INPUT_VALIDATION: PropertySpec = prop(
    "input_validation",
    false,
    Bool,
    "`false`",
    "it validates all input against an allow-list or schema before use (parameterized queries, schema validation)",
);

/// `output_encoding` of `component`.
pub const COMPONENT_OUTPUT_ENCODING: PropertySpec = prop(
    "output_encoding",
    false,
    Bool,
    "`false`",
    "it encodes output for the context it is rendered in (HTML, SQL, shell)",
);

/// `access_control` of `component`.
pub const COMPONENT_ACCESS_CONTROL: PropertySpec = prop(
    "access_control",
    false,
    Bool,
    "`false`",
    "every request is checked against the caller's rights, deny by default",
);

/// `authorization` of `component`.
pub const COMPONENT_AUTHORIZATION: PropertySpec = prop(
    "authorization",
    false,
    Enum(Authorization::NAMES),
    "not stated",
    "the authorization model; `per_patient`: a caller reaches only the patients it is assigned",
);

/// The usual `parses` formats.
pub const FORMATS: &[&str] = &[
    "hl7v2",
    "fhir",
    "cda",
    "xml",
    "json",
    "dicom",
    "serialized_objects",
    "files",
    "archives",
    "firmware_images",
];

/// `parses` of `component`.
pub const COMPONENT_PARSES: PropertySpec = prop(
    "parses",
    false,
    OpenSet(FORMATS),
    "`[]`",
    "the formats it parses from its inputs (an open set: `hl7v2`, `fhir`, `xml`, `dicom`, ...)",
);

/// `processes` of `component`.
pub const COMPONENT_PROCESSES: PropertySpec = prop(
    "processes",
    false,
    Ids(DATA),
    "`[]`",
    "data it handles in memory but does not store: its threats affect the data, no data-store threats",
);

/// `runs_on` of `component`.
pub const COMPONENT_RUNS_ON: PropertySpec = prop(
    "runs_on",
    false,
    Ids(&[DeclKind::Component]),
    "none",
    "the `runtime` component (VM, container host, cluster, serverless platform) it runs on",
);

/// `out_of_scope` of `component`, `actor` and `flow`.
pub const OUT_OF_SCOPE: PropertySpec = prop(
    "out_of_scope",
    false,
    Text,
    "none (in scope)",
    "why the element or flow is outside the threat model: no rule threats are generated on it, and the reason is listed in the report (E0160 when empty)",
);
const COMPONENT: &[PropertySpec] = &[
    COMPONENT_KIND,
    COMPONENT_STORES,
    COMPONENT_SOFTWARE,
    COMPONENT_SBOM,
    COMPONENT_VERSION,
    COMPONENT_INTERFACES,
    COMPONENT_FLEET,
    COMPONENT_CONTROLLED_BY,
    COMPONENT_UPDATABLE,
    COMPONENT_HAZARDS,
    COMPONENT_INPUT_VALIDATION,
    COMPONENT_OUTPUT_ENCODING,
    COMPONENT_ACCESS_CONTROL,
    COMPONENT_AUTHORIZATION,
    COMPONENT_PARSES,
    COMPONENT_PROCESSES,
    COMPONENT_RUNS_ON,
    OUT_OF_SCOPE,
];
/// `kind` of `actor`.
pub const ACTOR_KIND: PropertySpec = prop(
    "kind",
    true,
    Enum(ActorKind::NAMES),
    "(`human` after an error)",
    "`human` or `external_system`",
);

/// `stores` of `actor`.
pub const ACTOR_STORES: PropertySpec = prop(
    "stores",
    false,
    Ids(DATA),
    "`[]`",
    "the data the actor holds",
);

/// `controlled_by` of `actor`.
pub const ACTOR_CONTROLLED_BY: PropertySpec = prop(
    "controlled_by",
    false,
    Enum(ControlledBy::NAMES),
    "its zone's `controlled_by`",
    "who the actor answers to (default: its zone's owner)",
);

/// `fleet` of `actor`.
pub const ACTOR_FLEET: PropertySpec = prop(
    "fleet",
    false,
    Enum(Fleet::NAMES),
    "`per_patient`",
    "`per_patient`, or `shared` when one instance serves many patients",
);
const ACTOR: &[PropertySpec] = &[
    ACTOR_KIND,
    ACTOR_STORES,
    ACTOR_CONTROLLED_BY,
    ACTOR_FLEET,
    OUT_OF_SCOPE,
];
/// `protocol` of `flow`.
pub const FLOW_PROTOCOL: PropertySpec = prop(
    "protocol",
    false,
    OpenSet(PROTOCOLS),
    "`unspecified`",
    "the protocol it runs over (an open set: `ble`, `https`, `mqtt`, `ui`, ...)",
);

/// `carries` of `flow`.
pub const FLOW_CARRIES: PropertySpec = prop(
    "carries",
    false,
    Ids(DATA),
    "`[]`",
    "the data the flow carries",
);

/// `authenticated` of `flow`.
pub const FLOW_AUTHENTICATED: PropertySpec = prop(
    "authenticated",
    false,
    Bool,
    "`false`",
    "the source is authenticated: shorthand for `auth` other than `none`",
);

/// `auth` of `flow`.
pub const FLOW_AUTH: PropertySpec = prop(
    "auth",
    false,
    Enum(AuthMethod::NAMES),
    "`none`, or unspecified when only `authenticated: true` is written",
    "how the source authenticates: `none`, `password`, `token`, `certificate`, `mutual_tls` or `mfa`",
);

/// `server_authenticated` of `flow`.
pub const FLOW_SERVER_AUTHENTICATED: PropertySpec = prop(
    "server_authenticated",
    false,
    Bool,
    "the flow's `authenticated`",
    "the source verifies the target's identity (a TLS server certificate checked)",
);

/// `tls_version` of `flow`.
pub const FLOW_TLS_VERSION: PropertySpec = prop(
    "tls_version",
    false,
    Enum(TlsVersion::NAMES),
    "not stated",
    "the lowest TLS version the link accepts (W0170 on a flow that is not `encrypted`)",
);

/// `identity` of `flow`.
pub const FLOW_IDENTITY: PropertySpec = prop(
    "identity",
    false,
    Enum(CallerIdentity::NAMES),
    "not stated",
    "whose identity the call carries: the `end_user`'s (propagated) or a `service` account's",
);

/// `returns` of `flow`.
pub const FLOW_RETURNS: PropertySpec = prop(
    "returns",
    false,
    Ids(DATA),
    "`[]`",
    "request/response: the data of the response, carried by the direction `FLOW.reverse` (target to source)",
);

/// `encrypted` of `flow`.
pub const FLOW_ENCRYPTED: PropertySpec = prop(
    "encrypted",
    false,
    Bool,
    "`false`",
    "taken as authenticated encryption by the standard rules",
);

/// `integrity_protected` of `flow`.
pub const FLOW_INTEGRITY_PROTECTED: PropertySpec = prop(
    "integrity_protected",
    false,
    Bool,
    "`false`",
    "each message carries a MAC or signature checked by its final receiver",
);
const FLOW: &[PropertySpec] = &[
    FLOW_PROTOCOL,
    FLOW_CARRIES,
    FLOW_RETURNS,
    FLOW_AUTHENTICATED,
    FLOW_AUTH,
    FLOW_SERVER_AUTHENTICATED,
    FLOW_TLS_VERSION,
    FLOW_IDENTITY,
    FLOW_ENCRYPTED,
    FLOW_INTEGRITY_PROTECTED,
    OUT_OF_SCOPE,
];
/// `severity` of `hazard`.
pub const HAZARD_SEVERITY: PropertySpec = prop(
    "severity",
    true,
    SeverityLevel,
    "(the highest level after an error)",
    "the severity of the harm, a level of the policy's severity scale",
);

/// `harm` of `hazard`.
pub const HAZARD_HARM: PropertySpec = prop(
    "harm",
    false,
    Text,
    "none",
    "the harm to the patient or user",
);

/// `hazardous_situation` of `hazard`.
pub const HAZARD_HAZARDOUS_SITUATION: PropertySpec = prop(
    "hazardous_situation",
    false,
    Text,
    "none",
    "the hazardous situation (ISO 14971) in which the harm can occur",
);

/// `rmf_ref` of `hazard`.
pub const HAZARD_RMF_REF: PropertySpec = prop(
    "rmf_ref",
    false,
    Text,
    "none",
    "its id in the ISO 14971 risk management file",
);

/// `rmf_risk` of `hazard`.
pub const HAZARD_RMF_RISK: PropertySpec = prop(
    "rmf_risk", false, Text,
    "none (shown as \"not recorded\")",
    "the risk management file's own evaluation of this hazard, as the file states it; Ward shows it beside its own safety-related security risk on each safety-transfer row and in `model.json`, and does not read it",
);
const HAZARD: &[PropertySpec] = &[
    HAZARD_SEVERITY,
    HAZARD_HARM,
    HAZARD_HAZARDOUS_SITUATION,
    HAZARD_RMF_REF,
    HAZARD_RMF_RISK,
];
/// `stride` of `threat`.
pub const THREAT_STRIDE: PropertySpec = prop(
    "stride",
    true,
    Enum(Stride::NAMES),
    "",
    "the STRIDE categories of the threat",
);

/// `targets` of `threat`.
pub const THREAT_TARGETS: PropertySpec = prop(
    "targets",
    true,
    Targets,
    "",
    "the flows, components and actors the threat acts on (`f.reverse` allowed)",
);

/// `hazards` of `threat`.
pub const THREAT_HAZARDS: PropertySpec = prop(
    "hazards",
    false,
    Ids(HAZARDS),
    "`[]`",
    "added to those derived from the data and components",
);

/// `exploitability` of `threat`.
pub const THREAT_EXPLOITABILITY: PropertySpec = prop(
    "exploitability",
    false,
    ExploitabilityLevel,
    "",
    "its exploitability, a level of the policy's scale (exactly one of this and `cvss`)",
);

/// `cvss` of `threat`.
pub const THREAT_CVSS: PropertySpec = prop(
    "cvss",
    false,
    Text,
    "",
    "a CVSS v3.0 or v3.1 vector its exploitability is derived from",
);

/// `capec` of `threat`.
pub const THREAT_CAPEC: PropertySpec = prop(
    "capec",
    false,
    Number,
    "`[]`",
    "the CAPEC attack patterns it follows",
);

/// `cwe` of `threat`.
pub const THREAT_CWE: PropertySpec = prop(
    "cwe",
    false,
    Number,
    "`[]`",
    "the CWE weaknesses it exploits",
);

/// `impact` of `threat`.
pub const THREAT_IMPACT: PropertySpec = prop(
    "impact",
    false,
    Enum(CiaLevel::NAMES),
    "derived from the affected data's ratings",
    "the security impact stated by hand (`none`, `low`, `medium`, `high`), used instead of the one derived from the data's ratings",
);
const THREAT: &[PropertySpec] = &[
    THREAT_STRIDE,
    THREAT_TARGETS,
    THREAT_HAZARDS,
    THREAT_EXPLOITABILITY,
    THREAT_CVSS,
    THREAT_CAPEC,
    THREAT_CWE,
    THREAT_IMPACT,
];
/// `stride` of `rule`.
pub const RULE_STRIDE: PropertySpec = prop(
    "stride",
    true,
    Enum(Stride::NAMES),
    "",
    "the STRIDE categories of the threats it generates",
);

/// `affects` of `rule`.
pub const RULE_AFFECTS: PropertySpec = prop(
    "affects",
    false,
    Enum(AffectsItem::NAMES),
    "all the STRIDE-derived properties, all the data the element touches",
    "the security properties and data kinds its threats affect",
);

/// `detection_gap` of `rule`.
pub const RULE_DETECTION_GAP: PropertySpec = prop(
    "detection_gap",
    false,
    Bool,
    "`false`",
    "`true`: the threat is a missing record (an absent log)",
);

/// `per` of `rule`.
pub const RULE_PER: PropertySpec = prop(
    "per",
    false,
    Enum(RulePer::NAMES),
    "`direction`",
    "flow rules: `link`, one threat for both directions of a `<->` flow (named on the forward flow), or `direction`, one per direction",
);

/// `group_by` of `rule`.
pub const RULE_GROUP_BY: PropertySpec = prop(
    "group_by",
    false,
    Enum(RuleGroupBy::NAMES),
    "none",
    "flow rules: `target` (or `source`), one threat per element the matching flows go into (or come from), `RULE@ELEMENT`, listing the flows; component rules: `runs_on`, one threat per `runtime` the matching components run on, `RULE@RUNTIME`, listing the components",
);

/// `applies_to` of `rule`.
pub const RULE_APPLIES_TO: PropertySpec = prop(
    "applies_to",
    true,
    Enum(RuleTarget::NAMES),
    "",
    "the kind of subject it is evaluated on: `flow`, `component` or `actor`",
);

/// `exploitability` of `rule`.
pub const RULE_EXPLOITABILITY: PropertySpec = prop(
    "exploitability",
    true,
    ExploitabilityLevel,
    "",
    "the exploitability of the threats it generates",
);

/// `attack_vector` of `rule`.
pub const RULE_ATTACK_VECTOR: PropertySpec = prop(
    "attack_vector",
    false,
    Enum(AttackVector::NAMES),
    "`network`",
    "CVSS's AV: `network`, `adjacent`, `local` or `physical`",
);

/// `when` of `rule`.
pub const RULE_WHEN: PropertySpec = prop(
    "when",
    false,
    When,
    "`true`",
    "the condition (§4) a subject must meet for a threat to be generated on it",
);

/// `capec` of `rule`.
pub const RULE_CAPEC: PropertySpec = prop(
    "capec",
    false,
    Number,
    "`[]`",
    "the CAPEC attack patterns of its threats",
);

/// `cwe` of `rule`.
pub const RULE_CWE: PropertySpec = prop(
    "cwe",
    false,
    Number,
    "`[]`",
    "the CWE weaknesses of its threats",
);

/// `suggest` of `rule`.
pub const RULE_SUGGEST: PropertySpec = prop(
    "suggest",
    false,
    Enum(ControlCategory::NAMES),
    "`[]`",
    "the FDA control categories that mitigate its threats",
);
const RULE: &[PropertySpec] = &[
    RULE_STRIDE,
    RULE_AFFECTS,
    RULE_DETECTION_GAP,
    RULE_APPLIES_TO,
    RULE_PER,
    RULE_GROUP_BY,
    RULE_EXPLOITABILITY,
    RULE_ATTACK_VECTOR,
    RULE_WHEN,
    RULE_CAPEC,
    RULE_CWE,
    RULE_SUGGEST,
];
/// `category` of `control`.
pub const CONTROL_CATEGORY: PropertySpec = prop(
    "category",
    true,
    Enum(ControlCategory::NAMES),
    "",
    "its FDA control category (`authentication`, `cryptography`, `integrity`, ...)",
);

/// `requirement` of `control`.
pub const CONTROL_REQUIREMENT: PropertySpec =
    prop("requirement", true, Text, "", "the design input");

/// `id` of `control`.
pub const CONTROL_ID: PropertySpec =
    prop("id", false, Text, "the control's id", "the requirement id");

/// `mitigates` of `control`.
pub const CONTROL_MITIGATES: PropertySpec = prop(
    "mitigates",
    false,
    Threats,
    "`[]`",
    "the threats it mitigates (threat ids and `RULE@ELEMENT`)",
);

/// `reduces` of `control`.
pub const CONTROL_REDUCES: PropertySpec = prop(
    "reduces",
    false,
    Number,
    "`0`",
    "exploitability levels it removes",
);

/// `independent` of `control`.
pub const CONTROL_INDEPENDENT: PropertySpec = prop(
    "independent",
    false,
    Bool,
    "`false`",
    "`true`: its reduction adds to the other controls' instead of overlapping them",
);

/// `residual_exploitability` of `control`.
pub const CONTROL_RESIDUAL_EXPLOITABILITY: PropertySpec = prop(
    "residual_exploitability",
    false,
    ExploitabilityLevel,
    "none",
    "caps the residual exploitability",
);

/// `limits` of `control`.
pub const CONTROL_LIMITS: PropertySpec = prop(
    "limits",
    false,
    Block {
        keys: &Ids(HAZARDS),
        values: &SeverityLevel,
    },
    "empty",
    "`HAZARD: severity level`: caps that hazard's severity",
);

/// `option` of `control`.
pub const CONTROL_OPTION: PropertySpec = prop(
    "option",
    false,
    Enum(ControlOption::NAMES),
    "none",
    "its ISO 14971 risk control option",
);

/// `acceptance` of `control`.
pub const CONTROL_ACCEPTANCE: PropertySpec =
    prop("acceptance", false, Text, "none", "acceptance criteria");

/// `implemented_in` of `control`.
pub const CONTROL_IMPLEMENTED_IN: PropertySpec = prop(
    "implemented_in",
    false,
    Ids(ELEMENTS),
    "`[]`",
    "counts for FDA coverage (W0411)",
);

/// `verification` of `control`.
pub const CONTROL_VERIFICATION: PropertySpec = prop(
    "verification",
    false,
    Verification,
    "`[]`",
    "its evidence: verification ids and inline `METHOD \"text\"` items",
);

/// `status` of `control`.
pub const CONTROL_STATUS: PropertySpec = prop(
    "status",
    false,
    Enum(ControlStatus::NAMES),
    "`proposed`",
    "`proposed`, `implemented` or `verified`",
);
const CONTROL: &[PropertySpec] = &[
    CONTROL_CATEGORY,
    CONTROL_REQUIREMENT,
    CONTROL_ID,
    CONTROL_MITIGATES,
    CONTROL_REDUCES,
    CONTROL_INDEPENDENT,
    CONTROL_RESIDUAL_EXPLOITABILITY,
    CONTROL_LIMITS,
    CONTROL_OPTION,
    CONTROL_ACCEPTANCE,
    CONTROL_IMPLEMENTED_IN,
    CONTROL_VERIFICATION,
    CONTROL_STATUS,
];
/// `type` of `verification`.
pub const VERIFICATION_TYPE: PropertySpec = prop(
    "type",
    false,
    Enum(VerificationType::NAMES),
    "none",
    "the kind of testing (`security_requirements`, `penetration`, ...)",
);

/// `method` of `verification`.
pub const VERIFICATION_METHOD: PropertySpec = prop(
    "method",
    true,
    Enum(Method::NAMES),
    "(`test` after an error)",
    "`test`, `analysis`, `inspection` or `demonstration`",
);

/// `report` of `verification`.
pub const VERIFICATION_REPORT: PropertySpec = prop(
    "report",
    false,
    Text,
    "none",
    "the test report it refers to",
);

/// `result` of `verification`.
pub const VERIFICATION_RESULT: PropertySpec = prop(
    "result",
    false,
    Enum(TestResult::NAMES),
    "none",
    "`pass`, `fail`, `pending` or `not_run`",
);

/// `tested_version` of `verification`.
pub const VERIFICATION_TESTED_VERSION: PropertySpec = prop(
    "tested_version",
    false,
    Text,
    "none",
    "the version of what was tested, compared with the `version` of each covered component (W0432)",
);

/// `date` of `verification`.
pub const VERIFICATION_DATE: PropertySpec = prop(
    "date",
    false,
    Date,
    "none",
    "when it was run (E0216 if not a calendar date)",
);

/// `disposition` of `verification`.
pub const VERIFICATION_DISPOSITION: PropertySpec = prop(
    "disposition",
    false,
    Text,
    "none",
    "why a `fail` no longer stands, e.g. \"superseded by retest TR-2026-044\" (W0431 without it)",
);

/// `independent` of `verification`.
pub const VERIFICATION_INDEPENDENT: PropertySpec = prop(
    "independent",
    false,
    Bool,
    "`false`",
    "performed by testers independent of the developers",
);

/// `scope` of `verification`.
pub const VERIFICATION_SCOPE: PropertySpec =
    prop("scope", false, Targets, "`[]`", "elements covered");
const VERIFICATION: &[PropertySpec] = &[
    VERIFICATION_TYPE,
    VERIFICATION_METHOD,
    VERIFICATION_REPORT,
    VERIFICATION_RESULT,
    VERIFICATION_TESTED_VERSION,
    VERIFICATION_DATE,
    VERIFICATION_DISPOSITION,
    VERIFICATION_INDEPENDENT,
    VERIFICATION_SCOPE,
];
/// `rationale` of `assumption`.
pub const ASSUMPTION_RATIONALE: PropertySpec =
    prop("rationale", false, Text, "none", "why the assumption holds");

/// `applies_to` of `assumption`.
pub const ASSUMPTION_APPLIES_TO: PropertySpec = prop(
    "applies_to",
    false,
    Ids(&[
        DeclKind::Zone,
        DeclKind::Component,
        DeclKind::Actor,
        DeclKind::Flow,
    ]),
    "`[]`",
    "the zones, components, actors and flows it concerns",
);
const ASSUMPTION: &[PropertySpec] = &[ASSUMPTION_RATIONALE, ASSUMPTION_APPLIES_TO];
/// `rationale` of `accept`.
pub const ACCEPT_RATIONALE: PropertySpec = prop(
    "rationale",
    true,
    Text,
    "",
    "why the residual risk is accepted",
);

/// `level` of `accept`.
pub const ACCEPT_LEVEL: PropertySpec = prop(
    "level",
    true,
    Enum(RiskLevel::NAMES),
    "(`review` after an error)",
    "the residual level accepted: `acceptable`, `review` or `unacceptable`",
);

/// `benefit` of `accept`.
pub const ACCEPT_BENEFIT: PropertySpec = prop(
    "benefit",
    false,
    Text,
    "none",
    "the benefit that outweighs the risk",
);

/// `benefit_risk` of `accept`.
pub const ACCEPT_BENEFIT_RISK: PropertySpec = prop(
    "benefit_risk",
    false,
    Text,
    "none",
    "the benefit-risk rationale, required for an `unacceptable` level (E0213)",
);

/// `approved_by` of `accept`.
pub const ACCEPT_APPROVED_BY: PropertySpec = prop(
    "approved_by",
    false,
    Text,
    "none",
    "who accepted the residual risk (person or board, record id)",
);

/// `date` of `accept`.
pub const ACCEPT_DATE: PropertySpec = prop(
    "date",
    false,
    Text,
    "none",
    "when it was decided (E0216 if not a calendar date)",
);
const ACCEPT: &[PropertySpec] = &[
    ACCEPT_RATIONALE,
    ACCEPT_LEVEL,
    ACCEPT_BENEFIT,
    ACCEPT_BENEFIT_RISK,
    ACCEPT_APPROVED_BY,
    ACCEPT_DATE,
];
/// `status` of `disposition`.
pub const DISPOSITION_STATUS: PropertySpec = prop(
    "status",
    false,
    Enum(DispositionStatus::NAMES),
    "`open`",
    "where the threat's triage stands; `not_applicable` and `false_positive` take it out of open risk",
);

/// `rationale` of `disposition`.
pub const DISPOSITION_RATIONALE: PropertySpec = prop(
    "rationale",
    false,
    Text,
    "none",
    "why the threat does not apply or is a false positive (required for those, E0161)",
);

/// `approver` of `disposition`.
pub const DISPOSITION_APPROVER: PropertySpec = prop(
    "approver",
    false,
    Text,
    "none",
    "who decided it (person or board, record id; required for `not_applicable` and `false_positive`)",
);

/// `date` of `disposition`.
pub const DISPOSITION_DATE: PropertySpec = prop(
    "date",
    false,
    Date,
    "none",
    "when it was decided (required for `not_applicable` and `false_positive`)",
);

/// `ticket` of `disposition`.
pub const DISPOSITION_TICKET: PropertySpec = prop(
    "ticket",
    false,
    Text,
    "none",
    "the issue tracker's reference, shown in the registers",
);

/// `target_hash` of `disposition`.
pub const DISPOSITION_TARGET_HASH: PropertySpec = prop(
    "target_hash",
    false,
    Text,
    "none",
    "the content hash of the threat's targets when decided (W0162 shows the current one, and the editor's quick fix writes it after review); W0162 once it differs",
);
const DISPOSITION: &[PropertySpec] = &[
    DISPOSITION_STATUS,
    DISPOSITION_RATIONALE,
    DISPOSITION_APPROVER,
    DISPOSITION_DATE,
    DISPOSITION_TICKET,
    DISPOSITION_TARGET_HASH,
];
/// `role` of `approval`.
pub const APPROVAL_ROLE: PropertySpec = prop(
    "role",
    true,
    Text,
    "",
    "the approver's role in the quality system (\"Design review chair\")",
);

/// `name` of `approval`.
pub const APPROVAL_NAME: PropertySpec = prop("name", true, Text, "", "who approved");

/// `date` of `approval`.
pub const APPROVAL_DATE: PropertySpec = prop(
    "date",
    true,
    Date,
    "",
    "when it was approved (E0216 if not a calendar date)",
);

/// `scope` of `approval`.
pub const APPROVAL_SCOPE: PropertySpec = prop(
    "scope",
    true,
    ApprovalScope,
    "",
    "what was approved: `model`, `release` (the model and the system's `version`) or a list of accepted threats",
);

/// `approved_hash` of `approval`.
pub const APPROVAL_APPROVED_HASH: PropertySpec = prop(
    "approved_hash",
    true,
    Text,
    "",
    "the content hash of the scope when approved (`ward check --print-hash`); W0450 once it differs",
);

/// `note` of `approval`.
pub const APPROVAL_NOTE: PropertySpec = prop(
    "note",
    false,
    Text,
    "none",
    "where the record lives (minutes, QMS record id)",
);
const APPROVAL: &[PropertySpec] = &[
    APPROVAL_ROLE,
    APPROVAL_NAME,
    APPROVAL_DATE,
    APPROVAL_SCOPE,
    APPROVAL_APPROVED_HASH,
    APPROVAL_NOTE,
];
/// `supplier` of `software` (NTIA: supplier name).
pub const SOFTWARE_SUPPLIER: PropertySpec = prop(
    "supplier",
    true,
    Text,
    "",
    "who supplies it (NTIA supplier name)",
);

/// `version` of `software`.
pub const SOFTWARE_VERSION: PropertySpec = prop(
    "version",
    true,
    Text,
    "",
    "the version in use (NTIA version)",
);

/// `purl` of `software`.
pub const SOFTWARE_PURL: PropertySpec = prop(
    "purl",
    false,
    Text,
    "none",
    "its package URL, a unique identifier (`purl` or `cpe` is required)",
);

/// `cpe` of `software`.
pub const SOFTWARE_CPE: PropertySpec = prop(
    "cpe",
    false,
    Text,
    "none",
    "its CPE 2.3 name, a unique identifier (`purl` or `cpe` is required)",
);

/// `author` of `software`.
pub const SOFTWARE_AUTHOR: PropertySpec = prop(
    "author",
    true,
    Text,
    "",
    "who wrote this SBOM data (NTIA author of SBOM data)",
);

/// `timestamp` of `software`.
pub const SOFTWARE_TIMESTAMP: PropertySpec = prop(
    "timestamp",
    true,
    Date,
    "",
    "when this SBOM data was written (E0216 if not a calendar date)",
);

/// `depends_on` of `software`.
pub const SOFTWARE_DEPENDS_ON: PropertySpec = prop(
    "depends_on",
    false,
    Ids(&[DeclKind::Software]),
    "`[]`",
    "the software it depends on (NTIA dependency relationship; a cycle is E0123)",
);

/// `support` of `software`.
pub const SOFTWARE_SUPPORT: PropertySpec = prop(
    "support",
    true,
    Enum(SupportLevel::NAMES),
    "",
    "whether its supplier still supports it (`unsupported` is W0460)",
);

/// `end_of_support` of `software`.
pub const SOFTWARE_END_OF_SUPPORT: PropertySpec = prop(
    "end_of_support",
    false,
    Date,
    "none",
    "when support ends; missing, or past `as_of`, is W0460",
);

/// `hashes` of `software`.
pub const SOFTWARE_HASHES: PropertySpec = prop(
    "hashes",
    false,
    Text,
    "`[]`",
    "digests of the delivered files, `\"ALG:HEX\"`",
);
const SOFTWARE: &[PropertySpec] = &[
    SOFTWARE_SUPPLIER,
    SOFTWARE_VERSION,
    SOFTWARE_PURL,
    SOFTWARE_CPE,
    SOFTWARE_AUTHOR,
    SOFTWARE_TIMESTAMP,
    SOFTWARE_DEPENDS_ON,
    SOFTWARE_SUPPORT,
    SOFTWARE_END_OF_SUPPORT,
    SOFTWARE_HASHES,
];
/// `advisory` of `vulnerability`.
pub const VULNERABILITY_ADVISORY: PropertySpec = prop(
    "advisory",
    true,
    Text,
    "",
    "the advisory's id: `CVE-...`, `GHSA-...` or the vendor's own (two records of one advisory are E0141)",
);

/// `aliases` of `vulnerability`.
pub const VULNERABILITY_ALIASES: PropertySpec = prop(
    "aliases",
    false,
    Text,
    "`[]`",
    "other ids of the same advisory (a KEV listing of any of them counts)",
);

/// `software` of `vulnerability`.
pub const VULNERABILITY_SOFTWARE: PropertySpec = prop(
    "software",
    true,
    Ids(&[DeclKind::Software]),
    "",
    "the `software` it is stated for; those whose `version` is in the range are affected",
);

/// `introduced` of `vulnerability`.
pub const VULNERABILITY_INTRODUCED: PropertySpec = prop(
    "introduced",
    false,
    Text,
    "none",
    "the first affected version (OSV `introduced`)",
);

/// `fixed` of `vulnerability`.
pub const VULNERABILITY_FIXED: PropertySpec = prop(
    "fixed",
    false,
    Text,
    "none",
    "the first version with the fix (OSV `fixed`); versions before it are affected",
);

/// `versions` of `vulnerability`.
pub const VULNERABILITY_VERSIONS: PropertySpec = prop(
    "versions",
    false,
    Text,
    "`[]`",
    "affected versions listed one by one (OSV `versions`); with no range at all, every version is affected",
);

/// `cvss` of `vulnerability`.
pub const VULNERABILITY_CVSS: PropertySpec = prop(
    "cvss",
    false,
    Text,
    "none",
    "the advisory's CVSS v3.0 or v3.1 vector: its exploitability sub-score gives the threat's exploitability (without it, `high` and W0472)",
);

/// `kev` of `vulnerability`.
pub const VULNERABILITY_KEV: PropertySpec = prop(
    "kev",
    false,
    Bool,
    "`false`",
    "listed in CISA's Known Exploited Vulnerabilities catalog: exploitability at least `high`",
);

/// `kev_added` of `vulnerability`.
pub const VULNERABILITY_KEV_ADDED: PropertySpec = prop(
    "kev_added",
    false,
    Date,
    "none",
    "the date CISA added it to the KEV catalog (implies `kev: true`)",
);

/// `status` of `vulnerability`.
pub const VULNERABILITY_STATUS: PropertySpec = prop(
    "status",
    true,
    Enum(VulnerabilityStatus::NAMES),
    "",
    "its disposition: `affected` and `under_investigation` are scored as threats; `not_affected` and `fixed` are recorded",
);

/// `justification` of `vulnerability`.
pub const VULNERABILITY_JUSTIFICATION: PropertySpec = prop(
    "justification",
    false,
    Enum(VexJustification::NAMES),
    "none",
    "why it is `not_affected` (VEX); required with `not_affected` (W0470), only with it (E0140)",
);

/// `published` of `vulnerability`.
pub const VULNERABILITY_PUBLISHED: PropertySpec = prop(
    "published",
    false,
    Date,
    "none",
    "when the advisory was published",
);
const VULNERABILITY: &[PropertySpec] = &[
    VULNERABILITY_ADVISORY,
    VULNERABILITY_ALIASES,
    VULNERABILITY_SOFTWARE,
    VULNERABILITY_INTRODUCED,
    VULNERABILITY_FIXED,
    VULNERABILITY_VERSIONS,
    VULNERABILITY_CVSS,
    VULNERABILITY_KEV,
    VULNERABILITY_KEV_ADDED,
    VULNERABILITY_STATUS,
    VULNERABILITY_JUSTIFICATION,
    VULNERABILITY_PUBLISHED,
];

/// `cwe` of `anomaly`.
pub const ANOMALY_CWE: PropertySpec = prop(
    "cwe",
    false,
    Number,
    "none",
    "the CWE weakness it is an instance of, as a number (`cwe: 125`)",
);

/// `software` of `anomaly`.
pub const ANOMALY_SOFTWARE: PropertySpec = prop(
    "software",
    true,
    Ids(&[DeclKind::Software]),
    "",
    "the software the anomaly is in: `software` ids",
);

/// `safety_impact` of `anomaly`.
pub const ANOMALY_SAFETY_IMPACT: PropertySpec = prop(
    "safety_impact",
    true,
    Text,
    "",
    "the assessment of its impact on safety and effectiveness (ISO 14971)",
);

/// `security_impact` of `anomaly`.
pub const ANOMALY_SECURITY_IMPACT: PropertySpec = prop(
    "security_impact",
    true,
    Text,
    "",
    "the assessment of its impact on security: whether and how it could be exploited (AAMI TIR57)",
);

/// `hazards` of `anomaly`.
pub const ANOMALY_HAZARDS: PropertySpec = prop(
    "hazards",
    false,
    Ids(HAZARDS),
    "`[]`",
    "the hazards the safety assessment considered",
);

/// `rationale` of `anomaly`.
pub const ANOMALY_RATIONALE: PropertySpec = prop(
    "rationale",
    false,
    Text,
    "none",
    "why the device is released with it; missing is W0480 (an error at the submission stage)",
);

/// `ticket` of `anomaly`.
pub const ANOMALY_TICKET: PropertySpec = prop(
    "ticket",
    false,
    Text,
    "none",
    "its entry in the defect tracker",
);
const ANOMALY: &[PropertySpec] = &[
    ANOMALY_CWE,
    ANOMALY_SOFTWARE,
    ANOMALY_SAFETY_IMPACT,
    ANOMALY_SECURITY_IMPACT,
    ANOMALY_HAZARDS,
    ANOMALY_RATIONALE,
    ANOMALY_TICKET,
];

/// `sources` of `monitoring`.
pub const MONITORING_SOURCES: PropertySpec = prop(
    "sources",
    true,
    Text,
    "",
    "the vulnerability sources watched (`\"NVD\"`, `\"CISA KEV\"`, a supplier's advisories)",
);

/// `cvd_contact` of `monitoring`.
pub const MONITORING_CVD_CONTACT: PropertySpec = prop(
    "cvd_contact",
    true,
    Text,
    "",
    "where researchers report vulnerabilities (coordinated vulnerability disclosure)",
);

/// `cvd_policy` of `monitoring`.
pub const MONITORING_CVD_POLICY: PropertySpec = prop(
    "cvd_policy",
    false,
    Text,
    "none",
    "the published disclosure policy, a URL",
);

/// `patch_within` of `monitoring`.
pub const MONITORING_PATCH_WITHIN: PropertySpec = prop(
    "patch_within",
    true,
    Block {
        keys: &Enum(RiskControlState::NAMES),
        values: &Number,
    },
    "",
    "days to patch an open vulnerability, by whether its threat's risk is controlled",
);
const MONITORING: &[PropertySpec] = &[
    MONITORING_SOURCES,
    MONITORING_CVD_CONTACT,
    MONITORING_CVD_POLICY,
    MONITORING_PATCH_WITHIN,
];
/// `steps` of `usecase`.
pub const USECASE_STEPS: PropertySpec = prop(
    "steps",
    true,
    Flows,
    "",
    "its flows in order (`f.reverse` allowed)",
);

/// `state` of `usecase`.
pub const USECASE_STATE: PropertySpec = prop(
    "state",
    false,
    Name,
    "none",
    "the device state it runs in (an open set: `therapy`, `programming`, ...)",
);
const USECASE: &[PropertySpec] = &[USECASE_STEPS, USECASE_STATE];
/// `severity` of `policy`.
pub const POLICY_SEVERITY: PropertySpec = prop(
    "severity",
    true,
    Name,
    "",
    "the severity scale, lowest first",
);

/// `exploitability` of `policy`.
pub const POLICY_EXPLOITABILITY: PropertySpec = prop(
    "exploitability",
    true,
    Name,
    "",
    "the exploitability scale, lowest first",
);

/// `matrix` of `policy`.
pub const POLICY_MATRIX: PropertySpec = prop(
    "matrix",
    true,
    Block {
        keys: &SeverityLevel,
        values: &Enum(RiskLevel::NAMES),
    },
    "",
    "the risk level of each severity and exploitability pair, one row per severity level",
);

/// `security_matrix` of `policy`.
pub const POLICY_SECURITY_MATRIX: PropertySpec = prop(
    "security_matrix",
    true,
    Block {
        keys: &Enum(CiaLevel::NAMES),
        values: &Enum(RiskLevel::NAMES),
    },
    "",
    "the risk level of each security impact, one row per impact level",
);

/// `exploitability_criteria` of `policy`.
pub const POLICY_EXPLOITABILITY_CRITERIA: PropertySpec = prop(
    "exploitability_criteria",
    false,
    Block {
        keys: &ExploitabilityLevel,
        values: &Text,
    },
    "none",
    "`LEVEL: \"text\"`: what each exploitability level means",
);

/// `security_impact` of `policy`.
pub const POLICY_SECURITY_IMPACT: PropertySpec = prop(
    "security_impact",
    false,
    Enum(CiaLevel::NAMES),
    "`[none, low, medium, high]`",
    "the security impact scale; if given, exactly `[none, low, medium, high]` (E0256)",
);

/// `cvss_exploitability_bands` of `policy`.
pub const POLICY_CVSS_EXPLOITABILITY_BANDS: PropertySpec = prop(
    "cvss_exploitability_bands",
    false,
    Number,
    "none (then `cvss` is E0210)",
    "the CVSS exploitability sub-scores that divide the exploitability levels",
);

/// `controlled` of `policy`.
pub const POLICY_CONTROLLED: PropertySpec = prop(
    "controlled",
    false,
    Enum(RiskLevel::NAMES),
    "`[acceptable]`",
    "residual levels that count as controlled",
);

/// `require_verified` of `policy`.
pub const POLICY_REQUIRE_VERIFIED: PropertySpec = prop(
    "require_verified",
    false,
    Bool,
    "`false`",
    "judge acceptability on verified controls only",
);

/// `transfer_basis` of `policy`.
pub const POLICY_TRANSFER_BASIS: PropertySpec = prop(
    "transfer_basis", false, Text,
    "none",
    "how security risks are handed to the ISO 14971 risk management file, stated in the report and on every safety-transfer row",
);
const POLICY: &[PropertySpec] = &[
    POLICY_SEVERITY,
    POLICY_EXPLOITABILITY,
    POLICY_MATRIX,
    POLICY_SECURITY_MATRIX,
    POLICY_EXPLOITABILITY_CRITERIA,
    POLICY_SECURITY_IMPACT,
    POLICY_CVSS_EXPLOITABILITY_BANDS,
    POLICY_CONTROLLED,
    POLICY_REQUIRE_VERIFIED,
    POLICY_TRANSFER_BASIS,
];

/// `description` of every declaration but `accept`.
pub const COMMON_DESCRIPTION: PropertySpec = prop(
    "description",
    false,
    Text,
    "none",
    "what the declaration is, shown in hover and the artifacts",
);

/// `tags` of every declaration but `accept`.
pub const COMMON_TAGS: PropertySpec = prop(
    "tags",
    false,
    Name,
    "`[]`",
    "free labels (an open set) that rules' `when` can test",
);

/// `renamed_from` of every declaration but `accept`: the ids it had
/// before, so that `ward diff` reports a rename, not a removal and an
/// addition.
pub const COMMON_RENAMED_FROM: PropertySpec = prop(
    "renamed_from",
    false,
    Name,
    "`[]`",
    "the ids this declaration had before, so `ward diff` follows the rename",
);
const COMMON: &[PropertySpec] = &[COMMON_DESCRIPTION, COMMON_TAGS, COMMON_RENAMED_FROM];

/// A declaration kind's own properties, in the spec's order, without the
/// common `description` and `tags`.
pub fn own_properties(kind: DeclKind) -> &'static [PropertySpec] {
    match kind {
        DeclKind::System => SYSTEM,
        DeclKind::Zone => ZONE,
        DeclKind::Data => DATA_ITEM,
        DeclKind::Component => COMPONENT,
        DeclKind::Actor => ACTOR,
        DeclKind::Flow => FLOW,
        DeclKind::Hazard => HAZARD,
        DeclKind::Threat => THREAT,
        DeclKind::Rule => RULE,
        DeclKind::Control => CONTROL,
        DeclKind::Verification => VERIFICATION,
        DeclKind::Assumption => ASSUMPTION,
        DeclKind::Accept => ACCEPT,
        DeclKind::Usecase => USECASE,
        DeclKind::Policy => POLICY,
        DeclKind::Approval => APPROVAL,
        DeclKind::Software => SOFTWARE,
        DeclKind::Vulnerability => VULNERABILITY,
        DeclKind::Anomaly => ANOMALY,
        DeclKind::Monitoring => MONITORING,
        DeclKind::Disposition => DISPOSITION,
    }
}

/// Every property a declaration kind takes: its own, then the common ones.
pub fn properties(kind: DeclKind) -> impl Iterator<Item = &'static PropertySpec> {
    let common = if matches!(
        kind,
        DeclKind::Accept | DeclKind::Approval | DeclKind::Disposition
    ) {
        &[]
    } else {
        COMMON
    };
    own_properties(kind).iter().chain(common)
}

/// The property `key` of a declaration kind, if it takes one.
pub fn property(kind: DeclKind, key: &str) -> Option<&'static PropertySpec> {
    properties(kind).find(|p| p.key == key)
}

/// A name a `when` path can use on an object (spec §2 rule).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhenAttribute {
    pub name: &'static str,
    /// Its value's type; an object (`Type::Element`, `Type::Zone`) for a
    /// navigation step (`source`, `zone`).
    pub ty: Type,
}

/// The attributes and navigation steps of an object, in the spec's order.
pub fn when_attributes(object: ObjectKind) -> Vec<WhenAttribute> {
    crate::when::attributes(object)
        .map(|(name, ty)| WhenAttribute { name, ty })
        .collect()
}

/// The object a rule's `when` starts from.
pub fn when_object(applies_to: RuleTarget) -> ObjectKind {
    match applies_to {
        RuleTarget::Flow => ObjectKind::Flow,
        RuleTarget::Component | RuleTarget::Actor => ObjectKind::Element,
    }
}

/// The functions (`carries_kind(KIND)`, ...) callable on an object.
pub fn when_functions(object: ObjectKind) -> &'static [&'static str] {
    crate::when::functions_of(object)
}

/// Whether `name` is an attribute or navigation step of some object.
pub fn is_when_attribute(name: &str) -> bool {
    crate::when::MEMBER_NAMES.contains(&name)
}

/// The words of `when` expressions that are not attributes.
pub const WHEN_KEYWORDS: &[&str] = &ward_syntax::keywords::EXPRESSION_WORDS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_per_declaration() {
        for kind in DeclKind::ALL {
            let mut keys: Vec<&str> = properties(kind).map(|p| p.key).collect();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), n, "{}", kind.keyword());
        }
    }

    #[test]
    fn when_attributes_follow_the_spec() {
        let names = |o| -> Vec<&str> { when_attributes(o).iter().map(|a| a.name).collect() };
        assert_eq!(
            names(ObjectKind::Zone),
            ["id", "tags", "controlled_by", "trust", "physical_access"]
        );
        let flow = names(ObjectKind::Flow);
        assert!(flow.contains(&"source") && !flow.contains(&"zone"));
        let source = when_attributes(ObjectKind::Flow)
            .into_iter()
            .find(|a| a.name == "source")
            .unwrap();
        assert_eq!(source.ty, Type::Element);
        assert!(is_when_attribute("physical_access") && !is_when_attribute("carries_kind"));
    }
}
