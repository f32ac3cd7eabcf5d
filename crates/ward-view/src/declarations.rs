//! The model's declarations, resolved once: every id joined to its name,
//! every level to its word, every source span to a location, and the
//! analysis' per-element and per-flow facts attached. `model.json`
//! serialises these records as they are (the field order is its schema).

use serde::Serialize;
use std::sync::Arc;
use ward_analysis::Analysis;
use ward_diagnostics::{SourceMap, Span};
use ward_model::{
    AuthMethod, CallerIdentity, Level, Meta, Model, NodeRef, PropertyHazards, TemplatePart,
    TlsVersion, TypedExpr, VerificationItem,
};

#[derive(Serialize, Clone, Debug)]
pub struct Location {
    pub file: String,
    /// 1-based; columns count Unicode scalar values.
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Location {
    /// Where `span` is; `None` for a span outside `sources`.
    pub fn of(sources: &SourceMap, span: Span) -> Option<Location> {
        if span.file.0 as usize >= sources.len() {
            return None;
        }
        let file = sources.get(span.file);
        let start = file.line_col(span.start as usize);
        let end = file.line_col(span.end.max(span.start) as usize);
        Some(Location {
            file: file.name.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        })
    }
}

/// What every declaration has.
#[derive(Serialize, Clone, Debug)]
pub struct Common {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// The `///` doc comment.
    pub doc: Option<String>,
    pub tags: Vec<String>,
    pub location: Option<Location>,
}

impl Common {
    pub fn new(sources: &SourceMap, meta: &Meta) -> Common {
        Common {
            id: meta.name.clone(),
            title: meta.title.clone(),
            description: meta.description.clone(),
            doc: meta.doc.clone(),
            tags: meta.tags.clone(),
            location: Location::of(sources, meta.name_span),
        }
    }
}

#[derive(Serialize, Debug)]
pub struct ZoneRecord {
    #[serde(flatten)]
    pub common: Common,
    pub parent: Option<String>,
    pub trust: String,
    pub physical_access: bool,
    /// `null`: not stated.
    pub controlled_by: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct HazardsByProperty {
    pub confidentiality: Vec<String>,
    pub integrity: Vec<String>,
    pub availability: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct DataRecord {
    #[serde(flatten)]
    pub common: Common,
    pub kind: String,
    pub confidentiality: String,
    pub integrity: String,
    pub availability: String,
    pub hazards: HazardsByProperty,
}

#[derive(Serialize, Debug)]
pub struct ElementRecord {
    #[serde(flatten)]
    pub common: Common,
    /// `component` or `actor`.
    pub element: String,
    pub kind: String,
    pub zone: Option<String>,
    pub stores: Vec<String>,
    pub software: Vec<String>,
    /// The SBOM file it imports its software from (`sbom`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sbom: Option<SbomRecord>,
    pub interfaces: Vec<String>,
    pub fleet: String,
    /// `null`: not stated (neither the element nor its zone states it).
    pub controlled_by: Option<String>,
    pub updatable: bool,
    pub hazards: HazardsByProperty,
    pub crosses_boundary: bool,
    pub exposed: bool,
    /// In a zone of trust `untrusted` or lower: an attack entry point.
    pub entry: bool,
    pub multi_patient: bool,
    pub flows_in: Vec<String>,
    pub flows_out: Vec<String>,
    /// Why it is outside the threat model; absent when in scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_of_scope: Option<String>,
    /// The component's security properties; each absent at its default.
    #[serde(flatten)]
    pub security: ComponentSecurityRecord,
}

/// `input_validation` ... `runs_on` of a component, names resolved; a
/// property at its default is left out so that models that do not use them
/// keep their model.json.
#[derive(Serialize, Debug, Default)]
pub struct ComponentSecurityRecord {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub input_validation: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub output_encoding: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub access_control: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parses: Vec<String>,
    /// Data handled without being stored (never in `stores`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub processes: Vec<String>,
    /// The `runtime` it runs on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runs_on: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct FlowRecord {
    #[serde(flatten)]
    pub common: Common,
    /// `null` only in a model with errors (an unresolved end).
    pub source: Option<String>,
    pub target: Option<String>,
    pub protocol: String,
    pub carries: Vec<String>,
    pub authenticated: bool,
    /// The authentication method; absent when it says no more than
    /// `authenticated` (none, or only `authenticated: true` written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<&'static str>,
    /// Absent when it is the default, the flow's `authenticated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_authenticated: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_version: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<&'static str>,
    pub encrypted: bool,
    pub integrity_protected: bool,
    /// For `f.reverse`: `f`.
    pub reverse_of: Option<String>,
    /// For the forward direction of `<->` or of a request with `returns`:
    /// `f.reverse`.
    pub reverse: Option<String>,
    /// The response direction of a request (`returns`); absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub is_response: bool,
    pub crosses_boundary: bool,
    pub from_lower_trust: bool,
    pub multi_patient: bool,
    /// Why it is outside the threat model; absent when in scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_of_scope: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct HazardRecord {
    #[serde(flatten)]
    pub common: Common,
    pub severity: String,
    pub harm: Option<String>,
    pub hazardous_situation: Option<String>,
    pub rmf_ref: Option<String>,
    pub rmf_risk: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct RuleRecord {
    #[serde(flatten)]
    pub common: Common,
    pub stride: Vec<String>,
    /// What its threats can affect; `null` lists restrict nothing.
    pub affects: ward_model::Affects,
    pub detection_gap: bool,
    pub applies_to: String,
    /// The `when` condition, printed back in Ward syntax.
    pub when: String,
    pub exploitability: String,
    pub capec: Vec<u32>,
    pub cwe: Vec<u32>,
    pub suggest: Vec<String>,
    pub from_stdlib: bool,
}

#[derive(Serialize, Debug)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum VerificationItemRecord {
    Ref { verification: String },
    Inline { method: String, text: String },
}

#[derive(Serialize, Debug)]
pub struct LimitRecord {
    pub hazard: String,
    pub severity: String,
}

#[derive(Serialize, Debug)]
pub struct ControlRecord {
    #[serde(flatten)]
    pub common: Common,
    pub requirement_id: String,
    pub category: String,
    pub requirement: String,
    pub mitigates: Vec<String>,
    pub reduces: u32,
    pub independent: bool,
    pub residual_exploitability: Option<String>,
    pub limits: Vec<LimitRecord>,
    pub option: Option<String>,
    pub acceptance: Option<String>,
    pub implemented_in: Vec<String>,
    pub verification: Vec<VerificationItemRecord>,
    pub status: String,
}

#[derive(Serialize, Debug)]
pub struct VerificationRecord {
    #[serde(flatten)]
    pub common: Common,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub method: String,
    pub report: Option<String>,
    pub result: Option<String>,
    pub independent: bool,
    pub scope: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct AssumptionRecord {
    #[serde(flatten)]
    pub common: Common,
    pub rationale: Option<String>,
    pub applies_to: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct UsecaseRecord {
    #[serde(flatten)]
    pub common: Common,
    pub state: Option<String>,
    pub steps: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct AcceptRecord {
    /// The accepted threats (`rule@element` or a threat id), in written
    /// order: one, or the explicit list of `accept [a, b] { ... }`.
    pub threats: Vec<String>,
    pub level: String,
    pub rationale: String,
    pub benefit: Option<String>,
    pub benefit_risk: Option<String>,
    pub approved_by: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub location: Option<Location>,
}

/// A component's `sbom`: the file and what was imported from it.
#[derive(Serialize, Debug)]
pub struct SbomRecord {
    /// Relative to the model root, `/`-separated.
    pub path: String,
    /// `CycloneDX` or `SPDX`; empty when the file could not be read.
    pub format: String,
    pub spec_version: String,
    /// Ids of the software imported from it, in document order.
    pub software: Vec<String>,
}

/// A `software` item (an SBOM entry) with the components that run it.
#[derive(Serialize, Debug)]
pub struct SoftwareRecord {
    #[serde(flatten)]
    pub common: Common,
    pub supplier: String,
    pub version: String,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    /// Who wrote the SBOM data (NTIA "author").
    pub author: String,
    /// `YYYY-MM-DD`.
    pub timestamp: String,
    pub depends_on: Vec<String>,
    /// `supported`, `limited` or `unsupported`; `null` after an error.
    pub support: Option<String>,
    /// `YYYY-MM-DD`; `null`: not stated.
    pub end_of_support: Option<String>,
    pub hashes: Vec<String>,
    /// Components that run it, directly or through `depends_on`.
    pub run_by: Vec<String>,
    /// The SBOM package it was imported from; absent for a declaration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<ward_model::SbomPackage>,
}

/// An unresolved anomaly (`anomaly`) and its assessments.
#[derive(Serialize, Debug)]
pub struct AnomalyRecord {
    #[serde(flatten)]
    pub common: Common,
    /// The CWE id as a number; `null`: not given.
    pub cwe: Option<u32>,
    /// Ids of the software it is in.
    pub software: Vec<String>,
    pub safety_impact: String,
    pub security_impact: String,
    pub hazards: Vec<String>,
    /// Why the device is released with it; `null`: not stated (W0480).
    pub rationale: Option<String>,
    pub ticket: Option<String>,
}

/// The post-market plan (`monitoring`).
#[derive(Serialize, Debug)]
pub struct MonitoringRecord {
    #[serde(flatten)]
    pub common: Common,
    pub sources: Vec<String>,
    pub cvd_contact: String,
    pub cvd_policy: Option<String>,
    /// Days to patch an open vulnerability, by whether its risk is
    /// controlled; `null` where the plan states none.
    pub patch_within: ward_model::PatchTimelines,
}

/// A known vulnerability (declared or from a feed), resolved: model.json's
/// `vulnerabilities` and the vulnerability register read it.
#[derive(Serialize, Debug)]
pub struct VulnerabilityRecord {
    #[serde(flatten)]
    pub common: Common,
    pub advisory: String,
    pub aliases: Vec<String>,
    /// The software it is stated for, by id.
    pub software: Vec<String>,
    /// Those of `software` whose version in use is in its range.
    pub affects: Vec<String>,
    pub introduced: Option<String>,
    pub fixed: Option<String>,
    pub last_affected: Option<String>,
    pub versions: Vec<String>,
    pub cvss: Option<String>,
    pub base_score: Option<f64>,
    pub exploitability_subscore: Option<f64>,
    pub kev: bool,
    /// `YYYY-MM-DD` CISA listed it, when known.
    pub kev_added: Option<String>,
    /// `affected`, `not_affected`, `fixed` or `under_investigation`.
    pub status: Option<String>,
    pub justification: Option<String>,
    pub published: Option<String>,
    /// `declared`, or the feed file and line.
    pub origin: ward_model::VulnerabilityOrigin,
}

/// Every declaration of the model, resolved; each list is indexed like the
/// model's own (`zones[i]` is `model.zones[i]`) and shared with model.json's
/// document rather than copied.
#[derive(Clone, Debug)]
pub struct Declarations {
    pub zones: Arc<Vec<ZoneRecord>>,
    pub data: Arc<Vec<DataRecord>>,
    pub elements: Arc<Vec<ElementRecord>>,
    pub flows: Arc<Vec<FlowRecord>>,
    pub hazards: Arc<Vec<HazardRecord>>,
    pub rules: Arc<Vec<RuleRecord>>,
    pub controls: Arc<Vec<ControlRecord>>,
    pub verifications: Arc<Vec<VerificationRecord>>,
    pub assumptions: Arc<Vec<AssumptionRecord>>,
    pub usecases: Arc<Vec<UsecaseRecord>>,
    pub accepts: Arc<Vec<AcceptRecord>>,
    pub software: Arc<Vec<SoftwareRecord>>,
    pub vulnerabilities: Arc<Vec<VulnerabilityRecord>>,
    pub anomalies: Arc<Vec<AnomalyRecord>>,
    pub monitoring: Arc<Option<MonitoringRecord>>,
}

/// One element or flow the threat model leaves out, for the report's
/// "Out of scope" list.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct OutOfScope<'a> {
    /// `component`, `actor` or `flow`.
    pub declaration: &'a str,
    pub name: &'a str,
    pub title: &'a str,
    pub reason: &'a str,
}

impl Declarations {
    /// The out-of-scope elements, then flows, in declaration order (the
    /// reverse of a `<->` flow is listed with its forward flow, not again).
    pub fn out_of_scope(&self) -> Vec<OutOfScope<'_>> {
        let elements = self.elements.iter().filter_map(|e| {
            Some(OutOfScope {
                declaration: if e.element == "actor" {
                    "actor"
                } else {
                    "component"
                },
                name: &e.common.id,
                title: &e.common.title,
                reason: e.out_of_scope.as_deref()?,
            })
        });
        let flows = self
            .flows
            .iter()
            .filter(|f| f.reverse_of.is_none())
            .filter_map(|f| {
                Some(OutOfScope {
                    declaration: "flow",
                    name: &f.common.id,
                    title: &f.common.title,
                    reason: f.out_of_scope.as_deref()?,
                })
            });
        elements.chain(flows).collect()
    }
}

/// Resolves ids and levels of one model to the names users read.
struct Resolver<'a> {
    model: &'a Model,
    sources: &'a SourceMap,
}

impl Resolver<'_> {
    fn common(&self, meta: &Meta) -> Common {
        Common::new(self.sources, meta)
    }
    fn zone(&self, id: ward_model::ZoneId) -> String {
        self.model.zone(id).meta.name.clone()
    }
    fn data(&self, id: ward_model::DataId) -> String {
        self.model.datum(id).meta.name.clone()
    }
    fn element(&self, id: ward_model::ElementId) -> String {
        self.model.element(id).meta.name.clone()
    }
    fn flow(&self, id: ward_model::FlowId) -> String {
        self.model.flow(id).meta.name.clone()
    }
    fn hazard(&self, id: ward_model::HazardId) -> String {
        self.model.hazard(id).meta.name.clone()
    }
    fn severity(&self, level: Level) -> String {
        self.model.policy().severity_name(level).to_string()
    }
    fn exploitability(&self, level: Level) -> String {
        self.model.policy().exploitability_name(level).to_string()
    }
    fn hazards(&self, h: &PropertyHazards) -> HazardsByProperty {
        let list = |ids: &[ward_model::HazardId]| ids.iter().map(|&i| self.hazard(i)).collect();
        HazardsByProperty {
            confidentiality: list(&h.confidentiality),
            integrity: list(&h.integrity),
            availability: list(&h.availability),
        }
    }
}

impl Declarations {
    pub fn new(model: &Model, analysis: &Analysis, sources: &SourceMap) -> Declarations {
        let r = Resolver { model, sources };
        let element_facts = |i: usize| analysis.elements.get(i);
        let flow_facts = |i: usize| analysis.flows.get(i);
        Declarations {
            zones: Arc::new(
                model
                    .zones
                    .iter()
                    .map(|z| ZoneRecord {
                        common: r.common(&z.meta),
                        parent: z.parent.map(|p| r.zone(p)),
                        trust: z.trust.as_str().into(),
                        physical_access: z.physical_access,
                        controlled_by: z.controlled_by.map(|c| c.as_str().into()),
                    })
                    .collect(),
            ),
            data: Arc::new(
                model
                    .data
                    .iter()
                    .map(|d| DataRecord {
                        common: r.common(&d.meta),
                        kind: d.kind.as_str().into(),
                        confidentiality: d.confidentiality.as_str().into(),
                        integrity: d.integrity.as_str().into(),
                        availability: d.availability.as_str().into(),
                        hazards: r.hazards(&d.hazards),
                    })
                    .collect(),
            ),
            elements: Arc::new(
                model
                    .elements
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let facts = element_facts(i);
                        ElementRecord {
                            common: r.common(&e.meta),
                            element: if e.is_actor() { "actor" } else { "component" }.into(),
                            kind: e.kind.as_str().into(),
                            zone: e.zone.map(|z| r.zone(z)),
                            stores: e.stores.iter().map(|&d| r.data(d)).collect(),
                            software: e.software.clone(),
                            sbom: e.sbom.as_ref().map(|s| SbomRecord {
                                path: s.path.clone(),
                                format: s.format.clone(),
                                spec_version: s.spec_version.clone(),
                                software: s
                                    .software
                                    .iter()
                                    .map(|id| model.software(*id).meta.name.clone())
                                    .collect(),
                            }),
                            interfaces: e.interfaces.clone(),
                            fleet: e.fleet.as_str().into(),
                            controlled_by: e.controlled_by.map(|c| c.as_str().into()),
                            updatable: e.updatable,
                            hazards: r.hazards(&e.hazards),
                            crosses_boundary: facts.is_some_and(|f| f.crosses_boundary),
                            exposed: facts.is_some_and(|f| f.exposed),
                            entry: facts.is_some_and(|f| f.entry),
                            multi_patient: facts.is_some_and(|f| f.multi_patient),
                            flows_in: facts
                                .map(|f| f.flows_in.iter().map(|&x| r.flow(x)).collect())
                                .unwrap_or_default(),
                            flows_out: facts
                                .map(|f| f.flows_out.iter().map(|&x| r.flow(x)).collect())
                                .unwrap_or_default(),
                            out_of_scope: e.out_of_scope.clone(),
                            security: ComponentSecurityRecord {
                                input_validation: e.security.input_validation,
                                output_encoding: e.security.output_encoding,
                                access_control: e.security.access_control,
                                authorization: e.security.authorization.map(|a| a.as_str().into()),
                                parses: e.security.parses.clone(),
                                processes: e
                                    .security
                                    .processes
                                    .iter()
                                    .map(|&d| r.data(d))
                                    .collect(),
                                runs_on: e.security.runs_on.map(|h| r.element(h)),
                            },
                        }
                    })
                    .collect(),
            ),
            flows: Arc::new(
                model
                    .flows
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let facts = flow_facts(i);
                        FlowRecord {
                            common: r.common(&f.meta),
                            source: f.source.map(|e| r.element(e)),
                            target: f.target.map(|e| r.element(e)),
                            protocol: f.protocol.clone(),
                            carries: f.carries.iter().map(|&d| r.data(d)).collect(),
                            authenticated: f.authenticated,
                            auth: f
                                .auth
                                .filter(|a| *a != AuthMethod::None)
                                .map(AuthMethod::as_str),
                            server_authenticated: (f.server_authenticated != f.authenticated)
                                .then_some(f.server_authenticated),
                            tls_version: f.tls_version.map(TlsVersion::as_str),
                            identity: f.identity.map(CallerIdentity::as_str),
                            encrypted: f.encrypted,
                            integrity_protected: f.integrity_protected,
                            reverse_of: f.reverse_of.map(|x| r.flow(x)),
                            reverse: f.reverse.map(|x| r.flow(x)),
                            is_response: f.is_response,
                            crosses_boundary: facts.is_some_and(|x| x.crosses_boundary),
                            from_lower_trust: facts.is_some_and(|x| x.from_lower_trust),
                            multi_patient: facts.is_some_and(|x| x.multi_patient),
                            out_of_scope: f.out_of_scope.clone(),
                        }
                    })
                    .collect(),
            ),
            hazards: Arc::new(
                model
                    .hazards
                    .iter()
                    .map(|h| HazardRecord {
                        common: r.common(&h.meta),
                        severity: r.severity(h.severity),
                        harm: h.harm.clone(),
                        hazardous_situation: h.hazardous_situation.clone(),
                        rmf_ref: h.rmf_ref.clone(),
                        rmf_risk: h.rmf_risk.clone(),
                    })
                    .collect(),
            ),
            rules: Arc::new(
                model
                    .rules
                    .iter()
                    .map(|rule| RuleRecord {
                        common: Common {
                            title: template_text(&rule.template, &rule.meta.title),
                            ..r.common(&rule.meta)
                        },
                        stride: rule.stride.iter().map(|s| s.as_str().into()).collect(),
                        affects: rule.affects.clone(),
                        detection_gap: rule.detection_gap,
                        applies_to: rule.applies_to.as_str().into(),
                        when: expr_text(model, &rule.when, 0),
                        exploitability: r.exploitability(rule.exploitability),
                        capec: rule.capec.clone(),
                        cwe: rule.cwe.clone(),
                        suggest: rule.suggest.iter().map(|c| c.as_str().into()).collect(),
                        from_stdlib: rule.from_stdlib,
                    })
                    .collect(),
            ),
            controls: Arc::new(
                model
                    .controls
                    .iter()
                    .map(|c| ControlRecord {
                        common: r.common(&c.meta),
                        requirement_id: c.requirement_id.clone(),
                        category: c.category.as_str().into(),
                        requirement: c.requirement.clone(),
                        mitigates: c
                            .mitigates
                            .iter()
                            .map(|m| model.threat_key_name(m.key))
                            .collect(),
                        reduces: c.reduces,
                        independent: c.independent,
                        residual_exploitability: c
                            .residual_exploitability
                            .map(|l| r.exploitability(l)),
                        limits: c
                            .limits
                            .iter()
                            .map(|&(h, s)| LimitRecord {
                                hazard: r.hazard(h),
                                severity: r.severity(s),
                            })
                            .collect(),
                        option: c.option.map(|o| o.as_str().into()),
                        acceptance: c.acceptance.clone(),
                        implemented_in: c.implemented_in.iter().map(|&e| r.element(e)).collect(),
                        verification: c
                            .verification
                            .iter()
                            .map(|v| match v {
                                VerificationItem::Ref { verification, .. } => {
                                    VerificationItemRecord::Ref {
                                        verification: model
                                            .verification(*verification)
                                            .meta
                                            .name
                                            .clone(),
                                    }
                                }
                                VerificationItem::Inline { method, text, .. } => {
                                    VerificationItemRecord::Inline {
                                        method: method.as_str().into(),
                                        text: text.clone(),
                                    }
                                }
                            })
                            .collect(),
                        status: c.status.as_str().into(),
                    })
                    .collect(),
            ),
            verifications: Arc::new(
                model
                    .verifications
                    .iter()
                    .map(|v| VerificationRecord {
                        common: r.common(&v.meta),
                        kind: v.kind.map(|k| k.as_str().into()),
                        method: v.method.as_str().into(),
                        report: v.report.clone(),
                        result: v.result.map(|x| x.as_str().into()),
                        independent: v.independent,
                        scope: v
                            .scope
                            .iter()
                            .map(|&t| model.target_name(t).to_string())
                            .collect(),
                    })
                    .collect(),
            ),
            assumptions: Arc::new(
                model
                    .assumptions
                    .iter()
                    .map(|a| AssumptionRecord {
                        common: r.common(&a.meta),
                        rationale: a.rationale.clone(),
                        applies_to: a
                            .applies_to
                            .iter()
                            .map(|x| match *x {
                                NodeRef::Zone(z) => r.zone(z),
                                NodeRef::Element(e) => r.element(e),
                                NodeRef::Flow(f) => r.flow(f),
                            })
                            .collect(),
                    })
                    .collect(),
            ),
            usecases: Arc::new(
                model
                    .usecases
                    .iter()
                    .map(|u| UsecaseRecord {
                        common: r.common(&u.meta),
                        state: u.state.clone(),
                        steps: u.steps.iter().map(|&f| r.flow(f)).collect(),
                    })
                    .collect(),
            ),
            accepts: Arc::new(
                model
                    .accepts
                    .iter()
                    .map(|a| AcceptRecord {
                        threats: a
                            .threats
                            .iter()
                            .map(|t| model.threat_key_name(t.key))
                            .collect(),
                        level: a.level.as_str().into(),
                        rationale: a.rationale.clone(),
                        benefit: a.benefit.clone(),
                        benefit_risk: a.benefit_risk.clone(),
                        approved_by: a.approved_by.clone(),
                        date: a.date.clone(),
                        location: Location::of(sources, a.meta.name_span),
                    })
                    .collect(),
            ),
            software: Arc::new(
                model
                    .software
                    .iter()
                    .map(|s| SoftwareRecord {
                        common: r.common(&s.meta),
                        supplier: s.supplier.clone(),
                        version: s.version.clone(),
                        purl: s.purl.clone(),
                        cpe: s.cpe.clone(),
                        author: s.author.clone(),
                        timestamp: s.timestamp.clone(),
                        depends_on: s
                            .depends_on
                            .iter()
                            .map(|d| model.software(*d).meta.name.clone())
                            .collect(),
                        support: s.support.map(|l| l.as_str().into()),
                        end_of_support: s.end_of_support.clone(),
                        hashes: s.hashes.clone(),
                        run_by: s.run_by.iter().map(|&e| r.element(e)).collect(),
                        imported_from: s.imported_from.clone(),
                    })
                    .collect(),
            ),
            vulnerabilities: Arc::new(
                model
                    .vulnerabilities
                    .iter()
                    .map(|v| {
                        let name = |ids: &[ward_model::SoftwareId]| -> Vec<String> {
                            ids.iter()
                                .map(|s| model.software(*s).meta.name.clone())
                                .collect()
                        };
                        let (cvss, base_score, exploitability_subscore) = match &v.cvss {
                            Some(ward_model::Exploitability::Cvss {
                                vector,
                                base_score,
                                exploitability_subscore,
                                ..
                            }) => (
                                Some(vector.clone()),
                                Some(*base_score),
                                Some(*exploitability_subscore),
                            ),
                            _ => (None, None, None),
                        };
                        VulnerabilityRecord {
                            common: r.common(&v.meta),
                            advisory: v.advisory.clone(),
                            aliases: v.aliases.clone(),
                            software: name(&v.software),
                            affects: name(&v.affects),
                            introduced: v.range.introduced.clone(),
                            fixed: v.range.fixed.clone(),
                            last_affected: v.range.last_affected.clone(),
                            versions: v.range.versions.clone(),
                            cvss,
                            base_score,
                            exploitability_subscore,
                            kev: v.kev.is_some(),
                            kev_added: v.kev.as_ref().and_then(|k| k.date_added.clone()),
                            status: v.status.map(|s| s.as_str().into()),
                            justification: v.justification.map(|j| j.as_str().into()),
                            published: v.published.clone(),
                            origin: v.origin.clone(),
                        }
                    })
                    .collect(),
            ),
            anomalies: Arc::new(
                model
                    .anomalies
                    .iter()
                    .map(|a| AnomalyRecord {
                        common: r.common(&a.meta),
                        cwe: a.cwe,
                        software: a
                            .software
                            .iter()
                            .map(|s| model.software(*s).meta.name.clone())
                            .collect(),
                        safety_impact: a.safety_impact.clone(),
                        security_impact: a.security_impact.clone(),
                        hazards: a.hazards.iter().map(|&h| r.hazard(h)).collect(),
                        rationale: a.rationale.clone(),
                        ticket: a.ticket.clone(),
                    })
                    .collect(),
            ),
            monitoring: Arc::new(model.monitoring.as_ref().map(|m| MonitoringRecord {
                common: r.common(&m.meta),
                sources: m.sources.clone(),
                cvd_contact: m.cvd_contact.clone(),
                cvd_policy: m.cvd_policy.clone(),
                patch_within: m.patch_within,
            })),
        }
    }
}

/// A rule title template with its placeholders written back as `{path}`.
fn template_text(template: &ward_model::Template, fallback: &str) -> String {
    if template.parts.is_empty() {
        return fallback.to_string();
    }
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text { text } => {
                out.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            TemplatePart::Value { path } => {
                out.push('{');
                out.push_str(&path_text(path));
                out.push('}');
            }
            TemplatePart::Filtered { path, keep } => {
                out.push('{');
                out.push_str(&path_text(path));
                out.push(':');
                out.push_str(keep.as_str());
                out.push('}');
            }
        }
    }
    out
}

fn path_text(path: &ward_model::AttrPath) -> String {
    let mut parts: Vec<&str> = path.nav.iter().map(|n| n.as_str()).collect();
    if let Some(attr) = path.attr {
        parts.push(attr.as_str());
    }
    parts.join(".")
}

/// Prints a `when` expression in Ward syntax, parenthesised where the
/// precedence (`or` < `and` < `not` < comparisons) needs it.
fn expr_text(model: &Model, e: &TypedExpr, outer: u8) -> String {
    let (prec, text) = match e {
        TypedExpr::Bool { value } => (9, value.to_string()),
        TypedExpr::Or { left, right } => (
            1,
            format!(
                "{} or {}",
                expr_text(model, left, 1),
                expr_text(model, right, 2)
            ),
        ),
        TypedExpr::And { left, right } => (
            2,
            format!(
                "{} and {}",
                expr_text(model, left, 2),
                expr_text(model, right, 3)
            ),
        ),
        TypedExpr::Not { operand } => (3, format!("not {}", expr_text(model, operand, 3))),
        TypedExpr::Compare { op, left, right } => (
            4,
            format!(
                "{} {} {}",
                expr_text(model, left, 5),
                op.symbol(),
                expr_text(model, right, 5)
            ),
        ),
        TypedExpr::In { item, list } => (
            4,
            format!(
                "{} in {}",
                expr_text(model, item, 5),
                expr_text(model, list, 5)
            ),
        ),
        TypedExpr::Attr { path } => (9, path_text(path)),
        TypedExpr::Literal { value } => (9, literal_text(model, value)),
        TypedExpr::List { items, .. } => (
            9,
            format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| expr_text(model, i, 0))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        TypedExpr::Call { nav, call } => {
            let mut prefix: String = nav.iter().map(|n| format!("{}.", n.as_str())).collect();
            prefix.push_str(&match call {
                ward_model::Call::CarriesKind(k) => format!("carries_kind({k})"),
                ward_model::Call::StoresKind(k) => format!("stores_kind({k})"),
                ward_model::Call::HasInterface(i) => format!("has_interface({i})"),
                ward_model::Call::ProcessesKind(k) => format!("processes_kind({k})"),
                ward_model::Call::HandlesKind(k) => format!("handles_kind({k})"),
            });
            (9, prefix)
        }
    };
    if prec < outer {
        format!("({text})")
    } else {
        text
    }
}

fn literal_text(model: &Model, l: &ward_model::Literal) -> String {
    use ward_model::Literal as L;
    match l {
        L::Bool(b) => b.to_string(),
        L::Str(s) => format!("{s:?}"),
        L::Name(s) => s.clone(),
        L::ElementKind(k) => k.as_str().into(),
        L::DataKind(k) => k.as_str().into(),
        L::Fleet(k) => k.as_str().into(),
        L::ControlledBy(k) => k.as_str().into(),
        L::Authorization(a) => ward_model::authorization_text(*a).into(),
        L::Trust(k) => k.as_str().into(),
        L::Cia(k) => k.as_str().into(),
        L::Auth(_) | L::TlsVersion(_) | L::Identity(_) => {
            l.setting_text().unwrap_or_default().into()
        }
        L::Element(e) => model.element(*e).meta.name.clone(),
        L::Zone(z) => model.zone(*z).meta.name.clone(),
        L::Data(d) => model.datum(*d).meta.name.clone(),
    }
}
