//! View models: what a template sees of a record, already in the page's language (labels,
//! numbers and dates formatted). Paths are relative to the language's home (`cities/lachin/`);
//! templates put `{{ home }}` in front.

use crate::draw::SourceView;
use crate::link::Derived;
use crate::site::lang::Lang;
use crate::site::markdown::{self, MdOptions};
use crate::site::model::fields::{Field, FieldTable, FieldType, FieldValue, Rec, Role};
use crate::site::model::sort_key;
use crate::site::model::{
    City, Common, Date, Entry, Indicator, Item, Kind, Partner, Project, Records, Road, Source, Text,
};
use serde::Serialize;

/// Everything a view needs to know about the site and language.
pub struct Env<'a> {
    pub recs: &'a Records,
    pub derived: &'a Derived,
    pub lang: &'a Lang,
    pub default_lang: &'a str,
    /// Language names by code, for "shown in English" notes.
    pub lang_names: &'a [(String, String)],
    pub md: MdOptions<'a>,
    /// Charts by (language, id), for ```chart blocks in narratives.
    pub charts: Option<&'a super::ChartTable>,
    /// The site's exchange rates, which totals in several currencies are converted by.
    pub rates: Option<&'a crate::site::config::ExchangeRates>,
}

/// A problem found while building views: a narrative whose file changed during the build, so
/// it cannot be read again (identical problems are reported once). What a narrative says is
/// judged in the check stage (`check::markdown`), never here.
#[derive(Debug, Clone)]
pub struct ViewProblem {
    pub code: &'static str,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Status {
    pub code: String,
    pub label: String,
}

/// A link to a record.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    pub title: String,
    pub path: String,
    /// The language of the title when it is not the page's (a fallback).
    pub title_lang: Option<String>,
    pub status: Option<Status>,
    pub note: Option<String>,
}

/// One piece of a fact's value: text, possibly a link inside the site or out of it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Part {
    pub text: String,
    pub path: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
}

impl Part {
    fn text(s: impl Into<String>) -> Self {
        Part {
            text: s.into(),
            path: None,
            url: None,
            lang: None,
        }
    }
}

/// A labelled field of a record, in plain language.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Fact {
    pub key: String,
    pub label: String,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HistoryView {
    pub date: String,
    pub date_iso: String,
    pub kind_code: String,
    pub kind_label: String,
    pub note: String,
    pub note_lang: Option<String>,
    pub record: Option<Link>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ObservationView {
    pub date: String,
    pub date_iso: String,
    pub value: String,
    pub raw_value: f64,
    pub source: Option<SourceView>,
    pub note: String,
    pub note_lang: Option<String>,
    /// Another source gives a different figure for the same date.
    pub disputed: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Group {
    pub key: String,
    pub heading: String,
    /// The first [`RELATED_MAX`] items.
    pub items: Vec<Link>,
    /// How many there are in all.
    pub total: usize,
    /// Said when not all are listed.
    pub more: Option<String>,
}

/// The most links a group of related records lists on a page: a source cited by 60,000
/// records must not make a page of 60,000 links. The open data has them all.
pub const RELATED_MAX: usize = 100;

/// The headline figure of an indicator: its latest value against its target.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Progress {
    pub value: String,
    pub raw_value: f64,
    pub unit: String,
    pub as_of: String,
    pub source: Option<SourceView>,
    pub target: Option<String>,
    pub raw_target: Option<f64>,
    pub percent: Option<String>,
    pub raw_percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecordView {
    pub kind: Kind,
    pub kind_label: String,
    /// The collection's folder (`cities`) and plural name, for breadcrumbs.
    pub kind_dir: String,
    pub kind_plural: String,
    pub id: String,
    pub path: String,
    pub title: String,
    pub title_lang: Option<String>,
    pub summary: String,
    pub summary_lang: Option<String>,
    /// A longer description (an indicator's definition).
    pub description: String,
    pub description_lang: Option<String>,
    pub status: Option<Status>,
    pub facts: Vec<Fact>,
    pub body_html: String,
    pub body_lang: Option<String>,
    /// The language names the page falls back to, if any part is untranslated.
    pub fallback_note: Option<String>,
    pub sources: Vec<SourceView>,
    pub history: Vec<HistoryView>,
    pub updated: Option<String>,
    pub updated_iso: Option<String>,
    /// `t.last_updated` with the date filled in.
    pub updated_note: Option<String>,
    pub related: Vec<Group>,
    pub observations: Vec<ObservationView>,
    pub progress: Option<Progress>,
    pub disputed: bool,
    /// The record as a link, for lists.
    pub link: Link,
    /// Charts shown on the record's page, as HTML made by berpa.
    pub charts: Vec<String>,
    /// A locator map, as HTML made by berpa.
    pub map: Option<String>,
}

impl Env<'_> {
    fn lang_name(&self, code: &str) -> String {
        self.lang_names
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| code.to_string())
    }

    /// A text in the page's language, and the language it is really in when it fell back.
    pub fn text(&self, t: &Text) -> (String, Option<String>) {
        let l = t.get(&self.lang.code, self.default_lang);
        (l.text.to_string(), l.fallback.map(str::to_string))
    }

    pub fn num(&self, v: f64) -> String {
        self.lang.num(v, 2)
    }

    pub fn date(&self, d: Date) -> String {
        self.lang.date(d)
    }

    /// The title of any record, for links.
    pub fn title_of(&self, kind: Kind, id: &str) -> (String, Option<String>) {
        let t = self
            .derived
            .position(kind, id)
            .and_then(|i| self.recs.title_at(kind, i));
        match t.map(|(_, t)| t) {
            Some(t) => self.text(t),
            None => (id.to_string(), None),
        }
    }

    fn status_of(&self, kind: Kind, id: &str) -> Option<Status> {
        let field = self.recs.fields.status(kind)?;
        let rec = self.recs.rec(kind, self.derived.position(kind, id)?)?;
        match (field.ty, field.value(rec)) {
            (FieldType::Enum(list), FieldValue::Code(code)) => Some(self.status(list, code)),
            _ => None,
        }
    }

    pub fn status(&self, list: &str, code: &str) -> Status {
        Status {
            code: code.to_string(),
            label: self.lang.code(list, code),
        }
    }

    pub fn link(&self, kind: Kind, id: &str) -> Link {
        let (title, title_lang) = self.title_of(kind, id);
        Link {
            title,
            path: record_path(kind, id),
            title_lang,
            status: self.status_of(kind, id),
            note: None,
        }
    }

    fn link_part(&self, kind: Kind, id: &str) -> Part {
        let l = self.link(kind, id);
        Part {
            text: l.title,
            path: Some(l.path),
            url: None,
            lang: l.title_lang,
        }
    }

    pub fn source_view(&self, id: &str) -> Option<SourceView> {
        let s = self.recs.source(id)?;
        let (title, mut title_lang) = self.text(&s.data.title);
        // A publication's title is in the publication's language.
        if let Some(l) = &s.data.language
            && matches!(s.data.title, Text::Plain(_))
        {
            title_lang = (l != &self.lang.code).then(|| l.clone());
        }
        Some(SourceView {
            id: id.to_string(),
            path: record_path(Kind::Source, id),
            title,
            title_lang,
            publisher: self.text(&s.data.publisher).0,
            kind_code: s.data.publisher_kind.map(|k| k.code().to_string()),
            kind_label: s
                .data
                .publisher_kind
                .map(|k| self.lang.code("publisher_kind", k.code())),
            published: s.data.published.map(|d| self.date(d)),
            published_iso: s.data.published.map(|d| d.to_string()),
            url: s.data.url.clone().filter(|u| markdown::is_safe_url(u)),
        })
    }

    fn history_views<T: Common>(&self, e: &T) -> Vec<HistoryView> {
        let mut v: Vec<HistoryView> = e
            .history()
            .iter()
            .map(|h| self.history_view(h, None))
            .collect();
        v.sort_by(|a, b| b.date_iso.cmp(&a.date_iso));
        v
    }

    pub fn history_view(
        &self,
        h: &crate::site::model::HistoryEntry,
        record: Option<Link>,
    ) -> HistoryView {
        let (note, note_lang) = self.text(&h.note);
        HistoryView {
            date: self.date(h.date),
            date_iso: h.date.to_string(),
            kind_code: h.kind.code().to_string(),
            kind_label: self.lang.code("history_kind", h.kind.code()),
            note,
            note_lang,
            record,
        }
    }

    fn fact(&self, key: &str, parts: Vec<Part>) -> Option<Fact> {
        if parts.is_empty() || parts.iter().all(|p| p.text.is_empty()) {
            return None;
        }
        Some(Fact {
            key: key.to_string(),
            label: self.lang.t(key).to_string(),
            parts,
        })
    }

    fn text_part(&self, t: &Text) -> Vec<Part> {
        if t.is_empty() {
            return Vec::new();
        }
        let (text, lang) = self.text(t);
        vec![Part {
            text,
            path: None,
            url: None,
            lang,
        }]
    }

    /// Amounts per currency, each with this language's separators and its code, in the order of
    /// the codes: `12,000,000 AZN; 3,500,000 USD`. Never one number for several currencies.
    /// With the site's exchange rates, amounts in another currency than theirs are also given
    /// as one converted amount, naming the rates' source and date.
    pub fn totals(&self, t: &crate::link::Totals) -> String {
        let each = t
            .iter()
            .map(|(code, amount)| format!("{} {code}", self.num(*amount)))
            .collect::<Vec<_>>()
            .join("; ");
        let Some(x) = self.rates else {
            return each;
        };
        if t.keys().all(|c| *c == x.to) {
            return each;
        }
        match x.convert(t.iter().map(|(c, a)| (c.as_str(), *a))) {
            Some(sum) => {
                let converted = self.lang.tf(
                    "converted_total",
                    &[
                        ("amount", &format!("{} {}", self.num(sum), x.to)),
                        ("source", &self.text(&x.source).0),
                        ("date", &self.date(x.date)),
                    ],
                );
                format!("{each} ({converted})")
            }
            None => each,
        }
    }

    /// A project's final cost against its budget, in per cent: only when both are in one
    /// currency and the budget is more than 0.
    fn overrun_fact(&self, p: &Project) -> Option<Fact> {
        let (b, f) = (p.budget.as_ref()?, p.final_cost.as_ref()?);
        if b.currency != f.currency || b.amount <= 0.0 {
            return None;
        }
        let percent = (f.amount - b.amount) / b.amount * 100.0;
        let (key, shown) = if percent >= 0.0 {
            ("cost_over", percent)
        } else {
            ("cost_under", -percent)
        };
        let text = self.lang.tf(key, &[("percent", &self.lang.num(shown, 1))]);
        self.fact("cost_against_budget", vec![Part::text(text)])
    }

    /// A completed project's completion against its planned date, in months: only when both
    /// dates give their month.
    fn completion_fact(&self, p: &Project) -> Option<Fact> {
        let (plan, done) = (p.planned_completion?, p.completed?);
        let months =
            |d: crate::site::model::Date| Some(i64::from(d.year) * 12 + i64::from(d.month?));
        let late = months(done)? - months(plan)?;
        let text = match late {
            0 => self.lang.t("completed_on_time").to_string(),
            n if n > 0 => self.lang.tf_n("completed_late", n as usize, &[]),
            n => self
                .lang
                .tf_n("completed_early", n.unsigned_abs() as usize, &[]),
        };
        self.fact("completion_against_plan", vec![Part::text(text)])
    }

    /// The budgets of a settlement's or a partner's projects, per currency, as a fact.
    fn budget_fact(&self, kind: Kind, id: &str) -> Option<Fact> {
        let t = self.derived.budget(kind, id)?;
        self.fact("budget_total", vec![Part::text(self.totals(t))])
    }

    /// The facts of a record: the fields the field table shows on its page, in their order.
    fn facts(&self, kind: Kind, rec: Rec) -> Vec<Fact> {
        self.recs
            .fields
            .placed(kind, |f| f.page)
            .into_iter()
            .filter_map(|f| self.fact(&f.label_key, self.field_parts(f, &f.value(rec))))
            .collect()
    }

    /// A field's value as parts of a fact, formatted as its type is.
    fn field_parts(&self, f: &Field, v: &FieldValue) -> Vec<Part> {
        let one = |s: String| vec![Part::text(s)];
        match v {
            FieldValue::Missing => Vec::new(),
            FieldValue::Text(t) => self.text_part(t),
            FieldValue::Texts(list) => list.iter().flat_map(|t| self.text_part(t)).collect(),
            FieldValue::Plain(s) => one(s.to_string()),
            FieldValue::Number(n) => match (&f.unit_key, f.ty) {
                (Some(unit), _) => one(self.lang.tf(unit, &[("value", &self.num(*n))])),
                (None, FieldType::Integer) => one(n.to_string()),
                (None, _) => one(self.num(*n)),
            },
            FieldValue::Money(amount, currency) => one(format!("{} {currency}", self.num(*amount))),
            FieldValue::Date(d) => one(self.date(*d)),
            FieldValue::Code(c) => match f.ty {
                FieldType::Enum(list) => one(self.lang.code(list, c)),
                _ => one(c.to_string()),
            },
            FieldValue::Codes(cs) => cs
                .iter()
                .map(|c| match f.ty {
                    FieldType::Enum(list) => Part::text(self.lang.code(list, c)),
                    _ => Part::text(*c),
                })
                .collect(),
            FieldValue::Url(u) => Some(u.to_string())
                .filter(|u| markdown::is_safe_url(u))
                .map(|u| {
                    vec![Part {
                        text: u.clone(),
                        path: None,
                        url: Some(u),
                        lang: None,
                    }]
                })
                .unwrap_or_default(),
            FieldValue::Bool(b) => one(self.lang.t(if *b { "yes" } else { "no" }).to_string()),
            FieldValue::Refs(ids) => match f.ty {
                FieldType::Ref(target) => ids.iter().map(|id| self.link_part(target, id)).collect(),
                _ => ids.iter().map(|id| Part::text(*id)).collect(),
            },
            FieldValue::Location(l) => one(self.lang.tf(
                "coordinates",
                &[
                    ("lat", &self.lang.num(l.lat, 4)),
                    ("lon", &self.lang.num(l.lon, 4)),
                ],
            )),
            FieldValue::Target(t) => one(match t.by {
                Some(by) => self.lang.tf(
                    "value_by",
                    &[("value", &self.num(t.value)), ("date", &self.date(by))],
                ),
                None => self.num(t.value),
            }),
            FieldValue::Line(_) | FieldValue::Observations(_) => Vec::new(),
        }
    }

    fn group(&self, key: &str, kind: Kind, ids: &[String]) -> Option<Group> {
        if ids.is_empty() {
            return None;
        }
        let mut items: Vec<Link> = ids.iter().map(|id| self.link(kind, id)).collect();
        items.sort_by_cached_key(|l| sort_key(&self.lang.code, &l.title));
        Some(self.capped(key, items))
    }

    /// The records of each kind pointing at a record through a field the site declares, where
    /// the record's page has no group of that kind already (`shown`): a settlement twinned
    /// with another, a partner a road names.
    fn declared_related(&self, kind: Kind, id: &str, shown: &[Kind]) -> Vec<Group> {
        self.recs
            .fields
            .kinds()
            .filter(|from| *from != Kind::Source && !shown.contains(from))
            .filter(|from| {
                self.recs.fields.of(*from).iter().any(|f| {
                    matches!(f.get, crate::site::model::fields::Get::Declared)
                        && f.ty == FieldType::Ref(kind)
                })
            })
            .filter_map(|from| {
                let ids = self.derived.pointing_at(kind, id, from);
                let mut g = self.group(&format!("related_{}", from.dir()), from, ids)?;
                g.heading = self.lang.collection(from.name(), true).to_string();
                Some(g)
            })
            .collect()
    }

    /// A group of links, listing at most [`RELATED_MAX`] of them.
    fn capped(&self, key: &str, mut items: Vec<Link>) -> Group {
        let total = items.len();
        items.truncate(RELATED_MAX);
        let more = (total > items.len()).then(|| {
            self.lang.tf(
                "related_more",
                &[
                    ("shown", &self.lang.num(items.len() as f64, 0)),
                    ("total", &self.lang.num(total as f64, 0)),
                ],
            )
        });
        Group {
            key: key.to_string(),
            heading: self.lang.t(key).to_string(),
            items,
            total,
            more,
        }
    }

    /// The language a record's narrative is shown in, when it is not the page's.
    fn body_lang(&self, meta: &crate::site::model::Meta) -> Option<String> {
        (!meta.body.contains_key(&self.lang.code) && meta.body.contains_key(self.default_lang))
            .then(|| self.default_lang.to_string())
    }

    /// Renders a narrative in the page's language (or the default's).
    pub fn body(
        &self,
        meta: &crate::site::model::Meta,
        depth: usize,
        problems: &mut Vec<ViewProblem>,
    ) -> (String, Option<String>) {
        let (body, lang) = match meta.body.get(&self.lang.code) {
            Some(b) => (b, None),
            None => match meta.body.get(self.default_lang) {
                Some(b) => (b, Some(self.default_lang.to_string())),
                None => return (String::new(), None),
            },
        };
        // The narrative sits below its section's <h2> (templates/record.html).
        let r = self.narrative(body, depth, markdown::UNDER_H2, problems);
        (r.html, lang)
    }

    /// Renders a narrative (read from its file if it was left there) whose first heading is an
    /// `<h{top}>`, reporting a file that cannot be read again. Its links and chart blocks were
    /// judged in the check stage; one that leads nowhere is rendered without it.
    pub fn narrative(
        &self,
        body: &crate::site::model::Body,
        depth: usize,
        top: u8,
        problems: &mut Vec<ViewProblem>,
    ) -> markdown::Rendered {
        let md = match crate::load::narrative(body) {
            Ok(md) => md,
            Err(d) => {
                problems.push(ViewProblem {
                    code: d.code,
                    file: d.file,
                    line: d.line,
                    column: d.column,
                    message: d.message,
                    help: d.help.unwrap_or_default(),
                });
                return self.markdown("", depth, top);
            }
        };
        self.markdown(&md, depth, top)
    }

    /// Renders Markdown for a page `depth` folders below the language home, its first heading
    /// an `<h{top}>`.
    pub fn markdown(&self, md: &str, depth: usize, top: u8) -> markdown::Rendered {
        let up = "../".repeat(depth);
        let home = up.clone();
        let recs = self.recs;
        let default_lang = self.default_lang;
        let resolve = move |target: &str| -> Result<String, String> {
            crate::check::markdown::resolve(recs, default_lang, target).map(|rel| up.clone() + &rel)
        };
        let embed = move |id: &str| -> Result<String, String> {
            let table = self
                .charts
                .ok_or_else(|| "charts are not available here".to_string())?;
            let table = table
                .read()
                .map_err(|_| "charts are not available".to_string())?;
            match table.get(&(self.lang.code.clone(), id.to_string())) {
                Some(figure) => Ok(figure.replace(crate::draw::HOME_MARK, &home)),
                None => match super::city_chart(self, id) {
                    Some(d) => Ok(d.figure.replace(crate::draw::HOME_MARK, &home)),
                    // Its file failed to load: that file's error says so.
                    None if recs.failed.charts.contains(id) => Ok(String::new()),
                    None => Err(format!("there is no chart `{id}` in content/charts/")),
                },
            }
        };
        let opts = MdOptions {
            top_heading: top,
            ..self.md
        };
        markdown::render_with(md, opts, &resolve, &embed)
    }

    fn fallback_note(&self, langs: &[&Option<String>]) -> Option<String> {
        let l = langs.iter().find_map(|l| l.as_ref())?;
        Some(self.lang.tf(
            "not_translated",
            &[("in_lang", &self.lang.in_language(l, &self.lang_name(l)))],
        ))
    }

    fn common_view<T: Common>(&self, kind: Kind, e: &Entry<T>, title: &Text) -> RecordView {
        let (title, title_lang) = self.text(title);
        let (summary, summary_lang) = self.text(e.data.summary());
        // The narrative itself is rendered only for the record's own page (see
        // `render::record_page`): lists and links need none of it.
        let body_lang = self.body_lang(&e.meta);
        // A source's title is the publication's own, in its own language: never a fallback.
        let title_fell_back = if kind == Kind::Source {
            &None
        } else {
            &title_lang
        };
        let fallback_note = self.fallback_note(&[title_fell_back, &summary_lang, &body_lang]);
        let updated = e.data.updated().map(|d| self.date(d));
        let sources = e
            .data
            .sources()
            .iter()
            .filter_map(|s| self.source_view(s))
            .collect();
        let link = Link {
            title: title.clone(),
            path: record_path(kind, e.id()),
            title_lang: title_lang.clone(),
            status: self.status_of(kind, e.id()),
            note: None,
        };
        RecordView {
            kind,
            kind_label: self.lang.collection(kind.name(), false).to_string(),
            kind_dir: kind.dir().to_string(),
            kind_plural: self.lang.collection(kind.name(), true).to_string(),
            id: e.id().to_string(),
            path: record_path(kind, e.id()),
            title,
            title_lang,
            summary,
            summary_lang,
            description: String::new(),
            description_lang: None,
            status: link.status.clone(),
            facts: Vec::new(),
            body_html: String::new(),
            body_lang,
            fallback_note,
            sources,
            history: self.history_views(&e.data),
            updated_note: updated
                .as_ref()
                .map(|d| self.lang.tf("last_updated", &[("date", d)])),
            updated,
            updated_iso: e.data.updated().map(|d| d.to_string()),
            related: Vec::new(),
            observations: Vec::new(),
            progress: None,
            disputed: false,
            link,
            charts: Vec::new(),
            map: None,
        }
    }

    pub fn city(&self, e: &Entry<City>) -> RecordView {
        let c = &e.data;
        let mut v = self.common_view(Kind::City, e, &c.name);
        v.facts = self.facts(Kind::City, Rec::City(c));
        v.facts.extend(self.budget_fact(Kind::City, e.id()));
        let d = self.derived;
        v.related = [
            self.group(
                "roads_here",
                Kind::Road,
                d.pointing_at(Kind::City, e.id(), Kind::Road),
            ),
            self.group(
                "projects_here",
                Kind::Project,
                d.pointing_at(Kind::City, e.id(), Kind::Project),
            ),
            self.group(
                "indicators_here",
                Kind::Indicator,
                d.pointing_at(Kind::City, e.id(), Kind::Indicator),
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        let shown = [Kind::Road, Kind::Project, Kind::Indicator];
        v.related
            .extend(self.declared_related(Kind::City, e.id(), &shown));
        v
    }

    /// A record of a collection the site declares.
    pub fn item(&self, kind: Kind, e: &Entry<Item>) -> RecordView {
        let mut v = self.common_view(kind, e, &e.data.name);
        v.facts = self.facts(kind, Rec::Item(&e.data));
        v.related = self.declared_related(kind, e.id(), &[]);
        v
    }

    pub fn road(&self, e: &Entry<Road>) -> RecordView {
        let r = &e.data;
        let mut v = self.common_view(Kind::Road, e, &r.name);
        v.facts = self.facts(Kind::Road, Rec::Road(r));
        v.related = self.declared_related(Kind::Road, e.id(), &[]);
        v
    }

    pub fn project(&self, e: &Entry<Project>) -> RecordView {
        let p = &e.data;
        let mut v = self.common_view(Kind::Project, e, &p.title);
        v.facts = self.facts(Kind::Project, Rec::Project(p));
        v.facts.extend(self.overrun_fact(p));
        v.related = self.declared_related(Kind::Project, e.id(), &[]);
        v.facts.extend(self.completion_fact(p));
        v
    }

    pub fn partner(&self, e: &Entry<Partner>) -> RecordView {
        let p = &e.data;
        let mut v = self.common_view(Kind::Partner, e, &p.name);
        v.facts = self.facts(Kind::Partner, Rec::Partner(p));
        v.facts.extend(self.budget_fact(Kind::Partner, e.id()));
        v.related = self
            .group(
                "projects_here",
                Kind::Project,
                self.derived
                    .pointing_at(Kind::Partner, e.id(), Kind::Project),
            )
            .into_iter()
            .collect();
        v.related
            .extend(self.declared_related(Kind::Partner, e.id(), &[Kind::Project]));
        v
    }

    pub fn indicator(&self, e: &Entry<Indicator>) -> RecordView {
        let ind = &e.data;
        let mut v = self.common_view(Kind::Indicator, e, &ind.title);
        (v.description, v.description_lang) = self.text(&ind.description);
        let (unit, _) = self.text(&ind.unit);
        v.facts = self.facts(Kind::Indicator, Rec::Indicator(ind));
        let mut obs: Vec<(usize, &crate::site::model::Observation)> =
            ind.observations.iter().enumerate().collect();
        obs.sort_by(|a, b| a.1.date.cmp(&b.1.date).then(a.0.cmp(&b.0)));
        v.observations = obs
            .iter()
            .map(|(_, o)| {
                let disputed = ind
                    .observations
                    .iter()
                    .any(|x| x.date == o.date && x.value != o.value && x.source != o.source);
                let (note, note_lang) = self.text(&o.note);
                ObservationView {
                    date: self.date(o.date),
                    date_iso: o.date.to_string(),
                    value: self.qualified(o),
                    raw_value: o.value,
                    source: o.source.as_deref().and_then(|s| self.source_view(s)),
                    note,
                    note_lang,
                    disputed,
                }
            })
            .collect();
        v.disputed = v.observations.iter().any(|o| o.disputed);
        v.progress = self.progress(ind, &unit);
        v
    }

    fn target_text(&self, t: &crate::site::model::Target) -> String {
        match t.by {
            Some(by) => self.lang.tf(
                "target_by",
                &[("value", &self.num(t.value)), ("date", &self.date(by))],
            ),
            None => self.num(t.value),
        }
    }

    /// A value with its qualifier: "more than 25,000".
    pub fn qualified(&self, o: &crate::site::model::Observation) -> String {
        let n = self.num(o.value);
        match o.qualifier {
            Some(q) => {
                crate::site::lang::fill(&self.lang.code("qualifier", q.code()), &[("value", &n)])
            }
            None => n,
        }
    }

    /// The latest observation (the last in date order; of several on that date, the first
    /// written) against the target.
    pub fn progress(&self, ind: &Indicator, unit: &str) -> Option<Progress> {
        let latest = ind
            .observations
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.date.cmp(&b.1.date).then(b.0.cmp(&a.0)))?
            .1;
        let target = ind.target.as_ref();
        let pct = target
            .filter(|t| t.value > 0.0)
            .map(|t| latest.value / t.value * 100.0);
        Some(Progress {
            value: self.qualified(latest),
            raw_value: latest.value,
            unit: unit.to_string(),
            as_of: self.date(latest.date),
            source: latest.source.as_deref().and_then(|s| self.source_view(s)),
            target: target.map(|t| self.target_text(t)),
            raw_target: target.map(|t| t.value),
            percent: pct.map(|p| format!("{}%", self.lang.num(p, 1))),
            raw_percent: pct,
        })
    }

    pub fn source(&self, e: &Entry<Source>) -> RecordView {
        let s = &e.data;
        let mut v = self.common_view(Kind::Source, e, &s.title);
        v.facts = self.facts(Kind::Source, Rec::Source(s));
        let mut citers: Vec<Link> = Vec::new();
        for kind in self.recs.fields.kinds() {
            for id in self.derived.pointing_at(Kind::Source, e.id(), kind) {
                let mut l = self.link(kind, id);
                l.note = Some(self.lang.collection(kind.name(), false).to_string());
                citers.push(l);
            }
        }
        if !citers.is_empty() {
            v.related.push(self.capped("cited_by", citers));
        }
        v
    }
}

/// A cell of a list page's table.
#[derive(Serialize, Default, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    pub path: Option<String>,
    pub lang: Option<String>,
    pub status: Option<String>,
    pub numeric: bool,
    /// What the table's script sorts the cell by when its text will not do: a number as
    /// written in the data, a date in ISO 8601 (`2024-03-12`). See [`sort_keys`].
    pub sort: Option<String>,
    /// What the table's script writes for the cell in a CSV of the rows shown, when neither
    /// its text nor its sort value will do: an amount with its currency (`1000000 AZN`).
    pub csv: Option<String>,
}

pub fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        ..Cell::default()
    }
}

fn num_cell(s: String) -> Cell {
    Cell {
        text: if s.is_empty() { "—".into() } else { s },
        numeric: true,
        ..Cell::default()
    }
}

/// The headings of a collection's list table: the labels of its listed fields.
pub fn list_columns(lang: &Lang, fields: &FieldTable, kind: Kind) -> Vec<String> {
    let mut keys = Vec::new();
    for f in fields.placed(kind, |f| f.listed) {
        match f.ty {
            // The latest observation: its value and its date.
            FieldType::Observations => keys.extend(["latest", "date"]),
            _ => keys.push(f.label_key.as_ref()),
        }
    }
    keys.iter().map(|k| lang.t(k).to_string()).collect()
}

/// A fact of a record's view as plain text.
fn fact_text(v: &RecordView, key: &str) -> String {
    v.facts
        .iter()
        .find(|f| f.key == key)
        .map(|f| {
            f.parts
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// One record's row of its collection's list table (headings: [`list_columns`]).
pub fn list_row(fields: &FieldTable, kind: Kind, v: &RecordView) -> Vec<Cell> {
    let mut row = Vec::new();
    let progress = v.progress.as_ref();
    for f in fields.placed(kind, |f| f.listed) {
        match (f.role, f.ty) {
            (Role::Title, _) => row.push(Cell {
                text: v.title.clone(),
                path: Some(v.path.clone()),
                lang: v.title_lang.clone(),
                ..Cell::default()
            }),
            (Role::Status, _) => row.push(match &v.status {
                Some(s) => Cell {
                    text: s.label.clone(),
                    status: Some(s.code.clone()),
                    ..Cell::default()
                },
                None => cell("—"),
            }),
            (_, FieldType::Observations) => {
                row.push(num_cell(
                    progress
                        .map(|p| format!("{} {}", p.value, p.unit))
                        .unwrap_or_default(),
                ));
                row.push(cell(progress.map(|p| p.as_of.clone()).unwrap_or_default()));
            }
            (_, FieldType::Target) => row.push(cell(
                progress.and_then(|p| p.target.clone()).unwrap_or_default(),
            )),
            (_, FieldType::Backlinks(_)) => {
                let n = v
                    .related
                    .iter()
                    .find(|g| g.key == f.label_key)
                    .map_or(0, |g| g.total);
                row.push(num_cell(n.to_string()));
            }
            (_, FieldType::Number | FieldType::Integer | FieldType::Money) => {
                row.push(num_cell(fact_text(v, &f.label_key)))
            }
            _ => row.push(cell(fact_text(v, &f.label_key))),
        }
    }
    row
}

/// A record's page path below the language home.
pub fn record_path(kind: Kind, id: &str) -> String {
    format!("{}/{id}/", kind.dir())
}

/// Gives a record's list cells ([`list_row`]) of dates, numbers and money their sort values,
/// read from the record.
pub fn sort_keys(fields: &FieldTable, kind: Kind, rec: Rec, cells: &mut [Cell]) {
    let mut at = 0;
    for f in fields.placed(kind, |f| f.listed) {
        let (key, csv) = match f.value(rec) {
            FieldValue::Date(d) => (Some(d.to_string()), None),
            FieldValue::Number(n) => (Some(crate::draw::plain(n)), None),
            FieldValue::Money(amount, currency) => {
                let plain = crate::draw::plain(amount);
                (Some(plain.clone()), Some(format!("{plain} {currency}")))
            }
            _ => (None, None),
        };
        if let (Some(key), Some(c)) = (key, cells.get_mut(at)) {
            c.sort = Some(key);
            c.csv = csv;
        }
        at += if f.ty == FieldType::Observations {
            2
        } else {
            1
        };
    }
}

#[cfg(test)]
mod tests {
    use super::sort_key;

    fn sorted(lang: &str, names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by_cached_key(|s| sort_key(lang, s));
        v
    }

    #[test]
    fn numbers_sort_by_value() {
        assert_eq!(
            sorted(
                "en",
                &[
                    "School No. 10",
                    "School No. 2",
                    "School No. 1",
                    "School No. 02b"
                ]
            ),
            [
                "School No. 1",
                "School No. 2",
                "School No. 02b",
                "School No. 10"
            ]
        );
        // Numbers still sort before words, as digits do.
        assert_eq!(
            sorted("en", &["Zangilan", "5th settlement"]),
            ["5th settlement", "Zangilan"]
        );
    }

    #[test]
    fn names_sort_in_the_alphabet_of_the_language() {
        // Azerbaijani: a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v y z.
        assert_eq!(
            sorted(
                "az",
                &["Əhmədbəyli", "Bərdə", "Ağdam", "Qubadlı", "Cəbrayıl"]
            ),
            ["Ağdam", "Bərdə", "Cəbrayıl", "Əhmədbəyli", "Qubadlı"]
        );
        assert_eq!(
            sorted(
                "az",
                &["Xocalı", "Şuşa", "Sabirabad", "İstisu", "Işıqlı", "Hadrut"]
            ),
            ["Hadrut", "Xocalı", "Işıqlı", "İstisu", "Sabirabad", "Şuşa"]
        );
        // English: accents are a later difference, so Ağalı sorts among the Ag…
        assert_eq!(
            sorted("en", &["Aghdam", "Ağalı", "Shusha", "Şuşa", "Sabirabad"]),
            ["Ağalı", "Aghdam", "Sabirabad", "Shusha", "Şuşa"]
        );
        // …and a language the CLDR does not tailor sorts by the root order.
        assert_eq!(sorted("xx", &["b", "a"]), ["a", "b"]);
        assert_ne!(sort_key("az", "Ağalı"), sort_key("az", "Agali"));
    }
}
