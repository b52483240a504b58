//! The state every handler shares, and running engine work off the async
//! workers.

use std::sync::Arc;
use std::time::Duration;

use retrace::index::Index;
use retrace::Comparer;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::writer::WriterHandle;

/// Shared state of a server: cheap to clone.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub index: Arc<Index>,
    pub comparer: Comparer,
    pub writer: Option<WriterHandle>,
    pub write_token: Option<String>,
    pub read_token: Option<String>,
    pub body_limit: usize,
    pub timeout: Duration,
    pub slots: Arc<Semaphore>,
    pub max_concurrency: usize,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub(crate) fn new(inner: Inner) -> Self {
        AppState(Arc::new(inner))
    }

    /// The index the server reads.
    pub fn index(&self) -> &Arc<Index> {
        &self.0.index
    }

    /// Concurrency slots (busy, total).
    pub fn slots_in_use(&self) -> (usize, usize) {
        let total = self.0.max_concurrency;
        (
            total.saturating_sub(self.0.slots.available_permits()),
            total,
        )
    }

    /// Takes a request slot, or fails at once with `503 overloaded`.
    pub(crate) fn slot(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        self.0
            .slots
            .clone()
            .try_acquire_owned()
            .map_err(|_| ApiError::overloaded())
    }
}

/// Runs CPU-heavy or blocking engine work on tokio's blocking pool, holding
/// the request's slot until the work is done (even if the request timed out
/// meanwhile, so the cap bounds the work, not just the requests).
pub(crate) async fn blocking<T: Send + 'static>(
    slot: Slot,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        f()
    })
    .await
    .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
}

/// A request slot (see [`crate::ServeConfig::max_concurrency`]).
pub struct Slot(#[allow(dead_code)] pub(crate) OwnedSemaphorePermit);
