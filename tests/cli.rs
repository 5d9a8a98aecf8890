//! The command line around the pipeline: `init`, `new`, `completions`, `--help`, and what `build`
//! prints. Each test runs the real binary in a temporary folder.

mod common;

use std::path::Path;
use std::process::{Command, Output};

/// A fixed day (2026-01-15), so sites made by `init` in one test are alike.
const EPOCH: &str = "1768435200";

fn berpa(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_berpa"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run berpa")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn init_then_build_passes_with_no_warnings() {
    let t = tempfile::tempdir().unwrap();
    let o = berpa(&["init", "report"], t.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let site = t.path().join("report");
    for f in [
        "site.yaml",
        "content/cities/example-town.md",
        "content/cities/sample-village.yaml",
        "content/roads/example-town-sample-village.yaml",
        "content/projects/example-school.yaml",
        "content/partners/example-partner.yaml",
        "content/indicators/people-returned.yaml",
        "content/sources/example-bulletin.yaml",
        "content/pages/about.md",
        "content/pages/about.az.md",
    ] {
        assert!(site.join(f).is_file(), "{f} missing");
    }
    // The theme is built in: not copied.
    assert!(!site.join("templates").exists());
    assert!(!site.join("static").exists());
    // The example data says it is invented.
    let town = std::fs::read_to_string(site.join("content/cities/example-town.md")).unwrap();
    assert!(town.contains("EXAMPLE"));
    let cfg = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(cfg.contains("data_as_of: 2026-01-15"), "{cfg}");
    assert!(!cfg.contains('@'), "a placeholder was left in site.yaml");

    let o = berpa(&["check", "--strict", "--root", "report"], t.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 warning(s)"), "{}", stderr(&o));

    let o = berpa(&["build", "--strict"], &site);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains("warning"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "no colours when not a terminal: {err:?}"
    );
    // The one-line summary.
    assert!(err.starts_with("built 7 records into "), "{err}");
    assert!(err.contains(" pages, "), "{err}");
    assert!(err.contains(" charts, "), "{err}");
    assert!(err.contains(" files ("), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(site.join("public/index.html").is_file());
    assert!(site.join("public/cities/example-town/index.html").is_file());
    assert!(site.join("public/az/about/index.html").is_file());
    let page =
        std::fs::read_to_string(site.join("public/indicators/people-returned/index.html")).unwrap();
    assert!(page.contains("2,100"), "the latest example figure is shown");

    // --quiet: nothing but errors.
    let o = berpa(&["build", "--quiet"], &site);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "");
    assert_eq!(stdout(&o), "");
}

#[test]
fn init_with_theme_copies_an_editable_theme_that_builds_the_same_site() {
    let t = tempfile::tempdir().unwrap();
    assert!(berpa(&["init", "plain"], t.path()).status.success());
    let o = berpa(&["init", "themed", "--with-theme"], t.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let themed = t.path().join("themed");
    for f in [
        "templates/base.html",
        "templates/city.html",
        "templates/404.html",
        "static/style.css",
        "static/search.js",
        "i18n/en.yaml",
        "i18n/az.yaml",
    ] {
        assert!(themed.join(f).is_file(), "{f} missing");
    }
    let o = berpa(&["check", "--strict", "--root", "themed"], t.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plain = common::build_ok(&t.path().join("plain"));
    let copied = common::build_ok(&themed);
    assert!(
        plain == copied,
        "a copied theme builds the same site as the built-in one"
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("mine");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let o = berpa(&["init", "mine"], t.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    assert!(!dir.join("site.yaml").exists());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    // An empty folder is fine.
    std::fs::create_dir(t.path().join("empty")).unwrap();
    assert!(berpa(&["init", "empty"], t.path()).status.success());
}

/// A required field's line as `new` writes it, and filled in.
type Fill = (&'static str, &'static str);

/// For each kind: its folder and its required fields.
const KINDS: &[(&str, &str, &[Fill])] = &[
    (
        "city",
        "cities",
        &[
            ("name:", "name: {en: New Town, az: Yeni şəhər}"),
            ("kind:", "kind: town"),
            ("district:", "district: {en: North, az: Şimal}"),
        ],
    ),
    (
        "road",
        "roads",
        &[
            ("name:", "name: {en: New road, az: Yeni yol}"),
            ("from:", "from: example-town"),
            ("to:", "to: sample-village"),
        ],
    ),
    (
        "project",
        "projects",
        &[
            ("title:", "title: {en: New clinic, az: Yeni klinika}"),
            ("sector:", "sector: health"),
        ],
    ),
    (
        "partner",
        "partners",
        &[
            ("name:", "name: {en: New partner, az: Yeni tərəfdaş}"),
            ("kind:", "kind: country"),
        ],
    ),
    (
        "indicator",
        "indicators",
        &[
            (
                "title:",
                "title: {en: Schools opened, az: Açılan məktəblər}",
            ),
            ("unit:", "unit: {en: schools, az: məktəb}"),
        ],
    ),
    (
        "source",
        "sources",
        &[
            ("title:", "title: {en: A new article, az: Yeni məqalə}"),
            ("publisher:", "publisher: {en: A newspaper, az: Qəzet}"),
        ],
    ),
];

#[test]
fn new_writes_a_skeleton_that_check_accepts_once_filled() {
    let t = tempfile::tempdir().unwrap();
    assert!(berpa(&["init", "site"], t.path()).status.success());
    let site = t.path().join("site");
    for (kind, dir, required) in KINDS {
        let id = format!("new-{kind}");
        let o = berpa(&["new", kind, &id, "--root", "site"], t.path());
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", stderr(&o));
        let path = site.join(format!("content/{dir}/{id}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("REQUIRED"), "{kind}");
        for (line, _) in *required {
            assert!(
                text.lines().any(|l| l == *line),
                "{kind}: no empty `{line}` line to fill in:\n{text}"
            );
        }
        // Not filled in yet: check points at a required field.
        let o = berpa(&["check"], &site);
        assert_eq!(o.status.code(), Some(1), "{kind}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("content/{dir}/{id}.yaml")),
            "{kind}: {}",
            stderr(&o)
        );
        // Filled in: accepted.
        let filled: Vec<String> = text
            .lines()
            .map(|l| {
                required
                    .iter()
                    .find(|(empty, _)| l == *empty)
                    .map(|(_, full)| full.to_string())
                    .unwrap_or_else(|| l.to_string())
            })
            .collect();
        std::fs::write(&path, filled.join("\n")).unwrap();
        let o = berpa(&["check"], &site);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", stderr(&o));

        // Never overwritten.
        let before = std::fs::read(&path).unwrap();
        let o = berpa(&["new", kind, &id], &site);
        assert_eq!(o.status.code(), Some(2), "{kind}");
        assert!(
            stderr(&o).contains("refusing to overwrite"),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
    // A record kept as Markdown counts too.
    let o = berpa(&["new", "city", "example-town"], &site);
    assert_eq!(o.status.code(), Some(2));
    assert!(!site.join("content/cities/example-town.yaml").exists());
    // Ids follow the rule for records.
    for bad in ["New-Town", "-town", "a_b", "../escape", "a.b"] {
        let o = berpa(&["new", "city", bad], &site);
        assert_eq!(o.status.code(), Some(2), "{bad}");
    }
    assert!(!t.path().join("escape.yaml").exists());
    // Only in a site.
    let o = berpa(&["new", "city", "x"], t.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("site.yaml"));
}

#[test]
fn completions_for_each_shell() {
    let t = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let o = berpa(&["completions", shell], t.path());
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = stdout(&o);
        for word in ["serve", "init", "new", "check", "completions", "root"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    let o = berpa(&["completions", "tcsh"], t.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn every_command_has_help_with_examples() {
    let t = tempfile::tempdir().unwrap();
    for cmd in [
        &[][..],
        &["build"],
        &["check"],
        &["serve"],
        &["init"],
        &["new"],
        &["completions"],
    ] {
        let mut args: Vec<&str> = cmd.to_vec();
        args.push("--help");
        let o = berpa(&args, t.path());
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let help = stdout(&o);
        assert!(help.contains("Examples:"), "{args:?}:\n{help}");
        assert!(help.contains("berpa "), "{args:?}");
    }
    let serve = stdout(&berpa(&["serve", "--help"], t.path()));
    assert!(serve.contains("--port"));
    assert!(serve.contains("--bind"));
    assert!(serve.contains("127.0.0.1"));
    assert!(serve.contains("--open"));
}

#[test]
fn the_ci_example_builds_and_publishes_public() {
    let text = std::fs::read_to_string(common::repo().join("docs/examples/github-pages.yml"))
        .expect("the CI example named in the README");
    let wf: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    let jobs = wf.get("jobs").expect("jobs");
    let steps = |job: &str| -> Vec<String> {
        jobs.get(job)
            .and_then(|j| j.get("steps"))
            .and_then(|s| s.as_sequence())
            .expect("steps")
            .iter()
            .map(|s| {
                let uses = s.get("uses").and_then(|u| u.as_str()).unwrap_or("");
                let run = s.get("run").and_then(|u| u.as_str()).unwrap_or("");
                format!("{uses}{run}")
            })
            .collect()
    };
    let build = steps("build");
    assert!(build.iter().any(|s| s.contains("berpa check")));
    assert!(build.iter().any(|s| s.contains("berpa build")));
    assert!(
        build
            .iter()
            .any(|s| s.starts_with("actions/upload-pages-artifact"))
    );
    assert!(text.contains("path: public/"));
    assert!(
        steps("deploy")
            .iter()
            .any(|s| s.starts_with("actions/deploy-pages"))
    );
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    assert!(readme.contains("docs/examples/github-pages.yml"));
}

#[test]
fn an_os_error_names_the_path_and_what_berpa_was_doing() {
    let t = tempfile::tempdir().unwrap();
    let o = berpa(&["init", "report"], t.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A folder name longer than any file system takes.
    let long = "b".repeat(300);
    let out = format!("{long}/public");
    let o = berpa(&["build", "--root", "report", "--output", &out], t.path());
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("error: cannot make the folder "), "{e}");
    assert!(e.contains(&long), "the path is named: {e}");
    assert!(e.contains("too long"), "what the system said: {e}");
}
