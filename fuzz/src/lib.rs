//! The properties the fuzz targets check, as plain functions so that the
//! root test suite (`tests/adversarial.rs`) replays every saved crash input
//! through exactly the same code.

pub mod checks;

pub use checks::{check_format, check_lsp, check_manifest, check_parse, check_pipeline};
