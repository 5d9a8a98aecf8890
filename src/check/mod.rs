//! Checks that need the whole site: references between records, values in range, sources
//! cited, translations present. Each problem points at the value in its file.

pub mod charts;
pub mod config;
pub mod links;
pub mod markdown;
pub mod output;
pub mod pages;

use crate::load::yaml::{YamlDoc, nearest, path};
use crate::site::config::{Config, DeclType, Declared};
use crate::site::currency::{CURRENCIES, is_currency};
use crate::site::diagnostics::{Diagnostic, Diagnostics};
use crate::site::model::fields::{Field, FieldValue, Range, Rec};
use crate::site::model::{
    Date, DeclaredValue, Entry, Kind, LatLon, Meta, Observation, Partner, Records,
};
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

fn doc(e: &Meta) -> YamlDoc<'_> {
    YamlDoc {
        file: &e.file,
        text: &e.yaml,
        line_offset: e.yaml_line_offset,
    }
}

fn err(e: &Meta, at: &str, code: &'static str, msg: String, help: String) -> Diagnostic {
    Diagnostic::error(code, &e.file, msg)
        .at(doc(e).locate(&path(at)))
        .help(help)
}

fn warn(e: &Meta, at: &str, code: &'static str, msg: String, help: String) -> Diagnostic {
    Diagnostic::warning(code, &e.file, msg)
        .at(doc(e).locate_key(&path(at)))
        .help(help)
}

/// One record being judged: its kind, where it came from, and its fields.
struct Judged<'a> {
    kind: Kind,
    meta: &'a Meta,
    rec: Rec<'a>,
}

/// Runs every check over the records: each record's references, sources, freshness,
/// translations and values (as its kind's rows in the field table say), then the sources
/// nothing cites.
pub fn validate(recs: &Records, cx: &Context) -> Diagnostics {
    let mut d = Diagnostics::new();
    for kind in recs.fields.kinds() {
        for i in 0..recs.count(kind) {
            let (Some(meta), Some(rec)) = (recs.meta_at(kind, i), recs.rec(kind, i)) else {
                continue;
            };
            let e = Judged { kind, meta, rec };
            check_refs(recs, &e, &mut d);
            check_cited_and_fresh(&e, cx, &mut d);
            check_translations(recs, &e, cx, &mut d);
            for f in recs.fields.of(kind) {
                check_value(recs, &e, f, &mut d);
            }
            for decl in cx.config.declared.iter().filter(|x| x.kind == kind) {
                check_declared_enum(&e, decl, &mut d);
            }
        }
    }
    for p in &recs.partners {
        check_iso(p, &mut d);
    }
    for s in &recs.sources {
        links::check_hash(s, &mut d);
    }
    if cx.complete {
        uncited_sources(recs, &mut d);
    }
    d
}

/// Every reference names a record that exists; the help names the nearest id.
fn check_refs(recs: &Records, e: &Judged, d: &mut Diagnostics) {
    for r in recs.fields.refs(e.kind, e.rec) {
        if recs.known(r.target, r.id) {
            continue;
        }
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
            e.meta,
            &r.path,
            "broken-reference",
            format!("there is no {} with the id `{}`", r.target.name(), r.id),
            help,
        ));
    }
}

/// A record (other than a source) cites a source, and was updated within the last year.
fn check_cited_and_fresh(e: &Judged, cx: &Context, d: &mut Diagnostics) {
    if e.kind == Kind::Source {
        return;
    }
    let common = e.rec.common();
    if common.sources().is_empty() {
        d.push(
            Diagnostic::warning(
                "no-sources",
                &e.meta.file,
                format!("the record `{}` cites no source", e.meta.id),
            )
            .at(doc(e.meta).pos(1, 1))
            .help("add `sources: [<source id>]` naming where its facts come from"),
        );
    }
    if let Some(u) = common.updated()
        && u.end().days() + 366 < cx.today.days()
    {
        d.push(warn(
            e.meta,
            "updated",
            "stale",
            format!(
                "the record `{}` was last updated on {u}, over a year ago",
                e.meta.id
            ),
            "check it against its sources and set `updated` to the day you did".into(),
        ));
    }
}

/// Missing translations: one warning a record and language, naming the fields (the texts the
/// field table marks as translated) and the narrative.
fn check_translations(recs: &Records, e: &Judged, cx: &Context, d: &mut Diagnostics) {
    let default = cx.config.default_lang();
    let texts = recs.fields.texts(e.kind, e.rec);
    for lang in cx.config.languages.iter().skip(1) {
        let missing: Vec<&str> = texts
            .iter()
            .filter(|t| t.translated && !t.text.is_empty() && !t.text.has(lang, default))
            .map(|t| t.path.as_str())
            .collect();
        let body_missing =
            e.meta.body.contains_key(default) && !e.meta.body.contains_key(lang.as_str());
        if missing.is_empty() && !body_missing {
            continue;
        }
        let mut what = missing.clone();
        if body_missing {
            what.push("the narrative");
        }
        let at = missing.first().copied().unwrap_or("");
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
            e.meta,
            at,
            "missing-translation",
            format!("no `{lang}` translation of: {}", what.join(", ")),
            help,
        ));
    }
}

/// A field's value within the rules its type and its row give: a place on the globe, money
/// in a currency, a web address, a number in range, a date not before the one it follows,
/// observations with sources.
fn check_value(recs: &Records, e: &Judged, f: &Field, d: &mut Diagnostics) {
    let name = f.name.as_ref();
    match f.value(e.rec) {
        FieldValue::Location(l) => check_latlon(e.meta, name, &l, d),
        FieldValue::Line(points) => {
            for (i, p) in points.iter().enumerate() {
                let l = LatLon {
                    lat: p[0],
                    lon: p[1],
                };
                check_latlon(e.meta, &format!("{name}[{i}]"), &l, d);
            }
        }
        FieldValue::Money(amount, currency) => check_money(e.meta, name, (amount, currency), d),
        FieldValue::Url(u) => check_url(e.meta, name, u, d),
        FieldValue::Number(n) => {
            if let Some(range) = &f.range {
                check_range(e.meta, name, n, range, d);
            }
        }
        FieldValue::Date(b) => {
            let a = f
                .after
                .zip(recs.fields.field(e.kind, f.after.unwrap_or("")));
            if let Some((a_name, a)) = a
                && let FieldValue::Date(a) = a.value(e.rec)
            {
                check_order(e.meta, (a_name, Some(a)), (name, Some(b)), d);
            }
        }
        FieldValue::Observations(obs) => check_observations(e.meta, name, obs, d),
        _ => {}
    }
}

/// A declared enum's code (each, of a list) is one of the values `site.yaml` lists.
fn check_declared_enum(e: &Judged, decl: &Declared, d: &mut Diagnostics) {
    if decl.ty != DeclType::Enum {
        return;
    }
    let codes: Vec<(String, &str)> = match e.rec.common().extra().get(&decl.name) {
        Some(DeclaredValue::Code(c)) => vec![(decl.name.clone(), *c)],
        Some(DeclaredValue::List(items, _)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v {
                DeclaredValue::Code(c) => Some((format!("{}[{i}]", decl.name), *c)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for (at, code) in codes {
        if decl.values.iter().any(|v| v == code) {
            continue;
        }
        let list = decl.values.join(", ");
        let help = match nearest(code, &decl.values) {
            Some(n) => format!("did you mean `{n}`? `{}` is one of: {list}", decl.name),
            None => format!(
                "`{}` is one of: {list} (as site.yaml declares it)",
                decl.name
            ),
        };
        d.push(err(
            e.meta,
            &at,
            "invalid-value",
            format!("`{code}` is not a value of `{}`", decl.name),
            help,
        ));
    }
}

/// A number at least (or more than) its row's least value.
fn check_range(e: &Meta, name: &str, n: f64, range: &Range, d: &mut Diagnostics) {
    if range.allows(n) {
        return;
    }
    let is = if n.is_finite() {
        format!("{name} is {n}")
    } else {
        format!("{name} is not a number")
    };
    let msg = if range.rule.is_empty() {
        is
    } else {
        format!("{is}; {}", range.rule)
    };
    d.push(err(e, name, "out-of-range", msg, range.help.into()));
}

fn check_url(e: &Meta, name: &str, u: &str, d: &mut Diagnostics) {
    if !(u.starts_with("https://") || u.starts_with("http://")) {
        d.push(err(
            e,
            name,
            "invalid-url",
            format!("`{u}` is not a web address"),
            "write the full address, starting with https:// or http://".into(),
        ));
    }
}

/// Every observation names its source and is a number.
fn check_observations(e: &Meta, name: &str, obs: &[Observation], d: &mut Diagnostics) {
    for (i, o) in obs.iter().enumerate() {
        if o.source.is_none() {
            d.push(err(
                e,
                &format!("{name}[{i}]"),
                "unsourced-observation",
                format!("the observation of {} has no source", o.date),
                "every figure names where it comes from: add `source: <source id>`".into(),
            ));
        }
        if !o.value.is_finite() {
            d.push(err(
                e,
                &format!("{name}[{i}].value"),
                "out-of-range",
                "the value is not a number".into(),
                "write a number".into(),
            ));
        }
    }
}

/// A partner's country code is ISO 3166-1 alpha-2.
fn check_iso(p: &Entry<Partner>, d: &mut Diagnostics) {
    if let Some(iso) = &p.data.iso
        && !(iso.len() == 2 && iso.bytes().all(|c| c.is_ascii_uppercase()))
    {
        d.push(err(
            &p.meta,
            "iso",
            "invalid-value",
            format!("`{iso}` is not an ISO 3166-1 alpha-2 country code"),
            "write two capital letters, such as UZ, KZ, KG or TR".into(),
        ));
    }
}

/// A source nothing cites (a check of the whole site; what a source cites does not count).
fn uncited_sources(recs: &Records, d: &mut Diagnostics) {
    let mut cited: BTreeSet<&str> = BTreeSet::new();
    for kind in recs.fields.kinds().filter(|k| *k != Kind::Source) {
        for i in 0..recs.count(kind) {
            let Some(rec) = recs.rec(kind, i) else {
                continue;
            };
            for r in recs.fields.refs(kind, rec) {
                if r.target == Kind::Source {
                    cited.insert(r.id);
                }
            }
        }
    }
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

fn check_latlon(e: &Meta, at: &str, l: &LatLon, d: &mut Diagnostics) {
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
fn check_money(e: &Meta, field: &str, (amount, currency): (f64, &str), d: &mut Diagnostics) {
    if !(amount >= 0.0 && amount.is_finite()) {
        d.push(err(
            e,
            &format!("{field}.amount"),
            "out-of-range",
            format!("{field} amount is {amount}"),
            "write the amount as a number of 0 or more".into(),
        ));
    }
    if !is_currency(currency) {
        let upper = currency.trim().to_ascii_uppercase();
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
            format!("`{currency}` is not an ISO 4217 currency code"),
            help,
        ));
    }
}

fn check_order(
    e: &Meta,
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
