//! The map: settlements as points (kind by shape, status by colour and fill, with a legend in
//! words), roads as lines styled by status, airports marked; an equirectangular projection fitted
//! to the data, a scale bar and a north arrow. Labels that would overlap are left out, so the
//! map stays readable with thousands of places.

use super::chart::{color, text_width};
use super::layers::{self, Frame};
use super::svg::Svg;
use super::{BG, GRID, HIGHLIGHT, INK, LAND, MUTED, SEA, status_swatch, wrap_body};
use crate::site::lang::Lang;
use crate::site::model::Kind;
use crate::site::model::geo::{GeoLayer, GeoRole};
use plotters::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// A settlement on the map.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Place {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub kind_label: String,
    pub status: Option<String>,
    pub status_label: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub airport: bool,
    pub path: String,
}

/// A road on the map.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Line {
    pub id: String,
    pub label: String,
    pub status: Option<String>,
    pub status_label: Option<String>,
    pub points: Vec<(f64, f64)>,
    pub path: String,
}

/// A located record of a collection the site declares: a marker, shaped and coloured by its
/// collection.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Marker {
    pub kind: Kind,
    /// Its collection's position in [`MapData::collections`]: its shape and colour.
    pub coll: usize,
    pub id: String,
    pub label: String,
    pub status_label: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub path: String,
}

/// A collection the site declares, named in one language (one record, many).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Collection {
    pub kind: Kind,
    pub one: String,
    pub many: String,
}

/// What to draw, in one language.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapData {
    pub places: Vec<Place>,
    pub roads: Vec<Line>,
    /// Settlements without coordinates (listed, not drawn).
    pub unplaced: Vec<Place>,
    /// The located records of the collections the site declares, by collection, then id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<Marker>,
    /// Every collection the site declares, in the site's order (located records or not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub collections: Vec<Collection>,
    /// Background layers, drawn under the places and roads (the same in every language).
    #[serde(skip)]
    pub layers: std::sync::Arc<Vec<GeoLayer>>,
}

/// A fitted equirectangular projection.
struct Projection {
    lat0: f64,
    lon_min: f64,
    lat_max: f64,
    scale: f64,
    ox: f64,
    oy: f64,
}

impl Projection {
    fn fit(points: &[(f64, f64)], w: f64, h: f64, pad: f64) -> Projection {
        let (mut lat_min, mut lat_max, mut lon_min, mut lon_max) =
            (90.0f64, -90.0f64, 180.0f64, -180.0f64);
        for (lat, lon) in points {
            lat_min = lat_min.min(*lat);
            lat_max = lat_max.max(*lat);
            lon_min = lon_min.min(*lon);
            lon_max = lon_max.max(*lon);
        }
        if points.is_empty() {
            (lat_min, lat_max, lon_min, lon_max) = (39.0, 41.0, 46.0, 48.0);
        }
        // Never zoom in closer than about 0.2° so one point still shows its surroundings.
        let min_span = 0.2;
        if lat_max - lat_min < min_span {
            let m = (lat_max + lat_min) / 2.0;
            (lat_min, lat_max) = (m - min_span / 2.0, m + min_span / 2.0);
        }
        if lon_max - lon_min < min_span {
            let m = (lon_max + lon_min) / 2.0;
            (lon_min, lon_max) = (m - min_span / 2.0, m + min_span / 2.0);
        }
        let lat0 = ((lat_min + lat_max) / 2.0).to_radians();
        let span_x = (lon_max - lon_min) * lat0.cos();
        let span_y = lat_max - lat_min;
        let scale = ((w - 2.0 * pad) / span_x).min((h - 2.0 * pad) / span_y);
        let ox = (w - span_x * scale) / 2.0;
        let oy = (h - span_y * scale) / 2.0;
        Projection {
            lat0,
            lon_min,
            lat_max,
            scale,
            ox,
            oy,
        }
    }

    fn xy(&self, lat: f64, lon: f64) -> (i32, i32) {
        let (x, y) = self.xy_f(lat, lon);
        (x.round() as i32, y.round() as i32)
    }

    /// [`Projection::xy`] before rounding.
    fn xy_f(&self, lat: f64, lon: f64) -> (f64, f64) {
        let x = self.ox + (lon - self.lon_min) * self.lat0.cos() * self.scale;
        let y = self.oy + (self.lat_max - lat) * self.scale;
        (x, y)
    }

    /// Kilometres per pixel.
    fn km_per_px(&self) -> f64 {
        111.32 / self.scale
    }
}

fn airport_shape(x: i32, y: i32) -> Vec<(i32, i32)> {
    [
        (0, -7),
        (1, -2),
        (7, 1),
        (7, 2),
        (1, 1),
        (1, 5),
        (3, 7),
        (-3, 7),
        (-1, 5),
        (-1, 1),
        (-7, 2),
        (-7, 1),
        (-1, -2),
    ]
    .iter()
    .map(|(dx, dy)| (x + dx, y + dy))
    .collect()
}

type Area<'a> = DrawingArea<Svg<'a>, plotters::coord::Shift>;

fn draw_place(
    pen: &mut Svg,
    kind: &str,
    status: Option<&str>,
    (x, y): (i32, i32),
    highlight: bool,
) {
    let sw = if highlight {
        HIGHLIGHT
    } else {
        status_swatch(status.unwrap_or(""))
    };
    // Resettled places are filled; others are outlines: status is not told by colour alone.
    let filled = status == Some("resettled") || highlight;
    match kind {
        "city" => pen.circle((x, y), 6, sw, filled, 2),
        // (An outlined rectangle is one unit wide, as plotters draws it.)
        "town" => pen.rect((x - 5, y - 5), (x + 5, y + 5), sw, 1.0, filled),
        _ => pen.polygon([(x, y - 6), (x + 6, y + 5), (x - 6, y + 5)], sw),
    }
    if !filled {
        // A white core keeps outlines readable over roads.
        pen.circle((x, y), 1, BG, true, 1);
    }
}

/// The shapes of the declared collections' markers (about 7 units from their middle), one a
/// collection in the site's order, then again: none is a settlement's circle, square or
/// upward triangle, so a marker never reads as a settlement.
const MARKER_SHAPES: [&[(i32, i32)]; 6] = [
    // A diamond.
    &[(0, -7), (7, 0), (0, 7), (-7, 0)],
    // A triangle pointing down.
    &[(-7, -5), (7, -5), (0, 7)],
    // A plus.
    &[
        (-2, -7),
        (2, -7),
        (2, -2),
        (7, -2),
        (7, 2),
        (2, 2),
        (2, 7),
        (-2, 7),
        (-2, 2),
        (-7, 2),
        (-7, -2),
        (-2, -2),
    ],
    // A hexagon.
    &[(0, -7), (6, -4), (6, 4), (0, 7), (-6, 4), (-6, -4)],
    // A pentagon.
    &[(0, -7), (7, -2), (4, 6), (-4, 6), (-7, -2)],
    // A star.
    &[
        (0, -7),
        (2, -2),
        (7, -2),
        (3, 1),
        (4, 7),
        (0, 3),
        (-4, 7),
        (-3, 1),
        (-7, -2),
        (-2, -2),
    ],
];

/// The fills of the declared collections' markers, in turn: the chart series' colours (4:1
/// and more against the map's ground, land or sea) but their orange, which is too near the
/// highlight's.
const MARKER_FILLS: [super::Swatch; 7] = {
    let s = super::SERIES;
    [s[0], s[2], s[3], s[4], s[5], s[6], s[7]]
};

/// The shape and fill of the markers of the collection at `slot` (its place among the site's
/// declared collections): fixed, so a collection looks the same on every map and page. The
/// shapes change with the fills, so a collection is not told by colour alone.
fn marker_style(slot: usize) -> (&'static [(i32, i32)], super::Swatch) {
    (
        MARKER_SHAPES[slot % MARKER_SHAPES.len()],
        MARKER_FILLS[slot % MARKER_FILLS.len()],
    )
}

/// A declared collection's marker at a point: its shape filled in its collection's colour,
/// on a light rim that keeps it readable over roads; the highlighted one in the highlight
/// colour, ringed.
fn draw_marker(pen: &mut Svg, slot: usize, (x, y): (i32, i32), highlight: bool) {
    let (shape, fill) = marker_style(slot);
    let at = |k: i32| {
        shape
            .iter()
            .map(move |(dx, dy)| (x + dx * k / 7, y + dy * k / 7))
    };
    pen.polygon(at(10), BG);
    pen.polygon(at(7), if highlight { HIGHLIGHT } else { fill });
    if highlight {
        pen.circle((x, y), 12, HIGHLIGHT, false, 2);
    }
}

fn road_style(
    pen: &mut Svg,
    status: Option<&str>,
    pts: impl IntoIterator<Item = (i32, i32)>,
    highlight: bool,
) {
    let sw = if highlight {
        HIGHLIGHT
    } else {
        super::road_swatch(status)
    };
    pen.polyline(pts, sw, if highlight { 5 } else { 3 });
}

/// Opens a link to a record's page around what is drawn next (its `path` from the language's
/// home, after [`super::HOME_MARK`], which [`figure`] replaces), named for screen readers.
fn link(pen: &mut Svg, on: bool, path: &str, name: &str) {
    if on {
        pen.raw(&format!(
            "<a href=\"{}{}\" aria-label=\"{}\">",
            super::HOME_MARK,
            super::esc(path),
            super::esc(name)
        ));
    }
}

fn unlink(pen: &mut Svg, on: bool) {
    if on {
        pen.raw("</a>");
    }
}

/// Draws with [`Svg`]'s own shapes on a plotters drawing area (the map's legend, among its
/// words): the same as drawing them on the pen directly.
struct Raw<F>(F);

impl<'a, F> plotters::element::PointCollection<'a, (i32, i32)> for &'a Raw<F> {
    type Point = &'a (i32, i32);
    type IntoIter = std::iter::Empty<&'a (i32, i32)>;
    fn point_iter(self) -> std::iter::Empty<&'a (i32, i32)> {
        std::iter::empty()
    }
}

impl<'b, F: Fn(&mut Svg<'b>)> plotters::element::Drawable<Svg<'b>> for Raw<F> {
    fn draw<I: Iterator<Item = (i32, i32)>>(
        &self,
        _: I,
        pen: &mut Svg<'b>,
        _: (u32, u32),
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::convert::Infallible>> {
        (self.0)(pen);
        Ok(())
    }
}

/// What one map draws: all of a [`MapData`]'s places and roads, or a locator map's few.
struct Shown<'d> {
    places: Vec<&'d Place>,
    roads: Vec<&'d Line>,
    markers: Vec<&'d Marker>,
    collections: &'d [Collection],
    layers: &'d [GeoLayer],
}

impl MapData {
    /// Everything, but at most [`BIG_MAX`] markers (see [`MapData::big_markers`]).
    fn all(&self) -> Shown<'_> {
        Shown {
            places: self.places.iter().collect(),
            roads: self.roads.iter().collect(),
            markers: self.big_markers(),
            collections: &self.collections,
            layers: &self.layers,
        }
    }

    /// The markers the big map draws: all of them, or past [`BIG_MAX`] that many, taking each
    /// collection in turn (each one's in id order), so every collection keeps its share. The
    /// map page's table and the data downloads have them all.
    fn big_markers(&self) -> Vec<&Marker> {
        if self.markers.len() <= BIG_MAX {
            return self.markers.iter().collect();
        }
        let mut per: BTreeMap<usize, Vec<&Marker>> = BTreeMap::new();
        for m in &self.markers {
            per.entry(m.coll).or_default().push(m);
        }
        let mut out = Vec::with_capacity(BIG_MAX);
        for turn in 0.. {
            let before = out.len();
            out.extend(per.values().filter_map(|v| v.get(turn).copied()));
            if out.len() >= BIG_MAX || out.len() == before {
                break;
            }
        }
        out.truncate(BIG_MAX);
        out
    }
}

/// The size of a map and its projection, fitted to what it shows.
struct Layout {
    w: u32,
    h: u32,
    map_h: u32,
    proj: Projection,
}

/// `legend_h`: the height of the legend under the map (none on a locator map).
fn layout(d: &Shown, highlight: Option<(Kind, &str)>, small: bool, legend_h: u32) -> Layout {
    let (w, map_h) = if small {
        (360u32, 260u32)
    } else {
        (720u32, 560u32)
    };
    let h = map_h + legend_h;
    let mut pts: Vec<(f64, f64)> = d.places.iter().map(|p| (p.lat, p.lon)).collect();
    for r in &d.roads {
        pts.extend(r.points.iter().copied());
    }
    pts.extend(d.markers.iter().map(|m| (m.lat, m.lon)));
    // A locator map is fitted to its record and its neighbourhood.
    if let (true, Some((kind, hid))) = (small, highlight) {
        let focus: Vec<(f64, f64)> = match kind {
            Kind::City => d
                .places
                .iter()
                .filter(|p| p.id == hid)
                .map(|p| (p.lat, p.lon))
                .collect(),
            Kind::Own(_) => d
                .markers
                .iter()
                .filter(|m| m.kind == kind && m.id == hid)
                .map(|m| (m.lat, m.lon))
                .collect(),
            _ => d
                .roads
                .iter()
                .filter(|r| r.id == hid)
                .flat_map(|r| r.points.clone())
                .collect(),
        };
        if !focus.is_empty() {
            let (mut a, mut b, mut c, mut e) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
            for (lat, lon) in &focus {
                a = a.min(*lat);
                b = b.max(*lat);
                c = c.min(*lon);
                e = e.max(*lon);
            }
            let m = 0.35;
            pts = vec![(a - m, c - m), (b + m, e + m)];
        }
    }
    let proj = Projection::fit(
        &pts,
        f64::from(w),
        f64::from(map_h),
        if small { 24.0 } else { 40.0 },
    );
    Layout { w, h, map_h, proj }
}

/// The places a map draws, in drawing order (the most important last, on top).
fn place_order<'d>(d: &Shown<'d>, highlight: Option<(Kind, &str)>, small: bool) -> Vec<&'d Place> {
    let dense = !small && d.places.len() > BIG_MAX;
    let rank = |p: &Place| -> u8 {
        if highlight == Some((Kind::City, p.id.as_str())) {
            4
        } else {
            match p.kind.as_str() {
                "city" => 3,
                "town" => 2,
                _ => 1,
            }
        }
    };
    // By rank, then id: every place is in its map data's list, which is in id order (see
    // `data`), so where it is in that list orders by id without comparing ids.
    let mut ranked: Vec<(u8, *const Place, &Place)> = d
        .places
        .iter()
        .map(|p| (rank(p), std::ptr::from_ref(*p), *p))
        .collect();
    ranked.sort_unstable_by_key(|t| (t.0, t.1));
    if dense {
        // The most important places, by kind (then id, for a stable choice).
        ranked.sort_unstable_by_key(|t| (std::cmp::Reverse(t.0), t.1));
        ranked.truncate(BIG_MAX);
        ranked.reverse();
    }
    ranked.into_iter().map(|t| t.2).collect()
}

/// The map's ground, its background layers and its frame; which layers it drew (by index in
/// [`MapData::layers`]).
fn ground(pen: &mut Svg, d: &Shown, l: &Layout) -> Vec<usize> {
    let (w, map_h, proj) = (l.w, l.map_h, &l.proj);
    let mut background = String::new();
    let used = layers::draw(
        d.layers,
        &|p| proj.xy_f(p[1], p[0]),
        Frame {
            w: f64::from(w),
            h: f64::from(map_h),
        },
        &mut background,
    );
    // Where a land layer is drawn, what is not land is water.
    let ground = if used.iter().any(|i| d.layers[*i].role == GeoRole::Land) {
        SEA
    } else {
        LAND
    };
    // (A drawing area's fill: from its corner to its size.)
    pen.rect((0, 0), (w as i32, l.h as i32), BG, 1.0, true);
    pen.rect((0, 0), (w as i32, map_h as i32), ground, 1.0, true);
    if !background.is_empty() {
        pen.raw(&background);
    }
    pen.rect((0, 0), (w as i32 - 1, map_h as i32 - 1), GRID, 1.0, false);
    used
}

/// The roads of a map, under its places: open ones over the others, the highlighted one last;
/// on the big map each a link to its page.
fn draw_roads(
    pen: &mut Svg,
    d: &Shown,
    proj: &Projection,
    highlight: Option<(Kind, &str)>,
    small: bool,
) {
    // Roads under places; the highlighted one last.
    let mut roads: Vec<&Line> = d.roads.clone();
    if !small && roads.len() > BIG_MAX {
        let order = |r: &Line| match r.status.as_deref() {
            Some("open") => 0,
            Some("under-construction") => 1,
            _ => 2,
        };
        roads.sort_by(|a, b| order(a).cmp(&order(b)).then(a.id.cmp(&b.id)));
        roads.truncate(BIG_MAX);
    }
    let is_highlight = |r: &Line| highlight == Some((Kind::Road, r.id.as_str()));
    let (mut roads, lit): (Vec<&Line>, Vec<&Line>) =
        roads.into_iter().partition(|r| !is_highlight(r));
    // Open roads over those being built, over planned ones, over the rest (where roads
    // cross, the one a reader can drive on shows), each status's in the order they came in
    // (a stable sort). Roads of one status in a row share their style, which the pen then
    // writes once.
    roads.sort_by_key(|r| match r.status.as_deref() {
        Some("open") => 3,
        Some("under-construction") => 2,
        Some("planned") => 1,
        _ => 0,
    });
    let first_lit = roads.len();
    roads.extend(lit);
    for (i, r) in roads.iter().enumerate() {
        let p = r.points.iter().map(|(la, lo)| proj.xy(*la, *lo));
        // On the big map each road and place links to its page.
        link(pen, !small, &r.path, &r.label);
        if !small {
            // A wider, unpainted line under the road: its link is easy to hit, dashes or not.
            let pts: Vec<String> = r
                .points
                .iter()
                .map(|(la, lo)| {
                    let (x, y) = proj.xy(*la, *lo);
                    format!("{x},{y}")
                })
                .collect();
            pen.raw(&format!(
                "<polyline class=\"hit\" points=\"{}\" fill=\"none\" stroke=\"#000\" stroke-opacity=\"0\" stroke-width=\"9\"/>",
                pts.join(" ")
            ));
        }
        road_style(pen, r.status.as_deref(), p, i >= first_lit);
        unlink(pen, !small);
    }
}

/// The part of a map without words: land, the background layers, the density grid, roads,
/// places and airports. The same in every language. Says which of the layers (by index in
/// [`MapData::layers`]) it drew.
fn draw_geometry(
    pen: &mut Svg,
    d: &Shown,
    l: &Layout,
    highlight: Option<(Kind, &str)>,
    small: bool,
) -> Vec<usize> {
    let used = ground(pen, d, l);
    let (w, map_h, proj) = (l.w, l.map_h, &l.proj);
    let inside = |(x, y): (i32, i32)| x >= 0 && y >= 0 && x <= w as i32 && y <= map_h as i32;
    // With many places, all of them are shown as a density grid under the most important
    // ones drawn as points; roads are capped the same way (open ones first). The data
    // downloads and the map page's table have everything.
    let dense = !small && d.places.len() > BIG_MAX;
    if dense {
        let cell = 16;
        let mut counts: BTreeMap<(i32, i32), usize> = BTreeMap::new();
        for p in &d.places {
            let (x, y) = proj.xy(p.lat, p.lon);
            if inside((x, y)) {
                *counts.entry((x / cell, y / cell)).or_default() += 1;
            }
        }
        let max = counts.values().copied().max().unwrap_or(1).max(1) as f64;
        for ((cx, cy), n) in &counts {
            // Four shades, from the grid colour to the muted ink.
            let level = ((*n as f64 / max).sqrt() * 3.0).round() as usize;
            let sw = [GRID, GRID, MUTED, INK][level.min(3)];
            let opacity = [0.5, 0.9, 0.45, 0.55][level.min(3)];
            pen.rect(
                (cx * cell, cy * cell),
                (cx * cell + cell - 1, cy * cell + cell - 1),
                sw,
                opacity,
                true,
            );
        }
    }
    draw_roads(pen, d, proj, highlight, small);
    // Places, most important last so they sit on top.
    let places = place_order(d, highlight, small);
    let lit = match highlight {
        Some((Kind::City, id)) => places.iter().rposition(|p| p.id == id),
        _ => None,
    };
    for (i, p) in places.iter().enumerate() {
        let xy = proj.xy(p.lat, p.lon);
        if !inside(xy) {
            continue;
        }
        link(pen, !small, &p.path, &p.label);
        draw_place(pen, &p.kind, p.status.as_deref(), xy, lit == Some(i));
        if p.airport {
            let (x, y) = xy;
            pen.polygon(airport_shape(x - 12, y - 11), INK);
        }
        unlink(pen, !small);
    }
    draw_markers(pen, d, l, highlight, small);
    used
}

/// The markers of the declared collections' records, over the places (the highlighted one
/// last); on the big map each a link to its page, named with its collection.
fn draw_markers(
    pen: &mut Svg,
    d: &Shown,
    l: &Layout,
    highlight: Option<(Kind, &str)>,
    small: bool,
) {
    let (w, map_h) = (l.w as i32, l.map_h as i32);
    let lit = |m: &Marker| highlight == Some((m.kind, m.id.as_str()));
    let (others, lit): (Vec<&Marker>, Vec<&Marker>) = d.markers.iter().partition(|m| !lit(m));
    for (m, on) in others
        .iter()
        .map(|m| (m, false))
        .chain(lit.iter().map(|m| (m, true)))
    {
        let (x, y) = l.proj.xy(m.lat, m.lon);
        if x < 0 || y < 0 || x > w || y > map_h {
            continue;
        }
        link(pen, !small, &m.path, &marker_name(d.collections, m));
        draw_marker(pen, m.coll, (x, y), on);
        unlink(pen, !small);
    }
}

/// A marker's name for screen readers: the record's name and its collection's.
fn marker_name(collections: &[Collection], m: &Marker) -> String {
    match collections.get(m.coll) {
        Some(c) => format!("{} ({})", m.label, c.one),
        None => m.label.clone(),
    }
}

/// The words of a map and what goes with them: labels, the scale bar, the north arrow and (on
/// the big map) the legend.
fn draw_words(
    root: &Area,
    d: &Shown,
    l: &Layout,
    lang: &Lang,
    highlight: Option<(Kind, &str)>,
    small: bool,
) {
    draw_labels(root, d, l, highlight, small);
    draw_scale_bar(root, l, lang, small);
    draw_north_arrow(root, l, lang);
    if !small {
        legend(root, d, lang, l.map_h as i32, l.w as i32);
    }
}

/// The places' labels: most important first; one that would overlap another is left out.
/// The highlighted place is labelled first, then its neighbours where there is room.
fn draw_labels(root: &Area, d: &Shown, l: &Layout, highlight: Option<(Kind, &str)>, small: bool) {
    let (w, map_h, proj) = (l.w, l.map_h, &l.proj);
    let inside = |(x, y): (i32, i32)| x >= 0 && y >= 0 && x <= w as i32 && y <= map_h as i32;
    let places = place_order(d, highlight, small);
    // (Not over the north arrow or the scale bar.)
    let mut taken: Vec<(i32, i32, i32, i32)> = vec![
        (w as i32 - 40, 0, w as i32, 52),
        (0, map_h as i32 - 34, 150, map_h as i32),
    ];
    let font = if small { 15 } else { 16 };
    // A highlighted marker first, then the places, then the other markers.
    let lit = |m: &&Marker| highlight == Some((m.kind, m.id.as_str()));
    let markers = || d.markers.iter().copied();
    let order = (markers()
        .filter(lit)
        .map(|m| (m.lat, m.lon, m.label.as_str())))
    .chain(
        places
            .iter()
            .rev()
            .map(|p| (p.lat, p.lon, p.label.as_str())),
    )
    .chain(
        markers()
            .filter(|m| !lit(m))
            .map(|m| (m.lat, m.lon, m.label.as_str())),
    );
    for (lat, lon, label) in order {
        let (x, y) = proj.xy(lat, lon);
        if !inside((x, y)) {
            continue;
        }
        let tw = text_width(label, f64::from(font) / 1.24);
        let right = x + 9 + tw < w as i32 - 4;
        let bx = if right {
            (x + 8, y - 9, x + 10 + tw, y + 8)
        } else {
            (x - 10 - tw, y - 9, x - 8, y + 8)
        };
        if taken
            .iter()
            .any(|t| bx.0 < t.2 && t.0 < bx.2 && bx.1 < t.3 && t.1 < bx.3)
        {
            continue;
        }
        taken.push(bx);
        let style = ("sans-serif", font).into_font().color(&color(INK)).pos(
            plotters::style::text_anchor::Pos::new(
                if right {
                    plotters::style::text_anchor::HPos::Left
                } else {
                    plotters::style::text_anchor::HPos::Right
                },
                plotters::style::text_anchor::VPos::Center,
            ),
        );
        let _ = root.draw(&Text::new(
            label.to_string(),
            (if right { x + 9 } else { x - 9 }, y),
            style,
        ));
    }
}

/// The scale bar, bottom left: a round number of kilometres about 100 pixels long (60 on a
/// small map).
fn draw_scale_bar(root: &Area, l: &Layout, lang: &Lang, small: bool) {
    let kmpp = l.proj.km_per_px();
    let target_px = if small { 60.0 } else { 100.0 };
    let raw = kmpp * target_px;
    let nice = [
        1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0,
    ]
    .into_iter()
    .rev()
    .find(|n| *n <= raw)
    .unwrap_or(1.0);
    let px = (nice / kmpp).round() as i32;
    let (sx, sy) = (14, l.map_h as i32 - 16);
    let ink = ShapeStyle::from(&color(INK)).stroke_width(2);
    let _ = root.draw(&PathElement::new(
        vec![(sx, sy - 5), (sx, sy), (sx + px, sy), (sx + px, sy - 5)],
        ink,
    ));
    let _ = root.draw(&Text::new(
        format!("{} km", lang.num(nice, 0)),
        (sx + px + 6, sy - 8),
        ("sans-serif", 15).into_font().color(&color(INK)),
    ));
}

/// The north arrow, top right.
fn draw_north_arrow(root: &Area, l: &Layout, lang: &Lang) {
    let (nx, ny) = (l.w as i32 - 22, 16);
    let _ = root.draw(&Polygon::new(
        vec![
            (nx, ny),
            (nx + 7, ny + 18),
            (nx, ny + 13),
            (nx - 7, ny + 18),
        ],
        color(INK).filled(),
    ));
    let _ = root.draw(&Text::new(
        lang.t("map_north").to_string(),
        (nx, ny + 22),
        ("sans-serif", 15).into_font().color(&color(INK)).pos(
            plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Top,
            ),
        ),
    ));
}

/// Draws the map. `highlight` marks one record (a locator map); `small` leaves out the legend
/// and labels all but the highlighted record. Also gives the background layers it drew (by index
/// in [`MapData::layers`]), which [`figure`] credits.
pub fn svg_layers(
    d: &MapData,
    lang: &Lang,
    id: &str,
    title: &str,
    desc: &str,
    highlight: Option<(Kind, &str)>,
    small: bool,
) -> (String, Vec<usize>) {
    let d = &d.all();
    let legend_h = if small {
        0
    } else {
        legend_height(d, lang, 720)
    };
    let l = layout(d, highlight, small, legend_h.max(0) as u32);
    let mut buf = String::new();
    let used = draw_geometry(&mut Svg::new(&mut buf, (l.w, l.h)), d, &l, highlight, small);
    {
        let root = Svg::new(&mut buf, (l.w, l.h)).into_drawing_area();
        draw_words(&root, d, &l, lang, highlight, small);
    }
    let mut svg = wrap_body(&buf, id, l.w, l.h, title, desc, "map-graphic");
    if !small {
        // Its links are for everyone: not an image whose parts a screen reader cannot reach.
        svg = svg.replacen("role=\"img\"", "role=\"group\"", 1);
    }
    (svg, used)
}

/// The line under a map that credits the background layers it drew (`used`, by index in
/// `layers`), each source and licence once; empty when it drew none.
pub fn credit(layers: &[GeoLayer], used: &[usize], lang: &Lang) -> String {
    let mut names: Vec<String> = Vec::new();
    for i in used {
        let Some(l) = layers.get(*i) else { continue };
        let name = lang.tf(
            "map_credit_item",
            &[("attribution", &l.attribution), ("licence", &l.licence)],
        );
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"chart-meta map-credit\">{}</p>\n",
        super::esc(&lang.tf("map_credit", &[("list", &names.join("; "))]))
    )
}

/// What a map's legend lists: exactly what the map shows, in a fixed order.
struct LegendContent<'a> {
    kinds: Vec<&'static str>,
    statuses: Vec<Option<&'static str>>,
    roads: Vec<Option<&'static str>>,
    airport: bool,
    /// The declared collections with a marker on the map, by position in
    /// [`MapData::collections`], with their names.
    collections: Vec<(usize, &'a str)>,
}

const PLACE_STATUSES: [&str; 3] = ["resettled", "under-reconstruction", "planned"];
const ROAD_STATUSES: [&str; 3] = ["open", "under-construction", "planned"];

/// The known code `code` is, or none (drawn as status unknown).
fn known(list: &[&'static str], code: Option<&str>) -> Option<&'static str> {
    list.iter().copied().find(|c| Some(*c) == code)
}

fn legend_content<'a>(d: &Shown<'a>) -> LegendContent<'a> {
    let kinds = ["city", "town", "village"]
        .into_iter()
        .filter(|k| {
            d.places.iter().any(|p| match p.kind.as_str() {
                "city" | "town" => p.kind == *k,
                _ => *k == "village",
            })
        })
        .collect();
    let place_status: Vec<Option<&str>> = d
        .places
        .iter()
        .map(|p| known(&PLACE_STATUSES, p.status.as_deref()))
        .collect();
    let statuses = PLACE_STATUSES
        .iter()
        .map(|s| Some(*s))
        .chain([None])
        .filter(|s| place_status.contains(s))
        .collect();
    let road_status: Vec<Option<&str>> = d
        .roads
        .iter()
        .map(|r| known(&ROAD_STATUSES, r.status.as_deref()))
        .collect();
    let roads = ROAD_STATUSES
        .iter()
        .map(|s| Some(*s))
        .chain([None])
        .filter(|s| road_status.contains(s))
        .collect();
    let shown: std::collections::BTreeSet<usize> = d.markers.iter().map(|m| m.coll).collect();
    let collections = shown
        .into_iter()
        .filter_map(|i| Some((i, d.collections.get(i)?.many.as_str())))
        .collect();
    LegendContent {
        kinds,
        statuses,
        roads,
        airport: d.places.iter().any(|p| p.airport),
        collections,
    }
}

/// Draws a legend entry's key at a point.
type LegendKey<'a> = Box<dyn Fn(&mut Svg, (i32, i32)) + 'a>;
/// One column of the legend: a heading and its entries, each drawn by its key.
type LegendColumn<'a> = (String, Vec<(String, LegendKey<'a>)>);

/// The legend's columns in this language.
fn legend_columns<'a>(c: &'a LegendContent, lang: &Lang) -> Vec<LegendColumn<'a>> {
    let mut cols: Vec<LegendColumn> = Vec::new();
    if !c.kinds.is_empty() {
        let items = c
            .kinds
            .iter()
            .map(|k| {
                let key: LegendKey =
                    Box::new(move |pen, (x, y)| draw_place(pen, k, None, (x + 6, y), false));
                (lang.code("city_kind", k), key)
            })
            .collect();
        cols.push((lang.t("map_settlements").to_string(), items));
    }
    if !c.statuses.is_empty() {
        let items = c
            .statuses
            .iter()
            .map(|s| {
                let label = match s {
                    Some("resettled") => format!(
                        "{} ({})",
                        lang.code("city_status", "resettled"),
                        lang.t("map_filled")
                    ),
                    Some(s) => lang.code("city_status", s),
                    None => lang.t("unknown").to_string(),
                };
                let key: LegendKey =
                    Box::new(move |pen, (x, y)| draw_place(pen, "city", *s, (x + 6, y), false));
                (label, key)
            })
            .collect();
        cols.push((lang.t("status").to_string(), items));
    }
    if !c.roads.is_empty() {
        let items = c
            .roads
            .iter()
            .map(|s| {
                let label = match s {
                    Some(s) => lang.code("road_status", s),
                    None => lang.t("unknown").to_string(),
                };
                let key: LegendKey =
                    Box::new(move |pen, (x, y)| road_style(pen, *s, [(x, y), (x + 24, y)], false));
                (label, key)
            })
            .collect();
        cols.push((lang.t("map_roads").to_string(), items));
    }
    if c.airport {
        let key: LegendKey = Box::new(|pen, (x, y)| pen.polygon(airport_shape(x + 7, y + 1), INK));
        cols.push((
            String::new(),
            vec![(lang.t("map_airport").to_string(), key)],
        ));
    }
    if !c.collections.is_empty() {
        // Each declared collection shown, by its name (its records' names are on the map).
        let items = c
            .collections
            .iter()
            .map(|(slot, name)| {
                let key: LegendKey =
                    Box::new(move |pen, (x, y)| draw_marker(pen, *slot, (x + 7, y), false));
                (name.to_string(), key)
            })
            .collect();
        cols.push((String::new(), items));
    }
    cols
}

/// The legend's font size (plotters' size; the SVG's is this divided by 1.24) and row height.
const LEGEND_FONT: u32 = 15;
const LEGEND_ROW: i32 = 20;
/// Where an entry's text starts after its key.
const KEY_W: i32 = 32;

/// Where each column goes, left to right in bands as wide as the map, each from measured text
/// widths; and the legend's height.
fn legend_places(cols: &[LegendColumn], w: i32) -> (Vec<(i32, i32)>, i32) {
    let px = f64::from(LEGEND_FONT) / 1.24;
    let mut out = Vec::new();
    let (mut x, mut band_top, mut band_h) = (14, 0, 0);
    for (head, items) in cols {
        let col_w = items
            .iter()
            .map(|(l, _)| KEY_W + text_width(l, px))
            .chain([text_width(head, px)])
            .max()
            .unwrap_or(0);
        let rows = items.len() as i32 + i32::from(!head.is_empty());
        if x > 14 && x + col_w > w - 14 {
            x = 14;
            band_top += band_h + 8;
            band_h = 0;
        }
        out.push((x, band_top));
        band_h = band_h.max(rows * LEGEND_ROW);
        x += col_w + 28;
    }
    let height = if cols.is_empty() {
        0
    } else {
        band_top + band_h + 24
    };
    (out, height)
}

/// The legend's height for `d` on a map `w` wide, in this language.
fn legend_height(d: &Shown, lang: &Lang, w: i32) -> i32 {
    let content = legend_content(d);
    legend_places(&legend_columns(&content, lang), w).1
}

fn legend(area: &Area, d: &Shown, lang: &Lang, top: i32, w: i32) {
    let font = ("sans-serif", LEGEND_FONT).into_font().color(&color(INK));
    let head = ("sans-serif", LEGEND_FONT).into_font().color(&color(MUTED));
    let content = legend_content(d);
    let cols = legend_columns(&content, lang);
    let (places, _) = legend_places(&cols, w);
    for ((title, items), (x, dy)) in cols.iter().zip(places) {
        let mut y = top + 12 + dy;
        if !title.is_empty() {
            let _ = area.draw(&Text::new(title.clone(), (x, y), head.clone()));
            y += LEGEND_ROW;
        }
        for (label, key) in items {
            let _ = area.draw(&Raw(|pen: &mut Svg| key(pen, (x, y + 7))));
            let _ = area.draw(&Text::new(label.clone(), (x + KEY_W, y), font.clone()));
            y += LEGEND_ROW;
        }
    }
}

/// The description of a map: how many places and roads, and where.
pub fn describe(d: &MapData, lang: &Lang) -> String {
    let names: Vec<String> = d
        .places
        .iter()
        .map(|p| match &p.status_label {
            Some(s) => format!(
                "{} ({}, {})",
                p.label,
                p.kind_label.to_lowercase(),
                s.to_lowercase()
            ),
            None => format!("{} ({})", p.label, p.kind_label.to_lowercase()),
        })
        .collect();
    let roads: Vec<String> = d
        .roads
        .iter()
        .map(|r| match &r.status_label {
            Some(s) => format!("{} ({})", r.label, s.to_lowercase()),
            None => r.label.clone(),
        })
        .collect();
    // A long list is cut: the full list is in the table beside the map.
    let cut = |mut v: Vec<String>| {
        if v.len() > 40 {
            let more = v.len() - 40;
            v.truncate(40);
            v.push(format!("… (+{more})"));
        }
        v
    };
    let (names, roads) = (cut(names), cut(roads));
    let mut desc = lang.tf(
        "map_desc",
        &[
            ("places", &d.places.len().to_string()),
            ("roads", &d.roads.len().to_string()),
            ("place_list", &names.join(", ")),
            ("road_list", &roads.join(", ")),
        ],
    );
    // Then each declared collection's records on the map, after its name.
    for (i, c) in d.collections.iter().enumerate() {
        let names: Vec<String> = d
            .markers
            .iter()
            .filter(|m| m.coll == i)
            .map(|m| match &m.status_label {
                Some(s) => format!("{} ({})", m.label, s.to_lowercase()),
                None => m.label.clone(),
            })
            .collect();
        if !names.is_empty() {
            desc.push_str(&format!(" {}: {}.", c.many, cut(names).join(", ")));
        }
    }
    desc
}

/// The map's places and roads as tables, in a `<details>` shown open.
fn tables(d: &MapData, lang: &Lang, home: &str) -> String {
    use super::esc;
    let mut h = String::new();
    // The table is bounded: past MAX_TABLE places, the rest are in the data downloads.
    let shown = d.places.len().min(MAX_TABLE);
    h.push_str(&format!(
        // Open: on a phone the table of places is the map's readable form.
        "<details class=\"chart-data\" open><summary>{}</summary>\n<div class=\"table-wrap\" role=\"region\" aria-label=\"{}\" tabindex=\"0\"><table class=\"data\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(lang.t("map_table")),
        esc(lang.t("map_table")),
        esc(lang.t("name")),
        esc(lang.t("kind")),
        esc(lang.t("status")),
        esc(lang.t("location")),
    ));
    for p in &d.places[..shown] {
        h.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"{}{}\">{}</a>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(home),
            esc(&p.path),
            esc(&p.label),
            if p.airport { format!(" <span class=\"badge\">{}</span>", esc(lang.t("map_airport"))) } else { String::new() },
            esc(&p.kind_label),
            esc(p.status_label.as_deref().unwrap_or("—")),
            esc(&lang.tf("coordinates", &[("lat", &lang.num(p.lat, 4)), ("lon", &lang.num(p.lon, 4))])),
        ));
    }
    // The declared collections' records after the settlements, with their collection as
    // their kind, while there is room.
    let markers = d.markers.len().min(MAX_TABLE - shown);
    for m in &d.markers[..markers] {
        h.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"{}{}\">{}</a></th><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(home),
            esc(&m.path),
            esc(&m.label),
            esc(d.collections.get(m.coll).map_or("", |c| c.one.as_str())),
            esc(m.status_label.as_deref().unwrap_or("—")),
            esc(&lang.tf("coordinates", &[("lat", &lang.num(m.lat, 4)), ("lon", &lang.num(m.lon, 4))])),
        ));
    }
    h.push_str("</tbody></table></div>\n");
    let (shown, total) = (shown + markers, d.places.len() + d.markers.len());
    if shown < total {
        h.push_str(&format!(
            "<p class=\"chart-meta\">{} <a href=\"{}data/\">{}</a></p>\n",
            esc(&lang.tf(
                "map_table_cut",
                &[("n", &shown.to_string()), ("total", &total.to_string())]
            )),
            esc(home),
            esc(lang.t("map_full_data"))
        ));
    }
    if !d.roads.is_empty() && d.roads.len() <= MAX_TABLE {
        h.push_str(&format!(
            "<div class=\"table-wrap\" role=\"region\" aria-label=\"{}\" tabindex=\"0\"><table class=\"data\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(lang.t("map_roads")),
            esc(lang.t("map_roads")),
            esc(lang.t("status")),
        ));
        for r in &d.roads {
            h.push_str(&format!(
                "<tr><th scope=\"row\"><a href=\"{}{}\">{}</a></th><td>{}</td></tr>",
                esc(home),
                esc(&r.path),
                esc(&r.label),
                esc(r.status_label.as_deref().unwrap_or("—")),
            ));
        }
        h.push_str("</tbody></table></div>\n");
    }
    h.push_str("</details>\n");
    h
}

/// The most rows the map's tables show; the data downloads have everything.
pub const MAX_TABLE: usize = 500;

/// The map as a figure: caption, SVG, the places and roads as tables, and places without
/// coordinates named.
pub fn figure(
    d: &MapData,
    lang: &Lang,
    (svg, used): (&str, &[usize]),
    home: &str,
    with_table: bool,
) -> String {
    use super::esc;
    // The map page's heading and lead already say what the figure's caption would.
    let caption = if with_table {
        String::new()
    } else {
        format!(
            "<figcaption><span class=\"chart-title\">{}</span> <span class=\"chart-headline\">{}</span></figcaption>\n",
            esc(lang.t("map_title")),
            esc(lang.t("map_headline")),
        )
    };
    let mut h = format!(
        "<figure class=\"map\" id=\"map\">\n{caption}<div class=\"map-svg\">{}</div>\n",
        svg.replace(super::HOME_MARK, home)
    );
    h.push_str(&credit(&d.layers, used, lang));
    if d.places.len() > BIG_MAX || d.roads.len() > BIG_MAX {
        h.push_str(&format!(
            "<p class=\"note chart-note\">{}</p>\n",
            esc(&lang.tf(
                "map_dense_note",
                &[
                    ("places", &d.places.len().to_string()),
                    ("roads", &d.roads.len().to_string()),
                    ("max", &BIG_MAX.to_string()),
                ],
            ))
        ));
    }
    if d.markers.len() > BIG_MAX {
        h.push_str(&format!(
            "<p class=\"note chart-note\">{}</p>\n",
            esc(&lang.tf(
                "map_markers_cut",
                &[
                    ("total", &d.markers.len().to_string()),
                    ("max", &BIG_MAX.to_string()),
                ],
            ))
        ));
    }
    if !with_table {
        h.push_str(&format!(
            "<p class=\"chart-meta\"><a href=\"{}map/\">{}</a></p>\n</figure>\n",
            esc(home),
            esc(lang.t("map_open"))
        ));
        return h;
    }
    h.push_str(&tables(d, lang, home));
    if !d.unplaced.is_empty() {
        let names: Vec<String> = d.unplaced.iter().map(|p| p.label.clone()).collect();
        h.push_str(&format!(
            "<p class=\"chart-meta\">{}</p>\n",
            esc(&lang.tf("map_unplaced", &[("list", &names.join(", "))]))
        ));
    }
    h.push_str("</figure>\n");
    h
}

/// A grid over the map's data, so a locator map reads only what is near its record (one map
/// per record must not cost the whole map each time).
pub struct MapIndex {
    /// The places of each cell: a range of `place_items`, whose entries hold each place's
    /// position beside its index (the search reads them without going to the places).
    places: Cells,
    place_items: Vec<Item>,
    /// The cells each road passes through: needed only when a box holds too few places or
    /// road ends for the nearest-first search to settle (then roads that only cross it count
    /// too), so made the first time that happens. On a dense national map it never does, and
    /// this is the largest part of the index (a long road crosses many small cells).
    roads: std::sync::OnceLock<BTreeMap<(i32, i32), Vec<usize>>>,
    /// The points (ends and bends) of roads in each cell, as a range of `point_items` (each
    /// point's position and its road): what the nearest-first search reads, since a road's
    /// distance is that of its nearest point.
    road_points: Cells,
    point_items: Vec<Item>,
    pub(crate) place_by_id: BTreeMap<String, usize>,
    pub(crate) road_by_id: BTreeMap<String, usize>,
    /// The markers by latitude (each with its index in [`MapData::markers`]): a locator
    /// map's are those in a band of it, read by a binary search.
    marker_lats: Vec<(f64, usize)>,
    marker_by_id: BTreeMap<(Kind, String), usize>,
    /// The size of a cell, in degrees.
    cell: f64,
    /// The first and last cells (by latitude, by longitude) that hold anything: a search never
    /// reads beyond them, so its work is bounded by the grid's size, never by how far apart
    /// two points lie (see [`side_max`]).
    bounds: (Cell, Cell),
}

thread_local! {
    /// Road indices already taken in the current [`MapIndex::nearest`] call on this thread: a
    /// mark per road (with where the road is in the call's list), valid when it equals the
    /// current stamp (so clearing is one increment).
    static SEEN: std::cell::RefCell<(u32, Vec<(u32, u32)>)> = const { std::cell::RefCell::new((1, Vec::new())) };
}

/// Where road `i` already is in the current call's list (`None` the first time, when it is
/// noted at `slot`).
fn seen_at(i: usize, slot: usize) -> Option<usize> {
    SEEN.with(|s| {
        let mut s = s.borrow_mut();
        let (stamp, marks) = &mut *s;
        if marks.len() <= i {
            marks.resize(i + 1, (0, 0));
        }
        if marks[i].0 == *stamp {
            Some(marks[i].1 as usize)
        } else {
            marks[i] = (*stamp, slot as u32);
            None
        }
    })
}

fn first_time(i: usize) -> bool {
    seen_at(i, 0).is_none()
}

/// A grid cell.
type Cell = (i32, i32);
/// A position and the index of what is there.
type Item = (f64, f64, u32);
/// Each cell's range of a list of items sorted by cell.
type Cells = foldhash::HashMap<Cell, std::ops::Range<u32>>;

/// Sorts `items` (each with its cell) by cell: each cell's range of them, and the items.
fn by_cell(mut items: Vec<(Cell, Item)>) -> (Cells, Vec<Item>) {
    items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.2.cmp(&b.1.2)));
    let mut ranges = foldhash::HashMap::default();
    let mut start = 0;
    for i in 1..=items.len() {
        if i == items.len() || items[i].0 != items[start].0 {
            ranges.insert(items[start].0, start as u32..i as u32);
            start = i;
        }
    }
    (ranges, items.into_iter().map(|(_, x)| x).collect())
}

/// Starts a new set: every mark made so far no longer counts.
fn forget_seen() {
    SEEN.with(|s| {
        let mut s = s.borrow_mut();
        s.0 = s.0.wrapping_add(1);
        if s.0 == 0 {
            s.1.iter_mut().for_each(|m| *m = (0, 0));
            s.0 = 1;
        }
    });
}

/// Grid cells are at most this many degrees wide and high; smaller where places are dense,
/// so that a cell holds a handful of places. Where at least [`LOCATOR_MAX`] places and as
/// many roads lie nearer a locator box's middle than its nearest edge, the choice is the same
/// whatever the size, only the work to make it changes; where fewer do, everything in the
/// cells the box touches counts (see [`MapIndex::nearest`]), so the grid decides what near the
/// box's edge is shown.
const CELL_MAX: f64 = 0.25;

/// Places per cell, on average, that the grid is sized for: of the sizes tried, 3 chose the
/// locator maps' neighbours fastest (docs/benchmarks.md, tenth round). Where a box holds fewer
/// than 24 places, the size changes which places near its edge are shown (see [`CELL_MAX`]).
const PER_CELL: f64 = 3.0;

fn cell_of(lat: f64, lon: f64, cell: f64) -> (i32, i32) {
    ((lat / cell).floor() as i32, (lon / cell).floor() as i32)
}

/// The most cells the grid has along a side, for `n` points (places and road points): room for
/// [`PER_CELL`] a cell however they are spread, and no more however far apart they lie. So no
/// coordinate makes the grid (or a search over it) large: a lost decimal point (`lon: 467483`)
/// widens the cells instead.
fn side_max(n: usize) -> f64 {
    (4.0 * (n as f64).sqrt()).max(64.0)
}

/// The smallest and largest latitude and longitude among `points` (the finite ones):
/// `None` when there is none.
fn extent(points: impl Iterator<Item = (f64, f64)>) -> Option<(f64, f64, f64, f64)> {
    points
        .filter(|(la, lo)| la.is_finite() && lo.is_finite())
        .fold(None, |e, (la, lo)| {
            let (a, b, c, d) = e.unwrap_or((la, la, lo, lo));
            Some((a.min(la), b.max(la), c.min(lo), d.max(lo)))
        })
}

impl MapIndex {
    pub fn new(d: &MapData) -> MapIndex {
        let lat = |f: fn(f64, f64) -> f64, init| d.places.iter().map(|p| p.lat).fold(init, f);
        let lon = |f: fn(f64, f64) -> f64, init| d.places.iter().map(|p| p.lon).fold(init, f);
        let area = (lat(f64::max, f64::NEG_INFINITY) - lat(f64::min, f64::INFINITY))
            * (lon(f64::max, f64::NEG_INFINITY) - lon(f64::min, f64::INFINITY));
        let cell = (PER_CELL * area / d.places.len() as f64).sqrt();
        let cell = if cell.is_finite() && cell > 0.0 {
            cell.clamp(CELL_MAX / 16.0, CELL_MAX)
        } else {
            CELL_MAX
        };
        let all = || {
            let roads = d.roads.iter().flat_map(|r| r.points.iter().copied());
            d.places.iter().map(|p| (p.lat, p.lon)).chain(roads)
        };
        let span = extent(all());
        let cell = match span {
            Some((a, b, c, e)) => {
                let side = side_max(all().count());
                let wide = ((b - a) / side).max((e - c) / side);
                if wide.is_finite() {
                    cell.max(wide)
                } else {
                    cell
                }
            }
            None => cell,
        };
        let cell_of = |lat: f64, lon: f64| cell_of(lat, lon, cell);
        let bounds = span.map_or(((0, 0), (0, 0)), |(a, b, c, e)| {
            (cell_of(a, c), cell_of(b, e))
        });
        let (places, place_items) = by_cell(
            d.places
                .iter()
                .enumerate()
                .map(|(i, p)| (cell_of(p.lat, p.lon), (p.lat, p.lon, i as u32)))
                .collect(),
        );
        let (road_points, point_items) = by_cell(
            d.roads
                .iter()
                .enumerate()
                .flat_map(|(i, r)| {
                    r.points
                        .iter()
                        .map(move |(la, lo)| (cell_of(*la, *lo), (*la, *lo, i as u32)))
                })
                .collect(),
        );
        MapIndex {
            places,
            place_items,
            roads: std::sync::OnceLock::new(),
            road_points,
            point_items,
            place_by_id: d
                .places
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.clone(), i))
                .collect(),
            road_by_id: d
                .roads
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.clone(), i))
                .collect(),
            marker_lats: marker_lats(d),
            marker_by_id: d
                .markers
                .iter()
                .enumerate()
                .map(|(i, m)| ((m.kind, m.id.clone()), i))
                .collect(),
            cell,
            bounds,
        }
    }

    /// How many cells the grid spans (including empty ones): what a search may read.
    pub fn cell_count(&self) -> u64 {
        let ((a, c), (b, e)) = self.bounds;
        let n = |lo: i32, hi: i32| (i64::from(hi) - i64::from(lo) + 1).max(0) as u64;
        n(a, b) * n(c, e)
    }

    /// The cells along each road (made once, on first use; see [`MapIndex::roads`]).
    fn road_cells(&self, d: &MapData) -> &BTreeMap<(i32, i32), Vec<usize>> {
        self.roads.get_or_init(|| {
            let cell = self.cell;
            let cell_of = |lat: f64, lon: f64| cell_of(lat, lon, cell);
            let mut roads: BTreeMap<(i32, i32), Vec<usize>> = BTreeMap::new();
            for (i, r) in d.roads.iter().enumerate() {
                // The cells along each segment (a walk in steps of half a cell), so a long road
                // costs in proportion to its length, not to the area of its bounding box.
                for w in r.points.windows(2) {
                    let ((la, lo), (lb, lob)) = (w[0], w[1]);
                    let steps = (((lb - la).abs().max((lob - lo).abs())) / (cell / 2.0)).ceil();
                    let steps = if steps.is_finite() {
                        (steps as usize).clamp(1, 4000)
                    } else {
                        1
                    };
                    let mut last = None;
                    for k in 0..=steps {
                        let t = k as f64 / steps as f64;
                        let c = cell_of(la + (lb - la) * t, lo + (lob - lo) * t);
                        if last != Some(c) {
                            roads.entry(c).or_default().push(i);
                            last = Some(c);
                        }
                    }
                }
            }
            for v in roads.values_mut() {
                v.sort_unstable();
                v.dedup();
            }
            roads
        })
    }

    /// The nearest [`LOCATOR_MAX`] places and roads to the middle of a box of latitudes and
    /// longitudes (the record itself always among them), in a stable order. Only what lies in
    /// the box counts (to the grid's resolution: what lies in the grid cells the box touches; a road
    /// counts when it crosses one). The grid is read in rings outward from the middle, and the search stops
    /// once the nearest ones are known: whatever lies beyond the rings read is farther than
    /// they are. So a record costs what is near it, not what is in its (maybe country-wide) box.
    fn nearest(&self, d: &MapData, bbox: (f64, f64, f64, f64), kind: Kind, id: &str) -> Selection {
        let mut search = Search::new(self, d, bbox);
        search.take_record(kind, id);
        let complete = search.read_rings(bbox);
        if complete.is_none() {
            search.take_crossing_roads();
        }
        forget_seen();
        search.choose(complete)
    }

    /// What the locator map of a record shows: its neighbourhood, chosen once for every
    /// language (the places and roads are in the same order in each language's [`MapData`]).
    pub fn select(&self, d: &MapData, kind: Kind, id: &str) -> Option<Selection> {
        let focus: Vec<(f64, f64)> = match kind {
            Kind::City => self
                .place_by_id
                .get(id)
                .map(|i| vec![(d.places[*i].lat, d.places[*i].lon)])?,
            Kind::Road => self
                .road_by_id
                .get(id)
                .map(|i| d.roads[*i].points.clone())?,
            Kind::Own(_) => self
                .marker_by_id
                .get(&(kind, id.to_string()))
                .map(|i| vec![(d.markers[*i].lat, d.markers[*i].lon)])?,
            _ => return None,
        };
        let m = 0.35;
        let lat0 = focus.iter().map(|p| p.0).fold(f64::INFINITY, f64::min) - m;
        let lat1 = focus.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max) + m;
        let lon0 = focus.iter().map(|p| p.1).fold(f64::INFINITY, f64::min) - m;
        let lon1 = focus.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max) + m;
        if !(lat0.is_finite() && lat1.is_finite() && lon0.is_finite() && lon1.is_finite()) {
            return None;
        }
        let bbox = (lat0, lat1, lon0, lon1);
        let mut sel = self.nearest(d, bbox, kind, id);
        sel.markers = self.near_markers(d, bbox, kind, id);
        Some(sel)
    }

    /// The nearest [`LOCATOR_MAX`] markers in a box of latitudes and longitudes to its middle,
    /// the record itself first (when it is one), in a stable order.
    fn near_markers(
        &self,
        d: &MapData,
        (lat0, lat1, lon0, lon1): (f64, f64, f64, f64),
        kind: Kind,
        id: &str,
    ) -> Vec<usize> {
        let (clat, clon) = ((lat0 + lat1) / 2.0, (lon0 + lon1) / 2.0);
        let k = clat.to_radians().cos();
        let from = self.marker_lats.partition_point(|(la, _)| *la < lat0);
        let mut found: Vec<Candidate> = self.marker_lats[from..]
            .iter()
            .take_while(|(la, _)| *la <= lat1)
            .map(|(_, i)| (*i, &d.markers[*i]))
            .filter(|(_, m)| m.lon >= lon0 && m.lon <= lon1)
            .map(|(i, m)| {
                let near = (m.lat - clat).powi(2) + ((m.lon - clon) * k).powi(2);
                (!(m.kind == kind && m.id == id), near, i)
            })
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        found.truncate(LOCATOR_MAX);
        found.into_iter().map(|t| t.2).collect()
    }
}

/// The markers with a finite place, by latitude (then index), for [`MapIndex::near_markers`].
fn marker_lats(d: &MapData) -> Vec<(f64, usize)> {
    let mut v: Vec<(f64, usize)> = d
        .markers
        .iter()
        .enumerate()
        .filter(|(_, m)| m.lat.is_finite() && m.lon.is_finite())
        .map(|(i, m)| (m.lat, i))
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    v
}

/// The places and roads (by position in [`MapData`]) a locator map shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub places: Vec<usize>,
    pub roads: Vec<usize>,
    /// The declared collections' records near it (by position in [`MapData::markers`]).
    pub markers: Vec<usize>,
}

/// A candidate of [`MapIndex::nearest`]: (is not the record, distance, index), a total order,
/// so the choice is stable.
type Candidate = (bool, f64, usize);

/// One search of [`MapIndex::nearest`]: the box (as grid cells), its middle, and the places and
/// roads read so far.
struct Search<'a> {
    index: &'a MapIndex,
    d: &'a MapData,
    /// The box's first and last cells; cells beyond the grid's bounds are empty: never read.
    c0: (i32, i32),
    c1: (i32, i32),
    /// The box's middle, and how much shorter a degree of longitude is there than one of latitude.
    clat: f64,
    clon: f64,
    k: f64,
    /// The record itself, when it is a place.
    own_place: Option<usize>,
    places: Vec<Candidate>,
    roads: Vec<Candidate>,
}

impl<'a> Search<'a> {
    fn new(
        index: &'a MapIndex,
        d: &'a MapData,
        (lat0, lat1, lon0, lon1): (f64, f64, f64, f64),
    ) -> Self {
        let (b0, b1) = index.bounds;
        let (c0, c1) = (
            cell_of(lat0, lon0, index.cell),
            cell_of(lat1, lon1, index.cell),
        );
        let (clat, clon) = ((lat0 + lat1) / 2.0, (lon0 + lon1) / 2.0);
        Search {
            index,
            d,
            c0: (c0.0.max(b0.0), c0.1.max(b0.1)),
            c1: (c1.0.min(b1.0), c1.1.min(b1.1)),
            clat,
            clon,
            k: clat.to_radians().cos(),
            own_place: None,
            places: Vec::new(),
            roads: Vec::new(),
        }
    }

    /// The distance of a point from the box's middle (squared, in degrees of latitude).
    fn dist(&self, lat: f64, lon: f64) -> f64 {
        (lat - self.clat).powi(2) + ((lon - self.clon) * self.k).powi(2)
    }

    /// The distance of a road's nearest point.
    fn road_dist(&self, i: usize) -> f64 {
        self.d.roads[i]
            .points
            .iter()
            .map(|(la, lo)| self.dist(*la, *lo))
            .fold(f64::INFINITY, f64::min)
    }

    /// The record itself, wherever it lies.
    fn take_record(&mut self, kind: Kind, id: &str) {
        match kind {
            Kind::City => {
                if let Some(&i) = self.index.place_by_id.get(id) {
                    let p = &self.d.places[i];
                    let near = self.dist(p.lat, p.lon);
                    self.places.push((false, near, i));
                    self.own_place = Some(i);
                }
            }
            Kind::Road => {
                if let Some(&i) = self.index.road_by_id.get(id) {
                    seen_at(i, 0);
                    let near = self.road_dist(i);
                    self.roads.push((false, near, i));
                }
            }
            _ => {}
        }
    }

    /// The places and roads of one grid cell, if it lies in the box.
    fn take_cell(&mut self, x: i32, y: i32) {
        let (c0, c1) = (self.c0, self.c1);
        if x < c0.0 || x > c1.0 || y < c0.1 || y > c1.1 {
            return;
        }
        let index = self.index;
        // A place is in one cell only; a road may be in many. A road's distance is that of
        // its nearest point read so far: exact for every road nearer than the bound in
        // `read_rings` (its nearest point lies in a cell read by then).
        if let Some(r) = index.places.get(&(x, y)) {
            for &(lat, lon, i) in &index.place_items[r.start as usize..r.end as usize] {
                let i = i as usize;
                if self.own_place != Some(i) {
                    let near = self.dist(lat, lon);
                    self.places.push((true, near, i));
                }
            }
        }
        if let Some(r) = index.road_points.get(&(x, y)) {
            for &(lat, lon, i) in &index.point_items[r.start as usize..r.end as usize] {
                let i = i as usize;
                let near = self.dist(lat, lon);
                match seen_at(i, self.roads.len()) {
                    Some(slot) => self.roads[slot].1 = self.roads[slot].1.min(near),
                    None => self.roads.push((true, near, i)),
                }
            }
        }
    }

    /// Reads the grid in rings outward from the middle cell until the nearest are known;
    /// then everything nearer than the bound returned is read. `None` when the whole box was
    /// read without that.
    fn read_rings(&mut self, (lat0, lat1, lon0, lon1): (f64, f64, f64, f64)) -> Option<f64> {
        let (c0, c1, k) = (self.c0, self.c1, self.k);
        let mid = cell_of(self.clat, self.clon, self.index.cell);
        // How far the box's nearest edge is from its middle (in the same measure as `dist`).
        let edge = ((lat1 - lat0) / 2.0).min((lon1 - lon0) / 2.0 * k).max(0.0);
        let rings = [mid.0 - c0.0, c1.0 - mid.0, mid.1 - c0.1, c1.1 - mid.1]
            .into_iter()
            .max()
            .unwrap_or(0)
            .max(0);
        for r in 0..=rings {
            if r == 0 {
                self.take_cell(mid.0, mid.1);
            } else {
                for t in -r..=r {
                    self.take_cell(mid.0 - r, mid.1 + t);
                    self.take_cell(mid.0 + r, mid.1 + t);
                }
                for t in (1 - r)..r {
                    self.take_cell(mid.0 + t, mid.1 - r);
                    self.take_cell(mid.0 + t, mid.1 + r);
                }
            }
            // Anything not read yet lies in a cell more than `r` cells from the middle one:
            // more than `r` cells of latitude or of (shortened) longitude away; so does every
            // point of a road not read yet, unless the point lies outside the box (a road that
            // only crosses it): such a point is at least as far as the box's nearest edge.
            let bound = (r as f64 * self.index.cell * k.clamp(0.0, 1.0))
                .min(edge)
                .powi(2);
            let known = |v: &[Candidate]| v.iter().filter(|t| t.1 < bound).count() >= LOCATOR_MAX;
            if known(&self.places) && known(&self.roads) {
                return Some(bound);
            }
        }
        None
    }

    /// Few enough in the box that all count: roads that only cross it too, each at the
    /// distance of its nearest point, in the box or not.
    fn take_crossing_roads(&mut self) {
        let (c0, c1) = (self.c0, self.c1);
        for i in 0..self.roads.len() {
            self.roads[i].1 = self.road_dist(self.roads[i].2);
        }
        let cells = self.index.road_cells(self.d);
        for x in c0.0..=c1.0 {
            for y in c0.1..=c1.1 {
                for &i in cells.get(&(x, y)).into_iter().flatten() {
                    if first_time(i) {
                        let near = self.road_dist(i);
                        self.roads.push((true, near, i));
                    }
                }
            }
        }
    }

    /// The nearest [`LOCATOR_MAX`] of each, the record first, then by distance.
    fn choose(mut self, complete: Option<f64>) -> Selection {
        let order = |a: &Candidate, b: &Candidate| {
            a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2))
        };
        for v in [&mut self.places, &mut self.roads] {
            // At least LOCATOR_MAX lie nearer than the bound, so nothing beyond it is chosen
            // (a road beyond it has no nearer point: that point would lie in a cell read):
            // dropped before the choice, which then sorts a few dozen rather than hundreds.
            if let Some(bound) = complete {
                v.retain(|t| !t.0 || t.1 < bound);
            }
            if v.len() > LOCATOR_MAX {
                v.select_nth_unstable_by(LOCATOR_MAX, order);
                v.truncate(LOCATOR_MAX);
            }
            v.sort_by(order);
        }
        Selection {
            places: self.places.iter().map(|t| t.2).collect(),
            roads: self.roads.iter().map(|t| t.2).collect(),
            markers: Vec::new(),
        }
    }
}

/// The most places (and roads) the big map draws one by one; past this, it shows a density
/// grid of all places and the most important ones as points.
pub const BIG_MAX: usize = 300;

/// The most places (and roads) a locator map draws: the nearest ones.
const LOCATOR_MAX: usize = 24;

/// The part of a locator map without words (see [`locator_geometry`]): the same in every
/// language, so drawn once for a record's pages in all of them.
pub struct LocatorGeometry {
    /// The drawing's elements.
    elements: String,
    /// The background layers it drew, by index.
    used: Vec<usize>,
    /// Its size and projection, which the words are placed by.
    layout: Layout,
}

/// What a locator map shows: the record and its neighbours.
fn near<'d>(d: &'d MapData, sel: &Selection) -> Shown<'d> {
    Shown {
        places: sel.places.iter().map(|i| &d.places[*i]).collect(),
        roads: sel.roads.iter().map(|i| &d.roads[*i]).collect(),
        markers: sel.markers.iter().map(|i| &d.markers[*i]).collect(),
        collections: &d.collections,
        layers: &d.layers,
    }
}

/// Draws what a record's locator map shows apart from its words: land, roads and places.
pub fn locator_geometry(d: &MapData, sel: &Selection, kind: Kind, id: &str) -> LocatorGeometry {
    let near = near(d, sel);
    let highlight = Some((kind, id));
    let l = layout(&near, highlight, true, 0);
    let mut elements = String::with_capacity(4096);
    let used = draw_geometry(
        &mut Svg::new(&mut elements, (l.w, l.h)),
        &near,
        &l,
        highlight,
        true,
    );
    LocatorGeometry {
        elements,
        used,
        layout: l,
    }
}

/// A record's locator map in one language, as a figure: its `geometry` (drawn from the same
/// selection in any language) with this language's words. The same as [`svg_layers`] drawing it
/// whole, byte for byte.
pub fn locator(
    d: &MapData,
    sel: &Selection,
    geometry: &LocatorGeometry,
    lang: &Lang,
    kind: Kind,
    id: &str,
    name: &str,
) -> String {
    let near = near(d, sel);
    let highlight = Some((kind, id));
    let l = &geometry.layout;
    // Written in one string: the figure, the root, the geometry, then this language's words.
    let mut out = String::with_capacity(geometry.elements.len() + 2048);
    out.push_str("<figure class=\"map map-locator\"><figcaption><span class=\"chart-title\">");
    out.push_str(&super::esc(lang.t("map_locator")));
    out.push_str("</span></figcaption><div class=\"map-svg\">");
    let desc = lang.tf("map_locator_desc", &[("name", name)]);
    super::open_svg(
        &mut out,
        "locator-map",
        (l.w, l.h),
        lang.t("map_locator"),
        &desc,
        "map-graphic",
    );
    // (The geometry starts with an element and the words end with one: nothing to trim.)
    out.push_str(&geometry.elements);
    {
        let root = Svg::new(&mut out, (l.w, l.h)).into_drawing_area();
        draw_words(&root, &near, l, lang, highlight, true);
    }
    out.push_str("</svg></div>");
    out.push_str(&credit(&d.layers, &geometry.used, lang));
    out.push_str("</figure>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A village at `lat`, `lon`, named by its id.
    fn village(id: &str, lat: f64, lon: f64) -> Place {
        Place {
            id: id.into(),
            label: id.into(),
            kind: "village".into(),
            kind_label: "village".into(),
            status: None,
            status_label: None,
            lat,
            lon,
            airport: false,
            path: String::new(),
        }
    }

    /// Generated places and roads (a fixed pseudo-random sequence, not real data).
    fn generated(n: usize) -> MapData {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 1_000_000) as f64 / 1_000_000.0
        };
        let places: Vec<Place> = (0..n)
            .map(|i| Place {
                id: format!("p{i}"),
                label: format!("P{i}"),
                kind: "village".into(),
                kind_label: "village".into(),
                status: None,
                status_label: None,
                lat: 39.0 + 2.0 * next(),
                lon: 45.5 + 2.5 * next(),
                airport: false,
                path: String::new(),
            })
            .collect();
        let roads = (0..2 * n)
            .map(|i| {
                let a = &places[(next() * n as f64) as usize % n];
                let b = &places[(next() * n as f64) as usize % n];
                let mut points = vec![(a.lat, a.lon), (b.lat, b.lon)];
                // Every third road bends on the way (a point of its own, not a place).
                if i % 3 == 0 {
                    points.insert(1, (39.0 + 2.0 * next(), 45.5 + 2.5 * next()));
                }
                Line {
                    id: format!("r{i}"),
                    label: format!("R{i}"),
                    status: None,
                    status_label: None,
                    points,
                    path: String::new(),
                }
            })
            .collect();
        MapData {
            places,
            roads,
            unplaced: Vec::new(),
            markers: Vec::new(),
            collections: Vec::new(),
            layers: Default::default(),
        }
    }

    /// The same choice made the slow way: every place and road in the cells the box touches.
    fn brute(ix: &MapIndex, d: &MapData, kind: Kind, id: &str) -> Option<Selection> {
        let focus: Vec<(f64, f64)> = match kind {
            Kind::City => {
                let p = &d.places[ix.place_by_id[id]];
                vec![(p.lat, p.lon)]
            }
            _ => d.roads[ix.road_by_id[id]].points.clone(),
        };
        let m = 0.35;
        let lat0 = focus.iter().map(|p| p.0).fold(f64::INFINITY, f64::min) - m;
        let lat1 = focus.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max) + m;
        let lon0 = focus.iter().map(|p| p.1).fold(f64::INFINITY, f64::min) - m;
        let lon1 = focus.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max) + m;
        let (c0, c1) = (cell_of(lat0, lon0, ix.cell), cell_of(lat1, lon1, ix.cell));
        let (clat, clon) = ((lat0 + lat1) / 2.0, (lon0 + lon1) / 2.0);
        let k = clat.to_radians().cos();
        let dist = |lat: f64, lon: f64| (lat - clat).powi(2) + ((lon - clon) * k).powi(2);
        let mut ps = std::collections::BTreeSet::new();
        let mut rs = std::collections::BTreeSet::new();
        for x in c0.0..=c1.0 {
            for y in c0.1..=c1.1 {
                if let Some(r) = ix.places.get(&(x, y)) {
                    ps.extend(
                        ix.place_items[r.start as usize..r.end as usize]
                            .iter()
                            .map(|t| t.2 as usize),
                    );
                }
                rs.extend(ix.road_cells(d).get(&(x, y)).into_iter().flatten().copied());
            }
        }
        let first = |v: &mut Vec<(bool, f64, usize)>| {
            v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
            v.truncate(LOCATOR_MAX);
            v.iter().map(|t| t.2).collect::<Vec<_>>()
        };
        let mut pk: Vec<(bool, f64, usize)> = ps
            .into_iter()
            .map(|i| {
                let p = &d.places[i];
                (!(kind == Kind::City && p.id == id), dist(p.lat, p.lon), i)
            })
            .collect();
        let mut rk: Vec<(bool, f64, usize)> = rs
            .into_iter()
            .map(|i| {
                let r = &d.roads[i];
                let near = r
                    .points
                    .iter()
                    .map(|(a, b)| dist(*a, *b))
                    .fold(f64::INFINITY, f64::min);
                (!(kind == Kind::Road && r.id == id), near, i)
            })
            .collect();
        Some(Selection {
            places: first(&mut pk),
            roads: first(&mut rk),
            markers: Vec::new(),
        })
    }

    /// A road that leaves a locator map keeps its direction (the map's frame cuts it off),
    /// rather than bending along the frame: points are not pulled to the map's edge.
    #[test]
    fn a_road_leaving_a_locator_map_keeps_its_direction() {
        // b lies far to the south-east of a: well off a's locator map.
        let d = MapData {
            places: vec![village("a", 40.0, 46.0), village("b", 38.0, 49.0)],
            roads: vec![Line {
                id: "r".into(),
                label: "R".into(),
                status: Some("open".into()),
                status_label: None,
                points: vec![(40.0, 46.0), (38.0, 49.0)],
                path: String::new(),
            }],
            unplaced: Vec::new(),
            markers: Vec::new(),
            collections: Vec::new(),
            layers: Default::default(),
        };
        let sel = Selection {
            places: vec![0, 1],
            roads: vec![0],
            markers: Vec::new(),
        };
        let g = locator_geometry(&d, &sel, Kind::City, "a");
        let road = g
            .elements
            .split("<polyline")
            .nth(1)
            .and_then(|e| e.split("points=\"").nth(1))
            .and_then(|e| e.split('"').next())
            .expect("the road is drawn");
        let pts: Vec<(i32, i32)> = road
            .split(' ')
            .map(|p| {
                let (x, y) = p.split_once(',').expect("x,y");
                (x.parse().expect("x"), y.parse().expect("y"))
            })
            .collect();
        let (l, w, h) = (&g.layout, g.layout.w as i32, g.layout.map_h as i32);
        assert_eq!(pts[0], l.proj.xy(40.0, 46.0));
        assert_eq!(pts[1], l.proj.xy(38.0, 49.0), "the far end is where b is");
        assert!(pts[1].0 > w && pts[1].1 > h, "b is off the map: {pts:?}");
        // b itself is not drawn (it is off the map); only a is.
        assert_eq!(g.elements.matches("<polygon").count(), 1);
    }

    /// Roads are drawn by status, open ones on top, in the order given within one status
    /// (so those of one status share one group of the pen's); the highlighted road last.
    #[test]
    fn open_roads_are_drawn_over_the_others_and_the_highlighted_road_last() {
        let road = |id: &str, status: &str, lat: f64| Line {
            id: id.into(),
            label: id.into(),
            status: Some(status.into()),
            status_label: None,
            points: vec![(lat, 46.0), (lat, 46.2)],
            path: String::new(),
        };
        let d = MapData {
            places: vec![village("a", 40.0, 46.0)],
            roads: vec![
                road("r1", "open", 40.0),
                road("r2", "planned", 40.01),
                road("r3", "open", 40.02),
                road("r4", "under-construction", 40.03),
                road("r5", "planned", 40.04),
            ],
            unplaced: Vec::new(),
            markers: Vec::new(),
            collections: Vec::new(),
            layers: Default::default(),
        };
        let sel = Selection {
            places: vec![0],
            roads: vec![0, 1, 2, 3, 4],
            markers: Vec::new(),
        };
        let y = |g: &LocatorGeometry, lat: f64| g.layout.proj.xy(lat, 46.0).1;
        // Each road's y, in the order drawn.
        let order = |g: &LocatorGeometry| -> Vec<i32> {
            g.elements
                .split("<polyline")
                .skip(1)
                .filter_map(|e| {
                    let pts = e.split("points=\"").nth(1)?;
                    pts.split(',').nth(1)?.split(' ').next()?.parse().ok()
                })
                .collect()
        };
        let g = locator_geometry(&d, &sel, Kind::City, "a");
        let lat = [40.01, 40.04, 40.03, 40.0, 40.02];
        let want: Vec<i32> = lat.iter().map(|l| y(&g, *l)).collect();
        assert_eq!(order(&g), want, "{}", g.elements);
        // The two planned roads and the two open ones each share a group.
        assert_eq!(g.elements.matches("<g ").count(), 2, "{}", g.elements);
        let g = locator_geometry(&d, &sel, Kind::Road, "r2");
        let lat = [40.04, 40.03, 40.0, 40.02, 40.01];
        let want: Vec<i32> = lat.iter().map(|l| y(&g, *l)).collect();
        assert_eq!(order(&g), want, "{}", g.elements);
    }

    /// However far apart two points lie (a lost decimal point, or coordinates no validation
    /// has seen), the grid has at most `side_max` cells a side, and a locator map's search
    /// reads no more than that.
    #[test]
    fn the_grid_is_sized_by_what_it_holds_not_by_how_far_apart() {
        for far in [4674.0, 467_483.0, 1e12, f64::INFINITY, f64::NAN] {
            let mut d = generated(50);
            d.places.push(village("lost", 39.6, far));
            d.roads.push(Line {
                id: "to-lost".into(),
                label: "to lost".into(),
                status: None,
                status_label: None,
                points: vec![(39.6, 47.1), (-far, far)],
                path: String::new(),
            });
            let ix = MapIndex::new(&d);
            let n = d.places.len() + d.roads.iter().map(|r| r.points.len()).sum::<usize>();
            let side = side_max(n).ceil() as u64 + 1;
            assert!(
                ix.cell_count() <= side * side,
                "lon {far}: {} cells for {n} points",
                ix.cell_count()
            );
            // (The road's choice is made, or not where its box is not finite.)
            let _ = ix.select(&d, Kind::Road, "to-lost");
            let place = ix.select(&d, Kind::City, "lost");
            assert_eq!(place.is_some(), far.is_finite(), "lon {far}");
            if let Some(sel) = place {
                assert_eq!(sel.places.first(), Some(&(d.places.len() - 1)), "lon {far}");
            }
        }
        // Data spread as usual: the bound leaves the grid as it was.
        let ix = MapIndex::new(&generated(3000));
        assert!(ix.cell <= CELL_MAX, "{}", ix.cell);
    }

    #[test]
    fn the_nearest_first_search_chooses_what_a_full_scan_chooses() {
        for n in [12, 300, 3000] {
            let d = generated(n);
            let ix = MapIndex::new(&d);
            for i in (0..n).step_by((n / 40).max(1)) {
                let id = format!("p{i}");
                assert_eq!(
                    ix.select(&d, Kind::City, &id),
                    brute(&ix, &d, Kind::City, &id),
                    "place {id} of {n}"
                );
                let id = format!("r{i}");
                assert_eq!(
                    ix.select(&d, Kind::Road, &id),
                    brute(&ix, &d, Kind::Road, &id),
                    "road {id} of {n}"
                );
            }
        }
    }

    fn english() -> Lang {
        let mut diags = crate::site::diagnostics::Diagnostics::new();
        let root = std::path::Path::new("/nonexistent-berpa-site");
        crate::load::lang::load_all(root, &["en".to_string()], &mut diags).remove(0)
    }

    /// The big map's legend lists the statuses and kinds its places and roads have, and
    /// nothing else; every place and road links to its page, named.
    #[test]
    fn the_legend_lists_what_is_shown_and_places_link_to_their_pages() {
        let mut a = village("a", 40.0, 46.0);
        a.status = Some("under-reconstruction".into());
        a.path = "cities/a/".into();
        let mut b = village("b", 40.1, 46.2);
        b.kind = "city".into();
        b.path = "cities/b/".into();
        let d = MapData {
            places: vec![a, b],
            roads: vec![Line {
                id: "r".into(),
                label: "R & S".into(),
                status: Some("under-construction".into()),
                status_label: None,
                points: vec![(40.0, 46.0), (40.1, 46.2)],
                path: "roads/r/".into(),
            }],
            unplaced: Vec::new(),
            markers: Vec::new(),
            collections: Vec::new(),
            layers: Default::default(),
        };
        let lang = english();
        let (svg, _) = svg_layers(&d, &lang, "m", "Map", "d", None, false);
        let texts: Vec<&str> = svg
            .split("</text>")
            .filter_map(|t| t.rsplit('>').next())
            .collect();
        for shown in [
            "City",
            "Village",
            "Under reconstruction",
            "Not known",
            "Under construction",
        ] {
            assert!(texts.contains(&shown), "{shown} missing from {texts:?}");
        }
        for absent in ["Town", "Airport", "Resettled (filled)", "Planned", "Open"] {
            assert!(
                !texts.contains(&absent),
                "{absent} is in the legend: {texts:?}"
            );
        }
        let html = figure(&d, &lang, (&svg, &[]), "../", true);
        assert!(
            html.contains("<a href=\"../cities/a/\" aria-label=\"a\">"),
            "{html}"
        );
        assert!(html.contains("<a href=\"../roads/r/\" aria-label=\"R &amp; S\">"));
        assert!(svg.contains("role=\"group\""), "links inside are reachable");
        // A locator map has no links (its geometry is shared by every language).
        let sel = Selection {
            places: vec![0, 1],
            roads: vec![0],
            markers: Vec::new(),
        };
        assert!(
            !locator_geometry(&d, &sel, Kind::City, "a")
                .elements
                .contains("<a ")
        );
    }

    fn school_kind(index: u16, dir: &'static str) -> Kind {
        Kind::Own(crate::site::model::Coll { index, dir })
    }

    /// A marker of the collection at `coll` (`schools`, then `grants`), named by its id.
    fn marker(coll: usize, id: &str, lat: f64, lon: f64) -> Marker {
        let dir = ["schools", "grants"][coll];
        Marker {
            kind: school_kind(coll as u16, dir),
            coll,
            id: id.into(),
            label: format!("{id} & co"),
            status_label: Some("Open".into()),
            lat,
            lon,
            path: format!("{dir}/{id}/"),
        }
    }

    /// A site with one village, two declared collections, and schools as markers (grants have
    /// none): `schools` 0 near the village, `far` well away.
    fn with_markers() -> MapData {
        MapData {
            places: vec![village("v", 40.0, 46.0)],
            roads: Vec::new(),
            unplaced: Vec::new(),
            markers: vec![
                marker(0, "near", 40.05, 46.05),
                marker(0, "other", 40.02, 45.98),
                marker(0, "far", 41.5, 48.0),
            ],
            collections: vec![
                Collection {
                    kind: school_kind(0, "schools"),
                    one: "School".into(),
                    many: "Schools".into(),
                },
                Collection {
                    kind: school_kind(1, "grants"),
                    one: "Grant".into(),
                    many: "Grants".into(),
                },
            ],
            layers: Default::default(),
        }
    }

    /// Each declared collection's markers have a shape and colour of their own, and none is a
    /// settlement's shape; the same collection always gets the same.
    #[test]
    fn collections_are_told_apart_by_shape_and_colour() {
        let styles: Vec<_> = (0..6).map(marker_style).collect();
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a.0, b.0, "shapes differ");
                assert_ne!(a.1.class, b.1.class, "fills differ");
            }
        }
        assert_eq!(marker_style(0).1.class, marker_style(0).1.class);
        for slot in 0..MARKER_FILLS.len() {
            assert!(
                !["hl", "c1"].contains(&marker_style(slot).1.class),
                "not the highlight"
            );
        }
        let mut buf = String::new();
        draw_marker(&mut Svg::new(&mut buf, (20, 20)), 1, (10, 10), false);
        assert!(buf.contains("class=\"f-c2\""), "{buf}");
        assert!(!buf.contains("<circle"), "not a settlement's circle: {buf}");
    }

    /// On the big map each located record of a declared collection is a link to its page named
    /// with its collection; the legend names the collections shown and no other; the table of
    /// places lists them with their collection.
    #[test]
    fn markers_link_to_their_pages_and_the_legend_names_their_collection() {
        let d = with_markers();
        let lang = english();
        let (svg, _) = svg_layers(&d, &lang, "m", "Map", "d", None, false);
        let html = figure(&d, &lang, (&svg, &[]), "../", true);
        assert!(
            html.contains("<a href=\"../schools/near/\" aria-label=\"near &amp; co (School)\">"),
            "{html}"
        );
        let texts: Vec<&str> = svg
            .split("</text>")
            .filter_map(|t| t.rsplit('>').next())
            .collect();
        assert!(texts.contains(&"Schools"), "{texts:?}");
        assert!(
            !texts.contains(&"Grants"),
            "no grant is on the map: {texts:?}"
        );
        assert_eq!(
            svg.matches("class=\"f-c0\"").count(),
            4,
            "three markers and the key"
        );
        assert!(
            html.contains(
                "<a href=\"../schools/far/\">far &amp; co</a></th><td>School</td><td>Open</td>"
            ),
            "{html}"
        );
        let desc = describe(&d, &lang);
        assert!(
            desc.ends_with(" Schools: near & co (open), other & co (open), far & co (open)."),
            "{desc}"
        );
    }

    /// A marker's locator map shows it highlighted with the markers near it (not those far
    /// away) and the settlements around; a record that is not on the map has none.
    #[test]
    fn a_marker_has_a_locator_map_with_its_neighbours() {
        let d = with_markers();
        let ix = MapIndex::new(&d);
        let kind = school_kind(0, "schools");
        let sel = ix
            .select(&d, kind, "near")
            .expect("a located record has one");
        assert_eq!(sel.markers, vec![0, 1], "itself first, then its neighbour");
        assert_eq!(sel.places, vec![0]);
        let g = locator_geometry(&d, &sel, kind, "near");
        assert_eq!(
            g.elements.matches("class=\"f-hl\"").count(),
            1,
            "{}",
            g.elements
        );
        assert_eq!(
            g.elements.matches("class=\"f-c0\"").count(),
            1,
            "{}",
            g.elements
        );
        assert!(ix.select(&d, kind, "nowhere").is_none());
        assert!(ix.select(&d, school_kind(1, "grants"), "near").is_none());
        // A settlement's locator map shows the markers near it too.
        let city = ix.select(&d, Kind::City, "v").expect("the village has one");
        assert_eq!(city.markers, vec![1, 0]);
    }

    /// Past [`BIG_MAX`] markers the big map draws that many, each collection in turn, and says
    /// so; the table of places lists them all up to its own limit.
    #[test]
    fn many_markers_are_capped_fairly_and_the_cut_is_said() {
        let mut d = with_markers();
        d.markers = (0..BIG_MAX + 40)
            .map(|i| marker(0, &format!("s{i:04}"), 40.0 + i as f64 / 1000.0, 46.0))
            .chain((0..5).map(|i| marker(1, &format!("g{i}"), 40.5, 46.0 + f64::from(i) / 100.0)))
            .collect();
        let lang = english();
        let shown = d.big_markers();
        assert_eq!(shown.len(), BIG_MAX);
        assert_eq!(
            shown.iter().filter(|m| m.coll == 1).count(),
            5,
            "every grant is kept"
        );
        let (svg, _) = svg_layers(&d, &lang, "m", "Map", "d", None, false);
        assert_eq!(
            svg.matches("<a href=").count(),
            BIG_MAX + 1,
            "the markers and the place"
        );
        let texts: Vec<&str> = svg
            .split("</text>")
            .filter_map(|t| t.rsplit('>').next())
            .collect();
        assert!(
            texts.contains(&"Schools") && texts.contains(&"Grants"),
            "{texts:?}"
        );
        let html = figure(&d, &lang, (&svg, &[]), "../", true);
        assert!(
            html.contains(&format!("Of the {} records", BIG_MAX + 45)),
            "the cut is said"
        );
        assert!(
            html.contains("schools/s0339/"),
            "the table has the ones not drawn"
        );
    }
}
