//! Charts to reuse (issue #26, item 4): every chart has its page in every language, with its
//! SVG and CSV, a citation and an escaped `<iframe>` snippet of its embed page, which carries
//! the chart's sources and the site's licence; the figures where charts are shown link to it.

mod common;

use common::*;

/// The mini fixture with a chart of its own (`content/charts/returns.yaml`), whose title needs
/// escaping.
fn site() -> (tempfile::TempDir, std::path::PathBuf) {
    let (t, site) = fixture_copy("mini");
    std::fs::create_dir_all(site.join("content/charts")).unwrap();
    std::fs::write(
        site.join("content/charts/returns.yaml"),
        "# Test data: the fixture's invented figures.\ntitle: {en: \"Returns <so far> & \\\"counted\\\"\", az: Qayıdanlar}\nheadline: {en: Returns as counted., az: Qayıdanlar sayıldığı kimi.}\ntype: line\ndata: {indicator: people-returned}\nunit: {en: people, az: nəfər}\n",
    )
    .unwrap();
    (t, site)
}

/// The ids of the charts a build drew: each has its CSV in the default language.
fn chart_ids(out: &berpa::write::OutputSet) -> Vec<String> {
    out.iter()
        .filter_map(|(p, _)| p.strip_prefix("charts/")?.strip_suffix(".csv"))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_chart_has_its_page_and_embed_page_in_both_languages() {
    let (_t, root) = site();
    let out = build_ok(&root);
    let ids = chart_ids(&out);
    for want in ["returns", "indicator-people-returned", "indicator-progress"] {
        assert!(ids.iter().any(|i| i == want), "{want} in {ids:?}");
    }
    for id in &ids {
        for prefix in ["", "az/"] {
            let dir = format!("{prefix}charts/{id}/");
            let html = page(&out, &format!("{dir}index.html"));
            assert!(
                html.contains(&format!("id=\"chart-{id}\"")),
                "{dir}: figure"
            );
            assert!(html.contains("<table class=\"data\">"), "{dir}: table");
            for (href, file) in [
                (format!("../{id}.svg"), format!("{prefix}charts/{id}.svg")),
                (format!("../{id}.csv"), format!("{prefix}charts/{id}.csv")),
                ("cite.bib".to_string(), format!("{dir}cite.bib")),
                ("cite.json".to_string(), format!("{dir}cite.json")),
                ("embed/".to_string(), format!("{dir}embed/index.html")),
            ] {
                assert!(html.contains(&format!("href=\"{href}\"")), "{dir}: {href}");
                assert!(out.get(&file).is_some(), "{file} exists");
            }
            let svg = page(&out, &format!("{prefix}charts/{id}.svg"));
            assert!(
                svg.starts_with("<svg") && svg.ends_with("</svg>"),
                "{id}.svg"
            );
            // The snippet is text: the <iframe> escaped, pointing at the embed page.
            let embed_url = format!("https://example.test/sub/path/{dir}embed/");
            assert!(
                html.contains(&format!("&lt;iframe src=&quot;{embed_url}&quot;")),
                "{dir}: the escaped iframe snippet"
            );
            assert!(!html.contains("<iframe"), "{dir}: no live iframe");
            // A citation naming the publisher and the chart's page.
            let cite = html.split("class=\"citation\">").nth(1).expect("citation");
            let cite = cite.split("</p>").next().unwrap();
            assert!(cite.starts_with("Test office. "), "{dir}: {cite}");
            assert!(cite.contains(&format!("https://example.test/sub/path/{dir}")));
            let embed = page(&out, &format!("{dir}embed/index.html"));
            assert!(
                embed.contains("Content-Security-Policy"),
                "{dir}embed/: CSP"
            );
            assert!(embed.contains("noindex"), "{dir}embed/: not indexed");
            assert!(
                embed.contains("href=\"https://creativecommons.org/licenses/by/4.0/\""),
                "{dir}embed/: the licence line"
            );
            assert!(
                embed.contains("href=\"../\""),
                "{dir}embed/: back to the page"
            );
            assert!(!embed.contains("<script"), "{dir}embed/: no script");
        }
    }
}

#[test]
fn the_embed_page_names_the_sources_and_the_page_the_citation() {
    let (_t, root) = site();
    let out = build_ok(&root);
    let embed = page(&out, "charts/returns/embed/index.html");
    // The fixture's two sources, linked from the embed page.
    for s in ["sources/gazette/", "sources/herald/"] {
        assert!(embed.contains(&format!("href=\"../../../{s}\"")), "{s}");
    }
    assert!(embed.contains("Licence: <a"), "{embed}");
    let az = page(&out, "az/charts/returns/embed/index.html");
    assert!(
        az.contains("Lisenziya: <a") && az.contains("Mənbələr: "),
        "{az}"
    );
    // The title is escaped everywhere: in the page, its snippet and its citation files.
    let html = page(&out, "charts/returns/index.html");
    assert!(html.contains("<h1>Returns &lt;so far&gt; &amp; &quot;counted&quot;</h1>"));
    assert!(html.contains(
        "title=&quot;Returns &amp;lt;so far&amp;gt; &amp;amp; &amp;quot;counted&amp;quot;&quot;"
    ));
    let bib = page(&out, "charts/returns/cite.bib");
    assert!(bib.starts_with("@misc{chart-returns-2025-06-30,"), "{bib}");
    assert!(bib.contains("Chart: \\url{https://example.test/sub/path/charts/returns/}"));
    let json: serde_json::Value =
        serde_json::from_str(&page(&out, "az/charts/returns/cite.json")).unwrap();
    assert_eq!(json[0]["title"], "Qayıdanlar");
    assert_eq!(json[0]["language"], "az");
}

#[test]
fn charts_where_they_are_shown_link_to_their_page_and_the_sitemap_lists_it() {
    let (_t, root) = site();
    let out = build_ok(&root);
    let home = page(&out, "index.html");
    assert!(home.contains("class=\"chart-about\" href=\"charts/indicator-progress/\""));
    let ind = page(&out, "az/indicators/people-returned/index.html");
    assert!(ind.contains(
        "class=\"chart-about\" href=\"../../charts/indicator-people-returned/\">Qrafik haqqında"
    ));
    // A chart's page does not link to itself.
    let own = page(&out, "charts/indicator-people-returned/index.html");
    assert!(!own.contains("chart-about"));
    let sitemap = page(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.test/sub/path/charts/returns/</loc>"));
    assert!(sitemap.contains("<loc>https://example.test/sub/path/az/charts/returns/</loc>"));
    assert!(!sitemap.contains("/embed/"), "embed pages are not listed");
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_free_page_under_charts_is_reserved() {
    let (_t, root) = site();
    std::fs::create_dir_all(root.join("content/pages/charts")).unwrap();
    std::fs::write(
        root.join("content/pages/charts/returns.md"),
        "---\ntitle: Mine\n---\nText.\n",
    )
    .unwrap();
    let b = berpa::build_in_memory(&berpa::Options {
        root: root.clone(),
        ..Default::default()
    });
    let d = b
        .diagnostics
        .items()
        .iter()
        .find(|d| d.code == "reserved-page")
        .expect("a reserved-page error");
    assert_eq!(d.file, "content/pages/charts/returns.md");
    assert!(d.message.contains("charts/"), "{}", d.message);
}

#[test]
fn with_an_edition_the_citation_names_it_and_the_charts_page() {
    let (_t, root) = site();
    let run = berpa::make_edition(&berpa::Options {
        root: root.clone(),
        ..Default::default()
    });
    run.result.expect("an edition");
    let out = build_ok(&root);
    let html = page(&out, "charts/returns/index.html");
    assert!(html.contains(
        "Edition of 30 June 2025: https://example.test/sub/path/editions/2025-06-30/. Chart: https://example.test/sub/path/charts/returns/"
    ), "{html}");
    let az = page(&out, "az/charts/returns/index.html");
    assert!(az.contains(
        "30 iyun 2025 tarixli nəşr: https://example.test/sub/path/az/editions/2025-06-30/. Qrafik: https://example.test/sub/path/az/charts/returns/"
    ), "{az}");
    let json: serde_json::Value =
        serde_json::from_str(&page(&out, "charts/returns/cite.json")).unwrap();
    assert_eq!(json[0]["version"], "2025-06-30");
    assert_eq!(
        json[0]["note"],
        "Chart: https://example.test/sub/path/charts/returns/"
    );
}
