//! `ward build --check`: telling a provenance-only change from a content
//! change. Every artifact states the sources' sha256 (and model.json each
//! file's), so a comment edit changes every artifact; when the artifacts on
//! disk equal the fresh ones once their hashes (and the SBOM serial number
//! made from the sources' hash) are replaced by the fresh ones, nothing but
//! provenance changed.

use std::path::Path;
use ward_render::{Artifact, DriftEntry, DriftKind};

/// The hashes model.json states: the whole sources' and each file's.
fn hashes(model_json: &[u8]) -> Vec<(String, String)> {
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(model_json) else {
        return Vec::new();
    };
    let sources = &doc["sources"];
    let mut out = Vec::new();
    if let Some(all) = sources["sha256"].as_str() {
        out.push(("".to_string(), all.to_string()));
    }
    for file in sources["files"].as_array().into_iter().flatten() {
        if let (Some(name), Some(hash)) = (file["name"].as_str(), file["sha256"].as_str()) {
            out.push((name.to_string(), hash.to_string()));
        }
    }
    out
}

/// True when every drifted artifact is on disk and differs from the fresh
/// one only in the hashes of the sources (the same files, other text).
pub fn only_provenance_drift(out_dir: &Path, artifacts: &[Artifact], drift: &[DriftEntry]) -> bool {
    if drift.is_empty() || drift.iter().any(|d| d.kind != DriftKind::Changed) {
        return false;
    }
    let Some(fresh_json) = artifacts.iter().find(|a| a.path == "model.json") else {
        return false;
    };
    let Ok(disk_json) = std::fs::read(out_dir.join("model.json")) else {
        return false;
    };
    let (old, new) = (hashes(&disk_json), hashes(&fresh_json.bytes));
    let old_names: Vec<&String> = old.iter().map(|(n, _)| n).collect();
    let new_names: Vec<&String> = new.iter().map(|(n, _)| n).collect();
    if old.is_empty() || old_names != new_names {
        return false;
    }
    drift.iter().all(|entry| {
        let Some(fresh) = artifacts.iter().find(|a| a.path == entry.path) else {
            return false;
        };
        let Ok(disk) = std::fs::read(out_dir.join(&entry.path)) else {
            return false;
        };
        let (Ok(disk), Ok(fresh)) = (String::from_utf8(disk), std::str::from_utf8(&fresh.bytes))
        else {
            return false;
        };
        let mut rewritten = disk;
        for ((name, was), (_, is)) in old.iter().zip(&new) {
            if name.is_empty() {
                // sbom.cdx.json's serial number is made from the whole hash.
                rewritten = rewritten.replace(
                    &ward_render::sbom_serial_number(was),
                    &ward_render::sbom_serial_number(is),
                );
            }
            rewritten = rewritten.replace(was.as_str(), is);
        }
        rewritten == fresh
    })
}
