//! `site.yaml`: the site's title, languages, publisher, licence and build options.

use crate::site::model::{Date, Kind, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: Text,
    #[serde(default)]
    pub description: Text,
    /// Where the site is published, ending in `/`. Links in pages are relative, so the site
    /// also works from any other place; this is used for canonical links, feeds and sitemaps.
    pub base_url: String,
    /// Language codes; the first is the default, served at the root.
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    pub publisher: Option<Publisher>,
    pub licence: Option<Licence>,
    pub data_as_of: Option<Date>,
    /// The publisher's registered OC4IDS project identifier prefix (`oc4ids-` and six lowercase
    /// letters or digits): the OC4IDS package's project ids are built from it.
    pub oc4ids_prefix: Option<String>,
    #[serde(default)]
    pub strict: bool,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub dashboard: Dashboard,
    /// Fields the site declares, by collection (`cities`) and name, as written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, BTreeMap<String, FieldDecl>>,
    /// Collections the site declares, by folder (`schools`), as written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub collections: BTreeMap<String, CollectionDecl>,
    /// The declarations of `fields` and of the collections' fields, checked and in the order
    /// written (`load::config` makes them; each becomes a row of the field table).
    #[serde(skip)]
    pub declared: Vec<Declared>,
    /// The collections of `collections`, checked and in the order written.
    #[serde(skip)]
    pub own: Vec<Collection>,
    /// The exchange rates totals in several currencies are converted by (never otherwise).
    pub exchange_rates: Option<ExchangeRates>,
}

/// A collection as `site.yaml` declares it: `schools: {label: {en: Schools}, fields: {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionDecl {
    /// Its name per language, as a heading over its list (`Schools`).
    pub label: Text,
    /// One of its records per language (`School`); else the label.
    #[serde(default)]
    pub one: Text,
    /// Its fields besides `name`, `location`, `summary`, `updated`, `sources` and `history`.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldDecl>,
}

/// A declared collection, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    pub kind: Kind,
    pub label: Text,
    pub one: Text,
}

/// The codes of a declared collection's `status` when it does not declare its own: a project's.
pub const OWN_STATUSES: [&str; 4] = ["planned", "in-progress", "completed", "cancelled"];

/// A field as `site.yaml` declares it: `households: {type: number, label: {en: Households}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDecl {
    /// `text`, `number`, `money`, `date`, `enum`, `url`, `boolean`, `reference`, or
    /// `list of <type>`.
    #[serde(rename = "type")]
    pub ty: String,
    /// An enum's codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// A reference's collection.
    pub to: Option<String>,
    /// Its label per language (else its name).
    #[serde(default)]
    pub label: Text,
    /// A column of the collection's list page.
    #[serde(default)]
    pub list: bool,
    /// Charts may group, stack and filter by it, and it has pages per value.
    #[serde(default)]
    pub group: bool,
}

/// The type of a declared field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclType {
    Text,
    Number,
    Money,
    Date,
    Enum,
    Url,
    Boolean,
    Reference(Kind),
}

impl DeclType {
    /// The names `type:` takes.
    pub const NAMES: &'static [&'static str] = &[
        "text",
        "number",
        "money",
        "date",
        "enum",
        "url",
        "boolean",
        "reference",
    ];
}

/// A declared field, checked: a row of the field table made at run time.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    pub kind: Kind,
    pub name: String,
    pub ty: DeclType,
    /// A list of values of `ty`.
    pub many: bool,
    pub values: Vec<String>,
    pub label: Text,
    pub list: bool,
    pub group: bool,
}

/// An exchange-rate table: a total of amounts in several currencies is also given as one amount
/// in `to`, saying whose rates of which date made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRates {
    /// The ISO 4217 code of the currency totals are converted into.
    pub to: String,
    /// Who published the rates (`Central Bank of Azerbaijan`).
    pub source: Text,
    pub url: Option<String>,
    /// The day the rates are of.
    pub date: Date,
    /// How many units of `to` one unit of each currency is worth (`AZN: 0.588`).
    pub rates: std::collections::BTreeMap<String, f64>,
}

impl ExchangeRates {
    /// The amounts of `totals` (per currency) as one amount in `to`; `None` when a currency has
    /// no rate.
    pub fn convert<'a>(&self, totals: impl IntoIterator<Item = (&'a str, f64)>) -> Option<f64> {
        let mut sum = 0.0;
        for (code, amount) in totals {
            let rate = if code == self.to {
                1.0
            } else {
                *self.rates.get(code)?
            };
            sum += amount * rate;
        }
        Some(sum)
    }
}

/// What the home page shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dashboard {
    /// Indicator ids for the key figures, in order. Default: every indicator with a target
    /// and no scope, by id.
    pub indicators: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    pub name: Text,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Let raw HTML in Markdown through, sanitised. Off: raw HTML is shown as text.
    #[serde(default)]
    pub allow_html: bool,
}

fn default_languages() -> Vec<String> {
    vec!["en".into()]
}

/// Whether `s` is an OC4IDS project identifier prefix: `oc4ids-` and six lowercase letters or
/// digits (`^oc4ids-[a-z0-9]{6}$`).
pub fn is_oc4ids_prefix(s: &str) -> bool {
    s.strip_prefix("oc4ids-").is_some_and(|rest| {
        rest.len() == 6
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// Where to read about and register an OC4IDS project identifier prefix.
pub const OC4IDS_PREFIX_GUIDANCE: &str = "https://standard.open-contracting.org/infrastructure/latest/en/guidance/identifiers/#project-identifier-prefixes";

/// A two- or three-letter lowercase language code (ISO 639), optionally with a region: `en`,
/// `az`, `pt-br`.
pub fn is_lang_code(s: &str) -> bool {
    let (lang, region) = match s.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (s, None),
    };
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| {
            (2..=4).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

impl Config {
    pub fn default_lang(&self) -> &str {
        &self.languages[0]
    }
}

impl Config {
    /// A configuration to check records against when site.yaml itself could not be read.
    pub fn stand_in(languages: Vec<String>) -> Config {
        Config {
            title: Text::Empty,
            description: Text::Empty,
            base_url: "https://example.invalid/".into(),
            languages: if languages.is_empty() {
                default_languages()
            } else {
                languages
            },
            publisher: None,
            licence: None,
            oc4ids_prefix: None,
            data_as_of: None,
            strict: false,
            markdown: MarkdownConfig::default(),
            dashboard: Dashboard::default(),
            fields: BTreeMap::new(),
            collections: BTreeMap::new(),
            declared: Vec::new(),
            own: Vec::new(),
            exchange_rates: None,
        }
    }
}

/// Checks a base URL and makes sure it ends with `/`.
pub fn normalise_base_url(url: &str) -> Result<String, String> {
    let u = url.trim();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{u}` must start with https:// or http://"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err(format!("base_url `{u}` has no host name"));
    }
    let mut s = u.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oc4ids_prefixes() {
        assert!(is_oc4ids_prefix("oc4ids-bu3kcz"));
        assert!(is_oc4ids_prefix("oc4ids-sample"));
        for bad in [
            "",
            "oc4ids-",
            "oc4ids-abc12",
            "oc4ids-abc1234",
            "oc4ids-ABC123",
            "oc4ids-abc-12",
            "ocds-abc123",
            "OC4IDS-abc123",
            " oc4ids-abc123",
            "oc4ids-abc12é",
        ] {
            assert!(!is_oc4ids_prefix(bad), "{bad:?}");
        }
    }

    #[test]
    fn language_codes() {
        assert!(is_lang_code("en"));
        assert!(is_lang_code("az"));
        assert!(is_lang_code("pt-br"));
        assert!(!is_lang_code("English"));
        assert!(!is_lang_code("e"));
    }

    #[test]
    fn base_url_gets_a_slash() {
        assert_eq!(
            normalise_base_url("https://example.org/report").unwrap(),
            "https://example.org/report/"
        );
        assert!(normalise_base_url("example.org").is_err());
        assert!(normalise_base_url("https://").is_err());
    }
}
