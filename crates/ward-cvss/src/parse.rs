//! The vector parser: `CVSS:3.x/` then `/`-separated `METRIC:VALUE` parts in
//! any order, each metric at most once, all eight base metrics present.

use std::ops::Range;

use crate::error::{CvssError, CvssErrorKind};
use crate::metrics::{
    base_metrics, AttackComplexity, AttackVector, ImpactValue, MetricGroup, PrivilegesRequired,
    Scope, UserInteraction, METRICS,
};
use crate::vector::{CvssVector, Version};

/// Parses a CVSS v3.0 or v3.1 vector string such as
/// `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`.
///
/// The string must start with `CVSS:3.0/` or `CVSS:3.1/` and carry each of
/// the eight base metrics (AV AC PR UI S C I A) exactly once, in any order.
/// Temporal and environmental metrics (E RL RC CR IR AR MAV MAC MPR MUI MS MC
/// MI MA) are accepted when valid and kept, but do not affect the scores.
/// Metric names and values are case-sensitive, as in the specification.
///
/// On failure the error names the first offending part (left to right) and
/// its byte range within `vector`; absent base metrics are reported last.
pub fn parse(vector: &str) -> Result<CvssVector, CvssError> {
    if vector.is_empty() {
        return Err(CvssError::new(CvssErrorKind::Empty, 0..0));
    }
    let mut parts = split_parts(vector);
    let (label_span, label) = parts.next().expect("split yields at least one part");
    let version = parse_label(label, label_span)?;

    // The part range and value code seen for each catalogue metric.
    let mut seen: Vec<Option<(Range<usize>, &'static str)>> = vec![None; METRICS.len()];
    for (span, part) in parts {
        let (index, code) = parse_part(part, span.clone())?;
        if let Some((first, _)) = &seen[index] {
            let kind = CvssErrorKind::DuplicateMetric {
                metric: METRICS[index].abbrev,
                first: first.clone(),
            };
            return Err(CvssError::new(kind, span));
        }
        seen[index] = Some((span, code));
    }

    let code_of = |abbrev: &str| {
        let index = METRICS.iter().position(|m| m.abbrev == abbrev)?;
        seen[index].as_ref().map(|(_, code)| *code)
    };
    let missing: Vec<&'static str> = base_metrics()
        .map(|m| m.abbrev)
        .filter(|abbrev| code_of(abbrev).is_none())
        .collect();
    if !missing.is_empty() {
        let kind = CvssErrorKind::MissingMetrics { metrics: missing };
        return Err(CvssError::new(kind, 0..vector.len()));
    }

    // Every base metric is present with a catalogue-checked code, and the
    // typed enums accept exactly the catalogue's codes (see metrics tests).
    let typed = || -> Option<CvssVector> {
        Some(CvssVector::new(
            version,
            AttackVector::from_code(code_of("AV")?)?,
            AttackComplexity::from_code(code_of("AC")?)?,
            PrivilegesRequired::from_code(code_of("PR")?)?,
            UserInteraction::from_code(code_of("UI")?)?,
            Scope::from_code(code_of("S")?)?,
            ImpactValue::from_code(code_of("C")?)?,
            ImpactValue::from_code(code_of("I")?)?,
            ImpactValue::from_code(code_of("A")?)?,
        ))
    };
    let mut cvss = typed().expect("validated base metrics convert to their enums");
    cvss.others = METRICS
        .iter()
        .zip(&seen)
        .filter(|(info, _)| info.group != MetricGroup::Base)
        .filter_map(|(info, seen)| seen.as_ref().map(|(_, code)| (info.abbrev, *code)))
        .filter(|(_, code)| *code != "X")
        .collect();
    Ok(cvss)
}

/// The `/`-separated parts of the vector with their byte ranges.
fn split_parts(vector: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut start = 0;
    vector.split('/').map(move |part| {
        let span = start..start + part.len();
        start = span.end + 1;
        (span, part)
    })
}

/// The version label, `CVSS:3.0` or `CVSS:3.1`.
fn parse_label(label: &str, span: Range<usize>) -> Result<Version, CvssError> {
    match label {
        "CVSS:3.0" => Ok(Version::V3_0),
        "CVSS:3.1" => Ok(Version::V3_1),
        _ => match label.strip_prefix("CVSS:") {
            Some(version) if !version.is_empty() => {
                let kind = CvssErrorKind::UnsupportedVersion {
                    version: version.to_string(),
                };
                Err(CvssError::new(kind, span.start + "CVSS:".len()..span.end))
            }
            _ => Err(CvssError::new(
                CvssErrorKind::MissingPrefix {
                    found: label.to_string(),
                },
                span,
            )),
        },
    }
}

/// One `METRIC:VALUE` part: the metric's catalogue index and the value code.
fn parse_part(part: &str, span: Range<usize>) -> Result<(usize, &'static str), CvssError> {
    if part.is_empty() {
        // The part after a doubled or trailing `/`: point at that `/`.
        return Err(CvssError::new(
            CvssErrorKind::EmptyPart,
            span.start - 1..span.start,
        ));
    }
    let malformed = || {
        CvssError::new(
            CvssErrorKind::MalformedPart {
                part: part.to_string(),
            },
            span.clone(),
        )
    };
    let (name, value) = part.split_once(':').ok_or_else(malformed)?;
    if name.is_empty() || value.contains(':') {
        return Err(malformed());
    }
    let name_span = span.start..span.start + name.len();
    let value_span = name_span.end + 1..span.end;

    let Some(index) = METRICS.iter().position(|m| m.abbrev == name) else {
        let kind = CvssErrorKind::UnknownMetric {
            name: name.to_string(),
        };
        return Err(CvssError::new(kind, name_span));
    };
    let info = &METRICS[index];
    match info.values.iter().find(|(code, _)| *code == value) {
        Some((code, _)) => Ok((index, code)),
        None => {
            let kind = CvssErrorKind::InvalidValue {
                metric: info.abbrev,
                value: value.to_string(),
            };
            Err(CvssError::new(kind, value_span))
        }
    }
}
