//! The one search box: feedback and ideas of the workspace, with the matching words marked in
//! each snippet (escaped by the template like any other text; only `<mark>` is ours).

use super::lookup;
use super::{render, Ctx, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use phare_core::SearchResult;
use phare_domain::{ProductId, SearchKind};
use phare_store::Product;
use serde::Deserialize;

/// Results shown for one query.
const RESULTS: u32 = 50;

#[derive(Deserialize, Default, Clone, Debug)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    product: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    ctx: Ctx,
    q: SearchQuery,
    /// `None` before anything was asked.
    results: Option<Vec<SearchResult>>,
    products: Vec<Product>,
    kinds: &'static [SearchKind],
}

impl SearchPage {
    fn href(&self, r: &SearchResult) -> String {
        match r.hit.kind {
            SearchKind::Idea => format!("/ideas/{}", r.hit.id),
            SearchKind::Feedback => format!("/feedback/{}", r.hit.id),
            SearchKind::Persona => format!("/personas/{}", r.hit.id),
            SearchKind::Competitor => format!("/competitors/{}", r.hit.id),
            SearchKind::ResearchNote => format!("/research-notes/{}", r.hit.id),
        }
    }
    fn heading(&self, r: &SearchResult) -> String {
        match r.hit.kind {
            SearchKind::Feedback => lookup::excerpt(&r.hit.text, 90),
            SearchKind::Idea
            | SearchKind::Persona
            | SearchKind::Competitor
            | SearchKind::ResearchNote => r.hit.title.clone(),
        }
    }
    fn product_name(&self, r: &SearchResult) -> Option<String> {
        lookup::product(&self.products, r.hit.product_id).map(|p| p.name.clone())
    }
    /// "3 results for “export”".
    fn count_line(&self) -> String {
        let count = self.results.as_ref().map_or(0, Vec::len);
        self.ctx.l.ta(
            "search-count",
            &[
                ("count", count.to_string()),
                ("query", self.q.q.trim().to_owned()),
            ],
        )
    }
}

pub async fn search(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let products = lookup::products(&state, &ctx, &meta).await?;
    let results = if q.q.trim().is_empty() {
        None
    } else {
        let kinds = SearchKind::parse(&q.kind).into_iter().collect();
        let product = q.product.parse::<ProductId>().ok();
        Some(
            state
                .phare
                .search(&ctx.actor, &meta, &q.q, product, kinds, RESULTS)
                .await
                .page(l)?,
        )
    };
    render(
        &SearchPage {
            ctx,
            q,
            results,
            products,
            kinds: SearchKind::ALL,
        },
        l,
    )
}
