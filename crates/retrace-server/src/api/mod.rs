//! The handlers, one module per resource.

pub mod check;
pub mod compare;
pub mod documents;
pub mod system;

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Request};
use axum::Json;
use retrace::{Document, Format, Report};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// A JSON object body whose rejections are answered as [`ApiError`]s: 415
/// without `Content-Type: application/json`, 400 for malformed JSON, 422
/// for JSON of the wrong shape (not an object, missing or unknown fields),
/// 413 over the body limit.
pub struct ApiJson<T>(pub T);

/// Any JSON body, with the rejections of [`ApiJson`] (the caller checks its
/// shape).
pub struct AnyJson(pub serde_json::Value);

impl<S: Send + Sync> FromRequest<S> for AnyJson {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Json(v) = Json::<serde_json::Value>::from_request(req, state).await?;
        Ok(AnyJson(v))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        // JSON first (malformed: 400), then the shape (wrong: 422), so a
        // truncated body is always a 400 whatever its first field
        let AnyJson(v) = AnyJson::from_request(req, state).await?;
        if !v.is_object() {
            return Err(ApiError::unprocessable("expected a JSON object"));
        }
        serde_json::from_value(v)
            .map(ApiJson)
            .map_err(|e| ApiError::unprocessable(format!("invalid request: {e}")))
    }
}

/// A text given as plain text or as HTML (exactly one of the two).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextInput {
    /// An id (for a suspect: default `"suspect"`; required for sources).
    #[serde(default)]
    pub id: Option<String>,
    /// Plain text (or Markdown).
    #[serde(default)]
    pub text: Option<String>,
    /// HTML: reduced to its main text, which all offsets then refer to.
    #[serde(default)]
    pub html: Option<String>,
}

/// Makes a document of a text or HTML field; `what` names it in errors.
pub(crate) fn document(
    id: String,
    text: Option<String>,
    html: Option<String>,
    what: &str,
    limit: usize,
) -> Result<Document, ApiError> {
    let (body, format) = match (text, html) {
        (Some(_), Some(_)) => {
            return Err(ApiError::unprocessable(format!(
                "{what}: give \"text\" or \"html\", not both"
            )))
        }
        (None, None) => {
            return Err(ApiError::unprocessable(format!(
                "{what}: missing \"text\" (or \"html\")"
            )))
        }
        (Some(t), None) => (t, Format::Text),
        (None, Some(h)) => (h, Format::Html),
    };
    if body.trim().is_empty() {
        return Err(ApiError::unprocessable(format!(
            "{what}: the text is empty"
        )));
    }
    Ok(Document::from_str_limited(id, &body, Some(format), limit)?)
}

/// The texts a report's offsets refer to (`include_text`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Texts {
    /// The suspect text all `query` offsets refer to (for HTML input: the
    /// extracted main text).
    pub query: String,
    /// The text of each reported source, by id.
    pub sources: BTreeMap<String, String>,
}

/// A report: the object `retrace check --json` / `compare --json` prints,
/// plus `texts` when `include_text` was asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportResponse {
    /// `{"id", "chars"}` of the suspect.
    #[schema(value_type = Object)]
    pub query: serde_json::Value,
    /// `derived` when any reported source is, else `related`.
    pub verdict: String,
    /// The verdict model's version.
    pub verdict_model: String,
    /// One sentence a reader can act on ("Derived from X (confidence
    /// 0.97): 94% of the text; ..." or "No source found. Closest: ...").
    pub headline: String,
    /// One entry per reported source, highest score first: `{"id",
    /// "verdict", "confidence", "score", "query_coverage",
    /// "source_coverage", "chars", "passages", "findings"}` (see the README
    /// for the fields).
    #[schema(value_type = Vec<Object>)]
    pub sources: serde_json::Value,
    /// Only with `include_text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub texts: Option<Texts>,
}

impl ReportResponse {
    pub(crate) fn new(
        report: Report,
        query: &Document,
        sources: &[Document],
        include_text: bool,
    ) -> Result<Self, ApiError> {
        let texts = include_text.then(|| Texts {
            query: query.text.clone(),
            sources: report
                .sources
                .iter()
                .filter_map(|s| {
                    sources
                        .iter()
                        .find(|d| d.id == s.id)
                        .map(|d| (d.id.clone(), d.text.clone()))
                })
                .collect(),
        });
        let ser = |e: serde_json::Error| ApiError::internal(format!("cannot serialise: {e}"));
        Ok(ReportResponse {
            query: serde_json::to_value(&report.query).map_err(ser)?,
            verdict: report.verdict.as_str().to_string(),
            verdict_model: report.verdict_model.clone(),
            headline: report.headline.clone(),
            sources: serde_json::to_value(&report.sources).map_err(ser)?,
            texts,
        })
    }
}
