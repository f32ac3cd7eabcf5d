//! The evidence tests' model: a forged bolus and a MAC control with a
//! given status and verifications.

pub const BASE: &str = r#"
system s "S" { version: "1", overall_residual: "Acceptable: see RMF-12." }
zone home "Home" { trust: untrusted, controlled_by: patient }
zone hw "Pump" in home { trust: trusted, controlled_by: manufacturer }
hazard overdose "Overdose" {
  severity: catastrophic
  hazardous_situation: "A forged bolus is delivered"
  rmf_ref: "HA-001"
}
data cmd "Dose command" {
  kind: command, confidentiality: low, integrity: high, availability: medium
  hazards { integrity: [overdose] }
}
component app "App" in home { kind: mobile_app }
component pump "Pump" in hw { kind: device, version: "4.2.0" }
flow f_dose: app -> pump { protocol: ble, carries: [cmd] }
threat forge "Forged bolus" { stride: [tampering], targets: [f_dose], exploitability: high }
"#;

pub fn model(controls: &str) -> String {
    format!("{BASE}\n{controls}")
}

/// A control lowering `forge` from high to very_low (catastrophic x
/// very_low = review), with the given status and verifications.
pub fn control(status: &str, verification: &str) -> String {
    format!(
        r#"control mac "Message MAC" {{
  category: integrity, requirement: "Commands carry a MAC.", mitigates: [forge], reduces: 3
  acceptance: "Forged commands are rejected in 100 of 100 trials."
  implemented_in: [pump], status: {status}, verification: [{verification}]
}}"#
    )
}
