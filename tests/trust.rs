//! Builds you can trust: a failed build leaves the previous site as it was, berpa refuses to
//! replace folders it did not make, hostile text in every field comes out inert.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn berpa(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_berpa"))
        .args(args)
        .output()
        .expect("run berpa")
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The names in a folder.
fn names_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy_tree(&fixture("mini"), &site);
    let out = t.path().join("public");
    let (s, o) = (site.to_str().unwrap(), out.to_str().unwrap());
    let first = berpa(&["build", "--root", s, "--output", o]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = snapshot(&out);
    assert!(before.contains_key("index.html"));
    assert!(
        before.contains_key(".berpa-output"),
        "the output is marked as berpa's"
    );

    // Break one record: the build fails and nothing changes.
    std::fs::write(
        site.join("content/roads/alpha-beta.yaml"),
        "name: Road\nfrom: nowhere\nto: beta\n",
    )
    .unwrap();
    let second = berpa(&["build", "--root", s, "--output", o]);
    assert_eq!(second.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&second.stderr).contains("nothing was written"));
    assert_eq!(
        snapshot(&out),
        before,
        "the previous site is exactly as it was"
    );
    // No temporary folder is left beside it.
    let names = names_in(t.path());
    assert_eq!(names.len(), 2, "{names:?}");

    // An error found only while the pages are written out (a broken link in a narrative):
    // the half-written new site is thrown away, the previous one stays.
    std::fs::copy(
        fixture("mini").join("content/roads/alpha-beta.yaml"),
        site.join("content/roads/alpha-beta.yaml"),
    )
    .unwrap();
    let page = site.join("content/pages/about.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\nSee [the missing road](@/roads/missing).\n"),
    )
    .unwrap();
    let third = berpa(&["build", "--root", s, "--output", o]);
    let err = String::from_utf8_lossy(&third.stderr);
    assert_eq!(third.status.code(), Some(1), "{err}");
    assert!(err.contains("about.md"), "{err}");
    assert_eq!(
        snapshot(&out),
        before,
        "the previous site is exactly as it was"
    );
    let names = names_in(t.path());
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn berpa_refuses_to_replace_folders_it_did_not_make() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy_tree(&fixture("mini"), &site);
    let s = site.to_str().unwrap();
    // A folder with someone's files.
    let docs = t.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("thesis.txt"), "years of work").unwrap();
    for target in [
        docs.as_path(),
        site.as_path(),
        t.path(),
        &site.join("content"),
    ] {
        let r = berpa(&["build", "--root", s, "--output", target.to_str().unwrap()]);
        assert_eq!(r.status.code(), Some(2), "refused: {}", target.display());
        assert!(String::from_utf8_lossy(&r.stderr).contains("refusing"));
    }
    assert_eq!(
        std::fs::read_to_string(docs.join("thesis.txt")).unwrap(),
        "years of work"
    );
    assert!(site.join("content/cities/alpha.md").exists());
}

const PAYLOADS: [&str; 3] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "javascript:alert(3)",
];

fn hostile(n: usize) -> String {
    // YAML-quoted, so the payload reaches the field as written.
    format!("'{} {}'", PAYLOADS[n % 3].replace('\'', "''"), n)
}

#[test]
fn hostile_text_in_every_field_comes_out_inert() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let w = |p: &str, text: String| {
        let path = root.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let h = hostile;
    w(
        "site.yaml",
        format!(
            "title: {}\ndescription: {}\nbase_url: https://example.test/\nlanguages: [en]\npublisher: {{name: {}, url: 'https://example.test/'}}\nlicence: {{name: {}, url: 'https://example.test/l'}}\ndata_as_of: 2025-06-30\n",
            h(0),
            h(1),
            h(2),
            h(3)
        ),
    );
    w(
        "content/sources/s.yaml",
        format!(
            "title: {}\npublisher: {}\npublisher_kind: news\nurl: 'https://example.test/s'\n",
            h(4),
            h(5)
        ),
    );
    w(
        "content/cities/c.md",
        format!(
            "---\nname: {}\nkind: city\ndistrict: {}\nregion: {}\nlocation: {{lat: 40, lon: 46}}\nsummary: {}\nsources: [s]\nhistory: [{{date: 2025-01-01, kind: correction, note: {}}}]\n---\n# {}\n\n<script>alert(5)</script>\n\n<img src=x onerror=alert(6)>\n\n[x](javascript:alert(7)) [y](data:text/html,x) ![z](javascript:alert(8))\n",
            h(6),
            h(7),
            h(8),
            h(9),
            h(10),
            PAYLOADS[1]
        ),
    );
    w(
        "content/roads/r.yaml",
        format!(
            "name: {}\nfrom: c\nto: c\ncontractors: [{}]\nsummary: {}\nsources: [s]\n",
            h(11),
            h(12),
            h(13)
        ),
    );
    w(
        "content/partners/p.yaml",
        format!(
            "name: {}\nkind: country\nsources: [s]\nsummary: {}\n",
            h(14),
            h(15)
        ),
    );
    w(
        "content/projects/j.yaml",
        format!(
            "title: {}\nsector: other\ncity: c\npartners: [p]\ncontractors: [{}]\nsummary: {}\nsources: [s]\n",
            h(16),
            h(17),
            h(18)
        ),
    );
    w(
        "content/indicators/i.yaml",
        format!(
            "title: {}\nunit: {}\ndescription: {}\ntarget: {{value: 10, source: s}}\nobservations: [{{date: 2025-01-01, value: 5, source: s, note: {}}}]\nsources: [s]\n",
            h(19),
            h(20),
            h(21),
            h(22)
        ),
    );
    w(
        "content/pages/about.md",
        format!(
            "---\ntitle: {}\ndescription: {}\nmenu: true\n---\n<script>alert(10)</script> {}\n",
            h(23),
            h(24),
            PAYLOADS[1]
        ),
    );
    w(
        "content/charts/k.yaml",
        format!(
            "title: {}\nheadline: {}\ntype: bar\ndata: {{collection: projects, group_by: sector}}\nnote: {}\n",
            h(25),
            h(26),
            h(27)
        ),
    );
    let out = build_ok(root);
    let mut pages = 0;
    for (path, bytes) in out.iter() {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") || path.ends_with(".svg") || path.ends_with(".xml") {
            pages += 1;
            let lower = text.to_lowercase();
            assert!(!lower.contains("<script>alert"), "{path}: a live script");
            assert!(!lower.contains("<img src=x"), "{path}: a live img tag");
            assert!(
                !lower.contains("href=\"javascript:"),
                "{path}: a javascript: link"
            );
            assert!(
                !lower.contains("src=\"javascript:"),
                "{path}: a javascript: source"
            );
            assert!(!lower.contains("href=\"data:"), "{path}: a data: link");
            // Every script tag that remains is berpa's own, loaded from a file.
            let mut rest: &str = &lower;
            while let Some(i) = rest.find("<script") {
                let tag_end = rest[i..].find('>').unwrap() + i;
                assert!(
                    rest[i..tag_end].contains(" src=\""),
                    "{path}: an inline script"
                );
                rest = &rest[tag_end..];
            }
            // No event-handler attribute in any tag (escaped text has no `<`).
            let mut rest: &str = &lower;
            while let Some(i) = rest.find('<') {
                let tag = &rest[i..rest[i..].find('>').map_or(rest.len(), |e| i + e)];
                if tag[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
                    // Attribute values are escaped text: drop them, keep the attribute names.
                    let names: String = tag.split('"').step_by(2).collect::<Vec<_>>().join("\"\"");
                    let tag = names.as_str();
                    for handler in [" onerror=", " onclick=", " onload=", " onmouseover="] {
                        assert!(!tag.contains(handler), "{path}: an event handler in {tag}");
                    }
                }
                rest = &rest[i + 1..];
            }
        }
    }
    assert!(pages > 10);
    // The hostile text is there, escaped.
    let city = page(&out, "cities/c/index.html");
    assert!(city.contains("&lt;script&gt;alert(1)&lt;/script&gt; 6"));
}

#[test]
fn javascript_urls_in_fields_are_errors() {
    let t = tempfile::tempdir().unwrap();
    copy_tree(&fixture("mini"), t.path());
    let site = std::fs::read_to_string(t.path().join("site.yaml")).unwrap();
    std::fs::write(
        t.path().join("site.yaml"),
        site.replace("url: https://example.test/}", "url: 'javascript:alert(1)'}"),
    )
    .unwrap();
    std::fs::write(
        t.path().join("content/sources/herald.yaml"),
        "title: T\npublisher: P\nurl: 'JavaScript:alert(2)'\n",
    )
    .unwrap();
    let b = berpa::build_in_memory(&berpa::Options {
        root: t.path().into(),
        ..Default::default()
    });
    assert!(b.output.is_none());
    let bad: Vec<(&str, usize)> = b
        .diagnostics
        .items()
        .iter()
        .filter(|d| d.code == "invalid-url")
        .map(|d| (d.file.as_str(), d.line))
        .collect();
    assert_eq!(
        bad,
        vec![("content/sources/herald.yaml", 3), ("site.yaml", 6)]
    );
}

#[test]
fn every_page_carries_a_strict_content_security_policy() {
    let out = build_ok(&repo());
    for (path, bytes) in out.iter() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        assert!(
            html.contains("content=\"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"),
            "{path} has the CSP"
        );
        assert!(
            !html.contains(" style=\""),
            "{path}: an inline style attribute"
        );
        assert!(!html.contains("<style"), "{path}: an inline style element");
    }
}

#[test]
fn a_rebuild_writes_only_what_changed() {
    use std::os::unix::fs::MetadataExt;
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy_tree(&fixture("mini"), &site);
    let out = t.path().join("public");
    let (s, o) = (site.to_str().unwrap(), out.to_str().unwrap());
    assert!(
        berpa(&["build", "--root", s, "--output", o])
            .status
            .success()
    );
    let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
    let (home, road) = (inode("index.html"), inode("roads/alpha-beta/index.html"));
    let partner = inode("partners/friendland/index.html");
    let before = snapshot(&out);

    // Nothing changed: nothing is rendered or written.
    let again = berpa(&["build", "--root", s, "--output", o]);
    assert!(again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("nothing changed since the last build")
    );
    assert_eq!(inode("index.html"), home);
    assert_eq!(snapshot(&out), before);

    // One record's text changed: its pages are new files, the others are carried over.
    let p = site.join("content/roads/alpha-beta.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("Alpha–Beta road", "Alpha–Beta highway")).unwrap();
    let third = berpa(&["build", "--root", s, "--output", o]);
    let err = String::from_utf8_lossy(&third.stderr);
    assert!(third.status.success(), "{err}");
    assert!(page_text(&out, "roads/alpha-beta/index.html").contains("Alpha–Beta highway"));
    assert_ne!(
        inode("roads/alpha-beta/index.html"),
        road,
        "a changed page is written anew"
    );
    // An unchanged page keeps its file: a hard link into the new folder, not a new write.
    assert_eq!(inode("partners/friendland/index.html"), partner);
    let written: usize = err
        .split("; ")
        .nth(1)
        .and_then(|x| x.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a written count in: {err}"));
    assert!(
        written > 0 && written < before.len() / 2,
        "{written} of {} files written",
        before.len()
    );

    // The fingerprint a build takes from the files it parsed is the one the next build
    // computes before reading anything: nothing changed since, so nothing is done.
    let fourth = berpa(&["build", "--root", s, "--output", o]);
    assert!(
        String::from_utf8_lossy(&fourth.stderr).contains("nothing changed since the last build")
    );
    // A changed template is a change too.
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(site.join("templates/extra-note.html"), "<p>note</p>").unwrap();
    let fifth = berpa(&["build", "--root", s, "--output", o]);
    assert!(fifth.status.success());
    assert!(
        !String::from_utf8_lossy(&fifth.stderr).contains("nothing changed"),
        "{}",
        String::from_utf8_lossy(&fifth.stderr)
    );
}

fn page_text(out: &Path, p: &str) -> String {
    std::fs::read_to_string(out.join(p)).unwrap()
}

#[test]
fn a_narrative_left_in_its_file_is_read_back_only_as_it_was_loaded() {
    use berpa::load::{Narratives, load_hashed, narrative};
    use berpa::site::model::Kind;
    let (_t, site) = fixture_copy("mini");
    let langs = ["en".to_string(), "az".to_string()];
    let (kept, _, _) = load_hashed(&site, &langs, Narratives::InMemory);
    let (left, _, _) = load_hashed(&site, &langs, Narratives::InFile);
    let (kept, left) = (
        kept.meta(Kind::City, "alpha").unwrap(),
        left.meta(Kind::City, "alpha").unwrap(),
    );
    assert!(matches!(
        left.body["en"].markdown,
        berpa::site::model::Narrative::InFile { .. }
    ));
    // The record's own narrative (after its front matter) and its translation read back as
    // loaded.
    for lang in ["en", "az"] {
        let a = narrative(&kept.body[lang]).unwrap();
        let b = narrative(&left.body[lang]).unwrap();
        assert!(a.contains("Alpha") || a.contains("Alfa"), "{a}");
        assert_eq!(a, b, "{lang}");
        assert_eq!(kept.body[lang].line, left.body[lang].line);
    }
    // Saved in the middle of a build: an error naming the file, never the new text.
    let p = site.join("content/cities/alpha.az.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{text}\nA new paragraph.\n")).unwrap();
    assert!(narrative(&left.body["en"]).is_ok());
    let e = narrative(&left.body["az"]).unwrap_err();
    assert_eq!(e.code, "changed-during-build");
    assert_eq!(e.file, "content/cities/alpha.az.md");
    assert!(e.help.unwrap().contains("build again"));
    std::fs::remove_file(site.join("content/cities/alpha.md")).unwrap();
    assert_eq!(
        narrative(&left.body["en"]).unwrap_err().code,
        "changed-during-build"
    );
}

/// Two sources that would write one output file: the build fails with an error at the file to
/// change that names both, and the previous site stays exactly as it was. (Each once replaced
/// the other without a word, exit 0.)
#[test]
fn no_output_silently_replaces_another() {
    type Change = fn(&Path);
    let cases: [(&str, Change, &str, &[&str]); 4] = [
        (
            "a free page at a record's address",
            |site| {
                let p = site.join("content/pages/cities/alpha.md");
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, "---\ntitle: Alpha\n---\nA page of its own.\n").unwrap();
            },
            "content/pages/cities/alpha.md",
            &["the record cities/alpha", "cities/alpha/index.html"],
        ),
        (
            "a static file at a record's address",
            |site| {
                let p = site.join("static/cities/alpha/index.html");
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, "<p>mine</p>").unwrap();
            },
            "static/cities/alpha/index.html",
            &[
                "the record cities/alpha",
                "would both write cities/alpha/index.html",
            ],
        ),
        (
            "a language named like the map's folder",
            |site| {
                let cfg = std::fs::read_to_string(site.join("site.yaml")).unwrap();
                let cfg = cfg.replace("languages: [en, az]", "languages: [en, map]");
                std::fs::write(site.join("site.yaml"), cfg).unwrap();
                std::fs::create_dir_all(site.join("i18n")).unwrap();
                std::fs::copy(repo().join("i18n/az.yaml"), site.join("i18n/map.yaml")).unwrap();
                for dir in ["cities", "pages"] {
                    for e in std::fs::read_dir(site.join("content").join(dir)).unwrap() {
                        let p = e.unwrap().path();
                        let name = p.file_name().unwrap().to_string_lossy().into_owned();
                        if let Some(stem) = name.strip_suffix(".az.md") {
                            std::fs::rename(&p, p.with_file_name(format!("{stem}.map.md")))
                                .unwrap();
                        }
                    }
                }
            },
            "site.yaml",
            &["the home page in `map`", "the map page", "map/index.html"],
        ),
        (
            "a site chart named like a built-in one",
            |site| {
                let p = site.join("content/charts/projects-by-sector.yaml");
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(
                    p,
                    "title: {en: Mine, az: Mənim}\nheadline: {en: Mine., az: Mənim.}\ntype: bar\n\
                     data: {collection: projects, group_by: status}\n",
                )
                .unwrap();
            },
            "content/charts/projects-by-sector.yaml",
            &[
                "the built-in chart `projects-by-sector`",
                "charts/projects-by-sector.csv",
            ],
        ),
    ];
    for (name, change, file, says) in cases {
        let t = tempfile::tempdir().unwrap();
        let site = t.path().join("site");
        copy_tree(&fixture("mini"), &site);
        let out = t.path().join("public");
        let (s, o) = (site.to_str().unwrap(), out.to_str().unwrap());
        let first = berpa(&["build", "--root", s, "--output", o]);
        assert!(first.status.success(), "{name}: {first:?}");
        let before = snapshot(&out);
        change(&site);
        let run = berpa(&["build", "--root", s, "--output", o, "--format", "json"]);
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert_eq!(run.status.code(), Some(1), "{name}: {stdout}");
        let found = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|d| {
                d["code"] == "output-collision" && d["severity"] == "error" && d["file"] == file
            });
        let Some(d) = found else {
            panic!("{name}: no output-collision error at {file}:\n{stdout}");
        };
        let message = d["message"].as_str().unwrap();
        for s in says.iter().chain([&file]).filter(|s| **s != "site.yaml") {
            assert!(message.contains(s), "{name}: `{s}` not in {message}");
        }
        assert!(
            d["help"].as_str().is_some_and(|h| !h.is_empty()),
            "{name}: {d}"
        );
        if file == "site.yaml" {
            assert_eq!(
                (d["line"].as_u64(), d["column"].as_u64()),
                (Some(5), Some(17)),
                "{name}"
            );
        }
        assert_eq!(
            snapshot(&out),
            before,
            "{name}: the previous site is as it was"
        );
        let names = names_in(t.path());
        assert_eq!(names.len(), 2, "{name}: {names:?}");
    }
}

/// What a user puts in the output folder: a `.git` (a `gh-pages` branch to push from) survives
/// every build, whichever way it goes (nothing changed, pages changed, a failed build); any
/// other file is removed and named; a file to publish goes in `static/`. (A rebuild once
/// deleted `public/.git` and `public/CNAME` without a word.)
#[test]
fn a_rebuild_keeps_the_git_folder_and_names_the_files_it_removes() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy_tree(&fixture("mini"), &site);
    let out = t.path().join("public");
    // A folder holding only a `.git` is as good as empty.
    std::fs::create_dir_all(out.join(".git/refs/heads")).unwrap();
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    std::fs::write(out.join(".git/refs/heads/gh-pages"), "0123abcd\n").unwrap();
    let git = snapshot(&out.join(".git"));
    let (s, o) = (site.to_str().unwrap(), out.to_str().unwrap());
    let build = || {
        let run = berpa(&["build", "--root", s, "--output", o]);
        let err = String::from_utf8_lossy(&run.stderr).into_owned();
        (run.status.code(), err)
    };
    let (code, err) = build();
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("removed"), "{err}");
    assert_eq!(snapshot(&out.join(".git")), git);

    let about = site.join("content/pages/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    // Nothing changed; then a page changed (the new folder is swapped in).
    for (round, change) in [("nothing changed", ""), ("a page changed", "\nMore.\n")] {
        std::fs::write(&about, format!("{text}{change}")).unwrap();
        std::fs::write(out.join("CNAME"), "report.example.org\n").unwrap();
        std::fs::create_dir_all(out.join("notes")).unwrap();
        std::fs::write(out.join("notes/todo.txt"), "x").unwrap();
        let (code, err) = build();
        assert_eq!(code, Some(0), "{round}: {err}");
        assert_eq!(snapshot(&out.join(".git")), git, "{round}: .git is kept");
        assert!(!out.join("CNAME").exists(), "{round}");
        assert!(!out.join("notes").exists(), "{round}");
        assert!(
            err.contains("removed 2 file(s)")
                && err.contains("CNAME, notes/todo.txt")
                && err.contains("static/CNAME"),
            "{round}: {err}"
        );
        assert!(out.join("index.html").is_file(), "{round}");
    }

    // A failed build leaves everything, .git included, as it was.
    let before = snapshot(&out);
    std::fs::write(site.join("content/roads/alpha-beta.yaml"), "name: Road\n").unwrap();
    let (code, err) = build();
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(snapshot(&out), before);
    std::fs::copy(
        fixture("mini").join("content/roads/alpha-beta.yaml"),
        site.join("content/roads/alpha-beta.yaml"),
    )
    .unwrap();

    // The file to publish, in static/: published, and nothing is removed.
    std::fs::create_dir_all(site.join("static")).unwrap();
    std::fs::write(site.join("static/CNAME"), "report.example.org\n").unwrap();
    let (code, err) = build();
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("CNAME")).unwrap(),
        "report.example.org\n"
    );
    assert!(!err.contains("removed"), "{err}");
    assert_eq!(snapshot(&out.join(".git")), git);
    let names = names_in(t.path());
    assert_eq!(names.len(), 2, "nothing left beside the output: {names:?}");
}
