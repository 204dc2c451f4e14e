//! Personas of a product: the list (with how many ideas and feedback items each concerns), the
//! new and edit forms (versioned: a conflict keeps what was typed beside what was saved), the
//! persona page with its linked ideas and feedback, and the links themselves, made from an
//! idea's or a feedback item's page. Markdown goes only through `markdown::render`; who may do
//! what is decided by the core.

use super::lookup::{self, local_path, with_done};
use super::{is_form_error, render, render_status, see_other, Ctx, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::i18n::L10n;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use phare_core::{CoreError, RequestMeta};
use phare_domain::{markdown, ErrorCode, PersonaId, PersonaTarget, PersonaText, ProductId};
use phare_store::{Feedback, PageRequest, Persona, PersonaLinks, Product, ResearchNote};
use serde::Deserialize;

/// `persona_links` lists at most this many ideas, and as many feedback items, newest first. A
/// list that long is counted as "200+" rather than as exactly 200.
const LINKS_LISTED: usize = 200;
/// The product's most recent research notes looked through for those held with a persona.
const NOTES_SCANNED: u32 = 50;
/// Characters of a persona's description shown in the list.
const SUMMARY_CHARS: usize = 180;

/// A count of linked items as shown: `200+` once the store's list is full.
fn capped(n: usize) -> String {
    if n >= LINKS_LISTED {
        format!("{LINKS_LISTED}+")
    } else {
        n.to_string()
    }
}

/// The first letters of the first two words of a name: "Léa, office manager" → "LO".
fn initials(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// A duplicate name is said in a persona's words (the general message speaks of customers).
fn form_errors(e: &CoreError, l: L10n) -> FormErrors {
    if e.code == ErrorCode::Duplicate {
        FormErrors::one("name", l.t("field-already_taken-persona-name"), l)
    } else {
        FormErrors::from_core(e, l)
    }
}

// --- list -----------------------------------------------------------------------------------

struct PersonaRow {
    persona: Persona,
    /// Up to two letters for the persona's badge (decorative: the name is beside it).
    initials: String,
    summary: String,
    ideas: String,
    feedback: String,
}

#[derive(Template)]
#[template(path = "personas.html")]
struct PersonasPage {
    ctx: Ctx,
    product: Product,
    rows: Vec<PersonaRow>,
}

pub async fn list(
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
    let personas = state
        .phare
        .list_personas(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    // One read per persona: a product has a handful of personas, not hundreds.
    let mut rows = Vec::with_capacity(personas.len());
    for persona in personas {
        let links = state
            .phare
            .persona_links(&ctx.actor, &meta, persona.id)
            .await
            .page(l)?;
        rows.push(PersonaRow {
            initials: initials(&persona.name),
            summary: lookup::excerpt(&persona.description, SUMMARY_CHARS),
            ideas: capped(links.ideas.len()),
            feedback: capped(links.feedback.len()),
            persona,
        });
    }
    render(&PersonasPage { ctx, product, rows }, l)
}

// --- the form -------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
pub struct PersonaForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    goals: String,
    #[serde(default)]
    frustrations: String,
    #[serde(default)]
    version: i64,
}

impl PersonaForm {
    fn from_persona(p: &Persona) -> Self {
        Self {
            name: p.name.clone(),
            description: p.description.clone(),
            goals: p.goals.clone(),
            frustrations: p.frustrations.clone(),
            version: p.version,
        }
    }

    fn text(&self) -> PersonaText {
        PersonaText {
            name: self.name.clone(),
            description: self.description.clone(),
            goals: self.goals.clone(),
            frustrations: self.frustrations.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "persona_form.html")]
struct PersonaFormPage {
    ctx: Ctx,
    product: Product,
    /// `None` for a new persona.
    persona: Option<Persona>,
    form: PersonaForm,
    errors: FormErrors,
    /// Someone saved the persona meanwhile: `persona` is that saved version, shown beside.
    conflict: bool,
}

fn form_page(
    ctx: Ctx,
    product: Product,
    persona: Option<Persona>,
    form: PersonaForm,
    errors: FormErrors,
    conflict: bool,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &PersonaFormPage {
            ctx,
            product,
            persona,
            form,
            errors,
            conflict,
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
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    form_page(
        ctx,
        product,
        None,
        PersonaForm::default(),
        FormErrors::default(),
        false,
    )
}

pub async fn create(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<PersonaForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    // The product is read before the core is asked: refuse first whoever may not write.
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    match state
        .phare
        .create_persona(&ctx.actor, &meta, id, form.text())
        .await
    {
        Ok(p) => Ok(see_other(&format!(
            "/personas/{}?done=persona_created",
            p.id
        ))),
        Err(e) if is_form_error(&e) => {
            form_page(ctx, product, None, form, form_errors(&e, l), false)
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
    let id: PersonaId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let persona = state
        .phare
        .get_persona(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, persona.product_id)
        .await
        .page(l)?;
    let form = PersonaForm::from_persona(&persona);
    form_page(
        ctx,
        product,
        Some(persona),
        form,
        FormErrors::default(),
        false,
    )
}

pub async fn update(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<PersonaForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: PersonaId = lookup::parse_id(&id, &ctx)?;
    match state
        .phare
        .update_persona(&ctx.actor, &meta, id, form.version, form.text())
        .await
    {
        Ok(p) => Ok(see_other(&format!("/personas/{}?done=persona_saved", p.id))),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let current = state
                .phare
                .get_persona(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let product = state
                .phare
                .get_product(&ctx.actor, &meta, current.product_id)
                .await
                .page(l)?;
            let conflict = e.code == ErrorCode::VersionConflict;
            let errors = if conflict {
                FormErrors::one("", l.t("error-version_conflict-form"), l)
            } else {
                form_errors(&e, l)
            };
            // On a conflict the form keeps what was typed but carries the current version, so
            // saving again applies it over the other change, knowingly.
            let form = PersonaForm {
                version: current.version,
                ..form
            };
            form_page(ctx, product, Some(current), form, errors, conflict)
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- the persona page -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "persona.html")]
struct PersonaPage {
    ctx: Ctx,
    persona: Persona,
    product: Product,
    /// Description, goals and frustrations as sanitized HTML (`markdown::render`).
    description: String,
    goals: String,
    frustrations: String,
    links: PersonaLinks,
    /// Research notes held with this persona, among the product's most recent ones.
    notes: Vec<ResearchNote>,
}

impl PersonaPage {
    fn back(&self) -> String {
        format!("/personas/{}#linked", self.persona.id)
    }
    fn feedback_text(&self, f: &Feedback) -> String {
        lookup::excerpt(&f.text, 200)
    }
    fn idea_count(&self) -> String {
        capped(self.links.ideas.len())
    }
    fn feedback_count(&self) -> String {
        capped(self.links.feedback.len())
    }
    fn notes_scanned(&self) -> u32 {
        NOTES_SCANNED
    }
}

pub async fn show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: PersonaId = lookup::parse_id(&id, &ctx)?;
    let persona = state
        .phare
        .get_persona(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, persona.product_id)
        .await
        .page(l)?;
    let links = state
        .phare
        .persona_links(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let notes = state
        .phare
        .list_research_notes(
            &ctx.actor,
            &meta,
            persona.product_id,
            &PageRequest::first(NOTES_SCANNED),
        )
        .await
        .page(l)?
        .items
        .into_iter()
        .filter(|n| n.persona_id == Some(id))
        .collect();
    render(
        &PersonaPage {
            description: markdown::render(&persona.description),
            goals: markdown::render(&persona.goals),
            frustrations: markdown::render(&persona.frustrations),
            ctx,
            persona,
            product,
            links,
            notes,
        },
        l,
    )
}

#[derive(Deserialize)]
pub struct DeleteForm {
    version: i64,
}

pub async fn delete(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<DeleteForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: PersonaId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_curate() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    // Read first: the list to go back to is the persona's product's.
    let persona = state
        .phare
        .get_persona(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    state
        .phare
        .delete_persona(&ctx.actor, &meta, id, form.version)
        .await
        .page(l)?;
    Ok(see_other(&format!(
        "/products/{}/personas?done=persona_deleted",
        persona.product_id
    )))
}

// --- links to ideas and feedback ------------------------------------------------------------

/// "Link a persona" from an idea or a feedback item, and "unlink" from either side.
#[derive(Deserialize, Default, Debug)]
pub struct LinkForm {
    #[serde(default)]
    persona_id: String,
    #[serde(default)]
    target_kind: String,
    #[serde(default)]
    target_id: String,
    #[serde(default)]
    back: String,
}

pub async fn link(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Form(form): Form<LinkForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let persona: PersonaId = lookup::parse_id(&form.persona_id, &ctx)?;
    let target_id: uuid::Uuid = lookup::parse_id(&form.target_id, &ctx)?;
    // The kind comes from a hidden field of the page that posts it; anything else is no page.
    let Some(kind) = PersonaTarget::parse(&form.target_kind) else {
        return Err(WebError::code(ErrorCode::NotFound, l));
    };
    state
        .phare
        .link_persona(&ctx.actor, &meta, persona, kind, target_id)
        .await
        .page(l)?;
    let fallback = format!("/personas/{persona}");
    let back = local_path(&form.back).unwrap_or(&fallback);
    Ok(see_other(&with_done(back, "persona_linked")))
}

pub async fn unlink(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Form(form): Form<LinkForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let persona: PersonaId = lookup::parse_id(&form.persona_id, &ctx)?;
    let target_id: uuid::Uuid = lookup::parse_id(&form.target_id, &ctx)?;
    state
        .phare
        .unlink_persona(&ctx.actor, &meta, persona, target_id)
        .await
        .page(l)?;
    let fallback = format!("/personas/{persona}");
    let back = local_path(&form.back).unwrap_or(&fallback);
    Ok(see_other(&with_done(back, "persona_unlinked")))
}

/// The personas an idea or a feedback item concerns, shown on its page
/// (`persona_panel.html`), with the other personas of its product that may be linked.
pub struct PersonaPanel {
    pub kind: PersonaTarget,
    pub target_id: uuid::Uuid,
    /// The page to come back to after linking or unlinking.
    pub back: String,
    pub product_id: Option<ProductId>,
    pub linked: Vec<Persona>,
    /// Personas of the product not linked yet; empty when the person may not link or the
    /// item is frozen (a merged idea).
    pub choices: Vec<Persona>,
    /// Whether the person may link and unlink here.
    pub editable: bool,
}

impl PersonaPanel {
    /// Whether the product has no persona at all yet (the panel then says where to write one).
    pub fn product_has_none(&self) -> bool {
        self.linked.is_empty() && self.choices.is_empty()
    }
}

pub async fn panel(
    state: &AppState,
    ctx: &Ctx,
    meta: &RequestMeta,
    kind: PersonaTarget,
    target_id: uuid::Uuid,
    product_id: Option<ProductId>,
    frozen: bool,
) -> Result<PersonaPanel, WebError> {
    let l = ctx.l;
    let linked = state
        .phare
        .personas_of(&ctx.actor, meta, target_id)
        .await
        .page(l)?;
    let editable = ctx.can_work() && !frozen;
    let choices = match product_id {
        Some(p) if editable => state
            .phare
            .list_personas(&ctx.actor, meta, p)
            .await
            .page(l)?
            .into_iter()
            .filter(|p| !linked.iter().any(|x| x.id == p.id))
            .collect(),
        _ => Vec::new(),
    };
    let back = match kind {
        PersonaTarget::Idea => format!("/ideas/{target_id}#personas"),
        PersonaTarget::Feedback => format!("/feedback/{target_id}#personas"),
    };
    Ok(PersonaPanel {
        kind,
        target_id,
        back,
        product_id,
        linked,
        choices,
        editable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_persona_badge_shows_the_first_letters_of_its_name() {
        assert_eq!(initials("Léa, office manager"), "LO");
        assert_eq!(initials("élodie"), "É");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn a_full_list_of_links_is_counted_as_at_least_that_many() {
        assert_eq!(capped(3), "3");
        assert_eq!(capped(LINKS_LISTED), "200+");
    }
}
