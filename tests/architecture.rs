//! The import rule of ARCHITECTURE.md: data flows down. Each top-level module of `src/` may
//! import only the modules listed below it in [`LAYERS`]; the crate root (`lib.rs`, the
//! pipeline) sits just under `serve`. A `use` of a module above is reported with its file and
//! line. Test modules (from a `#[cfg(test)]` line to the end of a file) are not held to it: a
//! unit test may use the loader to make its fixtures.

use std::path::{Path, PathBuf};

/// The top-level modules from the bottom up. `lib` is the crate root's own items.
const LAYERS: &[&str] = &[
    "site", "write", "load", "check", "link", "edition", "draw", "export", "plan", "render",
    "scaffold", "lib", "serve",
];

/// Where `name` sits in [`LAYERS`].
fn layer(name: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == name)
}

/// The top-level module a file belongs to (`None` for `main.rs`, which uses the library from
/// outside), and the module path of the file itself (`["draw", "map"]`).
fn module_of(rel: &Path) -> Option<(String, Vec<String>)> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop()?;
    let stem = file.strip_suffix(".rs")?;
    if parts.is_empty() {
        return match stem {
            "main" => None,
            "lib" => Some(("lib".into(), Vec::new())),
            m => Some((m.into(), vec![m.into()])),
        };
    }
    if stem != "mod" {
        parts.push(stem.into());
    }
    Some((parts[0].clone(), parts))
}

/// What a path's first segment after the crate root names: a top-level module, or else an
/// item of the crate root.
fn top_of(first: &str) -> &str {
    if layer(first).is_some() && first != "lib" {
        first
    } else {
        "lib"
    }
}

/// The first segments of the paths a `{ … }` group lists (`{a::X, b::{Y, Z}}` → a, b).
fn group_heads(s: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut item = String::new();
    for ch in s.chars() {
        match ch {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                heads.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        if depth == 0 {
            item.push(ch);
        }
    }
    heads.push(item);
    heads
        .into_iter()
        .filter_map(|i| {
            let head = i.trim().split("::").next()?.trim().to_string();
            (!head.is_empty() && head != "self").then_some(head)
        })
        .collect()
}

/// The top-level modules a file's code refers to, with the line of each reference: every
/// `crate::x` and every `super::` that leaves its top-level module.
fn references(module_path: &[String], text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // Only the code before the file's test module, without comments.
    let code: Vec<&str> = text
        .lines()
        .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
        .collect();
    let joined: Vec<(usize, String)> = code
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split("//").next().unwrap_or("").to_string()))
        .collect();
    // A `use crate::{` group may run over several lines: read from each line to the end.
    let rest_from = |i: usize, col: usize| -> String {
        let mut s = joined[i].1[col..].to_string();
        for (_, l) in &joined[i + 1..] {
            s.push('\n');
            s.push_str(l);
        }
        s
    };
    for (idx, (line, l)) in joined.iter().enumerate() {
        let mut from = 0;
        while let Some(p) = l[from..].find("crate::").map(|p| p + from) {
            let start = p + "crate::".len();
            from = start;
            // `berpa::crate::` cannot occur; `$crate::` (macros) and `mycrate::` are skipped.
            let before = l[..p].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            if l[start..].starts_with('{') {
                for h in group_heads(&rest_from(idx, start + 1)) {
                    out.push((*line, top_of(&h).to_string()));
                }
            } else {
                let ident: String = l[start..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push((*line, top_of(&ident).to_string()));
            }
        }
        // The crate root names its modules without `crate::` (`serve::run`).
        if module_path.is_empty() {
            for name in LAYERS {
                let pat = format!("{name}::");
                let mut from = 0;
                while let Some(p) = l[from..].find(&pat).map(|p| p + from) {
                    from = p + pat.len();
                    let before = l[..p].chars().last();
                    if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                        out.push((*line, name.to_string()));
                    }
                }
            }
        }
        // `super::` (possibly repeated): resolved against the file's own module path.
        let mut from = 0;
        while let Some(p) = l[from..].find("super::").map(|p| p + from) {
            let before = l[..p].chars().last();
            let mut at = p;
            let mut up = 0;
            while l[at..].starts_with("super::") {
                up += 1;
                at += "super::".len();
            }
            from = at;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            if up < module_path.len() {
                continue; // still inside the same top-level module
            }
            let heads = if l[at..].starts_with('{') {
                group_heads(&rest_from(idx, at + 1))
            } else {
                vec![
                    l[at..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect(),
                ]
            };
            for h in heads {
                out.push((*line, top_of(&h).to_string()));
            }
        }
    }
    out
}

/// The upward imports in one file (`rel`: its path under `src/`), as messages.
fn violations(rel: &Path, text: &str) -> Vec<String> {
    let Some((top, path)) = module_of(rel) else {
        return Vec::new();
    };
    let Some(own) = layer(&top) else {
        return vec![format!(
            "src/{}: the top-level module `{top}` has no place in the import order: add it to \
             LAYERS in tests/architecture.rs and to ARCHITECTURE.md",
            rel.display()
        )];
    };
    references(&path, text)
        .into_iter()
        .filter(|(_, to)| *to != top && layer(to).is_some_and(|l| l > own))
        .map(|(line, to)| {
            format!(
                "src/{}:{line}: `{top}` imports `{to}`, which is above it: move what it needs \
                 down, or the code up",
                rel.display()
            )
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_module_imports_one_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(
        files.len() > 30,
        "found only {} files under src/",
        files.len()
    );
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("source file reads");
        found.extend(violations(f.strip_prefix(&src).unwrap(), &text));
    }
    assert!(
        found.is_empty(),
        "{} upward import(s):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs reads");
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| {
            l.strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))
        })
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert!(declared.contains(&"site"), "lib.rs declares {declared:?}");
    for m in declared {
        assert!(
            layer(m).is_some(),
            "`{m}` has no place in LAYERS (tests/architecture.rs) nor in ARCHITECTURE.md"
        );
    }
}

#[test]
fn an_upward_import_is_caught() {
    let up = "use crate::site::model::Kind;\nuse crate::render::views::Env;\n";
    let v = violations(Path::new("draw/map.rs"), up);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(
        v[0].starts_with("src/draw/map.rs:2: `draw` imports `render`"),
        "{v:?}"
    );
    // In a group over lines, through `super::` out of a module, and a crate-root item.
    let grouped = "use crate::{\n    site::lang::Lang,\n    export::data,\n};\n";
    assert_eq!(violations(Path::new("link/mod.rs"), grouped).len(), 1);
    let sup = "fn f() { super::render::x(); super::super::serve::y(); }\n";
    assert_eq!(violations(Path::new("check/mod.rs"), sup).len(), 2);
    assert_eq!(violations(Path::new("check/rules.rs"), sup).len(), 1);
    assert_eq!(
        violations(Path::new("load/mod.rs"), "crate::trace(\"x\");").len(),
        1
    );
    // The crate root names its modules without `crate::`: the pipeline may not use `serve`.
    assert_eq!(
        violations(Path::new("lib.rs"), "let s = serve::session::Session {").len(),
        1
    );
    assert!(
        violations(
            Path::new("lib.rs"),
            "let b = render::x(); std::fs::write::y;"
        )
        .is_empty()
    );
    // Downward imports, comments and test modules are allowed.
    let fine = "use crate::site::lang::Lang; // crate::serve\n/// [`crate::serve`]\n\
                #[cfg(test)]\nmod tests { use crate::serve::Session; }\n";
    assert!(violations(Path::new("render/views.rs"), fine).is_empty());
    // A module nobody placed is named.
    let v = violations(Path::new("unplaced/mod.rs"), "");
    assert!(v[0].contains("`unplaced` has no place"), "{v:?}");
}
