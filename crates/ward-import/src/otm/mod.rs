//! Open Threat Model (OTM 0.2.0) JSON onto the importer's model: the
//! document is read and checked first (`document.rs`), then mapped
//! (`map.rs`; docs/interchange.md, "Importing OTM"). A document Ward
//! exported (`model.otm.json`) carries each declaration's source, which is
//! written back as it was, so the round trip keeps threats and risks.

mod document;
mod map;

use crate::input::Input;
use crate::Read;
use ward_diagnostics::Diagnostic;

/// Reads an OTM document.
pub fn read(input: &Input) -> Result<Read, Vec<Diagnostic>> {
    let doc = document::read(input.file, input.text)?;
    let (model, warnings) = map::map(&doc, input);
    Ok(Read { model, warnings })
}
