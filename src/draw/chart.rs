//! Drawing charts with plotters, onto the compact SVG backend ([`super::svg::Svg`]). Layout is
//! computed here (bars are drawn one by one, never through a HashMap-ordered histogram), so the
//! same chart gives the same bytes.
//!
//! Every chart is drawn [`WIDTH`] pixels wide, the width of a phone's column, and the stylesheet
//! shows it between about 0.9 and 1.18 times that size (`.chart-svg svg`), so its text
//! ([`TEXT`], [`SMALL`]) stays between 12 and 18 CSS pixels at any window width. Text is placed
//! from measured widths ([`super::metrics`]): legends wrap, labels that would overlap move or are
//! left out (the table under the chart has every number). One bar or one observation is drawn as
//! a compact figure, not an axis with one mark.

use super::metrics;
use super::svg::Svg;
use super::{
    BG, Body, Chart, GRID, INK, MUTED, SERIES, SourceView, Swatch, TARGET, status_swatch, wrap_body,
};
use crate::site::lang::Lang;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The width every chart is drawn at, in its own pixels.
pub const WIDTH: u32 = 340;
/// The size of labels and values, in the chart's pixels.
pub const TEXT: f64 = 15.0;
/// The size of axis numbers and notes.
pub const SMALL: f64 = 14.0;
/// The margin around a chart.
const PAD: i32 = 4;
/// A legend's row height and its colour key's size.
const LEGEND_ROW: i32 = 22;
const KEY: i32 = 14;

pub fn color(s: Swatch) -> RGBColor {
    RGBColor(s.rgb.0, s.rgb.1, s.rgb.2)
}

/// A text style of `px` pixels (plotters writes a size divided by 1.24, see [`super::svg`]).
fn style(px: f64, s: Swatch) -> TextStyle<'static> {
    ("sans-serif", px * 1.24).into_font().color(&color(s))
}

/// The width of a text in pixels at `px` pixels, from the font's metrics.
pub fn text_width(s: &str, px: f64) -> i32 {
    metrics::width(s, px).ceil() as i32
}

/// Shortens a label to fit `max` pixels, with an ellipsis.
pub fn fit(s: &str, px: f64, max: i32) -> String {
    if text_width(s, px) <= max {
        return s.to_string();
    }
    let room = f64::from(max) - metrics::width("…", px);
    let mut used = 0.0;
    let mut out = String::new();
    for c in s.chars() {
        used += metrics::advance(c) * px;
        if used > room {
            break;
        }
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

/// Breaks a label at spaces into at most `lines` lines of at most `max` pixels; the last line
/// is shortened with an ellipsis only when the label has more words than fit.
pub fn wrap(s: &str, px: f64, max: i32, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut words = s.split_whitespace().peekable();
    while words.peek().is_some() {
        if out.len() + 1 == lines.max(1) {
            let rest: Vec<&str> = words.collect();
            out.push(fit(&rest.join(" "), px, max));
            break;
        }
        let mut line = String::new();
        while let Some(word) = words.peek() {
            let next = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && text_width(&next, px) > max {
                break;
            }
            line = fit(&next, px, max);
            words.next();
        }
        out.push(line);
    }
    out
}

/// The height of a label's line.
const LINE: i32 = 19;

/// A text's box: left, top, right, bottom.
pub type TextBox = (i32, i32, i32, i32);

pub fn overlaps(a: &TextBox, b: &TextBox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The box of a text of width `w` whose vertical centre (as [`VPos::Center`] places it) is `y`:
/// the font's ascent and descent around a baseline half an x-height below `y`.
fn centred_box(left: i32, y: i32, w: i32, px: f64) -> TextBox {
    let (up, down) = ((0.66 * px).ceil() as i32, (0.52 * px).ceil() as i32);
    (left, y - up, left + w, y + down)
}

/// One legend entry, placed: its colour key's left edge, its row's centre and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    pub x: i32,
    pub y: i32,
    pub text: String,
}

/// A legend laid out in rows `width` pixels wide.
#[derive(Debug, Clone, PartialEq)]
pub struct Legend {
    pub items: Vec<LegendItem>,
    pub height: i32,
}

impl Legend {
    /// The box an entry takes (its key and its text).
    pub fn item_box(&self, i: usize) -> TextBox {
        let it = &self.items[i];
        let w = KEY + 5 + text_width(&it.text, TEXT);
        (
            it.x,
            it.y - LEGEND_ROW / 2 + 2,
            it.x + w,
            it.y + LEGEND_ROW / 2 - 2,
        )
    }
}

/// Lays out a legend of `labels` in rows `width` pixels wide: an entry goes on the next row
/// when it would not fit on this one, and only a label wider than a whole row is shortened.
pub fn legend(labels: &[&str], width: i32) -> Legend {
    let mut items = Vec::new();
    let (mut x, mut y) = (0, LEGEND_ROW / 2);
    for l in labels {
        let text = fit(l, TEXT, width - KEY - 5);
        let w = KEY + 5 + text_width(&text, TEXT);
        if x > 0 && x + w > width {
            x = 0;
            y += LEGEND_ROW;
        }
        items.push(LegendItem { x, y, text });
        x += w + 14;
    }
    let height = if items.is_empty() {
        0
    } else {
        y + LEGEND_ROW / 2
    };
    Legend { items, height }
}

/// A series' marker shape, so series differ by more than colour.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

const MARKERS: [Marker; 4] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
];

fn marker(area: &Area, m: Marker, (x, y): (i32, i32), sw: Swatch) {
    let fill = color(sw).filled();
    let _ = match m {
        Marker::Circle => area.draw(&Circle::new((x, y), 4, fill)),
        Marker::Square => area.draw(&Rectangle::new([(x - 4, y - 4), (x + 4, y + 4)], fill)),
        Marker::Triangle => area.draw(&Polygon::new(
            vec![(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)],
            fill,
        )),
        Marker::Diamond => area.draw(&Polygon::new(
            vec![(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)],
            fill,
        )),
    };
}

/// Draws a legend at `(left, top)`, entry `k` keyed by `key(k)`.
fn draw_legend(
    area: &Area,
    lg: &Legend,
    (left, top): (i32, i32),
    key: impl Fn(&Area, usize, (i32, i32)),
) {
    let ink = style(TEXT, INK);
    for (k, it) in lg.items.iter().enumerate() {
        let (x, y) = (left + it.x, top + it.y);
        key(area, k, (x + KEY / 2, y));
        text(
            area,
            &it.text,
            (x + KEY + 5, y),
            &ink,
            (HPos::Left, VPos::Center),
        );
    }
}

/// A "nice" axis maximum and step: 1, 2, 2.5 or 5 times a power of ten.
pub fn nice_scale(max: f64, ticks: usize) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 0.25);
    }
    let raw = max / ticks as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let top = (max / step).ceil() * step;
    (top, step)
}

type Area<'a> = DrawingArea<Svg<'a>, Shift>;

fn text(area: &Area, s: &str, pos: (i32, i32), st: &TextStyle, anchor: (HPos, VPos)) {
    let _ = area.draw(&Text::new(
        s.to_string(),
        pos,
        st.pos(Pos::new(anchor.0, anchor.1)),
    ));
}

/// Draws `c` and returns the accessible SVG.
pub fn svg(c: &Chart, lang: &Lang, desc: &str) -> String {
    let (h, inner) = match &c.body {
        Body::Bars { categories, series } if categories.len() == 1 && series.len() == 1 => {
            let value = with_unit(&lang.num(series[0].values[0], 2), &c.unit);
            compact(&categories[0].label, &value, None)
        }
        Body::Bars { categories, series } => bars(c, categories, series, lang),
        Body::Line { points, target } if points.len() == 1 && target.is_none() => {
            let p = &points[0];
            let mut detail = p.date.clone();
            if let Some(s) = &p.source {
                detail = format!("{detail} · {}", s.publisher);
            }
            compact(&with_unit(&p.value_text, &c.unit), &detail, Some(SERIES[0]))
        }
        Body::Line { points, target } => line(c, points, target, lang),
        Body::Progress { rows } => progress(rows, lang),
    };
    wrap_body(
        &inner,
        &format!("chart-{}", c.id),
        WIDTH,
        h,
        &c.title,
        desc,
        "chart-graphic",
    )
}

fn with_unit(v: &str, unit: &str) -> String {
    if unit.is_empty() {
        v.to_string()
    } else {
        format!("{v} {unit}")
    }
}

/// One bar or one observation: two lines of text (and the series' mark), no axis.
fn compact(first: &str, second: &str, mark: Option<Swatch>) -> (u32, String) {
    let h = 2 * PAD + 44;
    let w = WIDTH as i32 - 2 * PAD;
    let left = PAD + if mark.is_some() { 16 } else { 0 };
    let mut buf = String::new();
    {
        let root = Svg::new(&mut buf, (WIDTH, h as u32)).into_drawing_area();
        let _ = root.fill(&color(BG));
        if let Some(sw) = mark {
            marker(&root, Marker::Circle, (PAD + 5, PAD + 11), sw);
        }
        let strong = ("sans-serif", TEXT * 1.24, FontStyle::Bold)
            .into_font()
            .color(&color(INK));
        // (Bold text is measured as regular text an eighth larger.)
        let first = fit(first, TEXT * 1.125, w - left + PAD);
        text(
            &root,
            &first,
            (left, PAD + 11),
            &strong,
            (HPos::Left, VPos::Center),
        );
        let second = fit(second, SMALL, w - left + PAD);
        text(
            &root,
            &second,
            (left, PAD + 33),
            &style(SMALL, MUTED),
            (HPos::Left, VPos::Center),
        );
    }
    (h as u32, buf)
}

/// The heights of a bar chart's rows: a category's label on its own line, its bar below.
const BAR_ROW: i32 = 44;
const BAR: i32 = 16;

fn bars(
    c: &Chart,
    cats: &[super::Category],
    series: &[super::Series],
    lang: &Lang,
) -> (u32, String) {
    let w = WIDTH as i32;
    let stacked = series.len() > 1;
    let labels: Vec<&str> = series.iter().map(|s| s.label.as_str()).collect();
    let lg = if stacked {
        legend(&labels, w - 2 * PAD)
    } else {
        legend(&[], 0)
    };
    let top = PAD + lg.height + if stacked { 6 } else { 0 };
    let totals: Vec<f64> = (0..cats.len())
        .map(|i| series.iter().map(|s| s.values[i].max(0.0)).sum())
        .collect();
    let (max, step) = bar_scale(&totals);
    let value_texts: Vec<String> = totals.iter().map(|t| lang.num(*t, 2)).collect();
    let right_pad = value_texts
        .iter()
        .map(|t| text_width(t, TEXT))
        .max()
        .unwrap_or(0)
        + 8;
    let plot_w = w - 2 * PAD - right_pad;
    let x = |v: f64| PAD.saturating_add((v / max * f64::from(plot_w)).round() as i32);
    let (labels, row_top, bottom) = bar_rows(cats, top, w);
    let unit_h = if c.unit.is_empty() { 0 } else { 20 };
    let h = (bottom + 24 + unit_h + PAD) as u32;
    let mut buf = String::new();
    {
        let root = Svg::new(&mut buf, (WIDTH, h)).into_drawing_area();
        let _ = root.fill(&color(BG));
        draw_legend(&root, &lg, (PAD, PAD), |a, k, (kx, ky)| {
            let sw = series_swatch(&series[k], k);
            let _ = a.draw(&Rectangle::new(
                [(kx - KEY / 2, ky - KEY / 2), (kx + KEY / 2, ky + KEY / 2)],
                color(sw).filled(),
            ));
        });
        bar_axis(&root, (max, step), bottom, &x, lang);
        if !c.unit.is_empty() {
            let unit = fit(&c.unit, SMALL, w - 2 * PAD);
            text(
                &root,
                &unit,
                (w - PAD, bottom + 24),
                &style(SMALL, MUTED),
                (HPos::Right, VPos::Top),
            );
        }
        for i in 0..cats.len() {
            let total = (totals[i], value_texts[i].as_str());
            bar_row(&root, &labels[i], row_top[i], series, i, total, &x);
        }
    }
    (h, buf)
}

/// A bar chart's rows: each category's label (wrapped to at most two lines), the top of each
/// row, and the bottom of the last.
fn bar_rows(cats: &[super::Category], top: i32, w: i32) -> (Vec<Vec<String>>, Vec<i32>, i32) {
    let labels: Vec<Vec<String>> = cats
        .iter()
        .map(|c| wrap(&c.label, TEXT, w - 2 * PAD, 2))
        .collect();
    let row_top: Vec<i32> = labels
        .iter()
        .scan(top, |y, l| {
            let at = *y;
            *y += BAR_ROW + LINE * (l.len() as i32 - 1).max(0);
            Some(at)
        })
        .collect();
    let bottom = top
        + labels
            .iter()
            .map(|l| BAR_ROW + LINE * (l.len() as i32 - 1).max(0))
            .sum::<i32>();
    (labels, row_top, bottom)
}

/// The row of category `i` from `y0` down: its label, its bar (stacked, one part a series)
/// beside the zero line, and the total at the bar's end.
fn bar_row(
    root: &Area,
    label: &[String],
    y0: i32,
    series: &[super::Series],
    i: usize,
    (total, total_text): (f64, &str),
    x: &dyn Fn(f64) -> i32,
) {
    let ink = style(TEXT, INK);
    for (n, line) in label.iter().enumerate() {
        let y = y0 + 11 + LINE * n as i32;
        text(root, line, (PAD, y), &ink, (HPos::Left, VPos::Center));
    }
    let by = y0 + 22 + LINE * (label.len() as i32 - 1).max(0);
    // The zero line, beside the bar only (not through the label above it).
    let _ = root.draw(&PathElement::new(
        vec![(x(0.0), by - 3), (x(0.0), by + BAR + 3)],
        color(INK),
    ));
    let mut acc = 0.0;
    for (k, s) in series.iter().enumerate() {
        let v = s.values[i].max(0.0);
        if v == 0.0 {
            continue;
        }
        let (a, b) = (x(acc), x(acc + v));
        let _ = root.draw(&Rectangle::new(
            [(a, by), (b.max(a + 1), by + BAR)],
            color(series_swatch(s, k)).filled(),
        ));
        acc += v;
    }
    text(
        root,
        total_text,
        (x(total) + 6, by + BAR / 2),
        &ink,
        (HPos::Left, VPos::Center),
    );
}

/// A bar chart's axis maximum and step; counts step by whole numbers.
fn bar_scale(totals: &[f64]) -> (f64, f64) {
    let (mut max, mut step) = nice_scale(totals.iter().cloned().fold(0.0, f64::max), 4);
    if totals.iter().all(|t| t.fract() == 0.0) && step < 1.0 {
        step = 1.0;
        max = max.ceil().max(1.0);
    }
    (max, step)
}

/// The ticks under a bar chart, each with its number where the numbers have room (the first
/// one's text starts at its tick, so it is never cut at the chart's edge).
fn bar_axis(
    area: &Area,
    (max, step): (f64, f64),
    bottom: i32,
    x: &dyn Fn(f64) -> i32,
    lang: &Lang,
) {
    let muted = style(SMALL, MUTED);
    let mut taken: Vec<TextBox> = Vec::new();
    let mut v = 0.0;
    while v <= max + step / 2.0 {
        let gx = x(v);
        let _ = area.draw(&PathElement::new(
            vec![(gx, bottom), (gx, bottom + 4)],
            color(INK),
        ));
        let label = lang.num(v, 2);
        let tw = text_width(&label, SMALL);
        let (left, anchor) = if v == 0.0 {
            (gx, HPos::Left)
        } else {
            (gx - tw / 2, HPos::Center)
        };
        let b = (left - 3, bottom, left + tw + 3, bottom + 20);
        if b.2 <= WIDTH as i32 - PAD && !taken.iter().any(|t| overlaps(t, &b)) {
            taken.push(b);
            text(area, &label, (gx, bottom + 6), &muted, (anchor, VPos::Top));
        }
        v += step;
    }
}

pub fn series_swatch(s: &super::Series, k: usize) -> Swatch {
    if s.status {
        status_swatch(&s.key)
    } else {
        SERIES[k % SERIES.len()]
    }
}

/// The points of a line chart grouped by source, in the order each source first appears: each
/// group is one series, so a line never joins two sources' figures.
pub fn source_series(points: &[super::Point]) -> Vec<Vec<usize>> {
    let mut keys: Vec<Option<&str>> = Vec::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let key = p.source.as_ref().map(|s| s.id.as_str());
        match keys.iter().position(|k| *k == key) {
            Some(k) => out[k].push(i),
            None => {
                keys.push(key);
                out.push(vec![i]);
            }
        }
    }
    out
}

/// A legend's name for each source series: the publisher, with the publication's title where
/// one publisher has several series.
fn series_names(points: &[super::Point], series: &[Vec<usize>], lang: &Lang) -> Vec<String> {
    let source = |s: &Vec<usize>| -> Option<&SourceView> { points[s[0]].source.as_ref() };
    series
        .iter()
        .map(|s| match source(s) {
            Some(src) => {
                let same = series
                    .iter()
                    .filter(|o| source(o).is_some_and(|x| x.publisher == src.publisher))
                    .count();
                if same > 1 {
                    format!("{}: {}", src.publisher, src.title)
                } else {
                    src.publisher.clone()
                }
            }
            None => lang.t("unknown").to_string(),
        })
        .collect()
}

/// The frame of a line chart: its plot area and its scales.
struct Frame {
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
    d0: i64,
    d1: i64,
    max: f64,
    step: f64,
}

impl Frame {
    fn x(&self, d: i64) -> i32 {
        let span = (self.d1 - self.d0).max(1) as f64;
        self.left + ((d - self.d0) as f64 / span * f64::from(self.right - self.left)).round() as i32
    }
    fn y(&self, v: f64) -> i32 {
        let span = f64::from(self.bottom - self.top);
        self.bottom
            .saturating_sub((v / self.max * span).round() as i32)
    }
}

fn line_frame(
    points: &[super::Point],
    target: &Option<(f64, Option<i64>, String)>,
    top: i32,
    lang: &Lang,
) -> Frame {
    let mut days: Vec<i64> = points.iter().map(|p| p.days).collect();
    if let Some((_, Some(d), _)) = target {
        days.push(*d);
    }
    let (d0, d1) = match (days.iter().min(), days.iter().max()) {
        (Some(a), Some(b)) if a < b => (*a, *b),
        (Some(a), _) => (*a - 180, *a + 180),
        _ => (0, 365),
    };
    let pad = ((d1 - d0) / 20).max(15);
    let vmax = points
        .iter()
        .map(|p| p.value)
        .chain(target.iter().map(|t| t.0))
        .fold(0.0, f64::max);
    let (max, step) = nice_scale(vmax, 4);
    let mut widest = 0;
    let mut v = 0.0;
    while v <= max + step / 2.0 {
        widest = widest.max(text_width(&lang.num(v, 2), SMALL));
        v += step;
    }
    Frame {
        left: PAD + widest + 8,
        // Room for half a year's label at the right edge.
        right: WIDTH as i32 - PAD - 18,
        top,
        bottom: top + 180,
        d0: d0 - pad,
        d1: d1 + pad,
        max,
        step,
    }
}

fn line(
    c: &Chart,
    points: &[super::Point],
    target: &Option<(f64, Option<i64>, String)>,
    lang: &Lang,
) -> (u32, String) {
    let w = WIDTH as i32;
    let series = source_series(points);
    let names = series_names(points, &series, lang);
    let lg = if series.len() > 1 {
        legend(
            &names.iter().map(String::as_str).collect::<Vec<_>>(),
            w - 2 * PAD,
        )
    } else {
        legend(&[], 0)
    };
    let unit_top = PAD + lg.height + if lg.height > 0 { 4 } else { 0 };
    let unit_h = if c.unit.is_empty() { 4 } else { 22 };
    let f = line_frame(points, target, unit_top + unit_h + 8, lang);
    let h = (f.bottom + 28 + PAD) as u32;
    let mut buf = String::new();
    {
        let root = Svg::new(&mut buf, (WIDTH, h)).into_drawing_area();
        let _ = root.fill(&color(BG));
        draw_legend(&root, &lg, (PAD, PAD), |a, k, at| {
            marker(a, MARKERS[k % MARKERS.len()], at, SERIES[k % SERIES.len()])
        });
        if !c.unit.is_empty() {
            let unit = fit(&c.unit, SMALL, w - 2 * PAD);
            text(
                &root,
                &unit,
                (PAD, unit_top + 10),
                &style(SMALL, MUTED),
                (HPos::Left, VPos::Center),
            );
        }
        line_axes(&root, &f, lang);
        let mut taken: Vec<TextBox> = Vec::new();
        if let Some(t) = target {
            draw_target(&root, &f, t, lang, &mut taken);
        }
        let at: Vec<(i32, i32)> = points.iter().map(|p| (f.x(p.days), f.y(p.value))).collect();
        for (k, s) in series.iter().enumerate() {
            let sw = SERIES[k % SERIES.len()];
            if s.len() > 1 {
                let path: Vec<(i32, i32)> = s.iter().map(|i| at[*i]).collect();
                let _ = root.draw(&PathElement::new(
                    path,
                    ShapeStyle::from(&color(sw)).stroke_width(2),
                ));
            }
            for i in s {
                marker(&root, MARKERS[k % MARKERS.len()], at[*i], sw);
            }
        }
        taken.extend(at.iter().map(|(x, y)| (x - 5, y - 5, x + 5, y + 5)));
        value_labels(&root, &f, points, &series, &at, &mut taken);
    }
    (h, buf)
}

/// The value axis (gridlines and numbers) and the year axis (a year's number where it has room).
fn line_axes(area: &Area, f: &Frame, lang: &Lang) {
    let muted = style(SMALL, MUTED);
    let mut v = 0.0;
    while v <= f.max + f.step / 2.0 {
        let gy = f.y(v);
        let _ = area.draw(&PathElement::new(
            vec![(f.left, gy), (f.right, gy)],
            color(GRID),
        ));
        text(
            area,
            &lang.num(v, 2),
            (f.left - 6, gy),
            &muted,
            (HPos::Right, VPos::Center),
        );
        v += f.step;
    }
    let y0 = crate::site::model::Date::from_unix(f.d0 * 86_400).year;
    let y1 = crate::site::model::Date::from_unix(f.d1 * 86_400).year;
    let mut last_right = i32::MIN;
    for yr in y0..=y1 + 1 {
        let d = crate::site::model::Date::ymd(yr, 1, 1).days();
        if d < f.d0 || d > f.d1 {
            continue;
        }
        let gx = f.x(d);
        let label = yr.to_string();
        let tw = text_width(&label, SMALL);
        let _ = area.draw(&PathElement::new(
            vec![(gx, f.bottom), (gx, f.bottom + 5)],
            color(INK),
        ));
        if gx - tw / 2 < last_right + 8 || gx + tw / 2 > WIDTH as i32 - PAD {
            continue;
        }
        last_right = gx + tw / 2;
        text(
            area,
            &label,
            (gx, f.bottom + 8),
            &muted,
            (HPos::Center, VPos::Top),
        );
    }
    let _ = area.draw(&PathElement::new(
        vec![(f.left, f.bottom), (f.right, f.bottom)],
        color(INK),
    ));
}

/// The target: a dashed line, its mark at its date and its label where it has room.
fn draw_target(
    area: &Area,
    f: &Frame,
    (tv, td, _): &(f64, Option<i64>, String),
    lang: &Lang,
    taken: &mut Vec<TextBox>,
) {
    let ty = f.y(*tv);
    let _ = area.draw(&DashedPathElement::new(
        vec![(f.left, ty), (f.right, ty)],
        6,
        4,
        ShapeStyle::from(&color(TARGET)).stroke_width(2),
    ));
    let label = format!("{} {}", lang.t("target"), lang.num(*tv, 2));
    let tw = text_width(&label, SMALL);
    let mut cy = ty + 11;
    if centred_box(0, cy, tw, SMALL).3 > f.bottom {
        cy = ty - 11;
    }
    let b = centred_box(f.left + 4, cy, tw, SMALL);
    text(
        area,
        &label,
        (f.left + 4, cy),
        &style(SMALL, TARGET),
        (HPos::Left, VPos::Center),
    );
    taken.push(b);
    if let Some(d) = td {
        let _ = area.draw(&Circle::new(
            (f.x(*d), ty),
            5,
            ShapeStyle::from(&color(TARGET)).stroke_width(2),
        ));
    }
}

/// Each point's value beside it, above, below, right or left, wherever it overlaps nothing
/// already placed; a value with no room is left out (the table has it). Each series' latest
/// value is placed first.
fn value_labels(
    area: &Area,
    f: &Frame,
    points: &[super::Point],
    series: &[Vec<usize>],
    at: &[(i32, i32)],
    taken: &mut Vec<TextBox>,
) {
    let ink = style(SMALL, INK);
    let mut order: Vec<usize> = series.iter().filter_map(|s| s.last().copied()).collect();
    for s in series {
        order.extend(s.iter().rev().skip(1));
    }
    let bounds = (f.left, f.top - 8, WIDTH as i32 - PAD, f.bottom);
    for i in order {
        let label = &points[i].value_text;
        let tw = text_width(label, SMALL);
        let (x, y) = at[i];
        // Above, below, beside; then nearer the corners; then a line further away.
        let mut tries = vec![
            (x - tw / 2, y - 14),
            (x - tw / 2, y + 14),
            (x + 8, y),
            (x - 8 - tw, y),
        ];
        for dy in [-14, 14, -32, 32] {
            tries.extend([(x + 4, y + dy), (x - 4 - tw, y + dy), (x - tw / 2, y + dy)]);
        }
        let fits =
            |b: &TextBox| b.0 >= bounds.0 && b.1 >= bounds.1 && b.2 <= bounds.2 && b.3 <= bounds.3;
        let spot = tries
            .iter()
            .map(|(l, cy)| (*l, *cy, centred_box(*l, *cy, tw, SMALL)))
            .find(|(_, _, b)| fits(b) && !taken.iter().any(|t| overlaps(t, b)));
        if let Some((l, cy, b)) = spot {
            taken.push(b);
            text(area, label, (l, cy), &ink, (HPos::Left, VPos::Center));
        }
    }
}

/// A progress chart: per row, its label, a bar against the target, then the figures and the
/// share of the target (on a line of their own when one line has no room for both).
fn progress(rows: &[super::ProgressRow], lang: &Lang) -> (u32, String) {
    let w = WIDTH as i32 - 2 * PAD;
    let ink = style(TEXT, INK);
    let muted = style(SMALL, MUTED);
    let lines: Vec<(Vec<String>, Vec<String>, String, bool)> = rows
        .iter()
        .map(|r| {
            let figures = format!("{} / {}", r.value_text, r.target_text);
            let share = lang.tf("progress_of_target", &[("percent", &r.percent_text)]);
            let one_line = text_width(&figures, SMALL) + 12 + text_width(&share, TEXT) <= w;
            let figures = wrap(&figures, SMALL, w, 2);
            (wrap(&r.label, TEXT, w, 2), figures, share, one_line)
        })
        .collect();
    let extra = |l: &[String]| LINE * (l.len() as i32 - 1).max(0);
    let row_h = |label: &[String], figures: &[String], one: bool| {
        extra(label) + extra(figures) + if one { 64 } else { 84 }
    };
    let h = PAD * 2 + lines.iter().map(|l| row_h(&l.0, &l.1, l.3)).sum::<i32>();
    let mut buf = String::new();
    {
        let root = Svg::new(&mut buf, (WIDTH, h.max(40) as u32)).into_drawing_area();
        let _ = root.fill(&color(BG));
        let mut y0 = PAD;
        for (r, (label, figures, share, one)) in rows.iter().zip(&lines) {
            for (n, line) in label.iter().enumerate() {
                let y = y0 + 10 + LINE * n as i32;
                text(&root, line, (PAD, y), &ink, (HPos::Left, VPos::Center));
            }
            let by = y0 + 22 + extra(label);
            let _ = root.draw(&Rectangle::new(
                [(PAD, by), (PAD + w, by + 14)],
                color(GRID).filled(),
            ));
            let frac = if r.target > 0.0 {
                (r.value / r.target).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let bw = (frac * f64::from(w)).round() as i32;
            if bw > 0 {
                let _ = root.draw(&Rectangle::new(
                    [(PAD, by), (PAD + bw, by + 14)],
                    color(SERIES[0]).filled(),
                ));
            }
            for (n, line) in figures.iter().enumerate() {
                let y = by + 28 + LINE * n as i32;
                text(&root, line, (PAD, y), &muted, (HPos::Left, VPos::Center));
            }
            let (sx, sy, anchor) = if *one {
                (PAD + w, by + 28, HPos::Right)
            } else {
                (PAD, by + 48 + extra(figures), HPos::Left)
            };
            text(
                &root,
                &fit(share, TEXT, w),
                (sx, sy),
                &ink,
                (anchor, VPos::Center),
            );
            y0 += row_h(label, figures, *one);
        }
    }
    (h.max(40) as u32, buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::{Category, Point, Series};

    fn english() -> Lang {
        let mut diags = crate::site::diagnostics::Diagnostics::new();
        let root = std::path::Path::new("/nonexistent-berpa-site");
        crate::load::lang::load_all(root, &["en".to_string()], &mut diags).remove(0)
    }

    fn chart(body: Body) -> Chart {
        Chart {
            id: "t".into(),
            title: "T".into(),
            headline: String::new(),
            unit: "people".into(),
            value_label: "Value".into(),
            category_label: "Category".into(),
            body,
            sources: vec![],
            as_of: None,
            notes: vec![],
        }
    }

    fn source(id: &str, publisher: &str) -> SourceView {
        SourceView {
            id: id.into(),
            path: format!("sources/{id}/"),
            title: format!("Report {id}"),
            title_lang: None,
            publisher: publisher.into(),
            kind_code: None,
            kind_label: None,
            published: None,
            published_iso: None,
            url: None,
        }
    }

    fn point(days: i64, value: f64, src: Option<SourceView>) -> Point {
        Point {
            days,
            date: format!("day {days}"),
            date_iso: "2024-01-01".into(),
            value,
            value_text: format!("{value}"),
            source: src,
            note: String::new(),
        }
    }

    /// The `<text>` elements of an SVG: (x, y, anchor, font size, text).
    fn texts(svg: &str) -> Vec<(i32, i32, String, f64, String)> {
        let doc = roxmltree::Document::parse(svg).expect("the chart is XML");
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                let num = |a: &str| n.attribute(a).unwrap_or("0").parse::<f64>().unwrap();
                (
                    num("x") as i32,
                    num("y") as i32,
                    n.attribute("text-anchor").unwrap_or("start").to_string(),
                    num("font-size"),
                    n.text().unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn nice_scales() {
        assert_eq!(nice_scale(227.2, 4), (300.0, 100.0));
        assert_eq!(nice_scale(5.0, 4), (6.0, 2.0));
        assert_eq!(nice_scale(140000.0, 4), (150000.0, 50000.0));
        assert_eq!(nice_scale(0.0, 4), (1.0, 0.25));
    }

    #[test]
    fn fit_shortens_long_labels_to_their_measured_width() {
        assert_eq!(fit("Ağalı", 13.0, 200), "Ağalı");
        let f = fit("A very long category label indeed", 13.0, 80);
        assert!(f.ends_with('…') && text_width(&f, 13.0) <= 80, "{f}");
        // Wide letters take more room than narrow ones.
        assert!(
            fit("WWWWWWWWWW", 15.0, 80).chars().count()
                < fit("iiiiiiiiii", 15.0, 80).chars().count()
        );
    }

    #[test]
    fn long_labels_wrap_onto_a_second_line() {
        let label = "Former IDPs returned to Karabakh and East Zangezur economic regions";
        let lines = wrap(label, TEXT, 332, 2);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines.iter().all(|l| text_width(l, TEXT) <= 332),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), label, "nothing left out");
        assert_eq!(wrap("Housing", TEXT, 332, 2), vec!["Housing"]);
        // Too long for two lines: the second ends with an ellipsis, within the width.
        let long = label.repeat(3);
        let lines = wrap(&long, TEXT, 200, 2);
        assert!(lines[1].ends_with('…') && text_width(&lines[1], TEXT) <= 200);
        // One word wider than a line is shortened, not left to run over.
        let lines = wrap(
            "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b",
            TEXT,
            100,
            2,
        );
        assert!(
            lines.iter().all(|l| text_width(l, TEXT) <= 100),
            "{lines:?}"
        );
    }

    #[test]
    fn legends_wrap_without_overlap_or_clipping() {
        let labels = [
            "Water supply and sanitation",
            "Housing",
            "Energy",
            "Transport and logistics",
            "Education",
            "Health",
        ];
        let width = WIDTH as i32 - 2 * PAD;
        let lg = legend(&labels, width);
        assert_eq!(lg.items.len(), labels.len());
        for (i, it) in lg.items.iter().enumerate() {
            // Nothing shortened: each label fits a row.
            assert_eq!(it.text, labels[i]);
            let b = lg.item_box(i);
            assert!(
                b.0 >= 0 && b.2 <= width,
                "{} goes past the edge: {b:?}",
                it.text
            );
            assert!(b.3 <= lg.height);
            for j in 0..i {
                assert!(
                    !overlaps(&b, &lg.item_box(j)),
                    "{} overlaps {}",
                    labels[i],
                    labels[j]
                );
            }
        }
        assert!(
            lg.items.iter().map(|i| i.y).max() > Some(LEGEND_ROW),
            "wrapped onto rows"
        );
        // Only a label wider than a whole row is shortened.
        let long = "Reconstruction of water supply and sanitation networks in every district";
        let lg = legend(&[long], width);
        assert!(lg.items[0].text.ends_with('…'));
        assert!(lg.item_box(0).2 <= width);
    }

    #[test]
    fn stacked_bars_show_every_legend_label_whole() {
        let lang = english();
        let series = [
            "Completed",
            "Under construction",
            "Planned",
            "Water supply and sanitation",
        ]
        .iter()
        .enumerate()
        .map(|(k, l)| Series {
            key: format!("s{k}"),
            label: l.to_string(),
            values: vec![1.0, 2.0],
            status: false,
        })
        .collect();
        let categories = ["Fuzuli", "Water supply and sanitation"]
            .iter()
            .map(|l| Category {
                key: l.to_string(),
                label: l.to_string(),
                path: None,
            })
            .collect();
        let svg = svg(&chart(Body::Bars { categories, series }), &lang, "d");
        let ts = texts(&svg);
        assert!(
            ts.iter()
                .filter(|t| t.4 == "Water supply and sanitation")
                .count()
                == 2,
            "{svg}"
        );
        for t in &ts {
            assert!(t.3 == TEXT || t.3 == SMALL, "{t:?}");
            let w = text_width(&t.4, t.3);
            let left = match t.2.as_str() {
                "end" => t.0 - w,
                "middle" => t.0 - w / 2,
                _ => t.0,
            };
            assert!(
                left >= 0 && left + w <= WIDTH as i32,
                "{t:?} is cut at the edge"
            );
        }
    }

    #[test]
    fn each_source_is_its_own_series() {
        let gov = source("gov", "Government");
        let survey = source("survey", "Survey");
        let points = vec![
            point(100, 900.0, Some(gov.clone())),
            point(400, 1180.0, Some(gov.clone())),
            point(400, 1050.0, Some(survey.clone())),
            point(700, 1300.0, Some(gov)),
        ];
        assert_eq!(source_series(&points), vec![vec![0, 1, 3], vec![2]]);
        let lang = english();
        let target = None;
        let svg = svg(&chart(Body::Line { points, target }), &lang, "d");
        // The legend names both sources.
        let ts = texts(&svg);
        assert!(ts.iter().any(|t| t.4 == "Government") && ts.iter().any(|t| t.4 == "Survey"));
        // One line (the government's three points); the survey's one point is a mark only.
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let lines: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("2"))
            .collect();
        assert_eq!(lines.len(), 1, "{svg}");
        assert_eq!(lines[0].attribute("points").unwrap().split(' ').count(), 3);
    }

    #[test]
    fn value_labels_never_overlap() {
        let lang = english();
        let points: Vec<Point> = (0..30)
            .map(|i| {
                point(
                    i * 10,
                    1000.0 + (i % 3) as f64,
                    Some(source(&format!("s{}", i % 2), &format!("P{}", i % 2))),
                )
            })
            .collect();
        let svg = svg(
            &chart(Body::Line {
                points,
                target: Some((1200.0, None, "t".into())),
            }),
            &lang,
            "d",
        );
        let boxes: Vec<TextBox> = texts(&svg)
            .iter()
            .map(|t| {
                let w = text_width(&t.4, t.3);
                let left = match t.2.as_str() {
                    "end" => t.0 - w,
                    "middle" => t.0 - w / 2,
                    _ => t.0,
                };
                centred_box(left, t.1, w, t.3)
            })
            .collect();
        for i in 0..boxes.len() {
            for j in 0..i {
                // (Boxes from the top of a text to its descent; touching is not overlapping.)
                let (a, b) = (boxes[i], boxes[j]);
                let shrunk = |x: TextBox| (x.0 + 1, x.1 + 3, x.2 - 1, x.3 - 3);
                assert!(!overlaps(&shrunk(a), &shrunk(b)), "{a:?} {b:?}\n{svg}");
            }
        }
    }

    #[test]
    fn one_point_is_a_compact_figure() {
        let lang = english();
        let points = vec![point(100, 1180.0, Some(source("gov", "Government")))];
        let svg = svg(
            &chart(Body::Line {
                points,
                target: None,
            }),
            &lang,
            "d",
        );
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let h: u32 = doc
            .root_element()
            .attribute("height")
            .unwrap()
            .parse()
            .unwrap();
        assert!(h <= 60, "a compact chart, not an axis: {h}");
        let ts = texts(&svg);
        assert_eq!(ts.len(), 2, "the value and its date and source: {svg}");
        assert_eq!(ts[0].4, "1180 people");
        assert!(ts[1].4.contains("Government"));
        assert!(!svg.contains("polyline"), "no axis");
        // One bar too.
        let one_bar = Body::Bars {
            categories: vec![Category {
                key: "h".into(),
                label: "Housing".into(),
                path: None,
            }],
            series: vec![Series {
                key: "n".into(),
                label: "n".into(),
                values: vec![3.0],
                status: false,
            }],
        };
        let svg = super::svg(&chart(one_bar), &lang, "d");
        assert!(
            svg.contains(">Housing<") && svg.contains(">3 people<"),
            "{svg}"
        );
        assert!(!svg.contains("polyline"));
    }
}
