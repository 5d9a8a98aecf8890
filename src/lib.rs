//! berpa: a static site generator for public reporting on reconstruction.
//!
//! The pipeline runs one way: **load** (`site.yaml`, `content/`) → **validate** (references,
//! ranges, sources) → **derive** (links both ways, totals) → **render** (every page, every
//! language, into memory) → **write** (atomically). Each stage is a module; [`build`] runs them
//! all and returns the site as an in-memory [`write::OutputSet`] with every diagnostic found.

pub mod check;
pub mod draw;
pub mod edition;
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
    /// The site's editions and what changed between them ([`edition::Editions`]).
    pub editions: edition::Editions,
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
    let langs = site_langs(root, &cfg, &mut diags);
    // The rest of the check stage: the texts' links and chart blocks, judged against the pages
    // and charts the site will have (the links between records decide some of the charts);
    // before the templates, so that their problems do not hide the content's.
    let derived = link::Derived::new(&recs);
    trace("derived");
    diags.extend(check_texts(&recs, &cfg, &langs, &derived));
    trace("texts checked");
    let charts = render::ChartTable::default();
    let templates = render::load_templates(root, &mut diags, charts.clone());
    // Render even when content has errors, so template problems show in the same run; the
    // output is dropped if anything failed.
    let (Some((tera, site_templates)), true) = (templates, langs.len() == cfg.languages.len())
    else {
        return fail(diags, stats, strict);
    };
    let editions = editions(root, &cfg, &recs, &mut diags);
    // A build that will fail writes nothing; it still renders, to report what it finds.
    if diags.has_errors() || (strict && diags.warnings() > 0) {
        sink.stop();
    }
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
        editions,
    };
    let mut plan = plan::Plan::site(
        &kept.recs,
        &kept.derived,
        render::templates_call_chart(&kept.site_templates),
        kept.config.default_lang(),
    );
    plan.pages.extend(plan::edition_jobs(&kept.editions));
    let built = render_and_export(&kept, &plan, root, sink, opts.progress.as_ref());
    diags.extend(built.diagnostics);
    stats.pages = built.pages;
    if diags.has_errors() {
        sink.stop();
    }
    export::feeds::add(sink, &kept.config, &kept.recs, &kept.langs, &kept.editions);
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

/// The interface strings of each of the site's languages, with the labels of the fields and
/// the names of the collections it declares.
fn site_langs(root: &Path, cfg: &config::Config, diags: &mut Diagnostics) -> Vec<site::lang::Lang> {
    let mut langs = load::lang::load_all(root, &cfg.languages, diags);
    for lang in &mut langs {
        let strings =
            model::fields::declared_strings(&cfg.declared, &lang.code, cfg.default_lang());
        lang.strings.extend(strings);
        let names = model::fields::own_names(&cfg.own, &lang.code, cfg.default_lang());
        lang.collections.extend(names);
    }
    langs
}

/// The load and check stages: the records of `content/` (their narratives kept in memory when
/// `keep`), checked against `check_cfg`; with a sound `cfg`, also the ids it names and the free
/// pages' addresses. A location out of range is reported and dropped. Also the fingerprint of
/// the content read.
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
    let (mut recs, load_diags, content) = load::load_declared(root, check_cfg, narratives);
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
        diags.extend(check::pages::reserved_pages(&recs));
    }
    (recs, content)
}

/// The check stage's judgement of the narratives and free pages ([`check::markdown`]): their
/// internal links against the pages the site has, their chart blocks against the charts it
/// draws (which the site's records and the links between them decide).
pub(crate) fn check_texts(
    recs: &model::Records,
    cfg: &config::Config,
    langs: &[site::lang::Lang],
    derived: &link::Derived,
) -> Diagnostics {
    let default_lang = cfg.default_lang();
    let charts = langs
        .iter()
        .find(|l| l.code == default_lang)
        .or(langs.first())
        .map(|lang| render::chart_ids(cfg, recs, derived, lang));
    check::markdown::check_texts(recs, &cfg.languages, default_lang, charts.as_ref())
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
        editions: &site.editions,
    };
    let render = || {
        let built = render::render_site(&input, plan);
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
            edition::publish(&site.editions, sink);
        }
    });
    built
}

/// The site's editions (`editions/`), each compared with the one before, and the newest before
/// `data_as_of` with the current records; what cannot be read is reported in `diags`.
fn editions(
    root: &Path,
    cfg: &config::Config,
    recs: &model::Records,
    diags: &mut Diagnostics,
) -> edition::Editions {
    let mut found_diags = Vec::new();
    let found = edition::load(root, &mut found_diags);
    let e = edition::Editions::new(
        found,
        cfg.data_as_of,
        || export::data::records_data(cfg, recs),
        &mut found_diags,
    );
    for d in found_diags {
        diags.push(d);
    }
    e
}

/// Why `berpa edition` made no edition.
#[derive(Debug)]
pub enum EditionFailure {
    /// The site has errors (in the diagnostics): it is not built, so not recorded.
    Content,
    /// `site.yaml` gives no `data_as_of`, the edition's date.
    NoDate,
    /// The edition exists already, or could not be written.
    Write(edition::WriteError),
}

impl std::fmt::Display for EditionFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditionFailure::Content => write!(
                f,
                "the site has errors, so no edition was made: fix them (berpa check lists them), then run berpa edition again"
            ),
            EditionFailure::NoDate => write!(
                f,
                "site.yaml gives no data_as_of: an edition is named by the date its data stands at. Add, for example, `data_as_of: 2026-11-27` to site.yaml, then run berpa edition again"
            ),
            EditionFailure::Write(e) => e.fmt(f),
        }
    }
}

/// What `berpa edition` did: the folder it made, with the number of files, or why it made none.
#[derive(Debug)]
pub struct EditionRun {
    pub diagnostics: Diagnostics,
    pub result: Result<(std::path::PathBuf, usize), EditionFailure>,
}

/// `berpa edition`: builds the site in memory and copies its open data (what the build writes
/// under `data/`) into `editions/<data_as_of>/`, which must not exist yet.
pub fn make_edition(opts: &Options) -> EditionRun {
    let b = build_in_memory(opts);
    let run = |result| EditionRun {
        diagnostics: b.diagnostics.clone(),
        result,
    };
    let Some(out) = &b.output else {
        return run(Err(EditionFailure::Content));
    };
    let mut ignored = Diagnostics::new();
    let Some(date) = load::config::load(&opts.root, &mut ignored).and_then(|c| c.data_as_of) else {
        return run(Err(EditionFailure::NoDate));
    };
    let prefix = format!("{}/", export::data::DATA_DIR);
    let files: Vec<(String, Vec<u8>)> = out
        .iter()
        .filter_map(|(p, b)| Some((p.strip_prefix(&prefix)?.to_string(), b.to_vec())))
        .filter(|(name, _)| !name.contains('/') && edition::is_data_file(name))
        .collect();
    let n = files.len();
    run(edition::write(&opts.root, date, &files)
        .map(|dir| (dir, n))
        .map_err(EditionFailure::Write))
}

/// What `berpa check --links` found: an error for each source address that no longer answers
/// (none when nothing answered at all: see [`check::links::Report::offline`]), and every
/// address asked.
#[derive(Debug)]
pub struct LinkRun {
    pub diagnostics: Diagnostics,
    pub report: check::links::Report,
}

/// `berpa check --links`: loads the records and asks every source's `url` and `archive_url`.
/// The content's own problems are [`check`]'s to report, not this run's.
pub fn check_links(opts: &Options, limits: check::links::Limits) -> LinkRun {
    let mut content = Diagnostics::new();
    let mut diagnostics = Diagnostics::new();
    let report = match configure(opts, &mut content) {
        Some((check_cfg, cfg)) => {
            let (recs, _) = load_checked(&opts.root, &check_cfg, cfg.as_ref(), false, &mut content);
            match check::links::probe(check::links::targets(&recs), limits) {
                Ok(report) => {
                    if !report.offline() {
                        for d in report.diagnostics(&recs) {
                            diagnostics.push(d);
                        }
                    }
                    report
                }
                Err(why) => {
                    diagnostics.push(
                        Diagnostic::error("links-unavailable", "content/sources", why)
                            .help("install curl, or run `berpa check` without `--links`"),
                    );
                    check::links::Report::default()
                }
            }
        }
        None => check::links::Report::default(),
    };
    diagnostics.sort();
    LinkRun {
        diagnostics,
        report,
    }
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
    let cfg = load::config::load(&opts.root, &mut diags)
        .unwrap_or_else(|| config::Config::stand_in(vec!["en".into()]));
    load::content_hash(&opts.root, &cfg.languages, &cfg.own)
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
        (edition::DIR, input::STATIC),
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
