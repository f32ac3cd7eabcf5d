//! Completion. The context comes from the text before the cursor (it is
//! usually being typed, so not yet parsed): a forward scan from the start of
//! the enclosing declaration's block tracks blocks, lists, strings and
//! comments, and tells a property name from a value of a given property.
//! Candidates come from the language tables of `ward-model` (properties and
//! their value types, `when` attributes), the policy's scales, the declarations of the model (by
//! kind) and the analysis (rule-generated threat ids).

use crate::workspace::Snapshot;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, Range, TextEdit,
};
use std::collections::BTreeSet;
use ward_diagnostics::FileId;
use ward_model::*;
use ward_syntax::ast::{Decl, DeclKind, Item};

use ward_model::language::{self, ValueType};

const ELEMENTS: &[DeclKind] = &[DeclKind::Component, DeclKind::Actor];

/// Where the cursor is.
#[derive(Debug, PartialEq, Eq)]
enum Context {
    TopLevel,
    StdModule,
    /// After `::` in a path that starts with these segments.
    PathSegment(Vec<String>),
    FlowEnd,
    Parent(DeclKind),
    AcceptedThreat,
    /// `RULE@` typed: the elements the rule generates a threat on.
    GeneratedFor(String),
    /// `f.` typed.
    Reverse,
    Key {
        decl: DeclKind,
        block: Option<String>,
    },
    Value {
        decl: DeclKind,
        block: Option<String>,
        key: String,
    },
    Nothing,
}

pub fn completion(snapshot: &Snapshot, file: FileId, offset: usize) -> Vec<CompletionItem> {
    let text = snapshot.text(file);
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let word_start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(offset, |(i, _)| i);
    let context = context(snapshot, file, word_start);
    let range = snapshot.file(file).index.range(text, word_start, offset);
    let mut items = Candidates::default();
    let model = snapshot.model.as_ref();
    match context {
        Context::Nothing => {}
        Context::TopLevel => {
            for keyword in [ward_syntax::keywords::USE]
                .into_iter()
                .chain(DeclKind::ALL.iter().map(|k| k.keyword()))
            {
                items.add(
                    keyword,
                    CompletionItemKind::KEYWORD,
                    None,
                    Some(format!("{keyword} ")),
                );
            }
        }
        Context::StdModule => {
            for path in ["std::stride", "std::fda"] {
                items.add(path, CompletionItemKind::MODULE, None, None);
            }
        }
        Context::PathSegment(segments) => {
            let known = ["std::stride", "std::fda", ward_model::STD_POLICY_PATH];
            let prefix = format!("{}::", segments.join("::"));
            for path in known {
                if let Some(rest) = path.strip_prefix(&prefix) {
                    items.add(rest, CompletionItemKind::MODULE, None, None);
                }
            }
        }
        Context::FlowEnd => ids(snapshot, &mut items, ELEMENTS),
        Context::Parent(kind) => {
            if matches!(kind, DeclKind::Zone | DeclKind::Component | DeclKind::Actor) {
                ids(snapshot, &mut items, &[DeclKind::Zone]);
            }
        }
        Context::AcceptedThreat => threats(snapshot, &mut items),
        Context::GeneratedFor(rule) => generated_targets(snapshot, &mut items, &rule),
        Context::Reverse => items.add("reverse", CompletionItemKind::KEYWORD, None, None),
        Context::Key { decl, block: None } => {
            let present = present_keys(snapshot, file, word_start);
            for spec in language::properties(decl) {
                let key = spec.key;
                if present.contains(key) {
                    continue;
                }
                let insert = if matches!(spec.value, ValueType::Block { .. }) {
                    format!("{key} {{ ")
                } else {
                    format!("{key}: ")
                };
                let detail = if spec.required {
                    "required"
                } else {
                    "optional"
                };
                items.add(
                    key,
                    CompletionItemKind::PROPERTY,
                    Some(detail.into()),
                    Some(insert),
                );
                items.document(key, property_documentation(spec));
            }
        }
        Context::Key {
            decl,
            block: Some(block),
        } => {
            if let Some(ValueType::Block { keys, .. }) = value_type(decl, &block) {
                values(snapshot, model, &mut items, *keys);
            }
        }
        Context::Value {
            decl,
            block: Some(block),
            ..
        } => {
            if let Some(ValueType::Block { values: v, .. }) = value_type(decl, &block) {
                values(snapshot, model, &mut items, *v);
            }
        }
        Context::Value {
            decl,
            block: None,
            key,
        } => {
            if let Some(value) = value_type(decl, &key) {
                values(snapshot, model, &mut items, value);
            }
        }
    }
    items.finish(range)
}

#[derive(Default)]
struct Candidates {
    items: Vec<CompletionItem>,
    seen: BTreeSet<String>,
}

impl Candidates {
    fn add(
        &mut self,
        label: &str,
        kind: CompletionItemKind,
        detail: Option<String>,
        insert: Option<String>,
    ) {
        if !self.seen.insert(label.to_owned()) {
            return;
        }
        self.items.push(CompletionItem {
            label: label.to_owned(),
            kind: Some(kind),
            detail,
            insert_text: insert,
            ..CompletionItem::default()
        });
    }

    /// Adds documentation to the item `label`.
    fn document(&mut self, label: &str, markdown: String) {
        if let Some(item) = self.items.iter_mut().find(|item| item.label == label) {
            item.documentation = Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }));
        }
    }

    /// Items replace the word before the cursor (ids may contain `@` and `.`
    /// that editors' word patterns do not include).
    fn finish(self, range: Range) -> Vec<CompletionItem> {
        self.items
            .into_iter()
            .enumerate()
            .map(|(i, mut item)| {
                let new_text = item
                    .insert_text
                    .take()
                    .unwrap_or_else(|| item.label.clone());
                item.text_edit = Some(CompletionTextEdit::Edit(TextEdit { range, new_text }));
                item.sort_text = Some(format!("{i:04}"));
                item
            })
            .collect()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn completion_kind(kind: DeclKind) -> CompletionItemKind {
    match kind {
        DeclKind::System | DeclKind::Zone | DeclKind::Policy => CompletionItemKind::MODULE,
        DeclKind::Data => CompletionItemKind::STRUCT,
        DeclKind::Component => CompletionItemKind::CLASS,
        DeclKind::Actor => CompletionItemKind::INTERFACE,
        DeclKind::Flow => CompletionItemKind::EVENT,
        DeclKind::Hazard => CompletionItemKind::CONSTANT,
        DeclKind::Threat => CompletionItemKind::FUNCTION,
        DeclKind::Rule => CompletionItemKind::OPERATOR,
        DeclKind::Control => CompletionItemKind::METHOD,
        DeclKind::Verification => CompletionItemKind::VALUE,
        DeclKind::Assumption
        | DeclKind::Accept
        | DeclKind::Disposition
        | DeclKind::Approval
        | DeclKind::Software
        | DeclKind::Vulnerability
        | DeclKind::Anomaly
        | DeclKind::Monitoring => CompletionItemKind::VARIABLE,
        DeclKind::Usecase => CompletionItemKind::ENUM,
    }
}

/// Declarations of the given kinds in every file of the model.
fn declarations<'a>(
    snapshot: &'a Snapshot,
    kinds: &'a [DeclKind],
) -> impl Iterator<Item = &'a Decl> + 'a {
    snapshot
        .files
        .iter()
        .flat_map(|f| f.ast.items.iter())
        .filter_map(|item| match item {
            Item::Decl(d) if kinds.contains(&d.kind) => Some(d),
            _ => None,
        })
}

fn title_detail(decl: &Decl) -> Option<String> {
    Some(match &decl.title {
        Some(title) => format!("{} \u{2014} {}", decl.kind.keyword(), title.value),
        None => decl.kind.keyword().to_owned(),
    })
}

fn ids(snapshot: &Snapshot, items: &mut Candidates, kinds: &[DeclKind]) {
    for decl in declarations(snapshot, kinds) {
        items.add(
            &decl.name.name,
            completion_kind(decl.kind),
            title_detail(decl),
            None,
        );
    }
}

fn flows(snapshot: &Snapshot, items: &mut Candidates) {
    for decl in declarations(snapshot, &[DeclKind::Flow]) {
        items.add(
            &decl.name.name,
            CompletionItemKind::EVENT,
            title_detail(decl),
            None,
        );
        let both = decl
            .flow
            .as_ref()
            .is_some_and(|f| f.direction == ward_syntax::ast::FlowDirection::Both);
        if both {
            let reverse = format!("{}.reverse", decl.name.name);
            items.add(
                &reverse,
                CompletionItemKind::EVENT,
                title_detail(decl),
                None,
            );
        }
    }
}

/// The snapshot whose analysis names the generated threats: this one, or
/// while the model does not compile the last one analysed (`stale`: its
/// risk is not shown, as the analysis of the current text waits).
fn analysed(snapshot: &Snapshot) -> Option<(&Snapshot, bool)> {
    match (&snapshot.analysis, &snapshot.last_analysed) {
        (Some(_), _) => Some((snapshot, false)),
        (None, Some(last)) => Some((last, true)),
        (None, None) => None,
    }
}

fn threats(snapshot: &Snapshot, items: &mut Candidates) {
    ids(snapshot, items, &[DeclKind::Threat]);
    let Some((analysed, stale)) = analysed(snapshot) else {
        return;
    };
    let Some(analysis) = &analysed.analysis else {
        return;
    };
    // Uncontrolled threats first: they are the ones that need a control.
    let mut generated: Vec<_> = analysis
        .threats
        .iter()
        .filter(|t| t.rule.is_some() || matches!(t.key, ThreatKey::Vulnerability { .. }))
        .collect();
    generated.sort_by_key(|t| (t.controlled, std::cmp::Reverse(t.judged), t.id.clone()));
    for t in generated {
        let detail = match stale {
            false => format!("{} \u{2014} {} -> {}", t.title, t.initial.overall, t.judged),
            true => t.title.clone(),
        };
        items.add(&t.id, CompletionItemKind::FUNCTION, Some(detail), None);
    }
}

fn generated_targets(snapshot: &Snapshot, items: &mut Candidates, rule: &str) {
    let Some((analysed, stale)) = analysed(snapshot) else {
        return;
    };
    let (Some(model), Some(analysis)) = (&analysed.model, &analysed.analysis) else {
        return;
    };
    for t in analysis.threats.iter() {
        // `RULE@` or `VULNERABILITY@`: the elements it has a threat on.
        let element = match t.key {
            ThreatKey::Generated { element, .. } if t.rule.as_deref() == Some(rule) => element,
            ThreatKey::Vulnerability {
                vulnerability,
                element,
            } if model.vulnerability(vulnerability).meta.name == rule => {
                ward_model::Target::Element(element)
            }
            _ => continue,
        };
        let detail = (!stale).then(|| format!("{} -> {}", t.initial.overall, t.judged));
        items.add(
            model.target_name(element),
            CompletionItemKind::REFERENCE,
            detail,
            None,
        );
    }
}

fn words(items: &mut Candidates, words: &[&str]) {
    for word in words {
        items.add(word, CompletionItemKind::ENUM_MEMBER, None, None);
    }
}

fn levels(items: &mut Candidates, names: &[String]) {
    for name in names {
        items.add(name, CompletionItemKind::ENUM_MEMBER, None, None);
    }
}

fn value_type(decl: DeclKind, key: &str) -> Option<ValueType> {
    language::property(decl, key).map(|p| p.value)
}

fn values(snapshot: &Snapshot, model: Option<&Model>, items: &mut Candidates, kind: ValueType) {
    let policy = model.map(Model::policy);
    match kind {
        ValueType::Text
        | ValueType::Date
        | ValueType::Number
        | ValueType::Name
        | ValueType::Block { .. } => {}
        ValueType::Bool => words(items, &["true", "false"]),
        ValueType::Enum(list) | ValueType::OpenSet(list) => words(items, list),
        ValueType::Ids(kinds) => ids(snapshot, items, kinds),
        ValueType::Threats => threats(snapshot, items),
        ValueType::ApprovalScope => words(items, &["model", "release"]),
        ValueType::Flows => flows(snapshot, items),
        ValueType::Targets => {
            ids(snapshot, items, ELEMENTS);
            flows(snapshot, items);
        }
        ValueType::SeverityLevel => levels(
            items,
            &policy.map(|p| p.severity.clone()).unwrap_or_default(),
        ),
        ValueType::ExploitabilityLevel => levels(
            items,
            &policy.map(|p| p.exploitability.clone()).unwrap_or_default(),
        ),
        ValueType::Policy => {
            items.add(
                ward_model::STD_POLICY_PATH,
                CompletionItemKind::MODULE,
                Some(ward_model::STD_POLICY_TITLE.into()),
                None,
            );
            ids(snapshot, items, &[DeclKind::Policy]);
        }
        ValueType::Verification => {
            ids(snapshot, items, &[DeclKind::Verification]);
            words(items, Method::NAMES);
        }
        ValueType::When => {
            // Every object's attributes: a path may step to another object.
            words(items, language::WHEN_KEYWORDS);
            for object in [ObjectKind::Flow, ObjectKind::Element, ObjectKind::Zone] {
                for attribute in language::when_attributes(object) {
                    words(items, &[attribute.name]);
                }
                words(items, language::when_functions(object));
            }
        }
    }
}

/// Keys already given in the block around the cursor.
fn present_keys(snapshot: &Snapshot, file: FileId, offset: usize) -> BTreeSet<&str> {
    enclosing_decl(snapshot, file, offset)
        .map(|d| {
            d.body
                .properties
                .iter()
                .filter(|p| {
                    !(p.key.span.start as usize <= offset && offset <= p.key.span.end as usize)
                })
                .map(|p| p.key.name.as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// The declaration whose block holds the offset (an unclosed block runs to
/// the next declaration).
fn enclosing_decl(snapshot: &Snapshot, file: FileId, offset: usize) -> Option<&Decl> {
    let items = &snapshot.file(file).ast.items;
    let mut found = None;
    for (i, item) in items.iter().enumerate() {
        let Item::Decl(decl) = item else { continue };
        let open = decl.body.open.end as usize;
        if decl.body.open.is_empty() || offset < open {
            continue;
        }
        let end = match decl.body.close {
            Some(close) => close.start as usize,
            None => items
                .get(i + 1)
                .map_or(usize::MAX, |next| next.span().start as usize),
        };
        if offset <= end {
            found = Some(decl);
        }
    }
    found
}

fn context(snapshot: &Snapshot, file: FileId, word_start: usize) -> Context {
    let text = snapshot.text(file);
    let before = &text[..word_start];
    // Punctuation just before the word.
    if let Some(rest) = before.strip_suffix("::") {
        let segments: Vec<String> = path_before(rest);
        return Context::PathSegment(segments);
    }
    if let Some(rest) = before.strip_suffix('@') {
        let rule = ident_before(rest);
        return if rule.is_empty() {
            Context::Nothing
        } else {
            Context::GeneratedFor(rule)
        };
    }
    if let Some(rest) = before.strip_suffix('.') {
        return if ident_before(rest).is_empty() {
            Context::Nothing
        } else {
            Context::Reverse
        };
    }
    if in_comment_or_string(text, word_start) {
        return Context::Nothing;
    }
    if in_accepted_list(before) {
        return Context::AcceptedThreat;
    }
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = &before[line_start..];
    let words: Vec<&str> = line.split_whitespace().collect();
    if let Some(decl) = enclosing_decl(snapshot, file, word_start) {
        return block_context(text, decl, word_start);
    }
    // Header or top level.
    match words.first().copied() {
        None => Context::TopLevel,
        Some("use") if words.len() == 1 => Context::StdModule,
        Some("accept" | "disposition") if words.len() == 1 => Context::AcceptedThreat,
        Some("flow") => {
            let tail = line.trim_end();
            if tail.ends_with(':') || tail.ends_with("->") {
                Context::FlowEnd
            } else {
                Context::Nothing
            }
        }
        Some(keyword) => match DeclKind::from_keyword(keyword) {
            Some(kind) if words.last() == Some(&"in") && words.len() >= 3 => Context::Parent(kind),
            _ if words.len() == 1 && line.ends_with(|c: char| !c.is_whitespace()) => {
                Context::TopLevel
            }
            _ => Context::Nothing,
        },
    }
}

/// Whether `before` ends inside the list of `accept [a, b@c, `, over one
/// line or several: only threat references, commas and spaces since `[`.
fn in_accepted_list(before: &str) -> bool {
    let Some(head) = before
        .trim_end_matches(|c: char| {
            c.is_ascii_alphanumeric() || "_@.,".contains(c) || c.is_whitespace()
        })
        .strip_suffix('[')
    else {
        return false;
    };
    let head = head.trim_end();
    head.strip_suffix("accept")
        .is_some_and(|rest| rest.is_empty() || rest.ends_with(char::is_whitespace))
}

/// The identifier that ends `text`.
fn ident_before(text: &str) -> String {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(text.len(), |(i, _)| i);
    text[start..].to_owned()
}

/// The `a::b` path that ends `text` (before a final `::`), as segments.
fn path_before(text: &str) -> Vec<String> {
    let mut segments = vec![ident_before(text)];
    let mut rest = &text[..text.len() - segments[0].len()];
    while let Some(r) = rest.strip_suffix("::") {
        let segment = ident_before(r);
        if segment.is_empty() {
            break;
        }
        rest = &r[..r.len() - segment.len()];
        segments.insert(0, segment);
    }
    segments
}

/// Whether an offset is inside a comment or a string (a forward scan of
/// the file up to it).
fn in_comment_or_string(text: &str, offset: usize) -> bool {
    let mut scanner = Scanner::new(&text[..offset]);
    while scanner.step().is_some() {}
    scanner.inside
}

/// A token-level scan that skips comments and strings.
struct Scanner<'a> {
    text: &'a str,
    at: usize,
    /// The scan ended inside a comment or string.
    inside: bool,
}

#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    Ident(&'a str),
    Punct(char),
    Newline,
    Other,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Scanner<'a> {
        Scanner {
            text,
            at: 0,
            inside: false,
        }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn step(&mut self) -> Option<Token<'a>> {
        let rest = self.rest();
        let c = rest.chars().next()?;
        if rest.starts_with("//") {
            match rest.find('\n') {
                Some(i) => self.at += i,
                None => {
                    self.at = self.text.len();
                    self.inside = true;
                }
            }
            return Some(Token::Other);
        }
        if rest.starts_with("/*") {
            // Nested block comments.
            let mut depth = 0usize;
            let mut i = 0;
            let bytes = rest.as_bytes();
            while i < bytes.len() {
                if bytes[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if bytes[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            self.inside = depth > 0;
            self.at += i;
            return Some(Token::Other);
        }
        if let Some(body) = rest.strip_prefix("\"\"\"") {
            match body.find("\"\"\"") {
                Some(i) => self.at += i + 6,
                None => {
                    self.at = self.text.len();
                    self.inside = true;
                }
            }
            return Some(Token::Other);
        }
        if c == '"' {
            let bytes = rest.as_bytes();
            let mut i = 1;
            while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            if i >= bytes.len() {
                self.at = self.text.len();
                self.inside = true;
            } else {
                // An unterminated string ends at the line's end.
                self.at += i + usize::from(bytes[i] == b'"');
            }
            return Some(Token::Other);
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            self.at += len;
            return Some(Token::Ident(&rest[..len]));
        }
        self.at += c.len_utf8();
        Some(match c {
            '\n' => Token::Newline,
            c if "{}[](),:".contains(c) => Token::Punct(c),
            _ => Token::Other,
        })
    }
}

/// Inside a declaration's block: a key or a value of which property.
fn block_context(text: &str, decl: &Decl, offset: usize) -> Context {
    #[derive(Clone, Copy, PartialEq)]
    enum Frame {
        Block,
        List,
    }
    let start = decl.body.open.start as usize;
    let mut scanner = Scanner::new(&text[start..offset]);
    // Per block level: its key (for nested blocks), the key being given,
    // and whether a value is expected.
    let mut blocks: Vec<(Option<String>, Option<String>, bool)> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut last_ident: Option<&str> = None;
    let mut previous_colon = false;
    while let Some(token) = scanner.step() {
        let in_block = frames.last() == Some(&Frame::Block);
        match token {
            Token::Punct('{') => {
                // The outermost block is the declaration's; inner ones are
                // block properties named by the word before them.
                let key = if blocks.is_empty() {
                    None
                } else {
                    last_ident.map(str::to_owned)
                };
                blocks.push((key, None, false));
                frames.push(Frame::Block);
            }
            Token::Punct('}') => {
                if frames.pop() == Some(Frame::Block) {
                    blocks.pop();
                }
                if let Some(block) = blocks.last_mut() {
                    block.2 = false;
                }
            }
            Token::Punct('[' | '(') => frames.push(Frame::List),
            Token::Punct(']' | ')') => {
                frames.pop();
            }
            Token::Punct(':') if in_block => {
                // `::` is a path, not a key separator.
                if scanner.rest().starts_with(':') || previous_colon {
                    previous_colon = !previous_colon;
                    continue;
                }
                if let Some(block) = blocks.last_mut() {
                    block.1 = last_ident.map(str::to_owned);
                    block.2 = true;
                }
            }
            Token::Punct(',') | Token::Newline if in_block => {
                if let Some(block) = blocks.last_mut() {
                    block.2 = false;
                }
            }
            Token::Ident(word) => last_ident = Some(word),
            _ => {}
        }
        previous_colon = false;
    }
    if scanner.inside {
        return Context::Nothing;
    }
    let Some((block_key, key, expecting_value)) = blocks.last().cloned() else {
        return Context::Nothing;
    };
    let in_list = frames.last() == Some(&Frame::List);
    match (expecting_value || in_list, key) {
        (true, Some(key)) => Context::Value {
            decl: decl.kind,
            block: block_key,
            key,
        },
        (true, None) => Context::Nothing,
        (false, _) => Context::Key {
            decl: decl.kind,
            block: block_key,
        },
    }
}

/// A property's documentation, from the one table of `ward_model::language`.
fn property_documentation(spec: &language::PropertySpec) -> String {
    if spec.default.is_empty() {
        spec.doc.to_string()
    } else {
        format!("{}\n\nDefault: {}", spec.doc, spec.default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_before_a_separator() {
        assert_eq!(path_before("use std"), vec!["std"]);
        assert_eq!(path_before("policy: std::policy"), vec!["std", "policy"]);
    }

    #[test]
    fn comments_and_strings_are_skipped() {
        assert!(in_comment_or_string("a // b", 6));
        assert!(in_comment_or_string("x: \"ab", 6));
        assert!(!in_comment_or_string("x: \"ab\" ", 8));
        assert!(in_comment_or_string("/* /* */ x", 10));
        assert!(!in_comment_or_string("/* /* */ */ x", 13));
        assert!(in_comment_or_string("\"\"\"\nab", 6));
    }
}
