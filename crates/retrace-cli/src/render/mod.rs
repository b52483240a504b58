//! Renderers of the engine's `Report`. They format; they never compute.

pub mod terminal;
