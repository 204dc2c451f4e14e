//! The batch paths behind `import_feedback`, `import_feedback_feed` and `import_evidence` (file
//! imports, the data generator): the rules of one item at a time, in fewer statements per row,
//! through the same helpers. A new feedback item is four statements (insert, tags, index entry,
//! index terms) instead of ten: its product and customer are looked up once per import, nothing
//! is read back, and its terms are written with those of thousands of others. A new link is
//! two (insert, feedback counter), and each idea's counter moves once per batch. Rows that
//! update rather than create take the general path.

use crate::db;
use crate::discovery::{
    check_idea_takes_evidence, check_product, customer_id_for, index_doc, insert_feedback_row,
    insert_feedback_tags, insert_terms, new_doc_entry, upsert_feedback, NewFeedbackCounts,
};
use crate::rows::us;
use phare_domain::*;
use phare_store::*;
use rusqlite::{params, Connection};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Imports feedback items in one transaction, alone, their texts analyzed (Markdown to text,
/// stemming) before the writer is taken so that other writes are not held up by it.
pub(crate) async fn import_feedback_all(
    store: &crate::SqliteStore,
    items: Vec<NewFeedback>,
) -> StoreResult<ImportCounts> {
    let analyzed = db::blocking(move || Ok(analyze_feedback(items))).await?;
    store
        .write_alone(move |c| {
            let mut import = FeedbackImport::default();
            import.write(c, analyzed)?;
            import.finish(c)
        })
        .await
}

/// The writer's page cache during a fed import. Its rows, index entries and terms arrive in
/// key order, so a page filled is not touched again and can go to the write-ahead log early;
/// a larger cache only held more of them (16 MiB: 4 % slower than 64 MiB, and a third of the
/// peak memory of an import of 100,000 rows, docs/PERFORMANCE.md).
const FED_IMPORT_CACHE_KIB: i64 = 16 * 1024;

/// Imports the items of a feed in one transaction, alone, chunk by chunk as the reader hands
/// them over, analyzed: a file's items are never all in memory, and the writer only writes
/// while the reader reads and analyzes. Rolled back unless the feed completes.
pub(crate) async fn import_feedback_feed(
    store: &crate::SqliteStore,
    feed: FeedbackFeed,
) -> StoreResult<ImportCounts> {
    store
        .write_alone(move |c| {
            db::set_cache_kib(c, FED_IMPORT_CACHE_KIB).map_err(db::map_err)?;
            let mut import = FeedbackImport::default();
            while let Some(items) = feed.next_blocking()? {
                import.write(c, items)?;
            }
            import.finish(c)
        })
        .await
}

/// Full-text terms held before they are written together (see [`FeedbackImport::write_terms`]):
/// about the size of FTS5's own buffer of pending terms, so each write makes one segment of the
/// size FTS5 would have made.
const TERMS_AT_ONCE: usize = 2 << 20;

/// One import across its chunks: the products and customers it already looked up, what it
/// did, and the full-text terms of its new items not written yet (entry, terms).
#[derive(Default)]
struct FeedbackImport {
    products: HashSet<(WorkspaceId, ProductId)>,
    customers: HashMap<(WorkspaceId, String), CustomerId>,
    counts: ImportCounts,
    /// New items per inbox count, written once per chunk.
    inbox: NewFeedbackCounts,
    terms: Vec<(i64, String)>,
    term_bytes: usize,
    /// The external pairs (hashed) of the new items whose index entry or terms are not written
    /// yet: a later row of the file updating one of them writes them first, or the item would
    /// end up indexed by its earlier text.
    unindexed: HashSet<u64>,
}

/// Stands for an external pair in [`FeedbackImport::unindexed`]; two pairs of one hash only
/// make the terms be written a little early.
fn pair_hash(n: &NewFeedback) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let (source, id) = n.external.as_ref()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (n.workspace_id, source, id).hash(&mut h);
    Some(h.finish())
}

/// A new item waiting for its index entry: id, workspace, product, terms.
type Fresh = (FeedbackId, WorkspaceId, Option<ProductId>, String);

impl FeedbackImport {
    /// Writes the rows of `items`, then the search entries of the new ones.
    fn write(&mut self, c: &Connection, items: Vec<AnalyzedFeedback>) -> StoreResult<()> {
        // The new items' search entries follow their rows: each table is written in a run.
        let mut fresh = Vec::with_capacity(items.len());
        for (n, text) in items {
            if let Some(p) = n.product_id {
                if self.products.insert((n.workspace_id, p)) {
                    check_product(c, n.workspace_id, p)?;
                }
            }
            let customer = match &n.customer {
                None => None,
                Some(cu) => {
                    let key = (n.workspace_id, cu.name.to_lowercase());
                    match self.customers.get(&key) {
                        Some(id) => Some(*id),
                        None => {
                            let id = customer_id_for(c, n.workspace_id, cu, n.now)?;
                            self.customers.insert(key, id);
                            Some(id)
                        }
                    }
                }
            };
            if !insert_feedback_row(c, &n, customer, &mut self.inbox)? {
                // Imported before from the same source: updated the general way, after the
                // terms held if the item is one of this import's.
                if pair_hash(&n).is_some_and(|h| self.unindexed.contains(&h)) {
                    self.index_fresh(c, &mut fresh)?;
                    self.write_terms(c)?;
                }
                upsert_feedback(c, &n)?;
                self.counts.updated += 1;
                continue;
            }
            if !n.tags.is_empty() {
                insert_feedback_tags(c, n.workspace_id, n.id, &n.tags)?;
            }
            if let Some(h) = pair_hash(&n) {
                self.unindexed.insert(h);
            }
            fresh.push((n.id, n.workspace_id, n.product_id, text));
            self.counts.created += 1;
        }
        self.inbox.write(c)?;
        self.index_fresh(c, &mut fresh)?;
        if self.term_bytes >= TERMS_AT_ONCE {
            self.write_terms(c)?;
        }
        Ok(())
    }

    /// The search entries of the new items, their terms held for [`Self::write_terms`].
    fn index_fresh(&mut self, c: &Connection, fresh: &mut Vec<Fresh>) -> StoreResult<()> {
        for (id, ws, product, text) in fresh.drain(..) {
            match new_doc_entry(c, id.0, ws, product, SearchKind::Feedback)? {
                Some(doc) => {
                    self.term_bytes += text.len();
                    self.terms.push((doc, text));
                }
                // An entry left by an earlier record of the same id: rewritten the general way.
                None => index_doc(c, id.0, ws, product, SearchKind::Feedback, &text)?,
            }
        }
        Ok(())
    }

    /// Writes the terms still held; what the import did.
    fn finish(mut self, c: &Connection) -> StoreResult<ImportCounts> {
        self.write_terms(c)?;
        Ok(self.counts)
    }

    /// The full-text terms held, written together. Why not with each row: every statement that
    /// may need rolling back alone (an insert firing a trigger, an upsert) opens a statement
    /// savepoint, and FTS5 writes its pending terms to disk at each one. Interleaved with the
    /// rows, each item's terms became a segment of their own, merged again and again: a quarter
    /// of an import's CPU (perf, docs/PERFORMANCE.md).
    fn write_terms(&mut self, c: &Connection) -> StoreResult<()> {
        for (doc, text) in self.terms.drain(..) {
            insert_terms(c, doc, &text, None)?;
        }
        self.term_bytes = 0;
        self.unindexed.clear();
        Ok(())
    }
}

pub(crate) fn import_evidence(c: &Connection, items: &[NewEvidence]) -> StoreResult<u64> {
    // Links added per idea and per feedback item, whose counters move once at the end: an item
    // often supports several ideas, and rewriting its row (text and all, and its inbox indexes
    // when its state moves) once per link was most of the time of a batch. The items are then
    // rewritten in id order, which is about the order of their rows in the file.
    let mut ideas: HashMap<(WorkspaceId, IdeaId), i64> = HashMap::new();
    let mut items_linked: BTreeMap<(FeedbackId, WorkspaceId), i64> = BTreeMap::new();
    let mut made = 0;
    for e in items {
        let key = (e.workspace_id, e.idea_id);
        if let std::collections::hash_map::Entry::Vacant(slot) = ideas.entry(key) {
            check_idea_takes_evidence(c, e.workspace_id, e.idea_id)?;
            slot.insert(0);
        }
        // A pair already linked is skipped; a missing feedback item fails the foreign key.
        let inserted = db::exec(
            c,
            "INSERT INTO evidence (id, workspace_id, idea_id, feedback_id, excerpt, importance, \
             created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (idea_id, feedback_id) DO NOTHING",
            params![
                e.id.0,
                e.workspace_id.0,
                e.idea_id.0,
                e.feedback_id.0,
                &e.excerpt,
                e.importance.as_str(),
                e.created_by.map(|m| m.0),
                us(e.now)
            ],
        )?;
        if inserted == 0 {
            continue;
        }
        *ideas.entry(key).or_default() += 1;
        *items_linked
            .entry((e.feedback_id, e.workspace_id))
            .or_default() += 1;
        made += 1;
    }
    for ((item, ws), n) in items_linked {
        // Linking a new item is triaging it (its version moves only when its state does), as
        // one link or several in one go. SQLite evaluates every SET expression on the row as
        // it was. An item of another workspace is not found.
        let touched = db::exec(
            c,
            "UPDATE feedback SET evidence_count = evidence_count + ?, \
             state = CASE state WHEN 'new' THEN 'processed' ELSE state END, \
             version = version + (state = 'new') WHERE id = ? AND workspace_id = ?",
            params![n, item.0, ws.0],
        )?;
        if touched == 0 {
            return Err(StoreError::NotFound);
        }
    }
    for ((_, idea), n) in ideas {
        if n > 0 {
            db::exec(
                c,
                "UPDATE ideas SET evidence_count = evidence_count + ? WHERE id = ?",
                params![n, idea.0],
            )?;
        }
    }
    Ok(made)
}
