//! The search index: one compact JSON file per language (`search-index.json`,
//! `az/search-index.json`) that `search.js` loads the first time a reader uses the search box.
//!
//! Each record is one object with short keys: `t` its name in the page's language, `n` its names
//! in every other language (so a reader may type either), `k` its kind, `w` where it is (a
//! settlement's district, a project's or figure's place), `s` its status, `p` its page below the
//! language's home. `labels` holds the interface strings the script shows.

use super::Sink;
use super::feeds::lang_prefix;
use crate::config::Config;
use crate::model::{Kind, Records, Text};
use crate::render::i18n::Lang;
use crate::render::views::sort_key;
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

#[derive(Debug, Clone, Serialize)]
pub struct Index {
    pub lang: String,
    pub labels: std::collections::BTreeMap<&'static str, String>,
    pub records: Vec<Item>,
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

/// The index of every record in one language, in collection order, then by name.
pub fn index(cfg: &Config, recs: &Records, lang: &Lang) -> Index {
    let d = cfg.default_lang();
    let code = lang.code.as_str();
    let text = |t: &Text| t.in_lang(code, d).to_string();
    let city_name = |id: Option<&String>| {
        id.and_then(|id| recs.city(id))
            .map(|c| text(&c.data.name))
            .unwrap_or_default()
    };
    let mut records: Vec<Item> = Vec::new();
    let mut push = |kind: Kind, id: &str, name: &Text, w: String, s: String| {
        let t = text(name);
        records.push(Item {
            n: names(name, &t, d),
            t: if t.is_empty() { id.to_string() } else { t },
            k: lang.collection(kind.name(), false).to_string(),
            w,
            s,
            p: format!("{}/{id}/", kind.dir()),
        });
    };
    let status =
        |list: &str, code: Option<&str>| code.map(|c| lang.code(list, c)).unwrap_or_default();
    for e in &recs.cities {
        let c = &e.data;
        push(
            Kind::City,
            e.id(),
            &c.name,
            text(&c.district),
            status("city_status", c.status.map(|s| s.code())),
        );
    }
    for e in &recs.roads {
        let r = &e.data;
        let w = [Some(&r.from), Some(&r.to)]
            .into_iter()
            .map(city_name)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" – ");
        push(
            Kind::Road,
            e.id(),
            &r.name,
            w,
            status("road_status", r.status.map(|s| s.code())),
        );
    }
    for e in &recs.projects {
        let p = &e.data;
        push(
            Kind::Project,
            e.id(),
            &p.title,
            city_name(p.city.as_ref()),
            status("project_status", p.status.map(|s| s.code())),
        );
    }
    for e in &recs.partners {
        push(
            Kind::Partner,
            e.id(),
            &e.data.name,
            String::new(),
            String::new(),
        );
    }
    for e in &recs.indicators {
        push(
            Kind::Indicator,
            e.id(),
            &e.data.title,
            city_name(e.data.scope.as_ref()),
            String::new(),
        );
    }
    for e in &recs.sources {
        push(
            Kind::Source,
            e.id(),
            &e.data.title,
            text(&e.data.publisher),
            String::new(),
        );
    }
    // Records come in collection order; sort each collection by name, as the lists are.
    let order = |p: &str| {
        Kind::ALL
            .iter()
            .position(|k| p.starts_with(&format!("{}/", k.dir())))
    };
    records.sort_by_cached_key(|r| (order(&r.p), sort_key(&r.t), r.p.clone()));
    let labels = [
        "search_results_one",
        "search_results_many",
        "search_none",
        "search_shown",
    ]
    .into_iter()
    .map(|k| (k, lang.t(k).to_string()))
    .collect();
    Index {
        lang: code.to_string(),
        labels,
        records,
    }
}

/// Adds every language's search index.
pub fn build(cfg: &Config, recs: &Records, langs: &[Lang], out: &Sink) {
    for lang in langs {
        let mut json = serde_json::to_vec(&index(cfg, recs, lang)).expect("index serialises");
        json.push(b'\n');
        out.put(index_path(cfg, &lang.code), json);
    }
}
