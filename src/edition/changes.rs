//! What changed between two states of the open data: records added and removed, tracked figures
//! whose latest value changed, fields of records that changed, and the corrections and revisions
//! the records logged in between. Both states are the records as the open data's JSON has them
//! (each collection's `records`, by id), so an edition's snapshot compares with another's or
//! with the current records alike.

use crate::site::model::{Date, Kind};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The records of one state of the open data: each collection (`cities`) by id.
pub type Data = BTreeMap<String, BTreeMap<String, Value>>;

/// A record named in the changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordRef {
    /// The collection (`cities`).
    pub collection: String,
    pub id: String,
    /// The record's title or name as the JSON has it (a map of language to text).
    pub title: Value,
}

/// A tracked figure's latest value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub date: String,
    pub value: f64,
    pub qualifier: Option<String>,
    /// The id of the source that states it.
    pub source: Option<String>,
}

/// A tracked figure whose latest value changed (or that had none before, or has none now).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureChange {
    pub record: RecordRef,
    pub old: Option<Figure>,
    pub new: Option<Figure>,
}

/// A field of a record that changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub record: RecordRef,
    pub field: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// A correction or revision a record logged in between.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Logged {
    pub record: RecordRef,
    pub date: String,
    /// `correction` or `revision`.
    pub kind: String,
    pub note: Value,
}

/// What changed from the state of `since` to the state of `until`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    pub since: Date,
    pub until: Date,
    pub added: Vec<RecordRef>,
    pub removed: Vec<RecordRef>,
    pub figures: Vec<FigureChange>,
    pub fields: Vec<FieldChange>,
    pub log: Vec<Logged>,
}

impl Changes {
    /// One sentence counting what changed, in `lang`: "2 records added, 1 removed; …".
    pub fn summary(&self, lang: &crate::site::lang::Lang) -> String {
        let n = |v: usize| v.to_string();
        lang.tf(
            "changes_summary",
            &[
                ("added", &n(self.added.len())),
                ("removed", &n(self.removed.len())),
                ("figures", &n(self.figures.len())),
                ("fields", &n(self.fields.len())),
                ("log", &n(self.log.len())),
            ],
        )
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.figures.is_empty()
            && self.fields.is_empty()
            && self.log.is_empty()
    }
}

/// Keys of a record's JSON that are not compared as fields: its identity and address, its long
/// texts, its history (listed as such), a tracked figure's observations (compared as figures),
/// and a road's drawn line.
const NOT_FIELDS: &[&str] = &[
    "id",
    "kind",
    "page_url",
    "summary",
    "description",
    "updated",
    "history",
    "observations",
    "geometry",
];

/// The collections in the site's order, then any other a snapshot has.
fn collections<'a>(old: &'a Data, new: &'a Data) -> Vec<&'a str> {
    let mut out: Vec<&str> = Kind::ALL.iter().map(|k| k.dir()).collect();
    for c in old.keys().chain(new.keys()) {
        if !out.contains(&c.as_str()) {
            out.push(c);
        }
    }
    out
}

fn record_ref(collection: &str, id: &str, r: &Value) -> RecordRef {
    let title = ["title", "name"]
        .iter()
        .find_map(|k| r.get(*k))
        .cloned()
        .unwrap_or_else(|| Value::String(id.to_string()));
    RecordRef {
        collection: collection.to_string(),
        id: id.to_string(),
        title,
    }
}

/// What changed from `old` (the state of `since`) to `new` (the state of `until`).
pub fn diff(old: &Data, new: &Data, since: Date, until: Date) -> Changes {
    let empty = BTreeMap::new();
    let mut c = Changes {
        since,
        until,
        added: Vec::new(),
        removed: Vec::new(),
        figures: Vec::new(),
        fields: Vec::new(),
        log: Vec::new(),
    };
    for coll in collections(old, new) {
        let (o, n) = (
            old.get(coll).unwrap_or(&empty),
            new.get(coll).unwrap_or(&empty),
        );
        for (id, r) in o {
            if !n.contains_key(id) {
                c.removed.push(record_ref(coll, id, r));
            }
        }
        for (id, r) in n {
            let rr = record_ref(coll, id, r);
            logged(&rr, r, since, until, &mut c.log);
            let Some(before) = o.get(id) else {
                c.added.push(rr);
                continue;
            };
            figures(&rr, before, r, &mut c.figures);
            fields(&rr, before, r, &mut c.fields);
        }
    }
    c.log.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.record.id.cmp(&b.record.id))
    });
    c
}

/// The fields of a record that differ between `old` and `new`.
fn fields(rr: &RecordRef, old: &Value, new: &Value, out: &mut Vec<FieldChange>) {
    let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
        return;
    };
    let mut keys: Vec<&String> = o.keys().chain(n.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        if NOT_FIELDS.contains(&k.as_str()) {
            continue;
        }
        let (a, b) = (o.get(k), n.get(k));
        if a != b {
            out.push(FieldChange {
                record: rr.clone(),
                field: k.clone(),
                old: a.cloned(),
                new: b.cloned(),
            });
        }
    }
}

/// A tracked figure's values that changed: each observation restated with another value (by
/// date and source), and its latest value when that changed otherwise (a new observation).
fn figures(rr: &RecordRef, old: &Value, new: &Value, out: &mut Vec<FigureChange>) {
    let (was, is) = (observations(old), observations(new));
    let mut restated = Vec::new();
    for (key, o) in &was {
        if let Some((_, n)) = is.iter().find(|(k, _)| k == key)
            && n != o
        {
            restated.push(key.clone());
            out.push(FigureChange {
                record: rr.clone(),
                old: Some(o.clone()),
                new: Some(n.clone()),
            });
        }
    }
    let (a, b) = (latest(old), latest(new));
    let key = |f: &Option<Figure>| f.as_ref().map(|f| (f.date.clone(), f.source.clone()));
    if a != b && !key(&b).is_some_and(|k| restated.contains(&k)) {
        out.push(FigureChange {
            record: rr.clone(),
            old: a,
            new: b,
        });
    }
}

/// A figure's observations, each with its key (date and source).
fn observations(r: &Value) -> Vec<((String, Option<String>), Figure)> {
    let Some(obs) = r.get("observations").and_then(Value::as_array) else {
        return Vec::new();
    };
    obs.iter()
        .filter_map(figure)
        .map(|f| ((f.date.clone(), f.source.clone()), f))
        .collect()
}

fn figure(o: &Value) -> Option<Figure> {
    let s = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
    Some(Figure {
        date: Date::parse(o.get("date")?.as_str()?).ok()?.to_string(),
        value: o.get("value")?.as_f64()?,
        qualifier: s("qualifier"),
        source: s("source"),
    })
}

/// A tracked figure's latest observation.
fn latest(r: &Value) -> Option<Figure> {
    let obs = r.get("observations")?.as_array()?;
    // Of several on the newest date, the first written, as the record's page shows it.
    let newest = obs
        .iter()
        .filter_map(|o| Some((Date::parse(o.get("date")?.as_str()?).ok()?, o)))
        .reduce(|best, o| if o.0 > best.0 { o } else { best })?;
    figure(newest.1)
}

/// The record's history entries dated after `since` and up to `until`.
fn logged(rr: &RecordRef, r: &Value, since: Date, until: Date, out: &mut Vec<Logged>) {
    let Some(history) = r.get("history").and_then(Value::as_array) else {
        return;
    };
    for h in history {
        let Some(date) = h
            .get("date")
            .and_then(Value::as_str)
            .and_then(|d| Date::parse(d).ok())
        else {
            continue;
        };
        if date > since && date <= until.end() {
            out.push(Logged {
                record: rr.clone(),
                date: date.to_string(),
                kind: h
                    .get("kind")
                    .and_then(Value::as_str)
                    .unwrap_or("revision")
                    .to_string(),
                note: h.get("note").cloned().unwrap_or(Value::Null),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn data(coll: &str, records: &[Value]) -> Data {
        let mut d = Data::new();
        for r in records {
            d.entry(coll.into())
                .or_default()
                .insert(r["id"].as_str().unwrap().into(), r.clone());
        }
        d
    }

    #[test]
    fn finds_added_removed_figures_fields_and_log() {
        let since = Date::ymd(2025, 1, 31);
        let until = Date::ymd(2025, 3, 31);
        let old = data(
            "indicators",
            &[
                json!({"id": "a", "title": {"en": "A"}, "observations": [
                    {"date": "2024-12-01", "value": 5.0, "source": "s1"}]}),
                json!({"id": "gone", "title": {"en": "Gone"}}),
                json!({"id": "same", "title": {"en": "Same"}, "unit": {"en": "km"}}),
            ],
        );
        let new = data(
            "indicators",
            &[
                json!({"id": "a", "title": {"en": "A"}, "observations": [
                    {"date": "2024-12-01", "value": 5.0, "source": "s1"},
                    {"date": "2025-03-01", "value": 7.5, "source": "s2"}],
                    "history": [
                        {"date": "2025-01-10", "kind": "correction", "note": {"en": "before"}},
                        {"date": "2025-02-10", "kind": "correction", "note": {"en": "between"}}]}),
                json!({"id": "new", "title": {"en": "New"}}),
                json!({"id": "same", "title": {"en": "Same"}, "unit": {"en": "m"}}),
            ],
        );
        let c = diff(&old, &new, since, until);
        assert_eq!(c.added.len(), 1);
        assert_eq!(c.added[0].id, "new");
        assert_eq!(c.removed[0].id, "gone");
        assert_eq!(c.figures.len(), 1);
        let f = &c.figures[0];
        assert_eq!(f.old.as_ref().unwrap().value, 5.0);
        assert_eq!(f.new.as_ref().unwrap().value, 7.5);
        assert_eq!(f.new.as_ref().unwrap().source.as_deref(), Some("s2"));
        assert_eq!(c.fields.len(), 1);
        assert_eq!(c.fields[0].field, "unit");
        assert_eq!(c.fields[0].old, Some(json!({"en": "km"})));
        assert_eq!(c.log.len(), 1, "only the entry after the earlier edition");
        assert_eq!(c.log[0].note, json!({"en": "between"}));
        assert!(diff(&old, &old, since, until).is_empty());
    }
}
