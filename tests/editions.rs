//! `berpa edition` and what a build makes of the editions: the editions' pages and files, what
//! changed since the newest edition (a changed figure and a changed record, old and new values),
//! the feed's entries, and an edition never replaced.

mod common;

use common::{build_ok, fixture_copy, page};
use std::path::Path;

fn edit(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

fn opts(root: &Path) -> berpa::Options {
    berpa::Options {
        root: root.to_path_buf(),
        ..Default::default()
    }
}

/// The mini fixture with an edition of 2025-06-30, then a figure and a project changed, a
/// correction logged and the data dated a month later.
fn site_with_changes() -> (tempfile::TempDir, std::path::PathBuf) {
    let (t, site) = fixture_copy("mini");
    let run = berpa::make_edition(&opts(&site));
    let (dir, n) = run.result.expect("an edition");
    assert_eq!(dir, site.join("editions/2025-06-30"));
    assert!(n >= 8, "{n} files");
    for f in [
        "cities.csv",
        "indicators.json",
        "datapackage.json",
        "oc4ids.json",
    ] {
        assert!(dir.join(f).is_file(), "{f} in the edition");
    }
    assert!(!dir.join("index.html").exists(), "the Data page is no data");
    edit(
        &site.join("content/indicators/people-returned.yaml"),
        "value: 1392",
        "value: 1400",
    );
    edit(
        &site.join("content/indicators/people-returned.yaml"),
        "sources: [gazette, herald]",
        "  - {date: 2025-07-20, value: 18000, source: herald}\nsources: [gazette, herald]",
    );
    let project = site.join("content/projects/alpha-school.yaml");
    edit(&project, "amount: 2500000", "amount: 3100000");
    edit(
        &project,
        "sources: [gazette]",
        "sources: [gazette]\nhistory:\n  - {date: 2025-07-10, kind: correction, note: {en: The budget was misread., az: Büdcə səhv oxunmuşdu.}}",
    );
    edit(
        &site.join("site.yaml"),
        "data_as_of: 2025-06-30",
        "data_as_of: 2025-07-31",
    );
    (t, site)
}

#[test]
fn the_changes_page_names_a_changed_figure_and_record_with_old_and_new_values() {
    let (_t, site) = site_with_changes();
    let out = build_ok(&site);
    let changes = page(&out, "changes/index.html");
    assert!(changes.contains("What changed since the edition of 30 June 2025"));
    // The figure, old and new, with the source of each.
    let (figures, rest) = changes.split_once("id=\"changed-fields\"").unwrap();
    assert!(figures.contains("People returned"), "{figures}");
    assert!(figures.contains("about 15,000 (17 June 2025)"), "{figures}");
    assert!(figures.contains("18,000 (20 July 2025)"), "{figures}");
    assert!(
        figures.contains("Gazette") && figures.contains("Herald"),
        "{figures}"
    );
    // An observation restated with another value.
    assert!(figures.contains("1,392 (15 January 2024)"), "{figures}");
    assert!(figures.contains("1,400 (15 January 2024)"), "{figures}");
    // The project's budget, old and new.
    let fields = rest.split_once("id=\"added-records\"").unwrap().0;
    assert!(fields.contains("Alpha school"), "{fields}");
    assert!(fields.contains("2,500,000 AZN"), "{fields}");
    assert!(fields.contains("3,100,000 AZN"), "{fields}");
    // The correction logged since the edition.
    assert!(changes.contains("The budget was misread."));
    // In Azerbaijani too.
    let az = page(&out, "az/changes/index.html");
    assert!(az.contains("Alfa məktəbi") && az.contains("Büdcə səhv oxunmuşdu."));
    assert!(
        az.contains("2 500 000") || az.contains("2\u{a0}500\u{a0}000"),
        "{az}"
    );
}

#[test]
fn editions_are_listed_published_fed_and_mapped() {
    let (_t, site) = site_with_changes();
    let out = build_ok(&site);
    let list = page(&out, "editions/index.html");
    assert!(list.contains("href=\"../editions/2025-06-30/\""), "{list}");
    assert!(list.contains("editions/2025-06-30/cities.csv"));
    let az = page(&out, "az/editions/index.html");
    assert!(
        az.contains("href=\"../../editions/2025-06-30/cities.csv\""),
        "{az}"
    );
    // The edition's files are published as they were recorded.
    let recorded = std::fs::read(site.join("editions/2025-06-30/indicators.json")).unwrap();
    assert_eq!(
        out.get("editions/2025-06-30/indicators.json"),
        Some(&recorded[..])
    );
    assert!(!String::from_utf8_lossy(&recorded).contains("18000"));
    // The edition's own page: the first, with nothing before it.
    let ed = page(&out, "editions/2025-06-30/index.html");
    assert!(ed.contains("Edition of 30 June 2025"));
    assert!(ed.contains("no earlier one to compare it with"));
    let feed = page(&out, "feed.xml");
    assert!(feed.contains("<id>https://example.test/sub/path/editions/2025-06-30/</id>"));
    assert!(page(&out, "az/feed.xml").contains("az/editions/2025-06-30/"));
    let sitemap = page(&out, "sitemap.xml");
    for loc in [
        "editions/",
        "changes/",
        "editions/2025-06-30/",
        "az/changes/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.test/sub/path/{loc}</loc>")),
            "{loc}"
        );
    }
}

#[test]
fn a_second_edition_compares_with_the_first() {
    let (_t, site) = site_with_changes();
    berpa::make_edition(&opts(&site))
        .result
        .expect("a second edition");
    let out = build_ok(&site);
    let second = page(&out, "editions/2025-07-31/index.html");
    assert!(second.contains("18,000 (20 July 2025)"), "{second}");
    assert!(second.contains("3,100,000 AZN"));
    // The current data is the second edition: no edition before it but the first.
    let changes = page(&out, "changes/index.html");
    assert!(changes.contains("since the edition of 30 June 2025"));
    let list = page(&out, "editions/index.html");
    let (newer, older) = (
        list.find("2025-07-31").unwrap(),
        list.find("2025-06-30").unwrap(),
    );
    assert!(newer < older, "newest first");
}

#[test]
fn an_edition_is_never_replaced() {
    let (_t, site) = fixture_copy("mini");
    berpa::make_edition(&opts(&site))
        .result
        .expect("an edition");
    let before = std::fs::read(site.join("editions/2025-06-30/cities.csv")).unwrap();
    let again = berpa::make_edition(&opts(&site));
    let err = again.result.expect_err("the edition exists");
    let msg = err.to_string();
    assert!(msg.contains("editions/2025-06-30"), "{msg}");
    assert!(msg.contains("data_as_of"), "{msg}");
    assert_eq!(
        std::fs::read(site.join("editions/2025-06-30/cities.csv")).unwrap(),
        before
    );
    // From the command line: exit code 2, the folder and the fix named.
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_berpa"))
        .args(["edition", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(cli.status.code(), Some(2));
    let err = String::from_utf8_lossy(&cli.stderr);
    assert!(
        err.contains("2025-06-30") && err.contains("exists already"),
        "{err}"
    );
}

#[test]
fn a_site_without_editions_says_so_and_a_broken_edition_is_an_error() {
    let (_t, site) = fixture_copy("mini");
    let out = build_ok(&site);
    assert!(page(&out, "editions/index.html").contains("No edition has been recorded yet."));
    assert!(page(&out, "changes/index.html").contains("nothing to compare it with"));
    std::fs::create_dir_all(site.join("editions/2025-01-01")).unwrap();
    std::fs::write(
        site.join("editions/2025-01-01/cities.json"),
        "{\"records\": [",
    )
    .unwrap();
    std::fs::create_dir_all(site.join("editions/latest")).unwrap();
    std::fs::write(site.join("editions/latest/cities.csv"), "id\n").unwrap();
    let b = berpa::build_in_memory(&opts(&site));
    assert!(b.output.is_none());
    let ds = b.diagnostics.items();
    let json = ds
        .iter()
        .find(|d| d.code == "edition-data")
        .expect("bad JSON");
    assert_eq!(json.file, "editions/2025-01-01/cities.json");
    assert!(json.line >= 1);
    let name = ds
        .iter()
        .find(|d| d.code == "edition-name")
        .expect("bad name");
    assert!(name.message.contains("editions/latest"));
}

#[test]
fn records_carry_a_citation_of_the_edition_as_text_bibtex_and_csl_json() {
    let (_t, site) = fixture_copy("mini");
    let project = site.join("content/projects/alpha-school.yaml");
    edit(
        &project,
        "en: Alpha school",
        "en: \"Alpha & Sons {100%} school_#1 ~ $\\\\\"",
    );
    berpa::make_edition(&opts(&site))
        .result
        .expect("an edition");
    let out = build_ok(&site);
    let edition_url = "https://example.test/sub/path/editions/2025-06-30/";
    // The page: copyable text naming the publisher, title, edition date and address.
    let html = page(&out, "projects/alpha-school/index.html");
    let cite = html.split_once("id=\"cite-heading\"").unwrap().1;
    assert!(cite.contains("Test office. Alpha &amp; Sons {100%} school_#1 ~ $\\. In: Test report. Edition of 30 June 2025."), "{cite}");
    assert!(cite.contains(edition_url));
    assert!(cite.contains("href=\"../../projects/alpha-school/cite.bib\""));
    // BibTeX: TeX's special characters escaped, the edition's address as the url.
    let bib = page(&out, "projects/alpha-school/cite.bib");
    assert!(
        bib.starts_with("@misc{project-alpha-school-2025-06-30,\n"),
        "{bib}"
    );
    assert!(
        bib.contains("title = {{Alpha \\& Sons \\{100\\%\\} school\\_\\#1 \\textasciitilde{} \\$\\textbackslash{}}},"),
        "{bib}"
    );
    assert!(bib.contains("author = {{Test office}},"));
    assert!(bib.contains(&format!("url = {{{edition_url}}},")));
    assert!(bib.contains("version = {2025-06-30},"));
    // CSL-JSON: one dataset item.
    let csl: serde_json::Value =
        serde_json::from_slice(out.get("az/projects/alpha-school/cite.json").unwrap()).unwrap();
    let item = &csl[0];
    assert_eq!(item["type"], "dataset");
    assert_eq!(item["title"], "Alfa məktəbi");
    assert_eq!(
        item["URL"],
        "https://example.test/sub/path/az/editions/2025-06-30/"
    );
    assert_eq!(
        item["issued"]["date-parts"],
        serde_json::json!([[2025, 6, 30]])
    );
    assert_eq!(item["publisher"], "Test office");
    // A tracked figure's page too.
    assert!(page(&out, "indicators/people-returned/index.html").contains(edition_url));
}

#[test]
fn no_edition_of_a_broken_site_or_of_no_date() {
    let berpa = |site: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_berpa"))
            .args(["edition", "--root"])
            .arg(site)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let (_t, site) = fixture_copy("mini");
    edit(&site.join("site.yaml"), "data_as_of: 2025-06-30\n", "");
    let out = berpa(&site);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("gives no data_as_of"));
    assert!(!site.join("editions").exists());
    let (_t, site) = fixture_copy("mini");
    edit(
        &site.join("content/cities/beta.yaml"),
        "kind: ",
        "kind: metropolis-",
    );
    let out = berpa(&site);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/cities/beta.yaml") && err.contains("no edition was made"),
        "{err}"
    );
    assert!(!site.join("editions").exists());
}
