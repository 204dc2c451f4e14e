//! The REST API under `/api/v1`: JSON in and out, personal access tokens (or the browser
//! session), cursor pagination, RFC 9457 problems, ETag/If-Match, `Idempotency-Key` on POST,
//! and the OpenAPI 3.1 document generated from the handlers (`/api/v1/openapi.json`).
//!
//! Handlers read top to bottom: typed extractors → one use case of phare-core → DTO → JSON.
//! This layer never decides who may do what (the core's policy does) and never touches SQL.

mod audit;
mod convert;
mod customers;
// decisions (issue #4)
mod decisions;
pub mod docs;
mod extract;
mod feedback;
mod ideas;
mod idempotency;
mod interchange;
mod invitations;
mod lines;
mod members;
mod portal;
pub mod problem;
mod products;
mod profile;
mod reply;
mod research;
// scoring slice (issue #4)
pub(crate) mod scoring;
mod search;
// specs (issue 4)
mod specs;
// Stakeholder sessions (issue #4 part 3).
mod stakeholders;
mod tokens;
mod workspace;

use crate::guard::RequestId;
use crate::AppState;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use phare_domain::{Locale, MemberId};
use std::sync::{Arc, Mutex};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, Schema, Type,
};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use problem::outer_problems;

/// The API's routes, mounted at `/api/v1` by the application router.
pub fn router() -> Router<AppState> {
    let (routes, _) = documented().split_for_parts();
    routes
        .route("/openapi.json", get(openapi_json))
        .route("/feedback/export", get(interchange::export_feedback))
        .route(
            "/products/{id}/ideas/export",
            get(interchange::export_ideas),
        )
        // specs (issue 4)
        .route("/ideas/{id}/spec/export", get(specs::export_spec))
        .route(
            "/sessions/{id}/results.csv",
            get(stakeholders::sessions_results_csv),
        )
        .fallback(not_found)
        .layer(axum::middleware::from_fn(api_layer))
}

/// The import route, mounted at `/api/v1` with a body limit of its own: its body is a file.
pub fn imports_router() -> Router<AppState> {
    let (routes, _) = imports_documented().split_for_parts();
    routes.layer(axum::middleware::from_fn(api_layer))
}

fn imports_documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(interchange::import))
}

/// Routes documented but served by [`router`] (they are not JSON, so not in `documented`'s
/// typed set; listed here so the document describes them).
fn downloads_documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(interchange::export_feedback))
        .routes(routes!(interchange::export_ideas))
        // specs (issue 4)
        .routes(routes!(specs::export_spec))
        .routes(routes!(stakeholders::sessions_results_csv))
}

/// The viewer at `/api/docs` (outside `/api/v1`, so mounted by the application router).
pub fn docs_router() -> Router<AppState> {
    docs::router()
}

/// Every documented route, with its OpenAPI operation.
fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(products::list, products::create))
        .routes(routes!(products::get, products::update))
        .routes(routes!(products::raci_get, products::raci_set))
        .routes(routes!(lines::list, lines::create))
        .routes(routes!(lines::get, lines::update, lines::delete))
        .routes(routes!(members::list))
        .routes(routes!(members::get, members::update))
        .routes(routes!(members::reset_password))
        .routes(routes!(invitations::list, invitations::create))
        .routes(routes!(invitations::revoke))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(profile::get, profile::update))
        .routes(routes!(profile::change_password))
        .routes(routes!(workspace::get, workspace::update))
        .routes(routes!(audit::list))
        .routes(routes!(feedback::list, feedback::create))
        .routes(routes!(feedback::counts))
        .routes(routes!(feedback::bulk))
        .routes(routes!(feedback::get, feedback::update, feedback::delete))
        .routes(routes!(feedback::ideas))
        .routes(routes!(feedback::product_list, feedback::product_create))
        .routes(routes!(customers::list))
        .routes(routes!(customers::get, customers::update))
        .routes(routes!(ideas::list, ideas::create))
        .routes(routes!(ideas::similar))
        .routes(routes!(ideas::get, ideas::update))
        .routes(routes!(ideas::history))
        .routes(routes!(ideas::evidence_list, ideas::evidence_add))
        .routes(routes!(ideas::evidence_remove))
        .routes(routes!(ideas::merge))
        .routes(routes!(search::search))
        .routes(routes!(portal::get, portal::update))
        .routes(routes!(portal::ideas))
        .routes(routes!(portal::idea_get, portal::idea_update))
        .routes(routes!(portal::comments, portal::comment_create))
        .routes(routes!(portal::comment_visibility))
        .routes(routes!(portal::outbox))
        .routes(routes!(research::personas_list, research::personas_create))
        .routes(routes!(
            research::personas_get,
            research::personas_update,
            research::personas_delete
        ))
        .routes(routes!(research::links_list, research::links_add))
        .routes(routes!(research::links_remove))
        .routes(routes!(research::grid, research::competitors_create))
        .routes(routes!(
            research::competitors_get,
            research::competitors_update,
            research::competitors_delete
        ))
        .routes(routes!(research::capabilities_put))
        .routes(routes!(research::capabilities_delete))
        .routes(routes!(research::rate))
        .routes(routes!(research::notes_list, research::notes_create))
        .routes(routes!(research::notes_get, research::notes_update))
        .routes(routes!(research::capture))
        // decisions (issue #4)
        .routes(routes!(decisions::create, decisions::of_idea))
        .routes(routes!(decisions::list))
        .routes(routes!(decisions::get))
        .routes(routes!(decisions::notifications))
        .routes(routes!(decisions::read_one))
        .routes(routes!(decisions::read_all))
        // specs (issue 4)
        .routes(routes!(specs::get, specs::put))
        .routes(routes!(specs::criterion_state))
        .routes(routes!(specs::versions))
        .routes(routes!(specs::version))
        .routes(routes!(specs::diff))
        .routes(routes!(specs::doc_get, specs::doc_put))
        .routes(routes!(specs::doc_versions))
        .routes(routes!(specs::doc_version))
        // scoring slice (issue #4)
        .routes(routes!(scoring::scores_list))
        .routes(routes!(scoring::scores_put, scoring::scores_delete))
        .routes(routes!(scoring::scoring_get, scoring::scoring_put))
        .routes(routes!(scoring::backlog))
        .routes(routes!(scoring::move_idea))
        .routes(routes!(scoring::bulk_status))
        .routes(routes!(scoring::matrix))
        .routes(routes!(scoring::views_list, scoring::views_create))
        .routes(routes!(
            scoring::views_get,
            scoring::views_update,
            scoring::views_delete
        ))
        // Stakeholder sessions.
        .routes(routes!(
            stakeholders::groups_list,
            stakeholders::groups_create
        ))
        .routes(routes!(
            stakeholders::groups_update,
            stakeholders::groups_delete
        ))
        .routes(routes!(
            stakeholders::sessions_list,
            stakeholders::sessions_create
        ))
        .routes(routes!(stakeholders::sessions_get))
        .routes(routes!(stakeholders::sessions_ideas))
        .routes(routes!(
            stakeholders::invitations_list,
            stakeholders::invitations_add
        ))
        .routes(routes!(stakeholders::sessions_open))
        .routes(routes!(stakeholders::sessions_close))
        .routes(routes!(stakeholders::sessions_results))
        .routes(routes!(stakeholders::ballot_get, stakeholders::ballot_put))
}

/// The OpenAPI 3.1 document, as served and as committed in `openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = documented()
        .merge(imports_documented())
        .merge(downloads_documented())
        .split_for_parts();
    Conventions.modify(&mut doc);
    doc
}

/// The document pretty-printed with a final newline: the exact bytes of `openapi.json`.
pub fn openapi_text() -> String {
    let mut s = openapi().to_pretty_json().unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

async fn openapi_json() -> Response {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let body = DOC.get_or_init(openapi_text).clone();
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

async fn not_found() -> Response {
    problem::ApiError::not_found().into_response()
}

/// Tells the idempotency step which fields of an answer are secrets never to be stored.
#[derive(Clone, Copy, Debug)]
pub struct SecretFields(pub &'static [&'static str]);

/// Filled by the `Caller` extractor once the member is known, read by [`api_layer`] after the
/// handler: the middleware is built without the application state, so it learns it here.
#[derive(Clone, Default)]
pub(crate) struct Slot(Arc<Mutex<SlotInner>>);

#[derive(Default)]
struct SlotInner {
    state: Option<AppState>,
    member: Option<MemberId>,
    locale: Option<Locale>,
}

impl Slot {
    fn fill(&self, state: &AppState, member: MemberId, locale: Locale) {
        if let Ok(mut s) = self.0.lock() {
            s.state = Some(state.clone());
            s.member = Some(member);
            s.locale = Some(locale);
        }
    }

    fn take(&self) -> (Option<AppState>, Option<MemberId>, Option<Locale>) {
        match self.0.lock() {
            Ok(mut s) => (s.state.take(), s.member.take(), s.locale.take()),
            Err(_) => (None, None, None),
        }
    }
}

/// The API's middleware: fingerprints keyed POSTs, stores their 2xx answers, and renders
/// every error answer as a translated problem.
async fn api_layer(req: Request, next: Next) -> Response {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let header_locale = crate::auth::pick_locale(req.headers(), None);
    let (mut req, keyed) = match idempotency::prepare(req).await {
        Ok(v) => v,
        Err(res) => return problem::render(res, header_locale, &request_id),
    };
    let slot = Slot::default();
    req.extensions_mut().insert(slot.clone());
    if let Some(k) = &keyed {
        req.extensions_mut().insert(k.clone());
    }
    let mut res = next.run(req).await;
    let (state, member, locale) = slot.take();
    if let (Some(k), Some(state), Some(member)) = (keyed, state, member) {
        res = idempotency::remember(&state, member, k, res).await;
    }
    let needs_problem = res.extensions().get::<problem::ProblemSpec>().is_some()
        || (res.status().as_u16() >= 400 && !problem::is_problem(&res));
    if needs_problem {
        problem::render(res, locale.unwrap_or(header_locale), &request_id)
    } else {
        res
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Phare API",
        version = "1",
        description = "Phare's REST API. Authenticate with a personal access token \
            (`Authorization: Bearer <token>`). Lists are paginated with `limit` and `cursor` \
            (`next_cursor`, and a `Link: rel=\"next\"` header). Versioned resources carry an \
            `ETag`; changing or deleting one requires `If-Match` (428 without, 412 when \
            stale). POST honours `Idempotency-Key`. Errors are RFC 9457 problems \
            (`application/problem+json`) with a stable `code`. Times are RFC 3339, UTC.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    servers((url = "/api/v1")),
    security(("bearer" = [])),
    tags(
        (name = "products", description = "Products and their RACI tables"),
        (name = "product-lines", description = "Product lines (the portfolio)"),
        (name = "members", description = "Members of the workspace"),
        (name = "invitations", description = "Invitations to join the workspace"),
        (name = "tokens", description = "One's own personal access tokens"),
        (name = "profile", description = "One's own profile and password"),
        (name = "workspace", description = "The workspace"),
        (name = "audit", description = "The audit trail"),
        (name = "feedback", description = "Feedback and the inbox"),
        (name = "customers", description = "Customers who give feedback"),
        (name = "ideas", description = "Ideas as user stories, their evidence and merges"),
        (name = "search", description = "Search across feedback and ideas"),
        (name = "portal", description = "The public portal: settings, moderation, comments, the outbox"),
        (name = "research", description = "Personas, competitors and the comparison grid, research notes"),
        (name = "decisions", description = "The decision log (accept, decline, defer, merge) and members' notifications"),
        (name = "imports", description = "Importing files from other tools, exporting CSV, XLSX, JSON"),
        (name = "specs", description = "Specs with acceptance criteria, their versions and exports; feature documentation"),
        (name = "scoring", description = "Scores with their breakdowns, scoring settings, the ranked backlog, moves, saved views, the value/effort matrix"),
        (name = "stakeholders", description = "Stakeholder groups and weights, prioritization sessions, ballots, results"),
    ),
    // Enums that only appear as query parameters are not collected from the handlers: named
    // here so that every `$ref` of the document resolves (a test checks it).
    components(schemas(
        phare_api_types::Problem,
        phare_api_types::ProblemField,
        phare_api_types::CsvDelimiter,
        phare_api_types::ExportFormat,
        phare_api_types::SpecExportFormat
    ))
)]
struct ApiDoc;

/// Adds what every operation shares, so handlers document only their own answer: the bearer
/// scheme, the problem answers each kind of operation can give, and `Idempotency-Key` on POST.
struct Conventions;

/// (status, component name, description)
const PROBLEMS: &[(&str, &str, &str)] = &[
    (
        "400",
        "BadRequest",
        "Malformed request: not JSON, nested too deep, a bad query parameter or header",
    ),
    (
        "401",
        "Unauthenticated",
        "No valid credential; the answer carries `WWW-Authenticate: Bearer`",
    ),
    (
        "403",
        "Forbidden",
        "The caller's role or the token's scopes do not allow this",
    ),
    (
        "404",
        "NotFound",
        "No such resource in the caller's workspace (or the id is not a UUID)",
    ),
    ("409", "Conflict", "A unique value is already taken"),
    (
        "412",
        "PreconditionFailed",
        "`If-Match` does not match the current version (code `version_conflict`)",
    ),
    (
        "413",
        "PayloadTooLarge",
        "The body is larger than the server accepts",
    ),
    (
        "415",
        "UnsupportedMediaType",
        "The body is not `application/json`",
    ),
    (
        "422",
        "Unprocessable",
        "Invalid or unknown fields (codes `validation`, `unknown_field`, `idempotency_mismatch`)",
    ),
    ("428", "PreconditionRequired", "`If-Match` is required"),
    (
        "429",
        "TooManyRequests",
        "Too many requests; the answer carries `Retry-After`",
    ),
    (
        "503",
        "Unavailable",
        "The database cannot be reached; retry later",
    ),
    (
        "default",
        "Problem",
        "Any other error, as a problem document",
    ),
];

impl Modify for Conventions {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc
            .components
            .get_or_insert_with(utoipa::openapi::Components::new);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        for (_, name, description) in PROBLEMS {
            let response = ResponseBuilder::new()
                .description(*description)
                .content(
                    problem::PROBLEM_JSON,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build();
            components
                .responses
                .insert((*name).to_owned(), RefOr::T(response));
        }
        for (path, item) in doc.paths.paths.iter_mut() {
            let has_id = path.contains('{');
            let ops = [
                (&mut item.get, "get"),
                (&mut item.post, "post"),
                (&mut item.put, "put"),
                (&mut item.patch, "patch"),
                (&mut item.delete, "delete"),
            ];
            for (op, method) in ops {
                let Some(op) = op.as_mut() else { continue };
                let has_body = op.request_body.is_some();
                let if_match = op.parameters.iter().flatten().any(|p| p.name == "If-Match");
                let mut wanted = vec!["400", "401", "403", "429", "503", "default"];
                if has_id || if_match {
                    wanted.push("404");
                }
                if has_body {
                    wanted.extend(["409", "413", "415", "422"]);
                }
                if if_match {
                    wanted.extend(["412", "428"]);
                }
                if method == "post" && !path.ends_with("/password") {
                    wanted.push("422");
                    op.parameters
                        .get_or_insert_with(Vec::new)
                        .push(idempotency_parameter());
                }
                for status in wanted {
                    if let Some((_, name, _)) = PROBLEMS.iter().find(|(s, _, _)| *s == status) {
                        op.responses
                            .responses
                            .entry(status.to_owned())
                            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
                    }
                }
            }
        }
    }
}

fn idempotency_parameter() -> Parameter {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(idempotency::MAX_KEY_LEN))
        .build();
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Any unique string (≤ 255 characters). Repeating the same request with the same \
             key replays the first answer (`Idempotent-Replayed: true`); reusing a key for \
             another request is 422 `idempotency_mismatch`.",
        ))
        .schema(Some(RefOr::T(Schema::Object(schema))))
        .build()
}
