//! The search index: one compact JSON file per language (`search-index.json`,
//! `az/search-index.json`) that `search.js` loads the first time a reader uses the search box.
//!
//! Each record is one object with short keys: `t` its name in the page's language, `n` its names
//! in every other language (so a reader may type either), `k` its kind, `w` where it is (a
//! settlement's district, a project's or figure's place), `s` its status, `p` its page below the
//! language's home. `labels` holds the interface strings the script shows.

use super::feeds::lang_prefix;
use crate::site::config::Config;
use crate::site::lang::Lang;
use crate::site::model::fields::{FieldType, FieldValue};
use crate::site::model::sort_key;
use crate::site::model::{Kind, Records, Text};
use crate::write::Sink;
use crate::write::sink::Origin;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Item {
    /// The name in the index's language (falling back to the default language).
    pub t: String,
    /// The record's names in the other languages, when they differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub n: Vec<String>,
    /// The kind, as the language names it.
    pub k: String,
    /// Where: the district, the settlement, or the place a figure covers.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub w: String,
    /// The status label.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub s: String,
    /// The page, relative to the language's home.
    pub p: String,
}

/// The path of a language's search index in the output.
pub fn index_path(cfg: &Config, code: &str) -> String {
    format!("{}search-index.json", lang_prefix(cfg, code))
}

fn names(t: &Text, shown: &str, default: &str) -> Vec<String> {
    let mut v: Vec<String> = t
        .all(default)
        .into_values()
        .filter(|s| !s.trim().is_empty() && s != shown)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Record `i` of collection `kind`, as the index in `lang` shows it.
fn item(cfg: &Config, recs: &Records, lang: &Lang, kind: Kind, i: usize) -> Item {
    let d = cfg.default_lang();
    let code = lang.code.as_str();
    let text = |t: &Text| t.in_lang(code, d).to_string();
    let city_name = |id: Option<&String>| {
        id.and_then(|id| recs.city(id))
            .map(|c| text(&c.data.name))
            .unwrap_or_default()
    };
    let status =
        |list: &str, code: Option<&str>| code.map(|c| lang.code(list, c)).unwrap_or_default();
    let (w, s) = match kind {
        Kind::City => {
            let c = &recs.cities[i].data;
            (
                text(&c.district),
                status("city_status", c.status.map(|s| s.code())),
            )
        }
        Kind::Road => {
            let r = &recs.roads[i].data;
            let w = [Some(&r.from), Some(&r.to)]
                .into_iter()
                .map(city_name)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" – ");
            (w, status("road_status", r.status.map(|s| s.code())))
        }
        Kind::Project => {
            let p = &recs.projects[i].data;
            (
                city_name(p.city.as_ref()),
                status("project_status", p.status.map(|s| s.code())),
            )
        }
        Kind::Partner => (String::new(), String::new()),
        Kind::Indicator => (
            city_name(recs.indicators[i].data.scope.as_ref()),
            String::new(),
        ),
        Kind::Source => (text(&recs.sources[i].data.publisher), String::new()),
        Kind::Own(_) => (String::new(), own_status(recs, lang, kind, i)),
    };
    let (id, name) = recs.title_at(kind, i).expect("a record of the collection");
    let t = text(name);
    Item {
        n: names(name, &t, d),
        t: if t.is_empty() { id.to_string() } else { t },
        k: lang.collection(kind.name(), false).to_string(),
        w,
        s,
        p: format!("{}/{id}/", kind.dir()),
    }
}

/// The status of a record of a declared collection, in the language.
fn own_status(recs: &Records, lang: &Lang, kind: Kind, i: usize) -> String {
    let (Some(field), Some(rec)) = (recs.fields.status(kind), recs.rec(kind, i)) else {
        return String::new();
    };
    match (field.ty, field.value(rec)) {
        (FieldType::Enum(list), FieldValue::Code(code)) => lang.code(list, code),
        _ => String::new(),
    }
}

/// The records of a language's index in their order, as (kind, place in its collection): the
/// collections in order, each sorted by name as the lists are.
fn order(cfg: &Config, recs: &Records, lang: &Lang) -> Vec<(Kind, usize)> {
    let d = cfg.default_lang();
    let mut all = Vec::with_capacity(recs.len());
    for kind in recs.fields.kinds() {
        let mut these: Vec<(Vec<u8>, String, usize)> = (0..recs.count(kind))
            .map(|i| {
                let (id, name) = recs.title_at(kind, i).expect("a record of the collection");
                let t = name.in_lang(&lang.code, d);
                let t = if t.is_empty() { id } else { t };
                (sort_key(&lang.code, t), format!("{}/{id}/", kind.dir()), i)
            })
            .collect();
        these.sort();
        all.extend(these.into_iter().map(|(_, _, i)| (kind, i)));
    }
    all
}

/// Writes a language's index, a record at a time: `{"lang":…,"labels":{…},"records":[…]}`.
fn write_index(
    w: &mut dyn std::io::Write,
    cfg: &Config,
    recs: &Records,
    lang: &Lang,
) -> std::io::Result<()> {
    let labels: std::collections::BTreeMap<&str, &str> = [
        "search_results_one",
        "search_results_many",
        "search_none",
        "search_shown",
    ]
    .into_iter()
    .map(|k| (k, lang.t(k)))
    .collect();
    let mut buf = Vec::with_capacity(64 * 1024);
    buf.extend_from_slice(b"{\"lang\":");
    serde_json::to_writer(&mut buf, &lang.code)?;
    buf.extend_from_slice(b",\"labels\":");
    serde_json::to_writer(&mut buf, &labels)?;
    buf.extend_from_slice(b",\"records\":[");
    for (n, (kind, i)) in order(cfg, recs, lang).into_iter().enumerate() {
        if n > 0 {
            buf.push(b',');
        }
        serde_json::to_writer(&mut buf, &item(cfg, recs, lang, kind, i))?;
        if buf.len() > 60 * 1024 {
            w.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(b"]}\n");
    w.write_all(&buf)
}

/// Adds every language's search index, each streamed into its file.
pub fn build(cfg: &Config, recs: &Records, langs: &[Lang], out: &Sink) {
    for lang in langs {
        let from = Origin::made(format!("the search index in `{}`", lang.code));
        out.put_stream(index_path(cfg, &lang.code), from, |w| {
            write_index(w, cfg, recs, lang)
        });
    }
}
