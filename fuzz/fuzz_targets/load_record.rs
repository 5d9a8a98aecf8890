//! Fuzzes loading one record: decoding, front matter splitting, YAML parsing into every record
//! kind, and turning any failure into a diagnostic. The first byte picks the kind and whether
//! the file is Markdown; a crash input found here becomes a regression test in
//! tests/fuzz_regressions.rs.
#![no_main]

use berpa::site::model::Kind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL[usize::from(first % 6)];
    let markdown = first & 0x80 != 0;
    if let Err(d) = berpa::load::parse_record_bytes(kind, markdown, rest) {
        // Every failure names a file and says something.
        assert!(!d.file.is_empty());
        assert!(!d.message.is_empty());
    }
    // Splitting front matter on its own.
    if let Ok(text) = std::str::from_utf8(rest) {
        let _ = berpa::load::frontmatter::split("f.md", text, true);
    }
});
