//! `berpa serve`, end to end: the real binary on a free port of 127.0.0.1, a temporary copy of
//! `tests/fixtures/mini`, and a plain HTTP/1.1 client over `TcpStream` (which sends paths exactly
//! as written, `..` and all). Edits are made to the copy's files and the tests poll
//! `/__berpa/status` for the next build: no fixed waits, and one generous overall deadline.

mod common;

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long anything may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(20);

/// A running `berpa serve`, killed when dropped (also when a test panics).
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    url: String,
    root: PathBuf,
    stderr: Arc<Mutex<String>>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Serves a copy of the mini fixture with `files` written over it.
    fn start(files: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        common::copy_tree(&common::fixture("mini"), &root);
        for (rel, text) in files {
            std::fs::write(root.join(rel), text).unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_berpa"))
            .args(["serve", "--port", "0", "--root"])
            .arg(&root)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start berpa serve");
        // Read the terminal output in the background, so the server never blocks on a full pipe.
        let stderr = Arc::new(Mutex::new(String::new()));
        let err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let out_pipe = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            addr: String::new(),
            url: String::new(),
            root,
            stderr,
            _dir: dir,
        };
        let line = rx
            .recv_timeout(DEADLINE)
            .unwrap_or_else(|_| panic!("no address printed; stderr: {}", server.stderr()));
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_string();
        server.addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        server.url = url;
        server
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Resp {
        request(&self.addr, "GET", path)
    }

    fn status(&self) -> Value {
        let r = self.get("/__berpa/status");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/json"));
        serde_json::from_slice(&r.body).expect("status JSON")
    }

    /// Waits for a build after `build`, and returns its status.
    fn next_build(&self, build: u64) -> Value {
        let start = Instant::now();
        loop {
            let s = self.status();
            if s["build"].as_u64().unwrap() > build {
                return s;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "no new build after build {build}; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root.join(rel), text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn connect(addr: &str) -> TcpStream {
    let sock = addr.parse().expect("socket address");
    let s = TcpStream::connect_timeout(&sock, Duration::from_secs(5)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

/// One HTTP/1.1 request, the path sent exactly as given.
fn request(addr: &str, method: &str, path: &str) -> Resp {
    let mut s = connect(addr);
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    if headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}

/// An open `/__berpa/events` stream.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: &str) -> Events {
        let mut s = connect(addr);
        write!(
            s,
            "GET /__berpa/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.contains(" 200 "), "{line}");
        let mut content_type = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if line.to_ascii_lowercase().starts_with("content-type:") {
                content_type = line.clone();
            }
        }
        assert!(content_type.contains("text/event-stream"), "{content_type}");
        Events { reader }
    }

    /// The data of the next `status` event (the body is chunked: chunk-size lines and keep-alive
    /// comments are skipped).
    fn next_status(&mut self) -> Value {
        let start = Instant::now();
        let mut line = String::new();
        let mut is_status = false;
        while start.elapsed() < DEADLINE {
            line.clear();
            if self.reader.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("the event stream ended");
            }
            let l = line.trim_end();
            if l == "event: status" {
                is_status = true;
            } else if let Some(data) = l.strip_prefix("data: ")
                && is_status
            {
                return serde_json::from_str(data).expect("status event JSON");
            }
        }
        panic!("no status event in time");
    }
}

#[test]
fn serves_the_site_from_memory_with_pretty_urls_types_and_a_404() {
    let s = Server::start(&[]);
    // Loopback by default, on the port the system picked.
    assert!(s.url.starts_with("http://127.0.0.1:"), "{}", s.url);
    assert!(!s.url.ends_with(":0/") && !s.url.ends_with(":1111/"));

    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = home.text();
    assert!(html.contains("Test report"));
    assert!(html.contains(
        "<script src=\"/__berpa/livereload.js\" data-site=\"1\" data-path=\"index.html\" defer></script>\n</body>"
    ));
    assert!(!html.contains("berpa-overlay"));
    // The built site itself stays free of the dev script (the page has it once).
    assert_eq!(html.matches("livereload.js").count(), 1);

    let city = s.get("/cities/alpha/");
    assert_eq!(city.status, 200);
    assert!(city.text().contains("<h1>Alpha</h1>") || city.text().contains(">Alpha<"));
    let az = s.get("/az/cities/alpha/");
    assert_eq!(az.status, 200);
    assert!(az.text().contains("Alfa"));

    let redirect = s.get("/cities/alpha");
    assert!(matches!(redirect.status, 301 | 302 | 307 | 308));
    assert_eq!(redirect.header("location"), Some("/cities/alpha/"));
    let redirect = s.get("/az/cities/alpha?x=1");
    assert_eq!(redirect.header("location"), Some("/az/cities/alpha/?x=1"));

    for (path, ct) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/search.js", "text/javascript; charset=utf-8"),
        ("/feed.xml", "application/atom+xml"),
        ("/sitemap.xml", "application/xml"),
        (
            "/charts/indicator-people-returned.csv",
            "text/csv; charset=utf-8",
        ),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ct), "{path}");
        assert!(!r.text().contains("livereload"), "{path}");
    }
    // Every data file is served with its type.
    let data = s.get("/data/");
    assert_eq!(data.status, 200);
    let geo = common::links(&data.text())
        .into_iter()
        .find(|l| l.ends_with(".geojson"))
        .expect("a GeoJSON link on the data page");
    let geo = format!("/{}", geo.trim_start_matches("../"));
    let r = s.get(&geo);
    assert_eq!(r.status, 200, "{geo}");
    assert_eq!(r.header("content-type"), Some("application/geo+json"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));

    let missing = s.get("/cities/no-such-city/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(missing.text().contains("Page not found"));
    assert!(missing.text().contains("data-path=\"404.html\""));
    // Below a language's folder, that language's page.
    let missing = s.get("/az/cities/no-such-city/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Səhifə tapılmadı"));
    assert!(missing.text().contains("data-path=\"az/404.html\""));

    let js = s.get("/__berpa/livereload.js");
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    let js = js.text();
    assert!(js.contains("new EventSource(\"/__berpa/events\")"));
    assert!(js.contains("textContent"));
    assert!(
        !js.contains("innerHTML"),
        "diagnostics are set as text only"
    );
    let css = s.get("/__berpa/overlay.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));

    let post = request(&s.addr, "POST", "/");
    assert_eq!(post.status, 405);

    let st = s.status();
    assert_eq!(st["ok"], true);
    assert_eq!(st["build"], 1);
    assert_eq!(st["site"], 1);
}

#[test]
fn never_serves_anything_outside_the_built_site() {
    let s = Server::start(&[]);
    let secret = s.read("site.yaml");
    assert!(secret.contains("base_url"));
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/site.yaml",
        "/cities/..%2f..%2fsite.yaml",
        "/cities/%2e%2e/%2e%2e/site.yaml",
        "/..%5csite.yaml",
        "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd",
        "/../../../../etc/passwd",
        "/content/cities/alpha.md",
        "/site.yaml",
        "/.berpa-output",
        "//etc/passwd",
        "/cities/alpha/%00",
    ] {
        let r = s.get(path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        let body = r.text();
        assert!(!body.contains("base_url"), "{path} served site.yaml");
        assert!(!body.contains("root:x:0"), "{path} served /etc/passwd");
        assert!(!body.contains("Alpha is an invented city"), "{path}");
    }
}

#[test]
fn rebuilds_on_change_shows_the_error_overlay_and_recovers() {
    let s = Server::start(&[]);
    let first = s.status();
    assert_eq!(first["ok"], true);
    let gamma = "content/cities/gamma.yaml";
    let original = s.read(gamma);
    assert!(s.get("/cities/gamma/").text().contains("South"));

    // The browser's event stream announces each build.
    let mut events = Events::open(&s.addr);
    let hello = events.next_status();
    assert_eq!(hello["site"], 1);

    // An edit: the record's own pages are served at once (a preview), then the full rebuild
    // brings the rest of the site up to date.
    s.write(
        gamma,
        &original.replace("district: {en: South", "district: {en: Southwest Hills"),
    );
    let st = s.next_build(1);
    assert_eq!(st["ok"], true, "{st:#}");
    assert_eq!(st["preview"], false);
    let changed: Vec<&str> = st["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        s.stderr().contains("updated gamma in"),
        "the preview: {}",
        s.stderr()
    );
    // The full build made the record's pages exactly as the preview had: they are not
    // changed again. The list of settlements (which shows districts) is.
    assert!(
        !changed.contains(&"cities/gamma/index.html")
            && !changed.contains(&"az/cities/gamma/index.html"),
        "{changed:?}"
    );
    assert!(changed.contains(&"cities/index.html"), "{changed:?}");
    assert!(
        !changed.contains(&"sources/herald/index.html"),
        "a page the edit does not touch is unchanged: {changed:?}"
    );
    let site = st["site"].as_u64().unwrap();
    assert_eq!(site, 3, "one site for the preview, one for the full build");
    let page = s.get("/cities/gamma/").text();
    assert!(page.contains("Southwest Hills"));
    assert!(page.contains(&format!("data-site=\"{site}\"")));
    // The browser hears of the preview (unless the full build overtook it) and of the build.
    let mut ev = events.next_status();
    if ev["site"] == 2 {
        assert_eq!(ev["preview"], true, "{ev:#}");
        let shown: Vec<&str> = ev["changed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(shown.contains(&"cities/gamma/index.html"), "{shown:?}");
        assert!(!shown.contains(&"cities/index.html"), "{shown:?}");
        ev = events.next_status();
    }
    assert_eq!(ev["site"], 3);
    assert_eq!(ev["ok"], true);

    // A save that changes nothing starts no build.
    let build = st["build"].as_u64().unwrap();
    s.write(gamma, &s.read(gamma));
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(s.status()["build"].as_u64().unwrap(), build);

    // A broken record: the last good site is still served, with the problem over it.
    let broken = original
        .replace("district: {en: South", "district: {en: Broken <b>bold</b>")
        .replace("kind: town", "kind: citty");
    s.write(gamma, &broken);
    let st = s.next_build(build);
    assert_eq!(st["ok"], false, "{st:#}");
    assert_eq!(st["site"], 3, "the served site stays the last good one");
    let d = st["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error")
        .clone();
    assert_eq!(d["file"], gamma);
    assert_eq!(d["line"], 2, "{d:#}");
    assert!(d["message"].as_str().unwrap().contains("citty"), "{d:#}");
    let ev = events.next_status();
    assert_eq!(ev["ok"], false);

    let page = s.get("/cities/gamma/");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("Southwest Hills"), "the last good page");
    assert!(!html.contains("Broken"));
    assert!(html.contains("id=\"berpa-overlay\""));
    let place = format!("{gamma}:2:{}", d["column"]);
    assert!(html.contains(&place), "{place} not in the overlay");
    assert!(html.contains("citty"));
    // The same problem in the terminal.
    let start = Instant::now();
    while !s.stderr().contains("citty") {
        assert!(start.elapsed() < DEADLINE, "stderr: {}", s.stderr());
        std::thread::sleep(Duration::from_millis(25));
    }
    assert!(s.stderr().contains(gamma));
    assert!(s.stderr().contains("still serving the last good site"));

    // Fixed: the page is served again, without the overlay.
    let build = st["build"].as_u64().unwrap();
    s.write(
        gamma,
        &original.replace("district: {en: South", "district: {en: Fixed Valley"),
    );
    let st = s.next_build(build);
    assert_eq!(st["ok"], true, "{st:#}");
    assert_eq!(
        st["site"], 4,
        "no preview after a failed build: the full build"
    );
    let html = s.get("/cities/gamma/").text();
    assert!(html.contains("Fixed Valley"));
    assert!(!html.contains("berpa-overlay"));
    assert_eq!(events.next_status()["site"], 4);

    // A new record gets its page.
    let build = st["build"].as_u64().unwrap();
    s.write(
        "content/cities/delta.yaml",
        "name: {en: Delta, az: Delta}\nkind: village\ndistrict: {en: East, az: Şərq}\nsources: [gazette]\nupdated: 2025-06-01\n",
    );
    let st = s.next_build(build);
    assert_eq!(st["ok"], true, "{st:#}");
    assert!(s.get("/cities/delta/").text().contains("Delta"));
}

#[test]
fn a_site_that_never_built_shows_its_errors_until_fixed() {
    let s = Server::start(&[(
        "content/cities/gamma.yaml",
        "name: {en: Gamma, az: Qamma}\nkind: town\ndistrict: [unclosed\n",
    )]);
    let st = s.status();
    assert_eq!(st["ok"], false);
    assert_eq!(st["site"], 0);
    let r = s.get("/cities/gamma/");
    assert_eq!(r.status, 503);
    assert!(r.text().contains("id=\"berpa-overlay\""));
    assert!(r.text().contains("content/cities/gamma.yaml:"));
    assert!(r.text().contains("livereload.js"));
    assert_eq!(s.get("/../site.yaml").status, 400);

    s.write(
        "content/cities/gamma.yaml",
        "name: {en: Gamma, az: Qamma}\nkind: town\ndistrict: {en: South, az: Cənub}\nsources: [gazette]\nupdated: 2025-05-01\n",
    );
    let st = s.next_build(1);
    assert_eq!(st["ok"], true, "{st:#}");
    assert_eq!(st["site"], 1);
    let r = s.get("/cities/gamma/");
    assert_eq!(r.status, 200);
    assert!(!r.text().contains("berpa-overlay"));
}

#[cfg(unix)]
#[test]
fn stops_cleanly_on_ctrl_c_even_with_a_browser_connected() {
    let mut s = Server::start(&[]);
    let mut events = Events::open(&s.addr);
    assert_eq!(events.next_status()["ok"], true);
    let pid = s.child.id().to_string();
    let killed = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("run kill");
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st;
        }
        assert!(start.elapsed() < DEADLINE, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(25));
    };
    assert!(status.success(), "{status:?}; stderr: {}", s.stderr());
}

#[test]
fn refuses_a_folder_that_is_not_a_site_and_a_port_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_berpa"))
        .args(["serve", "--port", "0", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("site.yaml"));

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_berpa"))
        .args(["serve", "--port", &port, "--root"])
        .arg(common::fixture("mini"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--port"));
}

#[test]
fn edits_saved_while_a_build_runs_end_with_the_last_one_everywhere() {
    let s = Server::start(&[]);
    let gamma = "content/cities/gamma.yaml";
    let original = s.read(gamma);
    // Saves closer together than a build: some land while a full build runs.
    for i in 0..6 {
        s.write(
            gamma,
            &original.replace(
                "district: {en: South",
                &format!("district: {{en: Quarter {i}"),
            ),
        );
        std::thread::sleep(Duration::from_millis(70));
    }
    // In the end a full build (not only a preview) shows the last save, on the record's page
    // and on the list of settlements, which only full builds make.
    let start = Instant::now();
    loop {
        let st = s.status();
        let page = s.get("/cities/gamma/").text();
        let list = s.get("/cities/").text();
        if st["ok"] == true
            && st["preview"] == false
            && page.contains("Quarter 5")
            && list.contains("Quarter 5")
        {
            break;
        }
        assert!(start.elapsed() < DEADLINE, "{st:#}\nstderr: {}", s.stderr());
        std::thread::sleep(Duration::from_millis(25));
    }
    // No older build comes after it and takes the last save back.
    std::thread::sleep(Duration::from_millis(600));
    assert!(s.get("/cities/gamma/").text().contains("Quarter 5"));
    assert!(s.get("/cities/").text().contains("Quarter 5"));
    assert!(!s.get("/cities/").text().contains("Quarter 4"));
}
