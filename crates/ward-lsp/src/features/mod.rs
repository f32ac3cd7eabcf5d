//! The language features, as functions of a snapshot; the handlers map
//! requests onto them.

pub mod formatting;
pub mod navigation;
pub mod semantic_tokens;
pub mod symbols;
