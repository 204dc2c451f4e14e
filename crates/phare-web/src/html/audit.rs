//! The audit trail for admins: filter by action, actor, outcome and dates; newest first.

use super::{render, Ctx, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone, Utc};
use phare_store::{AuditEvent, AuditFilter, Cursor, PageRequest};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: Ctx,
    events: Vec<AuditEvent>,
    q: AuditQuery,
    next: Option<String>,
}

impl AuditPage {
    fn outcome_badge(&self, e: &AuditEvent) -> &'static str {
        match e.outcome.as_str() {
            "success" => "badge-ok",
            "denied" => "badge-danger",
            _ => "badge-warn",
        }
    }
    fn detail(&self, e: &AuditEvent) -> String {
        match &e.detail {
            serde_json::Value::Object(m) if m.is_empty() => String::new(),
            v => v.to_string(),
        }
    }
}

fn day(s: &str, end: bool) -> Option<chrono::DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    let t = if end {
        d.and_hms_micro_opt(23, 59, 59, 999_999)?
    } else {
        d.and_hms_opt(0, 0, 0)?
    };
    Utc.from_local_datetime(&t).single()
}

pub async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let filter = AuditFilter {
        action_prefix: Some(q.action.trim().to_owned()).filter(|s| !s.is_empty()),
        actor_id: None,
        outcome: Some(q.outcome.clone())
            .filter(|s| matches!(s.as_str(), "success" | "denied" | "failure")),
        since: day(&q.since, false),
        until: day(&q.until, true),
    };
    let page = state
        .phare
        .list_audit(
            &ctx.actor,
            &meta,
            &filter,
            &PageRequest::new(Cursor::decode(&q.after), Some(50)),
        )
        .await
        .page(l)?;
    let next = page.next_cursor.map(|c| {
        let query = serde_urlencoded::to_string([
            ("action", q.action.as_str()),
            ("outcome", q.outcome.as_str()),
            ("since", q.since.as_str()),
            ("until", q.until.as_str()),
            ("after", c.encode().as_str()),
        ])
        .unwrap_or_default();
        format!("/audit?{query}")
    });
    render(
        &AuditPage {
            ctx,
            events: page.items,
            q,
            next,
        },
        l,
    )
}
