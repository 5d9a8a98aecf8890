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
    /// Keep the site loaded, checked and linked (`Build::kept`), with the records' narratives
    /// in memory: `serve` previews a changed record from it.
    pub keep: bool,
}

/// The result of a build: the site in memory (when there were no errors) and what was found.
#[derive(Debug)]
pub struct Build {
    pub output: Option<write::OutputSet>,
    pub diagnostics: Diagnostics,
    pub stats: Stats,
    /// The fingerprint of the content files the build read (see [`load::content_hash`]).
    pub content_hash: u64,
    /// The site loaded, checked and linked, when [`Options::keep`] asked for it and the build
    /// succeeded.
    pub kept: Option<Box<Kept>>,
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

/// [`build`] into memory: the site's files are in `Build::output`.
pub fn build_in_memory(opts: &Options) -> Build {
    let sink = write::Sink::memory();
    let mut b = build(opts, &sink);
    if b.output.is_some() {
        b.output = Some(sink.into_memory());
    }
    b
}

/// Loads, validates and renders the site, keeping only the list of its files (`berpa check`).
pub fn check(opts: &Options) -> Build {
    build(opts, &write::Sink::nowhere())
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

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("records", &self.recs.len())
            .finish_non_exhaustive()
    }
}

/// The stages in order: load and check the site, link it, plan and render its pages and export
/// its open data, every file going to `sink` as soon as it is made. `Build::output` is an empty
/// set when the build succeeded (the files are in the sink), `None` when it failed; a build
/// that fails still runs as far as it can, to report what it finds, and writes nothing.
pub fn build(opts: &Options, sink: &write::Sink) -> Build {
    let root = opts.root.as_path();
    if let Some(p) = &opts.progress {
        p.done.store(0, Ordering::Relaxed);
    }
    let mut diags = Diagnostics::new();
    let Some((check_cfg, cfg)) = configure(opts, &mut diags) else {
        sink.stop();
        return finish(diags, false, Stats::default(), opts.strict);
    };
    trace("start");
    // A build leaves the narratives in their files until their pages render; `serve` keeps
    // them, to re-render a page without reading.
    let (recs, content_hash) = load_checked(root, &check_cfg, cfg.as_ref(), opts.keep, &mut diags);
    let mut stats = Stats {
        records: recs.len(),
        ..Stats::default()
    };
    let fail = |diags, stats, strict| {
        sink.stop();
        Build {
            content_hash,
            ..finish(diags, false, stats, strict)
        }
    };
    let Some(cfg) = cfg else {
        return fail(diags, stats, opts.strict);
    };
    let strict = opts.strict || cfg.strict;
    let langs = load::lang::load_all(root, &cfg.languages, &mut diags);
    let charts = render::ChartTable::default();
    let templates = render::load_templates(root, &mut diags, charts.clone());
    // Render even when content has errors, so template problems show in the same run; the
    // output is dropped if anything failed.
    let (Some((tera, site_templates)), true) = (templates, langs.len() == cfg.languages.len())
    else {
        return fail(diags, stats, strict);
    };
    // A build that will fail writes nothing; it still renders, to report what it finds.
    if diags.has_errors() || (strict && diags.warnings() > 0) {
        sink.stop();
    }
    let derived = link::Derived::new(&recs);
    trace("derived");
    let maps = render::maps(&cfg, &recs, &langs, &derived);
    trace("map data");
    let kept = Kept {
        config: cfg,
        recs,
        langs,
        tera,
        site_templates,
        charts,
        strict,
        derived,
        maps,
    };
    let plan = plan::Plan::site(
        &kept.recs,
        &kept.derived,
        render::templates_call_chart(&kept.site_templates),
        kept.config.default_lang(),
    );
    let built = render_and_export(&kept, &plan, root, sink, opts.progress.as_ref());
    diags.extend(built.diagnostics);
    stats.pages = built.pages;
    if diags.has_errors() {
        sink.stop();
    }
    export::feeds::add(sink, &kept.config, &kept.recs, &kept.langs);
    trace("feeds and sitemap");
    // Two things that would write one file: each an error (the sink has stopped).
    for c in sink.collisions() {
        diags.push(check::output::collision(&c, root, &kept.config, &kept.recs));
    }
    count_files(sink, &mut stats);
    let mut b = finish(diags, true, stats, strict);
    b.content_hash = content_hash;
    if opts.keep && b.output.is_some() {
        b.kept = Some(Box::new(kept));
    } else {
        // Freeing a national programme's records takes a tenth of a second on one core: done
        // beside whatever comes next (the output's commit, or the end of the process).
        drop_aside(kept);
    }
    b
}

/// `site.yaml` read and checked, with `--base-url` applied: the configuration content is
/// judged against, and the one the site is built with (`None` when some of its values are
/// wrong: content is still judged, nothing is built). `None` when it cannot be read: only its
/// own problems are reported.
fn configure(
    opts: &Options,
    diags: &mut Diagnostics,
) -> Option<(config::Config, Option<config::Config>)> {
    let (check_cfg, cfg) = match load::config::load_checked(&opts.root, diags) {
        load::config::Loaded::Ok(c) => (c.clone(), Some(c)),
        load::config::Loaded::Flawed(c) => (c, None),
        load::config::Loaded::Failed => return None,
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
    Some((check_cfg, cfg))
}

/// The load and check stages: the records of `content/` (their narratives kept in memory when
/// `keep`), checked against `check_cfg`, and the ids `cfg` names checked against them. A
/// location out of range is reported and dropped. Also the fingerprint of the content read.
pub(crate) fn load_checked(
    root: &Path,
    check_cfg: &config::Config,
    cfg: Option<&config::Config>,
    keep: bool,
    diags: &mut Diagnostics,
) -> (model::Records, u64) {
    let narratives = if keep {
        load::Narratives::InMemory
    } else {
        load::Narratives::InFile
    };
    let (mut recs, load_diags, content) = load::load_hashed(root, &check_cfg.languages, narratives);
    trace("loaded");
    let complete = !load_diags.has_errors();
    diags.extend(load_diags);
    diags.extend(check::validate(
        &recs,
        &check::Context {
            config: check_cfg,
            today: today(check_cfg),
            complete: complete && cfg.is_some(),
        },
    ));
    for c in &recs.charts {
        for d in check::charts::check(c, &recs) {
            diags.push(d);
        }
        let rates = cfg.and_then(|c| c.exchange_rates.as_ref());
        if let Some(d) = check::charts::money_sums(c, &recs, rates) {
            diags.push(d);
        }
    }
    // A location out of range has been reported; what follows never sees it.
    recs.drop_bad_coordinates();
    trace("validated");
    if let Some(cfg) = cfg {
        diags.extend(check::config::check_refs(cfg, root, &recs));
    }
    (recs, content)
}

/// Renders the jobs of `plan`; in a full build (one that plans the 404 page) also the open data
/// and the search indexes, which need only the records: they are made side by side with the
/// pages (filling the other core while the pages' shared parts are made one at a time). The
/// feeds and the sitemap list the pages, so they come after.
fn render_and_export(
    site: &Kept,
    plan: &plan::Plan,
    root: &Path,
    sink: &write::Sink,
    progress: Option<&Progress>,
) -> render::Built {
    let input = render::Input {
        root,
        config: &site.config,
        recs: &site.recs,
        langs: &site.langs,
        tera: &site.tera,
        site_templates: &site.site_templates,
        charts: &site.charts,
        progress,
        sink,
        derived: &site.derived,
        maps: &site.maps,
    };
    let render = || {
        let mut built = render::render_site(&input, plan);
        if plan.once.contains(&plan::Once::NotFound) {
            built
                .diagnostics
                .extend(check::pages::reserved_pages(&site.recs));
        }
        trace("rendered");
        built
    };
    let whole = !plan.once.is_empty();
    let (built, ()) = rayon::join(render, || {
        if whole {
            export::data::build(&site.config, &site.recs, &site.langs, sink);
            trace("exported");
            export::search::build(&site.config, &site.recs, &site.langs, sink);
            trace("search indexes");
        }
    });
    built
}

/// The files and the charts' tables the sink holds, counted into `stats`.
fn count_files(sink: &write::Sink, stats: &mut Stats) {
    let paths = sink.paths();
    stats.files = paths.len();
    stats.charts = paths
        .iter()
        .filter(|p| p.ends_with(".csv") && (p.starts_with("charts/") || p.contains("/charts/")))
        .count();
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
        content_hash: 0,
        kept: None,
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
            content_hash: 0,
            kept: None,
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
    let b = build(opts, &sink);
    trace("built");
    let warnings = b.diagnostics.warnings();
    let input = with_content(rest, b.content_hash);
    let written = b.output.is_some().then(|| sink.commit(input, warnings));
    trace("written");
    (b, written)
}
