//! The built-in layout: draws a view as SVG when Graphviz is not
//! installed. It lays out the same nodes and edges as the DOT text (a
//! [`Drawing`] is recorded next to it), in columns left to right:
//!
//! - ranks by longest path, after turning the edges that close a cycle
//!   around (an iterative depth-first search, so nesting is no risk);
//! - each edge label is a box in the column between its ends, so labels
//!   never overlap nodes or each other;
//! - a few barycentre sweeps order each column to cut crossings;
//! - straight edges; no zone boxes (zones are named in the title line of
//!   each element instead).
//!
//! Every step is linear in nodes plus edges per sweep, and the views it
//! gets are already bounded by [`super::MAX_NODES`] and [`super::MAX_EDGES`].
//! Same input, same bytes: orders are by index, numbers printed with one decimal.

use std::fmt::Write as _;

use super::dot::{Attrs, Val};
use crate::escape::html;

/// Smallest text drawn, in px at 100%: edge labels and the legend.
pub const SMALL_FONT: f64 = 10.0;
/// Element labels.
const NODE_FONT: f64 = 12.0;
/// The view's title lines.
const TITLE_FONT: f64 = 14.0;
/// Width of a character as a share of the font size: above Helvetica's
/// and DejaVu Sans's average, so boxes hold their text.
const CHAR_WIDTH: f64 = 0.62;
const LINE_HEIGHT: f64 = 1.3;
const PAD: f64 = 8.0;
/// Space between items in a column, and between columns.
const GAP_Y: f64 = 18.0;
const GAP_X: f64 = 36.0;
const MARGIN: f64 = 16.0;
/// Sweeps of the barycentre ordering: more rarely helps.
const SWEEPS: usize = 4;

const BLACK: &str = "#212121";

/// A node or edge as the DOT text has it, in plain values.
#[derive(Clone, Debug, Default)]
pub(crate) struct Look {
    pub label: Vec<String>,
    pub color: Option<String>,
    pub fill: Option<String>,
    pub dashed: bool,
    pub bold: bool,
}

impl Look {
    /// Reads the attributes the DOT text is written from.
    pub fn of(attrs: &Attrs) -> Look {
        let mut look = Look::default();
        for (key, value) in attrs {
            let text = match value {
                Val::Text(s) => s.as_str(),
                Val::Word(w) => w,
                Val::Html(h) => h.as_str(),
            };
            match *key {
                "label" => look.label = text.split('\n').map(str::to_string).collect(),
                "color" => look.color = Some(text.to_string()),
                "fillcolor" => look.fill = Some(text.to_string()),
                "style" => {
                    look.dashed = text.contains("dashed");
                    look.bold = text.contains("bold");
                }
                "penwidth" => look.bold |= text != "1",
                _ => {}
            }
        }
        look
    }
}

#[derive(Clone, Debug)]
pub(crate) struct DrawEdge {
    pub from: usize,
    pub to: usize,
    pub look: Look,
    pub both_ways: bool,
}

/// What the built-in layout draws: the view's nodes and edges, its title
/// and its legend rows.
#[derive(Clone, Debug, Default)]
pub(crate) struct Drawing {
    pub title: Vec<String>,
    pub nodes: Vec<Look>,
    pub edges: Vec<DrawEdge>,
    /// Legend rows: text, and the edge look it explains (none for a kind).
    pub legend: Vec<(String, Option<Look>)>,
}

impl Drawing {
    pub fn node(&mut self, attrs: &Attrs) -> usize {
        self.nodes.push(Look::of(attrs));
        self.nodes.len() - 1
    }

    pub fn edge(&mut self, from: usize, to: usize, attrs: &Attrs) {
        let both_ways = attrs
            .iter()
            .any(|(k, v)| *k == "dir" && matches!(v, Val::Word("both")));
        self.edges.push(DrawEdge {
            from,
            to,
            look: Look::of(attrs),
            both_ways,
        });
    }
}

fn text_width(lines: &[String], font: f64) -> f64 {
    let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    longest as f64 * font * CHAR_WIDTH
}

fn text_height(lines: &[String], font: f64) -> f64 {
    lines.len().max(1) as f64 * font * LINE_HEIGHT
}

/// A box in a column: an element, or the label of an edge.
struct Item {
    width: f64,
    height: f64,
    /// Centre, once placed.
    x: f64,
    y: f64,
}

/// Ranks by longest path over the graph with cycle-closing edges reversed.
fn ranks(nodes: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); nodes];
    for &(a, b) in edges {
        if a != b {
            out[a].push(b);
        }
    }
    // Iterative DFS: an edge to a node still on the stack closes a cycle.
    let mut state = vec![0u8; nodes]; // 0 new, 1 on stack, 2 done
    let mut order = Vec::with_capacity(nodes); // reverse topological
    let mut forward: Vec<Vec<usize>> = vec![Vec::new(); nodes];
    for start in 0..nodes {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some(&mut (n, ref mut next)) = stack.last_mut() {
            if let Some(&m) = out[n].get(*next) {
                *next += 1;
                match state[m] {
                    0 => {
                        forward[n].push(m);
                        state[m] = 1;
                        stack.push((m, 0));
                    }
                    1 => forward[m].push(n), // turned around
                    _ => forward[n].push(m),
                }
            } else {
                state[n] = 2;
                order.push(n);
                stack.pop();
            }
        }
    }
    let mut rank = vec![0; nodes];
    for &n in order.iter().rev() {
        for &m in &forward[n] {
            rank[m] = rank[m].max(rank[n] + 1);
        }
    }
    rank
}

/// Lays out the drawing and writes it as a standalone SVG document;
/// `desc` says what drew it.
pub(crate) fn to_svg(drawing: &Drawing, desc: &str) -> String {
    let pairs: Vec<(usize, usize)> = drawing.edges.iter().map(|e| (e.from, e.to)).collect();
    let rank = ranks(drawing.nodes.len(), &pairs);
    // Columns: element ranks at even indexes, edge labels between them.
    let columns_count = rank.iter().map(|r| 2 * r + 1).max().unwrap_or(0) + 1;
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); columns_count];
    let mut items: Vec<Item> = Vec::new();
    let mut column_of: Vec<usize> = Vec::new();
    for (i, node) in drawing.nodes.iter().enumerate() {
        let lines = &node.label;
        items.push(Item {
            width: text_width(lines, NODE_FONT) + 2.0 * PAD,
            height: text_height(lines, NODE_FONT) + 2.0 * PAD,
            x: 0.0,
            y: 0.0,
        });
        columns[2 * rank[i]].push(i);
        column_of.push(2 * rank[i]);
    }
    // Each edge's label box, and the items it joins in order.
    let mut label_item: Vec<Option<usize>> = Vec::new();
    for e in &drawing.edges {
        let (a, b) = (column_of[e.from], column_of[e.to]);
        if e.look.label.is_empty() || e.from == e.to && e.look.label.is_empty() {
            label_item.push(None);
            continue;
        }
        // Between the ends; an edge within one column gets the next one.
        let column = if a == b { a + 1 } else { a.min(b) + 1 };
        if column >= columns.len() {
            columns.resize(column + 1, Vec::new());
        }
        let id = items.len();
        items.push(Item {
            width: text_width(&e.look.label, SMALL_FONT) + PAD,
            height: text_height(&e.look.label, SMALL_FONT) + PAD / 2.0,
            x: 0.0,
            y: 0.0,
        });
        columns[column].push(id);
        column_of.push(column);
        label_item.push(Some(id));
    }
    // Neighbours of each item through edges (via label boxes).
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for (e, label) in drawing.edges.iter().zip(&label_item) {
        let path: Vec<usize> = match label {
            Some(l) => vec![e.from, *l, e.to],
            None => vec![e.from, e.to],
        };
        for w in path.windows(2) {
            if w[0] != w[1] {
                neighbours[w[0]].push(w[1]);
                neighbours[w[1]].push(w[0]);
            }
        }
    }
    // Order each column by the mean position of its neighbours.
    let mut position: Vec<f64> = vec![0.0; items.len()];
    for column in &columns {
        for (p, &i) in column.iter().enumerate() {
            position[i] = p as f64;
        }
    }
    for sweep in 0..SWEEPS {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (0..columns.len()).collect()
        } else {
            (0..columns.len()).rev().collect()
        };
        for c in order {
            let mut keyed: Vec<(f64, usize)> = columns[c]
                .iter()
                .map(|&i| {
                    let near = &neighbours[i];
                    let key = if near.is_empty() {
                        position[i]
                    } else {
                        near.iter().map(|&n| position[n]).sum::<f64>() / near.len() as f64
                    };
                    (key, i)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            columns[c] = keyed.into_iter().map(|(_, i)| i).collect();
            for (p, &i) in columns[c].iter().enumerate() {
                position[i] = p as f64;
            }
        }
    }
    // Place: columns left to right, each stacked and centred vertically.
    let title_height = text_height(&drawing.title, TITLE_FONT) + PAD;
    let heights: Vec<f64> = columns
        .iter()
        .map(|c| c.iter().map(|&i| items[i].height + GAP_Y).sum::<f64>())
        .collect();
    let tallest = heights.iter().copied().fold(0.0, f64::max);
    let mut x = MARGIN;
    for (column, height) in columns.iter().zip(&heights) {
        let width = column.iter().map(|&i| items[i].width).fold(0.0, f64::max);
        let mut y = MARGIN + title_height + (tallest - height) / 2.0;
        for &i in column {
            items[i].x = x + width / 2.0;
            items[i].y = y + items[i].height / 2.0;
            y += items[i].height + GAP_Y;
        }
        if width > 0.0 {
            x += width + GAP_X;
        }
    }
    let graph_width = x;
    let graph_bottom = MARGIN + title_height + tallest;

    let mut svg = String::new();
    let mut body = String::new();
    // Edges first, so boxes draw over their ends.
    for (e, label) in drawing.edges.iter().zip(&label_item) {
        edge_svg(&mut body, &items, e, *label);
    }
    for (i, node) in drawing.nodes.iter().enumerate() {
        node_svg(&mut body, &items[i], node);
    }
    for (e, label) in drawing.edges.iter().zip(&label_item) {
        if let Some(l) = label {
            let item = &items[*l];
            let color = e.look.color.as_deref().unwrap_or(BLACK);
            let _ = writeln!(
                body,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"none\"/>",
                item.x - item.width / 2.0,
                item.y - item.height / 2.0,
                item.width,
                item.height
            );
            text_svg(&mut body, item.x, item.y, &e.look.label, SMALL_FONT, color);
        }
    }
    // The legend under the graph, at the right.
    let (legend_width, legend_height) = legend_size(&drawing.legend);
    let width = (graph_width + MARGIN).max(legend_width + 2.0 * MARGIN);
    let legend_x = width - MARGIN - legend_width;
    let legend_y = graph_bottom + GAP_Y;
    legend_svg(&mut body, &drawing.legend, legend_x, legend_y, legend_width);
    let height = legend_y + legend_height + MARGIN;
    let title_width = text_width(&drawing.title, TITLE_FONT) + 2.0 * MARGIN;
    let width = width.max(title_width);
    let _ = write!(
        svg,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}pt\" height=\"{height:.0}pt\" viewBox=\"0 0 {width:.1} {height:.1}\" font-family=\"Helvetica,Arial,sans-serif\">\n\
         <desc>{}</desc>\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        html(desc)
    );
    let mut title_y = MARGIN;
    for line in &drawing.title {
        title_y += TITLE_FONT * LINE_HEIGHT;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{title_y:.1}\" text-anchor=\"middle\" font-size=\"{TITLE_FONT}\" fill=\"{BLACK}\">{}</text>",
            width / 2.0,
            html(line)
        );
    }
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    svg
}

fn stroke(look: &Look) -> String {
    let color = html(look.color.as_deref().unwrap_or(BLACK));
    let width = if look.bold { 2.0 } else { 1.0 };
    let dash = if look.dashed {
        " stroke-dasharray=\"6,4\""
    } else {
        ""
    };
    format!("stroke=\"{color}\" stroke-width=\"{width}\"{dash}")
}

/// Where the segment from the centre of `item` towards `to` leaves its box.
fn border_point(item: &Item, to: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (to.0 - item.x, to.1 - item.y);
    if dx == 0.0 && dy == 0.0 {
        return (item.x, item.y);
    }
    let sx = if dx == 0.0 {
        f64::INFINITY
    } else {
        (item.width / 2.0) / dx.abs()
    };
    let sy = if dy == 0.0 {
        f64::INFINITY
    } else {
        (item.height / 2.0) / dy.abs()
    };
    let s = sx.min(sy).min(1.0);
    (item.x + dx * s, item.y + dy * s)
}

fn edge_svg(out: &mut String, items: &[Item], e: &DrawEdge, label: Option<usize>) {
    let style = stroke(&e.look);
    let markers = if e.both_ways {
        " marker-start=\"url(#arrow)\" marker-end=\"url(#arrow)\""
    } else {
        " marker-end=\"url(#arrow)\""
    };
    let (from, to) = (&items[e.from], &items[e.to]);
    if e.from == e.to {
        // A loop over the top of the box.
        let (x, top) = (from.x, from.y - from.height / 2.0);
        let _ = writeln!(
            out,
            "<path d=\"M{:.1},{top:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{top:.1}\" fill=\"none\" {style}{markers}/>",
            x - 10.0,
            x - 20.0,
            top - 30.0,
            x + 20.0,
            top - 30.0,
            x + 10.0
        );
        return;
    }
    let points: Vec<(f64, f64)> = match label {
        Some(l) => {
            let mid = &items[l];
            vec![
                border_point(from, (mid.x, mid.y)),
                (mid.x, mid.y),
                border_point(to, (mid.x, mid.y)),
            ]
        }
        None => vec![
            border_point(from, (to.x, to.y)),
            border_point(to, (from.x, from.y)),
        ],
    };
    let d: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = writeln!(
        out,
        "<polyline points=\"{}\" fill=\"none\" {style}{markers}/>",
        d.join(" ")
    );
}

fn node_svg(out: &mut String, item: &Item, look: &Look) {
    let fill = html(look.fill.as_deref().unwrap_or("#ffffff"));
    let _ = writeln!(
        out,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"4\" fill=\"{fill}\" {}/>",
        item.x - item.width / 2.0,
        item.y - item.height / 2.0,
        item.width,
        item.height,
        stroke(look)
    );
    let color = look.color.as_deref().unwrap_or(BLACK);
    text_svg(out, item.x, item.y, &look.label, NODE_FONT, color);
}

/// Lines centred on (x, y).
fn text_svg(out: &mut String, x: f64, y: f64, lines: &[String], font: f64, color: &str) {
    let line = font * LINE_HEIGHT;
    let top = y - text_height(lines, font) / 2.0;
    for (i, text) in lines.iter().enumerate() {
        // The baseline sits about 0.3 em above the bottom of its line.
        let baseline = top + line * (i as f64 + 1.0) - 0.3 * font;
        let _ = writeln!(
            out,
            "<text x=\"{x:.1}\" y=\"{baseline:.1}\" text-anchor=\"middle\" font-size=\"{font}\" fill=\"{}\">{}</text>",
            html(color),
            html(text)
        );
    }
}

/// Width of a legend sample line.
const SAMPLE: f64 = 28.0;

fn legend_size(rows: &[(String, Option<Look>)]) -> (f64, f64) {
    if rows.is_empty() {
        return (0.0, 0.0);
    }
    let lines: Vec<String> = rows.iter().map(|(t, _)| t.clone()).collect();
    let width = text_width(&lines, SMALL_FONT) + SAMPLE + 3.0 * PAD;
    let height = (rows.len() + 1) as f64 * SMALL_FONT * LINE_HEIGHT + PAD;
    (width, height)
}

/// One small box: a heading, then a row per kind or edge style.
fn legend_svg(out: &mut String, rows: &[(String, Option<Look>)], x: f64, y: f64, width: f64) {
    if rows.is_empty() {
        return;
    }
    let (_, height) = legend_size(rows);
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" rx=\"4\" fill=\"#fafafa\" stroke=\"#9e9e9e\" stroke-dasharray=\"4,3\"/>"
    );
    let line = SMALL_FONT * LINE_HEIGHT;
    let mut baseline = y + PAD / 2.0 + line - 0.3 * SMALL_FONT;
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{baseline:.1}\" font-size=\"{SMALL_FONT}\" fill=\"#616161\">Legend</text>",
        x + PAD
    );
    for (text, look) in rows {
        baseline += line;
        let text_x = x + PAD + SAMPLE + PAD;
        if let Some(look) = look {
            let mid = baseline - 0.35 * SMALL_FONT;
            let _ = writeln!(
                out,
                "<line x1=\"{:.1}\" y1=\"{mid:.1}\" x2=\"{:.1}\" y2=\"{mid:.1}\" {}/>",
                x + PAD,
                x + PAD + SAMPLE,
                stroke(look)
            );
        }
        let color = look
            .as_ref()
            .and_then(|l| l.color.as_deref())
            .unwrap_or(BLACK);
        let _ = writeln!(
            out,
            "<text x=\"{text_x:.1}\" y=\"{baseline:.1}\" font-size=\"{SMALL_FONT}\" fill=\"{}\">{}</text>",
            html(color),
            html(text)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_still_gets_ranks_and_every_edge_spans_columns() {
        let rank = ranks(3, &[(0, 1), (1, 2), (2, 0), (1, 1)]);
        assert_eq!(rank, vec![0, 1, 2]);
    }

    #[test]
    fn hostile_text_is_escaped_and_output_is_the_same_every_time() {
        let mut d = Drawing {
            title: vec!["<title> & \"x\"".into()],
            ..Drawing::default()
        };
        let label = |s: &str| vec![("label", Val::Text(s.into()))];
        let a = d.node(&label("<script>alert(1)</script>"));
        let b = d.node(&label("b"));
        d.edge(a, b, &label("]]> --> <!--"));
        d.edge(b, a, &label("back"));
        d.edge(a, a, &label("self"));
        let svg = to_svg(&d, "test & desc");
        assert_eq!(svg, to_svg(&d, "test & desc"));
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        assert!(svg.contains("<desc>test &amp; desc</desc>"), "{svg}");
    }
}
