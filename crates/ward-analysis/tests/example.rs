//! The analysed example models. Their threat tables and `--explain-risk`
//! snapshots are ward-view's tests (`crates/ward-view/tests/explain.rs`).

mod common;
use common::examples::example;
use ward_analysis::analyze;

#[test]
fn analysis_is_deterministic_and_serialises() {
    let compiled = example("insulin-pump");
    let a = serde_json::to_string(&analyze(&compiled.model)).unwrap();
    let b = serde_json::to_string(&analyze(&compiled.model)).unwrap();
    assert_eq!(a, b);
}
