//! Full-text terms held while a group of writes runs, written once its last write is done.
//!
//! FTS5 writes the terms it keeps in memory to disk, as a new segment, whenever a savepoint
//! opens, and the writer opens one for each write of a group (`writer.rs`). Thirty creates
//! committed together so made thirty one-item segments, which FTS5 then merged again and again:
//! a quarter of the server's time under concurrent creates (perf, docs/PERFORMANCE.md). So
//! while a group of several writes runs, the terms of the records it indexes are held here, on
//! the writer thread, and written together before the commit: one segment per group.
//!
//! Only records indexed for the first time in the group are held (they are not in the index
//! yet), and later changes to them in the same group (new terms, removal) are held after them;
//! a record indexed before is rewritten in place, as without a group. A write that fails drops
//! what it held with its savepoint.

use crate::discovery::insert_terms;
use phare_store::StoreResult;
use rusqlite::Connection;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};

/// One held change of a record's terms (its FTS rowid `doc`): its terms and, for an idea, its
/// product scope; no terms when the record left the index.
struct Held {
    doc: i64,
    terms: Option<(String, Option<String>)>,
}

#[derive(Default)]
struct Group {
    changes: Vec<Held>,
    docs: HashSet<i64>,
}

thread_local! {
    /// `Some` while the writer thread runs a group of several writes.
    static GROUP: RefCell<Option<Group>> = const { RefCell::new(None) };
}

/// A group of several writes begins: terms are held from now on.
pub(crate) fn open() {
    GROUP.with(|g| *g.borrow_mut() = Some(Group::default()));
}

/// How many changes are held: a write notes it when it begins…
pub(crate) fn mark() -> usize {
    GROUP.with(|g| g.borrow().as_ref().map_or(0, |g| g.changes.len()))
}

/// …and drops its own when it fails.
pub(crate) fn drop_since(mark: usize) {
    GROUP.with(|g| {
        if let Some(g) = g.borrow_mut().as_mut() {
            if g.changes.len() > mark {
                g.changes.truncate(mark);
                g.docs = g.changes.iter().map(|h| h.doc).collect();
            }
        }
    });
}

/// Holds the new terms of `doc` (`None`: it left the index) when a group is open and `doc` is
/// new to the index (`new`) or already held. Returns whether it was held; if not, the caller
/// writes the index itself.
pub(crate) fn hold(doc: i64, new: bool, terms: Option<(&str, Option<&str>)>) -> bool {
    GROUP.with(|g| {
        let mut g = g.borrow_mut();
        let Some(g) = g.as_mut() else {
            return false;
        };
        if !new && !g.docs.contains(&doc) {
            return false;
        }
        g.docs.insert(doc);
        g.changes.push(Held {
            doc,
            terms: terms.map(|(t, scope)| (t.to_owned(), scope.map(str::to_owned))),
        });
        true
    })
}

/// The group's writes are done: writes the last held terms of each record and stops holding.
pub(crate) fn close(c: &Connection) -> StoreResult<()> {
    let Some(group) = GROUP.with(|g| g.borrow_mut().take()) else {
        return Ok(());
    };
    let mut last = BTreeMap::new();
    for held in group.changes {
        last.insert(held.doc, held.terms);
    }
    for (doc, terms) in last {
        if let Some((terms, scope)) = terms {
            insert_terms(c, doc, &terms, scope.as_deref())?;
        }
    }
    Ok(())
}

/// The group ended without its terms (it rolled back): stops holding.
pub(crate) fn discard() {
    GROUP.with(|g| *g.borrow_mut() = None);
}
