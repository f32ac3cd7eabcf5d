//! The analysed model as one self-describing document: every id resolved
//! to its name, every level to its word; a record names the records it
//! refers to rather than copying them (see [`ThreatDoc`]). It is
//! `model.json` (schema in `docs/model-schema.json`) and the data every
//! template sees as `doc`.

use serde::Serialize;
use sha2::{Digest, Sha256};
use ward_analysis::{Analysis, Origin, ThreatAnalysis};
use ward_diagnostics::{Diagnostic, Severity, SourceMap, Span};
use ward_model::{Meta, Model, Policy, Target, ThreatKey};

use crate::names::Names;
use crate::templates::FieldsUsed;
use ward_view::declarations::{
    AcceptRecord, AnomalyRecord, AssumptionRecord, Common, ControlRecord, DataRecord,
    ElementRecord, FlowRecord, HazardRecord, Location, MonitoringRecord, RuleRecord,
    SoftwareRecord, UsecaseRecord, VerificationRecord, VulnerabilityRecord, ZoneRecord,
};
use ward_view::{
    AcceptanceView, ApprovalRecord, CoverageView, DispositionView, ExploitabilitySourceView,
    ResidualView, RiskView, ThreatView, View,
};

/// Bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 3;

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
    /// Whether every threat is controlled or accepted (the view decided).
    pub verdict: ward_view::Verdict,
    pub uses: Uses,
    pub zones: Shared<Vec<ZoneRecord>>,
    pub data: Shared<Vec<DataRecord>>,
    pub elements: Shared<Vec<ElementRecord>>,
    pub flows: Shared<Vec<FlowRecord>>,
    pub hazards: Shared<Vec<HazardRecord>>,
    pub rules: Shared<Vec<RuleRecord>>,
    pub threats: Vec<ThreatDoc>,
    pub controls: Shared<Vec<ControlRecord>>,
    pub verifications: Shared<Vec<VerificationRecord>>,
    pub assumptions: Shared<Vec<AssumptionRecord>>,
    pub usecases: Shared<Vec<UsecaseRecord>>,
    pub accepts: Shared<Vec<AcceptRecord>>,
    /// Each approval with its state (docs/qms.md, "Approvals").
    pub approvals: Shared<Vec<ApprovalRecord>>,
    /// The `software` declarations (SBOM entries) and who runs them.
    pub software: Shared<Vec<SoftwareRecord>>,
    /// Known vulnerabilities, declared and from feeds (docs/lifecycle.md);
    /// left out when there are none.
    #[serde(skip_serializing_if = "Shared::is_empty")]
    pub vulnerabilities: Shared<Vec<VulnerabilityRecord>>,
    /// The unresolved anomalies; left out when there are none.
    #[serde(skip_serializing_if = "Shared::is_empty")]
    pub anomalies: Shared<Vec<AnomalyRecord>>,
    /// The post-market plan; left out when the model states none.
    #[serde(skip_serializing_if = "Shared::is_none")]
    pub monitoring: Shared<Option<MonitoringRecord>>,
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
    verdict,
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
    approvals,
    software,
    vulnerabilities,
    anomalies,
    monitoring,
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

/// A value of the view that the document shares rather than copies;
/// serialises as the value itself.
pub struct Shared<T>(pub std::sync::Arc<T>);

impl<T> Shared<Vec<T>> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T> Shared<Option<T>> {
    fn is_none(&self) -> bool {
        self.0.is_none()
    }
}

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

/// A threat of `model.json`: what it shares with other records is named by
/// id, not copied. Members a reader resolves elsewhere are left out:
/// `stride`, `capec`, `cwe` and `suggest` when they are its rule's,
/// `verified` when it is the planned residual, `location` when it is where
/// the NAME of its id `RULE@NAME` is declared; `null` members are left out
/// too.
#[derive(Serialize)]
pub struct ThreatDoc {
    pub id: String,
    pub title: String,
    /// `hand`, `rule` or `vulnerability`.
    pub origin: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stride: Option<Vec<String>>,
    pub targets: Shared<Vec<String>>,
    pub affected_data: Shared<Vec<String>>,
    pub broken: Vec<BrokenDoc>,
    /// A missing record (absent log): an event-detection gap.
    pub detection_gap: bool,
    pub hazards: Shared<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    pub exploitability: String,
    /// `{"source": "rule"}` alone when the source is the threat's own rule.
    pub exploitability_source: ExploitabilitySourceDoc,
    pub security_impact: String,
    pub initial: Shared<RiskView>,
    pub controls: Shared<Vec<String>>,
    pub planned: ResidualDoc,
    /// Left out when it equals `planned`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<ResidualDoc>,
    /// The residual risk acceptability is judged on.
    pub judged: String,
    pub controlled: bool,
    pub transferred_to_user: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<Shared<AcceptanceView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disposition: Option<Shared<DispositionView>>,
    pub multi_patient: bool,
    /// The `fleet: shared` element what the threat alters reaches along
    /// flows (makes it multi-patient), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_reached: Option<String>,
    pub attack_vector: String,
    /// A proximity threat's start: the target's zone (then `paths` is empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proximity_zone: Option<String>,
    /// Indexes into `paths`: shortest modelled paths from an entry point.
    pub paths: Vec<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capec: Option<Vec<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwe: Option<Vec<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggest: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// Where a threat's exploitability comes from; its own rule by reference.
pub enum ExploitabilitySourceDoc {
    /// The rule that generated the threat (`{"source": "rule"}`).
    OwnRule,
    Other(ExploitabilitySourceView),
}

impl Serialize for ExploitabilitySourceDoc {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            ExploitabilitySourceDoc::OwnRule => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("source", "rule")?;
                map.end()
            }
            ExploitabilitySourceDoc::Other(view) => view.serialize(serializer),
        }
    }
}

/// A residual as `model.json` writes it: `capped_by` and `limited_by` only
/// when a control caps or limits.
pub struct ResidualDoc(pub Shared<ResidualView>);

impl Serialize for ResidualDoc {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Residual<'a> {
            controls: &'a [String],
            reduction: u32,
            exploitability: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            capped_by: Option<&'a str>,
            severities: Vec<HazardSeverity<'a>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            severity: Option<&'a str>,
            risk: &'a RiskView,
        }
        #[derive(Serialize)]
        struct HazardSeverity<'a> {
            hazard: &'a str,
            severity: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            limited_by: Option<&'a str>,
        }
        let r = &*self.0 .0;
        Residual {
            controls: &r.controls,
            reduction: r.reduction,
            exploitability: &r.exploitability,
            capped_by: r.capped_by.as_deref(),
            severities: r
                .severities
                .iter()
                .map(|s| HazardSeverity {
                    hazard: &s.hazard,
                    severity: &s.severity,
                    limited_by: s.limited_by.as_deref(),
                })
                .collect(),
            severity: r.severity.as_deref(),
            risk: &r.risk,
        }
        .serialize(serializer)
    }
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
    Location::of(sources, span)
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
        Common::new(self.sources, meta)
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
        let rule = match t.key {
            ThreatKey::Generated { rule, .. } => Some(self.model.rule(rule)),
            _ => None,
        };
        // What the rule states is written once, in the rule's record.
        let stride_own = rule.is_some_and(|r| r.stride == t.stride);
        let capec_own = rule.is_some_and(|r| r.capec == t.capec);
        let cwe_own = rule.is_some_and(|r| r.cwe == t.cwe);
        let suggest_own = rule.is_some_and(|r| r.suggest == t.suggest);
        let exploitability_source = match &view.exploitability_source {
            ExploitabilitySourceView::Rule { rule: name, .. }
                if rule.is_some_and(|r| &r.meta.name == name) =>
            {
                ExploitabilitySourceDoc::OwnRule
            }
            other => ExploitabilitySourceDoc::Other(other.clone()),
        };
        // A generated threat (`RULE@NAME`) sits where NAME is declared.
        let anchor = match t.key {
            ThreatKey::Generated { element, .. } => Some(element),
            ThreatKey::Vulnerability { element, .. } => Some(Target::Element(element)),
            ThreatKey::Hand { .. } => None,
        };
        let at_anchor = anchor.is_some_and(|target| {
            let span = match target {
                Target::Element(e) => self.model.element(e).meta.name_span,
                Target::Flow(f) => self.model.flow(f).meta.name_span,
            };
            span == t.span
        });
        ThreatDoc {
            id: t.id.clone(),
            title: t.title.clone(),
            origin: match t.origin {
                Origin::Hand => "hand",
                Origin::Rule => "rule",
                Origin::Vulnerability => "vulnerability",
            }
            .into(),
            rule: t.rule.clone(),
            stride: (!stride_own).then(|| t.stride.iter().map(|s| s.as_str().into()).collect()),
            targets: Shared(view.targets.clone()),
            affected_data: Shared(view.affected_data.clone()),
            broken: t
                .broken
                .iter()
                .map(|b| BrokenDoc {
                    property: b.property.as_str().into(),
                    log_data_only: b.log_data_only,
                })
                .collect(),
            detection_gap: t.detection_gap,
            hazards: Shared(view.hazards.clone()),
            severity: t.severity.map(|s| self.names.severity(s)),
            exploitability: self.names.exploitability(t.exploitability),
            exploitability_source,
            security_impact: t.impact.as_str().into(),
            initial: Shared(view.initial.clone()),
            controls: Shared(view.controls.clone()),
            planned: ResidualDoc(Shared(view.planned.clone())),
            verified: (view.verified != view.planned)
                .then(|| ResidualDoc(Shared(view.verified.clone()))),
            judged: t.judged.as_str().into(),
            controlled: t.controlled,
            transferred_to_user: t.transferred,
            acceptance: view.acceptance.clone().map(Shared),
            disposition: view.disposition.clone().map(Shared),
            multi_patient: t.multi_patient,
            shared_reached: t.shared_reached.map(|e| self.names.element(e)),
            attack_vector: t.attack_vector.as_str().into(),
            proximity_zone: t.proximity.map(|p| self.names.zone(p.zone)),
            paths: t.paths.clone(),
            capec: (!capec_own).then(|| t.capec.clone()),
            cwe: (!cwe_own).then(|| t.cwe.clone()),
            suggest: (!suggest_own).then(|| t.suggest.iter().map(|c| c.as_str().into()).collect()),
            location: if at_anchor {
                None
            } else {
                location(self.sources, t.span)
            },
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
    let declarations = &view.declarations;
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
        verdict: view.verdict.clone(),
        uses: Uses {
            stride: model.uses_stride,
            fda: model.fda_coverage,
        },
        zones: Shared(declarations.zones.clone()),
        data: Shared(declarations.data.clone()),
        elements: Shared(declarations.elements.clone()),
        flows: Shared(declarations.flows.clone()),
        hazards: Shared(declarations.hazards.clone()),
        rules: Shared(declarations.rules.clone()),
        threats: analysis
            .threats
            .iter()
            .zip(&view.threats)
            .map(|(t, v)| b.threat(t, v))
            .collect(),
        controls: Shared(declarations.controls.clone()),
        verifications: Shared(declarations.verifications.clone()),
        assumptions: Shared(declarations.assumptions.clone()),
        usecases: Shared(declarations.usecases.clone()),
        accepts: Shared(declarations.accepts.clone()),
        approvals: Shared(view.approvals.clone()),
        software: Shared(declarations.software.clone()),
        vulnerabilities: Shared(declarations.vulnerabilities.clone()),
        anomalies: Shared(declarations.anomalies.clone()),
        monitoring: Shared(declarations.monitoring.clone()),
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
