//! Extractors of the API. Each one refuses bad input with a problem, never a plain rejection:
//! a body that is not JSON is 400, a JSON body with an unknown field is 422 naming it, a path
//! id that is not a UUID is 404, a missing `If-Match` is 428.

use super::idempotency::{self, Keyed};
use super::problem::ApiError;
use super::Slot;
use crate::auth;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use phare_core::{Actor, RequestMeta};
use phare_domain::ErrorCode;
use phare_store::{Cursor, PageRequest, MAX_PAGE_SIZE};
use serde::de::DeserializeOwned;
use std::str::FromStr;

/// The signed-in actor (bearer token or session cookie) and the request's metadata. Anonymous
/// requests are answered 401 with `WWW-Authenticate: Bearer`. Once the member is known, an
/// `Idempotency-Key` is looked up here: a repeated request is answered with its first answer.
pub struct Caller {
    pub actor: Actor,
    pub meta: RequestMeta,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let actor = auth::resolve(parts, state)
            .await
            .map_err(|e| ApiError::from(e).into_response())?
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated).into_response())?;
        if let Some(slot) = parts.extensions.get::<Slot>() {
            let locale = auth::pick_locale(&parts.headers, Some(&actor));
            slot.fill(state, actor.member.id, locale);
        }
        if let Some(keyed) = parts.extensions.get::<Keyed>() {
            idempotency::lookup(state, actor.member.id, keyed).await?;
        }
        let auth::Meta(meta) = match auth::Meta::from_request_parts(parts, state).await {
            Ok(m) => m,
            Err(never) => match never {},
        };
        Ok(Caller { actor, meta })
    }
}

/// A JSON body, parsed in two steps so each failure gets its right answer: the syntax first
/// (not JSON, truncated, nested deeper than serde_json's recursion limit of 128: 400), then
/// the shape (unknown field: 422 `unknown_field`; wrong type or missing field: 422
/// `validation`), with the path of each refused field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_bytes(req, state).await?;
        parse_json(&bytes, Shape::Object).map(ApiJson)
    }
}

/// A JSON array of objects as the body (a RACI table), refused like [`ApiJson`].
pub struct ApiJsonList<T>(pub Vec<T>);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJsonList<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_bytes(req, state).await?;
        parse_json(&bytes, Shape::ListOfObjects).map(ApiJsonList)
    }
}

/// What the top of a body must be. serde would also fill a struct from a JSON array, field by
/// position (`[null, null]`); the API's schema says object, so anything else is refused.
#[derive(Clone, Copy, PartialEq)]
pub enum Shape {
    Object,
    ListOfObjects,
}

fn has_shape(value: &serde_json::Value, shape: Shape) -> bool {
    match shape {
        Shape::Object => value.is_object(),
        Shape::ListOfObjects => value
            .as_array()
            .is_some_and(|items| items.iter().all(serde_json::Value::is_object)),
    }
}

/// The body of a JSON request: 415 for another media type, 413 past the body limit.
async fn json_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    let json_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
    if !json_type {
        return Err(ApiError::bad_request().with_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(ErrorCode::PayloadTooLarge)
        } else {
            ApiError::bad_request()
        }
    })
}

/// Parses a JSON body into `T`, with the refusals described on [`ApiJson`].
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8], shape: Shape) -> Result<T, ApiError> {
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| ApiError::bad_request())?;
    if !has_shape(&value, shape) {
        return Err(ApiError::new(ErrorCode::Validation).field("body", "invalid_value"));
    }
    // Report every unknown field, not only the first: remove each one serde names and retry.
    let mut unknown: Vec<String> = Vec::new();
    for _ in 0..32 {
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(v) if unknown.is_empty() => return Ok(v),
            Ok(_) => break,
            Err(e) => {
                let path = e.path().to_string();
                let message = e.inner().to_string();
                if let Some(name) = quoted_after(&message, "unknown field `") {
                    let parent = parent_path(&path, &name);
                    let field = if parent.is_empty() {
                        name.clone()
                    } else {
                        format!("{parent}.{name}")
                    };
                    if !remove_at(&mut value, &parent, &name) || unknown.contains(&field) {
                        unknown.push(field);
                        break;
                    }
                    unknown.push(field);
                    continue;
                }
                if !unknown.is_empty() {
                    break;
                }
                let (field, code) = match quoted_after(&message, "missing field `") {
                    Some(name) => (join_path(&path, &name), "required"),
                    None => (path_or_body(&path), "invalid_value"),
                };
                return Err(ApiError::new(ErrorCode::Validation).field(field, code));
            }
        }
    }
    let mut err = ApiError::new(ErrorCode::UnknownField);
    for f in unknown {
        err = err.field(f, "unknown_field");
    }
    Err(err)
}

/// The text between `prefix` and the next backtick in a serde message.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let start = message.find(prefix)? + prefix.len();
    let rest = &message[start..];
    rest.find('`').map(|end| rest[..end].to_owned())
}

/// serde_path_to_error reports an unknown field's path either as its parent or including the
/// field itself; returns the parent either way.
fn parent_path(path: &str, name: &str) -> String {
    let p = if path == "." { "" } else { path };
    if p == name {
        return String::new();
    }
    p.strip_suffix(&format!(".{name}")).unwrap_or(p).to_owned()
}

fn join_path(path: &str, name: &str) -> String {
    if path.is_empty() || path == "." {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn path_or_body(path: &str) -> String {
    if path.is_empty() || path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    }
}

/// Removes `name` from the object at `parent` (a serde_path_to_error path such as `[0]` or
/// `a.b`); false when there is nothing to remove.
fn remove_at(value: &mut serde_json::Value, parent: &str, name: &str) -> bool {
    let mut cur = value;
    for seg in parent.split('.').filter(|s| !s.is_empty()) {
        let (key, indexes) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        if !key.is_empty() {
            match cur.get_mut(key) {
                Some(v) => cur = v,
                None => return false,
            }
        }
        for idx in indexes
            .split(['[', ']'])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse::<usize>().ok())
        {
            match cur.get_mut(idx) {
                Some(v) => cur = v,
                None => return false,
            }
        }
    }
    cur.as_object_mut()
        .is_some_and(|o| o.remove(name).is_some())
}

/// Query parameters; a value of the wrong type is 400 naming the parameter. Unknown
/// parameters are ignored, as HTTP caches and proxies may add some.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(query));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| {
                let path = e.path().to_string();
                let message = e.inner().to_string();
                let field = quoted_after(&message, "missing field `")
                    .unwrap_or_else(|| path_or_body(&path));
                ApiError::bad_request().field(field, "invalid_value")
            })
    }
}

fn form_urlencoded_parse(q: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(q.as_bytes())
}

/// A resource id in the path. Anything that is not a UUID names no resource: 404.
pub struct Id<T>(pub T);

impl<T: FromStr + Send, S: Send + Sync> FromRequestParts<S> for Id<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found())?;
        raw.parse::<T>().map(Id).map_err(|_| ApiError::not_found())
    }
}

/// The version the client edited, from `If-Match: "<version>"`. Missing: 428. Anything but one
/// strong ETag of ours (`*`, `W/"3"`, a list) cannot match, so it is passed on as version -1
/// and the core answers a version conflict (412) once the policy and the lookup said yes.
pub struct IfMatch(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(v) = parts
            .headers
            .get(header::IF_MATCH)
            .filter(|v| !v.as_bytes().iter().all(u8::is_ascii_whitespace))
        else {
            return Err(ApiError::new(ErrorCode::PreconditionRequired));
        };
        let version = v
            .to_str()
            .ok()
            .map(str::trim)
            .and_then(|s| s.strip_prefix('"'))
            .and_then(|s| s.strip_suffix('"'))
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .unwrap_or(-1);
        Ok(IfMatch(version))
    }
}

/// `"<version>"`: the strong ETag of a versioned resource.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// A page request from `limit` (clamped to 1..=200, default 50) and `cursor`; a cursor we did
/// not make is 400.
pub fn page_request(limit: Option<i64>, cursor: Option<&str>) -> Result<PageRequest, ApiError> {
    let after = match cursor.filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(
            Cursor::decode(c)
                .ok_or_else(|| ApiError::bad_request().field("cursor", "invalid_value"))?,
        ),
    };
    let limit = limit.map(|l| l.clamp(1, i64::from(MAX_PAGE_SIZE)) as u32);
    Ok(PageRequest::new(after, limit))
}

/// A file sent as the whole request body (imports), read into one buffer of the size the
/// request announces. Collected chunk by chunk (axum's `Bytes`), a file was held twice at the
/// peak — the chunks and their copy — against issue #3's "peak memory under four times the
/// file". 413 past the import limit.
pub struct FileBody(pub Bytes);

impl FromRequest<AppState> for FileBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        use http_body_util::BodyExt;
        // The limit layer refused a larger announced length already; the cap keeps a lying
        // header from reserving more than a file may hold.
        let announced = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0)
            .min(state.config.import_limit);
        let mut file = Vec::with_capacity(announced);
        let mut body = req.into_body();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| {
                let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
                while let Some(s) = source {
                    if s.is::<http_body_util::LengthLimitError>() {
                        return ApiError::new(ErrorCode::PayloadTooLarge);
                    }
                    source = s.source();
                }
                ApiError::bad_request()
            })?;
            if let Ok(data) = frame.into_data() {
                file.extend_from_slice(&data);
            }
        }
        Ok(FileBody(Bytes::from(file)))
    }
}
