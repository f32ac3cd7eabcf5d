//! A thin layer over graphviz-rust's DOT AST. Node and cluster ids are
//! generated (`e3`, `cluster_z1`): user text only ever appears inside
//! quoted, escaped label strings, because graphviz-rust prints ids and
//! values verbatim (it does not escape quotes).

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::escape::dot_string;

/// An attribute value: user or generated text (quoted and escaped), or one
/// of our own DOT keywords and numbers (printed as is).
#[derive(Clone, Debug)]
pub enum Val {
    Text(String),
    Word(&'static str),
}

pub fn text(s: impl Into<String>) -> Val {
    Val::Text(s.into())
}

fn id_of(value: &Val) -> Id {
    match value {
        Val::Text(s) => Id::Escaped(dot_string(s)),
        Val::Word(w) => {
            debug_assert!(
                w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'),
                "{w}"
            );
            Id::Plain((*w).to_string())
        }
    }
}

pub type Attrs = Vec<(&'static str, Val)>;

fn attributes(attrs: &[(&'static str, Val)]) -> Vec<Attribute> {
    attrs
        .iter()
        .map(|(k, v)| Attribute(Id::Plain((*k).to_string()), id_of(v)))
        .collect()
}

/// Statements of a graph or cluster body.
#[derive(Default)]
pub struct Body {
    stmts: Vec<Stmt>,
}

impl Body {
    /// `key=value` for the graph or cluster itself.
    pub fn set(&mut self, key: &'static str, value: Val) {
        self.stmts
            .extend(attributes(&[(key, value)]).into_iter().map(Stmt::Attribute));
    }
    pub fn node_defaults(&mut self, attrs: Attrs) {
        self.stmts
            .push(Stmt::GAttribute(GraphAttributes::Node(attributes(&attrs))));
    }
    pub fn edge_defaults(&mut self, attrs: Attrs) {
        self.stmts
            .push(Stmt::GAttribute(GraphAttributes::Edge(attributes(&attrs))));
    }
    /// A node; `id` must be generated (`[a-z_0-9]`), never user text.
    pub fn node(&mut self, id: &str, attrs: Attrs) {
        debug_assert!(is_generated_id(id), "{id}");
        self.stmts.push(Stmt::Node(Node::new(
            NodeId(Id::Plain(id.to_string()), None),
            attributes(&attrs),
        )));
    }
    pub fn edge(&mut self, from: &str, to: &str, attrs: Attrs) {
        debug_assert!(is_generated_id(from) && is_generated_id(to), "{from} {to}");
        let v = |id: &str| Vertex::N(NodeId(Id::Plain(id.to_string()), None));
        self.stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(v(from), v(to)),
            attributes: attributes(&attrs),
        }));
    }
    /// A cluster (drawn as a box); `id` is generated and gets the `cluster_` prefix.
    pub fn cluster(&mut self, id: &str, body: Body) {
        debug_assert!(is_generated_id(id), "{id}");
        self.stmts.push(Stmt::Subgraph(Subgraph {
            id: Id::Plain(format!("cluster_{id}")),
            stmts: body.stmts,
        }));
    }
}

fn is_generated_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Prints a directed graph as DOT text, ending with a newline.
pub fn digraph(name: &str, body: Body) -> String {
    debug_assert!(is_generated_id(name), "{name}");
    let graph = Graph::DiGraph {
        id: Id::Plain(name.to_string()),
        strict: false,
        stmts: body.stmts,
    };
    let mut ctx = PrinterContext::default();
    // Long attribute lists stay on one line; one statement per line keeps diffs readable.
    ctx.with_inline_size(usize::MAX);
    let mut out = graph.print(&mut ctx);
    out.push('\n');
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
        let mut inner = Body::default();
        inner.set("label", text("zone \"z\""));
        body.cluster("z0", inner);
        let dot = digraph("system", body);
        assert!(dot.starts_with("digraph system {"), "{dot}");
        // The DOT parser of graphviz-rust reads it back with exactly our nodes and edges.
        let parsed = graphviz_rust::parse(&dot).unwrap_or_else(|e| panic!("{e}\n{dot}"));
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
