//! Prometheus metrics at `/metrics`, opened only with the operator's bearer token
//! (`--metrics-token`); without a token configured the route answers 404. Counters are per
//! process: Prometheus scrapes each instance.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

const BUCKETS_MS: [u64; 10] = [1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000];

#[derive(Default)]
pub struct Metrics {
    by_class: [AtomicU64; 6],
    buckets: [AtomicU64; BUCKETS_MS.len()],
    count: AtomicU64,
    sum_us: AtomicU64,
}

impl Metrics {
    fn observe(&self, status: u16, elapsed_us: u64) {
        let class = usize::from(status / 100).min(5);
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_us.fetch_add(elapsed_us, Ordering::Relaxed);
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            if elapsed_us <= b * 1000 {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn render(&self, db_up: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP phare_http_requests_total HTTP responses by status class.\n# TYPE phare_http_requests_total counter");
        for (i, c) in self.by_class.iter().enumerate().skip(1) {
            let _ = writeln!(
                out,
                "phare_http_requests_total{{class=\"{i}xx\"}} {}",
                c.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(out, "# HELP phare_http_request_duration_seconds Time to answer a request.\n# TYPE phare_http_request_duration_seconds histogram");
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            let _ = writeln!(
                out,
                "phare_http_request_duration_seconds_bucket{{le=\"{}\"}} {}",
                *b as f64 / 1000.0,
                self.buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "phare_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "phare_http_request_duration_seconds_sum {}",
            self.sum_us.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "phare_http_request_duration_seconds_count {count}");
        let _ = writeln!(out, "# HELP phare_database_up Whether the database answered.\n# TYPE phare_database_up gauge\nphare_database_up {}", u8::from(db_up));
        out
    }
}

pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let res = next.run(req).await;
    state
        .metrics
        .observe(res.status().as_u16(), start.elapsed().as_micros() as u64);
    res
}

async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = crate::auth::bearer(&headers).unwrap_or("");
    if !constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    let db_up = state.phare.store().ping().await.is_ok();
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(db_up),
    )
        .into_response()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `/healthz`: the process answers. `/readyz`: the database answers and its schema is current.
async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    let store = state.phare.store();
    match (store.ping().await, store.schema_is_current().await) {
        (Ok(()), Ok(true)) => "ready".into_response(),
        (Ok(()), _) => (StatusCode::SERVICE_UNAVAILABLE, "schema not current").into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let m = Metrics::default();
        m.observe(200, 1_500);
        m.observe(500, 30_000);
        let text = m.render(true);
        assert!(text.contains("phare_http_requests_total{class=\"2xx\"} 1"));
        assert!(text.contains("phare_http_requests_total{class=\"5xx\"} 1"));
        assert!(text.contains("phare_http_request_duration_seconds_bucket{le=\"0.002\"} 1"));
        assert!(text.contains("phare_http_request_duration_seconds_bucket{le=\"0.05\"} 2"));
        assert!(constant_time_eq(b"abc", b"abc") && !constant_time_eq(b"abc", b"abd"));
    }
}
