//! Type checking of rule `when` expressions and rule title templates
//! (spec §2 rule).
//!
//! An identifier is an attribute when the object has one by that name;
//! otherwise it is a literal whose type comes from the other operand. Every
//! badly typed subexpression is reported once: a subexpression that failed
//! yields `None` and its parents report nothing more about it.

use crate::codes;
use crate::model::*;
use crate::names::Cx;
use crate::suggest::suggest;
use ward_diagnostics::{Diagnostic, Span};
use ward_syntax::ast::{CompareOp, DeclKind, Expr, Ident, LogicalOp, StrLit};

/// What a name means on an object.
#[derive(Clone, Debug)]
enum Member {
    Nav(Nav, ObjectKind),
    Attr(Attribute, Type),
}

fn member(object: ObjectKind, name: &str) -> Option<Member> {
    use Attribute as A;
    let attr = |a, t| Some(Member::Attr(a, t));
    let names = |set| Type::List(Box::new(Type::Name(set)));
    match (object, name) {
        (_, "id") => attr(A::Id, Type::Name(NameSet::Id)),
        (_, "tags") => attr(A::Tags, names(NameSet::Tag)),
        (ObjectKind::Flow, "source") => Some(Member::Nav(Nav::Source, ObjectKind::Element)),
        (ObjectKind::Flow, "target") => Some(Member::Nav(Nav::Target, ObjectKind::Element)),
        (ObjectKind::Flow, "protocol") => attr(A::Protocol, Type::Name(NameSet::Protocol)),
        (ObjectKind::Flow, "authenticated") => attr(A::Authenticated, Type::Bool),
        (ObjectKind::Flow, "encrypted") => attr(A::Encrypted, Type::Bool),
        (ObjectKind::Flow, "integrity_protected") => attr(A::IntegrityProtected, Type::Bool),
        (ObjectKind::Flow, "crosses_boundary") => attr(A::CrossesBoundary, Type::Bool),
        (ObjectKind::Flow, "from_lower_trust") => attr(A::FromLowerTrust, Type::Bool),
        (ObjectKind::Flow, "carries") => attr(A::Carries, Type::List(Box::new(Type::Data))),
        (ObjectKind::Flow, "auth") => attr(A::Auth, Type::Auth),
        (ObjectKind::Flow, "server_authenticated") => attr(A::ServerAuthenticated, Type::Bool),
        (ObjectKind::Flow, "tls_version") => attr(A::TlsVersion, Type::TlsVersion),
        (ObjectKind::Flow, "identity") => attr(A::Identity, Type::Identity),
        (ObjectKind::Flow, "is_response") => attr(A::IsResponse, Type::Bool),
        (ObjectKind::Flow | ObjectKind::Element, "max_confidentiality") => {
            attr(A::MaxConfidentiality, Type::Cia)
        }
        (ObjectKind::Flow | ObjectKind::Element, "max_integrity") => {
            attr(A::MaxIntegrity, Type::Cia)
        }
        (ObjectKind::Flow | ObjectKind::Element, "max_availability") => {
            attr(A::MaxAvailability, Type::Cia)
        }
        (ObjectKind::Element, "zone") => Some(Member::Nav(Nav::Zone, ObjectKind::Zone)),
        (ObjectKind::Element, "kind") => attr(A::Kind, Type::ElementKind),
        (ObjectKind::Element, "stores") => attr(A::Stores, Type::List(Box::new(Type::Data))),
        (ObjectKind::Element, "interfaces") => attr(A::Interfaces, names(NameSet::Interface)),
        (ObjectKind::Element, "fleet") => attr(A::Fleet, Type::Fleet),
        (ObjectKind::Element, "software") => attr(A::Software, Type::List(Box::new(Type::Str))),
        (ObjectKind::Element | ObjectKind::Zone, "controlled_by") => {
            attr(A::ControlledBy, Type::ControlledBy)
        }
        (ObjectKind::Element, "updatable") => attr(A::Updatable, Type::Bool),
        (ObjectKind::Element, "exposed") => attr(A::Exposed, Type::Bool),
        (ObjectKind::Element, "input_validation") => attr(A::InputValidation, Type::Bool),
        (ObjectKind::Element, "output_encoding") => attr(A::OutputEncoding, Type::Bool),
        (ObjectKind::Element, "access_control") => attr(A::AccessControl, Type::Bool),
        (ObjectKind::Element, "authorization") => attr(A::Authorization, Type::Authorization),
        (ObjectKind::Element, "parses") => attr(A::Parses, names(NameSet::Format)),
        (ObjectKind::Element, "processes") => attr(A::Processes, Type::List(Box::new(Type::Data))),
        (ObjectKind::Element, "runs_on") => Some(Member::Nav(Nav::RunsOn, ObjectKind::Element)),
        (ObjectKind::Element, "hosts_exposed") => attr(A::HostsExposed, Type::Bool),
        (ObjectKind::Element, "receives_untrusted_input") => {
            attr(A::ReceivesUntrustedInput, Type::Bool)
        }
        (ObjectKind::Element, "used_by_staff") => attr(A::UsedByStaff, Type::Bool),
        (ObjectKind::Zone, "trust") => attr(A::Trust, Type::Trust),
        (ObjectKind::Zone, "physical_access") => attr(A::PhysicalAccess, Type::Bool),
        _ => None,
    }
}

/// Every member name of every object, in the spec's order.
pub(crate) const MEMBER_NAMES: &[&str] = &[
    "id",
    "tags",
    "source",
    "target",
    "protocol",
    "authenticated",
    "encrypted",
    "integrity_protected",
    "crosses_boundary",
    "from_lower_trust",
    "carries",
    "auth",
    "server_authenticated",
    "tls_version",
    "identity",
    "is_response",
    "max_confidentiality",
    "max_integrity",
    "max_availability",
    "zone",
    "kind",
    "stores",
    "interfaces",
    "fleet",
    "software",
    "controlled_by",
    "updatable",
    "exposed",
    "input_validation",
    "output_encoding",
    "access_control",
    "authorization",
    "parses",
    "processes",
    "runs_on",
    "hosts_exposed",
    "receives_untrusted_input",
    "used_by_staff",
    "trust",
    "physical_access",
];

fn members_of(object: ObjectKind, keep: impl Fn(&Member) -> bool) -> Vec<&'static str> {
    MEMBER_NAMES
        .iter()
        .copied()
        .filter(|n| member(object, n).is_some_and(|m| keep(&m)))
        .collect()
}

/// The members of an object with their types (a navigation step has the
/// type of the object it leads to).
pub(crate) fn attributes(object: ObjectKind) -> impl Iterator<Item = (&'static str, Type)> {
    MEMBER_NAMES
        .iter()
        .filter_map(move |name| match member(object, name)? {
            Member::Attr(_, ty) => Some((*name, ty)),
            Member::Nav(_, to) => Some((*name, object_type(to))),
        })
}

pub(crate) fn functions_of(object: ObjectKind) -> &'static [&'static str] {
    match object {
        ObjectKind::Flow => &["carries_kind"],
        ObjectKind::Element => &[
            "stores_kind",
            "processes_kind",
            "handles_kind",
            "has_interface",
        ],
        ObjectKind::Zone => &[],
    }
}

fn object_type(object: ObjectKind) -> Type {
    match object {
        ObjectKind::Element => Type::Element,
        ObjectKind::Zone => Type::Zone,
        // No path leads to a flow other than the rule's own.
        ObjectKind::Flow => Type::Name(NameSet::Id),
    }
}

/// An operand before its type is settled.
enum Operand<'e> {
    Typed(TypedExpr, Type),
    /// A bare identifier that is no attribute: a literal of the other side's type.
    Word(&'e Ident),
    /// A list literal, typed by the other side.
    List(&'e [Expr], Span),
    /// Already reported.
    Bad,
}

enum PathResult<'e> {
    Path(AttrPath),
    Word(&'e Ident),
    Bad,
}

pub(crate) struct Checker<'c> {
    pub cx: &'c mut Cx,
    pub root: ObjectKind,
    /// "a flow", "a component", "an actor".
    pub root_name: &'static str,
}

impl Checker<'_> {
    pub fn new(cx: &mut Cx, applies_to: RuleTarget) -> Checker<'_> {
        let (root, root_name) = match applies_to {
            RuleTarget::Flow => (ObjectKind::Flow, "a flow"),
            RuleTarget::Component => (ObjectKind::Element, "a component"),
            RuleTarget::Actor => (ObjectKind::Element, "an actor"),
        };
        Checker {
            cx,
            root,
            root_name,
        }
    }

    fn object_name(&self, object: ObjectKind, at_root: bool) -> &'static str {
        match object {
            _ if at_root => self.root_name,
            ObjectKind::Flow => "a flow",
            ObjectKind::Element => "an element",
            ObjectKind::Zone => "a zone",
        }
    }

    fn error(
        &mut self,
        code: ward_diagnostics::Code,
        span: Span,
        message: String,
        label: &str,
    ) -> Diagnostic {
        Diagnostic::error(code, span, message).with_primary_label(label.to_string())
    }

    /// A `when` expression: must be a boolean.
    pub fn check_when(&mut self, expr: &Expr) -> Option<TypedExpr> {
        self.boolean(expr)
    }

    fn boolean(&mut self, expr: &Expr) -> Option<TypedExpr> {
        match expr {
            Expr::Paren { inner, .. } => self.boolean(inner),
            Expr::Logical {
                op, left, right, ..
            } => {
                let left = self.boolean(left);
                let right = self.boolean(right);
                let (left, right) = (Box::new(left?), Box::new(right?));
                Some(match op {
                    LogicalOp::And => TypedExpr::And { left, right },
                    LogicalOp::Or => TypedExpr::Or { left, right },
                })
            }
            Expr::Not { operand, .. } => Some(TypedExpr::Not {
                operand: Box::new(self.boolean(operand)?),
            }),
            Expr::Bool(b) => Some(TypedExpr::Bool { value: b.value }),
            Expr::Compare {
                op,
                op_span,
                left,
                right,
                span,
            } => self.compare(*op, *op_span, left, right, *span),
            Expr::In { item, list, span } => self.membership(item, list, *span),
            Expr::Call {
                receiver,
                name,
                args,
                span,
            } => self.call(receiver, name, args, *span),
            Expr::Path { segments, span } => match self.path(segments) {
                PathResult::Path(path) if path.ty == Type::Bool => Some(TypedExpr::Attr { path }),
                PathResult::Path(path) => {
                    let d = self.error(
                        codes::NOT_BOOLEAN,
                        *span,
                        format!(
                            "`{}` is {}, not a boolean",
                            path_text(segments),
                            path.ty.describe()
                        ),
                        "expected a boolean",
                    );
                    let d = d.with_help(format!(
                        "compare it, e.g. `{} == ...`, or use a boolean attribute",
                        path_text(segments)
                    ));
                    self.cx.push(d);
                    None
                }
                PathResult::Word(word) => {
                    self.not_a_boolean_attribute(word);
                    None
                }
                PathResult::Bad => None,
            },
            Expr::Str(_) | Expr::Number(_) | Expr::List { .. } => {
                let found = match expr {
                    Expr::Str(_) => "a string",
                    Expr::Number(_) => "a number",
                    _ => "a list",
                };
                let d = self.error(
                    codes::NOT_BOOLEAN,
                    expr.span(),
                    format!("expected a boolean condition, found {found}"),
                    "expected a boolean",
                );
                self.cx.push(d);
                None
            }
        }
    }

    fn not_a_boolean_attribute(&mut self, word: &Ident) {
        let booleans = members_of(self.root, |m| matches!(m, Member::Attr(_, Type::Bool)));
        let mut d = self.error(
            codes::NOT_BOOLEAN,
            word.span,
            format!(
                "`{}` is not a boolean attribute of {}",
                word.name, self.root_name
            ),
            "expected a boolean attribute",
        );
        d = match suggest(&word.name, booleans.iter().copied()) {
            Some(best) => d
                .with_help(format!("did you mean `{}`?", best.name))
                .with_fix(best.fix(&word.name, word.span)),
            None => d.with_help(format!(
                "boolean attributes of {}: {}",
                self.root_name,
                crate::load::backticked(&booleans)
            )),
        };
        if let Some(note) = self.elsewhere_note(&word.name) {
            d = d.with_note(note);
        }
        self.cx.push(d);
    }

    /// "`authenticated` is an attribute of flows", when the word is one of
    /// another object.
    fn elsewhere_note(&self, name: &str) -> Option<String> {
        if member(self.root, name).is_some() {
            return None;
        }
        let owners: Vec<&str> = [
            (ObjectKind::Flow, "flows"),
            (ObjectKind::Element, "components and actors"),
            (ObjectKind::Zone, "zones"),
        ]
        .into_iter()
        .filter(|(o, _)| member(*o, name).is_some())
        .map(|(_, n)| n)
        .collect();
        (!owners.is_empty())
            .then(|| format!("`{name}` is an attribute of {}", owners.join(" and ")))
    }

    /// Resolves `a.b.c` from the rule's element.
    fn path<'e>(&mut self, segments: &'e [Ident]) -> PathResult<'e> {
        self.walk_path(segments, false)
    }

    fn walk_path<'e>(&mut self, segments: &'e [Ident], in_title: bool) -> PathResult<'e> {
        let mut object = self.root;
        let mut nav = Vec::new();
        for (i, segment) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            match member(object, &segment.name) {
                Some(Member::Nav(step, next)) => {
                    nav.push(step);
                    object = next;
                    if last {
                        return PathResult::Path(AttrPath {
                            nav,
                            attr: None,
                            ty: object_type(object),
                        });
                    }
                }
                Some(Member::Attr(attr, ty)) => {
                    if last {
                        return PathResult::Path(AttrPath {
                            nav,
                            attr: Some(attr),
                            ty,
                        });
                    }
                    let next = &segments[i + 1];
                    let d = self.error(
                        if in_title {
                            codes::UNKNOWN_PLACEHOLDER
                        } else {
                            codes::UNKNOWN_ATTRIBUTE
                        },
                        next.span,
                        format!(
                            "`{}` is {}, it has no attribute `{}`",
                            segment.name,
                            ty.describe(),
                            next.name
                        ),
                        "no such attribute",
                    );
                    self.cx.push(d);
                    return PathResult::Bad;
                }
                None => {
                    if i == 0 && last && !in_title {
                        return PathResult::Word(segment);
                    }
                    let owner = self.object_name(object, i == 0);
                    let known = members_of(object, |_| true);
                    let mut d = self.error(
                        if in_title {
                            codes::UNKNOWN_PLACEHOLDER
                        } else {
                            codes::UNKNOWN_ATTRIBUTE
                        },
                        segment.span,
                        format!("unknown attribute `{}` of {owner}", segment.name),
                        "unknown attribute",
                    );
                    d = match suggest(&segment.name, known.iter().copied()) {
                        Some(best) => d
                            .with_help(format!("did you mean `{}`?", best.name))
                            .with_fix(best.fix(&segment.name, segment.span)),
                        None => d.with_help(format!(
                            "attributes of {owner}: {}",
                            crate::load::backticked(&known)
                        )),
                    };
                    if i == 0 {
                        if let Some(note) = self.elsewhere_note(&segment.name) {
                            d = d.with_note(note);
                        }
                    }
                    self.cx.push(d);
                    return PathResult::Bad;
                }
            }
        }
        PathResult::Bad
    }

    fn operand<'e>(&mut self, expr: &'e Expr) -> Operand<'e> {
        match expr {
            Expr::Paren { inner, .. } => self.operand(inner),
            Expr::Path { segments, .. } => match self.path(segments) {
                PathResult::Path(path) => {
                    let ty = path.ty.clone();
                    Operand::Typed(TypedExpr::Attr { path }, ty)
                }
                PathResult::Word(word) => Operand::Word(word),
                PathResult::Bad => Operand::Bad,
            },
            Expr::Str(s) => Operand::Typed(
                TypedExpr::Literal {
                    value: Literal::Str(s.value.clone()),
                },
                Type::Str,
            ),
            Expr::Bool(b) => Operand::Typed(TypedExpr::Bool { value: b.value }, Type::Bool),
            Expr::Number(n) => {
                let d = self.error(
                    codes::TYPE_MISMATCH,
                    n.span,
                    format!(
                        "`{}` is a number; no attribute in `when` is a number",
                        n.value
                    ),
                    "unexpected number",
                );
                self.cx.push(d);
                Operand::Bad
            }
            Expr::List { items, span } => Operand::List(items, *span),
            Expr::Call { .. }
            | Expr::Logical { .. }
            | Expr::Not { .. }
            | Expr::Compare { .. }
            | Expr::In { .. } => match self.boolean(expr) {
                Some(e) => Operand::Typed(e, Type::Bool),
                None => Operand::Bad,
            },
        }
    }

    /// Settles an operand as a value of `ty`.
    fn typed_as(&mut self, operand: Operand<'_>, ty: &Type, span: Span) -> Option<TypedExpr> {
        match operand {
            Operand::Bad => None,
            Operand::Typed(expr, found) if &found == ty => Some(expr),
            Operand::Typed(_, found) => {
                let d = self.error(
                    codes::TYPE_MISMATCH,
                    span,
                    format!("expected {}, found {}", ty.describe(), found.describe()),
                    &format!("this is {}", found.describe()),
                );
                self.cx.push(d);
                None
            }
            Operand::Word(word) => self
                .literal(word, ty)
                .map(|value| TypedExpr::Literal { value }),
            Operand::List(items, list_span) => {
                let Type::List(item_type) = ty else {
                    let d = self.error(
                        codes::TYPE_MISMATCH,
                        list_span,
                        format!("expected {}, found a list", ty.describe()),
                        "unexpected list",
                    );
                    self.cx.push(d);
                    return None;
                };
                let mut typed = Vec::new();
                let mut ok = true;
                for item in items {
                    let operand = self.operand(item);
                    match self.typed_as(operand, item_type, item.span()) {
                        Some(e) => typed.push(e),
                        None => ok = false,
                    }
                }
                ok.then(|| TypedExpr::List {
                    items: typed,
                    item_type: (**item_type).clone(),
                })
            }
        }
    }

    /// A bare identifier as a literal of `ty`.
    fn literal(&mut self, word: &Ident, ty: &Type) -> Option<Literal> {
        fn closed<T: crate::props::Closed>(
            checker: &mut Checker<'_>,
            word: &Ident,
            ty: &Type,
            wrap: fn(T) -> Literal,
        ) -> Option<Literal> {
            if let Some(v) = T::parse_value(&word.name) {
                return Some(wrap(v));
            }
            let allowed = T::allowed();
            checker.invalid_literal(word, ty, Some(&allowed));
            None
        }
        /// A closed set whose value may be `unspecified` (not stated).
        fn unspecified_or<T: crate::props::Closed>(
            checker: &mut Checker<'_>,
            word: &Ident,
            ty: &Type,
            wrap: fn(Option<T>) -> Literal,
        ) -> Option<Literal> {
            if word.name == UNSPECIFIED {
                return Some(wrap(None));
            }
            if let Some(v) = T::parse_value(&word.name) {
                return Some(wrap(Some(v)));
            }
            let mut allowed = T::allowed();
            allowed.push(UNSPECIFIED);
            checker.invalid_literal(word, ty, Some(&allowed));
            None
        }
        match ty {
            Type::Name(_) => Some(Literal::Name(word.name.clone())),
            Type::ElementKind => match ElementKind::parse(&word.name) {
                Some(kind) => Some(Literal::ElementKind(kind)),
                None => {
                    let mut allowed = ComponentKind::names();
                    allowed.extend(ActorKind::names());
                    self.invalid_literal(word, ty, Some(&allowed));
                    None
                }
            },
            Type::DataKind => closed(self, word, ty, Literal::DataKind),
            Type::Fleet => closed(self, word, ty, Literal::Fleet),
            Type::ControlledBy => closed(self, word, ty, Literal::ControlledBy),
            Type::Authorization if word.name == AUTHORIZATION_UNSPECIFIED => {
                Some(Literal::Authorization(None))
            }
            Type::Authorization => match Authorization::parse(&word.name) {
                Some(model) => Some(Literal::Authorization(Some(model))),
                None => {
                    let mut allowed = Authorization::names();
                    allowed.push(AUTHORIZATION_UNSPECIFIED);
                    self.invalid_literal(word, ty, Some(&allowed));
                    None
                }
            },
            Type::Trust => closed(self, word, ty, Literal::Trust),
            Type::Cia => closed(self, word, ty, Literal::Cia),
            Type::Auth => unspecified_or(self, word, ty, Literal::Auth),
            Type::TlsVersion => unspecified_or(self, word, ty, Literal::TlsVersion),
            Type::Identity => unspecified_or(self, word, ty, Literal::Identity),
            Type::Element => match self.cx.resolve(word, crate::names::ELEMENT_KINDS)?.symbol {
                Symbol::Element(e) => Some(Literal::Element(e)),
                _ => None,
            },
            Type::Zone => match self.cx.resolve(word, &[DeclKind::Zone])?.symbol {
                Symbol::Zone(z) => Some(Literal::Zone(z)),
                _ => None,
            },
            Type::Data => match self.cx.resolve(word, &[DeclKind::Data])?.symbol {
                Symbol::Data(d) => Some(Literal::Data(d)),
                _ => None,
            },
            Type::Bool | Type::Str | Type::List(_) => {
                self.invalid_literal(word, ty, None);
                None
            }
        }
    }

    fn invalid_literal(&mut self, word: &Ident, ty: &Type, allowed: Option<&[&str]>) {
        let mut d = self.error(
            codes::TYPE_MISMATCH,
            word.span,
            format!(
                "`{}` is not an attribute of {} nor {}",
                word.name,
                self.root_name,
                ty.describe()
            ),
            &format!("expected {}", ty.describe()),
        );
        if let Some(allowed) = allowed {
            d = match suggest(&word.name, allowed.iter().copied()) {
                Some(best) => d
                    .with_help(format!(
                        "did you mean `{}`? allowed: {}",
                        best.name,
                        crate::load::backticked(allowed)
                    ))
                    .with_fix(best.fix(&word.name, word.span)),
                None => d.with_help(format!("allowed: {}", crate::load::backticked(allowed))),
            };
        } else if matches!(ty, Type::Str) {
            d = d.with_help("write a string in quotes");
        }
        if let Some(note) = self.elsewhere_note(&word.name) {
            d = d.with_note(note);
        }
        self.cx.push(d);
    }

    /// The type two operands are compared at: the attribute side's.
    fn settle_type(
        &mut self,
        left: &Operand<'_>,
        right: &Operand<'_>,
        span: Span,
        what: &str,
    ) -> Option<Type> {
        match (left, right) {
            (Operand::Bad, _) | (_, Operand::Bad) => None,
            (Operand::Typed(_, t), _) | (_, Operand::Typed(_, t)) => Some(t.clone()),
            _ => {
                let mut d = self
                    .error(
                        codes::UNTYPED_LITERAL,
                        span,
                        format!(
                            "cannot tell what {what} compares: neither side is an attribute of {}",
                            self.root_name
                        ),
                        "no attribute here",
                    )
                    .with_help(
                        "one side must be an attribute (such as `protocol` or `source.zone.trust`)",
                    );
                for side in [left, right] {
                    if let Operand::Word(word) = side {
                        if let Some(note) = self.elsewhere_note(&word.name) {
                            d = d.with_note(note);
                        }
                    }
                }
                self.cx.push(d);
                None
            }
        }
    }

    fn compare(
        &mut self,
        op: CompareOp,
        op_span: Span,
        left: &Expr,
        right: &Expr,
        span: Span,
    ) -> Option<TypedExpr> {
        let l = self.operand(left);
        let r = self.operand(right);
        if matches!(l, Operand::Bad) || matches!(r, Operand::Bad) {
            // The bad side was reported; its type is unknown, so the other
            // side cannot be judged without guessing.
            return None;
        }
        let ty = self.settle_type(&l, &r, span, &format!("`{}`", op.symbol()))?;
        let le = self.typed_as(l, &ty, left.span());
        let re = self.typed_as(r, &ty, right.span());
        let (le, re) = (le?, re?);
        let ordering = matches!(
            op,
            CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge
        );
        if ordering && !ty.is_ordered() {
            let d = self
                .error(
                    codes::NOT_ORDERED,
                    op_span,
                    format!(
                        "`{}` compares levels of an ordered scale, not {}",
                        op.symbol(),
                        ty.describe()
                    ),
                    "not an ordered scale",
                )
                .with_help("`< <= > >=` compare trust levels or CIA levels; use `==` or `!=` here");
            self.cx.push(d);
            return None;
        }
        Some(TypedExpr::Compare {
            op,
            left: Box::new(le),
            right: Box::new(re),
        })
    }

    fn membership(&mut self, item: &Expr, list: &Expr, span: Span) -> Option<TypedExpr> {
        let i = self.operand(item);
        let l = self.operand(list);
        let item_type = match &l {
            Operand::Bad => return None,
            Operand::Typed(_, Type::List(inner)) => (**inner).clone(),
            Operand::Typed(_, other) => {
                let d = self.error(
                    codes::NOT_A_LIST,
                    list.span(),
                    format!("`in` needs a list on its right, found {}", other.describe()),
                    "not a list",
                )
                .with_help("`in` tests membership of a list attribute or a list `[a, b]`; to compare one value, use `==`");
                self.cx.push(d);
                return None;
            }
            Operand::Word(word) => {
                let lists = members_of(self.root, |m| matches!(m, Member::Attr(_, Type::List(_))));
                let mut d = self.error(
                    codes::NOT_A_LIST,
                    word.span,
                    format!(
                        "`{}` is not a list attribute of {}",
                        word.name, self.root_name
                    ),
                    "not a list",
                );
                d = match suggest(&word.name, lists.iter().copied()) {
                    Some(best) => d
                        .with_help(format!("did you mean `{}`?", best.name))
                        .with_fix(best.fix(&word.name, word.span)),
                    None => d.with_help(format!(
                        "list attributes of {}: {}; or write a list `[a, b]`",
                        self.root_name,
                        crate::load::backticked(&lists)
                    )),
                };
                self.cx.push(d);
                return None;
            }
            Operand::List(..) => match &i {
                Operand::Bad => return None,
                Operand::Typed(_, t) => t.clone(),
                _ => {
                    self.settle_type(&i, &l, span, "`in`");
                    return None;
                }
            },
        };
        let list_type = Type::List(Box::new(item_type.clone()));
        let ie = self.typed_as(i, &item_type, item.span());
        let le = self.typed_as(l, &list_type, list.span());
        Some(TypedExpr::In {
            item: Box::new(ie?),
            list: Box::new(le?),
        })
    }

    fn call(
        &mut self,
        receiver: &[Ident],
        name: &Ident,
        args: &[Expr],
        span: Span,
    ) -> Option<TypedExpr> {
        let mut object = self.root;
        let mut nav = Vec::new();
        for (i, segment) in receiver.iter().enumerate() {
            match member(object, &segment.name) {
                Some(Member::Nav(step, next)) => {
                    nav.push(step);
                    object = next;
                }
                _ => {
                    let owner = self.object_name(object, i == 0);
                    let d = self.error(
                        codes::UNKNOWN_ATTRIBUTE,
                        segment.span,
                        format!(
                            "`{}` is not an element or zone reachable from {owner}",
                            segment.name
                        ),
                        "cannot call a function on this",
                    );
                    self.cx.push(d);
                    return None;
                }
            }
        }
        let functions = functions_of(object);
        let arg_type = match (object, name.name.as_str()) {
            (ObjectKind::Flow, "carries_kind")
            | (ObjectKind::Element, "stores_kind" | "processes_kind" | "handles_kind") => {
                Type::DataKind
            }
            (ObjectKind::Element, "has_interface") => Type::Name(NameSet::Interface),
            _ => {
                let owner = self.object_name(object, receiver.is_empty());
                let mut d = self.error(
                    codes::BAD_CALL,
                    name.span,
                    format!("unknown function `{}` of {owner}", name.name),
                    "unknown function",
                );
                d = match suggest(&name.name, functions.iter().copied()) {
                    Some(best) => d
                        .with_help(format!("did you mean `{}`?", best.name))
                        .with_fix(best.fix(&name.name, name.span)),
                    None if functions.is_empty() => {
                        d.with_help(format!("{owner} has no functions"))
                    }
                    None => d.with_help(format!(
                        "functions of {owner}: {}",
                        crate::load::backticked(functions)
                    )),
                };
                self.cx.push(d);
                return None;
            }
        };
        let word = match args {
            [Expr::Path { segments, .. }] if segments.len() == 1 => &segments[0],
            _ => {
                let what = if arg_type == Type::DataKind {
                    "one data kind"
                } else {
                    "one interface name"
                };
                let d = self
                    .error(
                        codes::BAD_CALL,
                        span,
                        format!("`{}` takes {what}", name.name),
                        "wrong arguments",
                    )
                    .with_help(format!(
                        "e.g. `{}({})`",
                        name.name,
                        if arg_type == Type::DataKind {
                            "command"
                        } else {
                            "jtag"
                        }
                    ));
                self.cx.push(d);
                return None;
            }
        };
        let call = match self.literal(word, &arg_type)? {
            Literal::DataKind(kind) => match name.name.as_str() {
                "carries_kind" => Call::CarriesKind(kind),
                "processes_kind" => Call::ProcessesKind(kind),
                "handles_kind" => Call::HandlesKind(kind),
                _ => Call::StoresKind(kind),
            },
            Literal::Name(interface) => Call::HasInterface(interface),
            _ => return None,
        };
        Some(TypedExpr::Call { nav, call })
    }

    /// A rule title: `{path}` placeholders, `{{` and `}}` literal braces.
    pub fn template(&mut self, title: &StrLit, source: &str) -> Template {
        let offsets = decoded_offsets(title, source);
        let at = |i: usize| offsets.get(i).copied().unwrap_or(title.span.start as usize);
        let span_of = |start: usize, end: usize| {
            if offsets.is_empty() {
                title.span
            } else {
                Span::new(title.span.file, at(start), at(end))
            }
        };
        let text = &title.value;
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            if rest.starts_with("{{") || rest.starts_with("}}") {
                literal.push_str(&rest[..1]);
                i += 2;
            } else if rest.starts_with('}') {
                let d = self
                    .error(
                        codes::BAD_BRACE,
                        span_of(i, i + 1),
                        "unmatched `}` in rule title".into(),
                        "unmatched",
                    )
                    .with_help("write `}}` for a literal brace");
                self.cx.push(d);
                i += 1;
            } else if rest.starts_with('{') {
                let Some(close) = rest.find('}') else {
                    let d = self
                        .error(
                            codes::BAD_BRACE,
                            span_of(i, i + 1),
                            "unclosed `{` in rule title".into(),
                            "unclosed",
                        )
                        .with_help(
                            "close the placeholder with `}`, or write `{{` for a literal brace",
                        );
                    self.cx.push(d);
                    break;
                };
                let inner_start = i + 1;
                let inner = &text[inner_start..i + close];
                let span = span_of(i, i + close + 1);
                let (path_text, filter) = match inner.split_once(':') {
                    Some((path, filter)) => (path, Some(filter.trim())),
                    None => (inner, None),
                };
                let part = self
                    .placeholder(path_text, inner_start, span, &span_of)
                    .and_then(|path| match filter {
                        None => Some(TemplatePart::Value { path }),
                        Some(filter) => self
                            .template_filter(&path, filter, span)
                            .map(|keep| TemplatePart::Filtered { path, keep }),
                    });
                if let Some(part) = part {
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Text {
                            text: std::mem::take(&mut literal),
                        });
                    }
                    parts.push(part);
                }
                i += close + 1;
            } else {
                let c = rest.chars().next().expect("not at the end");
                literal.push(c);
                i += c.len_utf8();
            }
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Text { text: literal });
        }
        Template { parts }
    }

    fn placeholder(
        &mut self,
        inner: &str,
        inner_start: usize,
        span: Span,
        span_of: &dyn Fn(usize, usize) -> Span,
    ) -> Option<AttrPath> {
        let trimmed = inner.trim();
        let lead = inner.len() - inner.trim_start().len();
        let mut segments = Vec::new();
        let mut offset = inner_start + lead;
        for part in trimmed.split('.') {
            let valid = part
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                let d = self
                    .error(
                        codes::UNKNOWN_PLACEHOLDER,
                        span,
                        format!("`{{{inner}}}` is not an attribute path"),
                        "not an attribute path",
                    )
                    .with_help("placeholders are attribute paths such as `{id}` or `{source.zone.trust}`; write `{{` for a literal brace");
                self.cx.push(d);
                return None;
            }
            segments.push(Ident {
                name: part.to_string(),
                span: span_of(offset, offset + part.len()),
            });
            offset += part.len() + 1;
        }
        match self.walk_path(&segments, true) {
            PathResult::Path(path) => Some(path),
            _ => None,
        }
    }
}

impl Checker<'_> {
    /// The filter of a `{path:filter}` placeholder: a data kind on a list of
    /// data (`{carries:phi}`), `debug` on `interfaces`.
    fn template_filter(
        &mut self,
        path: &AttrPath,
        filter: &str,
        span: Span,
    ) -> Option<TemplateFilter> {
        let keep = match &path.ty {
            Type::List(item) if **item == Type::Data => {
                DataKind::parse(filter).map(TemplateFilter::DataKind)
            }
            Type::List(item) if **item == Type::Name(NameSet::Interface) => {
                (filter == "debug").then_some(TemplateFilter::DebugInterfaces)
            }
            _ => None,
        };
        if keep.is_none() {
            let d = self
                .error(
                    codes::UNKNOWN_PLACEHOLDER,
                    span,
                    format!("`{filter}` is not a filter of this placeholder"),
                    "unknown filter",
                )
                .with_help(format!(
                    "a list of data takes a data kind ({}), as in `{{carries:phi}}`; `interfaces` takes `debug`",
                    DataKind::NAMES.join(", ")
                ));
            self.cx.push(d);
        }
        keep
    }
}

fn path_text(segments: &[Ident]) -> String {
    segments
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

/// The source offset of each byte of a decoded one-line string (and one
/// past its end); empty when it cannot be mapped (triple-quoted strings).
pub(crate) fn decoded_offsets(lit: &StrLit, source: &str) -> Vec<usize> {
    let start = lit.span.start as usize + 1;
    let end = (lit.span.end as usize).saturating_sub(1);
    let Some(raw) = source.get(start..end.max(start)) else {
        return Vec::new();
    };
    if lit.triple {
        return Vec::new();
    }
    let mut offsets = Vec::with_capacity(lit.value.len() + 1);
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let here = start + i;
        if bytes[i] == b'\\' && i + 1 < raw.len() {
            let (decoded_len, raw_len) = match bytes[i + 1] {
                b'u' => {
                    let close = raw[i..].find('}').map_or(raw.len() - i, |c| c + 1);
                    let decoded = u32::from_str_radix(
                        raw[i..].get(3..close.saturating_sub(1)).unwrap_or(""),
                        16,
                    )
                    .ok()
                    .and_then(char::from_u32)
                    .map_or(1, char::len_utf8);
                    (decoded, close)
                }
                _ => (1, 2),
            };
            offsets.extend(std::iter::repeat_n(here, decoded_len));
            i += raw_len;
        } else {
            let c = raw[i..].chars().next().expect("in bounds");
            offsets.extend(
                std::iter::repeat_n(here, c.len_utf8())
                    .enumerate()
                    .map(|(k, o)| o + k),
            );
            i += c.len_utf8();
        }
    }
    if offsets.len() != lit.value.len() {
        return Vec::new();
    }
    offsets.push(start + raw.len());
    offsets
}
