//! Products and their RACI tables.

use super::extract::{page_request, ApiJson, ApiJsonList, ApiQuery, Caller, Id, IfMatch};
use super::problem::ApiResult;
use super::{convert, reply};
use crate::AppState;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::ProductInput;
use phare_domain::{MemberId, ProductId, ProductLineId};
use phare_store::ProductFilter;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductListQuery {
    /// Page size, clamped to 1..200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// true to include archived products.
    archived: Option<bool>,
    /// Only the products of this product line.
    product_line_id: Option<uuid::Uuid>,
}

#[utoipa::path(
    get, path = "/products", tag = "products", operation_id = "products_list",
    summary = "List products",
    description = "Products of the workspace ordered by key; archived ones only with `archived=true`.",
    params(ProductListQuery),
    responses((status = 200, description = "A page of products", body = dto::ProductPage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn list(
    State(state): State<AppState>,
    c: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<ProductListQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let filter = ProductFilter {
        include_archived: q.archived.unwrap_or(false),
        product_line_id: q.product_line_id.map(ProductLineId),
    };
    let found = state
        .phare
        .list_products(&c.actor, &c.meta, &filter, &page)
        .await?;
    let body = dto::ProductPage {
        items: found.items.into_iter().map(convert::product).collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}

#[utoipa::path(
    post, path = "/products", tag = "products", operation_id = "products_create",
    summary = "Create a product",
    request_body = dto::ProductCreate,
    responses((status = 201, description = "The new product", body = dto::Product,
        headers(("ETag" = String, description = "Version of the product"),
                ("Location" = String, description = "URL of the product"))))
)]
pub async fn create(
    State(state): State<AppState>,
    c: Caller,
    ApiJson(b): ApiJson<dto::ProductCreate>,
) -> ApiResult<Response> {
    let input = ProductInput {
        name: Some(b.name),
        key: Some(b.key),
        description: b.description,
        product_line_id: Some(b.product_line_id.map(ProductLineId)),
        pm_model: b.pm_model.map(Into::into),
        archived: None,
    };
    let p = state.phare.create_product(&c.actor, &c.meta, input).await?;
    let location = format!("/api/v1/products/{}", p.id);
    let version = p.version;
    Ok(reply::created(
        &location,
        Some(version),
        &convert::product(p),
    ))
}

#[utoipa::path(
    get, path = "/products/{id}", tag = "products", operation_id = "products_get",
    summary = "Get a product",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses((status = 200, description = "The product", body = dto::Product,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<ProductId>,
) -> ApiResult<Response> {
    let p = state.phare.get_product(&c.actor, &c.meta, id).await?;
    Ok(reply::versioned(
        StatusCode::OK,
        p.version,
        &convert::product(p),
    ))
}

#[utoipa::path(
    patch, path = "/products/{id}", tag = "products", operation_id = "products_update",
    summary = "Change a product",
    description = "Requires `If-Match` with the ETag of the version being changed.",
    params(("id" = uuid::Uuid, Path, description = "Product id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::ProductUpdate,
    responses((status = 200, description = "The changed product", body = dto::Product,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<ProductId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::ProductUpdate>,
) -> ApiResult<Response> {
    let input = ProductInput {
        name: b.name,
        key: b.key,
        description: b.description,
        product_line_id: b.product_line_id.map(|l| l.map(ProductLineId)),
        pm_model: b.pm_model.map(Into::into),
        archived: b.archived,
    };
    let p = state
        .phare
        .update_product(&c.actor, &c.meta, id, version, input)
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        p.version,
        &convert::product(p),
    ))
}

#[utoipa::path(
    get, path = "/products/{id}/raci", tag = "products", operation_id = "products_raci_get",
    summary = "Get a product's RACI table",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses((status = 200, description = "Who is responsible, accountable, consulted, informed",
        body = Vec<dto::RaciEntry>))
)]
pub async fn raci_get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<ProductId>,
) -> ApiResult<Response> {
    let entries = state.phare.get_raci(&c.actor, &c.meta, id).await?;
    let body: Vec<dto::RaciEntry> = entries.into_iter().map(convert::raci).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    put, path = "/products/{id}/raci", tag = "products", operation_id = "products_raci_set",
    summary = "Replace a product's RACI table",
    description = "The table is replaced whole. At most one member is accountable; every member \
        must belong to the workspace.",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = Vec<dto::RaciAssignment>,
    responses((status = 200, description = "The new table", body = Vec<dto::RaciEntry>))
)]
pub async fn raci_set(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<ProductId>,
    ApiJsonList(b): ApiJsonList<dto::RaciAssignment>,
) -> ApiResult<Response> {
    let entries: Vec<(MemberId, phare_domain::Raci)> = b
        .into_iter()
        .map(|a| (MemberId(a.member_id), a.raci.into()))
        .collect();
    let set = state
        .phare
        .set_raci(&c.actor, &c.meta, id, &entries)
        .await?;
    let body: Vec<dto::RaciEntry> = set.into_iter().map(convert::raci).collect();
    Ok(reply::json(StatusCode::OK, &body))
}
