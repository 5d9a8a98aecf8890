//! Open data: every collection as CSV and JSON, settlements and roads as GeoJSON, each record as
//! JSON beside its page, a Frictionless Data Package describing them all, and an OC4IDS project
//! package of roads and projects.
//!
//! The tables (their columns, types and the interface-string key of each column's description)
//! are defined once here, in [`tables`]: the CSV files, `datapackage.json` and the Data page are
//! all built from that one list. Text in several languages becomes one column per language
//! (`name_en`, `name_az`) in CSV and GeoJSON, and stays a map of language to text in JSON.
//! Everything is sorted (records by id, JSON keys by name), so the same records give the same
//! bytes.

use super::json::Pretty;
use crate::site::config::Config;
use crate::site::lang::Lang;
use crate::site::model::fields::{Field, FieldTable, FieldValue, Get};
use crate::site::model::{
    Common, Date, DeclaredValue, Entry, Indicator, Kind, Money, Project, ProjectStatus, Records,
    Road, RoadStatus, Sector, Source, Text,
};
use crate::write::Sink;
use crate::write::sink::Origin;
use rayon::prelude::*;
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::io::Write;

/// The folder of the data files in the output.
pub const DATA_DIR: &str = "data";

/// The OC4IDS version the package follows (`major.minor`, as the package's `version` wants).
pub const OC4IDS_VERSION: &str = "0.9";

/// How the package's projects are validated: the standard's package schema.
pub const OC4IDS_PACKAGE_SCHEMA: &str = "https://standard.open-contracting.org/infrastructure/schema/0__9__5/project-package-schema.json";

pub use crate::site::model::fields::ColType;

/// A pattern every date column matches.
pub const DATE_PATTERN: &str = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$";

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The header: `id`, `name_en`.
    pub name: String,
    /// The header without the language: `name`.
    pub field: Cow<'static, str>,
    pub ty: ColType,
    /// The interface-string key of its description (`col_name`).
    pub key: Cow<'static, str>,
    /// The language of a per-language column.
    pub lang: Option<String>,
    /// The table and column it refers to, for foreign keys.
    pub refers_to: Option<&'static str>,
    /// Where its cells come from.
    pub from: From,
}

/// Where a column's cells come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// The record's id.
    Id,
    /// Column `col` of the field at `field` in the kind's field table.
    Field { field: usize, col: usize },
    /// The record's page.
    PageUrl,
    /// A column of the observations table, by its name.
    Observation,
}

/// One table: a CSV file, and the JSON (and GeoJSON) of the same records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The file stem: `cities` gives `data/cities.csv`.
    pub name: &'static str,
    /// The collection, for the tables of records (not for `observations`).
    pub kind: Option<Kind>,
    /// The interface-string key of the table's description.
    pub key: &'static str,
    pub columns: Vec<Column>,
    pub json: bool,
    pub geojson: bool,
}

impl Table {
    pub fn csv_path(&self) -> String {
        format!("{DATA_DIR}/{}.csv", self.name)
    }
    pub fn json_path(&self) -> Option<String> {
        self.json.then(|| format!("{DATA_DIR}/{}.json", self.name))
    }
    pub fn geojson_path(&self) -> Option<String> {
        self.geojson
            .then(|| format!("{DATA_DIR}/{}.geojson", self.name))
    }
}

/// (field, type, description key, one column per language, refers to)
type Spec = (
    &'static str,
    ColType,
    &'static str,
    bool,
    Option<&'static str>,
);

const OBSERVATION: &[Spec] = &[
    (
        "indicator",
        ColType::String,
        "col_indicator",
        false,
        Some("indicators"),
    ),
    ("date", ColType::Date, "col_date", false, None),
    ("value", ColType::Number, "col_value", false, None),
    ("qualifier", ColType::String, "col_qualifier", false, None),
    (
        "source",
        ColType::String,
        "col_observation_source",
        false,
        Some("sources"),
    ),
    ("note", ColType::String, "col_note", true, None),
    ("disputed", ColType::Boolean, "col_disputed", false, None),
];

/// A column, or one per language.
fn push_columns(out: &mut Vec<Column>, c: Column, per_lang: bool, langs: &[String]) {
    if per_lang {
        for l in langs {
            out.push(Column {
                name: format!("{}_{l}", c.field),
                lang: Some(l.clone()),
                ..c.clone()
            });
        }
    } else {
        out.push(c);
    }
}

/// The observations table's columns.
fn observation_columns(langs: &[String]) -> Vec<Column> {
    let mut out = Vec::new();
    for (field, ty, key, per_lang, refers_to) in OBSERVATION {
        let c = Column {
            name: field.to_string(),
            field: Cow::Borrowed(field),
            ty: *ty,
            key: Cow::Borrowed(key),
            lang: None,
            refers_to: *refers_to,
            from: From::Observation,
        };
        push_columns(&mut out, c, *per_lang, langs);
    }
    out
}

/// A collection's columns: its id, each exported field's columns in the field table's order,
/// and its page.
fn record_columns(fields: &[Field], langs: &[String]) -> Vec<Column> {
    let plain = |name: &'static str, key: &'static str, from: From| Column {
        name: name.to_string(),
        field: Cow::Borrowed(name),
        ty: ColType::String,
        key: Cow::Borrowed(key),
        lang: None,
        refers_to: None,
        from,
    };
    let mut out = vec![plain("id", "col_id", From::Id)];
    for (fi, f) in fields.iter().enumerate() {
        for (ci, c) in f.exported.iter().enumerate() {
            let col = Column {
                name: c.name.to_string(),
                field: c.name.clone(),
                ty: c.ty,
                key: c.key.clone(),
                lang: None,
                refers_to: c.refers_to,
                from: From::Field { field: fi, col: ci },
            };
            push_columns(&mut out, col, c.per_lang, langs);
        }
    }
    out.push(plain("page_url", "col_page_url", From::PageUrl));
    out
}

/// Every table the site publishes, in the order the Data page lists them.
pub fn tables(cfg: &Config, fields: &FieldTable) -> Vec<Table> {
    let langs = &cfg.languages;
    let record = |kind: Kind, key: &'static str, geojson: bool| Table {
        name: kind.dir(),
        kind: Some(kind),
        key,
        columns: record_columns(fields.of(kind), langs),
        json: true,
        geojson,
    };
    vec![
        record(Kind::City, "table_cities", true),
        record(Kind::Road, "table_roads", true),
        record(Kind::Project, "table_projects", false),
        record(Kind::Partner, "table_partners", false),
        record(Kind::Indicator, "table_indicators", false),
        Table {
            name: "observations",
            kind: None,
            key: "table_observations",
            columns: observation_columns(langs),
            json: false,
            geojson: false,
        },
        record(Kind::Source, "table_sources", false),
    ]
    .into_iter()
    .chain(fields.own().iter().map(|k| record(*k, "table_own", true)))
    .collect()
}

// ---------------------------------------------------------------- shared helpers

/// The date the data refers to: `data_as_of`, else `SOURCE_DATE_EPOCH`, else the newest
/// `updated` or history date of any record. Never the clock.
pub fn as_of(cfg: &Config, recs: &Records) -> Option<Date> {
    if let Some(d) = cfg.data_as_of {
        return Some(d);
    }
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        return Some(Date::from_unix(secs));
    }
    fn newest<T: Common>(v: &[Entry<T>]) -> Option<Date> {
        v.iter()
            .flat_map(|e| {
                e.data
                    .updated()
                    .into_iter()
                    .chain(e.data.history().iter().map(|h| h.date))
            })
            .max()
    }
    [
        newest(&recs.cities),
        newest(&recs.roads),
        newest(&recs.projects),
        newest(&recs.partners),
        newest(&recs.indicators),
        newest(&recs.sources),
    ]
    .into_iter()
    .chain(recs.own.iter().map(|items| newest(items)))
    .flatten()
    .max()
}

/// A date as an RFC 3339 date-time at midnight UTC. A date known only to the month or year
/// takes the first day of it (date-time fields cannot say less).
pub fn date_time(d: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        d.year,
        d.month.unwrap_or(1),
        d.day.unwrap_or(1)
    )
}

/// A date-time only for a date known to the day (OC4IDS wants precise dates or none).
fn precise_date_time(d: Option<Date>) -> Option<String> {
    d.filter(|d| d.day.is_some()).map(date_time)
}

/// The text of `t` written in `lang` (a plain string is the default language's), or "".
fn text_in(t: &Text, lang: &str, default: &str) -> String {
    match t {
        Text::Empty => String::new(),
        Text::Plain(s) => {
            if lang == default {
                s.clone()
            } else {
                String::new()
            }
        }
        Text::Langs(m) => m.get(lang).cloned().unwrap_or_default(),
    }
}

fn num(v: f64) -> String {
    if v.is_finite() {
        v.to_string()
    } else {
        String::new()
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The page of a record, as an absolute URL (the default language's).
pub fn page_url(cfg: &Config, kind: Kind, id: &str) -> String {
    format!("{}{}/{id}/", cfg.base_url, kind.dir())
}

/// The record's own JSON file, beside its page folder: `cities/lachin.json`.
pub fn record_json_path(kind: Kind, id: &str) -> String {
    format!("{}/{id}.json", kind.dir())
}

/// A source's link, when it is a web address (other schemes are never exported).
fn web_url(u: Option<&String>) -> Option<String> {
    u.filter(|u| {
        let l = u.trim().to_ascii_lowercase();
        (l.starts_with("https://") || l.starts_with("http://"))
            && crate::site::markdown::is_safe_url(u)
    })
    .cloned()
}

/// The latest observation of an indicator: the last by date, of several on that date the first
/// written (as the indicator's page shows it).
pub fn latest(ind: &Indicator) -> Option<&crate::site::model::Observation> {
    latest_of(&ind.observations)
}

/// The latest of some observations (see [`latest`]).
fn latest_of(
    observations: &[crate::site::model::Observation],
) -> Option<&crate::site::model::Observation> {
    observations
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.date.cmp(&b.1.date).then(b.0.cmp(&a.0)))
        .map(|(_, o)| o)
}

/// Whether another source gives a different figure for the same date.
fn disputed(ind: &Indicator, o: &crate::site::model::Observation) -> bool {
    ind.observations
        .iter()
        .any(|x| x.date == o.date && x.value != o.value && x.source != o.source)
}

// ---------------------------------------------------------------- CSV

struct Ctx<'a> {
    cfg: &'a Config,
    default: &'a str,
}

impl Ctx<'_> {
    fn texts(&self, list: &[Text], lang: &str) -> String {
        list.iter()
            .map(|t| text_in(t, lang, self.default))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Column `col` of a field whose value is `v`, in the language `lang` for a text.
    fn cell(&self, v: &FieldValue, col: usize, lang: &str) -> String {
        match v {
            FieldValue::Missing => String::new(),
            FieldValue::Text(t) => text_in(t, lang, self.default),
            FieldValue::Texts(list) => self.texts(list, lang),
            FieldValue::Plain(s) => s.to_string(),
            FieldValue::Number(n) => num(*n),
            FieldValue::Money(amount, currency) => match col {
                0 => num(*amount),
                _ => currency.to_string(),
            },
            FieldValue::Date(d) => d.to_string(),
            FieldValue::Code(c) => c.to_string(),
            FieldValue::Codes(cs) => cs.join("; "),
            FieldValue::Url(u) => web_url(Some(&u.to_string())).unwrap_or_default(),
            FieldValue::Bool(b) => b.to_string(),
            FieldValue::Refs(ids) => ids.join(";"),
            FieldValue::Location(l) => num(if col == 0 { l.lat } else { l.lon }),
            FieldValue::Line(points) => points.len().to_string(),
            FieldValue::Target(t) => match col {
                0 => num(t.value),
                1 => opt(t.by),
                _ => opt(t.source.as_ref()),
            },
            FieldValue::Observations(obs) => {
                let latest = latest_of(obs);
                match col {
                    0 => latest.map(|o| num(o.value)).unwrap_or_default(),
                    1 => opt(latest.and_then(|o| o.qualifier).map(|q| q.code())),
                    2 => opt(latest.map(|o| o.date)),
                    3 => opt(latest.and_then(|o| o.source.as_ref())),
                    _ => obs.len().to_string(),
                }
            }
        }
    }

    /// The row of record `i` of a collection.
    fn record_row(&self, recs: &Records, kind: Kind, i: usize, cols: &[Column]) -> Vec<String> {
        let fields = recs.fields.of(kind);
        let (Some(rec), Some(id)) = (recs.rec(kind, i), recs.id_at(kind, i)) else {
            return Vec::new();
        };
        cols.iter()
            .map(|c| match c.from {
                From::Id => id.to_string(),
                From::PageUrl => page_url(self.cfg, kind, id),
                From::Field { field, col } => fields.get(field).map_or(String::new(), |f| {
                    self.cell(&f.value(rec), col, c.lang.as_deref().unwrap_or(""))
                }),
                From::Observation => String::new(),
            })
            .collect()
    }

    fn observations(&self, recs: &Records, cols: &[Column]) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for e in &recs.indicators {
            let mut obs: Vec<(usize, &crate::site::model::Observation)> =
                e.data.observations.iter().enumerate().collect();
            obs.sort_by(|a, b| a.1.date.cmp(&b.1.date).then(a.0.cmp(&b.0)));
            for (_, o) in obs {
                rows.push(
                    cols.iter()
                        .map(|c| match c.field.as_ref() {
                            "indicator" => e.id().to_string(),
                            "date" => o.date.to_string(),
                            "value" => num(o.value),
                            "qualifier" => opt(o.qualifier.map(|q| q.code())),
                            "source" => opt(o.source.as_ref()),
                            "note" => {
                                text_in(&o.note, c.lang.as_deref().unwrap_or(""), self.default)
                            }
                            "disputed" => disputed(&e.data, o).to_string(),
                            f => unreachable!("observation column {f}"),
                        })
                        .collect(),
                );
            }
        }
        rows
    }

    fn rows(&self, recs: &Records, t: &Table) -> Vec<Vec<String>> {
        match t.kind {
            Some(kind) => (0..recs.count(kind))
                .map(|i| self.record_row(recs, kind, i, &t.columns))
                .collect(),
            None => self.observations(recs, &t.columns),
        }
    }
}

/// A CSV file of a table (see [`super::sheet`]): text columns neutralised, numbers and dates as
/// they are.
fn csv_bytes(t: &Table, rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = crate::site::sheet::Csv::new();
    w.text_row(t.columns.iter().map(|c| c.name.as_str()));
    for r in rows {
        w.row(
            r.iter()
                .zip(&t.columns)
                .map(|(cell, col)| cell_of(cell, col.ty)),
        );
    }
    w.into_bytes()
}

/// A cell of a column of type `ty`: text (names, lists) or data (numbers, dates, codes berpa
/// writes itself).
fn cell_of(cell: &str, ty: ColType) -> crate::site::sheet::Cell<'_> {
    match ty {
        ColType::String | ColType::List => crate::site::sheet::Cell::Text(cell),
        _ => crate::site::sheet::Cell::Data(cell),
    }
}

// ---------------------------------------------------------------- JSON

/// Sets the value at a YAML-style path (`history[0].note`) in a JSON value.
fn at_path<'v>(v: &'v mut Value, path: &str) -> Option<(&'v mut Map<String, Value>, String)> {
    let mut segs: Vec<(String, Vec<usize>)> = Vec::new();
    for s in path.split('.') {
        let (name, rest) = s.split_once('[').unwrap_or((s, ""));
        let idx = rest
            .split('[')
            .filter(|x| !x.is_empty())
            .filter_map(|x| x.trim_end_matches(']').parse().ok())
            .collect();
        segs.push((name.to_string(), idx));
    }
    let (last, parents) = segs.split_last()?;
    let mut cur = v;
    for (name, idx) in parents {
        cur = cur.get_mut(name.as_str())?;
        for i in idx {
            cur = cur.get_mut(*i)?;
        }
    }
    if !last.1.is_empty() {
        // A text inside a list (`contractors[0]`): the list's owner is returned with the
        // index folded into the key, handled by the caller.
        return None;
    }
    Some((cur.as_object_mut()?, last.0.clone()))
}

fn lang_map(t: &Text, default: &str) -> Value {
    Value::Object(
        t.all(default)
            .into_iter()
            .filter(|(_, s)| !s.trim().is_empty())
            .map(|(k, s)| (k, Value::String(s)))
            .collect(),
    )
}

fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// A record as JSON: its fields as in the content files, every text as a map of language to
/// text (an untranslated text too; the field table says which fields are texts), with `id`,
/// `kind` and `page_url` added; fields not given are left out, and so is an address that is
/// not a web link (only web links leave berpa, as on the pages).
fn record_json<T: serde::Serialize>(
    cfg: &Config,
    recs: &Records,
    kind: Kind,
    i: usize,
    e: &Entry<T>,
) -> Value {
    let default = cfg.default_lang();
    let mut v = serde_json::to_value(&e.data).expect("records serialise");
    let Some(rec) = recs.rec(kind, i) else {
        return v;
    };
    for t in recs.fields.texts(kind, rec) {
        if let Some((obj, key)) = at_path(&mut v, &t.path) {
            let m = lang_map(t.text, default);
            if m.as_object().is_some_and(|m| m.is_empty()) {
                obj.remove(&key);
            } else {
                obj.insert(key, m);
            }
        }
    }
    for (field, list) in recs.fields.text_lists(kind, rec) {
        if let Some(obj) = v.as_object_mut() {
            obj.insert(
                field.to_string(),
                Value::Array(list.iter().map(|t| lang_map(t, default)).collect()),
            );
        }
    }
    if let Some(obj) = v.as_object_mut() {
        for f in recs.fields.of(kind) {
            if let (Get::Declared, Some(x)) = (f.get, rec.common().extra().get(f.name.as_ref())) {
                obj.insert(f.name.to_string(), declared_json(x, f.many, default));
            }
        }
    }
    for f in recs.fields.of(kind) {
        if let FieldValue::Url(u) = f.value(rec)
            && web_url(Some(&u.to_string())).is_none()
            && let Some(obj) = v.as_object_mut()
        {
            obj.remove(f.name.as_ref());
        }
    }
    strip_nulls(&mut v);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("id".into(), Value::String(e.id().to_string()));
        obj.insert("kind".into(), Value::String(kind.name().to_string()));
        obj.insert(
            "page_url".into(),
            Value::String(page_url(cfg, kind, e.id())),
        );
    }
    v
}

/// How many records are printed at once when a collection is streamed: enough to keep both
/// cores busy, few enough that memory does not grow with the site.
const CHUNK: usize = 512;

/// `f` of 0..n, made in parallel a chunk at a time and handed out in order: a lazy sequence
/// that never holds more than a chunk of results.
fn par_chunked<'a, R: Send + 'a>(
    n: usize,
    f: impl Fn(usize) -> R + Sync + Send + 'a,
) -> impl Iterator<Item = R> + 'a {
    (0..n).step_by(CHUNK).flat_map(move |start| {
        (start..(start + CHUNK).min(n))
            .into_par_iter()
            .map(&f)
            .collect::<Vec<R>>()
    })
}

/// A declared field's value in a record's JSON: as a built-in one of its type would be.
fn declared_json(v: &DeclaredValue, many: bool, default: &str) -> Value {
    match v {
        DeclaredValue::Text(t) => lang_map(t, default),
        DeclaredValue::Texts(list) => {
            Value::Array(list.iter().map(|t| lang_map(t, default)).collect())
        }
        DeclaredValue::Number(n) => json!(n),
        DeclaredValue::Money(m) => serde_json::to_value(m).unwrap_or(Value::Null),
        DeclaredValue::Date(d) => Value::String(d.to_string()),
        DeclaredValue::Code(c) => Value::String(c.to_string()),
        DeclaredValue::Url(u) => web_url(Some(u)).map_or(Value::Null, Value::String),
        DeclaredValue::Bool(b) => Value::Bool(*b),
        DeclaredValue::Refs(ids) if many => json!(ids),
        DeclaredValue::Refs(ids) => ids.first().map_or(Value::Null, |id| json!(id)),
        DeclaredValue::List(items, _) => Value::Array(
            items
                .iter()
                .map(|x| declared_json(x, false, default))
                .collect(),
        ),
    }
}

/// The `i`th record of a collection (in id order) as JSON.
fn collection_record(cfg: &Config, recs: &Records, kind: Kind, i: usize) -> Value {
    match kind {
        Kind::City => record_json(cfg, recs, kind, i, &recs.cities[i]),
        Kind::Road => record_json(cfg, recs, kind, i, &recs.roads[i]),
        Kind::Project => record_json(cfg, recs, kind, i, &recs.projects[i]),
        Kind::Partner => record_json(cfg, recs, kind, i, &recs.partners[i]),
        Kind::Indicator => record_json(cfg, recs, kind, i, &recs.indicators[i]),
        Kind::Source => record_json(cfg, recs, kind, i, &recs.sources[i]),
        Kind::Own(_) => record_json(cfg, recs, kind, i, &recs.items(kind)[i]),
    }
}

/// Every record of a collection as pretty JSON, in id order, a chunk at a time: each record's
/// JSON lives only while it is printed and written. Each record's own file (beside its page)
/// is put as its JSON is made, in parallel.
fn collection_records<'a>(
    cfg: &'a Config,
    recs: &'a Records,
    kind: Kind,
    out: &'a Sink,
) -> impl Iterator<Item = Vec<u8>> + 'a {
    par_chunked(recs.count(kind), move |i| {
        let v = collection_record(cfg, recs, kind, i);
        let json = pretty(&v);
        if let Some(id) = v.get("id").and_then(Value::as_str)
            && !id.is_empty()
        {
            out.put(
                record_json_path(kind, id),
                json.clone(),
                Origin::record(kind, id),
            );
        }
        json
    })
}

/// Every record as its collection's JSON file has it, by collection and id: the current state
/// of the open data, for comparing with an edition ([`crate::edition::changes::diff`]).
pub fn records_data(cfg: &Config, recs: &Records) -> crate::edition::Data {
    let mut data = crate::edition::Data::new();
    for kind in recs.fields.kinds() {
        let by_id = data.entry(kind.dir().to_string()).or_default();
        for i in 0..recs.count(kind) {
            let v = collection_record(cfg, recs, kind, i);
            if let Some(id) = v.get("id").and_then(Value::as_str) {
                by_id.insert(id.to_string(), v.clone());
            }
        }
    }
    data
}

fn about(cfg: &Config, recs: &Records) -> Map<String, Value> {
    let default = cfg.default_lang();
    let mut m = Map::new();
    m.insert("site".into(), lang_map(&cfg.title, default));
    m.insert("site_url".into(), Value::String(cfg.base_url.clone()));
    if let Some(d) = as_of(cfg, recs) {
        m.insert("data_as_of".into(), Value::String(d.to_string()));
    }
    if let Some(l) = &cfg.licence {
        m.insert("licence".into(), json!({ "name": l.name, "url": l.url }));
    }
    if let Some(p) = &cfg.publisher {
        m.insert(
            "publisher".into(),
            json!({ "name": lang_map(&p.name, default), "url": p.url }),
        );
    }
    m.retain(|_, v| !v.is_null());
    for v in m.values_mut() {
        strip_nulls(v);
    }
    m
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_vec_pretty(v).expect("JSON serialises");
    s.push(b'\n');
    s
}

/// Writes what [`pretty`] makes of `head` with `key` set to an array of `items` (each as
/// [`pretty`] printed it), byte for byte, without holding the whole document: a collection of
/// 60,000 records is printed and written a record at a time.
fn write_with_array(
    w: &mut dyn Write,
    mut head: Map<String, Value>,
    key: &str,
    items: impl Iterator<Item = Vec<u8>>,
) -> std::io::Result<()> {
    head.insert(key.into(), Value::Array(Vec::new()));
    let outer = pretty(&Value::Object(head));
    // The array's place: a top-level key (two spaces in) holding `[]`. A raw newline is never
    // inside a JSON string, so this is found only where the printer put it.
    let marker = format!("\n  {}: []", Value::String(key.into()));
    let Some(at) = outer
        .windows(marker.len())
        .position(|w| w == marker.as_bytes())
    else {
        return w.write_all(&outer);
    };
    let open = at + marker.len() - 1; // just after `[`
    w.write_all(&outer[..open])?;
    let mut buf = Vec::new();
    let mut any = false;
    for item in items {
        buf.clear();
        buf.extend_from_slice(if any { b",\n" } else { b"\n" });
        any = true;
        let body = item.strip_suffix(b"\n").unwrap_or(&item);
        for (k, line) in body.split(|b| *b == b'\n').enumerate() {
            if k > 0 {
                buf.push(b'\n');
            }
            buf.extend_from_slice(b"    ");
            buf.extend_from_slice(line);
        }
        w.write_all(&buf)?;
    }
    if any {
        w.write_all(b"\n  ")?;
    }
    w.write_all(&outer[open..])
}

// ---------------------------------------------------------------- GeoJSON

/// A road's line: its `geometry` points, else straight lines from → via → to through the
/// settlements that have a location. `None` with fewer than two points.
pub fn road_line(recs: &Records, r: &Road) -> Option<(Vec<[f64; 2]>, &'static str)> {
    if r.geometry.len() >= 2 {
        return Some((
            r.geometry.iter().map(|[lat, lon]| [*lon, *lat]).collect(),
            "geometry",
        ));
    }
    let pts: Vec<[f64; 2]> = std::iter::once(&r.from)
        .chain(r.via.iter())
        .chain(std::iter::once(&r.to))
        .filter_map(|id| recs.city(id).and_then(|c| c.data.location))
        .map(|l| [l.lon, l.lat])
        .collect();
    (pts.len() >= 2).then_some((pts, "settlements"))
}

/// A GeoJSON feature's property value.
enum Prop<'a> {
    Str(Option<std::borrow::Cow<'a, str>>),
    Num(Option<f64>),
    List(Vec<&'a str>),
}

/// `field_<language>` for each language: the text in it, `null` when there is none.
fn lang_props<'a>(
    props: &mut Vec<(String, Prop<'a>)>,
    field: &str,
    t: &Text,
    langs: &[String],
    d: &str,
) {
    for l in langs {
        let s = text_in(t, l, d);
        props.push((
            format!("{field}_{l}"),
            Prop::Str((!s.is_empty()).then_some(s.into())),
        ));
    }
}

/// A GeoJSON feature, pretty printed straight from its parts: byte for byte what the same
/// feature held as a `serde_json::Value` prints as (keys in sorted order; the properties are
/// sorted here). `geometry` writes the `geometry` entry.
fn feature(
    id: &str,
    geometry: impl FnOnce(&mut Pretty),
    mut props: Vec<(String, Prop)>,
) -> Vec<u8> {
    props.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut p = Pretty::new();
    p.begin_object();
    geometry(&mut p);
    p.field("id", id);
    p.key("properties");
    p.begin_object();
    for (k, v) in &props {
        p.key(k);
        match v {
            Prop::Str(Some(s)) => p.string(s),
            Prop::Str(None) => p.null(),
            Prop::Num(Some(n)) => p.number(*n),
            Prop::Num(None) => p.null(),
            Prop::List(l) => {
                p.begin_array();
                for s in l {
                    p.element();
                    p.string(s);
                }
                p.end_array();
            }
        }
    }
    p.end_object();
    p.field("type", "Feature");
    p.end_object();
    p.finish()
}

/// The properties of a record's feature that the field table marks `geojson`: a text as
/// one property per language, a list as an array, an absent value as `null`.
fn field_props<'a>(
    cfg: &Config,
    recs: &'a Records,
    kind: Kind,
    i: usize,
) -> Vec<(String, Prop<'a>)> {
    let d = cfg.default_lang();
    let mut props = Vec::new();
    let Some(rec) = recs.rec(kind, i) else {
        return props;
    };
    for f in recs.fields.of(kind).iter().filter(|f| f.geojson) {
        let name = f.name.to_string();
        let prop = match f.value(rec) {
            FieldValue::Text(t) => {
                lang_props(&mut props, &name, t, &cfg.languages, d);
                continue;
            }
            FieldValue::Refs(ids) if f.many => Prop::List(ids),
            FieldValue::Missing if f.many => Prop::List(Vec::new()),
            FieldValue::Refs(ids) => Prop::Str(ids.first().map(|id| Cow::Borrowed(*id))),
            FieldValue::Number(n) => Prop::Num(Some(n)),
            FieldValue::Code(c) => Prop::Str(Some(c.into())),
            FieldValue::Missing => Prop::Str(None),
            other => {
                let cell = Ctx { cfg, default: d }.cell(&other, 0, d);
                Prop::Str((!cell.is_empty()).then_some(cell.into()))
            }
        };
        props.push((name, prop));
    }
    props
}

/// Settlement `i` as a GeoJSON point feature, if it has a location.
fn city_feature(cfg: &Config, recs: &Records, i: usize) -> Option<Vec<u8>> {
    let e = &recs.cities[i];
    let loc = e.data.location?;
    let mut props = vec![
        ("id".to_string(), Prop::Str(Some(e.id().into()))),
        (
            "page_url".into(),
            Prop::Str(Some(page_url(cfg, Kind::City, e.id()).into())),
        ),
    ];
    props.extend(field_props(cfg, recs, Kind::City, i));
    Some(feature(
        e.id(),
        |p| json_geometry(p, "Point", |p| json_position(p, [loc.lon, loc.lat])),
        props,
    ))
}

/// Record `i` of a declared collection as a GeoJSON point feature, if it has a location.
fn item_feature(cfg: &Config, recs: &Records, kind: Kind, i: usize) -> Option<Vec<u8>> {
    let e = &recs.items(kind)[i];
    let loc = e.data.location?;
    let mut props = vec![
        ("id".to_string(), Prop::Str(Some(e.id().into()))),
        (
            "page_url".into(),
            Prop::Str(Some(page_url(cfg, kind, e.id()).into())),
        ),
    ];
    props.extend(field_props(cfg, recs, kind, i));
    Some(feature(
        e.id(),
        |p| json_geometry(p, "Point", |p| json_position(p, [loc.lon, loc.lat])),
        props,
    ))
}

/// Road `i` as a GeoJSON line feature; a road with no drawable line is kept as an unlocated
/// feature (RFC 7946 §3.2).
fn road_feature(cfg: &Config, recs: &Records, i: usize) -> Vec<u8> {
    let e = &recs.roads[i];
    let r = &e.data;
    let line = road_line(recs, r);
    let mut props = vec![
        ("id".to_string(), Prop::Str(Some(e.id().into()))),
        (
            "line_from".into(),
            Prop::Str(line.as_ref().map(|l| l.1.into())),
        ),
        (
            "page_url".into(),
            Prop::Str(Some(page_url(cfg, Kind::Road, e.id()).into())),
        ),
    ];
    props.extend(field_props(cfg, recs, Kind::Road, i));
    feature(
        e.id(),
        |p| match &line {
            Some((pts, _)) => json_geometry(p, "LineString", |p| {
                p.begin_array();
                for pt in pts {
                    p.element();
                    json_position(p, *pt);
                }
                p.end_array();
            }),
            None => {
                p.key("geometry");
                p.null();
            }
        },
        props,
    )
}

/// A GeoJSON feature collection of `features` (each printed by [`feature`]), written a chunk
/// at a time.
fn write_features(
    w: &mut dyn Write,
    features: impl Iterator<Item = Vec<u8>>,
) -> std::io::Result<()> {
    let mut head = Map::new();
    head.insert("type".into(), json!("FeatureCollection"));
    write_with_array(w, head, "features", features)
}

// ---------------------------------------------------------------- OC4IDS

/// berpa's project statuses in OC4IDS's closed `projectStatus` code list.
pub const OC4IDS_PROJECT_STATUS: &[(ProjectStatus, &str)] = &[
    (ProjectStatus::Planned, "identification"),
    (ProjectStatus::InProgress, "implementation"),
    (ProjectStatus::Completed, "completion"),
    (ProjectStatus::Cancelled, "cancelled"),
];

/// berpa's road statuses in OC4IDS's `projectStatus` code list.
pub const OC4IDS_ROAD_STATUS: &[(RoadStatus, &str)] = &[
    (RoadStatus::Planned, "identification"),
    (RoadStatus::UnderConstruction, "implementation"),
    (RoadStatus::Open, "completion"),
];

/// berpa's sectors in OC4IDS's `projectSector` code list (a subsector comes with its parent,
/// as the standard asks). `other` has no code: the project is published without a sector.
pub const OC4IDS_SECTOR: &[(Sector, &[&str])] = &[
    (Sector::Education, &["education"]),
    (Sector::Health, &["health"]),
    (Sector::Culture, &["cultureSportsAndRecreation"]),
    (Sector::Housing, &["socialHousing"]),
    (Sector::Transport, &["transport"]),
    (Sector::Aviation, &["transport", "transport.air"]),
    (Sector::Energy, &["energy"]),
    (Sector::Water, &["waterAndWaste"]),
    (Sector::Agriculture, &["economy"]),
    (Sector::Demining, &["governance"]),
    (Sector::Other, &[]),
];

/// Every road is road transport.
pub const OC4IDS_ROAD_SECTOR: &[&str] = &["transport", "transport.road"];

/// Every road and project is published as the construction of an asset.
pub const OC4IDS_PROJECT_TYPE: &str = "construction";

/// Party roles: partner countries and organisations fund, contractors supply.
pub const OC4IDS_PARTNER_ROLE: &str = "funder";
pub const OC4IDS_CONTRACTOR_ROLE: &str = "supplier";

fn oc4ids_status<K: PartialEq + Copy>(table: &[(K, &'static str)], k: K) -> &'static str {
    table
        .iter()
        .find(|(x, _)| *x == k)
        .map(|(_, c)| *c)
        .expect("every status is mapped")
}

/// The default language's text, and each other language's translation as `field_<lang>`
/// (OCDS's convention for text in several languages); nothing when the default language's
/// text is empty (then `false`). The translations are written in the order of their keys, right
/// after `field`: no other key the callers write sorts between them.
fn oc4ids_text(p: &mut Pretty, field: &str, t: &Text, cfg: &Config) -> bool {
    let d = cfg.default_lang();
    let main = t.in_lang(d, d).trim();
    if main.is_empty() {
        return false;
    }
    p.field(field, main);
    let mut others: Vec<(String, String)> = cfg
        .languages
        .iter()
        .skip(1)
        .map(|l| (format!("{field}_{l}"), text_in(t, l, d)))
        .filter(|(_, s)| !s.trim().is_empty())
        .collect();
    others.sort();
    for (k, s) in &others {
        p.field(k, s);
    }
    true
}

/// Where an OC4IDS project is.
enum Oc4idsLocation<'a> {
    /// A road's route: its line, when it has one.
    Route {
        name: &'a Text,
        line: Option<Vec<[f64; 2]>>,
    },
    /// The settlement a project is in.
    City {
        id: &'a str,
        name: &'a Text,
        at: Option<crate::site::model::LatLon>,
    },
}

struct Oc4idsProject<'a> {
    kind: Kind,
    id: &'a str,
    title: &'a Text,
    summary: &'a Text,
    updated: Option<Date>,
    status: Option<&'static str>,
    sector: &'static [&'static str],
    started: Option<Date>,
    /// When it was planned to end (OC4IDS `period.endDate`).
    planned_end: Option<Date>,
    finished: Option<Date>,
    location: Option<Oc4idsLocation<'a>>,
    budget: Option<&'a Money>,
    contract_value: Option<&'a Money>,
    final_cost: Option<&'a Money>,
    partners: &'a [String],
    contractors: &'a [Text],
    /// The values of the fields the site declares.
    extra: &'a crate::site::model::Extra,
    sources: &'a [String],
}

/// `"key": {"amount": …, "currency": …}` (an OC4IDS `Value`).
fn oc4ids_value(p: &mut Pretty, key: &str, m: &Money) {
    p.key(key);
    p.begin_object();
    p.key("amount");
    p.number(m.amount);
    p.field("currency", &m.currency);
    p.end_object();
}

/// The project's money and completion, in key order: `budget.amount` (the budget),
/// `completion` (`endDate`, and `finalValue`: the final cost) and one contracting process whose
/// summary's `contractValue` is the contract value.
/// The fields the site declares, which map to nothing in OC4IDS: `additionalFields`, an
/// object of their values as in the record's JSON.
fn oc4ids_additional(p: &mut Pretty, cfg: &Config, recs: &Records, o: &Oc4idsProject) {
    let d = cfg.default_lang();
    let mut m = Map::new();
    for f in recs.fields.of(o.kind) {
        if let (Get::Declared, Some(v)) = (f.get, o.extra.get(f.name.as_ref())) {
            let mut v = declared_json(v, f.many, d);
            strip_nulls(&mut v);
            if !v.is_null() {
                m.insert(f.name.to_string(), v);
            }
        }
    }
    if !m.is_empty() {
        p.key("additionalFields");
        p.value(&Value::Object(m));
    }
}

fn oc4ids_money(p: &mut Pretty, o: &Oc4idsProject) {
    if let Some(b) = o.budget {
        p.key("budget");
        p.begin_object();
        oc4ids_value(p, "amount", b);
        p.end_object();
    }
    let end = precise_date_time(o.finished);
    if end.is_some() || o.final_cost.is_some() {
        p.key("completion");
        p.begin_object();
        if let Some(e) = &end {
            p.field("endDate", e);
        }
        if let Some(f) = o.final_cost {
            oc4ids_value(p, "finalValue", f);
        }
        p.end_object();
    }
    if let Some(c) = o.contract_value {
        p.key("contractingProcesses");
        p.begin_array();
        p.element();
        p.begin_object();
        p.field("id", &format!("{}-contract", o.id));
        p.key("summary");
        p.begin_object();
        oc4ids_value(p, "contractValue", c);
        p.end_object();
        p.end_object();
        p.end_array();
    }
}

/// `[longitude, latitude]` (RFC 7946 §3.1.1; OC4IDS uses GeoJSON geometry).
fn json_position(p: &mut Pretty, [x, y]: [f64; 2]) {
    p.begin_array();
    p.element();
    p.number(x);
    p.element();
    p.number(y);
    p.end_array();
}

/// `"geometry": {"coordinates": …, "type": kind}`.
fn json_geometry(p: &mut Pretty, kind: &str, coordinates: impl FnOnce(&mut Pretty)) {
    p.key("geometry");
    p.begin_object();
    p.key("coordinates");
    coordinates(p);
    p.field("type", kind);
    p.end_object();
}

fn oc4ids_location(p: &mut Pretty, l: &Oc4idsLocation, cfg: &Config) {
    p.begin_object();
    match l {
        Oc4idsLocation::Route { name, line } => {
            oc4ids_text(p, "description", name, cfg);
            if let Some(pts) = line {
                json_geometry(p, "LineString", |p| {
                    p.begin_array();
                    for pt in pts {
                        p.element();
                        json_position(p, *pt);
                    }
                    p.end_array();
                });
            }
            p.field("id", "route");
        }
        Oc4idsLocation::City { id, name, at } => {
            oc4ids_text(p, "description", name, cfg);
            if let Some(l) = at {
                json_geometry(p, "Point", |p| json_position(p, [l.lon, l.lat]));
            }
            p.field("id", id);
        }
    }
    p.end_object();
}

/// An OC4IDS project's id: the publisher's registered prefix, then the record's kind and id
/// (`oc4ids-bu3kcz-road-victory-road`; a road and a project may share an id). Without a prefix
/// (berpa warns), the record's page address, which is unique and resolves.
pub fn oc4ids_project_id(cfg: &Config, kind: Kind, id: &str) -> String {
    match &cfg.oc4ids_prefix {
        Some(prefix) => format!("{prefix}-{}-{id}", kind.name()),
        None => page_url(cfg, kind, id),
    }
}

/// An OC4IDS project, pretty printed, written straight from the record (its keys in sorted
/// order, as a printed `serde_json::Value` has them).
fn oc4ids_project(cfg: &Config, recs: &Records, o: Oc4idsProject) -> Vec<u8> {
    let d = cfg.default_lang();
    let parties = oc4ids_parties(cfg, recs, &o);
    let docs = oc4ids_sources(recs, &o);
    let mut p = Pretty::new();
    p.begin_object();
    oc4ids_additional(&mut p, cfg, recs, &o);
    oc4ids_money(&mut p, &o);
    oc4ids_text(&mut p, "description", o.summary, cfg);
    if !docs.is_empty() {
        oc4ids_documents(&mut p, cfg, &docs);
    }
    p.field("id", &oc4ids_project_id(cfg, o.kind, o.id));
    p.field("language", d);
    if let Some(l) = &o.location {
        p.key("locations");
        p.begin_array();
        p.element();
        oc4ids_location(&mut p, l, cfg);
        p.end_array();
    }
    if !parties.is_empty() {
        oc4ids_party_list(&mut p, cfg, &parties);
    }
    oc4ids_period(&mut p, &o);
    if !o.sector.is_empty() {
        p.string_list("sector", o.sector);
    }
    if let Some(s) = o.status {
        p.field("status", s);
    }
    if !oc4ids_text(&mut p, "title", o.title, cfg) {
        p.field("title", o.id);
    }
    p.field("type", OC4IDS_PROJECT_TYPE);
    if let Some(u) = precise_date_time(o.updated) {
        p.field("updated", &u);
    }
    p.end_object();
    p.finish()
}

/// A project's parties as (id, name, role): funders, then suppliers; each party once.
fn oc4ids_parties<'a>(
    cfg: &Config,
    recs: &'a Records,
    o: &Oc4idsProject<'a>,
) -> Vec<(String, &'a Text, &'static str)> {
    let d = cfg.default_lang();
    let mut parties: Vec<(String, &Text, &str)> = Vec::new();
    for pid in o.partners {
        let Some(e) = recs.partner(pid) else { continue };
        let id = format!("partner-{pid}");
        if !parties.iter().any(|(x, ..)| *x == id) {
            parties.push((id, &e.data.name, OC4IDS_PARTNER_ROLE));
        }
    }
    for c in o.contractors {
        let name = c.in_lang(d, d).trim();
        if name.is_empty() {
            continue;
        }
        let id = format!("contractor-{}", crate::site::model::suggest_id(name));
        if !parties.iter().any(|(x, ..)| *x == id) {
            parties.push((id, c, OC4IDS_CONTRACTOR_ROLE));
        }
    }
    parties
}

/// A project's sources that exist, each once, as (id, source).
fn oc4ids_sources<'a>(
    recs: &'a Records,
    o: &Oc4idsProject<'a>,
) -> Vec<(&'a str, &'a Entry<Source>)> {
    let mut docs: Vec<(&str, &Entry<Source>)> = Vec::new();
    for sid in o.sources {
        if let Some(s) = recs.source(sid)
            && !docs.iter().any(|(x, _)| *x == sid.as_str())
        {
            docs.push((sid, s));
        }
    }
    docs
}

/// `"documents": [...]`: a project's sources.
fn oc4ids_documents(p: &mut Pretty, cfg: &Config, docs: &[(&str, &Entry<Source>)]) {
    let d = cfg.default_lang();
    p.key("documents");
    p.begin_array();
    for (sid, s) in docs {
        p.element();
        p.begin_object();
        let publisher = s.data.publisher.in_lang(d, d).trim();
        if !publisher.is_empty() {
            p.field("author", publisher);
        }
        if let Some(dp) = precise_date_time(s.data.published) {
            p.field("datePublished", &dp);
        }
        p.field("id", sid);
        if let Some(l) = &s.data.language {
            p.field("language", l);
        }
        oc4ids_text(p, "title", &s.data.title, cfg);
        if let Some(u) = web_url(s.data.url.as_ref()) {
            p.field("url", &u);
        }
        p.end_object();
    }
    p.end_array();
}

/// `"parties": [...]`.
fn oc4ids_party_list(p: &mut Pretty, cfg: &Config, parties: &[(String, &Text, &str)]) {
    p.key("parties");
    p.begin_array();
    for (id, name, role) in parties {
        p.element();
        p.begin_object();
        p.field("id", id);
        oc4ids_text(p, "name", name, cfg);
        p.string_list("roles", &[role]);
        p.end_object();
    }
    p.end_array();
}

/// `"period": {...}`, when the start or the planned end is known to the day.
fn oc4ids_period(p: &mut Pretty, o: &Oc4idsProject) {
    let (start, planned_end) = (
        precise_date_time(o.started),
        precise_date_time(o.planned_end),
    );
    if start.is_some() || planned_end.is_some() {
        p.key("period");
        p.begin_object();
        if let Some(e) = &planned_end {
            p.field("endDate", e);
        }
        if let Some(s) = &start {
            p.field("startDate", s);
        }
        p.end_object();
    }
}

/// Writes the OC4IDS project package of every road and project, pretty printed a project at a
/// time (none of the package is held as one JSON value). The caller makes none when there are
/// neither roads nor projects: a package must hold at least one project.
fn write_oc4ids(w: &mut dyn Write, cfg: &Config, recs: &Records) -> std::io::Result<()> {
    let roads = par_chunked(recs.roads.len(), |i| oc4ids_road(cfg, recs, &recs.roads[i]));
    let projects = par_chunked(recs.projects.len(), |i| {
        oc4ids_project_record(cfg, recs, &recs.projects[i])
    });
    let pkg = oc4ids_package(cfg, recs);
    write_with_array(w, pkg, "projects", roads.chain(projects))
}

/// The OC4IDS project of a road.
fn oc4ids_road(cfg: &Config, recs: &Records, e: &Entry<Road>) -> Vec<u8> {
    let r = &e.data;
    oc4ids_project(
        cfg,
        recs,
        Oc4idsProject {
            kind: Kind::Road,
            id: e.id(),
            title: &r.name,
            summary: &r.summary,
            updated: r.updated,
            status: r.status.map(|s| oc4ids_status(OC4IDS_ROAD_STATUS, s)),
            sector: OC4IDS_ROAD_SECTOR,
            started: r.started,
            planned_end: None,
            finished: r.opened,
            location: Some(Oc4idsLocation::Route {
                name: &r.name,
                line: road_line(recs, r).map(|(pts, _)| pts),
            }),
            budget: None,
            contract_value: None,
            final_cost: None,
            partners: &[],
            contractors: &r.contractors,
            extra: &r.extra,
            sources: &r.sources,
        },
    )
}

/// The OC4IDS project of a project record.
fn oc4ids_project_record(cfg: &Config, recs: &Records, e: &Entry<Project>) -> Vec<u8> {
    let p = &e.data;
    oc4ids_project(
        cfg,
        recs,
        Oc4idsProject {
            kind: Kind::Project,
            id: e.id(),
            title: &p.title,
            summary: &p.summary,
            updated: p.updated,
            status: p.status.map(|s| oc4ids_status(OC4IDS_PROJECT_STATUS, s)),
            sector: OC4IDS_SECTOR
                .iter()
                .find(|(s, _)| *s == p.sector)
                .map(|(_, c)| *c)
                .unwrap_or(&[]),
            started: p.started,
            planned_end: p.planned_completion,
            finished: p.completed,
            location: p
                .city
                .as_ref()
                .and_then(|id| recs.city(id))
                .map(|c| Oc4idsLocation::City {
                    id: c.id(),
                    name: &c.data.name,
                    at: c.data.location,
                }),
            budget: p.budget.as_ref(),
            contract_value: p.contract_value.as_ref(),
            final_cost: p.final_cost.as_ref(),
            partners: &p.partners,
            extra: &p.extra,
            contractors: &p.contractors,
            sources: &p.sources,
        },
    )
}

/// The package's own fields (all but its projects).
fn oc4ids_package(cfg: &Config, recs: &Records) -> Map<String, Value> {
    let d = cfg.default_lang();
    let mut pkg = Map::new();
    pkg.insert(
        "uri".into(),
        json!(format!("{}{DATA_DIR}/oc4ids.json", cfg.base_url)),
    );
    pkg.insert(
        "publishedDate".into(),
        json!(date_time(as_of(cfg, recs).unwrap_or(Date::ymd(1970, 1, 1)))),
    );
    pkg.insert("version".into(), json!(OC4IDS_VERSION));
    let mut publisher = Map::new();
    match &cfg.publisher {
        Some(p) => {
            let name = p.name.in_lang(d, d).trim();
            publisher.insert(
                "name".into(),
                json!(if name.is_empty() {
                    cfg.title.in_lang(d, d)
                } else {
                    name
                }),
            );
            if let Some(u) = &p.url {
                publisher.insert("uri".into(), json!(u));
            }
        }
        None => {
            publisher.insert("name".into(), json!(cfg.title.in_lang(d, d)));
        }
    }
    pkg.insert("publisher".into(), Value::Object(publisher));
    if let Some(u) = cfg.licence.as_ref().and_then(|l| l.url.as_ref()) {
        pkg.insert("license".into(), json!(u));
    }
    pkg
}

// ---------------------------------------------------------------- Data Package

fn table_schema(t: &Table, lang: &Lang, lang_names: &[(String, String)]) -> Value {
    let fields: Vec<Value> = t
        .columns
        .iter()
        .map(|c| {
            let mut f = Map::new();
            f.insert("name".into(), json!(c.name));
            f.insert("type".into(), json!(c.ty.frictionless()));
            f.insert("description".into(), json!(describe(c, lang, lang_names)));
            let mut constraints = Map::new();
            if c.ty == ColType::Date {
                constraints.insert("pattern".into(), json!(DATE_PATTERN));
            }
            if c.name == "id" {
                constraints.insert("required".into(), json!(true));
                constraints.insert("unique".into(), json!(true));
            }
            if !constraints.is_empty() {
                f.insert("constraints".into(), Value::Object(constraints));
            }
            Value::Object(f)
        })
        .collect();
    let mut s = Map::new();
    s.insert("fields".into(), Value::Array(fields));
    s.insert("missingValues".into(), json!([""]));
    if t.columns.iter().any(|c| c.name == "id") {
        s.insert("primaryKey".into(), json!(["id"]));
    }
    let fks: Vec<Value> = t
        .columns
        .iter()
        .filter_map(|c| {
            c.refers_to.map(
                |r| json!({ "fields": [c.name], "reference": { "resource": r, "fields": ["id"] } }),
            )
        })
        .collect();
    if !fks.is_empty() {
        s.insert("foreignKeys".into(), Value::Array(fks));
    }
    Value::Object(s)
}

/// A column's description in one language: the field's, with the language of a per-language
/// column.
pub fn describe(c: &Column, lang: &Lang, lang_names: &[(String, String)]) -> String {
    let base = lang.t(&c.key).to_string();
    match &c.lang {
        Some(l) => {
            let name = lang_names
                .iter()
                .find(|(code, _)| code == l)
                .map(|(_, n)| n.as_str())
                .unwrap_or(l);
            lang.tf("col_in_language", &[("what", &base), ("lang", name)])
        }
        None => base,
    }
}

/// A table's name in one language: the collection's, or "Observations".
pub fn table_title(t: &Table, lang: &Lang) -> String {
    match t.kind {
        Some(k) => lang.collection(k.name(), true).to_string(),
        None => lang.t("observations").to_string(),
    }
}

/// Language names by code, from the tables loaded for the site.
pub fn lang_names(langs: &[Lang]) -> Vec<(String, String)> {
    langs
        .iter()
        .map(|l| (l.code.clone(), l.language_name.clone()))
        .collect()
}

fn datapackage(
    cfg: &Config,
    recs: &Records,
    langs: &[Lang],
    tables: &[Table],
    files: &Sink,
) -> Value {
    let d = cfg.default_lang();
    let lang = langs.iter().find(|l| l.code == d).or(langs.first());
    let names = lang_names(langs);
    let t = |k: &str| lang.map(|l| l.t(k).to_string()).unwrap_or_default();
    let bytes = |p: &str| files.size(p);
    let mut resources: Vec<Value> = Vec::new();
    for tb in tables {
        let csv = tb.csv_path();
        resources.push(json!({
            "name": tb.name,
            "path": csv.trim_start_matches(&format!("{DATA_DIR}/")),
            "profile": "tabular-data-resource",
            "title": lang.map(|l| table_title(tb, l)).unwrap_or_default(),
            "description": t(tb.key),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": bytes(&csv),
            "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true },
            "schema": lang.map(|l| table_schema(tb, l, &names)).unwrap_or(Value::Null),
        }));
        if let Some(p) = tb.json_path() {
            resources.push(json!({
                "name": format!("{}-json", tb.name),
                "path": p.trim_start_matches(&format!("{DATA_DIR}/")),
                "profile": "data-resource",
                "description": t("json_file_text"),
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "bytes": bytes(&p),
            }));
        }
        if let Some(p) = tb.geojson_path() {
            resources.push(json!({
                "name": format!("{}-geojson", tb.name),
                "path": p.trim_start_matches(&format!("{DATA_DIR}/")),
                "profile": "data-resource",
                "description": t(&format!("{}_geojson", tb.key)),
                "format": "geojson",
                "mediatype": "application/geo+json",
                "encoding": "utf-8",
                "bytes": bytes(&p),
            }));
        }
    }
    let oc = format!("{DATA_DIR}/oc4ids.json");
    if files.contains(&oc) {
        resources.push(json!({
            "name": "oc4ids",
            "path": "oc4ids.json",
            "profile": "data-resource",
            "description": t("oc4ids_text"),
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "bytes": bytes(&oc),
            // A JSON Schema, not a Table Schema: `schema` is for tables (and a Frictionless
            // validator rejects the whole package over a `schema` that is not a Table Schema).
            "jsonSchema": OC4IDS_PACKAGE_SCHEMA,
        }));
    }
    let mut pkg = Map::new();
    pkg.insert("profile".into(), json!("data-package"));
    pkg.insert(
        "name".into(),
        json!(crate::site::model::suggest_id(cfg.title.in_lang(d, d))),
    );
    pkg.insert("title".into(), json!(cfg.title.in_lang(d, d)));
    let desc = cfg.description.in_lang(d, d);
    if !desc.is_empty() {
        pkg.insert("description".into(), json!(desc));
    }
    pkg.insert("homepage".into(), json!(cfg.base_url));
    pkg.insert("languages".into(), json!(cfg.languages));
    if let Some(date) = as_of(cfg, recs) {
        pkg.insert("created".into(), json!(date_time(date)));
        pkg.insert("data_as_of".into(), json!(date.to_string()));
    }
    licence_and_publisher(cfg, &mut pkg);
    pkg.insert("resources".into(), Value::Array(resources));
    let mut v = Value::Object(pkg);
    strip_nulls(&mut v);
    v
}

/// The data package's `licenses` and `contributors` (the publisher), from site.yaml.
fn licence_and_publisher(cfg: &Config, pkg: &mut Map<String, Value>) {
    let d = cfg.default_lang();
    if let Some(l) = &cfg.licence {
        let mut m = Map::new();
        let id = licence_id(&l.name);
        if let Some(id) = id {
            m.insert("name".into(), json!(id));
        }
        m.insert("title".into(), json!(l.name));
        if let Some(u) = &l.url {
            m.insert("path".into(), json!(u));
        }
        pkg.insert("licenses".into(), json!([m]));
    }
    if let Some(p) = &cfg.publisher {
        let mut m = Map::new();
        m.insert("title".into(), json!(p.name.in_lang(d, d)));
        if let Some(u) = &p.url {
            m.insert("path".into(), json!(u));
        }
        m.insert("role".into(), json!("publisher"));
        pkg.insert("contributors".into(), json!([m]));
    }
}

/// The Open Definition id of a licence named as people write it (`CC BY 4.0` → `CC-BY-4.0`),
/// when it is one of the common open licences.
pub fn licence_id(name: &str) -> Option<&'static str> {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .flat_map(|c| c.to_lowercase())
        .collect();
    Some(match n.as_str() {
        "ccby4.0" => "CC-BY-4.0",
        "ccbysa4.0" => "CC-BY-SA-4.0",
        "cc04.0" | "cc0" | "cc01.0" => "CC0-1.0",
        "odcby" | "odcby1.0" => "ODC-BY-1.0",
        "odbl" | "odbl1.0" => "ODbL-1.0",
        "pddl" | "pddl1.0" => "ODC-PDDL-1.0",
        "ogluk3.0" => "OGL-UK-3.0",
        _ => return None,
    })
}

// ---------------------------------------------------------------- all of it

/// Every open-data file: `data/*.csv|json|geojson`, `data/datapackage.json`, `data/oc4ids.json`
/// and `<collection>/<id>.json` for each record.
pub fn build(cfg: &Config, recs: &Records, langs: &[Lang], out: &Sink) {
    let ctx = Ctx {
        cfg,
        default: cfg.default_lang(),
    };
    let tables = tables(cfg, &recs.fields);
    let about = about(cfg, recs);
    let from = || Origin::made("the open data");
    // The files are independent of each other: made in parallel, each written as it is done.
    let collections = || {
        tables.par_iter().for_each(|t| {
            out.put(t.csv_path(), csv_bytes(t, &ctx.rows(recs, t)), from());
            if let (Some(p), Some(kind)) = (t.json_path(), t.kind) {
                let mut m = about.clone();
                m.insert("collection".into(), json!(kind.dir()));
                // Each record's file beside its page, and the whole collection in one file.
                out.put_stream(p, from(), |w| {
                    write_with_array(w, m, "records", collection_records(cfg, recs, kind, out))
                });
            }
            if let (Some(p), Some(kind @ Kind::Own(_))) = (t.geojson_path(), t.kind) {
                out.put_stream(p, from(), |w| {
                    let n = recs.count(kind);
                    let items = par_chunked(n, |i| item_feature(cfg, recs, kind, i));
                    write_features(w, items.flatten())
                });
            }
        })
    };
    let maps = || {
        rayon::join(
            || {
                out.put_stream(format!("{DATA_DIR}/cities.geojson"), from(), |w| {
                    let n = recs.cities.len();
                    write_features(w, par_chunked(n, |i| city_feature(cfg, recs, i)).flatten())
                })
            },
            || {
                out.put_stream(format!("{DATA_DIR}/roads.geojson"), from(), |w| {
                    let n = recs.roads.len();
                    write_features(w, par_chunked(n, |i| road_feature(cfg, recs, i)))
                })
            },
        )
    };
    let projects = || {
        if !recs.roads.is_empty() || !recs.projects.is_empty() {
            out.put_stream(format!("{DATA_DIR}/oc4ids.json"), from(), |w| {
                write_oc4ids(w, cfg, recs)
            });
        }
    };
    rayon::join(collections, || rayon::join(maps, projects));
    // The data package describes the files above (their sizes among other things): last.
    let dp = datapackage(cfg, recs, langs, &tables, out);
    out.put(format!("{DATA_DIR}/datapackage.json"), pretty(&dp), from());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printing_an_array_a_piece_at_a_time_is_printing_the_whole() {
        let items = [
            json!({"id": "a", "name": {"en": "A \"quoted\"\nline"}, "list": [1, 2, {"x": []}]}),
            json!({"id": "b", "empty": {}, "n": 1.5}),
        ];
        let mut head = Map::new();
        head.insert("site".into(), json!({"en": "S"}));
        head.insert("zeta".into(), json!([]));
        for n in [0, 1, 2] {
            let printed = items[..n].iter().map(pretty);
            let mut whole = head.clone();
            whole.insert("records".into(), Value::Array(items[..n].to_vec()));
            let mut streamed = Vec::new();
            write_with_array(&mut streamed, head.clone(), "records", printed).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(pretty(&Value::Object(whole))).unwrap()
            );
        }
    }

    #[test]
    fn a_feature_prints_as_its_json_value_does() {
        let via = ["b", "c\"q"];
        let props = vec![
            (
                "name_en".to_string(),
                Prop::Str(Some("Ağdam–Füzuli".into())),
            ),
            ("name_az".into(), Prop::Str(None)),
            ("length_km".into(), Prop::Num(Some(12.0))),
            ("id".into(), Prop::Str(Some("r1".into()))),
            ("via".into(), Prop::List(via.to_vec())),
            ("empty".into(), Prop::List(Vec::new())),
            ("area".into(), Prop::Num(None)),
        ];
        let ours = feature(
            "r1",
            |p| {
                json_geometry(p, "LineString", |p| {
                    p.begin_array();
                    for pt in [[46.9, 39.9], [47.1, 39.6]] {
                        p.element();
                        json_position(p, pt);
                    }
                    p.end_array();
                })
            },
            props,
        );
        let theirs = pretty(&json!({
            "type": "Feature",
            "id": "r1",
            "geometry": {"type": "LineString", "coordinates": [[46.9, 39.9], [47.1, 39.6]]},
            "properties": {
                "name_en": "Ağdam–Füzuli", "name_az": null, "length_km": 12.0, "id": "r1",
                "via": ["b", "c\"q"], "empty": [], "area": null
            }
        }));
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
        let unlocated = feature(
            "x",
            |p| {
                p.key("geometry");
                p.null();
            },
            vec![],
        );
        let theirs =
            pretty(&json!({"type": "Feature", "id": "x", "geometry": null, "properties": {}}));
        assert_eq!(unlocated, theirs);
    }

    #[test]
    fn formulas_in_text_cells_are_defused() {
        let defuse = |cell: &str, ty| match cell_of(cell, ty) {
            crate::site::sheet::Cell::Text(t) => crate::site::sheet::defuse(t).into_owned(),
            crate::site::sheet::Cell::Data(d) => d.to_string(),
        };
        assert_eq!(
            defuse("=HYPERLINK(\"x\")", ColType::String),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(defuse("@SUM(A1)", ColType::List), "'@SUM(A1)");
        assert_eq!(defuse("-5", ColType::Number), "-5");
        assert_eq!(defuse("Lachin", ColType::String), "Lachin");
    }

    /// The codes of a code list shipped with the OC4IDS standard, vendored in
    /// `schemas/oc4ids/0.9.5/codelists/`; a missing or unreadable list fails the test.
    fn codes(list: &str) -> Vec<String> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas/oc4ids/0.9.5/codelists")
            .join(format!("{list}.csv"));
        let text = std::fs::read_to_string(&p)
            .unwrap_or_else(|e| panic!("the OC4IDS code list {} is missing: {e}", p.display()));
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let codes: Vec<String> = r
            .records()
            .map(|x| x.expect("a CSV row")[0].to_string())
            .collect();
        assert!(!codes.is_empty(), "{} lists no codes", p.display());
        codes
    }

    #[test]
    fn every_code_is_in_the_oc4ids_code_lists() {
        let status = codes("projectStatus");
        let sector = codes("projectSector");
        let ty = codes("projectType");
        let roles = codes("partyRole");
        for s in ProjectStatus::ALL {
            let c = oc4ids_status(OC4IDS_PROJECT_STATUS, *s);
            assert!(status.contains(&c.to_string()), "{s:?} → {c}");
        }
        for s in RoadStatus::ALL {
            let c = oc4ids_status(OC4IDS_ROAD_STATUS, *s);
            assert!(status.contains(&c.to_string()), "{s:?} → {c}");
        }
        for s in Sector::ALL {
            let (_, codes) = OC4IDS_SECTOR
                .iter()
                .find(|(x, _)| x == s)
                .unwrap_or_else(|| panic!("{s:?} is mapped"));
            for c in *codes {
                assert!(sector.contains(&c.to_string()), "{s:?} → {c}");
                if let Some((parent, _)) = c.split_once('.') {
                    assert!(codes.contains(&parent), "{c} comes with {parent}");
                }
            }
        }
        for c in OC4IDS_ROAD_SECTOR {
            assert!(sector.contains(&c.to_string()));
        }
        assert!(ty.contains(&OC4IDS_PROJECT_TYPE.to_string()));
        assert!(roles.contains(&OC4IDS_PARTNER_ROLE.to_string()));
        assert!(roles.contains(&OC4IDS_CONTRACTOR_ROLE.to_string()));
    }

    #[test]
    fn dates_and_licences() {
        assert_eq!(date_time(Date::ymd(2021, 11, 7)), "2021-11-07T00:00:00Z");
        assert_eq!(
            date_time(Date::parse("2021-08").unwrap()),
            "2021-08-01T00:00:00Z"
        );
        assert_eq!(precise_date_time(Date::parse("2021-08").ok()), None);
        assert_eq!(licence_id("CC BY 4.0"), Some("CC-BY-4.0"));
        assert_eq!(licence_id("All rights reserved"), None);
    }

    #[test]
    fn paths_in_json() {
        let mut v = json!({"history": [{"note": "x"}], "name": "y"});
        let (m, k) = at_path(&mut v, "history[0].note").unwrap();
        assert_eq!(k, "note");
        m.insert(k, json!({"en": "x"}));
        assert_eq!(v["history"][0]["note"]["en"], "x");
        assert!(at_path(&mut v, "name").is_some());
        assert!(at_path(&mut v, "missing.x").is_none());
    }
}
