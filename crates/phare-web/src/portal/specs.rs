//! The public documentation page of a shipped idea on its portal
//! (`/p/{workspace}/{product}/ideas/{number}/doc`). Only the page's Markdown (through the one
//! sanitizer) and the idea's public title are shown; the spec, the story and every other
//! internal field stay inside. Anything not public is the portal's 404.

use super::Visit;
use crate::error::{PageResult, WebError};
use crate::html::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use phare_core::PortalIdeaLookup;
use phare_domain::{markdown, ErrorCode};
use phare_store::{FeatureDoc, PortalIdea};
use std::collections::HashMap;

/// The address of the idea's public documentation page, when it has one to show.
pub async fn doc_url(state: &AppState, v: &Visit, idea: &PortalIdea) -> Option<String> {
    match state.phare.portal_feature_doc(&v.portal, idea).await {
        Ok(Some(_)) => Some(format!("{}/ideas/{}/doc", v.base, idea.number)),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "specs_portal_doc.html")]
struct DocPage {
    v: Visit,
    idea: PortalIdea,
    doc: FeatureDoc,
    html: String,
}

impl DocPage {
    fn title(&self) -> String {
        self.v.l.t1("portal-doc-title", "title", &self.idea.title)
    }
}

pub async fn doc(
    State(state): State<AppState>,
    v: Visit,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let l = v.l;
    let number = params
        .get("number")
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| WebError::code(ErrorCode::NotFound, l))?;
    let idea = match state.phare.portal_idea(&v.portal, number).await.page(l)? {
        PortalIdeaLookup::Found(i) => i,
        PortalIdeaLookup::MergedInto(n) => {
            return Ok(Redirect::permanent(&format!("{}/ideas/{n}/doc", v.base)).into_response())
        }
    };
    let doc = state
        .phare
        .portal_feature_doc(&v.portal, &idea)
        .await
        .page(l)?
        .ok_or_else(|| WebError::code(ErrorCode::NotFound, l))?;
    let html = markdown::render(&doc.body);
    render(&DocPage { v, idea, doc, html }, l)
}
