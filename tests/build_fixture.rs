//! Builds the small fixture site and checks its pages, links both ways, escaping and languages.

mod common;
use common::*;

#[test]
fn every_page_of_every_kind_exists_in_both_languages() {
    let out = build_ok(&fixture("mini"));
    for lang in ["", "az/"] {
        for p in [
            "index.html",
            "cities/index.html",
            "roads/index.html",
            "projects/index.html",
            "partners/index.html",
            "indicators/index.html",
            "sources/index.html",
            "cities/alpha/index.html",
            "cities/beta/index.html",
            "roads/alpha-beta/index.html",
            "projects/alpha-school/index.html",
            "partners/friendland/index.html",
            "indicators/people-returned/index.html",
            "sources/gazette/index.html",
            "about/index.html",
        ] {
            let html = page(&out, &format!("{lang}{p}"));
            let want = if lang.is_empty() {
                "<html lang=\"en\""
            } else {
                "<html lang=\"az\""
            };
            assert!(html.contains(want), "{lang}{p} has {want}");
            assert_eq!(html.matches("<h1").count(), 1, "{lang}{p} has one h1");
        }
    }
    assert!(out.contains("404.html"));
    assert!(out.contains("style.css"));
}

#[test]
fn references_link_both_ways() {
    let out = build_ok(&fixture("mini"));
    let road = page(&out, "roads/alpha-beta/index.html");
    assert!(
        road.contains("href=\"../../cities/alpha/\">Alpha</a>"),
        "road links its from city"
    );
    assert!(
        road.contains("href=\"../../cities/gamma/\">Gamma</a>"),
        "road links its via city"
    );
    let alpha = page(&out, "cities/alpha/index.html");
    assert!(
        alpha.contains("href=\"../../roads/alpha-beta/\">Alpha–Beta road</a>"),
        "city lists its road"
    );
    assert!(
        alpha.contains("href=\"../../projects/alpha-school/\">Alpha school</a>"),
        "city lists its project"
    );
    let partner = page(&out, "partners/friendland/index.html");
    assert!(
        partner.contains("href=\"../../projects/alpha-school/\""),
        "partner lists its project"
    );
    let source = page(&out, "sources/herald/index.html");
    assert!(
        source.contains("href=\"../../indicators/people-returned/\""),
        "source lists who cites it"
    );
    let project = page(&out, "projects/alpha-school/index.html");
    assert!(project.contains("href=\"../../partners/friendland/\">Friendland</a>"));
    assert!(project.contains("2,500,000 AZN"));
}

#[test]
fn every_internal_link_resolves() {
    let out = build_ok(&fixture("mini"));
    assert_eq!(broken_links(&out), Vec::<String>::new());
}

#[test]
fn record_text_is_escaped_and_markdown_is_inert() {
    let out = build_ok(&fixture("mini"));
    let alpha = page(&out, "cities/alpha/index.html");
    assert!(
        !alpha.contains("<script>"),
        "no raw script from a summary or body"
    );
    assert!(alpha.contains("Alpha &lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt; &amp; co"));
    assert!(
        alpha.contains("&lt;script&gt;alert(\"body\")&lt;/script&gt;")
            || alpha.contains("&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;")
    );
    assert!(
        !alpha.to_lowercase().contains("javascript:"),
        "javascript: link dropped"
    );
    let list = page(&out, "cities/index.html");
    assert!(
        !list.contains("\" onmouseover=\""),
        "attribute breakout is escaped"
    );
    assert!(list.contains("Beta&quot; onmouseover=&quot;alert(1)"));
}

#[test]
fn numbers_and_dates_follow_the_language() {
    let out = build_ok(&fixture("mini"));
    let en = page(&out, "indicators/people-returned/index.html");
    assert!(en.contains(">1,392<"), "English thousands separator");
    assert!(en.contains("17 June 2025"));
    assert!(en.contains("about 15,000"));
    let az = page(&out, "az/indicators/people-returned/index.html");
    assert!(
        az.contains(">1\u{a0}392<"),
        "Azerbaijani groups with a (no-break) space"
    );
    assert!(az.contains("17 iyun 2025"));
    assert!(az.contains("təxminən 15\u{a0}000"));
    let road = page(&out, "az/roads/alpha-beta/index.html");
    assert!(
        road.contains("1\u{a0}234,5 km"),
        "Azerbaijani decimal comma"
    );
    assert!(
        road.contains("may 2021"),
        "a month-precision date stays a month"
    );
}

#[test]
fn disagreeing_sources_are_both_shown() {
    let out = build_ok(&fixture("mini"));
    let html = page(&out, "indicators/people-returned/index.html");
    assert!(html.contains("about 15,000") && html.contains("16,500"));
    assert!(html.contains("class=\"disputed\""));
    assert!(html.contains("Sources give different figures"));
    assert!(html.contains("The Test Herald report") && html.contains("The Test Gazette report"));
}

#[test]
fn language_switcher_links_both_ways_with_hreflang() {
    let out = build_ok(&fixture("mini"));
    let en = page(&out, "cities/alpha/index.html");
    assert!(en.contains(
        "<a href=\"../../az/cities/alpha/\" hreflang=\"az\" lang=\"az\">Azərbaycanca</a>"
    ));
    assert!(en.contains("<link rel=\"alternate\" hreflang=\"az\" href=\"https://example.test/sub/path/az/cities/alpha/\">"));
    let az = page(&out, "az/cities/alpha/index.html");
    assert!(
        az.contains("<a href=\"../../../cities/alpha/\" hreflang=\"en\" lang=\"en\">English</a>")
    );
    assert!(
        az.contains("Alfa uydurma şəhərdir."),
        "the az narrative is used"
    );
    assert!(az.contains("<h1>Alfa</h1>"));
}

#[test]
fn untranslated_text_falls_back_with_a_visible_note() {
    let out = build_ok(&fixture("mini"));
    // beta has no az narrative and no az summary; its name is translated.
    let az = page(&out, "az/roads/alpha-beta/index.html");
    assert!(!az.contains("not-translated"));
    let root = tempfile::tempdir().unwrap();
    copy_tree(&fixture("mini"), root.path());
    std::fs::write(
        root.path().join("content/partners/friendland.yaml"),
        "name: Friendland\nkind: country\nsources: [gazette]\nupdated: 2025-06-01\n",
    )
    .unwrap();
    let b = berpa::build_in_memory(&berpa::Options {
        root: root.path().into(),
        ..Default::default()
    });
    let warn = b
        .diagnostics
        .items()
        .iter()
        .find(|d| d.code == "missing-translation" && d.file == "content/partners/friendland.yaml")
        .expect("a missing-translation warning");
    assert_eq!(warn.line, 1);
    assert!(warn.message.contains("no `az` translation of: name"));
    let out = b.output.unwrap();
    let az = page(&out, "az/partners/friendland/index.html");
    assert!(
        az.contains("<h1 lang=\"en\">Friendland</h1>"),
        "fallback text is marked with its language"
    );
    assert!(az.contains("Bu mətn hələ tərcümə olunmayıb; ingilis dilində verilir."));
    assert!(!az.contains("English dilində"));
}

#[test]
fn links_are_relative_so_the_site_works_from_a_sub_path() {
    let out = build_ok(&fixture("mini"));
    for (path, bytes) in out.iter() {
        if !path.ends_with(".html") || common::is_not_found(path) {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for l in links(&html) {
            assert!(
                !l.starts_with('/'),
                "{path} has a root-absolute link {l}, which breaks under a sub-path"
            );
        }
    }
    // The 404 page is served at any address, so it uses the base URL's path.
    let nf = page(&out, "404.html");
    assert!(nf.contains("href=\"/sub/path/style.css\""));
    // Each language has its own, in its own words, linking its own home.
    let az = page(&out, "az/404.html");
    assert!(
        az.contains("<html lang=\"az\""),
        "az/404.html is in Azerbaijani"
    );
    assert!(az.contains("Səhifə tapılmadı"));
    assert!(az.contains("href=\"/sub/path/az/\""));
}

#[test]
fn builds_are_byte_identical() {
    let a = build_ok(&fixture("mini"));
    let b = build_ok(&fixture("mini"));
    assert_eq!(a, b);
    let s1 = build_ok(&repo());
    let s2 = build_ok(&repo());
    assert_eq!(s1, s2);
}
