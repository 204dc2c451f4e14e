//! Imports (CSV or JSON from other tools, with a dry run) and exports (CSV, XLSX, JSON) of
//! feedback and ideas. Import bodies are files, not JSON, so these routes have their own, larger
//! body limit (see `crate::router`).

use super::extract::{Caller, FileBody, Id};
use super::feedback::FeedbackQuery;
use super::problem::{ApiError, ApiResult};
use super::reply;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use phare_api_types as dto;
use phare_core::{ExportFormat, ImportOutcome, ImportPlan, ImportRequest};
use phare_domain::{ErrorCode, ProductId, SourceKind};
use phare_interchange as ix;
use phare_store::IdeaFilter;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// true: check the file and show what would be imported, store nothing.
    #[serde(default)]
    dry_run: bool,
    /// Source of feedback rows whose file names none (default `other`).
    source: Option<dto::SourceKind>,
    /// The mapping confirmed after a dry run, as the JSON the dry run returned in `mapping`;
    /// detected from the file when absent.
    mapping: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// csv (default), xlsx or json.
    format: Option<dto::ExportFormat>,
    /// CSV separator: comma (default) or semicolon (what French spreadsheets expect).
    delimiter: Option<dto::CsvDelimiter>,
}

fn plan(p: ImportPlan) -> dto::ImportPlan {
    dto::ImportPlan {
        mapping: serde_json::to_value(&p.mapping).unwrap_or_default(),
        preset: serde_json::to_value(p.mapping.preset)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        kind: match p.mapping.kind {
            ix::ItemKind::Feedback => "feedback".into(),
            ix::ItemKind::Idea => "idea".into(),
        },
        headers: p.headers,
        total_rows: p.total_rows as u64,
        sample: p
            .sample
            .into_iter()
            .map(|i| dto::ImportSampleRow {
                line: i.line as u64,
                title: i.title,
                text: i.body.chars().take(300).collect(),
                status: i.status,
                source: i.source,
                customer: i.customer,
                external_id: i.external_id,
            })
            .collect(),
        total_problems: p.total_problems as u64,
        problems: p.problems.into_iter().map(problem).collect(),
    }
}

fn problem(p: ix::Problem) -> dto::ImportProblem {
    dto::ImportProblem {
        line: p.line as u64,
        column: p.column,
        code: p.code.to_owned(),
        detail: p.detail,
    }
}

/// A refused import as a 422 problem naming each line and column.
fn refused(p: ImportPlan) -> ApiError {
    let mut e = ApiError::new(ErrorCode::Validation);
    for pr in p.problems {
        let place = match &pr.column {
            Some(c) => format!("line {} · {c}", pr.line),
            None => format!("line {}", pr.line),
        };
        e = e.field(place, pr.code);
    }
    e
}

#[utoipa::path(
    post, path = "/products/{id}/imports", tag = "imports", operation_id = "imports_create",
    summary = "Import feedback or ideas from a file",
    description = "The body is the file: CSV (`,` `;` or tab) or JSON, from Jira, Linear, \
        GitHub, Trello, Canny, Productboard, or Phare's own export; the format is detected from \
        the header. With `dry_run=true` nothing is stored and the answer shows the mapping, a \
        sample and every problem by line and column. Otherwise every row is imported in one \
        transaction or none is (422 naming the lines); rows already imported from the same \
        tool (same external id) are updated. Product managers only; at most 100,000 rows.",
    params(("id" = uuid::Uuid, Path, description = "Product id"), ImportQuery),
    // Any bytes are a file to check: the schema is deliberately "anything", and the dry run
    // reports what is wrong with them.
    request_body(content = serde_json::Value, content_type = "text/csv",
        description = "The file: CSV or JSON, UTF-8"),
    responses(
        (status = 200, description = "The dry run", body = dto::ImportPlan),
        (status = 201, description = "Imported", body = dto::ImportResult))
)]
pub async fn import(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    axum::extract::Query(q): axum::extract::Query<ImportQuery>,
    FileBody(body): FileBody,
) -> ApiResult<Response> {
    let mapping = match q.mapping.as_deref() {
        None | Some("") => None,
        Some(m) => Some(
            serde_json::from_str::<ix::Mapping>(m)
                .map_err(|_| ApiError::bad_request().field("mapping", "invalid_value"))?,
        ),
    };
    let req = ImportRequest {
        product,
        bytes: body,
        mapping,
        default_source: q.source.map(Into::into).unwrap_or(SourceKind::Other),
    };
    if q.dry_run {
        let p = state.phare.import_preview(&c.actor, &c.meta, &req).await?;
        return Ok(reply::json(StatusCode::OK, &plan(p)));
    }
    match state.phare.import_commit(&c.actor, &c.meta, &req).await? {
        ImportOutcome::Done(n) => Ok(reply::json(
            StatusCode::CREATED,
            &dto::ImportResult {
                created: n.created,
                updated: n.updated,
            },
        )),
        ImportOutcome::Refused(p) => Err(refused(p)),
    }
}

fn format(q: &ExportQuery) -> ExportFormat {
    match q.format.unwrap_or(dto::ExportFormat::Csv) {
        dto::ExportFormat::Csv => ExportFormat::Csv(match q.delimiter {
            Some(dto::CsvDelimiter::Semicolon) => ix::Delimiter::Semicolon,
            _ => ix::Delimiter::Comma,
        }),
        dto::ExportFormat::Xlsx => ExportFormat::Xlsx,
        dto::ExportFormat::Json => ExportFormat::Json,
    }
}

/// A file download.
pub fn file(bytes: Vec<u8>, format: ExportFormat, name: &str) -> Response {
    let (mime, ext) = match format {
        ExportFormat::Csv(_) => ("text/csv; charset=utf-8", "csv"),
        ExportFormat::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        ExportFormat::Json => ("application/json", "json"),
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

#[utoipa::path(
    get, path = "/feedback/export", tag = "imports", operation_id = "feedback_export",
    summary = "Export feedback",
    description = "The inbox filters apply. CSV is UTF-8 with a BOM, CRLF, and cells that a \
        spreadsheet would run as formulas are prefixed with `'`; JSON is the versioned \
        `phare-export` envelope with the records as the API returns them.",
    params(ExportQuery, FeedbackQuery),
    responses((status = 200, description = "The file", content_type = "text/csv", body = String))
)]
pub async fn export_feedback(
    State(state): State<AppState>,
    c: Caller,
    axum::extract::Query(q): axum::extract::Query<ExportQuery>,
    super::extract::ApiQuery(f): super::extract::ApiQuery<FeedbackQuery>,
) -> ApiResult<Response> {
    let filter = f.filter(None)?;
    let fmt = format(&q);
    let bytes = state
        .phare
        .export_feedback(&c.actor, &c.meta, &filter, fmt)
        .await?;
    Ok(file(bytes, fmt, "feedback"))
}

#[utoipa::path(
    get, path = "/products/{id}/ideas/export", tag = "imports", operation_id = "ideas_export",
    summary = "Export a product's ideas",
    params(("id" = uuid::Uuid, Path, description = "Product id"), ExportQuery),
    responses((status = 200, description = "The file", content_type = "text/csv", body = String))
)]
pub async fn export_ideas(
    State(state): State<AppState>,
    c: Caller,
    Id(product): Id<ProductId>,
    axum::extract::Query(q): axum::extract::Query<ExportQuery>,
) -> ApiResult<Response> {
    let p = state.phare.get_product(&c.actor, &c.meta, product).await?;
    let fmt = format(&q);
    let filter = IdeaFilter {
        product: Some(product),
        ..Default::default()
    };
    let bytes = state
        .phare
        .export_ideas(&c.actor, &c.meta, &filter, fmt)
        .await?;
    Ok(file(bytes, fmt, &format!("ideas-{}", p.key)))
}
