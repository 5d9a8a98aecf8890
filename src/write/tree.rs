//! Making a tree of files under one folder, fast: each folder is made once, and on Linux each
//! file is opened relative to an open handle on its grandparent folder, so the kernel looks up
//! at most two names for it instead of every name in its path. A build writes a folder and a
//! page per record (100,000s of files at national scale), and the path lookups were a
//! measurable share of that (docs/benchmarks.md, tenth round).

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::Mutex;

/// A folder that files are made in, by paths relative to it (`cities/s1/index.html`: forward
/// slashes, no `.` or `..`, as [`super::is_safe_rel_path`] allows). Shared by threads.
pub struct Tree {
    #[cfg(not(target_os = "linux"))]
    root: std::path::PathBuf,
    /// The folders made so far (relative paths).
    made: Mutex<foldhash::HashSet<String>>,
    #[cfg(target_os = "linux")]
    at: at::Handles,
}

impl Tree {
    /// Files under `root`, a folder that exists.
    pub fn new(root: &Path) -> io::Result<Tree> {
        Ok(Tree {
            #[cfg(not(target_os = "linux"))]
            root: root.to_path_buf(),
            made: Mutex::default(),
            #[cfg(target_os = "linux")]
            at: at::Handles::new(root)?,
        })
    }

    /// Makes the folder `rel` (and the folders above it) unless it was made already; a folder
    /// that is there already is fine.
    pub fn make_dir(&self, rel: &str) -> io::Result<()> {
        if rel.is_empty() || self.made.lock().expect("tree lock").contains(rel) {
            return Ok(());
        }
        let parent = rel.rsplit_once('/').map(|(p, _)| p);
        if let Some(p) = parent {
            self.make_dir(p)?;
        }
        #[cfg(target_os = "linux")]
        self.at.make_dir(parent, rel)?;
        #[cfg(not(target_os = "linux"))]
        match std::fs::create_dir(self.root.join(rel)) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            r => r?,
        }
        self.made.lock().expect("tree lock").insert(rel.to_string());
        Ok(())
    }

    /// Creates (or truncates) the file `rel` for writing, making its folder first.
    pub fn create(&self, rel: &str) -> io::Result<File> {
        let parent = rel.rsplit_once('/').map(|(p, _)| p);
        if let Some(p) = parent {
            self.make_dir(p)?;
        }
        #[cfg(target_os = "linux")]
        return self.at.create(parent, rel);
        #[cfg(not(target_os = "linux"))]
        return File::create(self.root.join(rel));
    }
}

#[cfg(target_os = "linux")]
mod at {
    use rustix::fs::{Mode, OFlags, mkdirat, openat};
    use rustix::io::Errno;
    use std::fs::File;
    use std::io;
    use std::os::fd::{AsFd, OwnedFd};
    use std::path::Path;
    use std::sync::{Arc, Mutex};

    /// Open handles on the tree's folders that hold folders (`cities`, `az/cities`), made the
    /// first time a folder is made in them or a file two levels below them. The folder of a
    /// single record gets none: a handle would cost more than it saves for one file.
    pub struct Handles {
        root: OwnedFd,
        dirs: Mutex<foldhash::HashMap<String, Arc<OwnedFd>>>,
    }

    const DIR_MODE: u32 = 0o777;
    const FILE_MODE: u32 = 0o666;

    impl Handles {
        pub fn new(root: &Path) -> io::Result<Handles> {
            Ok(Handles {
                root: open_dir(rustix::fs::CWD, root)?,
                dirs: Mutex::default(),
            })
        }

        /// The handle on folder `rel`, opened once.
        fn dir(&self, rel: &str) -> io::Result<Arc<OwnedFd>> {
            if let Some(h) = self.dirs.lock().expect("tree lock").get(rel) {
                return Ok(h.clone());
            }
            let h = Arc::new(open_dir(&self.root, rel)?);
            Ok(self
                .dirs
                .lock()
                .expect("tree lock")
                .entry(rel.to_string())
                .or_insert(h)
                .clone())
        }

        /// Makes folder `rel`, relative to its parent's handle (its parent exists); one that is
        /// there already is fine.
        pub fn make_dir(&self, parent: Option<&str>, rel: &str) -> io::Result<()> {
            let mode = Mode::from_raw_mode(DIR_MODE);
            let made = match parent {
                Some(p) => mkdirat(&*self.dir(p)?, &rel[p.len() + 1..], mode),
                None => mkdirat(&self.root, rel, mode),
            };
            match made {
                Err(Errno::EXIST) => Ok(()),
                r => Ok(r?),
            }
        }

        /// Creates (or truncates) file `rel`, whose folder (`parent`) exists: relative to the
        /// folder's handle if it has one, else to its parent's (or the root).
        pub fn create(&self, parent: Option<&str>, rel: &str) -> io::Result<File> {
            let open = |dir: &OwnedFd, name: &str| {
                openat(
                    dir,
                    name,
                    OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC,
                    Mode::from_raw_mode(FILE_MODE),
                )
            };
            let fd = match parent {
                None => open(&self.root, rel)?,
                Some(p) => {
                    let held = self.dirs.lock().expect("tree lock").get(p).cloned();
                    match (held, p.rsplit_once('/')) {
                        (Some(h), _) => open(&h, &rel[p.len() + 1..])?,
                        (None, Some((grand, _))) => {
                            open(&*self.dir(grand)?, &rel[grand.len() + 1..])?
                        }
                        (None, None) => open(&self.root, rel)?,
                    }
                }
            };
            Ok(File::from(fd))
        }
    }

    fn open_dir(at: impl AsFd, rel: impl rustix::path::Arg) -> io::Result<OwnedFd> {
        Ok(openat(
            at,
            rel,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_land_at_their_paths_with_their_folders_made_once() {
        let t = tempfile::tempdir().unwrap();
        let tree = Tree::new(t.path()).unwrap();
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
            tree.create(rel)
                .unwrap()
                .write_all(longer.as_bytes())
                .unwrap();
            tree.create(rel).unwrap().write_all(rel.as_bytes()).unwrap();
        }
        tree.make_dir("cities/s1").unwrap();
        tree.make_dir("empty/deep").unwrap();
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
        assert!(t.path().join("empty/deep").is_dir());
    }

    #[test]
    fn a_file_where_a_folder_should_be_is_an_error_not_a_panic() {
        let t = tempfile::tempdir().unwrap();
        let tree = Tree::new(t.path()).unwrap();
        tree.create("cities").unwrap();
        assert!(tree.create("cities/s1/index.html").is_err());
        assert!(tree.create("cities/s1.json").is_err());
    }
}
