//! The analysed model as one self-describing document: every id resolved
//! to its name, every level to its word, every default written out. It is
//! `model.json` (schema in `docs/model-schema.json`) and the data every
//! template sees as `doc`.

use serde::Serialize;
use sha2::{Digest, Sha256};
use ward_analysis::{Analysis, Origin, ThreatAnalysis};
use ward_diagnostics::{Diagnostic, Severity, SourceMap, Span};
use ward_model::{
    Meta, Model, NodeRef, Policy, PropertyHazards, TemplatePart, TypedExpr, VerificationItem,
};

use crate::names::Names;
use crate::templates::FieldsUsed;
use ward_view::{
    AcceptanceView, CoverageView, ExploitabilitySourceView, ResidualView, RiskView, ThreatView,
    View,
};

/// Bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
pub struct Doc {
    pub schema_version: u32,
    pub generator: Generator,
    pub sources: Sources,
    /// Only when a timestamp was asked for: output is otherwise the same
    /// for the same input.
    pub timestamp: Option<String>,
    pub system: Option<SystemDoc>,
    pub policy: PolicyDoc,
    /// The stage the model was judged at: `design` or `submission`.
    pub stage: String,
    /// The residual acceptability is judged on: `planned` or `verified`.
    pub judged_on: String,
    pub uses: Uses,
    pub zones: Vec<ZoneDoc>,
    pub data: Vec<DataDoc>,
    pub elements: Vec<ElementDoc>,
    pub flows: Vec<FlowDoc>,
    pub hazards: Vec<HazardDoc>,
    pub rules: Vec<RuleDoc>,
    pub threats: Vec<ThreatDoc>,
    pub controls: Vec<ControlDoc>,
    pub verifications: Vec<VerificationDoc>,
    pub assumptions: Vec<AssumptionDoc>,
    pub usecases: Vec<UsecaseDoc>,
    pub accepts: Vec<AcceptDoc>,
    pub paths: Vec<PathDoc>,
    pub coverage: Shared<Vec<CoverageView>>,
    pub diagnostics: Vec<DiagnosticDoc>,
}

/// Writes [`Doc::template_value`] and the list of members from one list, so
/// no member can be left out of either.
macro_rules! doc_members {
    ($($member:ident),* $(,)?) => {
        /// The members of [`Doc`], in serialisation order.
        pub const DOC_MEMBERS: &[&str] = &[$(stringify!($member)),*];

        impl Doc {
            /// `doc` for templates: the members `used` includes, each
            /// converted as it serialises in `model.json`.
            pub fn template_value(&self, used: &FieldsUsed) -> tera::Value {
                let mut map: indexmap::IndexMap<&'static str, tera::Value> = indexmap::IndexMap::new();
                $(
                    if used.includes(stringify!($member)) {
                        map.insert(stringify!($member), tera::Value::from_serializable(&self.$member));
                    }
                )*
                tera::Value::from(map)
            }
        }
    };
}

doc_members!(
    schema_version,
    generator,
    sources,
    timestamp,
    system,
    policy,
    stage,
    judged_on,
    uses,
    zones,
    data,
    elements,
    flows,
    hazards,
    rules,
    threats,
    controls,
    verifications,
    assumptions,
    usecases,
    accepts,
    paths,
    coverage,
    diagnostics,
);

#[derive(Serialize)]
pub struct Generator {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct Sources {
    /// sha256 over every file in load order: for each, its name, a NUL,
    /// its byte length in decimal, a NUL, then its text (after BOM removal
    /// and CRLF -> LF). Hex, lower case.
    pub sha256: String,
    pub files: Vec<SourceDoc>,
}

#[derive(Serialize)]
pub struct SourceDoc {
    /// Relative to the model root, `/`-separated (`std/...` for the standard library).
    pub name: String,
    pub stdlib: bool,
    /// sha256 of the normalised text.
    pub sha256: String,
}

#[derive(Serialize)]
pub struct Uses {
    /// `use std::stride`: the stdlib threat rules apply.
    pub stride: bool,
    /// `use std::fda`: the per-component FDA coverage check applies.
    pub fda: bool,
}

#[derive(Serialize, Clone)]
pub struct Location {
    pub file: String,
    /// 1-based; columns count Unicode scalar values.
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// What every declaration has.
#[derive(Serialize)]
pub struct Common {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// The `///` doc comment.
    pub doc: Option<String>,
    pub tags: Vec<String>,
    pub location: Option<Location>,
}

#[derive(Serialize)]
pub struct SystemDoc {
    #[serde(flatten)]
    pub common: Common,
    pub version: Option<String>,
    pub intended_use: Option<String>,
    /// The path of the policy in force.
    pub policy: String,
    pub out_of_scope: Vec<String>,
    pub lifecycle: Vec<String>,
    pub overall_residual: Option<String>,
    pub approved_by: Option<String>,
}

#[derive(Serialize)]
pub struct MatrixRow {
    /// The severity (or security impact) level of the row.
    pub level: String,
    /// One risk level per exploitability level, lowest exploitability first.
    pub cells: Vec<String>,
}

#[derive(Serialize)]
pub struct Criterion {
    pub level: String,
    pub criterion: Option<String>,
}

#[derive(Serialize)]
pub struct PolicyDoc {
    #[serde(flatten)]
    pub common: Common,
    pub path: String,
    pub from_stdlib: bool,
    pub severity: Vec<String>,
    pub exploitability: Vec<String>,
    pub exploitability_criteria: Vec<Criterion>,
    /// Rows highest severity first, as risk matrices are read.
    pub matrix: Vec<MatrixRow>,
    pub security_impact: Vec<String>,
    /// Rows highest impact first.
    pub security_matrix: Vec<MatrixRow>,
    pub cvss_exploitability_bands: Option<Vec<f64>>,
    pub controlled: Vec<String>,
    pub require_verified: bool,
    pub transfer_basis: Option<String>,
}

#[derive(Serialize)]
pub struct ZoneDoc {
    #[serde(flatten)]
    pub common: Common,
    pub parent: Option<String>,
    pub trust: String,
    pub physical_access: bool,
    /// `null`: not stated.
    pub controlled_by: Option<String>,
}

#[derive(Serialize)]
pub struct HazardsByProperty {
    pub confidentiality: Vec<String>,
    pub integrity: Vec<String>,
    pub availability: Vec<String>,
}

#[derive(Serialize)]
pub struct DataDoc {
    #[serde(flatten)]
    pub common: Common,
    pub kind: String,
    pub confidentiality: String,
    pub integrity: String,
    pub availability: String,
    pub hazards: HazardsByProperty,
}

#[derive(Serialize)]
pub struct ElementDoc {
    #[serde(flatten)]
    pub common: Common,
    /// `component` or `actor`.
    pub element: String,
    pub kind: String,
    pub zone: Option<String>,
    pub stores: Vec<String>,
    pub software: Vec<String>,
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
}

#[derive(Serialize)]
pub struct FlowDoc {
    #[serde(flatten)]
    pub common: Common,
    /// `null` only in a model with errors (an unresolved end).
    pub source: Option<String>,
    pub target: Option<String>,
    pub protocol: String,
    pub carries: Vec<String>,
    pub authenticated: bool,
    pub encrypted: bool,
    pub integrity_protected: bool,
    /// For `f.reverse`: `f`.
    pub reverse_of: Option<String>,
    /// For the forward direction of `<->`: `f.reverse`.
    pub reverse: Option<String>,
    pub crosses_boundary: bool,
    pub from_lower_trust: bool,
    pub multi_patient: bool,
}

#[derive(Serialize)]
pub struct HazardDoc {
    #[serde(flatten)]
    pub common: Common,
    pub severity: String,
    pub harm: Option<String>,
    pub hazardous_situation: Option<String>,
    pub rmf_ref: Option<String>,
    pub rmf_risk: Option<String>,
}

#[derive(Serialize)]
pub struct RuleDoc {
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

/// A value of the view that the document shares rather than copies;
/// serialises as the value itself.
pub struct Shared<T>(pub std::sync::Arc<T>);

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

#[derive(Serialize)]
pub struct BrokenDoc {
    pub property: String,
    pub log_data_only: bool,
}

#[derive(Serialize)]
pub struct ThreatDoc {
    pub id: String,
    pub title: String,
    /// `hand` or `rule`.
    pub origin: String,
    pub rule: Option<String>,
    pub stride: Vec<String>,
    pub targets: Vec<String>,
    pub affected_data: Vec<String>,
    pub broken: Vec<BrokenDoc>,
    /// A missing record (absent log): an event-detection gap.
    pub detection_gap: bool,
    pub hazards: Vec<String>,
    pub severity: Option<String>,
    pub exploitability: String,
    pub exploitability_source: ExploitabilitySourceView,
    pub security_impact: String,
    pub initial: Shared<RiskView>,
    pub controls: Vec<String>,
    pub planned: Shared<ResidualView>,
    pub verified: Shared<ResidualView>,
    /// The residual risk acceptability is judged on.
    pub judged: String,
    pub controlled: bool,
    pub transferred_to_user: bool,
    pub acceptance: Option<Shared<AcceptanceView>>,
    pub multi_patient: bool,
    /// The `fleet: shared` element what the threat alters reaches along
    /// flows (makes it multi-patient), if any.
    pub shared_reached: Option<String>,
    pub attack_vector: String,
    /// A proximity threat's start: the target's zone (then `paths` is empty).
    pub proximity_zone: Option<String>,
    /// Indexes into `paths`: shortest modelled paths from an entry point.
    pub paths: Vec<usize>,
    pub capec: Vec<u32>,
    pub cwe: Vec<u32>,
    pub suggest: Vec<String>,
    pub location: Option<Location>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum VerificationItemDoc {
    Ref { verification: String },
    Inline { method: String, text: String },
}

#[derive(Serialize)]
pub struct LimitDoc {
    pub hazard: String,
    pub severity: String,
}

#[derive(Serialize)]
pub struct ControlDoc {
    #[serde(flatten)]
    pub common: Common,
    pub requirement_id: String,
    pub category: String,
    pub requirement: String,
    pub mitigates: Vec<String>,
    pub reduces: u32,
    pub independent: bool,
    pub residual_exploitability: Option<String>,
    pub limits: Vec<LimitDoc>,
    pub option: Option<String>,
    pub acceptance: Option<String>,
    pub implemented_in: Vec<String>,
    pub verification: Vec<VerificationItemDoc>,
    pub status: String,
}

#[derive(Serialize)]
pub struct VerificationDoc {
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

#[derive(Serialize)]
pub struct AssumptionDoc {
    #[serde(flatten)]
    pub common: Common,
    pub rationale: Option<String>,
    pub applies_to: Vec<String>,
}

#[derive(Serialize)]
pub struct UsecaseDoc {
    #[serde(flatten)]
    pub common: Common,
    pub state: Option<String>,
    pub steps: Vec<String>,
}

#[derive(Serialize)]
pub struct AcceptDoc {
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

#[derive(Serialize)]
pub struct PathDoc {
    /// The nearest entry element (the target itself when it is an entry).
    pub entry: String,
    pub target: String,
    pub flows: Vec<String>,
    /// How many entry elements reach the target by any path.
    pub entries: u32,
}

#[derive(Serialize)]
pub struct LabelDoc {
    pub message: String,
    pub location: Option<Location>,
}

#[derive(Serialize)]
pub struct DiagnosticDoc {
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
    pub message: String,
    pub location: Option<Location>,
    pub label: Option<String>,
    pub labels: Vec<LabelDoc>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

/// The hash of the sources and one per file.
pub fn hash_sources(sources: &SourceMap) -> Sources {
    let mut all = Sha256::new();
    let mut files = Vec::new();
    for (_, file) in sources.files() {
        all.update(file.name.as_bytes());
        all.update([0]);
        all.update(file.text.len().to_string().as_bytes());
        all.update([0]);
        all.update(file.text.as_bytes());
        files.push(SourceDoc {
            name: file.name.clone(),
            stdlib: file.path.is_none(),
            sha256: hex(&Sha256::digest(file.text.as_bytes())),
        });
    }
    Sources {
        sha256: hex(&all.finalize()),
        files,
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn location(sources: &SourceMap, span: Span) -> Option<Location> {
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

pub(crate) fn diagnostic_doc(sources: &SourceMap, d: &Diagnostic) -> DiagnosticDoc {
    DiagnosticDoc {
        code: d.code.to_string(),
        severity: match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
        .to_string(),
        message: d.message.clone(),
        location: d.span.and_then(|span| location(sources, span)),
        label: d.primary_label.clone(),
        labels: d
            .labels
            .iter()
            .map(|l| LabelDoc {
                message: l.message.clone(),
                location: location(sources, l.span),
            })
            .collect(),
        help: d.help.clone(),
        notes: d.notes.clone(),
    }
}

struct Builder<'a> {
    model: &'a Model,
    sources: &'a SourceMap,
    names: Names<'a>,
}

impl<'a> Builder<'a> {
    fn common(&self, meta: &Meta) -> Common {
        Common {
            id: meta.name.clone(),
            title: meta.title.clone(),
            description: meta.description.clone(),
            doc: meta.doc.clone(),
            tags: meta.tags.clone(),
            location: location(self.sources, meta.name_span),
        }
    }

    fn hazards(&self, h: &PropertyHazards) -> HazardsByProperty {
        let list =
            |ids: &[ward_model::HazardId]| ids.iter().map(|&i| self.names.hazard(i)).collect();
        HazardsByProperty {
            confidentiality: list(&h.confidentiality),
            integrity: list(&h.integrity),
            availability: list(&h.availability),
        }
    }

    fn policy(&self, policy: &Policy) -> PolicyDoc {
        let row = |level: String, cells: &[ward_model::RiskLevel]| MatrixRow {
            level,
            cells: cells.iter().map(|c| c.as_str().to_string()).collect(),
        };
        PolicyDoc {
            common: self.common(&policy.meta),
            path: policy.path.clone(),
            from_stdlib: policy.from_stdlib,
            severity: policy.severity.clone(),
            exploitability: policy.exploitability.clone(),
            exploitability_criteria: policy
                .exploitability
                .iter()
                .enumerate()
                .map(|(i, level)| Criterion {
                    level: level.clone(),
                    criterion: policy.exploitability_criteria.get(i).cloned().flatten(),
                })
                .collect(),
            matrix: policy
                .matrix
                .iter()
                .enumerate()
                .rev()
                .map(|(i, cells)| row(policy.severity.get(i).cloned().unwrap_or_default(), cells))
                .collect(),
            security_impact: policy
                .security_impact
                .iter()
                .map(|l| l.as_str().to_string())
                .collect(),
            security_matrix: policy
                .security_matrix
                .iter()
                .enumerate()
                .rev()
                .map(|(i, cells)| {
                    row(
                        policy
                            .security_impact
                            .get(i)
                            .map(|l| l.as_str().to_string())
                            .unwrap_or_default(),
                        cells,
                    )
                })
                .collect(),
            cvss_exploitability_bands: policy.cvss_exploitability_bands.clone(),
            controlled: policy
                .controlled
                .iter()
                .map(|l| l.as_str().to_string())
                .collect(),
            require_verified: policy.require_verified,
            transfer_basis: policy.transfer_basis.clone(),
        }
    }

    fn threat(&self, t: &ThreatAnalysis, view: &ThreatView) -> ThreatDoc {
        let model = self.model;
        ThreatDoc {
            id: t.id.clone(),
            title: t.title.clone(),
            origin: match t.origin {
                Origin::Hand => "hand",
                Origin::Rule => "rule",
            }
            .into(),
            rule: t.rule.clone(),
            stride: t.stride.iter().map(|s| s.as_str().into()).collect(),
            targets: t
                .targets
                .iter()
                .map(|&x| model.target_name(x).to_string())
                .collect(),
            affected_data: t
                .affected_data
                .iter()
                .map(|&d| self.names.data(d))
                .collect(),
            broken: t
                .broken
                .iter()
                .map(|b| BrokenDoc {
                    property: b.property.as_str().into(),
                    log_data_only: b.log_data_only,
                })
                .collect(),
            detection_gap: t.detection_gap,
            hazards: t.hazards.iter().map(|&h| self.names.hazard(h)).collect(),
            severity: t.severity.map(|s| self.names.severity(s)),
            exploitability: self.names.exploitability(t.exploitability),
            exploitability_source: view.exploitability_source.clone(),
            security_impact: t.impact.as_str().into(),
            initial: Shared(view.initial.clone()),
            controls: t.controls.iter().map(|&c| self.names.control(c)).collect(),
            planned: Shared(view.planned.clone()),
            verified: Shared(view.verified.clone()),
            judged: t.judged.as_str().into(),
            controlled: t.controlled,
            transferred_to_user: t.transferred,
            acceptance: view.acceptance.clone().map(Shared),
            multi_patient: t.multi_patient,
            shared_reached: t.shared_reached.map(|e| self.names.element(e)),
            attack_vector: t.attack_vector.as_str().into(),
            proximity_zone: t.proximity.map(|p| self.names.zone(p.zone)),
            paths: t.paths.clone(),
            capec: t.capec.clone(),
            cwe: t.cwe.clone(),
            suggest: t.suggest.iter().map(|c| c.as_str().into()).collect(),
            location: location(self.sources, t.span),
        }
    }
}

/// Builds the document of an analysed model.
pub fn build(
    model: &Model,
    analysis: &Analysis,
    view: &View,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    timestamp: Option<&str>,
) -> Doc {
    let b = Builder {
        model,
        sources,
        names: Names::new(model),
    };
    let n = &b.names;
    let element_facts = |i: usize| analysis.elements.get(i);
    let flow_facts = |i: usize| analysis.flows.get(i);
    Doc {
        schema_version: SCHEMA_VERSION,
        generator: Generator {
            name: "ward",
            version: env!("CARGO_PKG_VERSION"),
        },
        sources: hash_sources(sources),
        timestamp: timestamp.map(str::to_string),
        system: model.system.as_ref().map(|s| SystemDoc {
            common: b.common(&s.meta),
            version: s.version.clone(),
            intended_use: s.intended_use.clone(),
            policy: model.policy_by_id(s.policy).path.clone(),
            out_of_scope: s.out_of_scope.clone(),
            lifecycle: s.lifecycle.clone(),
            overall_residual: s.overall_residual.clone(),
            approved_by: s.approved_by.clone(),
        }),
        policy: b.policy(model.policy()),
        stage: analysis.stage.as_str().into(),
        judged_on: view.judged_on_word().into(),
        uses: Uses {
            stride: model.uses_stride,
            fda: model.fda_coverage,
        },
        zones: model
            .zones
            .iter()
            .map(|z| ZoneDoc {
                common: b.common(&z.meta),
                parent: z.parent.map(|p| n.zone(p)),
                trust: z.trust.as_str().into(),
                physical_access: z.physical_access,
                controlled_by: z.controlled_by.map(|c| c.as_str().into()),
            })
            .collect(),
        data: model
            .data
            .iter()
            .map(|d| DataDoc {
                common: b.common(&d.meta),
                kind: d.kind.as_str().into(),
                confidentiality: d.confidentiality.as_str().into(),
                integrity: d.integrity.as_str().into(),
                availability: d.availability.as_str().into(),
                hazards: b.hazards(&d.hazards),
            })
            .collect(),
        elements: model
            .elements
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let facts = element_facts(i);
                ElementDoc {
                    common: b.common(&e.meta),
                    element: if e.is_actor() { "actor" } else { "component" }.into(),
                    kind: e.kind.as_str().into(),
                    zone: e.zone.map(|z| n.zone(z)),
                    stores: e.stores.iter().map(|&d| n.data(d)).collect(),
                    software: e.software.clone(),
                    interfaces: e.interfaces.clone(),
                    fleet: e.fleet.as_str().into(),
                    controlled_by: e.controlled_by.map(|c| c.as_str().into()),
                    updatable: e.updatable,
                    hazards: b.hazards(&e.hazards),
                    crosses_boundary: facts.is_some_and(|f| f.crosses_boundary),
                    exposed: facts.is_some_and(|f| f.exposed),
                    entry: facts.is_some_and(|f| f.entry),
                    multi_patient: facts.is_some_and(|f| f.multi_patient),
                    flows_in: facts
                        .map(|f| f.flows_in.iter().map(|&x| n.flow(x)).collect())
                        .unwrap_or_default(),
                    flows_out: facts
                        .map(|f| f.flows_out.iter().map(|&x| n.flow(x)).collect())
                        .unwrap_or_default(),
                }
            })
            .collect(),
        flows: model
            .flows
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let facts = flow_facts(i);
                FlowDoc {
                    common: b.common(&f.meta),
                    source: f.source.map(|e| n.element(e)),
                    target: f.target.map(|e| n.element(e)),
                    protocol: f.protocol.clone(),
                    carries: f.carries.iter().map(|&d| n.data(d)).collect(),
                    authenticated: f.authenticated,
                    encrypted: f.encrypted,
                    integrity_protected: f.integrity_protected,
                    reverse_of: f.reverse_of.map(|x| n.flow(x)),
                    reverse: f.reverse.map(|x| n.flow(x)),
                    crosses_boundary: facts.is_some_and(|x| x.crosses_boundary),
                    from_lower_trust: facts.is_some_and(|x| x.from_lower_trust),
                    multi_patient: facts.is_some_and(|x| x.multi_patient),
                }
            })
            .collect(),
        hazards: model
            .hazards
            .iter()
            .map(|h| HazardDoc {
                common: b.common(&h.meta),
                severity: n.severity(h.severity),
                harm: h.harm.clone(),
                hazardous_situation: h.hazardous_situation.clone(),
                rmf_ref: h.rmf_ref.clone(),
                rmf_risk: h.rmf_risk.clone(),
            })
            .collect(),
        rules: model
            .rules
            .iter()
            .map(|r| RuleDoc {
                common: Common {
                    title: template_text(&r.template, &r.meta.title),
                    ..b.common(&r.meta)
                },
                stride: r.stride.iter().map(|s| s.as_str().into()).collect(),
                affects: r.affects.clone(),
                detection_gap: r.detection_gap,
                applies_to: r.applies_to.as_str().into(),
                when: expr_text(model, &r.when, 0),
                exploitability: n.exploitability(r.exploitability),
                capec: r.capec.clone(),
                cwe: r.cwe.clone(),
                suggest: r.suggest.iter().map(|c| c.as_str().into()).collect(),
                from_stdlib: r.from_stdlib,
            })
            .collect(),
        threats: analysis
            .threats
            .iter()
            .zip(&view.threats)
            .map(|(t, v)| b.threat(t, v))
            .collect(),
        controls: model
            .controls
            .iter()
            .map(|c| ControlDoc {
                common: b.common(&c.meta),
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
                residual_exploitability: c.residual_exploitability.map(|l| n.exploitability(l)),
                limits: c
                    .limits
                    .iter()
                    .map(|&(h, s)| LimitDoc {
                        hazard: n.hazard(h),
                        severity: n.severity(s),
                    })
                    .collect(),
                option: c.option.map(|o| o.as_str().into()),
                acceptance: c.acceptance.clone(),
                implemented_in: c.implemented_in.iter().map(|&e| n.element(e)).collect(),
                verification: c
                    .verification
                    .iter()
                    .map(|v| match v {
                        VerificationItem::Ref { verification, .. } => VerificationItemDoc::Ref {
                            verification: n.verification(*verification),
                        },
                        VerificationItem::Inline { method, text, .. } => {
                            VerificationItemDoc::Inline {
                                method: method.as_str().into(),
                                text: text.clone(),
                            }
                        }
                    })
                    .collect(),
                status: c.status.as_str().into(),
            })
            .collect(),
        verifications: model
            .verifications
            .iter()
            .map(|v| VerificationDoc {
                common: b.common(&v.meta),
                kind: v.kind.map(|k| k.as_str().into()),
                method: v.method.as_str().into(),
                report: v.report.clone(),
                result: v.result.map(|r| r.as_str().into()),
                independent: v.independent,
                scope: v
                    .scope
                    .iter()
                    .map(|&t| model.target_name(t).to_string())
                    .collect(),
            })
            .collect(),
        assumptions: model
            .assumptions
            .iter()
            .map(|a| AssumptionDoc {
                common: b.common(&a.meta),
                rationale: a.rationale.clone(),
                applies_to: a
                    .applies_to
                    .iter()
                    .map(|r| match *r {
                        NodeRef::Zone(z) => n.zone(z),
                        NodeRef::Element(e) => n.element(e),
                        NodeRef::Flow(f) => n.flow(f),
                    })
                    .collect(),
            })
            .collect(),
        usecases: model
            .usecases
            .iter()
            .map(|u| UsecaseDoc {
                common: b.common(&u.meta),
                state: u.state.clone(),
                steps: u.steps.iter().map(|&f| n.flow(f)).collect(),
            })
            .collect(),
        accepts: model
            .accepts
            .iter()
            .map(|a| AcceptDoc {
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
                location: location(sources, a.meta.name_span),
            })
            .collect(),
        paths: view
            .paths
            .iter()
            .map(|p| PathDoc {
                entry: p.entry.clone(),
                target: p.target.clone(),
                flows: p.flows().map(str::to_string).collect(),
                entries: p.entries,
            })
            .collect(),
        coverage: Shared(view.coverage.clone()),
        diagnostics: diagnostics
            .iter()
            .map(|d| diagnostic_doc(sources, d))
            .collect(),
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
pub(crate) fn expr_text(model: &Model, e: &TypedExpr, outer: u8) -> String {
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
        L::Trust(k) => k.as_str().into(),
        L::Cia(k) => k.as_str().into(),
        L::Element(e) => model.element(*e).meta.name.clone(),
        L::Zone(z) => model.zone(*z).meta.name.clone(),
        L::Data(d) => model.datum(*d).meta.name.clone(),
    }
}
