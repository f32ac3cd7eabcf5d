//! Supply-chain files a Ward model imports (SBOMs, OSV and KEV feeds): each module parses one family
//! of documents from text the model loader has already read (inside the
//! model root, size-capped) into plain data, or into a [`json::SupplyError`]
//! located at a line and column of that text. Nothing here reads files,
//! knows the Ward language or writes diagnostics.

pub mod csaf;
pub mod cyclonedx_vex;
pub mod feed;
pub mod json;
pub mod kev;
pub mod osv;
pub mod sbom;
pub mod vex;
