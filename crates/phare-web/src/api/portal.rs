//! The portal's moderation through the API: a product's portal settings, the public face of
//! ideas, their comments (hiding, replying), and the outbox. End users do not use the API: they
//! use the portal's pages.

use super::extract::{page_request, ApiJson, ApiQuery, Caller, Id, IfMatch};
use super::problem::ApiResult;
use super::{convert, reply};
use crate::AppState;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::{PortalIdeaInput, PortalSettingsInput};
use phare_domain::{CommentId, IdeaId, PortalSort, PortalState, ProductId};
use phare_store as rec;
use serde::Deserialize;
use utoipa::IntoParams;

fn settings(
    workspace_slug: &str,
    product: &rec::Product,
    portal: Option<rec::Portal>,
) -> dto::PortalSettings {
    dto::PortalSettings {
        product_id: product.id.0,
        enabled: portal.as_ref().is_some_and(|p| p.enabled),
        title: portal.as_ref().map(|p| p.title.clone()).unwrap_or_default(),
        intro: portal.as_ref().map(|p| p.intro.clone()).unwrap_or_default(),
        path: format!("/p/{workspace_slug}/{}", product.key),
        version: portal.map(|p| p.version).unwrap_or(0),
    }
}

pub fn portal_idea(i: rec::PortalIdea) -> dto::PortalIdea {
    dto::PortalIdea {
        idea_id: i.idea_id.0,
        number: i.number,
        state: i.state.into(),
        status: i.status.into(),
        title: i.title,
        description: i.description,
        vote_count: i.vote_count,
        comment_count: i.comment_count,
        published_at: i.published_at,
        submitted_on_portal: i.submitted_by.is_some(),
        portal_version: i.portal_version,
    }
}

fn comment(c: rec::PortalComment) -> dto::PortalComment {
    dto::PortalComment {
        id: c.id.0,
        idea_id: c.idea_id.0,
        author_name: c.author_name,
        by_team: c.member_id.is_some(),
        body: c.body,
        hidden: c.hidden,
        created_at: c.created_at,
    }
}

#[utoipa::path(
    get, path = "/products/{id}/portal", tag = "portal", operation_id = "portal_get",
    summary = "A product's public portal settings",
    description = "A product whose portal was never configured answers `enabled: false` and \
        version 0.",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses((status = 200, description = "The settings", body = dto::PortalSettings,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn get(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
) -> ApiResult<Response> {
    let (p, portal) = state
        .phare
        .portal_settings(&c.actor, &c.meta, product)
        .await?;
    let ws = state.phare.workspace(&c.actor).await?;
    let body = settings(&ws.slug, &p, portal);
    Ok(reply::versioned(StatusCode::OK, body.version, &body))
}

#[utoipa::path(
    patch, path = "/products/{id}/portal", tag = "portal", operation_id = "portal_update",
    summary = "Open, close or describe a product's public portal",
    description = "Product managers. `If-Match` carries the version read (`\"0\"` the first \
        time).",
    params(("id" = uuid::Uuid, Path, description = "Product id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::PortalSettingsUpdate,
    responses((status = 200, description = "The new settings", body = dto::PortalSettings,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn update(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::PortalSettingsUpdate>,
) -> ApiResult<Response> {
    let input = PortalSettingsInput {
        enabled: b.enabled,
        title: b.title,
        intro: b.intro,
    };
    state
        .phare
        .configure_portal(&c.actor, &c.meta, product, version, input)
        .await?;
    let (p, portal) = state
        .phare
        .portal_settings(&c.actor, &c.meta, product)
        .await?;
    let ws = state.phare.workspace(&c.actor).await?;
    let body = settings(&ws.slug, &p, portal);
    Ok(reply::versioned(StatusCode::OK, body.version, &body))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PortalIdeasQuery {
    /// Page size, clamped to 1..200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Which ideas: `pending` (the moderation queue, the default), `published`, `hidden`.
    state: Option<dto::PortalState>,
}

#[utoipa::path(
    get, path = "/products/{id}/portal/ideas", tag = "portal",
    operation_id = "portal_ideas_list",
    summary = "A product's ideas in one portal state, newest first",
    params(("id" = uuid::Uuid, Path, description = "Product id"), PortalIdeasQuery),
    responses((status = 200, description = "A page of ideas", body = dto::PortalIdeaPage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn ideas(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<PortalIdeasQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let filter = rec::PortalIdeaFilter {
        states: vec![q.state.map(Into::into).unwrap_or(PortalState::Pending)],
        status: None,
        sort: PortalSort::Newest,
    };
    let found = state
        .phare
        .list_portal_ideas(&c.actor, &c.meta, product, &filter, &page)
        .await?;
    let body = dto::PortalIdeaPage {
        items: found.items.into_iter().map(portal_idea).collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}

#[utoipa::path(
    get, path = "/ideas/{id}/portal", tag = "portal", operation_id = "portal_idea_get",
    summary = "The public face of an idea",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    responses((status = 200, description = "The public face", body = dto::PortalIdea,
        headers(("ETag" = String, description = "Its portal version, for If-Match"))))
)]
pub async fn idea_get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
) -> ApiResult<Response> {
    let i = state.phare.get_portal_idea(&c.actor, &c.meta, id).await?;
    Ok(reply::versioned(
        StatusCode::OK,
        i.portal_version,
        &portal_idea(i),
    ))
}

#[utoipa::path(
    patch, path = "/ideas/{id}/portal", tag = "portal", operation_id = "portal_idea_update",
    summary = "Publish, hide or withdraw an idea, or edit its public text",
    description = "Product managers. Publishing sets the public title from the idea's title \
        when none is given. Subscribers hear of status changes of published ideas by e-mail.",
    params(("id" = uuid::Uuid, Path, description = "Idea id"),
           ("If-Match" = String, Header, description = "ETag of the portal version being changed")),
    request_body = dto::PortalIdeaUpdate,
    responses((status = 200, description = "The new public face", body = dto::PortalIdea,
        headers(("ETag" = String, description = "The new portal version"))))
)]
pub async fn idea_update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::PortalIdeaUpdate>,
) -> ApiResult<Response> {
    let input = PortalIdeaInput {
        state: b.state.map(Into::into),
        title: b.title,
        description: b.description,
    };
    let i = state
        .phare
        .moderate_portal_idea(&c.actor, &c.meta, id, version, input)
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        i.portal_version,
        &portal_idea(i),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, clamped to 1..200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/ideas/{id}/portal/comments", tag = "portal",
    operation_id = "portal_comments_list",
    summary = "An idea's portal comments, oldest first, hidden ones included",
    params(("id" = uuid::Uuid, Path, description = "Idea id"), PageQuery),
    responses((status = 200, description = "A page of comments", body = dto::PortalCommentPage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn comments(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let found = state
        .phare
        .list_idea_portal_comments(&c.actor, &c.meta, id, &page)
        .await?;
    let body = dto::PortalCommentPage {
        items: found.items.into_iter().map(comment).collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}

#[utoipa::path(
    post, path = "/ideas/{id}/portal/comments", tag = "portal",
    operation_id = "portal_comments_create",
    summary = "Reply on the portal in the team's name",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    request_body = dto::PortalCommentCreate,
    responses((status = 201, description = "The comment", body = dto::PortalComment))
)]
pub async fn comment_create(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    ApiJson(b): ApiJson<dto::PortalCommentCreate>,
) -> ApiResult<Response> {
    let made = state
        .phare
        .reply_on_portal(&c.actor, &c.meta, id, &b.body)
        .await?;
    let location = format!("/api/v1/ideas/{id}/portal/comments");
    Ok(reply::created(&location, None, &comment(made)))
}

#[utoipa::path(
    post, path = "/portal-comments/{id}/visibility", tag = "portal",
    operation_id = "portal_comment_visibility",
    summary = "Hide a comment from the portal, or show it again",
    description = "Product managers. Setting the same visibility twice changes nothing, so no \
        version is needed.",
    params(("id" = uuid::Uuid, Path, description = "Comment id")),
    request_body = dto::PortalCommentUpdate,
    responses((status = 200, description = "The comment", body = dto::PortalComment))
)]
pub async fn comment_visibility(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<CommentId>,
    ApiJson(b): ApiJson<dto::PortalCommentUpdate>,
) -> ApiResult<Response> {
    let done = state
        .phare
        .set_portal_comment_hidden(&c.actor, &c.meta, id, b.hidden)
        .await?;
    Ok(reply::json(StatusCode::OK, &comment(done)))
}

#[utoipa::path(
    get, path = "/outbox", tag = "portal", operation_id = "outbox_list",
    summary = "The workspace's outgoing e-mails, newest first",
    description = "Admins. Without an SMTP server, sign-in codes and notifications wait here.",
    params(PageQuery),
    responses((status = 200, description = "A page of e-mails", body = dto::OutboxPage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn outbox(
    State(state): State<AppState>,
    c: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let found = state.phare.list_outbox(&c.actor, &c.meta, &page).await?;
    let base = state.config.base_url.clone();
    let body = dto::OutboxPage {
        items: found
            .items
            .into_iter()
            .map(|m| {
                let composed = crate::portal::compose(&m, &base);
                dto::OutboxMessage {
                    id: m.id.0,
                    kind: m.kind.into(),
                    to: m.to_email,
                    status: m.status.into(),
                    attempts: m.attempts,
                    last_error: m.last_error,
                    subject: composed.subject,
                    text: composed.text,
                    created_at: m.created_at,
                    sent_at: m.sent_at,
                }
            })
            .collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}
