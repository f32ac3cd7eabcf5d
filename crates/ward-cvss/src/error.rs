//! Why a vector was rejected, and where in the vector string.

use std::fmt;
use std::ops::Range;

use crate::metrics::{backticked_list, base_metrics, metric, METRICS};

/// A rejected CVSS vector: what is wrong ([`CvssError::kind`]), a message
/// naming the offending part in backticks (its `Display`), a help line
/// ([`CvssError::help`]), and the byte range within the vector string that
/// the message is about ([`CvssError::span`]), so that a compiler can point
/// at the exact metric inside a string literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CvssError {
    kind: CvssErrorKind,
    span: Range<usize>,
}

/// The kinds of problems a vector can have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CvssErrorKind {
    /// The vector string is empty.
    Empty,
    /// The vector does not start with a `CVSS:3.x` version label. The span
    /// covers the first `/`-separated part.
    MissingPrefix {
        /// The first part as written.
        found: String,
    },
    /// The vector has a `CVSS:` label with a version other than 3.0 or 3.1.
    /// The span covers the version number.
    UnsupportedVersion {
        /// The version as written, e.g. `4.0`.
        version: String,
    },
    /// Two `/` in a row, or a trailing `/`. The span covers the extra `/`.
    EmptyPart,
    /// A part that is not `METRIC:VALUE`. The span covers the part.
    MalformedPart {
        /// The part as written.
        part: String,
    },
    /// A metric that CVSS v3 does not define. The span covers its name.
    UnknownMetric {
        /// The name as written.
        name: String,
    },
    /// A value the metric does not allow. The span covers the value (empty,
    /// right after the `:`, when the value is missing).
    InvalidValue {
        /// The metric's abbreviation.
        metric: &'static str,
        /// The value as written (possibly empty).
        value: String,
    },
    /// A metric given a second time. The span covers the repeated part.
    DuplicateMetric {
        /// The metric's abbreviation.
        metric: &'static str,
        /// The byte range of the first occurrence.
        first: Range<usize>,
    },
    /// Base metrics that are absent. The span covers the whole vector.
    MissingMetrics {
        /// The absent base metrics, in canonical order.
        metrics: Vec<&'static str>,
    },
}

impl CvssError {
    pub(crate) fn new(kind: CvssErrorKind, span: Range<usize>) -> CvssError {
        CvssError { kind, span }
    }

    /// What is wrong.
    pub fn kind(&self) -> &CvssErrorKind {
        &self.kind
    }

    /// The byte range within the vector string of the offending part.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// A line of help to show under the message: the allowed values with
    /// their meanings, a did-you-mean, or the expected shape of a vector.
    pub fn help(&self) -> String {
        match &self.kind {
            CvssErrorKind::Empty
            | CvssErrorKind::EmptyPart
            | CvssErrorKind::MissingMetrics { .. } => {
                format!("a CVSS v3 vector looks like `{EXAMPLE}`")
            }
            CvssErrorKind::MissingPrefix { found } => {
                if found.eq_ignore_ascii_case("CVSS:3.0") || found.eq_ignore_ascii_case("CVSS:3.1")
                {
                    format!(
                        "the label is case-sensitive: write `{}`",
                        found.to_ascii_uppercase()
                    )
                } else {
                    format!("start the vector with `CVSS:3.1/`, as in `{EXAMPLE}`")
                }
            }
            CvssErrorKind::UnsupportedVersion { .. } => {
                "Ward scores CVSS v3.0 and v3.1 vectors; rescore the vulnerability in v3.1, \
                 or give `exploitability` instead"
                    .to_string()
            }
            CvssErrorKind::MalformedPart { .. } => {
                format!("each part after the version is `METRIC:VALUE`, as in `{EXAMPLE}`")
            }
            CvssErrorKind::UnknownMetric { name } => match metric(&name.to_ascii_uppercase()) {
                Some(known) => format!(
                    "metric names are upper case: did you mean `{}`?",
                    known.abbrev
                ),
                None if V4_ONLY_METRICS.contains(&name.as_str()) => format!(
                    "`{name}` is a CVSS v4.0 metric; Ward scores CVSS v3.0 and v3.1 vectors"
                ),
                None => format!(
                    "CVSS v3 metrics are {}",
                    backticked_list(METRICS.iter().map(|m| m.abbrev), "and")
                ),
            },
            CvssErrorKind::InvalidValue { metric: abbrev, .. } => match metric(abbrev) {
                Some(info) => {
                    format!(
                        "`{}` ({}) takes {}",
                        info.abbrev,
                        info.name,
                        info.allowed_meanings()
                    )
                }
                None => format!("a CVSS v3 vector looks like `{EXAMPLE}`"),
            },
            CvssErrorKind::DuplicateMetric { metric, .. } => {
                format!("remove one of the two `{metric}` parts")
            }
        }
    }
}

/// Metrics that CVSS v4.0 added, for a pointed help when a v4 metric turns
/// up in a v3 vector.
const V4_ONLY_METRICS: &[&str] = &[
    "AT", "VC", "VI", "VA", "SC", "SI", "SA", "MAT", "MVC", "MVI", "MVA", "MSC", "MSI", "MSA",
    "AU", "R", "V", "RE", "U",
];

/// The example vector shown in help lines.
const EXAMPLE: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";

impl fmt::Display for CvssError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            CvssErrorKind::Empty => f.write_str("the CVSS vector is empty"),
            CvssErrorKind::MissingPrefix { found } => write!(
                f,
                "the CVSS vector must start with `CVSS:3.0/` or `CVSS:3.1/`, not `{found}`"
            ),
            CvssErrorKind::UnsupportedVersion { version } => write!(
                f,
                "unsupported CVSS version `{version}`: expected `3.0` or `3.1`"
            ),
            CvssErrorKind::EmptyPart => f.write_str("empty part in the CVSS vector: extra `/`"),
            CvssErrorKind::MalformedPart { part } => {
                write!(f, "`{part}` is not a CVSS metric: expected `METRIC:VALUE`")
            }
            CvssErrorKind::UnknownMetric { name } => {
                write!(f, "unknown CVSS v3 metric `{name}`")
            }
            CvssErrorKind::InvalidValue {
                metric: abbrev,
                value,
            } => {
                if value.is_empty() {
                    write!(f, "CVSS metric `{abbrev}` has no value")?;
                } else {
                    write!(f, "invalid value `{value}` for CVSS metric `{abbrev}`")?;
                }
                // Kinds built by this crate always name a catalogue metric.
                match metric(abbrev) {
                    Some(info) if value.is_empty() => {
                        write!(f, ": expected {}", info.allowed_codes())
                    }
                    Some(info) => write!(f, " ({}): expected {}", info.name, info.allowed_codes()),
                    None => Ok(()),
                }
            }
            CvssErrorKind::DuplicateMetric { metric, .. } => {
                write!(f, "CVSS metric `{metric}` is given more than once")
            }
            CvssErrorKind::MissingMetrics { metrics } => {
                let noun = if metrics.len() == 1 {
                    "metric"
                } else {
                    "metrics"
                };
                write!(
                    f,
                    "the CVSS vector lacks base {noun} {}: all eight of {} are required",
                    backticked_list(metrics.iter().copied(), "and"),
                    backticked_list(base_metrics().map(|m| m.abbrev), "and"),
                )
            }
        }
    }
}

impl std::error::Error for CvssError {}
