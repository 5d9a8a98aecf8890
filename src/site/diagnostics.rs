//! Problems found in a site: each names a file, a line and a column, says what is wrong and
//! what to change. Printed for people (with a source snippet), as JSON for tools, or as
//! GitHub Actions annotations.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable machine-readable code, such as `yaml-syntax` or `broken-reference`.
    pub code: &'static str,
    /// The file, relative to the site root (forward slashes).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, pos: Pos) -> Self {
        self.line = pos.line;
        self.column = pos.column;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A 1-based line and column in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }
}

/// The output format of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// For people: the message, a source snippet with the place marked, and what to do.
    #[default]
    Human,
    /// One JSON object a line, stable for other tools.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`).
    Github,
}

/// All the problems of one run, kept sorted by file, line and column.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Turns every warning into an error (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Sorts by file, line, column, then message, and drops exact repeats.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
    }

    /// Renders every diagnostic in the given format. `root` is the site root, used to read
    /// source snippets for the human format.
    pub fn render(&self, format: Format, root: &Path, color: bool) -> String {
        let mut out = String::new();
        let site = crate::site::input::Site::new(root);
        for d in &self.items {
            match format {
                Format::Human => out.push_str(&render_human(d, &site, color)),
                Format::Json => {
                    out.push_str(&serde_json::to_string(d).unwrap_or_default());
                    out.push('\n');
                }
                Format::Github => out.push_str(&render_github(d)),
            }
        }
        if format == Format::Human && !self.items.is_empty() {
            let _ = writeln!(
                out,
                "{} error(s), {} warning(s)",
                self.errors(),
                self.warnings()
            );
        }
        out
    }
}

fn render_github(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut msg = visible(&d.message).into_owned();
    if let Some(h) = &d.help {
        msg.push_str(" — ");
        msg.push_str(&visible(h));
    }
    // Workflow commands need %, CR and LF escaped in the message, and also , and : in properties.
    let esc_msg = msg
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    let esc_prop = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
            .replace(':', "%3A")
            .replace(',', "%2C")
    };
    let mut props = format!("file={}", esc_prop(&visible(&d.file)));
    if d.line > 0 {
        let _ = write!(props, ",line={}", d.line);
    }
    if d.column > 0 {
        let _ = write!(props, ",col={}", d.column);
    }
    let _ = write!(props, ",title={}", esc_prop(d.code));
    format!("::{kind} {props}::{esc_msg}\n")
}

/// A diagnostic as miette sees it, with the file's text so it can show a snippet.
#[derive(Debug)]
struct MietteDiag {
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    src: Option<Source>,
    span: Option<miette::SourceSpan>,
}

impl std::fmt::Display for MietteDiag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MietteDiag {}

impl miette::Diagnostic for MietteDiag {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.src.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.span.map(|s| {
            Box::new(std::iter::once(miette::LabeledSpan::new_with_span(
                Some("here".into()),
                s,
            ))) as Box<dyn Iterator<Item = miette::LabeledSpan>>
        })
    }
}

/// Byte offset and length of the token at a 1-based line and column.
fn span_of(text: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    if line == 0 {
        return None;
    }
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let content = l.trim_end_matches(['\n', '\r']);
            // column counts characters, not bytes
            let col = column.max(1) - 1;
            let start_byte = content
                .char_indices()
                .nth(col)
                .map(|(b, _)| b)
                .unwrap_or(content.len());
            let rest = &content[start_byte..];
            let len = rest
                .find([' ', ',', ']', '}', '\t'])
                .unwrap_or(rest.len())
                .max(usize::from(!rest.is_empty()));
            return Some((offset + start_byte, len));
        }
        offset += l.len();
    }
    None
}

/// Whether a character is shown escaped in a terminal: a control character (an escape code in
/// a record's value could change colours, move the cursor or hide text) or a bidirectional
/// override (which can make text read other than it is). Line ends and tabs are shown as they
/// are.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` fit for a terminal: each [`hidden`] character written as `\u{1b}`.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`visible`] of a text with a span in it (byte offset and length), and where the span is in
/// the result.
fn visible_span(text: &str, (off, len): (usize, usize)) -> (String, (usize, usize)) {
    let shown = visible(text);
    if let Cow::Borrowed(_) = shown {
        return (text.to_string(), (off, len));
    }
    let mut out = String::with_capacity(shown.len());
    let (mut start, mut end) = (None, None);
    for (i, c) in text.char_indices() {
        if i == off {
            start = Some(out.len());
        }
        if i == off + len {
            end = Some(out.len());
        }
        out.push_str(&visible(c.encode_utf8(&mut [0; 4])));
    }
    let start = start.unwrap_or(out.len());
    let end = end.unwrap_or(out.len()).max(start);
    (out, (start, end - start))
}

/// A file's text for a snippet. Its place (line and column) is the diagnostic's own, counted
/// in characters as in every other format; miette would count the bytes of the line.
#[derive(Debug)]
struct Source {
    name: String,
    text: String,
    /// The marked span, and its 0-based column in characters.
    span: miette::SourceSpan,
    column: usize,
}

impl miette::SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let column = if before == 0 && *span == self.span {
            self.column
        } else {
            inner.column()
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// The longest line (in bytes) a snippet shows.
const MAX_SNIPPET_LINE: usize = 1000;

/// The snippet of a diagnostic's file around its place, read as berpa reads the site's files
/// (a link leaving the site, a named pipe or a huge file shows none).
fn snippet(d: &Diagnostic, site: &crate::site::input::Site) -> Option<Source> {
    if d.line == 0 {
        return None;
    }
    let bytes = site.read(&d.file, crate::site::input::TEXT).ok()??;
    // Positions are counted after the byte order mark, as berpa reads the file.
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = String::from_utf8_lossy(b).replace("\r\n", "\n");
    // The lines shown must fit a terminal: a place on a line of a million characters is named
    // without a snippet.
    let shown = text.split('\n').skip(d.line.saturating_sub(2)).take(3);
    if shown.map(str::len).max().unwrap_or(0) > MAX_SNIPPET_LINE {
        return None;
    }
    let span = span_of(&text, d.line, d.column)?;
    let (text, (off, len)) = visible_span(&text, span);
    let span = miette::SourceSpan::new(off.into(), len);
    Some(Source {
        name: visible(&d.file).into_owned(),
        text,
        span,
        column: d.column.max(1) - 1,
    })
}

fn render_human(d: &Diagnostic, site: &crate::site::input::Site, color: bool) -> String {
    let src = snippet(d, site);
    let span = src.as_ref().map(|s| s.span);
    let file = visible(&d.file);
    let message = visible(&d.message);
    let location = if d.line > 0 {
        format!("{file}:{}:{}", d.line, d.column.max(1))
    } else {
        file.into_owned()
    };
    let md = MietteDiag {
        message: if src.is_some() {
            message.into_owned()
        } else {
            format!("{location}: {message}")
        },
        severity: match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        },
        help: d.help.as_deref().map(|h| visible(h).into_owned()),
        src,
        span,
    };
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, &md).is_err() {
        let _ = writeln!(out, "{location}: {}", visible(&d.message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_format_escapes_and_names_position() {
        let d = Diagnostic::error(
            "broken-reference",
            "content/roads/a,b.yaml",
            "50% bad\nline",
        )
        .at(Pos::new(3, 7));
        let out = render_github(&d);
        assert_eq!(
            out,
            "::error file=content/roads/a%2Cb.yaml,line=3,col=7,title=broken-reference::50%25 bad%0Aline\n"
        );
    }

    #[test]
    fn span_counts_characters_not_bytes() {
        let text = "name: Ağalı\nkind: citty\n";
        assert_eq!(span_of(text, 2, 7), Some((text.find("citty").unwrap(), 5)));
        assert_eq!(span_of(text, 1, 7), Some((6, "Ağalı".len())));
    }

    #[test]
    fn control_characters_and_direction_overrides_are_shown_escaped() {
        assert_eq!(
            visible("a\x1b[31mb\x07c\rd\u{202e}e\u{9b}f"),
            "a\\u{1b}[31mb\\u{7}c\\u{d}d\\u{202e}e\\u{9b}f"
        );
        // Line ends, tabs and letters stay.
        assert!(matches!(visible("Ağdam\tşəhər\n"), Cow::Borrowed(_)));
        // A span keeps marking the same text.
        let text = "name: \x1bX\nkind: citty\n";
        let (shown, (off, len)) = visible_span(text, (text.find("citty").unwrap(), 5));
        assert_eq!(&shown[off..off + len], "citty");
        let (shown, (off, len)) = visible_span(text, (6, 2));
        assert_eq!(&shown[off..off + len], "\\u{1b}X");
    }

    #[test]
    fn a_place_on_a_very_long_line_is_named_without_a_snippet() {
        let t = tempfile::tempdir().unwrap();
        let long = format!("a: x\nb: {}\nc: y\n", ">".repeat(100_000));
        std::fs::write(t.path().join("f.yaml"), &long).unwrap();
        std::fs::write(t.path().join("g.yaml"), "a: x\nb: yy\n").unwrap();
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error("too-deep", "f.yaml", "deep").at(Pos::new(2, 40)));
        ds.push(Diagnostic::error("bad", "g.yaml", "bad").at(Pos::new(2, 4)));
        let out = ds.render(Format::Human, t.path(), false);
        assert!(out.len() < 2000, "{} bytes", out.len());
        assert!(out.contains("f.yaml:2:40: deep"), "{out}");
        assert!(
            out.contains("[g.yaml:2:4]"),
            "a short line keeps its snippet: {out}"
        );
    }

    #[test]
    fn strict_turns_warnings_into_errors() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::warning("no-sources", "a.yaml", "x"));
        assert!(!ds.has_errors());
        ds.make_strict();
        assert!(ds.has_errors());
    }
}
