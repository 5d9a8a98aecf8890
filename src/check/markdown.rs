//! The rules for Markdown texts, records' narratives and free pages' bodies: each internal
//! link (`@/cities/lachin`) must lead to a page the site has, each ` ```chart ` block must name
//! a chart the site has, and quotes and lists may nest only so deep
//! ([`crate::site::markdown::MAX_NESTING`]). Where internal links lead is worked out here
//! ([`resolve`]), once for the check and the rendering both; the rendering only makes the
//! folder relative to its page.

use crate::site::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::site::markdown;
use crate::site::model::fields::Field;
use crate::site::model::{
    Body, CHANGES_PAGE, DATA_PAGE, EDITIONS_PAGE, Kind, Records, UPDATES_PAGE,
};
use std::collections::BTreeSet;

/// The built-in pages an internal link may name besides records, free pages and pages per group.
const BUILT_IN_PAGES: [&str; 5] = [DATA_PAGE, "map", UPDATES_PAGE, EDITIONS_PAGE, CHANGES_PAGE];

/// Every narrative and free page in the site's `languages` judged: broken internal links,
/// chart blocks naming a chart not in `charts` (the ids of every chart the site draws; `None`
/// when they cannot be known, as when no interface language could be read: blocks are not
/// judged then), and nesting too deep. Each text is judged once, whichever pages show it. A narrative left in
/// its file is read from it (a file that cannot be read, or changed, is reported too).
pub fn check_texts(
    recs: &Records,
    languages: &[String],
    default_lang: &str,
    charts: Option<&BTreeSet<String>>,
) -> Diagnostics {
    let mut out = Diagnostics::new();
    let known = |l: &String| languages.contains(l);
    for kind in recs.fields.kinds() {
        for id in recs.ids(kind) {
            let Some(meta) = recs.meta(kind, id) else {
                continue;
            };
            for body in meta.body.iter().filter(|(l, _)| known(l)).map(|(_, b)| b) {
                check_text(recs, default_lang, charts, body, &mut out);
            }
        }
    }
    for page in &recs.pages {
        for v in page
            .versions
            .iter()
            .filter(|(l, _)| known(l))
            .map(|(_, v)| v)
        {
            check_text(recs, default_lang, charts, &v.body, &mut out);
        }
    }
    out
}

/// One text's problems into `out`, at their lines and columns in its file.
fn check_text(
    recs: &Records,
    default_lang: &str,
    charts: Option<&BTreeSet<String>>,
    body: &Body,
    out: &mut Diagnostics,
) {
    let md = match crate::load::narrative(body) {
        Ok(md) => md,
        Err(d) => {
            out.push(d);
            return;
        }
    };
    let link = |target: &str| resolve(recs, default_lang, target).map(|_| ());
    let chart = |id: &str| {
        if charts.is_none_or(|c| c.contains(id)) || recs.failed.charts.contains(id) {
            Ok(())
        } else {
            Err(format!("there is no chart `{id}` in content/charts/"))
        }
    };
    for p in markdown::problems(&md, &link, &chart) {
        let line = body.line - 1 + markdown::line_of(&md, p.offset);
        let column = markdown::column_of(&md, p.offset);
        out.push(
            Diagnostic::error(p.code, body.file.clone(), p.message)
                .at(Pos::new(line, column))
                .help(p.help),
        );
    }
}

/// Where an internal link's target (the part after `@/`, such as `cities/lachin#return`)
/// leads: the folder below the language home ([`internal_target`]) with its `#anchor`.
pub fn resolve(recs: &Records, default_lang: &str, target: &str) -> Result<String, String> {
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    let rel = internal_target(recs, default_lang, path)?;
    Ok(match anchor {
        Some(a) => format!("{rel}#{a}"),
        None => rel,
    })
}

/// "there is no X": with the nearest of `candidates` when one is a likely typo.
fn no_such(what: &str, word: &str, candidates: &[String], prefix: &str) -> String {
    match crate::load::yaml::nearest(word, candidates) {
        Some(n) => format!("there is no {what} `{word}`; did you mean `@/{prefix}{n}`?"),
        None => format!("there is no {what} `{word}`"),
    }
}
/// The folder below the language home an internal link's target (the part after `@/`, less
/// its `#anchor`) names: home (`@/`), a built-in page (`data`, `map`, `updates`), a collection's
/// list (`sources`), a record (`cities/lachin`), a free page (`pages/about`), a field's index
/// of values (`projects/by-sector`) or a value's page (`projects/by-sector/education`). An
/// unknown target is an error saying what there is, with the nearest name when one is close.
pub fn internal_target(recs: &Records, default_lang: &str, path: &str) -> Result<String, String> {
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return Ok(String::new());
    }
    let (dir, rest) = path.split_once('/').unwrap_or((path, ""));
    if BUILT_IN_PAGES.contains(&dir) && rest.is_empty() {
        return Ok(format!("{dir}/"));
    }
    if dir == "pages" {
        if recs.pages.iter().any(|p| p.slug == rest) || recs.failed.pages.contains(rest) {
            return Ok(format!("{rest}/"));
        }
        let slugs: Vec<String> = recs.pages.iter().map(|p| p.slug.clone()).collect();
        return Err(no_such("page", rest, &slugs, "pages/"));
    }
    let Some(kind) = recs.fields.kind(dir) else {
        let mut tops: Vec<String> = recs.fields.kinds().map(|k| k.dir().to_string()).collect();
        tops.extend(BUILT_IN_PAGES.iter().map(|p| p.to_string()));
        tops.push("pages".into());
        return Err(no_such("page", path, &tops, ""));
    };
    let (id, value) = rest.split_once('/').unwrap_or((rest, ""));
    if id.is_empty() {
        return Ok(format!("{dir}/"));
    }
    if let Some(field) = id.strip_prefix("by-") {
        return group_target(recs, default_lang, kind, field, value);
    }
    if !value.is_empty() || !recs.known(kind, id) {
        let ids: Vec<String> = recs.ids(kind).iter().map(|s| s.to_string()).collect();
        return Err(no_such(&kind.what(), rest, &ids, &format!("{dir}/")));
    }
    Ok(format!("{dir}/{id}/"))
}

/// A field's index of values (`value` empty) or a value's page, when there is one.
fn group_target(
    recs: &Records,
    default_lang: &str,
    kind: Kind,
    field: &str,
    value: &str,
) -> Result<String, String> {
    use crate::site::model::groups;
    let fields: Vec<&Field> = recs
        .fields
        .of(kind)
        .iter()
        .filter(|f| groups::has_pages(f))
        .filter(|f| crate::site::model::suggest_id(&f.name) == field)
        .collect();
    let Some(f) = fields.first() else {
        let names: Vec<String> = recs
            .fields
            .of(kind)
            .iter()
            .filter(|f| groups::has_pages(f))
            .map(|f| format!("by-{}", crate::site::model::suggest_id(&f.name)))
            .collect();
        let what = format!("grouping of {}", kind.dir());
        return Err(no_such(
            &what,
            &format!("by-{field}"),
            &names,
            &format!("{}/", kind.dir()),
        ));
    };
    if value.is_empty() {
        return Ok(groups::index_path(kind, &f.name));
    }
    let mut slugs: Vec<String> = (0..recs.count(kind))
        .filter_map(|i| recs.rec(kind, i))
        .flat_map(|r| groups::record_values(&f.value(r), default_lang))
        .map(|(slug, _)| slug)
        .collect();
    slugs.sort();
    slugs.dedup();
    if slugs.binary_search_by(|s| s.as_str().cmp(value)).is_ok() {
        return Ok(groups::value_path(kind, &f.name, value));
    }
    let prefix = groups::index_path(kind, &f.name);
    let what = format!("{} {} value", kind.name(), f.name);
    Err(no_such(&what, value, &slugs, &prefix))
}
