//! Facts derived from the records once per build, independent of language: which records point
//! at which (for links both ways) and the dashboard's totals.

use crate::model::{Common, Entry, Kind, ProjectStatus, Records, References, RoadStatus};
use std::collections::BTreeMap;

/// A record named by kind and id.
pub type Key = (Kind, String);

/// Links both ways: for each record, the records that point at it, by kind, sorted.
#[derive(Debug, Default, Clone)]
pub struct Derived {
    pub backlinks: BTreeMap<Key, BTreeMap<Kind, Vec<String>>>,
    pub km_open: f64,
    pub roads_open: usize,
    pub projects_completed: usize,
}

fn collect<T: References>(
    v: &[Entry<T>],
    kind: Kind,
    out: &mut BTreeMap<Key, BTreeMap<Kind, Vec<String>>>,
) {
    for e in v {
        for r in e.data.refs() {
            let list = out
                .entry((r.target, r.id.to_string()))
                .or_default()
                .entry(kind)
                .or_default();
            if list.last().map(String::as_str) != Some(e.id()) {
                list.push(e.id().to_string());
            }
        }
    }
}

impl Derived {
    pub fn new(recs: &Records) -> Self {
        let mut backlinks = BTreeMap::new();
        collect(&recs.cities, Kind::City, &mut backlinks);
        collect(&recs.roads, Kind::Road, &mut backlinks);
        collect(&recs.projects, Kind::Project, &mut backlinks);
        collect(&recs.partners, Kind::Partner, &mut backlinks);
        collect(&recs.indicators, Kind::Indicator, &mut backlinks);
        for kinds in backlinks.values_mut() {
            for ids in kinds.values_mut() {
                ids.sort();
                ids.dedup();
            }
        }
        let open: Vec<_> = recs
            .roads
            .iter()
            .filter(|r| r.data.status == Some(RoadStatus::Open))
            .collect();
        Derived {
            backlinks,
            km_open: open.iter().filter_map(|r| r.data.length_km).sum(),
            roads_open: open.len(),
            projects_completed: recs
                .projects
                .iter()
                .filter(|p| p.data.status == Some(ProjectStatus::Completed))
                .count(),
        }
    }

    /// The records of `from` kind that point at (`kind`, `id`).
    pub fn pointing_at(&self, kind: Kind, id: &str, from: Kind) -> &[String] {
        self.backlinks
            .get(&(kind, id.to_string()))
            .and_then(|m| m.get(&from))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// Every `history` entry of every record, newest first, with its record.
pub fn all_history(recs: &Records) -> Vec<(Kind, &str, &crate::model::HistoryEntry)> {
    fn push<'a, T: Common>(
        v: &'a [Entry<T>],
        kind: Kind,
        out: &mut Vec<(Kind, &'a str, &'a crate::model::HistoryEntry)>,
    ) {
        for e in v {
            for h in e.data.history() {
                out.push((kind, e.id(), h));
            }
        }
    }
    let mut out = Vec::new();
    push(&recs.cities, Kind::City, &mut out);
    push(&recs.roads, Kind::Road, &mut out);
    push(&recs.projects, Kind::Project, &mut out);
    push(&recs.partners, Kind::Partner, &mut out);
    push(&recs.indicators, Kind::Indicator, &mut out);
    push(&recs.sources, Kind::Source, &mut out);
    out.sort_by(|a, b| {
        b.2.date
            .cmp(&a.2.date)
            .then(a.0.cmp(&b.0))
            .then(a.1.cmp(b.1))
    });
    out
}
