//! The ranked backlog of a product: sorted by score or by manual rank, filtered, 50 rows a
//! page (keyset), reordered by drag and drop (SortableJS, `backlog.js`) and, always, by buttons
//! and a "to position" field that post plain forms; bulk status changes; saved views; and the
//! value/effort matrix drawn as SVG here on the server, with a table of the same points.

use super::lookup::{self, local_path, with_done};
use super::{is_form_error, render, see_other, Ctx, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use phare_domain::backlog::VIEW_NAME_MAX;
use phare_domain::scoring::{quadrant, Quadrant, MATRIX_MIDDLE};
use phare_domain::{
    BacklogSort, IdeaId, IdeaKind, IdeaStatus, MemberId, MoveTo, PersonaId, ProductId,
};
use phare_store::{
    BacklogFilter, BacklogItem, BacklogView, Cursor, IdeaOwner, PageRequest, Persona, Product,
};
use serde::Deserialize;

/// The backlog's query string: sort, filters, cursor; also what a saved view keeps.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct BacklogQuery {
    #[serde(default)]
    sort: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    persona: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    min_score: String,
    #[serde(default)]
    max_score: String,
    #[serde(default)]
    cursor: String,
    /// The view whose rename was refused, and why (a field error code): shown beside its
    /// rename field, never kept in a saved view.
    #[serde(default)]
    rename: String,
    #[serde(default)]
    rename_error: String,
    /// The name that was refused, shown again in the field so that nothing typed is lost.
    #[serde(default)]
    rename_value: String,
}

impl BacklogQuery {
    fn sort(&self) -> BacklogSort {
        BacklogSort::parse(self.sort.trim()).unwrap_or(BacklogSort::Score)
    }

    fn is_rank(&self) -> bool {
        self.sort() == BacklogSort::Rank
    }

    /// The query string without the cursor (what a view saves, and what links keep).
    fn query_string(&self, sort: BacklogSort) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("sort", sort.as_str()),
            ("status", self.status.as_str()),
            ("tag", self.tag.as_str()),
            ("persona", self.persona.as_str()),
            ("owner", self.owner.as_str()),
            ("min_score", self.min_score.as_str()),
            ("max_score", self.max_score.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    fn filtered(&self) -> bool {
        [
            &self.status,
            &self.tag,
            &self.persona,
            &self.owner,
            &self.min_score,
            &self.max_score,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }

    /// The store's filter; a value that does not parse is a field error of the form.
    fn filter(&self, l: crate::i18n::L10n) -> Result<BacklogFilter, FormErrors> {
        let mut errors = FormErrors::default();
        let mut number = |field: &str, v: &str| -> Option<f64> {
            let v = v.trim();
            if v.is_empty() {
                return None;
            }
            match v.replace(',', ".").parse::<f64>() {
                Ok(n) if n.is_finite() => Some(n),
                _ => {
                    errors.push(field, l.t("field-invalid_number"), l);
                    None
                }
            }
        };
        let min_score = number("min_score", &self.min_score);
        let max_score = number("max_score", &self.max_score);
        if let (Some(a), Some(b)) = (min_score, max_score) {
            if a > b {
                errors.push("max_score", l.t("field-below_min"), l);
            }
        }
        if errors.any() {
            return Err(errors);
        }
        Ok(BacklogFilter {
            status: IdeaStatus::parse(self.status.trim()),
            tag: Some(self.tag.trim().to_lowercase()).filter(|t| !t.is_empty()),
            persona: self.persona.trim().parse().ok().map(PersonaId),
            owner: self.owner.trim().parse().ok().map(MemberId),
            min_score,
            max_score,
        })
    }
}

struct Row {
    item: BacklogItem,
    owner: Option<String>,
}

#[derive(Template)]
#[template(path = "backlog.html")]
struct BacklogPage {
    ctx: Ctx,
    product: Product,
    q: BacklogQuery,
    rows: Vec<Row>,
    next: Option<String>,
    members: Vec<IdeaOwner>,
    /// The owner filtered on, compared with each of the product's owners (hundreds at large)
    /// without formatting their ids.
    owner: Option<MemberId>,
    personas: Vec<Persona>,
    views: Vec<BacklogView>,
    statuses: &'static [IdeaStatus],
    errors: FormErrors,
    /// This page's address, for the forms' "back" field.
    here: String,
    /// How the primary framework is called, for the score column.
    primary: String,
}

impl BacklogPage {
    fn link(&self, sort: &str) -> String {
        let sort = BacklogSort::parse(sort).unwrap_or(BacklogSort::Score);
        format!(
            "/products/{}/backlog?{}",
            self.product.id,
            self.q.query_string(sort)
        )
    }
    fn score(&self, item: &BacklogItem) -> String {
        item.score
            .map(phare_domain::scoring::show)
            .unwrap_or_default()
    }
    fn view_link(&self, v: &BacklogView) -> String {
        format!("/products/{}/backlog?{}", self.product.id, v.query)
    }
    fn current_query(&self) -> String {
        self.q.query_string(self.q.sort())
    }
    fn can_delete(&self, v: &BacklogView) -> bool {
        v.owner_id == self.ctx.actor.member.id || self.ctx.can_curate()
    }
    /// Only a view's owner renames it, shared or not.
    fn can_rename(&self, v: &BacklogView) -> bool {
        v.owner_id == self.ctx.actor.member.id
    }
    /// Why the last rename of this view was refused, in the reader's language.
    fn rename_error(&self, v: &BacklogView) -> Option<String> {
        if self.q.rename.trim() != v.id.to_string() {
            return None;
        }
        let l = self.ctx.l;
        Some(match self.q.rename_error.trim() {
            "required" => l.t("backlog-view-rename-required"),
            "too_long" => l.t1("backlog-view-rename-too-long", "max", VIEW_NAME_MAX),
            "already_taken" => l.t("backlog-view-rename-taken"),
            // Renamed or shared meanwhile (another tab, a script): its name now is the
            // link's; the refused one stays in the field.
            "conflict" => l.t1("backlog-view-rename-conflict", "name", &v.name),
            _ => l.t("backlog-view-rename-invalid"),
        })
    }
    /// What the rename field of a view holds: the name refused last, or the view's name.
    fn rename_value<'a>(&'a self, v: &'a BacklogView) -> &'a str {
        if self.q.rename.trim() == v.id.to_string() && !self.q.rename_value.is_empty() {
            &self.q.rename_value
        } else {
            &v.name
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<BacklogQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let (filter, errors) = match q.filter(l) {
        Ok(f) => (f, FormErrors::default()),
        Err(e) => (BacklogFilter::default(), e),
    };
    let owner = filter.owner;
    let cursor = Cursor::decode(q.cursor.trim());
    let found = state
        .phare
        .backlog(
            &ctx.actor,
            &meta,
            id,
            q.sort(),
            filter,
            &PageRequest::new(cursor, None),
        )
        .await
        .page(l)?;
    // A product's idea owners, not the whole workspace (thousands of members at large).
    let members = state
        .phare
        .list_idea_owners(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let personas = state
        .phare
        .list_personas(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let views = state
        .phare
        .list_backlog_views(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let settings = state
        .phare
        .scoring_settings(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let next = found.next_cursor.map(|c| {
        format!(
            "/products/{}/backlog?{}&cursor={}",
            id,
            q.query_string(q.sort()),
            c.encode()
        )
    });
    let rows = found
        .items
        .into_iter()
        .map(|item| Row {
            owner: lookup::owner_name(&members, item.owner_id),
            item,
        })
        .collect();
    // The forms come back here; a refused rename is shown once, not carried to the next page.
    let here = without_rename_error(&ctx.path);
    let primary = l.tv("framework", settings.primary_framework);
    render(
        &BacklogPage {
            ctx,
            product,
            q,
            rows,
            next,
            members,
            owner,
            personas,
            views,
            statuses: IdeaStatus::ALL,
            errors,
            here,
            primary,
        },
        l,
    )
}

#[derive(Deserialize, Default)]
pub struct MoveForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    before: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    back: String,
}

/// Moves an idea (the buttons, the "to position" field, and the drag-and-drop script all post
/// here), then back to the backlog, at the moved idea's row.
pub async fn move_idea(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(f): Form<MoveForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: IdeaId = lookup::parse_id(&id, &ctx)?;
    let to = if !f.before.trim().is_empty() {
        f.before
            .trim()
            .parse()
            .ok()
            .map(|u| MoveTo::Before(IdeaId(u)))
    } else if !f.after.trim().is_empty() {
        f.after
            .trim()
            .parse()
            .ok()
            .map(|u| MoveTo::After(IdeaId(u)))
    } else {
        match f.to.as_str() {
            "top" => Some(MoveTo::Top),
            "bottom" => Some(MoveTo::Bottom),
            "up" => Some(MoveTo::Up),
            "down" => Some(MoveTo::Down),
            // "To position" is counted from 1 on the page.
            "position" => f
                .position
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .map(|n| MoveTo::Position(n - 1)),
            _ => None,
        }
    };
    let back = local_path(&f.back)
        .map(str::to_owned)
        .unwrap_or_else(|| "/products".to_owned());
    let Some(to) = to else {
        let back = with_done(&back, "move-invalid");
        return Ok(see_other(&back));
    };
    state
        .phare
        .move_idea(&ctx.actor, &meta, id, to)
        .await
        .page(l)?;
    let back = with_done(&back, "moved");
    Ok(see_other(&format!("{back}#idea-{id}")))
}

#[derive(Deserialize, Default)]
pub struct BulkForm {
    #[serde(default)]
    ids: Vec<String>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    back: String,
}

/// The form posts `ids` once per checked row; serde_urlencoded reads repeated keys only into a
/// sequence through `axum_extra`-style parsing, so the body is read as pairs.
pub async fn bulk_status(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    body: String,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let mut f = BulkForm::default();
    for (k, v) in pairs {
        match k.as_str() {
            "ids" => f.ids.push(v),
            "status" => f.status = v,
            "back" => f.back = v,
            _ => {}
        }
    }
    let back = local_path(&f.back)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("/products/{id}/backlog"));
    let ids: Vec<IdeaId> = f
        .ids
        .iter()
        .filter_map(|s| s.parse().ok())
        .map(IdeaId)
        .collect();
    let Some(status) = IdeaStatus::parse(f.status.trim()) else {
        return Ok(see_other(&with_done(&back, "bulk-no-status")));
    };
    match state
        .phare
        .bulk_idea_status(&ctx.actor, &meta, id, &ids, status)
        .await
    {
        Ok(_) => Ok(see_other(&with_done(&back, "bulk-status"))),
        Err(e) if is_form_error(&e) => {
            let code = e.fields.first().map(|f| f.code).unwrap_or("invalid");
            let done = match code {
                "required" => "bulk-none",
                "benefit_required" => "bulk-benefit",
                _ => "bulk-refused",
            };
            Ok(see_other(&with_done(&back, done)))
        }
        // An idea edited between the checks and the change: nothing was changed.
        Err(e) if e.code == phare_domain::ErrorCode::VersionConflict => {
            Ok(see_other(&with_done(&back, "bulk-conflict")))
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize, Default)]
pub struct ViewForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    query: String,
    #[serde(default)]
    shared: String,
}

pub async fn view_create(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(f): Form<ViewForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    let shared = !f.shared.is_empty();
    let base = format!("/products/{id}/backlog?{}", f.query.trim_start_matches('?'));
    match state
        .phare
        .create_backlog_view(&ctx.actor, &meta, id, &f.name, &f.query, shared)
        .await
    {
        Ok(_) => Ok(see_other(&with_done(&base, "view-saved"))),
        Err(e) if is_form_error(&e) => {
            let done = if e.fields.iter().any(|f| f.code == "already_taken") {
                "view-name-taken"
            } else {
                "view-name-required"
            };
            Ok(see_other(&with_done(&base, done)))
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize, Default)]
pub struct DeleteViewForm {
    #[serde(default)]
    back: String,
}

pub async fn view_delete(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(f): Form<DeleteViewForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: uuid::Uuid = lookup::parse_id(&id, &ctx)?;
    let view = state
        .phare
        .get_backlog_view(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    state
        .phare
        .delete_backlog_view(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let back = local_path(&f.back)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("/products/{}/backlog", view.product_id));
    Ok(see_other(&with_done(&back, "view-deleted")))
}

#[derive(Deserialize, Default)]
pub struct RenameViewForm {
    #[serde(default)]
    name: String,
    /// The version of the view the form was drawn from.
    #[serde(default)]
    version: String,
    #[serde(default)]
    back: String,
}

/// `path` without the refusal of a rename (and its `done` message) in its query.
fn without_rename_error(path: &str) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    pairs.retain(|(k, _)| {
        !matches!(
            k.as_str(),
            "done" | "rename" | "rename_error" | "rename_value"
        )
    });
    if pairs.is_empty() {
        return base.to_owned();
    }
    format!(
        "{base}?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

/// `back` with the refusal of a rename in its query (see [`BacklogQuery::rename_error`]) and
/// the view's rename field as its fragment.
fn with_rename_error(back: &str, view: uuid::Uuid, code: &str, typed: &str) -> String {
    let clean = without_rename_error(back.split('#').next().unwrap_or(back));
    // A name is at most a line of 80 characters; anything longer is cut to keep the address
    // short (the field's own `maxlength` keeps browsers under it).
    let typed: String = typed.chars().take(VIEW_NAME_MAX * 2).collect();
    let refusal = serde_urlencoded::to_string([
        ("rename", view.to_string()),
        ("rename_error", code.to_owned()),
        ("rename_value", typed),
    ])
    .unwrap_or_default();
    let joiner = if clean.contains('?') { '&' } else { '?' };
    format!("{clean}{joiner}{refusal}#rename-{view}")
}

/// Renames one's own saved view; a refused name comes back beside the view's rename field.
pub async fn view_rename(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(f): Form<RenameViewForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: uuid::Uuid = lookup::parse_id(&id, &ctx)?;
    let view = state
        .phare
        .get_backlog_view(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let back = local_path(&f.back)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("/products/{}/backlog", view.product_id));
    // A form without a version (drawn before views had one) renames what it sees now.
    let version = f.version.trim().parse().unwrap_or(view.version);
    match state
        .phare
        .update_backlog_view(&ctx.actor, &meta, id, version, Some(&f.name), None)
        .await
    {
        Ok(_) => Ok(see_other(&with_done(
            &without_rename_error(&back),
            "view-renamed",
        ))),
        Err(e) if is_form_error(&e) => {
            let code = e.fields.first().map(|f| f.code).unwrap_or("required");
            Ok(see_other(&with_rename_error(&back, id, code, &f.name)))
        }
        Err(e) if e.code == phare_domain::ErrorCode::VersionConflict => Ok(see_other(
            &with_rename_error(&back, id, "conflict", &f.name),
        )),
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- the value/effort matrix ----------------------------------------------------------------

const W: f64 = 640.0;
const H: f64 = 440.0;
const PAD: f64 = 48.0;

struct Dot {
    id: IdeaId,
    reference: String,
    title: String,
    value: String,
    effort: String,
    quadrant: Quadrant,
    x: String,
    y: String,
}

#[derive(Template)]
#[template(path = "backlog_matrix.html")]
struct MatrixPage {
    ctx: Ctx,
    product: Product,
    dots: Vec<Dot>,
    /// Plot bounds and the middle lines, in SVG units.
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    mid_x: f64,
    mid_y: f64,
    width: f64,
    height: f64,
}

impl MatrixPage {
    fn count(&self, q: &str) -> usize {
        self.dots
            .iter()
            .filter(|d| d.quadrant.as_str() == q)
            .count()
    }
    fn half(&self, a: &f64, b: &f64) -> f64 {
        (a + b) / 2.0
    }
}

/// The scale runs from 0 to 10 on both axes.
fn to_x(effort: f64) -> f64 {
    PAD + (effort.clamp(0.0, 10.0) / 10.0) * (W - 2.0 * PAD)
}

fn to_y(value: f64) -> f64 {
    H - PAD - (value.clamp(0.0, 10.0) / 10.0) * (H - 2.0 * PAD)
}

pub async fn matrix(
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
    let points = state
        .phare
        .value_effort_matrix(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let dots = points
        .into_iter()
        .map(|p| Dot {
            id: p.id,
            quadrant: quadrant(p.value, p.effort),
            x: format!("{:.1}", to_x(p.effort)),
            y: format!("{:.1}", to_y(p.value)),
            value: phare_domain::scoring::show(p.value),
            effort: phare_domain::scoring::show(p.effort),
            reference: p.reference,
            title: p.title,
        })
        .collect();
    render(
        &MatrixPage {
            ctx,
            product,
            dots,
            left: PAD,
            right: W - PAD,
            top: PAD,
            bottom: H - PAD,
            mid_x: to_x(MATRIX_MIDDLE),
            mid_y: to_y(MATRIX_MIDDLE),
            width: W,
            height: H,
        },
        l,
    )
}
