//! The web UI's static files (from the `retrace-web` crate): `GET /` and
//! `GET /assets/{file}`.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

fn serve(paths: &[&str], cache: &'static str) -> Response {
    match paths.iter().find_map(|p| retrace_web::asset(p)) {
        Some((content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, cache),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            bytes,
        )
            .into_response(),
        None => ApiError::not_found("no such asset").into_response(),
    }
}

/// `GET /`: the UI's page (revalidated on every load, so a new version shows
/// at once).
pub async fn index() -> Response {
    serve(&["index.html"], "no-cache")
}

/// `GET /assets/{file}`: the UI's scripts, styles and images (cached for an
/// hour).
pub async fn asset(Path(file): Path<String>) -> Response {
    if file.split('/').any(|s| s == "..") {
        return ApiError::not_found("no such asset").into_response();
    }
    // the UI crate may key its files as "assets/x" or as "x"
    serve(&[&format!("assets/{file}"), &file], "public, max-age=3600")
}
