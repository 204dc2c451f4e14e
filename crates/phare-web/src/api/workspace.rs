//! The workspace itself: everyone reads it, administrators rename it and set its language.

use super::extract::{ApiJson, Caller, IfMatch};
use super::problem::ApiResult;
use super::{convert, reply};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::WorkspaceInput;

#[utoipa::path(
    get, path = "/workspace", tag = "workspace", operation_id = "workspace_get",
    summary = "The caller's workspace",
    responses((status = 200, description = "The workspace", body = dto::Workspace,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn get(State(state): State<AppState>, c: Caller) -> ApiResult<Response> {
    let w = state.phare.workspace(&c.actor).await?;
    Ok(reply::versioned(
        StatusCode::OK,
        w.version,
        &convert::workspace(w),
    ))
}

#[utoipa::path(
    patch, path = "/workspace", tag = "workspace", operation_id = "workspace_update",
    summary = "Change the workspace (administrators)",
    params(("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::WorkspaceUpdate,
    responses((status = 200, description = "The changed workspace", body = dto::Workspace,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn update(
    State(state): State<AppState>,
    c: Caller,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::WorkspaceUpdate>,
) -> ApiResult<Response> {
    let input = WorkspaceInput {
        name: b.name,
        default_locale: b.default_locale.map(Into::into),
    };
    let w = state
        .phare
        .update_workspace(&c.actor, &c.meta, version, input)
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        w.version,
        &convert::workspace(w),
    ))
}
