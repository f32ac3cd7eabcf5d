//! VEX documents (Vulnerability Exploitability eXchange): what a supplier
//! or the manufacturer states about a vulnerability in a product. Two
//! formats, read into one [`VexStatement`] shape: CSAF 2.0 VEX
//! ([`crate::csaf`]) and CycloneDX 1.4 to 1.6 VEX ([`crate::cyclonedx_vex`]).
//! [`parse`] tells them apart by their top-level fields.

use crate::json::{self, ErrorKind, Location, SupplyError};

/// The most statements one VEX file may hold (vulnerabilities times
/// products); past it the file is too large.
pub const MAX_VEX_STATEMENTS: usize = 100_000;

/// A VEX document's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VexFormat {
    Csaf,
    CycloneDx,
}

/// The status a statement gives, in CSAF's words (CycloneDX states map
/// onto them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VexStatus {
    Affected,
    NotAffected,
    Fixed,
    UnderInvestigation,
}

/// A product a statement is about, as the document names it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VexProduct {
    /// The product's name (a CSAF `product_name` branch, a CycloneDX
    /// component's `name`), or the full product name when no branch names it.
    pub name: Option<String>,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
}

/// One statement: an advisory's status in one product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VexStatement {
    /// The vulnerability's id (`CVE-...`, `GHSA-...`, a vendor's own).
    pub advisory: String,
    /// Other ids of the same vulnerability the document gives.
    pub aliases: Vec<String>,
    pub product: VexProduct,
    pub status: VexStatus,
    /// The `not_affected` justification in CSAF's words
    /// (`component_not_present`, `vulnerable_code_not_present`, ...).
    pub justification: Option<String>,
    /// The justification as the document wrote it, when it was mapped.
    pub justification_as_written: Option<String>,
    /// The impact statement or remediation text.
    pub detail: Option<String>,
    /// CycloneDX `response` values (`update`, `will_not_fix`, ...).
    pub response: Vec<String>,
    /// Where the statement's vulnerability is in the document.
    pub location: Option<Location>,
}

/// A parsed VEX document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vex {
    pub format: VexFormat,
    /// `csaf_version` or `specVersion`.
    pub version: String,
    pub statements: Vec<VexStatement>,
}

/// Reads a CSAF 2.0 VEX or CycloneDX VEX document (told apart by a
/// top-level `document` or `bomFormat`).
pub fn parse(text: &str) -> Result<Vex, SupplyError> {
    json::check_size(text, "VEX document")?;
    let head: serde_json::Value = json::parse(text, "VEX document")?;
    let Some(object) = head.as_object() else {
        return Err(SupplyError::new(
            ErrorKind::Shape,
            Some(Location { line: 1, column: 1 }),
            "the VEX document is not a JSON object",
            "a VEX file is a CSAF 2.0 document (`document`, `product_tree`, `vulnerabilities`) or a CycloneDX BOM (`bomFormat`, `vulnerabilities`)",
        ));
    };
    if object.contains_key("document") {
        crate::csaf::parse(text)
    } else if object.contains_key("bomFormat") {
        crate::cyclonedx_vex::parse(text, &head)
    } else {
        Err(SupplyError::new(
            ErrorKind::Shape,
            Some(Location { line: 1, column: 1 }),
            "the file is neither a CSAF document (no `document`) nor a CycloneDX BOM (no `bomFormat`)",
            "a VEX file is a CSAF 2.0 VEX document or a CycloneDX 1.4-1.6 BOM with `vulnerabilities`",
        ))
    }
}

/// Where the string `value` of `key` first is, else the file's start.
pub(crate) fn at(text: &str, key: &str, value: &str) -> Option<Location> {
    json::locate_string(text, key, value, 0).or(Some(Location { line: 1, column: 1 }))
}

/// Where the JSON string `value` first appears in `text`.
pub(crate) fn locate_quoted(text: &str, value: &str) -> Option<Location> {
    let quoted = serde_json::to_string(value).ok()?;
    text.find(&quoted).map(|i| Location::of_offset(text, i))
}

pub(crate) fn too_many(count: usize) -> SupplyError {
    SupplyError::new(
        ErrorKind::TooLarge,
        None,
        format!("the VEX document makes {count} or more statements, over Ward's limit of {MAX_VEX_STATEMENTS}"),
        "split the document by product, or keep only the statements about this device's software",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/vex")
            .join(name);
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn reads_the_real_csaf_vex_examples() {
        let vex = parse(&fixture("csaf-sec-vex-2022-0001.json")).unwrap();
        assert_eq!(vex.format, VexFormat::Csaf);
        assert_eq!(vex.version, "2.0");
        let first = &vex.statements[0];
        assert_eq!(first.advisory, "CVE-2021-44228");
        assert_eq!(first.status, VexStatus::NotAffected);
        assert_eq!(
            first.justification.as_deref(),
            Some("component_not_present")
        );
        assert_eq!(
            first.detail.as_deref(),
            Some("Secvisogram is written in JavaScript. No Java is included.")
        );
        assert_eq!(first.product.name.as_deref(), Some("Secvisogram"));
        assert_eq!(first.product.version.as_deref(), Some("<=1.14.0"));
        assert!(vex.statements.iter().all(|s| s.location.is_some()));

        let affected = parse(&fixture("csaf-2022-evd-uc-01-a-001.json")).unwrap();
        let s = &affected.statements[0];
        assert_eq!(s.status, VexStatus::Affected);
        assert_eq!(s.response, ["update"]);
        assert_eq!(s.product.version.as_deref(), Some("1.0"));
    }

    #[test]
    fn reads_the_real_cyclonedx_vex_examples() {
        let vex = parse(&fixture("cdx-case1-vex-not_affected.json")).unwrap();
        assert_eq!(vex.format, VexFormat::CycloneDx);
        let s = &vex.statements[0];
        assert_eq!(s.status, VexStatus::NotAffected);
        assert_eq!(
            s.justification.as_deref(),
            Some("vulnerable_code_not_present")
        );
        assert_eq!(
            s.justification_as_written.as_deref(),
            Some("code_not_present")
        );
        assert_eq!(s.response, ["will_not_fix"]);
        assert_eq!(s.product.name.as_deref(), Some("ABC"));
        assert_eq!(s.product.version.as_deref(), Some("4.2"));
        let affected = parse(&fixture("cdx-case1-vex-affected.json")).unwrap();
        assert_eq!(affected.statements[0].status, VexStatus::Affected);
    }

    #[test]
    fn malformed_documents_are_located_errors() {
        let real = fixture("csaf-2022-evd-uc-01-na-001.json");
        // Truncated.
        let e = parse(&real[..real.len() / 2]).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(e.location.is_some());
        // Wrong type.
        let e = parse(&real.replace("\"cve\": \"CVE-2021-44228\"", "\"cve\": 44228")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Shape);
        assert_eq!(e.location.unwrap().line, 66);
        // Unknown versions.
        let e = parse(&real.replace("\"csaf_version\": \"2.0\"", "\"csaf_version\": \"2.1\""))
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnsupportedVersion);
        assert_eq!(e.location.unwrap().line, 4);
        let cdx = fixture("cdx-case1-vex-affected.json");
        let e = parse(&cdx.replace("\"1.4\"", "\"1.3\"")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnsupportedVersion);
        assert_eq!(e.location.unwrap().line, 3);
        // Not a VEX profile.
        let e = parse(&real.replace("\"csaf_vex\"", "\"csaf_security_advisory\"")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Shape);
        // Duplicate ids: a component's bom-ref, a vulnerability.
        let twice = cdx.replace(
            "  \"vulnerabilities\": [\n    {",
            "  \"components\": [{\"type\": \"library\", \"name\": \"a\", \"bom-ref\": \"product-DEF\"}],\n  \"vulnerabilities\": [\n    {",
        );
        let e = parse(&twice).unwrap_err();
        assert_eq!(e.kind, ErrorKind::DuplicateId);
        assert!(e.location.is_some() && e.first.is_some());
        let v: serde_json::Value = serde_json::from_str(&real).unwrap();
        let mut doubled = v.clone();
        let first = v["vulnerabilities"][0].clone();
        doubled["vulnerabilities"]
            .as_array_mut()
            .unwrap()
            .push(first);
        let e = parse(&serde_json::to_string_pretty(&doubled).unwrap()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::DuplicateId);
        assert!(e.first.is_some());
    }

    #[test]
    fn a_document_past_the_statement_cap_is_too_large() {
        let ids: Vec<String> = (0..=MAX_VEX_STATEMENTS)
            .map(|i| format!("\"p{i}\""))
            .collect();
        let products: Vec<String> = (0..=MAX_VEX_STATEMENTS)
            .map(|i| format!("{{\"name\": \"n\", \"product_id\": \"p{i}\"}}"))
            .collect();
        let text = format!(
            "{{\"document\": {{\"category\": \"csaf_vex\", \"csaf_version\": \"2.0\"}}, \
             \"product_tree\": {{\"full_product_names\": [{}]}}, \
             \"vulnerabilities\": [{{\"cve\": \"CVE-1\", \"product_status\": {{\"fixed\": [{}]}}}}]}}",
            products.join(","),
            ids.join(",")
        );
        assert_eq!(parse(&text).unwrap_err().kind, ErrorKind::TooLarge);
        assert_eq!(parse("[1]").unwrap_err().kind, ErrorKind::Shape);
        assert_eq!(parse("{\"a\": 1}").unwrap_err().kind, ErrorKind::Shape);
    }
}
