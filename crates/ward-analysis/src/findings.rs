//! Findings (spec §4.8): what the analysis says about a model that compiles.
//! Each code is documented in `docs/diagnostics/CODE.md`.

use crate::multi_patient::FLEET_KINDS;
use crate::types::{Analysis, JudgedOn, ThreatAnalysis};
use std::collections::{HashMap, HashSet};
use ward_diagnostics::{Applicability, Diagnostic, Edit, Fix, Subject};
use ward_model::{
    Control, ControlId, ControlStatus, FlowId, HazardId, Model, RiskLevel, RuleGroupBy, RulePer,
    RuleTarget, TestResult, ThreatKey, ThreatRefResolved, VerificationItem,
};

pub mod codes {
    use ward_diagnostics::Code;

    /// Residual risk `unacceptable`, not accepted.
    pub const UNACCEPTABLE_RESIDUAL: Code = Code::E0401;
    /// Residual risk `review`, not accepted.
    pub const REVIEW_RESIDUAL: Code = Code::W0402;
    /// No mitigating control, initial risk above `acceptable`.
    pub const NO_CONTROL: Code = Code::W0403;
    /// An `accept` whose level differs from the judged residual risk.
    pub const STALE_ACCEPT: Code = Code::E0404;
    /// A `verified` control without a passing verification.
    pub const VERIFIED_WITHOUT_PASS: Code = Code::E0405;
    /// A control with no verification.
    pub const NO_VERIFICATION: Code = Code::W0406;
    /// A control that mitigates nothing.
    pub const MITIGATES_NOTHING: Code = Code::W0407;
    /// Verified residual worse than planned.
    pub const UNVERIFIED_RELIANCE: Code = Code::W0408;
    /// `RULE@ELEMENT` where the rule does not match the element.
    pub const STALE_REFERENCE: Code = Code::W0409;
    /// `RULE@FLOW` whose threat is kept under another id (`per: link`,
    /// `group_by`).
    pub const MERGED_REFERENCE: Code = Code::W0491;
    /// `per: link` or `group_by` on a rule whose threats it does not shape.
    pub const FLOW_SHAPE_ON_ELEMENT_RULE: Code = Code::W0490;
    /// A hazard-linked command, firmware or config flow in no use case.
    pub const FLOW_WITHOUT_USECASE: Code = Code::W0410;
    /// FDA control categories missing in a component.
    pub const FDA_COVERAGE: Code = Code::W0411;
    /// A control relied on without valid evidence (submission stage).
    pub const UNVERIFIED_CONTROL: Code = Code::E0430;
    /// A failed verification without a disposition (gap).
    pub const OPEN_FAILURE: Code = Code::W0431;
    /// Passing evidence produced on another version than the component's (gap).
    pub const STALE_EVIDENCE: Code = Code::W0432;
    /// A control without an `acceptance` criterion (submission stage).
    pub const NO_ACCEPTANCE_CRITERION: Code = Code::E0433;
    /// A hazard on a transferred row without a hazardous situation (gap).
    pub const NO_HAZARDOUS_SITUATION: Code = Code::W0436;
    /// A hazard on a transferred row without a risk management file reference.
    pub const NO_RMF_REFERENCE: Code = Code::W0437;
    /// No overall residual-risk statement (submission stage).
    pub const NO_OVERALL_RESIDUAL: Code = Code::E0438;
    /// Data without a confidentiality, integrity or availability rating (gap).
    pub const UNRATED_DATA: Code = Code::W0440;
    /// No `hazard` declared (a gap).
    pub const NO_HAZARDS: Code = Code::W0415;
    /// No data rated: every rating defaulted (a gap).
    pub const NO_DATA_RATINGS: Code = Code::W0416;
    /// Hazards declared but linked from no component or data (a gap).
    pub const NO_HAZARD_LINKS: Code = Code::W0417;
    /// A disposition `mitigated` while none of the threat's controls is verified.
    pub const MITIGATED_WITHOUT_EVIDENCE: Code = Code::W0161;
    /// A disposition whose targets changed since it was decided, or that
    /// pins no `target_hash` (gap).
    pub const STALE_DISPOSITION: Code = Code::W0162;
    /// A zone without `controlled_by` (a gap: an error at submission).
    pub const ZONE_WITHOUT_OWNER: Code = Code::W0439;
    /// An approval whose scope changed since it was approved (gap).
    pub const STALE_APPROVAL: Code = Code::W0450;
    /// Software past, or without, its end of support, or unsupported (gap).
    pub const SOFTWARE_UNSUPPORTED: Code = Code::W0460;
    /// A `not_affected` vulnerability without a VEX justification (gap).
    pub const NOT_AFFECTED_UNJUSTIFIED: Code = Code::W0470;
    /// A vulnerability of software no component runs (a stale record or feed).
    pub const VULNERABILITY_UNUSED: Code = Code::W0471;
    /// An open vulnerability without a CVSS vector: default exploitability.
    pub const VULNERABILITY_WITHOUT_CVSS: Code = Code::W0472;
    /// An open vulnerability whose range excludes every version in use.
    pub const VULNERABILITY_OUT_OF_RANGE: Code = Code::W0473;
    /// An unresolved anomaly without a rationale for release (gap).
    pub const ANOMALY_WITHOUT_RATIONALE: Code = Code::W0480;
    /// A device with software and no `monitoring` plan (submission stage;
    /// not in `ALL`, as E0434).
    pub const NO_MONITORING_PLAN: Code = Code::E0151;
    /// An open vulnerability past its plan's patch deadline (gap; not in
    /// `ALL`: it needs `as_of`, which a page's example cannot set).
    pub const PATCH_OVERDUE: Code = Code::W0481;
    /// The rules generate more threats than the model's budget. Not in
    /// `ALL`: its example would need a model too large for its page.
    pub const THREAT_BUDGET: Code = Code::E0420;
    /// The rules would be evaluated more often than the model's budget
    /// (not in `ALL`, as E0420).
    pub const EVALUATION_BUDGET: Code = Code::E0421;

    /// The findings about a model's missing medical facts (W0415-W0417):
    /// every minimal example without hazards or ratings has them.
    pub const MISSING_MEDICAL_FACTS: [Code; 3] = [NO_HAZARDS, NO_DATA_RATINGS, NO_HAZARD_LINKS];

    pub const ALL: [Code; 34] = [
        UNACCEPTABLE_RESIDUAL,
        REVIEW_RESIDUAL,
        NO_CONTROL,
        STALE_ACCEPT,
        VERIFIED_WITHOUT_PASS,
        NO_VERIFICATION,
        MITIGATES_NOTHING,
        UNVERIFIED_RELIANCE,
        STALE_REFERENCE,
        FLOW_WITHOUT_USECASE,
        FDA_COVERAGE,
        UNVERIFIED_CONTROL,
        OPEN_FAILURE,
        STALE_EVIDENCE,
        NO_ACCEPTANCE_CRITERION,
        NO_HAZARDOUS_SITUATION,
        NO_RMF_REFERENCE,
        NO_OVERALL_RESIDUAL,
        UNRATED_DATA,
        ZONE_WITHOUT_OWNER,
        STALE_APPROVAL,
        SOFTWARE_UNSUPPORTED,
        NOT_AFFECTED_UNJUSTIFIED,
        VULNERABILITY_UNUSED,
        VULNERABILITY_WITHOUT_CVSS,
        VULNERABILITY_OUT_OF_RANGE,
        ANOMALY_WITHOUT_RATIONALE,
        NO_HAZARDS,
        NO_DATA_RATINGS,
        NO_HAZARD_LINKS,
        MERGED_REFERENCE,
        FLOW_SHAPE_ON_ELEMENT_RULE,
        MITIGATED_WITHOUT_EVIDENCE,
        STALE_DISPOSITION,
    ];
}

/// Every finding, sorted by position.
pub fn findings(model: &Model, analysis: &Analysis) -> Vec<Diagnostic> {
    // About one per threat: sized once instead of grown by copying.
    let mut out = Vec::with_capacity(analysis.threats.len() + model.elements.len());
    for threat in &analysis.threats {
        let first = out.len();
        threat_findings(model, analysis.judged_on, threat, &mut out);
        let subject = threat_subject(model, threat);
        for finding in &mut out[first..] {
            finding.subject = subject.clone();
        }
    }
    control_findings(model, &mut out);
    crate::evidence_findings::evidence_findings(model, analysis, &mut out);
    crate::completeness::completeness_findings(model, analysis, &mut out);
    crate::medical_facts::medical_fact_findings(model, &analysis.missing_medical_facts, &mut out);
    stale_references(model, analysis, &mut out);
    flow_shape_on_element_rules(model, &mut out);
    crate::acceptance_checks::acceptance_checks(model, analysis, &mut out);
    crate::dispositions::disposition_findings(model, analysis, &mut out);
    flows_without_usecase(model, analysis, &mut out);
    crate::approvals::stale_approvals(model, analysis, &mut out);
    crate::zone_owner::zones_without_owner(model, &mut out);
    crate::software_support::software_support(model, analysis, &mut out);
    crate::vulnerability_findings::vulnerability_findings(model, analysis, &mut out);
    crate::postmarket::postmarket_findings(model, analysis, &mut out);
    crate::patch_timelines::patch_timelines(model, analysis, &mut out);
    if model.fda_coverage {
        fda_coverage(model, analysis, &mut out);
    }
    ward_diagnostics::sort(&mut out);
    out
}

fn names(ids: impl IntoIterator<Item = String>) -> String {
    ids.into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn control_names(model: &Model, controls: &[ControlId]) -> String {
    names(controls.iter().map(|c| model.control(*c).meta.name.clone()))
}

/// The threat a finding is about, its rule and its (first) target.
fn threat_subject(model: &Model, threat: &ThreatAnalysis) -> Subject {
    Subject {
        threat: Some(threat.id.clone()),
        rule: threat.rule.clone(),
        // A rule threat's element is the one its id names (for a grouped
        // threat, the element its flows go into), else the first target.
        element: match threat.key {
            ThreatKey::Generated { element, .. } => Some(model.target_name(element).to_string()),
            _ => (threat.targets.first()).map(|t| model.target_name(*t).to_string()),
        },
    }
}

/// Where a threat came from, as a note.
fn origin_note(model: &Model, threat: &ThreatAnalysis) -> Option<String> {
    if let ThreatKey::Vulnerability {
        vulnerability,
        element,
    } = threat.key
    {
        let v = model.vulnerability(vulnerability);
        return Some(format!(
            "`{}` is known vulnerability `{}` ({}) of software `{}` runs: {}",
            threat.id,
            v.meta.name,
            v.advisory,
            model.element(element).meta.name,
            threat.title
        ));
    }
    threat.rule.as_ref().map(|rule| {
        let element = threat
            .targets
            .first()
            .map_or("?", |t| model.target_name(*t));
        format!(
            "`{}` is generated by rule `{rule}` for `{element}`: {}",
            threat.id, threat.title
        )
    })
}

fn with_origin(model: &Model, threat: &ThreatAnalysis, diagnostic: Diagnostic) -> Diagnostic {
    match origin_note(model, threat) {
        Some(note) => diagnostic.with_note(note),
        None => diagnostic,
    }
}

fn threat_findings(
    model: &Model,
    judged_on: JudgedOn,
    threat: &ThreatAnalysis,
    out: &mut Vec<Diagnostic>,
) {
    let residual = threat.judged_residual(judged_on);
    let which = judged_on.residual_words();
    let explain = format!(
        "`ward check --explain-risk {}` shows how it was derived",
        threat.id
    );
    // A `not_applicable` or `false_positive` threat is not open risk.
    let dispositioned = threat.disposition.as_ref().is_some_and(|d| d.dispositioned);
    if dispositioned {
        return;
    }
    if threat.acceptance.is_none() {
        let first = match threat.judged {
            RiskLevel::Unacceptable => Some(
                Diagnostic::error(
                    codes::UNACCEPTABLE_RESIDUAL,
                    threat.span,
                    format!("threat `{}` has an unacceptable {which} risk and is not accepted", threat.id),
                )
                .with_primary_label(format!("{which} risk `unacceptable`"))
                .with_help(format!(
                    "add or strengthen a control with `mitigates: [{}]`, or accept it with a benefit-risk analysis \
                     (`accept {} {{ level: unacceptable, rationale: \"...\", benefit_risk: \"...\" }}`)",
                    threat.id, threat.id
                )),
            ),
            RiskLevel::Review => Some(
                Diagnostic::warning(
                    codes::REVIEW_RESIDUAL,
                    threat.span,
                    format!("threat `{}` has {which} risk `review` and is not accepted", threat.id),
                )
                .with_primary_label(format!("{which} risk `review`"))
                .with_help(format!(
                    "lower it with a control (`mitigates: [{}]`), or record the decision with \
                     `accept {} {{ level: review, rationale: \"...\" }}`",
                    threat.id, threat.id
                )),
            ),
            RiskLevel::Acceptable => None,
        };
        if let Some(diagnostic) = first {
            let diagnostic = diagnostic
                .with_note(residual_note(model, threat, residual))
                .with_note(explain.clone());
            out.push(with_origin(model, threat, diagnostic));
            return unverified_reliance(model, judged_on, threat, out);
        }
    }
    if threat.controls.is_empty() && threat.initial.overall > RiskLevel::Acceptable {
        let diagnostic = Diagnostic::warning(
            codes::NO_CONTROL,
            threat.span,
            format!(
                "threat `{}` has no mitigating control and its initial risk is `{}`",
                threat.id, threat.initial.overall
            ),
        )
        .with_primary_label(match &threat.acceptance {
            Some(a) => format!("initial risk `{}`, accepted at `{}` without any control", threat.initial.overall, a.level),
            None => format!("initial risk `{}`", threat.initial.overall),
        })
        .with_help(format!(
            "add a control with `mitigates: [{}]`: a protective measure, or at least a disclosure to users \
             (`option: information_for_safety`)",
            threat.id
        ))
        .with_note(explain);
        out.push(with_origin(model, threat, diagnostic));
    }
    if let Some(acceptance) = &threat.acceptance {
        if acceptance.stale {
            let accept = model.accept(acceptance.accept);
            let span = accept.level_span.unwrap_or(accept.meta.name_span);
            // An accept of several threats is named, with the threat pointed at.
            let in_list = accept.threats.len() > 1;
            let by = if in_list {
                format!(" by `accept {}`", accept.meta.name)
            } else {
                String::new()
            };
            let reference = accept
                .threats
                .iter()
                .find(|r| in_list && r.key == threat.key);
            let mut diagnostic = Diagnostic::error(
                codes::STALE_ACCEPT,
                span,
                format!(
                    "stale acceptance of `{}`{by}: it accepts `{}` but the {which} risk is `{}`",
                    threat.id, acceptance.level, threat.judged
                ),
            )
            .with_primary_label(format!("accepted at `{}`", acceptance.level));
            if let Some(reference) = reference {
                diagnostic = diagnostic
                    .with_label(reference.span, format!("`{}` is accepted here", threat.id));
            }
            out.push(
                diagnostic
                .with_label(threat.span, format!("`{}` has {which} risk `{}`", threat.id, threat.judged))
                .with_help(format!(
                    "review the acceptance and set `level: {}`, or remove the `accept` if it is no longer needed",
                    threat.judged
                )),
            );
        }
    }
    unverified_reliance(model, judged_on, threat, out);
}

fn residual_note(
    model: &Model,
    threat: &ThreatAnalysis,
    residual: &crate::types::Residual,
) -> String {
    let policy = model.policy();
    let exploitability = |level| policy.exploitability_name(level);
    let severity = |level| policy.severity_name(level);
    if residual.controls.is_empty() {
        let mut note = format!(
            "no control lowers it: exploitability `{}`",
            exploitability(threat.exploitability)
        );
        if let Some(s) = threat.severity {
            note.push_str(&format!(", severity `{}`", severity(s)));
        }
        note.push_str(&format!(", security impact `{}`", threat.impact));
        return note;
    }
    let mut note = format!(
        "after {}: exploitability `{}` -> `{}`",
        control_names(model, &residual.controls),
        exploitability(threat.exploitability),
        exploitability(residual.exploitability)
    );
    if let (Some(initial), Some(now)) = (threat.severity, residual.severity) {
        note.push_str(&format!(
            ", severity `{}` -> `{}`",
            severity(initial),
            severity(now)
        ));
    }
    note.push_str(&format!(", security impact `{}`", threat.impact));
    note
}

/// A verified residual worse than the planned one, when acceptability is
/// judged on the planned one (with `require_verified` the verified residual
/// is judged and reported directly).
fn unverified_reliance(
    model: &Model,
    judged_on: JudgedOn,
    threat: &ThreatAnalysis,
    out: &mut Vec<Diagnostic>,
) {
    if judged_on == JudgedOn::Verified
        || threat.verified.risk.overall <= threat.planned.risk.overall
    {
        return;
    }
    let unverified: Vec<ControlId> = threat
        .planned
        .controls
        .iter()
        .copied()
        .filter(|c| !threat.verified.controls.contains(c))
        .collect();
    let diagnostic = Diagnostic::warning(
        codes::UNVERIFIED_RELIANCE,
        threat.span,
        format!(
            "threat `{}`: verified residual risk `{}` is worse than planned `{}`",
            threat.id, threat.verified.risk.overall, threat.planned.risk.overall
        ),
    )
    .with_primary_label("acceptability rests on unverified controls")
    .with_note(format!(
        "not yet verified: {}",
        control_names(model, &unverified)
    ))
    .with_help(
        "verify these controls (a `verification` with `result: pass`, then `status: verified`)",
    );
    out.push(with_origin(model, threat, diagnostic));
}

fn passes(model: &Model, control: &Control) -> bool {
    control.verification.iter().any(|item| match item {
        VerificationItem::Ref { verification, .. } => {
            model.verification(*verification).result == Some(TestResult::Pass)
        }
        VerificationItem::Inline { .. } => false,
    })
}

fn control_findings(model: &Model, out: &mut Vec<Diagnostic>) {
    for control in &model.controls {
        let name = &control.meta.name;
        if control.status == ControlStatus::Verified && !passes(model, control) {
            out.push(
                Diagnostic::error(
                    codes::VERIFIED_WITHOUT_PASS,
                    control.status_span.unwrap_or(control.meta.name_span),
                    format!("control `{name}` is `verified` but no verification of it has `result: pass`"),
                )
                .with_primary_label("claimed verified")
                .with_help(
                    "link a `verification` whose `result` is `pass` in `verification: [...]`, \
                     or set `status: implemented` until it passes",
                ),
            );
        }
        if control.verification.is_empty() {
            out.push(
                Diagnostic::warning(
                    codes::NO_VERIFICATION,
                    control.meta.name_span,
                    format!("control `{name}` has no verification"),
                )
                .with_primary_label("no evidence that it works")
                .with_help(
                    "add `verification: [...]` naming the `verification` (or an inline `test \"...\"`) \
                     that shows the control is implemented and effective",
                ),
            );
        }
        if control.mitigates.is_empty() {
            out.push(
                Diagnostic::warning(
                    codes::MITIGATES_NOTHING,
                    control.meta.name_span,
                    format!("control `{name}` mitigates no threat"),
                )
                .with_primary_label("traced to no threat")
                .with_help(
                    "name the threats it addresses in `mitigates: [...]`, or remove the control",
                ),
            );
        }
    }
}

/// W0490: `per: link` or a flow `group_by` on a component or actor rule,
/// whose threats are one per element already, or `group_by: runs_on` on a
/// rule that does not apply to components.
fn flow_shape_on_element_rules(model: &Model, out: &mut Vec<Diagnostic>) {
    for rule in &model.rules {
        let shape_applies = match (rule.applies_to, rule.group_by) {
            (RuleTarget::Component, Some(RuleGroupBy::RunsOn)) => rule.per == RulePer::Direction,
            (_, Some(RuleGroupBy::RunsOn)) => false,
            (RuleTarget::Flow, _) => true,
            (_, group_by) => rule.per == RulePer::Direction && group_by.is_none(),
        };
        if shape_applies {
            continue;
        }
        out.push(
            Diagnostic::warning(
                codes::FLOW_SHAPE_ON_ELEMENT_RULE,
                rule.meta.name_span,
                format!(
                    "rule `{}` applies to {}s: `per` and `group_by` shape the threats of flow rules (`group_by: runs_on` those of component rules), and are ignored here",
                    rule.meta.name,
                    rule.applies_to.as_str()
                ),
            )
            .with_primary_label("not a flow rule")
            .with_help("remove `per` and `group_by`, or write `applies_to: flow` (`group_by: runs_on` needs `applies_to: component`)"),
        );
    }
}

fn stale_references(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    let generated: HashSet<ThreatKey> = analysis.threats.iter().map(|t| t.key).collect();
    let mut check = |reference: &ThreatRefResolved, context: String| {
        if let ThreatKey::Generated { rule, element } = reference.key {
            if !generated.contains(&reference.key) {
                let rule_name = &model.rule(rule).meta.name;
                let element_name = model.target_name(element);
                let kept =
                    crate::rules::kept_target(model, model.rule(rule), element).filter(|&kept| {
                        generated.contains(&ThreatKey::Generated {
                            rule,
                            element: kept,
                        })
                    });
                if let Some(kept) = kept {
                    let id = format!("{rule_name}@{}", model.target_name(kept));
                    out.push(
                        Diagnostic::warning(
                            codes::MERGED_REFERENCE,
                            reference.span,
                            format!(
                                "`{rule_name}@{element_name}` is part of the threat `{id}` ({context})"
                            ),
                        )
                        .with_primary_label(format!("write `{id}`"))
                        .with_help(format!(
                            "rule `{rule_name}` keeps one threat for {}; name it by its id",
                            match model.rule(rule).group_by {
                                Some(RuleGroupBy::RunsOn) => "the components on one runtime (`group_by: runs_on`)",
                                Some(_) => "the flows of one element (`group_by`)",
                                None => "both directions of a `<->` flow (`per: link`)",
                            }
                        ))
                        .with_fix(Fix::new(
                            format!("replace with `{id}`"),
                            Applicability::Safe,
                            vec![Edit::replace(reference.span, id.clone())],
                        )),
                    );
                    return;
                }
                out.push(
                    Diagnostic::warning(
                        codes::STALE_REFERENCE,
                        reference.span,
                        format!(
                            "stale reference `{rule_name}@{element_name}`: rule `{rule_name}` does not match \
                             `{element_name}`"
                        ),
                    )
                    .with_primary_label(format!("no such threat ({context})"))
                    .with_help(format!(
                        "the rule's `when` no longer holds for `{element_name}`: remove the reference, \
                         or check the element's properties"
                    )),
                );
            }
        }
    };
    for control in &model.controls {
        for reference in &control.mitigates {
            check(
                reference,
                format!("in `mitigates` of `{}`", control.meta.name),
            );
        }
    }
    for accept in &model.accepts {
        for reference in &accept.threats {
            check(reference, "accepted".to_string());
        }
    }
    for reference in model.dispositions.iter().filter_map(|d| d.threat.as_ref()) {
        check(reference, "dispositioned".to_string());
    }
}

/// Flows that carry command, firmware or config data linked to a hazard
/// (by that data or by a threat on the flow) yet appear in no use case.
/// One finding per flow declaration: either direction of a `<->` flow in a
/// use case covers it.
fn flows_without_usecase(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    let mut in_usecase = vec![false; model.flows.len()];
    for usecase in &model.usecases {
        for step in &usecase.steps {
            in_usecase[step.index()] = true;
        }
    }
    let mut threat_hazards: HashMap<FlowId, Vec<HazardId>> = HashMap::new();
    for threat in &analysis.threats {
        for target in &threat.targets {
            if let ward_model::Target::Flow(f) = target {
                threat_hazards
                    .entry(*f)
                    .or_default()
                    .extend_from_slice(&threat.hazards);
            }
        }
    }
    for (index, flow) in model.flows.iter().enumerate() {
        if flow.reverse_of.is_some() {
            continue;
        }
        let directions: Vec<FlowId> = std::iter::once(FlowId(index as u32))
            .chain(flow.reverse)
            .collect();
        if directions.iter().any(|f| in_usecase[f.index()]) {
            continue;
        }
        let fleet_data: Vec<_> = flow
            .carries
            .iter()
            .filter(|d| FLEET_KINDS.contains(&model.datum(**d).kind))
            .collect();
        if fleet_data.is_empty() {
            continue;
        }
        let mut hazards: Vec<HazardId> = Vec::new();
        for d in &flow.carries {
            let h = &model.datum(*d).hazards;
            hazards.extend(
                h.confidentiality
                    .iter()
                    .chain(&h.integrity)
                    .chain(&h.availability),
            );
        }
        for f in &directions {
            if let Some(list) = threat_hazards.get(f) {
                hazards.extend_from_slice(list);
            }
        }
        hazards.sort();
        hazards.dedup();
        if hazards.is_empty() {
            continue;
        }
        let data = fleet_data
            .iter()
            .map(|d| {
                format!(
                    "`{}` ({})",
                    model.datum(**d).meta.name,
                    model.datum(**d).kind
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let name = flow.meta.name.trim_end_matches(".reverse");
        out.push(
            Diagnostic::warning(
                codes::FLOW_WITHOUT_USECASE,
                flow.meta.name_span,
                format!(
                    "flow `{name}` carries {data}, linked to hazard {}, but is in no use case",
                    names(hazards.iter().map(|h| model.hazard(*h).meta.name.clone()))
                ),
            )
            .with_primary_label("in no `usecase`")
            .with_subject(Subject {
                element: Some(name.to_string()),
                ..Subject::default()
            })
            .with_help(format!(
                "add `{name}` to the `steps` of a `usecase` so the security use case view shows it"
            )),
        );
    }
}

fn fda_coverage(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    for coverage in &analysis.coverage {
        if !coverage.checked || coverage.missing.is_empty() {
            continue;
        }
        let element = model.element(coverage.element);
        let missing = names(coverage.missing.iter().map(|c| c.as_str().to_string()));
        let mut diagnostic = Diagnostic::warning(
            codes::FDA_COVERAGE,
            element.meta.name_span,
            format!(
                "component `{}` has no control in {} of the 8 FDA categories: {missing}",
                element.meta.name,
                coverage.missing.len()
            ),
        )
        .with_primary_label("FDA control categories not covered")
        .with_subject(Subject {
            element: Some(element.meta.name.clone()),
            ..Subject::default()
        })
        .with_help(format!(
            "add controls with `implemented_in: [{}]` in these categories, or explain in the security \
             architecture why they do not apply",
            element.meta.name
        ));
        if !coverage.covered.is_empty() {
            diagnostic = diagnostic.with_note(format!(
                "covered: {}",
                names(coverage.covered.iter().map(|(c, _)| c.as_str().to_string()))
            ));
        }
        out.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze;
    use crate::testkit::*;
    use ward_model::{CiaLevel::*, ComponentKind, DataKind, Trust};

    #[test]
    fn a_two_way_flow_is_covered_by_a_use_case_of_either_direction() {
        let mut m = TestModel::new();
        let home = m.zone("home", Trust::Untrusted);
        let h = m.hazard("h", SERIOUS);
        let cfg = m.data_with("cfg", DataKind::Config, [None, High, None], |d| {
            d.hazards.integrity = vec![h]
        });
        let tel = m.data_with("tel", DataKind::Telemetry, [None, High, None], |d| {
            d.hazards.integrity = vec![h]
        });
        let a = m.component("a", ComponentKind::MobileApp, home);
        let b = m.component("b", ComponentKind::Device, home);
        let (_, reverse) = m.flow_both("f_sync", a, b, &[cfg]);
        m.flow_both("f_other", a, b, &[cfg]);
        m.flow("f_tel", b, a, &[tel]); // no command, firmware or config: not checked
        m.usecase("u", &[reverse]);
        let analysis = analyze(&m.model);
        let messages: Vec<&str> = analysis
            .findings
            .iter()
            .filter(|d| d.code == super::codes::FLOW_WITHOUT_USECASE)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages, vec!["flow `f_other` carries `cfg` (config), linked to hazard `h`, but is in no use case"]);
    }
}
