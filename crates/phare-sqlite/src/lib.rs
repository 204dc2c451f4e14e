//! The embedded SQLite store: Phare's default database, one file in the data directory.
//!
//! Every connection runs with WAL, foreign keys on, a 5 s busy timeout and `synchronous=FULL`
//! (an acknowledged write survives a power cut). Writes that touch several rows run in
//! `BEGIN IMMEDIATE` transactions so two writers never deadlock on a lock upgrade. One process
//! owns the file: the binary takes an exclusive lock file before opening it.

mod checkpointer;
mod db;
// decisions (issue #4)
mod decisions;
mod discovery;
mod held_terms;
mod import;
mod portal;
mod research;
// specs (issue 4)
mod rows;
mod specs;
// scoring slice (issue #4)
mod scoring;
mod stakeholders;
mod store;
mod writer;

use db::{map_err, Db};
use phare_store::{StoreError, StoreResult};
use std::sync::Arc;
use std::time::Instant;

/// Reader connections: twice the cores the process may use, between 2 and 16. More readers than
/// cores only add thread switches; the writer is one more connection.
fn pool_size() -> usize {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    (cores * 2).clamp(2, 16)
}

/// The migrations, embedded. They are applied by [`SqliteStore::migrate`] and recorded in
/// `_sqlx_migrations` exactly as `sqlx migrate` would, so files made by earlier versions open.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct SqliteStore {
    db: Arc<Db>,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://path` or `sqlite::memory:`).
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let url = url.to_owned();
        let db = tokio::task::spawn_blocking(move || Db::open(&url, pool_size()))
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))??;
        Ok(Self { db: Arc::new(db) })
    }

    /// Applies pending migrations (forward only), each in its own transaction.
    pub async fn migrate(&self) -> StoreResult<()> {
        self.on_writer(|c| {
            c.execute_batch(
                "CREATE TABLE IF NOT EXISTS _sqlx_migrations (\
                   version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
                   installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, \
                   success BOOLEAN NOT NULL, checksum BLOB NOT NULL, \
                   execution_time BIGINT NOT NULL)",
            )
            .map_err(map_err)?;
            let applied = db::all(
                c,
                "SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version",
                [],
                |r| {
                    Ok((
                        rows::get::<i64>(r, "version")?,
                        rows::get::<bool>(r, "success")?,
                        rows::get::<Vec<u8>>(r, "checksum")?,
                    ))
                },
            )?;
            if let Some((v, ..)) = applied.iter().find(|(_, ok, _)| !ok) {
                return Err(StoreError::Other(format!(
                    "migration {v} failed earlier; the database needs a manual repair"
                )));
            }
            for m in MIGRATOR
                .iter()
                .filter(|m| !m.migration_type.is_down_migration())
            {
                if let Some((_, _, sum)) = applied.iter().find(|(v, ..)| *v == m.version) {
                    if sum.as_slice() != &*m.checksum {
                        return Err(StoreError::Other(format!(
                            "migration {} was changed after it was applied",
                            m.version
                        )));
                    }
                    continue;
                }
                let started = Instant::now();
                let tx = rusqlite::Transaction::new_unchecked(
                    c,
                    rusqlite::TransactionBehavior::Immediate,
                )
                .map_err(map_err)?;
                tx.execute_batch(&m.sql).map_err(map_err)?;
                db::exec(
                    &tx,
                    "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
                     execution_time) VALUES (?, ?, 1, ?, ?)",
                    rusqlite::params![
                        m.version,
                        &*m.description,
                        &*m.checksum,
                        i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX)
                    ],
                )?;
                tx.commit().map_err(map_err)?;
            }
            // Indexes whose terms come from the Rust analyzer are filled here, not in SQL.
            let tx =
                rusqlite::Transaction::new_unchecked(c, rusqlite::TransactionBehavior::Immediate)
                    .map_err(map_err)?;
            let filled = discovery::fill_idea_index(&tx)?;
            tx.commit().map_err(map_err)?;
            if filled > 0 {
                tracing::info!(ideas = filled, "similar-ideas index filled");
            }
            Ok(())
        })
        .await
    }

    /// A consistent copy of the live database into a new file, while writers continue.
    pub async fn backup_to(&self, path: &std::path::Path) -> StoreResult<()> {
        let target = path.to_string_lossy().to_string();
        self.on_own_connection(move |c| {
            c.execute("VACUUM INTO ?", [target]).map_err(map_err)?;
            Ok(())
        })
        .await
    }

    /// `PRAGMA integrity_check`: `ok` on a sound file.
    pub async fn integrity_check(&self) -> StoreResult<String> {
        self.read(|c| {
            db::one(c, "PRAGMA integrity_check", [], |r| {
                rows::get(r, "integrity_check")
            })
        })
        .await
    }

    /// Runs ANALYZE so the planner knows the data (after bulk loads).
    pub async fn analyze(&self) -> StoreResult<()> {
        self.on_writer(|c| c.execute_batch("ANALYZE").map_err(map_err))
            .await
    }

    pub async fn close(&self) {
        self.close_all();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::SqliteStore;
    use phare_domain::*;
    use phare_store::testsuite::{new_product, new_workspace};
    use phare_store::*;

    /// Writes that wait together are committed together (group commit), yet each fails alone:
    /// a failing write leaves nothing, its neighbours in the group are all kept, and each is
    /// acknowledged only with its own outcome.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn grouped_writes_succeed_and_fail_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("g.db").display());
        let s = std::sync::Arc::new(SqliteStore::connect(&url).await.unwrap());
        s.write(|c| {
            c.execute_batch("CREATE TABLE t (n INTEGER NOT NULL)")
                .map_err(super::map_err)
        })
        .await
        .unwrap();
        let tasks: Vec<_> = (0..300i64)
            .map(|n| {
                let s = s.clone();
                tokio::spawn(async move {
                    s.write(move |c| {
                        c.execute("INSERT INTO t (n) VALUES (?)", [n])
                            .map_err(super::map_err)?;
                        if n % 3 == 0 {
                            return Err(StoreError::Other("refused".into()));
                        }
                        Ok(n)
                    })
                    .await
                })
            })
            .collect();
        let mut kept = Vec::new();
        for (n, t) in tasks.into_iter().enumerate() {
            match t.await.unwrap() {
                Ok(v) => kept.push(v),
                Err(e) => assert_eq!(n % 3, 0, "{n}: {e}"),
            }
        }
        assert_eq!(kept.len(), 200);
        let mut stored = s
            .read(|c| {
                let mut st = c.prepare("SELECT n FROM t").map_err(super::map_err)?;
                let rows = st
                    .query_map([], |r| r.get::<_, i64>(0))
                    .map_err(super::map_err)?;
                rows.collect::<Result<Vec<_>, _>>().map_err(super::map_err)
            })
            .await
            .unwrap();
        stored.sort_unstable();
        kept.sort_unstable();
        assert_eq!(stored, kept);
    }

    /// A quick read runs on the calling thread and a long one on the blocking pool; both see
    /// what was committed, and share the reader connections.
    #[tokio::test(flavor = "current_thread")]
    async fn quick_reads_stay_on_the_calling_thread() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("q.db").display());
        let s = SqliteStore::connect(&url).await.unwrap();
        s.write(|c| {
            c.execute_batch("CREATE TABLE t (n INTEGER NOT NULL); INSERT INTO t VALUES (7);")
                .map_err(super::map_err)
        })
        .await
        .unwrap();
        let here = std::thread::current().id();
        let read = |c: &rusqlite::Connection| {
            let n: i64 = c
                .query_row("SELECT n FROM t", [], |r| r.get(0))
                .map_err(super::map_err)?;
            Ok((std::thread::current().id(), n))
        };
        assert_eq!(s.read_now(read).await.unwrap(), (here, 7));
        let (there, n) = s.read(read).await.unwrap();
        assert_eq!(n, 7);
        assert_ne!(there, here);
    }

    /// The writer leaves checkpoints to the checkpointer (only a far fallback of its own), and
    /// the checkpointer copies a commit into the database file soon after, without waiting for
    /// SQLite's 1,000-page threshold.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn commits_reach_the_database_file_through_the_checkpointer() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.db");
        let s = SqliteStore::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        let threshold: i64 = s
            .write(|c| {
                c.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
                    .map_err(super::map_err)
            })
            .await
            .unwrap();
        assert_eq!(
            threshold,
            i64::from(super::checkpointer::WRITER_FALLBACK_PAGES)
        );
        let before = std::fs::metadata(&file).unwrap().len();
        // About 256 pages: far below the threshold of either side.
        s.write(|c| {
            c.execute_batch("CREATE TABLE t (b BLOB NOT NULL)")
                .map_err(super::map_err)?;
            c.execute("INSERT INTO t (b) VALUES (zeroblob(1048576))", [])
                .map_err(super::map_err)
        })
        .await
        .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let now = std::fs::metadata(&file).unwrap().len();
            if now >= before + 1_048_576 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the database file is still {now} bytes (was {before}): nothing checkpointed"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The writer's page cache is the larger size only while a large unit of work runs alone
    /// (an import), and the smaller one for the writes of requests, before and after.
    #[tokio::test]
    async fn the_writer_cache_grows_only_for_work_done_alone() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStore::connect(&format!("sqlite://{}", dir.path().join("w.db").display()))
            .await
            .unwrap();
        let cache = |c: &rusqlite::Connection| {
            c.query_row("PRAGMA cache_size", [], |r| r.get::<_, i64>(0))
                .map_err(super::map_err)
        };
        let small = -super::db::WRITER_CACHE_KIB;
        assert_eq!(s.write(cache).await.unwrap(), small);
        assert_eq!(
            s.write_alone(cache).await.unwrap(),
            -super::db::LARGE_WRITE_CACHE_KIB
        );
        assert_eq!(s.write(cache).await.unwrap(), small);
    }

    /// Ideas stored before migration 0005 had no entry in `idea_fts`: migrating fills it, once.
    #[tokio::test]
    async fn migrating_fills_the_similar_ideas_index_of_existing_ideas() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("p.db").display());
        let s = SqliteStore::connect(&url).await.unwrap();
        s.migrate().await.unwrap();
        let ws = s.create_workspace(new_workspace("fill")).await.unwrap();
        let product = s.create_product(new_product(ws.id, "CHK")).await.unwrap();
        let now = chrono::Utc::now();
        let idea = s
            .create_idea(NewIdea {
                id: IdeaId::new(),
                workspace_id: ws.id,
                product_id: product.id,
                text: IdeaText {
                    title: "Export the roadmap".into(),
                    as_a: "product manager".into(),
                    i_want: "to export the roadmap".into(),
                    so_that: "I share it".into(),
                    description: String::new(),
                    ..Default::default()
                },
                status: IdeaStatus::Draft,
                owner_id: None,
                tags: Vec::new(),
                created_by: None,
                evidence: None,
                external: None,
                now,
            })
            .await
            .unwrap();
        let terms: Vec<String> = text::query_terms("roadmap export")
            .into_iter()
            .flatten()
            .collect();
        let similar = || async {
            s.similar_idea_candidates(ws.id, product.id, &terms, None, 5)
                .await
                .unwrap()
                .into_iter()
                .map(|i| i.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(similar().await, vec![idea.id]);
        // As a database from before the index: empty it.
        s.write(|c| {
            c.execute("INSERT INTO idea_fts (idea_fts) VALUES ('delete-all')", [])
                .map_err(super::map_err)?;
            Ok(())
        })
        .await
        .unwrap();
        assert!(similar().await.is_empty());
        s.migrate().await.unwrap();
        assert_eq!(similar().await, vec![idea.id]);
        // A second run finds it filled and leaves it alone.
        s.migrate().await.unwrap();
        assert_eq!(similar().await, vec![idea.id]);
    }
}
