//! Decision pages: the decision log of a product (filters, search, pages), one decision, the
//! keyboard-first form to decide from an idea (also its section on the idea page, loaded by
//! htmx with a plain link as fallback), and the member's own inbox of notifications ("My
//! inbox"), with its unread count in the header. Markdown goes only through
//! `markdown::render`; who may do what is decided by the core.

use super::lookup::{self, find_idea};
use super::{is_form_error, render, render_status, see_other, Ctx, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, RawForm, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use phare_core::{DecisionInput, DecisionQuery};
use phare_domain::{
    markdown, parse_date, DecisionId, DecisionKind, DecisionLinkKind, ErrorCode, IdeaId,
    IdeaStatus, MemberId, NotificationId, ProductId,
};
use phare_store::{
    Cursor, Decision, EvidenceOnIdea, Idea, Member, Notification, PageRequest, Product,
};
use serde::Deserialize;

/// Characters of a rationale shown in lists.
const EXCERPT_CHARS: usize = 160;

/// A decision as lists show it.
pub struct DecisionRow {
    pub d: Decision,
    pub excerpt: String,
    pub decided_by: String,
}

fn rows(decisions: Vec<Decision>, members: &[Member]) -> Vec<DecisionRow> {
    decisions
        .into_iter()
        .map(|d| DecisionRow {
            excerpt: lookup::excerpt(&d.rationale, EXCERPT_CHARS),
            decided_by: lookup::member_name(members, d.decided_by).unwrap_or_default(),
            d,
        })
        .collect()
}

fn is_htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some()
}

// --- the log of a product -------------------------------------------------------------------

#[derive(Deserialize, Default, Debug)]
pub struct LogQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    decided_by: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    cursor: String,
}

#[derive(Template)]
#[template(path = "decisions_log.html")]
struct LogPage {
    ctx: Ctx,
    product: Product,
    q: LogQuery,
    kinds: &'static [DecisionKind],
    members: Vec<Member>,
    rows: Vec<DecisionRow>,
    errors: FormErrors,
    next: Option<String>,
}

impl LogPage {
    fn filtered(&self) -> bool {
        !(self.q.kind.is_empty()
            && self.q.from.is_empty()
            && self.q.to.is_empty()
            && self.q.decided_by.is_empty()
            && self.q.q.trim().is_empty())
    }
}

pub async fn log(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<LogQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let members = lookup::members(&state, &ctx, &meta).await?;
    let mut errors = FormErrors::default();
    let kind = match q.kind.as_str() {
        "" => None,
        k => {
            let parsed = DecisionKind::parse(k);
            if parsed.is_none() {
                errors.push("kind", l.t("field-unknown_kind"), l);
            }
            parsed
        }
    };
    let mut day = |field: &str, v: &str| match v.trim() {
        "" => None,
        s => {
            let parsed = parse_date(s);
            if parsed.is_none() {
                errors.push(field, l.t("field-invalid_date"), l);
            }
            parsed
        }
    };
    let from = day("from", &q.from);
    let to = day("to", &q.to);
    let query = DecisionQuery {
        kind,
        from,
        to,
        decided_by: q.decided_by.trim().parse::<MemberId>().ok(),
        q: q.q.clone(),
        links_to: None,
    };
    let after = Cursor::decode(&q.cursor);
    let (rows, next) = if errors.any() {
        (Vec::new(), None)
    } else {
        match state
            .phare
            .list_decisions(
                &ctx.actor,
                &meta,
                id,
                &query,
                &PageRequest::new(after, None),
            )
            .await
        {
            Ok(page) => {
                let next = page.next_cursor.map(|c| {
                    let kept = serde_urlencoded::to_string([
                        ("kind", q.kind.as_str()),
                        ("from", q.from.as_str()),
                        ("to", q.to.as_str()),
                        ("decided_by", q.decided_by.as_str()),
                        ("q", q.q.as_str()),
                        ("cursor", c.encode().as_str()),
                    ])
                    .unwrap_or_default();
                    format!("/products/{}/decisions?{kept}", product.id)
                });
                (rows(page.items, &members), next)
            }
            Err(e) if is_form_error(&e) => {
                errors = FormErrors::from_core(&e, l);
                (Vec::new(), None)
            }
            Err(e) => return Err(WebError::new(e, l)),
        }
    };
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &LogPage {
            ctx,
            product,
            q,
            kinds: DecisionKind::ALL,
            members,
            rows,
            errors,
            next,
        },
        l,
    )
}

// --- one decision ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "decisions_show.html")]
struct ShowPage {
    ctx: Ctx,
    product: Product,
    d: Decision,
    rationale_html: String,
    public_html: String,
    decided_by: String,
    consulted: Vec<String>,
    later: Vec<DecisionRow>,
}

pub async fn show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: DecisionId = lookup::parse_id(&id, &ctx)?;
    let d = state
        .phare
        .get_decision(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, d.product_id)
        .await
        .page(l)?;
    let members = lookup::members(&state, &ctx, &meta).await?;
    let later = state
        .phare
        .list_decisions(
            &ctx.actor,
            &meta,
            d.product_id,
            &DecisionQuery {
                links_to: Some(d.id.0),
                ..DecisionQuery::default()
            },
            &PageRequest::first(50),
        )
        .await
        .page(l)?;
    let page = ShowPage {
        rationale_html: markdown::render(&d.rationale),
        public_html: markdown::render(&d.public_rationale),
        decided_by: lookup::member_name(&members, d.decided_by).unwrap_or_default(),
        consulted: d
            .consulted
            .iter()
            .filter_map(|m| lookup::member_name(&members, Some(*m)))
            .collect(),
        later: rows(later.items, &members),
        ctx,
        product,
        d,
    };
    render(&page, l)
}

// --- the decisions of an idea (a section of the idea page) ----------------------------------

#[derive(Template)]
#[template(path = "decisions_idea_partial.html")]
struct IdeaPartial {
    ctx: Ctx,
    rows: Vec<DecisionRow>,
}

#[derive(Template)]
#[template(path = "decisions_idea.html")]
struct IdeaPage {
    ctx: Ctx,
    idea: Idea,
    product: Product,
    rows: Vec<DecisionRow>,
}

/// The idea page loads this into its decisions section (htmx); without JavaScript, the
/// section's link opens it as a page of its own.
pub async fn of_idea(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let idea = state.phare.get_idea(&ctx.actor, &meta, id).await.page(l)?;
    let members = lookup::members(&state, &ctx, &meta).await?;
    let decisions = state
        .phare
        .list_idea_decisions(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let rows = rows(decisions, &members);
    if is_htmx(&headers) {
        return render(&IdeaPartial { ctx, rows }, l);
    }
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, idea.product_id)
        .await
        .page(l)?;
    render(
        &IdeaPage {
            ctx,
            idea,
            product,
            rows,
        },
        l,
    )
}

// --- the form -------------------------------------------------------------------------------

#[derive(Default, Debug)]
pub struct DecideForm {
    kind: String,
    rationale: String,
    public_rationale: String,
    until: String,
    condition: String,
    into: String,
    evidence: Vec<String>,
    earlier: Vec<String>,
    consulted: Vec<String>,
    sessions: String,
}

impl DecideForm {
    fn parse(body: &[u8]) -> Option<Self> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
        let one = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let many = |name: &str| {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
        };
        Some(Self {
            kind: one("kind"),
            rationale: one("rationale"),
            public_rationale: one("public_rationale"),
            until: one("until"),
            condition: one("condition"),
            into: one("into"),
            evidence: many("evidence"),
            earlier: many("earlier"),
            consulted: many("consulted"),
            sessions: one("sessions"),
        })
    }
    fn checked(list: &[String], id: &str) -> bool {
        list.iter().any(|x| x == id)
    }
    pub fn has_evidence(&self, id: &str) -> bool {
        Self::checked(&self.evidence, id)
    }
    pub fn has_earlier(&self, id: &str) -> bool {
        Self::checked(&self.earlier, id)
    }
    pub fn has_consulted(&self, id: &str) -> bool {
        Self::checked(&self.consulted, id)
    }
}

#[derive(Template)]
#[template(path = "decisions_form.html")]
struct FormPage {
    ctx: Ctx,
    idea: Idea,
    product: Product,
    kinds: &'static [DecisionKind],
    form: DecideForm,
    errors: FormErrors,
    evidence: Vec<EvidenceOnIdea>,
    earlier: Vec<Decision>,
    members: Vec<Member>,
}

impl FormPage {
    fn kind_is(&self, k: &DecisionKind) -> bool {
        self.form.kind == k.as_str()
    }
    fn excerpt(&self, text: &str) -> String {
        lookup::excerpt(text, 90)
    }
    fn status_after(&self, k: &DecisionKind) -> String {
        match k.new_status() {
            Some(s) => self.ctx.l.tv("idea-status", s),
            None if *k == DecisionKind::Merge => self.ctx.l.tv("idea-status", IdeaStatus::Merged),
            None => self.ctx.l.tv("idea-status", self.idea.status),
        }
    }
}

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    meta: &phare_core::RequestMeta,
    idea: Idea,
    form: DecideForm,
    errors: FormErrors,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let product = state
        .phare
        .get_product(&ctx.actor, meta, idea.product_id)
        .await
        .page(l)?;
    let evidence = state
        .phare
        .list_idea_evidence(&ctx.actor, meta, idea.id)
        .await
        .page(l)?;
    let earlier = state
        .phare
        .list_idea_decisions(&ctx.actor, meta, idea.id)
        .await
        .page(l)?;
    let members = lookup::members(state, &ctx, meta).await?;
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &FormPage {
            ctx,
            idea,
            product,
            kinds: DecisionKind::ALL,
            form,
            errors,
            evidence,
            earlier,
            members,
        },
        l,
    )
}

pub async fn new(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    // Who may decide is the core's policy; asked first, as the use case itself would.
    if !ctx.can_curate() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let idea = state.phare.get_idea(&ctx.actor, &meta, id).await.page(l)?;
    form_page(
        &state,
        ctx,
        &meta,
        idea,
        DecideForm::default(),
        FormErrors::default(),
    )
    .await
}

fn ids<T: std::str::FromStr>(
    values: &[String],
    field: &str,
    errors: &mut FormErrors,
    ctx: &Ctx,
) -> Vec<T> {
    let mut out = Vec::new();
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        match v.parse() {
            Ok(id) => out.push(id),
            Err(_) => {
                if errors.get(field).is_none() {
                    errors.push(field, ctx.l.t("field-invalid_value"), ctx.l);
                }
            }
        }
    }
    out
}

pub async fn create(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    RawForm(body): RawForm,
) -> Result<Response, WebError> {
    let l = ctx.l;
    if !ctx.can_curate() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let form = DecideForm::parse(&body).ok_or_else(|| WebError::code(ErrorCode::BadRequest, l))?;
    let idea = state.phare.get_idea(&ctx.actor, &meta, id).await.page(l)?;
    let mut errors = FormErrors::default();
    // The kept idea of a merge, typed as people say it (`CHK-42` or `42`).
    let into = if form.into.trim().is_empty() {
        None
    } else {
        let product = state
            .phare
            .get_product(&ctx.actor, &meta, idea.product_id)
            .await
            .page(l)?;
        match find_idea(&state, &ctx, &meta, &form.into, Some(&product), true).await? {
            Some(i) => Some(i.id),
            None => {
                errors.push("into", l.t("field-unknown_idea"), l);
                None
            }
        }
    };
    let evidence = ids(&form.evidence, "evidence_ids", &mut errors, &ctx);
    let earlier = ids::<DecisionId>(&form.earlier, "decision_ids", &mut errors, &ctx);
    let consulted = ids::<MemberId>(&form.consulted, "consulted", &mut errors, &ctx);
    let sessions: Vec<String> = form
        .sessions
        .split([',', ' ', '\n'])
        .map(str::to_owned)
        .collect();
    let sessions = ids::<uuid::Uuid>(&sessions, "session_ids", &mut errors, &ctx);
    if errors.any() {
        return form_page(&state, ctx, &meta, idea, form, errors).await;
    }
    let input = DecisionInput {
        kind: form.kind.clone(),
        idea_ids: vec![idea.id],
        rationale: form.rationale.clone(),
        public_rationale: form.public_rationale.clone(),
        until: form.until.clone(),
        condition: form.condition.clone(),
        into,
        evidence_ids: evidence,
        session_ids: sessions,
        decision_ids: earlier,
        consulted,
    };
    match state.phare.decide(&ctx.actor, &meta, input).await {
        Ok(d) => Ok(see_other(&format!(
            "/decisions/{}?done=decision-recorded",
            d.id
        ))),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l);
            form_page(&state, ctx, &meta, idea, form, errors).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- my inbox -------------------------------------------------------------------------------

/// A notification as the inbox shows it.
pub struct NoteRow {
    pub n: Notification,
    pub idea_id: String,
    pub reference: String,
    pub title: String,
    pub until: String,
}

#[derive(Template)]
#[template(path = "decisions_inbox.html")]
struct InboxPage {
    ctx: Ctx,
    rows: Vec<NoteRow>,
    unread: i64,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct InboxQuery {
    #[serde(default)]
    cursor: String,
}

fn text_of(n: &Notification, key: &str) -> String {
    n.payload
        .get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

pub async fn inbox(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Query(q): Query<InboxQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let page = state
        .phare
        .list_my_notifications(
            &ctx.actor,
            &meta,
            false,
            &PageRequest::new(Cursor::decode(&q.cursor), None),
        )
        .await
        .page(l)?;
    let unread = state
        .phare
        .count_my_unread_notifications(&ctx.actor)
        .await
        .page(l)?;
    let next = page
        .next_cursor
        .map(|c| format!("/my-inbox?cursor={}", c.encode()));
    let rows = page
        .items
        .into_iter()
        .map(|n| NoteRow {
            idea_id: text_of(&n, "idea_id"),
            reference: text_of(&n, "reference"),
            title: text_of(&n, "title"),
            until: text_of(&n, "until"),
            n,
        })
        .collect();
    render(
        &InboxPage {
            ctx,
            rows,
            unread,
            next,
        },
        l,
    )
}

#[derive(Template)]
#[template(path = "decisions_count_partial.html")]
struct CountPartial {
    ctx: Ctx,
    n: i64,
}

/// The unread count of the header link, loaded by htmx (the link works without it).
pub async fn inbox_count(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let n = state
        .phare
        .count_my_unread_notifications(&ctx.actor)
        .await
        .page(l)?;
    render(&CountPartial { ctx, n }, l)
}

pub async fn read_one(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: NotificationId = lookup::parse_id(&id, &ctx)?;
    state
        .phare
        .mark_my_notifications_read(&ctx.actor, &meta, Some(id))
        .await
        .page(l)?;
    Ok(see_other("/my-inbox?done=notification-read"))
}

pub async fn read_all(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
) -> Result<Response, WebError> {
    let l = ctx.l;
    state
        .phare
        .mark_my_notifications_read(&ctx.actor, &meta, None)
        .await
        .page(l)?;
    Ok(see_other("/my-inbox?done=notifications-read"))
}
