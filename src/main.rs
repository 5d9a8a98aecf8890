//! The `berpa` command line.

use berpa::diagnostics::Format;
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// berpa builds a public report site on reconstruction from YAML and Markdown records.
///
/// Exit codes: 0 success; 1 the content has errors (or warnings under --strict); 2 a usage or
/// input/output error.
#[derive(Parser)]
#[command(name = "berpa", version, about, long_about)]
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
    /// Example: berpa build --root my-site --output my-site/public
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
    ///
    /// Example: berpa check --root my-site --format github
    Check {
        #[command(flatten)]
        common: Common,
    },
}

fn print_diagnostics(b: &berpa::Build, common: &Common) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut ds = b.diagnostics.clone();
    if common.quiet {
        let mut only = berpa::diagnostics::Diagnostics::new();
        for d in ds.items() {
            if d.severity == berpa::diagnostics::Severity::Error {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            common,
            output,
            base_url,
        } => {
            let start = std::time::Instant::now();
            let opts = berpa::Options {
                root: common.root.clone(),
                base_url,
                strict: common.strict,
            };
            let out = output.unwrap_or_else(|| common.root.join("public"));
            let (b, written) = berpa::build_to(&opts, &out);
            print_diagnostics(&b, &common);
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
                Some(Err(e)) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
                Some(Ok(w)) => {
                    if !common.quiet && common.format == Format::Human {
                        eprintln!(
                            "built {} records into {} pages, {} files ({} KiB) in {} in {:.2} s",
                            b.stats.records,
                            b.stats.pages,
                            w.files,
                            w.bytes / 1024,
                            out.display(),
                            start.elapsed().as_secs_f64()
                        );
                    }
                    ExitCode::SUCCESS
                }
            }
        }
        Command::Check { common } => {
            let opts = berpa::Options {
                root: common.root.clone(),
                base_url: None,
                strict: common.strict,
            };
            let b = berpa::build(&opts);
            print_diagnostics(&b, &common);
            if b.output.is_some() {
                if !common.quiet && common.format == Format::Human {
                    eprintln!(
                        "ok: {} records, {} pages, {} warning(s)",
                        b.stats.records,
                        b.stats.pages,
                        b.diagnostics.warnings()
                    );
                }
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}
