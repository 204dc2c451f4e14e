//! Decisions: record one on an idea (accept, decline, defer, merge), the log per idea and per
//! product, one decision; and the member's own notifications ("My inbox").

use super::extract::{page_request, ApiJson, ApiQuery, Caller, Id};
use super::problem::{ApiError, ApiResult};
use super::reply;
use crate::AppState;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::{DecisionInput, DecisionQuery};
use phare_domain::{
    parse_date, DecisionId, DecisionKind, ErrorCode, IdeaId, MemberId, NotificationId, ProductId,
};
use phare_store as rec;
use serde::Deserialize;
use utoipa::IntoParams;

fn idea(i: rec::DecisionIdea) -> dto::DecisionIdea {
    dto::DecisionIdea {
        id: i.idea_id.0,
        reference: i.reference,
        title: i.title,
    }
}

pub(crate) fn decision(d: rec::Decision) -> dto::Decision {
    dto::Decision {
        id: d.id.0,
        product_id: d.product_id.0,
        kind: d.kind.into(),
        rationale: d.rationale,
        public_rationale: d.public_rationale,
        until: d.until,
        condition: d.condition,
        into: d.into.map(idea),
        ideas: d.ideas.into_iter().map(idea).collect(),
        links: d
            .links
            .into_iter()
            .map(|l| dto::DecisionLink {
                kind: l.kind.into(),
                id: l.target_id,
            })
            .collect(),
        decided_by: d.decided_by.map(|m| m.0),
        consulted: d.consulted.into_iter().map(|m| m.0).collect(),
        decided_at: d.decided_at,
    }
}

fn notification(n: rec::Notification) -> dto::Notification {
    dto::Notification {
        id: n.id.0,
        kind: n.kind.into(),
        data: n.payload,
        created_at: n.created_at,
        read_at: n.read_at,
    }
}

#[utoipa::path(
    post, path = "/ideas/{id}/decisions", tag = "decisions", operation_id = "decisions_create",
    summary = "Decide on an idea: accept, decline, defer (until a date or a condition) or merge",
    description = "Accept makes the ideas `planned`, decline `declined`; defer keeps their status \
        and, with `until`, brings them back to their owners' inbox on that day; merge moves them \
        into `into`. Portal followers of an idea whose status changes are told, with \
        `public_rationale`. Decisions are immutable; a later one links to it in `decision_ids`. \
        Bad input is a 422 naming the field, and nothing is stored.",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    request_body = dto::DecisionCreate,
    responses((status = 201, description = "The decision", body = dto::Decision,
        headers(("Location" = String, description = "URL of the decision"))))
)]
pub async fn create(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    ApiJson(b): ApiJson<dto::DecisionCreate>,
) -> ApiResult<Response> {
    let mut idea_ids = vec![id];
    idea_ids.extend(b.idea_ids.into_iter().map(IdeaId));
    let d = state
        .phare
        .decide(
            &c.actor,
            &c.meta,
            DecisionInput {
                kind: b.kind,
                idea_ids,
                rationale: b.rationale,
                public_rationale: b.public_rationale,
                until: b.until.unwrap_or_default(),
                condition: b.condition,
                into: b.into.map(IdeaId),
                evidence_ids: b.evidence_ids.into_iter().map(Into::into).collect(),
                session_ids: b.session_ids,
                decision_ids: b.decision_ids.into_iter().map(DecisionId).collect(),
                consulted: b.consulted.into_iter().map(MemberId).collect(),
            },
        )
        .await?;
    let location = format!("/api/v1/decisions/{}", d.id);
    Ok(reply::created(&location, None, &decision(d)))
}

#[utoipa::path(
    get, path = "/ideas/{id}/decisions", tag = "decisions", operation_id = "decisions_of_idea",
    summary = "The decisions about an idea, newest first",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    responses((status = 200, description = "Decisions", body = Vec<dto::Decision>))
)]
pub async fn of_idea(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
) -> ApiResult<Response> {
    let found = state
        .phare
        .list_idea_decisions(&c.actor, &c.meta, id)
        .await?;
    let body: Vec<dto::Decision> = found.into_iter().map(decision).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionListQuery {
    /// `accept`, `decline`, `defer` or `merge`.
    kind: Option<String>,
    /// Decided on or after this day (`YYYY-MM-DD`, UTC).
    from: Option<String>,
    /// Decided on or before this day (`YYYY-MM-DD`, UTC).
    to: Option<String>,
    /// Member id of who decided.
    decided_by: Option<String>,
    /// Words of the rationale, public rationale or condition (stemmed, French or English).
    q: Option<String>,
    /// Page size, clamped to 1..200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

fn invalid(field: &str, code: &str) -> ApiError {
    ApiError::new(ErrorCode::Validation).field(field, code)
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn query(q: &DecisionListQuery) -> Result<DecisionQuery, ApiError> {
    let day = |field: &str, v: &Option<String>| match present(v) {
        None => Ok(None),
        Some(s) => parse_date(s)
            .map(Some)
            .ok_or_else(|| invalid(field, "invalid_date")),
    };
    Ok(DecisionQuery {
        kind: match present(&q.kind) {
            None => None,
            Some(k) => Some(DecisionKind::parse(k).ok_or_else(|| invalid("kind", "unknown_kind"))?),
        },
        from: day("from", &q.from)?,
        to: day("to", &q.to)?,
        decided_by: match present(&q.decided_by) {
            None => None,
            Some(m) => Some(
                m.parse::<MemberId>()
                    .map_err(|_| invalid("decided_by", "invalid_value"))?,
            ),
        },
        q: q.q.clone().unwrap_or_default(),
        links_to: None,
    })
}

#[utoipa::path(
    get, path = "/products/{id}/decisions", tag = "decisions", operation_id = "decisions_list",
    summary = "A product's decision log, newest first, filtered and searched",
    params(("id" = uuid::Uuid, Path, description = "Product id"), DecisionListQuery),
    responses((status = 200, description = "A page of decisions", body = dto::DecisionPage))
)]
pub async fn list(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<DecisionListQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let filter = query(&q)?;
    let found = state
        .phare
        .list_decisions(&c.actor, &c.meta, product, &filter, &page)
        .await?;
    let body = dto::DecisionPage {
        items: found.items.into_iter().map(decision).collect(),
        next_cursor: found.next_cursor.map(|c| c.encode()),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}

#[utoipa::path(
    get, path = "/decisions/{id}", tag = "decisions", operation_id = "decisions_get",
    summary = "One decision",
    params(("id" = uuid::Uuid, Path, description = "Decision id")),
    responses((status = 200, description = "The decision", body = dto::Decision))
)]
pub async fn get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<DecisionId>,
) -> ApiResult<Response> {
    let d = state.phare.get_decision(&c.actor, &c.meta, id).await?;
    Ok(reply::json(StatusCode::OK, &decision(d)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Only the unread ones.
    #[serde(default)]
    unread: bool,
    /// Page size, clamped to 1..200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/notifications", tag = "decisions", operation_id = "notifications_list",
    summary = "The caller's own notifications (\"My inbox\"), newest first",
    params(NotificationQuery),
    responses((status = 200, description = "A page of notifications", body = dto::NotificationPage))
)]
pub async fn notifications(
    State(state): State<AppState>,
    c: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<NotificationQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let found = state
        .phare
        .list_my_notifications(&c.actor, &c.meta, q.unread, &page)
        .await?;
    let body = dto::NotificationPage {
        items: found.items.into_iter().map(notification).collect(),
        next_cursor: found.next_cursor.map(|c| c.encode()),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}

async fn marked(state: &AppState, c: &Caller, id: Option<NotificationId>) -> ApiResult<Response> {
    let marked = state
        .phare
        .mark_my_notifications_read(&c.actor, &c.meta, id)
        .await?;
    let unread = state.phare.count_my_unread_notifications(&c.actor).await?;
    Ok(reply::json(
        StatusCode::OK,
        &dto::MarkedRead { marked, unread },
    ))
}

#[utoipa::path(
    post, path = "/notifications/{id}/read", tag = "decisions", operation_id = "notifications_read",
    summary = "Mark one of the caller's notifications read",
    params(("id" = uuid::Uuid, Path, description = "Notification id")),
    responses((status = 200, description = "Marked", body = dto::MarkedRead))
)]
pub async fn read_one(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<NotificationId>,
) -> ApiResult<Response> {
    marked(&state, &c, Some(id)).await
}

#[utoipa::path(
    post, path = "/notifications/read", tag = "decisions", operation_id = "notifications_read_all",
    summary = "Mark all the caller's notifications read",
    responses((status = 200, description = "Marked", body = dto::MarkedRead))
)]
pub async fn read_all(State(state): State<AppState>, c: Caller) -> ApiResult<Response> {
    marked(&state, &c, None).await
}
