//! Semantic tokens (full document): keywords, declared ids by kind,
//! references by what they resolve to, property keys, strings, numbers,
//! comments, enum values and levels, operators. Built from the syntax tree;
//! the symbol index, when the model is there, tells references from enum
//! values and gives their kind.

use crate::workspace::Snapshot;
use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
};
use std::collections::HashMap;
use ward_diagnostics::{FileId, Span};
use ward_model::Symbol;
use ward_syntax::ast::{
    CommentKind, Decl, DeclKind, Expr, Item, PropertyValue, Ref, ThreatRef, UseTarget, Value,
};

/// Token types, in legend order.
const TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,     // 0
    SemanticTokenType::STRING,      // 1
    SemanticTokenType::NUMBER,      // 2
    SemanticTokenType::COMMENT,     // 3
    SemanticTokenType::OPERATOR,    // 4
    SemanticTokenType::PROPERTY,    // 5 property keys, `when` attributes
    SemanticTokenType::ENUM_MEMBER, // 6 enum values, levels
    SemanticTokenType::NAMESPACE,   // 7 system, zones, policies, std paths
    SemanticTokenType::STRUCT,      // 8 data
    SemanticTokenType::CLASS,       // 9 components
    SemanticTokenType::INTERFACE,   // 10 actors
    SemanticTokenType::EVENT,       // 11 flows
    SemanticTokenType::TYPE,        // 12 hazards
    SemanticTokenType::FUNCTION,    // 13 threats; `when` functions
    SemanticTokenType::MACRO,       // 14 rules
    SemanticTokenType::METHOD,      // 15 controls
    SemanticTokenType::PARAMETER,   // 16 verifications
    SemanticTokenType::VARIABLE,    // 17 assumptions, use cases, unresolved
];

const MODIFIERS: &[SemanticTokenModifier] = &[
    SemanticTokenModifier::DECLARATION,     // bit 0
    SemanticTokenModifier::DOCUMENTATION,   // bit 1
    SemanticTokenModifier::DEFAULT_LIBRARY, // bit 2
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
enum Kind {
    Keyword = 0,
    String = 1,
    Number = 2,
    Comment = 3,
    Operator = 4,
    Property = 5,
    EnumMember = 6,
    Namespace = 7,
    Struct = 8,
    Class = 9,
    Interface = 10,
    Event = 11,
    Type = 12,
    Function = 13,
    Macro = 14,
    Method = 15,
    Parameter = 16,
    Variable = 17,
}

const DECLARATION: u32 = 1;
const DOCUMENTATION: u32 = 2;
const DEFAULT_LIBRARY: u32 = 4;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: MODIFIERS.to_vec(),
    }
}

fn decl_kind(kind: DeclKind) -> Kind {
    match kind {
        DeclKind::System | DeclKind::Zone | DeclKind::Policy => Kind::Namespace,
        DeclKind::Approval
        | DeclKind::Software
        | DeclKind::Vulnerability
        | DeclKind::Anomaly
        | DeclKind::Monitoring => Kind::Variable,
        DeclKind::Data => Kind::Struct,
        DeclKind::Component => Kind::Class,
        DeclKind::Actor => Kind::Interface,
        DeclKind::Flow => Kind::Event,
        DeclKind::Hazard => Kind::Type,
        DeclKind::Threat => Kind::Function,
        DeclKind::Rule => Kind::Macro,
        DeclKind::Control => Kind::Method,
        DeclKind::Verification => Kind::Parameter,
        DeclKind::Assumption | DeclKind::Usecase | DeclKind::Accept | DeclKind::Disposition => {
            Kind::Variable
        }
    }
}

fn symbol_kind(model: &ward_model::Model, symbol: Symbol) -> (Kind, u32) {
    match symbol {
        Symbol::System | Symbol::Zone(_) | Symbol::File(_) => (Kind::Namespace, 0),
        Symbol::Policy(p) => (
            Kind::Namespace,
            if model.policy_by_id(p).from_stdlib {
                DEFAULT_LIBRARY
            } else {
                0
            },
        ),
        Symbol::Data(_) => (Kind::Struct, 0),
        Symbol::Element(e) => (
            if model.element(e).is_actor() {
                Kind::Interface
            } else {
                Kind::Class
            },
            0,
        ),
        Symbol::Flow(_) => (Kind::Event, 0),
        Symbol::Hazard(_) => (Kind::Type, 0),
        Symbol::Threat(_) => (Kind::Function, 0),
        Symbol::Rule(r) => (
            Kind::Macro,
            if model.rule(r).from_stdlib {
                DEFAULT_LIBRARY
            } else {
                0
            },
        ),
        Symbol::Control(_) => (Kind::Method, 0),
        Symbol::Verification(_) => (Kind::Parameter, 0),
        Symbol::Assumption(_)
        | Symbol::Usecase(_)
        | Symbol::Accept(_)
        | Symbol::Disposition(_)
        | Symbol::Approval(_)
        | Symbol::Software(_)
        | Symbol::Vulnerability(_)
        | Symbol::Anomaly(_)
        | Symbol::Monitoring(_) => (Kind::Variable, 0),
    }
}

struct Collector<'a> {
    text: &'a str,
    model: Option<&'a ward_model::Model>,
    /// References in this file by span.
    references: HashMap<(u32, u32), Symbol>,
    tokens: Vec<(Span, Kind, u32)>,
}

impl Collector<'_> {
    fn push(&mut self, span: Span, kind: Kind, modifiers: u32) {
        if !span.is_empty() {
            self.tokens.push((span, kind, modifiers));
        }
    }

    /// A keyword spelled `word` somewhere in `[from, to)` (`in`, `and`, ...).
    fn word_between(&mut self, from: u32, to: u32, word: &str, file: FileId) {
        let Some(slice) = self.text.get(from as usize..to as usize) else {
            return;
        };
        let bytes = slice.as_bytes();
        let mut search = 0;
        while let Some(at) = slice[search..].find(word) {
            let start = search + at;
            let end = start + word.len();
            let before = start == 0 || !is_ident_byte(bytes[start - 1]);
            let after = end == bytes.len() || !is_ident_byte(bytes[end]);
            if before && after {
                let s = from + start as u32;
                self.push(
                    Span {
                        file,
                        start: s,
                        end: s + word.len() as u32,
                    },
                    Kind::Keyword,
                    0,
                );
                return;
            }
            search = end;
        }
    }

    fn reference(&mut self, span: Span, fallback: Kind) {
        match (self.references.get(&(span.start, span.end)), self.model) {
            (Some(symbol), Some(model)) => {
                let (kind, modifiers) = symbol_kind(model, *symbol);
                self.push(span, kind, modifiers);
            }
            _ => self.push(span, fallback, 0),
        }
    }

    fn reference_ref(&mut self, r: &Ref, fallback: Kind) {
        // `f.reverse` is one reference; colour `f` and `reverse` apart.
        if let Some(reverse) = r.reverse {
            if let Some(symbol) = self.references.get(&(r.span.start, r.span.end)).copied() {
                self.references
                    .insert((r.id.span.start, r.id.span.end), symbol);
            }
            self.reference(r.id.span, fallback);
            self.push(
                Span {
                    start: reverse.start + 1,
                    ..reverse
                },
                Kind::Property,
                0,
            );
        } else {
            self.reference(r.span, fallback);
        }
    }

    fn threat_ref(&mut self, t: &ThreatRef) {
        self.reference(t.threat.span, Kind::Function);
        if let Some(element) = &t.element {
            let at = t.threat.span.end;
            self.push(
                Span {
                    start: at,
                    end: at + 1,
                    ..t.threat.span
                },
                Kind::Operator,
                0,
            );
            self.reference_ref(element, Kind::Variable);
        }
    }

    fn decl(&mut self, decl: &Decl) {
        let file = decl.span.file;
        self.push(decl.keyword_span, Kind::Keyword, 0);
        if matches!(decl.kind, DeclKind::Accept | DeclKind::Disposition) {
            for threat in &decl.accepted {
                self.threat_ref(threat);
            }
        } else {
            self.push(decl.name.span, decl_kind(decl.kind), DECLARATION);
        }
        if let Some(ends) = &decl.flow {
            self.reference_ref(&ends.source, Kind::Variable);
            self.push(ends.direction_span, Kind::Operator, 0);
            self.reference_ref(&ends.target, Kind::Variable);
        }
        if let Some(title) = &decl.title {
            self.push(title.span, Kind::String, 0);
        }
        if let Some(parent) = &decl.parent {
            let from = decl
                .title
                .as_ref()
                .map_or(decl.name.span.end, |t| t.span.end);
            self.word_between(from, parent.span.start, "in", file);
            self.reference_ref(parent, Kind::Namespace);
        }
        self.block(&decl.body.properties);
    }

    fn block(&mut self, properties: &[ward_syntax::ast::Property]) {
        for property in properties {
            self.push(property.key.span, Kind::Property, 0);
            match &property.value {
                PropertyValue::Value(Value::Expr(expr)) => self.expr(expr),
                PropertyValue::Value(value) => self.value(value),
                PropertyValue::Block(block) => {
                    // Keys of `hazards {}` / `limits {}` may be references.
                    for inner in &block.properties {
                        if self
                            .references
                            .contains_key(&(inner.key.span.start, inner.key.span.end))
                        {
                            self.reference(inner.key.span, Kind::Property);
                        } else {
                            self.push(inner.key.span, Kind::Property, 0);
                        }
                        match &inner.value {
                            PropertyValue::Value(value) => self.value(value),
                            PropertyValue::Block(nested) => self.block(&nested.properties),
                        }
                    }
                }
            }
        }
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Str(s) => self.push(s.span, Kind::String, 0),
            Value::Number(n) => self.push(n.span, Kind::Number, 0),
            Value::Bool(b) => self.push(b.span, Kind::Keyword, 0),
            Value::Ref(r) => {
                let known = self.references.contains_key(&(r.span.start, r.span.end));
                let fallback = if known || self.model.is_none() {
                    Kind::Variable
                } else {
                    Kind::EnumMember
                };
                self.reference_ref(r, fallback);
            }
            Value::ThreatRef(t) => self.threat_ref(t),
            Value::Path(p) => {
                let std = p.segments.first().is_some_and(|s| s.name == "std");
                if self.references.contains_key(&(p.span.start, p.span.end)) {
                    self.reference(p.span, Kind::Namespace);
                } else {
                    self.push(
                        p.span,
                        Kind::Namespace,
                        if std { DEFAULT_LIBRARY } else { 0 },
                    );
                }
            }
            Value::List(list) => list.items.iter().for_each(|item| self.value(item)),
            Value::Tagged(t) => {
                self.push(t.tag.span, Kind::EnumMember, 0);
                self.push(t.text.span, Kind::String, 0);
            }
            Value::Expr(e) => self.expr(e),
        }
    }

    fn expr(&mut self, expr: &Expr) {
        let file = expr.span().file;
        match expr {
            Expr::Logical {
                op, left, right, ..
            } => {
                self.expr(left);
                let word = match op {
                    ward_syntax::ast::LogicalOp::And => "and",
                    ward_syntax::ast::LogicalOp::Or => "or",
                };
                self.word_between(left.span().end, right.span().start, word, file);
                self.expr(right);
            }
            Expr::Not { operand, span } => {
                self.word_between(span.start, operand.span().start, "not", file);
                self.expr(operand);
            }
            Expr::Compare {
                op_span,
                left,
                right,
                ..
            } => {
                self.expr(left);
                self.push(*op_span, Kind::Operator, 0);
                self.expr(right);
            }
            Expr::In { item, list, .. } => {
                self.expr(item);
                self.word_between(item.span().end, list.span().start, "in", file);
                self.expr(list);
            }
            Expr::Path { segments, .. } => {
                for segment in segments {
                    if self
                        .references
                        .contains_key(&(segment.span.start, segment.span.end))
                    {
                        self.reference(segment.span, Kind::Variable);
                    } else if ward_model::language::is_when_attribute(&segment.name) {
                        self.push(segment.span, Kind::Property, 0);
                    } else {
                        self.push(segment.span, Kind::EnumMember, 0);
                    }
                }
            }
            Expr::Call {
                receiver,
                name,
                args,
                ..
            } => {
                for segment in receiver {
                    self.push(segment.span, Kind::Property, 0);
                }
                self.push(name.span, Kind::Function, DEFAULT_LIBRARY);
                args.iter().for_each(|a| self.expr(a));
            }
            Expr::List { items, .. } => items.iter().for_each(|i| self.expr(i)),
            Expr::Str(s) => self.push(s.span, Kind::String, 0),
            Expr::Number(n) => self.push(n.span, Kind::Number, 0),
            Expr::Bool(b) => self.push(b.span, Kind::Keyword, 0),
            Expr::Paren { inner, .. } => self.expr(inner),
        }
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub fn semantic_tokens(snapshot: &Snapshot, file: FileId) -> SemanticTokens {
    let text = snapshot.text(file);
    let view = snapshot.file(file);
    let model = snapshot.model.as_ref();
    let references = model
        .map(|m| {
            m.symbols
                .references
                .iter()
                .filter(|r| r.span.file == file)
                .map(|r| ((r.span.start, r.span.end), r.symbol))
                .collect()
        })
        .unwrap_or_default();
    let mut collector = Collector {
        text,
        model,
        references,
        tokens: Vec::new(),
    };
    for comment in &view.ast.comments {
        let modifiers = if comment.kind == CommentKind::Doc {
            DOCUMENTATION
        } else {
            0
        };
        collector.push(comment.span, Kind::Comment, modifiers);
    }
    for item in &view.ast.items {
        match item {
            Item::Use(u) => {
                collector.word_between(u.span.start, u.span.start + 3, "use", file);
                match &u.target {
                    UseTarget::Path(p) => {
                        let std = p.segments.first().is_some_and(|s| s.name == "std");
                        collector.push(
                            p.span,
                            Kind::Namespace,
                            if std { DEFAULT_LIBRARY } else { 0 },
                        );
                    }
                    UseTarget::File(s) => collector.push(s.span, Kind::String, 0),
                }
            }
            Item::Decl(decl) => collector.decl(decl),
        }
    }
    let mut tokens = collector.tokens;
    tokens.sort_by_key(|(span, _, _)| (span.start, span.end));
    // Overlaps (should not happen) would break the encoding: keep the first.
    let mut last_end = 0;
    tokens.retain(|(span, _, _)| {
        let keep = span.start >= last_end;
        if keep {
            last_end = span.end;
        }
        keep
    });
    encode(snapshot, file, text, &tokens)
}

/// Relative encoding, splitting tokens that span lines (clients need not
/// support multi-line tokens).
fn encode(
    snapshot: &Snapshot,
    file: FileId,
    text: &str,
    tokens: &[(Span, Kind, u32)],
) -> SemanticTokens {
    let index = &snapshot.file(file).index;
    let mut data = Vec::with_capacity(tokens.len());
    let (mut prev_line, mut prev_start) = (0u32, 0u32);
    for (span, kind, modifiers) in tokens {
        let mut start = span.start as usize;
        let end = span.end as usize;
        while start < end {
            let line_end = text[start..end].find('\n').map_or(end, |i| start + i);
            if line_end > start {
                let a = index.position(text, start);
                let b = index.position(text, line_end);
                let delta_line = a.line - prev_line;
                let delta_start = if delta_line == 0 {
                    a.character - prev_start
                } else {
                    a.character
                };
                data.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: b.character - a.character,
                    token_type: *kind as u32,
                    token_modifiers_bitset: *modifiers,
                });
                prev_line = a.line;
                prev_start = a.character;
            }
            start = line_end + 1;
        }
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}
