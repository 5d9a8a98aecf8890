//! Reading `content/`: walk the folder (sorted, symlinks checked), decode each file, split front
//! matter, and parse every record into its typed model. Every problem becomes a diagnostic; one
//! broken file never stops the others from being read.

pub mod config;
mod declared;
pub mod frontmatter;
pub mod geo;
pub mod lang;
pub mod yaml;

use crate::site::config::{Collection, Config, Declared};
use crate::site::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::site::input::Site;
use crate::site::model::fields::FieldTable;
use crate::site::model::{
    Body, Coll, Common, Entry, Failed, Kind, Meta, Narrative, Page, PageFront, PageVersion,
    Records, is_valid_id, suggest_id,
};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use yaml::YamlDoc;

/// The largest content file berpa reads (see [`crate::site::input::CONTENT`]).
pub const MAX_FILE_BYTES: u64 = crate::site::input::CONTENT.bytes;

/// Decodes a file's bytes: UTF-8 required (the error points at the first bad byte), a byte
/// order mark is dropped and CRLF line ends become LF.
pub fn decode(file: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(if s.contains('\r') {
            s.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            s.to_string()
        }),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            Err(Diagnostic::error(
                "not-utf8",
                file,
                format!(
                    "the file is not valid UTF-8 text (byte 0x{:02X})",
                    bytes[e.valid_up_to()]
                ),
            )
            .at(Pos::new(line, col))
            .help("save the file as UTF-8 in your editor (Azerbaijani letters such as ə, ğ, ş need it)"))
        }
    }
}

/// A file found under `content/`, classified.
#[derive(Debug, Clone)]
enum Found {
    Record {
        kind: Kind,
        id: String,
        lang: Option<String>,
        markdown: bool,
    },
    Page {
        slug: String,
        lang: Option<String>,
    },
    /// A declarative chart, `content/charts/<id>.yaml`.
    Chart {
        id: String,
    },
    /// Half of a background map layer: `content/geo/<id>.geojson` or its `<id>.yaml`.
    Geo {
        id: String,
        geojson: bool,
    },
}

#[derive(Debug)]
struct FoundFile {
    rel: String,
    path: PathBuf,
    what: Found,
}

/// `p` below `root`, with `/` between its parts (as records name their files).
pub(crate) fn rel_path(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks `content/` in a stable order and classifies every file. Files refused unread (a link
/// leaving the site, a named pipe) go into `failed` when they are records, pages or charts, so
/// that nothing referring to them is blamed as well.
fn walk(
    site: &Site,
    langs: &[String],
    table: &FieldTable,
    diags: &mut Diagnostics,
    failed: &mut Failed,
) -> Vec<FoundFile> {
    let mut out = Vec::new();
    if let Ok(crate::site::input::Found::Missing) = site.check("content") {
        diags.push(
            Diagnostic::warning("no-content", "content", "the site has no content/ folder")
                .help("records go in content/cities, content/roads, … (see docs/content.md)"),
        );
        return out;
    }
    let mut refused = Vec::new();
    let files = site.files("content", |name| name.starts_with('.'), &mut refused);
    for d in refused {
        if let Some(what) = classify(&d.file, langs, table, &mut Diagnostics::new()) {
            note_failed(failed, &what);
        }
        diags.push(d);
    }
    for (rel, path) in files {
        let Some(what) = classify(&rel, langs, table, diags) else {
            continue;
        };
        if let Found::Record {
            kind,
            id,
            lang: None,
            ..
        } = &what
            && let Some(d) = id_too_long(&rel, *kind, id)
        {
            diags.push(d);
            note_failed(failed, &what);
            continue;
        }
        out.push(FoundFile { rel, path, what });
    }
    out
}

/// Notes a file that could not be read or parsed in `failed`: a record's or a chart's own
/// file, or a page's default-language version.
fn note_failed(failed: &mut Failed, what: &Found) {
    match what {
        Found::Record {
            kind,
            id,
            lang: None,
            ..
        } => {
            failed.records.insert((*kind, id.clone()));
        }
        Found::Page { slug, lang: None } => {
            failed.pages.insert(slug.clone());
        }
        Found::Chart { id } => {
            failed.charts.insert(id.clone());
        }
        Found::Geo { id, .. } => {
            failed.geo.insert(id.clone());
        }
        Found::Record { .. } | Found::Page { .. } => {}
    }
}

/// What the file `rel` (`content/…`) holds, from its path; `None` (with a diagnostic, unless it
/// is an editor's backup) for a file berpa does not read.
fn classify(
    rel: &str,
    langs: &[String],
    table: &FieldTable,
    diags: &mut Diagnostics,
) -> Option<Found> {
    let parts: Vec<&str> = rel.split('/').collect();
    let name = *parts.last()?;
    if name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp") {
        return None;
    }
    // parts[0] == "content"
    let &top = parts.get(1)?;
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), e.to_ascii_lowercase()),
        None => (name.to_string(), String::new()),
    };
    let markdown = ext == "md";
    if top == "geo" {
        return classify_geo(rel, &parts, stem, &ext, diags);
    }
    if !(markdown || ext == "yaml" || ext == "yml") {
        diags.push(
            Diagnostic::warning("ignored-file", rel, "not a .yaml or .md file; ignored")
                .help("records are .yaml or .md files; put images and downloads in static/"),
        );
        return None;
    }
    let (stem, lang) = translation(rel, top, stem, markdown, langs, diags)?;
    if top == "pages" {
        if !markdown {
            diags.push(
                Diagnostic::warning("ignored-file", rel, "free pages are .md files; ignored")
                    .help("rename it to .md"),
            );
            return None;
        }
        let mut slug_parts: Vec<&str> = parts[2..parts.len() - 1].to_vec();
        slug_parts.push(&stem);
        if let Some(b) = slug_parts.iter().find(|p| !is_valid_id(p)) {
            diags.push(bad_name(rel, b));
            return None;
        }
        let slug = slug_parts.join("/");
        return Some(Found::Page { slug, lang });
    }
    if top == "charts" && parts.len() == 3 && !markdown && lang.is_none() {
        if !is_valid_id(&stem) {
            diags.push(bad_name(rel, &stem));
            return None;
        }
        return Some(Found::Chart { id: stem });
    }
    let Some(kind) = table.kind(top) else {
        if let Some(d) = unknown_folder(rel, top, parts.len(), table) {
            diags.push(d);
        }
        return None;
    };
    if parts.len() != 3 {
        diags.push(
            Diagnostic::error(
                "nested-record",
                rel,
                format!(
                    "records live directly in content/{}/, not in sub-folders",
                    kind.dir()
                ),
            )
            .help(format!("move the file to content/{}/", kind.dir())),
        );
        return None;
    }
    if !is_valid_id(&stem) {
        diags.push(bad_name(rel, &stem));
        return None;
    }
    Some(Found::Record {
        kind,
        id: stem,
        lang,
        markdown,
    })
}

/// Why a file outside every collection's folder is ignored (`depth`: the parts of its path);
/// nothing for a chart's stray file, which `classify` reports.
fn unknown_folder(rel: &str, top: &str, depth: usize, table: &FieldTable) -> Option<Diagnostic> {
    if depth == 2 {
        return Some(
            Diagnostic::warning(
                "ignored-file",
                rel,
                "files directly in content/ are ignored",
            )
            .help(
                "put records in content/cities, content/roads, … and free pages in content/pages",
            ),
        );
    }
    if depth != 3 && top == "charts" {
        return None;
    }
    let known: Vec<&str> = table.kinds().map(|k| k.dir()).chain(["pages"]).collect();
    let help = match yaml::nearest(top, &known) {
        Some(n) => format!("did you mean content/{n}/?"),
        None => format!("known folders: {}", known.join(", ")),
    };
    Some(
        Diagnostic::warning(
            "unknown-folder",
            rel,
            format!("content/{top}/ is not a known collection; ignored"),
        )
        .help(help),
    )
}

/// A file under `content/geo/`: a layer's GeoJSON or its description.
fn classify_geo(
    rel: &str,
    parts: &[&str],
    stem: String,
    ext: &str,
    diags: &mut Diagnostics,
) -> Option<Found> {
    let geojson = ext == "geojson";
    if !(geojson || ext == "yaml" || ext == "yml") || parts.len() != 3 {
        diags.push(
            Diagnostic::warning(
                "ignored-file",
                rel,
                "content/geo/ holds map layers, <id>.geojson with <id>.yaml beside it; ignored",
            )
            .help("put the layer directly in content/geo/ as a .geojson file with a .yaml description"),
        );
        return None;
    }
    if !is_valid_id(&stem) {
        diags.push(bad_name(rel, &stem));
        return None;
    }
    Some(Found::Geo { id: stem, geojson })
}

/// Splits `<id>.<lang>` off a Markdown file's stem when `<lang>` is one of the site's
/// languages; `None` (with a diagnostic) for a translation berpa cannot take.
fn translation(
    rel: &str,
    top: &str,
    stem: String,
    markdown: bool,
    langs: &[String],
    diags: &mut Diagnostics,
) -> Option<(String, Option<String>)> {
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((s, l)) if markdown && langs.iter().any(|x| x == l) => {
            (s.to_string(), Some(l.to_string()))
        }
        // `<id>.<lang>.md` in a language the site does not have: say so, rather than
        // calling `id.lang` a bad id.
        Some((s, l)) if markdown && crate::site::config::is_lang_code(l) && is_valid_id(s) => {
            diags.push(
                Diagnostic::error(
                    "unknown-language",
                    rel,
                    format!(
                        "this looks like a translation into `{l}`, but `{l}` is not one of the site's languages ({})",
                        langs.join(", ")
                    ),
                )
                .help(format!(
                    "add `{l}` to `languages` in site.yaml, or rename the file to {s}.md if it is not a translation"
                )),
            );
            return None;
        }
        _ => (stem, None),
    };
    // The default language's text lives in `<id>.md` itself, not in `<id>.<default>.md`.
    if let (Some(l), true) = (&lang, top != "pages")
        && Some(l) == langs.first()
    {
        diags.push(
            Diagnostic::error(
                "default-language-translation",
                rel,
                format!("`{l}` is the site's default language: its narrative belongs in {stem}.md, not in a translation file"),
            )
            .at(Pos::new(1, 1))
            .help(format!("move this text into {stem}.md (after its front matter) and delete this file")),
        );
        return None;
    }
    Some((stem, lang))
}

/// The longest file name a file system takes (NAME_MAX on Linux and macOS, in bytes).
const MAX_NAME_BYTES: usize = 255;

/// An error when a file berpa writes for the record `id` would have a name longer than a file
/// system takes: `berpa check` says so, rather than `build` failing to write it.
fn id_too_long(rel: &str, kind: Kind, id: &str) -> Option<Diagnostic> {
    let name = kind.longest_output_name(id);
    if name.len() <= MAX_NAME_BYTES {
        return None;
    }
    let most = id.len() - (name.len() - MAX_NAME_BYTES);
    let short: String = id.chars().take(40).collect();
    Some(
        Diagnostic::error(
            "id-too-long",
            rel,
            format!(
                "the id `{short}…` is {} characters long: the site would need a file named after it of {} bytes ({}…{}), and file names may be at most {MAX_NAME_BYTES} bytes",
                id.len(),
                name.len(),
                &name[..name.len().min(20)],
                &name[name.len().saturating_sub(12)..],
            ),
        )
        .help(format!(
            "shorten the file name: the id of a {} may be at most {most} characters",
            kind.what()
        )),
    )
}

fn bad_name(rel: &str, stem: &str) -> Diagnostic {
    Diagnostic::error(
        "bad-id",
        rel,
        format!("`{stem}` is not a valid id: ids are lowercase letters, digits and hyphens"),
    )
    .help(format!(
        "rename the file to `{}` (the id is the file name)",
        rel.replace(stem, &suggest_id(stem))
    ))
}

/// The parsed content of one file.
enum Parsed {
    City(Entry<crate::site::model::City>),
    Road(Entry<crate::site::model::Road>),
    Project(Entry<crate::site::model::Project>),
    Partner(Entry<crate::site::model::Partner>),
    Indicator(Entry<crate::site::model::Indicator>),
    Source(Entry<crate::site::model::Source>),
    Item(Coll, Entry<crate::site::model::Item>),
    Translation {
        kind: Kind,
        id: String,
        lang: String,
        body: Body,
    },
    Page {
        slug: String,
        lang: Option<String>,
        version: PageVersion,
    },
    Chart(crate::site::model::chart::ChartEntry),
    Geo {
        id: String,
        part: geo::Part,
    },
}

/// A content file's bytes, or why they cannot be read (a file over the size limit, or one that
/// is no longer a regular file, is not read).
fn read_bytes(rel: &str, path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let limit = if rel.ends_with(".geojson") {
        crate::site::input::GEO
    } else {
        crate::site::input::CONTENT
    };
    crate::site::input::read_file(rel, path, limit)
}

/// A content file's part of the build's input fingerprint: its path and what reading it gave.
fn file_hash(rel: &str, read: &Result<Vec<u8>, Diagnostic>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    h.update(rel.as_bytes());
    match read {
        Ok(bytes) => {
            h.update(&[1]);
            h.update(bytes);
        }
        Err(d) => {
            h.update(&[0]);
            h.update(d.message.as_bytes());
        }
    }
    h.digest()
}

/// A narrative's Markdown: the text it holds, or read again from its file
/// ([`Narrative::InFile`]). The file must be as it was when the build loaded it: a narrative
/// saved in the middle of a build is an error (build again), never half of one edit.
pub fn narrative(body: &Body) -> Result<Cow<'_, str>, Diagnostic> {
    let (path, hash, front_matter) = match &body.markdown {
        Narrative::Text(t) => return Ok(Cow::Borrowed(t)),
        Narrative::InFile {
            path,
            hash,
            front_matter,
        } => (path, *hash, *front_matter),
    };
    let read = read_bytes(&body.file, path);
    if file_hash(&body.file, &read) != hash {
        return Err(Diagnostic::error(
            "changed-during-build",
            &body.file,
            "the file changed while berpa was building the site, so its page would not match the rest",
        )
        .help("build again once the file is saved; the previous output is left as it was"));
    }
    let text = decode(&body.file, &read?)?;
    let s = frontmatter::split(&body.file, &text, front_matter)?;
    Ok(Cow::Owned(s.body.to_string()))
}

/// Leaves a parsed file's narratives in the file (see [`Narrative`]); `hash` is its
/// [`file_hash`].
fn leave_in_file(parsed: &mut Parsed, f: &FoundFile, hash: u64) {
    let in_file = |body: &mut Body, front_matter: bool| {
        body.markdown = Narrative::InFile {
            path: f.path.clone(),
            hash,
            front_matter,
        };
    };
    match parsed {
        Parsed::Translation { body, .. } => in_file(body, false),
        Parsed::City(e) => e.meta.body.values_mut().for_each(|b| in_file(b, true)),
        Parsed::Road(e) => e.meta.body.values_mut().for_each(|b| in_file(b, true)),
        Parsed::Project(e) => e.meta.body.values_mut().for_each(|b| in_file(b, true)),
        Parsed::Partner(e) => e.meta.body.values_mut().for_each(|b| in_file(b, true)),
        Parsed::Indicator(e) => e.meta.body.values_mut().for_each(|b| in_file(b, true)),
        Parsed::Source(e) => e.meta.body.values_mut().for_each(|b| in_file(b, true)),
        Parsed::Item(_, e) => e.meta.body.values_mut().for_each(|b| in_file(b, true)),
        // Free pages are few and rendered from several places: kept.
        Parsed::Chart(_) | Parsed::Page { .. } | Parsed::Geo { .. } => {}
    }
}

fn combine(hashes: impl Iterator<Item = u64>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    for x in hashes {
        h.update(&x.to_le_bytes());
    }
    h.digest()
}

/// The fingerprint of the content a [`load`] with these languages would read: the same files,
/// found and read the same way, without parsing them. (`load_hashed` gives the same number
/// for what it read.)
pub fn content_hash(root: &Path, langs: &[String], own: &[Collection]) -> u64 {
    let files = walk(
        &Site::new(root),
        langs,
        &FieldTable::for_site(own, &[]),
        &mut Diagnostics::new(),
        &mut Failed::default(),
    );
    let hashes: Vec<u64> = files
        .par_iter()
        .map(|f| file_hash(&f.rel, &read_bytes(&f.rel, &f.path)))
        .collect();
    combine(hashes.into_iter())
}

/// A narrative nested too deeply to render ([`crate::site::markdown::too_deep`]), as an error at
/// its place; `line` is the narrative's first line in its file.
fn check_nesting(rel: &str, body: &str, line: usize) -> Result<(), Diagnostic> {
    use crate::site::markdown::{column_of, line_of, too_deep, too_deep_problem};
    let Some(offset) = too_deep(body) else {
        return Ok(());
    };
    let p = too_deep_problem(offset);
    let at = Pos::new(line - 1 + line_of(body, offset), column_of(body, offset));
    Err(Diagnostic::error(p.code, rel, p.message)
        .at(at)
        .help(p.help))
}

fn parse_record<T: DeserializeOwned + Common>(
    f: &FoundFile,
    text: &str,
    id: &str,
    kind: Kind,
    markdown: bool,
    rd: &Reading,
) -> Result<Entry<T>, Diagnostic> {
    let default_lang = rd.default_lang;
    let (yaml_text, offset, body) = if markdown {
        let s = frontmatter::split(&f.rel, text, true)?;
        (s.yaml, s.yaml_line_offset, Some((s.body, s.body_line)))
    } else {
        (text, 0, None)
    };
    let doc = YamlDoc {
        file: &f.rel,
        text: yaml_text,
        line_offset: offset,
    };
    let mine: Vec<&Declared> = rd.declared.iter().filter(|d| d.kind == kind).collect();
    let mut data: T = if mine.is_empty() {
        doc.parse(&kind.what())
    } else {
        let hidden = declared::hide(yaml_text, &mine);
        YamlDoc {
            file: doc.file,
            text: &hidden,
            line_offset: doc.line_offset,
        }
        .parse(&kind.what())
    }
    .map_err(|d| declared::unknown_field_help(d, kind, &mine))?;
    if !mine.is_empty() {
        *data.extra_mut() = declared::read(&doc, &mine)?;
    }
    if let Some((b, line)) = body {
        check_nesting(&f.rel, b, line)?;
    }
    let mut bodies = BTreeMap::new();
    if let Some((b, line)) = body
        && !b.trim().is_empty()
    {
        bodies.insert(
            default_lang.to_string(),
            Body {
                file: f.rel.clone(),
                line,
                markdown: b.into(),
            },
        );
    }
    Ok(Entry {
        meta: Meta {
            id: id.to_string(),
            file: f.rel.clone(),
            yaml_line_offset: offset,
            yaml: yaml_text.to_string(),
            body: bodies,
        },
        data,
    })
}

/// Reads and parses one file; with the file's part of the input fingerprint.
fn parse_file_hashed(
    f: &FoundFile,
    rd: &Reading,
    narratives: Narratives,
) -> (Result<Parsed, Diagnostic>, u64) {
    let read = read_bytes(&f.rel, &f.path);
    let h = file_hash(&f.rel, &read);
    let mut parsed = read
        .and_then(|bytes| decode(&f.rel, &bytes))
        .and_then(|text| parse_text(f, text, rd));
    if let (Ok(p), Narratives::InFile) = (&mut parsed, narratives) {
        leave_in_file(p, f, h);
    }
    (parsed, h)
}

/// Parses one record from bytes as if it were `content/<dir>/record.md` (or `.yaml`), without
/// touching the disk: the entry point of the fuzz target (`fuzz/`). Never panics.
pub fn parse_record_bytes(kind: Kind, markdown: bool, bytes: &[u8]) -> Result<(), Diagnostic> {
    let rel = format!(
        "content/{}/record.{}",
        kind.dir(),
        if markdown { "md" } else { "yaml" }
    );
    let f = FoundFile {
        rel: rel.clone(),
        path: PathBuf::new(),
        what: Found::Record {
            kind,
            id: "record".into(),
            lang: None,
            markdown,
        },
    };
    let text = decode(&rel, bytes)?;
    let rd = Reading {
        default_lang: "en",
        declared: &[],
    };
    parse_text(&f, text, &rd).map(|_| ())
}

fn parse_text(f: &FoundFile, text: String, rd: &Reading) -> Result<Parsed, Diagnostic> {
    match &f.what {
        Found::Record {
            kind,
            id,
            lang: Some(lang),
            ..
        } => {
            let s = frontmatter::split(&f.rel, &text, false)?;
            if !s.yaml.trim().is_empty() {
                return Err(Diagnostic::error(
                    "translation-fields",
                    &f.rel,
                    "a translation file holds only the narrative; its fields belong in the record",
                )
                .at(Pos::new(2, 1))
                .help(format!(
                    "move these fields into content/{}/{id}.yaml (or .md), as language maps such as `name: {{en: …, {lang}: …}}`",
                    kind.dir()
                )));
            }
            check_nesting(&f.rel, s.body, s.body_line)?;
            Ok(Parsed::Translation {
                kind: *kind,
                id: id.clone(),
                lang: lang.clone(),
                body: Body {
                    file: f.rel.clone(),
                    line: s.body_line,
                    markdown: s.body.into(),
                },
            })
        }
        Found::Record {
            kind, id, markdown, ..
        } => {
            let (id, md) = (id.as_str(), *markdown);
            Ok(match kind {
                Kind::City => Parsed::City(parse_record(f, &text, id, *kind, md, rd)?),
                Kind::Road => Parsed::Road(parse_record(f, &text, id, *kind, md, rd)?),
                Kind::Project => Parsed::Project(parse_record(f, &text, id, *kind, md, rd)?),
                Kind::Partner => Parsed::Partner(parse_record(f, &text, id, *kind, md, rd)?),
                Kind::Indicator => Parsed::Indicator(parse_record(f, &text, id, *kind, md, rd)?),
                Kind::Source => Parsed::Source(parse_record(f, &text, id, *kind, md, rd)?),
                Kind::Own(c) => Parsed::Item(*c, parse_record(f, &text, id, *kind, md, rd)?),
            })
        }
        Found::Chart { id } => {
            let doc = YamlDoc {
                file: &f.rel,
                text: &text,
                line_offset: 0,
            };
            let spec: crate::site::model::chart::ChartSpec = doc.parse("chart")?;
            Ok(Parsed::Chart(crate::site::model::chart::ChartEntry {
                id: id.clone(),
                file: f.rel.clone(),
                yaml: text.clone(),
                spec,
            }))
        }
        Found::Geo { id, geojson } => Ok(Parsed::Geo {
            id: id.clone(),
            part: if *geojson {
                geo::Part::Shapes(geo::parse_geojson(&f.rel, &text)?)
            } else {
                geo::Part::Meta(geo::parse_meta(&f.rel, &text)?)
            },
        }),
        Found::Page { slug, lang } => {
            let s = frontmatter::split(&f.rel, &text, true)?;
            let doc = YamlDoc {
                file: &f.rel,
                text: s.yaml,
                line_offset: s.yaml_line_offset,
            };
            let front: PageFront = doc.parse("page")?;
            check_nesting(&f.rel, s.body, s.body_line)?;
            Ok(Parsed::Page {
                slug: slug.clone(),
                lang: lang.clone(),
                version: PageVersion {
                    file: f.rel.clone(),
                    front,
                    body: Body {
                        file: f.rel.clone(),
                        line: s.body_line,
                        markdown: s.body.into(),
                    },
                },
            })
        }
    }
}

/// Pushes `entry` unless its id is taken, in which case both files are named. `seen` maps
/// each (kind, id) taken so far to its position in its collection.
fn add<T>(
    v: &mut Vec<Entry<T>>,
    seen: &mut HashMap<(Kind, String), usize>,
    entry: Entry<T>,
    kind: Kind,
    diags: &mut Diagnostics,
) {
    if let Some(other) = seen.get(&(kind, entry.meta.id.clone())).map(|i| &v[*i]) {
        diags.push(
            Diagnostic::error(
                "duplicate-id",
                &entry.meta.file,
                format!(
                    "two {} records have the id `{}`: {} and {}",
                    kind.name(),
                    entry.meta.id,
                    other.meta.file,
                    entry.meta.file
                ),
            )
            .at(Pos::new(1, 1))
            .help("keep one of the two files, or rename one (the id is the file name)"),
        );
        return;
    }
    seen.insert((kind, entry.meta.id.clone()), v.len());
    v.push(entry);
}

/// Reads every record and page under `root/content`.
pub fn load(root: &Path, langs: &[String]) -> (Records, Diagnostics) {
    let (recs, diags, _) = load_hashed(root, langs, Narratives::InMemory);
    (recs, diags)
}

/// Where a load keeps the records' narratives (see [`Narrative`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Narratives {
    InMemory,
    InFile,
}

/// [`load`], with the fingerprint of the content it read ([`content_hash`]), keeping the
/// narratives as `narratives` says.
pub fn load_hashed(
    root: &Path,
    langs: &[String],
    narratives: Narratives,
) -> (Records, Diagnostics, u64) {
    load_declared(root, &Config::stand_in(langs.to_vec()), narratives)
}

/// Every file parsed (in parallel, in order), with the fingerprint of their bytes.
fn parse_all(
    files: &[FoundFile],
    rd: &Reading,
    narratives: Narratives,
) -> (Vec<Result<Parsed, Diagnostic>>, u64) {
    let (parsed, hashes): (Vec<Result<Parsed, Diagnostic>>, Vec<u64>) = files
        .par_iter()
        .map(|f| parse_file_hashed(f, rd, narratives))
        .unzip();
    (parsed, combine(hashes.into_iter()))
}

/// What reading a record needs besides its file.
pub struct Reading<'a> {
    pub default_lang: &'a str,
    /// The fields the site declares: a record may give them as top-level fields.
    pub declared: &'a [Declared],
}

/// [`load_hashed`] for a site that declares fields (`fields:` in `site.yaml`): records may give
/// them, read as their types say, and the field table has a row for each.
pub fn load_declared(
    root: &Path,
    cfg: &Config,
    narratives: Narratives,
) -> (Records, Diagnostics, u64) {
    let mut diags = Diagnostics::new();
    let langs = &cfg.languages;
    let declared = &cfg.declared;
    let default_lang = langs.first().map(String::as_str).unwrap_or("en");
    let mut failed = Failed::default();
    let table = FieldTable::for_site(&cfg.own, declared);
    let files = walk(&Site::new(root), langs, &table, &mut diags, &mut failed);
    crate::site::trace("content walked");
    let rd = Reading {
        default_lang,
        declared,
    };
    let (parsed, input) = parse_all(&files, &rd, narratives);
    crate::site::trace("content parsed");
    let mut recs = Records {
        own: vec![Vec::new(); cfg.own.len()],
        fields: table.clone(),
        ..Records::default()
    };
    let mut translations = Vec::new();
    let mut pages: BTreeMap<String, BTreeMap<String, PageVersion>> = BTreeMap::new();
    let mut seen: HashMap<(Kind, String), usize> = HashMap::new();
    let mut geo_parts = Vec::new();
    for (p, f) in parsed.into_iter().zip(&files) {
        match p {
            Err(d) => {
                // What refers to it is not blamed as well.
                note_failed(&mut failed, &f.what);
                diags.push(d);
            }
            Ok(Parsed::City(e)) => add(&mut recs.cities, &mut seen, e, Kind::City, &mut diags),
            Ok(Parsed::Road(e)) => add(&mut recs.roads, &mut seen, e, Kind::Road, &mut diags),
            Ok(Parsed::Project(e)) => {
                add(&mut recs.projects, &mut seen, e, Kind::Project, &mut diags)
            }
            Ok(Parsed::Partner(e)) => {
                add(&mut recs.partners, &mut seen, e, Kind::Partner, &mut diags)
            }
            Ok(Parsed::Indicator(e)) => add(
                &mut recs.indicators,
                &mut seen,
                e,
                Kind::Indicator,
                &mut diags,
            ),
            Ok(Parsed::Source(e)) => add(&mut recs.sources, &mut seen, e, Kind::Source, &mut diags),
            Ok(Parsed::Item(c, e)) => {
                add(recs.items_vec(c), &mut seen, e, Kind::Own(c), &mut diags)
            }
            Ok(Parsed::Translation {
                kind,
                id,
                lang,
                body,
            }) => translations.push((kind, id, lang, body)),
            Ok(Parsed::Chart(c)) => add_chart(&mut recs.charts, c, &mut diags),
            Ok(Parsed::Geo { id, part }) => geo_parts.push((id, f.rel.clone(), part)),
            Ok(Parsed::Page {
                slug,
                lang,
                version,
            }) => {
                let lang = lang.unwrap_or_else(|| default_lang.to_string());
                pages.entry(slug).or_default().insert(lang, version);
            }
        }
    }
    sort_by_id(&mut recs);
    recs.geo = geo::pair(geo_parts, &failed.geo, &mut diags);
    attach(
        &mut recs,
        translations,
        pages,
        &failed,
        default_lang,
        &mut diags,
    );
    recs.failed = failed;
    (recs, diags, input)
}

/// Adds a chart, unless one with its id is there already (reported).
fn add_chart(
    charts: &mut Vec<crate::site::model::chart::ChartEntry>,
    c: crate::site::model::chart::ChartEntry,
    diags: &mut Diagnostics,
) {
    if let Some(other) = charts.iter().find(|x| x.id == c.id) {
        diags.push(
            Diagnostic::error(
                "duplicate-id",
                &c.file,
                format!(
                    "two charts have the id `{}`: {} and {}",
                    c.id, other.file, c.file
                ),
            )
            .help("rename one of them (the id is the file name)"),
        );
    } else {
        charts.push(c);
    }
}

/// Puts each kind's records, and the charts, in the order of their ids.
fn sort_by_id(recs: &mut Records) {
    recs.cities.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    recs.roads.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    recs.projects.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    recs.partners.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    recs.indicators.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    recs.sources.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    for items in &mut recs.own {
        items.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    }
    recs.charts.sort_by(|a, b| a.id.cmp(&b.id));
}

/// Gives each record its translations and makes the free pages, from what was parsed; what
/// belongs to a file that failed to load is left out silently (its own error says why).
fn attach(
    recs: &mut Records,
    translations: Vec<(Kind, String, String, Body)>,
    pages: BTreeMap<String, BTreeMap<String, PageVersion>>,
    failed: &Failed,
    default_lang: &str,
    diags: &mut Diagnostics,
) {
    for (kind, id, lang, body) in translations {
        let target = recs.meta_mut(kind, &id);
        match target {
            Some(m) => {
                m.body.insert(lang, body);
            }
            // The record's own file failed: its error says so.
            None if failed.records.contains(&(kind, id.clone())) => {}
            None => diags.push(
                Diagnostic::error(
                    "orphan-translation",
                    &body.file,
                    format!(
                        "this translation has no record `{id}` in content/{}/",
                        kind.dir()
                    ),
                )
                .help(format!(
                    "add content/{}/{id}.yaml, or rename this file after an existing record",
                    kind.dir()
                )),
            ),
        }
    }
    for (slug, versions) in pages {
        if !versions.contains_key(default_lang) {
            if failed.pages.contains(&slug) {
                continue;
            }
            let (lang, v) = versions.iter().next().expect("a page has a version");
            diags.push(
                Diagnostic::error(
                    "page-without-default",
                    &v.file,
                    format!("this page is in `{lang}` only; the default language `{default_lang}` has no version"),
                )
                .help(format!("add content/pages/{slug}.md in {default_lang}")),
            );
            continue;
        }
        recs.pages.push(Page { slug, versions });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_handles_bom_crlf_and_bad_bytes() {
        assert_eq!(
            decode("a", b"\xEF\xBB\xBFname: x\r\n").unwrap(),
            "name: x\n"
        );
        let e = decode("a", b"name: ok\nkind: \xFF\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 7));
        assert_eq!(e.code, "not-utf8");
    }
}
