//! `model.otm.json`: the model in the Open Threat Model format (OTM 0.2.0,
//! IriusRisk's interchange format, read by Threat Dragon and others).
//!
//! OTM holds the architecture (trust zones, components, dataflows, data as
//! assets), threats and mitigations. What it has no field for goes under
//! `attributes.ward` of the object it belongs to, and every declaration's
//! Ward source text goes with it (`attributes.ward.source`, or
//! `project.attributes.ward.declarations` for declarations OTM has no object
//! for), with the SBOM, feed and VEX files the model read
//! (`project.attributes.ward.files`), so that `ward import otm` gives the
//! model back (docs/interchange.md).
//! Risk numbers are read from the analysis; levels are the view's words.

use serde_json::{json, Map, Value};
use ward_analysis::{Analysis, Origin, ThreatAnalysis};
use ward_diagnostics::{SourceMap, Span};
use ward_model::{CiaLevel, ControlStatus, ElementKind, Meta, Model, Stride, Target, Trust};
use ward_view::View;

/// The artifact's path in the output folder.
pub const OTM_FILE: &str = "model.otm.json";

/// The OTM version written (and the one `ward import otm` reads).
pub const OTM_VERSION: &str = "0.2.0";

/// The representation every object's source location refers to.
const SOURCE_REPRESENTATION: &str = "ward-source";

/// Builds the OTM document of one analysed model.
pub fn document(model: &Model, analysis: &Analysis, view: &View, sources: &SourceMap) -> Value {
    let cx = Cx { model, sources };
    let mut doc = Map::new();
    doc.insert("otmVersion".into(), json!(OTM_VERSION));
    doc.insert("project".into(), project(&cx));
    doc.insert(
        "representations".into(),
        json!([{
            "name": "Ward model source",
            "id": SOURCE_REPRESENTATION,
            "type": "code",
            "description": "The .ward files this document was generated from; each object names its file and line."
        }]),
    );
    doc.insert(
        "assets".into(),
        model.data.iter().map(|d| asset(&cx, d)).collect(),
    );
    doc.insert(
        "trustZones".into(),
        model.zones.iter().map(|z| trust_zone(&cx, z)).collect(),
    );
    doc.insert(
        "components".into(),
        model
            .elements
            .iter()
            .enumerate()
            .map(|(i, e)| component(&cx, analysis, i, e))
            .collect(),
    );
    doc.insert(
        "dataflows".into(),
        model
            .flows
            .iter()
            .enumerate()
            .filter(|(_, f)| f.reverse_of.is_none())
            .map(|(i, f)| dataflow(&cx, analysis, i, f))
            .collect(),
    );
    doc.insert(
        "threats".into(),
        analysis
            .threats
            .iter()
            .zip(&view.threats)
            .map(|(t, v)| threat(&cx, t, v))
            .collect(),
    );
    doc.insert(
        "mitigations".into(),
        model.controls.iter().map(|c| mitigation(&cx, c)).collect(),
    );
    Value::Object(doc)
}

struct Cx<'a> {
    model: &'a Model,
    sources: &'a SourceMap,
}

impl Cx<'_> {
    /// The declaration's text as written, from its keyword to the end of
    /// its block.
    fn source(&self, span: Span) -> String {
        let text = &self.sources.get(span.file).text;
        text.get(span.start as usize..span.end as usize)
            .unwrap_or("")
            .to_string()
    }

    /// Where the declaration is, as an OTM representation element.
    fn location(&self, meta: &Meta) -> Value {
        let file = self.sources.get(meta.span.file);
        json!([{
            "representation": SOURCE_REPRESENTATION,
            "id": format!("{}:{}", file.name, meta.name),
            "name": meta.name,
            "file": file.name,
            "line": file.line_col(meta.span.start as usize).line
        }])
    }
}

/// `value` on a 0..=100 scale of `count` levels (OTM's numbers), lowest 0.
fn percent(index: usize, count: usize) -> u32 {
    if count <= 1 {
        return 100;
    }
    let index = index.min(count - 1);
    ((index * 100 + (count - 1) / 2) / (count - 1)) as u32
}

fn cia_percent(level: CiaLevel) -> u32 {
    percent(level as usize, CiaLevel::ALL.len())
}

/// OTM's `trustRating`: 0 for `hostile` up to 100 for `trusted`.
pub fn trust_rating(trust: Trust) -> u32 {
    percent(trust as usize, Trust::ALL.len())
}

/// The STRIDE category as OTM examples and IriusRisk spell it.
pub fn stride_category(s: Stride) -> &'static str {
    match s {
        Stride::Spoofing => "Spoofing",
        Stride::Tampering => "Tampering",
        Stride::Repudiation => "Repudiation",
        Stride::InformationDisclosure => "Information Disclosure",
        Stride::DenialOfService => "Denial of Service",
        Stride::ElevationOfPrivilege => "Elevation of Privilege",
    }
}

/// A Ward control status as an OTM mitigation state (IriusRisk's words).
pub fn mitigation_state(status: ControlStatus) -> &'static str {
    match status {
        ControlStatus::Proposed => "required",
        ControlStatus::Implemented | ControlStatus::Verified => "implemented",
    }
}

/// `description`, `tags` and the source of a declaration, shared by every
/// object.
fn ward_attributes(cx: &Cx, meta: &Meta, mut ward: Map<String, Value>) -> Value {
    if !meta.renamed_from.is_empty() {
        ward.insert("renamedFrom".into(), json!(meta.renamed_from));
    }
    ward.insert("source".into(), json!(cx.source(meta.span)));
    json!({ "ward": ward })
}

fn project(cx: &Cx) -> Value {
    let model = cx.model;
    let system = model.system.as_ref();
    let mut ward = Map::new();
    if let Some(s) = system {
        ward.insert("version".into(), json!(s.version));
        ward.insert("intendedUse".into(), json!(s.intended_use));
    }
    ward.insert("policy".into(), json!(model.policy().path));
    ward.insert("stage".into(), json!(model.stage.as_str()));
    ward.insert(
        "generator".into(),
        json!(format!("ward {}", env!("CARGO_PKG_VERSION"))),
    );
    // The standard library modules the model uses (its own files are all
    // in this document).
    let uses: Vec<&str> = model
        .content
        .iter()
        .filter(|c| c.kind == "use" && c.name.starts_with("std::"))
        .map(|c| c.name.as_str())
        .collect();
    ward.insert("uses".into(), json!(uses));
    ward.insert("declarations".into(), Value::Array(other_declarations(cx)));
    supply_inputs(cx, &mut ward);
    json!({
        "name": system.map_or("(no system)", |s| s.meta.title.as_str()),
        "id": system.map_or("", |s| s.meta.name.as_str()),
        "description": system.and_then(|s| s.meta.description.clone()),
        "tags": system.map_or_else(Vec::new, |s| s.meta.tags.clone()),
        "attributes": { "ward": ward }
    })
}

/// The files the model read besides `.ward` sources (SBOMs, feeds, VEX),
/// by path, and `[vulnerabilities]` of `Ward.toml` as written: the import
/// writes them back, so vulnerabilities and their risks come back too.
fn supply_inputs(cx: &Cx, ward: &mut Map<String, Value>) {
    let supply = &cx.model.supply;
    if !supply.files.is_empty() {
        let mut files: Vec<&ward_model::SupplyFile> = supply.files.iter().collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let files: Vec<Value> = files
            .into_iter()
            .map(|f| json!({ "path": f.path, "text": cx.sources.get(f.file).text }))
            .collect();
        ward.insert("files".into(), Value::Array(files));
    }
    if !supply.feed_patterns.is_empty() || !supply.vex_paths.is_empty() {
        ward.insert(
            "vulnerabilities".into(),
            json!({ "feeds": supply.feed_patterns, "vex": supply.vex_paths }),
        );
    }
}

/// The CAPEC and CWE ids of a threat that names none.
static NO_REFERENCES: Vec<u32> = Vec::new();

/// The declarations OTM has no object for, in the model's order by kind.
fn other_declarations(cx: &Cx) -> Vec<Value> {
    let m = cx.model;
    let mut metas: Vec<(&str, &Meta)> = Vec::new();
    metas.extend(m.system.iter().map(|s| ("system", &s.meta)));
    metas.extend(
        m.policies
            .iter()
            .filter(|p| !p.from_stdlib)
            .map(|p| ("policy", &p.meta)),
    );
    metas.extend(m.hazards.iter().map(|h| ("hazard", &h.meta)));
    // Software an SBOM lists comes back with the SBOM file.
    metas.extend(
        m.software
            .iter()
            .filter(|s| s.imported_from.is_none())
            .map(|s| ("software", &s.meta)),
    );
    metas.extend(
        m.vulnerabilities
            .iter()
            .filter(|v| v.origin == ward_model::VulnerabilityOrigin::Declared)
            .map(|v| ("vulnerability", &v.meta)),
    );
    metas.extend(m.anomalies.iter().map(|a| ("anomaly", &a.meta)));
    metas.extend(m.monitoring.iter().map(|p| ("monitoring", &p.meta)));
    metas.extend(
        m.rules
            .iter()
            .filter(|r| !r.from_stdlib)
            .map(|r| ("rule", &r.meta)),
    );
    metas.extend(m.verifications.iter().map(|v| ("verification", &v.meta)));
    metas.extend(m.assumptions.iter().map(|a| ("assumption", &a.meta)));
    metas.extend(m.usecases.iter().map(|u| ("usecase", &u.meta)));
    metas.extend(m.accepts.iter().map(|a| ("accept", &a.meta)));
    metas.extend(m.approvals.iter().map(|a| ("approval", &a.meta)));
    metas
        .into_iter()
        .map(
            |(kind, meta)| json!({ "kind": kind, "id": meta.name, "source": cx.source(meta.span) }),
        )
        .collect()
}

fn asset(cx: &Cx, d: &ward_model::Data) -> Value {
    let mut ward = Map::new();
    ward.insert("kind".into(), json!(d.kind.as_str()));
    json!({
        "name": d.meta.title,
        "id": d.meta.name,
        "description": d.meta.description,
        "risk": {
            "confidentiality": cia_percent(d.confidentiality),
            "integrity": cia_percent(d.integrity),
            "availability": cia_percent(d.availability),
            "comment": format!(
                "confidentiality {}, integrity {}, availability {} (none 0, low 33, medium 67, high 100)",
                d.confidentiality, d.integrity, d.availability
            )
        },
        "attributes": ward_attributes(cx, &d.meta, ward)
    })
}

fn trust_zone(cx: &Cx, z: &ward_model::Zone) -> Value {
    let mut ward = Map::new();
    ward.insert("trust".into(), json!(z.trust.as_str()));
    ward.insert("physicalAccess".into(), json!(z.physical_access));
    ward.insert(
        "controlledBy".into(),
        json!(z.controlled_by.map(|c| c.as_str())),
    );
    let mut zone = json!({
        "id": z.meta.name,
        "name": z.meta.title,
        "type": z.trust.as_str(),
        "description": z.meta.description,
        "risk": { "trustRating": trust_rating(z.trust) },
        "representations": cx.location(&z.meta),
        "attributes": ward_attributes(cx, &z.meta, ward)
    });
    if let Some(parent) = z.parent {
        zone["parent"] = json!({ "trustZone": cx.model.zone(parent).meta.name });
    }
    zone
}

/// The threats on one target, as OTM threat instances: their state and the
/// controls that mitigate them.
fn threat_instances(cx: &Cx, analysis: &Analysis, on: impl Fn(Target) -> bool) -> Value {
    analysis
        .threats
        .iter()
        .filter(|t| t.targets.iter().any(|&x| on(x)))
        .map(|t| {
            let mitigations: Vec<Value> = t
                .controls
                .iter()
                .map(|&c| {
                    let c = cx.model.control(c);
                    json!({ "mitigation": c.meta.name, "state": mitigation_state(c.status) })
                })
                .collect();
            json!({ "threat": t.id, "state": threat_state(t), "mitigations": mitigations })
        })
        .collect()
}

/// `accepted` with an `accept`, `mitigated` when the judged residual is
/// controlled, else `exposed`.
fn threat_state(t: &ThreatAnalysis) -> &'static str {
    if t.acceptance.is_some() {
        "accepted"
    } else if t.controlled {
        "mitigated"
    } else {
        "exposed"
    }
}

fn component(cx: &Cx, analysis: &Analysis, index: usize, e: &ward_model::Element) -> Value {
    let model = cx.model;
    let id = ward_model::ElementId(index as u32);
    let (element, kind) = match e.kind {
        ElementKind::Component(k) => ("component", k.as_str()),
        ElementKind::Actor(k) => ("actor", k.as_str()),
    };
    let mut ward = Map::new();
    ward.insert("element".into(), json!(element));
    ward.insert("kind".into(), json!(kind));
    ward.insert("fleet".into(), json!(e.fleet.as_str()));
    ward.insert(
        "controlledBy".into(),
        json!(e.controlled_by.map(|c| c.as_str())),
    );
    if !e.is_actor() {
        ward.insert("updatable".into(), json!(e.updatable));
        ward.insert("interfaces".into(), json!(e.interfaces));
        ward.insert("software".into(), json!(e.software));
        ward.insert("version".into(), json!(e.version));
    }
    let stored: Vec<&str> = e
        .stores
        .iter()
        .map(|&d| model.datum(d).meta.name.as_str())
        .collect();
    json!({
        "id": e.meta.name,
        "name": e.meta.title,
        "type": if e.is_actor() { format!("actor-{kind}") } else { kind.to_string() },
        "description": e.meta.description,
        "parent": { "trustZone": e.zone.map_or("", |z| model.zone(z).meta.name.as_str()) },
        "representations": cx.location(&e.meta),
        "assets": { "processed": processed_data(model, id), "stored": stored },
        "threats": threat_instances(cx, analysis, |t| t == Target::Element(id)),
        "tags": e.meta.tags,
        "attributes": ward_attributes(cx, &e.meta, ward)
    })
}

/// The data on the flows an element sends or receives, and the data it
/// `processes`, in data order.
fn processed_data(model: &Model, id: ward_model::ElementId) -> Vec<&str> {
    let mut data: Vec<ward_model::DataId> = model
        .flows
        .iter()
        .filter(|f| f.source == Some(id) || f.target == Some(id))
        .flat_map(|f| f.carries.iter().copied())
        .chain(model.element(id).security.processes.iter().copied())
        .collect();
    data.sort();
    data.dedup();
    data.iter()
        .map(|&d| model.datum(d).meta.name.as_str())
        .collect()
}

fn dataflow(cx: &Cx, analysis: &Analysis, index: usize, f: &ward_model::Flow) -> Value {
    let model = cx.model;
    let id = ward_model::FlowId(index as u32);
    let reverse = f.reverse;
    let end =
        |e: Option<ward_model::ElementId>| e.map_or("", |e| model.element(e).meta.name.as_str());
    let encryption = if f.encrypted { "encrypted" } else { "none" };
    let mut ward = Map::new();
    ward.insert("protocol".into(), json!(f.protocol));
    ward.insert("authenticated".into(), json!(f.authenticated));
    ward.insert("encrypted".into(), json!(f.encrypted));
    ward.insert("integrityProtected".into(), json!(f.integrity_protected));
    if let Some(auth) = f.auth.filter(|a| *a != ward_model::AuthMethod::None) {
        ward.insert("auth".into(), json!(auth.as_str()));
    }
    if f.server_authenticated != f.authenticated {
        ward.insert("serverAuthenticated".into(), json!(f.server_authenticated));
    }
    if let Some(version) = f.tls_version {
        ward.insert("tlsVersion".into(), json!(version.as_str()));
    }
    if let Some(identity) = f.identity {
        ward.insert("identity".into(), json!(identity.as_str()));
    }
    let name = |d: &ward_model::DataId| model.datum(*d).meta.name.as_str();
    // OTM has one asset list per dataflow: a request's response data is
    // in it too, and `returns` says which it is.
    let response = reverse.map(|r| model.flow(r)).filter(|r| r.is_response);
    let mut carries: Vec<&str> = f.carries.iter().map(name).collect();
    if let Some(response) = response {
        let returns: Vec<&str> = response.carries.iter().map(name).collect();
        for d in &returns {
            if !carries.contains(d) {
                carries.push(d);
            }
        }
        ward.insert("returns".into(), json!(returns));
    }
    let mut attributes = ward_attributes(cx, &f.meta, ward);
    attributes["protocol"] = json!(f.protocol);
    attributes["encryption"] = json!(encryption);
    json!({
        "id": f.meta.name,
        "name": f.meta.title,
        "description": f.meta.description,
        "bidirectional": reverse.is_some(),
        "source": end(f.source),
        "destination": end(f.target),
        "assets": carries,
        "threats": threat_instances(cx, analysis, |t| {
            t == Target::Flow(id) || reverse.is_some_and(|r| t == Target::Flow(r))
        }),
        "tags": f.meta.tags,
        "attributes": attributes
    })
}

fn threat(cx: &Cx, t: &ThreatAnalysis, v: &ward_view::ThreatView) -> Value {
    let model = cx.model;
    let policy = model.policy();
    let likelihood = percent(t.exploitability.0 as usize, policy.exploitability.len());
    let (impact, impact_comment) = match t.severity {
        Some(s) => (
            percent(s.0 as usize, policy.severity.len()),
            format!("hazard severity {}", policy.severity_name(s)),
        ),
        None => (
            cia_percent(t.impact),
            format!("security impact {}", t.impact),
        ),
    };
    let (capec, cwe, source) = match t.key {
        ward_model::ThreatKey::Hand { threat: h } => {
            let h = model.threat(h);
            (&h.capec, &h.cwe, Some(cx.source(h.meta.span)))
        }
        ward_model::ThreatKey::Generated { rule: r, .. } => {
            let r = model.rule(r);
            (&r.capec, &r.cwe, None)
        }
        // Regenerated from its `vulnerability` record, which names no
        // CAPEC or CWE.
        ward_model::ThreatKey::Vulnerability { .. } => (&NO_REFERENCES, &NO_REFERENCES, None),
    };
    let mut ward = Map::new();
    ward.insert(
        "origin".into(),
        json!(match t.origin {
            Origin::Hand => "written",
            Origin::Rule => "rule",
            Origin::Vulnerability => "vulnerability",
        }),
    );
    ward.insert("rule".into(), json!(t.rule));
    ward.insert(
        "stride".into(),
        json!(t.stride.iter().map(|s| s.as_str()).collect::<Vec<_>>()),
    );
    ward.insert("targets".into(), json!(*v.targets));
    ward.insert("hazards".into(), json!(*v.hazards));
    ward.insert("affectedData".into(), json!(*v.affected_data));
    ward.insert(
        "exploitability".into(),
        json!(policy.exploitability_name(t.exploitability)),
    );
    ward.insert("attackVector".into(), json!(t.attack_vector.as_str()));
    ward.insert(
        "capec".into(),
        json!(capec
            .iter()
            .map(|c| format!("CAPEC-{c}"))
            .collect::<Vec<_>>()),
    );
    ward.insert("controls".into(), json!(*v.controls));
    ward.insert("initialRisk".into(), json!(v.initial.overall));
    ward.insert("plannedResidualRisk".into(), json!(v.planned.risk.overall));
    ward.insert(
        "verifiedResidualRisk".into(),
        json!(v.verified.risk.overall),
    );
    ward.insert("judgedRisk".into(), json!(t.judged.as_str()));
    ward.insert("accepted".into(), json!(t.acceptance.is_some()));
    if let Some(source) = source {
        ward.insert("source".into(), json!(source));
    }
    json!({
        "id": t.id,
        "name": t.title,
        "categories": t.stride.iter().map(|&s| stride_category(s)).collect::<Vec<_>>(),
        "cwes": cwe.iter().map(|c| format!("CWE-{c}")).collect::<Vec<_>>(),
        "risk": {
            "likelihood": likelihood,
            "likelihoodComment": format!("exploitability {}", policy.exploitability_name(t.exploitability)),
            "impact": impact,
            "impactComment": impact_comment
        },
        "attributes": { "ward": ward }
    })
}

fn mitigation(cx: &Cx, c: &ward_model::Control) -> Value {
    let policy = cx.model.policy();
    // Levels removed, as a share of the exploitability scale's span.
    let reduction = percent(c.reduces as usize, policy.exploitability.len());
    let mut ward = Map::new();
    ward.insert("requirementId".into(), json!(c.requirement_id));
    ward.insert("category".into(), json!(c.category.as_str()));
    ward.insert("status".into(), json!(c.status.as_str()));
    ward.insert("state".into(), json!(mitigation_state(c.status)));
    ward.insert("reduces".into(), json!(c.reduces));
    ward.insert("requirement".into(), json!(c.requirement));
    ward.insert("acceptance".into(), json!(c.acceptance));
    json!({
        "id": c.meta.name,
        "name": c.meta.title,
        "description": c.meta.description.clone().unwrap_or_else(|| c.requirement.clone()),
        "riskReduction": reduction,
        "attributes": ward_attributes(cx, &c.meta, ward)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_map_onto_0_to_100() {
        assert_eq!(trust_rating(Trust::Hostile), 0);
        assert_eq!(trust_rating(Trust::Untrusted), 33);
        assert_eq!(trust_rating(Trust::Controlled), 67);
        assert_eq!(trust_rating(Trust::Trusted), 100);
        assert_eq!(percent(2, 5), 50);
        assert_eq!(percent(4, 5), 100);
        assert_eq!(
            percent(9, 5),
            100,
            "a reduction beyond the scale is the whole scale"
        );
        assert_eq!(percent(0, 1), 100);
    }
}
