//! The base-score equations of CVSS v3.0/v3.1 (FIRST specification §7.1),
//! the two versions' Roundup functions, and the qualitative severity rating.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::metrics::{ImpactValue, Scope};

/// The CVSS v3.0 Roundup: the smallest number with one decimal place that is
/// equal to or higher than its input, computed as the v3.0 reference
/// calculator did (`ceil(x * 10) / 10`).
pub fn roundup_v3_0(value: f64) -> f64 {
    (value * 10.0).ceil() / 10.0
}

/// The CVSS v3.1 Roundup (specification Appendix A): the input is first
/// rounded to five decimal places, so that floating-point noise such as
/// `4.000000000000001` rounds up to 4.0 rather than 4.1.
pub fn roundup_v3_1(value: f64) -> f64 {
    let int_input = (value * 100_000.0).round() as i64;
    if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        (int_input.div_euclid(10_000) + 1) as f64 / 10.0
    }
}

/// Rounds to the nearest one-decimal number (halves away from zero), for
/// showing unrounded sub-scores such as the exploitability sub-score. The
/// input is first rounded to five decimals, like the v3.1 Roundup, so that
/// floating-point noise cannot tip a value across a half.
pub fn round_one_decimal(value: f64) -> f64 {
    let hundred_thousandths = (value * 100_000.0).round();
    (hundred_thousandths / 10_000.0).round() / 10.0
}

/// The Impact Sub-Score (ISS): `1 - (1 - C) x (1 - I) x (1 - A)`.
pub(crate) fn impact_sub_score(c: ImpactValue, i: ImpactValue, a: ImpactValue) -> f64 {
    1.0 - (1.0 - c.weight()) * (1.0 - i.weight()) * (1.0 - a.weight())
}

/// The Impact: `6.42 x ISS` if the scope is unchanged, else
/// `7.52 x (ISS - 0.029) - 3.25 x (ISS - 0.02)^15`. It may be negative
/// (scope changed, no impact).
pub(crate) fn impact(scope: Scope, iss: f64) -> f64 {
    match scope {
        Scope::Unchanged => 6.42 * iss,
        Scope::Changed => 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15),
    }
}

/// The base score before rounding: 0 without impact, else the capped sum of
/// impact and exploitability (times 1.08 if the scope changed). `None` means
/// the score is exactly 0 (no rounding applies).
pub(crate) fn unrounded_base(scope: Scope, impact: f64, exploitability: f64) -> Option<f64> {
    if impact <= 0.0 {
        return None;
    }
    Some(match scope {
        Scope::Unchanged => (impact + exploitability).min(10.0),
        Scope::Changed => (1.08 * (impact + exploitability)).min(10.0),
    })
}

/// The qualitative severity rating of a score (specification §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// 0.0
    None,
    /// 0.1 - 3.9
    Low,
    /// 4.0 - 6.9
    Medium,
    /// 7.0 - 8.9
    High,
    /// 9.0 - 10.0
    Critical,
}

impl Rating {
    /// The rating of a one-decimal score. Bounds sit halfway between the
    /// one-decimal values, so a score is never misrated by floating-point noise.
    pub fn of_score(score: f64) -> Rating {
        if score < 0.05 {
            Rating::None
        } else if score < 3.95 {
            Rating::Low
        } else if score < 6.95 {
            Rating::Medium
        } else if score < 8.95 {
            Rating::High
        } else {
            Rating::Critical
        }
    }

    /// The specification's name: `None`, `Low`, `Medium`, `High` or `Critical`.
    pub fn name(self) -> &'static str {
        match self {
            Rating::None => "None",
            Rating::Low => "Low",
            Rating::Medium => "Medium",
            Rating::High => "High",
            Rating::Critical => "Critical",
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_0_roundup_is_a_plain_ceiling_to_one_decimal() {
        assert_eq!(roundup_v3_0(4.02), 4.1);
        assert_eq!(roundup_v3_0(4.0), 4.0);
        assert_eq!(roundup_v3_0(9.81), 9.9);
        // The artefact that v3.1's Roundup was introduced to remove.
        assert_eq!(roundup_v3_0(4.000_000_000_000_001), 4.1);
        assert_eq!(roundup_v3_0(4.000_001), 4.1);
    }

    #[test]
    fn v3_1_roundup_ignores_noise_below_five_decimals() {
        assert_eq!(roundup_v3_1(4.02), 4.1);
        assert_eq!(roundup_v3_1(4.0), 4.0);
        assert_eq!(roundup_v3_1(4.000_000_000_000_001), 4.0);
        assert_eq!(roundup_v3_1(4.000_001), 4.0);
        assert_eq!(roundup_v3_1(4.000_01), 4.1);
        assert_eq!(roundup_v3_1(0.000_01), 0.1);
        assert_eq!(roundup_v3_1(10.0), 10.0);
    }

    #[test]
    fn one_decimal_rounding_is_to_nearest() {
        assert_eq!(round_one_decimal(3.887_042_775), 3.9);
        assert_eq!(round_one_decimal(0.120_923_52), 0.1);
        assert_eq!(round_one_decimal(2.835_254_73), 2.8);
        assert_eq!(round_one_decimal(1.25), 1.3);
        assert_eq!(round_one_decimal(1.249_999_999_999_999_8), 1.3);
        assert_eq!(round_one_decimal(0.0), 0.0);
    }

    #[test]
    fn ratings_follow_the_specification_bands() {
        let cases = [
            (0.0, Rating::None),
            (0.1, Rating::Low),
            (3.9, Rating::Low),
            (4.0, Rating::Medium),
            (6.9, Rating::Medium),
            (7.0, Rating::High),
            (8.9, Rating::High),
            (9.0, Rating::Critical),
            (10.0, Rating::Critical),
        ];
        for (score, rating) in cases {
            assert_eq!(Rating::of_score(score), rating, "{score}");
        }
    }

    #[test]
    fn impact_is_negative_when_scope_changed_and_nothing_is_lost() {
        let iss = impact_sub_score(ImpactValue::None, ImpactValue::None, ImpactValue::None);
        assert_eq!(iss, 0.0);
        assert!(impact(Scope::Changed, iss) < 0.0);
        assert_eq!(impact(Scope::Unchanged, iss), 0.0);
        assert_eq!(
            unrounded_base(Scope::Changed, impact(Scope::Changed, iss), 3.9),
            None
        );
    }
}
