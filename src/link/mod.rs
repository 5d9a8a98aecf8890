//! Facts derived from the records once per build, independent of language: which records point
//! at which (for links both ways) and the dashboard's totals.

use crate::site::model::{Common, Entry, Kind, ProjectStatus, Records, References, RoadStatus};
use std::collections::{BTreeMap, BTreeSet};

/// A record named by kind and id.
pub type Key = (Kind, String);

/// What points at one record: the ids of the records of each kind, sorted.
type Pointing = BTreeMap<Kind, Vec<String>>;

/// Links both ways: for each record, the records that point at it, by kind, sorted; and where
/// each record is in its collection. (Looked up, never listed: the hash maps' order never
/// reaches the output.)
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Derived {
    /// By the kind (as an index) of the record pointed at, then its id.
    backlinks: Backlinks,
    /// What each record points at (each target once), by its kind (as an index), then its id:
    /// what [`Derived::update`] takes out of the backlinks when the record changes.
    forward: Forward,
    /// Each record's place in its collection, by kind (as an index), then id.
    positions: [foldhash::HashMap<Box<str>, usize>; 6],
    pub km_open: f64,
    pub roads_open: usize,
    pub projects_completed: usize,
}

/// The records a record points at, each once, in order.
fn targets<T: References>(e: &Entry<T>) -> Vec<(Kind, Box<str>)> {
    let mut t: Vec<(Kind, Box<str>)> = e
        .data
        .refs()
        .into_iter()
        .map(|r| (r.target, r.id.into()))
        .collect();
    t.sort();
    t.dedup();
    t
}

/// The targets of the record (`kind`, `id`) of `recs` (none when there is no such record).
fn targets_of(recs: &Records, kind: Kind, id: &str) -> Vec<(Kind, Box<str>)> {
    let find = |k| recs.position(k, id);
    match kind {
        Kind::City => find(kind).map(|i| targets(&recs.cities[i])),
        Kind::Road => find(kind).map(|i| targets(&recs.roads[i])),
        Kind::Project => find(kind).map(|i| targets(&recs.projects[i])),
        Kind::Partner => find(kind).map(|i| targets(&recs.partners[i])),
        Kind::Indicator => find(kind).map(|i| targets(&recs.indicators[i])),
        Kind::Source => None,
    }
    .unwrap_or_default()
}

type Backlinks = [foldhash::HashMap<Box<str>, Pointing>; 6];
type Forward = [foldhash::HashMap<Box<str>, Vec<(Kind, Box<str>)>>; 6];

fn collect<T: References>(v: &[Entry<T>], kind: Kind, back: &mut Backlinks, forward: &mut Forward) {
    for e in v {
        let t = targets(e);
        for (target, id) in &t {
            let list = back[*target as usize]
                .entry(id.clone())
                .or_default()
                .entry(kind)
                .or_default();
            list.push(e.id().to_string());
        }
        forward[kind as usize].insert(e.id().into(), t);
    }
}

/// The dashboard's totals: open roads and their length, completed projects.
fn totals(recs: &Records) -> (f64, usize, usize) {
    let open: Vec<_> = recs
        .roads
        .iter()
        .filter(|r| r.data.status == Some(RoadStatus::Open))
        .collect();
    (
        open.iter().filter_map(|r| r.data.length_km).sum(),
        open.len(),
        recs.projects
            .iter()
            .filter(|p| p.data.status == Some(ProjectStatus::Completed))
            .count(),
    )
}

impl Derived {
    pub fn new(recs: &Records) -> Self {
        let mut backlinks = Backlinks::default();
        let mut forward = Forward::default();
        collect(&recs.cities, Kind::City, &mut backlinks, &mut forward);
        collect(&recs.roads, Kind::Road, &mut backlinks, &mut forward);
        collect(&recs.projects, Kind::Project, &mut backlinks, &mut forward);
        collect(&recs.partners, Kind::Partner, &mut backlinks, &mut forward);
        collect(
            &recs.indicators,
            Kind::Indicator,
            &mut backlinks,
            &mut forward,
        );
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
        let (km_open, roads_open, projects_completed) = totals(recs);
        Derived {
            backlinks,
            forward,
            positions,
            km_open,
            roads_open,
            projects_completed,
        }
    }

    /// Brings this up to date after the `changed` records of `recs` were re-read in place (the
    /// same records, the same ids; only what they say changed): the same as [`Derived::new`]
    /// would make, without going over every record's links.
    pub fn update(&mut self, recs: &Records, changed: &BTreeSet<(Kind, String)>) {
        for (kind, id) in changed {
            let old = self.forward[*kind as usize]
                .remove(id.as_str())
                .unwrap_or_default();
            for (target, tid) in &old {
                let back = &mut self.backlinks[*target as usize];
                if let Some(kinds) = back.get_mut(tid)
                    && let Some(list) = kinds.get_mut(kind)
                {
                    list.retain(|x| x != id);
                    if list.is_empty() {
                        kinds.remove(kind);
                    }
                    if kinds.is_empty() {
                        back.remove(tid);
                    }
                }
            }
            if recs.position(*kind, id).is_none() {
                continue;
            }
            let new = targets_of(recs, *kind, id);
            for (target, tid) in &new {
                let list = self.backlinks[*target as usize]
                    .entry(tid.clone())
                    .or_default()
                    .entry(*kind)
                    .or_default();
                if let Err(at) = list.binary_search(id) {
                    list.insert(at, id.clone());
                }
            }
            if *kind != Kind::Source {
                self.forward[*kind as usize].insert(id.as_str().into(), new);
            }
        }
        (self.km_open, self.roads_open, self.projects_completed) = totals(recs);
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
pub fn all_history(recs: &Records) -> Vec<(Kind, &str, &crate::site::model::HistoryEntry)> {
    fn push<'a, T: Common>(
        v: &'a [Entry<T>],
        kind: Kind,
        out: &mut Vec<(Kind, &'a str, &'a crate::site::model::HistoryEntry)>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_after_records_change_is_a_fresh_derivation() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut recs, _) = crate::load::load(root, &["en".into(), "az".into()]);
        let mut d = Derived::new(&recs);
        assert!(recs.roads.len() > 2 && recs.cities.len() > 2);
        // A road now ends elsewhere and opens; a project loses its partners and city.
        let other_city = recs.cities[1].id().to_string();
        let road = &mut recs.roads[0];
        let before = d.pointing_at(Kind::City, &road.data.to, Kind::Road).len();
        let old_to = std::mem::replace(&mut road.data.to, other_city.clone());
        road.data.status = Some(RoadStatus::Open);
        road.data.length_km = Some(12.5);
        let road_id = road.id().to_string();
        let p = &mut recs.projects[0];
        p.data.partners.clear();
        p.data.city = None;
        let changed: BTreeSet<(Kind, String)> = [
            (Kind::Road, road_id.clone()),
            (Kind::Project, recs.projects[0].id().to_string()),
            (Kind::Source, recs.sources[0].id().to_string()),
        ]
        .into_iter()
        .collect();
        d.update(&recs, &changed);
        assert_eq!(d, Derived::new(&recs));
        assert!(
            d.pointing_at(Kind::City, &other_city, Kind::Road)
                .contains(&road_id)
        );
        if old_to != other_city && !recs.roads[0].data.via.contains(&old_to) {
            assert!(d.pointing_at(Kind::City, &old_to, Kind::Road).len() < before);
        }
    }
}
