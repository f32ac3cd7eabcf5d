//! Ward analysis: model graph, STRIDE rule engine, risk scoring, attack paths, findings.
