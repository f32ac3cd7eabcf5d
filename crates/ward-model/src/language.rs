//! The language's vocabulary as read-only data (spec §2): the properties of
//! each declaration with what their values are, and the attributes a rule's
//! `when` can name. The checks of this crate read these tables, and so do
//! tools (the language server's completion and highlighting), so that the
//! vocabulary is written down once.

use crate::model::*;
use ward_syntax::ast::DeclKind;

/// A property a declaration takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropertySpec {
    pub key: &'static str,
    pub required: bool,
    pub value: ValueType,
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
    /// A block `key { k: v, ... }` whose keys and values are these.
    Block {
        keys: &'static ValueType,
        values: &'static ValueType,
    },
}

use ValueType::*;

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

const fn prop(key: &'static str, required: bool, value: ValueType) -> PropertySpec {
    PropertySpec {
        key,
        required,
        value,
    }
}

/// `hazards { confidentiality: [...], ... }` of data and components.
const PROPERTY_HAZARDS: ValueType = Block {
    keys: &Enum(SecurityProperty::NAMES),
    values: &Ids(HAZARDS),
};

const SYSTEM: &[PropertySpec] = &[
    prop("version", false, Text),
    prop("intended_use", false, Text),
    prop("policy", false, Policy),
    prop("out_of_scope", false, Text),
    prop("lifecycle", false, OpenSet(LIFECYCLE)),
    prop("overall_residual", false, Text),
    prop("approved_by", false, Text),
];
const ZONE: &[PropertySpec] = &[
    prop("trust", false, Enum(Trust::NAMES)),
    prop("physical_access", false, Bool),
    prop("controlled_by", false, Enum(ControlledBy::NAMES)),
];
const DATA_ITEM: &[PropertySpec] = &[
    prop("kind", false, Enum(DataKind::NAMES)),
    prop("confidentiality", false, Enum(CiaLevel::NAMES)),
    prop("integrity", false, Enum(CiaLevel::NAMES)),
    prop("availability", false, Enum(CiaLevel::NAMES)),
    prop("hazards", false, PROPERTY_HAZARDS),
];
const COMPONENT: &[PropertySpec] = &[
    prop("kind", false, Enum(ComponentKind::NAMES)),
    prop("stores", false, Ids(DATA)),
    prop("software", false, Text),
    prop("version", false, Text),
    prop("interfaces", false, OpenSet(INTERFACES)),
    prop("fleet", false, Enum(Fleet::NAMES)),
    prop("controlled_by", false, Enum(ControlledBy::NAMES)),
    prop("updatable", false, Bool),
    prop("hazards", false, PROPERTY_HAZARDS),
];
const ACTOR: &[PropertySpec] = &[
    prop("kind", true, Enum(ActorKind::NAMES)),
    prop("stores", false, Ids(DATA)),
    prop("controlled_by", false, Enum(ControlledBy::NAMES)),
    prop("fleet", false, Enum(Fleet::NAMES)),
];
const FLOW: &[PropertySpec] = &[
    prop("protocol", false, OpenSet(PROTOCOLS)),
    prop("carries", false, Ids(DATA)),
    prop("authenticated", false, Bool),
    prop("encrypted", false, Bool),
    prop("integrity_protected", false, Bool),
];
const HAZARD: &[PropertySpec] = &[
    prop("severity", true, SeverityLevel),
    prop("harm", false, Text),
    prop("hazardous_situation", false, Text),
    prop("rmf_ref", false, Text),
    prop("rmf_risk", false, Text),
];
const THREAT: &[PropertySpec] = &[
    prop("stride", true, Enum(Stride::NAMES)),
    prop("targets", true, Targets),
    prop("hazards", false, Ids(HAZARDS)),
    prop("exploitability", false, ExploitabilityLevel),
    prop("cvss", false, Text),
    prop("capec", false, Number),
    prop("cwe", false, Number),
];
const RULE: &[PropertySpec] = &[
    prop("stride", true, Enum(Stride::NAMES)),
    prop("affects", false, Enum(AffectsItem::NAMES)),
    prop("detection_gap", false, Bool),
    prop("applies_to", true, Enum(RuleTarget::NAMES)),
    prop("exploitability", true, ExploitabilityLevel),
    prop("attack_vector", false, Enum(AttackVector::NAMES)),
    prop("when", false, When),
    prop("capec", false, Number),
    prop("cwe", false, Number),
    prop("suggest", false, Enum(ControlCategory::NAMES)),
];
const CONTROL: &[PropertySpec] = &[
    prop("category", true, Enum(ControlCategory::NAMES)),
    prop("requirement", true, Text),
    prop("id", false, Text),
    prop("mitigates", false, Threats),
    prop("reduces", false, Number),
    prop("independent", false, Bool),
    prop("residual_exploitability", false, ExploitabilityLevel),
    prop(
        "limits",
        false,
        Block {
            keys: &Ids(HAZARDS),
            values: &SeverityLevel,
        },
    ),
    prop("option", false, Enum(ControlOption::NAMES)),
    prop("acceptance", false, Text),
    prop("implemented_in", false, Ids(ELEMENTS)),
    prop("verification", false, Verification),
    prop("status", false, Enum(ControlStatus::NAMES)),
];
const VERIFICATION: &[PropertySpec] = &[
    prop("type", false, Enum(VerificationType::NAMES)),
    prop("method", true, Enum(Method::NAMES)),
    prop("report", false, Text),
    prop("result", false, Enum(TestResult::NAMES)),
    prop("tested_version", false, Text),
    prop("date", false, Date),
    prop("disposition", false, Text),
    prop("independent", false, Bool),
    prop("scope", false, Targets),
];
const ASSUMPTION: &[PropertySpec] = &[
    prop("rationale", false, Text),
    prop(
        "applies_to",
        false,
        Ids(&[
            DeclKind::Zone,
            DeclKind::Component,
            DeclKind::Actor,
            DeclKind::Flow,
        ]),
    ),
];
const ACCEPT: &[PropertySpec] = &[
    prop("rationale", true, Text),
    prop("level", true, Enum(RiskLevel::NAMES)),
    prop("benefit", false, Text),
    prop("benefit_risk", false, Text),
    prop("approved_by", false, Text),
    prop("date", false, Text),
];
const USECASE: &[PropertySpec] = &[prop("steps", true, Flows), prop("state", false, Name)];
const POLICY: &[PropertySpec] = &[
    prop("severity", true, Name),
    prop("exploitability", true, Name),
    prop(
        "matrix",
        true,
        Block {
            keys: &SeverityLevel,
            values: &Enum(RiskLevel::NAMES),
        },
    ),
    prop(
        "security_matrix",
        true,
        Block {
            keys: &Enum(CiaLevel::NAMES),
            values: &Enum(RiskLevel::NAMES),
        },
    ),
    prop(
        "exploitability_criteria",
        false,
        Block {
            keys: &ExploitabilityLevel,
            values: &Text,
        },
    ),
    prop("security_impact", false, Enum(CiaLevel::NAMES)),
    prop("cvss_exploitability_bands", false, Number),
    prop("controlled", false, Enum(RiskLevel::NAMES)),
    prop("require_verified", false, Bool),
    prop("transfer_basis", false, Text),
];

/// `description`, `tags` and `renamed_from` (the ids it had before, so
/// `ward diff` follows it), which every declaration but `accept` takes.
const COMMON: &[PropertySpec] = &[
    prop("description", false, Text),
    prop("tags", false, Name),
    prop("renamed_from", false, Name),
];

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
    }
}

/// Every property a declaration kind takes: its own, then the common ones.
pub fn properties(kind: DeclKind) -> impl Iterator<Item = &'static PropertySpec> {
    let common = if kind == DeclKind::Accept {
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
