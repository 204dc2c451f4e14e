#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Specs and feature documentation, driven in process like `api.rs`: the whole application
//! router on a fresh SQLite file, through the API (bearer token) and the pages (session cookie,
//! same-origin forms).
//!
//! Promises checked here: R4 for specs and documentation pages (a stale save is 412 on the API
//! and a conflict page showing both versions on the web, nothing stored; no If-Match is 428),
//! bad input named by field with nothing stored, the Gherkin export in the spec's language,
//! R9 for the spec's text on its pages and exports, and the public documentation page that shows
//! nothing internal.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use phare_core::{
    Actor, CoreConfig, Credential, IdeaInput, NewTokenInput, Phare, PortalIdeaInput,
    PortalSettingsInput, ProductInput, RequestMeta,
};
use phare_domain::specs::{parse_gherkin, SpecLanguage};
use phare_domain::{IdeaStatus, PortalState, Role, Scope};
use phare_sqlite::SqliteStore;
use phare_store::{Idea, Member, NewSession, Product, SpecStore, Store};
use phare_web::{AppState, WebConfig};
use serde_json::{json, Value};
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
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
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
                body_limit: 256 * 1024,
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

    async fn token(&self, m: &Member) -> String {
        let (_, secret) = self
            .phare
            .create_token(
                &op(m),
                &meta(),
                NewTokenInput {
                    name: "specs".into(),
                    scopes: vec![Scope::Write],
                    expires_in_days: None,
                },
            )
            .await
            .unwrap();
        secret
    }

    async fn send(&self, req: Request<Body>) -> Resp {
        let mut req = req;
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

    async fn api(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> Resp {
        let mut b = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some(v) = if_match {
            b = b.header(header::IF_MATCH, v);
        }
        let body = match body {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(b.body(body).unwrap()).await
    }

    async fn page(&self, method: Method, path: &str, cookie: &str, body: Option<String>) -> Resp {
        let mut b = Request::builder()
            .method(method.clone())
            .uri(path)
            .header(header::COOKIE, cookie);
        if method != Method::GET {
            b = b
                .header(header::ORIGIN, BASE)
                .header("sec-fetch-site", "same-origin");
        }
        let body = match body {
            Some(f) => {
                b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(f)
            }
            None => Body::empty(),
        };
        self.send(b.body(body).unwrap()).await
    }

    async fn versions(&self, ws: phare_domain::WorkspaceId, idea: &Idea) -> usize {
        self.store
            .list_spec_versions(ws, idea.id)
            .await
            .unwrap()
            .len()
    }
}

struct Scene {
    pm: Member,
    product: Product,
    idea: Idea,
}

async fn scene(w: &World) -> Scene {
    let pm = w
        .member("Atelier", "pm@atelier.test", Role::ProductManager)
        .await;
    let product = w
        .phare
        .create_product(
            &op(&pm),
            &meta(),
            ProductInput {
                name: Some("Checkout".into()),
                key: Some("CHK".into()),
                ..Default::default()
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
                title: Some("Exporter les factures".into()),
                as_a: Some("comptable".into()),
                i_want: Some("exporter mes factures".into()),
                so_that: Some("internal benefit text".into()),
                status: Some(IdeaStatus::Planned),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    Scene { pm, product, idea }
}

fn spec_body(context: &str) -> Value {
    json!({
        "language": "fr",
        "context": context,
        "use_cases": [{"name": "Exporter", "actor": "Comptable", "main_flow": "Ouvre les factures\nClique sur Exporter"}],
        "criteria": [
            {"title": "Export d'un mois", "given": ["un mois avec 3 factures", "un compte comptable"], "when": ["j'exporte le mois"], "then": ["je reçois un fichier", "il contient 3 lignes"]},
            {"title": "Mois vide", "given": ["un mois sans facture"], "when": ["j'exporte"], "then": ["un message le dit"], "state": "passing"}
        ],
        "design_links": [{"label": "Maquette", "url": "https://figma.example/file/1"}],
        "ready": ["value_clear", "criteria_written"]
    })
}

#[tokio::test]
async fn a_spec_is_saved_under_if_match_and_a_stale_save_changes_nothing() {
    let w = World::new().await;
    let s = scene(&w).await;
    let token = w.token(&s.pm).await;
    let path = format!("/ideas/{}/spec", s.idea.id);
    let ws = s.pm.workspace_id;

    let none = w.api(&token, Method::GET, &path, None, None).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    let missing = w
        .api(&token, Method::PUT, &path, Some(spec_body("Un")), None)
        .await;
    assert_eq!(
        missing.status,
        StatusCode::PRECONDITION_REQUIRED,
        "{}",
        missing.body
    );

    let v1 = w
        .api(
            &token,
            Method::PUT,
            &path,
            Some(spec_body("Un")),
            Some("\"0\""),
        )
        .await;
    assert_eq!(v1.status, StatusCode::OK, "{}", v1.body);
    assert_eq!(v1.header("etag"), "\"1\"");
    assert_eq!(v1.json()["criteria"][0]["state"], "not_tested");
    assert_eq!(v1.json()["criteria"][1]["state"], "passing");

    let v2 = w
        .api(
            &token,
            Method::PUT,
            &path,
            Some(spec_body("Deux")),
            Some("\"1\""),
        )
        .await;
    assert_eq!(v2.header("etag"), "\"2\"");
    // A second writer who read version 1: refused, and nothing stored.
    let stale = w
        .api(
            &token,
            Method::PUT,
            &path,
            Some(spec_body("Perdu")),
            Some("\"1\""),
        )
        .await;
    assert_eq!(
        stale.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        stale.body
    );
    assert_eq!(stale.json()["code"], "version_conflict");
    assert_eq!(w.versions(ws, &s.idea).await, 2);
    let now = w.api(&token, Method::GET, &path, None, None).await;
    assert_eq!(now.json()["context"], "Deux");
    assert_eq!(now.header("etag"), "\"2\"");

    // One criterion's state alone, as a new version.
    let state = w
        .api(
            &token,
            Method::PUT,
            &format!("{path}/criteria/0"),
            Some(json!({"state": "failing"})),
            Some("\"2\""),
        )
        .await;
    assert_eq!(state.status, StatusCode::OK, "{}", state.body);
    assert_eq!(state.json()["criteria"][0]["state"], "failing");
    assert_eq!(state.json()["context"], "Deux");
    let versions = w
        .api(&token, Method::GET, &format!("{path}/versions"), None, None)
        .await;
    let numbers: Vec<i64> = versions
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [3, 2, 1]);
    let old = w
        .api(
            &token,
            Method::GET,
            &format!("{path}/versions/1"),
            None,
            None,
        )
        .await;
    assert_eq!(old.json()["context"], "Un");

    let diff = w
        .api(
            &token,
            Method::GET,
            &format!("{path}/diff?from=1&to=2"),
            None,
            None,
        )
        .await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.body);
    let d = diff.json();
    assert_eq!(
        (d["added"].as_i64(), d["removed"].as_i64()),
        (Some(1), Some(1))
    );
    let changed: Vec<&Value> = d["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] != "same")
        .collect();
    assert!(changed.iter().any(|l| l["kind"] == "removed"
        && l["parts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["text"] == "Un")));
}

#[tokio::test]
async fn bad_specs_are_refused_naming_the_field_and_nothing_is_stored() {
    let w = World::new().await;
    let s = scene(&w).await;
    let token = w.token(&s.pm).await;
    let path = format!("/ideas/{}/spec", s.idea.id);
    let cases = [
        (
            json!({"language": "en", "criteria": [{"title": "T", "given": ["a"], "when": ["b"], "then": []}]}),
            "criteria[0].then",
        ),
        (
            json!({"language": "en", "criteria": [{"title": "", "given": ["a"], "when": ["b"], "then": ["c"]}]}),
            "criteria[0].title",
        ),
        (
            json!({"language": "en", "design_links": [{"label": "x", "url": "javascript:alert(1)"}]}),
            "design_links[0].url",
        ),
        (
            json!({"language": "en", "use_cases": [{"name": "U", "actor": "A", "main_flow": ""}]}),
            "use_cases[0].main_flow",
        ),
        (json!({"language": "en", "context": "nul\u{0}"}), "context"),
        (json!({"language": "en", "version": 3}), "version"),
        (json!({"language": "de"}), "language"),
    ];
    for (body, field) in cases {
        let r = w
            .api(
                &token,
                Method::PUT,
                &path,
                Some(body.clone()),
                Some("\"0\""),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        let fields: Vec<String> = r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap_or("").to_owned())
            .collect();
        assert!(fields.iter().any(|f| f == field), "{body}: {fields:?}");
    }
    assert_eq!(w.versions(s.pm.workspace_id, &s.idea).await, 0);
    // The page says it in the reader's language, beside the field.
    let cookie = w.session(&s.pm).await;
    let r = w
        .page(
            Method::POST,
            &format!("/ideas/{}/spec", s.idea.id),
            &cookie,
            Some(form(&[
                ("language", "fr"),
                ("criteria[0].title", "Sans résultat"),
                ("criteria[0].given", "un mois"),
                ("criteria[0].when", "j'exporte"),
                ("version", "0"),
            ])),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"criteria[0].then-error\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("Sans résultat"));
    assert_eq!(w.versions(s.pm.workspace_id, &s.idea).await, 0);
}

#[tokio::test]
async fn the_gherkin_export_speaks_the_specs_language_and_parses() {
    let w = World::new().await;
    let s = scene(&w).await;
    let token = w.token(&s.pm).await;
    let path = format!("/ideas/{}/spec", s.idea.id);
    w.api(
        &token,
        Method::PUT,
        &path,
        Some(spec_body("Contexte")),
        Some("\"0\""),
    )
    .await;
    let fr = w
        .api(
            &token,
            Method::GET,
            &format!("{path}/export?format=gherkin"),
            None,
            None,
        )
        .await;
    assert_eq!(fr.status, StatusCode::OK);
    assert!(fr.header("content-disposition").contains("CHK-1.feature"));
    assert!(fr
        .body
        .starts_with("# language: fr\nFonctionnalité: CHK-1 Exporter les factures\n"));
    assert!(fr
        .body
        .contains("    Étant donné un mois avec 3 factures\n    Et un compte comptable\n"));
    let outline = parse_gherkin(&fr.body).unwrap();
    assert_eq!(outline.language, SpecLanguage::Fr);
    assert_eq!(outline.scenarios.len(), 2);

    let mut en = spec_body("Context");
    en["language"] = json!("en");
    w.api(&token, Method::PUT, &path, Some(en), Some("\"1\""))
        .await;
    let g = w
        .api(&token, Method::GET, &format!("{path}/export"), None, None)
        .await;
    assert!(g.body.starts_with("Feature: CHK-1"));
    assert!(g
        .body
        .contains("    Given un mois avec 3 factures\n    And un compte comptable\n"));
    assert_eq!(parse_gherkin(&g.body).unwrap().language, SpecLanguage::En);
    let md = w
        .api(
            &token,
            Method::GET,
            &format!("{path}/export?format=markdown"),
            None,
            None,
        )
        .await;
    assert!(md.header("content-type").starts_with("text/markdown"));
    assert!(md.body.contains("## Acceptance criteria"));
    assert!(md.body.contains("- [x] The value for users is clear"));
}

#[tokio::test]
async fn a_stale_form_shows_both_versions_and_keeps_what_was_typed() {
    let w = World::new().await;
    let s = scene(&w).await;
    let cookie = w.session(&s.pm).await;
    let path = format!("/ideas/{}/spec", s.idea.id);
    let save = |context: &'static str, version: &'static str| {
        form(&[
            ("language", "en"),
            ("context", context),
            ("criteria[0].title", "Export a month"),
            ("criteria[0].given", "Given a month\nAnd three invoices"),
            ("criteria[0].when", "I export it"),
            ("criteria[0].then", "I get a file"),
            ("ready", "estimated"),
            ("version", version),
        ])
    };
    let r = w
        .page(Method::POST, &path, &cookie, Some(save("First words", "0")))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = w
        .page(Method::POST, &path, &cookie, Some(save("Their words", "1")))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Made from version 1, after version 2 was saved.
    let r = w
        .page(
            Method::POST,
            &path,
            &cookie,
            Some(save("My own words", "1")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("My own words"), "typed text kept");
    assert!(r.body.contains("Their words"), "saved text shown");
    assert!(r.body.contains("name=\"version\" value=\"2\""));
    assert!(r.body.contains("class=\"visually-hidden\">Added: "));
    assert_eq!(w.versions(s.pm.workspace_id, &s.idea).await, 2);

    let spec = w
        .store
        .get_spec(s.pm.workspace_id, s.idea.id)
        .await
        .unwrap()
        .unwrap();
    // "Given"/"And" typed in the box are not kept as words of the step.
    assert_eq!(
        spec.content.criteria[0].given,
        ["a month", "three invoices"]
    );

    // The state alone, with the small form; a stale one shows the page and changes nothing.
    let r = w
        .page(
            Method::POST,
            &format!("{path}/criteria/0"),
            &cookie,
            Some(form(&[("state", "passing"), ("version", "2")])),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = w
        .page(
            Method::POST,
            &format!("{path}/criteria/0"),
            &cookie,
            Some(form(&[("state", "failing"), ("version", "2")])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("name=\"version\" value=\"3\""));
    let page = w.page(Method::GET, &path, &cookie, None).await;
    assert!(
        page.body.contains("aria-pressed=\"true\">Passing"),
        "{}",
        page.body
    );
    assert_eq!(w.versions(s.pm.workspace_id, &s.idea).await, 3);

    let history = w
        .page(
            Method::GET,
            &format!("{path}/versions?from=1&to=2"),
            &cookie,
            None,
        )
        .await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(
        history
            .body
            .contains("<del class=\"diff-word\">First</del>"),
        "{}",
        history.body
    );
    assert!(history
        .body
        .contains("<ins class=\"diff-word\">Their</ins>"));
}

#[tokio::test]
async fn hostile_spec_text_stays_text_on_pages_and_in_exports() {
    let w = World::new().await;
    let s = scene(&w).await;
    let token = w.token(&s.pm).await;
    let cookie = w.session(&s.pm).await;
    let path = format!("/ideas/{}/spec", s.idea.id);
    let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let body = json!({
        "language": "en",
        "context": evil,
        "user_stories": "[x](javascript:alert(3))",
        "use_cases": [{"name": evil, "actor": evil, "main_flow": evil, "alternative_flows": evil}],
        "criteria": [{"title": evil, "given": [evil], "when": ["=cmd|'/C calc'!A0"], "then": ["@SUM(1)"]}],
        "open_questions": evil,
        "design_links": [{"label": evil, "url": "https://x.example/\"><script>alert(4)</script>"}]
    });
    let r = w
        .api(&token, Method::PUT, &path, Some(body), Some("\"0\""))
        .await;
    // The address has no spaces but quotes and angle brackets: refused or kept harmless.
    if r.status == StatusCode::OK {
        for p in ["", "/edit", "/versions", "/versions/1"] {
            let page = w
                .page(Method::GET, &format!("{path}{p}"), &cookie, None)
                .await;
            assert_eq!(page.status, StatusCode::OK, "{p}");
            assert!(!page.body.contains("<script>alert"), "{p}: {}", page.body);
            assert!(!page.body.contains("<img src=x"), "{p}");
            assert!(!page.body.contains("href=\"javascript:"), "{p}");
        }
        let md = w
            .api(
                &token,
                Method::GET,
                &format!("{path}/export?format=markdown"),
                None,
                None,
            )
            .await;
        assert!(!md.body.contains("<script"));
        assert!(!md.body.contains("<img"));
        let g = w
            .api(
                &token,
                Method::GET,
                &format!("{path}/export?format=gherkin"),
                None,
                None,
            )
            .await;
        assert_eq!(parse_gherkin(&g.body).unwrap().scenarios.len(), 1);
        assert!(g.header("content-disposition").starts_with("attachment"));
    } else {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
}

#[tokio::test]
async fn documentation_is_public_only_once_shipped_and_shows_nothing_internal() {
    let w = World::new().await;
    let s = scene(&w).await;
    let token = w.token(&s.pm).await;
    let contributor = w
        .member("Atelier", "dev@atelier.test", Role::Contributor)
        .await;
    let dev_token = w.token(&contributor).await;
    let path = format!("/ideas/{}/doc", s.idea.id);
    // Drafting before the idea ships is fine; publishing is not.
    let draft = w
        .api(
            &dev_token,
            Method::PUT,
            &path,
            Some(json!({"body": "# Guide\nHow to export."})),
            Some("\"0\""),
        )
        .await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    assert_eq!(draft.json()["public"], false);
    let early = w
        .api(
            &token,
            Method::PUT,
            &path,
            Some(json!({"public": true})),
            Some("\"1\""),
        )
        .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.body
    );
    assert_eq!(early.json()["errors"][0]["field"], "public");
    assert_eq!(early.json()["errors"][0]["code"], "not_shipped");
    let empty = w
        .api(
            &token,
            Method::PUT,
            &path,
            Some(json!({"body": "  "})),
            Some("\"1\""),
        )
        .await;
    assert_eq!(empty.json()["errors"][0]["field"], "body");

    // Ship it, open the portal, publish the idea; a contributor may not publish the page.
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
                status: Some(IdeaStatus::Shipped),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    w.phare
        .configure_portal(
            &op(&s.pm),
            &meta(),
            s.product.id,
            0,
            PortalSettingsInput {
                enabled: Some(true),
                title: Some("Ideas".into()),
                intro: None,
            },
        )
        .await
        .unwrap();
    w.phare
        .moderate_portal_idea(
            &op(&s.pm),
            &meta(),
            s.idea.id,
            1,
            PortalIdeaInput {
                state: Some(PortalState::Published),
                title: None,
                description: None,
            },
        )
        .await
        .unwrap();
    let ws = w.store.get_workspace(s.pm.workspace_id).await.unwrap();
    let public = format!("/p/{}/CHK/ideas/1/doc", ws.slug);
    assert_eq!(
        w.page(Method::GET, &public, "", None).await.status,
        StatusCode::NOT_FOUND
    );
    let refused = w
        .api(
            &dev_token,
            Method::PUT,
            &path,
            Some(json!({"public": true})),
            Some("\"1\""),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let published = w
        .api(
            &token,
            Method::PUT,
            &path,
            Some(json!({"public": true})),
            Some("\"1\""),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(published.json()["body"], "# Guide\nHow to export.");

    let idea_page = w
        .page(
            Method::GET,
            &format!("/p/{}/CHK/ideas/1", ws.slug),
            "",
            None,
        )
        .await;
    assert!(
        idea_page.body.contains(&format!("href=\"{public}\"")),
        "{}",
        idea_page.body
    );
    let doc = w.page(Method::GET, &public, "", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body.contains("<h2>Guide</h2>"), "{}", doc.body);
    assert!(!doc.body.contains("internal benefit text"));
    assert!(!doc.body.contains("comptable"));

    // Private again: gone from the portal.
    w.api(
        &token,
        Method::PUT,
        &path,
        Some(json!({"public": false})),
        Some("\"2\""),
    )
    .await;
    assert_eq!(
        w.page(Method::GET, &public, "", None).await.status,
        StatusCode::NOT_FOUND
    );
    let versions = w
        .api(&token, Method::GET, &format!("{path}/versions"), None, None)
        .await;
    assert_eq!(versions.json().as_array().unwrap().len(), 3);
}
