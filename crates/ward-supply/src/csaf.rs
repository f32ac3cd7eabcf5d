//! CSAF 2.0 VEX (`document.category: csaf_vex`): the product tree gives
//! each `product_id` a name, version and identifiers; each vulnerability's
//! `product_status` lists the products it is `known_affected`,
//! `known_not_affected`, `fixed` or `under_investigation` in, with the
//! justification in `flags` and the impact statement in `threats`.

use crate::json::{self, ErrorKind, Location, SupplyError};
use crate::vex::{
    at, too_many, Vex, VexFormat, VexProduct, VexStatement, VexStatus, MAX_VEX_STATEMENTS,
};
use serde::Deserialize;
use std::collections::HashMap;

pub const CSAF_VERSIONS: &[&str] = &["2.0"];

#[derive(Deserialize)]
struct Csaf {
    document: Document,
    #[serde(default)]
    product_tree: ProductTree,
    #[serde(default)]
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Deserialize)]
struct Document {
    category: String,
    csaf_version: String,
}

#[derive(Deserialize, Default)]
struct ProductTree {
    #[serde(default)]
    branches: Vec<Branch>,
    #[serde(default)]
    full_product_names: Vec<Product>,
}

#[derive(Deserialize)]
struct Branch {
    category: String,
    name: String,
    product: Option<Product>,
    #[serde(default)]
    branches: Vec<Branch>,
}

#[derive(Deserialize)]
struct Product {
    name: String,
    product_id: String,
    product_identification_helper: Option<Helper>,
}

#[derive(Deserialize)]
struct Helper {
    purl: Option<String>,
    cpe: Option<String>,
}

#[derive(Deserialize)]
struct Vulnerability {
    cve: Option<String>,
    #[serde(default)]
    ids: Vec<Id>,
    #[serde(default)]
    product_status: ProductStatus,
    #[serde(default)]
    flags: Vec<Flag>,
    #[serde(default)]
    threats: Vec<Threat>,
    #[serde(default)]
    remediations: Vec<Remediation>,
}

#[derive(Deserialize)]
struct Id {
    text: String,
}

#[derive(Deserialize, Default)]
struct ProductStatus {
    #[serde(default)]
    known_affected: Vec<String>,
    #[serde(default)]
    known_not_affected: Vec<String>,
    #[serde(default)]
    fixed: Vec<String>,
    #[serde(default)]
    first_fixed: Vec<String>,
    #[serde(default)]
    under_investigation: Vec<String>,
}

#[derive(Deserialize)]
struct Flag {
    label: String,
    #[serde(default)]
    product_ids: Vec<String>,
}

#[derive(Deserialize)]
struct Threat {
    category: String,
    details: String,
    #[serde(default)]
    product_ids: Vec<String>,
}

#[derive(Deserialize)]
struct Remediation {
    category: String,
    details: String,
    #[serde(default)]
    product_ids: Vec<String>,
}

/// CSAF's remediation categories as CycloneDX responses.
fn response(category: &str) -> Option<&'static str> {
    Some(match category {
        "vendor_fix" => "update",
        "workaround" | "mitigation" => "workaround_available",
        "no_fix_planned" => "will_not_fix",
        "none_available" => "can_not_fix",
        _ => return None,
    })
}

pub(crate) fn parse(text: &str) -> Result<Vex, SupplyError> {
    let csaf: Csaf = json::parse(text, "CSAF document")?;
    let version = csaf.document.csaf_version.as_str();
    if !CSAF_VERSIONS.contains(&version) {
        return Err(SupplyError::new(
            ErrorKind::UnsupportedVersion,
            at(text, "csaf_version", version),
            format!("CSAF version `{version}` is not one Ward reads"),
            "Ward reads CSAF 2.0 VEX documents (`\"csaf_version\": \"2.0\"`)",
        ));
    }
    if csaf.document.category != "csaf_vex" {
        return Err(SupplyError::new(
            ErrorKind::Shape,
            at(text, "category", &csaf.document.category),
            format!(
                "the CSAF document's category is `{}`, not `csaf_vex`",
                csaf.document.category
            ),
            "import a CSAF VEX profile document (`\"category\": \"csaf_vex\"`); advisories of other profiles carry no VEX statements",
        ));
    }
    let products = product_tree(text, &csaf.product_tree)?;
    let mut statements = Vec::new();
    let mut seen: HashMap<String, Location> = HashMap::new();
    for (n, v) in csaf.vulnerabilities.iter().enumerate() {
        let mut ids: Vec<String> = v.cve.iter().cloned().collect();
        ids.extend(v.ids.iter().map(|i| i.text.clone()));
        let Some(advisory) = ids.first().cloned() else {
            return Err(SupplyError::new(
                ErrorKind::Shape,
                Some(Location { line: 1, column: 1 }),
                format!(
                    "vulnerability {} of the CSAF document has neither `cve` nor `ids`",
                    n + 1
                ),
                "give the vulnerability its `cve` (or an `ids` entry), so Ward can match it",
            ));
        };
        let location = json::locate_string(
            text,
            if v.cve.is_some() { "cve" } else { "text" },
            &advisory,
            0,
        );
        if let Some(first) = seen.get(&advisory) {
            let second = json::locate_string(text, "cve", &advisory, 1).or(location);
            let mut e = SupplyError::new(
                ErrorKind::DuplicateId,
                second,
                format!("the CSAF document lists vulnerability `{advisory}` twice"),
                "merge the two entries: one vulnerability, with every product in its `product_status`",
            );
            e.first = Some(*first);
            return Err(e);
        }
        if let Some(l) = location {
            seen.insert(advisory.clone(), l);
        }
        let status = &v.product_status;
        let fixed: Vec<&String> = status.fixed.iter().chain(&status.first_fixed).collect();
        let lists: [(VexStatus, Vec<&String>); 4] = [
            (VexStatus::Affected, status.known_affected.iter().collect()),
            (
                VexStatus::NotAffected,
                status.known_not_affected.iter().collect(),
            ),
            (VexStatus::Fixed, fixed),
            (
                VexStatus::UnderInvestigation,
                status.under_investigation.iter().collect(),
            ),
        ];
        for (state, ids_of) in lists {
            for product_id in ids_of {
                let Some(product) = products.get(product_id.as_str()) else {
                    return Err(SupplyError::new(
                        ErrorKind::Shape,
                        crate::vex::locate_quoted(text, product_id).or(location),
                        format!("vulnerability `{advisory}` names product `{product_id}`, which the product tree does not define"),
                        "define the product in `product_tree`, or correct its id",
                    ));
                };
                if statements.len() >= MAX_VEX_STATEMENTS {
                    return Err(too_many(statements.len() + 1));
                }
                let for_product = |ids: &[String]| ids.iter().any(|p| p == product_id);
                let justification = (state == VexStatus::NotAffected)
                    .then(|| v.flags.iter().find(|f| for_product(&f.product_ids)))
                    .flatten()
                    .map(|f| f.label.clone());
                let detail = match state {
                    VexStatus::NotAffected | VexStatus::UnderInvestigation => v
                        .threats
                        .iter()
                        .find(|t| t.category == "impact" && for_product(&t.product_ids))
                        .map(|t| t.details.clone()),
                    VexStatus::Affected | VexStatus::Fixed => v
                        .remediations
                        .iter()
                        .find(|r| for_product(&r.product_ids))
                        .map(|r| r.details.clone()),
                };
                let response = v
                    .remediations
                    .iter()
                    .filter(|r| for_product(&r.product_ids))
                    .filter_map(|r| response(&r.category))
                    .map(str::to_string)
                    .collect();
                statements.push(VexStatement {
                    advisory: advisory.clone(),
                    aliases: ids[1..].to_vec(),
                    product: product.clone(),
                    status: state,
                    justification,
                    justification_as_written: None,
                    detail,
                    response,
                    location,
                });
            }
        }
    }
    Ok(Vex {
        format: VexFormat::Csaf,
        version: version.to_string(),
        statements,
    })
}

/// Every product of the tree by id: its name from the nearest
/// `product_name` branch (else the product's full name), its version from
/// a `product_version` branch, its identifiers from the helper. A product
/// id defined twice is an error.
fn product_tree<'a>(
    text: &str,
    tree: &'a ProductTree,
) -> Result<HashMap<&'a str, VexProduct>, SupplyError> {
    let mut out: HashMap<&str, VexProduct> = HashMap::new();
    let mut add = |product: &'a Product, name: Option<&str>, version: Option<&str>| {
        let helper = product.product_identification_helper.as_ref();
        let entry = VexProduct {
            name: Some(name.unwrap_or(&product.name).to_string()),
            version: version.map(str::to_string),
            purl: helper.and_then(|h| h.purl.clone()),
            cpe: helper.and_then(|h| h.cpe.clone()),
        };
        if out.insert(&product.product_id, entry).is_some() {
            let mut e = SupplyError::new(
                ErrorKind::DuplicateId,
                json::locate_string(text, "product_id", &product.product_id, 1),
                format!(
                    "the product tree defines product `{}` twice",
                    product.product_id
                ),
                "give each product its own `product_id`",
            );
            e.first = json::locate_string(text, "product_id", &product.product_id, 0);
            return Err(e);
        }
        Ok(())
    };
    // An explicit stack, not recursion, whatever the depth serde accepted.
    let mut stack: Vec<(&Branch, Option<&str>, Option<&str>)> =
        tree.branches.iter().map(|b| (b, None, None)).collect();
    while let Some((branch, name, version)) = stack.pop() {
        let name = if branch.category == "product_name" {
            Some(branch.name.as_str())
        } else {
            name
        };
        // A range (`<=1.14.0`) is kept as written: it matches no single
        // version, so a statement about it is reported as matching nothing.
        let version = if matches!(
            branch.category.as_str(),
            "product_version" | "product_version_range"
        ) {
            Some(branch.name.as_str())
        } else {
            version
        };
        if let Some(product) = &branch.product {
            add(product, name, version)?;
        }
        stack.extend(branch.branches.iter().map(|b| (b, name, version)));
    }
    for product in &tree.full_product_names {
        add(product, None, None)?;
    }
    Ok(out)
}
