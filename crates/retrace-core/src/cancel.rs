//! Stopping engine work early: a [`Cancel`] flag that a [`Comparer`]
//! checks between its steps (see [`Comparer::with_cancel`]).
//!
//! [`Comparer`]: crate::Comparer
//! [`Comparer::with_cancel`]: crate::Comparer::with_cancel

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A flag shared between the one who may give up on a result (a server
/// whose request timed out) and the engine computing it. Once cancelled, a
/// [`Comparer`](crate::Comparer) holding it stops before each remaining
/// step (embedding a document, aligning a source, reporting) and returns a
/// report without sources: the caller has already given up on it.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A flag not yet set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the flag: work holding it stops at its next step.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the flag is set.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
