//! The fast path: a hand-written parser for items that parse cleanly.
//!
//! pest is the reference: the grammar defines the language, recovery and
//! messages. But each pest combinator costs a stack probe and a boxed state,
//! which caps it at a few MB/s. Most text in a model is correct, so this
//! module parses one top-level item by hand and gives up (returns `None`) at
//! the first thing that is not plainly valid; the parser then hands that item
//! to pest. It mirrors the error-free paths of `grammar/ward.pest` exactly and
//! builds the same tree; `tests/fast_path.rs` checks that both routes agree
//! on every Ward text in the repository, generated models and mutations of
//! them, and that valid text never reaches pest (see "One grammar, two
//! parsers" in `docs/architecture.md`).

use crate::ast::*;
use crate::build::{Builder, Header};
use crate::strings;
use ward_diagnostics::{FileId, Span};

/// Beyond this many operators or groups in one `when`, leave it to pest
/// (which enforces the real nesting limit with a diagnostic).
const MAX_FAST_EXPR_NODES: usize = 64;

impl Builder<'_> {
    /// Parses the item at `pos`, or returns `None` if it needs a diagnostic
    /// or anything the fast path does not handle. Returns the item and the
    /// offset just after it.
    pub(crate) fn fast_item(&mut self, pos: usize) -> Option<(Item, usize)> {
        let mut c = Cursor {
            text: self.text,
            bytes: self.text.as_bytes(),
            pos,
            file: self.file,
            expr_nodes: 0,
        };
        let word = c.word_at(pos);
        let item = match word {
            "use" => Item::Use(c.use_item()?),
            "flow" => {
                let (header, flow) = c.flow()?;
                let mut decl = self.finish(DeclKind::Flow, header);
                decl.flow = Some(flow);
                Item::Decl(decl)
            }
            "accept" => {
                let (header, accepted, list) = c.accept()?;
                let mut decl = self.finish(DeclKind::Accept, header);
                decl.accepted = accepted;
                decl.accepted_list = list;
                Item::Decl(decl)
            }
            "disposition" => {
                let (header, threat) = c.disposition()?;
                let mut decl = self.finish(DeclKind::Disposition, header);
                decl.accepted = vec![threat];
                Item::Decl(decl)
            }
            _ => {
                let kind = DeclKind::from_keyword(word).filter(|k| {
                    !matches!(k, DeclKind::Flow | DeclKind::Accept | DeclKind::Disposition)
                })?;
                let header = c.decl()?;
                Item::Decl(self.finish(kind, header))
            }
        };
        Some((item, c.pos))
    }
}

/// Skips `wsn` (spaces, newlines, comments) from `pos`, as the grammar does
/// between items.
pub(crate) fn skip_wsn(text: &str, pos: usize) -> usize {
    let mut c = Cursor {
        text,
        bytes: text.as_bytes(),
        pos,
        file: FileId(0),
        expr_nodes: 0,
    };
    c.wsn();
    c.pos
}

static IDENT_CHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

fn is_ident_char(b: u8) -> bool {
    IDENT_CHAR[b as usize]
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

struct Cursor<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    file: FileId,
    expr_nodes: usize,
}

impl<'t> Cursor<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at(&self, s: &str) -> bool {
        self.bytes[self.pos..].starts_with(s.as_bytes())
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.at(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// The identifier-like word at `pos` (possibly empty).
    fn word_at(&self, pos: usize) -> &'t str {
        let mut end = pos;
        while end < self.bytes.len() && IDENT_CHAR[self.bytes[end] as usize] {
            end += 1;
        }
        &self.text[pos..end]
    }

    // ---------------------------------------------------------- trivia

    /// A comment at `pos`, consumed whole; false if none.
    fn comment(&mut self) -> bool {
        if self.at("//") {
            self.pos = self.bytes[self.pos..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(self.bytes.len(), |i| self.pos + i);
            true
        } else if self.at("/*") {
            let mut level = 0usize;
            while self.pos < self.bytes.len() {
                if self.at("/*") {
                    level += 1;
                    self.pos += 2;
                } else if self.at("*/") {
                    level -= 1;
                    self.pos += 2;
                    if level == 0 {
                        break;
                    }
                } else {
                    self.pos += 1;
                }
            }
            self.pos = self.pos.min(self.bytes.len());
            true
        } else {
            false
        }
    }

    /// `ws`: spaces and comments, not newlines.
    fn ws(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r') => self.pos += 1,
                Some(b'/') if self.comment() => {}
                _ => return,
            }
        }
    }

    /// `wsn`: spaces, newlines and comments.
    fn wsn(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.pos += 1,
                Some(b'/') if self.comment() => {}
                _ => return,
            }
        }
    }

    fn space(&mut self, multiline: bool) {
        if multiline {
            self.wsn()
        } else {
            self.ws()
        }
    }

    // ---------------------------------------------------------- tokens

    fn ident(&mut self) -> Option<Ident> {
        let start = self.pos;
        if !self.peek().is_some_and(is_ident_start) {
            return None;
        }
        let word = self.word_at(start);
        self.pos += word.len();
        Some(Ident {
            name: word.to_string(),
            span: self.span(start, self.pos),
        })
    }

    /// A keyword at a word boundary.
    fn keyword(&mut self, kw: &str) -> Option<Span> {
        let boundary = !self
            .bytes
            .get(self.pos + kw.len())
            .copied()
            .is_some_and(is_ident_char);
        if self.at(kw) && boundary {
            let start = self.pos;
            self.pos += kw.len();
            Some(self.span(start, self.pos))
        } else {
            None
        }
    }

    /// A terminated string without bad escapes.
    fn string(&mut self) -> Option<StrLit> {
        let start = self.pos;
        if self.at("\"\"\"") {
            self.pos += 3;
            loop {
                match self.peek()? {
                    b'\\' => self.pos += 2,
                    b'"' if self.at("\"\"\"") => {
                        self.pos += 3;
                        break;
                    }
                    _ => self.pos += 1,
                }
            }
        } else if self.eat("\"") {
            loop {
                match self.peek()? {
                    b'\\' if self.bytes.get(self.pos + 1).is_some_and(|b| *b != b'\n') => {
                        self.pos += 2
                    }
                    b'"' => {
                        self.pos += 1;
                        break;
                    }
                    b'\n' | b'\\' => return None,
                    _ => self.pos += 1,
                }
            }
        } else {
            return None;
        }
        if self.pos > self.bytes.len() || !self.text.is_char_boundary(self.pos) {
            return None;
        }
        let decoded = strings::decode(&self.text[start..self.pos]);
        if !decoded.errors.is_empty() {
            return None;
        }
        Some(StrLit {
            value: decoded.value,
            triple: decoded.triple,
            span: self.span(start, self.pos),
        })
    }

    fn number(&mut self) -> Option<NumberLit> {
        let start = self.pos;
        let digits = |c: &Cursor| {
            c.bytes[c.pos..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let n = digits(self);
        if n == 0 {
            return None;
        }
        self.pos += n;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let m = digits(self);
            if m == 0 {
                self.pos -= 1;
            } else {
                self.pos += m;
            }
        }
        if self.peek().is_some_and(is_ident_char) {
            return None;
        }
        let text = &self.text[start..self.pos];
        Some(NumberLit {
            value: text.parse().ok()?,
            span: self.span(start, self.pos),
        })
    }

    fn boolean(&mut self) -> Option<BoolLit> {
        let start = self.pos;
        let value = match self.word_at(start) {
            "true" => true,
            "false" => false,
            _ => return None,
        };
        self.pos += if value { 4 } else { 5 };
        Some(BoolLit {
            value,
            span: self.span(start, self.pos),
        })
    }

    /// `ident (".reverse")?`, where the id is checked like the builder does.
    fn reference(&mut self) -> Option<Ref> {
        let start = self.pos;
        let id = self.ident()?;
        if is_reserved(&id.name) {
            return None;
        }
        let reverse = self.reverse();
        Some(Ref {
            id,
            reverse,
            span: self.span(start, self.pos),
        })
    }

    fn reverse(&mut self) -> Option<Span> {
        if self.at(".reverse")
            && !self
                .bytes
                .get(self.pos + 8)
                .copied()
                .is_some_and(is_ident_char)
        {
            let start = self.pos;
            self.pos += 8;
            Some(self.span(start, self.pos))
        } else {
            None
        }
    }

    // ---------------------------------------------------------- items

    fn use_item(&mut self) -> Option<Use> {
        let start = self.pos;
        self.keyword("use")?;
        self.ws();
        let target = if self.peek() == Some(b'"') {
            UseTarget::File(self.string()?)
        } else {
            let path_start = self.pos;
            let mut segments = vec![self.ident()?];
            while self.at("::")
                && self
                    .bytes
                    .get(self.pos + 2)
                    .copied()
                    .is_some_and(is_ident_start)
            {
                self.pos += 2;
                segments.push(self.ident()?);
            }
            if segments.len() < 2 {
                return None;
            }
            UseTarget::Path(Path {
                segments,
                span: self.span(path_start, self.pos),
            })
        };
        Some(Use {
            target,
            span: self.span(start, self.pos),
        })
    }

    fn declared_name(&mut self) -> Option<Ident> {
        let name = self.ident()?;
        (!is_reserved(&name.name)).then_some(name)
    }

    /// `(wsn title)?`
    fn title(&mut self) -> Option<StrLit> {
        let save = self.pos;
        self.wsn();
        if self.peek() == Some(b'"') {
            if let Some(s) = self.string() {
                return Some(s);
            }
        }
        self.pos = save;
        None
    }

    fn decl(&mut self) -> Option<Header> {
        let mut h = Header::new(self.span(self.pos, self.pos));
        let kw_start = self.pos;
        self.pos += self.word_at(kw_start).len();
        h.keyword = self.span(kw_start, self.pos);
        self.wsn();
        h.name = Some(self.declared_name()?);
        h.title = self.title();
        let save = self.pos;
        self.wsn();
        if self.keyword("in").is_some() {
            self.wsn();
            h.parent = Some(self.reference()?);
        } else {
            self.pos = save;
        }
        self.wsn();
        h.body = Some(self.block()?);
        Some(h)
    }

    fn flow(&mut self) -> Option<(Header, FlowEnds)> {
        let mut h = Header::new(self.keyword("flow")?);
        self.wsn();
        h.name = Some(self.declared_name()?);
        self.ws();
        if !self.eat(":") {
            return None;
        }
        self.wsn();
        let source = self.reference()?;
        self.wsn();
        let arrow_start = self.pos;
        let direction = if self.eat("<->") {
            FlowDirection::Both
        } else if self.eat("->") {
            FlowDirection::Forward
        } else {
            return None;
        };
        let direction_span = self.span(arrow_start, self.pos);
        self.wsn();
        let target = self.reference()?;
        h.title = self.title();
        self.wsn();
        h.body = Some(self.block()?);
        Some((
            h,
            FlowEnds {
                source,
                direction,
                direction_span,
                target,
            },
        ))
    }

    /// `accept threat_ref block` or `accept [threat_ref, ...] block`;
    /// wildcards (an error) are left to pest.
    fn accept(&mut self) -> Option<(Header, Vec<ThreatRef>, Option<Span>)> {
        let mut h = Header::new(self.keyword("accept")?);
        self.wsn();
        let (name, accepted, list) = if self.peek() == Some(b'[') {
            let list_start = self.pos;
            self.pos += 1;
            let mut accepted = Vec::new();
            loop {
                self.wsn();
                if self.peek() == Some(b']') && !accepted.is_empty() {
                    break;
                }
                accepted.push(self.threat_ref()?);
                self.wsn();
                if !self.eat(",") {
                    break;
                }
            }
            if !self.eat("]") {
                return None;
            }
            let span = self.span(list_start, self.pos);
            let name = Ident {
                name: accepted_list_name(&accepted),
                span,
            };
            (name, accepted, Some(span))
        } else {
            let threat = self.threat_ref()?;
            let name = Ident {
                name: self.text[threat.span.range()].to_string(),
                span: threat.span,
            };
            (name, vec![threat], None)
        };
        h.name = Some(name);
        self.wsn();
        h.body = Some(self.block()?);
        Some((h, accepted, list))
    }

    /// `disposition threat_ref block`.
    fn disposition(&mut self) -> Option<(Header, ThreatRef)> {
        let mut h = Header::new(self.keyword("disposition")?);
        self.wsn();
        let threat = self.threat_ref()?;
        h.name = Some(Ident {
            name: self.text[threat.span.range()].to_string(),
            span: threat.span,
        });
        self.wsn();
        h.body = Some(self.block()?);
        Some((h, threat))
    }

    /// `ident ("@" reference)?`, not followed by a wildcard character.
    fn threat_ref(&mut self) -> Option<ThreatRef> {
        let start = self.pos;
        let threat = self.ident()?;
        if is_reserved(&threat.name) {
            return None;
        }
        let element = if self.eat("@") {
            Some(self.reference()?)
        } else {
            None
        };
        if matches!(self.peek(), Some(b'*' | b'?' | b'@' | b'.')) {
            return None;
        }
        Some(ThreatRef {
            threat,
            element,
            span: self.span(start, self.pos),
        })
    }

    // ---------------------------------------------------------- blocks

    fn block(&mut self) -> Option<Block> {
        let open_start = self.pos;
        if !self.eat("{") {
            return None;
        }
        let open = self.span(open_start, self.pos);
        let mut properties = Vec::new();
        self.wsn();
        loop {
            match self.peek()? {
                b'}' => {
                    let close = self.span(self.pos, self.pos + 1);
                    self.pos += 1;
                    return Some(Block {
                        open,
                        close: Some(close),
                        properties,
                    });
                }
                _ => {
                    properties.push(self.property()?);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'\n') => {
                            // A comma may also start the next line.
                            let save = self.pos;
                            self.wsn();
                            if !self.eat(",") {
                                self.pos = save;
                            }
                        }
                        None | Some(b'}') => {}
                        _ => return None,
                    }
                    self.wsn();
                }
            }
        }
    }

    fn property(&mut self) -> Option<Property> {
        let key = self.ident()?;
        self.ws();
        let value = if key.name == "when" {
            if !self.eat(":") {
                return None;
            }
            self.ws();
            let expr = self.or_expr(false)?;
            PropertyValue::Value(Value::Expr(expr))
        } else if self.eat(":") {
            self.ws();
            PropertyValue::Value(self.value()?)
        } else if self.peek() == Some(b'{') {
            PropertyValue::Block(self.block()?)
        } else {
            return None;
        };
        let span = match &value {
            PropertyValue::Value(v) => key.span.to(v.span()),
            PropertyValue::Block(b) => key.span.to(b.span()),
        };
        Some(Property { key, value, span })
    }

    // ---------------------------------------------------------- values

    fn value(&mut self) -> Option<Value> {
        match self.peek()? {
            b'"' => Some(Value::Str(self.string()?)),
            b'0'..=b'9' => Some(Value::Number(self.number()?)),
            b'[' => self.list(),
            b if is_ident_start(b) => {
                if let Some(b) = self.boolean() {
                    return Some(Value::Bool(b));
                }
                self.word_value()
            }
            _ => None,
        }
    }

    fn list(&mut self) -> Option<Value> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.wsn();
        if self.peek() != Some(b']') {
            items.push(self.value()?);
            loop {
                self.wsn();
                if !self.eat(",") {
                    break;
                }
                self.wsn();
                if self.peek() == Some(b']') {
                    break;
                }
                items.push(self.value()?);
            }
        }
        self.wsn();
        if !self.eat("]") {
            return None;
        }
        Some(Value::List(List {
            items,
            span: self.span(start, self.pos),
        }))
    }

    fn word_value(&mut self) -> Option<Value> {
        let start = self.pos;
        let head = self.ident()?;
        if self.at("::")
            && self
                .bytes
                .get(self.pos + 2)
                .copied()
                .is_some_and(is_ident_start)
        {
            let mut segments = vec![head];
            while self.at("::")
                && self
                    .bytes
                    .get(self.pos + 2)
                    .copied()
                    .is_some_and(is_ident_start)
            {
                self.pos += 2;
                segments.push(self.ident()?);
            }
            return Some(Value::Path(Path {
                segments,
                span: self.span(start, self.pos),
            }));
        }
        if self.at("@")
            && self
                .bytes
                .get(self.pos + 1)
                .copied()
                .is_some_and(is_ident_start)
        {
            self.pos += 1;
            let el_start = self.pos;
            let id = self.ident()?;
            let reverse = self.reverse();
            let element = Ref {
                id,
                reverse,
                span: self.span(el_start, self.pos),
            };
            return Some(Value::ThreatRef(ThreatRef {
                threat: head,
                element: Some(element),
                span: self.span(start, self.pos),
            }));
        }
        if let Some(reverse) = self.reverse() {
            return Some(Value::Ref(Ref {
                id: head,
                reverse: Some(reverse),
                span: self.span(start, self.pos),
            }));
        }
        // `test "text"`: spaces (no comments) then a string.
        let after = self.pos;
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r')) {
            self.pos += 1;
        }
        if self.pos > after && self.peek() == Some(b'"') {
            let text = self.string()?;
            return Some(Value::Tagged(Tagged {
                tag: head,
                text,
                span: self.span(start, self.pos),
            }));
        }
        self.pos = after;
        Some(Value::Ref(Ref {
            id: head,
            reverse: None,
            span: self.span(start, self.pos),
        }))
    }

    // ---------------------------------------------------------- expressions

    fn count_node(&mut self) -> Option<()> {
        self.expr_nodes += 1;
        (self.expr_nodes <= MAX_FAST_EXPR_NODES).then_some(())
    }

    /// `or_expr` (`multiline`: `or_expr_n`). Operators that do not continue
    /// are left unconsumed; a dangling one makes the caller fail.
    fn or_expr(&mut self, multiline: bool) -> Option<Expr> {
        let mut left = self.and_expr(multiline)?;
        loop {
            let save = self.pos;
            self.space(multiline);
            if self.keyword("or").is_none() {
                self.pos = save;
                return Some(left);
            }
            self.count_node()?;
            self.space(multiline);
            let right = self.and_expr(multiline)?;
            let span = left.span().to(right.span());
            left = Expr::Logical {
                op: LogicalOp::Or,
                left: Box::new(left),
                right: Box::new(right),
                span,
            };
        }
    }

    fn and_expr(&mut self, multiline: bool) -> Option<Expr> {
        let mut left = self.not_expr(multiline)?;
        loop {
            let save = self.pos;
            self.space(multiline);
            if self.keyword("and").is_none() {
                self.pos = save;
                return Some(left);
            }
            self.count_node()?;
            self.space(multiline);
            let right = self.not_expr(multiline)?;
            let span = left.span().to(right.span());
            left = Expr::Logical {
                op: LogicalOp::And,
                left: Box::new(left),
                right: Box::new(right),
                span,
            };
        }
    }

    fn not_expr(&mut self, multiline: bool) -> Option<Expr> {
        let mut nots = Vec::new();
        while let Some(span) = self.keyword("not") {
            self.count_node()?;
            nots.push(span);
            self.space(multiline);
        }
        let mut expr = self.cmp_expr(multiline)?;
        for not_span in nots.into_iter().rev() {
            let span = not_span.to(expr.span());
            expr = Expr::Not {
                operand: Box::new(expr),
                span,
            };
        }
        Some(expr)
    }

    fn cmp_expr(&mut self, multiline: bool) -> Option<Expr> {
        let start = self.pos;
        let left = self.operand()?;
        let save = self.pos;
        self.space(multiline);
        let op_start = self.pos;
        let op = if self.keyword("in").is_some() {
            None
        } else {
            let op = [
                ("==", CompareOp::Eq),
                ("!=", CompareOp::Ne),
                ("<=", CompareOp::Le),
                (">=", CompareOp::Ge),
                ("<", CompareOp::Lt),
                (">", CompareOp::Gt),
            ]
            .into_iter()
            .find(|(s, _)| self.at(s));
            match op {
                Some((s, op)) => {
                    self.pos += s.len();
                    Some(op)
                }
                None => {
                    self.pos = save;
                    return Some(left);
                }
            }
        };
        let op_span = self.span(op_start, self.pos);
        self.count_node()?;
        self.space(multiline);
        let right = self.operand()?;
        let span = self.span(start, self.pos);
        Some(match op {
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
        })
    }

    fn operand(&mut self) -> Option<Expr> {
        let start = self.pos;
        match self.peek()? {
            b'(' => {
                self.count_node()?;
                self.pos += 1;
                self.wsn();
                let inner = self.or_expr(true)?;
                self.wsn();
                if !self.eat(")") {
                    return None;
                }
                Some(Expr::Paren {
                    inner: Box::new(inner),
                    span: self.span(start, self.pos),
                })
            }
            b'[' => {
                self.count_node()?;
                self.pos += 1;
                let items = self.expr_items(b']')?;
                Some(Expr::List {
                    items,
                    span: self.span(start, self.pos),
                })
            }
            b'"' => Some(Expr::Str(self.string()?)),
            b'0'..=b'9' => Some(Expr::Number(self.number()?)),
            b if is_ident_start(b) => {
                if let Some(b) = self.boolean() {
                    return Some(Expr::Bool(b));
                }
                if crate::keywords::is_operator(self.word_at(start)) {
                    return None;
                }
                let mut segments = vec![self.ident()?];
                while self.peek() == Some(b'.')
                    && self
                        .bytes
                        .get(self.pos + 1)
                        .copied()
                        .is_some_and(is_ident_start)
                {
                    self.pos += 1;
                    segments.push(self.ident()?);
                }
                if self.peek() == Some(b'(') {
                    self.count_node()?;
                    self.pos += 1;
                    let args = self.expr_items(b')')?;
                    let name = segments.pop()?;
                    return Some(Expr::Call {
                        receiver: segments,
                        name,
                        args,
                        span: self.span(start, self.pos),
                    });
                }
                Some(Expr::Path {
                    segments,
                    span: self.span(start, self.pos),
                })
            }
            _ => None,
        }
    }

    /// Comma-separated `or_expr_n` items after an opening bracket, through
    /// the closing one; a trailing comma is allowed.
    fn expr_items(&mut self, close: u8) -> Option<Vec<Expr>> {
        let mut items = Vec::new();
        self.wsn();
        if self.peek() != Some(close) {
            items.push(self.or_expr(true)?);
            loop {
                self.wsn();
                if !self.eat(",") {
                    break;
                }
                self.wsn();
                if self.peek() == Some(close) {
                    break;
                }
                items.push(self.or_expr(true)?);
            }
        }
        self.wsn();
        if self.peek() != Some(close) {
            return None;
        }
        self.pos += 1;
        Some(items)
    }
}
