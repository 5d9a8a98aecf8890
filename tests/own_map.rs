//! The located records of collections a site declares on the maps (issue #24 item 3): each is
//! a marker on the site map, a link to its page named with its collection, listed in the
//! legend and the table of places; its page has a locator map with it highlighted. The
//! fixture `tests/fixtures/collections` (invented test data) declares `schools` (one located,
//! one not) and `grants` (none located).

mod common;

fn out() -> berpa::write::OutputSet {
    common::build_ok(&common::fixture("collections"))
}

/// The SVG of the figure whose class starts with `class` on a page.
fn svg<'a>(html: &'a str, class: &str) -> &'a str {
    let at = html
        .find(&format!("<figure class=\"{class}"))
        .unwrap_or_else(|| panic!("no figure {class}"));
    let rest = &html[at..];
    let start = rest.find("<svg").expect("an svg in the figure");
    let end = rest.find("</svg>").expect("the svg ends");
    &rest[start..end]
}

/// The text of the legend's words and labels: each `<text>`'s content.
fn texts(svg: &str) -> Vec<&str> {
    svg.split("</text>")
        .filter_map(|t| t.rsplit('>').next())
        .collect()
}

#[test]
fn located_records_are_markers_on_the_map_in_every_language() {
    let out = out();
    for (prefix, name, one, many, grants) in [
        ("", "Alpha Primary School", "School", "Schools", "Grants"),
        (
            "az/",
            "Alfa ibtidai məktəbi",
            "Məktəb",
            "Məktəblər",
            "Qrantlar",
        ),
    ] {
        let page = common::page(&out, &format!("{prefix}map/index.html"));
        let map = svg(&page, "map\"");
        let link = format!("<a href=\"../schools/alpha-primary/\" aria-label=\"{name} ({one})\">");
        assert!(map.contains(&link), "{prefix}: {link} in {map}");
        // The link holds the marker: the school's rim and its collection's fill.
        let after = &map[map.find(&link).unwrap() + link.len()..];
        let inside = &after[..after.find("</a>").unwrap()];
        assert!(inside.contains("<polygon"), "{inside}");
        assert!(
            inside.contains("f-c0"),
            "schools are the first palette colour: {inside}"
        );
        let words = texts(map);
        assert!(
            words.contains(&many),
            "{prefix}: {many} in the legend {words:?}"
        );
        assert!(!words.contains(&grants), "{prefix}: no grant is on the map");
        assert!(
            !map.contains("beta-secondary"),
            "the unlocated school is not drawn"
        );
        assert!(!map.contains("grants/"), "grants have no location");
        // The table of places lists it with its collection.
        let row = format!("<a href=\"../schools/alpha-primary/\">{name}</a></th><td>{one}</td>");
        assert!(page.contains(&row), "{prefix}: {row}");
        assert!(!page.contains("<a href=\"../schools/beta-secondary/\">"));
        // The description names it too.
        let desc = &map[map.find("<desc").unwrap()..map.find("</desc>").unwrap()];
        assert!(desc.contains(&format!("{many}: {name}")), "{desc}");
    }
}

#[test]
fn a_located_record_has_a_locator_map_with_its_marker_highlighted() {
    let out = out();
    for prefix in ["", "az/"] {
        let page = common::page(&out, &format!("{prefix}schools/alpha-primary/index.html"));
        let map = svg(&page, "map map-locator");
        // Highlighted: its marker in the highlight colour, ringed, on its light rim.
        assert!(map.contains("class=\"f-hl\""), "{prefix}: {map}");
        assert!(map.contains("class=\"s-hl\""), "{prefix}: the ring");
        assert!(!map.contains("<a "), "a locator map has no links");
        // It is named first; the settlements near it are drawn (Alpha, a resettled city, is
        // a filled circle beside the school).
        let words = texts(map);
        let school = if prefix.is_empty() {
            "Alpha Primary School"
        } else {
            "Alfa ibtidai məktəbi"
        };
        assert!(words.contains(&school), "{prefix}: its name {words:?}");
        assert!(map.contains("<circle"), "{prefix}: Alpha is drawn: {map}");
        assert!(map.contains("f-st-done"), "{prefix}: as resettled");
        let unlocated = common::page(&out, &format!("{prefix}schools/beta-secondary/index.html"));
        assert!(
            !unlocated.contains("map-locator"),
            "{prefix}: no place, no map"
        );
        let grant = common::page(&out, &format!("{prefix}grants/books/index.html"));
        assert!(
            !grant.contains("map-locator"),
            "{prefix}: a grant has no map"
        );
    }
}

#[test]
fn a_settlements_locator_map_shows_the_records_near_it() {
    let out = out();
    let page = common::page(&out, "cities/alpha/index.html");
    let map = svg(&page, "map map-locator");
    assert!(
        map.contains("class=\"f-c0\""),
        "the school near Alpha: {map}"
    );
}
