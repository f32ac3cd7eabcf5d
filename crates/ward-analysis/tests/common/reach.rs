//! Models of the reach tests (multi-patient reach, attack paths and
//! proximity), shared with ward-view's `--explain-risk` tests.

pub const UPLOAD: &str = r#"
data readings "Readings" { kind: telemetry, confidentiality: medium, integrity: high, availability: medium }
component app "App" in home { kind: mobile_app }
component api "Upload API" in cloud { kind: service }
component db "Fleet database" in cloud { kind: datastore, fleet: shared }
flow f_up: app -> api { protocol: https, carries: [readings], authenticated: true, encrypted: true }
flow f_store: api -> db { protocol: tls, carries: [readings], authenticated: true, encrypted: true }
threat upload_injection "Injection through the upload" {
  stride: [tampering]
  targets: [f_up]
  exploitability: high
}
threat upload_sniffing "Upload read in transit" {
  stride: [information_disclosure]
  targets: [f_up]
  exploitability: low
}
threat app_tampering "Tampered app" {
  stride: [tampering]
  targets: [app]
  exploitability: low
}
threat store_injection "Injection into the store" {
  stride: [tampering]
  targets: [f_store]
  exploitability: low
}
"#;

pub const BLE_PUMP: &str = r#"
use std::stride
hazard overdose "Overdose" { severity: catastrophic }
data ids "Identity" { kind: other, confidentiality: medium }
data cmd "Dose" { kind: command, integrity: high, hazards { integrity: [overdose] } }
component app "App" in home { kind: mobile_app }
component pump "Pump" in hw {
  kind: device
  interfaces: [ble]
  stores: [ids]
  hazards { integrity: [overdose] }
}
flow f_dose: app -> pump { protocol: ble, carries: [cmd], authenticated: true, encrypted: true, integrity_protected: true }
threat dose_forgery "Forged dose over the app" {
  stride: [tampering]
  targets: [pump]
  exploitability: low
}
threat usb_attack "Attack over the service port" {
  stride: [tampering]
  targets: [pump]
  cvss: "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
}
"#;
