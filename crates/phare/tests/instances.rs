//! Several `phare serve` instances on one PostgreSQL (DESIGN §3 scale-out): sessions, the login
//! limit and migrations are shared through the database. Needs PHARE_TEST_DATABASE_URL
//! (`scripts/with-postgres cargo test -p phare --features pg-tests`).
#![cfg(feature = "pg-tests")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::portal::*;
use common::*;

fn migrate(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["migrate".to_owned()];
    args.extend(db_args(dir.path(), Some(db)));
    let (ok, _, err) = phare(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(ok, "migrate: {err}");
}

#[test]
fn an_instance_with_migrate_check_refuses_an_old_schema_and_runs_once_migrated() {
    let db = fresh_pg_database();
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(bin())
        .args(["serve", "--data-dir"])
        .arg(dir.path())
        .args([
            "--listen",
            &format!("127.0.0.1:{}", free_port()),
            "--database-url",
            &db,
            "--migrate",
            "check",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("phare migrate"));
    migrate(&db);
    migrate(&db); // a second run changes nothing and succeeds
    let a = Server::start(dir.path(), Some(&db), &["--migrate", "check"]);
    assert_eq!(
        http()
            .get(format!("{}/readyz", a.url))
            .send()
            .unwrap()
            .status(),
        200
    );
}

#[test]
fn a_session_made_on_one_instance_works_on_the_other() {
    let db = fresh_pg_database();
    migrate(&db);
    let d1 = tempfile::tempdir().unwrap();
    let d2 = tempfile::tempdir().unwrap();
    admin_with_token(d1.path(), Some(&db), "ada@example.org", None);
    let a = Server::start(d1.path(), Some(&db), &["--migrate", "check"]);
    let b = Server::start(d2.path(), Some(&db), &["--migrate", "check"]);
    let cookie = login(&a.url, "ada@example.org", PASSWORD).unwrap();
    let c = http();
    assert_eq!(
        c.get(format!("{}/profile", b.url))
            .header("Cookie", &cookie)
            .send()
            .unwrap()
            .status(),
        200
    );
    // A product created through one instance is seen through the other.
    let res = c
        .post(format!("{}/products", b.url))
        .header("Origin", &b.url)
        .header("Cookie", &cookie)
        .form(&[("name", "Portail"), ("key", "PRT"), ("pm_model", "shared")])
        .send()
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = c
        .get(format!("{}/products", a.url))
        .header("Cookie", &cookie)
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains("PRT"));
    // Logging out on one ends the session on both.
    c.post(format!("{}/logout", a.url))
        .header("Origin", &a.url)
        .header("Cookie", &cookie)
        .send()
        .unwrap();
    assert_eq!(
        c.get(format!("{}/profile", b.url))
            .header("Cookie", &cookie)
            .send()
            .unwrap()
            .status(),
        303
    );
}

#[test]
fn the_login_limit_holds_across_two_instances() {
    let db = fresh_pg_database();
    migrate(&db);
    let d1 = tempfile::tempdir().unwrap();
    let d2 = tempfile::tempdir().unwrap();
    admin_with_token(d1.path(), Some(&db), "ada@example.org", None);
    let a = Server::start(
        d1.path(),
        Some(&db),
        &["--migrate", "check", "--login-rate-limit", "10"],
    );
    let b = Server::start(
        d2.path(),
        Some(&db),
        &["--migrate", "check", "--login-rate-limit", "10"],
    );
    let c = http();
    let mut statuses = Vec::new();
    for i in 0..40 {
        let url = if i % 2 == 0 { &a.url } else { &b.url };
        let res = c
            .post(format!("{url}/login"))
            .header("Origin", url)
            .form(&[("email", "ada@example.org"), ("password", "wrong-password")])
            .send()
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    let answered = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(
        answered, 10,
        "exactly the limit is answered, whichever instance is asked: {statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 30);
}

#[test]
fn a_sqlite_backup_restores_into_postgresql_with_the_same_checksums() {
    let dir = tempfile::tempdir().unwrap();
    admin_with_token(dir.path(), None, "ada@example.org", None);
    {
        let server = Server::start(dir.path(), None, &[]);
        let cookie = login(&server.url, "ada@example.org", PASSWORD).unwrap();
        for (k, n) in [
            ("CIT", "Portail citoyen"),
            ("RH", "Ressources « humaines »"),
        ] {
            let res = http()
                .post(format!("{}/products", server.url))
                .header("Origin", &server.url)
                .header("Cookie", &cookie)
                .form(&[
                    ("name", n),
                    ("key", k),
                    ("pm_model", "shared"),
                    ("description", "ligne 1\nligne 2"),
                ])
                .send()
                .unwrap();
            assert_eq!(res.status(), 303);
        }
    }
    let backup = dir.path().join("backup.db");
    let mut args = vec!["backup".to_owned()];
    args.extend(db_args(dir.path(), None));
    args.extend(["--to".into(), backup.display().to_string()]);
    assert!(phare(&args.iter().map(String::as_str).collect::<Vec<_>>(), None).0);

    let db = fresh_pg_database();
    let pg_dir = tempfile::tempdir().unwrap();
    let mut args = vec!["restore".to_owned()];
    args.extend(db_args(pg_dir.path(), Some(&db)));
    args.extend(["--from".into(), backup.display().to_string()]);
    let (ok, _, err) = phare(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(ok, "{err}");
    let sums = |d: &std::path::Path, url: Option<&str>| {
        let mut a = vec!["export".to_owned(), "--format".into(), "checksums".into()];
        a.extend(db_args(d, url));
        let (ok, out, err) = phare(&a.iter().map(String::as_str).collect::<Vec<_>>(), None);
        assert!(ok, "{err}");
        out
    };
    // Compare with the backup file itself (the source has since recorded the backup).
    let backup_dir = tempfile::tempdir().unwrap();
    std::fs::copy(&backup, backup_dir.path().join("phare.db")).unwrap();
    assert_eq!(
        sums(backup_dir.path(), None),
        sums(pg_dir.path(), Some(&db)),
        "SQLite → PostgreSQL keeps every table exactly"
    );
    // And the team can sign in on the PostgreSQL instance with the same password.
    let server = Server::start(pg_dir.path(), Some(&db), &[]);
    assert!(login(&server.url, "ada@example.org", PASSWORD).is_ok());
}

// --- the public portal on two instances (R5, R13, the outbox) -------------------------------

/// Two instances on one fresh PostgreSQL database, an admin, an open portal.
fn two_portal_instances(
    limits: &str,
    extra: &[&str],
) -> (String, [tempfile::TempDir; 2], Server, Server, String, Site) {
    let db = fresh_pg_database();
    migrate(&db);
    let d1 = tempfile::tempdir().unwrap();
    let d2 = tempfile::tempdir().unwrap();
    let token = admin_with_token(d1.path(), Some(&db), "ada@example.org", None);
    let mut args = vec!["--migrate", "check", "--portal-rate-limits", limits];
    args.extend_from_slice(extra);
    let a = Server::start(d1.path(), Some(&db), &args);
    let b = Server::start(d2.path(), Some(&db), &args);
    let site = open_portal(&a.url, &token, "CHK");
    (db, [d1, d2], a, b, token, site)
}

#[test]
fn portal_votes_stay_exact_across_two_instances() {
    let (db, dirs, a, b, token, site) = two_portal_instances("codes=5/1000,votes=1000/10000", &[]);
    let emails: Vec<String> = (0..201).map(|n| format!("voter{n}@example.org")).collect();
    let cookies = sign_in_all(&[&a.url, &b.url], &a.url, &token, &site, &emails);
    let (solo, crowd) = cookies.split_first().unwrap();
    let mut jobs: Vec<(String, &'static str)> = (0..100)
        .map(|n| (solo.clone(), if n % 2 == 0 { "vote" } else { "unvote" }))
        .collect();
    jobs.extend(crowd.iter().map(|c| (c.clone(), "vote")));
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(jobs.len()));
    let handles: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(n, (cookie, action))| {
            let barrier = barrier.clone();
            let url = if n % 2 == 0 {
                a.url.clone()
            } else {
                b.url.clone()
            };
            let path = format!("{}/{action}", site.idea(""));
            std::thread::spawn(move || {
                barrier.wait();
                portal_post(&url, &path, &cookie, &[], None).0
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let errors: Vec<&u16> = statuses.iter().filter(|s| **s != 303).collect();
    assert!(errors.is_empty(), "every vote answered 303, got {errors:?}");
    let d = dump(dirs[0].path(), Some(&db));
    let rows = assert_votes_exact(&d, &site.idea_id);
    assert!(rows == 200 || rows == 201, "{rows}");
}

#[test]
fn portal_limits_hold_across_two_instances() {
    let (_db, _dirs, a, b, token, site) =
        two_portal_instances("codes=3/10,submissions=2/100,votes=3/100", &[]);
    let urls = [a.url.as_str(), b.url.as_str()];
    // Codes: distinct addresses, forged forwarding headers, both instances: the address limit.
    let mut accepted = 0;
    for n in 0..100 {
        let (s, retry) = request_code(
            urls[n % 2],
            &site,
            &format!("someone{n}@example.org"),
            Some(&spoofed_ip(n)),
        );
        match s {
            200 => accepted += 1,
            429 => assert!(retry.is_some(), "429 carries Retry-After"),
            other => panic!("{other}"),
        }
    }
    assert_eq!(accepted, 10);
    // One signed-in visitor: its codes were among the ten; use one of them.
    let codes = codes(&a.url, &token);
    let cookie = verify(
        &b.url,
        &site,
        "someone0@example.org",
        &codes["someone0@example.org"],
    )
    .expect("sign in on the other instance");
    let submit = format!("{}/submit", site.base(""));
    let mut accepted = 0;
    for n in 0..20 {
        let title = format!("Idea {n}");
        let (s, retry) = portal_post(
            urls[n % 2],
            &submit,
            &cookie,
            &[("title", &title)],
            Some(&spoofed_ip(n)),
        );
        match s {
            303 => accepted += 1,
            429 => assert!(retry.is_some()),
            other => panic!("{other}"),
        }
    }
    assert_eq!(accepted, 2);
    let mut accepted = 0;
    for n in 0..30 {
        let action = if n % 2 == 0 { "vote" } else { "unvote" };
        let (s, retry) = portal_post(
            urls[(n / 2) % 2],
            &format!("{}/{action}", site.idea("")),
            &cookie,
            &[],
            Some(&spoofed_ip(n)),
        );
        match s {
            303 => accepted += 1,
            429 => assert!(retry.is_some()),
            other => panic!("{other}"),
        }
    }
    assert_eq!(accepted, 3);
}

#[test]
fn two_instances_send_each_e_mail_once() {
    let sink = SmtpSink::start();
    let smtp = sink.url();
    let (_db, _dirs, a, b, _token, site) = two_portal_instances(
        "codes=5/1000",
        &["--smtp-url", &smtp, "--smtp-from", "phare@example.org"],
    );
    for n in 0..40 {
        let url = if n % 2 == 0 { &a.url } else { &b.url };
        let (s, _) = request_code(url, &site, &format!("reader{n}@example.org"), None);
        assert_eq!(s, 200);
    }
    let got = sink.wait_for(40, std::time::Duration::from_secs(60));
    // Let both senders run a few more rounds: a duplicate would show up now.
    std::thread::sleep(std::time::Duration::from_secs(5));
    let got_after = sink.received.lock().unwrap().clone();
    assert_eq!(got.len(), 40);
    assert_eq!(got_after.len(), 40, "no message sent twice");
    let mut to: Vec<String> = got_after.iter().map(|m| m.to.clone()).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 40, "every address once");
}

// decisions (issue #4)
/// A deferred idea's job is due when two instances start at once on one database: both workers
/// claim at start, and the idea comes back to its owner exactly once.
#[test]
fn a_deferred_idea_comes_back_once_with_two_instances() {
    let db = fresh_pg_database();
    migrate(&db);
    let d1 = tempfile::tempdir().unwrap();
    let d2 = tempfile::tempdir().unwrap();
    let token = admin_with_token(d1.path(), Some(&db), "ada@example.org", None);
    let a = Server::start(d1.path(), Some(&db), &["--migrate", "check"]);
    let (s, product) = api(
        &a.url,
        &token,
        "POST",
        "/products",
        Some(serde_json::json!({"name": "Portail", "key": "PRT"})),
        None,
    );
    assert_eq!(s, 201);
    let pid = product["id"].as_str().unwrap();
    let mut ideas = Vec::new();
    for n in 0..5 {
        let (s, idea) = api(
            &a.url,
            &token,
            "POST",
            &format!("/products/{pid}/ideas"),
            Some(
                serde_json::json!({"title": format!("Idea {n}"), "so_that": "gain", "status": "under_consideration"}),
            ),
            None,
        );
        assert_eq!(s, 201);
        ideas.push(idea["id"].as_str().unwrap().to_owned());
    }
    // Deferred until today: due at once. The decision covers all five ideas.
    let today = chrono::Utc::now().date_naive().to_string();
    let (s, d) = api(
        &a.url,
        &token,
        "POST",
        &format!("/ideas/{}/decisions", ideas[0]),
        Some(
            serde_json::json!({"kind": "defer", "rationale": "Later", "until": today, "idea_ids": ideas[1..]}),
        ),
        None,
    );
    assert_eq!(s, 201, "{d}");
    drop(a);
    // Both start together; each runs due jobs at start.
    let (a, b) = std::thread::scope(|sc| {
        let ha = sc.spawn(|| Server::start(d1.path(), Some(&db), &["--migrate", "check"]));
        let hb = sc.spawn(|| Server::start(d2.path(), Some(&db), &["--migrate", "check"]));
        (ha.join().unwrap(), hb.join().unwrap())
    });
    let mut items = Vec::new();
    for _ in 0..50 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let (_, page) = api(&b.url, &token, "GET", "/notifications", None, None);
        items = page["items"].as_array().cloned().unwrap_or_default();
        if items.len() >= 5 {
            break;
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (_, page) = api(&a.url, &token, "GET", "/notifications", None, None);
    let again = page["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 5, "one notification per idea: {items:?}");
    assert_eq!(again.len(), 5, "and never a second: {again:?}");
    drop((a, b));
}
