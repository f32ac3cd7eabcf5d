//! The language features, as functions of a snapshot; the handlers map
//! requests onto them.

pub mod code_actions;
pub mod completion;
pub mod formatting;
pub mod hover;
pub mod inlay_hints;
pub mod navigation;
pub mod semantic_tokens;
pub mod since_base;
pub mod symbols;
