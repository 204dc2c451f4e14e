//! Product lines: the portfolio level above products.

use super::extract::{page_request, ApiJson, ApiQuery, Caller, Id, IfMatch};
use super::problem::ApiResult;
use super::{convert, reply};
use crate::AppState;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::ProductLineInput;
use phare_domain::ProductLineId;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, clamped to 1..200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/product-lines", tag = "product-lines", operation_id = "product_lines_list",
    summary = "List product lines",
    params(PageQuery),
    responses((status = 200, description = "A page of product lines", body = dto::ProductLinePage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn list(
    State(state): State<AppState>,
    c: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let found = state
        .phare
        .list_product_lines(&c.actor, &c.meta, &page)
        .await?;
    let body = dto::ProductLinePage {
        items: found.items.into_iter().map(convert::product_line).collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}

#[utoipa::path(
    post, path = "/product-lines", tag = "product-lines", operation_id = "product_lines_create",
    summary = "Create a product line",
    request_body = dto::ProductLineCreate,
    responses((status = 201, description = "The new product line", body = dto::ProductLine,
        headers(("ETag" = String, description = "Version of the product line"),
                ("Location" = String, description = "URL of the product line"))))
)]
pub async fn create(
    State(state): State<AppState>,
    c: Caller,
    ApiJson(b): ApiJson<dto::ProductLineCreate>,
) -> ApiResult<Response> {
    let input = ProductLineInput {
        name: Some(b.name),
        description: b.description,
    };
    let line = state
        .phare
        .create_product_line(&c.actor, &c.meta, input)
        .await?;
    let location = format!("/api/v1/product-lines/{}", line.id);
    let version = line.version;
    Ok(reply::created(
        &location,
        Some(version),
        &convert::product_line(line),
    ))
}

#[utoipa::path(
    get, path = "/product-lines/{id}", tag = "product-lines", operation_id = "product_lines_get",
    summary = "Get a product line",
    params(("id" = uuid::Uuid, Path, description = "Product line id")),
    responses((status = 200, description = "The product line", body = dto::ProductLine,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<ProductLineId>,
) -> ApiResult<Response> {
    let line = state.phare.get_product_line(&c.actor, &c.meta, id).await?;
    Ok(reply::versioned(
        StatusCode::OK,
        line.version,
        &convert::product_line(line),
    ))
}

#[utoipa::path(
    patch, path = "/product-lines/{id}", tag = "product-lines", operation_id = "product_lines_update",
    summary = "Change a product line",
    params(("id" = uuid::Uuid, Path, description = "Product line id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::ProductLineUpdate,
    responses((status = 200, description = "The changed product line", body = dto::ProductLine,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<ProductLineId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::ProductLineUpdate>,
) -> ApiResult<Response> {
    let input = ProductLineInput {
        name: b.name,
        description: b.description,
    };
    let line = state
        .phare
        .update_product_line(&c.actor, &c.meta, id, version, input)
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        line.version,
        &convert::product_line(line),
    ))
}

#[utoipa::path(
    delete, path = "/product-lines/{id}", tag = "product-lines", operation_id = "product_lines_delete",
    summary = "Delete a product line",
    description = "Its products stay, without a line.",
    params(("id" = uuid::Uuid, Path, description = "Product line id"),
           ("If-Match" = String, Header, description = "ETag of the version being deleted")),
    responses((status = 204, description = "Deleted"))
)]
pub async fn delete(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<ProductLineId>,
    IfMatch(version): IfMatch,
) -> ApiResult<Response> {
    state
        .phare
        .delete_product_line(&c.actor, &c.meta, id, version)
        .await?;
    Ok(reply::no_content())
}
