//! The editions' pages in every language: their list (`editions/`), one page per edition
//! (`editions/<date>/`, its data and what changed since the one before) and what changed since
//! the newest edition (`changes/`).

use super::views::{Env, record_path};
use super::{Input, Page};
use crate::edition::changes::{Changes, Figure, RecordRef};
use crate::edition::{Editions, Published};
use crate::export::cite::Citation;
use crate::plan::{CHANGES_PAGE, EDITIONS_PAGE};
use crate::site::model::fields::FieldType;
use crate::site::model::{Date, Kind, Observation, Text};
use crate::write::sink::Origin;
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
struct Download {
    label: String,
    /// Relative to the site root (an edition's files are the same for every language).
    href: String,
    media_type: &'static str,
}

#[derive(Serialize)]
struct EditionView {
    date: String,
    date_iso: String,
    /// Below the language's home.
    path: String,
    downloads: Vec<Download>,
    summary: String,
    /// The edition of the current data.
    current: bool,
}

/// A record named on the page; `path` only when it is still in the site.
#[derive(Serialize)]
struct Rec {
    title: String,
    title_lang: Option<String>,
    path: Option<String>,
}

#[derive(Serialize)]
struct FigureRow {
    record: Rec,
    old: String,
    new: String,
    old_source: Option<Rec>,
    new_source: Option<Rec>,
}

#[derive(Serialize)]
struct FieldRow {
    record: Rec,
    field: String,
    old: String,
    new: String,
}

#[derive(Serialize)]
struct LogRow {
    record: Rec,
    date: String,
    date_iso: String,
    kind_code: String,
    kind_label: String,
    note: String,
    note_lang: Option<String>,
}

#[derive(Serialize)]
struct ChangesView {
    since: String,
    since_iso: String,
    since_path: String,
    since_label: String,
    until: String,
    summary: String,
    added: Vec<Rec>,
    removed: Vec<Rec>,
    figures: Vec<FigureRow>,
    fields: Vec<FieldRow>,
    log: Vec<LogRow>,
}

/// A text of the open data's JSON (a map of language to text, or a plain string) in the page's
/// language, with the language it fell back to.
fn pick(env: &Env, v: &Value) -> (String, Option<String>) {
    match v {
        Value::String(s) => (s.clone(), None),
        Value::Object(m) => {
            let code = env.lang.code.as_str();
            if let Some(s) = m.get(code).and_then(Value::as_str) {
                return (s.to_string(), None);
            }
            m.get(env.default_lang)
                .map(|s| (env.default_lang, s))
                .or_else(|| m.iter().next().map(|(k, s)| (k.as_str(), s)))
                .and_then(|(k, s)| Some((s.as_str()?.to_string(), Some(k.to_string()))))
                .unwrap_or_default()
        }
        _ => (String::new(), None),
    }
}

fn rec(env: &Env, r: &RecordRef) -> Rec {
    let kind = env.recs.fields.kind(&r.collection);
    let (title, title_lang) = pick(env, &r.title);
    Rec {
        title: if title.is_empty() {
            r.id.clone()
        } else {
            title
        },
        title_lang,
        path: kind
            .filter(|k| env.recs.position(*k, &r.id).is_some())
            .map(|k| record_path(k, &r.id)),
    }
}

fn source_rec(env: &Env, id: &Option<String>) -> Option<Rec> {
    let id = id.as_ref()?;
    let exists = env.recs.source(id).is_some();
    let (title, title_lang) = env.title_of(Kind::Source, id);
    Some(Rec {
        title,
        title_lang,
        path: exists.then(|| record_path(Kind::Source, id)),
    })
}

fn figure(env: &Env, f: &Option<Figure>) -> String {
    let Some(f) = f else {
        return "—".into();
    };
    let o = Observation {
        date: Date::parse(&f.date).unwrap_or(Date::ymd(1970, 1, 1)),
        value: f.value,
        source: None,
        qualifier: f
            .qualifier
            .as_ref()
            .and_then(|q| serde_json::from_value(Value::String(q.clone())).ok()),
        note: Text::Empty,
    };
    format!("{} ({})", env.qualified(&o), env.date(o.date))
}

/// A field's value for a reader: a date, number, code label, amount of money or text.
fn show(env: &Env, ty: Option<FieldType>, v: &Option<Value>) -> String {
    let Some(v) = v else {
        return "—".into();
    };
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), |f| env.num(f)),
        Value::String(s) => match (ty, Date::parse(s)) {
            (Some(FieldType::Enum(list)), _) => env.lang.code(list, s),
            (_, Ok(d)) => env.date(d),
            _ => s.clone(),
        },
        Value::Array(a) => a
            .iter()
            .map(|x| show(env, ty, &Some(x.clone())))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(m) => {
            if let (Some(amount), Some(cur)) = (m.get("amount"), m.get("currency")) {
                let mut s = format!(
                    "{} {}",
                    show(env, None, &Some(amount.clone())),
                    cur.as_str().unwrap_or_default()
                );
                if let Some(d) = m.get("date") {
                    s.push_str(&format!(" ({})", show(env, None, &Some(d.clone()))));
                }
                return s;
            }
            let (text, _) = pick(env, v);
            if !text.is_empty() {
                return text;
            }
            m.iter()
                .map(|(k, x)| format!("{k}: {}", show(env, None, &Some(x.clone()))))
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
}

fn changes_view(env: &Env, c: &Changes) -> ChangesView {
    let lang = env.lang;
    let field_of = |coll: &str, name: &str| {
        env.recs
            .fields
            .kind(coll)
            .and_then(|k| env.recs.fields.field(k, name))
    };
    ChangesView {
        since: env.date(c.since),
        since_iso: c.since.to_string(),
        since_path: format!("{EDITIONS_PAGE}/{}/", c.since),
        since_label: lang.tf("changes_since", &[("date", &env.date(c.since))]),
        until: env.date(c.until),
        summary: c.summary(lang),
        added: c.added.iter().map(|r| rec(env, r)).collect(),
        removed: c.removed.iter().map(|r| rec(env, r)).collect(),
        figures: c
            .figures
            .iter()
            .map(|f| FigureRow {
                record: rec(env, &f.record),
                old: figure(env, &f.old),
                new: figure(env, &f.new),
                old_source: f.old.as_ref().and_then(|o| source_rec(env, &o.source)),
                new_source: f.new.as_ref().and_then(|o| source_rec(env, &o.source)),
            })
            .collect(),
        fields: c
            .fields
            .iter()
            .map(|f| {
                let field = field_of(&f.record.collection, &f.field);
                FieldRow {
                    record: rec(env, &f.record),
                    field: field.map_or_else(|| f.field.clone(), |x| lang.t(&x.label_key).into()),
                    old: show(env, field.map(|x| x.ty), &f.old),
                    new: show(env, field.map(|x| x.ty), &f.new),
                }
            })
            .collect(),
        log: c
            .log
            .iter()
            .map(|l| {
                let (note, note_lang) = pick(env, &l.note);
                let date = Date::parse(&l.date).ok();
                LogRow {
                    record: rec(env, &l.record),
                    date: date.map_or_else(|| l.date.clone(), |d| env.date(d)),
                    date_iso: l.date.clone(),
                    kind_label: lang.code("history_kind", &l.kind),
                    kind_code: l.kind.clone(),
                    note,
                    note_lang,
                }
            })
            .collect(),
    }
}

fn media_type(name: &str) -> &'static str {
    if name.ends_with(".csv") {
        "text/csv"
    } else if name.ends_with(".geojson") {
        "application/geo+json"
    } else {
        "application/json"
    }
}

fn edition_view(env: &Env, eds: &Editions, p: &Published) -> EditionView {
    let e = &p.edition;
    EditionView {
        date: env.date(e.date),
        date_iso: e.date.to_string(),
        path: e.path(),
        downloads: e
            .files
            .iter()
            .map(|(name, _)| Download {
                label: name.clone(),
                href: format!("{}{name}", e.path()),
                media_type: media_type(name),
            })
            .collect(),
        summary: p.changes.as_ref().map_or_else(
            || env.lang.t("edition_first").to_string(),
            |c| c.summary(env.lang),
        ),
        current: eds.cited == Some(e.date),
    }
}

/// The list of editions, newest first.
pub(crate) fn list_job(env: &Env, input: &Input) -> Page {
    let lang = env.lang;
    let eds = input.editions;
    let list: Vec<EditionView> = eds
        .list
        .iter()
        .rev()
        .map(|p| edition_view(env, eds, p))
        .collect();
    let mut extra = tera::Context::new();
    extra.insert("editions", &list);
    extra.insert("changes_path", &format!("{CHANGES_PAGE}/"));
    Page {
        path: format!("{EDITIONS_PAGE}/"),
        template: "editions.html".into(),
        title: lang.t("editions").to_string(),
        description: lang.t("editions_intro").to_string(),
        extra,
        list: None,
        origin: super::made_page("the editions page", env),
    }
}

/// The page of edition `i`: its data and what changed since the one before.
pub(crate) fn edition_job(env: &Env, input: &Input, i: usize) -> Page {
    let lang = env.lang;
    let p = &input.editions.list[i];
    let view = edition_view(env, input.editions, p);
    let mut extra = tera::Context::new();
    extra.insert("edition", &Some(&view));
    extra.insert("changes", &p.changes.as_ref().map(|c| changes_view(env, c)));
    extra.insert("none_text", lang.t("edition_first"));
    Page {
        path: p.edition.path(),
        template: "changes.html".into(),
        title: lang.tf("edition_title", &[("date", &view.date)]),
        description: lang.tf("edition_intro", &[("date", &view.date)]),
        extra,
        list: None,
        origin: super::made_page(&format!("the page of edition {}", p.edition.date), env),
    }
}

/// What changed since the newest edition before the current data.
pub(crate) fn changes_job(env: &Env, input: &Input) -> Page {
    let lang = env.lang;
    let c = input.editions.current.as_ref();
    let mut extra = tera::Context::new();
    extra.insert("edition", &None::<EditionView>);
    extra.insert("changes", &c.map(|c| changes_view(env, c)));
    extra.insert("none_text", lang.t("changes_no_edition"));
    let title = match c {
        Some(c) => lang.tf("changes_title", &[("date", &env.date(c.since))]),
        None => lang.t("changes").to_string(),
    };
    Page {
        path: format!("{CHANGES_PAGE}/"),
        template: "changes.html".into(),
        title,
        description: lang.t("changes_intro").to_string(),
        extra,
        list: None,
        origin: super::made_page("the changes page", env),
    }
}

/// A record page's suggested citation.
#[derive(Serialize)]
struct CiteView {
    text: String,
    intro: String,
}

/// The context a record page adds for its suggested citation (`cite`); its CSL-JSON and BibTeX
/// files are put beside the page (`prefix` is the language's folder, such as `az/`).
pub(crate) fn record_cite(
    input: &Input,
    env: &Env,
    prefix: &str,
    (kind, id): (Kind, &str),
    title: &str,
) -> tera::Context {
    let lang = env.lang;
    let c = Citation::new(
        input.config,
        input.editions,
        (kind, id, title),
        &lang.code,
        prefix,
    );
    let dir = format!("{prefix}{}", record_path(kind, id));
    input.sink.put(
        format!("{dir}cite.json"),
        c.csl_json(),
        Origin::record(kind, id),
    );
    input.sink.put(
        format!("{dir}cite.bib"),
        c.bibtex().into_bytes(),
        Origin::record(kind, id),
    );
    let date = c.date.map_or_else(|| "—".to_string(), |d| lang.date(d));
    let (key, intro) = if c.edition {
        ("cite_record_edition", "cite_record_intro")
    } else {
        ("cite_record_current", "cite_record_intro_current")
    };
    let text = lang.tf(
        key,
        &[
            ("publisher", &c.publisher),
            ("title", &c.title),
            ("site", &c.site),
            ("date", &date),
            ("url", &c.url),
        ],
    );
    let mut ctx = tera::Context::new();
    ctx.insert(
        "cite",
        &CiteView {
            text,
            intro: lang.t(intro).to_string(),
        },
    );
    ctx
}
