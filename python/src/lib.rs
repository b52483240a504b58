//! Python bindings of retrace: the extension module `retrace._retrace`,
//! re-exported by the `retrace` package (`python/retrace/__init__.py`).
//!
//! A thin layer over the facade crate, like the CLI: every report is the
//! engine's own serde JSON (the objects `retrace compare --json`,
//! `check --json`, `scan --jsonl` and `stats --json` print) turned into
//! Python objects by `json.loads`, so the fields are the CLI's exactly.
//! Engine work runs with the GIL released.
//!
//! Everything is behind the `python` feature (which maturin turns on), so
//! that plain `cargo build/test/clippy --workspace` neither needs Python nor
//! links libpython: without it this crate is empty.

#[cfg(feature = "python")]
mod bindings;
