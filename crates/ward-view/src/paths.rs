//! Attack paths with names resolved, and their wordings.

use ward_analysis::AttackPath;
use ward_model::Model;

/// One shortest modelled path from an entry point to a target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathView {
    /// The nearest entry element (the target itself when it is an entry).
    pub entry: String,
    pub target: String,
    /// Each flow along the path and the element it arrives at (`?` only in
    /// a model with errors).
    pub hops: Vec<Hop>,
    /// How many entry elements reach the target by any path.
    pub entries: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    pub flow: String,
    pub to: String,
}

impl PathView {
    pub fn new(model: &Model, path: &AttackPath) -> PathView {
        let name = |e: ward_model::ElementId| model.element(e).meta.name.clone();
        PathView {
            entry: name(path.entry),
            target: name(path.target),
            hops: path
                .flows
                .iter()
                .map(|&f| {
                    let flow = model.flow(f);
                    Hop {
                        flow: flow.meta.name.clone(),
                        to: flow.target.map_or_else(|| "?".to_string(), name),
                    }
                })
                .collect(),
            entries: path.entries,
        }
    }

    /// The path as a chain, each flow between `open` and `close`:
    /// `user -(f_use)-> app -(f_dose)-> pump` for `("-(", ")->")`.
    pub fn chain(&self, open: &str, close: &str) -> String {
        let mut text = self.entry.clone();
        for hop in &self.hops {
            text.push(' ');
            text.push_str(open);
            text.push_str(&hop.flow);
            text.push_str(close);
            text.push(' ');
            text.push_str(&hop.to);
        }
        text
    }

    /// The flows' names, in order.
    pub fn flows(&self) -> impl Iterator<Item = &str> {
        self.hops.iter().map(|h| h.flow.as_str())
    }

    /// `1 entry point reaches` or `N entry points reach`, then `object`.
    pub fn reach(&self, object: &str) -> String {
        match self.entries {
            1 => format!("1 entry point reaches {object}"),
            n => format!("{n} entry points reach {object}"),
        }
    }
}
