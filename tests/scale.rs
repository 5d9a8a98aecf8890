//! A larger generated site (synthetic test data, not facts): list pages are paginated, the map's
//! tables stay bounded, and every link still resolves.

mod common;
use common::*;
use std::fmt::Write as _;

/// Writes a site of `n` generated settlements and `n / 2` roads between them.
fn generated_site(n: usize) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    std::fs::create_dir_all(root.join("content/cities")).unwrap();
    std::fs::create_dir_all(root.join("content/roads")).unwrap();
    std::fs::create_dir_all(root.join("content/sources")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "# Generated test site: synthetic data, not real places.\ntitle: Generated test site\nbase_url: https://example.test/\nlanguages: [en]\ndata_as_of: 2025-06-30\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/sources/gen.yaml"),
        "title: Generated test data\npublisher: berpa tests\npublisher_kind: other\n",
    )
    .unwrap();
    for i in 0..n {
        let mut s = String::new();
        let kind = ["city", "town", "village"][i % 3];
        let lat = 39.0 + (i % 97) as f64 * 0.013;
        let lon = 45.5 + (i % 89) as f64 * 0.021;
        let _ = write!(
            s,
            "name: Place {i}\nkind: {kind}\ndistrict: District {}\nlocation: {{lat: {lat:.4}, lon: {lon:.4}}}\nsources: [gen]\nupdated: 2025-06-01\n",
            i % 7
        );
        // A generated revision on 300 of them: more than the Updates page and the feed list.
        if i < 300 {
            let _ = write!(
                s,
                "history:\n  - date: 2025-{:02}-{:02}\n    kind: revision\n    note: Generated revision {i}.\n",
                1 + i % 12,
                1 + i % 28
            );
        }
        std::fs::write(root.join(format!("content/cities/p{i:05}.yaml")), s).unwrap();
    }
    for i in 0..n / 2 {
        let s = format!(
            "name: Road {i}\nfrom: p{:05}\nto: p{:05}\nlength_km: {}\nstatus: {}\nsources: [gen]\nupdated: 2025-06-01\n",
            i,
            (i * 7 + 3) % n,
            10 + i % 40,
            ["open", "under-construction", "planned"][i % 3]
        );
        std::fs::write(root.join(format!("content/roads/r{i:05}.yaml")), s).unwrap();
    }
    t
}

#[test]
fn long_lists_are_paginated_and_the_map_stays_bounded() {
    let t = generated_site(650);
    let out = build_ok(t.path());
    // 650 settlements at 200 a page: 4 pages.
    let first = page(&out, "cities/index.html");
    assert!(first.contains("Page 1 of 4"));
    assert!(first.contains("href=\"../cities/page/2/\" rel=\"next\""));
    for n in 2..=4 {
        let p = page(&out, &format!("cities/page/{n}/index.html"));
        assert!(p.contains(&format!("Page {n} of 4")));
        assert!(p.contains("aria-current=\"page\">") && p.contains(&format!(">{n}</a>")));
    }
    assert!(!out.contains("cities/page/5/index.html"));
    let rows = |html: &str| html.matches("<th scope=\"row\">").count();
    assert_eq!(rows(&first), 200);
    assert_eq!(rows(&page(&out, "cities/page/4/index.html")), 50);
    // Every settlement is on exactly one list page.
    let mut listed = 0;
    for n in 1..=4 {
        let path = if n == 1 {
            "cities/index.html".to_string()
        } else {
            format!("cities/page/{n}/index.html")
        };
        listed += rows(&page(&out, &path));
    }
    assert_eq!(listed, 650);
    // The map page lists a bounded number of places and points to the data for the rest.
    let map = page(&out, "map/index.html");
    assert!(map.contains("The first 500 of 650 places are listed here."));
    // Every page has a locator map drawn from its neighbourhood only.
    let city = page(&out, "cities/p00001/index.html");
    assert!(city.contains("map-locator"));
    // The one source is cited by all 975 records: its page lists the first 100 and says so.
    let source = page(&out, "sources/gen/index.html");
    let cited = source
        .split("id=\"related-cited_by\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("a cited-by section");
    assert_eq!(cited.matches("<li>").count(), 100);
    assert!(
        cited.contains("<span class=\"count\">(975)</span></h2>"),
        "the heading gives the total: {cited}"
    );
    assert!(
        cited.contains("The first 100 of 975 are listed here; every one is in the open data."),
        "{cited}"
    );
    assert!(source.len() < 200_000, "{} bytes", source.len());
    // The Updates page lists the newest 200 revisions of 300, the feed the newest 100.
    let updates = page(&out, "updates/index.html");
    assert!(updates.contains("<span class=\"count\">(300)</span>"));
    assert_eq!(
        updates.matches("<li class=\"history-revision\">").count(),
        200
    );
    assert!(updates.contains("The newest 200 of 300 are listed here"));
    let feed = page(&out, "feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 100);
    assert!(feed.contains("2025-12-"), "newest first");
    assert_eq!(broken_links(&out), Vec::<String>::new());
}
