//! `POST /v1/compare`: align a suspect with sources given in the request.

use std::collections::HashSet;

use axum::extract::State;
use axum::Extension;
use axum::Json;
use retrace::Cancel;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{document, ApiJson, ReportResponse, TextInput};
use crate::auth::ReadAccess;
use crate::error::{ApiError, ErrorBody};
use crate::state::{blocking, AppState, Slot};

/// The suspect: a plain-text string, or `{"id", "text" | "html"}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Suspect {
    /// Plain text (id `"suspect"`).
    Text(String),
    /// Text or HTML with an optional id.
    Input(TextInput),
}

/// A suspect and its candidate sources.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    /// The suspect.
    pub suspect: Suspect,
    /// Candidate sources, each `{"id", "text" | "html"}` with a distinct id.
    pub sources: Vec<TextInput>,
    /// Add `texts` (the suspect's text and each reported source's) to the
    /// report.
    #[serde(default)]
    pub include_text: bool,
}

/// Compares a suspect with the sources given: the report of `retrace compare --json`.
#[utoipa::path(
    post, path = "/v1/compare", tag = "check",
    request_body = CompareRequest,
    responses(
        (status = 200, description = "The report", body = ReportResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Missing or wrong read token", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 422, description = "Wrong shape or content", body = ErrorBody),
        (status = 503, description = "Overloaded or timed out (Retry-After)", body = ErrorBody),
    ),
    security((), ("bearer" = []))
)]
pub async fn compare(
    State(st): State<AppState>,
    _auth: ReadAccess,
    slot: Slot,
    cancel: Option<Extension<Cancel>>,
    ApiJson(req): ApiJson<CompareRequest>,
) -> Result<Json<ReportResponse>, ApiError> {
    if req.sources.is_empty() {
        return Err(ApiError::unprocessable("\"sources\" is empty"));
    }
    let mut seen = HashSet::new();
    for (i, s) in req.sources.iter().enumerate() {
        match &s.id {
            Some(id) if !id.is_empty() => {
                if !seen.insert(id.clone()) {
                    return Err(ApiError::unprocessable(format!(
                        "sources[{i}]: id {id:?} is given twice"
                    )));
                }
            }
            _ => {
                return Err(ApiError::unprocessable(format!(
                    "sources[{i}]: missing \"id\" (a non-empty string)"
                )))
            }
        }
    }
    let limit = st.0.body_limit;
    // stops when the request times out or is abandoned
    let comparer = match cancel {
        Some(Extension(c)) => st.0.comparer.clone().with_cancel(c),
        None => st.0.comparer.clone(),
    };
    let r = blocking(slot, move || {
        let suspect = match req.suspect {
            Suspect::Text(t) => document("suspect".into(), Some(t), None, "suspect", limit)?,
            Suspect::Input(i) => document(
                i.id.unwrap_or_else(|| "suspect".into()),
                i.text,
                i.html,
                "suspect",
                limit,
            )?,
        };
        let mut sources = Vec::with_capacity(req.sources.len());
        for (i, s) in req.sources.into_iter().enumerate() {
            let id = s.id.unwrap_or_default();
            sources.push(document(
                id,
                s.text,
                s.html,
                &format!("sources[{i}]"),
                limit,
            )?);
        }
        let report = comparer.compare(&suspect, &sources);
        ReportResponse::new(report, &suspect, &sources, req.include_text)
    })
    .await?;
    Ok(Json(r))
}
