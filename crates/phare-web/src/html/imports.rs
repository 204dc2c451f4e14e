//! Import and export pages of a product: upload a file from another tool, check it (the dry
//! run shows the detected format, the column mapping to correct, a sample and every problem by
//! line and column), then import it all or nothing; download feedback and ideas as CSV, XLSX or
//! JSON. The file travels back with the mapping step as a hidden field, so no upload is kept on
//! the server between the two steps.

use super::{lookup, render, render_status, see_other, Ctx, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use phare_core::{ImportOutcome, ImportPlan, ImportRequest};
use phare_domain::{ErrorCode, ProductId, SourceKind};
use phare_interchange as ix;
use phare_store::Product;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    ctx: Ctx,
    product: Product,
    source: String,
    /// The dry run, once a file was sent.
    plan: Option<PlanView>,
    /// Why the file could not even be read as a form (none chosen, too large).
    upload_error: Option<String>,
}

/// The plan as the page shows it.
struct PlanView {
    plan: ImportPlan,
    /// The file, base64, sent back with the confirmation.
    data: String,
    mapping_json: String,
    /// (field name, chosen column index or none) for the mapping editor of a CSV file.
    columns: Vec<(&'static str, Option<usize>)>,
    is_csv: bool,
    refused: bool,
}

impl ImportPage {
    fn sources(&self) -> &'static [SourceKind] {
        SourceKind::ALL
    }
    fn problem_text(&self, code: &str) -> String {
        let key = format!("field-{code}");
        if self.ctx.l.has(&key) {
            self.ctx.l.t(&key)
        } else {
            self.ctx.l.t("field-invalid_value")
        }
    }
    /// "Recognised: Jira file, imported as ideas, 120 rows."
    fn detected(&self, v: &PlanView) -> String {
        let l = self.ctx.l;
        l.ta(
            "import-detected",
            &[
                (
                    "preset",
                    l.tv("import-preset", v.plan.mapping.preset.source_system()),
                ),
                ("kind", l.tv("import-kind", self.kind_name(v))),
                ("rows", v.plan.total_rows.to_string()),
            ],
        )
    }
    fn is_chosen(&self, chosen: &Option<usize>, index: &usize) -> bool {
        *chosen == Some(*index)
    }
    fn kind_name(&self, v: &PlanView) -> &'static str {
        match v.plan.mapping.kind {
            ix::ItemKind::Feedback => "feedback",
            ix::ItemKind::Idea => "idea",
        }
    }
    /// The start of a sample row's text, on one line.
    fn short(&self, text: &str) -> String {
        let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        match one.char_indices().nth(140) {
            Some((i, _)) => format!("{}…", &one[..i]),
            None => one,
        }
    }
    fn export(&self, what: &str, format: &str) -> String {
        match what {
            "ideas" => format!(
                "/api/v1/products/{}/ideas/export?format={format}",
                self.product.id
            ),
            _ => format!(
                "/api/v1/feedback/export?product={}&format={format}",
                self.product.id
            ),
        }
    }
}

/// What the multipart form carried.
#[derive(Default)]
struct Upload {
    bytes: Vec<u8>,
    source: String,
    action: String,
    mapping: String,
    columns: Vec<(String, String)>,
}

async fn read_form(mut form: Multipart) -> Result<Upload, &'static str> {
    let mut u = Upload::default();
    while let Some(field) = form.next_field().await.map_err(|_| "import-error-upload")? {
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "file" => {
                let bytes = field.bytes().await.map_err(|_| "import-error-upload")?;
                if !bytes.is_empty() {
                    u.bytes = bytes.to_vec();
                }
            }
            "data" => {
                let text = field.text().await.map_err(|_| "import-error-upload")?;
                if u.bytes.is_empty() && !text.is_empty() {
                    u.bytes = STANDARD
                        .decode(text.trim())
                        .map_err(|_| "import-error-upload")?;
                }
            }
            "source" => u.source = field.text().await.unwrap_or_default(),
            "action" => u.action = field.text().await.unwrap_or_default(),
            "mapping" => u.mapping = field.text().await.unwrap_or_default(),
            other if other.starts_with("col_") => {
                let v = field.text().await.unwrap_or_default();
                u.columns
                    .push((other.trim_start_matches("col_").to_owned(), v));
            }
            _ => {}
        }
    }
    if u.bytes.is_empty() {
        return Err("import-error-no-file");
    }
    Ok(u)
}

/// The mapping sent back from the plan, with the columns the person picked.
fn edited_mapping(u: &Upload) -> Option<ix::Mapping> {
    let mut m: ix::Mapping = serde_json::from_str(&u.mapping).ok()?;
    if !matches!(m.format, ix::Format::Csv { .. }) {
        return Some(m);
    }
    for (name, value) in &u.columns {
        let Some(field) = ix::Field::ALL.iter().find(|f| f.name() == name) else {
            continue;
        };
        match value.parse::<usize>() {
            Ok(i) => {
                m.columns.insert(*field, vec![i]);
            }
            Err(_) => {
                m.columns.remove(field);
            }
        }
    }
    Some(m)
}

fn view(plan: ImportPlan, bytes: &[u8], refused: bool) -> PlanView {
    let is_csv = matches!(plan.mapping.format, ix::Format::Csv { .. });
    let columns = ix::Field::ALL
        .iter()
        .map(|f| {
            (
                f.name(),
                plan.mapping.columns.get(f).and_then(|c| c.first()).copied(),
            )
        })
        .collect();
    PlanView {
        mapping_json: serde_json::to_string(&plan.mapping).unwrap_or_default(),
        data: STANDARD.encode(bytes),
        columns,
        is_csv,
        refused,
        plan,
    }
}

pub async fn page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(raw): Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&raw, &ctx)?;
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    render(
        &ImportPage {
            ctx,
            product,
            source: SourceKind::Other.as_str().to_owned(),
            plan: None,
            upload_error: None,
        },
        l,
    )
}

pub async fn submit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(raw): Seg,
    form: Multipart,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: ProductId = lookup::parse_id(&raw, &ctx)?;
    if !ctx.can(phare_core::Action::CurateDiscovery) {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let product = state
        .phare
        .get_product(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let upload = match read_form(form).await {
        Ok(u) => u,
        Err(key) => {
            let page = ImportPage {
                upload_error: Some(l.t(key)),
                ctx,
                product,
                source: SourceKind::Other.as_str().to_owned(),
                plan: None,
            };
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page, l);
        }
    };
    let source = SourceKind::parse(&upload.source).unwrap_or(SourceKind::Other);
    let req = ImportRequest {
        product: id,
        mapping: edited_mapping(&upload),
        bytes: upload.bytes.into(),
        default_source: source,
    };
    if upload.action == "commit" {
        match state
            .phare
            .import_commit(&ctx.actor, &meta, &req)
            .await
            .page(l)?
        {
            ImportOutcome::Done(_) => {
                let to = match req.mapping.as_ref().map(|m| m.kind) {
                    Some(ix::ItemKind::Idea) => format!("/products/{id}/ideas?done=imported"),
                    _ => format!("/products/{id}/inbox?done=imported"),
                };
                return Ok(see_other(&to));
            }
            ImportOutcome::Refused(plan) => {
                let page = ImportPage {
                    plan: Some(view(plan, &req.bytes, true)),
                    ctx,
                    product,
                    source: source.as_str().to_owned(),
                    upload_error: None,
                };
                return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page, l);
            }
        }
    }
    let plan = state
        .phare
        .import_preview(&ctx.actor, &meta, &req)
        .await
        .page(l)?;
    render(
        &ImportPage {
            plan: Some(view(plan, &req.bytes, false)),
            ctx,
            product,
            source: source.as_str().to_owned(),
            upload_error: None,
        },
        l,
    )
}
