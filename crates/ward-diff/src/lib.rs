//! `ward diff`: what changed between two versions of a model, in the words of
//! change control (threats and their risk with the inputs that moved them,
//! controls, invalidated evidence, stale acceptances, hazards reached,
//! findings), and reading a version at a git revision. `diff` compares two
//! analysed models once; the formats in `format` and `html` only render it.

mod compare;
mod facts;
mod format;
mod html;
mod identity;
pub mod provenance;
pub mod revision;
pub mod side;
mod types;

pub use compare::{diff, Side};
pub use format::{markdown, text};
pub use html::html;
pub use types::*;

/// What `--fail-on` can fail on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// A threat added, or its initial, planned, verified or judged risk rose.
    RiskIncrease,
    /// A threat not controlled that was controlled, or is new.
    NewUncontrolled,
    /// An acceptance no longer matches the judged residual risk.
    StaleAcceptance,
    /// Any content change (a provenance-only change is not one).
    AnyChange,
}

impl ModelDiff {
    /// Whether the diff meets a `--fail-on` condition.
    pub fn fails_on(&self, on: FailOn) -> bool {
        match on {
            FailOn::RiskIncrease => !self.summary.risk_increases.is_empty(),
            FailOn::NewUncontrolled => !self.summary.new_uncontrolled.is_empty(),
            FailOn::StaleAcceptance => self.summary.stale_acceptances > 0,
            FailOn::AnyChange => self.verdict == Verdict::Changed,
        }
    }

    /// The JSON form (docs/diff.md, docs/diff-schema.json).
    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a diff serialises");
        s.push('\n');
        s
    }
}
