//! `Idempotency-Key` on POST: a client that retries a POST (after a timeout, say) gets the
//! answer of the first attempt instead of a second product.
//!
//! The key is per member. The request is fingerprinted as SHA-256 of method, path and body: the
//! same key with the same request replays the stored 2xx answer exactly (status, body, ETag,
//! Location, plus `Idempotent-Replayed: true`); the same key with another request is 422
//! `idempotency_mismatch`. Only 2xx answers are stored, so a refused request may be retried.
//! Secrets in an answer (a new token, an invitation link) are removed before storing: a replay
//! does not show them again. Password routes do not take part (the fingerprint would be an
//! unsalted hash of the password).
//!
//! Three steps, because the API's middleware has no application state of its own: the
//! middleware fingerprints the request ([`prepare`]), the `Caller` extractor, once it knows the
//! member, looks the key up ([`lookup`]), and the middleware stores a 2xx answer ([`remember`]).

use super::problem::ApiError;
use super::SecretFields;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use phare_domain::{ErrorCode, MemberId};
use phare_store::IdempotentResponse;
use sha2::{Digest, Sha256};

pub const HEADER: &str = "idempotency-key";
pub const MAX_KEY_LEN: usize = 255;
/// Answers larger than this are not stored (none of ours comes close).
const MAX_STORED_BODY: usize = 256 * 1024;

/// A POST that carries a key: the key and the request's fingerprint.
#[derive(Clone, Debug)]
pub struct Keyed {
    pub key: String,
    pub fingerprint: String,
}

/// Marks a replayed answer, so it is not stored again.
#[derive(Clone, Copy, Debug)]
struct Replayed;

fn takes_part(req: &Request) -> bool {
    req.method() == Method::POST && !req.uri().path().ends_with("/password")
}

/// Checks the key and fingerprints the request; the request comes back with its body intact.
pub async fn prepare(req: Request) -> Result<(Request, Option<Keyed>), Response> {
    if !takes_part(&req) {
        return Ok((req, None));
    }
    let Some(raw) = req.headers().get(HEADER) else {
        return Ok((req, None));
    };
    let key = match raw.to_str() {
        Ok(k) if !k.trim().is_empty() && k.len() <= MAX_KEY_LEN => k.trim().to_owned(),
        _ => {
            return Err(ApiError::bad_request()
                .field("Idempotency-Key", "invalid_value")
                .into_response())
        }
    };
    let (parts, body) = req.into_parts();
    // The body is already bounded by the server's body limit.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| ApiError::new(ErrorCode::PayloadTooLarge).into_response())?;
    let mut h = Sha256::new();
    h.update(parts.method.as_str().as_bytes());
    h.update(b"\n");
    h.update(parts.uri.path().as_bytes());
    h.update(b"\n");
    h.update(&bytes);
    let keyed = Keyed {
        key,
        fingerprint: hex::encode(h.finalize()),
    };
    Ok((Request::from_parts(parts, Body::from(bytes)), Some(keyed)))
}

/// `Err(answer)` when this request was already answered (a replay) or the key was used for
/// another request (422).
pub async fn lookup(state: &AppState, member: MemberId, keyed: &Keyed) -> Result<(), Response> {
    match state.phare.store().get_idempotent(member, &keyed.key).await {
        Ok(Some(stored)) if stored.request_hash == keyed.fingerprint => Err(replay(stored)),
        Ok(Some(_)) => Err(ApiError::new(ErrorCode::IdempotencyMismatch).into_response()),
        Ok(None) => Ok(()),
        Err(e) => Err(ApiError::from(phare_core::CoreError::from(e)).into_response()),
    }
}

/// Stores a 2xx answer under the key (without its secrets) and returns it unchanged.
pub async fn remember(state: &AppState, member: MemberId, keyed: Keyed, res: Response) -> Response {
    if !res.status().is_success() || res.extensions().get::<Replayed>().is_some() {
        return res;
    }
    let secrets = res.extensions().get::<SecretFields>().map(|s| s.0);
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_STORED_BODY).await {
        Ok(b) => b,
        Err(_) => return ApiError::new(ErrorCode::Internal).into_response(),
    };
    let header_text = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let record = IdempotentResponse {
        request_hash: keyed.fingerprint,
        status: parts.status.as_u16(),
        body: stored_body(&body, secrets),
        etag: header_text(header::ETAG),
        location: header_text(header::LOCATION),
    };
    if let Err(e) = state
        .phare
        .store()
        .put_idempotent(member, &keyed.key, &record, phare_store::now())
        .await
    {
        // The change is made; failing to remember it only loses the replay.
        tracing::warn!(error = %e, "could not store an idempotent response");
    }
    Response::from_parts(parts, Body::from(body))
}

/// The body to keep: the answer without its secret fields.
fn stored_body(body: &Bytes, secrets: Option<&'static [&'static str]>) -> String {
    let Some(secrets) = secrets else {
        return String::from_utf8_lossy(body).into_owned();
    };
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut o)) => {
            for s in secrets {
                o.remove(*s);
            }
            serde_json::Value::Object(o).to_string()
        }
        _ => String::new(),
    }
}

fn replay(stored: IdempotentResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let has_body = !stored.body.is_empty();
    let mut res = (status, stored.body).into_response();
    res.extensions_mut().insert(Replayed);
    let h = res.headers_mut();
    if has_body {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    if let Some(v) = stored.etag.and_then(|v| HeaderValue::from_str(&v).ok()) {
        h.insert(header::ETAG, v);
    }
    if let Some(v) = stored.location.and_then(|v| HeaderValue::from_str(&v).ok()) {
        h.insert(header::LOCATION, v);
    }
    h.insert("idempotent-replayed", HeaderValue::from_static("true"));
    res
}
