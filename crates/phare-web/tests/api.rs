#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The REST API and the authorization of every route, driven in process: the whole app router
//! (pages, API, middleware) on a fresh SQLite file, called with `tower::ServiceExt::oneshot`.
//!
//! Promises checked here (shared/RELIABILITY.md): R1 the authorization matrix of every route,
//! R2 no role escalation, R3 unknown fields refused, R4 no lost update, R11 CSRF, R16/R17 bad
//! and oversized requests, R19 the audit trail of security events; plus the API contract
//! (problem+json, pagination, ETag/If-Match, Idempotency-Key) and the committed OpenAPI file.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use phare_core::{Actor, CoreConfig, Credential, NewTokenInput, Phare, ProductInput, RequestMeta};
use phare_domain::{Role, Scope};
use phare_sqlite::SqliteStore;
use phare_store::{DecisionStore, DiscoveryStore, Member, NewSession, PortalStore, Store};
use phare_web::{AppState, WebConfig};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const PASSWORD: &str = "lighthouse-keeper-42";
const BASE: &str = "http://phare.test";
const BODY_LIMIT: usize = 64 * 1024;
const ROLES: [Role; 5] = [
    Role::Admin,
    Role::ProductManager,
    Role::Contributor,
    Role::Stakeholder,
    Role::Viewer,
];

// --- the world ------------------------------------------------------------------------------

struct World {
    router: Router,
    state: AppState,
    phare: Phare,
    store: Arc<SqliteStore>,
    _dir: tempfile::TempDir,
    counter: AtomicU32,
}

struct Person {
    member: Member,
    token: String,
}

impl Person {
    fn operator(&self) -> Actor {
        Actor {
            member: self.member.clone(),
            credential: Credential::Operator,
        }
    }
}

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!(
                "not JSON ({}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    fn is_problem(&self) -> bool {
        self.header("content-type") == Some("application/problem+json")
    }
    fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or("").to_owned()
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn meta() -> RequestMeta {
    RequestMeta {
        request_id: "test".into(),
        source_ip: "127.0.0.1".into(),
    }
}

impl World {
    async fn new() -> World {
        // tmpfs when there is one: SQLite's synchronous=FULL fsyncs are free there.
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
                body_limit: BODY_LIMIT,
                import_limit: 8 * 1024 * 1024,
            },
        );
        World {
            router: phare_web::router(state.clone()),
            state,
            phare,
            store,
            _dir: dir,
            counter: AtomicU32::new(0),
        }
    }

    fn next(&self) -> u32 {
        self.counter.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// A member of workspace `ws` with `role`, and a token with the `all` scope.
    async fn person(&self, ws: &str, role: Role) -> Person {
        let n = self.next();
        let email = format!("{}-{n}@{}.test", role.as_str(), ws.to_lowercase());
        let member = self
            .phare
            .operator_create_user(
                &meta(),
                &email,
                &format!("{role} {n}"),
                role,
                PASSWORD,
                Some(ws),
            )
            .await
            .unwrap();
        let token = self.token_for(&member, vec![Scope::All]).await;
        Person { member, token }
    }

    async fn token_for(&self, member: &Member, scopes: Vec<Scope>) -> String {
        let actor = Actor {
            member: member.clone(),
            credential: Credential::Operator,
        };
        let (_, secret) = self
            .phare
            .create_token(
                &actor,
                &meta(),
                NewTokenInput {
                    name: format!("t{}", self.next()),
                    scopes,
                    expires_in_days: None,
                },
            )
            .await
            .unwrap();
        secret
    }

    /// A session cookie value for a member, minted directly (no password hashing).
    async fn session(&self, member: &Member) -> String {
        let sid = format!("session-{}-{}", member.id, self.next());
        let t = phare_store::now();
        self.store
            .create_session(NewSession {
                id_hash: phare_core::secret::hash(&sid),
                member_id: member.id,
                now: t,
                expires_at: t + chrono::Duration::hours(1),
            })
            .await
            .unwrap();
        sid
    }

    async fn product(&self, owner: &Person) -> phare_store::Product {
        let n = self.next();
        self.phare
            .create_product(
                &owner.operator(),
                &meta(),
                ProductInput {
                    name: Some(format!("Product {n}")),
                    key: Some(format!("P{n}")),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
    }

    async fn feedback(&self, owner: &Person) -> phare_store::Feedback {
        let n = self.next();
        self.phare
            .create_feedback(
                &owner.operator(),
                &meta(),
                phare_core::FeedbackInput {
                    text: Some(format!("Customers ask for export {n}")),
                    source: Some(phare_domain::SourceKind::Support),
                    customer: Some(Some(phare_core::CustomerFields {
                        name: format!("Customer {n}"),
                        ..Default::default()
                    })),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
    }

    async fn idea(&self, owner: &Person) -> phare_store::Idea {
        let n = self.next();
        let p = self.product(owner).await;
        self.phare
            .create_idea(
                &owner.operator(),
                &meta(),
                phare_core::IdeaInput {
                    product_id: Some(p.id),
                    title: Some(format!("Export number {n}")),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
    }

    async fn line(&self, owner: &Person) -> phare_store::ProductLine {
        let n = self.next();
        self.phare
            .create_product_line(
                &owner.operator(),
                &meta(),
                phare_core::ProductLineInput {
                    name: Some(format!("Line {n}")),
                    description: None,
                },
            )
            .await
            .unwrap()
    }

    async fn member(&self, id: phare_domain::MemberId, ws: phare_domain::WorkspaceId) -> Member {
        self.store.get_member(ws, id).await.unwrap()
    }

    /// Per-table checksums of everything durable, except the audit trail (which records
    /// refusals on purpose) and tokens' `last_used_at` (touched by authentication itself).
    async fn rows(&self) -> BTreeMap<&'static str, String> {
        let mut d = self.store.dump().await.unwrap();
        d.audit.clear();
        d.exported_at = None;
        for t in &mut d.tokens {
            t.token.last_used_at = None;
        }
        d.checksums()
    }

    async fn send(&self, mut req: Request<Body>) -> Resp {
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Resp {
            status,
            headers,
            body,
        }
    }

    /// An API call with a bearer token and an optional JSON body and extra headers.
    async fn api(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        for (k, v) in headers {
            b = b.header(*k, *v);
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

    async fn get(&self, token: &str, path: &str) -> Resp {
        self.api(token, Method::GET, path, None, &[]).await
    }

    /// A browser request with a session cookie; unsafe methods carry our own Origin.
    async fn page(&self, session: &str, method: Method, path: &str, form: Option<String>) -> Resp {
        let mut b = Request::builder()
            .method(method.clone())
            .uri(path)
            .header(header::COOKIE, format!("phare_session={session}"));
        if method != Method::GET {
            b = b
                .header(header::ORIGIN, BASE)
                .header("sec-fetch-site", "same-origin");
        }
        let body = match form {
            // A file upload (the import page) is multipart.
            Some(f) if f.starts_with(MULTIPART_START) => {
                b = b.header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
                );
                Body::from(f)
            }
            Some(f) => {
                b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(f)
            }
            None => Body::empty(),
        };
        self.send(b.body(body).unwrap()).await
    }
}

const MULTIPART_BOUNDARY: &str = "phare-test-boundary";
const MULTIPART_START: &str = "--phare-test-boundary\r\n";

/// A multipart form with text fields and one file.
fn multipart(fields: &[(&str, &str)], file: (&str, &str)) -> String {
    let mut s = String::new();
    for (k, v) in fields {
        s.push_str(&format!(
            "--{MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    s.push_str(&format!(
        "--{MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"f.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{}\r\n--{MULTIPART_BOUNDARY}--\r\n",
        file.0, file.1
    ));
    s
}

fn enc(s: &str) -> String {
    url_encode(s)
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// --- the contract -------------------------------------------------------------------------

#[tokio::test]
async fn a_script_creates_reads_lists_and_updates_a_product() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;

    let created = w
        .api(
            &pm.token,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "Checkout", "key": "CHK"})),
            &[],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let etag = created.header("etag").expect("an ETag").to_owned();
    assert_eq!(etag, "\"1\"");
    let product = created.json();
    let id = product["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/products/{id}").as_str())
    );
    assert_eq!(product["key"], "CHK");
    assert!(product["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(uuid::Uuid::parse_str(&id).is_ok());

    let list = w.get(&pm.token, "/api/v1/products").await;
    assert_eq!(list.status, StatusCode::OK);
    let body = list.json();
    assert_eq!(body["items"].as_array().unwrap().len(), 1);
    assert!(body["next_cursor"].is_null());

    let one = w.get(&pm.token, &format!("/api/v1/products/{id}")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.header("etag"), Some(etag.as_str()));
    assert_eq!(one.json()["name"], "Checkout");

    let patched = w
        .api(
            &pm.token,
            Method::PATCH,
            &format!("/api/v1/products/{id}"),
            Some(json!({"name": "Checkout v2"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text());
    assert_eq!(patched.header("etag"), Some("\"2\""));
    assert_eq!(patched.json()["name"], "Checkout v2");

    let doc = w
        .send(
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.json()["openapi"].as_str().unwrap().starts_with("3.1"));
}

#[tokio::test]
async fn lists_are_paginated_with_a_cursor_and_a_link_header() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    for _ in 0..5 {
        w.product(&admin).await;
    }
    let mut seen = BTreeSet::new();
    let mut path = "/api/v1/products?limit=2".to_owned();
    let mut pages = 0;
    loop {
        let page = w.get(&admin.token, &path).await;
        assert_eq!(page.status, StatusCode::OK);
        let body = page.json();
        let items = body["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        for p in items {
            assert!(
                seen.insert(p["id"].as_str().unwrap().to_owned()),
                "no repeats"
            );
        }
        pages += 1;
        match body["next_cursor"].as_str() {
            Some(cursor) => {
                let link = page.header("link").expect("a Link header");
                assert!(link.ends_with("; rel=\"next\""), "{link}");
                assert!(link.contains(cursor), "{link}");
                assert!(link.contains("limit=2"), "the query is kept: {link}");
                path = link
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap()
                    .to_owned();
            }
            None => {
                assert!(page.header("link").is_none());
                break;
            }
        }
    }
    assert_eq!((seen.len(), pages), (5, 3));

    let bad = w
        .get(&admin.token, "/api/v1/products?cursor=%25%25%25")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["errors"][0]["field"], "cursor");
    let bad = w.get(&admin.token, "/api/v1/products?limit=many").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["errors"][0]["field"], "limit");
}

#[tokio::test]
async fn the_page_size_is_clamped_to_200() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    for _ in 0..205 {
        w.product(&admin).await;
    }
    let page = w.get(&admin.token, "/api/v1/products?limit=1000000").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.json()["items"].as_array().unwrap().len(), 200);
    assert!(page.json()["next_cursor"].is_string());
    let page = w.get(&admin.token, "/api/v1/products?limit=0").await;
    assert_eq!(page.json()["items"].as_array().unwrap().len(), 1);
    let page = w.get(&admin.token, "/api/v1/products?limit=-7").await;
    assert_eq!(page.json()["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn errors_are_translated_problem_documents() {
    let w = World::new().await;
    let viewer = w.person("Atelier", Role::Viewer).await;

    let res = w
        .api(
            &viewer.token,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "X", "key": "XX"})),
            &[("accept-language", "fr-FR,fr;q=0.9")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.is_problem());
    let p = res.json();
    assert_eq!(p["code"], "forbidden");
    assert_eq!(p["status"], 403);
    assert_eq!(p["type"], "urn:phare:problem:forbidden");
    assert_eq!(p["title"], "Accès refusé", "{p}");
    assert!(!p["detail"].as_str().unwrap().is_empty());
    assert_eq!(p["request_id"].as_str(), res.header("x-request-id"));

    let res = w
        .api(
            &viewer.token,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "X", "key": "XX"})),
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(res.json()["title"], "Access refused");

    // Field errors carry the field, the code and a translated message.
    let admin = w.person("Atelier", Role::Admin).await;
    let res = w
        .api(
            &admin.token,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "", "key": "1"})),
            &[("accept-language", "fr")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let p = res.json();
    assert_eq!(p["code"], "validation");
    let fields: BTreeMap<String, String> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(!e["message"].as_str().unwrap().is_empty());
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(fields["name"], "required");
    assert_eq!(fields["key"], "invalid_product_key");
    assert_eq!(p["errors"][0]["message"], "Ce champ est obligatoire.");
}

#[tokio::test]
async fn every_api_error_path_is_a_problem() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let t = &admin.token;

    // No credential, a dead one.
    let res = w
        .send(
            Request::get("/api/v1/products")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.header("www-authenticate"), Some("Bearer"));
    assert_eq!(res.code(), "unauthenticated");
    let res = w.get("phare_not-a-token", "/api/v1/products").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.is_problem());

    // Unknown route, wrong method, id that is not a UUID.
    let res = w.get(t, "/api/v1/nothing-here").await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let res = w
        .api(t, Method::DELETE, "/api/v1/products", None, &[])
        .await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(res.is_problem(), "{}", res.text());
    let res = w.get(t, "/api/v1/products/not-a-uuid").await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );

    // Malformed JSON, truncated JSON, not JSON at all, wrong content type, no body.
    for body in ["{\"name\": ", "{'name': 1}", "", "null x"] {
        let res = w
            .send(
                Request::post("/api/v1/products")
                    .header(header::AUTHORIZATION, format!("Bearer {t}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(res.code(), "bad_request");
    }
    let res = w
        .send(
            Request::post("/api/v1/products")
                .header(header::AUTHORIZATION, format!("Bearer {t}"))
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("{\"name\":\"A\",\"key\":\"AB\"}"))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(res.is_problem());

    // A wrong type or a missing field is a field error.
    let res = w
        .api(
            t,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": 3, "key": "AB"})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "name");
    let res = w
        .api(
            t,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "A"})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "key");
    assert_eq!(res.json()["errors"][0]["code"], "required");

    // serde would fill a struct from an array, field by position: the API wants an object.
    for body in [
        json!([null, null]),
        json!(["A", "AB"]),
        json!("A"),
        json!(7),
    ] {
        let res = w
            .api(t, Method::POST, "/api/v1/products", Some(body.clone()), &[])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let p = w.product(&admin).await;
    let raci = format!("/api/v1/products/{}/raci", p.id);
    let res = w
        .api(
            t,
            Method::PUT,
            &raci,
            Some(json!([[admin.member.id, "informed"]])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = w
        .api(
            t,
            Method::PUT,
            &raci,
            Some(json!({"member_id": admin.member.id})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // An empty If-Match is no If-Match.
    let res = w
        .api(
            t,
            Method::PATCH,
            "/api/v1/profile",
            Some(json!({"name": "A"})),
            &[("if-match", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::PRECONDITION_REQUIRED);

    // A duplicate key.
    let body = json!({"name": "A", "key": "DUP"});
    let ok = w
        .api(t, Method::POST, "/api/v1/products", Some(body.clone()), &[])
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let dup = w
        .api(t, Method::POST, "/api/v1/products", Some(body), &[])
        .await;
    assert_eq!(
        (dup.status, dup.code().as_str()),
        (StatusCode::CONFLICT, "duplicate")
    );
    assert_eq!(dup.json()["errors"][0]["field"], "key");
}

#[tokio::test]
async fn updates_need_the_current_etag() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let t = &admin.token;
    let p = w.product(&admin).await;
    let path = format!("/api/v1/products/{}", p.id);
    let body = Some(json!({"description": "new"}));

    let res = w.api(t, Method::PATCH, &path, body.clone(), &[]).await;
    assert_eq!(res.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(res.code(), "precondition_required");
    for stale in ["\"7\"", "W/\"1\"", "*", "1", "\"1\", \"2\"", "garbage"] {
        let res = w
            .api(
                t,
                Method::PATCH,
                &path,
                body.clone(),
                &[("if-match", stale)],
            )
            .await;
        assert_eq!(res.status, StatusCode::PRECONDITION_FAILED, "{stale}");
        assert_eq!(res.code(), "version_conflict");
    }
    assert_eq!(
        w.get(t, &path).await.json()["version"],
        1,
        "nothing changed"
    );
    let ok = w
        .api(
            t,
            Method::PATCH,
            &path,
            body.clone(),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);

    // Every versioned resource: product line, member, profile, workspace.
    let line = w.line(&admin).await;
    let lp = format!("/api/v1/product-lines/{}", line.id);
    assert_eq!(
        w.api(t, Method::DELETE, &lp, None, &[]).await.status,
        StatusCode::PRECONDITION_REQUIRED
    );
    assert_eq!(
        w.api(t, Method::DELETE, &lp, None, &[("if-match", "\"9\"")])
            .await
            .status,
        StatusCode::PRECONDITION_FAILED
    );
    assert_eq!(
        w.api(t, Method::DELETE, &lp, None, &[("if-match", "\"1\"")])
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    for (path, body) in [
        ("/api/v1/profile".to_owned(), json!({"name": "New"})),
        ("/api/v1/workspace".to_owned(), json!({"name": "New"})),
        (
            format!(
                "/api/v1/members/{}",
                w.person("Atelier", Role::Viewer).await.member.id
            ),
            json!({"job_title": "pm"}),
        ),
    ] {
        let res = w
            .api(t, Method::PATCH, &path, Some(body.clone()), &[])
            .await;
        assert_eq!(res.status, StatusCode::PRECONDITION_REQUIRED, "{path}");
        let res = w
            .api(
                t,
                Method::PATCH,
                &path,
                Some(body.clone()),
                &[("if-match", "\"99\"")],
            )
            .await;
        assert_eq!(res.status, StatusCode::PRECONDITION_FAILED, "{path}");
        let etag = w.get(t, &path).await.header("etag").unwrap().to_owned();
        let res = w
            .api(t, Method::PATCH, &path, Some(body), &[("if-match", &etag)])
            .await;
        assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text());
        assert_ne!(res.header("etag"), Some(etag.as_str()));
    }
}

#[tokio::test]
async fn a_repeated_post_with_the_same_idempotency_key_is_replayed() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let t = &admin.token;
    let body = json!({"name": "Checkout", "key": "CHK"});
    let key = [("idempotency-key", "create-chk-1")];

    let first = w
        .api(
            t,
            Method::POST,
            "/api/v1/products",
            Some(body.clone()),
            &key,
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert!(first.header("idempotent-replayed").is_none());
    let again = w
        .api(
            t,
            Method::POST,
            "/api/v1/products",
            Some(body.clone()),
            &key,
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.json(), first.json());
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(w.store.dump().await.unwrap().products.len(), 1);

    let other = w
        .api(
            t,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "Other", "key": "OTH"})),
            &key,
        )
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.code(), "idempotency_mismatch");

    let long = "k".repeat(256);
    let res = w
        .api(
            t,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "Long", "key": "LNG"})),
            &[("idempotency-key", &long)],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(w.store.dump().await.unwrap().products.len(), 1);

    // Keys are per member: another member's identical key is a new request.
    let pm = w.person("Atelier", Role::ProductManager).await;
    let res = w
        .api(
            &pm.token,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "PM's", "key": "PMS"})),
            &key,
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert!(res.header("idempotent-replayed").is_none());

    // A refused request is not remembered: after fixing the cause, the same key works.
    let k2 = [("idempotency-key", "retry-after-fix")];
    let dup = json!({"name": "Dup", "key": "CHK"});
    let res = w
        .api(t, Method::POST, "/api/v1/products", Some(dup.clone()), &k2)
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);

    // A new token's secret is shown once and never stored for a replay.
    let k3 = [("idempotency-key", "token-1")];
    let tb = json!({"name": "ci", "scopes": ["read"]});
    let first = w
        .api(t, Method::POST, "/api/v1/tokens", Some(tb.clone()), &k3)
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let secret = first.json()["token"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("phare_"));
    let again = w
        .api(t, Method::POST, "/api/v1/tokens", Some(tb), &k3)
        .await;
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert!(again.json().get("token").is_none());
    assert_eq!(again.json()["id"], first.json()["id"]);
    assert!(!again.text().contains(&secret));
}

#[tokio::test]
async fn invitations_and_tokens_show_their_secret_once() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let t = &admin.token;
    let res = w
        .api(
            t,
            Method::POST,
            "/api/v1/invitations",
            Some(json!({"email": "new@atelier.test", "role": "contributor"})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let inv = res.json();
    let token = inv["token"].as_str().unwrap();
    assert_eq!(inv["url"], format!("{BASE}/invitations/{token}"));
    assert_eq!(inv["role"], "contributor");
    let list = w.get(t, "/api/v1/invitations").await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(!list.to_string().contains(token));
    let id = inv["id"].as_str().unwrap();
    let res = w
        .api(
            t,
            Method::DELETE,
            &format!("/api/v1/invitations/{id}"),
            None,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(w.get(t, "/api/v1/invitations").await.json()["items"]
        .as_array()
        .unwrap()
        .is_empty());

    let res = w
        .api(
            t,
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "ci", "scopes": ["read"], "expires_in_days": 30})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let secret = res.json()["token"].as_str().unwrap().to_owned();
    let list = w.get(t, "/api/v1/tokens").await;
    assert!(!list.text().contains(&secret));
    // The new token works, and only for reading.
    assert_eq!(
        w.get(&secret, "/api/v1/products").await.status,
        StatusCode::OK
    );
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let res = w
        .api(
            t,
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            None,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        w.get(&secret, "/api/v1/products").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_raci_table_is_replaced_whole() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let other = w.person("Atelier", Role::Contributor).await;
    let p = w.product(&admin).await;
    let path = format!("/api/v1/products/{}/raci", p.id);
    let table = json!([
        {"member_id": admin.member.id, "raci": "accountable"},
        {"member_id": other.member.id, "raci": "responsible"},
    ]);
    let res = w
        .api(&admin.token, Method::PUT, &path, Some(table), &[])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json().as_array().unwrap().len(), 2);
    let got = w.get(&other.token, &path).await.json();
    assert_eq!(got.as_array().unwrap().len(), 2);
    let two_accountable = json!([
        {"member_id": admin.member.id, "raci": "accountable"},
        {"member_id": other.member.id, "raci": "accountable"},
    ]);
    let res = w
        .api(&admin.token, Method::PUT, &path, Some(two_accountable), &[])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = w
        .api(&admin.token, Method::PUT, &path, Some(json!([])), &[])
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(w
        .get(&admin.token, &path)
        .await
        .json()
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_audit_trail_is_filtered_and_paginated() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    for _ in 0..3 {
        w.product(&admin).await;
    }
    let viewer = w.person("Atelier", Role::Viewer).await;
    w.api(
        &viewer.token,
        Method::POST,
        "/api/v1/products",
        Some(json!({"name":"X","key":"XX"})),
        &[],
    )
    .await;
    let res = w
        .get(&admin.token, "/api/v1/audit?action=product.&limit=2")
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let body = res.json();
    assert_eq!(body["items"].as_array().unwrap().len(), 2);
    assert!(body["next_cursor"].is_string());
    assert!(res.header("link").unwrap().contains("action=product."));
    let res = w.get(&admin.token, "/api/v1/audit?outcome=denied").await;
    let items = res.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["actor_id"], json!(viewer.member.id));
    let since = (chrono::Utc::now() + chrono::Duration::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let res = w
        .get(&admin.token, &format!("/api/v1/audit?since={since}"))
        .await;
    assert!(res.json()["items"].as_array().unwrap().is_empty());
    let res = w.get(&admin.token, "/api/v1/audit?outcome=maybe").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = w.get(&admin.token, "/api/v1/audit?since=yesterday").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json()["errors"][0]["field"], "since");
}

// --- the OpenAPI document and its viewer ---------------------------------------------------

#[tokio::test]
async fn openapi_document_matches_the_committed_file() {
    let w = World::new().await;
    let res = w
        .send(
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let served = res.text();
    assert_eq!(served, phare_web::api::openapi_text());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &served).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == served,
        "openapi.json differs from the document the server serves: run \
         `UPDATE_OPENAPI=1 cargo test -p phare-web --test api openapi` and commit openapi.json"
    );
}

#[tokio::test]
async fn openapi_document_describes_every_operation() {
    let doc: Value = serde_json::from_str(&phare_web::api::openapi_text()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path}"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("401") && responses.contains_key("default"));
            if (method == "patch" || method == "delete")
                && !path.contains("tokens")
                && !path.contains("invitations")
                // Links and grid rows are never edited, so they carry no version.
                && !path.contains("evidence")
                && !path.contains("/links/")
                && !path.contains("capabilities")
                // scoring slice (issue #4): one framework's score is removed whole, never
                // edited; so is a saved view (its rename is versioned).
                && !(path.contains("backlog-views") && method == "delete")
                && !path.contains("/scores/")
            {
                assert!(
                    responses.contains_key("412") && responses.contains_key("428"),
                    "{method} {path}"
                );
            }
        }
    }
    for id in [
        "products_list",
        "products_create",
        "products_get",
        "products_update",
        "audit_list",
    ] {
        assert!(ids.contains(id), "{id}");
    }
    // Request bodies refuse unknown fields in the schema too.
    assert_eq!(
        doc["components"]["schemas"]["ProductCreate"]["additionalProperties"],
        false
    );
}

#[tokio::test]
async fn every_schema_reference_of_the_openapi_document_resolves() {
    // A query parameter's enum is not collected from the handlers: a `$ref` to a schema the
    // document does not define breaks every client generator (and schemathesis).
    let w = World::new().await;
    let doc = w
        .send(
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .text();
    let json: Value = serde_json::from_str(&doc).unwrap();
    let schemas = json["components"]["schemas"].as_object().unwrap();
    let missing: BTreeSet<&str> = doc
        .split("\"#/components/schemas/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| !schemas.contains_key(*name))
        .collect();
    assert!(missing.is_empty(), "unresolved schemas: {missing:?}");
}

#[tokio::test]
async fn the_api_viewer_is_served_from_our_own_origin() {
    let w = World::new().await;
    let docs = phare_web::api::docs_router().with_state(w.state.clone());
    let res = docs
        .clone()
        .oneshot(Request::get("/api/docs").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = String::from_utf8(
        axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no third-party URL"
    );
    assert!(!html.contains("<script>"), "no inline script");
    for src in [
        "docs/swagger-ui-bundle.js",
        "docs/phare-docs.js",
        "docs/swagger-ui.css",
    ] {
        assert!(html.contains(src), "{src}");
        let res = docs
            .clone()
            .oneshot(
                Request::get(format!("/api/{src}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{src}");
    }
    // The vendored files are the ones VENDORED.md names, byte for byte.
    let vendored = include_str!("../apidocs/VENDORED.md");
    for (name, bytes) in [
        (
            "swagger-ui-bundle.js",
            &include_bytes!("../apidocs/swagger-ui-bundle.js")[..],
        ),
        (
            "swagger-ui.css",
            &include_bytes!("../apidocs/swagger-ui.css")[..],
        ),
    ] {
        use sha2::Digest;
        let sum = hex::encode(sha2::Sha256::digest(bytes));
        assert!(
            vendored.contains(&sum),
            "{name}: sha256 {sum} is not the one in VENDORED.md"
        );
    }
    let init = include_str!("../apidocs/phare-docs.js");
    assert!(init.contains("v1/openapi.json") && init.contains("validatorUrl: null"));
}

// --- R1: the authorization matrix -------------------------------------------------------------

/// What a route acts on; a fresh one is made for every cell, in the actor's workspace ("own")
/// or in the other workspace ("foreign").
#[derive(Clone, Copy, Debug, PartialEq)]
enum Obj {
    None,
    Product,
    Line,
    Member,
    Invitation,
    /// An invitation's secret, in the path of the public accept page.
    InviteToken,
    /// A token of the actor (own) or of someone in the other workspace (foreign).
    Token,
    /// The actor's own member record (version for forms and If-Match).
    Profile,
    Workspace,
    /// A feedback item (with a customer).
    Feedback,
    /// An idea; `Target::extra` holds a feedback item of the actor's workspace (to link),
    /// another idea of the idea's workspace (to merge into), and the idea's product.
    Idea,
    Evidence,
    Customer,
    /// A persona linked to an idea of its workspace (`Target::extra[0]`).
    Persona,
    /// A competitor; `Target::extra[0]` is a capability of the same product.
    Competitor,
    Capability,
    ResearchNote,
    /// A product whose public portal is enabled (portal version 1).
    PortalProduct,
    /// An idea published on an enabled portal (its portal version in `version`);
    /// `Target::extra[0]` is the number of another idea of the same product (to merge into).
    PortalIdea,
    /// A portal user's comment on a published idea.
    PortalComment,
    // decisions (issue #4)
    /// A decision (a defer with a condition) on an idea of the workspace.
    Decision,
    /// A notification of the actor (own) or of someone in the other workspace (foreign).
    Notification,
    /// The public portal of a product with a published idea numbered 1. `Target::extra`:
    /// the workspace slug of the actor (the address is always under the actor's workspace, so a
    /// foreign product key is another workspace's product), the product key, a portal session
    /// cookie of a portal user of the portal's workspace, an e-mail with a live sign-in code,
    /// and that code.
    Portal,
    // specs (issue 4)
    /// An idea with a spec (one criterion) and a private documentation page, both at version 1.
    Spec,
    /// Like `Portal`, with idea 1 shipped and a public documentation page.
    PortalDoc,
    // scoring slice (issue #4)
    /// An idea with a RICE score (its product's scoring settings are still version 0).
    ScoredIdea,
    /// A shared backlog view saved by the workspace's admin.
    BacklogView,
    // --- stakeholder sessions ---
    /// A custom stakeholder group.
    StakeholderGroup,
    /// A product with two ideas (`Target::extra`: their ids).
    IdeasProduct,
    /// A draft session (points) nobody is invited to. `Target::extra`: its two ideas, a group
    /// of its workspace, a member of the actor's workspace to invite.
    SessionDraft,
    /// An open session the actor is invited to (when it is of their workspace).
    SessionOpen,
    /// A closed session the actor was invited to, with one ballot.
    SessionClosed,
}

struct Row {
    method: &'static str,
    path: &'static str,
    obj: Obj,
    /// Expected per role — admin, product_manager, contributor, stakeholder, viewer — on an
    /// object of the actor's workspace, then on one of the other workspace.
    /// A allowed (2xx/3xx) · F 403 · N 404 · C 409 · - not applicable.
    own: &'static str,
    foreign: &'static str,
}

const fn r(
    method: &'static str,
    path: &'static str,
    obj: Obj,
    own: &'static str,
    foreign: &'static str,
) -> Row {
    Row {
        method,
        path,
        obj,
        own,
        foreign,
    }
}

/// THE MATRIX. Every route of the application, pages and API. The test below fails when a
/// route exists that is not listed here (API routes are read from the OpenAPI document, page
/// routes from html/mod.rs), or when a listed route no longer exists.
const MATRIX: &[Row] = &[
    // --- specs (issue 4) ------------------------------------------ own     foreign
    r("GET", "/ideas/{id}/spec", Obj::Spec, "AAAAA", "NNNNN"),
    r("POST", "/ideas/{id}/spec", Obj::Spec, "AAAFF", "NNNFF"),
    r("GET", "/ideas/{id}/spec/edit", Obj::Spec, "AAAFF", "NNNFF"),
    r(
        "POST",
        "/ideas/{id}/spec/criteria/{index}",
        Obj::Spec,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/ideas/{id}/spec/versions",
        Obj::Spec,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/ideas/{id}/spec/versions/{version}",
        Obj::Spec,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/ideas/{id}/spec/export",
        Obj::Spec,
        "AAAAA",
        "NNNNN",
    ),
    r("GET", "/ideas/{id}/doc", Obj::Spec, "AAAAA", "NNNNN"),
    r("POST", "/ideas/{id}/doc", Obj::Spec, "AAAFF", "NNNFF"),
    r("GET", "/ideas/{id}/doc/edit", Obj::Spec, "AAAFF", "NNNFF"),
    r(
        "GET",
        "/ideas/{id}/doc/versions",
        Obj::Spec,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/p/{workspace}/{product}/ideas/{number}/doc",
        Obj::PortalDoc,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/ideas/{id}/spec",
        Obj::Spec,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PUT",
        "/api/v1/ideas/{id}/spec",
        Obj::Spec,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "PUT",
        "/api/v1/ideas/{id}/spec/criteria/{index}",
        Obj::Spec,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/api/v1/ideas/{id}/spec/versions",
        Obj::Spec,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/ideas/{id}/spec/versions/{version}",
        Obj::Spec,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/ideas/{id}/spec/diff",
        Obj::Spec,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/ideas/{id}/spec/export",
        Obj::Spec,
        "AAAAA",
        "NNNNN",
    ),
    r("GET", "/api/v1/ideas/{id}/doc", Obj::Spec, "AAAAA", "NNNNN"),
    r("PUT", "/api/v1/ideas/{id}/doc", Obj::Spec, "AAAFF", "NNNFF"),
    r(
        "GET",
        "/api/v1/ideas/{id}/doc/versions",
        Obj::Spec,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/ideas/{id}/doc/versions/{version}",
        Obj::Spec,
        "AAAAA",
        "NNNNN",
    ),
    // --- decisions (issue #4): curators decide; everyone reads; one's own inbox --------------
    r(
        "GET",
        "/products/{id}/decisions",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r("GET", "/decisions/{id}", Obj::Decision, "AAAAA", "NNNNN"),
    r("GET", "/ideas/{id}/decisions", Obj::Idea, "AAAAA", "NNNNN"),
    r("GET", "/ideas/{id}/decide", Obj::Idea, "AAFFF", "NNFFF"),
    r("POST", "/ideas/{id}/decide", Obj::Idea, "AAFFF", "NNFFF"),
    r("GET", "/my-inbox", Obj::None, "AAAAA", "-----"),
    r("GET", "/my-inbox/count", Obj::None, "AAAAA", "-----"),
    r("POST", "/my-inbox/read", Obj::None, "AAAAA", "-----"),
    r(
        "POST",
        "/my-inbox/{id}/read",
        Obj::Notification,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/ideas/{id}/decisions",
        Obj::Idea,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/ideas/{id}/decisions",
        Obj::Idea,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/decisions",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/decisions/{id}",
        Obj::Decision,
        "AAAAA",
        "NNNNN",
    ),
    r("GET", "/api/v1/notifications", Obj::None, "AAAAA", "-----"),
    r(
        "POST",
        "/api/v1/notifications/read",
        Obj::None,
        "AAAAA",
        "-----",
    ),
    r(
        "POST",
        "/api/v1/notifications/{id}/read",
        Obj::Notification,
        "AAAAA",
        "NNNNN",
    ),
    // --- pages -------------------------------------------------- own     foreign
    r("GET", "/", Obj::None, "AAAAA", "-----"),
    r("GET", "/setup", Obj::None, "CCCCC", "-----"),
    r("POST", "/setup", Obj::None, "CCCCC", "-----"),
    r("GET", "/login", Obj::None, "AAAAA", "-----"),
    r("POST", "/login", Obj::None, "AAAAA", "-----"),
    r("POST", "/logout", Obj::None, "AAAAA", "-----"),
    r("POST", "/locale", Obj::None, "AAAAA", "-----"),
    r("GET", "/profile", Obj::Profile, "AAAAA", "-----"),
    r("POST", "/profile", Obj::Profile, "AAAAA", "-----"),
    r("POST", "/profile/password", Obj::Profile, "AAAAA", "-----"),
    r("GET", "/tokens", Obj::None, "AAAAA", "-----"),
    r("POST", "/tokens", Obj::None, "AAAAA", "-----"),
    r("POST", "/tokens/{id}/revoke", Obj::Token, "AAAAA", "NNNNN"),
    r(
        "GET",
        "/invitations/{token}",
        Obj::InviteToken,
        "AAAAA",
        "AAAAA",
    ),
    r(
        "POST",
        "/invitations/{token}",
        Obj::InviteToken,
        "AAAAA",
        "AAAAA",
    ),
    r("GET", "/products", Obj::None, "AAAAA", "-----"),
    r("POST", "/products", Obj::None, "AAFFF", "-----"),
    r("GET", "/products/new", Obj::None, "AAFFF", "-----"),
    r("GET", "/products/{id}", Obj::Product, "AAAAA", "NNNNN"),
    r("POST", "/products/{id}", Obj::Product, "AAFFF", "NNFFF"),
    r("GET", "/products/{id}/edit", Obj::Product, "AAFFF", "NNFFF"),
    r(
        "POST",
        "/products/{id}/archive",
        Obj::Product,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "POST",
        "/products/{id}/raci",
        Obj::Product,
        "AAFFF",
        "NNFFF",
    ),
    r("GET", "/product-lines", Obj::None, "AAAAA", "-----"),
    r("POST", "/product-lines", Obj::None, "AAFFF", "-----"),
    r("GET", "/product-lines/new", Obj::None, "AAFFF", "-----"),
    r("GET", "/product-lines/{id}", Obj::Line, "AAFFF", "NNFFF"),
    r("POST", "/product-lines/{id}", Obj::Line, "AAFFF", "NNFFF"),
    r(
        "POST",
        "/product-lines/{id}/delete",
        Obj::Line,
        "AAFFF",
        "NNFFF",
    ),
    r("GET", "/members", Obj::None, "AAAAA", "-----"),
    r("POST", "/members/invitations", Obj::None, "AFFFF", "-----"),
    r(
        "POST",
        "/members/invitations/{id}/revoke",
        Obj::Invitation,
        "AFFFF",
        "NFFFF",
    ),
    r("GET", "/members/{id}", Obj::Member, "AAAAA", "NNNNN"),
    r("POST", "/members/{id}", Obj::Member, "AFFFF", "NFFFF"),
    r(
        "POST",
        "/members/{id}/password",
        Obj::Member,
        "AFFFF",
        "NFFFF",
    ),
    r("GET", "/settings", Obj::Workspace, "AFFFF", "-----"),
    r("POST", "/settings", Obj::Workspace, "AFFFF", "-----"),
    r("GET", "/audit", Obj::None, "AFFFF", "-----"),
    r(
        "GET",
        "/products/{id}/import",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/products/{id}/import",
        Obj::Product,
        "AAFFF",
        "NNFFF",
    ),
    r("GET", "/inbox", Obj::None, "AAAAA", "-----"),
    r("POST", "/inbox", Obj::None, "AAAAF", "-----"),
    r("POST", "/inbox/bulk", Obj::Feedback, "AAAFF", "NNNFF"),
    r(
        "GET",
        "/products/{id}/inbox",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/products/{id}/inbox",
        Obj::Product,
        "AAAAF",
        "NNNNF",
    ),
    r("GET", "/feedback/{id}", Obj::Feedback, "AAAAA", "NNNNN"),
    r("POST", "/feedback/{id}", Obj::Feedback, "AAAFF", "NNNFF"),
    r(
        "GET",
        "/feedback/{id}/edit",
        Obj::Feedback,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/feedback/{id}/delete",
        Obj::Feedback,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "POST",
        "/feedback/{id}/evidence",
        Obj::Feedback,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/feedback/{id}/idea",
        Obj::Feedback,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/evidence/{id}/remove",
        Obj::Evidence,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/products/{id}/ideas",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/products/{id}/ideas",
        Obj::Product,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/products/{id}/ideas/new",
        Obj::Product,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/products/{id}/ideas/hints",
        Obj::Product,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/products/{id}/ideas/similar",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/products/{id}/ideas/{number}",
        Obj::Idea,
        "AAAAA",
        "NNNNN",
    ),
    r("GET", "/ideas/{id}", Obj::Idea, "AAAAA", "NNNNN"),
    r("POST", "/ideas/{id}", Obj::Idea, "AAAFF", "NNNFF"),
    r("GET", "/ideas/{id}/edit", Obj::Idea, "AAAFF", "NNNFF"),
    r("POST", "/ideas/{id}/merge", Obj::Idea, "AAFFF", "NNFFF"),
    r("GET", "/search", Obj::None, "AAAAA", "-----"),
    r("GET", "/customers", Obj::None, "AAAAA", "-----"),
    r("GET", "/customers/suggest", Obj::None, "AAAAA", "-----"),
    r("POST", "/customers/{id}", Obj::Customer, "AAFFF", "NNFFF"),
    r(
        "GET",
        "/customers/{id}/edit",
        Obj::Customer,
        "AAFFF",
        "NNFFF",
    ),
    // research pages: contributors write, product managers delete personas and competitors
    r(
        "GET",
        "/products/{id}/personas",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/products/{id}/personas",
        Obj::Product,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/products/{id}/personas/new",
        Obj::Product,
        "AAAFF",
        "NNNFF",
    ),
    r("GET", "/personas/{id}", Obj::Persona, "AAAAA", "NNNNN"),
    r("POST", "/personas/{id}", Obj::Persona, "AAAFF", "NNNFF"),
    r("GET", "/personas/{id}/edit", Obj::Persona, "AAAFF", "NNNFF"),
    r(
        "POST",
        "/personas/{id}/delete",
        Obj::Persona,
        "AAFFF",
        "NNFFF",
    ),
    r("POST", "/persona-links", Obj::Persona, "AAAFF", "NNNFF"),
    r(
        "POST",
        "/persona-links/remove",
        Obj::Persona,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/products/{id}/competitors",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/products/{id}/competitors",
        Obj::Product,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/products/{id}/competitors/new",
        Obj::Product,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/products/{id}/capabilities",
        Obj::Product,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/products/{id}/capabilities/ratings",
        Obj::Product,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/capabilities/{id}/delete",
        Obj::Capability,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/competitors/{id}",
        Obj::Competitor,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/competitors/{id}",
        Obj::Competitor,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/competitors/{id}/edit",
        Obj::Competitor,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/competitors/{id}/delete",
        Obj::Competitor,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "POST",
        "/competitors/{id}/ratings",
        Obj::Competitor,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/products/{id}/research-notes",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/products/{id}/research-notes",
        Obj::Product,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/products/{id}/research-notes/new",
        Obj::Product,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/research-notes/{id}",
        Obj::ResearchNote,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/research-notes/{id}",
        Obj::ResearchNote,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/research-notes/{id}/edit",
        Obj::ResearchNote,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/research-notes/{id}/passages",
        Obj::ResearchNote,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/research-notes/{id}/ideas",
        Obj::ResearchNote,
        "AAAAA",
        "NNNNN",
    ),
    // --- API ---------------------------------------------------- own     foreign
    r("GET", "/api/v1/openapi.json", Obj::None, "AAAAA", "-----"),
    r("GET", "/api/v1/products", Obj::None, "AAAAA", "-----"),
    r("POST", "/api/v1/products", Obj::None, "AAFFF", "-----"),
    r(
        "GET",
        "/api/v1/products/{id}",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PATCH",
        "/api/v1/products/{id}",
        Obj::Product,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/raci",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PUT",
        "/api/v1/products/{id}/raci",
        Obj::Product,
        "AAFFF",
        "NNFFF",
    ),
    r("GET", "/api/v1/product-lines", Obj::None, "AAAAA", "-----"),
    r("POST", "/api/v1/product-lines", Obj::None, "AAFFF", "-----"),
    r(
        "GET",
        "/api/v1/product-lines/{id}",
        Obj::Line,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PATCH",
        "/api/v1/product-lines/{id}",
        Obj::Line,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "DELETE",
        "/api/v1/product-lines/{id}",
        Obj::Line,
        "AAFFF",
        "NNFFF",
    ),
    r("GET", "/api/v1/members", Obj::None, "AAAAA", "-----"),
    r("GET", "/api/v1/members/{id}", Obj::Member, "AAAAA", "NNNNN"),
    r(
        "PATCH",
        "/api/v1/members/{id}",
        Obj::Member,
        "AFFFF",
        "NFFFF",
    ),
    r(
        "POST",
        "/api/v1/members/{id}/password",
        Obj::Member,
        "AFFFF",
        "NFFFF",
    ),
    r("GET", "/api/v1/invitations", Obj::None, "AFFFF", "-----"),
    r("POST", "/api/v1/invitations", Obj::None, "AFFFF", "-----"),
    r(
        "DELETE",
        "/api/v1/invitations/{id}",
        Obj::Invitation,
        "AFFFF",
        "NFFFF",
    ),
    r("GET", "/api/v1/tokens", Obj::None, "AAAAA", "-----"),
    r("POST", "/api/v1/tokens", Obj::None, "AAAAA", "-----"),
    r(
        "DELETE",
        "/api/v1/tokens/{id}",
        Obj::Token,
        "AAAAA",
        "NNNNN",
    ),
    r("GET", "/api/v1/profile", Obj::Profile, "AAAAA", "-----"),
    r("PATCH", "/api/v1/profile", Obj::Profile, "AAAAA", "-----"),
    r(
        "POST",
        "/api/v1/profile/password",
        Obj::Profile,
        "AAAAA",
        "-----",
    ),
    r("GET", "/api/v1/workspace", Obj::Workspace, "AAAAA", "-----"),
    r(
        "PATCH",
        "/api/v1/workspace",
        Obj::Workspace,
        "AFFFF",
        "-----",
    ),
    r("GET", "/api/v1/audit", Obj::None, "AFFFF", "-----"),
    r("GET", "/api/v1/feedback", Obj::None, "AAAAA", "-----"),
    r("POST", "/api/v1/feedback", Obj::None, "AAAAF", "-----"),
    r(
        "GET",
        "/api/v1/feedback/counts",
        Obj::None,
        "AAAAA",
        "-----",
    ),
    r(
        "POST",
        "/api/v1/feedback/bulk",
        Obj::Feedback,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/api/v1/feedback/{id}",
        Obj::Feedback,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PATCH",
        "/api/v1/feedback/{id}",
        Obj::Feedback,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "DELETE",
        "/api/v1/feedback/{id}",
        Obj::Feedback,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/feedback/{id}/ideas",
        Obj::Feedback,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/feedback",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/products/{id}/feedback",
        Obj::Product,
        "AAAAF",
        "NNNNN",
    ),
    r("GET", "/api/v1/customers", Obj::None, "AAAAA", "-----"),
    r(
        "GET",
        "/api/v1/customers/{id}",
        Obj::Customer,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PATCH",
        "/api/v1/customers/{id}",
        Obj::Customer,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/ideas",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/products/{id}/ideas",
        Obj::Product,
        "AAAFF",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/ideas/similar",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r("GET", "/api/v1/ideas/{id}", Obj::Idea, "AAAAA", "NNNNN"),
    r("PATCH", "/api/v1/ideas/{id}", Obj::Idea, "AAAFF", "NNNFF"),
    r(
        "GET",
        "/api/v1/ideas/{id}/history",
        Obj::Idea,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/ideas/{id}/evidence",
        Obj::Idea,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/ideas/{id}/evidence",
        Obj::Idea,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/api/v1/ideas/{id}/merge",
        Obj::Idea,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "DELETE",
        "/api/v1/evidence/{id}",
        Obj::Evidence,
        "AAAFF",
        "NNNFF",
    ),
    r("GET", "/api/v1/search", Obj::None, "AAAAA", "-----"),
    r(
        "POST",
        "/api/v1/products/{id}/imports",
        Obj::Product,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/feedback/export",
        Obj::None,
        "AAAAA",
        "-----",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/ideas/export",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/personas",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/products/{id}/personas",
        Obj::Product,
        "AAAFF",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/personas/{id}",
        Obj::Persona,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PATCH",
        "/api/v1/personas/{id}",
        Obj::Persona,
        "AAAFF",
        "NNNNN",
    ),
    r(
        "DELETE",
        "/api/v1/personas/{id}",
        Obj::Persona,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/personas/{id}/links",
        Obj::Persona,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/personas/{id}/links",
        Obj::Persona,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "DELETE",
        "/api/v1/personas/{id}/links/{target_id}",
        Obj::Persona,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/competitors",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/products/{id}/competitors",
        Obj::Product,
        "AAAFF",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/competitors/{id}",
        Obj::Competitor,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PATCH",
        "/api/v1/competitors/{id}",
        Obj::Competitor,
        "AAAFF",
        "NNNNN",
    ),
    r(
        "DELETE",
        "/api/v1/competitors/{id}",
        Obj::Competitor,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "PUT",
        "/api/v1/competitors/{id}/ratings/{capability_id}",
        Obj::Competitor,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "PUT",
        "/api/v1/products/{id}/capabilities",
        Obj::Product,
        "AAAFF",
        "NNNNN",
    ),
    r(
        "DELETE",
        "/api/v1/capabilities/{id}",
        Obj::Capability,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/research-notes",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/products/{id}/research-notes",
        Obj::Product,
        "AAAFF",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/research-notes/{id}",
        Obj::ResearchNote,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PATCH",
        "/api/v1/research-notes/{id}",
        Obj::ResearchNote,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/api/v1/research-notes/{id}/passages",
        Obj::ResearchNote,
        "AAAFF",
        "NNNFF",
    ),
    // --- the public portal: anybody, on published ideas of enabled portals only ----------
    r(
        "GET",
        "/p/{workspace}/{product}",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/p/{workspace}/{product}/ideas/{number}",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/p/{workspace}/{product}/ideas/{number}/vote",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/p/{workspace}/{product}/ideas/{number}/unvote",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/p/{workspace}/{product}/ideas/{number}/comments",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/p/{workspace}/{product}/ideas/{number}/subscribe",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/p/{workspace}/{product}/ideas/{number}/unsubscribe",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/p/{workspace}/{product}/submit",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/p/{workspace}/{product}/submit",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/p/{workspace}/{product}/sign-in",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/p/{workspace}/{product}/sign-in",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/p/{workspace}/{product}/sign-in/code",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/p/{workspace}/{product}/sign-out",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/p/{workspace}/{product}/language",
        Obj::Portal,
        "AAAAA",
        "NNNNN",
    ),
    // --- the team's portal pages: a contributor cannot moderate, a stakeholder cannot reply
    r(
        "GET",
        "/products/{id}/portal",
        Obj::PortalProduct,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/products/{id}/portal",
        Obj::PortalProduct,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/ideas/{id}/portal",
        Obj::PortalIdea,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/ideas/{id}/portal",
        Obj::PortalIdea,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "POST",
        "/ideas/{id}/portal/comments",
        Obj::PortalIdea,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/ideas/{id}/portal/merge",
        Obj::PortalIdea,
        "AAFFF",
        "NNNNN",
    ),
    r(
        "POST",
        "/portal-comments/{id}/visibility",
        Obj::PortalComment,
        "AAFFF",
        "NNFFF",
    ),
    r("GET", "/outbox", Obj::None, "AFFFF", "-----"),
    r(
        "GET",
        "/api/v1/products/{id}/portal",
        Obj::PortalProduct,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PATCH",
        "/api/v1/products/{id}/portal",
        Obj::PortalProduct,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/portal/ideas",
        Obj::PortalProduct,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/ideas/{id}/portal",
        Obj::PortalIdea,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PATCH",
        "/api/v1/ideas/{id}/portal",
        Obj::PortalIdea,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/ideas/{id}/portal/comments",
        Obj::PortalIdea,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/ideas/{id}/portal/comments",
        Obj::PortalIdea,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/api/v1/portal-comments/{id}/visibility",
        Obj::PortalComment,
        "AAFFF",
        "NNFFF",
    ),
    r("GET", "/api/v1/outbox", Obj::None, "AFFFF", "-----"),
    // --- stakeholder sessions: pages --------------------------- own     foreign
    r("GET", "/stakeholder-groups", Obj::None, "AAAAA", "-----"),
    r("POST", "/stakeholder-groups", Obj::None, "AAFFF", "-----"),
    r(
        "POST",
        "/stakeholder-groups/defaults",
        Obj::None,
        "AAFFF",
        "-----",
    ),
    r(
        "POST",
        "/stakeholder-groups/{id}",
        Obj::StakeholderGroup,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "POST",
        "/stakeholder-groups/{id}/delete",
        Obj::StakeholderGroup,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/products/{id}/sessions",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/products/{id}/sessions",
        Obj::IdeasProduct,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/products/{id}/sessions/new",
        Obj::Product,
        "AAFFF",
        "NNFFF",
    ),
    r("GET", "/sessions/{id}", Obj::SessionDraft, "AAFFF", "NNNNN"),
    r(
        "POST",
        "/sessions/{id}/invitations",
        Obj::SessionDraft,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "POST",
        "/sessions/{id}/open",
        Obj::SessionDraft,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "POST",
        "/sessions/{id}/close",
        Obj::SessionOpen,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/sessions/{id}/ballot",
        Obj::SessionOpen,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/sessions/{id}/ballot",
        Obj::SessionOpen,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/sessions/{id}/results",
        Obj::SessionClosed,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/sessions/{id}/results/print",
        Obj::SessionClosed,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/sessions/{id}/results.csv",
        Obj::SessionClosed,
        "AAAAA",
        "NNNNN",
    ),
    // --- stakeholder sessions: API ----------------------------- own     foreign
    r(
        "GET",
        "/api/v1/stakeholder-groups",
        Obj::None,
        "AAAAA",
        "-----",
    ),
    r(
        "POST",
        "/api/v1/stakeholder-groups",
        Obj::None,
        "AAFFF",
        "-----",
    ),
    r(
        "PATCH",
        "/api/v1/stakeholder-groups/{id}",
        Obj::StakeholderGroup,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "DELETE",
        "/api/v1/stakeholder-groups/{id}",
        Obj::StakeholderGroup,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/sessions",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/products/{id}/sessions",
        Obj::IdeasProduct,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/sessions/{id}",
        Obj::SessionDraft,
        "AAFFF",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/sessions/{id}/ideas",
        Obj::SessionDraft,
        "AAFFF",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/sessions/{id}/invitations",
        Obj::SessionDraft,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "POST",
        "/api/v1/sessions/{id}/invitations",
        Obj::SessionDraft,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "POST",
        "/api/v1/sessions/{id}/open",
        Obj::SessionDraft,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "POST",
        "/api/v1/sessions/{id}/close",
        Obj::SessionOpen,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/sessions/{id}/results",
        Obj::SessionClosed,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/sessions/{id}/results.csv",
        Obj::SessionClosed,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/sessions/{id}/ballot",
        Obj::SessionOpen,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PUT",
        "/api/v1/sessions/{id}/ballot",
        Obj::SessionOpen,
        "AAAAA",
        "NNNNN",
    ),
    // --- scoring slice (issue #4): scores, settings, the ranked backlog ----- own     foreign
    r(
        "GET",
        "/products/{id}/backlog",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/products/{id}/backlog/matrix",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/products/{id}/backlog/status",
        Obj::Idea,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/products/{id}/backlog/views",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    // Only a view's owner renames it (the admin made the view): shared, the others see it and
    // are refused.
    r(
        "POST",
        "/backlog-views/{id}/rename",
        Obj::BacklogView,
        "AFFFF",
        "NNNNN",
    ),
    r(
        "POST",
        "/backlog-views/{id}/delete",
        Obj::BacklogView,
        "AAFFF",
        "NNNNN",
    ),
    r("POST", "/ideas/{id}/move", Obj::Idea, "AAAFF", "NNNFF"),
    r(
        "GET",
        "/products/{id}/scoring",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/products/{id}/scoring",
        Obj::Product,
        "AAFFF",
        "NNFFF",
    ),
    r("GET", "/ideas/{id}/scores", Obj::Idea, "AAAAA", "NNNNN"),
    r(
        "POST",
        "/ideas/{id}/scores/{framework}",
        Obj::Idea,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/api/v1/ideas/{id}/scores",
        Obj::ScoredIdea,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PUT",
        "/api/v1/ideas/{id}/scores/{framework}",
        Obj::Idea,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "DELETE",
        "/api/v1/ideas/{id}/scores/{framework}",
        Obj::ScoredIdea,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/scoring",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PUT",
        "/api/v1/products/{id}/scoring",
        Obj::Product,
        "AAFFF",
        "NNFFF",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/backlog",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/ideas/{id}/move",
        Obj::Idea,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "POST",
        "/api/v1/products/{id}/backlog/status",
        Obj::Idea,
        "AAAFF",
        "NNNFF",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/backlog/matrix",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/products/{id}/backlog/views",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "POST",
        "/api/v1/products/{id}/backlog/views",
        Obj::Product,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "GET",
        "/api/v1/backlog-views/{id}",
        Obj::BacklogView,
        "AAAAA",
        "NNNNN",
    ),
    r(
        "PATCH",
        "/api/v1/backlog-views/{id}",
        Obj::BacklogView,
        "AFFFF",
        "NNNNN",
    ),
    r(
        "DELETE",
        "/api/v1/backlog-views/{id}",
        Obj::BacklogView,
        "AAFFF",
        "NNNNN",
    ),
];

/// The page routes declared in html/mod.rs and portal/mod.rs: every
/// `.route("<path>", get(…).post(…))`.
fn html_routes() -> BTreeSet<(String, String)> {
    let src = concat!(
        include_str!("../src/html/mod.rs"),
        include_str!("../src/portal/mod.rs")
    );
    let mut out = BTreeSet::new();
    let mut rest = src;
    while let Some(i) = rest.find(".route(") {
        rest = &rest[i + ".route(".len()..];
        // The call's text, up to its matching parenthesis.
        let mut depth = 1;
        let mut end = rest.len();
        for (j, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        let call = &rest[..end];
        let Some(q1) = call.find('"') else { continue };
        let Some(q2) = call[q1 + 1..].find('"') else {
            continue;
        };
        let path = &call[q1 + 1..q1 + 1 + q2];
        let after = &call[q1 + 1 + q2 + 1..];
        for method in ["get", "post", "put", "patch", "delete"] {
            let mut s = after;
            while let Some(k) = s.find(&format!("{method}(")) {
                let before = s[..k].chars().last();
                if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    out.insert((method.to_uppercase(), path.to_owned()));
                }
                s = &s[k + method.len()..];
            }
        }
        rest = &rest[end..];
    }
    out
}

fn api_routes() -> BTreeSet<(String, String)> {
    let doc: Value = serde_json::from_str(&phare_web::api::openapi_text()).unwrap();
    let base = doc["servers"][0]["url"].as_str().unwrap_or("").to_owned();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((method.to_uppercase(), format!("{base}{path}")));
        }
    }
    out
}

#[test]
fn every_route_of_the_app_is_in_the_authorization_matrix() {
    let html = html_routes();
    assert!(html.len() > 20, "the route parser found only {html:?}");
    let api = api_routes();
    let listed: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    let missing: Vec<_> = html.union(&api).filter(|k| !listed.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "routes missing from MATRIX: {missing:?}"
    );
    let extra: Vec<_> = listed
        .iter()
        .filter(|k| !html.contains(*k) && !api.contains(*k) && k.1 != "/api/v1/openapi.json")
        .collect();
    assert!(
        extra.is_empty(),
        "MATRIX lists routes that do not exist: {extra:?}"
    );
    assert_eq!(listed.len(), MATRIX.len(), "a route is listed twice");
    for row in MATRIX {
        assert!(
            row.own.len() == 5 && row.foreign.len() == 5,
            "{} {}",
            row.method,
            row.path
        );
    }
}

/// Everything one cell needs: the actors and the other workspace.
struct Cast {
    ws_a: BTreeMap<&'static str, Person>,
    admin_b: Person,
    member_a: Member,
    member_b: Member,
}

async fn cast(w: &World) -> Cast {
    let mut ws_a = BTreeMap::new();
    for role in ROLES {
        ws_a.insert(role.as_str(), w.person("Atelier", role).await);
    }
    let admin_b = w.person("Bureau", Role::Admin).await;
    let member_a = w.person("Atelier", Role::Contributor).await.member;
    let member_b = w.person("Bureau", Role::Contributor).await.member;
    Cast {
        ws_a,
        admin_b,
        member_a,
        member_b,
    }
}

/// The object of a cell: its id (or secret) and the version to send.
struct Target {
    id: String,
    version: i64,
    extra: Vec<String>,
}

async fn make_target(w: &World, c: &Cast, actor: &Person, obj: Obj, own: bool) -> Target {
    let owner = if own { &c.ws_a["admin"] } else { &c.admin_b };
    match obj {
        Obj::None => Target {
            id: String::new(),
            version: 0,
            extra: Vec::new(),
        },
        Obj::Product => {
            let p = w.product(owner).await;
            Target {
                id: p.id.to_string(),
                version: p.version,
                extra: Vec::new(),
            }
        }
        Obj::Line => {
            let l = w.line(owner).await;
            Target {
                id: l.id.to_string(),
                version: l.version,
                extra: Vec::new(),
            }
        }
        Obj::Member => {
            let m = if own { &c.member_a } else { &c.member_b };
            let m = w.member(m.id, m.workspace_id).await;
            Target {
                id: m.id.to_string(),
                version: m.version,
                extra: Vec::new(),
            }
        }
        Obj::Invitation | Obj::InviteToken => {
            let (inv, token) = w
                .phare
                .invite(
                    &owner.operator(),
                    &meta(),
                    &format!("guest{}@example.org", w.next()),
                    Role::Viewer,
                )
                .await
                .unwrap();
            let id = if obj == Obj::Invitation {
                inv.id.to_string()
            } else {
                token
            };
            Target {
                id,
                version: 0,
                extra: Vec::new(),
            }
        }
        Obj::Token => {
            let holder = if own {
                &actor.member
            } else {
                &c.admin_b.member
            };
            let actor_op = Actor {
                member: holder.clone(),
                credential: Credential::Operator,
            };
            let (tok, _) = w
                .phare
                .create_token(
                    &actor_op,
                    &meta(),
                    NewTokenInput {
                        name: "x".into(),
                        scopes: vec![Scope::Read],
                        expires_in_days: None,
                    },
                )
                .await
                .unwrap();
            Target {
                id: tok.id.to_string(),
                version: 0,
                extra: Vec::new(),
            }
        }
        Obj::Profile => {
            let m = w.member(actor.member.id, actor.member.workspace_id).await;
            Target {
                id: String::new(),
                version: m.version,
                extra: Vec::new(),
            }
        }
        Obj::Feedback => {
            let f = w.feedback(owner).await;
            // An idea (and its product) of the actor's workspace, to link or create into.
            let i = w.idea(&c.ws_a["admin"]).await;
            Target {
                id: f.id.to_string(),
                version: f.version,
                extra: vec![i.id.to_string(), i.product_id.to_string()],
            }
        }
        Obj::Customer => {
            let f = w.feedback(owner).await;
            let cu = w
                .store
                .get_customer(f.workspace_id, f.customer_id.unwrap())
                .await
                .unwrap();
            Target {
                id: cu.id.to_string(),
                version: cu.version,
                extra: Vec::new(),
            }
        }
        Obj::Idea => {
            let i = w.idea(owner).await;
            let to_link = w.feedback(&c.ws_a["admin"]).await;
            let other = w.idea(owner).await;
            Target {
                id: i.id.to_string(),
                version: i.version,
                extra: vec![
                    to_link.id.to_string(),
                    other.id.to_string(),
                    i.product_id.to_string(),
                ],
            }
        }
        // scoring slice (issue #4)
        Obj::ScoredIdea => {
            let i = w.idea(owner).await;
            w.phare
                .score_idea(
                    &owner.operator(),
                    &meta(),
                    i.id,
                    phare_domain::Framework::Rice,
                    phare_core::ScoreInput {
                        numbers: [
                            ("reach", 10.0),
                            ("impact", 1.0),
                            ("confidence", 1.0),
                            ("effort", 2.0),
                        ]
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            Target {
                id: i.id.to_string(),
                version: i.version,
                extra: vec![String::new(), String::new(), i.product_id.to_string()],
            }
        }
        Obj::BacklogView => {
            let p = w.product(owner).await;
            let v = w
                .phare
                .create_backlog_view(
                    &owner.operator(),
                    &meta(),
                    p.id,
                    &format!("View {}", w.next()),
                    "sort=rank",
                    true,
                )
                .await
                .unwrap();
            Target {
                id: v.id.to_string(),
                version: v.version,
                extra: Vec::new(),
            }
        }
        Obj::Evidence => {
            let i = w.idea(owner).await;
            let f = w.feedback(owner).await;
            let e = w
                .phare
                .add_evidence(
                    &owner.operator(),
                    &meta(),
                    i.id,
                    phare_core::EvidenceInput {
                        feedback_id: f.id,
                        importance: None,
                        excerpt: None,
                    },
                )
                .await
                .unwrap();
            Target {
                id: e.id.to_string(),
                version: 0,
                extra: Vec::new(),
            }
        }
        Obj::Persona => {
            let i = w.idea(owner).await;
            let p = w
                .phare
                .create_persona(
                    &owner.operator(),
                    &meta(),
                    i.product_id,
                    phare_domain::PersonaText {
                        name: format!("Persona {}", w.next()),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            w.phare
                .link_persona(
                    &owner.operator(),
                    &meta(),
                    p.id,
                    phare_domain::PersonaTarget::Idea,
                    i.id.0,
                )
                .await
                .unwrap();
            Target {
                id: p.id.to_string(),
                version: p.version,
                extra: vec![i.id.to_string()],
            }
        }
        Obj::Competitor | Obj::Capability => {
            let p = w.product(owner).await;
            let comp = w
                .phare
                .create_competitor(
                    &owner.operator(),
                    &meta(),
                    p.id,
                    phare_domain::CompetitorText {
                        name: format!("Rival {}", w.next()),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            let k = w
                .phare
                .put_capability(
                    &owner.operator(),
                    &meta(),
                    p.id,
                    "Votes",
                    phare_domain::Rating::Have,
                    "",
                )
                .await
                .unwrap();
            if obj == Obj::Capability {
                Target {
                    id: k.id.to_string(),
                    version: 0,
                    extra: Vec::new(),
                }
            } else {
                Target {
                    id: comp.id.to_string(),
                    version: comp.version,
                    extra: vec![k.id.to_string()],
                }
            }
        }
        Obj::ResearchNote => {
            let p = w.product(owner).await;
            let n = w
                .phare
                .create_research_note(
                    &owner.operator(),
                    &meta(),
                    p.id,
                    phare_core::NoteInput {
                        title: Some(format!("Interview {}", w.next())),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            Target {
                id: n.id.to_string(),
                version: n.version,
                extra: Vec::new(),
            }
        }
        Obj::Workspace => {
            let ws = w
                .store
                .get_workspace(actor.member.workspace_id)
                .await
                .unwrap();
            Target {
                id: String::new(),
                version: ws.version,
                extra: Vec::new(),
            }
        }
        Obj::PortalProduct => {
            let (p, _, _) = portal_scene(w, owner).await;
            Target {
                id: p.id.to_string(),
                version: 1,
                extra: Vec::new(),
            }
        }
        Obj::PortalIdea => {
            let (_, idea, other) = portal_scene(w, owner).await;
            Target {
                id: idea.idea_id.to_string(),
                version: idea.portal_version,
                extra: vec![other.number.to_string()],
            }
        }
        Obj::PortalComment => {
            let (_, idea, _) = portal_scene(w, owner).await;
            let (user, _) = portal_visitor(w, idea.workspace_id).await;
            let comment = w
                .store
                .add_portal_comment(phare_store::NewPortalComment {
                    id: phare_domain::CommentId::new(),
                    workspace_id: idea.workspace_id,
                    idea_id: idea.idea_id,
                    author: phare_store::CommentAuthor::User(user.id),
                    body: "First!".into(),
                    now: phare_store::now(),
                })
                .await
                .unwrap();
            Target {
                id: comment.id.to_string(),
                version: 0,
                extra: Vec::new(),
            }
        }
        // decisions (issue #4)
        Obj::Decision => {
            let i = w.idea(owner).await;
            let d = w
                .phare
                .decide(
                    &owner.operator(),
                    &meta(),
                    phare_core::DecisionInput {
                        kind: "defer".into(),
                        idea_ids: vec![i.id],
                        rationale: "Not before the billing rework".into(),
                        condition: "Once billing is rebuilt".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            Target {
                id: d.id.to_string(),
                version: 0,
                extra: Vec::new(),
            }
        }
        Obj::Notification => {
            let member = if own {
                &actor.member
            } else {
                &c.admin_b.member
            };
            let id = phare_domain::NotificationId::new();
            w.store
                .create_notification(phare_store::NewNotification {
                    id,
                    workspace_id: member.workspace_id,
                    member_id: member.id,
                    kind: phare_domain::NotificationKind::DeferredIdeaReturned,
                    payload: json!({ "reference": "P-1", "title": "Export" }),
                    dedupe_key: format!("k{}", w.next()),
                    now: phare_store::now(),
                })
                .await
                .unwrap();
            Target {
                id: id.to_string(),
                version: 0,
                extra: Vec::new(),
            }
        }
        Obj::Portal => {
            let (p, idea, _) = portal_scene(w, owner).await;
            let own_ws = w
                .store
                .get_workspace(actor.member.workspace_id)
                .await
                .unwrap();
            // The visitor, the code and the published idea belong to the portal's workspace.
            let (_, cookie) = portal_visitor(w, idea.workspace_id).await;
            let email = format!("visitor{}@example.org", w.next());
            let code = "424242";
            let t = phare_store::now();
            w.store
                .create_sign_in_code(phare_store::NewSignInCode {
                    id: uuid::Uuid::now_v7(),
                    workspace_id: idea.workspace_id,
                    email: email.clone(),
                    code_hash: phare_store::sign_in_code_hash(idea.workspace_id, &email, code),
                    display_name: String::new(),
                    now: t,
                    expires_at: t + chrono::Duration::minutes(15),
                    mail: phare_store::NewOutbox {
                        id: phare_domain::OutboxId::new(),
                        workspace_id: idea.workspace_id,
                        kind: phare_domain::OutboxKind::SignInCode,
                        to_email: email.clone(),
                        locale: phare_domain::Locale::En,
                        payload: json!({ "code": code }),
                        now: t,
                    },
                })
                .await
                .unwrap();
            assert_eq!(idea.number, 1);
            Target {
                id: String::new(),
                version: 0,
                extra: vec![own_ws.slug, p.key, cookie, email, code.into()],
            }
        }
        // specs (issue 4)
        Obj::Spec => {
            let i = w.idea(owner).await;
            spec_scene(w, owner, i.id, false).await;
            Target {
                id: i.id.to_string(),
                version: 1,
                extra: Vec::new(),
            }
        }
        Obj::PortalDoc => {
            let (p, idea, _) = portal_scene(w, owner).await;
            spec_scene(w, owner, idea.idea_id, true).await;
            let own_ws = w
                .store
                .get_workspace(actor.member.workspace_id)
                .await
                .unwrap();
            Target {
                id: String::new(),
                version: 0,
                // The third is where a portal cookie would be; the page needs none.
                extra: vec![own_ws.slug, p.key, String::new()],
            }
        }
        Obj::StakeholderGroup => {
            let g = w
                .phare
                .create_stakeholder_group(
                    &owner.operator(),
                    &meta(),
                    &format!("Group {}", w.next()),
                    Some(2.0),
                )
                .await
                .unwrap();
            Target {
                id: g.id.to_string(),
                version: g.version,
                extra: Vec::new(),
            }
        }
        Obj::IdeasProduct => {
            let (p, ideas) = w.ideas_product(owner).await;
            Target {
                id: p.id.to_string(),
                version: p.version,
                extra: ideas.iter().map(|i| i.id.to_string()).collect(),
            }
        }
        Obj::SessionDraft | Obj::SessionOpen | Obj::SessionClosed => {
            let invitee = (own && obj != Obj::SessionDraft).then_some(&actor.member);
            let (s, group) = w.stakeholder_session(owner, invitee, obj).await;
            Target {
                id: s.id.to_string(),
                version: s.version,
                extra: vec![
                    s.idea_ids[0].to_string(),
                    s.idea_ids[1].to_string(),
                    group.to_string(),
                    c.member_a.id.to_string(),
                ],
            }
        }
    }
}

/// The body a cell sends: a valid one, so that "allowed" means the change really happens.
fn cell_body(w: &World, row: &Row, c: &Cast, actor: &Person, t: &Target) -> Option<String> {
    let n = w.next();
    let v = t.version;
    let api = row.path.starts_with("/api/");
    let email = format!("new{n}@example.org");
    let s = match (row.method, row.path) {
        ("GET" | "DELETE", _) => return None,
        ("POST", "/setup") => format!("token=nope&workspace_name=W&name=N&email={}&password={PASSWORD}", enc(&email)),
        ("POST", "/login") => format!("email={}&password={PASSWORD}", enc(&actor.member.email)),
        ("POST", "/logout") => String::new(),
        ("POST", "/locale") => "locale=en&back=%2F".into(),
        ("POST", "/profile") => format!("name=Someone&job_title=&time_zone=UTC&work_start=09%3A00&work_end=17%3A00&locale=&version={v}"),
        ("POST", "/profile/password") => format!("current_password={PASSWORD}&new_password={PASSWORD}"),
        ("POST", "/tokens") => "name=cli&scope=read&expires_in_days=30".into(),
        ("POST", "/tokens/{id}/revoke") => String::new(),
        ("POST", "/invitations/{token}") => format!("name=Guest&password={PASSWORD}"),
        ("POST", "/products") => format!("name=Made+here&key=M{n}&description=&product_line_id=&pm_model=shared"),
        ("POST", "/products/{id}") => format!("name=Renamed&key=R{n}&description=d&product_line_id=&pm_model=shared&version={v}"),
        ("POST", "/products/{id}/archive") => format!("archived=1&version={v}"),
        ("POST", "/products/{id}/raci") => format!("raci={}%3Aresponsible", c.member_a.id),
        ("POST", "/product-lines") => format!("name=New+line+{n}&description="),
        ("POST", "/product-lines/{id}") => format!("name=Renamed+{n}&description=&version={v}"),
        ("POST", "/product-lines/{id}/delete") => format!("version={v}"),
        ("POST", "/members/invitations") => format!("email={}&role=viewer", enc(&email)),
        ("POST", "/members/invitations/{id}/revoke") => String::new(),
        ("POST", "/members/{id}") => format!("role=contributor&job_title=pm&access=enabled&version={v}"),
        ("POST", "/members/{id}/password") => format!("password={PASSWORD}"),
        ("POST", "/settings") => format!("name=Atelier&default_locale=en&version={v}"),
        ("POST", "/products/{id}/import") => multipart(&[("action", "commit"), ("source", "support")], ("file", "text,source\r\nImported feedback,support\r\n")),
        ("POST", "/inbox" | "/products/{id}/inbox") => format!("text=Customers+ask+{n}&source=support"),
        ("POST", "/inbox/bulk") => format!("ids={}&action=archived", t.id),
        ("POST", "/feedback/{id}") => format!("text=Edited+{n}&source=support&version={v}"),
        ("POST", "/feedback/{id}/delete") => format!("version={v}"),
        ("POST", "/feedback/{id}/evidence") => format!("idea={}&importance=critical", t.extra[0]),
        ("POST", "/feedback/{id}/idea") => format!("title=From+feedback+{n}&product_id={}", t.extra[1]),
        ("POST", "/evidence/{id}/remove") => String::new(),
        ("POST", "/products/{id}/ideas") => format!("title=Idea+{n}"),
        ("POST", "/products/{id}/ideas/hints") => "title=Export&as_a=&i_want=&so_that=".into(),
        ("POST", "/ideas/{id}") => format!("title=Renamed+{n}&version={v}"),
        ("POST", "/ideas/{id}/merge") => format!("into={}&reason=duplicate", t.extra[1]),
        ("POST", "/customers/{id}") => format!("name=Renamed+{n}&kind=organisation&weight=3&version={v}"),
        ("POST", "/products/{id}/personas") => format!("name=L%C3%A9a+{n}&description=Office+manager&goals=&frustrations="),
        ("POST", "/personas/{id}") => format!("name=Renamed+{n}&goals=Gagner+du+temps&version={v}"),
        ("POST", "/personas/{id}/delete" | "/competitors/{id}/delete") => format!("version={v}"),
        ("POST", "/persona-links") => format!("persona_id={}&target_kind=idea&target_id={}&back=%2F", t.id, t.extra[0]),
        ("POST", "/persona-links/remove") => format!("persona_id={}&target_id={}&back=%2F", t.id, t.extra[0]),
        ("POST", "/products/{id}/competitors") => format!("name=Rival+{n}&website=https%3A%2F%2Frival.example&strengths=Prix"),
        ("POST", "/products/{id}/capabilities") => format!("name=SSO+{n}&ours=partial&ours_note=SAML+only"),
        ("POST", "/products/{id}/capabilities/ratings") => String::new(),
        ("POST", "/capabilities/{id}/delete") => "back=%2F".into(),
        ("POST", "/competitors/{id}") => format!("name=Renamed+{n}&website=&strengths=Prix&weaknesses=&version={v}"),
        ("POST", "/competitors/{id}/ratings") => format!("rating-{c}=partial&note-{c}=Moins+complet&was-rating-{c}=&was-note-{c}=", c = t.extra[0]),
        ("POST", "/products/{id}/research-notes") => format!("title=Interview+{n}&participant=Mme+Dupont&held_on=2026-03-12&persona_id=&notes=Elle+exporte"),
        ("POST", "/research-notes/{id}") => format!("title=Interview+{n}&participant=Mme+Dupont&held_on=2026-03-12&persona_id=&notes=&version={v}"),
        ("POST", "/research-notes/{id}/passages") => "text=Elle+exporte+chaque+lundi&idea_id=&idea=&importance=critical".into(),
        ("POST", "/api/v1/products") => json!({"name": "Made here", "key": format!("M{n}")}).to_string(),
        ("PATCH", "/api/v1/products/{id}") => json!({"description": "changed"}).to_string(),
        ("PUT", "/api/v1/products/{id}/raci") => json!([{"member_id": c.member_a.id, "raci": "consulted"}]).to_string(),
        ("POST", "/api/v1/product-lines") => json!({"name": format!("New line {n}")}).to_string(),
        ("PATCH", "/api/v1/product-lines/{id}") => json!({"description": "changed"}).to_string(),
        ("PATCH", "/api/v1/members/{id}") => json!({"job_title": "senior_pm"}).to_string(),
        ("POST", "/api/v1/members/{id}/password") => json!({"password": PASSWORD}).to_string(),
        ("POST", "/api/v1/invitations") => json!({"email": email, "role": "viewer"}).to_string(),
        ("POST", "/api/v1/tokens") => json!({"name": "cli", "scopes": ["read"]}).to_string(),
        ("PATCH", "/api/v1/profile") => json!({"work_start": "08:30"}).to_string(),
        ("POST", "/api/v1/profile/password") => json!({"current_password": PASSWORD, "new_password": PASSWORD}).to_string(),
        ("PATCH", "/api/v1/workspace") => json!({"default_locale": "fr"}).to_string(),
        ("POST", "/api/v1/feedback" | "/api/v1/products/{id}/feedback") => json!({"text": format!("Feedback {n}"), "source": "interview"}).to_string(),
        ("POST", "/api/v1/feedback/bulk") => json!({"ids": [t.id], "state": "archived"}).to_string(),
        ("PATCH", "/api/v1/feedback/{id}") => json!({"state": "processed"}).to_string(),
        ("PATCH", "/api/v1/customers/{id}") => json!({"weight": 7}).to_string(),
        ("POST", "/api/v1/products/{id}/ideas") => json!({"title": format!("Idea {n}")}).to_string(),
        ("PATCH", "/api/v1/ideas/{id}") => json!({"title": format!("Renamed {n}")}).to_string(),
        ("POST", "/api/v1/ideas/{id}/evidence") => json!({"feedback_id": t.extra[0], "importance": "critical"}).to_string(),
        ("POST", "/api/v1/products/{id}/imports") => format!("text,source\r\nCustomers want exports {n},support\r\n"),
        ("POST", "/api/v1/products/{id}/personas") => json!({"name": format!("Léa {n}")}).to_string(),
        ("PATCH", "/api/v1/personas/{id}") => json!({"goals": "Gagner du temps"}).to_string(),
        ("POST", "/api/v1/personas/{id}/links") => json!({"target_kind": "idea", "target_id": t.extra[0]}).to_string(),
        ("POST", "/api/v1/products/{id}/competitors") => json!({"name": format!("Rival {n}")}).to_string(),
        ("PATCH", "/api/v1/competitors/{id}") => json!({"strengths": "Prix"}).to_string(),
        ("PUT", "/api/v1/competitors/{id}/ratings/{capability_id}") => json!({"rating": "partial"}).to_string(),
        ("PUT", "/api/v1/products/{id}/capabilities") => json!({"name": format!("SSO {n}"), "ours": "have"}).to_string(),
        ("POST", "/api/v1/products/{id}/research-notes") => json!({"title": format!("Interview {n}")}).to_string(),
        ("PATCH", "/api/v1/research-notes/{id}") => json!({"participant": "Mme Dupont"}).to_string(),
        ("POST", "/api/v1/research-notes/{id}/passages") => json!({"text": "Elle exporte chaque lundi"}).to_string(),
        ("POST", "/api/v1/ideas/{id}/merge") => json!({"into": t.extra[1], "reason": "duplicate"}).to_string(),
        ("POST", "/p/{workspace}/{product}/ideas/{number}/vote" | "/p/{workspace}/{product}/ideas/{number}/unvote" | "/p/{workspace}/{product}/ideas/{number}/subscribe" | "/p/{workspace}/{product}/ideas/{number}/unsubscribe" | "/p/{workspace}/{product}/sign-out") => String::new(),
        ("POST", "/p/{workspace}/{product}/ideas/{number}/comments") => format!("body=Nice+idea+{n}"),
        ("POST", "/p/{workspace}/{product}/submit") => format!("title=Idea+{n}&description=Because&website="),
        ("POST", "/p/{workspace}/{product}/sign-in") => format!("email=someone{n}%40example.org&display_name=Someone"),
        ("POST", "/p/{workspace}/{product}/sign-in/code") => format!("email={}&code={}", enc(&t.extra[3]), t.extra[4]),
        ("POST", "/p/{workspace}/{product}/language") => "locale=fr&back=".into(),
        ("POST", "/products/{id}/portal") => format!("enabled=1&title=Ideas+{n}&intro=Hello&version={v}"),
        ("POST", "/ideas/{id}/portal") => format!("state=hidden&title=Public+{n}&description=&version={v}"),
        ("POST", "/ideas/{id}/portal/comments") => format!("body=Thanks+{n}"),
        ("POST", "/ideas/{id}/portal/merge") => format!("into={}&reason=duplicate", t.extra[0]),
        ("POST", "/portal-comments/{id}/visibility") => "hidden=1".into(),
        ("PATCH", "/api/v1/products/{id}/portal") => json!({"title": format!("Ideas {n}")}).to_string(),
        ("PATCH", "/api/v1/ideas/{id}/portal") => json!({"state": "hidden"}).to_string(),
        ("POST", "/api/v1/ideas/{id}/portal/comments") => json!({"body": format!("Thanks {n}")}).to_string(),
        ("POST", "/api/v1/portal-comments/{id}/visibility") => json!({"hidden": true}).to_string(),
        // decisions (issue #4)
        ("POST", "/ideas/{id}/decide") => format!("kind=defer&rationale=Later+{n}&condition=When+the+API+ships"),
        ("POST", "/api/v1/ideas/{id}/decisions") => json!({"kind": "defer", "rationale": format!("Later {n}"), "until": "2099-03-01"}).to_string(),
        ("POST", "/my-inbox/read" | "/my-inbox/{id}/read" | "/api/v1/notifications/read" | "/api/v1/notifications/{id}/read") => String::new(),
        // specs (issue 4)
        ("POST", "/ideas/{id}/spec") => format!("language=en&context=Edited+{n}&criteria%5B0%5D.title=Saves&criteria%5B0%5D.given=a+spec&criteria%5B0%5D.when=I+save&criteria%5B0%5D.then=it+is+kept&version={v}"),
        ("POST", "/ideas/{id}/spec/criteria/{index}") => format!("state=passing&version={v}"),
        ("POST", "/ideas/{id}/doc") => format!("body=Guide+{n}&version={v}"),
        ("PUT", "/api/v1/ideas/{id}/spec") => json!({"language": "fr", "context": format!("Édité {n}"), "criteria": [{"title": "T", "given": ["a"], "when": ["b"], "then": ["c"]}]}).to_string(),
        ("PUT", "/api/v1/ideas/{id}/spec/criteria/{index}") => json!({"state": "failing"}).to_string(),
        ("PUT", "/api/v1/ideas/{id}/doc") => json!({"body": format!("Guide {n}")}).to_string(),
        // scoring slice (issue #4)
        ("POST", "/products/{id}/backlog/status") => format!("ids={}&status=draft&back=%2F", t.id),
        ("POST", "/products/{id}/backlog/views") => format!("name=View+{n}&query=sort%3Drank"),
        ("POST", "/backlog-views/{id}/delete") => "back=%2F".into(),
        ("POST", "/backlog-views/{id}/rename") => format!("name=Renamed+{n}&back=%2F"),
        ("PATCH", "/api/v1/backlog-views/{id}") => json!({"name": format!("Renamed {n}")}).to_string(),
        ("POST", "/ideas/{id}/move") => "to=top&back=%2F".into(),
        ("POST", "/products/{id}/scoring") => "primary_framework=ice&version=0&criterion_id=&criterion_name=Revenue&criterion_scale=5&criterion_weight=2".into(),
        ("POST", "/ideas/{id}/scores/{framework}") => "reach=500&reach_source=typed&impact=2&confidence=0.8&effort=4".into(),
        ("PUT", "/api/v1/ideas/{id}/scores/{framework}") => json!({"reach": 500, "impact": 2, "confidence": 0.8, "effort": 4}).to_string(),
        ("PUT", "/api/v1/products/{id}/scoring") => json!({"primary_framework": "ice", "criteria": [{"name": "Revenue", "scale": 5, "weight": 2}]}).to_string(),
        ("POST", "/api/v1/ideas/{id}/move") => json!({"to": "top"}).to_string(),
        ("POST", "/api/v1/products/{id}/backlog/status") => json!({"ids": [t.id], "status": "draft"}).to_string(),
        ("POST", "/api/v1/products/{id}/backlog/views") => json!({"name": format!("View {n}"), "query": "sort=rank"}).to_string(),
        // Stakeholder sessions.
        ("POST", "/stakeholder-groups") => format!("new_name=Group+{n}&new_weight=2"),
        ("POST", "/stakeholder-groups/defaults") => String::new(),
        ("POST", "/stakeholder-groups/{id}") => format!("name=Renamed+{n}&weight=3&version={v}"),
        ("POST", "/stakeholder-groups/{id}/delete") => format!("version={v}"),
        ("POST", "/products/{id}/sessions") => format!("title=Session+{n}&method=ranking&deadline=2099-01-01T12%3A00&idea_ids={}&idea_ids={}", t.extra[0], t.extra[1]),
        ("POST", "/sessions/{id}/invitations") => format!("member_id={}&group_id={}", t.extra[3], t.extra[2]),
        ("POST", "/sessions/{id}/open" | "/sessions/{id}/close") => format!("version={v}"),
        ("POST", "/sessions/{id}/ballot") => format!("version=0&points.{}=60&points.{}=40", t.extra[0], t.extra[1]),
        ("POST", "/api/v1/stakeholder-groups") => json!({"name": format!("Group {n}"), "weight": 2}).to_string(),
        ("PATCH", "/api/v1/stakeholder-groups/{id}") => json!({"weight": 3}).to_string(),
        ("POST", "/api/v1/products/{id}/sessions") => json!({"title": format!("Session {n}"), "method": "moscow", "deadline": "2099-01-01T12:00:00Z", "idea_ids": [t.extra[0], t.extra[1]]}).to_string(),
        ("POST", "/api/v1/sessions/{id}/invitations") => json!({"invitations": [{"member_id": t.extra[3], "group_id": t.extra[2]}]}).to_string(),
        ("POST", "/api/v1/sessions/{id}/open" | "/api/v1/sessions/{id}/close") => String::new(),
        ("PUT", "/api/v1/sessions/{id}/ballot") => json!({"points": {t.extra[0].clone(): 70, t.extra[1].clone(): 30}}).to_string(),
        (m, p) => panic!("no body for {m} {p}: add one to cell_body"),
    };
    let _ = api;
    Some(s)
}

/// What a request wrote, told by triggers the matrix test adds to its own database file: per
/// table, how many rows were inserted, deleted or updated with a value that differs. Proving
/// that a refused request changed nothing this way costs two small reads instead of two dumps
/// of the whole (growing) database per cell; [`World::rows`] still checks a sample of cells,
/// so a table the triggers missed would show.
struct Writes {
    db: std::sync::Mutex<rusqlite::Connection>,
}

/// Tables a refused request may write: the audit trail records refusals on purpose; sessions,
/// portal sessions and rate limits are not in the dump (nor in [`World::rows`]).
const UNWATCHED: [&str; 4] = ["audit_events", "sessions", "portal_sessions", "rate_limits"];
/// Columns touched by authentication itself (left out of [`World::rows`] too).
const UNWATCHED_COLUMNS: [(&str, &str); 1] = [("api_tokens", "last_used_at")];

impl Writes {
    fn install(w: &World) -> Writes {
        let db = rusqlite::Connection::open(w._dir.path().join("phare.db")).unwrap();
        db.busy_timeout(Duration::from_secs(30)).unwrap();
        db.execute_batch(
            "CREATE TABLE test_writes (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0)",
        )
        .unwrap();
        let all: Vec<(String, String)> = db
            .prepare("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // Virtual tables (full-text indexes) take no triggers; their shadow tables only
        // mirror rows of watched tables.
        let virtual_tables: Vec<&str> = all
            .iter()
            .filter(|(_, sql)| sql.starts_with("CREATE VIRTUAL TABLE"))
            .map(|(n, _)| n.as_str())
            .collect();
        let mut ddl = String::new();
        let mut watched = 0;
        for (table, _) in &all {
            let t = table.as_str();
            if t.starts_with("sqlite_")
                || t == "test_writes"
                || UNWATCHED.contains(&t)
                || virtual_tables
                    .iter()
                    .any(|v| t == *v || t.starts_with(&format!("{v}_")))
            {
                continue;
            }
            let columns: Vec<String> = db
                .prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let differs = columns
                .iter()
                .filter(|c| !UNWATCHED_COLUMNS.contains(&(t, c.as_str())))
                .map(|c| format!("OLD.\"{c}\" IS NOT NEW.\"{c}\""))
                .collect::<Vec<_>>()
                .join(" OR ");
            let bump = format!("UPDATE test_writes SET n = n + 1 WHERE tbl = '{t}';");
            ddl += &format!(
                "INSERT INTO test_writes (tbl) VALUES ('{t}');\n\
                 CREATE TRIGGER test_writes_{t}_i AFTER INSERT ON \"{t}\" BEGIN {bump} END;\n\
                 CREATE TRIGGER test_writes_{t}_d AFTER DELETE ON \"{t}\" BEGIN {bump} END;\n\
                 CREATE TRIGGER test_writes_{t}_u AFTER UPDATE ON \"{t}\" WHEN {differs} \
                 BEGIN {bump} END;\n"
            );
            watched += 1;
        }
        db.execute_batch(&format!("BEGIN; {ddl} COMMIT;")).unwrap();
        assert!(watched > 40, "only {watched} tables watched");
        Writes {
            db: std::sync::Mutex::new(db),
        }
    }

    fn counts(&self) -> BTreeMap<String, i64> {
        let db = self.db.lock().unwrap();
        let mut q = db.prepare_cached("SELECT tbl, n FROM test_writes").unwrap();
        let counts = q
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        counts
    }

    /// The tables written between two counts.
    fn changed(before: &BTreeMap<String, i64>, after: &BTreeMap<String, i64>) -> Vec<String> {
        after
            .iter()
            .filter(|(t, n)| before.get(*t) != Some(*n))
            .map(|(t, _)| t.clone())
            .collect()
    }
}

/// Every how many refused cells the whole database is also dumped before and after, to check
/// the triggers against [`World::rows`].
const DUMP_EVERY: usize = 25;

#[allow(clippy::too_many_arguments)]
async fn run_cell(
    w: &World,
    c: &Cast,
    row: &Row,
    role: Role,
    own: bool,
    expect: char,
    writes: &Writes,
    dump: bool,
) -> Result<(), String> {
    let actor = &c.ws_a[role.as_str()];
    let t = make_target(w, c, actor, row.obj, own).await;
    let second = t.extra.first().cloned().unwrap_or_default();
    // `/products/{id}/ideas/{number}` names the idea by its product and number (1: the first).
    // scoring slice (issue #4): the bulk status routes name the idea's product.
    let id = if row.path.contains("{number}") || row.path.ends_with("/backlog/status") {
        t.extra[2].clone()
    } else {
        t.id.clone()
    };
    let path = row
        .path
        .replace("{id}", &id)
        .replace("{token}", &t.id)
        .replace("{capability_id}", &second)
        .replace("{number}", "1")
        .replace("{framework}", "rice")
        .replace("{target_id}", &second)
        // specs (issue 4)
        .replace("{index}", "0")
        .replace("{version}", "1");
    // A portal address is under the actor's workspace, with the target product's key.
    let path = if matches!(row.obj, Obj::Portal | Obj::PortalDoc) {
        path.replace("{workspace}", &t.extra[0])
            .replace("{product}", &t.extra[1])
    } else {
        path
    };
    let body = cell_body(w, row, c, actor, &t);
    let method = Method::from_bytes(row.method.as_bytes()).unwrap();
    // Only refused requests must leave everything as it was.
    let refused = expect != 'A';
    let before = if refused { Some(writes.counts()) } else { None };
    let before_dump = if refused && dump {
        Some(w.rows().await)
    } else {
        None
    };
    let res = if row.path.starts_with("/api/") {
        let mut b = Request::builder()
            .method(method)
            .uri(&path)
            .header(header::AUTHORIZATION, format!("Bearer {}", actor.token));
        // specs (issue 4): the spec and documentation are replaced with PUT, under If-Match.
        // Stakeholder sessions: their actions and ballots are versioned too.
        let versioned_session_action = matches!(
            row.obj,
            Obj::SessionDraft | Obj::SessionOpen | Obj::SessionClosed
        ) && matches!(row.method, "POST" | "PUT");
        if ((matches!(row.method, "PATCH" | "DELETE")
            || (row.method == "PUT" && row.obj == Obj::Spec))
            && row.obj != Obj::Invitation
            && row.obj != Obj::Token)
            || versioned_session_action
        {
            // One's own ballot is new in every cell: version 0.
            let v = if row.path.ends_with("/ballot") {
                0
            } else {
                t.version
            };
            b = b.header(header::IF_MATCH, format!("\"{v}\""));
        }
        // scoring slice (issue #4): a product's scoring settings start at version 0.
        if row.method == "PUT" && row.path.ends_with("/scoring") {
            b = b.header(header::IF_MATCH, "\"0\"");
        }
        let body = match body {
            Some(s) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(s)
            }
            None => Body::empty(),
        };
        w.send(b.body(body).unwrap()).await
    } else {
        let session = w.session(&actor.member).await;
        // Portal pages also get a portal visitor's cookie (a separate cookie).
        let session = if row.obj == Obj::Portal {
            format!("{session}; phare_portal={}", t.extra[2])
        } else {
            session
        };
        w.page(&session, method, &path, body).await
    };
    let s = res.status.as_u16();
    let ok = match expect {
        'A' => (200..400).contains(&s),
        'F' => s == 403,
        'N' => s == 404,
        'C' => s == 409,
        other => return Err(format!("unknown expectation {other}")),
    };
    let where_ = format!(
        "{} {} as {} on {} object",
        row.method,
        row.path,
        role.as_str(),
        if own { "own" } else { "foreign" }
    );
    if !ok {
        return Err(format!(
            "{where_}: expected {expect}, got {s}: {}",
            res.text().chars().take(300).collect::<String>()
        ));
    }
    if let Some(before) = before {
        let written = Writes::changed(&before, &writes.counts());
        if !written.is_empty() {
            return Err(format!("{where_}: refused ({s}) but wrote {written:?}"));
        }
    }
    if let Some(before) = before_dump {
        let after = w.rows().await;
        if before != after {
            let changed: Vec<_> = before.keys().filter(|k| before[*k] != after[*k]).collect();
            return Err(format!(
                "{where_}: refused ({s}) and the triggers saw no write, but the dump changed \
                 {changed:?}: watch what they miss"
            ));
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_role_as_the_policy_says() {
    let w = World::new().await;
    let writes = Writes::install(&w);
    let c = cast(&w).await;
    // The triggers see the store's writes (and only real changes).
    let seen = writes.counts();
    w.line(&c.ws_a["admin"]).await;
    assert_eq!(
        Writes::changed(&seen, &writes.counts()),
        ["product_lines"],
        "the triggers see a new product line"
    );
    let mut failures = Vec::new();
    let mut cells = 0;
    let mut refused = 0;
    for row in MATRIX {
        for (i, role) in ROLES.iter().enumerate() {
            for (own, line) in [(true, row.own), (false, row.foreign)] {
                let expect = line.as_bytes()[i] as char;
                if expect == '-' {
                    continue;
                }
                cells += 1;
                let dump = expect != 'A' && refused % DUMP_EVERY == 0;
                refused += usize::from(expect != 'A');
                if let Err(e) = run_cell(&w, &c, row, *role, own, expect, &writes, dump).await {
                    failures.push(e);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cells} cells failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(cells > 400, "{cells} cells");
}

#[tokio::test]
async fn ids_of_another_workspace_smuggled_in_bodies_are_refused() {
    let w = World::new().await;
    let c = cast(&w).await;
    let admin = &c.ws_a["admin"];
    let session = w.session(&admin.member).await;
    let foreign_line = w.line(&c.admin_b).await;
    let own_product = w.product(admin).await;
    let own_line = w.line(admin).await;

    let before = w.rows().await;
    // A product in a line of another workspace (API create and update; page create and update).
    let res = w
        .api(
            &admin.token,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "X", "key": "SMG", "product_line_id": foreign_line.id})),
            &[],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    assert_eq!(res.json()["errors"][0]["field"], "product_line_id");
    let res = w
        .api(
            &admin.token,
            Method::PATCH,
            &format!("/api/v1/products/{}", own_product.id),
            Some(json!({"product_line_id": foreign_line.id})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = w
        .page(
            &session,
            Method::POST,
            "/products",
            Some(format!(
                "name=X&key=SMH&product_line_id={}&pm_model=shared",
                foreign_line.id
            )),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = w
        .page(
            &session,
            Method::POST,
            &format!("/products/{}", own_product.id),
            Some(format!(
                "name=X&key={}&product_line_id={}&pm_model=shared&version=1",
                own_product.key, foreign_line.id
            )),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A RACI entry naming a member of another workspace (API and page).
    let res = w
        .api(&admin.token, Method::PUT, &format!("/api/v1/products/{}/raci", own_product.id),
            Some(json!([{"member_id": admin.member.id, "raci": "accountable"}, {"member_id": c.member_b.id, "raci": "informed"}])), &[])
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    let res = w
        .page(
            &session,
            Method::POST,
            &format!("/products/{}/raci", own_product.id),
            Some(format!(
                "raci={}%3Aresponsible&raci={}%3Ainformed",
                admin.member.id, c.member_b.id
            )),
        )
        .await;
    assert!(
        res.status == StatusCode::UNPROCESSABLE_ENTITY || res.status == StatusCode::NOT_FOUND,
        "{}",
        res.status
    );
    // A product-line filter of another workspace lists nothing.
    let res = w
        .get(
            &admin.token,
            &format!("/api/v1/products?product_line_id={}", foreign_line.id),
        )
        .await;
    assert!(res.json()["items"].as_array().unwrap().is_empty());
    let _ = own_line;
    assert_eq!(before, w.rows().await, "refused requests changed nothing");
}

// --- R2: no role escalation -----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_gains_a_role_they_were_not_given() {
    let w = World::new().await;
    let mut actors = BTreeMap::new();
    let mut targets_a = BTreeMap::new();
    let mut targets_b = BTreeMap::new();
    for role in ROLES {
        actors.insert(role.as_str(), w.person("Atelier", role).await);
        targets_a.insert(role.as_str(), w.person("Atelier", role).await.member);
        targets_b.insert(role.as_str(), w.person("Bureau", role).await.member);
    }
    let mut escalations = Vec::new();
    for actor_role in ROLES {
        let actor = &actors[actor_role.as_str()];
        for (same_ws, targets) in [(true, &targets_a), (false, &targets_b)] {
            for target_role in ROLES {
                for new_role in ROLES {
                    let target = &targets[target_role.as_str()];
                    let current = w.member(target.id, target.workspace_id).await;
                    let res = w
                        .api(
                            &actor.token,
                            Method::PATCH,
                            &format!("/api/v1/members/{}", target.id),
                            Some(json!({"role": new_role.as_str()})),
                            &[("if-match", &format!("\"{}\"", current.version))],
                        )
                        .await;
                    let expected = match (actor_role, same_ws) {
                        (Role::Admin, true) => 200,
                        (Role::Admin, false) => 404,
                        _ => 403,
                    };
                    if res.status.as_u16() != expected {
                        escalations.push(format!(
                            "{actor_role} → {target_role} ({}) as {new_role}: {}",
                            if same_ws { "same" } else { "other" },
                            res.status
                        ));
                    }
                    let after = w.member(target.id, target.workspace_id).await;
                    if res.status.as_u16() != 200 && after.role != current.role {
                        escalations.push(format!(
                            "{actor_role} changed {target_role} to {}",
                            after.role
                        ));
                    }
                    // Put the target back for the next attempt.
                    if after.role != target_role {
                        let reset = w.member(target.id, target.workspace_id).await;
                        let owner = if same_ws {
                            &actors["admin"]
                        } else {
                            &w.person("Bureau", Role::Admin).await
                        };
                        let r = w
                            .api(
                                &owner.token,
                                Method::PATCH,
                                &format!("/api/v1/members/{}", target.id),
                                Some(json!({"role": target_role.as_str()})),
                                &[("if-match", &format!("\"{}\"", reset.version))],
                            )
                            .await;
                        assert_eq!(r.status, StatusCode::OK);
                    }
                }
            }
        }
    }
    assert!(escalations.is_empty(), "{}", escalations.join("\n"));
}

#[tokio::test]
async fn a_product_manager_cannot_change_a_members_role() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let viewer = w.person("Atelier", Role::Viewer).await;
    let res = w
        .api(
            &pm.token,
            Method::PATCH,
            &format!("/api/v1/members/{}", viewer.member.id),
            Some(json!({"role": "admin"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = w
        .api(
            &pm.token,
            Method::PATCH,
            &format!("/api/v1/members/{}", pm.member.id),
            Some(json!({"role": "admin"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Nor through the profile, which has no role field.
    let res = w
        .api(
            &pm.token,
            Method::PATCH,
            "/api/v1/profile",
            Some(json!({"role": "admin"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "unknown_field")
    );
    assert_eq!(
        w.member(pm.member.id, pm.member.workspace_id).await.role,
        Role::ProductManager
    );
}

#[tokio::test]
async fn an_admin_cannot_change_their_own_role_or_disable_themselves() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let path = format!("/api/v1/members/{}", admin.member.id);
    for body in [json!({"role": "viewer"}), json!({"disabled": true})] {
        let res = w
            .api(
                &admin.token,
                Method::PATCH,
                &path,
                Some(body),
                &[("if-match", "\"1\"")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.json()["errors"][0]["code"], "cannot_change_self");
    }
    let me = w.member(admin.member.id, admin.member.workspace_id).await;
    assert_eq!((me.role, me.disabled), (Role::Admin, false));
}

#[tokio::test]
async fn a_read_token_cannot_write() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let read = w.token_for(&admin.member, vec![Scope::Read]).await;
    let write = w.token_for(&admin.member, vec![Scope::Write]).await;
    let before = w.rows().await;
    let res = w
        .api(
            &read,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "X", "key": "XX"})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = w
        .api(
            &read,
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "X", "scopes": ["all"]})),
            &[],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::FORBIDDEN,
        "a read token mints no token"
    );
    let res = w
        .api(
            &read,
            Method::PATCH,
            "/api/v1/profile",
            Some(json!({"name": "X"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(
        w.get(&read, "/api/v1/products").await.status,
        StatusCode::OK
    );
    // A write token writes, but does not administer.
    assert_eq!(
        w.get(&write, "/api/v1/audit").await.status,
        StatusCode::FORBIDDEN
    );
    let res = w
        .api(
            &write,
            Method::POST,
            "/api/v1/invitations",
            Some(json!({"email": "a@b.test", "role": "admin"})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(before, w.rows().await);
}

#[tokio::test]
async fn a_non_admin_cannot_create_an_admin_scoped_token() {
    let w = World::new().await;
    for role in [
        Role::ProductManager,
        Role::Contributor,
        Role::Stakeholder,
        Role::Viewer,
    ] {
        let p = w.person("Atelier", role).await;
        let before = w.rows().await;
        let res = w
            .api(
                &p.token,
                Method::POST,
                "/api/v1/tokens",
                Some(json!({"name": "x", "scopes": ["admin"]})),
                &[],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{role}");
        assert_eq!(res.json()["errors"][0]["code"], "scope_not_allowed");
        assert_eq!(before, w.rows().await);
    }
}

/// R2 for tokens: a token must not mint a more powerful token than itself (a `write` token of
/// an administrator creating an `all` or `admin` token would read the audit trail and manage
/// members: a scope escalation).
#[tokio::test]
async fn a_token_cannot_mint_a_more_powerful_token() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let write = w.token_for(&admin.member, vec![Scope::Write]).await;
    for scopes in [json!(["all"]), json!(["admin"])] {
        let res = w
            .api(
                &write,
                Method::POST,
                "/api/v1/tokens",
                Some(json!({"name": "more", "scopes": scopes})),
                &[],
            )
            .await;
        assert!(res.status.is_client_error(), "{scopes}: {}", res.status);
    }
}

// --- R3: unknown and forbidden fields ------------------------------------------------------

#[tokio::test]
async fn forbidden_fields_are_refused_and_nothing_is_stored() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let other = w.person("Atelier", Role::Viewer).await;
    let product = w.product(&admin).await;
    let line = w.line(&admin).await;
    let t = &admin.token;
    let writes: Vec<(Method, String, Value, bool)> = vec![
        (
            Method::POST,
            "/api/v1/products".into(),
            json!({"name": "A", "key": "FRB"}),
            false,
        ),
        (
            Method::PATCH,
            format!("/api/v1/products/{}", product.id),
            json!({"name": "B"}),
            true,
        ),
        (
            Method::POST,
            "/api/v1/product-lines".into(),
            json!({"name": "L"}),
            false,
        ),
        (
            Method::PATCH,
            format!("/api/v1/product-lines/{}", line.id),
            json!({"name": "M"}),
            true,
        ),
        (
            Method::PATCH,
            format!("/api/v1/members/{}", other.member.id),
            json!({"job_title": "pm"}),
            true,
        ),
        (
            Method::POST,
            format!("/api/v1/members/{}/password", other.member.id),
            json!({"password": PASSWORD}),
            false,
        ),
        (
            Method::POST,
            "/api/v1/invitations".into(),
            json!({"email": "x@y.test", "role": "viewer"}),
            false,
        ),
        (
            Method::POST,
            "/api/v1/tokens".into(),
            json!({"name": "t", "scopes": ["read"]}),
            false,
        ),
        (
            Method::PATCH,
            "/api/v1/profile".into(),
            json!({"name": "Me"}),
            true,
        ),
        (
            Method::POST,
            "/api/v1/profile/password".into(),
            json!({"current_password": PASSWORD, "new_password": PASSWORD}),
            false,
        ),
        (
            Method::PATCH,
            "/api/v1/workspace".into(),
            json!({"name": "W"}),
            true,
        ),
    ];
    let forbidden = [
        ("id", json!("00000000-0000-0000-0000-000000000001")),
        (
            "workspace_id",
            json!("00000000-0000-0000-0000-000000000002"),
        ),
        ("author_id", json!("00000000-0000-0000-0000-000000000003")),
        ("vote_count", json!(1_000_000)),
        ("created_at", json!("2000-01-01T00:00:00Z")),
        ("version", json!(99)),
        ("role", json!("admin")),
    ];
    let before = w.rows().await;
    let mut cases = 0;
    for (method, path, body, versioned) in &writes {
        for (field, value) in &forbidden {
            if *field == "role" && path.contains("/invitations") {
                continue; // role is a field of an invitation
            }
            if *field == "role" && path.contains("/members/") && !path.ends_with("/password") {
                continue; // admins change roles here (R2 covers it)
            }
            let mut b = body.clone();
            b[*field] = value.clone();
            let headers: Vec<(&str, &str)> = if *versioned {
                vec![("if-match", "\"1\"")]
            } else {
                vec![]
            };
            let res = w.api(t, method.clone(), path, Some(b), &headers).await;
            assert_eq!(
                res.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{method} {path} + {field}: {}",
                res.text()
            );
            let p = res.json();
            assert_eq!(p["code"], "unknown_field", "{method} {path} + {field}");
            assert_eq!(p["errors"][0]["field"], *field);
            assert_eq!(p["errors"][0]["code"], "unknown_field");
            cases += 1;
        }
    }
    // Several at once are all named; nested ones carry their path.
    let res = w
        .api(
            t,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "A", "key": "FRB", "id": 1, "vote_count": 2})),
            &[],
        )
        .await;
    let named: BTreeSet<String> = res.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        named,
        BTreeSet::from(["id".to_owned(), "vote_count".to_owned()])
    );
    let res = w
        .api(t, Method::PUT, &format!("/api/v1/products/{}/raci", product.id),
            Some(json!([{"member_id": admin.member.id, "raci": "informed", "product_id": product.id}])), &[])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "[0].product_id");
    assert!(cases >= 70, "{cases}");
    assert_eq!(before, w.rows().await, "no forbidden value stored");
}

// --- R4: no lost update ---------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_writers_with_the_same_etag_never_both_win() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let other = w.person("Atelier", Role::ProductManager).await;
    let p = w.product(&pm).await;
    let path = format!("/api/v1/products/{}", p.id);
    let rounds = 1000;
    for round in 0..rounds {
        let etag = format!("\"{}\"", p.version + round);
        let h = [("if-match", etag.as_str())];
        let a = w.api(
            &pm.token,
            Method::PATCH,
            &path,
            Some(json!({"description": format!("a{round}")})),
            &h,
        );
        let b = w.api(
            &other.token,
            Method::PATCH,
            &path,
            Some(json!({"description": format!("b{round}")})),
            &h,
        );
        let (a, b) = tokio::join!(a, b);
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412], "round {round}");
    }
    let res = w
        .api(
            &pm.token,
            Method::PATCH,
            &path,
            Some(json!({"description": "late"})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::PRECONDITION_REQUIRED);
    let final_version = w.get(&pm.token, &path).await.json()["version"]
        .as_i64()
        .unwrap();
    assert_eq!(final_version, p.version + rounds);
}

// --- R11: CSRF ------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_requests_cannot_act_for_a_signed_in_person() {
    let w = World::new().await;
    let c = cast(&w).await;
    let admin = &c.ws_a["admin"];
    let session = w.session(&admin.member).await;
    let product = w.product(admin).await;
    let line = w.line(admin).await;
    let before = w.rows().await;
    let mut refused = 0;
    let mut failures = Vec::new();
    for row in MATRIX.iter().filter(|r| r.method != "GET") {
        let id = match row.obj {
            Obj::Product => product.id.to_string(),
            Obj::Line => line.id.to_string(),
            Obj::Member => c.member_a.id.to_string(),
            _ => uuid::Uuid::now_v7().to_string(),
        };
        let path = row
            .path
            .replace("{id}", &id)
            .replace("{token}", "some-token");
        for variant in ["no origin", "evil origin", "cross-site fetch"] {
            let mut b = Request::builder()
                .method(row.method)
                .uri(&path)
                .header(header::COOKIE, format!("phare_session={session}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            b = match variant {
                "no origin" => b,
                "evil origin" => b.header(header::ORIGIN, "http://evil.test"),
                _ => b
                    .header(header::ORIGIN, BASE)
                    .header("sec-fetch-site", "cross-site"),
            };
            let res = w
                .send(b.body(Body::from("name=x&version=1&locale=fr")).unwrap())
                .await;
            if res.status == StatusCode::FORBIDDEN {
                refused += 1;
            } else {
                failures.push(format!(
                    "{} {} ({variant}): {}",
                    row.method, row.path, res.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(refused > 90, "{refused}");
    assert_eq!(before, w.rows().await, "refused requests changed nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_requests_change_nothing() {
    let w = World::new().await;
    let c = cast(&w).await;
    let admin = &c.ws_a["admin"];
    let product = w.product(admin).await;
    let line = w.line(admin).await;
    let (inv, token) = w
        .phare
        .invite(
            &admin.operator(),
            &meta(),
            "guest@example.org",
            Role::Viewer,
        )
        .await
        .unwrap();
    let _ = inv;
    let before = w.rows().await;
    let mut calls = 0;
    for row in MATRIX.iter().filter(|r| r.method == "GET") {
        let id = match row.obj {
            Obj::Product => product.id.to_string(),
            Obj::Line => line.id.to_string(),
            Obj::Member => c.member_a.id.to_string(),
            _ => String::new(),
        };
        let path = row.path.replace("{id}", &id).replace("{token}", &token);
        for role in ROLES {
            let actor = &c.ws_a[role.as_str()];
            let session = w.session(&actor.member).await;
            let res = if row.path.starts_with("/api/") {
                w.get(&actor.token, &path).await
            } else {
                w.page(&session, Method::GET, &path, None).await
            };
            assert!(res.status.as_u16() < 500, "GET {path}: {}", res.status);
            calls += 1;
        }
    }
    assert!(calls > 100);
    assert_eq!(before, w.rows().await, "a GET changed something");
}

// --- R16/R17: bad and oversized requests ----------------------------------------------------

#[tokio::test]
async fn a_body_over_the_limit_is_refused_fast() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let big = format!(
        "{{\"name\": \"{}\", \"key\": \"BIG\"}}",
        "x".repeat(BODY_LIMIT + 10)
    );
    // Streamed (no Content-Length): the API reads up to the limit and answers a problem.
    let stream = futures_stream(big.clone().into_bytes());
    let started = Instant::now();
    let res = w
        .send(
            Request::post("/api/v1/products")
                .header(header::AUTHORIZATION, format!("Bearer {}", admin.token))
                .header(header::CONTENT_TYPE, "application/json")
                .body(stream)
                .unwrap(),
        )
        .await;
    assert!(
        started.elapsed() < Duration::from_millis(100),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.code(), "payload_too_large");
    // With a Content-Length above the limit, the server refuses before reading the body.
    let started = Instant::now();
    let res = w
        .send(
            Request::post("/api/v1/products")
                .header(header::AUTHORIZATION, format!("Bearer {}", admin.token))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, big.len())
                .body(Body::from(big))
                .unwrap(),
        )
        .await;
    assert!(started.elapsed() < Duration::from_millis(100));
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(w.store.dump().await.unwrap().products.is_empty());
}

/// A body without a known length, as a chunked upload would be.
fn futures_stream(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(8192).map(|c| Ok(c.to_vec())).collect();
    Body::from_stream(futures::stream::iter(chunks))
}

#[tokio::test]
async fn json_nested_ten_thousand_deep_is_refused_fast() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    for body in [
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        format!(
            "{{\"name\": {}{}, \"key\": \"DP\"}}",
            "{\"a\":".repeat(10_000),
            "}".repeat(10_000)
        ),
    ] {
        let started = Instant::now();
        let res = w
            .send(
                Request::post("/api/v1/products")
                    .header(header::AUTHORIZATION, format!("Bearer {}", admin.token))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        let took = started.elapsed();
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert_eq!(res.code(), "bad_request");
        assert!(took < Duration::from_millis(100), "{took:?}");
    }
}

#[tokio::test]
async fn garbage_ids_are_not_found_never_a_server_error() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let session = w.session(&admin.member).await;
    let long = "a".repeat(1000);
    let garbage = [
        "%00%FF%FE%80",
        "%C3%28",
        "..%2F..%2Fetc%2Fpasswd",
        "00000000-0000-0000-0000-00000000000G",
        "%E2%80%AE",
    ];
    let mut ids: Vec<String> = garbage.iter().map(|s| (*s).to_owned()).collect();
    ids.push(long);
    for id in &ids {
        for path in [
            "/api/v1/products/{}",
            "/api/v1/product-lines/{}",
            "/api/v1/members/{}",
            "/api/v1/products/{}/raci",
        ] {
            let path = path.replace("{}", id);
            let res = w.get(&admin.token, &path).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
            assert!(res.is_problem());
        }
        let res = w
            .api(
                &admin.token,
                Method::DELETE,
                &format!("/api/v1/tokens/{id}"),
                None,
                &[],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // Pages answer a translated 404 too, even for bytes that are not UTF-8.
        let res = w
            .page(&session, Method::GET, &format!("/products/{id}"), None)
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "page /products/{id}");
    }
}

// --- R19: security events are audited -------------------------------------------------------

#[tokio::test]
async fn security_events_leave_an_audit_row_without_secrets() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let target = w.person("Atelier", Role::Contributor).await;
    let stakeholder = w.person("Atelier", Role::Stakeholder).await;
    let mut secrets = vec![
        PASSWORD.to_owned(),
        admin.token.clone(),
        target.token.clone(),
        stakeholder.token.clone(),
    ];
    let mut expected: Vec<(String, String, &str)> = Vec::new(); // (request id, action, outcome)

    let form = |email: &str, pw: &str| format!("email={}&password={}", enc(email), enc(pw));
    let login = |body: String| {
        Request::post("/login")
            .header(header::ORIGIN, BASE)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let res = w.send(login(form(&admin.member.email, PASSWORD))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "auth.login".into(),
        "success",
    ));
    let wrong = "not-the-password-99";
    secrets.push(wrong.to_owned());
    let res = w.send(login(form(&admin.member.email, wrong))).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "auth.login_failed".into(),
        "failure",
    ));

    let mpath = format!("/api/v1/members/{}", target.member.id);
    let res = w
        .api(
            &admin.token,
            Method::PATCH,
            &mpath,
            Some(json!({"role": "product_manager"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "member.role_change".into(),
        "success",
    ));

    let res = w
        .api(
            &admin.token,
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "ci", "scopes": ["read"]})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    secrets.push(res.json()["token"].as_str().unwrap().to_owned());
    let token_id = res.json()["id"].as_str().unwrap().to_owned();
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "token.create".into(),
        "success",
    ));
    let res = w
        .api(
            &admin.token,
            Method::DELETE,
            &format!("/api/v1/tokens/{token_id}"),
            None,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "token.revoke".into(),
        "success",
    ));

    let res = w
        .api(
            &admin.token,
            Method::PATCH,
            &mpath,
            Some(json!({"disabled": true})),
            &[("if-match", "\"2\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "member.disable".into(),
        "success",
    ));
    assert_eq!(
        w.get(&target.token, "/api/v1/profile").await.status,
        StatusCode::UNAUTHORIZED,
        "a disabled member's token dies"
    );

    let new_pw = "a-new-lighthouse-77";
    secrets.push(new_pw.to_owned());
    let res = w
        .api(
            &admin.token,
            Method::POST,
            &format!("{mpath}/password"),
            Some(json!({"password": new_pw})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "member.reset_password".into(),
        "success",
    ));

    let res = w
        .api(
            &admin.token,
            Method::PATCH,
            "/api/v1/workspace",
            Some(json!({"name": "Atelier Lumière"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "workspace.update".into(),
        "success",
    ));

    let res = w
        .api(
            &admin.token,
            Method::POST,
            "/api/v1/invitations",
            Some(json!({"email": "inv@atelier.test", "role": "viewer"})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    secrets.push(res.json()["token"].as_str().unwrap().to_owned());
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "invitation.create".into(),
        "success",
    ));

    let res = w
        .api(
            &stakeholder.token,
            Method::POST,
            "/api/v1/products",
            Some(json!({"name": "X", "key": "XX"})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "product.create".into(),
        "denied",
    ));
    let res = w.get(&stakeholder.token, "/api/v1/audit").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "audit.read".into(),
        "denied",
    ));

    let res = w
        .api(
            &stakeholder.token,
            Method::POST,
            "/api/v1/profile/password",
            Some(json!({"current_password": PASSWORD, "new_password": "stakeholder-lamp-31"})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    secrets.push("stakeholder-lamp-31".into());
    expected.push((
        res.header("x-request-id").unwrap().to_owned(),
        "member.change_password".into(),
        "success",
    ));

    let dump = w.store.dump().await.unwrap();
    for (request_id, action, outcome) in &expected {
        let row = dump
            .audit
            .iter()
            .find(|e| &e.request_id == request_id)
            .unwrap_or_else(|| panic!("no audit row for {action} ({request_id})"));
        assert_eq!(&row.action, action);
        assert_eq!(row.outcome, *outcome, "{action}");
        assert_eq!(row.source_ip, "127.0.0.1", "{action}");
        assert!(
            row.actor_id.is_some() || !row.actor_label.is_empty(),
            "{action}: an actor"
        );
        assert!(!row.target_kind.is_empty(), "{action}: a target");
        if *outcome != "denied" {
            assert!(row.target_id.is_some(), "{action}: a target id");
        }
        assert!(
            (chrono::Utc::now() - row.at).num_seconds() < 120,
            "{action}: a recent UTC time"
        );
    }
    // And the admin reads them through the API.
    let res = w.get(&admin.token, "/api/v1/audit?limit=200").await;
    assert_eq!(res.status, StatusCode::OK);
    let listed = res.json()["items"].as_array().unwrap().len();
    assert!(listed >= expected.len());
    let res = w.get(&admin.token, "/api/v1/audit?action=auth.").await;
    assert!(res.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["action"].as_str().unwrap().starts_with("auth.")));

    let all = serde_json::to_string(&dump).unwrap();
    for s in &secrets {
        assert!(!all.contains(s.as_str()), "a secret is stored in clear");
    }
    let audit = serde_json::to_string(&dump.audit).unwrap();
    for s in &secrets {
        assert!(
            !audit.contains(s.as_str()),
            "a secret is in the audit trail"
        );
    }
}

/// Two refusals happen before the API's own middleware runs: the body limit (a Content-Length
/// over the limit) and the CSRF guard. `api::outer_problems`, wrapped around the whole app,
/// turns them into problems for `/api/` paths; this checks the layer the app is asked to wire.
#[tokio::test]
async fn the_outermost_problem_layer_turns_early_refusals_into_problems() {
    let w = World::new().await;
    let admin = w.person("Atelier", Role::Admin).await;
    let session = w.session(&admin.member).await;
    let app = phare_web::router(w.state.clone())
        .layer(axum::middleware::from_fn(phare_web::api::outer_problems));
    let send = |req: Request<Body>| {
        let app = app.clone();
        async move {
            let mut req = req;
            req.extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
            let res = app.oneshot(req).await.unwrap();
            let status = res.status();
            let ct = res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let body = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, ct, serde_json::from_slice::<Value>(&body).ok())
        }
    };
    let big = "x".repeat(BODY_LIMIT + 1);
    let (status, ct, body) = send(
        Request::post("/api/v1/products")
            .header(header::AUTHORIZATION, format!("Bearer {}", admin.token))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, big.len())
            .header(header::ACCEPT_LANGUAGE, "fr")
            .body(Body::from(big))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(ct, "application/problem+json");
    assert_eq!(body.unwrap()["code"], "payload_too_large");
    let (status, ct, body) = send(
        Request::post("/api/v1/products")
            .header(header::COOKIE, format!("phare_session={session}"))
            .header(header::ORIGIN, "http://evil.test")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(ct, "application/problem+json");
    assert_eq!(body.unwrap()["code"], "forbidden");
    // Pages keep their HTML error pages.
    let (status, ct, _) = send(
        Request::post("/products")
            .header(header::COOKIE, format!("phare_session={session}"))
            .header(header::ORIGIN, "http://evil.test")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(ct.starts_with("text/html"), "{ct}");
}

// --- R8 / R10: imports are all or nothing, exports are guarded ---------------------------------

async fn import(w: &World, p: &Person, product: &str, query: &str, body: &[u8]) -> Resp {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/products/{product}/imports{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {}", p.token))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(body.to_vec()))
        .unwrap();
    w.send(req).await
}

async fn ideas_of(w: &World, p: &Person, product: &str) -> usize {
    let res = w
        .get(&p.token, &format!("/api/v1/products/{product}/ideas"))
        .await;
    res.json()["items"].as_array().unwrap().len()
}

async fn feedback_count(w: &World, p: &Person) -> usize {
    let res = w.get(&p.token, "/api/v1/feedback?limit=200").await;
    res.json()["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn imports_are_all_or_nothing_and_name_the_line() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let product = w.product(&pm).await.id.to_string();

    // A Jira export: detected, previewed without storing, then imported.
    let jira = "Summary,Issue key,Issue id,Issue Type,Status,Labels,Labels,Created,Description\r\n\
        Export PDF,CHK-1,10001,Story,To Do,export,pdf,14/Jul/25 3:42 PM,\"As a PM, *export*\nsecond line\"\r\n\
        Dark mode,CHK-2,10002,Story,Done,ui,,6/21/2025 16:14,\r\n";
    let dry = import(&w, &pm, &product, "?dry_run=true", jira.as_bytes()).await;
    assert_eq!(dry.status, 200, "{}", String::from_utf8_lossy(&dry.body));
    let plan = dry.json();
    assert_eq!(plan["preset"], "jira");
    assert_eq!(plan["kind"], "idea");
    assert_eq!(plan["total_rows"], 2);
    assert_eq!(plan["total_problems"], 0);
    assert_eq!(
        ideas_of(&w, &pm, &product).await,
        0,
        "a dry run stores nothing"
    );
    let done = import(&w, &pm, &product, "", jira.as_bytes()).await;
    assert_eq!(done.status, 201, "{}", String::from_utf8_lossy(&done.body));
    assert_eq!(done.json()["created"], 2);
    // Importing the same file again updates instead of duplicating.
    let again = import(&w, &pm, &product, "", jira.as_bytes()).await;
    assert_eq!(again.json()["updated"], 2);
    assert_eq!(ideas_of(&w, &pm, &product).await, 2);

    // A file past axum's own 2 MB extractor limit is read whole (the import limit here is
    // 8 MiB): 3 MB of feedback checked in a dry run.
    let mut big = String::from("text,source\r\n");
    while big.len() < 3 * 1024 * 1024 {
        big.push_str(&format!(
            "Export to PDF fails on the quarterly report, line {},support\r\n",
            big.len()
        ));
    }
    let rows = big.lines().count() - 1;
    let large = import(&w, &pm, &product, "?dry_run=true", big.as_bytes()).await;
    assert_eq!(
        large.status,
        200,
        "{}",
        String::from_utf8_lossy(&large.body)
    );
    assert_eq!(large.json()["total_rows"], rows);

    // A file past the import limit is refused whole, 413, also when it comes without a length
    // (the reading stops at the limit).
    let huge = vec![b'a'; 8 * 1024 * 1024 + 1];
    let res = import(&w, &pm, &product, "", &huge).await;
    assert_eq!(res.status, 413);
    assert!(res.is_problem());
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/products/{product}/imports"))
        .header(header::AUTHORIZATION, format!("Bearer {}", pm.token))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from_stream(futures::stream::iter(
            huge.chunks(64 * 1024)
                .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
                .collect::<Vec<_>>(),
        )))
        .unwrap();
    let res = w.send(req).await;
    assert_eq!(res.status, 413);
    assert!(res.is_problem());

    // Hostile and broken files: a clear 422 naming the line, and nothing stored.
    let before = feedback_count(&w, &pm).await;
    // Rows reach the store in chunks while the file is read: a bad row after three chunks
    // leaves none of them.
    let mut long = String::from("text,source,date\r\n");
    for k in 0..2_500 {
        long.push_str(&format!(
            "Receipts are late in case {k},support,2025-01-01\r\n"
        ));
    }
    long.push_str("bad,support,not a date\r\n");
    let res = import(&w, &pm, &product, "", long.as_bytes()).await;
    assert_eq!(res.status, 422, "{}", String::from_utf8_lossy(&res.body));
    let errors = res.json()["errors"].clone();
    assert!(
        errors
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"].as_str().unwrap().starts_with("line 2502")),
        "{errors}"
    );
    assert_eq!(
        feedback_count(&w, &pm).await,
        before,
        "nothing of the first chunks"
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "bad date",
            b"text,source,date\r\nok,support,2025-01-01\r\nbad,support,not a date\r\n".to_vec(),
        ),
        ("latin-1", b"text,source\r\ncaf\xe9,support\r\n".to_vec()),
        (
            "unknown source",
            b"text,source\r\nfine,support\r\nhmm,carrier pigeon\r\n".to_vec(),
        ),
        (
            "missing text",
            b"source,customer\r\nsupport,ACME\r\n".to_vec(),
        ),
        ("empty", Vec::new()),
    ];
    for (what, body) in cases {
        let res = import(&w, &pm, &product, "", &body).await;
        assert_eq!(
            res.status,
            422,
            "{what}: {}",
            String::from_utf8_lossy(&res.body)
        );
        assert!(res.is_problem(), "{what}");
        let errors = res.json()["errors"].as_array().unwrap().clone();
        assert!(
            errors
                .iter()
                .all(|e| e["field"].as_str().unwrap().starts_with("line ")),
            "{what}: {errors:?}"
        );
    }
    assert_eq!(feedback_count(&w, &pm).await, before, "nothing half-stored");
    // Quotes, newlines and a formula in cells import as text.
    let tricky = "text,source,tags\r\n\"She said \"\"=SUM(A1)\"\"\nthen left\",support,\"a,b\"\r\n";
    let res = import(&w, &pm, &product, "", tricky.as_bytes()).await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    // A contributor cannot import.
    let contributor = w.person("Atelier", Role::Contributor).await;
    assert_eq!(
        import(&w, &contributor, &product, "", tricky.as_bytes())
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn exports_guard_formulas_and_round_trip() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let product = w.product(&pm).await;
    for text in [
        "=cmd|'/C calc'!A0",
        "@SUM(1+1)",
        "+1+1",
        "-2+3",
        "plain, with \"quotes\"\nand a line",
    ] {
        w.phare
            .create_feedback(
                &pm.operator(),
                &meta(),
                phare_core::FeedbackInput {
                    product_id: Some(Some(product.id)),
                    text: Some(text.into()),
                    source: Some(phare_domain::SourceKind::Support),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let res = w
        .get(
            &pm.token,
            "/api/v1/feedback/export?format=csv&delimiter=semicolon",
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(res.body.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&res.body[3..]);
    let mut texts = Vec::new();
    for rec in reader.records() {
        let rec = rec.unwrap();
        for cell in rec.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unguarded cell {cell:?}"
            );
        }
        texts.push(rec[2].to_owned());
    }
    assert_eq!(texts.len(), 5);
    assert!(texts.contains(&"'=cmd|'/C calc'!A0".to_owned()));
    for format in ["xlsx", "json"] {
        let res = w
            .get(
                &pm.token,
                &format!(
                    "/api/v1/products/{}/ideas/export?format={format}",
                    product.id
                ),
            )
            .await;
        assert_eq!(res.status, 200, "{format}");
    }
    let json = w
        .get(&pm.token, "/api/v1/feedback/export?format=json")
        .await
        .json();
    assert_eq!(json["format"], "phare-export");
    assert_eq!(json["items"].as_array().unwrap().len(), 5);
}

// --- the portal's fixtures -------------------------------------------------------------------

/// A product of `owner`'s workspace with its portal enabled, an idea published there (number
/// 1) and a second idea of the same product (private).
async fn portal_scene(
    w: &World,
    owner: &Person,
) -> (
    phare_store::Product,
    phare_store::PortalIdea,
    phare_store::Idea,
) {
    let p = w.product(owner).await;
    let op = owner.operator();
    w.phare
        .configure_portal(
            &op,
            &meta(),
            p.id,
            0,
            phare_core::PortalSettingsInput {
                enabled: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut ideas = Vec::new();
    for n in 0..2 {
        ideas.push(
            w.phare
                .create_idea(
                    &op,
                    &meta(),
                    phare_core::IdeaInput {
                        product_id: Some(p.id),
                        title: Some(format!("Portal idea {n}")),
                        ..Default::default()
                    },
                )
                .await
                .unwrap(),
        );
    }
    let published = w
        .phare
        .moderate_portal_idea(
            &op,
            &meta(),
            ideas[0].id,
            1,
            phare_core::PortalIdeaInput {
                state: Some(phare_domain::PortalState::Published),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let other = ideas.pop().unwrap();
    (p, published, other)
}

/// A signed-in portal user of workspace `ws` and the value of their portal cookie.
async fn portal_visitor(
    w: &World,
    ws: phare_domain::WorkspaceId,
) -> (phare_store::PortalUser, String) {
    let email = format!("fan{}@example.org", w.next());
    let t = phare_store::now();
    w.store
        .create_sign_in_code(phare_store::NewSignInCode {
            id: uuid::Uuid::now_v7(),
            workspace_id: ws,
            email: email.clone(),
            code_hash: phare_store::sign_in_code_hash(ws, &email, "111111"),
            display_name: "Fan".into(),
            now: t,
            expires_at: t + chrono::Duration::minutes(15),
            mail: phare_store::NewOutbox {
                id: phare_domain::OutboxId::new(),
                workspace_id: ws,
                kind: phare_domain::OutboxKind::SignInCode,
                to_email: email.clone(),
                locale: phare_domain::Locale::En,
                payload: json!({}),
                now: t,
            },
        })
        .await
        .unwrap();
    let user = match w
        .store
        .verify_sign_in_code(
            ws,
            &email,
            &phare_store::sign_in_code_hash(ws, &email, "111111"),
            t,
        )
        .await
        .unwrap()
    {
        phare_store::CodeCheck::Verified(u) => u,
        other => panic!("{other:?}"),
    };
    let sid = format!("portal-{}", user.id);
    w.store
        .create_portal_session(phare_store::NewPortalSession {
            id_hash: phare_core::secret::hash(&sid),
            portal_user_id: user.id,
            now: t,
            expires_at: t + chrono::Duration::days(1),
        })
        .await
        .unwrap();
    (user, sid)
}

#[tokio::test]
async fn the_import_page_checks_the_file_then_imports_it_with_the_corrected_mapping() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let product = w.product(&pm).await;
    let session = w.session(&pm.member).await;
    let path = format!("/products/{}/import", product.id);
    // The columns are named so that no preset knows them: the person maps them by hand.
    let csv = "remarque;canal;organisme\r\nLes exports sont lents;support;Mairie de Lyon\r\n\
               Il manque le mode sombre;entretien;CHU de Nantes\r\n";
    let dry = w
        .page(
            &session,
            Method::POST,
            &path,
            Some(multipart(
                &[("action", "preview"), ("source", "other")],
                ("file", csv),
            )),
        )
        .await;
    assert_eq!(dry.status, 200);
    let html = dry.text();
    assert!(
        html.contains("name=\"col_body\""),
        "the mapping step is shown"
    );
    assert_eq!(feedback_count(&w, &pm).await, 0, "a check stores nothing");
    // The hidden fields carry the file and the detected mapping back.
    let field = |name: &str| -> String {
        let start = html.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
        let end = start + html[start..].find('"').unwrap();
        html[start..end]
            .replace("&quot;", "\"")
            .replace("&#34;", "\"")
            .replace("&#x22;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    let (data, mapping) = (field("data"), field("mapping"));
    let commit = multipart_fields(&[
        ("action", "commit"),
        ("source", "other"),
        ("data", &data),
        ("mapping", &mapping),
        ("col_body", "0"),
        ("col_source", "1"),
        ("col_customer", "2"),
    ]);
    let done = w.page(&session, Method::POST, &path, Some(commit)).await;
    let body = done.text();
    let shown: String = body
        .find("alert")
        .map(|i| body[i..].chars().take(600).collect())
        .unwrap_or_default();
    assert_eq!(done.status, 303, "{shown}");
    assert!(done.header("location").unwrap().contains("done=imported"));
    let items = w.get(&pm.token, "/api/v1/feedback?limit=200").await.json();
    let items = items["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items
        .iter()
        .any(|f| f["source"] == "interview" && f["customer"]["name"] == "CHU de Nantes"));
    // A broken file is refused with its problems listed, and nothing is stored.
    let bad = "text,source,date\r\nok,support,2025-01-01\r\nbad,support,someday\r\n";
    let res = w
        .page(
            &session,
            Method::POST,
            &path,
            Some(multipart(
                &[("action", "commit"), ("source", "other")],
                ("file", bad),
            )),
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.text().contains("<td class=\"num\">3</td>"),
        "line 3 is named"
    );
    assert_eq!(feedback_count(&w, &pm).await, 2);
}

/// A multipart form of text fields only (the second step carries the file as a field).
fn multipart_fields(fields: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (k, v) in fields {
        s.push_str(&format!(
            "--{MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    s.push_str(&format!("--{MULTIPART_BOUNDARY}--\r\n"));
    s
}

#[tokio::test]
async fn the_inbox_filters_by_a_customer_name_and_suggests_names() {
    let w = World::new().await;
    let pm = w.person("Suggest", Role::ProductManager).await;
    let sid = w.session(&pm.member).await;
    let one = w.feedback(&pm).await;
    let two = w.feedback(&pm).await;
    let name = one.customer_name.clone().unwrap();

    // The datalist suggests names starting with what was typed, case-insensitively.
    let r = w
        .page(
            &sid,
            Method::GET,
            "/customers/suggest?customer=custom",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let options = r.text();
    assert!(
        options.contains(&format!("<option value=\"{name}\">")),
        "{options}"
    );
    assert!(options.contains(two.customer_name.as_deref().unwrap()));

    // A name as typed, any case, filters like the customer's id does.
    for value in [name.to_uppercase(), one.customer_id.unwrap().to_string()] {
        let r = w
            .page(
                &sid,
                Method::GET,
                &format!("/inbox?customer={}", url_encode(&value)),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let html = r.text();
        assert!(html.contains(&format!("/feedback/{}", one.id)), "{value}");
        assert!(!html.contains(&format!("/feedback/{}", two.id)), "{value}");
        // The field shows the customer's name, not the id.
        assert!(html.contains(&format!("value=\"{name}\"")), "{value}");
    }

    // A name nobody has: nothing listed, and the page says so.
    let r = w
        .page(&sid, Method::GET, "/inbox?customer=Nobody+here", None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(!html.contains("/feedback/"));
    assert!(
        html.contains("No customer is named “Nobody here”"),
        "{html}"
    );
}

// --- decisions (issue #4) ------------------------------------------------------------------

/// An idea with a benefit, under consideration, in a new product of `owner`'s workspace.
async fn ready_idea(
    w: &World,
    owner: &Person,
    product: Option<phare_domain::ProductId>,
) -> phare_store::Idea {
    let product = match product {
        Some(p) => p,
        None => w.product(owner).await.id,
    };
    w.phare
        .create_idea(
            &owner.operator(),
            &meta(),
            phare_core::IdeaInput {
                product_id: Some(product),
                title: Some(format!("Accounting export {}", w.next())),
                as_a: Some("accountant".into()),
                i_want: Some("a monthly export".into()),
                so_that: Some("I close the books in a day".into()),
                status: Some(phare_domain::IdeaStatus::UnderConsideration),
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn a_script_records_decisions_and_reads_the_log() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let cfo = w.person("Atelier", Role::Viewer).await;
    let idea = ready_idea(&w, &pm, None).await;
    let other = ready_idea(&w, &pm, Some(idea.product_id)).await;
    let f = w.feedback(&pm).await;
    let ev = w
        .phare
        .add_evidence(
            &pm.operator(),
            &meta(),
            other.id,
            phare_core::EvidenceInput {
                feedback_id: f.id,
                importance: None,
                excerpt: None,
            },
        )
        .await
        .unwrap();

    // The contract's form: a defer until a date.
    let r = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/ideas/{}/decisions", other.id),
            Some(json!({"kind": "defer", "rationale": "After the **billing** rework", "until": "2099-03-01"})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let deferred = r.json();
    let location = r.header("location").unwrap().to_owned();
    assert_eq!(
        location,
        format!("/api/v1/decisions/{}", deferred["id"].as_str().unwrap())
    );
    assert_eq!(deferred["kind"], "defer");
    assert_eq!(deferred["until"], "2099-03-01");
    assert_eq!(deferred["ideas"][0]["reference"], other.reference.as_str());
    assert_eq!(w.get(&cfo.token, &location).await.json(), deferred);

    // Accept, with evidence, people consulted, a session, and the earlier decision.
    let session = uuid::Uuid::now_v7();
    let r = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/ideas/{}/decisions", idea.id),
            Some(json!({
                "kind": "accept",
                "rationale": "Three key accounts asked for it",
                "public_rationale": "Planned for the spring release.",
                "idea_ids": [other.id],
                "evidence_ids": [ev.id],
                "session_ids": [session],
                "decision_ids": [deferred["id"]],
                "consulted": [cfo.member.id],
            })),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let accepted = r.json();
    assert_eq!(accepted["ideas"].as_array().unwrap().len(), 2);
    assert_eq!(accepted["links"].as_array().unwrap().len(), 3);
    assert_eq!(accepted["consulted"][0], cfo.member.id.to_string());
    // Both ideas are planned, and their history says so.
    for id in [idea.id, other.id] {
        let i = w
            .get(&pm.token, &format!("/api/v1/ideas/{id}"))
            .await
            .json();
        assert_eq!(i["status"], "planned");
        let h = w
            .get(&pm.token, &format!("/api/v1/ideas/{id}/history"))
            .await
            .json();
        assert!(
            h.as_array()
                .unwrap()
                .iter()
                .any(|c| c["field"] == "status" && c["new_value"] == "planned"),
            "{h}"
        );
    }

    // Per idea, per product (filters, search), newest first.
    let of_other = w
        .get(&cfo.token, &format!("/api/v1/ideas/{}/decisions", other.id))
        .await
        .json();
    assert_eq!(of_other.as_array().unwrap().len(), 2);
    assert_eq!(of_other[0]["id"], accepted["id"]);
    let list = |q: &str| format!("/api/v1/products/{}/decisions{q}", idea.product_id);
    let all = w.get(&cfo.token, &list("")).await.json();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        w.get(&cfo.token, &list("?kind=defer")).await.json()["items"][0]["id"],
        deferred["id"]
    );
    assert_eq!(
        w.get(&cfo.token, &list("?q=billings")).await.json()["items"][0]["id"],
        deferred["id"]
    );
    assert_eq!(
        w.get(&cfo.token, &list("?q=accounts")).await.json()["items"][0]["id"],
        accepted["id"]
    );
    assert_eq!(
        w.get(&cfo.token, &list(&format!("?decided_by={}", cfo.member.id)))
            .await
            .json()["items"],
        json!([])
    );
    let paged = w.get(&cfo.token, &list("?limit=1")).await;
    assert!(paged.header("link").is_some());
    let bad = w.get(&cfo.token, &list("?kind=postpone")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("kind"), "{}", bad.text());
    // A viewer reads but may not decide.
    let r = w
        .api(
            &cfo.token,
            Method::POST,
            &format!("/api/v1/ideas/{}/decisions", idea.id),
            Some(json!({"kind": "decline", "rationale": "No"})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_decisions_are_refused_naming_the_field_and_nothing_is_stored() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let idea = ready_idea(&w, &pm, None).await;
    let same_product = ready_idea(&w, &pm, Some(idea.product_id)).await;
    let other_product = ready_idea(&w, &pm, None).await;
    let stranger = w.person("Bureau", Role::Admin).await;
    let foreign = ready_idea(&w, &stranger, None).await;
    let path = format!("/api/v1/ideas/{}/decisions", idea.id);
    let cases = [
        (json!({"kind": "accept"}), "rationale"),
        (json!({"kind": "accept", "rationale": "   "}), "rationale"),
        (json!({"kind": "defer", "rationale": "Later"}), "until"),
        (
            json!({"kind": "defer", "rationale": "Later", "until": "2020-01-01"}),
            "until",
        ),
        (
            json!({"kind": "defer", "rationale": "Later", "until": "1st of March"}),
            "until",
        ),
        (
            json!({"kind": "merge", "rationale": "Same", "into": idea.id}),
            "into",
        ),
        (json!({"kind": "merge", "rationale": "Same"}), "into"),
        (
            json!({"kind": "merge", "rationale": "Same", "into": foreign.id}),
            "into",
        ),
        (
            json!({"kind": "merge", "rationale": "Same", "into": other_product.id}),
            "into",
        ),
        (json!({"kind": "postpone", "rationale": "Later"}), "kind"),
        (
            json!({"kind": "accept", "rationale": "Yes", "idea_ids": [other_product.id]}),
            "idea_ids",
        ),
        (
            json!({"kind": "accept", "rationale": "Yes", "evidence_ids": [uuid::Uuid::now_v7()]}),
            "evidence_ids",
        ),
        (
            json!({"kind": "accept", "rationale": "Yes", "decision_ids": [uuid::Uuid::now_v7()]}),
            "decision_ids",
        ),
        (
            json!({"kind": "accept", "rationale": "Yes", "consulted": [stranger.member.id]}),
            "consulted",
        ),
        (
            json!({"kind": "accept", "rationale": "Yes", "until": "2099-01-01"}),
            "until",
        ),
    ];
    let before = w.rows().await;
    for (body, field) in cases {
        let r = w
            .api(&pm.token, Method::POST, &path, Some(body.clone()), &[])
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text()
        );
        assert!(r.is_problem());
        let named: Vec<String> = r.json()["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            named.iter().any(|n| n == field),
            "{body}: {named:?} {}",
            r.text()
        );
    }
    assert_eq!(
        before,
        w.rows().await,
        "a refused decision stored something"
    );
    let _ = same_product;
    // The same refusal on the page is translated and names the field.
    let session = w.session(&pm.member).await;
    let r = w
        .page(
            &session,
            Method::POST,
            &format!("/ideas/{}/decide", idea.id),
            Some("kind=defer&rationale=Plus+tard".into()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("date") || r.text().contains("condition"),
        "{}",
        r.text()
    );
    assert_eq!(before, w.rows().await);
}

#[tokio::test]
async fn a_deferred_idea_comes_back_to_its_owner_once_even_when_the_worker_runs_twice() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let idea = ready_idea(&w, &pm, None).await;
    let r = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/ideas/{}/decisions", idea.id),
            Some(json!({"kind": "defer", "rationale": "Later", "until": "2099-03-01"})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // Before its date nothing happens.
    assert_eq!(
        w.phare.run_due_jobs("a", phare_store::now()).await.unwrap(),
        0
    );
    assert_eq!(
        w.get(&pm.token, "/api/v1/notifications").await.json()["items"].clone(),
        json!([])
    );
    let day = chrono::DateTime::parse_from_rfc3339("2099-03-01T00:00:01Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    // Two instances' workers run at once, then again: one notification.
    let (a, b) = tokio::join!(
        w.phare.run_due_jobs("a", day),
        w.phare.run_due_jobs("b", day)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    w.phare.run_due_jobs("a", day).await.unwrap();
    w.phare
        .run_due_jobs("b", day + chrono::Duration::hours(1))
        .await
        .unwrap();
    let items = w.get(&pm.token, "/api/v1/notifications").await.json()["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    assert_eq!(items[0]["data"]["reference"], idea.reference.as_str());
    // Even a second run of the same job (its instance died after notifying) notifies once.
    let job = w.store.dump().await.unwrap().decisions.jobs[0].clone();
    assert_eq!(job.state, phare_domain::JobState::Done);
    // The header count and the page show it; marking it read empties the count.
    let session = w.session(&pm.member).await;
    let count = w.page(&session, Method::GET, "/my-inbox/count", None).await;
    assert!(count.text().contains(">1<"), "{}", count.text());
    let page = w.page(&session, Method::GET, "/my-inbox", None).await;
    assert!(page.text().contains(&idea.reference), "{}", page.text());
    let r = w
        .api(
            &pm.token,
            Method::POST,
            "/api/v1/notifications/read",
            None,
            &[],
        )
        .await;
    assert_eq!(r.json()["unread"], 0);
    let _ =
        DecisionStore::count_unread_notifications(&*w.store, pm.member.workspace_id, pm.member.id)
            .await
            .unwrap();
}

#[tokio::test]
async fn a_merge_decision_keeps_a_multi_line_rationale_whole() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let kept = ready_idea(&w, &pm, None).await;
    let dup = ready_idea(&w, &pm, Some(kept.product_id)).await;
    let rationale = "Same need.\n\n- both ask for a monthly export\n- \u{202E}one list is enough";
    let r = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/ideas/{}/decisions", dup.id),
            Some(json!({"kind": "merge", "rationale": rationale, "into": kept.id})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["rationale"], rationale);
    assert_eq!(r.json()["into"]["reference"], kept.reference.as_str());
    let merged = w
        .get(&pm.token, &format!("/api/v1/ideas/{}", dup.id))
        .await
        .json();
    assert_eq!(merged["status"], "merged");
}

// --- specs (issue 4) ----------------------------------------------------------------------------

/// Gives the idea a spec (one criterion) and a documentation page, both at version 1; with
/// `public`, the idea is shipped first and the page is public.
async fn spec_scene(w: &World, owner: &Person, idea: phare_domain::IdeaId, public: bool) {
    use phare_domain::specs::*;
    let op = owner.operator();
    if public {
        let i = w.phare.get_idea(&op, &meta(), idea).await.unwrap();
        w.phare
            .update_idea(
                &op,
                &meta(),
                idea,
                i.version,
                phare_core::IdeaInput {
                    status: Some(phare_domain::IdeaStatus::Shipped),
                    as_a: Some("a member".into()),
                    i_want: Some("to read the guide".into()),
                    so_that: Some("I learn the feature".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let content = SpecContent {
        criteria: vec![Criterion {
            title: "Export".into(),
            given: vec!["a spec".into()],
            when: vec!["I export it".into()],
            then: vec!["I get a file".into()],
            state: CriterionState::NotTested,
        }],
        ..SpecContent::empty(SpecLanguage::En)
    };
    w.phare
        .save_spec(&op, &meta(), idea, 0, content)
        .await
        .unwrap();
    w.phare
        .save_feature_doc(&op, &meta(), idea, 0, Some("# Guide"), Some(public))
        .await
        .unwrap();
}

// --- scoring slice (issue #4): scores, settings, the ranked backlog -----------------------------

async fn scoring_world() -> (World, Person, phare_store::Product) {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let p = w.product(&pm).await;
    (w, pm, p)
}

async fn idea_in(
    w: &World,
    pm: &Person,
    p: &phare_store::Product,
    title: &str,
) -> phare_store::Idea {
    w.phare
        .create_idea(
            &pm.operator(),
            &meta(),
            phare_core::IdeaInput {
                product_id: Some(p.id),
                title: Some(title.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn a_rice_score_answers_the_contract_and_bad_input_stores_nothing() {
    let (w, pm, p) = scoring_world().await;
    let idea = idea_in(&w, &pm, &p, "Export").await;
    let path = format!("/api/v1/ideas/{}/scores/rice", idea.id);
    let body = json!({"reach": 500, "impact": 2, "confidence": 0.8, "effort": 4});
    let res = w.api(&pm.token, Method::PUT, &path, Some(body), &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let j = res.json();
    assert_eq!(j["framework"], "rice");
    assert_eq!(j["value"], json!(200.0));
    assert_eq!(j["breakdown"]["calculation"], "500 × 2 × 0.8 ÷ 4 = 200");
    assert_eq!(j["breakdown"]["inputs"][0]["name"], "reach");
    // Out-of-range inputs name their field; nothing changes.
    let before = w.rows().await;
    for (body, field) in [
        (
            json!({"reach": 500, "impact": 2, "confidence": 1.2, "effort": 4}),
            "confidence",
        ),
        (
            json!({"reach": 500, "impact": 2, "confidence": 0.8, "effort": 0}),
            "effort",
        ),
        (
            json!({"reach": 500, "impact": 2, "confidence": 0.8, "effort": -3}),
            "effort",
        ),
    ] {
        let res = w.api(&pm.token, Method::PUT, &path, Some(body), &[]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.is_problem());
        assert_eq!(res.json()["errors"][0]["field"], field, "{}", res.text());
        assert!(!res.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .is_empty());
    }
    let res = w
        .api(
            &pm.token,
            Method::PUT,
            &format!("/api/v1/ideas/{}/scores/magic", idea.id),
            Some(json!({})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "framework");
    let res = w
        .api(
            &pm.token,
            Method::PUT,
            &path,
            Some(json!({"reach": 1, "workspace_id": "x"})),
            &[],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused"
    );
    assert_eq!(w.rows().await, before);
    // ICE and WSJF answer the same way; reach can come from the evidence.
    let res = w
        .api(&pm.token, Method::PUT, &format!("/api/v1/ideas/{}/scores/wsjf", idea.id),
            Some(json!({"business_value": 8, "time_criticality": 5, "risk_reduction": 3, "job_size": 4})), &[])
        .await;
    assert_eq!(res.json()["value"], json!(4.0));
    let res = w
        .api(&pm.token, Method::PUT, &format!("/api/v1/ideas/{}/scores/rice", idea.id),
            Some(json!({"sources": {"reach": "customers"}, "impact": 1, "confidence": 1, "effort": 1})), &[])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["breakdown"]["inputs"][0]["source"], "customers");
    let list = w
        .get(&pm.token, &format!("/api/v1/ideas/{}/scores", idea.id))
        .await
        .json();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["framework"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["rice", "wsjf"]);
}

#[tokio::test]
async fn the_backlog_pages_by_score_and_rank_in_the_contract_shape() {
    let (w, pm, p) = scoring_world().await;
    let mut ids = Vec::new();
    for (n, reach) in [(1, 10), (2, 30), (3, 20)] {
        let i = idea_in(&w, &pm, &p, &format!("Idea {n}")).await;
        w.api(
            &pm.token,
            Method::PUT,
            &format!("/api/v1/ideas/{}/scores/rice", i.id),
            Some(json!({"reach": reach, "impact": 1, "confidence": 1, "effort": 1})),
            &[],
        )
        .await;
        ids.push(i);
    }
    let res = w
        .get(
            &pm.token,
            &format!("/api/v1/products/{}/backlog?sort=score&limit=2", p.id),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let j = res.json();
    let items = j["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for key in ["id", "reference", "score", "rank"] {
        assert!(items[0].get(key).is_some(), "{key} missing");
    }
    assert_eq!(items[0]["score"], json!(30.0));
    assert_eq!(items[1]["score"], json!(20.0));
    let cursor = j["next_cursor"].as_str().unwrap().to_owned();
    assert!(res.header("link").unwrap().contains("rel=\"next\""));
    let next = w
        .get(
            &pm.token,
            &format!(
                "/api/v1/products/{}/backlog?sort=score&limit=2&cursor={cursor}",
                p.id
            ),
        )
        .await
        .json();
    assert_eq!(next["items"][0]["score"], json!(10.0));
    assert!(next["next_cursor"].is_null());
    // The manual order, a move, filters.
    let res = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/ideas/{}/move", ids[2].id),
            Some(json!({"to": "top"})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let ranked = w
        .get(
            &pm.token,
            &format!("/api/v1/products/{}/backlog?sort=rank", p.id),
        )
        .await
        .json();
    assert_eq!(ranked["items"][0]["id"], json!(ids[2].id));
    let res = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/ideas/{}/move", ids[2].id),
            Some(json!({"to": "top", "position": 2})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/ideas/{}/move", ids[0].id),
            Some(json!({"before": uuid::Uuid::now_v7()})),
            &[],
        )
        .await;
    assert_eq!(res.json()["errors"][0]["field"], "before");
    let filtered = w
        .get(
            &pm.token,
            &format!(
                "/api/v1/products/{}/backlog?min_score=15&max_score=25",
                p.id
            ),
        )
        .await
        .json();
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);
    let res = w
        .get(
            &pm.token,
            &format!("/api/v1/products/{}/backlog?sort=sideways", p.id),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = w
        .get(
            &pm.token,
            &format!("/api/v1/products/{}/backlog?min_score=9&max_score=1", p.id),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The owner filters of the backlog and ideas pages offer the members owning ideas of the
/// product (by name, each once), not the whole workspace, and filter by the one chosen.
#[tokio::test]
async fn owner_filters_offer_the_products_idea_owners() {
    let (w, pm, p) = scoring_world().await;
    let other = w.product(&pm).await;
    let zoe = w.person("Atelier", Role::Contributor).await;
    let idle = w.person("Atelier", Role::Contributor).await;
    let elsewhere = w.person("Atelier", Role::Contributor).await;
    for (title, owner, product) in [
        ("Export the roadmap", Some(zoe.member.id), &p),
        ("Dark mode", Some(zoe.member.id), &p),
        ("Offline forms", Some(pm.member.id), &p),
        ("Unowned forms", None, &p),
        ("Another product's idea", Some(elsewhere.member.id), &other),
    ] {
        w.phare
            .create_idea(
                &pm.operator(),
                &meta(),
                phare_core::IdeaInput {
                    product_id: Some(product.id),
                    title: Some(title.into()),
                    owner_id: Some(owner),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let session = w.session(&pm.member).await;
    let option = |m: &Member| format!("<option value=\"{}\"", m.id);
    for page in ["backlog", "ideas"] {
        let path = format!("/products/{}/{page}", p.id);
        let res = w.page(&session, Method::GET, &path, None).await;
        assert_eq!(res.status, StatusCode::OK, "{page}");
        let html = res.text();
        for owner in [&zoe.member, &pm.member] {
            assert_eq!(html.matches(&option(owner)).count(), 1, "{page}");
        }
        for not_owner in [&idle.member, &elsewhere.member] {
            assert!(!html.contains(&option(not_owner)), "{page}");
        }
        assert!(html.contains(&zoe.member.name), "{page}: owner column");

        let path = format!("/products/{}/{page}?owner={}", p.id, zoe.member.id);
        let html = w.page(&session, Method::GET, &path, None).await.text();
        assert!(
            html.contains(&format!("{} selected", option(&zoe.member))),
            "{page}"
        );
        assert!(html.contains("Export the roadmap") && html.contains("Dark mode"));
        assert!(!html.contains("Offline forms") && !html.contains("Unowned forms"));
    }
}

#[tokio::test]
async fn saved_views_are_renamed_by_their_owner_only() {
    let (w, pm, p) = scoring_world().await;
    let dev = w.person("Atelier", Role::Contributor).await;
    let stranger = w.person("Elsewhere", Role::Admin).await;
    let create = |token: &str, name: &str, shared: bool| {
        let (token, name) = (token.to_owned(), name.to_owned());
        let w = &w;
        let path = format!("/api/v1/products/{}/backlog/views", p.id);
        async move {
            let res = w
                .api(
                    &token,
                    Method::POST,
                    &path,
                    Some(json!({"name": name, "query": "sort=rank", "shared": shared})),
                    &[],
                )
                .await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
            res.json()["id"].as_str().unwrap().to_owned()
        }
    };
    let mine = create(&pm.token, "Mine", false).await;
    let team = create(&pm.token, "Team", true).await;
    let theirs = create(&dev.token, "Theirs", false).await;
    // Each change is sent with the ETag its sender reads (none for who cannot read it).
    let patch = |token: &str, id: &str, body: Value| {
        let (token, path) = (token.to_owned(), format!("/api/v1/backlog-views/{id}"));
        let w = &w;
        async move {
            let etag = w.get(&token, &path).await.header("etag").map(str::to_owned);
            let etag = etag.unwrap_or_else(|| "\"1\"".into());
            w.api(
                &token,
                Method::PATCH,
                &path,
                Some(body),
                &[("if-match", &etag)],
            )
            .await
        }
    };

    let res = patch(&pm.token, &mine, json!({"name": "  Quick wins "})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["name"], "Quick wins");
    assert_eq!(res.json()["shared"], false);
    assert_eq!(res.header("etag"), Some("\"2\""));
    let got = w
        .get(&pm.token, &format!("/api/v1/backlog-views/{mine}"))
        .await;
    assert_eq!(got.json()["name"], "Quick wins");
    assert_eq!(got.json()["version"], 2);

    // A change needs the version it was made from: none is 428, an old one 412, and neither
    // changes anything.
    let before = w.rows().await;
    let path = format!("/api/v1/backlog-views/{mine}");
    for (if_match, status) in [
        (None, StatusCode::PRECONDITION_REQUIRED),
        (Some("\"1\""), StatusCode::PRECONDITION_FAILED),
    ] {
        let headers: Vec<(&str, &str)> = if_match.map(|v| ("if-match", v)).into_iter().collect();
        let body = json!({"name": "Late rename", "shared": true});
        let res = w
            .api(&pm.token, Method::PATCH, &path, Some(body), &headers)
            .await;
        assert_eq!(res.status, status, "{}", res.text());
        assert!(res.is_problem());
    }
    assert_eq!(w.rows().await, before, "nothing stored");

    // Bad names are field errors, and nothing changes.
    let before = w.rows().await;
    for (body, status, code) in [
        (
            json!({"name": "   "}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "required",
        ),
        (
            json!({"name": "x".repeat(81)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_long",
        ),
        (
            json!({"name": "Team"}),
            StatusCode::CONFLICT,
            "already_taken",
        ),
    ] {
        let res = patch(&pm.token, &mine, body).await;
        assert_eq!(res.status, status, "{}", res.text());
        assert!(res.is_problem());
        assert_eq!(res.json()["errors"][0]["field"], "name", "{}", res.text());
        assert_eq!(res.json()["errors"][0]["code"], code, "{}", res.text());
    }
    let res = patch(
        &pm.token,
        &mine,
        json!({"name": "Ok", "owner_id": dev.member.id}),
    )
    .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    assert_eq!(w.rows().await, before, "nothing stored");

    // Only the owner renames: a teammate sees the shared view but may not rename it, does not
    // see a private one; another workspace sees neither.
    let res = patch(&dev.token, &team, json!({"name": "Hijacked"})).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text());
    let res = patch(&dev.token, &mine, json!({"name": "Hijacked"})).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.text());
    let res = patch(&stranger.token, &team, json!({"name": "Hijacked"})).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.text());
    assert_eq!(w.rows().await, before, "nothing stored");

    // Sharing needs the right to share; making one's view private again does not.
    let res = patch(&dev.token, &theirs, json!({"shared": true})).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text());
    let res = patch(&dev.token, &theirs, json!({"name": "Mine too"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let res = patch(&pm.token, &team, json!({"shared": false})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["shared"], false);
    assert_eq!(res.json()["name"], "Team");
    let listed = w
        .get(
            &dev.token,
            &format!("/api/v1/products/{}/backlog/views", p.id),
        )
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");

    // The page: a rename field beside each of one's own views; a refused name comes back
    // beside it, translated.
    let session = w.session(&pm.member).await;
    let rename = |form: String| {
        let (w, session) = (&w, &session);
        let path = format!("/backlog-views/{mine}/rename");
        async move { w.page(session, Method::POST, &path, Some(form)).await }
    };
    let back = format!("/products/{}/backlog?sort=rank", p.id);
    let page = w.page(&session, Method::GET, &back, None).await.text();
    assert!(page.contains(&format!("action=\"/backlog-views/{mine}/rename\"")));
    let res = rename(format!("name=+&back={}", url_encode(&back))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let location = res.header("location").unwrap().to_owned();
    assert!(location.contains("rename_error=required"), "{location}");
    assert!(location.ends_with(&format!("#rename-{mine}")), "{location}");
    let location = location.split('#').next().unwrap().to_owned();
    let page = w.page(&session, Method::GET, &location, None).await.text();
    assert!(
        page.contains(&format!("id=\"rename-{mine}-error\"")),
        "{page}"
    );
    assert!(
        page.contains("Give the view a name.") || page.contains("Donnez un nom à la vue."),
        "{page}"
    );
    // The page's forms come back to it without the refusal (the language switch keeps it, to
    // show it again in the other language).
    let form = format!(
        "action=\"/backlog-views/{mine}/rename\"><input type=\"hidden\" name=\"back\" value=\""
    );
    let kept = page.split(&form).nth(1).and_then(|r| r.split('"').next());
    assert!(kept.is_some_and(|v| !v.contains("rename")), "{kept:?}");
    let long = "x".repeat(81);
    let res = rename(format!("name={long}&back={}", url_encode(&location))).await;
    let location = res.header("location").unwrap();
    let location = location.split('#').next().unwrap().to_owned();
    assert_eq!(location.matches("rename_error").count(), 1, "{location}");
    let page = w.page(&session, Method::GET, &location, None).await.text();
    assert!(
        page.contains("at most 80 characters") || page.contains("au plus 80 caractères"),
        "{page}"
    );
    let res = rename(format!(
        "name=Roadmap+candidates&back={}",
        url_encode(&location)
    ))
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let location = res.header("location").unwrap().to_owned();
    assert!(location.contains("done=view-renamed"), "{location}");
    assert!(!location.contains("rename_error"), "{location}");
    let page = w.page(&session, Method::GET, &location, None).await.text();
    assert!(page.contains("Roadmap candidates"));
    // The form carries the version it was drawn from; one drawn before a change made
    // elsewhere is refused, says the view's name now, and keeps what was typed.
    assert!(page.contains("name=\"version\" value=\""), "{page}");
    let before = w.rows().await;
    let res = rename(format!(
        "name=Typed+in+an+old+tab&version=1&back={}",
        url_encode(&location)
    ))
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(w.rows().await, before, "nothing stored");
    let refused = res.header("location").unwrap().to_owned();
    assert!(refused.contains("rename_error=conflict"), "{refused}");
    let refused = refused.split('#').next().unwrap().to_owned();
    let page = w.page(&session, Method::GET, &refused, None).await.text();
    assert!(
        page.contains("it is now named “Roadmap candidates”")
            || page.contains("elle s’appelle maintenant « Roadmap candidates »"),
        "{page}"
    );
    assert!(page.contains("value=\"Typed in an old tab\""), "{page}");
    // A teammate's page shows the pm's shared view, with no rename.
    let res = patch(&pm.token, &team, json!({"shared": true})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let dev_session = w.session(&dev.member).await;
    let page = w.page(&dev_session, Method::GET, &back, None).await.text();
    assert!(page.contains(">Team</a>"), "{page}");
    assert!(!page.contains(&format!("/backlog-views/{team}/rename")));
    assert!(page.contains(&format!("/backlog-views/{theirs}/rename")));
}

#[tokio::test]
async fn scoring_settings_rescore_at_once_and_refuse_zero_weights() {
    let (w, pm, p) = scoring_world().await;
    let idea = idea_in(&w, &pm, &p, "Export").await;
    let path = format!("/api/v1/products/{}/scoring", p.id);
    let res = w.get(&pm.token, &path).await;
    assert_eq!(res.header("etag"), Some("\"0\""));
    assert_eq!(res.json()["primary_framework"], "rice");
    let before = w.rows().await;
    let res = w
        .api(&pm.token, Method::PUT, &path,
            Some(json!({"primary_framework": "scorecard", "criteria": [{"name": "Revenue", "scale": 5, "weight": 0}]})),
            &[("if-match", "\"0\"")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "criteria");
    assert_eq!(res.json()["errors"][0]["code"], "weights_sum_to_zero");
    let res = w
        .api(
            &pm.token,
            Method::PUT,
            &path,
            Some(json!({"primary_framework": "astrology"})),
            &[("if-match", "\"0\"")],
        )
        .await;
    assert_eq!(res.json()["errors"][0]["field"], "primary_framework");
    assert_eq!(w.rows().await, before, "nothing stored");
    let res = w
        .api(&pm.token, Method::PUT, &path,
            Some(json!({"primary_framework": "scorecard", "criteria": [{"name": "Revenue", "scale": 5, "weight": 3}, {"name": "Strategy", "scale": 10, "weight": 1}]})),
            &[("if-match", "\"0\"")])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.header("etag"), Some("\"1\""));
    let criteria = res.json()["criteria"].clone();
    let (k1, k2) = (
        criteria[0]["id"].as_str().unwrap().to_owned(),
        criteria[1]["id"].as_str().unwrap().to_owned(),
    );
    let res = w
        .api(
            &pm.token,
            Method::PUT,
            &format!("/api/v1/ideas/{}/scores/scorecard", idea.id),
            Some(json!({"criteria": {k1.clone(): 5, k2.clone(): 2}})),
            &[],
        )
        .await;
    assert_eq!(res.json()["value"], json!(80.0), "{}", res.text());
    // A weight changes: the backlog's score follows at once.
    let res = w
        .api(&pm.token, Method::PUT, &path,
            Some(json!({"primary_framework": "scorecard", "criteria": [{"id": k1, "name": "Revenue", "scale": 5, "weight": 1}, {"id": k2, "name": "Strategy", "scale": 10, "weight": 1}]})),
            &[("if-match", "\"1\"")])
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let backlog = w
        .get(&pm.token, &format!("/api/v1/products/{}/backlog", p.id))
        .await
        .json();
    assert_eq!(backlog["items"][0]["score"], json!(60.0));
    // A stale version is refused.
    let res = w
        .api(
            &pm.token,
            Method::PUT,
            &path,
            Some(json!({"primary_framework": "rice"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::PRECONDITION_FAILED);
}

#[tokio::test]
async fn the_backlog_reorders_with_plain_forms_and_shows_the_matrix() {
    let (w, pm, p) = scoring_world().await;
    let a = idea_in(&w, &pm, &p, "First idea").await;
    let b = idea_in(&w, &pm, &p, "Second idea").await;
    let session = w.session(&pm.member).await;
    let back = format!("/products/{}/backlog?sort=rank", p.id);
    let res = w
        .page(
            &session,
            Method::POST,
            &format!("/ideas/{}/move", b.id),
            Some(format!("to=position&position=1&back={}", enc(&back))),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res
        .header("location")
        .unwrap()
        .ends_with(&format!("#idea-{}", b.id)));
    let page = w.page(&session, Method::GET, &back, None).await.text();
    let (pa, pb) = (
        page.find("First idea").unwrap(),
        page.find("Second idea").unwrap(),
    );
    assert!(pb < pa, "the moved idea comes first");
    assert!(
        page.contains(&format!("form=\"move-{}\"", a.id)),
        "keyboard buttons"
    );
    // The owner filter lists the product's owners and keeps the one filtered on selected.
    w.phare
        .create_idea(
            &pm.operator(),
            &meta(),
            phare_core::IdeaInput {
                product_id: Some(p.id),
                title: Some("Owned idea".into()),
                owner_id: Some(Some(pm.member.id)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let owned = format!("/products/{}/backlog?owner={}", p.id, pm.member.id);
    let page = w.page(&session, Method::GET, &owned, None).await.text();
    assert!(page.contains(&format!(
        "<option value=\"{}\" selected>{}</option>",
        pm.member.id, pm.member.name
    )));
    assert!(page.contains("Owned idea") && !page.contains("First idea"));
    // The value/effort matrix: an SVG with four labelled quadrants and a table.
    w.api(
        &pm.token,
        Method::PUT,
        &format!("/api/v1/ideas/{}/scores/value_effort", a.id),
        Some(json!({"value": 8, "effort": 2})),
        &[],
    )
    .await;
    let m = w
        .page(
            &session,
            Method::GET,
            &format!("/products/{}/backlog/matrix", p.id),
            None,
        )
        .await;
    assert_eq!(m.status, StatusCode::OK);
    let html = m.text();
    assert!(html.contains("<svg") && html.contains("Quick wins") && html.contains("Time sinks"));
    assert!(html.contains("<table") && html.contains("badge-quadrant-quick_win"));
    // A refused score form keeps what was typed and names the field.
    let res = w
        .page(
            &session,
            Method::POST,
            &format!("/ideas/{}/scores/rice", a.id),
            Some("reach=10&reach_source=typed&impact=1&confidence=1.5&effort=1".into()),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("value=\"1.5\""));
    assert!(res.text().contains("id=\"rice-confidence-error\""));
}

// --- stakeholder sessions (issue #4 part 3) ---------------------------------------------------

impl World {
    /// A product of `owner`'s workspace with two ideas.
    async fn ideas_product(
        &self,
        owner: &Person,
    ) -> (phare_store::Product, Vec<phare_store::Idea>) {
        let p = self.product(owner).await;
        let mut ideas = Vec::new();
        for title in ["Export PDF", "Offline mode"] {
            ideas.push(
                self.phare
                    .create_idea(
                        &owner.operator(),
                        &meta(),
                        phare_core::IdeaInput {
                            product_id: Some(p.id),
                            title: Some(format!("{title} {}", self.next())),
                            ..Default::default()
                        },
                    )
                    .await
                    .unwrap(),
            );
        }
        (p, ideas)
    }

    /// A 100-point session of `owner`'s workspace on two ideas: a draft, or open (with
    /// `invitee` invited), or closed (with `invitee`'s ballot counted). Also a group of the
    /// workspace.
    async fn stakeholder_session(
        &self,
        owner: &Person,
        invitee: Option<&Member>,
        obj: Obj,
    ) -> (
        phare_store::PrioritizationSession,
        phare_domain::StakeholderGroupId,
    ) {
        let op = owner.operator();
        self.phare
            .seed_stakeholder_groups(&op, &meta())
            .await
            .unwrap();
        let group = self
            .phare
            .list_stakeholder_groups(&op, &meta())
            .await
            .unwrap()[0]
            .id;
        let (p, ideas) = self.ideas_product(owner).await;
        let mut s = self
            .phare
            .create_prioritization_session(
                &op,
                &meta(),
                p.id,
                phare_core::SessionInput {
                    title: format!("Session {}", self.next()),
                    description: String::new(),
                    method: "points".into(),
                    deadline: Some(phare_store::now() + chrono::Duration::days(1)),
                    idea_ids: ideas.iter().map(|i| i.id).collect(),
                },
            )
            .await
            .unwrap();
        if let Some(m) = invitee {
            self.phare
                .invite_stakeholders(
                    &op,
                    &meta(),
                    s.id,
                    &[phare_core::InvitationInput {
                        member_id: m.id,
                        group_id: group,
                    }],
                )
                .await
                .unwrap();
        }
        if obj != Obj::SessionDraft {
            s = self
                .phare
                .open_prioritization_session(&op, &meta(), s.id, s.version)
                .await
                .unwrap();
        }
        if obj == Obj::SessionClosed {
            if let Some(m) = invitee {
                let voter = Actor {
                    member: m.clone(),
                    credential: Credential::Operator,
                };
                self.phare
                    .put_own_ballot(
                        &voter,
                        &meta(),
                        s.id,
                        0,
                        &phare_domain::BallotDraft {
                            points: vec![(ideas[0].id, 80), (ideas[1].id, 20)],
                            ..Default::default()
                        },
                    )
                    .await
                    .unwrap();
            }
            s = self
                .phare
                .close_prioritization_session(&op, &meta(), s.id, s.version)
                .await
                .unwrap();
        }
        (s, group)
    }
}

/// A session prepared through the API by `pm` on two new ideas (the first titled `first`),
/// `invited` invited (each in the first group), opened. Returns the session id and the ideas.
async fn api_session(
    w: &World,
    pm: &Person,
    first: &str,
    invited: &[&Person],
    deadline: chrono::DateTime<chrono::Utc>,
) -> (String, Vec<String>) {
    let (p, _) = w.ideas_product(pm).await;
    let a = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/products/{}/ideas", p.id),
            Some(json!({"title": first})),
            &[],
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let b = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/products/{}/ideas", p.id),
            Some(json!({"title": "Signature électronique"})),
            &[],
        )
        .await;
    let ideas = vec![
        a.json()["id"].as_str().unwrap().to_owned(),
        b.json()["id"].as_str().unwrap().to_owned(),
    ];
    let res = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/products/{}/sessions", p.id),
            Some(
                json!({"title": "Q1", "method": "points", "deadline": deadline, "idea_ids": ideas}),
            ),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let groups = w.get(&pm.token, "/api/v1/stakeholder-groups").await.json();
    let group = groups[0]["id"].as_str().unwrap().to_owned();
    if !invited.is_empty() {
        let list: Vec<Value> = invited
            .iter()
            .map(|p| json!({"member_id": p.member.id, "group_id": group}))
            .collect();
        let res = w
            .api(
                &pm.token,
                Method::POST,
                &format!("/api/v1/sessions/{id}/invitations"),
                Some(json!({ "invitations": list })),
                &[],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }
    let res = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/sessions/{id}/open"),
            None,
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    (id, ideas)
}

#[tokio::test]
async fn r1_a_stakeholder_sees_only_their_own_ballot_and_only_the_invited_answer() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let ana = w.person("Atelier", Role::Stakeholder).await;
    let bob = w.person("Atelier", Role::Viewer).await;
    let eve = w.person("Atelier", Role::Stakeholder).await;
    let stranger = w.person("Bureau", Role::Admin).await;
    let deadline = phare_store::now() + chrono::Duration::days(3);
    let (id, ideas) =
        api_session(&w, &pm, "=HYPERLINK(\"http://x\")", &[&ana, &bob], deadline).await;
    let ballot = format!("/api/v1/sessions/{id}/ballot");

    // Ana answers; her ballot is hers.
    let first = w.get(&ana.token, &ballot).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.json()["version"], 0);
    assert_eq!(first.header("etag"), Some("\"0\""));
    let res = w
        .api(
            &ana.token,
            Method::PUT,
            &ballot,
            Some(json!({"points": {ideas[0].clone(): 70, ideas[1].clone(): 30}})),
            &[("if-match", "\"0\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["points"][&ideas[0]], 70);
    // Bob, invited too, sees his own (empty) ballot, nothing of Ana's.
    let bobs = w.get(&bob.token, &ballot).await;
    assert_eq!(bobs.status, StatusCode::OK);
    assert_eq!(bobs.json()["answered"], false);
    assert!(bobs.json().get("points").is_none());
    // The PM sees who answered, never what; nobody sees results before the close.
    let inv = w
        .get(&pm.token, &format!("/api/v1/sessions/{id}/invitations"))
        .await
        .json();
    let answered: Vec<bool> = inv
        .as_array()
        .unwrap()
        .iter()
        .map(|i| !i["answered_at"].is_null())
        .collect();
    assert_eq!(answered.iter().filter(|a| **a).count(), 1);
    assert!(!inv.to_string().contains("points"));
    for p in [&pm, &ana] {
        assert_eq!(
            w.get(&p.token, &format!("/api/v1/sessions/{id}/results"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
    // Eve is of the workspace but not invited: she neither reads nor answers; nothing changes.
    let before = w.rows().await;
    assert_eq!(
        w.get(&eve.token, &format!("/api/v1/sessions/{id}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.get(&eve.token, &ballot).await.status,
        StatusCode::FORBIDDEN
    );
    let res = w
        .api(
            &eve.token,
            Method::PUT,
            &ballot,
            Some(json!({"points": {ideas[0].clone(): 100}})),
            &[("if-match", "\"0\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let eve_page = w.session(&eve.member).await;
    let res = w
        .page(
            &eve_page,
            Method::POST,
            &format!("/sessions/{id}/ballot"),
            Some(format!("version=0&points.{}=100", ideas[0])),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Another workspace sees nothing at all.
    for path in [
        format!("/api/v1/sessions/{id}"),
        format!("/api/v1/sessions/{id}/ideas"),
        format!("/api/v1/sessions/{id}/invitations"),
        format!("/api/v1/sessions/{id}/results"),
        ballot.clone(),
    ] {
        assert_eq!(
            w.get(&stranger.token, &path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let res = w
        .api(
            &stranger.token,
            Method::PUT,
            &ballot,
            Some(json!({"points": {ideas[0].clone(): 100}})),
            &[("if-match", "\"0\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(w.rows().await, before, "refused requests changed data");

    // The close: ballots become immutable; results and CSV appear.
    let res = w
        .api(
            &pm.token,
            Method::POST,
            &format!("/api/v1/sessions/{id}/close"),
            None,
            &[("if-match", "\"2\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["state"], "closed");
    let before = w.rows().await;
    let late = w
        .api(
            &ana.token,
            Method::PUT,
            &ballot,
            Some(json!({"points": {ideas[1].clone(): 100}})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(late.json()["errors"][0]["field"], "session");
    assert_eq!(late.json()["errors"][0]["code"], "session_closed");
    assert_eq!(w.rows().await, before);
    let results = w
        .get(&ana.token, &format!("/api/v1/sessions/{id}/results"))
        .await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.text());
    let r = results.json();
    assert_eq!(r["ballots"], 1);
    assert_eq!(r["ideas"][0]["idea_id"], ideas[0].as_str());
    assert_eq!(r["ideas"][0]["rank"], 1);
    assert!((r["ideas"][0]["score"].as_f64().unwrap() - 0.7).abs() < 1e-9);
    // The CSV guards the formula-like title (R10).
    let csv = w
        .get(&pm.token, &format!("/api/v1/sessions/{id}/results.csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let text = csv.text();
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(
        !text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"),
        "{text}"
    );
}

#[tokio::test]
async fn bad_ballots_late_answers_and_bad_sessions_are_refused_naming_the_field() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let ana = w.person("Atelier", Role::Stakeholder).await;
    let deadline = phare_store::now() + chrono::Duration::days(3);
    let (id, ideas) = api_session(&w, &pm, "Export PDF", &[&ana], deadline).await;
    let ballot = format!("/api/v1/sessions/{id}/ballot");
    let before = w.rows().await;
    let put = |body: Value| {
        let w = &w;
        let ballot = ballot.clone();
        let token = ana.token.clone();
        async move {
            w.api(
                &token,
                Method::PUT,
                &ballot,
                Some(body),
                &[("if-match", "\"0\"")],
            )
            .await
        }
    };
    // Over the budget: the field is the whole allocation.
    let res = put(json!({"points": {ideas[0].clone(): 60, ideas[1].clone(): 50}})).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "points");
    assert_eq!(res.json()["errors"][0]["code"], "over_budget");
    // Negative points: the field names the idea.
    let res = put(json!({"points": {ideas[0].clone(): -5}})).await;
    assert_eq!(
        res.json()["errors"][0]["field"],
        format!("points.{}", ideas[0])
    );
    assert_eq!(res.json()["errors"][0]["code"], "negative_points");
    // An idea of no session.
    let stray = uuid::Uuid::now_v7().to_string();
    let res = put(json!({"points": {stray.clone(): 5}})).await;
    assert_eq!(res.json()["errors"][0]["code"], "unknown_idea");
    // A stray field is refused (R3).
    let res = put(json!({"points": {}, "member_id": pm.member.id})).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // No If-Match: 428.
    let res = w
        .api(
            &ana.token,
            Method::PUT,
            &ballot,
            Some(json!({"points": {}})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(w.rows().await, before, "a refused ballot was stored");

    // The page names the idea in the error summary.
    let page = w.session(&ana.member).await;
    let res = w
        .page(
            &page,
            Method::POST,
            &format!("/sessions/{id}/ballot"),
            Some(format!(
                "version=0&points.{}=-3&points.{}=10",
                ideas[0], ideas[1]
            )),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(
        html.contains("Export PDF"),
        "the error does not name the idea"
    );
    assert!(html.contains("Points cannot be negative."), "{html}");
    assert_eq!(w.rows().await, before);

    // Sessions: a deadline in the past, an idea of another product, an unknown method.
    let (p, _) = w.ideas_product(&pm).await;
    let before = w.rows().await;
    let past = phare_store::now() - chrono::Duration::hours(1);
    for (body, field) in [
        (
            json!({"title": "Q", "method": "ranking", "deadline": past, "idea_ids": ideas}),
            "deadline",
        ),
        (
            json!({"title": "Q", "method": "ranking", "deadline": deadline, "idea_ids": ideas}),
            "idea_ids",
        ),
        (
            json!({"title": "", "method": "ranking", "deadline": deadline, "idea_ids": []}),
            "title",
        ),
        (
            json!({"title": "Q", "method": "dice", "deadline": deadline, "idea_ids": ideas}),
            "method",
        ),
    ] {
        let res = w
            .api(
                &pm.token,
                Method::POST,
                &format!("/api/v1/products/{}/sessions", p.id),
                Some(body),
                &[],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            res.text()
        );
        assert_eq!(res.json()["errors"][0]["field"], field, "{}", res.text());
    }
    // Groups: a weight of zero, an empty name.
    let res = w
        .api(
            &pm.token,
            Method::POST,
            "/api/v1/stakeholder-groups",
            Some(json!({"name": "Usagers", "weight": 0})),
            &[],
        )
        .await;
    assert_eq!(res.json()["errors"][0]["field"], "weight");
    let res = w
        .api(
            &pm.token,
            Method::POST,
            "/api/v1/stakeholder-groups",
            Some(json!({"name": " "})),
            &[],
        )
        .await;
    assert_eq!(res.json()["errors"][0]["field"], "name");
    assert_eq!(
        w.rows().await,
        before,
        "a refused session or group was stored"
    );

    // A late answer: the deadline passes while the session is open.
    let soon = phare_store::now() + chrono::Duration::milliseconds(1500);
    let (late_id, late_ideas) = api_session(&w, &pm, "Mode hors ligne", &[&ana], soon).await;
    tokio::time::sleep(Duration::from_millis(1700)).await;
    let before = w.rows().await;
    let res = w
        .api(
            &ana.token,
            Method::PUT,
            &format!("/api/v1/sessions/{late_id}/ballot"),
            Some(json!({"points": {late_ideas[0].clone(): 10}})),
            &[("if-match", "\"0\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "deadline");
    assert_eq!(res.json()["errors"][0]["code"], "deadline_passed");
    let res = w
        .page(
            &page,
            Method::GET,
            &format!("/sessions/{late_id}/ballot"),
            None,
        )
        .await;
    assert!(
        res.text().contains("The deadline has passed"),
        "the ballot page does not say so"
    );
    assert_eq!(w.rows().await, before);
}

/// A bug report is written through the API with its whole template or refused field by field
/// with nothing stored; the list filters by kind; a story turned into a bug needs the template.
#[tokio::test]
async fn a_bug_report_needs_its_template_through_the_api() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let product = w.product(&pm).await;
    let ideas = format!("/api/v1/products/{}/ideas", product.id);
    let r = w
        .api(
            &pm.token,
            Method::POST,
            &ideas,
            Some(json!({"kind": "bug", "title": "Export fails", "bug": {"steps": "1. Export"}})),
            &[("accept-language", "fr")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            // Translated: the French message of a missing field.
            assert_eq!(f["message"], "Ce champ est obligatoire.");
            format!(
                "{}:{}",
                f["field"].as_str().unwrap(),
                f["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            "expected:required",
            "actual:required",
            "environment:required",
            "severity:required"
        ]
    );
    assert_eq!(
        ideas_of(&w, &pm, &product.id.to_string()).await,
        0,
        "nothing stored"
    );

    let template = json!({
        "steps": "1. Open the roadmap\n2. Export to PDF",
        "expected": "A PDF",
        "actual": "Error 500",
        "environment": "Chrome 131, Phare 0.4",
        "severity": "critical"
    });
    let r = w
        .api(
            &pm.token,
            Method::POST,
            &ideas,
            Some(json!({"kind": "bug", "title": "Export fails", "bug": template, "status": "planned"})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let bug = r.json();
    assert_eq!(bug["kind"], "bug");
    assert_eq!(
        bug["status"], "planned",
        "a bug needs no benefit to leave draft"
    );
    assert_eq!(bug["bug"]["severity"], "critical");
    assert_eq!(bug["bug"]["environment"], "Chrome 131, Phare 0.4");

    let story = w
        .api(
            &pm.token,
            Method::POST,
            &ideas,
            Some(json!({"title": "Dark mode"})),
            &[],
        )
        .await
        .json();
    assert_eq!(
        (story["kind"].as_str(), &story["bug"]),
        (Some("story"), &Value::Null)
    );
    let listed = w.get(&pm.token, &format!("{ideas}?kind=bug")).await.json();
    let refs: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["reference"].as_str().unwrap())
        .collect();
    assert_eq!(refs, [bug["reference"].as_str().unwrap()]);
    // The backlog names the kind and the severity of each idea.
    let backlog = w
        .get(
            &pm.token,
            &format!("/api/v1/products/{}/backlog?sort=rank", product.id),
        )
        .await
        .json();
    let kinds: Vec<(String, Value)> = backlog["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_owned(),
                i["severity"].clone(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("bug".to_owned(), json!("critical")),
            ("story".to_owned(), Value::Null)
        ]
    );

    // Turning the story into a bug without its template is refused; with it, accepted.
    let path = format!("/api/v1/ideas/{}", story["id"].as_str().unwrap());
    let r = w
        .api(
            &pm.token,
            Method::PATCH,
            &path,
            Some(json!({"kind": "bug"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"].as_array().unwrap().len(), 5);
    let r = w
        .api(
            &pm.token,
            Method::PATCH,
            &path,
            Some(json!({"kind": "bug", "bug": template})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // A partial template update keeps the other parts.
    let r = w
        .api(
            &pm.token,
            Method::PATCH,
            &path,
            Some(json!({"bug": {"severity": "minor"}})),
            &[("if-match", "\"2\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let b = r.json();
    assert_eq!(
        (b["bug"]["severity"].as_str(), b["bug"]["actual"].as_str()),
        (Some("minor"), Some("Error 500"))
    );
    let history = w.get(&pm.token, &format!("{path}/history")).await.json();
    let fields: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"kind") && fields.contains(&"severity"),
        "{fields:?}"
    );
}

/// The web form: a bug report opens from `?kind=bug`, is refused with an error per missing part
/// (what was typed kept), and is shown with its template once complete.
#[tokio::test]
async fn a_bug_report_is_written_from_the_web_form() {
    let w = World::new().await;
    let pm = w.person("Atelier", Role::ProductManager).await;
    let product = w.product(&pm).await;
    let session = w.session(&pm.member).await;
    let page = w
        .page(
            &session,
            Method::GET,
            &format!("/products/{}/ideas/new?kind=bug", product.id),
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .text()
        .contains("id=\"kind-bug\" type=\"radio\" name=\"kind\" value=\"bug\" checked"));
    let create = format!("/products/{}/ideas", product.id);
    let r = w
        .page(
            &session,
            Method::POST,
            &create,
            Some("kind=bug&title=Export+fails&steps=1.+Export&status=draft".into()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text();
    for field in ["expected", "actual", "environment", "severity"] {
        assert!(body.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
    assert!(
        body.contains(">1. Export</textarea>"),
        "what was typed is kept"
    );
    assert_eq!(ideas_of(&w, &pm, &product.id.to_string()).await, 0);
    let r = w
        .page(
            &session,
            Method::POST,
            &create,
            Some(
                "kind=bug&title=Export+fails&steps=1.+Open%0A2.+Export&expected=A+PDF&actual=Error+500\
                 &environment=Firefox+133&severity=blocker&status=draft"
                    .into(),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let location = r
        .header("location")
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let shown = w.page(&session, Method::GET, &location, None).await.text();
    assert!(shown.contains("badge-kind-bug") && shown.contains("badge-severity-blocker"));
    assert!(
        shown.contains("<li>Export</li>"),
        "steps are rendered as Markdown"
    );
    let list = w
        .page(
            &session,
            Method::GET,
            &format!("/products/{}/ideas?kind=bug", product.id),
            None,
        )
        .await
        .text();
    assert!(list.contains("Export fails") && list.contains("badge-severity-blocker"));
    let backlog = w
        .page(
            &session,
            Method::GET,
            &format!("/products/{}/backlog", product.id),
            None,
        )
        .await
        .text();
    assert!(backlog.contains("badge-kind-bug") && backlog.contains("badge-severity-blocker"));
    let stories = w
        .page(
            &session,
            Method::GET,
            &format!("/products/{}/ideas?kind=story", product.id),
            None,
        )
        .await
        .text();
    assert!(!stories.contains("Export fails"));
}
