//! `serve`'s preview of a changed record: its pages, re-rendered from what the last good build
//! loaded, are byte for byte what a full build makes; anything it cannot do safely it declines.

mod common;
use common::*;
use std::path::Path;

fn session(root: &Path) -> berpa::serve::session::Session {
    let (b, s) = berpa::serve::session::build_session(&berpa::Options {
        root: root.to_path_buf(),
        ..Default::default()
    });
    assert!(b.output.is_some(), "{:#?}", b.diagnostics.items());
    s.expect("a session after a good build")
}

/// A page of the preview, as text.
fn page_of(p: &berpa::serve::session::Preview, path: &str) -> String {
    let (_, bytes) = p
        .files
        .iter()
        .find(|(q, _)| q == path)
        .unwrap_or_else(|| panic!("no {path} in the preview"));
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file the preview made is in a full build of the same files, with the same bytes.
fn matches_full_build(root: &Path, files: &[(String, Vec<u8>)]) {
    let full = build_ok(root);
    for (path, bytes) in files {
        assert_eq!(
            full.get(path),
            Some(&bytes[..]),
            "{path} differs from the full build"
        );
    }
}

#[test]
fn a_changed_record_or_translation_renders_as_the_full_build_does() {
    let (_t, site) = fixture_copy("mini");
    let mut s = session(&site);

    // The record's own file: both languages' pages (the English narrative changed).
    let alpha = site.join("content/cities/alpha.md");
    let text = std::fs::read_to_string(&alpha).unwrap();
    std::fs::write(&alpha, format!("{text}\nA new sentence about Alpha.\n")).unwrap();
    let p = s.preview(std::slice::from_ref(&alpha)).expect("a preview");
    let paths: Vec<&str> = p.files.iter().map(|(p, _)| p.as_str()).collect();
    assert!(paths.contains(&"cities/alpha/index.html"), "{paths:?}");
    assert!(paths.contains(&"az/cities/alpha/index.html"), "{paths:?}");
    assert!(
        !paths.contains(&"cities/index.html"),
        "only the record's pages: {paths:?}"
    );
    let en = page_of(&p, "cities/alpha/index.html");
    assert!(en.contains("A new sentence about Alpha."));
    matches_full_build(&site, &p.files);

    // A translation's file: its narrative changes, the record's own text stays.
    let az = site.join("content/cities/alpha.az.md");
    let text = std::fs::read_to_string(&az).unwrap();
    std::fs::write(&az, format!("{text}\nAlfa haqqında yeni cümlə.\n")).unwrap();
    let p = s.preview(std::slice::from_ref(&az)).expect("a preview");
    let page = page_of(&p, "az/cities/alpha/index.html");
    assert!(page.contains("Alfa haqqında yeni cümlə."));
    let en = page_of(&p, "cities/alpha/index.html");
    assert!(en.contains("A new sentence about Alpha."));
    matches_full_build(&site, &p.files);

    // A YAML record's status: its page shows the new status.
    let gamma = site.join("content/cities/gamma.yaml");
    let text = std::fs::read_to_string(&gamma).unwrap();
    std::fs::write(
        &gamma,
        text.replace("district: {en: South", "district: {en: Far South"),
    )
    .unwrap();
    let p = s.preview(std::slice::from_ref(&gamma)).expect("a preview");
    matches_full_build(&site, &p.files);
}

/// Replaces `from` by `to` in a file (which must hold `from`).
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{path:?} has no {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn previews_stay_true_as_links_names_and_the_map_change() {
    // The session keeps what records say about each other and the map data between previews,
    // bringing them up to date with each change: every later preview must still match a full
    // build of the files as they are.
    let (_t, site) = fixture_copy("mini");
    let mut s = session(&site);
    let c = |name: &str| site.join("content").join(name);
    let steps: [(&str, &str, &str); 6] = [
        // A road's status: its line's style on the locator maps.
        (
            "roads/alpha-beta.yaml",
            "status: open",
            "status: under-construction",
        ),
        // A road now ends at Gamma with no stop on the way: links both ways and its line.
        (
            "roads/alpha-beta.yaml",
            "to: beta\nvia: [gamma]",
            "to: gamma",
        ),
        // A settlement's name: its label on its locator map.
        ("cities/beta.yaml", "az: Beta}", "az: Betta}"),
        // A settlement moves: the map's index is made anew.
        ("cities/beta.yaml", "lon: 46.9", "lon: 47.3"),
        // A project becomes an airport: its settlement's marker.
        (
            "projects/alpha-school.yaml",
            "sector: education",
            "sector: aviation",
        ),
        // The other settlement's name in the second language.
        (
            "cities/alpha.md",
            "Alpha, az: Alfa}",
            "Alpha, az: Alfa şəhəri}",
        ),
    ];
    for (file, from, to) in steps {
        edit(&c(file), from, to);
        let p = s
            .preview(&[c(file)])
            .unwrap_or_else(|| panic!("a preview after editing {file}"));
        matches_full_build(&site, &p.files);
        // The other records' pages too, rendered from the kept state.
        for other in [
            "cities/alpha.md",
            "cities/beta.yaml",
            "cities/gamma.yaml",
            "roads/alpha-beta.yaml",
        ] {
            let p = s
                .preview(&[c(other)])
                .expect("a preview of an unchanged file");
            matches_full_build(&site, &p.files);
        }
    }
    let p = s.preview(&[c("cities/gamma.yaml")]).unwrap();
    let gamma = page_of(&p, "cities/gamma/index.html");
    assert!(
        gamma.contains("roads/alpha-beta/"),
        "the road now ends at Gamma"
    );
}

#[test]
fn declines_what_it_cannot_do_safely() {
    let (_t, site) = fixture_copy("mini");

    // A new record: the full build adds it (lists, links, exports).
    let mut s = session(&site);
    let delta = site.join("content/cities/delta.yaml");
    std::fs::write(
        &delta,
        "name: {en: Delta, az: Delta}\nkind: village\ndistrict: {en: East, az: Şərq}\nsources: [gazette]\nupdated: 2025-06-01\n",
    )
    .unwrap();
    assert!(s.preview(std::slice::from_ref(&delta)).is_none());
    std::fs::remove_file(&delta).unwrap();

    // A record that no longer parses, or breaks a reference: the full build reports it.
    let mut s = session(&site);
    let gamma = site.join("content/cities/gamma.yaml");
    let good = std::fs::read_to_string(&gamma).unwrap();
    std::fs::write(&gamma, good.replace("kind: town", "kind: citty")).unwrap();
    assert!(s.preview(std::slice::from_ref(&gamma)).is_none());
    let mut s = session_after_restoring(&site, &gamma, &good);
    std::fs::write(&gamma, good.replace("sources: [", "sources: [missing, ")).unwrap();
    assert!(s.preview(std::slice::from_ref(&gamma)).is_none());

    // A free page, a template, a removed file: not a record's file.
    let mut s = session_after_restoring(&site, &gamma, &good);
    for other in [
        site.join("content/pages/about.md"),
        site.join("site.yaml"),
        site.join("content/cities/gone.yaml"),
    ] {
        assert!(
            s.preview(std::slice::from_ref(&other)).is_none(),
            "{other:?}"
        );
    }
}

fn session_after_restoring(site: &Path, file: &Path, text: &str) -> berpa::serve::session::Session {
    std::fs::write(file, text).unwrap();
    session(site)
}
