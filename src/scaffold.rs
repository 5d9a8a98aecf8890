//! `berpa init` (a new site that builds at once) and `berpa new` (a record skeleton with every
//! field named). The files they write are kept under `src/scaffold/` and embedded here.

use crate::site::config::{Collection, DeclType, Declared};
use crate::site::model::{Date, Kind};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The example site `berpa init` writes: (path in the site, text). `@TODAY@` becomes the date
/// of the day. Every record in it is an invented example, and says so.
pub const INIT_FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("scaffold/site/site.yaml")),
    (".gitignore", include_str!("scaffold/site/gitignore")),
    (
        "content/cities/example-town.md",
        include_str!("scaffold/site/content/cities/example-town.md"),
    ),
    (
        "content/cities/example-town.az.md",
        include_str!("scaffold/site/content/cities/example-town.az.md"),
    ),
    (
        "content/cities/sample-village.yaml",
        include_str!("scaffold/site/content/cities/sample-village.yaml"),
    ),
    (
        "content/roads/example-town-sample-village.yaml",
        include_str!("scaffold/site/content/roads/example-town-sample-village.yaml"),
    ),
    (
        "content/projects/example-school.yaml",
        include_str!("scaffold/site/content/projects/example-school.yaml"),
    ),
    (
        "content/partners/example-partner.yaml",
        include_str!("scaffold/site/content/partners/example-partner.yaml"),
    ),
    (
        "content/indicators/people-returned.yaml",
        include_str!("scaffold/site/content/indicators/people-returned.yaml"),
    ),
    (
        "content/sources/example-bulletin.yaml",
        include_str!("scaffold/site/content/sources/example-bulletin.yaml"),
    ),
    (
        "content/pages/about.md",
        include_str!("scaffold/site/content/pages/about.md"),
    ),
    (
        "content/pages/about.az.md",
        include_str!("scaffold/site/content/pages/about.az.md"),
    ),
];

const NEW_HEADER: &str = include_str!("scaffold/new/header.txt");
const NEW_COMMON: &str = include_str!("scaffold/new/common.txt");

/// The fields of a new record of `kind`, each named and commented.
fn new_fields(kind: Kind) -> &'static str {
    match kind {
        Kind::City => include_str!("scaffold/new/city.yaml"),
        Kind::Road => include_str!("scaffold/new/road.yaml"),
        Kind::Project => include_str!("scaffold/new/project.yaml"),
        Kind::Partner => include_str!("scaffold/new/partner.yaml"),
        Kind::Indicator => include_str!("scaffold/new/indicator.yaml"),
        Kind::Source => include_str!("scaffold/new/source.yaml"),
        Kind::Own(_) => include_str!("scaffold/new/item.yaml"),
    }
}

/// A problem that stops `init` or `new` (exit code 2).
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

fn io(p: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error(format!("{}: {e}", p.display()))
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io(path))?;
    f.write_all(bytes).map_err(io(path))
}

/// What `init` wrote.
#[derive(Debug)]
pub struct Init {
    pub files: Vec<PathBuf>,
}

/// Writes a new example site into `dir`, which must be absent or empty. With `with_theme`,
/// the built-in templates, static files and interface strings are copied in too, to edit.
pub fn init(dir: &Path, with_theme: bool) -> Result<Init, Error> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Error(format!(
                "{} exists and is not a folder",
                dir.display()
            )));
        }
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(Error(format!(
                "refusing to make a site in {}: it is not empty; choose a new or empty folder",
                dir.display()
            )));
        }
    }
    let today = Date::today().to_string();
    let mut files = Vec::new();
    let mut put = |rel: &str, bytes: &[u8]| -> Result<(), Error> {
        let p = dir.join(rel);
        write_new(&p, bytes)?;
        files.push(p);
        Ok(())
    };
    for (rel, text) in INIT_FILES {
        put(rel, text.replace("@TODAY@", &today).as_bytes())?;
    }
    if with_theme {
        for (name, text) in crate::render::THEME_TEMPLATES {
            put(&format!("templates/{name}"), text.as_bytes())?;
        }
        for (name, bytes) in crate::render::THEME_STATIC {
            put(&format!("static/{name}"), bytes)?;
        }
        for (code, text) in crate::site::lang::BUILTIN {
            put(&format!("i18n/{code}.yaml"), text.as_bytes())?;
        }
    }
    Ok(Init { files })
}

/// Whether `id` is a valid record id: `[a-z0-9][a-z0-9-]*`.
pub fn is_valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// The text of a new record of `kind` with the id `id`.
pub fn skeleton(kind: Kind, id: &str) -> String {
    skeleton_with(kind, id, &[])
}

/// [`skeleton`], naming the fields the site declares for the kind after its own.
fn skeleton_with(kind: Kind, id: &str, declared: &[Declared]) -> String {
    let mut s = NEW_HEADER
        .replace("@KIND@", kind.name())
        .replace("@DIR@", kind.dir())
        .replace("@ID@", id);
    s.push_str(new_fields(kind));
    for d in declared.iter().filter(|d| d.kind == kind) {
        s.push_str(&declared_line(d));
    }
    if kind != Kind::Source {
        s.push_str(NEW_COMMON);
    }
    s.replace("@TODAY@", &Date::today().to_string())
}

/// Writes `content/<kind>/<id>.yaml` in the site at `root`; refuses to replace a record.
/// `kind` is a built-in kind's name (`city`) or folder (`cities`), or the folder of a
/// collection the site declares (`schools`).
pub fn new_record(root: &Path, kind: &str, id: &str) -> Result<PathBuf, Error> {
    if !is_valid_id(id) {
        return Err(Error(format!(
            "`{id}` is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit (for example `new-town`)"
        )));
    }
    if !root.join("site.yaml").is_file() {
        return Err(Error(format!(
            "{} has no site.yaml: run this in a berpa site's folder, or pass --root",
            root.display()
        )));
    }
    let cfg = crate::load::config::load(root, &mut crate::site::diagnostics::Diagnostics::new());
    let (own, declared) = cfg.as_ref().map_or((&[][..], &[][..]), |c| {
        (c.own.as_slice(), c.declared.as_slice())
    });
    let kind = resolve_kind(kind, own, cfg.is_some())?;
    let dir = root.join("content").join(kind.dir());
    for ext in ["yaml", "md"] {
        let p = dir.join(format!("{id}.{ext}"));
        if p.exists() {
            return Err(Error(format!(
                "refusing to overwrite {}: there is already a {} with the id `{id}`",
                p.display(),
                kind.what()
            )));
        }
    }
    let path = dir.join(format!("{id}.yaml"));
    write_new(&path, skeleton_with(kind, id, declared).as_bytes())?;
    Ok(path)
}

/// The kind `berpa new` was asked for, by name or folder.
fn resolve_kind(word: &str, own: &[Collection], cfg_read: bool) -> Result<Kind, Error> {
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .chain(own.iter().map(|c| c.kind))
        .collect();
    if let Some(k) = kinds.iter().find(|k| k.name() == word || k.dir() == word) {
        return Ok(*k);
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    let mut msg = format!("there is no kind of record `{word}`");
    if let Some(n) = crate::load::yaml::nearest(word, &names) {
        msg.push_str(&format!("; did you mean `{n}`?"));
    }
    msg.push_str(&format!(" Kinds: {}", names.join(", ")));
    if !cfg_read {
        msg.push_str(
            " (site.yaml has problems, so its own collections are not known: run `berpa check`)",
        );
    }
    Err(Error(msg))
}

/// Commented lines naming a declared field, its label and what to write.
fn declared_line(d: &Declared) -> String {
    let what = match d.ty {
        DeclType::Text => "text".to_string(),
        DeclType::Number => "a number".into(),
        DeclType::Money => "an amount: {amount: 250000, currency: AZN}".into(),
        DeclType::Date => "a date, YYYY-MM-DD".into(),
        DeclType::Enum => format!("one of: {}", d.values.join(" | ")),
        DeclType::Url => "a web address".into(),
        DeclType::Boolean => "true or false".into(),
        DeclType::Reference(k) => format!("the id of a record in content/{}/", k.dir()),
    };
    let what = if d.many {
        format!("a list, [a, b], of {what}")
    } else {
        what
    };
    let label = d.label.in_lang("en", "en");
    let label = if label.is_empty() { &d.name } else { label };
    format!("# {label} (declared in site.yaml): {what}\n# {}:\n", d.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("lachin"));
        assert!(is_valid_id("2024-report"));
        assert!(is_valid_id("a-b-c"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id("Lachin"));
        assert!(!is_valid_id("a_b"));
        assert!(!is_valid_id("../x"));
        assert!(!is_valid_id("a.b"));
    }

    #[test]
    fn skeletons_name_every_field() {
        let city = skeleton(Kind::City, "x");
        for f in [
            "name:",
            "kind:",
            "district:",
            "region:",
            "location:",
            "status:",
            "summary:",
            "sources:",
            "updated:",
            "history:",
        ] {
            assert!(city.contains(f), "{f} missing from the city skeleton");
        }
        assert!(city.contains("city | town | village"));
        assert!(city.contains("content/cities/x.yaml"));
        assert!(!city.contains('@'), "a placeholder was left: {city}");
        let source = skeleton(Kind::Source, "x");
        assert!(source.contains("government | state-media | news | ngo | international | other"));
        assert!(!source.contains("\nupdated:"));
    }
}
