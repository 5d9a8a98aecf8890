//! `site.yaml`: the site's title, languages, publisher, licence and build options.

use crate::load::yaml::YamlDoc;
use crate::site::diagnostics::{Diagnostic, Diagnostics};
use crate::site::model::{Date, Text};
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

    /// Loads `site.yaml` from the site root. Problems are reported, not returned as errors:
    /// the caller goes on checking content so that one run shows everything.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Config> {
        let file = "site.yaml";
        let path = root.join(file);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                diags.push(
                    Diagnostic::error("no-config", file, format!("cannot read site.yaml: {e}"))
                        .help("a site needs a site.yaml with at least `title` and `base_url`; `berpa init DIR` writes one"),
                );
                return None;
            }
        };
        let text = match crate::load::decode(file, &bytes) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                return None;
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
                return None;
            }
        };
        let mut ok = true;
        if cfg.languages.is_empty() {
            diags.push(
                Diagnostic::error("bad-config", file, "`languages` is empty")
                    .at(doc.locate(&crate::load::yaml::path("languages")))
                    .help("list at least one language code, for example `languages: [en]`"),
            );
            ok = false;
        }
        for (i, l) in cfg.languages.iter().enumerate() {
            if !is_lang_code(l) {
                diags.push(
                    Diagnostic::error("bad-config", file, format!("`{l}` is not a language code"))
                        .at(doc.locate(&crate::load::yaml::path(&format!("languages[{i}]"))))
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
                    .at(doc.locate(&crate::load::yaml::path(&format!("languages[{i}]")))),
                );
                ok = false;
            }
        }
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
                        .at(doc.locate(&crate::load::yaml::path(field)))
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
                        .at(doc.locate(&crate::load::yaml::path("base_url")))
                        .help("write the full address, for example `base_url: https://example.org/report/`"),
                );
                ok = false;
            }
        }
        ok.then_some(cfg)
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
            data_as_of: None,
            strict: false,
            markdown: MarkdownConfig::default(),
            dashboard: Dashboard::default(),
        }
    }

    /// Checks the record ids `site.yaml` names (the dashboard's indicators).
    pub fn check_refs(&self, root: &Path, recs: &crate::site::model::Records) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let Some(ids) = &self.dashboard.indicators else {
            return diags;
        };
        let text = std::fs::read(root.join("site.yaml"))
            .ok()
            .and_then(|b| crate::load::decode("site.yaml", &b).ok())
            .unwrap_or_default();
        let doc = YamlDoc {
            file: "site.yaml",
            text: &text,
            line_offset: 0,
        };
        let known = recs.ids(crate::site::model::Kind::Indicator);
        for (i, id) in ids.iter().enumerate() {
            if !recs.contains(crate::site::model::Kind::Indicator, id) {
                let help = match crate::load::yaml::nearest(id, &known) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!("indicators are: {}", known.join(", ")),
                };
                diags.push(
                    Diagnostic::error(
                        "broken-reference",
                        "site.yaml",
                        format!("there is no indicator with the id `{id}`"),
                    )
                    .at(doc.locate(&crate::load::yaml::path(&format!(
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
