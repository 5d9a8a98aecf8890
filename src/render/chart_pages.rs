//! Each chart's own page (`charts/<id>/`) and its embed page (`charts/<id>/embed/`), for reuse:
//! the chart with its table, sources, downloads (SVG, CSV), a suggested citation (with
//! `cite.json` and `cite.bib` beside the page) and an `<iframe>` snippet of the embed page,
//! which shows only the chart with its title, sources and licence line.

use super::views::Env;
use super::{Drawn, Input, Page, Pass};
use crate::draw::{FigureLinks, HOME_MARK, SourceView, esc};
use crate::export::cite::Citation;
use crate::plan::{JobKind, Plan};
use crate::site::model::CHARTS_DIR;
use crate::write::sink::Origin;
use serde::Serialize;

/// Width of the embed's frame in the snippet: the chart's 340 px and the embed page's margins.
const EMBED_WIDTH: u32 = 380;

/// A publisher the embed page names, linked to its first source in the chart.
#[derive(Serialize)]
struct Publisher<'a> {
    name: &'a str,
    kind_label: Option<&'a str>,
    path: &'a str,
}

/// What a chart's page and its embed page show.
#[derive(Serialize)]
struct ChartView<'a> {
    id: &'a str,
    title: &'a str,
    headline: &'a str,
    /// The figure with its table open, without a link to this page.
    figure: String,
    /// The SVG alone, for the embed page.
    svg: &'a str,
    sources: &'a [SourceView],
    /// The sources' publishers, each once (the embed page's source line).
    publishers: Vec<Publisher<'a>>,
    as_of: Option<String>,
    /// The `<iframe>` to copy, as text (the template escapes it).
    embed_code: String,
    /// The chart's page and its embed page, absolute.
    page_url: String,
    embed_url: String,
    cite_text: String,
    cite_intro: &'a str,
}

/// The pages of `pass`'s charts, when the plan has them; each chart's citation files go out
/// now.
pub(super) fn pages(input: &Input, plan: &Plan, pass: &Pass) -> Vec<Page> {
    if !plan.pages.iter().any(|j| j.kind == JobKind::Charts) {
        return Vec::new();
    }
    pass.drawn
        .iter()
        .flat_map(|(d, from)| chart_pages(input, pass, d, from))
        .collect()
}

/// The page and the embed page of the chart `d` in `pass`'s language (a place's chart drawn
/// with the place's page has them too); its citation files go out now.
pub(super) fn chart_pages(input: &Input, pass: &Pass, d: &Drawn, from: &Origin) -> [Page; 2] {
    let view = chart_view(input, &pass.env, &pass.shared.prefix, d, from);
    let mut extra = tera::Context::new();
    extra.insert("chart", &view);
    let dir = format!("{CHARTS_DIR}/{}/", d.id);
    [
        Page {
            path: dir.clone(),
            template: "chart.html".into(),
            title: d.chart.title.clone(),
            description: d.chart.headline.clone(),
            extra: extra.clone(),
            list: None,
            origin: from.clone(),
        },
        Page {
            path: format!("{dir}embed/"),
            template: "chart-embed.html".into(),
            title: d.chart.title.clone(),
            description: d.chart.headline.clone(),
            extra,
            list: None,
            origin: from.clone(),
        },
    ]
}

/// One chart's view; its `cite.json` and `cite.bib` are written.
fn chart_view<'a>(
    input: &Input,
    env: &'a Env,
    prefix: &str,
    d: &'a Drawn,
    from: &Origin,
) -> ChartView<'a> {
    let lang = env.lang;
    let c = &d.chart;
    let dir = format!("{prefix}{CHARTS_DIR}/{}/", d.id);
    let cite = Citation::chart(
        input.config,
        input.editions,
        (&d.id, &c.title),
        &lang.code,
        prefix,
    );
    input
        .sink
        .put(format!("{dir}cite.json"), cite.csl_json(), from.clone());
    input.sink.put(
        format!("{dir}cite.bib"),
        cite.bibtex().into_bytes(),
        from.clone(),
    );
    let date = cite.date.map_or_else(|| "—".to_string(), |x| lang.date(x));
    let (key, intro) = if cite.edition {
        ("cite_chart_edition", "cite_record_intro")
    } else {
        ("cite_chart_current", "cite_record_intro_current")
    };
    let cite_text = lang.tf(
        key,
        &[
            ("publisher", &cite.publisher),
            ("title", &cite.title),
            ("site", &cite.site),
            ("date", &date),
            ("url", &cite.url),
            ("page", &cite.page),
        ],
    );
    let home = "../../";
    let csv = format!("{home}{CHARTS_DIR}/{}.csv", d.id);
    let links = FigureLinks {
        csv: &csv,
        page: None,
    };
    let figure = crate::draw::figure(c, lang, &d.svg, links, HOME_MARK)
        .replace(HOME_MARK, home)
        .replacen(
            "<details class=\"chart-data\">",
            "<details class=\"chart-data\" open>",
            1,
        );
    let embed_url = format!("{}embed/", cite.page);
    let mut publishers: Vec<Publisher> = Vec::new();
    for s in &c.sources {
        let kind_label = s.kind_label.as_deref();
        if !publishers
            .iter()
            .any(|p| p.name == s.publisher && p.kind_label == kind_label)
        {
            publishers.push(Publisher {
                name: &s.publisher,
                kind_label,
                path: &s.path,
            });
        }
    }
    let as_of = c.as_of.as_ref().map(|a| lang.tf("as_of", &[("date", a)]));
    let text_height = embed_text_height(&c.title, &c.headline, &publishers, as_of.as_deref());
    ChartView {
        id: &d.id,
        title: &c.title,
        headline: &c.headline,
        figure,
        svg: &d.svg,
        sources: &c.sources,
        publishers,
        as_of,
        embed_code: embed_code(&embed_url, &c.title, svg_height(&d.svg) + text_height),
        page_url: cite.page.clone(),
        embed_url,
        cite_text,
        cite_intro: lang.t(intro),
    }
}

/// The `<iframe>` snippet of an embed page `height` px high, every value escaped.
fn embed_code(src: &str, title: &str, height: u32) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"{EMBED_WIDTH}\" height=\"{height}\" loading=\"lazy\"></iframe>",
        esc(src),
        esc(title),
    )
}

/// About how high the embed page's text is in a frame [`EMBED_WIDTH`] wide: its title, headline,
/// source line and the publisher and licence line, each wrapped at about the characters a line
/// holds (an estimate: a frame too short scrolls).
fn embed_text_height(
    title: &str,
    headline: &str,
    publishers: &[Publisher],
    as_of: Option<&str>,
) -> u32 {
    let lines = |chars: usize, per_line: usize| chars.div_ceil(per_line).max(1) as u32;
    let sources: usize = publishers
        .iter()
        .map(|p| p.name.chars().count() + p.kind_label.map_or(0, |k| k.chars().count() + 5))
        .sum::<usize>()
        + as_of.map_or(0, |a| a.chars().count() + 3)
        + 10;
    let margins = 40;
    lines(title.chars().count(), 30) * 26
        + lines(headline.chars().count(), 42) * 22
        + lines(sources, 48) * 20
        + 3 * 20
        + margins
}

/// The height an SVG's root element gives (0 if it gives none).
fn svg_height(svg: &str) -> u32 {
    let open = svg.split('>').next().unwrap_or("");
    open.split(" height=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|h| h.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_longer_source_line_makes_a_taller_frame() {
        let p = |name| Publisher {
            name,
            kind_label: Some("State media"),
            path: "sources/x/",
        };
        let one = embed_text_height("Roads", "All open.", &[p("A")], None);
        let many: Vec<Publisher> = (0..12).map(|_| p("Trend News Agency")).collect();
        assert!(embed_text_height("Roads", "All open.", &many, None) >= one + 5 * 20);
    }

    #[test]
    fn the_snippet_escapes_the_title_and_sizes_the_frame() {
        let svg = "<svg class=\"c\" viewBox=\"0 0 340 200\" width=\"340\" height=\"200\"><title>x</title></svg>";
        assert_eq!(svg_height(svg), 200);
        let code = embed_code(
            "https://x.test/charts/a/embed/",
            "Roads \"open\" & <closed>",
            370,
        );
        assert_eq!(
            code,
            "<iframe src=\"https://x.test/charts/a/embed/\" title=\"Roads &quot;open&quot; &amp; &lt;closed&gt;\" width=\"380\" height=\"370\" loading=\"lazy\"></iframe>"
        );
    }
}
