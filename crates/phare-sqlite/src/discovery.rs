//! `impl DiscoveryStore for SqliteStore`: feedback, customers, ideas, evidence, merges and the
//! FTS5 search index. Every write that changes a counted link changes its counter in the same
//! `BEGIN IMMEDIATE` transaction.

use crate::rows::{get, parse, ts, us};
use crate::store::map_err;
use crate::SqliteStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, Transaction};
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) type Tx<'a> = Transaction<'a, Sqlite>;

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
     product_key, i.title, i.as_a, i.i_want, i.so_that, i.description, i.status, i.owner_id, \
     i.merged_into, i.evidence_count, i.vote_count, i.external_source, i.external_id, \
     i.created_by, i.created_at, i.updated_at, i.version, \
     (SELECT group_concat(t.tag, ',') FROM idea_tags t WHERE t.idea_id = i.id) AS tags \
     FROM ideas i JOIN products p ON p.id = i.product_id";

const EVIDENCE_COLS_E: &str = "e.id AS e_id, e.workspace_id AS e_workspace_id, e.idea_id AS \
     e_idea_id, e.feedback_id AS e_feedback_id, e.excerpt AS e_excerpt, e.importance AS \
     e_importance, e.created_by AS e_created_by, e.created_at AS e_created_at";

// --- rows -------------------------------------------------------------------------------------

fn tags(row: &SqliteRow) -> StoreResult<Vec<String>> {
    let joined: Option<String> = get(row, "tags")?;
    let mut v: Vec<String> = joined
        .map(|j| j.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    v.sort();
    Ok(v)
}

fn customer(row: &SqliteRow) -> StoreResult<Customer> {
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

pub(crate) fn feedback(row: &SqliteRow) -> StoreResult<Feedback> {
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
pub(crate) fn idea(row: &SqliteRow) -> StoreResult<Idea> {
    let key: String = get(row, "product_key")?;
    let number: i64 = get(row, "number")?;
    Ok(Idea {
        id: IdeaId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        number,
        reference: idea_reference(&key, number),
        title: get(row, "title")?,
        as_a: get(row, "as_a")?,
        i_want: get(row, "i_want")?,
        so_that: get(row, "so_that")?,
        description: get(row, "description")?,
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

fn evidence(row: &SqliteRow) -> StoreResult<Evidence> {
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

fn idea_change(row: &SqliteRow) -> StoreResult<IdeaChange> {
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

fn merge(row: &SqliteRow) -> StoreResult<IdeaMerge> {
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

// --- helpers inside a transaction ----------------------------------------------------------

/// The FTS5 expression for query terms: `("a1" OR "a2") AND "b"`. Terms are alphanumeric by
/// construction; quoting still makes any stray character a literal.
fn fts_match(terms: &[Vec<String>], joiner: &str) -> String {
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

/// Writes (or rewrites) the index entry of one record.
pub(crate) async fn index_doc(
    tx: &mut Tx<'_>,
    entity: Uuid,
    ws: WorkspaceId,
    product: Option<ProductId>,
    kind: SearchKind,
    terms: &str,
) -> StoreResult<()> {
    let (doc,): (i64,) = sqlx::query_as(
        "INSERT INTO search_docs (entity_id, workspace_id, product_id, kind) VALUES (?, ?, ?, ?) \
         ON CONFLICT (entity_id) DO UPDATE SET product_id = excluded.product_id RETURNING doc",
    )
    .bind(entity)
    .bind(ws.0)
    .bind(product.map(|p| p.0))
    .bind(kind.as_str())
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err)?;
    sqlx::query("DELETE FROM search_fts WHERE rowid = ?")
        .bind(doc)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    sqlx::query("INSERT INTO search_fts (rowid, terms) VALUES (?, ?)")
        .bind(doc)
        .bind(terms)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn unindex_doc(tx: &mut Tx<'_>, entity: Uuid) -> StoreResult<()> {
    let doc: Option<(i64,)> =
        sqlx::query_as("DELETE FROM search_docs WHERE entity_id = ? RETURNING doc")
            .bind(entity)
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?;
    if let Some((doc,)) = doc {
        sqlx::query("DELETE FROM search_fts WHERE rowid = ?")
            .bind(doc)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    Ok(())
}

pub(crate) async fn check_product(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    product: ProductId,
) -> StoreResult<()> {
    sqlx::query("SELECT 1 FROM products WHERE id = ? AND workspace_id = ?")
        .bind(product.0)
        .bind(ws.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

async fn check_member(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    member: Option<MemberId>,
) -> StoreResult<()> {
    if let Some(m) = member {
        sqlx::query("SELECT 1 FROM members WHERE id = ? AND workspace_id = ?")
            .bind(m.0)
            .bind(ws.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
    }
    Ok(())
}

/// The customer of that name in the workspace, created if new.
async fn customer_id_for(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    input: &CustomerInput,
    now: Timestamp,
) -> StoreResult<CustomerId> {
    let key = input.name.to_lowercase();
    let found: Option<(Uuid,)> =
        sqlx::query_as("SELECT id FROM customers WHERE workspace_id = ? AND name_key = ?")
            .bind(ws.0)
            .bind(&key)
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?;
    if let Some((id,)) = found {
        return Ok(CustomerId(id));
    }
    let id = CustomerId::new();
    sqlx::query(
        "INSERT INTO customers (id, workspace_id, name, name_key, kind, segment, weight, \
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.0)
    .bind(ws.0)
    .bind(&input.name)
    .bind(&key)
    .bind(input.kind.as_str())
    .bind(&input.segment)
    .bind(input.weight)
    .bind(us(now))
    .bind(us(now))
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(id)
}

async fn set_feedback_tags(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    id: FeedbackId,
    tags: &[String],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM feedback_tags WHERE feedback_id = ?")
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    for t in tags {
        sqlx::query("INSERT INTO feedback_tags (feedback_id, tag, workspace_id) VALUES (?, ?, ?)")
            .bind(id.0)
            .bind(t)
            .bind(ws.0)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    Ok(())
}

async fn set_idea_tags(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    id: IdeaId,
    tags: &[String],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM idea_tags WHERE idea_id = ?")
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    for t in tags {
        sqlx::query("INSERT INTO idea_tags (idea_id, tag, workspace_id) VALUES (?, ?, ?)")
            .bind(id.0)
            .bind(t)
            .bind(ws.0)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    Ok(())
}

pub(crate) async fn feedback_in_tx(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    id: FeedbackId,
) -> StoreResult<Feedback> {
    let row = sqlx::query(&format!(
        "{FEEDBACK_SELECT} WHERE f.id = ? AND f.workspace_id = ?"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    row.as_ref()
        .map(feedback)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

async fn idea_in_tx(tx: &mut Tx<'_>, ws: WorkspaceId, id: IdeaId) -> StoreResult<Idea> {
    let row = sqlx::query(&format!(
        "{IDEA_SELECT} WHERE i.id = ? AND i.workspace_id = ?"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    let idea = row
        .as_ref()
        .map(idea)
        .transpose()?
        .ok_or(StoreError::NotFound)?;
    let mut v = with_figures(&mut **tx, vec![idea]).await?;
    v.pop().ok_or(StoreError::NotFound)
}

/// Fills `customer_count` and `demand` for a list of ideas with one query over their evidence.
pub(crate) async fn with_figures<'e, E>(exec: E, mut ideas: Vec<Idea>) -> StoreResult<Vec<Idea>>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    if ideas.is_empty() {
        return Ok(ideas);
    }
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT e.idea_id, e.importance, f.customer_id, c.weight FROM evidence e \
         JOIN feedback f ON f.id = e.feedback_id LEFT JOIN customers c ON c.id = f.customer_id \
         WHERE e.idea_id IN (",
    );
    let mut sep = q.separated(", ");
    for i in &ideas {
        sep.push_bind(i.id.0);
    }
    q.push(")");
    let rows = q.build().fetch_all(exec).await.map_err(map_err)?;
    let mut by_idea: HashMap<Uuid, Vec<EvidenceWeight>> = HashMap::new();
    for r in &rows {
        by_idea
            .entry(get(r, "idea_id")?)
            .or_default()
            .push(EvidenceWeight {
                importance: parse(
                    &get::<String>(r, "importance")?,
                    Importance::parse,
                    "importance",
                )?,
                customer: get::<Option<Uuid>>(r, "customer_id")?.map(CustomerId),
                customer_weight: get(r, "weight")?,
            });
    }
    for i in &mut ideas {
        if let Some(rows) = by_idea.get(&i.id.0) {
            (i.customer_count, i.demand) = evidence_figures(rows);
        }
    }
    Ok(ideas)
}

async fn reindex_feedback(tx: &mut Tx<'_>, f: &Feedback) -> StoreResult<()> {
    let terms = feedback_search_text(&f.text, f.customer_name.as_deref(), &f.tags);
    index_doc(
        tx,
        f.id.0,
        f.workspace_id,
        f.product_id,
        SearchKind::Feedback,
        &terms,
    )
    .await
}

async fn reindex_idea(tx: &mut Tx<'_>, i: &Idea) -> StoreResult<()> {
    if i.status == IdeaStatus::Merged {
        // A merged idea only redirects; search shows the idea that absorbed it.
        return unindex_doc(tx, i.id.0).await;
    }
    let text = IdeaText {
        title: i.title.clone(),
        as_a: i.as_a.clone(),
        i_want: i.i_want.clone(),
        so_that: i.so_that.clone(),
        description: i.description.clone(),
    };
    let terms = idea_search_text(&i.reference, &text, &i.tags);
    index_doc(
        tx,
        i.id.0,
        i.workspace_id,
        Some(i.product_id),
        SearchKind::Idea,
        &terms,
    )
    .await
}

/// Creates or (for a known external pair) updates one feedback item; true when created.
pub(crate) async fn upsert_feedback(
    tx: &mut Tx<'_>,
    n: &NewFeedback,
) -> StoreResult<(Feedback, bool)> {
    if let Some(p) = n.product_id {
        check_product(tx, n.workspace_id, p).await?;
    }
    let customer = match &n.customer {
        Some(c) => Some(customer_id_for(tx, n.workspace_id, c, n.now).await?),
        None => None,
    };
    let existing: Option<(Uuid,)> = match &n.external {
        Some((src, ext)) => sqlx::query_as(
            "SELECT id FROM feedback WHERE workspace_id = ? AND external_source = ? AND external_id = ?",
        )
        .bind(n.workspace_id.0)
        .bind(src)
        .bind(ext)
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)?,
        None => None,
    };
    let (id, created) = match existing {
        Some((id,)) => {
            sqlx::query(
                "UPDATE feedback SET text = ?, source = ?, origin = ?, customer_id = ?, contact = ?, \
                 observed_at = ?, product_id = COALESCE(?, product_id), updated_at = ?, \
                 version = version + 1 WHERE id = ?",
            )
            .bind(&n.text)
            .bind(n.source.as_str())
            .bind(n.source.origin().as_str())
            .bind(customer.map(|c| c.0))
            .bind(&n.contact)
            .bind(us(n.observed_at))
            .bind(n.product_id.map(|p| p.0))
            .bind(us(n.now))
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
            (FeedbackId(id), false)
        }
        None => {
            sqlx::query(
                "INSERT INTO feedback (id, workspace_id, product_id, text, source, origin, \
                 customer_id, contact, author_id, observed_at, state, external_source, \
                 external_id, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?)",
            )
            .bind(n.id.0)
            .bind(n.workspace_id.0)
            .bind(n.product_id.map(|p| p.0))
            .bind(&n.text)
            .bind(n.source.as_str())
            .bind(n.source.origin().as_str())
            .bind(customer.map(|c| c.0))
            .bind(&n.contact)
            .bind(n.author_id.map(|a| a.0))
            .bind(us(n.observed_at))
            .bind(n.external.as_ref().map(|e| &e.0))
            .bind(n.external.as_ref().map(|e| &e.1))
            .bind(us(n.now))
            .bind(us(n.now))
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
            (n.id, true)
        }
    };
    set_feedback_tags(tx, n.workspace_id, id, &n.tags).await?;
    let f = feedback_in_tx(tx, n.workspace_id, id).await?;
    reindex_feedback(tx, &f).await?;
    Ok((f, created))
}

pub(crate) async fn insert_evidence(tx: &mut Tx<'_>, e: &NewEvidence) -> StoreResult<Evidence> {
    let fb = feedback_in_tx(tx, e.workspace_id, e.feedback_id).await?;
    let (status,): (String,) =
        sqlx::query_as("SELECT status FROM ideas WHERE id = ? AND workspace_id = ?")
            .bind(e.idea_id.0)
            .bind(e.workspace_id.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
    // A merged idea only redirects: evidence belongs on the idea that absorbed it.
    if status == IdeaStatus::Merged.as_str() {
        return Err(StoreError::VersionConflict);
    }
    sqlx::query(
        "INSERT INTO evidence (id, workspace_id, idea_id, feedback_id, excerpt, importance, \
         created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(e.id.0)
    .bind(e.workspace_id.0)
    .bind(e.idea_id.0)
    .bind(e.feedback_id.0)
    .bind(&e.excerpt)
    .bind(e.importance.as_str())
    .bind(e.created_by.map(|m| m.0))
    .bind(us(e.now))
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    sqlx::query("UPDATE ideas SET evidence_count = evidence_count + 1 WHERE id = ?")
        .bind(e.idea_id.0)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    // Linking a new item is triaging it.
    let state = if fb.state == FeedbackState::New {
        FeedbackState::Processed
    } else {
        fb.state
    };
    sqlx::query(
        "UPDATE feedback SET evidence_count = evidence_count + 1, state = ?, \
         version = version + (state <> ?) WHERE id = ?",
    )
    .bind(state.as_str())
    .bind(state.as_str())
    .bind(e.feedback_id.0)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
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

pub(crate) async fn insert_idea(tx: &mut Tx<'_>, n: &NewIdea) -> StoreResult<(Idea, bool)> {
    check_product(tx, n.workspace_id, n.product_id).await?;
    check_member(tx, n.workspace_id, n.owner_id).await?;
    let existing: Option<(Uuid, i64)> = match &n.external {
        Some((src, ext)) => sqlx::query_as(
            "SELECT id, version FROM ideas WHERE workspace_id = ? AND external_source = ? AND external_id = ?",
        )
        .bind(n.workspace_id.0)
        .bind(src)
        .bind(ext)
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)?,
        None => None,
    };
    if let Some((id, _)) = existing {
        // Re-import: refresh the text and tags; status and links belong to the team now.
        sqlx::query(
            "UPDATE ideas SET title = ?, as_a = ?, i_want = ?, so_that = ?, description = ?, \
             updated_at = ?, version = version + 1 WHERE id = ?",
        )
        .bind(&n.text.title)
        .bind(&n.text.as_a)
        .bind(&n.text.i_want)
        .bind(&n.text.so_that)
        .bind(&n.text.description)
        .bind(us(n.now))
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
        set_idea_tags(tx, n.workspace_id, IdeaId(id), &n.tags).await?;
        let idea = idea_in_tx(tx, n.workspace_id, IdeaId(id)).await?;
        reindex_idea(tx, &idea).await?;
        return Ok((idea, false));
    }
    let (number,): (i64,) = sqlx::query_as(
        "UPDATE products SET idea_seq = idea_seq + 1 WHERE id = ? RETURNING idea_seq",
    )
    .bind(n.product_id.0)
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err)?;
    sqlx::query(
        "INSERT INTO ideas (id, workspace_id, product_id, number, title, as_a, i_want, so_that, \
         description, status, owner_id, external_source, external_id, created_by, created_at, \
         updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(n.id.0)
    .bind(n.workspace_id.0)
    .bind(n.product_id.0)
    .bind(number)
    .bind(&n.text.title)
    .bind(&n.text.as_a)
    .bind(&n.text.i_want)
    .bind(&n.text.so_that)
    .bind(&n.text.description)
    .bind(n.status.as_str())
    .bind(n.owner_id.map(|m| m.0))
    .bind(n.external.as_ref().map(|e| &e.0))
    .bind(n.external.as_ref().map(|e| &e.1))
    .bind(n.created_by.map(|m| m.0))
    .bind(us(n.now))
    .bind(us(n.now))
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    set_idea_tags(tx, n.workspace_id, n.id, &n.tags).await?;
    if let Some(first) = &n.evidence {
        insert_evidence(
            tx,
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
        )
        .await?;
    }
    let idea = idea_in_tx(tx, n.workspace_id, n.id).await?;
    reindex_idea(tx, &idea).await?;
    Ok((idea, true))
}

async fn record_change(
    tx: &mut Tx<'_>,
    idea: &Idea,
    actor: Option<MemberId>,
    at: Timestamp,
    field: &str,
    old: &str,
    new: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO idea_changes (id, workspace_id, idea_id, at, actor_id, field, old_value, \
         new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(Uuid::now_v7())
    .bind(idea.workspace_id.0)
    .bind(idea.id.0)
    .bind(us(at))
    .bind(actor.map(|a| a.0))
    .bind(field)
    .bind(old)
    .bind(new)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

fn push_feedback_filter(q: &mut QueryBuilder<'_, Sqlite>, ws: WorkspaceId, f: &FeedbackFilter) {
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
        let rows = sqlx::query(&format!(
            "SELECT {CUSTOMER_COLS}, name_key FROM customers WHERE workspace_id = ? AND name_key > ? \
             ORDER BY name_key LIMIT ?"
        ))
        .bind(ws.0)
        .bind(after)
        .bind(page.fetch_limit())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let items = rows.iter().map(customer).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |c| c.name.to_lowercase()))
    }

    async fn get_customer(&self, ws: WorkspaceId, id: CustomerId) -> StoreResult<Customer> {
        self.one(
            &format!("SELECT {CUSTOMER_COLS} FROM customers WHERE id = ? AND workspace_id = ?"),
            |q| q.bind(id.0).bind(ws.0),
            customer,
        )
        .await
    }

    async fn update_customer(
        &self,
        ws: WorkspaceId,
        id: CustomerId,
        expected_version: i64,
        p: CustomerPatch,
    ) -> StoreResult<Customer> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(&format!(
            "SELECT {CUSTOMER_COLS} FROM customers WHERE id = ? AND workspace_id = ?"
        ))
        .bind(id.0)
        .bind(ws.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let c = row
            .as_ref()
            .map(customer)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        if c.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        let c_name_before = c.name.clone();
        let name = p.name.unwrap_or(c.name);
        sqlx::query(
            "UPDATE customers SET name = ?, name_key = ?, kind = ?, segment = ?, weight = ?, \
             updated_at = ?, version = version + 1 WHERE id = ?",
        )
        .bind(&name)
        .bind(name.to_lowercase())
        .bind(p.kind.unwrap_or(c.kind).as_str())
        .bind(p.segment.unwrap_or(c.segment))
        .bind(p.weight.unwrap_or(c.weight))
        .bind(us(p.now.unwrap_or(c.updated_at)))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let row = sqlx::query(&format!(
            "SELECT {CUSTOMER_COLS} FROM customers WHERE id = ?"
        ))
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let c = customer(&row)?;
        if name != c_name_before {
            // The name is part of the search text of the customer's feedback.
            let ids: Vec<(Uuid,)> = sqlx::query_as("SELECT id FROM feedback WHERE customer_id = ?")
                .bind(id.0)
                .fetch_all(&mut *tx)
                .await
                .map_err(map_err)?;
            for (fid,) in ids {
                let f = feedback_in_tx(&mut tx, ws, FeedbackId(fid)).await?;
                reindex_feedback(&mut tx, &f).await?;
            }
        }
        tx.commit().await.map_err(map_err)?;
        Ok(c)
    }

    async fn create_feedback(&self, n: NewFeedback) -> StoreResult<Feedback> {
        let mut tx = self.write_tx().await?;
        let (f, _) = upsert_feedback(&mut tx, &n).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(f)
    }

    async fn import_feedback(&self, items: Vec<NewFeedback>) -> StoreResult<ImportCounts> {
        let mut tx = self.write_tx().await?;
        let mut counts = ImportCounts::default();
        for n in &items {
            if upsert_feedback(&mut tx, n).await?.1 {
                counts.created += 1;
            } else {
                counts.updated += 1;
            }
        }
        tx.commit().await.map_err(map_err)?;
        Ok(counts)
    }

    async fn get_feedback(&self, ws: WorkspaceId, id: FeedbackId) -> StoreResult<Feedback> {
        self.one(
            &format!("{FEEDBACK_SELECT} WHERE f.id = ? AND f.workspace_id = ?"),
            |q| q.bind(id.0).bind(ws.0),
            feedback,
        )
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
        let mut q = QueryBuilder::<Sqlite>::new(FEEDBACK_SELECT);
        push_feedback_filter(&mut q, ws, filter);
        if let Some(s) = filter.state {
            q.push(" AND f.state = ").push_bind(s.as_str());
        }
        if let Some(a) = after {
            q.push(" AND f.id < ").push_bind(a);
        }
        q.push(" ORDER BY f.id DESC LIMIT ")
            .push_bind(page.fetch_limit());
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        let items = rows.iter().map(feedback).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |f| f.id.to_string()))
    }

    async fn count_feedback(
        &self,
        ws: WorkspaceId,
        filter: &FeedbackFilter,
    ) -> StoreResult<FeedbackCounts> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT f.state, COUNT(*) AS n FROM feedback f");
        push_feedback_filter(&mut q, ws, filter);
        q.push(" GROUP BY f.state");
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        let mut c = FeedbackCounts::default();
        for r in &rows {
            let n: i64 = get(r, "n")?;
            match FeedbackState::parse(&get::<String>(r, "state")?) {
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
        let mut tx = self.write_tx().await?;
        let f = feedback_in_tx(&mut tx, ws, id).await?;
        if f.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        let now = p.now.unwrap_or(f.updated_at);
        let product = p.product_id.unwrap_or(f.product_id);
        if let Some(pid) = product {
            check_product(&mut tx, ws, pid).await?;
        }
        if let Some(a) = p.assignee_id.flatten() {
            check_member(&mut tx, ws, Some(a)).await?;
        }
        let customer = match p.customer {
            Some(Some(c)) => Some(customer_id_for(&mut tx, ws, &c, now).await?),
            Some(None) => None,
            None => f.customer_id,
        };
        let source = p.source.unwrap_or(f.source);
        sqlx::query(
            "UPDATE feedback SET product_id = ?, text = ?, source = ?, origin = ?, customer_id = ?, \
             contact = ?, observed_at = ?, state = ?, assignee_id = ?, updated_at = ?, \
             version = version + 1 WHERE id = ?",
        )
        .bind(product.map(|p| p.0))
        .bind(p.text.as_ref().unwrap_or(&f.text))
        .bind(source.as_str())
        .bind(source.origin().as_str())
        .bind(customer.map(|c| c.0))
        .bind(p.contact.unwrap_or(f.contact))
        .bind(us(p.observed_at.unwrap_or(f.observed_at)))
        .bind(p.state.unwrap_or(f.state).as_str())
        .bind(p.assignee_id.unwrap_or(f.assignee_id).map(|a| a.0))
        .bind(us(now))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if let Some(tags) = &p.tags {
            set_feedback_tags(&mut tx, ws, id, tags).await?;
        }
        let f = feedback_in_tx(&mut tx, ws, id).await?;
        reindex_feedback(&mut tx, &f).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(f)
    }

    async fn bulk_update_feedback(
        &self,
        ws: WorkspaceId,
        ids: &[FeedbackId],
        change: FeedbackBulk,
    ) -> StoreResult<u64> {
        let mut tx = self.write_tx().await?;
        if let Some(Some(p)) = change.product_id {
            check_product(&mut tx, ws, p).await?;
        }
        if let Some(Some(a)) = change.assignee_id {
            check_member(&mut tx, ws, Some(a)).await?;
        }
        let now = change.now.unwrap_or_else(now);
        let mut changed = 0;
        for id in ids {
            let f = feedback_in_tx(&mut tx, ws, *id).await?;
            let product = change.product_id.unwrap_or(f.product_id);
            sqlx::query(
                "UPDATE feedback SET state = ?, assignee_id = ?, product_id = ?, updated_at = ?, \
                 version = version + 1 WHERE id = ?",
            )
            .bind(change.state.unwrap_or(f.state).as_str())
            .bind(change.assignee_id.unwrap_or(f.assignee_id).map(|a| a.0))
            .bind(product.map(|p| p.0))
            .bind(us(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            if product != f.product_id {
                sqlx::query("UPDATE search_docs SET product_id = ? WHERE entity_id = ?")
                    .bind(product.map(|p| p.0))
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
            }
            changed += 1;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(changed)
    }

    async fn delete_feedback(
        &self,
        ws: WorkspaceId,
        id: FeedbackId,
        expected_version: i64,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let f = feedback_in_tx(&mut tx, ws, id).await?;
        if f.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        sqlx::query(
            "UPDATE ideas SET evidence_count = evidence_count - 1 \
             WHERE id IN (SELECT idea_id FROM evidence WHERE feedback_id = ?)",
        )
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query("DELETE FROM evidence WHERE feedback_id = ?")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query("DELETE FROM feedback WHERE id = ?")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        unindex_doc(&mut tx, id.0).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn create_idea(&self, n: NewIdea) -> StoreResult<Idea> {
        let mut tx = self.write_tx().await?;
        let (idea, _) = insert_idea(&mut tx, &n).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(idea)
    }

    async fn import_ideas(&self, items: Vec<NewIdea>) -> StoreResult<ImportCounts> {
        let mut tx = self.write_tx().await?;
        let mut counts = ImportCounts::default();
        for n in &items {
            if insert_idea(&mut tx, n).await?.1 {
                counts.created += 1;
            } else {
                counts.updated += 1;
            }
        }
        tx.commit().await.map_err(map_err)?;
        Ok(counts)
    }

    async fn get_idea(&self, ws: WorkspaceId, id: IdeaId) -> StoreResult<Idea> {
        let row = sqlx::query(&format!(
            "{IDEA_SELECT} WHERE i.id = ? AND i.workspace_id = ?"
        ))
        .bind(id.0)
        .bind(ws.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let i = row
            .as_ref()
            .map(idea)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        let mut v = with_figures(&self.pool, vec![i]).await?;
        v.pop().ok_or(StoreError::NotFound)
    }

    async fn get_idea_by_number(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        number: i64,
    ) -> StoreResult<Idea> {
        let row = sqlx::query(&format!(
            "{IDEA_SELECT} WHERE i.product_id = ? AND i.number = ? AND i.workspace_id = ?"
        ))
        .bind(product.0)
        .bind(number)
        .bind(ws.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let i = row
            .as_ref()
            .map(idea)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        let mut v = with_figures(&self.pool, vec![i]).await?;
        v.pop().ok_or(StoreError::NotFound)
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
        let mut q = QueryBuilder::<Sqlite>::new(IDEA_SELECT);
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
        if let Some(o) = filter.owner {
            q.push(" AND i.owner_id = ").push_bind(o.0);
        }
        if let Some(a) = after {
            q.push(" AND i.id < ").push_bind(a);
        }
        q.push(" ORDER BY i.id DESC LIMIT ")
            .push_bind(page.fetch_limit());
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        let items = rows.iter().map(idea).collect::<StoreResult<Vec<_>>>()?;
        let page_items = Page::from_rows(items, page, |i| i.id.to_string());
        let items = with_figures(&self.pool, page_items.items).await?;
        Ok(Page {
            items,
            next_cursor: page_items.next_cursor,
        })
    }

    async fn update_idea(
        &self,
        ws: WorkspaceId,
        id: IdeaId,
        expected_version: i64,
        p: IdeaPatch,
    ) -> StoreResult<Idea> {
        let mut tx = self.write_tx().await?;
        let old = idea_in_tx(&mut tx, ws, id).await?;
        if old.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        if let Some(Some(o)) = p.owner_id {
            check_member(&mut tx, ws, Some(o)).await?;
        }
        let now = p.now.unwrap_or(old.updated_at);
        let new_owner = p.owner_id.unwrap_or(old.owner_id);
        sqlx::query(
            "UPDATE ideas SET title = ?, as_a = ?, i_want = ?, so_that = ?, description = ?, \
             status = ?, owner_id = ?, updated_at = ?, version = version + 1 WHERE id = ?",
        )
        .bind(p.title.as_ref().unwrap_or(&old.title))
        .bind(p.as_a.as_ref().unwrap_or(&old.as_a))
        .bind(p.i_want.as_ref().unwrap_or(&old.i_want))
        .bind(p.so_that.as_ref().unwrap_or(&old.so_that))
        .bind(p.description.as_ref().unwrap_or(&old.description))
        .bind(p.status.unwrap_or(old.status).as_str())
        .bind(new_owner.map(|o| o.0))
        .bind(us(now))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if let Some(tags) = &p.tags {
            set_idea_tags(&mut tx, ws, id, tags).await?;
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
                record_change(&mut tx, &old, p.actor, now, field, old_v, new).await?;
            }
        }
        if let Some(s) = p.status.filter(|s| *s != old.status) {
            record_change(
                &mut tx,
                &old,
                p.actor,
                now,
                "status",
                old.status.as_str(),
                s.as_str(),
            )
            .await?;
        }
        if new_owner != old.owner_id {
            let show = |o: Option<MemberId>| o.map(|o| o.to_string()).unwrap_or_default();
            record_change(
                &mut tx,
                &old,
                p.actor,
                now,
                "owner",
                &show(old.owner_id),
                &show(new_owner),
            )
            .await?;
        }
        if let Some(tags) = p.tags.as_ref().filter(|t| **t != old.tags) {
            record_change(
                &mut tx,
                &old,
                p.actor,
                now,
                "tags",
                &old.tags.join(", "),
                &tags.join(", "),
            )
            .await?;
        }
        let idea = idea_in_tx(&mut tx, ws, id).await?;
        reindex_idea(&mut tx, &idea).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(idea)
    }

    async fn list_idea_changes(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<IdeaChange>> {
        let rows = sqlx::query(
            "SELECT id, workspace_id, idea_id, at, actor_id, field, old_value, new_value \
             FROM idea_changes WHERE idea_id = ? AND workspace_id = ? ORDER BY id",
        )
        .bind(idea.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(idea_change).collect()
    }

    async fn merge_ideas(&self, m: IdeaMerge) -> StoreResult<Idea> {
        let ws = m.workspace_id;
        let mut tx = self.write_tx().await?;
        let from = idea_in_tx(&mut tx, ws, m.from_idea_id).await?;
        let into = idea_in_tx(&mut tx, ws, m.into_idea_id).await?;
        if from.id == into.id
            || from.status == IdeaStatus::Merged
            || into.status == IdeaStatus::Merged
        {
            return Err(StoreError::VersionConflict);
        }
        let moving = sqlx::query(&format!(
            "SELECT {EVIDENCE_COLS_E} FROM evidence e WHERE e.idea_id = ?"
        ))
        .bind(from.id.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        for row in &moving {
            let e = evidence(row)?;
            let kept: Option<(Uuid, String)> = sqlx::query_as(
                "SELECT id, importance FROM evidence WHERE idea_id = ? AND feedback_id = ?",
            )
            .bind(into.id.0)
            .bind(e.feedback_id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
            match kept {
                Some((kept_id, importance)) => {
                    let current = Importance::parse(&importance).unwrap_or(e.importance);
                    sqlx::query("UPDATE evidence SET importance = ? WHERE id = ?")
                        .bind(max_importance(current, e.importance).as_str())
                        .bind(kept_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    sqlx::query("DELETE FROM evidence WHERE id = ?")
                        .bind(e.id.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    sqlx::query(
                        "UPDATE feedback SET evidence_count = evidence_count - 1 WHERE id = ?",
                    )
                    .bind(e.feedback_id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                }
                None => {
                    sqlx::query("UPDATE evidence SET idea_id = ? WHERE id = ?")
                        .bind(into.id.0)
                        .bind(e.id.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                }
            }
        }
        sqlx::query(
            "UPDATE ideas SET evidence_count = (SELECT COUNT(*) FROM evidence WHERE idea_id = ideas.id), \
             updated_at = ?, version = version + 1 WHERE id = ?",
        )
        .bind(us(m.at))
        .bind(into.id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query(
            "UPDATE ideas SET status = 'merged', merged_into = ?, evidence_count = 0, \
             vote_count = 0, updated_at = ?, version = version + 1 WHERE id = ?",
        )
        .bind(into.id.0)
        .bind(us(m.at))
        .bind(from.id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO idea_merges (id, workspace_id, from_idea_id, into_idea_id, actor_id, \
             reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(m.id)
        .bind(ws.0)
        .bind(from.id.0)
        .bind(into.id.0)
        .bind(m.actor_id.map(|a| a.0))
        .bind(&m.reason)
        .bind(us(m.at))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        record_change(
            &mut tx,
            &from,
            m.actor_id,
            m.at,
            "status",
            from.status.as_str(),
            "merged",
        )
        .await?;
        record_change(
            &mut tx,
            &into,
            m.actor_id,
            m.at,
            "merged_from",
            "",
            &from.reference,
        )
        .await?;
        unindex_doc(&mut tx, from.id.0).await?;
        // Votes, subscribers and comments follow the evidence; the counts are recounted.
        crate::portal::merge_portal(&mut tx, &from, &into).await?;
        let into = idea_in_tx(&mut tx, ws, into.id).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(into)
    }

    async fn list_merges_into(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<Vec<IdeaMerge>> {
        let rows = sqlx::query(
            "SELECT id, workspace_id, from_idea_id, into_idea_id, actor_id, reason, at \
             FROM idea_merges WHERE into_idea_id = ? AND workspace_id = ? ORDER BY id",
        )
        .bind(idea.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(merge).collect()
    }

    async fn add_evidence(&self, e: NewEvidence) -> StoreResult<Evidence> {
        let mut tx = self.write_tx().await?;
        let ev = insert_evidence(&mut tx, &e).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(ev)
    }

    async fn import_evidence(&self, items: Vec<NewEvidence>) -> StoreResult<u64> {
        let mut tx = self.write_tx().await?;
        let mut made = 0;
        for e in &items {
            let linked: Option<(i64,)> =
                sqlx::query_as("SELECT 1 FROM evidence WHERE idea_id = ? AND feedback_id = ?")
                    .bind(e.idea_id.0)
                    .bind(e.feedback_id.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
            if linked.is_none() {
                insert_evidence(&mut tx, e).await?;
                made += 1;
            }
        }
        tx.commit().await.map_err(map_err)?;
        Ok(made)
    }

    async fn remove_evidence(&self, ws: WorkspaceId, id: EvidenceId) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let row: Option<(Uuid, Uuid)> = sqlx::query_as(
            "DELETE FROM evidence WHERE id = ? AND workspace_id = ? RETURNING idea_id, feedback_id",
        )
        .bind(id.0)
        .bind(ws.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let (idea_id, feedback_id) = row.ok_or(StoreError::NotFound)?;
        sqlx::query("UPDATE ideas SET evidence_count = evidence_count - 1 WHERE id = ?")
            .bind(idea_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query("UPDATE feedback SET evidence_count = evidence_count - 1 WHERE id = ?")
            .bind(feedback_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
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
        let rows = sqlx::query(&sql)
            .bind(idea.0)
            .bind(ws.0)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(EvidenceOnIdea {
                    evidence: evidence(r)?,
                    feedback: feedback(r)?,
                })
            })
            .collect()
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
        let rows = sqlx::query(&sql)
            .bind(feedback_id.0)
            .bind(ws.0)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push((evidence(r)?, idea(r)?));
        }
        let ideas = with_figures(&self.pool, out.iter().map(|(_, i)| i.clone()).collect()).await?;
        Ok(out
            .into_iter()
            .zip(ideas)
            .map(|((evidence, _), idea)| EvidenceOnFeedback { evidence, idea })
            .collect())
    }

    async fn search(&self, ws: WorkspaceId, query: &SearchQuery) -> StoreResult<Vec<SearchHit>> {
        let expr = fts_match(&query.terms, " AND ");
        if expr.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT d.kind, d.entity_id, d.product_id, bm25(search_fts) AS rank \
             FROM search_fts JOIN search_docs d ON d.doc = search_fts.rowid \
             WHERE search_fts MATCH ",
        );
        q.push_bind(expr)
            .push(" AND d.workspace_id = ")
            .push_bind(ws.0);
        if let Some(p) = query.product {
            q.push(" AND d.product_id = ").push_bind(p.0);
        }
        if !query.kinds.is_empty() {
            q.push(" AND d.kind IN (");
            let mut sep = q.separated(", ");
            for k in &query.kinds {
                sep.push_bind(k.as_str());
            }
            q.push(")");
        }
        q.push(" ORDER BY rank LIMIT ")
            .push_bind(i64::from(query.limit.clamp(1, 100)));
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        let mut hits = Vec::with_capacity(rows.len());
        for r in &rows {
            let kind = parse(&get::<String>(r, "kind")?, SearchKind::parse, "kind")?;
            let id: Uuid = get(r, "entity_id")?;
            let rank: f64 = get(r, "rank")?;
            let (title, text) =
                match kind {
                    SearchKind::Feedback => {
                        let row: Option<(String,)> =
                            sqlx::query_as("SELECT text FROM feedback WHERE id = ?")
                                .bind(id)
                                .fetch_optional(&self.pool)
                                .await
                                .map_err(map_err)?;
                        (String::new(), row.map(|r| r.0).unwrap_or_default())
                    }
                    SearchKind::Idea => {
                        let row: Option<(String, i64, String, String, String)> = sqlx::query_as(
                            "SELECT p.key, i.number, i.title, i.i_want || ' ' || i.so_that, \
                         i.description FROM ideas i JOIN products p ON p.id = i.product_id \
                         WHERE i.id = ?",
                        )
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
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
                        let row: Option<(String, String)> = sqlx::query_as(sql)
                            .bind(id)
                            .fetch_optional(&self.pool)
                            .await
                            .map_err(map_err)?;
                        match row {
                            Some(found) => found,
                            None => continue,
                        }
                    }
                };
            hits.push(SearchHit {
                kind,
                id,
                product_id: get::<Option<Uuid>>(r, "product_id")?.map(ProductId),
                title,
                text,
                score: -rank,
            });
        }
        Ok(hits)
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
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT d.entity_id FROM search_fts JOIN search_docs d ON d.doc = search_fts.rowid \
             WHERE search_fts MATCH ",
        );
        q.push_bind(expr)
            .push(" AND d.workspace_id = ")
            .push_bind(ws.0)
            .push(" AND d.product_id = ")
            .push_bind(product.0)
            .push(" AND d.kind = 'idea'");
        if let Some(x) = exclude {
            q.push(" AND d.entity_id <> ").push_bind(x.0);
        }
        q.push(" ORDER BY bm25(search_fts) LIMIT ")
            .push_bind(i64::from(limit.clamp(1, 200)));
        let ids: Vec<(Uuid,)> = q
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Sqlite>::new(IDEA_SELECT);
        q.push(" WHERE i.workspace_id = ")
            .push_bind(ws.0)
            .push(" AND i.id IN (");
        let mut sep = q.separated(", ");
        for (id,) in &ids {
            sep.push_bind(*id);
        }
        q.push(")");
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        let mut ideas = rows.iter().map(idea).collect::<StoreResult<Vec<_>>>()?;
        // Keep the index's order.
        let order: HashMap<Uuid, usize> =
            ids.iter().enumerate().map(|(i, (id,))| (*id, i)).collect();
        ideas.sort_by_key(|i| order.get(&i.id.0).copied().unwrap_or(usize::MAX));
        Ok(ideas)
    }
}

// --- moving data ------------------------------------------------------------------------------

/// Reads the discovery tables into the dump, inside the dump's read transaction.
pub(crate) async fn dump(tx: &mut Tx<'_>, d: &mut DiscoveryDump) -> StoreResult<()> {
    for r in sqlx::query(&format!(
        "SELECT {CUSTOMER_COLS} FROM customers ORDER BY id"
    ))
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.customers.push(customer(&r)?);
    }
    for r in sqlx::query(&format!("{FEEDBACK_SELECT} ORDER BY f.id"))
        .fetch_all(&mut **tx)
        .await
        .map_err(map_err)?
    {
        d.feedback.push(feedback(&r)?);
    }
    let mut ideas = Vec::new();
    for r in sqlx::query(&format!("{IDEA_SELECT} ORDER BY i.id"))
        .fetch_all(&mut **tx)
        .await
        .map_err(map_err)?
    {
        ideas.push(idea(&r)?);
    }
    for chunk in ideas.chunks(500) {
        d.ideas
            .extend(with_figures(&mut **tx, chunk.to_vec()).await?);
    }
    for r in sqlx::query(
        "SELECT id, workspace_id, idea_id, at, actor_id, field, old_value, new_value \
         FROM idea_changes ORDER BY id",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.idea_changes.push(idea_change(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {EVIDENCE_COLS_E} FROM evidence e ORDER BY e.id"
    ))
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.evidence.push(evidence(&r)?);
    }
    for r in sqlx::query(
        "SELECT id, workspace_id, from_idea_id, into_idea_id, actor_id, reason, at \
         FROM idea_merges ORDER BY id",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.idea_merges.push(merge(&r)?);
    }
    Ok(())
}

/// Writes the discovery tables of a dump and rebuilds what is derived: the search index and
/// each product's idea counter.
pub(crate) async fn load(tx: &mut Tx<'_>, d: &DiscoveryDump) -> StoreResult<()> {
    for c in &d.customers {
        sqlx::query(
            "INSERT INTO customers (id, workspace_id, name, name_key, kind, segment, weight, \
             created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(c.id.0)
        .bind(c.workspace_id.0)
        .bind(&c.name)
        .bind(c.name.to_lowercase())
        .bind(c.kind.as_str())
        .bind(&c.segment)
        .bind(c.weight)
        .bind(us(c.created_at))
        .bind(us(c.updated_at))
        .bind(c.version)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    for f in &d.feedback {
        sqlx::query(
            "INSERT INTO feedback (id, workspace_id, product_id, text, source, origin, customer_id, \
             contact, author_id, observed_at, state, assignee_id, evidence_count, external_source, \
             external_id, created_at, updated_at, version) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(f.id.0)
        .bind(f.workspace_id.0)
        .bind(f.product_id.map(|p| p.0))
        .bind(&f.text)
        .bind(f.source.as_str())
        .bind(f.origin.as_str())
        .bind(f.customer_id.map(|c| c.0))
        .bind(&f.contact)
        .bind(f.author_id.map(|a| a.0))
        .bind(us(f.observed_at))
        .bind(f.state.as_str())
        .bind(f.assignee_id.map(|a| a.0))
        .bind(f.evidence_count)
        .bind(&f.external_source)
        .bind(&f.external_id)
        .bind(us(f.created_at))
        .bind(us(f.updated_at))
        .bind(f.version)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
        set_feedback_tags(tx, f.workspace_id, f.id, &f.tags).await?;
        reindex_feedback(tx, f).await?;
    }
    for i in &d.ideas {
        sqlx::query(
            "INSERT INTO ideas (id, workspace_id, product_id, number, title, as_a, i_want, so_that, \
             description, status, owner_id, merged_into, evidence_count, vote_count, \
             external_source, external_id, created_by, created_at, updated_at, version) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(i.id.0)
        .bind(i.workspace_id.0)
        .bind(i.product_id.0)
        .bind(i.number)
        .bind(&i.title)
        .bind(&i.as_a)
        .bind(&i.i_want)
        .bind(&i.so_that)
        .bind(&i.description)
        .bind(i.status.as_str())
        .bind(i.owner_id.map(|o| o.0))
        // Set below, once the idea it points to exists.
        .bind(None::<Uuid>)
        .bind(i.evidence_count)
        .bind(i.vote_count)
        .bind(&i.external_source)
        .bind(&i.external_id)
        .bind(i.created_by.map(|m| m.0))
        .bind(us(i.created_at))
        .bind(us(i.updated_at))
        .bind(i.version)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
        set_idea_tags(tx, i.workspace_id, i.id, &i.tags).await?;
        reindex_idea(tx, i).await?;
    }
    for i in d.ideas.iter().filter(|i| i.merged_into.is_some()) {
        sqlx::query("UPDATE ideas SET merged_into = ? WHERE id = ?")
            .bind(i.merged_into.map(|m| m.0))
            .bind(i.id.0)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    sqlx::query(
        "UPDATE products SET idea_seq = \
         (SELECT COALESCE(MAX(number), 0) FROM ideas WHERE ideas.product_id = products.id)",
    )
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    for c in &d.idea_changes {
        sqlx::query(
            "INSERT INTO idea_changes (id, workspace_id, idea_id, at, actor_id, field, old_value, \
             new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(c.id)
        .bind(c.workspace_id.0)
        .bind(c.idea_id.0)
        .bind(us(c.at))
        .bind(c.actor_id.map(|a| a.0))
        .bind(&c.field)
        .bind(&c.old_value)
        .bind(&c.new_value)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    for e in &d.evidence {
        sqlx::query(
            "INSERT INTO evidence (id, workspace_id, idea_id, feedback_id, excerpt, importance, \
             created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(e.id.0)
        .bind(e.workspace_id.0)
        .bind(e.idea_id.0)
        .bind(e.feedback_id.0)
        .bind(&e.excerpt)
        .bind(e.importance.as_str())
        .bind(e.created_by.map(|m| m.0))
        .bind(us(e.created_at))
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    for m in &d.idea_merges {
        sqlx::query(
            "INSERT INTO idea_merges (id, workspace_id, from_idea_id, into_idea_id, actor_id, \
             reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(m.id)
        .bind(m.workspace_id.0)
        .bind(m.from_idea_id.0)
        .bind(m.into_idea_id.0)
        .bind(m.actor_id.map(|a| a.0))
        .bind(&m.reason)
        .bind(us(m.at))
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
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
