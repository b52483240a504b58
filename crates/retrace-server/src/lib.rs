//! # retrace-server: the retrace HTTP API (`retrace serve`)
//!
//! A thin JSON layer over the [`retrace`] engine: check a suspect against an
//! index, compare it with given sources, add, read and delete indexed
//! documents, index statistics, health, Prometheus metrics and an OpenAPI 3
//! description generated from the handlers. The crate's README documents the
//! endpoints, authentication, limits and error codes.
//!
//! ```no_run
//! # async fn demo() -> Result<(), retrace_server::ServeError> {
//! use retrace_server::{Server, ServeConfig};
//! let mut config = ServeConfig::new("my-index");
//! config.addr = "127.0.0.1:0".parse().unwrap();
//! config.write_token = Some("secret".into());
//! let server = Server::bind(config).await?;
//! println!("listening on http://{}", server.local_addr());
//! server.run(retrace_server::shutdown_signal()).await
//! # }
//! ```
//!
//! ## Concurrency
//! Engine work (check, compare, document reads, stats) runs on tokio's
//! blocking pool, never on the async workers, and holds one of
//! [`ServeConfig::max_concurrency`] slots until it is done; a request that
//! finds no free slot is answered `503 overloaded` with `Retry-After: 1` at
//! once. Writes go to one writer thread that batches them into commits; a
//! write is answered after the commit that made it durable and visible.
//! Readers search the last committed snapshot and never wait for the writer.

#![deny(missing_docs)]

pub mod api;
pub mod auth;
pub mod config;
pub mod error;
pub mod metrics;
pub mod openapi;
pub mod state;
pub mod web;
mod writer;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use retrace::index::Index;
use tokio::sync::Semaphore;

pub use config::ServeConfig;
pub use error::ApiError;
pub use state::AppState;

/// Why a server could not start or stopped with an error.
#[derive(Debug)]
pub enum ServeError {
    /// The index could not be opened, created or written.
    Index(retrace::Error),
    /// The address could not be bound.
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Serving failed.
    Io(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Index(e) => write!(f, "{e}"),
            ServeError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            ServeError::Io(e) => write!(f, "server error: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

impl From<retrace::Error> for ServeError {
    fn from(e: retrace::Error) -> Self {
        ServeError::Index(e)
    }
}

/// The API's routes over a state (see [`Server::bind`] for one).
pub fn router(state: AppState) -> Router {
    let limit = state.0.body_limit;
    let v1 = Router::new()
        .route("/v1/check", post(api::check::check))
        .route("/v1/compare", post(api::compare::compare))
        .route("/v1/documents", post(api::documents::add))
        .route(
            "/v1/documents/{*id}",
            get(api::documents::get).delete(api::documents::delete),
        )
        .route("/v1/stats", get(api::system::stats))
        .route_layer(from_fn_with_state(state.clone(), timeout));
    Router::new()
        .merge(v1)
        .route("/healthz", get(api::system::healthz))
        .route("/metrics", get(api::system::metrics))
        .route("/openapi.json", get(api::system::openapi))
        .route("/", get(web::index))
        .route("/assets/{*file}", get(web::asset))
        .fallback(api::system::not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .layer(from_fn_with_state(state.clone(), track))
        .with_state(state)
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take this method; see /openapi.json",
    )
}

/// Answers `503 timeout` when a request takes longer than the limit, and
/// stops the engine work behind it: the handlers compare with a
/// [`Cancel`](retrace::Cancel) flag (a request extension) that is set when
/// the request times out or its client goes away (the future dropped), so
/// no CPU is spent on an answer nobody will read.
async fn timeout(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let limit = st.0.timeout;
    let cancel = retrace::Cancel::new();
    req.extensions_mut().insert(cancel.clone());
    let mut guard = CancelOnDrop(Some(cancel));
    let out = match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => return ApiError::timeout(limit).into_response(),
    };
    guard.0 = None;
    out
}

/// Sets its flag when dropped armed: a request timed out or abandoned.
struct CancelOnDrop(Option<retrace::Cancel>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(c) = &self.0 {
            c.cancel();
        }
    }
}

/// Counts requests by route and status, and their latency.
async fn track(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let method = req.method().to_string();
    let metrics = st.0.metrics.clone();
    let _guard = metrics.start();
    let t = Instant::now();
    let r = next.run(req).await;
    metrics.finish(&method, &route, r.status().as_u16(), t.elapsed());
    r
}

/// How often a server without a write token reloads the index, to see what
/// another process (`retrace index`) commits.
pub const READ_ONLY_RELOAD: std::time::Duration = std::time::Duration::from_secs(5);

/// A server bound to its address, ready to run.
pub struct Server {
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
    state: AppState,
}

impl Server {
    /// Opens (or creates) the index, starts the writer when there is a write
    /// token, and binds the address.
    pub async fn bind(config: ServeConfig) -> Result<Server, ServeError> {
        let write_token = config.write_token.filter(|t| !t.trim().is_empty());
        let read_token = config.read_token.filter(|t| !t.trim().is_empty());
        let dir = config.index_dir.clone();
        let model = config.model.clone();
        let metrics = Arc::new(metrics::Metrics::default());
        let writable = write_token.is_some();
        let (batch_docs, batch_time) = (config.batch_docs, config.batch_time);
        let m2 = metrics.clone();
        let (index, writer) = tokio::task::spawn_blocking(move || {
            let index = Arc::new(Index::open_or_create(&dir, model)?);
            let writer = if writable {
                Some(writer::WriterHandle::start(
                    index.clone(),
                    batch_docs,
                    batch_time,
                    m2,
                )?)
            } else {
                None
            };
            Ok::<_, retrace::Error>((index, writer))
        })
        .await
        .map_err(|e| ServeError::Io(std::io::Error::other(e)))??;
        if writer.is_none() {
            eprintln!("retrace: no write token: writes are refused (set --token-file or RETRACE_TOKEN to accept them)");
        }
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(ServeError::Io)?;
        let state = AppState::new(state::Inner {
            index,
            comparer: config.comparer,
            writer,
            write_token,
            read_token,
            body_limit: config.body_limit,
            timeout: config.timeout,
            slots: Arc::new(Semaphore::new(config.max_concurrency.max(1))),
            max_concurrency: config.max_concurrency.max(1),
            metrics,
        });
        Ok(Server {
            listener,
            addr,
            state,
        })
    }

    /// The address the server listens on (the real port when bound to 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The shared state (for tests and embedding).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes the requests in
    /// flight, commits the writes still queued and stops the writer.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let app = router(self.state.clone());
        // without a writer of its own, another process may write the index:
        // follow its commits
        let follower = self.state.0.writer.is_none().then(|| {
            let index = self.state.0.index.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(READ_ONLY_RELOAD);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    let index = index.clone();
                    if let Ok(Err(e)) = tokio::task::spawn_blocking(move || index.reload()).await {
                        eprintln!("retrace: cannot reload the index: {e}");
                    }
                }
            })
        });
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(ServeError::Io);
        if let Some(f) = follower {
            f.abort();
        }
        let st = self.state.clone();
        let stopped = tokio::task::spawn_blocking(move || match &st.0.writer {
            Some(w) => w.shutdown(),
            None => Ok(()),
        })
        .await
        .map_err(|e| ServeError::Io(std::io::Error::other(e)))?;
        served?;
        stopped.map_err(ServeError::Index)
    }
}

/// Binds, prints `listening on http://ADDR` on stdout, and serves until
/// `shutdown` completes (see [`Server::run`]).
pub async fn serve(
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    use std::io::Write;
    let server = Server::bind(config).await?;
    let mut out = std::io::stdout();
    let _ = writeln!(out, "listening on http://{}", server.local_addr());
    let _ = out.flush();
    server.run(shutdown).await
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// Runs [`serve`] on a new multi-threaded runtime until Ctrl-C or SIGTERM
/// (what `retrace serve` does).
pub fn run(config: ServeConfig) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("retrace-http")
        .build()
        .map_err(ServeError::Io)?;
    rt.block_on(serve(config, shutdown_signal()))
}
