//! Background map layers (`content/geo/`): drawn in the site map and in locator maps, clipped
//! to each map's box and simplified, credited under the maps and on the Data page in every
//! language, and their mistakes reported at their file with a fix.

mod common;
use common::{build_ok, copy_tree, fixture, page};

/// The mini fixture with `files` added (invented test data: a made-up coast and river).
fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    copy_tree(&fixture("mini"), t.path());
    for (p, text) in files {
        let path = t.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    t
}

/// A land polygon far larger than the fixture's maps, with a hole, so it must be clipped.
const LAND: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"Testland"},"geometry":{"type":"Polygon","coordinates":[
[[30,30],[60,30],[60,50],[30,50],[30,30]],
[[46.5,39.8],[46.6,39.8],[46.6,39.9],[46.5,39.8]]]}}]}"#;

const LAND_YAML: &str =
    "title: Testland\nrole: land\nattribution: Test Survey\nlicence: CC0 & co\n";

/// A river zigzagging across the whole fixture area in 2,000 tiny steps.
fn river() -> String {
    let pts: Vec<String> = (0..2000)
        .map(|i| {
            let lon = 44.0 + f64::from(i) * 0.002;
            let lat = 39.9 + if i % 2 == 0 { 0.0 } else { 0.00005 };
            format!("[{lon},{lat}]")
        })
        .collect();
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{{}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[{}]}}}}]}}",
        pts.join(",")
    )
}

fn geo_site() -> tempfile::TempDir {
    site_with(&[
        ("content/geo/land.geojson", LAND),
        ("content/geo/land.yaml", LAND_YAML),
        ("content/geo/river.geojson", &river()),
        (
            "content/geo/river.yaml",
            "title: River\nrole: river\nattribution: River Office\nlicence: public domain\nnote: Invented for a test.\n",
        ),
    ])
}

/// The figure whose opening tag holds `class`.
fn figure_with<'a>(html: &'a str, class: &str) -> &'a str {
    let start = html
        .find(&format!("<figure class=\"{class}\""))
        .unwrap_or_else(|| panic!("no figure {class}"));
    let end = html[start..].find("</figure>").unwrap() + start;
    &html[start..end]
}

/// The viewBox's width and height, and every point of every background path (absolute).
fn geo_points(svg: &str) -> ((i32, i32), Vec<(i32, i32)>, usize) {
    let vb = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let mut wh = vb.split('"').next().unwrap().split(' ');
    let (w, h) = (
        wh.next().unwrap().parse().unwrap(),
        wh.next().unwrap().parse().unwrap(),
    );
    let mut pts = Vec::new();
    let mut paths = 0;
    for part in svg.split("<path class=\"geo-").skip(1) {
        paths += 1;
        let d = part
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        for sub in d.split('M').filter(|s| !s.is_empty()) {
            let sub = sub.trim_end_matches('z');
            let (start, rest) = sub.split_once('l').unwrap_or((sub, ""));
            let nums = |s: &str| -> Vec<i32> {
                s.replace('-', " -")
                    .split_whitespace()
                    .map(|n| n.parse().unwrap())
                    .collect()
            };
            let s = nums(start);
            let mut at = (s[0], s[1]);
            pts.push(at);
            for d in nums(rest).chunks(2) {
                at = (at.0 + d[0], at.1 + d[1]);
                pts.push(at);
            }
        }
    }
    ((w, h), pts, paths)
}

/// The map box (the part above a big map's legend): no point outside it.
fn assert_inside(svg: &str, map_h: i32) {
    let ((w, h), pts, paths) = geo_points(svg);
    assert!(paths >= 2, "the land and the river are drawn: {svg}");
    assert!(map_h <= h);
    for (x, y) in &pts {
        assert!(
            (0..=w).contains(x) && (0..=map_h).contains(y),
            "({x}, {y}) lies outside the map's box {w}×{map_h}"
        );
    }
    // The river's 2,000 points are simplified to a few pixels' worth.
    let river = svg.split("class=\"geo-river-line\"").nth(1).unwrap();
    let river = river
        .split("d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let n = river.split(['l', ' ', '-']).count();
    assert!(n < 100, "the river keeps {n} numbers of 4,000");
}

#[test]
fn layers_are_drawn_clipped_and_simplified_in_the_site_map_and_locator_maps() {
    let t = geo_site();
    let out = build_ok(t.path());
    let map = page(&out, "map/index.html");
    let fig = figure_with(&map, "map");
    assert!(fig.contains("<path class=\"geo-land\""), "{fig}");
    // The big map is 560 pixels high above its legend.
    assert_inside(fig, 560);
    // Where a land layer is drawn, the ground is water.
    assert!(fig.contains("class=\"f-sea\""));
    let city = page(&out, "cities/alpha/index.html");
    let loc = figure_with(&city, "map map-locator");
    assert_inside(loc, 260);
    let road = page(&out, "roads/alpha-beta/index.html");
    assert!(figure_with(&road, "map map-locator").contains("geo-land"));
}

#[test]
fn layers_are_credited_under_the_maps_and_on_the_data_page_in_every_language() {
    let t = geo_site();
    let out = build_ok(t.path());
    for (prefix, credit) in [
        (
            "",
            "Background: Test Survey (CC0 &amp; co); River Office (public domain).",
        ),
        (
            "az/",
            "Fon xəritəsi: Test Survey (CC0 &amp; co); River Office (public domain).",
        ),
    ] {
        let map = page(&out, &format!("{prefix}map/index.html"));
        assert!(
            figure_with(&map, "map").contains(credit),
            "{prefix}map: {credit}"
        );
        let city = page(&out, &format!("{prefix}cities/alpha/index.html"));
        assert!(
            figure_with(&city, "map map-locator").contains(credit),
            "{prefix}cities/alpha: {credit}"
        );
        let data = page(&out, &format!("{prefix}data/index.html"));
        let section = data
            .split("id=\"map-layers\"")
            .nth(1)
            .expect("a Map layers section");
        for text in [
            "Testland",
            "Test Survey",
            "CC0 &amp; co",
            "River Office",
            "Invented for a test.",
        ] {
            assert!(section.contains(text), "{prefix}data: {text}");
        }
    }
    let az = page(&out, "az/data/index.html");
    assert!(az.contains("Xəritə qatları") && az.contains("Çaylar"));
    // A site without layers credits none.
    let plain = build_ok(&fixture("mini"));
    assert!(!page(&plain, "map/index.html").contains("map-credit"));
    assert!(!page(&plain, "data/index.html").contains("map-layers"));
}

/// The build's errors (it must fail).
fn errors(t: &tempfile::TempDir) -> Vec<berpa::site::diagnostics::Diagnostic> {
    let b = berpa::build_in_memory(&berpa::Options {
        root: t.path().to_path_buf(),
        ..Default::default()
    });
    assert!(b.output.is_none(), "the build must fail");
    b.diagnostics
        .items()
        .iter()
        .filter(|d| d.severity == berpa::site::diagnostics::Severity::Error)
        .cloned()
        .collect()
}

#[test]
fn a_bad_layer_is_one_error_at_its_file_with_a_fix() {
    let one = |files: &[(&str, &str)], file: &str, says: &str, fix: &str, line: usize| {
        let e = errors(&site_with(files));
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].file, file);
        assert!(e[0].message.contains(says), "{}", e[0].message);
        let help = e[0].help.as_deref().unwrap_or_default();
        assert!(help.contains(fix), "{help}");
        assert_eq!(e[0].line, line, "{:?}", e[0]);
        assert!(e[0].column >= 1);
    };
    one(
        &[
            ("content/geo/land.geojson", LAND),
            (
                "content/geo/land.yaml",
                "title: L\nrole: sea\nattribution: A\nlicence: B\n",
            ),
        ],
        "content/geo/land.yaml",
        "sea",
        "water",
        2,
    );
    one(
        &[
            (
                "content/geo/land.geojson",
                "{\"type\": \"FeatureCollection\", \"features\": [\n  {\"type\": \"Feature\", \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[46, 40], [46, 40,]]}}]}",
            ),
            ("content/geo/land.yaml", LAND_YAML),
        ],
        "content/geo/land.geojson",
        "not GeoJSON",
        "GeoJSON",
        2,
    );
    one(
        &[
            (
                "content/geo/land.geojson",
                "{\"type\": \"FeatureCollection\", \"features\": [\n\n  {\"type\": \"Feature\", \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[40.1, 46.2], [40, 95]]}}]}",
            ),
            ("content/geo/land.yaml", LAND_YAML),
        ],
        "content/geo/land.geojson",
        "not on Earth",
        "WGS84",
        3,
    );
    one(
        &[("content/geo/land.geojson", LAND)],
        "content/geo/land.geojson",
        "no description",
        "content/geo/land.yaml",
        1,
    );
}

#[test]
fn layer_files_are_not_taken_for_records_or_warned_about() {
    let t = geo_site();
    let b = berpa::build_in_memory(&berpa::Options {
        root: t.path().to_path_buf(),
        ..Default::default()
    });
    let about_geo: Vec<_> = b
        .diagnostics
        .items()
        .iter()
        .filter(|d| d.file.starts_with("content/geo"))
        .collect();
    assert!(about_geo.is_empty(), "{about_geo:#?}");
    assert!(b.output.is_some());
}
