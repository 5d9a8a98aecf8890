//! Interface strings, number and date formats per language. Built in for `en` and `az`
//! (`i18n/<lang>.yaml`, embedded); a site's own `i18n/<lang>.yaml` overrides any key, and
//! adds a language berpa does not know.

use crate::site::az::{Ending, inflect};
use crate::site::model::Date;
use icu_collator::options::CollatorOptions;
use icu_collator::preferences::CollationNumericOrdering;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

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

/// The territory a language's text is for when its code names none, for Open Graph's
/// `og:locale` (`az_AZ`), sorted by language code. The CLDR's likely territory of each language,
/// except English: berpa's English is British (`licence`, `kilometres`).
const DEFAULT_TERRITORY: &[(&str, &str)] = &[
    ("ar", "EG"),
    ("az", "AZ"),
    ("be", "BY"),
    ("bg", "BG"),
    ("bn", "BD"),
    ("bs", "BA"),
    ("cs", "CZ"),
    ("da", "DK"),
    ("de", "DE"),
    ("el", "GR"),
    ("en", "GB"),
    ("es", "ES"),
    ("et", "EE"),
    ("fa", "IR"),
    ("fi", "FI"),
    ("fr", "FR"),
    ("he", "IL"),
    ("hi", "IN"),
    ("hr", "HR"),
    ("hu", "HU"),
    ("hy", "AM"),
    ("id", "ID"),
    ("it", "IT"),
    ("ja", "JP"),
    ("ka", "GE"),
    ("kk", "KZ"),
    ("ko", "KR"),
    ("ky", "KG"),
    ("lt", "LT"),
    ("lv", "LV"),
    ("mk", "MK"),
    ("ms", "MY"),
    ("nb", "NO"),
    ("nl", "NL"),
    ("pl", "PL"),
    ("pt", "BR"),
    ("ro", "RO"),
    ("ru", "RU"),
    ("sk", "SK"),
    ("sl", "SI"),
    ("sq", "AL"),
    ("sr", "RS"),
    ("sv", "SE"),
    ("tg", "TJ"),
    ("th", "TH"),
    ("tk", "TM"),
    ("tr", "TR"),
    ("uk", "UA"),
    ("ur", "PK"),
    ("uz", "UZ"),
    ("vi", "VN"),
    ("zh", "CN"),
];

/// A language code as Open Graph's `og:locale` wants it, `language_TERRITORY`: the territory the
/// code names (`pt-br` → `pt_BR`), else the language's default one (`az` → `az_AZ`); a language
/// berpa knows no territory for stays as it is (`xx`). A script subtag (`sr-latn`) is dropped.
pub fn og_locale(code: &str) -> String {
    let (lang, region) = match code.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (code, None),
    };
    let territory = match region {
        Some(r) if r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(r.to_ascii_uppercase())
        }
        _ => DEFAULT_TERRITORY
            .binary_search_by(|(l, _)| l.cmp(&lang))
            .ok()
            .map(|i| DEFAULT_TERRITORY[i].1.to_string()),
    };
    match territory {
        Some(t) => format!("{lang}_{t}"),
        None => lang.to_string(),
    }
}

impl Lang {
    /// An interface string.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
    }

    /// An interface string with `{name}` placeholders filled.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// Like [`Lang::tf`] with a count `n`: the `<key>_one` string when the language's plural
    /// rules put `n` in the "one" category and the table has one (languages whose nouns do not
    /// change after a number need none).
    pub fn tf_n(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let one = format!("{key}_one");
        let key = if self.strings.contains_key(&one) && is_plural_one(&self.code, n) {
            one.as_str()
        } else {
            key
        };
        let n = n.to_string();
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(args);
        fill(self.t(key), &all)
    }

    /// "in <language>" in this language, for language `code` named `name` in its own language:
    /// the `in_language_<code>` string ("ingilis dilində", "in Azerbaijani"), else
    /// `in_language` with the name.
    pub fn in_language(&self, code: &str, name: &str) -> String {
        match self.strings.get(&format!("in_language_{code}")) {
            Some(s) => s.clone(),
            None => self.tf("in_language", &[("lang", name)]),
        }
    }

    /// Like [`Lang::tf`], the `<key>_one` form when the plural rules put `n` in "one" and the
    /// table has that form: for a string whose noun counts something other than `{n}`
    /// ("{n} of {total} roads open" counts `total`).
    pub fn tf_by(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let one = format!("{key}_one");
        if self.strings.contains_key(&one) && is_plural_one(&self.code, n) {
            self.tf(&one, args)
        } else {
            self.tf(key, args)
        }
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

/// The locale a language code names, or the root locale when the code is no valid BCP 47 tag.
fn locale(code: &str) -> Locale {
    code.parse().unwrap_or(Locale::UNKNOWN)
}

thread_local! {
    /// A collator per language code, made once per thread (compiled CLDR data, no files).
    static COLLATORS: RefCell<HashMap<String, CollatorBorrowed<'static>>> =
        RefCell::new(HashMap::new());
    /// The cardinal plural rules per language code.
    static PLURALS: RefCell<HashMap<String, Option<PluralRules>>> = RefCell::new(HashMap::new());
}

/// A key that sorts names in the alphabet of language `code`, by the CLDR's collation rules
/// through ICU4X (`az`: "Bərdə" before "Əhmədbəyli", "Cəbrayıl" before "Qubadlı"; `en`: "Ağalı"
/// beside "Agali"), with numbers by their value ("No. 2" before "No. 10"). A language the CLDR
/// has no tailoring for sorts by the root order.
pub fn sort_key(code: &str, s: &str) -> Vec<u8> {
    COLLATORS.with(|c| {
        let mut map = c.borrow_mut();
        if !map.contains_key(code) {
            let mut prefs = CollatorPreferences::from(&locale(code));
            prefs.numeric_ordering = Some(CollationNumericOrdering::True);
            let collator = CollatorBorrowed::try_new(prefs, CollatorOptions::default())
                .or_else(|_| {
                    CollatorBorrowed::try_new(Default::default(), CollatorOptions::default())
                })
                .expect("the root collation is compiled in");
            map.insert(code.to_string(), collator);
        }
        let mut key = Vec::with_capacity(s.len() * 3);
        let Ok(()) = map[code].write_sort_key_to(s, &mut key);
        key
    })
}

/// Whether `n` takes the singular ("one") form in language `code`, by the CLDR's plural rules
/// through ICU4X (`en`: 1 only; a code that is no language tag: 1 only).
pub fn is_plural_one(code: &str, n: usize) -> bool {
    PLURALS.with(|p| {
        let mut map = p.borrow_mut();
        let rules = map.entry(code.to_string()).or_insert_with(|| {
            let l: Locale = code.parse().ok()?;
            PluralRules::try_new_cardinal((&l).into()).ok()
        });
        match rules {
            Some(r) => r.category_for(n) == PluralCategory::One,
            None => n == 1,
        }
    })
}

/// Replaces `{name}` with its value, in one pass (a value is never scanned again, so a value
/// holding `{name}` stays as it is); a `{…}` naming no argument is left as it is. `{name|gen}`
/// (`dat`, `loc`, `abl`, `poss`, `ord`) joins an Azerbaijani ending to the value by its sound
/// ([`crate::site::az`]): "{total} layihədən {n|poss}" gives "7 layihədən 5-i".
pub fn fill(pattern: &str, args: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(pattern.len() + args.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let (name, ending) = match after[..close].split_once('|') {
                Some((n, e)) => (n, Some(Ending::from_name(e)?)),
                None => (&after[..close], None),
            };
            args.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v, ending, close))
        });
        match value {
            Some((v, Some(e), close)) => {
                out.push_str(&inflect(v, e));
                rest = &after[close + 1..];
            }
            Some((v, None, close)) => {
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
    use crate::site::diagnostics::Diagnostics;
    use std::path::Path;

    #[test]
    fn og_locales_name_a_territory() {
        assert!(
            DEFAULT_TERRITORY.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, for the binary search"
        );
        assert_eq!(og_locale("az"), "az_AZ");
        assert_eq!(og_locale("en"), "en_GB");
        assert_eq!(og_locale("ru"), "ru_RU");
        assert_eq!(og_locale("pt-br"), "pt_BR");
        assert_eq!(og_locale("en-us"), "en_US");
        assert_eq!(og_locale("sr-latn"), "sr_RS");
        assert_eq!(og_locale("es-419"), "es_ES");
        assert_eq!(og_locale("xx"), "xx");
    }

    fn langs() -> Vec<Lang> {
        let mut d = Diagnostics::new();
        let l = crate::load::lang::load_all(
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
        // Azerbaijani endings by sound, and an unknown ending left as it is.
        let args = [("n", "5"), ("total", "7"), ("value", "6"), ("p", "17,9%")];
        assert_eq!(
            fill("{total} layihədən {n|poss} başa çatıb", &args),
            "7 layihədən 5-i başa çatıb"
        );
        assert_eq!(fill("{value|abl} çox", &args), "6-dan çox");
        assert_eq!(fill("hədəfin {p|poss}", &args), "hədəfin 17,9%-i");
        assert_eq!(fill("{n|nope}", &args), "{n|nope}");
    }

    #[test]
    fn plural_forms_by_the_language_rules() {
        assert!(is_plural_one("en", 1));
        assert!(!is_plural_one("en", 0));
        assert!(!is_plural_one("en", 2));
        assert!(!is_plural_one("en", 21));
        // Russian: 21 takes the "one" form, 11 does not.
        assert!(is_plural_one("ru", 21));
        assert!(!is_plural_one("ru", 11));
        assert!(is_plural_one("not a code!", 1));
        let l = langs();
        assert_eq!(
            l[0].tf_n("chart_city_projects_headline", 2, &[]),
            "2 projects recorded in this place."
        );
        assert_eq!(
            l[0].tf_by("roads_open", 1, &[("n", "1"), ("total", "1")]),
            "1 of 1 road open"
        );
        assert_eq!(
            l[1].tf_by("roads_open", 1, &[("n", "1"), ("total", "1")]),
            "1 yoldan 1-i açılıb"
        );
        assert_eq!(
            l[0].tf_n("chart_partner_headline", 1, &[]),
            "1 project names a partner country or organisation."
        );
        assert_eq!(
            l[0].tf_by(
                "chart_sector_headline",
                1,
                &[("n", "1"), ("completed", "0")]
            ),
            "1 project recorded; completed: 0."
        );
    }

    #[test]
    fn dates_per_language() {
        let l = langs();
        assert_eq!(l[1].date(Date::ymd(2021, 11, 7)), "7 noyabr 2021");
        assert_eq!(l[0].date(Date::ymd(2021, 11, 7)), "7 November 2021");
        assert_eq!(l[0].date(Date::parse("2021-08").unwrap()), "August 2021");
        assert_eq!(l[1].date(Date::parse("2021").unwrap()), "2021-ci il");
        assert_eq!(l[1].date(Date::parse("2026").unwrap()), "2026-cı il");
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
        let missing: Vec<String> = keys(&l[0])
            .into_iter()
            .filter(|k| !l[1].strings.contains_key(k))
            .collect();
        assert!(
            missing.is_empty(),
            "keys of en.yaml missing from az.yaml: {missing:?}"
        );
        let extra: Vec<String> = keys(&l[1])
            .into_iter()
            .filter(|k| !l[0].strings.contains_key(k))
            .collect();
        assert!(
            extra.is_empty(),
            "keys of az.yaml not in en.yaml: {extra:?}"
        );
        for kind in l[0].collections.keys() {
            assert!(l[1].collections.contains_key(kind), "collection {kind}");
        }
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
