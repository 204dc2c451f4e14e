//! The batch paths behind `import_feedback` and `import_evidence` (file imports, the data
//! generator): the rules of one item at a time, in fewer statements per row, through the same
//! helpers. A new feedback item is four statements (insert, tags, index entry, index terms)
//! instead of ten: its product and customer are looked up once per batch, nothing is read
//! back, its terms were analyzed before the writer was taken, and they are written after every
//! row of the batch. A new link is two (insert, feedback counter), and each idea's counter
//! moves once per batch. Rows that update rather than create take the general path.

use crate::db;
use crate::discovery::{
    check_idea_takes_evidence, check_product, customer_id_for, index_doc, insert_feedback_row,
    new_doc_entry, set_feedback_tags, upsert_feedback,
};
use crate::rows::us;
use phare_domain::*;
use phare_store::*;
use rusqlite::{params, Connection};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A feedback item to import and the index terms of its text, customer and tags.
pub(crate) type Analyzed = (NewFeedback, String);

/// Imports feedback items in one transaction, alone: their texts analyzed first (Markdown to
/// text, stemming: about 40 % of the CPU) off the writer, then the rows, then the full-text
/// terms of the new ones all together (see [`write_terms`]). Analyzing chunks on another
/// thread while the writer inserted the previous ones was tried: on this machine's two vCPUs
/// the writer slowed by as much as the overlap gained (docs/PERFORMANCE.md).
pub(crate) async fn import_feedback_all(
    store: &crate::SqliteStore,
    items: Vec<NewFeedback>,
) -> StoreResult<ImportCounts> {
    let analyzed = db::blocking(move || Ok(analyze(items))).await?;
    store
        .write_alone(move |c| {
            let mut terms = Vec::with_capacity(analyzed.len());
            let counts = import_feedback(c, analyzed, &mut terms)?;
            write_terms(c, terms)?;
            Ok(counts)
        })
        .await
}

/// Analyzes every item's text (Markdown to text, stemming): the CPU-heavy part of an import,
/// done before the writer is taken so that other writes are not held up by it.
pub(crate) fn analyze(items: Vec<NewFeedback>) -> Vec<Analyzed> {
    items
        .into_iter()
        .map(|n| {
            let terms = feedback_search_text(
                &n.text,
                n.customer.as_ref().map(|c| c.name.as_str()),
                &n.tags,
            );
            (n, terms)
        })
        .collect()
}

/// Writes the rows of `items` and the search entries of the new ones, whose full-text terms it
/// adds to `terms` (entry, terms) for [`write_terms`].
fn import_feedback(
    c: &Connection,
    items: Vec<Analyzed>,
    terms: &mut Vec<(i64, String)>,
) -> StoreResult<ImportCounts> {
    let mut products: HashSet<(WorkspaceId, ProductId)> = HashSet::new();
    let mut customers: HashMap<(WorkspaceId, String), CustomerId> = HashMap::new();
    let mut counts = ImportCounts::default();
    // What the search entries of the new items need; their other fields are dropped on the way.
    let mut fresh: Vec<(Uuid, WorkspaceId, Option<ProductId>, String)> = Vec::new();
    for (n, text) in items {
        if let Some((source, id)) = &n.external {
            let known = db::opt(
                c,
                "SELECT 1 AS one FROM feedback \
                 WHERE workspace_id = ? AND external_source = ? AND external_id = ?",
                params![n.workspace_id.0, source, id],
                |_| Ok(()),
            )?;
            if known.is_some() {
                upsert_feedback(c, &n)?;
                counts.updated += 1;
                continue;
            }
        }
        if let Some(p) = n.product_id {
            if products.insert((n.workspace_id, p)) {
                check_product(c, n.workspace_id, p)?;
            }
        }
        let customer = match &n.customer {
            None => None,
            Some(cu) => {
                let key = (n.workspace_id, cu.name.to_lowercase());
                match customers.get(&key) {
                    Some(id) => Some(*id),
                    None => {
                        let id = customer_id_for(c, n.workspace_id, cu, n.now)?;
                        customers.insert(key, id);
                        Some(id)
                    }
                }
            }
        };
        insert_feedback_row(c, &n, customer)?;
        if !n.tags.is_empty() {
            set_feedback_tags(c, n.workspace_id, n.id, &n.tags)?;
        }
        fresh.push((n.id.0, n.workspace_id, n.product_id, text));
        counts.created += 1;
    }
    index_new_feedback(c, fresh, terms)?;
    Ok(counts)
}

/// The search entries of new feedback items; their full-text terms go to `terms`.
fn index_new_feedback(
    c: &Connection,
    items: Vec<(Uuid, WorkspaceId, Option<ProductId>, String)>,
    terms: &mut Vec<(i64, String)>,
) -> StoreResult<()> {
    for (id, ws, product, text) in items {
        let doc = new_doc_entry(c, id, ws, product, SearchKind::Feedback)?;
        match doc {
            Some(doc) => terms.push((doc, text)),
            // An entry left by an earlier record of the same id: rewritten the general way.
            None => index_doc(c, id, ws, product, SearchKind::Feedback, &text)?,
        }
    }
    Ok(())
}

/// The full-text terms of an import's new items, written after every row of it. Why last:
/// every statement that may need rolling back alone (an insert firing a trigger, an upsert)
/// opens a statement savepoint, and FTS5 writes its pending terms to disk at each one.
/// Interleaved with the rows, each item's terms became a segment of their own, merged again
/// and again: a quarter of an import's CPU (perf, docs/PERFORMANCE.md). Written together,
/// they reach the disk in segments of about a megabyte.
fn write_terms(c: &Connection, terms: Vec<(i64, String)>) -> StoreResult<()> {
    for (doc, text) in terms {
        db::exec(
            c,
            "INSERT INTO search_fts (rowid, terms) VALUES (?, ?)",
            params![doc, text],
        )?;
    }
    Ok(())
}

pub(crate) fn import_evidence(c: &Connection, items: &[NewEvidence]) -> StoreResult<u64> {
    // Links added per idea, whose counter moves once at the end.
    let mut ideas: HashMap<(WorkspaceId, IdeaId), i64> = HashMap::new();
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
        // Linking a new item is triaging it (its version moves only when its state does).
        // SQLite evaluates every SET expression on the row as it was.
        let touched = db::exec(
            c,
            "UPDATE feedback SET evidence_count = evidence_count + 1, \
             state = CASE state WHEN 'new' THEN 'processed' ELSE state END, \
             version = version + (state = 'new') WHERE id = ? AND workspace_id = ?",
            params![e.feedback_id.0, e.workspace_id.0],
        )?;
        if touched == 0 {
            return Err(StoreError::NotFound);
        }
        *ideas.entry(key).or_default() += 1;
        made += 1;
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
