//! Money on projects: `budget`, `contract_value` and `final_cost`, each `{amount, currency,
//! date?, source?}`. Built from `tests/fixtures/money`, whose records and amounts are made up.
//! The open data has an amount and a currency column per field, pages show amounts with the
//! reader's language's separators and the currency code, and totals never add currencies up.

mod common;
use common::*;

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The money fixture, built once for all the tests of this file.
fn site() -> &'static berpa::write::OutputSet {
    static OUT: OnceLock<berpa::write::OutputSet> = OnceLock::new();
    OUT.get_or_init(|| build_ok(&fixture("money")))
}

/// A page's text with no-break spaces as spaces (Azerbaijani groups digits with them).
fn text(path: &str) -> String {
    page(site(), path).replace('\u{a0}', " ")
}

/// `data/projects.csv` as rows of column → value, by project id.
fn projects_csv() -> (Vec<String>, BTreeMap<String, BTreeMap<String, String>>) {
    let bytes = site().get("data/projects.csv").expect("projects.csv");
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let mut rows = BTreeMap::new();
    for rec in r.records() {
        let row: BTreeMap<String, String> = header
            .iter()
            .cloned()
            .zip(rec.unwrap().iter().map(String::from))
            .collect();
        rows.insert(row["id"].clone(), row);
    }
    (header, rows)
}

#[test]
fn the_projects_csv_has_an_amount_and_a_currency_column_per_money_field() {
    let (header, rows) = projects_csv();
    for field in ["budget", "contract_value", "final_cost"] {
        for col in [format!("{field}_amount"), format!("{field}_currency")] {
            assert!(header.contains(&col), "no column {col} in {header:?}");
        }
    }
    let school = &rows["school"];
    assert_eq!(school["budget_amount"], "12000000");
    assert_eq!(school["budget_currency"], "AZN");
    assert_eq!(school["contract_value_amount"], "11000000");
    assert_eq!(school["final_cost_amount"], "13200000");
    assert_eq!(school["final_cost_currency"], "AZN");
    assert_eq!(rows["clinic"]["budget_currency"], "USD");
    assert_eq!(rows["bridge"]["contract_value_amount"], "950000.5");
    assert_eq!(rows["park"]["budget_amount"], "");
    assert_eq!(rows["park"]["budget_currency"], "");

    // The record's own JSON keeps the date and the source of an amount.
    let json: serde_json::Value =
        serde_json::from_slice(site().get("projects/school.json").unwrap()).unwrap();
    assert_eq!(json["budget"]["date"], "2022-01-10");
    assert_eq!(json["budget"]["source"], "ledger");
    assert_eq!(json["final_cost"]["amount"], 13200000.0);
    assert!(json["contract_value"].get("date").is_none());
}

#[test]
fn amounts_are_formatted_per_language_with_the_currency_code() {
    let en = text("projects/school/index.html");
    assert!(en.contains("12,000,000 AZN"), "{en}");
    assert!(en.contains("Contract value") && en.contains("11,000,000 AZN"));
    assert!(en.contains("Final cost") && en.contains("13,200,000 AZN"));
    let az = text("az/projects/school/index.html");
    assert!(
        az.contains("Büdcə") && az.contains("12 000 000 AZN"),
        "{az}"
    );
    assert!(az.contains("Müqavilə dəyəri") && az.contains("Yekun xərc"));
    assert!(text("az/projects/bridge/index.html").contains("950 000,5 AZN"));

    // The projects list has a budget column; a project with no budget shows a dash.
    let list = text("projects/index.html");
    assert!(list.contains(">Budget<"), "{list}");
    for amount in ["12,000,000 AZN", "3,500,000 USD", "1,000,000 AZN"] {
        assert!(list.contains(amount), "the list shows {amount}");
    }
    assert!(text("az/projects/index.html").contains("3 500 000 USD"));
}

#[test]
fn totals_are_given_per_currency_never_added_across_currencies() {
    // Home: 12,000,000 + 1,000,000 AZN and 3,500,000 USD; three of four projects have a budget.
    let home = text("index.html");
    assert!(home.contains("Budget of projects"), "{home}");
    assert!(home.contains("13,000,000 AZN; 3,500,000 USD"), "{home}");
    assert!(home.contains("3 of 4 projects have a budget"));
    assert!(
        !home.contains("16,500,000"),
        "AZN and USD are never added up"
    );
    assert!(text("az/index.html").contains("13 000 000 AZN; 3 500 000 USD"));

    // A settlement: Northtown has the school (AZN) and the clinic (USD).
    let north = text("cities/north/index.html");
    assert!(north.contains("12,000,000 AZN; 3,500,000 USD"), "{north}");
    assert!(text("cities/south/index.html").contains("1,000,000 AZN"));
    // A partner: a project with two partners counts in full for each.
    let ruritania = text("partners/ruritania/index.html");
    assert!(ruritania.contains("13,000,000 AZN"), "{ruritania}");
    assert!(!ruritania.contains("USD"));
    let fund = text("partners/fund/index.html");
    assert!(fund.contains("1,000,000 AZN; 3,500,000 USD"), "{fund}");
    assert!(text("az/partners/fund/index.html").contains("Layihələrin büdcəsi"));
}

#[test]
fn oc4ids_maps_budget_contract_value_and_final_cost() {
    let pkg: serde_json::Value =
        serde_json::from_slice(site().get("data/oc4ids.json").unwrap()).unwrap();
    let school = pkg["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "North school")
        .unwrap();
    let value = |amount: f64| serde_json::json!({"amount": amount, "currency": "AZN"});
    assert_eq!(school["budget"]["amount"], value(12000000.0));
    assert_eq!(school["completion"]["finalValue"], value(13200000.0));
    assert_eq!(school["completion"]["endDate"], "2023-09-01T00:00:00Z");
    assert_eq!(school["period"]["endDate"], "2023-03-01T00:00:00Z");
    let process = &school["contractingProcesses"][0];
    assert_eq!(process["id"], "school-contract");
    assert_eq!(process["summary"]["contractValue"], value(11000000.0));
}

#[test]
fn a_project_page_shows_its_final_cost_against_its_budget() {
    // 13,200,000 against 12,000,000 AZN: 10% over.
    let en = text("projects/school/index.html");
    assert!(en.contains("Final cost against budget"), "{en}");
    assert!(en.contains("10% over budget"), "{en}");
    assert!(text("az/projects/school/index.html").contains("büdcədən 10% çox"));
    // No final cost: nothing to compare.
    assert!(!text("projects/bridge/index.html").contains("Final cost against budget"));
}

/// The money fixture with an exchange-rate table in its `site.yaml` (made-up rates).
fn with_rates(rates: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (t, root) = fixture_copy("money");
    let mut cfg = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    cfg.push_str(rates);
    std::fs::write(root.join("site.yaml"), cfg).unwrap();
    (t, root)
}

const RATES: &str = "exchange_rates:\n  to: USD\n  source: {en: Test Bank, az: Test Bankı}\n  date: 2025-06-30\n  rates: {AZN: 0.5}\n";

#[test]
fn declared_exchange_rates_convert_totals_and_say_whose_rates_of_which_day() {
    let (_t, root) = with_rates(RATES);
    let out = build_ok(&root);
    let home = page(&out, "index.html");
    // 13,000,000 AZN × 0.5 + 3,500,000 USD = 10,000,000 USD; each currency is still given.
    assert!(
        home.contains("13,000,000 AZN; 3,500,000 USD (≈ 10,000,000 USD at the exchange rates of Test Bank, 30 June 2025)"),
        "{home}"
    );
    let az = page(&out, "az/index.html").replace('\u{a0}', " ");
    assert!(
        az.contains("≈ 10 000 000 USD, Test Bankı məzənnələri ilə"),
        "{az}"
    );
    // A group of amounts in one currency other than `to` is converted too; one in `to` is not.
    let r = page(&out, "projects/by-partners/ruritania/index.html");
    assert!(
        r.contains("13,000,000 AZN (≈ 6,500,000 USD at the exchange rates of Test Bank"),
        "{r}"
    );
    let clinic = page(&out, "projects/by-sector/health/index.html");
    assert!(clinic.contains("<dd>3,500,000 USD</dd>"), "{clinic}");
}

#[test]
fn a_currency_without_a_rate_is_never_added_up() {
    let (_t, root) = with_rates(
        "exchange_rates:\n  to: EUR\n  source: Test Bank\n  date: 2025-06-30\n  rates: {AZN: 0.5}\n",
    );
    let out = build_ok(&root);
    let home = page(&out, "index.html");
    assert!(home.contains("13,000,000 AZN; 3,500,000 USD"), "{home}");
    assert!(!home.contains("≈"), "USD has no rate: {home}");
}

#[test]
fn a_bad_exchange_rate_table_is_an_error_at_its_line() {
    let (_t, root) = with_rates(
        "exchange_rates:\n  to: usd\n  source: Test Bank\n  date: 2025-06-30\n  rates: {AZN: 0, XYZ: 2}\n",
    );
    let b = berpa::build_in_memory(&berpa::Options {
        root: root.clone(),
        ..Default::default()
    });
    assert!(b.output.is_none());
    let got: Vec<(usize, String)> = b
        .diagnostics
        .items()
        .iter()
        .filter(|d| d.file == "site.yaml" && d.code == "bad-config")
        .map(|d| (d.line, d.message.clone()))
        .collect();
    let lines = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    let line_of = |needle: &str| lines.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for (needle, msg) in [
        ("to: usd", "`usd` is not a currency code"),
        ("  rates:", "the rate of AZN is 0"),
        ("  rates:", "`XYZ` is not a currency code"),
    ] {
        assert!(
            got.iter()
                .any(|(l, m)| *l == line_of(needle) && m.contains(msg)),
            "no `{msg}` at line {} in {got:?}",
            line_of(needle)
        );
    }
}

#[test]
fn home_budget_charts_sum_in_one_currency_only() {
    // AZN and USD and no rates: one chart per currency, none adding them up.
    assert!(site().get("charts/budget-by-sector.csv").is_none());
    let home = text("index.html");
    for id in [
        "chart-budget-by-sector-azn",
        "chart-budget-by-sector-usd",
        "chart-funding-by-partner-azn",
        "chart-funding-by-partner-usd",
    ] {
        assert!(home.contains(id), "no {id} on the home page");
    }
    let azn = String::from_utf8(
        site()
            .get("charts/budget-by-sector-azn.csv")
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(
        azn.contains("Education,12000000") && azn.contains("Transport,1000000"),
        "{azn}"
    );
    assert!(
        !azn.contains("Health"),
        "the clinic's budget is in USD: {azn}"
    );
    let usd = String::from_utf8(
        site()
            .get("charts/budget-by-sector-usd.csv")
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(
        usd.contains("Health,3500000") && !usd.contains("Education"),
        "{usd}"
    );
    // With rates: budget by sector and funding by partner, converted, saying whose rates.
    let (_t, root) = with_rates(RATES);
    let out = build_ok(&root);
    let home = page(&out, "index.html");
    for id in ["chart-budget-by-sector", "chart-funding-by-partner"] {
        assert!(home.contains(id), "no {id} on the home page");
    }
    assert!(home.contains("converted at the exchange rates of Test Bank, 30 June 2025"));
    let csv = String::from_utf8(out.get("charts/budget-by-sector.csv").unwrap().to_vec()).unwrap();
    // School 12,000,000 AZN × 0.5; clinic 3,500,000 USD; bridge 1,000,000 AZN × 0.5.
    for row in ["Education,6000000", "Health,3500000", "Transport,500000"] {
        assert!(csv.contains(row), "no {row} in {csv}");
    }
    let partners =
        String::from_utf8(out.get("charts/funding-by-partner.csv").unwrap().to_vec()).unwrap();
    // The fund: bridge 500,000 + clinic 3,500,000 (USD).
    assert!(partners.contains("Test Fund,4000000"), "{partners}");
    assert!(out.get("az/charts/funding-by-partner.csv").is_some());
}

#[test]
fn a_chart_summing_money_in_several_currencies_needs_exchange_rates() {
    let chart = "title: Budgets\nheadline: Budgets by sector\ntype: bar\ndata:\n  collection: projects\n  group_by: sector\n  aggregate: sum\n  field: budget\n";
    let (_t, root) = fixture_copy("money");
    std::fs::create_dir_all(root.join("content/charts")).unwrap();
    std::fs::write(root.join("content/charts/budgets.yaml"), chart).unwrap();
    let b = berpa::build_in_memory(&berpa::Options {
        root: root.clone(),
        ..Default::default()
    });
    let d = b
        .diagnostics
        .items()
        .iter()
        .find(|d| d.code == "chart-spec")
        .expect("a chart-spec error");
    assert_eq!(
        (d.file.as_str(), d.line),
        ("content/charts/budgets.yaml", 8)
    );
    assert!(d.message.contains("AZN, USD"), "{}", d.message);
    assert!(d.help.as_deref().unwrap_or("").contains("exchange_rates"));
    assert!(d.help.as_deref().unwrap_or("").contains("currency: AZN"));
    // One currency's amounts need no rates; a currency that is no code is an error at its line.
    let one = format!("{chart}  currency: USD\n");
    std::fs::write(root.join("content/charts/budgets.yaml"), &one).unwrap();
    let out = build_ok(&root);
    let csv = String::from_utf8(out.get("charts/budgets.csv").unwrap().to_vec()).unwrap();
    assert!(
        csv.contains("Health,3500000") && !csv.contains("Education"),
        "{csv}"
    );
    std::fs::write(
        root.join("content/charts/budgets.yaml"),
        format!("{chart}  currency: usd\n"),
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
        .find(|d| d.code == "chart-spec")
        .expect("an error");
    assert_eq!(d.line, 9);
    assert!(
        d.message.contains("`usd` is not a currency code"),
        "{}",
        d.message
    );
    std::fs::write(root.join("content/charts/budgets.yaml"), chart).unwrap();
    // With rates it is drawn, converted.
    let mut cfg = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    cfg.push_str(RATES);
    std::fs::write(root.join("site.yaml"), cfg).unwrap();
    let out = build_ok(&root);
    let csv = String::from_utf8(out.get("charts/budgets.csv").unwrap().to_vec()).unwrap();
    assert!(csv.contains("Health,3500000"), "{csv}");
}

#[test]
fn a_project_page_shows_its_completion_against_the_plan() {
    let school = text("projects/school/index.html");
    assert!(school.contains("Planned completion"), "{school}");
    assert!(school.contains("1 March 2023"), "{school}");
    assert!(school.contains("6 months later than planned"), "{school}");
    let az = text("az/projects/school/index.html");
    assert!(az.contains("plandan 6 ay gec"), "{az}");
    let (header, rows) = projects_csv();
    assert!(header.contains(&"planned_completion".to_string()));
    assert_eq!(rows["school"]["planned_completion"], "2023-03-01");
    // A project with no plan, or not completed, says nothing of it.
    assert!(!text("projects/clinic/index.html").contains("than planned"));
}
