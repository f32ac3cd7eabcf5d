//! The opt-in artifacts of `ward build`: each is named once here, for
//! `Ward.toml`'s `[outputs]` table and `ward build --format`. Every other
//! artifact is always written.

use std::collections::BTreeSet;

use ward_diagnostics::Code;

// The output switches' codes are in the command line's range (E06xx), not
// the model's: they are about what a build writes.
/// An `[outputs]` key of `Ward.toml` (or a `--format`) that names no format.
pub const UNKNOWN_OUTPUT: Code = Code::E0610;
/// An `[outputs]` value of `Ward.toml` that is not `true` or `false`.
pub const BAD_OUTPUT_SWITCH: Code = Code::E0611;

/// An artifact written only when asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Export {
    /// `ward.xlsx`: one sheet per register.
    Xlsx,
    /// `design-inputs.reqif`: the controls as ReqIF 1.2 requirements.
    Reqif,
    /// `model.otm.json`: the model as an Open Threat Model 0.2.0 document.
    Otm,
}

impl Export {
    /// Every export with its key, what it writes and a one-line doc: adding
    /// a format is a line here (and its writer in ward-render).
    pub const ALL: &'static [(Export, &'static str, &'static str)] = &[
        (
            Export::Xlsx,
            "xlsx",
            "ward.xlsx: every register as a sheet of one workbook",
        ),
        (
            Export::Reqif,
            "reqif",
            "design-inputs.reqif: controls, threats and verifications as ReqIF 1.2",
        ),
        (
            Export::Otm,
            "otm",
            "model.otm.json: the model as an Open Threat Model 0.2.0 document",
        ),
    ];

    /// The key in `[outputs]` and `--format`.
    pub fn key(self) -> &'static str {
        Export::ALL
            .iter()
            .find(|(e, _, _)| *e == self)
            .map_or("", |(_, key, _)| key)
    }

    pub fn from_key(key: &str) -> Option<Export> {
        Export::ALL
            .iter()
            .find(|(_, k, _)| *k == key)
            .map(|(e, _, _)| *e)
    }

    /// The keys, for help texts: `xlsx`, `reqif`, `otm`.
    pub fn keys() -> impl Iterator<Item = &'static str> {
        Export::ALL.iter().map(|(_, key, _)| *key)
    }
}

/// The exports a build writes (none by default, so a build without them
/// is as before).
pub type Exports = BTreeSet<Export>;

/// The message and help of an unknown format name, with a did-you-mean.
pub fn unknown_export(name: &str) -> (String, String) {
    let keys = crate::load::backticked(&Export::keys().collect::<Vec<_>>());
    let message = format!("unknown output format `{name}`");
    let help = match crate::did_you_mean(name, Export::keys()) {
        Some(close) => format!("did you mean `{close}`? The opt-in formats are {keys}"),
        None => format!("the opt-in formats are {keys}"),
    };
    (message, help)
}
