//! Names of model items by id, and of levels by index, for renderers.

use ward_model::{ControlId, ElementId, Level, Model, Policy, ZoneId};

pub(crate) struct Names<'a> {
    pub model: &'a Model,
    pub policy: &'a Policy,
}

impl<'a> Names<'a> {
    pub fn new(model: &'a Model) -> Names<'a> {
        Names {
            model,
            policy: model.policy(),
        }
    }
    pub fn zone(&self, id: ZoneId) -> String {
        self.model.zone(id).meta.name.clone()
    }
    pub fn element(&self, id: ElementId) -> String {
        self.model.element(id).meta.name.clone()
    }
    pub fn control(&self, id: ControlId) -> String {
        self.model.control(id).meta.name.clone()
    }
    /// A flow end; `?` only in a model with errors.
    pub fn end(&self, id: Option<ElementId>) -> String {
        id.map_or_else(|| "?".to_string(), |e| self.element(e))
    }
    pub fn severity(&self, level: Level) -> String {
        self.policy.severity_name(level).to_string()
    }
    pub fn exploitability(&self, level: Level) -> String {
        self.policy.exploitability_name(level).to_string()
    }
}
