//! One's own profile and password.

use super::extract::{ApiJson, Caller, IfMatch};
use super::problem::ApiResult;
use super::{convert, reply};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::ProfileInput;

#[utoipa::path(
    get, path = "/profile", tag = "profile", operation_id = "profile_get",
    summary = "The caller's own member record",
    responses((status = 200, description = "The caller", body = dto::Member,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn get(c: Caller) -> ApiResult<Response> {
    let m = c.actor.member;
    Ok(reply::versioned(
        StatusCode::OK,
        m.version,
        &convert::member(m),
    ))
}

#[utoipa::path(
    patch, path = "/profile", tag = "profile", operation_id = "profile_update",
    summary = "Change one's own profile",
    params(("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::ProfileUpdate,
    responses((status = 200, description = "The changed profile", body = dto::Member,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn update(
    State(state): State<AppState>,
    c: Caller,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::ProfileUpdate>,
) -> ApiResult<Response> {
    let input = ProfileInput {
        name: b.name,
        job_title: b.job_title.map(|j| j.map(Into::into)),
        time_zone: b.time_zone,
        work_start: b.work_start,
        work_end: b.work_end,
        locale: b.locale.map(|l| l.map(Into::into)),
    };
    let m = state
        .phare
        .update_profile(&c.actor, &c.meta, version, input)
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        m.version,
        &convert::member(m),
    ))
}

#[utoipa::path(
    post, path = "/profile/password", tag = "profile", operation_id = "profile_change_password",
    summary = "Change one's own password",
    description = "Every other session ends. `Idempotency-Key` is not honoured here: the request \
        would have to be stored with a hash of the passwords.",
    request_body = dto::PasswordChange,
    responses((status = 204, description = "Password changed"))
)]
pub async fn change_password(
    State(state): State<AppState>,
    c: Caller,
    ApiJson(b): ApiJson<dto::PasswordChange>,
) -> ApiResult<Response> {
    state
        .phare
        .change_password(&c.actor, &c.meta, &b.current_password, &b.new_password)
        .await?;
    Ok(reply::no_content())
}
