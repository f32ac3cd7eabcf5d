//! Document symbols (the outline: declarations, their properties, and the
//! keys of block properties) and workspace symbols (declarations of every
//! loaded model, fuzzy-matched).

use crate::workspace::Snapshot;
use lsp_types::{DocumentSymbol, Location, SymbolInformation, SymbolKind};
use ward_diagnostics::FileId;
use ward_syntax::ast::{Decl, DeclKind, Item, Property, PropertyValue, UseTarget};

pub fn symbol_kind(kind: DeclKind) -> SymbolKind {
    match kind {
        DeclKind::System => SymbolKind::MODULE,
        DeclKind::Zone => SymbolKind::NAMESPACE,
        DeclKind::Data => SymbolKind::STRUCT,
        DeclKind::Component => SymbolKind::CLASS,
        DeclKind::Actor => SymbolKind::INTERFACE,
        DeclKind::Flow => SymbolKind::EVENT,
        DeclKind::Hazard => SymbolKind::CONSTANT,
        DeclKind::Threat => SymbolKind::FUNCTION,
        DeclKind::Rule => SymbolKind::OPERATOR,
        DeclKind::Control => SymbolKind::METHOD,
        DeclKind::Verification => SymbolKind::OBJECT,
        DeclKind::Assumption => SymbolKind::KEY,
        DeclKind::Accept | DeclKind::Disposition => SymbolKind::VARIABLE,
        DeclKind::Usecase => SymbolKind::ENUM,
        DeclKind::Policy => SymbolKind::PACKAGE,
        DeclKind::Approval => SymbolKind::EVENT,
        DeclKind::Software => SymbolKind::PACKAGE,
        DeclKind::Vulnerability => SymbolKind::EVENT,
        DeclKind::Anomaly => SymbolKind::EVENT,
        DeclKind::Monitoring => SymbolKind::OBJECT,
    }
}

/// The name shown for a declaration: its id, or `accept R@E`.
fn display_name(decl: &Decl) -> String {
    match decl.kind {
        DeclKind::Accept | DeclKind::Disposition => {
            format!("{} {}", decl.kind.keyword(), decl.name.name)
        }
        _ => decl.name.name.clone(),
    }
}

fn detail(decl: &Decl) -> String {
    match &decl.title {
        Some(title) => format!("{} \u{2014} {}", decl.kind.keyword(), title.value),
        None => decl.kind.keyword().to_owned(),
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be given.
pub fn document_symbols(snapshot: &Snapshot, file: FileId) -> Vec<DocumentSymbol> {
    let ast = &snapshot.file(file).ast;
    let text = snapshot.text(file);
    ast.items
        .iter()
        .map(|item| match item {
            Item::Use(u) => {
                let target = match &u.target {
                    UseTarget::Path(p) => p.text(),
                    UseTarget::File(s) => s.value.clone(),
                };
                DocumentSymbol {
                    name: format!("use {target}"),
                    detail: None,
                    kind: SymbolKind::MODULE,
                    tags: None,
                    deprecated: None,
                    range: snapshot.range(u.span),
                    selection_range: snapshot.range(u.span),
                    children: None,
                }
            }
            Item::Decl(decl) => DocumentSymbol {
                name: display_name(decl),
                detail: Some(detail(decl)),
                kind: symbol_kind(decl.kind),
                tags: None,
                deprecated: None,
                range: snapshot.range(decl.span),
                selection_range: snapshot.range(decl.name.span),
                children: Some(
                    decl.body
                        .properties
                        .iter()
                        .map(|p| property_symbol(snapshot, text, p))
                        .collect(),
                ),
            },
        })
        .collect()
}

#[allow(deprecated)]
fn property_symbol(snapshot: &Snapshot, text: &str, property: &Property) -> DocumentSymbol {
    let (detail, children) = match &property.value {
        PropertyValue::Value(value) => (
            Some(short(text.get(value.span().range()).unwrap_or(""))),
            None,
        ),
        PropertyValue::Block(block) => (
            None,
            Some(
                block
                    .properties
                    .iter()
                    .map(|p| property_symbol(snapshot, text, p))
                    .collect(),
            ),
        ),
    };
    DocumentSymbol {
        name: property.key.name.clone(),
        detail,
        kind: SymbolKind::PROPERTY,
        tags: None,
        deprecated: None,
        range: snapshot.range(property.span),
        selection_range: snapshot.range(property.key.span),
        children,
    }
}

/// A value's source text on one line, cut at 60 characters.
fn short(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        format!("{}\u{2026}", one_line.chars().take(59).collect::<String>())
    } else {
        one_line
    }
}

/// The outline flattened, for clients without hierarchical symbols.
#[allow(deprecated)]
pub fn flat_symbols(snapshot: &Snapshot, file: FileId) -> Vec<SymbolInformation> {
    let Some(uri) = snapshot.file(file).uri.clone() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for symbol in document_symbols(snapshot, file) {
        out.push(SymbolInformation {
            name: symbol.name.clone(),
            kind: symbol.kind,
            tags: None,
            deprecated: None,
            location: Location {
                uri: uri.clone(),
                range: symbol.range,
            },
            container_name: None,
        });
    }
    out
}

/// Declarations of the user files of every snapshot matching `query`
/// (characters in order, case-insensitive), best matches first.
#[allow(deprecated)]
pub fn workspace_symbols(
    snapshots: &[std::sync::Arc<Snapshot>],
    query: &str,
) -> Vec<SymbolInformation> {
    let mut scored = Vec::new();
    for snapshot in snapshots {
        for (index, view) in snapshot.files.iter().enumerate() {
            let Some(uri) = view.uri.as_ref().filter(|_| view.is_user) else {
                continue;
            };
            let file = FileId(index as u32);
            for item in &view.ast.items {
                let Item::Decl(decl) = item else { continue };
                if matches!(decl.kind, DeclKind::Accept | DeclKind::Disposition) {
                    continue;
                }
                let Some(score) = fuzzy_score(query, &decl.name.name) else {
                    continue;
                };
                let symbol = SymbolInformation {
                    name: decl.name.name.clone(),
                    kind: symbol_kind(decl.kind),
                    tags: None,
                    deprecated: None,
                    location: Location {
                        uri: uri.clone(),
                        range: snapshot.range(decl.name.span),
                    },
                    container_name: Some(decl.kind.keyword().to_owned()),
                };
                scored.push((score, symbol, file));
            }
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    scored.dedup_by(|a, b| a.1.name == b.1.name && a.1.location == b.1.location);
    scored
        .into_iter()
        .take(256)
        .map(|(_, symbol, _)| symbol)
        .collect()
}

/// `None` when `query`'s characters do not all occur in `name` in order.
/// Higher is better: exact, then prefix, then substring, then a scattered
/// match (fewer gaps first).
pub fn fuzzy_score(query: &str, name: &str) -> Option<i64> {
    let query = query.to_lowercase();
    let lower = name.to_lowercase();
    if query.is_empty() {
        return Some(0);
    }
    if lower == query {
        return Some(4_000);
    }
    if lower.starts_with(&query) {
        return Some(3_000 - lower.len() as i64);
    }
    if let Some(at) = lower.find(&query) {
        return Some(2_000 - at as i64);
    }
    let mut gaps = 0i64;
    let mut chars = lower.chars();
    for wanted in query.chars() {
        let mut skipped = 0;
        loop {
            match chars.next() {
                Some(c) if c == wanted => break,
                Some(_) => skipped += 1,
                None => return None,
            }
        }
        gaps += skipped;
    }
    Some(1_000 - gaps)
}

#[cfg(test)]
mod tests {
    use super::fuzzy_score;

    #[test]
    fn fuzzy_ranks_exact_prefix_substring_scattered() {
        let exact = fuzzy_score("pump", "pump").unwrap();
        let prefix = fuzzy_score("pump", "pump_hw").unwrap();
        let inner = fuzzy_score("pump", "insulin_pump").unwrap();
        let scattered = fuzzy_score("fdo", "f_dose").unwrap();
        assert!(exact > prefix && prefix > inner && inner > scattered);
        assert_eq!(fuzzy_score("xyz", "pump"), None);
        assert!(fuzzy_score("PUMP", "pump").is_some());
    }
}
