//! `ward.xlsx`: an "About" sheet, then one sheet per register the build
//! has ([`Tables::keys`]), so a register added there gets its sheet, then
//! "Out of scope" when the model leaves elements or flows out. Cells are the tables' own texts, neutralised as in the CSVs
//! (`escape::csv_neutral`), and always written as strings, never formulas.
//! Deterministic: fixed zip timestamps (rust_xlsxwriter's) and a creation
//! date from `as_of`, never the clock.

use std::collections::HashMap;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Url, Workbook, Worksheet, XlsxError,
};
use ward_diagnostics::{Code, Diagnostic};

use crate::escape::csv_neutral;
use crate::palette::{rgb, risk_level_of, PALETTE};
use crate::tables::{Table, Tables};
use ward_view::OutOfScope;

pub const XLSX_FILE: &str = "ward.xlsx";

/// Rows a sheet holds below its header row (Excel's 1,048,576 in all).
pub const MAX_SHEET_ROWS: usize = 1_048_575;
/// Characters (UTF-16 units) a cell holds; longer texts are cut.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Hyperlinks Excel keeps per sheet; further cells are plain text.
pub const MAX_LINKS_PER_SHEET: usize = 65_530;
/// Widest column, in characters.
const MAX_COLUMN_WIDTH: usize = 60;
const TRUNCATED: &str = " [truncated: full text in the CSV]";

/// What the "About" sheet states.
pub(crate) struct About<'a> {
    pub system_id: &'a str,
    pub system_title: &'a str,
    pub version: &'a str,
    pub stage: &'a str,
    pub judged_on: &'a str,
    pub verdict: &'a str,
    pub source_hash: &'a str,
    pub as_of: Option<&'a str>,
    pub tool_version: &'a str,
}

/// How a cell finds the row it links to.
enum Lookup {
    /// The first item of the cell's comma list (`a, b` links to `a`).
    FirstItem,
    /// The control of the row: the source table is indexed like
    /// `model.controls`.
    ControlOfRow,
}

/// How a target table's rows are keyed.
enum RowKey {
    /// By a column's text; the first row with a text wins.
    Column(&'static str),
    /// By control id: the table is indexed like `model.controls`.
    Control,
}

/// A link from a column of one register to a row of another: threat to
/// control to verification, and back.
struct Link {
    from: &'static str,
    column: &'static str,
    lookup: Lookup,
    to: &'static str,
    key: RowKey,
}

const LINKS: &[Link] = &[
    // A threat to its controls, and to its traceability rows (controls and verifications).
    Link {
        from: "risk_register",
        column: "id",
        lookup: Lookup::FirstItem,
        to: "traceability",
        key: RowKey::Column("threat"),
    },
    Link {
        from: "risk_register",
        column: "controls",
        lookup: Lookup::FirstItem,
        to: "control_requirements",
        key: RowKey::Control,
    },
    // A control to the threats it mitigates and to its verifications.
    Link {
        from: "control_requirements",
        column: "mitigates",
        lookup: Lookup::FirstItem,
        to: "risk_register",
        key: RowKey::Column("id"),
    },
    Link {
        from: "control_requirements",
        column: "verifications",
        lookup: Lookup::ControlOfRow,
        to: "traceability",
        key: RowKey::Column("control"),
    },
    Link {
        from: "traceability",
        column: "threat",
        lookup: Lookup::FirstItem,
        to: "risk_register",
        key: RowKey::Column("id"),
    },
    Link {
        from: "traceability",
        column: "control",
        lookup: Lookup::FirstItem,
        to: "control_requirements",
        key: RowKey::Control,
    },
    Link {
        from: "safety_transfer",
        column: "threat",
        lookup: Lookup::FirstItem,
        to: "risk_register",
        key: RowKey::Column("id"),
    },
];

/// The sheet of a register: `risk_register` is "Risk register".
pub fn sheet_name(key: &str) -> String {
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    let name: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    // Excel's limit on a sheet name.
    name.chars().take(31).collect()
}

/// `YYYY-MM-DD` (`as_of`) as a date; else 1980-01-01, the zip epoch.
fn creation_date(as_of: Option<&str>) -> ExcelDateTime {
    let parsed = as_of.and_then(|d| {
        let mut parts = d.splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        ExcelDateTime::from_ymd(year, month, day).ok()
    });
    parsed
        .unwrap_or_else(|| ExcelDateTime::from_ymd(1980, 1, 1).expect("1980-01-01 is a valid date"))
}

/// A cell's text as written: neutralised like the CSV's, and cut to what a
/// cell holds.
fn cell_text(raw: &str) -> String {
    let text = csv_neutral(raw);
    if text.encode_utf16().count() <= MAX_CELL_CHARS {
        return text.into_owned();
    }
    let budget = MAX_CELL_CHARS - TRUNCATED.len();
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        used += c.len_utf16();
        if used > budget {
            break;
        }
        out.push(c);
    }
    out.push_str(TRUNCATED);
    out
}

fn failed(e: XlsxError) -> Diagnostic {
    Diagnostic::error_without_location(Code::E0612, format!("cannot write `{XLSX_FILE}`: {e}"))
}

/// The formats of the workbook, made once.
struct Formats {
    header: Format,
    risk: HashMap<&'static str, Format>,
    gap: Format,
    label: Format,
}

impl Formats {
    fn new() -> Formats {
        let fill = |hex: &str| Format::new().set_background_color(Color::RGB(rgb(hex)));
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(rgb(PALETTE.line)))
                .set_border_bottom(FormatBorder::Thin),
            risk: ward_model::RiskLevel::ALL
                .iter()
                .map(|&r| (r.as_str(), fill(PALETTE.risk(r))))
                .collect(),
            gap: fill(PALETTE.gap).set_bold(),
            label: Format::new().set_bold(),
        }
    }

    /// The report's colour for a cell: risk levels, and `GAP:` cells.
    fn of(&self, cell: &str) -> Option<&Format> {
        if cell.starts_with("GAP:") {
            return Some(&self.gap);
        }
        risk_level_of(cell).and_then(|r| self.risk.get(r.as_str()))
    }
}

/// The registers that become sheets, in [`Tables::keys`] order.
fn registers(tables: &Tables) -> Vec<(&'static str, &Table)> {
    tables
        .keys()
        .filter_map(|key| tables.get(key).map(|t| (key, t)))
        .collect()
}

/// Each target's rows by key: `(table, key)` to the row index of each text.
fn row_index<'t>(
    table: &'t Table,
    key: &RowKey,
    controls: &'t [String],
) -> HashMap<&'t str, usize> {
    let mut index = HashMap::new();
    match key {
        RowKey::Column(column) => {
            if let Some(c) = table.columns.iter().position(|col| col.key == *column) {
                for (i, row) in table.rows.iter().enumerate() {
                    index.entry(row[c].as_str()).or_insert(i);
                }
            }
        }
        RowKey::Control => {
            for (i, name) in controls.iter().enumerate().take(table.rows.len()) {
                index.entry(name.as_str()).or_insert(i);
            }
        }
    }
    index
}

/// The key of the sheet of out-of-scope elements and flows ("Out of
/// scope"), which is not a register of the build.
const OUT_OF_SCOPE_KEY: &str = "out_of_scope";

/// The elements and flows the model leaves out, with the report's columns.
fn out_of_scope_table(items: &[OutOfScope]) -> Table {
    let mut table = Table::new(&[
        ("id", "Id"),
        ("declaration", "Declaration"),
        ("title", "Title"),
        ("reason", "Reason"),
    ]);
    table.rows = items
        .iter()
        .map(|o| {
            [o.name, o.declaration, o.title, o.reason]
                .map(String::from)
                .to_vec()
        })
        .collect();
    table
}

/// E0612 when a register has more rows than a sheet holds.
fn too_long(key: &str, rows: usize) -> Option<Diagnostic> {
    (rows > MAX_SHEET_ROWS).then(|| {
        Diagnostic::error_without_location(
            Code::E0612,
            format!(
                "cannot write `{XLSX_FILE}`: the sheet `{}` would have {rows} rows; a sheet holds {MAX_SHEET_ROWS} below its header",
                sheet_name(key)
            ),
        )
        .with_help("turn `xlsx` off for this model and use the CSV registers, which have no row limit")
    })
}

/// The workbook's bytes. `controls` are the control ids, in model order
/// (the control requirements' rows); `out_of_scope` the elements and flows
/// the model leaves out (a sheet when there are any).
pub(crate) fn workbook(
    tables: &Tables,
    controls: &[String],
    out_of_scope: &[OutOfScope],
    about: &About,
) -> Result<Vec<u8>, Diagnostic> {
    let registers = registers(tables);
    let out_of_scope = (!out_of_scope.is_empty()).then(|| out_of_scope_table(out_of_scope));
    if let Some(e) = registers
        .iter()
        .map(|(key, t)| (*key, *t))
        .chain(out_of_scope.as_ref().map(|t| (OUT_OF_SCOPE_KEY, t)))
        .find_map(|(key, t)| too_long(key, t.rows.len()))
    {
        return Err(e);
    }
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let properties = DocProperties::new()
        .set_title(cell_text(&format!(
            "{} threat model registers",
            about.system_title
        )))
        .set_subject(cell_text(&format!("{} {}", about.system_id, about.version)))
        .set_comment(format!("sources sha256 {}", about.source_hash))
        .set_creation_datetime(&creation_date(about.as_of));
    workbook.set_properties(&properties);

    let names: Vec<(&str, String)> = registers
        .iter()
        .map(|(k, _)| *k)
        .chain(out_of_scope.as_ref().map(|_| OUT_OF_SCOPE_KEY))
        .map(|k| (k, sheet_name(k)))
        .collect();
    about_sheet(workbook.add_worksheet(), about, &names, &formats).map_err(failed)?;

    let indexes: HashMap<(&str, usize), HashMap<&str, usize>> = LINKS
        .iter()
        .enumerate()
        .filter_map(|(i, link)| {
            let target = tables.get(link.to)?;
            Some(((link.to, i), row_index(target, &link.key, controls)))
        })
        .collect();
    for (key, table) in &registers {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(key)).map_err(failed)?;
        let links: Vec<(usize, Vec<Option<String>>)> = LINKS
            .iter()
            .enumerate()
            .filter(|(_, link)| link.from == *key)
            .filter_map(|(i, link)| {
                let column = table.columns.iter().position(|c| c.key == link.column)?;
                let index = indexes.get(&(link.to, i))?;
                let to = sheet_name(link.to);
                let targets = table
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(r, row)| {
                        let wanted = match link.lookup {
                            Lookup::FirstItem => row[column].split(", ").next().unwrap_or(""),
                            Lookup::ControlOfRow => controls.get(r).map_or("", String::as_str),
                        };
                        index
                            .get(wanted)
                            .map(|&target| format!("internal:'{to}'!A{}", target + 2))
                    })
                    .collect();
                Some((column, targets))
            })
            .collect();
        register_sheet(sheet, table, &links, &formats).map_err(failed)?;
    }
    if let Some(table) = &out_of_scope {
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(sheet_name(OUT_OF_SCOPE_KEY))
            .map_err(failed)?;
        register_sheet(sheet, table, &[], &formats).map_err(failed)?;
    }
    workbook.save_to_buffer().map_err(failed)
}

fn about_sheet(
    sheet: &mut Worksheet,
    about: &About,
    registers: &[(&str, String)],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("About")?;
    let rows: [(&str, String); 9] = [
        ("System", about.system_id.to_string()),
        ("Title", about.system_title.to_string()),
        ("Version", about.version.to_string()),
        ("Stage", about.stage.to_string()),
        ("Judged on", format!("{} residual risk", about.judged_on)),
        ("Verdict", about.verdict.to_string()),
        ("Sources sha256", about.source_hash.to_string()),
        ("As of", about.as_of.unwrap_or("not stated").to_string()),
        ("Generated by", format!("ward {}", about.tool_version)),
    ];
    for (r, (label, value)) in rows.iter().enumerate() {
        sheet.write_string_with_format(r as u32, 0, *label, &formats.label)?;
        sheet.write_string(r as u32, 1, cell_text(value))?;
    }
    let first = rows.len() as u32 + 1;
    sheet.write_string_with_format(first, 0, "Registers", &formats.label)?;
    for (i, (_, name)) in registers.iter().enumerate() {
        let url = Url::new(format!("internal:'{name}'!A1")).set_text(name.clone());
        sheet.write_url(first + i as u32, 1, url)?;
    }
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 90)?;
    Ok(())
}

/// One register: frozen header, filter, widths, colours, links.
fn register_sheet(
    sheet: &mut Worksheet,
    table: &Table,
    links: &[(usize, Vec<Option<String>>)],
    formats: &Formats,
) -> Result<(), XlsxError> {
    let columns = table.columns.len();
    for (c, column) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, column.title, &formats.header)?;
    }
    let mut widths: Vec<usize> = table
        .columns
        .iter()
        .map(|c| c.title.chars().count())
        .collect();
    let link_of: HashMap<usize, &Vec<Option<String>>> =
        links.iter().map(|(c, targets)| (*c, targets)).collect();
    let mut linked = 0;
    for (r, row) in table.rows.iter().enumerate() {
        let at = r as u32 + 1;
        for (c, raw) in row.iter().enumerate() {
            let text = cell_text(raw);
            widths[c] = widths[c].max(text.chars().count());
            let target = link_of.get(&c).and_then(|t| t[r].as_ref());
            match target {
                Some(target) if linked < MAX_LINKS_PER_SHEET && !text.is_empty() => {
                    linked += 1;
                    sheet.write_url(at, c as u16, Url::new(target.clone()).set_text(text))?;
                }
                _ => {
                    match formats.of(raw) {
                        Some(format) => {
                            sheet.write_string_with_format(at, c as u16, text, format)?
                        }
                        None => sheet.write_string(at, c as u16, text)?,
                    };
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    if columns > 0 {
        sheet.autofilter(0, 0, table.rows.len() as u32, columns as u16 - 1)?;
    }
    for (c, width) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (*width).clamp(8, MAX_COLUMN_WIDTH) as f64 + 2.0)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_come_from_the_register_keys() {
        assert_eq!(sheet_name("risk_register"), "Risk register");
        assert_eq!(sheet_name("control_requirements"), "Control requirements");
        assert_eq!(sheet_name(&"x".repeat(40)).chars().count(), 31);
    }

    #[test]
    fn cells_are_neutralised_like_the_csv_and_cut_to_a_cells_size() {
        assert_eq!(cell_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell_text("-1"), "'-1");
        assert_eq!(cell_text("a\u{202e}b"), "a<U+202E>b");
        let long = cell_text(&"é".repeat(40_000));
        assert_eq!(long.encode_utf16().count(), MAX_CELL_CHARS);
        assert!(long.ends_with(TRUNCATED));
    }

    #[test]
    fn a_register_longer_than_a_sheet_is_e0612() {
        assert!(too_long("traceability", MAX_SHEET_ROWS).is_none());
        let e = too_long("traceability", MAX_SHEET_ROWS + 1).expect("E0612");
        assert_eq!(e.code, Code::E0612);
        assert!(
            e.message.contains("`Traceability` would have 1048576 rows"),
            "{}",
            e.message
        );
    }

    #[test]
    fn the_creation_date_is_as_of_or_fixed() {
        let date = |y, m, d| ExcelDateTime::from_ymd(y, m, d).unwrap().to_excel();
        assert_eq!(
            creation_date(Some("2026-11-30")).to_excel(),
            date(2026, 11, 30)
        );
        assert_eq!(creation_date(None).to_excel(), date(1980, 1, 1));
        assert_eq!(creation_date(Some("garbage")).to_excel(), date(1980, 1, 1));
    }

    #[test]
    fn every_link_names_registers_that_exist() {
        let names: Vec<&str> = crate::tables::TABLE_KEYS.to_vec();
        for link in LINKS {
            assert!(
                names.contains(&link.from) && names.contains(&link.to),
                "{}",
                link.from
            );
        }
    }
}
