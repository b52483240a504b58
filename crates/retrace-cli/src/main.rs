//! `retrace`: the command-line front end of the retrace engine.
//!
//! A thin layer: it parses arguments, reads inputs into documents, calls the
//! engine and hands the engine's `Report` to a renderer.

mod eval_evidence;
mod eval_pairs;
mod eval_pan;
mod index_cmd;
mod input;
mod models;
mod render;
mod scan_cmd;
mod serve_cmd;

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

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
    /// Embed sentences: one text per line on stdin, one JSON array per line out.
    Embed(EmbedArgs),
    /// Print the text retrace reads from each input (HTML reduced to its
    /// main text, legacy encodings decoded): what is compared.
    Extract(ExtractArgs),
    /// Evaluate the engine on a benchmark.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Create or extend an index of source documents (or --delete ids).
    Index(index_cmd::IndexArgs),
    /// Check suspects against an index: find their sources and align them.
    Check(index_cmd::CheckArgs),
    /// Find which documents of an index reuse which (or which outside
    /// documents reuse the index's, with --against).
    Scan(scan_cmd::ScanArgs),
    /// Show what an index holds.
    Stats(index_cmd::StatsArgs),
    /// Serve the JSON API (and web UI) over an index.
    Serve(serve_cmd::ServeArgs),
}

/// Which sentence model to use.
#[derive(Args, Debug, Clone)]
pub struct ModelArgs {
    /// A sentence model directory (default: the model built into retrace).
    #[arg(long, value_name = "DIR")]
    model: Option<std::path::PathBuf>,
    /// Use lexical evidence only (no sentence model).
    #[arg(long, conflicts_with = "model")]
    lexical_only: bool,
    /// Override alignment settings: a JSON object of `AlignConfig` fields
    /// (for experiments; the defaults are the documented ones).
    #[arg(long, value_name = "JSON", hide = true)]
    align_config: Option<String>,
    /// Override lexical/semantic weighting: a JSON object of
    /// `SimilarityWeights` fields (for experiments).
    #[arg(long, value_name = "JSON", hide = true)]
    similarity: Option<String>,
}

#[derive(Args, Debug)]
struct ExtractArgs {
    /// Input files (.txt, .md, .html), or - for stdin.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// One JSON object per line: {"id", "text", "format", "encoding"}.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct EmbedArgs {
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Subcommand, Debug)]
enum EvalCommand {
    /// Score alignment on a PAN text-alignment corpus (plagdet).
    Pan {
        /// Corpus directory (src/, susp/, pairs, one folder per obfuscation type).
        corpus: std::path::PathBuf,
        /// Write detections in PAN XML format to this directory.
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Score verdicts on labelled pairs (JSON Lines `{"suspect", "source" |
    /// "source_id", "label": "derived"|"related"}`): precision, recall,
    /// ROC-AUC and the reliability table.
    Pairs {
        /// The pairs file.
        file: std::path::PathBuf,
        /// Read `source_id` sources from this index.
        #[arg(long, value_name = "DIR")]
        index: Option<std::path::PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Write each pair's verdict-model inputs as JSON Lines (training).
        #[arg(long, value_name = "FILE", hide = true)]
        features_out: Option<std::path::PathBuf>,
        /// Use this verdict model (JSON) instead of the built-in one.
        #[arg(long, value_name = "FILE", hide = true)]
        verdict_model: Option<std::path::PathBuf>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Score findings on labelled rewrites (JSON arrays of cases):
    /// precision and recall per finding kind.
    Evidence {
        /// Cases files.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// The Reuters-21578 directory, for cases that name their source by
        /// NEWID (`source_newid`).
        #[arg(long, value_name = "DIR")]
        reuters: Option<std::path::PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Also list every miss and false positive.
        #[arg(long, short)]
        verbose: bool,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Score sentence similarity on an STS benchmark file (Pearson, Spearman).
    Sts {
        /// STS file: tab-separated, gold score in column 5, sentences in 6 and 7.
        file: std::path::PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        model: ModelArgs,
    },
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
    /// Also write the report as one self-contained HTML page to FILE (the web
    /// UI's view: inline CSS and JS, no external request).
    #[arg(long, value_name = "FILE")]
    html: Option<std::path::PathBuf>,
    /// List only sources whose confidence reaches C (default: every source
    /// given, each with its verdict).
    #[arg(long, value_name = "C", default_value_t = 0.0)]
    min_confidence: f32,
    #[command(flatten)]
    model: ModelArgs,
}

/// An error that maps to an exit code.
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// Bad usage or unreadable input (exit code 2).
    pub fn input(message: impl std::fmt::Display) -> Self {
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
        Command::Embed(args) => models::embed(&args.model),
        Command::Extract(args) => extract(args),
        Command::Eval(EvalCommand::Pan {
            corpus,
            out,
            json,
            model,
        }) => models::comparer(&model)
            .and_then(|c| eval_pan::run(eval_pan::PanOptions { corpus, out, json }, &c)),
        Command::Eval(EvalCommand::Pairs {
            file,
            index,
            json,
            features_out,
            verdict_model,
            model,
        }) => models::comparer(&model).and_then(|c| {
            eval_pairs::run(
                eval_pairs::PairsOptions {
                    file,
                    index,
                    json,
                    features_out,
                    verdict_model,
                    embedder: models::embedder(&model)?,
                },
                &c,
            )
        }),
        Command::Eval(EvalCommand::Evidence {
            files,
            reuters,
            json,
            verbose,
            model,
        }) => models::comparer(&model)
            .and_then(|c| eval_evidence::run(&files, reuters.as_ref(), json, verbose, &c)),
        Command::Eval(EvalCommand::Sts { file, json, model }) => {
            models::eval_sts(&file, json, &model)
        }
        Command::Index(args) => index_cmd::index(args),
        Command::Check(args) => index_cmd::check(args),
        Command::Scan(args) => scan_cmd::scan(args),
        Command::Stats(args) => index_cmd::stats(args),
        Command::Serve(args) => serve_cmd::serve(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("retrace: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn extract(args: ExtractArgs) -> Result<(), Failure> {
    if args.inputs.iter().filter(|s| *s == "-").count() > 1 {
        return Err(Failure::input("only one input can be read from stdin (-)"));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &args.inputs {
        let doc = input::read_document(path)?;
        for w in &doc.warnings {
            eprintln!("retrace: warning: {w}");
        }
        let res = if args.json {
            let line = serde_json::json!({
                "id": doc.id, "text": doc.text, "format": doc.format, "encoding": doc.encoding,
            });
            writeln!(out, "{line}")
        } else {
            if args.inputs.len() > 1 {
                let _ = writeln!(
                    out,
                    "==> {} ({:?}, {}) <==",
                    doc.id, doc.format, doc.encoding
                );
            }
            writeln!(out, "{}", doc.text)
        };
        match res {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => {
                return Err(Failure {
                    code: 1,
                    message: format!("cannot write output: {e}"),
                })
            }
        }
    }
    Ok(())
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
    let comparer = models::comparer(&args.model)?;
    let mut report = comparer.compare(&suspect, &sources);
    if args.min_confidence > 0.0 {
        report
            .sources
            .retain(|s| s.confidence >= args.min_confidence);
        report.update_verdict();
    }
    if let Some(path) = &args.html {
        write_html(path, &report, &suspect, &sources)?;
    }
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

/// Writes the self-contained HTML report (the web UI's view) to `path`.
pub fn write_html(
    path: &std::path::Path,
    report: &retrace::Report,
    suspect: &retrace::Document,
    sources: &[retrace::Document],
) -> Result<(), Failure> {
    let texts = retrace_web::ReportTexts {
        query: suspect.text.clone(),
        sources: report
            .sources
            .iter()
            .filter_map(|s| {
                let doc = sources.iter().find(|d| d.id == s.id)?;
                Some((s.id.clone(), doc.text.clone()))
            })
            .collect(),
    };
    let html = retrace_web::standalone_report(report, &texts);
    let mut f = std::fs::File::create(path)
        .map_err(|e| Failure::input(format!("cannot write {}: {e}", path.display())))?;
    f.write_all(html.as_bytes())
        .and_then(|_| f.flush())
        .map_err(|e| Failure {
            code: 1,
            message: format!("cannot write {}: {e}", path.display()),
        })
}
