//! Vulnerability records from the feeds of `Ward.toml` (docs/lifecycle.md,
//! "Adding a vulnerability feed"). An OSV record becomes one
//! `Vulnerability`, the same type a declaration lowers to, whose origin is
//! its feed file and line:
//!
//! - its software: the model's `software` whose purl (without version)
//!   is the package of one of its `affected` entries (the entry's purl, or
//!   its ecosystem and name as a purl);
//! - its status: `affected` when a version in use is in one of the
//!   entry's SEMVER/ECOSYSTEM intervals or listed `versions`; else `fixed`
//!   when a version in use is at or after a `fixed` version; else
//!   `not_affected`, `vulnerable_code_not_present`;
//! - its id: the record's id in lower case, each run of other characters
//!   than letters and digits one `_` (`GHSA-jfh8-c2jp-5v3q` ->
//!   `ghsa_jfh8_c2jp_5v3q`), so its threats are `ghsa_jfh8_c2jp_5v3q@COMPONENT`.
//!
//! A declared `vulnerability` whose `advisory` (or an alias) is the
//! record's id or one of its aliases overrides the record: the record is
//! dropped, and what the declaration leaves out (`cvss`, `aliases`,
//! `published`) is taken from it. Then the KEV catalogs mark every record
//! whose advisory or an alias is listed.

use super::threats::impacted_properties;
use super::Builder;
use crate::model::*;
use crate::names::Entry;
use std::collections::HashMap;
use ward_diagnostics::Span;
use ward_supply::feed::Feed;
use ward_supply::osv::{purl_base, Interval, OsvAffected, OsvRecord};
use ward_syntax::ast::DeclKind;

/// The Ward id of a feed record.
pub(super) fn record_name(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.is_empty() {
        out.insert_str(0, "v_");
    }
    out
}

fn interval_range(i: &Interval, versions: &[String]) -> VersionRange {
    VersionRange {
        introduced: i.introduced.clone(),
        fixed: i.fixed.clone(),
        last_affected: i.last_affected.clone(),
        versions: versions.to_vec(),
    }
}

/// The ranges of one `affected` entry, one per interval (or one of its
/// listed versions alone).
fn entry_ranges(a: &OsvAffected) -> Vec<VersionRange> {
    let mut out: Vec<VersionRange> = a.intervals.iter().map(|i| interval_range(i, &[])).collect();
    if !a.versions.is_empty() {
        out.push(VersionRange {
            versions: a.versions.clone(),
            ..VersionRange::default()
        });
    }
    out
}

/// Whether `version` is at or after the `fixed` of one of the ranges it
/// would otherwise be in.
fn has_fix(ranges: &[VersionRange], version: &str) -> bool {
    use std::cmp::Ordering::Less;
    ranges.iter().any(|r| {
        r.fixed.as_deref().is_some_and(|f| {
            crate::version::compare(version, f) != Less
                && r.introduced
                    .as_deref()
                    .is_none_or(|i| crate::version::compare(version, i) != Less)
        })
    })
}

impl Builder<'_> {
    /// The records of every OSV feed, declared as vulnerabilities after the
    /// model's own (ids from `first`), except those a declaration
    /// overrides, which complete it instead.
    pub(super) fn feed_vulnerabilities(
        &mut self,
        software: &[Software],
        declared: &mut [Vulnerability],
    ) -> Vec<Vulnerability> {
        let first = declared.len();
        let by_purl: HashMap<String, Vec<SoftwareId>> = {
            let mut m: HashMap<String, Vec<SoftwareId>> = HashMap::new();
            for (i, s) in software.iter().enumerate() {
                if let Some(purl) = &s.purl {
                    m.entry(purl_base(purl))
                        .or_default()
                        .push(SoftwareId(i as u32));
                }
            }
            m
        };
        let mut out = Vec::new();
        let loaded = self.loaded;
        for feed_file in &loaded.feeds {
            let Some(Feed::Osv(records)) = feed_file.feed.as_deref() else {
                continue;
            };
            let text = &loaded.sources.get(feed_file.file).text;
            for record in records {
                let names: Vec<&str> = std::iter::once(record.id.as_str())
                    .chain(record.aliases.iter().map(String::as_str))
                    .collect();
                if let Some(d) = declared.iter_mut().find(|d| {
                    std::iter::once(&d.advisory)
                        .chain(&d.aliases)
                        .any(|a| names.contains(&a.as_str()))
                }) {
                    self.complete(d, record);
                    continue;
                }
                let span = crate::sbom::span_at(feed_file.file, text, record.location);
                if let Some(earlier) = out
                    .iter()
                    .find(|v: &&Vulnerability| v.advisory == record.id)
                {
                    self.duplicate_advisory(earlier, &record.id, span);
                    continue;
                }
                let id = VulnerabilityId((first + out.len()) as u32);
                let Some(name) = self.declare_record(&record.id, id, span) else {
                    continue;
                };
                out.push(self.record(record, name, span, &feed_file.name, software, &by_purl));
            }
        }
        out
    }

    /// Declares a feed record's id; `None` (reported) when the model
    /// already has it.
    fn declare_record(
        &mut self,
        advisory: &str,
        id: VulnerabilityId,
        span: Span,
    ) -> Option<String> {
        let name = record_name(advisory);
        let ident = ward_syntax::ast::Ident {
            name: name.clone(),
            span,
        };
        let entry = Entry {
            kind: DeclKind::Vulnerability,
            symbol: Symbol::Vulnerability(id),
            name_span: span,
            reverse: None,
            applies_to: None,
        };
        self.cx.declare(&ident, entry, span).then_some(name)
    }

    fn record(
        &mut self,
        record: &OsvRecord,
        name: String,
        span: Span,
        path: &str,
        software: &[Software],
        by_purl: &HashMap<String, Vec<SoftwareId>>,
    ) -> Vulnerability {
        // Each software the record names, with the ranges of its entry.
        let mut matched: Vec<(SoftwareId, Vec<VersionRange>)> = Vec::new();
        for a in &record.affected {
            let Some(ids) = a.package_purl().and_then(|p| by_purl.get(&p)) else {
                continue;
            };
            // A package may have several entries (one per range).
            for id in ids {
                match matched.iter_mut().find(|(m, _)| m == id) {
                    Some((_, ranges)) => ranges.extend(entry_ranges(a)),
                    None => matched.push((*id, entry_ranges(a))),
                }
            }
        }
        let in_range = |(s, ranges): &(SoftwareId, Vec<VersionRange>)| {
            ranges
                .iter()
                .find(|r| r.contains(&software[s.index()].version))
                .cloned()
        };
        let affects: Vec<SoftwareId> = matched
            .iter()
            .filter(|m| in_range(m).is_some())
            .map(|(s, _)| *s)
            .collect();
        // The range shown: the one that holds a version in use, else the
        // first of the first entry.
        let range = matched
            .iter()
            .find_map(in_range)
            .or_else(|| matched.first().and_then(|(_, r)| r.first().cloned()))
            .unwrap_or_default();
        let (status, justification) = if !affects.is_empty() || matched.is_empty() {
            (VulnerabilityStatus::Affected, None)
        } else if matched
            .iter()
            .any(|(s, r)| has_fix(r, &software[s.index()].version))
        {
            (VulnerabilityStatus::Fixed, None)
        } else {
            (
                VulnerabilityStatus::NotAffected,
                Some(VexJustification::VulnerableCodeNotPresent),
            )
        };
        Vulnerability {
            meta: Meta::imported(
                name,
                record.summary.clone().unwrap_or_else(|| record.id.clone()),
                span,
            ),
            advisory: record.id.clone(),
            aliases: record.aliases.clone(),
            software: matched.iter().map(|(s, _)| *s).collect(),
            range,
            affects,
            cvss: record.cvss_v3.as_deref().and_then(|v| self.feed_cvss(v)),
            kev: None,
            status: Some(status),
            justification,
            published: record.published.clone(),
            origin: VulnerabilityOrigin::Feed {
                path: path.to_owned(),
                line: record.location.line as u32,
            },
        }
    }

    /// A feed's CVSS v3 vector, banded on the policy's scale; `None` when
    /// it does not parse or the policy has no bands (the threat then takes
    /// the default, W0472).
    fn feed_cvss(&self, vector: &str) -> Option<Exploitability> {
        let parsed = ward_cvss::parse(vector).ok()?;
        let level = self.policy.cvss_band(parsed.exploitability())?;
        Some(Exploitability::Cvss {
            vector: parsed.to_string(),
            base_score: parsed.base_score(),
            exploitability_subscore: parsed.exploitability_rounded(),
            level,
            impacted: impacted_properties(&parsed),
            attack_vector: parsed.av.into(),
        })
    }

    /// Completes a declaration from the feed record it overrides.
    fn complete(&self, declared: &mut Vulnerability, record: &OsvRecord) {
        if declared.cvss.is_none() {
            declared.cvss = record.cvss_v3.as_deref().and_then(|v| self.feed_cvss(v));
        }
        if declared.published.is_none() {
            declared.published = record.published.clone();
        }
        for alias in std::iter::once(&record.id).chain(&record.aliases) {
            if *alias != declared.advisory && !declared.aliases.contains(alias) {
                declared.aliases.push(alias.clone());
            }
        }
    }
}

/// Marks every record whose advisory or an alias a KEV catalog lists (a
/// declaration's own `kev_added` is kept).
pub(super) fn mark_kev(loaded: &crate::Loaded, vulnerabilities: &mut [Vulnerability]) {
    let mut listed: HashMap<&str, Option<&str>> = HashMap::new();
    for feed in &loaded.feeds {
        if let Some(Feed::Kev(catalog)) = feed.feed.as_deref() {
            for e in &catalog.entries {
                listed.entry(&e.cve_id).or_insert(e.date_added.as_deref());
            }
        }
    }
    if listed.is_empty() {
        return;
    }
    for v in vulnerabilities {
        let hit = std::iter::once(&v.advisory)
            .chain(&v.aliases)
            .find_map(|a| listed.get(a.as_str()));
        if let Some(date) = hit {
            let kev = v.kev.get_or_insert(KevListing { date_added: None });
            if kev.date_added.is_none() {
                kev.date_added = date.map(str::to_owned);
            }
        }
    }
}
