//! YAML with positions: typed parsing through serde (whose errors carry a location), and a
//! path-to-position lookup used to point semantic errors (a broken reference, say) at the
//! exact value in the file.

use crate::site::diagnostics::{Diagnostic, Pos};
use saphyr_parser::{Event, Parser};
use serde::de::DeserializeOwned;

/// One step of a path into a YAML document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path such as `observations[2].source`.
pub type YamlPath = Vec<Seg>;

/// Builds a path from a dotted string with `[n]` indices: `observations[2].source`.
pub fn path(s: &str) -> YamlPath {
    let mut out = Vec::new();
    for part in s.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(b) = rest.find('[') {
            out.push(Seg::Key(rest[..b].to_string()));
            rest = &rest[b..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let end = stripped.find(']').unwrap_or(stripped.len());
                if let Ok(n) = stripped[..end].parse() {
                    out.push(Seg::Index(n));
                }
                rest = stripped.get(end + 1..).unwrap_or("");
            }
        } else {
            out.push(Seg::Key(rest.to_string()));
        }
    }
    out
}

/// The YAML text of one record, and where it sits in its file.
#[derive(Debug, Clone)]
pub struct YamlDoc<'a> {
    /// The file, relative to the site root.
    pub file: &'a str,
    /// The YAML text.
    pub text: &'a str,
    /// How many lines of the file come before the YAML text (front matter's `---` line).
    pub line_offset: usize,
}

// saphyr-parser's markers count lines from 1 but columns from 0; berpa's positions count both
// from 1 (as serde_yaml's locations do), so every saphyr column gets `+ 1`.

/// Most events a document may have: a guard against alias bombs and absurd inputs. Records are
/// small; a real record has a few hundred events.
const MAX_EVENTS: usize = 200_000;

impl YamlDoc<'_> {
    /// Where the value at `path` starts, in the file's coordinates. Falls back to the nearest
    /// ancestor found, then to the start of the document.
    pub fn locate(&self, path: &[Seg]) -> Pos {
        let p = locate_in(self.text, path).unwrap_or(Pos::new(1, 1));
        Pos::new(p.line + self.line_offset, p.column)
    }

    /// Where the key of the last segment of `path` is (for "unknown field" messages).
    pub fn locate_key(&self, path: &[Seg]) -> Pos {
        let p = locate_key_in(self.text, path).unwrap_or(Pos::new(1, 1));
        Pos::new(p.line + self.line_offset, p.column)
    }

    pub fn pos(&self, line: usize, column: usize) -> Pos {
        Pos::new(line + self.line_offset, column)
    }

    /// Parses the document into `T`, or explains in one diagnostic what to change.
    /// `what` names the kind of record (`city`, `road` …) for messages.
    pub fn parse<T: DeserializeOwned>(&self, what: &str) -> Result<T, Diagnostic> {
        // Blank, or only comments and `---`: serde would report a missing first field on a
        // line past the end of the file.
        let blank = self.text.lines().all(|l| {
            let l = l.trim();
            l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
        });
        if blank {
            return Err(Diagnostic::error(
                "empty-record",
                self.file,
                format!("this {what} has no fields"),
            )
            .at(self.pos(1, 1))
            .help(format!(
                "write the {what}'s fields as YAML, for example `name: …` (see docs/content.md)"
            )));
        }
        // Refuse anchors/aliases before serde expands them: an alias bomb must not exhaust memory.
        // A plain document (see [`plain`]) cannot hold what the check looks for, so it is
        // checked only if serde fails, for the check's clearer syntax messages.
        let plain = plain(self.text);
        if !plain && let Some(d) = self.check_structure() {
            return Err(d);
        }
        match serde_yaml::from_str::<T>(self.text) {
            Ok(v) => Ok(v),
            Err(e) => Err(plain
                .then(|| self.check_structure())
                .flatten()
                .unwrap_or_else(|| self.explain(&e, what))),
        }
    }

    /// Scans the events once: rejects aliases (anchors are not needed in records, and aliases
    /// can blow up memory), very deep nesting, and too many nodes. Returns a syntax error as a
    /// diagnostic too, with its position.
    fn check_structure(&self) -> Option<Diagnostic> {
        let mut parser = Parser::new_from_str(self.text);
        let mut depth = 0usize;
        let mut count = 0usize;
        let mut documents = 0usize;
        while let Some(ev) = parser.next_event() {
            let (ev, span) = match ev {
                Ok(x) => x,
                Err(e) => return Some(self.syntax_error(&e)),
            };
            count += 1;
            if count > MAX_EVENTS {
                return Some(
                    Diagnostic::error("too-large", self.file, "this record has too many values")
                        .at(self.pos(1, 1))
                        .help(format!(
                            "a record may hold at most {MAX_EVENTS} YAML values; split it up"
                        )),
                );
            }
            let at = self.pos(span.start.line().max(1), span.start.col() + 1);
            match ev {
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents > 1 {
                        return Some(self.second_document(at));
                    }
                }
                Event::Alias(_) => return Some(self.alias(at)),
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(self.too_deep(at));
                    }
                }
                Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        None
    }

    /// The parser's error, at its position: nesting past the parser's own limit, or a syntax
    /// error.
    fn syntax_error(&self, e: &saphyr_parser::ScanError) -> Diagnostic {
        let m = e.marker();
        if e.info().contains("recursion limit") {
            return Diagnostic::error(
                "too-deep",
                self.file,
                "values are nested too deeply (too many `[` or `{`)",
            )
            .at(self.pos(m.line().max(1), m.col() + 1))
            .help(
                "records need only a few levels of nesting; check the brackets and the indentation",
            );
        }
        let mut col = m.col() + 1;
        // The parser stops after a tab; point at the tab itself.
        if e.info().contains("tab")
            && let Some(t) = self
                .text
                .lines()
                .nth(m.line().saturating_sub(1))
                .and_then(|l| l.chars().position(|c| c == '\t'))
        {
            col = t + 1;
        }
        Diagnostic::error(
            "yaml-syntax",
            self.file,
            format!("YAML syntax error: {}", e.info()),
        )
        .at(self.pos(m.line().max(1), col))
        .help(syntax_help(e.info(), self.text, m.line(), self.line_offset))
    }

    /// A second `---` document in one record.
    fn second_document(&self, at: Pos) -> Diagnostic {
        Diagnostic::error(
            "several-documents",
            self.file,
            "a second YAML document starts here: a record is one document",
        )
        .at(at)
        .help("remove this `---` line (in a .md record, the fields go between the first two `---` lines)")
    }

    /// An alias (`*name`).
    fn alias(&self, at: Pos) -> Diagnostic {
        Diagnostic::error(
            "yaml-alias",
            self.file,
            "YAML aliases (`*name`) are not allowed in records",
        )
        .at(at)
        .help("write the value out in full instead of referring to an anchor")
    }

    /// Values nested past [`MAX_DEPTH`].
    fn too_deep(&self, at: Pos) -> Diagnostic {
        Diagnostic::error(
            "too-deep",
            self.file,
            format!("values are nested more than {MAX_DEPTH} levels deep"),
        )
        .at(at)
        .help("records need only a few levels of nesting; check the indentation")
    }

    fn explain(&self, e: &serde_yaml::Error, what: &str) -> Diagnostic {
        let raw = e.to_string();
        // serde_yaml appends " at line X column Y"; the position is shown separately.
        let msg = match raw.find(" at line ") {
            Some(i) => raw[..i].to_string(),
            None => raw.clone(),
        };
        // serde_yaml puts the path of the value first (`kind: …`, `location.lat: …`,
        // `observations[1].source: …`); a path has no spaces or backticks, a message does.
        let msg = msg
            .split_once(": ")
            .filter(|(p, _)| !p.is_empty() && !p.contains([' ', '`']))
            .map(|(field, m)| (Some(field.to_string()), m.to_string()))
            .unwrap_or((None, msg.clone()));
        let (field, msg) = msg;
        let mut pos = e
            .location()
            .map(|l| self.pos(l.line(), l.column()))
            .unwrap_or(self.pos(1, 1));
        if let Some(at) = msg.strip_prefix("control characters are not allowed at position ") {
            // The parser gives a byte offset into the YAML text.
            let off = at.trim().parse::<usize>().unwrap_or(0).min(self.text.len());
            let before = self.text.get(..off).unwrap_or("");
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            return Diagnostic::error(
                "control-character",
                self.file,
                "the file holds an invisible control character here",
            )
            .at(self.pos(line, column))
            .help("delete it (editors may show it as a box, `^@` or `<0x00>`); records are plain text");
        }
        let (code, message, help) = humanise(&msg, what, field.as_deref());
        if code == "duplicate-field" {
            // serde points at the start of the mapping; point at the second key instead.
            let key = msg.split('`').nth(1).unwrap_or_default();
            if let Some(p) =
                locate_second_key(self.text, &path(field.as_deref().unwrap_or("")), key)
            {
                pos = self.pos(p.line, p.column);
            }
        }
        let message = match field {
            Some(f) => format!("{f}: {message}"),
            None => message,
        };
        let mut d = Diagnostic::error(code, self.file, message).at(pos);
        if let Some(h) = help {
            d = d.help(h);
        }
        d
    }
}

const MAX_DEPTH: usize = 32;

/// Whether a document is plain enough that the structure check could not object to it once
/// serde has parsed it: no anchor or alias (`&`, `*`), no tab, no document marker (`---`,
/// `...`), fewer characters than the event limit (every event takes at least one), and
/// nesting too shallow to pass the depth limit. A nested block collection starts after its
/// parent's indentation or after a `- `, `? ` or `: ` on the same line, so block nesting is at
/// most twice the longest run of those characters starting a line, plus two; flow collections
/// add at most one level for each `[` or `{` in the text.
fn plain(text: &str) -> bool {
    if text.len() >= MAX_EVENTS || text.contains(['&', '*', '\t']) {
        return false;
    }
    let flow = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    let mut prefix = 0;
    for l in text.lines() {
        if l.starts_with("---") || l.starts_with("...") {
            return false;
        }
        let p = l
            .bytes()
            .take_while(|b| matches!(b, b' ' | b'-' | b'?' | b':'))
            .count();
        prefix = prefix.max(p);
    }
    2 * prefix + 2 + flow <= MAX_DEPTH
}

/// What to change for a YAML syntax error. `text` is the YAML, `line` the 1-based line of the
/// error in it and `offset` the lines of the file before the YAML (to name lines in the file).
fn syntax_help(info: &str, text: &str, line: usize, offset: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let this = lines.get(line.wrapping_sub(1)).copied();
    if this.is_some_and(|l| l.trim_start_matches(' ').starts_with('\t')) || info.contains("tab") {
        return "YAML indentation must use spaces, not tabs: replace the tab with spaces".into();
    }
    // A `[` or `{` left open on an earlier line: the parser notices only on a later one.
    if let Some((n, open)) = unclosed_bracket(&lines[..line.saturating_sub(1).min(lines.len())]) {
        let close = if open == '[' { ']' } else { '}' };
        return format!(
            "the `{open}` on line {} is never closed: end it with `{close}` on that line",
            n + offset
        );
    }
    if info.contains("escape") {
        return "inside double quotes a backslash starts a code such as \\n: write \\\\ for a backslash, or use single quotes".into();
    }
    if info.contains("quoted scalar") {
        return "a text that starts with a quote (\" or ') must end with the same quote on the same line".into();
    }
    if info.contains("mapping values are not allowed") {
        let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
        let prev = lines[..line.saturating_sub(1).min(lines.len())]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        if let (Some(p), Some(t)) = (prev, this)
            && indent(t) > indent(p)
            && !p.trim_end().ends_with(':')
        {
            return "this line is indented more than the line above: start it in the same column as the other fields".into();
        }
        return "a value containing `: ` must be quoted, for example title: \"Road: phase 1\""
            .into();
    }
    "check the indentation and quoting on this line (see docs/content.md for examples)".into()
}

/// The last of `lines` (0-based index) that leaves a `[` or `{` open, outside quotes and comments.
fn unclosed_bracket(lines: &[&str]) -> Option<(usize, char)> {
    let mut stack: Vec<(usize, char)> = Vec::new();
    for (n, l) in lines.iter().enumerate() {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for c in l.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if matches!(prev, ' ' | '[' | '{' | ',' | ':') => {
                    quote = Some(c)
                }
                (None, '#') if prev == ' ' => break,
                (None, '[' | '{') => stack.push((n + 1, c)),
                (None, ']' | '}') => {
                    stack.pop();
                }
                _ => {}
            }
            prev = c;
        }
    }
    stack.last().copied()
}

/// A diagnostic's code, message and help.
type Humane = (&'static str, String, Option<String>);

/// Turns a serde message into (code, message, help). `field` is the path of the value the
/// message is about, when it is not the record itself (the caller puts it before the message).
fn humanise(msg: &str, what: &str, field: Option<&str>) -> Humane {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        return unknown_field(rest, what, field);
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        return unknown_variant(rest);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        return missing_field(rest, what, field);
    }
    if let Some(rest) = msg.strip_prefix("duplicate field `") {
        let name = rest.trim_end_matches('`');
        return (
            "duplicate-field",
            format!("the field `{name}` is written twice"),
            Some(format!("keep one of the two `{name}:` lines")),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ")
        && !rest.contains(", expected ")
    {
        return own_invalid_value(rest);
    }
    if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
        let (message, help) = plain_type_message(msg, what);
        return ("wrong-type", message, Some(help));
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        return invalid_length(rest, field);
    }
    if let Some(rest) = msg.strip_prefix("invalid date ") {
        return invalid_date(rest);
    }
    if msg.contains("recursion limit") {
        return (
            "too-deep",
            "values are nested too deeply".to_string(),
            Some("records need only a few levels of nesting; check the indentation".into()),
        );
    }
    (
        "invalid-record",
        msg.to_string(),
        Some("see docs/content.md for how records are written".into()),
    )
}

/// What a message calls the thing it is about, with "a" and with "this": `site.yaml` is named
/// as is; a record kind with an article.
fn with_articles(what: &str) -> (String, String) {
    if what.contains('.') {
        (what.to_string(), what.to_string())
    } else {
        (format!("a {what}"), format!("this {what}"))
    }
}

/// "unknown field `x`, expected one of …" (`rest` is what follows its first backtick).
fn unknown_field(rest: &str, what: &str, field: Option<&str>) -> Humane {
    let (a_what, _) = with_articles(what);
    let (name, expected) = split_expected(rest);
    let fields = match field {
        Some(f) => format!("the fields of `{f}` are"),
        None => format!("{what} fields are"),
    };
    let help = match nearest(&name, &expected) {
        Some(n) => format!("did you mean `{n}`? {fields}: {}", expected.join(", ")),
        None => format!("{fields}: {}", expected.join(", ")),
    };
    let message = match field {
        Some(_) => format!("unknown field `{name}`"),
        None => format!("unknown field `{name}` in {a_what}"),
    };
    ("unknown-field", message, Some(help))
}

/// "unknown variant `x`, expected one of …" (`rest` is what follows its first backtick).
fn unknown_variant(rest: &str) -> Humane {
    let (value, expected) = split_expected(rest);
    if value.trim().is_empty() {
        return (
            "invalid-value",
            "no value is given".into(),
            Some(format!("write one of: {}", expected.join(", "))),
        );
    }
    let help = match nearest(&value, &expected) {
        Some(n) => format!("did you mean `{n}`? allowed: {}", expected.join(", ")),
        None => format!("allowed values: {}", expected.join(", ")),
    };
    (
        "invalid-value",
        format!("`{value}` is not an allowed value"),
        Some(help),
    )
}

/// "missing field `x`" (`rest` is what follows its first backtick).
fn missing_field(rest: &str, what: &str, field: Option<&str>) -> Humane {
    let name = rest.trim_end_matches('`');
    match field {
        Some(f) => (
            "missing-field",
            format!("the required field `{name}` is missing"),
            Some(format!("add `{name}: …` to `{f}`")),
        ),
        None => {
            let (_, this_what) = with_articles(what);
            (
                "missing-field",
                format!("{this_what} has no `{name}`, which is required"),
                Some(format!("add a line `{name}: …`")),
            )
        }
    }
}

/// A message of berpa's own (from a field's parser): "invalid value: … ; expected …".
fn own_invalid_value(rest: &str) -> Humane {
    match rest.split_once("; expected ") {
        Some((m, e)) => ("invalid-value", m.to_string(), Some(format!("write {e}"))),
        None => (
            "invalid-value",
            rest.to_string(),
            Some("see docs/content.md for what this field holds".into()),
        ),
    }
}

/// "invalid length 3, expected sequence of 2 elements" (or "an array of length 2").
fn invalid_length(rest: &str, field: Option<&str>) -> Humane {
    let (n, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
    let want: String = expected.chars().filter(char::is_ascii_digit).collect();
    let expected = if want.is_empty() {
        "another number of values".to_string()
    } else {
        format!("a list of {want} values")
    };
    let help = if field.is_some_and(|f| f.starts_with("geometry")) {
        "each point of a road's geometry is `[lat, lon]`: two numbers".to_string()
    } else {
        format!("write {expected}")
    };
    (
        "wrong-type",
        format!("expected {expected}, found {n}"),
        Some(help),
    )
}

/// "invalid date `2023-02-30`: month 2 of 2023 has 28 days"
fn invalid_date(rest: &str) -> Humane {
    let (value, why) = rest.split_once(": ").unwrap_or((rest, ""));
    let message = if why.is_empty() || why.starts_with("write it as") {
        format!("{value} is not a valid date")
    } else {
        format!("{value} is not a valid date: {why}")
    };
    (
        "invalid-date",
        message,
        Some(
            "write dates as YYYY-MM-DD (or YYYY-MM, YYYY when only the month or year is known)"
                .into(),
        ),
    )
}

/// `a`, expected one of `x`, `y` → ("a", ["x", "y"])
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let (name, tail) = rest.split_once('`').unwrap_or((rest, ""));
    let expected = tail
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect();
    (name.to_string(), expected)
}

/// The closest candidate by edit distance, if it is close enough to be a likely typo.
pub fn nearest<'a, S: AsRef<str>>(word: &str, candidates: &'a [S]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c.as_ref()), c.as_ref()))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

/// "invalid type: string \"abc\", expected f64" → ("expected a number, found the text "abc"",
/// what to write instead).
fn plain_type_message(msg: &str, what: &str) -> (String, String) {
    let generic = || "see docs/content.md for what this field holds".to_string();
    let (found, expected) = match msg.split_once(", expected ") {
        Some((f, e)) => (f, e),
        None => return (msg.to_string(), generic()),
    };
    let found = found
        .trim_start_matches("invalid type: ")
        .trim_start_matches("invalid value: ");
    // serde names very large integers "`…` as u128".
    let found = found
        .trim_end_matches(" as u128")
        .trim_end_matches(" as i128");
    let found = if let Some(s) = found.strip_prefix("string ") {
        format!("the text {s}")
    } else if let Some(s) = found.strip_prefix("integer ") {
        format!("the number {s}")
    } else if let Some(s) = found.strip_prefix("floating point ") {
        format!("the number {s}")
    } else if let Some(s) = found.strip_prefix("boolean ") {
        s.to_string()
    } else if found == "sequence" {
        "a list".to_string()
    } else if found == "map" {
        "a set of fields (`key: value`)".to_string()
    } else if found == "unit value" {
        "nothing".to_string()
    } else {
        found.to_string()
    };
    let (expected, help) = match expected {
        "f64" | "f32" => (
            "a number",
            "write a number such as 44.5, without quotes or units".to_string(),
        ),
        "u32" | "u64" | "u8" | "u16" | "usize" => (
            "a whole number of 0 or more",
            "write a whole number such as 4, without quotes or decimals".to_string(),
        ),
        "i64" | "i32" => (
            "a whole number",
            "write a whole number such as 4, without quotes or decimals".to_string(),
        ),
        "a string" => ("text", "write a single text here".to_string()),
        "a sequence" => (
            "a list (`[a, b]` or one `- item` a line)",
            "write a list, for example `sources: [gazette]`, even when it has one item".to_string(),
        ),
        "a boolean" => ("true or false", "write true or false".to_string()),
        "field identifier" => (
            "a field name",
            "a field name is a plain word followed by `:`, such as `name:`".to_string(),
        ),
        e if e.starts_with("struct ") => (
            "fields written as `name: value`, one a line",
            if what.contains('.') {
                format!("write the fields of {what}, one a line, such as `title: …`")
            } else {
                format!(
                    "write the {what}'s fields, one a line, such as `name: …` (see docs/content.md)"
                )
            },
        ),
        e if e.starts_with("a date") => (
            "a date such as 2021-11-07",
            "write dates as YYYY-MM-DD (or YYYY-MM, YYYY when only the month or year is known)"
                .to_string(),
        ),
        e if e.starts_with("text") => (
            "text",
            "write a single text here, or a map of languages such as `{en: Lachin, az: Laçın}`"
                .to_string(),
        ),
        e => (e, generic()),
    };
    let help = if found == "nothing" && !expected.starts_with("fields") {
        "write a value after the colon, or remove the line if the field is optional".to_string()
    } else {
        help
    };
    (format!("expected {expected}, found {found}"), help)
}

/// The position of the second key `key` in the mapping at `path` (for "written twice").
fn locate_second_key(text: &str, path: &[Seg], key: &str) -> Option<Pos> {
    let events = events(text)?;
    let mut i = first_node(&events)?;
    for seg in path {
        i = find_child(&events, i, seg)?.1;
    }
    if !matches!(events.get(i)?.0, Event::MappingStart(..)) {
        return None;
    }
    let mut j = i + 1;
    let mut seen = 0;
    while j < events.len() && !matches!(events[j].0, Event::MappingEnd) {
        if let Event::Scalar(s, ..) = &events[j].0
            && s.as_ref() == key
        {
            seen += 1;
            if seen == 2 {
                return Some(pos_of(&events[j].1));
            }
        }
        j = skip(&events, skip(&events, j));
    }
    None
}

/// The position of the value at `path` (1-based line and column within `text`).
pub fn locate_in(text: &str, path: &[Seg]) -> Option<Pos> {
    let events = events(text)?;
    let mut i = first_node(&events)?;
    let mut best = pos_of(&events[i].1);
    for seg in path {
        match find_child(&events, i, seg) {
            Some((_, v)) => {
                i = v;
                best = pos_of(&events[i].1);
            }
            None => return Some(best),
        }
    }
    Some(best)
}

fn locate_key_in(text: &str, path: &[Seg]) -> Option<Pos> {
    let events = events(text)?;
    let mut i = first_node(&events)?;
    let mut best = pos_of(&events[i].1);
    for seg in path {
        match find_child(&events, i, seg) {
            Some((k, v)) => {
                best = pos_of(&events[k].1);
                i = v;
            }
            None => return Some(best),
        }
    }
    Some(best)
}

type Ev<'a> = (Event<'a>, saphyr_parser::Span);

fn events(text: &str) -> Option<Vec<Ev<'_>>> {
    let mut parser = Parser::new_from_str(text);
    let mut out = Vec::new();
    while let Some(ev) = parser.next_event() {
        out.push(ev.ok()?);
        if out.len() > MAX_EVENTS {
            return None;
        }
    }
    Some(out)
}

fn pos_of(span: &saphyr_parser::Span) -> Pos {
    Pos::new(span.start.line().max(1), span.start.col() + 1)
}

fn first_node(events: &[Ev<'_>]) -> Option<usize> {
    events.iter().position(|(e, _)| {
        matches!(
            e,
            Event::MappingStart(..) | Event::SequenceStart(..) | Event::Scalar(..)
        )
    })
}

/// Index just past the node starting at `i`.
fn skip(events: &[Ev<'_>], i: usize) -> usize {
    match events.get(i).map(|e| &e.0) {
        Some(Event::MappingStart(..)) | Some(Event::SequenceStart(..)) => {
            let mut depth = 0usize;
            let mut j = i;
            while j < events.len() {
                match events[j].0 {
                    Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
                    Event::MappingEnd | Event::SequenceEnd => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            j
        }
        _ => i + 1,
    }
}

/// For the container at `i`, the (key or item index, value index) of the child `seg`.
fn find_child(events: &[Ev<'_>], i: usize, seg: &Seg) -> Option<(usize, usize)> {
    match (&events.get(i)?.0, seg) {
        (Event::MappingStart(..), Seg::Key(want)) => {
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::MappingEnd) {
                let k = j;
                let v = skip(events, k);
                if let Event::Scalar(s, ..) = &events[k].0
                    && s.as_ref() == want
                {
                    return Some((k, v));
                }
                j = skip(events, v);
            }
            None
        }
        (Event::SequenceStart(..), Seg::Index(n)) => {
            let mut j = i + 1;
            let mut idx = 0;
            while j < events.len() && !matches!(events[j].0, Event::SequenceEnd) {
                if idx == *n {
                    return Some((j, j));
                }
                j = skip(events, j);
                idx += 1;
            }
            None
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> YamlDoc<'_> {
        YamlDoc {
            file: "content/cities/x.yaml",
            text,
            line_offset: 0,
        }
    }

    #[test]
    fn only_plain_documents_skip_the_structure_check() {
        assert!(plain(
            "name: Fuzuli\nsummary: |\n  Text.\nsources:\n  - a\n"
        ));
        assert!(plain("name: {en: A, az: B}\nsources: [a, b]\n"));
        for risky in [
            "a: &x 1\nb: *x\n",
            &format!("a: {}{}\n", "[".repeat(31), "]".repeat(31)),
            &format!("a:\n  b: {}{}\n", "{x: ".repeat(28), "}".repeat(28)),
            "a:\n\t- b\n",
            "---\na: 1\n",
            "a: 1\n...\n",
            &"- ".repeat(16),
            &format!("a: {}\n", "x".repeat(MAX_EVENTS)),
        ] {
            assert!(!plain(risky), "{risky:?}");
        }
        // Whatever is plain and parses, the check would have passed: every YAML record of the
        // sample report, and nesting up to the depth `plain` allows.
        let mut texts: Vec<String> =
            walkdir::WalkDir::new(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
                .into_iter()
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
                .map(|e| std::fs::read_to_string(e.path()).unwrap())
                .collect();
        assert!(texts.len() > 10);
        let mut deep = String::from("a:\n");
        for i in 1..7 {
            deep.push_str(&format!("{}- k{i}:\n", " ".repeat(2 * i - 2)));
        }
        deep.push_str(&format!("{}- [end]\n", " ".repeat(12)));
        assert!(plain(&deep));
        texts.push(deep);
        let mut checked = 0;
        for t in &texts {
            if plain(t) && serde_yaml::from_str::<serde_yaml::Value>(t).is_ok() {
                assert!(doc(t).check_structure().is_none(), "{t}");
                checked += 1;
            }
        }
        assert!(checked > 10);
    }

    #[test]
    fn a_plain_document_that_fails_still_gets_the_checks_message() {
        let d = doc("name: x\n  bad: indentation\n")
            .parse::<serde_yaml::Value>("city")
            .unwrap_err();
        assert_eq!(d.code, "yaml-syntax");
    }

    const DOC: &str = "name: Fuzuli\nsources: [a, b]\nobservations:\n  - date: 2021-01-01\n    source: x\n  - date: 2022-01-01\n    source: missing\n";

    #[test]
    fn locates_nested_values() {
        assert_eq!(locate_in(DOC, &path("name")), Some(Pos::new(1, 7)));
        assert_eq!(locate_in(DOC, &path("sources[1]")), Some(Pos::new(2, 14)));
        assert_eq!(
            locate_in(DOC, &path("observations[1].source")),
            Some(Pos::new(7, 13))
        );
        // a missing step falls back to the nearest ancestor found
        assert_eq!(
            locate_in(DOC, &path("observations[5].source")),
            locate_in(DOC, &path("observations"))
        );
    }

    #[test]
    fn nearest_suggests_typos_only() {
        let c = ["name", "kind", "district"];
        assert_eq!(nearest("nmae", &c), Some("name"));
        assert_eq!(nearest("distrct", &c), Some("district"));
        assert_eq!(nearest("population", &c), None);
    }

    #[test]
    fn alias_is_refused_before_expansion() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
        let doc = YamlDoc {
            file: "f.yaml",
            text: bomb,
            line_offset: 0,
        };
        let err = doc.parse::<serde_yaml::Value>("city").unwrap_err();
        assert_eq!(err.code, "yaml-alias");
        assert_eq!(err.line, 2);
    }
}
