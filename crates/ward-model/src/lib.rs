//! Ward semantic model: loading, use, name resolution, typed checks.

pub mod model;

pub use model::*;
