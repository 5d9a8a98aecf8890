//! Fields a site declares in `site.yaml` (`fields:`, issue #24): each is a row of the field
//! table made at run time, shown, listed, exported and charted like a built-in field, and a bad
//! declaration or value is an error at its line with the fix. The fixture
//! `tests/fixtures/declared` (invented test data) declares one field of each type.

mod common;

use common::Diag;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn out() -> berpa::write::OutputSet {
    common::build_ok(&common::fixture("declared"))
}

#[test]
fn declared_fields_reach_pages_lists_and_charts() {
    let out = out();
    let project = common::page(&out, "projects/alpha-school/index.html");
    for label in [
        "Funding",
        "Contract number",
        "C-2022/17",
        "Grant",
        "Lead partner",
        "Step-free access",
    ] {
        assert!(project.contains(label), "the project page shows {label}");
    }
    let az = common::page(&out, "az/projects/alpha-school/index.html");
    assert!(az.contains("Müqavilə nömrəsi"), "labels are per language");
    assert!(
        project.contains(">Yes<") && az.contains(">Bəli<"),
        "a boolean in words"
    );
    let list = common::page(&out, "projects/index.html");
    assert!(list.contains("Funding"), "`list: true` is a list column");
    assert!(
        !list.contains("Contract number"),
        "a field without `list: true` is not"
    );
    let cities = common::page(&out, "cities/index.html");
    assert!(cities.contains("Households"));
    // A chart may group by a field with `group: true`.
    let chart = common::page(&out, "charts/by-funding.csv");
    assert!(chart.contains("grant"), "{chart}");
    // A declared reference is a back-link on the record it points at.
    let alpha = common::page(&out, "cities/alpha/index.html");
    assert!(
        alpha.contains("cities/beta/") || alpha.contains("../beta/"),
        "beta is twinned with alpha"
    );
}

#[test]
fn declared_fields_are_exported_in_csv_json_and_geojson() {
    let out = out();
    let csv = common::page(&out, "data/projects.csv");
    let header = csv.lines().next().unwrap();
    for col in [
        "funding",
        "contract_no_en",
        "contract_no_az",
        "signed",
        "grant_amount",
        "grant_currency",
        "tender_url",
        "accessible",
        "lead_partner",
        "phases",
    ] {
        assert!(
            header.split(',').any(|c| c == col),
            "projects.csv has `{col}`: {header}"
        );
    }
    assert!(csv.contains("grant,C-2022/17,C-2022/17,2022-02-01,150000,EUR,https://example.test/tender/17,true,friendland,1; 2"), "{csv}");
    let json: Value =
        serde_json::from_str(&common::page(&out, "projects/alpha-school.json")).unwrap();
    assert_eq!(json["funding"], "grant");
    assert_eq!(json["grant"]["currency"], "EUR");
    assert_eq!(json["grant"]["source"], "herald");
    assert_eq!(json["contract_no"]["en"], "C-2022/17");
    assert_eq!(json["accessible"], true);
    assert_eq!(json["lead_partner"], "friendland");
    assert_eq!(json["phases"], serde_json::json!([1.0, 2.0]));
    let geo: Value = serde_json::from_str(&common::page(&out, "data/cities.geojson")).unwrap();
    let beta = geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "beta")
        .unwrap();
    assert_eq!(beta["properties"]["households"], 120.0);
    assert_eq!(beta["properties"]["mayor_en"], "A. Test");
    assert_eq!(
        beta["properties"]["twinned_with"],
        serde_json::json!(["alpha"])
    );
    // The data package describes the columns, the reference as a foreign key.
    let pkg: Value = serde_json::from_str(&common::page(&out, "data/datapackage.json")).unwrap();
    let text = pkg.to_string();
    assert!(
        text.contains("\"households\"") && text.contains("\"lead_partner\""),
        "{text}"
    );
}

// ---------------------------------------------------------------- errors

/// `berpa check` of the fixture with `site.yaml` and the given files replaced.
fn check(site_yaml: Option<&str>, files: &[(&str, &str)]) -> Vec<Diag> {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixture("declared"), dir.path());
    if let Some(y) = site_yaml {
        std::fs::write(dir.path().join("site.yaml"), y).unwrap();
    }
    for (rel, text) in files {
        std::fs::write(dir.path().join(rel), text).unwrap();
    }
    run(dir.path())
}

fn run(root: &Path) -> Vec<Diag> {
    common::check_json(env!("CARGO_BIN_EXE_berpa"), root)
}

const HEAD: &str =
    "title: T\nbase_url: https://example.test/\nlanguages: [en, az]\nfields:\n  projects:\n";

/// Site.yaml with `line` as the one declared project field (line 6 of the file).
fn declaring(line: &str) -> String {
    format!("{HEAD}    {line}\n")
}

fn expect_one(ds: &[Diag], code: &str, file: &str, line: usize, column: usize, says: &[&str]) {
    let d = ds
        .iter()
        .find(|d| d.code == code && d.file == file)
        .unwrap_or_else(|| {
            panic!(
                "no {code} in {file}: {:?}",
                ds.iter()
                    .map(|d| (&d.code, &d.file, &d.text))
                    .collect::<Vec<_>>()
            )
        });
    assert_eq!((d.line, d.column), (line, column), "{}", d.text);
    for s in says {
        assert!(d.text.contains(s), "`{s}` not in: {}", d.text);
    }
}

#[test]
fn an_unknown_type_is_an_error_at_its_line_before_any_record_is_judged() {
    let ds = check(Some(&declaring("funding: {type: nubmer}")), &[]);
    expect_one(
        &ds,
        "bad-field",
        "site.yaml",
        6,
        21,
        &["`nubmer` is not a field type", "did you mean `number`?"],
    );
    assert!(
        ds.iter().all(|d| d.file == "site.yaml"),
        "records are not judged"
    );
}

#[test]
fn a_reference_to_a_missing_collection_is_an_error() {
    let ds = check(
        Some(&declaring("school: {type: reference, to: schols}")),
        &[],
    );
    expect_one(
        &ds,
        "bad-field",
        "site.yaml",
        6,
        35,
        &["there is no collection `schols`", "cities"],
    );
}

#[test]
fn a_built_in_name_and_a_changed_type_are_errors() {
    let ds = check(Some(&declaring("budget: {type: number}")), &[]);
    expect_one(
        &ds,
        "bad-field",
        "site.yaml",
        6,
        5,
        &[
            "`budget` is a built-in field of projects",
            "its type is money",
            "another name",
        ],
    );
    let ds = check(Some(&declaring("title: {type: text}")), &[]);
    expect_one(
        &ds,
        "bad-field",
        "site.yaml",
        6,
        5,
        &["built-in field of projects"],
    );
}

#[test]
fn names_of_pages_folders_and_languages_are_refused() {
    for name in [
        "data", "map", "charts", "updates", "sources", "az", "cities",
    ] {
        let ds = check(Some(&declaring(&format!("{name}: {{type: text}}"))), &[]);
        expect_one(&ds, "bad-field", "site.yaml", 6, 5, &["another name"]);
    }
}

#[test]
fn a_field_of_a_collection_that_does_not_exist_is_an_error() {
    let ds = check(
        Some(&format!(
            "{}  shcools:\n    pupils: {{type: number}}\n",
            HEAD.trim_end_matches("  projects:\n")
        )),
        &[],
    );
    expect_one(
        &ds,
        "bad-field",
        "site.yaml",
        5,
        3,
        &["there is no collection `shcools`"],
    );
}

#[test]
fn a_value_outside_an_enum_names_the_allowed_values() {
    let rec = std::fs::read_to_string(common::fixture(
        "declared/content/projects/alpha-school.yaml",
    ))
    .unwrap()
    .replace("funding: grant", "funding: gant");
    let line = rec.lines().position(|l| l.starts_with("funding:")).unwrap() + 1;
    let ds = check(None, &[("content/projects/alpha-school.yaml", &rec)]);
    expect_one(
        &ds,
        "invalid-value",
        "content/projects/alpha-school.yaml",
        line,
        10,
        &[
            "`gant` is not a value of `funding`",
            "did you mean `grant`?",
            "grant, loan, budget",
        ],
    );
}

#[test]
fn a_value_of_the_wrong_type_is_an_error_at_the_value() {
    let rec = std::fs::read_to_string(common::fixture("declared/content/cities/beta.yaml"))
        .unwrap()
        .replace("households: 120", "households: many");
    let line = rec
        .lines()
        .position(|l| l.starts_with("households:"))
        .unwrap()
        + 1;
    let ds = check(None, &[("content/cities/beta.yaml", &rec)]);
    expect_one(
        &ds,
        "invalid-value",
        "content/cities/beta.yaml",
        line,
        13,
        &[
            "`households` must be a number",
            "declares `households` as a number",
        ],
    );
}

#[test]
fn a_declared_reference_is_checked() {
    let rec = std::fs::read_to_string(common::fixture(
        "declared/content/projects/alpha-school.yaml",
    ))
    .unwrap()
    .replace("lead_partner: friendland", "lead_partner: frendland");
    let line = rec
        .lines()
        .position(|l| l.starts_with("lead_partner:"))
        .unwrap()
        + 1;
    let ds = check(None, &[("content/projects/alpha-school.yaml", &rec)]);
    expect_one(
        &ds,
        "broken-reference",
        "content/projects/alpha-school.yaml",
        line,
        15,
        &["did you mean `friendland`?"],
    );
}

#[test]
fn an_undeclared_field_suggests_the_nearest_declared_one_and_how_to_declare() {
    let rec = std::fs::read_to_string(common::fixture("declared/content/cities/beta.yaml"))
        .unwrap()
        .replace("households: 120", "housholds: 120");
    let line = rec
        .lines()
        .position(|l| l.starts_with("housholds:"))
        .unwrap()
        + 1;
    let ds = check(None, &[("content/cities/beta.yaml", &rec)]);
    expect_one(
        &ds,
        "unknown-field",
        "content/cities/beta.yaml",
        line,
        1,
        &[
            "did you mean the declared field `households`?",
            "declare it in site.yaml",
            "fields:",
        ],
    );
}

#[test]
fn berpa_init_shows_a_declared_field() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_berpa"))
        .arg("init")
        .arg(&site)
        .status()
        .unwrap();
    assert!(status.success());
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(yaml.contains("households: {type: number"), "{yaml}");
    let out = common::build_ok(&site);
    let page = common::page(&out, "cities/sample-village/index.html");
    assert!(
        page.contains("Households") && page.contains("140"),
        "{page}"
    );
    let az = common::page(&out, "az/cities/index.html");
    assert!(
        az.contains("Ev təsərrüfatları"),
        "the list column, labelled in az"
    );
}

#[test]
fn oc4ids_carries_declared_fields_as_additional_fields() {
    let out = out();
    let pkg: Value = serde_json::from_str(&common::page(&out, "data/oc4ids.json")).unwrap();
    let project = pkg["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"].as_str().unwrap().ends_with("project-alpha-school"))
        .unwrap();
    let extra = &project["additionalFields"];
    assert_eq!(extra["funding"], "grant");
    assert_eq!(extra["grant"]["amount"], 150000.0);
    assert_eq!(extra["tender_url"], "https://example.test/tender/17");
    // (tests/open_data.rs validates this package against the OC4IDS schemas.)
}
