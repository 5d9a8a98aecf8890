//! Declarative charts: `content/charts/<id>.yaml` names a title, a headline, a chart type and
//! its data (a collection grouped and aggregated, optionally filtered; or indicators). The
//! built-in dashboard charts are specs too, so both go through one path.

use crate::draw::SourceView;
use crate::draw::{Body, Category, Chart, Point, ProgressRow, Series};
use crate::render::views::{Env, record_path};
use crate::site::model::chart::{Aggregate, ChartSpec, ChartType, DataSpec};
use crate::site::model::fields::{Field, FieldType, FieldValue};
use crate::site::model::sort_key;
use crate::site::model::{Entry, Kind, Records, Text};
use std::collections::BTreeMap;

/// The order of a code list's codes, for ordering categories and stacks.
fn code_order(list: &str) -> Vec<&'static str> {
    use crate::site::model::*;
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

/// The field of a collection a chart may use, by name: one it may group by, or a number it
/// may sum (`check::charts` says which is which).
fn chart_field<'a>(recs: &'a Records, kind: Kind, name: &str) -> Option<&'a Field> {
    recs.fields
        .field(kind, name)
        .filter(|f| f.groupable.is_some() || f.is_number())
}

fn value<'a>(recs: &'a Records, kind: Kind, i: usize, field: &str) -> Value<'a> {
    let f = chart_field(recs, kind, field);
    match f.zip(recs.rec(kind, i)).map(|(f, r)| f.value(r)) {
        Some(FieldValue::Code(c)) => Value::Codes(vec![c]),
        Some(FieldValue::Codes(cs)) => Value::Codes(cs),
        Some(FieldValue::Refs(ids)) => Value::Ids(ids),
        Some(FieldValue::Text(t)) => Value::Text(t),
        Some(FieldValue::Number(n)) => Value::Number(n),
        _ => Value::Missing,
    }
}

/// The positions of the records a filter may keep: when it names a referenced record (projects
/// of `city: fuzuli`), only the records that point at it, from the backlinks; otherwise all.
/// (A chart on each of N city pages must not read all N projects each time.)
fn candidates(env: &Env, kind: Kind, filter: &BTreeMap<String, String>) -> Vec<usize> {
    for (field, want) in filter {
        if let Some(FieldType::Ref(target)) = chart_field(env.recs, kind, field).map(|f| f.ty) {
            let ids = env.derived.pointing_at(target, want, kind);
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
fn provenance(
    recs: &Records,
    kind: Kind,
    i: usize,
) -> (&[String], Option<crate::site::model::Date>) {
    match recs.rec(kind, i) {
        Some(r) => (r.common().sources(), r.common().updated()),
        None => (&[], None),
    }
}

/// (key, label, link, order) of each group a record's field puts it in.
fn groups(env: &Env, kind: Kind, i: usize, field: &str) -> Vec<(String, String, Option<String>)> {
    let f = chart_field(env.recs, kind, field);
    let fk = f.map(|f| f.ty);
    match value(env.recs, kind, i, field) {
        Value::Codes(cs) => {
            let list = match fk {
                Some(FieldType::Enum(l)) => l,
                _ => "",
            };
            cs.into_iter()
                .map(|c| (c.to_string(), env.lang.code(list, c), None))
                .collect()
        }
        Value::Ids(ids) => {
            let target = match fk {
                Some(FieldType::Ref(k)) => k,
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
        Value::Number(n) => vec![(crate::draw::plain(n), env.lang.num(n, 2), None)],
        // A record with no partners is in no partner's group; a missing code or text is "not known".
        Value::Missing if f.is_some_and(|f| f.many && matches!(f.ty, FieldType::Ref(_))) => {
            Vec::new()
        }
        Value::Missing => vec![(String::new(), env.lang.t("unknown").to_string(), None)],
    }
}

/// An amount of money of a record, in the site's exchange rates' currency when it has them and
/// `convert` (a chart of one currency's amounts is not converted; a sum of amounts in several
/// currencies without rates is refused by `check::charts`).
fn money(env: &Env, kind: Kind, i: usize, field: &str, convert: bool) -> Option<f64> {
    let f = env.recs.fields.field(kind, field)?;
    let FieldValue::Money(amount, currency) = f.value(env.recs.rec(kind, i)?) else {
        return None;
    };
    match env.rates {
        Some(x) if convert => x.convert([(currency, amount)]).or(Some(amount)),
        _ => Some(amount),
    }
}

/// Whether a record counts in a chart of one currency's amounts (`currency: AZN`): its amount
/// is in that currency. Every record counts in any other chart.
fn in_currency(env: &Env, kind: Kind, i: usize, d: &DataSpec) -> bool {
    let (Some(code), Some(field)) = (&d.currency, &d.field) else {
        return true;
    };
    let f = env.recs.fields.field(kind, field);
    match f.zip(env.recs.rec(kind, i)).map(|(f, r)| f.value(r)) {
        Some(FieldValue::Money(_, c)) => c == code,
        _ => false,
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
    code: &str,
    recs: &Records,
    kind: Kind,
    field: &str,
    seen: &BTreeMap<String, (String, Option<String>)>,
) -> Vec<(String, String, Option<String>)> {
    let mut v: Vec<(String, String, Option<String>)> = seen
        .iter()
        .map(|(k, (l, p))| (k.clone(), l.clone(), p.clone()))
        .collect();
    match chart_field(recs, kind, field).map(|f| f.ty) {
        Some(FieldType::Enum(list)) => {
            let order = code_order(list);
            v.sort_by_key(|(k, _, _)| order.iter().position(|c| c == k).unwrap_or(usize::MAX));
        }
        Some(FieldType::Number | FieldType::Integer) => v.sort_by(|a, b| {
            a.0.parse::<f64>()
                .unwrap_or(0.0)
                .total_cmp(&b.0.parse::<f64>().unwrap_or(0.0))
        }),
        _ => v.sort_by_cached_key(|(k, label, _)| (sort_key(code, label), k.clone())),
    }
    // "Not known" last.
    v.sort_by_key(|(k, _, _)| k.is_empty());
    v
}

/// Computes a chart from its spec, in the environment's language.
/// What a chart's data gives besides its body: its sources, date, notes and a headline made
/// from the data (when the spec has none).
struct Made {
    sources: Vec<SourceView>,
    as_of: Option<String>,
    notes: Vec<String>,
    headline: Option<String>,
}

pub fn compute(id: &str, spec: &ChartSpec, env: &Env) -> Chart {
    let lang = env.lang;
    let t = |x: &Text| env.text(x).0;
    let mut made = Made {
        sources: spec
            .sources
            .iter()
            .filter_map(|s| env.source_view(s))
            .collect(),
        as_of: None,
        notes: Vec::new(),
        headline: None,
    };
    if !spec.note.is_empty() {
        made.notes.push(t(&spec.note));
    }
    let body = match spec.kind {
        ChartType::Bar | ChartType::StackedBar => bar_body(spec, env, &mut made),
        ChartType::Line => line_body(spec, env, &mut made),
        ChartType::Progress => progress_body(spec, env, &mut made),
    };
    let Made {
        sources,
        as_of,
        notes,
        headline: generated_headline,
    } = made;
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

/// A bar chart's categories and series: the records it counts, grouped (and stacked).
fn bar_body(spec: &ChartSpec, env: &Env, made: &mut Made) -> Body {
    let t = |x: &Text| env.text(x).0;
    let kind = spec
        .data
        .collection
        .as_deref()
        .and_then(|dir| env.recs.fields.kind(dir))
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
    let mut latest: Option<crate::site::model::Date> = None;
    for i in candidates(env, kind, &spec.data.filter) {
        if !matches(env, kind, i, &spec.data.filter) || !in_currency(env, kind, i, &spec.data) {
            continue;
        }
        let (srcs, updated) = provenance(env.recs, kind, i);
        source_ids.extend(srcs.iter().map(String::as_str));
        latest = latest.max(updated);
        let amount = match (spec.data.aggregate, spec.data.field.as_deref()) {
            (Aggregate::Sum, Some(f)) => match value(env.recs, kind, i, f) {
                Value::Number(n) => n,
                _ => {
                    let convert = spec.data.currency.is_none();
                    money(env, kind, i, f, convert).unwrap_or(0.0)
                }
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
        made.sources = source_ids
            .iter()
            .filter_map(|s| env.source_view(s))
            .collect();
        made.sources
            .sort_by_cached_key(|s| (sort_key(&env.lang.code, &s.publisher), s.id.clone()));
    }
    made.as_of = latest.map(|d| env.date(d));
    let cat_list = ordered(&env.lang.code, env.recs, kind, group_by, &cats);
    let stack_list = match stack_by {
        Some(s) => ordered(&env.lang.code, env.recs, kind, s, &stacks),
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
                    .map(|(ck, _, _)| cells.get(&(ck.clone(), sk.clone())).copied().unwrap_or(0.0))
                    .collect(),
                status,
            })
            .collect(),
    }
}

/// A tracked figure's line, its headline and its notes (approximate figures, disagreeing
/// sources).
fn line_body(spec: &ChartSpec, env: &Env, made: &mut Made) -> Body {
    let lang = env.lang;
    let ind = spec
        .data
        .indicator
        .as_deref()
        .and_then(|i| crate::site::model::find(&env.recs.indicators, i));
    match ind {
        Some(ind) => {
            if spec.headline.is_empty() {
                let (unit, _) = env.text(&ind.data.unit);
                if let Some(p) = env.progress(&ind.data, &unit) {
                    let value = format!("{} {unit}", p.value);
                    made.headline = Some(match &p.percent {
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
                if !made.sources.iter().any(|x| x.id == s.id) {
                    made.sources.push(s);
                }
            }
            made.as_of = date;
            if ind.data.observations.iter().any(|o| o.qualifier.is_some()) {
                made.notes.push(lang.t("chart_qualified_note").to_string());
            }
            let obs = &ind.data.observations;
            if obs.iter().any(|a| {
                obs.iter()
                    .any(|b| a.date == b.date && a.value != b.value && a.source != b.source)
            }) {
                made.notes.push(lang.t("sources_disagree").to_string());
            }
            body
        }
        None => Body::Line {
            points: Vec::new(),
            target: None,
        },
    }
}

/// A progress chart's rows: the latest figure of each tracked figure with a target.
fn progress_body(spec: &ChartSpec, env: &Env, made: &mut Made) -> Body {
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
        let Some(ind) = crate::site::model::find(&env.recs.indicators, id) else {
            continue;
        };
        let (unit, _) = env.text(&ind.data.unit);
        let (Some(p), Some(target)) = (env.progress(&ind.data, &unit), &ind.data.target) else {
            continue;
        };
        if let Some(s) = &p.source
            && !made.sources.iter().any(|x| x.id == s.id)
        {
            made.sources.push(s.clone());
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

/// An indicator's observations as a line, its target as a marked line, and its sources.
pub fn indicator_line(
    env: &Env,
    ind: &Entry<crate::site::model::Indicator>,
) -> (Body, Vec<SourceView>, Option<String>) {
    let mut obs: Vec<(usize, &crate::site::model::Observation)> = ind
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

/// The built-in dashboard charts.
pub fn builtin(
    recs: &Records,
    lang: &crate::site::lang::Lang,
    derived: &crate::link::Derived,
    rates: Option<&crate::site::config::ExchangeRates>,
) -> Vec<(String, ChartSpec)> {
    let mut v = Vec::new();
    if recs
        .indicators
        .iter()
        .any(|i| i.data.target.is_some() && !i.data.observations.is_empty())
    {
        v.push(progress_chart(lang));
    }
    if !recs.roads.is_empty() {
        v.push(roads_chart(recs, lang, derived));
    }
    if !recs.projects.is_empty() {
        v.push(sector_chart(recs, lang, derived));
        if recs.projects.iter().any(|p| !p.data.partners.is_empty()) {
            v.push(partner_chart(recs, lang));
        }
    }
    v.extend(budget_charts(recs, lang, rates));
    v
}

/// The built-in chart of the tracked figures' progress towards their targets.
fn progress_chart(lang: &crate::site::lang::Lang) -> (String, ChartSpec) {
    let tx = |k: &str| Text::plain(lang.t(k));
    (
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
    )
}

/// The built-in chart of road length by status.
fn roads_chart(
    recs: &Records,
    lang: &crate::site::lang::Lang,
    derived: &crate::link::Derived,
) -> (String, ChartSpec) {
    let tx = |k: &str| Text::plain(lang.t(k));
    let total_km: f64 = recs.roads.iter().filter_map(|r| r.data.length_km).sum();
    (
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
    )
}

/// The built-in chart of projects by sector and status.
fn sector_chart(
    recs: &Records,
    lang: &crate::site::lang::Lang,
    derived: &crate::link::Derived,
) -> (String, ChartSpec) {
    let tx = |k: &str| Text::plain(lang.t(k));
    (
        "projects-by-sector".to_string(),
        ChartSpec {
            title: tx("chart_sector_title"),
            headline: Text::plain(lang.tf_by(
                "chart_sector_headline",
                recs.projects.len(),
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
    )
}

/// The built-in chart of projects by partner and status.
fn partner_chart(recs: &Records, lang: &crate::site::lang::Lang) -> (String, ChartSpec) {
    let tx = |k: &str| Text::plain(lang.t(k));
    let with_partner = recs
        .projects
        .iter()
        .filter(|p| !p.data.partners.is_empty())
        .count();
    (
        "projects-by-partner".to_string(),
        ChartSpec {
            title: tx("chart_partner_title"),
            headline: Text::plain(lang.tf_n("chart_partner_headline", with_partner, &[])),
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
    )
}

/// The charts of budgets the home page shows: (id suffix, the one currency it keeps, its
/// unit, its note). All budgets in one currency, or each converted by the site's exchange
/// rates: one chart (its note names whose rates of which day). Several currencies that cannot
/// be converted: one chart per currency (`budget-by-sector-azn`), never one sum of them.
fn budget_plan(
    recs: &Records,
    lang: &crate::site::lang::Lang,
    rates: Option<&crate::site::config::ExchangeRates>,
) -> Vec<(String, Option<String>, String, Option<String>)> {
    let mut currencies: Vec<&str> = recs
        .projects
        .iter()
        .filter_map(|p| p.data.budget.as_ref().map(|b| b.currency.as_str()))
        .collect();
    currencies.sort_unstable();
    currencies.dedup();
    match (currencies.as_slice(), rates) {
        ([], _) => Vec::new(),
        (_, Some(x))
            if currencies
                .iter()
                .all(|c| *c == x.to || x.rates.contains_key(*c)) =>
        {
            let note = (currencies != [x.to.as_str()]).then(|| {
                let source = x.source.get(&lang.code, "").text.to_string();
                lang.tf(
                    "chart_budget_converted",
                    &[("source", &source), ("date", &lang.date(x.date))],
                )
            });
            vec![(String::new(), None, x.to.clone(), note)]
        }
        ([one], _) => vec![(String::new(), None, one.to_string(), None)],
        _ => currencies
            .iter()
            .map(|c| {
                (
                    format!("-{}", c.to_lowercase()),
                    Some(c.to_string()),
                    c.to_string(),
                    None,
                )
            })
            .collect(),
    }
}

/// The ids of the home page's charts of budgets, in order ([`budget_plan`]).
pub fn budget_chart_ids(
    recs: &Records,
    lang: &crate::site::lang::Lang,
    rates: Option<&crate::site::config::ExchangeRates>,
) -> Vec<String> {
    budget_charts(recs, lang, rates)
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// "Budget by sector" and "funding by partner", when any project has a budget.
fn budget_charts(
    recs: &Records,
    lang: &crate::site::lang::Lang,
    rates: Option<&crate::site::config::ExchangeRates>,
) -> Vec<(String, ChartSpec)> {
    let with_partner = recs
        .projects
        .iter()
        .any(|p| p.data.budget.is_some() && !p.data.partners.is_empty());
    let charts = [
        (
            "budget-by-sector",
            "sector",
            "chart_budget_sector_title",
            true,
        ),
        (
            "funding-by-partner",
            "partners",
            "chart_funding_partner_title",
            with_partner,
        ),
    ];
    let plan = budget_plan(recs, lang, rates);
    let mut out = Vec::new();
    for (id, group_by, title, _) in charts.into_iter().filter(|c| c.3) {
        for (suffix, currency, unit, note) in &plan {
            let mut notes: Vec<String> = note.iter().cloned().collect();
            if group_by == "partners" {
                notes.push(lang.t("chart_funding_partner_note").to_string());
            }
            let title = match currency {
                Some(c) => format!("{} ({c})", lang.t(title)),
                None => lang.t(title).to_string(),
            };
            let spec = ChartSpec {
                title: Text::plain(title),
                headline: Text::plain(lang.tf("chart_budget_headline", &[("currency", unit)])),
                kind: ChartType::Bar,
                data: DataSpec {
                    collection: Some("projects".into()),
                    group_by: Some(group_by.into()),
                    aggregate: Aggregate::Sum,
                    field: Some("budget".into()),
                    currency: currency.clone(),
                    ..DataSpec::default()
                },
                unit: Text::plain(unit.clone()),
                value_label: Text::plain(format!("{} ({unit})", lang.t("budget"))),
                category_label: Text::plain(lang.t(group_by)),
                sources: Vec::new(),
                note: Text::plain(notes.join(" ")),
            };
            out.push((format!("{id}{suffix}"), spec));
        }
    }
    out
}

/// A city's projects by sector and status, when it has any.
pub fn city_projects(city: &str, n: usize, lang: &crate::site::lang::Lang) -> ChartSpec {
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
    ind: &Entry<crate::site::model::Indicator>,
    lang: &crate::site::lang::Lang,
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
