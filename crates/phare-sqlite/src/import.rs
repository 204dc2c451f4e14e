//! The batch paths behind `import_feedback` and `import_evidence` (file imports, the data
//! generator): the rules of one item at a time, in fewer statements per row, through the same
//! helpers. A new feedback item is four statements (insert, tags, index entry, index terms)
//! instead of ten: its product and customer are looked up once per batch, nothing is read back,
//! its terms were analyzed before the writer was taken. A new link is two (insert, feedback counter), and each idea's counter
//! moves once per batch. Rows that update rather than create take the general path.

use crate::db;
use crate::discovery::{
    check_idea_takes_evidence, check_product, customer_id_for, index_doc, insert_feedback_row,
    set_feedback_tags, upsert_feedback,
};
use crate::rows::us;
use phare_domain::*;
use phare_store::*;
use rusqlite::{params, Connection};
use std::collections::{HashMap, HashSet};

/// A feedback item to import and the index terms of its text, customer and tags.
pub(crate) type Analyzed = (NewFeedback, String);

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

pub(crate) fn import_feedback(c: &Connection, items: &[Analyzed]) -> StoreResult<ImportCounts> {
    let mut products: HashSet<(WorkspaceId, ProductId)> = HashSet::new();
    let mut customers: HashMap<(WorkspaceId, String), CustomerId> = HashMap::new();
    let mut counts = ImportCounts::default();
    for (n, terms) in items {
        if let Some((source, id)) = &n.external {
            let known = db::opt(
                c,
                "SELECT 1 AS one FROM feedback \
                 WHERE workspace_id = ? AND external_source = ? AND external_id = ?",
                params![n.workspace_id.0, source, id],
                |_| Ok(()),
            )?;
            if known.is_some() {
                upsert_feedback(c, n)?;
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
        insert_feedback_row(c, n, customer)?;
        if !n.tags.is_empty() {
            set_feedback_tags(c, n.workspace_id, n.id, &n.tags)?;
        }
        index_doc(
            c,
            n.id.0,
            n.workspace_id,
            n.product_id,
            SearchKind::Feedback,
            terms,
        )?;
        counts.created += 1;
    }
    Ok(counts)
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
