//! Facts derived from the records once per build, independent of language: which records point
//! at which (for links both ways) and the dashboard's totals, with the budgets of projects per
//! currency.

use crate::site::model::{Common, Entry, Kind, ProjectStatus, Records, RoadStatus};
use std::collections::BTreeMap;

/// Amounts per currency: ISO 4217 code → the sum of the amounts in it. Amounts in different
/// currencies are never added into one number.
pub type Totals = BTreeMap<String, f64>;

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
    /// Each record's place in its collection, by kind (as an index), then id.
    positions: Vec<foldhash::HashMap<Box<str>, usize>>,
    pub km_open: f64,
    pub roads_open: usize,
    pub projects_completed: usize,
    /// The budgets of all projects, per currency.
    pub budget_total: Totals,
    /// How many projects have a budget.
    pub projects_budgeted: usize,
    /// The budgets of the projects in each settlement and of each partner, per currency: by
    /// kind (as an index), then id.
    budgets: Vec<foldhash::HashMap<Box<str>, Totals>>,
}

/// The records a record points at (its references in the field table), each once, in order.
fn targets(recs: &Records, kind: Kind, i: usize) -> Vec<(Kind, Box<str>)> {
    let Some(rec) = recs.rec(kind, i) else {
        return Vec::new();
    };
    let mut t: Vec<(Kind, Box<str>)> = recs
        .fields
        .refs(kind, rec)
        .into_iter()
        .map(|r| (r.target, r.id.into()))
        .collect();
    t.sort();
    t.dedup();
    t
}

/// By the kind (as an index) of the record pointed at.
type Backlinks = Vec<foldhash::HashMap<Box<str>, Pointing>>;

fn collect(recs: &Records, kind: Kind, back: &mut Backlinks) {
    for i in 0..recs.count(kind) {
        let Some(id) = recs.id_at(kind, i) else {
            continue;
        };
        for (target, to) in targets(recs, kind, i) {
            let Some(of_target) = back.get_mut(target.index()) else {
                continue;
            };
            let list = of_target.entry(to).or_default().entry(kind).or_default();
            list.push(id.to_string());
        }
    }
}

/// The budgets of the projects, per currency: of all of them, and of each settlement's and each
/// partner's (a project with two partners counts in full for each).
fn budgets(recs: &Records) -> (Totals, usize, Vec<foldhash::HashMap<Box<str>, Totals>>) {
    let mut all = Totals::new();
    let mut n = 0;
    let mut of: Vec<foldhash::HashMap<Box<str>, Totals>> = vec![Default::default(); 6];
    for p in &recs.projects {
        let Some(b) = &p.data.budget else { continue };
        n += 1;
        *all.entry(b.currency.clone()).or_default() += b.amount;
        let mut at: Vec<(Kind, &str)> = p
            .data
            .partners
            .iter()
            .map(|id| (Kind::Partner, id.as_str()))
            .collect();
        at.extend(p.data.city.as_deref().map(|id| (Kind::City, id)));
        at.sort_unstable();
        at.dedup();
        for (kind, id) in at {
            *of[kind.index()]
                .entry(id.into())
                .or_default()
                .entry(b.currency.clone())
                .or_default() += b.amount;
        }
    }
    (all, n, of)
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
        let kinds: Vec<Kind> = recs.fields.kinds().collect();
        let mut backlinks: Backlinks = vec![Default::default(); kinds.len()];
        // What a source cites makes no back-link.
        for kind in kinds.iter().copied().filter(|k| *k != Kind::Source) {
            collect(recs, kind, &mut backlinks);
        }
        for kinds in backlinks.iter_mut().flat_map(|m| m.values_mut()) {
            for ids in kinds.values_mut() {
                ids.sort();
                ids.dedup();
            }
        }
        let mut positions: Vec<foldhash::HashMap<Box<str>, usize>> =
            vec![Default::default(); kinds.len()];
        for kind in kinds {
            positions[kind.index()] = recs
                .ids(kind)
                .into_iter()
                .enumerate()
                .map(|(i, id)| (id.into(), i))
                .collect();
        }
        let (km_open, roads_open, projects_completed) = totals(recs);
        let (budget_total, projects_budgeted, budgets) = budgets(recs);
        Derived {
            backlinks,
            positions,
            km_open,
            roads_open,
            projects_completed,
            budget_total,
            projects_budgeted,
            budgets,
        }
    }

    /// Where the record (`kind`, `id`) is in its collection of `recs` (the records this was
    /// made from), if there is one.
    pub fn position(&self, kind: Kind, id: &str) -> Option<usize> {
        self.positions.get(kind.index())?.get(id).copied()
    }

    /// The budgets of the projects of a settlement or a partner, per currency (empty when none
    /// has a budget).
    pub fn budget(&self, kind: Kind, id: &str) -> Option<&Totals> {
        self.budgets.get(kind.index())?.get(id)
    }

    /// The records of `from` kind that point at (`kind`, `id`).
    pub fn pointing_at(&self, kind: Kind, id: &str, from: Kind) -> &[String] {
        self.backlinks
            .get(kind.index())
            .and_then(|m| m.get(id))
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
    for kind in recs.fields.own() {
        push(recs.items(*kind), *kind, &mut out);
    }
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
    fn a_derivation_follows_changed_records() {
        // `serve`'s preview derives again from the records as they are now.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut recs, _) = crate::load::load(root, &["en".into(), "az".into()]);
        let d = Derived::new(&recs);
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
        let d = Derived::new(&recs);
        assert_eq!(
            d.roads_open,
            recs.roads
                .iter()
                .filter(|r| r.data.status == Some(RoadStatus::Open))
                .count()
        );
        assert!(
            d.pointing_at(Kind::City, &other_city, Kind::Road)
                .contains(&road_id)
        );
        // A budget counts in its own currency, in the project's city and for each partner.
        let p = &mut recs.projects[1];
        p.data.budget = Some(crate::site::model::Money {
            amount: 7.0,
            currency: "XAF".into(),
            date: None,
            source: None,
        });
        p.data.city = Some(other_city.clone());
        let d = Derived::new(&recs);
        assert_eq!(d.budget_total.get("XAF"), Some(&7.0));
        assert_eq!(
            d.budget(Kind::City, &other_city).and_then(|t| t.get("XAF")),
            Some(&7.0)
        );
        if old_to != other_city && !recs.roads[0].data.via.contains(&old_to) {
            assert!(d.pointing_at(Kind::City, &old_to, Kind::Road).len() < before);
        }
    }
}
