//! `POST /v1/check`: find a suspect's sources in the index.

use axum::extract::State;
use axum::Extension;
use axum::Json;
use retrace::index::CheckOptions;
use retrace::Cancel;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{document, ApiJson, ReportResponse};
use crate::auth::ReadAccess;
use crate::error::{ApiError, ErrorBody};
use crate::state::{blocking, AppState, Slot};

/// Most sources a check may ask for.
pub const MAX_TOP: usize = 100;

/// A suspect to check: `text` or `html`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The suspect as plain text (or Markdown).
    #[serde(default)]
    pub text: Option<String>,
    /// The suspect as HTML (reduced to its main text).
    #[serde(default)]
    pub html: Option<String>,
    /// The suspect's id in the report (default `"suspect"`).
    #[serde(default)]
    pub id: Option<String>,
    /// Most sources to report, 1 to 100 (default 5, as `retrace check`).
    #[serde(default, deserialize_with = "integer")]
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub top: Option<usize>,
    /// Least score of a reported source (default 0).
    #[serde(default)]
    pub min_score: Option<f32>,
    /// Also report `related` sources (same topic, not derived); default
    /// false: only `derived` ones, as `retrace check`.
    #[serde(default)]
    pub all: bool,
    /// Least confidence of a reported source (default 0).
    #[serde(default)]
    pub min_confidence: Option<f32>,
    /// Add `texts` (the suspect's text and each reported source's) to the
    /// report.
    #[serde(default)]
    pub include_text: bool,
}

/// An optional count: any JSON number with an integral value (`5`, `5.0`,
/// `5e0`: all integers to JSON Schema), negative or too large for a `usize`
/// kept out by the range check that follows.
fn integer<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    use serde::de::Error;
    let Some(n) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    // a float-to-integer cast saturates: a negative count is 0 and a huge
    // one usize::MAX, both refused by the range check that follows
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 => Ok(Some(f as usize)),
        _ => Err(D::Error::custom(format!(
            "\"top\" must be an integer, not {n}"
        ))),
    }
}

/// Checks a suspect against the index: the report of `retrace check --json`.
#[utoipa::path(
    post, path = "/v1/check", tag = "check",
    request_body = CheckRequest,
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
pub async fn check(
    State(st): State<AppState>,
    _auth: ReadAccess,
    slot: Slot,
    cancel: Option<Extension<Cancel>>,
    ApiJson(req): ApiJson<CheckRequest>,
) -> Result<Json<ReportResponse>, ApiError> {
    let top = req.top.unwrap_or(CheckOptions::default().top);
    if top == 0 || top > MAX_TOP {
        return Err(ApiError::unprocessable(format!(
            "\"top\" must be between 1 and {MAX_TOP}"
        )));
    }
    // a number past f32's range arrives as an infinity: a bound nothing
    // passes (or everything does), not an error
    let min_score = req.min_score.unwrap_or(0.0);
    let min_confidence = req.min_confidence.unwrap_or(0.0);
    let id = req.id.unwrap_or_else(|| "suspect".to_string());
    let limit = st.0.body_limit;
    let opts = CheckOptions {
        top,
        min_score,
        all: req.all,
        min_confidence,
        candidates: (2 * top).max(CheckOptions::default().candidates),
        ..CheckOptions::default()
    };
    let include_text = req.include_text;
    let (text, html) = (req.text, req.html);
    let st2 = st.clone();
    // stops when the request times out or is abandoned
    let comparer = match cancel {
        Some(Extension(c)) => st.0.comparer.clone().with_cancel(c),
        None => st.0.comparer.clone(),
    };
    let r = blocking(slot, move || {
        let doc = document(id, text, html, "suspect", limit)?;
        let checked = st2.0.index.check(&comparer, &doc, &opts)?;
        ReportResponse::new(checked.report, &doc, &checked.sources, include_text)
    })
    .await?;
    Ok(Json(r))
}
