//! A parsed CVSS v3 vector and its scores.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::CvssError;
use crate::metrics::{
    AttackComplexity, AttackVector, ImpactValue, PrivilegesRequired, Scope, UserInteraction,
};
use crate::score::{self, Rating};

/// The CVSS version named by the vector's `CVSS:3.x/` label. The versions
/// share their base metrics and weights; they differ in the Roundup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Version {
    /// `CVSS:3.0`
    V3_0,
    /// `CVSS:3.1`
    V3_1,
}

impl Version {
    /// The version number as written after `CVSS:`, e.g. `3.1`.
    pub fn number(self) -> &'static str {
        match self {
            Version::V3_0 => "3.0",
            Version::V3_1 => "3.1",
        }
    }

    /// This version's Roundup: [`score::roundup_v3_0`] or
    /// [`score::roundup_v3_1`].
    pub fn roundup(self, value: f64) -> f64 {
        match self {
            Version::V3_0 => score::roundup_v3_0(value),
            Version::V3_1 => score::roundup_v3_1(value),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.number())
    }
}

/// A valid CVSS v3.0 or v3.1 vector: the eight base metrics, typed, plus any
/// temporal and environmental metrics, which are kept (for the canonical
/// vector) but do not affect the scores computed here.
///
/// `Display` (and serde) give the canonical vector: the version label, then
/// the metrics in the specification's preferred order, without the
/// `X` (Not Defined) values, which mean the same as an absent metric.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CvssVector {
    /// The version label.
    pub version: Version,
    /// Attack Vector.
    pub av: AttackVector,
    /// Attack Complexity.
    pub ac: AttackComplexity,
    /// Privileges Required.
    pub pr: PrivilegesRequired,
    /// User Interaction.
    pub ui: UserInteraction,
    /// Scope.
    pub s: Scope,
    /// Confidentiality impact.
    pub c: ImpactValue,
    /// Integrity impact.
    pub i: ImpactValue,
    /// Availability impact.
    pub a: ImpactValue,
    /// The defined (non-`X`) temporal and environmental metrics, in canonical
    /// order; see [`CvssVector::supplementary_metrics`].
    pub(crate) others: Vec<(&'static str, &'static str)>,
}

impl CvssVector {
    /// A vector with the given base metrics and no other metrics.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        version: Version,
        av: AttackVector,
        ac: AttackComplexity,
        pr: PrivilegesRequired,
        ui: UserInteraction,
        s: Scope,
        c: ImpactValue,
        i: ImpactValue,
        a: ImpactValue,
    ) -> CvssVector {
        CvssVector {
            version,
            av,
            ac,
            pr,
            ui,
            s,
            c,
            i,
            a,
            others: Vec::new(),
        }
    }

    /// The defined temporal and environmental metrics as
    /// `(abbreviation, value code)`, in canonical order. They do not affect
    /// any score computed by this crate.
    pub fn supplementary_metrics(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.others.iter().copied()
    }

    /// The exploitability sub-score, `8.22 x AV x AC x PR x UI`, unrounded
    /// (between about 0.12 and 3.89). The PR weight depends on the scope.
    /// Use [`CvssVector::exploitability_rounded`] for display.
    pub fn exploitability(&self) -> f64 {
        8.22 * self.av.weight() * self.ac.weight() * self.pr.weight(self.s) * self.ui.weight()
    }

    /// The exploitability sub-score rounded to the nearest one-decimal
    /// number, as calculators display it (e.g. 3.887 as 3.9).
    pub fn exploitability_rounded(&self) -> f64 {
        score::round_one_decimal(self.exploitability())
    }

    /// The impact sub-score, unrounded: `6.42 x ISS` if the scope is
    /// unchanged, else `7.52 x (ISS - 0.029) - 3.25 x (ISS - 0.02)^15`, where
    /// `ISS = 1 - (1 - C) x (1 - I) x (1 - A)`. It is negative for a
    /// scope-changed vector without any impact.
    pub fn impact(&self) -> f64 {
        score::impact(self.s, score::impact_sub_score(self.c, self.i, self.a))
    }

    /// The base score, 0.0 to 10.0 with one decimal: 0 if the impact is not
    /// positive, else the version's Roundup of `min(impact + exploitability,
    /// 10)`, with the sum multiplied by 1.08 if the scope changed.
    pub fn base_score(&self) -> f64 {
        match score::unrounded_base(self.s, self.impact(), self.exploitability()) {
            None => 0.0,
            Some(value) => self.version.roundup(value),
        }
    }

    /// The qualitative severity rating of the base score.
    pub fn severity(&self) -> Rating {
        Rating::of_score(self.base_score())
    }
}

impl fmt::Display for CvssVector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CVSS:{}/AV:{}/AC:{}/PR:{}/UI:{}/S:{}/C:{}/I:{}/A:{}",
            self.version, self.av, self.ac, self.pr, self.ui, self.s, self.c, self.i, self.a
        )?;
        for (abbrev, code) in self.supplementary_metrics() {
            write!(f, "/{abbrev}:{code}")?;
        }
        Ok(())
    }
}

impl FromStr for CvssVector {
    type Err = CvssError;

    fn from_str(vector: &str) -> Result<CvssVector, CvssError> {
        crate::parse(vector)
    }
}

/// Serialises as the canonical vector string.
impl Serialize for CvssVector {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Deserialises from a vector string, with the parser's validation.
impl<'de> Deserialize<'de> for CvssVector {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CvssVector, D::Error> {
        let text = String::deserialize(deserializer)?;
        crate::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(text: &str) -> CvssVector {
        crate::parse(text).unwrap()
    }

    #[test]
    fn parses_the_typed_base_metrics() {
        let cvss = vector("CVSS:3.0/AV:P/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:H");
        let expected = CvssVector::new(
            Version::V3_0,
            AttackVector::Physical,
            AttackComplexity::High,
            PrivilegesRequired::Low,
            UserInteraction::Required,
            Scope::Changed,
            ImpactValue::Low,
            ImpactValue::None,
            ImpactValue::High,
        );
        assert_eq!(cvss, expected);
        assert_eq!(cvss.supplementary_metrics().count(), 0);
    }

    #[test]
    fn keeps_defined_supplementary_metrics_in_canonical_order() {
        let cvss = vector("CVSS:3.1/MAV:L/E:P/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:X/CR:H");
        let others: Vec<_> = cvss.supplementary_metrics().collect();
        assert_eq!(others, [("E", "P"), ("CR", "H"), ("MAV", "L")]);
        assert_eq!(
            cvss.to_string(),
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/CR:H/MAV:L"
        );
    }

    #[test]
    fn supplementary_metrics_do_not_change_the_scores() {
        let base = vector("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
        let full = vector(
            "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U/MAV:P/MAC:H/MPR:H/MS:C/MC:N",
        );
        assert_eq!(full.base_score(), base.base_score());
        assert_eq!(full.exploitability(), base.exploitability());
        assert_eq!(full.impact(), base.impact());
    }

    #[test]
    fn exploitability_uses_the_scope_changed_privilege_weight() {
        let unchanged = vector("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H");
        let changed = vector("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H");
        assert!((unchanged.exploitability() - 8.22 * 0.85 * 0.77 * 0.27 * 0.85).abs() < 1e-12);
        assert!((changed.exploitability() - 8.22 * 0.85 * 0.77 * 0.5 * 0.85).abs() < 1e-12);
        assert_eq!(unchanged.exploitability_rounded(), 1.2);
        assert_eq!(changed.exploitability_rounded(), 2.3);
    }

    #[test]
    fn the_exact_sub_score_can_sit_below_a_band_its_rounding_reaches() {
        // 8.22 x 0.55 x 0.77 x 0.5 x 0.85 = 1.4795...: below a 1.5 band
        // bound, though it displays as 1.5. Bands compare the exact value.
        let v = vector("CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:L/I:L/A:L");
        assert!((v.exploitability() - 1.479_5).abs() < 1e-4);
        assert!(v.exploitability() < 1.5);
        assert_eq!(v.exploitability_rounded(), 1.5);
    }

    #[test]
    fn from_str_and_serde_use_the_canonical_string() {
        let cvss: CvssVector = "CVSS:3.1/S:U/AV:A/AC:L/PR:N/UI:N/C:N/I:H/A:H"
            .parse()
            .unwrap();
        let json = serde_json::to_string(&cvss).unwrap();
        assert_eq!(json, "\"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H\"");
        let back: CvssVector = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cvss);
        let err = serde_json::from_str::<CvssVector>("\"CVSS:3.1/AV:A\"").unwrap_err();
        assert!(err.to_string().contains("lacks base metrics"), "{err}");
        assert_eq!(
            serde_json::to_string(&Rating::Critical).unwrap(),
            "\"critical\""
        );
    }

    #[test]
    fn versions_name_their_roundup() {
        assert_eq!(Version::V3_0.to_string(), "3.0");
        assert_eq!(Version::V3_1.number(), "3.1");
        assert_eq!(Version::V3_0.roundup(4.000_001), 4.1);
        assert_eq!(Version::V3_1.roundup(4.000_001), 4.0);
    }
}
