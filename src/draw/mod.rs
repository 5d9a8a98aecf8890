//! Charts and maps, drawn at build time as SVG with plotters: no JavaScript, no tiles, no fonts
//! of the machine. Each chart is published as a `<figure>`: the headline as caption, the SVG
//! with `role="img"`, a `<title>` and a `<desc>` stating the numbers, the same numbers as a
//! table, its sources and as-of date, and a CSV of its data.
//!
//! Colours come from one palette and are tagged with CSS classes (`f-…` fill, `s-…` stroke) so
//! the theme (and its dark mode) can restyle them; the hex values stay as a fallback for an
//! SVG seen on its own. Everything is drawn through plotters' elements onto [`svg::Svg`], a
//! compact SVG backend that writes those classes as it draws.

pub mod chart;
mod layers;
pub mod map;
pub mod metrics;
pub mod svg;

use crate::site::lang::Lang;
use serde::Serialize;

/// A source a chart cites, as its figure links to it (made by `render`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceView {
    pub id: String,
    pub path: String,
    pub title: String,
    pub title_lang: Option<String>,
    pub publisher: String,
    pub kind_code: Option<String>,
    pub kind_label: Option<String>,
    pub published: Option<String>,
    pub published_iso: Option<String>,
    pub url: Option<String>,
}

/// A named colour: its CSS class suffix and its value on a light background (≥ 3:1 contrast
/// against white, except the light greys used for grid and land).
#[derive(Debug, Clone, Copy)]
pub struct Swatch {
    pub class: &'static str,
    pub rgb: (u8, u8, u8),
}

const fn sw(class: &'static str, r: u8, g: u8, b: u8) -> Swatch {
    Swatch {
        class,
        rgb: (r, g, b),
    }
}

/// Series colours, in order.
pub const SERIES: [Swatch; 8] = [
    sw("c0", 0x0B, 0x4F, 0x6C),
    sw("c1", 0xB3, 0x4A, 0x00),
    sw("c2", 0x1D, 0x6B, 0x36),
    sw("c3", 0x6E, 0x3A, 0x8C),
    sw("c4", 0x8F, 0x1D, 0x1E),
    sw("c5", 0x3D, 0x4B, 0x8F),
    sw("c6", 0x6B, 0x5A, 0x00),
    sw("c7", 0x00, 0x68, 0x6B),
];

pub const INK: Swatch = sw("ink", 0x1B, 0x1F, 0x24);
pub const MUTED: Swatch = sw("muted", 0x4F, 0x5A, 0x66);
pub const GRID: Swatch = sw("grid", 0xD3, 0xD9, 0xDE);
pub const BG: Swatch = sw("bg", 0xFF, 0xFF, 0xFE);
pub const LAND: Swatch = sw("land", 0xF2, 0xF4, 0xF1);
/// The ground of a map that has a land layer: what is not land is water.
pub const SEA: Swatch = sw("sea", 0xDD, 0xEA, 0xF3);
pub const TARGET: Swatch = sw("target", 0xB3, 0x1B, 0x5B);
pub const HIGHLIGHT: Swatch = sw("hl", 0xC7, 0x50, 0x01);

/// Road line colours: one a road status, each with its dash pattern (plotters draws solid
/// lines; [`svg::Svg`] adds `stroke-dasharray` to these, so a road's status shows in its line
/// pattern as well as its colour, in one element however long the road).
pub const ROAD_OPEN: Swatch = sw("rd-open", 0x1D, 0x6B, 0x34);
pub const ROAD_BUILDING: Swatch = sw("rd-building", 0x9A, 0x5B, 0x01);
pub const ROAD_PLANNED: Swatch = sw("rd-planned", 0x3D, 0x4B, 0x8D);
pub const ROAD_UNKNOWN: Swatch = sw("rd-unknown", 0x5F, 0x6B, 0x75);

pub fn road_swatch(status: Option<&str>) -> Swatch {
    match status {
        Some("open") => ROAD_OPEN,
        Some("under-construction") => ROAD_BUILDING,
        Some("planned") => ROAD_PLANNED,
        _ => ROAD_UNKNOWN,
    }
}

pub(crate) fn dash_of(class: &str) -> Option<&'static str> {
    match class {
        "rd-building" => Some("9 5"),
        "rd-planned" => Some("2 5"),
        _ => None,
    }
}

/// Status colours, by the status code's meaning.
pub fn status_swatch(code: &str) -> Swatch {
    match code {
        "open" | "completed" | "resettled" => sw("st-done", 0x1D, 0x6B, 0x35),
        "under-construction" | "in-progress" | "under-reconstruction" => {
            sw("st-doing", 0x9A, 0x5B, 0x00)
        }
        "planned" => sw("st-planned", 0x3D, 0x4B, 0x8E),
        "cancelled" => sw("st-cancelled", 0x8F, 0x1D, 0x1D),
        _ => sw("st-unknown", 0x5F, 0x6B, 0x76),
    }
}

const ALL_SWATCHES: [Swatch; 17] = [
    ROAD_OPEN,
    ROAD_BUILDING,
    ROAD_PLANNED,
    ROAD_UNKNOWN,
    INK,
    MUTED,
    GRID,
    BG,
    LAND,
    SEA,
    TARGET,
    HIGHLIGHT,
    sw("st-done", 0x1D, 0x6B, 0x35),
    sw("st-doing", 0x9A, 0x5B, 0x00),
    sw("st-planned", 0x3D, 0x4B, 0x8E),
    sw("st-cancelled", 0x8F, 0x1D, 0x1D),
    sw("st-unknown", 0x5F, 0x6B, 0x76),
];

/// One category of a bar chart (a bar), with the page it links to.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Category {
    pub key: String,
    pub label: String,
    pub path: Option<String>,
}

/// One series of a bar chart: a value per category.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Series {
    pub key: String,
    pub label: String,
    pub values: Vec<f64>,
    /// A status series is coloured by its status; others by palette order.
    pub status: bool,
}

/// One point of a line chart.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Point {
    pub days: i64,
    pub date: String,
    pub date_iso: String,
    pub value: f64,
    pub value_text: String,
    pub source: Option<SourceView>,
    pub note: String,
}

/// One row of a progress chart: a value against a target.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProgressRow {
    pub label: String,
    pub path: Option<String>,
    pub value: f64,
    pub target: f64,
    pub value_text: String,
    pub target_text: String,
    pub percent_text: String,
    pub as_of: String,
    pub source: Option<SourceView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Body {
    /// Horizontal bars; several series are stacked.
    Bars {
        categories: Vec<Category>,
        series: Vec<Series>,
    },
    Line {
        points: Vec<Point>,
        target: Option<(f64, Option<i64>, String)>,
    },
    Progress {
        rows: Vec<ProgressRow>,
    },
}

/// A chart ready to draw, in one language.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Chart {
    /// Unique on a page; used for element ids and the CSV file name.
    pub id: String,
    pub title: String,
    /// A one-sentence message: the figure's caption.
    pub headline: String,
    pub unit: String,
    pub value_label: String,
    pub category_label: String,
    pub body: Body,
    pub sources: Vec<SourceView>,
    pub as_of: Option<String>,
    pub notes: Vec<String>,
}

/// Stands for the page's relative path to its language home in a figure made once and used on
/// pages at different depths.
pub const HOME_MARK: &str = "\u{F8FF}home\u{F8FF}";

pub use crate::site::escape::esc;

/// The palette colour with this value, if it is one.
pub fn swatch_of(rgb: (u8, u8, u8)) -> Option<Swatch> {
    SERIES
        .iter()
        .chain(ALL_SWATCHES.iter())
        .find(|s| s.rgb == rgb)
        .copied()
}

/// Wraps drawn elements (without a root element, as [`svg::Svg`] draws them) in an accessible
/// `<svg>` with a title and a description.
pub fn wrap_body(
    body: &str,
    id: &str,
    w: u32,
    h: u32,
    title: &str,
    desc: &str,
    class: &str,
) -> String {
    let body = body.trim();
    let mut out = String::with_capacity(body.len() + 512);
    open_svg(&mut out, id, (w, h), title, desc, class);
    out.push_str(body);
    out.push_str("</svg>");
    out
}

/// What [`wrap_body`] writes before the elements: the `<svg>` root with its title and
/// description (close it with `</svg>`).
pub fn open_svg(
    out: &mut String,
    id: &str,
    (w, h): (u32, u32),
    title: &str,
    desc: &str,
    class: &str,
) {
    use std::fmt::Write;
    let _ = write!(
        out,
        "<svg class=\"{class}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, sans-serif\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(desc),
    );
}

/// The numbers of a chart as one sentence a screen reader can read.
pub fn describe(c: &Chart, lang: &Lang) -> String {
    let items: Vec<String> = match &c.body {
        Body::Bars { categories, series } => categories
            .iter()
            .enumerate()
            .map(|(i, cat)| {
                if series.len() == 1 {
                    format!(
                        "{} {}",
                        cat.label,
                        with_unit(&lang.num(series[0].values[i], 2), &c.unit)
                    )
                } else {
                    let parts: Vec<String> = series
                        .iter()
                        .filter(|s| s.values[i] != 0.0)
                        .map(|s| format!("{} {}", s.label.to_lowercase(), lang.num(s.values[i], 2)))
                        .collect();
                    let total: f64 = series.iter().map(|s| s.values[i]).sum();
                    format!(
                        "{} {} ({})",
                        cat.label,
                        with_unit(&lang.num(total, 2), &c.unit),
                        parts.join(", ")
                    )
                }
            })
            .collect(),
        Body::Line { points, target } => {
            let mut v: Vec<String> = points
                .iter()
                .map(|p| {
                    lang.tf(
                        "chart_point",
                        &[
                            ("value", &with_unit(&p.value_text, &c.unit)),
                            ("date", &p.date),
                        ],
                    )
                })
                .collect();
            if let Some((_, _, t)) = target {
                v.push(t.clone());
            }
            v
        }
        Body::Progress { rows } => rows
            .iter()
            .map(|r| {
                lang.tf(
                    "chart_progress_row",
                    &[
                        ("label", &r.label),
                        ("value", &r.value_text),
                        ("target", &r.target_text),
                        ("percent", &r.percent_text),
                        ("date", &r.as_of),
                    ],
                )
            })
            .collect(),
    };
    if items.is_empty() {
        return format!("{}: {}.", c.title, lang.t("chart_no_data"));
    }
    format!("{}: {}.", c.title, items.join("; "))
}

fn with_unit(v: &str, unit: &str) -> String {
    if unit.is_empty() {
        v.to_string()
    } else {
        format!("{v} {unit}")
    }
}

/// The chart's data as CSV (with a header row), in the page's language, written as every CSV
/// of the site is ([`crate::output::sheet`]): labels, names and notes are text (neutralised where
/// a spreadsheet would run them), numbers and dates data.
pub fn csv(c: &Chart, lang: &Lang) -> String {
    use crate::site::sheet::{Cell, Csv};
    let mut w = Csv::new();
    match &c.body {
        Body::Bars { categories, series } => {
            let mut head = vec![c.category_label.as_str()];
            head.extend(series.iter().map(|s| {
                if series.len() == 1 {
                    c.value_label.as_str()
                } else {
                    s.label.as_str()
                }
            }));
            w.text_row(head);
            for (i, cat) in categories.iter().enumerate() {
                let values: Vec<String> = series.iter().map(|s| plain(s.values[i])).collect();
                let cells = std::iter::once(Cell::Text(&cat.label));
                w.row(cells.chain(values.iter().map(|v| Cell::Data(v))));
            }
        }
        Body::Line { points, .. } => {
            w.text_row([
                lang.t("date"),
                c.value_label.as_str(),
                lang.t("source"),
                lang.t("note"),
            ]);
            for p in points {
                let source = p
                    .source
                    .as_ref()
                    .map(|s| format!("{} ({})", s.title, s.publisher))
                    .unwrap_or_default();
                w.row([
                    Cell::Data(&p.date_iso),
                    Cell::Data(&plain(p.value)),
                    Cell::Text(&source),
                    Cell::Text(&p.note),
                ]);
            }
        }
        Body::Progress { rows } => {
            w.text_row([
                c.category_label.as_str(),
                c.value_label.as_str(),
                lang.t("target"),
                lang.t("date"),
            ]);
            for r in rows {
                w.row([
                    Cell::Text(&r.label),
                    Cell::Data(&plain(r.value)),
                    Cell::Data(&plain(r.target)),
                    // (A date in words, from the site's interface strings: text.)
                    Cell::Text(&r.as_of),
                ]);
            }
        }
    }
    w.into_string()
}

/// A number as plain data: no grouping, `.` as the decimal point, no needless zeros.
pub fn plain(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Where a chart's figure links: its CSV, and its own page ("about this chart / reuse"), which
/// the chart's page itself and a chart without one leave out.
#[derive(Debug, Clone, Copy)]
pub struct FigureLinks<'a> {
    pub csv: &'a str,
    pub page: Option<&'a str>,
}

/// The figure: caption, SVG, data table, sources, a CSV link and a link to the chart's page.
/// `hrefs` are relative to the page; `home` is the relative path to the language's home.
pub fn figure(c: &Chart, lang: &Lang, svg: &str, hrefs: FigureLinks, home: &str) -> String {
    let mut h = String::new();
    h.push_str(&format!(
        "<figure class=\"chart chart-{}\" id=\"chart-{}\">\n<figcaption><span class=\"chart-title\">{}</span> <span class=\"chart-headline\">{}</span></figcaption>\n<div class=\"chart-svg\">{}</div>\n",
        match c.body {
            Body::Bars { .. } => "bars",
            Body::Line { .. } => "line",
            Body::Progress { .. } => "progress",
        },
        esc(&c.id),
        esc(&c.title),
        esc(&c.headline),
        svg
    ));
    h.push_str(&format!(
        "<details class=\"chart-data\"><summary>{}</summary>\n<div class=\"table-wrap\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">{}</div>\n</details>\n",
        esc(lang.t("chart_data_table")),
        esc(&c.title),
        table(c, lang, home)
    ));
    let mut meta = Vec::new();
    if c.sources.len() > 4 {
        // Many publications: name each publisher once; every record in the table links its own.
        let mut pubs: Vec<String> = Vec::new();
        for s in &c.sources {
            let p = match &s.kind_label {
                Some(k) => format!("{} ({})", s.publisher, k),
                None => s.publisher.clone(),
            };
            if !pubs.contains(&p) {
                pubs.push(p);
            }
        }
        meta.push(esc(&lang.tf(
            "chart_sources_many",
            &[
                ("n", &c.sources.len().to_string()),
                ("publishers", &pubs.join(", ")),
            ],
        )));
    } else if !c.sources.is_empty() {
        let s: Vec<String> = c
            .sources
            .iter()
            .map(|s| {
                // A publisher with several publications here is told apart by their dates.
                let same = c
                    .sources
                    .iter()
                    .filter(|x| x.publisher == s.publisher)
                    .count();
                let label = match (&s.published, same > 1) {
                    (Some(d), true) => format!("{}, {d}", s.publisher),
                    _ => s.publisher.clone(),
                };
                format!(
                    "<a href=\"{}{}\">{}</a>{}",
                    esc(home),
                    esc(&s.path),
                    esc(&label),
                    s.kind_label
                        .as_ref()
                        .map(|k| format!(" ({})", esc(k)))
                        .unwrap_or_default()
                )
            })
            .collect();
        meta.push(format!("{}: {}", esc(lang.t("sources")), s.join(", ")));
    }
    if let Some(a) = &c.as_of {
        meta.push(esc(&lang.tf("as_of", &[("date", a)])));
    }
    meta.push(format!(
        "<a href=\"{}\" download>{}</a>",
        esc(hrefs.csv),
        esc(lang.t("chart_csv"))
    ));
    if let Some(page) = hrefs.page {
        meta.push(format!(
            "<a class=\"chart-about\" href=\"{}\">{}</a>",
            esc(page),
            esc(lang.t("chart_about"))
        ));
    }
    h.push_str(&format!(
        "<p class=\"chart-meta\">{}</p>\n",
        meta.join(" · ")
    ));
    for n in &c.notes {
        h.push_str(&format!("<p class=\"note chart-note\">{}</p>\n", esc(n)));
    }
    h.push_str("</figure>\n");
    h
}

fn table(c: &Chart, lang: &Lang, home: &str) -> String {
    let mut t = String::from("<table class=\"data\">");
    match &c.body {
        Body::Bars { categories, series } => bars_table(&mut t, c, categories, series, lang, home),
        Body::Line { points, target } => line_table(&mut t, c, points, target, lang, home),
        Body::Progress { rows } => progress_table(&mut t, c, rows, lang, home),
    }
    t.push_str("</tbody></table>");
    t
}

/// A label in a table, linked to its record's page when it has one.
fn table_link(home: &str, label: &str, path: &Option<String>) -> String {
    match path {
        Some(p) => format!("<a href=\"{}{}\">{}</a>", esc(home), esc(p), esc(label)),
        None => esc(label),
    }
}

/// The head and rows of a bar chart's table: a column a series, and their total when there
/// are several.
fn bars_table(
    t: &mut String,
    c: &Chart,
    categories: &[Category],
    series: &[Series],
    lang: &Lang,
    home: &str,
) {
    t.push_str(&format!(
        "<thead><tr><th scope=\"col\">{}</th>",
        esc(&c.category_label)
    ));
    for s in series {
        let head = if series.len() == 1 {
            &c.value_label
        } else {
            &s.label
        };
        t.push_str(&format!(
            "<th scope=\"col\" class=\"num\">{}</th>",
            esc(head)
        ));
    }
    if series.len() > 1 {
        t.push_str(&format!(
            "<th scope=\"col\" class=\"num\">{}</th>",
            esc(lang.t("total"))
        ));
    }
    t.push_str("</tr></thead><tbody>");
    for (i, cat) in categories.iter().enumerate() {
        t.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>",
            table_link(home, &cat.label, &cat.path)
        ));
        for s in series {
            t.push_str(&format!(
                "<td class=\"num\">{}</td>",
                esc(&lang.num(s.values[i], 2))
            ));
        }
        if series.len() > 1 {
            let total: f64 = series.iter().map(|s| s.values[i]).sum();
            t.push_str(&format!(
                "<td class=\"num\">{}</td>",
                esc(&lang.num(total, 2))
            ));
        }
        t.push_str("</tr>");
    }
}

/// The head and rows of a line chart's table: a row a point, then the target.
fn line_table(
    t: &mut String,
    c: &Chart,
    points: &[Point],
    target: &Option<(f64, Option<i64>, String)>,
    lang: &Lang,
    home: &str,
) {
    t.push_str(&format!(
        "<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(lang.t("date")),
        esc(&c.value_label),
        esc(lang.t("source")),
        esc(lang.t("note"))
    ));
    for p in points {
        t.push_str(&format!(
            "<tr><th scope=\"row\"><time datetime=\"{}\">{}</time></th><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.date_iso),
            esc(&p.date),
            esc(&p.value_text),
            p.source
                .as_ref()
                .map(|s| format!("<a href=\"{}{}\">{}</a> ({})", esc(home), esc(&s.path), esc(&s.title), esc(&s.publisher)))
                .unwrap_or_default(),
            esc(&p.note)
        ));
    }
    if let Some((_, _, text)) = target {
        t.push_str(&format!(
            "<tr class=\"target-row\"><th scope=\"row\">{}</th><td class=\"num\" colspan=\"3\">{}</td></tr>",
            esc(lang.t("target")),
            esc(text)
        ));
    }
}

/// The head and rows of a progress chart's table: a row a tracked figure.
fn progress_table(t: &mut String, c: &Chart, rows: &[ProgressRow], lang: &Lang, home: &str) {
    t.push_str(&format!(
        "<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">%</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(&c.category_label),
        esc(lang.t("latest")),
        esc(lang.t("target")),
        esc(lang.t("date"))
    ));
    for r in rows {
        t.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            table_link(home, &r.label, &r.path),
            esc(&r.value_text),
            esc(&r.target_text),
            esc(&r.percent_text),
            esc(&r.as_of)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swatches_are_unique() {
        let mut all: Vec<(u8, u8, u8)> = SERIES
            .iter()
            .chain(ALL_SWATCHES.iter())
            .map(|s| s.rgb)
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "every colour maps to one class");
    }

    #[test]
    fn plain_numbers() {
        assert_eq!(plain(140000.0), "140000");
        assert_eq!(plain(53081.8), "53081.8");
    }
}
