//! OSV vulnerability records (<https://ossf.github.io/osv-schema/>), as a
//! feed holds them: one record, an array of records, or an object with a
//! `vulns` list (the osv.dev query answer). Only what Ward uses is read:
//! the id and aliases, the summary, dates, CVSS v3 severity, and per
//! affected package its identity (purl, or ecosystem and name) and versions
//! (SEMVER and ECOSYSTEM ranges, and listed versions; GIT ranges name
//! commits, which a version cannot be compared with, and are skipped).

use crate::json::{self, locate_string, ErrorKind, Location, SupplyError};
use serde::Deserialize;
use std::collections::HashMap;

/// The OSV schema major version Ward reads (`schema_version` `1.x.y`; a
/// record without one is read as 1.x).
pub const SCHEMA_MAJOR: &str = "1";

/// The most records one feed file may hold (a whole ecosystem's export is
/// tens of thousands; a repository keeps the records for its own software).
pub const MAX_RECORDS: usize = 50_000;

/// One OSV record.
#[derive(Clone, Debug, PartialEq)]
pub struct OsvRecord {
    pub id: String,
    /// Where its `id` value is.
    pub location: Location,
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    /// `YYYY-MM-DD` of `published`.
    pub published: Option<String>,
    /// The first `CVSS_V3` vector of `severity`.
    pub cvss_v3: Option<String>,
    pub affected: Vec<OsvAffected>,
}

/// One `affected[]` entry: a package and the versions of it affected.
#[derive(Clone, Debug, PartialEq)]
pub struct OsvAffected {
    pub ecosystem: Option<String>,
    pub name: Option<String>,
    pub purl: Option<String>,
    /// The SEMVER and ECOSYSTEM intervals.
    pub intervals: Vec<Interval>,
    /// `versions`: affected versions listed one by one.
    pub versions: Vec<String>,
}

/// One affected interval: from `introduced` (from the start when `None`)
/// to before `fixed`, or to `last_affected` inclusive, or open-ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Interval {
    pub introduced: Option<String>,
    pub fixed: Option<String>,
    pub last_affected: Option<String>,
}

impl OsvAffected {
    /// The package's purl without version, qualifiers or subpath
    /// (`pkg:maven/org.springframework.boot/spring-boot`): from `purl`, else
    /// from the ecosystem and name for the ecosystems that have a purl type.
    pub fn package_purl(&self) -> Option<String> {
        if let Some(purl) = &self.purl {
            return Some(purl_base(purl));
        }
        let (ecosystem, name) = (self.ecosystem.as_deref()?, self.name.as_deref()?);
        // `Debian:12` and friends: the ecosystem before its release.
        let ecosystem = ecosystem.split(':').next().unwrap_or(ecosystem);
        let purl = match ecosystem {
            "Maven" => format!("pkg:maven/{}", name.replacen(':', "/", 1)),
            "npm" => format!("pkg:npm/{}", name.replace('@', "%40")),
            "PyPI" => format!("pkg:pypi/{}", name.to_ascii_lowercase().replace('_', "-")),
            "crates.io" => format!("pkg:cargo/{name}"),
            "Go" => format!("pkg:golang/{name}"),
            "NuGet" => format!("pkg:nuget/{name}"),
            "RubyGems" => format!("pkg:gem/{name}"),
            "Packagist" => format!("pkg:composer/{name}"),
            "Hex" => format!("pkg:hex/{name}"),
            "Pub" => format!("pkg:pub/{name}"),
            "SwiftURL" => format!("pkg:swift/{name}"),
            _ => return None,
        };
        Some(purl)
    }
}

/// A purl without `@version`, `?qualifiers` and `#subpath`, its type in
/// lower case (`pkg:Maven/a/b@1` -> `pkg:maven/a/b`). Percent-escapes of
/// `@` in a namespace (`%40angular`) are kept as written.
pub fn purl_base(purl: &str) -> String {
    let purl = purl.split(['#', '?']).next().unwrap_or(purl);
    let purl = match purl.rfind('@') {
        // An `@` after the last `/` starts the version.
        Some(at) if at > purl.rfind('/').unwrap_or(0) => &purl[..at],
        _ => purl,
    };
    match purl.split_once('/') {
        Some((scheme_type, rest)) => format!("{}/{rest}", scheme_type.to_ascii_lowercase()),
        None => purl.to_ascii_lowercase(),
    }
}

#[derive(Deserialize)]
struct RawRecord {
    id: String,
    #[serde(default)]
    schema_version: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    affected: Vec<RawAffected>,
    #[serde(default)]
    severity: Vec<RawSeverity>,
}

#[derive(Deserialize)]
struct RawAffected {
    #[serde(default)]
    package: Option<RawPackage>,
    #[serde(default)]
    ranges: Vec<RawRange>,
    #[serde(default)]
    versions: Vec<String>,
}

#[derive(Deserialize)]
struct RawPackage {
    #[serde(default)]
    ecosystem: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    purl: Option<String>,
}

#[derive(Deserialize)]
struct RawRange {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawEvent {
    #[serde(default)]
    introduced: Option<String>,
    #[serde(default)]
    fixed: Option<String>,
    #[serde(default)]
    last_affected: Option<String>,
}

#[derive(Deserialize)]
struct RawSeverity {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

#[derive(Deserialize)]
struct VulnsList {
    vulns: Vec<RawRecord>,
}

/// Which of the three shapes a feed file has.
pub(crate) enum Shape {
    One,
    Array,
    Vulns,
}

/// Reads the records of an OSV feed file of the given shape. Withdrawn
/// records are left out.
pub(crate) fn parse(text: &str, shape: Shape) -> Result<Vec<OsvRecord>, SupplyError> {
    const WHAT: &str = "OSV feed";
    let raw: Vec<RawRecord> = match shape {
        Shape::One => vec![json::parse(text, WHAT)?],
        Shape::Array => json::parse(text, WHAT)?,
        Shape::Vulns => json::parse::<VulnsList>(text, WHAT)?.vulns,
    };
    if raw.len() > MAX_RECORDS {
        return Err(SupplyError::new(
            ErrorKind::TooLarge,
            None,
            format!(
                "the OSV feed holds {} records, over Ward's limit of {MAX_RECORDS}",
                raw.len()
            ),
            "keep in the repository the records of the software the device runs",
        ));
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut occurrences: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::with_capacity(raw.len());
    for r in &raw {
        let nth = occurrences.entry(&r.id).or_default();
        let location =
            locate_string(text, "id", &r.id, *nth).unwrap_or(Location { line: 1, column: 1 });
        *nth += 1;
        if let Some(version) = &r.schema_version {
            if version.split('.').next() != Some(SCHEMA_MAJOR) {
                return Err(SupplyError::new(
                    ErrorKind::UnsupportedVersion,
                    locate_string(text, "schema_version", version, 0).or(Some(location)),
                    format!("OSV schema version `{version}` is not one Ward reads"),
                    "Ward reads OSV schema 1.x records: export the feed in that schema",
                ));
            }
        }
        if let Some(first) = seen.get(r.id.as_str()) {
            let mut e = SupplyError::new(
                ErrorKind::DuplicateId,
                Some(location),
                format!("OSV record `{}` appears twice in the feed", r.id),
                "keep one record per id: remove the older copy",
            );
            e.first = Some(out_location(&out, *first));
            return Err(e);
        }
        seen.insert(&r.id, out.len());
        if r.withdrawn.is_some() {
            // Keep the index of `out` aligned with `seen`.
            out.push(None);
            continue;
        }
        out.push(Some(record(r, location)));
    }
    Ok(out.into_iter().flatten().collect())
}

fn out_location(out: &[Option<OsvRecord>], index: usize) -> Location {
    out[index]
        .as_ref()
        .map_or(Location { line: 1, column: 1 }, |r| r.location)
}

fn record(r: &RawRecord, location: Location) -> OsvRecord {
    OsvRecord {
        id: r.id.clone(),
        location,
        aliases: r.aliases.clone(),
        summary: r.summary.clone().filter(|s| !s.trim().is_empty()),
        published: r.published.as_deref().and_then(crate::sbom::date_part),
        cvss_v3: r
            .severity
            .iter()
            .find(|s| s.kind == "CVSS_V3")
            .map(|s| s.score.clone()),
        affected: r.affected.iter().map(affected).collect(),
    }
}

fn affected(a: &RawAffected) -> OsvAffected {
    let mut intervals = Vec::new();
    for range in a
        .ranges
        .iter()
        .filter(|r| r.kind == "SEMVER" || r.kind == "ECOSYSTEM")
    {
        let mut open: Option<Interval> = None;
        for event in &range.events {
            if let Some(i) = &event.introduced {
                if let Some(done) = open.take() {
                    intervals.push(done);
                }
                open = Some(Interval {
                    introduced: (i != "0").then(|| i.clone()),
                    ..Interval::default()
                });
            } else if let Some(f) = &event.fixed {
                let mut i = open.take().unwrap_or_default();
                i.fixed = Some(f.clone());
                intervals.push(i);
            } else if let Some(l) = &event.last_affected {
                let mut i = open.take().unwrap_or_default();
                i.last_affected = Some(l.clone());
                intervals.push(i);
            }
        }
        intervals.extend(open);
    }
    let package = a.package.as_ref();
    OsvAffected {
        ecosystem: package.and_then(|p| p.ecosystem.clone()),
        name: package.and_then(|p| p.name.clone()),
        purl: package.and_then(|p| p.purl.clone()),
        intervals,
        versions: a.versions.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_compare_without_version_and_qualifiers() {
        assert_eq!(
            purl_base("pkg:Maven/org.springframework.boot/spring-boot@3.2.1?type=jar"),
            "pkg:maven/org.springframework.boot/spring-boot"
        );
        assert_eq!(
            purl_base("pkg:npm/%40angular/core@17.0.0"),
            "pkg:npm/%40angular/core"
        );
        let a = OsvAffected {
            ecosystem: Some("npm".into()),
            name: Some("@angular/core".into()),
            purl: None,
            intervals: Vec::new(),
            versions: Vec::new(),
        };
        assert_eq!(a.package_purl().as_deref(), Some("pkg:npm/%40angular/core"));
    }

    #[test]
    fn events_make_intervals() {
        let text = r#"{"id": "X-1", "affected": [{"package": {"ecosystem": "npm", "name": "a"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"},
          {"introduced": "2.0.0"}, {"last_affected": "2.3.1"}, {"introduced": "3.0.0"}]},
          {"type": "GIT", "events": [{"introduced": "abc"}]}]}]}"#;
        let records = parse(text, Shape::One).unwrap();
        let intervals = &records[0].affected[0].intervals;
        assert_eq!(intervals.len(), 3);
        assert_eq!(intervals[0].introduced, None);
        assert_eq!(intervals[0].fixed.as_deref(), Some("1.2.0"));
        assert_eq!(intervals[1].last_affected.as_deref(), Some("2.3.1"));
        assert_eq!(intervals[2].introduced.as_deref(), Some("3.0.0"));
        assert_eq!(intervals[2].fixed, None);
    }

    #[test]
    fn a_duplicate_id_names_both_places() {
        let text = "[\n{\"id\": \"A\"},\n{\"id\": \"A\"}\n]";
        let e = parse(text, Shape::Array).unwrap_err();
        assert_eq!(e.kind, ErrorKind::DuplicateId);
        assert_eq!(e.location.unwrap().line, 3);
        assert_eq!(e.first.unwrap().line, 2);
    }

    #[test]
    fn an_unknown_schema_major_is_refused() {
        let e = parse("{\"id\": \"A\", \"schema_version\": \"2.0.0\"}", Shape::One).unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnsupportedVersion);
    }

    #[test]
    fn a_wrong_type_is_located() {
        let e = parse("{\n\"id\": \"A\",\n\"aliases\": \"CVE-1\"\n}", Shape::One).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Shape);
        assert_eq!(e.location.unwrap().line, 3);
    }
}
