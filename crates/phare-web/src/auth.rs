//! Who is asking, from where, in which language. Extractors shared by pages and API:
//! the actor comes from a bearer token (API, CLI) or the session cookie (browser), is resolved
//! once per request and cached in the request's extensions.

use crate::i18n::L10n;
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use phare_core::{Actor, CoreError, RequestMeta};
use phare_domain::Locale;
use std::net::{IpAddr, SocketAddr};

pub const LANG_COOKIE: &str = "phare_lang";

/// The session cookie's name: with `__Host-` under TLS, so no subdomain can plant one.
pub fn session_cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies() {
        "__Host-phare_session"
    } else {
        "phare_session"
    }
}

/// The value of a cookie in the request, if present.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The `Set-Cookie` value for a session, with the flags DESIGN §3 requires.
pub fn session_cookie(state: &AppState, value: &str, max_age_secs: i64) -> String {
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}",
        session_cookie_name(state)
    )
}

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The client's address: the peer, or the last untrusted hop of `X-Forwarded-For` when the
/// peer is a trusted proxy. A spoofed header from anyone else changes nothing.
pub fn client_ip(parts: &Parts, state: &AppState) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let Some(peer) = peer else {
        return "unknown".into();
    };
    if !state.config.trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    let forwarded = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    forwarded
        .split(',')
        .rev()
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .find(|ip| !state.config.trusted_proxies.contains(ip))
        .unwrap_or(peer)
        .to_string()
}

/// Request id and client address, for the audit trail.
pub struct Meta(pub RequestMeta);

impl FromRequestParts<AppState> for Meta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let request_id = parts
            .extensions
            .get::<crate::guard::RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        Ok(Meta(RequestMeta {
            request_id,
            source_ip: client_ip(parts, state),
        }))
    }
}

#[derive(Clone)]
struct Resolved(Option<Actor>);

/// The actor, if any: bearer token first, then the session cookie. A bad or dead credential
/// is simply no actor. Cached in the request extensions.
pub async fn resolve(parts: &mut Parts, state: &AppState) -> Result<Option<Actor>, CoreError> {
    if let Some(r) = parts.extensions.get::<Resolved>() {
        return Ok(r.0.clone());
    }
    let actor = if let Some(token) = bearer(&parts.headers) {
        state.phare.resolve_token(token).await?
    } else if let Some(sid) = cookie(&parts.headers, session_cookie_name(state)) {
        state.phare.resolve_session(sid).await?
    } else {
        None
    };
    parts.extensions.insert(Resolved(actor.clone()));
    Ok(actor)
}

/// The language of this request: the member's setting, then the language cookie, then the
/// browser's Accept-Language, then English.
pub struct Lang(pub L10n);

impl FromRequestParts<AppState> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let actor = resolve(parts, state).await.ok().flatten();
        Ok(Lang(L10n::new(pick_locale(&parts.headers, actor.as_ref()))))
    }
}

pub fn pick_locale(headers: &HeaderMap, actor: Option<&Actor>) -> Locale {
    if let Some(l) = actor.and_then(|a| a.member.locale) {
        return l;
    }
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(Locale::parse) {
        return l;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::from_accept_language)
        .unwrap_or(Locale::En)
}

/// The actor if there is one; pages open to everyone (login, language switch) use it.
pub struct MaybeActor(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeActor(resolve(parts, state).await.ok().flatten()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cookies_and_bearer_tokens_are_read_from_headers() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; phare_session=xyz; phare_lang=fr"),
        );
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer phare_abc"),
        );
        assert_eq!(cookie(&h, "phare_session"), Some("xyz"));
        assert_eq!(cookie(&h, "nope"), None);
        assert_eq!(bearer(&h), Some("phare_abc"));
        assert_eq!(pick_locale(&h, None), Locale::Fr);
    }
}
