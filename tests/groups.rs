//! Pages per group (`<collection>/by-<field>/<value>/`): a page per value of every field the
//! field table lets charts group by (codes, references, texts), with its records, totals and a
//! small chart; an index of values; links from each record; both languages; the sitemap; and
//! addresses reserved for them. Built from `tests/fixtures/money` (made-up records), with a
//! road added where a test needs kilometres.

mod common;
use common::*;

use std::sync::OnceLock;

fn site() -> &'static berpa::write::OutputSet {
    static OUT: OnceLock<berpa::write::OutputSet> = OnceLock::new();
    OUT.get_or_init(|| {
        let (_t, root) = fixture_copy("money");
        std::fs::create_dir_all(root.join("content/roads")).unwrap();
        for (id, from, to, km, status) in [
            ("north-south", "north", "south", "12.5", "open"),
            ("south-north", "south", "north", "30", "open"),
            ("north-loop", "north", "north", "4", "under-construction"),
        ] {
            std::fs::write(
                root.join(format!("content/roads/{id}.yaml")),
                format!(
                    "# Made-up test data.\nname: {{en: Road {id}, az: Yol {id}}}\nfrom: {from}\nto: {to}\nlength_km: {km}\nstatus: {status}\nsources: [ledger]\nupdated: 2025-05-01\n"
                ),
            )
            .unwrap();
        }
        build_ok(&root)
    })
}

fn text(path: &str) -> String {
    page(site(), path).replace('\u{a0}', " ")
}

/// The record links of a group page's table, in order.
fn listed(html: &str) -> Vec<String> {
    let table = html
        .split("class=\"data records")
        .nth(1)
        .expect("a records table");
    let body = table
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    links(body)
        .into_iter()
        .filter(|l| !l.contains("/by-"))
        .collect()
}

#[test]
fn each_value_of_a_grouped_field_has_a_page_at_its_address_in_every_language() {
    for path in [
        "projects/by-sector/education/index.html",
        "projects/by-sector/transport/index.html",
        "projects/by-status/in-progress/index.html",
        "projects/by-partners/fund/index.html",
        "cities/by-district/north/index.html",
        "roads/by-status/open/index.html",
    ] {
        assert!(site().get(path).is_some(), "no {path}");
        assert!(site().get(&format!("az/{path}")).is_some(), "no az/{path}");
    }
    // Only the fields the table marks (the list, and declared fields with
    // `group: true`) have pages: a project's place or a partner's kind has none.
    for path in ["projects/by-city/index.html", "partners/by-kind/index.html"] {
        assert!(site().get(path).is_none(), "{path} should not exist");
    }
    // A value no record has gets no page; a number or a date gets none at all.
    assert!(
        site()
            .get("projects/by-sector/aviation/index.html")
            .is_none()
    );
    assert!(site().get("roads/by-length-km/index.html").is_none());
    assert!(site().get("projects/by-completed/index.html").is_none());
    let sitemap = String::from_utf8(site().get("sitemap.xml").unwrap().to_vec()).unwrap();
    assert!(sitemap.contains("https://example.test/projects/by-sector/education/"));
    assert!(sitemap.contains("https://example.test/az/projects/by-sector/education/"));
}

#[test]
fn a_value_page_lists_its_records_and_totals_money_per_currency() {
    let html = text("projects/by-partners/fund/index.html");
    assert!(
        html.contains("<h1>Projects — Partners: Test Fund</h1>"),
        "{html}"
    );
    let mut got = listed(&html);
    got.sort();
    assert_eq!(
        got,
        ["../../../projects/bridge/", "../../../projects/clinic/"]
    );
    assert!(html.contains("2 records"), "{html}");
    // Two currencies: two totals, never one sum.
    assert!(
        html.contains("<dd>1,000,000 AZN; 3,500,000 USD</dd>"),
        "{html}"
    );
    // Ruritania's projects are both in AZN: one sum.
    let r = text("projects/by-partners/ruritania/index.html");
    assert!(r.contains("<dd>13,000,000 AZN</dd>"), "{r}");
    // Azerbaijani separators.
    let az = text("az/projects/by-partners/ruritania/index.html");
    assert!(az.contains("13 000 000 AZN"), "{az}");
}

#[test]
fn a_road_group_sums_its_kilometres_and_draws_a_chart() {
    let html = text("roads/by-status/open/index.html");
    assert!(html.contains("42.5 km"), "{html}");
    let mut got = listed(&html);
    got.sort();
    assert_eq!(
        got,
        ["../../../roads/north-south/", "../../../roads/south-north/"]
    );
    assert!(
        html.contains("chart-group-roads-status-open"),
        "no chart in {html}"
    );
    assert!(site().get("charts/group-roads-status-open.csv").is_some());
    assert!(
        site()
            .get("az/charts/group-roads-status-open.csv")
            .is_some()
    );
    // A text field's value (the district) is grouped by its default-language text.
    let d = text("cities/by-district/north/index.html");
    assert_eq!(listed(&d), ["../../../cities/north/"]);
}

#[test]
fn the_index_lists_every_value_with_its_count_and_records_link_to_their_groups() {
    let html = text("projects/by-sector/index.html");
    for path in ["education/", "health/", "transport/", "culture/"] {
        let link = format!("href=\"../../projects/by-sector/{path}\">");
        assert!(html.contains(&link), "no {link} in {html}");
    }
    assert!(html.contains("(1)"), "{html}");
    let school = text("projects/school/index.html");
    assert!(
        school.contains("href=\"../../projects/by-sector/education/\""),
        "{school}"
    );
    assert!(school.contains("href=\"../../projects/by-status/completed/\""));
    assert!(school.contains("href=\"../../projects/by-partners/ruritania/\""));
    let list = text("projects/index.html");
    assert!(list.contains("href=\"../projects/by-sector/\""), "{list}");
    assert!(
        broken_links(site()).is_empty(),
        "{:?}",
        broken_links(site())
    );
}

#[test]
fn a_record_or_page_at_a_group_address_is_an_error_naming_its_file() {
    let (_t, root) = fixture_copy("money");
    std::fs::write(
        root.join("content/projects/by-sector.yaml"),
        "title: {en: X}\nsector: health\nstatus: planned\nsources: [ledger]\nupdated: 2025-05-01\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/pages/projects/by-status")).unwrap();
    std::fs::write(
        root.join("content/pages/projects/by-status/notes.md"),
        "---\ntitle: Notes\n---\nText.\n",
    )
    .unwrap();
    let b = berpa::build_in_memory(&berpa::Options {
        root: root.clone(),
        ..Default::default()
    });
    let errors: Vec<_> = b
        .diagnostics
        .items()
        .iter()
        .filter(|d| d.code == "reserved-page")
        .map(|d| (d.file.clone(), d.message.clone()))
        .collect();
    assert!(
        errors
            .iter()
            .any(|(f, m)| f == "content/projects/by-sector.yaml"
                && m.contains("projects/by-sector/")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|(f, _)| f.ends_with("pages/projects/by-status/notes.md")),
        "{errors:?}"
    );
    assert!(b.output.is_none());
}

#[test]
fn a_site_chart_named_like_a_group_chart_is_a_collision_naming_the_chart_file() {
    let (_t, root) = fixture_copy("money");
    std::fs::create_dir_all(root.join("content/charts")).unwrap();
    std::fs::write(
        root.join("content/charts/group-projects-sector-education.yaml"),
        "title: Mine\nheadline: Mine\ntype: bar\ndata:\n  collection: projects\n  group_by: status\n",
    )
    .unwrap();
    let b = berpa::build_in_memory(&berpa::Options {
        root: root.clone(),
        ..Default::default()
    });
    assert!(b.output.is_none());
    let d = b
        .diagnostics
        .items()
        .iter()
        .find(|d| d.code == "output-collision")
        .expect("an output-collision error");
    assert_eq!(
        d.file,
        "content/charts/group-projects-sector-education.yaml"
    );
    assert!(
        d.message
            .contains("charts/group-projects-sector-education.csv"),
        "{}",
        d.message
    );
    assert!(d.message.contains("group page"), "{}", d.message);
}
