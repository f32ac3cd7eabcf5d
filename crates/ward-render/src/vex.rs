//! `vex.cdx.json`: every vulnerability's disposition as a CycloneDX 1.6
//! VEX document (docs/lifecycle.md, "VEX in and out"): the analysis state
//! and justification, the response and detail an imported VEX statement
//! gave, the software it affects (by the `bom-ref`s of `sbom.cdx.json`)
//! and a rating from its CVSS vector. Written only when the model has
//! vulnerabilities. Deterministic like `sbom.cdx.json`: the serial number
//! comes from the sources' hash, the timestamp from the model's date.

use serde_json::{json, Map, Value};
use ward_model::{
    sha256_hex, Exploitability, Model, VexDisposition, VexJustification, Vulnerability,
    VulnerabilityStatus,
};

use crate::sbom::{serial_number, software_ref, system_ref, timestamp};

/// The artifact's path.
pub const VEX_CDX: &str = "vex.cdx.json";

/// CycloneDX's analysis state of a Ward (CSAF) status.
fn state(status: VulnerabilityStatus) -> &'static str {
    match status {
        VulnerabilityStatus::Affected => "exploitable",
        VulnerabilityStatus::NotAffected => "not_affected",
        VulnerabilityStatus::Fixed => "resolved",
        VulnerabilityStatus::UnderInvestigation => "in_triage",
    }
}

/// CycloneDX's justification of a VEX (CSAF) one, as CISA maps them.
fn justification(j: VexJustification) -> &'static str {
    match j {
        VexJustification::ComponentNotPresent => "requires_dependency",
        VexJustification::VulnerableCodeNotPresent => "code_not_present",
        VexJustification::VulnerableCodeNotInExecutePath => "code_not_reachable",
        VexJustification::VulnerableCodeCannotBeControlledByAdversary => "requires_environment",
        VexJustification::InlineMitigationsAlreadyExist => "protected_by_mitigating_control",
    }
}

/// CVSS v3's qualitative severity of a base score.
fn severity(score: f64) -> &'static str {
    match score {
        s if s >= 9.0 => "critical",
        s if s >= 7.0 => "high",
        s if s >= 4.0 => "medium",
        s if s > 0.0 => "low",
        _ => "none",
    }
}

fn rating(v: &Vulnerability) -> Option<Value> {
    let Some(Exploitability::Cvss {
        vector, base_score, ..
    }) = &v.cvss
    else {
        return None;
    };
    Some(json!({
        "score": base_score,
        "severity": severity(*base_score),
        "method": if vector.starts_with("CVSS:3.1/") { "CVSSv31" } else { "CVSSv3" },
        "vector": vector,
    }))
}

fn vulnerability(model: &Model, v: &Vulnerability, vex: Option<&VexDisposition>) -> Value {
    let mut out = Map::new();
    out.insert(
        "bom-ref".into(),
        json!(format!("vulnerability:{}", v.meta.name)),
    );
    out.insert("id".into(), json!(v.advisory));
    if !v.aliases.is_empty() {
        let aliases: Vec<Value> = v
            .aliases
            .iter()
            .map(|a| json!({ "id": a, "source": { "name": "alias" } }))
            .collect();
        out.insert("references".into(), Value::Array(aliases));
    }
    if let Some(rating) = rating(v) {
        out.insert("ratings".into(), json!([rating]));
    }
    if let Some(published) = &v.published {
        out.insert("published".into(), json!(format!("{published}T00:00:00Z")));
    }
    let mut analysis = Map::new();
    if let Some(status) = v.status {
        analysis.insert("state".into(), json!(state(status)));
    }
    if let Some(j) = v.justification {
        analysis.insert("justification".into(), json!(justification(j)));
    }
    if let Some(vex) = vex {
        if !vex.response.is_empty() {
            analysis.insert("response".into(), json!(vex.response));
        }
        if let Some(detail) = &vex.detail {
            analysis.insert("detail".into(), json!(detail));
        }
    }
    out.insert("analysis".into(), Value::Object(analysis));
    // The software it affects in this model; one whose range leaves out
    // every version in use names the software it is stated for.
    let affected = if v.affects.is_empty() {
        &v.software
    } else {
        &v.affects
    };
    let affects: Vec<Value> = affected
        .iter()
        .map(|&s| json!({ "ref": software_ref(&model.software(s).meta.name) }))
        .collect();
    out.insert("affects".into(), Value::Array(affects));
    Value::Object(out)
}

/// The document, or `None` when the model has no vulnerabilities.
pub fn document(model: &Model, source_hash: &str) -> Option<Value> {
    if model.vulnerabilities.is_empty() {
        return None;
    }
    let mut metadata = Map::new();
    if let Some(timestamp) = timestamp(model) {
        metadata.insert("timestamp".into(), json!(timestamp));
    }
    metadata.insert(
        "tools".into(),
        json!({ "components": [{ "type": "application", "name": "ward", "version": env!("CARGO_PKG_VERSION") }] }),
    );
    let system = model.system.as_ref();
    let mut component = Map::new();
    component.insert("type".into(), json!("device"));
    component.insert(
        "bom-ref".into(),
        json!(system_ref(
            system.map_or("system", |s| s.meta.name.as_str())
        )),
    );
    component.insert(
        "name".into(),
        json!(system.map_or("(no system)", |s| s.meta.title.as_str())),
    );
    if let Some(version) = system.and_then(|s| s.version.as_deref()) {
        component.insert("version".into(), json!(version));
    }
    metadata.insert("component".into(), Value::Object(component));
    metadata.insert(
        "properties".into(),
        json!([{ "name": "ward:sources_sha256", "value": source_hash }]),
    );
    // The software the vulnerabilities name, so that each `affects` ref
    // resolves inside this document too.
    let mut named: Vec<bool> = vec![false; model.software.len()];
    for v in &model.vulnerabilities {
        for s in v.software.iter().chain(&v.affects) {
            named[s.index()] = true;
        }
    }
    let components: Vec<Value> = model
        .software
        .iter()
        .zip(&named)
        .filter(|(_, named)| **named)
        .map(|(s, _)| {
            let mut c = Map::new();
            c.insert("type".into(), json!("library"));
            c.insert("bom-ref".into(), json!(software_ref(&s.meta.name)));
            c.insert("supplier".into(), json!({ "name": s.supplier }));
            c.insert("name".into(), json!(s.meta.title));
            c.insert("version".into(), json!(s.version));
            if let Some(cpe) = &s.cpe {
                c.insert("cpe".into(), json!(cpe));
            }
            if let Some(purl) = &s.purl {
                c.insert("purl".into(), json!(purl));
            }
            Value::Object(c)
        })
        .collect();
    let vulnerabilities: Vec<Value> = model
        .vulnerabilities
        .iter()
        .enumerate()
        .map(|(i, v)| {
            // The last statement applied to it wins, as in lowering.
            let vex = model
                .vex
                .iter()
                .rev()
                .find(|d| d.vulnerability.index() == i);
            vulnerability(model, v, vex)
        })
        .collect();
    Some(json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        // Not the SBOM's serial: each document has its own.
        "serialNumber": serial_number(&sha256_hex(format!("{VEX_CDX}\n{source_hash}").as_bytes())),
        "version": 1,
        "metadata": Value::Object(metadata),
        "components": components,
        "vulnerabilities": vulnerabilities,
    }))
}
