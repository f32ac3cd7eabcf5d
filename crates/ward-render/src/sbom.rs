//! `sbom.cdx.json`: the whole system's software bill of materials as a
//! CycloneDX 1.6 JSON document. The system is `metadata.component`; each
//! component (not actors) is a component of type `device`, `firmware`,
//! `application` or `platform` by its kind; each software record, declared
//! or imported from a component's SBOM, is one `library` component (a
//! software run by two components is listed once and linked from both); the
//! `dependencies` graph links the system to its components, each component
//! to the software it lists and each software to what it depends on.
//!
//! Deterministic: the serial number is a UUID made from the sources' hash,
//! the timestamp is the model's `as_of`, else the latest software
//! timestamp (never the clock), and the source hash is a property of the
//! metadata, as it is in every other artifact.

use serde::Serialize;
use ward_model::{ComponentKind, ElementKind, Model};
use ward_view::View;

/// Ward's own CycloneDX properties, also read on import (docs/lifecycle.md).
pub const SUPPORT_PROPERTY: &str = "ward:support";
pub const END_OF_SUPPORT_PROPERTY: &str = "ward:end_of_support";

#[derive(Serialize)]
struct Bom<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    #[serde(rename = "bomFormat")]
    bom_format: &'static str,
    #[serde(rename = "specVersion")]
    spec_version: &'static str,
    #[serde(rename = "serialNumber")]
    serial_number: String,
    version: u32,
    metadata: Metadata<'a>,
    components: Vec<Component<'a>>,
    dependencies: Vec<Dependency>,
}

#[derive(Serialize)]
struct Metadata<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<String>,
    tools: Tools,
    component: Component<'a>,
    properties: Vec<Property<'a>>,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<Tool>,
}

#[derive(Serialize)]
struct Tool {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Component<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier: Option<Entity<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Entity<'a>>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<Hash>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpe: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property<'a>>,
}

#[derive(Serialize)]
struct Entity<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Hash {
    alg: &'static str,
    content: String,
}

#[derive(Serialize)]
struct Property<'a> {
    name: &'static str,
    value: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    #[serde(rename = "dependsOn")]
    depends_on: Vec<String>,
}

pub(crate) fn system_ref(id: &str) -> String {
    format!("system:{id}")
}
fn component_ref(id: &str) -> String {
    format!("component:{id}")
}
pub(crate) fn software_ref(id: &str) -> String {
    format!("software:{id}")
}

/// The CycloneDX component type of a Ward component kind.
fn component_type(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Device | ComponentKind::Gateway => "device",
        ComponentKind::Firmware => "firmware",
        ComponentKind::CloudService | ComponentKind::Runtime => "platform",
        ComponentKind::MlModel => "machine-learning-model",
        ComponentKind::MobileApp
        | ComponentKind::WebApp
        | ComponentKind::Service
        | ComponentKind::Datastore
        | ComponentKind::Process
        | ComponentKind::Proxy
        | ComponentKind::IdentityProvider
        | ComponentKind::CiPipeline
        | ComponentKind::CodeRepository
        | ComponentKind::Browser
        | ComponentKind::Agent => "application",
    }
}

/// A declared or imported hash (`ALG:HEX`) as CycloneDX spells it; `None`
/// for an algorithm or a digest length CycloneDX does not have, which the
/// document leaves out rather than be invalid.
fn hash(text: &str) -> Option<Hash> {
    let (alg, content) = text.split_once(':')?;
    let alg = match alg.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
        "md5" => "MD5",
        "sha1" => "SHA-1",
        "sha256" => "SHA-256",
        "sha384" => "SHA-384",
        "sha512" => "SHA-512",
        "sha3256" => "SHA3-256",
        "sha3384" => "SHA3-384",
        "sha3512" => "SHA3-512",
        "blake2b256" => "BLAKE2b-256",
        "blake2b384" => "BLAKE2b-384",
        "blake2b512" => "BLAKE2b-512",
        "blake3" => "BLAKE3",
        _ => return None,
    };
    let hex = content.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && [32, 40, 64, 96, 128].contains(&content.len())).then(|| Hash {
        alg,
        content: content.to_ascii_lowercase(),
    })
}

/// A version-5-shaped UUID URN from the sources' sha256 (hex): the same
/// sources give the same serial number (`build --check` rewrites it with
/// the hash, as a provenance-only change).
pub fn serial_number(source_hash: &str) -> String {
    let mut hex: Vec<u8> = source_hash
        .bytes()
        .filter(u8::is_ascii_hexdigit)
        .map(|b| b.to_ascii_lowercase())
        .chain(std::iter::repeat(b'0'))
        .take(32)
        .collect();
    hex[12] = b'5';
    // The variant: 10xx.
    let variant =
        u8::from_str_radix(std::str::from_utf8(&hex[16..17]).unwrap_or("0"), 16).unwrap_or(0);
    hex[16] = b"89ab"[usize::from(variant & 3)];
    let hex = String::from_utf8(hex).unwrap_or_default();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The document's timestamp: the model's `as_of`, else the latest
/// software timestamp, as midnight UTC; `None` when the model has neither.
pub(crate) fn timestamp(model: &Model) -> Option<String> {
    model
        .as_of
        .clone()
        .or_else(|| {
            model
                .software
                .iter()
                .map(|s| s.timestamp.as_str())
                .filter(|t| !t.is_empty())
                .max()
                .map(str::to_owned)
        })
        .map(|date| format!("{date}T00:00:00Z"))
}

/// The CycloneDX document, ready to serialise.
pub fn document<'a>(model: &'a Model, view: &'a View, source_hash: &'a str) -> impl Serialize + 'a {
    let system = model.system.as_ref();
    let system_id = system.map_or("system", |s| s.meta.name.as_str());
    let system_component = Component {
        kind: "device",
        bom_ref: system_ref(system_id),
        supplier: None,
        authors: Vec::new(),
        name: system.map_or("(no system)", |s| s.meta.title.as_str()),
        version: system.and_then(|s| s.version.as_deref()),
        description: system.and_then(|s| s.meta.description.as_deref()),
        hashes: Vec::new(),
        cpe: None,
        purl: None,
        properties: Vec::new(),
    };
    let mut components = Vec::new();
    let mut dependencies = Vec::new();
    let mut system_parts = Vec::new();
    for element in &model.elements {
        let ElementKind::Component(kind) = element.kind else {
            continue;
        };
        let reference = component_ref(&element.meta.name);
        system_parts.push(reference.clone());
        components.push(Component {
            kind: component_type(kind),
            bom_ref: reference.clone(),
            supplier: None,
            authors: Vec::new(),
            name: &element.meta.title,
            version: element.version.as_deref(),
            description: element.meta.description.as_deref(),
            hashes: Vec::new(),
            cpe: None,
            purl: None,
            properties: vec![Property {
                name: "ward:kind",
                value: kind.as_str().into(),
            }],
        });
        dependencies.push(Dependency {
            reference,
            depends_on: element
                .software_refs
                .iter()
                .map(|s| software_ref(&model.software(*s).meta.name))
                .collect(),
        });
    }
    for (software, record) in model.software.iter().zip(view.declarations.software.iter()) {
        let reference = software_ref(&software.meta.name);
        let mut properties = vec![Property {
            name: "ward:id",
            value: software.meta.name.as_str().into(),
        }];
        if let Some(level) = &record.support {
            properties.push(Property {
                name: SUPPORT_PROPERTY,
                value: level.clone().into(),
            });
        }
        if let Some(date) = &software.end_of_support {
            properties.push(Property {
                name: END_OF_SUPPORT_PROPERTY,
                value: date.as_str().into(),
            });
        }
        if !software.timestamp.is_empty() {
            properties.push(Property {
                name: "ward:timestamp",
                value: software.timestamp.as_str().into(),
            });
        }
        if let Some(from) = &software.imported_from {
            properties.push(Property {
                name: "ward:sbom",
                value: from.sbom.as_str().into(),
            });
        }
        let text = |s: &'a str| (!s.is_empty()).then_some(s);
        components.push(Component {
            kind: "library",
            bom_ref: reference.clone(),
            supplier: text(&software.supplier).map(|name| Entity { name }),
            authors: text(&software.author)
                .map(|name| vec![Entity { name }])
                .unwrap_or_default(),
            name: &software.meta.title,
            version: text(&software.version),
            description: software.meta.description.as_deref(),
            hashes: software.hashes.iter().filter_map(|h| hash(h)).collect(),
            cpe: software.cpe.as_deref(),
            purl: software.purl.as_deref(),
            properties,
        });
        dependencies.push(Dependency {
            reference,
            depends_on: record.depends_on.iter().map(|d| software_ref(d)).collect(),
        });
    }
    dependencies.insert(
        0,
        Dependency {
            reference: system_ref(system_id),
            depends_on: system_parts,
        },
    );
    Bom {
        schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
        bom_format: "CycloneDX",
        spec_version: "1.6",
        serial_number: serial_number(source_hash),
        version: 1,
        metadata: Metadata {
            timestamp: timestamp(model),
            tools: Tools {
                components: vec![Tool {
                    kind: "application",
                    name: "ward",
                    version: env!("CARGO_PKG_VERSION"),
                }],
            },
            component: system_component,
            properties: vec![Property {
                name: "ward:sources_sha256",
                value: source_hash.into(),
            }],
        },
        components,
        dependencies,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_serial_number_is_a_uuid_of_the_source_hash() {
        let a = serial_number(&"ab".repeat(32));
        assert_eq!(a, "urn:uuid:abababab-abab-5bab-abab-abababababab");
        assert_ne!(a, serial_number(&"cd".repeat(32)));
    }

    #[test]
    fn hashes_cyclonedx_cannot_state_are_left_out() {
        assert_eq!(
            hash(&format!("sha256:{}", "A".repeat(64))).unwrap().alg,
            "SHA-256"
        );
        assert!(hash("sha256:abc").is_none(), "wrong length");
        assert!(hash(&format!("crc32:{}", "a".repeat(64))).is_none());
    }
}
