//! Markdown to HTML with pulldown-cmark: headings get anchors and form an outline below the
//! heading the text sits under, without skipped levels,
//! internal links (`@/cities/lachin`) are made relative, dangerous URLs are dropped, and raw
//! HTML is shown as text unless the site allows it (then it is sanitised). Rendering reports
//! nothing: [`problems`] finds what is wrong in a text (the check stage runs it), and a link
//! or chart block that cannot be resolved is rendered as its text alone, or left out.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct MdOptions<'a> {
    /// Let raw HTML through, sanitised with ammonia. Off: raw HTML is escaped and shown as text.
    pub allow_html: bool,
    /// The level the text's first heading takes: [`UNDER_H1`] for a free page's body (below the
    /// page's `<h1>`), [`UNDER_H2`] for a record's narrative (below its section's `<h2>`).
    pub top_heading: u8,
    /// The accessible name of the scrolling box a table sits in, in the page's language.
    pub table_label: &'a str,
}

/// [`MdOptions::top_heading`] for a text right below a page's `<h1>`.
pub const UNDER_H1: u8 = 2;
/// [`MdOptions::top_heading`] for a text below a section's `<h2>`.
pub const UNDER_H2: u8 = 3;

impl Default for MdOptions<'_> {
    fn default() -> Self {
        MdOptions {
            allow_html: false,
            top_heading: UNDER_H1,
            table_label: "Table",
        }
    }
}

/// Gives Markdown headings levels that never skip one: the first heading takes `top`, a heading
/// deeper in the source than the one before goes one level below it however many levels the
/// source skips, and a heading as deep as or shallower than an earlier one takes that one's
/// level (so `### a`, `# b`, `## c` become h2, h2, h3 with `top` 2). Nothing goes below h6.
struct Outline {
    top: u8,
    /// The open headings: (level in the source, level given).
    open: Vec<(u8, u8)>,
}

impl Outline {
    fn new(top: u8) -> Self {
        Outline {
            top: top.clamp(1, 6),
            open: Vec::new(),
        }
    }

    fn level(&mut self, source: HeadingLevel) -> HeadingLevel {
        let source = source as u8;
        while self.open.last().is_some_and(|&(s, _)| s >= source) {
            self.open.pop();
        }
        let given = self.open.last().map_or(self.top, |&(_, g)| (g + 1).min(6));
        self.open.push((source, given));
        HeadingLevel::try_from(given as usize).unwrap_or(HeadingLevel::H6)
    }
}

/// A problem in a Markdown text, at a byte offset of that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdProblem {
    /// The diagnostic's code: `broken-link` or `too-deep`.
    pub code: &'static str,
    pub offset: usize,
    pub message: String,
    pub help: String,
}

/// The result of rendering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Headings found, as (level, id, text), for a table of contents.
    pub headings: Vec<(u8, String, String)>,
}

/// Whether a URL is safe to link to: not `javascript:`, `data:`, `vbscript:` or `file:`.
pub fn is_safe_url(url: &str) -> bool {
    // Only the start matters: as many characters as the longest scheme below.
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .take("javascript:".len())
        .collect();
    !(lower.starts_with("javascript:")
        || lower.starts_with("data:")
        || lower.starts_with("vbscript:")
        || lower.starts_with("file:"))
}

fn slug(s: &str) -> String {
    crate::site::model::suggest_id(s)
}

/// Renders `md`. `resolve` turns an internal link target (the part after `@/`, such as
/// `cities/lachin` or `pages/about#history`) into a URL relative to the page; one it cannot
/// resolve (an `Err`, which [`problems`] reports) leaves the link's text without a link.
pub fn render(
    md: &str,
    opts: MdOptions,
    resolve: &dyn Fn(&str) -> Result<String, String>,
) -> Rendered {
    render_with(md, opts, resolve, &|id: &str| {
        Err(format!("there is no chart `{id}`"))
    })
}

/// Like [`render`], with `embed` turning a fenced ` ```chart ` block (whose text is a chart id)
/// into the chart's HTML.
pub fn render_with(
    md: &str,
    opts: MdOptions<'_>,
    resolve: &dyn Fn(&str) -> Result<String, String>,
    embed: &dyn Fn(&str) -> Result<String, String>,
) -> Rendered {
    // A text nested too deeply is not parsed: its cost would grow far beyond its size.
    if too_deep(md).is_some() {
        return Rendered::default();
    }
    let mut walk = Walk::new(opts, resolve, embed);
    let mut depth = 0usize;
    for (ev, range) in Parser::new_ext(md, parse_options()).into_offset_iter() {
        if walk.in_chart.is_some() {
            walk.chart_block(ev);
            continue;
        }
        // Nesting that a line's markers alone do not show (lists nested by indenting).
        if deeper(&ev, &mut depth) {
            return Rendered::default();
        }
        walk.event(ev, range.start);
    }
    walk.finish(md.len())
}

/// The Markdown extensions berpa reads.
fn parse_options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options
}

/// What is wrong in `md`, without rendering it: nesting deeper than [`MAX_NESTING`] (then
/// nothing else), each internal link (`@/…`) that `resolve` cannot resolve and each
/// ` ```chart ` block whose id `chart` does not know, in the order of the text.
pub fn problems(
    md: &str,
    resolve: &dyn Fn(&str) -> Result<(), String>,
    chart: &dyn Fn(&str) -> Result<(), String>,
) -> Vec<MdProblem> {
    if let Some(offset) = too_deep(md) {
        return vec![too_deep_problem(offset)];
    }
    let mut found = Vec::new();
    let mut depth = 0usize;
    // Inside a ```chart block: (offset of the block, its text so far).
    let mut in_chart: Option<(usize, String)> = None;
    for (ev, range) in Parser::new_ext(md, parse_options()).into_offset_iter() {
        if let Some((start, text)) = &mut in_chart {
            match ev {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let id = text.trim();
                    if let Err(m) = chart(id) {
                        found.push(chart_problem(id, &m, *start));
                    }
                    in_chart = None;
                }
                _ => {}
            }
            continue;
        }
        if deeper(&ev, &mut depth) {
            return vec![too_deep_problem(range.start)];
        }
        match ev {
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info)))
                if info.trim() == "chart" =>
            {
                in_chart = Some((range.start, String::new()));
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(Err(m)) = dest_url.strip_prefix("@/").map(resolve) {
                    found.push(link_problem(&dest_url, &m, range.start));
                }
            }
            _ => {}
        }
    }
    found
}

/// An internal link `url` that leads nowhere (`why`), at `offset`.
fn link_problem(url: &str, why: &str, offset: usize) -> MdProblem {
    MdProblem {
        code: "broken-link",
        offset,
        message: format!("broken internal link `{url}`: {why}"),
        help: "internal links look like @/cities/lachin, @/projects/by-sector/education, @/pages/about, @/data, @/map, @/updates, @/editions, @/changes or @/sources (docs/content.md lists them)".into(),
    }
}

/// A chart block naming a chart `id` there is not (`why`), at `offset`.
fn chart_problem(id: &str, why: &str, offset: usize) -> MdProblem {
    MdProblem {
        code: "broken-link",
        offset,
        message: format!("cannot embed the chart `{id}`: {why}"),
        help: "a chart block holds one chart id from content/charts/, such as ```chart\nroad-length\n```".into(),
    }
}

/// The state of one text's rendering: the events so far and what is open.
struct Walk<'a, 'r> {
    opts: MdOptions<'r>,
    resolve: &'r dyn Fn(&str) -> Result<String, String>,
    embed: &'r dyn Fn(&str) -> Result<String, String>,
    events: Vec<Event<'a>>,
    /// For each open link: whether it was kept (a link dropped for an unsafe URL or a broken
    /// target loses its end tag too).
    link_stack: Vec<bool>,
    /// The open heading: (its start event, its level).
    in_heading: Option<(usize, HeadingLevel)>,
    outline: Outline,
    heading_text: String,
    headings: Vec<(u8, String, String)>,
    used_ids: BTreeMap<String, usize>,
    /// Inside a ```chart block: (offset of the block, its text so far).
    in_chart: Option<(usize, String)>,
    /// Charts are put in after sanitising (berpa's own SVG must not be cleaned away); until
    /// then a marker holds their place.
    embedded: Vec<String>,
}

impl<'a, 'r> Walk<'a, 'r> {
    fn new(
        opts: MdOptions<'r>,
        resolve: &'r dyn Fn(&str) -> Result<String, String>,
        embed: &'r dyn Fn(&str) -> Result<String, String>,
    ) -> Self {
        Walk {
            opts,
            resolve,
            embed,
            events: Vec::new(),
            link_stack: Vec::new(),
            in_heading: None,
            outline: Outline::new(opts.top_heading),
            heading_text: String::new(),
            headings: Vec::new(),
            used_ids: BTreeMap::new(),
            in_chart: None,
            embedded: Vec::new(),
        }
    }

    /// An event inside a ```chart block: its text is the chart id; at its end the chart goes in.
    fn chart_block(&mut self, ev: Event<'a>) {
        let Some((_, text)) = &mut self.in_chart else {
            return;
        };
        match ev {
            Event::Text(t) => text.push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                // A chart there is not ([`problems`] reports it) is left out.
                if let Ok(html) = (self.embed)(text.trim()) {
                    let marker = chart_marker(self.embedded.len());
                    self.events.push(Event::Text(CowStr::from(marker)));
                    self.embedded.push(html);
                }
                self.in_chart = None;
            }
            _ => {}
        }
    }

    /// One event of the text (outside chart blocks), at byte `offset`.
    fn event(&mut self, ev: Event<'a>, offset: usize) {
        match ev {
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(ref info)))
                if info.trim() == "chart" =>
            {
                self.in_chart = Some((offset, String::new()));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                // Below the heading the text sits under: the page's title is its only <h1>.
                let level = self.outline.level(level);
                self.in_heading = Some((self.events.len(), level));
                self.heading_text.clear();
                self.events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(_)) => self.heading_end(),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link_start(link_type, &dest_url, title, id),
            Event::End(TagEnd::Link) => {
                if self.link_stack.pop().unwrap_or(true) {
                    self.events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = if is_safe_url(&dest_url) {
                    dest_url
                } else {
                    CowStr::from("")
                };
                self.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: url,
                    title,
                    id,
                }));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                self.events.push(if self.opts.allow_html {
                    Event::Html(h)
                } else {
                    Event::Text(h)
                });
            }
            Event::Text(t) => {
                if self.in_heading.is_some() {
                    self.heading_text.push_str(&t);
                }
                self.events.push(Event::Text(t));
            }
            Event::Code(t) => {
                if self.in_heading.is_some() {
                    self.heading_text.push_str(&t);
                }
                self.events.push(Event::Code(t));
            }
            // Wide tables scroll in their own box, reachable by keyboard.
            Event::Start(Tag::Table(align)) => {
                let label = super::escape::esc(self.opts.table_label);
                self.events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" role=\"region\" aria-label=\"{label}\" tabindex=\"0\">"
                ))));
                self.events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                self.events.push(Event::End(TagEnd::Table));
                self.events.push(Event::Html(CowStr::from("</div>")));
            }
            other => self.events.push(other),
        }
    }

    /// A heading's end: it gets its anchor (unique in the text) and joins the outline.
    fn heading_end(&mut self) {
        let Some((start, level)) = self.in_heading.take() else {
            return;
        };
        let base = slug(&self.heading_text);
        let n = self.used_ids.entry(base.clone()).or_insert(0);
        *n += 1;
        let id = if *n == 1 { base } else { format!("{base}-{n}") };
        if let Event::Start(Tag::Heading { id: hid, .. }) = &mut self.events[start] {
            *hid = Some(CowStr::from(id.clone()));
        }
        self.headings
            .push((level as u8, id, self.heading_text.clone()));
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    /// A link's start: an internal link (`@/…`) resolved, an unsafe URL dropped.
    fn link_start(&mut self, link_type: LinkType, url: &str, title: CowStr<'a>, id: CowStr<'a>) {
        // A target there is not ([`problems`] reports it) leaves the link's text alone.
        let new_url = if let Some(target) = url.strip_prefix("@/") {
            (self.resolve)(target).ok()
        } else if is_safe_url(url) {
            Some(url.to_string())
        } else {
            None
        };
        self.link_stack.push(new_url.is_some());
        if let Some(u) = new_url {
            self.events.push(Event::Start(Tag::Link {
                link_type: if link_type == LinkType::Email {
                    LinkType::Email
                } else {
                    LinkType::Inline
                },
                dest_url: CowStr::from(u),
                title,
                id,
            }));
        }
    }

    /// The HTML: column alignment as classes, raw HTML sanitised, the charts put in.
    fn finish(self, md_len: usize) -> Rendered {
        let mut html = String::with_capacity(md_len * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        // Table column alignment comes out as inline styles, which the site's Content-Security-
        // Policy forbids: the stylesheet's classes do the same.
        if align_finder().find(html.as_bytes()).is_some() {
            html = align_classes(&html);
        }
        if self.opts.allow_html {
            html = sanitise(&html);
        }
        for (i, chart) in self.embedded.iter().enumerate() {
            html = html.replacen(&chart_marker(i), chart, 1);
        }
        Rendered {
            html,
            headings: self.headings,
        }
    }
}

/// The deepest nesting of block quotes and list items a Markdown text may have.
pub const MAX_NESTING: usize = 32;

/// The problem of a text nested deeper than [`MAX_NESTING`], at `offset`.
pub fn too_deep_problem(offset: usize) -> MdProblem {
    MdProblem {
        code: "too-deep",
        offset,
        message: format!(
            "block quotes and lists are nested more than {MAX_NESTING} levels deep here"
        ),
        help: format!(
            "nest quotes and lists at most {MAX_NESTING} levels deep: each `>` or list marker (`-`, `*`, `1.`) opening a line, and each indented list, is one more level"
        ),
    }
}

/// Counts the block quotes and list items `ev` opens or closes into `depth`; whether it went
/// past [`MAX_NESTING`].
fn deeper(ev: &Event, depth: &mut usize) -> bool {
    match ev {
        Event::Start(Tag::BlockQuote(_) | Tag::Item) => *depth += 1,
        Event::End(TagEnd::BlockQuote(_) | TagEnd::Item) => *depth = depth.saturating_sub(1),
        _ => {}
    }
    *depth > MAX_NESTING
}

/// Where a line of `md` opens block quotes and list items deeper than [`MAX_NESTING`] by its
/// own markers (`> > - 1. …`): the byte offset of the marker that goes past it. Only the
/// start of each line is read, so this costs next to nothing and runs before parsing (whose
/// cost for such a line grows with its depth, far beyond the text's size). Lines in fenced code
/// blocks, and thematic breaks such as `- - -`, are left alone.
pub fn too_deep(md: &str) -> Option<usize> {
    // In a fenced code block: its fence character and length.
    let mut fence: Option<(u8, usize)> = None;
    let mut start = 0;
    for line in md.split_inclusive('\n') {
        let at = start;
        start += line.len();
        let (cross, rest) = line_markers(line);
        let rest = rest.trim_start_matches([' ', '\t']);
        if let Some((c, n)) = fence {
            let t = rest.trim_end();
            if t.len() >= n && t.bytes().all(|b| b == c) {
                fence = None;
            }
            continue;
        }
        if let Some(off) = cross {
            return Some(at + off);
        }
        let run = |c: u8| rest.bytes().take_while(|&b| b == c).count();
        fence = [b'`', b'~']
            .into_iter()
            .map(|c| (c, run(c)))
            .find(|&(_, n)| n >= 3);
    }
    None
}

/// The block quote and list markers opening `line`: the offset of the one that goes past
/// [`MAX_NESTING`] (if any), and the rest of the line.
fn line_markers(line: &str) -> (Option<usize>, &str) {
    let b = line.as_bytes();
    let (mut i, mut quotes, mut all) = (0, 0, 0);
    let (mut quote_cross, mut any_cross) = (None, None);
    let blank = |i: usize| matches!(b.get(i), Some(b' ' | b'\t'));
    loop {
        while blank(i) {
            i += 1;
        }
        let len = match b.get(i) {
            Some(b'>') => {
                quotes += 1;
                if quotes > MAX_NESTING {
                    quote_cross.get_or_insert(i);
                }
                1
            }
            Some(b'-' | b'+' | b'*') if blank(i + 1) => 2,
            Some(c) if c.is_ascii_digit() => {
                let digits = b[i..]
                    .iter()
                    .take(10)
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if digits > 9
                    || !matches!(b.get(i + digits), Some(b'.' | b')'))
                    || !blank(i + digits + 1)
                {
                    break;
                }
                digits + 2
            }
            _ => break,
        };
        all += 1;
        if all > MAX_NESTING {
            any_cross.get_or_insert(i);
        }
        i += len;
    }
    let rest = &line[i..];
    // `- - -` or `* * *` alone is a thematic break, not lists.
    let thematic = rest
        .bytes()
        .all(|c| matches!(c, b'-' | b'*' | b'_' | b' ' | b'\t' | b'\n'));
    (if thematic { quote_cross } else { any_cross }, rest)
}

/// How pulldown-cmark starts a table cell's alignment.
const ALIGN: &str = " style=\"text-align: ";

/// Finds [`ALIGN`]; made once (a table has many aligned cells, and setting up a substring
/// search costs more than running it on a short string).
fn align_finder() -> &'static memchr::memmem::Finder<'static> {
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(ALIGN));
    &FINDER
}

/// Table cells' inline alignment styles as the stylesheet's classes, in one pass.
fn align_classes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = align_finder().find(rest.as_bytes()) {
        out.push_str(&rest[..i]);
        let after = &rest[i + ALIGN.len()..];
        let class = [
            ("right\"", " class=\"num\""),
            ("center\"", " class=\"al-center\""),
            ("left\"", " class=\"al-left\""),
        ]
        .into_iter()
        .find(|(value, _)| after.starts_with(value));
        match class {
            Some((value, class)) => {
                out.push_str(class);
                rest = &after[value.len()..];
            }
            None => {
                out.push_str(ALIGN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn chart_marker(i: usize) -> String {
    format!("\u{F8FF}berpa-chart-{i}\u{F8FF}")
}

/// Cleans HTML with ammonia: no script, no event handlers, no dangerous URLs; keeps the ids
/// and classes berpa itself sets.
pub fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class", "role", "aria-label", "tabindex"])
        .add_tags(["figure", "figcaption", "details", "summary"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

/// The 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The 1-based column (in characters) of a byte offset in `text`.
pub fn column_of(text: &str, offset: usize) -> usize {
    let o = offset.min(text.len());
    let start = text[..o].rfind('\n').map_or(0, |p| p + 1);
    text[start..o].chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_alignment_becomes_classes() {
        assert_eq!(
            align_classes(
                "<th style=\"text-align: right\">a</th><td style=\"text-align: center\">b</td><td style=\"text-align: left\">c</td><td style=\"text-align: justify\">d</td>"
            ),
            "<th class=\"num\">a</th><td class=\"al-center\">b</td><td class=\"al-left\">c</td><td style=\"text-align: justify\">d</td>"
        );
        let r = render(
            "| a | b |\n|--:|:-:|\n| 1 | 2 |\n",
            MdOptions::default(),
            &no_links,
        );
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(r.html.contains("<td class=\"num\">1</td>"), "{}", r.html);
    }

    fn no_links(_: &str) -> Result<String, String> {
        Err("no such page".into())
    }

    #[test]
    fn nesting_past_the_limit_is_found_before_parsing() {
        let deep = format!("Text\n\n{} x\n", ">".repeat(100));
        let at = too_deep(&deep).expect("too deep");
        assert_eq!((line_of(&deep, at), column_of(&deep, at)), (3, 33));
        assert_eq!(render(&deep, MdOptions::default(), &no_links).html, "");
        let found = problems(&deep, &|_| Ok(()), &|_| Ok(()));
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].code, found[0].offset), ("too-deep", at));
        for marker in ["> ", "- ", "* ", "1. ", "2) ", "> - "] {
            let line = format!("{}x\n", marker.repeat(40));
            assert!(too_deep(&line).is_some(), "{marker:?}");
        }
        // As deep as allowed; and no nesting at all: thematic breaks, code, quotes in text.
        for fine in [
            format!("{} x\n", ">".repeat(MAX_NESTING)),
            format!("{}x\n", "- ".repeat(MAX_NESTING / 2)),
            "- ".repeat(40),
            "* ".repeat(40) + "\n",
            format!("```\n{}\n```\n", ">".repeat(40)),
            format!("> ~~~~\n> {}\n> ~~~~\n", "> ".repeat(40)),
            "a > b > c >> d\n".repeat(50),
        ] {
            assert_eq!(too_deep(&fine), None, "{fine:?}");
        }
        let fine = format!("{} x\n", ">".repeat(MAX_NESTING));
        assert!(problems(&fine, &|_| Ok(()), &|_| Ok(())).is_empty());
        let r = render(&fine, MdOptions::default(), &no_links);
        assert_eq!(r.html.matches("<blockquote>").count(), MAX_NESTING);
    }

    #[test]
    fn nesting_by_indenting_is_stopped_while_rendering() {
        let nest =
            |n: usize| -> String { (0..n).map(|i| format!("{}- x\n", "  ".repeat(i))).collect() };
        let md = nest(40);
        assert_eq!(too_deep(&md), None, "each line has one marker");
        assert_eq!(render(&md, MdOptions::default(), &no_links).html, "");
        let found = problems(&md, &|_| Ok(()), &|_| Ok(()));
        assert_eq!(found.len(), 1);
        let p = &found[0];
        assert_eq!(p.code, "too-deep");
        assert_eq!((line_of(&md, p.offset), column_of(&md, p.offset)), (33, 65));
        let found = problems(&nest(MAX_NESTING), &|_| Ok(()), &|_| Ok(()));
        assert!(found.is_empty(), "{found:?}");
        let r = render(&nest(MAX_NESTING), MdOptions::default(), &no_links);
        assert_eq!(r.html.matches("<li>").count(), MAX_NESTING);
    }

    #[test]
    fn headings_shift_and_get_ids() {
        let r = render("# Return\n\n## Return\n", MdOptions::default(), &no_links);
        assert_eq!(
            r.html,
            "<h2 id=\"return\">Return</h2>\n<h3 id=\"return-2\">Return</h3>\n"
        );
    }

    /// The levels of the `<hN` tags of some HTML, in order.
    fn levels(html: &str) -> Vec<u8> {
        html.match_indices("<h")
            .filter_map(|(i, _)| html.as_bytes().get(i + 2))
            .filter(|b| b.is_ascii_digit())
            .map(|b| b - b'0')
            .collect()
    }

    #[test]
    fn headings_never_skip_a_level() {
        let md = |top| MdOptions {
            top_heading: top,
            ..MdOptions::default()
        };
        // A page written with `##` sections starts right below the page's h1.
        let r = render("## What\n\n### Sub\n\n## Next\n", md(UNDER_H1), &no_links);
        assert_eq!(levels(&r.html), [2, 3, 2], "{}", r.html);
        assert_eq!(
            r.headings.iter().map(|h| h.0).collect::<Vec<_>>(),
            [2, 3, 2]
        );
        // Jumps in the source close up; a shallower heading returns to its level's place.
        let r = render(
            "### a\n\n# b\n\n#### c\n\n###### d\n\n## e\n\n### f\n",
            md(UNDER_H1),
            &no_links,
        );
        assert_eq!(levels(&r.html), [2, 2, 3, 4, 3, 4], "{}", r.html);
        // A record's narrative sits below its section's h2.
        let r = render("## Return\n\n#### Figures\n", md(UNDER_H2), &no_links);
        assert_eq!(levels(&r.html), [3, 4], "{}", r.html);
        // Deep nesting stops at h6.
        let r = render(
            "# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6\n",
            md(UNDER_H2),
            &no_links,
        );
        assert_eq!(levels(&r.html), [3, 4, 5, 6, 6, 6], "{}", r.html);
        // Whatever the source, no heading is more than one level below the one before it.
        for src in [
            "###### x\n# y\n###### z\n",
            "## a\n###### b\n#### c\n### d\n",
        ] {
            let l = levels(&render(src, md(UNDER_H1), &no_links).html);
            assert_eq!(l[0], 2, "{src:?}");
            assert!(l.windows(2).all(|w| w[1] <= w[0] + 1), "{src:?}: {l:?}");
        }
    }

    #[test]
    fn aligned_table_columns_use_classes_not_inline_styles() {
        let r = render(
            "| a | b | c |\n|--:|:-:|:--|\n| 1 | 2 | 3 |\n",
            MdOptions::default(),
            &no_links,
        );
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(r.html.contains("<td class=\"num\">1</td>"));
        assert!(r.html.contains("<td class=\"al-center\">2</td>"));
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        let r = render(
            "<script>alert(1)</script>\n\nhi <b onclick=x>b</b>",
            MdOptions::default(),
            &no_links,
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(!r.html.contains("<b "));
    }

    #[test]
    fn raw_html_is_sanitised_when_allowed() {
        let r = render(
            "<script>alert(1)</script>\n\nhi <b onclick=\"x()\">b</b>",
            MdOptions {
                allow_html: true,
                ..MdOptions::default()
            },
            &no_links,
        );
        assert!(!r.html.contains("script"), "{}", r.html);
        assert!(!r.html.contains("onclick"));
        assert!(r.html.contains("<b>b</b>"));
    }

    #[test]
    fn dangerous_links_are_dropped_keeping_text() {
        let r = render(
            "[click](javascript:alert(1)) [x](JaVaScRiPt:alert(1)) [d](data:text/html,hi) ![i](javascript:x)",
            MdOptions::default(),
            &no_links,
        );
        assert!(!r.html.to_lowercase().contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("data:"));
        assert!(r.html.contains("click"));
    }

    #[test]
    fn chart_blocks_embed_and_survive_sanitising() {
        let embed = |id: &str| -> Result<String, String> {
            if id == "roads" {
                Ok("<figure><svg role=\"img\"></svg></figure>".into())
            } else {
                Err("no such chart".into())
            }
        };
        for allow_html in [false, true] {
            let r = render_with(
                "Text\n\n```chart\nroads\n```\n\n```chart\nnope\n```\n",
                MdOptions {
                    allow_html,
                    ..MdOptions::default()
                },
                &no_links,
                &embed,
            );
            assert!(
                r.html.contains("<figure><svg role=\"img\"></svg></figure>"),
                "{}",
                r.html
            );
            assert_eq!(r.html.matches("<figure>").count(), 1, "{}", r.html);
            assert!(!r.html.contains("nope"), "{}", r.html);
        }
        let known = |id: &str| embed(id).map(|_| ());
        let md = "Text\n\n```chart\nroads\n```\n\n```chart\nnope\n```\n";
        let found = problems(md, &|_| Ok(()), &known);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("nope"));
        assert_eq!(line_of(md, found[0].offset), 7);
    }

    #[test]
    fn internal_links_resolve_or_report() {
        let ok = |t: &str| -> Result<String, String> {
            if t == "cities/lachin" {
                Ok("../../cities/lachin/".into())
            } else {
                Err("no city".into())
            }
        };
        let md = "See [Lachin](@/cities/lachin).\n\nAnd [x](@/cities/nowhere).";
        let r = render(md, MdOptions::default(), &ok);
        assert!(r.html.contains("href=\"../../cities/lachin/\""));
        // The broken one is its text alone.
        assert!(r.html.contains("And x."), "{}", r.html);
        let found = problems(md, &|t| ok(t).map(|_| ()), &|_| Ok(()));
        assert_eq!(found.len(), 1);
        assert_eq!(line_of(md, found[0].offset), 3);
        assert!(found[0].message.contains("`@/cities/nowhere`: no city"));
    }
}
