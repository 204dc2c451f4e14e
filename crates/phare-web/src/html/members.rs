//! Members and invitations (admins manage, everyone sees who is who), and workspace settings.

use super::{is_form_error, render, render_status, see_other, Ctx, FormErrors, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use phare_core::{MemberInput, WorkspaceInput};
use phare_domain::{ErrorCode, InvitationId, JobTitle, Locale, MemberId, Role};
use phare_store::{Cursor, Invitation, Member, PageRequest, Workspace};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    ctx: Ctx,
    members: Vec<Member>,
    invitations: Vec<Invitation>,
    next: Option<String>,
    invite_form: InviteForm,
    invite_errors: FormErrors,
    /// The link of an invitation just created: shown to the admin, since e-mail comes later.
    invite_link: Option<String>,
    roles: &'static [Role],
}

impl MembersPage {
    /// The member's local time now, for a team spread across time zones.
    fn local_time(&self, m: &Member) -> String {
        match m.time_zone.parse::<chrono_tz::Tz>() {
            Ok(tz) => chrono::Utc::now()
                .with_timezone(&tz)
                .format("%H:%M")
                .to_string(),
            Err(_) => String::new(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct MembersQuery {
    #[serde(default)]
    after: String,
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn members_page(
    state: &AppState,
    ctx: Ctx,
    meta: &phare_core::RequestMeta,
    after: Option<Cursor>,
    invite_form: InviteForm,
    invite_errors: FormErrors,
    invite_link: Option<String>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let page = state
        .phare
        .list_members(&ctx.actor, meta, &PageRequest::new(after, Some(50)))
        .await
        .page(l)?;
    let invitations = if ctx.is_admin() {
        state
            .phare
            .list_invitations(&ctx.actor, meta)
            .await
            .page(l)?
    } else {
        Vec::new()
    };
    let next = page
        .next_cursor
        .map(|c| format!("/members?after={}", c.encode()));
    let status = if invite_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if invite_link.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &MembersPage {
            ctx,
            members: page.items,
            invitations,
            next,
            invite_form,
            invite_errors,
            invite_link,
            roles: Role::ALL,
        },
        l,
    )
}

pub async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Query(q): Query<MembersQuery>,
) -> Result<Response, WebError> {
    let form = InviteForm {
        role: "contributor".into(),
        ..Default::default()
    };
    members_page(
        &state,
        ctx,
        &meta,
        Cursor::decode(&q.after),
        form,
        FormErrors::default(),
        None,
    )
    .await
}

pub async fn invite(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Form(f): Form<InviteForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let Some(role) = Role::parse(&f.role) else {
        let errors = FormErrors::one("role", l.t("field-required"), l);
        return members_page(&state, ctx, &meta, None, f, errors, None).await;
    };
    match state.phare.invite(&ctx.actor, &meta, &f.email, role).await {
        Ok((_, token)) => {
            let link = format!(
                "{}/invitations/{token}",
                state.config.base_url.trim_end_matches('/')
            );
            let form = InviteForm {
                role: "contributor".into(),
                ..Default::default()
            };
            members_page(
                &state,
                ctx,
                &meta,
                None,
                form,
                FormErrors::default(),
                Some(link),
            )
            .await
        }
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l);
            members_page(&state, ctx, &meta, None, f, errors, None).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

pub async fn revoke_invitation(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: InvitationId = id
        .parse()
        .map_err(|_| WebError::code(ErrorCode::NotFound, l))?;
    state
        .phare
        .revoke_invitation(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    Ok(see_other("/members?done=invitation_revoked"))
}

#[derive(Template)]
#[template(path = "member.html")]
struct MemberPage {
    ctx: Ctx,
    member: Member,
    errors: FormErrors,
    password_errors: FormErrors,
    roles: &'static [Role],
    job_titles: &'static [JobTitle],
}

impl MemberPage {
    fn has_job(&self, j: &JobTitle) -> bool {
        self.member.job_title == Some(*j)
    }
}

async fn member_page(
    state: &AppState,
    ctx: Ctx,
    meta: &phare_core::RequestMeta,
    id: MemberId,
    errors: FormErrors,
    password_errors: FormErrors,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let member = state.phare.get_member(&ctx.actor, meta, id).await.page(l)?;
    let status = if errors.any() || password_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &MemberPage {
            ctx,
            member,
            errors,
            password_errors,
            roles: Role::ALL,
            job_titles: JobTitle::ALL,
        },
        l,
    )
}

pub async fn show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
) -> Result<Response, WebError> {
    let id: MemberId = id
        .parse()
        .map_err(|_| WebError::code(ErrorCode::NotFound, ctx.l))?;
    member_page(
        &state,
        ctx,
        &meta,
        id,
        FormErrors::default(),
        FormErrors::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    job_title: String,
    #[serde(default)]
    access: String,
    version: i64,
}

pub async fn update(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
    Form(f): Form<MemberForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: MemberId = id
        .parse()
        .map_err(|_| WebError::code(ErrorCode::NotFound, l))?;
    let input = MemberInput {
        role: Role::parse(&f.role),
        job_title: Some(JobTitle::parse(&f.job_title)),
        disabled: match f.access.as_str() {
            "disabled" => Some(true),
            "enabled" => Some(false),
            _ => None,
        },
    };
    match state
        .phare
        .update_member(&ctx.actor, &meta, id, f.version, input)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/members/{id}?done=member_saved"))),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let errors = if e.code == ErrorCode::VersionConflict {
                FormErrors::one("", l.t("error-version_conflict-form"), l)
            } else {
                FormErrors::from_core(&e, l)
            };
            member_page(&state, ctx, &meta, id, errors, FormErrors::default()).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
    Form(f): Form<ResetForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: MemberId = id
        .parse()
        .map_err(|_| WebError::code(ErrorCode::NotFound, l))?;
    match state
        .phare
        .reset_password(&ctx.actor, &meta, id, &f.password)
        .await
    {
        Ok(()) => Ok(see_other(&format!("/members/{id}?done=password_reset"))),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l);
            member_page(&state, ctx, &meta, id, FormErrors::default(), errors).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    ctx: Ctx,
    workspace: Workspace,
    form: SettingsForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    default_locale: String,
    #[serde(default)]
    version: i64,
}

pub async fn settings(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, WebError> {
    let l = ctx.l;
    if !ctx.is_admin() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let workspace = state.phare.workspace(&ctx.actor).await.page(l)?;
    let form = SettingsForm {
        name: workspace.name.clone(),
        default_locale: workspace.default_locale.as_str().into(),
        version: workspace.version,
    };
    render(
        &SettingsPage {
            ctx,
            workspace,
            form,
            errors: FormErrors::default(),
        },
        l,
    )
}

pub async fn settings_submit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Form(f): Form<SettingsForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let input = WorkspaceInput {
        name: Some(f.name.clone()),
        default_locale: Locale::parse(&f.default_locale),
    };
    match state
        .phare
        .update_workspace(&ctx.actor, &meta, f.version, input)
        .await
    {
        Ok(_) => Ok(see_other("/settings?done=settings_saved")),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let workspace = state.phare.workspace(&ctx.actor).await.page(l)?;
            let errors = if e.code == ErrorCode::VersionConflict {
                FormErrors::one("", l.t("error-version_conflict-form"), l)
            } else {
                FormErrors::from_core(&e, l)
            };
            let form = SettingsForm {
                version: workspace.version,
                ..f
            };
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SettingsPage {
                    ctx,
                    workspace,
                    form,
                    errors,
                },
                l,
            )
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}
