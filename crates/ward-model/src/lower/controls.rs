//! Lowers `control` and `verification` declarations: what a control mitigates,
//! limits and is verified by; an `information_for_safety` control lowers no risk.

use super::Builder;
use crate::codes;
use crate::model::*;
use crate::names::Entry;
use crate::policy::ValueSpan;
use std::collections::HashMap;
use ward_diagnostics::{Diagnostic, Span};
use ward_syntax::ast::{Decl, DeclKind, Value};

impl Builder<'_> {
    pub(super) fn verification(&mut self, decl: &Decl) -> Verification {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        Verification {
            meta,
            kind: props
                .get("type")
                .and_then(|p| self.cx.enum_value::<VerificationType>(p)),
            method: props
                .get("method")
                .and_then(|p| self.cx.enum_value::<Method>(p))
                .unwrap_or(Method::Test),
            report: props.get("report").and_then(|p| self.cx.string(p)),
            result: props
                .get("result")
                .and_then(|p| self.cx.enum_value::<TestResult>(p)),
            tested_version: props.get("tested_version").and_then(|p| self.cx.string(p)),
            date: props.get("date").and_then(|p| self.cx.date(p)),
            disposition: props.get("disposition").and_then(|p| self.cx.string(p)),
            independent: props
                .get("independent")
                .and_then(|p| self.cx.boolean(p))
                .unwrap_or(false),
            scope: props
                .get("scope")
                .map(|p| self.target_list(p))
                .unwrap_or_default(),
        }
    }

    pub(super) fn control(&mut self, decl: &Decl) -> Control {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let requirement_id = props
            .get("id")
            .and_then(|p| self.cx.string(p))
            .unwrap_or_else(|| decl.name.name.clone());
        let category = props
            .get("category")
            .and_then(|p| self.cx.enum_value::<ControlCategory>(p))
            .unwrap_or(ControlCategory::Authentication);
        let requirement = props
            .get("requirement")
            .and_then(|p| self.cx.string(p))
            .unwrap_or_default();
        let mut mitigates: Vec<ThreatRefResolved> = Vec::new();
        if let Some(p) = props.get("mitigates") {
            let mut seen = std::collections::HashSet::new();
            for v in self.cx.list(p) {
                if let Some(r) = self.threat_ref(&p.key, v) {
                    if seen.insert(r.key) {
                        mitigates.push(r);
                    }
                }
            }
        }
        let reduces = props
            .get("reduces")
            .and_then(|p| self.cx.uint(p))
            .unwrap_or(0);
        let independent = props
            .get("independent")
            .and_then(|p| self.cx.boolean(p))
            .unwrap_or(false);
        let residual_exploitability = props
            .get("residual_exploitability")
            .and_then(|p| self.level(p, false));
        let mut limits: Vec<(HazardId, Level)> = Vec::new();
        if let Some(p) = props.get("limits") {
            if let Some(block) = self.cx.block(p) {
                let mut seen: HashMap<&str, Span> = HashMap::new();
                for row in &block.properties {
                    if let Some(first) = seen.get(row.key.name.as_str()) {
                        self.cx.push(crate::props::repeated(&row.key, *first));
                        continue;
                    }
                    seen.insert(&row.key.name, row.key.span);
                    let hazard = match self.cx.resolve(&row.key, &[DeclKind::Hazard]) {
                        Some(Entry {
                            symbol: Symbol::Hazard(h),
                            ..
                        }) => Some(h),
                        _ => None,
                    };
                    let level = self.level(row, true);
                    if let (Some(h), Some(l)) = (hazard, level) {
                        limits.push((h, l));
                    }
                }
            }
        }
        let option = props
            .get("option")
            .and_then(|p| self.cx.enum_value::<ControlOption>(p));
        if option == Some(ControlOption::InformationForSafety) {
            let option_span = props
                .get("option")
                .map(|p| p.value_span())
                .unwrap_or(decl.name.span);
            for key in ["reduces", "residual_exploitability", "limits"] {
                if let Some(p) = props.get(key) {
                    self.cx.push(
                        Diagnostic::error(
                            codes::INFORMATION_REDUCES,
                            p.key.span,
                            format!("an `information_for_safety` control cannot set `{key}`"),
                        )
                        .with_primary_label("lowers risk")
                        .with_label(option_span, "the control is information for safety")
                        .with_help("information for safety discloses residual risk, it does not lower it; remove this property or choose another `option`"),
                    );
                }
            }
        }
        let acceptance = props.get("acceptance").and_then(|p| self.cx.string(p));
        let implemented_in = props
            .get("implemented_in")
            .map(|p| self.element_list(p))
            .unwrap_or_default();
        let mut verification = Vec::new();
        if let Some(p) = props.get("verification") {
            let written = self.cx.list(p);
            let all_inline =
                !written.is_empty() && written.iter().all(|v| matches!(v, Value::Tagged(_)));
            for v in written {
                match v {
                    Value::Tagged(t) => {
                        if let Some(method) = self.cx.ident_enum::<Method>(&p.key, &t.tag) {
                            verification.push(VerificationItem::Inline {
                                method,
                                text: t.text.value.clone(),
                                span: t.span,
                            });
                        }
                    }
                    Value::Ref(r) => {
                        if let Some(Symbol::Verification(id)) =
                            self.cx.resolve_ref(r, &[DeclKind::Verification])
                        {
                            verification.push(VerificationItem::Ref {
                                verification: id,
                                span: r.span,
                            });
                        }
                    }
                    other => self.cx.wrong_value(
                        "verification",
                        other,
                        "a verification id or `METHOD \"text\"`",
                        "expected a verification",
                    ),
                }
            }
            if all_inline {
                self.cx.push(
                    Diagnostic::warning(
                        codes::INLINE_VERIFICATION_ONLY,
                        p.value_span(),
                        format!("control `{}` is verified only by inline items", decl.name.name),
                    )
                    .with_primary_label("no `verification` declaration here")
                    .with_help("inline items have no test type or result; declare a `verification` with its report and result and name it here"),
                );
            }
        }
        let status = props
            .get("status")
            .and_then(|p| self.cx.enum_value::<ControlStatus>(p))
            .unwrap_or(ControlStatus::Proposed);
        Control {
            meta,
            requirement_id,
            category,
            requirement,
            mitigates,
            reduces,
            independent,
            residual_exploitability,
            limits,
            option,
            acceptance,
            implemented_in,
            verification,
            status,
            mitigates_span: props.get("mitigates").map(|p| p.span),
            status_span: props.get("status").map(|p| p.span),
            verification_span: props.get("verification").map(|p| p.span),
        }
    }
}
