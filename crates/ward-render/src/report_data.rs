//! The report's data island: every table row, finding and drawing the
//! report's script shows, once, in a compact JSON form (`<script
//! type="application/json">`, which the browser never executes). Cell texts
//! are interned in one string table and rows are arrays of its indexes, so
//! a text repeated across rows and tables (a risk level, a component, a
//! threat id) is written once. The script draws the tables from it lazily,
//! a page at a time, so a 10,000-threat report opens as fast as a small one.
//! An island larger than [`DEFLATE_ABOVE`] is written deflated: a JSON
//! string holding the zlib stream in base64, which the script inflates with
//! the browser's own `DecompressionStream` (a 10,000-component report is
//! 15 MB instead of 110 MB, and still one file that works offline).

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use flate2::{write::ZlibEncoder, Compression};

use serde::Serialize;
use ward_analysis::Analysis;
use ward_model::{Model, RiskLevel};
use ward_view::{ThreatStatus, View};

use crate::doc::DiagnosticDoc;
use crate::escape::base64;
use crate::report::ViewEntry;
use crate::tables::{Table, Tables};

/// The register's columns shown without opening a row, in this order; the
/// others are in the row's details.
pub const REGISTER_KEY_COLUMNS: [&str; 9] = [
    "id",
    "title",
    "initial_risk",
    "residual_risk_planned",
    "residual_risk_verified",
    "controls",
    "controlled",
    "acceptance",
    "status",
];

/// Texts in first-use order; each written once.
#[derive(Default)]
struct Strings<'a> {
    texts: Vec<&'a str>,
    index: HashMap<&'a str, u32>,
}

impl<'a> Strings<'a> {
    fn id(&mut self, text: &'a str) -> u32 {
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        let i = u32::try_from(self.texts.len()).expect("fewer than 4 billion distinct texts");
        self.texts.push(text);
        self.index.insert(text, i);
        i
    }
}

/// A table as the island holds it: `[key, title]` per column, and each row
/// as string indexes.
#[derive(Serialize)]
struct TableData<'a> {
    columns: Vec<[&'a str; 2]>,
    rows: Vec<Vec<u32>>,
    /// Per link column (by key), per row, `[label, url]` string indexes:
    /// the script shows those cells as links.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    links: BTreeMap<&'a str, Vec<Vec<[u32; 2]>>>,
}

fn table_data<'a>(strings: &mut Strings<'a>, table: &'a Table) -> TableData<'a> {
    TableData {
        columns: table.columns.iter().map(|c| [c.key, c.title]).collect(),
        rows: table
            .rows
            .iter()
            .map(|row| row.iter().map(|cell| strings.id(cell)).collect())
            .collect(),
        links: table
            .links
            .iter()
            .map(|l| {
                let rows = l
                    .rows
                    .iter()
                    .map(|refs| {
                        refs.iter()
                            .map(|r| [strings.id(&r.label), strings.id(&r.url)])
                            .collect()
                    })
                    .collect();
                (table.columns[l.column].key, rows)
            })
            .collect(),
    }
}

/// A note or help line that tells the reader to run a command: meaningful
/// on a terminal, not in a submission document.
fn is_command_hint(text: &str) -> bool {
    text.starts_with("`ward ")
}

/// `[code, severity, location, message, help, [notes]]`, texts as string
/// indexes (location and help may be null).
type FindingData = (u32, u32, Option<String>, u32, Option<u32>, Vec<u32>);

fn finding_data<'a>(strings: &mut Strings<'a>, d: &'a DiagnosticDoc) -> FindingData {
    let location = d
        .location
        .as_ref()
        .map(|l| format!("{}:{}:{}", l.file, l.line, l.column));
    let help = d.help.as_deref().filter(|h| !is_command_hint(h));
    let notes = d
        .notes
        .iter()
        .filter(|n| !is_command_hint(n))
        .map(|n| strings.id(n))
        .collect();
    (
        strings.id(&d.code),
        strings.id(&d.severity),
        location,
        strings.id(&d.message),
        help.map(|h| strings.id(h)),
        notes,
    )
}

#[derive(Serialize)]
struct Island<'a> {
    strings: Vec<&'a str>,
    risk_levels: Vec<&'static str>,
    /// The register column acceptability is judged on.
    judged_column: &'static str,
    key_columns: [&'static str; 9],
    statuses: Vec<&'static str>,
    tables: BTreeMap<&'static str, TableData<'a>>,
    /// Register rows, highest risk first (the default order).
    register_order: Vec<usize>,
    /// Per register row: an index into `statuses`.
    register_status: Vec<usize>,
    /// Per control-requirements row: the control's name (string index).
    control_names: Vec<u32>,
    verification_names: Vec<u32>,
    /// Per view, its inline SVG (drawn when the view is opened).
    svgs: Vec<Option<&'a str>>,
}

/// The findings, in an island of their own with their own string table:
/// the script parses it only when the findings are first shown (on a large
/// model they are the largest part of the data).
#[derive(Serialize)]
struct FindingsIsland<'a> {
    strings: Vec<&'a str>,
    findings: Vec<FindingData>,
}

/// The report's two islands as JSON: the registers, views and link targets
/// (`data`), and the findings.
pub struct Islands {
    pub data: String,
    pub findings: String,
}

/// JSON safe inside `<script type="application/json">`: no `<` appears (it
/// is written `\u003c`), so nothing can close the element, and no hidden
/// character (bidi override, zero-width, C1 control) appears raw, so the
/// file holds no Trojan Source text either. Both can only occur inside JSON
/// strings, where a `\uXXXX` escape means the same character.
fn script_json(value: &impl Serialize) -> String {
    let text = serde_json::to_string(value).expect("the island serialises");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '<' || crate::escape::is_hidden(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Islands up to this size stay plain JSON, readable in the file (the
/// example's whole report is about 200 KB); larger ones are deflated.
pub const DEFLATE_ABOVE: usize = 1 << 20;

/// The island as written: its JSON, or above [`DEFLATE_ABOVE`] a JSON
/// string of the JSON deflated (zlib) and base64-encoded. Base64 has no `<`
/// and no hidden character, so the result stays safe in a `<script>`.
fn island_text(json: String) -> String {
    if json.len() <= DEFLATE_ABOVE {
        return json;
    }
    // Level 6 (zlib's default): within 4% of level 9's size at a quarter of its time.
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(json.len() / 6), Compression::new(6));
    encoder
        .write_all(json.as_bytes())
        .expect("deflating into memory cannot fail");
    let bytes = encoder.finish().expect("deflating into memory cannot fail");
    format!("\"{}\"", base64(&bytes))
}

pub fn islands(
    model: &Model,
    analysis: &Analysis,
    view: &View,
    tables: &Tables,
    findings: &[DiagnosticDoc],
    views: &[ViewEntry],
) -> Islands {
    let (findings, data) = rayon::join(
        || findings_island(findings),
        || data_island(model, analysis, view, tables, views),
    );
    Islands { data, findings }
}

/// The findings island's text.
fn findings_island(findings: &[DiagnosticDoc]) -> String {
    let mut finding_strings = Strings::default();
    let findings = FindingsIsland {
        findings: findings
            .iter()
            .map(|d| finding_data(&mut finding_strings, d))
            .collect(),
        strings: Vec::new(),
    };
    island_text(script_json(&FindingsIsland {
        strings: finding_strings.texts,
        ..findings
    }))
}

/// The registers' island's text.
fn data_island(
    model: &Model,
    analysis: &Analysis,
    view: &View,
    tables: &Tables,
    views: &[ViewEntry],
) -> String {
    let mut strings = Strings::default();
    let mut table_values = BTreeMap::new();
    for key in tables.keys() {
        let table = tables.get(key).expect("every key names a table");
        table_values.insert(key, table_data(&mut strings, table));
    }
    let control_names = model
        .controls
        .iter()
        .map(|c| strings.id(&c.meta.name))
        .collect();
    let verification_names = model
        .verifications
        .iter()
        .map(|v| strings.id(&v.meta.name))
        .collect();
    let island = Island {
        risk_levels: RiskLevel::ALL.iter().map(|r| r.as_str()).collect(),
        judged_column: match view.judged_on {
            ward_analysis::JudgedOn::Planned => "residual_risk_planned",
            ward_analysis::JudgedOn::Verified => "residual_risk_verified",
        },
        key_columns: REGISTER_KEY_COLUMNS,
        statuses: ThreatStatus::ALL.iter().map(|s| s.as_str()).collect(),
        tables: table_values,
        register_order: ward_view::by_risk(analysis),
        register_status: analysis
            .threats
            .iter()
            .map(|t| ThreatStatus::of(t).index())
            .collect(),
        control_names,
        verification_names,
        svgs: views.iter().map(|v| v.svg.as_deref()).collect(),
        strings: Vec::new(),
    };
    let island = Island {
        strings: strings.texts,
        ..island
    };
    island_text(script_json(&island))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_island_escapes_what_could_close_it_or_hide_text() {
        let json = script_json(&["</script>", "a\u{202e}b", "\u{9b}\u{200b}"]);
        assert_eq!(json, r#"["\u003c/script>","a\u202eb","\u009b\u200b"]"#);
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ["</script>", "a\u{202e}b", "\u{9b}\u{200b}"]);
    }

    #[test]
    fn a_large_island_is_deflated_and_inflates_back_to_its_json() {
        use std::io::Read;
        let small = script_json(&["pump"; 10]);
        assert_eq!(
            island_text(small.clone()),
            small,
            "a small island stays plain"
        );
        let rows: Vec<String> = (0..100_000).map(|i| format!("threat-{i}")).collect();
        let large = script_json(&rows);
        assert!(large.len() > DEFLATE_ABOVE);
        let text = island_text(large.clone());
        assert!(
            text.len() < large.len() / 4,
            "{} of {}",
            text.len(),
            large.len()
        );
        let encoded: String = serde_json::from_str(&text).expect("a JSON string");
        assert!(encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)));
        let mut inflated = String::new();
        flate2::read::ZlibDecoder::new(&base64_decode(&encoded)[..])
            .read_to_string(&mut inflated)
            .unwrap();
        assert_eq!(inflated, large);
    }

    fn base64_decode(text: &str) -> Vec<u8> {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = Vec::new();
        let (mut acc, mut bits) = (0u32, 0);
        for b in text.bytes().filter(|&b| b != b'=') {
            let v = ALPHABET.iter().position(|&a| a == b).unwrap() as u32;
            acc = (acc << 6) | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        out
    }

    #[test]
    fn repeated_texts_are_interned_once() {
        let mut strings = Strings::default();
        assert_eq!(strings.id("review"), 0);
        assert_eq!(strings.id("pump"), 1);
        assert_eq!(strings.id("review"), 0);
        assert_eq!(strings.texts, ["review", "pump"]);
    }

    #[test]
    fn command_hints_are_recognised() {
        assert!(is_command_hint(
            "`ward check --explain-risk x` shows how it was derived"
        ));
        assert!(!is_command_hint("`x` is generated by rule `r`"));
    }
}
