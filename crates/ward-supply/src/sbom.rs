//! SBOMs: CycloneDX 1.5/1.6 JSON and SPDX 2.3 JSON, read into one shape,
//! [`Sbom`], whose packages become a component's software.

mod cyclonedx;
mod graph;
mod spdx;

use crate::json::{self, ErrorKind, Location, SupplyError};
use serde::Deserialize;

/// The most packages one SBOM may list: far above a firmware's or a
/// container's few thousand, far below what exhausts memory or makes hover
/// and the build slow.
pub const MAX_SBOM_PACKAGES: usize = 50_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SbomFormat {
    CycloneDx,
    Spdx,
}

impl SbomFormat {
    pub fn name(self) -> &'static str {
        match self {
            SbomFormat::CycloneDx => "CycloneDX",
            SbomFormat::Spdx => "SPDX",
        }
    }
}

/// One SBOM document, whatever its format.
#[derive(Clone, Debug)]
pub struct Sbom {
    pub format: SbomFormat,
    /// As the document states it: `1.6`, `SPDX-2.3`.
    pub spec_version: String,
    /// Who made the SBOM data (CycloneDX `metadata.authors`, else its
    /// supplier or manufacturer; SPDX `creationInfo.creators`, people and
    /// organisations before tools).
    pub author: String,
    /// `YYYY-MM-DD` of the document's timestamp (`metadata.timestamp`,
    /// `creationInfo.created`), if it has one.
    pub timestamp: Option<String>,
    /// What the document describes (CycloneDX `metadata.component`), not
    /// imported as a package: it is the model's component itself.
    pub subject: Option<String>,
    pub packages: Vec<Package>,
    /// Problems that do not stop the import (a dependency naming no entry, a
    /// dependency cycle, which is cut).
    pub warnings: Vec<SupplyError>,
}

/// One package (CycloneDX component, SPDX package) of an SBOM.
#[derive(Clone, Debug, Default)]
pub struct Package {
    /// The document's own reference: CycloneDX `bom-ref`, SPDX `SPDXID`
    /// (empty when a CycloneDX component has none).
    pub reference: String,
    pub name: String,
    pub version: String,
    pub supplier: String,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    /// `ALG:HEX`, the algorithm lower case without dashes (`sha256:...`),
    /// as declared software spells them.
    pub hashes: Vec<String>,
    /// Indexes into [`Sbom::packages`], in document order, without cycles.
    pub depends_on: Vec<usize>,
    /// `supported`, `limited` or `unsupported` as the document states it
    /// (CycloneDX property `ward:support`), unchecked.
    pub support: Option<String>,
    /// As the document states it (CycloneDX property `ward:end_of_support`,
    /// SPDX `validUntilDate`), unchecked.
    pub end_of_support: Option<String>,
    /// Where the package's entry is in the text (its reference, else its
    /// name).
    pub location: Option<Location>,
}

impl Package {
    /// The package's id in a Ward model: its name and version as an
    /// identifier (`mbedtls_3_6_2`), taken from the purl when there is one
    /// (`pkg:github/Mbed-TLS/mbedtls@v3.6.2` gives `mbedtls_v3_6_2`), else
    /// from the name and version fields: lower case, every run of other
    /// characters than ASCII letters and digits one `_`, `p_` before a
    /// leading digit. Two packages of one document with the same id get
    /// `_2`, `_3`, ... in document order ([`Sbom::software_ids`]).
    pub fn base_id(&self) -> String {
        let (name, version) = match self.purl.as_deref().and_then(purl_name_version) {
            Some((n, v)) => (n, v.unwrap_or(&self.version)),
            None => (self.name.as_str(), self.version.as_str()),
        };
        let mut id = identifier_part(name);
        let version = identifier_part(version);
        if id.is_empty() {
            id.push_str("package");
        }
        if !version.is_empty() {
            id.push('_');
            id.push_str(&version);
        }
        if id.starts_with(|c: char| c.is_ascii_digit()) {
            id.insert_str(0, "p_");
        }
        id
    }

    /// How it reads in titles: `NAME VERSION`.
    pub fn title(&self) -> String {
        if self.version.is_empty() {
            self.name.clone()
        } else {
            format!("{} {}", self.name, self.version)
        }
    }
}

impl Sbom {
    /// Each package's id in the model ([`Package::base_id`], made unique in
    /// the document), indexed like [`Sbom::packages`].
    pub fn software_ids(&self) -> Vec<String> {
        let mut seen = std::collections::HashMap::<String, usize>::new();
        self.packages
            .iter()
            .map(|p| {
                let base = p.base_id();
                let n = seen.entry(base.clone()).or_insert(0);
                *n += 1;
                if *n == 1 {
                    base
                } else {
                    format!("{base}_{n}")
                }
            })
            .collect()
    }
}

/// The name and version of a purl (`pkg:TYPE/NAMESPACE/NAME@VERSION?...#...`).
fn purl_name_version(purl: &str) -> Option<(&str, Option<&str>)> {
    let rest = purl.strip_prefix("pkg:")?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (path, version) = match rest.rsplit_once('@') {
        Some((p, v)) if !v.contains('/') => (p, Some(v)),
        _ => (rest, None),
    };
    let name = path.rsplit('/').next().filter(|n| !n.is_empty())?;
    Some((name, version.filter(|v| !v.is_empty())))
}

/// Lower case, each run of characters other than ASCII letters and digits
/// one `_` (percent escapes of purls included), none at either end.
pub(crate) fn identifier_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' && chars.peek().is_some_and(char::is_ascii_hexdigit) {
            // `%2F` and friends: one separator.
            chars.next();
            chars.next_if(char::is_ascii_hexdigit);
            push_separator(&mut out);
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else {
            push_separator(&mut out);
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

fn push_separator(out: &mut String) {
    if !out.is_empty() && !out.ends_with('_') {
        out.push('_');
    }
}

/// What identifies the format, read before the document itself.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "bomFormat")]
    bom_format: Option<serde_json::Value>,
    #[serde(rename = "specVersion")]
    spec_version: Option<serde_json::Value>,
    #[serde(rename = "spdxVersion")]
    spdx_version: Option<serde_json::Value>,
}

/// Reads an SBOM: CycloneDX 1.5 or 1.6 JSON, or SPDX 2.3 JSON, told apart
/// by `bomFormat` and `spdxVersion`.
pub fn parse_sbom(text: &str) -> Result<Sbom, SupplyError> {
    json::check_size(text, "SBOM")?;
    let probe: Probe = match json::parse(text, "SBOM") {
        Ok(p) => p,
        // Not an object at all: say what an SBOM is.
        Err(e) if e.kind == ErrorKind::Shape => {
            return Err(SupplyError::new(
                ErrorKind::Shape,
                e.location,
                "the SBOM is not a JSON object",
                "an SBOM is a CycloneDX (`\"bomFormat\": \"CycloneDX\"`) or SPDX (`\"spdxVersion\": \"SPDX-2.3\"`) JSON document",
            ))
        }
        Err(e) => return Err(e),
    };
    let sbom = if probe.bom_format.is_some() {
        if string_field(&probe.bom_format).as_deref() != Some("CycloneDX") {
            return Err(not_an_sbom(text, "bomFormat"));
        }
        let spec = string_field(&probe.spec_version).unwrap_or_default();
        if !cyclonedx::SPEC_VERSIONS.contains(&spec.as_str()) {
            return Err(unsupported_version(
                text,
                "specVersion",
                &spec,
                "CycloneDX",
                cyclonedx::SPEC_VERSIONS,
            ));
        }
        cyclonedx::parse(text, spec)?
    } else if probe.spdx_version.is_some() {
        let spec = string_field(&probe.spdx_version).unwrap_or_default();
        if !spdx::SPEC_VERSIONS.contains(&spec.as_str()) {
            return Err(unsupported_version(
                text,
                "spdxVersion",
                &spec,
                "SPDX",
                spdx::SPEC_VERSIONS,
            ));
        }
        spdx::parse(text, spec)?
    } else {
        return Err(not_an_sbom(text, ""));
    };
    Ok(sbom)
}

/// A top-level string field; a value of another type is left to the
/// format's own typed parse to report.
fn string_field(value: &Option<serde_json::Value>) -> Option<String> {
    value.as_ref().and_then(|v| v.as_str()).map(str::to_owned)
}

fn top_level_key(text: &str, key: &str) -> Option<Location> {
    let quoted = serde_json::to_string(key).ok()?;
    text.find(&quoted).map(|at| Location::of_offset(text, at))
}

fn not_an_sbom(text: &str, key: &str) -> SupplyError {
    SupplyError::new(
        ErrorKind::Shape,
        top_level_key(text, key).or(Some(Location { line: 1, column: 1 })),
        "the file is neither a CycloneDX nor an SPDX JSON document",
        "an SBOM is a CycloneDX (`\"bomFormat\": \"CycloneDX\"`) or SPDX (`\"spdxVersion\": \"SPDX-2.3\"`) JSON document",
    )
}

fn unsupported_version(
    text: &str,
    key: &str,
    found: &str,
    format: &str,
    known: &[&str],
) -> SupplyError {
    SupplyError::new(
        ErrorKind::UnsupportedVersion,
        top_level_key(text, key),
        format!("{format} version `{found}` is not one Ward reads"),
        format!(
            "Ward reads {format} {}: export the SBOM at one of them",
            known
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
    )
}

/// `YYYY-MM-DD` from the start of an ISO 8601 date-time, if it is one.
pub(crate) fn date_part(timestamp: &str) -> Option<String> {
    let date = timestamp.get(..10)?;
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10))
        .then(|| date.to_owned())
}

/// `SHA-256` -> `sha256`, `SHA3-512` -> `sha3512`... as declared software
/// spells an algorithm: lower case, without dashes.
fn hash_text(algorithm: &str, hex: &str) -> String {
    let alg: String = algorithm
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!("{alg}:{}", hex.to_ascii_lowercase())
}

/// The error for a reference that two entries share.
fn duplicate(text: &str, key: &str, reference: &str, what: &str) -> SupplyError {
    let mut e = SupplyError::new(
        ErrorKind::DuplicateId,
        json::locate_string(text, key, reference, 1),
        format!("two {what} have the {key} `{reference}`"),
        format!(
            "each {key} names one entry: rename one of them, and the dependencies that mean it"
        ),
    );
    e.first = json::locate_string(text, key, reference, 0);
    e
}

fn too_many(count: usize) -> SupplyError {
    SupplyError::new(
        ErrorKind::TooLarge,
        None,
        format!("the SBOM lists {count} packages, over Ward's limit of {MAX_SBOM_PACKAGES}"),
        "split the SBOM by component, and import each from the component that runs it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str, version: &str, purl: Option<&str>) -> Package {
        Package {
            name: name.into(),
            version: version.into(),
            purl: purl.map(Into::into),
            ..Package::default()
        }
    }

    #[test]
    fn ids_come_from_the_purl_else_the_name_and_version() {
        assert_eq!(
            package(
                "Mbed TLS",
                "3.6.2",
                Some("pkg:github/Mbed-TLS/mbedtls@v3.6.2")
            )
            .base_id(),
            "mbedtls_v3_6_2"
        );
        assert_eq!(
            package(
                "@babel/core",
                "7.0.0",
                Some("pkg:npm/%40babel/core@7.0.0?x=1#y")
            )
            .base_id(),
            "core_7_0_0"
        );
        assert_eq!(
            package("Zephyr RTOS", "3.6.0", None).base_id(),
            "zephyr_rtos_3_6_0"
        );
        assert_eq!(package("7zip", "", None).base_id(), "p_7zip");
        assert_eq!(package("", "", None).base_id(), "package");
        assert_eq!(
            package("x", "1.0", Some("pkg:generic/lib")).base_id(),
            "lib_1_0",
            "a purl without a version takes the version field"
        );
    }

    #[test]
    fn same_ids_in_one_document_are_numbered() {
        let sbom = Sbom {
            format: SbomFormat::CycloneDx,
            spec_version: "1.6".into(),
            author: String::new(),
            timestamp: None,
            subject: None,
            packages: vec![
                package("a", "1", None),
                package("a", "1", None),
                package("b", "1", None),
                package("a", "1", None),
            ],
            warnings: Vec::new(),
        };
        assert_eq!(sbom.software_ids(), ["a_1", "a_1_2", "b_1", "a_1_3"]);
    }

    #[test]
    fn dates_and_hashes_are_spelt_as_declared_software_spells_them() {
        assert_eq!(
            date_part("2024-05-01T10:00:00Z").as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(date_part("yesterday"), None);
        assert_eq!(hash_text("SHA-256", "AB01"), "sha256:ab01");
    }

    #[test]
    fn neither_format_is_an_error_at_the_start() {
        let e = parse_sbom("{\"hello\": 1}").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Shape);
        assert_eq!(e.location, Some(Location { line: 1, column: 1 }));
        let e = parse_sbom("[1, 2]").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Shape);
    }

    #[test]
    fn nested_cyclonedx_components_follow_their_parent_which_depends_on_them() {
        let sbom = parse_sbom(
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
                "metadata": {"timestamp": "2026-03-04T05:06:07Z", "authors": [{"name": "Ann"}],
                             "component": {"bom-ref": "fw", "type": "firmware", "name": "fw", "version": "1"}},
                "components": [
                  {"bom-ref": "os", "type": "operating-system", "name": "os", "version": "2",
                   "components": [{"bom-ref": "tls", "type": "library", "name": "tls", "version": "3",
                                   "hashes": [{"alg": "SHA-256", "content": "AB"}]}]},
                  {"bom-ref": "app", "type": "library", "name": "app", "version": "4"}],
                "dependencies": [{"ref": "fw", "dependsOn": ["os", "app"]}, {"ref": "app", "dependsOn": ["tls"]}]}"#,
        )
        .unwrap();
        let names: Vec<&str> = sbom.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["os", "tls", "app"]);
        assert_eq!(sbom.packages[0].depends_on, [1], "os contains tls");
        assert_eq!(sbom.packages[2].depends_on, [1]);
        assert_eq!(sbom.packages[1].hashes, ["sha256:ab"]);
        assert_eq!(sbom.subject.as_deref(), Some("fw 1"));
        assert_eq!(sbom.author, "Ann");
        assert_eq!(sbom.timestamp.as_deref(), Some("2026-03-04"));
        assert!(sbom.warnings.is_empty(), "{:?}", sbom.warnings);
    }

    #[test]
    fn spdx_relationships_in_both_directions_are_dependencies() {
        let sbom = parse_sbom(
            r#"{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",
                "creationInfo": {"created": "2026-01-02T00:00:00Z",
                                 "creators": ["Tool: gen", "Organization: Acme (sbom@acme.example)"]},
                "packages": [
                  {"SPDXID": "SPDXRef-a", "name": "a", "versionInfo": "1", "supplier": "Organization: Acme",
                   "validUntilDate": "2030-01-01T00:00:00Z",
                   "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                                     "referenceLocator": "cpe:2.3:a:acme:a:1:*:*:*:*:*:*:*"}]},
                  {"SPDXID": "SPDXRef-b", "name": "b", "versionInfo": "2", "supplier": "NOASSERTION"}],
                "files": [{"SPDXID": "SPDXRef-f", "fileName": "./x"}],
                "relationships": [
                  {"spdxElementId": "SPDXRef-b", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-a"},
                  {"spdxElementId": "SPDXRef-a", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-f"},
                  {"spdxElementId": "SPDXRef-a", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-gone"}]}"#,
        )
        .unwrap();
        assert_eq!(sbom.packages[0].depends_on, [1]);
        assert_eq!(sbom.packages[0].supplier, "Acme");
        assert_eq!(sbom.packages[1].supplier, "");
        assert_eq!(
            sbom.packages[0].cpe.as_deref(),
            Some("cpe:2.3:a:acme:a:1:*:*:*:*:*:*:*")
        );
        assert_eq!(
            sbom.packages[0].end_of_support.as_deref(),
            Some("2030-01-01")
        );
        assert_eq!(
            sbom.author, "Acme",
            "organisations before tools, without the e-mail"
        );
        assert_eq!(
            sbom.warnings.len(),
            1,
            "the relationship to an unknown element"
        );
        assert_eq!(sbom.warnings[0].kind, ErrorKind::DanglingReference);
        assert_eq!(sbom.warnings[0].location.map(|l| l.line), Some(14));
    }

    #[test]
    fn over_the_package_limit_is_too_large() {
        let package = r#"{"SPDXID": "SPDXRef-p", "name": "p"}"#;
        let text = format!(
            r#"{{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "creationInfo": {{"created": "2026-01-01"}}, "packages": [{}]}}"#,
            vec![package; MAX_SBOM_PACKAGES + 1].join(",")
        );
        let e = parse_sbom(&text).unwrap_err();
        assert_eq!(e.kind, ErrorKind::TooLarge);
        assert!(e.message.contains("50000"), "{}", e.message);
    }

    #[test]
    fn an_unknown_spec_version_names_the_versions_read() {
        let e =
            parse_sbom("{\n\"bomFormat\": \"CycloneDX\",\n\"specVersion\": \"1.2\"}").unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnsupportedVersion);
        assert_eq!(e.location.unwrap().line, 3);
        assert!(e.help.contains("`1.5` and `1.6`"), "{}", e.help);
        let e = parse_sbom("{\"spdxVersion\": \"SPDX-2.2\"}").unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnsupportedVersion);
    }
}
