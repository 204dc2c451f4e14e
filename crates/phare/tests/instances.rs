//! Several `phare serve` instances on one PostgreSQL (DESIGN §3 scale-out): sessions, the login
//! limit and migrations are shared through the database. Needs PHARE_TEST_DATABASE_URL
//! (`scripts/with-postgres cargo test -p phare --features pg-tests`).
#![cfg(feature = "pg-tests")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
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
