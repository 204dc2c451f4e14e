//! Invitations (administrators): invite by e-mail with a role, list the pending ones, revoke.

use super::extract::{ApiJson, Caller, Id};
use super::problem::ApiResult;
use super::{convert, reply, SecretFields};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_domain::InvitationId;

#[utoipa::path(
    get, path = "/invitations", tag = "invitations", operation_id = "invitations_list",
    summary = "List pending invitations (administrators)",
    responses((status = 200, description = "Pending invitations, newest first (one page)",
        body = dto::InvitationPage))
)]
pub async fn list(State(state): State<AppState>, c: Caller) -> ApiResult<Response> {
    let found = state.phare.list_invitations(&c.actor, &c.meta).await?;
    let body = dto::InvitationPage {
        items: found.into_iter().map(convert::invitation).collect(),
        next_cursor: None,
    };
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    post, path = "/invitations", tag = "invitations", operation_id = "invitations_create",
    summary = "Invite someone (administrators)",
    description = "The answer carries the invitation's secret `token` and its accept `url`, \
        shown only this once.",
    request_body = dto::InvitationCreate,
    responses((status = 201, description = "The invitation with its link", body = dto::InvitationCreated,
        headers(("Location" = String, description = "URL of the invitation list"))))
)]
pub async fn create(
    State(state): State<AppState>,
    c: Caller,
    ApiJson(b): ApiJson<dto::InvitationCreate>,
) -> ApiResult<Response> {
    let (inv, token) = state
        .phare
        .invite(&c.actor, &c.meta, &b.email, b.role.into())
        .await?;
    let url = format!(
        "{}/invitations/{token}",
        state.config.base_url.trim_end_matches('/')
    );
    let body = dto::InvitationCreated {
        invitation: convert::invitation(inv),
        token: Some(token),
        url: Some(url),
    };
    let mut res = reply::created("/api/v1/invitations", None, &body);
    res.extensions_mut().insert(SecretFields(&["token", "url"]));
    Ok(res)
}

#[utoipa::path(
    delete, path = "/invitations/{id}", tag = "invitations", operation_id = "invitations_revoke",
    summary = "Revoke an invitation (administrators)",
    params(("id" = uuid::Uuid, Path, description = "Invitation id")),
    responses((status = 204, description = "Revoked: the link no longer works"))
)]
pub async fn revoke(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<InvitationId>,
) -> ApiResult<Response> {
    state.phare.revoke_invitation(&c.actor, &c.meta, id).await?;
    Ok(reply::no_content())
}
