//! From pest pairs to the AST of `ast.rs`, reporting what the tolerant
//! grammar swallowed: each `bad_*` region gives one diagnostic (see
//! `recover.rs`), an `unclosed` block one at its `{`.

use crate::ast::*;
use crate::grammar::Rule;
use crate::lexer::{Lexed, MAX_NESTING};
use crate::recover::{self, Region};
use crate::{codes, strings};
use pest::iterators::Pair;
use ward_diagnostics::{Applicability, Diagnostic, Edit, FileId, Fix, Span};

type P<'i> = Pair<'i, Rule>;

pub(crate) struct Builder<'a> {
    pub(crate) text: &'a str,
    pub(crate) file: FileId,
    lexed: &'a Lexed,
    pub errors: Vec<Diagnostic>,
    /// Where the text pest is parsing starts in `text`: pair offsets are
    /// relative to it.
    pub(crate) base: usize,
    /// Index of the first comment not yet considered for doc comments.
    doc_cursor: usize,
}

/// A run of swallowed members in a block, reported as one error.
struct BadRun {
    /// Where the strict re-parse starts (the member's start).
    from: usize,
    /// The swallowed text.
    span: Span,
    /// The key of the property just before, if any.
    previous_key: Option<String>,
    /// `[`/`(` opened and not closed in the swallowed text: while positive,
    /// the next lines continue the same broken value.
    open_brackets: i64,
    /// The text ends where more must follow (`key:`, an operator): the next
    /// line continues it.
    unfinished: bool,
}

impl<'a> Builder<'a> {
    pub fn new(text: &'a str, file: FileId, lexed: &'a Lexed) -> Builder<'a> {
        Builder {
            text,
            file,
            lexed,
            errors: Vec::new(),
            base: 0,
            doc_cursor: 0,
        }
    }

    fn span(&self, p: &P) -> Span {
        let s = p.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }

    fn at(&self, offset: usize) -> Span {
        Span::new(self.file, offset, offset)
    }

    fn ident(&self, p: &P) -> Ident {
        Ident {
            name: p.as_str().to_string(),
            span: self.span(p),
        }
    }

    // ------------------------------------------------------------ items

    pub fn file(&mut self, file: P) -> SourceFileAst {
        let mut items = Vec::new();
        for p in file.into_inner() {
            self.entry(p, &mut items);
        }
        SourceFileAst {
            items,
            comments: Vec::new(),
        }
    }

    /// One top-level entry: an item, or swallowed text.
    pub fn entry(&mut self, p: P, items: &mut Vec<Item>) {
        match p.as_rule() {
            Rule::use_item => items.push(Item::Use(self.use_item(p))),
            Rule::decl => items.push(Item::Decl(self.decl(p))),
            Rule::flow_decl => items.push(Item::Decl(self.flow(p))),
            Rule::accept_decl => items.push(Item::Decl(self.accept(p))),
            Rule::disposition_decl => items.push(Item::Decl(self.disposition(p))),
            Rule::bad_item => self.bad_item(&p),
            _ => {}
        }
    }

    fn bad_item(&mut self, p: &P) {
        let span = self.span(p);
        if self.lexed.has_error_in(span.range()) {
            return;
        }
        self.errors
            .push(recover::diagnose(self.text, self.file, span, Region::Item));
    }

    fn use_item(&mut self, p: P) -> Use {
        let span = self.span(&p);
        let mut target = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::path => target = Some(UseTarget::Path(self.path(c))),
                Rule::string => target = Some(UseTarget::File(self.string(c))),
                _ => {}
            }
        }
        let target = target.unwrap_or_else(|| {
            UseTarget::Path(Path {
                segments: Vec::new(),
                span,
            })
        });
        Use { target, span }
    }

    fn path(&mut self, p: P) -> Path {
        let span = self.span(&p);
        let segments = p
            .into_inner()
            .filter(|c| c.as_rule() == Rule::ident)
            .map(|c| self.ident(&c))
            .collect();
        Path { segments, span }
    }

    fn decl(&mut self, p: P) -> Decl {
        let start = self.base + p.as_span().start();
        let mut kind = DeclKind::System;
        let mut parts = Header::new(self.at(start));
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::decl_kw => {
                    kind = DeclKind::from_keyword(c.as_str()).unwrap_or(DeclKind::System);
                    parts.keyword = self.span(&c);
                }
                Rule::decl_name => parts.name = Some(self.declared_name(&c, kind.keyword())),
                Rule::title => parts.title = c.into_inner().next().map(|s| self.string(s)),
                Rule::parent => {
                    parts.parent = c.into_inner().next().map(|r| self.reference(r, "a parent"))
                }
                Rule::block => {
                    parts.body =
                        Some(self.block(c, &format!("{} `{}`", kind.keyword(), parts.name_text())))
                }
                Rule::bad_header => self.bad_header(&c, start, Rule::decl_strict),
                _ => {}
            }
        }
        self.finish(kind, parts)
    }

    fn flow(&mut self, p: P) -> Decl {
        let start = self.base + p.as_span().start();
        let mut parts = Header::new(self.at(start));
        let mut ends: Vec<Ref> = Vec::new();
        let mut arrow = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::kw_flow => parts.keyword = self.span(&c),
                Rule::decl_name => parts.name = Some(self.declared_name(&c, "flow")),
                Rule::flow_end => {
                    if let Some(r) = c.into_inner().next() {
                        let r = self.reference(r, "a flow end");
                        ends.push(r);
                    }
                }
                Rule::arrow => {
                    let direction = if c.as_str() == "<->" {
                        FlowDirection::Both
                    } else {
                        FlowDirection::Forward
                    };
                    arrow = Some((direction, self.span(&c)));
                }
                Rule::title => parts.title = c.into_inner().next().map(|s| self.string(s)),
                Rule::block => {
                    parts.body = Some(self.block(c, &format!("flow `{}`", parts.name_text())))
                }
                Rule::bad_header => self.bad_header(&c, start, Rule::flow_strict),
                _ => {}
            }
        }
        // `flow app -> api`: `app` is the source, not an id; it declares
        // nothing (the syntax error says the id is missing).
        if ends.is_empty()
            && parts
                .name
                .as_ref()
                .is_some_and(|n| recover::flow_id_missing(self.text, n.span.end as usize))
        {
            parts.name = None;
        }
        let flow = match (ends.len(), arrow) {
            (2, Some((direction, direction_span))) => {
                let target = ends
                    .pop()
                    .unwrap_or_else(|| unreachable_ref(direction_span));
                let source = ends
                    .pop()
                    .unwrap_or_else(|| unreachable_ref(direction_span));
                Some(FlowEnds {
                    source,
                    direction,
                    direction_span,
                    target,
                })
            }
            _ => None,
        };
        let mut decl = self.finish(DeclKind::Flow, parts);
        decl.flow = flow;
        decl
    }

    fn accept(&mut self, p: P) -> Decl {
        let start = self.base + p.as_span().start();
        let mut parts = Header::new(self.at(start));
        let mut accepted = Vec::new();
        let mut accepted_list = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::kw_accept => parts.keyword = self.span(&c),
                Rule::threat_ref => {
                    parts.name = Some(self.ident(&c));
                    accepted.push(self.threat_ref(c));
                }
                Rule::threat_wildcard => {
                    parts.name = Some(self.ident(&c));
                    self.wildcard(&c);
                }
                Rule::accepted_list => {
                    let span = self.span(&c);
                    for item in c.into_inner() {
                        match item.as_rule() {
                            Rule::threat_ref => accepted.push(self.threat_ref(item)),
                            Rule::threat_wildcard => self.wildcard(&item),
                            _ => {}
                        }
                    }
                    parts.name = Some(Ident {
                        name: accepted_list_name(&accepted),
                        span,
                    });
                    accepted_list = Some(span);
                }
                Rule::block => {
                    parts.body = Some(self.block(c, &format!("accept `{}`", parts.name_text())))
                }
                Rule::bad_header => self.bad_header(&c, start, Rule::accept_strict),
                _ => {}
            }
        }
        let mut decl = self.finish(DeclKind::Accept, parts);
        decl.accepted = accepted;
        decl.accepted_list = accepted_list;
        decl
    }

    fn disposition(&mut self, p: P) -> Decl {
        let start = self.base + p.as_span().start();
        let mut parts = Header::new(self.at(start));
        let mut threat = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::kw_disposition => parts.keyword = self.span(&c),
                Rule::threat_ref => {
                    parts.name = Some(self.ident(&c));
                    threat = Some(self.threat_ref(c));
                }
                Rule::block => {
                    let what = format!("disposition `{}`", parts.name_text());
                    parts.body = Some(self.block(c, &what))
                }
                Rule::bad_header => self.bad_header(&c, start, Rule::disposition_strict),
                _ => {}
            }
        }
        let mut decl = self.finish(DeclKind::Disposition, parts);
        decl.accepted = threat.into_iter().collect();
        decl
    }

    /// `accept auth_*`: refused, so that a threat added later is never
    /// accepted without anyone naming it.
    fn wildcard(&mut self, p: &P) {
        let span = self.span(p);
        self.errors.push(
            Diagnostic::error(
                codes::SYNTAX,
                span,
                format!("`accept` names each threat it covers; `{}` is a wildcard", p.as_str()),
            )
            .with_primary_label("a wildcard cannot be accepted")
            .with_help(
                "list the threats one by one, e.g. `accept [replay_bolus, spoofing@f_sync] { ... }`: \
                 a pattern would also accept threats added later, which no one has reviewed",
            ),
        );
    }

    fn bad_header(&mut self, p: &P, decl_start: usize, strict: Rule) {
        let span = self.span(p);
        if self.lexed.has_error_in(decl_start..span.end as usize) {
            return;
        }
        let whole = Span::new(self.file, decl_start, span.end as usize);
        self.errors.push(recover::diagnose(
            self.text,
            self.file,
            whole,
            Region::Header(strict),
        ));
    }

    pub(crate) fn finish(&mut self, kind: DeclKind, h: Header) -> Decl {
        let name = h.name.unwrap_or(Ident {
            name: String::new(),
            span: h.keyword,
        });
        let header_end = [
            Some(name.span),
            h.title.as_ref().map(|t| t.span),
            h.parent.as_ref().map(|r| r.span),
        ]
        .into_iter()
        .flatten()
        .fold(h.keyword, Span::to);
        let body = h.body.unwrap_or(Block {
            open: self.at(header_end.end as usize),
            close: None,
            properties: Vec::new(),
        });
        let span = if body.open.is_empty() {
            header_end
        } else {
            h.keyword.to(body.span())
        };
        let doc = self.doc_before(h.keyword.start as usize);
        Decl {
            kind,
            keyword_span: h.keyword,
            name,
            accepted: Vec::new(),
            accepted_list: None,
            flow: None,
            title: h.title,
            parent: h.parent,
            body,
            doc,
            span,
        }
    }

    /// The `///` comments just above `offset`, separated from it and from
    /// each other by whitespace only.
    fn doc_before(&mut self, offset: usize) -> Option<String> {
        let comments = &self.lexed.comments;
        let end = self.doc_cursor
            + comments[self.doc_cursor..].partition_point(|c| (c.span.start as usize) < offset);
        self.doc_cursor = end;
        let mut first = end;
        let mut next_start = offset;
        while first > 0 {
            let c = &comments[first - 1];
            let gap = &self.text[c.span.end as usize..next_start];
            if c.kind != CommentKind::Doc || !gap.bytes().all(|b| b.is_ascii_whitespace()) {
                break;
            }
            first -= 1;
            next_start = c.span.start as usize;
        }
        if first == end {
            return None;
        }
        let lines: Vec<&str> = comments[first..end]
            .iter()
            .map(|c| {
                let body = &c.text[3..];
                body.strip_prefix(' ').unwrap_or(body)
            })
            .collect();
        Some(lines.join("\n"))
    }

    /// A declared id; reserved words are reported but kept, so the
    /// declaration still declares something and its body is still checked.
    fn declared_name(&mut self, p: &P, keyword: &str) -> Ident {
        let ident = self.ident(p);
        if is_reserved(&ident.name) {
            self.errors.push(
                Diagnostic::error(
                    codes::RESERVED_ID,
                    ident.span,
                    format!(
                        "`{}` is a reserved word and cannot be declared as an id",
                        ident.name
                    ),
                )
                .with_primary_label(format!("the id of this {keyword}"))
                .with_help(format!(
                    "choose another id, for example `{}_{keyword}`",
                    ident.name
                )),
            );
        }
        ident
    }

    fn check_reference(&mut self, ident: &Ident, what: &str) {
        if is_reserved(&ident.name) {
            self.errors.push(
                Diagnostic::error(
                    codes::RESERVED_ID,
                    ident.span,
                    format!(
                        "`{}` is a reserved word and cannot be referenced as an id",
                        ident.name
                    ),
                )
                .with_primary_label(format!("expected {what} id here"))
                .with_help(
                    "reserved words cannot be ids; rename the declaration this should refer to",
                ),
            );
        }
    }

    // ------------------------------------------------------------ references

    fn reference(&mut self, p: P, what: &str) -> Ref {
        let span = self.span(&p);
        let mut id = None;
        let mut reverse = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::ident => id = Some(self.ident(&c)),
                Rule::reverse => reverse = Some(self.span(&c)),
                _ => {}
            }
        }
        let id = id.unwrap_or(Ident {
            name: String::new(),
            span,
        });
        self.check_reference(&id, what);
        Ref { id, reverse, span }
    }

    fn threat_ref(&mut self, p: P) -> ThreatRef {
        let span = self.span(&p);
        let mut threat = None;
        let mut element = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::ident => threat = Some(self.ident(&c)),
                Rule::reference => element = Some(self.reference(c, "an element")),
                _ => {}
            }
        }
        let threat = threat.unwrap_or(Ident {
            name: String::new(),
            span,
        });
        self.check_reference(&threat, "a threat or rule");
        ThreatRef {
            threat,
            element,
            span,
        }
    }

    // ------------------------------------------------------------ blocks

    fn block(&mut self, p: P, owner: &str) -> Block {
        let whole = self.span(&p);
        let mut block = Block {
            open: self.at(whole.start as usize),
            close: None,
            properties: Vec::new(),
        };
        let mut run: Option<BadRun> = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::block_open => block.open = self.span(&c),
                Rule::property => {
                    self.flush(&mut run);
                    let property = self.property(c);
                    block.properties.push(property);
                }
                Rule::missing_comma => {
                    self.flush(&mut run);
                    let span = self.span(&c);
                    self.missing_comma(span, block.properties.last());
                }
                Rule::bad_tail => {
                    self.flush(&mut run);
                    let previous = block.properties.last();
                    run = Some(BadRun {
                        from: previous
                            .map_or(self.base + c.as_span().start(), |p| p.span.start as usize),
                        span: self.span(&c),
                        previous_key: None,
                        open_brackets: bracket_balance(c.as_str()),
                        unfinished: is_unfinished(c.as_str()),
                    });
                }
                Rule::bad_member => {
                    let span = self.span(&c);
                    let balance = bracket_balance(c.as_str());
                    match &mut run {
                        Some(r) if r.open_brackets > 0 || r.unfinished => {
                            r.span = r.span.to(span);
                            r.open_brackets += balance;
                            r.unfinished = is_unfinished(c.as_str());
                        }
                        _ => {
                            self.flush(&mut run);
                            run = Some(BadRun {
                                from: span.start as usize,
                                span,
                                previous_key: block.properties.last().map(|p| p.key.name.clone()),
                                open_brackets: balance,
                                unfinished: is_unfinished(c.as_str()),
                            })
                        }
                    }
                }
                Rule::block_close => {
                    self.flush(&mut run);
                    block.close = Some(self.span(&c));
                }
                Rule::unclosed => {
                    self.flush(&mut run);
                    self.unclosed(&block, self.span(&c), owner);
                }
                _ => {}
            }
        }
        self.flush(&mut run);
        block
    }

    fn flush(&mut self, run: &mut Option<BadRun>) {
        let Some(run) = run.take() else { return };
        if self.lexed.has_error_in(run.span.range()) {
            return;
        }
        let region = Region::Member {
            previous_key: run.previous_key,
        };
        let span = Span::new(self.file, run.from, run.span.end as usize);
        self.errors
            .push(recover::diagnose(self.text, self.file, span, region));
    }

    fn missing_comma(&mut self, gap: Span, previous: Option<&Property>) {
        let next = recover::word_at(self.text, gap.end as usize);
        let next_span = Span::new(self.file, gap.end as usize, gap.end as usize + next.len());
        let previous = previous.map_or(String::new(), |p| p.key.name.clone());
        self.errors.push(
            Diagnostic::error(
                codes::MISSING_COMMA,
                next_span,
                format!("expected `,` or a new line between properties `{previous}` and `{next}`"),
            )
            .with_primary_label("a new property starts here")
            .with_help("two properties on one line need a comma between them")
            .with_fix(Fix::new(
                "Add a comma",
                Applicability::Safe,
                vec![Edit::insert(self.file, gap.start as usize, ",")],
            )),
        );
    }

    fn unclosed(&mut self, block: &Block, end: Span, owner: &str) {
        let at_eof = end.start as usize >= self.text.len();
        if at_eof
            && self
                .lexed
                .runs_to_end
                .is_some_and(|r| r >= block.open.start as usize)
        {
            return;
        }
        let (message, label) = if at_eof {
            (
                format!("unclosed block of {owner}: expected `}}` before the end of the file"),
                "the file ends here",
            )
        } else {
            (
                format!("unclosed block of {owner}: expected `}}` before the next declaration"),
                "the next declaration starts here",
            )
        };
        let word = recover::word_at(self.text, end.start as usize);
        let end_span = Span::new(
            self.file,
            end.start as usize,
            end.start as usize + word.len(),
        );
        self.errors.push(
            Diagnostic::error(codes::UNCLOSED_BLOCK, block.open, message)
                .with_primary_label("this `{` is never closed")
                .with_label(end_span, label)
                .with_help("add the missing `}`"),
        );
    }

    fn property(&mut self, p: P) -> Property {
        let span = self.span(&p);
        let mut key = None;
        let mut value = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::key | Rule::when_key => key = Some(self.ident(&c)),
                Rule::value => value = Some(PropertyValue::Value(self.value(c))),
                Rule::when_expr => value = Some(PropertyValue::Value(Value::Expr(self.when(c)))),
                Rule::block => {
                    let owner = format!(
                        "property `{}`",
                        key.as_ref().map_or("", |k: &Ident| k.name.as_str())
                    );
                    value = Some(PropertyValue::Block(self.block(c, &owner)));
                }
                _ => {}
            }
        }
        let key = key.unwrap_or(Ident {
            name: String::new(),
            span,
        });
        let value = value.unwrap_or(PropertyValue::Block(Block {
            open: span,
            close: None,
            properties: Vec::new(),
        }));
        let span = match &value {
            PropertyValue::Value(v) => key.span.to(v.span()),
            PropertyValue::Block(b) => key.span.to(b.span()),
        };
        Property { key, value, span }
    }

    // ------------------------------------------------------------ values

    fn value(&mut self, p: P) -> Value {
        let span = self.span(&p);
        let Some(c) = p.into_inner().next() else {
            return Value::List(List {
                items: Vec::new(),
                span,
            });
        };
        match c.as_rule() {
            Rule::string => Value::Str(self.string(c)),
            Rule::number => Value::Number(self.number(&c)),
            Rule::boolean => Value::Bool(BoolLit {
                value: c.as_str() == "true",
                span: self.span(&c),
            }),
            Rule::list => {
                let span = self.span(&c);
                let items = c
                    .into_inner()
                    .filter(|i| i.as_rule() == Rule::value)
                    .map(|i| self.value(i))
                    .collect();
                Value::List(List { items, span })
            }
            _ => self.word_value(c),
        }
    }

    fn word_value(&mut self, p: P) -> Value {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let Some(first) = inner.next() else {
            return Value::Ref(Ref {
                id: Ident {
                    name: String::new(),
                    span,
                },
                reverse: None,
                span,
            });
        };
        let head = self.ident(&first);
        let Some(tail) = inner.next() else {
            return Value::Ref(Ref {
                id: head,
                reverse: None,
                span,
            });
        };
        match tail.as_rule() {
            Rule::reverse => Value::Ref(Ref {
                id: head,
                reverse: Some(self.span(&tail)),
                span,
            }),
            Rule::path_tail => {
                let mut segments = vec![head];
                segments.extend(
                    tail.into_inner()
                        .filter(|c| c.as_rule() == Rule::ident)
                        .map(|c| self.ident(&c)),
                );
                Value::Path(Path { segments, span })
            }
            Rule::at_tail => {
                let element = tail
                    .into_inner()
                    .find(|c| c.as_rule() == Rule::reference)
                    .map(|r| {
                        let span = self.span(&r);
                        let mut id = None;
                        let mut reverse = None;
                        for c in r.into_inner() {
                            match c.as_rule() {
                                Rule::ident => id = Some(self.ident(&c)),
                                Rule::reverse => reverse = Some(self.span(&c)),
                                _ => {}
                            }
                        }
                        Ref {
                            id: id.unwrap_or(Ident {
                                name: String::new(),
                                span,
                            }),
                            reverse,
                            span,
                        }
                    });
                Value::ThreatRef(ThreatRef {
                    threat: head,
                    element,
                    span,
                })
            }
            Rule::tag_tail => match tail.into_inner().next() {
                Some(s) => Value::Tagged(Tagged {
                    tag: head,
                    text: self.string(s),
                    span,
                }),
                None => Value::Ref(Ref {
                    id: head,
                    reverse: None,
                    span,
                }),
            },
            _ => Value::Ref(Ref {
                id: head,
                reverse: None,
                span,
            }),
        }
    }

    fn string(&mut self, p: P) -> StrLit {
        let span = self.span(&p);
        let decoded = strings::decode(p.as_str());
        for e in decoded.errors {
            let at = Span::new(
                self.file,
                span.start as usize + e.range.start,
                span.start as usize + e.range.end,
            );
            self.errors.push(
                Diagnostic::error(codes::INVALID_ESCAPE, at, format!("invalid escape in string: {}", e.message))
                    .with_primary_label("this escape")
                    .with_help("the escapes are `\\\"` `\\\\` `\\n` `\\t` and `\\u{...}` (1 to 6 hex digits); write `\\\\` for a backslash"),
            );
        }
        StrLit {
            value: decoded.value,
            triple: decoded.triple,
            span,
        }
    }

    fn number(&mut self, p: &P) -> NumberLit {
        NumberLit {
            value: p.as_str().parse().unwrap_or(0.0),
            span: self.span(p),
        }
    }

    // ------------------------------------------------------------ expressions

    fn when(&mut self, p: P) -> Expr {
        let span = self.span(&p);
        let mut budget = Budget {
            left: MAX_NESTING,
            reported: false,
        };
        match p.into_inner().next() {
            Some(or) => self.logical(or, &mut budget),
            None => Expr::Bool(BoolLit { value: true, span }),
        }
    }

    /// `or_expr`/`and_expr` (either form): operands joined left to right.
    fn logical(&mut self, p: P, budget: &mut Budget) -> Expr {
        let span = self.span(&p);
        let op = if matches!(p.as_rule(), Rule::or_expr | Rule::or_expr_n) {
            LogicalOp::Or
        } else {
            LogicalOp::And
        };
        let parts: Vec<P> = p
            .into_inner()
            .filter(|c| {
                matches!(
                    c.as_rule(),
                    Rule::and_expr | Rule::and_expr_n | Rule::not_expr | Rule::not_expr_n
                )
            })
            .collect();
        // Each operand after the first deepens the left spine by one.
        let spine = parts.len().saturating_sub(1);
        if !budget.take(spine) {
            return self.too_deep(span, budget);
        }
        let mut result: Option<Expr> = None;
        for c in parts {
            let operand = match c.as_rule() {
                Rule::and_expr | Rule::and_expr_n => self.logical(c, budget),
                _ => self.not(c, budget),
            };
            result = Some(match result {
                None => operand,
                Some(left) => {
                    let span = left.span().to(operand.span());
                    Expr::Logical {
                        op,
                        left: Box::new(left),
                        right: Box::new(operand),
                        span,
                    }
                }
            });
        }
        budget.give(spine);
        result.unwrap_or(Expr::Bool(BoolLit { value: true, span }))
    }

    fn not(&mut self, p: P, budget: &mut Budget) -> Expr {
        let span = self.span(&p);
        let mut nots: Vec<Span> = Vec::new();
        let mut operand = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::kw_not => nots.push(self.span(&c)),
                Rule::cmp_expr | Rule::cmp_expr_n => operand = Some(c),
                _ => {}
            }
        }
        if !budget.take(nots.len()) {
            return self.too_deep(span, budget);
        }
        let mut expr = match operand {
            Some(c) => self.compare(c, budget),
            None => Expr::Bool(BoolLit { value: true, span }),
        };
        budget.give(nots.len());
        for not_span in nots.into_iter().rev() {
            let span = not_span.to(expr.span());
            expr = Expr::Not {
                operand: Box::new(expr),
                span,
            };
        }
        expr
    }

    fn compare(&mut self, p: P, budget: &mut Budget) -> Expr {
        let span = self.span(&p);
        let mut operands = Vec::new();
        let mut op: Option<(Option<CompareOp>, Span)> = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::operand => operands.push(c),
                Rule::compare_op => {
                    let cmp = match c.as_str() {
                        "==" => CompareOp::Eq,
                        "!=" => CompareOp::Ne,
                        "<=" => CompareOp::Le,
                        ">=" => CompareOp::Ge,
                        "<" => CompareOp::Lt,
                        _ => CompareOp::Gt,
                    };
                    op = Some((Some(cmp), self.span(&c)));
                }
                Rule::kw_in => op = Some((None, self.span(&c))),
                _ => {}
            }
        }
        let mut operands = operands.into_iter();
        let Some(left) = operands.next() else {
            return Expr::Bool(BoolLit { value: true, span });
        };
        let (Some((cmp, op_span)), Some(right)) = (op, operands.next()) else {
            return self.operand(left, budget);
        };
        if !budget.take(1) {
            return self.too_deep(span, budget);
        }
        let left = self.operand(left, budget);
        let right = self.operand(right, budget);
        budget.give(1);
        match cmp {
            Some(op) => Expr::Compare {
                op,
                op_span,
                left: Box::new(left),
                right: Box::new(right),
                span,
            },
            None => Expr::In {
                item: Box::new(left),
                list: Box::new(right),
                span,
            },
        }
    }

    fn operand(&mut self, p: P, budget: &mut Budget) -> Expr {
        let span = self.span(&p);
        let Some(c) = p.into_inner().next() else {
            return Expr::Bool(BoolLit { value: true, span });
        };
        match c.as_rule() {
            Rule::string => Expr::Str(self.string(c)),
            Rule::number => Expr::Number(self.number(&c)),
            Rule::boolean => Expr::Bool(BoolLit {
                value: c.as_str() == "true",
                span: self.span(&c),
            }),
            Rule::paren_expr => {
                let span = self.span(&c);
                match c.into_inner().find(|i| i.as_rule() == Rule::or_expr_n) {
                    Some(inner) if budget.take(1) => {
                        let inner = self.logical(inner, budget);
                        budget.give(1);
                        Expr::Paren {
                            inner: Box::new(inner),
                            span,
                        }
                    }
                    _ => self.too_deep(span, budget),
                }
            }
            Rule::list_expr => {
                let span = self.span(&c);
                let items = self.expr_items(c, budget);
                Expr::List { items, span }
            }
            _ => self.attr_path(c, budget),
        }
    }

    fn expr_items(&mut self, p: P, budget: &mut Budget) -> Vec<Expr> {
        let span = self.span(&p);
        if !budget.take(1) {
            self.too_deep(span, budget);
            return Vec::new();
        }
        let items = p
            .into_inner()
            .filter(|i| i.as_rule() == Rule::or_expr_n)
            .map(|i| self.logical(i, budget))
            .collect();
        budget.give(1);
        items
    }

    fn attr_path(&mut self, p: P, budget: &mut Budget) -> Expr {
        let span = self.span(&p);
        let mut segments = Vec::new();
        let mut args = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::ident => segments.push(self.ident(&c)),
                Rule::call_args => args = Some(self.expr_items(c, budget)),
                _ => {}
            }
        }
        match args {
            Some(args) => {
                let name = segments.pop().unwrap_or(Ident {
                    name: String::new(),
                    span,
                });
                Expr::Call {
                    receiver: segments,
                    name,
                    args,
                    span,
                }
            }
            None => Expr::Path { segments, span },
        }
    }

    fn too_deep(&mut self, span: Span, budget: &mut Budget) -> Expr {
        if !budget.reported {
            budget.reported = true;
            self.errors.push(
                Diagnostic::error(codes::TOO_DEEP, span, "expression nested too deeply")
                    .with_primary_label(format!("more than {MAX_NESTING} levels of operators here"))
                    .with_help("split the condition, or group it with fewer nested operators"),
            );
        }
        Expr::Bool(BoolLit { value: true, span })
    }
}

/// The nesting an expression may still use: bounds the depth of the tree,
/// so that walking or dropping it never exhausts the stack.
struct Budget {
    left: usize,
    reported: bool,
}

impl Budget {
    fn take(&mut self, n: usize) -> bool {
        if n > self.left {
            return false;
        }
        self.left -= n;
        true
    }
    fn give(&mut self, n: usize) {
        self.left += n;
    }
}

/// The parts of a declaration header, as far as they parsed.
pub(crate) struct Header {
    pub keyword: Span,
    pub name: Option<Ident>,
    pub title: Option<StrLit>,
    pub parent: Option<Ref>,
    pub body: Option<Block>,
}

impl Header {
    pub fn new(keyword: Span) -> Header {
        Header {
            keyword,
            name: None,
            title: None,
            parent: None,
            body: None,
        }
    }
    fn name_text(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.name.as_str())
    }
}

/// Whether swallowed text stops where more must follow: after `:`, `,`,
/// an opening bracket, an operator or a `when` keyword operator.
fn is_unfinished(text: &str) -> bool {
    let text = text.trim_end();
    let word_len = text
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let word = &text[text.len() - word_len..];
    if word_len > 0 {
        let before = text[..text.len() - word_len].bytes().next_back();
        return crate::keywords::is_operator(word) && before.is_none_or(|b| b != b'.');
    }
    matches!(
        text.bytes().next_back(),
        Some(b':' | b',' | b'[' | b'(' | b'=' | b'<' | b'>' | b'-' | b'@' | b'.')
    )
}

/// Opened minus closed `[` and `(` in swallowed text, outside strings.
fn bracket_balance(text: &str) -> i64 {
    let mut balance = 0;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'[' | b'(' if !in_string => balance += 1,
            b']' | b')' if !in_string => balance -= 1,
            _ => {}
        }
    }
    balance
}

fn unreachable_ref(span: Span) -> Ref {
    Ref {
        id: Ident {
            name: String::new(),
            span,
        },
        reverse: None,
        span,
    }
}
