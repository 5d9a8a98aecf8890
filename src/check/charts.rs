//! The rules about chart specs: the collections, fields, indicators and sources they name.

use crate::load::yaml::{YamlDoc, nearest, path};
use crate::site::diagnostics::Diagnostic;
use crate::site::model::chart::{Aggregate, ChartEntry, ChartType, DataSpec};
use crate::site::model::fields::{FieldType, FieldValue};
use crate::site::model::{Kind, Records};

/// A chart that sums an amount of money (`aggregate: sum, field: budget`) over records whose
/// amounts are in several currencies: an error unless the site's exchange rates convert each of
/// them (a sum never adds different currencies into one number otherwise).
pub fn money_sums(
    c: &ChartEntry,
    recs: &Records,
    rates: Option<&crate::site::config::ExchangeRates>,
) -> Option<Diagnostic> {
    let d = &c.spec.data;
    let doc = YamlDoc {
        file: &c.file,
        text: &c.yaml,
        line_offset: 0,
    };
    let kind = recs.fields.kind(d.collection.as_deref()?)?;
    let field = recs.fields.field(kind, d.field.as_deref()?)?;
    if let Some(code) = &d.currency {
        let problem = if d.aggregate != Aggregate::Sum || field.ty != FieldType::Money {
            Some(("`currency` picks the amounts of a sum of money (`aggregate: sum` of a field such as `budget`)".to_string(), "remove `currency`, or sum an amount of money".to_string()))
        } else if !crate::site::currency::is_currency(code) {
            Some((
                format!("`{code}` is not a currency code"),
                "write an ISO 4217 currency code in capitals, such as AZN, USD or EUR".to_string(),
            ))
        } else {
            None
        };
        return problem.map(|(m, h)| {
            Diagnostic::error("chart-spec", &c.file, m)
                .at(doc.locate(&path("data.currency")))
                .help(h)
        });
    }
    if d.aggregate != Aggregate::Sum || field.ty != FieldType::Money {
        return None;
    }
    let mut currencies: Vec<&str> = (0..recs.count(kind))
        .filter_map(|i| match field.value(recs.rec(kind, i)?) {
            FieldValue::Money(_, c) => Some(c),
            _ => None,
        })
        .collect();
    currencies.sort_unstable();
    currencies.dedup();
    let converted = rates.is_some_and(|x| {
        currencies
            .iter()
            .all(|c| *c == x.to || x.rates.contains_key(*c))
    });
    if currencies.len() < 2 || converted {
        return None;
    }
    let help = match rates {
        Some(x) => format!(
            "add a rate for each of them to `exchange_rates.rates` in site.yaml (into {}), or chart one currency with `currency: {}`",
            x.to, currencies[0]
        ),
        None => format!(
            "declare `exchange_rates` in site.yaml (the rates, their source and date; docs/content.md) to convert them into one currency, or chart one currency with `currency: {}`",
            currencies[0]
        ),
    };
    Some(
        Diagnostic::error(
            "chart-spec",
            &c.file,
            format!(
                "the {} of {} are in {}: their sum would add different currencies into one number",
                field.name,
                kind.dir(),
                currencies.join(", ")
            ),
        )
        .at(doc.locate(&path("data.field")))
        .help(help),
    )
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
    match c.spec.kind {
        ChartType::Bar | ChartType::StackedBar => check_bars(c, recs, &mut err),
        ChartType::Line => check_line(&c.spec.data, recs, &mut err),
        ChartType::Progress => check_progress(&c.spec.data, recs, &mut err),
    }
    check_sources(c, recs, &mut err);
    out
}

/// Reports a problem: where (a path in the spec), what, and what to do.
type Report<'a> = dyn FnMut(&str, String, String) + 'a;

/// A bar chart's collection, then its fields.
fn check_bars(c: &ChartEntry, recs: &Records, err: &mut Report) {
    let d = &c.spec.data;
    let Some(coll) = d.collection.as_deref() else {
        err(
            "data",
            "a bar chart needs `data.collection`".into(),
            "name the records to count, for example `collection: projects`".into(),
        );
        return;
    };
    let dirs: Vec<&str> = recs.fields.kinds().map(|k| k.dir()).collect();
    let Some(kind) = recs.fields.kind(coll) else {
        let help = match nearest(coll, &dirs) {
            Some(n) => format!("did you mean `{n}`? collections are: {}", dirs.join(", ")),
            None => format!("collections are: {}", dirs.join(", ")),
        };
        err(
            "data.collection",
            format!("there is no collection `{coll}`"),
            help,
        );
        return;
    };
    check_bar_fields(c, recs, kind, coll, err);
}

/// The fields a bar chart groups, stacks, sums and filters by: fields of its collection that
/// may be charted.
fn check_bar_fields(c: &ChartEntry, recs: &Records, kind: Kind, coll: &str, err: &mut Report) {
    let d = &c.spec.data;
    // A chart may group, stack and filter by the same fields, and sum the numbers among them.
    let chartable = recs.fields.groupable(kind);
    let names: Vec<&str> = chartable.iter().map(|f| f.name.as_ref()).collect();
    let group_names = &names;
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
            if let Some((m, h)) = field_problem(g, group_names) {
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
                if let Some((m, h)) = field_problem(s, group_names) {
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
        // Numbers, and amounts of money (summed per currency: see `money_sums`).
        let numeric: Vec<&str> = recs
            .fields
            .of(kind)
            .iter()
            .filter(|f| (f.is_number() || f.ty == FieldType::Money) && !f.many)
            .map(|f| f.name.as_ref())
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

/// A line chart's tracked figure.
fn check_line(d: &DataSpec, recs: &Records, err: &mut Report) {
    match d.indicator.as_deref() {
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
    }
}

/// A progress chart's tracked figures, each with a target.
fn check_progress(d: &DataSpec, recs: &Records, err: &mut Report) {
    for (i, id) in d.indicators.iter().flatten().enumerate() {
        let ids = recs.ids(Kind::Indicator);
        match crate::site::model::find(&recs.indicators, id) {
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

/// The sources a spec names.
fn check_sources(c: &ChartEntry, recs: &Records, err: &mut Report) {
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
}
