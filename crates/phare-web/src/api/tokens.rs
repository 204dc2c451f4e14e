//! One's own personal access tokens: list, create (the secret is shown once), revoke.

use super::extract::{ApiJson, Caller, Id};
use super::problem::ApiResult;
use super::{convert, reply, SecretFields};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::NewTokenInput;
use phare_domain::TokenId;

#[utoipa::path(
    get, path = "/tokens", tag = "tokens", operation_id = "tokens_list",
    summary = "List one's own tokens",
    responses((status = 200, description = "The caller's tokens, secrets never included (one page)",
        body = dto::TokenPage))
)]
pub async fn list(State(state): State<AppState>, c: Caller) -> ApiResult<Response> {
    let found = state.phare.list_tokens(&c.actor).await?;
    let body = dto::TokenPage {
        items: found.into_iter().map(convert::token).collect(),
        next_cursor: None,
    };
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    post, path = "/tokens", tag = "tokens", operation_id = "tokens_create",
    summary = "Create a token",
    description = "The answer carries the secret `token`, shown only this once. A token never \
        does more than its owner's role allows; the `admin` scope is for administrators.",
    request_body = dto::TokenCreate,
    responses((status = 201, description = "The token and its secret", body = dto::TokenCreated,
        headers(("Location" = String, description = "URL of the token list"))))
)]
pub async fn create(
    State(state): State<AppState>,
    c: Caller,
    ApiJson(b): ApiJson<dto::TokenCreate>,
) -> ApiResult<Response> {
    let input = NewTokenInput {
        name: b.name,
        scopes: b.scopes.into_iter().map(Into::into).collect(),
        expires_in_days: b.expires_in_days,
    };
    let (token, secret) = state.phare.create_token(&c.actor, &c.meta, input).await?;
    let body = dto::TokenCreated {
        token_info: convert::token(token),
        token: Some(secret),
    };
    let mut res = reply::created("/api/v1/tokens", None, &body);
    res.extensions_mut().insert(SecretFields(&["token"]));
    Ok(res)
}

#[utoipa::path(
    delete, path = "/tokens/{id}", tag = "tokens", operation_id = "tokens_revoke",
    summary = "Revoke one of one's tokens",
    params(("id" = uuid::Uuid, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"))
)]
pub async fn revoke(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<TokenId>,
) -> ApiResult<Response> {
    state.phare.revoke_token(&c.actor, &c.meta, id).await?;
    Ok(reply::no_content())
}
