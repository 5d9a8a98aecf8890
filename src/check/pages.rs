//! The rules about free pages (`content/pages/`).

use crate::site::diagnostics::{Diagnostic, Diagnostics};
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
    out
}
