//! Errors as people see them: a translated page with the status, what happened, the request id
//! to quote, and a way out. Internals go to the log with the request id, never to the page.

use crate::i18n::L10n;
use askama::Template;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use phare_core::CoreError;
use phare_domain::ErrorCode;

#[derive(Debug)]
pub struct WebError {
    pub error: CoreError,
    pub l: L10n,
}

impl WebError {
    pub fn new(error: CoreError, l: L10n) -> Self {
        Self { error, l }
    }

    pub fn code(code: ErrorCode, l: L10n) -> Self {
        Self::new(CoreError::new(code), l)
    }

    /// The page for a refused cross-site request, in the language the browser asks for.
    pub fn forbidden_page(req: &Request) -> Self {
        let l = L10n::new(crate::auth::pick_locale(req.headers(), None));
        Self::code(ErrorCode::Forbidden, l)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: L10n,
    status: u16,
    title: String,
    message: String,
    show_login: bool,
    css: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let code = self.error.code;
        if code == ErrorCode::Internal || code == ErrorCode::Unavailable {
            tracing::error!(code = %code, internal = %self.error.internal, "request failed");
        }
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let page = ErrorPage {
            l: self.l,
            status: status.as_u16(),
            title: self.l.t(&format!("error-{code}-title")),
            message: self.l.t(&format!("error-{code}")),
            show_login: code == ErrorCode::Unauthenticated,
            css: crate::assets::url("app.css"),
        };
        let mut res = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                (status, self.l.t(&format!("error-{code}-title"))).into_response()
            }
        };
        if let Some(secs) = self.error.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

/// `result.page(l)?` turns a use-case error into a translated error page.
pub trait PageResult<T> {
    fn page(self, l: L10n) -> Result<T, WebError>;
}

impl<T> PageResult<T> for Result<T, CoreError> {
    fn page(self, l: L10n) -> Result<T, WebError> {
        self.map_err(|e| WebError::new(e, l))
    }
}
