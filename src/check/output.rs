//! The rule that no two sources write one output path: the sink finds each collision as it
//! happens; this says which file to change.

use crate::write::sink::{Collision, Origin};
use std::path::Path;

/// A collision as a build error, at the file to change: a file of the site (a free page, a
/// static file, a chart) when one of the two is; else `site.yaml`'s language when the path lies
/// under a language's folder; else the record's file. Both are named.
pub fn collision(
    c: &Collision,
    root: &Path,
    cfg: &crate::site::config::Config,
    recs: &crate::site::model::Records,
) -> crate::site::diagnostics::Diagnostic {
    use crate::site::diagnostics::{Diagnostic, Pos};
    let message = format!(
        "{} and {} would both write {}: one would silently replace the other",
        c.from[0], c.from[1], c.path
    );
    let error = |file: &str| Diagnostic::error("output-collision", file, message.clone());
    let lang = c.path.split('/').next().and_then(|top| {
        let i = cfg.languages.iter().position(|l| l == top)?;
        (i > 0).then_some((i, top))
    });
    let file = c.from.iter().find_map(|o| match o {
        Origin::File(f) => Some(f),
        _ => None,
    });
    if let Some(f) = file {
        let help = if f.starts_with("static/") {
            format!("berpa makes {} itself: remove or rename {f}", c.path)
        } else if f.starts_with("content/charts/") {
            "rename the chart's file (its id is its file name) to an id no other chart has".into()
        } else {
            format!(
                "rename or move {f}: a page's address comes from its file name under content/pages/"
            )
        };
        // (A static file may be anything: no line of it is pointed at.)
        let at = if f.starts_with("static/") {
            Pos::new(0, 0)
        } else {
            Pos::new(1, 1)
        };
        return error(f).at(at).help(help);
    }
    if let Some((i, code)) = lang {
        let text = crate::site::input::Site::new(root)
            .read("site.yaml", crate::site::input::TEXT)
            .ok()
            .flatten()
            .and_then(|b| crate::load::decode("site.yaml", &b).ok())
            .unwrap_or_default();
        let doc = crate::load::yaml::YamlDoc {
            file: "site.yaml",
            text: &text,
            line_offset: 0,
        };
        let at = doc.locate(&crate::load::yaml::path(&format!("languages[{i}]")));
        return error("site.yaml").at(at).help(format!(
            "berpa puts the pages in `{code}` under {code}/, a folder the site uses already: use another code for this language (none can be named like one of berpa's folders: cities, roads, projects, partners, indicators, sources, map, data, updates, editions, changes, charts)"
        ));
    }
    let record = c.from.iter().find_map(|o| match o {
        Origin::Record(kind, id) => recs.meta(*kind, id).map(|m| m.file.clone()),
        _ => None,
    });
    match record {
        Some(f) => error(&f)
            .at(Pos::new(1, 1))
            .help("rename the record's file (its id is its file name): the name is taken"),
        None => error("site.yaml").help(
            "two of berpa's own files share a path: this is a bug in berpa; please report it",
        ),
    }
}
