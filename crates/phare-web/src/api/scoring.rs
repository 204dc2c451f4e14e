//! Scoring and the ranked backlog: idea scores with their breakdown, scoring settings, the
//! backlog (by score or manual rank, filtered, keyset pages), moves, bulk status changes, saved
//! views and the value/effort matrix.

use super::extract::{page_request, ApiJson, ApiQuery, Caller, Id, IfMatch};
use super::problem::{ApiError, ApiResult};
use super::{convert, reply};
use crate::AppState;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::{framework_from, CriterionInput, ScoreInput, ScoredIdea, SettingsInput};
use phare_domain::scoring::quadrant;
use phare_domain::{BacklogSort, Framework, IdeaId, MemberId, MoveTo, PersonaId, ProductId};
use phare_store::BacklogFilter;
use serde::Deserialize;
use utoipa::IntoParams;

pub fn score(s: ScoredIdea) -> dto::Score {
    let b = s.result.breakdown;
    dto::Score {
        framework: s.score.framework.as_str().to_owned(),
        value: s.score.value,
        breakdown: dto::Breakdown {
            formula: b.formula,
            calculation: b.calculation,
            category: b.category,
            inputs: b
                .inputs
                .into_iter()
                .map(|i| dto::BreakdownInput {
                    name: i.name,
                    value: i.value,
                    source: i.source.as_str().to_owned(),
                    scale: i.scale,
                    weight: i.weight,
                })
                .collect(),
        },
        idea_id: s.score.idea_id.0,
        updated_at: s.score.updated_at,
        version: s.score.version,
    }
}

pub fn settings(s: phare_store::ScoringSettings) -> dto::ScoringSettings {
    dto::ScoringSettings {
        product_id: s.product_id.0,
        primary_framework: s.primary_framework.as_str().to_owned(),
        criteria: s
            .criteria
            .into_iter()
            .map(|c| dto::ScorecardCriterion {
                id: Some(c.id),
                name: c.name,
                scale: c.scale,
                weight: c.weight,
            })
            .collect(),
        version: s.version,
    }
}

fn view(v: phare_store::BacklogView) -> dto::BacklogView {
    dto::BacklogView {
        id: v.id,
        product_id: v.product_id.0,
        owner_id: v.owner_id.0,
        shared: v.shared,
        name: v.name,
        query: v.query,
        created_at: v.created_at,
        version: v.version,
    }
}

/// The path's idea id and framework; a framework we do not know is a field error naming it.
fn idea_and_framework(raw: (String, String)) -> ApiResult<(IdeaId, Framework)> {
    let id = raw.0.parse::<IdeaId>().map_err(|_| ApiError::not_found())?;
    let framework = framework_from("framework", &raw.1)?;
    Ok((id, framework))
}

#[utoipa::path(
    put, path = "/ideas/{id}/scores/{framework}", tag = "scoring", operation_id = "scores_put",
    summary = "Score an idea in one framework",
    description = "Stores the idea's score in `framework` (`rice`, `ice`, `wsjf`, `moscow`, \
        `kano`, `value_effort`, `scorecard`), replacing the previous one, and answers the value \
        with its breakdown. RICE is reach × impact × confidence ÷ effort (confidence a fraction \
        from 0 to 1, effort above 0). When it is the product's primary framework, the idea's \
        backlog score follows. Out-of-range inputs are refused (422) naming the field; nothing \
        is stored.",
    params(("id" = uuid::Uuid, Path, description = "Idea id"),
           ("framework" = String, Path, description = "Framework")),
    request_body = dto::ScoreWrite,
    responses((status = 200, description = "The score and its breakdown", body = dto::Score))
)]
pub async fn scores_put(
    State(state): State<AppState>,
    c: Caller,
    Path(raw): Path<(String, String)>,
    ApiJson(b): ApiJson<dto::ScoreWrite>,
) -> ApiResult<Response> {
    let (id, framework) = idea_and_framework(raw)?;
    let input = ScoreInput {
        numbers: b.numbers(),
        sources: b.sources,
        category: b.category,
        criteria: b.criteria,
    };
    let s = state
        .phare
        .score_idea(&c.actor, &c.meta, id, framework, input)
        .await?;
    Ok(reply::json(StatusCode::OK, &score(s)))
}

#[utoipa::path(
    delete, path = "/ideas/{id}/scores/{framework}", tag = "scoring",
    operation_id = "scores_delete",
    summary = "Remove an idea's score in one framework",
    params(("id" = uuid::Uuid, Path, description = "Idea id"),
           ("framework" = String, Path, description = "Framework")),
    responses((status = 204, description = "Removed"))
)]
pub async fn scores_delete(
    State(state): State<AppState>,
    c: Caller,
    Path(raw): Path<(String, String)>,
) -> ApiResult<Response> {
    let (id, framework) = idea_and_framework(raw)?;
    state
        .phare
        .delete_idea_score(&c.actor, &c.meta, id, framework)
        .await?;
    Ok(reply::no_content())
}

#[utoipa::path(
    get, path = "/ideas/{id}/scores", tag = "scoring", operation_id = "scores_list",
    summary = "An idea's scores in every framework, with their breakdowns",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    responses((status = 200, description = "Scores", body = Vec<dto::Score>))
)]
pub async fn scores_list(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
) -> ApiResult<Response> {
    let found = state.phare.idea_scores(&c.actor, &c.meta, id).await?;
    let body: Vec<dto::Score> = found.into_iter().map(score).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    get, path = "/products/{id}/scoring", tag = "scoring", operation_id = "scoring_get",
    summary = "A product's scoring settings",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses((status = 200, description = "The settings", body = dto::ScoringSettings,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn scoring_get(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
) -> ApiResult<Response> {
    let s = state
        .phare
        .scoring_settings(&c.actor, &c.meta, product)
        .await?;
    Ok(reply::versioned(StatusCode::OK, s.version, &settings(s)))
}

#[utoipa::path(
    put, path = "/products/{id}/scoring", tag = "scoring", operation_id = "scoring_put",
    summary = "Change the primary framework and the custom scorecard (product managers)",
    description = "Replaces the settings; every idea of the product is re-scored at once. \
        Weights summing to zero, an unknown framework, a scale outside 1..100 are refused \
        (422) naming the field.",
    params(("id" = uuid::Uuid, Path, description = "Product id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed (\"0\" the first time)")),
    request_body = dto::ScoringSettingsWrite,
    responses((status = 200, description = "The settings", body = dto::ScoringSettings,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn scoring_put(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::ScoringSettingsWrite>,
) -> ApiResult<Response> {
    let input = SettingsInput {
        primary_framework: b.primary_framework,
        criteria: b
            .criteria
            .into_iter()
            .map(|k| CriterionInput {
                id: k.id,
                name: k.name,
                scale: k.scale,
                weight: k.weight,
            })
            .collect(),
    };
    let s = state
        .phare
        .put_scoring_settings(&c.actor, &c.meta, product, version, input)
        .await?;
    Ok(reply::versioned(StatusCode::OK, s.version, &settings(s)))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct BacklogQuery {
    /// Page size, clamped to 1..200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// `score` (highest first, unscored last; the default) or `rank` (the manual order).
    sort: Option<String>,
    status: Option<dto::IdeaStatus>,
    tag: Option<String>,
    persona_id: Option<uuid::Uuid>,
    owner_id: Option<uuid::Uuid>,
    /// Lowest score shown (unscored ideas are then left out).
    min_score: Option<f64>,
    /// Highest score shown (unscored ideas are then left out).
    max_score: Option<f64>,
}

/// The sort named in a query; anything else is a field error.
pub fn backlog_sort(text: Option<&str>) -> Result<BacklogSort, ApiError> {
    match text.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(BacklogSort::Score),
        Some(s) => BacklogSort::parse(s)
            .ok_or_else(|| ApiError::bad_request().field("sort", "invalid_value")),
    }
}

#[utoipa::path(
    get, path = "/products/{id}/backlog", tag = "scoring", operation_id = "backlog_list",
    summary = "The ranked backlog of a product",
    description = "Ideas (merged ones left out) by score (`sort=score`, highest first, \
        unscored last) or by manual rank (`sort=rank`), filtered, 50 a page by default.",
    params(("id" = uuid::Uuid, Path, description = "Product id"), BacklogQuery),
    responses((status = 200, description = "A page of the backlog", body = dto::BacklogPage,
        headers(("Link" = String, description = "RFC 8288 link to the next page, when there is one"))))
)]
pub async fn backlog(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<BacklogQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let sort = backlog_sort(q.sort.as_deref())?;
    let filter = BacklogFilter {
        status: q.status.map(Into::into),
        tag: q
            .tag
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty()),
        persona: q.persona_id.map(PersonaId),
        owner: q.owner_id.map(MemberId),
        min_score: q.min_score,
        max_score: q.max_score,
    };
    let found = state
        .phare
        .backlog(&c.actor, &c.meta, product, sort, filter, &page)
        .await?;
    let body = dto::BacklogPage {
        items: found
            .items
            .into_iter()
            .map(|i| dto::BacklogItem {
                id: i.id.0,
                reference: i.reference,
                score: i.score,
                rank: i.rank,
                kind: i.kind.into(),
                severity: i.severity.map(Into::into),
                title: i.title,
                status: i.status.into(),
                owner_id: i.owner_id.map(|m| m.0),
                evidence_count: i.evidence_count,
                vote_count: i.vote_count,
            })
            .collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}

/// The move a request asks for: exactly one of its fields.
pub fn move_of(b: &dto::RankMove) -> Result<MoveTo, ApiError> {
    let given = usize::from(b.to.is_some())
        + usize::from(b.position.is_some())
        + usize::from(b.before.is_some())
        + usize::from(b.after.is_some());
    if given != 1 {
        return Err(ApiError::new(phare_domain::ErrorCode::Validation).field("to", "one_of"));
    }
    if let Some(to) = &b.to {
        return match to.trim() {
            "top" => Ok(MoveTo::Top),
            "bottom" => Ok(MoveTo::Bottom),
            "up" => Ok(MoveTo::Up),
            "down" => Ok(MoveTo::Down),
            _ => {
                Err(ApiError::new(phare_domain::ErrorCode::Validation).field("to", "invalid_value"))
            }
        };
    }
    Ok(match (b.position, b.before, b.after) {
        (Some(p), _, _) => MoveTo::Position(p),
        (_, Some(id), _) => MoveTo::Before(IdeaId(id)),
        (_, _, Some(id)) => MoveTo::After(IdeaId(id)),
        _ => MoveTo::Top,
    })
}

#[utoipa::path(
    post, path = "/ideas/{id}/move", tag = "scoring", operation_id = "ideas_move",
    summary = "Move an idea in its product's manual order",
    description = "One of `to` (`top`, `bottom`, `up`, `down`), `position` (zero-based), \
        `before` or `after` (an idea of the same product). One key is written; the others \
        keep theirs.",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    request_body = dto::RankMove,
    responses((status = 200, description = "The idea's new key", body = dto::RankedIdea))
)]
pub async fn move_idea(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    ApiJson(b): ApiJson<dto::RankMove>,
) -> ApiResult<Response> {
    let to = move_of(&b)?;
    let r = state.phare.move_idea(&c.actor, &c.meta, id, to).await?;
    Ok(reply::json(
        StatusCode::OK,
        &dto::RankedIdea {
            id: r.id.0,
            rank: r.rank,
        },
    ))
}

#[utoipa::path(
    post, path = "/products/{id}/backlog/status", tag = "scoring",
    operation_id = "backlog_bulk_status",
    summary = "Change the status of several ideas at once",
    description = "Every idea is checked first; one refusal (not of the product, merged, no \
        benefit for a status past draft) and nothing changes.",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = dto::BulkStatus,
    responses((status = 200, description = "How many changed", body = dto::BulkStatusResult))
)]
pub async fn bulk_status(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    ApiJson(b): ApiJson<dto::BulkStatus>,
) -> ApiResult<Response> {
    let ids: Vec<IdeaId> = b.ids.into_iter().map(IdeaId).collect();
    let changed = state
        .phare
        .bulk_idea_status(&c.actor, &c.meta, product, &ids, b.status.into())
        .await?;
    Ok(reply::json(
        StatusCode::OK,
        &dto::BulkStatusResult { changed },
    ))
}

#[utoipa::path(
    get, path = "/products/{id}/backlog/matrix", tag = "scoring",
    operation_id = "backlog_matrix",
    summary = "The value/effort matrix: ideas with a value/effort score and their quadrant",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses((status = 200, description = "Points, highest value first (at most 1,000)",
        body = Vec<dto::MatrixPoint>))
)]
pub async fn matrix(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
) -> ApiResult<Response> {
    let points = state
        .phare
        .value_effort_matrix(&c.actor, &c.meta, product)
        .await?;
    let body: Vec<dto::MatrixPoint> = points
        .into_iter()
        .map(|p| dto::MatrixPoint {
            id: p.id.0,
            quadrant: quadrant(p.value, p.effort).as_str().to_owned(),
            reference: p.reference,
            title: p.title,
            value: p.value,
            effort: p.effort,
        })
        .collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    get, path = "/products/{id}/backlog/views", tag = "scoring",
    operation_id = "backlog_views_list",
    summary = "Saved backlog views: one's own and the shared ones",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses((status = 200, description = "Views, by name", body = Vec<dto::BacklogView>))
)]
pub async fn views_list(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
) -> ApiResult<Response> {
    state.phare.get_product(&c.actor, &c.meta, product).await?;
    let found = state
        .phare
        .list_backlog_views(&c.actor, &c.meta, product)
        .await?;
    let body: Vec<dto::BacklogView> = found.into_iter().map(view).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    post, path = "/products/{id}/backlog/views", tag = "scoring",
    operation_id = "backlog_views_create",
    summary = "Save a backlog view (shared views: product managers)",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = dto::BacklogViewCreate,
    responses((status = 201, description = "The view", body = dto::BacklogView,
        headers(("Location" = String, description = "URL"),
                ("ETag" = String, description = "The view's version"))))
)]
pub async fn views_create(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    ApiJson(b): ApiJson<dto::BacklogViewCreate>,
) -> ApiResult<Response> {
    state.phare.get_product(&c.actor, &c.meta, product).await?;
    let v = state
        .phare
        .create_backlog_view(&c.actor, &c.meta, product, &b.name, &b.query, b.shared)
        .await?;
    let location = format!("/api/v1/backlog-views/{}", v.id);
    Ok(reply::created(&location, Some(v.version), &view(v)))
}

#[utoipa::path(
    get, path = "/backlog-views/{id}", tag = "scoring", operation_id = "backlog_views_get",
    summary = "Get a saved backlog view",
    params(("id" = uuid::Uuid, Path, description = "View id")),
    responses((status = 200, description = "The view", body = dto::BacklogView,
        headers(("ETag" = String, description = "The view's version"))))
)]
pub async fn views_get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<uuid::Uuid>,
) -> ApiResult<Response> {
    let v = state.phare.get_backlog_view(&c.actor, &c.meta, id).await?;
    Ok(reply::versioned(StatusCode::OK, v.version, &view(v)))
}

#[utoipa::path(
    patch, path = "/backlog-views/{id}", tag = "scoring", operation_id = "backlog_views_update",
    summary = "Rename a saved view, or share it or make it private (its owner only)",
    description = "Only the view's owner may change it; sharing needs the right to share \
        (product managers). Requires `If-Match` with the ETag of the version being changed.",
    params(("id" = uuid::Uuid, Path, description = "View id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::BacklogViewUpdate,
    responses((status = 200, description = "The view", body = dto::BacklogView,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn views_update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<uuid::Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::BacklogViewUpdate>,
) -> ApiResult<Response> {
    let v = state
        .phare
        .update_backlog_view(&c.actor, &c.meta, id, version, b.name.as_deref(), b.shared)
        .await?;
    Ok(reply::versioned(StatusCode::OK, v.version, &view(v)))
}

#[utoipa::path(
    delete, path = "/backlog-views/{id}", tag = "scoring", operation_id = "backlog_views_delete",
    summary = "Delete a saved view (one's own; shared ones: product managers)",
    params(("id" = uuid::Uuid, Path, description = "View id")),
    responses((status = 204, description = "Deleted"))
)]
pub async fn views_delete(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<uuid::Uuid>,
) -> ApiResult<Response> {
    state
        .phare
        .delete_backlog_view(&c.actor, &c.meta, id)
        .await?;
    Ok(reply::no_content())
}
