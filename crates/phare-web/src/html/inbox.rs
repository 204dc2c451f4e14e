//! The feedback inbox, workspace-wide and per product: quick capture, state tabs with counts,
//! filters as GET parameters, the 50 newest items, and bulk triage. Every action is a plain form
//! (the keyboard shortcuts of `inbox.js` only press its buttons and follow its links).

use super::lookup::{self, local_path, with_done};
use super::{is_form_error, render_status, see_other, Ctx, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use chrono::{NaiveDate, TimeZone, Utc};
use phare_core::{CustomerFields, FeedbackInput, RequestMeta};
use phare_domain::{
    split_tags, CustomerId, ErrorCode, FeedbackId, FeedbackState, Origin, ProductId, SourceKind,
};
use phare_store::{
    Cursor, Feedback, FeedbackBulk, FeedbackCounts, FeedbackFilter, PageRequest, Product, Timestamp,
};
use serde::Deserialize;

/// Items shown per page of the inbox.
const PAGE_SIZE: u32 = 50;
/// Characters of a feedback item's text shown in the list.
const EXCERPT_CHARS: usize = 180;

/// The inbox's GET parameters. Values that do not parse are ignored (an old bookmark still
/// opens), never an error.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct InboxQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    origin: String,
    #[serde(default)]
    customer: String,
    #[serde(default)]
    segment: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    evidence: String,
    /// Workspace inbox only: `none` (no product yet) or a product id.
    #[serde(default)]
    product: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    after: String,
    /// The source of the last capture, preselected for the next one.
    #[serde(default)]
    capture_source: String,
}

/// Midnight UTC of a `YYYY-MM-DD` day.
pub fn day_start(s: &str) -> Option<Timestamp> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    Utc.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single()
}

impl InboxQuery {
    fn state(&self) -> FeedbackState {
        FeedbackState::parse(&self.state).unwrap_or(FeedbackState::New)
    }

    fn filter(&self, scope: Option<ProductId>, me: phare_domain::MemberId) -> FeedbackFilter {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let product = match scope {
            Some(p) => Some(Some(p)),
            None => match self.product.as_str() {
                "none" => Some(None),
                s => s.parse().ok().map(Some),
            },
        };
        FeedbackFilter {
            product,
            state: Some(self.state()),
            source: SourceKind::parse(&self.source),
            origin: Origin::parse(&self.origin),
            // Resolved by name or id in `customer_filter`.
            customer: None,
            segment: text(&self.segment),
            tag: text(&self.tag).map(|t| t.to_lowercase()),
            assignee: (self.mine == "1").then_some(me),
            observed_from: day_start(&self.from),
            observed_before: day_start(&self.to).map(|d| d + chrono::Duration::days(1)),
            has_evidence: match self.evidence.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
        }
    }

    /// The filters (and the state unless `state` is given) as a query string, without the cursor.
    fn query(&self, state: Option<FeedbackState>) -> String {
        let state = state.map(|s| s.as_str()).unwrap_or(self.state().as_str());
        let pairs: Vec<(&str, &str)> = [
            ("state", state),
            ("source", self.source.as_str()),
            ("origin", self.origin.as_str()),
            ("customer", self.customer.as_str()),
            ("segment", self.segment.as_str()),
            ("tag", self.tag.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("evidence", self.evidence.as_str()),
            ("product", self.product.as_str()),
            ("mine", self.mine.as_str()),
        ]
        .into_iter()
        .filter(|(k, v)| *k == "state" || !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    fn any_filter(&self) -> bool {
        [
            &self.source,
            &self.origin,
            &self.customer,
            &self.segment,
            &self.tag,
            &self.from,
            &self.to,
            &self.evidence,
            &self.product,
            &self.mine,
        ]
        .iter()
        .any(|v| !v.is_empty())
    }
}

/// The quick capture form: the text and its source, then optional details.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct CaptureForm {
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
}

impl CaptureForm {
    /// Whether anything beyond text and source was typed: the details then stay open.
    fn has_details(&self) -> bool {
        [
            &self.customer,
            &self.customer_segment,
            &self.customer_weight,
            &self.contact,
            &self.tags,
            &self.observed_at,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }
}

/// The optional fields of a feedback form (capture and edit), as typed.
pub struct FeedbackDetails<'a> {
    pub customer: &'a str,
    pub segment: &'a str,
    pub weight: &'a str,
    pub contact: &'a str,
    pub product_id: &'a str,
    pub tags: &'a str,
    pub observed_at: &'a str,
}

impl FeedbackDetails<'_> {
    /// The fields the way the core expects them. A value that cannot even be parsed is passed
    /// on as one the core refuses (weight 0, an unknown product), so every error is reported by
    /// the core in the same words; only a malformed date is caught here, having no stand-in.
    pub fn input(&self, l: crate::i18n::L10n) -> Result<FeedbackInput, FormErrors> {
        let observed_at = match self.observed_at.trim() {
            "" => None,
            s => match day_start(s) {
                Some(t) => Some(t),
                None => {
                    return Err(FormErrors::one(
                        "observed_at",
                        l.t("field-invalid_date-observed_at"),
                        l,
                    ))
                }
            },
        };
        let customer = match self.customer.trim() {
            "" => None,
            name => Some(CustomerFields {
                name: name.to_owned(),
                kind: None,
                segment: Some(self.segment.trim().to_owned()).filter(|s| !s.is_empty()),
                weight: match self.weight.trim() {
                    "" => None,
                    w => Some(w.parse().unwrap_or(0)),
                },
            }),
        };
        let product = match self.product_id.trim() {
            "" | "none" => None,
            s => Some(s.parse().unwrap_or_else(|_| ProductId::new())),
        };
        Ok(FeedbackInput {
            product_id: Some(product),
            customer: Some(customer),
            contact: Some(Some(self.contact.trim().to_owned()).filter(|c| !c.is_empty())),
            observed_at,
            tags: Some(split_tags(self.tags)),
            ..Default::default()
        })
    }
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    ctx: Ctx,
    /// The product of a product inbox; `None` for the workspace inbox.
    scope: Option<Product>,
    q: InboxQuery,
    state: FeedbackState,
    counts: FeedbackCounts,
    items: Vec<InboxRow>,
    next: Option<String>,
    products: Vec<Product>,
    /// The customer filter as shown: the name of the customer it names, or what was typed.
    customer_label: String,
    /// A customer name was typed that no customer has.
    unknown_customer: bool,
    /// The current filters and state as a query string, for the forms that come back here.
    filters: String,
    capture: CaptureForm,
    errors: FormErrors,
    bulk_errors: FormErrors,
    sources: &'static [SourceKind],
    states: &'static [FeedbackState],
}

impl InboxPage {
    /// `/inbox` or `/products/{id}/inbox`.
    fn base(&self) -> String {
        match &self.scope {
            Some(p) => format!("/products/{}/inbox", p.id),
            None => "/inbox".into(),
        }
    }
    fn tab_href(&self, s: &FeedbackState) -> String {
        format!("{}?{}", self.base(), self.q.query(Some(*s)))
    }
    fn count(&self, s: &FeedbackState) -> i64 {
        match s {
            FeedbackState::New => self.counts.new,
            FeedbackState::Processed => self.counts.processed,
            FeedbackState::Archived => self.counts.archived,
        }
    }
    fn is_state(&self, s: &FeedbackState) -> bool {
        *s == self.state
    }
    fn product_label(&self, f: &Feedback) -> Option<String> {
        lookup::product(&self.products, f.product_id).map(|p| p.name.clone())
    }
    fn active_products(&self) -> Vec<&Product> {
        self.products.iter().filter(|p| !p.archived).collect()
    }
    fn capture_product(&self) -> String {
        if !self.capture.product_id.is_empty() {
            return self.capture.product_id.clone();
        }
        self.scope
            .as_ref()
            .map(|p| p.id.to_string())
            .unwrap_or_default()
    }
    fn capture_source(&self) -> &str {
        if self.capture.source.is_empty() {
            &self.q.capture_source
        } else {
            &self.capture.source
        }
    }
    fn mine(&self, f: &Feedback) -> bool {
        f.assignee_id == Some(self.ctx.actor.member.id)
    }
    fn title(&self) -> String {
        match &self.scope {
            Some(p) => self.ctx.l.t1("inbox-product-title", "product", &p.name),
            None => self.ctx.l.t("inbox-title"),
        }
    }
    fn empty_message(&self) -> String {
        if self.unknown_customer {
            self.ctx
                .l
                .t1("inbox-unknown-customer", "name", &self.customer_label)
        } else if self.q.any_filter() {
            self.ctx.l.t("inbox-empty-filtered")
        } else {
            self.ctx.l.tv("inbox-empty", self.state)
        }
    }
}

/// One listed item with its excerpt, converted once (the row shows it three times).
struct InboxRow {
    feedback: Feedback,
    /// The item's id, written eight times by its row.
    key: lookup::SafeId,
    excerpt: String,
}

impl std::ops::Deref for InboxRow {
    type Target = Feedback;
    fn deref(&self) -> &Feedback {
        &self.feedback
    }
}

/// The customer filter: an id (links from a customer's page) or a name as typed.
struct CustomerFilter {
    id: Option<CustomerId>,
    label: String,
    unknown: bool,
}

async fn customer_filter(
    state: &AppState,
    ctx: &Ctx,
    meta: &RequestMeta,
    raw: &str,
) -> Result<CustomerFilter, WebError> {
    let raw = raw.trim();
    let none = |label: &str, unknown| CustomerFilter {
        id: None,
        label: label.to_owned(),
        unknown,
    };
    if raw.is_empty() {
        return Ok(none("", false));
    }
    if let Ok(id) = raw.parse::<CustomerId>() {
        return Ok(match state.phare.get_customer(&ctx.actor, meta, id).await {
            Ok(c) => CustomerFilter {
                id: Some(c.id),
                label: c.name,
                unknown: false,
            },
            Err(e) if e.code == ErrorCode::NotFound => none(raw, true),
            Err(e) => return Err(WebError::new(e, ctx.l)),
        });
    }
    // The exact name sorts first among the names it starts.
    let found = state
        .phare
        .find_customers(&ctx.actor, meta, raw, 1)
        .await
        .page(ctx.l)?;
    Ok(match found.into_iter().next() {
        Some(c) if c.name.to_lowercase() == raw.to_lowercase() => CustomerFilter {
            id: Some(c.id),
            label: c.name,
            unknown: false,
        },
        _ => none(raw, true),
    })
}

/// A form of the inbox that was refused, shown again with what was typed and why.
#[derive(Default)]
struct Refused {
    capture: CaptureForm,
    errors: FormErrors,
    bulk_errors: FormErrors,
}

/// Everything the inbox shows.
async fn inbox_page(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    scope: Option<ProductId>,
    q: InboxQuery,
    refused: Refused,
) -> Result<Response, WebError> {
    let Refused {
        capture,
        errors,
        bulk_errors,
    } = refused;
    let l = ctx.l;
    let scope = match scope {
        Some(id) => Some(
            state
                .phare
                .get_product(&ctx.actor, meta, id)
                .await
                .page(l)?,
        ),
        None => None,
    };
    let customer = customer_filter(state, &ctx, meta, &q.customer).await?;
    let mut filter = q.filter(scope.as_ref().map(|p| p.id), ctx.actor.member.id);
    filter.customer = customer.id;
    let (counts, found, next_cursor) = if customer.unknown {
        (FeedbackCounts::default(), Vec::new(), None)
    } else {
        let counts = state
            .phare
            .count_feedback(&ctx.actor, meta, &filter)
            .await
            .page(l)?;
        let page = state
            .phare
            .list_feedback(
                &ctx.actor,
                meta,
                &filter,
                &PageRequest::new(Cursor::decode(&q.after), Some(PAGE_SIZE)),
            )
            .await
            .page(l)?;
        (counts, page.items, page.next_cursor)
    };
    let products = lookup::products(state, &ctx, meta).await?;
    let items = found
        .into_iter()
        .map(|feedback| InboxRow {
            key: lookup::SafeId::new(feedback.id.0),
            excerpt: lookup::excerpt(&feedback.text, EXCERPT_CHARS),
            feedback,
        })
        .collect();
    let base = match &scope {
        Some(p) => format!("/products/{}/inbox", p.id),
        None => "/inbox".into(),
    };
    let next = next_cursor.map(|c| format!("{base}?{}&after={}", q.query(None), c.encode()));
    let status = if errors.any() || bulk_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &InboxPage {
            state: q.state(),
            ctx,
            scope,
            filters: q.query(None),
            q,
            counts,
            items,
            next,
            products,
            customer_label: customer.label,
            unknown_customer: customer.unknown,
            capture,
            errors,
            bulk_errors,
            sources: SourceKind::ALL,
            states: FeedbackState::ALL,
        },
        l,
    )
}

pub async fn workspace(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Query(q): Query<InboxQuery>,
) -> Result<Response, WebError> {
    inbox_page(&state, ctx, &meta, None, q, Refused::default()).await
}

pub async fn product(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<InboxQuery>,
) -> Result<Response, WebError> {
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    inbox_page(&state, ctx, &meta, Some(id), q, Refused::default()).await
}

async fn capture(
    state: &AppState,
    ctx: Ctx,
    meta: &RequestMeta,
    scope: Option<ProductId>,
    q: InboxQuery,
    f: CaptureForm,
) -> Result<Response, WebError> {
    let l = ctx.l;
    // The form is read before the core is called: refuse first whoever may not capture, and
    // answer "not found" for a product inbox of another workspace.
    if !ctx.can_capture() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    if let Some(p) = scope {
        state.phare.get_product(&ctx.actor, meta, p).await.page(l)?;
    }
    let fields = FeedbackDetails {
        customer: &f.customer,
        segment: &f.customer_segment,
        weight: &f.customer_weight,
        contact: &f.contact,
        product_id: &f.product_id,
        tags: &f.tags,
        observed_at: &f.observed_at,
    }
    .input(l);
    let input = match fields {
        Ok(input) => FeedbackInput {
            text: Some(f.text.clone()),
            source: SourceKind::parse(&f.source),
            ..input
        },
        Err(errors) => {
            let refused = Refused {
                capture: f,
                errors,
                ..Default::default()
            };
            return inbox_page(state, ctx, meta, scope, q, refused).await;
        }
    };
    match state.phare.create_feedback(&ctx.actor, meta, input).await {
        Ok(_) => {
            let base = match scope {
                Some(p) => format!("/products/{p}/inbox"),
                None => "/inbox".into(),
            };
            let again = serde_urlencoded::to_string([("capture_source", f.source.as_str())])
                .unwrap_or_default();
            Ok(see_other(&with_done(
                &format!("{base}?{}&{again}", q.query(None)),
                "feedback_captured",
            )))
        }
        Err(e) if is_form_error(&e) => {
            let refused = Refused {
                capture: f,
                errors: FormErrors::from_core(&e, l),
                ..Default::default()
            };
            inbox_page(state, ctx, meta, scope, q, refused).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

pub async fn capture_workspace(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Query(q): Query<InboxQuery>,
    Form(f): Form<CaptureForm>,
) -> Result<Response, WebError> {
    capture(&state, ctx, &meta, None, q, f).await
}

pub async fn capture_product(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Query(q): Query<InboxQuery>,
    Form(f): Form<CaptureForm>,
) -> Result<Response, WebError> {
    let id: ProductId = lookup::parse_id(&id, &ctx)?;
    capture(&state, ctx, &meta, Some(id), q, f).await
}

/// The bulk actions, and the one-item actions of a row or a feedback page (archive, mark
/// processed, reopen), which are bulk actions on one item: they need no version, so triaging
/// from a list never trips over an edit made meanwhile.
///
/// Fields: `ids` (repeated), `action` (`processed`, `archived`, `new`, `assign_me`, `move`),
/// `product_id` (for `move`; `none` for no product), `scope` (the product of a product inbox),
/// and optionally `back`, a local path to return to. The inbox's filters come in the query.
pub async fn bulk(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Query(q): Query<InboxQuery>,
    RawForm(body): RawForm,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| WebError::code(ErrorCode::BadRequest, l))?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let ids = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .map(|(_, v)| v.parse::<FeedbackId>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| WebError::code(ErrorCode::BadRequest, l))?;
    let action = field("action");
    let change = match action.as_str() {
        "assign_me" => FeedbackBulk {
            assignee_id: Some(Some(ctx.actor.member.id)),
            ..Default::default()
        },
        "move" => FeedbackBulk {
            product_id: Some(match field("product_id").as_str() {
                "" | "none" => None,
                s => Some(lookup::parse_id(s, &ctx)?),
            }),
            ..Default::default()
        },
        s => FeedbackBulk {
            state: FeedbackState::parse(s),
            ..Default::default()
        },
    };
    let scope: Option<ProductId> = field("scope").parse().ok();
    match state
        .phare
        .bulk_update_feedback(&ctx.actor, &meta, &ids, change)
        .await
    {
        Ok(_) => {
            let back = field("back");
            let to = match (local_path(&back), scope) {
                (Some(back), _) => back.to_owned(),
                (None, Some(p)) => format!("/products/{p}/inbox?{}", q.query(None)),
                (None, None) => format!("/inbox?{}", q.query(None)),
            };
            Ok(see_other(&with_done(&to, &format!("feedback_{action}"))))
        }
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l).rename("ids", "", l).rename(
                "action",
                "bulk-action",
                l,
            );
            let refused = Refused {
                bulk_errors: errors,
                ..Default::default()
            };
            inbox_page(&state, ctx, &meta, scope, q, refused).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}
