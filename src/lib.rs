//! berpa: a static site generator for public reporting on reconstruction.
//!
//! The pipeline runs one way: **load** (`site.yaml`, `content/`) → **validate** (references,
//! ranges, sources) → **derive** (links both ways, totals) → **render** (every page, every
//! language, into memory) → **write** (atomically). Each stage is a module; [`build`] runs them
//! all and returns the site as an in-memory [`write::OutputSet`] with every diagnostic found.

pub mod check;
pub mod draw;
pub mod export;
pub mod link;
pub mod load;
pub mod plan;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod write;

use site::diagnostics::{Diagnostic, Diagnostics};
pub use site::{Progress, cpu_seconds, trace};
use site::{config, input, model};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site's folder (holding `site.yaml` and `content/`).
    pub root: PathBuf,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Warnings fail the build (also `strict: true` in `site.yaml`).
    pub strict: bool,
    /// Told of every page rendered, for a progress bar.
    pub progress: Option<Progress>,
}

/// The result of a build: the site in memory (when there were no errors) and what was found.
#[derive(Debug)]
pub struct Build {
    pub output: Option<write::OutputSet>,
    pub diagnostics: Diagnostics,
    pub stats: Stats,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub records: usize,
    pub pages: usize,
    /// Charts drawn (each language's drawing of a chart counts).
    pub charts: usize,
    pub files: usize,
    /// Nothing the build reads had changed since the output was written: nothing was done.
    pub unchanged: bool,
}

/// "Today" for checks that need one: `data_as_of`, else `SOURCE_DATE_EPOCH`, else the clock.
/// Never shown in the output, so builds stay reproducible.
fn today(cfg: &config::Config) -> model::Date {
    cfg.data_as_of.unwrap_or_else(model::Date::today)
}

/// Loads, validates and renders the site at `opts.root` into memory. Nothing is written.
pub fn build(opts: &Options) -> Build {
    let sink = write::Sink::memory();
    let mut b = build_into(opts, &sink);
    if b.output.is_some() {
        b.output = Some(sink.into_memory());
    }
    b
}

/// Loads, validates and renders the site, keeping only the list of its files (`berpa check`).
pub fn check(opts: &Options) -> Build {
    build_into(opts, &write::Sink::nowhere())
}

/// Loads, validates and renders the site at `opts.root`, every file going to `sink` as soon as
/// it is made. `Build::output` is an empty set when the build succeeded, `None` when it failed.
pub fn build_into(opts: &Options, sink: &write::Sink) -> Build {
    build_inner(opts, sink, false, &mut 0).0
}

/// [`build_into`], with the fingerprint of the content files the build read (see
/// [`load::content_hash`]).
fn build_into_hashed(opts: &Options, sink: &write::Sink) -> (Build, u64) {
    let mut content = 0;
    let (b, _) = build_inner(opts, sink, false, &mut content);
    (b, content)
}

/// What a build keeps when asked to (`serve`): the site it loaded, checked and linked, from
/// which [`serve::session::Session::preview`] re-renders a changed record's pages.
pub struct Kept {
    pub config: config::Config,
    pub recs: model::Records,
    pub langs: Vec<site::lang::Lang>,
    pub tera: tera::Tera,
    pub site_templates: std::collections::BTreeMap<String, String>,
    pub charts: render::ChartTable,
    pub strict: bool,
    pub derived: link::Derived,
    pub maps: render::maps::Maps,
}

/// `content_hash`: set to the fingerprint of the content files read.
fn build_inner(
    opts: &Options,
    sink: &write::Sink,
    keep: bool,
    content_hash: &mut u64,
) -> (Build, Option<Kept>) {
    let root = opts.root.as_path();
    if let Some(p) = &opts.progress {
        p.done.store(0, Ordering::Relaxed);
    }
    let mut diags = Diagnostics::new();
    // What is right in content depends on site.yaml (its languages, its date): when it cannot
    // be read, only its own problems are reported. When only some of its values are wrong,
    // content is judged against it too, and nothing is built.
    let (check_cfg, cfg) = match load::config::load_checked(root, &mut diags) {
        load::config::Loaded::Ok(c) => (c.clone(), Some(c)),
        load::config::Loaded::Flawed(c) => (c, None),
        load::config::Loaded::Failed => {
            sink.stop();
            return (finish(diags, false, Stats::default(), opts.strict), None);
        }
    };
    let cfg = cfg.and_then(|mut c| match &opts.base_url {
        Some(u) => match config::normalise_base_url(u) {
            Ok(u) => {
                c.base_url = u;
                Some(c)
            }
            Err(m) => {
                diags.push(Diagnostic::error("bad-option", "--base-url", m).help(
                    "give the full address, for example --base-url https://example.org/report/",
                ));
                None
            }
        },
        None => Some(c),
    });
    trace("start");
    // A build leaves the narratives in their files until their pages render; `serve` keeps
    // them, to re-render a page without reading.
    let narratives = if keep {
        load::Narratives::InMemory
    } else {
        load::Narratives::InFile
    };
    let (mut recs, load_diags, content) = load::load_hashed(root, &check_cfg.languages, narratives);
    *content_hash = content;
    trace("loaded");
    let complete = !load_diags.has_errors();
    diags.extend(load_diags);
    let mut stats = Stats {
        records: recs.len(),
        ..Stats::default()
    };
    diags.extend(check::validate(
        &recs,
        &check::Context {
            config: &check_cfg,
            today: today(&check_cfg),
            complete: complete && cfg.is_some(),
        },
    ));
    for c in &recs.charts {
        for d in check::charts::check(c, &recs) {
            diags.push(d);
        }
    }
    // A location out of range has been reported; what follows never sees it.
    recs.drop_bad_coordinates();
    trace("validated");
    let Some(cfg) = cfg else {
        sink.stop();
        return (finish(diags, false, stats, opts.strict), None);
    };
    let strict = opts.strict || cfg.strict;
    diags.extend(check::config::check_refs(&cfg, root, &recs));
    let langs = load::lang::load_all(root, &cfg.languages, &mut diags);
    let chart_table = render::ChartTable::default();
    let templates = render::load_templates(root, &mut diags, chart_table.clone());
    // Render even when content has errors, so template problems show in the same run; the
    // output is dropped if anything failed.
    let (Some((tera, site_templates)), true) = (templates, langs.len() == cfg.languages.len())
    else {
        sink.stop();
        return (finish(diags, false, stats, strict), None);
    };
    // A build that will fail writes nothing; it still renders, to report what it finds.
    if diags.has_errors() || (strict && diags.warnings() > 0) {
        sink.stop();
    }
    // The open data and the search indexes need only the records: they are made side by side
    // with the pages (filling the other core while the pages' shared parts are made one at a
    // time). The feeds and the sitemap list the pages, so they come after.
    let ((derived, maps, built), ()) = rayon::join(
        || {
            let derived = link::Derived::new(&recs);
            trace("derived");
            let maps = render::maps(&cfg, &recs, &langs, &derived);
            trace("map data");
            let plan = plan::Plan::site(
                &recs,
                &derived,
                render::templates_call_chart(&site_templates),
            );
            let mut built = render::render_site(
                &render::Input {
                    root,
                    config: &cfg,
                    recs: &recs,
                    langs: &langs,
                    tera: &tera,
                    site_templates: &site_templates,
                    charts: &chart_table,
                    progress: opts.progress.as_ref(),
                    sink,
                    derived: &derived,
                    maps: &maps,
                },
                &plan,
            );
            built
                .diagnostics
                .extend(check::pages::reserved_pages(&recs));
            trace("rendered");
            (derived, maps, built)
        },
        || {
            export::data::build(&cfg, &recs, &langs, sink);
            trace("exported");
            export::search::build(&cfg, &recs, &langs, sink);
            trace("search indexes");
        },
    );
    diags.extend(built.diagnostics);
    stats.pages = built.pages;
    if diags.has_errors() {
        sink.stop();
    }
    export::feeds::add(sink, &cfg, &recs, &langs);
    trace("feeds and sitemap");
    // Two things that would write one file: each an error (the sink has stopped).
    for c in sink.collisions() {
        diags.push(check::output::collision(&c, root, &cfg, &recs));
    }
    let paths = sink.paths();
    stats.files = paths.len();
    stats.charts = paths
        .iter()
        .filter(|p| p.ends_with(".csv") && (p.starts_with("charts/") || p.contains("/charts/")))
        .count();
    let b = finish(diags, true, stats, strict);
    if !(keep && b.output.is_some()) {
        // Freeing a national programme's records takes a tenth of a second on one core: done
        // beside whatever comes next (the output's commit, or the end of the process).
        drop_aside((recs, derived, maps, tera, site_templates, langs));
        return (b, None);
    }
    let kept = Kept {
        config: cfg,
        recs,
        langs,
        tera,
        site_templates,
        charts: chart_table,
        strict,
        derived,
        maps,
    };
    (b, Some(kept))
}

/// Drops `v` on a thread of its own; where no thread can be started, here.
fn drop_aside<T: Send + 'static>(v: T) {
    let _ = std::thread::Builder::new()
        .name("berpa-free".into())
        .spawn(move || drop(v));
}

fn finish(mut diags: Diagnostics, rendered: bool, stats: Stats, strict: bool) -> Build {
    if strict {
        diags.make_strict();
    }
    diags.sort();
    let output = (rendered && !diags.has_errors()).then(write::OutputSet::new);
    Build {
        output,
        diagnostics: diags,
        stats,
    }
}

/// A fingerprint of everything a build reads: `site.yaml`, the content files, `templates/`,
/// `static/`, `i18n/`, the options, and the berpa binary itself. Equal fingerprints give equal
/// output.
pub fn fingerprint(opts: &Options) -> u64 {
    with_content(fingerprint_rest(opts), content_fingerprint(opts))
}

/// The content files' part of the fingerprint, read from the files (in the site's languages).
fn content_fingerprint(opts: &Options) -> u64 {
    let mut diags = Diagnostics::new();
    let langs = load::config::load(&opts.root, &mut diags)
        .map(|c| c.languages)
        .unwrap_or_else(|| vec!["en".into()]);
    load::content_hash(&opts.root, &langs)
}

/// The whole fingerprint from [`fingerprint_rest`] and the content's part.
fn with_content(rest: u64, content: u64) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    h.update(&rest.to_le_bytes());
    h.update(&content.to_le_bytes());
    h.digest()
}

/// The fingerprint of what a build reads besides the content files: `site.yaml`, templates,
/// static files, interface strings, the options and berpa itself.
fn fingerprint_rest(opts: &Options) -> u64 {
    use rayon::prelude::*;
    // Read as the build reads them: what is refused (a link leaving the site, a named pipe)
    // counts by its error, unread.
    let site = input::Site::new(&opts.root);
    let mut refused = Vec::new();
    let mut files: Vec<(String, PathBuf, input::Limit)> = Vec::new();
    for (dir, limit) in [
        ("templates", input::TEXT),
        ("static", input::STATIC),
        ("i18n", input::TEXT),
    ] {
        let found = site.files(dir, |_| false, &mut refused);
        files.extend(found.into_iter().map(|(rel, p)| (rel, p, limit)));
    }
    let mut hashes: Vec<u64> = files
        .par_iter()
        .map(|(rel, p, limit)| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(rel.as_bytes());
            match input::read_file(rel, p, *limit) {
                Ok(b) => h.update(&b),
                Err(d) => h.update(d.message.as_bytes()),
            }
            h.digest()
        })
        .collect();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    match site.read("site.yaml", input::TEXT) {
        Ok(b) => h.update(b.as_deref().unwrap_or_default()),
        Err(d) => h.update(d.message.as_bytes()),
    }
    for d in refused {
        h.update(d.file.as_bytes());
        h.update(d.message.as_bytes());
    }
    hashes.push(h.digest());
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    // A rebuilt berpa may render differently: its size and time count too.
    if let Some(m) = std::env::current_exe()
        .ok()
        .and_then(|e| std::fs::metadata(e).ok())
    {
        h.update(&m.len().to_le_bytes());
        if let Ok(t) = m
            .modified()
            .map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default())
        {
            h.update(&t.as_nanos().to_le_bytes());
        }
    }
    h.update(format!("{:?}|{}", opts.base_url, opts.strict).as_bytes());
    for x in hashes {
        h.update(&x.to_le_bytes());
    }
    h.digest()
}

/// Builds and writes the site into `out`. The previous output is replaced only when the whole
/// build succeeded; a `.git` in it is kept, any other file berpa did not write is removed (and
/// named in [`output::WriteStats::removed`]). When nothing the build reads has changed since
/// the output was written (and that build had no warnings to report again), nothing is
/// rendered or written: `Build::stats` then says `unchanged`.
pub fn build_to(
    opts: &Options,
    out: &Path,
) -> (Build, Option<Result<write::WriteStats, write::WriteError>>) {
    trace("begin");
    // What the build reads besides the content files, read before the build reads it. The
    // content's part is read here only when the previous output might be reused; otherwise the
    // build takes it from the very bytes it parses.
    let rest = fingerprint_rest(opts);
    let reusable = write::Manifest::read(out).filter(|m| m.warnings == 0);
    let unchanged = reusable.as_ref().is_some_and(|m| {
        m.input == with_content(rest, content_fingerprint(opts))
            && m.intact(out)
            && write::check_output_dir(out, &opts.root).is_ok()
    });
    trace("fingerprinted");
    if let (true, Some(m)) = (unchanged, reusable) {
        let n = m.files.len();
        let b = Build {
            output: Some(write::OutputSet::new()),
            diagnostics: Diagnostics::new(),
            stats: Stats {
                files: n,
                unchanged: true,
                ..Stats::default()
            },
        };
        // The output holds the site and nothing else (but a `.git`), as after any build.
        let removed = write::remove_foreign(out, &m);
        let stats = write::WriteStats {
            files: n,
            bytes: 0,
            written: 0,
            unchanged: n,
            removed,
        };
        return (b, Some(Ok(stats)));
    }
    // The output folder is checked before anything is rendered; a folder berpa may not
    // replace is reported after the build's own problems.
    let sink = match write::Sink::to_dir(out, &opts.root) {
        Ok(s) => s,
        Err(e) => {
            let b = check(opts);
            let refused = b.output.is_some().then_some(Err(e));
            return (b, refused);
        }
    };
    let (b, content) = build_into_hashed(opts, &sink);
    trace("built");
    let warnings = b.diagnostics.warnings();
    let input = with_content(rest, content);
    let written = b.output.is_some().then(|| sink.commit(input, warnings));
    trace("written");
    (b, written)
}
