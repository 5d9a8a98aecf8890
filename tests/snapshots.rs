//! Snapshot tests (insta) of one page of each kind, from the small fixture site. A change to the
//! theme or the view models shows up here as a reviewable diff (`cargo insta review`).

mod common;
use common::*;

#[test]
fn one_page_of_each_kind() {
    let out = build_ok(&fixture("mini"));
    for (name, path) in [
        ("home", "index.html"),
        ("list_cities", "cities/index.html"),
        ("city", "cities/alpha/index.html"),
        ("road", "roads/alpha-beta/index.html"),
        ("project", "projects/alpha-school/index.html"),
        ("partner", "partners/friendland/index.html"),
        ("indicator", "indicators/people-returned/index.html"),
        ("source", "sources/gazette/index.html"),
        ("page", "about/index.html"),
        ("page_az", "az/about/index.html"),
        ("city_az", "az/cities/alpha/index.html"),
        ("not_found", "404.html"),
    ] {
        insta::assert_snapshot!(name, page(&out, path));
    }
}
