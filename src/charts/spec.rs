//! Declarative charts: `content/charts/<id>.yaml` names a title, a headline, a chart type and
//! its data (a collection grouped and aggregated, optionally filtered; or indicators). The
//! built-in dashboard charts are specs too, so both go through one path.

use super::{Body, Category, Chart, Point, ProgressRow, Series};
use crate::content::yaml::{YamlDoc, nearest, path};
use crate::diagnostics::Diagnostic;
use crate::model::{Entry, Kind, Records, Text};
use crate::render::views::{Env, SourceView, record_path, sort_key};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartType {
    Bar,
    StackedBar,
    Line,
    Progress,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregate {
    #[default]
    Count,
    Sum,
}

/// What a chart shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    /// `cities`, `roads`, `projects`, `partners`, `indicators` or `sources`.
    pub collection: Option<String>,
    /// One indicator (for a line chart).
    pub indicator: Option<String>,
    /// Indicators with targets (for a progress chart).
    pub indicators: Option<Vec<String>>,
    pub group_by: Option<String>,
    pub stack_by: Option<String>,
    #[serde(default)]
    pub aggregate: Aggregate,
    /// The number summed by `aggregate: sum`.
    pub field: Option<String>,
    /// Only records whose field has this value (a code or an id).
    #[serde(default)]
    pub filter: BTreeMap<String, String>,
}

/// A chart as a site author writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    pub title: Text,
    pub headline: Text,
    #[serde(rename = "type")]
    pub kind: ChartType,
    pub data: DataSpec,
    #[serde(default)]
    pub unit: Text,
    /// The label of the values (the axis along the bars, the table's value column).
    #[serde(default)]
    pub value_label: Text,
    /// The label of the categories.
    #[serde(default)]
    pub category_label: Text,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Text,
}

/// A chart spec with its id and file.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartEntry {
    pub id: String,
    pub file: String,
    pub yaml: String,
    pub spec: ChartSpec,
}

/// What a field of a record holds, for grouping and summing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A code from a code list (the list's name in the i18n table).
    Code(&'static str),
    /// References to records.
    Ids(Kind),
    Text,
    Number,
}

/// The fields a chart may use, per collection.
pub fn fields(kind: Kind) -> &'static [(&'static str, FieldKind)] {
    use FieldKind::*;
    match kind {
        Kind::City => &[
            ("kind", Code("city_kind")),
            ("status", Code("city_status")),
            ("district", Text),
            ("region", Text),
        ],
        Kind::Road => &[
            ("status", Code("road_status")),
            ("from", Ids(Kind::City)),
            ("to", Ids(Kind::City)),
            ("via", Ids(Kind::City)),
            ("length_km", Number),
            ("lanes", Number),
        ],
        Kind::Project => &[
            ("sector", Code("sector")),
            ("status", Code("project_status")),
            ("city", Ids(Kind::City)),
            ("partners", Ids(Kind::Partner)),
        ],
        Kind::Partner => &[("kind", Code("partner_kind"))],
        Kind::Indicator => &[("scope", Ids(Kind::City))],
        Kind::Source => &[
            ("publisher_kind", Code("publisher_kind")),
            ("publisher", Text),
        ],
    }
}

/// The order of a code list's codes, for ordering categories and stacks.
fn code_order(list: &str) -> Vec<&'static str> {
    use crate::model::*;
    match list {
        "city_kind" => CityKind::ALL.iter().map(|c| c.code()).collect(),
        "city_status" => CityStatus::ALL.iter().map(|c| c.code()).collect(),
        "road_status" => RoadStatus::ALL.iter().map(|c| c.code()).collect(),
        "project_status" => ProjectStatus::ALL.iter().map(|c| c.code()).collect(),
        "sector" => Sector::ALL.iter().map(|c| c.code()).collect(),
        "partner_kind" => PartnerKind::ALL.iter().map(|c| c.code()).collect(),
        "publisher_kind" => PublisherKind::ALL.iter().map(|c| c.code()).collect(),
        _ => Vec::new(),
    }
}

/// A value of a record's field.
enum Value<'a> {
    Codes(Vec<&'static str>),
    Ids(Vec<&'a str>),
    Text(&'a Text),
    Number(f64),
    Missing,
}

fn value<'a>(recs: &'a Records, kind: Kind, i: usize, field: &str) -> Value<'a> {
    use Value::*;
    let codes = |c: Option<&'static str>| c.map_or(Missing, |c| Codes(vec![c]));
    match kind {
        Kind::City => {
            let c = &recs.cities[i].data;
            match field {
                "kind" => Codes(vec![c.kind.code()]),
                "status" => codes(c.status.map(|s| s.code())),
                "district" => Text(&c.district),
                "region" if !c.region.is_empty() => Text(&c.region),
                _ => Missing,
            }
        }
        Kind::Road => {
            let r = &recs.roads[i].data;
            match field {
                "status" => codes(r.status.map(|s| s.code())),
                "from" => Ids(vec![&r.from]),
                "to" => Ids(vec![&r.to]),
                "via" => Ids(r.via.iter().map(String::as_str).collect()),
                "length_km" => r.length_km.map_or(Missing, Number),
                "lanes" => r.lanes.map_or(Missing, |l| Number(f64::from(l))),
                _ => Missing,
            }
        }
        Kind::Project => {
            let p = &recs.projects[i].data;
            match field {
                "sector" => Codes(vec![p.sector.code()]),
                "status" => codes(p.status.map(|s| s.code())),
                "city" => p.city.as_deref().map_or(Missing, |c| Ids(vec![c])),
                "partners" if !p.partners.is_empty() => {
                    Ids(p.partners.iter().map(String::as_str).collect())
                }
                _ => Missing,
            }
        }
        Kind::Partner => match field {
            "kind" => Codes(vec![recs.partners[i].data.kind.code()]),
            _ => Missing,
        },
        Kind::Indicator => match field {
            "scope" => recs.indicators[i]
                .data
                .scope
                .as_deref()
                .map_or(Missing, |c| Ids(vec![c])),
            _ => Missing,
        },
        Kind::Source => {
            let s = &recs.sources[i].data;
            match field {
                "publisher_kind" => codes(s.publisher_kind.map(|k| k.code())),
                "publisher" => Text(&s.publisher),
                _ => Missing,
            }
        }
    }
}

/// The positions of the records a filter may keep: when it names a referenced record (projects
/// of `city: fuzuli`), only the records that point at it, from the backlinks; otherwise all.
/// (A chart on each of N city pages must not read all N projects each time.)
fn candidates(env: &Env, kind: Kind, filter: &BTreeMap<String, String>) -> Vec<usize> {
    for (field, want) in filter {
        if let Some((_, FieldKind::Ids(target))) = fields(kind).iter().find(|(f, _)| f == field) {
            let ids = env.derived.pointing_at(*target, want, kind);
            let mut v: Vec<usize> = ids
                .iter()
                .filter_map(|id| env.derived.position(kind, id))
                .collect();
            v.sort_unstable();
            return v;
        }
    }
    (0..env.recs.count(kind)).collect()
}

/// A record's sources and update date, by position in its collection.
fn provenance(recs: &Records, kind: Kind, i: usize) -> (&[String], Option<crate::model::Date>) {
    use crate::model::Common;
    fn of<T: Common>(e: &Entry<T>) -> (&[String], Option<crate::model::Date>) {
        (e.data.sources(), e.data.updated())
    }
    match kind {
        Kind::City => of(&recs.cities[i]),
        Kind::Road => of(&recs.roads[i]),
        Kind::Project => of(&recs.projects[i]),
        Kind::Partner => of(&recs.partners[i]),
        Kind::Indicator => of(&recs.indicators[i]),
        Kind::Source => of(&recs.sources[i]),
    }
}

/// (key, label, link, order) of each group a record's field puts it in.
fn groups(env: &Env, kind: Kind, i: usize, field: &str) -> Vec<(String, String, Option<String>)> {
    let fk = fields(kind)
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, k)| *k);
    match value(env.recs, kind, i, field) {
        Value::Codes(cs) => {
            let list = match fk {
                Some(FieldKind::Code(l)) => l,
                _ => "",
            };
            cs.into_iter()
                .map(|c| (c.to_string(), env.lang.code(list, c), None))
                .collect()
        }
        Value::Ids(ids) => {
            let target = match fk {
                Some(FieldKind::Ids(k)) => k,
                _ => Kind::City,
            };
            ids.into_iter()
                .map(|id| {
                    let l = env.link(target, id);
                    (id.to_string(), l.title, Some(l.path))
                })
                .collect()
        }
        Value::Text(t) => {
            let s = env.text(t).0;
            vec![(s.clone(), s, None)]
        }
        Value::Number(n) => vec![(crate::charts::plain(n), env.lang.num(n, 2), None)],
        // A record with no partners is in no partner's group; a missing code or text is "not known".
        Value::Missing
            if matches!(fk, Some(FieldKind::Ids(_))) && matches!(field, "partners" | "via") =>
        {
            Vec::new()
        }
        Value::Missing => vec![(String::new(), env.lang.t("unknown").to_string(), None)],
    }
}

fn matches(env: &Env, kind: Kind, i: usize, filter: &BTreeMap<String, String>) -> bool {
    filter
        .iter()
        .all(|(field, want)| match value(env.recs, kind, i, field) {
            Value::Codes(cs) => cs.contains(&want.as_str()),
            Value::Ids(ids) => ids.contains(&want.as_str()),
            Value::Text(t) => t.all(env.default_lang).values().any(|s| s == want),
            Value::Number(n) => want.parse::<f64>().is_ok_and(|w| w == n),
            Value::Missing => want.is_empty(),
        })
}

/// Orders group keys: code-list order for codes, else by label.
fn ordered(
    kind: Kind,
    field: &str,
    seen: &BTreeMap<String, (String, Option<String>)>,
) -> Vec<(String, String, Option<String>)> {
    let mut v: Vec<(String, String, Option<String>)> = seen
        .iter()
        .map(|(k, (l, p))| (k.clone(), l.clone(), p.clone()))
        .collect();
    match fields(kind)
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, k)| *k)
    {
        Some(FieldKind::Code(list)) => {
            let order = code_order(list);
            v.sort_by_key(|(k, _, _)| order.iter().position(|c| c == k).unwrap_or(usize::MAX));
        }
        Some(FieldKind::Number) => v.sort_by(|a, b| {
            a.0.parse::<f64>()
                .unwrap_or(0.0)
                .total_cmp(&b.0.parse::<f64>().unwrap_or(0.0))
        }),
        _ => v.sort_by_cached_key(|(k, label, _)| (sort_key(label), k.clone())),
    }
    // "Not known" last.
    v.sort_by_key(|(k, _, _)| k.is_empty());
    v
}

/// Computes a chart from its spec, in the environment's language.
pub fn compute(id: &str, spec: &ChartSpec, env: &Env) -> Chart {
    let lang = env.lang;
    let t = |x: &Text| env.text(x).0;
    let mut sources: Vec<SourceView> = spec
        .sources
        .iter()
        .filter_map(|s| env.source_view(s))
        .collect();
    let mut notes = Vec::new();
    if !spec.note.is_empty() {
        notes.push(t(&spec.note));
    }
    let mut as_of = None;
    let mut generated_headline = None;
    let body = match spec.kind {
        ChartType::Bar | ChartType::StackedBar => {
            let kind = spec
                .data
                .collection
                .as_deref()
                .and_then(Kind::from_dir)
                .unwrap_or(Kind::Project);
            let group_by = spec.data.group_by.as_deref().unwrap_or("");
            let stack_by = if spec.kind == ChartType::StackedBar {
                spec.data.stack_by.as_deref()
            } else {
                None
            };
            let mut cats: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
            let mut stacks: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
            let mut cells: BTreeMap<(String, String), f64> = BTreeMap::new();
            let mut source_ids: Vec<&str> = Vec::new();
            let mut latest: Option<crate::model::Date> = None;
            for i in candidates(env, kind, &spec.data.filter) {
                if !matches(env, kind, i, &spec.data.filter) {
                    continue;
                }
                let (srcs, updated) = provenance(env.recs, kind, i);
                source_ids.extend(srcs.iter().map(String::as_str));
                latest = latest.max(updated);
                let amount = match (spec.data.aggregate, spec.data.field.as_deref()) {
                    (Aggregate::Sum, Some(f)) => match value(env.recs, kind, i, f) {
                        Value::Number(n) => n,
                        _ => 0.0,
                    },
                    _ => 1.0,
                };
                // A value that is not a finite number is a content error reported elsewhere;
                // the chart must still draw.
                let amount = if amount.is_finite() { amount } else { 0.0 };
                let sks = match stack_by {
                    Some(s) => groups(env, kind, i, s),
                    None => vec![(String::new(), String::new(), None)],
                };
                for (ck, cl, cp) in groups(env, kind, i, group_by) {
                    cats.insert(ck.clone(), (cl, cp));
                    for (sk, sl, sp) in &sks {
                        stacks.insert(sk.clone(), (sl.clone(), sp.clone()));
                        *cells.entry((ck.clone(), sk.clone())).or_default() += amount;
                    }
                }
            }
            // The chart's sources are those of the records it counts (unless the spec names its own).
            if spec.sources.is_empty() && kind != Kind::Source {
                source_ids.sort_unstable();
                source_ids.dedup();
                sources = source_ids
                    .iter()
                    .filter_map(|s| env.source_view(s))
                    .collect();
                sources.sort_by_cached_key(|s| (sort_key(&s.publisher), s.id.clone()));
            }
            as_of = latest.map(|d| env.date(d));
            let cat_list = ordered(kind, group_by, &cats);
            let stack_list = match stack_by {
                Some(s) => ordered(kind, s, &stacks),
                None => vec![(String::new(), t(&spec.value_label), None)],
            };
            let status = stack_by == Some("status");
            Body::Bars {
                categories: cat_list
                    .iter()
                    .map(|(k, l, p)| Category {
                        key: k.clone(),
                        label: l.clone(),
                        path: p.clone(),
                    })
                    .collect(),
                series: stack_list
                    .iter()
                    .map(|(sk, sl, _)| Series {
                        key: if sk.is_empty() && status {
                            "unknown".into()
                        } else {
                            sk.clone()
                        },
                        label: sl.clone(),
                        values: cat_list
                            .iter()
                            .map(|(ck, _, _)| {
                                cells.get(&(ck.clone(), sk.clone())).copied().unwrap_or(0.0)
                            })
                            .collect(),
                        status,
                    })
                    .collect(),
            }
        }
        ChartType::Line => {
            let ind = spec
                .data
                .indicator
                .as_deref()
                .and_then(|i| crate::model::find(&env.recs.indicators, i));
            match ind {
                Some(ind) => {
                    if spec.headline.is_empty() {
                        let (unit, _) = env.text(&ind.data.unit);
                        if let Some(p) = env.progress(&ind.data, &unit) {
                            let value = format!("{} {unit}", p.value);
                            generated_headline = Some(match &p.percent {
                                Some(pc) => lang.tf(
                                    "chart_indicator_target_headline",
                                    &[("value", &value), ("date", &p.as_of), ("percent", pc)],
                                ),
                                None => lang.tf(
                                    "chart_indicator_headline",
                                    &[("value", &value), ("date", &p.as_of)],
                                ),
                            });
                        }
                    }
                    let (body, srcs, date) = indicator_line(env, ind);
                    for s in srcs {
                        if !sources.iter().any(|x| x.id == s.id) {
                            sources.push(s);
                        }
                    }
                    as_of = date;
                    if ind.data.observations.iter().any(|o| o.qualifier.is_some()) {
                        notes.push(lang.t("chart_qualified_note").to_string());
                    }
                    let obs = &ind.data.observations;
                    if obs.iter().any(|a| {
                        obs.iter()
                            .any(|b| a.date == b.date && a.value != b.value && a.source != b.source)
                    }) {
                        notes.push(lang.t("sources_disagree").to_string());
                    }
                    body
                }
                None => Body::Line {
                    points: Vec::new(),
                    target: None,
                },
            }
        }
        ChartType::Progress => {
            let ids: Vec<&str> = match &spec.data.indicators {
                Some(v) => v.iter().map(String::as_str).collect(),
                None => env
                    .recs
                    .indicators
                    .iter()
                    .filter(|i| i.data.target.is_some())
                    .map(|i| i.id())
                    .collect(),
            };
            let mut rows = Vec::new();
            for id in ids {
                let Some(ind) = crate::model::find(&env.recs.indicators, id) else {
                    continue;
                };
                let (unit, _) = env.text(&ind.data.unit);
                let (Some(p), Some(target)) = (env.progress(&ind.data, &unit), &ind.data.target)
                else {
                    continue;
                };
                if let Some(s) = &p.source
                    && !sources.iter().any(|x| x.id == s.id)
                {
                    sources.push(s.clone());
                }
                rows.push(ProgressRow {
                    label: env.text(&ind.data.title).0,
                    path: Some(record_path(Kind::Indicator, ind.id())),
                    value: p.raw_value,
                    target: target.value,
                    value_text: format!("{} {}", p.value, unit),
                    target_text: p.target.clone().unwrap_or_default(),
                    percent_text: p.percent.clone().unwrap_or_default(),
                    as_of: p.as_of.clone(),
                    source: p.source.clone(),
                });
            }
            Body::Progress { rows }
        }
    };
    Chart {
        id: id.to_string(),
        title: t(&spec.title),
        headline: generated_headline.unwrap_or_else(|| t(&spec.headline)),
        unit: t(&spec.unit),
        value_label: if spec.value_label.is_empty() {
            lang.t("value").to_string()
        } else {
            t(&spec.value_label)
        },
        category_label: if spec.category_label.is_empty() {
            spec.data
                .group_by
                .as_deref()
                .map(|g| lang.t(g).to_string())
                .unwrap_or_else(|| lang.t("name").to_string())
        } else {
            t(&spec.category_label)
        },
        body,
        sources,
        as_of,
        notes,
    }
}

/// An indicator's observations as a line, its target as a marked line, and its sources.
pub fn indicator_line(
    env: &Env,
    ind: &Entry<crate::model::Indicator>,
) -> (Body, Vec<SourceView>, Option<String>) {
    let mut obs: Vec<(usize, &crate::model::Observation)> = ind
        .data
        .observations
        .iter()
        .enumerate()
        .filter(|(_, o)| o.value.is_finite())
        .collect();
    obs.sort_by(|a, b| a.1.date.cmp(&b.1.date).then(a.0.cmp(&b.0)));
    let mut sources: Vec<SourceView> = Vec::new();
    let points: Vec<Point> = obs
        .iter()
        .map(|(_, o)| {
            let source = o.source.as_deref().and_then(|s| env.source_view(s));
            if let Some(s) = &source
                && !sources.iter().any(|x| x.id == s.id)
            {
                sources.push(s.clone());
            }
            Point {
                days: o.date.days(),
                date: env.date(o.date),
                date_iso: o.date.to_string(),
                value: o.value,
                value_text: env.qualified(o),
                source,
                note: env.text(&o.note).0,
            }
        })
        .collect();
    let target = ind.data.target.as_ref().map(|t| {
        (
            t.value,
            t.by.map(|d| d.days()),
            match t.by {
                Some(by) => env.lang.tf(
                    "target_by",
                    &[("value", &env.num(t.value)), ("date", &env.date(by))],
                ),
                None => format!("{} {}", env.lang.t("target"), env.num(t.value)),
            },
        )
    });
    let as_of = obs.last().map(|(_, o)| env.date(o.date));
    (Body::Line { points, target }, sources, as_of)
}

/// Checks a spec against the records: names of collections, fields, indicators and sources.
pub fn check(c: &ChartEntry, recs: &Records) -> Vec<Diagnostic> {
    let doc = YamlDoc {
        file: &c.file,
        text: &c.yaml,
        line_offset: 0,
    };
    let mut out = Vec::new();
    let mut err = |at: &str, msg: String, help: String| {
        out.push(
            Diagnostic::error("chart-spec", &c.file, msg)
                .at(doc.locate(&path(at)))
                .help(help),
        );
    };
    let d = &c.spec.data;
    match c.spec.kind {
        ChartType::Bar | ChartType::StackedBar => {
            let Some(coll) = d.collection.as_deref() else {
                err(
                    "data",
                    "a bar chart needs `data.collection`".into(),
                    "name the records to count, for example `collection: projects`".into(),
                );
                return out;
            };
            let dirs: Vec<&str> = Kind::ALL.iter().map(|k| k.dir()).collect();
            let Some(kind) = Kind::from_dir(coll) else {
                let help = match nearest(coll, &dirs) {
                    Some(n) => format!("did you mean `{n}`? collections are: {}", dirs.join(", ")),
                    None => format!("collections are: {}", dirs.join(", ")),
                };
                err(
                    "data.collection",
                    format!("there is no collection `{coll}`"),
                    help,
                );
                return out;
            };
            let names: Vec<&str> = fields(kind).iter().map(|(f, _)| *f).collect();
            let group_names: Vec<&str> = fields(kind)
                .iter()
                .filter(|(_, k)| *k != FieldKind::Number || kind == Kind::Road)
                .map(|(f, _)| *f)
                .collect();
            let field_problem = |f: &str, allowed: &[&str]| -> Option<(String, String)> {
                if allowed.contains(&f) {
                    return None;
                }
                let help = match nearest(f, allowed) {
                    Some(n) => format!(
                        "did you mean `{n}`? {coll} can be grouped by: {}",
                        allowed.join(", ")
                    ),
                    None => format!("{coll} can be grouped by: {}", allowed.join(", ")),
                };
                Some((format!("{coll} have no field `{f}` to chart"), help))
            };
            match d.group_by.as_deref() {
                Some(g) => {
                    if let Some((m, h)) = field_problem(g, &group_names) {
                        err("data.group_by", m, h);
                    }
                }
                None => err(
                    "data",
                    "a bar chart needs `data.group_by`".into(),
                    format!("name a field to group by: {}", group_names.join(", ")),
                ),
            }
            if c.spec.kind == ChartType::StackedBar {
                match d.stack_by.as_deref() {
                    Some(s) => {
                        if let Some((m, h)) = field_problem(s, &group_names) {
                            err("data.stack_by", m, h);
                        }
                    }
                    None => err(
                        "data",
                        "a stacked bar chart needs `data.stack_by`".into(),
                        format!("name a field to stack by: {}", group_names.join(", ")),
                    ),
                }
            }
            if d.aggregate == Aggregate::Sum {
                let numeric: Vec<&str> = fields(kind)
                    .iter()
                    .filter(|(_, k)| *k == FieldKind::Number)
                    .map(|(f, _)| *f)
                    .collect();
                match d.field.as_deref() {
                    Some(f) if numeric.contains(&f) => {}
                    Some(f) => err(
                        "data.field",
                        format!("`{f}` is not a number field of {coll}"),
                        if numeric.is_empty() {
                            format!("{coll} have no number to sum; use `aggregate: count`")
                        } else {
                            format!("number fields of {coll}: {}", numeric.join(", "))
                        },
                    ),
                    None => err(
                        "data",
                        "`aggregate: sum` needs `data.field`".into(),
                        "name the number to add up, for example `field: length_km`".into(),
                    ),
                }
            }
            for f in d.filter.keys() {
                if !names.contains(&f.as_str()) {
                    let help = match nearest(f, &names) {
                        Some(n) => format!("did you mean `{n}`? fields: {}", names.join(", ")),
                        None => format!("fields: {}", names.join(", ")),
                    };
                    err(
                        &format!("data.filter.{f}"),
                        format!("{coll} have no field `{f}` to filter on"),
                        help,
                    );
                }
            }
        }
        ChartType::Line => match d.indicator.as_deref() {
            Some(i) if recs.known(Kind::Indicator, i) => {}
            Some(i) => {
                let ids = recs.ids(Kind::Indicator);
                err(
                    "data.indicator",
                    format!("there is no indicator with the id `{i}`"),
                    nearest(i, &ids).map_or_else(
                        || "name an indicator from content/indicators/".into(),
                        |n| format!("did you mean `{n}`?"),
                    ),
                );
            }
            None => err(
                "data",
                "a line chart needs `data.indicator`".into(),
                "name the indicator to draw, for example `indicator: people-returned`".into(),
            ),
        },
        ChartType::Progress => {
            for (i, id) in d.indicators.iter().flatten().enumerate() {
                let ids = recs.ids(Kind::Indicator);
                match crate::model::find(&recs.indicators, id) {
                    None if recs.known(Kind::Indicator, id) => {}
                    None => err(
                        &format!("data.indicators[{i}]"),
                        format!("there is no indicator with the id `{id}`"),
                        nearest(id, &ids).map_or_else(
                            || "name indicators from content/indicators/".into(),
                            |n| format!("did you mean `{n}`?"),
                        ),
                    ),
                    Some(ind) if ind.data.target.is_none() => err(
                        &format!("data.indicators[{i}]"),
                        format!("the indicator `{id}` has no target to measure progress against"),
                        "give it a `target`, or draw it as a line chart".into(),
                    ),
                    Some(_) => {}
                }
            }
        }
    }
    for (i, s) in c.spec.sources.iter().enumerate() {
        if !recs.known(Kind::Source, s) {
            let ids = recs.ids(Kind::Source);
            err(
                &format!("sources[{i}]"),
                format!("there is no source with the id `{s}`"),
                nearest(s, &ids).map_or_else(
                    || "name a source from content/sources/".into(),
                    |n| format!("did you mean `{n}`?"),
                ),
            );
        }
    }
    out
}

/// The built-in dashboard charts.
pub fn builtin(
    recs: &Records,
    lang: &crate::render::i18n::Lang,
    derived: &crate::render::derive::Derived,
) -> Vec<(String, ChartSpec)> {
    let tx = |k: &str| Text::plain(lang.t(k));
    let total_km: f64 = recs.roads.iter().filter_map(|r| r.data.length_km).sum();
    let with_partner = recs
        .projects
        .iter()
        .filter(|p| !p.data.partners.is_empty())
        .count();
    let mut v = Vec::new();
    if recs
        .indicators
        .iter()
        .any(|i| i.data.target.is_some() && !i.data.observations.is_empty())
    {
        v.push((
            "indicator-progress".to_string(),
            ChartSpec {
                title: tx("chart_progress_title"),
                headline: tx("chart_progress_headline"),
                kind: ChartType::Progress,
                data: DataSpec::default(),
                unit: Text::Empty,
                value_label: Text::Empty,
                category_label: tx("indicator"),
                sources: Vec::new(),
                note: Text::Empty,
            },
        ));
    }
    if !recs.roads.is_empty() {
        v.push((
            "road-length-by-status".to_string(),
            ChartSpec {
                title: tx("chart_roads_title"),
                headline: Text::plain(lang.tf(
                    "chart_roads_headline",
                    &[
                        ("open", &lang.num(derived.km_open, 1)),
                        ("total", &lang.num(total_km, 1)),
                    ],
                )),
                kind: ChartType::Bar,
                data: DataSpec {
                    collection: Some("roads".into()),
                    group_by: Some("status".into()),
                    aggregate: Aggregate::Sum,
                    field: Some("length_km".into()),
                    ..DataSpec::default()
                },
                unit: Text::plain("km"),
                value_label: tx("length"),
                category_label: tx("status"),
                sources: Vec::new(),
                note: tx("chart_roads_note"),
            },
        ));
    }
    if !recs.projects.is_empty() {
        v.push((
            "projects-by-sector".to_string(),
            ChartSpec {
                title: tx("chart_sector_title"),
                headline: Text::plain(lang.tf(
                    "chart_sector_headline",
                    &[
                        ("n", &recs.projects.len().to_string()),
                        ("completed", &derived.projects_completed.to_string()),
                    ],
                )),
                kind: ChartType::StackedBar,
                data: DataSpec {
                    collection: Some("projects".into()),
                    group_by: Some("sector".into()),
                    stack_by: Some("status".into()),
                    ..DataSpec::default()
                },
                unit: Text::Empty,
                value_label: tx("projects_count"),
                category_label: tx("sector"),
                sources: Vec::new(),
                note: Text::Empty,
            },
        ));
        if recs.projects.iter().any(|p| !p.data.partners.is_empty()) {
            v.push((
                "projects-by-partner".to_string(),
                ChartSpec {
                    title: tx("chart_partner_title"),
                    headline: Text::plain(lang.tf(
                        "chart_partner_headline",
                        &[("n", &with_partner.to_string())],
                    )),
                    kind: ChartType::StackedBar,
                    data: DataSpec {
                        collection: Some("projects".into()),
                        group_by: Some("partners".into()),
                        stack_by: Some("status".into()),
                        ..DataSpec::default()
                    },
                    unit: Text::Empty,
                    value_label: tx("projects_count"),
                    category_label: tx("partners"),
                    sources: Vec::new(),
                    note: Text::Empty,
                },
            ));
        }
    }
    v
}

/// A city's projects by sector and status, when it has any.
pub fn city_projects(city: &str, n: usize, lang: &crate::render::i18n::Lang) -> ChartSpec {
    let tx = |k: &str| Text::plain(lang.t(k));
    ChartSpec {
        title: tx("chart_city_projects_title"),
        headline: Text::plain(lang.tf_n("chart_city_projects_headline", n, &[])),
        kind: ChartType::StackedBar,
        data: DataSpec {
            collection: Some("projects".into()),
            group_by: Some("sector".into()),
            stack_by: Some("status".into()),
            filter: BTreeMap::from([("city".to_string(), city.to_string())]),
            ..DataSpec::default()
        },
        unit: Text::Empty,
        value_label: tx("projects_count"),
        category_label: tx("sector"),
        sources: Vec::new(),
        note: Text::Empty,
    }
}

/// An indicator's line chart: observations over time and the target. The headline is made
/// from the latest figure when the chart is computed.
pub fn indicator_spec(
    ind: &Entry<crate::model::Indicator>,
    lang: &crate::render::i18n::Lang,
) -> ChartSpec {
    ChartSpec {
        title: ind.data.title.clone(),
        headline: Text::Empty,
        kind: ChartType::Line,
        data: DataSpec {
            indicator: Some(ind.id().to_string()),
            ..DataSpec::default()
        },
        unit: ind.data.unit.clone(),
        value_label: Text::plain(lang.t("value")),
        category_label: Text::Empty,
        sources: Vec::new(),
        note: Text::Empty,
    }
}
