//! The checkpointer: copies the WAL back into the database file on a thread of its own.
//!
//! By default SQLite checkpoints inside the `COMMIT` that takes the WAL past 1,000 pages: the
//! writer thread then copies those pages and fsyncs the database file while every queued write
//! waits (a re-score of 100,000 ideas spent 0.2 s of its second there; under a stream of votes the
//! stall lands on whichever request is unlucky). Here the writer only says "committed", and this
//! thread, a moment later, runs a `PASSIVE` checkpoint on its own connection: it never blocks the
//! writer or the readers, and one checkpoint covers every commit of that moment. Durability is
//! unchanged: a write is on disk in the WAL when its commit returns (`synchronous = FULL`).

use crate::db;
use phare_store::StoreResult;
use rusqlite::Connection;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError};
use std::time::Duration;

/// How long after a commit the checkpoint runs, so that one pass serves the commits of a burst.
const PAUSE: Duration = Duration::from_millis(50);

/// Pages of WAL past which the writer checkpoints by itself all the same, should this thread
/// fall behind (40 MB; SQLite's default is 1,000 pages).
pub(crate) const WRITER_FALLBACK_PAGES: u32 = 10_000;

/// Starts the thread; the writer sends `()` after each commit (dropping the sender stops it).
pub(crate) fn start(path: &Path) -> StoreResult<SyncSender<()>> {
    let conn = db::open_connection(path, false)?;
    let (wake, commits) = std::sync::mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("phare-sqlite-checkpoint".into())
        .spawn(move || run(&conn, &commits))
        .map_err(|e| {
            phare_store::StoreError::Unavailable(format!("cannot start the checkpointer: {e}"))
        })?;
    Ok(wake)
}

/// Tells the checkpointer that a commit happened; never waits (one pending signal is enough).
pub(crate) fn committed(wake: &SyncSender<()>) {
    let _ = wake.try_send(());
}

fn run(conn: &Connection, commits: &Receiver<()>) {
    while commits.recv().is_ok() {
        std::thread::sleep(PAUSE);
        match commits.try_recv() {
            Ok(()) | Err(TryRecvError::Empty) => {}
            // The writer is gone: the last connection to close checkpoints what is left.
            Err(TryRecvError::Disconnected) => return,
        }
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "WAL checkpoint failed; the writer's fallback will run it");
        }
    }
}
