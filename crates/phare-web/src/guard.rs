//! Middleware that protects every response: a request id, security headers, and the CSRF
//! check on unsafe methods (Fetch Metadata and Origin, as crates.io and Go 1.25 do).

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Gives each request an id (or keeps a sane incoming one), echoed in `X-Request-Id` and in
/// every log line and audit event, so a person can quote it to an operator.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let incoming = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map(str::to_owned);
    let id = incoming.unwrap_or_else(|| uuid::Uuid::now_v7().simple().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path());
    let mut res = tracing::Instrument::instrument(next.run(req), span).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
    connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; \
    base-uri 'none'; object-src 'none'";

pub async fn security_headers(req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/assets/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !is_asset && !h.contains_key(header::CACHE_CONTROL) {
        // Pages may show private data: never keep them in a shared or back-button cache.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Refuses a cross-site unsafe request. Requests with a bearer token are exempt: a browser
/// never attaches one on its own, so they cannot be forged by another site.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // An API call with neither a bearer token nor a session cookie carries no authority to
    // forge: let it through to get its honest 401.
    let api_without_cookie = req.uri().path().starts_with("/api/")
        && crate::auth::cookie(req.headers(), crate::auth::session_cookie_name(&state)).is_none();
    if unsafe_method
        && crate::auth::bearer(req.headers()).is_none()
        && !api_without_cookie
        && !same_origin(&state, &req)
    {
        tracing::warn!(path = %req.uri().path(), "cross-origin unsafe request refused");
        return crate::error::WebError::forbidden_page(&req).into_response();
    }
    next.run(req).await
}

fn same_origin(state: &AppState, req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `none` is a navigation the user made (typed URL, bookmark): not forgeable.
        if site != "same-origin" && site != "none" {
            return false;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if origin == state.config.origin() {
        return true;
    }
    // Also accept the Host the request was sent to, so a server reached by another name than
    // its base URL (127.0.0.1 vs localhost) keeps working for the same site.
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    !host.is_empty() && (origin == format!("http://{host}") || origin == format!("https://{host}"))
}
