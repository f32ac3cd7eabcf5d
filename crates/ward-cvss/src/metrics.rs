//! The CVSS v3 metric catalogue: every metric a v3.0/v3.1 vector may carry,
//! its allowed values, and the typed base metrics with their FIRST weights.
//!
//! The catalogue is listed in the specification's preferred order (CVSS v3.1
//! specification, Table 15), which is also the order of the canonical vector.

use std::fmt;

/// Which metric group a metric belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MetricGroup {
    /// The eight metrics every vector must carry; they alone set the base score.
    Base,
    /// E, RL, RC: accepted and kept, but they do not affect the base score.
    Temporal,
    /// CR, IR, AR and the modified base metrics: accepted and kept, but they
    /// do not affect the base score.
    Environmental,
}

/// One metric of the catalogue.
#[derive(Debug)]
pub struct MetricInfo {
    /// The abbreviation used in vectors, e.g. `AV`.
    pub abbrev: &'static str,
    /// The specification's name, e.g. `Attack Vector`.
    pub name: &'static str,
    /// The group the metric belongs to.
    pub group: MetricGroup,
    /// The allowed values as `(code, meaning)`, in the specification's order.
    pub values: &'static [(&'static str, &'static str)],
}

impl MetricInfo {
    /// Whether `code` is one of this metric's allowed values (case-sensitive,
    /// as the specification requires).
    pub fn allows(&self, code: &str) -> bool {
        self.values.iter().any(|(c, _)| *c == code)
    }

    /// The allowed codes in backticks, e.g. "`N`, `A`, `L` or `P`".
    pub fn allowed_codes(&self) -> String {
        backticked_list(self.values.iter().map(|(c, _)| *c), "or")
    }

    /// The allowed codes with their meanings, e.g. "`N` Network, `A` Adjacent".
    pub fn allowed_meanings(&self) -> String {
        self.values
            .iter()
            .map(|(c, m)| format!("`{c}` {m}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Joins items as "`a`, `b` and `c`" with the given last conjunction.
pub(crate) fn backticked_list<'a>(items: impl Iterator<Item = &'a str>, conj: &str) -> String {
    let items: Vec<String> = items.map(|i| format!("`{i}`")).collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conj} {last}", rest.join(", ")),
    }
}

const NOT_DEFINED: (&str, &str) = ("X", "Not Defined");
const CIA_VALUES: &[(&str, &str)] = &[("H", "High"), ("L", "Low"), ("N", "None")];
const MODIFIED_CIA_VALUES: &[(&str, &str)] =
    &[NOT_DEFINED, ("H", "High"), ("L", "Low"), ("N", "None")];
const REQUIREMENT_VALUES: &[(&str, &str)] =
    &[NOT_DEFINED, ("H", "High"), ("M", "Medium"), ("L", "Low")];

/// Every metric of CVSS v3.0/v3.1, in the specification's preferred order.
pub const METRICS: &[MetricInfo] = &[
    MetricInfo {
        abbrev: "AV",
        name: "Attack Vector",
        group: MetricGroup::Base,
        values: &[
            ("N", "Network"),
            ("A", "Adjacent"),
            ("L", "Local"),
            ("P", "Physical"),
        ],
    },
    MetricInfo {
        abbrev: "AC",
        name: "Attack Complexity",
        group: MetricGroup::Base,
        values: &[("L", "Low"), ("H", "High")],
    },
    MetricInfo {
        abbrev: "PR",
        name: "Privileges Required",
        group: MetricGroup::Base,
        values: &[("N", "None"), ("L", "Low"), ("H", "High")],
    },
    MetricInfo {
        abbrev: "UI",
        name: "User Interaction",
        group: MetricGroup::Base,
        values: &[("N", "None"), ("R", "Required")],
    },
    MetricInfo {
        abbrev: "S",
        name: "Scope",
        group: MetricGroup::Base,
        values: &[("U", "Unchanged"), ("C", "Changed")],
    },
    MetricInfo {
        abbrev: "C",
        name: "Confidentiality",
        group: MetricGroup::Base,
        values: CIA_VALUES,
    },
    MetricInfo {
        abbrev: "I",
        name: "Integrity",
        group: MetricGroup::Base,
        values: CIA_VALUES,
    },
    MetricInfo {
        abbrev: "A",
        name: "Availability",
        group: MetricGroup::Base,
        values: CIA_VALUES,
    },
    MetricInfo {
        abbrev: "E",
        name: "Exploit Code Maturity",
        group: MetricGroup::Temporal,
        values: &[
            NOT_DEFINED,
            ("H", "High"),
            ("F", "Functional"),
            ("P", "Proof-of-Concept"),
            ("U", "Unproven"),
        ],
    },
    MetricInfo {
        abbrev: "RL",
        name: "Remediation Level",
        group: MetricGroup::Temporal,
        values: &[
            NOT_DEFINED,
            ("U", "Unavailable"),
            ("W", "Workaround"),
            ("T", "Temporary Fix"),
            ("O", "Official Fix"),
        ],
    },
    MetricInfo {
        abbrev: "RC",
        name: "Report Confidence",
        group: MetricGroup::Temporal,
        values: &[
            NOT_DEFINED,
            ("C", "Confirmed"),
            ("R", "Reasonable"),
            ("U", "Unknown"),
        ],
    },
    MetricInfo {
        abbrev: "CR",
        name: "Confidentiality Requirement",
        group: MetricGroup::Environmental,
        values: REQUIREMENT_VALUES,
    },
    MetricInfo {
        abbrev: "IR",
        name: "Integrity Requirement",
        group: MetricGroup::Environmental,
        values: REQUIREMENT_VALUES,
    },
    MetricInfo {
        abbrev: "AR",
        name: "Availability Requirement",
        group: MetricGroup::Environmental,
        values: REQUIREMENT_VALUES,
    },
    MetricInfo {
        abbrev: "MAV",
        name: "Modified Attack Vector",
        group: MetricGroup::Environmental,
        values: &[
            NOT_DEFINED,
            ("N", "Network"),
            ("A", "Adjacent"),
            ("L", "Local"),
            ("P", "Physical"),
        ],
    },
    MetricInfo {
        abbrev: "MAC",
        name: "Modified Attack Complexity",
        group: MetricGroup::Environmental,
        values: &[NOT_DEFINED, ("L", "Low"), ("H", "High")],
    },
    MetricInfo {
        abbrev: "MPR",
        name: "Modified Privileges Required",
        group: MetricGroup::Environmental,
        values: &[NOT_DEFINED, ("N", "None"), ("L", "Low"), ("H", "High")],
    },
    MetricInfo {
        abbrev: "MUI",
        name: "Modified User Interaction",
        group: MetricGroup::Environmental,
        values: &[NOT_DEFINED, ("N", "None"), ("R", "Required")],
    },
    MetricInfo {
        abbrev: "MS",
        name: "Modified Scope",
        group: MetricGroup::Environmental,
        values: &[NOT_DEFINED, ("U", "Unchanged"), ("C", "Changed")],
    },
    MetricInfo {
        abbrev: "MC",
        name: "Modified Confidentiality",
        group: MetricGroup::Environmental,
        values: MODIFIED_CIA_VALUES,
    },
    MetricInfo {
        abbrev: "MI",
        name: "Modified Integrity",
        group: MetricGroup::Environmental,
        values: MODIFIED_CIA_VALUES,
    },
    MetricInfo {
        abbrev: "MA",
        name: "Modified Availability",
        group: MetricGroup::Environmental,
        values: MODIFIED_CIA_VALUES,
    },
];

/// Looks a metric up by its (case-sensitive) abbreviation.
pub fn metric(abbrev: &str) -> Option<&'static MetricInfo> {
    METRICS.iter().find(|m| m.abbrev == abbrev)
}

/// The base metrics, in canonical order.
pub(crate) fn base_metrics() -> impl Iterator<Item = &'static MetricInfo> {
    METRICS.iter().filter(|m| m.group == MetricGroup::Base)
}

/// Declares a typed base metric: an enum whose variants map one-to-one onto
/// the metric's codes, with a `code()` and a `from_code()`.
macro_rules! base_metric {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// The value's code as written in a vector.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The value for a code; `None` if the code is not one of this
            /// metric's values.
            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

base_metric!(
    /// AV: the context by which exploitation is possible.
    AttackVector {
        /// `N`: remotely exploitable, across routed networks.
        Network = "N",
        /// `A`: limited to a shared physical or logical network (Bluetooth, LAN).
        Adjacent = "A",
        /// `L`: needs local access or a user to open something locally.
        Local = "L",
        /// `P`: needs the attacker to touch or manipulate the device.
        Physical = "P",
    }
);

base_metric!(
    /// AC: conditions beyond the attacker's control that must exist.
    AttackComplexity {
        /// `L`: no specialised conditions.
        Low = "L",
        /// `H`: success depends on conditions beyond the attacker's control.
        High = "H",
    }
);

base_metric!(
    /// PR: the privileges an attacker must hold before exploiting.
    PrivilegesRequired {
        /// `N`: unauthorised.
        None = "N",
        /// `L`: basic user capabilities.
        Low = "L",
        /// `H`: administrative control.
        High = "H",
    }
);

base_metric!(
    /// UI: whether a user other than the attacker must take part.
    UserInteraction {
        /// `N`: no user interaction.
        None = "N",
        /// `R`: a user must take some action.
        Required = "R",
    }
);

base_metric!(
    /// S: whether the vulnerability affects resources beyond its own
    /// security authority.
    Scope {
        /// `U`: only resources managed by the same authority are affected.
        Unchanged = "U",
        /// `C`: resources beyond the vulnerable component are affected.
        Changed = "C",
    }
);

base_metric!(
    /// C, I, A: the impact on confidentiality, integrity or availability.
    ImpactValue {
        /// `H`: total loss.
        High = "H",
        /// `L`: some loss.
        Low = "L",
        /// `N`: no loss.
        None = "N",
    }
);

// The weights of the FIRST CVSS v3.0/v3.1 specification (§7.4); v3.1 did not
// change any base weight.

impl AttackVector {
    /// The specification's weight.
    pub fn weight(self) -> f64 {
        match self {
            AttackVector::Network => 0.85,
            AttackVector::Adjacent => 0.62,
            AttackVector::Local => 0.55,
            AttackVector::Physical => 0.2,
        }
    }
}

impl AttackComplexity {
    /// The specification's weight.
    pub fn weight(self) -> f64 {
        match self {
            AttackComplexity::Low => 0.77,
            AttackComplexity::High => 0.44,
        }
    }
}

impl PrivilegesRequired {
    /// The specification's weight, which depends on the scope: a changed
    /// scope makes low and high privileges weigh more.
    pub fn weight(self, scope: Scope) -> f64 {
        match (self, scope) {
            (PrivilegesRequired::None, _) => 0.85,
            (PrivilegesRequired::Low, Scope::Unchanged) => 0.62,
            (PrivilegesRequired::Low, Scope::Changed) => 0.68,
            (PrivilegesRequired::High, Scope::Unchanged) => 0.27,
            (PrivilegesRequired::High, Scope::Changed) => 0.5,
        }
    }
}

impl UserInteraction {
    /// The specification's weight.
    pub fn weight(self) -> f64 {
        match self {
            UserInteraction::None => 0.85,
            UserInteraction::Required => 0.62,
        }
    }
}

impl ImpactValue {
    /// The specification's weight.
    pub fn weight(self) -> f64 {
        match self {
            ImpactValue::High => 0.56,
            ImpactValue::Low => 0.22,
            ImpactValue::None => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_each_metric_once_with_base_first() {
        let abbrevs: Vec<&str> = METRICS.iter().map(|m| m.abbrev).collect();
        assert_eq!(
            abbrevs,
            [
                "AV", "AC", "PR", "UI", "S", "C", "I", "A", "E", "RL", "RC", "CR", "IR", "AR",
                "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA"
            ]
        );
        assert_eq!(base_metrics().count(), 8);
    }

    #[test]
    fn base_enums_accept_exactly_the_catalogue_codes() {
        let check = |abbrev: &str, parses: &dyn Fn(&str) -> bool| {
            let info = metric(abbrev).unwrap();
            for (code, _) in info.values {
                assert!(parses(code), "{abbrev}:{code} should parse");
            }
            for bad in ["X", "", "n", "Z"] {
                assert!(!parses(bad), "{abbrev}:{bad} should not parse");
            }
        };
        check("AV", &|c| AttackVector::from_code(c).is_some());
        check("AC", &|c| AttackComplexity::from_code(c).is_some());
        check("PR", &|c| PrivilegesRequired::from_code(c).is_some());
        check("UI", &|c| UserInteraction::from_code(c).is_some());
        check("S", &|c| Scope::from_code(c).is_some());
        check("C", &|c| ImpactValue::from_code(c).is_some());
    }

    #[test]
    fn codes_round_trip() {
        for av in [
            AttackVector::Network,
            AttackVector::Adjacent,
            AttackVector::Local,
            AttackVector::Physical,
        ] {
            assert_eq!(AttackVector::from_code(av.code()), Some(av));
        }
    }

    #[test]
    fn allowed_values_read_as_a_list() {
        assert_eq!(
            metric("AV").unwrap().allowed_codes(),
            "`N`, `A`, `L` or `P`"
        );
        assert_eq!(metric("AC").unwrap().allowed_codes(), "`L` or `H`");
        assert_eq!(
            metric("UI").unwrap().allowed_meanings(),
            "`N` None, `R` Required"
        );
    }

    #[test]
    fn scope_changed_raises_low_and_high_privilege_weights() {
        assert_eq!(PrivilegesRequired::Low.weight(Scope::Changed), 0.68);
        assert_eq!(PrivilegesRequired::High.weight(Scope::Changed), 0.5);
        assert_eq!(PrivilegesRequired::None.weight(Scope::Changed), 0.85);
        assert_eq!(PrivilegesRequired::Low.weight(Scope::Unchanged), 0.62);
        assert_eq!(PrivilegesRequired::High.weight(Scope::Unchanged), 0.27);
    }
}
