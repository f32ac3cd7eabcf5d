//! Known vulnerabilities as threats (issue #17): which components they are
//! threats on, their exploitability (CVSS band, KEV floor, default), and
//! the issue's "done when": a KEV-listed vulnerability on a component that
//! reaches a hazard is an uncontrolled, safety-related threat until a
//! control and a passing verification address it.

mod common;
use common::*;
use ward_analysis::{ExploitabilitySource, Origin};
use ward_model::{RiskLevel, Stage, ThreatKey};

const BASE: &str = r#"
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
software zephyr "Zephyr RTOS" { supplier: "Zephyr Project", version: "3.6.0", purl: "pkg:github/zephyrproject-rtos/zephyr@v3.6.0", author: "Acme", timestamp: "2026-11-30", support: supported, end_of_support: "2029-12-31", depends_on: [mbedtls] }
software mbedtls "Mbed TLS" { supplier: "Trusted Firmware", version: "3.6.0", purl: "pkg:github/Mbed-TLS/mbedtls@v3.6.0", author: "Acme", timestamp: "2026-11-30", support: supported, end_of_support: "2027-03-31" }
software applib "App lib" { supplier: "Acme", version: "1.0", purl: "pkg:generic/acme/applib@1.0", author: "Acme", timestamp: "2026-11-30", support: supported, end_of_support: "2029-12-31" }
component app "App" in home { kind: mobile_app, software: [applib] }
component pump "Pump" in hw { kind: device, version: "4.2.0", software: [zephyr] }
flow f_dose: app -> pump { protocol: ble, carries: [cmd] }
"#;

/// A KEV-listed vulnerability of Mbed TLS, which the pump runs through
/// Zephyr's `depends_on`. Its vector bands to `low` (AV:L/AC:H/PR:L/UI:R,
/// sub-score 0.76); the KEV listing raises it to `high`.
const KEV_VULN: &str = r#"
vulnerability tls_overflow "Mbed TLS overflow" {
  advisory: "CVE-2024-45158"
  software: [mbedtls]
  introduced: "3.0.0"
  fixed: "3.6.1"
  cvss: "CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:H/I:H/A:H"
  kev: true
  status: affected
}
"#;

const MITIGATION: &str = r#"
control tls_update "Mbed TLS 3.6.1 in the pump firmware" {
  category: updatability, requirement: "The pump firmware ships Mbed TLS 3.6.1 or later.", mitigates: [tls_overflow@pump], reduces: 3
  acceptance: "The SBOM of the release build lists Mbed TLS 3.6.1."
  implemented_in: [pump], status: implemented, verification: [vt_sbom]
}
"#;

fn verification(result: &str) -> String {
    format!(
        "verification vt_sbom \"SBOM check\" {{ type: vulnerability, method: inspection, result: {result}, tested_version: \"4.2.0\", scope: [pump] }}\n"
    )
}

#[test]
fn a_kev_listed_vulnerability_reaching_a_hazard_is_uncontrolled_and_safety_related() {
    let text = format!("{BASE}{KEV_VULN}");
    let (compiled, analysis) = analysed(&text);
    let t = analysis
        .threat("tls_overflow@pump")
        .expect("a threat on the pump");
    assert_eq!(t.origin, Origin::Vulnerability);
    let ThreatKey::Vulnerability { vulnerability, .. } = t.key else {
        panic!("{:?}", t.key)
    };
    assert_eq!(
        compiled.model.vulnerability(vulnerability).advisory,
        "CVE-2024-45158"
    );
    // The app runs no Mbed TLS: no threat there.
    assert!(analysis.threat("tls_overflow@app").is_none());
    // Safety-related: the pump's dose command reaches the overdose hazard.
    assert_eq!(compiled.model.hazard(t.hazards[0]).meta.name, "overdose");
    assert!(t.initial.safety.is_some());
    // KEV raises the `low` band to `high`.
    let policy = compiled.model.policy();
    assert_eq!(policy.exploitability_name(t.exploitability), "high");
    assert!(matches!(
        t.exploitability_source,
        ExploitabilitySource::Vulnerability {
            kev: true,
            raised_by_kev: true,
            ..
        }
    ));
    assert_eq!(t.judged, RiskLevel::Unacceptable);
    assert!(!t.controlled);
    assert!(finding_codes(&analysis).contains(&"E0401"));
}

#[test]
fn a_control_counts_at_submission_only_once_its_verification_passes() {
    let pending = format!("{BASE}{KEV_VULN}{MITIGATION}{}", verification("pending"));
    let (_, analysis) = analysed_at(Stage::Submission, &pending);
    let t = analysis.threat("tls_overflow@pump").unwrap();
    assert!(t.planned.risk.overall < RiskLevel::Unacceptable);
    assert_eq!(
        t.judged,
        RiskLevel::Unacceptable,
        "judged on the verified residual"
    );
    assert!(!t.controlled);

    let passed = format!(
        "{BASE}{KEV_VULN}{}{}",
        MITIGATION.replace("status: implemented", "status: verified"),
        verification("pass")
    );
    let (_, analysis) = analysed_at(Stage::Submission, &passed);
    let t = analysis.threat("tls_overflow@pump").unwrap();
    assert_eq!(t.verified.controls.len(), 1);
    assert_eq!(t.judged, t.verified.risk.overall);
    assert!(t.judged < RiskLevel::Unacceptable, "{:?}", t.judged);
}

#[test]
fn without_kev_the_cvss_band_stands_and_without_cvss_the_default_is_high() {
    let text = format!("{BASE}{}", KEV_VULN.replace("  kev: true\n", ""));
    let (compiled, analysis) = analysed(&text);
    let t = analysis.threat("tls_overflow@pump").unwrap();
    assert_eq!(
        compiled
            .model
            .policy()
            .exploitability_name(t.exploitability),
        "low"
    );

    let text = format!(
        "{BASE}{}",
        KEV_VULN
            .replace(
                "  cvss: \"CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:H/I:H/A:H\"\n",
                ""
            )
            .replace("  kev: true\n", "")
    );
    let (compiled, analysis) = analysed(&text);
    let t = analysis.threat("tls_overflow@pump").unwrap();
    assert_eq!(
        compiled
            .model
            .policy()
            .exploitability_name(t.exploitability),
        "high"
    );
    assert!(finding_codes(&analysis).contains(&"W0472"));
}

#[test]
fn not_affected_and_fixed_are_recorded_not_scored() {
    for status in [
        "status: not_affected\n  justification: vulnerable_code_not_in_execute_path",
        "status: fixed",
    ] {
        let text = format!("{BASE}{}", KEV_VULN.replace("status: affected", status));
        let (compiled, analysis) = analysed(&text);
        assert!(analysis.threat("tls_overflow@pump").is_none(), "{status}");
        assert_eq!(compiled.model.vulnerabilities.len(), 1);
    }
    // Without a justification: a gap, an error at the submission stage.
    let text = format!(
        "{BASE}{}",
        KEV_VULN.replace("status: affected", "status: not_affected")
    );
    let (_, design) = analysed_at(Stage::Design, &text);
    let w = design
        .findings
        .iter()
        .find(|d| d.code == "W0470")
        .expect("W0470");
    assert!(!w.is_error());
    let (_, submission) = analysed_at(Stage::Submission, &text);
    let w = submission
        .findings
        .iter()
        .find(|d| d.code == "W0470")
        .expect("W0470");
    assert!(w.is_error());
}

#[test]
fn a_vulnerability_of_software_no_component_runs_is_stale() {
    let stale = r#"
software openssl "OpenSSL" { supplier: "OpenSSL", version: "3.0.13", purl: "pkg:generic/openssl@3.0.13", author: "Acme", timestamp: "2026-11-30", support: supported, end_of_support: "2026-09-07" }
vulnerability x400 "X.400 type confusion" { advisory: "CVE-2023-0286", software: [openssl], cvss: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H", status: affected }
"#;
    let (_, analysis) = analysed(&format!("{BASE}{stale}"));
    assert!(finding_codes(&analysis).contains(&"W0471"));
    assert!(!analysis.threats.iter().any(|t| t.id.starts_with("x400@")));
}

#[test]
fn a_vulnerability_threat_is_named_only_on_a_component() {
    let text = format!(
        "{BASE}{KEV_VULN}control c \"C\" {{ category: updatability, requirement: \"R\", mitigates: [tls_overflow@f_dose] }}\n"
    );
    let compiled = ward_model::compile_str("m.ward", &text);
    let e = compiled
        .diagnostics
        .iter()
        .find(|d| d.code == "E0120")
        .expect("E0120");
    assert!(e.message.contains("not a component"), "{}", e.message);
}
