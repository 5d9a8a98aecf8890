//! The browser suite, as part of `cargo test`: builds the sample report into a temporary folder
//! and runs `node tests/browser/run.mjs` over it — Debian's Chromium driven by playwright-core
//! (never a downloaded browser), with axe-core. It serves the site on 127.0.0.1 and checks one
//! page of every kind at 1280 and 375 px: console errors and failed requests, WCAG 2.x A/AA
//! rules, sideways scrolling, charts, keyboard and focus, the site with JavaScript off, and the
//! search box. Screenshots go to `target/browser-screenshots/`. See tests/browser/run.mjs.
//!
//! There is no silent skip: without Chromium (or Node.js) the test fails and says how to
//! install it. `BERPA_CHROMIUM` names another Chromium binary.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM_MISSING: &str =
    "Chromium is needed for the browser tests: apt-get install chromium (or set BERPA_CHROMIUM)";

fn chromium() -> PathBuf {
    let path = std::env::var_os("BERPA_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "{CHROMIUM_MISSING}; {} does not exist",
        path.display()
    );
    path
}

fn node_version() -> String {
    let out = Command::new("node").arg("--version").output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => panic!(
            "Node.js (20 or later) and npm are needed for the browser tests: \
             apt-get install nodejs npm"
        ),
    }
}

/// `npm ci` from the committed lock file when playwright-core or axe-core is not installed.
fn install_suite(suite: &Path) {
    let installed = ["playwright-core", "axe-core"].iter().all(|p| {
        suite
            .join("node_modules")
            .join(p)
            .join("package.json")
            .is_file()
    });
    if installed {
        return;
    }
    eprintln!(
        "browser suite: installing its npm packages (npm ci in {})",
        suite.display()
    );
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(suite)
        .status()
        .unwrap_or_else(|e| panic!("could not run npm (apt-get install npm): {e}"));
    assert!(status.success(), "npm ci failed in {}", suite.display());
}

#[test]
fn the_sample_report_passes_the_browser_suite() {
    let chromium = chromium();
    let node = node_version();
    let suite = repo().join("tests/browser");
    install_suite(&suite);

    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let (build, written) = berpa::build_to(
        &berpa::Options {
            root: repo(),
            ..Default::default()
        },
        &site,
    );
    assert!(
        !build.diagnostics.has_errors(),
        "the sample report does not build: {:#?}",
        build.diagnostics.items()
    );
    written
        .expect("output when there are no errors")
        .expect("the site is written");

    // target/browser-screenshots, beside target/tmp.
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder")
        .join("browser-screenshots");
    let started = std::time::Instant::now();
    let out = Command::new("node")
        .arg(suite.join("run.mjs"))
        .arg(&site)
        .arg("--screenshots")
        .arg(&shots)
        .env("BERPA_CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    println!("{}", String::from_utf8_lossy(&out.stdout));
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "the browser suite (node {node}, {}) found problems or could not run ({}, after {:.0?}); \
         its report is above. Screenshots: {}",
        chromium.display(),
        out.status,
        started.elapsed(),
        shots.display()
    );
}

/// The tables of the money fixture (made-up amounts in AZN and USD): sorting, filtering and
/// the CSV of the rows shown, whose amounts keep their currency.
#[test]
fn the_tables_of_a_site_with_money_sort_filter_and_download() {
    let chromium = chromium();
    node_version();
    let suite = repo().join("tests/browser");
    install_suite(&suite);
    let (_tmp, site) = built("money");
    let (ok, report) = run_only(&suite, &site, "table", &chromium);
    assert!(ok, "the table checks found problems; the report is above");
    assert!(
        report.contains("amounts with their currency"),
        "no amount was checked in the CSV: {report}"
    );
}

/// A site with collections of its own (the `collections` fixture, invented test data): their
/// list and record pages, and the map with their markers, pass every check of the suite (axe,
/// the layout at each width, keyboard, no JavaScript).
#[test]
fn the_pages_of_declared_collections_pass_the_browser_checks() {
    let chromium = chromium();
    node_version();
    let suite = repo().join("tests/browser");
    install_suite(&suite);
    let (_tmp, site) = built("collections");
    for only in ["schools", "grants", "map/"] {
        let (ok, report) = run_only(&suite, &site, only, &chromium);
        assert!(
            ok,
            "the checks of `{only}` found problems; the report is above"
        );
        assert!(
            report.contains(&format!("en {only}")),
            "no page of `{only}` was checked: {report}"
        );
    }
}

/// A fixture built into a temporary folder (gone with the returned guard).
fn built(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let (build, written) = berpa::build_to(
        &berpa::Options {
            root: fixture(name),
            ..Default::default()
        },
        &site,
    );
    assert!(
        !build.diagnostics.has_errors(),
        "{:#?}",
        build.diagnostics.items()
    );
    written.expect("output").expect("the site is written");
    (tmp, site)
}

/// The suite over the built site at `site`, only the checks `--only` picks: whether they
/// passed, and the report (printed).
fn run_only(
    suite: &std::path::Path,
    site: &std::path::Path,
    only: &str,
    chromium: &std::path::Path,
) -> (bool, String) {
    let out = Command::new("node")
        .arg(suite.join("run.mjs"))
        .arg(site)
        .args(["--only", only])
        .env("BERPA_CHROMIUM", chromium)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    println!("{report}");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    (out.status.success(), report)
}
