//! Competitors and "how do we compare": a product's grid (capabilities as rows, the product
//! first then each competitor as columns), adding a capability, rating our product and each
//! competitor (one form per column, in which only the cells changed on the page are sent), and
//! the competitor's own page and forms (versioned). Markdown goes only through
//! `markdown::render`; who may do what is decided by the core.

use super::lookup::{self, local_path, with_done};
use super::{is_form_error, render_status, see_other, Ctx, FormError, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::i18n::L10n;
use crate::AppState;
use askama::Template;
use axum::extract::{RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use phare_core::{CoreError, RequestMeta};
use phare_domain::{
    markdown, CapabilityId, CompetitorId, CompetitorText, ErrorCode, ProductId, Rating,
};
use phare_store::{Capability, ComparisonGrid, Competitor, CompetitorRating, Product};
use serde::Deserialize;

/// A duplicate name is said in a competitor's words (the general message speaks of customers).
fn form_errors(e: &CoreError, l: L10n) -> FormErrors {
    if e.code == ErrorCode::Duplicate {
        FormErrors::one("name", l.t("field-already_taken-competitor-name"), l)
    } else {
        FormErrors::from_core(e, l)
    }
}

fn grid_path(product: ProductId) -> String {
    format!("/products/{product}/competitors")
}

/// A form body as its pairs, in order (the ratings forms name their fields by capability).
fn pairs(body: &[u8], l: L10n) -> Result<Vec<(String, String)>, WebError> {
    serde_urlencoded::from_bytes(body).map_err(|_| WebError::code(ErrorCode::BadRequest, l))
}

// --- ratings forms --------------------------------------------------------------------------

/// One cell of a ratings form as it comes back: `rating-<capability id>` and `note-<…>`, with
/// the values the page showed in `was-rating-<…>` and `was-note-<…>`.
#[derive(Clone, Debug, PartialEq)]
struct CellEdit {
    capability: CapabilityId,
    rating: String,
    note: String,
    /// Whether the person changed the cell. Only changed cells are saved: a cell left alone
    /// never overwrites what someone else saved since the page was shown.
    changed: bool,
}

fn cell_edits(pairs: &[(String, String)]) -> Vec<CellEdit> {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let mut out = Vec::new();
    for (key, rating) in pairs {
        let Some(id) = key.strip_prefix("rating-") else {
            continue;
        };
        let Ok(capability) = id.parse::<CapabilityId>() else {
            continue;
        };
        let note = get(&format!("note-{id}")).to_owned();
        let changed = rating != get(&format!("was-rating-{id}"))
            || note.trim() != get(&format!("was-note-{id}")).trim();
        out.push(CellEdit {
            capability,
            rating: rating.clone(),
            note,
            changed,
        });
    }
    out
}

/// One row of a ratings form: a capability, our rating beside it, and the cell being edited
/// (ours, or a competitor's) as saved and as shown.
pub struct RatingRow {
    capability: Capability,
    /// The saved value of the cell (`""`: not rated yet), sent back as `was-…`.
    saved_rating: String,
    saved_note: String,
    /// What the form shows: the saved value, or what was typed when the cell was refused.
    rating: String,
    note: String,
    rating_error: Option<String>,
    note_error: Option<String>,
}

impl RatingRow {
    fn id(&self) -> String {
        self.capability.id.to_string()
    }
    fn shows(&self, r: &Rating) -> bool {
        self.rating == r.as_str()
    }
    /// The saved rating, `None` when the cell is not rated yet.
    fn saved(&self) -> Option<Rating> {
        Rating::parse(&self.saved_rating)
    }
}

/// The rows of the ratings form of our product (`competitor: None`) or of a competitor.
fn rating_rows(
    grid: &ComparisonGrid,
    competitor: Option<CompetitorId>,
    refused: &[CellEdit],
    errors: &FormErrors,
) -> Vec<RatingRow> {
    grid.capabilities
        .iter()
        .map(|k| {
            let (saved_rating, saved_note) = match competitor {
                None => (k.ours.as_str().to_owned(), k.ours_note.clone()),
                Some(c) => grid
                    .ratings
                    .iter()
                    .find(|r| r.competitor_id == c && r.capability_id == k.id)
                    .map(|r| (r.rating.as_str().to_owned(), r.note.clone()))
                    .unwrap_or_default(),
            };
            let typed = refused.iter().find(|e| e.capability == k.id);
            RatingRow {
                rating: typed.map_or(saved_rating.clone(), |e| e.rating.clone()),
                note: typed.map_or(saved_note.clone(), |e| e.note.clone()),
                rating_error: errors.get(&format!("rating-{}", k.id)),
                note_error: errors.get(&format!("note-{}", k.id)),
                saved_rating,
                saved_note,
                capability: k.clone(),
            }
        })
        .collect()
}

/// Saves the changed cells of a ratings form, one use-case call per cell (each cell stands
/// alone: no rule ties one to another). A refused cell does not stop the others; it comes back
/// with its error and what was typed.
async fn save_cells(
    state: &AppState,
    ctx: &Ctx,
    meta: &RequestMeta,
    grid: &ComparisonGrid,
    competitor: Option<CompetitorId>,
    edits: Vec<CellEdit>,
) -> Result<(Vec<CellEdit>, FormErrors), WebError> {
    let l = ctx.l;
    let mut refused = Vec::new();
    let mut errors = FormErrors::default();
    for edit in edits.into_iter().filter(|e| e.changed) {
        // A row removed meanwhile has nothing left to rate.
        let Some(k) = grid.capabilities.iter().find(|k| k.id == edit.capability) else {
            continue;
        };
        let Some(rating) = Rating::parse(&edit.rating) else {
            push_cell_error(&mut errors, "rating", k, l.t("field-rating_required"));
            refused.push(edit);
            continue;
        };
        let result = match competitor {
            None => state
                .phare
                .put_capability(&ctx.actor, meta, k.product_id, &k.name, rating, &edit.note)
                .await
                .map(|_| ()),
            Some(c) => {
                state
                    .phare
                    .rate_competitor(&ctx.actor, meta, c, k.id, rating, &edit.note)
                    .await
            }
        };
        match result {
            Ok(()) => {}
            Err(e) if is_form_error(&e) => {
                for f in FormErrors::from_core(&e, l).0 {
                    push_cell_error(&mut errors, "note", k, f.message);
                }
                refused.push(edit);
            }
            Err(e) => return Err(WebError::new(e, l)),
        }
    }
    Ok((refused, errors))
}

/// An error on one cell, tied to its control (`note-<id>`), named by its capability in the
/// summary.
fn push_cell_error(errors: &mut FormErrors, part: &str, k: &Capability, message: String) {
    errors.0.push(FormError {
        field: format!("{part}-{}", k.id),
        summary: format!("{} — {message}", k.name),
        message,
    });
}

// --- the grid -------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
pub struct CapabilityForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    ours: String,
    #[serde(default)]
    ours_note: String,
}

#[derive(Template)]
#[template(path = "competitors.html")]
struct GridPage {
    ctx: Ctx,
    product: Product,
    grid: ComparisonGrid,
    /// "Add a capability", as typed when refused.
    add: CapabilityForm,
    add_errors: FormErrors,
    /// Our product's column, as a form (contributors).
    ours: Vec<RatingRow>,
    ours_errors: FormErrors,
    ratings: &'static [Rating],
}

impl GridPage {
    fn cell(
        &self,
        competitor: &CompetitorId,
        capability: &CapabilityId,
    ) -> Option<&CompetitorRating> {
        self.grid
            .ratings
            .iter()
            .find(|r| r.competitor_id == *competitor && r.capability_id == *capability)
    }
    fn back(&self) -> String {
        format!("{}#ours", grid_path(self.product.id))
    }
    /// "5 capabilities compared across 3 solutions": the table's caption.
    fn caption(&self) -> String {
        self.ctx.l.ta(
            "grid-caption",
            &[
                ("capabilities", self.grid.capabilities.len().to_string()),
                ("solutions", (self.grid.competitors.len() + 1).to_string()),
            ],
        )
    }
}

/// What a refused form of the grid page brings back.
#[derive(Default)]
struct Refused {
    add: CapabilityForm,
    add_errors: FormErrors,
    ours: Vec<CellEdit>,
    ours_errors: FormErrors,
}

async fn grid_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    product: Product,
    refused: Refused,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let grid = state
        .phare
        .comparison_grid(&ctx.actor, meta, product.id)
        .await
        .page(l)?;
    let status = if refused.add_errors.any() || refused.ours_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let ours = rating_rows(&grid, None, &refused.ours, &refused.ours_errors);
    render_status(
        status,
        &GridPage {
            ctx,
            product,
            grid,
            add: refused.add,
            add_errors: refused.add_errors,
            ours,
            ours_errors: refused.ours_errors,
            ratings: Rating::ALL,
        },
        l,
    )
}

pub async fn grid(
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
    grid_page(&state, ctx, &meta, product, Refused::default()).await
}

/// Adds a capability with our rating; a name already in the grid changes our rating of it.
pub async fn add_capability(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<CapabilityForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    // The rating is read before the core is called: refuse first whoever may not write.
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let refuse = |add_errors: FormErrors, add: CapabilityForm| Refused {
        add,
        add_errors,
        ..Default::default()
    };
    // Our rating has no stand-in the core could refuse in its own words: it is asked for here.
    let Some(ours) = Rating::parse(&form.ours) else {
        let errors = FormErrors::one("ours", l.t("field-rating_required"), l);
        return grid_page(&state, ctx, &meta, product, refuse(errors, form)).await;
    };
    match state
        .phare
        .put_capability(&ctx.actor, &meta, id, &form.name, ours, &form.ours_note)
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "{}?done=capability_saved#grid",
            grid_path(id)
        ))),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l);
            grid_page(&state, ctx, &meta, product, refuse(errors, form)).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

/// Saves our product's column of the grid.
pub async fn rate_ours(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    RawForm(body): RawForm,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let edits = cell_edits(&pairs(&body, l)?);
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let grid = state
        .phare
        .comparison_grid(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let (refused, errors) = save_cells(&state, &ctx, &meta, &grid, None, edits).await?;
    if errors.any() {
        let refused = Refused {
            ours: refused,
            ours_errors: errors,
            ..Default::default()
        };
        return grid_page(&state, ctx, &meta, product, refused).await;
    }
    Ok(see_other(&format!(
        "{}?done=ratings_saved#ours",
        grid_path(id)
    )))
}

#[derive(Deserialize, Default)]
pub struct BackForm {
    #[serde(default)]
    back: String,
}

/// Removes a capability row and its ratings.
pub async fn delete_capability(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<BackForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: CapabilityId = lookup::parse_id(&id, &ctx)?;
    state
        .phare
        .delete_capability(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let back = local_path(&form.back).unwrap_or("/products");
    Ok(see_other(&with_done(back, "capability_removed")))
}

// --- a competitor ---------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
pub struct CompetitorForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    strengths: String,
    #[serde(default)]
    weaknesses: String,
    #[serde(default)]
    version: i64,
}

impl CompetitorForm {
    fn from_competitor(c: &Competitor) -> Self {
        Self {
            name: c.name.clone(),
            website: c.website.clone(),
            strengths: c.strengths.clone(),
            weaknesses: c.weaknesses.clone(),
            version: c.version,
        }
    }

    fn text(&self) -> CompetitorText {
        CompetitorText {
            name: self.name.clone(),
            website: self.website.clone(),
            strengths: self.strengths.clone(),
            weaknesses: self.weaknesses.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "competitor_form.html")]
struct CompetitorFormPage {
    ctx: Ctx,
    product: Product,
    /// `None` for a new competitor.
    competitor: Option<Competitor>,
    form: CompetitorForm,
    errors: FormErrors,
    /// Someone saved the competitor meanwhile: `competitor` is that saved version.
    conflict: bool,
}

fn form_page(
    ctx: Ctx,
    product: Product,
    competitor: Option<Competitor>,
    form: CompetitorForm,
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
        &CompetitorFormPage {
            ctx,
            product,
            competitor,
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
        CompetitorForm::default(),
        FormErrors::default(),
        false,
    )
}

pub async fn create(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<CompetitorForm>,
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
    match state
        .phare
        .create_competitor(&ctx.actor, &meta, id, form.text())
        .await
    {
        Ok(c) => Ok(see_other(&format!(
            "/competitors/{}?done=competitor_created#ratings",
            c.id
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
    let id: CompetitorId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let competitor = state
        .phare
        .get_competitor(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, competitor.product_id)
        .await
        .page(l)?;
    let form = CompetitorForm::from_competitor(&competitor);
    form_page(
        ctx,
        product,
        Some(competitor),
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
    Form(form): Form<CompetitorForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: CompetitorId = lookup::parse_id(&id, &ctx)?;
    match state
        .phare
        .update_competitor(&ctx.actor, &meta, id, form.version, form.text())
        .await
    {
        Ok(c) => Ok(see_other(&format!(
            "/competitors/{}?done=competitor_saved",
            c.id
        ))),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let current = state
                .phare
                .get_competitor(&ctx.actor, &meta, id)
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
            let form = CompetitorForm {
                version: current.version,
                ..form
            };
            form_page(ctx, product, Some(current), form, errors, conflict)
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Template)]
#[template(path = "competitor.html")]
struct CompetitorPage {
    ctx: Ctx,
    competitor: Competitor,
    product: Product,
    /// Strengths and weaknesses as sanitized HTML (`markdown::render`).
    strengths: String,
    weaknesses: String,
    rows: Vec<RatingRow>,
    errors: FormErrors,
    ratings: &'static [Rating],
}

async fn competitor_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    competitor: Competitor,
    refused: Vec<CellEdit>,
    errors: FormErrors,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let product = state
        .phare
        .get_product(&ctx.actor, meta, competitor.product_id)
        .await
        .page(l)?;
    let grid = state
        .phare
        .comparison_grid(&ctx.actor, meta, competitor.product_id)
        .await
        .page(l)?;
    let rows = rating_rows(&grid, Some(competitor.id), &refused, &errors);
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &CompetitorPage {
            strengths: markdown::render(&competitor.strengths),
            weaknesses: markdown::render(&competitor.weaknesses),
            ctx,
            competitor,
            product,
            rows,
            errors,
            ratings: Rating::ALL,
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
    let l = ctx.l;
    let id: CompetitorId = lookup::parse_id(&id, &ctx)?;
    let competitor = state
        .phare
        .get_competitor(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    competitor_page(
        &state,
        ctx,
        &meta,
        competitor,
        Vec::new(),
        FormErrors::default(),
    )
    .await
}

/// Saves the competitor's column of the grid.
pub async fn rate(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    RawForm(body): RawForm,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: CompetitorId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let edits = cell_edits(&pairs(&body, l)?);
    let competitor = state
        .phare
        .get_competitor(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let grid = state
        .phare
        .comparison_grid(&ctx.actor, &meta, competitor.product_id)
        .await
        .page(l)?;
    let (refused, errors) = save_cells(&state, &ctx, &meta, &grid, Some(id), edits).await?;
    if errors.any() {
        return competitor_page(&state, ctx, &meta, competitor, refused, errors).await;
    }
    Ok(see_other(&format!(
        "/competitors/{id}?done=ratings_saved#ratings"
    )))
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
    let id: CompetitorId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_curate() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    // Read first: the grid to go back to is the competitor's product's.
    let competitor = state
        .phare
        .get_competitor(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    state
        .phare
        .delete_competitor(&ctx.actor, &meta, id, form.version)
        .await
        .page(l)?;
    Ok(see_other(&format!(
        "{}?done=competitor_deleted",
        grid_path(competitor.product_id)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(s: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(s).unwrap()
    }

    #[test]
    fn only_the_cells_changed_on_the_page_are_saved() {
        let a = CapabilityId::new();
        let b = CapabilityId::new();
        let edits = cell_edits(&body(&format!(
            "rating-{a}=partial&note-{a}=&was-rating-{a}=have&was-note-{a}=\
             &rating-{b}=no&note-{b}=+Slow+&was-rating-{b}=no&was-note-{b}=Slow"
        )));
        assert_eq!(edits.len(), 2);
        assert!(edits[0].changed && edits[0].capability == a);
        assert!(!edits[1].changed, "spaces around a note are not a change");
    }

    #[test]
    fn every_rating_reads_as_a_word_in_both_languages() {
        use phare_domain::Locale;
        for locale in [Locale::En, Locale::Fr] {
            let l = L10n::new(locale);
            for r in Rating::ALL {
                assert!(l.has(&format!("rating-{r}")), "{locale:?} rating-{r}");
                assert!(
                    l.has(&format!("rating-{r}-means")),
                    "{locale:?} rating-{r}-means"
                );
            }
        }
        assert_eq!(
            L10n::new(Locale::Fr).tv("rating", Rating::Partial),
            "En partie"
        );
    }

    #[test]
    fn a_cell_sent_without_what_the_page_showed_counts_as_changed() {
        let a = CapabilityId::new();
        let edits = cell_edits(&body(&format!("rating-{a}=have")));
        assert!(edits[0].changed);
        assert!(cell_edits(&body("rating-nonsense=have&was-rating-x=no")).is_empty());
    }
}
