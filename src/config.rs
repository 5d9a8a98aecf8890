//! `site.yaml`: the site's title, languages, publisher, licence and build options.

use crate::content::yaml::YamlDoc;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Date, Text};
use serde::{Deserialize, Serialize};
use std::path::Path;

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
    #[serde(default)]
    pub strict: bool,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub dashboard: Dashboard,
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

    /// Loads `site.yaml` from the site root: `None` when it has any problem (each one is
    /// reported).
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Config> {
        match Config::load_checked(root, diags) {
            Loaded::Ok(c) => Some(c),
            Loaded::Flawed(_) | Loaded::Failed => None,
        }
    }

    /// Loads `site.yaml` from the site root, reporting every problem, and says how far it can
    /// be used.
    pub fn load_checked(root: &Path, diags: &mut Diagnostics) -> Loaded {
        let file = "site.yaml";
        let bytes = match crate::input::Site::new(root).read(file, crate::input::TEXT) {
            Ok(Some(b)) => b,
            Ok(None) => {
                diags.push(
                    Diagnostic::error("no-config", file, format!("there is no site.yaml in {}", root.display()))
                        .help("a site needs a site.yaml with at least `title` and `base_url`; `berpa init DIR` writes one"),
                );
                return Loaded::Failed;
            }
            Err(d) => {
                diags.push(d);
                return Loaded::Failed;
            }
        };
        let text = match crate::content::decode(file, &bytes) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                return Loaded::Failed;
            }
        };
        let doc = YamlDoc {
            file,
            text: &text,
            line_offset: 0,
        };
        let mut cfg: Config = match doc.parse("site.yaml") {
            Ok(c) => c,
            Err(d) => {
                diags.push(d);
                return Loaded::Failed;
            }
        };
        if !check_languages(&cfg, &doc, diags) {
            return Loaded::Failed;
        }
        let mut ok = true;
        let urls = [
            (
                "publisher.url",
                cfg.publisher.as_ref().and_then(|p| p.url.clone()),
            ),
            (
                "licence.url",
                cfg.licence.as_ref().and_then(|l| l.url.clone()),
            ),
        ];
        for (field, url) in urls {
            if let Some(u) = url
                && !(u.starts_with("https://") || u.starts_with("http://"))
            {
                diags.push(
                    Diagnostic::error("invalid-url", file, format!("`{u}` is not a web address"))
                        .at(doc.locate(&crate::content::yaml::path(field)))
                        .help("write the full address, starting with https:// or http://"),
                );
                ok = false;
            }
        }
        match normalise_base_url(&cfg.base_url) {
            Ok(u) => cfg.base_url = u,
            Err(m) => {
                diags.push(
                    Diagnostic::error("bad-config", file, m)
                        .at(doc.locate(&crate::content::yaml::path("base_url")))
                        .help("write the full address, for example `base_url: https://example.org/report/`"),
                );
                ok = false;
            }
        }
        if ok {
            Loaded::Ok(cfg)
        } else {
            Loaded::Flawed(cfg)
        }
    }
}

/// What loading `site.yaml` gave.
#[derive(Debug)]
pub enum Loaded {
    Ok(Config),
    /// Read, with its languages right but other values wrong (reported): content can be judged
    /// against it, but no site is built.
    Flawed(Config),
    /// Not read, not parsed, or its languages are wrong (reported): nothing else can be judged,
    /// since what is right in content depends on it.
    Failed,
}

/// Checks `languages`; whether they are right (each problem is reported).
fn check_languages(cfg: &Config, doc: &YamlDoc, diags: &mut Diagnostics) -> bool {
    let file = doc.file;
    let mut ok = true;
    if cfg.languages.is_empty() {
        diags.push(
            Diagnostic::error("bad-config", file, "`languages` is empty")
                .at(doc.locate(&crate::content::yaml::path("languages")))
                .help("list at least one language code, for example `languages: [en]`"),
        );
        ok = false;
    }
    for (i, l) in cfg.languages.iter().enumerate() {
        if !is_lang_code(l) {
            diags.push(
                Diagnostic::error("bad-config", file, format!("`{l}` is not a language code"))
                    .at(doc.locate(&crate::content::yaml::path(&format!("languages[{i}]"))))
                    .help("use lowercase ISO 639 codes such as `en` or `az`"),
            );
            ok = false;
        }
        if cfg.languages[..i].contains(l) {
            diags.push(
                Diagnostic::error(
                    "bad-config",
                    file,
                    format!("language `{l}` is listed twice"),
                )
                .at(doc.locate(&crate::content::yaml::path(&format!("languages[{i}]"))))
                .help("list each language once"),
            );
            ok = false;
        }
    }
    ok
}

impl Config {
    /// Checks the record ids `site.yaml` names (the dashboard's indicators).
    pub fn check_refs(&self, root: &Path, recs: &crate::model::Records) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let Some(ids) = &self.dashboard.indicators else {
            return diags;
        };
        let text = crate::input::Site::new(root)
            .read("site.yaml", crate::input::TEXT)
            .ok()
            .flatten()
            .and_then(|b| crate::content::decode("site.yaml", &b).ok())
            .unwrap_or_default();
        let doc = YamlDoc {
            file: "site.yaml",
            text: &text,
            line_offset: 0,
        };
        let known = recs.ids(crate::model::Kind::Indicator);
        for (i, id) in ids.iter().enumerate() {
            if !recs.known(crate::model::Kind::Indicator, id) {
                let help = match crate::content::yaml::nearest(id, &known) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!("indicators are: {}", known.join(", ")),
                };
                diags.push(
                    Diagnostic::error(
                        "broken-reference",
                        "site.yaml",
                        format!("there is no indicator with the id `{id}`"),
                    )
                    .at(doc.locate(&crate::content::yaml::path(&format!(
                        "dashboard.indicators[{i}]"
                    ))))
                    .help(help),
                );
            }
        }
        diags
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
