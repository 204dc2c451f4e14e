//! Connections and the few helpers every query goes through.
//!
//! Why not an async driver: SQLite runs in-process, so a statement costs microseconds, and an
//! async driver that parks each connection on its own thread pays two thread switches per
//! statement. Measured on the large data set, those switches were most of the time of a list
//! call and of every import (see docs/PERFORMANCE.md). Here a store method is one closure run on
//! tokio's blocking pool, with all its statements, on one connection: one hand-over per method.
//!
//! Writers queue in the process for the one writer connection, owned by a thread that commits
//! them in groups (`writer.rs`), so they never sleep in SQLite's busy handler and share fsyncs;
//! readers use a small pool of `query_only` connections, which WAL lets run beside the writer.
//! An in-memory database exists per connection, so there the writer connection serves reads too.

use crate::writer::{self, Job};
use phare_store::{StoreError, StoreResult};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, Params, Row, ToSql};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Statements kept prepared per connection (hot queries skip parsing and planning).
const STATEMENT_CACHE: usize = 256;

pub(crate) struct Db {
    /// `None` for an in-memory database.
    path: Option<PathBuf>,
    /// The queue of the writer thread; `None` once closed.
    jobs: Mutex<Option<Sender<Job>>>,
    idle_readers: Mutex<Vec<Connection>>,
    read_slots: Arc<Semaphore>,
}

impl Db {
    pub(crate) fn open(location: &str, readers: usize) -> StoreResult<Self> {
        let path = parse_location(location)?;
        let writer = match &path {
            Some(p) => open_connection(p, false)?,
            None => Connection::open_in_memory().map_err(unavailable)?,
        };
        configure(&writer, false)?;
        // WAL is a property of the file: set once, by the writer.
        if path.is_some() {
            let mode: String = writer
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(unavailable)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Unavailable(format!(
                    "the database refused WAL mode ({mode})"
                )));
            }
        }
        // A file's WAL is checkpointed off the writer's thread (`checkpointer.rs`); the
        // writer's own automatic checkpoint stays as a far fallback.
        let checkpoints = match &path {
            Some(p) => {
                writer
                    .pragma_update(
                        None,
                        "wal_autocheckpoint",
                        crate::checkpointer::WRITER_FALLBACK_PAGES,
                    )
                    .map_err(unavailable)?;
                Some(crate::checkpointer::start(p)?)
            }
            None => None,
        };
        let (jobs, queue) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("phare-sqlite-writer".into())
            .spawn(move || writer::run(writer, queue, checkpoints))
            .map_err(|e| StoreError::Unavailable(format!("cannot start the writer: {e}")))?;
        Ok(Self {
            jobs: Mutex::new(Some(jobs)),
            idle_readers: Mutex::new(Vec::new()),
            read_slots: Arc::new(Semaphore::new(if path.is_some() { readers } else { 1 })),
            path,
        })
    }

    pub(crate) fn is_in_memory(&self) -> bool {
        self.path.is_none()
    }

    fn send(&self, job: Job) -> StoreResult<()> {
        let jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        match jobs.as_ref() {
            Some(jobs) => writer::send(jobs, job),
            None => Err(StoreError::Unavailable("the store is closed".into())),
        }
    }
}

/// `sqlite://path`, `sqlite:path`, a bare path, or `sqlite::memory:`; query parameters are
/// ignored except `mode=memory`.
fn parse_location(location: &str) -> StoreResult<Option<PathBuf>> {
    let rest = location
        .strip_prefix("sqlite://")
        .or_else(|| location.strip_prefix("sqlite:"))
        .unwrap_or(location);
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, q),
        None => (rest, ""),
    };
    if path == ":memory:" || path.is_empty() || query.split('&').any(|kv| kv == "mode=memory") {
        return Ok(None);
    }
    Ok(Some(PathBuf::from(path)))
}

pub(crate) fn open_connection(path: &Path, read_only: bool) -> StoreResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let c = Connection::open_with_flags(path, flags).map_err(unavailable)?;
    configure(&c, read_only)?;
    Ok(c)
}

/// The writer's page cache for the writes of requests (32 MiB)…
pub(crate) const WRITER_CACHE_KIB: i64 = 32 * 1024;
/// …and while it runs a large unit of work alone (an import touches index pages all over the
/// file: links between a million items and a hundred thousand ideas). Set back after it, which
/// frees the pages past the smaller size.
pub(crate) const LARGE_WRITE_CACHE_KIB: i64 = 64 * 1024;

pub(crate) fn set_cache_kib(c: &Connection, kib: i64) -> rusqlite::Result<()> {
    c.execute_batch(&format!("PRAGMA cache_size = -{kib};"))
}

fn configure(c: &Connection, read_only: bool) -> StoreResult<()> {
    c.busy_timeout(Duration::from_secs(5))
        .map_err(unavailable)?;
    c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // FULL: an acknowledged write survives a power cut (RELIABILITY R2).
    // Readers keep 16 MiB of pages each (there are 2 per core); past it the OS's page cache,
    // shared by all, serves them. At 32 MiB each, four readers took the server from 100 to
    // 260 MiB in one benchmark scenario (ideas drawn across a 2.7 GB file).
    c.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; \
         PRAGMA cache_size = -16384;",
    )
    .map_err(unavailable)?;
    if !read_only {
        set_cache_kib(c, WRITER_CACHE_KIB).map_err(unavailable)?;
    }
    if read_only {
        // A write sent to a reader by mistake fails loudly instead of racing the writer.
        c.execute_batch("PRAGMA query_only = ON;")
            .map_err(unavailable)?;
    }
    Ok(())
}

impl crate::SqliteStore {
    /// Runs `f` on a reader connection, off the async threads. Statements see committed data;
    /// for one snapshot across several statements, open a transaction inside `f`.
    pub(crate) async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        if self.db.is_in_memory() {
            return self.on_writer(f).await;
        }
        let slot = self.reader_slot().await?;
        let db = self.db.clone();
        blocking(move || {
            let _slot = slot;
            with_reader(&db, f)
        })
        .await
    }

    /// [`read`](Self::read) on the calling async thread, for a read bounded by a key or by an
    /// index and a page size (well under a millisecond on the large set). Handing a read to the
    /// blocking pool and back costs two thread switches, 20–40 % of a list request
    /// (docs/PERFORMANCE.md, seventh run). A read that may take milliseconds (search, exports,
    /// filters no index serves, a whole table) goes through `read`, so that the async threads
    /// keep answering the other requests meanwhile.
    pub(crate) async fn read_now<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        if self.db.is_in_memory() {
            return self.on_writer(f).await;
        }
        let _slot = self.reader_slot().await?;
        with_reader(&self.db, f)
    }

    /// [`read_now`](Self::read_now) when `now`, [`read`](Self::read) otherwise: for a method
    /// whose reads are bounded for some filters only.
    pub(crate) async fn read_now_if<T, F>(&self, now: bool, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        if now {
            self.read_now(f).await
        } else {
            self.read(f).await
        }
    }

    /// One of the reader connections, waiting while they are all busy.
    async fn reader_slot(&self) -> StoreResult<tokio::sync::OwnedSemaphorePermit> {
        self.db
            .read_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Unavailable("the store is closed".into()))
    }

    /// Runs `f` inside the writer's `BEGIN IMMEDIATE` transaction, in a savepoint of its own:
    /// when `f` returns `Ok` its changes are committed (with the other writes of its group)
    /// before this returns; when it returns `Err` they are rolled back (nothing half-stored).
    pub(crate) async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.write_job(f, false).await
    }

    /// [`write`](Self::write) for large units of work (imports, bulk changes, loading a dump):
    /// committed in a transaction of their own, never grouped with others.
    pub(crate) async fn write_alone<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.write_job(f, true).await
    }

    async fn write_job<T, F>(&self, f: F, alone: bool) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.db.send(writer::write_job(f, alone, reply))?;
        answer
            .await
            .map_err(|_| StoreError::Unavailable("the writer stopped".into()))?
    }

    /// Runs `f` on the writer connection outside any transaction (migrations, `ANALYZE`), alone.
    pub(crate) async fn on_writer<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.db.send(Job::Alone(Box::new(move |c: &Connection| {
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(c)))
                .unwrap_or_else(|_| Err(StoreError::Other("a store task panicked".into())));
            let _ = reply.send(out);
        })))?;
        answer
            .await
            .map_err(|_| StoreError::Unavailable("the writer stopped".into()))?
    }

    /// Runs `f` on a connection of its own, opened for this call (not `query_only`), beside
    /// the writer: `VACUUM INTO` copies a snapshot while writers go on, and SQLite counts it as
    /// a write (of the other file), which a reader connection refuses.
    pub(crate) async fn on_own_connection<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let Some(path) = self.db.path.clone() else {
            return self.on_writer(f).await;
        };
        blocking(move || f(&open_connection(&path, false)?)).await
    }

    /// Stops handing out connections; idle readers are closed.
    pub(crate) fn close_all(&self) {
        self.db.read_slots.close();
        // The writer thread ends once it has run what is queued.
        self.db
            .jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        self.db
            .idle_readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// Runs `f` on an idle reader connection (opening one if none is idle) and puts it back.
fn with_reader<T>(db: &Db, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
    let idle = db
        .idle_readers
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .pop();
    let conn = match idle {
        Some(c) => c,
        None => match &db.path {
            Some(p) => open_connection(p, true)?,
            None => return Err(StoreError::Other("no reader for memory".into())),
        },
    };
    let out = f(&conn);
    db.idle_readers
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(conn);
    out
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> StoreResult<T> + Send + 'static,
) -> StoreResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Other(format!("store task failed: {e}")))?
}

pub(crate) fn unavailable(e: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// Maps driver errors to the contract: unique violations name their field, a missing parent
/// row is `NotFound`, a busy or unreadable file is `Unavailable`, the rest is `Other`.
pub(crate) fn map_err(e: rusqlite::Error) -> StoreError {
    use rusqlite::ffi;
    use rusqlite::ErrorCode;
    match &e {
        rusqlite::Error::SqliteFailure(f, msg) if f.code == ErrorCode::ConstraintViolation => {
            match f.extended_code {
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    // "UNIQUE constraint failed: products.workspace_id, products.key" → "key"
                    let msg = msg.as_deref().unwrap_or("");
                    let field = msg.rsplit('.').next().unwrap_or("").trim();
                    StoreError::Duplicate(match field {
                        "slug" => "slug",
                        "email" => "email",
                        "key" => "key",
                        "name" => "name",
                        "token_hash" => "token",
                        "name_key" => "name",
                        "feedback_id" => "feedback_id",
                        "external_id" => "external_id",
                        _ => "value",
                    })
                }
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => StoreError::NotFound,
                _ => StoreError::Other(e.to_string()),
            }
        }
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                ErrorCode::DatabaseBusy
                    | ErrorCode::DatabaseLocked
                    | ErrorCode::CannotOpen
                    | ErrorCode::DiskFull
                    | ErrorCode::SystemIoFailure
            ) =>
        {
            StoreError::Unavailable(e.to_string())
        }
        rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
        _ => StoreError::Other(e.to_string()),
    }
}

/// Every row of a query, each mapped by `map`.
pub(crate) fn all<T>(
    c: &Connection,
    sql: &str,
    params: impl Params,
    mut map: impl FnMut(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let mut st = c.prepare_cached(sql).map_err(map_err)?;
    let _columns = crate::rows::ResultSet::reading(&st);
    let mut rows = st.query(params).map_err(map_err)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(map_err)? {
        out.push(map(r)?);
    }
    Ok(out)
}

/// The first row of a query, if any.
pub(crate) fn opt<T>(
    c: &Connection,
    sql: &str,
    params: impl Params,
    map: impl FnOnce(&Row) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    let mut st = c.prepare_cached(sql).map_err(map_err)?;
    let mut rows = st.query(params).map_err(map_err)?;
    match rows.next().map_err(map_err)? {
        Some(r) => Ok(Some(map(r)?)),
        None => Ok(None),
    }
}

/// The first row of a query; `NotFound` when there is none.
pub(crate) fn one<T>(
    c: &Connection,
    sql: &str,
    params: impl Params,
    map: impl FnOnce(&Row) -> StoreResult<T>,
) -> StoreResult<T> {
    opt(c, sql, params, map)?.ok_or(StoreError::NotFound)
}

/// Runs a statement; the number of rows it changed.
pub(crate) fn exec(c: &Connection, sql: &str, params: impl Params) -> StoreResult<usize> {
    c.prepare_cached(sql)
        .map_err(map_err)?
        .execute(params)
        .map_err(map_err)
}

/// A statement assembled from pieces (optional filters, lists), its values bound in order.
/// `push` adds text, `push_bind` adds a `?` and its value, `push_list` adds `?, ?, …`.
#[derive(Default)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Value>,
    bad: Option<String>,
}

impl Sql {
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    pub(crate) fn push(&mut self, text: impl AsRef<str>) -> &mut Self {
        self.text.push_str(text.as_ref());
        self
    }

    pub(crate) fn push_bind(&mut self, v: impl ToSql) -> &mut Self {
        self.text.push('?');
        self.bind(v)
    }

    /// Binds a value for a `?` already in the text.
    pub(crate) fn bind(&mut self, v: impl ToSql) -> &mut Self {
        match v.to_sql() {
            Ok(rusqlite::types::ToSqlOutput::Owned(v)) => self.args.push(v),
            Ok(rusqlite::types::ToSqlOutput::Borrowed(v)) => self.args.push(v.into()),
            Ok(_) => self.bad = Some("unsupported value".into()),
            Err(e) => self.bad = Some(e.to_string()),
        }
        self
    }

    /// `?, ?, ?` for each item (the caller writes the parentheses).
    pub(crate) fn push_list<T: ToSql>(&mut self, items: impl IntoIterator<Item = T>) -> &mut Self {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.push_bind(item);
        }
        self
    }

    fn check(&self) -> StoreResult<()> {
        match &self.bad {
            Some(e) => Err(StoreError::Other(format!("bad value bound: {e}"))),
            None => Ok(()),
        }
    }

    pub(crate) fn all<T>(
        &self,
        c: &Connection,
        map: impl FnMut(&Row) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        self.check()?;
        all(
            c,
            &self.text,
            rusqlite::params_from_iter(self.args.iter()),
            map,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::parse_location;
    use std::path::PathBuf;

    #[test]
    fn locations_name_a_file_or_memory() {
        assert_eq!(parse_location("sqlite::memory:").ok(), Some(None));
        assert_eq!(parse_location("sqlite://db?mode=memory").ok(), Some(None));
        assert_eq!(
            parse_location("sqlite:///var/lib/phare/phare.db?mode=rwc").ok(),
            Some(Some(PathBuf::from("/var/lib/phare/phare.db")))
        );
        assert_eq!(
            parse_location("sqlite://data/phare.db").ok(),
            Some(Some(PathBuf::from("data/phare.db")))
        );
    }
}
