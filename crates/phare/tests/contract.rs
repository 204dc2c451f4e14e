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
