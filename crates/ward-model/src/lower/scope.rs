//! `out_of_scope`: elements and flows the threat model leaves out, each
//! with its reason (E0160 when the reason is empty), and hand-written
//! threats that still target them (W0160).

use super::Builder;
use crate::codes;
use crate::language::OUT_OF_SCOPE;
use crate::model::*;
use crate::policy::ValueSpan;
use crate::props::Props;
use ward_diagnostics::Diagnostic;

impl Builder<'_> {
    /// The `out_of_scope` reason of a component, actor or flow.
    pub(super) fn out_of_scope(&mut self, props: &Props<'_>) -> Option<String> {
        let p = props.get(&OUT_OF_SCOPE)?;
        let reason = self.cx.string(p)?;
        if reason.trim().is_empty() {
            self.cx.push(
                Diagnostic::error(
                    codes::EMPTY_OUT_OF_SCOPE,
                    p.value_span(),
                    "`out_of_scope` gives no reason",
                )
                .with_primary_label("empty reason")
                .with_help(
                    "say why it is outside the threat model, e.g. `out_of_scope: \"hospital IT, covered by the site's own risk file\"`",
                ),
            );
            return None;
        }
        Some(reason)
    }

    /// A hand-written threat on an out-of-scope element or flow is kept
    /// (its author wrote it on purpose) but contradicts the scope.
    pub(super) fn check_threats_in_scope(
        &mut self,
        threats: &[Threat],
        elements: &[Element],
        flows: &[Flow],
    ) {
        for threat in threats {
            for &target in &threat.targets {
                let (name, reason) = match target {
                    Target::Element(e) => {
                        let e = &elements[e.index()];
                        (&e.meta.name, &e.out_of_scope)
                    }
                    Target::Flow(f) => {
                        let f = &flows[f.index()];
                        (&f.meta.name, &f.out_of_scope)
                    }
                };
                let Some(reason) = reason else { continue };
                self.cx.push(
                    Diagnostic::warning(
                        codes::THREAT_OUT_OF_SCOPE,
                        threat.meta.name_span,
                        format!(
                            "threat `{}` targets `{name}`, which is out of scope",
                            threat.meta.name
                        ),
                    )
                    .with_primary_label("targets an out-of-scope element or flow")
                    .with_help(format!(
                        "`{name}` is out of scope (\"{reason}\"): remove it from `targets`, or bring it into scope by removing its `out_of_scope`"
                    )),
                );
            }
        }
    }
}
