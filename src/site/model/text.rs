//! Text in one or several languages: `name: Lachin` or `name: {en: Lachin, az: Laçın}`.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A text field. A plain string belongs to the site's default language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Text {
    #[default]
    Empty,
    Plain(String),
    Langs(LangMap),
}

/// Texts by language code, in code order: a short sorted list rather than a tree, since a
/// record holds many texts in two or three languages each (a tree node takes some 500 bytes
/// however few its entries).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LangMap(Vec<(String, String)>);

impl LangMap {
    fn find(&self, lang: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(lang))
    }

    pub fn get(&self, lang: &str) -> Option<&String> {
        self.find(lang).ok().map(|i| &self.0[i].1)
    }

    pub fn get_key_value(&self, lang: &str) -> Option<(&String, &String)> {
        self.find(lang).ok().map(|i| (&self.0[i].0, &self.0[i].1))
    }

    pub fn contains_key(&self, lang: &str) -> bool {
        self.find(lang).is_ok()
    }

    /// Sets a language's text; whether it had one already.
    pub fn insert(&mut self, lang: String, text: String) -> Option<String> {
        match self.find(&lang) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, text)),
            Err(i) => {
                self.0.insert(i, (lang, text));
                None
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(_, v)| v)
    }
}

impl Serialize for LangMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// A text as seen in one language: the string, and whether it fell back to another language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Localised<'a> {
    pub text: &'a str,
    /// The language the text is really in, when it is not the one asked for.
    pub fallback: Option<&'a str>,
}

impl Text {
    pub fn plain(s: impl Into<String>) -> Self {
        Text::Plain(s.into())
    }

    /// The text in `lang`, else in `default`, else in any language (the first in code order).
    pub fn get<'a>(&'a self, lang: &str, default: &'a str) -> Localised<'a> {
        match self {
            Text::Empty => Localised {
                text: "",
                fallback: None,
            },
            Text::Plain(s) => Localised {
                text: s,
                fallback: (lang != default).then_some(default),
            },
            Text::Langs(m) => {
                if let Some(s) = m.get(lang) {
                    return Localised {
                        text: s,
                        fallback: None,
                    };
                }
                if let Some((k, s)) = m.get_key_value(default) {
                    return Localised {
                        text: s,
                        fallback: Some(k),
                    };
                }
                match m.iter().next() {
                    Some((k, s)) => Localised {
                        text: s,
                        fallback: Some(k),
                    },
                    None => Localised {
                        text: "",
                        fallback: None,
                    },
                }
            }
        }
    }

    /// The text in `lang` (falling back as [`Text::get`] does).
    pub fn in_lang<'a>(&'a self, lang: &str, default: &'a str) -> &'a str {
        self.get(lang, default).text
    }

    /// Whether the text has a version in `lang` (a plain text counts for the default language).
    pub fn has(&self, lang: &str, default: &str) -> bool {
        match self {
            Text::Empty => true,
            Text::Plain(_) => lang == default,
            Text::Langs(m) => m.contains_key(lang),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Text::Empty => true,
            Text::Plain(s) => s.trim().is_empty(),
            Text::Langs(m) => m.values().all(|s| s.trim().is_empty()),
        }
    }

    /// The languages the text names (for checks). A plain string names none.
    pub fn langs(&self) -> Vec<&str> {
        match self {
            Text::Langs(m) => m.keys().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// Every language's text, keyed by language code, for exports (`default` for plain text).
    pub fn all(&self, default: &str) -> BTreeMap<String, String> {
        match self {
            Text::Empty => BTreeMap::new(),
            Text::Plain(s) => BTreeMap::from([(default.to_string(), s.clone())]),
            Text::Langs(m) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "text, or a map of language code to text such as {en: Lachin, az: Laçın}",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::Plain(v))
            }
            // Numbers and booleans written where text is expected are taken as their text.
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut m = LangMap::default();
                while let Some(k) = map.next_key::<String>()? {
                    if !crate::site::config::is_lang_code(&k) {
                        return Err(de::Error::custom(format!(
                            "invalid value: `{k}` is not a language code; expected a language code such as `en` or `az`"
                        )));
                    }
                    let v: String = map.next_value()?;
                    if m.insert(k.clone(), v).is_some() {
                        return Err(de::Error::custom(format!(
                            "invalid value: language `{k}` is given twice; expected each language once"
                        )));
                    }
                }
                Ok(Text::Langs(m))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Text::Empty => s.serialize_str(""),
            Text::Plain(p) => s.serialize_str(p),
            Text::Langs(m) => m.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_default_then_any() {
        let t: Text = serde_yaml::from_str("{en: Lachin, az: Laçın}").unwrap();
        assert_eq!(t.get("az", "en").text, "Laçın");
        assert_eq!(t.get("ru", "en").text, "Lachin");
        assert_eq!(t.get("ru", "en").fallback, Some("en"));
        let p: Text = serde_yaml::from_str("Fuzuli").unwrap();
        assert_eq!(p.get("az", "en").fallback, Some("en"));
        assert_eq!(p.get("en", "en").fallback, None);
    }

    #[test]
    fn languages_are_kept_in_code_order_and_once() {
        let t: Text = serde_yaml::from_str("{en: Lachin, az: Laçın, ru: Лачин}").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"az":"Laçın","en":"Lachin","ru":"Лачин"}"#
        );
        assert_eq!(t.langs(), ["az", "en", "ru"]);
        let e = serde_yaml::from_str::<Text>("{en: A, az: B, en: C}").unwrap_err();
        assert!(
            e.to_string().contains("given twice") || e.to_string().contains("duplicate"),
            "{e}"
        );
    }

    #[test]
    fn rejects_non_language_keys() {
        let e = serde_yaml::from_str::<Text>("{English: Lachin}").unwrap_err();
        assert!(e.to_string().contains("not a language code"), "{e}");
    }
}
