//! The resolved view of an analysed model: everything a presenter shows,
//! built once per analysis ([`View::new`]) and read by every presenter
//! (`model.json`, the tables, the report, `--explain-risk`, the language
//! server's hover and inlay hints).
//!
//! The analysis decides facts (which residual is judged, which controls
//! count, where exploitability comes from); the view resolves them to the
//! names and wordings users read, once, so that two presenters never word
//! the same fact from two copies of the code. It knows no output format:
//! no JSON, Markdown, HTML, terminal or LSP types (that is the presenters'
//! job), and it decides no risk (that is the analysis').

mod about;
mod acceptance;
mod approvals;
mod coverage;
pub mod declarations;
mod disposition;
mod explain;
mod exploitability;
mod multi_patient;
mod paths;
mod residual;
mod table;
mod verdict;

pub use about::{AboutView, Reference};
pub use acceptance::AcceptanceView;
pub use approvals::ApprovalRecord;
pub use coverage::{CategoryControlsView, CoverageView};
pub use declarations::{Declarations, OutOfScope};
pub use disposition::DispositionView;
pub use explain::explain_risk;
pub use exploitability::ExploitabilitySourceView;
pub use multi_patient::MultiPatientView;
pub use paths::{Hop, PathView};
pub use residual::{HazardSeverityView, ResidualView, RiskView};
pub use table::{risk_table, stride_letters};
pub use verdict::{by_risk, ThreatStatus, Verdict};

use std::sync::Arc;
use ward_analysis::{Analysis, JudgedOn, Residual, ThreatAnalysis};
use ward_diagnostics::SourceMap;
use ward_model::{Model, Stage};

/// One analysis, resolved. Indexes follow the analysis: `threats[i]` is
/// `analysis.threats[i]`, `paths[i]` is `analysis.paths[i]`.
#[derive(Clone, Debug)]
pub struct View {
    pub judged_on: JudgedOn,
    pub stage: Stage,
    pub threats: Vec<ThreatView>,
    pub paths: Vec<PathView>,
    /// Indexed like `model.controls`.
    pub controls: Vec<ControlView>,
    /// Per component, as `analysis.coverage`; shared with model.json's
    /// document rather than copied.
    pub coverage: Arc<Vec<CoverageView>>,
    /// The model's declarations, resolved (names, levels, locations).
    pub declarations: Declarations,
    /// Each approval with its state; shared with model.json's document.
    pub approvals: Arc<Vec<ApprovalRecord>>,
    /// Whether every threat is controlled or accepted and every approval
    /// current, at the model's stage.
    pub verdict: Verdict,
}

/// What presenters show of one control beyond the model's own values.
#[derive(Clone, Debug)]
pub struct ControlView {
    /// Why its evidence does not hold, in a reader's words
    /// (`ControlEvidence::shortfall`); `None` when it counts as verified.
    /// Worded once per control, not once per threat it mitigates.
    pub shortfall: Option<String>,
}

/// What presenters show of one threat beyond the analysis' own values.
#[derive(Clone, Debug)]
pub struct ThreatView {
    /// What the threat is about, by name, in the analysis' order; shared
    /// with model.json's document.
    pub targets: Arc<Vec<String>>,
    pub affected_data: Arc<Vec<String>>,
    pub hazards: Arc<Vec<String>>,
    /// The controls that mitigate it.
    pub controls: Arc<Vec<String>>,
    pub exploitability_source: ExploitabilitySourceView,
    pub multi_patient: MultiPatientView,
    /// Shared, so that model.json's document holds them without a copy.
    pub initial: Arc<RiskView>,
    pub planned: Arc<ResidualView>,
    pub verified: Arc<ResidualView>,
    /// The threat's `accept`, if any.
    pub acceptance: Option<Arc<AcceptanceView>>,
    /// The threat's `disposition`, if any.
    pub disposition: Option<Arc<DispositionView>>,
    /// Its description, CAPEC and CWE references and suggested categories.
    pub about: Arc<AboutView>,
}

impl ThreatView {
    /// The residual acceptability is judged on, resolved.
    pub fn judged(&self, judged_on: JudgedOn) -> &ResidualView {
        match judged_on {
            JudgedOn::Planned => &self.planned,
            JudgedOn::Verified => &self.verified,
        }
    }
}

impl View {
    /// `sources` are the files `model` was compiled from: declarations'
    /// locations are resolved against them.
    pub fn new(model: &Model, analysis: &Analysis, sources: &SourceMap) -> View {
        let approvals = Arc::new(approvals::approval_records(model, analysis, sources));
        View {
            judged_on: analysis.judged_on,
            stage: analysis.stage,
            threats: analysis
                .threats
                .iter()
                .map(|t| ThreatView {
                    targets: Arc::new(
                        t.targets
                            .iter()
                            .map(|&x| model.target_name(x).to_string())
                            .collect(),
                    ),
                    affected_data: Arc::new(
                        t.affected_data
                            .iter()
                            .map(|&d| model.datum(d).meta.name.clone())
                            .collect(),
                    ),
                    hazards: Arc::new(
                        t.hazards
                            .iter()
                            .map(|&h| model.hazard(h).meta.name.clone())
                            .collect(),
                    ),
                    controls: Arc::new(
                        t.controls
                            .iter()
                            .map(|&c| model.control(c).meta.name.clone())
                            .collect(),
                    ),
                    exploitability_source: ExploitabilitySourceView::new(
                        model,
                        &t.exploitability_source,
                    ),
                    multi_patient: MultiPatientView::new(model, t),
                    initial: Arc::new(RiskView::new(&t.initial)),
                    planned: Arc::new(ResidualView::new(model, &t.planned)),
                    verified: Arc::new(ResidualView::new(model, &t.verified)),
                    acceptance: t
                        .acceptance
                        .as_ref()
                        .map(|a| Arc::new(AcceptanceView::new(model, a))),
                    disposition: t
                        .disposition
                        .as_ref()
                        .map(|d| Arc::new(DispositionView::new(model, d))),
                    about: Arc::new(AboutView::new(model, t)),
                })
                .collect(),
            paths: analysis
                .paths
                .iter()
                .map(|p| PathView::new(model, p))
                .collect(),
            controls: analysis
                .evidence
                .iter()
                .map(|e| ControlView {
                    shortfall: e.shortfall(model),
                })
                .collect(),
            coverage: Arc::new(
                analysis
                    .coverage
                    .iter()
                    .map(|c| CoverageView::new(model, c))
                    .collect(),
            ),
            declarations: Declarations::new(model, analysis, sources),
            verdict: Verdict::new(analysis, &approvals),
            approvals,
        }
    }

    /// The view of `analysis.threats[index]`.
    pub fn threat(&self, index: usize) -> &ThreatView {
        &self.threats[index]
    }

    /// The view of a threat of `analysis` (the analysis this view was built
    /// from), found by identity.
    pub fn of(&self, analysis: &Analysis, t: &ThreatAnalysis) -> &ThreatView {
        let index = analysis
            .threats
            .iter()
            .position(|x| std::ptr::eq(x, t))
            .expect("the threat belongs to the analysis this view was built from");
        &self.threats[index]
    }

    /// The residual acceptability is judged on (the analysis decided which).
    pub fn judged_residual<'t>(&self, t: &'t ThreatAnalysis) -> &'t Residual {
        t.judged_residual(self.judged_on)
    }

    /// Which residual is judged and why, as `--explain-risk` words it.
    pub fn judged_on_reason(&self) -> &'static str {
        match (self.judged_on, self.stage) {
            (JudgedOn::Planned, _) => "planned",
            (JudgedOn::Verified, Stage::Submission) => "verified (submission stage)",
            (JudgedOn::Verified, Stage::Design) => "verified (`require_verified: true`)",
        }
    }

    /// Which residual is judged, in one word (`planned`, `verified`).
    pub fn judged_on_word(&self) -> &'static str {
        match self.judged_on {
            JudgedOn::Planned => "planned",
            JudgedOn::Verified => "verified",
        }
    }
}
