//! The single writer: one thread owns the index's `IndexWriter`; requests
//! send it jobs over a channel and wait for the commit that makes their
//! change durable and visible.
//!
//! Batching: the thread takes a job, then every job already queued (up to
//! [`ServeConfig::batch_docs`](crate::ServeConfig) documents or
//! [`ServeConfig::batch_time`](crate::ServeConfig)), applies them in order,
//! commits once, and only then answers each job. Readers never wait for it:
//! they search the last committed snapshot, which a commit swaps atomically.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use retrace::index::{AddOutcome, Index, WriterOptions};
use retrace::Document;
use tokio::sync::oneshot;

use crate::error::ApiError;
use crate::metrics::Metrics;

type Docs = Vec<(Document, Option<serde_json::Value>)>;

enum Job {
    Add {
        docs: Docs,
        reply: oneshot::Sender<Result<Vec<AddOutcome>, String>>,
    },
    Delete {
        id: String,
        reply: oneshot::Sender<Result<bool, String>>,
    },
}

/// The handle requests use to reach the writer thread.
pub struct WriterHandle {
    tx: Mutex<Option<Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<retrace::Result<()>>>>,
}

impl WriterHandle {
    /// Starts the writer thread; fails when the index cannot be written
    /// (e.g. another process holds its write lock).
    pub fn start(
        index: Arc<Index>,
        batch_docs: usize,
        batch_time: Duration,
        metrics: Arc<Metrics>,
    ) -> retrace::Result<WriterHandle> {
        let (tx, rx) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = mpsc::sync_channel::<retrace::Result<()>>(1);
        let thread = std::thread::Builder::new()
            .name("retrace-writer".into())
            .spawn(move || {
                run(
                    &index,
                    rx,
                    ready_tx,
                    batch_docs.max(1),
                    batch_time,
                    &metrics,
                )
            })
            .map_err(|e| {
                retrace::Error::from(retrace::EngineError::Format(format!(
                    "cannot start the writer thread: {e}"
                )))
            })?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(WriterHandle {
                tx: Mutex::new(Some(tx)),
                thread: Mutex::new(Some(thread)),
            }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => Err(match thread.join() {
                Ok(Err(e)) => e,
                _ => retrace::Error::from(retrace::EngineError::Format(
                    "the writer thread failed to start".into(),
                )),
            }),
        }
    }

    fn send(&self, job: Job) -> Result<(), ApiError> {
        let guard = self
            .tx
            .lock()
            .map_err(|_| ApiError::internal("writer lock poisoned"))?;
        match guard.as_ref() {
            Some(tx) => tx.send(job).map_err(|_| ApiError::shutting_down()),
            None => Err(ApiError::shutting_down()),
        }
    }

    /// Adds documents; returns after the commit that holds them.
    pub async fn add(&self, docs: Docs) -> Result<Vec<AddOutcome>, ApiError> {
        let (reply, rx) = oneshot::channel();
        self.send(Job::Add { docs, reply })?;
        rx.await
            .map_err(|_| ApiError::shutting_down())?
            .map_err(ApiError::internal)
    }

    /// Deletes a document; returns whether it existed, after the commit.
    pub async fn delete(&self, id: String) -> Result<bool, ApiError> {
        let (reply, rx) = oneshot::channel();
        self.send(Job::Delete { id, reply })?;
        rx.await
            .map_err(|_| ApiError::shutting_down())?
            .map_err(ApiError::internal)
    }

    /// Stops taking jobs, lets the thread apply and commit every queued one,
    /// and waits for it (blocking).
    pub fn shutdown(&self) -> retrace::Result<()> {
        if let Ok(mut g) = self.tx.lock() {
            g.take();
        }
        let thread = self.thread.lock().ok().and_then(|mut g| g.take());
        match thread.map(JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(retrace::Error::from(retrace::EngineError::Format(
                "the writer thread panicked".into(),
            ))),
            None => Ok(()),
        }
    }
}

enum Reply {
    Add(
        oneshot::Sender<Result<Vec<AddOutcome>, String>>,
        Result<Vec<AddOutcome>, String>,
    ),
    Delete(oneshot::Sender<Result<bool, String>>, Result<bool, String>),
}

fn run(
    index: &Index,
    rx: Receiver<Job>,
    ready: mpsc::SyncSender<retrace::Result<()>>,
    batch_docs: usize,
    batch_time: Duration,
    metrics: &Metrics,
) -> retrace::Result<()> {
    let mut w = match index.writer(WriterOptions::default()) {
        Ok(w) => {
            let _ = ready.send(Ok(()));
            w
        }
        Err(e) => {
            let _ = ready.send(Err(e));
            return Ok(());
        }
    };
    // `recv` fails once the handle dropped its sender and the queue is empty
    while let Ok(first) = rx.recv() {
        let start = Instant::now();
        let mut replies = Vec::new();
        let mut docs = 0usize;
        let mut job = Some(first);
        while let Some(j) = job.take() {
            match j {
                Job::Add { docs: d, reply } => {
                    docs += d.len();
                    let r: Result<Vec<AddOutcome>, String> = w
                        .add_batch(d)
                        .into_iter()
                        .map(|r| r.map_err(|e| e.to_string()))
                        .collect();
                    replies.push(Reply::Add(reply, r));
                }
                Job::Delete { id, reply } => {
                    docs += 1;
                    let r = w.delete(&id).map_err(|e| e.to_string());
                    replies.push(Reply::Delete(reply, r));
                }
            }
            if docs >= batch_docs || start.elapsed() >= batch_time {
                break;
            }
            job = rx.try_recv().ok();
        }
        let committed = w.commit().map_err(|e| format!("commit failed: {e}"));
        metrics.commit(committed.is_ok(), start.elapsed());
        for r in replies {
            match r {
                Reply::Add(tx, r) => {
                    let _ = tx.send(committed.clone().and(r));
                }
                Reply::Delete(tx, r) => {
                    let _ = tx.send(committed.clone().and(r));
                }
            }
        }
    }
    w.finish()
}
