//! The pages per group (`projects/by-sector/` and `projects/by-sector/education/`) and the
//! links a record's page gives to its groups. Which fields have them, and which records each
//! value holds, is the plan's ([`crate::site::model::groups`]).

use super::views::Env;
use super::{ListPage, Page, made_page};
use crate::site::model::Kind;
use crate::site::model::chart::{ChartSpec, ChartType, DataSpec};
use crate::site::model::fields::{Field, FieldType, FieldValue};
use crate::site::model::groups::{self, GroupField};
use crate::site::model::{Text, sort_key};
use serde::Serialize;
use std::collections::BTreeMap;

/// A link to one value's page, with its label and how many records it holds.
#[derive(Debug, Clone, Serialize)]
pub struct ValueLink {
    /// The field's label (`Sector`).
    pub field: String,
    /// The value's label (`Education`).
    pub label: String,
    pub label_lang: Option<String>,
    pub path: String,
    pub count: usize,
}

/// A total over a group's records: a number's sum, or one amount per currency.
#[derive(Debug, Clone, Serialize)]
pub struct Total {
    pub label: String,
    pub value: String,
}

/// A field's index: where it is, what it is called.
#[derive(Debug, Clone, Serialize)]
pub struct FieldLink {
    pub label: String,
    pub path: String,
}

fn field_of<'a>(env: &Env<'a>, g: &GroupField) -> Option<&'a Field> {
    env.recs.fields.field(g.kind, &g.field)
}

/// The label of a value in `env`'s language, and the language it is really in.
fn value_label(
    env: &Env,
    f: &Field,
    kind: Kind,
    key: &str,
    first: usize,
) -> (String, Option<String>) {
    match f.ty {
        FieldType::Enum(list) => (env.lang.code(list, key), None),
        FieldType::Ref(target) => {
            let l = env.link(target, key);
            (l.title, l.title_lang)
        }
        _ => match env.recs.rec(kind, first).map(|r| f.value(r)) {
            Some(FieldValue::Text(t)) => env.text(t),
            _ => (key.to_string(), None),
        },
    }
}

/// The title of a value's page: "Projects — Sector: Education".
fn value_title(env: &Env, g: &GroupField, value: usize) -> (String, String, Option<String>) {
    let lang = env.lang;
    let v = &g.values[value];
    let Some(f) = field_of(env, g) else {
        return (v.key.clone(), v.key.clone(), None);
    };
    let (label, label_lang) = value_label(env, f, g.kind, &v.key, v.members[0]);
    let title = lang.tf(
        "group_value_title",
        &[
            ("collection", lang.collection(g.kind.name(), true)),
            ("field", lang.t(&f.label_key)),
            ("value", &label),
        ],
    );
    (title, label, label_lang)
}

/// The links to each field's index of a collection, for its list page.
pub fn field_links(env: &Env, all: &[GroupField], kind: Kind) -> Vec<FieldLink> {
    all.iter()
        .filter(|g| g.kind == kind)
        .filter_map(|g| {
            let f = field_of(env, g)?;
            Some(FieldLink {
                label: env.lang.t(&f.label_key).to_string(),
                path: groups::index_path(kind, &g.field),
            })
        })
        .collect()
}

/// The index of a field's values: each with its page and its number of records.
pub fn index_page(env: &Env, g: &GroupField, path: &str) -> Page {
    let lang = env.lang;
    let field_label =
        field_of(env, g).map_or(g.field.clone(), |f| lang.t(&f.label_key).to_string());
    let mut values: Vec<ValueLink> = (0..g.values.len())
        .map(|vi| {
            let (_, label, label_lang) = value_title(env, g, vi);
            ValueLink {
                field: field_label.clone(),
                label,
                label_lang,
                path: crate::plan::group_page_path(g, vi, 1),
                count: g.values[vi].members.len(),
            }
        })
        .collect();
    values.sort_by_cached_key(|v| (sort_key(&lang.code, &v.label), v.path.clone()));
    let title = lang.tf(
        "group_index_title",
        &[
            ("collection", lang.collection(g.kind.name(), true)),
            ("field", &field_label),
        ],
    );
    let mut extra = tera::Context::new();
    extra.insert("values", &values);
    extra.insert("collection_dir", g.kind.dir());
    extra.insert("collection_label", lang.collection(g.kind.name(), true));
    Page {
        path: path.to_string(),
        description: title.clone(),
        title,
        template: "group-index.html".into(),
        extra,
        list: None,
        origin: made_page(&format!("the index {path}"), env),
    }
}

/// Page `n` of a value's records; its table, totals and chart are made while it renders.
pub fn value_page(
    env: &Env,
    g: &GroupField,
    at: (usize, usize),
    n: usize,
    pages_total: usize,
    path: &str,
) -> Page {
    let (title, _, _) = value_title(env, g, at.1);
    Page {
        path: path.to_string(),
        description: title.clone(),
        title: if n == 1 {
            title
        } else {
            env.lang.tf(
                "list_page_title",
                &[("title", &title), ("n", &n.to_string())],
            )
        },
        template: "group.html".into(),
        extra: tera::Context::new(),
        list: Some(ListPage {
            kind: g.kind,
            n,
            pages_total,
            group: Some(at),
        }),
        origin: made_page(&format!("the group page {path}"), env),
    }
}

/// The totals of a value's records: each number with a unit summed, each amount of money
/// summed per currency (amounts in different currencies are never added together).
pub fn totals(env: &Env, kind: Kind, members: &[usize]) -> Vec<Total> {
    let lang = env.lang;
    let mut out = Vec::new();
    for f in env.recs.fields.of(kind) {
        match (f.ty, &f.unit_key) {
            (FieldType::Number, Some(unit)) => {
                let mut sum = 0.0;
                let mut any = false;
                for r in members.iter().filter_map(|i| env.recs.rec(kind, *i)) {
                    if let FieldValue::Number(n) = f.value(r) {
                        sum += n;
                        any = true;
                    }
                }
                if any {
                    out.push(Total {
                        label: lang.t(&f.label_key).to_string(),
                        value: lang.tf(unit, &[("value", &env.num(sum))]),
                    });
                }
            }
            (FieldType::Money, _) => {
                let mut sums = crate::link::Totals::new();
                for r in members.iter().filter_map(|i| env.recs.rec(kind, *i)) {
                    if let FieldValue::Money(amount, currency) = f.value(r) {
                        *sums.entry(currency.to_string()).or_default() += amount;
                    }
                }
                if !sums.is_empty() {
                    out.push(Total {
                        label: lang.t(&f.label_key).to_string(),
                        value: env.totals(&sums),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// The id of a value's chart (`group-projects-sector-education`).
pub fn chart_id(g: &GroupField, value: usize) -> String {
    format!(
        "group-{}-{}-{}",
        g.kind.dir(),
        crate::site::model::suggest_id(&g.field),
        g.values[value].slug
    )
}

/// A small chart of a value's records, counted by the collection's first other category
/// (projects of a sector by status); `None` when there is no such field.
pub fn chart_spec(env: &Env, g: &GroupField, value: usize) -> Option<ChartSpec> {
    let lang = env.lang;
    let other = env
        .recs
        .fields
        .groupable(g.kind)
        .into_iter()
        .find(|f| groups::is_category(f) && f.name != g.field && !f.many)?;
    let (title, _, _) = value_title(env, g, value);
    let n = g.values[value].members.len();
    let other_label = lang.t(&other.label_key).to_string();
    Some(ChartSpec {
        title: Text::plain(lang.tf(
            "group_chart_title",
            &[("title", &title), ("field", &other_label)],
        )),
        headline: Text::plain(lang.tf("records_count", &[("n", &n.to_string())])),
        kind: ChartType::Bar,
        data: DataSpec {
            collection: Some(g.kind.dir().to_string()),
            group_by: Some(other.name.to_string()),
            filter: BTreeMap::from([(g.field.clone(), g.values[value].key.clone())]),
            ..DataSpec::default()
        },
        unit: Text::Empty,
        value_label: Text::plain(lang.t("group_chart_value")),
        category_label: Text::plain(other_label),
        sources: Vec::new(),
        note: Text::Empty,
    })
}

/// The groups a record is in, each linking to its value's page (the fields in the order the
/// field table groups by).
pub fn record_links(env: &Env, kind: Kind, id: &str) -> Vec<ValueLink> {
    let Some(i) = env.derived.position(kind, id) else {
        return Vec::new();
    };
    let Some(r) = env.recs.rec(kind, i) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in env
        .recs
        .fields
        .groupable(kind)
        .into_iter()
        .filter(|f| groups::has_pages(f))
    {
        for (slug, key) in groups::record_values(&f.value(r), env.default_lang) {
            let (label, label_lang) = value_label(env, f, kind, &key, i);
            out.push(ValueLink {
                field: env.lang.t(&f.label_key).to_string(),
                label,
                label_lang,
                path: groups::value_path(kind, &f.name, &slug),
                count: 0,
            });
        }
    }
    out
}

/// What a value's page shows besides its table: its totals, its small chart (drawn now, its
/// CSV and SVG sent out; on its first page only; returned, for its own pages), the link to its
/// field's index. `at`: the language's folder, the page's
/// folder below it, and what makes the page.
pub(super) fn value_extra(
    input: &super::Input,
    env: &Env,
    (prefix, path, origin): (&str, &str, &crate::write::sink::Origin),
    (g, value): (&GroupField, usize),
    first_page: bool,
    extra: &mut tera::Context,
) -> Option<super::Drawn> {
    let v = &g.values[value];
    extra.insert("totals", &totals(env, g.kind, &v.members));
    extra.insert("index_path", &groups::index_path(g.kind, &g.field));
    let field_label =
        field_of(env, g).map_or(g.field.clone(), |f| env.lang.t(&f.label_key).to_string());
    extra.insert("field_label", &field_label);
    extra.insert("collection_label", env.lang.collection(g.kind.name(), true));
    let home = "../".repeat(path.matches('/').count());
    let spec = first_page.then(|| chart_spec(env, g, value)).flatten();
    let drawn = spec.map(|spec| {
        let id = chart_id(g, value);
        let drawn = super::draw_chart(env, &id, &spec);
        let sink = input.sink;
        sink.put(
            format!("{prefix}charts/{id}.csv"),
            drawn.csv.as_str(),
            origin.clone(),
        );
        sink.put(
            format!("{prefix}charts/{id}.svg"),
            drawn.svg.as_str(),
            origin.clone(),
        );
        drawn
    });
    let chart = drawn
        .as_ref()
        .map(|d| d.figure.replace(crate::draw::HOME_MARK, &home));
    extra.insert("chart", &chart);
    drawn
}
