//! Splitting a Markdown file into YAML front matter (between `---` lines) and its body.

use crate::site::diagnostics::{Diagnostic, Pos};

/// A Markdown file cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines (empty when the file has no front matter and none is
    /// required).
    pub yaml: &'a str,
    /// Lines of the file before the YAML starts.
    pub yaml_line_offset: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// The 1-based line the body starts on.
    pub body_line: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `text` (already decoded, LF line ends). With `required`, a file that does not start
/// with `---` is an error; otherwise the whole file is the body.
pub fn split<'a>(file: &str, text: &'a str, required: bool) -> Result<Split<'a>, Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        if required {
            return Err(Diagnostic::error(
                "no-front-matter",
                file,
                "this Markdown record does not start with front matter",
            )
            .at(Pos::new(1, 1))
            .help("start the file with a line `---`, the record's fields, and another line `---`; the narrative follows"));
        }
        return Ok(Split {
            yaml: "",
            yaml_line_offset: 0,
            body: text,
            body_line: 1,
        });
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        let content = line.strip_suffix('\n').unwrap_or(line);
        if is_fence(content) || content.trim_end() == "..." {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line_offset: 1,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        "unclosed-front-matter",
        file,
        "the front matter opened with `---` on line 1 is never closed",
    )
    .at(Pos::new(1, 1))
    .help("add a line `---` after the last field, before the Markdown text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("a.md", "---\nname: x\n---\n# Hi\n", true).unwrap();
        assert_eq!(s.yaml, "name: x\n");
        assert_eq!(s.yaml_line_offset, 1);
        assert_eq!(s.body, "# Hi\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split("a.md", "---\n---", true).unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_is_an_error_at_line_one() {
        let e = split("a.md", "---\nname: x\n# Hi\n", true).unwrap_err();
        assert_eq!(e.code, "unclosed-front-matter");
        assert_eq!((e.line, e.column), (1, 1));
    }

    #[test]
    fn missing_front_matter() {
        assert!(split("a.md", "# Hi\n", true).is_err());
        assert_eq!(split("a.md", "# Hi\n", false).unwrap().body, "# Hi\n");
    }

    #[test]
    fn a_thematic_break_in_the_body_is_not_a_fence() {
        let s = split("a.md", "---\na: 1\n---\ntext\n\n---\n\nmore\n", true).unwrap();
        assert_eq!(s.body, "text\n\n---\n\nmore\n");
    }
}
