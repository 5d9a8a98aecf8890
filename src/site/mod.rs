//! The bottom layer: what every stage shares. The site's configuration, the records
//! (with their text and dates), the interface languages, diagnostics, Markdown.

pub mod az;
pub mod config;
pub mod currency;
pub mod diagnostics;
pub mod escape;
pub mod input;
pub mod lang;
pub mod markdown;
pub mod model;
pub mod sheet;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A progress hook: called with (pages rendered, pages to render) as rendering goes on, from
/// the rendering threads.
#[derive(Clone)]
pub struct Progress {
    report: Arc<dyn Fn(usize, usize) + Send + Sync>,
    pub(crate) done: Arc<AtomicUsize>,
}

impl Progress {
    pub fn new(report: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        Progress {
            report: Arc::new(report),
            done: Arc::default(),
        }
    }

    /// One more page of about `total` is rendered.
    pub fn page_done(&self, total: usize) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        (self.report)(done, total.max(done));
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("done", &self.done.load(Ordering::Relaxed))
            .finish()
    }
}

/// CPU time this process has used so far (user and system, all threads), in seconds, from
/// /proc (Linux; 0 elsewhere). For `trace` and the benchmark's examples.
pub fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let f: Vec<&str> = after.split_whitespace().collect();
            Some((f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?) as f64 / 100.0)
        })
        .unwrap_or(0.0)
}

/// With `BERPA_TRACE` set, prints to stderr how long the build has run and how much memory
/// it holds at each stage: for profiling (docs/benchmarks.md), never in normal output.
pub fn trace(stage: &str) {
    use std::sync::OnceLock;
    static START: OnceLock<Option<std::time::Instant>> = OnceLock::new();
    let Some(start) =
        START.get_or_init(|| std::env::var_os("BERPA_TRACE").map(|_| std::time::Instant::now()))
    else {
        return;
    };
    // Resident memory, from /proc (Linux); 0 elsewhere.
    let rss_kib = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        })
        .unwrap_or(0);
    let cpu_s = cpu_seconds();
    eprintln!(
        "trace {:>8.3} s {:>8.2} s cpu {:>7} MiB  {stage}",
        start.elapsed().as_secs_f64(),
        cpu_s,
        rss_kib / 1024
    );
}
