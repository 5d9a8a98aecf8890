//! What `serve` keeps between builds: the loaded site of the last good build, from which the
//! pages of a changed record are re-rendered at once. Saving a record's file shows the new page
//! within milliseconds ([`Session::preview`]); the full build that follows brings every other
//! page that mentions the record (lists, links, charts, exports) up to date.

use crate::render::{self, ChartTable};
use crate::site::config::Config;
use crate::site::lang::Lang;
use crate::site::model::{Kind, Records};
use crate::write::Sink;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The loaded site of a good build.
pub struct Session {
    pub(crate) opts: crate::Options,
    pub(crate) config: Config,
    pub(crate) recs: Records,
    pub(crate) langs: Vec<Lang>,
    pub(crate) tera: tera::Tera,
    pub(crate) site_templates: BTreeMap<String, String>,
    pub(crate) charts: ChartTable,
    pub(crate) strict: bool,
    /// What the records say about each other, and the maps: brought up to date by each
    /// preview rather than made anew.
    pub(crate) derived: render::Derived,
    pub(crate) maps: crate::render::maps::Maps,
}

/// [`crate::build`], keeping what it loaded when it succeeded: `serve` re-renders a changed
/// record's pages from it at once ([`Session::preview`]).
pub fn build_session(opts: &crate::Options) -> (crate::Build, Option<Session>) {
    let sink = Sink::memory();
    let (mut b, kept) = crate::build_inner(opts, &sink, true, &mut 0);
    if b.output.is_some() {
        b.output = Some(sink.into_memory());
    }
    (b, kept.map(|k| Session::new(opts, k)))
}

/// A changed record's pages, re-rendered.
#[derive(Debug)]
pub struct Preview {
    /// The pages (every language) and the charts on them, by output path.
    pub files: Vec<(String, Vec<u8>)>,
    /// The records re-read.
    pub records: BTreeSet<(Kind, String)>,
}

impl Session {
    fn new(opts: &crate::Options, kept: crate::Kept) -> Session {
        let crate::Kept {
            config,
            recs,
            langs,
            tera,
            site_templates,
            charts,
            strict,
            derived,
            maps,
        } = kept;
        Session {
            opts: opts.clone(),
            config,
            recs,
            langs,
            tera,
            site_templates,
            charts,
            strict,
            derived,
            maps,
        }
    }

    /// Re-reads the changed files and renders the pages of the records they hold, as the full
    /// build will render them. `None` when that cannot be done safely: a file that is not an
    /// existing record's, a change that breaks a record (the full build reports it), or any
    /// problem while rendering. The session then no longer matches the files: build again.
    pub fn preview(&mut self, changed: &[PathBuf]) -> Option<Preview> {
        let root = self.opts.root.clone();
        crate::site::trace("preview: start");
        let only = crate::load::reload(&root, &self.config.languages, &mut self.recs, changed)?;
        crate::site::trace("preview: re-read");
        // The changed records are checked (against all the others); the full build that
        // follows checks the whole site.
        let checks = crate::check::validate_some(
            &self.recs,
            &crate::check::Context {
                config: &self.config,
                today: crate::today(&self.config),
                complete: true,
            },
            &only,
        );
        if checks.has_errors() || (self.strict && checks.warnings() > 0) {
            return None;
        }
        crate::site::trace("preview: checked");
        self.derived.update(&self.recs, &only);
        render::update_maps(
            &mut self.maps,
            &self.config,
            &self.recs,
            &self.langs,
            &self.derived,
            &only,
        );
        crate::site::trace("preview: derived, maps");
        let sink = Sink::memory();
        let plan = crate::plan::Plan::site(
            &self.recs,
            &self.derived,
            render::templates_call_chart(&self.site_templates),
        )
        .affected(&only, &self.derived);
        let built = render::render_site(
            &render::Input {
                root: &root,
                config: &self.config,
                recs: &self.recs,
                langs: &self.langs,
                tera: &self.tera,
                site_templates: &self.site_templates,
                charts: &self.charts,
                progress: None,
                sink: &sink,
                derived: &self.derived,
                maps: &self.maps,
            },
            &plan,
        );
        crate::site::trace("preview: rendered");
        if built.diagnostics.has_errors() || !sink.collisions().is_empty() {
            return None;
        }
        let files = sink
            .into_memory()
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        Some(Preview {
            files,
            records: only,
        })
    }
}
