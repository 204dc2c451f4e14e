//! The shared conformance suite on SQLite, each test on its own fresh database file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use phare_sqlite::SqliteStore;
use phare_store::Store;
use std::sync::Arc;

async fn fresh() -> Arc<dyn Store> {
    // A file (not :memory:) so WAL, the pool and IMMEDIATE transactions behave as in production.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.keep().join("phare.db");
    let store = SqliteStore::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    Arc::new(store)
}

phare_store::conformance_tests!(fresh);

#[tokio::test]
async fn a_loaded_dump_keeps_the_inbox_counts() {
    phare_store::testsuite::a_loaded_dump_keeps_the_inbox_counts(&*fresh().await, &*fresh().await)
        .await;
}
