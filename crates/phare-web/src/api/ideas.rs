//! Ideas: the user stories of a product, their evidence, history, duplicates and merges.

use super::extract::{page_request, ApiJson, ApiQuery, Caller, Id, IfMatch};
use super::problem::ApiResult;
use super::{convert, reply};
use crate::AppState;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::{EvidenceInput, IdeaInput};
use phare_domain::{EvidenceId, FeedbackId, IdeaId, MemberId, ProductId};
use phare_store::IdeaFilter;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IdeaListQuery {
    /// Page size, clamped to 1..200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    status: Option<dto::IdeaStatus>,
    /// `bug` for bug reports only, `story` for stories only.
    kind: Option<dto::IdeaKind>,
    tag: Option<String>,
    owner_id: Option<uuid::Uuid>,
    /// true to include merged ideas.
    merged: Option<bool>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarQuery {
    /// The text being written (title and story) or a feedback item's text; none finds none.
    #[serde(default)]
    text: String,
    /// An idea to leave out (the one being edited).
    exclude: Option<uuid::Uuid>,
}

#[utoipa::path(
    get, path = "/products/{id}/ideas", tag = "ideas", operation_id = "ideas_list",
    summary = "A product's ideas, newest first",
    params(("id" = uuid::Uuid, Path, description = "Product id"), IdeaListQuery),
    responses((status = 200, description = "A page of ideas", body = dto::IdeaPage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn list(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<IdeaListQuery>,
) -> ApiResult<Response> {
    state.phare.get_product(&c.actor, &c.meta, product).await?;
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let filter = IdeaFilter {
        product: Some(product),
        status: q.status.map(Into::into),
        kind: q.kind.map(Into::into),
        tag: q.tag.map(|t| t.trim().to_lowercase()),
        owner: q.owner_id.map(MemberId),
        include_merged: q.merged.unwrap_or(false),
    };
    let found = state
        .phare
        .list_ideas(&c.actor, &c.meta, &filter, &page)
        .await?;
    let body = dto::IdeaPage {
        items: found.items.into_iter().map(convert::idea).collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}

#[utoipa::path(
    post, path = "/products/{id}/ideas", tag = "ideas", operation_id = "ideas_create",
    summary = "Write an idea",
    description = "Numbered in its product (`reference` like `CHK-42`). An idea other than a \
        draft needs its benefit (`so_that`); a bug report (`kind: bug`) needs its whole template \
        (`bug`: steps, expected, actual, environment, severity) instead. With `feedback_id`, it is created from that item \
        and keeps the link as evidence.",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = dto::IdeaCreate,
    responses((status = 201, description = "The new idea", body = dto::Idea,
        headers(("ETag" = String, description = "Version of the idea"),
                ("Location" = String, description = "URL of the idea"))))
)]
pub async fn create(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    ApiJson(b): ApiJson<dto::IdeaCreate>,
) -> ApiResult<Response> {
    state.phare.get_product(&c.actor, &c.meta, product).await?;
    let input = IdeaInput {
        product_id: Some(product),
        kind: b.kind.map(Into::into),
        bug: convert::bug_input(b.bug),
        title: Some(b.title),
        as_a: b.as_a,
        i_want: b.i_want,
        so_that: b.so_that,
        description: b.description,
        status: b.status.map(Into::into),
        owner_id: b.owner_id.map(|o| Some(MemberId(o))),
        tags: b.tags,
        from_feedback: b.feedback_id.map(|f| EvidenceInput {
            feedback_id: FeedbackId(f),
            importance: b.importance.map(Into::into),
            excerpt: b.excerpt,
        }),
        external: None,
    };
    let idea = state.phare.create_idea(&c.actor, &c.meta, input).await?;
    let location = format!("/api/v1/ideas/{}", idea.id);
    let version = idea.version;
    Ok(reply::created(
        &location,
        Some(version),
        &convert::idea(idea),
    ))
}

#[utoipa::path(
    get, path = "/products/{id}/ideas/similar", tag = "ideas", operation_id = "ideas_similar",
    summary = "The ideas most like a text",
    description = "Top 5 ideas of the product, most similar first, with a similarity in [0, 1]: \
        shown while an idea is written or a feedback item triaged, to spot duplicates.",
    params(("id" = uuid::Uuid, Path, description = "Product id"), SimilarQuery),
    responses((status = 200, description = "Similar ideas", body = dto::SimilarIdeas))
)]
pub async fn similar(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    ApiQuery(q): ApiQuery<SimilarQuery>,
) -> ApiResult<Response> {
    state.phare.get_product(&c.actor, &c.meta, product).await?;
    let found = state
        .phare
        .similar_ideas(&c.actor, &c.meta, product, &q.text, q.exclude.map(IdeaId))
        .await?;
    let body = dto::SimilarIdeas {
        items: found
            .into_iter()
            .map(|(i, similarity)| dto::SimilarIdea {
                id: i.id.0,
                reference: i.reference,
                title: i.title,
                status: i.status.into(),
                similarity: (similarity * 1000.0).round() / 1000.0,
            })
            .collect(),
    };
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    get, path = "/ideas/{id}", tag = "ideas", operation_id = "ideas_get",
    summary = "Get an idea with its evidence figures",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    responses((status = 200, description = "The idea", body = dto::Idea,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
) -> ApiResult<Response> {
    let idea = state.phare.get_idea(&c.actor, &c.meta, id).await?;
    Ok(reply::versioned(
        StatusCode::OK,
        idea.version,
        &convert::idea(idea),
    ))
}

#[utoipa::path(
    patch, path = "/ideas/{id}", tag = "ideas", operation_id = "ideas_update",
    summary = "Change an idea",
    description = "Every changed field is recorded in the idea's history.",
    params(("id" = uuid::Uuid, Path, description = "Idea id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::IdeaUpdate,
    responses((status = 200, description = "The changed idea", body = dto::Idea,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::IdeaUpdate>,
) -> ApiResult<Response> {
    let input = IdeaInput {
        kind: b.kind.map(Into::into),
        bug: convert::bug_input(b.bug),
        title: b.title,
        as_a: b.as_a,
        i_want: b.i_want,
        so_that: b.so_that,
        description: b.description,
        status: b.status.map(Into::into),
        owner_id: b.owner_id.map(|o| o.map(MemberId)),
        tags: b.tags,
        ..Default::default()
    };
    let idea = state
        .phare
        .update_idea(&c.actor, &c.meta, id, version, input)
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        idea.version,
        &convert::idea(idea),
    ))
}

#[utoipa::path(
    get, path = "/ideas/{id}/history", tag = "ideas", operation_id = "ideas_history",
    summary = "Every change to an idea, oldest first",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    responses((status = 200, description = "The changes", body = Vec<dto::IdeaChange>))
)]
pub async fn history(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
) -> ApiResult<Response> {
    let changes = state.phare.list_idea_changes(&c.actor, &c.meta, id).await?;
    let body: Vec<dto::IdeaChange> = changes.into_iter().map(convert::idea_change).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    get, path = "/ideas/{id}/evidence", tag = "ideas", operation_id = "ideas_evidence_list",
    summary = "The evidence behind an idea, most important first",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    responses((status = 200, description = "Evidence with its feedback",
        body = Vec<dto::EvidenceWithFeedback>))
)]
pub async fn evidence_list(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
) -> ApiResult<Response> {
    let found = state
        .phare
        .list_idea_evidence(&c.actor, &c.meta, id)
        .await?;
    let body: Vec<dto::EvidenceWithFeedback> = found
        .into_iter()
        .map(|e| dto::EvidenceWithFeedback {
            evidence: convert::evidence(e.evidence),
            feedback: convert::feedback(e.feedback),
        })
        .collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    post, path = "/ideas/{id}/evidence", tag = "ideas", operation_id = "ideas_evidence_add",
    summary = "Link feedback to an idea as evidence",
    description = "A whole item or a highlighted excerpt, with an importance. A new feedback item \
        becomes processed. 409 if they are linked already.",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    request_body = dto::EvidenceCreate,
    responses((status = 201, description = "The evidence link", body = dto::Evidence,
        headers(("Location" = String, description = "URL of the idea's evidence"))))
)]
pub async fn evidence_add(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    ApiJson(b): ApiJson<dto::EvidenceCreate>,
) -> ApiResult<Response> {
    let e = state
        .phare
        .add_evidence(
            &c.actor,
            &c.meta,
            id,
            EvidenceInput {
                feedback_id: FeedbackId(b.feedback_id),
                importance: b.importance.map(Into::into),
                excerpt: b.excerpt,
            },
        )
        .await?;
    let location = format!("/api/v1/ideas/{id}/evidence");
    Ok(reply::created(&location, None, &convert::evidence(e)))
}

#[utoipa::path(
    delete, path = "/evidence/{id}", tag = "ideas", operation_id = "evidence_remove",
    summary = "Unlink a piece of evidence",
    params(("id" = uuid::Uuid, Path, description = "Evidence id")),
    responses((status = 204, description = "Removed"))
)]
pub async fn evidence_remove(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<EvidenceId>,
) -> ApiResult<Response> {
    state.phare.remove_evidence(&c.actor, &c.meta, id).await?;
    Ok(reply::no_content())
}

#[utoipa::path(
    post, path = "/ideas/{id}/merge", tag = "ideas", operation_id = "ideas_merge",
    summary = "Merge this idea into another",
    description = "Product managers only. Evidence, votes, comments and subscribers move to the \
        kept idea; this one becomes `merged` and redirects to it; the merge is recorded with \
        who and why.",
    params(("id" = uuid::Uuid, Path, description = "Id of the idea that goes away")),
    request_body = dto::IdeaMergeRequest,
    responses((status = 200, description = "The kept idea", body = dto::Idea,
        headers(("ETag" = String, description = "Version of the kept idea"))))
)]
pub async fn merge(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    ApiJson(b): ApiJson<dto::IdeaMergeRequest>,
) -> ApiResult<Response> {
    let kept = state
        .phare
        .merge_ideas(&c.actor, &c.meta, id, IdeaId(b.into), &b.reason)
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        kept.version,
        &convert::idea(kept),
    ))
}
