//! What a server is started with.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use retrace::embed::SentenceEmbedder;
use retrace::Comparer;

/// Default largest request body: 10 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 10 << 20;
/// Default time a request may take before it is answered `503 timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Settings of a server ([`crate::serve`], [`crate::Server::bind`]).
#[derive(Clone)]
pub struct ServeConfig {
    /// The index directory (created when missing or empty).
    pub index_dir: PathBuf,
    /// Address to listen on (port 0: any free port; see
    /// [`crate::Server::local_addr`]).
    pub addr: SocketAddr,
    /// Bearer token that writes (`POST`/`DELETE /v1/documents`) need. `None`:
    /// writes are refused (`401 writes_disabled`) and the index is not
    /// locked for writing.
    pub write_token: Option<String>,
    /// Bearer token that reads need (`None`: reads are open). The write
    /// token is accepted for reads too.
    pub read_token: Option<String>,
    /// Largest request body in bytes (default [`DEFAULT_BODY_LIMIT`]);
    /// larger bodies get `413 payload_too_large`.
    pub body_limit: usize,
    /// Time a request may take (default [`DEFAULT_TIMEOUT`]); slower ones get
    /// `503 timeout` (a write that times out still completes).
    pub timeout: Duration,
    /// Requests handled at once under `/v1` (default: 4 per CPU core, at
    /// least 4); more get `503 overloaded` with `Retry-After: 1` at once.
    pub max_concurrency: usize,
    /// The sentence model the index is built with (`None`: lexical only).
    pub model: Option<Arc<dyn SentenceEmbedder>>,
    /// The comparer `check` and `compare` align with (normally with the same
    /// model).
    pub comparer: Comparer,
    /// The writer commits after this many documents of queued writes...
    pub batch_docs: usize,
    /// ...or once a batch has taken this long (it also commits whenever its
    /// queue is empty).
    pub batch_time: Duration,
}

impl std::fmt::Debug for ServeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeConfig")
            .field("index_dir", &self.index_dir)
            .field("addr", &self.addr)
            .field("write_token", &self.write_token.as_ref().map(|_| "<set>"))
            .field("read_token", &self.read_token.as_ref().map(|_| "<set>"))
            .field("body_limit", &self.body_limit)
            .field("timeout", &self.timeout)
            .field("max_concurrency", &self.max_concurrency)
            .field("model", &self.model.as_ref().map(|m| m.id().to_string()))
            .field("batch_docs", &self.batch_docs)
            .field("batch_time", &self.batch_time)
            .finish()
    }
}

/// Default concurrency cap: 4 per core, at least 4.
pub fn default_max_concurrency() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_mul(4)
        .max(4)
}

impl ServeConfig {
    /// Defaults for an index directory: `127.0.0.1:8080`, no tokens, lexical
    /// only.
    pub fn new(index_dir: impl Into<PathBuf>) -> Self {
        ServeConfig {
            index_dir: index_dir.into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            write_token: None,
            read_token: None,
            body_limit: DEFAULT_BODY_LIMIT,
            timeout: DEFAULT_TIMEOUT,
            max_concurrency: default_max_concurrency(),
            model: None,
            comparer: Comparer::new(),
            batch_docs: 1024,
            batch_time: Duration::from_millis(200),
        }
    }

    /// Uses a sentence model for the index and the comparer.
    pub fn with_model(mut self, model: Arc<dyn SentenceEmbedder>) -> Self {
        self.comparer = self.comparer.with_embedder(model.clone());
        self.model = Some(model);
        self
    }
}
