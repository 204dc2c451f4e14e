//! The one search box over feedback and ideas.

use super::extract::{ApiQuery, Caller};
use super::problem::ApiResult;
use super::reply;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_domain::ProductId;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find, in French or English; accents and word endings do not matter. An
    /// empty query finds nothing.
    #[serde(default)]
    q: String,
    /// Only within this product.
    product_id: Option<uuid::Uuid>,
    /// Only this kind of record.
    kind: Option<dto::SearchKind>,
    /// At most this many results, clamped to 1..100 (default 20).
    limit: Option<i64>,
}

#[utoipa::path(
    get, path = "/search", tag = "search", operation_id = "search",
    summary = "Search feedback and ideas",
    description = "Best matches first, each with a snippet around the matching words. Only the \
        first 32 words of a query count.",
    params(SearchQuery),
    responses((status = 200, description = "Results", body = dto::SearchResults))
)]
pub async fn search(
    State(state): State<AppState>,
    c: Caller,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Response> {
    let found = state
        .phare
        .search(
            &c.actor,
            &c.meta,
            &q.q,
            q.product_id.map(ProductId),
            q.kind.map(|k| vec![k.into()]).unwrap_or_default(),
            q.limit.unwrap_or(20).clamp(1, 100) as u32,
        )
        .await?;
    let items = found
        .into_iter()
        .map(|r| dto::SearchHit {
            kind: r.hit.kind.into(),
            id: r.hit.id,
            product_id: r.hit.product_id.map(|p| p.0),
            title: (!r.hit.title.is_empty()).then_some(r.hit.title),
            snippet: r.snippet.iter().map(|(t, _)| t.as_str()).collect(),
            snippet_parts: r
                .snippet
                .into_iter()
                .map(|(text, highlight)| dto::SnippetPart { text, highlight })
                .collect(),
            score: (r.hit.score * 1000.0).round() / 1000.0,
        })
        .collect();
    Ok(reply::json(StatusCode::OK, &dto::SearchResults { items }))
}
