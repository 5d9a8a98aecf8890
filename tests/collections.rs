//! Collections a site declares (`collections:` in `site.yaml`, issue #24 item 3): their records
//! get pages, a list, back-links, pages per group, exports, charts and search entries in every
//! language, and a bad declaration or record is an error at its line with the fix. The fixture
//! `tests/fixtures/collections` (invented test data) declares `schools` (one located, one not)
//! and `grants` (with a status of its own).

mod common;

use common::Diag;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn out() -> berpa::write::OutputSet {
    common::build_ok(&common::fixture("collections"))
}

#[test]
fn a_declared_collection_has_record_pages_and_a_list_in_every_language() {
    let out = out();
    let page = common::page(&out, "schools/alpha-primary/index.html");
    for text in [
        "Alpha Primary School",
        "<h1",
        "Pupils",
        "320",
        "Opened",
        "1 September 2024",
        "The Test Gazette report",
        "Pupils counted again.",
        "record-schools",
        "schools/alpha-primary.json",
    ] {
        assert!(page.contains(text), "the school's page shows {text}");
    }
    assert!(
        page.contains("A primary school &lt;b&gt;in&lt;/b&gt; Alpha"),
        "what a record says is escaped"
    );
    // Its narrative's links to the collection and another declared record resolve.
    assert!(page.contains("href=\"../../grants/books/\""), "{page}");
    assert!(
        page.contains("href=\"../../schools/\""),
        "@/schools is the list"
    );
    let az = common::page(&out, "az/schools/alpha-primary/index.html");
    assert!(az.contains("Alfa ibtidai məktəbi") && az.contains("Şagirdlər"));
    assert!(az.contains("Məktəblər"), "the collection's name in az");

    let list = common::page(&out, "schools/index.html");
    for text in [
        "Schools",
        "Pupils",
        "Settlement",
        "Beta Secondary School",
        "540",
    ] {
        assert!(list.contains(text), "the list shows {text}");
    }
    assert!(
        !list.contains(">Opened<"),
        "a field without `list: true` is no column"
    );
    let nav = common::page(&out, "index.html");
    assert!(
        nav.contains("href=\"schools/\"") && nav.contains("href=\"grants/\""),
        "the navigation and the home page lead to the collections"
    );
    assert_eq!(common::broken_links(&out), Vec::<String>::new());
}

#[test]
fn status_is_a_badge_with_a_projects_codes_or_the_collections_own() {
    let out = out();
    let school = common::page(&out, "schools/alpha-primary/index.html");
    assert!(
        school.contains("status-completed") && school.contains("Completed"),
        "a collection without its own `status` takes a project's codes and labels"
    );
    let az = common::page(&out, "az/schools/alpha-primary/index.html");
    assert!(az.contains("status-completed"));
    let grants = common::page(&out, "grants/index.html");
    assert!(
        grants.contains("Stage"),
        "a declared status keeps its label"
    );
    assert!(grants.contains("awarded"));
    // Pages per status, and per the reference with `group: true`.
    for p in [
        "schools/by-status/index.html",
        "schools/by-status/completed/index.html",
        "schools/by-city/alpha/index.html",
        "az/schools/by-city/beta/index.html",
    ] {
        assert!(out.get(p).is_some(), "{p} is made");
    }
    let by_city = common::page(&out, "schools/by-city/alpha/index.html");
    assert!(by_city.contains("Alpha Primary School") && !by_city.contains("Beta Secondary"));
}

#[test]
fn records_they_reference_link_back() {
    let out = out();
    let city = common::page(&out, "cities/alpha/index.html");
    assert!(city.contains("Schools"), "a heading for the schools here");
    assert!(city.contains("schools/alpha-primary/"), "{city}");
    assert!(!city.contains("schools/beta-secondary/"));
    let school = common::page(&out, "schools/alpha-primary/index.html");
    assert!(
        school.contains("Grants") && school.contains("grants/books/"),
        "a declared collection's reference to another links back too"
    );
    let gazette = common::page(&out, "sources/gazette/index.html");
    assert!(
        gazette.contains("schools/alpha-primary/"),
        "a source lists the records of declared collections that cite it"
    );
}

#[test]
fn declared_collections_are_open_data() {
    let out = out();
    let csv = common::page(&out, "data/schools.csv");
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        "id,name_en,name_az,lat,lon,summary_en,summary_az,updated,sources,city,pupils,opened,levels,status,page_url"
    );
    assert!(
        csv.contains("beta-secondary,Beta Secondary School"),
        "{csv}"
    );
    let grants = common::page(&out, "data/grants.csv");
    assert!(
        grants.contains("12000,EUR"),
        "money is amount and currency: {grants}"
    );

    let json: Value =
        serde_json::from_str(&common::page(&out, "schools/alpha-primary.json")).unwrap();
    assert_eq!(json["pupils"], 320.0);
    assert_eq!(json["city"], "alpha");
    assert_eq!(json["name"]["az"], "Alfa ibtidai məktəbi");
    let all: Value = serde_json::from_str(&common::page(&out, "data/schools.json")).unwrap();
    assert_eq!(all["collection"], "schools");
    assert_eq!(all["records"].as_array().unwrap().len(), 2);

    let geo: Value = serde_json::from_str(&common::page(&out, "data/schools.geojson")).unwrap();
    let features = geo["features"].as_array().unwrap();
    assert_eq!(features.len(), 1, "only the located school is a point");
    assert_eq!(
        features[0]["geometry"]["coordinates"],
        serde_json::json!([46.21, 40.12])
    );
    assert_eq!(features[0]["properties"]["status"], "completed");

    let pkg: Value = serde_json::from_str(&common::page(&out, "data/datapackage.json")).unwrap();
    let names: Vec<&str> = pkg["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    for n in ["schools", "schools-geojson", "grants"] {
        assert!(names.contains(&n), "the data package lists {n}: {names:?}");
    }
    let schools = pkg["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "schools")
        .unwrap();
    let city = schools["schema"]["foreignKeys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["fields"] == serde_json::json!(["city"]))
        .expect("a reference is a foreign key");
    assert_eq!(city["reference"]["resource"], "cities");
    let data = common::page(&out, "data/index.html");
    assert!(data.contains("data/schools.csv") || data.contains("schools.csv"));
}

#[test]
fn a_list_of_enum_groups_a_record_under_each_of_its_values() {
    let out = out();
    let csv = common::page(&out, "charts/schools-by-level.csv");
    for row in ["primary,1", "lower-secondary,1", "upper-secondary,1"] {
        assert!(csv.lines().any(|l| l == row), "{row} in {csv}");
    }
    let upper = common::page(&out, "schools/by-levels/upper-secondary/index.html");
    assert!(upper.contains("Beta Secondary School") && !upper.contains("Alpha Primary School"));
    let schools = common::page(&out, "data/schools.csv");
    assert!(
        schools.contains(",lower-secondary; upper-secondary,"),
        "{schools}"
    );
    let page = common::page(&out, "schools/beta-secondary/index.html");
    assert!(
        page.contains("lower-secondary, upper-secondary"),
        "each value shown"
    );
}

#[test]
fn charts_and_search_read_declared_collections() {
    let out = out();
    let csv = common::page(&out, "charts/pupils-by-city.csv");
    assert!(csv.contains("Alpha,320"), "{csv}");
    assert!(csv.contains(",540"), "{csv}");
    assert!(out.get("charts/pupils-by-city/index.html").is_some());
    let index: Value = serde_json::from_str(&common::page(&out, "search-index.json")).unwrap();
    let entry = index["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["p"] == "schools/alpha-primary/")
        .expect("the school is in the search index");
    assert_eq!(entry["t"], "Alpha Primary School");
    assert_eq!(entry["k"], "School");
    assert_eq!(entry["s"], "Completed");
}

// ---------------------------------------------------------------- mistakes

/// `berpa check` of the fixture with `site.yaml` extended by `more` and the given files added.
fn check(more: &str, files: &[(&str, &str)]) -> Vec<Diag> {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixture("collections"), dir.path());
    let site = dir.path().join("site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap() + more;
    std::fs::write(&site, yaml).unwrap();
    for (rel, text) in files {
        std::fs::write(dir.path().join(rel), text).unwrap();
    }
    run(dir.path())
}

fn run(root: &Path) -> Vec<Diag> {
    common::check_json(env!("CARGO_BIN_EXE_berpa"), root)
}

/// The one error with this code in this file: at `line`, saying each of `says`.
fn expect(ds: &[Diag], code: &str, file: &str, line: usize, says: &[&str]) {
    let d = ds
        .iter()
        .find(|d| d.code == code && d.file == file && d.line == line)
        .unwrap_or_else(|| panic!("no {code} in {file} at line {line}: {ds:#?}"));
    for s in says {
        assert!(d.text.contains(s), "`{s}` not in: {}", d.text);
    }
}

/// The line of `site.yaml` (of the fixture extended by `more`) that starts with `start`.
fn line_of(more: &str, start: &str) -> usize {
    let yaml = std::fs::read_to_string(common::fixture("collections/site.yaml")).unwrap() + more;
    let lines: Vec<&str> = yaml.lines().collect();
    lines.iter().rposition(|l| l.starts_with(start)).unwrap() + 1
}

#[test]
fn bad_collection_names_are_errors_at_their_lines() {
    let long = "x".repeat(65);
    let more = format!(
        "  cities: {{label: {{en: Towns}}}}\n  data: {{label: {{en: Data}}}}\n  az: {{label: {{en: Az}}}}\n  Big_One: {{label: {{en: Big}}}}\n  {long}: {{label: {{en: Long}}}}\n"
    );
    let more = more.as_str();
    let ds = check(more, &[]);
    expect(
        &ds,
        "bad-collection",
        "site.yaml",
        line_of(more, "  cities"),
        &["one of berpa's own collections", "fields: {cities"],
    );
    for (start, says) in [
        ("  data", "berpa's pages, folders or languages"),
        ("  az", "berpa's pages, folders or languages"),
        ("  Big_One", "not a collection name"),
        ("  xxxx", "longer than 64 characters"),
    ] {
        expect(
            &ds,
            "bad-collection",
            "site.yaml",
            line_of(more, start),
            &[says],
        );
    }
    assert!(
        ds.iter().all(|d| d.file == "site.yaml"),
        "no record is judged against a wrong declaration: {ds:#?}"
    );
}

#[test]
fn bad_fields_of_a_collection_are_errors_at_their_lines() {
    let more = "  clinics:\n    label: {en: Clinics}\n    fields:\n      status: {type: number}\n      school: {type: reference, to: schols}\n      name: {type: text}\n";
    let ds = check(more, &[]);
    expect(
        &ds,
        "bad-field",
        "site.yaml",
        line_of(more, "      status"),
        &["`status` is one code from a list", "type: enum"],
    );
    expect(
        &ds,
        "bad-field",
        "site.yaml",
        line_of(more, "      school"),
        &["no collection `schols`", "did you mean `schools`"],
    );
    expect(
        &ds,
        "bad-field",
        "site.yaml",
        line_of(more, "      name"),
        &["built-in field of clinics", "collections.clinics.fields"],
    );
}

#[test]
fn only_lists_of_codes_or_references_are_grouped_by() {
    let more = "  clinics:\n    label: {en: Clinics}\n    fields:\n      beds: {type: list of number, group: true}\n";
    let ds = check(more, &[]);
    expect(
        &ds,
        "bad-field",
        "site.yaml",
        line_of(more, "      beds"),
        &["cannot be grouped by a list of number", "list of enum"],
    );
}

#[test]
fn a_bad_record_of_a_declared_collection_is_an_error_at_its_value() {
    let bad = "name: Bad school\nlocation: {lat: 91, lon: 46}\nstatus: finished\ncity: gamaa\n";
    let ds = check("", &[("content/schools/bad.yaml", bad)]);
    let file = "content/schools/bad.yaml";
    expect(&ds, "out-of-range", file, 2, &["latitude 91"]);
    expect(
        &ds,
        "invalid-value",
        file,
        3,
        &["`finished`", "in-progress"],
    );
    expect(
        &ds,
        "broken-reference",
        file,
        4,
        &["gamaa", "did you mean `gamma`"],
    );

    let ds = check("", &[("content/grants/nameless.yaml", "status: awarded\n")]);
    expect(
        &ds,
        "missing-field",
        "content/grants/nameless.yaml",
        1,
        &["grants record has no `name`"],
    );
    let ds = check(
        "",
        &[("content/schools/odd.yaml", "name: Odd\npupills: 3\n")],
    );
    expect(
        &ds,
        "unknown-field",
        "content/schools/odd.yaml",
        2,
        &[
            "did you mean the declared field `pupils`",
            "site.yaml declares: city",
        ],
    );
}

#[test]
fn a_collection_without_records_still_has_its_list_and_files() {
    let more = "  clinics:\n    label: {en: Clinics, az: Klinikalar}\n";
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixture("collections"), dir.path());
    let site = dir.path().join("site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap() + more;
    std::fs::write(&site, yaml).unwrap();
    let out = common::build_ok(dir.path());
    let list = common::page(&out, "az/clinics/index.html");
    assert!(list.contains("Klinikalar"));
    assert_eq!(
        common::page(&out, "data/clinics.csv").lines().count(),
        1,
        "a header and no rows"
    );
}

#[test]
fn berpa_new_writes_a_record_of_a_declared_collection() {
    let (_dir, site) = common::fixture_copy("collections");
    let berpa = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_berpa"))
            .args(args)
            .arg("--root")
            .arg(&site)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let o = berpa(&["new", "schools", "gamma-school"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let path = site.join("content/schools/gamma-school.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    for line in ["name:", "# pupils:", "# city:", "# status:"] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
    }
    assert!(text.contains("one of: primary | lower-secondary | upper-secondary"));
    // Filled in, `berpa check` accepts it.
    let filled = text
        .replace("\nname:\n", "\nname: Gamma School\n")
        .replace("# pupils:", "pupils: 12")
        .replace("# status:", "status: planned");
    std::fs::write(&path, filled).unwrap();
    let o = berpa(&["check"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // A misspelt collection is refused with the nearest one.
    let o = berpa(&["new", "school", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `schools`?"));
}
