//! CVSS v3.0 and v3.1 vectors for Ward's risk scoring.
//!
//! A threat may give its exploitability as a CVSS vector instead of a level
//! of the policy's scale; Ward then computes the FIRST base score and the
//! exploitability sub-score and maps the sub-score onto the policy's scale
//! through `cvss_exploitability_bands`. This crate does the parsing and the
//! arithmetic, following the FIRST CVSS v3.0 and v3.1 specifications:
//!
//! ```
//! let cvss = ward_cvss::parse("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H").unwrap();
//! assert_eq!(cvss.base_score(), 8.1);
//! assert_eq!(cvss.severity(), ward_cvss::Rating::High);
//! assert_eq!(cvss.exploitability_rounded(), 2.8);
//! assert!((cvss.exploitability() - 2.835_254_73).abs() < 1e-9);
//! assert_eq!(cvss.to_string(), "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H");
//! ```
//!
//! A rejected vector yields a [`CvssError`] whose message names the
//! offending metric in backticks and whose [`CvssError::span`] is the byte
//! range of the offending part within the vector string:
//!
//! ```
//! let err = ward_cvss::parse("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H").unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "invalid value `Q` for CVSS metric `AV` (Attack Vector): expected `N`, `A`, `L` or `P`"
//! );
//! assert_eq!(err.span(), 12..13);
//! ```
//!
//! Only base scores are computed: temporal and environmental metrics are
//! validated and kept in the canonical vector, but Ward's risk model uses the
//! base metrics alone.

#![warn(missing_docs)]

mod error;
mod metrics;
mod parse;
mod score;
mod vector;

pub use error::{CvssError, CvssErrorKind};
pub use metrics::{
    metric, AttackComplexity, AttackVector, ImpactValue, MetricGroup, MetricInfo,
    PrivilegesRequired, Scope, UserInteraction, METRICS,
};
pub use parse::parse;
pub use score::{round_one_decimal, roundup_v3_0, roundup_v3_1, Rating};
pub use vector::{CvssVector, Version};
