//! `POST /v1/documents`, `GET` and `DELETE /v1/documents/{id}`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;
use retrace::index::input::record_from_json;
use retrace::index::AddOutcome;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AnyJson;
use crate::auth::{ReadAccess, WriteAccess};
use crate::error::{ApiError, ErrorBody};
use crate::state::{blocking, AppState, Slot};

/// A document to index (the fields of a JSON Lines record): every field
/// other than `id` and `text` is kept as its metadata.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)] // the schema of what `record_from_json` reads
pub struct NewDocument {
    /// A non-empty string (or a number).
    pub id: String,
    /// The text (plain text or Markdown).
    pub text: String,
}

/// One document or an array of them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum DocumentsBody {
    /// One document.
    One(NewDocument),
    /// Several, written in order.
    Many(Vec<NewDocument>),
}

/// What happened to one posted document.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentOutcome {
    /// Its id.
    pub id: String,
    /// `added`, `replaced` (the id held other content), `duplicate` (the
    /// content is stored under the id `of`) or `unchanged`.
    pub outcome: &'static str,
    /// For a duplicate: the id its content is stored under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
}

/// The answer to `POST /v1/documents`, once the documents are committed.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddResponse {
    /// New documents.
    pub added: usize,
    /// Ids whose content was replaced.
    pub replaced: usize,
    /// Documents whose content was already stored under another id.
    pub duplicates: usize,
    /// Ids that already held this content.
    pub unchanged: usize,
    /// The ids, in the order posted.
    pub ids: Vec<String>,
    /// One entry per document, in the order posted.
    pub documents: Vec<DocumentOutcome>,
}

/// A stored document.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentResponse {
    /// Its id.
    pub id: String,
    /// Its text (what source offsets in reports refer to).
    pub text: String,
    /// `text`, `markdown` or `html` (the format it was read as).
    pub format: String,
    /// Length of the text in characters.
    pub chars: usize,
    /// The other fields it was posted with (`null` if none).
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
}

/// The answer to `DELETE /v1/documents/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeleteResponse {
    /// Always `true` (an unknown id is answered 404).
    pub deleted: bool,
}

/// Adds one document `{"id", "text", ...metadata}` or a JSON array of them
/// (the fields of JSON Lines indexing); answers once they are committed.
#[utoipa::path(
    post, path = "/v1/documents", tag = "documents",
    request_body = DocumentsBody,
    responses(
        (status = 200, description = "Committed", body = AddResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Missing or wrong write token, or writes disabled", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 422, description = "A record of the wrong shape", body = ErrorBody),
        (status = 503, description = "Overloaded, timed out or shutting down", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn add(
    State(st): State<AppState>,
    _auth: WriteAccess,
    _slot: Slot,
    AnyJson(body): AnyJson,
) -> Result<Json<AddResponse>, ApiError> {
    let Some(writer) = &st.0.writer else {
        return Err(ApiError::writes_disabled());
    };
    let (records, array) = match body {
        serde_json::Value::Array(a) => (a, true),
        v => (vec![v], false),
    };
    if records.is_empty() {
        return Err(ApiError::unprocessable("the array of documents is empty"));
    }
    // checking the records (binary sniffing, UTF-8) is linear work: off the
    // async workers
    let docs = tokio::task::spawn_blocking(move || {
        let mut docs = Vec::with_capacity(records.len());
        for (i, v) in records.into_iter().enumerate() {
            let at = if array {
                format!("documents[{i}]")
            } else {
                "document".to_string()
            };
            let sd = record_from_json(v, &at)?;
            docs.push((sd.doc, sd.meta));
        }
        Ok::<_, ApiError>(docs)
    })
    .await
    .map_err(|e| ApiError::internal(format!("worker failed: {e}")))??;
    let ids: Vec<String> = docs.iter().map(|(d, _)| d.id.clone()).collect();
    let outcomes = writer.add(docs).await?;
    let mut r = AddResponse {
        added: 0,
        replaced: 0,
        duplicates: 0,
        unchanged: 0,
        ids: ids.clone(),
        documents: Vec::with_capacity(ids.len()),
    };
    for (id, o) in ids.into_iter().zip(outcomes) {
        let (outcome, of) = match o {
            AddOutcome::Added => {
                r.added += 1;
                ("added", None)
            }
            AddOutcome::Replaced => {
                r.replaced += 1;
                ("replaced", None)
            }
            AddOutcome::Duplicate { of } => {
                r.duplicates += 1;
                ("duplicate", Some(of))
            }
            AddOutcome::Unchanged => {
                r.unchanged += 1;
                ("unchanged", None)
            }
        };
        r.documents.push(DocumentOutcome { id, outcome, of });
    }
    Ok(Json(r))
}

/// A stored document by id (ids may contain `/`, as such or as `%2F`).
#[utoipa::path(
    get, path = "/v1/documents/{id}", tag = "documents",
    params(("id" = String, Path, description = "The document id")),
    responses(
        (status = 200, description = "The document", body = DocumentResponse),
        (status = 401, description = "Missing or wrong read token", body = ErrorBody),
        (status = 404, description = "No such document", body = ErrorBody),
        (status = 503, description = "Overloaded or timed out (Retry-After)", body = ErrorBody),
    ),
    security((), ("bearer" = []))
)]
pub async fn get(
    State(st): State<AppState>,
    _auth: ReadAccess,
    slot: Slot,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<DocumentResponse>, ApiError> {
    let id = doc_id(id)?;
    let st2 = st.clone();
    blocking(slot, move || {
        let index = &st2.0.index;
        let Some(doc) = index.document(&id)? else {
            return Err(ApiError::not_found(format!("no document {id:?}")));
        };
        let metadata = index.metadata(&id)?;
        let format = serde_json::to_value(doc.format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "text".into());
        Ok(Json(DocumentResponse {
            chars: doc.chars(),
            id: doc.id,
            text: doc.text,
            format,
            metadata,
        }))
    })
    .await
}

/// Removes a document (or a duplicate id); answers once committed.
#[utoipa::path(
    delete, path = "/v1/documents/{id}", tag = "documents",
    params(("id" = String, Path, description = "The document id")),
    responses(
        (status = 200, description = "Deleted and committed", body = DeleteResponse),
        (status = 401, description = "Missing or wrong write token, or writes disabled", body = ErrorBody),
        (status = 404, description = "No such document", body = ErrorBody),
        (status = 503, description = "Overloaded, timed out or shutting down", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn delete(
    State(st): State<AppState>,
    _auth: WriteAccess,
    _slot: Slot,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<DeleteResponse>, ApiError> {
    let id = doc_id(id)?;
    let Some(writer) = &st.0.writer else {
        return Err(ApiError::writes_disabled());
    };
    if writer.delete(id.clone()).await? {
        Ok(Json(DeleteResponse { deleted: true }))
    } else {
        Err(ApiError::not_found(format!("no document {id:?}")))
    }
}

/// The id from the path, or a JSON 400 (e.g. a percent-encoding that is not
/// UTF-8).
fn doc_id(id: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    id.map(|Path(id)| id)
        .map_err(|e| ApiError::bad_request(format!("bad document id: {}", e.body_text())))
}
