//! The plan: every file the build makes from the linked records, as plain data. A [`Job`] names
//! an output and what it is made from; `render` turns jobs into bytes. `serve`'s preview is the
//! same plan cut down to the jobs a change affects ([`Plan::affected`]).

use crate::link::Derived;
use crate::site::model::groups::{self, GroupField};
use crate::site::model::{CHARTS_DIR, DATA_PAGE, Kind, Records, UPDATES_PAGE};
use std::collections::BTreeSet;

/// Records on one list page.
pub const LIST_PAGE_SIZE: usize = 200;

/// What the build makes, in the order it is made: the charts first (the pages show them), then
/// the record pages (each record's in every language at once), then each language's other
/// pages, then what is made once for the whole site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Charts drawn in every language, each with its CSV (`charts/<id>.csv`).
    pub charts: Vec<Chart>,
    /// The record pages, made in every language.
    pub records: Vec<(Kind, String)>,
    /// The other pages of each language, in this order.
    pub pages: Vec<Job>,
    /// Made once for the whole site.
    pub once: Vec<Once>,
    /// The fields with a page per value, and their values ([`JobKind::Group`] points in).
    pub groups: Vec<GroupField>,
}

/// A chart to draw, by what it is drawn from.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// The site's chart `recs.charts[i]`.
    Site(usize),
    /// The built-in dashboard charts (which ones depends on the records).
    Builtin,
    /// A tracked figure's observations (`indicator-<id>`).
    Indicator(String),
    /// A place's projects (`city-<id>-projects`). Planned only where a site template's
    /// `chart(id=…)` may ask for it; otherwise it is drawn with the place's page.
    City(String),
}

/// One page of every language, other than a record's.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The page's folder below the language home, such as `cities/page/2/` ("" for home).
    pub path: String,
    pub kind: JobKind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum JobKind {
    /// Page `n` (from 1) of `pages_total` of a collection's list.
    List {
        kind: Kind,
        n: usize,
        pages_total: usize,
    },
    /// The free page `recs.pages[i]`.
    Free(usize),
    /// The index of the values of `groups[group]` (`projects/by-sector/`).
    GroupIndex {
        group: usize,
    },
    /// Page `n` (from 1) of `pages_total` of the records of value `value` of `groups[group]`
    /// (`projects/by-sector/education/`).
    Group {
        group: usize,
        value: usize,
        n: usize,
        pages_total: usize,
    },
    Map,
    Home,
    Data,
    Updates,
    /// The list of editions (`editions/`).
    Editions,
    /// The page of `editions.list[i]`: its data and what changed since the one before.
    Edition(usize),
    /// What changed since the newest edition (`changes/`).
    Changes,
    /// Each chart's page (`charts/<id>/`) and embed page (`charts/<id>/embed/`), with its SVG
    /// file and citation files: one job for every chart drawn.
    Charts,
}

/// What is made once for the whole site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Once {
    /// The page-not-found page, in each language (`404.html`, `az/404.html`).
    NotFound,
    /// The site's `static/` files, then the theme's where the site has none.
    StaticFiles,
}

pub use crate::site::model::{CHANGES_PAGE, EDITIONS_PAGE};

/// The pages of the site's editions: their list, one page each, and what changed since the
/// newest.
pub fn edition_jobs(editions: &crate::edition::Editions) -> Vec<Job> {
    let mut jobs = vec![
        Job {
            path: format!("{EDITIONS_PAGE}/"),
            kind: JobKind::Editions,
        },
        Job {
            path: format!("{CHANGES_PAGE}/"),
            kind: JobKind::Changes,
        },
    ];
    for (i, p) in editions.list.iter().enumerate() {
        jobs.push(Job {
            path: p.edition.path(),
            kind: JobKind::Edition(i),
        });
    }
    jobs
}

/// The folder of page `n` (from 1) of a collection's list.
pub fn list_page_path(kind: Kind, n: usize) -> String {
    if n == 1 {
        format!("{}/", kind.dir())
    } else {
        format!("{}/page/{n}/", kind.dir())
    }
}

/// The place of a record's chart `city-<id>-projects`, when the place has projects.
pub fn city_has_chart(derived: &Derived, city: &str) -> bool {
    !derived
        .pointing_at(Kind::City, city, Kind::Project)
        .is_empty()
}

/// The folder of page `n` (from 1) of a value's records.
pub fn group_page_path(g: &GroupField, value: usize, n: usize) -> String {
    let first = groups::value_path(g.kind, &g.field, &g.values[value].slug);
    if n == 1 {
        first
    } else {
        format!("{first}page/{n}/")
    }
}

/// The pages per group: each field's index of values, then each value's pages.
fn group_jobs(groups: &[GroupField]) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        jobs.push(Job {
            path: groups::index_path(g.kind, &g.field),
            kind: JobKind::GroupIndex { group: gi },
        });
        for (vi, v) in g.values.iter().enumerate() {
            let pages_total = v.members.len().div_ceil(LIST_PAGE_SIZE).max(1);
            for n in 1..=pages_total {
                jobs.push(Job {
                    path: group_page_path(g, vi, n),
                    kind: JobKind::Group {
                        group: gi,
                        value: vi,
                        n,
                        pages_total,
                    },
                });
            }
        }
    }
    jobs
}

impl Plan {
    /// Everything the site makes. `templates_call_chart`: a site template may ask for any chart
    /// by id, so the places' charts are drawn beforehand.
    pub fn site(
        recs: &Records,
        derived: &Derived,
        templates_call_chart: bool,
        default_lang: &str,
    ) -> Plan {
        let mut charts: Vec<Chart> = (0..recs.charts.len()).map(Chart::Site).collect();
        charts.push(Chart::Builtin);
        for ind in &recs.indicators {
            if !ind.data.observations.is_empty() {
                charts.push(Chart::Indicator(ind.id().to_string()));
            }
        }
        if templates_call_chart {
            for city in &recs.cities {
                if city_has_chart(derived, city.id()) {
                    charts.push(Chart::City(city.id().to_string()));
                }
            }
        }
        let records = recs
            .fields
            .kinds()
            .flat_map(|k| recs.ids(k).into_iter().map(move |id| (k, id.to_string())))
            .collect();
        let mut pages = Vec::new();
        // List pages, paginated so that no page grows without bound; the full list is one
        // click away as CSV.
        for kind in recs.fields.kinds() {
            let pages_total = recs.ids(kind).len().div_ceil(LIST_PAGE_SIZE).max(1);
            for n in 1..=pages_total {
                pages.push(Job {
                    path: list_page_path(kind, n),
                    kind: JobKind::List {
                        kind,
                        n,
                        pages_total,
                    },
                });
            }
        }
        let groups = groups::groups(recs, default_lang);
        pages.extend(group_jobs(&groups));
        for (i, page) in recs.pages.iter().enumerate() {
            pages.push(Job {
                path: format!("{}/", page.slug),
                kind: JobKind::Free(i),
            });
        }
        for (path, kind) in [
            ("map/".to_string(), JobKind::Map),
            (String::new(), JobKind::Home),
            (format!("{DATA_PAGE}/"), JobKind::Data),
            (format!("{UPDATES_PAGE}/"), JobKind::Updates),
            (format!("{CHARTS_DIR}/"), JobKind::Charts),
        ] {
            pages.push(Job { path, kind });
        }
        Plan {
            charts,
            records,
            pages,
            once: vec![Once::NotFound, Once::StaticFiles],
            groups,
        }
    }

    /// The jobs made from the `changed` records: their pages and the charts on them, and the
    /// site's own charts (any narrative may show one). Pages that list or count the records
    /// (lists, home, map, exports) are left to the full build that follows a preview.
    pub fn affected(&self, changed: &BTreeSet<(Kind, String)>, derived: &Derived) -> Plan {
        let mut shown: BTreeSet<String> = BTreeSet::new();
        for (kind, id) in changed {
            match kind {
                Kind::City => {
                    shown.insert(format!("city-{id}-projects"));
                    for ind in derived.pointing_at(Kind::City, id, Kind::Indicator) {
                        shown.insert(format!("indicator-{ind}"));
                    }
                }
                Kind::Indicator => {
                    shown.insert(format!("indicator-{id}"));
                }
                _ => {}
            }
        }
        let charts = self
            .charts
            .iter()
            .filter(|c| match c {
                Chart::Site(_) => true,
                Chart::Builtin => false,
                Chart::Indicator(id) => shown.contains(&format!("indicator-{id}")),
                Chart::City(id) => shown.contains(&format!("city-{id}-projects")),
            })
            .cloned()
            .collect();
        Plan {
            charts,
            records: self
                .records
                .iter()
                .filter(|r| changed.contains(r))
                .cloned()
                .collect(),
            pages: Vec::new(),
            once: Vec::new(),
            groups: Vec::new(),
        }
    }
}
