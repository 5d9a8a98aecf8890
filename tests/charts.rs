//! Charts and the map: numbers in the data tables and `<desc>` against the records,
//! accessibility markup, languages, determinism, size, and errors in chart specs.

mod common;
use common::*;

/// The text between `start` and the next `end` after it.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// The figure with the given element id.
fn figure<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no figure {id}"));
    let end = html[start..].find("</figure>").unwrap() + start;
    &html[start..end]
}

fn langs() -> Vec<String> {
    vec!["en".into(), "az".into()]
}

#[test]
fn road_length_chart_states_the_records_numbers() {
    let (recs, _) = berpa::load::load(&repo(), &langs());
    let sum = |status: &str| -> f64 {
        recs.roads
            .iter()
            .filter(|r| r.data.status.map(|s| s.code()) == Some(status))
            .filter_map(|r| r.data.length_km)
            .sum()
    };
    let open = sum("open");
    let building = sum("under-construction");
    assert!(
        open > 0.0 && building > 0.0,
        "the sample has open and unfinished roads"
    );
    let out = build_ok(&repo());
    let home = page(&out, "index.html");
    let fig = figure(&home, "chart-road-length-by-status");
    let desc = between(
        fig,
        "<desc id=\"chart-road-length-by-status-desc\">",
        "</desc>",
    )
    .unwrap();
    let fmt = |v: f64| {
        let s = format!("{v:.1}");
        let (i, f) = s.split_once('.').unwrap();
        let mut g = String::new();
        for (k, c) in i.chars().enumerate() {
            if k > 0 && (i.len() - k) % 3 == 0 {
                g.push(',');
            }
            g.push(c);
        }
        if f == "0" { g } else { format!("{g}.{f}") }
    };
    assert!(desc.contains(&format!("Open {} km", fmt(open))), "{desc}");
    assert!(
        desc.contains(&format!("Under construction {} km", fmt(building))),
        "{desc}"
    );
    // The same numbers in the data table.
    assert!(
        fig.contains(&format!("<td class=\"num\">{}</td>", fmt(open))),
        "table has the open length"
    );
    // Accessible markup.
    assert!(fig.contains("role=\"img\""));
    assert!(fig.contains(
        "aria-labelledby=\"chart-road-length-by-status-title chart-road-length-by-status-desc\""
    ));
    assert!(fig.contains("<figcaption>"));
    assert!(fig.contains("<details class=\"chart-data\">"));
    // The CSV is there, with the same numbers.
    assert!(fig.contains("href=\"charts/road-length-by-status.csv\""));
    let csv = page(&out, "charts/road-length-by-status.csv");
    assert!(
        csv.contains(&format!("Open,{}", berpa::draw::plain(open))),
        "{csv}"
    );
}

#[test]
fn indicator_chart_lists_every_observation_with_its_source() {
    let (recs, _) = berpa::load::load(&repo(), &langs());
    let ind = recs
        .indicators
        .iter()
        .find(|i| i.meta.id == "people-returned")
        .expect("the sample tracks people returned");
    let out = build_ok(&repo());
    let html = page(&out, "indicators/people-returned/index.html");
    let fig = figure(&html, "chart-indicator-people-returned");
    let desc = between(
        fig,
        "<desc id=\"chart-indicator-people-returned-desc\">",
        "</desc>",
    )
    .unwrap();
    for o in &ind.data.observations {
        let date = o.date.to_string();
        assert!(
            fig.contains(&format!("datetime=\"{date}\"")),
            "table row for {date}"
        );
        let src = o.source.as_deref().unwrap();
        assert!(
            fig.contains(&format!("href=\"../../sources/{src}/\"")),
            "source link for {date}"
        );
    }
    assert!(
        desc.contains("more than 25,000 people on 31 December 2025"),
        "{desc}"
    );
    // The 140,000 target counts residents, not returnees: it is drawn on the residents' chart,
    // as a marked line, and not on this one.
    assert!(!desc.contains("140,000"), "{desc}");
    let html = page(&out, "indicators/residents/index.html");
    let fig = figure(&html, "chart-indicator-residents");
    assert!(fig.contains("Target: 140,000 by 31 December 2026"));
    assert!(fig.contains("class=\"s-target\""));
}

#[test]
fn charts_speak_the_pages_language() {
    let out = build_ok(&repo());
    let az = page(&out, "az/indicators/people-returned/index.html");
    let fig = figure(&az, "chart-indicator-people-returned");
    let desc = between(
        fig,
        "<desc id=\"chart-indicator-people-returned-desc\">",
        "</desc>",
    )
    .unwrap();
    assert!(desc.contains("25\u{a0}000-dən çox nəfər"), "{desc}");
    assert!(desc.contains("31 dekabr 2025"), "{desc}");
    assert!(fig.contains("Rəqəmləri cədvəl kimi göstər"));
    let home = page(&out, "az/index.html");
    let roads = figure(&home, "chart-road-length-by-status");
    assert!(roads.contains("Vəziyyətə görə yolların uzunluğu"));
    assert!(
        roads.contains(">Açıq<"),
        "status labels in Azerbaijani, as labels"
    );
    assert!(!roads.contains("Açıqdır"));
}

#[test]
fn charts_and_map_are_small_and_deterministic() {
    let a = build_ok(&repo());
    let b = build_ok(&repo());
    let mut n = 0;
    for (path, bytes) in a.iter() {
        assert_eq!(Some(bytes), b.get(path), "{path} differs between builds");
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let mut rest: &str = &html;
        while let Some(i) = rest.find("<svg") {
            let end = rest[i..].find("</svg>").unwrap() + i + 6;
            let svg = &rest[i..end];
            let limit = if svg.contains("map-graphic") {
                60_000
            } else {
                20_000
            };
            assert!(svg.len() < limit, "{path}: an SVG of {} bytes", svg.len());
            assert!(svg.contains("<title id="), "{path}: an SVG without a title");
            n += 1;
            rest = &rest[end..];
        }
    }
    assert!(n > 20, "the sample draws many charts ({n})");
}

#[test]
fn map_shows_places_roads_airports_and_unplaced() {
    let out = build_ok(&repo());
    let map = page(&out, "map/index.html");
    let fig = figure(&map, "map");
    assert!(fig.contains("class=\"map-graphic\""));
    let desc = between(fig, "<desc id=\"site-map-desc\">", "</desc>").unwrap();
    assert!(desc.contains("Lachin (city, resettled)"), "{desc}");
    assert!(desc.contains("Victory Road (open)"), "{desc}");
    assert!(
        fig.contains("Khidirli"),
        "a place without coordinates is named"
    );
    assert!(
        fig.contains(">Airport</span>"),
        "airports are marked in the table"
    );
    // A locator map on a city page and a road page.
    assert!(page(&out, "cities/lachin/index.html").contains("map-locator"));
    assert!(page(&out, "roads/barda-aghdam-highway/index.html").contains("map-locator"));
}

#[test]
fn a_chart_block_embeds_a_declared_chart() {
    let out = build_ok(&repo());
    let html = page(&out, "methodology/index.html");
    let fig = figure(&html, "chart-mine-casualties");
    assert!(
        fig.contains("href=\"../charts/mine-casualties.csv\""),
        "links relative to the page"
    );
    assert!(fig.contains("382"));
}

fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    copy_tree(&fixture("mini"), t.path());
    for (p, text) in files {
        let path = t.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    t
}

fn errors(root: &std::path::Path) -> Vec<berpa::site::diagnostics::Diagnostic> {
    let b = berpa::build_in_memory(&berpa::Options {
        root: root.to_path_buf(),
        ..Default::default()
    });
    assert!(b.output.is_none(), "the build must fail");
    b.diagnostics
        .items()
        .iter()
        .filter(|d| d.severity == berpa::site::diagnostics::Severity::Error)
        .cloned()
        .collect()
}

#[test]
fn bad_chart_specs_are_errors_with_file_and_line() {
    let t = site_with(&[
        (
            "content/charts/by-sector.yaml",
            "title: Projects\nheadline: Many projects.\ntype: stacked-bar\ndata:\n  collection: projects\n  group_by: sektor\n  stack_by: status\n",
        ),
        (
            "content/charts/roads.yaml",
            "title: Roads\nheadline: Roads.\ntype: bar\ndata:\n  collection: raods\n  group_by: status\n",
        ),
        (
            "content/charts/returns.yaml",
            "title: Returns\nheadline: Returns.\ntype: line\ndata: {indicator: people-return}\n",
        ),
        (
            "content/charts/sum.yaml",
            "title: Length\nheadline: Length.\ntype: bar\ndata:\n  collection: roads\n  group_by: status\n  aggregate: sum\n  field: name\n",
        ),
    ]);
    let errs = errors(t.path());
    let find = |file: &str| {
        errs.iter()
            .find(|d| d.file == file)
            .unwrap_or_else(|| panic!("no error for {file}: {errs:#?}"))
    };
    let e = find("content/charts/by-sector.yaml");
    assert_eq!((e.code, e.line, e.column), ("chart-spec", 6, 13));
    assert!(e.message.contains("no field `sektor`"), "{}", e.message);
    assert!(
        e.help
            .as_deref()
            .unwrap()
            .contains("did you mean `sector`?")
    );
    let e = find("content/charts/roads.yaml");
    assert_eq!(e.line, 5);
    assert!(e.help.as_deref().unwrap().contains("did you mean `roads`?"));
    let e = find("content/charts/returns.yaml");
    assert_eq!(e.line, 4);
    assert!(
        e.help
            .as_deref()
            .unwrap()
            .contains("did you mean `people-returned`?")
    );
    let e = find("content/charts/sum.yaml");
    assert_eq!(e.line, 8);
    assert!(e.message.contains("`name` is not a number field of roads"));
}

#[test]
fn a_missing_chart_in_markdown_or_a_template_is_reported() {
    let t = site_with(&[(
        "content/pages/about.md",
        "---\ntitle: About\n---\nIntro.\n\n```chart\nno-such-chart\n```\n",
    )]);
    let errs = errors(t.path());
    let e = errs
        .iter()
        .find(|d| d.file == "content/pages/about.md")
        .expect("an error for the page");
    assert_eq!(e.line, 6);
    assert!(e.message.contains("no-such-chart"));

    let t = site_with(&[(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}\n{{ chart(id=\"nope\") }}{% endblock content %}",
    )]);
    let errs = errors(t.path());
    let e = errs
        .iter()
        .find(|d| d.file == "templates/page.html")
        .expect("a template error");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("no chart `nope`"), "{}", e.message);
}

#[test]
fn templates_can_call_a_chart() {
    let t = site_with(&[(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page_title }}</h1>{{ chart(id=\"projects-by-sector\") }}{% endblock content %}",
    )]);
    let out = build_ok(t.path());
    let html = page(&out, "about/index.html");
    assert!(html.contains("id=\"chart-projects-by-sector\""));
    assert!(html.contains("href=\"../charts/projects-by-sector.csv\""));
    let az = page(&out, "az/about/index.html");
    assert!(
        az.contains("Sahə və vəziyyətə görə layihələr"),
        "the az page gets the az chart"
    );
}

#[test]
fn a_chart_notes_approximate_figures_and_disagreeing_sources() {
    let out = build_ok(&fixture("mini"));
    let html = page(&out, "indicators/people-returned/index.html");
    let fig = figure(&html, "chart-indicator-people-returned");
    assert!(
        fig.contains("Sources give different figures for this date"),
        "disagreement noted"
    );
    assert!(
        fig.contains("approximate or lower bounds"),
        "qualified figures noted"
    );
    // Both figures of the disputed date are in the data table, each with its own source.
    assert!(fig.contains(">about 15,000<") && fig.contains(">16,500<"));
}

#[test]
fn a_places_chart_embeds_anywhere_and_a_template_can_call_it() {
    // A place's chart is drawn with its page; a narrative elsewhere embeds it all the same.
    let t = site_with(&[(
        "content/pages/about.md",
        "---\ntitle: About\n---\nIntro.\n\n```chart\ncity-alpha-projects\n```\n",
    )]);
    let lazy = build_ok(t.path());
    let about = page(&lazy, "about/index.html");
    let fig = figure(&about, "chart-city-alpha-projects");
    assert!(fig.contains("href=\"../charts/city-alpha-projects.csv\""));
    assert!(
        fig.contains("Alpha school") || fig.contains("Education"),
        "{fig}"
    );
    for csv in [
        "charts/city-alpha-projects.csv",
        "az/charts/city-alpha-projects.csv",
    ] {
        assert!(lazy.get(csv).is_some(), "{csv}");
    }

    // A site template may call it too (the places' charts are then drawn before the pages):
    // the place's own page and its chart's CSV come out the same either way.
    let t = site_with(&[
        (
            "content/pages/about.md",
            "---\ntitle: About\n---\nIntro.\n\n```chart\ncity-alpha-projects\n```\n",
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}{{ body_html | safe }}{{ chart(id=\"city-alpha-projects\") }}{% endblock content %}",
        ),
    ]);
    let eager = build_ok(t.path());
    let about = page(&eager, "about/index.html");
    assert_eq!(about.matches("id=\"chart-city-alpha-projects\"").count(), 2);
    for p in [
        "cities/alpha/index.html",
        "az/cities/alpha/index.html",
        "charts/city-alpha-projects.csv",
        "az/charts/city-alpha-projects.csv",
    ] {
        assert_eq!(lazy.get(p), eager.get(p), "{p}");
    }
    assert!(page(&eager, "cities/alpha/index.html").contains("id=\"chart-city-alpha-projects\""));
}
