//! Phare's HTTP layer. Handlers read top to bottom: extract → call a use case → map to a
//! response. No SQL and no business rule lives here; the policy is asked in phare-core.
//!
//! - `html/`: server-rendered pages (askama + htmx, each interaction also works without JS).
//! - `api/`: the REST API under `/api/v1` with its OpenAPI document.
//! - `auth`, `locale`, `guard`: extractors and middleware shared by both.

pub mod api;
mod assets;
pub mod auth;
mod error;
mod guard;
pub mod html;
pub mod i18n;
pub mod metrics;
pub mod portal;

pub use error::WebError;

use axum::Router;
use phare_core::Phare;
use std::net::IpAddr;
use std::sync::Arc;

/// Settings of the HTTP layer, from the binary's configuration.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// The public URL (`http://127.0.0.1:8080`): used in links and the Origin check.
    pub base_url: String,
    /// Bearer token that opens `/metrics`; without one, `/metrics` does not exist.
    pub metrics_token: Option<String>,
    /// Peers whose `X-Forwarded-For` is believed (reverse proxies); nobody else's is.
    pub trusted_proxies: Vec<IpAddr>,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Largest import file accepted (the import route's own body limit).
    pub import_limit: usize,
}

impl WebConfig {
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// `scheme://host[:port]` of the base URL, as browsers send it in `Origin`.
    pub fn origin(&self) -> &str {
        let s = self.base_url.trim_end_matches('/');
        match s.find("://") {
            Some(i) => match s[i + 3..].find('/') {
                Some(j) => &s[..i + 3 + j],
                None => s,
            },
            None => s,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub phare: Phare,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<metrics::Metrics>,
}

impl AppState {
    pub fn new(phare: Phare, config: WebConfig) -> Self {
        Self {
            phare,
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::default()),
        }
    }
}

/// The whole application: pages, API, assets, health, with the middleware stack.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config.body_limit;
    let import_limit = state.config.import_limit;
    // Layers run outside-in from the bottom: the request id first (so every answer, even an
    // early refusal, carries one), then metrics and security headers, then the conversion of
    // early refusals on /api into problem+json, the limits, and the CSRF check nearest the routes.
    // Import files get a larger body limit than everything else.
    let imports = Router::new()
        .nest("/api/v1", api::imports_router())
        .merge(html::import_router())
        // axum's extractors stop at 2 MB on their own: here the limit is the import limit only.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(import_limit));
    let rest = Router::new()
        .merge(html::router())
        .merge(portal::router())
        .nest("/api/v1", api::router())
        .merge(api::docs_router())
        .merge(assets::router())
        .merge(metrics::router())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(body_limit));
    Router::new()
        .merge(imports)
        .merge(rest)
        .fallback(html::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::csrf,
        ))
        // A client that trickles its body, or a request stuck on a dead database, is cut off
        // instead of holding a connection and a task forever.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            std::time::Duration::from_secs(15),
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(30),
        ))
        .layer(axum::middleware::from_fn(api::outer_problems))
        .layer(axum::middleware::from_fn(guard::security_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(axum::middleware::from_fn(guard::request_id))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_is_scheme_host_and_port() {
        let c = |u: &str| WebConfig {
            base_url: u.into(),
            metrics_token: None,
            trusted_proxies: vec![],
            body_limit: 1,
            import_limit: 1,
        };
        assert_eq!(c("http://127.0.0.1:8080").origin(), "http://127.0.0.1:8080");
        assert_eq!(
            c("https://pm.example.org/phare/").origin(),
            "https://pm.example.org"
        );
        assert!(c("https://pm.example.org").secure_cookies());
    }
}
