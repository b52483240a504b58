//! `retrace serve`: the HTTP API over an index (see the retrace-server crate).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;

use crate::{models, Failure, ModelArgs};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The index directory (created when missing or empty).
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Address to listen on (port 0: any free port; the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// File holding the bearer token writes need (default: $RETRACE_TOKEN;
    /// without either, writes are refused).
    #[arg(long, value_name = "F")]
    token_file: Option<PathBuf>,
    /// File holding a bearer token reads need too (default:
    /// $RETRACE_READ_TOKEN; without either, reads are open).
    #[arg(long, value_name = "F")]
    read_token_file: Option<PathBuf>,
    /// Largest request body in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = retrace_server::config::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// Seconds a request may take before it is answered 503 (timeout).
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    timeout: f64,
    /// Requests handled at once (default: 4 per core); more get 503 with
    /// Retry-After.
    #[arg(long, value_name = "N")]
    max_concurrency: Option<usize>,
    #[command(flatten)]
    model: ModelArgs,
}

fn token(file: Option<&Path>, env: &str) -> Result<Option<String>, Failure> {
    let t = match file {
        Some(f) => Some(
            std::fs::read_to_string(f)
                .map_err(|e| Failure::input(format!("cannot read {}: {e}", f.display())))?
                .trim()
                .to_string(),
        ),
        None => std::env::var(env).ok().map(|t| t.trim().to_string()),
    };
    match t {
        Some(t) if t.is_empty() => Err(Failure::input(match file {
            Some(f) => format!("{}: the token file is empty", f.display()),
            None => format!("${env} is empty"),
        })),
        t => Ok(t),
    }
}

/// `retrace serve`.
pub fn serve(args: ServeArgs) -> Result<(), Failure> {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(Failure::input(
            "--timeout must be a positive number of seconds",
        ));
    }
    if args.max_concurrency == Some(0) {
        return Err(Failure::input("--max-concurrency must be at least 1"));
    }
    if args.body_limit == 0 {
        return Err(Failure::input("--body-limit must be at least 1"));
    }
    let mut config = retrace_server::ServeConfig::new(&args.index);
    config.addr = args.addr;
    config.write_token = token(args.token_file.as_deref(), "RETRACE_TOKEN")?;
    config.read_token = token(args.read_token_file.as_deref(), "RETRACE_READ_TOKEN")?;
    config.body_limit = args.body_limit;
    config.timeout = Duration::from_secs_f64(args.timeout);
    if let Some(n) = args.max_concurrency {
        config.max_concurrency = n;
    }
    config.model = models::embedder(&args.model)?;
    config.comparer = models::comparer(&args.model)?;
    retrace_server::run(config).map_err(|e| match e {
        retrace_server::ServeError::Index(_) | retrace_server::ServeError::Bind { .. } => {
            Failure::input(e)
        }
        retrace_server::ServeError::Io(_) => Failure {
            code: 1,
            message: e.to_string(),
        },
    })
}
