//! `retrace`: the command-line front end of the retrace engine.
//!
//! A thin layer: it parses arguments, reads inputs into documents, calls the
//! engine and hands the engine's `Report` to a renderer.

mod input;
mod render;

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use retrace::Comparer;

/// Find where a text came from: align a rewritten text with its sources.
#[derive(Parser, Debug)]
#[command(name = "retrace", version, about, long_about = None)]
struct Cli {
    /// Worker threads for parallel work (default: all cores).
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Align a suspect text with one or more candidate sources.
    Compare(CompareArgs),
}

#[derive(Args, Debug)]
struct CompareArgs {
    /// The suspect text (a .txt, .md or .html file, or - for stdin).
    suspect: String,
    /// Candidate source texts.
    #[arg(required = true)]
    sources: Vec<String>,
    /// Print one JSON object instead of the terminal report.
    #[arg(long)]
    json: bool,
    /// Width of the terminal report (default: the terminal's, else 100).
    #[arg(long, value_name = "COLS")]
    width: Option<usize>,
}

/// An error that maps to an exit code.
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn input(message: impl std::fmt::Display) -> Self {
        Failure {
            code: 2,
            message: message.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if let Some(n) = cli.threads {
        if n == 0 {
            eprintln!("retrace: --threads must be at least 1");
            return ExitCode::from(2);
        }
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let result = match cli.command {
        Command::Compare(args) => compare(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("retrace: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn compare(args: CompareArgs) -> Result<(), Failure> {
    if args.suspect == "-" && args.sources.iter().any(|s| s == "-") {
        return Err(Failure::input("only one input can be read from stdin (-)"));
    }
    let suspect = input::read_document(&args.suspect)?;
    let mut sources = Vec::with_capacity(args.sources.len());
    for s in &args.sources {
        sources.push(input::read_document(s)?);
    }
    for d in std::iter::once(&suspect).chain(&sources) {
        for w in &d.warnings {
            eprintln!("retrace: warning: {w}");
        }
    }
    let comparer = Comparer::new();
    let report = comparer.compare(&suspect, &sources);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let res = if args.json {
        serde_json::to_writer(&mut out, &report)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
    } else {
        let width = args.width.unwrap_or_else(render::terminal::terminal_width);
        render::terminal::write_report(&mut out, &report, &suspect, &sources, width)
    };
    match res {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure {
            code: 1,
            message: format!("cannot write output: {e}"),
        }),
    }
}
