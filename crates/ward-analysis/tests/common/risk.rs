//! The risk tests' model: a BLE dose flow with two hazards, under the
//! standard policy or a copy of it with extra lines.

use super::analysed;
use ward_analysis::Analysis;
use ward_model::Compiled;

pub const ZONES: &str = r#"
zone home "Home" { trust: untrusted }
zone hw "Pump" in home { trust: trusted }
hazard overdose "Overdose" { severity: catastrophic }
hazard missed "Missed dose" { severity: serious }
data cmd "Dose command" {
  kind: command, confidentiality: low, integrity: high, availability: medium
  hazards { integrity: [overdose], availability: [missed] }
}
component app "App" in home { kind: mobile_app }
component pump "Pump" in hw { kind: device, hazards { availability: [missed] } }
flow f_dose: app -> pump { protocol: ble, carries: [cmd] }
verification vt_pass "Passing test" { type: threat_mitigation, method: test, result: pass }
"#;

/// A policy like `std::policy::iso14971_5x5` with the given extra lines.
pub fn policy(extra: &str) -> String {
    format!(
        r#"
policy sop "SOP" {{
  severity: [negligible, minor, serious, critical, catastrophic]
  exploitability: [very_low, low, moderate, high, very_high]
  matrix {{
    negligible:   [acceptable, acceptable, acceptable,   acceptable,   acceptable]
    minor:        [acceptable, acceptable, acceptable,   review,       review]
    serious:      [acceptable, acceptable, review,       review,       unacceptable]
    critical:     [acceptable, review,     review,       unacceptable, unacceptable]
    catastrophic: [review,     review,     unacceptable, unacceptable, unacceptable]
  }}
  security_matrix {{
    none:   [acceptable, acceptable, acceptable, acceptable,   acceptable]
    low:    [acceptable, acceptable, acceptable, review,       review]
    medium: [acceptable, acceptable, review,     review,       unacceptable]
    high:   [acceptable, review,     review,     unacceptable, unacceptable]
  }}
  cvss_exploitability_bands: [0.5, 1.5, 2.5, 3.5]
  {extra}
}}
"#
    )
}

pub fn model(system_policy: &str, body: &str) -> (Compiled, Analysis) {
    let system = match system_policy {
        "" => r#"system s "S" { version: "1" }"#.to_string(),
        extra => format!(
            "system s \"S\" {{ version: \"1\", policy: sop }}\n{}",
            policy(extra)
        ),
    };
    analysed(&format!("{system}\n{ZONES}\n{body}"))
}
