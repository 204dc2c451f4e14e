//! An idea's spec and its feature documentation: the spec page (criteria whose state changes
//! with one small form, through htmx or a plain post), the edit form (versioned: a stale save
//! shows the saved version and the difference beside what was typed, which is kept), the
//! version history with a readable diff between any two versions, the exports (Markdown and a
//! Gherkin `.feature` file in the spec's language), and the documentation page with its own
//! versions. Markdown goes only through `markdown::render`; who may do what is decided by the
//! core.

use super::lookup::{self, member_name};
use super::{render, render_status, see_other, Ctx, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::i18n::L10n;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use phare_core::{CoreError, RequestMeta};
use phare_domain::specs::{
    self, Criterion, CriterionState, DesignLink, DiffKind, DiffLine, ReadyItem, SpecContent,
    SpecLanguage, UseCase,
};
use phare_domain::{markdown, ErrorCode, IdeaId, IdeaStatus, Locale};
use phare_store::{FeatureDoc, Idea, Member, Product, Spec, VersionEntry};
use serde::Deserialize;

/// Empty rows offered under the existing ones, so a criterion or a use case can be added
/// without JavaScript.
const BLANK_CRITERIA: usize = 2;
const BLANK_USE_CASES: usize = 1;

fn locale_of(language: SpecLanguage) -> Locale {
    match language {
        SpecLanguage::Fr => Locale::Fr,
        SpecLanguage::En => Locale::En,
    }
}

fn language_of(locale: Locale) -> SpecLanguage {
    match locale {
        Locale::Fr => SpecLanguage::Fr,
        Locale::En => SpecLanguage::En,
    }
}

/// What an export is: its text, its media type and its file name.
pub struct Export {
    pub text: String,
    pub media_type: &'static str,
    pub file_name: String,
}

/// The spec as a file: `gherkin` (a `.feature` file in the spec's language) or `markdown`
/// (headings in the spec's language too). `None` for an unknown format.
pub fn export(idea: &Idea, content: &SpecContent, format: &str) -> Option<Export> {
    let l = L10n::new(locale_of(content.language));
    match format {
        "gherkin" => Some(Export {
            text: specs::to_gherkin(&idea.reference, &idea.title, content),
            media_type: "text/plain; charset=utf-8",
            file_name: format!("{}.feature", idea.reference),
        }),
        "markdown" => Some(Export {
            text: specs::to_markdown(&idea.reference, &idea.title, content, &|k| l.t(k)),
            media_type: "text/markdown; charset=utf-8",
            file_name: format!("{}-spec.md", idea.reference),
        }),
        _ => None,
    }
}

/// A download: never shown inline, so a hostile text in it cannot run as a page.
pub fn download(e: Export) -> Response {
    let mut res = e.text.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(e.media_type));
    // References are `[A-Z0-9]+-[0-9]+`, safe in a quoted file name.
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", e.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The text two versions are compared on: the Markdown export with headings in the reader's
/// language.
fn diff_text(idea: &Idea, content: &SpecContent, l: L10n) -> String {
    specs::to_markdown(&idea.reference, &idea.title, content, &|k| l.t(k))
}

async fn idea_and_product(
    state: &AppState,
    ctx: &Ctx,
    meta: &RequestMeta,
    id: IdeaId,
) -> Result<(Idea, Product), WebError> {
    let l = ctx.l;
    let idea = state.phare.get_idea(&ctx.actor, meta, id).await.page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, meta, idea.product_id)
        .await
        .page(l)?;
    Ok((idea, product))
}

// --- the spec page --------------------------------------------------------------------------

/// A criterion as the page shows it.
struct CriterionView {
    index: usize,
    criterion: Criterion,
}

/// A use case with its main flow cut into steps.
struct UseCaseView {
    use_case: UseCase,
    steps: Vec<String>,
    alternative_html: String,
}

/// A criterion state change that met a newer version: shown so it can be applied again.
struct PendingState {
    index: usize,
    title: String,
    state: CriterionState,
}

#[derive(Template)]
#[template(path = "specs_show.html")]
struct SpecPage {
    ctx: Ctx,
    idea: Idea,
    product: Product,
    spec: Option<Spec>,
    content: SpecContent,
    saved_by: Option<String>,
    context_html: String,
    stories_html: String,
    non_functional_html: String,
    questions_html: String,
    use_cases: Vec<UseCaseView>,
    criteria: Vec<CriterionView>,
    pending: Option<PendingState>,
    status_conflict: bool,
}

impl SpecPage {
    fn version(&self) -> i64 {
        self.spec.as_ref().map_or(0, |s| s.version)
    }
    fn states(&self) -> &'static [CriterionState] {
        CriterionState::ALL
    }
    fn ready_items(&self) -> &'static [ReadyItem] {
        ReadyItem::ALL
    }
    fn is_ready(&self, item: &ReadyItem) -> bool {
        self.content.is_ready(*item)
    }
    fn ready_line(&self) -> String {
        self.ctx.l.ta(
            "spec-ready-count",
            &[
                ("done", self.content.ready.len().to_string()),
                ("total", ReadyItem::ALL.len().to_string()),
            ],
        )
    }
    fn version_line(&self) -> String {
        let Some(s) = &self.spec else {
            return String::new();
        };
        let l = self.ctx.l;
        l.ta(
            "spec-version-line",
            &[
                ("version", s.version.to_string()),
                ("date", l.datetime(&s.saved_at)),
                (
                    "who",
                    self.saved_by.clone().unwrap_or_else(|| l.t("nobody")),
                ),
            ],
        )
    }
    fn apply_again(&self, p: &PendingState) -> String {
        let l = self.ctx.l;
        l.ta(
            "spec-state-apply-again",
            &[
                ("title", p.title.clone()),
                ("state", l.tv("criterion-state", p.state)),
            ],
        )
    }
    fn state_class(&self, s: &CriterionState) -> &'static str {
        match s {
            CriterionState::Passing => "badge-ok",
            CriterionState::Failing => "badge-danger",
            CriterionState::NotTested => "badge-muted",
        }
    }
    fn pressed(&self, c: &Criterion, s: &CriterionState) -> &'static str {
        if c.state == *s {
            "true"
        } else {
            "false"
        }
    }
    fn counts(&self) -> String {
        let (not_tested, passing, failing) = self.content.criteria_counts();
        self.ctx.l.ta(
            "spec-criteria-counts",
            &[
                ("passing", passing.to_string()),
                ("failing", failing.to_string()),
                ("not_tested", not_tested.to_string()),
            ],
        )
    }
    fn keyword(&self, part: &str) -> String {
        let k = specs::gherkin_keywords(self.content.language);
        match part {
            "given" => k.given,
            "when" => k.when,
            "then" => k.then,
            _ => k.and,
        }
        .to_owned()
    }
    fn can_edit(&self) -> bool {
        self.ctx.can_work() && self.idea.status != IdeaStatus::Merged
    }
    fn link_text<'a>(&self, d: &'a DesignLink) -> &'a str {
        if d.label.is_empty() {
            &d.url
        } else {
            &d.label
        }
    }
}

async fn spec_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    id: IdeaId,
    pending: Option<PendingState>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let (idea, spec) = state.phare.get_spec(&ctx.actor, meta, id).await.page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, meta, idea.product_id)
        .await
        .page(l)?;
    let members = lookup::members(state, &ctx, meta).await?;
    let content = spec
        .as_ref()
        .map(|s| s.content.clone())
        .unwrap_or_else(|| SpecContent::empty(language_of(l.locale)));
    let saved_by = spec
        .as_ref()
        .and_then(|s| member_name(&members, s.saved_by));
    let page = SpecPage {
        context_html: markdown::render(&content.context),
        stories_html: markdown::render(&content.user_stories),
        non_functional_html: markdown::render(&content.non_functional),
        questions_html: markdown::render(&content.open_questions),
        use_cases: content
            .use_cases
            .iter()
            .map(|u| UseCaseView {
                steps: u
                    .main_flow
                    .lines()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                alternative_html: markdown::render(&u.alternative_flows),
                use_case: u.clone(),
            })
            .collect(),
        criteria: content
            .criteria
            .iter()
            .enumerate()
            .map(|(index, c)| CriterionView {
                index,
                criterion: c.clone(),
            })
            .collect(),
        status_conflict: pending.is_some(),
        pending,
        saved_by,
        content,
        spec,
        idea,
        product,
        ctx,
    };
    let status = if page.status_conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    render_status(status, &page, l)
}

pub async fn show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    spec_page(&state, ctx, &meta, id, None).await
}

#[derive(Deserialize, Default)]
pub struct StateForm {
    #[serde(default)]
    state: String,
    #[serde(default)]
    version: i64,
}

/// Sets one criterion's state; back to the spec page (htmx swaps only the criteria). A newer
/// version meanwhile: the page again, with the change offered on top of it.
pub async fn set_state(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    axum::extract::Path((id, index)): axum::extract::Path<(String, String)>,
    axum::Form(form): axum::Form<StateForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let index: usize = lookup::parse_id(&index, &ctx)?;
    let Some(new_state) = CriterionState::parse(&form.state) else {
        return Err(WebError::code(ErrorCode::BadRequest, l));
    };
    match state
        .phare
        .set_criterion_state(&ctx.actor, &meta, id, form.version, index, new_state)
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/ideas/{id}/spec?done=criterion_saved#criterion-{index}"
        ))),
        Err(e) if e.code == ErrorCode::VersionConflict => {
            let (_, spec) = state.phare.get_spec(&ctx.actor, &meta, id).await.page(l)?;
            let title = spec
                .as_ref()
                .and_then(|s| s.content.criteria.get(index))
                .map(|c| c.title.clone())
                .unwrap_or_default();
            let pending = PendingState {
                index,
                title,
                state: new_state,
            };
            spec_page(&state, ctx, &meta, id, Some(pending)).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- the edit form --------------------------------------------------------------------------

#[derive(Clone, Debug, Default)]
struct UseCaseRow {
    name: String,
    actor: String,
    main_flow: String,
    alternative_flows: String,
}

#[derive(Clone, Debug)]
struct CriterionRow {
    title: String,
    given: String,
    when: String,
    then: String,
    state: String,
}

impl Default for CriterionRow {
    fn default() -> Self {
        Self {
            title: String::new(),
            given: String::new(),
            when: String::new(),
            then: String::new(),
            state: CriterionState::NotTested.as_str().to_owned(),
        }
    }
}

/// The form as typed. Rows are numbered fields (`criteria[0].given`), named like the fields the
/// core reports errors on.
#[derive(Clone, Debug, Default)]
pub struct SpecForm {
    language: String,
    context: String,
    user_stories: String,
    non_functional: String,
    open_questions: String,
    design_links: String,
    use_cases: Vec<UseCaseRow>,
    criteria: Vec<CriterionRow>,
    ready: Vec<String>,
    version: i64,
}

impl SpecForm {
    fn from_content(c: &SpecContent, version: i64) -> Self {
        Self {
            language: c.language.as_str().to_owned(),
            context: c.context.clone(),
            user_stories: c.user_stories.clone(),
            non_functional: c.non_functional.clone(),
            open_questions: c.open_questions.clone(),
            design_links: specs::links_to_text(&c.design_links),
            use_cases: c
                .use_cases
                .iter()
                .map(|u| UseCaseRow {
                    name: u.name.clone(),
                    actor: u.actor.clone(),
                    main_flow: u.main_flow.clone(),
                    alternative_flows: u.alternative_flows.clone(),
                })
                .collect(),
            criteria: c
                .criteria
                .iter()
                .map(|c| CriterionRow {
                    title: c.title.clone(),
                    given: specs::steps_to_text(&c.given),
                    when: specs::steps_to_text(&c.when),
                    then: specs::steps_to_text(&c.then),
                    state: c.state.as_str().to_owned(),
                })
                .collect(),
            ready: c.ready.iter().map(|r| r.as_str().to_owned()).collect(),
            version,
        }
    }

    /// Reads the posted pairs; unknown names are ignored, rows beyond the limit too (the core
    /// refuses too many rows only when they are typed in, which a form cannot do).
    fn parse(body: &[u8]) -> Self {
        let mut f = Self::default();
        for (k, v) in form_urlencoded::parse(body) {
            let v = v.into_owned();
            match k.as_ref() {
                "language" => f.language = v,
                "context" => f.context = v,
                "user_stories" => f.user_stories = v,
                "non_functional" => f.non_functional = v,
                "open_questions" => f.open_questions = v,
                "design_links" => f.design_links = v,
                "ready" => f.ready.push(v),
                "version" => f.version = v.trim().parse().unwrap_or(-1),
                other => f.row(other, v),
            }
        }
        f
    }

    fn row(&mut self, name: &str, v: String) {
        let Some((list, rest)) = name.split_once('[') else {
            return;
        };
        let Some((i, field)) = rest.split_once("].") else {
            return;
        };
        let Ok(i) = i.parse::<usize>() else {
            return;
        };
        if i >= specs::SPEC_ITEMS_MAX + BLANK_CRITERIA {
            return;
        }
        match list {
            "use_cases" => {
                if self.use_cases.len() <= i {
                    self.use_cases.resize(i + 1, UseCaseRow::default());
                }
                let r = &mut self.use_cases[i];
                match field {
                    "name" => r.name = v,
                    "actor" => r.actor = v,
                    "main_flow" => r.main_flow = v,
                    "alternative_flows" => r.alternative_flows = v,
                    _ => {}
                }
            }
            "criteria" => {
                if self.criteria.len() <= i {
                    self.criteria.resize(i + 1, CriterionRow::default());
                }
                let r = &mut self.criteria[i];
                match field {
                    "title" => r.title = v,
                    "given" => r.given = v,
                    "when" => r.when = v,
                    "then" => r.then = v,
                    "state" => r.state = v,
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn content(&self, fallback: SpecLanguage) -> SpecContent {
        SpecContent {
            language: SpecLanguage::parse(&self.language).unwrap_or(fallback),
            context: self.context.clone(),
            user_stories: self.user_stories.clone(),
            use_cases: self
                .use_cases
                .iter()
                .map(|u| UseCase {
                    name: u.name.clone(),
                    actor: u.actor.clone(),
                    main_flow: u.main_flow.clone(),
                    alternative_flows: u.alternative_flows.clone(),
                })
                .collect(),
            criteria: self
                .criteria
                .iter()
                .map(|c| Criterion {
                    title: c.title.clone(),
                    given: specs::steps_from_text(&c.given),
                    when: specs::steps_from_text(&c.when),
                    then: specs::steps_from_text(&c.then),
                    state: CriterionState::parse(&c.state).unwrap_or(CriterionState::NotTested),
                })
                .collect(),
            non_functional: self.non_functional.clone(),
            design_links: specs::links_from_text(&self.design_links),
            open_questions: self.open_questions.clone(),
            ready: self
                .ready
                .iter()
                .filter_map(|r| ReadyItem::parse(r))
                .collect(),
        }
    }

    /// The rows shown: those typed and a few empty ones.
    fn with_blank_rows(mut self) -> Self {
        let used = |c: &CriterionRow| {
            ![&c.title, &c.given, &c.when, &c.then]
                .iter()
                .all(|s| s.trim().is_empty())
        };
        while self.criteria.last().is_some_and(|c| !used(c)) {
            self.criteria.pop();
        }
        self.criteria
            .extend((0..BLANK_CRITERIA).map(|_| CriterionRow::default()));
        let used = |u: &UseCaseRow| {
            ![&u.name, &u.actor, &u.main_flow, &u.alternative_flows]
                .iter()
                .all(|s| s.trim().is_empty())
        };
        while self.use_cases.last().is_some_and(|u| !used(u)) {
            self.use_cases.pop();
        }
        self.use_cases
            .extend((0..BLANK_USE_CASES).map(|_| UseCaseRow::default()));
        self
    }
}

#[derive(Template)]
#[template(path = "specs_form.html")]
struct SpecFormPage {
    ctx: Ctx,
    idea: Idea,
    product: Product,
    form: SpecForm,
    errors: FormErrors,
    /// Someone saved meanwhile: that version, and how it differs from what was typed.
    saved: Option<(Spec, String, Vec<DiffRow>)>,
}

impl SpecFormPage {
    fn languages(&self) -> &'static [SpecLanguage] {
        SpecLanguage::ALL
    }
    fn states(&self) -> &'static [CriterionState] {
        CriterionState::ALL
    }
    fn ready_items(&self) -> &'static [ReadyItem] {
        ReadyItem::ALL
    }
    fn is_ready(&self, item: &ReadyItem) -> bool {
        self.form.ready.iter().any(|r| r == item.as_str())
    }
    fn f(&self, list: &str, i: &usize, field: &str) -> String {
        format!("{list}[{i}].{field}")
    }
    fn err(&self, list: &str, i: &usize, field: &str) -> Option<String> {
        self.errors.get(&self.f(list, i, field))
    }
    fn invalid(&self, list: &str, i: &usize, field: &str) -> &'static str {
        self.errors.invalid(&self.f(list, i, field))
    }
    fn number(&self, i: &usize) -> usize {
        i + 1
    }
    fn parts(&self) -> &'static [&'static str] {
        &["given", "when", "then"]
    }
    fn step_value<'a>(&self, c: &'a CriterionRow, part: &str) -> &'a str {
        match part {
            "given" => &c.given,
            "when" => &c.when,
            _ => &c.then,
        }
    }
    fn step_label(&self, part: &str) -> String {
        self.ctx.l.t(&format!("spec-step-{part}"))
    }
    fn keyword(&self, part: &str) -> String {
        let lang =
            SpecLanguage::parse(&self.form.language).unwrap_or(language_of(self.ctx.l.locale));
        let k = specs::gherkin_keywords(lang);
        match part {
            "given" => k.given,
            "when" => k.when,
            _ => k.then,
        }
        .to_owned()
    }
}

/// Field errors of the design links point at the one box they are typed in.
fn spec_errors(e: &CoreError, l: L10n) -> FormErrors {
    let mut errors = FormErrors::from_core(e, l);
    for fe in &mut errors.0 {
        if fe.field.starts_with("design_links") {
            fe.field = "design_links".into();
        }
    }
    errors
}

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    id: IdeaId,
    form: SpecForm,
    errors: FormErrors,
    saved: Option<Spec>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let (idea, product) = idea_and_product(state, &ctx, meta, id).await?;
    let saved = saved.map(|s| {
        let theirs = diff_text(&idea, &s.content, l);
        // Normalised as a save would be (empty rows dropped), so only real changes show.
        let typed = form
            .content(s.content.language)
            .validate(&mut phare_domain::Invalid::new());
        let mine = diff_text(&idea, &typed, l);
        let (lines, _, _) = rows(specs::diff(&theirs, &mine));
        (s, theirs, lines)
    });
    let status = if saved.is_some() {
        StatusCode::CONFLICT
    } else if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &SpecFormPage {
            ctx,
            idea,
            product,
            form: form.with_blank_rows(),
            errors,
            saved,
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
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_work() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let (_, spec) = state.phare.get_spec(&ctx.actor, &meta, id).await.page(l)?;
    let form = match &spec {
        Some(s) => SpecForm::from_content(&s.content, s.version),
        None => SpecForm::from_content(&SpecContent::empty(language_of(l.locale)), 0),
    };
    form_page(&state, ctx, &meta, id, form, FormErrors::default(), None).await
}

pub async fn save(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    body: Bytes,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let form = SpecForm::parse(&body);
    let content = form.content(language_of(l.locale));
    match state
        .phare
        .save_spec(&ctx.actor, &meta, id, form.version, content)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/ideas/{id}/spec?done=spec_saved"))),
        Err(e) if e.code == ErrorCode::VersionConflict => {
            // Nothing typed is lost: the form keeps it, now made from the saved version, and
            // the saved version is shown beside with what differs.
            let (_, current) = state.phare.get_spec(&ctx.actor, &meta, id).await.page(l)?;
            let Some(current) = current else {
                return Err(WebError::new(e, l));
            };
            let form = SpecForm {
                version: current.version,
                ..form
            };
            let errors = FormErrors::one("", l.t("error-version_conflict-form"), l);
            form_page(&state, ctx, &meta, id, form, errors, Some(current)).await
        }
        Err(e) if super::is_form_error(&e) => {
            let errors = spec_errors(&e, l);
            form_page(&state, ctx, &meta, id, form, errors, None).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- versions and the diff ------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

impl CompareQuery {
    fn pair(&self) -> Option<(i64, i64)> {
        let from = self.from.trim().parse::<i64>().ok()?;
        let to = self.to.trim().parse::<i64>().ok()?;
        Some((from.min(to), from.max(to)))
    }
}

/// One line of a diff as shown: a sign for those who cannot see colour, words to screen readers.
struct DiffRow {
    line: DiffLine,
}

impl DiffRow {
    fn class(&self) -> &'static str {
        match self.line.kind {
            DiffKind::Same => "diff-same",
            DiffKind::Added => "diff-added",
            DiffKind::Removed => "diff-removed",
        }
    }
    fn sign(&self) -> &'static str {
        match self.line.kind {
            DiffKind::Same => " ",
            DiffKind::Added => "+",
            DiffKind::Removed => "−",
        }
    }
    fn is_same(&self) -> bool {
        self.line.kind == DiffKind::Same
    }
    fn is_added(&self) -> bool {
        self.line.kind == DiffKind::Added
    }
}

#[derive(Template)]
#[template(path = "specs_versions.html")]
struct VersionsPage {
    ctx: Ctx,
    idea: Idea,
    product: Product,
    /// `spec` or `doc`: which history this is.
    kind: &'static str,
    versions: Vec<(VersionEntry, Option<String>)>,
    compared: Option<(i64, i64)>,
    rows: Vec<DiffRow>,
    added: usize,
    removed: usize,
}

impl VersionsPage {
    fn base(&self) -> String {
        format!("/ideas/{}/{}", self.idea.id, self.kind)
    }
    fn checked_from(&self, v: &i64) -> bool {
        match self.compared {
            Some((from, _)) => from == *v,
            None => self.versions.get(1).is_some_and(|(e, _)| e.version == *v),
        }
    }
    fn checked_to(&self, v: &i64) -> bool {
        match self.compared {
            Some((_, to)) => to == *v,
            None => self.versions.first().is_some_and(|(e, _)| e.version == *v),
        }
    }
    fn diff_title(&self, from: &i64, to: &i64) -> String {
        self.ctx.l.ta(
            "versions-diff-title",
            &[("from", from.to_string()), ("to", to.to_string())],
        )
    }
    fn diff_summary(&self) -> String {
        self.ctx.l.ta(
            "versions-diff-summary",
            &[
                ("added", self.added.to_string()),
                ("removed", self.removed.to_string()),
            ],
        )
    }
    fn title(&self) -> String {
        self.ctx.l.t1(
            &format!("{}-versions-title", self.kind),
            "reference",
            &self.idea.reference,
        )
    }
}

fn rows(lines: Vec<DiffLine>) -> (Vec<DiffRow>, usize, usize) {
    let added = lines.iter().filter(|l| l.kind == DiffKind::Added).count();
    let removed = lines.iter().filter(|l| l.kind == DiffKind::Removed).count();
    (
        lines.into_iter().map(|line| DiffRow { line }).collect(),
        added,
        removed,
    )
}

async fn names(
    state: &AppState,
    ctx: &Ctx,
    meta: &RequestMeta,
    entries: Vec<VersionEntry>,
) -> Result<Vec<(VersionEntry, Option<String>)>, WebError> {
    let members: Vec<Member> = lookup::members(state, ctx, meta).await?;
    Ok(entries
        .into_iter()
        .map(|e| {
            let who = member_name(&members, e.saved_by);
            (e, who)
        })
        .collect())
}

pub async fn versions(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<CompareQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let (idea, product) = idea_and_product(&state, &ctx, &meta, id).await?;
    let entries = state
        .phare
        .list_spec_versions(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let compared = q.pair();
    let (rows, added, removed) = match compared {
        Some((from, to)) => {
            let a = state
                .phare
                .get_spec_version(&ctx.actor, &meta, id, from)
                .await
                .page(l)?;
            let b = state
                .phare
                .get_spec_version(&ctx.actor, &meta, id, to)
                .await
                .page(l)?;
            rows(specs::diff(
                &diff_text(&idea, &a.content, l),
                &diff_text(&idea, &b.content, l),
            ))
        }
        None => (Vec::new(), 0, 0),
    };
    let versions = names(&state, &ctx, &meta, entries).await?;
    render(
        &VersionsPage {
            ctx,
            idea,
            product,
            kind: "spec",
            versions,
            compared,
            rows,
            added,
            removed,
        },
        l,
    )
}

#[derive(Template)]
#[template(path = "specs_version.html")]
struct VersionPage {
    ctx: Ctx,
    idea: Idea,
    product: Product,
    spec: Spec,
    saved_by: Option<String>,
    html: String,
}

impl VersionPage {
    fn title(&self) -> String {
        self.ctx.l.ta(
            "spec-version-title",
            &[
                ("reference", self.idea.reference.clone()),
                ("version", self.spec.version.to_string()),
            ],
        )
    }
}

/// One version as it read then (its Markdown export, rendered through the sanitizer).
pub async fn version(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    axum::extract::Path((id, v)): axum::extract::Path<(String, String)>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let v: i64 = lookup::parse_id(&v, &ctx)?;
    let (idea, product) = idea_and_product(&state, &ctx, &meta, id).await?;
    let spec = state
        .phare
        .get_spec_version(&ctx.actor, &meta, id, v)
        .await
        .page(l)?;
    let members = lookup::members(&state, &ctx, &meta).await?;
    // As text: the version exactly as the diff compares it (rendered Markdown would turn the
    // checklist into unlabelled checkboxes).
    let html = diff_text(&idea, &spec.content, l);
    render(
        &VersionPage {
            saved_by: member_name(&members, spec.saved_by),
            ctx,
            idea,
            product,
            spec,
            html,
        },
        l,
    )
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(default)]
    format: String,
}

/// The spec as a download (`?format=gherkin` or `markdown`).
pub async fn download_export(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<ExportQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let (idea, spec) = state.phare.get_spec(&ctx.actor, &meta, id).await.page(l)?;
    let spec = spec.ok_or_else(|| WebError::code(ErrorCode::NotFound, l))?;
    let format = if q.format.is_empty() {
        "gherkin"
    } else {
        q.format.as_str()
    };
    let e = export(&idea, &spec.content, format)
        .ok_or_else(|| WebError::code(ErrorCode::NotFound, l))?;
    Ok(download(e))
}

// --- feature documentation ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "feature_docs_show.html")]
struct DocPage {
    ctx: Ctx,
    idea: Idea,
    product: Product,
    doc: Option<FeatureDoc>,
    saved_by: Option<String>,
    html: String,
    /// The public address on the portal, when the page is readable there.
    public_url: Option<String>,
}

impl DocPage {
    fn can_edit(&self) -> bool {
        self.ctx.can_work() && self.idea.status != IdeaStatus::Merged
    }
    fn shipped(&self) -> bool {
        self.idea.status == IdeaStatus::Shipped
    }
}

pub async fn doc_show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let (idea, doc) = state
        .phare
        .get_feature_doc(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, idea.product_id)
        .await
        .page(l)?;
    let members = lookup::members(&state, &ctx, &meta).await?;
    let public_url = match &doc {
        Some(d) if d.public && idea.status == IdeaStatus::Shipped => {
            let ws = state.phare.workspace(&ctx.actor).await.page(l)?;
            Some(format!(
                "/p/{}/{}/ideas/{}/doc",
                ws.slug, product.key, idea.number
            ))
        }
        _ => None,
    };
    render(
        &DocPage {
            html: doc
                .as_ref()
                .map(|d| markdown::render(&d.body))
                .unwrap_or_default(),
            saved_by: doc.as_ref().and_then(|d| member_name(&members, d.saved_by)),
            ctx,
            idea,
            product,
            doc,
            public_url,
        },
        l,
    )
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct DocForm {
    #[serde(default)]
    body: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    public: Option<String>,
    #[serde(default)]
    version: i64,
}

impl DocForm {
    fn public(&self) -> bool {
        self.public.is_some()
    }
}

#[derive(Template)]
#[template(path = "feature_docs_form.html")]
struct DocFormPage {
    ctx: Ctx,
    idea: Idea,
    product: Product,
    form: DocForm,
    errors: FormErrors,
    saved: Option<(FeatureDoc, Vec<DiffRow>)>,
}

impl DocFormPage {
    fn shipped(&self) -> bool {
        self.idea.status == IdeaStatus::Shipped
    }
    fn can_publish(&self) -> bool {
        self.ctx.can(phare_core::Action::ModeratePortal)
    }
}

async fn doc_form_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    id: IdeaId,
    form: DocForm,
    errors: FormErrors,
    saved: Option<FeatureDoc>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let (idea, product) = idea_and_product(state, &ctx, meta, id).await?;
    let saved = saved.map(|d| {
        let (rows, _, _) = rows(specs::diff(&d.body, &form.body));
        (d, rows)
    });
    let status = if saved.is_some() {
        StatusCode::CONFLICT
    } else if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &DocFormPage {
            ctx,
            idea,
            product,
            form,
            errors,
            saved,
        },
        l,
    )
}

pub async fn doc_edit(
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
    let (_, doc) = state
        .phare
        .get_feature_doc(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let form = match &doc {
        Some(d) => DocForm {
            body: d.body.clone(),
            public: d.public.then(|| "on".to_owned()),
            version: d.version,
        },
        None => DocForm::default(),
    };
    doc_form_page(&state, ctx, &meta, id, form, FormErrors::default(), None).await
}

pub async fn doc_save(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    axum::Form(form): axum::Form<DocForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    match state
        .phare
        .save_feature_doc(
            &ctx.actor,
            &meta,
            id,
            form.version,
            Some(&form.body),
            Some(form.public()),
        )
        .await
    {
        Ok(_) => Ok(see_other(&format!("/ideas/{id}/doc?done=doc_saved"))),
        Err(e) if e.code == ErrorCode::VersionConflict => {
            let (_, current) = state
                .phare
                .get_feature_doc(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let Some(current) = current else {
                return Err(WebError::new(e, l));
            };
            let form = DocForm {
                version: current.version,
                ..form
            };
            let errors = FormErrors::one("", l.t("error-version_conflict-form"), l);
            doc_form_page(&state, ctx, &meta, id, form, errors, Some(current)).await
        }
        Err(e) if super::is_form_error(&e) => {
            // The page's text is `body` on the wire; on the form it is named apart from the
            // portal's comment box, which has the general `body` label.
            let errors = FormErrors::from_core(&e, l).rename("body", "doc_body", l);
            doc_form_page(&state, ctx, &meta, id, form, errors, None).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

pub async fn doc_versions(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<CompareQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let (idea, product) = idea_and_product(&state, &ctx, &meta, id).await?;
    let entries = state
        .phare
        .list_feature_doc_versions(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let compared = q.pair();
    let (rows, added, removed) = match compared {
        Some((from, to)) => {
            let a = state
                .phare
                .get_feature_doc_version(&ctx.actor, &meta, id, from)
                .await
                .page(l)?;
            let b = state
                .phare
                .get_feature_doc_version(&ctx.actor, &meta, id, to)
                .await
                .page(l)?;
            rows(specs::diff(&a.body, &b.body))
        }
        None => (Vec::new(), 0, 0),
    };
    let versions = names(&state, &ctx, &meta, entries).await?;
    render(
        &VersionsPage {
            ctx,
            idea,
            product,
            kind: "doc",
            versions,
            compared,
            rows,
            added,
            removed,
        },
        l,
    )
}
