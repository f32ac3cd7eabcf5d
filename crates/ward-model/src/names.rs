//! The model's one namespace and reference resolution: unknown ids (with
//! did-you-mean among ids of the expected kind), wrong kinds, reserved
//! words, `.reverse`. Every resolved reference is recorded for the
//! language server.

use crate::codes;
use crate::model::*;
use crate::suggest::suggest;
use std::collections::HashMap;
use ward_diagnostics::{Applicability, Diagnostic, Fix, Span};
use ward_syntax::ast::{self, DeclKind};

#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub kind: DeclKind,
    pub symbol: Symbol,
    pub name_span: Span,
    /// For flows: the reverse direction of a `<->` flow.
    pub reverse: Option<FlowId>,
    /// For rules: what it applies to (read early, for `RULE@ELEMENT`).
    pub applies_to: Option<RuleTarget>,
}

/// The context every lowering step shares: names, diagnostics, symbols.
pub(crate) struct Cx {
    pub names: HashMap<String, Entry>,
    /// Declared names with their kind, in declaration order (the kind is
    /// kept here so listing the names of a kind needs no lookups).
    pub order: Vec<(String, DeclKind)>,
    pub diagnostics: Vec<Diagnostic>,
    pub symbols: SymbolIndex,
    /// Rule names of `std::stride` when it is not in use, for a hint.
    pub unused_std_rules: Vec<String>,
    /// Name comparisons left for did-you-mean help on unknown ids: each
    /// unknown id is compared with every id of its kinds, so a model with
    /// thousands of both would take minutes. Deterministic: the first
    /// unknown ids get suggestions, the rest plain help.
    pub suggestion_budget: usize,
    /// Where the syntax errors are: a declaration with one inside it is
    /// damaged, and what it seems to lack may be in the text that failed.
    pub syntax_errors: Vec<Span>,
}

/// The initial [`Cx::suggestion_budget`].
pub(crate) const SUGGESTION_BUDGET: usize = 10_000_000;

/// Describes a set of declaration kinds in messages: "a component or actor".
pub(crate) fn describe_kinds(kinds: &[DeclKind]) -> String {
    let words: Vec<&str> = kinds
        .iter()
        .map(|k| {
            if *k == DeclKind::Data {
                "data item"
            } else {
                k.keyword()
            }
        })
        .collect();
    let article = match words.first() {
        Some(w) if w.starts_with(['a', 'e', 'i', 'o', 'u']) => "an",
        _ => "a",
    };
    match words.len() {
        0 => "a declaration".into(),
        1 => format!("{article} {}", words[0]),
        n => format!(
            "{article} {} or {}",
            words[..n - 1].join(", "),
            words[n - 1]
        ),
    }
}

pub(crate) const ELEMENT_KINDS: &[DeclKind] = &[DeclKind::Component, DeclKind::Actor];
pub(crate) const TARGET_KINDS: &[DeclKind] =
    &[DeclKind::Flow, DeclKind::Component, DeclKind::Actor];

impl Cx {
    pub fn new() -> Cx {
        Cx {
            names: HashMap::new(),
            order: Vec::new(),
            diagnostics: Vec::new(),
            symbols: SymbolIndex::default(),
            unused_std_rules: Vec::new(),
            suggestion_budget: SUGGESTION_BUDGET,
            syntax_errors: Vec::new(),
        }
    }

    /// Whether `decl` did not parse whole: its block never opened or closed,
    /// or a syntax error lies inside it.
    pub fn is_damaged(&self, decl: &ast::Decl) -> bool {
        decl.body.close.is_none()
            || self.syntax_errors.iter().any(|e| {
                e.file == decl.span.file && decl.span.start <= e.start && e.start < decl.span.end
            })
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn reference(&mut self, span: Span, symbol: Symbol) {
        self.symbols.references.push(Reference { span, symbol });
    }

    /// Declares a name; a duplicate is reported at the later declaration.
    /// Returns whether the name is now this declaration's.
    pub fn declare(&mut self, name: &ast::Ident, entry: Entry, decl_span: Span) -> bool {
        // A header that broke before its id (reported by the parser).
        if name.name.is_empty() {
            return false;
        }
        self.symbols.declarations.push(Declaration {
            name: name.name.clone(),
            kind: entry.kind,
            symbol: entry.symbol,
            span: decl_span,
            name_span: name.span,
        });
        if let Some(first) = self.names.get(&name.name) {
            let first_span = first.name_span;
            let first_kind = first.kind;
            self.push(
                Diagnostic::error(
                    codes::DUPLICATE_ID,
                    name.span,
                    format!("`{}` is declared twice", name.name),
                )
                .with_primary_label("declared again here")
                .with_label(
                    first_span,
                    format!("first declared here, as {}", describe_kinds(&[first_kind])),
                )
                .with_help("every id is declared once in the whole model; rename one"),
            );
            return false;
        }
        self.order.push((name.name.clone(), entry.kind));
        self.names.insert(name.name.clone(), entry);
        true
    }

    /// The declared id of one of `kinds` closest to `id`, within the
    /// suggestion budget, with the fix that writes it instead.
    fn suggest(&mut self, id: &ast::Ident, kinds: &[DeclKind]) -> Option<(String, Fix)> {
        let cost = self.names_of(kinds).count();
        if cost > self.suggestion_budget {
            self.suggestion_budget = 0;
            return None;
        }
        self.suggestion_budget -= cost;
        suggest(&id.name, self.names_of(kinds))
            .map(|best| (best.name.to_owned(), best.fix(&id.name, id.span)))
    }

    /// Names of declarations of the given kinds, in declaration order.
    pub fn names_of<'a>(&'a self, kinds: &'a [DeclKind]) -> impl Iterator<Item = &'a str> + 'a {
        self.order
            .iter()
            .filter(move |(_, kind)| kinds.contains(kind))
            .map(|(name, _)| name.as_str())
    }

    /// Resolves a bare id to a declaration of one of `kinds`, reporting a
    /// reserved word, an unknown id or a wrong kind.
    pub fn resolve(&mut self, id: &ast::Ident, kinds: &[DeclKind]) -> Option<Entry> {
        if ast::is_reserved(&id.name) {
            self.push(
                Diagnostic::error(
                    codes::RESERVED_REFERENCE,
                    id.span,
                    format!(
                        "`{}` is a reserved word, not {}",
                        id.name,
                        describe_kinds(kinds)
                    ),
                )
                .with_primary_label("reserved word")
                .with_help(format!(
                    "reserved words cannot be ids; name {} here",
                    describe_kinds(kinds)
                )),
            );
            return None;
        }
        let Some(entry) = self.names.get(&id.name).cloned() else {
            let suggestion = self.suggest(id, kinds);
            let std_rule =
                kinds.contains(&DeclKind::Rule) && self.unused_std_rules.contains(&id.name);
            let d = Diagnostic::error(
                codes::UNKNOWN_ID,
                id.span,
                format!("unknown {} `{}`", kind_noun(kinds), id.name),
            )
            .with_primary_label(format!("no {} named `{}`", kind_noun(kinds), id.name));
            self.push(match suggestion {
                _ if std_rule => d.with_help(format!(
                    "`{}` is a rule of `std::stride`: add `use std::stride`",
                    id.name
                )),
                Some((s, fix)) => d.with_help(format!("did you mean `{s}`?")).with_fix(fix),
                None => d.with_help(format!(
                    "declare {} `{}`, or name an existing one",
                    describe_kinds(kinds),
                    id.name
                )),
            });
            return None;
        };
        if !kinds.contains(&entry.kind) {
            let suggestion = self.suggest(id, kinds);
            let mut d = Diagnostic::error(
                codes::WRONG_KIND,
                id.span,
                format!(
                    "`{}` is {}, expected {}",
                    id.name,
                    describe_kinds(&[entry.kind]),
                    describe_kinds(kinds)
                ),
            )
            .with_primary_label(format!("expected {}", describe_kinds(kinds)))
            .with_label(entry.name_span, format!("`{}` is declared here", id.name));
            if let Some((s, mut fix)) = suggestion {
                // The id exists, as another kind: a similar name is a guess.
                fix.applicability = Applicability::Unsafe;
                d = d.with_help(format!("did you mean `{s}`?")).with_fix(fix);
            }
            self.push(d);
            return None;
        }
        self.reference(id.span, entry.symbol);
        Some(entry)
    }

    /// Resolves a `ref` (`id` or `id.reverse`) to a declaration of one of
    /// `kinds`; `.reverse` must follow the id of a `<->` flow.
    pub fn resolve_ref(&mut self, r: &ast::Ref, kinds: &[DeclKind]) -> Option<Symbol> {
        let Some(reverse_span) = r.reverse else {
            return self.resolve(&r.id, kinds).map(|e| e.symbol);
        };
        if !kinds.contains(&DeclKind::Flow) {
            self.push(
                Diagnostic::error(
                    codes::BAD_REVERSE,
                    reverse_span,
                    format!(
                        "`.reverse` is not allowed here: expected {}",
                        describe_kinds(kinds)
                    ),
                )
                .with_primary_label("only a flow has a reverse direction"),
            );
            return None;
        }
        let entry = self.resolve(&r.id, kinds)?;
        if entry.kind != DeclKind::Flow {
            // Drop the reference just recorded: the whole ref is invalid.
            self.symbols.references.pop();
            self.push(
                Diagnostic::error(
                    codes::BAD_REVERSE,
                    reverse_span,
                    format!(
                        "`{}` is {}, it has no reverse direction",
                        r.id.name,
                        describe_kinds(&[entry.kind])
                    ),
                )
                .with_primary_label("`.reverse` only follows the id of a `<->` flow"),
            );
            return None;
        }
        let Some(reverse) = entry.reverse else {
            self.symbols.references.pop();
            self.push(
                Diagnostic::error(
                    codes::BAD_REVERSE,
                    reverse_span,
                    format!(
                        "flow `{}` is one-way (`->`): it has no reverse direction",
                        r.id.name
                    ),
                )
                .with_primary_label("no reverse direction")
                .with_label(entry.name_span, "declared with `->` here")
                .with_help(
                    "declare the flow with `<->` (or give it `returns: [...]`) to refer to its reverse, or declare a flow back",
                ),
            );
            return None;
        };
        self.symbols.references.pop();
        self.reference(r.span, Symbol::Flow(reverse));
        Some(Symbol::Flow(reverse))
    }

    /// A reference in a declaration header (`in`, flow ends, `accept`):
    /// the parser already reported a reserved word there.
    pub fn resolve_header_ref(&mut self, r: &ast::Ref, kinds: &[DeclKind]) -> Option<Symbol> {
        if ast::is_reserved(&r.id.name) {
            return None;
        }
        self.resolve_ref(r, kinds)
    }

    pub fn resolve_target(&mut self, r: &ast::Ref) -> Option<Target> {
        match self.resolve_ref(r, TARGET_KINDS)? {
            Symbol::Element(e) => Some(Target::Element(e)),
            Symbol::Flow(f) => Some(Target::Flow(f)),
            _ => None,
        }
    }

    /// A component or actor; `header` for flow ends (see `resolve_header_ref`).
    pub fn resolve_element(&mut self, r: &ast::Ref, header: bool) -> Option<ElementId> {
        let symbol = if header {
            self.resolve_header_ref(r, ELEMENT_KINDS)
        } else {
            self.resolve_ref(r, ELEMENT_KINDS)
        };
        match symbol? {
            Symbol::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn resolve_flow(&mut self, r: &ast::Ref) -> Option<FlowId> {
        match self.resolve_ref(r, &[DeclKind::Flow])? {
            Symbol::Flow(f) => Some(f),
            _ => None,
        }
    }
}

/// "component or actor" (no article), for "unknown ..." messages.
pub(crate) fn kind_noun(kinds: &[DeclKind]) -> String {
    let words: Vec<&str> = kinds.iter().map(|k| k.keyword()).collect();
    match words.len() {
        0 => "id".into(),
        1 => words[0].into(),
        n => format!("{} or {}", words[..n - 1].join(", "), words[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_stop_when_the_budget_is_spent() {
        let ident = |name: &str| ast::Ident {
            name: name.into(),
            span: Span::default(),
        };
        let mut cx = Cx::new();
        for i in 0..10 {
            let entry = Entry {
                kind: DeclKind::Zone,
                symbol: Symbol::Zone(ZoneId::from_index(i)),
                name_span: Span::default(),
                reverse: None,
                applies_to: None,
            };
            cx.declare(&ident(&format!("zone{i}")), entry, Span::default());
        }
        // Each unknown zone costs the 10 zone names.
        cx.suggestion_budget = 15;
        cx.resolve(&ident("zone1x"), &[DeclKind::Zone]);
        cx.resolve(&ident("zone2x"), &[DeclKind::Zone]);
        let helps: Vec<String> = cx
            .diagnostics
            .iter()
            .map(|d| d.help.clone().unwrap_or_default())
            .collect();
        assert_eq!(helps[0], "did you mean `zone1`?");
        assert_eq!(helps[1], "declare a zone `zone2x`, or name an existing one");
    }

    #[test]
    fn kinds_read_as_english() {
        assert_eq!(describe_kinds(&[DeclKind::Zone]), "a zone");
        assert_eq!(describe_kinds(&[DeclKind::Actor]), "an actor");
        assert_eq!(describe_kinds(TARGET_KINDS), "a flow, component or actor");
        assert_eq!(kind_noun(ELEMENT_KINDS), "component or actor");
    }
}
