//! Feedback: capture, the inbox (lists, counts, bulk changes), and the ideas an item supports.

use super::extract::{page_request, ApiJson, ApiQuery, Caller, Id, IfMatch};
use super::problem::ApiResult;
use super::{convert, reply};
use crate::AppState;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::FeedbackInput;
use phare_domain::{CustomerId, FeedbackId, MemberId, ProductId};
use phare_store::{FeedbackBulk, FeedbackFilter};
use serde::Deserialize;
use utoipa::IntoParams;

/// Inbox filters; every absent one is "any".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedbackQuery {
    /// Page size, clamped to 1..200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    state: Option<dto::FeedbackState>,
    source: Option<dto::SourceKind>,
    origin: Option<dto::Origin>,
    customer_id: Option<uuid::Uuid>,
    segment: Option<String>,
    tag: Option<String>,
    assignee_id: Option<uuid::Uuid>,
    /// Observed on or after this instant (RFC 3339).
    observed_from: Option<chrono::DateTime<chrono::Utc>>,
    /// Observed before this instant (RFC 3339).
    observed_before: Option<chrono::DateTime<chrono::Utc>>,
    /// true: only items linked to an idea; false: only unlinked ones.
    has_evidence: Option<bool>,
    /// On `/feedback` only: `none` for items without a product, or a product id.
    product: Option<String>,
}

impl FeedbackQuery {
    pub(super) fn filter(
        &self,
        product: Option<Option<ProductId>>,
    ) -> Result<FeedbackFilter, super::problem::ApiError> {
        let product = match (product, self.product.as_deref()) {
            (Some(p), _) => Some(p),
            (None, None) => None,
            (None, Some("none")) => Some(None),
            (None, Some(id)) => Some(Some(id.parse::<ProductId>().map_err(|_| {
                super::problem::ApiError::bad_request().field("product", "invalid_value")
            })?)),
        };
        Ok(FeedbackFilter {
            product,
            state: self.state.map(Into::into),
            source: self.source.map(Into::into),
            origin: self.origin.map(Into::into),
            customer: self.customer_id.map(CustomerId),
            segment: self.segment.clone(),
            tag: self.tag.as_ref().map(|t| t.trim().to_lowercase()),
            assignee: self.assignee_id.map(MemberId),
            observed_from: self.observed_from,
            observed_before: self.observed_before,
            has_evidence: self.has_evidence,
        })
    }
}

async fn list_with(
    state: &AppState,
    c: &Caller,
    uri: &axum::http::Uri,
    q: &FeedbackQuery,
    product: Option<Option<ProductId>>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let filter = q.filter(product)?;
    let found = state
        .phare
        .list_feedback(&c.actor, &c.meta, &filter, &page)
        .await?;
    let body = dto::FeedbackPage {
        items: found.items.into_iter().map(convert::feedback).collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(uri, &body, body.next_cursor.as_deref()))
}

fn input(b: dto::FeedbackCreate, product: Option<ProductId>) -> FeedbackInput {
    FeedbackInput {
        product_id: Some(product.or(b.product_id.map(ProductId))),
        text: Some(b.text),
        source: Some(b.source.into()),
        customer: b.customer.map(|c| Some(convert::customer_ref(c))),
        contact: b.contact.map(Some),
        observed_at: b.observed_at,
        tags: b.tags,
        ..Default::default()
    }
}

async fn create_with(
    state: &AppState,
    c: &Caller,
    b: dto::FeedbackCreate,
    product: Option<ProductId>,
) -> ApiResult<Response> {
    let f = state
        .phare
        .create_feedback(&c.actor, &c.meta, input(b, product))
        .await?;
    let location = format!("/api/v1/feedback/{}", f.id);
    let version = f.version;
    Ok(reply::created(
        &location,
        Some(version),
        &convert::feedback(f),
    ))
}

#[utoipa::path(
    get, path = "/feedback", tag = "feedback", operation_id = "feedback_list",
    summary = "The workspace's inbox",
    description = "Feedback of every product (or of none with `product=none`), newest first.",
    params(FeedbackQuery),
    responses((status = 200, description = "A page of feedback", body = dto::FeedbackPage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn list(
    State(state): State<AppState>,
    c: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<FeedbackQuery>,
) -> ApiResult<Response> {
    list_with(&state, &c, &uri, &q, None).await
}

#[utoipa::path(
    post, path = "/feedback", tag = "feedback", operation_id = "feedback_create",
    summary = "Record feedback",
    description = "`product_id` is optional here: feedback can wait in the inbox for a product.",
    request_body = dto::FeedbackCreate,
    responses((status = 201, description = "The new feedback item", body = dto::Feedback,
        headers(("ETag" = String, description = "Version of the item"),
                ("Location" = String, description = "URL of the item"))))
)]
pub async fn create(
    State(state): State<AppState>,
    c: Caller,
    ApiJson(b): ApiJson<dto::FeedbackCreate>,
) -> ApiResult<Response> {
    create_with(&state, &c, b, None).await
}

#[utoipa::path(
    get, path = "/products/{id}/feedback", tag = "feedback", operation_id = "product_feedback_list",
    summary = "A product's inbox",
    params(("id" = uuid::Uuid, Path, description = "Product id"), FeedbackQuery),
    responses((status = 200, description = "A page of feedback, newest first", body = dto::FeedbackPage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn product_list(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<FeedbackQuery>,
) -> ApiResult<Response> {
    state.phare.get_product(&c.actor, &c.meta, product).await?;
    list_with(&state, &c, &uri, &q, Some(Some(product))).await
}

#[utoipa::path(
    post, path = "/products/{id}/feedback", tag = "feedback", operation_id = "product_feedback_create",
    summary = "Record feedback on a product",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = dto::FeedbackCreate,
    responses((status = 201, description = "The new feedback item", body = dto::Feedback,
        headers(("ETag" = String, description = "Version of the item"),
                ("Location" = String, description = "URL of the item"))))
)]
pub async fn product_create(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    ApiJson(b): ApiJson<dto::FeedbackCreate>,
) -> ApiResult<Response> {
    state.phare.get_product(&c.actor, &c.meta, product).await?;
    create_with(&state, &c, b, Some(product)).await
}

#[utoipa::path(
    get, path = "/feedback/counts", tag = "feedback", operation_id = "feedback_counts",
    summary = "How many items each inbox state holds",
    description = "Takes the list's filters; `state` is ignored.",
    params(FeedbackQuery),
    responses((status = 200, description = "Counts per state", body = dto::FeedbackCounts))
)]
pub async fn counts(
    State(state): State<AppState>,
    c: Caller,
    ApiQuery(q): ApiQuery<FeedbackQuery>,
) -> ApiResult<Response> {
    let filter = q.filter(None)?;
    let n = state
        .phare
        .count_feedback(&c.actor, &c.meta, &filter)
        .await?;
    Ok(reply::json(
        StatusCode::OK,
        &dto::FeedbackCounts {
            new: n.new,
            processed: n.processed,
            archived: n.archived,
        },
    ))
}

#[utoipa::path(
    get, path = "/feedback/{id}", tag = "feedback", operation_id = "feedback_get",
    summary = "Get a feedback item",
    params(("id" = uuid::Uuid, Path, description = "Feedback id")),
    responses((status = 200, description = "The item", body = dto::Feedback,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<FeedbackId>,
) -> ApiResult<Response> {
    let f = state.phare.get_feedback(&c.actor, &c.meta, id).await?;
    Ok(reply::versioned(
        StatusCode::OK,
        f.version,
        &convert::feedback(f),
    ))
}

#[utoipa::path(
    patch, path = "/feedback/{id}", tag = "feedback", operation_id = "feedback_update",
    summary = "Change a feedback item (triage, edit, assign)",
    params(("id" = uuid::Uuid, Path, description = "Feedback id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::FeedbackUpdate,
    responses((status = 200, description = "The changed item", body = dto::Feedback,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<FeedbackId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::FeedbackUpdate>,
) -> ApiResult<Response> {
    let input = FeedbackInput {
        product_id: b.product_id.map(|p| p.map(ProductId)),
        text: b.text,
        source: b.source.map(Into::into),
        customer: b.customer.map(|c| c.map(convert::customer_ref)),
        contact: b.contact,
        observed_at: b.observed_at,
        state: b.state.map(Into::into),
        assignee_id: b.assignee_id.map(|a| a.map(MemberId)),
        tags: b.tags,
        external: None,
    };
    let f = state
        .phare
        .update_feedback(&c.actor, &c.meta, id, version, input)
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        f.version,
        &convert::feedback(f),
    ))
}

#[utoipa::path(
    delete, path = "/feedback/{id}", tag = "feedback", operation_id = "feedback_delete",
    summary = "Delete a feedback item",
    description = "Product managers only. Its evidence links go with it.",
    params(("id" = uuid::Uuid, Path, description = "Feedback id"),
           ("If-Match" = String, Header, description = "ETag of the version being deleted")),
    responses((status = 204, description = "Deleted"))
)]
pub async fn delete(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<FeedbackId>,
    IfMatch(version): IfMatch,
) -> ApiResult<Response> {
    state
        .phare
        .delete_feedback(&c.actor, &c.meta, id, version)
        .await?;
    Ok(reply::no_content())
}

#[utoipa::path(
    post, path = "/feedback/bulk", tag = "feedback", operation_id = "feedback_bulk_update",
    summary = "Change many feedback items at once",
    description = "All or nothing: if one id is not a feedback item of the workspace, nothing changes.",
    request_body = dto::FeedbackBulkUpdate,
    responses((status = 200, description = "How many items changed", body = dto::BulkResult))
)]
pub async fn bulk(
    State(state): State<AppState>,
    c: Caller,
    ApiJson(b): ApiJson<dto::FeedbackBulkUpdate>,
) -> ApiResult<Response> {
    let ids: Vec<FeedbackId> = b.ids.into_iter().map(FeedbackId).collect();
    let change = FeedbackBulk {
        state: b.state.map(Into::into),
        assignee_id: b.assignee_id.map(|a| a.map(MemberId)),
        product_id: b.product_id.map(|p| p.map(ProductId)),
        now: None,
    };
    let updated = state
        .phare
        .bulk_update_feedback(&c.actor, &c.meta, &ids, change)
        .await?;
    Ok(reply::json(StatusCode::OK, &dto::BulkResult { updated }))
}

#[utoipa::path(
    get, path = "/feedback/{id}/ideas", tag = "feedback", operation_id = "feedback_ideas",
    summary = "The ideas a feedback item supports",
    params(("id" = uuid::Uuid, Path, description = "Feedback id")),
    responses((status = 200, description = "Its evidence links with their ideas",
        body = Vec<dto::EvidenceWithIdea>))
)]
pub async fn ideas(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<FeedbackId>,
) -> ApiResult<Response> {
    let links = state
        .phare
        .list_feedback_ideas(&c.actor, &c.meta, id)
        .await?;
    let body: Vec<dto::EvidenceWithIdea> = links
        .into_iter()
        .map(|l| dto::EvidenceWithIdea {
            evidence: convert::evidence(l.evidence),
            idea: convert::idea(l.idea),
        })
        .collect();
    Ok(reply::json(StatusCode::OK, &body))
}
