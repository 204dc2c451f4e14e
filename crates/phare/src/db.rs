//! Opening the configured database: SQLite in the data directory by default, PostgreSQL when
//! the URL says so. The rest of the program sees only `dyn Store`.

use crate::config::Config;
use anyhow::{bail, Context, Result};
use phare_postgres::PgStore;
use phare_sqlite::SqliteStore;
use phare_store::Store;
use std::fs::File;
use std::sync::Arc;

pub enum Db {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PgStore>),
}

impl Db {
    /// Connects (creating the data directory and SQLite file if missing). Does not migrate.
    pub async fn open(config: &Config) -> Result<Db> {
        if config.is_postgres() {
            let s = PgStore::connect(&config.database_url)
                .await
                .context("cannot connect to PostgreSQL")?;
            Ok(Db::Postgres(Arc::new(s)))
        } else {
            if config.database_url.starts_with("sqlite://") {
                std::fs::create_dir_all(&config.data_dir).with_context(|| {
                    format!(
                        "cannot create the data directory {}",
                        config.data_dir.display()
                    )
                })?;
            }
            let s = SqliteStore::connect(&config.database_url)
                .await
                .context("cannot open the SQLite database")?;
            Ok(Db::Sqlite(Arc::new(s)))
        }
    }

    /// Opens and brings the schema up to date: what every operator command does.
    pub async fn open_migrated(config: &Config) -> Result<Db> {
        let db = Db::open(config).await?;
        db.migrate().await?;
        Ok(db)
    }

    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            Db::Sqlite(s) => s.clone(),
            Db::Postgres(s) => s.clone(),
        }
    }

    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(s) => s.migrate().await?,
            Db::Postgres(s) => s.migrate().await?,
        }
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(s) => s.close().await,
            Db::Postgres(s) => s.close().await,
        }
    }
}

/// The exclusive lock that makes one `phare serve` the only server of a SQLite data directory.
/// Held for the life of the process; the OS releases it even after a crash.
pub fn lock_data_dir(config: &Config) -> Result<Option<File>> {
    if config.is_postgres() {
        return Ok(None);
    }
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            config.data_dir.display()
        )
    })?;
    let path = config.data_dir.join("phare.lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "another Phare server already uses {} (lock file {}); stop it first, or use PostgreSQL to run several instances",
            config.data_dir.display(),
            path.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => Err(e).with_context(|| format!("cannot lock {}", path.display())),
    }
}
