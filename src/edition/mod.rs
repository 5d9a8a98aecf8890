//! Editions: the site's open data as it stood on a date, kept in the site's repository so that
//! a citation of that date stays checkable after the records change.
//!
//! `berpa edition` copies what a build writes under `data/` into `editions/<data_as_of>/`
//! ([`write`]); it never replaces an edition. A build reads every edition back ([`load`]),
//! publishes its files at the same place in the output ([`publish`]), and works out what changed
//! from one edition to the next, and from the newest to the current records ([`Editions::new`],
//! [`changes::diff`]), from the editions' JSON: no version control is needed.

pub mod changes;

pub use changes::{Changes, Data};

use crate::site::diagnostics::{Diagnostic, Pos};
use crate::site::input;
use crate::site::model::Date;
use crate::write::Sink;
use crate::write::sink::Origin;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folder of the editions, in the site's folder and in the output.
pub const DIR: &str = "editions";

/// The file kinds an edition holds (what a build writes under `data/`).
const EXTENSIONS: [&str; 3] = [".csv", ".json", ".geojson"];

/// Whether a file of the output's `data/` folder belongs in an edition: open data (the Data
/// page's own `index.html` does not).
pub fn is_data_file(name: &str) -> bool {
    EXTENSIONS.iter().any(|x| name.ends_with(x))
}

/// One edition as read from `editions/<date>/`.
#[derive(Debug, Clone)]
pub struct Edition {
    pub date: Date,
    /// Its files, by name, in name order.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Edition {
    /// The folder of the edition, below the site root (and the output's root): `editions/<date>/`.
    pub fn path(&self) -> String {
        format!("{DIR}/{}/", self.date)
    }
}

/// A published edition with what changed since the one before it.
#[derive(Debug, Clone)]
pub struct Published {
    pub edition: Edition,
    /// `None` for the first edition, or when its data or the one before could not be read.
    pub changes: Option<Changes>,
}

/// The site's editions, oldest first, and what changed since the newest one before the current
/// data (`data_as_of`).
#[derive(Debug, Clone, Default)]
pub struct Editions {
    pub list: Vec<Published>,
    /// From the newest edition dated before `data_as_of` to the current records.
    pub current: Option<Changes>,
    /// The date of the edition of the current data (`data_as_of`), when it has been recorded:
    /// the edition a citation names.
    pub cited: Option<Date>,
}

impl Editions {
    /// The editions of `found`, compared with each other and with the current records
    /// (`current`, asked for only when there is an edition to compare them with), whose date is
    /// `as_of`. A snapshot that cannot be read is an error in `diags`.
    pub fn new(
        mut found: Vec<Edition>,
        as_of: Option<Date>,
        current: impl FnOnce() -> Data,
        diags: &mut Vec<Diagnostic>,
    ) -> Editions {
        found.sort_by_key(|e| e.date);
        let data: Vec<Option<Data>> = found
            .iter()
            .map(|e| match data_of(e) {
                Ok(d) => Some(d),
                Err(d) => {
                    diags.push(*d);
                    None
                }
            })
            .collect();
        let mut list = Vec::with_capacity(found.len());
        for (i, edition) in found.into_iter().enumerate() {
            let changes = match (i.checked_sub(1), &data[i]) {
                (Some(p), Some(new)) => data[p]
                    .as_ref()
                    .map(|old| changes::diff(old, new, list_date(&list, p), edition.date)),
                _ => None,
            };
            list.push(Published { edition, changes });
        }
        let current = as_of.and_then(|as_of| {
            let base = list.iter().rposition(|p| p.edition.date < as_of)?;
            let old = data[base].as_ref()?;
            Some(changes::diff(
                old,
                &current(),
                list[base].edition.date,
                as_of,
            ))
        });
        let cited = as_of.filter(|d| list.iter().any(|p| p.edition.date == *d));
        Editions {
            list,
            current,
            cited,
        }
    }

    /// The edition dated `date`.
    pub fn get(&self, date: Date) -> Option<&Published> {
        self.list.iter().find(|p| p.edition.date == date)
    }
}

fn list_date(list: &[Published], i: usize) -> Date {
    list[i].edition.date
}

/// Every edition in the site's `editions/` folder, in date order. A folder whose name is not a
/// date, or a file that is not open data, is reported (and left out).
pub fn load(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Edition> {
    let site = input::Site::new(root);
    let files = site.files(DIR, |n| n.starts_with('.'), diags);
    let mut by_date: BTreeMap<Date, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    for (rel, path) in files {
        if let Some((date, name)) = placed(&rel, diags) {
            match input::read_file(&rel, &path, input::STATIC) {
                Ok(b) => by_date.entry(date).or_default().push((name, b)),
                Err(d) => diags.push(d),
            }
        }
    }
    by_date
        .into_iter()
        .map(|(date, files)| Edition { date, files })
        .collect()
}

/// The edition's date and the file's name, for a file `editions/<date>/<name>` of open data.
fn placed(rel: &str, diags: &mut Vec<Diagnostic>) -> Option<(Date, String)> {
    let parts: Vec<&str> = rel.split('/').collect();
    let [_, folder, name] = parts[..] else {
        diags.push(
            Diagnostic::warning(
                "edition-file",
                rel,
                "this file is not part of an edition: editions/ holds one folder per edition, named by its date, with the edition's data files in it",
            )
            .help("move the file out of editions/ (berpa leaves it out of the site)"),
        );
        return None;
    };
    let date = Date::parse(folder)
        .ok()
        .filter(|d| d.to_string() == folder)
        .or_else(|| {
            diags.push(
                Diagnostic::error(
                    "edition-name",
                    rel,
                    format!("the folder editions/{folder} is not named by a date"),
                )
                .help(
                    "an edition's folder is named by the site's data_as_of when it was made, such as editions/2026-11-27: rename the folder, or move it out of editions/",
                ),
            );
            None
        })?;
    if !is_data_file(name) || !crate::write::is_safe_rel_path(name) {
        diags.push(
            Diagnostic::warning(
                "edition-file",
                rel,
                "an edition holds only open-data files (.csv, .json, .geojson); berpa leaves this one out of the site",
            )
            .help("move the file out of editions/, or remove it"),
        );
        return None;
    }
    Some((date, name.to_string()))
}

/// The records of an edition: each collection's JSON file (`cities.json`), by id.
pub fn data_of(e: &Edition) -> Result<Data, Box<Diagnostic>> {
    let mut data = Data::new();
    for (name, bytes) in &e.files {
        let Some(stem) = name.strip_suffix(".json") else {
            continue;
        };
        if stem == "datapackage" || stem == "oc4ids" {
            continue;
        }
        let rel = format!("{}{name}", e.path());
        let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|err| {
            Box::new(
                Diagnostic::error(
                    "edition-data",
                    &rel,
                    format!("this edition's file is not valid JSON: {err}"),
                )
                .at(Pos::new(err.line(), err.column()))
                .help("an edition is berpa's copy of the open data as it stood: restore the file from version control (git checkout -- the file)"),
            )
        })?;
        let Some(records) = v.get("records").and_then(|r| r.as_array()) else {
            continue;
        };
        let collection = v
            .get("collection")
            .and_then(|c| c.as_str())
            .unwrap_or(stem)
            .to_string();
        let by_id = data.entry(collection).or_default();
        for r in records {
            if let Some(id) = r.get("id").and_then(|i| i.as_str()) {
                by_id.insert(id.to_string(), r.clone());
            }
        }
    }
    Ok(data)
}

/// Why an edition could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// An edition of that date is there already.
    Exists(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Exists(p) => write!(
                f,
                "the edition {} exists already, and an edition is never replaced: it is what earlier citations point at. To record the current data as a new edition, set data_as_of in site.yaml to the date the data stands at (a later date), then run `berpa edition` again",
                p.display()
            ),
            WriteError::Io(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// Writes `files` (names and contents) as the edition `date` of the site at `root`, into a
/// new folder `editions/<date>/` that appears whole or not at all. Returns the folder.
pub fn write(root: &Path, date: Date, files: &[(String, Vec<u8>)]) -> Result<PathBuf, WriteError> {
    let parent = root.join(DIR);
    let dest = parent.join(date.to_string());
    if dest.exists() {
        return Err(WriteError::Exists(dest));
    }
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| WriteError::Io(p, e)
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let staging = parent.join(format!(".{date}.partial"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    std::fs::create_dir(&staging).map_err(io(&staging))?;
    for (name, bytes) in files {
        let p = staging.join(name);
        std::fs::write(&p, bytes).map_err(io(&p))?;
    }
    // A folder made meanwhile is never replaced: rename fails on a folder that is not empty.
    if dest.exists() {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(WriteError::Exists(dest));
    }
    std::fs::rename(&staging, &dest).map_err(io(&dest))?;
    Ok(dest)
}

/// Every edition's files, into the output at the same place as in the site
/// (`editions/<date>/<file>`), so that an edition's address keeps answering.
pub fn publish(editions: &Editions, out: &Sink) {
    for p in &editions.list {
        let dir = p.edition.path();
        for (name, bytes) in &p.edition.files {
            let rel = format!("{dir}{name}");
            out.put(rel.clone(), bytes.clone(), Origin::file(rel));
        }
    }
}
