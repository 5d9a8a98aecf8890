//! Two built-in pages in every language: **Data** (`data/`), which explains each open-data file,
//! its columns, the licence and how to cite it; and **Updates and corrections** (`updates/`),
//! every record's history, corrections and revisions kept apart, newest first.

use super::Page;
use super::views::Env;
use crate::export::data::{self as exports, DATA_DIR};
use crate::export::feeds;
use crate::site::config::Config;
use crate::site::model::{DATA_PAGE, UPDATES_PAGE};
use crate::site::model::{HistoryKind, Kind};
use serde::Serialize;

#[derive(Serialize)]
struct Link {
    label: String,
    /// Relative to the site root (data files are the same for every language).
    href: String,
    media_type: &'static str,
}

#[derive(Serialize)]
struct ColumnView {
    name: String,
    ty: String,
    description: String,
}

#[derive(Serialize)]
struct FileView {
    id: String,
    title: String,
    description: String,
    downloads: Vec<Link>,
    columns: Vec<ColumnView>,
}

/// A background map layer, as the Data page lists it.
#[derive(Serialize)]
struct LayerView {
    title: String,
    role: String,
    attribution: String,
    licence: String,
    note: Option<String>,
}

#[derive(Serialize)]
struct Extra {
    label: String,
    text: String,
    href: String,
    media_type: &'static str,
}

/// The Data page of one language: each open-data file with its columns, the other files
/// (data package, OC4IDS, feeds), how to cite the data, and the map's background layers.
pub(crate) fn data_job(env: &Env, cfg: &Config) -> Page {
    let lang = env.lang;
    let recs = env.recs;
    let files = file_views(env, cfg);
    // An example of a record's own file: the first settlement, else any record.
    let example = Kind::ALL.iter().find_map(|k| {
        recs.ids(*k)
            .first()
            .map(|id| exports::record_json_path(*k, id))
    });
    let mut extra = tera::Context::new();
    extra.insert("files", &files);
    extra.insert("extras", &other_files(env));
    extra.insert("feeds", &feed_files(env, cfg));
    extra.insert("example_json", &example);
    extra.insert(
        "record_json_text",
        &example
            .as_ref()
            .map(|e| lang.tf("record_json_text", &[("example", e)])),
    );
    extra.insert("citation", &citation(env, cfg));
    extra.insert("map_layers", &layer_views(env));
    let title = lang.t("data_title").to_string();
    Page {
        path: format!("{DATA_PAGE}/"),
        template: "data.html".into(),
        description: lang.t("data_intro").to_string(),
        title,
        extra,
        list: None,
        origin: super::made_page("the open data page", env),
    }
}

/// Each table of the open data: its downloads and its columns.
fn file_views(env: &Env, cfg: &Config) -> Vec<FileView> {
    let lang = env.lang;
    let names = lang_names(env);
    exports::tables(cfg, &env.recs.fields)
        .iter()
        .map(|t| {
            let mut description = lang.t(t.key).to_string();
            if t.geojson {
                description.push(' ');
                description.push_str(lang.t(&format!("{}_geojson", t.key)));
            }
            FileView {
                id: format!("file-{}", t.name),
                title: exports::table_title(t, lang),
                description,
                downloads: downloads(t),
                columns: t
                    .columns
                    .iter()
                    .map(|c| ColumnView {
                        name: c.name.clone(),
                        ty: lang.t(c.ty.key()).to_string(),
                        description: exports::describe(c, lang, &names),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// A table's files: CSV, and JSON and GeoJSON where it has them.
fn downloads(t: &exports::Table) -> Vec<Link> {
    let mut downloads = vec![Link {
        label: "CSV".into(),
        href: t.csv_path(),
        media_type: "text/csv",
    }];
    if let Some(p) = t.json_path() {
        downloads.push(Link {
            label: "JSON".into(),
            href: p,
            media_type: "application/json",
        });
    }
    if let Some(p) = t.geojson_path() {
        downloads.push(Link {
            label: "GeoJSON".into(),
            href: p,
            media_type: "application/geo+json",
        });
    }
    downloads
}

/// The data package, and OC4IDS when there are roads or projects.
fn other_files(env: &Env) -> Vec<Extra> {
    let lang = env.lang;
    let mut extras = vec![Extra {
        label: lang.t("data_package").to_string(),
        text: lang.t("data_package_text").to_string(),
        href: format!("{DATA_DIR}/datapackage.json"),
        media_type: "application/json",
    }];
    if !env.recs.roads.is_empty() || !env.recs.projects.is_empty() {
        extras.push(Extra {
            label: lang.t("oc4ids").to_string(),
            text: lang.t("oc4ids_text").to_string(),
            href: format!("{DATA_DIR}/oc4ids.json"),
            media_type: "application/json",
        });
    }
    extras
}

/// The language's feed, the sitemap and the language's search index.
fn feed_files(env: &Env, cfg: &Config) -> Vec<Extra> {
    let lang = env.lang;
    let prefix = feeds::lang_prefix(cfg, &lang.code);
    vec![
        Extra {
            label: lang.t("feed").to_string(),
            text: lang.t("feed_text").to_string(),
            href: feeds::feed_path(cfg, &lang.code),
            media_type: "application/atom+xml",
        },
        Extra {
            label: "sitemap.xml".into(),
            text: lang.t("sitemap_text").to_string(),
            href: "sitemap.xml".into(),
            media_type: "application/xml",
        },
        Extra {
            label: format!("{prefix}search-index.json"),
            text: lang.t("search_index_text").to_string(),
            href: crate::export::search::index_path(cfg, &lang.code),
            media_type: "application/json",
        },
    ]
}

/// How to cite the data: publisher, title, date of the data, address and licence.
fn citation(env: &Env, cfg: &Config) -> String {
    let lang = env.lang;
    let prefix = feeds::lang_prefix(cfg, &lang.code);
    let d = cfg.default_lang();
    let title = cfg.title.in_lang(&lang.code, d).to_string();
    let publisher = cfg
        .publisher
        .as_ref()
        .map(|p| p.name.in_lang(&lang.code, d).to_string())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| title.clone());
    let as_of = exports::as_of(cfg, env.recs);
    lang.tf(
        "cite_text",
        &[
            ("publisher", &publisher),
            ("title", &title),
            (
                "date",
                &as_of.map(|x| lang.date(x)).unwrap_or_else(|| "—".into()),
            ),
            ("url", &format!("{}{prefix}{DATA_PAGE}/", cfg.base_url)),
            (
                "licence",
                cfg.licence.as_ref().map_or("—", |l| l.name.as_str()),
            ),
        ],
    )
}

/// The map's background layers with their credits.
fn layer_views(env: &Env) -> Vec<LayerView> {
    env.recs
        .geo
        .iter()
        .map(|g| LayerView {
            title: g.title.clone(),
            role: env.lang.code("geo_role", g.role.code()),
            attribution: g.attribution.clone(),
            licence: g.licence.clone(),
            note: g.note.clone(),
        })
        .collect()
}

fn lang_names(env: &Env) -> Vec<(String, String)> {
    env.lang_names.to_vec()
}

/// The most entries of each kind the Updates page lists: the newest.
pub const UPDATES_MAX: usize = 200;

/// The Updates page of one language.
pub(crate) fn updates_job(env: &Env, cfg: &Config) -> Page {
    let lang = env.lang;
    let all = crate::link::all_history(env.recs);
    // The newest entries of each kind; the record pages and the open data have them all.
    let view = |kind: HistoryKind| -> (Vec<super::views::HistoryView>, String, Option<String>) {
        let of_kind: Vec<_> = all.iter().filter(|(_, _, h)| h.kind == kind).collect();
        let shown: Vec<_> = of_kind
            .iter()
            .take(UPDATES_MAX)
            .map(|(k, id, h)| env.history_view(h, Some(env.link(*k, id))))
            .collect();
        let more = (of_kind.len() > shown.len()).then(|| {
            lang.tf(
                "updates_more",
                &[
                    ("shown", &lang.num(shown.len() as f64, 0)),
                    ("total", &lang.num(of_kind.len() as f64, 0)),
                ],
            )
        });
        (shown, lang.num(of_kind.len() as f64, 0), more)
    };
    let mut extra = tera::Context::new();
    let (corrections, corrections_total, corrections_more) = view(HistoryKind::Correction);
    let (revisions, revisions_total, revisions_more) = view(HistoryKind::Revision);
    extra.insert("corrections", &corrections);
    extra.insert("corrections_total", &corrections_total);
    extra.insert("corrections_more", &corrections_more);
    extra.insert("revisions", &revisions);
    extra.insert("revisions_total", &revisions_total);
    extra.insert("revisions_more", &revisions_more);
    extra.insert("feed_path", &feeds::feed_path(cfg, &lang.code));
    Page {
        path: format!("{UPDATES_PAGE}/"),
        template: "updates.html".into(),
        title: lang.t("history").to_string(),
        description: lang.t("updates_intro").to_string(),
        extra,
        list: None,
        origin: super::made_page("the updates page", env),
    }
}
