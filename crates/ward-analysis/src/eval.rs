//! Evaluation of a rule's typed `when` expression, and rendering of its title
//! template, on one flow, component or actor (spec §2 "rule").
//!
//! The model type-checked the expression, so evaluation only meets values of
//! the expected types. A partial model may leave a flow end or an element's
//! zone unresolved: a path through it has no value, and any comparison,
//! membership or call involving no value is false (and renders as `?`). An
//! owner (`controlled_by`) that is not stated is no value in the same way.
//! A flow's `auth`, `tls_version` and `identity` that are not stated are
//! the value `unspecified`, which equals only itself and is below and above
//! no TLS version.

use crate::graph::{property_index, ModelGraph};
use ward_model::language::DEBUG_INTERFACES;
use ward_model::{
    Attribute, Call, CiaLevel, DataId, ElementId, FlowId, Literal, Nav, SecurityProperty, Target,
    Template, TemplateFilter, TemplatePart, Type, TypedExpr, ZoneId,
};
use ward_syntax::ast::CompareOp;

/// An object an attribute path starts from or passes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Object {
    Flow(FlowId),
    Element(ElementId),
    Zone(ZoneId),
}

impl From<Target> for Object {
    fn from(target: Target) -> Object {
        match target {
            Target::Flow(f) => Object::Flow(f),
            Target::Element(e) => Object::Element(e),
        }
    }
}

/// A runtime value of a `when` expression: one value, of the same kinds as
/// the model's literals, or a list.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    One(Literal),
    List(Vec<Value>),
}

/// A [`Value`] borrowed from the model and the expression while a `when`
/// is evaluated: no name is copied. Equal exactly when the owned values are.
#[derive(Clone, Debug, PartialEq)]
enum Val<'a> {
    One(Scalar<'a>),
    List(Vec<Val<'a>>),
}

/// A [`Literal`] with its text borrowed; `Other` never holds a `Name` or
/// a `Str`, so equality matches `Literal`'s.
#[derive(Clone, Debug, PartialEq)]
enum Scalar<'a> {
    Name(&'a str),
    Str(&'a str),
    Other(Literal),
}

impl<'a> Scalar<'a> {
    fn of(literal: &'a Literal) -> Scalar<'a> {
        match literal {
            Literal::Name(name) => Scalar::Name(name),
            Literal::Str(text) => Scalar::Str(text),
            other => Scalar::Other(other.clone()),
        }
    }

    fn owned(self) -> Literal {
        match self {
            Scalar::Name(name) => Literal::Name(name.to_owned()),
            Scalar::Str(text) => Literal::Str(text.to_owned()),
            Scalar::Other(literal) => literal,
        }
    }
}

impl<'a> Val<'a> {
    fn bool(b: bool) -> Val<'a> {
        Val::One(Scalar::Other(Literal::Bool(b)))
    }

    fn literal(literal: Literal) -> Val<'a> {
        Val::One(Scalar::Other(literal))
    }

    fn owned(self) -> Value {
        match self {
            Val::One(scalar) => Value::One(scalar.owned()),
            Val::List(items) => Value::List(items.into_iter().map(Val::owned).collect()),
        }
    }

    /// The ordering rank of a level, for `< <= > >=`.
    fn rank(&self) -> Option<u8> {
        match self {
            Val::One(Scalar::Other(Literal::Trust(t))) => Some(*t as u8),
            Val::One(Scalar::Other(Literal::Cia(c))) => Some(*c as u8),
            // `unspecified` is below and above nothing.
            Val::One(Scalar::Other(Literal::TlsVersion(Some(v)))) => Some(*v as u8),
            _ => None,
        }
    }
}

/// Evaluates `when` expressions and titles against one model's graph.
pub struct Evaluator<'g, 'm> {
    pub graph: &'g ModelGraph<'m>,
}

impl<'g, 'm> Evaluator<'g, 'm> {
    pub fn new(graph: &'g ModelGraph<'m>) -> Evaluator<'g, 'm> {
        Evaluator { graph }
    }

    /// Whether `expr` holds for `subject`.
    pub fn holds(&self, expr: &TypedExpr, subject: Object) -> bool {
        match expr {
            TypedExpr::Bool { value } => *value,
            TypedExpr::And { left, right } => {
                self.holds(left, subject) && self.holds(right, subject)
            }
            TypedExpr::Or { left, right } => {
                self.holds(left, subject) || self.holds(right, subject)
            }
            TypedExpr::Not { operand } => !self.holds(operand, subject),
            TypedExpr::Compare { op, left, right } => {
                let (Some(left), Some(right)) = (self.val(left, subject), self.val(right, subject))
                else {
                    return false;
                };
                compare(*op, &left, &right)
            }
            TypedExpr::In { item, list } => {
                let (Some(item), Some(Val::List(items))) =
                    (self.val(item, subject), self.val(list, subject))
                else {
                    return false;
                };
                items.contains(&item)
            }
            other => matches!(
                self.val(other, subject),
                Some(Val::One(Scalar::Other(Literal::Bool(true))))
            ),
        }
    }

    /// The value of an expression; `None` when a path runs through an
    /// unresolved object.
    pub fn value(&self, expr: &TypedExpr, subject: Object) -> Option<Value> {
        self.val(expr, subject).map(Val::owned)
    }

    fn val<'a>(&self, expr: &'a TypedExpr, subject: Object) -> Option<Val<'a>>
    where
        'm: 'a,
    {
        match expr {
            TypedExpr::Literal { value } => Some(Val::One(Scalar::of(value))),
            TypedExpr::Attr { path } => {
                let object = self.navigate(subject, &path.nav)?;
                match path.attr {
                    Some(attr) => self.attribute(object, attr),
                    None => Some(object_value(object)),
                }
            }
            TypedExpr::List { items, .. } => items
                .iter()
                .map(|item| self.val(item, subject))
                .collect::<Option<Vec<_>>>()
                .map(Val::List),
            TypedExpr::Call { nav, call } => {
                let object = self.navigate(subject, nav)?;
                self.call(object, call).map(Val::bool)
            }
            TypedExpr::Bool { .. }
            | TypedExpr::And { .. }
            | TypedExpr::Or { .. }
            | TypedExpr::Not { .. }
            | TypedExpr::Compare { .. }
            | TypedExpr::In { .. } => Some(Val::bool(self.holds(expr, subject))),
        }
    }

    fn navigate(&self, mut object: Object, nav: &[Nav]) -> Option<Object> {
        let model = self.graph.model;
        for step in nav {
            object = match (step, object) {
                (Nav::Source, Object::Flow(f)) => Object::Element(model.flow(f).source?),
                (Nav::Target, Object::Flow(f)) => Object::Element(model.flow(f).target?),
                (Nav::Zone, Object::Element(e)) => Object::Zone(model.element(e).zone?),
                (Nav::RunsOn, Object::Element(e)) => {
                    Object::Element(model.element(e).security.runs_on?)
                }
                _ => return None,
            };
        }
        Some(object)
    }

    fn call(&self, object: Object, call: &Call) -> Option<bool> {
        let model = self.graph.model;
        Some(match (call, object) {
            (Call::CarriesKind(kind), Object::Flow(f)) => model
                .flow(f)
                .carries
                .iter()
                .any(|d| model.datum(*d).kind == *kind),
            (Call::StoresKind(kind), Object::Element(e)) => model
                .element(e)
                .stores
                .iter()
                .any(|d| model.datum(*d).kind == *kind),
            (Call::ProcessesKind(kind), Object::Element(e)) => model
                .element(e)
                .security
                .processes
                .iter()
                .any(|d| model.datum(*d).kind == *kind),
            (Call::HandlesKind(kind), Object::Element(e)) => model
                .element(e)
                .handled_data()
                .any(|d| model.datum(d).kind == *kind),
            (Call::HasInterface(name), Object::Element(e)) => {
                model.element(e).interfaces.iter().any(|i| i == name)
            }
            _ => return None,
        })
    }

    fn attribute(&self, object: Object, attr: Attribute) -> Option<Val<'m>> {
        let model = self.graph.model;
        let names = |items: &'m [String]| {
            Val::List(items.iter().map(|t| Val::One(Scalar::Name(t))).collect())
        };
        let data = |items: &[DataId]| {
            Val::List(
                items
                    .iter()
                    .map(|d| Val::literal(Literal::Data(*d)))
                    .collect(),
            )
        };
        let max = |levels: [CiaLevel; 3], property| {
            Val::literal(Literal::Cia(levels[property_index(property)]))
        };
        Some(match object {
            Object::Flow(id) => {
                let flow = model.flow(id);
                let info = self.graph.flow(id);
                match attr {
                    Attribute::Id => Val::One(Scalar::Name(&flow.meta.name)),
                    Attribute::Tags => names(&flow.meta.tags),
                    Attribute::Protocol => Val::One(Scalar::Name(&flow.protocol)),
                    Attribute::Authenticated => Val::bool(flow.authenticated),
                    Attribute::Encrypted => Val::bool(flow.encrypted),
                    Attribute::IntegrityProtected => Val::bool(flow.integrity_protected),
                    Attribute::Auth => Val::literal(Literal::Auth(flow.auth)),
                    Attribute::ServerAuthenticated => Val::bool(flow.server_authenticated),
                    Attribute::TlsVersion => Val::literal(Literal::TlsVersion(flow.tls_version)),
                    Attribute::Identity => Val::literal(Literal::Identity(flow.identity)),
                    Attribute::IsResponse => Val::bool(flow.is_response),
                    Attribute::CrossesBoundary => Val::bool(info.crosses_boundary),
                    Attribute::FromLowerTrust => Val::bool(info.from_lower_trust),
                    Attribute::Carries => data(&flow.carries),
                    Attribute::MaxConfidentiality => {
                        max(info.max, SecurityProperty::Confidentiality)
                    }
                    Attribute::MaxIntegrity => max(info.max, SecurityProperty::Integrity),
                    Attribute::MaxAvailability => max(info.max, SecurityProperty::Availability),
                    _ => return None,
                }
            }
            Object::Element(id) => {
                let element = model.element(id);
                let info = self.graph.element(id);
                match attr {
                    Attribute::Id => Val::One(Scalar::Name(&element.meta.name)),
                    Attribute::Tags => names(&element.meta.tags),
                    Attribute::Kind => Val::literal(Literal::ElementKind(element.kind)),
                    Attribute::Stores => data(&element.stores),
                    Attribute::Interfaces => names(&element.interfaces),
                    Attribute::Fleet => Val::literal(Literal::Fleet(element.fleet)),
                    Attribute::Software => Val::List(
                        element
                            .software
                            .iter()
                            .map(|s| Val::One(Scalar::Str(s)))
                            .collect(),
                    ),
                    // Not stated is no value: every comparison with it is false.
                    Attribute::ControlledBy => {
                        Val::literal(Literal::ControlledBy(element.controlled_by?))
                    }
                    Attribute::Updatable => Val::bool(element.updatable),
                    Attribute::Exposed => Val::bool(info.exposed),
                    Attribute::HostsExposed => Val::bool(info.hosts_exposed),
                    Attribute::InputValidation => Val::bool(element.security.input_validation),
                    Attribute::OutputEncoding => Val::bool(element.security.output_encoding),
                    Attribute::AccessControl => Val::bool(element.security.access_control),
                    Attribute::Authorization => {
                        Val::literal(Literal::Authorization(element.security.authorization))
                    }
                    Attribute::Parses => names(&element.security.parses),
                    Attribute::Processes => data(&element.security.processes),
                    Attribute::ReceivesUntrustedInput => Val::bool(info.receives_untrusted_input),
                    Attribute::UsedByStaff => Val::bool(info.used_by_staff),
                    Attribute::MaxConfidentiality => {
                        max(info.max, SecurityProperty::Confidentiality)
                    }
                    Attribute::MaxIntegrity => max(info.max, SecurityProperty::Integrity),
                    Attribute::MaxAvailability => max(info.max, SecurityProperty::Availability),
                    _ => return None,
                }
            }
            Object::Zone(id) => {
                let zone = model.zone(id);
                match attr {
                    Attribute::Id => Val::One(Scalar::Name(&zone.meta.name)),
                    Attribute::Tags => names(&zone.meta.tags),
                    Attribute::Trust => Val::literal(Literal::Trust(zone.trust)),
                    Attribute::PhysicalAccess => Val::bool(zone.physical_access),
                    Attribute::ControlledBy => {
                        Val::literal(Literal::ControlledBy(zone.controlled_by?))
                    }
                    _ => return None,
                }
            }
        })
    }

    /// A rule title for one subject: text as is, each `{path}` rendered.
    pub fn render_title(&self, template: &Template, subject: Object) -> String {
        self.render_title_over(template, &[subject])
    }

    /// The title of one threat kept for several subjects (a `group_by`
    /// rule's flows): each placeholder lists the distinct values of all of
    /// them, in order, as `a, b`.
    pub fn render_title_over(&self, template: &Template, subjects: &[Object]) -> String {
        self.render_title_with(template, subjects, subjects)
    }

    /// The title of a `per: link` threat kept for both directions of a
    /// link: a list placeholder (`{carries}`) lists the items of both, so
    /// a request/response link names its request and its response data;
    /// a single value (`{id}`, `{source}`) is the forward flow's.
    pub fn render_link_title(
        &self,
        template: &Template,
        forward: Object,
        directions: &[Object],
    ) -> String {
        self.render_title_with(template, &[forward], directions)
    }

    /// Renders single-valued placeholders over `singles` and list-valued
    /// ones over `lists`.
    fn render_title_with(
        &self,
        template: &Template,
        singles: &[Object],
        lists: &[Object],
    ) -> String {
        let mut out = String::new();
        for part in &template.parts {
            let (path, keep) = match part {
                TemplatePart::Text { text } => {
                    out.push_str(text);
                    continue;
                }
                TemplatePart::Value { path } => (path, None),
                TemplatePart::Filtered { path, keep } => (path, Some(keep)),
            };
            let expr = TypedExpr::Attr { path: path.clone() };
            let subjects = match path.ty {
                Type::List(_) => lists,
                _ => singles,
            };
            let mut items: Vec<Value> = Vec::new();
            let mut any = false;
            for &subject in subjects {
                let Some(value) = self.value(&expr, subject) else {
                    continue;
                };
                any = true;
                let values = match value {
                    Value::List(list) => list,
                    one => vec![one],
                };
                for item in values {
                    if keep.is_none_or(|keep| self.kept(keep, &item)) && !items.contains(&item) {
                        items.push(item);
                    }
                }
            }
            if any {
                self.render_value(&Value::List(items), &mut out);
            } else {
                out.push('?');
            }
        }
        out
    }

    /// Whether a `{path:filter}` placeholder keeps this list item.
    fn kept(&self, keep: &TemplateFilter, item: &Value) -> bool {
        match (keep, item) {
            (TemplateFilter::DataKind(kind), Value::One(Literal::Data(d))) => {
                self.graph.model.datum(*d).kind == *kind
            }
            (TemplateFilter::DebugInterfaces, Value::One(Literal::Name(name))) => {
                DEBUG_INTERFACES.contains(&name.as_str())
            }
            _ => false,
        }
    }

    /// An element, zone or data item renders as its id, a list as `a, b`.
    pub fn render_value(&self, value: &Value, out: &mut String) {
        let model = self.graph.model;
        match value {
            Value::One(literal) => out.push_str(match literal {
                Literal::Bool(b) => {
                    if *b {
                        "true"
                    } else {
                        "false"
                    }
                }
                Literal::Str(s) | Literal::Name(s) => s,
                Literal::ElementKind(k) => k.as_str(),
                Literal::DataKind(k) => k.as_str(),
                Literal::Fleet(f) => f.as_str(),
                Literal::ControlledBy(c) => c.as_str(),
                Literal::Authorization(a) => ward_model::authorization_text(*a),
                Literal::Trust(t) => t.as_str(),
                Literal::Cia(c) => c.as_str(),
                Literal::Auth(_) | Literal::TlsVersion(_) | Literal::Identity(_) => {
                    literal.setting_text().unwrap_or_default()
                }
                Literal::Element(e) => &model.element(*e).meta.name,
                Literal::Zone(z) => &model.zone(*z).meta.name,
                Literal::Data(d) => &model.datum(*d).meta.name,
            }),
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.render_value(item, out);
                }
            }
        }
    }
}

fn object_value<'a>(object: Object) -> Val<'a> {
    match object {
        // A flow is never the value of a path: paths start at the subject
        // and only `source`, `target` and `zone` navigate.
        Object::Flow(_) => Val::List(Vec::new()),
        Object::Element(e) => Val::literal(Literal::Element(e)),
        Object::Zone(z) => Val::literal(Literal::Zone(z)),
    }
}

fn compare(op: CompareOp, left: &Val<'_>, right: &Val<'_>) -> bool {
    match op {
        CompareOp::Eq => same(left, right),
        CompareOp::Ne => !same(left, right),
        CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge => {
            let (Some(l), Some(r)) = (left.rank(), right.rank()) else {
                return false;
            };
            match op {
                CompareOp::Lt => l < r,
                CompareOp::Le => l <= r,
                CompareOp::Gt => l > r,
                _ => l >= r,
            }
        }
    }
}

/// Equality; lists compare as sets.
fn same(left: &Val<'_>, right: &Val<'_>) -> bool {
    match (left, right) {
        (Val::List(a), Val::List(b)) => {
            a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
        }
        _ => left == right,
    }
}
