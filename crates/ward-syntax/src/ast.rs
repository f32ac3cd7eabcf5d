//! The syntax tree of one `.ward` file. Every node keeps its span. The tree is
//! untyped above the level of forms: a declaration's block is a list of
//! `key: value` properties, and the semantic model gives them meaning. That
//! keeps the parser, the formatter and the editor tolerant of unknown keys.

use serde::Serialize;
use ward_diagnostics::Span;

/// One parsed file. `items` holds every item whose header parsed, even when
/// its body had errors; `comments` holds every comment, for the formatter.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SourceFileAst {
    pub items: Vec<Item>,
    pub comments: Vec<Comment>,
}

#[derive(Clone, Debug, Serialize)]
#[allow(
    clippy::large_enum_variant,
    reason = "nearly every item is a `Decl`: boxing it would add an allocation per declaration to save space only on the few `use` items"
)]
pub enum Item {
    Use(Use),
    Decl(Decl),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Use(u) => u.span,
            Item::Decl(d) => d.span,
        }
    }
}

/// `use std::stride` or `use "shared/cloud.ward"`.
#[derive(Clone, Debug, Serialize)]
pub struct Use {
    pub target: UseTarget,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub enum UseTarget {
    Path(Path),
    File(StrLit),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeclKind {
    System,
    Zone,
    Data,
    Component,
    Actor,
    Flow,
    Hazard,
    Threat,
    Rule,
    Control,
    Verification,
    Assumption,
    Accept,
    Usecase,
    Policy,
    Approval,
    Software,
    Vulnerability,
    Anomaly,
    Monitoring,
    Disposition,
}

impl DeclKind {
    pub const ALL: [DeclKind; 21] = [
        DeclKind::System,
        DeclKind::Zone,
        DeclKind::Data,
        DeclKind::Component,
        DeclKind::Actor,
        DeclKind::Flow,
        DeclKind::Hazard,
        DeclKind::Threat,
        DeclKind::Rule,
        DeclKind::Control,
        DeclKind::Verification,
        DeclKind::Assumption,
        DeclKind::Accept,
        DeclKind::Usecase,
        DeclKind::Policy,
        DeclKind::Approval,
        DeclKind::Software,
        DeclKind::Vulnerability,
        DeclKind::Anomaly,
        DeclKind::Monitoring,
        DeclKind::Disposition,
    ];

    /// The keyword as written in source.
    pub fn keyword(self) -> &'static str {
        crate::keywords::DECLARATIONS[self as usize]
    }

    pub fn from_keyword(word: &str) -> Option<DeclKind> {
        DeclKind::ALL.into_iter().find(|k| k.keyword() == word)
    }
}

pub use crate::keywords::{is_reserved, RESERVED_WORDS};

/// A declaration: `KEYWORD id title? ("in" ref)? block`, a flow
/// `flow id: a -> b title? block`, or `accept threat_ref block` /
/// `accept [threat_ref, ...] block`, or `disposition threat_ref block`.
#[derive(Clone, Debug, Serialize)]
pub struct Decl {
    pub kind: DeclKind,
    pub keyword_span: Span,
    /// The declared id. For `accept` and `disposition`, which declare none, this is the
    /// accepted threat's written reference (`RULE@ELEMENT` included), or for
    /// the list form `[a, b@c]` (see [`accepted_list_name`]) spanning the
    /// brackets; `accepted` holds the references.
    pub name: Ident,
    /// The threats an `accept` names, in written order, or the one threat a
    /// `disposition` names (empty for other declarations). Wildcards are
    /// reported and left out.
    pub accepted: Vec<ThreatRef>,
    /// The span of `[ ... ]` when the accepted threats are written as a list.
    pub accepted_list: Option<Span>,
    pub flow: Option<FlowEnds>,
    pub title: Option<StrLit>,
    /// The `in` reference (zones, components, actors).
    pub parent: Option<Ref>,
    pub body: Block,
    /// The text of the `///` comments just above, joined by newlines, with
    /// the `///` and one following space removed.
    pub doc: Option<String>,
    /// From the keyword (not the doc comment) to the end of the block.
    pub span: Span,
}

impl Decl {
    /// The property with this key, if given (the first, if repeated).
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.body.properties.iter().find(|p| p.key.name == key)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FlowDirection {
    /// `->`
    Forward,
    /// `<->`: both directions with the same properties.
    Both,
}

#[derive(Clone, Debug, Serialize)]
pub struct FlowEnds {
    pub source: Ref,
    pub direction: FlowDirection,
    pub direction_span: Span,
    pub target: Ref,
}

/// `{ property* }`. `close` is `None` when the block was never closed (the
/// parser reports the unclosed `{`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Block {
    pub open: Span,
    pub close: Option<Span>,
    pub properties: Vec<Property>,
}

impl Block {
    pub fn span(&self) -> Span {
        match self.close {
            Some(close) => self.open.to(close),
            None => self
                .properties
                .last()
                .map_or(self.open, |p| self.open.to(p.span)),
        }
    }
    pub fn get(&self, key: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.key.name == key)
    }
}

/// `key: value` or `key { ... }`.
#[derive(Clone, Debug, Serialize)]
pub struct Property {
    pub key: Ident,
    pub value: PropertyValue,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub enum PropertyValue {
    Value(Value),
    Block(Block),
}

#[derive(Clone, Debug, Serialize)]
pub enum Value {
    Str(StrLit),
    Number(NumberLit),
    Bool(BoolLit),
    /// A bare word: a reference (`pump`, `f_sync.reverse`), or an enum value
    /// or level (`high`, `flow`). Reserved words parse here too; the model
    /// decides whether the position allows them.
    Ref(Ref),
    /// `RULE@ELEMENT`.
    ThreatRef(ThreatRef),
    /// `std::policy::iso14971_5x5`.
    Path(Path),
    List(List),
    /// An inline verification item: `test "Bench check of pairing UI"`.
    Tagged(Tagged),
    /// The value of a `when` property: a boolean expression.
    Expr(Expr),
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Str(s) => s.span,
            Value::Number(n) => n.span,
            Value::Bool(b) => b.span,
            Value::Ref(r) => r.span,
            Value::ThreatRef(t) => t.span,
            Value::Path(p) => p.span,
            Value::List(l) => l.span,
            Value::Tagged(t) => t.span,
            Value::Expr(e) => e.span(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal, decoded (escapes applied; triple-quoted strings
/// dedented). `span` covers the quotes; the formatter prints the source text.
#[derive(Clone, Debug, Serialize)]
pub struct StrLit {
    pub value: String,
    pub triple: bool,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct NumberLit {
    pub value: f64,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct BoolLit {
    pub value: bool,
    pub span: Span,
}

/// `ident ("." "reverse")?`
#[derive(Clone, Debug, Serialize)]
pub struct Ref {
    pub id: Ident,
    /// The span of `.reverse`, when written.
    pub reverse: Option<Span>,
    pub span: Span,
}

impl Ref {
    /// The reference as written: `id` or `id.reverse`.
    pub fn text(&self) -> String {
        match self.reverse {
            Some(_) => format!("{}.reverse", self.id.name),
            None => self.id.name.clone(),
        }
    }
}

/// `ident ("@" ref)?`
#[derive(Clone, Debug, Serialize)]
pub struct ThreatRef {
    pub threat: Ident,
    pub element: Option<Ref>,
    pub span: Span,
}

impl ThreatRef {
    /// The reference as written: `threat`, `rule@element` or `rule@f.reverse`.
    pub fn text(&self) -> String {
        match &self.element {
            Some(element) => format!("{}@{}", self.threat.name, element.text()),
            None => self.threat.name.clone(),
        }
    }
}

/// The name of an `accept [ ... ]` declaration: its references, in order,
/// as `[a, b@c]`.
pub fn accepted_list_name(accepted: &[ThreatRef]) -> String {
    let items: Vec<String> = accepted.iter().map(ThreatRef::text).collect();
    format!("[{}]", items.join(", "))
}

/// `ident ("::" ident)+`
#[derive(Clone, Debug, Serialize)]
pub struct Path {
    pub segments: Vec<Ident>,
    pub span: Span,
}

impl Path {
    pub fn text(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join("::")
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct List {
    pub items: Vec<Value>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Tagged {
    pub tag: Ident,
    pub text: StrLit,
    pub span: Span,
}

/// A `when` expression.
#[derive(Clone, Debug, Serialize)]
pub enum Expr {
    /// `a or b`, `a and b`
    Logical {
        op: LogicalOp,
        left: Box<Expr>,
        right: Box<Expr>,
        span: Span,
    },
    /// `not a`
    Not {
        operand: Box<Expr>,
        span: Span,
    },
    /// `a == b`, `a < b`, ...
    Compare {
        op: CompareOp,
        op_span: Span,
        left: Box<Expr>,
        right: Box<Expr>,
        span: Span,
    },
    /// `a in b`
    In {
        item: Box<Expr>,
        list: Box<Expr>,
        span: Span,
    },
    /// `source.zone.trust`, `authenticated`, `high`: an attribute path or a
    /// bare literal, decided by the type checker.
    Path {
        segments: Vec<Ident>,
        span: Span,
    },
    /// `carries_kind(command)`, `source.has_interface(jtag)`
    Call {
        receiver: Vec<Ident>,
        name: Ident,
        args: Vec<Expr>,
        span: Span,
    },
    List {
        items: Vec<Expr>,
        span: Span,
    },
    Str(StrLit),
    Number(NumberLit),
    Bool(BoolLit),
    /// `( expr )`, kept for the formatter.
    Paren {
        inner: Box<Expr>,
        span: Span,
    },
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Logical { span, .. }
            | Expr::Not { span, .. }
            | Expr::Compare { span, .. }
            | Expr::In { span, .. }
            | Expr::Path { span, .. }
            | Expr::Call { span, .. }
            | Expr::List { span, .. }
            | Expr::Paren { span, .. } => *span,
            Expr::Str(s) => s.span,
            Expr::Number(n) => n.span,
            Expr::Bool(b) => b.span,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum LogicalOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CommentKind {
    /// `// ...`
    Line,
    /// `/* ... */` (nesting allowed)
    Block,
    /// `/// ...`
    Doc,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comment {
    pub kind: CommentKind,
    /// The whole comment as written, delimiters included.
    pub text: String,
    pub span: Span,
}
