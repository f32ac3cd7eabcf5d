//! Why a threat can harm many patients, with names resolved.

use ward_analysis::{Analysis, ThreatAnalysis};
use ward_model::{Fleet, Model, Target};

/// Whether a threat is multi-patient, and why, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultiPatientView {
    pub multi_patient: bool,
    /// The shared element downstream that what the threat alters reaches,
    /// when that is a reason (docs/risk.md §10).
    pub reaches: Option<String>,
    /// Each reason, in target order, the downstream reach last; empty when
    /// the threat is not multi-patient.
    pub reasons: Vec<String>,
}

impl MultiPatientView {
    pub fn new(model: &Model, analysis: &Analysis, t: &ThreatAnalysis) -> MultiPatientView {
        let reaches = t.shared_reached.map(|e| model.element(e).meta.name.clone());
        if !t.multi_patient {
            return MultiPatientView {
                multi_patient: false,
                reaches,
                reasons: Vec::new(),
            };
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
        if let Some(shared) = &reaches {
            reasons.push(format!(
                "what it alters reaches `{shared}`, which is `fleet: shared`, along the \
                 modelled flows"
            ));
        }
        MultiPatientView {
            multi_patient: true,
            reaches,
            reasons,
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

    /// `no`, or `yes (REASON; REASON)`, for `--explain-risk`.
    pub fn explanation(&self) -> String {
        if self.multi_patient {
            format!("yes ({})", self.reasons.join("; "))
        } else {
            "no".into()
        }
    }
}
