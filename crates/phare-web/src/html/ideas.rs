//! Ideas written as user stories or bug reports: a product's list with filters, the new and edit
//! forms (the story-quality hints on every submit and live through htmx, the bug template, the
//! similar ideas while the title is typed), the idea page (story or bug report, figures with the
//! demand formula, evidence, history, merges) and the merge form.

use super::lookup::{self, member_name};
use super::personas::{self, PersonaPanel};
use super::{is_form_error, render, render_status, see_other, Ctx, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::i18n::L10n;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use phare_core::{BugInput, IdeaInput, RequestMeta};
use phare_domain::story::{self, StoryDraft, StoryHint};
use phare_domain::{
    markdown, split_tags, ErrorCode, IdeaId, IdeaKind, IdeaStatus, Importance, MemberId,
    PersonaTarget, ProductId, Severity,
};
use phare_store::{
    Cursor, EvidenceOnIdea, Idea, IdeaChange, IdeaFilter, IdeaMerge, IdeaOwner, Member,
    PageRequest, Product,
};
use serde::Deserialize;

/// Ideas per page of the list.
const PAGE_SIZE: u32 = 50;
/// Terms of the demand formula written out before the rest is summed up as "…".
const FORMULA_TERMS: usize = 12;

/// The statuses a person may choose; `merged` is reached only by merging.
fn choosable() -> Vec<IdeaStatus> {
    IdeaStatus::ALL
        .iter()
        .copied()
        .filter(|s| *s != IdeaStatus::Merged)
        .collect()
}

/// Each hint as a sentence of the reader's language.
pub fn hint_messages(hints: &[StoryHint], l: L10n) -> Vec<String> {
    hints
        .iter()
        .map(|h| {
            let key = format!("hint-{}", h.code());
            match h {
                StoryHint::VagueVerb { word } => l.t1(&key, "word", word),
                StoryHint::WantTooLong { chars, max } | StoryHint::StoryTooLong { chars, max } => l
                    .ta(
                        &key,
                        &[("chars", chars.to_string()), ("max", max.to_string())],
                    ),
                _ => l.t(&key),
            }
        })
        .collect()
}

fn percent(similar: Vec<(Idea, f64)>) -> Vec<(Idea, i64)> {
    similar
        .into_iter()
        .map(|(i, s)| (i, (s * 100.0).round() as i64))
        .collect()
}

// --- list -----------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    after: String,
}

#[derive(Template)]
#[template(path = "ideas.html")]
struct IdeasPage {
    ctx: Ctx,
    product: Product,
    ideas: Vec<Idea>,
    members: Vec<IdeaOwner>,
    q: ListQuery,
    next: Option<String>,
    statuses: &'static [IdeaStatus],
    kinds: &'static [IdeaKind],
}

impl IdeasPage {
    fn owner(&self, i: &Idea) -> Option<String> {
        lookup::owner_name(&self.members, i.owner_id)
    }
    fn filtered(&self) -> bool {
        !(self.q.status.is_empty()
            && self.q.kind.is_empty()
            && self.q.tag.is_empty()
            && self.q.owner.is_empty())
    }
}

pub async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let status = IdeaStatus::parse(&q.status);
    let filter = IdeaFilter {
        product: Some(id),
        status,
        kind: IdeaKind::parse(&q.kind),
        tag: Some(q.tag.trim().to_lowercase()).filter(|t| !t.is_empty()),
        owner: q.owner.parse::<MemberId>().ok(),
        include_merged: status == Some(IdeaStatus::Merged),
    };
    let page = state
        .phare
        .list_ideas(
            &ctx.actor,
            &meta,
            &filter,
            &PageRequest::new(Cursor::decode(&q.after), Some(PAGE_SIZE)),
        )
        .await
        .page(l)?;
    // A product's idea owners, not the whole workspace (thousands of members at large).
    let members = state
        .phare
        .list_idea_owners(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let next = page.next_cursor.map(|c| {
        let query = serde_urlencoded::to_string([
            ("status", q.status.as_str()),
            ("kind", q.kind.as_str()),
            ("tag", q.tag.as_str()),
            ("owner", q.owner.as_str()),
            ("after", c.encode().as_str()),
        ])
        .unwrap_or_default();
        format!("/products/{id}/ideas?{query}")
    });
    render(
        &IdeasPage {
            ctx,
            product,
            ideas: page.items,
            members,
            q,
            next,
            statuses: IdeaStatus::ALL,
            kinds: IdeaKind::ALL,
        },
        l,
    )
}

/// `/products/{id}/ideas/{number}`: the idea with that reference number, at its own address.
pub async fn by_number(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    path: Result<Path<(String, String)>, axum::extract::rejection::PathRejection>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let Ok(Path((product, number))) = path else {
        return Err(WebError::code(ErrorCode::NotFound, l));
    };
    let product: ProductId = lookup::parse_id(&product, &ctx)?;
    let number: i64 = lookup::parse_id(&number, &ctx)?;
    let idea = state
        .phare
        .get_idea_by_number(&ctx.actor, &meta, product, number)
        .await
        .page(l)?;
    Ok(see_other(&format!("/ideas/{}", idea.id)))
}

// --- the form -------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
pub struct IdeaForm {
    /// `story` or `bug`.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    as_a: String,
    #[serde(default)]
    i_want: String,
    #[serde(default)]
    so_that: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    steps: String,
    #[serde(default)]
    expected: String,
    #[serde(default)]
    actual: String,
    #[serde(default)]
    environment: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    version: i64,
}

impl IdeaForm {
    fn from_idea(i: &Idea) -> Self {
        Self {
            kind: i.kind.as_str().to_owned(),
            title: i.title.clone(),
            as_a: i.as_a.clone(),
            i_want: i.i_want.clone(),
            so_that: i.so_that.clone(),
            description: i.description.clone(),
            status: i.status.as_str().to_owned(),
            owner_id: i.owner_id.map(|o| o.to_string()).unwrap_or_default(),
            tags: i.tags.join(", "),
            steps: i.bug.steps.clone(),
            expected: i.bug.expected.clone(),
            actual: i.bug.actual.clone(),
            environment: i.bug.environment.clone(),
            severity: i
                .bug
                .severity
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            version: i.version,
        }
    }

    fn is_bug(&self) -> bool {
        self.kind == IdeaKind::Bug.as_str()
    }

    fn input(&self, product: Option<ProductId>) -> IdeaInput {
        IdeaInput {
            product_id: product,
            kind: IdeaKind::parse(&self.kind),
            title: Some(self.title.clone()),
            as_a: Some(self.as_a.clone()),
            i_want: Some(self.i_want.clone()),
            so_that: Some(self.so_that.clone()),
            description: Some(self.description.clone()),
            status: IdeaStatus::parse(&self.status),
            // An unknown id is kept as a random one so the core reports it as a field error.
            owner_id: Some(match self.owner_id.trim() {
                "" => None,
                s => Some(s.parse().unwrap_or_default()),
            }),
            tags: Some(split_tags(&self.tags)),
            // The template is posted whole, also for a story (its fields hidden), so switching
            // kinds back and forth keeps what was typed.
            bug: BugInput {
                steps: Some(self.steps.clone()),
                expected: Some(self.expected.clone()),
                actual: Some(self.actual.clone()),
                environment: Some(self.environment.clone()),
                severity: Some(Severity::parse(&self.severity)),
            },
            ..Default::default()
        }
    }

    /// Whether any part of the story was written: before that, hints would only nag.
    fn started(&self) -> bool {
        !self.is_bug()
            && [&self.title, &self.as_a, &self.i_want, &self.so_that]
                .iter()
                .any(|s| !s.trim().is_empty())
    }

    fn hints(&self, l: L10n) -> Vec<String> {
        if !self.started() {
            return Vec::new();
        }
        let draft = StoryDraft {
            title: &self.title,
            as_a: &self.as_a,
            i_want: &self.i_want,
            so_that: &self.so_that,
        };
        hint_messages(&story::hints(&draft, l.locale), l)
    }
}

#[derive(Template)]
#[template(path = "idea_form.html")]
struct IdeaFormPage {
    ctx: Ctx,
    /// For the partials shared with the htmx fragments.
    l: L10n,
    product: Product,
    idea: Option<Idea>,
    form: IdeaForm,
    errors: FormErrors,
    started: bool,
    hints: Vec<String>,
    similar: Vec<(Idea, i64)>,
    members: Vec<Member>,
    statuses: Vec<IdeaStatus>,
    kinds: &'static [IdeaKind],
    severities: &'static [Severity],
}

impl IdeaFormPage {
    fn similar_url(&self) -> String {
        match &self.idea {
            Some(i) => format!(
                "/products/{}/ideas/similar?exclude={}",
                self.product.id, i.id
            ),
            None => format!("/products/{}/ideas/similar", self.product.id),
        }
    }
}

/// The form, new (`idea: None`) or edit, with its hints and the ideas like it.
async fn form_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    product: Product,
    idea: Option<Idea>,
    form: IdeaForm,
    errors: FormErrors,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let members = lookup::members(state, &ctx, meta).await?;
    let similar = if form.title.trim().is_empty() {
        Vec::new()
    } else {
        state
            .phare
            .similar_ideas(
                &ctx.actor,
                meta,
                product.id,
                &form.title,
                idea.as_ref().map(|i| i.id),
            )
            .await
            .page(l)?
    };
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &IdeaFormPage {
            l,
            started: form.started(),
            hints: form.hints(l),
            similar: percent(similar),
            ctx,
            product,
            idea,
            form,
            errors,
            members,
            statuses: choosable(),
            kinds: IdeaKind::ALL,
            severities: Severity::ALL,
        },
        l,
    )
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    /// `bug` opens the form as a bug report.
    #[serde(default)]
    kind: String,
}

pub async fn new(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let form = IdeaForm {
        kind: IdeaKind::parse(&q.kind)
            .unwrap_or_default()
            .as_str()
            .to_owned(),
        status: IdeaStatus::Draft.as_str().to_owned(),
        ..Default::default()
    };
    form_page(
        &state,
        ctx,
        &meta,
        product,
        None,
        form,
        FormErrors::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<IdeaForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    match state
        .phare
        .create_idea(&ctx.actor, &meta, form.input(Some(id)))
        .await
    {
        Ok(idea) => Ok(see_other(&format!("/ideas/{}?done=idea_created", idea.id))),
        Err(e) if is_form_error(&e) => {
            let product = state
                .phare
                .get_product(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let errors = FormErrors::from_core(&e, l);
            form_page(&state, ctx, &meta, product, None, form, errors).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let idea = state.phare.get_idea(&ctx.actor, &meta, id).await.page(l)?;
    if idea.status == IdeaStatus::Merged {
        // A merged idea is frozen: its page says where it went.
        return Ok(see_other(&format!("/ideas/{id}")));
    }
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, idea.product_id)
        .await
        .page(l)?;
    let form = IdeaForm::from_idea(&idea);
    form_page(
        &state,
        ctx,
        &meta,
        product,
        Some(idea),
        form,
        FormErrors::default(),
    )
    .await
}

#[derive(Template)]
#[template(path = "idea_conflict.html")]
struct ConflictPage {
    ctx: Ctx,
    current: Idea,
    theirs: IdeaForm,
    mine: IdeaForm,
    members: Vec<Member>,
}

impl ConflictPage {
    fn is_mine(&self, side: &str) -> bool {
        side == "mine"
    }
    /// This person's version first, then the saved one.
    fn sides(&self) -> [(&'static str, &IdeaForm); 2] {
        [("mine", &self.mine), ("theirs", &self.theirs)]
    }
    fn owner(&self, id: &str) -> String {
        self.members
            .iter()
            .find(|m| m.id.to_string() == id)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| self.ctx.l.t("nobody"))
    }
    fn status(&self, s: &str) -> String {
        match IdeaStatus::parse(s) {
            Some(s) => self.ctx.l.tv("idea-status", s),
            None => String::new(),
        }
    }
    fn severity(&self, s: &str) -> String {
        match Severity::parse(s) {
            Some(s) => self.ctx.l.tv("severity", s),
            None => String::new(),
        }
    }
}

pub async fn update(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<IdeaForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    match state
        .phare
        .update_idea(&ctx.actor, &meta, id, form.version, form.input(None))
        .await
    {
        Ok(idea) => Ok(see_other(&format!("/ideas/{}?done=idea_saved", idea.id))),
        Err(e) if e.code == ErrorCode::VersionConflict => {
            // Nothing is lost: the saved version beside this person's, and a form that applies
            // theirs on top of the current version.
            let current = state.phare.get_idea(&ctx.actor, &meta, id).await.page(l)?;
            let members = lookup::members(&state, &ctx, &meta).await?;
            let theirs = IdeaForm::from_idea(&current);
            let mine = IdeaForm {
                version: current.version,
                ..form
            };
            render_status(
                StatusCode::CONFLICT,
                &ConflictPage {
                    ctx,
                    current,
                    theirs,
                    mine,
                    members,
                },
                l,
            )
        }
        Err(e) if is_form_error(&e) => {
            let idea = state.phare.get_idea(&ctx.actor, &meta, id).await.page(l)?;
            let product = state
                .phare
                .get_product(&ctx.actor, &meta, idea.product_id)
                .await
                .page(l)?;
            let errors = FormErrors::from_core(&e, l);
            form_page(&state, ctx, &meta, product, Some(idea), form, errors).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- htmx fragments -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "idea_hints_partial.html")]
struct HintsPartial {
    l: L10n,
    started: bool,
    hints: Vec<String>,
}

/// The story-quality hints of the form as typed so far (posted by htmx while typing; the same
/// hints are rendered with the form on every submit, so nothing depends on it).
pub async fn hints(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<IdeaForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    render(
        &HintsPartial {
            l,
            started: form.started(),
            hints: form.hints(l),
        },
        l,
    )
}

#[derive(Deserialize, Default)]
pub struct SimilarQuery {
    #[serde(default)]
    title: String,
    #[serde(default)]
    exclude: String,
}

#[derive(Template)]
#[template(path = "similar_ideas_partial.html")]
struct SimilarPartial {
    l: L10n,
    similar: Vec<(Idea, i64)>,
}

/// The ideas of the product most like the title being typed (an htmx GET while typing).
pub async fn similar(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<SimilarQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    // A product of another workspace is "not found", whatever the title.
    state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let similar = if q.title.trim().is_empty() {
        Vec::new()
    } else {
        state
            .phare
            .similar_ideas(&ctx.actor, &meta, id, &q.title, q.exclude.parse().ok())
            .await
            .page(l)?
    };
    render(
        &SimilarPartial {
            l,
            similar: percent(similar),
        },
        l,
    )
}

// --- the idea page --------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
pub struct MergeForm {
    #[serde(default)]
    into: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "idea.html")]
struct IdeaPage {
    ctx: Ctx,
    idea: Idea,
    product: Product,
    /// The description as sanitized HTML (`markdown::render`).
    html: String,
    /// A bug's steps to reproduce, likewise.
    steps_html: String,
    evidence: Vec<EvidenceOnIdea>,
    changes: Vec<IdeaChange>,
    merges: Vec<(IdeaMerge, Option<Idea>)>,
    merged_into: Option<Idea>,
    members: Vec<Member>,
    hints: Vec<String>,
    merge: MergeForm,
    merge_errors: FormErrors,
    /// The personas the idea concerns (`persona_panel.html`).
    personas: PersonaPanel,
}

impl IdeaPage {
    fn member(&self, id: Option<MemberId>) -> String {
        member_name(&self.members, id).unwrap_or_else(|| self.ctx.l.t("nobody"))
    }
    /// A member's name as templates ask for it (they pass fields by reference).
    fn who(&self, id: &Option<MemberId>) -> String {
        self.member(*id)
    }
    fn owner(&self) -> Option<String> {
        member_name(&self.members, self.idea.owner_id)
    }
    fn is_bug(&self) -> bool {
        self.idea.kind == IdeaKind::Bug
    }
    fn has_story(&self) -> bool {
        !(self.idea.as_a.is_empty() && self.idea.i_want.is_empty() && self.idea.so_that.is_empty())
    }
    /// The demand's terms as written in its formula: `3 × 5 + 1 × 1`.
    fn formula(&self) -> String {
        let terms: Vec<String> = self
            .evidence
            .iter()
            .map(|e| {
                format!(
                    "{} × {}",
                    e.evidence.importance.weight(),
                    e.feedback.customer_weight.unwrap_or(1)
                )
            })
            .collect();
        let mut shown = terms
            .iter()
            .take(FORMULA_TERMS)
            .cloned()
            .collect::<Vec<_>>()
            .join(" + ");
        if terms.len() > FORMULA_TERMS {
            shown.push_str(" + …");
        }
        shown
    }
    /// "Demand 16 = Σ importance × customer weight: 3 × 5 + 1 × 1".
    fn demand_line(&self) -> String {
        self.ctx.l.ta(
            "demand-line",
            &[
                ("demand", self.idea.demand.to_string()),
                ("terms", self.formula()),
            ],
        )
    }
    fn merged_by(&self, m: &IdeaMerge) -> String {
        self.ctx.l.ta(
            "merged-by",
            &[
                ("who", self.member(m.actor_id)),
                ("date", self.ctx.l.date(&m.at)),
            ],
        )
    }
    fn evidence_text(&self, e: &EvidenceOnIdea) -> String {
        lookup::excerpt(&e.feedback.text, 240)
    }
    fn importance_class(&self, i: &Importance) -> &'static str {
        match i {
            Importance::Critical => "badge-danger",
            Importance::Important => "badge-warn",
            Importance::NiceToHave => "badge-muted",
        }
    }
    fn field_label(&self, field: &str) -> String {
        let key = format!("change-field-{field}");
        if self.ctx.l.has(&key) {
            self.ctx.l.t(&key)
        } else {
            field.to_owned()
        }
    }
    /// A value of the history as people read it: statuses translated, owners named.
    fn change_value(&self, field: &str, value: &str) -> String {
        if value.is_empty() {
            return "—".into();
        }
        match field {
            "status" => match IdeaStatus::parse(value) {
                Some(s) => self.ctx.l.tv("idea-status", s),
                None => value.to_owned(),
            },
            "owner" | "owner_id" => self.member(value.parse().ok()),
            "kind" => match IdeaKind::parse(value) {
                Some(k) => self.ctx.l.tv("idea-kind", k),
                None => value.to_owned(),
            },
            "severity" => match Severity::parse(value) {
                Some(v) => self.ctx.l.tv("severity", v),
                None => value.to_owned(),
            },
            _ => lookup::excerpt(value, 120),
        }
    }
    fn back(&self) -> String {
        format!("/ideas/{}#evidence", self.idea.id)
    }
    fn is_merged(&self) -> bool {
        self.idea.status == IdeaStatus::Merged
    }
}

async fn idea_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    id: IdeaId,
    merge: MergeForm,
    merge_errors: FormErrors,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let idea = state.phare.get_idea(&ctx.actor, meta, id).await.page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, meta, idea.product_id)
        .await
        .page(l)?;
    let evidence = state
        .phare
        .list_idea_evidence(&ctx.actor, meta, id)
        .await
        .page(l)?;
    let changes = state
        .phare
        .list_idea_changes(&ctx.actor, meta, id)
        .await
        .page(l)?;
    let mut merges = Vec::new();
    for m in state
        .phare
        .list_merges_into(&ctx.actor, meta, id)
        .await
        .page(l)?
    {
        let from = state
            .phare
            .get_idea(&ctx.actor, meta, m.from_idea_id)
            .await
            .ok();
        merges.push((m, from));
    }
    let merged_into = match idea.merged_into {
        Some(into) => Some(state.phare.get_idea(&ctx.actor, meta, into).await.page(l)?),
        None => None,
    };
    let members = lookup::members(state, &ctx, meta).await?;
    let personas = personas::panel(
        state,
        &ctx,
        meta,
        PersonaTarget::Idea,
        idea.id.0,
        Some(idea.product_id),
        idea.status == IdeaStatus::Merged,
    )
    .await?;
    let hints = if ctx.can_work() && idea.status != IdeaStatus::Merged {
        IdeaForm::from_idea(&idea).hints(l)
    } else {
        Vec::new()
    };
    let status = if merge_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &IdeaPage {
            html: markdown::render(&idea.description),
            steps_html: markdown::render(&idea.bug.steps),
            ctx,
            idea,
            product,
            evidence,
            changes,
            merges,
            merged_into,
            members,
            hints,
            merge,
            merge_errors,
            personas,
        },
        l,
    )
}

pub async fn show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    idea_page(
        &state,
        ctx,
        &meta,
        id,
        MergeForm::default(),
        FormErrors::default(),
    )
    .await
}

/// Merges this idea into another of its product, named by reference (`CHK-7`, `7`) or id.
pub async fn merge(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<MergeForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    // The target is looked up before the core is asked to merge: refuse first whoever may not.
    if !ctx.can_curate() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let source = state.phare.get_idea(&ctx.actor, &meta, id).await.page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, source.product_id)
        .await
        .page(l)?;
    let target = if form.into.trim().is_empty() {
        Err(FormErrors::one("into", l.t("field-required"), l))
    } else {
        lookup::find_idea(&state, &ctx, &meta, &form.into, Some(&product), false)
            .await?
            .ok_or_else(|| FormErrors::one("into", l.t("field-unknown_idea"), l))
    };
    let result = match target {
        Ok(target) => state
            .phare
            .merge_ideas(&ctx.actor, &meta, id, target.id, &form.reason)
            .await
            .map_err(|e| {
                if is_form_error(&e) {
                    Ok(FormErrors::from_core(&e, l).rename("idea", "", l))
                } else {
                    Err(WebError::new(e, l))
                }
            }),
        Err(errors) => Err(Ok(errors)),
    };
    match result {
        Ok(kept) => Ok(see_other(&format!("/ideas/{}?done=idea_merged", kept.id))),
        Err(Ok(errors)) => idea_page(&state, ctx, &meta, id, form, errors).await,
        Err(Err(e)) => Err(e),
    }
}
