//! The file-system floor of a build: how long it takes only to read a site's content files and
//! to write a built site's files (the same folders, names and bytes), on all cores, doing
//! nothing else. What berpa spends beyond this is its own work; what it spends below it cannot
//! be saved by making berpa faster. Used by `bench/run.sh`; see docs/benchmarks.md.
//!
//!     fs_floor --content CONTENT_DIR --site BUILT_SITE_DIR --out NEW_DIR [--runs 3]
//!
//! Prints one line per phase and run: `read <files> <bytes> <wall s> <cpu s>` for reading every
//! file under CONTENT_DIR, and `write <files> <bytes> <wall s> <cpu s>` for writing a copy of
//! BUILT_SITE_DIR (held in memory first, so nothing is read while writing) into NEW_DIR, which
//! must not exist and is removed after each run. CPU time is the process's user and system time
//! (all threads) over the phase, from /proc (Linux).

use berpa::cpu_seconds;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn files_under(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn main() {
    let mut content = None;
    let mut site = None;
    let mut out = None;
    let mut runs = 3usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args
            .next()
            .unwrap_or_else(|| fail(&format!("{a} needs a value")));
        match a.as_str() {
            "--content" => content = Some(PathBuf::from(v)),
            "--site" => site = Some(PathBuf::from(v)),
            "--out" => out = Some(PathBuf::from(v)),
            "--runs" => runs = v.parse().unwrap_or_else(|_| fail("--runs takes a number")),
            _ => fail(&format!("unknown argument {a}")),
        }
    }
    let (Some(content), Some(site), Some(out)) = (content, site, out) else {
        fail("usage: fs_floor --content DIR --site DIR --out NEW_DIR [--runs N]")
    };
    if out.exists() {
        fail(&format!("{} exists; give a new folder", out.display()));
    }

    let inputs = files_under(&content);
    // The built site in memory: (path relative to the site, bytes), folders first-seen order.
    let outputs: Vec<(PathBuf, Vec<u8>)> = files_under(&site)
        .into_par_iter()
        .map(|p| {
            let bytes =
                std::fs::read(&p).unwrap_or_else(|e| fail(&format!("{}: {e}", p.display())));
            (
                p.strip_prefix(&site).expect("under the site").to_path_buf(),
                bytes,
            )
        })
        .collect();
    let out_bytes: usize = outputs.iter().map(|(_, b)| b.len()).sum();

    for _ in 0..runs {
        let (t, c) = (Instant::now(), cpu_seconds());
        let in_bytes: usize = inputs
            .par_iter()
            .map(|p| std::fs::read(p).map(|b| b.len()).unwrap_or(0))
            .sum();
        println!(
            "read {} {} {:.3} {:.2}",
            inputs.len(),
            in_bytes,
            t.elapsed().as_secs_f64(),
            cpu_seconds() - c
        );

        let (t, c) = (Instant::now(), cpu_seconds());
        std::fs::create_dir(&out).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
        // Written as berpa writes: each file by its full path, its folder made first, on all
        // cores.
        outputs.par_iter().for_each(|(p, b)| {
            let path = out.join(p);
            path.parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, b))
                .unwrap_or_else(|e| fail(&format!("{}: {e}", p.display())))
        });
        println!(
            "write {} {} {:.3} {:.2}",
            outputs.len(),
            out_bytes,
            t.elapsed().as_secs_f64(),
            cpu_seconds() - c
        );
        std::fs::remove_dir_all(&out).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("fs_floor: {msg}");
    std::process::exit(2)
}
