//! `docs/language.md` §3 and the vocabulary table (`ward_model::language`)
//! say the same: every property of every declaration has a row in its
//! declaration's table, with the same default and the same **R** (required)
//! mark, and every row names a property the declaration takes. The table is
//! the source; this test names the row to change.

use std::collections::BTreeMap;
use ward_model::language::{self, PropertySpec};
use ward_syntax::ast::DeclKind;

/// One property row: `(required, default)` by key, for each `### 3.N KEYWORD`
/// section, and under `""` the common table before §3.1.
fn reference_rows() -> BTreeMap<String, BTreeMap<String, (bool, String)>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/language.md");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.find("## 3. Declarations").expect("§3");
    let end = text.find("## 4. ").expect("§4");
    let mut rows: BTreeMap<String, BTreeMap<String, (bool, String)>> = BTreeMap::new();
    let mut section = String::new();
    // Inside a table whose header is `| property | type | default ...`.
    let mut in_table = false;
    for line in text[start..end].lines() {
        if let Some(title) = line.strip_prefix("### 3.") {
            section = title
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
            continue;
        }
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        if line.starts_with("| property |") {
            in_table = true;
            continue;
        }
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        let Some(name) = cells[0].strip_prefix('`') else {
            continue;
        };
        let Some((key, rest)) = name.split_once('`') else {
            continue;
        };
        if !in_table {
            continue;
        }
        let table = rows.entry(section.clone()).or_default();
        table
            .entry(key.to_string())
            .or_insert((rest.contains("**R**"), cells[2].to_string()));
    }
    rows
}

fn section(kind: Option<DeclKind>) -> String {
    kind.map_or(String::new(), |k| k.keyword().to_string())
}

#[test]
fn every_property_has_its_row_with_the_same_default() {
    let rows = reference_rows();
    let mut wrong = Vec::new();
    let mut check = |kind: Option<DeclKind>, spec: &PropertySpec| {
        let name = section(kind);
        let what = format!(
            "{} `{}`",
            if name.is_empty() { "common" } else { &name },
            spec.key
        );
        match rows.get(&name).and_then(|t| t.get(spec.key)) {
            None => wrong.push(format!("{what}: no row in docs/language.md §3")),
            Some((required, default)) => {
                if *required != spec.required {
                    wrong.push(format!(
                        "{what}: **R** is {required}, the table says {}",
                        spec.required
                    ));
                }
                if default != spec.default {
                    wrong.push(format!(
                        "{what}: default {default:?} in the docs, {:?} in the table",
                        spec.default
                    ));
                }
            }
        }
        assert!(!spec.doc.is_empty(), "{what} has no doc");
    };
    for kind in DeclKind::ALL {
        for spec in language::own_properties(kind) {
            check(Some(kind), spec);
        }
    }
    for spec in language::properties(DeclKind::Zone).filter(|p| {
        language::own_properties(DeclKind::Zone)
            .iter()
            .all(|o| o.key != p.key)
    }) {
        check(None, spec);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_row_names_a_property_the_declaration_takes() {
    let mut unknown = Vec::new();
    for (name, table) in reference_rows() {
        let kind = DeclKind::ALL.into_iter().find(|k| k.keyword() == name);
        for key in table.keys() {
            let takes = match kind {
                Some(kind) => language::property(kind, key).is_some(),
                None => language::property(DeclKind::Zone, key).is_some(),
            };
            if !takes {
                unknown.push(format!("§3 {name}: `{key}`"));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "rows for properties the language does not have: {unknown:?}"
    );
}
