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
