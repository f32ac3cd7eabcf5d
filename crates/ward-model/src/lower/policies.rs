//! Lowers `policy` declarations and the system's `policy` reference (a
//! declared policy or `std::policy::iso14971_5x5`).

use super::Builder;
use crate::codes;
use crate::model::*;
use crate::policy;
use crate::stdlib::STD_POLICY_PATH;
use crate::suggest::suggest;
use ward_diagnostics::Diagnostic;
use ward_syntax::ast::{Decl, DeclKind, Property, Value};

impl Builder<'_> {
    pub(super) fn policy_decl(&mut self, decl: &Decl, stdlib: bool) -> policy::Lowered {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let path = if stdlib {
            STD_POLICY_PATH.to_string()
        } else {
            decl.name.name.clone()
        };
        policy::lower(&mut self.cx, meta, &props, stdlib, path)
    }

    /// The system's `policy`: `std::policy::iso14971_5x5` or a declared policy.
    pub(super) fn policy_ref(&mut self, p: &Property) -> Option<PolicyId> {
        match self.cx.value(p, "a policy")? {
            Value::Path(path) => {
                let text = path.text();
                if text == STD_POLICY_PATH {
                    self.cx.reference(path.span, Symbol::Policy(PolicyId(0)));
                    return Some(PolicyId(0));
                }
                let mut d = Diagnostic::error(
                    codes::UNKNOWN_ID,
                    path.span,
                    format!("unknown policy `{text}`"),
                )
                .with_primary_label("no such policy");
                d = match suggest(&text, [STD_POLICY_PATH]) {
                    Some(best) => d
                        .with_help(format!("did you mean `{}`?", best.name))
                        .with_fix(best.fix(&text, path.span)),
                    None => d.with_help(format!("the standard policy is `{STD_POLICY_PATH}`")),
                };
                self.cx.push(d);
                None
            }
            Value::Ref(r) => match self.cx.resolve_ref(r, &[DeclKind::Policy])? {
                Symbol::Policy(id) => Some(id),
                _ => None,
            },
            other => {
                self.cx.wrong_value(
                    "policy",
                    other,
                    &format!("a policy id or `{STD_POLICY_PATH}`"),
                    "expected a policy",
                );
                None
            }
        }
    }
}
