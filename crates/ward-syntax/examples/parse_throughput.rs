//! Measures parse throughput on a generated model of many declarations:
//! `cargo run --release -p ward-syntax --example parse_throughput [COPIES]`.

use std::time::Instant;
use ward_diagnostics::FileId;

const UNIT: &str = r#"
/// The patient's home network.
zone home_N "Home" { trust: untrusted, physical_access: true, controlled_by: patient }
data glucose_N "Glucose readings" {
  kind: telemetry
  confidentiality: medium
  integrity: high
  availability: high
  hazards { integrity: [missed_low], availability: [missed_low] }
}
component sensor_N "CGM sensor" in home_N { kind: device, interfaces: [ble], software: ["cgm-fw 1.0.0"] }
flow f_read_N: sensor_N -> app "Readings" { protocol: ble, carries: [glucose_N], authenticated: true, encrypted: true }
rule r_N "Spoofing of {source} on {id}" {
  stride: spoofing
  applies_to: flow
  when: crosses_boundary and not authenticated or source.zone.trust < trusted // comment
  exploitability: high
}
control c_N "Alarm on lost sensor signal" {
  category: resiliency
  mitigates: [ble_jam, r_N@f_read_N]
  limits { missed_low: minor }
  requirement: """
    The app shall alarm within 20 minutes of lost sensor data.
  """
  verification: [vt_1, test "Bench check"]
}
"#;

fn main() {
    let copies: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    // A second argument is repeated instead of the valid unit, to time
    // broken or pathological input (`"zone a { trust x }\n"`).
    let unit = std::env::args().nth(2).map(|u| u.replace("\\n", "\n"));
    let mut text = String::new();
    for i in 0..copies {
        match &unit {
            Some(u) => text.push_str(u),
            None => text.push_str(&UNIT.replace("_N", &format!("_{i}"))),
        }
    }
    let cpu_before = thread_cpu_ns();
    let start = Instant::now();
    let parsed = ward_syntax::parse(&text, FileId(0));
    let elapsed = start.elapsed();
    if let (Some(a), Some(b)) = (cpu_before, thread_cpu_ns()) {
        let cpu = (b - a) as f64 / 1e9;
        println!(
            "on-CPU time {:.0} ms: {:.1} MB/s",
            cpu * 1e3,
            text.len() as f64 / 1e6 / cpu
        );
    }
    let mb = text.len() as f64 / 1e6;
    println!(
        "{copies} copies, {mb:.1} MB, {} items, {} errors: {:.0} ms, {:.1} MB/s",
        parsed.ast.items.len(),
        parsed.errors.len(),
        elapsed.as_secs_f64() * 1e3,
        mb / elapsed.as_secs_f64()
    );
}

/// Nanoseconds this thread has run on a CPU (Linux), to measure throughput
/// on a busy machine.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}
