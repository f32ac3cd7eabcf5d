//! Ward syntax: the pest grammar (`grammar/ward.pest`), a tolerant parser
//! that always returns a tree plus syntax diagnostics, and the formatter.

pub mod ast;
mod build;
pub mod codes;
mod fast;
mod grammar;
pub mod keywords;
mod lexer;
mod parse;
mod recover;
mod strings;
mod trojan;

pub use trojan::invisible_name;

pub use lexer::MAX_NESTING;
pub use parse::{parse, parse_with_pest_only, pest_handoffs, Parse};
pub mod format;
pub use format::format;
