//! Interface strings, number and date formats per language. Built in for `en` and `az`
//! (`i18n/<lang>.yaml`, embedded); a site's own `i18n/<lang>.yaml` overrides any key, and
//! adds a language berpa does not know.

use crate::content::yaml::YamlDoc;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The built-in interface strings, by language code (`i18n/<lang>.yaml`).
pub const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("../../i18n/en.yaml")),
    ("az", include_str!("../../i18n/az.yaml")),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberFormat {
    pub thousands: String,
    pub decimal: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateFormat {
    pub months: Vec<String>,
    pub day: String,
    pub month: String,
    pub year: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plural {
    pub one: String,
    pub many: String,
}

/// One language's table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lang {
    #[serde(skip_deserializing)]
    pub code: String,
    pub language_name: String,
    pub number: NumberFormat,
    pub date: DateFormat,
    pub strings: BTreeMap<String, String>,
    pub collections: BTreeMap<String, Plural>,
    pub codes: BTreeMap<String, BTreeMap<String, String>>,
}

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

impl Lang {
    /// The tables for every language of the site.
    pub fn load_all(root: &Path, langs: &[String], diags: &mut Diagnostics) -> Vec<Lang> {
        let english: serde_yaml::Value =
            serde_yaml::from_str(BUILTIN[0].1).expect("built-in en table parses");
        let mut out = Vec::new();
        let site_files = crate::input::Site::new(root);
        for code in langs {
            let builtin = BUILTIN.iter().find(|(c, _)| c == code);
            let mut value: serde_yaml::Value = match builtin {
                Some((_, text)) => serde_yaml::from_str(text).expect("built-in table parses"),
                None => serde_yaml::Value::Null,
            };
            let file = format!("i18n/{code}.yaml");
            let read = site_files.read(&file, crate::input::TEXT).transpose();
            if let Some(read) = read {
                let site: Option<serde_yaml::Value> = read
                    .and_then(|b| crate::content::decode(&file, &b))
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

    /// An interface string.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
    }

    /// An interface string with `{name}` placeholders filled.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// Like [`Lang::tf`] with a count `n`: the `<key>_one` string when `n` is 1 and the table
    /// has one (languages whose nouns do not change after a number need none).
    pub fn tf_n(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let one = format!("{key}_one");
        let key = if n == 1 && self.strings.contains_key(&one) {
            one.as_str()
        } else {
            key
        };
        let n = n.to_string();
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(args);
        fill(self.t(key), &all)
    }

    /// The label of a code from a code list (`sector`, `education`).
    pub fn code(&self, list: &str, code: &str) -> String {
        self.codes
            .get(list)
            .and_then(|m| m.get(code))
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    pub fn collection<'a>(&'a self, kind: &'a str, many: bool) -> &'a str {
        match self.collections.get(kind) {
            Some(p) if many => &p.many,
            Some(p) => &p.one,
            None => kind,
        }
    }

    /// A number with this language's separators: up to `decimals` decimals, trailing zeros
    /// dropped (`1,392`, `53,081.8`; Azerbaijani `1 392`, `53 081,8` with no-break spaces).
    pub fn num(&self, v: f64, decimals: usize) -> String {
        format_number(v, decimals, &self.number.thousands, &self.number.decimal)
    }

    pub fn date(&self, d: Date) -> String {
        let month = d
            .month
            .map(|m| self.date.months[usize::from(m) - 1].as_str())
            .unwrap_or("");
        let year = d.year.to_string();
        let day = d.day.map(|x| x.to_string()).unwrap_or_default();
        let pattern = match (d.month, d.day) {
            (Some(_), Some(_)) => &self.date.day,
            (Some(_), None) => &self.date.month,
            _ => &self.date.year,
        };
        fill(pattern, &[("day", &day), ("month", month), ("year", &year)])
    }
}

/// Replaces `{name}` with its value, in one pass (a value is never scanned again, so a value
/// holding `{name}` stays as it is); a `{…}` naming no argument is left as it is.
pub fn fill(pattern: &str, args: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(pattern.len() + args.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Formats `v` with grouping. A space as the thousands separator becomes a no-break space so a
/// figure never wraps across lines.
pub fn format_number(v: f64, decimals: usize, thousands: &str, decimal: &str) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    // A whole number (most figures: counts, years, kilometres) has no decimals to round or
    // trim, and printing an integer is far cheaper than printing a float to a precision.
    let (int, frac) = if v.fract() == 0.0 && v.abs() < 1e15 {
        (
            itoa::Buffer::new().format(v.abs() as u64).to_string(),
            String::new(),
        )
    } else {
        let s = format!("{:.*}", decimals, v.abs());
        match s.split_once('.') {
            Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
            None => (s.clone(), String::new()),
        }
    };
    let sep = if thousands == " " {
        "\u{a0}"
    } else {
        thousands
    };
    let mut grouped = String::new();
    let n = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            grouped.push_str(sep);
        }
        grouped.push(c);
    }
    let neg = v < 0.0 && (int != "0" || !frac.is_empty());
    let mut out = String::new();
    if neg {
        out.push('−');
    }
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push_str(decimal);
        out.push_str(&frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<Lang> {
        let mut d = Diagnostics::new();
        let l = Lang::load_all(
            Path::new("/nonexistent"),
            &["en".into(), "az".into()],
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        l
    }

    #[test]
    fn numbers_per_language() {
        let l = langs();
        assert_eq!(l[0].num(1392.0, 2), "1,392");
        assert_eq!(l[0].num(53081.8, 2), "53,081.8");
        assert_eq!(l[1].num(1392.0, 2), "1\u{a0}392");
        assert_eq!(l[1].num(53081.8, 2), "53\u{a0}081,8");
        assert_eq!(l[0].num(140000.0, 0), "140,000");
        assert_eq!(l[0].num(0.0, 2), "0");
        assert_eq!(l[0].num(-1234.5, 1), "−1,234.5");
    }

    #[test]
    fn fill_replaces_each_name_once_and_leaves_the_rest() {
        let args = [("n", "3"), ("title", "Roads {n}")];
        assert_eq!(
            fill("{title}, page {n} of {n}", &args),
            "Roads {n}, page 3 of 3"
        );
        assert_eq!(fill("{other} {n} { n} {", &args), "{other} 3 { n} {");
        assert_eq!(fill("{{n}}", &args), "{3}");
        assert_eq!(fill("Əli {n}", &args), "Əli 3");
    }

    #[test]
    fn dates_per_language() {
        let l = langs();
        assert_eq!(l[1].date(Date::ymd(2021, 11, 7)), "7 noyabr 2021");
        assert_eq!(l[0].date(Date::ymd(2021, 11, 7)), "7 November 2021");
        assert_eq!(l[0].date(Date::parse("2021-08").unwrap()), "August 2021");
        assert_eq!(l[1].date(Date::parse("2021").unwrap()), "2021");
    }

    #[test]
    fn az_table_has_every_english_key() {
        let l = langs();
        for list in l[0].codes.keys() {
            assert_eq!(
                l[0].codes[list].keys().collect::<Vec<_>>(),
                l[1].codes[list].keys().collect::<Vec<_>>(),
                "{list}"
            );
        }
        let keys = |l: &Lang| {
            l.strings
                .keys()
                .filter(|k| !k.ends_with("_one"))
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&l[0]), keys(&l[1]));
        assert_eq!(
            l[0].tf_n("chart_city_projects_headline", 1, &[]),
            "1 project recorded in this place."
        );
        assert_eq!(
            l[1].tf_n("chart_city_projects_headline", 1, &[]),
            "Bu yerdə 1 layihə qeydə alınıb."
        );
    }

    #[test]
    fn whole_numbers_print_as_floats_would() {
        // The figure as printed through a float, for comparison with the whole-number path.
        fn via_float(v: f64, decimals: usize) -> String {
            let s = format!("{:.*}", decimals, v.abs());
            let (int, frac) = match s.split_once('.') {
                Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
                None => (s.clone(), String::new()),
            };
            let mut grouped = String::new();
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let neg = v < 0.0 && (int != "0" || !frac.is_empty());
            let sign = if neg { "−" } else { "" };
            let dot = if frac.is_empty() { "" } else { "." };
            format!("{sign}{grouped}{dot}{frac}")
        }
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            7.0,
            999.0,
            1000.0,
            -1000.0,
            12_345.0,
            999_999.0,
            1_000_000.0,
            -2_500_000.0,
            123_456_789.0,
            1e14,
            999_999_999_999_999.0,
            1e15,
            1e20,
            0.5,
            -0.5,
            2.5,
            1234.5678,
            -0.004,
            0.004,
            1e-9,
        ];
        for v in values {
            for decimals in [0, 1, 2, 3] {
                assert_eq!(
                    format_number(v, decimals, ",", "."),
                    via_float(v, decimals),
                    "{v} to {decimals} decimals"
                );
            }
        }
        assert_eq!(format_number(1234.0, 0, " ", ","), "1\u{a0}234");
        assert_eq!(format_number(f64::NAN, 0, ",", "."), "–");
    }
}
