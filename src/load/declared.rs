//! Reading the fields a site declares (`fields:` in `site.yaml`) from a record: the typed
//! record never sees them (their lines are hidden from serde), and their values are read here
//! as their declarations' types say, each problem placed at its value.

use super::yaml::{YamlDoc, nearest, path};
use crate::site::config::{DeclType, Declared};
use crate::site::diagnostics::Diagnostic;
use crate::site::model::fields::intern;
use crate::site::model::{Date, DeclaredValue, Extra, Kind, Money, Text};
use serde_yaml::Value;

/// `yaml` with each top-level entry of a declared field turned into comment lines: the same
/// lines and columns for everything else, so serde's messages about the rest still point
/// right. (A record written as one `{…}` flow mapping keeps its declared fields, which serde
/// then names as unknown.)
pub(super) fn hide(yaml: &str, declared: &[&Declared]) -> String {
    let mut out = String::with_capacity(yaml.len() + 3);
    let mut hiding = false;
    let (mut first_hidden, mut kept) = (None, false);
    for line in yaml.split_inclusive('\n') {
        let top = !line.starts_with([' ', '\t', '\n', '\r', '#']);
        if top {
            hiding = declared.iter().any(|d| is_key(line, &d.name));
            if hiding && first_hidden.is_none() {
                first_hidden = Some(out.len());
            }
            kept |= !hiding && !matches!(line.trim(), "---" | "...");
        }
        if hiding {
            out.push('#');
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    // A record of declared fields only lacks the others (serde names the first it needs, at
    // the first hidden line); it is not an empty record.
    if let (Some(at), false) = (first_hidden, kept) {
        out.replace_range(at..at + 1, "{}");
    }
    out
}

/// Whether `line` starts the key `name` (`name:`, `"name":` or `'name':`).
fn is_key(line: &str, name: &str) -> bool {
    let rest = line
        .strip_prefix(name)
        .or_else(|| line.strip_prefix(&format!("\"{name}\"")))
        .or_else(|| line.strip_prefix(&format!("'{name}'")));
    rest.is_some_and(|r| r.trim_start_matches([' ', '\t']).starts_with(':'))
}

/// An unknown field's help, told about the fields the site declares: the nearest of them
/// when it is nearer, and how to declare one.
pub(super) fn unknown_field_help(
    mut d: Diagnostic,
    kind: Kind,
    declared: &[&Declared],
) -> Diagnostic {
    if d.code != "unknown-field" {
        return d;
    }
    let name = d
        .message
        .strip_prefix("unknown field `")
        .and_then(|r| r.split_once('`'))
        .map(|(n, _)| n.to_string())
        .unwrap_or_default();
    let names: Vec<&str> = declared.iter().map(|d| d.name.as_str()).collect();
    let mut help = match nearest(&name, &names) {
        Some(n) => format!("did you mean the declared field `{n}`? "),
        None => String::new(),
    };
    help.push_str(d.help.as_deref().unwrap_or(""));
    if !names.is_empty() {
        help.push_str(&format!("; site.yaml declares: {}", names.join(", ")));
    }
    help.push_str(&format!(
        "; to add a field of your own, declare it in site.yaml: `fields: {{{}: {{{name}: {{type: text, label: {{en: …}}}}}}}}` (see docs/content.md)",
        kind.dir()
    ));
    d.help = Some(help);
    d
}

/// The record's declared values, read from its YAML as each declaration's type says.
pub(super) fn read(doc: &YamlDoc, declared: &[&Declared]) -> Result<Extra, Diagnostic> {
    let mut extra = Extra::new();
    let Ok(Value::Mapping(map)) = serde_yaml::from_str::<Value>(doc.text) else {
        return Ok(extra);
    };
    for d in declared {
        let Some(v) = map.get(d.name.as_str()) else {
            continue;
        };
        if v.is_null() {
            continue;
        }
        let bad = |want: &str| {
            Diagnostic::error(
                "invalid-value",
                doc.file,
                format!("`{}` must be {want}", d.name),
            )
            .at(doc.locate(&path(&d.name)))
            .help(format!(
                "site.yaml declares `{}` as {}: write {want}, or leave the field out",
                d.name,
                type_name(d)
            ))
        };
        let value = if d.many {
            let items: Vec<&Value> = match v {
                Value::Sequence(s) => s.iter().collect(),
                one => vec![one],
            };
            many(d, &items).ok_or_else(|| bad(&format!("a list of {}", want(d.ty))))?
        } else {
            one(d.ty, v).ok_or_else(|| bad(want(d.ty)))?
        };
        extra.insert(d.name.clone(), value);
    }
    Ok(extra)
}

fn type_name(d: &Declared) -> String {
    let t = match d.ty {
        DeclType::Text => "text",
        DeclType::Number => "a number",
        DeclType::Money => "money",
        DeclType::Date => "a date",
        DeclType::Enum => "one of its values",
        DeclType::Url => "a web address",
        DeclType::Boolean => "yes or no",
        DeclType::Reference(k) => return format!("a reference to {}", k.dir()),
    };
    if d.many {
        format!("a list of {t}")
    } else {
        t.to_string()
    }
}

/// What a value of the type is written as.
fn want(ty: DeclType) -> &'static str {
    match ty {
        DeclType::Text => "a text, or a map of language to text",
        DeclType::Number => "a number, such as `120`",
        DeclType::Money => "an amount with its currency, such as `{amount: 250000, currency: AZN}`",
        DeclType::Date => "a date, such as `2024-05-01`, `2024-05` or `2024`",
        DeclType::Enum => "one of the values site.yaml lists",
        DeclType::Url => "a web address",
        DeclType::Boolean => "`true` or `false`",
        DeclType::Reference(_) => "the id of a record",
    }
}

/// One value of the type.
fn one(ty: DeclType, v: &Value) -> Option<DeclaredValue> {
    let s = || v.as_str().map(str::trim).filter(|s| !s.is_empty());
    Some(match ty {
        DeclType::Text => DeclaredValue::Text(serde_yaml::from_value::<Text>(v.clone()).ok()?),
        DeclType::Number => DeclaredValue::Number(v.as_f64().filter(|n| n.is_finite())?),
        DeclType::Money => DeclaredValue::Money(serde_yaml::from_value::<Money>(v.clone()).ok()?),
        DeclType::Date => DeclaredValue::Date(serde_yaml::from_value::<Date>(v.clone()).ok()?),
        DeclType::Enum => DeclaredValue::Code(intern(s()?)),
        DeclType::Url => DeclaredValue::Url(s()?.to_string()),
        DeclType::Boolean => DeclaredValue::Bool(v.as_bool()?),
        DeclType::Reference(_) => DeclaredValue::Refs(vec![s()?.to_string()]),
    })
}

/// A list of values of the declaration's type.
fn many(d: &Declared, items: &[&Value]) -> Option<DeclaredValue> {
    let values: Vec<DeclaredValue> = items.iter().map(|v| one(d.ty, v)).collect::<Option<_>>()?;
    Some(match d.ty {
        DeclType::Text => DeclaredValue::Texts(
            values
                .into_iter()
                .filter_map(|v| match v {
                    DeclaredValue::Text(t) => Some(t),
                    _ => None,
                })
                .collect(),
        ),
        DeclType::Reference(_) => DeclaredValue::Refs(
            values
                .into_iter()
                .flat_map(|v| match v {
                    DeclaredValue::Refs(r) => r,
                    _ => Vec::new(),
                })
                .collect(),
        ),
        _ => {
            let shown = values.iter().map(shown).collect::<Vec<_>>().join("; ");
            DeclaredValue::List(values, shown)
        }
    })
}

/// A value as one cell shows it.
fn shown(v: &DeclaredValue) -> String {
    match v {
        DeclaredValue::Number(n) => n.to_string(),
        DeclaredValue::Money(m) => format!("{} {}", m.amount, m.currency),
        DeclaredValue::Date(d) => d.to_string(),
        DeclaredValue::Code(c) => c.to_string(),
        DeclaredValue::Url(u) => u.clone(),
        DeclaredValue::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::model::Text;

    fn decl(name: &str, ty: DeclType, many: bool) -> Declared {
        Declared {
            kind: Kind::City,
            name: name.into(),
            ty,
            many,
            values: vec![],
            label: Text::Empty,
            list: false,
            group: false,
        }
    }

    #[test]
    fn hiding_keeps_every_other_line_and_column() {
        let d = decl("mayor", DeclType::Text, false);
        let yaml = "name: A\nmayor:\n  en: X\n  az: Y\nkind: city\n\"mayor2\": 1\n";
        let hidden = hide(yaml, &[&d]);
        assert_eq!(hidden, "name: A\n#\n#\n#\nkind: city\n\"mayor2\": 1\n");
        assert_eq!(hidden.lines().count(), yaml.lines().count());
    }

    #[test]
    fn values_are_read_as_their_types_say() {
        let doc = |text: &'static str| YamlDoc {
            file: "content/cities/a.yaml",
            text,
            line_offset: 0,
        };
        let n = decl("households", DeclType::Number, false);
        let l = decl("phases", DeclType::Date, true);
        let extra = read(&doc("households: 12\nphases: [2024, 2025-06]\n"), &[&n, &l]).unwrap();
        assert_eq!(extra["households"], DeclaredValue::Number(12.0));
        match &extra["phases"] {
            DeclaredValue::List(items, shown) => {
                assert_eq!(items.len(), 2);
                assert_eq!(shown, "2024; 2025-06");
            }
            other => panic!("{other:?}"),
        }
        let e = read(&doc("name: A\nhouseholds: many\n"), &[&n]).unwrap_err();
        assert_eq!((e.line, e.column), (2, 13));
        assert!(e.message.contains("must be a number"), "{}", e.message);
    }
}
