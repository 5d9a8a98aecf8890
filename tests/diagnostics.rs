//! "Builds you can trust": every broken input gives a diagnostic that names the file, the line
//! and the column and says what to change; nothing panics.
//!
//! Each case copies `tests/fixtures/base` (a minimal valid site) into a temporary folder, lays
//! the case's files over it (`tests/fixtures/broken/<case>/`, same relative paths, and/or bytes
//! written here for files that are awkward to keep in git), and runs the real `berpa check`.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- helpers

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A temporary copy of the base site with `tests/fixtures/broken/<overlay>/` and `files` laid
/// over it.
fn site(overlays: &[&str], files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixture("base"), dir.path());
    for o in overlays {
        let from = common::fixture("broken").join(o);
        assert!(from.is_dir(), "no overlay folder {}", from.display());
        common::copy_tree(&from, dir.path());
    }
    for (rel, bytes) in files {
        write(dir.path(), rel, bytes);
    }
    dir
}

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// Runs `berpa check --root <root> <args>`.
fn check(root: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_berpa"))
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run berpa");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The diagnostics of `--format json` output, one object a line.
fn diagnostics(run: &Run) -> Vec<Value> {
    run.stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn s<'a>(d: &'a Value, key: &str) -> &'a str {
    d[key].as_str().unwrap_or("")
}

fn n(d: &Value, key: &str) -> usize {
    d[key].as_u64().unwrap_or(u64::MAX) as usize
}

fn show(ds: &[Value]) -> String {
    ds.iter().map(|d| format!("\n    {d}")).collect()
}

// ---------------------------------------------------------------- the table of broken inputs

/// One broken input and the diagnostic it must give.
struct Case {
    name: &'static str,
    /// Folders under tests/fixtures/broken/ laid over the base site.
    overlays: &'static [&'static str],
    /// Files written over the base site (relative path, bytes).
    files: &'static [(&'static str, &'static [u8])],
    code: &'static str,
    file: &'static str,
    /// 0: the problem concerns the file as a whole.
    line: usize,
    /// None: the column is not checked.
    column: Option<usize>,
    /// Fragments that must appear in the message or the help.
    says: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "yaml-syntax (a `[` left open)",
        overlays: &["yaml-syntax"],
        files: &[],
        code: "yaml-syntax",
        file: "content/cities/fuzuli.yaml",
        line: 4,
        column: Some(8),
        says: &["YAML syntax error", "the `[` on line 3 is never closed"],
    },
    Case {
        name: "yaml-syntax (an unquoted `: ` in a value)",
        overlays: &[],
        files: &[(
            "content/cities/fuzuli.yaml",
            b"name: Fuzuli: old town\nkind: city\ndistrict: Fuzuli\nsources: [gazette]\n",
        )],
        code: "yaml-syntax",
        file: "content/cities/fuzuli.yaml",
        line: 1,
        column: Some(13),
        says: &["must be quoted"],
    },
    Case {
        name: "yaml-syntax (a field indented too far)",
        overlays: &[],
        files: &[(
            "content/cities/fuzuli.yaml",
            b"name: Fuzuli\n  kind: city\ndistrict: Fuzuli\nsources: [gazette]\n",
        )],
        code: "yaml-syntax",
        file: "content/cities/fuzuli.yaml",
        line: 2,
        column: Some(7),
        says: &["indented more than the line above"],
    },
    Case {
        name: "yaml-syntax (an unclosed quote)",
        overlays: &[],
        files: &[(
            "content/cities/fuzuli.yaml",
            b"name: \"Fuzuli\nkind: city\ndistrict: Fuzuli\n",
        )],
        code: "yaml-syntax",
        file: "content/cities/fuzuli.yaml",
        line: 1,
        column: Some(7),
        says: &["must end with the same quote"],
    },
    Case {
        name: "wrong-type",
        overlays: &["wrong-type"],
        files: &[],
        code: "wrong-type",
        file: "content/roads/fuzuli-loop.yaml",
        line: 4,
        column: Some(12),
        says: &[
            "length_km: expected a number, found the text \"long\"",
            "without quotes or units",
        ],
    },
    Case {
        name: "missing-field",
        overlays: &["missing-field"],
        files: &[],
        code: "missing-field",
        file: "content/cities/fuzuli.yaml",
        line: 1,
        column: Some(1),
        says: &["this city has no `kind`, which is required", "add a line `kind: …`"],
    },
    Case {
        name: "missing-field (inside a value)",
        overlays: &[],
        files: &[(
            "content/cities/fuzuli.yaml",
            b"name: Fuzuli\nkind: city\ndistrict: Fuzuli\nlocation: {lat: 39.6}\nsources: [gazette]\n",
        )],
        code: "missing-field",
        file: "content/cities/fuzuli.yaml",
        line: 4,
        column: Some(11),
        says: &["location: the required field `lon` is missing", "add `lon: …` to `location`"],
    },
    Case {
        name: "unknown-field",
        overlays: &["unknown-field"],
        files: &[],
        code: "unknown-field",
        file: "content/cities/fuzuli.yaml",
        line: 1,
        column: Some(1),
        says: &["unknown field `nmae` in a city", "did you mean `name`?"],
    },
    Case {
        name: "unknown-field (inside a value: lists that value's fields)",
        overlays: &[],
        files: &[(
            "content/cities/fuzuli.yaml",
            b"name: Fuzuli\nkind: city\ndistrict: Fuzuli\nlocation: {lat: 39.6, lon: 47.1, alt: 3}\nsources: [gazette]\n",
        )],
        code: "unknown-field",
        file: "content/cities/fuzuli.yaml",
        line: 4,
        column: Some(34),
        says: &["location: unknown field `alt`", "the fields of `location` are: lat, lon"],
    },
    Case {
        name: "duplicate-field",
        overlays: &[],
        files: &[(
            "content/cities/fuzuli.yaml",
            b"name: Fuzuli\nkind: city\nname: Fizuli\ndistrict: Fuzuli\nsources: [gazette]\n",
        )],
        code: "duplicate-field",
        file: "content/cities/fuzuli.yaml",
        line: 3,
        column: Some(1),
        says: &["the field `name` is written twice", "keep one"],
    },
    Case {
        name: "invalid-value",
        overlays: &["invalid-value"],
        files: &[],
        code: "invalid-value",
        file: "content/cities/fuzuli.yaml",
        line: 2,
        column: Some(7),
        says: &[
            "kind: `citty` is not an allowed value",
            "did you mean `city`?",
            "city, town, village",
        ],
    },
    Case {
        name: "invalid-value (a language map with a key that is no language)",
        overlays: &[],
        files: &[(
            "content/cities/fuzuli.yaml",
            b"name: {English: Fuzuli}\nkind: city\ndistrict: Fuzuli\nsources: [gazette]\n",
        )],
        code: "invalid-value",
        file: "content/cities/fuzuli.yaml",
        line: 1,
        column: Some(7),
        says: &["`English` is not a language code", "such as `en` or `az`"],
    },
    Case {
        name: "invalid-date",
        overlays: &["invalid-date"],
        files: &[],
        code: "invalid-date",
        file: "content/cities/fuzuli.yaml",
        line: 5,
        column: Some(10),
        says: &[
            "updated: `2023-02-30` is not a valid date: month 2 of 2023 has 28 days",
            "YYYY-MM-DD",
        ],
    },
    Case {
        name: "lat-out-of-range",
        overlays: &["lat-out-of-range"],
        files: &[],
        code: "out-of-range",
        file: "content/cities/fuzuli.yaml",
        line: 4,
        column: Some(17),
        says: &["latitude 147.1 is outside -90 to 90", "swapped"],
    },
    Case {
        name: "zero-or-negative-length",
        overlays: &["zero-or-negative-length"],
        files: &[],
        code: "out-of-range",
        file: "content/roads/fuzuli-loop.yaml",
        line: 4,
        column: Some(12),
        says: &["length_km is 0; a road's length must be more than 0", "kilometres"],
    },
    Case {
        name: "bad-id",
        overlays: &["bad-id"],
        files: &[],
        code: "bad-id",
        file: "content/cities/Lachin City.yaml",
        line: 0,
        column: None,
        says: &["`Lachin City` is not a valid id", "rename the file to `content/cities/lachin-city.yaml`"],
    },
    Case {
        name: "duplicate-id",
        overlays: &["duplicate-id"],
        files: &[],
        code: "duplicate-id",
        file: "content/cities/fuzuli.yaml",
        line: 1,
        column: Some(1),
        says: &[
            "two city records have the id `fuzuli`",
            "content/cities/fuzuli.md",
            "content/cities/fuzuli.yaml",
            "keep one of the two files",
        ],
    },
    Case {
        name: "broken-reference",
        overlays: &["broken-reference"],
        files: &[],
        code: "broken-reference",
        file: "content/roads/fuzuli-road.yaml",
        line: 3,
        column: Some(5),
        says: &["there is no city with the id `fuzul`", "did you mean `fuzuli`?"],
    },
    Case {
        name: "broken-reference (in the front matter of a .md record)",
        overlays: &[],
        files: &[(
            "content/roads/fuzuli-road.md",
            b"---\nname: Fuzuli road\nfrom: fuzuli\nto: fuzul\nsources: [gazette]\n---\nA road.\n",
        )],
        code: "broken-reference",
        file: "content/roads/fuzuli-road.md",
        line: 4,
        column: Some(5),
        says: &["did you mean `fuzuli`?"],
    },
    Case {
        name: "unsourced-observation",
        overlays: &["unsourced-observation"],
        files: &[],
        code: "unsourced-observation",
        file: "content/indicators/people-returned.yaml",
        line: 5,
        column: Some(5),
        says: &["the observation of 2025-06-17 has no source", "add `source: <source id>`"],
    },
    Case {
        name: "template-error",
        overlays: &["template-error"],
        files: &[],
        code: "template",
        file: "templates/base.html",
        line: 5,
        column: Some(7),
        says: &["`nope` is not defined"],
    },
    Case {
        name: "template-error (in a chrome partial)",
        overlays: &[],
        files: &[(
            "templates/partials/site-footer.html",
            b"<footer>\n<p>{{ nope }}</p>\n</footer>\n",
        )],
        code: "template",
        file: "templates/partials/site-footer.html",
        line: 2,
        column: Some(7),
        says: &["`nope` is not defined"],
    },
    Case {
        name: "empty-file",
        overlays: &["empty-file"],
        files: &[],
        code: "empty-record",
        file: "content/cities/lachin.yaml",
        line: 1,
        column: Some(1),
        says: &["this city has no fields", "name: …"],
    },
    Case {
        name: "empty-file (only a comment and `---`)",
        overlays: &[],
        files: &[("content/cities/lachin.yaml", b"# to do\n---\n")],
        code: "empty-record",
        file: "content/cities/lachin.yaml",
        line: 1,
        column: Some(1),
        says: &["this city has no fields"],
    },
    Case {
        name: "utf8-bom-crlf (the line survives the byte order mark and CRLF)",
        overlays: &[],
        files: &[(
            "content/cities/fuzuli.yaml",
            b"\xEF\xBB\xBFname: Fuzuli\r\nkind: city\r\nsumary: A city.\r\ndistrict: Fuzuli\r\nsources: [gazette]\r\n",
        )],
        code: "unknown-field",
        file: "content/cities/fuzuli.yaml",
        line: 3,
        column: Some(1),
        says: &["unknown field `sumary`", "did you mean `summary`?"],
    },
    Case {
        name: "utf8-bom-crlf in a .md record (front matter offsets the line)",
        overlays: &[],
        files: &[(
            "content/cities/lachin.md",
            b"\xEF\xBB\xBF---\r\nname: Lachin\r\nkind: citty\r\ndistrict: Lachin\r\nsources: [gazette]\r\n---\r\nText.\r\n",
        )],
        code: "invalid-value",
        file: "content/cities/lachin.md",
        line: 3,
        column: Some(7),
        says: &["`citty`", "did you mean `city`?"],
    },
    Case {
        name: "non-utf8",
        overlays: &[],
        files: &[(
            "content/cities/fuzuli.yaml",
            b"name: Fuzuli\nkind: ci\xFFty\ndistrict: Fuzuli\nsources: [gazette]\n",
        )],
        code: "not-utf8",
        file: "content/cities/fuzuli.yaml",
        line: 2,
        column: Some(9),
        says: &["not valid UTF-8", "0xFF", "save the file as UTF-8"],
    },
    Case {
        name: "control character (a NUL byte)",
        overlays: &[],
        files: &[(
            "content/cities/fuzuli.yaml",
            b"name: Fuzuli\nkind: city\ndistrict: Fu\x00zuli\nsources: [gazette]\n",
        )],
        code: "control-character",
        file: "content/cities/fuzuli.yaml",
        line: 3,
        column: Some(13),
        says: &["invisible control character", "delete it"],
    },
    Case {
        name: "tabs",
        overlays: &["tabs"],
        files: &[],
        code: "yaml-syntax",
        file: "content/cities/fuzuli.yaml",
        line: 5,
        column: Some(1),
        says: &["tabs", "spaces, not tabs"],
    },
    Case {
        name: "alias-bomb",
        overlays: &["alias-bomb"],
        files: &[],
        code: "yaml-alias",
        file: "content/cities/fuzuli.yaml",
        line: 5,
        column: Some(8),
        says: &["aliases", "write the value out in full"],
    },
    Case {
        name: "deep-nesting",
        overlays: &["deep-nesting"],
        files: &[],
        code: "too-deep",
        file: "content/cities/fuzuli.yaml",
        line: 4,
        column: Some(41),
        says: &["nested more than 32 levels", "nesting"],
    },
    Case {
        name: "a narrative of 100 nested block quotes",
        overlays: &[],
        files: &[(
            "content/cities/lachin.md",
            b"---\nname: Lachin\nkind: city\ndistrict: Lachin\nsources: [gazette]\nupdated: 2025-06-01\n---\nIntro.\n\n>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>> deep\n",
        )],
        code: "too-deep",
        file: "content/cities/lachin.md",
        line: 10,
        column: Some(33),
        says: &["nested more than 32 levels", "at most 32 levels"],
    },
    Case {
        name: "templates that include each other",
        overlays: &[],
        files: &[
            ("templates/a.html", b"<p>a</p>\n  {% include \"b.html\" %}\n"),
            ("templates/b.html", b"{% include \"a.html\" %}\n"),
        ],
        code: "template",
        file: "templates/a.html",
        line: 2,
        column: Some(3),
        says: &["a.html → b.html → a.html", "cannot include itself"],
    },
    Case {
        name: "a template that extends itself",
        overlays: &[],
        files: &[("templates/page.html", b"\n{% extends \"page.html\" %}\n")],
        code: "template",
        file: "templates/page.html",
        line: 2,
        column: Some(1),
        says: &["`page.html` extends `page.html`", "cannot extend itself"],
    },
    Case {
        name: "several documents in one record",
        overlays: &[],
        files: &[(
            "content/cities/fuzuli.yaml",
            b"name: Fuzuli\nkind: city\ndistrict: Fuzuli\nsources: [gazette]\n---\nname: Fizuli\n",
        )],
        code: "several-documents",
        file: "content/cities/fuzuli.yaml",
        line: 5,
        column: Some(1),
        says: &["a second YAML document", "remove this `---` line"],
    },
    Case {
        name: "unclosed-front-matter",
        overlays: &["unclosed-front-matter"],
        files: &[],
        code: "unclosed-front-matter",
        file: "content/cities/lachin.md",
        line: 1,
        column: Some(1),
        says: &["never closed", "add a line `---`"],
    },
    Case {
        name: "front-matter-missing",
        overlays: &["front-matter-missing"],
        files: &[],
        code: "no-front-matter",
        file: "content/cities/lachin.md",
        line: 1,
        column: Some(1),
        says: &["does not start with front matter", "start the file with a line `---`"],
    },
    Case {
        name: "orphan-translation",
        overlays: &["orphan-translation"],
        files: &[],
        code: "orphan-translation",
        file: "content/cities/nowhere.az.md",
        line: 0,
        column: None,
        says: &["no record `nowhere`", "add content/cities/nowhere.yaml"],
    },
    // Money (made-up amounts): an unknown currency, with the code meant.
    Case {
        name: "a budget in a currency that is not an ISO 4217 code",
        overlays: &[],
        files: &[(
            "content/projects/school.yaml",
            b"title: School\nsector: education\nbudget: {amount: 100, currency: USS}\nsources: [gazette]\n",
        )],
        code: "invalid-value",
        file: "content/projects/school.yaml",
        line: 3,
        column: Some(33),
        says: &["`USS` is not an ISO 4217 currency code", "did you mean `USD`?"],
    },
    Case {
        name: "a final cost's currency in small letters",
        overlays: &[],
        files: &[(
            "content/projects/school.yaml",
            b"title: School\nsector: education\nfinal_cost:\n  amount: 100\n  currency: azn\nsources: [gazette]\n",
        )],
        code: "invalid-value",
        file: "content/projects/school.yaml",
        line: 5,
        column: Some(13),
        says: &["`azn` is not an ISO 4217 currency code", "did you mean `AZN`?"],
    },
    Case {
        name: "a contract value citing a source that does not exist",
        overlays: &[],
        files: &[(
            "content/projects/school.yaml",
            b"title: School\nsector: education\ncontract_value: {amount: 90, currency: AZN, source: gazete}\nsources: [gazette]\n",
        )],
        code: "broken-reference",
        file: "content/projects/school.yaml",
        line: 3,
        column: Some(53),
        says: &["there is no source with the id `gazete`", "did you mean `gazette`?"],
    },
    Case {
        name: "a negative contract value",
        overlays: &[],
        files: &[(
            "content/projects/school.yaml",
            b"title: School\nsector: education\ncontract_value: {amount: -5, currency: AZN}\nsources: [gazette]\n",
        )],
        code: "out-of-range",
        file: "content/projects/school.yaml",
        line: 3,
        column: Some(26),
        says: &["contract_value amount is -5", "0 or more"],
    },
    Case {
        name: "translation into a language the site does not have",
        overlays: &["translation-unknown-language"],
        files: &[],
        code: "unknown-language",
        file: "content/cities/fuzuli.az.md",
        line: 0,
        column: None,
        says: &["not one of the site's languages (en)", "add `az` to `languages` in site.yaml"],
    },
    Case {
        name: "lanes out of range (a range rule of the field table)",
        overlays: &[],
        files: &[(
            "content/roads/fuzuli-loop.yaml",
            b"name: Fuzuli loop\nfrom: fuzuli\nto: fuzuli\nlanes: 0\nsources: [gazette]\nupdated: 2025-06-01\n",
        )],
        code: "out-of-range",
        file: "content/roads/fuzuli-loop.yaml",
        line: 4,
        column: Some(8),
        says: &["lanes is 0", "1 or more"],
    },
    Case {
        name: "opened before started (a date-order rule of the field table)",
        overlays: &[],
        files: &[(
            "content/roads/fuzuli-loop.yaml",
            b"name: Fuzuli loop\nfrom: fuzuli\nto: fuzuli\nstarted: 2024-05\nopened: 2023\nsources: [gazette]\nupdated: 2025-06-01\n",
        )],
        code: "date-order",
        file: "content/roads/fuzuli-loop.yaml",
        line: 5,
        column: Some(9),
        says: &["opened (2023) is before started (2024-05)"],
    },
    Case {
        name: "a source citing a source that does not exist",
        overlays: &[],
        files: &[(
            "content/sources/notes.yaml",
            b"title: Notes\npublisher: Someone\nsources: [gazete]\n",
        )],
        code: "broken-reference",
        file: "content/sources/notes.yaml",
        line: 3,
        column: Some(11),
        says: &["there is no source with the id `gazete`", "did you mean `gazette`?"],
    },
    Case {
        name: "reserved-page (a free page at data/)",
        overlays: &[],
        files: &[(
            "content/pages/data.md",
            b"---\ntitle: Data\n---\nOur data.\n",
        )],
        code: "reserved-page",
        file: "content/pages/data.md",
        line: 0,
        column: None,
        says: &["taken by one of berpa's built-in pages", "about-data.md"],
    },
];

#[test]
fn every_broken_input_names_file_line_and_what_to_change() {
    let mut failures = Vec::new();
    for case in CASES {
        let dir = site(case.overlays, case.files);
        let start = Instant::now();
        let run = check(dir.path(), &["--format", "json"]);
        let took = start.elapsed();
        let name = case.name;
        let ds = diagnostics(&run);
        if run.status != 1 {
            failures.push(format!(
                "{name}: exit code {} (want 1); stderr: {}",
                run.status, run.stderr
            ));
        }
        if took > Duration::from_secs(20) {
            failures.push(format!("{name}: took {took:?}"));
        }
        // Every diagnostic names a file and says what to change.
        for d in &ds {
            if s(d, "file").is_empty() || s(d, "message").is_empty() || s(d, "help").is_empty() {
                failures.push(format!(
                    "{name}: a diagnostic without file, message or help: {d}"
                ));
            }
        }
        let found = ds.iter().find(|d| {
            s(d, "severity") == "error" && s(d, "code") == case.code && s(d, "file") == case.file
        });
        let Some(d) = found else {
            failures.push(format!(
                "{name}: no `{}` error in {}; got:{}",
                case.code,
                case.file,
                show(&ds)
            ));
            continue;
        };
        if n(d, "line") != case.line {
            failures.push(format!(
                "{name}: line {} (want {}): {d}",
                n(d, "line"),
                case.line
            ));
        }
        if let Some(c) = case.column
            && n(d, "column") != c
        {
            failures.push(format!("{name}: column {} (want {c}): {d}", n(d, "column")));
        }
        let text = format!("{} {}", s(d, "message"), s(d, "help"));
        for want in case.says {
            if !text.contains(want) {
                failures.push(format!("{name}: does not say {want:?}: {d}"));
            }
        }
        // Raw parser wording must not leak through.
        for raw in [
            "invalid type:",
            "unknown variant",
            "expected f64",
            "struct City",
            " as u128",
        ] {
            if text.contains(raw) {
                failures.push(format!("{name}: raw parser wording {raw:?}: {d}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------- the valid site

#[test]
fn the_base_site_is_valid_with_no_warnings() {
    let root = common::fixture("base");
    let run = check(&root, &["--format", "json"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(diagnostics(&run).is_empty(), "{}", run.stdout);
    let human = check(&root, &[]);
    assert_eq!(human.status, 0);
    assert!(human.stderr.contains("ok: 2 records"), "{}", human.stderr);
    assert!(human.stderr.contains("0 warning(s)"), "{}", human.stderr);
}

#[test]
fn a_valid_record_with_bom_and_crlf_is_read() {
    let dir = site(
        &[],
        &[(
            "content/cities/fuzuli.yaml",
            b"\xEF\xBB\xBFname: Fuzuli\r\nkind: city\r\ndistrict: Fuzuli\r\nsources: [gazette]\r\nupdated: 2025-06-01\r\n",
        )],
    );
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(diagnostics(&run).is_empty(), "{}", run.stdout);
}

// ---------------------------------------------------------------- files that are generated

#[test]
fn a_file_over_the_size_limit_is_refused() {
    let big = vec![b'#'; berpa::load::MAX_FILE_BYTES as usize + 1];
    let dir = site(&[], &[("content/cities/big.yaml", &big)]);
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let ds = diagnostics(&run);
    let d = ds
        .iter()
        .find(|d| s(d, "code") == "too-large")
        .unwrap_or_else(|| panic!("no too-large:{}", show(&ds)));
    assert_eq!(s(d, "file"), "content/cities/big.yaml");
    assert!(
        s(d, "message").contains(&berpa::load::MAX_FILE_BYTES.to_string()),
        "{d}"
    );
    assert!(s(d, "help").contains("split it"), "{d}");
}

#[test]
fn a_record_with_too_many_values_is_refused() {
    let mut text = b"name: Fuzuli\nkind: city\ndistrict: Fuzuli\nsources:\n".to_vec();
    for _ in 0..210_000 {
        text.extend_from_slice(b"- g\n");
    }
    let dir = site(&[], &[("content/cities/fuzuli.yaml", &text)]);
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let ds = diagnostics(&run);
    assert!(
        ds.iter().any(|d| s(d, "code") == "too-large"
            && s(d, "file") == "content/cities/fuzuli.yaml"
            && n(d, "line") == 1),
        "{}",
        show(&ds)
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_pointing_outside_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.yaml",
        b"name: Secret\nkind: city\ndistrict: Secret\nsources: [gazette]\n",
    );
    let dir = site(&[], &[]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("content/cities/secret.yaml"),
    )
    .unwrap();
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let ds = diagnostics(&run);
    let d = ds
        .iter()
        .find(|d| s(d, "code") == "symlink-outside")
        .unwrap_or_else(|| panic!("no symlink-outside:{}", show(&ds)));
    assert_eq!(s(d, "file"), "content/cities/secret.yaml");
    assert!(s(d, "message").contains("points outside the site"), "{d}");
    assert!(s(d, "help").contains("copy the file into the site"), "{d}");
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_file_inside_the_site_is_read() {
    let dir = site(
        &[],
        &[(
            "shared/lachin.yaml",
            b"name: Lachin\nkind: city\ndistrict: Lachin\nsources: [gazette]\nupdated: 2025-06-01\n",
        )],
    );
    std::os::unix::fs::symlink(
        "../../shared/lachin.yaml",
        dir.path().join("content/cities/lachin.yaml"),
    )
    .unwrap();
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(diagnostics(&run).is_empty(), "{}", run.stdout);
    let b = berpa::build_in_memory(&berpa::Options {
        root: dir.path().to_path_buf(),
        ..Default::default()
    });
    assert_eq!(b.stats.records, 3, "{:#?}", b.diagnostics);
}

// ---------------------------------------------------------------- one run, every problem

#[test]
fn every_error_of_a_site_is_reported_in_one_run() {
    let dir = site(&["unknown-field", "broken-reference", "bad-id"], &[]);
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.status, 1);
    let ds = diagnostics(&run);
    let errors: Vec<(&str, &str)> = ds
        .iter()
        .filter(|d| s(d, "severity") == "error")
        .map(|d| (s(d, "code"), s(d, "file")))
        .collect();
    for want in [
        ("unknown-field", "content/cities/fuzuli.yaml"),
        ("broken-reference", "content/roads/fuzuli-road.yaml"),
        ("bad-id", "content/cities/Lachin City.yaml"),
    ] {
        assert!(errors.contains(&want), "missing {want:?}:{}", show(&ds));
    }
    // Sorted by file, then line.
    let files: Vec<&str> = ds.iter().map(|d| s(d, "file")).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

// ---------------------------------------------------------------- output formats

#[test]
fn github_format_prints_workflow_annotations() {
    let dir = site(&["invalid-value"], &[]);
    let run = check(dir.path(), &["--format", "github"]);
    assert_eq!(run.status, 1);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("no ::error line in {:?}", run.stdout));
    assert_eq!(
        line,
        "::error file=content/cities/fuzuli.yaml,line=2,col=7,title=invalid-value::kind: `citty` is not an allowed value — did you mean `city`? allowed: city, town, village"
    );
}

#[test]
fn human_format_shows_the_place_the_snippet_and_the_help() {
    let dir = site(&["invalid-value", "bad-id"], &[]);
    let run = check(dir.path(), &[]);
    assert_eq!(run.status, 1);
    assert!(
        run.stdout.is_empty(),
        "human output goes to stderr: {}",
        run.stdout
    );
    let err = &run.stderr;
    for want in [
        "content/cities/fuzuli.yaml:2:7",
        "kind: `citty` is not an allowed value",
        "kind: citty",
        "help: did you mean `city`?",
        // a problem with the file as a whole names the file
        "content/cities/Lachin City.yaml: `Lachin City` is not a valid id",
        "2 error(s)",
    ] {
        assert!(err.contains(want), "stderr does not show {want:?}:\n{err}");
    }
}

// ---------------------------------------------------------------- warnings and strictness

#[test]
fn warnings_pass_but_fail_under_strict() {
    let dir = site(&["warnings"], &[]);
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.status, 0, "warnings alone do not fail: {}", run.stdout);
    let ds = diagnostics(&run);
    let expect = [
        (
            "no-sources",
            "content/cities/lachin.yaml",
            1,
            "cites no source",
        ),
        (
            "uncited-source",
            "content/sources/herald.yaml",
            0,
            "no record cites the source `herald`",
        ),
        (
            "stale",
            "content/cities/agdam.yaml",
            6,
            "last updated on 2024-01-31, over a year ago",
        ),
    ];
    for (code, file, line, says) in expect {
        let d = ds
            .iter()
            .find(|d| s(d, "code") == code)
            .unwrap_or_else(|| panic!("no {code}:{}", show(&ds)));
        assert_eq!(s(d, "severity"), "warning", "{d}");
        assert_eq!(s(d, "file"), file, "{d}");
        assert_eq!(n(d, "line"), line, "{d}");
        assert!(s(d, "message").contains(says), "{d}");
        assert!(!s(d, "help").is_empty(), "{d}");
    }
    assert_eq!(ds.len(), 3, "{}", show(&ds));

    let strict = check(dir.path(), &["--strict", "--format", "json"]);
    assert_eq!(strict.status, 1, "--strict turns warnings into errors");
    let sd = diagnostics(&strict);
    assert_eq!(sd.len(), 3, "{}", show(&sd));
    assert!(
        sd.iter().all(|d| s(d, "severity") == "error"),
        "{}",
        show(&sd)
    );

    let mut cfg = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    cfg.push_str("strict: true\n");
    write(dir.path(), "site.yaml", cfg.as_bytes());
    let by_config = check(dir.path(), &["--format", "json"]);
    assert_eq!(
        by_config.status, 1,
        "`strict: true` in site.yaml turns warnings into errors"
    );
    assert!(
        diagnostics(&by_config)
            .iter()
            .all(|d| s(d, "severity") == "error")
    );
}

#[test]
fn a_usage_error_exits_with_2() {
    let run = check(&common::fixture("base"), &["--no-such-flag"]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    let run = check(&common::fixture("base"), &["--format", "xml"]);
    assert_eq!(run.status, 2, "{}", run.stderr);
}

// ---------------------------------------------------------------- never panics

/// Deterministic pseudo-random bytes (no dependency needed).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn nasty_inputs_never_panic_and_are_pointed_at() {
    const CITY: &str = "content/cities/fuzuli.yaml";
    const ROAD: &str = "content/roads/r.yaml";
    let road = |extra: &str| {
        format!("name: R\nfrom: fuzuli\nto: fuzuli\nsources: [gazette]\n{extra}\n").into_bytes()
    };
    let city = |extra: &str| {
        format!("name: Fuzuli\nkind: city\ndistrict: Fuzuli\nsources: [gazette]\n{extra}\n")
            .into_bytes()
    };
    let mut inputs: Vec<(&str, &str, Vec<u8>)> = vec![
        ("random bytes", CITY, noise(1, 4096)),
        (
            "random bytes in a .md record",
            "content/cities/lachin.md",
            {
                let mut v = b"---\nname: x\n".to_vec();
                v.extend(noise(2, 2048));
                v
            },
        ),
        ("random bytes in site.yaml", "site.yaml", noise(3, 512)),
        (
            "random ASCII",
            CITY,
            noise(4, 4096).into_iter().map(|b| b % 95 + 32).collect(),
        ),
        ("huge number", ROAD, road("length_km: 1e999")),
        ("infinite number", ROAD, road("length_km: .inf")),
        (
            "huge whole number",
            ROAD,
            road("lanes: 99999999999999999999999999"),
        ),
        ("negative whole number", ROAD, road("lanes: -1")),
        ("NaN latitude", CITY, city("location: {lat: .nan, lon: 47}")),
        (
            "a point of three numbers",
            ROAD,
            road("geometry: [[1, 2, 3]]"),
        ),
        ("key that is a list", CITY, city("[a, b]: 1")),
        ("complex key", CITY, city("? {a: 1}\n: 2")),
        (
            "name that is a list",
            CITY,
            b"name: [1, 2]\nkind: city\ndistrict: F\n".to_vec(),
        ),
        ("`---` only", CITY, b"---\n".to_vec()),
        (
            "`---` only in .md",
            "content/cities/lachin.md",
            b"---\n".to_vec(),
        ),
        (
            "`---` twice only in .md",
            "content/cities/lachin.md",
            b"---\n---\n".to_vec(),
        ),
        (
            "!!binary where a number goes",
            ROAD,
            road("length_km: !!binary aGVsbG8="),
        ),
        (
            "!!binary where a code goes",
            CITY,
            b"name: F\nkind: !!binary Y2l0eQ==\ndistrict: F\n".to_vec(),
        ),
        (
            "unknown tag",
            CITY,
            city("status: !!python/object:os.system planned\nx: 1"),
        ),
        ("merge key", CITY, city("<<: {region: x}")),
        ("anchor and alias", CITY, city("region: &r x\nsummary: *r")),
        (
            "a very long line",
            CITY,
            city(&format!("summary: {}: x", "a".repeat(1_000_000))),
        ),
        (
            "a very long key",
            CITY,
            city(&format!("{}: x", "k".repeat(100_000))),
        ),
        ("many open brackets", CITY, "[".repeat(100_000).into_bytes()),
        (
            "many open braces",
            CITY,
            "{a: ".repeat(100_000).into_bytes(),
        ),
        ("deep block nesting", CITY, {
            let mut s = String::from("name: F\nkind: city\ndistrict: F\nsummary:\n");
            for i in 1..200 {
                s.push_str(&" ".repeat(i));
                s.push_str("- \n");
            }
            s.into_bytes()
        }),
        ("only a number", CITY, b"42".to_vec()),
        ("only a quote", CITY, b"\"".to_vec()),
        ("only a closing bracket", CITY, b"]".to_vec()),
        ("null", CITY, b"~".to_vec()),
        ("a list instead of fields", CITY, b"- name: F\n".to_vec()),
        ("NUL byte", CITY, city("region: a\0b")),
        (
            "DEL and C1 control",
            CITY,
            city("region: a\x7f\u{85}\u{9c}b"),
        ),
        (
            "encoded surrogate",
            CITY,
            b"name: \xED\xA0\x80\nkind: city\n".to_vec(),
        ),
        (
            "truncated UTF-8 at the end",
            CITY,
            b"name: F\nkind: city\ndistrict: \xC9".to_vec(),
        ),
        (
            "CR-only line ends",
            CITY,
            b"name: F\rkind: citty\rdistrict: F\r".to_vec(),
        ),
        (
            "BOM in the middle",
            CITY,
            city("region: a\u{feff}\nnmae: x"),
        ),
        (
            "YAML directive and two documents",
            CITY,
            b"%YAML 1.2\n---\nname: F\n---\nname: G\n".to_vec(),
        ),
        ("impossible dates", CITY, city("updated: 0000-00-00")),
        (
            "a date with a time",
            CITY,
            city("updated: 2025-06-01T10:00:00Z"),
        ),
        (
            "a date as a big number",
            CITY,
            city("updated: 18446744073709551616"),
        ),
        ("a negative year", CITY, city("updated: -2021-01-01")),
        (
            "translation with fields",
            "content/cities/fuzuli.en.md",
            b"---\nname: x\n---\nText\n".to_vec(),
        ),
        (
            "page without a title",
            "content/pages/about.md",
            b"---\nmenu: yes please\n---\nText\n".to_vec(),
        ),
        (
            "page front matter unclosed",
            "content/pages/about.md",
            b"---\ntitle: About\n".to_vec(),
        ),
        ("site.yaml as a list", "site.yaml", b"- title: x\n".to_vec()),
        (
            "site.yaml with a bad language",
            "site.yaml",
            b"title: T\nbase_url: https://example.test/\nlanguages: [English]\n".to_vec(),
        ),
        (
            "site.yaml alias bomb",
            "site.yaml",
            b"a: &a [x, x]\nb: [*a, *a]\n".to_vec(),
        ),
    ];
    // Many values: refused before they are all expanded.
    let mut many = city("region:");
    for _ in 0..250_000 {
        many.extend_from_slice(b"  - 1\n");
    }
    inputs.push(("too many values", CITY, many));

    let mut failures = Vec::new();
    for (name, rel, bytes) in &inputs {
        let dir = site(&[], &[(rel, bytes)]);
        std::fs::create_dir_all(dir.path().join("content/roads")).unwrap();
        let root = dir.path().to_path_buf();
        let start = Instant::now();
        let b = std::panic::catch_unwind(|| {
            berpa::build_in_memory(&berpa::Options {
                root: root.clone(),
                ..Default::default()
            })
        });
        let took = start.elapsed();
        let Ok(b) = b else {
            failures.push(format!("{name}: panicked"));
            continue;
        };
        if took > Duration::from_secs(30) {
            failures.push(format!("{name}: took {took:?}"));
        }
        let errors: Vec<_> = b
            .diagnostics
            .items()
            .iter()
            .filter(|d| d.severity == berpa::site::diagnostics::Severity::Error)
            .collect();
        if errors.is_empty() {
            failures.push(format!("{name}: accepted: {:#?}", b.diagnostics.items()));
            continue;
        }
        if !errors.iter().any(|d| d.file == *rel && d.line > 0) {
            failures.push(format!("{name}: no error at a line of {rel}: {errors:#?}"));
        }
        for d in &errors {
            if d.file.is_empty() || d.help.is_none() {
                failures.push(format!("{name}: a diagnostic without file or help: {d:#?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------- links and special files

/// A file outside any site, holding a secret: broken YAML and a broken template, so that a
/// reader that took it would quote it in an error.
fn secret_outside() -> (tempfile::TempDir, std::path::PathBuf) {
    let outside = tempfile::tempdir().unwrap();
    let path = outside.path().join("secret.yaml");
    std::fs::write(&path, "title: [BERPA-SECRET-7F3A\n{% if %}\n").unwrap();
    (outside, path)
}

fn run_text(run: &Run) -> String {
    format!("{}{}", run.stdout, run.stderr)
}

#[cfg(unix)]
#[test]
fn a_site_file_linked_outside_the_site_is_refused_and_never_shown() {
    let (_outside, secret) = secret_outside();
    for rel in [
        "site.yaml",
        "templates/page.html",
        "i18n/en.yaml",
        "static/style.css",
        "content/charts/roads.yaml",
        "content/cities/lachin.yaml",
    ] {
        let dir = site(&[], &[]);
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&path);
        std::os::unix::fs::symlink(&secret, &path).unwrap();
        let json = check(dir.path(), &["--format", "json"]);
        assert_eq!(json.status, 1, "{rel}: {}", run_text(&json));
        let ds = diagnostics(&json);
        assert!(
            ds.iter().any(|d| s(d, "code") == "symlink-outside"
                && s(d, "file") == rel
                && s(d, "severity") == "error"),
            "{rel}:{}",
            show(&ds)
        );
        for format in ["human", "github", "json"] {
            let run = check(dir.path(), &["--format", format]);
            assert!(
                !run_text(&run).contains("BERPA-SECRET"),
                "{rel} ({format}) shows what the link leads to:\n{}",
                run_text(&run)
            );
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn site_yaml_linked_to_the_environment_never_prints_it() {
    let dir = site(&[], &[]);
    std::fs::remove_file(dir.path().join("site.yaml")).unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", dir.path().join("site.yaml")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_berpa"))
        .args(["build", "--root"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .env("BERPA_TEST_TOKEN", "ghp_NOT-A-REAL-TOKEN-51C2")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("site.yaml"), "{text}");
    assert!(text.contains("points outside the site"), "{text}");
    assert!(
        !text.contains("NOT-A-REAL-TOKEN"),
        "the environment was printed:\n{text}"
    );
}

/// Runs `build_to` on a thread: `None` if it has not returned after a generous while (a
/// build waiting on a named pipe never would).
fn build_to_within(root: &Path, out: &Path) -> Option<berpa::Build> {
    let (tx, rx) = std::sync::mpsc::channel();
    let (root, out) = (root.to_path_buf(), out.to_path_buf());
    std::thread::spawn(move || {
        let opts = berpa::Options {
            root,
            ..Default::default()
        };
        let _ = tx.send(berpa::build_to(&opts, &out).0);
    });
    rx.recv_timeout(Duration::from_secs(120)).ok()
}

#[cfg(unix)]
#[test]
fn a_named_pipe_fails_the_build_instead_of_blocking_it() {
    for rel in [
        "site.yaml",
        "content/cities/pipe.yaml",
        "content/charts/pipe.yaml",
        "static/pipe.css",
        "templates/page.html",
        "i18n/en.yaml",
    ] {
        let dir = site(&[], &[]);
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&path);
        let made = Command::new("mkfifo").arg(&path).status().unwrap();
        assert!(made.success(), "mkfifo {rel}");
        let out = dir.path().join("public");
        let b = build_to_within(dir.path(), &out)
            .unwrap_or_else(|| panic!("{rel}: the build is still waiting on the pipe"));
        assert!(b.output.is_none(), "{rel}: the build succeeded");
        let d = b
            .diagnostics
            .items()
            .iter()
            .find(|d| d.code == "not-a-file")
            .unwrap_or_else(|| panic!("{rel}: no not-a-file: {:#?}", b.diagnostics.items()));
        assert_eq!(d.file, rel);
        assert!(d.message.contains("named pipe"), "{d:?}");
        assert!(
            d.help.as_deref().unwrap_or("").contains("remove it"),
            "{d:?}"
        );
        assert!(!out.exists(), "{rel}: a failed build wrote output");
    }
}

#[cfg(unix)]
#[test]
fn a_link_to_a_folder_is_an_error_not_a_silent_gap() {
    for (link, target, file) in [
        (
            "content/cities",
            "../shared/cities",
            "shared/cities/lachin.yaml",
        ),
        ("static/img", "../shared/img", "shared/img/a.svg"),
    ] {
        let dir = site(
            &[],
            &[(
                file,
                b"name: Lachin\nkind: city\ndistrict: Lachin\nsources: [gazette]\nupdated: 2025-06-01\n",
            )],
        );
        let path = dir.path().join(link);
        if path.is_dir() {
            // content/cities holds the base site's city: it moves into the linked folder.
            std::fs::rename(
                path.join("fuzuli.yaml"),
                dir.path().join("shared/cities/fuzuli.yaml"),
            )
            .unwrap();
            std::fs::remove_dir(&path).unwrap();
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, &path).unwrap();
        let run = check(dir.path(), &["--format", "json"]);
        assert_eq!(run.status, 1, "{link}: {}", run_text(&run));
        let ds = diagnostics(&run);
        let d = ds
            .iter()
            .find(|d| s(d, "code") == "symlink-dir")
            .unwrap_or_else(|| panic!("{link}: no symlink-dir:{}", show(&ds)));
        assert_eq!(s(d, "severity"), "error", "{d}");
        assert_eq!(s(d, "file"), link, "{d}");
        assert!(s(d, "message").contains("left out"), "{d}");
    }
}

// ---------------------------------------------------------------- nesting

#[test]
fn a_four_mebibyte_narrative_of_nested_quotes_is_refused_at_its_line() {
    let head = "---\nname: Lachin\nkind: city\ndistrict: Lachin\nsources: [gazette]\nupdated: 2025-06-01\n---\nIntro.\n\n";
    let mut text = head.to_string();
    text.push_str(&">".repeat(berpa::load::MAX_FILE_BYTES as usize - head.len() - 1));
    text.push('\n');
    assert_eq!(text.len() as u64, berpa::load::MAX_FILE_BYTES);
    let dir = site(&[], &[("content/cities/lachin.md", text.as_bytes())]);
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let ds = diagnostics(&run);
    assert_eq!(ds.len(), 1, "{}", show(&ds));
    let d = &ds[0];
    assert_eq!(s(d, "code"), "too-deep", "{d}");
    assert_eq!(s(d, "file"), "content/cities/lachin.md");
    assert_eq!((n(d, "line"), n(d, "column")), (10, 33), "{d}");
}

#[test]
fn lists_nested_by_indenting_past_the_limit_are_refused_at_their_line() {
    let mut text = String::from(
        "---\nname: Lachin\nkind: city\ndistrict: Lachin\nsources: [gazette]\nupdated: 2025-06-01\n---\n",
    );
    // One item a line, each indented under the one before: line 8 is the first.
    for i in 0..40 {
        text.push_str(&"  ".repeat(i));
        text.push_str("- item\n");
    }
    let dir = site(&[], &[("content/cities/lachin.md", text.as_bytes())]);
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let ds = diagnostics(&run);
    let d = ds
        .iter()
        .find(|d| s(d, "code") == "too-deep")
        .unwrap_or_else(|| panic!("no too-deep:{}", show(&ds)));
    assert_eq!(s(d, "file"), "content/cities/lachin.md");
    // The 33rd item, indented 64 spaces.
    assert_eq!((n(d, "line"), n(d, "column")), (8 + 32, 65), "{d}");
}

// ---------------------------------------------------------------- one mistake, one error

/// The errors of a build of `root`.
fn errors_of(root: &Path) -> Vec<berpa::site::diagnostics::Diagnostic> {
    let b = berpa::build_in_memory(&berpa::Options {
        root: root.to_path_buf(),
        ..Default::default()
    });
    b.diagnostics
        .items()
        .iter()
        .filter(|d| d.severity == berpa::site::diagnostics::Severity::Error)
        .cloned()
        .collect()
}

#[test]
fn a_record_that_fails_to_parse_gives_one_error_not_its_echoes() {
    // alpha is referred to by a road, a project and a page, and has a translation.
    let (_t, root) = common::fixture_copy("mini");
    let path = root.join("content/cities/alpha.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("kind: city\n", "kind: city\nbogus: [\n", 1),
    )
    .unwrap();
    let errors = errors_of(&root);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "yaml-syntax");
    assert_eq!(errors[0].file, "content/cities/alpha.md");
}

#[test]
fn a_site_yaml_that_cannot_be_read_is_the_only_error_reported() {
    let (_t, root) = common::fixture_copy("mini");
    let path = root.join("site.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    for broken in [
        text.replace("languages: [en, az]", "languages: [en, az"),
        text.replace("data_as_of: 2025-06-30", "data_as_of: 2025-13-45"),
        text.replace("languages: [en, az]", "languages: [en, English]"),
    ] {
        std::fs::write(&path, &broken).unwrap();
        let errors = errors_of(&root);
        assert!(!errors.is_empty());
        let b = berpa::build_in_memory(&berpa::Options {
            root: root.clone(),
            ..Default::default()
        });
        let files: Vec<&str> = b
            .diagnostics
            .items()
            .iter()
            .map(|d| d.file.as_str())
            .collect();
        assert!(
            files.iter().all(|f| *f == "site.yaml"),
            "{:#?}",
            b.diagnostics.items()
        );
    }
}

#[test]
fn template_errors_in_a_site_template_never_blame_the_theme() {
    let cases: &[&[(&str, &[u8])]] = &[
        &[
            ("templates/a.html", b"{% include \"b.html\" %}"),
            ("templates/b.html", b"{% include \"a.html\" %}"),
        ],
        &[("templates/page.html", b"{% extends 'page.html' %}")],
        &[
            ("templates/x.html", b"{% extends \"y.html\" %}"),
            ("templates/y.html", b"{% extends \"x.html\" %}"),
        ],
        &[("templates/page.html", b"\n\n{% extends \"nope.html\" %}")],
    ];
    for files in cases {
        let dir = site(&[], files);
        let errors = errors_of(dir.path());
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let d = &errors[0];
        assert!(files.iter().any(|(f, _)| *f == d.file), "{d:#?}");
        assert!(d.line > 0 && d.column > 0, "{d:#?}");
        let help = d.help.as_deref().unwrap_or("");
        assert!(!help.contains("built-in theme"), "{d:#?}");
        assert!(!help.is_empty());
    }
}

#[test]
fn an_id_too_long_for_a_file_name_is_caught_by_check() {
    // 240 characters: its file (.yaml) is fine, its projects chart's name is not.
    let id = "a".repeat(240);
    let city = format!("content/cities/{id}.yaml");
    let road =
        format!("name: R\nfrom: fuzuli\nto: {id}\nsources: [gazette]\nupdated: 2025-06-01\n");
    let dir = site(
        &[],
        &[
            (
                &city,
                b"name: A\nkind: city\ndistrict: A\nsources: [gazette]\nupdated: 2025-06-01\n",
            ),
            ("content/roads/r.yaml", road.as_bytes()),
        ],
    );
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    // The site has a road and no OC4IDS prefix: that warning is not this test's business.
    let ds: Vec<Value> = diagnostics(&run)
        .into_iter()
        .filter(|d| s(d, "severity") == "error")
        .collect();
    assert_eq!(
        ds.len(),
        1,
        "the road's reference is not blamed too:{}",
        show(&ds)
    );
    let d = &ds[0];
    assert_eq!(s(d, "code"), "id-too-long", "{d}");
    assert_eq!(s(d, "file"), city);
    assert!(s(d, "message").contains("255 bytes"), "{d}");
    assert!(s(d, "help").contains("at most 237 characters"), "{d}");
}

#[test]
fn control_characters_in_values_reach_no_terminal() {
    // A raw escape code in a file (its line is the snippet), and one written as YAML's `\e`
    // (its value is in the message).
    for (rel, bytes) in [
        (
            "content/cities/fuzuli.yaml",
            &b"name: Fuzuli\nkind: city\ndistrict: \x1b[31mRED\x1b]0;title\x07\nsources: [gazette]\n"[..],
        ),
        (
            "content/cities/fuzuli.yaml",
            &b"name: Fuzuli\nkind: \"\\e[2J\\e[31mcitty\"\ndistrict: F\nsources: [gazette]\n"[..],
        ),
    ] {
        let dir = site(&[], &[(rel, bytes)]);
        for format in ["human", "github"] {
            let run = check(dir.path(), &["--format", format]);
            assert_eq!(run.status, 1);
            let text = run_text(&run);
            assert!(!text.contains('\x1b'), "{format}: a raw escape:\n{text:?}");
            assert!(!text.contains('\x07'), "{format}: a raw bell:\n{text:?}");
            if format == "human" {
                assert!(text.contains("\\u{1b}"), "not shown escaped:\n{text}");
            }
        }
    }
}

#[test]
fn human_output_counts_columns_in_characters_like_json() {
    // One line, Azerbaijani letters (two bytes each) before the wrong value.
    let dir = site(
        &[],
        &[(
            "content/cities/fuzuli.yaml",
            "{name: Ağcabədi şəhəri, kind: citty, district: F, sources: [gazette]}\n".as_bytes(),
        )],
    );
    let line = "{name: Ağcabədi şəhəri, kind: citty";
    let column = line.chars().count() - "citty".len() + 1;
    let json = check(dir.path(), &["--format", "json"]);
    let ds = diagnostics(&json);
    let d = ds
        .iter()
        .find(|d| s(d, "code") == "invalid-value")
        .unwrap_or_else(|| panic!("no invalid-value:{}", show(&ds)));
    assert_eq!((n(d, "line"), n(d, "column")), (1, column), "{d}");
    let human = check(dir.path(), &[]);
    let want = format!("content/cities/fuzuli.yaml:1:{column}]");
    assert!(human.stderr.contains(&want), "no {want}:\n{}", human.stderr);
}

/// Runs `berpa <args>`, ending it (and failing the test) if it has not finished after
/// `limit`: a test of something that once hung must fail, not hang.
fn run_or_end(args: &[&std::ffi::OsStr], limit: Duration) -> Run {
    let t = tempfile::tempdir().unwrap();
    let (out, err) = (t.path().join("stdout"), t.path().join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_berpa"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .expect("run berpa");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("berpa {args:?} had not finished after {limit:?}: ended");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        status: status.code().unwrap_or(-1),
        stdout: std::fs::read_to_string(out).unwrap(),
        stderr: std::fs::read_to_string(err).unwrap(),
    }
}

/// A longitude that lost its decimal point (`lon: 467483`), on a settlement a road leaves from
/// and on a point of a road's line: each is an error at its value, and `check` and `build`
/// finish (a locator map's search once grew with the coordinate and ran for hours).
#[test]
fn a_lost_decimal_point_in_a_coordinate_is_an_error_and_never_hangs() {
    let dir = site(&["lon-lost-decimal"], &[]);
    let root = dir.path().as_os_str();
    let limit = Duration::from_secs(300);
    let run = run_or_end(
        &[
            "check".as_ref(),
            "--root".as_ref(),
            root,
            "--format".as_ref(),
            "json".as_ref(),
        ],
        limit,
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    let ds = diagnostics(&run);
    let at = |file: &str, line: usize, column: usize, says: &str| {
        ds.iter().any(|d| {
            s(d, "code") == "out-of-range"
                && s(d, "file") == file
                && (n(d, "line"), n(d, "column")) == (line, column)
                && s(d, "message").contains(says)
        })
    };
    assert!(
        at(
            "content/cities/fuzuli.yaml",
            5,
            28,
            "longitude 467483 is outside -180 to 180"
        ),
        "{}",
        show(&ds)
    );
    assert!(
        at(
            "content/roads/horadiz-bypass.yaml",
            6,
            36,
            "longitude 4734 is outside"
        ),
        "{}",
        show(&ds)
    );
    // The record stays for the road that refers to it: no other error (the fixture's missing
    // OC4IDS prefix is a warning, not this test's business).
    let errors = ds.iter().filter(|d| s(d, "severity") == "error").count();
    assert_eq!(errors, 2, "{}", show(&ds));

    let out = dir.path().join("public");
    let run = run_or_end(
        &[
            "build".as_ref(),
            "--root".as_ref(),
            root,
            "--output".as_ref(),
            out.as_os_str(),
        ],
        limit,
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/cities/fuzuli.yaml:5:28"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "a failed build writes nothing");
}
