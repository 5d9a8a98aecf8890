//! A [`Plan`] made into files: its charts, then its record pages (each record in every language
//! at once), then each language's other pages, then what is made once.

use super::views::{Env, RecordView, ViewProblem};
use super::views::{list_columns, list_row};
use super::{
    Built, Drawn, Input, LangShared, ListPage, NavItem, Page, Pass, Row, SiteView, THEME_STATIC,
    TableRef, add_static, city_chart, city_chart_spec, draw_chart, emit, figure_at, home_job,
    made_page, pagination, render_job,
};
use crate::plan::{self, JobKind, LIST_PAGE_SIZE, Once, Plan};
use crate::site::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::site::lang::Lang;
use crate::site::model::chart::ChartSpec;
use crate::site::model::{Kind, sort_key};
use crate::write::sink::Origin;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Where each locator map is, and which neighbours it shows (the same in every language).
type Selections<'a> = foldhash::HashMap<(Kind, &'a str), crate::draw::map::Selection>;

/// A locator map chosen and its geometry, drawn once for every language.
type Locator<'s> = Option<(
    &'s crate::draw::map::Selection,
    crate::draw::map::LocatorGeometry,
)>;

/// What one record's page leaves behind for the rest of the site.
struct RecordDone {
    kind: Kind,
    /// What each language's page left, in the order of the languages.
    langs: Vec<LangDone>,
}

/// What one record's page in one language leaves for the rest of the build.
#[derive(Default)]
struct LangDone {
    /// Its row of its list table.
    row: Row,
    /// Its view, for the dashboard (tracked figures only).
    kept: Option<Box<RecordView>>,
    error: Option<Box<Diagnostic>>,
    problems: Vec<ViewProblem>,
}

/// What the record pages of one language left: the rows of each list, and the views of the
/// tracked figures, and how many pages were rendered.
type Gathered = (
    BTreeMap<Kind, Vec<Row>>,
    BTreeMap<(Kind, String), RecordView>,
    usize,
);

/// Renders the jobs of `plan`, every page in every language, into `input.sink`.
pub fn render_site(input: &Input, plan: &Plan) -> Built {
    let lang_names: Vec<(String, String)> = input
        .langs
        .iter()
        .map(|l| (l.code.clone(), l.language_name.clone()))
        .collect();
    // Each language's charts, map data and shared page parts.
    let passes: Vec<Pass> = input
        .langs
        .iter()
        .enumerate()
        .map(|(li, lang)| {
            let env = env_of(input, lang, &lang_names);
            let drawn = draw_charts(input, plan, &env);
            Pass {
                drawn,
                shared: lang_shared(input, &env),
                map_data: &input.maps.data[li],
                env,
            }
        })
        .collect();
    let selections = choose_locators(input, plan, passes.first());
    crate::site::trace("locators chosen");
    let pages_about = (plan.records.len() + 16) * input.langs.len();
    let mut done = record_pages(input, plan, &passes, &selections, &lang_names, pages_about);
    crate::site::trace("record pages rendered");
    let mut template_errors: Vec<Diagnostic> = Vec::new();
    let mut problems: Vec<ViewProblem> = Vec::new();
    let mut pages = 0;
    for (li, pass) in passes.iter().enumerate() {
        let (rows, views, rendered) = gather(&mut done, li, &mut template_errors, &mut problems);
        pages += rendered;
        let mut jobs = page_jobs(input, plan, pass, &views, &mut problems);
        jobs.extend(super::chart_pages::pages(input, plan, pass));
        crate::site::trace("jobs listed");
        let tables = Tables::new(&rows, plan, &jobs);
        let results = render_pages(input, pass, &jobs, &tables, &lang_names, pages_about);
        crate::site::trace("pages rendered");
        for error in results {
            match error {
                Some(d) => template_errors.push(d),
                None => pages += 1,
            }
        }
    }
    let mut diags = Diagnostics::new();
    for d in once_each(template_errors) {
        diags.push(d);
    }
    for p in problems {
        diags.push(problem(p));
    }
    for once in &plan.once {
        match once {
            Once::NotFound => {
                for pass in &passes {
                    match not_found(input, &pass.shared, &lang_names) {
                        Ok(()) => pages += 1,
                        Err(d) => diags.push(d),
                    }
                }
            }
            Once::StaticFiles => {
                // The site's own first, then the theme's where the site has none.
                add_static(input.root, input.sink, &mut diags);
                for (name, bytes) in THEME_STATIC {
                    input
                        .sink
                        .put_if_absent(*name, *bytes, Origin::made("berpa's theme"));
                }
            }
        }
    }
    Built {
        diagnostics: diags,
        pages,
    }
}

/// The view environment of one language, with the chart table.
fn env_of<'a>(input: &Input<'a>, lang: &'a Lang, lang_names: &'a [(String, String)]) -> Env<'a> {
    Env {
        recs: input.recs,
        derived: input.derived,
        lang,
        default_lang: input.config.default_lang(),
        lang_names,
        md: crate::site::markdown::MdOptions {
            allow_html: input.config.markdown.allow_html,
            table_label: lang.t("table_label"),
            ..Default::default()
        },
        charts: Some(input.charts),
        rates: input.config.exchange_rates.as_ref(),
    }
}

/// The folder of a language below the site root ("" for the default language).
fn prefix_of(input: &Input, lang: &Lang) -> String {
    if lang.code == input.config.default_lang() {
        String::new()
    } else {
        format!("{}/", lang.code)
    }
}

/// Draws the plan's charts in `env`'s language: each CSV goes out, each figure into the chart
/// table, each SVG as a file (`charts/<id>.svg`); the charts are given back for their pages
/// (`JobKind::Charts`). Each with what makes it: a site's chart named like a built-in
/// one (or like a record's) is a collision the sink reports, never a silent replacement.
fn draw_charts(input: &Input, plan: &Plan, env: &Env) -> Vec<(Drawn, Origin)> {
    let (recs, lang) = (input.recs, env.lang);
    let mut specs: Vec<(String, ChartSpec, Origin)> = Vec::new();
    for chart in &plan.charts {
        match chart {
            plan::Chart::Site(i) => {
                let c = &recs.charts[*i];
                specs.push((c.id.clone(), c.spec.clone(), Origin::file(c.file.as_str())));
            }
            plan::Chart::Builtin => {
                let rates = input.config.exchange_rates.as_ref();
                for (id, spec) in crate::render::charts::builtin(recs, lang, input.derived, rates) {
                    let from = Origin::made(format!("the built-in chart `{id}`"));
                    specs.push((id, spec, from));
                }
            }
            plan::Chart::Indicator(id) => {
                if let Some(ind) = crate::site::model::find(&recs.indicators, id) {
                    specs.push((
                        format!("indicator-{id}"),
                        crate::render::charts::indicator_spec(ind, lang),
                        Origin::record(Kind::Indicator, id),
                    ));
                }
            }
            plan::Chart::City(id) => {
                if let Some(spec) = city_chart_spec(input.derived, lang, id) {
                    let from = Origin::record(Kind::City, id);
                    specs.push((format!("city-{id}-projects"), spec, from));
                }
            }
        }
    }
    let prefix = prefix_of(input, lang);
    let drawn: Vec<(Drawn, Origin)> = specs
        .into_par_iter()
        .map(|(id, spec, from)| {
            let d = draw_chart(env, &id, &spec);
            let sink = input.sink;
            sink.put(
                format!("{prefix}charts/{id}.csv"),
                d.csv.as_str(),
                from.clone(),
            );
            sink.put(
                format!("{prefix}charts/{id}.svg"),
                d.svg.as_str(),
                from.clone(),
            );
            (d, from)
        })
        .collect();
    input.charts.write().expect("chart table lock").extend(
        drawn
            .iter()
            .map(|(d, _)| ((lang.code.clone(), d.id.clone()), d.figure.clone())),
    );
    crate::site::trace("charts drawn");
    drawn
}

/// Which neighbours each planned record's locator map shows: the same in every language, so
/// chosen once, from the first language's map data.
fn choose_locators<'a>(input: &Input, plan: &'a Plan, first: Option<&Pass>) -> Selections<'a> {
    let Some(first) = first else {
        return Selections::default();
    };
    let index = &input.maps.index;
    plan.records
        .par_iter()
        .filter(|(k, _)| matches!(k, Kind::City | Kind::Road | Kind::Own(_)))
        .filter_map(|(k, id)| {
            index
                .select(first.map_data, *k, id)
                .map(|s| ((*k, id.as_str()), s))
        })
        .collect()
}

/// The main navigation and the footer's links of one language.
fn nav_items(input: &Input, lang: &Lang) -> (Vec<NavItem>, Vec<NavItem>, Vec<NavItem>) {
    let default_lang = input.config.default_lang();
    let nav: Vec<NavItem> = std::iter::once(NavItem {
        key: "home".into(),
        label: lang.t("home").to_string(),
        path: String::new(),
    })
    .chain(input.recs.fields.kinds().map(|k| NavItem {
        key: k.dir().to_string(),
        label: lang.collection(k.name(), true).to_string(),
        path: format!("{}/", k.dir()),
    }))
    .chain(std::iter::once(NavItem {
        key: "map".into(),
        label: lang.t("map").to_string(),
        path: "map/".into(),
    }))
    .collect();
    let mut menu_pages: Vec<&crate::site::model::Page> = input
        .recs
        .pages
        .iter()
        .filter(|p| p.versions.get(default_lang).is_some_and(|v| v.front.menu))
        .collect();
    menu_pages.sort_by_key(|p| (p.versions[default_lang].front.weight, p.slug.clone()));
    let footer_links = [
        ("sources", "sources", "sources/"),
        ("data", "data_title", "data/"),
        ("updates", "history", "updates/"),
    ]
    .into_iter()
    .map(|(key, label, path)| NavItem {
        key: key.into(),
        label: lang.t(label).to_string(),
        path: path.into(),
    })
    .collect();
    let footer_pages: Vec<NavItem> = menu_pages
        .iter()
        .map(|p| {
            let v = p
                .versions
                .get(&lang.code)
                .unwrap_or(&p.versions[default_lang]);
            NavItem {
                key: format!("page-{}", p.slug),
                label: v.front.title.clone(),
                path: format!("{}/", p.slug),
            }
        })
        .collect();
    (nav, footer_pages, footer_links)
}

/// What every page of `env`'s language shares: the site's values, the interface strings, the
/// navigation.
fn lang_shared<'a>(input: &Input, env: &Env<'a>) -> LangShared<'a> {
    let (cfg, lang) = (input.config, env.lang);
    let publisher = cfg.publisher.as_ref().map(|p| env.text(&p.name).0);
    let data_as_of = cfg.data_as_of.map(|d| lang.date(d));
    let site = SiteView {
        title: env.text(&cfg.title).0,
        description: env.text(&cfg.description).0,
        base_url: &cfg.base_url,
        published_by_note: publisher
            .as_ref()
            .map(|p| lang.tf("published_by", &[("publisher", p)])),
        publisher,
        publisher_url: cfg.publisher.as_ref().and_then(|p| p.url.as_deref()),
        licence: cfg.licence.as_ref().map(|l| l.name.as_str()),
        licence_url: cfg.licence.as_ref().and_then(|l| l.url.as_deref()),
        data_as_of_note: data_as_of
            .as_ref()
            .map(|d| lang.tf("data_as_of", &[("date", d)])),
        data_as_of,
        data_as_of_iso: cfg.data_as_of.map(|d| d.to_string()),
    };
    let (nav, footer_pages, footer_links) = nav_items(input, lang);
    LangShared {
        lang,
        prefix: prefix_of(input, lang),
        site: tera::Value::from_serializable(&site),
        t: tera::Value::from_serializable(&lang.strings),
        nav,
        footer_pages,
        footer_links,
    }
}

/// A record's view in `env`'s language.
fn record_view(env: &Env, kind: Kind, id: &str) -> RecordView {
    let recs = env.recs;
    match kind {
        Kind::City => env.city(recs.city(id).expect("id listed")),
        Kind::Road => env.road(crate::site::model::find(&recs.roads, id).expect("id listed")),
        Kind::Project => {
            env.project(crate::site::model::find(&recs.projects, id).expect("id listed"))
        }
        Kind::Partner => env.partner(recs.partner(id).expect("id listed")),
        Kind::Indicator => {
            env.indicator(crate::site::model::find(&recs.indicators, id).expect("id listed"))
        }
        Kind::Source => env.source(recs.source(id).expect("id listed")),
        Kind::Own(_) => env.item(
            kind,
            crate::site::model::find(recs.items(kind), id).expect("id listed"),
        ),
    }
}

/// A record's page: its view with the narrative, charts and locator map (two folders below
/// the language home).
fn record_page(
    input: &Input,
    pass: &Pass,
    (kind, id): (Kind, &str),
    locator: &Locator,
    mut v: RecordView,
    problems: &mut Vec<ViewProblem>,
    inline_chart: &mut Option<Drawn>,
) -> RecordView {
    let env = &pass.env;
    let lang = env.lang;
    if let Some(meta) = input.recs.meta(kind, id) {
        v.body_html = env.body(meta, 2, problems).0;
    }
    if let Some((sel, geometry)) = locator {
        v.map = Some(crate::draw::map::locator(
            pass.map_data,
            sel,
            geometry,
            env.lang,
            kind,
            id,
            &v.title,
        ));
    }
    match kind {
        Kind::Indicator => {
            v.charts
                .extend(figure_at(input, lang, &format!("indicator-{id}"), "../../"))
        }
        Kind::City => {
            let chart = format!("city-{id}-projects");
            match figure_at(input, lang, &chart, "../../") {
                Some(f) => v.charts.push(f),
                None => {
                    if let Some(d) = city_chart(env, &chart) {
                        let (dir, from) = (&pass.shared.prefix, Origin::record(Kind::City, id));
                        let sink = input.sink;
                        sink.put(
                            format!("{dir}charts/{chart}.csv"),
                            d.csv.as_str(),
                            from.clone(),
                        );
                        sink.put(format!("{dir}charts/{chart}.svg"), d.svg.as_str(), from);
                        v.charts
                            .push(d.figure.replace(crate::draw::HOME_MARK, "../../"));
                        *inline_chart = Some(d);
                    }
                }
            }
            for ind in input.derived.pointing_at(Kind::City, id, Kind::Indicator) {
                v.charts.extend(figure_at(
                    input,
                    lang,
                    &format!("indicator-{ind}"),
                    "../../",
                ));
            }
        }
        _ => {}
    }
    v
}

/// One record's page in one language, rendered and sent out; what its list and the dashboard
/// need is kept.
fn record_in(
    input: &Input,
    pass: &Pass,
    (kind, id): (Kind, &str),
    locator: &Locator,
    lang_names: &[(String, String)],
    pages_about: usize,
) -> LangDone {
    let v = record_view(&pass.env, kind, id);
    let fields = &pass.env.recs.fields;
    let mut cells = list_row(fields, kind, &v);
    if let Some(rec) = input
        .derived
        .position(kind, id)
        .and_then(|i| input.recs.rec(kind, i))
    {
        super::views::sort_keys(fields, kind, rec, &mut cells);
    }
    let row = Row {
        sort_key: sort_key(&pass.env.lang.code, &v.title),
        id: id.to_string(),
        cells,
    };
    let kept = (kind == Kind::Indicator).then(|| Box::new(v.clone()));
    let mut extra =
        super::editions::record_cite(input, &pass.env, &pass.shared.prefix, (kind, id), &v.title);
    extra.insert(
        "group_links",
        &super::groups::record_links(&pass.env, kind, id),
    );
    let job = Page {
        path: v.path.clone(),
        template: kind.template(),
        title: v.title.clone(),
        description: if v.summary.is_empty() {
            format!("{}: {}", v.kind_label, v.title)
        } else {
            v.summary.clone()
        },
        extra,
        list: None,
        origin: Origin::record(kind, id),
    };
    let mut found = Vec::new();
    let mut inline_chart = None;
    let page = record_page(
        input,
        pass,
        (kind, id),
        locator,
        v,
        &mut found,
        &mut inline_chart,
    );
    let r = render_job(input, &pass.shared, &job, Some(&page), lang_names, false);
    drop(page);
    let mut error = emit(input, r, pages_about, job.origin.clone()).map(Box::new);
    // A place's chart drawn with its page has its own pages too.
    for p in inline_chart
        .iter()
        .flat_map(|d| super::chart_pages::chart_pages(input, pass, d, &Origin::record(kind, id)))
    {
        let r = render_job(input, &pass.shared, &p, None, lang_names, false);
        if let Some(e) = emit(input, r, pages_about, p.origin) {
            error.get_or_insert(Box::new(e));
        }
    }
    LangDone {
        row,
        kept,
        error,
        problems: found,
    }
}

/// The record pages, in parallel over records: each record's view is made in every language,
/// its pages rendered and written at once, and what its list and the dashboard need is kept
/// (a row of its list table; the views of tracked figures). No view of every record sits in
/// memory.
fn record_pages(
    input: &Input,
    plan: &Plan,
    passes: &[Pass],
    selections: &Selections,
    lang_names: &[(String, String)],
    pages_about: usize,
) -> Vec<RecordDone> {
    plan.records
        .par_iter()
        .map(|(kind, id)| {
            // A locator map's geometry is the same in every language: drawn once.
            let locator: Locator = match (selections.get(&(*kind, id.as_str())), passes.first()) {
                (Some(sel), Some(first)) => Some((
                    sel,
                    crate::draw::map::locator_geometry(first.map_data, sel, *kind, id),
                )),
                _ => None,
            };
            RecordDone {
                kind: *kind,
                langs: passes
                    .iter()
                    .map(|pass| {
                        let at = (*kind, id.as_str());
                        record_in(input, pass, at, &locator, lang_names, pages_about)
                    })
                    .collect(),
            }
        })
        .collect()
}

/// What the record pages of language `li` left: their errors and problems go to the lists
/// given, their rows (in reading order) and kept views are given back.
fn gather(
    done: &mut [RecordDone],
    li: usize,
    template_errors: &mut Vec<Diagnostic>,
    problems: &mut Vec<ViewProblem>,
) -> Gathered {
    let mut rows: BTreeMap<Kind, Vec<Row>> = BTreeMap::new();
    let mut views: BTreeMap<(Kind, String), RecordView> = BTreeMap::new();
    let mut rendered = 0;
    for rd in done {
        let d = std::mem::take(&mut rd.langs[li]);
        match d.error {
            Some(e) => template_errors.push(*e),
            None => rendered += 1,
        }
        problems.extend(d.problems);
        if let Some(v) = d.kept {
            views.insert((rd.kind, v.id.clone()), *v);
        }
        rows.entry(rd.kind).or_default().push(d.row);
    }
    // Lists in reading order: names as a reader sorts them, then ids.
    for r in rows.values_mut() {
        r.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then_with(|| a.id.cmp(&b.id)));
    }
    (rows, views, rendered)
}

/// The pages of `pass`'s language other than records', from the plan's jobs.
fn page_jobs(
    input: &Input,
    plan: &Plan,
    pass: &Pass,
    views: &BTreeMap<(Kind, String), RecordView>,
    problems: &mut Vec<ViewProblem>,
) -> Vec<Page> {
    let (env, lang) = (&pass.env, pass.env.lang);
    // The big map is drawn once a language, and shown on the map page and the home page.
    let wants_map = plan
        .pages
        .iter()
        .any(|j| matches!(j.kind, JobKind::Map | JobKind::Home));
    let map_svg = wants_map.then(|| {
        let desc = crate::draw::map::describe(pass.map_data, lang);
        let title = lang.t("map_title");
        crate::draw::map::svg_layers(pass.map_data, lang, "site-map", title, &desc, None, false)
    });
    let (map_svg, used) = map_svg.unwrap_or_default();
    let map_figure = |root: &str, big: bool| {
        crate::draw::map::figure(pass.map_data, lang, (&map_svg, &used), root, big)
    };
    plan.pages
        .iter()
        // The charts' pages are made from the charts drawn (`chart_pages`).
        .filter(|job| job.kind != JobKind::Charts)
        .map(|job| match job.kind {
            JobKind::List {
                kind,
                n,
                pages_total,
            } => list_job(input, env, &job.path, kind, n, pages_total),
            JobKind::Free(i) => free_page(input, env, &input.recs.pages[i], &job.path, problems),
            JobKind::GroupIndex { group } => {
                super::groups::index_page(env, &plan.groups[group], &job.path)
            }
            JobKind::Group {
                group,
                value,
                n,
                pages_total,
            } => super::groups::value_page(
                env,
                &plan.groups[group],
                (group, value),
                n,
                pages_total,
                &job.path,
            ),
            JobKind::Map => {
                let mut extra = tera::Context::new();
                extra.insert("map_html", &map_figure("../", true));
                Page {
                    path: job.path.clone(),
                    title: lang.t("map_title").to_string(),
                    description: lang.t("map_headline").to_string(),
                    template: "map.html".into(),
                    extra,
                    list: None,
                    origin: made_page("the map page", env),
                }
            }
            JobKind::Home => {
                let mut home = home_job(env, views, input.derived, input.config);
                let rates = input.config.exchange_rates.as_ref();
                let budgets = crate::render::charts::budget_chart_ids(input.recs, lang, rates);
                let home_charts: Vec<String> = [
                    "indicator-progress",
                    "road-length-by-status",
                    "projects-by-sector",
                    "projects-by-partner",
                ]
                .into_iter()
                .chain(budgets.iter().map(String::as_str))
                .filter_map(|id| figure_at(input, lang, id, ""))
                .collect();
                home.extra.insert("charts", &home_charts);
                home.extra.insert("map_html", &map_figure("", false));
                home
            }
            JobKind::Data => super::extra::data_job(env, input.config),
            JobKind::Updates => super::extra::updates_job(env, input.config),
            JobKind::Editions => super::editions::list_job(env, input),
            JobKind::Edition(i) => super::editions::edition_job(env, input, i),
            JobKind::Changes => super::editions::changes_job(env, input),
            JobKind::Charts => unreachable!("filtered out above"),
        })
        .collect()
}

/// Page `n` of a collection's list; its table is made only while the page renders
/// ([`render_pages`]), so the tables of all list pages never sit in memory together.
fn list_job(
    input: &Input,
    env: &Env,
    path: &str,
    kind: Kind,
    n: usize,
    pages_total: usize,
) -> Page {
    let lang = env.lang;
    let title = lang.collection(kind.name(), true).to_string();
    Page {
        path: path.to_string(),
        description: format!("{title} — {}", env.text(&input.config.title).0),
        title: if n == 1 {
            title.clone()
        } else {
            lang.tf(
                "list_page_title",
                &[("title", &title), ("n", &n.to_string())],
            )
        },
        template: "list.html".into(),
        extra: tera::Context::new(),
        list: Some(ListPage {
            kind,
            n,
            pages_total,
            group: None,
        }),
        origin: made_page(&format!("the list of {}, page {n}", kind.dir()), env),
    }
}

/// A free page in `env`'s language (in the default language's words where it has no
/// translation).
fn free_page(
    input: &Input,
    env: &Env,
    page: &crate::site::model::Page,
    path: &str,
    problems: &mut Vec<ViewProblem>,
) -> Page {
    let (lang, default_lang) = (env.lang, input.config.default_lang());
    let (version, fell_back) = match page.versions.get(&lang.code) {
        Some(v) => (v, false),
        None => (&page.versions[default_lang], true),
    };
    let depth = page.slug.matches('/').count() + 1;
    // The body sits right below the page's <h1> (templates/page.html).
    let top = crate::site::markdown::UNDER_H1;
    let r = env.narrative(&version.body, depth, top, problems);
    let mut extra = tera::Context::new();
    extra.insert("body_html", &r.html);
    extra.insert("headings", &r.headings);
    let default_name = env
        .lang_names
        .iter()
        .find(|(c, _)| c == default_lang)
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    extra.insert(
        "fallback_note",
        &fell_back.then(|| {
            lang.tf(
                "not_translated",
                &[("in_lang", &lang.in_language(default_lang, &default_name))],
            )
        }),
    );
    extra.insert("body_lang", &fell_back.then_some(default_lang));
    extra.insert("updated", &version.front.updated.map(|d| lang.date(d)));
    Page {
        path: path.to_string(),
        title: version.front.title.clone(),
        description: version
            .front
            .description
            .clone()
            .unwrap_or_else(|| version.front.title.clone()),
        template: "page.html".into(),
        extra,
        list: None,
        origin: Origin::file(version.file.as_str()),
    }
}

/// Where each record's row is in its list's rows (in reading order), by id.
type RowIndex<'r> = BTreeMap<Kind, foldhash::HashMap<&'r str, usize>>;

/// What a list or group page's table is made from: the rows the record pages left, where each
/// is, and the plan's groups.
struct Tables<'r> {
    rows: &'r BTreeMap<Kind, Vec<Row>>,
    index: RowIndex<'r>,
    plan: &'r Plan,
}

impl<'r> Tables<'r> {
    fn new(rows: &'r BTreeMap<Kind, Vec<Row>>, plan: &'r Plan, pages: &[Page]) -> Tables<'r> {
        let grouped = pages
            .iter()
            .any(|p| p.list.is_some_and(|l| l.group.is_some()));
        let index = if grouped {
            rows.iter()
                .map(|(k, rs)| {
                    let at = rs.iter().enumerate().map(|(i, r)| (r.id.as_str(), i));
                    (*k, at.collect())
                })
                .collect()
        } else {
            RowIndex::new()
        };
        Tables { rows, index, plan }
    }

    /// The rows of a list (every record of its kind) or of a value's page (its records), in
    /// reading order.
    fn rows_of(&self, env: &Env, l: &ListPage) -> Vec<&'r Row> {
        let all = self.rows.get(&l.kind).map_or(&[][..], Vec::as_slice);
        let Some((g, v)) = l.group else {
            return all.iter().collect();
        };
        let index = self.index.get(&l.kind);
        let mut at: Vec<usize> = self.plan.groups[g].values[v]
            .members
            .iter()
            .filter_map(|i| env.recs.id_at(l.kind, *i))
            .filter_map(|id| index.and_then(|x| x.get(id)).copied())
            .collect();
        at.sort_unstable();
        at.into_iter().map(|i| &all[i]).collect()
    }
}

/// A list page with its table, made from the rows the record pages left; and a page per
/// group's small chart, which has pages of its own.
fn with_table(
    input: &Input,
    pass: &Pass,
    page: &Page,
    l: &ListPage,
    tables: &Tables,
) -> (Page, Option<Drawn>) {
    let (env, lang) = (&pass.env, pass.env.lang);
    let all = tables.rows_of(env, l);
    let start = (l.n - 1) * LIST_PAGE_SIZE;
    let chunk = &all[start.min(all.len())..(start + LIST_PAGE_SIZE).min(all.len())];
    let table = TableRef {
        columns: list_columns(lang, &env.recs.fields, l.kind),
        rows: chunk.iter().map(|r| &r.cells[..]).collect(),
    };
    let mut extra = tera::Context::new();
    extra.insert("kind", &l.kind);
    extra.insert("collection_dir", l.kind.dir());
    extra.insert("table", &table);
    extra.insert("count", &lang.tf_n("records_count", all.len(), &[]));
    let groups = &tables.plan.groups;
    let paged = |n: usize| match l.group {
        Some((g, v)) => plan::group_page_path(&groups[g], v, n),
        None => plan::list_page_path(l.kind, n),
    };
    extra.insert("pagination", &pagination(lang, l.n, l.pages_total, &paged));
    let chart = match l.group {
        Some((g, v)) => {
            let at = (
                pass.shared.prefix.as_str(),
                page.path.as_str(),
                &page.origin,
            );
            super::groups::value_extra(input, env, at, (&groups[g], v), l.n == 1, &mut extra)
        }
        None => {
            extra.insert(
                "group_fields",
                &super::groups::field_links(env, groups, l.kind),
            );
            None
        }
    };
    let page = Page {
        path: page.path.clone(),
        template: page.template.clone(),
        title: page.title.clone(),
        description: page.description.clone(),
        extra,
        list: None,
        origin: page.origin.clone(),
    };
    (page, chart)
}

/// Renders `pages` in parallel, each going out as soon as it is made; the template errors met.
fn render_pages(
    input: &Input,
    pass: &Pass,
    pages: &[Page],
    tables: &Tables,
    lang_names: &[(String, String)],
    pages_about: usize,
) -> Vec<Option<Diagnostic>> {
    pages
        .par_iter()
        .map(|page| {
            let listed;
            let (page, chart) = match &page.list {
                Some(l) => {
                    let chart;
                    (listed, chart) = with_table(input, pass, page, l, tables);
                    (&listed, chart)
                }
                None => (page, None),
            };
            let r = render_job(input, &pass.shared, page, None, lang_names, false);
            let mut error = emit(input, r, pages_about, page.origin.clone());
            // A page per group's chart has its own pages too.
            for p in chart
                .iter()
                .flat_map(|d| super::chart_pages::chart_pages(input, pass, d, &page.origin))
            {
                let r = render_job(input, &pass.shared, &p, None, lang_names, false);
                if let Some(e) = emit(input, r, pages_about, p.origin) {
                    error.get_or_insert(e);
                }
            }
            error
        })
        .collect()
}

/// A template error repeats on every page that uses the template: each reported once, naming
/// how many other pages met it.
fn once_each(template_errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| {
        let base = d.message.split(" (while rendering").next().unwrap_or("");
        (d.file.clone(), d.line, d.column, base.to_string())
    };
    let mut seen: BTreeMap<(String, usize, usize, String), usize> = BTreeMap::new();
    let mut unique: Vec<Diagnostic> = Vec::new();
    for d in template_errors {
        match seen.entry(key(&d)) {
            std::collections::btree_map::Entry::Occupied(mut e) => *e.get_mut() += 1,
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(0);
                unique.push(d);
            }
        }
    }
    for d in &mut unique {
        let more = seen[&key(d)];
        if more > 0 && d.message.ends_with(')') {
            d.message.pop();
            d.message.push_str(&format!(" and {more} other pages)"));
        }
    }
    unique
}

/// The 404 page in one language (`404.html` in the default one, `az/404.html`), with absolute
/// links (it is served at any address).
fn not_found(
    input: &Input,
    shared: &LangShared,
    lang_names: &[(String, String)],
) -> Result<(), Diagnostic> {
    let lang = shared.lang;
    let job = Page {
        path: String::new(),
        template: "404.html".into(),
        title: lang.t("page_not_found").to_string(),
        description: lang.t("page_not_found_text").to_string(),
        extra: tera::Context::new(),
        list: None,
        origin: Origin::made("the page-not-found page"),
    };
    let (_, html) = render_job(input, shared, &job, None, lang_names, true)?;
    input
        .sink
        .put(format!("{}404.html", shared.prefix), html, job.origin);
    Ok(())
}

/// A problem a view met in a record's text, as a diagnostic.
fn problem(p: ViewProblem) -> Diagnostic {
    Diagnostic::error(p.code, p.file, p.message)
        .at(Pos::new(p.line, p.column))
        .help(p.help)
}
