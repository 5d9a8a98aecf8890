//! Facts derived from the records once per build, independent of language: which records point
//! at which (for links both ways) and the dashboard's totals.

use crate::model::{Common, Entry, Kind, ProjectStatus, Records, References, RoadStatus};
use std::collections::BTreeMap;

/// A record named by kind and id.
pub type Key = (Kind, String);

/// What points at one record: the ids of the records of each kind, sorted.
type Pointing = BTreeMap<Kind, Vec<String>>;

/// Links both ways: for each record, the records that point at it, by kind, sorted; and where
/// each record is in its collection. (Looked up, never listed: the hash maps' order never
/// reaches the output.)
#[derive(Debug, Default, Clone)]
pub struct Derived {
    /// By the kind (as an index) of the record pointed at, then its id.
    backlinks: [foldhash::HashMap<Box<str>, Pointing>; 6],
    /// Each record's place in its collection, by kind (as an index), then id.
    positions: [foldhash::HashMap<Box<str>, usize>; 6],
    pub km_open: f64,
    pub roads_open: usize,
    pub projects_completed: usize,
}

fn collect<T: References>(
    v: &[Entry<T>],
    kind: Kind,
    out: &mut [foldhash::HashMap<Box<str>, Pointing>; 6],
) {
    for e in v {
        for r in e.data.refs() {
            let list = out[r.target as usize]
                .entry(r.id.into())
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
        let mut backlinks: [foldhash::HashMap<Box<str>, Pointing>; 6] = Default::default();
        collect(&recs.cities, Kind::City, &mut backlinks);
        collect(&recs.roads, Kind::Road, &mut backlinks);
        collect(&recs.projects, Kind::Project, &mut backlinks);
        collect(&recs.partners, Kind::Partner, &mut backlinks);
        collect(&recs.indicators, Kind::Indicator, &mut backlinks);
        for kinds in backlinks.iter_mut().flat_map(|m| m.values_mut()) {
            for ids in kinds.values_mut() {
                ids.sort();
                ids.dedup();
            }
        }
        let mut positions: [foldhash::HashMap<Box<str>, usize>; 6] = Default::default();
        for kind in Kind::ALL {
            positions[kind as usize] = recs
                .ids(kind)
                .into_iter()
                .enumerate()
                .map(|(i, id)| (id.into(), i))
                .collect();
        }
        let open: Vec<_> = recs
            .roads
            .iter()
            .filter(|r| r.data.status == Some(RoadStatus::Open))
            .collect();
        Derived {
            backlinks,
            positions,
            km_open: open.iter().filter_map(|r| r.data.length_km).sum(),
            roads_open: open.len(),
            projects_completed: recs
                .projects
                .iter()
                .filter(|p| p.data.status == Some(ProjectStatus::Completed))
                .count(),
        }
    }

    /// Where the record (`kind`, `id`) is in its collection of `recs` (the records this was
    /// made from), if there is one.
    pub fn position(&self, kind: Kind, id: &str) -> Option<usize> {
        self.positions[kind as usize].get(id).copied()
    }

    /// The records of `from` kind that point at (`kind`, `id`).
    pub fn pointing_at(&self, kind: Kind, id: &str, from: Kind) -> &[String] {
        self.backlinks[kind as usize]
            .get(id)
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
