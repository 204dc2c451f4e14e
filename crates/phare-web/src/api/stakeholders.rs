//! Stakeholder sessions: groups and weights, sessions, invitations, one's own ballot, results
//! (JSON and CSV). Who may do what, and who sees which session, is decided by the core.

use super::extract::{ApiJson, Caller, Id, IfMatch};
use super::problem::ApiResult;
use super::reply;
use crate::auth::Lang;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use phare_api_types as dto;
use phare_core::{InvitationInput, SessionInput};
use phare_domain::{
    BallotAnswer, BallotDraft, IdeaId, MemberId, PrioritizationSessionId, ProductId,
    StakeholderGroupId,
};
use phare_store as rec;
use serde::Deserialize;
use utoipa::IntoParams;

fn group(g: rec::StakeholderGroup) -> dto::StakeholderGroup {
    dto::StakeholderGroup {
        id: g.id.0,
        default_key: g.default_key.map(Into::into),
        name: g.name,
        weight: g.weight,
        created_at: g.created_at,
        updated_at: g.updated_at,
        version: g.version,
    }
}

fn session(s: rec::PrioritizationSession) -> dto::PrioritizationSession {
    dto::PrioritizationSession {
        id: s.id.0,
        product_id: s.product_id.0,
        title: s.title,
        description: s.description,
        method: s.method.into(),
        state: s.state.into(),
        deadline: s.deadline,
        idea_ids: s.idea_ids.into_iter().map(|i| i.0).collect(),
        created_by: s.created_by.map(|m| m.0),
        created_at: s.created_at,
        updated_at: s.updated_at,
        closed_at: s.closed_at,
        version: s.version,
    }
}

fn invitation(i: rec::SessionInvitation) -> dto::SessionInvitation {
    dto::SessionInvitation {
        member_id: i.member_id.0,
        member_name: i.member_name,
        group_id: i.group_id.0,
        invited_at: i.invited_at,
        answered_at: i.answered_at,
    }
}

fn ballot(s: &rec::PrioritizationSession, b: Option<rec::Ballot>) -> dto::Ballot {
    let mut out = dto::Ballot {
        session_id: s.id.0,
        method: s.method.into(),
        answered: b.is_some(),
        points: None,
        ranking: None,
        moscow: None,
        updated_at: b.as_ref().map(|b| b.updated_at),
        version: b.as_ref().map_or(0, |b| b.version),
    };
    match b.map(|b| b.answer) {
        Some(BallotAnswer::Points { points }) => {
            out.points = Some(points.into_iter().map(|(i, p)| (i.0, p)).collect());
        }
        Some(BallotAnswer::Ranking { ranking }) => {
            out.ranking = Some(ranking.into_iter().map(|i| i.0).collect());
        }
        Some(BallotAnswer::Moscow { moscow }) => {
            out.moscow = Some(moscow.into_iter().map(|(i, c)| (i.0, c.into())).collect());
        }
        None => {}
    }
    out
}

// --- groups ---------------------------------------------------------------------------------

#[utoipa::path(
    get, path = "/stakeholder-groups", tag = "stakeholders", operation_id = "stakeholder_groups_list",
    summary = "The workspace's stakeholder groups and their weights",
    responses((status = 200, description = "Groups, the six defaults first", body = Vec<dto::StakeholderGroup>))
)]
pub async fn groups_list(State(state): State<AppState>, c: Caller) -> ApiResult<Response> {
    let groups = state
        .phare
        .list_stakeholder_groups(&c.actor, &c.meta)
        .await?;
    let body: Vec<dto::StakeholderGroup> = groups.into_iter().map(group).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    post, path = "/stakeholder-groups", tag = "stakeholders", operation_id = "stakeholder_groups_create",
    summary = "Add a stakeholder group (product managers)",
    request_body = dto::StakeholderGroupWrite,
    responses((status = 201, description = "The group", body = dto::StakeholderGroup,
        headers(("ETag" = String, description = "Version"))))
)]
pub async fn groups_create(
    State(state): State<AppState>,
    c: Caller,
    ApiJson(b): ApiJson<dto::StakeholderGroupWrite>,
) -> ApiResult<Response> {
    let g = state
        .phare
        .create_stakeholder_group(&c.actor, &c.meta, b.name.as_deref().unwrap_or(""), b.weight)
        .await?;
    let v = g.version;
    Ok(reply::created(
        &format!("/api/v1/stakeholder-groups/{}", g.id),
        Some(v),
        &group(g),
    ))
}

#[utoipa::path(
    patch, path = "/stakeholder-groups/{id}", tag = "stakeholders", operation_id = "stakeholder_groups_update",
    summary = "Rename or re-weigh a stakeholder group (product managers)",
    params(("id" = uuid::Uuid, Path, description = "Group id"),
           ("If-Match" = String, Header, description = "ETag of the version being changed")),
    request_body = dto::StakeholderGroupWrite,
    responses((status = 200, description = "The group", body = dto::StakeholderGroup,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn groups_update(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<StakeholderGroupId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::StakeholderGroupWrite>,
) -> ApiResult<Response> {
    let g = state
        .phare
        .update_stakeholder_group(&c.actor, &c.meta, id, version, b.name.as_deref(), b.weight)
        .await?;
    Ok(reply::versioned(StatusCode::OK, g.version, &group(g)))
}

#[utoipa::path(
    delete, path = "/stakeholder-groups/{id}", tag = "stakeholders", operation_id = "stakeholder_groups_delete",
    summary = "Remove a stakeholder group no invitation uses (product managers)",
    params(("id" = uuid::Uuid, Path, description = "Group id"),
           ("If-Match" = String, Header, description = "ETag of the version being deleted")),
    responses((status = 204, description = "Removed"))
)]
pub async fn groups_delete(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<StakeholderGroupId>,
    IfMatch(version): IfMatch,
) -> ApiResult<Response> {
    state
        .phare
        .delete_stakeholder_group(&c.actor, &c.meta, id, version)
        .await?;
    Ok(reply::no_content())
}

// --- sessions -------------------------------------------------------------------------------

#[utoipa::path(
    get, path = "/products/{id}/sessions", tag = "stakeholders", operation_id = "sessions_list",
    summary = "A product's prioritization sessions, newest first",
    description = "Product managers see every session; other members see those they are invited to.",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses((status = 200, description = "Sessions", body = Vec<dto::PrioritizationSession>))
)]
pub async fn sessions_list(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
) -> ApiResult<Response> {
    let found = state
        .phare
        .list_prioritization_sessions(&c.actor, &c.meta, Some(product))
        .await?;
    let body: Vec<dto::PrioritizationSession> = found.into_iter().map(session).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    post, path = "/products/{id}/sessions", tag = "stakeholders", operation_id = "sessions_create",
    summary = "Prepare a prioritization session (product managers)",
    description = "The session starts as a draft: invite stakeholders, then open it.",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = dto::SessionCreate,
    responses((status = 201, description = "The session", body = dto::PrioritizationSession,
        headers(("ETag" = String, description = "Version"), ("Location" = String, description = "URL"))))
)]
pub async fn sessions_create(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    ApiJson(b): ApiJson<dto::SessionCreate>,
) -> ApiResult<Response> {
    let s = state
        .phare
        .create_prioritization_session(
            &c.actor,
            &c.meta,
            product,
            SessionInput {
                title: b.title,
                description: b.description.unwrap_or_default(),
                method: b.method.as_str().to_owned(),
                deadline: Some(b.deadline),
                idea_ids: b.idea_ids.into_iter().map(IdeaId).collect(),
            },
        )
        .await?;
    let v = s.version;
    Ok(reply::created(
        &format!("/api/v1/sessions/{}", s.id),
        Some(v),
        &session(s),
    ))
}

#[utoipa::path(
    get, path = "/sessions/{id}", tag = "stakeholders", operation_id = "sessions_get",
    summary = "Get a prioritization session (product managers and invited members)",
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    responses((status = 200, description = "The session", body = dto::PrioritizationSession,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn sessions_get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PrioritizationSessionId>,
) -> ApiResult<Response> {
    let a = state
        .phare
        .prioritization_session(&c.actor, &c.meta, id)
        .await?;
    Ok(reply::versioned(
        StatusCode::OK,
        a.session.version,
        &session(a.session),
    ))
}

#[utoipa::path(
    get, path = "/sessions/{id}/ideas", tag = "stakeholders", operation_id = "sessions_ideas",
    summary = "The session's ideas with their facts",
    description = "Story, evidence count, distinct customers and current score: what every \
        stakeholder sees beside each idea, and nothing of anyone's answer.",
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    responses((status = 200, description = "Ideas in the session's order", body = Vec<dto::SessionIdea>))
)]
pub async fn sessions_ideas(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PrioritizationSessionId>,
) -> ApiResult<Response> {
    let facts = state
        .phare
        .session_idea_facts(&c.actor, &c.meta, id)
        .await?;
    let body: Vec<dto::SessionIdea> = facts
        .into_iter()
        .map(|f| dto::SessionIdea {
            id: f.id.0,
            reference: f.reference,
            title: f.title,
            as_a: f.as_a,
            i_want: f.i_want,
            so_that: f.so_that,
            evidence_count: f.evidence_count,
            customer_count: f.customer_count,
            score: f.score,
        })
        .collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    get, path = "/sessions/{id}/invitations", tag = "stakeholders", operation_id = "sessions_invitations",
    summary = "Who is invited and who answered — never what (product managers)",
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    responses((status = 200, description = "Invitations by name", body = Vec<dto::SessionInvitation>))
)]
pub async fn invitations_list(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PrioritizationSessionId>,
) -> ApiResult<Response> {
    let found = state
        .phare
        .session_invitations(&c.actor, &c.meta, id)
        .await?;
    let body: Vec<dto::SessionInvitation> = found.into_iter().map(invitation).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    post, path = "/sessions/{id}/invitations", tag = "stakeholders", operation_id = "sessions_invite",
    summary = "Invite members, each in a stakeholder group (product managers)",
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    request_body = dto::SessionInvite,
    responses((status = 200, description = "Every invitation of the session", body = Vec<dto::SessionInvitation>))
)]
pub async fn invitations_add(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PrioritizationSessionId>,
    ApiJson(b): ApiJson<dto::SessionInvite>,
) -> ApiResult<Response> {
    let wanted: Vec<InvitationInput> = b
        .invitations
        .into_iter()
        .map(|i| InvitationInput {
            member_id: MemberId(i.member_id),
            group_id: StakeholderGroupId(i.group_id),
        })
        .collect();
    let all = state
        .phare
        .invite_stakeholders(&c.actor, &c.meta, id, &wanted)
        .await?;
    let body: Vec<dto::SessionInvitation> = all.into_iter().map(invitation).collect();
    Ok(reply::json(StatusCode::OK, &body))
}

#[utoipa::path(
    post, path = "/sessions/{id}/open", tag = "stakeholders", operation_id = "sessions_open",
    summary = "Open a draft session to its invited members (product managers)",
    params(("id" = uuid::Uuid, Path, description = "Session id"),
           ("If-Match" = String, Header, description = "ETag of the session")),
    responses((status = 200, description = "The session", body = dto::PrioritizationSession,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn sessions_open(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PrioritizationSessionId>,
    IfMatch(version): IfMatch,
) -> ApiResult<Response> {
    let s = state
        .phare
        .open_prioritization_session(&c.actor, &c.meta, id, version)
        .await?;
    Ok(reply::versioned(StatusCode::OK, s.version, &session(s)))
}

#[utoipa::path(
    post, path = "/sessions/{id}/close", tag = "stakeholders", operation_id = "sessions_close",
    summary = "Close a session and compute its results (product managers)",
    description = "Ballots are immutable from then on.",
    params(("id" = uuid::Uuid, Path, description = "Session id"),
           ("If-Match" = String, Header, description = "ETag of the session")),
    responses((status = 200, description = "The closed session", body = dto::PrioritizationSession,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn sessions_close(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PrioritizationSessionId>,
    IfMatch(version): IfMatch,
) -> ApiResult<Response> {
    let s = state
        .phare
        .close_prioritization_session(&c.actor, &c.meta, id, version)
        .await?;
    Ok(reply::versioned(StatusCode::OK, s.version, &session(s)))
}

#[utoipa::path(
    get, path = "/sessions/{id}/results", tag = "stakeholders", operation_id = "sessions_results",
    summary = "The results of a closed session",
    description = "The weighted ranking, the ranking per group, and the disagreement per idea \
        (the standard deviation of the groups' normalised scores). 404 until the close.",
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    responses((status = 200, description = "Results", body = dto::SessionResults))
)]
pub async fn sessions_results(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PrioritizationSessionId>,
) -> ApiResult<Response> {
    let (s, results, groups) = state
        .phare
        .session_results(&c.actor, &c.meta, id, false)
        .await?;
    let facts = state
        .phare
        .session_idea_facts(&c.actor, &c.meta, id)
        .await?;
    let body = dto::SessionResults {
        session_id: s.id.0,
        method: s.method.into(),
        closed_at: s.closed_at,
        ballots: results.ballots,
        groups: results
            .groups
            .iter()
            .map(|g| {
                let now = groups.iter().find(|x| x.id == g.group_id);
                dto::GroupResult {
                    group_id: g.group_id.0,
                    default_key: now.and_then(|x| x.default_key).map(Into::into),
                    name: now.map(|x| x.name.clone()).unwrap_or_default(),
                    weight: g.weight,
                    ballots: g.ballots,
                }
            })
            .collect(),
        ideas: results
            .ideas
            .iter()
            .map(|i| {
                let f = facts.iter().find(|f| f.id == i.idea_id);
                dto::IdeaResult {
                    idea_id: i.idea_id.0,
                    reference: f.map(|f| f.reference.clone()).unwrap_or_default(),
                    title: f.map(|f| f.title.clone()).unwrap_or_default(),
                    rank: i.rank,
                    score: i.score,
                    disagreement: i.disagreement,
                    disputed: i.disputed,
                    groups: results
                        .groups
                        .iter()
                        .enumerate()
                        .map(|(n, g)| dto::GroupScore {
                            group_id: g.group_id.0,
                            score: i.group_scores.get(n).copied().flatten(),
                            rank: i.group_ranks.get(n).copied().flatten(),
                        })
                        .collect(),
                }
            })
            .collect(),
    };
    Ok(reply::json(StatusCode::OK, &body))
}

#[derive(Deserialize, IntoParams)]
pub struct CsvQuery {
    /// CSV separator: comma (default) or semicolon (what French spreadsheets expect).
    delimiter: Option<dto::CsvDelimiter>,
}

#[utoipa::path(
    get, path = "/sessions/{id}/results.csv", tag = "stakeholders", operation_id = "sessions_results_csv",
    summary = "The results of a closed session as CSV",
    description = "UTF-8 with a BOM, CRLF; cells a spreadsheet would run as formulas are \
        prefixed with `'`. Column names follow the caller's language.",
    params(("id" = uuid::Uuid, Path, description = "Session id"), CsvQuery),
    responses((status = 200, description = "The file", content_type = "text/csv", body = String))
)]
pub async fn sessions_results_csv(
    State(state): State<AppState>,
    c: Caller,
    Lang(l): Lang,
    Id(id): Id<PrioritizationSessionId>,
    axum::extract::Query(q): axum::extract::Query<CsvQuery>,
) -> ApiResult<Response> {
    let (s, results, groups) = state
        .phare
        .session_results(&c.actor, &c.meta, id, true)
        .await?;
    let facts = state
        .phare
        .session_idea_facts(&c.actor, &c.meta, id)
        .await?;
    let delimiter = match q.delimiter {
        Some(dto::CsvDelimiter::Semicolon) => phare_interchange::Delimiter::Semicolon,
        _ => phare_interchange::Delimiter::Comma,
    };
    let bytes = crate::html::stakeholders::results_csv(l, &results, &groups, &facts, delimiter)?;
    Ok(crate::html::stakeholders::csv_file(bytes, &s))
}

// --- ballots --------------------------------------------------------------------------------

#[utoipa::path(
    get, path = "/sessions/{id}/ballot", tag = "stakeholders", operation_id = "ballots_get_own",
    summary = "One's own ballot (invited members)",
    description = "Nobody reads another member's ballot. Before the first answer: version 0.",
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    responses((status = 200, description = "The ballot", body = dto::Ballot,
        headers(("ETag" = String, description = "Version to send back in If-Match"))))
)]
pub async fn ballot_get(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PrioritizationSessionId>,
) -> ApiResult<Response> {
    let (access, b) = state.phare.own_ballot(&c.actor, &c.meta, id).await?;
    let body = ballot(&access.session, b);
    Ok(reply::versioned(StatusCode::OK, body.version, &body))
}

#[utoipa::path(
    put, path = "/sessions/{id}/ballot", tag = "stakeholders", operation_id = "ballots_put_own",
    summary = "Answer, or change one's answer, until the deadline or the close (invited members)",
    description = "A late answer, an answer to a closed or draft session, points over the \
        budget, a ranking that repeats or misses an idea: 422 naming the field, nothing stored.",
    params(("id" = uuid::Uuid, Path, description = "Session id"),
           ("If-Match" = String, Header, description = "ETag of one's ballot (\"0\" before the first answer)")),
    request_body = dto::BallotWrite,
    responses((status = 200, description = "The ballot", body = dto::Ballot,
        headers(("ETag" = String, description = "The new version"))))
)]
pub async fn ballot_put(
    State(state): State<AppState>,
    c: Caller,
    Id(id): Id<PrioritizationSessionId>,
    IfMatch(version): IfMatch,
    ApiJson(b): ApiJson<dto::BallotWrite>,
) -> ApiResult<Response> {
    let draft = BallotDraft {
        points: b
            .points
            .unwrap_or_default()
            .into_iter()
            .map(|(i, p)| (IdeaId(i), p))
            .collect(),
        ranking: b
            .ranking
            .unwrap_or_default()
            .into_iter()
            .map(IdeaId)
            .collect(),
        moscow: b
            .moscow
            .unwrap_or_default()
            .into_iter()
            .map(|(i, c)| (IdeaId(i), c))
            .collect(),
    };
    let saved = state
        .phare
        .put_own_ballot(&c.actor, &c.meta, id, version, &draft)
        .await?;
    let access = state
        .phare
        .prioritization_session(&c.actor, &c.meta, id)
        .await?;
    let body = ballot(&access.session, Some(saved));
    Ok(reply::versioned(StatusCode::OK, body.version, &body))
}
