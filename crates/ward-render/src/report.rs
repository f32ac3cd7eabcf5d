//! The data behind `report.html` that the tables and `doc` do not already
//! hold: heat maps, summary counts, filter keys of the risk register, the
//! views with their SVG, and the Content-Security-Policy hash of the script.

use serde::Serialize;
use sha2::{Digest, Sha256};
use ward_analysis::Analysis;
use ward_model::{Model, RiskLevel};
use ward_view::{ThreatStatus, View};

use crate::escape::base64;

#[derive(Serialize)]
pub struct HeatCell {
    pub count: usize,
    /// The matrix's risk level at this cell.
    pub risk: &'static str,
}

#[derive(Serialize)]
pub struct HeatRow {
    pub level: String,
    pub cells: Vec<HeatCell>,
}

#[derive(Serialize)]
pub struct HeatMap {
    pub title: String,
    /// What rows are (`severity`, `security impact`); columns are exploitability.
    pub rows_are: &'static str,
    pub columns: Vec<String>,
    /// Highest level first.
    pub rows: Vec<HeatRow>,
    pub total: usize,
}

#[derive(Clone, Serialize)]
pub struct ViewEntry {
    pub name: String,
    pub title: String,
    pub description: String,
    pub dot_file: String,
    /// The inline `<svg>` element, when Graphviz drew it.
    pub svg: Option<String>,
    pub svg_file: Option<String>,
}

#[derive(Serialize)]
pub struct RegisterFilter {
    /// Space-separated STRIDE categories.
    pub stride: String,
    /// The residual risk acceptability is judged on.
    pub risk: String,
    pub controlled: String,
}

#[derive(Serialize)]
pub struct Count {
    pub label: String,
    pub count: usize,
}

/// One of the highest uncontrolled risks on the report's first screen.
#[derive(Serialize)]
pub struct TopRisk {
    pub id: String,
    pub title: String,
    /// The judged residual risk.
    pub risk: &'static str,
    pub initial: &'static str,
    pub status: &'static str,
}

/// How many open threats the first screen lists.
pub const TOP_RISKS: usize = 10;

#[derive(Serialize)]
pub struct Report<'v> {
    pub heatmaps: Vec<HeatMap>,
    /// Up to [`TOP_RISKS`] open threats (uncontrolled or stale-accepted),
    /// highest risk first.
    pub top_risks: Vec<TopRisk>,
    pub views: Vec<ViewEntry>,
    /// Why there is no SVG, when there is none.
    pub svg_note: Option<String>,
    /// One per risk-register row, in the same order.
    pub register_filters: Vec<RegisterFilter>,
    pub stride_values: Vec<String>,
    pub risk_values: Vec<String>,
    pub summary: Vec<Count>,
    /// `'sha256-...'` of the inline script, for the CSP.
    pub script_hash: String,
    /// The elements and flows marked `out_of_scope`, with their reasons.
    pub out_of_scope: Vec<ward_view::OutOfScope<'v>>,
}

fn count_grid(
    rows: usize,
    columns: usize,
    cells: impl Iterator<Item = (usize, usize)>,
) -> Vec<Vec<usize>> {
    let mut grid = vec![vec![0; columns]; rows];
    for (r, c) in cells {
        if let Some(cell) = grid.get_mut(r).and_then(|row| row.get_mut(c)) {
            *cell += 1;
        }
    }
    grid
}

fn heat_map(
    title: String,
    rows_are: &'static str,
    row_names: &[String],
    columns: &[String],
    grid: Vec<Vec<usize>>,
    risk: impl Fn(usize, usize) -> RiskLevel,
) -> HeatMap {
    let total = grid.iter().flatten().sum();
    let rows = grid
        .into_iter()
        .enumerate()
        .rev()
        .map(|(r, counts)| HeatRow {
            level: row_names.get(r).cloned().unwrap_or_default(),
            cells: counts
                .into_iter()
                .enumerate()
                .map(|(c, count)| HeatCell {
                    count,
                    risk: risk(r, c).as_str(),
                })
                .collect(),
        })
        .collect();
    HeatMap {
        title,
        rows_are,
        columns: columns.to_vec(),
        rows,
        total,
    }
}

fn heat_maps(model: &Model, analysis: &Analysis, view: &View) -> Vec<HeatMap> {
    let policy = model.policy();
    let (sev, exp) = (policy.severity.len(), policy.exploitability.len());
    let impacts: Vec<String> = policy
        .security_impact
        .iter()
        .map(|l| l.as_str().to_string())
        .collect();
    let with_hazards = || analysis.threats.iter().filter(|t| t.severity.is_some());
    let safety_risk = |r: usize, c: usize| {
        policy.safety_risk(ward_model::Level(r as u32), ward_model::Level(c as u32))
    };
    let security_risk = |r: usize, c: usize| {
        let impact = policy
            .security_impact
            .get(r)
            .copied()
            .unwrap_or(ward_model::CiaLevel::High);
        policy.security_risk(impact, ward_model::Level(c as u32))
    };
    let basis = format!("{} controls", view.judged_on_word());
    vec![
        heat_map(
            "Safety-related security risk: threats before controls".into(),
            "severity",
            &policy.severity,
            &policy.exploitability,
            count_grid(
                sev,
                exp,
                with_hazards().map(|t| {
                    (
                        t.severity.map_or(0, |s| s.index()),
                        t.exploitability.index(),
                    )
                }),
            ),
            safety_risk,
        ),
        heat_map(
            format!("Safety-related security risk: threats after {basis}"),
            "severity",
            &policy.severity,
            &policy.exploitability,
            count_grid(
                sev,
                exp,
                with_hazards().map(|t| {
                    let r = view.judged_residual(t);
                    (
                        r.severity.or(t.severity).map_or(0, |s| s.index()),
                        r.exploitability.index(),
                    )
                }),
            ),
            safety_risk,
        ),
        heat_map(
            "Security risk: threats before controls".into(),
            "security impact",
            &impacts,
            &policy.exploitability,
            count_grid(
                impacts.len(),
                exp,
                analysis
                    .threats
                    .iter()
                    .map(|t| (t.impact as usize, t.exploitability.index())),
            ),
            security_risk,
        ),
        heat_map(
            format!("Security risk: threats after {basis}"),
            "security impact",
            &impacts,
            &policy.exploitability,
            count_grid(
                impacts.len(),
                exp,
                analysis.threats.iter().map(|t| {
                    (
                        t.impact as usize,
                        view.judged_residual(t).exploitability.index(),
                    )
                }),
            ),
            security_risk,
        ),
    ]
}

fn summary(
    model: &Model,
    analysis: &Analysis,
    diagnostics: &[ward_diagnostics::Diagnostic],
) -> Vec<Count> {
    let threats = &analysis.threats;
    let count = |label: &str, n: usize| Count {
        label: label.to_string(),
        count: n,
    };
    let mut out = vec![
        count("threats", threats.len()),
        count(
            "rule-generated threats",
            threats.iter().filter(|t| t.rule.is_some()).count(),
        ),
        count(
            "threats leading to a hazard",
            threats.iter().filter(|t| !t.hazards.is_empty()).count(),
        ),
        count(
            "multi-patient threats",
            threats.iter().filter(|t| t.multi_patient).count(),
        ),
    ];
    for level in RiskLevel::ALL {
        out.push(count(
            &format!("residual risk {level}"),
            threats.iter().filter(|t| t.judged == *level).count(),
        ));
    }
    out.extend([
        count(
            "controlled threats",
            threats.iter().filter(|t| t.controlled).count(),
        ),
        count(
            "event-detection gaps (threats of an unrecorded action)",
            threats.iter().filter(|t| t.detection_gap).count(),
        ),
        count(
            "threats whose planned residual rests on unverified controls",
            threats.iter().filter(|t| t.rests_on_unverified()).count(),
        ),
        count(
            "controls counted as verified",
            analysis.evidence.iter().filter(|e| e.verified).count(),
        ),
        count(
            "accepted threats",
            threats.iter().filter(|t| t.acceptance.is_some()).count(),
        ),
        count("controls", model.controls.len()),
        count("verifications", model.verifications.len()),
        count(
            "error findings",
            diagnostics.iter().filter(|d| d.is_error()).count(),
        ),
        count(
            "warnings",
            diagnostics.iter().filter(|d| !d.is_error()).count(),
        ),
    ]);
    out
}

fn top_risks(analysis: &Analysis) -> Vec<TopRisk> {
    ward_view::by_risk(analysis)
        .into_iter()
        .map(|i| &analysis.threats[i])
        .filter(|t| ThreatStatus::of(t).is_open())
        .take(TOP_RISKS)
        .map(|t| TopRisk {
            id: t.id.clone(),
            title: t.title.clone(),
            risk: t.judged.as_str(),
            initial: t.initial.overall.as_str(),
            status: ThreatStatus::of(t).as_str(),
        })
        .collect()
}

/// `'sha256-<base64>'` of a script's exact text.
pub fn csp_hash(script: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(script.as_bytes())))
}

/// One per threat, in risk-register order: what the report's filters read.
pub fn register_filters(analysis: &Analysis) -> Vec<RegisterFilter> {
    analysis
        .threats
        .iter()
        .map(|t| RegisterFilter {
            stride: t
                .stride
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            risk: t.judged.as_str().into(),
            controlled: if t.controlled { "yes" } else { "no" }.into(),
        })
        .collect()
}

pub fn build<'v>(
    model: &Model,
    analysis: &Analysis,
    view: &'v View,
    diagnostics: &[ward_diagnostics::Diagnostic],
    views: Vec<ViewEntry>,
    svg_note: Option<String>,
    script: &str,
) -> Report<'v> {
    let register_filters = register_filters(analysis);
    Report {
        heatmaps: heat_maps(model, analysis, view),
        top_risks: top_risks(analysis),
        views,
        svg_note,
        register_filters,
        stride_values: ward_model::Stride::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        risk_values: RiskLevel::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        summary: summary(model, analysis, diagnostics),
        script_hash: csp_hash(script),
        out_of_scope: view.declarations.out_of_scope(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_hash_is_base64_sha256() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }
}
