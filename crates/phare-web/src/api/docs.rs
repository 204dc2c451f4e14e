//! The API reference viewer at `/api/docs`: Swagger UI vendored from npm (`apidocs/`, see
//! `apidocs/VENDORED.md`), embedded in the binary, served from our own origin, so it works
//! offline under the application's own Content-Security-Policy (`default-src 'self'`, no
//! inline script: the start-up code is its own file). Checked in headless Chromium with the
//! global policy: the reference renders and no violation is reported.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

struct File {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const FILES: &[File] = &[
    File {
        name: "swagger-ui-bundle.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../apidocs/swagger-ui-bundle.js"),
    },
    File {
        name: "swagger-ui.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../apidocs/swagger-ui.css"),
    },
    File {
        name: "phare-docs.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../apidocs/phare-docs.js"),
    },
    File {
        name: "phare-docs.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../apidocs/phare-docs.css"),
    },
];

const INDEX: &[u8] = include_bytes!("../../apidocs/index.html");

async fn index() -> Response {
    let mut res = INDEX.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res
}

async fn file(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|f| f.name == name) {
        Some(f) => {
            let mut res = f.body.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(f.mime));
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            res
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `/api/docs` and its files; public, like the OpenAPI document it shows.
pub fn router() -> Router<crate::AppState> {
    Router::new()
        .route("/api/docs", get(index))
        .route(
            "/api/docs/",
            get(|| async { Redirect::permanent("/api/docs") }),
        )
        .route("/api/docs/{name}", get(file))
}
