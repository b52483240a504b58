//! The OpenAPI 3 description, generated from the handlers' annotations.

use serde_json::{json, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;
use crate::error::{ErrorBody, ErrorDetail};

/// The API's OpenAPI document (`GET /openapi.json`).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "retrace",
        description = "Find where a text came from: check a suspect text against an index of sources, or compare it with given sources. Writes need `Authorization: Bearer <token>`; reads too when the server has a read token."
    ),
    paths(
        api::check::check,
        api::compare::compare,
        api::documents::add,
        api::documents::get,
        api::documents::delete,
        api::system::stats,
        api::system::healthz,
        api::system::metrics,
        api::system::openapi,
    ),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        api::TextInput,
        api::Texts,
        api::ReportResponse,
        api::check::CheckRequest,
        api::compare::CompareRequest,
        api::compare::Suspect,
        api::documents::NewDocument,
        api::documents::DocumentsBody,
        api::documents::AddResponse,
        api::documents::DocumentOutcome,
        api::documents::DocumentResponse,
        api::documents::DeleteResponse,
        api::system::StatsResponse,
        api::system::Health,
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document `GET /openapi.json` serves: [`ApiDoc`] with the rules the
/// handlers enforce that the derived schemas cannot say, so that a request
/// valid by the document is one the server takes (schemathesis found each
/// gap; see crates/retrace-server/README.md): exactly one of `text` and
/// `html`, not blank; no NUL character in a text; sources with a non-empty
/// id, at least one; a document id that is a non-empty string or a number;
/// no empty arrays. One rule stays in prose: distinct source ids (422;
/// scripts/schemathesis/hooks.py renames repeats in generated bodies).
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    if let Some(schemas) = doc.pointer_mut("/components/schemas") {
        constrain(schemas);
    }
    doc
}

/// A text: no NUL character (one is refused as binary data).
const NO_NUL: &str = "^[^\\u0000]*$";
/// A text that is neither blank nor holds a NUL character.
const NOT_BLANK: &str = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$";

fn constrain(schemas: &mut Value) {
    let not_blank = json!({"type": "string", "pattern": NOT_BLANK});
    // `text` xor `html` (the other absent or null), the one given not blank
    let one_of_text_html = json!([
        {"required": ["text"], "properties": {"text": not_blank, "html": {"type": "null"}}},
        {"required": ["html"], "properties": {"html": not_blank, "text": {"type": "null"}}},
    ]);
    for name in ["TextInput", "CheckRequest"] {
        if let Some(Value::Object(o)) = schemas.get_mut(name) {
            o.insert("oneOf".into(), one_of_text_html.clone());
        }
    }
    if let Some(Value::Object(mut source)) = schemas.get("TextInput").cloned() {
        source.insert(
            "description".into(),
            json!("A source: its id (non-empty, distinct among the sources) and its text or HTML."),
        );
        source.insert("required".into(), json!(["id"]));
        if let Some(Value::Object(props)) = source.get_mut("properties") {
            props.insert(
                "id".into(),
                json!({"type": "string", "minLength": 1, "description": "Its id."}),
            );
        }
        if let Value::Object(all) = schemas {
            all.insert("SourceInput".into(), Value::Object(source));
        }
    }
    if let Some(sources) = schemas.pointer_mut("/CompareRequest/properties/sources") {
        sources["items"] = json!({"$ref": "#/components/schemas/SourceInput"});
        sources["minItems"] = json!(1);
        // true of any two sources with one id; distinct ids in general stay in prose
        sources["uniqueItems"] = json!(true);
    }
    if let Some(text) = schemas.pointer_mut("/Suspect/oneOf/0") {
        text["pattern"] = json!(NOT_BLANK);
    }
    if let Some(id) = schemas.pointer_mut("/NewDocument/properties/id") {
        *id = json!({
            "oneOf": [{"type": "string", "minLength": 1}, {"type": "number"}],
            "description": "A non-empty string, or a number (kept as its decimal text).",
        });
    }
    if let Some(text) = schemas.pointer_mut("/NewDocument/properties/text") {
        text["pattern"] = json!(NO_NUL);
    }
    if let Some(many) = schemas.pointer_mut("/DocumentsBody/oneOf/1") {
        many["minItems"] = json!(1);
    }
}
