//! `impl DiscoveryStore for PgStore`: feedback, customers, ideas, evidence, merges and the
//! tsvector search index. It follows `phare-sqlite/src/discovery.rs` statement for statement;
//! what differs is what several writers on one server need:
//!
//! - every write is a unit of work run by [`retrying`] (serialization failures and deadlocks
//!   replay the unit);
//! - counters move with atomic `SET n = n ± 1` under the row lock, and a counter is only ever
//!   decremented for a link this transaction actually deleted (`DELETE … RETURNING`);
//! - rows are locked in one order, ideas (by id) → evidence → feedback, so that evidence links,
//!   merges and deletions wait on one another instead of deadlocking;
//! - "find or create" (customers by name, re-imports by external id) tolerates another
//!   instance creating the same row at the same moment (`ON CONFLICT DO NOTHING`, then read).
//!
//! The index holds `to_tsvector('simple', terms)` where `terms` comes from phare-domain's
//! analyzer, the same string SQLite puts into FTS5; queries combine `plainto_tsquery('simple',
//! term)` with `||` (alternatives) and `&&` (words), so no query text is ever built by hand.

use crate::rows::{get, parse, parse_opt, us};
use crate::store::{map_err, retrying, Fail};
use crate::PgStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) type Res<T> = Result<T, Fail>;

const CUSTOMER_COLS: &str =
    "id, workspace_id, name, kind, segment, weight, created_at, updated_at, version";

pub(crate) const FEEDBACK_COLS: &str =
    "f.id, f.workspace_id, f.product_id, f.text, f.source, f.origin, \
     f.customer_id, c.name AS customer_name, c.segment AS customer_segment, \
     c.weight AS customer_weight, f.contact, f.author_id, f.observed_at, f.state, f.assignee_id, \
     f.evidence_count, f.external_source, f.external_id, f.created_at, f.updated_at, f.version, \
     ARRAY(SELECT t.tag FROM feedback_tags t WHERE t.feedback_id = f.id) AS tags";
pub(crate) const FEEDBACK_FROM: &str =
    "FROM feedback f LEFT JOIN customers c ON c.id = f.customer_id";

pub(crate) const IDEA_COLS: &str =
    "i.id, i.workspace_id, i.product_id, i.number, p.key AS product_key, \
     i.kind, i.title, i.as_a, i.i_want, i.so_that, i.description, i.bug_steps, i.bug_expected, \
     i.bug_actual, i.bug_environment, i.bug_severity, i.status, i.owner_id, i.merged_into, \
     i.evidence_count, i.vote_count, i.external_source, i.external_id, i.created_by, \
     i.created_at, i.updated_at, i.version, \
     ARRAY(SELECT t.tag FROM idea_tags t WHERE t.idea_id = i.id) AS tags";
pub(crate) const IDEA_FROM: &str = "FROM ideas i JOIN products p ON p.id = i.product_id";

const EVIDENCE_COLS_E: &str = "e.id AS e_id, e.workspace_id AS e_workspace_id, e.idea_id AS \
     e_idea_id, e.feedback_id AS e_feedback_id, e.excerpt AS e_excerpt, e.importance AS \
     e_importance, e.created_by AS e_created_by, e.created_at AS e_created_at";

const CHANGE_COLS: &str = "id, workspace_id, idea_id, at, actor_id, field, old_value, new_value";
const MERGE_COLS: &str = "id, workspace_id, from_idea_id, into_idea_id, actor_id, reason, at";

/// The relevance of an index entry `d` for the query `s.q`, higher is better; equal ranks come out
/// in `doc` order (index entry creation), as FTS5 returns equal `bm25` ranks in rowid order.
/// SQLite ranks with FTS5's `bm25()`, which needs corpus statistics (document frequencies, mean
/// length) that PostgreSQL does not keep; `ts_rank` with normalization 1 (rank divided by
/// 1 + log of the document length) is the closest cheap equivalent: like bm25 it counts repeated
/// terms (an idea's title is indexed twice so that it weighs more) and prefers short documents.
/// On a generated corpus it shared 3.9 of bm25's top 5 on average, against 2.5 for plain
/// `ts_rank`. Orders can still differ between the backends for close scores.
const RANK: &str = "ts_rank(d.terms, s.q, 1)";
/// [`RANK`] over the window of a search (its entries `w`, each with the query).
const RANK_WINDOW: &str = "ts_rank(w.terms, w.q, 1)";

/// How many of the newest matches a search ranks (SQLite's `SEARCH_WINDOW`).
const SEARCH_WINDOW: usize = 1_000;
/// The expression indexed by `search_docs_recent` (migration 0016): an entry's terms and the
/// lexeme `#{doc >> 15}`, its recency bucket of 32,768 entries. Analyzed terms are letters and
/// digits only, so no word of a query can match a bucket's lexeme.
const RECENT_TERMS: &str = "(d.terms || array_to_tsvector(ARRAY['#' || (d.doc >> 15)::text]))";
/// The `>> 15` of [`RECENT_TERMS`]: the two must agree for the index to answer the steps.
const BUCKET_SHIFT: u32 = 15;
/// The most buckets one step of [`search_window`] names before it looks at all older entries.
const WIDEST_STEP: i64 = 16;
/// The expression indexed by `search_docs_idea_scope` (migration 0016): an idea's terms and
/// the lexeme `@{product id}`. A query must spell it exactly so for the planner to use the index.
const SIMILAR_SCOPE: &str = "(d.terms || array_to_tsvector(ARRAY['@' || d.product_id::text]))";

/// How often a "read, then lock" step is tried again when a concurrent merge moved the row.
pub(crate) const MAX_CHASES: usize = 8;

// --- rows -------------------------------------------------------------------------------------

fn tags(row: &PgRow) -> StoreResult<Vec<String>> {
    let mut v: Vec<String> = get(row, "tags")?;
    v.sort();
    Ok(v)
}

fn customer(row: &PgRow) -> StoreResult<Customer> {
    Ok(Customer {
        id: CustomerId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        name: get(row, "name")?,
        kind: parse(&get::<String>(row, "kind")?, CustomerKind::parse, "kind")?,
        segment: get(row, "segment")?,
        weight: get(row, "weight")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

pub(crate) fn feedback(row: &PgRow) -> StoreResult<Feedback> {
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
        observed_at: get(row, "observed_at")?,
        state: parse(&get::<String>(row, "state")?, FeedbackState::parse, "state")?,
        assignee_id: get::<Option<Uuid>>(row, "assignee_id")?.map(MemberId),
        tags: tags(row)?,
        evidence_count: get(row, "evidence_count")?,
        external_source: get(row, "external_source")?,
        external_id: get(row, "external_id")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

/// An idea without its evidence figures (`customer_count`, `demand`), which [`with_figures`]
/// adds for a whole list in one query.
pub(crate) fn idea(row: &PgRow) -> StoreResult<Idea> {
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
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

fn evidence(row: &PgRow) -> StoreResult<Evidence> {
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
        created_at: get(row, "e_created_at")?,
    })
}

fn idea_change(row: &PgRow) -> StoreResult<IdeaChange> {
    Ok(IdeaChange {
        id: get(row, "id")?,
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        idea_id: IdeaId(get(row, "idea_id")?),
        at: get(row, "at")?,
        actor_id: get::<Option<Uuid>>(row, "actor_id")?.map(MemberId),
        field: get(row, "field")?,
        old_value: get(row, "old_value")?,
        new_value: get(row, "new_value")?,
    })
}

fn merge(row: &PgRow) -> StoreResult<IdeaMerge> {
    Ok(IdeaMerge {
        id: get(row, "id")?,
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        from_idea_id: IdeaId(get(row, "from_idea_id")?),
        into_idea_id: IdeaId(get(row, "into_idea_id")?),
        actor_id: get::<Option<Uuid>>(row, "actor_id")?.map(MemberId),
        reason: get(row, "reason")?,
        at: get(row, "at")?,
    })
}

// --- search expressions -----------------------------------------------------------------------

/// Appends the tsquery for query terms: `(plainto_tsquery('simple', $a1) || plainto_tsquery(
/// 'simple', $a2)) && (plainto_tsquery('simple', $b))` when `all_groups`, the groups joined with
/// `||` otherwise. Every term is a bound parameter: nothing is quoted by hand. The equivalent of
/// SQLite's FTS5 expression `("a1" OR "a2") AND ("b")`. Returns false (and appends nothing) when
/// no group holds a term.
pub(crate) fn push_tsquery(
    q: &mut QueryBuilder<'_, Postgres>,
    groups: &[Vec<String>],
    all_groups: bool,
) -> bool {
    let groups: Vec<&Vec<String>> = groups.iter().filter(|alts| !alts.is_empty()).collect();
    if groups.is_empty() {
        return false;
    }
    q.push("(");
    for (g, alts) in groups.iter().enumerate() {
        if g > 0 {
            q.push(if all_groups { " && " } else { " || " });
        }
        q.push("(");
        for (a, term) in alts.iter().enumerate() {
            if a > 0 {
                q.push(" || ");
            }
            q.push("plainto_tsquery('simple', ")
                .push_bind(term.clone())
                .push(")");
        }
        q.push(")");
    }
    q.push(")");
    true
}

/// The newest [`SEARCH_WINDOW`] index entries matching a search, with their ranks; `None` when
/// the query has no word.
///
/// The GIN index yields matches in no order, and each match read costs a visit to the table:
/// "export csv" matches 29,833 entries of the large set, 23,000 table pages and 160 ms to keep
/// the newest 1,000. Walking `doc` backwards reads every entry until enough of them match, as
/// slow for rarer words. So each step asks the index for the matches in a run of recency
/// buckets, the newest first (1 bucket, then 2, 4, 8, 16, then all older entries), until the
/// window is full: a step is only reached when the ones before it found fewer matches than the
/// window holds, so the entries read are the window's and about as many more. The step's
/// matches are materialized so that the planner cannot walk `doc` backwards to meet the
/// `LIMIT`: it estimates the words as independent and would read far more rows than it thinks.
async fn search_window(
    pool: &sqlx::PgPool,
    ws: WorkspaceId,
    query: &SearchQuery,
) -> StoreResult<Option<Vec<(i64, f32)>>> {
    if query.terms.iter().all(Vec::is_empty) {
        return Ok(None);
    }
    let newest: Option<i64> = sqlx::query_scalar("SELECT max(doc) FROM search_docs")
        .fetch_one(pool)
        .await
        .map_err(map_err)?;
    let Some(newest) = newest else {
        return Ok(Some(Vec::new()));
    };
    let mut window: Vec<(i64, f32)> = Vec::new();
    let (mut hi, mut width) = (newest >> BUCKET_SHIFT, 1);
    loop {
        let lo = hi - width + 1;
        let rest = lo <= 0 || width > WIDEST_STEP;
        let mut q = QueryBuilder::<Postgres>::new(
            "WITH m AS MATERIALIZED (SELECT d.doc, d.terms, s.q FROM search_docs d, (SELECT ",
        );
        push_tsquery(&mut q, &query.terms, true);
        // A query whose words give PostgreSQL no lexeme is empty, and `&&` with an empty query
        // gives the other side: the bucket alone would match every entry in it.
        q.push(" AS q) s WHERE numnode(s.q) > 0 AND ");
        if rest {
            q.push(format!("{RECENT_TERMS} @@ s.q AND d.doc < "))
                .push_bind((hi + 1) << BUCKET_SHIFT);
        } else {
            let buckets: Vec<String> = (lo..=hi).rev().map(|b| format!("'#{b}'")).collect();
            q.push(format!("{RECENT_TERMS} @@ (s.q && "))
                .push_bind(buckets.join(" | "))
                .push("::tsquery)");
        }
        q.push(" AND d.workspace_id = ").push_bind(ws.0);
        if let Some(p) = query.product {
            q.push(" AND d.product_id = ").push_bind(p.0);
        }
        if !query.kinds.is_empty() {
            let kinds: Vec<&str> = query.kinds.iter().map(|k| k.as_str()).collect();
            q.push(" AND d.kind = ANY(").push_bind(kinds).push(")");
        }
        q.push(format!(
            ") SELECT w.doc, {RANK_WINDOW} FROM (SELECT * FROM m ORDER BY doc DESC LIMIT "
        ))
        .push_bind(i64::try_from(SEARCH_WINDOW - window.len()).unwrap_or(0))
        .push(") w");
        let found: Vec<(i64, f32)> = q.build_query_as().fetch_all(pool).await.map_err(map_err)?;
        window.extend(found);
        if rest || window.len() >= SEARCH_WINDOW {
            return Ok(Some(window));
        }
        hi = lo - 1;
        width *= 2;
    }
}

// --- helpers inside a transaction ----------------------------------------------------------

/// Writes (or rewrites) the index entry of one record. The entry keeps its `doc` number when
/// rewritten, as SQLite's rowid does: equal ranks come out in that order.
pub(crate) async fn index_doc(
    conn: &mut PgConnection,
    entity: Uuid,
    ws: WorkspaceId,
    product: Option<ProductId>,
    kind: SearchKind,
    terms: &str,
) -> Res<()> {
    sqlx::query(
        "INSERT INTO search_docs (entity_id, workspace_id, product_id, kind, terms) \
         VALUES ($1, $2, $3, $4, to_tsvector('simple', $5)) \
         ON CONFLICT (entity_id) DO UPDATE SET product_id = excluded.product_id, \
         terms = excluded.terms",
    )
    .bind(entity)
    .bind(ws.0)
    .bind(product.map(|p| p.0))
    .bind(kind.as_str())
    .bind(terms)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn unindex_doc(conn: &mut PgConnection, entity: Uuid) -> Res<()> {
    sqlx::query("DELETE FROM search_docs WHERE entity_id = $1")
        .bind(entity)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn check_product(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    product: ProductId,
) -> Res<()> {
    sqlx::query("SELECT 1 FROM products WHERE id = $1 AND workspace_id = $2")
        .bind(product.0)
        .bind(ws.0)
        .fetch_optional(conn)
        .await?
        .map(|_| ())
        .ok_or_else(|| StoreError::NotFound.into())
}

async fn check_member(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    member: Option<MemberId>,
) -> Res<()> {
    if let Some(m) = member {
        sqlx::query("SELECT 1 FROM members WHERE id = $1 AND workspace_id = $2")
            .bind(m.0)
            .bind(ws.0)
            .fetch_optional(conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    }
    Ok(())
}

/// The customer of that name in the workspace, created if new. Two instances naming the same new
/// customer at once both get the one row: the loser of the insert race waits for the winner's
/// commit (`ON CONFLICT DO NOTHING`), then reads its row.
async fn customer_id_for(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    input: &CustomerInput,
    now: Timestamp,
) -> Res<CustomerId> {
    let key = input.name.to_lowercase();
    for _ in 0..MAX_CHASES {
        let found: Option<(Uuid,)> =
            sqlx::query_as("SELECT id FROM customers WHERE workspace_id = $1 AND name_key = $2")
                .bind(ws.0)
                .bind(&key)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some((id,)) = found {
            return Ok(CustomerId(id));
        }
        let id = CustomerId::new();
        let inserted: Option<(Uuid,)> = sqlx::query_as(
            "INSERT INTO customers (id, workspace_id, name, name_key, kind, segment, weight, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
             ON CONFLICT (workspace_id, name_key) DO NOTHING RETURNING id",
        )
        .bind(id.0)
        .bind(ws.0)
        .bind(&input.name)
        .bind(&key)
        .bind(input.kind.as_str())
        .bind(&input.segment)
        .bind(input.weight)
        .bind(us(now))
        .fetch_optional(&mut *conn)
        .await?;
        if inserted.is_some() {
            return Ok(id);
        }
        // Another transaction created it since our read: read it again.
    }
    Err(StoreError::Other(format!(
        "customer {key:?} kept being renamed during the write"
    ))
    .into())
}

async fn set_feedback_tags(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    id: FeedbackId,
    tags: &[String],
) -> Res<()> {
    sqlx::query("DELETE FROM feedback_tags WHERE feedback_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    if !tags.is_empty() {
        sqlx::query(
            "INSERT INTO feedback_tags (feedback_id, tag, workspace_id) \
             SELECT $1, t, $3 FROM unnest($2::text[]) AS t",
        )
        .bind(id.0)
        .bind(tags)
        .bind(ws.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn set_idea_tags(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    id: IdeaId,
    tags: &[String],
) -> Res<()> {
    sqlx::query("DELETE FROM idea_tags WHERE idea_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    if !tags.is_empty() {
        sqlx::query(
            "INSERT INTO idea_tags (idea_id, tag, workspace_id) \
             SELECT $1, t, $3 FROM unnest($2::text[]) AS t",
        )
        .bind(id.0)
        .bind(tags)
        .bind(ws.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The feedback item; `lock` is appended to the statement (`""`, `"FOR NO KEY UPDATE OF f"`…).
pub(crate) async fn feedback_in_tx(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    id: FeedbackId,
    lock: &str,
) -> Res<Feedback> {
    let row = sqlx::query(&format!(
        "SELECT {FEEDBACK_COLS} {FEEDBACK_FROM} WHERE f.id = $1 AND f.workspace_id = $2 {lock}"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(conn)
    .await?;
    Ok(row
        .as_ref()
        .map(feedback)
        .transpose()?
        .ok_or(StoreError::NotFound)?)
}

/// The idea with its figures; `lock` as in [`feedback_in_tx`] (`"FOR NO KEY UPDATE OF i"`).
pub(crate) async fn idea_in_tx(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    id: IdeaId,
    lock: &str,
) -> Res<Idea> {
    let row = sqlx::query(&format!(
        "SELECT {IDEA_COLS} {IDEA_FROM} WHERE i.id = $1 AND i.workspace_id = $2 {lock}"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut *conn)
    .await?;
    let idea = row
        .as_ref()
        .map(idea)
        .transpose()?
        .ok_or(StoreError::NotFound)?;
    let mut v = with_figures(&mut *conn, vec![idea]).await?;
    Ok(v.pop().ok_or(StoreError::NotFound)?)
}

/// Locks ideas for a change, in id order so that two writers locking the same ideas queue
/// instead of deadlocking. Ideas of another workspace (or missing) are skipped.
pub(crate) async fn lock_ideas(conn: &mut PgConnection, ws: WorkspaceId, ids: &[Uuid]) -> Res<()> {
    if !ids.is_empty() {
        sqlx::query(
            "SELECT id FROM ideas WHERE workspace_id = $1 AND id = ANY($2) ORDER BY id \
             FOR NO KEY UPDATE",
        )
        .bind(ws.0)
        .bind(ids)
        .fetch_all(conn)
        .await?;
    }
    Ok(())
}

/// Fills `customer_count` and `demand` for a list of ideas with one query over their evidence.
pub(crate) async fn with_figures<'e, E>(exec: E, mut ideas: Vec<Idea>) -> Res<Vec<Idea>>
where
    E: sqlx::Executor<'e, Database = Postgres>,
{
    if ideas.is_empty() {
        return Ok(ideas);
    }
    let ids: Vec<Uuid> = ideas.iter().map(|i| i.id.0).collect();
    let rows = sqlx::query(
        "SELECT e.idea_id, e.importance, f.customer_id, c.weight FROM evidence e \
         JOIN feedback f ON f.id = e.feedback_id LEFT JOIN customers c ON c.id = f.customer_id \
         WHERE e.idea_id = ANY($1)",
    )
    .bind(&ids)
    .fetch_all(exec)
    .await?;
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

async fn reindex_feedback(conn: &mut PgConnection, f: &Feedback) -> Res<()> {
    let terms = feedback_search_text(&f.text, f.customer_name.as_deref(), &f.tags);
    index_doc(
        conn,
        f.id.0,
        f.workspace_id,
        f.product_id,
        SearchKind::Feedback,
        &terms,
    )
    .await
}

pub(crate) async fn reindex_idea(conn: &mut PgConnection, i: &Idea) -> Res<()> {
    if i.status == IdeaStatus::Merged {
        // A merged idea only redirects; search shows the idea that absorbed it.
        return unindex_doc(conn, i.id.0).await;
    }
    let terms = idea_search_text(&i.reference, &i.text(), &i.tags);
    index_doc(
        conn,
        i.id.0,
        i.workspace_id,
        Some(i.product_id),
        SearchKind::Idea,
        &terms,
    )
    .await
}

/// The item imported under that external pair, locked for the update.
async fn external_feedback(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    external: &Option<(String, String)>,
) -> Res<Option<Uuid>> {
    let Some((src, ext)) = external else {
        return Ok(None);
    };
    let row: Option<(Uuid,)> = sqlx::query_as(
        "SELECT id FROM feedback WHERE workspace_id = $1 AND external_source = $2 \
         AND external_id = $3 FOR NO KEY UPDATE",
    )
    .bind(ws.0)
    .bind(src)
    .bind(ext)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Creates or (for a known external pair) updates one feedback item; true when created.
pub(crate) async fn upsert_feedback(
    conn: &mut PgConnection,
    n: &NewFeedback,
) -> Res<(Feedback, bool)> {
    if let Some(p) = n.product_id {
        check_product(conn, n.workspace_id, p).await?;
    }
    let customer = match &n.customer {
        Some(c) => Some(customer_id_for(conn, n.workspace_id, c, n.now).await?),
        None => None,
    };
    let mut existing = external_feedback(conn, n.workspace_id, &n.external).await?;
    if existing.is_none() {
        // A concurrent import of the same pair that commits first makes this insert a no-op
        // (it waits for that commit); the item is then updated like any re-import.
        let inserted: Option<(Uuid,)> = sqlx::query_as(
            "INSERT INTO feedback (id, workspace_id, product_id, text, source, origin, \
             customer_id, contact, author_id, observed_at, state, external_source, \
             external_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'new', $11, $12, $13, $13) \
             ON CONFLICT (workspace_id, external_source, external_id) DO NOTHING RETURNING id",
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
        .fetch_optional(&mut *conn)
        .await?;
        if inserted.is_none() {
            existing = external_feedback(conn, n.workspace_id, &n.external).await?;
            if existing.is_none() {
                return Err(StoreError::Duplicate("external_id").into());
            }
        }
    }
    let (id, created) = match existing {
        Some(id) => {
            sqlx::query(
                "UPDATE feedback SET text = $1, source = $2, origin = $3, customer_id = $4, \
                 contact = $5, observed_at = $6, product_id = COALESCE($7, product_id), \
                 updated_at = $8, version = version + 1 WHERE id = $9",
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
            .execute(&mut *conn)
            .await?;
            (FeedbackId(id), false)
        }
        None => (n.id, true),
    };
    set_feedback_tags(conn, n.workspace_id, id, &n.tags).await?;
    let f = feedback_in_tx(conn, n.workspace_id, id, "").await?;
    reindex_feedback(conn, &f).await?;
    Ok((f, created))
}

pub(crate) async fn insert_evidence(conn: &mut PgConnection, e: &NewEvidence) -> Res<Evidence> {
    link(conn, e, false)
        .await?
        .ok_or_else(|| StoreError::Duplicate("feedback_id").into())
}

/// Links feedback to an idea and moves both counters. With `skip_linked`, a pair already linked
/// (checked under the idea's lock, so also against a concurrent import) is left alone: `None`.
pub(crate) async fn link(
    conn: &mut PgConnection,
    e: &NewEvidence,
    skip_linked: bool,
) -> Res<Option<Evidence>> {
    sqlx::query("SELECT 1 FROM feedback WHERE id = $1 AND workspace_id = $2")
        .bind(e.feedback_id.0)
        .bind(e.workspace_id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    // The idea's lock orders this link against merges and other links of the idea.
    let (status,): (String,) = sqlx::query_as(
        "SELECT status FROM ideas WHERE id = $1 AND workspace_id = $2 FOR NO KEY UPDATE",
    )
    .bind(e.idea_id.0)
    .bind(e.workspace_id.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    // A merged idea only redirects: evidence belongs on the idea that absorbed it.
    if status == IdeaStatus::Merged.as_str() {
        return Err(StoreError::VersionConflict.into());
    }
    if skip_linked && linked(conn, e).await? {
        return Ok(None);
    }
    sqlx::query(
        "INSERT INTO evidence (id, workspace_id, idea_id, feedback_id, excerpt, importance, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.id.0)
    .bind(e.workspace_id.0)
    .bind(e.idea_id.0)
    .bind(e.feedback_id.0)
    .bind(&e.excerpt)
    .bind(e.importance.as_str())
    .bind(e.created_by.map(|m| m.0))
    .bind(us(e.now))
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE ideas SET evidence_count = evidence_count + 1 WHERE id = $1")
        .bind(e.idea_id.0)
        .execute(&mut *conn)
        .await?;
    // Linking a new item is triaging it. Decided on the row as locked by this very statement,
    // so a concurrent change of state is never overwritten with a stale one.
    sqlx::query(
        "UPDATE feedback SET evidence_count = evidence_count + 1, \
         state = CASE WHEN state = $1 THEN $2 ELSE state END, \
         version = version + CASE WHEN state = $1 THEN 1 ELSE 0 END WHERE id = $3",
    )
    .bind(FeedbackState::New.as_str())
    .bind(FeedbackState::Processed.as_str())
    .bind(e.feedback_id.0)
    .execute(&mut *conn)
    .await?;
    Ok(Some(Evidence {
        id: e.id,
        workspace_id: e.workspace_id,
        idea_id: e.idea_id,
        feedback_id: e.feedback_id,
        excerpt: e.excerpt.clone(),
        importance: e.importance,
        created_by: e.created_by,
        created_at: e.now,
    }))
}

/// Whether that feedback item already supports that idea.
pub(crate) async fn linked(conn: &mut PgConnection, e: &NewEvidence) -> Res<bool> {
    let row = sqlx::query("SELECT 1 FROM evidence WHERE idea_id = $1 AND feedback_id = $2")
        .bind(e.idea_id.0)
        .bind(e.feedback_id.0)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// The idea imported under that external pair, locked for the update.
async fn external_idea(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    external: &Option<(String, String)>,
) -> Res<Option<Uuid>> {
    let Some((src, ext)) = external else {
        return Ok(None);
    };
    let row: Option<(Uuid,)> = sqlx::query_as(
        "SELECT id FROM ideas WHERE workspace_id = $1 AND external_source = $2 \
         AND external_id = $3 FOR NO KEY UPDATE",
    )
    .bind(ws.0)
    .bind(src)
    .bind(ext)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Re-import: refresh the text and tags; status and links belong to the team now.
async fn reimport_idea(conn: &mut PgConnection, n: &NewIdea, id: Uuid) -> Res<(Idea, bool)> {
    sqlx::query(
        "UPDATE ideas SET title = $1, as_a = $2, i_want = $3, so_that = $4, description = $5, \
         updated_at = $6, version = version + 1 WHERE id = $7",
    )
    .bind(&n.text.title)
    .bind(&n.text.as_a)
    .bind(&n.text.i_want)
    .bind(&n.text.so_that)
    .bind(&n.text.description)
    .bind(us(n.now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    set_idea_tags(conn, n.workspace_id, IdeaId(id), &n.tags).await?;
    let idea = idea_in_tx(conn, n.workspace_id, IdeaId(id), "").await?;
    reindex_idea(conn, &idea).await?;
    Ok((idea, false))
}

pub(crate) async fn insert_idea(conn: &mut PgConnection, n: &NewIdea) -> Res<(Idea, bool)> {
    insert_idea_numbered(conn, n, None).await
}

/// The last number handed out per product by a batch of ideas, written back to the products
/// once at its end ([`write_idea_numbers`]). Taking each number with its own `UPDATE` of the
/// product row left one more version of that row per idea, and each update walked them all:
/// 312 ideas/s in the generator's batches of 5,000.
pub(crate) type IdeaNumbers = HashMap<Uuid, i64>;

/// Creates an idea, or updates the one imported before under its external pair; with
/// `numbers`, its number comes from the batch's.
pub(crate) async fn insert_idea_numbered(
    conn: &mut PgConnection,
    n: &NewIdea,
    mut numbers: Option<&mut IdeaNumbers>,
) -> Res<(Idea, bool)> {
    check_product(conn, n.workspace_id, n.product_id).await?;
    check_member(conn, n.workspace_id, n.owner_id).await?;
    if let Some(id) = external_idea(conn, n.workspace_id, &n.external).await? {
        return reimport_idea(conn, n, id).await;
    }
    // The product row stays locked until commit: numbers of one product are handed out one
    // transaction at a time, without gaps.
    let product = n.product_id.0;
    let number = match numbers.as_deref_mut() {
        None => {
            let (number,): (i64,) = sqlx::query_as(
                "UPDATE products SET idea_seq = idea_seq + 1 WHERE id = $1 RETURNING idea_seq",
            )
            .bind(product)
            .fetch_one(&mut *conn)
            .await?;
            number
        }
        Some(numbers) => {
            let last = match numbers.get(&product) {
                Some(last) => *last,
                None => {
                    let (last,): (i64,) =
                        sqlx::query_as("SELECT idea_seq FROM products WHERE id = $1 FOR UPDATE")
                            .bind(product)
                            .fetch_one(&mut *conn)
                            .await?;
                    last
                }
            };
            numbers.insert(product, last + 1);
            last + 1
        }
    };
    let inserted: Option<(Uuid,)> = sqlx::query_as(
        "INSERT INTO ideas (id, workspace_id, product_id, number, title, as_a, i_want, so_that, \
         description, status, owner_id, external_source, external_id, created_by, created_at, \
         updated_at, kind, bug_steps, bug_expected, bug_actual, bug_environment, bug_severity) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, \
         $17, $18, $19, $20, $21) \
         ON CONFLICT (workspace_id, external_source, external_id) DO NOTHING RETURNING id",
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
    .bind(n.text.kind.as_str())
    .bind(&n.text.bug.steps)
    .bind(&n.text.bug.expected)
    .bind(&n.text.bug.actual)
    .bind(&n.text.bug.environment)
    .bind(n.text.bug.severity.map(Severity::as_str))
    .fetch_optional(&mut *conn)
    .await?;
    if inserted.is_none() {
        // A concurrent import of the same pair committed first: give the number back (the
        // product row is still ours) and update that idea like any re-import.
        match numbers {
            None => {
                sqlx::query("UPDATE products SET idea_seq = idea_seq - 1 WHERE id = $1")
                    .bind(product)
                    .execute(&mut *conn)
                    .await?;
            }
            Some(numbers) => {
                numbers.insert(product, number - 1);
            }
        }
        return match external_idea(conn, n.workspace_id, &n.external).await? {
            Some(id) => reimport_idea(conn, n, id).await,
            None => Err(StoreError::Duplicate("external_id").into()),
        };
    }
    set_idea_tags(conn, n.workspace_id, n.id, &n.tags).await?;
    if let Some(first) = &n.evidence {
        insert_evidence(
            conn,
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
    let idea = idea_in_tx(conn, n.workspace_id, n.id, "").await?;
    reindex_idea(conn, &idea).await?;
    Ok((idea, true))
}

/// Writes back the last number a batch handed out in each product (locked since).
pub(crate) async fn write_idea_numbers(conn: &mut PgConnection, numbers: &IdeaNumbers) -> Res<()> {
    for (product, last) in numbers {
        sqlx::query("UPDATE products SET idea_seq = $1 WHERE id = $2")
            .bind(last)
            .bind(product)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One merge (see `DiscoveryStore::merge_ideas`), inside the caller's transaction: a merge
/// alone, or each merge of a merge decision.
pub(crate) async fn merge_in_tx(tx: &mut PgConnection, m: &IdeaMerge) -> Res<Idea> {
    let ws = m.workspace_id;
    // Both ideas, in id order (two opposite merges queue), then every evidence row of
    // both: nothing can link, unlink or move them until this commits.
    lock_ideas(&mut *tx, ws, &[m.from_idea_id.0, m.into_idea_id.0]).await?;
    let from = idea_in_tx(&mut *tx, ws, m.from_idea_id, "").await?;
    let into = idea_in_tx(&mut *tx, ws, m.into_idea_id, "").await?;
    if from.id == into.id || from.status == IdeaStatus::Merged || into.status == IdeaStatus::Merged
    {
        return Err(StoreError::VersionConflict.into());
    }
    sqlx::query("SELECT id FROM evidence WHERE idea_id = ANY($1) ORDER BY id FOR UPDATE")
        .bind([from.id.0, into.id.0].as_slice())
        .fetch_all(&mut *tx)
        .await?;
    let moving = sqlx::query(&format!(
        "SELECT {EVIDENCE_COLS_E} FROM evidence e WHERE e.idea_id = $1 ORDER BY e.id"
    ))
    .bind(from.id.0)
    .fetch_all(&mut *tx)
    .await?;
    for row in &moving {
        let e = evidence(row)?;
        let kept: Option<(Uuid, String)> = sqlx::query_as(
            "SELECT id, importance FROM evidence WHERE idea_id = $1 AND feedback_id = $2",
        )
        .bind(into.id.0)
        .bind(e.feedback_id.0)
        .fetch_optional(&mut *tx)
        .await?;
        match kept {
            Some((kept_id, importance)) => {
                let current = Importance::parse(&importance).unwrap_or(e.importance);
                sqlx::query("UPDATE evidence SET importance = $1 WHERE id = $2")
                    .bind(max_importance(current, e.importance).as_str())
                    .bind(kept_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM evidence WHERE id = $1")
                    .bind(e.id.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "UPDATE feedback SET evidence_count = evidence_count - 1 \
                     WHERE id = $1",
                )
                .bind(e.feedback_id.0)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("UPDATE evidence SET idea_id = $1 WHERE id = $2")
                    .bind(into.id.0)
                    .bind(e.id.0)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    sqlx::query(
        "UPDATE ideas SET evidence_count = \
         (SELECT COUNT(*) FROM evidence WHERE idea_id = ideas.id), \
         updated_at = $1, version = version + 1 WHERE id = $2",
    )
    .bind(us(m.at))
    .bind(into.id.0)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE ideas SET status = 'merged', merged_into = $1, evidence_count = 0, \
         vote_count = 0, updated_at = $2, version = version + 1 WHERE id = $3",
    )
    .bind(into.id.0)
    .bind(us(m.at))
    .bind(from.id.0)
    .execute(&mut *tx)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO idea_merges ({MERGE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(m.id)
    .bind(ws.0)
    .bind(from.id.0)
    .bind(into.id.0)
    .bind(m.actor_id.map(|a| a.0))
    .bind(&m.reason)
    .bind(us(m.at))
    .execute(&mut *tx)
    .await?;
    record_change(
        &mut *tx,
        &from,
        m.actor_id,
        m.at,
        "status",
        from.status.as_str(),
        "merged",
    )
    .await?;
    record_change(
        &mut *tx,
        &into,
        m.actor_id,
        m.at,
        "merged_from",
        "",
        &from.reference,
    )
    .await?;
    unindex_doc(&mut *tx, from.id.0).await?;
    // Votes, subscribers and comments follow the evidence; the counts are recounted.
    crate::portal::merge_portal(&mut *tx, &from, &into).await?;
    idea_in_tx(&mut *tx, ws, into.id, "").await
}

pub(crate) async fn record_change(
    conn: &mut PgConnection,
    idea: &Idea,
    actor: Option<MemberId>,
    at: Timestamp,
    field: &str,
    old: &str,
    new: &str,
) -> Res<()> {
    sqlx::query(
        "INSERT INTO idea_changes (id, workspace_id, idea_id, at, actor_id, field, old_value, \
         new_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7())
    .bind(idea.workspace_id.0)
    .bind(idea.id.0)
    .bind(us(at))
    .bind(actor.map(|a| a.0))
    .bind(field)
    .bind(old)
    .bind(new)
    .execute(conn)
    .await?;
    Ok(())
}

fn push_feedback_filter(q: &mut QueryBuilder<'_, Postgres>, ws: WorkspaceId, f: &FeedbackFilter) {
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
impl DiscoveryStore for PgStore {
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
            "SELECT {CUSTOMER_COLS}, name_key FROM customers WHERE workspace_id = $1 \
             AND name_key > $2 ORDER BY name_key LIMIT $3"
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

    async fn find_customers(
        &self,
        ws: WorkspaceId,
        prefix: &str,
        limit: i64,
    ) -> StoreResult<Vec<Customer>> {
        // starts_with, not a range: under a linguistic collation the names sharing a prefix
        // need not be contiguous in the index order.
        let rows = sqlx::query(&format!(
            "SELECT {CUSTOMER_COLS} FROM customers WHERE workspace_id = $1 \
             AND starts_with(name_key, $2) ORDER BY name_key LIMIT $3"
        ))
        .bind(ws.0)
        .bind(prefix.to_lowercase())
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(customer).collect()
    }

    async fn get_customer(&self, ws: WorkspaceId, id: CustomerId) -> StoreResult<Customer> {
        let row = sqlx::query(&format!(
            "SELECT {CUSTOMER_COLS} FROM customers WHERE id = $1 AND workspace_id = $2"
        ))
        .bind(id.0)
        .bind(ws.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref()
            .map(customer)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn update_customer(
        &self,
        ws: WorkspaceId,
        id: CustomerId,
        expected_version: i64,
        p: CustomerPatch,
    ) -> StoreResult<Customer> {
        let p = &p;
        retrying("update_customer", || async move {
            let mut tx = self.pool.begin().await?;
            let row = sqlx::query(&format!(
                "SELECT {CUSTOMER_COLS} FROM customers WHERE id = $1 AND workspace_id = $2 \
                 FOR UPDATE"
            ))
            .bind(id.0)
            .bind(ws.0)
            .fetch_optional(&mut *tx)
            .await?;
            let c = row
                .as_ref()
                .map(customer)
                .transpose()?
                .ok_or(StoreError::NotFound)?;
            if c.version != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            let renamed = p.name.as_ref().is_some_and(|n| *n != c.name);
            let name = p.name.clone().unwrap_or(c.name);
            let row = sqlx::query(&format!(
                "UPDATE customers SET name = $1, name_key = $2, kind = $3, segment = $4, \
                 weight = $5, updated_at = $6, version = version + 1 WHERE id = $7 \
                 RETURNING {CUSTOMER_COLS}"
            ))
            .bind(&name)
            .bind(name.to_lowercase())
            .bind(p.kind.unwrap_or(c.kind).as_str())
            .bind(p.segment.clone().unwrap_or(c.segment))
            .bind(p.weight.unwrap_or(c.weight))
            .bind(us(p.now.unwrap_or(c.updated_at)))
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
            let c = customer(&row)?;
            if renamed {
                // The name is part of the search text of the customer's feedback.
                let ids: Vec<(Uuid,)> =
                    sqlx::query_as("SELECT id FROM feedback WHERE customer_id = $1 ORDER BY id")
                        .bind(id.0)
                        .fetch_all(&mut *tx)
                        .await?;
                for (fid,) in ids {
                    let f = feedback_in_tx(&mut tx, ws, FeedbackId(fid), "FOR UPDATE OF f").await?;
                    reindex_feedback(&mut tx, &f).await?;
                }
            }
            tx.commit().await?;
            Ok(c)
        })
        .await
    }

    async fn create_feedback(&self, n: NewFeedback) -> StoreResult<Feedback> {
        let n = &n;
        retrying("create_feedback", || async move {
            let mut tx = self.pool.begin().await?;
            let (f, _) = upsert_feedback(&mut tx, n).await?;
            tx.commit().await?;
            Ok(f)
        })
        .await
    }

    async fn create_feedback_audited(
        &self,
        n: NewFeedback,
        audit: AuditEvent,
    ) -> StoreResult<Feedback> {
        let (n, audit) = (&n, &audit);
        retrying("create_feedback_audited", || async move {
            let mut tx = self.pool.begin().await?;
            let (f, _) = upsert_feedback(&mut tx, n).await?;
            let mut audit = audit.clone();
            audit.target_id = Some(f.id.to_string());
            crate::store::insert_audit(&mut *tx, &audit).await?;
            tx.commit().await?;
            Ok(f)
        })
        .await
    }

    async fn import_feedback(&self, items: Vec<NewFeedback>) -> StoreResult<ImportCounts> {
        // Analyzed before the transaction starts, off the async threads.
        let items = tokio::task::spawn_blocking(move || analyze_feedback(items))
            .await
            .map_err(|e| StoreError::Other(format!("analyzing the import failed: {e}")))?;
        self.import_analyzed_feedback(items).await
    }

    async fn import_feedback_feed(&self, feed: FeedbackFeed) -> StoreResult<ImportCounts> {
        // One transaction that can be retried needs every item at hand: the feed is read to
        // its end first (the memory target of imports is SQLite's, docs/PERFORMANCE.md).
        let items = tokio::task::spawn_blocking(move || feed.collect_blocking())
            .await
            .map_err(|e| StoreError::Other(format!("the import's reader failed: {e}")))??;
        self.import_analyzed_feedback(items).await
    }

    async fn get_feedback(&self, ws: WorkspaceId, id: FeedbackId) -> StoreResult<Feedback> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(feedback_in_tx(&mut conn, ws, id, "").await?)
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
        let mut q =
            QueryBuilder::<Postgres>::new(format!("SELECT {FEEDBACK_COLS} {FEEDBACK_FROM}"));
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
        let mut q = match filter.counted_sources() {
            // Kept by triggers (migration 0005): a few rows instead of every matching item.
            Some(sources) => {
                let mut q = QueryBuilder::<Postgres>::new(
                    "SELECT state, SUM(n)::bigint AS n FROM inbox_counts WHERE workspace_id = ",
                );
                q.push_bind(ws.0);
                if let Some(p) = filter.product {
                    q.push(" AND product_id = ")
                        .push_bind(p.map_or(Uuid::nil(), |p| p.0));
                }
                if sources.len() < SourceKind::ALL.len() {
                    let names: Vec<String> =
                        sources.iter().map(|s| s.as_str().to_owned()).collect();
                    q.push(" AND source = ANY(").push_bind(names).push(")");
                }
                q.push(" GROUP BY state");
                q
            }
            None => {
                let mut q =
                    QueryBuilder::<Postgres>::new("SELECT f.state, COUNT(*) AS n FROM feedback f");
                push_feedback_filter(&mut q, ws, filter);
                q.push(" GROUP BY f.state");
                q
            }
        };
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
        let p = &p;
        retrying("update_feedback", || async move {
            let mut tx = self.pool.begin().await?;
            let f = feedback_in_tx(&mut tx, ws, id, "FOR NO KEY UPDATE OF f").await?;
            if f.version != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            let now = p.now.unwrap_or(f.updated_at);
            let product = p.product_id.unwrap_or(f.product_id);
            if let Some(pid) = product {
                check_product(&mut tx, ws, pid).await?;
            }
            if let Some(a) = p.assignee_id.flatten() {
                check_member(&mut tx, ws, Some(a)).await?;
            }
            let customer = match &p.customer {
                Some(Some(c)) => Some(customer_id_for(&mut tx, ws, c, now).await?),
                Some(None) => None,
                None => f.customer_id,
            };
            let source = p.source.unwrap_or(f.source);
            sqlx::query(
                "UPDATE feedback SET product_id = $1, text = $2, source = $3, origin = $4, \
                 customer_id = $5, contact = $6, observed_at = $7, state = $8, assignee_id = $9, \
                 updated_at = $10, version = version + 1 WHERE id = $11",
            )
            .bind(product.map(|p| p.0))
            .bind(p.text.as_ref().unwrap_or(&f.text))
            .bind(source.as_str())
            .bind(source.origin().as_str())
            .bind(customer.map(|c| c.0))
            .bind(p.contact.clone().unwrap_or(f.contact))
            .bind(us(p.observed_at.unwrap_or(f.observed_at)))
            .bind(p.state.unwrap_or(f.state).as_str())
            .bind(p.assignee_id.unwrap_or(f.assignee_id).map(|a| a.0))
            .bind(us(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            if let Some(tags) = &p.tags {
                set_feedback_tags(&mut tx, ws, id, tags).await?;
            }
            let f = feedback_in_tx(&mut tx, ws, id, "").await?;
            reindex_feedback(&mut tx, &f).await?;
            tx.commit().await?;
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
        let change = &change;
        let now = change.now.unwrap_or_else(now);
        let all: Vec<Uuid> = ids.iter().map(|i| i.0).collect();
        let all = &all;
        retrying("bulk_update_feedback", || async move {
            let mut tx = self.pool.begin().await?;
            if let Some(Some(p)) = change.product_id {
                check_product(&mut tx, ws, p).await?;
            }
            if let Some(Some(a)) = change.assignee_id {
                check_member(&mut tx, ws, Some(a)).await?;
            }
            // Lock every item first, in id order: two bulk actions over overlapping
            // selections queue instead of deadlocking.
            let locked: Vec<(Uuid, Option<Uuid>)> = sqlx::query_as(
                "SELECT id, product_id FROM feedback WHERE workspace_id = $1 AND id = ANY($2) \
                 ORDER BY id FOR NO KEY UPDATE",
            )
            .bind(ws.0)
            .bind(all)
            .fetch_all(&mut *tx)
            .await?;
            let wanted: std::collections::HashSet<&Uuid> = all.iter().collect();
            if locked.len() != wanted.len() {
                return Err(StoreError::NotFound.into());
            }
            // One statement for the whole selection; a field left out keeps each item's value.
            sqlx::query(
                "UPDATE feedback SET state = COALESCE($3::text, state), \
                 assignee_id = CASE WHEN $4 THEN $5::uuid ELSE assignee_id END, \
                 product_id = CASE WHEN $6 THEN $7::uuid ELSE product_id END, \
                 updated_at = $8, version = version + 1 WHERE workspace_id = $1 AND id = ANY($2)",
            )
            .bind(ws.0)
            .bind(all)
            .bind(change.state.map(|s| s.as_str()))
            .bind(change.assignee_id.is_some())
            .bind(change.assignee_id.flatten().map(|a| a.0))
            .bind(change.product_id.is_some())
            .bind(change.product_id.flatten().map(|p| p.0))
            .bind(us(now))
            .execute(&mut *tx)
            .await?;
            if let Some(product) = change.product_id {
                let product = product.map(|p| p.0);
                let moved: Vec<Uuid> = locked
                    .iter()
                    .filter(|(_, was)| *was != product)
                    .map(|(id, _)| *id)
                    .collect();
                if !moved.is_empty() {
                    sqlx::query("UPDATE search_docs SET product_id = $1 WHERE entity_id = ANY($2)")
                        .bind(product)
                        .bind(&moved)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok(ids.len() as u64)
        })
        .await
    }

    async fn delete_feedback(
        &self,
        ws: WorkspaceId,
        id: FeedbackId,
        expected_version: i64,
    ) -> StoreResult<()> {
        retrying("delete_feedback", || async move {
            let mut tx = self.pool.begin().await?;
            // Ideas before the item (the order of merges and links): read which ideas it
            // supports, lock them, then the item.
            let linked: Vec<(Uuid,)> =
                sqlx::query_as("SELECT idea_id FROM evidence WHERE feedback_id = $1")
                    .bind(id.0)
                    .fetch_all(&mut *tx)
                    .await?;
            let linked: Vec<Uuid> = linked.into_iter().map(|r| r.0).collect();
            lock_ideas(&mut tx, ws, &linked).await?;
            let row: Option<(i64,)> = sqlx::query_as(
                "SELECT version FROM feedback WHERE id = $1 AND workspace_id = $2 FOR UPDATE",
            )
            .bind(id.0)
            .bind(ws.0)
            .fetch_optional(&mut *tx)
            .await?;
            let (version,) = row.ok_or(StoreError::NotFound)?;
            if version != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            // Each idea loses exactly the links deleted here ((idea, feedback) is unique).
            let unlinked: Vec<(Uuid,)> =
                sqlx::query_as("DELETE FROM evidence WHERE feedback_id = $1 RETURNING idea_id")
                    .bind(id.0)
                    .fetch_all(&mut *tx)
                    .await?;
            let unlinked: Vec<Uuid> = unlinked.into_iter().map(|r| r.0).collect();
            if !unlinked.is_empty() {
                sqlx::query(
                    "UPDATE ideas SET evidence_count = evidence_count - 1 WHERE id = ANY($1)",
                )
                .bind(&unlinked)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("DELETE FROM feedback WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            unindex_doc(&mut tx, id.0).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn create_idea(&self, n: NewIdea) -> StoreResult<Idea> {
        let n = &n;
        retrying("create_idea", || async move {
            let mut tx = self.pool.begin().await?;
            let (idea, _) = insert_idea(&mut tx, n).await?;
            tx.commit().await?;
            Ok(idea)
        })
        .await
    }

    async fn import_ideas(&self, items: Vec<NewIdea>) -> StoreResult<ImportCounts> {
        let items = &items;
        retrying("import_ideas", || async move {
            let mut tx = self.pool.begin().await?;
            let mut counts = ImportCounts::default();
            let mut numbers = IdeaNumbers::new();
            for n in items {
                if insert_idea_numbered(&mut tx, n, Some(&mut numbers))
                    .await?
                    .1
                {
                    counts.created += 1;
                } else {
                    counts.updated += 1;
                }
            }
            write_idea_numbers(&mut tx, &numbers).await?;
            tx.commit().await?;
            Ok(counts)
        })
        .await
    }

    async fn get_idea(&self, ws: WorkspaceId, id: IdeaId) -> StoreResult<Idea> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(idea_in_tx(&mut conn, ws, id, "").await?)
    }

    async fn get_idea_by_number(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        number: i64,
    ) -> StoreResult<Idea> {
        let row = sqlx::query(&format!(
            "SELECT {IDEA_COLS} {IDEA_FROM} WHERE i.product_id = $1 AND i.number = $2 \
             AND i.workspace_id = $3"
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
        let mut q = QueryBuilder::<Postgres>::new(format!("SELECT {IDEA_COLS} {IDEA_FROM}"));
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
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        let items = rows.iter().map(idea).collect::<StoreResult<Vec<_>>>()?;
        let page_items = Page::from_rows(items, page, |i| i.id.to_string());
        let items = with_figures(&self.pool, page_items.items).await?;
        Ok(Page {
            items,
            next_cursor: page_items.next_cursor,
        })
    }

    async fn list_idea_owners(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<Vec<IdeaOwner>> {
        // One row per owner in the counts the triggers keep, with the owner's name
        // (migrations 0011, 0014): one range of `idea_owner_counts_names`, in order.
        let rows: Vec<(Uuid, String)> = sqlx::query_as(
            "SELECT owner_id, name FROM idea_owner_counts WHERE product_id = $2 \
             AND EXISTS (SELECT 1 FROM products WHERE id = $2 AND workspace_id = $1) \
             ORDER BY name, email, owner_id",
        )
        .bind(ws.0)
        .bind(product.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| IdeaOwner {
                id: MemberId(id),
                name,
            })
            .collect())
    }

    async fn update_idea(
        &self,
        ws: WorkspaceId,
        id: IdeaId,
        expected_version: i64,
        p: IdeaPatch,
    ) -> StoreResult<Idea> {
        let p = &p;
        retrying("update_idea", || async move {
            let mut tx = self.pool.begin().await?;
            let old = idea_in_tx(&mut tx, ws, id, "FOR NO KEY UPDATE OF i").await?;
            if old.version != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            if let Some(Some(o)) = p.owner_id {
                check_member(&mut tx, ws, Some(o)).await?;
            }
            let now = p.now.unwrap_or(old.updated_at);
            let new_owner = p.owner_id.unwrap_or(old.owner_id);
            let bug = p.bug.as_ref().unwrap_or(&old.bug);
            sqlx::query(
                "UPDATE ideas SET title = $1, as_a = $2, i_want = $3, so_that = $4, \
                 description = $5, status = $6, owner_id = $7, updated_at = $8, \
                 version = version + 1, kind = $10, bug_steps = $11, bug_expected = $12, \
                 bug_actual = $13, bug_environment = $14, bug_severity = $15 WHERE id = $9",
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
            .bind(p.kind.unwrap_or(old.kind).as_str())
            .bind(&bug.steps)
            .bind(&bug.expected)
            .bind(&bug.actual)
            .bind(&bug.environment)
            .bind(bug.severity.map(Severity::as_str))
            .execute(&mut *tx)
            .await?;
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
            for (field, old_v, new) in bug_changes(&old, p.kind, p.bug.as_ref()) {
                record_change(&mut tx, &old, p.actor, now, field, &old_v, &new).await?;
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
            let idea = idea_in_tx(&mut tx, ws, id, "").await?;
            reindex_idea(&mut tx, &idea).await?;
            tx.commit().await?;
            Ok(idea)
        })
        .await
    }

    async fn list_idea_changes(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<IdeaChange>> {
        let rows = sqlx::query(&format!(
            "SELECT {CHANGE_COLS} FROM idea_changes WHERE idea_id = $1 AND workspace_id = $2 \
             ORDER BY id"
        ))
        .bind(idea.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(idea_change).collect()
    }

    async fn merge_ideas(&self, m: IdeaMerge) -> StoreResult<Idea> {
        let m = &m;
        retrying("merge_ideas", || async move {
            let mut tx = self.pool.begin().await?;
            let into = merge_in_tx(&mut tx, m).await?;
            tx.commit().await?;
            Ok(into)
        })
        .await
    }

    async fn list_merges_into(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<Vec<IdeaMerge>> {
        let rows = sqlx::query(&format!(
            "SELECT {MERGE_COLS} FROM idea_merges WHERE into_idea_id = $1 AND workspace_id = $2 \
             ORDER BY id"
        ))
        .bind(idea.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(merge).collect()
    }

    async fn add_evidence(&self, e: NewEvidence) -> StoreResult<Evidence> {
        let e = &e;
        retrying("add_evidence", || async move {
            let mut tx = self.pool.begin().await?;
            let ev = insert_evidence(&mut tx, e).await?;
            tx.commit().await?;
            Ok(ev)
        })
        .await
    }

    async fn import_evidence(&self, items: Vec<NewEvidence>) -> StoreResult<u64> {
        let items = &items;
        retrying("import_evidence", || async move {
            let mut tx = self.pool.begin().await?;
            let made = crate::import::import_evidence(&mut tx, items).await?;
            tx.commit().await?;
            Ok(made)
        })
        .await
    }

    async fn remove_evidence(&self, ws: WorkspaceId, id: EvidenceId) -> StoreResult<()> {
        retrying("remove_evidence", || async move {
            let mut tx = self.pool.begin().await?;
            // The idea first (the order merges take): read which idea holds the link, lock it,
            // and delete the link only if a merge did not move it meanwhile.
            for _ in 0..MAX_CHASES {
                let row: Option<(Uuid,)> = sqlx::query_as(
                    "SELECT idea_id FROM evidence WHERE id = $1 AND workspace_id = $2",
                )
                .bind(id.0)
                .bind(ws.0)
                .fetch_optional(&mut *tx)
                .await?;
                let (idea_id,) = row.ok_or(StoreError::NotFound)?;
                lock_ideas(&mut tx, ws, &[idea_id]).await?;
                let deleted: Option<(Uuid,)> = sqlx::query_as(
                    "DELETE FROM evidence WHERE id = $1 AND idea_id = $2 RETURNING feedback_id",
                )
                .bind(id.0)
                .bind(idea_id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((feedback_id,)) = deleted else {
                    continue;
                };
                sqlx::query("UPDATE ideas SET evidence_count = evidence_count - 1 WHERE id = $1")
                    .bind(idea_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "UPDATE feedback SET evidence_count = evidence_count - 1 WHERE id = $1",
                )
                .bind(feedback_id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                return Ok(());
            }
            Err(StoreError::Other("evidence kept moving during the write".into()).into())
        })
        .await
    }

    async fn list_idea_evidence(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<EvidenceOnIdea>> {
        let rows = sqlx::query(&format!(
            "SELECT {FEEDBACK_COLS}, {EVIDENCE_COLS_E} {FEEDBACK_FROM} \
             JOIN evidence e ON e.feedback_id = f.id \
             WHERE e.idea_id = $1 AND e.workspace_id = $2 \
             ORDER BY CASE e.importance WHEN 'critical' THEN 0 WHEN 'important' THEN 1 ELSE 2 END, \
             e.id DESC"
        ))
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
        let rows = sqlx::query(&format!(
            "SELECT {IDEA_COLS}, {EVIDENCE_COLS_E} {IDEA_FROM} \
             JOIN evidence e ON e.idea_id = i.id WHERE e.feedback_id = $1 AND e.workspace_id = $2 \
             ORDER BY e.id"
        ))
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
        // As on SQLite, only the newest SEARCH_WINDOW matches are ranked: `ts_rank` reads each
        // ranked row, and a common word matches a tenth of a million items. The window is
        // filled from the newest recency buckets backwards (`search_window`); the best `limit`
        // of it are then read with their records.
        let Some(mut best) = search_window(&self.pool, ws, query).await? else {
            return Ok(Vec::new());
        };
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(usize::try_from(query.limit.clamp(1, 100)).unwrap_or(100));
        let (docs, ranks): (Vec<i64>, Vec<f32>) = best.into_iter().unzip();
        let rows = sqlx::query(
            "SELECT r.kind, r.entity_id, r.product_id, r.rank, fb.text AS feedback_text, \
             p.key AS product_key, i.number, i.title, i.i_want || ' ' || i.so_that AS story, \
             i.description, COALESCE(pe.name, co.name, rn.title) AS other_title, \
             COALESCE(pe.description || E'\\n' || pe.goals || E'\\n' || pe.frustrations, \
             co.strengths || E'\\n' || co.weaknesses, rn.participant || E'\\n' || rn.notes) \
             AS other_text \
             FROM (SELECT d.kind, d.entity_id, d.product_id, x.rank, x.ord \
                   FROM UNNEST($1::bigint[], $2::real[]) WITH ORDINALITY AS x(doc, rank, ord) \
                   JOIN search_docs d ON d.doc = x.doc) r \
             LEFT JOIN feedback fb ON r.kind = 'feedback' AND fb.id = r.entity_id \
             LEFT JOIN ideas i ON r.kind = 'idea' AND i.id = r.entity_id \
             LEFT JOIN products p ON p.id = i.product_id \
             LEFT JOIN personas pe ON r.kind = 'persona' AND pe.id = r.entity_id \
             LEFT JOIN competitors co ON r.kind = 'competitor' AND co.id = r.entity_id \
             LEFT JOIN research_notes rn ON r.kind = 'research_note' AND rn.id = r.entity_id \
             ORDER BY r.ord",
        )
        .bind(&docs)
        .bind(&ranks)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut hits = Vec::with_capacity(rows.len());
        for r in &rows {
            let kind = parse(&get::<String>(r, "kind")?, SearchKind::parse, "kind")?;
            let (title, text) = match kind {
                SearchKind::Feedback => (
                    String::new(),
                    get::<Option<String>>(r, "feedback_text")?.unwrap_or_default(),
                ),
                SearchKind::Idea => {
                    let Some(key) = get::<Option<String>>(r, "product_key")? else {
                        continue;
                    };
                    let number: i64 = get(r, "number")?;
                    let title: String = get(r, "title")?;
                    let story: String = get(r, "story")?;
                    let description: String = get(r, "description")?;
                    (
                        format!("{} {title}", idea_reference(&key, number)),
                        format!("{story}\n{description}"),
                    )
                }
                SearchKind::Persona | SearchKind::Competitor | SearchKind::ResearchNote => {
                    let Some(title) = get::<Option<String>>(r, "other_title")? else {
                        continue;
                    };
                    (
                        title,
                        get::<Option<String>>(r, "other_text")?.unwrap_or_default(),
                    )
                }
            };
            let rank: f32 = get(r, "rank")?;
            hits.push(SearchHit {
                kind,
                id: get(r, "entity_id")?,
                product_id: get::<Option<Uuid>>(r, "product_id")?.map(ProductId),
                title,
                text,
                score: f64::from(rank),
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
        // Any of the words, within the product: through the index `search_docs_idea_scope`
        // (migration 0016), which holds ideas alone, each with its product's lexeme.
        let mut q =
            QueryBuilder::<Postgres>::new("SELECT d.entity_id FROM search_docs d, (SELECT ");
        if !push_tsquery(&mut q, &words, false) {
            return Ok(Vec::new());
        }
        // `numnode`: an empty query (no lexeme in the words) ANDed with the product's lexeme
        // would match every idea of the product.
        q.push(format!(
            " AS q) s WHERE numnode(s.q) > 0 AND {SIMILAR_SCOPE} @@ (s.q && "
        ))
        .push_bind(format!("'@{}'", product.0))
        .push("::tsquery) AND d.kind = 'idea' AND d.workspace_id = ")
        .push_bind(ws.0)
        .push(" AND d.product_id = ")
        .push_bind(product.0);
        if let Some(x) = exclude {
            q.push(" AND d.entity_id <> ").push_bind(x.0);
        }
        q.push(format!(" ORDER BY {RANK} DESC, d.doc LIMIT "))
            .push_bind(i64::from(limit.clamp(1, 200)));
        let ids: Vec<(Uuid,)> = q
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let id_list: Vec<Uuid> = ids.iter().map(|r| r.0).collect();
        let rows = sqlx::query(&format!(
            "SELECT {IDEA_COLS} {IDEA_FROM} WHERE i.workspace_id = $1 AND i.id = ANY($2)"
        ))
        .bind(ws.0)
        .bind(&id_list)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut ideas = rows.iter().map(idea).collect::<StoreResult<Vec<_>>>()?;
        // Keep the index's order.
        let order: HashMap<Uuid, usize> =
            id_list.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        ideas.sort_by_key(|i| order.get(&i.id.0).copied().unwrap_or(usize::MAX));
        Ok(ideas)
    }
}

// --- moving data ------------------------------------------------------------------------------

/// Reads the discovery tables into the dump, inside the dump's REPEATABLE READ transaction.
pub(crate) async fn dump(conn: &mut PgConnection, d: &mut DiscoveryDump) -> Res<()> {
    for r in sqlx::query(&format!(
        "SELECT {CUSTOMER_COLS} FROM customers ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.customers.push(customer(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {FEEDBACK_COLS} {FEEDBACK_FROM} ORDER BY f.id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.feedback.push(feedback(&r)?);
    }
    let mut ideas = Vec::new();
    for r in sqlx::query(&format!("SELECT {IDEA_COLS} {IDEA_FROM} ORDER BY i.id"))
        .fetch_all(&mut *conn)
        .await?
    {
        ideas.push(idea(&r)?);
    }
    for chunk in ideas.chunks(500) {
        d.ideas
            .extend(with_figures(&mut *conn, chunk.to_vec()).await?);
    }
    for r in sqlx::query(&format!(
        "SELECT {CHANGE_COLS} FROM idea_changes ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.idea_changes.push(idea_change(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {EVIDENCE_COLS_E} FROM evidence e ORDER BY e.id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.evidence.push(evidence(&r)?);
    }
    for r in sqlx::query(&format!("SELECT {MERGE_COLS} FROM idea_merges ORDER BY id"))
        .fetch_all(&mut *conn)
        .await?
    {
        d.idea_merges.push(merge(&r)?);
    }
    Ok(())
}

/// Writes the discovery tables of a dump and rebuilds what is derived: the search index and
/// each product's idea counter.
pub(crate) async fn load(conn: &mut PgConnection, d: &DiscoveryDump) -> Res<()> {
    for c in &d.customers {
        sqlx::query(&format!(
            "INSERT INTO customers ({CUSTOMER_COLS}, name_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))
        .bind(c.id.0)
        .bind(c.workspace_id.0)
        .bind(&c.name)
        .bind(c.kind.as_str())
        .bind(&c.segment)
        .bind(c.weight)
        .bind(us(c.created_at))
        .bind(us(c.updated_at))
        .bind(c.version)
        .bind(c.name.to_lowercase())
        .execute(&mut *conn)
        .await?;
    }
    for f in &d.feedback {
        sqlx::query(
            "INSERT INTO feedback (id, workspace_id, product_id, text, source, origin, \
             customer_id, contact, author_id, observed_at, state, assignee_id, evidence_count, \
             external_source, external_id, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
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
        .execute(&mut *conn)
        .await?;
        set_feedback_tags(conn, f.workspace_id, f.id, &f.tags).await?;
        reindex_feedback(conn, f).await?;
    }
    for i in &d.ideas {
        // `merged_into` is set below, once every idea exists: an idea may have been merged into
        // one created after it, which this loop (in id order) has not inserted yet.
        sqlx::query(
            "INSERT INTO ideas (id, workspace_id, product_id, number, title, as_a, i_want, \
             so_that, description, status, owner_id, evidence_count, vote_count, \
             external_source, external_id, created_by, created_at, updated_at, version, kind, \
             bug_steps, bug_expected, bug_actual, bug_environment, bug_severity) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19, $20, $21, $22, $23, $24, $25)",
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
        .bind(i.evidence_count)
        .bind(i.vote_count)
        .bind(&i.external_source)
        .bind(&i.external_id)
        .bind(i.created_by.map(|m| m.0))
        .bind(us(i.created_at))
        .bind(us(i.updated_at))
        .bind(i.version)
        .bind(i.kind.as_str())
        .bind(&i.bug.steps)
        .bind(&i.bug.expected)
        .bind(&i.bug.actual)
        .bind(&i.bug.environment)
        .bind(i.bug.severity.map(Severity::as_str))
        .execute(&mut *conn)
        .await?;
        set_idea_tags(conn, i.workspace_id, i.id, &i.tags).await?;
        reindex_idea(conn, i).await?;
    }
    for i in &d.ideas {
        if let Some(into) = i.merged_into {
            sqlx::query("UPDATE ideas SET merged_into = $1 WHERE id = $2")
                .bind(into.0)
                .bind(i.id.0)
                .execute(&mut *conn)
                .await?;
        }
    }
    sqlx::query(
        "UPDATE products SET idea_seq = \
         (SELECT COALESCE(MAX(number), 0) FROM ideas WHERE ideas.product_id = products.id)",
    )
    .execute(&mut *conn)
    .await?;
    for c in &d.idea_changes {
        sqlx::query(&format!(
            "INSERT INTO idea_changes ({CHANGE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(c.id)
        .bind(c.workspace_id.0)
        .bind(c.idea_id.0)
        .bind(us(c.at))
        .bind(c.actor_id.map(|a| a.0))
        .bind(&c.field)
        .bind(&c.old_value)
        .bind(&c.new_value)
        .execute(&mut *conn)
        .await?;
    }
    for e in &d.evidence {
        sqlx::query(
            "INSERT INTO evidence (id, workspace_id, idea_id, feedback_id, excerpt, importance, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(e.id.0)
        .bind(e.workspace_id.0)
        .bind(e.idea_id.0)
        .bind(e.feedback_id.0)
        .bind(&e.excerpt)
        .bind(e.importance.as_str())
        .bind(e.created_by.map(|m| m.0))
        .bind(us(e.created_at))
        .execute(&mut *conn)
        .await?;
    }
    for m in &d.idea_merges {
        sqlx::query(&format!(
            "INSERT INTO idea_merges ({MERGE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ))
        .bind(m.id)
        .bind(m.workspace_id.0)
        .bind(m.from_idea_id.0)
        .bind(m.into_idea_id.0)
        .bind(m.actor_id.map(|a| a.0))
        .bind(&m.reason)
        .bind(us(m.at))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
