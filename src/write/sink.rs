//! Where the files of a build go as they are rendered: kept in memory (for `serve` and the
//! tests), streamed into a staging folder that replaces the output only once the whole build
//! succeeded (for `build`), or nowhere (for `check`, and once a build is known to fail). Every
//! file is hashed as it passes, so the manifest needs no second pass; a file unchanged since
//! the previous build is hard-linked from it rather than written again. Nothing is held longer
//! than it takes to write it, so memory does not grow with the size of the site.

use super::{
    MARKER, Manifest, OutputSet, WriteError, WriteStats, absolute, check_output_dir, hash, io_err,
    is_safe_rel_path,
};
use crate::site::model::Kind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// What made a file of the output: every file put names it, so that two things that would
/// write one path are both named ([`Collision`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// A file of the site, by its path from the site's root: a free page, a static file, a
    /// chart's spec.
    File(Box<str>),
    /// A record's page, chart or data file.
    Record(Kind, Box<str>),
    /// Something berpa makes of the whole site (a list, the map page, the open data, the
    /// theme), in words.
    Made(Box<str>),
}

impl Origin {
    pub fn file(path: impl Into<String>) -> Origin {
        Origin::File(path.into().into_boxed_str())
    }

    pub fn record(kind: Kind, id: &str) -> Origin {
        Origin::Record(kind, id.into())
    }

    pub fn made(what: impl Into<String>) -> Origin {
        Origin::Made(what.into().into_boxed_str())
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::File(p) => f.write_str(p),
            Origin::Record(kind, id) => write!(f, "the record {}/{id}", kind.dir()),
            Origin::Made(what) => f.write_str(what),
        }
    }
}

/// Two things that would write the same output path. The first one put is kept (and the build
/// fails): neither silently replaces the other.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Collision {
    pub path: String,
    /// The two, in a stable order (whichever thread came first).
    pub from: [Origin; 2],
}

/// A file put: the hash of its bytes, its size, and what made it.
type Put = (u64, usize, Origin);

/// The files of a build as they are made. Shared by the rendering threads (`put` takes `&self`).
pub struct Sink {
    /// Every file put so far: path → (hash of its bytes, size, what made it).
    files: Mutex<BTreeMap<String, Put>>,
    /// Paths two things would write (see [`Collision`]).
    collisions: Mutex<Vec<Collision>>,
    bytes: AtomicUsize,
    /// Set once the build is known to fail: paths are still counted, nothing is kept.
    stopped: AtomicBool,
    to: Target,
}

enum Target {
    Memory(Mutex<OutputSet>),
    Nowhere,
    Dir(Box<Staging>),
}

/// A fresh folder beside the output, filled as files come, swapped in by [`Sink::commit`].
struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    old_dir: PathBuf,
    /// The previous output's manifest, when it has one: what berpa wrote there (anything else
    /// there, but `.git`, is foreign, and reported when a build removes it).
    listed: Option<Manifest>,
    /// Whether every file it lists is still there: only then are files carried over from it.
    intact: bool,
    written: AtomicUsize,
    linked: AtomicUsize,
    error: Mutex<Option<WriteError>>,
    committed: AtomicBool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A build that failed (or panicked) leaves nothing behind, and the output as it was.
        if !self.committed.load(Ordering::Relaxed) && self.tmp.exists() {
            // (A `.git` moved in for the swap goes back first; if it cannot, the folder stays
            // rather than take it along.)
            let git = self.tmp.join(".git");
            if std::fs::symlink_metadata(&git).is_ok()
                && std::fs::rename(&git, self.out.join(".git")).is_err()
            {
                return;
            }
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

impl Sink {
    fn with(to: Target) -> Sink {
        Sink {
            files: Mutex::default(),
            collisions: Mutex::default(),
            bytes: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
            to,
        }
    }

    /// Keeps every file in memory ([`Sink::into_memory`]).
    pub fn memory() -> Sink {
        Sink::with(Target::Memory(Mutex::default()))
    }

    /// Keeps only the list of paths (for `check`).
    pub fn nowhere() -> Sink {
        Sink::with(Target::Nowhere)
    }

    /// Streams files into a new folder beside `out`, which [`Sink::commit`] swaps in. Refuses
    /// (before anything is rendered) an output folder berpa may not replace.
    pub fn to_dir(out: &Path, site_root: &Path) -> Result<Sink, WriteError> {
        check_output_dir(out, site_root)?;
        let out_abs = absolute(out);
        let parent = out_abs
            .parent()
            .ok_or_else(|| WriteError::Refused("the output folder has no parent".into()))?
            .to_path_buf();
        std::fs::create_dir_all(&parent).map_err(io_err("make the folder", &parent))?;
        let name = out_abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let pid = std::process::id();
        let tmp = parent.join(format!(".{name}.berpa-new-{pid}"));
        let old_dir = parent.join(format!(".{name}.berpa-old-{pid}"));
        for p in [&tmp, &old_dir] {
            if p.exists() {
                std::fs::remove_dir_all(p).map_err(io_err("remove", p))?;
            }
        }
        remove_abandoned(&parent, &name);
        std::fs::create_dir(&tmp).map_err(io_err("make the folder", &tmp))?;
        let listed = Manifest::read(&out_abs);
        let intact = listed.as_ref().is_some_and(|m| m.intact(&out_abs));
        Ok(Sink::with(Target::Dir(Box::new(Staging {
            out: out_abs,
            tmp,
            old_dir,
            listed,
            intact,
            written: AtomicUsize::new(0),
            linked: AtomicUsize::new(0),
            error: Mutex::new(None),
            committed: AtomicBool::new(false),
        }))))
    }

    /// The build will fail: from now on files are counted but neither kept nor written.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// Adds a file, made by `from`. A second file at a path already put is a [`Collision`]:
    /// the first stays, the second is dropped, and the build fails. Panics on an unsafe path:
    /// paths are made by berpa from validated ids, so an unsafe one is a bug, never a content
    /// error.
    pub fn put(&self, rel: impl Into<String>, bytes: impl Into<Vec<u8>>, from: Origin) {
        self.put_inner(rel.into(), bytes.into(), from, false);
    }

    /// Adds a file unless one is there already (a site's static file is not replaced by the
    /// theme's): the one case where a path may be put twice.
    pub fn put_if_absent(&self, rel: impl Into<String>, bytes: impl Into<Vec<u8>>, from: Origin) {
        self.put_inner(rel.into(), bytes.into(), from, true);
    }

    /// Notes `rel` as made by `from`: `false` (the path taken, and a collision noted unless
    /// `if_absent`) when something made it already.
    fn claim(&self, rel: &str, h: u64, len: usize, from: Origin, if_absent: bool) -> bool {
        let mut files = self.files.lock().expect("sink lock");
        if let Some((_, _, first)) = files.get(rel) {
            if !if_absent {
                let mut two = [first.clone(), from];
                two.sort();
                self.collisions.lock().expect("sink lock").push(Collision {
                    path: rel.to_string(),
                    from: two,
                });
                // The build fails: nothing more is kept.
                self.stop();
            }
            return false;
        }
        files.insert(rel.to_string(), (h, len, from));
        true
    }

    fn put_inner(&self, rel: String, bytes: Vec<u8>, from: Origin, if_absent: bool) {
        assert!(is_safe_rel_path(&rel), "unsafe output path {rel:?}");
        let h = hash(&bytes);
        if !self.claim(&rel, h, bytes.len(), from, if_absent) {
            return;
        }
        self.bytes.fetch_add(bytes.len(), Ordering::Relaxed);
        if self.stopped.load(Ordering::Relaxed) {
            return;
        }
        match &self.to {
            Target::Memory(set) => set.lock().expect("sink lock").insert(rel, bytes),
            Target::Nowhere => {}
            Target::Dir(s) => s.put(&rel, &bytes, h),
        }
    }

    /// The paths two things would write, in order (empty for a sound build).
    pub fn collisions(&self) -> Vec<Collision> {
        let mut v = self.collisions.lock().expect("sink lock").clone();
        v.sort();
        v
    }

    /// Adds a file written a piece at a time by `write` (a large export): when the sink writes
    /// to a folder, the file goes straight to disk and is never held whole in memory. Hashed
    /// as it passes, like every file.
    pub fn put_stream(
        &self,
        rel: impl Into<String>,
        from: Origin,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        let rel = rel.into();
        assert!(is_safe_rel_path(&rel), "unsafe output path {rel:?}");
        let stopped = self.stopped.load(Ordering::Relaxed);
        let staging = match &self.to {
            Target::Dir(s) if !stopped => s,
            // Kept in memory: the bytes are made as for any other file.
            Target::Memory(_) if !stopped => {
                let mut buf = Vec::new();
                write(&mut buf).expect("writing to memory");
                self.put_inner(rel, buf, from, false);
                return;
            }
            // Only counted (`check`, a build that will fail): hashed and measured as made,
            // never held.
            _ => {
                let mut w = Hashing {
                    inner: std::io::sink(),
                    hasher: xxhash_rust::xxh3::Xxh3Default::new(),
                    len: 0,
                };
                let _ = write(&mut w);
                if self.claim(&rel, w.hasher.digest(), w.len, from, false) {
                    self.bytes.fetch_add(w.len, Ordering::Relaxed);
                }
                return;
            }
        };
        // The path is claimed before the file is made (its hash is set once it is written).
        if !self.claim(&rel, 0, 0, from, false) {
            return;
        }
        if let Some((h, n)) = staging.stream(&rel, write)
            && let Some(f) = self.files.lock().expect("sink lock").get_mut(&rel)
        {
            (f.0, f.1) = (h, n);
            self.bytes.fetch_add(n, Ordering::Relaxed);
        }
    }

    pub fn contains(&self, rel: &str) -> bool {
        self.files.lock().expect("sink lock").contains_key(rel)
    }

    /// The size of a file put, in bytes.
    pub fn size(&self, rel: &str) -> Option<usize> {
        self.files.lock().expect("sink lock").get(rel).map(|f| f.1)
    }

    /// Every path put so far, in order.
    pub fn paths(&self) -> Vec<String> {
        self.files
            .lock()
            .expect("sink lock")
            .keys()
            .cloned()
            .collect()
    }

    pub fn len(&self) -> usize {
        self.files.lock().expect("sink lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The files kept in memory (empty unless made with [`Sink::memory`]).
    pub fn into_memory(self) -> OutputSet {
        match self.to {
            Target::Memory(set) => set.into_inner().expect("sink lock"),
            _ => OutputSet::new(),
        }
    }

    /// Finishes a build streamed with [`Sink::to_dir`]: writes the manifest (recording the
    /// build's input fingerprint and warning count) and swaps the new folder in. When no file
    /// changed at all, the previous output stays as it is and the new folder goes. Either way
    /// the output then holds the site and nothing else but a `.git` (kept): any other file
    /// found there is removed and named in [`WriteStats::removed`].
    pub fn commit(self, input: u64, warnings: usize) -> Result<WriteStats, WriteError> {
        if let Some(c) = self.collisions().first() {
            return Err(WriteError::Refused(format!(
                "{} and {} would both write {}: nothing was written",
                c.from[0], c.from[1], c.path
            )));
        }
        let files: BTreeMap<String, u64> = self
            .files
            .into_inner()
            .expect("sink lock")
            .into_iter()
            .map(|(p, (h, _, _))| (p, h))
            .collect();
        let n = files.len();
        let bytes = self.bytes.load(Ordering::Relaxed);
        let Target::Dir(s) = &self.to else {
            return Err(WriteError::Refused(
                "this build was not streamed to a folder".into(),
            ));
        };
        if self.stopped.load(Ordering::Relaxed) {
            return Err(WriteError::Refused(
                "the build failed: nothing was written".into(),
            ));
        }
        if let Some(e) = s.error.lock().expect("sink lock").take() {
            return Err(e);
        }
        let manifest = Manifest {
            input,
            warnings,
            files,
        };
        if let Some(old) = s.old()
            && old.files == manifest.files
        {
            // Nothing changed: the staging folder (all links) goes, and only the record of what
            // built the output may change.
            remove_tree(&s.tmp).map_err(io_err("remove", &s.tmp))?;
            let removed = super::remove_foreign(&s.out, old);
            if old.input != input || old.warnings != warnings {
                let tmp = s.out.join(format!("{MARKER}.new"));
                std::fs::write(&tmp, manifest.render()).map_err(io_err("write", &tmp))?;
                std::fs::rename(&tmp, s.out.join(MARKER))
                    .map_err(io_err("update the build record in", &s.out))?;
            }
            return Ok(WriteStats {
                files: n,
                bytes,
                written: 0,
                unchanged: n,
                removed,
            });
        }
        let marker = s.tmp.join(MARKER);
        std::fs::write(&marker, manifest.render()).map_err(io_err("write", &marker))?;
        let removed = s.swap()?;
        let linked = s.linked.load(Ordering::Relaxed);
        Ok(WriteStats {
            files: n,
            bytes,
            written: n - linked.min(n),
            unchanged: linked,
            removed,
        })
    }
}

/// Removes a folder and everything in it, the entries two levels down in parallel: an output
/// holds a folder per record (100,000s of files at national scale) that one thread would
/// unlink one by one. Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut below = Vec::new();
    for top in std::fs::read_dir(dir)? {
        let top = top?;
        if top.file_type()?.is_dir() {
            for e in std::fs::read_dir(top.path())? {
                let e = e?;
                below.push((e.path(), e.file_type()?.is_dir()));
            }
        }
    }
    below.par_iter().try_for_each(|(p, is_dir)| {
        if *is_dir {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        }
    })?;
    std::fs::remove_dir_all(dir)
}

/// Removes the staging folders of builds that were killed before they finished (their process
/// is gone): `.public.berpa-new-<pid>` beside the output. Where processes cannot be looked up
/// (no `/proc`), nothing is removed.
fn remove_abandoned(parent: &Path, name: &str) {
    let proc_fs = Path::new("/proc");
    if !proc_fs.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let file_name = file_name.to_string_lossy();
        let Some(pid) = file_name
            .strip_prefix(&format!(".{name}.berpa-new-"))
            .or_else(|| file_name.strip_prefix(&format!(".{name}.berpa-old-")))
        else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !proc_fs.join(pid).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// A writer that hashes and counts what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: xxhash_rust::xxh3::Xxh3Default,
    len: usize,
}

impl<W: std::io::Write> std::io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Staging {
    /// The previous output's manifest, when every file it lists is there to carry over.
    fn old(&self) -> Option<&Manifest> {
        self.listed.as_ref().filter(|_| self.intact)
    }

    /// Swaps the new folder in: the old output moves aside, the new one takes its name, the old
    /// one goes. A `.git` in the output (a branch the site is published from) moves into the new
    /// folder first, and back if the swap fails: it is never removed. The files the old output
    /// held that berpa did not write there (by its manifest), now removed.
    fn swap(&self) -> Result<Vec<String>, WriteError> {
        let had_old = self.out.exists();
        let (git, staged_git) = (self.out.join(".git"), self.tmp.join(".git"));
        let has_git = had_old && std::fs::symlink_metadata(&git).is_ok();
        if has_git {
            std::fs::rename(&git, &staged_git)
                .map_err(io_err("move the .git folder into the new site from", &git))?;
        }
        let git_back = || {
            if has_git {
                let _ = std::fs::rename(&staged_git, &git);
            }
        };
        if had_old && let Err(e) = std::fs::rename(&self.out, &self.old_dir) {
            git_back();
            return Err(WriteError::Io(
                "move aside the previous site at",
                self.out.clone(),
                e,
            ));
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.out) {
            if had_old {
                let _ = std::fs::rename(&self.old_dir, &self.out);
            }
            git_back();
            return Err(WriteError::Io(
                "put the new site in place at",
                self.out.clone(),
                e,
            ));
        }
        self.committed.store(true, Ordering::Relaxed);
        if !had_old {
            return Ok(Vec::new());
        }
        let removed = self
            .listed
            .as_ref()
            .map(|m| super::foreign_files(&self.old_dir, m))
            .unwrap_or_default();
        remove_tree(&self.old_dir).map_err(io_err("remove the previous site at", &self.old_dir))?;
        Ok(removed)
    }

    fn failed(&self) -> bool {
        self.error.lock().expect("sink lock").is_some()
    }

    fn fail(&self, e: WriteError) {
        let mut slot = self.error.lock().expect("sink lock");
        if slot.is_none() {
            *slot = Some(e);
        }
    }

    /// Writes a file as `write` makes it; its hash and size. A file unchanged since the
    /// previous build is then replaced by a link to the previous one (its time as it was).
    fn stream(
        &self,
        rel: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Option<(u64, usize)> {
        if self.failed() {
            return None;
        }
        let p = self.tmp.join(rel);
        let at = |e| WriteError::Io("write", p.clone(), e);
        let result = (|| {
            let file = create_file(&p).map_err(at)?;
            let mut w = Hashing {
                inner: std::io::BufWriter::with_capacity(256 * 1024, file),
                hasher: xxhash_rust::xxh3::Xxh3Default::new(),
                len: 0,
            };
            write(&mut w).map_err(at)?;
            std::io::Write::flush(&mut w).map_err(at)?;
            let (h, n) = (w.hasher.digest(), w.len);
            drop(w);
            // Unchanged since the previous build: the previous file is carried over in its
            // place (its time as it was). If linking is not possible, the new one stays.
            if self.old().is_some_and(|o| o.files.get(rel) == Some(&h)) {
                let link = self.tmp.join(format!("{rel}.berpa-link"));
                if std::fs::hard_link(self.out.join(rel), &link).is_ok() {
                    std::fs::rename(&link, &p).map_err(at)?;
                    self.linked.fetch_add(1, Ordering::Relaxed);
                    return Ok((h, n));
                }
            }
            self.written.fetch_add(1, Ordering::Relaxed);
            Ok((h, n))
        })();
        match result {
            Ok(x) => Some(x),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    /// Writes a file (each path once: the sink refuses a second).
    fn put(&self, rel: &str, bytes: &[u8], h: u64) {
        if self.failed() {
            return;
        }
        let p = self.tmp.join(rel);
        let at = |e| WriteError::Io("write", p.clone(), e);
        let result = (|| {
            if self.old().is_some_and(|o| o.files.get(rel) == Some(&h)) {
                if let Some(dir) = p.parent() {
                    std::fs::create_dir_all(dir).map_err(at)?;
                }
                // Unchanged since the previous build: carried over, its time as it was. (If
                // linking is not possible, on another file system, the file is written.)
                if std::fs::hard_link(self.out.join(rel), &p).is_ok() {
                    self.linked.fetch_add(1, Ordering::Relaxed);
                    return Ok(());
                }
            }
            let mut file = create_file(&p).map_err(at)?;
            std::io::Write::write_all(&mut file, bytes).map_err(at)?;
            self.written.fetch_add(1, Ordering::Relaxed);
            Ok(())
        })();
        if let Err(e) = result {
            self.fail(e);
        }
    }
}

/// Creates (or truncates) the file at `path` for writing, making its folder first.
fn create_file(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::File::create(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_land_at_their_paths_with_their_folders_made() {
        let t = tempfile::tempdir().unwrap();
        let files = [
            "index.html",
            "cities/index.html",
            "cities/s1/index.html",
            "cities/s1.json",
            "az/cities/s1/index.html",
            "az/cities/page/2/index.html",
            "data/cities.csv",
        ];
        for rel in files {
            use std::io::Write;
            // A longer file first: a later file at the same path replaces it whole.
            let longer = format!("{rel} and more");
            create_file(&t.path().join(rel))
                .unwrap()
                .write_all(longer.as_bytes())
                .unwrap();
            create_file(&t.path().join(rel))
                .unwrap()
                .write_all(rel.as_bytes())
                .unwrap();
        }
        let mut found: Vec<String> = walkdir::WalkDir::new(t.path())
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(t.path()).unwrap();
                let rel = rel.to_string_lossy().replace('\\', "/");
                assert_eq!(std::fs::read_to_string(e.path()).unwrap(), rel);
                rel
            })
            .collect();
        found.sort();
        let mut want: Vec<String> = files.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(found, want);
    }

    #[test]
    fn a_file_where_a_folder_should_be_is_an_error_not_a_panic() {
        let t = tempfile::tempdir().unwrap();
        create_file(&t.path().join("cities")).unwrap();
        assert!(create_file(&t.path().join("cities/s1/index.html")).is_err());
        assert!(create_file(&t.path().join("cities/s1.json")).is_err());
    }

    /// Some origin, for tests where it does not matter.
    fn o() -> Origin {
        Origin::made("a test")
    }

    /// A temporary site folder and its output folder's path (not made).
    fn site_folder() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let site = t.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        let out = site.join("public");
        (t, site, out)
    }

    #[test]
    #[cfg(unix)]
    fn removing_a_tree_removes_it_all_and_follows_no_link() {
        let t = tempfile::tempdir().unwrap();
        let keep = t.path().join("keep");
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(keep.join("k.txt"), "kept").unwrap();
        let dir = t.path().join("out");
        std::fs::create_dir_all(dir.join("x/y/z")).unwrap();
        std::fs::create_dir_all(dir.join("empty")).unwrap();
        for p in ["a.html", "x/index.html", "x/y/index.html", "x/y/z/w.json"] {
            std::fs::write(dir.join(p), "x").unwrap();
        }
        std::os::unix::fs::symlink(&keep, dir.join("x/link")).unwrap();
        std::os::unix::fs::symlink(&keep, dir.join("top-link")).unwrap();
        remove_tree(&dir).unwrap();
        assert!(!dir.exists());
        assert_eq!(std::fs::read_to_string(keep.join("k.txt")).unwrap(), "kept");
    }

    #[test]
    fn a_streamed_file_is_hashed_and_carried_over_like_any_other() {
        use std::os::unix::fs::MetadataExt;
        let (_t, site, out) = site_folder();
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put_stream("data/big.json", o(), |w| {
            w.write_all(b"one ")?;
            w.write_all(b"two")
        });
        s.put("data/small.json", "x", o());
        assert_eq!(s.size("data/big.json"), Some(7));
        let w = s.commit(1, 0).unwrap();
        assert_eq!((w.files, w.written, w.unchanged), (2, 2, 0));
        assert_eq!(
            std::fs::read_to_string(out.join("data/big.json")).unwrap(),
            "one two"
        );
        let inode = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
        let big = inode("data/big.json");

        // The same bytes, streamed in other pieces: carried over (the same file); a changed
        // file streamed: written. (A path streamed twice is a collision: see
        // `a_second_file_at_a_path_is_refused_and_both_are_named`.)
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put_stream("data/big.json", o(), |w| w.write_all(b"one two"));
        s.put_stream("data/small.json", o(), |w| w.write_all(b"z"));
        let w = s.commit(2, 0).unwrap();
        assert_eq!((w.files, w.unchanged), (2, 1));
        assert_eq!(inode("data/big.json"), big);
        assert_eq!(
            std::fs::read_to_string(out.join("data/small.json")).unwrap(),
            "z"
        );
        // A streamed file and the same bytes put whole have the same hash.
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("data/big.json", "one two", o());
        s.put("data/small.json", "z", o());
        let w = s.commit(3, 0).unwrap();
        assert_eq!(w.unchanged, 2);

        let m = Sink::memory();
        m.put_stream("a.json", o(), |w| w.write_all(b"[]"));
        assert_eq!(m.into_memory().get("a.json"), Some(&b"[]"[..]));
        // Only counted: the path and size are known, nothing is kept.
        let n = Sink::nowhere();
        n.put_stream("data/a.json", o(), |w| w.write_all(b"[1, 2]"));
        assert_eq!(
            (n.paths(), n.size("data/a.json")),
            (vec!["data/a.json".to_string()], Some(6))
        );
    }

    #[test]
    fn streams_into_a_folder_swapped_in_at_the_end() {
        let (_t, site, out) = site_folder();
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("index.html", "one", o());
        s.put("cities/x/index.html", "x", o());
        assert!(!out.exists(), "nothing is visible before the commit");
        let w = s.commit(1, 0).unwrap();
        assert_eq!((w.files, w.written, w.unchanged), (2, 2, 0));
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );

        // One file changed, one the same (linked, same inode), one gone.
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("index.html", "two", o());
        s.put("about/index.html", "about, again", o());
        let w = s.commit(2, 0).unwrap();
        assert_eq!((w.files, w.unchanged), (2, 0));
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("about/index.html")).unwrap(),
            "about, again"
        );
        assert!(!out.join("cities").exists(), "stale files are gone");

        // The same files again: nothing is written and the folder stays.
        let marker = std::fs::metadata(out.join("index.html"))
            .unwrap()
            .modified()
            .unwrap();
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("index.html", "two", o());
        s.put("about/index.html", "about, again", o());
        let w = s.commit(2, 0).unwrap();
        assert_eq!((w.written, w.unchanged), (0, 2));
        assert_eq!(
            std::fs::metadata(out.join("index.html"))
                .unwrap()
                .modified()
                .unwrap(),
            marker
        );
        let left: Vec<_> = std::fs::read_dir(&site).unwrap().collect();
        assert_eq!(left.len(), 1, "nothing left beside the output");
    }

    #[test]
    fn the_staging_folder_of_a_killed_build_is_cleared() {
        let (_t, site, _) = site_folder();
        // A process id that is not running (beyond Linux's pid_max).
        let stale = site.join(".public.berpa-new-4294967295");
        std::fs::create_dir_all(stale.join("cities")).unwrap();
        let unrelated = site.join(".public.berpa-new-notapid");
        std::fs::create_dir_all(&unrelated).unwrap();
        let s = Sink::to_dir(&site.join("public"), &site).unwrap();
        s.put("index.html", "x", o());
        s.commit(1, 0).unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!stale.exists());
        }
        assert!(
            unrelated.exists(),
            "only folders named by a process id are removed"
        );
    }

    #[test]
    fn a_failed_build_leaves_the_output_and_no_staging_folder() {
        let (_t, site, out) = site_folder();
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("index.html", "good", o());
        s.commit(1, 0).unwrap();
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("index.html", "half", o());
        s.stop();
        s.put("other.html", "never", o());
        assert!(s.contains("other.html"));
        drop(s);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "good"
        );
        let left: Vec<_> = std::fs::read_dir(&site).unwrap().collect();
        assert_eq!(left.len(), 1);
    }

    #[test]
    fn a_changed_file_never_writes_through_a_link_into_the_old_output() {
        let (_t, site, out) = site_folder();
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("a.html", "same", o());
        s.commit(1, 0).unwrap();
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("a.html", "same", o()); // linked from the old output
        s.put("a.html", "changed", o()); // must not change the old output's file
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "same");
        // (A second file at one path fails the build: the output stays as it was.)
        assert!(s.commit(2, 0).is_err());
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "same");
    }

    #[test]
    fn a_second_file_at_a_path_is_refused_and_both_are_named() {
        let page = Origin::file("content/pages/cities/lachin.md");
        let record = Origin::record(Kind::City, "lachin");
        assert_eq!(record.to_string(), "the record cities/lachin");
        let (_t, site, out) = site_folder();
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("index.html", "good", o());
        s.commit(1, 0).unwrap();
        for sink in [
            Sink::memory(),
            Sink::nowhere(),
            Sink::to_dir(&out, &site).unwrap(),
        ] {
            sink.put("cities/lachin/index.html", "record", record.clone());
            sink.put("cities/lachin/index.html", "page", page.clone());
            sink.put_stream("data/x.csv", o(), |w| w.write_all(b"one"));
            sink.put_stream("data/x.csv", record.clone(), |w| w.write_all(b"two"));
            // A theme's file yields to the site's without a word.
            sink.put("style.css", "site", page.clone());
            sink.put_if_absent("style.css", "theme", o());
            let c = sink.collisions();
            assert_eq!(
                c,
                [
                    Collision {
                        path: "cities/lachin/index.html".into(),
                        from: [page.clone(), record.clone()],
                    },
                    Collision {
                        path: "data/x.csv".into(),
                        from: [record.clone(), o()],
                    },
                ]
            );
            match sink.commit(2, 0) {
                Err(e) => assert_eq!(
                    e.to_string(),
                    "content/pages/cities/lachin.md and the record cities/lachin would both write cities/lachin/index.html: nothing was written"
                ),
                Ok(w) => panic!("committed {w:?}"),
            }
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "good"
        );
        assert!(!out.join("cities").exists());
    }

    #[test]
    fn a_git_file_or_folder_is_kept_and_foreign_files_are_named() {
        let (_t, site, out) = site_folder();
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("a/index.html", "one", o());
        assert!(s.commit(1, 0).unwrap().removed.is_empty());
        // (A worktree's `.git` is a file.)
        std::fs::write(out.join(".git"), "gitdir: ../.git/worktrees/public\n").unwrap();
        std::fs::write(out.join("CNAME"), "x.example").unwrap();
        std::fs::write(out.join("a/extra.txt"), "x").unwrap();
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("a/index.html", "two", o());
        let w = s.commit(2, 0).unwrap();
        assert_eq!(w.removed, ["CNAME", "a/extra.txt"]);
        assert!(out.join(".git").is_file());
        assert!(!out.join("CNAME").exists());
        // The same files (nothing swapped): removed in place.
        std::fs::remove_file(out.join(".git")).unwrap();
        std::fs::create_dir_all(out.join(".git/objects")).unwrap();
        std::fs::write(out.join(".git/objects/ab"), "x").unwrap();
        std::fs::create_dir_all(out.join("old/deep")).unwrap();
        std::fs::write(out.join("old/deep/x.html"), "x").unwrap();
        let s = Sink::to_dir(&out, &site).unwrap();
        s.put("a/index.html", "two", o());
        let w = s.commit(2, 0).unwrap();
        assert_eq!(
            (w.written, w.removed),
            (0, vec!["old/deep/x.html".to_string()])
        );
        assert!(!out.join("old").exists(), "the folders it leaves empty go");
        assert!(out.join(".git/objects/ab").is_file());
    }

    #[test]
    fn memory_keeps_the_site_theme_files_yield_to_the_sites() {
        let s = Sink::memory();
        s.put("style.css", "site", o());
        s.put_if_absent("style.css", "theme", o());
        s.put_if_absent("search.js", "theme", o());
        assert_eq!(s.paths(), ["search.js", "style.css"]);
        let set = s.into_memory();
        assert_eq!(set.get("style.css"), Some(&b"site"[..]));
    }
}
