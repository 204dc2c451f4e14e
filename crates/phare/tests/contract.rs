//! The contract of issue #2, exactly as tests outside the code use it: the real binary, a fresh
//! data directory, the operator commands, then HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use serde_json::{json, Value};

#[test]
fn the_published_contract_holds_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    // Operator commands on a fresh data directory.
    let (ok, _, err) = phare(
        &[
            "admin",
            "create-user",
            "--data-dir",
            d,
            "--email",
            "ada@example.org",
            "--name",
            "Ada",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some(PASSWORD),
    );
    assert!(ok, "{err}");
    let (ok, token, err) = phare(
        &[
            "admin",
            "create-token",
            "--data-dir",
            d,
            "--email",
            "ada@example.org",
            "--scopes",
            "all",
        ],
        None,
    );
    assert!(ok, "{err}");
    let token = token.trim().to_owned();
    assert_eq!(token.lines().count(), 1, "the token alone on stdout");

    let server = Server::start(dir.path(), None, &[]);
    let c = http();
    let url = &server.url;
    assert_eq!(
        c.get(format!("{url}/healthz")).send().unwrap().status(),
        200
    );
    assert_eq!(c.get(format!("{url}/readyz")).send().unwrap().status(), 200);
    let spec: Value = c
        .get(format!("{url}/api/v1/openapi.json"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));

    let res = c
        .post(format!("{url}/api/v1/products"))
        .bearer_auth(&token)
        .json(&json!({"name": "Checkout", "key": "CHK"}))
        .send()
        .unwrap();
    assert_eq!(res.status(), 201);
    let etag = res
        .headers()
        .get("etag")
        .expect("ETag on create")
        .to_str()
        .unwrap()
        .to_owned();
    let created: Value = res.json().unwrap();
    let id = created["id"].as_str().expect("id").to_owned();

    let list: Value = c
        .get(format!("{url}/api/v1/products"))
        .bearer_auth(&token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == id.as_str()));
    assert!(list.get("next_cursor").is_some());
    let one = c
        .get(format!("{url}/api/v1/products/{id}"))
        .bearer_auth(&token)
        .send()
        .unwrap();
    assert_eq!(one.status(), 200);

    let patch = |if_match: Option<&str>| {
        let mut r = c
            .patch(format!("{url}/api/v1/products/{id}"))
            .bearer_auth(&token)
            .json(&json!({"name": "Checkout 2"}));
        if let Some(e) = if_match {
            r = r.header("If-Match", e);
        }
        r.send().unwrap().status().as_u16()
    };
    assert_eq!(patch(None), 428);
    assert_eq!(patch(Some(&etag)), 200);
    assert_eq!(patch(Some(&etag)), 412, "the old ETag is stale now");

    for (lang, expected) in [("fr", "<html lang=\"fr\""), ("en", "<html lang=\"en\"")] {
        let page = c
            .get(format!("{url}/login"))
            .header("Accept-Language", lang)
            .send()
            .unwrap()
            .text()
            .unwrap();
        assert!(page.contains(expected), "{lang}");
    }
}

/// The contract of issue #3 (discovery), exactly as written there.
#[test]
fn the_discovery_contract_holds_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (ok, _, err) = phare(
        &[
            "admin",
            "create-user",
            "--data-dir",
            d,
            "--email",
            "ada@example.org",
            "--name",
            "Ada",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some(PASSWORD),
    );
    assert!(ok, "{err}");
    let (ok, token, err) = phare(
        &[
            "admin",
            "create-token",
            "--data-dir",
            d,
            "--email",
            "ada@example.org",
            "--scopes",
            "all",
        ],
        None,
    );
    assert!(ok, "{err}");
    let token = token.trim().to_owned();
    let server = Server::start(dir.path(), None, &[]);
    let c = http();
    let url = &server.url;
    let post = |path: &str, body: Value| {
        let res = c
            .post(format!("{url}{path}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json::<Value>().unwrap_or(Value::Null))
    };
    let get = |path: &str| -> Value {
        let res = c
            .get(format!("{url}{path}"))
            .bearer_auth(&token)
            .send()
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        res.json().unwrap()
    };

    let (s, product) = post(
        "/api/v1/products",
        json!({"name": "Checkout", "key": "CHK"}),
    );
    assert_eq!(s, 201);
    let product = product["id"].as_str().unwrap().to_owned();

    let (s, fb) = post(
        &format!("/api/v1/products/{product}/feedback"),
        json!({"text": "Les exportations PDF sont trop lentes pour nos équipes", "source": "support",
               "customer": "ACME", "tags": ["export"], "observed_at": "2026-11-02T09:30:00Z"}),
    );
    assert_eq!(s, 201, "{fb}");
    let feedback_id = fb["id"].as_str().expect("id").to_owned();

    let (s, idea) = post(
        &format!("/api/v1/products/{product}/ideas"),
        json!({"title": "Export the roadmap to PDF", "as_a": "product manager",
               "i_want": "to export the roadmap as a PDF", "so_that": "I can share it with management"}),
    );
    assert_eq!(s, 201, "{idea}");
    let idea_id = idea["id"].as_str().expect("id").to_owned();
    assert_eq!(idea["reference"], "CHK-1");

    let (s, ev) = post(
        &format!("/api/v1/ideas/{idea_id}/evidence"),
        json!({"feedback_id": feedback_id, "importance": "critical"}),
    );
    assert_eq!(s, 201, "{ev}");

    let one = get(&format!("/api/v1/ideas/{idea_id}"));
    assert_eq!(one["evidence_count"], 1);
    assert_eq!(one["customer_count"], 1);

    let found = get("/api/v1/search?q=exporter%20pdf");
    let items = found["items"].as_array().unwrap();
    assert!(items.len() >= 2, "{found}");
    for hit in items {
        assert!(hit["kind"].is_string() && hit["id"].is_string() && hit["score"].is_number());
        assert!(hit["title"].is_string() || hit["snippet"].is_string());
    }
    let only = get(&format!(
        "/api/v1/search?q=pdf&product_id={product}&kind=feedback"
    ));
    assert_eq!(only["items"].as_array().unwrap().len(), 1);

    let (s, dup) = post(
        &format!("/api/v1/products/{product}/ideas"),
        json!({"title": "PDF export of the roadmap"}),
    );
    assert_eq!(s, 201);
    let similar = get(&format!(
        "/api/v1/products/{product}/ideas/similar?text=Export%20roadmap%20PDF"
    ));
    let first = &similar["items"][0];
    assert!(
        first["id"].is_string() && first["reference"].is_string() && first["title"].is_string()
    );
    assert!(first["similarity"].as_f64().unwrap() > 0.0);

    let dup_id = dup["id"].as_str().unwrap();
    let (s, kept) = post(
        &format!("/api/v1/ideas/{dup_id}/merge"),
        json!({"into": idea_id, "reason": "Same request"}),
    );
    assert_eq!(s, 200, "{kept}");
    assert_eq!(kept["id"], idea_id.as_str());
    assert_eq!(get(&format!("/api/v1/ideas/{dup_id}"))["status"], "merged");
    // Merging an idea into itself is refused with a clear field error.
    let (s, problem) = post(
        &format!("/api/v1/ideas/{idea_id}/merge"),
        json!({"into": idea_id, "reason": "oops"}),
    );
    assert_eq!(s, 422);
    assert_eq!(problem["errors"][0]["field"], "into", "{problem}");
}
