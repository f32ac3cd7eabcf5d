//! A vulnerability feed file: OSV records or the CISA KEV catalog, told
//! apart by their shape (an OSV record has `id`, an OSV list is an array
//! or has `vulns`, the KEV catalog has `catalogVersion` and
//! `vulnerabilities`).

use crate::json::{self, ErrorKind, Location, SupplyError};
use crate::kev::{self, KevCatalog};
use crate::osv::{self, OsvRecord, Shape};
use serde::Deserialize;

/// What a feed file holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Feed {
    Osv(Vec<OsvRecord>),
    Kev(KevCatalog),
}

#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    id: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    vulns: Option<serde::de::IgnoredAny>,
    #[serde(rename = "catalogVersion", default)]
    catalog_version: Option<serde::de::IgnoredAny>,
}

const WHAT_A_FEED_IS: &str = "a feed is an OSV record (an object with `id`), a list of them (an array, or `{\"vulns\": [...]}`), or the CISA KEV catalog (`catalogVersion` and `vulnerabilities`)";

/// Reads a feed file's text (already size-capped by the loader; checked
/// again here).
pub fn parse_feed(text: &str) -> Result<Feed, SupplyError> {
    json::check_size(text, "vulnerability feed")?;
    if text.trim_start().starts_with('[') {
        return osv::parse(text, Shape::Array).map(Feed::Osv);
    }
    let probe: Probe = match json::parse(text, "vulnerability feed") {
        Ok(p) => p,
        Err(e) if e.kind == ErrorKind::Shape => {
            return Err(SupplyError::new(
                ErrorKind::Shape,
                e.location,
                "the vulnerability feed is not a JSON object or array",
                WHAT_A_FEED_IS,
            ))
        }
        Err(e) => return Err(e),
    };
    if probe.catalog_version.is_some() {
        kev::parse(text).map(Feed::Kev)
    } else if probe.vulns.is_some() {
        osv::parse(text, Shape::Vulns).map(Feed::Osv)
    } else if probe.id.is_some() {
        osv::parse(text, Shape::One).map(Feed::Osv)
    } else {
        Err(SupplyError::new(
            ErrorKind::Shape,
            Some(Location { line: 1, column: 1 }),
            "the file is neither an OSV record nor the KEV catalog",
            WHAT_A_FEED_IS,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_shapes_apart() {
        assert!(matches!(parse_feed("[]"), Ok(Feed::Osv(v)) if v.is_empty()));
        assert!(matches!(parse_feed("{\"vulns\": []}"), Ok(Feed::Osv(v)) if v.is_empty()));
        assert!(matches!(parse_feed("{\"id\": \"A\"}"), Ok(Feed::Osv(v)) if v.len() == 1));
        assert!(matches!(
            parse_feed("{\"catalogVersion\": \"1\", \"vulnerabilities\": []}"),
            Ok(Feed::Kev(_))
        ));
        assert_eq!(parse_feed("{\"x\": 1}").unwrap_err().kind, ErrorKind::Shape);
        assert_eq!(parse_feed("\"x\"").unwrap_err().kind, ErrorKind::Shape);
    }

    #[test]
    fn truncated_json_is_a_syntax_error_at_the_end() {
        let e = parse_feed("{\"id\": \"A\",\n \"aliases\": [\"CVE").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert_eq!(e.location.unwrap().line, 2);
    }

    #[test]
    fn a_huge_file_is_refused_before_parsing() {
        let huge = format!("[{}]", " ".repeat(json::MAX_SUPPLY_FILE_BYTES as usize));
        assert_eq!(parse_feed(&huge).unwrap_err().kind, ErrorKind::TooLarge);
    }
}
