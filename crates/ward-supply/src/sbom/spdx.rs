//! SPDX 2.3 JSON: the fields an SBOM import reads, as typed serde structs.

use super::{date_part, duplicate, graph, hash_text, too_many, Package, Sbom, SbomFormat};
use crate::json::{self, ErrorKind, SupplyError};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

pub(super) const SPEC_VERSIONS: &[&str] = &["SPDX-2.3"];

#[derive(Deserialize)]
struct Document {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    #[serde(rename = "creationInfo")]
    creation_info: CreationInfo,
    #[serde(default)]
    packages: Vec<SpdxPackage>,
    #[serde(default)]
    files: Vec<Element>,
    #[serde(default)]
    snippets: Vec<Element>,
    #[serde(default)]
    relationships: Vec<Relationship>,
}

#[derive(Deserialize)]
struct CreationInfo {
    created: String,
    #[serde(default)]
    creators: Vec<String>,
}

#[derive(Deserialize)]
struct Element {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
}

#[derive(Deserialize)]
struct SpdxPackage {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    name: String,
    #[serde(rename = "versionInfo")]
    version_info: Option<String>,
    supplier: Option<String>,
    originator: Option<String>,
    #[serde(default)]
    checksums: Vec<Checksum>,
    #[serde(rename = "externalRefs", default)]
    external_refs: Vec<ExternalRef>,
    #[serde(rename = "validUntilDate")]
    valid_until_date: Option<String>,
}

#[derive(Deserialize)]
struct Checksum {
    algorithm: String,
    #[serde(rename = "checksumValue")]
    checksum_value: String,
}

#[derive(Deserialize)]
struct ExternalRef {
    #[serde(rename = "referenceType")]
    reference_type: String,
    #[serde(rename = "referenceLocator")]
    reference_locator: String,
}

#[derive(Deserialize)]
struct Relationship {
    #[serde(rename = "spdxElementId")]
    element: String,
    #[serde(rename = "relationshipType")]
    kind: String,
    #[serde(rename = "relatedSpdxElement")]
    related: String,
}

pub(super) fn parse(text: &str, spec_version: String) -> Result<Sbom, SupplyError> {
    let doc: Document = json::parse(text, "SPDX document")?;
    if doc.packages.len() > super::MAX_SBOM_PACKAGES {
        return Err(too_many(doc.packages.len()));
    }
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut others: HashSet<&str> = HashSet::from([doc.spdx_id.as_str()]);
    let mut packages = Vec::with_capacity(doc.packages.len());
    for p in &doc.packages {
        if by_id.insert(&p.spdx_id, packages.len()).is_some() {
            return Err(duplicate(text, "SPDXID", &p.spdx_id, "elements"));
        }
        packages.push(package(text, p));
    }
    for e in doc.files.iter().chain(&doc.snippets) {
        if by_id.contains_key(e.spdx_id.as_str()) || !others.insert(&e.spdx_id) {
            return Err(duplicate(text, "SPDXID", &e.spdx_id, "elements"));
        }
    }
    let mut warnings = Vec::new();
    let mut related_seen: HashMap<&str, usize> = HashMap::new();
    for r in &doc.relationships {
        let edge = match r.kind.as_str() {
            "DEPENDS_ON" | "CONTAINS" => Some((&r.element, &r.related)),
            "DEPENDENCY_OF" | "CONTAINED_BY" => Some((&r.related, &r.element)),
            _ => None,
        };
        let n = related_seen.entry(&r.related).or_insert(0);
        let nth = *n;
        *n += 1;
        let Some((from, to)) = edge else { continue };
        let known = |id: &str| {
            by_id.contains_key(id)
                || others.contains(id)
                || id.starts_with("DocumentRef-")
                || id == "NONE"
                || id == "NOASSERTION"
        };
        for (id, key) in [
            (&r.element, "spdxElementId"),
            (&r.related, "relatedSpdxElement"),
        ] {
            if !known(id) {
                let nth = if key == "relatedSpdxElement" { nth } else { 0 };
                warnings.push(SupplyError::new(
                    ErrorKind::DanglingReference,
                    json::locate_string(text, key, id, nth),
                    format!("the relationship names `{id}`, which is no element of the document"),
                    "Ward leaves it out: add the element, or correct the SPDXID it means",
                ));
            }
        }
        // Dependencies between packages; files and other documents are
        // not software of the component.
        if let (Some(&f), Some(&t)) = (by_id.get(from.as_str()), by_id.get(to.as_str())) {
            if f != t && !packages[f].depends_on.contains(&t) {
                packages[f].depends_on.push(t);
            }
        }
    }
    warnings.extend(graph::cut_cycles(&mut packages, "relationships"));
    Ok(Sbom {
        format: SbomFormat::Spdx,
        spec_version,
        author: creators(&doc.creation_info.creators),
        timestamp: date_part(&doc.creation_info.created),
        subject: None,
        packages,
        warnings,
    })
}

/// `Person: ...` and `Organization: ...` creators, else the tools, each
/// without its e-mail.
fn creators(creators: &[String]) -> String {
    let named = |prefixes: &[&str]| -> Vec<String> {
        creators
            .iter()
            .filter(|c| prefixes.iter().any(|p| c.starts_with(p)))
            .filter_map(|c| party(Some(c)))
            .collect()
    };
    let people = named(&["Person:", "Organization:"]);
    if people.is_empty() {
        named(&["Tool:"]).join(", ")
    } else {
        people.join(", ")
    }
}

/// `Organization: NAME (EMAIL)` -> `NAME`; `NOASSERTION` -> nothing.
fn party(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    if text == "NOASSERTION" {
        return None;
    }
    let name = text
        .split_once(':')
        .map_or(text, |(_, rest)| rest)
        .split(" (")
        .next()
        .unwrap_or_default()
        .trim();
    (!name.is_empty()).then(|| name.to_owned())
}

fn package(text: &str, p: &SpdxPackage) -> Package {
    let reference = |kinds: &[&str]| {
        p.external_refs
            .iter()
            .find(|r| kinds.contains(&r.reference_type.as_str()))
            .map(|r| r.reference_locator.clone())
    };
    Package {
        reference: p.spdx_id.clone(),
        name: p.name.clone(),
        version: p.version_info.clone().unwrap_or_default(),
        supplier: party(p.supplier.as_deref())
            .or_else(|| party(p.originator.as_deref()))
            .unwrap_or_default(),
        purl: reference(&["purl"]),
        cpe: reference(&["cpe23Type", "cpe22Type"]),
        hashes: p
            .checksums
            .iter()
            .map(|c| hash_text(&c.algorithm, &c.checksum_value))
            .collect(),
        depends_on: Vec::new(),
        support: None,
        end_of_support: p.valid_until_date.as_deref().and_then(date_part),
        location: json::locate_string(text, "SPDXID", &p.spdx_id, 0),
    }
}
