//! Machine-applicable fixes: the edits a diagnostic proposes, found where
//! the problem is found (a did-you-mean, a missing comma, a missing
//! property), and applying them to a file's text. Editors turn them into
//! quick fixes; `ward check --fix` applies the [`Applicability::Safe`] ones.

use crate::{FileId, SourceMap, Span};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// How far a fix can be trusted to do what the author meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// Almost certainly what was meant (a did-you-mean whose candidate is
    /// the only closest one, a missing comma): `ward check --fix` applies it.
    Safe,
    /// Likely, but one choice among others (a did-you-mean with another
    /// candidate as close): editors offer it, `--fix` leaves it.
    Unsafe,
    /// Shows what to write but leaves part of it to the author (a required
    /// property inserted without a value, since any value would be a claim
    /// about the device): editors offer it as a template, never applied
    /// automatically.
    DisplayOnly,
}

/// Replace the text of `span` by `replacement` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    pub fn replace(span: Span, replacement: impl Into<String>) -> Edit {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }
    pub fn insert(file: FileId, at: usize, text: impl Into<String>) -> Edit {
        Edit::replace(Span::new(file, at, at), text)
    }
}

/// One way to resolve a diagnostic: its edits are applied together or not
/// at all.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    /// What the fix does, e.g. "Replace `pump_dose` with `pump_doses`".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(title: impl Into<String>, applicability: Applicability, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability,
            edits,
        }
    }

    /// The file all its edits are in; `None` for a fix over several files
    /// (or none), which is applied by editors only.
    pub fn file(&self) -> Option<FileId> {
        let file = self.edits.first()?.span.file;
        self.edits
            .iter()
            .all(|e| e.span.file == file)
            .then_some(file)
    }
}

/// The `fixes` field of a JSON diagnostic: positions as the diagnostic's
/// (1-based line and column), plus byte offsets into the text Ward read
/// (BOM dropped, CRLF read as LF).
pub(crate) fn fixes_json(sources: &SourceMap, fixes: &[Fix]) -> serde_json::Value {
    let edit_json = |edit: &Edit| {
        let mut json = crate::render::location(sources, edit.span);
        if let Some(fields) = json.as_object_mut() {
            fields.insert("start_byte".into(), json!(edit.span.start));
            fields.insert("end_byte".into(), json!(edit.span.end));
            fields.insert("replacement".into(), json!(edit.replacement));
        }
        json
    };
    fixes
        .iter()
        .map(|fix| {
            json!({
                "title": fix.title,
                "applicability": fix.applicability,
                "edits": fix.edits.iter().map(edit_json).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// What [`apply_fixes`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    /// Fixes applied.
    pub applied: usize,
    /// Fixes left out because an edit overlaps one of a fix applied before
    /// it, or does not fit the text; fixing again after a re-check may
    /// apply them.
    pub skipped: usize,
}

/// Applies `fixes` (all in one file) to `raw`, the file as it is on disk.
/// Their spans index the text Ward read from it ([`crate::normalize_text`]:
/// BOM dropped, CRLF read as LF); the offsets are mapped back, and inserted
/// line breaks follow the file's CRLF line ends. Fixes are taken in order of
/// position; one whose edits overlap an edit taken before (or insert at the
/// same place) is skipped. Edits are applied from the end of the text
/// backwards, so earlier offsets stay valid.
pub fn apply_fixes<'a>(raw: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> Applied {
    let layout = Layout::of(raw);
    let mut fixes: Vec<&Fix> = fixes.into_iter().collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| (e.span.start, e.span.end)).min());
    let mut taken: BTreeMap<u32, (u32, &str)> = BTreeMap::new();
    let mut skipped = 0;
    let mut applied = 0;
    for fix in fixes {
        let mut mine: BTreeMap<u32, (u32, &str)> = BTreeMap::new();
        let fits = !fix.edits.is_empty()
            && fix.edits.iter().all(|edit| {
                let (start, end) = (edit.span.start, edit.span.end);
                layout.fits(start as usize, end as usize)
                    && !overlaps(&taken, start, end)
                    && !overlaps(&mine, start, end)
                    && mine
                        .insert(start, (end, edit.replacement.as_str()))
                        .is_none()
            });
        if fits {
            taken.append(&mut mine);
            applied += 1;
        } else {
            skipped += 1;
        }
    }
    let mut text = raw.to_owned();
    for (&start, &(end, replacement)) in taken.iter().rev() {
        let range = layout.raw_offset(start as usize)..layout.raw_offset(end as usize);
        if layout.crlf {
            text.replace_range(range, &replacement.replace('\n', "\r\n"));
        } else {
            text.replace_range(range, replacement);
        }
    }
    Applied {
        text,
        applied,
        skipped,
    }
}

/// Whether `[start, end)` overlaps an edit in `taken`, or both insert at
/// the same offset (their order would be a guess).
fn overlaps(taken: &BTreeMap<u32, (u32, &str)>, start: u32, end: u32) -> bool {
    let before = taken
        .range(..=start)
        .next_back()
        .is_some_and(|(&s, &(e, _))| s == start || e > start);
    let within = taken.range(start..end.max(start + 1)).next().is_some();
    before || within
}

/// Where the text Ward read sits in the raw file text.
struct Layout {
    /// 3 when the file starts with a UTF-8 BOM.
    bom: usize,
    /// Offsets (in the read text) of each `\n` that was `\r\n` on disk.
    crlf_at: Vec<usize>,
    crlf: bool,
    read_len: usize,
    /// Char boundaries are checked in the read text.
    read: String,
}

impl Layout {
    fn of(raw: &str) -> Layout {
        let bom = if raw.starts_with('\u{feff}') { 3 } else { 0 };
        let crlf_at: Vec<usize> = raw[bom..]
            .match_indices("\r\n")
            .enumerate()
            .map(|(k, (at, _))| at - k)
            .collect();
        let read = crate::normalize_text(raw);
        Layout {
            bom,
            crlf: !crlf_at.is_empty(),
            crlf_at,
            read_len: read.len(),
            read,
        }
    }
    fn fits(&self, start: usize, end: usize) -> bool {
        start <= end
            && end <= self.read_len
            && self.read.is_char_boundary(start)
            && self.read.is_char_boundary(end)
    }
    fn raw_offset(&self, offset: usize) -> usize {
        self.bom + offset + self.crlf_at.partition_point(|&at| at < offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(start: usize, end: usize, text: &str) -> Fix {
        Fix::new(
            format!("replace {start}..{end}"),
            Applicability::Safe,
            vec![Edit::replace(Span::new(FileId(0), start, end), text)],
        )
    }

    #[test]
    fn edits_apply_from_the_end_whatever_the_order_given() {
        let text = "flow a -> b { carries: [pump_dose], protocl: ble }\n";
        let fixes = [replace(36, 43, "protocol"), replace(24, 33, "pump_doses")];
        let applied = apply_fixes(text, &fixes);
        assert_eq!(
            applied.text,
            "flow a -> b { carries: [pump_doses], protocol: ble }\n"
        );
        assert_eq!((applied.applied, applied.skipped), (2, 0));
    }

    #[test]
    fn overlapping_fixes_keep_the_first_and_skip_the_rest() {
        let text = "abcdef";
        let fixes = [
            replace(1, 4, "X"),
            replace(3, 5, "Y"),   // overlaps the first
            replace(4, 4, "+"),   // touches its end: no overlap
            replace(4, 4, "-"),   // a second insertion at the same place
            replace(0, 0, "<"),   // before everything
            replace(9, 12, "??"), // beyond the text
        ];
        let applied = apply_fixes(text, &fixes);
        assert_eq!(applied.text, "<aX+ef");
        assert_eq!((applied.applied, applied.skipped), (3, 3));
    }

    #[test]
    fn a_fix_is_applied_whole_or_not_at_all() {
        let both = Fix::new(
            "two edits",
            Applicability::Safe,
            vec![
                Edit::replace(Span::new(FileId(0), 0, 1), "A"),
                Edit::replace(Span::new(FileId(0), 2, 3), "C"),
            ],
        );
        let applied = apply_fixes("abcd", [&replace(2, 4, "Z"), &both]);
        // `both` comes first by position; the other overlaps its second edit.
        assert_eq!(applied.text, "AbCd");
        assert_eq!((applied.applied, applied.skipped), (1, 1));
    }

    #[test]
    fn offsets_are_bytes_and_multi_byte_text_stays_whole() {
        // "é", "→" and "ö" take 2, 3 and 2 bytes: spans count bytes.
        let text = "/// é → x\nzone z1 \"Zöne\" { trust: hihg }\n";
        let start = text.find("hihg").unwrap();
        let applied = apply_fixes(text, &[replace(start, start + 4, "high")]);
        assert_eq!(
            applied.text,
            "/// é → x\nzone z1 \"Zöne\" { trust: high }\n"
        );
        // An edit that would split a character is refused.
        let inside = text.find('é').unwrap() + 1;
        let applied = apply_fixes(text, &[replace(inside, inside, "x")]);
        assert_eq!((applied.text.as_str(), applied.skipped), (text, 1));
    }

    #[test]
    fn crlf_files_and_a_bom_keep_their_bytes() {
        let raw = "\u{feff}zone z1 {\r\n  trust: hihg\r\n}\r\n";
        let read = crate::normalize_text(raw);
        let start = read.find("hihg").unwrap();
        let end_of_line = start + 4;
        let fixes = [
            replace(start, start + 4, "high"),
            replace(end_of_line, end_of_line, "\n  physical_access: true"),
        ];
        let applied = apply_fixes(raw, &fixes);
        assert_eq!(
            applied.text,
            "\u{feff}zone z1 {\r\n  trust: high\r\n  physical_access: true\r\n}\r\n"
        );
    }

    #[test]
    fn a_fix_names_its_one_file() {
        assert_eq!(replace(0, 1, "x").file(), Some(FileId(0)));
        let two = Fix::new(
            "two files",
            Applicability::Safe,
            vec![
                Edit::insert(FileId(0), 0, "a"),
                Edit::insert(FileId(1), 0, "b"),
            ],
        );
        assert_eq!(two.file(), None);
    }
}
