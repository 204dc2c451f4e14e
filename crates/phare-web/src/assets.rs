//! Static assets embedded in the binary (no CDN, nothing fetched at run time). Each URL carries
//! a content hash so browsers may cache it for a year and still see a new version at once.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../assets/app.css"),
    },
    Asset {
        name: "portal.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../assets/portal.css"),
    },
    Asset {
        name: "htmx.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/htmx.min.js"),
    },
    Asset {
        name: "inbox.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/inbox.js"),
    },
    Asset {
        name: "feedback.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/feedback.js"),
    },
    Asset {
        name: "research.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/research.js"),
    },
    // scoring slice (issue #4)
    Asset {
        name: "sortable.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/sortable.min.js"),
    },
    Asset {
        name: "backlog.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/backlog.js"),
    },
    // Stakeholder sessions.
    Asset {
        name: "stakeholders.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../assets/stakeholders.css"),
    },
    Asset {
        name: "stakeholders.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/stakeholders.js"),
    },
    Asset {
        name: "favicon.svg",
        mime: "image/svg+xml",
        body: include_bytes!("../assets/favicon.svg"),
    },
    Asset {
        name: "logo.svg",
        mime: "image/svg+xml",
        body: include_bytes!("../assets/logo.svg"),
    },
];

fn hashes() -> &'static Vec<(&'static str, String)> {
    static H: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    H.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| (a.name, hex::encode(&Sha256::digest(a.body)[..6])))
            .collect()
    })
}

/// `/assets/app.css?v=<hash>`: the URL templates use.
pub fn url(name: &str) -> String {
    let v = hashes()
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, h)| h.as_str())
        .unwrap_or("0");
    format!("/assets/{name}?v={v}")
}

async fn serve(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => {
            let mut res = a.body.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.mime));
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            res
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub fn router() -> Router<crate::AppState> {
    Router::new().route("/assets/{name}", get(serve))
}

#[cfg(test)]
mod tests {
    use super::ASSETS;

    /// Every style sheet closes what it opens. A rule left open (a merge that drops a closing
    /// line does it) silently nests every later rule under it: browsers that know CSS nesting
    /// then apply none of them where they belong.
    #[test]
    fn style_sheets_close_every_block() {
        for a in ASSETS.iter().filter(|a| a.name.ends_with(".css")) {
            let text = std::str::from_utf8(a.body).unwrap();
            let mut depth = 0i32;
            let mut rest = text;
            while let Some(i) = rest.find(['{', '}', '/']) {
                let (c, after) = (rest.as_bytes()[i], &rest[i + 1..]);
                rest = match c {
                    b'/' if after.starts_with('*') => {
                        let end = after
                            .find("*/")
                            .unwrap_or_else(|| panic!("{}: open comment", a.name));
                        &after[end + 2..]
                    }
                    b'{' => {
                        depth += 1;
                        after
                    }
                    b'}' => {
                        depth -= 1;
                        assert!(depth >= 0, "{}: a `}}` closes nothing", a.name);
                        after
                    }
                    _ => after,
                };
            }
            assert_eq!(depth, 0, "{}: {depth} block(s) left open", a.name);
        }
    }
}
