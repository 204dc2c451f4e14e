//! `impl DiscoveryStore for SqliteStore`: feedback, customers, ideas, evidence, merges and the
//! FTS5 search index. Every write that changes a counted link changes its counter in the same
//! `BEGIN IMMEDIATE` transaction.

use crate::db::{self, Sql};
use crate::held_terms;
use crate::rows::{get, parse, parse_opt, ts, us};
use crate::SqliteStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use rusqlite::types::FromSql;
use rusqlite::{params, Connection, Row};
use std::collections::HashMap;
use uuid::Uuid;

const CUSTOMER_COLS: &str =
    "id, workspace_id, name, kind, segment, weight, created_at, updated_at, version";

pub(crate) const FEEDBACK_SELECT: &str =
    "SELECT f.id, f.workspace_id, f.product_id, f.text, f.source, \
     f.origin, f.customer_id, c.name AS customer_name, c.segment AS customer_segment, \
     c.weight AS customer_weight, f.contact, f.author_id, f.observed_at, f.state, f.assignee_id, \
     f.evidence_count, f.external_source, f.external_id, f.created_at, f.updated_at, f.version, \
     (SELECT group_concat(t.tag, ',') FROM feedback_tags t WHERE t.feedback_id = f.id) AS tags \
     FROM feedback f LEFT JOIN customers c ON c.id = f.customer_id";

pub(crate) const IDEA_SELECT: &str =
    "SELECT i.id, i.workspace_id, i.product_id, i.number, p.key AS \
     product_key, i.kind, i.title, i.as_a, i.i_want, i.so_that, i.description, i.bug_steps, \
     i.bug_expected, i.bug_actual, i.bug_environment, i.bug_severity, i.status, i.owner_id, \
     i.merged_into, i.evidence_count, i.vote_count, i.external_source, i.external_id, \
     i.created_by, i.created_at, i.updated_at, i.version, \
     (SELECT group_concat(t.tag, ',') FROM idea_tags t WHERE t.idea_id = i.id) AS tags \
     FROM ideas i JOIN products p ON p.id = i.product_id";

const EVIDENCE_COLS_E: &str = "e.id AS e_id, e.workspace_id AS e_workspace_id, e.idea_id AS \
     e_idea_id, e.feedback_id AS e_feedback_id, e.excerpt AS e_excerpt, e.importance AS \
     e_importance, e.created_by AS e_created_by, e.created_at AS e_created_at";

// --- rows -------------------------------------------------------------------------------------

fn tags(row: &Row<'_>) -> StoreResult<Vec<String>> {
    let joined: Option<String> = get(row, "tags")?;
    let mut v: Vec<String> = joined
        .map(|j| j.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    v.sort();
    Ok(v)
}

fn customer(row: &Row<'_>) -> StoreResult<Customer> {
    Ok(Customer {
        id: CustomerId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        name: get(row, "name")?,
        kind: parse(&get::<String>(row, "kind")?, CustomerKind::parse, "kind")?,
        segment: get(row, "segment")?,
        weight: get(row, "weight")?,
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

pub(crate) fn feedback(row: &Row<'_>) -> StoreResult<Feedback> {
    Ok(Feedback {
        id: FeedbackId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: get::<Option<Uuid>>(row, "product_id")?.map(ProductId),
        text: get(row, "text")?,
        source: parse(&get::<String>(row, "source")?, SourceKind::parse, "source")?,
        origin: parse(&get::<String>(row, "origin")?, Origin::parse, "origin")?,
        customer_id: get::<Option<Uuid>>(row, "customer_id")?.map(CustomerId),
        customer_name: get(row, "customer_name")?,
        customer_segment: get(row, "customer_segment")?,
        customer_weight: get(row, "customer_weight")?,
        contact: get(row, "contact")?,
        author_id: get::<Option<Uuid>>(row, "author_id")?.map(MemberId),
        observed_at: ts(get(row, "observed_at")?)?,
        state: parse(&get::<String>(row, "state")?, FeedbackState::parse, "state")?,
        assignee_id: get::<Option<Uuid>>(row, "assignee_id")?.map(MemberId),
        tags: tags(row)?,
        evidence_count: get(row, "evidence_count")?,
        external_source: get(row, "external_source")?,
        external_id: get(row, "external_id")?,
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

/// An idea without its evidence figures (`customer_count`, `demand`), which [`with_figures`]
/// adds for a whole list in one query.
pub(crate) fn idea(row: &Row<'_>) -> StoreResult<Idea> {
    let key: String = get(row, "product_key")?;
    let number: i64 = get(row, "number")?;
    Ok(Idea {
        id: IdeaId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        number,
        reference: idea_reference(&key, number),
        kind: parse(&get::<String>(row, "kind")?, IdeaKind::parse, "kind")?,
        title: get(row, "title")?,
        as_a: get(row, "as_a")?,
        i_want: get(row, "i_want")?,
        so_that: get(row, "so_that")?,
        description: get(row, "description")?,
        bug: BugReport {
            steps: get(row, "bug_steps")?,
            expected: get(row, "bug_expected")?,
            actual: get(row, "bug_actual")?,
            environment: get(row, "bug_environment")?,
            severity: parse_opt(get(row, "bug_severity")?, Severity::parse, "bug_severity")?,
        },
        status: parse(&get::<String>(row, "status")?, IdeaStatus::parse, "status")?,
        owner_id: get::<Option<Uuid>>(row, "owner_id")?.map(MemberId),
        merged_into: get::<Option<Uuid>>(row, "merged_into")?.map(IdeaId),
        tags: tags(row)?,
        evidence_count: get(row, "evidence_count")?,
        vote_count: get(row, "vote_count")?,
        customer_count: 0,
        demand: 0,
        external_source: get(row, "external_source")?,
        external_id: get(row, "external_id")?,
        created_by: get::<Option<Uuid>>(row, "created_by")?.map(MemberId),
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

fn evidence(row: &Row<'_>) -> StoreResult<Evidence> {
    Ok(Evidence {
        id: EvidenceId(get(row, "e_id")?),
        workspace_id: WorkspaceId(get(row, "e_workspace_id")?),
        idea_id: IdeaId(get(row, "e_idea_id")?),
        feedback_id: FeedbackId(get(row, "e_feedback_id")?),
        excerpt: get(row, "e_excerpt")?,
        importance: parse(
            &get::<String>(row, "e_importance")?,
            Importance::parse,
            "importance",
        )?,
        created_by: get::<Option<Uuid>>(row, "e_created_by")?.map(MemberId),
        created_at: ts(get(row, "e_created_at")?)?,
    })
}

fn idea_change(row: &Row<'_>) -> StoreResult<IdeaChange> {
    Ok(IdeaChange {
        id: get(row, "id")?,
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        idea_id: IdeaId(get(row, "idea_id")?),
        at: ts(get(row, "at")?)?,
        actor_id: get::<Option<Uuid>>(row, "actor_id")?.map(MemberId),
        field: get(row, "field")?,
        old_value: get(row, "old_value")?,
        new_value: get(row, "new_value")?,
    })
}

fn merge(row: &Row<'_>) -> StoreResult<IdeaMerge> {
    Ok(IdeaMerge {
        id: get(row, "id")?,
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        from_idea_id: IdeaId(get(row, "from_idea_id")?),
        into_idea_id: IdeaId(get(row, "into_idea_id")?),
        actor_id: get::<Option<Uuid>>(row, "actor_id")?.map(MemberId),
        reason: get(row, "reason")?,
        at: ts(get(row, "at")?)?,
    })
}

/// A column by position (for unnamed expressions), decoded; a wrong type names the position.
fn col<T: FromSql>(row: &Row<'_>, i: usize) -> StoreResult<T> {
    row.get(i)
        .map_err(|e| StoreError::Other(format!("column {i}: {e}")))
}

/// How many of the newest matches a search ranks (see `search`).
const SEARCH_WINDOW: i64 = 1_000;

// --- helpers inside a transaction ----------------------------------------------------------

/// The FTS5 expression for query terms: `("a1" OR "a2") AND "b"`. Terms are alphanumeric by
/// construction; quoting still makes any stray character a literal.
pub(crate) fn fts_match(terms: &[Vec<String>], joiner: &str) -> String {
    let quote = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    terms
        .iter()
        .filter(|alts| !alts.is_empty())
        .map(|alts| {
            let inner: Vec<String> = alts.iter().map(|t| quote(t)).collect();
            format!("({})", inner.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(joiner)
}

/// The search entry of a record not indexed yet, and its number (the FTS rowid); `None` when
/// the record has one already.
pub(crate) fn new_doc_entry(
    c: &Connection,
    entity: Uuid,
    ws: WorkspaceId,
    product: Option<ProductId>,
    kind: SearchKind,
) -> StoreResult<Option<i64>> {
    // The new row's id from the connection rather than `RETURNING`, which makes SQLite collect
    // the returned rows in a table of their own first: this runs once per imported item.
    let inserted = db::exec(
        c,
        "INSERT INTO search_docs (entity_id, workspace_id, product_id, kind) VALUES (?, ?, ?, ?) \
         ON CONFLICT (entity_id) DO NOTHING",
        params![entity, ws.0, product.map(|p| p.0), kind.as_str()],
    )?;
    Ok((inserted == 1).then(|| c.last_insert_rowid()))
}

/// Writes (or rewrites) the index entry of one record.
pub(crate) fn index_doc(
    c: &Connection,
    entity: Uuid,
    ws: WorkspaceId,
    product: Option<ProductId>,
    kind: SearchKind,
    terms: &str,
) -> StoreResult<()> {
    // A new record needs no FTS delete (most calls, in imports); a known one is rewritten.
    let (doc, new) = match new_doc_entry(c, entity, ws, product, kind)? {
        Some(doc) => (doc, true),
        None => {
            let doc: i64 = db::one(
                c,
                "UPDATE search_docs SET product_id = ? WHERE entity_id = ? RETURNING doc",
                params![product.map(|p| p.0), entity],
                |r| get(r, "doc"),
            )?;
            (doc, false)
        }
    };
    let scope = match (kind, product) {
        (SearchKind::Idea, Some(p)) => Some(idea_scope(p)),
        _ => None,
    };
    // Within a group of writes, the terms of a record new to the index wait for the group's end
    // (held_terms.rs); a record held there is not in the index yet, so nothing is deleted.
    if held_terms::hold(doc, new, Some((terms, scope.as_deref()))) {
        return Ok(());
    }
    if !new {
        db::exec(c, "DELETE FROM search_fts WHERE rowid = ?", params![doc])?;
        if kind == SearchKind::Idea {
            db::exec(c, "DELETE FROM idea_fts WHERE rowid = ?", params![doc])?;
        }
    }
    insert_terms(c, doc, terms, scope.as_deref())
}

/// Adds the terms of index entry `doc` (not in the full-text tables yet) to `search_fts`, and
/// for an idea (its product `scope`) to `idea_fts`.
pub(crate) fn insert_terms(
    c: &Connection,
    doc: i64,
    terms: &str,
    scope: Option<&str>,
) -> StoreResult<()> {
    db::exec(
        c,
        "INSERT INTO search_fts (rowid, terms) VALUES (?, ?)",
        params![doc, terms],
    )?;
    if let Some(scope) = scope {
        db::exec(
            c,
            "INSERT INTO idea_fts (rowid, terms, scope) VALUES (?, ?, ?)",
            params![doc, terms, scope],
        )?;
    }
    Ok(())
}

/// The token of `idea_fts.scope` that narrows a MATCH to one product's ideas.
fn idea_scope(product: ProductId) -> String {
    format!("p{}", product.0.simple())
}

pub(crate) fn unindex_doc(c: &Connection, entity: Uuid) -> StoreResult<()> {
    let doc: Option<(i64, String)> = db::opt(
        c,
        "DELETE FROM search_docs WHERE entity_id = ? RETURNING doc, kind",
        params![entity],
        |r| Ok((get(r, "doc")?, get(r, "kind")?)),
    )?;
    if let Some((doc, kind)) = doc {
        if held_terms::hold(doc, false, None) {
            return Ok(());
        }
        db::exec(c, "DELETE FROM search_fts WHERE rowid = ?", params![doc])?;
        if kind == SearchKind::Idea.as_str() {
            db::exec(c, "DELETE FROM idea_fts WHERE rowid = ?", params![doc])?;
        }
    }
    Ok(())
}

/// Fills `idea_fts` (migration 0005) for ideas indexed before it existed: their terms are
/// computed again by the analyzer, in Rust, as every later change does. Runs once, when the
/// index is empty and ideas exist.
pub(crate) fn fill_idea_index(c: &Connection) -> StoreResult<u64> {
    let empty = db::opt(c, "SELECT 1 AS one FROM idea_fts LIMIT 1", [], |_| Ok(()))?.is_none();
    if !empty {
        return Ok(0);
    }
    // In pages by id, so a large set never sits in memory at once.
    let sql = format!("{IDEA_SELECT} WHERE i.id > ? ORDER BY i.id LIMIT 2000");
    let (mut after, mut filled) = (Uuid::nil(), 0u64);
    loop {
        let ideas = db::all(c, &sql, params![after], idea)?;
        let Some(last) = ideas.last() else {
            return Ok(filled);
        };
        after = last.id.0;
        for i in &ideas {
            reindex_idea(c, i)?;
        }
        filled += ideas.len() as u64;
    }
}

pub(crate) fn check_product(
    c: &Connection,
    ws: WorkspaceId,
    product: ProductId,
) -> StoreResult<()> {
    db::opt(
        c,
        "SELECT 1 FROM products WHERE id = ? AND workspace_id = ?",
        params![product.0, ws.0],
        |_| Ok(()),
    )?
    .ok_or(StoreError::NotFound)
}

fn check_member(c: &Connection, ws: WorkspaceId, member: Option<MemberId>) -> StoreResult<()> {
    if let Some(m) = member {
        db::opt(
            c,
            "SELECT 1 FROM members WHERE id = ? AND workspace_id = ?",
            params![m.0, ws.0],
            |_| Ok(()),
        )?
        .ok_or(StoreError::NotFound)?;
    }
    Ok(())
}

/// The customer of that name in the workspace, created if new.
pub(crate) fn customer_id_for(
    c: &Connection,
    ws: WorkspaceId,
    input: &CustomerInput,
    now: Timestamp,
) -> StoreResult<CustomerId> {
    let key = input.name.to_lowercase();
    let found: Option<Uuid> = db::opt(
        c,
        "SELECT id FROM customers WHERE workspace_id = ? AND name_key = ?",
        params![ws.0, &key],
        |r| get(r, "id"),
    )?;
    if let Some(id) = found {
        return Ok(CustomerId(id));
    }
    let id = CustomerId::new();
    db::exec(
        c,
        "INSERT INTO customers (id, workspace_id, name, name_key, kind, segment, weight, \
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params![
            id.0,
            ws.0,
            &input.name,
            &key,
            input.kind.as_str(),
            &input.segment,
            input.weight,
            us(now),
            us(now)
        ],
    )?;
    Ok(id)
}

pub(crate) fn set_feedback_tags(
    c: &Connection,
    ws: WorkspaceId,
    id: FeedbackId,
    tags: &[String],
) -> StoreResult<()> {
    db::exec(
        c,
        "DELETE FROM feedback_tags WHERE feedback_id = ?",
        params![id.0],
    )?;
    insert_feedback_tags(c, ws, id, tags)
}

/// The tags of a feedback item that has none yet (a new one).
pub(crate) fn insert_feedback_tags(
    c: &Connection,
    ws: WorkspaceId,
    id: FeedbackId,
    tags: &[String],
) -> StoreResult<()> {
    for t in tags {
        db::exec(
            c,
            "INSERT INTO feedback_tags (feedback_id, tag, workspace_id) VALUES (?, ?, ?)",
            params![id.0, t, ws.0],
        )?;
    }
    Ok(())
}

fn set_idea_tags(c: &Connection, ws: WorkspaceId, id: IdeaId, tags: &[String]) -> StoreResult<()> {
    db::exec(c, "DELETE FROM idea_tags WHERE idea_id = ?", params![id.0])?;
    for t in tags {
        db::exec(
            c,
            "INSERT INTO idea_tags (idea_id, tag, workspace_id) VALUES (?, ?, ?)",
            params![id.0, t, ws.0],
        )?;
    }
    Ok(())
}

pub(crate) fn feedback_in_tx(
    c: &Connection,
    ws: WorkspaceId,
    id: FeedbackId,
) -> StoreResult<Feedback> {
    db::one(
        c,
        &format!("{FEEDBACK_SELECT} WHERE f.id = ? AND f.workspace_id = ?"),
        params![id.0, ws.0],
        feedback,
    )
}

pub(crate) fn idea_in_tx(c: &Connection, ws: WorkspaceId, id: IdeaId) -> StoreResult<Idea> {
    let idea = db::one(
        c,
        &format!("{IDEA_SELECT} WHERE i.id = ? AND i.workspace_id = ?"),
        params![id.0, ws.0],
        idea,
    )?;
    let mut v = with_figures(c, vec![idea])?;
    v.pop().ok_or(StoreError::NotFound)
}

/// Fills `customer_count` and `demand` for a list of ideas with one query over their evidence.
pub(crate) fn with_figures(c: &Connection, mut ideas: Vec<Idea>) -> StoreResult<Vec<Idea>> {
    if ideas.is_empty() {
        return Ok(ideas);
    }
    let mut q = Sql::new(
        "SELECT e.idea_id, e.importance, f.customer_id, c.weight FROM evidence e \
         JOIN feedback f ON f.id = e.feedback_id LEFT JOIN customers c ON c.id = f.customer_id \
         WHERE e.idea_id IN (",
    );
    q.push_list(ideas.iter().map(|i| i.id.0));
    q.push(")");
    let rows = q.all(c, |r| {
        Ok((
            get::<Uuid>(r, "idea_id")?,
            EvidenceWeight {
                importance: parse(
                    &get::<String>(r, "importance")?,
                    Importance::parse,
                    "importance",
                )?,
                customer: get::<Option<Uuid>>(r, "customer_id")?.map(CustomerId),
                customer_weight: get(r, "weight")?,
            },
        ))
    })?;
    let mut by_idea: HashMap<Uuid, Vec<EvidenceWeight>> = HashMap::new();
    for (idea_id, w) in rows {
        by_idea.entry(idea_id).or_default().push(w);
    }
    for i in &mut ideas {
        if let Some(rows) = by_idea.get(&i.id.0) {
            (i.customer_count, i.demand) = evidence_figures(rows);
        }
    }
    Ok(ideas)
}

fn reindex_feedback(c: &Connection, f: &Feedback) -> StoreResult<()> {
    let terms = feedback_search_text(&f.text, f.customer_name.as_deref(), &f.tags);
    index_doc(
        c,
        f.id.0,
        f.workspace_id,
        f.product_id,
        SearchKind::Feedback,
        &terms,
    )
}

pub(crate) fn reindex_idea(c: &Connection, i: &Idea) -> StoreResult<()> {
    if i.status == IdeaStatus::Merged {
        // A merged idea only redirects; search shows the idea that absorbed it.
        return unindex_doc(c, i.id.0);
    }
    let terms = idea_search_text(&i.reference, &i.text(), &i.tags);
    index_doc(
        c,
        i.id.0,
        i.workspace_id,
        Some(i.product_id),
        SearchKind::Idea,
        &terms,
    )
}

/// New feedback items per inbox count, added to `inbox_counts` by [`NewFeedbackCounts::write`]:
/// on SQLite the store counts new items, not a trigger (migration 0015).
#[derive(Default)]
pub(crate) struct NewFeedbackCounts(HashMap<(WorkspaceId, Option<ProductId>, &'static str), i64>);

impl NewFeedbackCounts {
    fn add(&mut self, n: &NewFeedback) {
        *self
            .0
            .entry((n.workspace_id, n.product_id, n.source.as_str()))
            .or_default() += 1;
    }

    /// Adds the items counted to the inbox counts (state `new`) and forgets them.
    pub(crate) fn write(&mut self, c: &Connection) -> StoreResult<()> {
        for ((ws, product, source), n) in self.0.drain() {
            db::exec(
                c,
                "INSERT INTO inbox_counts (workspace_id, product_id, source, state, n) \
                 VALUES (?, coalesce(?, zeroblob(16)), ?, 'new', ?) \
                 ON CONFLICT (workspace_id, product_id, source, state) DO UPDATE SET n = n + excluded.n",
                params![ws.0, product.map(|p| p.0), source, n],
            )?;
        }
        Ok(())
    }
}

/// The row of a new feedback item (state `new`), counted in `counts`; tags and the index entry
/// are the caller's. False, with nothing written, when the workspace already holds an item
/// imported under the same external id: an import then updates that one, and finds out in the
/// same index probe.
pub(crate) fn insert_feedback_row(
    c: &Connection,
    n: &NewFeedback,
    customer: Option<CustomerId>,
    counts: &mut NewFeedbackCounts,
) -> StoreResult<bool> {
    let inserted = db::exec(
        c,
        "INSERT INTO feedback (id, workspace_id, product_id, text, source, origin, \
         customer_id, contact, author_id, observed_at, state, external_source, \
         external_id, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?) \
         ON CONFLICT (workspace_id, external_source, external_id) DO NOTHING",
        params![
            n.id.0,
            n.workspace_id.0,
            n.product_id.map(|p| p.0),
            &n.text,
            n.source.as_str(),
            n.source.origin().as_str(),
            customer.map(|c| c.0),
            &n.contact,
            n.author_id.map(|a| a.0),
            us(n.observed_at),
            n.external.as_ref().map(|e| &e.0),
            n.external.as_ref().map(|e| &e.1),
            us(n.now),
            us(n.now)
        ],
    )?;
    if inserted == 1 {
        counts.add(n);
    }
    Ok(inserted == 1)
}

/// An idea that may take evidence: in the workspace (`NotFound` otherwise) and not merged (a
/// merged idea only redirects: `VersionConflict`).
pub(crate) fn check_idea_takes_evidence(
    c: &Connection,
    ws: WorkspaceId,
    idea: IdeaId,
) -> StoreResult<()> {
    let status: String = db::one(
        c,
        "SELECT status FROM ideas WHERE id = ? AND workspace_id = ?",
        params![idea.0, ws.0],
        |r| get(r, "status"),
    )?;
    if status == IdeaStatus::Merged.as_str() {
        return Err(StoreError::VersionConflict);
    }
    Ok(())
}

/// Creates or (for a known external pair) updates one feedback item; true when created.
pub(crate) fn upsert_feedback(c: &Connection, n: &NewFeedback) -> StoreResult<(Feedback, bool)> {
    if let Some(p) = n.product_id {
        check_product(c, n.workspace_id, p)?;
    }
    let customer = match &n.customer {
        Some(cu) => Some(customer_id_for(c, n.workspace_id, cu, n.now)?),
        None => None,
    };
    let existing: Option<Uuid> = match &n.external {
        Some((src, ext)) => db::opt(
            c,
            "SELECT id FROM feedback WHERE workspace_id = ? AND external_source = ? AND external_id = ?",
            params![n.workspace_id.0, src, ext],
            |r| get(r, "id"),
        )?,
        None => None,
    };
    let (id, created) = match existing {
        Some(id) => {
            db::exec(
                c,
                "UPDATE feedback SET text = ?, source = ?, origin = ?, customer_id = ?, contact = ?, \
                 observed_at = ?, product_id = COALESCE(?, product_id), updated_at = ?, \
                 version = version + 1 WHERE id = ?",
                params![
                    &n.text,
                    n.source.as_str(),
                    n.source.origin().as_str(),
                    customer.map(|c| c.0),
                    &n.contact,
                    us(n.observed_at),
                    n.product_id.map(|p| p.0),
                    us(n.now),
                    id
                ],
            )?;
            (FeedbackId(id), false)
        }
        None => {
            // No item of this external id (just looked up, on the one writer): inserted.
            let mut counts = NewFeedbackCounts::default();
            insert_feedback_row(c, n, customer, &mut counts)?;
            counts.write(c)?;
            (n.id, true)
        }
    };
    set_feedback_tags(c, n.workspace_id, id, &n.tags)?;
    let f = feedback_in_tx(c, n.workspace_id, id)?;
    reindex_feedback(c, &f)?;
    Ok((f, created))
}

pub(crate) fn insert_evidence(c: &Connection, e: &NewEvidence) -> StoreResult<Evidence> {
    let fb = feedback_in_tx(c, e.workspace_id, e.feedback_id)?;
    check_idea_takes_evidence(c, e.workspace_id, e.idea_id)?;
    db::exec(
        c,
        "INSERT INTO evidence (id, workspace_id, idea_id, feedback_id, excerpt, importance, \
         created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
    db::exec(
        c,
        "UPDATE ideas SET evidence_count = evidence_count + 1 WHERE id = ?",
        params![e.idea_id.0],
    )?;
    // Linking a new item is triaging it.
    let state = if fb.state == FeedbackState::New {
        FeedbackState::Processed
    } else {
        fb.state
    };
    db::exec(
        c,
        "UPDATE feedback SET evidence_count = evidence_count + 1, state = ?, \
         version = version + (state <> ?) WHERE id = ?",
        params![state.as_str(), state.as_str(), e.feedback_id.0],
    )?;
    Ok(Evidence {
        id: e.id,
        workspace_id: e.workspace_id,
        idea_id: e.idea_id,
        feedback_id: e.feedback_id,
        excerpt: e.excerpt.clone(),
        importance: e.importance,
        created_by: e.created_by,
        created_at: e.now,
    })
}

pub(crate) fn insert_idea(c: &Connection, n: &NewIdea) -> StoreResult<(Idea, bool)> {
    check_product(c, n.workspace_id, n.product_id)?;
    check_member(c, n.workspace_id, n.owner_id)?;
    let existing: Option<(Uuid, i64)> = match &n.external {
        Some((src, ext)) => db::opt(
            c,
            "SELECT id, version FROM ideas WHERE workspace_id = ? AND external_source = ? AND external_id = ?",
            params![n.workspace_id.0, src, ext],
            |r| Ok((get(r, "id")?, get(r, "version")?)),
        )?,
        None => None,
    };
    if let Some((id, _)) = existing {
        // Re-import: refresh the text and tags; status and links belong to the team now.
        db::exec(
            c,
            "UPDATE ideas SET title = ?, as_a = ?, i_want = ?, so_that = ?, description = ?, \
             updated_at = ?, version = version + 1 WHERE id = ?",
            params![
                &n.text.title,
                &n.text.as_a,
                &n.text.i_want,
                &n.text.so_that,
                &n.text.description,
                us(n.now),
                id
            ],
        )?;
        set_idea_tags(c, n.workspace_id, IdeaId(id), &n.tags)?;
        let idea = idea_in_tx(c, n.workspace_id, IdeaId(id))?;
        reindex_idea(c, &idea)?;
        return Ok((idea, false));
    }
    let number: i64 = db::one(
        c,
        "UPDATE products SET idea_seq = idea_seq + 1 WHERE id = ? RETURNING idea_seq",
        params![n.product_id.0],
        |r| get(r, "idea_seq"),
    )?;
    db::exec(
        c,
        "INSERT INTO ideas (id, workspace_id, product_id, number, kind, title, as_a, i_want, \
         so_that, description, bug_steps, bug_expected, bug_actual, bug_environment, \
         bug_severity, status, owner_id, external_source, external_id, created_by, created_at, \
         updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params![
            n.id.0,
            n.workspace_id.0,
            n.product_id.0,
            number,
            n.text.kind.as_str(),
            &n.text.title,
            &n.text.as_a,
            &n.text.i_want,
            &n.text.so_that,
            &n.text.description,
            &n.text.bug.steps,
            &n.text.bug.expected,
            &n.text.bug.actual,
            &n.text.bug.environment,
            n.text.bug.severity.map(Severity::as_str),
            n.status.as_str(),
            n.owner_id.map(|m| m.0),
            n.external.as_ref().map(|e| &e.0),
            n.external.as_ref().map(|e| &e.1),
            n.created_by.map(|m| m.0),
            us(n.now),
            us(n.now)
        ],
    )?;
    set_idea_tags(c, n.workspace_id, n.id, &n.tags)?;
    if let Some(first) = &n.evidence {
        insert_evidence(
            c,
            &NewEvidence {
                id: first.id,
                workspace_id: n.workspace_id,
                idea_id: n.id,
                feedback_id: first.feedback_id,
                excerpt: first.excerpt.clone(),
                importance: first.importance,
                created_by: n.created_by,
                now: n.now,
            },
        )?;
    }
    let idea = idea_in_tx(c, n.workspace_id, n.id)?;
    reindex_idea(c, &idea)?;
    Ok((idea, true))
}

pub(crate) fn record_change(
    c: &Connection,
    idea: &Idea,
    actor: Option<MemberId>,
    at: Timestamp,
    field: &str,
    old: &str,
    new: &str,
) -> StoreResult<()> {
    db::exec(
        c,
        "INSERT INTO idea_changes (id, workspace_id, idea_id, at, actor_id, field, old_value, \
         new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        params![
            Uuid::now_v7(),
            idea.workspace_id.0,
            idea.id.0,
            us(at),
            actor.map(|a| a.0),
            field,
            old,
            new
        ],
    )?;
    Ok(())
}

/// One merge (see `DiscoveryStore::merge_ideas`), inside the caller's transaction: a merge
/// alone, or each merge of a merge decision.
pub(crate) fn merge_in_tx(tx: &Connection, m: &IdeaMerge) -> StoreResult<Idea> {
    let ws = m.workspace_id;
    let from = idea_in_tx(tx, ws, m.from_idea_id)?;
    let into = idea_in_tx(tx, ws, m.into_idea_id)?;
    if from.id == into.id || from.status == IdeaStatus::Merged || into.status == IdeaStatus::Merged
    {
        return Err(StoreError::VersionConflict);
    }
    let moving = db::all(
        tx,
        &format!("SELECT {EVIDENCE_COLS_E} FROM evidence e WHERE e.idea_id = ?"),
        params![from.id.0],
        evidence,
    )?;
    for e in &moving {
        let kept: Option<(Uuid, String)> = db::opt(
            tx,
            "SELECT id, importance FROM evidence WHERE idea_id = ? AND feedback_id = ?",
            params![into.id.0, e.feedback_id.0],
            |r| Ok((get(r, "id")?, get(r, "importance")?)),
        )?;
        match kept {
            Some((kept_id, importance)) => {
                let current = Importance::parse(&importance).unwrap_or(e.importance);
                db::exec(
                    tx,
                    "UPDATE evidence SET importance = ? WHERE id = ?",
                    params![max_importance(current, e.importance).as_str(), kept_id],
                )?;
                db::exec(tx, "DELETE FROM evidence WHERE id = ?", params![e.id.0])?;
                db::exec(
                    tx,
                    "UPDATE feedback SET evidence_count = evidence_count - 1 WHERE id = ?",
                    params![e.feedback_id.0],
                )?;
            }
            None => {
                db::exec(
                    tx,
                    "UPDATE evidence SET idea_id = ? WHERE id = ?",
                    params![into.id.0, e.id.0],
                )?;
            }
        }
    }
    db::exec(
        tx,
        "UPDATE ideas SET evidence_count = (SELECT COUNT(*) FROM evidence WHERE idea_id = ideas.id), \
         updated_at = ?, version = version + 1 WHERE id = ?",
        params![us(m.at), into.id.0],
    )?;
    db::exec(
        tx,
        "UPDATE ideas SET status = 'merged', merged_into = ?, evidence_count = 0, \
         vote_count = 0, updated_at = ?, version = version + 1 WHERE id = ?",
        params![into.id.0, us(m.at), from.id.0],
    )?;
    db::exec(
        tx,
        "INSERT INTO idea_merges (id, workspace_id, from_idea_id, into_idea_id, actor_id, \
         reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        params![
            m.id,
            ws.0,
            from.id.0,
            into.id.0,
            m.actor_id.map(|a| a.0),
            &m.reason,
            us(m.at)
        ],
    )?;
    record_change(
        tx,
        &from,
        m.actor_id,
        m.at,
        "status",
        from.status.as_str(),
        "merged",
    )?;
    record_change(
        tx,
        &into,
        m.actor_id,
        m.at,
        "merged_from",
        "",
        &from.reference,
    )?;
    unindex_doc(tx, from.id.0)?;
    // Votes, subscribers and comments follow the evidence; the counts are recounted.
    crate::portal::merge_portal(tx, &from, &into)?;
    idea_in_tx(tx, ws, into.id)
}

fn push_feedback_filter(q: &mut Sql, ws: WorkspaceId, f: &FeedbackFilter) {
    q.push(" WHERE f.workspace_id = ").push_bind(ws.0);
    match f.product {
        Some(Some(p)) => {
            q.push(" AND f.product_id = ").push_bind(p.0);
        }
        Some(None) => {
            q.push(" AND f.product_id IS NULL");
        }
        None => {}
    }
    if let Some(s) = f.source {
        q.push(" AND f.source = ").push_bind(s.as_str());
    }
    if let Some(o) = f.origin {
        q.push(" AND f.origin = ").push_bind(o.as_str());
    }
    if let Some(c) = f.customer {
        q.push(" AND f.customer_id = ").push_bind(c.0);
    }
    if let Some(s) = &f.segment {
        q.push(" AND f.customer_id IN (SELECT id FROM customers WHERE workspace_id = ")
            .push_bind(ws.0)
            .push(" AND segment = ")
            .push_bind(s.clone())
            .push(")");
    }
    if let Some(t) = &f.tag {
        q.push(" AND f.id IN (SELECT feedback_id FROM feedback_tags WHERE workspace_id = ")
            .push_bind(ws.0)
            .push(" AND tag = ")
            .push_bind(t.clone())
            .push(")");
    }
    if let Some(a) = f.assignee {
        q.push(" AND f.assignee_id = ").push_bind(a.0);
    }
    if let Some(t) = f.observed_from {
        q.push(" AND f.observed_at >= ").push_bind(us(t));
    }
    if let Some(t) = f.observed_before {
        q.push(" AND f.observed_at < ").push_bind(us(t));
    }
    match f.has_evidence {
        Some(true) => {
            q.push(" AND f.evidence_count > 0");
        }
        Some(false) => {
            q.push(" AND f.evidence_count = 0");
        }
        None => {}
    }
}

fn max_importance(a: Importance, b: Importance) -> Importance {
    if a.weight() >= b.weight() {
        a
    } else {
        b
    }
}

#[async_trait]
impl DiscoveryStore for SqliteStore {
    async fn list_customers(
        &self,
        ws: WorkspaceId,
        page: &PageRequest,
    ) -> StoreResult<Page<Customer>> {
        let after = page
            .after
            .as_ref()
            .map(|c| c.0.to_lowercase())
            .unwrap_or_default();
        let limit = page.fetch_limit();
        let items = self
            .read(move |c| {
                db::all(
                    c,
                    &format!(
                        "SELECT {CUSTOMER_COLS}, name_key FROM customers WHERE workspace_id = ? AND name_key > ? \
                         ORDER BY name_key LIMIT ?"
                    ),
                    params![ws.0, after, limit],
                    customer,
                )
            })
            .await?;
        Ok(Page::from_rows(items, page, |c| c.name.to_lowercase()))
    }

    async fn find_customers(
        &self,
        ws: WorkspaceId,
        prefix: &str,
        limit: i64,
    ) -> StoreResult<Vec<Customer>> {
        // A range on the (workspace_id, name_key) index: SQLite compares text bytewise, so the
        // names starting with the prefix are exactly those between it and it + U+10FFFF.
        let low = prefix.to_lowercase();
        let high = format!("{low}\u{10FFFF}");
        self.read_now(move |c| {
            db::all(
                c,
                &format!(
                    "SELECT {CUSTOMER_COLS} FROM customers WHERE workspace_id = ? \
                     AND name_key >= ? AND name_key < ? ORDER BY name_key LIMIT ?"
                ),
                params![ws.0, low, high, limit],
                customer,
            )
        })
        .await
    }

    async fn get_customer(&self, ws: WorkspaceId, id: CustomerId) -> StoreResult<Customer> {
        self.read_now(move |c| {
            db::one(
                c,
                &format!("SELECT {CUSTOMER_COLS} FROM customers WHERE id = ? AND workspace_id = ?"),
                params![id.0, ws.0],
                customer,
            )
        })
        .await
    }

    async fn update_customer(
        &self,
        ws: WorkspaceId,
        id: CustomerId,
        expected_version: i64,
        p: CustomerPatch,
    ) -> StoreResult<Customer> {
        self.write(move |tx| {
            let c = db::one(
                tx,
                &format!("SELECT {CUSTOMER_COLS} FROM customers WHERE id = ? AND workspace_id = ?"),
                params![id.0, ws.0],
                customer,
            )?;
            if c.version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            let c_name_before = c.name.clone();
            let name = p.name.unwrap_or(c.name);
            db::exec(
                tx,
                "UPDATE customers SET name = ?, name_key = ?, kind = ?, segment = ?, weight = ?, \
                 updated_at = ?, version = version + 1 WHERE id = ?",
                params![
                    &name,
                    name.to_lowercase(),
                    p.kind.unwrap_or(c.kind).as_str(),
                    p.segment.unwrap_or(c.segment),
                    p.weight.unwrap_or(c.weight),
                    us(p.now.unwrap_or(c.updated_at)),
                    id.0
                ],
            )?;
            let c = db::one(
                tx,
                &format!("SELECT {CUSTOMER_COLS} FROM customers WHERE id = ?"),
                params![id.0],
                customer,
            )?;
            if name != c_name_before {
                // The name is part of the search text of the customer's feedback.
                let ids: Vec<Uuid> = db::all(
                    tx,
                    "SELECT id FROM feedback WHERE customer_id = ?",
                    params![id.0],
                    |r| get(r, "id"),
                )?;
                for fid in ids {
                    let f = feedback_in_tx(tx, ws, FeedbackId(fid))?;
                    reindex_feedback(tx, &f)?;
                }
            }
            Ok(c)
        })
        .await
    }

    async fn create_feedback(&self, n: NewFeedback) -> StoreResult<Feedback> {
        self.write(move |c| {
            let (f, _) = upsert_feedback(c, &n)?;
            Ok(f)
        })
        .await
    }

    async fn create_feedback_audited(
        &self,
        n: NewFeedback,
        mut audit: AuditEvent,
    ) -> StoreResult<Feedback> {
        self.write(move |c| {
            let (f, _) = upsert_feedback(c, &n)?;
            audit.target_id = Some(f.id.to_string());
            crate::store::insert_audit(c, &audit)?;
            Ok(f)
        })
        .await
    }

    async fn import_feedback(&self, items: Vec<NewFeedback>) -> StoreResult<ImportCounts> {
        crate::import::import_feedback_all(self, items).await
    }

    async fn import_feedback_feed(&self, feed: FeedbackFeed) -> StoreResult<ImportCounts> {
        crate::import::import_feedback_feed(self, feed).await
    }

    async fn get_feedback(&self, ws: WorkspaceId, id: FeedbackId) -> StoreResult<Feedback> {
        self.read_now(move |c| {
            db::one(
                c,
                &format!("{FEEDBACK_SELECT} WHERE f.id = ? AND f.workspace_id = ?"),
                params![id.0, ws.0],
                feedback,
            )
        })
        .await
    }

    async fn list_feedback(
        &self,
        ws: WorkspaceId,
        filter: &FeedbackFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Feedback>> {
        let Ok(after) = id_cursor(page) else {
            return Ok(Page::from_rows(Vec::new(), page, |_: &Feedback| {
                String::new()
            }));
        };
        let mut q = Sql::new(FEEDBACK_SELECT);
        push_feedback_filter(&mut q, ws, filter);
        if let Some(s) = filter.state {
            q.push(" AND f.state = ").push_bind(s.as_str());
        }
        if let Some(a) = after {
            q.push(" AND f.id < ").push_bind(a);
        }
        q.push(" ORDER BY f.id DESC LIMIT ")
            .push_bind(page.fetch_limit());
        // The common inbox views (product, source, state) walk an index in order and stop at
        // the page; other filters may read many items, off the async threads.
        // One closure for both ways: two copies of the row mapping compiled apart made the
        // inbox 15 % slower than one.
        let items = self
            .read_now_if(filter.counted_sources().is_some(), move |c| {
                q.all(c, feedback)
            })
            .await?;
        Ok(Page::from_rows(items, page, |f| f.id.to_string()))
    }

    async fn count_feedback(
        &self,
        ws: WorkspaceId,
        filter: &FeedbackFilter,
    ) -> StoreResult<FeedbackCounts> {
        let q = match filter.counted_sources() {
            // Kept by triggers (migration 0005): a few rows instead of every matching item.
            Some(sources) => {
                let mut q =
                    Sql::new("SELECT state, SUM(n) AS n FROM inbox_counts WHERE workspace_id = ");
                q.push_bind(ws.0);
                if let Some(p) = filter.product {
                    q.push(" AND product_id = ")
                        .push_bind(p.map_or(Uuid::nil(), |p| p.0));
                }
                if sources.len() < SourceKind::ALL.len() {
                    q.push(" AND source IN (")
                        .push_list(sources.iter().map(|s| s.as_str()))
                        .push(")");
                }
                q.push(" GROUP BY state");
                q
            }
            None => {
                let mut q = Sql::new("SELECT f.state, COUNT(*) AS n FROM feedback f");
                push_feedback_filter(&mut q, ws, filter);
                q.push(" GROUP BY f.state");
                q
            }
        };
        // A few rows of the kept counts, or every matching item (off the async threads).
        let rows = self
            .read_now_if(filter.counted_sources().is_some(), move |c| {
                q.all(c, |r| Ok((get::<i64>(r, "n")?, get::<String>(r, "state")?)))
            })
            .await?;
        let mut c = FeedbackCounts::default();
        for (n, state) in &rows {
            let n = *n;
            match FeedbackState::parse(state) {
                Some(FeedbackState::New) => c.new = n,
                Some(FeedbackState::Processed) => c.processed = n,
                Some(FeedbackState::Archived) => c.archived = n,
                None => {}
            }
        }
        Ok(c)
    }

    async fn update_feedback(
        &self,
        ws: WorkspaceId,
        id: FeedbackId,
        expected_version: i64,
        p: FeedbackPatch,
    ) -> StoreResult<Feedback> {
        self.write(move |tx| {
            let f = feedback_in_tx(tx, ws, id)?;
            if f.version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            let now = p.now.unwrap_or(f.updated_at);
            let product = p.product_id.unwrap_or(f.product_id);
            if let Some(pid) = product {
                check_product(tx, ws, pid)?;
            }
            if let Some(a) = p.assignee_id.flatten() {
                check_member(tx, ws, Some(a))?;
            }
            let customer = match p.customer {
                Some(Some(c)) => Some(customer_id_for(tx, ws, &c, now)?),
                Some(None) => None,
                None => f.customer_id,
            };
            let source = p.source.unwrap_or(f.source);
            db::exec(
                tx,
                "UPDATE feedback SET product_id = ?, text = ?, source = ?, origin = ?, customer_id = ?, \
                 contact = ?, observed_at = ?, state = ?, assignee_id = ?, updated_at = ?, \
                 version = version + 1 WHERE id = ?",
                params![
                    product.map(|p| p.0),
                    p.text.as_ref().unwrap_or(&f.text),
                    source.as_str(),
                    source.origin().as_str(),
                    customer.map(|c| c.0),
                    p.contact.unwrap_or(f.contact),
                    us(p.observed_at.unwrap_or(f.observed_at)),
                    p.state.unwrap_or(f.state).as_str(),
                    p.assignee_id.unwrap_or(f.assignee_id).map(|a| a.0),
                    us(now),
                    id.0
                ],
            )?;
            if let Some(tags) = &p.tags {
                set_feedback_tags(tx, ws, id, tags)?;
            }
            let f = feedback_in_tx(tx, ws, id)?;
            reindex_feedback(tx, &f)?;
            Ok(f)
        })
        .await
    }

    async fn bulk_update_feedback(
        &self,
        ws: WorkspaceId,
        ids: &[FeedbackId],
        change: FeedbackBulk,
    ) -> StoreResult<u64> {
        let ids = ids.to_vec();
        self.write_alone(move |tx| {
            if let Some(Some(p)) = change.product_id {
                check_product(tx, ws, p)?;
            }
            if let Some(Some(a)) = change.assignee_id {
                check_member(tx, ws, Some(a))?;
            }
            let now = change.now.unwrap_or_else(now);
            let mut changed = 0;
            for id in &ids {
                let f = feedback_in_tx(tx, ws, *id)?;
                let product = change.product_id.unwrap_or(f.product_id);
                db::exec(
                    tx,
                    "UPDATE feedback SET state = ?, assignee_id = ?, product_id = ?, updated_at = ?, \
                     version = version + 1 WHERE id = ?",
                    params![
                        change.state.unwrap_or(f.state).as_str(),
                        change.assignee_id.unwrap_or(f.assignee_id).map(|a| a.0),
                        product.map(|p| p.0),
                        us(now),
                        id.0
                    ],
                )?;
                if product != f.product_id {
                    db::exec(
                        tx,
                        "UPDATE search_docs SET product_id = ? WHERE entity_id = ?",
                        params![product.map(|p| p.0), id.0],
                    )?;
                }
                changed += 1;
            }
            Ok(changed)
        })
        .await
    }

    async fn delete_feedback(
        &self,
        ws: WorkspaceId,
        id: FeedbackId,
        expected_version: i64,
    ) -> StoreResult<()> {
        self.write(move |tx| {
            let f = feedback_in_tx(tx, ws, id)?;
            if f.version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            db::exec(
                tx,
                "UPDATE ideas SET evidence_count = evidence_count - 1 \
                 WHERE id IN (SELECT idea_id FROM evidence WHERE feedback_id = ?)",
                params![id.0],
            )?;
            db::exec(
                tx,
                "DELETE FROM evidence WHERE feedback_id = ?",
                params![id.0],
            )?;
            db::exec(tx, "DELETE FROM feedback WHERE id = ?", params![id.0])?;
            unindex_doc(tx, id.0)
        })
        .await
    }

    async fn create_idea(&self, n: NewIdea) -> StoreResult<Idea> {
        self.write(move |c| {
            let (idea, _) = insert_idea(c, &n)?;
            Ok(idea)
        })
        .await
    }

    async fn import_ideas(&self, items: Vec<NewIdea>) -> StoreResult<ImportCounts> {
        self.write_alone(move |c| {
            let mut counts = ImportCounts::default();
            for n in &items {
                if insert_idea(c, n)?.1 {
                    counts.created += 1;
                } else {
                    counts.updated += 1;
                }
            }
            Ok(counts)
        })
        .await
    }

    async fn get_idea(&self, ws: WorkspaceId, id: IdeaId) -> StoreResult<Idea> {
        self.read_now(move |c| {
            let i = db::one(
                c,
                &format!("{IDEA_SELECT} WHERE i.id = ? AND i.workspace_id = ?"),
                params![id.0, ws.0],
                idea,
            )?;
            let mut v = with_figures(c, vec![i])?;
            v.pop().ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn get_idea_by_number(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        number: i64,
    ) -> StoreResult<Idea> {
        self.read_now(move |c| {
            let i = db::one(
                c,
                &format!(
                    "{IDEA_SELECT} WHERE i.product_id = ? AND i.number = ? AND i.workspace_id = ?"
                ),
                params![product.0, number, ws.0],
                idea,
            )?;
            let mut v = with_figures(c, vec![i])?;
            v.pop().ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn list_ideas(
        &self,
        ws: WorkspaceId,
        filter: &IdeaFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Idea>> {
        let Ok(after) = id_cursor(page) else {
            return Ok(Page::from_rows(Vec::new(), page, |_: &Idea| String::new()));
        };
        let mut q = Sql::new(IDEA_SELECT);
        q.push(" WHERE i.workspace_id = ").push_bind(ws.0);
        if let Some(p) = filter.product {
            q.push(" AND i.product_id = ").push_bind(p.0);
        }
        match filter.status {
            Some(s) => {
                q.push(" AND i.status = ").push_bind(s.as_str());
            }
            None if !filter.include_merged => {
                q.push(" AND i.status <> 'merged'");
            }
            None => {}
        }
        if let Some(t) = &filter.tag {
            q.push(" AND i.id IN (SELECT idea_id FROM idea_tags WHERE workspace_id = ")
                .push_bind(ws.0)
                .push(" AND tag = ")
                .push_bind(t.clone())
                .push(")");
        }
        if let Some(k) = filter.kind {
            q.push(" AND i.kind = ").push_bind(k.as_str());
        }
        if let Some(o) = filter.owner {
            q.push(" AND i.owner_id = ").push_bind(o.0);
        }
        if let Some(a) = after {
            q.push(" AND i.id < ").push_bind(a);
        }
        q.push(" ORDER BY i.id DESC LIMIT ")
            .push_bind(page.fetch_limit());
        let page = page.clone();
        self.read(move |c| {
            let items = q.all(c, idea)?;
            let page_items = Page::from_rows(items, &page, |i| i.id.to_string());
            let items = with_figures(c, page_items.items)?;
            Ok(Page {
                items,
                next_cursor: page_items.next_cursor,
            })
        })
        .await
    }

    async fn list_idea_owners(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<Vec<IdeaOwner>> {
        self.read_now(move |c| {
            // One row per owner in the counts the triggers keep, with the owner's name
            // (migrations 0011, 0014): one range of `idea_owner_counts_names`, in order.
            db::all(
                c,
                "SELECT owner_id, name FROM idea_owner_counts WHERE product_id = ?1 \
                 AND EXISTS (SELECT 1 FROM products WHERE id = ?1 AND workspace_id = ?2) \
                 ORDER BY name, email, owner_id",
                params![product.0, ws.0],
                |r| {
                    Ok(IdeaOwner {
                        id: MemberId(r.get(0).map_err(db::map_err)?),
                        name: r.get(1).map_err(db::map_err)?,
                    })
                },
            )
        })
        .await
    }

    async fn update_idea(
        &self,
        ws: WorkspaceId,
        id: IdeaId,
        expected_version: i64,
        p: IdeaPatch,
    ) -> StoreResult<Idea> {
        self.write(move |tx| {
            let old = idea_in_tx(tx, ws, id)?;
            if old.version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            if let Some(Some(o)) = p.owner_id {
                check_member(tx, ws, Some(o))?;
            }
            let now = p.now.unwrap_or(old.updated_at);
            let new_owner = p.owner_id.unwrap_or(old.owner_id);
            let kind = p.kind.unwrap_or(old.kind);
            let bug = p.bug.as_ref().unwrap_or(&old.bug);
            db::exec(
                tx,
                "UPDATE ideas SET kind = ?, bug_steps = ?, bug_expected = ?, bug_actual = ?, \
                 bug_environment = ?, bug_severity = ?, title = ?, as_a = ?, i_want = ?, \
                 so_that = ?, description = ?, status = ?, owner_id = ?, updated_at = ?, \
                 version = version + 1 WHERE id = ?",
                params![
                    kind.as_str(),
                    &bug.steps,
                    &bug.expected,
                    &bug.actual,
                    &bug.environment,
                    bug.severity.map(Severity::as_str),
                    p.title.as_ref().unwrap_or(&old.title),
                    p.as_a.as_ref().unwrap_or(&old.as_a),
                    p.i_want.as_ref().unwrap_or(&old.i_want),
                    p.so_that.as_ref().unwrap_or(&old.so_that),
                    p.description.as_ref().unwrap_or(&old.description),
                    p.status.unwrap_or(old.status).as_str(),
                    new_owner.map(|o| o.0),
                    us(now),
                    id.0
                ],
            )?;
            if let Some(tags) = &p.tags {
                set_idea_tags(tx, ws, id, tags)?;
            }
            let fields: [(&str, Option<&String>, &String); 5] = [
                ("title", p.title.as_ref(), &old.title),
                ("as_a", p.as_a.as_ref(), &old.as_a),
                ("i_want", p.i_want.as_ref(), &old.i_want),
                ("so_that", p.so_that.as_ref(), &old.so_that),
                ("description", p.description.as_ref(), &old.description),
            ];
            for (field, new, old_v) in fields {
                if let Some(new) = new.filter(|n| *n != old_v) {
                    record_change(tx, &old, p.actor, now, field, old_v, new)?;
                }
            }
            for (field, old_v, new) in bug_changes(&old, p.kind, p.bug.as_ref()) {
                record_change(tx, &old, p.actor, now, field, &old_v, &new)?;
            }
            if let Some(s) = p.status.filter(|s| *s != old.status) {
                record_change(
                    tx,
                    &old,
                    p.actor,
                    now,
                    "status",
                    old.status.as_str(),
                    s.as_str(),
                )?;
            }
            if new_owner != old.owner_id {
                let show = |o: Option<MemberId>| o.map(|o| o.to_string()).unwrap_or_default();
                record_change(
                    tx,
                    &old,
                    p.actor,
                    now,
                    "owner",
                    &show(old.owner_id),
                    &show(new_owner),
                )?;
            }
            if let Some(tags) = p.tags.as_ref().filter(|t| **t != old.tags) {
                record_change(
                    tx,
                    &old,
                    p.actor,
                    now,
                    "tags",
                    &old.tags.join(", "),
                    &tags.join(", "),
                )?;
            }
            let idea = idea_in_tx(tx, ws, id)?;
            reindex_idea(tx, &idea)?;
            Ok(idea)
        })
        .await
    }

    async fn list_idea_changes(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<IdeaChange>> {
        self.read(move |c| {
            db::all(
                c,
                "SELECT id, workspace_id, idea_id, at, actor_id, field, old_value, new_value \
                 FROM idea_changes WHERE idea_id = ? AND workspace_id = ? ORDER BY id",
                params![idea.0, ws.0],
                idea_change,
            )
        })
        .await
    }

    async fn merge_ideas(&self, m: IdeaMerge) -> StoreResult<Idea> {
        self.write(move |tx| merge_in_tx(tx, &m)).await
    }

    async fn list_merges_into(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<Vec<IdeaMerge>> {
        self.read(move |c| {
            db::all(
                c,
                "SELECT id, workspace_id, from_idea_id, into_idea_id, actor_id, reason, at \
                 FROM idea_merges WHERE into_idea_id = ? AND workspace_id = ? ORDER BY id",
                params![idea.0, ws.0],
                merge,
            )
        })
        .await
    }

    async fn add_evidence(&self, e: NewEvidence) -> StoreResult<Evidence> {
        self.write(move |c| insert_evidence(c, &e)).await
    }

    async fn import_evidence(&self, items: Vec<NewEvidence>) -> StoreResult<u64> {
        self.write_alone(move |c| crate::import::import_evidence(c, &items))
            .await
    }

    async fn remove_evidence(&self, ws: WorkspaceId, id: EvidenceId) -> StoreResult<()> {
        self.write(move |tx| {
            let row: Option<(Uuid, Uuid)> = db::opt(
                tx,
                "DELETE FROM evidence WHERE id = ? AND workspace_id = ? RETURNING idea_id, feedback_id",
                params![id.0, ws.0],
                |r| Ok((get(r, "idea_id")?, get(r, "feedback_id")?)),
            )?;
            let (idea_id, feedback_id) = row.ok_or(StoreError::NotFound)?;
            db::exec(
                tx,
                "UPDATE ideas SET evidence_count = evidence_count - 1 WHERE id = ?",
                params![idea_id],
            )?;
            db::exec(
                tx,
                "UPDATE feedback SET evidence_count = evidence_count - 1 WHERE id = ?",
                params![feedback_id],
            )?;
            Ok(())
        })
        .await
    }

    async fn list_idea_evidence(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<EvidenceOnIdea>> {
        let sql = format!(
            "{}, {EVIDENCE_COLS_E} {} JOIN evidence e ON e.feedback_id = f.id \
             WHERE e.idea_id = ? AND e.workspace_id = ? \
             ORDER BY CASE e.importance WHEN 'critical' THEN 0 WHEN 'important' THEN 1 ELSE 2 END, \
             e.id DESC",
            FEEDBACK_SELECT
                .split(" FROM feedback f")
                .next()
                .unwrap_or(FEEDBACK_SELECT),
            "FROM feedback f LEFT JOIN customers c ON c.id = f.customer_id"
        );
        self.read(move |c| {
            db::all(c, &sql, params![idea.0, ws.0], |r| {
                Ok(EvidenceOnIdea {
                    evidence: evidence(r)?,
                    feedback: feedback(r)?,
                })
            })
        })
        .await
    }

    async fn list_feedback_ideas(
        &self,
        ws: WorkspaceId,
        feedback_id: FeedbackId,
    ) -> StoreResult<Vec<EvidenceOnFeedback>> {
        let sql = format!(
            "{}, {EVIDENCE_COLS_E} FROM ideas i JOIN products p ON p.id = i.product_id \
             JOIN evidence e ON e.idea_id = i.id WHERE e.feedback_id = ? AND e.workspace_id = ? \
             ORDER BY e.id",
            IDEA_SELECT
                .split(" FROM ideas i")
                .next()
                .unwrap_or(IDEA_SELECT)
        );
        self.read(move |c| {
            let out = db::all(c, &sql, params![feedback_id.0, ws.0], |r| {
                Ok((evidence(r)?, idea(r)?))
            })?;
            let ideas = with_figures(c, out.iter().map(|(_, i)| i.clone()).collect())?;
            Ok(out
                .into_iter()
                .zip(ideas)
                .map(|((evidence, _), idea)| EvidenceOnFeedback { evidence, idea })
                .collect())
        })
        .await
    }

    async fn search(&self, ws: WorkspaceId, query: &SearchQuery) -> StoreResult<Vec<SearchHit>> {
        let expr = fts_match(&query.terms, " AND ");
        if expr.is_empty() {
            return Ok(Vec::new());
        }
        // Only ideas: their own index, a tenth of the documents (see migration 0005).
        let ideas_only = query.kinds == [SearchKind::Idea];
        let (fts, mut expr) = if ideas_only {
            ("idea_fts", format!("terms : ({expr})"))
        } else {
            ("search_fts", expr)
        };
        if let (true, Some(p)) = (ideas_only, query.product) {
            expr = format!("scope : {} AND {expr}", idea_scope(p));
        }
        // bm25 costs about 2 µs per matching document: ranking every match of a common word
        // among a million items took 150 ms. So the newest matches (the index's rowids follow
        // creation) are ranked, at most SEARCH_WINDOW of them, and the best of those returned.
        let mut q = Sql::new(format!(
            "SELECT kind, entity_id, product_id, rank FROM (\
             SELECT d.kind, d.entity_id, d.product_id, bm25({fts}) AS rank \
             FROM {fts} JOIN search_docs d ON d.doc = {fts}.rowid WHERE {fts} MATCH "
        ));
        q.push_bind(expr)
            .push(" AND d.workspace_id = ")
            .push_bind(ws.0);
        if let Some(p) = query.product {
            q.push(" AND d.product_id = ").push_bind(p.0);
        }
        if !query.kinds.is_empty() && !ideas_only {
            q.push(" AND d.kind IN (");
            q.push_list(query.kinds.iter().map(|k| k.as_str()));
            q.push(")");
        }
        q.push(format!(" ORDER BY {fts}.rowid DESC LIMIT {SEARCH_WINDOW})"));
        q.push(" ORDER BY rank LIMIT ")
            .push_bind(i64::from(query.limit.clamp(1, 100)));
        self.read(move |c| {
            let rows = q.all(c, |r| {
                Ok((
                    parse(&get::<String>(r, "kind")?, SearchKind::parse, "kind")?,
                    get::<Uuid>(r, "entity_id")?,
                    get::<f64>(r, "rank")?,
                    get::<Option<Uuid>>(r, "product_id")?.map(ProductId),
                ))
            })?;
            let mut hits = Vec::with_capacity(rows.len());
            for (kind, id, rank, product_id) in rows {
                let (title, text) = match kind {
                    SearchKind::Feedback => {
                        let row: Option<String> = db::opt(
                            c,
                            "SELECT text FROM feedback WHERE id = ?",
                            params![id],
                            |r| col(r, 0),
                        )?;
                        (String::new(), row.unwrap_or_default())
                    }
                    SearchKind::Idea => {
                        let row: Option<(String, i64, String, String, String)> = db::opt(
                            c,
                            "SELECT p.key, i.number, i.title, i.i_want || ' ' || i.so_that, \
                         i.description FROM ideas i JOIN products p ON p.id = i.product_id \
                         WHERE i.id = ?",
                            params![id],
                            |r| {
                                Ok((
                                    col(r, 0)?,
                                    col(r, 1)?,
                                    col(r, 2)?,
                                    col(r, 3)?,
                                    col(r, 4)?,
                                ))
                            },
                        )?;
                        match row {
                            Some((key, n, title, story, description)) => (
                                format!("{} {title}", idea_reference(&key, n)),
                                format!("{story}\n{description}"),
                            ),
                            None => continue,
                        }
                    }
                    SearchKind::Persona | SearchKind::Competitor | SearchKind::ResearchNote => {
                        // Research records: their name (or title) and the text they are found by.
                        let sql = match kind {
                            SearchKind::Persona => {
                                "SELECT name, description || char(10) || goals || char(10) || \
                             frustrations FROM personas WHERE id = ?"
                            }
                            SearchKind::Competitor => {
                                "SELECT name, strengths || char(10) || weaknesses FROM competitors \
                             WHERE id = ?"
                            }
                            _ => "SELECT title, participant || char(10) || notes FROM research_notes \
                              WHERE id = ?",
                        };
                        let row: Option<(String, String)> =
                            db::opt(c, sql, params![id], |r| Ok((col(r, 0)?, col(r, 1)?)))?;
                        match row {
                            Some(found) => found,
                            None => continue,
                        }
                    }
                };
                hits.push(SearchHit {
                    kind,
                    id,
                    product_id,
                    title,
                    text,
                    score: -rank,
                });
            }
            Ok(hits)
        })
        .await
    }

    async fn similar_idea_candidates(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        terms: &[String],
        exclude: Option<IdeaId>,
        limit: u32,
    ) -> StoreResult<Vec<Idea>> {
        let words: Vec<Vec<String>> = terms.iter().take(64).map(|t| vec![t.clone()]).collect();
        let expr = fts_match(&words, " OR ");
        if expr.is_empty() {
            return Ok(Vec::new());
        }
        // The product's ideas alone: `idea_fts` (migration 0005) narrows by the scope token, so
        // only that product's ideas are matched and ranked, never the million feedback items.
        let mut q = Sql::new(
            "SELECT d.entity_id FROM idea_fts JOIN search_docs d ON d.doc = idea_fts.rowid \
             WHERE idea_fts MATCH ",
        );
        q.push_bind(format!(
            "scope : {} AND terms : ({expr})",
            idea_scope(product)
        ))
        .push(" AND d.workspace_id = ")
        .push_bind(ws.0)
        .push(" AND d.product_id = ")
        .push_bind(product.0)
        .push(" AND d.kind = 'idea'");
        if let Some(x) = exclude {
            q.push(" AND d.entity_id <> ").push_bind(x.0);
        }
        q.push(" ORDER BY bm25(idea_fts, 1.0, 0.0) LIMIT ")
            .push_bind(i64::from(limit.clamp(1, 200)));
        self.read(move |c| {
            let ids: Vec<Uuid> = q.all(c, |r| get(r, "entity_id"))?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let mut q = Sql::new(IDEA_SELECT);
            q.push(" WHERE i.workspace_id = ")
                .push_bind(ws.0)
                .push(" AND i.id IN (");
            q.push_list(ids.iter().copied());
            q.push(")");
            let mut ideas = q.all(c, idea)?;
            // Keep the index's order.
            let order: HashMap<Uuid, usize> =
                ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            ideas.sort_by_key(|i| order.get(&i.id.0).copied().unwrap_or(usize::MAX));
            Ok(ideas)
        })
        .await
    }
}

// --- moving data ------------------------------------------------------------------------------

/// Reads the discovery tables into the dump, inside the dump's read transaction.
pub(crate) fn dump(c: &Connection, d: &mut DiscoveryDump) -> StoreResult<()> {
    d.customers.extend(db::all(
        c,
        &format!("SELECT {CUSTOMER_COLS} FROM customers ORDER BY id"),
        [],
        customer,
    )?);
    d.feedback.extend(db::all(
        c,
        &format!("{FEEDBACK_SELECT} ORDER BY f.id"),
        [],
        feedback,
    )?);
    let ideas = db::all(c, &format!("{IDEA_SELECT} ORDER BY i.id"), [], idea)?;
    for chunk in ideas.chunks(500) {
        d.ideas.extend(with_figures(c, chunk.to_vec())?);
    }
    d.idea_changes.extend(db::all(
        c,
        "SELECT id, workspace_id, idea_id, at, actor_id, field, old_value, new_value \
         FROM idea_changes ORDER BY id",
        [],
        idea_change,
    )?);
    d.evidence.extend(db::all(
        c,
        &format!("SELECT {EVIDENCE_COLS_E} FROM evidence e ORDER BY e.id"),
        [],
        evidence,
    )?);
    d.idea_merges.extend(db::all(
        c,
        "SELECT id, workspace_id, from_idea_id, into_idea_id, actor_id, reason, at \
         FROM idea_merges ORDER BY id",
        [],
        merge,
    )?);
    Ok(())
}

/// Writes the discovery tables of a dump and rebuilds what is derived: the search index and
/// each product's idea counter.
pub(crate) fn load(tx: &Connection, d: &DiscoveryDump) -> StoreResult<()> {
    for c in &d.customers {
        db::exec(
            tx,
            "INSERT INTO customers (id, workspace_id, name, name_key, kind, segment, weight, \
             created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                c.id.0,
                c.workspace_id.0,
                &c.name,
                c.name.to_lowercase(),
                c.kind.as_str(),
                &c.segment,
                c.weight,
                us(c.created_at),
                us(c.updated_at),
                c.version
            ],
        )?;
    }
    for f in &d.feedback {
        db::exec(
            tx,
            "INSERT INTO feedback (id, workspace_id, product_id, text, source, origin, customer_id, \
             contact, author_id, observed_at, state, assignee_id, evidence_count, external_source, \
             external_id, created_at, updated_at, version) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                f.id.0,
                f.workspace_id.0,
                f.product_id.map(|p| p.0),
                &f.text,
                f.source.as_str(),
                f.origin.as_str(),
                f.customer_id.map(|c| c.0),
                &f.contact,
                f.author_id.map(|a| a.0),
                us(f.observed_at),
                f.state.as_str(),
                f.assignee_id.map(|a| a.0),
                f.evidence_count,
                &f.external_source,
                &f.external_id,
                us(f.created_at),
                us(f.updated_at),
                f.version
            ],
        )?;
        set_feedback_tags(tx, f.workspace_id, f.id, &f.tags)?;
        reindex_feedback(tx, f)?;
    }
    // Loaded items keep their states: counted all at once (no insert trigger, migration 0015).
    db::exec(tx, "DELETE FROM inbox_counts", [])?;
    db::exec(
        tx,
        "INSERT INTO inbox_counts (workspace_id, product_id, source, state, n) \
         SELECT workspace_id, coalesce(product_id, zeroblob(16)), source, state, count(*) \
         FROM feedback GROUP BY 1, 2, 3, 4",
        [],
    )?;
    for i in &d.ideas {
        db::exec(
            tx,
            "INSERT INTO ideas (id, workspace_id, product_id, number, kind, title, as_a, i_want, \
             so_that, description, bug_steps, bug_expected, bug_actual, bug_environment, \
             bug_severity, status, owner_id, merged_into, evidence_count, vote_count, \
             external_source, external_id, created_by, created_at, updated_at, version) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                i.id.0,
                i.workspace_id.0,
                i.product_id.0,
                i.number,
                i.kind.as_str(),
                &i.title,
                &i.as_a,
                &i.i_want,
                &i.so_that,
                &i.description,
                &i.bug.steps,
                &i.bug.expected,
                &i.bug.actual,
                &i.bug.environment,
                i.bug.severity.map(Severity::as_str),
                i.status.as_str(),
                i.owner_id.map(|o| o.0),
                // Set below, once the idea it points to exists.
                None::<Uuid>,
                i.evidence_count,
                i.vote_count,
                &i.external_source,
                &i.external_id,
                i.created_by.map(|m| m.0),
                us(i.created_at),
                us(i.updated_at),
                i.version
            ],
        )?;
        set_idea_tags(tx, i.workspace_id, i.id, &i.tags)?;
        reindex_idea(tx, i)?;
    }
    for i in d.ideas.iter().filter(|i| i.merged_into.is_some()) {
        db::exec(
            tx,
            "UPDATE ideas SET merged_into = ? WHERE id = ?",
            params![i.merged_into.map(|m| m.0), i.id.0],
        )?;
    }
    db::exec(
        tx,
        "UPDATE products SET idea_seq = \
         (SELECT COALESCE(MAX(number), 0) FROM ideas WHERE ideas.product_id = products.id)",
        [],
    )?;
    for c in &d.idea_changes {
        db::exec(
            tx,
            "INSERT INTO idea_changes (id, workspace_id, idea_id, at, actor_id, field, old_value, \
             new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                c.id,
                c.workspace_id.0,
                c.idea_id.0,
                us(c.at),
                c.actor_id.map(|a| a.0),
                &c.field,
                &c.old_value,
                &c.new_value
            ],
        )?;
    }
    for e in &d.evidence {
        db::exec(
            tx,
            "INSERT INTO evidence (id, workspace_id, idea_id, feedback_id, excerpt, importance, \
             created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                e.id.0,
                e.workspace_id.0,
                e.idea_id.0,
                e.feedback_id.0,
                &e.excerpt,
                e.importance.as_str(),
                e.created_by.map(|m| m.0),
                us(e.created_at)
            ],
        )?;
    }
    for m in &d.idea_merges {
        db::exec(
            tx,
            "INSERT INTO idea_merges (id, workspace_id, from_idea_id, into_idea_id, actor_id, \
             reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            params![
                m.id,
                m.workspace_id.0,
                m.from_idea_id.0,
                m.into_idea_id.0,
                m.actor_id.map(|a| a.0),
                &m.reason,
                us(m.at)
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::fts_match;

    #[test]
    fn match_expressions_quote_every_term() {
        let terms = vec![
            vec!["export".to_owned(), "exporter".to_owned()],
            vec!["pdf".to_owned()],
        ];
        assert_eq!(
            fts_match(&terms, " AND "),
            "(\"export\" OR \"exporter\") AND (\"pdf\")"
        );
        assert_eq!(
            fts_match(&[vec!["a\"b".to_owned()]], " AND "),
            "(\"a\"\"b\")"
        );
        assert_eq!(fts_match(&[], " AND "), "");
    }
}
