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
/// GET when HEAD fails or is refused (some servers answer only GET).
pub fn probe(targets: Vec<Target>, limits: Limits) -> Report {
    let mut urls: Vec<String> = targets.iter().map(|t| t.url.clone()).collect();
    urls.sort_unstable();
    urls.dedup();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        .timeout_connect(Some(limits.timeout / 2))
        .http_status_as_error(false)
        .user_agent(concat!(
            "berpa/",
            env!("CARGO_PKG_VERSION"),
            " (check --links)"
        ))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..limits.workers.clamp(1, urls.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let o = ask(&agent, url);
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
    Report {
        checked: targets
            .into_iter()
            .map(|t| {
                let o = outcome(&t.url);
                (t, o)
            })
            .collect(),
    }
}

/// What `url` does when asked.
fn ask(agent: &ureq::Agent, url: &str) -> Outcome {
    let head = agent.head(url).call();
    if let Ok(r) = &head
        && r.status().as_u16() < 400
    {
        return Outcome::Answered(r.status().as_u16());
    }
    match (agent.get(url).call(), head) {
        (Ok(r), _) => Outcome::Answered(r.status().as_u16()),
        (Err(_), Ok(h)) => Outcome::Answered(h.status().as_u16()),
        (Err(e), Err(_)) => Outcome::Unreachable(e.to_string()),
    }
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
