//! Scoring pages: a product's scoring settings (primary framework, custom weighted scorecard)
//! and an idea's scores, one form per framework, each shown with its breakdown ("why this
//! number"). Inputs are checked by the core; a refused form comes back with what was typed.

use super::lookup;
use super::{is_form_error, render, render_status, see_other, Ctx, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use phare_core::{CriterionInput, ScoreInput, ScoredIdea, SettingsInput};
use phare_domain::scoring::{show, InputSpec, KanoCategory, MoscowCategory};
use phare_domain::{Framework, IdeaId, ProductId};
use phare_store::{Idea, Product, ScoringSettings};
use std::collections::BTreeMap;

/// Blank criterion rows offered for new criteria on the settings form.
const NEW_ROWS: usize = 3;

/// A form body as pairs (the scorecard repeats its fields).
fn pairs(body: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(body).unwrap_or_default()
}

fn number(v: &str) -> Option<f64> {
    v.trim().replace(',', ".").parse::<f64>().ok()
}

// --- settings -------------------------------------------------------------------------------

struct CriterionRow {
    id: String,
    name: String,
    scale: String,
    weight: String,
}

#[derive(Template)]
#[template(path = "scoring_settings.html")]
struct SettingsPage {
    ctx: Ctx,
    product: Product,
    primary: String,
    rows: Vec<CriterionRow>,
    version: i64,
    errors: FormErrors,
    frameworks: &'static [Framework],
}

impl SettingsPage {
    fn err(&self, what: &str, row: &usize) -> Option<String> {
        self.errors.get(&format!("criterion-{what}-{row}"))
    }
    fn inv(&self, what: &str, row: &usize) -> &'static str {
        self.errors.invalid(&format!("criterion-{what}-{row}"))
    }
}

fn rows_of(s: &ScoringSettings) -> Vec<CriterionRow> {
    let mut rows: Vec<CriterionRow> = s
        .criteria
        .iter()
        .map(|c| CriterionRow {
            id: c.id.to_string(),
            name: c.name.clone(),
            scale: show(c.scale),
            weight: show(c.weight),
        })
        .collect();
    for _ in 0..NEW_ROWS {
        rows.push(CriterionRow {
            id: String::new(),
            name: String::new(),
            scale: "5".into(),
            weight: "1".into(),
        });
    }
    rows
}

pub async fn settings(
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
    let s = state
        .phare
        .scoring_settings(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    render(
        &SettingsPage {
            ctx,
            product,
            primary: s.primary_framework.as_str().to_owned(),
            rows: rows_of(&s),
            version: s.version,
            errors: FormErrors::default(),
            frameworks: Framework::ALL,
        },
        l,
    )
}

/// The settings form: `primary_framework`, `version`, and per criterion row `criterion_id`,
/// `criterion_name`, `criterion_scale`, `criterion_weight` (a row with no name is dropped).
pub async fn settings_submit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    body: String,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    let mut primary = String::new();
    let mut version = -1;
    let mut rows: Vec<CriterionRow> = Vec::new();
    for (k, v) in pairs(&body) {
        match k.as_str() {
            "primary_framework" => primary = v,
            "version" => version = v.trim().parse().unwrap_or(-1),
            "criterion_id" => rows.push(CriterionRow {
                id: v,
                name: String::new(),
                scale: String::new(),
                weight: String::new(),
            }),
            "criterion_name" => {
                if let Some(r) = rows.last_mut() {
                    r.name = v;
                }
            }
            "criterion_scale" => {
                if let Some(r) = rows.last_mut() {
                    r.scale = v;
                }
            }
            "criterion_weight" => {
                if let Some(r) = rows.last_mut() {
                    r.weight = v;
                }
            }
            _ => {}
        }
    }
    // The rows with a name, by their index on the page.
    let kept: Vec<usize> = (0..rows.len())
        .filter(|i| !rows[*i].name.trim().is_empty())
        .collect();
    let input = SettingsInput {
        primary_framework: primary.clone(),
        criteria: kept
            .iter()
            .map(|i| &rows[*i])
            .map(|r| CriterionInput {
                id: r.id.trim().parse().ok(),
                name: r.name.clone(),
                // Not a number: out of range, refused by the core under the row's field.
                scale: number(&r.scale).unwrap_or(f64::NAN),
                weight: number(&r.weight).unwrap_or(f64::NAN),
            })
            .collect(),
    };
    let result = state
        .phare
        .put_scoring_settings(&ctx.actor, &meta, id, version, input)
        .await;
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/products/{id}/scoring?done=scoring-saved"
        ))),
        Err(e) if is_form_error(&e) || e.code == phare_domain::ErrorCode::VersionConflict => {
            let product = state
                .phare
                .get_product(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let current = state
                .phare
                .scoring_settings(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let mut errors = FormErrors::from_core(&e, l);
            // `criteria.{i}.field` counts the rows kept; point it at the row on the page.
            let mut renamed = FormErrors::default();
            for err in errors.0.drain(..) {
                let field = match err.field.strip_prefix("criteria.") {
                    Some(rest) => {
                        let mut parts = rest.splitn(2, '.');
                        let i: usize = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
                        let what = parts.next().unwrap_or("name");
                        let row = kept.get(i).copied().unwrap_or(0);
                        format!("criterion-{what}-{row}")
                    }
                    None if err.field == "criteria" => "criterion-name-0".to_owned(),
                    None => err.field.clone(),
                };
                renamed.push(&field, err.message, l);
            }
            let mut shown = rows;
            while shown.len() < NEW_ROWS {
                shown.push(CriterionRow {
                    id: String::new(),
                    name: String::new(),
                    scale: "5".into(),
                    weight: "1".into(),
                });
            }
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SettingsPage {
                    ctx,
                    product,
                    primary,
                    rows: shown,
                    version: current.version,
                    errors: renamed,
                    frameworks: Framework::ALL,
                },
                l,
            )
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- an idea's scores -----------------------------------------------------------------------

/// One framework's card on the idea's scores page.
struct FrameworkCard {
    framework: Framework,
    scored: Option<ScoredIdea>,
    /// What the form shows: the stored inputs, or what was typed into a refused form.
    values: BTreeMap<String, String>,
    errors: FormErrors,
    /// `reach` can be read from the idea's data: the source chosen.
    reach_source: String,
}

impl FrameworkCard {
    fn inputs(&self) -> &'static [InputSpec] {
        self.framework.inputs()
    }
    fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
    fn shown(&self) -> String {
        self.scored
            .as_ref()
            .map(|s| show(s.score.value))
            .unwrap_or_default()
    }
    fn step(&self, s: &InputSpec) -> &'static str {
        if s.max <= 1.0 {
            "0.05"
        } else {
            "any"
        }
    }
    fn categories(&self) -> Vec<&'static str> {
        match self.framework {
            Framework::Moscow => MoscowCategory::ALL.iter().map(|c| c.as_str()).collect(),
            Framework::Kano => KanoCategory::ALL.iter().map(|c| c.as_str()).collect(),
            _ => Vec::new(),
        }
    }
    fn field_id(&self, name: &str) -> String {
        format!("{}-{}", self.framework.as_str(), name.replace('_', "-"))
    }
}

#[derive(Template)]
#[template(path = "scoring_idea.html")]
struct IdeaScoresPage {
    ctx: Ctx,
    idea: Idea,
    product: Product,
    primary: Framework,
    cards: Vec<FrameworkCard>,
    criteria: Vec<phare_domain::scoring::Criterion>,
}

impl IdeaScoresPage {
    fn is_primary(&self, f: &Framework) -> bool {
        *f == self.primary
    }
    fn criterion_value(&self, card: &FrameworkCard, id: &uuid::Uuid) -> String {
        card.value(&id.to_string())
    }
    fn num(&self, v: &f64) -> String {
        show(*v)
    }
    fn data_line(&self) -> String {
        self.ctx.l.ta(
            "scores-data",
            &[
                ("customers", self.idea.customer_count.to_string()),
                ("demand", self.idea.demand.to_string()),
                ("votes", self.idea.vote_count.to_string()),
            ],
        )
    }
    fn criterion_line(&self, k: &phare_domain::scoring::Criterion) -> String {
        self.ctx.l.ta(
            "scores-criterion-scale",
            &[("scale", show(k.scale)), ("weight", show(k.weight))],
        )
    }
}

fn card_values(s: &ScoredIdea) -> (BTreeMap<String, String>, String) {
    let mut values: BTreeMap<String, String> = s
        .score
        .inputs
        .numbers
        .iter()
        .map(|(k, v)| (k.clone(), show(*v)))
        .collect();
    if let Some(c) = &s.score.inputs.category {
        values.insert("category".into(), c.clone());
    }
    for (id, v) in &s.score.inputs.criteria {
        values.insert(id.to_string(), show(*v));
    }
    let source = s
        .score
        .inputs
        .sources
        .get("reach")
        .map(|s| s.as_str().to_owned())
        .unwrap_or_else(|| "typed".into());
    (values, source)
}

async fn idea_page(
    state: &AppState,
    ctx: Ctx,
    meta: &phare_core::RequestMeta,
    id: IdeaId,
    refused: Option<(Framework, BTreeMap<String, String>, String, FormErrors)>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let idea = state.phare.get_idea(&ctx.actor, meta, id).await.page(l)?;
    let product = state
        .phare
        .get_product(&ctx.actor, meta, idea.product_id)
        .await
        .page(l)?;
    let settings = state
        .phare
        .scoring_settings(&ctx.actor, meta, idea.product_id)
        .await
        .page(l)?;
    let scores = state
        .phare
        .idea_scores(&ctx.actor, meta, id)
        .await
        .page(l)?;
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut refused = refused;
    let cards = Framework::ALL
        .iter()
        .map(|f| {
            let scored = scores.iter().find(|s| s.score.framework == *f).cloned();
            let (values, reach_source) = scored
                .as_ref()
                .map(card_values)
                .unwrap_or_else(|| (BTreeMap::new(), "typed".into()));
            match refused.take_if(|r| r.0 == *f) {
                Some((_, typed, source, errors)) => FrameworkCard {
                    framework: *f,
                    scored,
                    values: typed,
                    errors,
                    reach_source: source,
                },
                None => FrameworkCard {
                    framework: *f,
                    scored,
                    values,
                    errors: FormErrors::default(),
                    reach_source,
                },
            }
        })
        .collect();
    render_status(
        status,
        &IdeaScoresPage {
            ctx,
            idea,
            product,
            primary: settings.primary_framework,
            cards,
            criteria: settings.criteria,
        },
        l,
    )
}

pub async fn idea_scores(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    idea_page(&state, ctx, &meta, id, None).await
}

/// One framework's form. Numbers by input name, `category`, `reach_source`, and scorecard
/// points as `criterion-<id>`.
pub async fn idea_score_submit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Path((id, framework)): Path<(String, String)>,
    body: String,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let Some(framework) = Framework::parse(&framework) else {
        return Err(WebError::code(phare_domain::ErrorCode::NotFound, l));
    };
    let mut typed = BTreeMap::new();
    let mut input = ScoreInput::default();
    let mut reach_source = "typed".to_owned();
    let mut bad = FormErrors::default();
    for (k, v) in pairs(&body) {
        typed.insert(k.clone(), v.clone());
        if k == "category" {
            input.category = Some(v).filter(|c| !c.trim().is_empty());
        } else if k == "reach_source" {
            reach_source = v.clone();
            if v != "typed" {
                input.sources.insert("reach".into(), v);
            }
        } else if let Some(cid) = k.strip_prefix("criterion-") {
            if let (Ok(cid), false) = (cid.parse::<uuid::Uuid>(), v.trim().is_empty()) {
                match number(&v) {
                    Some(n) => {
                        input.criteria.insert(cid, n);
                    }
                    None => bad.push(
                        &format!("{}-{k}", framework.as_str()),
                        l.t("field-invalid_number"),
                        l,
                    ),
                }
            }
        } else if framework.inputs().iter().any(|s| s.name == k) {
            if k == "reach" && reach_source != "typed" {
                continue;
            }
            if !v.trim().is_empty() {
                match number(&v) {
                    Some(n) => {
                        input.numbers.insert(k, n);
                    }
                    None => bad.push(
                        &format!("{}-{}", framework.as_str(), k.replace('_', "-")),
                        l.t("field-invalid_number"),
                        l,
                    ),
                }
            }
        }
    }
    if input.sources.contains_key("reach") {
        input.numbers.remove("reach");
    }
    if bad.any() {
        return idea_page(
            &state,
            ctx,
            &meta,
            id,
            Some((framework, typed, reach_source, bad)),
        )
        .await;
    }
    match state
        .phare
        .score_idea(&ctx.actor, &meta, id, framework, input)
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/ideas/{id}/scores?done=scored#framework-{}",
            framework.as_str()
        ))),
        Err(e) if is_form_error(&e) => {
            // Point each error at its field in this framework's form.
            let mut errors = FormErrors::default();
            for err in FormErrors::from_core(&e, l).0 {
                let field = if err.field.is_empty() {
                    String::new()
                } else {
                    format!("{}-{}", framework.as_str(), err.field.replace('_', "-"))
                };
                errors.push(&field, err.message, l);
            }
            idea_page(
                &state,
                ctx,
                &meta,
                id,
                Some((framework, typed, reach_source, errors)),
            )
            .await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}
