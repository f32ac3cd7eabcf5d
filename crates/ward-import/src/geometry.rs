//! Zones from a Threat Dragon drawing (docs/interchange.md, "Importing
//! models"): a boundary box holds the elements whose centre is inside it;
//! a boundary curve (a polyline) splits the plane in two, and an element
//! is on the side of the curve's nearest segment where its centre lies
//! (the sign of the cross product). Elements with the same innermost box
//! and the same side of every curve share a region, one zone each.

use serde::Deserialize;

#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn centre(&self) -> Point {
        Point {
            x: self.x + self.width / 2.0,
            y: self.y + self.height / 2.0,
        }
    }
    fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.x + self.width && p.y >= self.y && p.y <= self.y + self.height
    }
    fn area(&self) -> f64 {
        self.width * self.height
    }
}

/// Where a point is: its innermost box (smallest containing one, by index)
/// and its side of each curve (`true`: left of the curve's direction).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Region {
    pub inner_box: Option<usize>,
    pub sides: Vec<bool>,
}

impl Region {
    pub fn inner_box(&self) -> Option<usize> {
        self.inner_box
    }
}

pub fn region_of(p: Point, boxes: &[Rect], curves: &[&[Point]]) -> Region {
    let inner_box = boxes
        .iter()
        .enumerate()
        .filter(|(_, b)| b.contains(p))
        .min_by(|a, b| a.1.area().total_cmp(&b.1.area()))
        .map(|(i, _)| i);
    Region {
        inner_box,
        sides: curves.iter().map(|c| left_of(p, c)).collect(),
    }
}

/// Whether `p` is left of the polyline's nearest segment (screen
/// coordinates: y grows downwards, so "left" is as drawn, mirrored).
fn left_of(p: Point, line: &[Point]) -> bool {
    let mut best = (f64::INFINITY, 0.0);
    for pair in line.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let length = dx * dx + dy * dy;
        let t = if length == 0.0 {
            0.0
        } else {
            (((p.x - a.x) * dx + (p.y - a.y) * dy) / length).clamp(0.0, 1.0)
        };
        let (cx, cy) = (a.x + t * dx, a.y + t * dy);
        let distance = (p.x - cx).powi(2) + (p.y - cy).powi(2);
        let cross = dx * (p.y - a.y) - dy * (p.x - a.x);
        if distance < best.0 {
            best = (distance, cross);
        }
    }
    best.1 > 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn a_curve_splits_the_plane_in_two() {
        let curve = [p(0.0, 0.0), p(100.0, 0.0), p(100.0, 100.0)];
        let above = region_of(p(50.0, -20.0), &[], &[&curve]);
        let below = region_of(p(50.0, 20.0), &[], &[&curve]);
        let right = region_of(p(130.0, 50.0), &[], &[&curve]);
        assert_ne!(above, below);
        assert_eq!(above, right, "both outside the corner");
    }

    #[test]
    fn the_smallest_box_holding_the_centre_wins() {
        let outer = Rect {
            x: 0.0,
            y: 0.0,
            width: 100.0,
            height: 100.0,
        };
        let inner = Rect {
            x: 10.0,
            y: 10.0,
            width: 20.0,
            height: 20.0,
        };
        assert_eq!(
            region_of(p(15.0, 15.0), &[outer, inner], &[]).inner_box,
            Some(1)
        );
        assert_eq!(
            region_of(p(50.0, 50.0), &[outer, inner], &[]).inner_box,
            Some(0)
        );
        assert_eq!(
            region_of(p(500.0, 50.0), &[outer, inner], &[]).inner_box,
            None
        );
    }
}
