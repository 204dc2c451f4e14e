//! Members of the workspace: everyone may see who is who; administrators change roles, job
//! titles and access, and reset passwords.

use super::extract::{page_request, ApiJson, ApiQuery, Caller, Id, IfMatch};
use super::lines::PageQuery;
use super::problem::ApiResult;
use super::{convert, reply};
use crate::AppState;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::MemberInput;
use phare_domain::MemberId;

#[utoipa::path(
    get, path = "/members", tag = "members", operation_id = "members_list",
    summary = "List members",
    params(PageQuery),
    responses((status = 200, description = "A page of members", body = dto::MemberPage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn list(
    State(state): State<AppState>,
    c: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let found = state.phare.list_members(&c.actor, &c.meta, &page).await?;
    let body = dto::MemberPage {
        items: found.items.into_iter().map(convert::member).collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}

#[utoipa::path(
    get, path = "/members/{id}", tag = "members", operation_id = "members_get",
    summary = "Get a member",
    params(("id" = uuid::Uuid, Path, description = "Member id")),
    responses((status = 200, description = "The member", body = dto::Member,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<MemberId>,
) -> ApiResult<Response> {
    let m = state.phare.get_member(&c.actor, &c.meta, id).await?;
    Ok(reply::versioned(
        StatusCode::OK,
        m.version,
        &convert::member(m),
    ))
}

#[utoipa::path(
    patch, path = "/members/{id}", tag = "members", operation_id = "members_update",
    summary = "Change a member's role, job title or access (administrators)",
    description = "Nobody changes their own role or disables themselves. Disabling a member ends \
        their sessions and revokes their tokens.",
    params(("id" = uuid::Uuid, Path, description = "Member id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::MemberUpdate,
    responses((status = 200, description = "The changed member", body = dto::Member,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<MemberId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::MemberUpdate>,
) -> ApiResult<Response> {
    let input = MemberInput {
        role: b.role.map(Into::into),
        job_title: b.job_title.map(|j| j.map(Into::into)),
        disabled: b.disabled,
    };
    let m = state
        .phare
        .update_member(&c.actor, &c.meta, id, version, input)
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        m.version,
        &convert::member(m),
    ))
}

#[utoipa::path(
    post, path = "/members/{id}/password", tag = "members", operation_id = "members_reset_password",
    summary = "Set a member's password (administrators)",
    description = "Every session of the member ends. `Idempotency-Key` is not honoured here: \
        the request would have to be stored with a hash of the password.",
    params(("id" = uuid::Uuid, Path, description = "Member id")),
    request_body = dto::PasswordReset,
    responses((status = 204, description = "Password set"))
)]
pub async fn reset_password(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<MemberId>,
    ApiJson(b): ApiJson<dto::PasswordReset>,
) -> ApiResult<Response> {
    state
        .phare
        .reset_password(&c.actor, &c.meta, id, &b.password)
        .await?;
    Ok(reply::no_content())
}
