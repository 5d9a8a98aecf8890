//! Drawing charts with plotters, onto the compact SVG backend ([`super::svg::Svg`]). Layout is
//! computed here (bars are drawn one by one, never through a HashMap-ordered histogram), so the
//! same chart gives the same bytes.

use super::svg::Svg;
use super::{BG, Body, Chart, GRID, INK, MUTED, SERIES, Swatch, TARGET, status_swatch, wrap_body};
use crate::site::lang::Lang;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub const WIDTH: u32 = 560;
const FONT: u32 = 16;

pub fn color(s: Swatch) -> RGBColor {
    RGBColor(s.rgb.0, s.rgb.1, s.rgb.2)
}

fn style(size: u32, s: Swatch) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&color(s))
}

/// Rough width of a text in pixels (no font metrics are available, by design).
pub fn text_width(s: &str, size: u32) -> i32 {
    (s.chars().count() as f64 * f64::from(size) * 0.56).ceil() as i32
}

/// Shortens a label to fit `max` pixels, with an ellipsis.
pub fn fit(s: &str, size: u32, max: i32) -> String {
    if text_width(s, size) <= max {
        return s.to_string();
    }
    let keep = ((f64::from(max) / (f64::from(size) * 0.56)) as usize).saturating_sub(1);
    let mut out: String = s.chars().take(keep).collect();
    out.push('…');
    out
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
        Body::Bars { categories, series } => bars(c, categories, series, lang),
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

fn bars(
    c: &Chart,
    cats: &[super::Category],
    series: &[super::Series],
    lang: &Lang,
) -> (u32, String) {
    let stacked = series.len() > 1;
    let row = 30;
    let bar = 18;
    let legend_h = if stacked { 28 } else { 0 };
    let top = 8 + legend_h;
    let axis_h = 34;
    let h = (top + cats.len() as i32 * row + axis_h).max(80) as u32;
    let label_w = cats
        .iter()
        .map(|c| text_width(&c.label, FONT))
        .max()
        .unwrap_or(0)
        .clamp(40, 200)
        + 12;
    let right_pad = 70;
    let plot_w = WIDTH as i32 - label_w - right_pad;
    let totals: Vec<f64> = (0..cats.len())
        .map(|i| series.iter().map(|s| s.values[i].max(0.0)).sum())
        .collect();
    let (mut max, mut step) = nice_scale(totals.iter().cloned().fold(0.0, f64::max), 4);
    // Counts step by whole numbers.
    if totals.iter().all(|t| t.fract() == 0.0) && step < 1.0 {
        step = 1.0;
        max = max.ceil().max(1.0);
    }
    let x = |v: f64| label_w.saturating_add((v / max * f64::from(plot_w)).round() as i32);
    let mut buf = String::new();
    {
        let root = Svg::new(&mut buf, (WIDTH, h)).into_drawing_area();
        let _ = root.fill(&color(BG));
        let ink = style(FONT, INK);
        let muted = style(15, MUTED);
        // Legend.
        if stacked {
            let mut lx = label_w;
            for (k, s) in series.iter().enumerate() {
                let sw = series_swatch(s, k);
                let _ = root.draw(&Rectangle::new(
                    [(lx, 10), (lx + 14, 24)],
                    color(sw).filled(),
                ));
                text(
                    &root,
                    &s.label,
                    (lx + 19, 17),
                    &ink,
                    (HPos::Left, VPos::Center),
                );
                lx += 19 + text_width(&s.label, FONT) + 16;
            }
        }
        // Grid and ticks.
        let bottom = top + cats.len() as i32 * row;
        let mut v = 0.0;
        while v <= max + step / 2.0 {
            let gx = x(v);
            let _ = root.draw(&PathElement::new(
                vec![(gx, top), (gx, bottom)],
                color(GRID),
            ));
            text(
                &root,
                &lang.num(v, 2),
                (gx, bottom + 6),
                &muted,
                (HPos::Center, VPos::Top),
            );
            v += step;
        }
        if !c.unit.is_empty() {
            text(
                &root,
                &c.unit,
                (label_w + plot_w, bottom + 22),
                &muted,
                (HPos::Right, VPos::Top),
            );
        }
        // Bars.
        for (i, cat) in cats.iter().enumerate() {
            let y0 = top + i as i32 * row + (row - bar) / 2;
            text(
                &root,
                &super::chart::fit(&cat.label, FONT, label_w - 10),
                (label_w - 8, y0 + bar / 2),
                &ink,
                (HPos::Right, VPos::Center),
            );
            let mut acc = 0.0;
            for (k, s) in series.iter().enumerate() {
                let v = s.values[i].max(0.0);
                if v == 0.0 {
                    continue;
                }
                let (a, b) = (x(acc), x(acc + v));
                let _ = root.draw(&Rectangle::new(
                    [(a, y0), (b.max(a + 1), y0 + bar)],
                    color(series_swatch(s, k)).filled(),
                ));
                acc += v;
            }
            text(
                &root,
                &lang.num(totals[i], 2),
                (x(totals[i]) + 6, y0 + bar / 2),
                &ink,
                (HPos::Left, VPos::Center),
            );
        }
        // Zero line.
        let _ = root.draw(&PathElement::new(
            vec![(x(0.0), top), (x(0.0), bottom)],
            color(INK),
        ));
    }
    (h, buf)
}

pub fn series_swatch(s: &super::Series, k: usize) -> Swatch {
    if s.status {
        status_swatch(&s.key)
    } else {
        SERIES[k % SERIES.len()]
    }
}

fn line(
    c: &Chart,
    points: &[super::Point],
    target: &Option<(f64, Option<i64>, String)>,
    lang: &Lang,
) -> (u32, String) {
    let h: u32 = 300;
    let left = 70;
    let right = 24;
    let top = 20;
    let bottom = h as i32 - 40;
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
    let (d0, d1) = (d0 - pad, d1 + pad);
    let vmax = points
        .iter()
        .map(|p| p.value)
        .chain(target.iter().map(|t| t.0))
        .fold(0.0, f64::max);
    let (max, step) = nice_scale(vmax, 4);
    let plot_w = WIDTH as i32 - left - right;
    let x = |d: i64| left + ((d - d0) as f64 / (d1 - d0) as f64 * f64::from(plot_w)).round() as i32;
    let y = |v: f64| bottom.saturating_sub((v / max * f64::from(bottom - top)).round() as i32);
    let mut buf = String::new();
    {
        let root = Svg::new(&mut buf, (WIDTH, h)).into_drawing_area();
        let _ = root.fill(&color(BG));
        let muted = style(15, MUTED);
        let ink = style(FONT, INK);
        let mut v = 0.0;
        while v <= max + step / 2.0 {
            let gy = y(v);
            let _ = root.draw(&PathElement::new(
                vec![(left, gy), (left + plot_w, gy)],
                color(GRID),
            ));
            text(
                &root,
                &lang.num(v, 2),
                (left - 6, gy),
                &muted,
                (HPos::Right, VPos::Center),
            );
            v += step;
        }
        // Year ticks.
        let y0 = crate::site::model::Date::from_unix(d0 * 86_400).year;
        let y1 = crate::site::model::Date::from_unix(d1 * 86_400).year;
        let years: Vec<i32> = (y0..=y1 + 1).collect();
        let every = (years.len() / 8).max(1);
        for (i, yr) in years.iter().enumerate() {
            let d = crate::site::model::Date::ymd(*yr, 1, 1).days();
            if d < d0 || d > d1 || i % every != 0 {
                continue;
            }
            let gx = x(d);
            let _ = root.draw(&PathElement::new(
                vec![(gx, bottom), (gx, bottom + 5)],
                color(INK),
            ));
            text(
                &root,
                &yr.to_string(),
                (gx, bottom + 8),
                &muted,
                (HPos::Center, VPos::Top),
            );
        }
        let _ = root.draw(&PathElement::new(
            vec![(left, bottom), (left + plot_w, bottom)],
            color(INK),
        ));
        if !c.unit.is_empty() {
            text(
                &root,
                &c.unit,
                (left - 6, top - 12),
                &muted,
                (HPos::Right, VPos::Center),
            );
        }
        if let Some((tv, td, _)) = target {
            let ty = y(*tv);
            let _ = root.draw(&DashedPathElement::new(
                vec![(left, ty), (left + plot_w, ty)],
                6,
                4,
                ShapeStyle::from(&color(TARGET)).stroke_width(2),
            ));
            let label = format!("{} {}", lang.t("target"), lang.num(*tv, 2));
            text(
                &root,
                &label,
                (left + 4, ty - 9),
                &style(15, TARGET),
                (HPos::Left, VPos::Center),
            );
            if let Some(d) = td {
                let _ = root.draw(&Circle::new(
                    (x(*d), ty),
                    5,
                    ShapeStyle::from(&color(TARGET)).stroke_width(2),
                ));
            }
        }
        let pts: Vec<(i32, i32)> = points.iter().map(|p| (x(p.days), y(p.value))).collect();
        if pts.len() > 1 {
            let _ = root.draw(&PathElement::new(
                pts.clone(),
                ShapeStyle::from(&color(SERIES[0])).stroke_width(2),
            ));
        }
        for (p, (px, py)) in points.iter().zip(&pts) {
            let _ = root.draw(&Circle::new((*px, *py), 4, color(SERIES[0]).filled()));
            let label_pos = if *py < top + 20 { *py + 14 } else { *py - 12 };
            text(
                &root,
                &p.value_text,
                (*px, label_pos),
                &ink,
                (HPos::Center, VPos::Center),
            );
        }
    }
    (h, buf)
}

fn progress(rows: &[super::ProgressRow], lang: &Lang) -> (u32, String) {
    let row = 58;
    let h = (rows.len() as i32 * row + 12).max(60) as u32;
    let left = 12;
    let plot_w = WIDTH as i32 - 2 * left;
    let mut buf = String::new();
    {
        let root = Svg::new(&mut buf, (WIDTH, h)).into_drawing_area();
        let _ = root.fill(&color(BG));
        let ink = style(FONT, INK);
        let muted = style(15, MUTED);
        for (i, r) in rows.iter().enumerate() {
            let y0 = 8 + i as i32 * row;
            text(
                &root,
                &fit(&r.label, FONT, plot_w - 150),
                (left, y0 + 8),
                &ink,
                (HPos::Left, VPos::Center),
            );
            text(
                &root,
                &lang.tf("progress_of_target", &[("percent", &r.percent_text)]),
                (left + plot_w, y0 + 8),
                &ink,
                (HPos::Right, VPos::Center),
            );
            let by = y0 + 20;
            let _ = root.draw(&Rectangle::new(
                [(left, by), (left + plot_w, by + 14)],
                color(GRID).filled(),
            ));
            let frac = if r.target > 0.0 {
                (r.value / r.target).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let w = (frac * f64::from(plot_w)).round() as i32;
            if w > 0 {
                let _ = root.draw(&Rectangle::new(
                    [(left, by), (left + w, by + 14)],
                    color(SERIES[0]).filled(),
                ));
            }
            text(
                &root,
                &format!("{} / {}", r.value_text, r.target_text),
                (left, by + 26),
                &muted,
                (HPos::Left, VPos::Center),
            );
        }
    }
    (h, buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_scales() {
        assert_eq!(nice_scale(227.2, 4), (300.0, 100.0));
        assert_eq!(nice_scale(5.0, 4), (6.0, 2.0));
        assert_eq!(nice_scale(140000.0, 4), (150000.0, 50000.0));
        assert_eq!(nice_scale(0.0, 4), (1.0, 0.25));
    }

    #[test]
    fn fit_shortens_long_labels() {
        assert_eq!(fit("Ağalı", 13, 200), "Ağalı");
        let f = fit("A very long category label indeed", 13, 80);
        assert!(f.ends_with('…') && text_width(&f, 13) <= 90, "{f}");
    }
}
