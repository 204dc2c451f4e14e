//! The public portal's pages under `/p/{workspace}/{product}` (browse, vote, comment, submit,
//! sign in with a one-time code) and the team's pages that run it (settings and moderation
//! queue, moderation of one idea, the outbox). Server-rendered, no script: every action is a
//! form that posts and redirects, so a keyboard and any browser are enough.
//!
//! Public pages never see an `Actor`: the visitor is a portal user from the portal's own cookie,
//! separate from the team's session cookie. A product whose portal is off, an idea that is not
//! published, another workspace's product key: all are the same 404.

mod mail;
mod public;
// specs (issue 4)
mod specs;
mod team;

pub use mail::{compose, Composed};

use crate::auth;
use crate::error::WebError;
use crate::i18n::L10n;
use crate::AppState;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use phare_core::PortalVisitor;
use phare_domain::{markdown, ErrorCode, Locale};
use phare_store::PublicPortal;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        // The public portal.
        .route("/p/{workspace}/{product}", get(public::list))
        .route("/p/{workspace}/{product}/ideas/{number}", get(public::idea))
        // specs (issue 4)
        .route(
            "/p/{workspace}/{product}/ideas/{number}/doc",
            get(specs::doc),
        )
        .route(
            "/p/{workspace}/{product}/ideas/{number}/vote",
            post(public::vote),
        )
        .route(
            "/p/{workspace}/{product}/ideas/{number}/unvote",
            post(public::unvote),
        )
        .route(
            "/p/{workspace}/{product}/ideas/{number}/comments",
            post(public::comment),
        )
        .route(
            "/p/{workspace}/{product}/ideas/{number}/subscribe",
            post(public::subscribe),
        )
        .route(
            "/p/{workspace}/{product}/ideas/{number}/unsubscribe",
            post(public::unsubscribe),
        )
        .route(
            "/p/{workspace}/{product}/submit",
            get(public::submit_form).post(public::submit),
        )
        .route(
            "/p/{workspace}/{product}/sign-in",
            get(public::sign_in_form).post(public::sign_in),
        )
        .route(
            "/p/{workspace}/{product}/sign-in/code",
            post(public::verify_code),
        )
        .route("/p/{workspace}/{product}/sign-out", post(public::sign_out))
        .route("/p/{workspace}/{product}/language", post(public::language))
        // The team's side.
        .route(
            "/products/{id}/portal",
            get(team::settings).post(team::settings_submit),
        )
        .route(
            "/ideas/{id}/portal",
            get(team::idea).post(team::idea_submit),
        )
        .route("/ideas/{id}/portal/comments", post(team::reply))
        .route("/ideas/{id}/portal/merge", post(team::merge))
        .route("/portal-comments/{id}/visibility", post(team::visibility))
        .route("/outbox", get(team::outbox))
}

/// The portal cookie's name: with `__Host-` under TLS, so no subdomain can plant one. It is not
/// the team's session cookie: a member browsing a portal is an anonymous visitor there.
pub fn portal_cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies() {
        "__Host-phare_portal"
    } else {
        "phare_portal"
    }
}

fn portal_cookie(state: &AppState, value: &str, max_age_secs: i64) -> String {
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}",
        portal_cookie_name(state)
    )
}

/// The language of a portal page: the visitor's choice (the language cookie), then the
/// browser's, then the workspace's default.
fn portal_locale(parts: &Parts, fallback: Locale) -> Locale {
    if let Some(l) = auth::cookie(&parts.headers, auth::LANG_COOKIE).and_then(Locale::parse) {
        return l;
    }
    parts
        .headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::from_accept_language)
        .unwrap_or(fallback)
}

/// Everything a public page knows: the portal, the visitor (if signed in), the language, and
/// where the page is.
pub struct Visit {
    pub l: L10n,
    pub portal: PublicPortal,
    pub visitor: Option<PortalVisitor>,
    /// `/p/{workspace}/{product}`
    pub base: String,
    /// This page's path and query, for the language switch.
    pub path: String,
}

impl FromRequestParts<AppState> for Visit {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let fallback = L10n::new(portal_locale(parts, Locale::En));
        let not_found = || WebError::code(ErrorCode::NotFound, fallback).into_response();
        let Ok(Path(params)) =
            Path::<HashMap<String, String>>::from_request_parts(parts, state).await
        else {
            return Err(not_found());
        };
        let (Some(slug), Some(key)) = (params.get("workspace"), params.get("product")) else {
            return Err(not_found());
        };
        let portal = match state.phare.open_portal(slug, key).await {
            Ok(p) => p,
            Err(e) => return Err(WebError::new(e, fallback).into_response()),
        };
        let l = L10n::new(portal_locale(parts, portal.workspace.default_locale));
        let visitor = match auth::cookie(&parts.headers, portal_cookie_name(state)) {
            Some(sid) => state
                .phare
                .resolve_portal_visitor(&portal, sid)
                .await
                .map_err(|e| WebError::new(e, l).into_response())?,
            None => None,
        };
        let base = phare_core::portal_path(&portal);
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| base.clone());
        Ok(Visit {
            l,
            portal,
            visitor,
            base,
            path,
        })
    }
}

impl Visit {
    /// The portal's heading: its own title, or the product's name.
    pub fn title(&self) -> String {
        let t = self.portal.portal.title.trim();
        if t.is_empty() {
            self.portal.product.name.clone()
        } else {
            t.to_owned()
        }
    }
    pub fn intro_html(&self) -> String {
        markdown::render(&self.portal.portal.intro)
    }
    pub fn workspace_name(&self) -> &str {
        &self.portal.workspace.name
    }
    pub fn signed_in(&self) -> bool {
        self.visitor.is_some()
    }
    /// The visitor's name, or their address when they gave none.
    pub fn visitor_name(&self) -> String {
        match &self.visitor {
            Some(v) if !v.user.display_name.is_empty() => v.user.display_name.clone(),
            Some(v) => v.user.email.clone(),
            None => String::new(),
        }
    }
    pub fn css(&self) -> String {
        crate::assets::url("app.css")
    }
    pub fn portal_css(&self) -> String {
        crate::assets::url("portal.css")
    }
    pub fn favicon(&self) -> String {
        crate::assets::url("favicon.svg")
    }
    /// The public word for an idea's status.
    pub fn status_label(&self, s: impl std::fmt::Display) -> String {
        self.l.tv("portal-status", s)
    }
    /// The sign-in page, coming back here afterwards.
    pub fn sign_in_href(&self) -> String {
        let next = serde_urlencoded::to_string([("next", self.path.as_str())]).unwrap_or_default();
        format!("{}/sign-in?{next}", self.base)
    }
    /// A path of this portal that a form may send the visitor back to; anything else is the
    /// portal's home (never an open redirect).
    pub fn safe_back(&self, back: &str) -> String {
        let inside = back == self.base
            || back.starts_with(&format!("{}/", self.base))
            || back.starts_with(&format!("{}?", self.base));
        if inside && !back.contains("//") && !back.contains('\\') {
            back.to_owned()
        } else {
            self.base.clone()
        }
    }
}
