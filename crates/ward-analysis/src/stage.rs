//! How the stage a model is judged at sets the severity of a finding.
//!
//! Some gaps are helpful warnings while a design is still moving and are
//! what a reviewer would send back in a submission: the same code is a
//! warning at the design stage and an error at the submission stage (as
//! `--deny-warnings` does for every warning). Codes that exist only for a
//! submission are plain errors and are reported only then.

use ward_diagnostics::{Code, Diagnostic, Span};
use ward_model::Stage;

/// A gap that is a warning at the design stage and an error at the
/// submission stage.
pub(crate) fn gap(stage: Stage, code: Code, span: Span, message: String) -> Diagnostic {
    match stage {
        Stage::Design => Diagnostic::warning(code, span, message),
        Stage::Submission => Diagnostic::denied_warning(code, span, message),
    }
}
