//! The PostgreSQL store: several stateless `phare serve` instances share one database.
//!
//! It mirrors `phare-sqlite` method for method and passes the same conformance suite. Each store
//! method is one unit of work: statements that must hold together run in one transaction,
//! versioned updates lock the row (`SELECT … FOR UPDATE`) before checking its version, and every
//! write goes through one retry helper (`store::retrying`), which replays the whole unit after a serialization
//! failure or a deadlock (SQLSTATE 40001, 40P01). A transaction never waits on anything but the
//! database. Shared state (sessions, rate counters, replays) lives in tables, so the guarantees
//! hold across instances.

// decisions (issue #4)
mod decisions;
mod discovery;
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

use phare_store::{StoreError, StoreResult};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/database`); fails with `Unavailable` when
    /// the server cannot be reached.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options =
            PgConnectOptions::from_str(url).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Self::connect_with(options).await
    }

    /// Connects with options built by the caller (tests pick the database this way).
    pub async fn connect_with(options: PgConnectOptions) -> StoreResult<Self> {
        let options = options.application_name("phare");
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .min_connections(0)
            .idle_timeout(Some(Duration::from_secs(600)))
            .max_lifetime(Some(Duration::from_secs(1800)))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(store::unavailable)?;
        Ok(Self { pool })
    }

    /// Applies pending migrations (forward only), each in its own transaction.
    ///
    /// Safe when several instances start at once: on PostgreSQL sqlx's migrator takes a session
    /// advisory lock (`pg_advisory_lock`) before it reads `_sqlx_migrations`, so a second process
    /// waits, then finds the migrations applied. The migrator runs on a connection taken out of
    /// the pool and closed afterwards: if a migration fails, sqlx returns before releasing that
    /// session lock, and ending the session is what releases it (a pooled connection would keep
    /// it and block every later migrate). CockroachDB has no advisory locks; running there would
    /// need `set_locking(false)` and a single migrating process.
    pub async fn migrate(&self) -> StoreResult<()> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(store::unavailable)?
            .detach();
        let result = MIGRATOR
            .run(&mut conn)
            .await
            .map_err(|e| StoreError::Other(e.to_string()));
        let _ = sqlx::Connection::close(conn).await;
        result
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
