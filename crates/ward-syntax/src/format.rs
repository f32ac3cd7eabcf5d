//! `ward fmt`: the one canonical layout of a `.ward` file.
//!
//! The formatter prints the syntax tree back, interleaving the comments by
//! position. It never changes what a file means: the output parses to the
//! same tree (spans aside) and keeps every comment. Files with syntax errors
//! are refused, with the parser's diagnostics.
//!
//! # Canonical style
//!
//! - Indentation is two spaces; lines have no trailing whitespace (except
//!   inside a triple-quoted string, where it is part of the value); the file
//!   ends with exactly one newline (an empty file stays empty).
//! - Blank lines: at most one in a row anywhere. Between top-level items a
//!   blank line is kept when the source had one, and added when either item
//!   spans several lines; adjacent one-line items (a run of `use` or `zone`
//!   lines) stay adjacent. Inside blocks and lists, a blank line between two
//!   entries is kept when the source had one; there is none after an opening
//!   `{`, `[` or `(` nor before its closing one.
//! - Declaration headers are normalised onto one line:
//!   `zone id "Title" in parent {`, `flow id: a -> b "Title" {`,
//!   `accept RULE@ELEMENT {`. The list form `accept [a, b@c] {` stays on
//!   the header line when it fits in 100 columns and holds no comment;
//!   otherwise `accept [` is followed by one threat per line, each followed
//!   by a comma, and `] {`.
//! - A block stays on one line, `{ key: value, other: value }`, when it was
//!   written on one line, holds no comment and fits in 100 columns. Otherwise
//!   it gets one property per line, without commas. An empty block without
//!   comments is always `{}`.
//! - Properties keep their written order: `key: value` and `key { ... }`.
//! - Lists are `[a, b, c]` when they fit in 100 columns and hold no comment;
//!   otherwise one item per line, each followed by a comma. `[]` when empty.
//! - Matrices: in a multi-line block whose (two or more) properties are all
//!   lists of scalars of the same length (two or more), such as a policy's
//!   `matrix` and `security_matrix`, the keys are padded so that the `[`
//!   line up and the cells are padded into columns, if the rows fit in 100
//!   columns. A comment line above the rows is kept as written.
//! - Strings, numbers, identifiers, references (`f.reverse`, `R@E`) and paths
//!   (`std::stride`) are printed exactly as written. A triple-quoted string
//!   whose text starts on the line after its `"""` is re-indented: its lines
//!   two spaces deeper than the property and the closing `"""` at the
//!   property's indentation. The decoded value is unchanged; a string with
//!   escapes or tabs in its indentation is copied verbatim.
//! - `when` expressions get single spaces around operators, `not x`,
//!   `f(a, b)`, `[a, b]`, and parentheses exactly where written. A
//!   parenthesised expression written over several lines is printed with `(`
//!   ending the line, one operand of its `and`/`or` chain per line (the
//!   operator leading), indented one level, and `)` on its own line; nested
//!   multi-line parentheses in operand position are treated the same way.
//! - Comments are all kept where they were relative to the code: a comment
//!   that started its line stays on its own line, re-indented to the
//!   surrounding level; a comment that followed code stays at the end of that
//!   code's line. Trailing comments on consecutive lines of the same
//!   indentation are aligned one space after the longest code of the run (a
//!   run is broken by a blank line or any line without a trailing comment).
//!   A comment written between the tokens of a one-line construct moves to
//!   the end of its line (onto the next line if a line comment already ends
//!   it). `///` doc comments stay directly above their declaration. Line
//!   comments lose trailing whitespace; block comments are copied verbatim.

use crate::ast::{
    Block, Comment, CommentKind, Decl, DeclKind, Expr, FlowDirection, Item, List, LogicalOp,
    Property, PropertyValue, SourceFileAst, StrLit, UseTarget, Value,
};
use ward_diagnostics::{Diagnostic, FileId, Span};

/// Lines longer than this are broken where the style allows.
const MAX_WIDTH: usize = 100;
/// Spaces per indentation level.
const INDENT_WIDTH: usize = 2;

/// Formats one file in the canonical style. A file with syntax errors is not
/// formatted: the parser's diagnostics are returned instead.
pub fn format(text: &str, file: FileId) -> Result<String, Vec<Diagnostic>> {
    let parse = crate::parse(text, file);
    if parse.errors.iter().any(Diagnostic::is_error) {
        return Err(parse.errors);
    }
    Ok(format_ast(text, &parse.ast))
}

/// Prints a tree parsed from `text` in the canonical style, for callers that
/// already hold the parse (the editor). The tree must be free of syntax
/// errors: text the parser skipped is not in the tree and would be lost.
pub fn format_ast(text: &str, ast: &SourceFileAst) -> String {
    let mut printer = Printer::new(text, &ast.comments);
    printer.file(ast);
    printer.finish()
}

/// One declaration in the canonical style with every comment left out (doc
/// comments too) and no layout taken from the source (every non-empty block
/// broken over lines, no blank lines): the text an approval's content hash
/// is taken over, so that editing a comment, reflowing a block or moving the
/// declaration changes nothing.
pub fn format_decl_without_comments(text: &str, decl: &Decl) -> String {
    let mut printer = Printer::new(text, &[]);
    printer.ignore_layout = true;
    printer.decl(decl, 0);
    printer.finish()
}

/// One output line. `text` may hold newlines (triple-quoted strings, block
/// comments): the lines after the first carry their own indentation.
#[derive(Debug)]
struct Line {
    /// A blank line comes first.
    blank_before: bool,
    indent: usize,
    text: String,
    trailing: Vec<String>,
    /// Ends with an opening bracket: no blank line may follow it.
    opens: bool,
    /// A comment that could not stay at the end of the line it followed.
    moved: bool,
}

impl Line {
    fn code(indent: usize, text: String) -> Line {
        Line {
            blank_before: false,
            indent,
            text,
            trailing: Vec::new(),
            opens: false,
            moved: false,
        }
    }
    fn opener(indent: usize, text: String) -> Line {
        Line {
            opens: true,
            ..Line::code(indent, text)
        }
    }
    /// The column where the line's code ends.
    fn end_column(&self) -> usize {
        match self.text.rfind('\n') {
            Some(newline) => width(&self.text[newline + 1..]),
            None => self.indent * INDENT_WIDTH + width(&self.text),
        }
    }
}

struct Printer<'a> {
    src: &'a str,
    /// Every comment, by position.
    comments: Vec<&'a Comment>,
    /// The first comment not printed yet.
    next_comment: usize,
    /// The end of the last source element printed (code or comment): blank
    /// lines are counted from here.
    last_end: usize,
    lines: Vec<Line>,
    /// A blank line is due before the next line, unless that line closes a
    /// bracket or follows an opening one.
    pending_blank: bool,
    /// Keep no layout choice of the source: blank lines, one-line blocks,
    /// parentheses over lines (see [`format_decl_without_comments`]).
    ignore_layout: bool,
}

impl<'a> Printer<'a> {
    fn new(src: &'a str, comments: &'a [Comment]) -> Printer<'a> {
        let mut comments: Vec<&Comment> = comments.iter().collect();
        comments.sort_by_key(|c| c.span.start);
        Printer {
            src,
            comments,
            next_comment: 0,
            last_end: 0,
            lines: Vec::new(),
            pending_blank: false,
            ignore_layout: false,
        }
    }

    // ----- top level -----------------------------------------------------

    fn file(&mut self, ast: &SourceFileAst) {
        let mut previous_multi_line = false;
        // Where the lines before the next item start: after the previous
        // item's own lines, before any comment moved out of it.
        let mut section = 0;
        for (index, item) in ast.items.iter().enumerate() {
            let start = item.span().start as usize;
            if index == 0 {
                section = self.lines.len();
            }
            self.leading_comments(start, 0);
            let documented = matches!(item, Item::Decl(d) if d.doc.is_some());
            let doc_just_above = documented && self.last_printed_comment_is_doc();
            if self.blank_between(self.last_end, start) && !doc_just_above {
                self.pending_blank = true;
            }
            let first_line = self.lines.len();
            match item {
                Item::Use(u) => self.use_item(u),
                Item::Decl(d) => self.decl(d, 0),
            }
            let own_end = first_line
                + self.lines[first_line..]
                    .iter()
                    .rposition(|l| !l.moved)
                    .map_or(0, |p| p + 1);
            let own_lines = &self.lines[first_line..own_end];
            let multi_line = own_lines.len() > 1 || own_lines.iter().any(|l| l.text.contains('\n'));
            if index > 0 && (previous_multi_line || multi_line) {
                self.lines[section].blank_before = true;
            }
            previous_multi_line = multi_line;
            section = own_end;
        }
        self.leading_comments(self.src.len() + 1, 0);
        self.pending_blank = false;
    }

    fn last_printed_comment_is_doc(&self) -> bool {
        self.next_comment > 0
            && self.comments[self.next_comment - 1].kind == CommentKind::Doc
            && self.comments[self.next_comment - 1].span.end as usize == self.last_end
    }

    fn use_item(&mut self, item: &crate::ast::Use) {
        let target = match &item.target {
            UseTarget::Path(path) => path.text(),
            UseTarget::File(file) => self.raw(file.span).to_string(),
        };
        self.push(Line::code(0, format!("use {target}")));
        self.end_element(item.span.end as usize);
    }

    fn decl(&mut self, decl: &Decl, indent: usize) {
        let header = self.decl_header(decl);
        // A `///` comment inside the header must land inside the block: at
        // the end of a one-line declaration it would document the next one.
        let header_span = Span {
            end: decl.body.open.start,
            ..decl.span
        };
        let allow_inline = !self
            .comments_within(header_span)
            .any(|c| c.kind == CommentKind::Doc);
        let header = match decl.accepted_list {
            Some(list) if !self.accepted_list_fits(&header, list, indent) => {
                self.accepted_list_lines(decl, list, indent)
            }
            _ => header,
        };
        self.block_owner(header, &decl.body, indent, allow_inline);
        self.end_element(decl.body.span().end as usize);
    }

    /// Whether `accept [a, b] {` fits on one line: no comment inside the
    /// brackets and at most 100 columns.
    fn accepted_list_fits(&self, header: &str, list: Span, indent: usize) -> bool {
        !self.has_comments_within(list)
            && indent * INDENT_WIDTH + width(header) + " {".len() <= MAX_WIDTH
    }

    /// Prints `accept [` and one accepted threat per line; returns the
    /// closing `]` for the block to follow.
    fn accepted_list_lines(&mut self, decl: &Decl, list: Span, indent: usize) -> String {
        self.push(Line::opener(indent, format!("{} [", decl.kind.keyword())));
        self.end_element(list.start as usize + 1);
        for threat in &decl.accepted {
            let start = threat.span.start as usize;
            self.leading_comments(start, indent + 1);
            if self.blank_between(self.last_end, start) {
                self.pending_blank = true;
            }
            self.push(Line::code(indent + 1, format!("{},", threat.text())));
            self.end_element(threat.span.end as usize);
        }
        self.leading_comments((list.end as usize).saturating_sub(1), indent + 1);
        self.pending_blank = false;
        "]".to_string()
    }

    fn decl_header(&self, decl: &Decl) -> String {
        let mut header = String::from(decl.kind.keyword());
        header.push(' ');
        match (decl.kind, &decl.flow, decl.accepted.as_slice()) {
            (DeclKind::Flow, Some(ends), _) => {
                let arrow = match ends.direction {
                    FlowDirection::Forward => "->",
                    FlowDirection::Both => "<->",
                };
                header.push_str(&format!(
                    "{}: {} {arrow} {}",
                    decl.name.name,
                    ends.source.text(),
                    ends.target.text()
                ));
            }
            (DeclKind::Accept, _, _) if decl.accepted_list.is_some() => {
                header.push_str(&crate::ast::accepted_list_name(&decl.accepted))
            }
            (DeclKind::Accept, _, [accepted]) => header.push_str(&accepted.text()),
            _ => header.push_str(&decl.name.name),
        }
        if let Some(title) = &decl.title {
            header.push(' ');
            header.push_str(self.raw(title.span));
        }
        if let Some(parent) = &decl.parent {
            header.push_str(" in ");
            header.push_str(&parent.text());
        }
        header
    }

    // ----- blocks and properties ------------------------------------------

    /// Prints `prefix { ... }`: a declaration header or a block property's key.
    fn block_owner(&mut self, prefix: String, block: &Block, indent: usize, allow_inline: bool) {
        if let Some(inline) = self.inline_block(block).filter(|_| allow_inline) {
            let line = format!("{prefix} {inline}");
            if indent * INDENT_WIDTH + width(&line) <= MAX_WIDTH {
                self.push(Line::code(indent, line));
                return;
            }
        }
        self.push(Line::opener(indent, format!("{prefix} {{")));
        let open_end = block.open.end as usize;
        self.end_element(open_end);
        if !self.matrix(block, indent + 1) {
            for property in &block.properties {
                self.property(property, indent + 1);
            }
        }
        let close = block
            .close
            .map_or(block.span().end as usize, |c| c.start as usize);
        self.leading_comments(close, indent + 1);
        self.pending_blank = false;
        self.push(Line::code(indent, "}".to_string()));
    }

    /// The one-line form of a block written on one line without comments, or
    /// `{}` for an empty block without comments.
    fn inline_block(&self, block: &Block) -> Option<String> {
        let span = block.span();
        if self.has_comments_within(span) {
            return None;
        }
        if block.properties.is_empty() {
            return Some("{}".to_string());
        }
        block.close?;
        if self.ignore_layout || self.src[span.range()].contains('\n') {
            return None;
        }
        let properties: Option<Vec<String>> = block
            .properties
            .iter()
            .map(|p| self.inline_property(p))
            .collect();
        Some(format!("{{ {} }}", properties?.join(", ")))
    }

    fn inline_property(&self, property: &Property) -> Option<String> {
        let key = &property.key.name;
        let text = match &property.value {
            PropertyValue::Block(block) => format!("{key} {}", self.inline_block(block)?),
            PropertyValue::Value(value) => format!("{key}: {}", self.inline_value(value)),
        };
        (!text.contains('\n')).then_some(text)
    }

    fn property(&mut self, property: &Property, indent: usize) {
        let start = property.span.start as usize;
        self.leading_comments(start, indent);
        if self.blank_between(self.last_end, start) {
            self.pending_blank = true;
        }
        match &property.value {
            PropertyValue::Block(block) => {
                self.block_owner(property.key.name.clone(), block, indent, true)
            }
            PropertyValue::Value(value) => {
                self.value(format!("{}: ", property.key.name), value, indent, "")
            }
        }
        self.end_element(property.span.end as usize);
    }

    /// Prints a block of list rows as an aligned matrix; false (printing
    /// nothing) when the block is not one or the rows would not fit.
    fn matrix(&mut self, block: &Block, indent: usize) -> bool {
        let mut rows: Vec<(&Property, Vec<String>)> = Vec::new();
        for property in &block.properties {
            let PropertyValue::Value(Value::List(list)) = &property.value else {
                return false;
            };
            if self.has_comments_within(list.span) {
                return false;
            }
            let mut cells = Vec::new();
            for item in &list.items {
                if matches!(item, Value::List(_)) {
                    return false;
                }
                let cell = self.inline_value(item);
                if cell.contains('\n') {
                    return false;
                }
                cells.push(cell);
            }
            rows.push((property, cells));
        }
        let columns = rows.first().map_or(0, |(_, cells)| cells.len());
        if rows.len() < 2 || columns < 2 || rows.iter().any(|(_, cells)| cells.len() != columns) {
            return false;
        }
        let key_width = rows
            .iter()
            .map(|(p, _)| width(&p.key.name) + 1)
            .max()
            .unwrap_or(0);
        let cell_widths: Vec<usize> = (0..columns)
            .map(|c| {
                rows.iter()
                    .map(|(_, cells)| width(&cells[c]))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let texts: Vec<String> = rows
            .iter()
            .map(|(property, cells)| {
                let mut text = pad(&format!("{}:", property.key.name), key_width);
                text.push_str(" [");
                for (column, cell) in cells.iter().enumerate() {
                    if column + 1 == columns {
                        text.push_str(cell);
                    } else {
                        text.push_str(&pad(&format!("{cell},"), cell_widths[column] + 1));
                        text.push(' ');
                    }
                }
                text.push(']');
                text
            })
            .collect();
        if texts
            .iter()
            .any(|t| indent * INDENT_WIDTH + width(t) > MAX_WIDTH)
        {
            return false;
        }
        for ((property, _), text) in rows.iter().zip(texts) {
            let start = property.span.start as usize;
            self.leading_comments(start, indent);
            if self.blank_between(self.last_end, start) {
                self.pending_blank = true;
            }
            self.push(Line::code(indent, text));
            self.end_element(property.span.end as usize);
        }
        true
    }

    // ----- values ---------------------------------------------------------

    /// Prints `prefix value suffix`, breaking lists and multi-line `when`
    /// expressions over several lines.
    fn value(&mut self, prefix: String, value: &Value, indent: usize, suffix: &str) {
        match value {
            Value::List(list) => self.list(prefix, list, indent, suffix),
            Value::Expr(expr) => self.expr_lines(prefix, expr, indent, suffix),
            Value::Str(string) if string.triple => {
                let text = self.triple_string(string, indent);
                self.push(Line::code(indent, format!("{prefix}{text}{suffix}")));
            }
            _ => {
                let text = self.inline_value(value);
                self.push(Line::code(indent, format!("{prefix}{text}{suffix}")));
            }
        }
    }

    fn list(&mut self, prefix: String, list: &List, indent: usize, suffix: &str) {
        if !self.has_comments_within(list.span) {
            let inline = self.inline_list(list);
            let line = format!("{prefix}{inline}{suffix}");
            if !line.contains('\n') && indent * INDENT_WIDTH + width(&line) <= MAX_WIDTH {
                self.push(Line::code(indent, line));
                return;
            }
        }
        self.push(Line::opener(indent, format!("{prefix}[")));
        self.end_element(list.span.start as usize + 1);
        for item in &list.items {
            let start = item.span().start as usize;
            self.leading_comments(start, indent + 1);
            if self.blank_between(self.last_end, start) {
                self.pending_blank = true;
            }
            self.value(String::new(), item, indent + 1, ",");
            self.end_element(item.span().end as usize);
        }
        self.leading_comments((list.span.end as usize).saturating_sub(1), indent + 1);
        self.pending_blank = false;
        self.push(Line::code(indent, format!("]{suffix}")));
    }

    fn inline_list(&self, list: &List) -> String {
        let items: Vec<String> = list.items.iter().map(|v| self.inline_value(v)).collect();
        format!("[{}]", items.join(", "))
    }

    /// A value on one line (a triple-quoted string keeps its own newlines).
    fn inline_value(&self, value: &Value) -> String {
        match value {
            Value::Str(string) => self.raw(string.span).to_string(),
            Value::Number(number) => self.raw(number.span).to_string(),
            Value::Bool(boolean) => boolean.value.to_string(),
            Value::Ref(reference) => reference.text(),
            Value::ThreatRef(threat) => threat.text(),
            Value::Path(path) => path.text(),
            Value::List(list) => self.inline_list(list),
            Value::Tagged(tagged) => format!("{} {}", tagged.tag.name, self.raw(tagged.text.span)),
            Value::Expr(expr) => self.inline_expr(expr),
        }
    }

    /// A triple-quoted string re-indented to `indent + 1` levels, closing
    /// quotes at `indent`; verbatim when re-indenting could change its value.
    fn triple_string(&self, string: &StrLit, indent: usize) -> String {
        let raw = self.raw(string.span);
        let Some(body) = raw
            .strip_prefix("\"\"\"")
            .and_then(|b| b.strip_suffix("\"\"\""))
        else {
            return raw.to_string();
        };
        let mut lines: Vec<&str> = body.split('\n').collect();
        // Only a string whose text starts on the line after its quotes can
        // move; escapes could stand for line breaks or indentation.
        if lines.len() < 2 || !is_blank(lines[0]) || body.contains('\\') {
            return raw.to_string();
        }
        lines.remove(0);
        let closing_alone = lines.len() > 1 && lines.last().is_some_and(|l| is_blank(l));
        if closing_alone {
            lines.pop();
        }
        let indents = lines
            .iter()
            .filter(|l| !is_blank(l))
            .map(|l| leading_whitespace(l));
        if indents.clone().any(|w| w.contains('\t')) {
            return raw.to_string();
        }
        let Some(common) = indents.map(str::len).min() else {
            return raw.to_string();
        };
        let margin = " ".repeat((indent + 1) * INDENT_WIDTH);
        let mut text = String::from("\"\"\"");
        for line in &lines {
            text.push('\n');
            // Blank lines decode to nothing, whatever their whitespace.
            if !is_blank(line) {
                text.push_str(&margin);
                text.push_str(&line[common..]);
            }
        }
        if closing_alone {
            text.push('\n');
            text.push_str(&" ".repeat(indent * INDENT_WIDTH));
        }
        text.push_str("\"\"\"");
        text
    }

    // ----- when expressions -----------------------------------------------

    /// Prints an expression, spreading a parenthesised one written over
    /// several lines into one operand per line.
    fn expr_lines(&mut self, prefix: String, expr: &Expr, indent: usize, suffix: &str) {
        match expr {
            Expr::Paren { inner, span } if self.spans_lines(*span) => {
                self.push(Line::opener(indent, format!("{prefix}(")));
                self.end_element(span.start as usize + 1);
                let (first, rest) = chain(inner);
                let operands =
                    std::iter::once(("", first)).chain(rest.into_iter().map(|(op, e)| {
                        let word = match op {
                            LogicalOp::And => "and ",
                            LogicalOp::Or => "or ",
                        };
                        (word, e)
                    }));
                for (word, operand) in operands {
                    self.leading_comments(operand.span().start as usize, indent + 1);
                    self.expr_lines(word.to_string(), operand, indent + 1, "");
                    self.end_element(operand.span().end as usize);
                }
                self.leading_comments(span.end as usize - 1, indent + 1);
                self.pending_blank = false;
                self.push(Line::code(indent, format!("){suffix}")));
            }
            Expr::Not { operand, .. } if matches!(**operand, Expr::Paren { span, .. } if self.spans_lines(span)) => {
                self.expr_lines(format!("{prefix}not "), operand, indent, suffix)
            }
            _ => {
                let text = self.inline_expr(expr);
                self.push(Line::code(indent, format!("{prefix}{text}{suffix}")));
            }
        }
    }

    fn inline_expr(&self, expr: &Expr) -> String {
        match expr {
            Expr::Logical {
                op, left, right, ..
            } => {
                let word = match op {
                    LogicalOp::And => "and",
                    LogicalOp::Or => "or",
                };
                format!(
                    "{} {word} {}",
                    self.inline_expr(left),
                    self.inline_expr(right)
                )
            }
            Expr::Not { operand, .. } => format!("not {}", self.inline_expr(operand)),
            Expr::Compare {
                op, left, right, ..
            } => {
                format!(
                    "{} {} {}",
                    self.inline_expr(left),
                    op.symbol(),
                    self.inline_expr(right)
                )
            }
            Expr::In { item, list, .. } => {
                format!("{} in {}", self.inline_expr(item), self.inline_expr(list))
            }
            Expr::Path { segments, .. } => dotted(segments.iter().map(|s| s.name.as_str())),
            Expr::Call {
                receiver,
                name,
                args,
                ..
            } => {
                let callee = dotted(
                    receiver
                        .iter()
                        .chain(std::iter::once(name))
                        .map(|s| s.name.as_str()),
                );
                let args: Vec<String> = args.iter().map(|a| self.inline_expr(a)).collect();
                format!("{callee}({})", args.join(", "))
            }
            Expr::List { items, .. } => {
                let items: Vec<String> = items.iter().map(|i| self.inline_expr(i)).collect();
                format!("[{}]", items.join(", "))
            }
            Expr::Str(string) => self.raw(string.span).to_string(),
            Expr::Number(number) => self.raw(number.span).to_string(),
            Expr::Bool(boolean) => boolean.value.to_string(),
            Expr::Paren { inner, .. } => format!("({})", self.inline_expr(inner)),
        }
    }

    // ----- comments and blank lines ---------------------------------------

    /// Prints the comments that start before `pos` and are not printed yet:
    /// own-line comments on their own lines at `indent`, comments that
    /// followed code at the end of the last line.
    fn leading_comments(&mut self, pos: usize, indent: usize) {
        while let Some(&comment) = self.comments.get(self.next_comment) {
            let start = comment.span.start as usize;
            if start >= pos {
                break;
            }
            let after_code = !self.starts_line(start) && !self.lines.is_empty();
            if after_code {
                self.attach_trailing(comment);
            } else {
                if self.blank_between(self.last_end, start) {
                    self.pending_blank = true;
                }
                self.push(Line::code(indent, comment_text(comment)));
            }
            self.last_end = comment.span.end as usize;
            self.next_comment += 1;
        }
    }

    /// Records that the source up to `end` is printed, and moves onto the
    /// last line the comments inside it and those that follow it on its
    /// source line (past commas).
    fn end_element(&mut self, end: usize) {
        self.last_end = self.last_end.max(end);
        while let Some(&comment) = self.comments.get(self.next_comment) {
            let start = comment.span.start as usize;
            let follows = start >= self.last_end
                && self.src[self.last_end..start]
                    .chars()
                    .all(|c| c == ' ' || c == '\t' || c == ',');
            if start >= end && !follows {
                break;
            }
            self.attach_trailing(comment);
            self.last_end = self.last_end.max(comment.span.end as usize);
            self.next_comment += 1;
        }
    }

    /// Puts a comment at the end of the last line; after a line comment,
    /// which runs to the end of the line, on a line of its own instead.
    fn attach_trailing(&mut self, comment: &Comment) {
        let text = comment_text(comment);
        match self.lines.last_mut() {
            Some(line) if !line.trailing.last().unwrap_or(&line.text).starts_with("//") => {
                line.trailing.push(text)
            }
            Some(line) => {
                let indent = line.indent + usize::from(line.opens);
                self.lines.push(Line {
                    moved: true,
                    ..Line::code(indent, text)
                });
            }
            None => self.lines.push(Line::code(0, text)),
        }
    }

    fn push(&mut self, mut line: Line) {
        let after_opening = self.lines.last().is_none_or(|l| l.opens);
        line.blank_before = std::mem::take(&mut self.pending_blank) && !after_opening;
        self.lines.push(line);
    }

    fn has_comments_within(&self, span: Span) -> bool {
        self.comments_within(span).next().is_some()
    }

    /// The comments that start inside `span`.
    fn comments_within(&self, span: Span) -> impl Iterator<Item = &'a Comment> + '_ {
        let first = self.comments.partition_point(|c| c.span.start < span.start);
        self.comments[first..]
            .iter()
            .copied()
            .take_while(move |c| c.span.start < span.end)
    }

    /// Whether the source between two positions holds a blank line (tokens
    /// such as an `or` may sit in the gap too).
    fn blank_between(&self, from: usize, to: usize) -> bool {
        if self.ignore_layout {
            return false;
        }
        let Some(gap) = self.src.get(from..to) else {
            return false;
        };
        let lines: Vec<&str> = gap.split('\n').collect();
        lines.len() > 2
            && lines[1..lines.len() - 1]
                .iter()
                .any(|l| l.trim().is_empty())
    }

    /// Whether only whitespace precedes `pos` on its line.
    fn starts_line(&self, pos: usize) -> bool {
        let line_start = self.src[..pos].rfind('\n').map_or(0, |n| n + 1);
        self.src[line_start..pos].trim().is_empty()
    }

    fn spans_lines(&self, span: Span) -> bool {
        !self.ignore_layout && self.src[span.range()].contains('\n')
    }

    fn raw(&self, span: Span) -> &'a str {
        &self.src[span.range()]
    }

    // ----- output -----------------------------------------------------------

    /// Joins the lines, aligning trailing comments within runs of adjacent
    /// lines of one indentation that all have one.
    fn finish(self) -> String {
        let lines = &self.lines;
        let mut columns = vec![0; lines.len()];
        let mut index = 0;
        while index < lines.len() {
            if lines[index].trailing.is_empty() {
                index += 1;
                continue;
            }
            let run_start = index;
            index += 1;
            while index < lines.len()
                && !lines[index].trailing.is_empty()
                && !lines[index].blank_before
                && lines[index].indent == lines[run_start].indent
                && !lines[index - 1].trailing.iter().any(|t| t.contains('\n'))
            {
                index += 1;
            }
            let run = run_start..index;
            let column = lines[run.clone()]
                .iter()
                .map(Line::end_column)
                .max()
                .unwrap_or(0)
                + 1;
            columns[run].fill(column);
        }
        let mut out = String::new();
        for (line, column) in lines.iter().zip(columns) {
            if line.blank_before {
                out.push('\n');
            }
            out.push_str(&" ".repeat(line.indent * INDENT_WIDTH));
            out.push_str(&line.text);
            if !line.trailing.is_empty() {
                out.push_str(&" ".repeat(column.saturating_sub(line.end_column()).max(1)));
                out.push_str(&line.trailing.join(" "));
            }
            out.push('\n');
        }
        out
    }
}

/// The operands of the left-leaning chain of one logical operator:
/// `a and b and c` gives `a`, then `and b`, `and c`.
fn chain(expr: &Expr) -> (&Expr, Vec<(LogicalOp, &Expr)>) {
    let Expr::Logical { op: top, .. } = expr else {
        return (expr, Vec::new());
    };
    let mut rest = Vec::new();
    let mut current = expr;
    while let Expr::Logical {
        op, left, right, ..
    } = current
    {
        if op != top {
            break;
        }
        rest.push((*op, &**right));
        current = left;
    }
    rest.reverse();
    (current, rest)
}

fn comment_text(comment: &Comment) -> String {
    match comment.kind {
        CommentKind::Block => comment.text.clone(),
        CommentKind::Line | CommentKind::Doc => comment.text.trim_end().to_string(),
    }
}

fn dotted<'s>(parts: impl Iterator<Item = &'s str>) -> String {
    parts.collect::<Vec<_>>().join(".")
}

/// Spaces and tabs only: the whitespace a triple-quoted string's dedent removes.
fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c == ' ' || c == '\t')
}

fn leading_whitespace(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

fn width(text: &str) -> usize {
    text.chars().count()
}

fn pad(text: &str, to: usize) -> String {
    format!("{text:<to$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(text, FileId(0)).expect("test input parses")
    }

    /// A zone whose one-line form is exactly `columns` wide.
    fn zone_of_width(columns: usize) -> String {
        let line = "zone z { description: \"\" }";
        let filler = "x".repeat(columns - line.len());
        format!("zone z {{ description: \"{filler}\" }}\n")
    }

    #[test]
    fn a_one_line_block_of_exactly_100_columns_stays_on_one_line() {
        let fits = zone_of_width(100);
        assert_eq!(fmt(&fits), fits);
        let too_wide = zone_of_width(101);
        assert!(fmt(&too_wide).starts_with("zone z {\n  description: \"x"));
    }

    #[test]
    fn a_list_breaks_only_past_100_columns() {
        let items = |n: usize| {
            (0..n)
                .map(|i| format!("item{i:02}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // "  tags: [" + 10 items of 6 chars, one of 10 + 10 separators + "]".
        let fits = format!("zone z {{\n  tags: [{}, abcdefghij]\n}}\n", items(10));
        assert_eq!(fits.lines().nth(1).unwrap().len(), 100);
        assert_eq!(fmt(&fits), fits);
        let too_wide = fits.replace("abcdefghij", "abcdefghijk");
        assert!(fmt(&too_wide).contains("  tags: [\n    item00,\n"));
    }

    #[test]
    fn triple_strings_that_could_change_value_are_copied_verbatim() {
        for string in [
            "\"\"\"text on the opening line\n      more\"\"\"",
            "\"\"\"\n      an escape \\n inside\n    \"\"\"",
            "\"\"\"\n\t\ttab indented\n    \"\"\"",
        ] {
            let text = format!("zone z {{\n      description: {string}\n}}\n");
            assert_eq!(
                fmt(&text),
                format!("zone z {{\n  description: {string}\n}}\n")
            );
        }
    }

    #[test]
    fn a_multi_line_when_puts_one_operand_of_the_outer_operator_per_line() {
        let text = "rule r {\n  when: (a and b\n    or c or not (d\n or e))\n}\n";
        assert_eq!(fmt(text), "rule r {\n  when: (\n    a and b\n    or c\n    or not (\n      d\n      or e\n    )\n  )\n}\n");
    }

    #[test]
    fn blank_lines_are_told_apart_from_lines_holding_tokens() {
        let printer = Printer::new("a\n  or\n b\n\n c", &[]);
        assert!(!printer.blank_between(0, 9));
        assert!(printer.blank_between(9, 12));
        assert!(!printer.blank_between(0, 1));
    }
}
