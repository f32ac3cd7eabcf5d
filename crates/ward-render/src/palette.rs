//! The report's colours, named once: `report.css` reads them (as
//! `palette`), and so does `ward.xlsx`, so a risk level looks the same in
//! the report and the workbook.

use serde::Serialize;
use ward_model::RiskLevel;

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Palette {
    /// Text.
    pub ink: &'static str,
    pub muted: &'static str,
    /// Table rules.
    pub line: &'static str,
    /// Risk `acceptable`, a ready verdict.
    pub ok: &'static str,
    /// Risk `review`.
    pub review: &'static str,
    /// Risk `unacceptable`, a not-ready verdict.
    pub bad: &'static str,
    /// A cell starting `GAP:`.
    pub gap: &'static str,
    pub link: &'static str,
}

pub const PALETTE: Palette = Palette {
    ink: "#212121",
    muted: "#616161",
    line: "#d0d0d0",
    ok: "#c8e6c9",
    review: "#ffe082",
    bad: "#ef9a9a",
    gap: "#fff3e0",
    link: "#0d47a1",
};

impl Palette {
    /// The background of a cell holding this risk level.
    pub fn risk(&self, level: RiskLevel) -> &'static str {
        match level {
            RiskLevel::Acceptable => self.ok,
            RiskLevel::Review => self.review,
            RiskLevel::Unacceptable => self.bad,
        }
    }
}

/// `#c8e6c9` as the number `0xc8e6c9`.
pub fn rgb(hex: &str) -> u32 {
    u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0)
}

/// The risk level a table cell states, when it is exactly one (the rule the
/// report's tables colour by).
pub fn risk_level_of(cell: &str) -> Option<RiskLevel> {
    RiskLevel::ALL.iter().copied().find(|r| r.as_str() == cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_css_takes_its_colours_from_the_palette() {
        let css = include_str!("../templates/report.css");
        let root = css.lines().next().unwrap_or_default();
        for name in ["ink", "muted", "line", "ok", "review", "bad", "gap", "link"] {
            assert!(
                root.contains(&format!("--{name}: {{{{ palette.{name} }}}};")),
                "report.css `:root` does not read `palette.{name}`: {root}"
            );
        }
        assert_eq!(rgb(PALETTE.risk(RiskLevel::Unacceptable)), 0xef9a9a);
    }
}
