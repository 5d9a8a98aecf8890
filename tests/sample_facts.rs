//! The sample report's facts that a fact audit corrected (issue #27), held against the corrected
//! reference facts as the content cites them: each assertion fails if the old error comes back.

mod common;
use common::*;

use berpa::site::model::{Date, Records, Text};

fn sample_records() -> Records {
    let (recs, _) = berpa::load::load(&repo(), &["en".to_string(), "az".to_string()]);
    recs
}

fn en(t: &Text) -> String {
    t.in_lang("en", "en").to_string()
}

#[test]
fn the_aghali_figure_is_credited_to_the_january_2024_item() {
    let recs = sample_records();
    let ind = recs
        .indicators
        .iter()
        .find(|i| i.meta.id == "aghali-residents")
        .expect("the sample tracks Aghali");
    let o = ind
        .data
        .observations
        .iter()
        .find(|o| o.value == 871.0)
        .expect("the 871 people");
    let src = recs.source(o.source.as_deref().unwrap()).unwrap();
    assert_eq!(src.data.published, Some(Date::ymd(2024, 1, 15)));
    assert_eq!(en(&src.data.publisher), "AzerNews");
    assert_ne!(
        src.data.url.as_deref(),
        Some("https://www.azernews.az/nation/197195.html"),
        "the July 2022 article does not give the figure"
    );
}

#[test]
fn returnees_are_not_a_share_of_the_residents_target() {
    let recs = sample_records();
    let ind = |id: &str| {
        recs.indicators
            .iter()
            .find(|i| i.meta.id == id)
            .unwrap_or_else(|| panic!("the sample has {id}"))
    };
    assert!(
        ind("people-returned").data.target.is_none(),
        "the 140,000 target counts residents, not returnees"
    );
    let t = ind("residents").data.target.as_ref().expect("a target");
    assert_eq!(t.value, 140000.0);
}

#[test]
fn republished_pages_credit_their_original_outlet() {
    let recs = sample_records();
    for (id, outlet) in [
        ("menafn-2023-12-18-fuzuli", "Trend News Agency"),
        ("menafn-prosecutor-general-mine-victims-2024", "AzerNews"),
        ("menafn-2025-07-26-toghanali-istisu", "AzerNews"),
        ("azernews-2024-01-aghali", "AzerNews"),
    ] {
        let s = recs.source(id).unwrap();
        assert_eq!(en(&s.data.publisher), outlet, "{id}");
        assert!(
            s.data.url.as_deref().unwrap().contains("menafn.com"),
            "{id}"
        );
        assert!(
            en(&s.data.summary).contains("MENAFN"),
            "{id} says where it was read"
        );
    }
}

#[test]
fn dost_agropark_is_no_project_of_the_turkish_state_and_the_lachin_airport_is_not_on_lachin() {
    let recs = sample_records();
    let project = |id: &str| recs.projects.iter().find(|p| p.meta.id == id).unwrap();
    let dost = project("dost-agropark");
    assert!(dost.data.partners.is_empty());
    assert!(en(&dost.data.summary).contains("private"));
    let airport = project("lachin-international-airport");
    assert_eq!(
        airport.data.city, None,
        "no coordinates for Gorchu: the map must not draw it on Lachin city"
    );
    let out = build_ok(&repo());
    let map = page(&out, "map/index.html");
    let lachin_row = map
        .split("<tr>")
        .find(|r| r.contains(">Lachin</a>"))
        .expect("Lachin in the map's table");
    assert!(!lachin_row.contains(">Airport<"), "{lachin_row}");
    // Fuzuli's airport is still drawn on Fuzuli, so the badge is there to find.
    assert!(map.contains("Fuzuli</a> <span class=\"badge\">Airport</span>"));
}
