//! Pages per group: which fields have a page per value (`projects/by-sector/education/`), and
//! which records each value holds. Driven by the field table: every field a chart may group by
//! ([`Field::groupable`]) whose values are codes, references or texts has such pages; numbers
//! and dates do not. Checked (reserved paths) in `check::pages`, planned in `plan`, rendered in
//! `render::site`.

use super::fields::{Field, FieldType, FieldValue};
use super::{Kind, Records, suggest_id};

/// Whether `f` has a page per value: the table marks it (`Field::pages`; a declared field with
/// `group: true`) and its values are categories.
pub fn has_pages(f: &Field) -> bool {
    f.pages && is_category(f)
}

/// Whether a chart may count records by `f`: a groupable code, reference or text.
pub fn is_category(f: &Field) -> bool {
    f.groupable.is_some()
        && matches!(
            f.ty,
            FieldType::Enum(_) | FieldType::Ref(_) | FieldType::Text
        )
}

/// The folder of a field's index of values, below the language home: `projects/by-sector/`.
pub fn index_path(kind: Kind, field: &str) -> String {
    format!("{}/by-{}/", kind.dir(), suggest_id(field))
}

/// The folder of one value's page: `projects/by-sector/education/`.
pub fn value_path(kind: Kind, field: &str, slug: &str) -> String {
    format!("{}{slug}/", index_path(kind, field))
}

/// The (slug, key) of each value a record's field holds: the key is what a chart's filter
/// names (a code, an id, or a text in the default language); the slug is its part of the
/// address. A missing value is in no group.
pub fn record_values(v: &FieldValue, default_lang: &str) -> Vec<(String, String)> {
    let keys: Vec<String> = match v {
        FieldValue::Code(c) => vec![c.to_string()],
        FieldValue::Codes(cs) => cs.iter().map(|c| c.to_string()).collect(),
        FieldValue::Refs(ids) => ids.iter().map(|s| s.to_string()).collect(),
        FieldValue::Text(t) => {
            let s = t.get(default_lang, default_lang).text.trim();
            if s.is_empty() {
                Vec::new()
            } else {
                vec![s.to_string()]
            }
        }
        _ => Vec::new(),
    };
    let mut out: Vec<(String, String)> = keys.into_iter().map(|k| (suggest_id(&k), k)).collect();
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// One value of a grouped field, with its records.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// Its part of the address (`education`).
    pub slug: String,
    /// What a chart's filter names: the code, the id, or the default language's text (of the
    /// first record that has it).
    pub key: String,
    /// The positions of its records in their collection, in order.
    pub members: Vec<usize>,
}

/// A field with a page per value.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupField {
    pub kind: Kind,
    /// The field's name in the field table.
    pub field: String,
    /// Its values, by slug.
    pub values: Vec<Value>,
}

/// The fields of every collection with a page per value, each with the values its records
/// hold (fields no record gives a value are left out).
pub fn groups(recs: &Records, default_lang: &str) -> Vec<GroupField> {
    let mut out = Vec::new();
    for kind in recs.fields.kinds() {
        for f in recs.fields.of(kind).iter().filter(|f| has_pages(f)) {
            let mut values: std::collections::BTreeMap<String, Value> = Default::default();
            for i in 0..recs.count(kind) {
                let Some(r) = recs.rec(kind, i) else { continue };
                for (slug, key) in record_values(&f.value(r), default_lang) {
                    values
                        .entry(slug.clone())
                        .or_insert_with(|| Value {
                            slug,
                            key,
                            members: Vec::new(),
                        })
                        .members
                        .push(i);
                }
            }
            if !values.is_empty() {
                out.push(GroupField {
                    kind,
                    field: f.name.to_string(),
                    values: values.into_values().collect(),
                });
            }
        }
    }
    out
}
