//! DOT text, written directly. Node and cluster ids are generated (`e3`,
//! `cluster_z1`): user text only ever appears inside quoted, escaped label
//! strings. A body is a flat list of lines with cluster openings and
//! closings, so building and printing take time linear in the output and
//! no recursion follows the nesting of zones. (The layout is the one
//! graphviz-rust's printer gave, so artifacts did not change.)

use crate::escape::dot_string;

/// An attribute value: user or generated text (quoted and escaped), or one
/// of our own DOT keywords and numbers (printed as is).
#[derive(Clone, Debug)]
pub enum Val {
    Text(String),
    Word(&'static str),
    /// An HTML-like label built by us, its text already escaped: printed in `<...>`.
    Html(String),
}

pub fn text(s: impl Into<String>) -> Val {
    Val::Text(s.into())
}

fn value_text(value: &Val) -> String {
    match value {
        Val::Text(s) => dot_string(s),
        Val::Word(w) => {
            debug_assert!(
                w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'),
                "{w}"
            );
            (*w).to_string()
        }
        Val::Html(h) => format!("<{h}>"),
    }
}

pub type Attrs = Vec<(&'static str, Val)>;

/// `[k=v k=v]`, or nothing for no attributes.
fn attr_list(attrs: &[(&'static str, Val)]) -> String {
    if attrs.is_empty() {
        return String::new();
    }
    let items: Vec<String> = attrs
        .iter()
        .map(|(k, v)| format!("{k}={}", value_text(v)))
        .collect();
    format!("[{}]", items.join(" "))
}

enum Line {
    /// A statement on a line of its own.
    Stmt(String),
    /// `subgraph cluster_<id> {`: the lines up to the matching `Close` are inside.
    Open(String),
    Close,
}

/// Statements of a graph or cluster body.
#[derive(Default)]
pub struct Body {
    lines: Vec<Line>,
    /// Clusters opened and not yet closed.
    open: usize,
}

impl Body {
    /// `key=value` for the graph or cluster itself.
    pub fn set(&mut self, key: &'static str, value: Val) {
        self.lines
            .push(Line::Stmt(format!("{key}={}", value_text(&value))));
    }
    pub fn node_defaults(&mut self, attrs: Attrs) {
        self.lines
            .push(Line::Stmt(format!("node{}", attr_list(&attrs))));
    }
    pub fn edge_defaults(&mut self, attrs: Attrs) {
        self.lines
            .push(Line::Stmt(format!("edge{}", attr_list(&attrs))));
    }
    /// A node; `id` must be generated (`[a-z_0-9]`), never user text.
    pub fn node(&mut self, id: &str, attrs: Attrs) {
        debug_assert!(is_generated_id(id), "{id}");
        self.lines
            .push(Line::Stmt(format!("{id}{}", attr_list(&attrs))));
    }
    pub fn edge(&mut self, from: &str, to: &str, attrs: Attrs) {
        debug_assert!(is_generated_id(from) && is_generated_id(to), "{from} {to}");
        let stmt = if attrs.is_empty() {
            format!("{from} -> {to}")
        } else {
            format!("{from} -> {to} {}", attr_list(&attrs))
        };
        self.lines.push(Line::Stmt(stmt));
    }
    /// Opens a cluster (drawn as a box); `id` is generated and gets the
    /// `cluster_` prefix. What follows is inside it until [`Body::close_cluster`].
    pub fn open_cluster(&mut self, id: &str) {
        debug_assert!(is_generated_id(id), "{id}");
        self.open += 1;
        self.lines.push(Line::Open(id.to_string()));
    }
    pub fn close_cluster(&mut self) {
        debug_assert!(self.open > 0, "no cluster is open");
        self.open -= 1;
        self.lines.push(Line::Close);
    }
}

fn is_generated_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Prints a directed graph as DOT text, ending with a newline: one
/// statement per line (diffs stay readable), indented two spaces a level.
pub fn digraph(name: &str, body: Body) -> String {
    debug_assert!(is_generated_id(name), "{name}");
    debug_assert_eq!(body.open, 0, "every cluster is closed");
    let mut out = format!("digraph {name} {{\n");
    let mut depth = 1;
    let indent = |out: &mut String, depth: usize| {
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    for (i, line) in body.lines.iter().enumerate() {
        // A cluster's first statement follows its opening line directly.
        let follows_open = i > 0 && matches!(body.lines[i - 1], Line::Open(_));
        if i > 0 && !follows_open {
            out.push('\n');
        }
        match line {
            Line::Stmt(stmt) => {
                indent(&mut out, depth);
                out.push_str(stmt);
            }
            Line::Open(id) => {
                indent(&mut out, depth);
                out.push_str("subgraph cluster_");
                out.push_str(id);
                out.push_str(" {\n");
                depth += 1;
            }
            Line::Close => {
                depth -= 1;
                if follows_open {
                    // An empty cluster, as graphviz-rust printed one.
                    out.push('\n');
                }
                indent(&mut out, depth);
                out.push('}');
            }
        }
    }
    out.push_str("\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_labels_stay_inside_their_quotes() {
        let mut body = Body::default();
        body.set(
            "label",
            text("a \"title\" with \\ and\nnewline ]; evil -> x [ "),
        );
        body.node(
            "e0",
            vec![
                ("label", text("<script>\"x\"</script>")),
                ("shape", Val::Word("box3d")),
            ],
        );
        body.node("e1", vec![("label", text("\\N\\G"))]);
        body.edge("e0", "e1", vec![("label", text("\"; e9 -> e8; \""))]);
        body.open_cluster("z0");
        body.set("label", text("zone \"z\""));
        body.close_cluster();
        let dot = digraph("system", body);
        assert!(dot.starts_with("digraph system {"), "{dot}");
        // The DOT parser of graphviz-rust reads it back with exactly our nodes and edges.
        let parsed = graphviz_rust::parse(&dot).unwrap_or_else(|e| panic!("{e}\n{dot}"));
        use graphviz_rust::dot_structures::{Graph, Stmt};
        let Graph::DiGraph { stmts, .. } = parsed else {
            panic!("not a digraph")
        };
        let edges = stmts.iter().filter(|s| matches!(s, Stmt::Edge(_))).count();
        let nodes = stmts.iter().filter(|s| matches!(s, Stmt::Node(_))).count();
        assert_eq!((nodes, edges), (2, 1), "{dot}");
        assert!(dot.contains(r#"label="\\N\\G""#), "{dot}");
        assert!(
            dot.contains(r#"label="a \"title\" with \\ and\nnewline ]; evil -> x [ ""#),
            "{dot}"
        );
    }
}
