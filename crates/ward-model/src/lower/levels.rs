//! Severity and exploitability levels named by hazards, threats, rules and
//! controls: checked against the scales of the policy in force.

use super::Builder;
use crate::codes;
use crate::model::*;
use crate::suggest::suggest;
use ward_diagnostics::Diagnostic;
use ward_syntax::ast::{Ident, Property};

impl Builder<'_> {
    pub(super) fn level(&mut self, p: &Property, severity: bool) -> Option<Level> {
        let v = self.cx.value(p, "a level")?;
        let id = self.cx.value_ident(&p.key, v)?;
        self.level_of(id, severity)
    }

    fn level_of(&mut self, id: &Ident, severity: bool) -> Option<Level> {
        let (scale, what, article) = if severity {
            (&self.policy.severity, "severity", "a")
        } else {
            (&self.policy.exploitability, "exploitability", "an")
        };
        if let Some(i) = scale.iter().position(|l| *l == id.name) {
            return Some(Level(i as u32));
        }
        let names: Vec<&str> = scale.iter().map(String::as_str).collect();
        let mut d = Diagnostic::error(
            codes::UNKNOWN_LEVEL,
            id.span,
            format!(
                "`{}` is not {article} {what} level of the policy `{}`",
                id.name, self.policy_name
            ),
        )
        .with_primary_label(format!("not on the {what} scale"));
        d = match suggest(&id.name, names.iter().copied()) {
            Some(best) => d
                .with_help(format!(
                    "did you mean `{}`? levels: {}",
                    best.name,
                    crate::load::backticked(&names)
                ))
                .with_fix(best.fix(&id.name, id.span)),
            None => d.with_help(format!(
                "the {what} levels are {}",
                crate::load::backticked(&names)
            )),
        };
        self.cx.push(d);
        None
    }
}
