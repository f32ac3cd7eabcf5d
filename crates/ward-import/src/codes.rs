//! The diagnostic codes of `ward import` (docs/diagnostics/E062x.md).

use ward_diagnostics::Code;

/// The input cannot be read: missing, not a regular file, or over the cap.
pub const INPUT_UNREADABLE: Code = Code::E0620;
/// The input is not valid YAML or JSON (truncated, bad syntax, not UTF-8).
pub const INPUT_SYNTAX: Code = Code::E0621;
/// An entry of the input has the wrong type or lacks a required field.
pub const INPUT_SHAPE: Code = Code::E0622;
/// The input's format version is not one `ward import` reads.
pub const UNKNOWN_VERSION: Code = Code::E0623;
/// Two entries of the input share one id.
pub const DUPLICATE_ID: Code = Code::E0624;
/// An entry names an id the input does not declare.
pub const UNKNOWN_REFERENCE: Code = Code::E0625;
/// The output folder already holds a file the import would write.
pub const WOULD_OVERWRITE: Code = Code::E0626;
/// The imported model cannot be written (nothing is left behind).
pub const CANNOT_WRITE: Code = Code::E0627;
/// The model the importer generated does not compile (an importer bug).
pub const GENERATED_MODEL_INVALID: Code = Code::E0628;
/// Zones inferred from a diagram's geometry: each guess is listed.
pub const ZONES_GUESSED: Code = Code::W0620;
/// The Ward source an OTM object carries is not used (it does not parse,
/// or declares something else): the object is mapped from OTM's fields.
pub const WARD_SOURCE_UNUSED: Code = Code::W0640;
