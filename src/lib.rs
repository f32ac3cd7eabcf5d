//! The `ward` command line: a thin shell over the Ward library crates.

pub mod cli;
