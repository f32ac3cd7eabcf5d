//! Hover, the risk register and `--explain-risk` show a threat's judged
//! residual and exploitability source from the same view (`ward-view`):
//! for every threat of the example, each presenter holds the view's words
//! for the source, and the judged residual's risk and exploitability read
//! the same in all three.

use super::render::threat_body;
use crate::documents::DocumentStore;
use crate::workspace::{ModelKey, Workspace};
use ward_view::ExploitabilitySourceView;

/// The text after the first `marker`, up to the next `end`.
fn after<'t>(text: &'t str, marker: &str, end: &str) -> &'t str {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("`{marker}` not in:\n{text}"))
        + marker.len();
    let rest = &text[start..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn hover_tables_and_explain_show_the_same_judged_residual_and_source() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/insulin-pump");
    let root = std::fs::canonicalize(root).unwrap();
    let snapshot = Workspace::default()
        .refresh(&ModelKey::Root(root), &DocumentStore::default())
        .unwrap();
    let model = snapshot.model.as_ref().expect("the example compiles");
    let analysis = snapshot.analysis.as_ref().expect("the example is analysed");
    let view = snapshot.view().expect("the snapshot holds a view");
    let policy = model.policy();
    let register = ward_render::build_tables(model, analysis, view).risk_register;
    let column = |key: &str| {
        register
            .columns
            .iter()
            .position(|c| c.key == key)
            .unwrap_or_else(|| panic!("no column `{key}`"))
    };
    let basis = view.judged_on_word();
    let (judged_risk_column, explain_section, next_section) = match basis {
        "planned" => ("residual_risk_planned", "\n7. Residual, planned", "\n8. "),
        _ => ("residual_risk_verified", "\n8. Residual, verified", "\n9. "),
    };
    assert!(analysis.threats.len() > 100, "the example has its threats");
    let mut sources = std::collections::BTreeSet::new();
    for (i, t) in analysis.threats.iter().enumerate() {
        let source = &view.threat(i).exploitability_source;
        sources.insert(match source {
            ExploitabilitySourceView::Hand => "hand",
            ExploitabilitySourceView::Rule { .. } => "rule",
            ExploitabilitySourceView::Cvss { .. } => "cvss",
            ExploitabilitySourceView::Vulnerability { .. } => "vulnerability",
        });
        let level = policy.exploitability_name(t.exploitability);
        let mut hover = String::new();
        threat_body(&mut hover, model, analysis, view, t);
        let explained = ward_view::explain_risk(model, analysis, view, &t.id).unwrap();
        let row = &register.rows[i];
        assert_eq!(row[column("id")], t.id);

        // The exploitability source: the view's words in each presenter.
        assert_eq!(row[column("exploitability_source")], source.register_text());
        assert!(
            hover.contains(&format!("`{level}` ({})", source.hover_text())),
            "{}: hover lacks the source:\n{hover}",
            t.id
        );
        assert!(
            explained.contains(&format!(
                "4. Exploitability: {level} ({})",
                source.derivation(policy)
            )),
            "{}: --explain-risk lacks the source:\n{explained}",
            t.id
        );

        // The judged residual: risk and exploitability equal across presenters.
        let table_risk = row[column(judged_risk_column)].as_str();
        let table_exploitability = row[column("residual_exploitability")].as_str();
        let hover_line = after(&hover, &format!("**residual ({basis})**: "), "\n");
        let hover_risk = after(hover_line, "`", "`");
        let hover_exploitability = after(hover_line, "exploitability `", "`");
        let hover_judged = after(&hover, "**judged residual**: `", "`");
        let section = after(&explained, explain_section, next_section);
        let explain_risk = after(section, "residual risk = ", "\n");
        let lowered = after(section, "   exploitability ", "\n");
        let explain_exploitability = lowered.rsplit("-> ").next().unwrap();
        let judged = t.judged.as_str();
        assert_eq!(
            [table_risk, hover_risk, explain_risk],
            [t.judged_residual(analysis.judged_on).risk.overall.as_str(); 3],
            "{}: judged residual risk",
            t.id
        );
        assert_eq!(
            [
                table_exploitability,
                hover_exploitability,
                explain_exploitability
            ],
            [policy.exploitability_name(view.judged_residual(t).exploitability); 3],
            "{}: judged residual exploitability",
            t.id
        );
        assert_eq!(hover_judged, judged, "{}: hover's judged residual", t.id);
        assert!(
            explained.contains(&format!(
                "9. Judged on {}: {judged}",
                view.judged_on_reason()
            )),
            "{}: --explain-risk's verdict:\n{explained}",
            t.id
        );
    }
    // The example exercises every kind of source.
    assert_eq!(sources.len(), 4, "sources seen: {sources:?}");
}
