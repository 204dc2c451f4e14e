//! The team's side of the portal: a product's portal settings with its moderation queue
//! (pending submissions, latest comments, what is published), the moderation of one idea
//! (state, public text, comments, a reply in the team's name, merging a duplicate), and the
//! outbox for admins. Product managers moderate; everyone in the workspace may look.

use super::mail::{compose, Composed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::html::{is_form_error, render, render_status, see_other, Ctx, FormErrors, Seg, Signed};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use phare_core::{Action, PortalIdeaInput, PortalSettingsInput, RequestMeta};
use phare_domain::{
    markdown, parse_reference, CommentId, ErrorCode, IdeaId, IdeaStatus, PortalSort, PortalState,
    ProductId,
};
use phare_store::{
    Cursor, Idea, OutboxMessage, PageRequest, Portal, PortalComment, PortalIdea, PortalIdeaFilter,
    Product,
};
use serde::Deserialize;

/// Rows of each list on the moderation pages.
const QUEUE_SIZE: u32 = 50;

fn parse<T: std::str::FromStr>(s: &str, ctx: &Ctx) -> Result<T, WebError> {
    s.parse::<T>()
        .map_err(|_| WebError::code(ErrorCode::NotFound, ctx.l))
}

fn flash(ctx: &Ctx, done: &str) -> Option<String> {
    let key = format!("portal-flash-{done}");
    (!done.is_empty() && ctx.l.has(&key)).then(|| ctx.l.t(&key))
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

// --- a product's portal: settings and moderation queue -------------------------------------

#[derive(Template)]
#[template(path = "portal_settings.html")]
struct SettingsPage {
    ctx: Ctx,
    product: Product,
    portal: Option<Portal>,
    enabled: bool,
    title: String,
    intro: String,
    version: i64,
    errors: FormErrors,
    pending: Vec<PortalIdea>,
    published: Vec<PortalIdea>,
    comments: Vec<(PortalComment, String)>,
    public_path: String,
    notice: Option<String>,
}

impl SettingsPage {
    fn can_moderate(&self) -> bool {
        self.ctx.can(Action::ModeratePortal)
    }
    fn is_live(&self) -> bool {
        self.portal.as_ref().is_some_and(|p| p.enabled) && !self.product.archived
    }
}

async fn settings_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    product: ProductId,
    form: Option<(SettingsForm, FormErrors)>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let (product, portal) = state
        .phare
        .portal_settings(&ctx.actor, meta, product)
        .await
        .page(l)?;
    let list = |states: Vec<PortalState>| {
        let filter = PortalIdeaFilter {
            states,
            status: None,
            sort: PortalSort::Newest,
        };
        let state = state.clone();
        let actor = ctx.actor.clone();
        let meta = meta.clone();
        async move {
            state
                .phare
                .list_portal_ideas(
                    &actor,
                    &meta,
                    product.id,
                    &filter,
                    &PageRequest::first(QUEUE_SIZE),
                )
                .await
        }
    };
    let pending = list(vec![PortalState::Pending]).await.page(l)?.items;
    let published = list(vec![PortalState::Published, PortalState::Hidden])
        .await
        .page(l)?
        .items;
    let comments = state
        .phare
        .list_product_portal_comments(
            &ctx.actor,
            meta,
            product.id,
            &PageRequest::first(QUEUE_SIZE),
        )
        .await
        .page(l)?
        .items
        .into_iter()
        .map(|c| {
            let html = markdown::render(&c.body);
            (c, html)
        })
        .collect();
    let workspace = state.phare.workspace(&ctx.actor).await.page(l)?;
    let public_path = format!("/p/{}/{}", workspace.slug, product.key);
    let (enabled, title, intro, version, errors) = match form {
        Some((f, errors)) => (f.enabled.is_some(), f.title, f.intro, f.version, errors),
        None => (
            portal.as_ref().is_some_and(|p| p.enabled),
            portal.as_ref().map(|p| p.title.clone()).unwrap_or_default(),
            portal.as_ref().map(|p| p.intro.clone()).unwrap_or_default(),
            portal.as_ref().map(|p| p.version).unwrap_or(0),
            FormErrors::default(),
        ),
    };
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &SettingsPage {
            ctx,
            product,
            portal,
            enabled,
            title,
            intro,
            version,
            errors,
            pending,
            published,
            comments,
            public_path,
            notice,
        },
        l,
    )
}

pub async fn settings(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let product: ProductId = parse(&id, &ctx)?;
    let notice = flash(&ctx, &q.done);
    settings_page(&state, ctx, &meta, product, None, notice).await
}

#[derive(Deserialize, Default, Clone)]
pub struct SettingsForm {
    #[serde(default)]
    enabled: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    intro: String,
    #[serde(default)]
    version: i64,
}

pub async fn settings_submit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(f): Form<SettingsForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let product: ProductId = parse(&id, &ctx)?;
    let input = PortalSettingsInput {
        enabled: Some(f.enabled.is_some()),
        title: Some(f.title.clone()),
        intro: Some(f.intro.clone()),
    };
    match state
        .phare
        .configure_portal(&ctx.actor, &meta, product, f.version, input)
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/products/{product}/portal?done=portal_saved"
        ))),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let errors = FormErrors::from_core(&e, l);
            settings_page(&state, ctx, &meta, product, Some((f, errors)), None).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- one idea on the portal -----------------------------------------------------------------

#[derive(Template)]
#[template(path = "portal_moderate.html")]
struct ModeratePage {
    ctx: Ctx,
    idea: Idea,
    face: PortalIdea,
    product: Product,
    live: bool,
    public_path: String,
    state_value: PortalState,
    title: String,
    description: String,
    version: i64,
    errors: FormErrors,
    comments: Vec<(PortalComment, String)>,
    reply: String,
    reply_errors: FormErrors,
    into: String,
    reason: String,
    merge_errors: FormErrors,
    states: Vec<PortalState>,
    notice: Option<String>,
}

impl ModeratePage {
    fn can_moderate(&self) -> bool {
        self.ctx.can(Action::ModeratePortal)
    }
    fn can_reply(&self) -> bool {
        self.ctx.can(Action::WorkOnDiscovery) && self.face.status != IdeaStatus::Merged
    }
    fn can_merge(&self) -> bool {
        self.ctx.can(Action::CurateDiscovery) && self.face.status != IdeaStatus::Merged
    }
}

#[derive(Default)]
struct ModerateForms {
    portal: Option<(IdeaPortalForm, FormErrors)>,
    reply: Option<(String, FormErrors)>,
    merge: Option<(MergeForm, FormErrors)>,
}

async fn moderate_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    id: IdeaId,
    forms: ModerateForms,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let idea = state.phare.get_idea(&ctx.actor, meta, id).await.page(l)?;
    let face = state
        .phare
        .get_portal_idea(&ctx.actor, meta, id)
        .await
        .page(l)?;
    let (product, portal) = state
        .phare
        .portal_settings(&ctx.actor, meta, idea.product_id)
        .await
        .page(l)?;
    let comments = state
        .phare
        .list_idea_portal_comments(&ctx.actor, meta, id, &PageRequest::first(200))
        .await
        .page(l)?
        .items
        .into_iter()
        .map(|c| {
            let html = markdown::render(&c.body);
            (c, html)
        })
        .collect();
    let workspace = state.phare.workspace(&ctx.actor).await.page(l)?;
    let live = portal.as_ref().is_some_and(|p| p.enabled) && !product.archived;
    let public_path = format!(
        "/p/{}/{}/ideas/{}",
        workspace.slug, product.key, face.number
    );
    let mut states = vec![
        PortalState::Private,
        PortalState::Published,
        PortalState::Hidden,
    ];
    if face.state == PortalState::Pending {
        states.insert(0, PortalState::Pending);
    }
    let any_errors = forms.portal.as_ref().is_some_and(|f| f.1.any())
        || forms.reply.as_ref().is_some_and(|f| f.1.any())
        || forms.merge.as_ref().is_some_and(|f| f.1.any());
    let (state_value, title, description, version, errors) = match forms.portal {
        Some((f, e)) => (
            PortalState::parse(&f.state).unwrap_or(face.state),
            f.title,
            f.description,
            f.version,
            e,
        ),
        None => (
            face.state,
            face.title.clone(),
            face.description.clone(),
            face.portal_version,
            FormErrors::default(),
        ),
    };
    let (reply, reply_errors) = forms.reply.unwrap_or_default();
    let (merge, merge_errors) = forms.merge.unwrap_or_default();
    let status = if any_errors {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &ModeratePage {
            ctx,
            idea,
            face,
            product,
            live,
            public_path,
            state_value,
            title,
            description,
            version,
            errors,
            comments,
            reply,
            reply_errors,
            into: merge.into,
            reason: merge.reason,
            merge_errors,
            states,
            notice,
        },
        l,
    )
}

pub async fn idea(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let id: IdeaId = parse(&id, &ctx)?;
    let notice = flash(&ctx, &q.done);
    moderate_page(&state, ctx, &meta, id, ModerateForms::default(), notice).await
}

#[derive(Deserialize, Default, Clone)]
pub struct IdeaPortalForm {
    #[serde(default)]
    state: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    version: i64,
}

pub async fn idea_submit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(f): Form<IdeaPortalForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = parse(&id, &ctx)?;
    let Some(portal_state) = PortalState::parse(&f.state) else {
        let errors = FormErrors::one("state", l.t("field-invalid_value"), l);
        let forms = ModerateForms {
            portal: Some((f, errors)),
            ..Default::default()
        };
        return moderate_page(&state, ctx, &meta, id, forms, None).await;
    };
    let input = PortalIdeaInput {
        state: Some(portal_state),
        title: Some(f.title.clone()),
        description: Some(f.description.clone()),
    };
    match state
        .phare
        .moderate_portal_idea(&ctx.actor, &meta, id, f.version, input)
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/ideas/{id}/portal?done=portal_idea_saved"
        ))),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let errors = FormErrors::from_core(&e, l);
            let forms = ModerateForms {
                portal: Some((f, errors)),
                ..Default::default()
            };
            moderate_page(&state, ctx, &meta, id, forms, None).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize, Default)]
pub struct ReplyForm {
    #[serde(default)]
    body: String,
}

pub async fn reply(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(f): Form<ReplyForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = parse(&id, &ctx)?;
    match state
        .phare
        .reply_on_portal(&ctx.actor, &meta, id, &f.body)
        .await
    {
        Ok(c) => Ok(see_other(&format!(
            "/ideas/{id}/portal?done=portal_replied#comment-{}",
            c.id
        ))),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l);
            let forms = ModerateForms {
                reply: Some((f.body, errors)),
                ..Default::default()
            };
            moderate_page(&state, ctx, &meta, id, forms, None).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct MergeForm {
    /// The kept idea: its reference (`CHK-12`) or its number.
    #[serde(default)]
    into: String,
    #[serde(default)]
    reason: String,
}

pub async fn merge(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(f): Form<MergeForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = parse(&id, &ctx)?;
    let from = state.phare.get_idea(&ctx.actor, &meta, id).await.page(l)?;
    let typed = f.into.trim();
    let number = parse_reference(typed)
        .map(|(_, n)| n)
        .or_else(|| typed.trim_start_matches('#').parse::<i64>().ok());
    let target = match number {
        Some(n) => state
            .phare
            .get_idea_by_number(&ctx.actor, &meta, from.product_id, n)
            .await
            .ok(),
        None => None,
    };
    let Some(target) = target else {
        let errors = FormErrors::one("into", l.t("field-unknown_idea"), l);
        let forms = ModerateForms {
            merge: Some((f, errors)),
            ..Default::default()
        };
        return moderate_page(&state, ctx, &meta, id, forms, None).await;
    };
    match state
        .phare
        .merge_ideas(&ctx.actor, &meta, id, target.id, &f.reason)
        .await
    {
        Ok(kept) => Ok(see_other(&format!(
            "/ideas/{}/portal?done=portal_merged",
            kept.id
        ))),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l);
            let forms = ModerateForms {
                merge: Some((f, errors)),
                ..Default::default()
            };
            moderate_page(&state, ctx, &meta, id, forms, None).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize, Default)]
pub struct VisibilityForm {
    #[serde(default)]
    hidden: String,
    /// `product` to go back to the product's moderation page, else the idea's.
    #[serde(default)]
    back: String,
}

pub async fn visibility(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(f): Form<VisibilityForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: CommentId = parse(&id, &ctx)?;
    let hidden = f.hidden == "1";
    let c = state
        .phare
        .set_portal_comment_hidden(&ctx.actor, &meta, id, hidden)
        .await
        .page(l)?;
    let done = if hidden {
        "comment_hidden"
    } else {
        "comment_shown"
    };
    Ok(see_other(&if f.back == "product" {
        format!("/products/{}/portal?done={done}#comments", c.product_id)
    } else {
        format!("/ideas/{}/portal?done={done}#comment-{}", c.idea_id, c.id)
    }))
}

// --- the outbox -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "portal_outbox.html")]
struct OutboxPage {
    ctx: Ctx,
    messages: Vec<(OutboxMessage, Composed)>,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct OutboxQuery {
    #[serde(default)]
    after: String,
}

pub async fn outbox(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Query(q): Query<OutboxQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let page = state
        .phare
        .list_outbox(
            &ctx.actor,
            &meta,
            &PageRequest::new(Cursor::decode(&q.after), Some(QUEUE_SIZE)),
        )
        .await
        .page(l)?;
    let next = page
        .next_cursor
        .map(|c| format!("/outbox?after={}", c.encode()));
    let base = state.config.base_url.clone();
    let messages = page
        .items
        .into_iter()
        .map(|m| {
            let c = compose(&m, &base);
            (m, c)
        })
        .collect();
    render(
        &OutboxPage {
            ctx,
            messages,
            next,
        },
        l,
    )
}
