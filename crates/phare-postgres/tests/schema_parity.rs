//! The SQLite and PostgreSQL schemas describe the same data: the same migrations (numbers and
//! names), the same tables and columns with the same nullability, the same named indexes, and an
//! audit table that both databases refuse to rewrite. The two designed differences, the search
//! index (FTS5 on SQLite, tsvector + GIN on PostgreSQL) and where the backlog's order by score
//! is kept (narrow tables on SQLite, `ideas.score` on PostgreSQL), are an explicit allow-list
//! below.
//!
//! Needs a PostgreSQL server, so it is compiled only with the `pg-tests` feature (see
//! tests/conformance.rs): `scripts/with-postgres cargo test -p phare-postgres --features pg-tests`.
#![cfg(feature = "pg-tests")]
// A test states its expectations by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use phare_postgres::PgStore;
use phare_sqlite::SqliteStore;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::collections::BTreeSet;
use std::str::FromStr;

/// (table, column, nullable)
type Columns = BTreeSet<(String, String, bool)>;

// --- what differs by design ------------------------------------------------------------------
//
// The search index is backend-specific (DESIGN.md §3, "search"): both backends index the same
// analyzed terms (phare-domain's analyzer), SQLite in an FTS5 virtual table, PostgreSQL in a
// tsvector column with a GIN index. The comparison leaves out exactly what that choice implies,
// listed here; every other table, column, nullability and named index must match.

/// SQLite's FTS5 tables `search_fts` (migration 0002) and `idea_fts` (0005, ideas alone for
/// similar ideas; PostgreSQL has the partial index `search_docs_idea_scope` instead) and the shadow
/// tables FTS5 creates for them (contentless with `contentless_delete = 1`: no `_content`).
const SQLITE_ONLY_TABLES: &[&str] = &[
    "search_fts",
    "search_fts_config",
    "search_fts_data",
    "search_fts_docsize",
    "search_fts_idx",
    "idea_fts",
    "idea_fts_config",
    "idea_fts_data",
    "idea_fts_docsize",
    "idea_fts_idx",
    // decisions (issue #4): a decision's search entry (with its id, so not contentless).
    "decision_fts",
    "decision_fts_config",
    "decision_fts_content",
    "decision_fts_data",
    "decision_fts_docsize",
    "decision_fts_idx",
    // The backlog's order by score (migration 0013): SQLite rebuilds these narrow tables in key
    // order on a re-scoring, where moving the entries of indexes on `ideas.score` one by one
    // took most of a second for 100,000 ideas; PostgreSQL keeps `ideas.score` and its indexes.
    "backlog_by_score",
    "backlog_by_status_score",
];

/// PostgreSQL's `search_docs.terms`, the `to_tsvector('simple', …)` of the analyzed terms that
/// SQLite keeps in `search_fts`.
const POSTGRES_ONLY_COLUMNS: &[(&str, &str)] = &[
    ("search_docs", "terms"),
    // decisions (issue #4): what SQLite keeps in `decision_fts`.
    ("decisions", "terms"),
    // The backlog's order by score, kept in `backlog_by_score` on SQLite (migration 0013).
    ("ideas", "score"),
];

/// The GIN indexes on `search_docs.terms`.
const POSTGRES_ONLY_INDEXES: &[&str] = &[
    // Search by recency bucket (migration 0016, which dropped 0002's `search_docs_terms`).
    "search_docs_recent",
    // Similar ideas (migration 0016; SQLite: `idea_fts`).
    "search_docs_idea_scope",
    // decisions (issue #4)
    "decisions_terms",
    // The backlog's order by score (migration 0013; SQLite: `backlog_by_*` keys).
    "ideas_score",
    "ideas_status_score",
];

/// Columns present on both sides whose reported nullability differs. `search_docs.doc` is
/// SQLite's `doc INTEGER PRIMARY KEY`, an alias of the rowid (the FTS5 rowid of the entry):
/// `pragma_table_info` reports it nullable, yet it can never hold NULL (inserting NULL assigns a
/// new rowid). PostgreSQL's identity primary key is NOT NULL.
const NULLABILITY_DIFFERS: &[(&str, &str)] = &[("search_docs", "doc")];

/// The columns as compared: backend-only entries left out, and the columns of
/// `NULLABILITY_DIFFERS` compared by presence only (reported as NOT NULL on both sides).
fn comparable(columns: &Columns) -> Columns {
    columns
        .iter()
        .filter(|(t, c, _)| {
            !SQLITE_ONLY_TABLES.contains(&t.as_str())
                && !POSTGRES_ONLY_COLUMNS.contains(&(t.as_str(), c.as_str()))
        })
        .map(|(t, c, nullable)| {
            let differs = NULLABILITY_DIFFERS.contains(&(t.as_str(), c.as_str()));
            (t.clone(), c.clone(), *nullable && !differs)
        })
        .collect()
}

/// A migrated SQLite store, and a plain sqlx connection pool on the same file for the raw
/// queries of these checks (the store itself exposes no SQL).
async fn sqlite() -> (tempfile::TempDir, SqliteStore, sqlx::SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("phare.db").display());
    let store = SqliteStore::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let raw = sqlx::SqlitePool::connect(&url).await.unwrap();
    (dir, store, raw)
}

async fn postgres() -> PgStore {
    let url = std::env::var("PHARE_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "PHARE_TEST_DATABASE_URL is not set: run \
             `scripts/with-postgres cargo test -p phare-postgres --features pg-tests`"
        )
    });
    let server = PgConnectOptions::from_str(&url).unwrap();
    let name = format!("phare_t_{}", uuid::Uuid::now_v7().simple());
    let mut admin = server.connect().await.unwrap();
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let store = PgStore::connect_with(server.database(&name)).await.unwrap();
    store.migrate().await.unwrap();
    store
}

async fn sqlite_columns(s: &sqlx::SqlitePool) -> Columns {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT m.name, p.name, p.\"notnull\" FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
    )
    .fetch_all(s)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(t, c, notnull)| (t, c, notnull == 0))
        .collect()
}

async fn postgres_columns(s: &PgStore) -> Columns {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(s.pool())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(t, c, nullable)| (t, c, nullable == "YES"))
        .collect()
}

/// Indexes created by name in the migrations (not the ones behind keys and unique constraints).
async fn sqlite_indexes(s: &sqlx::SqlitePool) -> BTreeSet<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
         AND tbl_name <> '_sqlx_migrations'",
    )
    .fetch_all(s)
    .await
    .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

async fn postgres_indexes(s: &PgStore) -> BTreeSet<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT i.indexname::text FROM pg_indexes i WHERE i.schemaname = 'public' \
         AND i.tablename <> '_sqlx_migrations' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
    )
    .fetch_all(s.pool())
    .await
    .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test]
async fn both_backends_have_the_same_migrations() {
    let describe = |m: &sqlx::migrate::Migrator| {
        m.iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect::<Vec<_>>()
    };
    let sqlite = describe(&phare_sqlite::MIGRATOR);
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, describe(&phare_postgres::MIGRATOR));
}

#[tokio::test]
async fn both_backends_have_the_same_tables_columns_and_indexes() {
    let (_dir, lite, lite_raw) = sqlite().await;
    let pg = postgres().await;

    let (lc, pc) = (sqlite_columns(&lite_raw).await, postgres_columns(&pg).await);
    assert!(lc.len() > 50, "read the SQLite schema: {lc:?}");
    // Each allow-list entry must still name something real, so that none outlives its reason.
    for t in SQLITE_ONLY_TABLES {
        assert!(
            lc.iter().any(|(lt, _, _)| lt == t),
            "SQLite has no table {t}"
        );
        assert!(
            !pc.iter().any(|(pt, _, _)| pt == t),
            "PostgreSQL has a table {t}"
        );
    }
    for (t, c) in POSTGRES_ONLY_COLUMNS {
        assert!(
            pc.iter().any(|(pt, pcol, _)| pt == t && pcol == c),
            "PostgreSQL has no {t}.{c}"
        );
        assert!(
            !lc.iter().any(|(lt, lcol, _)| lt == t && lcol == c),
            "SQLite has a {t}.{c}"
        );
    }
    for (t, c) in NULLABILITY_DIFFERS {
        for (side, cols) in [("SQLite", &lc), ("PostgreSQL", &pc)] {
            assert!(
                cols.iter().any(|(ct, cc, _)| ct == t && cc == c),
                "{side} has no {t}.{c}"
            );
        }
    }
    let (lc, pc) = (comparable(&lc), comparable(&pc));
    let only_sqlite: Vec<_> = lc.difference(&pc).collect();
    let only_postgres: Vec<_> = pc.difference(&lc).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "(table, column, nullable) differ:\n  only in SQLite: {only_sqlite:?}\n  only in PostgreSQL: {only_postgres:?}"
    );

    let (li, mut pi) = (sqlite_indexes(&lite_raw).await, postgres_indexes(&pg).await);
    assert!(!li.is_empty());
    for i in POSTGRES_ONLY_INDEXES {
        assert!(pi.remove(*i), "PostgreSQL has no index {i}");
    }
    assert_eq!(li, pi, "named indexes");

    lite.close().await;
    pg.close().await;
}

#[tokio::test]
async fn both_backends_refuse_to_rewrite_the_audit_trail() {
    use phare_store::{AuditEvent, Store};
    let event = AuditEvent {
        id: phare_domain::AuditId::new(),
        workspace_id: None,
        at: phare_store::now(),
        actor_id: None,
        actor_label: "cli".into(),
        action: "auth.login_failed".into(),
        target_kind: "member".into(),
        target_id: None,
        outcome: "failure".into(),
        request_id: "r".into(),
        source_ip: "127.0.0.1".into(),
        detail: serde_json::json!({}),
    };
    let (_dir, lite, lite_raw) = sqlite().await;
    lite.append_audit(event.clone()).await.unwrap();
    for sql in [
        "UPDATE audit_events SET outcome = 'success'",
        "DELETE FROM audit_events",
    ] {
        let r = sqlx::query(sql).execute(&lite_raw).await;
        assert!(r.is_err(), "SQLite accepted {sql}");
    }

    let pg = postgres().await;
    pg.append_audit(event).await.unwrap();
    for sql in [
        "UPDATE audit_events SET outcome = 'success'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ] {
        let r = sqlx::query(sql).execute(pg.pool()).await;
        let e = r.expect_err(sql).to_string();
        assert!(e.contains("append-only"), "{sql}: {e}");
    }
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE outcome = 'failure'")
            .fetch_one(pg.pool())
            .await
            .unwrap();
    assert_eq!(n, 1);
}
