//! Successful answers of the API: JSON with the right status, `ETag`, `Location` and, for
//! lists, the RFC 8288 `Link: <…>; rel="next"` header.

use super::extract::etag;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// A JSON body with a status.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    (status, Json(body)).into_response()
}

/// A versioned resource: JSON with its strong ETag.
pub fn versioned<T: Serialize>(status: StatusCode, version: i64, body: &T) -> Response {
    let mut res = json(status, body);
    if let Ok(v) = HeaderValue::from_str(&etag(version)) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// 201 Created with `Location` and, for a versioned resource, its ETag.
pub fn created<T: Serialize>(location: &str, version: Option<i64>, body: &T) -> Response {
    let mut res = match version {
        Some(v) => versioned(StatusCode::CREATED, v, body),
        None => json(StatusCode::CREATED, body),
    };
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// A page of a list; with a next page, a `Link` header pointing at it (same query, the new
/// cursor).
pub fn page<T: Serialize>(uri: &Uri, body: &T, next_cursor: Option<&str>) -> Response {
    let mut res = json(StatusCode::OK, body);
    if let Some(cursor) = next_cursor {
        let kept: Vec<(String, String)> =
            form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
                .filter(|(k, _)| k != "cursor")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &kept {
            query.append_pair(k, v);
        }
        query.append_pair("cursor", cursor);
        let link = format!("<{}?{}>; rel=\"next\"", uri.path(), query.finish());
        if let Ok(v) = HeaderValue::from_str(&link) {
            res.headers_mut().insert(header::LINK, v);
        }
    }
    res
}
