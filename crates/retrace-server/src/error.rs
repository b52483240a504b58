//! API errors: every failure is answered `{"error": {"code", "message"}}`
//! with its status.

use axum::extract::rejection::JsonRejection;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error answered to a client.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code (`bad_request`, `unauthorized`, ...).
    pub code: &'static str,
    /// One line for a person.
    pub message: String,
}

/// The JSON body of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable: `bad_request` (400), `unauthorized` (401),
    /// `writes_disabled` (401), `not_found` (404), `method_not_allowed`
    /// (405), `payload_too_large` (413), `unsupported_media_type` (415),
    /// `unprocessable` (422), `internal` (500), `overloaded` (503),
    /// `timeout` (503), `shutting_down` (503).
    pub code: String,
    /// Human-readable detail.
    pub message: String,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    /// 400 `bad_request`: malformed JSON.
    pub fn bad_request(m: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", m)
    }
    /// 401 `unauthorized`: a missing or wrong bearer token.
    pub fn unauthorized(m: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", m)
    }
    /// 401 `writes_disabled`: the server was started without a write token.
    pub fn writes_disabled() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "writes_disabled",
            "this server was started without a write token (--token-file or RETRACE_TOKEN): writes are refused",
        )
    }
    /// 404 `not_found`.
    pub fn not_found(m: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", m)
    }
    /// 413 `payload_too_large`.
    pub fn payload_too_large(m: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", m)
    }
    /// 415 `unsupported_media_type`.
    pub fn unsupported_media_type(m: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            m,
        )
    }
    /// 422 `unprocessable`: valid JSON of the wrong shape or content.
    pub fn unprocessable(m: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", m)
    }
    /// 500 `internal`.
    pub fn internal(m: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", m)
    }
    /// 503 `overloaded`: every request slot is taken (with `Retry-After: 1`).
    pub fn overloaded() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "the server is handling as many requests as it is allowed to; retry shortly",
        )
    }
    /// 503 `timeout`: the request took longer than the server's timeout.
    pub fn timeout(limit: std::time::Duration) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the request took longer than the server's limit of {:.1} s",
                limit.as_secs_f64()
            ),
        )
    }
    /// 503 `shutting_down`.
    pub fn shutting_down() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "the server is shutting down",
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        let mut r = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let message = r.body_text();
        match r.status() {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::unsupported_media_type(
                "expected a JSON body with Content-Type: application/json",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => Self::payload_too_large(message),
            StatusCode::UNPROCESSABLE_ENTITY => Self::unprocessable(message),
            StatusCode::BAD_REQUEST => Self::bad_request(message),
            s => Self::new(s, "bad_request", message),
        }
    }
}

impl From<retrace::EngineError> for ApiError {
    fn from(e: retrace::EngineError) -> Self {
        use retrace::EngineError as E;
        match &e {
            E::Binary { .. } | E::TooLarge { .. } | E::Format(_) => {
                Self::unprocessable(e.to_string())
            }
            _ => Self::internal(e.to_string()),
        }
    }
}

impl From<retrace::Error> for ApiError {
    fn from(e: retrace::Error) -> Self {
        match e {
            retrace::Error::Engine(e) => e.into(),
            e => Self::internal(e.to_string()),
        }
    }
}
