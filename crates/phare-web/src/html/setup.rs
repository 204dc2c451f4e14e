//! First-admin setup through the one-time URL the server prints, and accepting an invitation.

use super::{is_form_error, render, render_status, see_other, FormErrors, Shell};
use crate::auth::{Lang, Meta};
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use phare_domain::ErrorCode;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

#[derive(Deserialize, Default)]
pub struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    workspace_name: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    shell: Shell,
    form: SetupForm,
    errors: FormErrors,
}

pub async fn setup_form(
    State(state): State<AppState>,
    Lang(l): Lang,
    Query(q): Query<TokenQuery>,
) -> Result<Response, WebError> {
    if !state.phare.setup_token_is_valid(&q.token).await.page(l)? {
        let done = state
            .phare
            .store()
            .is_set_up()
            .await
            .map_err(phare_core::CoreError::from)
            .page(l)?;
        let code = if done {
            ErrorCode::SetupAlreadyDone
        } else {
            ErrorCode::SetupTokenInvalid
        };
        return Err(WebError::code(code, l));
    }
    let page = SetupPage {
        shell: Shell::new(l, "/setup"),
        form: SetupForm {
            token: q.token,
            ..Default::default()
        },
        errors: FormErrors::default(),
    };
    render(&page, l)
}

pub async fn setup_submit(
    State(state): State<AppState>,
    Lang(l): Lang,
    Meta(meta): Meta,
    Form(mut f): Form<SetupForm>,
) -> Result<Response, WebError> {
    let result = state
        .phare
        .complete_setup(
            &meta,
            &f.token,
            &f.workspace_name,
            &f.name,
            &f.email,
            &f.password,
            l.locale,
        )
        .await;
    match result {
        Ok(_) => Ok(see_other("/login?done=setup_complete")),
        Err(e) if is_form_error(&e) => {
            f.password.clear();
            let errors = FormErrors::from_core(&e, l);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SetupPage {
                    shell: Shell::new(l, "/setup"),
                    form: f,
                    errors,
                },
                l,
            )
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize, Default)]
pub struct InvitationForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    shell: Shell,
    workspace: String,
    email: String,
    role: String,
    form: InvitationForm,
    errors: FormErrors,
}

pub async fn invitation_form(
    State(state): State<AppState>,
    Lang(l): Lang,
    super::Seg(token): super::Seg,
) -> Result<Response, WebError> {
    let (inv, ws) = state
        .phare
        .find_invitation(&token)
        .await
        .page(l)?
        .ok_or_else(|| WebError::code(ErrorCode::InvitationInvalid, l))?;
    let page = InvitationPage {
        shell: Shell::new(l, "/"),
        workspace: ws.name,
        email: inv.email,
        role: l.t(&format!("role-{}", inv.role)),
        form: InvitationForm::default(),
        errors: FormErrors::default(),
    };
    render(&page, l)
}

pub async fn invitation_submit(
    State(state): State<AppState>,
    Lang(l): Lang,
    Meta(meta): Meta,
    super::Seg(token): super::Seg,
    Form(mut f): Form<InvitationForm>,
) -> Result<Response, WebError> {
    match state
        .phare
        .accept_invitation(&meta, &token, &f.name, &f.password, None)
        .await
    {
        Ok(_) => Ok(see_other("/login?done=invitation_accepted")),
        Err(e) if is_form_error(&e) => {
            let (inv, ws) = state
                .phare
                .find_invitation(&token)
                .await
                .page(l)?
                .ok_or_else(|| WebError::code(ErrorCode::InvitationInvalid, l))?;
            f.password.clear();
            let errors = FormErrors::from_core(&e, l);
            let page = InvitationPage {
                shell: Shell::new(l, "/"),
                workspace: ws.name,
                email: inv.email,
                role: l.t(&format!("role-{}", inv.role)),
                form: f,
                errors,
            };
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page, l)
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}
