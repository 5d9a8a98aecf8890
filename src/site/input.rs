//! Reading the site's own files. Every reader of `site.yaml`, `content/`, `templates/`,
//! `static/` and `i18n/` goes through here, so each file is checked the same way before it is
//! opened: a link must lead to a file inside the site (its contents never reach a message when
//! it does not), only regular files are read (opening a named pipe would wait for a writer
//! forever; a device can be read without end), and a file over its size limit is refused
//! unread.

use crate::site::diagnostics::Diagnostic;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How large a file of one sort may be, and what to say when it is larger.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub bytes: u64,
    /// The files it is for, in a sentence: "content files".
    pub what: &'static str,
    pub help: &'static str,
}

/// Records, pages and charts (`content/`). Records are small; a larger file is almost
/// certainly a mistake (a data dump saved into `content/`).
pub const CONTENT: Limit = Limit {
    bytes: 4 * 1024 * 1024,
    what: "content files",
    help: "split it into several records, or move data files to static/",
};

/// Background map layers (`content/geo/*.geojson`): larger than records, but a map draws only
/// a few thousand points, so a layer need not be detailed.
pub const GEO: Limit = Limit {
    bytes: 16 * 1024 * 1024,
    what: "map layers",
    help: "simplify the layer (for example with mapshaper) or clip it to the area the report covers",
};

/// `site.yaml`, `templates/` and `i18n/`.
pub const TEXT: Limit = Limit {
    bytes: 4 * 1024 * 1024,
    what: "site.yaml, templates and interface strings",
    help: "this file is far larger than such a file needs to be: check that it is the right file",
};

/// Files copied as they are from `static/` (images, documents, downloads).
pub const STATIC: Limit = Limit {
    bytes: 256 * 1024 * 1024,
    what: "static files",
    help: "publish files this large somewhere else and link to them",
};

/// What a path in the site is, checked without opening it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A regular file, at this path (a link's target, for a link).
    File(PathBuf),
    /// A folder, at this path (a link's target, for a link).
    Dir(PathBuf),
    /// Nothing there.
    Missing,
}

/// The site's folder, for checking where links lead.
#[derive(Debug, Clone)]
pub struct Site {
    root: PathBuf,
    canon: PathBuf,
}

impl Site {
    pub fn new(root: &Path) -> Site {
        Site {
            root: root.to_path_buf(),
            canon: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What `rel` (a path relative to the site's folder, with `/`) is, checked from the site's
    /// folder down: it and every folder above it must stay inside the site.
    pub fn check(&self, rel: &str) -> Result<Found, Diagnostic> {
        let path = self.root.join(rel);
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
            Err(e) => return Err(cannot("read", rel, &e)),
        };
        // A folder above may be a link: where the path really is decides.
        let real = match path.canonicalize() {
            Ok(p) => p,
            Err(e) if meta.file_type().is_symlink() => return Err(broken_link(rel, &e)),
            Err(e) => return Err(cannot("read", rel, &e)),
        };
        if !real.starts_with(&self.canon) {
            return Err(outside(rel, &real));
        }
        if meta.file_type().is_symlink() {
            let meta = std::fs::metadata(&real).map_err(|e| cannot("read", rel, &e))?;
            return classify(rel, &meta, real);
        }
        classify(rel, &meta, path)
    }

    /// What a link found while walking a folder of the site leads to: a file or a folder inside
    /// the site, or an error.
    pub fn link(&self, rel: &str, path: &Path) -> Result<Found, Diagnostic> {
        let target = path.canonicalize().map_err(|e| broken_link(rel, &e))?;
        if !target.starts_with(&self.canon) {
            return Err(outside(rel, &target));
        }
        let meta = std::fs::metadata(&target).map_err(|e| cannot("read", rel, &e))?;
        classify(rel, &meta, target)
    }

    /// What an entry of a walk of a site folder is: a file to read (where), a folder to go
    /// into, or an error (a link that leaves the site or leads to a folder, a named pipe, a
    /// socket, a device). Only links cost a look at the disk.
    pub fn entry(&self, rel: &str, e: &walkdir::DirEntry) -> Result<Option<PathBuf>, Diagnostic> {
        let ft = e.file_type();
        if ft.is_dir() {
            return Ok(None);
        }
        if ft.is_file() {
            return Ok(Some(e.path().to_path_buf()));
        }
        if !e.path_is_symlink() {
            return Err(not_a_file(rel, &ft));
        }
        match self.link(rel, e.path())? {
            Found::File(p) => Ok(Some(p)),
            _ => Err(Diagnostic::error(
                "symlink-dir",
                rel,
                "this is a link to a folder: berpa does not follow links to folders, so every file in it would be left out",
            )
            .help("move or copy the folder into the site instead of linking to it")),
        }
    }

    /// Every file under the site's folder `dir` (`templates`, `static`, `i18n`, `content`),
    /// sorted by path, as (path relative to the site with `/`, path to read), each checked with
    /// [`Site::entry`]; `skip` leaves out entries (and what is inside them) by name. A missing
    /// folder has no files.
    pub fn files(
        &self,
        dir: &str,
        skip: impl Fn(&str) -> bool,
        errors: &mut Vec<Diagnostic>,
    ) -> Vec<(String, PathBuf)> {
        let mut out = Vec::new();
        let top = match self.check(dir) {
            Ok(Found::Dir(p)) => p,
            Ok(Found::Missing) => return out,
            Ok(Found::File(_)) => {
                errors.push(
                    Diagnostic::error(
                        "not-a-folder",
                        dir,
                        format!("{dir} is a file, not a folder"),
                    )
                    .help(format!("{dir}/ holds files of the site: make it a folder")),
                );
                return out;
            }
            Err(d) => {
                errors.push(d);
                return out;
            }
        };
        let walker = walkdir::WalkDir::new(&top)
            .sort_by_file_name()
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !skip(&e.file_name().to_string_lossy()));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let rel = e
                        .path()
                        .map_or_else(|| dir.to_string(), |p| rel_of(dir, &top, p));
                    let io = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("a loop"));
                    errors.push(cannot("read", &rel, &io));
                    continue;
                }
            };
            let rel = rel_of(dir, &top, entry.path());
            match self.entry(&rel, &entry) {
                Ok(Some(p)) => out.push((rel, p)),
                Ok(None) => {}
                Err(d) => errors.push(d),
            }
        }
        out
    }

    /// Reads the site's file `rel` after [`Site::check`]ing it: `Ok(None)` when there is none.
    pub fn read(&self, rel: &str, limit: Limit) -> Result<Option<Vec<u8>>, Diagnostic> {
        match self.check(rel)? {
            Found::Missing => Ok(None),
            Found::File(p) => read_file(rel, &p, limit).map(Some),
            Found::Dir(_) => {
                Err(
                    Diagnostic::error("not-a-file", rel, format!("{rel} is a folder, not a file"))
                        .help("berpa reads this name as a file: rename the folder"),
                )
            }
        }
    }
}

/// `path` (under `top`, the site's folder `dir`) relative to the site, with `/`.
fn rel_of(dir: &str, top: &Path, path: &Path) -> String {
    let mut rel = dir.to_string();
    for c in path.strip_prefix(top).unwrap_or(path).components() {
        rel.push('/');
        rel.push_str(&c.as_os_str().to_string_lossy());
    }
    rel
}

fn classify(rel: &str, meta: &std::fs::Metadata, path: PathBuf) -> Result<Found, Diagnostic> {
    let ft = meta.file_type();
    if ft.is_file() {
        Ok(Found::File(path))
    } else if ft.is_dir() {
        Ok(Found::Dir(path))
    } else {
        Err(not_a_file(rel, &ft))
    }
}

/// What berpa was doing, the file, and what the system said.
pub fn cannot(doing: &str, rel: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("io", rel, format!("cannot {doing} {rel}: {e}"))
        .help("check that the file exists and that you may read it")
}

fn broken_link(rel: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("broken-symlink", rel, format!("this link is broken: {e}"))
        .help("remove the link or point it at a file inside the site")
}

fn outside(rel: &str, target: &Path) -> Diagnostic {
    Diagnostic::error(
        "symlink-outside",
        rel,
        format!(
            "this link points outside the site (to {}); berpa refuses to read it",
            target.display()
        ),
    )
    .help("copy the file into the site instead of linking to it")
}

/// A named pipe, a socket or a device where a file should be.
fn not_a_file(rel: &str, ft: &std::fs::FileType) -> Diagnostic {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            "a named pipe (FIFO)"
        } else if ft.is_socket() {
            "a socket"
        } else if ft.is_char_device() || ft.is_block_device() {
            "a device"
        } else {
            "not a regular file"
        }
    };
    #[cfg(not(unix))]
    let what = {
        let _ = ft;
        "not a regular file"
    };
    Diagnostic::error(
        "not-a-file",
        rel,
        format!("this is {what}, not a file; berpa reads only regular files"),
    )
    .help("remove it from the site's folder, or replace it with the file it stands for")
}

/// Opens `path` for reading without waiting: a named pipe put there after it was checked
/// opens at once (and is then refused) instead of blocking until something writes to it.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOFOLLOW;
        o.custom_flags(flags.bits() as i32);
    }
    o.open(path)
}

/// Reads the regular file at `path` (already checked to be one; `rel` names it), at most
/// `limit` bytes: it is checked again once open, and a file over the limit is not read.
pub fn read_file(rel: &str, path: &Path, limit: Limit) -> Result<Vec<u8>, Diagnostic> {
    let file = open(path).map_err(|e| cannot("read", rel, &e))?;
    let meta = file.metadata().map_err(|e| cannot("read", rel, &e))?;
    if !meta.file_type().is_file() {
        return Err(not_a_file(rel, &meta.file_type()));
    }
    let too_large = |len: u64| {
        Diagnostic::error(
            "too-large",
            rel,
            format!(
                "the file is {len} bytes; {} may be at most {} bytes",
                limit.what, limit.bytes
            ),
        )
        .help(limit.help)
    };
    let len = meta.len();
    if len > limit.bytes {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Through `take`: a plain `File::read_to_end` asks the file system for the size again
    // (two more system calls for each of 100,000 files). A file that grew meanwhile is still
    // read whole, up to the limit.
    file.take(limit.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot("read", rel, &e))?;
    if bytes.len() as u64 > limit.bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn fifo(path: &Path) {
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            path,
            rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
        )
        .unwrap();
    }

    #[test]
    fn links_outside_pipes_and_folders_are_refused_without_opening() {
        let t = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "SECRET-VALUE").unwrap();
        std::fs::write(t.path().join("in.yaml"), "title: x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), t.path().join("out.yaml"))
            .unwrap();
        std::os::unix::fs::symlink("in.yaml", t.path().join("ok.yaml")).unwrap();
        std::os::unix::fs::symlink(outside.path(), t.path().join("far")).unwrap();
        fifo(&t.path().join("pipe.yaml"));
        let site = Site::new(t.path());
        assert_eq!(site.read("in.yaml", TEXT).unwrap().unwrap(), b"title: x");
        assert_eq!(site.read("ok.yaml", TEXT).unwrap().unwrap(), b"title: x");
        assert_eq!(site.read("none.yaml", TEXT).unwrap(), None);
        let e = site.read("out.yaml", TEXT).unwrap_err();
        assert_eq!(e.code, "symlink-outside");
        assert!(!format!("{e:?}").contains("SECRET"), "{e:?}");
        // A file under a folder link that leaves the site.
        assert_eq!(
            site.read("far/secret", TEXT).unwrap_err().code,
            "symlink-outside"
        );
        let e = site.read("pipe.yaml", TEXT).unwrap_err();
        assert_eq!(e.code, "not-a-file");
        assert!(e.message.contains("named pipe"), "{e:?}");
        // Opened directly (as if it had become a pipe after it was checked): refused at once.
        let e = read_file("pipe.yaml", &t.path().join("pipe.yaml"), TEXT).unwrap_err();
        assert_eq!(e.code, "not-a-file");
        let small = Limit { bytes: 3, ..TEXT };
        assert_eq!(site.read("in.yaml", small).unwrap_err().code, "too-large");
    }
}
