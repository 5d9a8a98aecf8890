//! Checks that need the whole site: references between records, values in range, sources
//! cited, translations present. Each problem points at the value in its file.

pub mod charts;
pub mod config;
pub mod links;
pub mod output;
pub mod pages;

use crate::load::yaml::{YamlDoc, nearest, path};
use crate::site::config::Config;
use crate::site::currency::{CURRENCIES, is_currency};
use crate::site::diagnostics::{Diagnostic, Diagnostics};
use crate::site::model::{Common, Date, Entry, Kind, LatLon, Money, Records, References, Texts};
use std::collections::BTreeSet;

/// What a check needs to know besides the records.
pub struct Context<'a> {
    pub config: &'a Config,
    /// "Today" for staleness warnings: `data_as_of`, else `SOURCE_DATE_EPOCH`, else the clock.
    pub today: Date,
    /// Whether every content file loaded. When some did not, a source may look uncited only
    /// because the record citing it failed to load, so that warning is not given.
    pub complete: bool,
}

fn doc<T>(e: &Entry<T>) -> YamlDoc<'_> {
    YamlDoc {
        file: &e.meta.file,
        text: &e.meta.yaml,
        line_offset: e.meta.yaml_line_offset,
    }
}

fn err<T>(e: &Entry<T>, at: &str, code: &'static str, msg: String, help: String) -> Diagnostic {
    Diagnostic::error(code, &e.meta.file, msg)
        .at(doc(e).locate(&path(at)))
        .help(help)
}

fn warn<T>(e: &Entry<T>, at: &str, code: &'static str, msg: String, help: String) -> Diagnostic {
    Diagnostic::warning(code, &e.meta.file, msg)
        .at(doc(e).locate_key(&path(at)))
        .help(help)
}

/// Runs every check over the records.
pub fn validate(recs: &Records, cx: &Context) -> Diagnostics {
    run(recs, cx)
}

fn run(recs: &Records, cx: &Context) -> Diagnostics {
    let mut d = Diagnostics::new();
    check_all(recs.cities.iter(), recs, cx, &mut d);
    check_all(recs.roads.iter(), recs, cx, &mut d);
    check_all(recs.projects.iter(), recs, cx, &mut d);
    check_all(recs.partners.iter(), recs, cx, &mut d);
    check_all(recs.indicators.iter(), recs, cx, &mut d);
    check_all(recs.sources.iter(), recs, cx, &mut d);

    for c in recs.cities.iter() {
        if let Some(l) = &c.data.location {
            check_latlon(c, "location", l, &mut d);
        }
    }
    for r in recs.roads.iter() {
        if let Some(len) = r.data.length_km
            && !(len > 0.0 && len.is_finite())
        {
            d.push(err(
                r,
                "length_km",
                "out-of-range",
                if len.is_finite() {
                    format!("length_km is {len}; a road's length must be more than 0")
                } else {
                    "length_km is not a number; a road's length must be more than 0".to_string()
                },
                "write the length in kilometres, for example `length_km: 44.5`, or leave the field out if unknown".into(),
            ));
        }
        if r.data.lanes == Some(0) {
            d.push(err(
                r,
                "lanes",
                "out-of-range",
                "lanes is 0".into(),
                "write the number of lanes (1 or more), or leave the field out".into(),
            ));
        }
        for (i, p) in r.data.geometry.iter().enumerate() {
            check_latlon(
                r,
                &format!("geometry[{i}]"),
                &LatLon {
                    lat: p[0],
                    lon: p[1],
                },
                &mut d,
            );
        }
        check_order(
            r,
            ("started", r.data.started),
            ("opened", r.data.opened),
            &mut d,
        );
    }
    for p in recs.projects.iter() {
        check_order(
            p,
            ("started", p.data.started),
            ("completed", p.data.completed),
            &mut d,
        );
        for (field, m) in p.data.money() {
            if let Some(m) = m {
                check_money(p, field, m, &mut d);
            }
        }
    }
    for p in recs.partners.iter() {
        if let Some(iso) = &p.data.iso
            && !(iso.len() == 2 && iso.bytes().all(|c| c.is_ascii_uppercase()))
        {
            d.push(err(
                p,
                "iso",
                "invalid-value",
                format!("`{iso}` is not an ISO 3166-1 alpha-2 country code"),
                "write two capital letters, such as UZ, KZ, KG or TR".into(),
            ));
        }
    }
    for ind in recs.indicators.iter() {
        for (i, o) in ind.data.observations.iter().enumerate() {
            if o.source.is_none() {
                d.push(err(
                    ind,
                    &format!("observations[{i}]"),
                    "unsourced-observation",
                    format!("the observation of {} has no source", o.date),
                    "every figure names where it comes from: add `source: <source id>`".into(),
                ));
            }
            if !o.value.is_finite() {
                d.push(err(
                    ind,
                    &format!("observations[{i}].value"),
                    "out-of-range",
                    "the value is not a number".into(),
                    "write a number".into(),
                ));
            }
        }
    }
    for s in recs.sources.iter() {
        if let Some(u) = &s.data.url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            d.push(err(
                s,
                "url",
                "invalid-url",
                format!("`{u}` is not a web address"),
                "write the full address, starting with https:// or http://".into(),
            ));
        }
        check_order(
            s,
            ("published", s.data.published),
            ("accessed", s.data.accessed),
            &mut d,
        );
        links::check_archive(s, &mut d);
    }

    // A source nothing cites (a check of the whole site).
    if cx.complete {
        let mut cited: BTreeSet<&str> = BTreeSet::new();
        collect_cited(&recs.cities, &mut cited);
        collect_cited(&recs.roads, &mut cited);
        collect_cited(&recs.projects, &mut cited);
        collect_cited(&recs.partners, &mut cited);
        collect_cited(&recs.indicators, &mut cited);
        for s in &recs.sources {
            if !cited.contains(s.id()) {
                d.push(
                    Diagnostic::warning(
                        "uncited-source",
                        &s.meta.file,
                        format!("no record cites the source `{}`", s.id()),
                    )
                    .help("cite it from a record's `sources`, or remove the file"),
                );
            }
        }
    }
    d
}

fn collect_cited<'a, T: References>(v: &'a [Entry<T>], out: &mut BTreeSet<&'a str>) {
    for e in v {
        for r in e.data.refs() {
            if r.target == Kind::Source {
                out.insert(r.id);
            }
        }
    }
}

fn check_all<'a, T: References + Common + Texts + 'a>(
    v: impl Iterator<Item = &'a Entry<T>>,
    recs: &Records,
    cx: &Context,
    d: &mut Diagnostics,
) {
    for e in v {
        for r in e.data.refs() {
            if !recs.known(r.target, r.id) {
                let ids = recs.ids(r.target);
                let help = match nearest(r.id, &ids) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None if ids.is_empty() => format!(
                        "there are no {} records yet: add content/{}/{}.yaml",
                        r.target.name(),
                        r.target.dir(),
                        r.id
                    ),
                    None => format!(
                        "add content/{}/{}.yaml, or use one of the existing ids",
                        r.target.dir(),
                        r.id
                    ),
                };
                d.push(err(
                    e,
                    &r.path,
                    "broken-reference",
                    format!("there is no {} with the id `{}`", r.target.name(), r.id),
                    help,
                ));
            }
        }
        let is_source = e.meta.file.starts_with("content/sources/");
        if !is_source && e.data.sources().is_empty() {
            d.push(
                Diagnostic::warning(
                    "no-sources",
                    &e.meta.file,
                    format!("the record `{}` cites no source", e.id()),
                )
                .at(doc(e).pos(1, 1))
                .help("add `sources: [<source id>]` naming where its facts come from"),
            );
        }
        if !is_source {
            match e.data.updated() {
                Some(u) if u.end().days() + 366 < cx.today.days() => d.push(warn(
                    e,
                    "updated",
                    "stale",
                    format!(
                        "the record `{}` was last updated on {u}, over a year ago",
                        e.id()
                    ),
                    "check it against its sources and set `updated` to the day you did".into(),
                )),
                _ => {}
            }
        }
        // Missing translations: one warning a record, naming the fields.
        let default = cx.config.default_lang();
        for lang in cx.config.languages.iter().skip(1) {
            let missing: Vec<String> = e
                .data
                .texts()
                .into_iter()
                .filter(|(_, t)| !t.is_empty() && !t.has(lang, default))
                .map(|(p, _)| p)
                .collect();
            let body_missing =
                e.meta.body.contains_key(default) && !e.meta.body.contains_key(lang.as_str());
            if !missing.is_empty() || body_missing {
                let mut what = missing.clone();
                if body_missing {
                    what.push("the narrative".into());
                }
                let at = missing.first().map(String::as_str).unwrap_or("");
                let help = if body_missing && missing.is_empty() {
                    format!(
                        "add {} with the narrative in `{lang}`",
                        e.meta
                            .file
                            .rsplit_once('.')
                            .map(|(s, _)| format!("{s}.{lang}.md"))
                            .unwrap_or_default()
                    )
                } else {
                    format!(
                        "give these fields a `{lang}` text, for example `name: {{{default}: …, {lang}: …}}`"
                    )
                };
                d.push(warn(
                    e,
                    at,
                    "missing-translation",
                    format!("no `{lang}` translation of: {}", what.join(", ")),
                    help,
                ));
            }
        }
    }
}

fn check_latlon<T>(e: &Entry<T>, at: &str, l: &LatLon, d: &mut Diagnostics) {
    if !LatLon::lat_ok(l.lat) {
        let p = if at.contains('[') {
            format!("{at}[0]")
        } else {
            format!("{at}.lat")
        };
        d.push(err(
            e,
            &p,
            "out-of-range",
            if l.lat.is_finite() {
                format!("latitude {} is outside -90 to 90", l.lat)
            } else {
                "latitude is not a number".to_string()
            },
            "latitude comes first and is between -90 and 90 (Lachin is about 39.64); check whether lat and lon are swapped".into(),
        ));
    }
    if !LatLon::lon_ok(l.lon) {
        let p = if at.contains('[') {
            format!("{at}[1]")
        } else {
            format!("{at}.lon")
        };
        d.push(err(
            e,
            &p,
            "out-of-range",
            if l.lon.is_finite() {
                format!("longitude {} is outside -180 to 180", l.lon)
            } else {
                "longitude is not a number".to_string()
            },
            "longitude is between -180 and 180 (Lachin is about 46.55)".into(),
        ));
    }
}

/// An amount of money: 0 or more, in a currency of the ISO 4217 table.
fn check_money<T>(e: &Entry<T>, field: &str, m: &Money, d: &mut Diagnostics) {
    if !(m.amount >= 0.0 && m.amount.is_finite()) {
        d.push(err(
            e,
            &format!("{field}.amount"),
            "out-of-range",
            format!("{field} amount is {}", m.amount),
            "write the amount as a number of 0 or more".into(),
        ));
    }
    if !is_currency(&m.currency) {
        let upper = m.currency.trim().to_ascii_uppercase();
        let help = match nearest(&upper, CURRENCIES) {
            Some(c) => {
                format!("did you mean `{c}`? Write an ISO 4217 code, such as AZN, USD or EUR")
            }
            None => "write an ISO 4217 code in capital letters, such as AZN, USD or EUR".into(),
        };
        d.push(err(
            e,
            &format!("{field}.currency"),
            "invalid-value",
            format!("`{}` is not an ISO 4217 currency code", m.currency),
            help,
        ));
    }
}

fn check_order<T>(
    e: &Entry<T>,
    (a_name, a): (&str, Option<Date>),
    (b_name, b): (&str, Option<Date>),
    d: &mut Diagnostics,
) {
    if let (Some(a), Some(b)) = (a, b)
        && b.end() < a
    {
        d.push(err(
            e,
            b_name,
            "date-order",
            format!("{b_name} ({b}) is before {a_name} ({a})"),
            format!("check both dates: {b_name} cannot come before {a_name}"),
        ));
    }
}
