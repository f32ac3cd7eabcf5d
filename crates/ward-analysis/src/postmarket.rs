//! Post-market findings: unresolved anomalies without a rationale for
//! release (W0480) and a cyber device without a monitoring plan at the
//! submission stage (E0151).

use crate::findings::codes::{ANOMALY_WITHOUT_RATIONALE, NO_MONITORING_PLAN};
use crate::stage::gap;
use crate::types::Analysis;
use ward_diagnostics::Diagnostic;
use ward_model::{Model, Stage};

pub(crate) fn postmarket_findings(model: &Model, analysis: &Analysis, out: &mut Vec<Diagnostic>) {
    for anomaly in model.anomalies.iter().filter(|a| a.rationale.is_none()) {
        out.push(
            gap(
                analysis.stage,
                ANOMALY_WITHOUT_RATIONALE,
                anomaly.meta.name_span,
                format!(
                    "anomaly `{}` states no rationale for releasing the device with it",
                    anomaly.meta.name
                ),
            )
            .with_primary_label("no `rationale`")
            .with_help(
                "add `rationale: \"...\"`: why the device can be released with this anomaly \
                 (FDA premarket cybersecurity guidance, unresolved anomalies)",
            ),
        );
    }
    // A device with software is a cyber device (FD&C Act 524B): its
    // submission needs the plan.
    if analysis.stage == Stage::Submission
        && model.monitoring.is_none()
        && !model.software.is_empty()
    {
        if let Some(system) = &model.system {
            out.push(
                Diagnostic::error(
                    NO_MONITORING_PLAN,
                    system.meta.name_span,
                    format!(
                        "system `{}` runs software but states no post-market monitoring plan",
                        system.meta.name
                    ),
                )
                .with_primary_label("no `monitoring`")
                .with_help(
                    "declare `monitoring NAME { sources: [...], cvd_contact: \"...\", \
                     patch_within { uncontrolled: DAYS, controlled: DAYS } }`",
                ),
            );
        }
    }
}
