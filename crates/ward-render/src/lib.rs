//! Ward outputs: DOT views, tera tables, CSV, model.json, SARIF, HTML report.
//!
//! Everything is rendered in memory ([`Artifact`]s), then written as a whole
//! ([`write_atomically`]) or compared with what is on disk ([`check_drift`]).

pub mod escape;
mod output;
mod sarif;
mod templates;
pub mod testing;

pub use output::{
    check_artifact_paths, check_drift, check_output_dir, protected_paths, write_atomically,
    Artifact, DriftEntry, DriftKind, OUTPUT_MARKER,
};
pub use sarif::{sarif_log, ThreatRuleInfo};
pub use templates::{Templates, BUILTIN as BUILTIN_TEMPLATES};
