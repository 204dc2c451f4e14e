//! Durability: a crash loses nothing acknowledged (R7), backups are exact (R20).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use phare_store::Store;
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Writes through the web form as a person would; returns the ids of acknowledged products.
fn write_products(
    url: &str,
    cookie: &str,
    prefix: &str,
    stop: &AtomicBool,
    acked: &Mutex<Vec<String>>,
) {
    let c = http();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let key = format!("{prefix}{n}");
        let res = c
            .post(format!("{url}/products"))
            .header("Origin", url)
            .header("Cookie", cookie)
            .form(&[
                ("name", format!("Produit {key}")),
                ("key", key.clone()),
                ("pm_model", "shared".into()),
                ("description", "é".repeat(200)),
            ])
            .send();
        // Only a complete 303 counts as acknowledged; a connection cut by the crash does not.
        if let Ok(res) = res {
            if res.status() == 303 {
                let loc = res
                    .headers()
                    .get("location")
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_owned();
                let id = loc
                    .trim_start_matches("/products/")
                    .split('?')
                    .next()
                    .unwrap()
                    .to_owned();
                acked.lock().unwrap().push(id);
            }
        }
    }
}

/// Replaces a product's RACI with 3 rows or with none: a half-applied change would show 1 or 2.
fn toggle_raci(url: &str, cookie: &str, product: &str, member: &str, stop: &AtomicBool) {
    let c = http();
    let mut full = false;
    while !stop.load(Ordering::Relaxed) {
        full = !full;
        let body = if full {
            format!(
                "raci={member}%3Aresponsible&raci={member}%3Aconsulted&raci={member}%3Ainformed"
            )
        } else {
            String::new()
        };
        let _ = c
            .post(format!("{url}/products/{product}/raci"))
            .header("Origin", url)
            .header("Cookie", cookie)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send();
    }
}

fn sqlite(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("phare.db").display())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_crash_loses_nothing_acknowledged() {
    let cycles: usize = std::env::var("PHARE_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let dir = tempfile::tempdir().unwrap();
    admin_with_token(dir.path(), None, "ada@example.org", None);
    let rt = runtime();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut all_acked: Vec<String> = Vec::new();
    let (mut product, mut member) = (String::new(), String::new());
    for cycle in 0..cycles {
        let server = Server::start(dir.path(), None, &["--login-rate-limit", "1000"]);
        let cookie = login(&server.url, "ada@example.org", PASSWORD).unwrap();
        if cycle == 0 {
            let res = http()
                .post(format!("{}/products", server.url))
                .header("Origin", &server.url)
                .header("Cookie", &cookie)
                .form(&[("name", "RACI"), ("key", "RACI"), ("pm_model", "shared")])
                .send()
                .unwrap();
            product = res
                .headers()
                .get("location")
                .unwrap()
                .to_str()
                .unwrap()
                .trim_start_matches("/products/")
                .split('?')
                .next()
                .unwrap()
                .to_owned();
            let store = rt
                .block_on(phare_sqlite::SqliteStore::connect(&sqlite(dir.path())))
                .unwrap();
            member = rt
                .block_on(store.find_credentials("ada@example.org"))
                .unwrap()
                .unwrap()
                .0
                .id
                .to_string();
            rt.block_on(store.close());
        }
        let stop = Arc::new(AtomicBool::new(false));
        let acked = Arc::new(Mutex::new(Vec::new()));
        let mut writers = Vec::new();
        for w in 0..3 {
            let (url, cookie, stop, acked) = (
                server.url.clone(),
                cookie.clone(),
                stop.clone(),
                acked.clone(),
            );
            let prefix = format!("C{cycle}W{w}N");
            writers.push(std::thread::spawn(move || {
                write_products(&url, &cookie, &prefix, &stop, &acked)
            }));
        }
        {
            let (url, cookie, stop, product, member) = (
                server.url.clone(),
                cookie.clone(),
                stop.clone(),
                product.clone(),
                member.clone(),
            );
            writers.push(std::thread::spawn(move || {
                toggle_raci(&url, &cookie, &product, &member, &stop)
            }));
        }
        std::thread::sleep(Duration::from_millis(rng.gen_range(200..1200)));
        server.kill9();
        stop.store(true, Ordering::Relaxed);
        for w in writers {
            w.join().unwrap();
        }
        all_acked.extend(acked.lock().unwrap().iter().cloned());

        // After the crash: the file is sound, every acknowledged write is there, nothing half-done.
        let store = rt
            .block_on(phare_sqlite::SqliteStore::connect(&sqlite(dir.path())))
            .unwrap();
        assert_eq!(
            rt.block_on(store.integrity_check()).unwrap(),
            "ok",
            "cycle {cycle}"
        );
        let dump = rt.block_on(store.dump()).unwrap();
        let present: BTreeSet<String> = dump.products.iter().map(|p| p.id.to_string()).collect();
        let missing: Vec<&String> = all_acked
            .iter()
            .filter(|id| !present.contains(*id))
            .collect();
        assert!(
            missing.is_empty(),
            "cycle {cycle}: acknowledged but missing: {missing:?}"
        );
        let raci_rows = dump
            .raci
            .iter()
            .filter(|r| r.product_id.to_string() == product)
            .count();
        assert!(
            raci_rows == 0 || raci_rows == 3,
            "cycle {cycle}: half-applied RACI change ({raci_rows} rows)"
        );
        rt.block_on(store.close());
    }
    assert!(
        all_acked.len() > cycles,
        "the load wrote something ({} acknowledged)",
        all_acked.len()
    );
}

#[test]
fn an_online_backup_restores_exactly_and_holds_every_write_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    admin_with_token(dir.path(), None, "ada@example.org", None);
    let server = Server::start(dir.path(), None, &["--login-rate-limit", "1000"]);
    let cookie = login(&server.url, "ada@example.org", PASSWORD).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let (url, cookie, stop, acked) = (
            server.url.clone(),
            cookie.clone(),
            stop.clone(),
            acked.clone(),
        );
        std::thread::spawn(move || write_products(&url, &cookie, "B", &stop, &acked))
    };
    std::thread::sleep(Duration::from_millis(500));
    let before: Vec<String> = acked.lock().unwrap().clone();
    let backup = dir.path().join("backup.db");
    let mut args = vec!["backup".to_owned()];
    args.extend(db_args(dir.path(), None));
    args.extend(["--to".into(), backup.display().to_string()]);
    let (ok, _, err) = phare(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(ok, "backup during writes: {err}");
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    assert!(!before.is_empty());

    // Restore into a fresh data directory and compare table by table.
    let fresh = tempfile::tempdir().unwrap();
    let mut args = vec!["restore".to_owned()];
    args.extend(db_args(fresh.path(), None));
    args.extend(["--from".into(), backup.display().to_string()]);
    let (ok, restore_sums, err) = phare(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(ok, "restore: {err}");
    let checksums = |d: &Path| {
        let mut a = vec!["export".to_owned(), "--format".into(), "checksums".into()];
        a.extend(db_args(d, None));
        let (ok, out, err) = phare(&a.iter().map(String::as_str).collect::<Vec<_>>(), None);
        assert!(ok, "{err}");
        out
    };
    let backup_dir = tempfile::tempdir().unwrap();
    std::fs::copy(&backup, backup_dir.path().join("phare.db")).unwrap();
    assert_eq!(
        checksums(fresh.path()),
        checksums(backup_dir.path()),
        "restored = backup, table by table"
    );
    assert_eq!(restore_sums, checksums(fresh.path()));
    let rt = runtime();
    let store = rt
        .block_on(phare_sqlite::SqliteStore::connect(&sqlite(fresh.path())))
        .unwrap();
    let dump = rt.block_on(store.dump()).unwrap();
    let present: BTreeSet<String> = dump.products.iter().map(|p| p.id.to_string()).collect();
    for id in &before {
        assert!(
            present.contains(id),
            "{id} was acknowledged before the backup started"
        );
    }
    // Restoring again into the same, now non-empty, database is refused.
    let (ok, _, err) = phare(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(!ok && err.contains("already holds data"), "{err}");
}

#[test]
fn export_and_import_move_everything_with_the_same_checksums() {
    let dir = tempfile::tempdir().unwrap();
    admin_with_token(dir.path(), None, "ada@example.org", None);
    let file = dir.path().join("dump.json");
    let mut a = vec![
        "export".to_owned(),
        "--format".into(),
        "json".into(),
        "--out".into(),
        file.display().to_string(),
    ];
    a.extend(db_args(dir.path(), None));
    let (ok, _, err) = phare(&a.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"format\": \"phare-dump\""));
    let target = tempfile::tempdir().unwrap();
    let mut a = vec![
        "import".to_owned(),
        "--format".into(),
        "json".into(),
        file.display().to_string(),
    ];
    a.extend(db_args(target.path(), None));
    let (ok, _, err) = phare(&a.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(ok, "{err}");
    let sums = |d: &Path| {
        let mut a = vec!["export".to_owned(), "--format".into(), "checksums".into()];
        a.extend(db_args(d, None));
        phare(&a.iter().map(String::as_str).collect::<Vec<_>>(), None).1
    };
    // The import holds exactly what the file holds (the source has since gained the audit
    // event of the export itself).
    let exported: phare_store::Dump = serde_json::from_str(&text).unwrap();
    let expected: String = exported
        .checksums()
        .iter()
        .map(|(t, s)| format!("{t} {s}\n"))
        .collect();
    assert_eq!(sums(target.path()), expected);
    // A file that is not a dump is refused with a clear message, and nothing is written.
    std::fs::write(&file, "{\"format\":\"other\"}").unwrap();
    let other = tempfile::tempdir().unwrap();
    let mut a = vec!["import".to_owned(), file.display().to_string()];
    a.extend(db_args(other.path(), None));
    let (ok, _, err) = phare(&a.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(!ok, "{err}");
}

#[test]
fn exports_and_backups_are_recorded_in_the_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    admin_with_token(dir.path(), None, "ada@example.org", None);
    let out = dir.path().join("all.json");
    let mut a = vec![
        "export".to_owned(),
        "--out".into(),
        out.display().to_string(),
    ];
    a.extend(db_args(dir.path(), None));
    assert!(phare(&a.iter().map(String::as_str).collect::<Vec<_>>(), None).0);
    let mut a = vec![
        "backup".to_owned(),
        "--to".into(),
        dir.path().join("b.db").display().to_string(),
    ];
    a.extend(db_args(dir.path(), None));
    assert!(phare(&a.iter().map(String::as_str).collect::<Vec<_>>(), None).0);
    let rt = runtime();
    let store = rt
        .block_on(phare_sqlite::SqliteStore::connect(&sqlite(dir.path())))
        .unwrap();
    let audit = rt.block_on(store.dump()).unwrap().audit;
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"data.export") && actions.contains(&"data.backup"),
        "{actions:?}"
    );
    let export = audit.iter().find(|e| e.action == "data.export").unwrap();
    assert_eq!(
        (export.actor_label.as_str(), export.outcome.as_str()),
        ("cli", "success")
    );
    assert!(
        export.workspace_id.is_some(),
        "visible to the workspace's admins"
    );
}

/// R8: an import is all or nothing even when the server is killed in the middle of it.
#[test]
fn a_crash_during_an_import_leaves_all_or_nothing() {
    const ROWS: usize = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let token = admin_with_token(dir.path(), None, "ada@example.org", None);
    let mut csv = String::from("text,source,customer\r\n");
    for n in 0..ROWS {
        csv.push_str(&format!(
            "\"Row {n}: les exports PDF prennent trop de temps\",support,Client {}\r\n",
            n % 500
        ));
    }
    let rt = runtime();
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let mut outcomes = BTreeSet::new();
    for cycle in 0..4 {
        let server = Server::start(dir.path(), None, &[]);
        let product = if cycle == 0 {
            let res: serde_json::Value = http()
                .post(format!("{}/api/v1/products", server.url))
                .bearer_auth(&token)
                .json(&serde_json::json!({"name": "Import", "key": "IMP"}))
                .send()
                .unwrap()
                .json()
                .unwrap();
            res["id"].as_str().unwrap().to_owned()
        } else {
            let res: serde_json::Value = http()
                .get(format!("{}/api/v1/products", server.url))
                .bearer_auth(&token)
                .send()
                .unwrap()
                .json()
                .unwrap();
            res["items"][0]["id"].as_str().unwrap().to_owned()
        };
        let before = rt.block_on(async {
            let store = phare_sqlite::SqliteStore::connect(&sqlite(dir.path()))
                .await
                .unwrap();
            let n = store.dump().await.unwrap().discovery.feedback.len();
            store.close().await;
            n
        });
        let (url, token2, body) = (server.url.clone(), token.clone(), csv.clone());
        let import = std::thread::spawn(move || {
            http()
                .post(format!("{url}/api/v1/products/{product}/imports"))
                .bearer_auth(&token2)
                .header("Content-Type", "text/csv")
                .body(body)
                .timeout(Duration::from_secs(120))
                .send()
                .map(|r| r.status().as_u16())
        });
        // The last cycle lets the import finish, so the test also sees the "all" outcome.
        if cycle < 3 {
            std::thread::sleep(Duration::from_millis(rng.gen_range(100..1500)));
            server.kill9();
        } else {
            assert_eq!(import.join().unwrap().unwrap(), 201);
            server.kill9();
            outcomes.insert("finished");
            let after = rt.block_on(async {
                let store = phare_sqlite::SqliteStore::connect(&sqlite(dir.path()))
                    .await
                    .unwrap();
                let n = store.dump().await.unwrap().discovery.feedback.len();
                store.close().await;
                n
            });
            assert_eq!(after - before, ROWS);
            continue;
        }
        let answered = import.join().unwrap();
        let after = rt.block_on(async {
            let store = phare_sqlite::SqliteStore::connect(&sqlite(dir.path()))
                .await
                .unwrap();
            assert_eq!(store.integrity_check().await.unwrap(), "ok");
            let n = store.dump().await.unwrap().discovery.feedback.len();
            store.close().await;
            n
        });
        let added = after - before;
        assert!(
            added == 0 || added == ROWS,
            "cycle {cycle}: {added} of {ROWS} rows after a kill (answer {answered:?})"
        );
        if answered.is_ok_and(|s| s == 201) {
            assert_eq!(added, ROWS, "acknowledged, so all rows are there");
        }
        outcomes.insert(if added == 0 { "none" } else { "all" });
    }
    assert!(
        outcomes.contains("none"),
        "a kill landed mid-import: {outcomes:?}"
    );
}
