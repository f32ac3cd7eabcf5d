//! The post-market plan's patch timelines (W0481): an open vulnerability
//! (`affected` or `under_investigation`) still open past the days the
//! `monitoring` plan allows for its risk. Judged only when the model gives
//! a date (`as_of` in `Ward.toml` or `--as-of`), never against the clock.

use crate::findings::codes::PATCH_OVERDUE;
use crate::stage::gap;
use crate::types::{Analysis, ExploitabilitySource};
use ward_diagnostics::Diagnostic;
use ward_model::{add_days, days_between, Model, RiskControlState, Vulnerability, VulnerabilityId};

/// Whether the risk of a vulnerability is controlled: every threat it
/// became (one per component that runs affected software) is controlled.
/// A vulnerability that became no threat counts as uncontrolled, the
/// shorter timeline. The analysis decided each threat's verdict; this only
/// reads it.
fn risk_state(analysis: &Analysis, id: VulnerabilityId) -> RiskControlState {
    let mut threats = analysis.threats.iter().filter(|t| {
        matches!(
            &t.exploitability_source,
            ExploitabilitySource::Vulnerability { vulnerability, .. } if *vulnerability == id
        )
    });
    let mut any = false;
    let all_controlled = threats.all(|t| {
        any = true;
        t.controlled
    });
    if any && all_controlled {
        RiskControlState::Controlled
    } else {
        RiskControlState::Uncontrolled
    }
}

/// When the clock starts: the KEV listing when the record gives its date
/// (an exploited vulnerability is urgent from then), else publication.
fn clock_start(v: &Vulnerability) -> Option<(&str, &'static str)> {
    if let Some(added) = v.kev.as_ref().and_then(|k| k.date_added.as_deref()) {
        return Some((added, "added to CISA's KEV catalog"));
    }
    v.published.as_deref().map(|p| (p, "published"))
}

pub(crate) fn patch_timelines(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    let (Some(plan), Some(as_of)) = (&model.monitoring, model.as_of.as_deref()) else {
        return;
    };
    for (i, v) in model.vulnerabilities.iter().enumerate() {
        if !v.is_open() {
            continue;
        }
        let Some((start, event)) = clock_start(v) else {
            continue;
        };
        let state = risk_state(analysis, VulnerabilityId(i as u32));
        let Some(days) = plan.patch_within.days(state) else {
            continue;
        };
        let (Some(open_for), Some(deadline)) = (days_between(start, as_of), add_days(start, days))
        else {
            continue;
        };
        let late = open_for - i64::from(days);
        if late <= 0 {
            continue;
        }
        let status = v.status.map_or("open", |s| s.as_str());
        out.push(
            gap(
                analysis.stage,
                PATCH_OVERDUE,
                v.meta.name_span,
                format!(
                    "vulnerability `{}` (`{}`) is still `{status}` {late} day{} past its patch deadline, {deadline}",
                    v.meta.name,
                    v.advisory,
                    if late == 1 { "" } else { "s" }
                ),
            )
            .with_primary_label(format!("deadline {deadline}, as of {as_of}"))
            .with_note(format!(
                "{event} on {start}; the plan `{}` allows {days} days for {} risk",
                plan.meta.name,
                state.as_str()
            ))
            .with_help(
                "ship the fix and record `status: fixed`, or, if the device is not affected, `status: not_affected` with its justification",
            ),
        );
    }
}
