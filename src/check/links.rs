//! Sources that stay checkable: the rules for a source's archived copy, retrieval date and
//! content hash ([`check_hash`]), and `berpa check --links` ([`probe`]), which asks every
//! source's address and archived copy whether it still answers. The links check needs the
//! network and is never part of a build.

use super::err;
use crate::site::diagnostics::{Diagnostic, Diagnostics};
use crate::site::model::{Entry, Records, Source};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The rule for `sha256` (the field table checks `archive_url` as a web address).
pub fn check_hash(s: &Entry<Source>, d: &mut Diagnostics) {
    if let Some(h) = &s.data.sha256
        && !(h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        d.push(err(
            &s.meta,
            "sha256",
            "invalid-hash",
            format!(
                "`{h}` is not a SHA-256 hash: it has {} characters, and a hash is 64 hexadecimal digits (0-9, a-f)",
                h.chars().count()
            ),
            "write the hash as `sha256sum FILE` prints it, for example sha256: 3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b".into(),
        ));
    }
}

/// An address a source gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The source's file and id.
    pub file: String,
    pub source: String,
    /// `url` or `archive_url`.
    pub field: &'static str,
    pub url: String,
}

/// What an address did when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It answered with this HTTP status (after redirects).
    Answered(u16),
    /// It did not answer: no such host, refused, timed out, a TLS failure.
    Unreachable(String),
}

impl Outcome {
    /// Whether the address still answers: a status below 400.
    pub fn ok(&self) -> bool {
        matches!(self, Outcome::Answered(s) if *s < 400)
    }
}

/// Every address asked, with what it did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub checked: Vec<(Target, Outcome)>,
}

impl Report {
    /// The addresses that no longer answer.
    pub fn broken(&self) -> impl Iterator<Item = &(Target, Outcome)> {
        self.checked.iter().filter(|(_, o)| !o.ok())
    }

    /// No address answered at all: there is no network here (or every server is down), so
    /// nothing can be judged.
    pub fn offline(&self) -> bool {
        !self.checked.is_empty()
            && self
                .checked
                .iter()
                .all(|(_, o)| matches!(o, Outcome::Unreachable(_)))
    }

    /// An error for each address that no longer answers, at the field that gives it.
    pub fn diagnostics(&self, recs: &Records) -> Vec<Diagnostic> {
        self.broken()
            .filter_map(|(t, o)| {
                let s = recs.source(&t.source)?;
                let what = match o {
                    Outcome::Answered(code) => format!("answers HTTP {code}"),
                    Outcome::Unreachable(e) => format!("does not answer ({e})"),
                };
                Some(err(
                    &s.meta,
                    t.field,
                    "broken-link",
                    format!("`{}` {what}", t.url),
                    if t.field == "url" {
                        "if the publication moved, give its new address; if it is gone, give archive_url, an archived copy (for example from web.archive.org)".into()
                    } else {
                        "give the address of another archived copy, or remove archive_url".into()
                    },
                ))
            })
            .collect()
    }
}

/// Every web address the sources give (`url`, `archive_url`), in file order.
pub fn targets(recs: &Records) -> Vec<Target> {
    let mut out = Vec::new();
    for s in &recs.sources {
        for (field, u) in [("url", &s.data.url), ("archive_url", &s.data.archive_url)] {
            if let Some(u) = u
                && (u.starts_with("https://") || u.starts_with("http://"))
            {
                out.push(Target {
                    file: s.meta.file.clone(),
                    source: s.id().to_string(),
                    field,
                    url: u.clone(),
                });
            }
        }
    }
    out
}

/// How many addresses are asked at once, and how long one may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub workers: usize,
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            workers: 8,
            timeout: Duration::from_secs(20),
        }
    }
}

/// Asks every target (each address once, `limits.workers` at a time): a HEAD request, then a
/// GET when HEAD fails or is refused (some servers answer only GET). The asking is done by
/// `curl` (on the PATH of nearly every system: Linux distributions, macOS, Windows 10 and
/// later), which keeps a TLS stack out of berpa's own build; without it, an error says so.
pub fn probe(targets: Vec<Target>, limits: Limits) -> Result<Report, String> {
    let mut urls: Vec<String> = targets.iter().map(|t| t.url.clone()).collect();
    urls.sort_unstable();
    urls.dedup();
    if !urls.is_empty() && !curl_found() {
        return Err(
            "`berpa check --links` asks the addresses with curl, which is not on the PATH: install curl (for example `apt-get install curl`)".into(),
        );
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..limits.workers.clamp(1, urls.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let o = ask(url, limits.timeout);
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(o);
                    }
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    let outcome = |u: &str| {
        urls.binary_search_by(|x| x.as_str().cmp(u))
            .ok()
            .and_then(|i| results.get(i).cloned().flatten())
            .unwrap_or_else(|| Outcome::Unreachable("not asked".into()))
    };
    Ok(Report {
        checked: targets
            .into_iter()
            .map(|t| {
                let o = outcome(&t.url);
                (t, o)
            })
            .collect(),
    })
}

/// Whether `curl` runs.
fn curl_found() -> bool {
    std::process::Command::new("curl")
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What `url` does when asked.
fn ask(url: &str, timeout: Duration) -> Outcome {
    let head = request(url, true, timeout);
    if let Outcome::Answered(code) = head
        && code < 400
    {
        return head;
    }
    match (request(url, false, timeout), head) {
        (Outcome::Unreachable(_), Outcome::Answered(code)) => Outcome::Answered(code),
        (get, _) => get,
    }
}

/// One request with curl: its final HTTP status after redirects, or why there is none.
fn request(url: &str, head: bool, timeout: Duration) -> Outcome {
    let secs = timeout.as_secs().max(1);
    let mut c = std::process::Command::new("curl");
    // `-q` first: no curlrc changes what is asked. Only http and https, also on redirects.
    c.args([
        "-q",
        "--silent",
        "--show-error",
        "--location",
        "--max-redirs",
        "10",
    ])
    .args(["--proto", "=http,https", "--proto-redir", "=http,https"])
    .args(["--max-time", &secs.to_string()])
    .args(["--connect-timeout", &(secs / 2).max(1).to_string()])
    .args([
        "--user-agent",
        concat!("berpa/", env!("CARGO_PKG_VERSION"), " (check --links)"),
    ])
    .args(["--output", if cfg!(windows) { "NUL" } else { "/dev/null" }])
    .args(["--write-out", "%{http_code}"]);
    if head {
        c.arg("--head");
    }
    let out = match c.arg("--url").arg(url).output() {
        Ok(o) => o,
        Err(e) => return Outcome::Unreachable(format!("curl did not run: {e}")),
    };
    let code: u16 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    if code > 0 {
        return Outcome::Answered(code);
    }
    let why = String::from_utf8_lossy(&out.stderr);
    let why = why.trim().trim_start_matches("curl: ");
    Outcome::Unreachable(if why.is_empty() {
        format!("curl exited with {}", out.status)
    } else {
        why.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(url: &str) -> Target {
        Target {
            file: "content/sources/s.yaml".into(),
            source: "s".into(),
            field: "url",
            url: url.into(),
        }
    }

    #[test]
    fn offline_only_when_nothing_answered() {
        let down = Outcome::Unreachable("refused".into());
        let mut r = Report {
            checked: vec![
                (t("http://a.test/"), down.clone()),
                (t("http://b.test/"), down),
            ],
        };
        assert!(r.offline());
        assert_eq!(r.broken().count(), 2);
        r.checked
            .push((t("http://c.test/"), Outcome::Answered(404)));
        assert!(!r.offline(), "a server answered: the network is there");
        assert_eq!(r.broken().count(), 3);
        r.checked
            .push((t("http://d.test/"), Outcome::Answered(200)));
        assert_eq!(r.broken().count(), 3);
        assert!(
            !Report::default().offline(),
            "nothing to ask is not offline"
        );
    }
}
