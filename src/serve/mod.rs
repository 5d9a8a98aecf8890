//! `berpa serve`: the authoring loop. The site is built into memory and served from there on a
//! local address; when a file of the site changes it is rebuilt, and the open browser pages
//! reload. A build that fails leaves the last good site served, with the problems shown over the
//! page and in the terminal.
//!
//! - Requests are answered from the in-memory [`OutputSet`] only: the file system is never read
//!   for a request, and a path with `..`, a backslash, a NUL or an encoded slash is refused.
//! - Live reload needs no inline script (the theme's Content-Security-Policy forbids it): HTML
//!   responses get `<script src="/__berpa/livereload.js">` before `</body>`. The script listens
//!   to `/__berpa/events` (server-sent events carrying the [`Status`]) and reloads when the site
//!   it shows has changed. `/__berpa/status` gives the same status as JSON.
//! - File events are debounced (50 ms); a file whose bytes did not change (an editor saving an
//!   unchanged file, a temporary file come and gone) starts no build. The new site is compared
//!   with the last one, and only pages whose bytes changed make the browser reload.
//! - A change to existing records' files is shown at once: their pages are re-rendered from
//!   what the last good build loaded ([`crate::serve::session::Session::preview`]) and served with
//!   the rest of the last site (`Status::preview`); the full build follows and brings every
//!   other page up to date.

pub mod session;

use crate::site::diagnostics::{Diagnostic, Diagnostics, Format, Severity};
use crate::write::OutputSet;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;
use std::future::IntoFuture;
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};

/// The live-reload script, served at `/__berpa/livereload.js`.
pub const LIVERELOAD_JS: &str = include_str!("livereload.js");
/// The error overlay's stylesheet, served at `/__berpa/overlay.css`.
pub const OVERLAY_CSS: &str = include_str!("overlay.css");

/// The folders of a site that are watched (with `site.yaml`).
pub const WATCHED_DIRS: [&str; 4] = ["content", "templates", "static", "i18n"];
const DEBOUNCE: Duration = Duration::from_millis(50);
/// At most this many changed paths are listed in a status (`changed_count` has them all).
const CHANGED_LIST_MAX: usize = 200;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in a browser once it is served.
    pub open: bool,
    pub strict: bool,
    /// Print nothing but errors (and the address).
    pub quiet: bool,
    /// Colours in the terminal.
    pub color: bool,
}

/// What the last build gave: sent to the browser and served at `/__berpa/status`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Status {
    /// Counts every build, good or failed.
    pub build: u64,
    /// Changes whenever the served site changes; 0 until a build succeeds.
    pub site: u64,
    /// Whether the last build succeeded.
    pub ok: bool,
    /// How long the last build took.
    pub millis: u64,
    /// Output files the last successful build changed, added or removed (at most 200).
    pub changed: Vec<String>,
    pub changed_count: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Every problem of the last build.
    pub diagnostics: Vec<Diagnostic>,
    /// This site is a preview: the changed records' pages are new, the rest of the site is
    /// being built.
    pub preview: bool,
}

/// The site being served and the status of the last build.
#[derive(Debug)]
struct Snapshot {
    /// The last good site (None when no build has succeeded yet).
    site: Option<Arc<Site>>,
    status: Status,
}

/// The files served: the last full build's, with the files previews changed since laid over
/// them. A preview adds its few files without copying the whole site.
#[derive(Debug, Default)]
pub struct Site {
    base: Arc<OutputSet>,
    overlay: OutputSet,
}

impl From<OutputSet> for Site {
    fn from(base: OutputSet) -> Site {
        Site {
            base: Arc::new(base),
            overlay: OutputSet::new(),
        }
    }
}

impl Site {
    pub fn get(&self, rel: &str) -> Option<&[u8]> {
        self.overlay.get(rel).or_else(|| self.base.get(rel))
    }

    pub fn contains(&self, rel: &str) -> bool {
        self.overlay.contains(rel) || self.base.contains(rel)
    }

    /// This site with `files` laid over it.
    fn with(&self, files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Site {
        let mut overlay = self.overlay.clone();
        for (path, bytes) in files {
            overlay.insert(path, bytes);
        }
        Site {
            base: self.base.clone(),
            overlay,
        }
    }

    /// The files that differ between this site and `new`: changed, added or removed.
    fn diff(&self, new: &OutputSet) -> Vec<String> {
        let mut out: BTreeSet<String> = diff(Some(&self.base), new).into_iter().collect();
        // Where a preview laid a file over the base, that file is what is served.
        for (path, bytes) in self.overlay.iter() {
            if new.get(path) == Some(bytes) {
                out.remove(path);
            } else {
                out.insert(path.to_string());
            }
        }
        out.into_iter().collect()
    }
}

#[derive(Clone)]
struct AppState {
    snap: watch::Receiver<Arc<Snapshot>>,
    shutdown: watch::Receiver<bool>,
}

// ------------------------------------------------------------------------ requests

/// What a request path names in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A file of the site, by its output path.
    Found(String),
    /// A folder asked for without its slash: go to this address.
    Redirect(String),
    NotFound,
    /// Not a path a site has: traversal, a backslash, a NUL, an encoded slash, bad encoding.
    Bad,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes a URL path; None when the encoding is broken or the text is not UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = hex(*bytes.get(i + 1)?)?;
            let lo = hex(*bytes.get(i + 2)?)?;
            out.push(hi * 16 + lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Maps a request path (as sent, percent-encoded) to a file of `site`. Pretty URLs:
/// `/cities/x/` is `cities/x/index.html`; `/cities/x` redirects to `/cities/x/`.
pub fn resolve(raw: &str, site: &Site) -> Lookup {
    if !raw.starts_with('/') {
        return Lookup::Bad;
    }
    let lower = raw.to_ascii_lowercase();
    // An encoded slash, backslash or NUL has no place in a site's paths.
    if ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Lookup::Bad;
    }
    let Some(path) = percent_decode(raw) else {
        return Lookup::Bad;
    };
    if path.contains('\\') || path.contains('\0') || path.chars().any(char::is_control) {
        return Lookup::Bad;
    }
    if path[1..].split('/').any(|s| s == ".." || s == ".") {
        return Lookup::Bad;
    }
    let rel = &path[1..];
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if !crate::write::is_safe_rel_path(&file) {
        return Lookup::NotFound;
    }
    if site.contains(&file) {
        return Lookup::Found(file);
    }
    if !rel.is_empty() && !rel.ends_with('/') && site.contains(&format!("{rel}/index.html")) {
        return Lookup::Redirect(format!("{raw}/"));
    }
    Lookup::NotFound
}

/// The `Content-Type` of an output file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "feed.xml" || name.ends_with(".atom") {
        return "application/atom+xml";
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "geojson" => "application/geo+json",
        "jsonld" => "application/ld+json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

use crate::draw::esc;

fn place(d: &Diagnostic) -> String {
    if d.line > 0 {
        format!("{}:{}:{}", d.file, d.line, d.column.max(1))
    } else {
        d.file.clone()
    }
}

/// The overlay listing a failed build's errors, as HTML (all text escaped). The live-reload
/// script builds the same overlay with DOM calls when a build fails while a page is open.
pub fn overlay_html(status: &Status) -> String {
    let errors: Vec<&Diagnostic> = status
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let mut s = String::from(
        "<link rel=\"stylesheet\" href=\"/__berpa/overlay.css\">\n<div id=\"berpa-overlay\" class=\"berpa-overlay\" role=\"alertdialog\" aria-labelledby=\"berpa-overlay-title\">\n<div class=\"berpa-overlay-box\">\n",
    );
    s.push_str(&format!(
        "<h2 id=\"berpa-overlay-title\" class=\"berpa-overlay-title\">The site did not build: {} error(s)</h2>\n",
        errors.len()
    ));
    s.push_str(if status.site > 0 {
        "<p class=\"berpa-overlay-note\">berpa is still serving the last good version. Fix the problem and save: this page updates by itself.</p>\n"
    } else {
        "<p class=\"berpa-overlay-note\">No version of the site has built yet. Fix the problem and save: this page updates by itself.</p>\n"
    });
    s.push_str("<ol class=\"berpa-errors\">\n");
    for d in errors {
        s.push_str(&format!(
            "<li class=\"berpa-error\"><code class=\"berpa-loc\">{}</code><p class=\"berpa-msg\">{}</p>",
            esc(&place(d)),
            esc(&d.message)
        ));
        if let Some(h) = &d.help {
            s.push_str(&format!("<p class=\"berpa-help\">help: {}</p>", esc(h)));
        }
        s.push_str("</li>\n");
    }
    s.push_str("</ol>\n<button type=\"button\" class=\"berpa-close\" hidden>Dismiss</button>\n</div>\n</div>\n");
    s
}

/// Puts the live-reload script (and, after a failed build, the error overlay) before
/// `</body>` of an HTML page served at output path `path`.
pub fn inject(html: &[u8], status: &Status, path: &str) -> Vec<u8> {
    let mut add = String::new();
    if !status.ok {
        add.push_str(&overlay_html(status));
    }
    add.push_str(&format!(
        "<script src=\"/__berpa/livereload.js\" data-site=\"{}\" data-path=\"{}\" defer></script>\n",
        status.site,
        esc(path)
    ));
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + add.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(add.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn no_store(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    no_store(
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response(),
    )
}

fn file_response(code: StatusCode, path: &str, bytes: &[u8], status: &Status) -> Response {
    let ct = content_type(path);
    let body = if ct.starts_with("text/html") {
        inject(bytes, status, path)
    } else {
        bytes.to_vec()
    };
    no_store((code, [(header::CONTENT_TYPE, ct)], Body::from(body)).into_response())
}

async fn site_handler(State(app): State<AppState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "405 method not allowed: this server only reads\n",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    if resolve(uri.path(), &Site::default()) == Lookup::Bad {
        return plain(
            StatusCode::BAD_REQUEST,
            "400 bad request: that path is not allowed\n",
        );
    }
    let snap = app.snap.borrow().clone();
    let Some(site) = snap.site.clone() else {
        // Nothing has built yet: show the problems on every page.
        let page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>berpa: the site did not build</title>\n</head>\n<body>\n<h1>The site did not build</h1>\n<p>See the terminal running <code>berpa serve</code>, or below.</p>\n</body>\n</html>\n";
        return file_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "404.html",
            page.as_bytes(),
            &snap.status,
        );
    };
    match resolve(uri.path(), &site) {
        Lookup::Found(rel) => {
            let bytes = site.get(&rel).unwrap_or_default();
            file_response(StatusCode::OK, &rel, bytes, &snap.status)
        }
        Lookup::Redirect(to) => {
            let to = match uri.query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            match HeaderValue::from_str(&to) {
                Ok(v) => {
                    let mut r = StatusCode::TEMPORARY_REDIRECT.into_response();
                    r.headers_mut().insert(header::LOCATION, v);
                    no_store(r)
                }
                Err(_) => plain(StatusCode::BAD_REQUEST, "400 bad request\n"),
            }
        }
        Lookup::NotFound => {
            // Below a language's folder, that language's page (`/az/…` → `az/404.html`).
            let lang_page = uri
                .path()
                .trim_start_matches('/')
                .split('/')
                .next()
                .filter(|seg| !seg.is_empty())
                .map(|seg| format!("{seg}/404.html"))
                .filter(|p| site.get(p).is_some());
            let rel = lang_page.unwrap_or_else(|| "404.html".to_string());
            match site.get(&rel) {
                Some(b) => file_response(StatusCode::NOT_FOUND, &rel, b, &snap.status),
                None => plain(StatusCode::NOT_FOUND, "404 not found\n"),
            }
        }
        Lookup::Bad => plain(
            StatusCode::BAD_REQUEST,
            "400 bad request: that path is not allowed\n",
        ),
    }
}

async fn status_handler(State(app): State<AppState>) -> Response {
    let snap = app.snap.borrow().clone();
    let json = serde_json::to_string(&snap.status).unwrap_or_else(|_| "{}".into());
    no_store(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

async fn events_handler(State(app): State<AppState>) -> impl IntoResponse {
    let stream = futures_util::stream::unfold(
        (app.snap, app.shutdown, true),
        |(mut snap, mut shutdown, first)| async move {
            if !first {
                tokio::select! {
                    r = snap.changed() => r.ok()?,
                    _ = shutdown.wait_for(|s| *s) => return None,
                }
            }
            let status = snap.borrow_and_update().status.clone();
            let json = serde_json::to_string(&status).unwrap_or_else(|_| "{}".into());
            let ev = Event::default().event("status").data(json);
            Some((Ok::<_, Infallible>(ev), (snap, shutdown, false)))
        },
    );
    let mut r = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn router(app: AppState) -> Router {
    use axum::routing::get;
    Router::new()
        .route(
            "/__berpa/livereload.js",
            get(|| async {
                no_store(
                    (
                        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                        LIVERELOAD_JS,
                    )
                        .into_response(),
                )
            }),
        )
        .route(
            "/__berpa/overlay.css",
            get(|| async {
                no_store(
                    (
                        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
                        OVERLAY_CSS,
                    )
                        .into_response(),
                )
            }),
        )
        .route("/__berpa/status", get(status_handler))
        .route("/__berpa/events", get(events_handler))
        .fallback(site_handler)
        .with_state(app)
}

// ------------------------------------------------------------------------ building

/// The output files that differ between two sites: changed, added or removed.
pub fn diff(old: Option<&OutputSet>, new: &OutputSet) -> Vec<String> {
    let Some(old) = old else {
        return new.iter().map(|(p, _)| p.to_string()).collect();
    };
    let mut out = Vec::new();
    let mut a = old.iter().peekable();
    let mut b = new.iter().peekable();
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some((pa, _)), None) => {
                out.push(pa.to_string());
                a.next();
            }
            (None, Some((pb, _))) => {
                out.push(pb.to_string());
                b.next();
            }
            (Some((pa, ba)), Some((pb, bb))) => match pa.cmp(pb) {
                std::cmp::Ordering::Less => {
                    out.push(pa.to_string());
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    out.push(pb.to_string());
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    if ba != bb {
                        out.push(pa.to_string());
                    }
                    a.next();
                    b.next();
                }
            },
        }
    }
    out
}

/// Builds the site again and again, keeping the last good one.
struct Builder {
    opts: crate::Options,
    quiet: bool,
    color: bool,
    last_good: Option<Arc<Site>>,
    build: u64,
    site: u64,
    /// The problems printed last, so the same warnings are not printed on every build.
    last_printed: Vec<Diagnostic>,
    /// What the last good build loaded, to preview a changed record at once.
    session: Option<crate::serve::session::Session>,
    /// The status of the last build.
    last_status: Option<Status>,
}

impl Builder {
    fn print(&mut self, ds: &Diagnostics) {
        let mut shown = Diagnostics::new();
        for d in ds.items() {
            if !self.quiet || d.severity == Severity::Error {
                shown.push(d.clone());
            }
        }
        let failed = ds.has_errors();
        if shown.items() == self.last_printed.as_slice() && !failed {
            return;
        }
        self.last_printed = shown.items().to_vec();
        if !shown.is_empty() {
            eprint!(
                "{}",
                shown.render(Format::Human, &self.opts.root, self.color)
            );
        }
    }

    /// Re-renders only the pages of the records in the changed files, from what the last good
    /// build loaded, and serves them at once with the rest of the last site; the full build
    /// ([`Builder::run`]) follows. `None` when there is nothing to preview (no good build yet,
    /// a change that is not simply to existing records, a change that breaks something, or no
    /// page changed).
    fn preview(&mut self, paths: &BTreeSet<PathBuf>) -> Option<Snapshot> {
        let start = Instant::now();
        let paths: Vec<PathBuf> = paths.iter().cloned().collect();
        let session = self.session.as_mut()?;
        // Its own threads: a full build running meanwhile keeps rayon's shared pool busy.
        static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
        let pool = POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(2).build().ok());
        let made = match pool {
            Some(pool) => pool.install(|| session.preview(&paths)),
            None => session.preview(&paths),
        };
        let Some(p) = made else {
            // The session no longer matches the files; the full build makes a new one.
            self.session = None;
            return None;
        };
        let base = self.last_good.as_ref()?;
        let files: Vec<(String, Vec<u8>)> = p
            .files
            .into_iter()
            .filter(|(path, bytes)| base.get(path) != Some(&bytes[..]))
            .collect();
        let mut changed: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
        if changed.is_empty() {
            return None;
        }
        let set = base.with(files);
        let ms = start.elapsed().as_millis() as u64;
        if !self.quiet {
            let ids: Vec<String> = p.records.iter().map(|(_, id)| id.clone()).collect();
            eprintln!(
                "updated {} in {ms} ms ({} file(s)); building the rest of the site",
                ids.join(", "),
                changed.len()
            );
        }
        self.site += 1;
        self.last_good = Some(Arc::new(set));
        let mut status = self.last_status.clone()?;
        status.site = self.site;
        status.millis = ms;
        status.changed_count = changed.len();
        changed.truncate(CHANGED_LIST_MAX);
        status.changed = changed;
        status.preview = true;
        Some(Snapshot {
            site: self.last_good.clone(),
            status,
        })
    }

    fn run(&mut self) -> Snapshot {
        let start = Instant::now();
        let (b, session) = session::build_session(&self.opts);
        self.finish(b, session, start.elapsed())
    }

    /// Takes in the result of a full build: the new site (or the problems), and what it loaded
    /// for the next previews.
    fn finish(
        &mut self,
        b: crate::Build,
        session: Option<crate::serve::session::Session>,
        took: Duration,
    ) -> Snapshot {
        self.session = session;
        self.build += 1;
        self.print(&b.diagnostics);
        let ms = took.as_millis() as u64;
        let mut changed = Vec::new();
        let ok = match b.output {
            Some(out) => {
                changed = match self.last_good.as_deref() {
                    Some(site) => site.diff(&out),
                    None => diff(None, &out),
                };
                if !self.quiet {
                    if self.build == 1 {
                        eprintln!(
                            "built {} records into {} pages, {} charts, {} files ({} KiB) in {ms} ms",
                            b.stats.records,
                            b.stats.pages,
                            b.stats.charts,
                            out.len(),
                            out.bytes() / 1024
                        );
                    } else if changed.is_empty() {
                        eprintln!("rebuilt in {ms} ms: no file changed");
                    } else {
                        let mut names: Vec<&str> =
                            changed.iter().take(5).map(String::as_str).collect();
                        if changed.len() > 5 {
                            names.push("…");
                        }
                        eprintln!(
                            "rebuilt in {ms} ms: {} file(s) changed ({}); reloading",
                            changed.len(),
                            names.join(", ")
                        );
                    }
                }
                if !changed.is_empty() || self.last_good.is_none() {
                    self.site += 1;
                    self.last_good = Some(Arc::new(Site::from(out)));
                }
                true
            }
            None => {
                eprintln!(
                    "build failed in {ms} ms: {}",
                    if self.last_good.is_some() {
                        "still serving the last good site; fix the problem and save"
                    } else {
                        "nothing to serve yet; fix the problem and save"
                    }
                );
                false
            }
        };
        let changed_count = changed.len();
        changed.truncate(CHANGED_LIST_MAX);
        let snap = Snapshot {
            site: self.last_good.clone(),
            status: Status {
                build: self.build,
                site: self.site,
                ok,
                millis: ms,
                changed,
                changed_count,
                errors: b.diagnostics.errors(),
                warnings: b.diagnostics.warnings(),
                diagnostics: b.diagnostics.items().to_vec(),
                preview: false,
            },
        };
        self.last_status = Some(snap.status.clone());
        snap
    }
}

// ------------------------------------------------------------------------ watching

/// Whether a changed path is one of the site's inputs: `site.yaml` or a file in a watched
/// folder (hidden files and editor backups are not: berpa does not read them).
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [one] if one == "site.yaml" => true,
        [first, rest @ ..] if WATCHED_DIRS.contains(&first.as_str()) => rest
            .iter()
            .all(|p| !p.starts_with('.') && !p.ends_with('~') && !p.ends_with(".swp")),
        _ => false,
    }
}

/// What the site's file `p` holds, as a hash: `None` when there is none. Read as the build reads
/// it: a file the build refuses (a link leaving the site, a named pipe) is hashed by its error,
/// unread, so a save there starts a build that reports it, and nothing waits on a pipe.
fn hash_file(site: &crate::site::input::Site, p: &Path) -> Option<u64> {
    let rel = p
        .strip_prefix(site.root())
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match site.read(&rel, crate::site::input::STATIC) {
        Ok(bytes) => bytes?.hash(&mut h),
        Err(d) => (d.code, d.message).hash(&mut h),
    }
    Some(h.finish())
}

/// What the site's input files held when last seen, so a save that changes nothing starts no
/// build.
struct Fingerprints {
    site: crate::site::input::Site,
    files: HashMap<PathBuf, u64>,
}

impl Fingerprints {
    fn scan(root: &Path) -> Self {
        let site = crate::site::input::Site::new(root);
        let mut files = HashMap::new();
        for d in WATCHED_DIRS {
            // Links and special files too: each is hashed as the build would read it.
            for e in walkdir::WalkDir::new(root.join(d)).into_iter().flatten() {
                if !e.file_type().is_dir()
                    && relevant(root, e.path())
                    && let Some(h) = hash_file(&site, e.path())
                {
                    files.insert(e.path().to_path_buf(), h);
                }
            }
        }
        let yaml = root.join("site.yaml");
        if let Some(h) = hash_file(&site, &yaml) {
            files.insert(yaml, h);
        }
        Fingerprints { site, files }
    }

    /// Takes in what `paths` hold now; whether any of them changed.
    fn update(&mut self, paths: &BTreeSet<PathBuf>) -> bool {
        let mut changed = false;
        let mut rescan = false;
        for p in paths {
            if p.is_dir() {
                // A folder came (perhaps moved in whole, with files no event named) or went.
                changed = true;
                rescan = true;
                continue;
            }
            match hash_file(&self.site, p) {
                Some(h) => {
                    if self.files.insert(p.clone(), h) != Some(h) {
                        changed = true;
                    }
                }
                None => {
                    if self.files.remove(p).is_some() {
                        changed = true;
                    }
                    let before = self.files.len();
                    self.files.retain(|k, _| !k.starts_with(p));
                    if self.files.len() != before {
                        changed = true;
                    }
                }
            }
        }
        if rescan {
            *self = Fingerprints::scan(self.site.root());
        }
        changed
    }
}

fn start_watcher(
    root: &Path,
    tx: mpsc::UnboundedSender<PathBuf>,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher, event::AccessKind};
    let mut watcher =
        notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
            Ok(ev) => {
                if matches!(ev.kind, EventKind::Access(a) if !matches!(a, AccessKind::Close(_))) {
                    return;
                }
                for p in ev.paths {
                    let _ = tx.send(p);
                }
            }
            Err(e) => eprintln!("warning: watching files: {e}"),
        })?;
    // The site's folder itself, not recursively: site.yaml (saved by renaming, as many editors
    // do) and watched folders that appear later.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for d in WATCHED_DIRS {
        let p = root.join(d);
        if p.is_dir() {
            watcher.watch(&p, RecursiveMode::Recursive)?;
        }
    }
    Ok(watcher)
}

/// A full build under way: what it gives, and the change it was started for.
type Running = tokio::task::JoinHandle<(
    crate::Build,
    Option<crate::serve::session::Session>,
    Duration,
)>;

/// The builder, shared between the watch loop and the blocking tasks it starts.
type Shared = Arc<std::sync::Mutex<Builder>>;

/// Waits for changes, debounces them, and publishes each new snapshot: at once the pages of
/// changed records (a preview), then the whole site from a full build. The full build runs in
/// the background, so a change saved while it runs is previewed at once too; a full build that
/// finishes after a newer change is not published (it would take back the newer preview), and
/// another starts.
async fn watch_loop(
    root: PathBuf,
    mut watcher: notify::RecommendedWatcher,
    mut prints: Fingerprints,
    mut events: mpsc::UnboundedReceiver<PathBuf>,
    builder: Builder,
    snap_tx: watch::Sender<Arc<Snapshot>>,
) {
    let opts = builder.opts.clone();
    let builder: Shared = Arc::new(std::sync::Mutex::new(builder));
    // Counts the changes seen; a full build is current when none came while it ran.
    let mut generation: u64 = 0;
    let mut running: Option<(Running, u64)> = None;
    let mut wanted = false;
    loop {
        let finished = tokio::select! {
            first = events.recv() => {
                let Some(first) = first else { return };
                let Some(mut paths) = debounce(first, &mut events).await else {
                    return;
                };
                paths.retain(|p| relevant(&root, p));
                if paths.is_empty() {
                    continue;
                }
                watch_new_folders(&root, &paths, &mut watcher);
                let changed_files = paths.clone();
                let Some((p, any)) = update_prints(prints, paths).await else {
                    return;
                };
                prints = p;
                if !any {
                    continue;
                }
                generation += 1;
                wanted = true;
                // First the changed records' own pages, at once.
                let Some(preview) = preview_changes(&builder, changed_files).await else {
                    return;
                };
                if let Some(s) = preview
                    && snap_tx.send(Arc::new(s)).is_err()
                {
                    return;
                }
                None
            }
            done = async { (&mut running.as_mut().expect("guarded").0).await },
                if running.is_some() =>
            {
                let started_for = running.take().expect("guarded").1;
                match done {
                    Ok(r) => Some((r, started_for)),
                    Err(_) => return,
                }
            }
        };
        // A full build that files changed under is already out of date: it is dropped, and
        // another follows.
        if let Some(((b, session, took), started_for)) = finished
            && started_for == generation
        {
            let Some(snap) = finish_full_build(&builder, b, session, took).await else {
                return;
            };
            if snap_tx.send(Arc::new(snap)).is_err() {
                return;
            }
        }
        if wanted && running.is_none() {
            wanted = false;
            running = Some((start_full_build(opts.clone()), generation));
        }
    }
}

/// The paths of `first` and the events that follow it until the files are quiet for a
/// moment: one save is often several events. `None` when the watcher has stopped.
async fn debounce(
    first: PathBuf,
    events: &mut mpsc::UnboundedReceiver<PathBuf>,
) -> Option<BTreeSet<PathBuf>> {
    let mut paths = BTreeSet::from([first]);
    loop {
        match tokio::time::timeout(DEBOUNCE, events.recv()).await {
            Ok(Some(p)) => {
                paths.insert(p);
            }
            Ok(None) => return None,
            Err(_) => return Some(paths),
        }
    }
}

/// A watched folder that appeared (content/ made after serve started) is watched too.
fn watch_new_folders(
    root: &Path,
    paths: &BTreeSet<PathBuf>,
    watcher: &mut notify::RecommendedWatcher,
) {
    use notify::{RecursiveMode, Watcher};
    for p in paths {
        if let Ok(rel) = p.strip_prefix(root)
            && rel.components().count() == 1
            && p.is_dir()
        {
            let _ = watcher.watch(p, RecursiveMode::Recursive);
        }
    }
}

/// Updates the fingerprints of `paths` (off the async threads): whether any file's content
/// changed. `None` when the task failed.
async fn update_prints(
    mut prints: Fingerprints,
    paths: BTreeSet<PathBuf>,
) -> Option<(Fingerprints, bool)> {
    tokio::task::spawn_blocking(move || {
        let any = prints.update(&paths);
        (prints, any)
    })
    .await
    .ok()
}

/// The preview of the changed files' records (off the async threads). `None` when the task
/// failed.
async fn preview_changes(
    builder: &Shared,
    changed_files: BTreeSet<PathBuf>,
) -> Option<Option<Snapshot>> {
    let b = builder.clone();
    tokio::task::spawn_blocking(move || b.lock().expect("builder lock").preview(&changed_files))
        .await
        .ok()
}

/// The snapshot of a finished full build (off the async threads). `None` when the task failed.
async fn finish_full_build(
    builder: &Shared,
    b: crate::Build,
    session: Option<crate::serve::session::Session>,
    took: Duration,
) -> Option<Snapshot> {
    let state = builder.clone();
    tokio::task::spawn_blocking(move || {
        state.lock().expect("builder lock").finish(b, session, took)
    })
    .await
    .ok()
}

/// Starts a full build in the background.
fn start_full_build(opts: crate::Options) -> Running {
    tokio::task::spawn_blocking(move || {
        let start = Instant::now();
        let (b, session) = session::build_session(&opts);
        (b, session, start.elapsed())
    })
}

// ------------------------------------------------------------------------ running

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async {
                match term.as_mut() {
                    Some(t) => { t.recv().await; }
                    None => std::future::pending::<()>().await,
                }
            } => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Opens `url` in the desktop's browser, if there is a way to.
fn open_browser(url: &str) {
    let tries: &[(&str, &[&str])] = if cfg!(target_os = "macos") {
        &[("open", &[])]
    } else if cfg!(windows) {
        &[("explorer", &[])]
    } else {
        &[("xdg-open", &[]), ("gio", &["open"])]
    };
    for (cmd, args) in tries {
        let child = std::process::Command::new(cmd)
            .args(*args)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if let Ok(mut c) = child {
            std::thread::spawn(move || {
                let _ = c.wait();
            });
            return;
        }
    }
    eprintln!("could not open a browser: open {url} yourself");
}

/// The address to show for a bound socket (loopback for "every address").
pub fn url_of(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v) if v.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v) if v.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// Serves the site until Ctrl-C. An error is a usage or input/output problem (exit code 2).
pub fn run(opts: ServeOptions) -> Result<(), String> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open the site folder {}: {e}", opts.root.display()))?;
    if !root.join("site.yaml").is_file() {
        return Err(format!(
            "{} has no site.yaml: is it a berpa site? (`berpa init DIR` makes a new one)",
            opts.root.display()
        ));
    }
    background_builds();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let result = rt.block_on(serve(opts, root));
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}

/// The full builds run on rayon's shared pool; its threads yield to the previews (on their
/// own pool, see [`Builder::preview`]): on two cores a full build of a national site takes
/// both, and the preview of the record just saved should not wait behind it. (Where the
/// pool already exists, or elsewhere than Linux, the builds keep the process's priority.)
fn background_builds() {
    let _ = rayon::ThreadPoolBuilder::new()
        .start_handler(|_| lower_priority())
        .build_global();
}

/// Lowers the calling thread's priority by 10 nice levels (at most to 19); best effort.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{getpriority_process, setpriority_process};
        let tid = rustix::thread::gettid();
        if let Ok(now) = getpriority_process(Some(tid)) {
            let _ = setpriority_process(Some(tid), (now + 10).min(19));
        }
    }
}

async fn serve(opts: ServeOptions, root: PathBuf) -> Result<(), String> {
    let listener = listen(&opts).await?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen: {e}"))?;
    let url = url_of(addr);

    // Watch before the first build, so an edit made while it runs is not missed.
    let (ev_tx, ev_rx) = mpsc::unbounded_channel();
    let watcher = start_watcher(&root, ev_tx)
        .map_err(|e| format!("cannot watch {} for changes: {e}", root.display()))?;
    let mut builder = new_builder(&opts, &root, &url);
    let scan_root = root.clone();
    let (builder, prints, first) = tokio::task::spawn_blocking(move || {
        let prints = Fingerprints::scan(&scan_root);
        let snap = builder.run();
        (builder, prints, snap)
    })
    .await
    .map_err(|e| format!("the first build stopped: {e}"))?;

    let (snap_tx, snap_rx) = watch::channel(Arc::new(first));
    let (stop_tx, stop_rx) = watch::channel(false);
    let app = router(AppState {
        snap: snap_rx,
        shutdown: stop_rx.clone(),
    });
    let mut stop = stop_rx.clone();
    let server = tokio::spawn(
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|s| *s).await;
            })
            .into_future(),
    );
    let rebuilds = tokio::spawn(watch_loop(
        root.clone(),
        watcher,
        prints,
        ev_rx,
        builder,
        snap_tx,
    ));

    announce(&opts, &root, addr, &url);

    let mut server = server;
    let outcome = tokio::select! {
        _ = shutdown_signal() => None,
        r = &mut server => Some(r),
    };
    rebuilds.abort();
    match outcome {
        Some(Ok(Ok(()))) => Ok(()),
        Some(Ok(Err(e))) => Err(format!("the server stopped: {e}")),
        Some(Err(e)) => Err(format!("the server stopped: {e}")),
        None => {
            if !opts.quiet {
                eprintln!("stopping");
            }
            let _ = stop_tx.send(true);
            let _ = tokio::time::timeout(Duration::from_secs(3), server).await;
            Ok(())
        }
    }
}

/// The listener on the address and port asked for.
async fn listen(opts: &ServeOptions) -> Result<tokio::net::TcpListener, String> {
    tokio::net::TcpListener::bind((opts.bind, opts.port))
        .await
        .map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                "; choose another with --port, or --port 0 for any free one"
            } else {
                ""
            };
            format!(
                "cannot listen on {}: {e}{hint}",
                SocketAddr::new(opts.bind, opts.port)
            )
        })
}

/// The builder of the site at `root`, served at `url`, before its first build.
fn new_builder(opts: &ServeOptions, root: &Path, url: &str) -> Builder {
    Builder {
        opts: crate::Options {
            root: root.to_path_buf(),
            // Links that must be absolute (the 404 page, canonical addresses) point here.
            base_url: Some(url.to_string()),
            strict: opts.strict,
            progress: None,
            keep: true,
        },
        quiet: opts.quiet,
        color: opts.color,
        last_good: None,
        build: 0,
        site: 0,
        last_printed: Vec::new(),
        session: None,
        last_status: None,
    }
}

/// Says where the site is served (and, unless quiet, what is watched), and opens the browser
/// when asked to.
fn announce(opts: &ServeOptions, root: &Path, addr: SocketAddr, url: &str) {
    println!("serving {} at {url}", root.display());
    if !opts.quiet {
        if !addr.ip().is_loopback() {
            eprintln!(
                "note: listening on {}: other machines on the network can see this site",
                addr.ip()
            );
        }
        eprintln!(
            "watching site.yaml, content/, templates/, static/ and i18n/; press Ctrl-C to stop"
        );
    }
    if opts.open {
        open_browser(url);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn background_build_threads_yield_to_previews() {
        use rustix::process::getpriority_process;
        use rustix::thread::gettid;
        // In a thread of its own: the priority cannot be raised again.
        let (before, after) = std::thread::spawn(|| {
            let before = getpriority_process(Some(gettid())).unwrap();
            lower_priority();
            (before, getpriority_process(Some(gettid())).unwrap())
        })
        .join()
        .unwrap();
        assert_eq!(after, (before + 10).min(19), "nice {before} -> {after}");
        // Only that thread: this one keeps its priority.
        assert_eq!(getpriority_process(Some(gettid())).unwrap(), before);
    }

    fn site() -> Site {
        Site::from(files())
    }

    fn files() -> OutputSet {
        let mut s = OutputSet::new();
        s.insert("index.html", "<html><body>home</body></html>");
        s.insert("cities/alpha/index.html", "<html><body>alpha</body></html>");
        s.insert("style.css", "body{}");
        s.insert("404.html", "<html><body>missing</body></html>");
        s.insert(
            "az/cities/alpha/index.html",
            "<html><body>alfa</body></html>",
        );
        s
    }

    #[test]
    fn pretty_urls_and_redirects() {
        let s = site();
        assert_eq!(resolve("/", &s), Lookup::Found("index.html".into()));
        assert_eq!(
            resolve("/cities/alpha/", &s),
            Lookup::Found("cities/alpha/index.html".into())
        );
        assert_eq!(
            resolve("/cities/alpha", &s),
            Lookup::Redirect("/cities/alpha/".into())
        );
        assert_eq!(resolve("/style.css", &s), Lookup::Found("style.css".into()));
        assert_eq!(
            resolve("/%63ities/alpha/", &s),
            Lookup::Found("cities/alpha/index.html".into())
        );
        assert_eq!(resolve("/cities/beta/", &s), Lookup::NotFound);
        assert_eq!(resolve("/cities/", &s), Lookup::NotFound);
    }

    #[test]
    fn traversal_and_odd_paths_are_refused() {
        let s = site();
        for bad in [
            "/../site.yaml",
            "/cities/../../site.yaml",
            "/%2e%2e/site.yaml",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/cities/..%2f..%2fsite.yaml",
            "/cities/%2e%2e%5csite.yaml",
            "/a\\b",
            "/x%00.html",
            "/%zz",
            "/%c3%28",
            "/./index.html",
            "relative",
        ] {
            assert_eq!(resolve(bad, &s), Lookup::Bad, "{bad}");
        }
        for missing in ["//etc/passwd", "/.berpa-output", "/cities//alpha/"] {
            assert_eq!(resolve(missing, &s), Lookup::NotFound, "{missing}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("search.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("data/cities.geojson"), "application/geo+json");
        assert_eq!(content_type("data/cities.json"), "application/json");
        assert_eq!(content_type("charts/x.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/atom+xml");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("map.svg"), "image/svg+xml");
        assert_eq!(content_type("logo.PNG"), "image/png");
        assert_eq!(content_type("photo.jpeg"), "image/jpeg");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    fn status(ok: bool) -> Status {
        Status {
            build: 2,
            site: 1,
            ok,
            millis: 5,
            changed: vec![],
            changed_count: 0,
            errors: usize::from(!ok),
            warnings: 0,
            preview: false,
            diagnostics: if ok {
                vec![]
            } else {
                vec![
                    Diagnostic::error(
                        "yaml-syntax",
                        "content/cities/a.yaml",
                        "bad <script>alert(1)</script> value",
                    )
                    .at(crate::site::diagnostics::Pos::new(3, 7))
                    .help("write \"x\" & go"),
                ]
            },
        }
    }

    #[test]
    fn injects_the_script_before_body_end() {
        let html = b"<html><body><p>x</p></body></html>";
        let out = String::from_utf8(inject(html, &status(true), "cities/a/index.html")).unwrap();
        assert_eq!(
            out,
            "<html><body><p>x</p><script src=\"/__berpa/livereload.js\" data-site=\"1\" data-path=\"cities/a/index.html\" defer></script>\n</body></html>"
        );
        // No </body>: at the end.
        let out = String::from_utf8(inject(b"<p>x</p>", &status(true), "a.html")).unwrap();
        assert!(out.starts_with("<p>x</p><script src="));
    }

    #[test]
    fn overlay_escapes_diagnostic_text() {
        let html = b"<html><body><p>x</p></body></html>";
        let out = String::from_utf8(inject(html, &status(false), "index.html")).unwrap();
        assert!(out.contains("id=\"berpa-overlay\""));
        assert!(out.contains("content/cities/a.yaml:3:7"));
        assert!(out.contains("bad &lt;script&gt;alert(1)&lt;/script&gt; value"));
        assert!(out.contains("help: write &quot;x&quot; &amp; go"));
        assert!(!out.contains("<script>alert"));
        let overlay_at = out.find("berpa-overlay").unwrap();
        assert!(overlay_at > out.find("<p>x</p>").unwrap());
        assert!(out.ends_with("</body></html>"));
    }

    #[test]
    fn a_preview_lays_its_files_over_the_site() {
        let base = site();
        let previewed = base.with([(
            "cities/alpha/index.html".to_string(),
            b"<html><body>ALPHA</body></html>".to_vec(),
        )]);
        assert_eq!(
            previewed.get("cities/alpha/index.html"),
            Some(&b"<html><body>ALPHA</body></html>"[..])
        );
        assert_eq!(previewed.get("style.css"), Some(&b"body{}"[..]));
        assert!(
            Arc::ptr_eq(&base.base, &previewed.base),
            "the base is shared"
        );
        // The full build that follows: what it makes is compared with what is served.
        let mut full = files();
        full.insert("cities/alpha/index.html", "<html><body>ALPHA</body></html>");
        assert!(previewed.diff(&full).is_empty());
        full.insert("style.css", "body{color:red}");
        assert_eq!(previewed.diff(&full), vec!["style.css".to_string()]);
        assert_eq!(
            previewed.diff(&files()),
            vec!["cities/alpha/index.html".to_string()],
            "the preview is taken back"
        );
    }

    #[test]
    fn diff_names_changed_added_and_removed_files() {
        let a = files();
        let mut b = files();
        assert!(diff(Some(&a), &b).is_empty());
        b.insert("cities/alpha/index.html", "<html><body>ALPHA</body></html>");
        b.insert("cities/beta/index.html", "new");
        let mut c = OutputSet::new();
        for (p, bytes) in b.iter() {
            if p != "style.css" {
                c.insert(p, bytes);
            }
        }
        assert_eq!(
            diff(Some(&a), &c),
            vec![
                "cities/alpha/index.html".to_string(),
                "cities/beta/index.html".to_string(),
                "style.css".to_string()
            ]
        );
        assert_eq!(diff(None, &a).len(), a.len());
    }

    #[test]
    fn only_site_inputs_are_watched() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/site.yaml")));
        assert!(relevant(root, Path::new("/site/content/cities/a.yaml")));
        assert!(relevant(root, Path::new("/site/templates/base.html")));
        assert!(relevant(root, Path::new("/site/static/logo.png")));
        assert!(relevant(root, Path::new("/site/i18n/az.yaml")));
        assert!(relevant(root, Path::new("/site/content")));
        assert!(!relevant(root, Path::new("/site/public/index.html")));
        assert!(!relevant(root, Path::new("/site/README.md")));
        assert!(!relevant(
            root,
            Path::new("/site/content/cities/.a.yaml.swp")
        ));
        assert!(!relevant(root, Path::new("/site/content/cities/a.yaml~")));
        assert!(!relevant(root, Path::new("/elsewhere/site.yaml")));
    }

    #[test]
    fn unchanged_saves_start_no_build() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        std::fs::create_dir_all(root.join("content/cities")).unwrap();
        std::fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        let a = root.join("content/cities/a.yaml");
        std::fs::write(&a, "name: A\n").unwrap();
        let mut f = Fingerprints::scan(root);
        let one = |p: &Path| BTreeSet::from([p.to_path_buf()]);
        // Saved with the same bytes.
        std::fs::write(&a, "name: A\n").unwrap();
        assert!(!f.update(&one(&a)));
        // A temporary file that came and went.
        assert!(!f.update(&one(&root.join("content/cities/4913"))));
        std::fs::write(&a, "name: B\n").unwrap();
        assert!(f.update(&one(&a)));
        assert!(!f.update(&one(&a)));
        std::fs::remove_file(&a).unwrap();
        assert!(f.update(&one(&a)));
        // A folder removed whole.
        std::fs::write(root.join("content/cities/b.yaml"), "x").unwrap();
        let mut f = Fingerprints::scan(root);
        std::fs::remove_dir_all(root.join("content/cities")).unwrap();
        assert!(f.update(&one(&root.join("content/cities"))));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_named_pipe_never_blocks_the_watcher() {
        fn fifo(root: &Path, rel: &str) -> PathBuf {
            let mode = rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR;
            rustix::fs::mkfifoat(rustix::fs::CWD, root.join(rel), mode).unwrap();
            root.join(rel)
        }
        let t = tempfile::tempdir().unwrap();
        let root = t.path().to_path_buf();
        std::fs::create_dir_all(root.join("content/cities")).unwrap();
        std::fs::create_dir_all(root.join("static")).unwrap();
        let old = fifo(&root, "content/cities/old.yaml");
        fifo(&root, "site.yaml");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut f = Fingerprints::scan(&root);
            // One made while serving: a change (its build reports it), never a wait.
            let new = fifo(&root, "static/new.css");
            let _ = tx.send(f.update(&BTreeSet::from([new, old])));
        });
        let changed = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the watcher is waiting on a named pipe");
        assert!(changed);
    }

    #[test]
    fn urls_of_bound_addresses() {
        assert_eq!(
            url_of("127.0.0.1:1111".parse().unwrap()),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(
            url_of("0.0.0.0:80".parse().unwrap()),
            "http://127.0.0.1:80/"
        );
        assert_eq!(url_of("[::1]:8080".parse().unwrap()), "http://[::1]:8080/");
    }
}
