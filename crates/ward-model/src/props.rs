//! Checking blocks against the property table of spec §2 (in `language`)
//! and typed reading of property values: unknown, missing and repeated
//! properties, value shapes, closed sets.

use crate::codes;
use crate::language::PropertySpec;
use crate::model::*;
use crate::names::Cx;
use crate::policy::ValueSpan;
use crate::suggest::suggest;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use ward_diagnostics::{Applicability, Diagnostic, Edit, Fix, Span};
use ward_syntax::ast::{Block, Decl, DeclKind, Ident, Property, PropertyValue, Ref, Value};

/// Every key a declaration kind accepts.
pub(crate) fn valid_keys(kind: DeclKind) -> Vec<&'static str> {
    crate::language::properties(kind).map(|p| p.key).collect()
}

/// The properties of one declaration, checked against its table.
pub(crate) struct Props<'a> {
    kind: DeclKind,
    map: HashMap<&'a str, &'a Property>,
}

impl<'a> Props<'a> {
    /// The property `spec` (a const of [`crate::language`], so a misspelt
    /// name does not compile), if written. Reading a property the
    /// declaration does not take is a bug: it would read nothing, silently.
    pub fn get(&self, spec: &PropertySpec) -> Option<&'a Property> {
        debug_assert!(
            crate::language::property(self.kind, spec.key).is_some_and(|p| p.value == spec.value),
            "`{}` does not take `{}` (of that type)",
            self.kind.keyword(),
            spec.key
        );
        self.map.get(spec.key).copied()
    }
}

/// Keeps the first of each item, in order. Linear: a list may hold
/// thousands of items (`Vec::contains` per item was quadratic).
pub(crate) fn dedup_in_order<T: Eq + Hash + Clone>(items: Vec<T>) -> Vec<T> {
    let mut seen = HashSet::with_capacity(items.len());
    items
        .into_iter()
        .filter(|item| seen.insert(item.clone()))
        .collect()
}

/// Checks a declaration's block: unknown keys (with did-you-mean), repeated
/// keys (at the second, the first as a label) and missing required keys.
pub(crate) fn check_block<'a>(cx: &mut Cx, decl: &'a Decl) -> Props<'a> {
    let keys = valid_keys(decl.kind);
    let mut map: HashMap<&'a str, &'a Property> = HashMap::new();
    for property in &decl.body.properties {
        let key = property.key.name.as_str();
        if !keys.contains(&key) {
            unknown_key(cx, &property.key, decl.kind.keyword(), &keys);
            continue;
        }
        if let Some(first) = map.get(key) {
            cx.push(repeated(&property.key, first.key.span));
            continue;
        }
        map.insert(key, property);
    }
    // A damaged declaration's missing keys may be in the text that failed
    // to parse: the syntax error says what is wrong, not a follow-on.
    let damaged = cx.is_damaged(decl);
    for spec in crate::language::own_properties(decl.kind) {
        let key = spec.key;
        if spec.required && !damaged && !map.contains_key(key) {
            let what = if decl.kind == DeclKind::Accept {
                format!("`accept {}`", decl.name.name)
            } else {
                format!("{} `{}`", decl.kind.keyword(), decl.name.name)
            };
            let mut d = Diagnostic::error(
                codes::MISSING_PROPERTY,
                decl.name.span,
                format!("{what} is missing `{key}`"),
            )
            .with_primary_label(format!("`{key}` is required"))
            .with_help(format!("add `{key}: ...` to its block"));
            if let Some(fix) = add_property(&decl.body, key) {
                d = d.with_fix(fix);
            }
            cx.push(d);
        }
    }
    Props {
        kind: decl.kind,
        map,
    }
}

/// Inserts `key: ` at the end of a block, for the author to give the value:
/// no required property has a value that is right for every device, so the
/// fix is [`Applicability::DisplayOnly`]. `None` for an unclosed block.
pub(crate) fn add_property(block: &Block, key: &str) -> Option<Fix> {
    let close = block.close?;
    let at = block
        .properties
        .last()
        .map_or(block.open.end, |last| last.span.end);
    Some(Fix::new(
        format!("Add the `{key}` property"),
        Applicability::DisplayOnly,
        vec![Edit::insert(
            close.file,
            at as usize,
            format!("\n  {key}: "),
        )],
    ))
}

pub(crate) fn unknown_key(cx: &mut Cx, key: &Ident, owner: &str, keys: &[&str]) {
    let mut d = Diagnostic::error(
        codes::UNKNOWN_PROPERTY,
        key.span,
        format!("unknown property `{}` for {owner}", key.name),
    )
    .with_primary_label("unknown property");
    d = match suggest(&key.name, keys.iter().copied()) {
        Some(best) => d
            .with_help(format!("did you mean `{}`?", best.name))
            .with_fix(best.fix(&key.name, key.span)),
        None => d.with_help(format!("{owner} takes {}", crate::load::backticked(keys))),
    };
    cx.push(d);
}

pub(crate) fn repeated(key: &Ident, first: Span) -> Diagnostic {
    Diagnostic::error(
        codes::REPEATED_PROPERTY,
        key.span,
        format!("`{}` is given twice", key.name),
    )
    .with_primary_label("given again here")
    .with_label(first, "first given here")
    .with_help("give each property once")
}

/// How a value is described in shape errors.
pub(crate) fn shape(value: &Value) -> String {
    match value {
        Value::Str(_) => "a string".into(),
        Value::Number(n) => format!("the number `{}`", n.value),
        Value::Bool(b) => format!("`{}`", b.value),
        Value::Ref(r) if r.reverse.is_some() => format!("`{}.reverse`", r.id.name),
        Value::Ref(r) => format!("the identifier `{}`", r.id.name),
        Value::ThreatRef(t) => match &t.element {
            Some(e) => format!("the threat reference `{}@{}`", t.threat.name, e.id.name),
            None => format!("the identifier `{}`", t.threat.name),
        },
        Value::Path(p) => format!("the path `{}`", p.text()),
        Value::List(_) => "a list".into(),
        Value::Tagged(t) => format!("the item `{} \"...\"`", t.tag.name),
        Value::Expr(_) => "an expression".into(),
    }
}

/// A closed value set that properties can take.
pub(crate) trait Closed: Copy {
    /// How the set is named in messages: "a data kind".
    const WHAT: &'static str;
    fn parse_value(text: &str) -> Option<Self>;
    fn allowed() -> Vec<&'static str>;
}

macro_rules! closed {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl Closed for $ty {
            const WHAT: &'static str = $what;
            fn parse_value(text: &str) -> Option<Self> { <$ty>::parse(text) }
            fn allowed() -> Vec<&'static str> { <$ty>::names() }
        }
    )*};
}

closed! {
    ComponentKind => "a component kind",
    ActorKind => "an actor kind",
    DataKind => "a data kind",
    AffectsItem => "a security property or a data kind",
    CiaLevel => "a level (`none`, `low`, `medium`, `high`)",
    Trust => "a trust level",
    ControlledBy => "a `controlled_by` value",
    Fleet => "a fleet value",
    Authorization => "an authorization model",
    AuthMethod => "an authentication method",
    TlsVersion => "a TLS version",
    CallerIdentity => "an `identity` value",
    SupportLevel => "a support level",
    VulnerabilityStatus => "a vulnerability status",
    DispositionStatus => "a disposition status",
    VexJustification => "a VEX justification",
    RiskControlState => "`controlled` or `uncontrolled`",
    Stride => "a STRIDE category",
    ControlCategory => "an FDA control category",
    RulePer => "`link` or `direction`",
    RuleGroupBy => "`target`, `source` or `runs_on`",
    ControlOption => "a risk control option",
    ControlStatus => "a control status",
    VerificationType => "a verification type",
    Method => "a verification method",
    TestResult => "a test result",
    RiskLevel => "a risk level",
    RuleTarget => "a rule target",
    AttackVector => "an attack vector",
}

/// Typed reading of values. Each reports a wrong shape and returns `None`.
impl Cx {
    fn wrong_shape(&mut self, key: &Ident, value_span: Span, expected: &str, found: String) {
        self.push(
            Diagnostic::error(
                codes::WRONG_SHAPE,
                value_span,
                format!("`{}` expects {expected}, found {found}", key.name),
            )
            .with_primary_label(format!("expected {expected}")),
        );
    }

    /// E0204 for a value of the wrong shape: "`key` expects EXPECTED,
    /// found SHAPE", labelled `label`.
    pub fn wrong_value(&mut self, key: &str, value: &Value, expected: &str, label: &str) {
        self.push(
            Diagnostic::error(
                codes::WRONG_SHAPE,
                value.span(),
                format!("`{key}` expects {expected}, found {}", shape(value)),
            )
            .with_primary_label(label.to_string()),
        );
    }

    /// The plain value of a `key: value` property (not a block).
    pub fn value<'a>(&mut self, p: &'a Property, expected: &str) -> Option<&'a Value> {
        match &p.value {
            PropertyValue::Value(v) => Some(v),
            PropertyValue::Block(b) => {
                self.wrong_shape(&p.key, b.span(), expected, "a block".into());
                None
            }
        }
    }

    pub fn block<'a>(&mut self, p: &'a Property) -> Option<&'a Block> {
        match &p.value {
            PropertyValue::Block(b) => Some(b),
            PropertyValue::Value(v) => {
                self.push(
                    Diagnostic::error(
                        codes::WRONG_SHAPE,
                        v.span(),
                        format!(
                            "`{}` expects a block `{{ ... }}`, found {}",
                            p.key.name,
                            shape(v)
                        ),
                    )
                    .with_primary_label("expected a block")
                    .with_help(format!(
                        "write `{} {{ key: value }}`, without a colon",
                        p.key.name
                    )),
                );
                None
            }
        }
    }

    pub fn string(&mut self, p: &Property) -> Option<String> {
        let v = self.value(p, "a string")?;
        self.value_string(&p.key, v)
    }

    /// A calendar date `"YYYY-MM-DD"` (ISO 8601), kept as written.
    pub fn date(&mut self, p: &Property) -> Option<String> {
        let text = self.string(p)?;
        if is_calendar_date(&text) {
            return Some(text);
        }
        self.push(
            Diagnostic::error(
                codes::BAD_DATE,
                p.value_span(),
                format!("`{}` is not a calendar date", text),
            )
            .with_primary_label("expected \"YYYY-MM-DD\"")
            .with_help(format!(
                "write the date as year-month-day, e.g. `{}: \"2026-11-03\"`",
                p.key.name
            )),
        );
        None
    }

    pub fn value_string(&mut self, key: &Ident, v: &Value) -> Option<String> {
        match v {
            Value::Str(s) => Some(s.value.clone()),
            other => {
                self.wrong_shape(key, other.span(), "a string", shape(other));
                None
            }
        }
    }

    pub fn boolean(&mut self, p: &Property) -> Option<bool> {
        match self.value(p, "`true` or `false`")? {
            Value::Bool(b) => Some(b.value),
            other => {
                self.wrong_shape(&p.key, other.span(), "`true` or `false`", shape(other));
                None
            }
        }
    }

    /// A bare identifier (an enum value, a level, an open-set name).
    pub fn value_ident<'a>(&mut self, key: &Ident, v: &'a Value) -> Option<&'a Ident> {
        match v {
            Value::Ref(r) if r.reverse.is_none() => Some(&r.id),
            Value::ThreatRef(t) if t.element.is_none() => Some(&t.threat),
            other => {
                self.wrong_shape(key, other.span(), "an identifier", shape(other));
                None
            }
        }
    }

    pub fn ident<'a>(&mut self, p: &'a Property) -> Option<&'a Ident> {
        let v = self.value(p, "an identifier")?;
        self.value_ident(&p.key, v)
    }

    pub fn value_enum<T: Closed>(&mut self, key: &Ident, v: &Value) -> Option<T> {
        let id = self.value_ident(key, v)?;
        self.ident_enum(key, id)
    }

    pub fn ident_enum<T: Closed>(&mut self, key: &Ident, id: &Ident) -> Option<T> {
        if let Some(value) = T::parse_value(&id.name) {
            return Some(value);
        }
        let allowed = T::allowed();
        let mut d = Diagnostic::error(
            codes::BAD_ENUM_VALUE,
            id.span,
            format!("`{}` is not {} (in `{}`)", id.name, T::WHAT, key.name),
        )
        .with_primary_label(format!("not {}", T::WHAT));
        d = match suggest(&id.name, allowed.iter().copied()) {
            Some(best) => d
                .with_help(format!(
                    "did you mean `{}`? allowed: {}",
                    best.name,
                    crate::load::backticked(&allowed)
                ))
                .with_fix(best.fix(&id.name, id.span)),
            None => d.with_help(format!("allowed: {}", crate::load::backticked(&allowed))),
        };
        self.push(d);
        None
    }

    pub fn enum_value<T: Closed>(&mut self, p: &Property) -> Option<T> {
        let v = self.value(p, T::WHAT)?;
        self.value_enum(&p.key, v)
    }

    /// The items of a list property; a single value is a one-element list.
    pub fn list<'a>(&mut self, p: &'a Property) -> Vec<&'a Value> {
        match self.value(p, "a list") {
            Some(Value::List(l)) => l.items.iter().collect(),
            Some(v) => vec![v],
            None => Vec::new(),
        }
    }

    pub fn enum_list<T: Closed + Eq + Hash>(&mut self, p: &Property) -> Vec<T> {
        let mut out = Vec::new();
        for v in self.list(p) {
            if let Some(value) = self.value_enum::<T>(&p.key, v) {
                out.push(value);
            }
        }
        dedup_in_order(out)
    }

    pub fn string_list(&mut self, p: &Property) -> Vec<String> {
        self.list(p)
            .into_iter()
            .filter_map(|v| self.value_string(&p.key, v))
            .collect()
    }

    pub fn ident_list(&mut self, p: &Property) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in self.list(p) {
            if let Some(id) = self.value_ident(&p.key, v) {
                out.push(id.name.clone());
            }
        }
        dedup_in_order(out)
    }

    /// A reference value (`id` or `id.reverse`).
    pub fn value_ref<'a>(&mut self, key: &Ident, v: &'a Value, expected: &str) -> Option<&'a Ref> {
        match v {
            Value::Ref(r) => Some(r),
            other => {
                self.wrong_shape(key, other.span(), expected, shape(other));
                None
            }
        }
    }

    /// A non-negative integer (`reduces`, CAPEC and CWE ids).
    pub fn value_uint(&mut self, key: &Ident, v: &Value) -> Option<u32> {
        match v {
            Value::Number(n) => {
                if n.value >= 0.0 && n.value.fract() == 0.0 && n.value <= u32::MAX as f64 {
                    Some(n.value as u32)
                } else {
                    self.push(
                        Diagnostic::error(
                            codes::BAD_INTEGER,
                            n.span,
                            format!(
                                "`{}` expects a non-negative integer, found `{}`",
                                key.name, n.value
                            ),
                        )
                        .with_primary_label("not a non-negative integer"),
                    );
                    None
                }
            }
            other => {
                self.wrong_shape(key, other.span(), "a non-negative integer", shape(other));
                None
            }
        }
    }

    pub fn uint(&mut self, p: &Property) -> Option<u32> {
        let v = self.value(p, "a non-negative integer")?;
        self.value_uint(&p.key, v)
    }

    pub fn uint_list(&mut self, p: &Property) -> Vec<u32> {
        let mut out = Vec::new();
        for v in self.list(p) {
            if let Some(n) = self.value_uint(&p.key, v) {
                out.push(n);
            }
        }
        dedup_in_order(out)
    }

    pub fn number(&mut self, key: &Ident, v: &Value) -> Option<f64> {
        match v {
            Value::Number(n) => Some(n.value),
            other => {
                self.wrong_shape(key, other.span(), "a number", shape(other));
                None
            }
        }
    }
}

/// Whether `text` is `YYYY-MM-DD` naming a day of the Gregorian calendar
/// (the `time` crate knows the calendar; the shape check keeps out signs
/// and wide years it would also read).
pub fn is_calendar_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.len() == 10
        && text.bytes().enumerate().all(|(i, c)| match i {
            4 | 7 => c == b'-',
            _ => c.is_ascii_digit(),
        })
        && time::Date::parse(text, format).is_ok()
}

/// Days from `from` to `to`, both `YYYY-MM-DD` (negative when `to` is
/// earlier); `None` when either is not a calendar date.
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let from = time::Date::parse(from, format).ok()?;
    let to = time::Date::parse(to, format).ok()?;
    Some((to - from).whole_days())
}

/// `date` plus `days`, as `YYYY-MM-DD`; `None` when `date` is not a
/// calendar date or the sum leaves the calendar.
pub fn add_days(date: &str, days: u32) -> Option<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(date, format).ok()?;
    let later = date.checked_add(time::Duration::days(i64::from(days)))?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        later.year(),
        u8::from(later.month()),
        later.day()
    ))
}

#[cfg(test)]
mod date_tests {
    use super::{add_days, days_between, is_calendar_date};

    #[test]
    fn days_are_counted_across_months_and_leap_years() {
        assert_eq!(days_between("2024-02-28", "2024-03-01"), Some(2));
        assert_eq!(days_between("2026-03-01", "2026-02-27"), Some(-2));
        assert_eq!(days_between("2026-02-30", "2026-03-01"), None);
        assert_eq!(add_days("2024-02-28", 2).as_deref(), Some("2024-03-01"));
        assert_eq!(add_days("2026-12-01", 31).as_deref(), Some("2027-01-01"));
    }

    #[test]
    fn calendar_dates_are_real_days_written_yyyy_mm_dd() {
        for ok in ["2026-03-14", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_calendar_date(ok), "{ok}");
        }
        for bad in [
            "",
            "2026-3-14",
            "14/03/2026",
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-04-00",
            "２０２６-03-14",
            "2026-03-14 ",
            "+026-03-14",
        ] {
            assert!(!is_calendar_date(bad), "{bad}");
        }
    }
}
