//! A compact text table of the analysed threats, one line each: for the
//! terminal (`ward check --verbose`) and for snapshot tests.

use crate::{ThreatView, View};
use ward_analysis::{Analysis, ThreatAnalysis};
use ward_model::{Model, RiskLevel, Stride};

/// STRIDE as letters (`ST`, `D`).
pub fn stride_letters(stride: &[Stride]) -> String {
    let letter = |s: &Stride| match s {
        Stride::Spoofing => 'S',
        Stride::Tampering => 'T',
        Stride::Repudiation => 'R',
        Stride::InformationDisclosure => 'I',
        Stride::DenialOfService => 'D',
        Stride::ElevationOfPrivilege => 'E',
    };
    let mut letters: Vec<(usize, char)> = stride.iter().map(|s| (*s as usize, letter(s))).collect();
    letters.sort();
    letters.dedup();
    letters.into_iter().map(|(_, c)| c).collect()
}

fn risk(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::Acceptable => "acc",
        RiskLevel::Review => "rev",
        RiskLevel::Unacceptable => "UNACC",
    }
}

fn row(model: &Model, t: &ThreatAnalysis, view: &ThreatView) -> Vec<String> {
    let policy = model.policy();
    let source = view.exploitability_source.compact_text();
    let severity = |s: Option<ward_model::Level>| {
        s.map_or("-".to_string(), |s| policy.severity_name(s).to_string())
    };
    let acceptance = match &t.acceptance {
        Some(a) if a.stale => format!("{} STALE", risk(a.level)),
        Some(a) => risk(a.level).to_string(),
        None => "-".into(),
    };
    let mut flags = String::new();
    if t.controlled {
        flags.push('C');
    }
    if t.transferred {
        flags.push('X');
    }
    if t.multi_patient {
        flags.push('M');
    }
    vec![
        t.id.clone(),
        stride_letters(&t.stride),
        format!(
            "{} ({source})",
            policy.exploitability_name(t.exploitability)
        ),
        t.impact.to_string(),
        severity(t.severity),
        risk(t.initial.overall).to_string(),
        t.controls.len().to_string(),
        format!(
            "{}/{}",
            policy.exploitability_name(t.planned.exploitability),
            severity(t.planned.severity)
        ),
        risk(t.planned.risk.overall).to_string(),
        risk(t.verified.risk.overall).to_string(),
        acceptance,
        t.paths.len().to_string(),
        flags,
    ]
}

/// One line per threat, columns aligned. Flags: C controlled, X
/// transferred to the user, M multi-patient.
pub fn risk_table(model: &Model, analysis: &Analysis, view: &View) -> String {
    let header: Vec<String> = [
        "threat",
        "stride",
        "exploitability",
        "impact",
        "severity",
        "initial",
        "ctl",
        "residual expl/sev",
        "planned",
        "verified",
        "accepted",
        "paths",
        "flags",
    ]
    .map(String::from)
    .to_vec();
    let mut rows = vec![header];
    rows.extend(
        analysis
            .threats
            .iter()
            .zip(&view.threats)
            .map(|(t, v)| row(model, t, v)),
    );
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
