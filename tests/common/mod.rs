//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Builds a site in memory and fails the test on any error.
pub fn build_ok(root: &Path) -> berpa::write::OutputSet {
    let b = berpa::build_in_memory(&berpa::Options {
        root: root.to_path_buf(),
        ..Default::default()
    });
    let errors: Vec<_> = b
        .diagnostics
        .items()
        .iter()
        .filter(|d| d.severity == berpa::site::diagnostics::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "build errors: {errors:#?}");
    b.output.expect("output when there are no errors")
}

pub fn page(out: &berpa::write::OutputSet, path: &str) -> String {
    String::from_utf8(
        out.get(path)
            .unwrap_or_else(|| panic!("no file {path} in the output"))
            .to_vec(),
    )
    .expect("utf-8 page")
}

/// Copies a folder tree (for tests that change a site).
pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A copy of a fixture site in a temporary folder (for tests that change a site): the folder
/// (removed when dropped) and the site's root in it.
pub fn fixture_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy_tree(&fixture(name), &site);
    (t, site)
}

/// The values of every `href="…"` and `src="…"` attribute in an HTML text.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
                rest = &rest[end..];
            }
        }
    }
    out
}

/// The `id` attributes of an HTML text.
pub fn ids(html: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(rest[..end].to_string());
        }
    }
    out
}

/// Resolves a relative link from the page at `from` (an output path such as
/// `cities/x/index.html`) to an output path, or None for external links.
pub fn resolve(from: &str, href: &str) -> Option<(String, Option<String>)> {
    if href.starts_with("http://") || href.starts_with("https://") || href.starts_with("mailto:") {
        return None;
    }
    let (path, anchor) = match href.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (href, None),
    };
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    if path.is_empty() {
        return Some((from.to_string(), anchor));
    }
    for seg in path.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let mut p = parts.join("/");
    if path.ends_with('/') || p.is_empty() {
        if !p.is_empty() {
            p.push('/');
        }
        p.push_str("index.html");
    }
    Some((p, anchor))
}

/// Checks that every internal link of every HTML page resolves to a file (and an anchor to an
/// id). Returns the broken ones as "page: href".
pub fn broken_links(out: &berpa::write::OutputSet) -> Vec<String> {
    let mut broken = Vec::new();
    for (path, bytes) in out.iter() {
        if !path.ends_with(".html") || is_not_found(path) {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for href in links(&html) {
            let Some((target, anchor)) = resolve(path, &href) else {
                continue;
            };
            match out.get(&target) {
                None => broken.push(format!("{path}: {href}")),
                Some(t) => {
                    if let Some(a) = anchor
                        && !a.is_empty()
                        && !ids(&String::from_utf8_lossy(t)).contains(&a)
                    {
                        broken.push(format!("{path}: {href} (no id {a})"));
                    }
                }
            }
        }
    }
    broken
}

/// Whether `path` is a page-not-found page (`404.html`, `az/404.html`): served at any address,
/// so its links start at the base URL's path.
pub fn is_not_found(path: &str) -> bool {
    path == "404.html" || path.ends_with("/404.html")
}

/// One diagnostic of `berpa check --format json`; `text` is its message and help.
#[derive(Debug)]
pub struct Diag {
    pub code: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub text: String,
}

/// The diagnostics of `berpa check` (the real binary, `bin`) over the site at `root`.
pub fn check_json(bin: &str, root: &Path) -> Vec<Diag> {
    let out = std::process::Command::new(bin)
        .args(["check", "--format", "json", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let d: serde_json::Value = serde_json::from_str(l).unwrap();
            Diag {
                code: d["code"].as_str().unwrap_or("").into(),
                file: d["file"].as_str().unwrap_or("").into(),
                line: d["line"].as_u64().unwrap_or(0) as usize,
                column: d["column"].as_u64().unwrap_or(0) as usize,
                text: format!(
                    "{} {}",
                    d["message"].as_str().unwrap_or(""),
                    d["help"].as_str().unwrap_or("")
                ),
            }
        })
        .collect()
}
