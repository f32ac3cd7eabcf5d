//! Lowers `rule` declarations: types `when` and the title template against
//! `applies_to`, and maps stdlib rule levels by rank onto the policy's scale.

use super::Builder;
use crate::codes;
use crate::language::{
    RULE_AFFECTS, RULE_APPLIES_TO, RULE_ATTACK_VECTOR, RULE_DETECTION_GAP, RULE_EXPLOITABILITY,
    RULE_GROUP_BY, RULE_PER, RULE_SUGGEST, RULE_WHEN,
};
use crate::model::*;
use crate::when::Checker;
use ward_diagnostics::Diagnostic;
use ward_syntax::ast::{Decl, Expr, Property, Value};

impl Builder<'_> {
    pub(super) fn rule(&mut self, decl: &Decl, stdlib: bool) -> Rule {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let stride = self.stride(&props);
        let applies_to = props
            .get(&RULE_APPLIES_TO)
            .and_then(|p| self.cx.enum_value::<RuleTarget>(p));
        let exploitability = props
            .get(&RULE_EXPLOITABILITY)
            .and_then(|p| {
                if stdlib {
                    self.stdlib_level(p)
                } else {
                    self.level(p, false)
                }
            })
            .unwrap_or_else(|| self.policy.highest_exploitability());
        let attack_vector = attack_vector(self, &props);
        let (capec, cwe) = self.capec_and_cwe(&props);
        let suggest = props
            .get(&RULE_SUGGEST)
            .map(|p| self.cx.enum_list::<ControlCategory>(p))
            .unwrap_or_default();
        let affects = props
            .get(&RULE_AFFECTS)
            .map(|p| Affects::from_items(&self.cx.enum_list::<AffectsItem>(p)))
            .unwrap_or_default();
        let detection_gap = props
            .get(&RULE_DETECTION_GAP)
            .and_then(|p| self.cx.boolean(p))
            .unwrap_or(false);
        let (per, group_by) = self.flow_shape(&props);
        let source = self.source_text(decl.span.file);
        let (when, template) = match applies_to {
            Some(target) => {
                let when = match props.get(&RULE_WHEN) {
                    None => TypedExpr::TRUE,
                    Some(p) => self.when(p, target).unwrap_or(TypedExpr::FALSE),
                };
                let template = match &decl.title {
                    Some(title) => Checker::new(&mut self.cx, target).template(title, source),
                    None => Template {
                        parts: vec![TemplatePart::Text {
                            text: decl.name.name.clone(),
                        }],
                    },
                };
                (when, template)
            }
            // Without a valid `applies_to`, `when` and the title cannot be typed.
            None => (
                TypedExpr::FALSE,
                Template {
                    parts: vec![TemplatePart::Text {
                        text: meta.title.clone(),
                    }],
                },
            ),
        };
        Rule {
            meta,
            template,
            stride,
            applies_to: applies_to.unwrap_or(RuleTarget::Flow),
            when,
            exploitability,
            attack_vector,
            capec,
            cwe,
            suggest,
            affects,
            detection_gap,
            per,
            group_by,
            from_stdlib: stdlib,
        }
    }

    /// `per` and `group_by`, as declared: they shape a flow rule's threats,
    /// and analysis reports them on a rule of another kind (W0490).
    fn flow_shape(&mut self, props: &crate::props::Props<'_>) -> (RulePer, Option<RuleGroupBy>) {
        let per = props
            .get(&RULE_PER)
            .and_then(|p| self.cx.enum_value::<RulePer>(p))
            .unwrap_or(RulePer::Direction);
        let group_by = props
            .get(&RULE_GROUP_BY)
            .and_then(|p| self.cx.enum_value::<RuleGroupBy>(p));
        (per, group_by)
    }

    /// A stdlib rule's level: its rank on the std scale, on the model's scale.
    fn stdlib_level(&mut self, p: &Property) -> Option<Level> {
        let v = self.cx.value(p, "a level")?;
        let id = self.cx.value_ident(&p.key, v)?;
        let rank = self.std_exploitability.iter().position(|l| *l == id.name)?;
        Some(Level(
            rank.min(self.policy.exploitability.len().saturating_sub(1)) as u32,
        ))
    }

    fn when(&mut self, p: &Property, target: RuleTarget) -> Option<TypedExpr> {
        let v = self.cx.value(p, "a condition")?;
        let owned;
        let expr: &Expr = match v {
            Value::Expr(e) => e,
            Value::Bool(b) => {
                owned = Expr::Bool(b.clone());
                &owned
            }
            Value::Ref(r) if r.reverse.is_none() => {
                owned = Expr::Path {
                    segments: vec![r.id.clone()],
                    span: r.span,
                };
                &owned
            }
            other => {
                let found = crate::props::shape(other);
                self.cx.push(
                    Diagnostic::error(
                        codes::NOT_BOOLEAN,
                        other.span(),
                        format!("`when` expects a condition, found {found}"),
                    )
                    .with_primary_label("expected a boolean condition"),
                );
                return None;
            }
        };
        Checker::new(&mut self.cx, target).check_when(expr)
    }
}

/// A rule's `attack_vector`, else `network`.
fn attack_vector(builder: &mut Builder<'_>, props: &crate::props::Props<'_>) -> AttackVector {
    props
        .get(&RULE_ATTACK_VECTOR)
        .and_then(|p| builder.cx.enum_value::<AttackVector>(p))
        .unwrap_or(AttackVector::Network)
}
