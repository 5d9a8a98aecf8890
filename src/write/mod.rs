//! The built site as an in-memory set of files, and the writer that puts it on disk safely:
//! into a temporary folder beside the output, swapped in only once everything is written.
//! berpa never deletes a folder it did not create.

pub mod sink;

pub use sink::{Collision, Origin, Sink};

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The name of the file that marks a folder as berpa's output.
pub const MARKER: &str = ".berpa-output";

/// Every file of a built site, by path relative to the output folder (forward slashes),
/// kept sorted so anything derived from it is in a stable order. The bytes are shared, so a
/// copy of a set with a few files replaced (`serve`'s preview of a changed record) is cheap.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OutputSet {
    files: BTreeMap<String, bytes::Bytes>,
}

/// Whether `rel` is a safe relative output path: no `..`, no absolute path, no empty or
/// hidden segments (other than the marker), no backslashes.
pub fn is_safe_rel_path(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && !rel.contains('\0')
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.starts_with('.'))
}

impl OutputSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file. Panics on an unsafe path: paths are made by berpa from validated ids, so
    /// an unsafe one is a bug, never a content error.
    pub fn insert(&mut self, rel: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let rel = rel.into();
        assert!(is_safe_rel_path(&rel), "unsafe output path {rel:?}");
        self.files.insert(rel, bytes::Bytes::from(bytes.into()));
    }

    pub fn get(&self, rel: &str) -> Option<&[u8]> {
        self.files.get(rel).map(|b| &b[..])
    }

    pub fn contains(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(k, v)| (k.as_str(), &v[..]))
    }

    /// Total size in bytes.
    pub fn bytes(&self) -> usize {
        self.files.values().map(|b| b.len()).sum()
    }
}

/// Why the output folder may not be written.
#[derive(Debug)]
pub enum WriteError {
    Refused(String),
    /// What berpa was doing ("write"), the path, and what the system said.
    Io(&'static str, PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused(m) => f.write_str(m),
            WriteError::Io(doing, p, e) => write!(f, "cannot {doing} {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for WriteError {}

fn io_err<'a>(doing: &'static str, p: &'a Path) -> impl FnOnce(io::Error) -> WriteError + 'a {
    move |e| WriteError::Io(doing, p.to_path_buf(), e)
}

/// An absolute, `..`-free form of `p` (without touching the file system for parts that do
/// not exist yet).
fn absolute(p: &Path) -> PathBuf {
    let base = if p.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut out = PathBuf::new();
    for c in base.join(p).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    // Resolve symlinks in the part that exists.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(n) => rest.push(n.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut real = existing.canonicalize().unwrap_or(existing);
    for n in rest.into_iter().rev() {
        real.push(n);
    }
    real
}

/// Checks that `out` may be replaced: it is not the site root, `content/`, `templates/`,
/// `static/` or a parent of the site, and if it exists and is not empty it carries berpa's
/// marker.
pub fn check_output_dir(out: &Path, site_root: &Path) -> Result<(), WriteError> {
    let out_abs = absolute(out);
    let root_abs = absolute(site_root);
    if root_abs.starts_with(&out_abs) {
        return Err(WriteError::Refused(format!(
            "refusing to write the site into {}: it is the site's own folder or a parent of it; choose an output folder such as public/",
            out.display()
        )));
    }
    for own in ["content", "templates", "static", "i18n"] {
        if out_abs.starts_with(root_abs.join(own)) {
            return Err(WriteError::Refused(format!(
                "refusing to write the site into {}: it is inside the site's {own}/ folder",
                out.display()
            )));
        }
    }
    if out_abs.exists() {
        if !out_abs.is_dir() {
            return Err(WriteError::Refused(format!(
                "{} exists and is not a folder",
                out.display()
            )));
        }
        // (A folder holding only a `.git`, a branch to publish from, counts as empty.)
        let empty = std::fs::read_dir(&out_abs)
            .map_err(io_err("read the folder", &out_abs))?
            .flatten()
            .all(|e| e.file_name() == ".git");
        if !empty && !out_abs.join(MARKER).is_file() {
            return Err(WriteError::Refused(format!(
                "refusing to replace {}: it is not empty and berpa did not create it (no {MARKER} file); remove it yourself or choose another output folder",
                out.display()
            )));
        }
    }
    Ok(())
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteStats {
    /// Files in the site.
    pub files: usize,
    pub bytes: usize,
    /// Files whose bytes were written (new or changed).
    pub written: usize,
    /// Files carried over unchanged from the previous output (hard links, not writes).
    pub unchanged: usize,
    /// Files that were in the output folder though berpa had not written them (by its
    /// manifest), and that the build removed, by path from the folder, in order. A `.git` is
    /// never among them: it is kept.
    pub removed: Vec<String>,
}

/// The files under `dir` (an output folder) that `m` does not list, nor the marker, by path
/// from `dir` with `/`, in order. A `.git` at the top is not looked into.
pub fn foreign_files(dir: &Path, m: &Manifest) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name() == ".git"))
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let rel = rel.join("/");
            (rel != MARKER && !m.files.contains_key(&rel)).then_some(rel)
        })
        .collect()
}

/// Removes from the output folder `out`, in place, the files berpa did not write there
/// ([`foreign_files`]) and the folders they leave empty; what it removed.
pub fn remove_foreign(out: &Path, m: &Manifest) -> Vec<String> {
    let found = foreign_files(out, m);
    let mut removed = Vec::new();
    for rel in found {
        if std::fs::remove_file(out.join(&rel)).is_ok() {
            // Each folder above it that is now empty goes too (one that is not stays).
            let mut dir = rel.as_str();
            while let Some((up, _)) = dir.rsplit_once('/') {
                if std::fs::remove_dir(out.join(up)).is_err() {
                    break;
                }
                dir = up;
            }
            removed.push(rel);
        }
    }
    removed
}

/// What berpa records in its marker file about an output folder it wrote: the fingerprint of
/// the inputs, how many warnings that build had, and a hash of every file. It lets the next
/// build skip a rebuild when nothing changed and write only the files that did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub input: u64,
    pub warnings: usize,
    pub files: BTreeMap<String, u64>,
}

const MANIFEST_HEAD: &str = "berpa output manifest 1: this folder was written by berpa build, which replaces it on every build";

/// A fast, stable 64-bit hash of file contents (xxh3).
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

impl Manifest {
    pub fn render(&self) -> String {
        let mut s = format!(
            "{MANIFEST_HEAD}\ninput {:016x}\nwarnings {}\n",
            self.input, self.warnings
        );
        // One line a file: 16 hex digits, a space, the path (130,000 lines at national scale).
        s.reserve(self.files.keys().map(|p| p.len() + 18).sum());
        for (path, h) in &self.files {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            s.extend(
                (0..16)
                    .rev()
                    .map(|i| char::from(HEX[((h >> (4 * i)) & 15) as usize])),
            );
            s.push(' ');
            s.push_str(path);
            s.push('\n');
        }
        s
    }

    pub fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != MANIFEST_HEAD {
            return None;
        }
        let input = u64::from_str_radix(lines.next()?.strip_prefix("input ")?, 16).ok()?;
        let warnings = lines.next()?.strip_prefix("warnings ")?.parse().ok()?;
        let mut files = BTreeMap::new();
        for l in lines {
            let (h, path) = l.split_once(' ')?;
            if !is_safe_rel_path(path) {
                return None;
            }
            files.insert(path.to_string(), u64::from_str_radix(h, 16).ok()?);
        }
        Some(Manifest {
            input,
            warnings,
            files,
        })
    }

    /// The manifest of the output folder `out`, if berpa wrote it.
    pub fn read(out: &Path) -> Option<Manifest> {
        Manifest::parse(&std::fs::read_to_string(out.join(MARKER)).ok()?)
    }

    /// Whether every file the manifest lists is still there (nobody deleted part of the site).
    pub fn intact(&self, out: &Path) -> bool {
        use rayon::prelude::*;
        let files: Vec<&String> = self.files.keys().collect();
        files.par_iter().all(|p| out.join(p).is_file())
    }
}

/// Writes `set` to `out` through a [`Sink`]: into a fresh folder beside it, swapped in only
/// once everything is written, so a reader (or a failed run) never sees a half-written site.
/// Unchanged files are carried over as hard links; when nothing changed, nothing is written.
pub fn write(set: &OutputSet, out: &Path, site_root: &Path) -> Result<WriteStats, WriteError> {
    let sink = Sink::to_dir(out, site_root)?;
    for (rel, bytes) in set.iter() {
        sink.put(rel, bytes, sink::Origin::made("the site"));
    }
    sink.commit(0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trips_and_rejects_unsafe_paths() {
        let mut m = Manifest {
            input: 42,
            warnings: 3,
            files: BTreeMap::new(),
        };
        m.files.insert("index.html".into(), hash(b"x"));
        m.files.insert("a.css".into(), 0xab);
        assert!(m.render().contains("\n00000000000000ab a.css\n"));
        assert!(
            m.render()
                .contains(&format!("\n{:016x} index.html\n", hash(b"x")))
        );
        assert_eq!(Manifest::parse(&m.render()), Some(m.clone()));
        let bad = m.render() + "0000000000000000 ../etc/passwd\n";
        assert_eq!(Manifest::parse(&bad), None);
    }

    #[test]
    fn unsafe_paths() {
        assert!(is_safe_rel_path("cities/lachin/index.html"));
        assert!(!is_safe_rel_path("../x"));
        assert!(!is_safe_rel_path("/etc/passwd"));
        assert!(!is_safe_rel_path("a//b"));
        assert!(!is_safe_rel_path("a/../b"));
        assert!(!is_safe_rel_path(".git/config"));
        assert!(!is_safe_rel_path("a\\b"));
    }

    #[test]
    fn refuses_foreign_and_own_folders() {
        let t = tempfile::tempdir().unwrap();
        let site = t.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        assert!(check_output_dir(&site, &site).is_err());
        assert!(check_output_dir(t.path(), &site).is_err());
        assert!(check_output_dir(&site.join("content/out"), &site).is_err());
        let foreign = t.path().join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.tex"), "x").unwrap();
        assert!(check_output_dir(&foreign, &site).is_err());
        assert!(check_output_dir(&site.join("public"), &site).is_ok());
    }

    #[test]
    fn writes_and_replaces_its_own_output() {
        let t = tempfile::tempdir().unwrap();
        let site = t.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        let out = site.join("public");
        let mut a = OutputSet::new();
        a.insert("index.html", "one");
        a.insert("cities/x/index.html", "x");
        write(&a, &out, &site).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        let mut b = OutputSet::new();
        b.insert("index.html", "two");
        write(&b, &out, &site).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("cities").exists(), "stale files are gone");
        // The same set again: nothing is written, not even the marker.
        let marker_time = std::fs::metadata(out.join(MARKER))
            .unwrap()
            .modified()
            .unwrap();
        let stats = write(&b, &out, &site).unwrap();
        assert_eq!((stats.written, stats.unchanged), (0, 1));
        assert_eq!(
            std::fs::metadata(out.join(MARKER))
                .unwrap()
                .modified()
                .unwrap(),
            marker_time
        );
        // One changed file of two: one written, one carried over.
        let mut c = b.clone();
        c.insert("about/index.html", "new");
        let stats = write(&c, &out, &site).unwrap();
        assert_eq!((stats.written, stats.unchanged), (1, 1));
        assert_eq!(
            std::fs::read_to_string(out.join("about/index.html")).unwrap(),
            "new"
        );
        // nothing left beside it
        let left: Vec<_> = std::fs::read_dir(&site).unwrap().collect();
        assert_eq!(left.len(), 1);
    }
}
