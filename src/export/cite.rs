//! Suggested citations of a record or a chart: as text for its page, and as CSL-JSON
//! (`cite.json`) and BibTeX (`cite.bib`) files beside the page. A citation names the publisher,
//! the record's (or chart's) title, the site, the edition's date and the edition's address,
//! where the data it cites stays as it was; before the current data has an edition, the page
//! and the data's date.

use crate::edition::{DIR, Editions};
use crate::site::config::Config;
use crate::site::model::{CHARTS_DIR, Date, Kind};
use serde_json::{Value, json};

/// What a citation of one record (or chart) says, in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    /// What is cited: a record's kind (`city`, …) or `chart`; the key starts with it.
    pub what: String,
    pub id: String,
    /// The interface language.
    pub lang: String,
    pub publisher: String,
    pub title: String,
    /// The site's title.
    pub site: String,
    /// The edition's date, else the data's (`data_as_of`).
    pub date: Option<Date>,
    /// Whether `date` is an edition's (its data kept at `url`).
    pub edition: bool,
    /// The edition's address, else the record's page.
    pub url: String,
    /// The record's (or chart's) page.
    pub page: String,
    /// What the page is, in the notes of the CSL-JSON and BibTeX (`Record`, `Chart`).
    pub page_label: &'static str,
    pub licence: Option<String>,
}

impl Citation {
    /// The citation of the record `kind`/`id` titled `title`, in the language `lang` (whose
    /// pages are below `prefix`, such as `az/`).
    pub fn new(
        cfg: &Config,
        editions: &Editions,
        (kind, id, title): (Kind, &str, &str),
        lang: &str,
        prefix: &str,
    ) -> Citation {
        let page = format!("{}{prefix}{}/{id}/", cfg.base_url, kind.dir());
        Self::of(
            cfg,
            editions,
            (kind.name(), id, title),
            lang,
            (prefix, page),
        )
    }

    /// The citation of the chart `id` titled `title` (its page `charts/<id>/`).
    pub fn chart(
        cfg: &Config,
        editions: &Editions,
        (id, title): (&str, &str),
        lang: &str,
        prefix: &str,
    ) -> Citation {
        let page = format!("{}{prefix}{CHARTS_DIR}/{id}/", cfg.base_url);
        let mut c = Self::of(cfg, editions, ("chart", id, title), lang, (prefix, page));
        c.page_label = "Chart";
        c
    }

    fn of(
        cfg: &Config,
        editions: &Editions,
        (what, id, title): (&str, &str, &str),
        lang: &str,
        (prefix, page): (&str, String),
    ) -> Citation {
        let d = cfg.default_lang();
        let site = cfg.title.in_lang(lang, d).to_string();
        let publisher = cfg
            .publisher
            .as_ref()
            .map(|p| p.name.in_lang(lang, d).to_string())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| site.clone());
        let base = &cfg.base_url;
        let (date, edition, url) = match editions.cited {
            Some(e) => (Some(e), true, format!("{base}{prefix}{DIR}/{e}/")),
            None => (cfg.data_as_of, false, page.clone()),
        };
        Citation {
            what: what.to_string(),
            id: id.to_string(),
            lang: lang.to_string(),
            publisher,
            title: title.to_string(),
            site,
            date,
            edition,
            url,
            page,
            page_label: "Record",
            licence: cfg.licence.as_ref().map(|l| l.name.clone()),
        }
    }

    /// The citation key: ASCII letters, digits and hyphens.
    pub fn key(&self) -> String {
        let date = self.date.map(|d| format!("-{d}")).unwrap_or_default();
        format!("{}-{}{date}", self.what, self.id)
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect()
    }

    /// The citation as CSL-JSON (an array of one item), for reference managers.
    pub fn csl_json(&self) -> Vec<u8> {
        let mut item = json!({
            "id": self.key(),
            "type": "dataset",
            "title": self.title,
            "publisher": self.publisher,
            "author": [{ "literal": self.publisher }],
            "container-title": self.site,
            "URL": self.url,
            "language": self.lang,
            "note": format!("{}: {}", self.page_label, self.page),
        });
        if let (Some(d), Some(m)) = (self.date, item.as_object_mut()) {
            let parts: Vec<Value> = [Some(d.year), d.month.map(i32::from), d.day.map(i32::from)]
                .into_iter()
                .flatten()
                .map(Value::from)
                .collect();
            m.insert("issued".into(), json!({ "date-parts": [parts] }));
            if self.edition {
                m.insert("version".into(), Value::String(d.to_string()));
            }
        }
        if let (Some(l), Some(m)) = (&self.licence, item.as_object_mut()) {
            m.insert("license".into(), Value::String(l.clone()));
        }
        let mut s = serde_json::to_vec_pretty(&Value::Array(vec![item])).expect("JSON");
        s.push(b'\n');
        s
    }

    /// The citation as a BibTeX `@misc` entry, every text escaped.
    pub fn bibtex(&self) -> String {
        let mut fields: Vec<(&str, String)> = vec![
            ("author", format!("{{{}}}", bib_text(&self.publisher))),
            ("title", format!("{{{}}}", bib_text(&self.title))),
            ("howpublished", bib_text(&self.site)),
        ];
        if let Some(d) = self.date {
            fields.push(("year", d.year.to_string()));
            if let Some(m) = d.month {
                fields.push(("month", m.to_string()));
            }
            if self.edition {
                fields.push(("version", d.to_string()));
            }
        }
        fields.push(("url", bib_url(&self.url)));
        fields.push((
            "note",
            format!("{}: \\url{{{}}}", self.page_label, bib_url(&self.page)),
        ));
        fields.push(("language", bib_text(&self.lang)));
        let mut s = format!("@misc{{{},\n", self.key());
        for (name, value) in fields {
            s.push_str(&format!("  {name} = {{{value}}},\n"));
        }
        s.push_str("}\n");
        s
    }
}

/// Text for a BibTeX field: the characters TeX gives a meaning escaped, control characters
/// dropped.
pub fn bib_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An address for a BibTeX `url` field (read verbatim): the characters that would end the
/// field or escape from it percent-encoded.
pub fn bib_url(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_control() || c == ' ' => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibtex_escapes_what_tex_reads() {
        assert_eq!(
            bib_text("50% & {more} $5 #1 a_b ^ ~ \\x"),
            "50\\% \\& \\{more\\} \\$5 \\#1 a\\_b \\textasciicircum{} \\textasciitilde{} \\textbackslash{}x"
        );
        assert_eq!(
            bib_url("https://x.test/a}b{c\\"),
            "https://x.test/a%7Db%7Bc%5C"
        );
    }
}
