//! Hover: what an id means once the model is resolved and analysed. This
//! module finds what is under the cursor (a symbol, or a `RULE@ELEMENT`
//! reference to a generated threat) and hands it to the render function of
//! its kind in `render`; `tests` checks every kind on cursor-marker
//! fixtures.

#[cfg(test)]
mod presenters_agree;
mod render;
#[cfg(test)]
mod tests;

use crate::features::navigation::symbol_at;
use crate::workspace::{AnalysisWait, Snapshot};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};
use ward_diagnostics::{FileId, Span};
use ward_model::language::{self, PropertySpec};
use ward_model::{ElementId, Symbol};
use ward_syntax::ast::{DeclKind, Item, PropertyValue, ThreatRef, Value};

pub use render::risk_change;

/// What the cursor is on, as far as hover is concerned.
enum Hovered {
    /// `RULE@ELEMENT`; `id` is the reference as written.
    GeneratedThreat {
        id: String,
        reference: ThreatRef,
    },
    Symbol(Symbol),
    /// A property's key, in a declaration of `kind`.
    PropertyKey {
        kind: DeclKind,
        spec: &'static PropertySpec,
    },
    /// The `sbom:` value of a component: what it imported.
    Sbom(ElementId),
}

pub fn hover(snapshot: &Snapshot, file: FileId, offset: usize) -> Option<Hover> {
    let (hovered, span) = hovered_at(snapshot, file, offset)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: render(snapshot, &hovered)?,
        }),
        range: Some(snapshot.range(span)),
    })
}

/// What the hover at `offset` is about, and the span it covers. Needs the
/// checked model: a snapshot that only parsed has nothing to hover.
fn hovered_at(snapshot: &Snapshot, file: FileId, offset: usize) -> Option<(Hovered, Span)> {
    if let Some((kind, spec, span)) = property_key_at(snapshot, file, offset) {
        return Some((Hovered::PropertyKey { kind, spec }, span));
    }
    let model = snapshot.model.as_ref()?;
    if let Some((element, span)) = sbom_value_at(model, file, offset) {
        return Some((Hovered::Sbom(element), span));
    }
    match generated_ref_at(snapshot, file, offset) {
        Some(reference) => {
            let id = snapshot.text(file).get(reference.span.range())?.to_owned();
            let span = reference.span;
            Some((Hovered::GeneratedThreat { id, reference }, span))
        }
        None => {
            let (symbol, span) = symbol_at(model, file, offset)?;
            Some((Hovered::Symbol(symbol), span))
        }
    }
}

/// The Markdown for what is hovered, with a note that the analysis waits
/// where the kind shows analysed facts and the model does not compile.
fn render(snapshot: &Snapshot, hovered: &Hovered) -> Option<String> {
    let mut out = render_kind(snapshot, hovered)?;
    let analysed_kind = match hovered {
        Hovered::GeneratedThreat { .. } => true,
        Hovered::Symbol(symbol) => matches!(
            symbol,
            Symbol::Element(_) | Symbol::Flow(_) | Symbol::Threat(_) | Symbol::Rule(_)
        ),
        Hovered::PropertyKey { .. } | Hovered::Sbom(_) => false,
    };
    if let Some(wait) = snapshot.analysis_waits.filter(|_| analysed_kind) {
        out.push_str(&analysis_waits(snapshot, wait));
    }
    Some(out)
}

/// Why no threats or risk are shown: how many errors, and where the first is.
fn analysis_waits(snapshot: &Snapshot, wait: AnalysisWait) -> String {
    let errors = match wait.errors {
        1 => "the error is".to_owned(),
        n => format!("the {n} errors are"),
    };
    let first = wait.first.map_or_else(String::new, |span| {
        let source = snapshot.source(span.file);
        let at = source.line_col(span.start as usize);
        format!(" (first at `{}:{}:{}`)", source.name, at.line, at.column)
    });
    format!("\n*Threats and risk: analysis waits until {errors} fixed{first}.*\n")
}

/// The Markdown for what is hovered: one render function per kind.
fn render_kind(snapshot: &Snapshot, hovered: &Hovered) -> Option<String> {
    let model = snapshot.model.as_ref();
    let analysis = snapshot.analysis.as_ref();
    let symbol = match hovered {
        Hovered::PropertyKey { kind, spec } => return Some(render::property_key(*kind, spec)),
        Hovered::Sbom(element) => return Some(render::sbom(model?, *element)),
        Hovered::GeneratedThreat { id, reference } => {
            return render::generated_threat(model?, analysis, snapshot.view(), id, reference)
        }
        Hovered::Symbol(symbol) => *symbol,
    };
    let model = model?;
    Some(match symbol {
        Symbol::System => return render::system(model),
        Symbol::Zone(id) => render::zone(model, id),
        Symbol::Data(id) => render::data(model, id),
        Symbol::Element(id) => render::element(model, analysis, id),
        Symbol::Flow(id) => render::flow(model, analysis, id),
        Symbol::Hazard(id) => render::hazard(model, id),
        Symbol::Threat(id) => render::threat(model, analysis, snapshot.view(), id),
        Symbol::Rule(id) => render::rule(model, analysis, id),
        Symbol::Control(id) => render::control(model, id),
        Symbol::Verification(id) => render::verification(model, id),
        Symbol::Assumption(id) => render::assumption(model, id),
        Symbol::Usecase(id) => render::usecase(model, id),
        Symbol::Accept(id) => render::accept(model, id),
        Symbol::Disposition(id) => render::disposition(model, id),
        Symbol::Approval(id) => render::approval(model, id),
        Symbol::Software(id) => render::software(model, id),
        Symbol::Vulnerability(id) => render::vulnerability(model, id),
        Symbol::Anomaly(id) => render::anomaly(model, id),
        Symbol::Monitoring(id) => render::monitoring(model, id)?,
        Symbol::Policy(id) => render::policy(model, id),
        Symbol::File(id) => render::file(snapshot, model, id),
    })
}

/// The top-level property key under the cursor, with its declaration's
/// kind, its entry in the vocabulary table and the key's span. Only the
/// parse is needed, so a key hovers in a model that does not compile.
fn property_key_at(
    snapshot: &Snapshot,
    file: FileId,
    offset: usize,
) -> Option<(DeclKind, &'static PropertySpec, Span)> {
    let within = |span: Span| span.start as usize <= offset && offset <= span.end as usize;
    snapshot.file(file).ast.items.iter().find_map(|item| {
        let Item::Decl(decl) = item else { return None };
        let key = decl
            .body
            .properties
            .iter()
            .map(|p| &p.key)
            .find(|key| within(key.span))?;
        Some((
            decl.kind,
            language::property(decl.kind, &key.name)?,
            key.span,
        ))
    })
}

/// The component whose `sbom:` value is under the cursor, and that value's span.
fn sbom_value_at(
    model: &ward_model::Model,
    file: FileId,
    offset: usize,
) -> Option<(ElementId, Span)> {
    model.elements.iter().enumerate().find_map(|(i, e)| {
        let span = e.sbom.as_ref()?.span;
        (span.file == file && span.start as usize <= offset && offset <= span.end as usize)
            .then_some((ElementId(i as u32), span))
    })
}

/// The `RULE@ELEMENT` reference under the cursor, if any.
fn generated_ref_at(snapshot: &Snapshot, file: FileId, offset: usize) -> Option<ThreatRef> {
    let ast = &snapshot.file(file).ast;
    let within = |span: Span| span.start as usize <= offset && offset <= span.end as usize;
    let mut found = None;
    let mut visit = |value: &Value| {
        visit_threat_refs(value, &mut |t: &ThreatRef| {
            if t.element.is_some() && within(t.span) {
                found = Some(t.clone());
            }
        })
    };
    for item in &ast.items {
        let Item::Decl(decl) = item else { continue };
        if !within(decl.span) {
            continue;
        }
        if let Some(accepted) = decl
            .accepted
            .iter()
            .find(|t| t.element.is_some() && within(t.span))
        {
            return Some(accepted.clone());
        }
        for property in &decl.body.properties {
            if let PropertyValue::Value(value) = &property.value {
                visit(value);
            }
        }
    }
    found
}

fn visit_threat_refs(value: &Value, f: &mut dyn FnMut(&ThreatRef)) {
    match value {
        Value::ThreatRef(t) => f(t),
        Value::List(list) => list
            .items
            .iter()
            .for_each(|item| visit_threat_refs(item, f)),
        _ => {}
    }
}
