//! CycloneDX VEX (a BOM of specVersion 1.4 to 1.6 with `vulnerabilities`):
//! each vulnerability's `analysis` (state, justification, response,
//! detail) applies to every `affects[].ref`, a `bom-ref` of the document's
//! components (or, when the document does not define it, a purl or a name).

use crate::json::{self, ErrorKind, SupplyError};
use crate::vex::{
    at, too_many, Vex, VexFormat, VexProduct, VexStatement, VexStatus, MAX_VEX_STATEMENTS,
};
use serde::Deserialize;
use std::collections::HashMap;

pub const SPEC_VERSIONS: &[&str] = &["1.4", "1.5", "1.6"];

#[derive(Deserialize)]
struct Bom {
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    components: Vec<Component>,
    #[serde(default)]
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Deserialize)]
struct Metadata {
    component: Option<Component>,
}

#[derive(Deserialize)]
struct Component {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    name: String,
    version: Option<String>,
    purl: Option<String>,
    cpe: Option<String>,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Deserialize)]
struct Vulnerability {
    id: String,
    #[serde(default)]
    references: Vec<Reference>,
    analysis: Option<Analysis>,
    #[serde(default)]
    affects: Vec<Affects>,
}

#[derive(Deserialize)]
struct Reference {
    id: String,
}

#[derive(Deserialize)]
struct Analysis {
    state: Option<String>,
    justification: Option<String>,
    #[serde(default)]
    response: Vec<String>,
    detail: Option<String>,
}

#[derive(Deserialize)]
struct Affects {
    #[serde(rename = "ref")]
    reference: String,
}

/// A CycloneDX analysis state as a VEX status.
fn status(state: &str) -> Option<VexStatus> {
    Some(match state {
        "exploitable" => VexStatus::Affected,
        "in_triage" => VexStatus::UnderInvestigation,
        "not_affected" | "false_positive" => VexStatus::NotAffected,
        "resolved" | "resolved_with_pedigree" => VexStatus::Fixed,
        _ => return None,
    })
}

/// A CycloneDX justification in CSAF's (and CISA's) words.
pub fn csaf_justification(justification: &str) -> Option<&'static str> {
    Some(match justification {
        "code_not_present" => "vulnerable_code_not_present",
        "code_not_reachable" => "vulnerable_code_not_in_execute_path",
        "requires_dependency" => "component_not_present",
        "requires_configuration" | "requires_environment" => {
            "vulnerable_code_cannot_be_controlled_by_adversary"
        }
        "protected_by_compiler"
        | "protected_at_runtime"
        | "protected_at_perimeter"
        | "protected_by_mitigating_control" => "inline_mitigations_already_exist",
        _ => return None,
    })
}

pub(crate) fn parse(text: &str, head: &serde_json::Value) -> Result<Vex, SupplyError> {
    let format = head["bomFormat"].as_str().unwrap_or_default();
    if format != "CycloneDX" {
        return Err(SupplyError::new(
            ErrorKind::Shape,
            at(text, "bomFormat", format),
            format!("`bomFormat` is `{format}`, not `CycloneDX`"),
            "a CycloneDX VEX file has `\"bomFormat\": \"CycloneDX\"`",
        ));
    }
    let version = head["specVersion"].as_str().unwrap_or_default();
    if !SPEC_VERSIONS.contains(&version) {
        return Err(SupplyError::new(
            ErrorKind::UnsupportedVersion,
            at(text, "specVersion", version),
            format!("CycloneDX specVersion `{version}` is not one Ward reads for VEX"),
            "Ward reads CycloneDX VEX of specVersion 1.4, 1.5 or 1.6",
        ));
    }
    let bom: Bom = json::parse(text, "CycloneDX VEX document")?;
    let mut products: HashMap<String, VexProduct> = HashMap::new();
    let mut stack: Vec<Component> = bom.components;
    stack.extend(bom.metadata.and_then(|m| m.component));
    while let Some(mut component) = stack.pop() {
        stack.append(&mut component.components);
        let Some(reference) = component.bom_ref.clone() else {
            continue;
        };
        let product = VexProduct {
            name: Some(component.name),
            version: component.version,
            purl: component.purl,
            cpe: component.cpe,
        };
        if products.insert(reference.clone(), product).is_some() {
            let mut e = SupplyError::new(
                ErrorKind::DuplicateId,
                json::locate_string(text, "bom-ref", &reference, 1),
                format!("the document defines `bom-ref` `{reference}` twice"),
                "give each component its own `bom-ref`",
            );
            e.first = json::locate_string(text, "bom-ref", &reference, 0);
            return Err(e);
        }
    }
    let mut statements = Vec::new();
    let mut occurrences: HashMap<&str, usize> = HashMap::new();
    let mut seen: HashMap<(String, String), Option<json::Location>> = HashMap::new();
    for v in &bom.vulnerabilities {
        let nth = occurrences.entry(v.id.as_str()).or_insert(0);
        let location = json::locate_string(text, "id", &v.id, *nth);
        *nth += 1;
        // No analysis: the document lists the vulnerability without a
        // disposition, which sets nothing.
        let Some(analysis) = &v.analysis else {
            continue;
        };
        let Some(state) = analysis.state.as_deref() else {
            continue;
        };
        let Some(status) = status(state) else {
            return Err(SupplyError::new(
                ErrorKind::Shape,
                at(text, "state", state),
                format!("analysis state `{state}` of `{}` is not a CycloneDX state", v.id),
                "use one of `exploitable`, `in_triage`, `not_affected`, `false_positive`, `resolved`, `resolved_with_pedigree`",
            ));
        };
        for affects in &v.affects {
            let key = (v.id.clone(), affects.reference.clone());
            if let Some(first) = seen.get(&key) {
                let mut e = SupplyError::new(
                    ErrorKind::DuplicateId,
                    location,
                    format!(
                        "the document states `{}` for `{}` twice",
                        v.id, affects.reference
                    ),
                    "keep one analysis per vulnerability and component",
                );
                e.first = *first;
                return Err(e);
            }
            seen.insert(key, location);
            if statements.len() >= MAX_VEX_STATEMENTS {
                return Err(too_many(statements.len() + 1));
            }
            // A reference the document does not define may be a purl, or
            // a BOM-Link into another BOM: it names the product itself.
            let product = products
                .get(&affects.reference)
                .cloned()
                .unwrap_or_else(|| {
                    let r = &affects.reference;
                    let local = r.rsplit_once('#').map_or(r.as_str(), |(_, local)| local);
                    if local.starts_with("pkg:") {
                        VexProduct {
                            purl: Some(local.to_string()),
                            ..VexProduct::default()
                        }
                    } else {
                        VexProduct {
                            name: Some(local.to_string()),
                            ..VexProduct::default()
                        }
                    }
                });
            let justification = analysis.justification.as_deref();
            statements.push(VexStatement {
                advisory: v.id.clone(),
                aliases: v.references.iter().map(|r| r.id.clone()).collect(),
                product,
                status,
                justification: justification
                    .and_then(csaf_justification)
                    .map(str::to_string),
                justification_as_written: justification.map(str::to_string),
                detail: analysis.detail.clone(),
                response: analysis.response.clone(),
                location,
            });
        }
    }
    Ok(Vex {
        format: VexFormat::CycloneDx,
        version: version.to_string(),
        statements,
    })
}
