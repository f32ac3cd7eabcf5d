//! The formatter's contract on generated files: random declarations, values
//! and `when` expressions, laid out with random spacing, line breaks, blank
//! lines and comments wherever the grammar allows them. Every file that
//! parses must format idempotently to the same tree with the same comments.

use ward_diagnostics::FileId;
use ward_syntax::ast::{CommentKind, Item, SourceFileAst};
use ward_syntax::{format, parse};

const FILES: usize = 400;

/// xorshift64*: deterministic, so a failure always reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

struct Generator {
    rng: Rng,
    out: String,
    comments: usize,
}

/// The declarations of the `KEYWORD id title? ("in" ref)? block` form.
fn plain_declaration_keywords() -> Vec<&'static str> {
    ward_syntax::keywords::DECLARATIONS
        .into_iter()
        .filter(|k| !matches!(*k, "flow" | "accept" | "disposition"))
        .collect()
}

impl Generator {
    fn new(seed: u64) -> Generator {
        Generator {
            rng: Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1),
            out: String::new(),
            comments: 0,
        }
    }

    fn comment_id(&mut self) -> usize {
        self.comments += 1;
        self.comments
    }

    fn newline(&mut self) {
        self.out.push('\n');
        let indent = self.rng.below(7);
        self.out.push_str(&" ".repeat(indent));
    }

    /// Between two tokens of one line: a space, maybe a block comment.
    fn gap(&mut self) {
        if self.rng.chance(8) {
            let n = self.comment_id();
            self.out.push_str(&format!(" /* c{n} */ "));
        } else {
            self.out.push_str(&" ".repeat(1 + self.rng.below(2)));
        }
    }

    /// Where a line may break: whitespace, blank lines and comments.
    fn line_gap(&mut self) {
        match self.rng.below(9) {
            0 => self.out.push(' '),
            1 => {
                let n = self.comment_id();
                self.out.push_str(&format!(" // trailing {n}  "));
                self.newline();
            }
            2 => {
                self.newline();
                let n = self.comment_id();
                self.out.push_str(&format!("// own line {n}"));
                self.newline();
            }
            3 => {
                self.out.push('\n');
                self.newline();
            }
            4 => {
                let n = self.comment_id();
                self.out
                    .push_str(&format!(" /* block {n}\n   second line */"));
                self.newline();
            }
            _ => self.newline(),
        }
    }

    /// A line break is required here (between properties, items).
    fn line_break(&mut self) {
        match self.rng.below(6) {
            0 => {
                let n = self.comment_id();
                self.out.push_str(&format!(" // after {n}"));
                self.newline();
            }
            1 => {
                self.out.push('\n');
                self.newline();
            }
            2 => {
                self.newline();
                let n = self.comment_id();
                self.out.push_str(&format!("/* own {n} */"));
                self.newline();
            }
            _ => self.newline(),
        }
    }

    fn file(&mut self) -> String {
        if self.rng.chance(30) {
            let n = self.comment_id();
            self.out.push_str(&format!("// header {n}\n\n"));
        }
        for index in 0..1 + self.rng.below(7) {
            if index > 0 {
                if self.rng.chance(5) {
                    self.out.push(' ');
                } else {
                    self.line_break();
                }
            }
            match self.rng.below(12) {
                0 => self.use_item(),
                1 => self.flow(index),
                2 => self.accept(),
                _ => self.decl(index),
            }
        }
        if self.rng.chance(30) {
            let n = self.comment_id();
            self.out.push_str(&format!("\n// footer {n}"));
        }
        self.out.push_str(&"\n".repeat(self.rng.below(3)));
        std::mem::take(&mut self.out)
    }

    fn use_item(&mut self) {
        self.out.push_str("use");
        self.gap();
        if self.rng.chance(50) {
            self.out.push_str("std::stride");
        } else {
            self.out.push_str("\"shared/cloud.ward\"");
        }
    }

    fn doc(&mut self) {
        if self.rng.chance(25) {
            for _ in 0..1 + self.rng.below(2) {
                let n = self.comment_id();
                self.out.push_str(&format!("/// doc {n}"));
                if self.rng.chance(20) {
                    self.out.push('\n');
                }
                self.newline();
            }
        }
    }

    fn decl(&mut self, index: usize) {
        self.doc();
        let keyword = self.rng.pick(&plain_declaration_keywords());
        self.out.push_str(keyword);
        self.gap();
        self.out.push_str(&format!("{keyword}_{index}"));
        if self.rng.chance(60) {
            self.gap();
            self.string();
        }
        if matches!(keyword, "zone" | "component" | "actor") && self.rng.chance(70) {
            self.gap();
            self.out.push_str("in");
            self.gap();
            self.out.push_str("home");
        }
        self.gap();
        self.block(0, keyword == "rule");
    }

    fn flow(&mut self, index: usize) {
        self.doc();
        self.out.push_str(&format!("flow f_{index}"));
        self.out.push(':');
        self.gap();
        self.out.push_str("app");
        self.gap();
        let arrow = self.rng.pick(&["->", "<->"]);
        self.out.push_str(arrow);
        self.gap();
        self.out.push_str("pump");
        if self.rng.chance(50) {
            self.gap();
            self.string();
        }
        self.gap();
        self.block(0, false);
    }

    /// `accept` or `disposition` of one threat.
    fn accept(&mut self) {
        let keyword = self.rng.pick(&["accept", "disposition"]);
        self.out.push_str(keyword);
        self.gap();
        let target = self
            .rng
            .pick(&["replay", "rule_x@f_sync", "rule_x@f_sync.reverse"]);
        self.out.push_str(target);
        self.gap();
        self.block(0, false);
    }

    fn block(&mut self, depth: usize, with_when: bool) {
        let count = self.rng.below(5);
        let one_line = self.rng.chance(45);
        self.out.push('{');
        for index in 0..count {
            if one_line {
                self.out.push_str(if index == 0 { " " } else { ", " });
                if self.rng.chance(8) {
                    let n = self.comment_id();
                    self.out.push_str(&format!("/* p{n} */ "));
                }
            } else {
                if index > 0 && self.rng.chance(30) {
                    self.out.push(',');
                }
                self.line_break();
            }
            self.property(index, depth, with_when && index == 1, one_line);
        }
        if one_line {
            self.out.push_str(if count == 0 && self.rng.chance(50) {
                ""
            } else {
                " "
            });
        } else {
            self.line_break();
        }
        self.out.push('}');
    }

    fn property(&mut self, index: usize, depth: usize, when: bool, one_line: bool) {
        if when {
            self.out.push_str("when:");
            self.gap();
            self.expr(2, false);
            return;
        }
        let stretch = "_".repeat(if self.rng.chance(20) {
            self.rng.below(40)
        } else {
            0
        });
        let key = format!("key{index}{stretch}");
        if depth < 2 && !one_line && self.rng.chance(10) {
            self.out.push_str(&key);
            self.gap();
            self.matrix();
            return;
        }
        if depth < 2 && self.rng.chance(15) {
            self.out.push_str(&key);
            self.gap();
            self.block(depth + 1, false);
            return;
        }
        self.out.push_str(&key);
        self.out.push(':');
        self.gap();
        self.value(2, one_line);
    }

    /// A block of list rows of one length: a matrix.
    fn matrix(&mut self) {
        let columns = 1 + self.rng.below(5);
        self.out.push('{');
        for row in 0..1 + self.rng.below(4) {
            self.line_break();
            let key = self.rng.pick(&["low", "serious", "catastrophic"]);
            self.out.push_str(&format!("{key}{row}:"));
            self.gap();
            self.out.push('[');
            for column in 0..columns {
                if column > 0 {
                    self.out.push(',');
                    self.gap();
                }
                let cell = self
                    .rng
                    .pick(&["acceptable", "review", "unacceptable", "x"]);
                self.out.push_str(cell);
            }
            self.out.push(']');
        }
        self.line_break();
        self.out.push('}');
    }

    fn string(&mut self) {
        let text = self.rng.pick(&[
            "\"Title\"",
            "\"With \\\"quotes\\\"\"",
            "\"{id} on {{x}}\"",
            "\"\"",
            "\"A longer title that takes a fair share of the hundred columns of a line\"",
        ]);
        self.out.push_str(text);
    }

    fn value(&mut self, depth: usize, one_line: bool) {
        match self.rng.below(if depth == 0 { 9 } else { 11 }) {
            0 => self.string(),
            1 => {
                let number = self.rng.pick(&["7", "9.80", "0.5", "120"]);
                self.out.push_str(number);
            }
            2 => {
                let boolean = self.rng.pick(&["true", "false"]);
                self.out.push_str(boolean);
            }
            3 => {
                let reference = self.rng.pick(&["high", "f_sync.reverse", "pump"]);
                self.out.push_str(reference);
            }
            4 => {
                let threat = self.rng.pick(&["rule_x@pump", "rule_x@f_sync.reverse"]);
                self.out.push_str(threat);
            }
            5 => {
                let path = self.rng.pick(&["std::policy::iso14971_5x5", "a::b"]);
                self.out.push_str(path);
            }
            6 => {
                let method = self.rng.pick(&["test", "analysis", "inspection"]);
                self.out.push_str(method);
                self.out.push(' ');
                self.string();
            }
            7 | 8 if !one_line => self.triple_string(),
            7 | 8 => self.out.push_str("\"\"\"one line\"\"\""),
            _ => self.list(depth - 1, one_line),
        }
    }

    fn triple_string(&mut self) {
        let base = self.rng.below(9);
        self.out.push_str("\"\"\"\n");
        for _ in 0..1 + self.rng.below(3) {
            let extra = self.rng.below(3) * 2;
            if self.rng.chance(15) {
                self.out.push_str(&" ".repeat(self.rng.below(4)));
                self.out.push('\n');
            }
            self.out.push_str(&" ".repeat(base + extra));
            self.out.push_str("text line\n");
        }
        self.out.push_str(&" ".repeat(self.rng.below(5)));
        self.out.push_str("\"\"\"");
    }

    fn list(&mut self, depth: usize, one_line: bool) {
        let long = self.rng.chance(10);
        let count = self.rng.below(if long { 30 } else { 5 });
        self.out.push('[');
        for index in 0..count {
            if index > 0 {
                self.out.push(',');
            }
            if one_line {
                self.gap();
            } else {
                self.line_gap();
            }
            self.value(depth, one_line);
        }
        if count > 0 && self.rng.chance(20) {
            self.out.push(',');
        }
        if !one_line && self.rng.chance(30) {
            self.line_gap();
        }
        self.out.push(']');
    }

    /// A `when` expression; `breaks` tells whether lines may break (inside
    /// parentheses).
    fn expr(&mut self, depth: usize, breaks: bool) {
        if depth == 0 {
            return self.atom(breaks);
        }
        match self.rng.below(6) {
            0 | 1 => {
                self.expr(depth - 1, breaks);
                self.expr_gap(breaks);
                let op = self.rng.pick(&["and", "or"]);
                self.out.push_str(op);
                self.expr_gap(breaks);
                self.expr(depth - 1, breaks);
            }
            2 => {
                self.out.push_str("not");
                self.expr_gap(breaks);
                self.expr(depth - 1, breaks);
            }
            3 => {
                self.out.push('(');
                self.expr_gap(true);
                self.expr(depth - 1, true);
                self.expr_gap(true);
                self.out.push(')');
            }
            _ => self.atom(breaks),
        }
    }

    fn expr_gap(&mut self, breaks: bool) {
        if breaks && self.rng.chance(40) {
            self.line_gap();
        } else {
            self.gap();
        }
    }

    fn atom(&mut self, breaks: bool) {
        match self.rng.below(6) {
            0 => {
                let op = self.rng.pick(&["==", "!=", "<", "<=", ">", ">="]);
                self.out.push_str("source.zone.trust");
                self.expr_gap(breaks);
                self.out.push_str(op);
                self.expr_gap(breaks);
                self.out.push_str("untrusted");
            }
            1 => {
                self.out.push_str("protocol");
                self.expr_gap(breaks);
                self.out.push_str("in");
                self.expr_gap(breaks);
                self.out.push('[');
                self.expr_gap(true);
                self.out.push_str("ble,");
                self.expr_gap(true);
                self.out.push_str("\"custom\"");
                self.out.push(']');
            }
            2 => {
                let call = self.rng.pick(&["carries_kind(", "source.has_interface("]);
                self.out.push_str(call);
                self.expr_gap(true);
                self.out.push_str("jtag");
                self.expr_gap(true);
                self.out.push(')');
            }
            3 => {
                let literal = self.rng.pick(&["true", "3", "\"x\""]);
                self.out.push_str(literal);
            }
            _ => {
                let attribute = self.rng.pick(&[
                    "authenticated",
                    "crosses_boundary",
                    "source.zone.physical_access",
                ]);
                self.out.push_str(attribute);
            }
        }
    }
}

fn tree_shape(ast: &SourceFileAst) -> String {
    let mut items = ast.items.clone();
    for item in &mut items {
        if let Item::Decl(decl) = item {
            decl.doc = decl.doc.take().map(|doc| {
                doc.lines()
                    .map(str::trim_end)
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    let debug = format!("{items:?}");
    let mut out = String::new();
    let mut rest = debug.as_str();
    while let Some(start) = rest.find("Span { file: FileId(") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("a span's closing brace") + start + 1;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn comment_texts(ast: &SourceFileAst) -> Vec<String> {
    let mut texts: Vec<String> = ast
        .comments
        .iter()
        .map(|c| match c.kind {
            CommentKind::Block => c.text.clone(),
            CommentKind::Line | CommentKind::Doc => c.text.trim_end().to_string(),
        })
        .collect();
    texts.sort();
    texts
}

#[test]
fn generated_files_format_idempotently_to_the_same_tree() {
    let mut formatted = 0;
    let mut refused = Vec::new();
    for seed in 0..FILES as u64 {
        let text = Generator::new(seed + 1).file();
        let parsed = parse(&text, FileId(0));
        if !parsed.errors.is_empty() {
            refused.push((seed, text, parsed.errors));
            continue;
        }
        let once = format(&text, FileId(0)).expect("a file without errors formats");
        let again = parse(&once, FileId(0));
        assert!(
            again.errors.is_empty(),
            "seed {seed}: output has errors {:?}\n{text}\n---\n{once}",
            again.errors
        );
        assert_eq!(
            tree_shape(&parsed.ast),
            tree_shape(&again.ast),
            "seed {seed}: tree changed\n{text}\n---\n{once}"
        );
        assert_eq!(
            comment_texts(&parsed.ast),
            comment_texts(&again.ast),
            "seed {seed}: comments changed\n{text}\n---\n{once}"
        );
        let twice = format(&once, FileId(0)).expect("formatted output formats");
        assert_eq!(
            once, twice,
            "seed {seed}: not idempotent\n{text}\n---\n{once}"
        );
        assert!(
            !once.contains("\n\n\n"),
            "seed {seed}: two blank lines\n{once}"
        );
        formatted += 1;
    }
    // The generator writes valid syntax: a refused file is a generator or
    // parser bug worth seeing.
    for (seed, _, errors) in &refused {
        eprintln!(
            "seed {seed}: {:?}",
            errors.iter().map(|e| &e.message).collect::<Vec<_>>()
        );
    }
    if let Some((seed, text, errors)) = refused.first() {
        panic!(
            "{} generated files refused; seed {seed}:\n{text}\n{errors:#?}",
            refused.len()
        );
    }
    assert_eq!(formatted, FILES);
}
