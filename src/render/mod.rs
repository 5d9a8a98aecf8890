//! Rendering: the default theme (embedded), a site's template overrides, and every page of the
//! site in every language, into an in-memory [`OutputSet`].

mod chart_pages;
pub mod charts;
pub mod editions;
pub mod extra;
mod groups;
pub mod maps;
mod site;
pub mod views;

pub use site::render_site;

pub use crate::link::Derived;
use crate::site::config::Config;
use crate::site::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::site::lang::Lang;
use crate::site::model::{Kind, Records};
use crate::write::Sink;
use crate::write::sink::Origin;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, RwLock};
use views::{Cell, Env, RecordView};

/// Every chart of a build by (language, id), with its figure (whose links start with
/// [`crate::draw::HOME_MARK`]): filled while rendering, read by Markdown ```chart blocks and
/// the templates' `chart(id=…)` function.
/// Every chart drawn, as its figure's HTML, by (language, chart id): for `{{ chart(id=…) }}`
/// and embeds in narratives.
pub type ChartTable = Arc<RwLock<BTreeMap<(String, String), String>>>;

/// The default theme's templates, embedded in the binary.
pub const THEME_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "partials/site-nav.html",
        include_str!("../../templates/partials/site-nav.html"),
    ),
    (
        "partials/site-footer.html",
        include_str!("../../templates/partials/site-footer.html"),
    ),
    (
        "partials/sources.html",
        include_str!("../../templates/partials/sources.html"),
    ),
    (
        "partials/history.html",
        include_str!("../../templates/partials/history.html"),
    ),
    (
        "partials/part.html",
        include_str!("../../templates/partials/part.html"),
    ),
    ("home.html", include_str!("../../templates/home.html")),
    ("list.html", include_str!("../../templates/list.html")),
    (
        "partials/records-table.html",
        include_str!("../../templates/partials/records-table.html"),
    ),
    ("group.html", include_str!("../../templates/group.html")),
    (
        "group-index.html",
        include_str!("../../templates/group-index.html"),
    ),
    ("record.html", include_str!("../../templates/record.html")),
    ("city.html", include_str!("../../templates/city.html")),
    ("road.html", include_str!("../../templates/road.html")),
    ("project.html", include_str!("../../templates/project.html")),
    ("partner.html", include_str!("../../templates/partner.html")),
    (
        "indicator.html",
        include_str!("../../templates/indicator.html"),
    ),
    ("source.html", include_str!("../../templates/source.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("map.html", include_str!("../../templates/map.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("data.html", include_str!("../../templates/data.html")),
    ("updates.html", include_str!("../../templates/updates.html")),
    (
        "editions.html",
        include_str!("../../templates/editions.html"),
    ),
    ("changes.html", include_str!("../../templates/changes.html")),
    ("chart.html", include_str!("../../templates/chart.html")),
    (
        "chart-embed.html",
        include_str!("../../templates/chart-embed.html"),
    ),
];

/// The default theme's static files, embedded in the binary. The icon is drawn once as SVG
/// (linked from every page) and once as a 16 and 32 px `favicon.ico` at the site's root, which
/// browsers ask for by themselves.
pub const THEME_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("tables.js", include_bytes!("../../static/tables.js")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("favicon.ico", include_bytes!("../../static/favicon.ico")),
];

/// Where a template came from, to name the right file in an error.
fn template_origin(name: &str, site_templates: &BTreeMap<String, String>) -> String {
    if site_templates.contains_key(name) {
        format!("templates/{name}")
    } else {
        format!("templates/{name} (berpa's built-in theme)")
    }
}

/// Where the site template `name` names the template `target` in a tag holding `keyword`
/// (`{% extends "target" %}`, `{% include "target" %}`).
fn tag_naming(
    name: &str,
    keyword: &str,
    target: &str,
    site: &BTreeMap<String, String>,
) -> Option<Pos> {
    let text = site.get(name)?;
    for quote in ['"', '\''] {
        let quoted = format!("{quote}{target}{quote}");
        for (i, _) in text.match_indices(&quoted) {
            let Some(tag) = text[..i].rfind("{%") else {
                continue;
            };
            if text[tag..i].contains(keyword) && !text[tag..i].contains("%}") {
                return Some(Pos::new(
                    crate::site::markdown::line_of(text, tag),
                    crate::site::markdown::column_of(text, tag),
                ));
            }
        }
    }
    None
}

/// A template problem Tera finds in how templates refer to each other (a loop of includes or
/// extends, a parent that is not there), blamed on the site's template that makes it, at the
/// tag; `None` when no site template takes part.
fn template_link_diagnostic(
    kind: &tera::ErrorKind,
    site: &BTreeMap<String, String>,
) -> Option<Diagnostic> {
    let (keyword, chain, missing) = match kind {
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let mut chain = vec![tpl.clone()];
            chain.extend(inheritance_chain.iter().cloned());
            ("extends", chain, false)
        }
        tera::ErrorKind::CircularInclude { include_chain, .. } => {
            ("include", include_chain.clone(), false)
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            ("extends", vec![current.clone(), parent.clone()], true)
        }
        _ => return None,
    };
    let verb = if keyword == "extends" {
        "extends"
    } else {
        "includes"
    };
    chain.windows(2).find_map(|w| {
        let (from, to) = (&w[0], &w[1]);
        let at = tag_naming(from, keyword, to, site).or_else(|| site.contains_key(from).then(Pos::default))?;
        let (message, help) = if missing {
            (
                format!("`{from}` {verb} `{to}`, which is neither one of the site's templates nor the theme's"),
                format!("name a template that exists (such as base.html), or add templates/{to}"),
            )
        } else {
            (
                format!("`{from}` {verb} `{to}`, which leads back to it: {}", chain.join(" → ")),
                format!("a template cannot {} itself, directly or through others: change or remove this {{% {keyword} %}}", keyword.trim_end_matches('s')),
            )
        };
        Some(Diagnostic::error("template", format!("templates/{from}"), message).at(at).help(help))
    })
}

fn tera_diagnostic(
    e: &tera::Error,
    site_templates: &BTreeMap<String, String>,
    page: Option<&str>,
) -> Diagnostic {
    use std::error::Error as _;
    if let Some(d) = template_link_diagnostic(e.kind(), site_templates) {
        return d;
    }
    let (file, pos, msg) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            template_origin(r.filename(), site_templates),
            Some(Pos::new(r.span().start_line, r.span().start_col + 1)),
            r.message().to_string(),
        ),
        _ => {
            let mut m = e.to_string();
            let mut src = e.source();
            while let Some(s) = src {
                m.push_str(": ");
                m.push_str(&s.to_string());
                src = s.source();
            }
            ("templates".to_string(), None, m)
        }
    };
    // Point at the site's own file (a path relative to the site root) when it is one.
    let file_field = file.split(" (berpa").next().unwrap_or(&file).to_string();
    let mut d = Diagnostic::error(
        "template",
        file_field,
        match page {
            Some(p) => format!("{msg} (while rendering {p})"),
            None => msg,
        },
    );
    if let Some(p) = pos {
        d = d.at(p);
    }
    if !site_templates
        .keys()
        .any(|k| file.starts_with(&format!("templates/{k}")))
    {
        d = d.help("this is in berpa's built-in theme: if a site template extends or overrides it, check that template; otherwise report it as a bug in berpa");
    } else {
        d = d.help("fix the template; variables a page can use are listed in docs/templates.md");
    }
    d
}

/// Whether a site template asks for a chart by id (`chart(id=…)`), so that every chart must be
/// drawn before the pages.
pub fn templates_call_chart(site_templates: &BTreeMap<String, String>) -> bool {
    site_templates.values().any(|t| t.contains("chart("))
}

/// Loads the theme: the built-in templates, then the site's `templates/*.html` over them.
pub fn load_templates(
    root: &Path,
    diags: &mut Diagnostics,
    charts: ChartTable,
) -> Option<(tera::Tera, BTreeMap<String, String>)> {
    let mut site = BTreeMap::new();
    let mut refused = Vec::new();
    let files = crate::site::input::Site::new(root).files("templates", |_| false, &mut refused);
    for d in refused {
        diags.push(d);
    }
    for (rel, path) in files {
        let name = rel.strip_prefix("templates/").unwrap_or(&rel).to_string();
        match crate::site::input::read_file(&rel, &path, crate::site::input::TEXT)
            .and_then(|b| crate::load::decode(&rel, &b))
        {
            Ok(t) => {
                site.insert(name, t);
            }
            Err(d) => diags.push(d),
        }
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml", ".svg"]);
    // `{{ chart(id="road-length-by-status") }}`: a chart as a figure, in the page's language.
    tera.register_function("chart", move |kwargs: tera::Kwargs, state: &tera::State| {
        let id: String = kwargs.must_get("id")?;
        let lang: String = state.get("lang")?.unwrap_or_default();
        let home: String = state.get("home")?.unwrap_or_default();
        let table = charts
            .read()
            .map_err(|_| tera::Error::message("charts are not available"))?;
        match table.get(&(lang, id.clone())) {
            Some(figure) => Ok(tera::Value::safe_string(
                &figure.replace(crate::draw::HOME_MARK, &home),
            )),
            None => {
                let ids: Vec<&str> = table.keys().map(|(_, i)| i.as_str()).collect();
                Err(tera::Error::message(format!(
                    "there is no chart `{id}`; charts are: {}",
                    ids.join(", ")
                )))
            }
        }
    });
    // `{{ place.title | inflect(case="gen") }}`: on an Azerbaijani page, the value with the
    // ending of a case joined by its sound (`Şuşanın`, `6-dan`, `2026-cı`; see `site::az`);
    // elsewhere the value as it is, since the other interface languages do not inflect names.
    tera.register_filter(
        "inflect",
        |v: tera::Value, kwargs: tera::Kwargs, state: &tera::State| {
            let case: String = kwargs.must_get("case")?;
            let ending = crate::site::az::Ending::from_name(&case).ok_or_else(|| {
                tera::Error::message(format!(
                    "inflect: `case` is one of gen, dat, loc, abl, poss, ord, not `{case}`"
                ))
            })?;
            let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            let lang: String = state.get("lang")?.unwrap_or_default();
            if lang == "az" || lang.starts_with("az-") {
                Ok(crate::site::az::inflect(&text, ending))
            } else {
                Ok(text)
            }
        },
    );
    // `{{ t.as_of | fill(date=updated) }}`: an interface string with its `{name}`s filled as
    // the build fills them, Azerbaijani endings (`{n|poss}`) included.
    tera.register_filter("fill", |v: &str, kwargs: tera::Kwargs, _: &tera::State| {
        let args: Vec<(String, String)> = kwargs
            .iter()
            .map(|(k, v)| {
                let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                (k.to_string(), v)
            })
            .collect();
        let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        crate::site::lang::fill(v, &refs)
    });
    let mut all: BTreeMap<&str, &str> = THEME_TEMPLATES.iter().copied().collect();
    for (k, v) in &site {
        all.insert(k, v);
    }
    if let Err(e) = tera.add_raw_templates(all) {
        diags.push(tera_diagnostic(&e, &site, None));
        return None;
    }
    Some((tera, site))
}

/// The built site and what rendering found.
pub struct Built {
    pub diagnostics: Diagnostics,
    pub pages: usize,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: String,
    description: String,
    base_url: &'a str,
    publisher: Option<String>,
    publisher_url: Option<&'a str>,
    licence: Option<&'a str>,
    licence_url: Option<&'a str>,
    data_as_of: Option<String>,
    data_as_of_iso: Option<String>,
    /// `t.data_as_of` and `t.published_by` filled in: the same on every page, so made once.
    data_as_of_note: Option<String>,
    published_by_note: Option<String>,
}

#[derive(Serialize, Clone)]
struct NavItem {
    key: String,
    label: String,
    path: String,
}

/// A navigation link as one page shows it.
#[derive(Serialize)]
struct NavLink<'a> {
    key: &'a str,
    label: &'a str,
    path: &'a str,
    /// `home` and `path`.
    href: String,
    /// `page` on the page it links to, `true` on the pages of the section it leads to, else
    /// empty (for `aria-current`).
    current: &'static str,
}

/// The partials of the navigation and the footer, rendered for each page with the page's
/// variables and given to `base.html` as `site_nav` and `site_footer`.
const CHROME_PARTIALS: [(&str, &str); 2] = [
    ("site_nav", "partials/site-nav.html"),
    ("site_footer", "partials/site-footer.html"),
];

/// A link's `current` on a page: `page` on the page it leads to, `true` (when `sections`) on
/// the pages of the section it leads to, else empty.
fn current_of(
    item: &NavItem,
    page_path: &str,
    current_section: &str,
    sections: bool,
) -> &'static str {
    if item.path == page_path {
        "page"
    } else if sections && item.key == current_section {
        "true"
    } else {
        ""
    }
}

#[derive(Serialize)]
struct Alternate {
    code: String,
    /// The code as Open Graph's `og:locale` wants it (`az_AZ`).
    locale: String,
    name: String,
    href: String,
    url: String,
    current: bool,
}

/// One page to render: its template and what it shows.
pub(crate) struct Page {
    /// The page's folder below the language home, such as `cities/lachin/` ("" for home).
    path: String,
    template: String,
    title: String,
    description: String,
    extra: tera::Context,
    /// A list page, whose table is made only while the page renders, so the tables of all
    /// list pages never sit in memory together.
    list: Option<ListPage>,
    /// What makes the page (named if something else would write the same file).
    origin: Origin,
}

/// A page berpa makes of the whole site, in the language of `env` (named when it is not the
/// default).
pub(crate) fn made_page(what: &str, env: &Env) -> Origin {
    if env.lang.code == env.default_lang {
        Origin::made(what)
    } else {
        Origin::made(format!("{what} in `{}`", env.lang.code))
    }
}

/// Which page of which list.
#[derive(Clone, Copy)]
pub(crate) struct ListPage {
    kind: Kind,
    /// From 1.
    n: usize,
    pages_total: usize,
    /// A value's page of a field with pages per value: (the plan's group, its value).
    group: Option<(usize, usize)>,
}

/// Sends a rendered page to the output and counts it for the progress bar (of about `total`
/// pages); a template error stops the output (the build fails) and is given back.
fn emit(
    input: &Input,
    rendered: Result<(String, Vec<u8>), Diagnostic>,
    total: usize,
    from: Origin,
) -> Option<Diagnostic> {
    if let Some(p) = input.progress {
        p.page_done(total);
    }
    match rendered {
        Ok((path, html)) => {
            input.sink.put(path, html, from);
            None
        }
        Err(d) => {
            input.sink.stop();
            Some(d)
        }
    }
}

/// One language's part of a build: its view environment, what its pages share, and its map.
struct Pass<'a> {
    env: Env<'a>,
    /// The charts drawn in this language (with what makes each), for their pages.
    drawn: Vec<(Drawn, Origin)>,
    shared: LangShared<'a>,
    map_data: &'a crate::draw::map::MapData,
}

/// A chart's figure from the chart table, its links made relative to `home`.
fn figure_at(input: &Input, lang: &Lang, id: &str, home: &str) -> Option<String> {
    let table = input.charts.read().expect("chart table lock");
    table
        .get(&(lang.code.clone(), id.to_string()))
        .map(|f| f.replace(crate::draw::HOME_MARK, home))
}

/// A chart drawn in one language: what its figure, its page and its embed page show.
pub(crate) struct Drawn {
    pub id: String,
    pub chart: crate::draw::Chart,
    /// The SVG alone (the file `charts/<id>.svg`, and the embed page's picture).
    pub svg: String,
    /// The figure (links starting with [`crate::draw::HOME_MARK`]), linking to the chart's page.
    pub figure: String,
    pub csv: String,
}

/// A chart drawn in `env`'s language; its figure links to the chart's page (`charts/<id>/`).
fn draw_chart(env: &Env, id: &str, spec: &crate::site::model::chart::ChartSpec) -> Drawn {
    let lang = env.lang;
    let chart = crate::render::charts::compute(id, spec, env);
    let desc = crate::draw::describe(&chart, lang);
    let svg = crate::draw::chart::svg(&chart, lang, &desc);
    let mark = crate::draw::HOME_MARK;
    let csv_href = format!("{mark}charts/{id}.csv");
    let page_href = format!("{mark}charts/{id}/");
    let links = crate::draw::FigureLinks {
        csv: &csv_href,
        page: Some(&page_href),
    };
    let figure = crate::draw::figure(&chart, lang, &svg, links, mark);
    Drawn {
        id: id.to_string(),
        csv: crate::draw::csv(&chart, lang),
        chart,
        svg,
        figure,
    }
}

/// The spec of `city-<id>-projects`, for a place with projects.
fn city_chart_spec(
    derived: &Derived,
    lang: &Lang,
    city: &str,
) -> Option<crate::site::model::chart::ChartSpec> {
    let n = derived.pointing_at(Kind::City, city, Kind::Project).len();
    (n > 0).then(|| crate::render::charts::city_projects(city, n, lang))
}

/// The id of every chart a text's ` ```chart ` block may name: the site's own, the built-in
/// ones, each tracked figure's with observations (`indicator-<id>`) and each place's with
/// projects (`city-<id>-projects`), as `render_site` and `city_chart` draw them.
pub fn chart_ids(
    cfg: &Config,
    recs: &Records,
    derived: &Derived,
    lang: &Lang,
) -> std::collections::BTreeSet<String> {
    let rates = cfg.exchange_rates.as_ref();
    let mut ids: std::collections::BTreeSet<String> =
        recs.charts.iter().map(|c| c.id.clone()).collect();
    ids.extend(
        charts::builtin(recs, lang, derived, rates)
            .into_iter()
            .map(|(id, _)| id),
    );
    ids.extend(
        recs.indicators
            .iter()
            .filter(|i| !i.data.observations.is_empty())
            .map(|i| format!("indicator-{}", i.id())),
    );
    ids.extend(
        recs.cities
            .iter()
            .filter(|c| {
                !derived
                    .pointing_at(Kind::City, c.id(), Kind::Project)
                    .is_empty()
            })
            .map(|c| format!("city-{}-projects", c.id())),
    );
    ids
}

/// A place's chart (`city-<id>-projects`) drawn now, for a chart id that is not in the table.
/// Its page is made with the place's page.
pub(crate) fn city_chart(env: &Env, id: &str) -> Option<Drawn> {
    let city = id.strip_prefix("city-")?.strip_suffix("-projects")?;
    env.recs.city(city)?;
    let spec = city_chart_spec(env.derived, env.lang, city)?;
    Some(draw_chart(env, id, &spec))
}

/// Everything shared by all pages of one language.
#[derive(Clone)]
struct LangShared<'a> {
    lang: &'a Lang,
    prefix: String,
    site: tera::Value,
    t: tera::Value,
    /// The main navigation and the footer's free pages; each page gets them as template
    /// values with the links' `href` and `current` for that page ([`LangShared::links`]).
    nav: Vec<NavItem>,
    footer_pages: Vec<NavItem>,
    /// The footer's fixed links: sources, open data, updates.
    footer_links: Vec<NavItem>,
}

impl LangShared<'_> {
    /// `nav`, `footer_pages` and `footer_links` as a page whose language home is `home` shows
    /// them.
    fn links(
        &self,
        home: &str,
        page_path: &str,
        current_section: &str,
    ) -> [(&'static str, Vec<NavLink<'_>>); 3] {
        fn link<'n>(n: &'n NavItem, home: &str, current: &'static str) -> NavLink<'n> {
            NavLink {
                key: &n.key,
                label: &n.label,
                path: &n.path,
                href: format!("{home}{}", n.path),
                current,
            }
        }
        // A footer link is current on its page, unless the main navigation (which is on the
        // same page) already marks it.
        let footer_current = |n: &NavItem| {
            if n.path == page_path && !self.nav.iter().any(|m| m.path == n.path) {
                "page"
            } else {
                ""
            }
        };
        let at = |n: &NavItem, sections| current_of(n, page_path, current_section, sections);
        let nav = self.nav.iter().map(|n| link(n, home, at(n, true)));
        let pages = self
            .footer_pages
            .iter()
            .map(|n| link(n, home, at(n, false)));
        let fixed = self
            .footer_links
            .iter()
            .map(|n| link(n, home, footer_current(n)));
        [
            ("nav", nav.collect()),
            ("footer_pages", pages.collect()),
            ("footer_links", fixed.collect()),
        ]
    }
}

pub struct Input<'a> {
    /// The site root (for `static/`).
    pub root: &'a Path,
    pub config: &'a Config,
    pub recs: &'a Records,
    pub langs: &'a [Lang],
    pub tera: &'a tera::Tera,
    pub site_templates: &'a BTreeMap<String, String>,
    /// Filled here, read by templates and narratives.
    pub charts: &'a ChartTable,
    /// Told of every page rendered (a progress bar).
    pub progress: Option<&'a crate::site::Progress>,
    /// Where every file goes as soon as it is rendered.
    pub sink: &'a Sink,
    /// What the records say about each other ([`Derived::new`] of `recs`).
    pub derived: &'a Derived,
    /// The map data and index ([`maps()`] of `recs`).
    pub maps: &'a crate::render::maps::Maps,
    /// The site's editions, for their pages and the records' citations.
    pub editions: &'a crate::edition::Editions,
}

/// The view environment of each language (without chart figures): what the map data and
/// other language-dependent data are made from outside [`render_site`].
fn with_envs<R>(
    cfg: &Config,
    recs: &Records,
    langs: &[Lang],
    derived: &Derived,
    f: impl FnOnce(&[Env]) -> R,
) -> R {
    let lang_names: Vec<(String, String)> = langs
        .iter()
        .map(|l| (l.code.clone(), l.language_name.clone()))
        .collect();
    let envs: Vec<Env> = langs
        .iter()
        .map(|lang| Env {
            recs,
            derived,
            lang,
            default_lang: cfg.default_lang(),
            lang_names: &lang_names,
            md: crate::site::markdown::MdOptions {
                allow_html: cfg.markdown.allow_html,
                table_label: lang.t("table_label"),
                ..Default::default()
            },
            charts: None,
            rates: cfg.exchange_rates.as_ref(),
        })
        .collect();
    f(&envs)
}

/// The map data of every language and the index locator maps are chosen from.
pub fn maps(
    cfg: &Config,
    recs: &Records,
    langs: &[Lang],
    derived: &Derived,
) -> crate::render::maps::Maps {
    with_envs(cfg, recs, langs, derived, crate::render::maps::Maps::new)
}

pub use crate::plan::LIST_PAGE_SIZE;

/// Links between the pages of a list: previous, next, the first and last, and a few around the
/// current one (so the links stay few however long the list).
#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    label: String,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    n: usize,
    path: Option<String>,
    current: bool,
    /// A gap (…) in the numbers.
    gap: bool,
}

fn pagination(
    lang: &Lang,
    current: usize,
    total: usize,
    path: &dyn Fn(usize) -> String,
) -> Option<Pagination> {
    if total <= 1 {
        return None;
    }
    let mut pages = Vec::new();
    let mut last = 0;
    for n in 1..=total {
        let near = n.abs_diff(current) <= 2;
        if n == 1 || n == total || near {
            if last + 1 < n {
                pages.push(PageLink {
                    n: 0,
                    path: None,
                    current: false,
                    gap: true,
                });
            }
            pages.push(PageLink {
                n,
                path: Some(path(n)),
                current: n == current,
                gap: false,
            });
            last = n;
        }
    }
    Some(Pagination {
        current,
        total,
        label: lang.tf(
            "page_n_of",
            &[("n", &current.to_string()), ("total", &total.to_string())],
        ),
        prev: (current > 1).then(|| path(current - 1)),
        next: (current < total).then(|| path(current + 1)),
        pages,
    })
}

/// A list page's table.
#[derive(Serialize)]
struct TableRef<'a> {
    columns: Vec<String>,
    rows: Vec<&'a [Cell]>,
}

/// A record's row of its list table, kept from its page's rendering until its list page is
/// made.
#[derive(Default)]
struct Row {
    sort_key: Vec<u8>,
    id: String,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct KeyFigure {
    label: String,
    value: String,
    unit: String,
    detail: String,
    path: Option<String>,
    percent: Option<f64>,
    source: Option<crate::draw::SourceView>,
}

fn add_static(root: &Path, out: &Sink, diags: &mut Diagnostics) {
    let mut refused = Vec::new();
    let files = crate::site::input::Site::new(root).files("static", |_| false, &mut refused);
    for d in refused {
        diags.push(d);
    }
    for (rel, path) in files {
        let name = rel.strip_prefix("static/").unwrap_or(&rel);
        if !crate::write::is_safe_rel_path(name) {
            continue;
        }
        match crate::site::input::read_file(&rel, &path, crate::site::input::STATIC) {
            Ok(b) => {
                let from = Origin::file(format!("static/{name}"));
                out.put(name.to_string(), b, from)
            }
            Err(d) => diags.push(d),
        }
    }
}

/// The home page's key figures: the tracked figures with a target (or those `site.yaml`
/// chooses), then the totals.
fn key_figures(
    env: &Env,
    views: &BTreeMap<(Kind, String), RecordView>,
    derived: &Derived,
    cfg: &Config,
) -> Vec<KeyFigure> {
    let mut figures = indicator_figures(env, views, cfg);
    total_figures(env, derived, &mut figures);
    figures
}

/// The key figures of tracked figures: those `site.yaml` chooses, or else those with a target.
fn indicator_figures(
    env: &Env,
    views: &BTreeMap<(Kind, String), RecordView>,
    cfg: &Config,
) -> Vec<KeyFigure> {
    let lang = env.lang;
    let recs = env.recs;
    let mut figures: Vec<KeyFigure> = Vec::new();
    // Indicators with a target first, then the totals.
    let chosen: Vec<&str> = match &cfg.dashboard.indicators {
        Some(ids) => ids.iter().map(String::as_str).collect(),
        None => recs
            .indicators
            .iter()
            .filter(|i| i.data.target.is_some() && i.data.scope.is_none())
            .map(|i| i.id())
            .collect(),
    };
    for id in chosen {
        let Some(v) = views.get(&(Kind::Indicator, id.to_string())) else {
            continue;
        };
        if let Some(p) = &v.progress {
            figures.push(KeyFigure {
                label: v.title.clone(),
                value: p.value.clone(),
                unit: p.unit.clone(),
                detail: {
                    let mut d = lang.tf("as_of", &[("date", &p.as_of)]);
                    if let Some(t) = &p.target {
                        d.push_str(" · ");
                        d.push_str(t);
                    }
                    if let Some(pc) = &p.percent {
                        d.push_str(&format!(
                            " ({})",
                            lang.tf("progress_of_target", &[("percent", pc)])
                        ));
                    }
                    d
                },
                path: Some(v.path.clone()),
                percent: p.raw_percent,
                source: p.source.clone(),
            });
        }
    }
    figures
}

/// The key figures of totals: kilometres of road open, projects completed, the budget.
fn total_figures(env: &Env, derived: &Derived, figures: &mut Vec<KeyFigure>) {
    let lang = env.lang;
    let recs = env.recs;
    if !recs.roads.is_empty() {
        figures.push(KeyFigure {
            label: lang.t("km_open").to_string(),
            value: lang.num(derived.km_open, 1),
            unit: "km".into(),
            detail: lang.tf_by(
                "roads_open",
                recs.roads.len(),
                &[
                    ("n", &derived.roads_open.to_string()),
                    ("total", &recs.roads.len().to_string()),
                ],
            ),
            path: Some("roads/".into()),
            percent: None,
            source: None,
        });
    }
    if !recs.projects.is_empty() {
        figures.push(KeyFigure {
            label: lang.t("projects_completed").to_string(),
            value: derived.projects_completed.to_string(),
            unit: String::new(),
            detail: lang.tf_by(
                "projects_of_total",
                recs.projects.len(),
                &[
                    ("n", &derived.projects_completed.to_string()),
                    ("total", &recs.projects.len().to_string()),
                ],
            ),
            path: Some("projects/".into()),
            percent: None,
            source: None,
        });
    }
    if derived.projects_budgeted > 0 {
        figures.push(KeyFigure {
            label: lang.t("budget_total").to_string(),
            value: env.totals(&derived.budget_total),
            unit: String::new(),
            detail: lang.tf_by(
                "projects_budgeted",
                recs.projects.len(),
                &[
                    ("n", &derived.projects_budgeted.to_string()),
                    ("total", &recs.projects.len().to_string()),
                ],
            ),
            path: Some("projects/".into()),
            percent: None,
            source: None,
        });
    }
}

fn home_job(
    env: &Env,
    views: &BTreeMap<(Kind, String), RecordView>,
    derived: &Derived,
    cfg: &Config,
) -> Page {
    let lang = env.lang;
    let recs = env.recs;
    let figures = key_figures(env, views, derived, cfg);
    let updates: Vec<views::HistoryView> = crate::link::all_history(recs)
        .into_iter()
        .take(8)
        .map(|(kind, id, h)| env.history_view(h, Some(env.link(kind, id))))
        .collect();
    let counts: Vec<NavItemCount> = recs
        .fields
        .kinds()
        .map(|k| NavItemCount {
            label: lang.collection(k.name(), true).to_string(),
            path: format!("{}/", k.dir()),
            count: recs.ids(k).len(),
        })
        .collect();
    let mut extra = tera::Context::new();
    extra.insert("figures", &figures);
    extra.insert("updates", &updates);
    extra.insert("collections", &counts);
    let title = env.text(&cfg.title).0;
    Page {
        path: String::new(),
        template: "home.html".into(),
        description: env.text(&cfg.description).0,
        title,
        extra,
        list: None,
        origin: made_page("the home page", env),
    }
}

#[derive(Serialize)]
struct NavItemCount {
    label: String,
    path: String,
    count: usize,
}

fn render_job(
    input: &Input,
    shared: &LangShared,
    job: &Page,
    record: Option<&RecordView>,
    lang_names: &[(String, String)],
    absolute: bool,
) -> Result<(String, Vec<u8>), Diagnostic> {
    let cfg = input.config;
    let default_lang = cfg.default_lang();
    let full = format!("{}{}", shared.prefix, job.path);
    let depth = full.matches('/').count();
    let root = if absolute {
        base_path(&cfg.base_url)
    } else {
        "../".repeat(depth)
    };
    let home = format!("{root}{}", shared.prefix);
    let alternates: Vec<Alternate> = lang_names
        .iter()
        .map(|(code, name)| {
            let p = if code == default_lang {
                String::new()
            } else {
                format!("{code}/")
            };
            Alternate {
                code: code.clone(),
                locale: crate::site::lang::og_locale(code),
                name: name.clone(),
                href: format!("{root}{p}{}", job.path),
                url: format!("{}{p}{}", cfg.base_url, job.path),
                current: *code == shared.lang.code,
            }
        })
        .collect();
    let mut ctx = job.extra.clone();
    if let Some(v) = record {
        ctx.insert("record", v);
    }
    ctx.insert_value("site", shared.site.clone());
    ctx.insert_value("t", shared.t.clone());
    ctx.insert("lang", &shared.lang.code);
    ctx.insert(
        "og_locale",
        &crate::site::lang::og_locale(&shared.lang.code),
    );
    ctx.insert("root", &root);
    ctx.insert("home", &home);
    // The 404 page is no page of the site: no navigation item is "current" on it.
    let page_path = if absolute { "404" } else { &job.path };
    let current_section = job.path.split('/').next().unwrap_or("");
    for (name, links) in shared.links(&home, page_path, current_section) {
        ctx.insert(name, &links);
    }
    ctx.insert("alternates", &alternates);
    ctx.insert("canonical", &format!("{}{full}", cfg.base_url));
    ctx.insert("page_path", page_path);
    ctx.insert("page_title", &job.title);
    ctx.insert("page_description", &job.description);
    ctx.insert("current_section", current_section);
    for (name, template) in CHROME_PARTIALS {
        let mut out = input
            .tera
            .render(template, &ctx)
            .map_err(|e| tera_diagnostic(&e, input.site_templates, Some(&format!("/{full}"))))?;
        // Its place in `base.html` is a line of its own.
        if out.ends_with('\n') {
            out.pop();
        }
        ctx.insert_value(name, tera::Value::safe_string(&out));
    }
    // Rendered as bytes: the page goes to a file, and Tera writes only UTF-8.
    let mut html = Vec::with_capacity(32 * 1024);
    input
        .tera
        .render_to(&job.template, &ctx, &mut html)
        .map_err(|e| tera_diagnostic(&e, input.site_templates, Some(&format!("/{full}"))))?;
    Ok((format!("{full}index.html"), html))
}

/// The path part of the base URL: `https://example.org/report/` → `/report/`.
pub fn base_path(base_url: &str) -> String {
    let rest = base_url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(base_url);
    match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, lang: &str) -> String {
        let mut d = Diagnostics::new();
        let (mut tera, _) = load_templates(Path::new("/nonexistent"), &mut d, Arc::default())
            .expect("the theme loads");
        tera.add_raw_template("t.html", template).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("lang", lang);
        ctx.insert("n", &6);
        ctx.insert("name", "Şuşa");
        tera.render("t.html", &ctx).unwrap()
    }

    #[test]
    fn the_inflect_filter_joins_endings_on_azerbaijani_pages_only() {
        assert_eq!(
            render(
                r#"{{ n | inflect(case="abl") }} {{ name | inflect(case="gen") }}"#,
                "az"
            ),
            "6-dan Şuşanın"
        );
        assert_eq!(
            render(r#"{{ 2026 | inflect(case="ord") }}"#, "az"),
            "2026-cı"
        );
        assert_eq!(
            render(
                r#"{{ n | inflect(case="abl") }} {{ name | inflect(case="gen") }}"#,
                "en"
            ),
            "6 Şuşa"
        );
    }

    #[test]
    fn the_fill_filter_fills_an_interface_string_with_its_endings() {
        assert_eq!(
            render(r#"{{ "{t} layihədən {n|poss}" | fill(t=7, n=5) }}"#, "az"),
            "7 layihədən 5-i"
        );
    }
}
