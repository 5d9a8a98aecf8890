//! The rules about free pages (`content/pages/`).

use crate::site::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::site::model::{
    CHANGES_PAGE, CHARTS_DIR, DATA_PAGE, EDITIONS_PAGE, Records, UPDATES_PAGE,
};

/// A free page at `data/`, `updates/`, `changes/`, `editions/` or `charts/` (or below the last
/// two) would take the place of a built-in page: the editions' pages, the charts' pages and their
/// embed pages.
pub fn reserved_pages(recs: &Records) -> Diagnostics {
    let mut out = Diagnostics::new();
    for d in recs
        .pages
        .iter()
        .filter(|p| {
            [DATA_PAGE, UPDATES_PAGE, CHANGES_PAGE, EDITIONS_PAGE].contains(&p.slug.as_str())
                || p.slug.starts_with(&format!("{EDITIONS_PAGE}/"))
                || p.slug == CHARTS_DIR
                || p.slug.starts_with(&format!("{CHARTS_DIR}/"))
        })
        .filter_map(|p| p.versions.values().next())
        .map(|v| {
            Diagnostic::error(
                "reserved-page",
                &v.file,
                "this page's address is taken by one of berpa's built-in pages (the Data page at data/, the Updates page at updates/, the editions at editions/, what changed at changes/, the charts at charts/)",
            )
            .help("rename the file, for example to content/pages/about-data.md")
        })
    {
        out.push(d);
    }
    out.extend(group_paths(recs));
    out
}

/// A record or free page whose address is a collection's index of values (`projects/by-sector/`,
/// made for every field with pages per value) or lies below one would take its place.
pub fn group_paths(recs: &Records) -> Diagnostics {
    use crate::site::model::groups::{has_pages, index_path};
    let mut out = Diagnostics::new();
    for kind in recs.fields.kinds() {
        for f in recs.fields.of(kind).iter().filter(|f| has_pages(f)) {
            let index = index_path(kind, &f.name);
            let taken = || {
                format!(
                    "this address is taken by berpa's pages of the {} by {} ({index})",
                    kind.dir(),
                    f.name
                )
            };
            let record_dir = |id: &str| format!("{}/{id}/", kind.dir());
            for id in recs
                .ids(kind)
                .into_iter()
                .filter(|id| record_dir(id) == index)
            {
                if let Some(m) = recs.meta(kind, id) {
                    out.push(
                        Diagnostic::error("reserved-page", &m.file, taken())
                            .at(Pos::new(1, 1))
                            .help("rename the record's file (its id is its file name): names starting with `by-` and a field's name are kept for the pages per group"),
                    );
                }
            }
            for p in &recs.pages {
                let slug = format!("{}/", p.slug);
                if !slug.starts_with(&index) {
                    continue;
                }
                if let Some(v) = p.versions.values().next() {
                    out.push(
                        Diagnostic::error("reserved-page", &v.file, taken())
                            .at(Pos::new(1, 1))
                            .help(format!("move the page out of content/pages/{index}")),
                    );
                }
            }
        }
    }
    out
}
