//! The pest parser generated from `grammar/ward.pest`.

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/ward.pest"]
pub(crate) struct WardParser;
