//! Errors of the API as RFC 9457 `application/problem+json`, translated.
//!
//! A handler returns an [`ApiError`]; its response carries only the status and a
//! [`ProblemSpec`] extension. The API's middleware (`super::api_layer`), which knows the
//! request (its language and id), renders the body. The same middleware turns every other error response
//! that reaches it without a problem body (axum's 405, a rejection, a 413 from the body limit)
//! into one, so no API error path answers in plain text or HTML.
//!
//! Internals (`CoreError::internal`) are logged with the request id, never put in a body.

use crate::auth;
use crate::guard::RequestId;
use crate::i18n::L10n;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use phare_api_types::{Problem, ProblemField};
use phare_core::CoreError;
use phare_domain::{ErrorCode, Locale};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An API error: a stable code, the status to answer with, and field errors.
#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub status: StatusCode,
    /// (field, field-error code) pairs; messages are translated at render time.
    pub fields: Vec<(String, String)>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// The error for a code, with the status the code maps to in the API.
    pub fn new(code: ErrorCode) -> Self {
        Self {
            code,
            status: api_status(code),
            fields: Vec::new(),
            retry_after: None,
        }
    }

    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub fn field(mut self, field: impl Into<String>, code: impl Into<String>) -> Self {
        self.fields.push((field.into(), code.into()));
        self
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound)
    }

    pub fn bad_request() -> Self {
        Self::new(ErrorCode::BadRequest)
    }
}

/// The API answers a version conflict with 412 (the client's `If-Match` did not match); the
/// pages answer 409 with a conflict page. Every other code keeps its usual status.
pub fn api_status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::VersionConflict => StatusCode::PRECONDITION_FAILED,
        other => {
            StatusCode::from_u16(other.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        if matches!(e.code, ErrorCode::Internal | ErrorCode::Unavailable) {
            tracing::error!(code = %e.code, internal = %e.internal, "api request failed");
        }
        Self {
            code: e.code,
            status: api_status(e.code),
            fields: e
                .fields
                .into_iter()
                .map(|f| (f.field, f.code.to_owned()))
                .collect(),
            retry_after: e.retry_after,
        }
    }
}

/// What the middleware needs to render a problem body.
#[derive(Clone, Debug)]
pub struct ProblemSpec {
    pub code: ErrorCode,
    pub fields: Vec<(String, String)>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = self.status.into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res.extensions_mut().insert(ProblemSpec {
            code: self.code,
            fields: self.fields,
        });
        res
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The code for an error response that carries none (produced outside our handlers).
fn code_for_status(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        409 => ErrorCode::Duplicate,
        412 => ErrorCode::VersionConflict,
        413 => ErrorCode::PayloadTooLarge,
        422 => ErrorCode::Validation,
        428 => ErrorCode::PreconditionRequired,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::Unavailable,
        s if s >= 500 => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    }
}

/// Builds the problem document for a code in a language.
pub fn problem_body(
    status: StatusCode,
    code: ErrorCode,
    fields: &[(String, String)],
    l: L10n,
    request_id: &str,
) -> Problem {
    Problem {
        kind: format!("urn:phare:problem:{code}"),
        title: l.t(&format!("error-{code}-title")),
        status: status.as_u16(),
        detail: l.t(&format!("error-{code}")),
        code: code.as_str().to_owned(),
        errors: fields
            .iter()
            .map(|(field, c)| ProblemField {
                field: field.clone(),
                code: c.clone(),
                message: field_message(l, c),
            })
            .collect(),
        request_id: request_id.to_owned(),
    }
}

fn field_message(l: L10n, code: &str) -> String {
    let key = format!("field-{code}");
    if l.has(&key) {
        l.t(&key)
    } else {
        l.t("field-invalid_value")
    }
}

pub fn is_problem(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON))
}

/// Renders a problem response in place of `res`, keeping its status and headers (`Allow`,
/// `Retry-After`, `WWW-Authenticate`).
pub fn render(res: Response, locale: Locale, request_id: &str) -> Response {
    let spec = res.extensions().get::<ProblemSpec>().cloned();
    let status = res.status();
    let (code, fields) = match spec {
        Some(s) => (s.code, s.fields),
        None => (code_for_status(status), Vec::new()),
    };
    let body = problem_body(status, code, &fields, L10n::new(locale), request_id);
    let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
    let (mut parts, _) = res.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    if status == StatusCode::UNAUTHORIZED {
        parts
            .headers
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    Response::from_parts(parts, axum::body::Body::from(json))
}

/// For the outermost layer of the app (outside the body limit): a 413 answered before any
/// router ran, for an API path, becomes a problem too. See the API notes for wiring.
pub async fn outer_problems(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    // Only API answers are rewritten: read their language and request id, nothing for pages.
    let context = api.then(|| {
        let request_id = req
            .extensions()
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        (auth::pick_locale(req.headers(), None), request_id)
    });
    let res = next.run(req).await;
    match context {
        Some((locale, request_id)) if res.status().as_u16() >= 400 && !is_problem(&res) => {
            render(res, locale, &request_id)
        }
        _ => res,
    }
}
