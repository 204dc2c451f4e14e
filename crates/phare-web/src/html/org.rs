//! The workspace home, products and product lines: browse, create, edit, archive, RACI.

use super::{is_form_error, render, render_status, see_other, Ctx, FormErrors, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use phare_core::{ProductInput, ProductLineInput};
use phare_domain::{ErrorCode, MemberId, PmModel, ProductId, ProductLineId, Raci};
use phare_store::{Cursor, PageRequest, Product, ProductFilter, ProductLine, RaciEntry};
use serde::Deserialize;

fn parse_id<T: std::str::FromStr>(s: &str, ctx: &Ctx) -> Result<T, WebError> {
    s.parse()
        .map_err(|_| WebError::code(ErrorCode::NotFound, ctx.l))
}

/// Follows the cursor of a list to its end: every product line or product of a workspace, for
/// the home page and selects. A workspace has tens of these, not thousands; the loop is bounded
/// (20 pages of 200) all the same.
pub(super) async fn all_pages<T, Fut>(
    l: crate::i18n::L10n,
    mut fetch: impl FnMut(PageRequest) -> Fut,
) -> Result<Vec<T>, WebError>
where
    Fut: std::future::Future<Output = phare_core::CoreResult<phare_store::Page<T>>>,
{
    let mut out = Vec::new();
    let mut req = PageRequest::first(200);
    for _ in 0..20 {
        let page = fetch(req).await.page(l)?;
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => req = PageRequest::new(Some(c), Some(200)),
            None => break,
        }
    }
    Ok(out)
}

async fn all_lines(
    state: &AppState,
    ctx: &Ctx,
    meta: &phare_core::RequestMeta,
) -> Result<Vec<ProductLine>, WebError> {
    all_pages(ctx.l, |req| async move {
        state.phare.list_product_lines(&ctx.actor, meta, &req).await
    })
    .await
}

async fn all_products(
    state: &AppState,
    ctx: &Ctx,
    meta: &phare_core::RequestMeta,
    filter: &ProductFilter,
) -> Result<Vec<Product>, WebError> {
    all_pages(ctx.l, |req| async move {
        state
            .phare
            .list_products(&ctx.actor, meta, filter, &req)
            .await
    })
    .await
}

// --- home ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    groups: Vec<(Option<ProductLine>, Vec<Product>)>,
    product_count: usize,
    line_count: usize,
    member_count: String,
    member_plural: usize,
}

pub async fn home(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let lines = all_lines(&state, &ctx, &meta).await?;
    let products = all_products(&state, &ctx, &meta, &ProductFilter::default()).await?;
    let product_count = products.len();
    let line_count = lines.len();
    let mut groups: Vec<(Option<ProductLine>, Vec<Product>)> = lines
        .into_iter()
        .map(|line| {
            let ps = products
                .iter()
                .filter(|p| p.product_line_id == Some(line.id))
                .cloned()
                .collect();
            (Some(line), ps)
        })
        .collect();
    let loose: Vec<Product> = products
        .into_iter()
        .filter(|p| p.product_line_id.is_none())
        .collect();
    if !loose.is_empty() {
        groups.push((None, loose));
    }
    let members = state
        .phare
        .list_members(&ctx.actor, &meta, &PageRequest::first(200))
        .await
        .page(l)?;
    render(
        &HomePage {
            ctx,
            groups,
            product_count,
            line_count,
            // The home page reads one page of members, not all of them: past it, say "200+".
            member_count: match members.next_cursor {
                Some(_) => format!("{}+", members.items.len()),
                None => members.items.len().to_string(),
            },
            member_plural: members.items.len(),
        },
        l,
    )
}

// --- products -------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    archived: String,
    #[serde(default)]
    after: String,
}

#[derive(Template)]
#[template(path = "products.html")]
struct ProductsPage {
    ctx: Ctx,
    products: Vec<Product>,
    lines: Vec<ProductLine>,
    show_archived: bool,
    next: Option<String>,
}

impl ProductsPage {
    fn line_name(&self, p: &Product) -> String {
        p.product_line_id
            .and_then(|id| self.lines.iter().find(|l| l.id == id))
            .map(|l| l.name.clone())
            .unwrap_or_else(|| self.ctx.l.t("product-line-none"))
    }
}

pub async fn products(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let show_archived = q.archived == "1";
    let filter = ProductFilter {
        include_archived: show_archived,
        product_line_id: None,
    };
    let page = state
        .phare
        .list_products(
            &ctx.actor,
            &meta,
            &filter,
            &PageRequest::new(Cursor::decode(&q.after), Some(50)),
        )
        .await
        .page(l)?;
    let lines = all_lines(&state, &ctx, &meta).await?;
    let next = page.next_cursor.map(|c| {
        let archived = if show_archived { "&archived=1" } else { "" };
        format!("/products?after={}{archived}", c.encode())
    });
    render(
        &ProductsPage {
            ctx,
            products: page.items,
            lines,
            show_archived,
            next,
        },
        l,
    )
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct ProductForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    product_line_id: String,
    #[serde(default)]
    pm_model: String,
    #[serde(default)]
    version: i64,
}

impl ProductForm {
    fn from_product(p: &Product) -> Self {
        Self {
            name: p.name.clone(),
            key: p.key.clone(),
            description: p.description.clone(),
            product_line_id: p.product_line_id.map(|l| l.to_string()).unwrap_or_default(),
            pm_model: p.pm_model.as_str().to_owned(),
            version: p.version,
        }
    }

    fn input(&self) -> ProductInput {
        ProductInput {
            name: Some(self.name.clone()),
            key: Some(self.key.clone()),
            description: Some(self.description.clone()),
            // An unknown id is kept as a random one so the core reports it as a field error.
            product_line_id: Some(match self.product_line_id.trim() {
                "" => None,
                s => Some(s.parse().unwrap_or_else(|_| ProductLineId::new())),
            }),
            pm_model: Some(PmModel::parse(&self.pm_model).unwrap_or(PmModel::Shared)),
            archived: None,
        }
    }
}

#[derive(Template)]
#[template(path = "product_form.html")]
struct ProductFormPage {
    ctx: Ctx,
    product: Option<Product>,
    form: ProductForm,
    lines: Vec<ProductLine>,
    errors: FormErrors,
    pm_models: &'static [PmModel],
}

pub async fn product_new(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
) -> Result<Response, WebError> {
    let l = ctx.l;
    if !ctx.can_manage_products() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let lines = all_lines(&state, &ctx, &meta).await?;
    let form = ProductForm {
        pm_model: "shared".into(),
        ..Default::default()
    };
    render(
        &ProductFormPage {
            ctx,
            product: None,
            form,
            lines,
            errors: FormErrors::default(),
            pm_models: PmModel::ALL,
        },
        l,
    )
}

pub async fn product_create(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Form(f): Form<ProductForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    match state
        .phare
        .create_product(&ctx.actor, &meta, f.input())
        .await
    {
        Ok(p) => Ok(see_other(&format!(
            "/products/{}?done=product_created",
            p.id
        ))),
        Err(e) if is_form_error(&e) => {
            let lines = all_lines(&state, &ctx, &meta).await?;
            let errors = FormErrors::from_core(&e, l);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ProductFormPage {
                    ctx,
                    product: None,
                    form: f,
                    lines,
                    errors,
                    pm_models: PmModel::ALL,
                },
                l,
            )
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Template)]
#[template(path = "product.html")]
struct ProductPage {
    ctx: Ctx,
    product: Product,
    line: Option<ProductLine>,
    raci: Vec<RaciEntry>,
    errors: FormErrors,
    add_email: String,
}

impl ProductPage {
    /// The people in the RACI, once each, in the order the store gives (by name).
    fn people(&self) -> Vec<(MemberId, String)> {
        let mut out: Vec<(MemberId, String)> = Vec::new();
        for e in &self.raci {
            if !out.iter().any(|(id, _)| *id == e.member_id) {
                out.push((e.member_id, e.member_name.clone()));
            }
        }
        out
    }
    fn has(&self, member: &MemberId, r: &str) -> bool {
        self.raci
            .iter()
            .any(|e| e.member_id == *member && e.raci.as_str() == r)
    }
    fn holders(&self, r: &str) -> Vec<String> {
        self.raci
            .iter()
            .filter(|e| e.raci.as_str() == r)
            .map(|e| e.member_name.clone())
            .collect()
    }
}

/// The product page. Only the people in the RACI are loaded, never the whole workspace, so the
/// page costs the same with 5 members or 5,000.
async fn product_page(
    state: &AppState,
    ctx: Ctx,
    meta: &phare_core::RequestMeta,
    id: ProductId,
    errors: FormErrors,
    add_email: String,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let product = state
        .phare
        .get_product(&ctx.actor, meta, id)
        .await
        .page(l)?;
    let line = match product.product_line_id {
        Some(lid) => Some(
            state
                .phare
                .get_product_line(&ctx.actor, meta, lid)
                .await
                .page(l)?,
        ),
        None => None,
    };
    let raci = state.phare.get_raci(&ctx.actor, meta, id).await.page(l)?;
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &ProductPage {
            ctx,
            product,
            line,
            raci,
            errors,
            add_email,
        },
        l,
    )
}

pub async fn product_show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
) -> Result<Response, WebError> {
    let id = parse_id(&id, &ctx)?;
    product_page(&state, ctx, &meta, id, FormErrors::default(), String::new()).await
}

pub async fn product_edit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = parse_id(&id, &ctx)?;
    if !ctx.can_manage_products() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let lines = all_lines(&state, &ctx, &meta).await?;
    let form = ProductForm::from_product(&product);
    render(
        &ProductFormPage {
            ctx,
            product: Some(product),
            form,
            lines,
            errors: FormErrors::default(),
            pm_models: PmModel::ALL,
        },
        l,
    )
}

#[derive(Template)]
#[template(path = "conflict.html")]
struct ConflictPage {
    ctx: Ctx,
    product: Product,
    mine: ProductForm,
    lines: Vec<ProductLine>,
}

impl ConflictPage {
    fn line_name(&self, id: &str) -> String {
        self.lines
            .iter()
            .find(|l| l.id.to_string() == id)
            .map(|l| l.name.clone())
            .unwrap_or_else(|| self.ctx.l.t("product-line-none"))
    }
    fn current_line(&self) -> String {
        self.line_name(
            &self
                .product
                .product_line_id
                .map(|l| l.to_string())
                .unwrap_or_default(),
        )
    }
}

pub async fn product_update(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
    Form(f): Form<ProductForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = parse_id(&id, &ctx)?;
    match state
        .phare
        .update_product(&ctx.actor, &meta, id, f.version, f.input())
        .await
    {
        Ok(p) => Ok(see_other(&format!("/products/{}?done=product_saved", p.id))),
        Err(e) if e.code == ErrorCode::VersionConflict => {
            // Nothing is lost: show what was saved meanwhile beside what this person typed,
            // with a form that applies theirs on top of the current version.
            let product = state
                .phare
                .get_product(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let lines = all_lines(&state, &ctx, &meta).await?;
            render_status(
                StatusCode::CONFLICT,
                &ConflictPage {
                    ctx,
                    product,
                    mine: f,
                    lines,
                },
                l,
            )
        }
        Err(e) if is_form_error(&e) => {
            let product = state
                .phare
                .get_product(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let lines = all_lines(&state, &ctx, &meta).await?;
            let errors = FormErrors::from_core(&e, l);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ProductFormPage {
                    ctx,
                    product: Some(product),
                    form: f,
                    lines,
                    errors,
                    pm_models: PmModel::ALL,
                },
                l,
            )
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    archived: String,
    version: i64,
}

pub async fn product_archive(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
    Form(f): Form<ArchiveForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = parse_id(&id, &ctx)?;
    let archived = f.archived == "1";
    let input = ProductInput {
        archived: Some(archived),
        ..Default::default()
    };
    state
        .phare
        .update_product(&ctx.actor, &meta, id, f.version, input)
        .await
        .page(l)?;
    let done = if archived {
        "product_archived"
    } else {
        "product_restored"
    };
    Ok(see_other(&format!("/products/{id}?done={done}")))
}

/// The RACI form posts checkboxes `raci=<member id>:<letter>` for the people already in it,
/// and optionally `add_email` + `add_raci` to bring someone in; the table is replaced whole.
pub async fn product_raci(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
    RawForm(body): RawForm,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = parse_id(&id, &ctx)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| WebError::code(ErrorCode::BadRequest, l))?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut entries = Vec::new();
    for (k, v) in &pairs {
        if k != "raci" {
            continue;
        }
        let Some((m, r)) = v.split_once(':') else {
            continue;
        };
        match (m.parse::<MemberId>(), Raci::parse(r)) {
            (Ok(m), Some(r)) => entries.push((m, r)),
            _ => return Err(WebError::code(ErrorCode::BadRequest, l)),
        }
    }
    let add_email = field("add_email");
    if !add_email.is_empty() {
        let letter = Raci::parse(&field("add_raci")).unwrap_or(Raci::Informed);
        match state
            .phare
            .find_member_by_email(&ctx.actor, &meta, &add_email)
            .await
        {
            Ok(m) => entries.push((m.id, letter)),
            Err(e) if e.code == ErrorCode::NotFound => {
                let errors = FormErrors::one("add_email", l.t("field-unknown_member"), l);
                return product_page(&state, ctx, &meta, id, errors, add_email).await;
            }
            Err(e) => return Err(WebError::new(e, l)),
        }
    }
    entries.sort_by_key(|(m, r)| (*m, r.as_str()));
    entries.dedup();
    match state.phare.set_raci(&ctx.actor, &meta, id, &entries).await {
        Ok(_) => Ok(see_other(&format!("/products/{id}?done=raci_saved#raci"))),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l);
            product_page(&state, ctx, &meta, id, errors, add_email).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- product lines --------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "lines.html")]
struct LinesPage {
    ctx: Ctx,
    lines: Vec<(ProductLine, usize)>,
}

pub async fn lines(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let lines = all_lines(&state, &ctx, &meta).await?;
    let products = all_products(&state, &ctx, &meta, &ProductFilter::default()).await?;
    let lines = lines
        .into_iter()
        .map(|line| {
            let n = products
                .iter()
                .filter(|p| p.product_line_id == Some(line.id))
                .count();
            (line, n)
        })
        .collect();
    render(&LinesPage { ctx, lines }, l)
}

#[derive(Deserialize, Default)]
pub struct LineForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    version: i64,
}

#[derive(Template)]
#[template(path = "line_form.html")]
struct LineFormPage {
    ctx: Ctx,
    line: Option<ProductLine>,
    form: LineForm,
    errors: FormErrors,
}

pub async fn line_new(Signed(ctx): Signed) -> Result<Response, WebError> {
    let l = ctx.l;
    if !ctx.can_manage_products() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    render(
        &LineFormPage {
            ctx,
            line: None,
            form: LineForm::default(),
            errors: FormErrors::default(),
        },
        l,
    )
}

pub async fn line_create(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Form(f): Form<LineForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let input = ProductLineInput {
        name: Some(f.name.clone()),
        description: Some(f.description.clone()),
    };
    match state
        .phare
        .create_product_line(&ctx.actor, &meta, input)
        .await
    {
        Ok(_) => Ok(see_other("/product-lines?done=line_created")),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &LineFormPage {
                    ctx,
                    line: None,
                    form: f,
                    errors,
                },
                l,
            )
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

pub async fn line_edit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductLineId = parse_id(&id, &ctx)?;
    if !ctx.can_manage_products() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let line = state
        .phare
        .get_product_line(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let form = LineForm {
        name: line.name.clone(),
        description: line.description.clone(),
        version: line.version,
    };
    render(
        &LineFormPage {
            ctx,
            line: Some(line),
            form,
            errors: FormErrors::default(),
        },
        l,
    )
}

pub async fn line_update(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
    Form(f): Form<LineForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductLineId = parse_id(&id, &ctx)?;
    let input = ProductLineInput {
        name: Some(f.name.clone()),
        description: Some(f.description.clone()),
    };
    match state
        .phare
        .update_product_line(&ctx.actor, &meta, id, f.version, input)
        .await
    {
        Ok(_) => Ok(see_other("/product-lines?done=line_saved")),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let line = state
                .phare
                .get_product_line(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let errors = if e.code == ErrorCode::VersionConflict {
                FormErrors::one("", l.t("error-version_conflict-form"), l)
            } else {
                FormErrors::from_core(&e, l)
            };
            // On a conflict the form keeps what was typed but carries the current version, so
            // saving again applies it on top of the other change, knowingly.
            let form = LineForm {
                version: line.version,
                ..f
            };
            let status = if e.code == ErrorCode::VersionConflict {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            render_status(
                status,
                &LineFormPage {
                    ctx,
                    line: Some(line),
                    form,
                    errors,
                },
                l,
            )
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize)]
pub struct VersionForm {
    version: i64,
}

pub async fn line_delete(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    super::Seg(id): super::Seg,
    Form(f): Form<VersionForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductLineId = parse_id(&id, &ctx)?;
    state
        .phare
        .delete_product_line(&ctx.actor, &meta, id, f.version)
        .await
        .page(l)?;
    Ok(see_other("/product-lines?done=line_deleted"))
}
