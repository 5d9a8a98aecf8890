//! The rules about free pages (`content/pages/`).

use crate::site::diagnostics::{Diagnostic, Diagnostics};
use crate::site::model::{DATA_PAGE, Records, UPDATES_PAGE};

/// A free page at `data/` or `updates/` would take the place of a built-in page.
pub fn reserved_pages(recs: &Records) -> Diagnostics {
    let mut out = Diagnostics::new();
    for d in recs
        .pages
        .iter()
        .filter(|p| p.slug == DATA_PAGE || p.slug == UPDATES_PAGE)
        .filter_map(|p| p.versions.values().next())
        .map(|v| {
            Diagnostic::error(
                "reserved-page",
                &v.file,
                "this page's address is taken by one of berpa's built-in pages (the Data page at data/, the Updates page at updates/)",
            )
            .help("rename the file, for example to content/pages/about-data.md")
        })
    {
        out.push(d);
    }
    out
}
