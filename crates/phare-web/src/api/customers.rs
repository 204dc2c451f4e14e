//! Customers: who gives feedback, with a segment and a weight that counts in demand.

use super::extract::{page_request, ApiJson, ApiQuery, Caller, Id, IfMatch};
use super::problem::ApiResult;
use super::{convert, reply};
use crate::AppState;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::CustomerUpdate;
use phare_domain::CustomerId;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerListQuery {
    /// Page size, clamped to 1..200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/customers", tag = "customers", operation_id = "customers_list",
    summary = "Customers, by name",
    params(CustomerListQuery),
    responses((status = 200, description = "A page of customers", body = dto::CustomerPage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn list(
    State(state): State<AppState>,
    c: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<CustomerListQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let found = state.phare.list_customers(&c.actor, &c.meta, &page).await?;
    let body = dto::CustomerPage {
        items: found.items.into_iter().map(convert::customer).collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}

#[utoipa::path(
    get, path = "/customers/{id}", tag = "customers", operation_id = "customers_get",
    summary = "Get a customer",
    params(("id" = uuid::Uuid, Path, description = "Customer id")),
    responses((status = 200, description = "The customer", body = dto::Customer,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<CustomerId>,
) -> ApiResult<Response> {
    let cu = state.phare.get_customer(&c.actor, &c.meta, id).await?;
    Ok(reply::versioned(
        StatusCode::OK,
        cu.version,
        &convert::customer(cu),
    ))
}

#[utoipa::path(
    patch, path = "/customers/{id}", tag = "customers", operation_id = "customers_update",
    summary = "Change a customer's name, kind, segment or weight",
    description = "Product managers only: the weight counts in every idea's demand.",
    params(("id" = uuid::Uuid, Path, description = "Customer id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::CustomerUpdate,
    responses((status = 200, description = "The changed customer", body = dto::Customer,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<CustomerId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::CustomerUpdate>,
) -> ApiResult<Response> {
    let input = CustomerUpdate {
        name: b.name,
        kind: b.kind.map(Into::into),
        segment: b.segment,
        weight: b.weight,
    };
    let cu = state
        .phare
        .update_customer(&c.actor, &c.meta, id, version, input)
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        cu.version,
        &convert::customer(cu),
    ))
}
