//! Backup, restore, export and import: moving a whole Phare between files and backends.
//!
//! - `backup` on SQLite is `VACUUM INTO`: a consistent copy taken while the server runs.
//!   On PostgreSQL it is the logical dump (JSON).
//! - `restore` takes either a SQLite backup file or a JSON dump and loads it into an empty
//!   database of either kind, so a team moves from SQLite to PostgreSQL with one command.
//! - `export --format json` / `import --format json` are the logical dump itself.

use crate::config::{Config, DbArgs};
use crate::db::Db;
use anyhow::{bail, Context, Result};
use phare_sqlite::SqliteStore;
use phare_store::{Dump, StoreError};
use std::io::Write;
use std::path::Path;

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

pub async fn backup(db_args: &DbArgs, to: &Path) -> Result<()> {
    if to.exists() {
        bail!("{} already exists: choose a new file name", to.display());
    }
    let config = Config::for_db(db_args)?;
    let db = Db::open_migrated(&config).await?;
    let counts = match &db {
        Db::Sqlite(s) => {
            s.backup_to(to).await.context("online backup failed")?;
            String::new()
        }
        Db::Postgres(_) => {
            let dump = db.store().dump().await?;
            write_dump(&dump, Some(to))?;
            format!(
                " ({} workspaces, {} members, {} products, {} audit events)",
                dump.workspaces.len(),
                dump.members.len(),
                dump.products.len(),
                dump.audit.len()
            )
        }
    };
    record(&db, "data.backup", &to.display().to_string()).await?;
    db.close().await;
    eprintln!("backup written to {}{counts}", to.display());
    Ok(())
}

/// Reads a backup: a SQLite file (opened on a private copy, migrated) or a JSON dump.
async fn read_backup(from: &Path) -> Result<Dump> {
    let mut head = [0u8; 16];
    let is_sqlite = std::fs::File::open(from)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .map(|_| head == SQLITE_MAGIC)
        .unwrap_or(false);
    if is_sqlite {
        // Work on a copy: opening in WAL mode and migrating would write next to the original.
        let tmp = tempfile_dir()?;
        let copy = tmp.join("restore-source.db");
        std::fs::copy(from, &copy).with_context(|| format!("cannot read {}", from.display()))?;
        let source = SqliteStore::connect(&format!("sqlite://{}", copy.display())).await?;
        source.migrate().await?;
        let dump = phare_store::Store::dump(&source).await?;
        source.close().await;
        let _ = std::fs::remove_dir_all(&tmp);
        Ok(dump)
    } else {
        let text = std::fs::read_to_string(from)
            .with_context(|| format!("cannot read {}", from.display()))?;
        let dump: Dump = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is neither a SQLite backup nor a Phare JSON dump",
                from.display()
            )
        })?;
        if !dump.is_recognised() {
            bail!(
                "{}: unknown dump format {:?} version {}",
                from.display(),
                dump.format,
                dump.version
            );
        }
        Ok(dump)
    }
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("phare-restore-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

pub async fn restore(db_args: &DbArgs, from: &Path) -> Result<()> {
    let dump = read_backup(from).await?;
    load(db_args, &dump).await?;
    eprintln!("restored {} into the target database", from.display());
    print_checksums(&dump);
    Ok(())
}

pub async fn load(db_args: &DbArgs, dump: &Dump) -> Result<()> {
    let config = Config::for_db(db_args)?;
    let db = Db::open_migrated(&config).await?;
    match db.store().load(dump).await {
        Ok(()) => {}
        Err(StoreError::NotEmpty) => bail!("the target database already holds data: restore and import only write into an empty one"),
        Err(e) => return Err(e).context("loading failed; nothing was written"),
    }
    db.close().await;
    Ok(())
}

pub async fn export(db_args: &DbArgs, format: &str, out: Option<&Path>) -> Result<()> {
    let config = Config::for_db(db_args)?;
    let db = Db::open_migrated(&config).await?;
    let dump = db.store().dump().await?;
    if format == "json" {
        // Checksums reveal nothing; a full export is a security event.
        let destination = out
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "stdout".into());
        record(&db, "data.export", &destination).await?;
    }
    db.close().await;
    match format {
        "json" => write_dump(&dump, out),
        "checksums" => {
            print_checksums(&dump);
            Ok(())
        }
        other => bail!("unknown export format {other}: use json or checksums"),
    }
}

/// Appends the audit event of a copy leaving the database (after the copy, so a backup does not
/// contain the record of itself).
async fn record(db: &Db, action: &str, destination: &str) -> Result<()> {
    let phare = phare_core::Phare::new(db.store(), Default::default());
    phare
        .operator_record_export(&phare_core::RequestMeta::cli(), action, destination)
        .await
        .map_err(|e| anyhow::anyhow!("cannot record the {action} in the audit trail: {}", e.code))
}

fn write_dump(dump: &Dump, out: Option<&Path>) -> Result<()> {
    let text = serde_json::to_string_pretty(dump)?;
    match out {
        Some(p) => std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.write_all(b"\n")?;
            Ok(())
        }
    }
}

/// One line per table: `table rows:sha256`, on standard output, for comparing two databases.
pub fn print_checksums(dump: &Dump) {
    for (table, sum) in dump.checksums() {
        println!("{table} {sum}");
    }
}
