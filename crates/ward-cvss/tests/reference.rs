//! Scores checked against the reference implementation: RedHat's PyPI
//! package `cvss`, version 3.6 (which computes in exact decimal arithmetic).
//!
//! Every expected value below came from that package, through
//! `scripts/cvss-reference.py`. To regenerate the table (after
//! `python3 -m venv /tmp/cvss-venv && /tmp/cvss-venv/bin/pip install cvss`):
//!
//! ```text
//! grep -o '"CVSS:[^"]*", [0-9]' tests/reference.rs | cut -d'"' -f2 \
//!   | /tmp/cvss-venv/bin/python scripts/cvss-reference.py --rust
//! ```
//!
//! and `tests/reference/all-base-scores.txt` with
//! `scripts/cvss-reference.py --all-base > tests/reference/all-base-scores.txt`.

use ward_cvss::{parse, Rating, Version};

/// (vector, base score, exploitability sub-score, impact sub-score,
/// severity, canonical vector), from PyPI cvss 3.6.
#[rustfmt::skip]
const REFERENCE: &[(&str, f64, f64, f64, &str, &str)] = &[
    // CVSS v3.1, scope unchanged, every attack vector
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, 3.887042775, 5.87311872, "Critical", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
    ("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H", 8.1, 2.83525473, 5.177088, "High", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H"),
    ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, 1.83457659, 5.87311872, "High", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"),
    ("CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8, 0.9145983, 5.87311872, "Medium", "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, 3.887042775, 3.5952, "High", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),
    ("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2, 1.234707705, 5.87311872, "High", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"),
    ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L", 1.6, 0.121090464, 1.4124, "Low", "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L"),
    ("CVSS:3.1/AV:A/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N", 3.7, 1.181753232, 2.514072, "Low", "CVSS:3.1/AV:A/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N"),
    // CVSS v3.1, scope changed, PR weights
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, 3.887042775, 6.047730491545, "Critical", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"),
    ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, 3.10963422, 6.047730491545, "Critical", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"),
    ("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 9.1, 2.28649575, 6.047730491545, "Critical", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H"),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, 2.83525473, 2.726750843837, "Medium", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),
    ("CVSS:3.1/AV:A/AC:H/PR:L/UI:R/S:C/C:L/I:H/A:N", 6.2, 0.9454025856, 4.717324107011, "Medium", "CVSS:3.1/AV:A/AC:H/PR:L/UI:R/S:C/C:L/I:H/A:N"),
    ("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:C/C:N/I:N/A:L", 2.3, 0.6166644, 1.436319999894, "Low", "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:C/C:N/I:N/A:L"),
    ("CVSS:3.1/AV:P/AC:L/PR:L/UI:N/S:C/C:H/I:L/A:L", 6.5, 0.73167864, 5.268807630774, "Medium", "CVSS:3.1/AV:P/AC:L/PR:L/UI:N/S:C/C:H/I:L/A:L"),
    // CVSS v3.0
    ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, 3.887042775, 5.87311872, "Critical", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
    ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, 3.887042775, 6.047730491545, "Critical", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"),
    ("CVSS:3.0/AV:A/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N", 6.8, 2.268203784, 3.992805377514, "Medium", "CVSS:3.0/AV:A/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"),
    ("CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.0, 1.04832948, 5.87311872, "High", "CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H"),
    ("CVSS:3.0/AV:P/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:L", 4.8, 0.66711876, 3.733172270817, "Medium", "CVSS:3.0/AV:P/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:L"),
    ("CVSS:3.0/AV:N/AC:H/PR:H/UI:R/S:C/C:L/I:L/A:L", 5.1, 0.9530268, 3.733172270817, "Medium", "CVSS:3.0/AV:N/AC:H/PR:H/UI:R/S:C/C:L/I:L/A:L"),
    ("CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:C/C:L/I:N/A:N", 3.2, 1.47949725, 1.436319999894, "Low", "CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:C/C:L/I:N/A:N"),
    ("CVSS:3.0/AV:A/AC:L/PR:H/UI:R/S:U/C:N/I:L/A:N", 2.1, 0.6569157672, 1.4124, "Low", "CVSS:3.0/AV:A/AC:L/PR:H/UI:R/S:U/C:N/I:L/A:N"),
    // Rounding edge cases: the unrounded base scores closest above a tenth
    // (5.50032, 6.00047, 6.90055), in both versions
    ("CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:L/A:L", 5.6, 0.798928515, 4.70139168, "Medium", "CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:L/A:L"),
    ("CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:L/A:L", 5.6, 0.798928515, 4.70139168, "Medium", "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:L/A:L"),
    ("CVSS:3.0/AV:L/AC:H/PR:L/UI:R/S:C/C:H/I:L/A:N", 6.1, 0.838663584, 4.717324107011, "Medium", "CVSS:3.0/AV:L/AC:H/PR:L/UI:R/S:C/C:H/I:L/A:N"),
    ("CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:C/C:H/I:L/A:N", 6.1, 0.838663584, 4.717324107011, "Medium", "CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:C/C:H/I:L/A:N"),
    ("CVSS:3.0/AV:P/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:L", 7.0, 0.41810208, 5.971293208825, "High", "CVSS:3.0/AV:P/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:L"),
    ("CVSS:3.1/AV:P/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:L", 7.0, 0.41810208, 5.971293208825, "High", "CVSS:3.1/AV:P/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:L"),
    // No impact: base score 0.0, exploitability still computed
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, 3.887042775, 0.0, "None", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0.0, 3.887042775, -0.21808, "None", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N"),
    ("CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:C/C:N/I:N/A:N", 0.0, 0.2242416, -0.21808, "None", "CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:C/C:N/I:N/A:N"),
    // Temporal and environmental metrics: accepted, no effect on the base score
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C", 6.1, 2.83525473, 2.726750843837, "Medium", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C"),
    ("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H/E:F/RL:O/RC:R/CR:H/IR:H/AR:M/MAV:N/MAC:H/MPR:L/MUI:R/MS:C/MC:H/MI:H/MA:N", 8.1, 2.83525473, 5.177088, "High", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H/E:F/RL:O/RC:R/CR:H/IR:H/AR:M/MAV:N/MAC:H/MPR:L/MUI:R/MS:C/MC:H/MI:H/MA:N"),
    ("CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X", 7.8, 1.83457659, 5.87311872, "High", "CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"),
    ("CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N/E:U/RL:T/RC:U/MAV:P/MS:U", 6.4, 3.10963422, 2.726750843837, "Medium", "CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N/E:U/RL:T/RC:U/MAV:P/MS:U"),
    // Metrics in another order
    ("CVSS:3.1/S:U/A:H/E:H/I:L/C:N/UI:N/PR:L/AC:H/AV:A", 5.4, 1.181753232, 4.216656, "Medium", "CVSS:3.1/AV:A/AC:H/PR:L/UI:N/S:U/C:N/I:L/A:H/E:H"),
];

/// Sub-scores are unrounded, so they are compared with a tolerance far below
/// anything that could change a displayed or banded value.
const TOLERANCE: f64 = 1e-9;

fn rating(name: &str) -> Rating {
    match name {
        "None" => Rating::None,
        "Low" => Rating::Low,
        "Medium" => Rating::Medium,
        "High" => Rating::High,
        "Critical" => Rating::Critical,
        other => panic!("unknown rating {other} in the reference table"),
    }
}

#[test]
fn reference_table_is_large_and_covers_both_versions() {
    assert!(REFERENCE.len() >= 25);
    for version in ["CVSS:3.0/", "CVSS:3.1/"] {
        assert!(
            REFERENCE
                .iter()
                .filter(|row| row.0.starts_with(version))
                .count()
                >= 10
        );
    }
}

#[test]
fn base_scores_match_the_reference() {
    for &(vector, base, ..) in REFERENCE {
        let cvss = parse(vector).unwrap_or_else(|e| panic!("{vector}: {e}"));
        assert_eq!(cvss.base_score(), base, "base score of {vector}");
    }
}

#[test]
fn exploitability_sub_scores_match_the_reference() {
    for &(vector, _, exploitability, ..) in REFERENCE {
        let cvss = parse(vector).unwrap();
        let got = cvss.exploitability();
        assert!(
            (got - exploitability).abs() < TOLERANCE,
            "{vector}: {got} != {exploitability}"
        );
    }
}

#[test]
fn impact_sub_scores_match_the_reference() {
    for &(vector, _, _, impact, ..) in REFERENCE {
        let got = parse(vector).unwrap().impact();
        assert!(
            (got - impact).abs() < TOLERANCE,
            "{vector}: {got} != {impact}"
        );
    }
}

#[test]
fn severities_match_the_reference() {
    for &(vector, _, _, _, severity, _) in REFERENCE {
        assert_eq!(
            parse(vector).unwrap().severity(),
            rating(severity),
            "{vector}"
        );
    }
}

#[test]
fn canonical_vectors_match_the_reference_and_reparse_to_the_same_vector() {
    for &(vector, .., canonical) in REFERENCE {
        let cvss = parse(vector).unwrap();
        assert_eq!(cvss.to_string(), canonical, "{vector}");
        assert_eq!(parse(canonical).unwrap(), cvss, "{canonical}");
    }
}

#[test]
fn rounded_exploitability_is_the_reference_rounded_to_one_decimal() {
    for &(vector, _, exploitability, ..) in REFERENCE {
        let expected = (exploitability * 10.0).round() / 10.0;
        assert_eq!(
            parse(vector).unwrap().exploitability_rounded(),
            expected,
            "{vector}"
        );
    }
}

/// Every one of the 2592 combinations of base metric values, in both
/// versions, against the reference's base score and exploitability sub-score. This is exhaustive for the
/// base score, which depends on nothing else; it shows in particular that
/// the v3.0 ceiling and the v3.1 Roundup never differ on a base score (the
/// closest an unrounded base score comes above a tenth is 0.00032, e.g. 5.50032
/// for `AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:L/A:L`).
#[test]
fn every_base_vector_matches_the_reference() {
    let table = include_str!("reference/all-base-scores.txt");
    let cia: Vec<String> = ["H", "L", "N"]
        .iter()
        .flat_map(|c| {
            ["H", "L", "N"].iter().flat_map(move |i| {
                ["H", "L", "N"]
                    .iter()
                    .map(move |a| format!("C:{c}/I:{i}/A:{a}"))
            })
        })
        .collect();
    let mut checked = 0;
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = line.split(' ');
        let prefix = fields.next().unwrap();
        let exploitability: f64 = fields.next().unwrap().parse().unwrap();
        let scores: Vec<f64> = fields.map(|s| s.parse().unwrap()).collect();
        assert_eq!(scores.len(), cia.len(), "{line}");
        for (tail, expected) in cia.iter().zip(scores) {
            let vector = format!("{prefix}/{tail}");
            let cvss = parse(&vector).unwrap();
            assert_eq!(cvss.base_score(), expected, "{vector}");
            let got = cvss.exploitability();
            assert!((got - exploitability).abs() < TOLERANCE, "{vector}: {got}");
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * 2592);
}

#[test]
fn both_versions_score_identical_base_metrics_alike() {
    for &(vector, base, ..) in REFERENCE {
        let mut cvss = parse(vector).unwrap();
        for version in [Version::V3_0, Version::V3_1] {
            cvss.version = version;
            assert_eq!(cvss.base_score(), base, "{vector} as {version}");
        }
    }
}
