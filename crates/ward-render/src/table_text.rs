//! The tables as Markdown, CSV and HTML, written directly: the template
//! functions `table_md`, `table_csv`, `table_html`, `risk_register_html`
//! and `findings_html`. Their output is byte for byte what the partials
//! `_table.md`, `_table.csv` and `_table.html` (and the report's register
//! loop) give, which a test checks, at a fraction of the cost: a template
//! loop looks up every cell by name, and on a large model the tables are
//! hundreds of megabytes.

use std::fmt::Write as _;

use crate::doc::DiagnosticDoc;
use crate::escape::{csv_neutral, html, html_code_spans, markdown_cell};
use crate::report::RegisterFilter;
use crate::tables::Table;

/// As `_table.md`: a header row, a separator row, a row per table row.
pub fn markdown(table: &Table) -> String {
    let mut out = String::with_capacity(estimate(table));
    out.push('|');
    for c in &table.columns {
        let _ = write!(out, " {} |", markdown_cell(c.title));
    }
    out.push_str("\n|");
    for _ in &table.columns {
        out.push_str(" --- |");
    }
    out.push('\n');
    for (r, row) in table.rows.iter().enumerate() {
        out.push('|');
        for (c, cell) in row.iter().enumerate() {
            out.push(' ');
            match table.links_at(r, c) {
                Some(links) if !links.is_empty() => {
                    for (i, link) in links.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        // The URL is Ward's own (a MITRE page), never model text.
                        let _ = write!(out, "[{}]({})", markdown_cell(&link.label), link.url);
                    }
                }
                _ => out.push_str(&markdown_cell(cell)),
            }
            out.push_str(" |");
        }
        out.push('\n');
    }
    out.push('\n');
    out
}

/// As `_table.csv`: a header line, a line per row, each field neutralised
/// and quoted as [`crate::escape::csv_field`] does, through one writer for the table.
pub fn csv(table: &Table) -> String {
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(estimate(table)));
    let mut record = |cells: &mut dyn Iterator<Item = &str>| {
        // Every table has several columns: a record of one empty field,
        // which the writer would quote, never occurs.
        let fields: Vec<_> = cells.map(csv_neutral).collect();
        writer
            .write_record(fields.iter().map(|f| f.as_bytes()))
            .expect("writing to memory cannot fail");
    };
    record(&mut table.columns.iter().map(|c| c.title));
    for row in &table.rows {
        record(&mut row.iter().map(String::as_str));
    }
    let mut bytes = writer.into_inner().expect("writing to memory cannot fail");
    bytes.push(b'\n');
    String::from_utf8(bytes).expect("csv keeps UTF-8")
}

/// How a table is shown in the report.
pub struct HtmlTable<'a> {
    /// The `id` of the `<table>`.
    pub id: Option<&'a str>,
    /// Cells starting `GAP:` get `class="gap"`.
    pub mark_gaps: bool,
    /// `data-` attributes of each row (the register's filters).
    pub filters: Option<&'a [RegisterFilter]>,
    /// Shown instead of an empty table.
    pub empty_note: &'a str,
}

/// As `_table.html` (and the report's register, with `filters`): risk
/// levels get their colour class, gaps theirs.
pub fn html_table(table: &Table, how: &HtmlTable) -> String {
    if table.rows.is_empty() {
        return format!("<p class=\"note\">{}</p>\n", html(how.empty_note));
    }
    let mut out = String::with_capacity(estimate(table) * 2);
    out.push_str("<div class=\"table-wrap\"><table class=\"data\"");
    if let Some(id) = how.id {
        let _ = write!(out, " id=\"{}\"", html(id));
    }
    out.push_str(">\n<thead><tr>");
    for c in &table.columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", html(c.title));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (index, row) in table.rows.iter().enumerate() {
        match how.filters.and_then(|f| f.get(index)) {
            Some(f) => {
                let _ = write!(
                    out,
                    "<tr data-stride=\"{}\" data-risk=\"{}\" data-controlled=\"{}\">",
                    html(&f.stride),
                    html(&f.risk),
                    html(&f.controlled)
                );
            }
            None => out.push_str("<tr>"),
        }
        for (c, cell) in row.iter().enumerate() {
            out.push_str("<td");
            if how.mark_gaps && cell.chars().take(4).eq("GAP:".chars()) {
                out.push_str(" class=\"gap\"");
            } else if crate::palette::risk_level_of(cell).is_some() {
                let _ = write!(out, " class=\"risk-{}\"", html(cell));
            }
            out.push('>');
            match table.links_at(index, c) {
                Some(links) if !links.is_empty() => {
                    for (i, link) in links.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        let _ = write!(
                            out,
                            "<a href=\"{}\" rel=\"noopener\">{}</a>",
                            html(&link.url),
                            html(&link.label)
                        );
                    }
                }
                _ => out.push_str(&html(cell)),
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

/// The report's findings table: code, severity, location, and the message
/// with its help and notes (`code` spans kept), as the report's loop over
/// `doc.diagnostics` writes it.
pub fn findings_html(diagnostics: &[DiagnosticDoc]) -> String {
    if diagnostics.is_empty() {
        return "<p>No findings.</p>".into();
    }
    let mut out = String::with_capacity(diagnostics.len() * 400);
    out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Severity</th><th scope=\"col\">Location</th><th scope=\"col\">Finding</th></tr></thead>\n<tbody>\n");
    for d in diagnostics {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td class=\"severity-{}\">{}</td><td>",
            html(&d.code),
            html(&d.severity),
            html(&d.severity)
        );
        if let Some(l) = &d.location {
            let _ = write!(
                out,
                "<code>{}:{}:{}</code>",
                html(&l.file),
                l.line,
                l.column
            );
        }
        out.push_str("</td><td>");
        out.push_str(&html_code_spans(&d.message));
        if let Some(help) = &d.help {
            let _ = write!(
                out,
                "<br><span class=\"muted\">help: {}</span>",
                html_code_spans(help)
            );
        }
        for note in &d.notes {
            let _ = write!(
                out,
                "<br><span class=\"muted\">note: {}</span>",
                html_code_spans(note)
            );
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table></div>");
    out
}

/// Bytes to reserve: the cells plus a few per cell.
fn estimate(table: &Table) -> usize {
    table
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.len() + 4).sum::<usize>())
        .sum::<usize>()
        + 256
}
