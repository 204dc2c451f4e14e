//! One feedback item: what was said (Markdown through the one sanitizer), who said it, the ideas
//! it supports, linking it to an idea (with a highlighted excerpt), creating an idea from it,
//! editing it (versioned, with a conflict page) and deleting it.

use super::inbox::FeedbackDetails;
use super::lookup::{self, local_path, with_done};
use super::personas::{self, PersonaPanel};
use super::{is_form_error, render_status, see_other, Ctx, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use phare_core::{EvidenceInput, FeedbackInput, IdeaInput, RequestMeta};
use phare_domain::{
    markdown, ErrorCode, EvidenceId, FeedbackId, IdeaId, Importance, MemberId, PersonaTarget,
    SourceKind,
};
use phare_store::{EvidenceOnFeedback, Feedback, Idea, Member, Product};
use serde::Deserialize;

/// Characters of the text used as the title of an idea created from the item.
const TITLE_CHARS: usize = 80;

/// "Link to an idea": one of the similar ideas (`idea_id`), or a typed reference (`idea`).
#[derive(Deserialize, Default, Clone, Debug)]
pub struct LinkForm {
    #[serde(default)]
    idea_id: String,
    #[serde(default)]
    idea: String,
    #[serde(default)]
    importance: String,
    #[serde(default)]
    excerpt: String,
}

/// "Create an idea from this feedback".
#[derive(Deserialize, Default, Clone, Debug)]
pub struct NewIdeaForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    product_id: String,
    #[serde(default)]
    importance: String,
}

/// The forms of the page, with what was typed and why it was refused.
#[derive(Default)]
struct Forms {
    link: LinkForm,
    link_errors: FormErrors,
    idea: Option<NewIdeaForm>,
    idea_errors: FormErrors,
}

#[derive(Template)]
#[template(path = "feedback.html")]
struct FeedbackPage {
    ctx: Ctx,
    f: Feedback,
    /// The text as sanitized HTML (`markdown::render`).
    html: String,
    excerpt: String,
    product: Option<Product>,
    products: Vec<Product>,
    author: Option<String>,
    assignee: Option<String>,
    supports: Vec<EvidenceOnFeedback>,
    similar: Vec<(Idea, f64)>,
    link: LinkForm,
    link_errors: FormErrors,
    idea: NewIdeaForm,
    idea_errors: FormErrors,
    importances: &'static [Importance],
    /// The personas the item concerns (`persona_panel.html`).
    personas: PersonaPanel,
}

impl FeedbackPage {
    fn percent(&self, similarity: &f64) -> String {
        format!("{:.0}", similarity * 100.0)
    }
    fn importance_selected(&self, value: &str, i: &Importance) -> bool {
        match Importance::parse(value) {
            Some(v) => v == *i,
            None => *i == Importance::Important,
        }
    }
    fn back(&self) -> String {
        format!("/feedback/{}", self.f.id)
    }
    fn inbox(&self) -> String {
        match &self.product {
            Some(p) => format!("/products/{}/inbox", p.id),
            None => "/inbox".into(),
        }
    }
    fn active_products(&self) -> Vec<&Product> {
        self.products.iter().filter(|p| !p.archived).collect()
    }
}

/// The start of the text, as the title an idea created from it begins with.
fn title_from(text: &str) -> String {
    let plain = lookup::excerpt(text, TITLE_CHARS);
    let first = plain
        .split_inclusive(['.', '!', '?'])
        .next()
        .unwrap_or(&plain)
        .trim();
    first
        .trim_end_matches(['.', '…'])
        .trim_end_matches(' ')
        .to_owned()
}

async fn feedback_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    id: FeedbackId,
    forms: Forms,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let f = state
        .phare
        .get_feedback(&ctx.actor, meta, id)
        .await
        .page(l)?;
    let supports = state
        .phare
        .list_feedback_ideas(&ctx.actor, meta, id)
        .await
        .page(l)?;
    let products = lookup::products(state, &ctx, meta).await?;
    let product = lookup::product(&products, f.product_id).cloned();
    let similar = match (&product, ctx.can_work()) {
        (Some(p), true) => state
            .phare
            .similar_ideas(
                &ctx.actor,
                meta,
                p.id,
                &markdown::to_plain_text(&f.text),
                None,
            )
            .await
            .page(l)?
            .into_iter()
            .filter(|(idea, _)| !supports.iter().any(|s| s.idea.id == idea.id))
            .collect(),
        _ => Vec::new(),
    };
    let personas = personas::panel(
        state,
        &ctx,
        meta,
        PersonaTarget::Feedback,
        f.id.0,
        f.product_id,
        false,
    )
    .await?;
    let author = person(state, &ctx, meta, f.author_id).await?;
    let assignee = person(state, &ctx, meta, f.assignee_id).await?;
    let status = if forms.link_errors.any() || forms.idea_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let idea = forms.idea.unwrap_or_else(|| NewIdeaForm {
        title: title_from(&f.text),
        product_id: f.product_id.map(|p| p.to_string()).unwrap_or_default(),
        importance: String::new(),
    });
    render_status(
        status,
        &FeedbackPage {
            html: markdown::render(&f.text),
            excerpt: lookup::excerpt(&f.text, 60),
            ctx,
            f,
            product,
            products,
            author,
            assignee,
            supports,
            similar,
            link: forms.link,
            link_errors: forms.link_errors,
            idea,
            idea_errors: forms.idea_errors,
            importances: Importance::ALL,
            personas,
        },
        l,
    )
}

/// A member's name, when the item names one (a removed member reads as nobody).
async fn person(
    state: &AppState,
    ctx: &Ctx,
    meta: &RequestMeta,
    id: Option<MemberId>,
) -> Result<Option<String>, WebError> {
    let Some(id) = id else { return Ok(None) };
    match state.phare.get_member(&ctx.actor, meta, id).await {
        Ok(m) => Ok(Some(m.name)),
        Err(e) if e.code == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(WebError::new(e, ctx.l)),
    }
}

pub async fn show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let id: FeedbackId = lookup::parse_id(&id, &ctx)?;
    feedback_page(&state, ctx, &meta, id, Forms::default()).await
}

/// Links the item to an idea chosen among the similar ones or typed as `CHK-42`.
pub async fn link(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<LinkForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: FeedbackId = lookup::parse_id(&id, &ctx)?;
    // The idea is looked up before the core is asked to link: refuse first whoever may not.
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let refuse = |errors: FormErrors, form: LinkForm| Forms {
        link: form,
        link_errors: errors,
        ..Default::default()
    };
    let typed = if form.idea_id.trim().is_empty() {
        form.idea.clone()
    } else {
        form.idea_id.clone()
    };
    if typed.trim().is_empty() {
        let errors = FormErrors::one("idea", l.t("field-required-idea"), l);
        return feedback_page(&state, ctx, &meta, id, refuse(errors, form)).await;
    }
    let f = state
        .phare
        .get_feedback(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let product = match f.product_id {
        Some(p) => Some(
            state
                .phare
                .get_product(&ctx.actor, &meta, p)
                .await
                .page(l)?,
        ),
        None => None,
    };
    let Some(idea) = lookup::find_idea(&state, &ctx, &meta, &typed, product.as_ref(), true).await?
    else {
        let errors = FormErrors::one("idea", l.t("field-unknown_idea"), l);
        return feedback_page(&state, ctx, &meta, id, refuse(errors, form)).await;
    };
    let input = EvidenceInput {
        feedback_id: id,
        importance: Importance::parse(&form.importance),
        excerpt: Some(form.excerpt.clone()),
    };
    match state
        .phare
        .add_evidence(&ctx.actor, &meta, idea.id, input)
        .await
    {
        Ok(_) => Ok(see_other(&with_done(
            &format!("/feedback/{id}#supports"),
            "evidence_added",
        ))),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l).rename("feedback_id", "idea", l);
            feedback_page(&state, ctx, &meta, id, refuse(errors, form)).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

/// Creates an idea titled from the item, keeping the item as its first evidence, then opens
/// the idea's form so its story gets written.
pub async fn create_idea(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<NewIdeaForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: FeedbackId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let input = IdeaInput {
        // An unknown id is kept as a random one so the core reports it as a field error.
        product_id: match form.product_id.trim() {
            "" => None,
            s => Some(s.parse().unwrap_or_default()),
        },
        title: Some(form.title.clone()),
        from_feedback: Some(EvidenceInput {
            feedback_id: id,
            importance: Importance::parse(&form.importance),
            excerpt: None,
        }),
        ..Default::default()
    };
    match state.phare.create_idea(&ctx.actor, &meta, input).await {
        Ok(idea) => Ok(see_other(&format!(
            "/ideas/{}/edit?done=idea_created_from_feedback",
            idea.id
        ))),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l)
                .rename("title", "new-title", l)
                .rename("product_id", "new-product", l)
                .rename("feedback_id", "", l);
            let forms = Forms {
                idea: Some(form),
                idea_errors: errors,
                ..Default::default()
            };
            feedback_page(&state, ctx, &meta, id, forms).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- edit -----------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
pub struct EditForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    customer: String,
    #[serde(default)]
    customer_segment: String,
    #[serde(default)]
    customer_weight: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    product_id: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    observed_at: String,
    #[serde(default)]
    assignee_id: String,
    #[serde(default)]
    version: i64,
}

impl EditForm {
    fn from_feedback(f: &Feedback) -> Self {
        Self {
            text: f.text.clone(),
            source: f.source.as_str().to_owned(),
            customer: f.customer_name.clone().unwrap_or_default(),
            customer_segment: f.customer_segment.clone().unwrap_or_default(),
            customer_weight: f.customer_weight.map(|w| w.to_string()).unwrap_or_default(),
            contact: f.contact.clone().unwrap_or_default(),
            product_id: f.product_id.map(|p| p.to_string()).unwrap_or_default(),
            tags: f.tags.join(", "),
            observed_at: f.observed_at.format("%Y-%m-%d").to_string(),
            assignee_id: f.assignee_id.map(|m| m.to_string()).unwrap_or_default(),
            version: f.version,
        }
    }

    fn input(&self, l: crate::i18n::L10n) -> Result<FeedbackInput, FormErrors> {
        let details = FeedbackDetails {
            customer: &self.customer,
            segment: &self.customer_segment,
            weight: &self.customer_weight,
            contact: &self.contact,
            product_id: &self.product_id,
            tags: &self.tags,
            observed_at: &self.observed_at,
        }
        .input(l)?;
        Ok(FeedbackInput {
            text: Some(self.text.clone()),
            source: SourceKind::parse(&self.source),
            assignee_id: Some(match self.assignee_id.trim() {
                "" => None,
                s => Some(s.parse().unwrap_or_default()),
            }),
            ..details
        })
    }
}

#[derive(Template)]
#[template(path = "feedback_form.html")]
struct EditPage {
    ctx: Ctx,
    f: Feedback,
    form: EditForm,
    errors: FormErrors,
    products: Vec<Product>,
    members: Vec<Member>,
    sources: &'static [SourceKind],
}

impl EditPage {
    fn products(&self) -> Vec<&Product> {
        self.products
            .iter()
            .filter(|p| !p.archived || self.form.product_id == p.id.to_string())
            .collect()
    }
}

async fn edit_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    f: Feedback,
    form: EditForm,
    errors: FormErrors,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let products = lookup::products(state, &ctx, meta).await?;
    let members = lookup::members(state, &ctx, meta).await?;
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &EditPage {
            ctx,
            f,
            form,
            errors,
            products,
            members,
            sources: SourceKind::ALL,
        },
        l,
    )
}

pub async fn edit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: FeedbackId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let f = state
        .phare
        .get_feedback(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let form = EditForm::from_feedback(&f);
    edit_page(&state, ctx, &meta, f, form, FormErrors::default()).await
}

#[derive(Template)]
#[template(path = "feedback_conflict.html")]
struct ConflictPage {
    ctx: Ctx,
    current: Feedback,
    theirs: EditForm,
    mine: EditForm,
    products: Vec<Product>,
    members: Vec<Member>,
}

impl ConflictPage {
    fn is_mine(&self, side: &str) -> bool {
        side == "mine"
    }
    /// This person's version first, then the saved one.
    fn sides(&self) -> [(&'static str, &EditForm); 2] {
        [("mine", &self.mine), ("theirs", &self.theirs)]
    }
    fn product_name(&self, id: &str) -> String {
        self.products
            .iter()
            .find(|p| p.id.to_string() == id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| self.ctx.l.t("product-none-yet"))
    }
    fn member_name(&self, id: &str) -> String {
        self.members
            .iter()
            .find(|m| m.id.to_string() == id)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| self.ctx.l.t("nobody"))
    }
    fn source_name(&self, s: &str) -> String {
        match SourceKind::parse(s) {
            Some(s) => self.ctx.l.tv("source", s),
            None => String::new(),
        }
    }
}

pub async fn update(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<EditForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: FeedbackId = lookup::parse_id(&id, &ctx)?;
    // The date is read before the core is called: refuse first whoever may not edit.
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let input = match form.input(l) {
        Ok(input) => input,
        Err(errors) => {
            let f = state
                .phare
                .get_feedback(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            return edit_page(&state, ctx, &meta, f, form, errors).await;
        }
    };
    match state
        .phare
        .update_feedback(&ctx.actor, &meta, id, form.version, input)
        .await
    {
        Ok(f) => Ok(see_other(&format!(
            "/feedback/{}?done=feedback_saved",
            f.id
        ))),
        Err(e) if e.code == ErrorCode::VersionConflict => {
            // Nothing is lost: what was saved meanwhile beside what this person typed, with a
            // form that applies theirs on top of the current version.
            let current = state
                .phare
                .get_feedback(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let products = lookup::products(&state, &ctx, &meta).await?;
            let members = lookup::members(&state, &ctx, &meta).await?;
            let theirs = EditForm::from_feedback(&current);
            let mine = EditForm {
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
                    products,
                    members,
                },
                l,
            )
        }
        Err(e) if is_form_error(&e) => {
            let f = state
                .phare
                .get_feedback(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let errors = FormErrors::from_core(&e, l);
            edit_page(&state, ctx, &meta, f, form, errors).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    version: i64,
    #[serde(default)]
    back: String,
}

pub async fn delete(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<DeleteForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: FeedbackId = lookup::parse_id(&id, &ctx)?;
    state
        .phare
        .delete_feedback(&ctx.actor, &meta, id, form.version)
        .await
        .page(l)?;
    let back = local_path(&form.back).unwrap_or("/inbox");
    Ok(see_other(&with_done(back, "feedback_deleted")))
}

#[derive(Deserialize)]
pub struct RemoveEvidenceForm {
    #[serde(default)]
    back: String,
}

/// Unlinks a piece of evidence, from the idea's page or the feedback's.
pub async fn remove_evidence(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<RemoveEvidenceForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: EvidenceId = lookup::parse_id(&id, &ctx)?;
    state
        .phare
        .remove_evidence(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let back = local_path(&form.back).unwrap_or("/inbox");
    Ok(see_other(&with_done(back, "evidence_removed")))
}

impl LinkForm {
    /// Whether this similar idea is the one picked (kept when the form comes back refused).
    fn picked(&self, id: &IdeaId) -> bool {
        self.idea_id == id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idea_from_feedback_is_titled_with_its_first_sentence() {
        assert_eq!(
            title_from("The PDF export fails. It shows an error every time."),
            "The PDF export fails"
        );
        let long = "word ".repeat(40);
        assert!(title_from(&long).chars().count() <= TITLE_CHARS);
    }
}
