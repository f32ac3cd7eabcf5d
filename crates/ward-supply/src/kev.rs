//! CISA's Known Exploited Vulnerabilities catalog
//! (<https://www.cisa.gov/known-exploited-vulnerabilities-catalog>, JSON
//! schema `known_exploited_vulnerabilities.json`), or a slice of it that
//! keeps the catalog's header fields. Ward reads each entry's `cveID` and
//! `dateAdded`.

use crate::json::{self, locate_string, ErrorKind, Location, SupplyError};
use serde::Deserialize;
use std::collections::HashMap;

/// The most entries a KEV file may hold (the whole catalog had about 1,400
/// in 2026).
pub const MAX_ENTRIES: usize = 50_000;

/// A KEV catalog, or a slice of it.
#[derive(Clone, Debug, PartialEq)]
pub struct KevCatalog {
    pub catalog_version: String,
    pub date_released: Option<String>,
    pub entries: Vec<KevEntry>,
}

/// One catalog entry.
#[derive(Clone, Debug, PartialEq)]
pub struct KevEntry {
    pub cve_id: String,
    /// Where its `cveID` value is.
    pub location: Location,
    /// `YYYY-MM-DD`.
    pub date_added: Option<String>,
    pub vendor_project: Option<String>,
    pub product: Option<String>,
    pub name: Option<String>,
}

#[derive(Deserialize)]
struct RawCatalog {
    #[serde(rename = "catalogVersion")]
    catalog_version: String,
    #[serde(rename = "dateReleased", default)]
    date_released: Option<String>,
    vulnerabilities: Vec<RawEntry>,
}

#[derive(Deserialize)]
struct RawEntry {
    #[serde(rename = "cveID")]
    cve_id: String,
    #[serde(rename = "dateAdded", default)]
    date_added: Option<String>,
    #[serde(rename = "vendorProject", default)]
    vendor_project: Option<String>,
    #[serde(default)]
    product: Option<String>,
    #[serde(rename = "vulnerabilityName", default)]
    name: Option<String>,
}

pub(crate) fn parse(text: &str) -> Result<KevCatalog, SupplyError> {
    let raw: RawCatalog = json::parse(text, "KEV catalog")?;
    if raw.vulnerabilities.len() > MAX_ENTRIES {
        return Err(SupplyError::new(
            ErrorKind::TooLarge,
            None,
            format!(
                "the KEV catalog holds {} entries, over Ward's limit of {MAX_ENTRIES}",
                raw.vulnerabilities.len()
            ),
            "keep a slice of the catalog with the entries of the device's software",
        ));
    }
    let mut seen: HashMap<&str, Location> = HashMap::new();
    let mut entries = Vec::with_capacity(raw.vulnerabilities.len());
    for e in &raw.vulnerabilities {
        let nth = entries
            .iter()
            .filter(|k: &&KevEntry| k.cve_id == e.cve_id)
            .count();
        let location =
            locate_string(text, "cveID", &e.cve_id, nth).unwrap_or(Location { line: 1, column: 1 });
        if let Some(first) = seen.get(e.cve_id.as_str()) {
            let mut err = SupplyError::new(
                ErrorKind::DuplicateId,
                Some(location),
                format!("`{}` is listed twice in the KEV catalog", e.cve_id),
                "keep one entry per CVE, as CISA's catalog does",
            );
            err.first = Some(*first);
            return Err(err);
        }
        seen.insert(&e.cve_id, location);
        entries.push(KevEntry {
            cve_id: e.cve_id.clone(),
            location,
            date_added: e.date_added.as_deref().and_then(crate::sbom::date_part),
            vendor_project: e.vendor_project.clone(),
            product: e.product.clone(),
            name: e.name.clone(),
        });
    }
    Ok(KevCatalog {
        catalog_version: raw.catalog_version,
        date_released: raw
            .date_released
            .as_deref()
            .and_then(crate::sbom::date_part),
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cve_ids_and_dates() {
        let text = r#"{"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "2024.12.05",
 "dateReleased": "2024-12-05T15:00:11.5627Z", "count": 1,
 "vulnerabilities": [{"cveID": "CVE-2023-44487", "vendorProject": "IETF", "product": "HTTP/2",
   "vulnerabilityName": "HTTP/2 Rapid Reset", "dateAdded": "2023-10-10"}]}"#;
        let k = parse(text).unwrap();
        assert_eq!(k.date_released.as_deref(), Some("2024-12-05"));
        assert_eq!(k.entries[0].cve_id, "CVE-2023-44487");
        assert_eq!(k.entries[0].date_added.as_deref(), Some("2023-10-10"));
        assert_eq!(k.entries[0].location.line, 3);
    }

    #[test]
    fn a_duplicate_cve_is_refused_at_its_second_entry() {
        let text = "{\"catalogVersion\": \"1\", \"vulnerabilities\": [\n{\"cveID\": \"CVE-1\"},\n{\"cveID\": \"CVE-1\"}]}";
        let e = parse(text).unwrap_err();
        assert_eq!(e.kind, ErrorKind::DuplicateId);
        assert_eq!(e.location.unwrap().line, 3);
        assert_eq!(e.first.unwrap().line, 2);
    }
}
