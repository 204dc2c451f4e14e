//! Signing in and out, one's own profile and password, personal access tokens.

use super::{is_form_error, render, render_status, see_other, Ctx, FormErrors, Shell, Signed};
use crate::auth::{self, Lang, MaybeActor, Meta};
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use phare_core::{LoginOutcome, NewTokenInput, ProfileInput};
use phare_domain::{ErrorCode, JobTitle, Locale, Scope, TokenId};
use phare_store::ApiToken;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    shell: Shell,
    email: String,
    next: String,
    flash: Option<String>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    done: String,
}

/// Only same-site paths are followed after login.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

pub async fn login_form(
    State(state): State<AppState>,
    Lang(l): Lang,
    MaybeActor(actor): MaybeActor,
    Query(q): Query<LoginQuery>,
) -> Result<Response, WebError> {
    if actor.is_some() {
        return Ok(see_other(&safe_next(&q.next)));
    }
    // Before setup there is nobody to log in: say how to start instead of a dead form.
    if !state
        .phare
        .store()
        .is_set_up()
        .await
        .map_err(phare_core::CoreError::from)
        .page(l)?
    {
        let mut errors = FormErrors::default();
        errors.push("", l.t("login-not-set-up"), l);
        return render(
            &LoginPage {
                shell: Shell::new(l, "/login"),
                email: String::new(),
                next: q.next,
                flash: None,
                errors,
            },
            l,
        );
    }
    let key = format!("flash-{}", q.done);
    let flash = l.has(&key).then(|| l.t(&key));
    render(
        &LoginPage {
            shell: Shell::new(l, "/login"),
            email: String::new(),
            next: q.next,
            flash,
            errors: FormErrors::default(),
        },
        l,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login_submit(
    State(state): State<AppState>,
    Lang(l): Lang,
    Meta(meta): Meta,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    match state.phare.login(&meta, &f.email, &f.password).await {
        Ok(LoginOutcome::LoggedIn { session_id, .. }) => {
            let max_age = state.phare.config().sessions.absolute.num_seconds();
            let cookie = auth::session_cookie(&state, &session_id, max_age);
            Ok((
                [(header::SET_COOKIE, cookie)],
                see_other(&safe_next(&f.next)),
            )
                .into_response())
        }
        Err(e) if e.code == ErrorCode::InvalidCredentials => {
            let errors = FormErrors::one("", l.t("error-invalid_credentials"), l);
            let page = LoginPage {
                shell: Shell::new(l, "/login"),
                email: f.email,
                next: f.next,
                flash: None,
                errors,
            };
            render_status(StatusCode::UNAUTHORIZED, &page, l)
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    Lang(l): Lang,
    Meta(meta): Meta,
    MaybeActor(actor): MaybeActor,
) -> Result<Response, WebError> {
    if let Some(actor) = actor {
        state.phare.logout(&actor, &meta).await.page(l)?;
    }
    let cookie = auth::session_cookie(&state, "", 0);
    Ok((
        [(header::SET_COOKIE, cookie)],
        see_other("/login?done=logged_out"),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    ctx: Ctx,
    form: ProfileForm,
    errors: FormErrors,
    password_errors: FormErrors,
    job_titles: &'static [JobTitle],
}

impl ProfilePage {
    fn zones(&self) -> impl Iterator<Item = &'static str> {
        phare_domain::validate::time_zones()
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    job_title: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    work_start: String,
    #[serde(default)]
    work_end: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    version: i64,
}

fn profile_form(ctx: &Ctx) -> ProfileForm {
    let m = &ctx.actor.member;
    ProfileForm {
        name: m.name.clone(),
        job_title: m
            .job_title
            .map(|j| j.as_str().to_owned())
            .unwrap_or_default(),
        time_zone: m.time_zone.clone(),
        work_start: m.work_start.clone(),
        work_end: m.work_end.clone(),
        locale: m.locale.map(|l| l.as_str().to_owned()).unwrap_or_default(),
        version: m.version,
    }
}

pub async fn profile(Signed(ctx): Signed) -> Result<Response, WebError> {
    let l = ctx.l;
    let form = profile_form(&ctx);
    render(
        &ProfilePage {
            ctx,
            form,
            errors: FormErrors::default(),
            password_errors: FormErrors::default(),
            job_titles: JobTitle::ALL,
        },
        l,
    )
}

pub async fn profile_submit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Form(f): Form<ProfileForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let input = ProfileInput {
        name: Some(f.name.clone()),
        job_title: Some(JobTitle::parse(&f.job_title)),
        time_zone: Some(f.time_zone.clone()),
        work_start: Some(f.work_start.clone()),
        work_end: Some(f.work_end.clone()),
        locale: Some(Locale::parse(&f.locale)),
    };
    match state
        .phare
        .update_profile(&ctx.actor, &meta, f.version, input)
        .await
    {
        Ok(_) => Ok(see_other("/profile?done=profile_saved")),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let errors = FormErrors::from_core(&e, l);
            let mut form = f;
            form.version = ctx.actor.member.version;
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ProfilePage {
                    ctx,
                    form,
                    errors,
                    password_errors: FormErrors::default(),
                    job_titles: JobTitle::ALL,
                },
                l,
            )
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn password_submit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    match state
        .phare
        .change_password(&ctx.actor, &meta, &f.current_password, &f.new_password)
        .await
    {
        Ok(()) => Ok(see_other("/profile?done=password_changed")),
        Err(e) if is_form_error(&e) => {
            let password_errors = FormErrors::from_core(&e, l);
            let form = profile_form(&ctx);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ProfilePage {
                    ctx,
                    form,
                    errors: FormErrors::default(),
                    password_errors,
                    job_titles: JobTitle::ALL,
                },
                l,
            )
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    ctx: Ctx,
    tokens: Vec<ApiToken>,
    created: Option<String>,
    form: TokenForm,
    errors: FormErrors,
}

impl TokensPage {
    fn scope_label(&self, s: &Scope) -> String {
        self.ctx.l.t(&format!("scope-{}", s.as_str()))
    }
    fn status(&self, t: &ApiToken) -> (&'static str, String) {
        let now = phare_store::now();
        if t.revoked_at.is_some() {
            ("badge-muted", self.ctx.l.t("token-revoked"))
        } else if t.expires_at.is_some_and(|e| e <= now) {
            ("badge-warn", self.ctx.l.t("token-expired"))
        } else {
            ("badge-ok", self.ctx.l.t("token-active"))
        }
    }
}

#[derive(Deserialize, Default)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    expires_in_days: String,
}

pub async fn tokens(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let tokens = state.phare.list_tokens(&ctx.actor).await.page(l)?;
    render(
        &TokensPage {
            ctx,
            tokens,
            created: None,
            form: TokenForm {
                scope: "all".into(),
                expires_in_days: "90".into(),
                ..Default::default()
            },
            errors: FormErrors::default(),
        },
        l,
    )
}

/// Creating a token renders the page directly (no redirect): the secret is shown this once.
pub async fn token_create(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Form(f): Form<TokenForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let expires = match f.expires_in_days.trim() {
        "" | "never" => None,
        d => Some(d.parse::<i64>().unwrap_or(0)),
    };
    let scopes = Scope::parse(&f.scope).map(|s| vec![s]).unwrap_or_default();
    let result = state
        .phare
        .create_token(
            &ctx.actor,
            &meta,
            NewTokenInput {
                name: f.name.clone(),
                scopes,
                expires_in_days: expires,
            },
        )
        .await;
    let (created, errors, status) = match result {
        Ok((_, secret)) => (Some(secret), FormErrors::default(), StatusCode::CREATED),
        Err(e) if is_form_error(&e) => (
            None,
            FormErrors::from_core(&e, l),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => return Err(WebError::new(e, l)),
    };
    let tokens = state.phare.list_tokens(&ctx.actor).await.page(l)?;
    let form = if created.is_some() {
        TokenForm {
            scope: "all".into(),
            expires_in_days: "90".into(),
            ..Default::default()
        }
    } else {
        f
    };
    render_status(
        status,
        &TokensPage {
            ctx,
            tokens,
            created,
            form,
            errors,
        },
        l,
    )
}

pub async fn token_revoke(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: TokenId = id
        .parse()
        .map_err(|_| WebError::code(ErrorCode::NotFound, l))?;
    state
        .phare
        .revoke_token(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    Ok(see_other("/tokens?done=token_revoked"))
}
