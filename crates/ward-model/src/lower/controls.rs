//! Lowers `control` and `verification` declarations: what a control mitigates,
//! limits and is verified by; an `information_for_safety` control lowers no risk.

use super::Builder;
use crate::codes;
use crate::language::{
    CONTROL_ACCEPTANCE, CONTROL_CATEGORY, CONTROL_ID, CONTROL_IMPLEMENTED_IN, CONTROL_INDEPENDENT,
    CONTROL_LIMITS, CONTROL_MITIGATES, CONTROL_OPTION, CONTROL_REDUCES, CONTROL_REQUIREMENT,
    CONTROL_RESIDUAL_EXPLOITABILITY, CONTROL_STATUS, CONTROL_VERIFICATION, VERIFICATION_DATE,
    VERIFICATION_DISPOSITION, VERIFICATION_INDEPENDENT, VERIFICATION_METHOD, VERIFICATION_REPORT,
    VERIFICATION_RESULT, VERIFICATION_SCOPE, VERIFICATION_TESTED_VERSION, VERIFICATION_TYPE,
};
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
                .get(&VERIFICATION_TYPE)
                .and_then(|p| self.cx.enum_value::<VerificationType>(p)),
            method: props
                .get(&VERIFICATION_METHOD)
                .and_then(|p| self.cx.enum_value::<Method>(p))
                .unwrap_or(Method::Test),
            report: props
                .get(&VERIFICATION_REPORT)
                .and_then(|p| self.cx.string(p)),
            result: props
                .get(&VERIFICATION_RESULT)
                .and_then(|p| self.cx.enum_value::<TestResult>(p)),
            tested_version: props
                .get(&VERIFICATION_TESTED_VERSION)
                .and_then(|p| self.cx.string(p)),
            date: props.get(&VERIFICATION_DATE).and_then(|p| self.cx.date(p)),
            disposition: props
                .get(&VERIFICATION_DISPOSITION)
                .and_then(|p| self.cx.string(p)),
            independent: props
                .get(&VERIFICATION_INDEPENDENT)
                .and_then(|p| self.cx.boolean(p))
                .unwrap_or(false),
            scope: props
                .get(&VERIFICATION_SCOPE)
                .map(|p| self.target_list(p))
                .unwrap_or_default(),
        }
    }

    pub(super) fn control(&mut self, decl: &Decl) -> Control {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let requirement_id = props
            .get(&CONTROL_ID)
            .and_then(|p| self.cx.string(p))
            .unwrap_or_else(|| decl.name.name.clone());
        let category = props
            .get(&CONTROL_CATEGORY)
            .and_then(|p| self.cx.enum_value::<ControlCategory>(p))
            .unwrap_or(ControlCategory::Authentication);
        let requirement = props
            .get(&CONTROL_REQUIREMENT)
            .and_then(|p| self.cx.string(p))
            .unwrap_or_default();
        let mut mitigates: Vec<ThreatRefResolved> = Vec::new();
        if let Some(p) = props.get(&CONTROL_MITIGATES) {
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
            .get(&CONTROL_REDUCES)
            .and_then(|p| self.cx.uint(p))
            .unwrap_or(0);
        let independent = props
            .get(&CONTROL_INDEPENDENT)
            .and_then(|p| self.cx.boolean(p))
            .unwrap_or(false);
        let residual_exploitability = props
            .get(&CONTROL_RESIDUAL_EXPLOITABILITY)
            .and_then(|p| self.level(p, false));
        let mut limits: Vec<(HazardId, Level)> = Vec::new();
        if let Some(p) = props.get(&CONTROL_LIMITS) {
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
            .get(&CONTROL_OPTION)
            .and_then(|p| self.cx.enum_value::<ControlOption>(p));
        if option == Some(ControlOption::InformationForSafety) {
            let option_span = props
                .get(&CONTROL_OPTION)
                .map(|p| p.value_span())
                .unwrap_or(decl.name.span);
            for spec in [
                CONTROL_REDUCES,
                CONTROL_RESIDUAL_EXPLOITABILITY,
                CONTROL_LIMITS,
            ] {
                let key = spec.key;
                if let Some(p) = props.get(&spec) {
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
        let acceptance = props
            .get(&CONTROL_ACCEPTANCE)
            .and_then(|p| self.cx.string(p));
        let implemented_in = props
            .get(&CONTROL_IMPLEMENTED_IN)
            .map(|p| self.element_list(p))
            .unwrap_or_default();
        let mut verification = Vec::new();
        if let Some(p) = props.get(&CONTROL_VERIFICATION) {
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
            .get(&CONTROL_STATUS)
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
            mitigates_span: props.get(&CONTROL_MITIGATES).map(|p| p.span),
            status_span: props.get(&CONTROL_STATUS).map(|p| p.span),
            verification_span: props.get(&CONTROL_VERIFICATION).map(|p| p.span),
        }
    }
}
