//! Replays the fuzz target's seed corpus and every saved crash input through the same function
//! the fuzzer calls, so a fixed crash stays fixed. See fuzz/regressions/README.md.

use berpa::site::model::Kind;

fn replay(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL[usize::from(first % 6)];
    let markdown = first & 0x80 != 0;
    if let Err(d) = berpa::load::parse_record_bytes(kind, markdown, rest) {
        assert!(!d.file.is_empty());
        assert!(!d.message.is_empty());
        assert!(d.help.is_some(), "every error says what to change: {d:?}");
    }
}

#[test]
fn seeds_and_saved_crashes_load_without_panicking() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["corpus/load_record", "regressions"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if dir.starts_with("corpus") && !name.starts_with("seed") || name.ends_with(".md") {
                continue;
            }
            replay(&std::fs::read(&p).unwrap());
            n += 1;
        }
    }
    assert!(n >= 6, "the seed corpus is there ({n})");
    // The seeds are real records: the sample's own files load cleanly.
    let city = std::fs::read(root.join("corpus/load_record/seed0")).unwrap();
    assert!(berpa::load::parse_record_bytes(Kind::City, true, &city[1..]).is_ok());
}

#[test]
fn hostile_seeds_are_refused_with_their_diagnostic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/load_record");
    for (seed, code, line) in [
        ("seed6-nested-quotes", "too-deep", 9),
        ("seed7-nested-lists", "too-deep", 7),
        ("seed8-control-characters", "control-character", 3),
        ("seed9-parse-failing", "yaml-syntax", 4),
    ] {
        let data = std::fs::read(root.join(seed)).unwrap();
        let (&first, rest) = data.split_first().unwrap();
        let kind = Kind::ALL[usize::from(first % 6)];
        let d = berpa::load::parse_record_bytes(kind, first & 0x80 != 0, rest).expect_err(seed);
        assert_eq!((d.code, d.line), (code, line), "{seed}: {d:?}");
    }
}
