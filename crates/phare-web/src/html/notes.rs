//! Research notes of a product: the list (newest first, by pages), the new and edit forms
//! (versioned), and the note page, where a passage of the notes becomes a feedback item linked
//! to the note's persona and, if chosen, to an idea: select the passage, then submit. The notes
//! are Markdown rendered only through `markdown::render`; who may do what is decided by the core.

use super::inbox::day_start;
use super::lookup;
use super::{is_form_error, render, render_status, see_other, Ctx, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::i18n::L10n;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use phare_core::{NoteInput, PassageInput, RequestMeta};
use phare_domain::{
    markdown, ErrorCode, FeedbackId, IdeaId, Importance, MemberId, PersonaId, ProductId,
    ResearchNoteId, SourceKind,
};
use phare_store::{
    Cursor, EvidenceOnFeedback, Feedback, FeedbackFilter, Idea, PageRequest, Persona, Product,
    ResearchNote,
};
use serde::Deserialize;

/// Notes per page of the list.
const PAGE_SIZE: u32 = 50;
/// Feedback items of an interview listed on its note.
const CAPTURED_SHOWN: u32 = 50;
/// Characters of a captured item's text shown on the note.
const EXCERPT_CHARS: usize = 200;

fn percent(similar: Vec<(Idea, f64)>) -> Vec<(Idea, i64)> {
    similar
        .into_iter()
        .map(|(i, s)| (i, (s * 100.0).round() as i64))
        .collect()
}

/// A member's name, when the note names one (a removed member reads as nobody).
async fn member_name(
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

// --- list -----------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    after: String,
}

#[derive(Template)]
#[template(path = "research_notes.html")]
struct NotesPage {
    ctx: Ctx,
    product: Product,
    notes: Vec<ResearchNote>,
    personas: Vec<Persona>,
    next: Option<String>,
}

impl NotesPage {
    fn persona(&self, id: &Option<PersonaId>) -> Option<&Persona> {
        let id = (*id)?;
        self.personas.iter().find(|p| p.id == id)
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
    let page = state
        .phare
        .list_research_notes(
            &ctx.actor,
            &meta,
            id,
            &PageRequest::new(Cursor::decode(&q.after), Some(PAGE_SIZE)),
        )
        .await
        .page(l)?;
    let personas = state
        .phare
        .list_personas(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let next = page
        .next_cursor
        .map(|c| format!("/products/{id}/research-notes?after={}", c.encode()));
    render(
        &NotesPage {
            ctx,
            product,
            notes: page.items,
            personas,
            next,
        },
        l,
    )
}

// --- the form -------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
pub struct NoteForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    participant: String,
    #[serde(default)]
    persona_id: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    version: i64,
}

impl NoteForm {
    fn from_note(n: &ResearchNote) -> Self {
        Self {
            title: n.title.clone(),
            participant: n.participant.clone(),
            persona_id: n.persona_id.map(|p| p.to_string()).unwrap_or_default(),
            held_on: n.held_on.format("%Y-%m-%d").to_string(),
            notes: n.notes.clone(),
            version: n.version,
        }
    }

    /// The fields the way the core expects them. An unknown persona is passed on as a random
    /// id so the core refuses it in its own words; only a malformed date is caught here,
    /// having no stand-in.
    fn input(&self, l: L10n) -> Result<NoteInput, FormErrors> {
        let held_on = match self.held_on.trim() {
            "" => None,
            s => match day_start(s) {
                Some(t) => Some(t),
                None => {
                    return Err(FormErrors::one(
                        "held_on",
                        l.t("field-invalid_date-held_on"),
                        l,
                    ))
                }
            },
        };
        Ok(NoteInput {
            title: Some(self.title.clone()),
            participant: Some(self.participant.clone()),
            notes: Some(self.notes.clone()),
            persona_id: Some(match self.persona_id.trim() {
                "" => None,
                s => Some(s.parse().unwrap_or_default()),
            }),
            held_on,
        })
    }
}

#[derive(Template)]
#[template(path = "research_note_form.html")]
struct NoteFormPage {
    ctx: Ctx,
    product: Product,
    /// `None` for a new note.
    note: Option<ResearchNote>,
    form: NoteForm,
    errors: FormErrors,
    personas: Vec<Persona>,
    /// Someone saved the note meanwhile: `note` is that saved version, shown beside.
    conflict: bool,
}

impl NoteFormPage {
    fn persona_name(&self, id: &Option<PersonaId>) -> String {
        id.and_then(|id| self.personas.iter().find(|p| p.id == id))
            .map(|p| p.name.clone())
            .unwrap_or_else(|| self.ctx.l.t("none"))
    }
}

/// Why a note's form comes back: field errors, or an edit saved meanwhile by someone else.
#[derive(Default)]
struct Refusal {
    errors: FormErrors,
    conflict: bool,
}

impl Refusal {
    fn errors(errors: FormErrors) -> Self {
        Self {
            errors,
            conflict: false,
        }
    }
}

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    product: Product,
    note: Option<ResearchNote>,
    form: NoteForm,
    refusal: Refusal,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let Refusal { errors, conflict } = refusal;
    let personas = state
        .phare
        .list_personas(&ctx.actor, meta, product.id)
        .await
        .page(l)?;
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &NoteFormPage {
            ctx,
            product,
            note,
            form,
            errors,
            personas,
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
    let form = NoteForm {
        held_on: chrono::Utc::now().format("%Y-%m-%d").to_string(),
        ..Default::default()
    };
    form_page(&state, ctx, &meta, product, None, form, Refusal::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<NoteForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    // The date is read before the core is called: refuse first whoever may not write.
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let input = match form.input(l) {
        Ok(input) => input,
        Err(errors) => {
            let refusal = Refusal::errors(errors);
            return form_page(&state, ctx, &meta, product, None, form, refusal).await;
        }
    };
    match state
        .phare
        .create_research_note(&ctx.actor, &meta, id, input)
        .await
    {
        Ok(n) => Ok(see_other(&format!(
            "/research-notes/{}?done=note_created",
            n.id
        ))),
        Err(e) if is_form_error(&e) => {
            let refusal = Refusal::errors(FormErrors::from_core(&e, l));
            form_page(&state, ctx, &meta, product, None, form, refusal).await
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
    let id: ResearchNoteId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let note = state
        .phare
        .get_research_note(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, note.product_id)
        .await
        .page(l)?;
    let form = NoteForm::from_note(&note);
    form_page(
        &state,
        ctx,
        &meta,
        product,
        Some(note),
        form,
        Refusal::default(),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<NoteForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ResearchNoteId = lookup::parse_id(&id, &ctx)?;
    // The date is read before the core is called: refuse first whoever may not write.
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let input = match form.input(l) {
        Ok(input) => input,
        Err(errors) => {
            let note = state
                .phare
                .get_research_note(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let product = state
                .phare
                .get_product(&ctx.actor, &meta, note.product_id)
                .await
                .page(l)?;
            let refusal = Refusal::errors(errors);
            return form_page(&state, ctx, &meta, product, Some(note), form, refusal).await;
        }
    };
    match state
        .phare
        .update_research_note(&ctx.actor, &meta, id, form.version, input)
        .await
    {
        Ok(n) => Ok(see_other(&format!(
            "/research-notes/{}?done=note_saved",
            n.id
        ))),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let current = state
                .phare
                .get_research_note(&ctx.actor, &meta, id)
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
                FormErrors::from_core(&e, l)
            };
            // On a conflict the form keeps what was typed but carries the current version, so
            // saving again applies it over the other change, knowingly.
            let form = NoteForm {
                version: current.version,
                ..form
            };
            let refusal = Refusal { errors, conflict };
            form_page(&state, ctx, &meta, product, Some(current), form, refusal).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- the note page and its passages ---------------------------------------------------------

/// "Capture a passage": the passage, the idea it supports (one of the similar ideas, or a
/// typed reference such as `CIT-3`; neither: feedback only) and its importance.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct PassageForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    idea_id: String,
    #[serde(default)]
    idea: String,
    #[serde(default)]
    importance: String,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    /// The feedback item just captured from this note, shown at the top (display only).
    #[serde(default)]
    captured: String,
}

#[derive(Template)]
#[template(path = "research_note.html")]
struct NotePage {
    ctx: Ctx,
    /// For the partial shared with the htmx fragment.
    l: L10n,
    note: ResearchNote,
    product: Product,
    persona: Option<Persona>,
    author: Option<String>,
    /// The notes as sanitized HTML (`markdown::render`).
    html: String,
    /// Interview feedback of the same product, participant and day: what was captured here.
    captured: Vec<Feedback>,
    /// The item just captured, with the ideas it supports.
    just_captured: Option<(Feedback, Vec<EvidenceOnFeedback>)>,
    passage: PassageForm,
    errors: FormErrors,
    similar: Vec<(Idea, i64)>,
    /// The similar idea chosen (kept when the form comes back refused).
    picked: String,
    importances: &'static [Importance],
}

impl NotePage {
    fn excerpt(&self, f: &Feedback) -> String {
        lookup::excerpt(&f.text, EXCERPT_CHARS)
    }
    fn importance_selected(&self, i: &Importance) -> bool {
        match Importance::parse(&self.passage.importance) {
            Some(v) => v == *i,
            None => *i == Importance::Important,
        }
    }
    /// "Written by Ada on 2026-03-12".
    fn byline(&self) -> String {
        let date = self.ctx.l.date(&self.note.created_at);
        match &self.author {
            Some(who) => self
                .ctx
                .l
                .ta("note-written-by", &[("who", who.clone()), ("date", date)]),
            None => self.ctx.l.t1("note-written-on", "date", date),
        }
    }
    /// How the feedback of this interview is found, in words.
    fn captured_how(&self) -> String {
        let date = self.ctx.l.date(&self.note.held_on);
        if self.note.participant.is_empty() {
            self.ctx.l.t1("note-captured-how-anonymous", "date", date)
        } else {
            self.ctx.l.ta(
                "note-captured-how",
                &[
                    ("participant", self.note.participant.clone()),
                    ("date", date),
                ],
            )
        }
    }
    fn ideas_url(&self) -> String {
        format!("/research-notes/{}/ideas", self.note.id)
    }
}

/// Interview feedback of the note's product dated the note's day and given by its
/// participant: the passages captured from it. A passage becomes feedback with the source
/// "interview", the participant as contact and the note's date (`capture_passage`), and no
/// record names the note itself, so this is how the note finds them again.
async fn captured_from(
    state: &AppState,
    ctx: &Ctx,
    meta: &RequestMeta,
    note: &ResearchNote,
) -> Result<Vec<Feedback>, WebError> {
    let filter = FeedbackFilter {
        product: Some(Some(note.product_id)),
        source: Some(SourceKind::Interview),
        observed_from: Some(note.held_on),
        observed_before: Some(note.held_on + chrono::Duration::milliseconds(1)),
        ..Default::default()
    };
    let contact = (!note.participant.is_empty()).then(|| note.participant.clone());
    Ok(state
        .phare
        .list_feedback(
            &ctx.actor,
            meta,
            &filter,
            &PageRequest::first(CAPTURED_SHOWN),
        )
        .await
        .page(ctx.l)?
        .items
        .into_iter()
        .filter(|f| f.contact == contact)
        .collect())
}

/// The ideas of the note's product most like `text` (the passage), or like the whole note
/// while no passage is chosen yet.
async fn similar_to(
    state: &AppState,
    ctx: &Ctx,
    meta: &RequestMeta,
    note: &ResearchNote,
    text: &str,
) -> Result<Vec<(Idea, i64)>, WebError> {
    let text = if text.trim().is_empty() {
        markdown::to_plain_text(&note.notes)
    } else {
        text.to_owned()
    };
    Ok(percent(
        state
            .phare
            .similar_ideas(&ctx.actor, meta, note.product_id, &text, None)
            .await
            .page(ctx.l)?,
    ))
}

async fn note_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    note: ResearchNote,
    passage: PassageForm,
    errors: FormErrors,
    just_captured: Option<FeedbackId>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let product = state
        .phare
        .get_product(&ctx.actor, meta, note.product_id)
        .await
        .page(l)?;
    let persona = match note.persona_id {
        Some(p) => match state.phare.get_persona(&ctx.actor, meta, p).await {
            Ok(p) => Some(p),
            Err(e) if e.code == ErrorCode::NotFound => None,
            Err(e) => return Err(WebError::new(e, l)),
        },
        None => None,
    };
    let author = member_name(state, &ctx, meta, note.created_by).await?;
    let similar = if ctx.can_work() {
        similar_to(state, &ctx, meta, &note, &passage.text).await?
    } else {
        Vec::new()
    };
    let captured = captured_from(state, &ctx, meta, &note).await?;
    // Only an item of this interview is shown as "just captured": the parameter is a link
    // anyone could forge, and it changes nothing.
    let just_captured = match just_captured.and_then(|id| captured.iter().find(|f| f.id == id)) {
        Some(f) => {
            let ideas = state
                .phare
                .list_feedback_ideas(&ctx.actor, meta, f.id)
                .await
                .page(l)?;
            Some((f.clone(), ideas))
        }
        None => None,
    };
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &NotePage {
            l,
            html: markdown::render(&note.notes),
            picked: passage.idea_id.clone(),
            ctx,
            note,
            product,
            persona,
            author,
            captured,
            just_captured,
            passage,
            errors,
            similar,
            importances: Importance::ALL,
        },
        l,
    )
}

pub async fn show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ResearchNoteId = lookup::parse_id(&id, &ctx)?;
    let note = state
        .phare
        .get_research_note(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let captured = q.captured.parse::<FeedbackId>().ok();
    note_page(
        &state,
        ctx,
        &meta,
        note,
        PassageForm::default(),
        FormErrors::default(),
        captured,
    )
    .await
}

/// Turns a passage into feedback linked to the note's persona and to the chosen idea, then
/// shows it at the top of the note, ready for the next passage.
pub async fn capture(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<PassageForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ResearchNoteId = lookup::parse_id(&id, &ctx)?;
    // The idea is looked up before the core is asked: refuse first whoever may not write.
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let note = state
        .phare
        .get_research_note(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let typed = if form.idea_id.trim().is_empty() {
        form.idea.clone()
    } else {
        form.idea_id.clone()
    };
    let idea = if typed.trim().is_empty() {
        None
    } else {
        let product = state
            .phare
            .get_product(&ctx.actor, &meta, note.product_id)
            .await
            .page(l)?;
        match lookup::find_idea(&state, &ctx, &meta, &typed, Some(&product), true).await? {
            Some(i) => Some(i.id),
            None => {
                let errors = FormErrors::one("idea", l.t("field-unknown_idea"), l);
                return note_page(&state, ctx, &meta, note, form, errors, None).await;
            }
        }
    };
    let input = PassageInput {
        text: form.text.clone(),
        idea,
        importance: Importance::parse(&form.importance),
    };
    match state
        .phare
        .capture_passage(&ctx.actor, &meta, id, input)
        .await
    {
        Ok(f) => Ok(see_other(&format!(
            "/research-notes/{id}?captured={}#captured",
            f.id
        ))),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l)
                .rename("text", "passage", l)
                .rename("idea_id", "idea", l);
            note_page(&state, ctx, &meta, note, form, errors, None).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize, Default)]
pub struct IdeasQuery {
    #[serde(default)]
    text: String,
    #[serde(default)]
    idea_id: String,
}

#[derive(Template)]
#[template(path = "note_ideas_partial.html")]
struct IdeasPartial {
    l: L10n,
    similar: Vec<(Idea, i64)>,
    picked: String,
}

/// The ideas most like the passage being chosen (an htmx GET while it changes). The idea
/// already picked stays in the list, so refreshing never drops a choice.
pub async fn ideas(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<IdeasQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ResearchNoteId = lookup::parse_id(&id, &ctx)?;
    let note = state
        .phare
        .get_research_note(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let mut similar = similar_to(&state, &ctx, &meta, &note, &q.text).await?;
    if let Ok(picked) = q.idea_id.parse::<IdeaId>() {
        if !similar.iter().any(|(i, _)| i.id == picked) {
            match state.phare.get_idea(&ctx.actor, &meta, picked).await {
                Ok(i) if i.product_id == note.product_id => similar.insert(0, (i, -1)),
                Ok(_) => {}
                Err(e) if e.code == ErrorCode::NotFound => {}
                Err(e) => return Err(WebError::new(e, l)),
            }
        }
    }
    render(
        &IdeasPartial {
            l,
            similar,
            picked: q.idea_id,
        },
        l,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_form_with_a_date_that_cannot_be_read_is_refused_on_that_field() {
        let l = L10n::new(phare_domain::Locale::En);
        let form = NoteForm {
            title: "Interview".into(),
            held_on: "31/03/2026".into(),
            ..Default::default()
        };
        let errors = form.input(l).unwrap_err();
        assert_eq!(errors.0[0].field, "held_on");
        let ok = NoteForm {
            held_on: "2026-03-31".into(),
            ..form
        }
        .input(l)
        .unwrap();
        assert_eq!(
            ok.held_on.unwrap().format("%Y-%m-%d").to_string(),
            "2026-03-31"
        );
        assert_eq!(ok.persona_id, Some(None), "no persona chosen removes it");
    }
}
