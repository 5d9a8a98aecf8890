//! Reading `site.yaml` into a [`Config`], with every problem placed at its line and column.

use crate::load::yaml::{YamlDoc, nearest, path};
use crate::site::config::{
    Collection, Config, DeclType, Declared, FieldDecl, OC4IDS_PREFIX_GUIDANCE, OWN_STATUSES,
    is_lang_code, is_oc4ids_prefix, normalise_base_url,
};
use crate::site::diagnostics::Pos;
use crate::site::diagnostics::{Diagnostic, Diagnostics};
use crate::site::model::fields::{FieldTable, FieldType, intern};
use crate::site::model::{Coll, Kind, Text};
use std::path::Path;

/// Loads `site.yaml` from the site root: `None` when it has any problem (each one is
/// reported).
pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Config> {
    match load_checked(root, diags) {
        Loaded::Ok(c) => Some(c),
        Loaded::Flawed(_) | Loaded::Failed => None,
    }
}

/// What loading `site.yaml` gave.
#[derive(Debug)]
pub enum Loaded {
    Ok(Config),
    /// Read, with its languages right but other values wrong (reported): content can be judged
    /// against it, but no site is built.
    Flawed(Config),
    /// Not read, not parsed, or its languages are wrong (reported): nothing else can be judged,
    /// since what is right in content depends on it.
    Failed,
}

/// Loads `site.yaml` from the site root, reporting every problem, and says how far it can be
/// used.
pub fn load_checked(root: &Path, diags: &mut Diagnostics) -> Loaded {
    let file = "site.yaml";
    let Some(text) = read_config(root, file, diags) else {
        return Loaded::Failed;
    };
    let doc = YamlDoc {
        file,
        text: &text,
        line_offset: 0,
    };
    let mut cfg: Config = match doc.parse("site.yaml") {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            return Loaded::Failed;
        }
    };
    if !check_languages(&cfg, &doc, diags) {
        return Loaded::Failed;
    }
    // Declared collections and fields decide what a record may hold: when one is wrong, no
    // record is judged.
    let (own, own_ok) = collections(&cfg, &doc, diags);
    cfg.own = own;
    match declarations(&cfg, &doc, diags) {
        Some(d) if own_ok => cfg.declared = d,
        _ => return Loaded::Failed,
    }
    let mut ok = check_urls(&cfg, &doc, diags);
    ok &= check_oc4ids_prefix(&cfg, &doc, diags);
    ok &= check_rates(&cfg, &doc, diags);
    ok &= fix_base_url(&mut cfg, &doc, diags);
    if ok {
        Loaded::Ok(cfg)
    } else {
        Loaded::Flawed(cfg)
    }
}

/// The text of `site.yaml`, or `None` when it is missing or cannot be read (reported).
fn read_config(root: &Path, file: &str, diags: &mut Diagnostics) -> Option<String> {
    let bytes = match crate::site::input::Site::new(root).read(file, crate::site::input::TEXT) {
        Ok(Some(b)) => b,
        Ok(None) => {
            diags.push(
                Diagnostic::error("no-config", file, format!("there is no site.yaml in {}", root.display()))
                    .help("a site needs a site.yaml with at least `title` and `base_url`; `berpa init DIR` writes one"),
            );
            return None;
        }
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    match crate::load::decode(file, &bytes) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Checks the publisher's and the licence's web addresses; whether they are right (each
/// problem is reported).
fn check_urls(cfg: &Config, doc: &YamlDoc, diags: &mut Diagnostics) -> bool {
    let mut ok = true;
    let urls = [
        (
            "publisher.url",
            cfg.publisher.as_ref().and_then(|p| p.url.clone()),
        ),
        (
            "licence.url",
            cfg.licence.as_ref().and_then(|l| l.url.clone()),
        ),
    ];
    for (field, url) in urls {
        if let Some(u) = url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            diags.push(
                Diagnostic::error(
                    "invalid-url",
                    doc.file,
                    format!("`{u}` is not a web address"),
                )
                .at(doc.locate(&crate::load::yaml::path(field)))
                .help("write the full address, starting with https:// or http://"),
            );
            ok = false;
        }
    }
    ok
}

/// Checks `oc4ids_prefix`; whether it is right (a problem is reported).
fn check_oc4ids_prefix(cfg: &Config, doc: &YamlDoc, diags: &mut Diagnostics) -> bool {
    if let Some(p) = &cfg.oc4ids_prefix
        && !is_oc4ids_prefix(p)
    {
        diags.push(
            Diagnostic::error(
                "bad-config",
                doc.file,
                format!("`{p}` is not an OC4IDS project identifier prefix"),
            )
            .at(doc.locate(&crate::load::yaml::path("oc4ids_prefix")))
            .help(format!(
                "a prefix is `oc4ids-` and six lowercase letters or digits, such as \
                 `oc4ids-bu3kcz`: write the one registered for your organisation \
                 ({OC4IDS_PREFIX_GUIDANCE})"
            )),
        );
        return false;
    }
    true
}

/// Normalises `base_url` (adding the final `/`); whether it is a usable address (a problem is
/// reported).
fn fix_base_url(cfg: &mut Config, doc: &YamlDoc, diags: &mut Diagnostics) -> bool {
    match normalise_base_url(&cfg.base_url) {
        Ok(u) => {
            cfg.base_url = u;
            true
        }
        Err(m) => {
            diags.push(
                Diagnostic::error("bad-config", doc.file, m)
                    .at(doc.locate(&crate::load::yaml::path("base_url")))
                    .help("write the full address, for example `base_url: https://example.org/report/`"),
            );
            false
        }
    }
}

/// Checks `exchange_rates`: ISO 4217 codes, rates above 0, a web address; whether they are
/// right (each problem is reported).
fn check_rates(cfg: &Config, doc: &YamlDoc, diags: &mut Diagnostics) -> bool {
    let Some(x) = &cfg.exchange_rates else {
        return true;
    };
    let file = doc.file;
    let at = |p: &str| doc.locate(&crate::load::yaml::path(p));
    let mut ok = true;
    let mut bad = |path: String, message: String, help: &str| {
        diags.push(
            Diagnostic::error("bad-config", file, message)
                .at(at(&path))
                .help(help),
        );
        ok = false;
    };
    let code_help = "write an ISO 4217 currency code in capitals, such as AZN, USD or EUR";
    if !crate::site::currency::is_currency(&x.to) {
        bad(
            "exchange_rates.to".into(),
            format!("`{}` is not a currency code", x.to),
            code_help,
        );
    }
    for (code, rate) in &x.rates {
        let path = format!("exchange_rates.rates.{code}");
        if !crate::site::currency::is_currency(code) {
            bad(
                path.clone(),
                format!("`{code}` is not a currency code"),
                code_help,
            );
        }
        if !(rate.is_finite() && *rate > 0.0) {
            bad(
                path,
                format!("the rate of {code} is {rate}: a rate is a number above 0"),
                "give how many units of `to` one unit of this currency is worth, such as `AZN: 0.588`",
            );
        }
    }
    if let Some(u) = &x.url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        bad(
            "exchange_rates.url".into(),
            format!("`{u}` is not a web address"),
            "write the full address, starting with https:// or http://",
        );
    }
    ok
}

/// Checks `languages`: at least one, each a language code, none twice; whether they are right
/// (each problem is reported).
fn check_languages(cfg: &Config, doc: &YamlDoc, diags: &mut Diagnostics) -> bool {
    let file = doc.file;
    let mut ok = true;
    if cfg.languages.is_empty() {
        diags.push(
            Diagnostic::error("bad-config", file, "`languages` is empty")
                .at(doc.locate(&crate::load::yaml::path("languages")))
                .help("list at least one language code, for example `languages: [en]`"),
        );
        ok = false;
    }
    for (i, l) in cfg.languages.iter().enumerate() {
        if !is_lang_code(l) {
            diags.push(
                Diagnostic::error("bad-config", file, format!("`{l}` is not a language code"))
                    .at(doc.locate(&crate::load::yaml::path(&format!("languages[{i}]"))))
                    .help("use lowercase ISO 639 codes such as `en` or `az`"),
            );
            ok = false;
        }
        if cfg.languages[..i].contains(l) {
            diags.push(
                Diagnostic::error(
                    "bad-config",
                    file,
                    format!("language `{l}` is listed twice"),
                )
                .at(doc.locate(&crate::load::yaml::path(&format!("languages[{i}]"))))
                .help("list each language once"),
            );
            ok = false;
        }
    }
    ok
}

/// Names a declared field may not take: the folders and pages of the built site, and what
/// every record's JSON adds.
const RESERVED_NAMES: &[&str] = &[
    "id", "kind", "page_url", "history", "data", "map", "charts", "updates", "sources", "search",
    "feed", "pages", "static", "geo", "by",
];

/// The most collections a site may declare.
const MAX_COLLECTIONS: usize = 50;

/// The longest name a declared collection may have (it is a folder in every page's address).
const MAX_COLLECTION_NAME: usize = 64;

/// Checks `collections:` and returns the sound ones in the order written, and whether all are
/// (each problem is reported at its line).
fn collections(cfg: &Config, doc: &YamlDoc, diags: &mut Diagnostics) -> (Vec<Collection>, bool) {
    let mut named: Vec<(Pos, &str)> = cfg
        .collections
        .keys()
        .map(|dir| {
            (
                doc.locate_key(&path(&format!("collections.{dir}"))),
                dir.as_str(),
            )
        })
        .collect();
    named.sort_by_key(|(pos, _)| (pos.line, pos.column));
    let mut ok = true;
    let mut sound = Vec::new();
    for (pos, dir) in &named {
        let problem = if Kind::from_dir(dir).is_some() {
            Some((
                format!("`{dir}` is one of berpa's own collections"),
                format!(
                    "remove `{dir}` from `collections:`; to give {dir} fields of your own, declare them under `fields: {{{dir}: …}}`"
                ),
            ))
        } else if dir.len() > MAX_COLLECTION_NAME {
            Some((
                format!(
                    "the collection name `{dir}` is longer than {MAX_COLLECTION_NAME} characters"
                ),
                "give it a shorter name: it is a folder and part of every address of its pages"
                    .into(),
            ))
        } else if !crate::site::model::is_valid_id(dir) {
            Some((
                format!("`{dir}` is not a collection name"),
                "write lowercase letters, digits and `-`, starting with a letter or digit, such as `schools`".into(),
            ))
        } else if RESERVED_NAMES.contains(dir) || cfg.languages.iter().any(|l| l == dir) {
            Some((
                format!("`{dir}` is the name of one of berpa's pages, folders or languages"),
                format!("give the collection another name, such as `{dir}-records`"),
            ))
        } else {
            None
        };
        match problem {
            Some((message, help)) => {
                diags.push(
                    Diagnostic::error("bad-collection", doc.file, message)
                        .at(*pos)
                        .help(help),
                );
                ok = false;
            }
            None => sound.push(*dir),
        }
    }
    if named.len() > MAX_COLLECTIONS {
        diags.push(
            Diagnostic::error(
                "bad-collection",
                doc.file,
                format!("site.yaml declares {} collections", named.len()),
            )
            .at(doc.locate_key(&path("collections")))
            .help(format!("declare at most {MAX_COLLECTIONS}")),
        );
        ok = false;
    }
    sound.truncate(MAX_COLLECTIONS);
    let own = sound
        .iter()
        .enumerate()
        .map(|(i, dir)| {
            let decl = &cfg.collections[*dir];
            Collection {
                kind: Kind::Own(Coll {
                    index: u16::try_from(i).expect("at most MAX_COLLECTIONS"),
                    dir: intern(dir),
                }),
                label: decl.label.clone(),
                one: decl.one.clone(),
            }
        })
        .collect();
    (own, ok)
}

/// Checks `fields:` and each collection's `fields:`, and returns their declarations in the
/// order written, with a `status` for each collection that declares none; `None` when any is
/// wrong (each problem is reported at its line).
fn declarations(cfg: &Config, doc: &YamlDoc, diags: &mut Diagnostics) -> Option<Vec<Declared>> {
    let table = FieldTable::for_site(&cfg.own, &[]);
    let mut out = Vec::new();
    let mut ok = true;
    // (the collection, where its fields are declared in site.yaml, the fields)
    let mut sections = Vec::new();
    for (coll, fields) in &cfg.fields {
        match table.kind(coll) {
            Some(kind) => sections.push((kind, format!("fields.{coll}"), fields)),
            None => {
                diags.push(no_collection(&table, coll, doc));
                ok = false;
            }
        }
    }
    for c in &cfg.own {
        let dir = c.kind.dir();
        let Some(fields) = cfg.collections.get(dir).map(|c| &c.fields) else {
            continue;
        };
        sections.push((c.kind, format!("collections.{dir}.fields"), fields));
    }
    for (kind, section, fields) in sections {
        for (name, decl) in fields {
            let at = format!("{section}.{name}");
            match declared(cfg, &table, kind, name, decl) {
                Ok(d) => out.push((doc.locate_key(&path(&at)), d)),
                Err((sub, msg, help)) => {
                    let pos = if sub.is_empty() {
                        doc.locate_key(&path(&at))
                    } else {
                        doc.locate(&path(&format!("{at}.{sub}")))
                    };
                    diags.push(
                        Diagnostic::error("bad-field", doc.file, msg)
                            .at(pos)
                            .help(help),
                    );
                    ok = false;
                }
            }
        }
    }
    out.sort_by_key(|(pos, _)| (pos.line, pos.column));
    let mut out: Vec<Declared> = out.into_iter().map(|(_, d)| d).collect();
    for c in &cfg.own {
        if !out.iter().any(|d| d.kind == c.kind && d.name == "status") {
            out.push(own_status(c.kind));
        }
    }
    ok.then_some(out)
}

/// The `status` of a collection that declares none: a project's codes.
fn own_status(kind: Kind) -> Declared {
    Declared {
        kind,
        name: "status".into(),
        ty: DeclType::Enum,
        many: false,
        values: OWN_STATUSES.iter().map(|s| s.to_string()).collect(),
        label: Text::default(),
        list: true,
        group: true,
    }
}

/// `fields:` names a collection the site does not have.
fn no_collection(table: &FieldTable, coll: &str, doc: &YamlDoc) -> Diagnostic {
    let dirs: Vec<&str> = table.kinds().map(|k| k.dir()).collect();
    Diagnostic::error(
        "bad-field",
        doc.file,
        format!("there is no collection `{coll}`"),
    )
    .at(doc.locate_key(&path(&format!("fields.{coll}"))))
    .help(match nearest(coll, &dirs) {
        Some(n) => format!(
            "did you mean `{n}`? Fields can be declared for: {}",
            dirs.join(", ")
        ),
        None => format!(
            "fields can be declared for: {}; to add a collection of your own, declare it under `collections:`",
            dirs.join(", ")
        ),
    })
}

/// A declaration's problem: (the key under the field, message, help).
type Problem = (&'static str, String, String);

/// One declaration checked.
fn declared(
    cfg: &Config,
    table: &FieldTable,
    kind: Kind,
    name: &str,
    decl: &FieldDecl,
) -> Result<Declared, Problem> {
    check_name(cfg, table, kind, name, decl)?;
    let (ty, many) = decl_type(table, name, decl)?;
    if kind.is_own() && name == "status" && (ty != DeclType::Enum || many) {
        return Err((
            "type",
            format!(
                "a collection's `status` is one code from a list, not {}",
                decl.ty.trim()
            ),
            format!(
                "write `status: {{type: enum, values: [{}]}}` with the codes a record may give, or leave `status` out to use these",
                OWN_STATUSES.join(", ")
            ),
        ));
    }
    if ty == DeclType::Enum && decl.values.is_empty() {
        return Err((
            "type",
            format!("the enum `{name}` lists no values"),
            "add `values: [a, b, c]`, the codes a record may give".into(),
        ));
    }
    if decl.group && many && !matches!(ty, DeclType::Enum | DeclType::Reference(_)) {
        return Err((
            "group",
            format!("records cannot be grouped by a {}", decl.ty.trim()),
            "remove `group: true`; a list is grouped by when it is a `list of enum` or a `list of reference` (a record is then in the group of each of its values)".into(),
        ));
    }
    if decl.to.is_some() && !matches!(ty, DeclType::Reference(_)) {
        return Err((
            "to",
            format!("`to:` is for references, and `{name}` is not one"),
            "remove `to:`, or write `type: reference`".into(),
        ));
    }
    Ok(Declared {
        kind,
        name: name.to_string(),
        ty,
        many,
        values: decl.values.clone(),
        label: decl.label.clone(),
        list: decl.list,
        group: decl.group,
    })
}

/// A declared field's name: not a built-in field's, nor a page's, folder's or language's.
fn check_name(
    cfg: &Config,
    table: &FieldTable,
    kind: Kind,
    name: &str,
    decl: &FieldDecl,
) -> Result<(), Problem> {
    let coll = kind.dir();
    if let Some(f) = table.field(kind, name) {
        let was = builtin_type(f.ty);
        let change = if decl.ty.trim() == was {
            String::new()
        } else {
            format!(
                " (its type is {was}; a declared field cannot make it {})",
                decl.ty.trim()
            )
        };
        return Err((
            "",
            format!("`{name}` is a built-in field of {coll}{change}"),
            format!(
                "remove `{name}` from `{}`: {coll} already have it; to add a field of your own, give it another name, such as `{name}_note`",
                if kind.is_own() {
                    format!("collections.{coll}.fields")
                } else {
                    format!("fields.{coll}")
                }
            ),
        ));
    }
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err((
            "",
            format!("`{name}` is not a field name"),
            "write lowercase letters, digits and `_`, starting with a letter, such as `households`"
                .into(),
        ));
    }
    if RESERVED_NAMES.contains(&name)
        || table.kind(name).is_some()
        || cfg.languages.iter().any(|l| l == name)
    {
        return Err((
            "",
            format!("`{name}` is the name of one of berpa's pages, folders or languages"),
            format!("give the field another name, such as `{name}_info`"),
        ));
    }
    Ok(())
}

/// A declared field's type (and whether it is a list), from `type` and `to`.
fn decl_type(
    table: &FieldTable,
    name: &str,
    decl: &FieldDecl,
) -> Result<(DeclType, bool), Problem> {
    let ty = decl.ty.trim();
    let (many, base) = match ty.strip_prefix("list of ") {
        Some(b) => (true, b.trim()),
        None => (false, ty),
    };
    let ty = match base {
        "text" => DeclType::Text,
        "number" => DeclType::Number,
        "money" => DeclType::Money,
        "date" => DeclType::Date,
        "enum" => DeclType::Enum,
        "url" => DeclType::Url,
        "boolean" => DeclType::Boolean,
        "reference" => {
            let dirs: Vec<&str> = table.kinds().map(|k| k.dir()).collect();
            let Some(to) = &decl.to else {
                return Err((
                    "type",
                    format!("the reference `{name}` does not say what it refers to"),
                    format!("add `to:` and a collection: {}", dirs.join(", ")),
                ));
            };
            match table.kind(to) {
                Some(k) => DeclType::Reference(k),
                None => {
                    return Err((
                        "to",
                        format!("there is no collection `{to}`"),
                        match nearest(to, &dirs) {
                            Some(n) => format!(
                                "did you mean `{n}`? A reference may point at: {}",
                                dirs.join(", ")
                            ),
                            None => format!("a reference may point at: {}", dirs.join(", ")),
                        },
                    ));
                }
            }
        }
        other => {
            let list = DeclType::NAMES.join(", ");
            return Err((
                "type",
                format!("`{other}` is not a field type"),
                match nearest(other, DeclType::NAMES) {
                    Some(n) => format!(
                        "did you mean `{n}`? A field's type is one of: {list}, or `list of` one of them"
                    ),
                    None => format!(
                        "a field's type is one of: {list}, or `list of` one of them (`list of text`)"
                    ),
                },
            ));
        }
    };
    Ok((ty, many))
}

/// How `fields:` would name a built-in field's type.
fn builtin_type(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Text => "text",
        FieldType::Number | FieldType::Integer => "number",
        FieldType::Money => "money",
        FieldType::Date => "date",
        FieldType::Enum(_) => "enum",
        FieldType::Url => "url",
        FieldType::Boolean => "boolean",
        FieldType::Ref(_) => "reference",
        _ => "built in",
    }
}
