//! The `berpa` command line.

use berpa::site::diagnostics::Format;
use clap::{CommandFactory, Parser, Subcommand};
use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

// Rendering allocates many small strings on several threads; mimalloc handles that faster
// than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Names the files a build removed from the output folder though berpa had not made them.
fn removed_note(removed: &[String], out: &std::path::Path) -> String {
    const SHOWN: usize = 20;
    let mut names = removed
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if removed.len() > SHOWN {
        names.push_str(&format!(" and {} more", removed.len() - SHOWN));
    }
    format!(
        "warning: removed {} file(s) from {} that berpa did not make: {names}. The output folder holds only the site (a .git in it is kept); put a file to publish with it in static/, such as static/CNAME",
        removed.len(),
        out.display()
    )
}

/// berpa builds a public report site on reconstruction from YAML and Markdown records.
///
/// Exit codes: 0 success; 1 the content has errors (or warnings under --strict), or `check
/// --links` found addresses that no longer answer; 2 a usage or input/output error (or an
/// edition that exists already); 3 `check --links` could not reach any address (no network).
#[derive(Parser)]
#[command(
    name = "berpa",
    version,
    about,
    long_about,
    after_help = "Examples:
  berpa init my-report            a new site with example records
  cd my-report && berpa serve     see it at http://127.0.0.1:1111/; edit a file, the page updates
  berpa new city lachin           a record to fill in
  berpa build                     write the site into public/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct Common {
    /// The site's folder (holding site.yaml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// How to print problems: human, json (one object a line) or github (annotations).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder (public/ by default).
    ///
    /// The site is built in memory and written only when everything succeeded, into a new folder
    /// swapped in at the end: a failed build leaves the previous site as it was.
    #[command(after_help = "Examples:
  berpa build
  berpa build --root my-site --output my-site/public
  berpa build --strict --base-url https://example.org/report/
  berpa build --format github      (annotations for GitHub Actions)")]
    Build {
        #[command(flatten)]
        common: Common,
        /// Where to write the site (default: public/ inside the site's folder).
        #[arg(long)]
        output: Option<PathBuf>,
        /// The address the site is published at, overriding base_url in site.yaml.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Load, validate and render everything, but write nothing. Exits non-zero on any error.
    #[command(after_help = "Examples:
  berpa check
  berpa check --root my-site --strict
  berpa check --format json | jq .message
  berpa check --links              (a scheduled CI job: are the sources still online?)")]
    Check {
        #[command(flatten)]
        common: Common,
        /// Also ask every source's url and archive_url whether it still answers (needs the
        /// network). Exit codes: 0 all answer; 1 some do not, or the content has errors; 3 no
        /// address answered at all (no network here): nothing was judged.
        #[arg(long)]
        links: bool,
    },
    /// Record the site's open data as an edition, in editions/<data_as_of>/, to commit.
    ///
    /// Builds the site (it must have no errors) and copies what the build writes under data/
    /// (CSV, JSON, GeoJSON, the data package, OC4IDS) into editions/<date>, the date being
    /// data_as_of in site.yaml. The site then lists the edition at editions/ and shows what
    /// changed since it at changes/. An edition is never replaced. Exit codes: 0 made; 1 the
    /// content has errors; 2 the edition exists, data_as_of is missing, or a file could not be
    /// written.
    #[command(after_help = "Examples:
  berpa edition
  berpa edition --root my-site && git add my-site/editions")]
    Edition {
        #[command(flatten)]
        common: Common,
    },
    /// Serve the site from memory, rebuild it when a file changes, and reload the browser.
    ///
    /// Watches site.yaml, content/, templates/, static/ and i18n/. When an edit breaks the build,
    /// the last good site stays served and the problems show over the page and in the terminal.
    /// Listens on 127.0.0.1 (this machine only) unless --bind says otherwise. Ctrl-C stops it.
    #[command(after_help = "Examples:
  berpa serve                      http://127.0.0.1:1111/
  berpa serve --root my-site --open
  berpa serve --port 0             any free port (the address is printed)
  berpa serve --bind 0.0.0.0       let other machines on the network see it")]
    Serve {
        /// The site's folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Print nothing but errors (and the address).
        #[arg(long, short)]
        quiet: bool,
    },
    /// Make a new site in DIR that builds at once: settings, example records, an about page.
    ///
    /// The records are invented examples, clearly marked, to replace with your own. The theme is
    /// built into berpa and not copied, unless --with-theme asks for a copy to edit.
    #[command(after_help = "Examples:
  berpa init my-report && cd my-report && berpa serve
  berpa init my-report --with-theme   (templates/, static/ and i18n/ to edit)")]
    Init {
        /// The folder to make the site in; it must be new or empty.
        dir: PathBuf,
        /// Copy the built-in templates, static files and interface strings into the site.
        #[arg(long)]
        with_theme: bool,
    },
    /// Write a new record with every field named and commented, to fill in.
    ///
    /// Writes content/<kind's folder>/<ID>.yaml; never replaces an existing record.
    #[command(after_help = "Examples:
  berpa new city lachin
  berpa new source apa-2025-06-17-returns --root my-site
  berpa new indicator people-returned && berpa check
  berpa new schools lachin-school-1   (a collection site.yaml declares)")]
    New {
        /// What kind of record: city, road, project, partner, indicator, source, or a
        /// collection site.yaml declares (its folder, such as `schools`).
        kind: String,
        /// Its id (and file name): lowercase letters, digits and hyphens.
        id: String,
        /// The site's folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print a shell completion script.
    #[command(after_help = "Examples:
  berpa completions bash > ~/.local/share/bash-completion/completions/berpa
  berpa completions zsh > ~/.zfunc/_berpa
  berpa completions fish > ~/.config/fish/completions/berpa.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `berpa check --links`: see [`Command::Check`].
fn check_links(common: &Common) -> ExitCode {
    let opts = berpa::Options {
        root: common.root.clone(),
        ..Default::default()
    };
    let run = berpa::check_links(&opts, Default::default());
    print_list(&run.diagnostics, common);
    if run.report.checked.is_empty() && run.diagnostics.has_errors() {
        // Nothing could be asked (no curl).
        return ExitCode::from(1);
    }
    let total = run.report.checked.len();
    if run.report.offline() {
        eprintln!(
            "links not checked: none of the {total} source address(es) answered at all, so this machine seems to have no network (or every one of those servers is down); run berpa check --links where there is a network"
        );
        return ExitCode::from(3);
    }
    let broken = run.report.broken().count();
    if !common.quiet && common.format == Format::Human {
        eprintln!(
            "links: {} of {total} source address(es) answer, {broken} do not",
            total - broken
        );
    }
    if broken > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `berpa edition`: see [`Command::Edition`].
fn edition(common: &Common) -> ExitCode {
    let opts = berpa::Options {
        root: common.root.clone(),
        strict: common.strict,
        ..Default::default()
    };
    let run = berpa::make_edition(&opts);
    print_list(&run.diagnostics, common);
    let visible =
        |e: &dyn std::fmt::Display| berpa::site::diagnostics::visible(&e.to_string()).to_string();
    match run.result {
        Ok((dir, n)) => {
            if !common.quiet {
                eprintln!(
                    "recorded the edition {} ({n} files): commit it with the site, for example `git add {}`",
                    dir.display(),
                    dir.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e @ berpa::EditionFailure::Content) => {
            eprintln!("error: {}", visible(&e));
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {}", visible(&e));
            ExitCode::from(2)
        }
    }
}

/// Colours and progress bars only on a terminal, and never under NO_COLOR.
fn fancy_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_diagnostics(b: &berpa::Build, common: &Common) {
    print_list(&b.diagnostics, common);
}

fn print_list(diagnostics: &berpa::site::diagnostics::Diagnostics, common: &Common) {
    let color = fancy_stderr();
    let mut ds = diagnostics.clone();
    if common.quiet {
        let mut only = berpa::site::diagnostics::Diagnostics::new();
        for d in ds.items() {
            if d.severity == berpa::site::diagnostics::Severity::Error {
                only.push(d.clone());
            }
        }
        ds = only;
    }
    let text = ds.render(common.format, &common.root, color);
    match common.format {
        Format::Human => eprint!("{text}"),
        _ => print!("{text}"),
    }
}

/// A progress bar over rendering, shown on a terminal once a build has run for a moment.
struct Bar {
    hook: Option<berpa::Progress>,
    bar: Arc<OnceLock<indicatif::ProgressBar>>,
}

impl Bar {
    fn new(common: &Common) -> Bar {
        let bar: Arc<OnceLock<indicatif::ProgressBar>> = Arc::default();
        if common.quiet || common.format != Format::Human || !fancy_stderr() {
            return Bar { hook: None, bar };
        }
        let start = Instant::now();
        let b = bar.clone();
        let hook = berpa::Progress::new(move |done, total| {
            if b.get().is_none() && start.elapsed() < Duration::from_millis(300) {
                return;
            }
            let pb = b.get_or_init(|| {
                let pb = indicatif::ProgressBar::with_draw_target(
                    Some(total as u64),
                    indicatif::ProgressDrawTarget::stderr(),
                );
                if let Ok(style) =
                    indicatif::ProgressStyle::with_template("rendering {bar:40} {pos}/{len} pages")
                {
                    pb.set_style(style.progress_chars("=> "));
                }
                pb
            });
            pb.set_length(total as u64);
            // Pages finish on several threads: never move the bar back.
            if done as u64 > pb.position() {
                pb.set_position(done as u64);
            }
        });
        Bar {
            hook: Some(hook),
            bar,
        }
    }

    fn done(&self) {
        if let Some(pb) = self.bar.get() {
            pb.finish_and_clear();
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            common,
            output,
            base_url,
        } => build(&common, output, base_url),
        Command::Check { common, links } => check(&common, links),
        Command::Edition { common } => edition(&common),
        Command::Serve {
            root,
            port,
            bind,
            open,
            strict,
            quiet,
        } => or_error(berpa::serve::run(berpa::serve::ServeOptions {
            root,
            bind,
            port,
            open,
            strict,
            quiet,
            color: fancy_stderr(),
        })),
        Command::Init { dir, with_theme } => {
            or_error(berpa::scaffold::init(&dir, with_theme).map(|init| {
                eprintln!(
                    "made a new site in {} ({} files): its records are invented examples to replace",
                    dir.display(),
                    init.files.len()
                );
                eprintln!("next: cd {} && berpa serve", dir.display());
            }))
        }
        Command::New { kind, id, root } => {
            or_error(berpa::scaffold::new_record(&root, &kind, &id).map(|path| {
                eprintln!(
                    "wrote {}: fill in the fields marked REQUIRED, then run `berpa check`",
                    path.display()
                );
            }))
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "berpa", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}

/// Success, or the error said on stderr and exit code 2.
fn or_error<E: std::fmt::Display>(r: Result<(), E>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "error: {}",
                berpa::site::diagnostics::visible(&e.to_string())
            );
            ExitCode::from(2)
        }
    }
}

/// The options of a run over the site `common` names.
fn options(common: &Common, bar: &Bar, base_url: Option<String>) -> berpa::Options {
    berpa::Options {
        root: common.root.clone(),
        base_url,
        strict: common.strict,
        progress: bar.hook.clone(),
        keep: false,
    }
}

/// `berpa build`: exit code 1 when the site has errors (nothing written), 2 when the output
/// could not be written.
fn build(common: &Common, output: Option<PathBuf>, base_url: Option<String>) -> ExitCode {
    let start = Instant::now();
    let bar = Bar::new(common);
    let opts = options(common, &bar, base_url);
    let out = output.unwrap_or_else(|| common.root.join("public"));
    let (b, written) = berpa::build_to(&opts, &out);
    bar.done();
    print_diagnostics(&b, common);
    match written {
        None => {
            if common.format == Format::Human {
                eprintln!(
                    "build failed: nothing was written; {} is as it was",
                    out.display()
                );
            }
            ExitCode::from(1)
        }
        Some(Err(e)) => or_error(Err(e)),
        Some(Ok(w)) => {
            report_written(common, &b, &w, &out, start);
            ExitCode::SUCCESS
        }
    }
}

/// What a successful build wrote (unless `--quiet`).
fn report_written(
    common: &Common,
    b: &berpa::Build,
    w: &berpa::write::WriteStats,
    out: &std::path::Path,
    start: Instant,
) {
    if !common.quiet && !w.removed.is_empty() {
        eprintln!("{}", removed_note(&w.removed, out));
    }
    if common.quiet || common.format != Format::Human {
        return;
    }
    if b.stats.unchanged {
        eprintln!(
            "nothing changed since the last build: {} files in {} are up to date ({:.2} s)",
            w.files,
            out.display(),
            start.elapsed().as_secs_f64()
        );
    } else {
        eprintln!(
            "built {} records into {} pages, {} charts, {} files ({} KiB; {} written, {} unchanged) in {} in {:.2} s",
            b.stats.records,
            b.stats.pages,
            b.stats.charts,
            w.files,
            w.bytes / 1024,
            w.written,
            w.unchanged,
            out.display(),
            start.elapsed().as_secs_f64()
        );
    }
}

/// `berpa check`: exit code 1 when the site has errors.
fn check(common: &Common, links: bool) -> ExitCode {
    let bar = Bar::new(common);
    let b = berpa::check(&options(common, &bar, None));
    bar.done();
    print_diagnostics(&b, common);
    if b.output.is_none() {
        return ExitCode::from(1);
    }
    if !common.quiet && common.format == Format::Human {
        eprintln!(
            "ok: {} records, {} pages, {} charts, {} warning(s)",
            b.stats.records,
            b.stats.pages,
            b.stats.charts,
            b.diagnostics.warnings()
        );
    }
    if links {
        return check_links(common);
    }
    ExitCode::SUCCESS
}
