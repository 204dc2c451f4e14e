//! Research: personas, competitors and the comparison grid, research notes and their passages.

use super::extract::{page_request, ApiJson, ApiQuery, Caller, Id, IfMatch};
use super::problem::ApiResult;
use super::{convert, reply};
use crate::AppState;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::{NoteInput, PassageInput};
use phare_domain::{
    CapabilityId, CompetitorId, CompetitorText, IdeaId, PersonaId, PersonaText, ProductId,
    ResearchNoteId,
};
use serde::Deserialize;
use utoipa::IntoParams;

fn persona_text(b: dto::PersonaWrite, base: Option<&phare_store::Persona>) -> PersonaText {
    PersonaText {
        name: b.name.or(base.map(|p| p.name.clone())).unwrap_or_default(),
        description: b
            .description
            .or(base.map(|p| p.description.clone()))
            .unwrap_or_default(),
        goals: b
            .goals
            .or(base.map(|p| p.goals.clone()))
            .unwrap_or_default(),
        frustrations: b
            .frustrations
            .or(base.map(|p| p.frustrations.clone()))
            .unwrap_or_default(),
    }
}

fn competitor_text(
    b: dto::CompetitorWrite,
    base: Option<&phare_store::Competitor>,
) -> CompetitorText {
    CompetitorText {
        name: b.name.or(base.map(|c| c.name.clone())).unwrap_or_default(),
        website: b
            .website
            .or(base.map(|c| c.website.clone()))
            .unwrap_or_default(),
        strengths: b
            .strengths
            .or(base.map(|c| c.strengths.clone()))
            .unwrap_or_default(),
        weaknesses: b
            .weaknesses
            .or(base.map(|c| c.weaknesses.clone()))
            .unwrap_or_default(),
    }
}

#[utoipa::path(
    get, path = "/products/{id}/personas", tag = "research", operation_id = "personas_list",
    summary = "A product's personas, by name",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses((status = 200, description = "Personas", body = Vec<dto::Persona>))
)]
pub async fn personas_list(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
) -> ApiResult<Response> {
    let found = state
        .phare
        .list_personas(&c.actor, &c.meta, product)
        .await?;
    let body: Vec<dto::Persona> = found.into_iter().map(convert::persona).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    post, path = "/products/{id}/personas", tag = "research", operation_id = "personas_create",
    summary = "Describe a persona",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = dto::PersonaWrite,
    responses((status = 201, description = "The persona", body = dto::Persona,
        headers(("ETag" = String, description = "Version"), ("Location" = String, description = "URL"))))
)]
pub async fn personas_create(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    ApiJson(b): ApiJson<dto::PersonaWrite>,
) -> ApiResult<Response> {
    state.phare.get_product(&c.actor, &c.meta, product).await?;
    let p = state
        .phare
        .create_persona(&c.actor, &c.meta, product, persona_text(b, None))
        .await?;
    let location = format!("/api/v1/personas/{}", p.id);
    let v = p.version;
    Ok(reply::created(&location, Some(v), &convert::persona(p)))
}

#[utoipa::path(
    get, path = "/personas/{id}", tag = "research", operation_id = "personas_get",
    summary = "Get a persona",
    params(("id" = uuid::Uuid, Path, description = "Persona id")),
    responses((status = 200, description = "The persona", body = dto::Persona,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn personas_get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PersonaId>,
) -> ApiResult<Response> {
    let p = state.phare.get_persona(&c.actor, &c.meta, id).await?;
    Ok(reply::versioned(
        StatusCode::OK,
        p.version,
        &convert::persona(p),
    ))
}

#[utoipa::path(
    patch, path = "/personas/{id}", tag = "research", operation_id = "personas_update",
    summary = "Change a persona",
    params(("id" = uuid::Uuid, Path, description = "Persona id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::PersonaWrite,
    responses((status = 200, description = "The persona", body = dto::Persona,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn personas_update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PersonaId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::PersonaWrite>,
) -> ApiResult<Response> {
    let current = state.phare.get_persona(&c.actor, &c.meta, id).await?;
    let p = state
        .phare
        .update_persona(
            &c.actor,
            &c.meta,
            id,
            version,
            persona_text(b, Some(&current)),
        )
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        p.version,
        &convert::persona(p),
    ))
}

#[utoipa::path(
    delete, path = "/personas/{id}", tag = "research", operation_id = "personas_delete",
    summary = "Delete a persona (product managers)",
    params(("id" = uuid::Uuid, Path, description = "Persona id"),
           ("If-Match" = String, Header, description = "ETag of the version being deleted")),
    responses((status = 204, description = "Deleted"))
)]
pub async fn personas_delete(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PersonaId>,
    IfMatch(version): IfMatch,
) -> ApiResult<Response> {
    state
        .phare
        .delete_persona(&c.actor, &c.meta, id, version)
        .await?;
    Ok(reply::no_content())
}

#[utoipa::path(
    get, path = "/personas/{id}/links", tag = "research", operation_id = "personas_links_list",
    summary = "The ideas and feedback a persona concerns",
    params(("id" = uuid::Uuid, Path, description = "Persona id")),
    responses((status = 200, description = "Linked ideas and feedback", body = dto::PersonaLinks))
)]
pub async fn links_list(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PersonaId>,
) -> ApiResult<Response> {
    let l = state.phare.persona_links(&c.actor, &c.meta, id).await?;
    Ok(reply::json(
        StatusCode::OK,
        &dto::PersonaLinks {
            ideas: l.ideas.into_iter().map(convert::idea).collect(),
            feedback: l.feedback.into_iter().map(convert::feedback).collect(),
        },
    ))
}

#[utoipa::path(
    post, path = "/personas/{id}/links", tag = "research", operation_id = "personas_links_add",
    summary = "Link a persona to an idea or a feedback item",
    params(("id" = uuid::Uuid, Path, description = "Persona id")),
    request_body = dto::PersonaLinkCreate,
    responses((status = 204, description = "Linked (linking twice is harmless)"))
)]
pub async fn links_add(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PersonaId>,
    ApiJson(b): ApiJson<dto::PersonaLinkCreate>,
) -> ApiResult<Response> {
    state
        .phare
        .link_persona(&c.actor, &c.meta, id, b.target_kind.into(), b.target_id)
        .await?;
    Ok(reply::no_content())
}

#[derive(Deserialize)]
pub struct LinkPath {
    id: uuid::Uuid,
    target_id: uuid::Uuid,
}

#[utoipa::path(
    delete, path = "/personas/{id}/links/{target_id}", tag = "research",
    operation_id = "personas_links_remove",
    summary = "Unlink a persona from an idea or a feedback item",
    params(("id" = uuid::Uuid, Path, description = "Persona id"),
           ("target_id" = uuid::Uuid, Path, description = "Idea or feedback id")),
    responses((status = 204, description = "Unlinked"))
)]
pub async fn links_remove(
    State(state): State<AppState>,
    c: Caller,
    Path(p): Path<LinkPath>,
) -> ApiResult<Response> {
    state
        .phare
        .unlink_persona(&c.actor, &c.meta, PersonaId(p.id), p.target_id)
        .await?;
    Ok(reply::no_content())
}

#[utoipa::path(
    get, path = "/products/{id}/competitors", tag = "research", operation_id = "comparison_get",
    summary = "How do we compare: capabilities × competitors",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses((status = 200, description = "The grid", body = dto::ComparisonGrid))
)]
pub async fn grid(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
) -> ApiResult<Response> {
    let g = state
        .phare
        .comparison_grid(&c.actor, &c.meta, product)
        .await?;
    Ok(reply::json(StatusCode::OK, &convert::grid(g)))
}

#[utoipa::path(
    post, path = "/products/{id}/competitors", tag = "research", operation_id = "competitors_create",
    summary = "Add a competitor",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = dto::CompetitorWrite,
    responses((status = 201, description = "The competitor", body = dto::Competitor,
        headers(("ETag" = String, description = "Version"), ("Location" = String, description = "URL"))))
)]
pub async fn competitors_create(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    ApiJson(b): ApiJson<dto::CompetitorWrite>,
) -> ApiResult<Response> {
    state.phare.get_product(&c.actor, &c.meta, product).await?;
    let comp = state
        .phare
        .create_competitor(&c.actor, &c.meta, product, competitor_text(b, None))
        .await?;
    let location = format!("/api/v1/competitors/{}", comp.id);
    let v = comp.version;
    Ok(reply::created(
        &location,
        Some(v),
        &convert::competitor(comp),
    ))
}

#[utoipa::path(
    get, path = "/competitors/{id}", tag = "research", operation_id = "competitors_get",
    summary = "Get a competitor",
    params(("id" = uuid::Uuid, Path, description = "Competitor id")),
    responses((status = 200, description = "The competitor", body = dto::Competitor,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn competitors_get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<CompetitorId>,
) -> ApiResult<Response> {
    let comp = state.phare.get_competitor(&c.actor, &c.meta, id).await?;
    Ok(reply::versioned(
        StatusCode::OK,
        comp.version,
        &convert::competitor(comp),
    ))
}

#[utoipa::path(
    patch, path = "/competitors/{id}", tag = "research", operation_id = "competitors_update",
    summary = "Change a competitor",
    params(("id" = uuid::Uuid, Path, description = "Competitor id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::CompetitorWrite,
    responses((status = 200, description = "The competitor", body = dto::Competitor,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn competitors_update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<CompetitorId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::CompetitorWrite>,
) -> ApiResult<Response> {
    let current = state.phare.get_competitor(&c.actor, &c.meta, id).await?;
    let comp = state
        .phare
        .update_competitor(
            &c.actor,
            &c.meta,
            id,
            version,
            competitor_text(b, Some(&current)),
        )
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        comp.version,
        &convert::competitor(comp),
    ))
}

#[utoipa::path(
    delete, path = "/competitors/{id}", tag = "research", operation_id = "competitors_delete",
    summary = "Delete a competitor and its ratings (product managers)",
    params(("id" = uuid::Uuid, Path, description = "Competitor id"),
           ("If-Match" = String, Header, description = "ETag of the version being deleted")),
    responses((status = 204, description = "Deleted"))
)]
pub async fn competitors_delete(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<CompetitorId>,
    IfMatch(version): IfMatch,
) -> ApiResult<Response> {
    state
        .phare
        .delete_competitor(&c.actor, &c.meta, id, version)
        .await?;
    Ok(reply::no_content())
}

#[utoipa::path(
    put, path = "/products/{id}/capabilities", tag = "research", operation_id = "capabilities_put",
    summary = "Add a capability to the grid, or change our rating of it",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = dto::CapabilityPut,
    responses((status = 200, description = "The capability", body = dto::Capability))
)]
pub async fn capabilities_put(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    ApiJson(b): ApiJson<dto::CapabilityPut>,
) -> ApiResult<Response> {
    state.phare.get_product(&c.actor, &c.meta, product).await?;
    let k = state
        .phare
        .put_capability(
            &c.actor,
            &c.meta,
            product,
            &b.name,
            b.ours.into(),
            b.ours_note.as_deref().unwrap_or(""),
        )
        .await?;
    Ok(reply::json(
        StatusCode::OK,
        &dto::Capability {
            id: k.id.0,
            name: k.name,
            ours: k.ours.into(),
            ours_note: k.ours_note,
        },
    ))
}

#[utoipa::path(
    delete, path = "/capabilities/{id}", tag = "research", operation_id = "capabilities_delete",
    summary = "Remove a capability row and its ratings",
    params(("id" = uuid::Uuid, Path, description = "Capability id")),
    responses((status = 204, description = "Removed"))
)]
pub async fn capabilities_delete(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<CapabilityId>,
) -> ApiResult<Response> {
    state.phare.delete_capability(&c.actor, &c.meta, id).await?;
    Ok(reply::no_content())
}

#[derive(Deserialize)]
pub struct RatingPath {
    id: uuid::Uuid,
    capability_id: uuid::Uuid,
}

#[utoipa::path(
    put, path = "/competitors/{id}/ratings/{capability_id}", tag = "research",
    operation_id = "competitors_rate",
    summary = "Set one cell of the grid: how a competitor covers a capability",
    params(("id" = uuid::Uuid, Path, description = "Competitor id"),
           ("capability_id" = uuid::Uuid, Path, description = "Capability id (same product)")),
    request_body = dto::RatingPut,
    responses((status = 204, description = "Set"))
)]
pub async fn rate(
    State(state): State<AppState>,
    c: Caller,
    Path(p): Path<RatingPath>,
    ApiJson(b): ApiJson<dto::RatingPut>,
) -> ApiResult<Response> {
    state
        .phare
        .rate_competitor(
            &c.actor,
            &c.meta,
            CompetitorId(p.id),
            CapabilityId(p.capability_id),
            b.rating.into(),
            b.note.as_deref().unwrap_or(""),
        )
        .await?;
    Ok(reply::no_content())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoteListQuery {
    /// Page size, clamped to 1..200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

fn note_input(b: dto::ResearchNoteWrite) -> NoteInput {
    NoteInput {
        title: b.title,
        participant: b.participant,
        notes: b.notes,
        persona_id: b.persona_id.map(|p| p.map(PersonaId)),
        held_on: b.held_on,
    }
}

#[utoipa::path(
    get, path = "/products/{id}/research-notes", tag = "research", operation_id = "notes_list",
    summary = "A product's research notes, newest first",
    params(("id" = uuid::Uuid, Path, description = "Product id"), NoteListQuery),
    responses((status = 200, description = "A page of notes", body = dto::ResearchNotePage))
)]
pub async fn notes_list(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    OriginalUri(uri): OriginalUri,
    ApiQuery(q): ApiQuery<NoteListQuery>,
) -> ApiResult<Response> {
    let page = page_request(q.limit, q.cursor.as_deref())?;
    let found = state
        .phare
        .list_research_notes(&c.actor, &c.meta, product, &page)
        .await?;
    let body = dto::ResearchNotePage {
        items: found
            .items
            .into_iter()
            .map(convert::research_note)
            .collect(),
        next_cursor: convert::cursor(found.next_cursor),
    };
    Ok(reply::page(&uri, &body, body.next_cursor.as_deref()))
}

#[utoipa::path(
    post, path = "/products/{id}/research-notes", tag = "research", operation_id = "notes_create",
    summary = "Write up an interview or a study",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = dto::ResearchNoteWrite,
    responses((status = 201, description = "The note", body = dto::ResearchNote,
        headers(("ETag" = String, description = "Version"), ("Location" = String, description = "URL"))))
)]
pub async fn notes_create(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    ApiJson(b): ApiJson<dto::ResearchNoteWrite>,
) -> ApiResult<Response> {
    state.phare.get_product(&c.actor, &c.meta, product).await?;
    let n = state
        .phare
        .create_research_note(&c.actor, &c.meta, product, note_input(b))
        .await?;
    let location = format!("/api/v1/research-notes/{}", n.id);
    let v = n.version;
    Ok(reply::created(
        &location,
        Some(v),
        &convert::research_note(n),
    ))
}

#[utoipa::path(
    get, path = "/research-notes/{id}", tag = "research", operation_id = "notes_get",
    summary = "Get a research note",
    params(("id" = uuid::Uuid, Path, description = "Note id")),
    responses((status = 200, description = "The note", body = dto::ResearchNote,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn notes_get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<ResearchNoteId>,
) -> ApiResult<Response> {
    let n = state.phare.get_research_note(&c.actor, &c.meta, id).await?;
    Ok(reply::versioned(
        StatusCode::OK,
        n.version,
        &convert::research_note(n),
    ))
}

#[utoipa::path(
    patch, path = "/research-notes/{id}", tag = "research", operation_id = "notes_update",
    summary = "Change a research note",
    params(("id" = uuid::Uuid, Path, description = "Note id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::ResearchNoteWrite,
    responses((status = 200, description = "The note", body = dto::ResearchNote,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn notes_update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<ResearchNoteId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::ResearchNoteWrite>,
) -> ApiResult<Response> {
    let n = state
        .phare
        .update_research_note(&c.actor, &c.meta, id, version, note_input(b))
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        n.version,
        &convert::research_note(n),
    ))
}

#[utoipa::path(
    post, path = "/research-notes/{id}/passages", tag = "research", operation_id = "notes_capture",
    summary = "Turn a passage of a note into feedback, linked to an idea",
    description = "Creates a feedback item (source interview, the participant as contact, the \
        note's date) linked to the note's persona and, with `idea_id`, to that idea as evidence, \
        all at once.",
    params(("id" = uuid::Uuid, Path, description = "Note id")),
    request_body = dto::PassageCreate,
    responses((status = 201, description = "The feedback item", body = dto::Feedback,
        headers(("Location" = String, description = "URL of the feedback item"))))
)]
pub async fn capture(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<ResearchNoteId>,
    ApiJson(b): ApiJson<dto::PassageCreate>,
) -> ApiResult<Response> {
    let f = state
        .phare
        .capture_passage(
            &c.actor,
            &c.meta,
            id,
            PassageInput {
                text: b.text,
                idea: b.idea_id.map(IdeaId),
                importance: b.importance.map(Into::into),
            },
        )
        .await?;
    let location = format!("/api/v1/feedback/{}", f.id);
    let v = f.version;
    Ok(reply::created(&location, Some(v), &convert::feedback(f)))
}
