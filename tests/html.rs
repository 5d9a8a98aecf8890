//! Every page the build writes, read the way a browser reads it: parsed with html5ever (the
//! WHATWG parser of Servo) with every parse error collected, then checked for what every page
//! needs — a `lang`, a `<title>`, one `<h1>`, a description — and for references that lead
//! nowhere: every `href`, `src` (and the search form's index) resolves to a file of the output,
//! every `#anchor` to an id of its page, every `aria-labelledby`/`aria-describedby`/`for`/…
//! to an id of the same page, no id is used twice on a page, and the headings' outline never
//! skips a level (an `<h3>` right after the `<h1>` is an error to the Nu HTML Checker).
//!
//! Runs over the sample report and the `mini` fixture; every problem is listed in one failure.
//! No parse error is ignored: html5ever reports none for berpa's pages (inline SVG included, whose
//! self-closing tags are valid in foreign content).

mod common;
use common::*;

use html5ever::tendril::TendrilSink;
use html5ever::tokenizer::TokenizerOpts;
use html5ever::tree_builder::{QuirksMode, TreeBuilderOpts};
use html5ever::{ParseOpts, ns, parse_document};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use std::collections::{BTreeMap, BTreeSet};

/// An element of a parsed page: its name, whether it is in the HTML namespace (an SVG `<title>`
/// or `<a>` is not the page's), its attributes and, for a `<title>`, its text.
struct Element {
    name: String,
    html: bool,
    attrs: Vec<(String, String)>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Parsed {
    errors: Vec<String>,
    quirks: QuirksMode,
    elements: Vec<Element>,
}

fn parse(html: &str) -> Parsed {
    let opts = ParseOpts {
        tokenizer: TokenizerOpts {
            exact_errors: true,
            ..Default::default()
        },
        tree_builder: TreeBuilderOpts {
            exact_errors: true,
            ..Default::default()
        },
    };
    let dom: RcDom = parse_document(RcDom::default(), opts).one(html);
    let mut elements = Vec::new();
    walk(&dom.document, &mut elements);
    Parsed {
        errors: dom.errors.borrow().iter().map(|e| e.to_string()).collect(),
        quirks: dom.quirks_mode.get(),
        elements,
    }
}

fn walk(node: &Handle, out: &mut Vec<Element>) {
    if let NodeData::Element { name, attrs, .. } = &node.data {
        let attrs = attrs
            .borrow()
            .iter()
            .map(|a| {
                let n = match &a.name.prefix {
                    Some(p) => format!("{p}:{}", a.name.local),
                    None => a.name.local.to_string(),
                };
                (n, a.value.to_string())
            })
            .collect();
        let text = if &*name.local == "title" {
            let mut t = String::new();
            text_of(node, &mut t);
            t
        } else {
            String::new()
        };
        out.push(Element {
            name: name.local.to_string(),
            html: name.ns == ns!(html),
            attrs,
            text,
        });
    }
    for child in node.children.borrow().iter() {
        walk(child, out);
    }
}

fn text_of(node: &Handle, out: &mut String) {
    if let NodeData::Text { contents } = &node.data {
        out.push_str(&contents.borrow());
    }
    for child in node.children.borrow().iter() {
        text_of(child, out);
    }
}

/// Attributes that name other elements of the same page by id (space-separated lists).
const IDREF_ATTRS: &[&str] = &[
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-activedescendant",
    "aria-details",
    "aria-errormessage",
    "aria-flowto",
    "for",
    "headers",
    "list",
    "form",
];

/// Attributes holding an address the browser (or search.js) will load or follow.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "xlink:href",
    "action",
    "poster",
    "data-index",
    "data-home",
];

/// Where a link goes in the output: `Ok(Some((path, anchor)))` for a page or file of the site,
/// `Ok(None)` for another site, `Err` for a site-absolute address outside the site's base path.
fn target(
    from: &str,
    url: &str,
    base_url: &str,
    base_path: &str,
) -> Result<Option<(String, Option<String>)>, String> {
    // The query goes; the anchor stays.
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let with_anchor = |p: &str| match anchor {
        Some(a) => format!("{p}#{a}"),
        None => p.to_string(),
    };
    if let Some(rest) = path.strip_prefix(base_url) {
        // The site's own absolute address (canonical and hreflang links, og:url).
        return Ok(resolve("index.html", &with_anchor(rest)));
    }
    let scheme = path
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
    if scheme || path.starts_with("//") {
        return Ok(None);
    }
    if path.starts_with('/') {
        return match path.strip_prefix(base_path) {
            Some(rest) => Ok(resolve("index.html", &with_anchor(rest))),
            None => Err(format!(
                "`{url}` is outside the site's base path {base_path}"
            )),
        };
    }
    Ok(resolve(from, url))
}

/// Checks every HTML page of a built site; returns the problems as "page: what".
fn check_site(out: &berpa::write::OutputSet) -> (usize, Vec<String>) {
    let pages: BTreeMap<&str, Parsed> = out
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, parse(std::str::from_utf8(b).expect("utf-8 page"))))
        .collect();
    assert!(pages.contains_key("index.html") && pages.contains_key("404.html"));
    let ids: BTreeMap<&str, BTreeSet<&str>> = pages
        .iter()
        .map(|(p, d)| {
            let ids = d.elements.iter().filter_map(|e| e.attr("id")).collect();
            (*p, ids)
        })
        .collect();
    // The site's address, from the home page's canonical link.
    let base_url = pages["index.html"]
        .elements
        .iter()
        .find(|e| e.name == "link" && e.attr("rel") == Some("canonical"))
        .and_then(|e| e.attr("href"))
        .expect("the home page has a canonical link")
        .to_string();
    let base_path = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]).to_string(),
        None => "/".to_string(),
    };

    let mut problems = Vec::new();
    for (path, doc) in &pages {
        let mut bad = |m: String| problems.push(format!("{path}: {m}"));
        for e in &doc.errors {
            bad(format!("HTML parse error: {e}"));
        }
        if doc.quirks != QuirksMode::NoQuirks {
            bad(format!(
                "parsed in {:?} mode (no `<!DOCTYPE html>`?)",
                doc.quirks
            ));
        }
        let html_el = |name: &'static str| {
            doc.elements
                .iter()
                .filter(move |e| e.html && e.name == name)
        };
        match html_el("html").next().and_then(|e| e.attr("lang")) {
            Some(l) if !l.trim().is_empty() => {}
            _ => bad("`<html>` has no `lang`".into()),
        }
        let titles: Vec<_> = html_el("title").collect();
        if titles.len() != 1 || titles[0].text.trim().is_empty() {
            bad(format!(
                "needs one non-empty `<title>`, has {:?}",
                titles.iter().map(|t| t.text.as_str()).collect::<Vec<_>>()
            ));
        }
        let h1s = html_el("h1").count();
        if h1s != 1 {
            bad(format!("has {h1s} `<h1>` elements, not one"));
        }
        // The outline: h1 first, then never more than one level deeper than the heading before.
        let levels: Vec<u8> = doc
            .elements
            .iter()
            .filter(|e| e.html && e.name.len() == 2 && e.name.starts_with('h'))
            .filter_map(|e| e.name[1..].parse::<u8>().ok())
            .collect();
        if levels.first().is_some_and(|&l| l != 1) {
            bad(format!(
                "the first heading is an `<h{}>`, not the `<h1>`",
                levels[0]
            ));
        }
        for w in levels.windows(2) {
            if w[1] > w[0] + 1 {
                bad(format!(
                    "an `<h{}>` follows an `<h{}>`, skipping a heading level",
                    w[1], w[0]
                ));
            }
        }
        let description = html_el("meta")
            .find(|e| e.attr("name") == Some("description"))
            .and_then(|e| e.attr("content"));
        if description.is_none_or(|d| d.trim().is_empty()) {
            bad("has no `<meta name=\"description\">` with content".into());
        }

        // Ids: unique, and every reference to one found on the page.
        let mut seen = BTreeSet::new();
        for e in &doc.elements {
            if let Some(id) = e.attr("id") {
                if id.trim().is_empty() || id.contains(char::is_whitespace) {
                    bad(format!("`<{}>` has the id {id:?}", e.name));
                } else if !seen.insert(id) {
                    bad(format!("the id `{id}` is used more than once"));
                }
            }
            for attr in IDREF_ATTRS {
                let Some(v) = e.attr(attr) else { continue };
                if v.split_whitespace().next().is_none() {
                    bad(format!("`<{}>` has an empty `{attr}`", e.name));
                }
                for id in v.split_whitespace() {
                    if !ids[path].contains(id) {
                        bad(format!(
                            "`<{} {attr}=\"{v}\">`: no element has the id `{id}`",
                            e.name
                        ));
                    }
                }
            }
            // Links and sources lead somewhere in the output.
            for attr in URL_ATTRS {
                let Some(url) = e.attr(attr) else { continue };
                if url.trim().is_empty() {
                    // An empty href (or action, or home prefix) is this very page — the home
                    // page's links to itself; an empty src loads the page as an image or script.
                    if !matches!(*attr, "href" | "action" | "data-home") {
                        bad(format!("`<{}>` has an empty `{attr}`", e.name));
                    }
                    continue;
                }
                match target(path, url, &base_url, &base_path) {
                    Err(m) => bad(m),
                    Ok(None) => {}
                    Ok(Some((file, anchor))) => {
                        if !out.contains(&file) {
                            bad(format!("`{attr}=\"{url}\"`: no file {file} in the output"));
                        } else if let Some(a) = anchor {
                            match ids.get(file.as_str()) {
                                _ if a.is_empty() => {
                                    bad(format!("`{attr}=\"{url}\"` is an empty anchor"))
                                }
                                Some(page_ids) if page_ids.contains(a.as_str()) => {}
                                Some(_) => bad(format!(
                                    "`{attr}=\"{url}\"`: {file} has no element with the id `{a}`"
                                )),
                                None => bad(format!("`{attr}=\"{url}\"`: an anchor into {file}")),
                            }
                        }
                    }
                }
            }
        }
    }
    (pages.len(), problems)
}

fn assert_site_ok(name: &str, out: &berpa::write::OutputSet) {
    let (pages, problems) = check_site(out);
    assert!(pages > 1, "{name}: no pages");
    assert!(
        problems.is_empty(),
        "{name}: {} problem(s) in {pages} pages:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn every_page_of_the_sample_report_parses_and_links() {
    assert_site_ok("sample report", &build_ok(&repo()));
}

#[test]
fn every_page_of_the_mini_fixture_parses_and_links() {
    assert_site_ok("mini fixture", &build_ok(&fixture("mini")));
}

/// The checker itself finds what it should: a parse error, a missing h1, a broken link and
/// anchor, a dangling aria-labelledby, a duplicate id.
#[test]
fn the_checker_finds_broken_pages() {
    let mut out = berpa::write::OutputSet::new();
    let head = |body: &str| {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>T</title>\
             <meta name=\"description\" content=\"d\">\
             <link rel=\"canonical\" href=\"https://example.org/site/\"></head><body>{body}</body></html>"
        )
    };
    out.insert("index.html", head("<h1>Home</h1><a href=\"a/\">a</a>"));
    out.insert(
        "404.html",
        head("<h1>Not found</h1><a href=\"/site/\">home</a>"),
    );
    out.insert(
        "a/index.html",
        head(
            "<h1>A</h1><h1>again</h1><p id=\"x\"><p id=\"x\"></p>\
             <section aria-labelledby=\"nope\"></section>\
             <a href=\"../missing/\">m</a><a href=\"../#top\">t</a><a href=\"/elsewhere/\">e</a>\
             <div></span></div><h3>skips h2</h3>",
        ),
    );
    out.insert(
        "b/index.html",
        head("<h2>before</h2><h1>B</h1><a href=\"../\">home</a>"),
    );
    let (_, problems) = check_site(&out);
    let all = problems.join("\n");
    for want in [
        "a/index.html: HTML parse error",
        "a/index.html: has 2 `<h1>` elements",
        "the id `x` is used more than once",
        "no element has the id `nope`",
        "no file missing/index.html",
        "index.html has no element with the id `top`",
        "outside the site's base path /site/",
        "a/index.html: an `<h3>` follows an `<h1>`, skipping a heading level",
        "b/index.html: the first heading is an `<h2>`",
    ] {
        assert!(all.contains(want), "expected {want:?} in:\n{all}");
    }
    assert!(
        !all.contains("404.html") && !all.lines().any(|l| l.starts_with("index.html")),
        "good pages are not reported:\n{all}"
    );
}

/// The navigation and the footer are theme partials rendered once for each way a page shows
/// its links: a site's own partial is used on every page, with the variables documented for it
/// (docs/templates.md), and marks the current link like the theme's.
#[test]
fn a_sites_own_chrome_partials_are_used_on_every_page() {
    let (_t, site) = fixture_copy("mini");
    let theme = build_ok(&site);
    // The theme's footer marks the open-data page on that page, and not the sources page,
    // which the main navigation marks.
    let data = page(&theme, "data/index.html");
    assert!(
        data.contains("<li><a href=\"../data/\" aria-current=\"page\">"),
        "{data}"
    );
    let sources = page(&theme, "sources/index.html");
    assert!(sources.contains("<li><a href=\"../sources/\" aria-current=\"page\">"));
    assert!(
        sources.contains("<li><a href=\"../sources/\">"),
        "{sources}"
    );

    std::fs::create_dir_all(site.join("templates/partials")).unwrap();
    std::fs::write(
        site.join("templates/partials/site-footer.html"),
        "<footer class=\"own\"><p>{{ lang }} {{ home }} {{ site.title }}</p>\
         <p class=\"page\">{{ page_path }}|{% if record %}{{ record.id }}{% endif %}</p>\
         {% for p in footer_links %}<a href=\"{{ p.href }}\"{% if p.current %} aria-current=\"{{ p.current }}\"{% endif %}>{{ p.key }}</a>{% endfor %}\
         </footer>\n",
    )
    .unwrap();
    let own = build_ok(&site);
    let mut pages = 0;
    for (path, bytes) in own.iter() {
        // A chart's embed page, framed by other sites, has no site chrome.
        if path.ends_with(".html") && !path.ends_with("/embed/index.html") {
            let html = String::from_utf8_lossy(bytes);
            assert_eq!(html.matches("<footer class=\"own\">").count(), 1, "{path}");
            assert!(!html.contains("site-footer"), "{path}");
            pages += 1;
        }
    }
    assert!(pages > 10, "{pages} pages");
    let city = page(&own, "az/cities/alpha/index.html");
    assert!(
        city.contains("<footer class=\"own\"><p>az ../../../az/ "),
        "{city}"
    );
    assert!(
        city.contains("<a href=\"../../../az/data/\">data</a>"),
        "{city}"
    );
    // The partials see what the page's template sees.
    assert!(
        city.contains("<p class=\"page\">cities/alpha/|alpha</p>"),
        "{city}"
    );
    let data = page(&own, "data/index.html");
    assert!(data.contains("<p class=\"page\">data/|</p>"), "{data}");
    assert!(data.contains("<p>en ../ "), "{data}");
    assert!(data.contains("<a href=\"../data/\" aria-current=\"page\">data</a>"));
    assert!(
        data.contains("<a href=\"../updates/\">updates</a>"),
        "{data}"
    );
}

/// Browsers ask every site for `/favicon.ico`: the theme ships one at the root (16 and 32 px)
/// and an SVG icon, and every page links both, so no page view logs a 404.
#[test]
fn every_page_links_the_sites_icon() {
    let out = build_ok(&repo());
    let ico = out.get("favicon.ico").expect("favicon.ico at the root");
    // ICONDIR: reserved 0, type 1 (icon), then the number of images and a 16-byte entry each.
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO file");
    let n = u16::from_le_bytes([ico[4], ico[5]]) as usize;
    let sizes: Vec<u8> = (0..n).map(|i| ico[6 + 16 * i]).collect();
    assert_eq!(sizes, [16, 32]);
    for i in 0..n {
        let e = &ico[6 + 16 * i..6 + 16 * (i + 1)];
        let len = u32::from_le_bytes(e[8..12].try_into().unwrap()) as usize;
        let at = u32::from_le_bytes(e[12..16].try_into().unwrap()) as usize;
        assert!(at + len <= ico.len(), "image {i} lies inside the file");
    }
    let svg = std::str::from_utf8(out.get("favicon.svg").expect("favicon.svg")).unwrap();
    let doc = roxmltree::Document::parse(svg).expect("favicon.svg is XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert!(doc.root_element().has_attribute("viewBox"));
    let mut pages = 0;
    for (path, bytes) in out.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = parse(std::str::from_utf8(bytes).unwrap());
        let icons: Vec<&str> = doc
            .elements
            .iter()
            .filter(|e| e.html && e.name == "link" && e.attr("rel") == Some("icon"))
            .filter_map(|e| e.attr("href"))
            .collect();
        assert_eq!(icons.len(), 2, "{path}: {icons:?}");
        assert!(icons[0].ends_with("favicon.ico"), "{path}: {icons:?}");
        assert!(icons[1].ends_with("favicon.svg"), "{path}: {icons:?}");
        pages += 1;
    }
    assert!(pages > 100, "{pages} pages");
}

/// Open Graph names a page's locale as `language_TERRITORY`: `en_GB` on the English pages and
/// `az_AZ` on the Azerbaijani ones, each naming the other as `og:locale:alternate`.
#[test]
fn og_locale_names_language_and_territory() {
    let out = build_ok(&repo());
    let mut pages = 0;
    // A chart's embed page is for other sites' frames, not for sharing: it has no Open Graph.
    let shared = |p: &str| p.ends_with(".html") && !p.ends_with("/embed/index.html");
    for (path, bytes) in out.iter().filter(|(p, _)| shared(p)) {
        let doc = parse(std::str::from_utf8(bytes).unwrap());
        let og = |prop: &str| -> Vec<&str> {
            doc.elements
                .iter()
                .filter(|e| e.name == "meta" && e.attr("property") == Some(prop))
                .filter_map(|e| e.attr("content"))
                .collect()
        };
        let (locale, other) = if path.starts_with("az/") {
            ("az_AZ", "en_GB")
        } else {
            ("en_GB", "az_AZ")
        };
        assert_eq!(og("og:locale"), [locale], "{path}");
        assert_eq!(og("og:locale:alternate"), [other], "{path}");
        pages += 1;
    }
    assert!(pages > 100, "{pages} pages");
}
