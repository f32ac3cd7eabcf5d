//! Lowers hand-written `threat` declarations (exploitability as a level or a
//! CVSS vector, never both) and threat references (`ID` or `RULE@ELEMENT`).

use super::Builder;
use crate::codes;
use crate::language::{
    PropertySpec, THREAT_CAPEC, THREAT_CVSS, THREAT_CWE, THREAT_EXPLOITABILITY, THREAT_HAZARDS,
    THREAT_IMPACT, THREAT_STRIDE, THREAT_TARGETS,
};
use crate::model::*;
use crate::names::describe_kinds;
use crate::props::Props;
use ward_diagnostics::{Diagnostic, Span};
use ward_syntax::ast::{self, Decl, DeclKind, Ident, Property, Value};

/// The properties a CVSS vector's C, I and A metrics say are impacted.
pub(super) fn impacted_properties(vector: &ward_cvss::CvssVector) -> Vec<SecurityProperty> {
    [
        (SecurityProperty::Confidentiality, vector.c),
        (SecurityProperty::Integrity, vector.i),
        (SecurityProperty::Availability, vector.a),
    ]
    .into_iter()
    .filter(|(_, metric)| *metric != ward_cvss::ImpactValue::None)
    .map(|(property, _)| property)
    .collect()
}

impl Builder<'_> {
    pub(super) fn threat(&mut self, decl: &Decl) -> Threat {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let stride = self.stride(&props);
        let targets = props
            .get(&THREAT_TARGETS)
            .map(|p| self.target_list(p))
            .unwrap_or_default();
        let hazards = props
            .get(&THREAT_HAZARDS)
            .map(|p| self.hazard_list(p))
            .unwrap_or_default();
        let (capec, cwe) = self.capec_and_cwe(&props);
        let fallback = Exploitability::Level {
            level: self.policy.highest_exploitability(),
        };
        let exploitability = match (props.get(&THREAT_EXPLOITABILITY), props.get(&THREAT_CVSS)) {
            (Some(e), Some(c)) => {
                self.cx.push(
                    Diagnostic::error(
                        codes::BOTH_EXPLOITABILITY_AND_CVSS,
                        c.key.span,
                        format!("threat `{}` gives both `exploitability` and `cvss`", decl.name.name),
                    )
                    .with_primary_label("`cvss` given too")
                    .with_label(e.key.span, "`exploitability` given here")
                    .with_help("give exactly one: a level, or a CVSS vector from which the level is computed"),
                );
                self.level(e, false).map(|level| Exploitability::Level { level })
            }
            (Some(e), None) => self.level(e, false).map(|level| Exploitability::Level { level }),
            (None, Some(c)) => self.cvss(c),
            (None, None) => {
                self.cx.push(
                    Diagnostic::error(
                        codes::NO_EXPLOITABILITY,
                        decl.name.span,
                        format!("threat `{}` has neither `exploitability` nor `cvss`", decl.name.name),
                    )
                    .with_primary_label("no exploitability")
                    .with_help(format!(
                        "add `exploitability: LEVEL` (one of {}) or `cvss: \"CVSS:3.1/...\"`",
                        crate::load::backticked(&self.policy.exploitability.iter().map(String::as_str).collect::<Vec<_>>())
                    )),
                );
                None
            }
        }
        .unwrap_or(fallback);
        let impact = props
            .get(&THREAT_IMPACT)
            .and_then(|p| self.cx.enum_value::<CiaLevel>(p));
        Threat {
            meta,
            stride,
            targets,
            hazards,
            exploitability,
            capec,
            cwe,
            impact,
        }
    }

    pub(super) fn cvss(&mut self, p: &Property) -> Option<Exploitability> {
        let v = self.cx.value(p, "a CVSS vector string")?;
        let Value::Str(s) = v else {
            self.cx.value_string(&p.key, v);
            return None;
        };
        let vector = match ward_cvss::parse(&s.value) {
            Ok(vector) => vector,
            Err(e) => {
                let offsets = crate::when::decoded_offsets(s, self.source_text(s.span.file));
                let range = e.span();
                let span = match (offsets.get(range.start), offsets.get(range.end)) {
                    (Some(a), Some(b)) if !offsets.is_empty() => {
                        Span::new(s.span.file, *a, (*b).max(*a))
                    }
                    _ => s.span,
                };
                self.cx.push(
                    Diagnostic::error(codes::BAD_CVSS, span, format!("invalid CVSS vector: {e}"))
                        .with_primary_label("invalid CVSS")
                        .with_help(e.help()),
                );
                return None;
            }
        };
        // Banded on the exact sub-score (docs/risk.md §5); the rounded one
        // is for display only.
        let level = match self.policy.cvss_band(vector.exploitability()) {
            Some(level) => level,
            None if self.bands_invalid => return None,
            None => {
                self.cx.push(
                    Diagnostic::error(
                        codes::CVSS_WITHOUT_BANDS,
                        p.key.span,
                        format!("policy `{}` has no `cvss_exploitability_bands`, so `cvss` cannot be scored", self.policy_name),
                    )
                    .with_primary_label("cannot map CVSS onto the exploitability scale")
                    .with_help("add `cvss_exploitability_bands` to the policy, or give `exploitability: LEVEL` instead"),
                );
                return None;
            }
        };
        Some(Exploitability::Cvss {
            vector: vector.to_string(),
            base_score: vector.base_score(),
            exploitability_subscore: vector.exploitability_rounded(),
            level,
            impacted: impacted_properties(&vector),
            attack_vector: vector.av.into(),
        })
    }

    /// The STRIDE categories of a threat or a rule.
    pub(super) fn stride(&mut self, props: &Props<'_>) -> Vec<Stride> {
        props
            .get(&THREAT_STRIDE)
            .map(|p| self.cx.enum_list::<Stride>(p))
            .unwrap_or_default()
    }

    /// The CAPEC and CWE ids of a threat or a rule.
    pub(super) fn capec_and_cwe(&mut self, props: &Props<'_>) -> (Vec<u32>, Vec<u32>) {
        let mut ids = |spec: &PropertySpec| {
            props
                .get(spec)
                .map(|p| self.cx.uint_list(p))
                .unwrap_or_default()
        };
        (ids(&THREAT_CAPEC), ids(&THREAT_CWE))
    }

    /// A threat reference: a hand-written threat's id, or `RULE@ELEMENT`.
    pub(super) fn threat_ref(&mut self, key: &Ident, v: &Value) -> Option<ThreatRefResolved> {
        match v {
            Value::Ref(r) if r.reverse.is_none() => self.hand_threat(&r.id, r.span),
            Value::ThreatRef(t) => self.resolve_threat_ref(t),
            other => {
                self.cx.wrong_value(
                    &key.name,
                    other,
                    "a threat id or `RULE@ELEMENT`",
                    "expected a threat",
                );
                None
            }
        }
    }

    fn hand_threat(&mut self, id: &Ident, span: Span) -> Option<ThreatRefResolved> {
        if let Some(entry) = self.cx.names.get(&id.name) {
            if entry.kind == DeclKind::Rule {
                self.cx.push(
                    Diagnostic::error(
                        codes::WRONG_KIND,
                        id.span,
                        format!(
                            "`{}` is a rule; name one of its threats as `{}@ELEMENT`",
                            id.name, id.name
                        ),
                    )
                    .with_primary_label("a rule, not a threat")
                    .with_label(entry.name_span, "the rule is declared here"),
                );
                return None;
            }
        }
        match self.cx.resolve(id, &[DeclKind::Threat])?.symbol {
            Symbol::Threat(threat) => Some(ThreatRefResolved {
                key: ThreatKey::Hand { threat },
                span,
            }),
            _ => None,
        }
    }

    pub(super) fn resolve_threat_ref(&mut self, t: &ast::ThreatRef) -> Option<ThreatRefResolved> {
        let Some(element_ref) = &t.element else {
            return self.hand_threat(&t.threat, t.span);
        };
        let rule_entry = self
            .cx
            .resolve(&t.threat, &[DeclKind::Rule, DeclKind::Vulnerability]);
        let element = self.cx.resolve_target(element_ref);
        let (rule_entry, element) = (rule_entry?, element?);
        if let Symbol::Vulnerability(vulnerability) = rule_entry.symbol {
            return self.vulnerability_threat_ref(t, vulnerability, element);
        }
        let Symbol::Rule(rule) = rule_entry.symbol else {
            return None;
        };
        if let Some(applies_to) = rule_entry.applies_to {
            let kind = match element {
                Target::Flow(_) => RuleTarget::Flow,
                Target::Element(e) => match self.element_kinds.get(e.index()) {
                    Some(DeclKind::Actor) => RuleTarget::Actor,
                    _ => RuleTarget::Component,
                },
            };
            if kind != applies_to {
                self.cx.push(
                    Diagnostic::error(
                        codes::RULE_TARGET_KIND,
                        element_ref.span,
                        format!(
                            "rule `{}` applies to {}s, but `{}` is {}",
                            t.threat.name,
                            applies_to.as_str(),
                            element_ref.id.name,
                            describe_kinds(&[match kind {
                                RuleTarget::Flow => DeclKind::Flow,
                                RuleTarget::Component => DeclKind::Component,
                                RuleTarget::Actor => DeclKind::Actor,
                            }])
                        ),
                    )
                    .with_primary_label(format!(
                        "not {}",
                        describe_kinds(&[match applies_to {
                            RuleTarget::Flow => DeclKind::Flow,
                            RuleTarget::Component => DeclKind::Component,
                            RuleTarget::Actor => DeclKind::Actor,
                        }])
                    ))
                    .with_label(
                        rule_entry.name_span,
                        format!("`{}` is declared here", t.threat.name),
                    )
                    .with_help("a rule only yields threats for elements of its `applies_to` kind"),
                );
                return None;
            }
        }
        Some(ThreatRefResolved {
            key: ThreatKey::Generated { rule, element },
            span: t.span,
        })
    }
}

impl Builder<'_> {
    /// `VULNERABILITY@COMPONENT`: a vulnerability's threat is on a component
    /// (E0120 for a flow or an actor).
    fn vulnerability_threat_ref(
        &mut self,
        t: &ast::ThreatRef,
        vulnerability: VulnerabilityId,
        element: Target,
    ) -> Option<ThreatRefResolved> {
        let component = match element {
            Target::Element(e)
                if self.element_kinds.get(e.index()) == Some(&DeclKind::Component) =>
            {
                Some(e)
            }
            _ => None,
        };
        let Some(element) = component else {
            let element_ref = t.element.as_ref()?;
            self.cx.push(
                Diagnostic::error(
                    codes::RULE_TARGET_KIND,
                    element_ref.span,
                    format!(
                        "`{}` is a vulnerability, whose threats are on components, but `{}` is not a component",
                        t.threat.name, element_ref.id.name
                    ),
                )
                .with_primary_label("not a component")
                .with_help("name a component that runs the affected software: `VULNERABILITY@COMPONENT`"),
            );
            return None;
        };
        Some(ThreatRefResolved {
            key: ThreatKey::Vulnerability {
                vulnerability,
                element,
            },
            span: t.span,
        })
    }
}
