//! Why a threat can harm many patients, with names resolved.

use ward_analysis::{Analysis, ThreatAnalysis};
use ward_model::{Fleet, Model, Target};

/// Whether a threat is multi-patient, and the shared element downstream
/// that makes it so; the reasons in full are worded on demand
/// ([`MultiPatientView::explanation`]: only `--explain-risk` shows them, for
/// one threat).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultiPatientView {
    pub multi_patient: bool,
    /// The shared element downstream that what the threat alters reaches,
    /// when that is a reason (docs/risk.md §10).
    pub reaches: Option<String>,
}

impl MultiPatientView {
    pub fn new(model: &Model, t: &ThreatAnalysis) -> MultiPatientView {
        MultiPatientView {
            multi_patient: t.multi_patient,
            reaches: t.shared_reached.map(|e| model.element(e).meta.name.clone()),
        }
    }

    /// The tables' cell: `yes`, `no`, or `yes (reaches X)` when the
    /// downstream reach is why.
    pub fn cell(&self) -> String {
        match (self.multi_patient, &self.reaches) {
            (true, Some(shared)) => format!("yes (reaches {shared})"),
            (true, None) => "yes".to_string(),
            (false, _) => "no".to_string(),
        }
    }

    /// `no`, or `yes (REASON; REASON)` with each reason in target order and
    /// the downstream reach last, for `--explain-risk`.
    pub fn explanation(&self, model: &Model, analysis: &Analysis, t: &ThreatAnalysis) -> String {
        if !self.multi_patient {
            return "no".into();
        }
        let mut reasons = Vec::new();
        for &target in &t.targets {
            match target {
                Target::Element(e) if analysis.elements[e.index()].multi_patient => {
                    let element = model.element(e);
                    reasons.push(if element.fleet == Fleet::Shared {
                        format!("`{}` is `fleet: shared`", element.meta.name)
                    } else {
                        format!(
                            "`{}` is reached from a shared element by command, firmware or \
                             config flows",
                            element.meta.name
                        )
                    });
                }
                Target::Flow(f) if analysis.flows[f.index()].multi_patient => {
                    let flow = model.flow(f);
                    reasons.push(match flow.source.map(|e| model.element(e)) {
                        Some(s) if s.fleet == Fleet::Shared => format!(
                            "flow `{}` leaves `{}`, which is `fleet: shared`",
                            flow.meta.name, s.meta.name
                        ),
                        _ => format!(
                            "flow `{}` relays command, firmware or config data from a shared \
                             element",
                            flow.meta.name
                        ),
                    });
                }
                _ => {}
            }
        }
        if let Some(shared) = &self.reaches {
            reasons.push(format!(
                "what it alters reaches `{shared}`, which is `fleet: shared`, along the \
                 modelled flows"
            ));
        }
        format!("yes ({})", reasons.join("; "))
    }
}
