//! Helpers for tests of Ward's outputs (this crate's and the end-to-end
//! tests): rendering a model text in memory, validating SARIF with
//! Microsoft's SARIF multitool.

use std::path::Path;
use std::process::Command;

use ward_diagnostics::Diagnostic;

use crate::{RenderInput, RenderOptions, Rendered};

/// Compiles `text` as one model file, analyses and renders it: `ward
/// build` in memory. Panics, listing the errors, when the model does not
/// compile.
pub fn render_text(text: &str, options: &RenderOptions) -> Result<Rendered, Vec<Diagnostic>> {
    let compiled = ward_model::compile_str("model.ward", text);
    let errors: Vec<String> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "the model does not compile: {errors:#?}");
    let analysis = ward_analysis::analyze(&compiled.model);
    render_compiled(&compiled, &analysis, options)
}

/// Renders a compiled and analysed model: the last step of `ward build`,
/// in memory.
pub fn render_compiled(
    compiled: &ward_model::Compiled,
    analysis: &ward_analysis::Analysis,
    options: &RenderOptions,
) -> Result<Rendered, Vec<Diagnostic>> {
    let input = RenderInput {
        model: &compiled.model,
        analysis,
        sources: &compiled.sources,
        diagnostics: &compiled.diagnostics,
    };
    crate::render(&input, options)
}

/// The outcome of `sarif-multitool validate`.
#[derive(Debug)]
pub struct SarifValidation {
    /// Lines reporting an `error` (schema or rule violations).
    pub errors: Vec<String>,
    /// Lines reporting a `warning` or `note`.
    pub warnings: Vec<String>,
}

/// Validates a SARIF file with `@microsoft/sarif-multitool`, found as
/// `$WARD_SARIF_MULTITOOL` (a path to the `Sarif.Multitool` executable or
/// to an npm folder where it is installed), else `sarif-multitool` on the
/// PATH, else `npx --no-install` in the current folder. `None` when none
/// runs.
pub fn validate_sarif(file: &Path) -> Option<SarifValidation> {
    let mut candidates: Vec<Command> = Vec::new();
    if let Ok(tool) = std::env::var("WARD_SARIF_MULTITOOL") {
        let tool = Path::new(&tool);
        if tool.is_dir() {
            let mut c = Command::new("npx");
            c.current_dir(tool)
                .args(["--no-install", "sarif-multitool"]);
            candidates.push(c);
        } else {
            candidates.push(Command::new(tool));
        }
    }
    candidates.push(Command::new("sarif-multitool"));
    let mut npx = Command::new("npx");
    npx.args(["--no-install", "sarif-multitool"]);
    candidates.push(npx);

    let file = file.canonicalize().ok()?;
    for mut command in candidates {
        let Ok(output) = command.arg("validate").arg(&file).output() else {
            continue;
        };
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        // The multitool reports `file(line,col): error SARIFnnnn: ...`.
        let lines = || {
            text.lines().filter(|l| {
                l.contains(": error ") || l.contains(": warning ") || l.contains(": note ")
            })
        };
        if !text.contains("Analysis completed") && lines().next().is_none() {
            continue; // not the multitool (e.g. npx could not find it)
        }
        let errors: Vec<String> = lines()
            .filter(|l| l.contains(": error "))
            .map(String::from)
            .collect();
        let mut warnings: Vec<String> = lines()
            .filter(|l| !l.contains(": error "))
            .map(String::from)
            .collect();
        if !output.status.success() && errors.is_empty() {
            warnings.push(format!("the multitool exited with {}", output.status));
        }
        return Some(SarifValidation { errors, warnings });
    }
    None
}

/// The data island of a rendered `report.html`, parsed. Panics when there
/// is none or when a `<` in it could close its element.
pub fn report_island(html: &str) -> serde_json::Value {
    let open = "<script type=\"application/json\" id=\"report-data\">";
    let start = html.find(open).expect("a data island") + open.len();
    let end = html[start..].find("</script>").expect("the island ends") + start;
    let text = &html[start..end];
    assert!(!text.contains('<'), "`<` is escaped in the island");
    serde_json::from_str(text).expect("the island is JSON")
}

/// One table of the report's data island, as rows of cell texts, with its
/// column titles.
pub fn island_table(island: &serde_json::Value, key: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let strings = island["strings"].as_array().expect("a string table");
    let table = &island["tables"][key];
    let titles = table["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c[1].as_str().unwrap_or_default().to_string())
        .collect();
    let rows = table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            row.as_array()
                .expect("a row")
                .iter()
                .map(|i| {
                    let i = i.as_u64().expect("a string index") as usize;
                    strings[i].as_str().unwrap_or_default().to_string()
                })
                .collect()
        })
        .collect();
    (titles, rows)
}
