//! The writer: one thread that owns the one writer connection and commits in groups.
//!
//! With `synchronous = FULL` every commit waits for the disk (an fsync of the WAL), so a commit
//! per request caps writes at the disk's fsync rate, however small they are. The writer takes
//! every write waiting in its queue (up to [`GROUP`]), runs each inside a savepoint of one
//! transaction, commits once, and only then answers them all: each write still succeeds or fails
//! alone (a failing one is rolled back to its savepoint), and none is acknowledged before it is
//! on disk (RELIABILITY R2). Under load, one fsync serves many requests; alone, a write commits
//! at once, as before.

use crate::db::{map_err, set_cache_kib, LARGE_WRITE_CACHE_KIB, WRITER_CACHE_KIB};
use crate::held_terms;
use phare_store::{StoreError, StoreResult};
use rusqlite::Connection;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{Receiver, Sender, SyncSender};
use tokio::sync::oneshot;

/// Writes committed together at most (bounds how long the first one waits for the others).
const GROUP: usize = 64;

/// What the writer thread is asked to do.
pub(crate) enum Job {
    /// A unit of work, run inside the group's transaction; it answers once the group is
    /// committed (or failed).
    Write {
        unit: Unit,
        /// Large writes (imports, bulk changes, loading a dump) always commit on their own.
        alone: bool,
    },
    /// Work outside any transaction (migrations, `ANALYZE`, reads of an in-memory database),
    /// run alone between groups.
    Alone(Box<dyn FnOnce(&Connection) + Send>),
}

/// A write: given the connection inside the group's transaction (and whether other writes share
/// it), runs and returns how to answer; given an error (the group could not begin), answers with
/// it without running.
pub(crate) type Unit = Box<dyn FnOnce(Result<(&Connection, Shared), StoreError>) -> Answer + Send>;

/// Whether a write shares its transaction with others. Only then does it need a savepoint of its
/// own to fail alone; SQLite's savepoints cost time in proportion to the work done under them
/// (measured: 84 % of an import's time), so a write alone in its transaction goes without.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shared {
    Alone,
    WithOthers,
}

/// Delivers a write's result once the fate of its group is known.
pub(crate) type Answer = Box<dyn FnOnce(StoreResult<()>) + Send>;

/// A write for the queue: `f` runs in the group's transaction (inside a savepoint when it shares
/// it); its result reaches `reply` after the commit (or the commit's error, if that failed).
pub(crate) fn write_job<T, F>(f: F, alone: bool, reply: oneshot::Sender<StoreResult<T>>) -> Job
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
{
    let unit = move |c: Result<(&Connection, Shared), StoreError>| -> Answer {
        // The write's own result, and whether its savepoint merged into the group.
        let outcome = (|| -> StoreResult<(T, StoreResult<()>)> {
            let (c, shared) = c?;
            let own_savepoint = shared == Shared::WithOthers;
            if own_savepoint {
                c.execute_batch("SAVEPOINT unit").map_err(map_err)?;
            }
            let held = held_terms::mark();
            let out = catch_unwind(AssertUnwindSafe(|| f(c)))
                .unwrap_or_else(|_| Err(StoreError::Other("a store write panicked".into())));
            match out {
                // RELEASE only merges the savepoint into the group's transaction.
                Ok(v) if own_savepoint => Ok((v, c.execute_batch("RELEASE unit").map_err(map_err))),
                Ok(v) => Ok((v, Ok(()))),
                Err(e) => {
                    held_terms::drop_since(held);
                    // Undo this write only. Alone, that is the whole transaction; when SQLite
                    // already ended it (a full disk, an I/O error) there is nothing left to undo.
                    if !c.is_autocommit() {
                        let _ = c.execute_batch(if own_savepoint {
                            "ROLLBACK TO unit; RELEASE unit"
                        } else {
                            "ROLLBACK"
                        });
                    }
                    Err(e)
                }
            }
        })();
        Box::new(move |group: StoreResult<()>| {
            let _ = reply.send(outcome.and_then(|(v, released)| released.and(group).map(|()| v)));
        })
    };
    Job::Write {
        unit: Box::new(unit),
        alone,
    }
}

/// The writer thread's loop: runs until every sender is gone. After each commit it wakes the
/// checkpointer, if the database has one (a file does).
pub(crate) fn run(conn: Connection, jobs: Receiver<Job>, checkpoints: Option<SyncSender<()>>) {
    let committed = || {
        if let Some(wake) = &checkpoints {
            crate::checkpointer::committed(wake);
        }
    };
    let mut pending: Option<Job> = None;
    loop {
        let first = match pending.take() {
            Some(job) => job,
            None => match jobs.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
        };
        let mut group = match first {
            Job::Alone(f) => {
                f(&conn);
                committed();
                continue;
            }
            Job::Write { unit, alone: true } => {
                // A failed resize only costs speed; the write itself must still run.
                let _ = set_cache_kib(&conn, LARGE_WRITE_CACHE_KIB);
                commit_group(&conn, vec![unit]);
                let _ = set_cache_kib(&conn, WRITER_CACHE_KIB);
                committed();
                continue;
            }
            Job::Write { unit, alone: false } => vec![unit],
        };
        while group.len() < GROUP {
            match jobs.try_recv() {
                Ok(Job::Write { unit, alone: false }) => group.push(unit),
                Ok(other) => {
                    pending = Some(other);
                    break;
                }
                Err(_) => break,
            }
        }
        commit_group(&conn, group);
        committed();
    }
}

fn commit_group(conn: &Connection, group: Vec<Unit>) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        // Each unit still answers, with the reason nothing was written.
        let e = map_err(e);
        for unit in group {
            unit(Err(e.clone()))(Err(e.clone()));
        }
        return;
    }
    let shared = if group.len() == 1 {
        Shared::Alone
    } else {
        held_terms::open();
        Shared::WithOthers
    };
    let answers: Vec<Answer> = group
        .into_iter()
        .map(|unit| {
            if conn.is_autocommit() {
                // SQLite ended the transaction under an earlier write (a full disk, an I/O
                // error): the next ones must not run outside it.
                unit(Err(StoreError::Unavailable(
                    "the database rolled the transaction back".into(),
                )))
            } else {
                unit(Ok((conn, shared)))
            }
        })
        .collect();
    let outcome = if conn.is_autocommit() {
        // Rolled back: by the one write that failed (its own answer says why), or by SQLite
        // itself (a full disk, an I/O error). Nothing was kept.
        held_terms::discard();
        Err(StoreError::Unavailable(
            "the database rolled the transaction back".into(),
        ))
    } else if let Err(e) = held_terms::close(conn) {
        // The writes' full-text terms could not be written: none of them is kept.
        let _ = conn.execute_batch("ROLLBACK");
        Err(e)
    } else {
        match conn.execute_batch("COMMIT") {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(map_err(e))
            }
        }
    };
    for answer in answers {
        answer(outcome.clone());
    }
}

/// Sends a job; an error when the writer has stopped.
pub(crate) fn send(jobs: &Sender<Job>, job: Job) -> StoreResult<()> {
    jobs.send(job)
        .map_err(|_| StoreError::Unavailable("the store is closed".into()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::discovery::{index_doc, unindex_doc};
    use phare_domain::{ProductId, SearchKind, WorkspaceId};
    use uuid::Uuid;

    type Write = Box<dyn FnOnce(&Connection) -> StoreResult<()> + Send>;

    /// Runs `writes` as one group, as the writer thread does, and returns each one's answer.
    fn group(conn: &Connection, writes: Vec<Write>) -> Vec<StoreResult<()>> {
        let mut replies = Vec::new();
        let units = writes
            .into_iter()
            .map(|f| {
                let (tx, rx) = oneshot::channel();
                replies.push(rx);
                match write_job(f, false, tx) {
                    Job::Write { unit, .. } => unit,
                    Job::Alone(_) => unreachable!("write_job makes writes"),
                }
            })
            .collect();
        commit_group(conn, units);
        replies
            .into_iter()
            .map(|mut r| r.try_recv().expect("answered"))
            .collect()
    }

    /// The FTS rowids of `table` that match `word`.
    fn matches(conn: &Connection, table: &str, word: &str) -> Vec<i64> {
        let sql = format!("SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid");
        let mut st = conn.prepare(&sql).unwrap();
        let rows = st.query_map([word], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    }

    fn doc_of(conn: &Connection, entity: Uuid) -> i64 {
        conn.query_row(
            "SELECT doc FROM search_docs WHERE entity_id = ?",
            [entity],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// A group of several writes writes the full-text terms of the records new to the index once,
    /// before its commit (held_terms.rs): a later change in the group wins, a record indexed then
    /// removed leaves nothing, a failed write's terms are dropped with it, and a record indexed
    /// before the group is rewritten in place.
    #[tokio::test]
    async fn a_group_writes_the_terms_its_writes_leave() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db");
        let store = crate::SqliteStore::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        store.close().await;
        let conn = crate::db::open_connection(&path, false).unwrap();
        let ws = WorkspaceId(Uuid::now_v7());
        let p = ProductId(Uuid::now_v7());
        let [before, kept, gone, failed] = [(); 4].map(|()| Uuid::now_v7());
        // Outside a group, terms go straight to the index.
        index_doc(&conn, before, ws, Some(p), SearchKind::Idea, "ancien").unwrap();
        assert_eq!(
            matches(&conn, "idea_fts", "ancien"),
            [doc_of(&conn, before)]
        );

        let answers = group(
            &conn,
            vec![
                Box::new(move |c| index_doc(c, kept, ws, Some(p), SearchKind::Idea, "premier")),
                Box::new(move |c| {
                    index_doc(c, gone, ws, None, SearchKind::Feedback, "parti")?;
                    unindex_doc(c, gone)
                }),
                Box::new(move |c| {
                    // Held, not yet in the index.
                    if !matches(c, "search_fts", "premier").is_empty() {
                        return Err(StoreError::Other("terms written before the end".into()));
                    }
                    index_doc(c, kept, ws, Some(p), SearchKind::Idea, "second")
                }),
                Box::new(move |c| index_doc(c, before, ws, Some(p), SearchKind::Idea, "nouveau")),
                Box::new(move |c| {
                    index_doc(c, failed, ws, None, SearchKind::Feedback, "echec")?;
                    Err(StoreError::NotFound)
                }),
            ],
        );
        assert!(answers[..4].iter().all(Result::is_ok), "{answers:?}");
        assert!(matches!(answers[4], Err(StoreError::NotFound)));

        let kept_doc = doc_of(&conn, kept);
        for table in ["search_fts", "idea_fts"] {
            assert_eq!(matches(&conn, table, "second"), [kept_doc], "{table}");
            assert!(matches(&conn, table, "premier").is_empty(), "{table}");
            assert_eq!(matches(&conn, table, "nouveau"), [doc_of(&conn, before)]);
            assert!(matches(&conn, table, "ancien").is_empty(), "{table}");
        }
        assert!(matches(&conn, "search_fts", "parti").is_empty());
        assert!(matches(&conn, "search_fts", "echec").is_empty());
        let entries: i64 = conn
            .query_row("SELECT count(*) FROM search_docs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(entries, 2, "before and kept");
        conn.execute_batch("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
            .unwrap();
    }
}
