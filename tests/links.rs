//! `berpa check --links` against a server on this machine (never the internet): an address that
//! answers 200, one that answers 404 and one that refuses; and the offline path, where nothing
//! answers at all. Also the rules and the page of a source's archived copy and hash.

mod common;

use common::{build_ok, fixture_copy, page};
use std::path::Path;
use std::process::{Command, Output};

fn edit(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

/// A server on 127.0.0.1: `/ok` answers 200, `/gone` 404, `/moved` redirects to `/ok`, and
/// `/get-only` refuses HEAD (405) but answers GET. Its port.
fn serve() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let l = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = axum::Router::new()
                .route("/ok", axum::routing::get(|| async { "still here" }))
                .route(
                    "/gone",
                    axum::routing::get(|| async { (axum::http::StatusCode::NOT_FOUND, "gone") }),
                )
                .route(
                    "/moved",
                    axum::routing::get(|| async { axum::response::Redirect::permanent("/ok") }),
                )
                .route(
                    "/get-only",
                    axum::routing::get(|| async { "only GET" })
                        .head(|| async { axum::http::StatusCode::METHOD_NOT_ALLOWED }),
                );
            axum::serve(l, app).await.unwrap();
        })
    });
    port
}

/// A port on 127.0.0.1 nothing listens on (connections are refused).
fn refused_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn check_links(site: &Path) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_berpa"));
    c.args(["check", "--links", "--root"]).arg(site);
    for v in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        c.env_remove(v);
    }
    c.env("NO_COLOR", "1").output().unwrap()
}

#[test]
fn reports_the_addresses_that_no_longer_answer() {
    let port = serve();
    let refused = refused_port();
    let (_t, site) = fixture_copy("mini");
    let sources = site.join("content/sources");
    edit(
        &sources.join("gazette.yaml"),
        "url: https://example.test/gazette",
        &format!("url: http://127.0.0.1:{port}/ok\narchive_url: http://127.0.0.1:{refused}/copy"),
    );
    edit(
        &sources.join("herald.yaml"),
        "url: https://example.test/herald",
        &format!("url: http://127.0.0.1:{port}/gone"),
    );
    // A redirect is followed; a server that refuses HEAD is asked with GET.
    std::fs::write(
        sources.join("moved.yaml"),
        format!("title: Moved\npublisher: P\nurl: http://127.0.0.1:{port}/moved\narchive_url: http://127.0.0.1:{port}/get-only\n"),
    )
    .unwrap();
    let out = check_links(&site);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("`http://127.0.0.1:{port}/gone` answers HTTP 404")),
        "{err}"
    );
    assert!(err.contains("content/sources/herald.yaml"), "{err}");
    assert!(
        err.contains(&format!(
            "`http://127.0.0.1:{refused}/copy` does not answer"
        )),
        "{err}"
    );
    assert!(err.contains("content/sources/gazette.yaml"), "{err}");
    assert!(
        !err.contains("/ok`"),
        "the address that answers is not reported: {err}"
    );
    assert!(
        !err.contains("/moved`") && !err.contains("/get-only`"),
        "a redirect to a page that answers, and GET after a refused HEAD, are not reported: {err}"
    );
    assert!(
        err.contains("links: 3 of 5 source address(es) answer, 2 do not"),
        "{err}"
    );
}

#[test]
fn without_curl_it_says_so() {
    let (_t, site) = fixture_copy("mini");
    edit(
        &site.join("content/sources/gazette.yaml"),
        "url: https://example.test/gazette",
        &format!("url: http://127.0.0.1:{}/ok", refused_port()),
    );
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_berpa"))
        .args(["check", "--links", "--root"])
        .arg(&site)
        .env("PATH", empty.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("curl, which is not on the PATH"), "{err}");
    assert!(!err.contains("no network"), "{err}");
}

#[test]
fn with_nothing_answering_it_says_there_is_no_network_and_exits_3() {
    let (_t, site) = fixture_copy("mini");
    let sources = site.join("content/sources");
    for (file, id) in [("gazette.yaml", "gazette"), ("herald.yaml", "herald")] {
        edit(
            &sources.join(file),
            &format!("url: https://example.test/{id}"),
            &format!("url: http://127.0.0.1:{}/{id}", refused_port()),
        );
    }
    let out = check_links(&site);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("links not checked"), "{err}");
    assert!(err.contains("no network"), "{err}");
    assert!(!err.contains("broken-link"), "nothing is judged: {err}");
    // Without --links, nothing is asked.
    let plain = Command::new(env!("CARGO_BIN_EXE_berpa"))
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(plain.status.code(), Some(0));
}

#[test]
fn a_source_shows_and_exports_its_archived_copy_and_hash() {
    let (_t, site) = fixture_copy("mini");
    let hash = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";
    edit(
        &site.join("content/sources/gazette.yaml"),
        "accessed: 2025-06-20",
        &format!(
            "accessed: 2025-06-20\narchive_url: https://archive.example.test/gazette\nretrieved: 2025-06-20\nsha256: {hash}"
        ),
    );
    let out = build_ok(&site);
    let html = page(&out, "sources/gazette/index.html");
    assert!(
        html.contains("href=\"https://archive.example.test/gazette\""),
        "{html}"
    );
    assert!(html.contains("Archived copy") && html.contains(hash));
    assert!(page(&out, "az/sources/gazette/index.html").contains("Arxiv nüsxəsi"));
    let csv = page(&out, "data/sources.csv");
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("archive_url") && header.contains("retrieved") && header.contains("sha256")
    );
    assert!(csv.contains(hash));
    let json = page(&out, "sources/gazette.json");
    assert!(json.contains("\"sha256\"") && json.contains("\"retrieved\": \"2025-06-20\""));
    // A hash that is not one, and an archive that is no web address: errors at the field.
    edit(&site.join("content/sources/gazette.yaml"), hash, "abc123");
    edit(
        &site.join("content/sources/gazette.yaml"),
        "https://archive.example.test/gazette",
        "archive.example.test/gazette",
    );
    let b = berpa::build_in_memory(&berpa::Options {
        root: site.clone(),
        ..Default::default()
    });
    let ds = b.diagnostics.items();
    let h = ds
        .iter()
        .find(|d| d.code == "invalid-hash")
        .expect("a bad hash");
    assert_eq!(
        (h.file.as_str(), h.line),
        ("content/sources/gazette.yaml", 9)
    );
    assert!(ds.iter().any(|d| d.code == "invalid-url" && d.line == 7));
}
