//! Background layers under a map (land, water, boundaries, rivers, a road network): each
//! projected into the map's pixels, clipped to its box (Sutherland–Hodgman for rings, segment
//! by segment for lines), simplified (Douglas–Peucker, about a pixel), rounded, and written as
//! one `<path>` per layer. The same for every language.

use crate::site::model::geo::{GeoLayer, GeoRole, LonLat};

/// A point in the map's pixels, before rounding.
type Pt = (f64, f64);

/// The box a map draws in: from (0, 0) to (`w`, `h`).
#[derive(Clone, Copy)]
pub(crate) struct Frame {
    pub w: f64,
    pub h: f64,
}

/// A layer's paths in one map: `fill` (rings, for land and water) and `stroke` (lines, and the
/// outlines of land without the parts that run along the map's edge).
#[derive(Default)]
struct Paths {
    fill: String,
    stroke: String,
}

/// Whether a point is inside one edge of the frame.
type Inside = fn(Pt, Frame) -> bool;
/// Where a segment crosses that edge.
type Cross = fn(Pt, Pt, Frame) -> Pt;

/// Sutherland–Hodgman: `ring` (not repeating its first point) clipped to the frame.
fn clip_ring(ring: &[Pt], f: Frame) -> Vec<Pt> {
    let mut out: Vec<Pt> = ring.to_vec();
    // Each edge: is a point inside, and where a segment crosses it.
    let edges: [(Inside, Cross); 4] = [
        (|p, _| p.0 >= 0.0, |a, b, _| cross_x(a, b, 0.0)),
        (|p, f| p.0 <= f.w, |a, b, f| cross_x(a, b, f.w)),
        (|p, _| p.1 >= 0.0, |a, b, _| cross_y(a, b, 0.0)),
        (|p, f| p.1 <= f.h, |a, b, f| cross_y(a, b, f.h)),
    ];
    for (inside, cross) in edges {
        if out.is_empty() {
            break;
        }
        let input = std::mem::take(&mut out);
        let mut prev = input[input.len() - 1];
        for &p in &input {
            match (inside(p, f), inside(prev, f)) {
                (true, true) => out.push(p),
                (true, false) => {
                    out.push(cross(prev, p, f));
                    out.push(p);
                }
                (false, true) => out.push(cross(prev, p, f)),
                (false, false) => {}
            }
            prev = p;
        }
    }
    out
}

fn cross_x(a: Pt, b: Pt, x: f64) -> Pt {
    let t = (x - a.0) / (b.0 - a.0);
    (x, a.1 + (b.1 - a.1) * t)
}

fn cross_y(a: Pt, b: Pt, y: f64) -> Pt {
    let t = (y - a.1) / (b.1 - a.1);
    (a.0 + (b.0 - a.0) * t, y)
}

/// Liang–Barsky: the part of the segment `a`–`b` inside the frame, if any.
fn clip_segment(a: Pt, b: Pt, f: Frame) -> Option<(Pt, Pt)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0), (dx, f.w - a.0), (-dy, a.1), (dy, f.h - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
            continue;
        }
        let r = q / p;
        if p < 0.0 {
            t0 = t0.max(r);
        } else {
            t1 = t1.min(r);
        }
        if t0 > t1 {
            return None;
        }
    }
    let at = |t: f64| (a.0 + dx * t, a.1 + dy * t);
    Some((at(t0), at(t1)))
}

/// A line clipped to the frame: the pieces of it inside.
fn clip_line(line: &[Pt], f: Frame) -> Vec<Vec<Pt>> {
    let mut pieces: Vec<Vec<Pt>> = Vec::new();
    let mut cur: Vec<Pt> = Vec::new();
    for w in line.windows(2) {
        match clip_segment(w[0], w[1], f) {
            Some((a, b)) => {
                if cur.last() != Some(&a) {
                    if cur.len() >= 2 {
                        pieces.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                    cur.push(a);
                }
                cur.push(b);
            }
            None => {
                if cur.len() >= 2 {
                    pieces.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
        }
    }
    if cur.len() >= 2 {
        pieces.push(cur);
    }
    pieces
}

/// Douglas–Peucker: the points of `line` that keep it within `tol` pixels of itself (the
/// first and last always kept). Iterative, so a long line cannot exhaust the stack.
pub(crate) fn simplify(line: &[Pt], tol: f64) -> Vec<Pt> {
    if line.len() <= 2 {
        return line.to_vec();
    }
    let mut keep = vec![false; line.len()];
    keep[0] = true;
    keep[line.len() - 1] = true;
    let mut stack = vec![(0usize, line.len() - 1)];
    while let Some((i, j)) = stack.pop() {
        let (a, b) = (line[i], line[j]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt();
        let dist = |p: Pt| {
            if len == 0.0 {
                ((p.0 - a.0).powi(2) + (p.1 - a.1).powi(2)).sqrt()
            } else {
                ((p.0 - a.0) * dy - (p.1 - a.1) * dx).abs() / len
            }
        };
        let far = (i + 1..j)
            .map(|k| (k, dist(line[k])))
            .fold((i, 0.0f64), |m, x| if x.1 > m.1 { x } else { m });
        if far.1 > tol {
            keep[far.0] = true;
            stack.push((i, far.0));
            stack.push((far.0, j));
        }
    }
    line.iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

/// Rounded to whole pixels, without a point repeating the one before it.
fn rounded(pts: &[Pt]) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(pts.len());
    for p in pts {
        let q = (p.0.round() as i32, p.1.round() as i32);
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    out
}

/// Appends `M x y l dx dy …` (and `z` for a ring) to a path's data.
fn push_path(d: &mut String, pts: &[(i32, i32)], close: bool) {
    let num = |d: &mut String, v: i32, first: bool| {
        if !first && v >= 0 {
            d.push(' ');
        }
        d.push_str(itoa::Buffer::new().format(v));
    };
    d.push('M');
    num(d, pts[0].0, true);
    num(d, pts[0].1, false);
    d.push('l');
    let mut prev = pts[0];
    for (k, p) in pts[1..].iter().enumerate() {
        num(d, p.0 - prev.0, k == 0);
        num(d, p.1 - prev.1, false);
        prev = *p;
    }
    if close {
        d.push('z');
    }
}

/// Whether the segment `a`–`b` runs along one of the frame's edges (made by clipping).
fn on_edge(a: (i32, i32), b: (i32, i32), f: Frame) -> bool {
    let (w, h) = (f.w.round() as i32, f.h.round() as i32);
    (a.0 == b.0 && (a.0 <= 0 || a.0 >= w)) || (a.1 == b.1 && (a.1 <= 0 || a.1 >= h))
}

/// A clipped ring's outline as lines, leaving out what runs along the frame's edge.
fn outline(ring: &[(i32, i32)], f: Frame, d: &mut String) {
    let mut piece: Vec<(i32, i32)> = Vec::new();
    let n = ring.len();
    for k in 0..n {
        let (a, b) = (ring[k], ring[(k + 1) % n]);
        if on_edge(a, b, f) {
            if piece.len() >= 2 {
                push_path(d, &piece, false);
            }
            piece.clear();
            continue;
        }
        if piece.is_empty() {
            piece.push(a);
        }
        piece.push(b);
    }
    if piece.len() >= 2 {
        push_path(d, &piece, false);
    }
}

/// One layer's paths in a map whose projection is `xy` (longitude, latitude to pixels).
fn layer_paths(layer: &GeoLayer, xy: &dyn Fn(LonLat) -> Pt, f: Frame, tol: f64) -> Paths {
    let mut out = Paths::default();
    for shape in &layer.shapes {
        for (part, ring) in shape.geometry.parts() {
            let pts: Vec<Pt> = part.iter().map(|p| xy(*p)).collect();
            // Wholly outside the frame: nothing to clip.
            let (x0, x1, y0, y1) = pts.iter().fold(
                (
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                ),
                |b, p| (b.0.min(p.0), b.1.max(p.0), b.2.min(p.1), b.3.max(p.1)),
            );
            if x1 < 0.0 || y1 < 0.0 || x0 > f.w || y0 > f.h || pts.len() < 2 {
                continue;
            }
            if ring {
                let mut open = pts;
                if open.len() > 1 && open.first() == open.last() {
                    open.pop();
                }
                let clipped = clip_ring(&open, f);
                let mut closed = clipped.clone();
                closed.extend(clipped.first().copied());
                let mut r = rounded(&simplify(&closed, tol));
                if r.len() > 1 && r.first() == r.last() {
                    r.pop();
                }
                if r.len() < 3 {
                    continue;
                }
                if layer.role.filled() {
                    push_path(&mut out.fill, &r, true);
                }
                if layer.role != GeoRole::Water {
                    outline(&r, f, &mut out.stroke);
                }
            } else {
                for piece in clip_line(&pts, f) {
                    let r = rounded(&simplify(&piece, tol));
                    if r.len() >= 2 {
                        push_path(&mut out.stroke, &r, false);
                    }
                }
            }
        }
    }
    out
}

/// The fallback paint of a layer's fill and stroke (the theme restyles them by class).
fn paint(role: GeoRole) -> (&'static str, &'static str) {
    match role {
        GeoRole::Land => (" fill=\"#F2F4F1\"", " fill=\"none\" stroke=\"#A9B2BA\""),
        GeoRole::Water => (" fill=\"#C6DCEC\"", ""),
        GeoRole::Boundary => (
            "",
            " fill=\"none\" stroke=\"#7D8790\" stroke-dasharray=\"4 3\"",
        ),
        GeoRole::River => ("", " fill=\"none\" stroke=\"#6FA3C8\" stroke-width=\"1.5\""),
        GeoRole::RoadNetwork => ("", " fill=\"none\" stroke=\"#B8BEC4\""),
    }
}

/// Draws `layers` (in order: land, water, roads, rivers, boundaries) into `out` as paths, and
/// says which of them (by index) drew anything.
pub(crate) fn draw(
    layers: &[GeoLayer],
    xy: &dyn Fn(LonLat) -> Pt,
    f: Frame,
    out: &mut String,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..layers.len()).collect();
    let rank = |r: GeoRole| match r {
        GeoRole::Land => 0,
        GeoRole::Water => 1,
        GeoRole::RoadNetwork => 2,
        GeoRole::River => 3,
        GeoRole::Boundary => 4,
    };
    order.sort_by_key(|i| (rank(layers[*i].role), *i));
    let mut used = Vec::new();
    for i in order {
        let layer = &layers[i];
        let p = layer_paths(layer, xy, f, 1.0);
        if p.fill.is_empty() && p.stroke.is_empty() {
            continue;
        }
        used.push(i);
        let (fill, stroke) = paint(layer.role);
        let class = layer.role.code();
        if !p.fill.is_empty() {
            out.push_str(&format!(
                "<path class=\"geo-{class}\" fill-rule=\"evenodd\"{fill} d=\"{}\"/>",
                p.fill
            ));
        }
        if !p.stroke.is_empty() {
            out.push_str(&format!(
                "<path class=\"geo-{class}-line\"{stroke} d=\"{}\"/>",
                p.stroke
            ));
        }
    }
    used.sort_unstable();
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_and_lines_are_clipped_to_the_frame() {
        let f = Frame { w: 100.0, h: 50.0 };
        let r = clip_ring(
            &[(-10.0, -10.0), (50.0, -10.0), (50.0, 20.0), (-10.0, 20.0)],
            f,
        );
        assert!(
            r.iter()
                .all(|p| (0.0..=100.0).contains(&p.0) && (0.0..=50.0).contains(&p.1))
        );
        assert!(
            r.contains(&(0.0, 0.0)) && r.contains(&(50.0, 20.0)),
            "{r:?}"
        );
        let l = clip_line(&[(-50.0, 25.0), (150.0, 25.0), (150.0, 100.0)], f);
        assert_eq!(l, vec![vec![(0.0, 25.0), (100.0, 25.0)]]);
        assert!(clip_ring(&[(200.0, 0.0), (300.0, 0.0), (250.0, 40.0)], f).is_empty());
    }

    #[test]
    fn simplification_drops_points_within_a_pixel() {
        let line: Vec<Pt> = (0..=100)
            .map(|i| (f64::from(i), if i % 2 == 0 { 0.0 } else { 0.4 }))
            .collect();
        let s = simplify(&line, 1.0);
        assert_eq!(s, vec![(0.0, 0.0), (100.0, 0.0)]);
        let bend = simplify(&[(0.0, 0.0), (5.0, 5.0), (10.0, 0.0)], 1.0);
        assert_eq!(bend.len(), 3);
    }
}
