//! Messages for swallowed regions. The tolerant grammar only says *that* a
//! region did not parse; re-parsing it with the strict rule (from the
//! region's start, on the same text, so positions stay absolute) tells
//! where it fails and which rules pest expected there. Those rules are named
//! after what they match, so they read as words.

use crate::ast::is_reserved;
use crate::grammar::{Rule, WardParser};
use crate::{codes, keywords};
use pest::error::{ErrorVariant, InputLocation};
use pest::Parser;
use ward_diagnostics::{Applicability, Diagnostic, Edit, FileId, Fix, Span};

/// What kind of text was swallowed.
pub(crate) enum Region {
    /// Top-level text (`bad_item`): re-parsed as an item.
    Item,
    /// A declaration whose header broke after its id: re-parsed with the
    /// given strict declaration rule.
    Header(Rule),
    /// Block members (`bad_member`, `bad_tail`): re-parsed as a property.
    Member { previous_key: Option<String> },
}

/// The one diagnostic for a swallowed region; `region.start` is where the
/// strict re-parse starts.
pub(crate) fn diagnose(text: &str, file: FileId, region: Span, kind: Region) -> Diagnostic {
    let start = region.start as usize;
    let first = word_at(text, start);
    let rule = match &kind {
        Region::Item => {
            if !is_item_keyword(first) {
                return expected_declaration(text, file, start);
            }
            Rule::item_strict
        }
        Region::Header(rule) => *rule,
        Region::Member { previous_key } => {
            if previous_key.as_deref() == Some("when") && continues_expression(text, start) {
                return multiline_when(text, file, start);
            }
            Rule::entry_strict
        }
    };
    let (pos, positives) = strict_failure(rule, text, start, region.end as usize);
    let key = match kind {
        Region::Member { .. } => Some(first),
        _ => None,
    };
    expected(text, file, pos, &positives, key)
}

/// Where the strict `rule`, run from `start`, fails and what it expected.
///
/// pest's error scans its input from the end back to the error, so parsing
/// the rest of the file for every region would be quadratic. The parse runs
/// on the text up to the line after the region (at most 4 KiB past it) first; a failure before that
/// limit is the same as on the whole text (only the end of input differs),
/// otherwise it runs again on the whole rest of the file.
fn strict_failure(rule: Rule, text: &str, start: usize, region_end: usize) -> (usize, Vec<Rule>) {
    let line_end = |from: usize| {
        text[from.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |i| from + i + 1)
    };
    let mut limit = line_end(line_end(region_end.max(start))).min(region_end.max(start) + 4096);
    while !text.is_char_boundary(limit) {
        limit += 1;
    }
    if let Some(found) =
        strict_run(rule, &text[start..limit]).filter(|(pos, _)| start + *pos < limit)
    {
        return (start + found.0, found.1);
    }
    match strict_run(rule, &text[start..]) {
        Some((pos, positives)) => (start + pos, positives),
        None => (region_end, Vec::new()),
    }
}

/// The strict parse's failure position (relative) and expected rules, or
/// `None` if it matched.
fn strict_run(rule: Rule, input: &str) -> Option<(usize, Vec<Rule>)> {
    let e = WardParser::parse(rule, input).err()?;
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((p, _)) => p,
    };
    let positives = match e.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    Some((pos, positives))
}

/// Whether `word` starts an item: `use`, `flow`, `accept` or a declaration
/// keyword.
fn is_item_keyword(word: &str) -> bool {
    keywords::ITEM_STARTERS.contains(&word)
}

fn expected_declaration(text: &str, file: FileId, pos: usize) -> Diagnostic {
    let found = Found::at(text, pos);
    let mut d = Diagnostic::error(
        codes::EXPECTED_DECLARATION,
        Span::new(file, found.range.0, found.range.1),
        format!("expected a declaration, found {}", found.describe()),
    )
    .with_primary_label("a declaration keyword was expected here");
    let word = word_at(text, pos);
    if found.text == "}" {
        return d.with_help("this `}` closes no block: remove it, or check the braces above");
    }
    let close: Vec<(usize, &str)> = if word.is_empty() {
        Vec::new()
    } else {
        keywords::ITEM_STARTERS
            .into_iter()
            .map(|k| (edit_distance(k, word), k))
            .filter(|(distance, k)| *distance <= 2.min(k.len() / 2))
            .collect()
    };
    let suggestion = close.iter().min_by_key(|(distance, _)| *distance);
    d = match suggestion {
        Some(&(distance, k)) => {
            // Safe when no other keyword is as close.
            let rivals = close.iter().filter(|(other, _)| *other == distance).count();
            let applicability = if rivals == 1 {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            let span = Span::new(file, pos, pos + word.len());
            d.with_help(format!("did you mean `{k}`?"))
                .with_fix(Fix::new(
                    format!("Replace `{word}` with `{k}`"),
                    applicability,
                    vec![Edit::replace(span, k)],
                ))
        }
        None => d.with_help(format!(
            "the file holds `use` lines and declarations ({})",
            keywords::DECLARATIONS.map(|k| format!("`{k}`")).join(", ")
        )),
    };
    d
}

/// Whether the text at `pos` continues an expression: an operator that
/// cannot start a property.
fn continues_expression(text: &str, pos: usize) -> bool {
    let word = word_at(text, pos);
    if matches!(word, "and" | "or" | "in") {
        return true;
    }
    let rest = &text[pos..];
    ["==", "!=", "<=", ">=", "<", ">", ")"]
        .iter()
        .any(|op| rest.starts_with(op))
}

fn multiline_when(text: &str, file: FileId, pos: usize) -> Diagnostic {
    let found = Found::at(text, pos);
    Diagnostic::error(
        codes::MULTILINE_WHEN,
        Span::new(file, found.range.0, found.range.1),
        format!(
            "a `when` expression that spans lines must be in parentheses; found {} on a new line",
            found.describe()
        ),
    )
    .with_primary_label("this line continues the `when` above")
    .with_help("wrap the whole expression in `( ... )`: inside parentheses, new lines are spaces")
}

/// "expected X or Y, found Z" from pest's expected rules at `pos`.
fn expected(
    text: &str,
    file: FileId,
    pos: usize,
    positives: &[Rule],
    key: Option<&str>,
) -> Diagnostic {
    let found = Found::at(text, pos);
    let span = Span::new(file, found.range.0, found.range.1);
    let expects = words(positives);
    let has = |r: Rule| positives.contains(&r);
    let separator = has(Rule::comma) || has(Rule::line_break) || has(Rule::block_close);
    let in_when = key == Some("when");

    if in_when && separator && found.is_compare && previous_is_comparison(text, pos) {
        return Diagnostic::error(
            codes::CHAINED_COMPARISON,
            span,
            format!(
                "comparisons don't chain: found {} after a comparison",
                found.describe()
            ),
        )
        .with_primary_label("a second comparison operator")
        .with_help("join two comparisons with `and`, e.g. `a < b and b < c`");
    }
    if in_when
        && found.is_line_end
        && expects.contains(&"an operand")
        && previous_token(text, pos) != ":"
    {
        return Diagnostic::error(
            codes::MULTILINE_WHEN,
            span,
            "a `when` expression that spans lines must be in parentheses; the line ends before the expression does",
        )
        .with_primary_label("expected an operand before the end of the line")
        .with_help("wrap the whole expression in `( ... )`: inside parentheses, new lines are spaces");
    }

    if found.text.starts_with('\'') {
        if let Some(d) = single_quoted(text, file, pos) {
            return d;
        }
    }
    if has(Rule::colon) && matches!(found.text, "->" | "<->") && is_flow_header(text, pos) {
        return missing_flow_id(text, file, pos, &found);
    }

    let what = if expects.is_empty() {
        "something else".to_string()
    } else {
        join_or(&expects)
    };
    let after = after_phrase(text, pos, positives, key);
    let mut d = Diagnostic::error(
        codes::SYNTAX,
        span,
        format!("expected {what}{after}, found {}", found.describe()),
    )
    .with_primary_label(format!("expected {what}"));
    if let Some(help) = help(text, pos, positives, &found) {
        d = d.with_help(help);
    }
    if let Some(fix) = colon_fix(text, file, pos, positives, &found) {
        d = d.with_fix(fix);
    }
    d
}

/// `'Pump'`: a string in single quotes, reported at the whole literal, with
/// a fix that swaps the quotes (when the text inside needs no escaping).
/// `None` when no closing `'` is on the line.
fn single_quoted(text: &str, file: FileId, pos: usize) -> Option<Diagnostic> {
    let rest = &text[pos + 1..];
    let line = rest.find('\n').unwrap_or(rest.len());
    let close = pos + 1 + rest[..line].find('\'')?;
    let inner = &text[pos + 1..close];
    let span = Span::new(file, pos, close + 1);
    let d = Diagnostic::error(
        codes::SYNTAX,
        span,
        format!("found a single-quoted string `'{inner}'`"),
    )
    .with_primary_label("single quotes do not make a string")
    .with_help("strings use double quotes");
    if inner.contains(['"', '\\']) {
        return Some(d);
    }
    let quote = |at: usize| Edit::replace(Span::new(file, at, at + 1), "\"");
    Some(d.with_fix(Fix::new(
        "Use double quotes",
        Applicability::Safe,
        vec![quote(pos), quote(close)],
    )))
}

/// Whether `pos` follows `flow WORD` on its line.
fn is_flow_header(text: &str, pos: usize) -> bool {
    let before = &text[..pos];
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let mut words = line.split_whitespace();
    words.next() == Some("flow") && words.next().is_some() && words.next().is_none()
}

/// Whether a flow header's first word is followed by its arrow: `flow app
/// -> api`, where `app` is the source and the id is missing.
pub(crate) fn flow_id_missing(text: &str, name_end: usize) -> bool {
    let after = text
        .get(name_end..)
        .unwrap_or("")
        .trim_start_matches([' ', '\t']);
    after.starts_with("->") || after.starts_with("<->")
}

/// `flow app -> api`: the id is missing, so `app` reads as one. The fix
/// names the flow after its ends; it is one name among many, so the editor
/// offers it and `--fix` leaves it.
fn missing_flow_id(text: &str, file: FileId, pos: usize, arrow: &Found) -> Diagnostic {
    let source = previous_token(text, pos);
    let source_start = text[..pos].trim_end_matches([' ', '\t']).len() - source.len();
    let after_arrow = text[arrow.range.1..].trim_start_matches([' ', '\t']);
    let target = word_at(text, text.len() - after_arrow.len());
    let span = Span::new(file, source_start, arrow.range.1);
    let example = format!("flow ID: {source} {} {target}", arrow.text);
    let d = Diagnostic::error(
        codes::SYNTAX,
        span,
        format!("a flow needs an id before its ends: `{example}`"),
    )
    .with_primary_label("the flow's ends, with no id before them")
    .with_help("write the flow's id and `:` after `flow`");
    if source.is_empty() || target.is_empty() {
        return d;
    }
    d.with_fix(Fix::new(
        format!("Name the flow `{source}_to_{target}`"),
        Applicability::Unsafe,
        vec![Edit::insert(
            file,
            source_start,
            format!("{source}_to_{target}: "),
        )],
    ))
}

/// After a property name: `=` for `:`, or no `:` before a value on the
/// same line (`trust untrusted`). Not when the word after is followed by
/// `:` or `{`, which reads as a block whose brace is missing.
fn colon_fix(
    text: &str,
    file: FileId,
    pos: usize,
    positives: &[Rule],
    found: &Found,
) -> Option<Fix> {
    let has = |r: Rule| positives.contains(&r);
    if !has(Rule::colon) {
        return None;
    }
    if found.text == "=" {
        let span = Span::new(file, found.range.0, found.range.1);
        return Some(Fix::new(
            "Replace `=` with `:`",
            Applicability::Safe,
            vec![Edit::replace(span, ":")],
        ));
    }
    if !has(Rule::block_open) || found.is_line_end || found.is_eof {
        return None;
    }
    let word = word_at(text, pos);
    let literal = found.text.starts_with(['"', '[']);
    let bare_value = !word.is_empty()
        && !text[pos + word.len()..]
            .trim_start_matches([' ', '\t'])
            .starts_with([':', '{']);
    if !(literal || bare_value) {
        return None;
    }
    let key_end = text[..pos].trim_end_matches([' ', '\t']).len();
    Some(Fix::new(
        "Add `:` after the property name",
        Applicability::Safe,
        vec![Edit::insert(file, key_end, ":")],
    ))
}

/// Context for the message: what the expected token follows.
fn after_phrase(text: &str, pos: usize, positives: &[Rule], key: Option<&str>) -> String {
    let has = |r: Rule| positives.contains(&r);
    let previous = previous_token(text, pos);
    if has(Rule::line_break) || has(Rule::block_close) || has(Rule::entry_sep) {
        if let Some(key) = key.filter(|k| !k.is_empty()) {
            return format!(" after property `{key}`");
        }
    }
    if has(Rule::colon) && has(Rule::block_open) {
        if let Some(key) = key.filter(|k| !k.is_empty()) {
            return format!(" after property name `{key}`");
        }
    }
    match previous {
        ":" if key.is_some() => format!(" after `{}:`", key.unwrap_or_default()),
        "" => String::new(),
        p if p.starts_with('"') => " after the title".to_string(),
        p if p.len() <= 24 && !p.contains('\n') => format!(" after `{p}`"),
        _ => String::new(),
    }
}

fn help(text: &str, pos: usize, positives: &[Rule], found: &Found) -> Option<String> {
    let has = |r: Rule| positives.contains(&r);
    let word = word_at(text, pos);
    if is_reserved(word)
        && (has(Rule::decl_name)
            || has(Rule::reference)
            || has(Rule::flow_end)
            || has(Rule::parent)
            || has(Rule::threat_ref))
    {
        return Some(format!("`{word}` is a reserved word and cannot be an id"));
    }
    if has(Rule::colon) && found.text == "=" {
        return Some("properties are written `key: value`".into());
    }
    if has(Rule::colon) && has(Rule::block_open) {
        return Some("a property is written `key: value`, or `key { ... }` for a block".into());
    }
    let previous = previous_token(text, pos);
    let after_word = previous
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    if found.text == "(" && after_word && text[..pos].ends_with([' ', '\t']) {
        return Some(format!(
            "write a call without a space before `(`: `{previous}(...)`"
        ));
    }
    let property_end = has(Rule::line_break) || has(Rule::block_close) || has(Rule::entry_sep);
    if property_end && !found.is_line_end {
        if found.text == "." && after_word {
            return Some(
                "only `.reverse` may follow an id, written without spaces (`f_sync.reverse`)"
                    .into(),
            );
        }
        return Some("properties are separated by a comma or a new line".into());
    }
    if has(Rule::list_close) && has(Rule::comma) {
        return Some("separate list items with commas; a list may span lines".into());
    }
    if (has(Rule::block_open) || has(Rule::block)) && !word.is_empty() {
        let after_word = text[pos + word.len()..].trim_start_matches([' ', '\t']);
        if after_word.starts_with(':') {
            return Some("a declaration's properties go in a block: `{ key: value }`".into());
        }
    }
    let line = &text[text[..pos].rfind('\n').map_or(0, |i| i + 1)..pos];
    if word_at(line.trim_start(), 0) == "use" {
        return Some(
            "`use` takes a module path such as `std::stride`, or a file name in quotes".into(),
        );
    }
    if (has(Rule::value) || previous_token(text, pos) == ":") && found.is_line_end {
        return Some("a value starts on the same line as its key".into());
    }
    None
}

fn previous_is_comparison(text: &str, pos: usize) -> bool {
    // Walk back over the operand before `pos` to the operator before it.
    let before = text[..pos].trim_end_matches([' ', '\t']);
    let operand_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| {
            !(c.is_ascii_alphanumeric()
                || matches!(c, '_' | '.' | '"' | ')' | '(' | ']' | '[' | ','))
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    let before_operand = before[..operand_start].trim_end_matches([' ', '\t']);
    ["==", "!=", "<=", ">=", "<", ">"]
        .iter()
        .any(|op| before_operand.ends_with(op))
        || before_operand.ends_with(" in")
}

/// The expected rules as words, most useful first, without duplicates.
fn words(positives: &[Rule]) -> Vec<&'static str> {
    let separator = positives.iter().any(|r| {
        matches!(
            r,
            Rule::comma | Rule::line_break | Rule::block_close | Rule::list_close
        )
    });
    let mut out: Vec<&'static str> = Vec::new();
    for rule in positives {
        // Continuations of a finished value (`::`, `@`, `.reverse`, the string
        // of `test "..."`) are noise next to a separator.
        if separator
            && matches!(
                rule,
                Rule::path_sep | Rule::at | Rule::reverse | Rule::string | Rule::EOI
            )
        {
            continue;
        }
        let words: &[&'static str] = match rule {
            Rule::entry_sep => &["`,`", "a new line", "`}`"],
            _ => &[],
        };
        for w in words.iter().copied().chain(word(*rule)) {
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out.sort_by_key(|w| rank(w));
    out
}

fn rank(word: &str) -> usize {
    const ORDER: &[&str] = &["`,`", "a new line", "`]`", "`)`", "`}`"];
    const LAST: &[&str] = &["`in`", "`and`", "`or`", "a comparison operator"];
    match ORDER.iter().position(|w| *w == word) {
        Some(i) => 1 + i,
        None if LAST.contains(&word) => 10 + LAST.iter().position(|w| *w == word).unwrap_or(0),
        None => 0,
    }
}

fn word(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::colon => "`:`",
        Rule::block_open | Rule::block => "`{`",
        Rule::block_close => "`}`",
        Rule::comma => "`,`",
        Rule::line_break => "a new line",
        Rule::list_open => "`[`",
        Rule::list_close => "`]`",
        Rule::paren_open | Rule::call_args => "`(`",
        Rule::paren_close => "`)`",
        Rule::value => "a value",
        Rule::operand
        | Rule::when_expr
        | Rule::or_expr
        | Rule::or_expr_n
        | Rule::and_expr
        | Rule::and_expr_n => "an operand",
        Rule::not_expr | Rule::not_expr_n | Rule::cmp_expr | Rule::cmp_expr_n | Rule::attr_path => {
            "an operand"
        }
        Rule::string | Rule::title => "a string",
        Rule::number => "a number",
        Rule::decl_name => "an id",
        Rule::key | Rule::property | Rule::when_key | Rule::entry_strict => "a property name",
        Rule::ident => "an id",
        Rule::reference | Rule::flow_end | Rule::parent => "an id",
        Rule::threat_ref => "a threat id",
        Rule::kw_in => "`in`",
        Rule::arrow => "`->` or `<->`",
        Rule::compare_op => "a comparison operator",
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_not => "`not`",
        Rule::path => "a module path such as `std::stride`",
        Rule::path_sep => "`::`",
        Rule::at => "`@`",
        Rule::reverse => "`.reverse`",
        Rule::use_item => "`use`",
        Rule::decl_kw
        | Rule::kw_flow
        | Rule::kw_accept
        | Rule::kw_disposition
        | Rule::kw_use
        | Rule::item_strict
        | Rule::decl_strict
        | Rule::flow_strict
        | Rule::accept_strict
        | Rule::disposition_strict => "a declaration",
        _ => return None,
    })
}

fn join_or(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The identifier-like word at `pos` (empty if none).
pub(crate) fn word_at(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    &rest[..len]
}

/// The token just before `pos` on its line, skipping spaces.
fn previous_token(text: &str, pos: usize) -> &str {
    let before = text.get(..pos).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before[line_start..].trim_end_matches([' ', '\t']);
    if line.is_empty() {
        return "";
    }
    if line.ends_with('"') {
        return "\"";
    }
    let word_len = line
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if word_len > 0 {
        return &line[line.len() - word_len..];
    }
    let last = line.chars().next_back().map_or(0, char::len_utf8);
    &line[line.len() - last..]
}

/// The token where a parse failed, for "found ...".
struct Found<'a> {
    text: &'a str,
    range: (usize, usize),
    is_line_end: bool,
    is_eof: bool,
    is_compare: bool,
}

impl<'a> Found<'a> {
    fn at(text: &'a str, pos: usize) -> Found<'a> {
        let pos = pos.min(text.len());
        let rest = &text[pos..];
        let bytes = rest.as_bytes();
        let len = match bytes.first() {
            None | Some(b'\n') => 0,
            Some(b) if b.is_ascii_alphanumeric() || *b == b'_' => bytes
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'.')
                .count(),
            Some(b'"') => {
                let line = rest.find('\n').unwrap_or(rest.len());
                rest[1..line].find('"').map_or(line, |i| i + 2)
            }
            Some(_) => {
                const PUNCT: &[&str] = &["<->", "->", "::", "==", "!=", "<=", ">=", "//", "/*"];
                PUNCT.iter().find(|p| rest.starts_with(*p)).map_or_else(
                    || rest.chars().next().map_or(0, char::len_utf8),
                    |p| p.len(),
                )
            }
        };
        let token = &rest[..len];
        Found {
            text: token,
            range: (pos, pos + len),
            is_line_end: len == 0,
            is_eof: pos >= text.len(),
            is_compare: ["==", "!=", "<=", ">=", "<", ">"].contains(&token),
        }
    }

    fn describe(&self) -> String {
        if self.is_line_end {
            return if self.is_eof {
                "the end of the file".into()
            } else {
                "the end of the line".into()
            };
        }
        if self.text.starts_with('"') {
            return "a string".into();
        }
        if self.text == " " || self.text == "\t" {
            return "a space".into();
        }
        // Control characters (a NUL byte, say) are invisible in a terminal:
        // show them escaped.
        let mut shown = String::new();
        for c in self.text.chars().take(40) {
            if c.is_control() {
                shown.extend(c.escape_default());
            } else {
                shown.push(c);
            }
        }
        format!("`{shown}`")
    }
}

/// Levenshtein distance, for did-you-mean.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use ward_diagnostics::FileId;

    #[test]
    fn control_characters_are_shown_escaped() {
        // Found by tests/adversarial.rs: a NUL byte printed as-is.
        let parse = crate::parse("zone z\0 {}\n", FileId(0));
        let messages: Vec<&str> = parse.errors.iter().map(|e| e.message.as_str()).collect();
        assert!(
            messages.iter().any(|m| m.contains("found `\\u{0}`")),
            "{messages:?}"
        );
    }
}
