//! Ward syntax: the pest grammar (`grammar/ward.pest`), a tolerant parser
//! that always returns a tree plus syntax diagnostics, and the formatter.

pub mod ast;
pub mod format;
pub use format::format;
