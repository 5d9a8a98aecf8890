//! Internal links in Markdown (`@/…`) to every page berpa makes: records, lists, free pages,
//! the Data page, the map, the updates, the sources, the pages per group; in every language;
//! a link to nothing is an error at its file, line and column with the nearest name. Built from
//! `tests/fixtures/money` (made-up records) with a free page added.

mod common;
use common::*;

const PAGE: &str = "---\ntitle: Links\n---\n\
[data](@/data) [map](@/map) [updates](@/updates) [sources](@/sources) [home](@/)\n\
[editions](@/editions) [changes](@/changes)\n\
[sector](@/projects/by-sector/education) [sectors](@/projects/by-sector)\n\
[partner](@/projects/by-partners/fund#charts-heading) [district](@/cities/by-district/north)\n\
[school](@/projects/school) [list](@/projects)\n";

fn with_page(md: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (t, root) = fixture_copy("money");
    std::fs::create_dir_all(root.join("content/pages")).unwrap();
    std::fs::write(root.join("content/pages/links.md"), md).unwrap();
    (t, root)
}

#[test]
fn links_to_built_in_pages_and_groups_resolve_in_every_language() {
    let (_t, root) = with_page(PAGE);
    let out = build_ok(&root);
    for prefix in ["", "az/"] {
        let html = page(&out, &format!("{prefix}links/index.html"));
        for href in [
            "../data/",
            "../map/",
            "../updates/",
            "../editions/",
            "../changes/",
            "../sources/",
            "../",
            "../projects/by-sector/education/",
            "../projects/by-sector/",
            "../projects/by-partners/fund/#charts-heading",
            "../cities/by-district/north/",
            "../projects/school/",
            "../projects/",
        ] {
            assert!(
                html.contains(&format!("href=\"{href}\"")),
                "{prefix}: no link to {href} in {html}"
            );
        }
    }
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
}

#[test]
fn a_link_to_nothing_is_an_error_at_its_place_with_the_nearest_name() {
    let md = "---\ntitle: Links\n---\nSee [a](@/dat) and\n[b](@/projects/by-sektor) and [c](@/projects/by-sector/educaton).\n\n[d](@/projects/schol) [e](@/nowhere/at-all)\n";
    let (_t, root) = with_page(md);
    let b = berpa::build_in_memory(&berpa::Options {
        root: root.clone(),
        ..Default::default()
    });
    assert!(b.output.is_none(), "a broken link must fail the build");
    let got: Vec<(String, usize, usize, String)> = b
        .diagnostics
        .items()
        .iter()
        .filter(|d| d.code == "broken-link")
        .map(|d| (d.file.clone(), d.line, d.column, d.message.clone()))
        .collect();
    let find = |needle: &str| {
        got.iter()
            .find(|g| g.3.contains(needle))
            .unwrap_or_else(|| panic!("no error with {needle} in {got:#?}"))
            .clone()
    };
    let a = find("`@/dat`");
    assert_eq!((a.0.as_str(), a.1, a.2), ("content/pages/links.md", 4, 5));
    assert!(a.3.contains("did you mean `@/data`"), "{}", a.3);
    let b2 = find("by-sektor");
    assert_eq!((b2.1, b2.2), (5, 1));
    assert!(
        b2.3.contains("did you mean `@/projects/by-sector`"),
        "{}",
        b2.3
    );
    let c = find("educaton");
    assert!(
        c.3.contains("did you mean `@/projects/by-sector/education`"),
        "{}",
        c.3
    );
    let d = find("schol");
    assert_eq!((d.1, d.2), (7, 1));
    assert!(d.3.contains("did you mean `@/projects/school`"), "{}", d.3);
    let e = find("nowhere");
    assert!(!e.3.contains("did you mean"), "{}", e.3);
}

/// `berpa check` (which renders nothing it keeps) judges the texts itself: a narrative's link
/// to nothing and its chart block naming no chart are each reported once, at their file, line
/// and column, though the narrative is shown on the page of every language.
#[test]
fn check_reports_a_narratives_broken_link_and_unknown_chart_once() {
    let (_t, root) = fixture_copy("money");
    let yaml = std::fs::read_to_string(root.join("content/cities/north.yaml")).unwrap();
    std::fs::remove_file(root.join("content/cities/north.yaml")).unwrap();
    let front = format!("---\n{}---\n", yaml);
    let first = front.lines().count() + 1;
    let md = format!("{front}Intro.\n\nSee [x](@/nowhere) here.\n\n```chart\nno-such-chart\n```\n");
    std::fs::write(root.join("content/cities/north.md"), md).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_berpa"))
        .args(["check", "--format", "json", "--root"])
        .arg(&root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run berpa");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let got: Vec<(String, String, u64, u64, String)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let d: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| d[k].as_str().unwrap_or("").to_string();
            let n = |k: &str| d[k].as_u64().unwrap_or(0);
            (s("code"), s("file"), n("line"), n("column"), s("message"))
        })
        // The narrative has no `az` translation: a warning, not what this test is about.
        .filter(|g| g.0 != "missing-translation")
        .collect();
    let file = "content/cities/north.md".to_string();
    let at: Vec<_> = got
        .iter()
        .map(|g| (g.0.as_str(), g.1.as_str(), g.2, g.3))
        .collect();
    let line = first as u64;
    assert_eq!(
        at,
        [
            ("broken-link", file.as_str(), line + 2, 5),
            ("broken-link", file.as_str(), line + 4, 1),
        ],
        "{got:#?}"
    );
    assert!(
        got[0].4.contains("broken internal link `@/nowhere`"),
        "{}",
        got[0].4
    );
    assert!(
        got[1].4.contains("cannot embed the chart `no-such-chart`"),
        "{}",
        got[1].4
    );
}

/// A broken template stops the build before anything renders; a text's link to nothing is
/// still reported beside it, since the check stage judges the texts.
#[test]
fn a_broken_template_does_not_hide_a_link_to_nothing() {
    let (_t, root) = with_page("---\ntitle: Links\n---\nSee [a](@/nowhere).\n");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/page.html"), "{% if %}\n").unwrap();
    let b = berpa::check(&berpa::Options {
        root: root.clone(),
        ..Default::default()
    });
    assert!(b.output.is_none());
    let codes: Vec<(&str, &str, usize, usize)> = b
        .diagnostics
        .items()
        .iter()
        .map(|d| (d.code, d.file.as_str(), d.line, d.column))
        .collect();
    assert!(
        codes.contains(&("broken-link", "content/pages/links.md", 4, 5)),
        "{codes:?}"
    );
    assert!(codes.iter().any(|c| c.0 == "template"), "{codes:?}");
}
