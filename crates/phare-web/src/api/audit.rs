//! The audit trail (administrators), newest first, filtered and paginated.

use super::extract::{page_request, ApiQuery, Caller};
use super::problem::ApiResult;
use super::{convert, reply};
use crate::AppState;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use phare_api_types as dto;
use phare_domain::MemberId;
use phare_store::AuditFilter;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Page size, clamped to 1..200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Actions starting with this text (`auth.` for every sign-in event).
    action: Option<String>,
    outcome: Option<dto::Outcome>,
    actor_id: Option<uuid::Uuid>,
    /// Events at or after this instant (RFC 3339).
    since: Option<DateTime<Utc>>,
    /// Events at or before this instant (RFC 3339).
    until: Option<DateTime<Utc>>,
}

#[utoipa::path(
    get, path = "/audit", tag = "audit", operation_id = "audit_list",
    summary = "Browse the audit trail (administrators)",
    params(AuditQuery),
    responses((status = 200, description = "A page of events, newest first", body = dto::AuditEventPage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn list(
    State(state): State<AppState>,
    c: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let filter = AuditFilter {
        action_prefix: q.action.filter(|a| !a.trim().is_empty()),
        actor_id: q.actor_id.map(MemberId),
        outcome: q.outcome.map(|o| o.as_str().to_owned()),
        since: q.since,
        until: q.until,
    };
    let found = state
        .phare
        .list_audit(&c.actor, &c.meta, &filter, &page)
        .await?;
    let body = dto::AuditEventPage {
        items: found.items.into_iter().map(convert::audit).collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}
