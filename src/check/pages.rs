//! The rules about free pages (`content/pages/`).

use crate::site::diagnostics::{Diagnostic, Diagnostics};
use crate::site::model::{CHANGES_PAGE, DATA_PAGE, EDITIONS_PAGE, Records, UPDATES_PAGE};

/// A free page at `data/`, `updates/`, `changes/` or `editions/` (or below it) would take the
/// place of a built-in page.
pub fn reserved_pages(recs: &Records) -> Diagnostics {
    let mut out = Diagnostics::new();
    for d in recs
        .pages
        .iter()
        .filter(|p| {
            [DATA_PAGE, UPDATES_PAGE, CHANGES_PAGE, EDITIONS_PAGE].contains(&p.slug.as_str())
                || p.slug.starts_with(&format!("{EDITIONS_PAGE}/"))
        })
        .filter_map(|p| p.versions.values().next())
        .map(|v| {
            Diagnostic::error(
                "reserved-page",
                &v.file,
                "this page's address is taken by one of berpa's built-in pages (the Data page at data/, the Updates page at updates/, the editions at editions/, what changed at changes/)",
            )
            .help("rename the file, for example to content/pages/about-data.md")
        })
    {
        out.push(d);
    }
    out
}
