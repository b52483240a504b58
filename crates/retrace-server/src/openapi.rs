//! The OpenAPI 3 description, generated from the handlers' annotations.

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
