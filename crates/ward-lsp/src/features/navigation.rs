//! Go to definition, find references, document highlight and rename, all
//! from the model's symbol index (every declaration and every reference
//! occurrence across the model's files).

use crate::workspace::Snapshot;
use lsp_types::{DocumentHighlight, DocumentHighlightKind, Location, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;
use ward_diagnostics::{FileId, Span};
use ward_model::{Model, Symbol};

/// The symbol under a byte offset and the span of that occurrence. An
/// offset just past an id (the cursor after a word) counts as on it.
pub fn symbol_at(model: &Model, file: FileId, offset: usize) -> Option<(Symbol, Span)> {
    occurrence(model, file, offset).or_else(|| {
        offset
            .checked_sub(1)
            .and_then(|o| occurrence(model, file, o))
    })
}

fn occurrence(model: &Model, file: FileId, offset: usize) -> Option<(Symbol, Span)> {
    let hit = |span: Span| {
        span.file == file && span.start as usize <= offset && offset < span.end as usize
    };
    let index = &model.symbols;
    index
        .references
        .iter()
        .filter(|r| hit(r.span))
        .min_by_key(|r| r.span.len())
        .map(|r| (r.symbol, r.span))
        .or_else(|| {
            index
                .declarations
                .iter()
                .find(|d| hit(d.name_span))
                .map(|d| (d.symbol, d.name_span))
        })
}

/// The symbols that share a written name: a `<->` flow and its reverse
/// (`f.reverse` mentions `f`).
fn family(model: &Model, symbol: Symbol) -> Vec<Symbol> {
    match symbol {
        Symbol::Flow(id) => {
            let flow = model.flow(id);
            let forward = flow.reverse_of.unwrap_or(id);
            let mut out = vec![Symbol::Flow(forward)];
            if let Some(reverse) = model.flow(forward).reverse {
                out.push(Symbol::Flow(reverse));
            }
            out
        }
        other => vec![other],
    }
}

/// The span of the declared id of a symbol (for a reverse flow, the
/// forward flow's declaration).
fn declaration_span(model: &Model, symbol: Symbol) -> Option<Span> {
    family(model, symbol)
        .into_iter()
        .find_map(|s| model.symbols.declaration(s))
        .map(|d| d.name_span)
}

pub fn definition(
    snapshot: &Snapshot,
    model: &Model,
    file: FileId,
    offset: usize,
) -> Option<Location> {
    let (symbol, _) = symbol_at(model, file, offset)?;
    if let Symbol::File(target) = symbol {
        return snapshot.location(Span {
            file: target,
            start: 0,
            end: 0,
        });
    }
    let span = model
        .symbols
        .declaration(symbol)
        .map(|d| d.name_span)
        .or_else(|| declaration_span(model, symbol))?;
    snapshot.location(span)
}

/// Every occurrence of the symbol under the cursor (and of its family).
fn occurrences(model: &Model, symbol: Symbol, include_declaration: bool) -> Vec<Span> {
    let mut spans = Vec::new();
    for member in family(model, symbol) {
        if include_declaration {
            if let Some(d) = model.symbols.declaration(member) {
                spans.push(d.name_span);
            }
        }
        spans.extend(model.symbols.references_to(member).map(|r| r.span));
    }
    spans.sort();
    spans.dedup();
    spans
}

pub fn references(
    snapshot: &Snapshot,
    model: &Model,
    file: FileId,
    offset: usize,
    include_declaration: bool,
) -> Vec<Location> {
    let Some((symbol, _)) = symbol_at(model, file, offset) else {
        return Vec::new();
    };
    occurrences(model, symbol, include_declaration)
        .into_iter()
        .filter_map(|s| snapshot.location(s))
        .collect()
}

pub fn highlights(
    snapshot: &Snapshot,
    model: &Model,
    file: FileId,
    offset: usize,
) -> Vec<DocumentHighlight> {
    let Some((symbol, _)) = symbol_at(model, file, offset) else {
        return Vec::new();
    };
    let declarations: Vec<Span> = family(model, symbol)
        .into_iter()
        .filter_map(|s| model.symbols.declaration(s).map(|d| d.name_span))
        .collect();
    occurrences(model, symbol, true)
        .into_iter()
        .filter(|s| s.file == file)
        .map(|span| DocumentHighlight {
            range: snapshot.range(span),
            kind: Some(if declarations.contains(&span) {
                DocumentHighlightKind::WRITE
            } else {
                DocumentHighlightKind::READ
            }),
        })
        .collect()
}

/// Why a rename cannot be done.
#[derive(Debug, PartialEq, Eq)]
pub struct RenameRefused(pub String);

/// The renamable id under the cursor: its name and the range of the name
/// (for `f.reverse`, the `f`).
pub fn prepare_rename(
    snapshot: &Snapshot,
    model: &Model,
    file: FileId,
    offset: usize,
) -> Result<(lsp_types::Range, String), RenameRefused> {
    let (symbol, span) = symbol_at(model, file, offset)
        .ok_or_else(|| RenameRefused("there is no id to rename here".into()))?;
    let name = renamable_name(snapshot, model, symbol)?;
    let name_span = Span {
        end: span.start + name.len() as u32,
        ..span
    };
    Ok((snapshot.range(name_span), name))
}

/// The name that a rename of the symbol rewrites, if it may be renamed.
fn renamable_name(
    snapshot: &Snapshot,
    model: &Model,
    symbol: Symbol,
) -> Result<String, RenameRefused> {
    if matches!(
        symbol,
        Symbol::File(_) | Symbol::Accept(_) | Symbol::Disposition(_)
    ) {
        return Err(RenameRefused("only declared ids can be renamed".into()));
    }
    let declaration = family(model, symbol)
        .into_iter()
        .find_map(|s| model.symbols.declaration(s))
        .ok_or_else(|| RenameRefused("this id is not declared".into()))?;
    if !snapshot.file(declaration.name_span.file).is_user {
        return Err(RenameRefused(format!(
            "`{}` is declared in the standard library and cannot be renamed",
            declaration.name
        )));
    }
    // The forward flow's name (a reverse flow's declaration is named `f.reverse`).
    let text = snapshot.text(declaration.name_span.file);
    Ok(text[declaration.name_span.range()].to_owned())
}

pub fn rename(
    snapshot: &Snapshot,
    model: &Model,
    file: FileId,
    offset: usize,
    new_name: &str,
) -> Result<WorkspaceEdit, RenameRefused> {
    let (symbol, _) = symbol_at(model, file, offset)
        .ok_or_else(|| RenameRefused("there is no id to rename here".into()))?;
    let old_name = renamable_name(snapshot, model, symbol)?;
    check_new_name(model, new_name, &old_name)?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for span in occurrences(model, symbol, true) {
        let name_span = Span {
            end: span.start + old_name.len() as u32,
            ..span
        };
        // Only rewrite occurrences that spell the old name (a sanity check).
        if snapshot.text(span.file).get(name_span.range()) != Some(old_name.as_str()) {
            continue;
        }
        if let Some(location) = snapshot.location(name_span) {
            changes.entry(location.uri).or_default().push(TextEdit {
                range: location.range,
                new_text: new_name.to_owned(),
            });
        }
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        document_changes: None,
        change_annotations: None,
    })
}

fn check_new_name(model: &Model, new_name: &str, old_name: &str) -> Result<(), RenameRefused> {
    if !is_identifier(new_name) {
        return Err(RenameRefused(format!(
            "`{new_name}` is not a valid id (letters, digits and `_`, not starting with a digit)"
        )));
    }
    if ward_syntax::ast::is_reserved(new_name) {
        return Err(RenameRefused(format!("`{new_name}` is a reserved word")));
    }
    if new_name != old_name
        && model
            .symbols
            .declarations
            .iter()
            .any(|d| d.name == new_name)
    {
        return Err(RenameRefused(format!("`{new_name}` is already declared")));
    }
    Ok(())
}

pub fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::is_identifier;

    #[test]
    fn identifiers() {
        assert!(is_identifier("pump_2"));
        assert!(is_identifier("_x"));
        assert!(!is_identifier("2x"));
        assert!(!is_identifier("a-b"));
        assert!(!is_identifier(""));
        assert!(!is_identifier("é"));
    }
}
