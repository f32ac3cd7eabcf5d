//! CycloneDX 1.5 and 1.6 JSON: the fields an SBOM import reads, as typed
//! serde structs (unknown fields ignored, as the schemas' extensions are).

use super::{date_part, duplicate, graph, hash_text, too_many, Package, Sbom, SbomFormat};
use crate::json::{self, ErrorKind, SupplyError};
use serde::Deserialize;
use std::collections::HashMap;

pub(super) const SPEC_VERSIONS: &[&str] = &["1.5", "1.6"];

/// The CycloneDX property naming a package's support level.
pub const SUPPORT_PROPERTY: &str = "ward:support";
/// The CycloneDX property naming a package's end-of-support date.
pub const END_OF_SUPPORT_PROPERTY: &str = "ward:end_of_support";

#[derive(Deserialize)]
struct Bom {
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    components: Vec<Component>,
    #[serde(default)]
    dependencies: Vec<Dependency>,
}

#[derive(Deserialize)]
struct Metadata {
    timestamp: Option<String>,
    #[serde(default)]
    authors: Vec<Contact>,
    supplier: Option<Entity>,
    manufacturer: Option<Entity>,
    component: Option<Component>,
}

#[derive(Deserialize)]
struct Contact {
    name: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize)]
struct Entity {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Component {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    name: String,
    version: Option<String>,
    supplier: Option<Entity>,
    manufacturer: Option<Entity>,
    publisher: Option<String>,
    author: Option<String>,
    purl: Option<String>,
    cpe: Option<String>,
    #[serde(default)]
    hashes: Vec<Hash>,
    #[serde(default)]
    properties: Vec<Property>,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Deserialize)]
struct Hash {
    alg: String,
    content: String,
}

#[derive(Deserialize)]
struct Property {
    name: String,
    value: Option<String>,
}

#[derive(Deserialize)]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    #[serde(rename = "dependsOn", default)]
    depends_on: Vec<String>,
}

pub(super) fn parse(text: &str, spec_version: String) -> Result<Sbom, SupplyError> {
    let bom: Bom = json::parse(text, "CycloneDX SBOM")?;
    let metadata = bom.metadata;
    let mut packages = Vec::new();
    let mut by_ref: HashMap<String, usize> = HashMap::new();
    let subject_ref = metadata
        .as_ref()
        .and_then(|m| m.component.as_ref())
        .and_then(|c| c.bom_ref.clone());
    if let Some(r) = &subject_ref {
        by_ref.insert(r.clone(), usize::MAX);
    }
    // Nested components are flattened, each after its parent, which
    // depends on it (an assembly contains its parts). No recursion: an
    // explicit stack, whatever the depth serde accepted.
    let mut stack: Vec<(Component, Option<usize>)> = bom
        .components
        .into_iter()
        .rev()
        .map(|c| (c, None))
        .collect();
    let mut occurrences: HashMap<String, usize> = HashMap::new();
    while let Some((mut component, parent)) = stack.pop() {
        let index = packages.len();
        if index >= super::MAX_SBOM_PACKAGES {
            return Err(too_many(index + 1 + stack.len()));
        }
        let reference = component.bom_ref.clone().unwrap_or_default();
        let seen = occurrences.entry(component.name.clone()).or_insert(0);
        let location = if reference.is_empty() {
            json::locate_string(text, "name", &component.name, *seen)
        } else {
            json::locate_string(text, "bom-ref", &reference, 0)
        };
        *seen += 1;
        if !reference.is_empty() && by_ref.insert(reference.clone(), index).is_some() {
            return Err(duplicate(text, "bom-ref", &reference, "components"));
        }
        if let Some(p) = parent {
            let parent: &mut Package = &mut packages[p];
            parent.depends_on.push(index);
        }
        for child in std::mem::take(&mut component.components).into_iter().rev() {
            stack.push((child, Some(index)));
        }
        packages.push(package(component, reference, location));
    }
    let mut warnings = Vec::new();
    let mut dependency_refs: HashMap<&str, usize> = HashMap::new();
    for dependency in &bom.dependencies {
        let n = dependency_refs.entry(&dependency.reference).or_insert(0);
        let nth = *n;
        *n += 1;
        let from = match by_ref.get(&dependency.reference) {
            Some(&i) => i,
            None => {
                warnings.push(dangling(text, &dependency.reference, nth));
                continue;
            }
        };
        for to in &dependency.depends_on {
            match by_ref.get(to) {
                // The subject's own dependencies are the component's
                // software, which every package already is.
                Some(&t) if from != usize::MAX && t != usize::MAX => {
                    if !packages[from].depends_on.contains(&t) {
                        packages[from].depends_on.push(t);
                    }
                }
                Some(_) => {}
                None => warnings.push(dangling(text, to, 0)),
            }
        }
    }
    warnings.extend(graph::cut_cycles(&mut packages, "dependencies"));
    let metadata_author = metadata.as_ref().and_then(|m| {
        let people: Vec<&str> = m
            .authors
            .iter()
            .filter_map(|a| a.name.as_deref().or(a.email.as_deref()))
            .collect();
        if people.is_empty() {
            m.supplier
                .as_ref()
                .or(m.manufacturer.as_ref())
                .and_then(|e| e.name.clone())
        } else {
            Some(people.join(", "))
        }
    });
    Ok(Sbom {
        format: SbomFormat::CycloneDx,
        spec_version,
        author: metadata_author.unwrap_or_default(),
        timestamp: metadata
            .as_ref()
            .and_then(|m| m.timestamp.as_deref())
            .and_then(date_part),
        subject: metadata.and_then(|m| m.component).map(|c| match c.version {
            Some(v) => format!("{} {v}", c.name),
            None => c.name,
        }),
        packages,
        warnings,
    })
}

fn package(c: Component, reference: String, location: Option<json::Location>) -> Package {
    let property = |name: &str| {
        c.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    let support = property(SUPPORT_PROPERTY);
    let end_of_support = property(END_OF_SUPPORT_PROPERTY);
    let supplier = c
        .supplier
        .as_ref()
        .and_then(|s| s.name.clone())
        .or(c.publisher.clone())
        .or(c.manufacturer.as_ref().and_then(|m| m.name.clone()))
        .or(c.author.clone())
        .unwrap_or_default();
    Package {
        reference,
        name: c.name,
        version: c.version.unwrap_or_default(),
        supplier,
        purl: c.purl,
        cpe: c.cpe,
        hashes: c
            .hashes
            .iter()
            .map(|h| hash_text(&h.alg, &h.content))
            .collect(),
        depends_on: Vec::new(),
        support,
        end_of_support,
        location,
    }
}

fn dangling(text: &str, reference: &str, nth: usize) -> SupplyError {
    SupplyError::new(
        ErrorKind::DanglingReference,
        json::locate_string(text, "ref", reference, nth)
            .or_else(|| json::locate_string(text, "dependsOn", reference, 0))
            .or_else(|| {
                let quoted = serde_json::to_string(reference).ok()?;
                let at = text.rfind(&quoted)?;
                Some(json::Location::of_offset(text, at))
            }),
        format!("the dependency `{reference}` names no component of the SBOM"),
        "Ward leaves it out: add the component, or correct the `bom-ref` it means",
    )
}
