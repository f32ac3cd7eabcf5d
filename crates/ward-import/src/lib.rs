//! `ward import`: other tools' threat models as `.ward` text.
//!
//! Each format (`threagile.rs`, `threat_dragon.rs`) reads its input into
//! the importer's model ([`ir::ImportModel`]); one writer (`write.rs`)
//! turns that into a model file and a `Ward.toml`, formatted by Ward's own
//! formatter and compiled in memory before anything is returned: an import
//! that does not compile is a bug reported as E0628, never written.
//! Nothing here touches the disk but [`read_input`]; the CLI writes the
//! files (src/cli/import/).

// Errors are `Diagnostic`s, returned as they are (as ward-render does).
#![allow(clippy::result_large_err)]

pub mod codes;
mod geometry;
pub mod ident;
pub mod input;
pub mod ir;
pub mod locate;
pub mod otm;
pub mod relpath;
pub mod summary;
pub mod threagile;
pub mod threat_dragon;
pub mod write;

pub use input::{read_input, Input, MAX_INPUT_BYTES};
pub use summary::Summary;

use ward_diagnostics::{Diagnostic, FileId};

/// The formats `ward import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Threagile YAML (`threagile_version` 1.x).
    Threagile,
    /// OWASP Threat Dragon v2 JSON.
    ThreatDragon,
    /// Open Threat Model JSON (`otmVersion` 0.2.x).
    Otm,
}

impl Format {
    /// The tool's name, for comments and messages.
    pub fn tool(self) -> &'static str {
        match self {
            Format::Threagile => "Threagile",
            Format::ThreatDragon => "OWASP Threat Dragon",
            Format::Otm => "OTM",
        }
    }
}

/// The file name of the model an import writes.
pub const MODEL_FILE: &str = "model.ward";
/// The manifest an import writes.
pub const MANIFEST_FILE: &str = "Ward.toml";

/// What an import produced: the files to write (relative path, text), the
/// summary and the warnings about the input (guesses it made).
#[derive(Debug)]
pub struct Imported {
    pub files: Vec<(String, String)>,
    pub summary: Summary,
    pub warnings: Vec<Diagnostic>,
}

/// What a format's reader returns: the model, or the errors that stop the
/// import, with the warnings in both cases.
pub struct Read {
    pub model: ir::ImportModel,
    pub warnings: Vec<Diagnostic>,
}

/// Imports `input` as `format`. Errors are about the input (with its
/// location) or, for E0628, about the importer itself.
pub fn import(format: Format, input: &Input) -> Result<Imported, Vec<Diagnostic>> {
    let read = match format {
        Format::Threagile => threagile::read(input)?,
        Format::ThreatDragon => threat_dragon::read(input)?,
        Format::Otm => otm::read(input)?,
    };
    let mut read = read;
    let files = write_model(&read.model, format.tool())?;
    // A kept file the imported model does not read is not written.
    let unread: Vec<(String, Option<ir::Location>)> = read
        .model
        .files
        .iter()
        .filter(|f| !files.iter().any(|(path, _)| *path == f.path))
        .map(|f| (f.path.clone(), f.location))
        .collect();
    for (path, location) in unread {
        read.model.drop_item(
            format!("file `{path}`"),
            "the imported model does not read it",
            location,
            false,
        );
    }
    Ok(Imported {
        files,
        summary: Summary::of(&read.model),
        warnings: read.warnings,
    })
}

/// The model's files, formatted and proven to compile (with the risk
/// findings the analysis makes of the design, which are not errors of the
/// import). The accept levels
/// are the analysis' judged residuals of the accepted threats, read from a
/// first compile of the same text, so no acceptance is written stale.
pub fn write_model(
    model: &ir::ImportModel,
    tool: &str,
) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let reserved = stdlib_ids();
    let ids = write::Ids::assign(model, reserved.iter().map(String::as_str));
    let manifest = write::manifest_text(tool, model.vulnerabilities.as_ref())
        .map_err(|e| vec![not_compiling(&[]).with_note(e.to_string())])?;
    let kept: Vec<(&str, &str)> = model
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.text.as_str()))
        .collect();
    let compile = |text: &str| compile(text, &manifest, &kept);
    let mut levels = write::AcceptLevels::new();
    let first = formatted(&write::model_text(model, &ids, &levels))?;
    if !model.accepts.is_empty() {
        let compiled = compile(&first);
        let analysis = ward_analysis::analyze_compiled(&compiled)
            .ok_or_else(|| vec![not_compiling(&compiled.diagnostics)])?;
        for key in model.accepts.iter().flat_map(|a| &a.threats) {
            if let Some(threat) = analysis.threat(&ids.of(key)) {
                levels.insert(key.clone(), threat.judged.as_str());
            }
        }
    }
    let text = if levels.is_empty() {
        first
    } else {
        formatted(&write::model_text(model, &ids, &levels))?
    };
    let compiled = compile(&text);
    if compiled.has_errors() {
        return Err(vec![not_compiling(&compiled.diagnostics)]);
    }
    // Risk findings (an unacceptable residual not accepted, E0401) are the
    // analysis' verdict on the imported design, not an import error.
    if ward_analysis::analyze_compiled(&compiled).is_some_and(|a| !a.within_budget) {
        return Err(vec![not_compiling(&[])]);
    }
    // The kept files the model read (SBOMs, feeds, VEX) are written with it.
    let read: Vec<&str> = compiled
        .model
        .supply
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    let mut files = vec![
        (MANIFEST_FILE.to_string(), manifest.clone()),
        (MODEL_FILE.to_string(), text),
    ];
    files.extend(
        model
            .files
            .iter()
            .filter(|f| read.contains(&f.path.as_str()))
            .map(|f| (f.path.clone(), f.text.clone())),
    );
    Ok(files)
}

/// Compiles the model text with the manifest and the kept files, in memory.
fn compile(model: &str, manifest: &str, kept: &[(&str, &str)]) -> ward_model::Compiled {
    let mut files = vec![(MODEL_FILE, model), (MANIFEST_FILE, manifest)];
    files.extend_from_slice(kept);
    ward_model::compile_memory(&files, MANIFEST_FILE)
}

fn formatted(text: &str) -> Result<String, Vec<Diagnostic>> {
    ward_syntax::format::format(text, FileId(0)).map_err(|errors| vec![not_compiling(&errors)])
}

fn not_compiling(diagnostics: &[Diagnostic]) -> Diagnostic {
    let mut error = Diagnostic::error_without_location(
        codes::GENERATED_MODEL_INVALID,
        "the imported model does not compile; nothing was written",
    )
    .with_help("this is a bug in `ward import`: please report it with the input file");
    for d in diagnostics.iter().filter(|d| d.is_error()).take(5) {
        error = error.with_note(format!("{}: {}", d.code.as_str(), d.message));
    }
    error
}

/// The ids the standard library declares (its rules, with `use
/// std::stride`): the model shares their namespace.
fn stdlib_ids() -> Vec<String> {
    let compiled = ward_model::compile_str(
        MODEL_FILE,
        "system s \"s\" {}\nuse std::stride\nuse std::fda\n",
    );
    let mut ids: Vec<String> = compiled
        .model
        .rules
        .iter()
        .map(|r| r.meta.name.clone())
        .collect();
    ids.extend(compiled.model.policies.iter().map(|p| p.meta.name.clone()));
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Ward export's OTM with `files` and `vulnerabilities` in
    /// `project.attributes.ward`.
    fn otm_with(files: &str) -> String {
        format!(
            r#"{{"otmVersion": "0.2.0", "project": {{"name": "Pump", "id": "pump",
              "attributes": {{"ward": {{"uses": [], "declarations": [],
                "files": {files},
                "vulnerabilities": {{"feeds": ["feeds/*.json"], "vex": []}}}}}}}}}}"#
        )
    }

    fn import_otm(text: &str) -> Result<Imported, Vec<Diagnostic>> {
        import(
            Format::Otm,
            &Input {
                file: FileId(0),
                text,
            },
        )
    }

    #[test]
    fn kept_files_the_model_reads_are_written_with_the_vulnerabilities_table() {
        let kev = r#"{"title": "KEV", "catalogVersion": "1", "count": 0, "vulnerabilities": []}"#;
        let text = otm_with(&format!(
            r#"[{{"path": "./feeds/kev.json", "text": {}}}, {{"path": "notes/readme.txt", "text": "hi"}}]"#,
            serde_json::to_string(kev).unwrap()
        ));
        let imported = import_otm(&text).unwrap_or_else(|e| panic!("{e:?}"));
        let names: Vec<&str> = imported.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, [MANIFEST_FILE, MODEL_FILE, "feeds/kev.json"]);
        assert!(
            imported.files[0]
                .1
                .contains("[vulnerabilities]\nfeeds = [\"feeds/*.json\"]\n"),
            "{}",
            imported.files[0].1
        );
        assert_eq!(imported.files[2].1, kev);
        // A kept file the model does not read is not written, and said so.
        assert!(
            (imported.summary.dropped.iter()).any(|n| n.what == "file `notes/readme.txt`"),
            "{:?}",
            imported.summary.dropped
        );
    }

    #[test]
    fn a_kept_file_outside_the_folder_is_an_error_at_its_path() {
        for bad in ["../x.json", "/etc/x.json", "a/../../x.json", "model.ward"] {
            let text = otm_with(&format!(r#"[{{"path": "{bad}", "text": "{{}}"}}]"#));
            let errors = import_otm(&text).expect_err("refused");
            let at = text.find(&format!("\"{bad}\"")).unwrap();
            assert!(
                errors.iter().any(|d| d.code == codes::INPUT_SHAPE
                    && d.span.is_some_and(|s| s.start as usize == at)),
                "{bad}: {errors:?}"
            );
        }
        let twice =
            otm_with(r#"[{"path": "a.json", "text": "{}"}, {"path": "./a.json", "text": "{}"}]"#);
        let errors = import_otm(&twice).expect_err("refused");
        assert!(
            errors.iter().any(|d| d.code == codes::DUPLICATE_ID),
            "{errors:?}"
        );
    }
}
