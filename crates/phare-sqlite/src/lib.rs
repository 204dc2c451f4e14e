//! The embedded SQLite store: Phare's default database, one file in the data directory.
//!
//! Every connection runs with WAL, foreign keys on, a 5 s busy timeout and `synchronous=FULL`
//! (an acknowledged write survives a power cut). Writes that touch several rows run in
//! `BEGIN IMMEDIATE` transactions so two writers never deadlock on a lock upgrade. One process
//! owns the file: the binary takes an exclusive lock file before opening it.

mod discovery;
mod portal;
mod research;
mod rows;
mod store;

use phare_store::{StoreError, StoreResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

/// Connections in the pool: twice the cores the process may use, between 2 and 16. Each SQLite
/// connection is a thread in the driver; more of them than the cores can run only adds thread
/// switches (measured: p99 of a list call at 16 clients went from about 5 ms with 8 connections
/// to about 3.5 ms with 2 to 4, on one core). Writers serialize in SQLite anyway.
fn pool_size() -> u32 {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    u32::try_from(cores * 2).unwrap_or(16).clamp(2, 16)
}

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://path` or `sqlite::memory:`).
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-32000");
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let pool = SqlitePoolOptions::new()
            // An in-memory database exists per connection: keep exactly one.
            .max_connections(if in_memory { 1 } else { pool_size() })
            .min_connections(if in_memory { 1 } else { 0 })
            .idle_timeout(if in_memory {
                None
            } else {
                Some(Duration::from_secs(600))
            })
            .max_lifetime(if in_memory {
                None
            } else {
                Some(Duration::from_secs(3600))
            })
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(store::unavailable)?;
        Ok(Self { pool })
    }

    /// Applies pending migrations (forward only).
    pub async fn migrate(&self) -> StoreResult<()> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Other(e.to_string()))
    }

    /// A consistent copy of the live database into a new file, while writers continue.
    pub async fn backup_to(&self, path: &std::path::Path) -> StoreResult<()> {
        let target = path.to_string_lossy().to_string();
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await
            .map_err(store::other)?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: `ok` on a sound file.
    pub async fn integrity_check(&self) -> StoreResult<String> {
        let row: (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(&self.pool)
            .await
            .map_err(store::other)?;
        Ok(row.0)
    }

    /// Runs ANALYZE so the planner knows the data (after bulk loads).
    pub async fn analyze(&self) -> StoreResult<()> {
        sqlx::query("ANALYZE")
            .execute(&self.pool)
            .await
            .map_err(store::other)?;
        Ok(())
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
