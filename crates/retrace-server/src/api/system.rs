//! `GET /v1/stats`, `/healthz`, `/metrics` and `/openapi.json`.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::ReadAccess;
use crate::error::{ApiError, ErrorBody};
use crate::state::{blocking, AppState, Slot};

/// Counts and facts about the index (what `retrace stats --json` prints).
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsResponse {
    /// The index directory.
    pub index: String,
    /// Documents stored (each distinct content once).
    pub documents: u64,
    /// Ids recorded as duplicates of a stored document.
    pub duplicates: u64,
    /// Searchable passages.
    pub passages: u64,
    /// Bytes of text of the stored documents.
    pub text_bytes: u64,
    /// Bytes the index takes on disk.
    pub disk_bytes: u64,
    /// `{"id", "dim", "fingerprint"}` of the sentence model, or `null`
    /// (lexical only).
    #[schema(value_type = Option<Object>)]
    pub model: Option<serde_json::Value>,
    /// The index's format version.
    pub format_version: u32,
    /// IVF groups of the semantic channel (0: flat scan).
    pub ivf_lists: usize,
    /// Tantivy segments.
    pub segments: usize,
    /// Whether this server accepts writes (it was given a write token).
    pub writable: bool,
}

/// Counts and facts about the index.
#[utoipa::path(
    get, path = "/v1/stats", tag = "system",
    responses(
        (status = 200, description = "Index statistics", body = StatsResponse),
        (status = 401, description = "Missing or wrong read token", body = ErrorBody),
        (status = 503, description = "Overloaded or timed out (Retry-After)", body = ErrorBody),
    ),
    security((), ("bearer" = []))
)]
pub async fn stats(
    State(st): State<AppState>,
    _auth: ReadAccess,
    slot: Slot,
) -> Result<Json<StatsResponse>, ApiError> {
    let st2 = st.clone();
    blocking(slot, move || {
        let s = st2.0.index.stats()?;
        Ok(Json(StatsResponse {
            index: st2.0.index.dir().display().to_string(),
            documents: s.documents,
            duplicates: s.duplicates,
            passages: s.passages,
            text_bytes: s.text_bytes,
            disk_bytes: s.disk_bytes,
            model: s.model.and_then(|m| serde_json::to_value(m).ok()),
            format_version: s.format_version,
            ivf_lists: s.ivf_lists,
            segments: s.segments,
            writable: st2.0.writer.is_some(),
        }))
    })
    .await
}

/// The answer of `/healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `"ok"`.
    pub status: &'static str,
}

/// Liveness: answers 200 while the server runs (never needs a token).
#[utoipa::path(
    get, path = "/healthz", tag = "system",
    responses((status = 200, description = "The server runs", body = Health))
)]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Prometheus metrics (text exposition format): requests by route and
/// status, latency histogram, requests in flight, commits, documents.
#[utoipa::path(
    get, path = "/metrics", tag = "system",
    responses(
        (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
        (status = 401, description = "Missing or wrong read token", body = ErrorBody),
    ),
    security((), ("bearer" = []))
)]
pub async fn metrics(
    State(st): State<AppState>,
    _auth: ReadAccess,
) -> Result<impl IntoResponse, ApiError> {
    let st2 = st.clone();
    let documents = tokio::task::spawn_blocking(move || st2.0.index.stats().ok())
        .await
        .ok()
        .flatten()
        .map(|s| s.documents);
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        st.0.metrics.render(documents, st.slots_in_use()),
    ))
}

/// This OpenAPI 3 document.
#[utoipa::path(
    get, path = "/openapi.json", tag = "system",
    responses((status = 200, description = "The OpenAPI 3 description of this API", body = Object))
)]
pub async fn openapi() -> impl IntoResponse {
    Json(crate::openapi::document())
}

/// Answers unknown paths.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; see /openapi.json")
}
