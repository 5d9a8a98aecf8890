//! Discovery files: an Atom feed of updates and corrections per language (`feed.xml`,
//! `az/feed.xml`), `sitemap.xml` (a sitemap index with `sitemap-1.xml`, `sitemap-2.xml` … past
//! 50,000 addresses) and `robots.txt`.
//!
//! XML is written by hand: every text and attribute goes through [`xml_escape`], which also drops
//! characters XML 1.0 cannot hold. Absolute addresses come only from `base_url`. Dates come from
//! the records and `data_as_of`, never from the clock.

use super::data::{as_of, date_time};
use crate::edition::{Editions, Published};
use crate::link::all_history;
use crate::site::config::Config;
use crate::site::lang::Lang;
use crate::site::model::{Date, Kind, Records};
use crate::write::Sink;
use crate::write::sink::Origin;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The most addresses one sitemap file may list (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

/// Escapes text for XML element content and attribute values (either quote), dropping the
/// characters XML 1.0 does not allow.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The folder of a language below the site root: "" for the default language, `az/` for others.
pub fn lang_prefix(cfg: &Config, code: &str) -> String {
    if code == cfg.default_lang() {
        String::new()
    } else {
        format!("{code}/")
    }
}

/// The path of a language's feed in the output.
pub fn feed_path(cfg: &Config, code: &str) -> String {
    format!("{}feed.xml", lang_prefix(cfg, code))
}

fn title_of(recs: &Records, kind: Kind, id: &str) -> Option<crate::site::model::Text> {
    let (_, t) = recs.title_at(kind, recs.position(kind, id)?)?;
    Some(t.clone())
}

/// The most entries a feed holds: the newest (a feed reader wants what is new, not everything).
pub const FEED_MAX: usize = 100;

/// The Atom feed of the records' history in one language, newest first (at most [`FEED_MAX`]
/// entries): the first entries of the Updates page.
pub fn atom(cfg: &Config, recs: &Records, lang: &Lang, editions: &Editions) -> String {
    let d = cfg.default_lang();
    let code = lang.code.as_str();
    let prefix = lang_prefix(cfg, code);
    let base = &cfg.base_url;
    let site = cfg.title.in_lang(code, d);
    let history = all_history(recs);
    // The feed changed last when its newest entry did (each entry's `updated` is its own
    // history entry's date); a site with no history yet falls back to its data-as-of date.
    let updated = history
        .first()
        .map(|h| h.2.date)
        .max(editions.list.last().map(|p| p.edition.date))
        .or_else(|| as_of(cfg, recs))
        .unwrap_or(Date::ymd(1970, 1, 1));
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml_escape(code)
    );
    let _ = writeln!(
        x,
        "<title>{}</title>",
        xml_escape(&format!("{site} — {}", lang.t("history")))
    );
    let desc = cfg.description.in_lang(code, d);
    if !desc.is_empty() {
        let _ = writeln!(x, "<subtitle>{}</subtitle>", xml_escape(desc));
    }
    let self_url = format!("{base}{}", feed_path(cfg, code));
    let _ = writeln!(x, "<id>{}</id>", xml_escape(&self_url));
    let _ = writeln!(
        x,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&self_url)
    );
    let _ = writeln!(
        x,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&format!("{base}{prefix}updates/"))
    );
    let _ = writeln!(x, "<updated>{}</updated>", date_time(updated));
    author_and_rights(&mut x, cfg, lang, site);
    x.push_str("<generator>berpa</generator>\n");
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (kind, id, h) in history.into_iter().take(FEED_MAX) {
        let page = format!("{base}{prefix}{}/{id}/", kind.dir());
        let key = format!("{page}#update-{}-{}", h.date, h.kind.code());
        let n = seen.entry(key.clone()).or_default();
        *n += 1;
        let entry_id = format!("{key}-{n}");
        let title = title_of(recs, kind, id)
            .map(|t| t.in_lang(code, d).to_string())
            .unwrap_or_else(|| id.to_string());
        let kind_label = lang.code("history_kind", h.kind.code());
        let note = h.note.get(code, d);
        x.push_str("<entry>\n");
        let _ = writeln!(
            x,
            "<title>{}</title>",
            xml_escape(&format!("{kind_label}: {title}"))
        );
        let _ = writeln!(x, "<id>{}</id>", xml_escape(&entry_id));
        let _ = writeln!(
            x,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_escape(&format!("{page}#history"))
        );
        let _ = writeln!(x, "<updated>{}</updated>", date_time(h.date));
        let _ = writeln!(
            x,
            "<category term=\"{}\" label=\"{}\"/>",
            xml_escape(h.kind.code()),
            xml_escape(&kind_label)
        );
        let lang_attr = note
            .fallback
            .map(|l| format!(" xml:lang=\"{}\"", xml_escape(l)))
            .unwrap_or_default();
        let _ = writeln!(
            x,
            "<summary type=\"text\"{lang_attr}>{}</summary>",
            xml_escape(note.text)
        );
        x.push_str("</entry>\n");
    }
    for p in editions.list.iter().rev() {
        edition_entry(&mut x, cfg, lang, p);
    }
    x.push_str("</feed>\n");
    x
}

/// A feed entry for an edition: its page, its date and what changed since the one before.
fn edition_entry(x: &mut String, cfg: &Config, lang: &Lang, p: &Published) {
    let prefix = lang_prefix(cfg, &lang.code);
    let page = format!("{}{prefix}{}", cfg.base_url, p.edition.path());
    let title = lang.tf("edition_title", &[("date", &lang.date(p.edition.date))]);
    let summary = p
        .changes
        .as_ref()
        .map_or_else(|| lang.t("edition_first").to_string(), |c| c.summary(lang));
    x.push_str("<entry>\n");
    let _ = writeln!(x, "<title>{}</title>", xml_escape(&title));
    let _ = writeln!(x, "<id>{}</id>", xml_escape(&page));
    let _ = writeln!(
        x,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&page)
    );
    let _ = writeln!(x, "<updated>{}</updated>", date_time(p.edition.date));
    let _ = writeln!(
        x,
        "<category term=\"edition\" label=\"{}\"/>",
        xml_escape(lang.t("editions"))
    );
    let _ = writeln!(
        x,
        "<summary type=\"text\">{}</summary>",
        xml_escape(&summary)
    );
    x.push_str("</entry>\n");
}

/// A feed's `<author>` (the publisher, else the site) and `<rights>` (the licence).
fn author_and_rights(x: &mut String, cfg: &Config, lang: &Lang, site: &str) {
    let (code, d) = (lang.code.as_str(), cfg.default_lang());
    let (author, author_url) = match &cfg.publisher {
        Some(p) if !p.name.in_lang(code, d).trim().is_empty() => {
            (p.name.in_lang(code, d).to_string(), p.url.clone())
        }
        _ => (site.to_string(), Some(cfg.base_url.clone())),
    };
    let _ = write!(x, "<author><name>{}</name>", xml_escape(&author));
    if let Some(u) = author_url {
        let _ = write!(x, "<uri>{}</uri>", xml_escape(&u));
    }
    x.push_str("</author>\n");
    if let Some(l) = &cfg.licence {
        let rights = match &l.url {
            Some(u) => format!("{}: {} ({u})", lang.t("licence"), l.name),
            None => format!("{}: {}", lang.t("licence"), l.name),
        };
        let _ = writeln!(x, "<rights>{}</rights>", xml_escape(&rights));
    }
}

/// One address in the sitemap, with its versions in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapUrl {
    pub loc: String,
    pub lastmod: Option<String>,
    /// (language, address) of every version of the page, this one included.
    pub alternates: Vec<(String, String)>,
}

/// The record a page path below a language's home shows (`cities/lachin/`), for its date.
fn record_updated(recs: &Records, rest: &str) -> Option<Date> {
    let mut parts = rest.trim_end_matches('/').split('/');
    let kind = recs.fields.kind(parts.next()?)?;
    let id = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let rec = recs.rec(kind, recs.position(kind, id)?)?;
    rec.common().updated()
}

/// The charts' folder as the start of a page's path.
const CHART_FOLDER: &str = "charts/";

/// Every page of the site (each `index.html` but the 404 page and the charts' embed pages), in
/// path order, as (index of its language, path below that language's home, folder below the
/// site root).
fn sitemap_pages<'a>(
    cfg: &Config,
    paths: impl IntoIterator<Item = &'a str>,
) -> Vec<(usize, &'a str, &'a str)> {
    let mut pages = Vec::new();
    for path in paths {
        let Some(dir) = path.strip_suffix("index.html") else {
            continue;
        };
        if !(dir.is_empty() || dir.ends_with('/')) {
            continue;
        }
        let (lang, rest) = cfg
            .languages
            .iter()
            .enumerate()
            .skip(1)
            .find_map(|(i, l)| {
                dir.strip_prefix(l.as_str())
                    .and_then(|r| r.strip_prefix('/'))
                    .map(|r| (i, r))
            })
            .unwrap_or((0, dir));
        // A chart's embed page is its page's copy for other sites' frames (`noindex`).
        if rest.starts_with(CHART_FOLDER) && rest.ends_with("/embed/") {
            continue;
        }
        pages.push((lang, rest, dir));
    }
    pages
}

/// The sitemap's addresses, made one at a time (a national site has hundreds of thousands):
/// `url(i)` is the `i`th of `len`.
pub struct SitemapUrls<'a> {
    cfg: &'a Config,
    recs: &'a Records,
    pages: Vec<(usize, &'a str, &'a str)>,
    /// The versions of each page below a language's home: (language index, folder), in the
    /// order of the site's languages.
    versions: BTreeMap<&'a str, Vec<(usize, &'a str)>>,
}

impl<'a> SitemapUrls<'a> {
    pub fn new(
        cfg: &'a Config,
        recs: &'a Records,
        paths: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let pages = sitemap_pages(cfg, paths);
        let mut versions: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
        if cfg.languages.len() > 1 {
            for &(lang, rest, dir) in &pages {
                versions.entry(rest).or_default().push((lang, dir));
            }
            for v in versions.values_mut() {
                v.sort();
            }
        }
        SitemapUrls {
            cfg,
            recs,
            pages,
            versions,
        }
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    pub fn url(&self, i: usize) -> SitemapUrl {
        let (_, rest, dir) = self.pages[i];
        let base = &self.cfg.base_url;
        SitemapUrl {
            loc: format!("{base}{dir}"),
            lastmod: record_updated(self.recs, rest).map(|d| d.to_string()),
            alternates: self.versions.get(rest).map_or_else(Vec::new, |v| {
                v.iter()
                    .map(|&(l, d)| (self.cfg.languages[l].clone(), format!("{base}{d}")))
                    .collect()
            }),
        }
    }
}

fn url_xml(x: &mut String, u: &SitemapUrl) {
    let _ = write!(x, "<url><loc>{}</loc>", xml_escape(&u.loc));
    if let Some(m) = &u.lastmod {
        let _ = write!(x, "<lastmod>{}</lastmod>", xml_escape(m));
    }
    for (l, href) in &u.alternates {
        let _ = write!(
            x,
            "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
            xml_escape(l),
            xml_escape(href)
        );
    }
    x.push_str("</url>\n");
}

/// A `<urlset>` of the addresses `range`, written a thousand at a time.
fn write_urlset(
    w: &mut dyn std::io::Write,
    urls: &SitemapUrls,
    range: std::ops::Range<usize>,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    w.write_all(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")?;
    w.write_all(b"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n")?;
    // The entries a few hundred at a time, made on all cores, written in order: this is the
    // last work of a build, which would otherwise run on one core.
    const CHUNK: usize = 512;
    let starts: Vec<usize> = range.clone().step_by(CHUNK).collect();
    for batch in starts.chunks(64) {
        let made: Vec<String> = batch
            .par_iter()
            .map(|&start| {
                let mut x = String::with_capacity(CHUNK * 128);
                for i in start..(start + CHUNK).min(range.end) {
                    url_xml(&mut x, &urls.url(i));
                }
                x
            })
            .collect();
        for x in made {
            w.write_all(x.as_bytes())?;
        }
    }
    w.write_all(b"</urlset>\n")
}

/// Writes the sitemap files: `sitemap.xml` alone, or past `limit` addresses a sitemap index at
/// `sitemap.xml` and the addresses in `sitemap-1.xml`, `sitemap-2.xml` …, each streamed into
/// its file.
pub fn sitemaps(out: &Sink, cfg: &Config, urls: &SitemapUrls, limit: usize) {
    let from = || Origin::made("the sitemap");
    let limit = limit.max(1);
    if urls.len() <= limit {
        out.put_stream("sitemap.xml", from(), |w| {
            write_urlset(w, urls, 0..urls.len())
        });
        return;
    }
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    index.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (i, start) in (0..urls.len()).step_by(limit).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let _ = writeln!(
            index,
            "<sitemap><loc>{}</loc></sitemap>",
            xml_escape(&format!("{}{name}", cfg.base_url))
        );
        let end = (start + limit).min(urls.len());
        out.put_stream(name, from(), |w| write_urlset(w, urls, start..end));
    }
    index.push_str("</sitemapindex>\n");
    out.put("sitemap.xml", index, from());
}

/// `robots.txt`: everything may be crawled; the sitemap's address. (Crawlers read it only at
/// the root of a host: on a sub-path it is harmless and unused.)
pub fn robots(cfg: &Config) -> String {
    format!(
        "# Written by berpa.\nUser-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        cfg.base_url
    )
}

/// Adds the feeds, the sitemap (of the pages already in `out`) and `robots.txt` (unless the
/// site has its own in `static/`).
pub fn add(out: &Sink, cfg: &Config, recs: &Records, langs: &[Lang], editions: &Editions) {
    let paths = out.paths();
    let urls = SitemapUrls::new(cfg, recs, paths.iter().map(String::as_str));
    sitemaps(out, cfg, &urls, SITEMAP_LIMIT);
    for lang in langs {
        let from = Origin::made(format!("the feed in `{}`", lang.code));
        out.put(
            feed_path(cfg, &lang.code),
            atom(cfg, recs, lang, editions),
            from,
        );
    }
    out.put_if_absent(
        "robots.txt",
        robots(cfg),
        Origin::made("berpa's robots.txt"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        serde_yaml::from_str(
            "title: {en: T, az: T}\nbase_url: https://example.test/r/\nlanguages: [en, az]\n",
        )
        .unwrap()
    }

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1}\u{7}d\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;d\n"
        );
    }

    #[test]
    fn splits_past_the_limit_into_an_index() {
        let cfg = cfg();
        let recs = Records::default();
        // Five pages, each in both languages; and a file that is not a page.
        let mut paths: Vec<String> = (0..5)
            .flat_map(|i| [format!("p{i}/index.html"), format!("az/p{i}/index.html")])
            .collect();
        paths.push("data/cities.csv".into());
        paths.sort();
        let urls = SitemapUrls::new(&cfg, &recs, paths.iter().map(String::as_str));
        assert_eq!(urls.len(), 10);
        let made = |limit| {
            let out = Sink::memory();
            sitemaps(&out, &cfg, &urls, limit);
            let set = out.into_memory();
            set.iter()
                .map(|(p, b)| (p.to_string(), String::from_utf8(b.to_vec()).unwrap()))
                .collect::<Vec<(String, String)>>()
        };
        let one = made(10);
        assert_eq!(one.len(), 1);
        assert!(one[0].1.contains("<urlset"));
        assert_eq!(one[0].1.matches("<url>").count(), 10);
        // Each address names both versions, English first.
        assert!(one[0].1.contains(
            "<url><loc>https://example.test/r/az/p3/</loc><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.test/r/p3/\"/><xhtml:link rel=\"alternate\" hreflang=\"az\" href=\"https://example.test/r/az/p3/\"/></url>"
        ));
        let split = made(4);
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        assert!(split[3].1.contains("<sitemapindex"));
        assert!(
            split[3]
                .1
                .contains("<loc>https://example.test/r/sitemap-3.xml</loc>")
        );
        assert_eq!(split[2].1.matches("<url>").count(), 2);
        let total: usize = split[..3]
            .iter()
            .map(|(_, x)| x.matches("<url>").count())
            .sum();
        assert_eq!(total, 10);
        // The same addresses, however they are split.
        let all: String = split[..3].iter().map(|(_, x)| x.as_str()).collect();
        for i in 0..5 {
            assert_eq!(
                all.matches(&format!("<loc>https://example.test/r/p{i}/</loc>"))
                    .count(),
                1
            );
        }
    }

    #[test]
    fn a_charts_page_is_listed_and_its_embed_page_is_not() {
        let cfg = cfg();
        let paths = [
            "az/charts/roads/embed/index.html",
            "az/charts/roads/index.html",
            "charts/roads.svg",
            "charts/roads/embed/index.html",
            "charts/roads/index.html",
        ];
        let dirs: Vec<&str> = sitemap_pages(&cfg, paths).iter().map(|p| p.2).collect();
        assert_eq!(dirs, ["az/charts/roads/", "charts/roads/"]);
    }

    #[test]
    fn a_long_sitemap_lists_every_page_once_in_order() {
        let mut cfg = cfg();
        cfg.languages.truncate(1);
        let recs = Records::default();
        // More pages than the entries made at a time, split across two files.
        let mut paths: Vec<String> = (0..1300).map(|i| format!("p{i:05}/index.html")).collect();
        paths.sort();
        let urls = SitemapUrls::new(&cfg, &recs, paths.iter().map(String::as_str));
        let out = Sink::memory();
        sitemaps(&out, &cfg, &urls, 1000);
        let set = out.into_memory();
        let text = |p: &str| String::from_utf8(set.get(p).unwrap().to_vec()).unwrap();
        let all = text("sitemap-1.xml") + &text("sitemap-2.xml");
        let locs: Vec<&str> = all
            .split("<loc>")
            .skip(1)
            .map(|x| x.split("</loc>").next().unwrap())
            .collect();
        let want: Vec<String> = (0..1300)
            .map(|i| format!("https://example.test/r/p{i:05}/"))
            .collect();
        assert_eq!(locs, want);
        assert!(text("sitemap-2.xml").ends_with("</url>\n</urlset>\n"));
    }

    #[test]
    fn robots_names_the_sitemap() {
        assert!(robots(&cfg()).contains("Sitemap: https://example.test/r/sitemap.xml"));
    }
}
