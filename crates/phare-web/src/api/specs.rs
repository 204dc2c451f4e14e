//! Specs and feature documentation: an idea's spec (GET, PUT with If-Match), one criterion's
//! state, the versions and the diff between two, the exports (Gherkin, Markdown), and the
//! idea's documentation page (GET, PUT with If-Match; `public` publishes it).

use super::extract::{ApiJson, ApiQuery, Caller, Id, IfMatch};
use super::problem::{ApiError, ApiResult};
use super::reply;
use crate::html::specs::{download, export};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_domain::specs::{self, CriterionState, DesignLink, ReadyItem, SpecContent, UseCase};
use phare_domain::IdeaId;
use serde::Deserialize;
use utoipa::IntoParams;

fn spec_dto(s: phare_store::Spec) -> dto::Spec {
    let c = s.content;
    dto::Spec {
        idea_id: s.idea_id.0,
        version: s.version,
        language: c.language.into(),
        context: c.context,
        user_stories: c.user_stories,
        use_cases: c
            .use_cases
            .into_iter()
            .map(|u| dto::UseCase {
                name: u.name,
                actor: u.actor,
                main_flow: u.main_flow,
                alternative_flows: u.alternative_flows,
            })
            .collect(),
        criteria: c
            .criteria
            .into_iter()
            .map(|k| dto::Criterion {
                title: k.title,
                given: k.given,
                when: k.when,
                then: k.then,
                state: k.state.into(),
            })
            .collect(),
        non_functional: c.non_functional,
        design_links: c
            .design_links
            .into_iter()
            .map(|d| dto::DesignLink {
                label: d.label,
                url: d.url,
            })
            .collect(),
        open_questions: c.open_questions,
        ready: c.ready.into_iter().map(Into::into).collect(),
        saved_by: s.saved_by.map(|m| m.0),
        saved_at: s.saved_at,
    }
}

fn content(b: dto::SpecWrite) -> SpecContent {
    SpecContent {
        language: b.language.into(),
        context: b.context,
        user_stories: b.user_stories,
        use_cases: b
            .use_cases
            .into_iter()
            .map(|u| UseCase {
                name: u.name,
                actor: u.actor,
                main_flow: u.main_flow,
                alternative_flows: u.alternative_flows,
            })
            .collect(),
        criteria: b
            .criteria
            .into_iter()
            .map(|k| specs::Criterion {
                title: k.title,
                given: k.given,
                when: k.when,
                then: k.then,
                state: k.state.into(),
            })
            .collect(),
        non_functional: b.non_functional,
        design_links: b
            .design_links
            .into_iter()
            .map(|d| DesignLink {
                label: d.label,
                url: d.url,
            })
            .collect(),
        open_questions: b.open_questions,
        ready: b.ready.into_iter().map(ReadyItem::from).collect(),
    }
}

fn entry_dto(e: phare_store::VersionEntry) -> dto::VersionEntry {
    dto::VersionEntry {
        version: e.version,
        saved_by: e.saved_by.map(|m| m.0),
        saved_at: e.saved_at,
    }
}

fn doc_dto(d: phare_store::FeatureDoc) -> dto::FeatureDoc {
    dto::FeatureDoc {
        idea_id: d.idea_id.0,
        version: d.version,
        body: d.body,
        public: d.public,
        saved_by: d.saved_by.map(|m| m.0),
        saved_at: d.saved_at,
    }
}

fn diff_dto(from: i64, to: i64, lines: Vec<specs::DiffLine>) -> dto::VersionDiff {
    let count = |k| lines.iter().filter(|l| l.kind == k).count();
    dto::VersionDiff {
        from,
        to,
        added: count(specs::DiffKind::Added),
        removed: count(specs::DiffKind::Removed),
        lines: lines
            .into_iter()
            .map(|l| dto::DiffLine {
                kind: l.kind.into(),
                old_line: l.old_number,
                new_line: l.new_number,
                parts: l
                    .parts
                    .into_iter()
                    .map(|(changed, text)| dto::DiffPart { changed, text })
                    .collect(),
            })
            .collect(),
    }
}

/// Two path segments: the idea and a number (a criterion's index, a version).
fn idea_and_number(raw: (String, String)) -> Result<(IdeaId, i64), ApiError> {
    let idea = raw.0.parse().map_err(|_| ApiError::not_found())?;
    let n = raw
        .1
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(ApiError::not_found)?;
    Ok((idea, n))
}

#[utoipa::path(
    get, path = "/ideas/{id}/spec", tag = "specs", operation_id = "spec_get",
    summary = "An idea's spec (current version)",
    description = "404 `not_found` while the idea has no spec: create it with `PUT` and \
        `If-Match: \"0\"`.",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    responses((status = 200, description = "The spec", body = dto::Spec,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
) -> ApiResult<Response> {
    let (_, spec) = state.phare.get_spec(&c.actor, &c.meta, id).await?;
    let spec = spec.ok_or_else(ApiError::not_found)?;
    Ok(reply::versioned(
        StatusCode::OK,
        spec.version,
        &spec_dto(spec),
    ))
}

#[utoipa::path(
    put, path = "/ideas/{id}/spec", tag = "specs", operation_id = "spec_put",
    summary = "Save a new version of the spec",
    description = "The whole spec; the previous version is kept. `If-Match` is the version it \
        was made from (`\"0\"` for the first one); a stale one is 412 and nothing is stored. \
        Field errors name the field, e.g. `criteria[0].then`.",
    params(("id" = uuid::Uuid, Path, description = "Idea id"),
        ("If-Match" = String, Header, description = "The ETag the change was made from")),
    request_body = dto::SpecWrite,
    responses((status = 200, description = "The new version", body = dto::Spec,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn put(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::SpecWrite>,
) -> ApiResult<Response> {
    let spec = state
        .phare
        .save_spec(&c.actor, &c.meta, id, version, content(b))
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        spec.version,
        &spec_dto(spec),
    ))
}

#[utoipa::path(
    put, path = "/ideas/{id}/spec/criteria/{index}", tag = "specs",
    operation_id = "spec_criterion_state",
    summary = "Set one acceptance criterion's state",
    description = "A new version of the spec with only this change. `index` counts from 0.",
    params(("id" = uuid::Uuid, Path, description = "Idea id"),
        ("index" = usize, Path, description = "The criterion's position, from 0"),
        ("If-Match" = String, Header, description = "The spec's ETag")),
    request_body = dto::CriterionStateWrite,
    responses((status = 200, description = "The new version", body = dto::Spec,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn criterion_state(
    State(state): State<AppState>,
    c: Caller,
    Path(raw): Path<(String, String)>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::CriterionStateWrite>,
) -> ApiResult<Response> {
    let (id, index) = idea_and_number(raw)?;
    let spec = state
        .phare
        .set_criterion_state(
            &c.actor,
            &c.meta,
            id,
            version,
            index as usize,
            CriterionState::from(b.state),
        )
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        spec.version,
        &spec_dto(spec),
    ))
}

#[utoipa::path(
    get, path = "/ideas/{id}/spec/versions", tag = "specs", operation_id = "spec_versions",
    summary = "The spec's versions, newest first",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    responses((status = 200, description = "Versions", body = Vec<dto::VersionEntry>))
)]
pub async fn versions(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
) -> ApiResult<Response> {
    let v = state
        .phare
        .list_spec_versions(&c.actor, &c.meta, id)
        .await?;
    let body: Vec<dto::VersionEntry> = v.into_iter().map(entry_dto).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    get, path = "/ideas/{id}/spec/versions/{version}", tag = "specs",
    operation_id = "spec_version",
    summary = "One version of the spec",
    params(("id" = uuid::Uuid, Path, description = "Idea id"),
        ("version" = i64, Path, description = "Version number")),
    responses((status = 200, description = "That version", body = dto::Spec))
)]
pub async fn version(
    State(state): State<AppState>,
    c: Caller,
    Path(raw): Path<(String, String)>,
) -> ApiResult<Response> {
    let (id, v) = idea_and_number(raw)?;
    let spec = state
        .phare
        .get_spec_version(&c.actor, &c.meta, id, v)
        .await?;
    Ok(reply::json(StatusCode::OK, &spec_dto(spec)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// The older version; by default the one before `to`.
    pub from: Option<i64>,
    /// The newer version; by default the current one.
    pub to: Option<i64>,
}

#[utoipa::path(
    get, path = "/ideas/{id}/spec/diff", tag = "specs", operation_id = "spec_diff",
    summary = "The difference between two versions of the spec",
    description = "Line by line on the Markdown export (headings in the caller's language), \
        with the changed words of each changed line.",
    params(("id" = uuid::Uuid, Path, description = "Idea id"), DiffQuery),
    responses((status = 200, description = "The diff", body = dto::VersionDiff))
)]
pub async fn diff(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    headers: axum::http::HeaderMap,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> ApiResult<Response> {
    let (idea, current) = state.phare.get_spec(&c.actor, &c.meta, id).await?;
    let current = current.ok_or_else(ApiError::not_found)?;
    let to = q.to.unwrap_or(current.version);
    let from = q.from.unwrap_or((to - 1).max(1));
    let a = state
        .phare
        .get_spec_version(&c.actor, &c.meta, id, from)
        .await?;
    let b = state
        .phare
        .get_spec_version(&c.actor, &c.meta, id, to)
        .await?;
    let l = crate::i18n::L10n::new(crate::auth::pick_locale(&headers, Some(&c.actor)));
    let text = |s: &SpecContent| specs::to_markdown(&idea.reference, &idea.title, s, &|k| l.t(k));
    let lines = specs::diff(&text(&a.content), &text(&b.content));
    Ok(reply::json(StatusCode::OK, &diff_dto(from, to, lines)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `gherkin`: a `.feature` file in the spec's language (`# language: fr` and French
    /// keywords for a French spec); `markdown`: one document. Gherkin by default.
    pub format: Option<dto::SpecExportFormat>,
}

#[utoipa::path(
    get, path = "/ideas/{id}/spec/export", tag = "specs", operation_id = "spec_export",
    summary = "Export the spec as Gherkin or Markdown",
    params(("id" = uuid::Uuid, Path, description = "Idea id"), ExportQuery),
    responses((status = 200, description = "The file (attachment)", content_type = "text/plain",
        body = String))
)]
pub async fn export_spec(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let (idea, spec) = state.phare.get_spec(&c.actor, &c.meta, id).await?;
    let spec = spec.ok_or_else(ApiError::not_found)?;
    let format = q.format.unwrap_or(dto::SpecExportFormat::Gherkin);
    let e = export(&idea, &spec.content, format.as_str()).ok_or_else(ApiError::not_found)?;
    Ok(download(e))
}

// --- feature documentation ------------------------------------------------------------------

#[utoipa::path(
    get, path = "/ideas/{id}/doc", tag = "specs", operation_id = "feature_doc_get",
    summary = "An idea's documentation page (current version)",
    description = "404 `not_found` while the idea has none: create it with `PUT` and \
        `If-Match: \"0\"`.",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    responses((status = 200, description = "The page", body = dto::FeatureDoc,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn doc_get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
) -> ApiResult<Response> {
    let (_, doc) = state.phare.get_feature_doc(&c.actor, &c.meta, id).await?;
    let doc = doc.ok_or_else(ApiError::not_found)?;
    Ok(reply::versioned(StatusCode::OK, doc.version, &doc_dto(doc)))
}

#[utoipa::path(
    put, path = "/ideas/{id}/doc", tag = "specs", operation_id = "feature_doc_put",
    summary = "Save a new version of the documentation page, or publish it",
    description = "Absent fields keep their value; `{\"public\": true}` publishes the page on \
        the product's portal (the idea must be shipped: `public` `not_shipped` otherwise; \
        changing `public` needs the portal moderation right). Drafting is allowed at any \
        status.",
    params(("id" = uuid::Uuid, Path, description = "Idea id"),
        ("If-Match" = String, Header, description = "The ETag the change was made from")),
    request_body = dto::FeatureDocWrite,
    responses((status = 200, description = "The new version", body = dto::FeatureDoc,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn doc_put(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::FeatureDocWrite>,
) -> ApiResult<Response> {
    let doc = state
        .phare
        .save_feature_doc(&c.actor, &c.meta, id, version, b.body.as_deref(), b.public)
        .await?;
    Ok(reply::versioned(StatusCode::OK, doc.version, &doc_dto(doc)))
}

#[utoipa::path(
    get, path = "/ideas/{id}/doc/versions", tag = "specs", operation_id = "feature_doc_versions",
    summary = "The documentation page's versions, newest first",
    params(("id" = uuid::Uuid, Path, description = "Idea id")),
    responses((status = 200, description = "Versions", body = Vec<dto::VersionEntry>))
)]
pub async fn doc_versions(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<IdeaId>,
) -> ApiResult<Response> {
    let v = state
        .phare
        .list_feature_doc_versions(&c.actor, &c.meta, id)
        .await?;
    let body: Vec<dto::VersionEntry> = v.into_iter().map(entry_dto).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    get, path = "/ideas/{id}/doc/versions/{version}", tag = "specs",
    operation_id = "feature_doc_version",
    summary = "One version of the documentation page",
    params(("id" = uuid::Uuid, Path, description = "Idea id"),
        ("version" = i64, Path, description = "Version number")),
    responses((status = 200, description = "That version", body = dto::FeatureDoc))
)]
pub async fn doc_version(
    State(state): State<AppState>,
    c: Caller,
    Path(raw): Path<(String, String)>,
) -> ApiResult<Response> {
    let (id, v) = idea_and_number(raw)?;
    let doc = state
        .phare
        .get_feature_doc_version(&c.actor, &c.meta, id, v)
        .await?;
    Ok(reply::json(StatusCode::OK, &doc_dto(doc)))
}
