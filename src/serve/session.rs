//! What `serve` keeps between builds: the loaded site of the last good build, from which the
//! pages of a changed record are re-rendered at once. Saving a record's file shows the new page
//! within milliseconds ([`Session::preview`]); the full build that follows brings every other
//! page that mentions the record (lists, links, charts, exports) up to date.

use crate::site::diagnostics::Diagnostics;
use crate::site::model::{Kind, Records};
use crate::write::Sink;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The loaded site of a good build.
pub struct Session {
    pub(crate) opts: crate::Options,
    /// The site as the last build or preview loaded, checked and linked it.
    pub(crate) site: crate::Kept,
}

/// [`crate::build`], keeping what it loaded when it succeeded: `serve` re-renders a changed
/// record's pages from it at once ([`Session::preview`]).
pub fn build_session(opts: &crate::Options) -> (crate::Build, Option<Session>) {
    let opts = crate::Options {
        keep: true,
        ..opts.clone()
    };
    let sink = Sink::memory();
    let mut b = crate::build(&opts, &sink);
    if b.output.is_some() {
        b.output = Some(sink.into_memory());
    }
    let session = b.kept.take().map(|site| Session { opts, site: *site });
    (b, session)
}

/// A changed record's pages, re-rendered.
#[derive(Debug)]
pub struct Preview {
    /// The pages (every language) and the charts on them, by output path.
    pub files: Vec<(String, Vec<u8>)>,
    /// The records re-read.
    pub records: BTreeSet<(Kind, String)>,
}

/// The records whose files (their own, or a translation's) are `changed`: `None` when one of
/// them is no record's file.
fn records_of(
    root: &std::path::Path,
    recs: &Records,
    changed: &[PathBuf],
) -> Option<BTreeSet<(Kind, String)>> {
    let mut only = BTreeSet::new();
    for path in changed {
        let rel = crate::load::rel_path(root, path);
        let parts: Vec<&str> = rel.split('/').collect();
        let [_, dir, _] = parts.as_slice() else {
            return None;
        };
        let kind = recs.fields.kind(dir)?;
        let id = recs.ids(kind).into_iter().find(|id| {
            recs.meta(kind, id)
                .is_some_and(|m| m.file == rel || m.body.values().any(|b| b.file == rel))
        })?;
        only.insert((kind, id.to_string()));
    }
    Some(only)
}

/// Every record's kind and id.
fn keys(recs: &Records) -> BTreeSet<(Kind, String)> {
    recs.fields
        .kinds()
        .flat_map(|k| recs.ids(k).into_iter().map(move |id| (k, id.to_string())))
        .collect()
}

impl Session {
    /// Runs the stages of a build again over the files as they are, and renders the part of
    /// the plan the changed records affect (their pages and the charts on them), as the full
    /// build will render them. `None` when that cannot be done safely: a file that is not an
    /// existing record's, a record added or removed, a change the checks find wrong (the full
    /// build reports it), or any problem while rendering.
    pub fn preview(&mut self, changed: &[PathBuf]) -> Option<Preview> {
        let root = self.opts.root.clone();
        let site = &mut self.site;
        crate::site::trace("preview: start");
        let mut diags = Diagnostics::new();
        let cfg = &site.config;
        let (recs, _) = crate::load_checked(&root, cfg, Some(cfg), true, &mut diags);
        if diags.has_errors() || (site.strict && diags.warnings() > 0) {
            return None;
        }
        // Only a change to what the site already holds: an added or removed record changes
        // the lists, links and exports, which the full build makes.
        if keys(&recs) != keys(&site.recs) {
            return None;
        }
        let only = records_of(&root, &recs, changed)?;
        let derived = crate::link::Derived::new(&recs);
        // The texts' links and chart blocks: a change that breaks one is the full build's to
        // report.
        if crate::check_texts(&recs, cfg, &site.langs, &derived).has_errors() {
            return None;
        }
        crate::site::trace("preview: re-read, checked");
        site.derived = derived;
        site.maps = crate::render::maps(cfg, &recs, &site.langs, &site.derived);
        site.recs = recs;
        crate::site::trace("preview: derived, maps");
        let plan = crate::plan::Plan::site(
            &site.recs,
            &site.derived,
            crate::render::templates_call_chart(&site.site_templates),
            site.config.default_lang(),
        )
        .affected(&only, &site.derived);
        let sink = Sink::memory();
        let built = crate::render_and_export(site, &plan, &root, &sink, None);
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
