//! YAML with positions: typed parsing through serde (whose errors carry a location), and a
//! path-to-position lookup used to point semantic errors (a broken reference, say) at the
//! exact value in the file.

use crate::diagnostics::{Diagnostic, Pos};
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
        if self.text.trim().is_empty() {
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
        if let Some(d) = self.check_structure() {
            return Err(d);
        }
        match serde_yaml::from_str::<T>(self.text) {
            Ok(v) => Ok(v),
            Err(e) => Err(self.explain(&e, what)),
        }
    }

    /// Scans the events once: rejects aliases (anchors are not needed in records, and aliases
    /// can blow up memory), very deep nesting, and too many nodes. Returns a syntax error as a
    /// diagnostic too, with its position.
    fn check_structure(&self) -> Option<Diagnostic> {
        let mut parser = Parser::new_from_str(self.text);
        let mut depth = 0usize;
        let mut count = 0usize;
        while let Some(ev) = parser.next_event() {
            let (ev, span) = match ev {
                Ok(x) => x,
                Err(e) => {
                    let m = e.marker();
                    let line_text = self.text.lines().nth(m.line().saturating_sub(1));
                    let mut d = Diagnostic::error(
                        "yaml-syntax",
                        self.file,
                        format!("YAML syntax error: {}", e.info()),
                    )
                    .at(self.pos(m.line().max(1), m.col() + 1));
                    d = d.help(syntax_help(e.info(), line_text));
                    return Some(d);
                }
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
            match ev {
                Event::Alias(_) => {
                    return Some(
                        Diagnostic::error(
                            "yaml-alias",
                            self.file,
                            "YAML aliases (`*name`) are not allowed in records",
                        )
                        .at(self.pos(span.start.line().max(1), span.start.col() + 1))
                        .help("write the value out in full instead of referring to an anchor"),
                    );
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(
                            Diagnostic::error(
                                "too-deep",
                                self.file,
                                format!("values are nested more than {MAX_DEPTH} levels deep"),
                            )
                            .at(self.pos(span.start.line().max(1), span.start.col() + 1))
                            .help(
                                "records need only a few levels of nesting; check the indentation",
                            ),
                        );
                    }
                }
                Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        None
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
        let pos = e
            .location()
            .map(|l| self.pos(l.line(), l.column()))
            .unwrap_or(self.pos(1, 1));
        let (code, message, help) = humanise(&msg, what);
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

fn syntax_help(info: &str, line: Option<&str>) -> String {
    if line.is_some_and(|l| l.trim_start_matches(' ').starts_with('\t')) || info.contains("tab") {
        return "YAML indentation must use spaces, not tabs: replace the tab with spaces".into();
    }
    if info.contains("mapping values are not allowed") {
        return "a value containing `: ` must be quoted, for example title: \"Road: phase 1\""
            .into();
    }
    "check the indentation and quoting on this line (see docs/content.md for examples)".into()
}

/// Turns a serde message into (code, message, help).
fn humanise(msg: &str, what: &str) -> (&'static str, String, Option<String>) {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (field, expected) = split_expected(rest);
        let help = match nearest(&field, &expected) {
            Some(n) => format!(
                "did you mean `{n}`? {what} fields are: {}",
                expected.join(", ")
            ),
            None => format!("{what} fields are: {}", expected.join(", ")),
        };
        return (
            "unknown-field",
            format!("unknown field `{field}` in a {what}"),
            Some(help),
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (value, expected) = split_expected(rest);
        let help = match nearest(&value, &expected) {
            Some(n) => format!("did you mean `{n}`? allowed: {}", expected.join(", ")),
            None => format!("allowed values: {}", expected.join(", ")),
        };
        return (
            "invalid-value",
            format!("`{value}` is not an allowed value"),
            Some(help),
        );
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        return (
            "missing-field",
            format!("this {what} has no `{field}`, which is required"),
            Some(format!("add a line `{field}: …`")),
        );
    }
    if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
        return ("wrong-type", plain_type_message(msg), None);
    }
    if msg.starts_with("invalid date") {
        return (
            "invalid-date",
            msg.to_string(),
            Some(
                "write dates as YYYY-MM-DD (or YYYY-MM, YYYY when only the month or year is known)"
                    .into(),
            ),
        );
    }
    if msg.contains("recursion limit") {
        return (
            "too-deep",
            "values are nested too deeply".to_string(),
            Some("records need only a few levels of nesting; check the indentation".into()),
        );
    }
    ("invalid-record", msg.to_string(), None)
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

fn plain_type_message(msg: &str) -> String {
    // "invalid type: string \"abc\", expected f64" → "expected a number, found the text "abc""
    let (found, expected) = match msg.split_once(", expected ") {
        Some((f, e)) => (f, e),
        None => return msg.to_string(),
    };
    let found = found
        .trim_start_matches("invalid type: ")
        .trim_start_matches("invalid value: ");
    let found = if let Some(s) = found.strip_prefix("string ") {
        format!("the text {s}")
    } else if let Some(s) = found.strip_prefix("integer ") {
        format!("the number {s}")
    } else if let Some(s) = found.strip_prefix("floating point ") {
        format!("the number {s}")
    } else if found == "sequence" {
        "a list".to_string()
    } else if found == "map" {
        "a mapping of fields".to_string()
    } else if found == "unit value" {
        "nothing".to_string()
    } else {
        found.to_string()
    };
    let expected = match expected {
        "f64" | "f32" => "a number",
        "u32" | "u64" | "u8" | "u16" | "usize" | "i64" | "i32" => "a whole number",
        "a string" => "text",
        "a sequence" => "a list (`[a, b]` or one `- item` a line)",
        "a boolean" => "true or false",
        e => e,
    };
    format!("expected {expected}, found {found}")
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
