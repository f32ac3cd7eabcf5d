//! The report's data island: every table row, finding and drawing the
//! report's script shows, once, in a compact JSON form (`<script
//! type="application/json">`, which the browser never executes). Cell texts
//! are interned in one string table and rows are arrays of its indexes, so
//! a text repeated across rows and tables (a risk level, a component, a
//! threat id) is written once. The script draws the tables from it lazily,
//! a page at a time, so a 10,000-threat report opens as fast as a small one.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Value};
use ward_analysis::Analysis;
use ward_model::{Model, RiskLevel};
use ward_view::{ThreatStatus, View};

use crate::doc::DiagnosticDoc;
use crate::report::ViewEntry;
use crate::tables::{Table, Tables, TABLE_KEYS};

/// The register's columns shown without opening a row, in this order; the
/// others are in the row's details.
pub const REGISTER_KEY_COLUMNS: [&str; 8] = [
    "id",
    "title",
    "initial_risk",
    "residual_risk_planned",
    "residual_risk_verified",
    "controls",
    "controlled",
    "acceptance",
];

/// Texts in first-use order; each written once.
#[derive(Default)]
struct Strings<'a> {
    texts: Vec<&'a str>,
    index: HashMap<&'a str, usize>,
}

impl<'a> Strings<'a> {
    fn id(&mut self, text: &'a str) -> usize {
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        self.texts.push(text);
        self.index.insert(text, self.texts.len() - 1);
        self.texts.len() - 1
    }
}

fn table_value<'a>(strings: &mut Strings<'a>, table: &'a Table) -> Value {
    let columns: Vec<[&str; 2]> = table.columns.iter().map(|c| [c.key, c.title]).collect();
    let rows: Vec<Vec<usize>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(|cell| strings.id(cell)).collect())
        .collect();
    json!({ "columns": columns, "rows": rows })
}

/// A note or help line that tells the reader to run a command: meaningful
/// on a terminal, not in a submission document.
fn is_command_hint(text: &str) -> bool {
    text.starts_with("`ward ")
}

fn finding_value<'a>(strings: &mut Strings<'a>, d: &'a DiagnosticDoc) -> Value {
    let location = d
        .location
        .as_ref()
        .map(|l| format!("{}:{}:{}", l.file, l.line, l.column));
    let help = d.help.as_deref().filter(|h| !is_command_hint(h));
    let notes: Vec<usize> = d
        .notes
        .iter()
        .filter(|n| !is_command_hint(n))
        .map(|n| strings.id(n))
        .collect();
    json!([
        strings.id(&d.code),
        strings.id(&d.severity),
        location,
        strings.id(&d.message),
        help.map(|h| strings.id(h)),
        notes
    ])
}

#[derive(Serialize)]
struct Island<'a> {
    strings: Vec<&'a str>,
    risk_levels: Vec<&'static str>,
    /// The register column acceptability is judged on.
    judged_column: &'static str,
    key_columns: [&'static str; 8],
    statuses: Vec<&'static str>,
    tables: serde_json::Map<String, Value>,
    /// Register rows, highest risk first (the default order).
    register_order: Vec<usize>,
    /// Per register row: an index into `statuses`.
    register_status: Vec<usize>,
    /// Per control-requirements row: the control's name (string index).
    control_names: Vec<usize>,
    verification_names: Vec<usize>,
    findings: Vec<Value>,
    /// Per view, its inline SVG (drawn when the view is opened).
    svgs: Vec<Option<&'a str>>,
}

/// The island's JSON, safe inside `<script type="application/json">`: no
/// `<` appears (it is written `\u003c`), so nothing can close the element.
pub fn island(
    model: &Model,
    analysis: &Analysis,
    view: &View,
    tables: &Tables,
    findings: &[DiagnosticDoc],
    views: &[ViewEntry],
) -> String {
    let mut strings = Strings::default();
    let mut table_values = serde_json::Map::new();
    for key in TABLE_KEYS {
        let table = tables.get(key).expect("every key names a table");
        table_values.insert(key.to_string(), table_value(&mut strings, table));
    }
    let control_names = model
        .controls
        .iter()
        .map(|c| strings.id(&c.meta.name))
        .collect();
    let verification_names = model
        .verifications
        .iter()
        .map(|v| strings.id(&v.meta.name))
        .collect();
    let findings = findings
        .iter()
        .map(|d| finding_value(&mut strings, d))
        .collect();
    let island = Island {
        risk_levels: RiskLevel::ALL.iter().map(|r| r.as_str()).collect(),
        judged_column: match view.judged_on {
            ward_analysis::JudgedOn::Planned => "residual_risk_planned",
            ward_analysis::JudgedOn::Verified => "residual_risk_verified",
        },
        key_columns: REGISTER_KEY_COLUMNS,
        statuses: ThreatStatus::ALL.iter().map(|s| s.as_str()).collect(),
        tables: table_values,
        register_order: ward_view::by_risk(analysis),
        register_status: analysis
            .threats
            .iter()
            .map(|t| ThreatStatus::of(t).index())
            .collect(),
        control_names,
        verification_names,
        findings,
        svgs: views.iter().map(|v| v.svg.as_deref()).collect(),
        strings: Vec::new(),
    };
    let island = Island {
        strings: strings.texts,
        ..island
    };
    let text = serde_json::to_string(&island).expect("the island serialises");
    text.replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_texts_are_interned_once() {
        let mut strings = Strings::default();
        assert_eq!(strings.id("review"), 0);
        assert_eq!(strings.id("pump"), 1);
        assert_eq!(strings.id("review"), 0);
        assert_eq!(strings.texts, ["review", "pump"]);
    }

    #[test]
    fn command_hints_are_recognised() {
        assert!(is_command_hint(
            "`ward check --explain-risk x` shows how it was derived"
        ));
        assert!(!is_command_hint("`x` is generated by rule `r`"));
    }
}
