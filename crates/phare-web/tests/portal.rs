#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The public portal, driven in process like `api.rs`: the whole application router on a fresh
//! SQLite file, with browser-like requests (cookies, same-origin forms).
//!
//! Promises checked here (shared/RELIABILITY.md): R1 for visitors (only published ideas of an
//! enabled portal exist; another workspace's product is 404; internal fields never shown),
//! R9 (a curated list of XSS payloads through every portal text field, rendered on every page
//! and in every e-mail, stays harmless), R11 (portal forms refuse cross-site posts), and the
//! portal's rules: one-time codes, the separate cookie, the honeypot, votes and follows.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use phare_core::{
    Actor, CoreConfig, Credential, IdeaInput, Phare, PortalIdeaInput, PortalSettingsInput,
    ProductInput, RequestMeta,
};
use phare_domain::{IdeaStatus, PortalState, Role};
use phare_sqlite::SqliteStore;
use phare_store::{Member, NewSession, PageRequest, PortalStore, Store};
use phare_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

const BASE: &str = "http://phare.test";
const PASSWORD: &str = "lighthouse-keeper-42";

struct World {
    router: Router,
    phare: Phare,
    store: Arc<SqliteStore>,
    _dir: tempfile::TempDir,
}

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    fn location(&self) -> String {
        self.header("location").unwrap_or("").to_owned()
    }
    /// The `name=value` of the cookie this answer sets under `name`.
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(|c| c.split(';').next().unwrap_or("").to_owned())
    }
}

fn meta() -> RequestMeta {
    RequestMeta {
        request_id: "test".into(),
        source_ip: "127.0.0.1".into(),
    }
}

fn op(m: &Member) -> Actor {
    Actor {
        member: m.clone(),
        credential: Credential::Operator,
    }
}

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

impl World {
    async fn new() -> World {
        let dir = match std::fs::metadata("/dev/shm") {
            Ok(m) if m.is_dir() => tempfile::tempdir_in("/dev/shm").unwrap(),
            _ => tempfile::tempdir().unwrap(),
        };
        let url = format!("sqlite://{}", dir.path().join("phare.db").display());
        let store = Arc::new(SqliteStore::connect(&url).await.unwrap());
        store.migrate().await.unwrap();
        let phare = Phare::new(store.clone(), CoreConfig::default());
        let state = AppState::new(
            phare.clone(),
            WebConfig {
                base_url: BASE.into(),
                metrics_token: None,
                trusted_proxies: vec![],
                body_limit: 64 * 1024,
                import_limit: 1024 * 1024,
            },
        );
        World {
            router: phare_web::router(state),
            phare,
            store,
            _dir: dir,
        }
    }

    async fn member(&self, ws: &str, email: &str, role: Role) -> Member {
        self.phare
            .operator_create_user(&meta(), email, "Ada Lovelace", role, PASSWORD, Some(ws))
            .await
            .unwrap()
    }

    async fn session(&self, m: &Member) -> String {
        let sid = format!("team-{}", m.id);
        let t = phare_store::now();
        self.store
            .create_session(NewSession {
                id_hash: phare_core::secret::hash(&sid),
                member_id: m.id,
                now: t,
                expires_at: t + chrono::Duration::hours(1),
            })
            .await
            .unwrap();
        format!("phare_session={sid}")
    }

    async fn send(&self, method: Method, path: &str, cookie: &str, body: Option<String>) -> Resp {
        self.send_with(method, path, cookie, body, &[]).await
    }

    /// A browser request: same-origin for unsafe methods unless `headers` say otherwise.
    async fn send_with(
        &self,
        method: Method,
        path: &str,
        cookie: &str,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut b = Request::builder().method(method.clone()).uri(path);
        if !cookie.is_empty() {
            b = b.header(header::COOKIE, cookie);
        }
        let cross = headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("origin"));
        if method != Method::GET && !cross {
            b = b
                .header(header::ORIGIN, BASE)
                .header("sec-fetch-site", "same-origin");
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let body = match body {
            Some(f) => {
                b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(f)
            }
            None => Body::empty(),
        };
        let mut req = b.body(body).unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str, cookie: &str) -> Resp {
        self.send(Method::GET, path, cookie, None).await
    }

    async fn post(&self, path: &str, cookie: &str, body: &str) -> Resp {
        self.send(Method::POST, path, cookie, Some(body.to_owned()))
            .await
    }

    /// Signs in on a portal with the code from the outbox; returns the portal cookie pair.
    async fn portal_sign_in(&self, base: &str, email: &str, name: &str) -> String {
        let r = self
            .post(
                &format!("{base}/sign-in"),
                "",
                &form(&[("email", email), ("display_name", name), ("next", base)]),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let code = self.last_code(email).await;
        let r = self
            .post(
                &format!("{base}/sign-in/code"),
                "",
                &form(&[("email", email), ("code", &code), ("next", base)]),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r.cookie("phare_portal").expect("a portal cookie")
    }

    async fn last_code(&self, email: &str) -> String {
        let admin_ws = self.store.list_workspaces().await.unwrap();
        for ws in admin_ws {
            let mails = self
                .store
                .list_outbox(ws.id, &PageRequest::first(200))
                .await
                .unwrap();
            if let Some(m) = mails
                .items
                .iter()
                .find(|m| m.to_email == email && m.payload.get("code").is_some())
            {
                return m.payload["code"].as_str().unwrap().to_owned();
            }
        }
        panic!("no code for {email}");
    }
}

/// A workspace with a PM, a product whose portal is on, and one published idea.
struct Scene {
    pm: Member,
    team: String,
    product: phare_store::Product,
    base: String,
    idea: phare_store::Idea,
}

async fn scene(w: &World, ws: &str, key: &str) -> Scene {
    let pm = w
        .member(
            ws,
            &format!("pm@{}.test", ws.to_lowercase()),
            Role::ProductManager,
        )
        .await;
    let team = w.session(&pm).await;
    let product = w
        .phare
        .create_product(
            &op(&pm),
            &meta(),
            ProductInput {
                name: Some(format!("Product {key}")),
                key: Some(key.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    w.phare
        .configure_portal(
            &op(&pm),
            &meta(),
            product.id,
            0,
            PortalSettingsInput {
                enabled: Some(true),
                title: Some(format!("Ideas for {key}")),
                intro: Some("Tell us what you need.".into()),
            },
        )
        .await
        .unwrap();
    let idea = w
        .phare
        .create_idea(
            &op(&pm),
            &meta(),
            IdeaInput {
                product_id: Some(product.id),
                title: Some("Export invoices as PDF".into()),
                as_a: Some("secret persona accountant".into()),
                i_want: Some("internal wish text".into()),
                so_that: Some("internal benefit text".into()),
                description: Some("internal description text".into()),
                tags: Some(vec!["internal-tag".into()]),
                status: Some(IdeaStatus::UnderConsideration),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    w.phare
        .moderate_portal_idea(
            &op(&pm),
            &meta(),
            idea.id,
            1,
            PortalIdeaInput {
                state: Some(PortalState::Published),
                title: None,
                description: Some("You will get **PDF** invoices.".into()),
            },
        )
        .await
        .unwrap();
    let ws = w.store.get_workspace(pm.workspace_id).await.unwrap();
    Scene {
        base: format!("/p/{}/{key}", ws.slug),
        pm,
        team,
        product,
        idea,
    }
}

// --- R1 for visitors --------------------------------------------------------------------------

#[tokio::test]
async fn a_visitor_sees_only_published_ideas_of_an_enabled_portal() {
    let w = World::new().await;
    let s = scene(&w, "Atelier", "CHK").await;
    let other = scene(&w, "Bureau", "PAY").await;
    let list = w.get(&s.base, "").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Export invoices as PDF"));
    assert!(list.body.contains("Ideas for CHK"));
    // Internal fields never reach a public page.
    let page = w
        .get(&format!("{}/ideas/{}", s.base, s.idea.number), "")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for internal in [
        "secret persona",
        "internal wish",
        "internal benefit",
        "internal description",
        "internal-tag",
        &s.idea.reference,
        "Ada Lovelace",
    ] {
        assert!(!page.body.contains(internal), "{internal} is shown");
        assert!(!list.body.contains(internal), "{internal} is listed");
    }
    assert!(
        page.body.contains("<strong>PDF</strong>"),
        "the public text is Markdown"
    );
    // A private idea is 404, as is an unknown number.
    let private = w
        .phare
        .create_idea(
            &op(&s.pm),
            &meta(),
            IdeaInput {
                product_id: Some(s.product.id),
                title: Some("Not public".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    for path in [
        format!("{}/ideas/{}", s.base, private.number),
        format!("{}/ideas/9999", s.base),
        format!("{}/ideas/abc", s.base),
        // Another workspace's product key under this workspace, and the reverse.
        format!("{}/PAY", s.base.rsplit_once('/').unwrap().0),
        format!("{}/CHK", other.base.rsplit_once('/').unwrap().0),
        "/p/nowhere/CHK".to_owned(),
    ] {
        assert_eq!(
            w.get(&path, "").await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert!(!list.body.contains("Not public"));
    // A portal turned off is 404 whole, and its ideas too.
    w.phare
        .configure_portal(
            &op(&s.pm),
            &meta(),
            s.product.id,
            1,
            PortalSettingsInput {
                enabled: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(w.get(&s.base, "").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.get(&format!("{}/ideas/{}", s.base, s.idea.number), "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

// --- signing in, the cookie, votes, follows, the honeypot ---------------------------------------

#[tokio::test]
async fn a_visitor_signs_in_with_a_code_votes_once_and_follows() {
    let w = World::new().await;
    let s = scene(&w, "Atelier", "CHK").await;
    let idea_path = format!("{}/ideas/{}", s.base, s.idea.number);
    // Anonymous: voting sends to the sign-in page, and changes nothing.
    let r = w
        .post(
            &format!("{idea_path}/vote"),
            "",
            &form(&[("back", &idea_path)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r
        .location()
        .starts_with(&format!("{}/sign-in?next=", s.base)));
    // A wrong code is refused and counted; the right one signs in.
    w.post(
        &format!("{}/sign-in", s.base),
        "",
        &form(&[("email", "Lea@Example.org"), ("display_name", "Léa")]),
    )
    .await;
    let wrong = w
        .post(
            &format!("{}/sign-in/code", s.base),
            "",
            &form(&[("email", "lea@example.org"), ("code", "000000")]),
        )
        .await;
    let right = w.last_code("lea@example.org").await;
    if right != "000000" {
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("aria-invalid=\"true\""));
    }
    let ok = w
        .post(
            &format!("{}/sign-in/code", s.base),
            "",
            &form(&[("email", "lea@example.org"), ("code", &right)]),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let set = ok
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("phare_portal="))
        .unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    assert!(
        ok.cookie("phare_session").is_none(),
        "the team's session cookie is untouched"
    );
    let cookie = ok.cookie("phare_portal").unwrap();
    // The code is spent.
    let again = w
        .post(
            &format!("{}/sign-in/code", s.base),
            "",
            &form(&[("email", "lea@example.org"), ("code", &right)]),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The portal cookie is nobody on the team's pages.
    assert_eq!(
        w.get("/profile", &cookie).await.status,
        StatusCode::SEE_OTHER
    );
    // Vote twice: one vote.
    for _ in 0..2 {
        let r = w
            .post(
                &format!("{idea_path}/vote"),
                &cookie,
                &form(&[("back", &s.base)]),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().contains(&format!("#idea-{}", s.idea.number)));
    }
    let face = w
        .phare
        .get_portal_idea(&op(&s.pm), &meta(), s.idea.id)
        .await
        .unwrap();
    assert_eq!(face.vote_count, 1);
    let list = w.get(&s.base, &cookie).await;
    assert!(
        list.body.contains("aria-pressed=\"true\""),
        "the list shows the vote"
    );
    assert!(list.body.contains("Léa"), "signed in under the chosen name");
    // The vote is in the inbox, from the portal, as evidence of the idea.
    let ev = w
        .phare
        .list_idea_evidence(&op(&s.pm), &meta(), s.idea.id)
        .await
        .unwrap();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].feedback.source, phare_domain::SourceKind::Portal);
    // Voting follows; unfollowing and unvoting work.
    assert!(w
        .store
        .is_subscribed(s.idea.id, face_user(&w, &s, "lea@example.org").await)
        .await
        .unwrap());
    w.post(&format!("{idea_path}/unsubscribe"), &cookie, "")
        .await;
    w.post(&format!("{idea_path}/unvote"), &cookie, "").await;
    let face = w
        .phare
        .get_portal_idea(&op(&s.pm), &meta(), s.idea.id)
        .await
        .unwrap();
    assert_eq!(face.vote_count, 0);
    assert_eq!(
        w.phare
            .list_idea_evidence(&op(&s.pm), &meta(), s.idea.id)
            .await
            .unwrap()
            .len(),
        1,
        "unvoting removes nothing from the inbox"
    );
    // Signing out ends the portal session.
    let out = w.post(&format!("{}/sign-out", s.base), &cookie, "").await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let r = w
        .post(
            &format!("{idea_path}/vote"),
            &cookie,
            &form(&[("back", &s.base)]),
        )
        .await;
    assert!(r.location().contains("/sign-in"));
}

async fn face_user(w: &World, s: &Scene, email: &str) -> phare_domain::PortalUserId {
    let subs = w
        .store
        .list_subscribers(s.pm.workspace_id, s.idea.id)
        .await
        .unwrap();
    subs.into_iter().find(|u| u.email == email).unwrap().id
}

#[tokio::test]
async fn a_submission_waits_for_moderation_and_the_honeypot_stores_nothing() {
    let w = World::new().await;
    let s = scene(&w, "Atelier", "CHK").await;
    let cookie = w.portal_sign_in(&s.base, "max@example.org", "Max").await;
    let r = w
        .post(
            &format!("{}/submit", s.base),
            &cookie,
            &form(&[
                ("title", "Dark mode"),
                ("description", "At night"),
                ("website", ""),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let pending = w
        .phare
        .list_portal_ideas(
            &op(&s.pm),
            &meta(),
            s.product.id,
            &phare_store::PortalIdeaFilter {
                states: vec![PortalState::Pending],
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(pending.items.len(), 1);
    assert!(
        !w.get(&s.base, "").await.body.contains("Dark mode"),
        "held for moderation"
    );
    // A robot fills the hidden field: the same answer, nothing stored.
    let r = w
        .post(
            &format!("{}/submit", s.base),
            &cookie,
            &form(&[
                ("title", "Cheap pills"),
                ("description", "x"),
                ("website", "http://spam"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let ideas = w
        .phare
        .list_ideas(
            &op(&s.pm),
            &meta(),
            &phare_store::IdeaFilter {
                product: Some(s.product.id),
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(!ideas.items.iter().any(|i| i.title == "Cheap pills"));
    // An empty title is a translated field error, nothing stored.
    let r = w
        .post(
            &format!("{}/submit", s.base),
            &cookie,
            &form(&[("title", "  ")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("role=\"alert\""));
}

#[tokio::test]
async fn portal_forms_refuse_cross_site_posts() {
    let w = World::new().await;
    let s = scene(&w, "Atelier", "CHK").await;
    let cookie = w.portal_sign_in(&s.base, "eve@example.org", "").await;
    let idea_path = format!("{}/ideas/{}", s.base, s.idea.number);
    for (path, body) in [
        (format!("{idea_path}/vote"), String::new()),
        (format!("{idea_path}/comments"), form(&[("body", "forged")])),
        (format!("{}/submit", s.base), form(&[("title", "forged")])),
        (
            format!("{}/sign-in", s.base),
            form(&[("email", "x@example.org")]),
        ),
        (format!("{}/sign-out", s.base), String::new()),
    ] {
        for headers in [
            vec![("origin", "http://evil.test")],
            vec![("origin", BASE), ("sec-fetch-site", "cross-site")],
        ] {
            let r = w
                .send_with(Method::POST, &path, &cookie, Some(body.clone()), &headers)
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} {headers:?}");
        }
    }
    let face = w
        .phare
        .get_portal_idea(&op(&s.pm), &meta(), s.idea.id)
        .await
        .unwrap();
    assert_eq!((face.vote_count, face.comment_count), (0, 0));
}

#[tokio::test]
async fn a_status_change_notifies_followers_through_the_outbox() {
    let w = World::new().await;
    let s = scene(&w, "Atelier", "CHK").await;
    let cookie = w.portal_sign_in(&s.base, "sam@example.org", "Sam").await;
    let idea_path = format!("{}/ideas/{}", s.base, s.idea.number);
    w.post(&format!("{idea_path}/subscribe"), &cookie, "").await;
    let idea = w
        .phare
        .get_idea(&op(&s.pm), &meta(), s.idea.id)
        .await
        .unwrap();
    w.phare
        .update_idea(
            &op(&s.pm),
            &meta(),
            idea.id,
            idea.version,
            IdeaInput {
                status: Some(IdeaStatus::Planned),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mails = w
        .store
        .list_outbox(s.pm.workspace_id, &PageRequest::first(50))
        .await
        .unwrap();
    let note = mails
        .items
        .iter()
        .find(|m| m.kind == phare_domain::OutboxKind::StatusChanged)
        .expect("a notification");
    assert_eq!(note.to_email, "sam@example.org");
    let c = phare_web::portal::compose(note, BASE);
    assert!(c.text.contains(&format!("{BASE}{idea_path}")), "{}", c.text);
    // Admins read it on the outbox page; a product manager may not.
    let admin = w.member("Atelier", "admin@atelier.test", Role::Admin).await;
    let admin_cookie = w.session(&admin).await;
    let page = w.get("/outbox", &admin_cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("sam@example.org"));
    assert_eq!(
        w.get("/outbox", &s.team).await.status,
        StatusCode::FORBIDDEN
    );
}

// --- R9: no stored XSS through any portal text field ----------------------------------------

/// Payloads from the usual lists (OWASP, PayloadsAllTheThings), chosen to reach every parser
/// state: raw tags, attribute breakouts, Markdown links and images with script URLs, mixed
/// case and entity-encoded schemes, SVG/MathML namespace confusion.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "'><iframe src=javascript:alert(1)>",
    "\" onmouseover=\"alert(1)",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "![img](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<object data=\"data:text/html,<script>alert(1)</script>\">",
    "<style>@import 'http://evil.test/x.css';</style>",
    "javascript:alert(document.cookie)",
    "<body onload=alert(1)>",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<<script>script>alert(1)<</script>/script>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
];

/// Elements none of our pages use, so that any of them came from user text.
const FORBIDDEN_TAGS: &[&str] = &[
    "iframe", "object", "embed", "svg", "math", "style", "base", "frame", "frameset", "applet",
    "details", "marquee", "video", "audio",
];

/// Checks that `html` holds no executable markup: no `<script` but our own asset tags, no
/// forbidden element, no `on…` attribute, no `javascript:`/`vbscript:`/`data:` URL.
fn assert_harmless(html: &str, what: &str) {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut i = 0;
    let mut tags = 0;
    let mut singles: std::collections::HashMap<String, usize> = Default::default();
    while let Some(off) = lower[i..].find('<') {
        let start = i + off;
        i = start + 1;
        let rest = &lower[start + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if name.is_empty() || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        tags += 1;
        if matches!(name.as_str(), "html" | "head" | "body") {
            *singles.entry(name.clone()).or_insert(0) += 1;
        }
        // The tag runs to the first '>' outside quotes.
        let mut j = start + 1 + name.len();
        let mut quote: Option<u8> = None;
        while j < bytes.len() {
            match (quote, bytes[j]) {
                (None, b'"' | b'\'') => quote = Some(bytes[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let tag = &lower[start..j.min(lower.len())];
        if name == "script" {
            assert!(
                tag.starts_with("<script src=\"/assets/"),
                "{what}: a script element: {tag}"
            );
        } else {
            assert!(
                !FORBIDDEN_TAGS.contains(&name.as_str()),
                "{what}: a <{name}> element: {tag}"
            );
        }
        // Attributes: names, and URL values.
        let attrs = &tag[1 + name.len()..];
        let mut k = 0;
        let ab = attrs.as_bytes();
        while k < ab.len() {
            while k < ab.len() && (ab[k].is_ascii_whitespace() || ab[k] == b'/') {
                k += 1;
            }
            let n0 = k;
            while k < ab.len() && !ab[k].is_ascii_whitespace() && ab[k] != b'=' && ab[k] != b'>' {
                k += 1;
            }
            let attr = &attrs[n0..k];
            if attr.is_empty() {
                k += 1;
                continue;
            }
            assert!(
                !attr.starts_with("on"),
                "{what}: an event handler attribute {attr} in {tag}"
            );
            let mut value = "";
            if k < ab.len() && ab[k] == b'=' {
                k += 1;
                if k < ab.len() && (ab[k] == b'"' || ab[k] == b'\'') {
                    let q = ab[k];
                    let v0 = k + 1;
                    k = v0;
                    while k < ab.len() && ab[k] != q {
                        k += 1;
                    }
                    value = &attrs[v0..k.min(attrs.len())];
                    k += 1;
                } else {
                    let v0 = k;
                    while k < ab.len() && !ab[k].is_ascii_whitespace() && ab[k] != b'>' {
                        k += 1;
                    }
                    value = &attrs[v0..k];
                }
            }
            if attr == "content" {
                assert!(
                    !value.contains("javascript:"),
                    "{what}: a script URL in {tag}"
                );
            }
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "data" | "xlink:href"
            ) {
                let decoded: String = value
                    .replace("&#58;", ":")
                    .replace("&colon;", ":")
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(
                        !decoded.starts_with(scheme),
                        "{what}: a {scheme} URL in {tag}"
                    );
                }
            }
        }
    }
    assert!(tags > 3, "{what}: no HTML to check");
    // One document: a second <body> or <html> would be someone else's.
    for (name, count) in singles {
        assert!(count <= 1, "{what}: {count} <{name}> elements");
    }
}

#[tokio::test]
async fn xss_payloads_in_every_portal_field_render_harmless_everywhere() {
    let w = World::new().await;
    let s = scene(&w, "Atelier", "CHK").await;
    let admin = w.member("Atelier", "admin@atelier.test", Role::Admin).await;
    let admin_cookie = w.session(&admin).await;
    let all = PAYLOADS.join("\n\n");
    let one_line = PAYLOADS.join(" ").replace('\n', " ");
    // The team's texts: the portal's title and introduction, the idea's public face.
    w.phare
        .configure_portal(
            &op(&s.pm),
            &meta(),
            s.product.id,
            1,
            PortalSettingsInput {
                enabled: Some(true),
                title: Some(one_line.chars().take(120).collect()),
                intro: Some(all.clone()),
            },
        )
        .await
        .unwrap();
    let face = w
        .phare
        .get_portal_idea(&op(&s.pm), &meta(), s.idea.id)
        .await
        .unwrap();
    w.phare
        .moderate_portal_idea(
            &op(&s.pm),
            &meta(),
            s.idea.id,
            face.portal_version,
            PortalIdeaInput {
                state: None,
                title: Some(one_line.chars().take(200).collect()),
                description: Some(all.clone()),
            },
        )
        .await
        .unwrap();
    // The visitors' texts: a display name, a comment per payload, submissions.
    let name: String = PAYLOADS[1].chars().take(60).collect();
    let cookie = w.portal_sign_in(&s.base, "mal@example.org", &name).await;
    let idea_path = format!("{}/ideas/{}", s.base, s.idea.number);
    for p in PAYLOADS {
        let r = w
            .post(
                &format!("{idea_path}/comments"),
                &cookie,
                &form(&[("body", p)]),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{p}");
    }
    for p in PAYLOADS.iter().take(5) {
        let r = w
            .post(
                &format!("{}/submit", s.base),
                &cookie,
                &form(&[("title", &p.replace('\n', " ")), ("description", &all)]),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{p}: {}", r.body);
    }
    // The team replies with every payload too.
    w.phare
        .reply_on_portal(&op(&s.pm), &meta(), s.idea.id, &all)
        .await
        .unwrap();
    // A follower, then a status change: the notification carries the public text.
    w.post(&format!("{idea_path}/subscribe"), &cookie, "").await;
    let idea = w
        .phare
        .get_idea(&op(&s.pm), &meta(), s.idea.id)
        .await
        .unwrap();
    w.phare
        .update_idea(
            &op(&s.pm),
            &meta(),
            idea.id,
            idea.version,
            IdeaInput {
                status: Some(IdeaStatus::Planned),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // Every page that shows these texts.
    let pages = [
        (s.base.clone(), cookie.clone()),
        (s.base.clone(), String::new()),
        (idea_path.clone(), cookie.clone()),
        (idea_path.clone(), String::new()),
        (format!("{}/submit", s.base), cookie.clone()),
        (format!("/products/{}/portal", s.product.id), s.team.clone()),
        (format!("/ideas/{}/portal", s.idea.id), s.team.clone()),
        ("/outbox".to_owned(), admin_cookie.clone()),
    ];
    let pending = w
        .phare
        .list_portal_ideas(
            &op(&s.pm),
            &meta(),
            s.product.id,
            &phare_store::PortalIdeaFilter {
                states: vec![PortalState::Pending],
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(pending.items.len(), 5);
    for (path, c) in pages.into_iter().chain(
        pending
            .items
            .iter()
            .map(|i| (format!("/ideas/{}/portal", i.idea_id), s.team.clone())),
    ) {
        let r = w.get(&path, &c).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_harmless(&r.body, &path);
        assert!(
            r.body.contains("&lt;script&gt;") || r.body.contains("alert(1)"),
            "{path}: the payloads are shown (escaped), not dropped"
        );
    }
    // Every e-mail: the code's, the notification's, both parts.
    let mails = w
        .store
        .list_outbox(s.pm.workspace_id, &PageRequest::first(200))
        .await
        .unwrap();
    assert!(mails
        .items
        .iter()
        .any(|m| m.kind == phare_domain::OutboxKind::StatusChanged));
    for m in &mails.items {
        let c = phare_web::portal::compose(m, BASE);
        assert_harmless(&c.html, &format!("e-mail {}", c.subject));
        // The plain part is text/plain: the payloads are shown as typed, executable nowhere.
        if m.kind == phare_domain::OutboxKind::StatusChanged {
            assert!(c.text.contains("<script>alert(1)</script>"), "{}", c.text);
        }
        assert!(!c.subject.contains('\n'));
    }
}

/// The harmlessness check itself catches what it is meant to catch.
#[test]
fn the_checker_catches_scripts_handlers_and_script_urls() {
    let ok = "<html><head><script src=\"/assets/htmx.min.js?v=1\" defer></script></head><body><p>&lt;script&gt;</p><a href=\"/x\">x</a></body></html>";
    assert_harmless(ok, "ok");
    for bad in [
        "<html><p></p><p></p><p><script>alert(1)</script></p></html>",
        "<html><p></p><p></p><p><img src=x onerror=alert(1)></p></html>",
        "<html><p></p><p></p><p><a href=\" javascript:alert(1)\">x</a></p></html>",
        "<html><p></p><p></p><p><a href=\"javascript&#58;alert(1)\">x</a></p></html>",
        "<html><p></p><p></p><p><svg></svg></p></html>",
    ] {
        let caught = std::panic::catch_unwind(|| assert_harmless(bad, "bad")).is_err();
        assert!(caught, "{bad}");
    }
}

// --- decisions (issue #4) ------------------------------------------------------------------

#[tokio::test]
async fn a_decision_tells_followers_the_public_part_of_its_rationale() {
    let w = World::new().await;
    let s = scene(&w, "Atelier", "CHK").await;
    let cookie = w.portal_sign_in(&s.base, "sam@example.org", "Sam").await;
    let idea_path = format!("{}/ideas/{}", s.base, s.idea.number);
    w.post(&format!("{idea_path}/subscribe"), &cookie, "").await;
    w.phare
        .decide(
            &op(&s.pm),
            &meta(),
            phare_core::DecisionInput {
                kind: "decline".into(),
                idea_ids: vec![s.idea.id],
                rationale: "Internal: zanzibar-secret, the margin is too thin.".into(),
                public_rationale:
                    "Not this year: **billing** comes first. <script>alert(1)</script>".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mails = w
        .store
        .list_outbox(s.pm.workspace_id, &PageRequest::first(50))
        .await
        .unwrap();
    let note = mails
        .items
        .iter()
        .find(|m| m.kind == phare_domain::OutboxKind::StatusChanged)
        .expect("a notification");
    let c = phare_web::portal::compose(note, BASE);
    assert!(c.text.contains("billing comes first"), "{}", c.text);
    assert!(
        !c.text.contains("zanzibar"),
        "the private rationale stays private"
    );
    assert!(c.html.contains("<strong>billing</strong>"), "{}", c.html);
    assert!(!c.html.contains("<script"), "{}", c.html);
    assert!(!c.html.contains("zanzibar"));
    assert!(c.subject.contains(&s.idea.title) || !c.subject.is_empty());
}

/// A problem reported on the portal needs the bug template; complete, it is held as a bug
/// report and its inbox item carries the template.
#[tokio::test]
async fn a_problem_reported_on_the_portal_needs_the_whole_bug_template() {
    let w = World::new().await;
    let s = scene(&w, "Atelier", "CHK").await;
    let cookie = w.portal_sign_in(&s.base, "ana@example.org", "Ana").await;
    let submit = format!("{}/submit", s.base);
    let form_page = w.get(&format!("{submit}?kind=bug"), &cookie).await;
    assert!(form_page
        .body
        .contains("id=\"kind-bug\" type=\"radio\" name=\"kind\" value=\"bug\" checked"));
    let r = w
        .post(
            &submit,
            &cookie,
            &form(&[
                ("kind", "bug"),
                ("title", "The export button does nothing"),
                ("steps", "1. Open an idea\n2. Click Export"),
                ("website", ""),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "expected-error",
        "actual-error",
        "environment-error",
        "severity-error",
    ] {
        assert!(r.body.contains(&format!("id=\"{field}\"")), "{field}");
    }
    assert!(r.body.contains("1. Open an idea"), "what was typed is kept");
    let ideas = |kind| {
        let w = &w;
        let s = &s;
        async move {
            w.phare
                .list_ideas(
                    &op(&s.pm),
                    &meta(),
                    &phare_store::IdeaFilter {
                        product: Some(s.product.id),
                        kind: Some(kind),
                        ..Default::default()
                    },
                    &PageRequest::default(),
                )
                .await
                .unwrap()
                .items
        }
    };
    assert!(
        ideas(phare_domain::IdeaKind::Bug).await.is_empty(),
        "nothing stored"
    );
    let r = w
        .post(
            &submit,
            &cookie,
            &form(&[
                ("kind", "bug"),
                ("title", "The export button does nothing"),
                ("steps", "1. Open an idea\n2. Click Export"),
                ("expected", "A PDF file"),
                ("actual", "Nothing happens"),
                ("environment", "Safari 18, macOS 15"),
                ("severity", "major"),
                ("website", ""),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let bugs = ideas(phare_domain::IdeaKind::Bug).await;
    assert_eq!(bugs.len(), 1);
    assert_eq!(bugs[0].bug.environment, "Safari 18, macOS 15");
    assert_eq!(bugs[0].bug.severity, Some(phare_domain::Severity::Major));
    let inbox = w
        .phare
        .list_feedback(
            &op(&s.pm),
            &meta(),
            &phare_store::FeedbackFilter {
                product: Some(Some(s.product.id)),
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    let item = inbox
        .items
        .iter()
        .find(|f| f.text.contains("The export button does nothing"))
        .expect("the submission lands in the inbox");
    assert!(item.text.contains("Safari 18, macOS 15") && item.text.contains("Nothing happens"));
}
