//! Reading the interface strings: berpa's built-in tables (`i18n/*.yaml`, compiled in) with
//! the site's own `i18n/<code>.yaml` merged over them.

use crate::load::yaml::YamlDoc;
use crate::site::diagnostics::{Diagnostic, Diagnostics};
use crate::site::lang::{BUILTIN, Lang};
use std::path::Path;

/// Merges `over` into `base`, key by key, at every level of mappings.
fn merge(base: &mut serde_yaml::Value, over: serde_yaml::Value) {
    match (base, over) {
        (serde_yaml::Value::Mapping(b), serde_yaml::Value::Mapping(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(bv) => merge(bv, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// The tables for every language of the site.
pub fn load_all(root: &Path, langs: &[String], diags: &mut Diagnostics) -> Vec<Lang> {
    let english: serde_yaml::Value =
        serde_yaml::from_str(BUILTIN[0].1).expect("built-in en table parses");
    let mut out = Vec::new();
    let site_files = crate::site::input::Site::new(root);
    for code in langs {
        let builtin = BUILTIN.iter().find(|(c, _)| c == code);
        let mut value: serde_yaml::Value = match builtin {
            Some((_, text)) => serde_yaml::from_str(text).expect("built-in table parses"),
            None => serde_yaml::Value::Null,
        };
        let file = format!("i18n/{code}.yaml");
        let read = site_files.read(&file, crate::site::input::TEXT).transpose();
        if let Some(read) = read {
            let site: Option<serde_yaml::Value> = read
                .and_then(|b| crate::load::decode(&file, &b))
                .and_then(|t| {
                    YamlDoc {
                        file: &file,
                        text: &t,
                        line_offset: 0,
                    }
                    .parse("translation table")
                })
                .map_err(|d| diags.push(d))
                .ok();
            if let Some(site) = site {
                if value.is_null() {
                    value = site;
                } else {
                    merge(&mut value, site);
                }
            }
        } else if builtin.is_none() {
            diags.push(
                Diagnostic::error(
                    "no-translation-table",
                    "site.yaml",
                    format!("berpa has no interface strings for the language `{code}`"),
                )
                .help(format!(
                    "add {file} with the keys of berpa's built-in i18n/en.yaml translated"
                )),
            );
            continue;
        }
        let mut lang: Lang = match serde_yaml::from_value(value) {
            Ok(l) => l,
            Err(e) => {
                diags.push(
                    Diagnostic::error("bad-translation-table", &file, format!("{e}"))
                        .help("compare with the keys of berpa's built-in i18n/en.yaml"),
                );
                continue;
            }
        };
        // Every key English has must exist; a missing one is named.
        let en: Lang = serde_yaml::from_value(english.clone()).expect("en table is complete");
        for k in en.strings.keys().filter(|k| !k.ends_with("_one")) {
            if !lang.strings.contains_key(k) {
                diags.push(
                    Diagnostic::error(
                        "missing-translation-key",
                        &file,
                        format!("the interface string `{k}` has no `{code}` text"),
                    )
                    .help(format!("add `{k}: …` under `strings:`")),
                );
                lang.strings.insert(k.clone(), en.strings[k].clone());
            }
        }
        if lang.date.months.len() != 12 {
            diags.push(
                Diagnostic::error(
                    "bad-translation-table",
                    &file,
                    "`date.months` must list 12 months",
                )
                .help("list the month names from January to December"),
            );
            continue;
        }
        lang.code = code.clone();
        out.push(lang);
    }
    out
}
