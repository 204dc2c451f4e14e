//! The batch paths behind `import_feedback`, `import_feedback_feed` and `import_evidence` (file
//! imports, the data generator), set-based. One item at a time costs about nine round trips
//! (product, customer, external pair, insert, tags, read back, index entry…), which held the
//! generator to 760 items/s; here every statement takes a few thousand rows as arrays
//! (`UNNEST`), so a batch of new feedback items is five statements whatever its size (products
//! checked, customers found or created, external pairs looked up, rows, tags with index
//! entries), and a batch of links three (ideas locked, feedback checked, links with both
//! counters).
//!
//! The rules are those of one item at a time (`discovery.rs`). What is not a plain creation —
//! an external pair imported before, a pair repeated within the batch, a row another instance
//! created meanwhile (its insert does nothing) — takes the one-item path after the batch, in
//! the file's order, and so updates like any re-import.

use crate::discovery::{link, linked, upsert_feedback, Res, MAX_CHASES};
use crate::rows::us;
use crate::store::retrying;
use crate::PgStore;
use phare_domain::*;
use phare_store::*;
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Rows per statement: its arrays stay a few megabytes.
const ROWS_AT_ONCE: usize = 5_000;

/// The workspace of every item, when they share one (imports and the generator always do);
/// otherwise the items take the one-item path.
fn one_workspace<T>(items: &[T], ws: impl Fn(&T) -> WorkspaceId) -> Option<WorkspaceId> {
    let first = ws(items.first()?);
    items.iter().all(|i| ws(i) == first).then_some(first)
}

impl PgStore {
    /// Imports analyzed feedback items in one transaction (retried as a whole).
    pub(crate) async fn import_analyzed_feedback(
        &self,
        items: Vec<AnalyzedFeedback>,
    ) -> StoreResult<ImportCounts> {
        let items = &items;
        retrying("import_feedback", || async move {
            let mut tx = self.pool.begin().await?;
            let counts = import_feedback(&mut tx, items).await?;
            tx.commit().await?;
            Ok(counts)
        })
        .await
    }
}

/// Creates (or, for external pairs seen before, updates) feedback items, their terms already
/// worked out ([`analyze_feedback`]), inside the caller's transaction.
async fn import_feedback(conn: &mut PgConnection, items: &[AnalyzedFeedback]) -> Res<ImportCounts> {
    let mut counts = ImportCounts::default();
    let Some(ws) = one_workspace(items, |(n, _)| n.workspace_id) else {
        for (n, _) in items {
            count(&mut counts, upsert_feedback(conn, n).await?.1);
        }
        return Ok(counts);
    };
    let products = items.iter().filter_map(|(n, _)| n.product_id).map(|p| p.0);
    all_in_workspace(conn, "products", ws, products).await?;
    let customers = customers(conn, ws, items).await?;
    for chunk in items.chunks(ROWS_AT_ONCE) {
        let (fresh_at, others) = split_fresh(conn, ws, chunk).await?;
        let fresh: Vec<&AnalyzedFeedback> = fresh_at.iter().map(|&i| &chunk[i]).collect();
        let inserted = insert_rows(conn, ws, &fresh, &customers).await?;
        counts.created += inserted.len() as u64;
        insert_tags_and_terms(conn, ws, &fresh, &inserted).await?;
        // In the file's order: re-imports, and the rows lost to a concurrent import.
        let mut rest = others;
        rest.extend(
            fresh_at
                .into_iter()
                .filter(|&i| !inserted.contains(&chunk[i].0.id.0)),
        );
        rest.sort_unstable();
        for i in rest {
            count(&mut counts, upsert_feedback(conn, &chunk[i].0).await?.1);
        }
    }
    Ok(counts)
}

fn count(counts: &mut ImportCounts, created: bool) {
    if created {
        counts.created += 1;
    } else {
        counts.updated += 1;
    }
}

/// Every id (repeats allowed) names a row of `table` in the workspace; otherwise `NotFound`.
async fn all_in_workspace(
    conn: &mut PgConnection,
    table: &str,
    ws: WorkspaceId,
    ids: impl Iterator<Item = Uuid>,
) -> Res<()> {
    let ids: Vec<Uuid> = ids.collect::<HashSet<_>>().into_iter().collect();
    if ids.is_empty() {
        return Ok(());
    }
    let (found,): (i64,) = sqlx::query_as(&format!(
        "SELECT count(*) FROM {table} WHERE workspace_id = $1 AND id = ANY($2)"
    ))
    .bind(ws.0)
    .bind(&ids)
    .fetch_one(&mut *conn)
    .await?;
    if found as usize != ids.len() {
        return Err(StoreError::NotFound.into());
    }
    Ok(())
}

/// The id of every customer the items name, by lower-cased name, created if new from the first
/// item naming it. Another instance creating one of them at the same moment makes our insert
/// of it a no-op (it waits for that commit); it is then read like the others.
async fn customers(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    items: &[AnalyzedFeedback],
) -> Res<HashMap<String, Uuid>> {
    let mut wanted: HashMap<String, (&CustomerInput, Timestamp)> = HashMap::new();
    for (n, _) in items {
        if let Some(c) = &n.customer {
            wanted.entry(c.name.to_lowercase()).or_insert((c, n.now));
        }
    }
    let mut ids = HashMap::with_capacity(wanted.len());
    for _ in 0..MAX_CHASES {
        let keys: Vec<&str> = wanted
            .keys()
            .filter(|k| !ids.contains_key(*k))
            .map(String::as_str)
            .collect();
        if keys.is_empty() {
            return Ok(ids);
        }
        let found: Vec<(String, Uuid)> = sqlx::query_as(
            "SELECT name_key, id FROM customers WHERE workspace_id = $1 AND name_key = ANY($2)",
        )
        .bind(ws.0)
        .bind(&keys)
        .fetch_all(&mut *conn)
        .await?;
        ids.extend(found);
        let new: Vec<(&String, &(&CustomerInput, Timestamp))> = wanted
            .iter()
            .filter(|(k, _)| !ids.contains_key(*k))
            .collect();
        if new.is_empty() {
            return Ok(ids);
        }
        let created: Vec<(String, Uuid)> = sqlx::query_as(
            "INSERT INTO customers (id, workspace_id, name, name_key, kind, segment, weight, \
             created_at, updated_at) \
             SELECT u.id, $1, u.name, u.name_key, u.kind, u.segment, u.weight, u.at, u.at \
             FROM UNNEST($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], \
             $7::int8[], $8::timestamptz[]) AS u(id, name, name_key, kind, segment, weight, at) \
             ON CONFLICT (workspace_id, name_key) DO NOTHING RETURNING name_key, id",
        )
        .bind(ws.0)
        .bind(new.iter().map(|_| CustomerId::new().0).collect::<Vec<_>>())
        .bind(
            new.iter()
                .map(|(_, (c, _))| c.name.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(new.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>())
        .bind(
            new.iter()
                .map(|(_, (c, _))| c.kind.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            new.iter()
                .map(|(_, (c, _))| c.segment.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(new.iter().map(|(_, (c, _))| c.weight).collect::<Vec<_>>())
        .bind(new.iter().map(|(_, (_, at))| us(*at)).collect::<Vec<_>>())
        .fetch_all(&mut *conn)
        .await?;
        ids.extend(created);
    }
    Err(StoreError::Other("customers kept being renamed during the import".into()).into())
}

/// Splits a chunk into the positions of the items to insert (no external pair, or one neither
/// stored nor met earlier in the chunk) and those of the others (updates).
async fn split_fresh(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    chunk: &[AnalyzedFeedback],
) -> Res<(Vec<usize>, Vec<usize>)> {
    let pairs: Vec<&(String, String)> = chunk
        .iter()
        .filter_map(|(n, _)| n.external.as_ref())
        .collect();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    if !pairs.is_empty() {
        let stored: Vec<(String, String)> = sqlx::query_as(
            "SELECT f.external_source, f.external_id FROM feedback f \
             JOIN UNNEST($2::text[], $3::text[]) AS u(source, id) \
             ON f.external_source = u.source AND f.external_id = u.id \
             WHERE f.workspace_id = $1",
        )
        .bind(ws.0)
        .bind(pairs.iter().map(|p| p.0.as_str()).collect::<Vec<_>>())
        .bind(pairs.iter().map(|p| p.1.as_str()).collect::<Vec<_>>())
        .fetch_all(&mut *conn)
        .await?;
        seen.extend(stored);
    }
    let (mut fresh, mut others) = (Vec::with_capacity(chunk.len()), Vec::new());
    for (i, (n, _)) in chunk.iter().enumerate() {
        match &n.external {
            Some(pair) if !seen.insert(pair.clone()) => others.push(i),
            _ => fresh.push(i),
        }
    }
    Ok((fresh, others))
}

/// Inserts the rows; the ids of those inserted (an external pair another instance stored
/// meanwhile is skipped).
async fn insert_rows(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    fresh: &[&AnalyzedFeedback],
    customers: &HashMap<String, Uuid>,
) -> Res<HashSet<Uuid>> {
    if fresh.is_empty() {
        return Ok(HashSet::new());
    }
    let rows = fresh.iter().map(|(n, _)| n);
    let customer_of = |n: &NewFeedback| {
        n.customer
            .as_ref()
            .and_then(|c| customers.get(&c.name.to_lowercase()).copied())
    };
    let inserted: Vec<(Uuid,)> = sqlx::query_as(
        "INSERT INTO feedback (id, workspace_id, product_id, text, source, origin, customer_id, \
         contact, author_id, observed_at, state, external_source, external_id, created_at, \
         updated_at) \
         SELECT u.id, $1, u.product_id, u.text, u.source, u.origin, u.customer_id, u.contact, \
         u.author_id, u.observed_at, 'new', u.external_source, u.external_id, u.at, u.at \
         FROM UNNEST($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[], \
         $8::text[], $9::uuid[], $10::timestamptz[], $11::text[], $12::text[], \
         $13::timestamptz[]) AS u(id, product_id, text, source, origin, customer_id, contact, \
         author_id, observed_at, external_source, external_id, at) \
         ON CONFLICT (workspace_id, external_source, external_id) DO NOTHING RETURNING id",
    )
    .bind(ws.0)
    .bind(rows.clone().map(|n| n.id.0).collect::<Vec<_>>())
    .bind(
        rows.clone()
            .map(|n| n.product_id.map(|p| p.0))
            .collect::<Vec<_>>(),
    )
    .bind(rows.clone().map(|n| n.text.as_str()).collect::<Vec<_>>())
    .bind(rows.clone().map(|n| n.source.as_str()).collect::<Vec<_>>())
    .bind(
        rows.clone()
            .map(|n| n.source.origin().as_str())
            .collect::<Vec<_>>(),
    )
    .bind(rows.clone().map(customer_of).collect::<Vec<_>>())
    .bind(
        rows.clone()
            .map(|n| n.contact.as_deref())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.clone()
            .map(|n| n.author_id.map(|a| a.0))
            .collect::<Vec<_>>(),
    )
    .bind(rows.clone().map(|n| us(n.observed_at)).collect::<Vec<_>>())
    .bind(
        rows.clone()
            .map(|n| n.external.as_ref().map(|e| e.0.as_str()))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.clone()
            .map(|n| n.external.as_ref().map(|e| e.1.as_str()))
            .collect::<Vec<_>>(),
    )
    .bind(rows.map(|n| us(n.now)).collect::<Vec<_>>())
    .fetch_all(&mut *conn)
    .await?;
    Ok(inserted.into_iter().map(|(id,)| id).collect())
}

/// The tags and the search index entries of the inserted rows.
async fn insert_tags_and_terms(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    fresh: &[&AnalyzedFeedback],
    inserted: &HashSet<Uuid>,
) -> Res<()> {
    let new: Vec<&AnalyzedFeedback> = fresh
        .iter()
        .copied()
        .filter(|(n, _)| inserted.contains(&n.id.0))
        .collect();
    let tagged: Vec<(Uuid, &str)> = new
        .iter()
        .flat_map(|(n, _)| n.tags.iter().map(|t| (n.id.0, t.as_str())))
        .collect();
    if !tagged.is_empty() {
        sqlx::query(
            "INSERT INTO feedback_tags (feedback_id, tag, workspace_id) \
             SELECT u.id, u.tag, $1 FROM UNNEST($2::uuid[], $3::text[]) AS u(id, tag)",
        )
        .bind(ws.0)
        .bind(tagged.iter().map(|t| t.0).collect::<Vec<_>>())
        .bind(tagged.iter().map(|t| t.1).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    }
    if !new.is_empty() {
        sqlx::query(
            "INSERT INTO search_docs (entity_id, workspace_id, product_id, kind, terms) \
             SELECT u.id, $1, u.product_id, $2, to_tsvector('simple', u.terms) \
             FROM UNNEST($3::uuid[], $4::uuid[], $5::text[]) AS u(id, product_id, terms) \
             ON CONFLICT (entity_id) DO UPDATE SET product_id = excluded.product_id, \
             terms = excluded.terms",
        )
        .bind(ws.0)
        .bind(SearchKind::Feedback.as_str())
        .bind(new.iter().map(|(n, _)| n.id.0).collect::<Vec<_>>())
        .bind(
            new.iter()
                .map(|(n, _)| n.product_id.map(|p| p.0))
                .collect::<Vec<_>>(),
        )
        .bind(
            new.iter()
                .map(|(_, terms)| terms.as_str())
                .collect::<Vec<_>>(),
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Links feedback to ideas, skipping pairs already linked; how many links were made. The
/// batch's ideas are locked first, in id order (the order of merges and single links), then
/// each statement inserts a few thousand links and moves both counters once per idea and item.
pub(crate) async fn import_evidence(conn: &mut PgConnection, items: &[NewEvidence]) -> Res<u64> {
    let Some(ws) = one_workspace(items, |e| e.workspace_id) else {
        let mut made = 0;
        for e in items {
            if !linked(conn, e).await? && link(conn, e, true).await?.is_some() {
                made += 1;
            }
        }
        return Ok(made);
    };
    let mut ideas: Vec<Uuid> = items.iter().map(|e| e.idea_id.0).collect();
    ideas.sort_unstable();
    ideas.dedup();
    let locked: Vec<(String,)> = sqlx::query_as(
        "SELECT status FROM ideas WHERE workspace_id = $1 AND id = ANY($2) ORDER BY id \
         FOR NO KEY UPDATE",
    )
    .bind(ws.0)
    .bind(&ideas)
    .fetch_all(&mut *conn)
    .await?;
    if locked.len() != ideas.len() {
        return Err(StoreError::NotFound.into());
    }
    // A merged idea only redirects: evidence belongs on the idea that absorbed it.
    if locked.iter().any(|(s,)| s == IdeaStatus::Merged.as_str()) {
        return Err(StoreError::VersionConflict.into());
    }
    all_in_workspace(conn, "feedback", ws, items.iter().map(|e| e.feedback_id.0)).await?;
    let mut made = 0;
    for chunk in items.chunks(ROWS_AT_ONCE) {
        // Linking a new item is triaging it, decided on the row as this statement locks it.
        let (n,): (i64,) = sqlx::query_as(
            "WITH made AS ( \
               INSERT INTO evidence (id, workspace_id, idea_id, feedback_id, excerpt, \
               importance, created_by, created_at) \
               SELECT u.id, $1, u.idea_id, u.feedback_id, u.excerpt, u.importance, \
               u.created_by, u.at \
               FROM UNNEST($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], \
               $7::uuid[], $8::timestamptz[]) \
               AS u(id, idea_id, feedback_id, excerpt, importance, created_by, at) \
               ON CONFLICT (idea_id, feedback_id) DO NOTHING RETURNING idea_id, feedback_id), \
             ideas_counted AS ( \
               UPDATE ideas i SET evidence_count = i.evidence_count + m.n \
               FROM (SELECT idea_id, count(*) AS n FROM made GROUP BY idea_id) m \
               WHERE i.id = m.idea_id), \
             feedback_counted AS ( \
               UPDATE feedback f SET evidence_count = f.evidence_count + m.n, \
               state = CASE WHEN f.state = $9 THEN $10 ELSE f.state END, \
               version = f.version + CASE WHEN f.state = $9 THEN 1 ELSE 0 END \
               FROM (SELECT feedback_id, count(*) AS n FROM made GROUP BY feedback_id) m \
               WHERE f.id = m.feedback_id) \
             SELECT count(*) FROM made",
        )
        .bind(ws.0)
        .bind(chunk.iter().map(|e| e.id.0).collect::<Vec<_>>())
        .bind(chunk.iter().map(|e| e.idea_id.0).collect::<Vec<_>>())
        .bind(chunk.iter().map(|e| e.feedback_id.0).collect::<Vec<_>>())
        .bind(
            chunk
                .iter()
                .map(|e| e.excerpt.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(
            chunk
                .iter()
                .map(|e| e.importance.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            chunk
                .iter()
                .map(|e| e.created_by.map(|m| m.0))
                .collect::<Vec<_>>(),
        )
        .bind(chunk.iter().map(|e| us(e.now)).collect::<Vec<_>>())
        .bind(FeedbackState::New.as_str())
        .bind(FeedbackState::Processed.as_str())
        .fetch_one(&mut *conn)
        .await?;
        made += n as u64;
    }
    Ok(made)
}
