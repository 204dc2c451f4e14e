//! Stakeholder prioritization pages: the groups settings, a product's sessions, a new session,
//! the session page (product managers: invitations and who answered — never what), the ballot
//! page (each stakeholder privately, beside the facts of every idea), and the results (tables,
//! a server-drawn bar chart with the table as its alternative, a printable page, CSV).
//!
//! Every form posts to a plain route and redirects; the ranking's "move up / move down" buttons
//! work without JavaScript (the page comes back in the new order, not yet saved), and
//! `stakeholders.js` only moves the row in place when it can. Who may do what is decided by
//! the core.

use super::lookup;
use super::{is_form_error, render, render_status, see_other, Ctx, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::i18n::L10n;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::{NaiveDateTime, TimeZone};
use phare_core::{CoreError, CoreResult, InvitationInput, SessionInput};
use phare_domain::{
    moscow_field, move_in_ranking, points_field, BallotAnswer, BallotDraft, ErrorCode, IdeaId,
    MemberId, MoscowCategory, PrioritizationSessionId, ProductId, SessionMethod, SessionResults,
    SessionState, StakeholderGroupId, POINTS_BUDGET,
};
use phare_interchange::{Cell, CsvWriter, Delimiter};
use phare_store::{
    Ballot, IdeaFacts, IdeaFilter, Member, PageRequest, PrioritizationSession, Product,
    SessionInvitation, StakeholderGroup, Timestamp,
};
use serde::Deserialize;

/// Ideas offered when preparing a session (the product's most recent).
const IDEAS_OFFERED: u32 = 200;
/// Bars drawn in the results chart; the table lists every idea.
const CHART_BARS: usize = 20;

/// A group as people read it: its own name, or the translated default name.
pub fn group_label(l: L10n, g: &StakeholderGroup) -> String {
    match (g.name.is_empty(), g.default_key) {
        (true, Some(k)) => l.tv("stakeholder-group", k.as_str()),
        _ => g.name.clone(),
    }
}

fn label_of(l: L10n, groups: &[StakeholderGroup], id: StakeholderGroupId) -> String {
    groups
        .iter()
        .find(|g| g.id == id)
        .map(|g| group_label(l, g))
        .unwrap_or_else(|| l.t("stakeholder-group-removed"))
}

/// A normalised score (0–1) as shown: points out of 100, one decimal, in the reader's notation.
pub fn shown(l: L10n, score: f64) -> String {
    decimal(l, &format!("{:.1}", score * 100.0))
}

/// A number as people of the page's language write it (`2,5` in French).
pub fn decimal(l: L10n, text: &str) -> String {
    if l.lang() == "fr" {
        text.replace('.', ",")
    } else {
        text.to_owned()
    }
}

fn form_pairs(pairs: &[(String, String)], key: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .collect()
}

fn form_one(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

// --- groups ---------------------------------------------------------------------------------

struct GroupRow {
    group: StakeholderGroup,
    label: String,
    /// What was typed, kept on an error or a conflict.
    name: String,
    weight: String,
    error: Option<String>,
    /// Someone saved the group meanwhile: the saved version is shown beside.
    conflict: bool,
}

#[derive(Template)]
#[template(path = "stakeholders_groups.html")]
struct GroupsPage {
    ctx: Ctx,
    rows: Vec<GroupRow>,
    errors: FormErrors,
    new_name: String,
    new_weight: String,
}

impl GroupsPage {
    fn stylesheet(&self) -> String {
        self.ctx.asset("stakeholders.css")
    }
    fn weight(&self, w: &f64) -> String {
        decimal(self.ctx.l, &format!("{w}"))
    }
}

#[derive(Deserialize, Default)]
pub struct GroupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    weight: String,
    #[serde(default)]
    version: i64,
}

/// A weight as typed (`2`, `2.5`, `2,5`); `None` when it is no number.
fn parse_weight(s: &str) -> Option<f64> {
    s.trim().replace(',', ".").parse::<f64>().ok()
}

async fn groups_page(
    state: &AppState,
    ctx: Ctx,
    meta: &phare_core::RequestMeta,
    errors: FormErrors,
    typed: Option<(StakeholderGroupId, GroupForm, String, bool)>,
    new: (String, String),
    status: StatusCode,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let groups = state
        .phare
        .list_stakeholder_groups(&ctx.actor, meta)
        .await
        .page(l)?;
    let rows = groups
        .into_iter()
        .map(|g| {
            let label = group_label(l, &g);
            match &typed {
                Some((id, form, message, conflict)) if *id == g.id => GroupRow {
                    name: form.name.clone(),
                    weight: form.weight.clone(),
                    error: Some(message.clone()),
                    conflict: *conflict,
                    label,
                    group: g,
                },
                _ => GroupRow {
                    name: g.name.clone(),
                    weight: decimal(l, &format!("{}", g.weight)),
                    error: None,
                    conflict: false,
                    label,
                    group: g,
                },
            }
        })
        .collect();
    render_status(
        status,
        &GroupsPage {
            ctx,
            rows,
            errors,
            new_name: new.0,
            new_weight: new.1,
        },
        l,
    )
}

pub async fn groups(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
) -> Result<Response, WebError> {
    groups_page(
        &state,
        ctx,
        &meta,
        FormErrors::default(),
        None,
        (String::new(), "1".into()),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct NewGroupForm {
    #[serde(default)]
    new_name: String,
    #[serde(default)]
    new_weight: String,
}

pub async fn group_create(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Form(form): Form<NewGroupForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let form = GroupForm {
        name: form.new_name,
        weight: form.new_weight,
        version: 0,
    };
    let Some(weight) = parse_weight(&form.weight) else {
        let errors = FormErrors::one("new_weight", l.t("field-group_weight_out_of_range"), l);
        if !ctx.can(phare_core::Action::RunSessions) {
            return Err(WebError::code(ErrorCode::Forbidden, l));
        }
        return groups_page(
            &state,
            ctx,
            &meta,
            errors,
            None,
            (form.name, form.weight),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match state
        .phare
        .create_stakeholder_group(&ctx.actor, &meta, &form.name, Some(weight))
        .await
    {
        Ok(_) => Ok(see_other("/stakeholder-groups?done=group_created")),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l)
                .rename("name", "new_name", l)
                .rename("weight", "new_weight", l);
            groups_page(
                &state,
                ctx,
                &meta,
                errors,
                None,
                (form.name, form.weight),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

pub async fn group_defaults(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
) -> Result<Response, WebError> {
    let l = ctx.l;
    state
        .phare
        .seed_stakeholder_groups(&ctx.actor, &meta)
        .await
        .page(l)?;
    Ok(see_other("/stakeholder-groups?done=groups_seeded"))
}

pub async fn group_update(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<GroupForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: StakeholderGroupId = lookup::parse_id(&id, &ctx)?;
    let weight = parse_weight(&form.weight).unwrap_or(f64::NAN);
    match state
        .phare
        .update_stakeholder_group(
            &ctx.actor,
            &meta,
            id,
            form.version,
            Some(&form.name),
            Some(weight),
        )
        .await
    {
        Ok(_) => Ok(see_other("/stakeholder-groups?done=group_saved")),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let conflict = e.code == ErrorCode::VersionConflict;
            let errors = if conflict {
                FormErrors::one("", l.t("error-version_conflict-form"), l)
            } else {
                FormErrors::from_core(&e, l)
            };
            let message = errors
                .0
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            let summary = FormErrors::one(&format!("group-{id}"), message.clone(), l);
            groups_page(
                &state,
                ctx,
                &meta,
                summary,
                Some((id, form, message, conflict)),
                (String::new(), "1".into()),
                if conflict {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                },
            )
            .await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

pub async fn group_delete(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<GroupForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: StakeholderGroupId = lookup::parse_id(&id, &ctx)?;
    match state
        .phare
        .delete_stakeholder_group(&ctx.actor, &meta, id, form.version)
        .await
    {
        Ok(()) => Ok(see_other("/stakeholder-groups?done=group_deleted")),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let message = if e.code == ErrorCode::VersionConflict {
                l.t("error-version_conflict-form")
            } else {
                l.t("field-group_in_use")
            };
            let summary = FormErrors::one(&format!("group-{id}"), message.clone(), l);
            let typed = GroupForm {
                name: String::new(),
                weight: String::new(),
                version: form.version,
            };
            // The row shows the saved values; only the message is added.
            let groups = state
                .phare
                .list_stakeholder_groups(&ctx.actor, &meta)
                .await
                .page(l)?;
            let typed = groups.iter().find(|g| g.id == id).map(|g| GroupForm {
                name: g.name.clone(),
                weight: format!("{}", g.weight),
                ..typed
            });
            groups_page(
                &state,
                ctx,
                &meta,
                summary,
                typed.map(|t| (id, t, message, false)),
                (String::new(), "1".into()),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- a product's sessions -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "stakeholders_sessions.html")]
struct SessionsPage {
    ctx: Ctx,
    product: Product,
    sessions: Vec<PrioritizationSession>,
    runs: bool,
}

impl SessionsPage {
    fn stylesheet(&self) -> String {
        self.ctx.asset("stakeholders.css")
    }
    fn deadline(&self, s: &PrioritizationSession) -> String {
        local_deadline(&s.deadline, &self.ctx.actor.member)
    }
}

pub async fn sessions(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let sessions = state
        .phare
        .list_prioritization_sessions(&ctx.actor, &meta, Some(id))
        .await
        .page(l)?;
    let runs = ctx.can(phare_core::Action::RunSessions);
    render(
        &SessionsPage {
            ctx,
            product,
            sessions,
            runs,
        },
        l,
    )
}

// --- a new session --------------------------------------------------------------------------

struct IdeaChoice {
    id: IdeaId,
    reference: String,
    title: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "stakeholders_session_form.html")]
struct SessionFormPage {
    ctx: Ctx,
    product: Product,
    title: String,
    description: String,
    method: String,
    deadline: String,
    ideas: Vec<IdeaChoice>,
    errors: FormErrors,
    time_zone: String,
}

impl SessionFormPage {
    fn stylesheet(&self) -> String {
        self.ctx.asset("stakeholders.css")
    }
    fn is_method(&self, m: &str) -> bool {
        self.method == m
    }
}

/// The member's time zone (deadlines are typed and shown in it); UTC when unknown.
fn zone(m: &Member) -> chrono_tz::Tz {
    m.time_zone.parse().unwrap_or(chrono_tz::UTC)
}

/// A `datetime-local` value in the member's zone as a UTC instant.
fn parse_deadline(typed: &str, m: &Member) -> Option<Timestamp> {
    let naive = NaiveDateTime::parse_from_str(typed.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(typed.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    zone(m)
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// A deadline as the member reads it, in their zone.
pub fn local_deadline(t: &Timestamp, m: &Member) -> String {
    let z = zone(m);
    format!(
        "{} ({})",
        t.with_timezone(&z).format("%Y-%m-%d %H:%M"),
        z.name()
    )
}

async fn session_form(
    state: &AppState,
    ctx: Ctx,
    meta: &phare_core::RequestMeta,
    product: Product,
    pairs: &[(String, String)],
    errors: FormErrors,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let filter = IdeaFilter {
        product: Some(product.id),
        ..Default::default()
    };
    let found = state
        .phare
        .list_ideas(
            &ctx.actor,
            meta,
            &filter,
            &PageRequest::first(IDEAS_OFFERED),
        )
        .await
        .page(l)?;
    let picked = form_pairs(pairs, "idea_ids");
    let ideas = found
        .items
        .into_iter()
        .filter(|i| i.merged_into.is_none())
        .map(|i| IdeaChoice {
            checked: picked.contains(&i.id.to_string()),
            id: i.id,
            reference: i.reference,
            title: i.title,
        })
        .collect();
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let method = form_one(pairs, "method");
    let time_zone = zone(&ctx.actor.member).name().to_owned();
    render_status(
        status,
        &SessionFormPage {
            title: form_one(pairs, "title"),
            description: form_one(pairs, "description"),
            method: if method.is_empty() {
                "points".into()
            } else {
                method
            },
            deadline: form_one(pairs, "deadline"),
            ctx,
            product,
            ideas,
            errors,
            time_zone,
        },
        l,
    )
}

pub async fn session_new(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can(phare_core::Action::RunSessions) {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    session_form(&state, ctx, &meta, product, &[], FormErrors::default()).await
}

pub async fn session_create(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can(phare_core::Action::RunSessions) {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let typed_deadline = form_one(&pairs, "deadline");
    let deadline = parse_deadline(&typed_deadline, &ctx.actor.member);
    let mut idea_ids = Vec::new();
    for raw in form_pairs(&pairs, "idea_ids") {
        idea_ids.push(lookup::parse_id::<IdeaId>(&raw, &ctx)?);
    }
    let input = SessionInput {
        title: form_one(&pairs, "title"),
        description: form_one(&pairs, "description"),
        method: form_one(&pairs, "method"),
        deadline,
        idea_ids,
    };
    match state
        .phare
        .create_prioritization_session(&ctx.actor, &meta, id, input)
        .await
    {
        Ok(s) => Ok(see_other(&format!(
            "/sessions/{}?done=session_created",
            s.id
        ))),
        Err(e) if is_form_error(&e) => {
            let mut errors = FormErrors::from_core(&e, l);
            // A date typed but not understood is said as such, not as "required".
            if deadline.is_none() && !typed_deadline.trim().is_empty() {
                errors = FormErrors(
                    errors
                        .0
                        .into_iter()
                        .filter(|x| x.field != "deadline")
                        .collect(),
                );
                errors.push("deadline", l.t("field-invalid_date"), l);
            }
            session_form(&state, ctx, &meta, product, &pairs, errors).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- the session page (product managers) ----------------------------------------------------

struct InvitationRow {
    invitation: SessionInvitation,
    group: String,
}

#[derive(Template)]
#[template(path = "stakeholders_session.html")]
struct SessionPage {
    ctx: Ctx,
    product: Product,
    session: PrioritizationSession,
    deadline: String,
    facts: Vec<IdeaFacts>,
    invitations: Vec<InvitationRow>,
    answered: usize,
    members: Vec<Member>,
    groups: Vec<(StakeholderGroupId, String)>,
    errors: FormErrors,
    picked_member: String,
    picked_group: String,
    /// The reader is invited too (a link to their own ballot).
    invited: bool,
}

impl SessionPage {
    fn stylesheet(&self) -> String {
        self.ctx.asset("stakeholders.css")
    }
    fn is_draft(&self) -> bool {
        self.session.state == SessionState::Draft
    }
    fn is_closed(&self) -> bool {
        self.session.state == SessionState::Closed
    }
}

#[allow(clippy::too_many_arguments)]
async fn session_page(
    state: &AppState,
    ctx: Ctx,
    meta: &phare_core::RequestMeta,
    id: PrioritizationSessionId,
    errors: FormErrors,
    picked: (String, String),
) -> Result<Response, WebError> {
    let l = ctx.l;
    let access = state
        .phare
        .prioritization_session(&ctx.actor, meta, id)
        .await
        .page(l)?;
    if !access.runs {
        // A stakeholder's view of a session is their ballot.
        return Ok(see_other(&format!("/sessions/{id}/ballot")));
    }
    let session = access.session;
    let product = state
        .phare
        .get_product(&ctx.actor, meta, session.product_id)
        .await
        .page(l)?;
    let facts = state
        .phare
        .session_idea_facts(&ctx.actor, meta, id)
        .await
        .page(l)?;
    let groups = state
        .phare
        .list_stakeholder_groups(&ctx.actor, meta)
        .await
        .page(l)?;
    let invitations: Vec<InvitationRow> = state
        .phare
        .session_invitations(&ctx.actor, meta, id)
        .await
        .page(l)?
        .into_iter()
        .map(|i| InvitationRow {
            group: label_of(l, &groups, i.group_id),
            invitation: i,
        })
        .collect();
    let answered = invitations
        .iter()
        .filter(|i| i.invitation.answered_at.is_some())
        .count();
    let members = lookup::members(state, &ctx, meta).await?;
    let members = members.into_iter().filter(|m| !m.disabled).collect();
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &SessionPage {
            deadline: local_deadline(&session.deadline, &ctx.actor.member),
            groups: groups.iter().map(|g| (g.id, group_label(l, g))).collect(),
            invited: access.invitation.is_some(),
            ctx,
            product,
            session,
            facts,
            invitations,
            answered,
            members,
            errors,
            picked_member: picked.0,
            picked_group: picked.1,
        },
        l,
    )
}

pub async fn session(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let id: PrioritizationSessionId = lookup::parse_id(&id, &ctx)?;
    session_page(
        &state,
        ctx,
        &meta,
        id,
        FormErrors::default(),
        (String::new(), String::new()),
    )
    .await
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    group_id: String,
}

pub async fn invite(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<InviteForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: PrioritizationSessionId = lookup::parse_id(&id, &ctx)?;
    let member = form.member_id.trim().parse::<MemberId>();
    let group = form.group_id.trim().parse::<StakeholderGroupId>();
    let outcome = match (member, group) {
        (Ok(member_id), Ok(group_id)) => {
            state
                .phare
                .invite_stakeholders(
                    &ctx.actor,
                    &meta,
                    id,
                    &[InvitationInput {
                        member_id,
                        group_id,
                    }],
                )
                .await
        }
        (m, _) => {
            // Policy first: a refused member learns nothing about the form.
            if !ctx.can(phare_core::Action::RunSessions) {
                return Err(WebError::code(ErrorCode::Forbidden, l));
            }
            Err(if m.is_err() {
                CoreError::field("invitations[0].member_id", "required")
            } else {
                CoreError::field("invitations[0].group_id", "required")
            })
        }
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!(
            "/sessions/{id}?done=stakeholder_invited"
        ))),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l)
                .rename("invitations[0].member_id", "member_id", l)
                .rename("invitations[0].group_id", "group_id", l);
            session_page(
                &state,
                ctx,
                &meta,
                id,
                errors,
                (form.member_id, form.group_id),
            )
            .await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: i64,
}

pub async fn open(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<VersionForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: PrioritizationSessionId = lookup::parse_id(&id, &ctx)?;
    match state
        .phare
        .open_prioritization_session(&ctx.actor, &meta, id, form.version)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/sessions/{id}?done=session_opened"))),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let errors = state_errors(&e, l);
            session_page(
                &state,
                ctx,
                &meta,
                id,
                errors,
                (String::new(), String::new()),
            )
            .await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

pub async fn close(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<VersionForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: PrioritizationSessionId = lookup::parse_id(&id, &ctx)?;
    match state
        .phare
        .close_prioritization_session(&ctx.actor, &meta, id, form.version)
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/sessions/{id}/results?done=session_closed"
        ))),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let errors = state_errors(&e, l);
            session_page(
                &state,
                ctx,
                &meta,
                id,
                errors,
                (String::new(), String::new()),
            )
            .await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

/// A stale open or close button: the session changed since the page was shown.
fn state_errors(e: &CoreError, l: L10n) -> FormErrors {
    if e.code == ErrorCode::VersionConflict {
        FormErrors::one("", l.t("session-changed-meanwhile"), l)
    } else {
        FormErrors::from_core(e, l)
    }
}

// --- the ballot -----------------------------------------------------------------------------

struct BallotIdea {
    facts: IdeaFacts,
    points: String,
    category: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "stakeholders_ballot.html")]
struct BallotPage {
    ctx: Ctx,
    product: Product,
    session: PrioritizationSession,
    deadline: String,
    /// In the order shown (for a ranking: the stakeholder's order).
    ideas: Vec<BallotIdea>,
    version: i64,
    answered: Option<Timestamp>,
    /// Why no answer can be sent now (translated), if so.
    refused: Option<String>,
    errors: FormErrors,
    /// The order changed with the move buttons and is not saved yet.
    moved: bool,
    /// The idea whose move button was used (focus goes back to it).
    focus: String,
    total: i64,
}

impl BallotPage {
    fn stylesheet(&self) -> String {
        self.ctx.asset("stakeholders.css")
    }
    fn script(&self) -> String {
        self.ctx.asset("stakeholders.js")
    }
    fn method(&self) -> &'static str {
        self.session.method.as_str()
    }
    fn budget(&self) -> u32 {
        POINTS_BUDGET
    }
    fn left(&self) -> i64 {
        i64::from(POINTS_BUDGET) - self.total
    }
    fn categories(&self) -> &'static [MoscowCategory] {
        MoscowCategory::ALL
    }
    fn open(&self) -> bool {
        self.refused.is_none()
    }
    fn focused(&self, way: &str, id: &IdeaId) -> bool {
        self.focus == format!("{way}-{id}")
    }
    fn points_left_text(&self) -> String {
        self.ctx.l.ta(
            "ballot-points-left",
            &[
                ("left", self.left().to_string()),
                ("budget", self.budget().to_string()),
            ],
        )
    }
}

/// Builds the ideas of a ballot page from a draft (what was typed) or a saved answer.
fn ballot_ideas(
    l: L10n,
    method: SessionMethod,
    facts: Vec<IdeaFacts>,
    answer: Option<&BallotAnswer>,
    draft: Option<&BallotDraft>,
    errors: &FormErrors,
) -> Vec<BallotIdea> {
    let mut facts = facts;
    if method == SessionMethod::Ranking {
        let order: Vec<IdeaId> = match (draft, answer) {
            (Some(d), _) if !d.ranking.is_empty() => d.ranking.clone(),
            (_, Some(BallotAnswer::Ranking { ranking })) => ranking.clone(),
            _ => Vec::new(),
        };
        facts.sort_by_key(|f| order.iter().position(|i| *i == f.id).unwrap_or(usize::MAX));
    }
    facts
        .into_iter()
        .map(|f| {
            let points = match draft {
                Some(d) => d
                    .points
                    .iter()
                    .find(|(i, _)| *i == f.id)
                    .map(|(_, p)| p.to_string())
                    .unwrap_or_default(),
                None => answer.map_or(String::new(), |a| {
                    let p = a.points_of(f.id);
                    if p == 0 {
                        String::new()
                    } else {
                        p.to_string()
                    }
                }),
            };
            let category = match draft {
                Some(d) => d
                    .moscow
                    .iter()
                    .find(|(i, _)| *i == f.id)
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default(),
                None => answer
                    .and_then(|a| a.category_of(f.id))
                    .map(|c| c.as_str().to_owned())
                    .unwrap_or_default(),
            };
            let error = errors
                .get(&points_field(f.id))
                .or_else(|| errors.get(&moscow_field(f.id)));
            let _ = l;
            BallotIdea {
                facts: f,
                points,
                category,
                error,
            }
        })
        .collect()
}

/// Reads the ballot form: `points.<id>` numbers, `ranking` ids in order, `moscow.<id>`
/// categories. A points value that is no whole number is kept as an error of its idea.
fn read_ballot_form(pairs: &[(String, String)]) -> (BallotDraft, Vec<(IdeaId, &'static str)>) {
    let mut draft = BallotDraft::default();
    let mut bad = Vec::new();
    for (k, v) in pairs {
        if let Some(id) = k
            .strip_prefix("points.")
            .and_then(|s| s.parse::<IdeaId>().ok())
        {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match v.parse::<i64>() {
                Ok(n) => draft.points.push((id, n)),
                Err(_) => bad.push((id, "points_not_a_number")),
            }
        } else if let Some(id) = k
            .strip_prefix("moscow.")
            .and_then(|s| s.parse::<IdeaId>().ok())
        {
            draft.moscow.push((id, v.clone()));
        } else if k == "ranking" {
            if let Ok(id) = v.parse::<IdeaId>() {
                draft.ranking.push(id);
            }
        }
    }
    (draft, bad)
}

/// Field errors of a ballot, each naming its idea by reference ("CHK-3 — …").
fn ballot_errors(e: &CoreError, l: L10n, facts: &[IdeaFacts]) -> FormErrors {
    let mut out = FormErrors::default();
    for f in &e.fields {
        let specific = format!(
            "field-{}-{}",
            f.code,
            f.field.split('.').next().unwrap_or("")
        );
        let message = if l.has(&specific) {
            l.t(&specific)
        } else {
            l.t(&format!("field-{}", f.code))
        };
        let idea = f
            .field
            .split_once('.')
            .and_then(|(_, id)| id.parse::<IdeaId>().ok())
            .and_then(|id| facts.iter().find(|x| x.id == id));
        let summary = match idea {
            Some(i) => l.ta(
                "form-error-item",
                &[
                    ("field", format!("{} {}", i.reference, i.title)),
                    ("message", message.clone()),
                ],
            ),
            None => message.clone(),
        };
        out.0.push(super::FormError {
            field: f.field.clone(),
            message,
            summary,
        });
    }
    if out.0.is_empty() {
        out.push("", l.t(&format!("error-{}", e.code)), l);
    }
    out
}

/// Why the session takes no answer now, in words.
fn refusal_text(session: &PrioritizationSession, l: L10n) -> Option<String> {
    phare_core::refusal(session, phare_store::now())
        .err()
        .map(|e| {
            let code = e.fields.first().map_or("session_closed", |f| f.code);
            l.t(&format!("field-{code}"))
        })
}

#[allow(clippy::too_many_arguments)]
async fn ballot_page(
    state: &AppState,
    ctx: Ctx,
    meta: &phare_core::RequestMeta,
    id: PrioritizationSessionId,
    draft: Option<&BallotDraft>,
    errors: FormErrors,
    moved: bool,
    focus: String,
    version: Option<i64>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let (access, ballot) = state.phare.own_ballot(&ctx.actor, meta, id).await.page(l)?;
    let session = access.session;
    let product = state
        .phare
        .get_product(&ctx.actor, meta, session.product_id)
        .await
        .page(l)?;
    let facts = state
        .phare
        .session_idea_facts(&ctx.actor, meta, id)
        .await
        .page(l)?;
    let ideas = ballot_ideas(
        l,
        session.method,
        facts,
        ballot.as_ref().map(|b: &Ballot| &b.answer),
        draft,
        &errors,
    );
    let total: i64 = ideas
        .iter()
        .filter_map(|i| i.points.trim().parse::<i64>().ok())
        .sum();
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &BallotPage {
            deadline: local_deadline(&session.deadline, &ctx.actor.member),
            refused: refusal_text(&session, l),
            version: version.unwrap_or_else(|| ballot.as_ref().map_or(0, |b| b.version)),
            answered: ballot.as_ref().map(|b| b.updated_at),
            ctx,
            product,
            session,
            ideas,
            errors,
            moved,
            focus,
            total,
        },
        l,
    )
}

pub async fn ballot(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let id: PrioritizationSessionId = lookup::parse_id(&id, &ctx)?;
    ballot_page(
        &state,
        ctx,
        &meta,
        id,
        None,
        FormErrors::default(),
        false,
        String::new(),
        None,
    )
    .await
}

pub async fn ballot_submit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: PrioritizationSessionId = lookup::parse_id(&id, &ctx)?;
    let version = form_one(&pairs, "version")
        .trim()
        .parse::<i64>()
        .unwrap_or(-1);
    let (mut draft, bad) = read_ballot_form(&pairs);
    // "Move up" / "Move down" without JavaScript: the page comes back in the new order.
    let moved = form_one(&pairs, "move");
    if let Some((way, idea)) = moved.split_once(':') {
        let idea = lookup::parse_id::<IdeaId>(idea, &ctx)?;
        move_in_ranking(&mut draft.ranking, idea, way == "up");
        // The focus goes back to the button pressed, or to the other one of the same idea once
        // it reached the top or the bottom (a disabled button cannot hold the focus).
        let at = draft.ranking.iter().position(|i| *i == idea);
        let last = draft.ranking.len().saturating_sub(1);
        let way = match (way, at) {
            ("up", Some(0)) => "down",
            ("down", Some(p)) if p == last => "up",
            (w, _) => w,
        };
        return ballot_page(
            &state,
            ctx,
            &meta,
            id,
            Some(&draft),
            FormErrors::default(),
            true,
            format!("{way}-{idea}"),
            Some(version),
        )
        .await;
    }
    let outcome = if bad.is_empty() {
        state
            .phare
            .put_own_ballot(&ctx.actor, &meta, id, version, &draft)
            .await
    } else {
        // Policy and invitation first (a refused member learns nothing of the form).
        state
            .phare
            .own_ballot(&ctx.actor, &meta, id)
            .await
            .page(l)?;
        let mut errors = phare_domain::Invalid::new();
        for (idea, code) in &bad {
            errors.add(&points_field(*idea), code);
        }
        Err(errors.into())
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!(
            "/sessions/{id}/ballot?done=ballot_saved"
        ))),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let facts = state
                .phare
                .session_idea_facts(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let conflict = e.code == ErrorCode::VersionConflict;
            let errors = if conflict {
                FormErrors::one("", l.t("ballot-changed-meanwhile"), l)
            } else {
                ballot_errors(&e, l, &facts)
            };
            // On a conflict the page shows the saved ballot and its version.
            let (draft, version) = if conflict {
                (None, None)
            } else {
                (Some(&draft), Some(version))
            };
            ballot_page(
                &state,
                ctx,
                &meta,
                id,
                draft,
                errors,
                false,
                String::new(),
                version,
            )
            .await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- results --------------------------------------------------------------------------------

struct ResultRow {
    rank: u32,
    reference: String,
    title: String,
    idea_id: IdeaId,
    score: String,
    disagreement: String,
    disputed: bool,
    /// Per group: rank and score as shown ("—" for a group without ballot).
    groups: Vec<(String, String)>,
}

struct Bar {
    y: u32,
    width: u32,
    label: String,
    value: String,
    disputed: bool,
}

/// What the results page and its printable twin show.
struct ResultsData {
    product: Product,
    session: PrioritizationSession,
    rows: Vec<ResultRow>,
    /// Name, weight used, ballots counted.
    groups: Vec<(String, String, u32)>,
    ballots: u32,
    invited: usize,
    bars: Vec<Bar>,
    chart_height: u32,
    closed_at: String,
}

impl ResultsData {
    fn disputed(&self) -> Vec<&ResultRow> {
        self.rows.iter().filter(|r| r.disputed).collect()
    }
}

#[derive(Template)]
#[template(path = "stakeholders_results.html")]
struct ResultsPage {
    ctx: Ctx,
    page: ResultsData,
}

#[derive(Template)]
#[template(path = "stakeholders_results_print.html")]
struct PrintPage {
    ctx: Ctx,
    page: ResultsData,
}

#[derive(Template)]
#[template(path = "stakeholders_results_pending.html")]
struct PendingPage {
    ctx: Ctx,
    product: Product,
    session: PrioritizationSession,
}

fn result_rows(l: L10n, results: &SessionResults, facts: &[IdeaFacts]) -> Vec<ResultRow> {
    results
        .ideas
        .iter()
        .map(|i| {
            let f = facts.iter().find(|f| f.id == i.idea_id);
            ResultRow {
                rank: i.rank,
                reference: f.map(|f| f.reference.clone()).unwrap_or_default(),
                title: f.map(|f| f.title.clone()).unwrap_or_default(),
                idea_id: i.idea_id,
                score: i.score.map_or_else(|| "—".into(), |s| shown(l, s)),
                disagreement: shown(l, i.disagreement),
                disputed: i.disputed,
                groups: i
                    .group_ranks
                    .iter()
                    .zip(&i.group_scores)
                    .map(|(r, s)| match (r, s) {
                        (Some(r), Some(s)) => (r.to_string(), shown(l, *s)),
                        _ => ("—".into(), "—".into()),
                    })
                    .collect(),
            }
        })
        .collect()
}

async fn results_page(
    state: &AppState,
    ctx: Ctx,
    meta: &phare_core::RequestMeta,
    id: PrioritizationSessionId,
    print: bool,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let access = state
        .phare
        .prioritization_session(&ctx.actor, meta, id)
        .await
        .page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, meta, access.session.product_id)
        .await
        .page(l)?;
    if access.session.results.is_none() {
        let session = access.session;
        return render(
            &PendingPage {
                ctx,
                product,
                session,
            },
            l,
        );
    }
    let (session, results, groups) = state
        .phare
        .session_results(&ctx.actor, meta, id, false)
        .await
        .page(l)?;
    let facts = state
        .phare
        .session_idea_facts(&ctx.actor, meta, id)
        .await
        .page(l)?;
    let invited = if access.runs {
        state
            .phare
            .session_invitations(&ctx.actor, meta, id)
            .await
            .page(l)?
            .len()
    } else {
        0
    };
    let rows = result_rows(l, &results, &facts);
    let bars = rows
        .iter()
        .take(CHART_BARS)
        .enumerate()
        .map(|(n, r)| {
            let score = results
                .ideas
                .iter()
                .find(|i| i.idea_id == r.idea_id)
                .and_then(|i| i.score)
                .unwrap_or(0.0);
            Bar {
                y: u32::try_from(n).unwrap_or(0) * 28,
                width: (score.clamp(0.0, 1.0) * 400.0).round() as u32,
                label: r.reference.clone(),
                value: r.score.clone(),
                disputed: r.disputed,
            }
        })
        .collect::<Vec<_>>();
    let chart_height = u32::try_from(bars.len()).unwrap_or(0) * 28 + 8;
    let page = ResultsData {
        closed_at: session
            .closed_at
            .map(|t| local_deadline(&t, &ctx.actor.member))
            .unwrap_or_default(),
        groups: results
            .groups
            .iter()
            .map(|g| {
                (
                    label_of(l, &groups, g.group_id),
                    format!("{}", g.weight),
                    g.ballots,
                )
            })
            .collect(),
        ballots: results.ballots,
        product,
        session,
        rows,
        invited,
        bars,
        chart_height,
    };
    if print {
        render(&PrintPage { ctx, page }, l)
    } else {
        render(&ResultsPage { ctx, page }, l)
    }
}

pub async fn results(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let id: PrioritizationSessionId = lookup::parse_id(&id, &ctx)?;
    results_page(&state, ctx, &meta, id, false).await
}

pub async fn results_print(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let id: PrioritizationSessionId = lookup::parse_id(&id, &ctx)?;
    results_page(&state, ctx, &meta, id, true).await
}

#[derive(Deserialize)]
pub struct CsvForm {
    #[serde(default)]
    delimiter: String,
}

pub async fn results_csv_page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<CsvForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: PrioritizationSessionId = lookup::parse_id(&id, &ctx)?;
    let (session, results, groups) = state
        .phare
        .session_results(&ctx.actor, &meta, id, true)
        .await
        .page(l)?;
    let facts = state
        .phare
        .session_idea_facts(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let delimiter = if q.delimiter == "semicolon" {
        Delimiter::Semicolon
    } else {
        Delimiter::Comma
    };
    let bytes = results_csv(l, &results, &groups, &facts, delimiter).page(l)?;
    Ok(csv_file(bytes, &session))
}

/// The results as CSV (INTEROP §3: BOM, CRLF, every text cell through the injection guard):
/// one row per idea in the weighted ranking, then each group's rank and score.
pub fn results_csv(
    l: L10n,
    results: &SessionResults,
    groups: &[StakeholderGroup],
    facts: &[IdeaFacts],
    delimiter: Delimiter,
) -> CoreResult<Vec<u8>> {
    let fail = |e: phare_interchange::ExportError| CoreError::internal(e.to_string());
    let mut csv = CsvWriter::new(Vec::new(), delimiter).map_err(fail)?;
    let mut header = vec![
        l.t("results-col-rank"),
        l.t("results-col-reference"),
        l.t("results-col-title"),
        l.t("results-col-score"),
        l.t("results-col-disagreement"),
        l.t("results-col-disputed"),
    ];
    for g in &results.groups {
        let name = label_of(l, groups, g.group_id);
        header.push(l.t1("results-col-group-rank", "group", &name));
        header.push(l.t1("results-col-group-score", "group", &name));
    }
    csv.write_header(&header).map_err(fail)?;
    for i in &results.ideas {
        let f = facts.iter().find(|f| f.id == i.idea_id);
        let mut row = vec![
            Cell::Int(i64::from(i.rank)),
            Cell::Text(f.map(|f| f.reference.clone()).unwrap_or_default()),
            Cell::Text(f.map(|f| f.title.clone()).unwrap_or_default()),
            i.score
                .map_or(Cell::Empty, |s| Cell::Number(round1(s * 100.0))),
            Cell::Number(round1(i.disagreement * 100.0)),
            Cell::Text(if i.disputed {
                l.t("results-disputed-yes")
            } else {
                l.t("results-disputed-no")
            }),
        ];
        for (r, s) in i.group_ranks.iter().zip(&i.group_scores) {
            row.push(r.map_or(Cell::Empty, |r| Cell::Int(i64::from(r))));
            row.push(s.map_or(Cell::Empty, |s| Cell::Number(round1(s * 100.0))));
        }
        csv.write_row(&row).map_err(fail)?;
    }
    csv.finish().map_err(fail)
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A CSV download named after the session.
pub fn csv_file(bytes: Vec<u8>, s: &PrioritizationSession) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"session-results-{}.csv\"",
        s.id
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
