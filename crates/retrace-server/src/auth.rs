//! Bearer tokens, and the per-request extractors that enforce them and the
//! concurrency cap.
//!
//! Handlers list these extractors first, so a request is refused before its
//! body is read.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::state::{AppState, Slot};

/// Proof that the request may read (the read token, or the write token, or
/// no read token is set).
pub struct ReadAccess;

/// Proof that the request may write.
pub struct WriteAccess;

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let Some(v) = parts.headers.get(AUTHORIZATION) else {
        return Err(ApiError::unauthorized(
            "missing \"Authorization: Bearer <token>\" header",
        ));
    };
    let v = v
        .to_str()
        .map_err(|_| ApiError::unauthorized("malformed Authorization header"))?;
    let (scheme, token) = v.split_once(' ').unwrap_or((v, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::unauthorized(
            "expected \"Authorization: Bearer <token>\"",
        ));
    }
    Ok(token.trim())
}

/// Compares in time independent of where the strings differ.
fn same(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl FromRequestParts<AppState> for ReadAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(read) = &state.0.read_token else {
            return Ok(ReadAccess);
        };
        let t = bearer(parts)?;
        let write_ok = state.0.write_token.as_deref().is_some_and(|w| same(t, w));
        if same(t, read) | write_ok {
            Ok(ReadAccess)
        } else {
            Err(ApiError::unauthorized("invalid token"))
        }
    }
}

impl FromRequestParts<AppState> for WriteAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(write) = &state.0.write_token else {
            return Err(ApiError::writes_disabled());
        };
        if same(bearer(parts)?, write) {
            Ok(WriteAccess)
        } else {
            Err(ApiError::unauthorized("invalid token"))
        }
    }
}

impl FromRequestParts<AppState> for Slot {
    type Rejection = ApiError;

    async fn from_request_parts(_parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        state.slot().map(Slot)
    }
}
