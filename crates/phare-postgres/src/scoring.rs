//! `impl ScoringStore for PgStore`: the same behaviour as the SQLite store. Moves and settings
//! changes lock the product row first (`FOR UPDATE`), so concurrent moves in one product run
//! one after the other and never compute the same key; every unit runs through `retrying`.

use crate::discovery::{check_product, idea_in_tx, lock_ideas, record_change, reindex_idea, Res};
use crate::rows::{get, parse, parse_opt, us};
use crate::store::{map_err, retrying};
use crate::PgStore;
use async_trait::async_trait;
use phare_domain::backlog::{default_rank, key_between};
use phare_domain::scoring::Criterion;
use phare_domain::*;
use phare_store::*;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

const SCORE_COLS: &str = "idea_id, framework, workspace_id, product_id, inputs, value, \
     updated_by, updated_at, version";
const BACKLOG_COLS: &str = "i.id, i.number, i.kind, i.title, i.status, i.owner_id, i.score, \
     i.rank, i.evidence_count, i.vote_count, i.bug_severity";
const VIEW_COLS: &str =
    "id, workspace_id, product_id, owner_id, shared, name, query, created_at, version";

fn score_row(row: &PgRow) -> StoreResult<IdeaScore> {
    let inputs: String = get(row, "inputs")?;
    Ok(IdeaScore {
        idea_id: IdeaId(get(row, "idea_id")?),
        framework: parse(
            &get::<String>(row, "framework")?,
            Framework::parse,
            "framework",
        )?,
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        inputs: serde_json::from_str(&inputs)
            .map_err(|e| StoreError::Other(format!("inputs: {e}")))?,
        value: get(row, "value")?,
        updated_by: get::<Option<Uuid>>(row, "updated_by")?.map(MemberId),
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

fn backlog_row(key: &str, row: &PgRow) -> StoreResult<BacklogItem> {
    let number: i64 = get(row, "number")?;
    Ok(BacklogItem {
        id: IdeaId(get(row, "id")?),
        number,
        reference: idea_reference(key, number),
        kind: parse(&get::<String>(row, "kind")?, IdeaKind::parse, "kind")?,
        severity: parse_opt(get(row, "bug_severity")?, Severity::parse, "bug_severity")?,
        title: get(row, "title")?,
        status: parse(&get::<String>(row, "status")?, IdeaStatus::parse, "status")?,
        owner_id: get::<Option<Uuid>>(row, "owner_id")?.map(MemberId),
        score: get(row, "score")?,
        rank: get(row, "rank")?,
        evidence_count: get(row, "evidence_count")?,
        vote_count: get(row, "vote_count")?,
    })
}

fn view_row(row: &PgRow) -> StoreResult<BacklogView> {
    Ok(BacklogView {
        id: get(row, "id")?,
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        owner_id: MemberId(get(row, "owner_id")?),
        shared: get(row, "shared")?,
        name: get(row, "name")?,
        query: get(row, "query")?,
        created_at: get(row, "created_at")?,
        version: get(row, "version")?,
    })
}

async fn settings_in_tx(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    product: ProductId,
) -> Res<ScoringSettings> {
    check_product(&mut *conn, ws, product).await?;
    let head = sqlx::query(
        "SELECT primary_framework, updated_at, version FROM scoring_settings WHERE product_id = $1",
    )
    .bind(product.0)
    .fetch_optional(&mut *conn)
    .await?;
    let rows = sqlx::query(
        "SELECT id, name, scale, weight FROM scorecard_criteria WHERE product_id = $1 \
         ORDER BY position",
    )
    .bind(product.0)
    .fetch_all(&mut *conn)
    .await?;
    let criteria = rows
        .iter()
        .map(|r| {
            Ok(Criterion {
                id: get(r, "id")?,
                name: get(r, "name")?,
                scale: get(r, "scale")?,
                weight: get(r, "weight")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let (primary_framework, updated_at, version) = match head {
        Some(r) => (
            parse(
                &get::<String>(&r, "primary_framework")?,
                Framework::parse,
                "framework",
            )?,
            Some(get(&r, "updated_at")?),
            get::<i64>(&r, "version")?,
        ),
        None => (Framework::default(), None, 0),
    };
    Ok(ScoringSettings {
        workspace_id: ws,
        product_id: product,
        primary_framework,
        criteria,
        updated_at,
        version,
    })
}

async fn primary_of(conn: &mut PgConnection, product: ProductId) -> Res<Framework> {
    let f: Option<String> =
        sqlx::query_scalar("SELECT primary_framework FROM scoring_settings WHERE product_id = $1")
            .bind(product.0)
            .fetch_optional(conn)
            .await?;
    Ok(f.and_then(|f| Framework::parse(&f)).unwrap_or_default())
}

/// See the SQLite store: the scorecard formula of `phare_domain::scoring`, in one statement.
async fn rescore_scorecard(conn: &mut PgConnection, product: ProductId) -> Res<()> {
    let total: Option<f64> =
        sqlx::query_scalar("SELECT sum(weight) FROM scorecard_criteria WHERE product_id = $1")
            .bind(product.0)
            .fetch_one(&mut *conn)
            .await?;
    match total {
        Some(total) if total > 0.0 => {
            sqlx::query(
                "UPDATE idea_scores SET value = round(100.0 * coalesce((\
                   SELECT sum(k.weight * p.points / k.scale) FROM idea_criterion_points p \
                   JOIN scorecard_criteria k ON k.id = p.criterion_id \
                   WHERE p.idea_id = idea_scores.idea_id), 0) / $1 * 1e6) / 1e6 \
                 WHERE product_id = $2 AND framework = 'scorecard'",
            )
            .bind(total)
            .bind(product.0)
            .execute(&mut *conn)
            .await?;
        }
        _ => {
            sqlx::query(
                "DELETE FROM idea_scores WHERE product_id = $1 AND framework = 'scorecard'",
            )
            .bind(product.0)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

async fn refresh_scores(conn: &mut PgConnection, product: ProductId) -> Res<()> {
    let primary = primary_of(&mut *conn, product).await?;
    sqlx::query(
        "UPDATE ideas SET score = s.value FROM (SELECT i.id, x.value FROM ideas i \
           LEFT JOIN idea_scores x ON x.idea_id = i.id AND x.framework = $1 \
           WHERE i.product_id = $2) s \
         WHERE ideas.id = s.id AND ideas.score IS DISTINCT FROM s.value",
    )
    .bind(primary.as_str())
    .bind(product.0)
    .execute(conn)
    .await?;
    Ok(())
}

async fn upsert_score(conn: &mut PgConnection, s: &NewIdeaScore, product: ProductId) -> Res<()> {
    let inputs = serde_json::to_string(&s.inputs).map_err(|e| StoreError::Other(e.to_string()))?;
    sqlx::query(&format!(
        "INSERT INTO idea_scores ({SCORE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) \
         ON CONFLICT (idea_id, framework) DO UPDATE SET inputs = excluded.inputs, \
         value = excluded.value, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at, version = idea_scores.version + 1"
    ))
    .bind(s.idea_id.0)
    .bind(s.framework.as_str())
    .bind(s.workspace_id.0)
    .bind(product.0)
    .bind(inputs)
    .bind(s.value)
    .bind(s.updated_by.map(|m| m.0))
    .bind(us(s.now))
    .execute(&mut *conn)
    .await?;
    if s.framework == Framework::Scorecard {
        put_points(conn, s.workspace_id, s.idea_id, product, &s.inputs).await?;
    }
    Ok(())
}

async fn put_points(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    idea: IdeaId,
    product: ProductId,
    inputs: &ScoreInputs,
) -> Res<()> {
    sqlx::query("DELETE FROM idea_criterion_points WHERE idea_id = $1")
        .bind(idea.0)
        .execute(&mut *conn)
        .await?;
    for (criterion, points) in &inputs.criteria {
        sqlx::query(
            "INSERT INTO idea_criterion_points (idea_id, criterion_id, workspace_id, points) \
             SELECT $1, id, $2, $3 FROM scorecard_criteria WHERE id = $4 AND product_id = $5",
        )
        .bind(idea.0)
        .bind(ws.0)
        .bind(points)
        .bind(criterion)
        .bind(product.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn idea_product(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    idea: IdeaId,
) -> Res<(ProductId, String)> {
    let row = sqlx::query("SELECT product_id, rank FROM ideas WHERE id = $1 AND workspace_id = $2")
        .bind(idea.0)
        .bind(ws.0)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((ProductId(get(&row, "product_id")?), get(&row, "rank")?))
}

async fn product_key(conn: &mut PgConnection, ws: WorkspaceId, product: ProductId) -> Res<String> {
    let key: Option<String> =
        sqlx::query_scalar("SELECT key FROM products WHERE id = $1 AND workspace_id = $2")
            .bind(product.0)
            .bind(ws.0)
            .fetch_optional(conn)
            .await?;
    Ok(key.ok_or(StoreError::NotFound)?)
}

async fn one_rank(
    conn: &mut PgConnection,
    sql: &str,
    product: ProductId,
    rank: Option<&str>,
    me: Option<IdeaId>,
) -> Res<Option<String>> {
    let mut q = sqlx::query_scalar::<_, String>(sql).bind(product.0);
    if let Some(r) = rank {
        q = q.bind(r.to_owned());
    }
    if let Some(m) = me {
        q = q.bind(m.0);
    }
    Ok(q.fetch_optional(conn).await?)
}

async fn key_below(
    conn: &mut PgConnection,
    product: ProductId,
    me: IdeaId,
    rank: Option<&str>,
) -> Res<Option<String>> {
    match rank {
        Some(r) => {
            one_rank(
                conn,
                "SELECT rank FROM ideas WHERE product_id = $1 AND rank < $2 AND id <> $3 \
                 ORDER BY rank DESC LIMIT 1",
                product,
                Some(r),
                Some(me),
            )
            .await
        }
        None => {
            one_rank(
                conn,
                "SELECT rank FROM ideas WHERE product_id = $1 AND rank IS NOT NULL AND id <> $2 \
                 ORDER BY rank DESC LIMIT 1",
                product,
                None,
                Some(me),
            )
            .await
        }
    }
}

async fn key_above(
    conn: &mut PgConnection,
    product: ProductId,
    me: IdeaId,
    rank: Option<&str>,
) -> Res<Option<String>> {
    match rank {
        Some(r) => {
            one_rank(
                conn,
                "SELECT rank FROM ideas WHERE product_id = $1 AND rank > $2 AND id <> $3 \
                 ORDER BY rank LIMIT 1",
                product,
                Some(r),
                Some(me),
            )
            .await
        }
        None => {
            one_rank(
                conn,
                "SELECT rank FROM ideas WHERE product_id = $1 AND rank IS NOT NULL AND id <> $2 \
                 ORDER BY rank LIMIT 1",
                product,
                None,
                Some(me),
            )
            .await
        }
    }
}

async fn rank_of_in(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    product: ProductId,
    idea: IdeaId,
) -> Res<String> {
    let r: Option<String> = sqlx::query_scalar(
        "SELECT rank FROM ideas WHERE id = $1 AND workspace_id = $2 AND product_id = $3",
    )
    .bind(idea.0)
    .bind(ws.0)
    .bind(product.0)
    .fetch_optional(conn)
    .await?;
    Ok(r.ok_or(StoreError::NotFound)?)
}

async fn visible_neighbour(
    conn: &mut PgConnection,
    product: ProductId,
    rank: &str,
    before: bool,
) -> Res<Option<String>> {
    let sql = if before {
        "SELECT rank FROM ideas WHERE product_id = $1 AND rank < $2 AND merged_into IS NULL \
         ORDER BY rank DESC LIMIT 1"
    } else {
        "SELECT rank FROM ideas WHERE product_id = $1 AND rank > $2 AND merged_into IS NULL \
         ORDER BY rank LIMIT 1"
    };
    one_rank(conn, sql, product, Some(rank), None).await
}

async fn move_in_tx(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    idea: IdeaId,
    to: MoveTo,
) -> Res<RankedIdea> {
    let (product, _) = idea_product(&mut *conn, ws, idea).await?;
    // One mover per product at a time: keys are computed from the neighbours just read.
    sqlx::query("SELECT 1 FROM products WHERE id = $1 FOR UPDATE")
        .bind(product.0)
        .execute(&mut *conn)
        .await?;
    let (_, mine) = idea_product(&mut *conn, ws, idea).await?;
    let bounds = match to {
        MoveTo::Top => Some((None, key_above(conn, product, idea, None).await?)),
        MoveTo::Bottom => Some((key_below(conn, product, idea, None).await?, None)),
        MoveTo::Before(other) | MoveTo::After(other) if other == idea => None,
        MoveTo::Before(other) => {
            let r = rank_of_in(conn, ws, product, other).await?;
            Some((key_below(conn, product, idea, Some(&r)).await?, Some(r)))
        }
        MoveTo::After(other) => {
            let r = rank_of_in(conn, ws, product, other).await?;
            let above = key_above(conn, product, idea, Some(&r)).await?;
            Some((Some(r), above))
        }
        MoveTo::Up => match visible_neighbour(conn, product, &mine, true).await? {
            Some(r) => Some((key_below(conn, product, idea, Some(&r)).await?, Some(r))),
            None => None,
        },
        MoveTo::Down => match visible_neighbour(conn, product, &mine, false).await? {
            Some(r) => {
                let above = key_above(conn, product, idea, Some(&r)).await?;
                Some((Some(r), above))
            }
            None => None,
        },
        MoveTo::Position(n) => {
            let at: Option<String> = sqlx::query_scalar(
                "SELECT rank FROM ideas WHERE product_id = $1 AND merged_into IS NULL \
                 AND id <> $2 ORDER BY rank LIMIT 1 OFFSET $3",
            )
            .bind(product.0)
            .bind(idea.0)
            .bind(i64::from(n))
            .fetch_optional(&mut *conn)
            .await?;
            match at {
                Some(r) => Some((key_below(conn, product, idea, Some(&r)).await?, Some(r))),
                None => Some((key_below(conn, product, idea, None).await?, None)),
            }
        }
    };
    let Some((low, high)) = bounds else {
        return Ok(RankedIdea {
            id: idea,
            rank: mine,
        });
    };
    // At the bottom, stay below the key the next new idea will get: new ideas always land last.
    let high = match high {
        Some(h) => h,
        None => {
            let max: i64 = sqlx::query_scalar(
                "SELECT coalesce(max(number), 0) FROM ideas WHERE product_id = $1",
            )
            .bind(product.0)
            .fetch_one(&mut *conn)
            .await?;
            default_rank(max + 1)
        }
    };
    let key = key_between(low.as_deref(), Some(&high))
        .ok_or_else(|| StoreError::Other(format!("no key between {low:?} and {high:?}")))?;
    sqlx::query("UPDATE ideas SET rank = $1 WHERE id = $2")
        .bind(&key)
        .bind(idea.0)
        .execute(&mut *conn)
        .await?;
    Ok(RankedIdea {
        id: idea,
        rank: key,
    })
}

/// A status change of several ideas (see `ScoringStore::change_idea_statuses`) inside the
/// caller's transaction: a bulk change, or an accept or decline decision. The ideas are locked
/// first, in id order, so that two changes over the same ideas queue instead of deadlocking;
/// any error leaves the caller's transaction to roll back, so nothing of it stays.
pub(crate) async fn change_statuses_in_tx(
    conn: &mut PgConnection,
    ch: &StatusChange,
) -> Res<Vec<Idea>> {
    let ws = ch.workspace_id;
    let ids: Vec<Uuid> = ch.ideas.iter().map(|(id, _)| id.0).collect();
    lock_ideas(&mut *conn, ws, &ids).await?;
    let mut changed = Vec::with_capacity(ch.ideas.len());
    for (id, version) in &ch.ideas {
        let old = idea_in_tx(&mut *conn, ws, *id, "").await?;
        if old.product_id != ch.product_id {
            return Err(StoreError::NotFound.into());
        }
        if old.version != *version {
            return Err(StoreError::VersionConflict.into());
        }
        if old.status == ch.status {
            continue;
        }
        sqlx::query(
            "UPDATE ideas SET status = $1, updated_at = $2, version = version + 1 WHERE id = $3",
        )
        .bind(ch.status.as_str())
        .bind(us(ch.now))
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
        record_change(
            &mut *conn,
            &old,
            ch.actor,
            ch.now,
            "status",
            old.status.as_str(),
            ch.status.as_str(),
        )
        .await?;
        let idea = idea_in_tx(&mut *conn, ws, *id, "").await?;
        reindex_idea(&mut *conn, &idea).await?;
        changed.push(idea);
    }
    Ok(changed)
}

fn push_filter(q: &mut QueryBuilder<'_, Postgres>, product: ProductId, f: &BacklogFilter) {
    q.push(format!(
        "SELECT {BACKLOG_COLS} FROM ideas i WHERE i.product_id = "
    ));
    q.push_bind(product.0);
    q.push(" AND i.merged_into IS NULL");
    if let Some(s) = f.status {
        q.push(" AND i.status = ").push_bind(s.as_str());
    }
    if let Some(o) = f.owner {
        q.push(" AND i.owner_id = ").push_bind(o.0);
    }
    if let Some(t) = &f.tag {
        q.push(" AND EXISTS (SELECT 1 FROM idea_tags t WHERE t.idea_id = i.id AND t.tag = ")
            .push_bind(t.clone())
            .push(")");
    }
    if let Some(p) = f.persona {
        q.push(
            " AND EXISTS (SELECT 1 FROM persona_links l WHERE l.target_id = i.id \
             AND l.persona_id = ",
        )
        .push_bind(p.0)
        .push(")");
    }
    if let Some(m) = f.min_score {
        q.push(" AND i.score >= ").push_bind(m);
    }
    if let Some(m) = f.max_score {
        q.push(" AND i.score <= ").push_bind(m);
    }
}

/// Where a backlog page starts (the same text as the SQLite store's cursors).
enum BacklogCursor {
    Scored(f64, Uuid),
    Unscored(Uuid),
    Rank(String),
}

impl BacklogCursor {
    fn write(sort: BacklogSort, item: &BacklogItem) -> String {
        match (sort, item.score) {
            (BacklogSort::Rank, _) => format!("r|{}", item.rank),
            (BacklogSort::Score, Some(s)) => format!("s|{s:?}|{}", item.id),
            (BacklogSort::Score, None) => format!("n|{}", item.id),
        }
    }

    fn read(page: &PageRequest) -> Result<Option<Self>, ()> {
        let Some(c) = &page.after else {
            return Ok(None);
        };
        let mut parts = c.0.splitn(3, '|');
        let out = match (parts.next(), parts.next(), parts.next()) {
            (Some("s"), Some(s), Some(id)) => BacklogCursor::Scored(
                s.parse().map_err(|_| ())?,
                Uuid::parse_str(id).map_err(|_| ())?,
            ),
            (Some("n"), Some(id), None) => {
                BacklogCursor::Unscored(Uuid::parse_str(id).map_err(|_| ())?)
            }
            (Some("r"), Some(r), None) => BacklogCursor::Rank(r.to_owned()),
            _ => return Err(()),
        };
        Ok(Some(out))
    }
}

#[async_trait]
impl ScoringStore for PgStore {
    async fn scoring_settings(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<ScoringSettings> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(settings_in_tx(&mut conn, ws, product).await?)
    }

    async fn put_scoring_settings(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        expected_version: i64,
        u: SettingsUpdate,
    ) -> StoreResult<ScoringSettings> {
        let u = &u;
        retrying("put_scoring_settings", || async move {
            let mut tx = self.pool.begin().await?;
            sqlx::query("SELECT 1 FROM products WHERE id = $1 AND workspace_id = $2 FOR UPDATE")
                .bind(product.0)
                .bind(ws.0)
                .execute(&mut *tx)
                .await?;
            let current = settings_in_tx(&mut tx, ws, product).await?;
            if current.version != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            sqlx::query(
                "INSERT INTO scoring_settings (product_id, workspace_id, primary_framework, \
                 updated_at, version) VALUES ($1, $2, $3, $4, 1) ON CONFLICT (product_id) DO UPDATE \
                 SET primary_framework = excluded.primary_framework, \
                 updated_at = excluded.updated_at, version = scoring_settings.version + 1",
            )
            .bind(product.0)
            .bind(ws.0)
            .bind(u.primary_framework.as_str())
            .bind(us(u.now))
            .execute(&mut *tx)
            .await?;
            for old in &current.criteria {
                if !u.criteria.iter().any(|n| n.id == old.id) {
                    sqlx::query("DELETE FROM scorecard_criteria WHERE id = $1")
                        .bind(old.id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            for (i, k) in u.criteria.iter().enumerate() {
                let changed = sqlx::query(
                    "INSERT INTO scorecard_criteria (id, workspace_id, product_id, name, scale, \
                     weight, position) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO \
                     UPDATE SET name = excluded.name, scale = excluded.scale, \
                     weight = excluded.weight, position = excluded.position \
                     WHERE scorecard_criteria.product_id = excluded.product_id",
                )
                .bind(k.id)
                .bind(ws.0)
                .bind(product.0)
                .bind(&k.name)
                .bind(k.scale)
                .bind(k.weight)
                .bind(i as i64)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err(StoreError::NotFound.into());
                }
            }
            rescore_scorecard(&mut tx, product).await?;
            refresh_scores(&mut tx, product).await?;
            let out = settings_in_tx(&mut tx, ws, product).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn put_idea_score(&self, s: NewIdeaScore) -> StoreResult<IdeaScore> {
        let s = &s;
        retrying("put_idea_score", || async move {
            let mut tx = self.pool.begin().await?;
            let (product, _) = idea_product(&mut tx, s.workspace_id, s.idea_id).await?;
            upsert_score(&mut tx, s, product).await?;
            if primary_of(&mut tx, product).await? == s.framework {
                sqlx::query("UPDATE ideas SET score = $1 WHERE id = $2")
                    .bind(s.value)
                    .bind(s.idea_id.0)
                    .execute(&mut *tx)
                    .await?;
            }
            let row = sqlx::query(&format!(
                "SELECT {SCORE_COLS} FROM idea_scores WHERE idea_id = $1 AND framework = $2"
            ))
            .bind(s.idea_id.0)
            .bind(s.framework.as_str())
            .fetch_one(&mut *tx)
            .await?;
            let out = score_row(&row)?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn idea_scores(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<Vec<IdeaScore>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        idea_product(&mut conn, ws, idea).await?;
        let rows = sqlx::query(&format!(
            "SELECT {SCORE_COLS} FROM idea_scores WHERE idea_id = $1"
        ))
        .bind(idea.0)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        let mut out = rows
            .iter()
            .map(score_row)
            .collect::<StoreResult<Vec<_>>>()?;
        out.sort_by_key(|s| Framework::ALL.iter().position(|f| *f == s.framework));
        Ok(out)
    }

    async fn delete_idea_score(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        framework: Framework,
    ) -> StoreResult<()> {
        retrying("delete_idea_score", || async move {
            let mut tx = self.pool.begin().await?;
            let (product, _) = idea_product(&mut tx, ws, idea).await?;
            let gone = sqlx::query("DELETE FROM idea_scores WHERE idea_id = $1 AND framework = $2")
                .bind(idea.0)
                .bind(framework.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone == 0 {
                return Err(StoreError::NotFound.into());
            }
            if framework == Framework::Scorecard {
                sqlx::query("DELETE FROM idea_criterion_points WHERE idea_id = $1")
                    .bind(idea.0)
                    .execute(&mut *tx)
                    .await?;
            }
            if primary_of(&mut tx, product).await? == framework {
                sqlx::query("UPDATE ideas SET score = NULL WHERE id = $1")
                    .bind(idea.0)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn import_idea_scores(&self, scores: Vec<NewIdeaScore>) -> StoreResult<u64> {
        let scores = &scores;
        retrying("import_idea_scores", || async move {
            let mut tx = self.pool.begin().await?;
            // The primary framework of each product met, read once.
            let mut primaries = std::collections::HashMap::new();
            for s in scores {
                let (product, _) = idea_product(&mut tx, s.workspace_id, s.idea_id).await?;
                upsert_score(&mut tx, s, product).await?;
                let primary = match primaries.get(&product) {
                    Some(f) => *f,
                    None => {
                        let f = primary_of(&mut tx, product).await?;
                        primaries.insert(product, f);
                        f
                    }
                };
                if primary == s.framework {
                    sqlx::query("UPDATE ideas SET score = $1 WHERE id = $2")
                        .bind(s.value)
                        .bind(s.idea_id.0)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok(scores.len() as u64)
        })
        .await
    }

    async fn backlog(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        sort: BacklogSort,
        f: &BacklogFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<BacklogItem>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        let key = product_key(&mut conn, ws, product).await?;
        let Ok(cursor) = BacklogCursor::read(page) else {
            return Ok(Page::from_rows(Vec::new(), page, |_| String::new()));
        };
        let limit = page.fetch_limit();
        let mut rows = Vec::new();
        match sort {
            BacklogSort::Rank => {
                let mut q = QueryBuilder::<Postgres>::new("");
                push_filter(&mut q, product, f);
                if let Some(BacklogCursor::Rank(r)) = &cursor {
                    q.push(" AND i.rank > ").push_bind(r.clone());
                }
                q.push(" ORDER BY i.rank LIMIT ").push_bind(limit);
                rows.extend(q.build().fetch_all(&mut *conn).await.map_err(map_err)?);
            }
            BacklogSort::Score => {
                if !matches!(cursor, Some(BacklogCursor::Unscored(_))) {
                    let mut q = QueryBuilder::<Postgres>::new("");
                    push_filter(&mut q, product, f);
                    q.push(" AND i.score IS NOT NULL");
                    if let Some(BacklogCursor::Scored(s, id)) = &cursor {
                        q.push(" AND (i.score, i.id) < (")
                            .push_bind(*s)
                            .push(", ")
                            .push_bind(*id)
                            .push(")");
                    }
                    q.push(" ORDER BY i.score DESC, i.id DESC LIMIT ")
                        .push_bind(limit);
                    rows.extend(q.build().fetch_all(&mut *conn).await.map_err(map_err)?);
                }
                let unscored_shown = f.min_score.is_none() && f.max_score.is_none();
                if (rows.len() as i64) < limit && unscored_shown {
                    let mut q = QueryBuilder::<Postgres>::new("");
                    push_filter(&mut q, product, f);
                    q.push(" AND i.score IS NULL");
                    if let Some(BacklogCursor::Unscored(id)) = &cursor {
                        q.push(" AND i.id < ").push_bind(*id);
                    }
                    q.push(" ORDER BY i.id DESC LIMIT ")
                        .push_bind(limit - rows.len() as i64);
                    rows.extend(q.build().fetch_all(&mut *conn).await.map_err(map_err)?);
                }
            }
        }
        let items = rows
            .iter()
            .map(|r| backlog_row(&key, r))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |i| {
            BacklogCursor::write(sort, i)
        }))
    }

    async fn move_idea(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        to: MoveTo,
    ) -> StoreResult<RankedIdea> {
        retrying("move_idea", || async move {
            let mut tx = self.pool.begin().await?;
            let out = move_in_tx(&mut tx, ws, idea, to).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn idea_rank(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<RankedIdea> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        let (_, rank) = idea_product(&mut conn, ws, idea).await?;
        Ok(RankedIdea { id: idea, rank })
    }

    async fn change_idea_statuses(&self, change: StatusChange) -> StoreResult<Vec<Idea>> {
        let change = &change;
        retrying("change_idea_statuses", || async move {
            let mut tx = self.pool.begin().await?;
            let changed = change_statuses_in_tx(&mut tx, change).await?;
            tx.commit().await?;
            Ok(changed)
        })
        .await
    }

    async fn value_effort_matrix(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<Vec<MatrixPoint>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        let key = product_key(&mut conn, ws, product).await?;
        let rows = sqlx::query(
            "SELECT s.idea_id, s.inputs, i.number, i.title FROM idea_scores s \
             JOIN ideas i ON i.id = s.idea_id \
             WHERE s.product_id = $1 AND s.framework = 'value_effort' \
             AND i.merged_into IS NULL ORDER BY s.value DESC, s.idea_id LIMIT $2",
        )
        .bind(product.0)
        .bind(i64::from(MATRIX_LIMIT))
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let inputs: ScoreInputs = serde_json::from_str(&get::<String>(r, "inputs")?)
                    .map_err(|e| StoreError::Other(e.to_string()))?;
                Ok(MatrixPoint {
                    id: IdeaId(get(r, "idea_id")?),
                    reference: idea_reference(&key, get(r, "number")?),
                    title: get(r, "title")?,
                    value: inputs.numbers.get("value").copied().unwrap_or(0.0),
                    effort: inputs.numbers.get("effort").copied().unwrap_or(0.0),
                })
            })
            .collect()
    }

    async fn create_backlog_view(&self, v: BacklogView) -> StoreResult<BacklogView> {
        let v = &v;
        retrying("create_backlog_view", || async move {
            let mut tx = self.pool.begin().await?;
            check_product(&mut tx, v.workspace_id, v.product_id).await?;
            insert_view(&mut tx, v).await?;
            tx.commit().await?;
            Ok(v.clone())
        })
        .await
    }

    async fn list_backlog_views(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        member: MemberId,
    ) -> StoreResult<Vec<BacklogView>> {
        let rows = sqlx::query(&format!(
            "SELECT {VIEW_COLS} FROM backlog_views WHERE product_id = $1 AND workspace_id = $2 \
             AND (shared OR owner_id = $3) ORDER BY name COLLATE \"C\", id"
        ))
        .bind(product.0)
        .bind(ws.0)
        .bind(member.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(view_row).collect()
    }

    async fn get_backlog_view(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<BacklogView> {
        let row = sqlx::query(&format!(
            "SELECT {VIEW_COLS} FROM backlog_views WHERE id = $1 AND workspace_id = $2"
        ))
        .bind(id)
        .bind(ws.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref()
            .map(view_row)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn update_backlog_view(
        &self,
        ws: WorkspaceId,
        id: Uuid,
        expected_version: i64,
        patch: BacklogViewPatch,
    ) -> StoreResult<BacklogView> {
        let row = sqlx::query(&format!(
            "UPDATE backlog_views SET name = COALESCE($3, name), shared = COALESCE($4, shared), \
             version = version + 1 \
             WHERE id = $1 AND workspace_id = $2 AND version = $5 RETURNING {VIEW_COLS}"
        ))
        .bind(id)
        .bind(ws.0)
        .bind(patch.name.as_deref())
        .bind(patch.shared)
        .bind(expected_version)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        match row {
            Some(row) => view_row(&row),
            // Not updated: an old version, or no such view.
            None => {
                self.get_backlog_view(ws, id).await?;
                Err(StoreError::VersionConflict)
            }
        }
    }

    async fn delete_backlog_view(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<()> {
        let gone = sqlx::query("DELETE FROM backlog_views WHERE id = $1 AND workspace_id = $2")
            .bind(id)
            .bind(ws.0)
            .execute(&self.pool)
            .await
            .map_err(map_err)?
            .rows_affected();
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

async fn insert_view(conn: &mut PgConnection, v: &BacklogView) -> Res<()> {
    sqlx::query(&format!(
        "INSERT INTO backlog_views ({VIEW_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(v.id)
    .bind(v.workspace_id.0)
    .bind(v.product_id.0)
    .bind(v.owner_id.0)
    .bind(v.shared)
    .bind(&v.name)
    .bind(&v.query)
    .bind(us(v.created_at))
    .bind(v.version)
    .execute(conn)
    .await?;
    Ok(())
}

// --- moving data ----------------------------------------------------------------------------

pub(crate) async fn dump(conn: &mut PgConnection, d: &mut ScoringDump) -> Res<()> {
    let products: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT product_id, workspace_id FROM scoring_settings \
         UNION SELECT product_id, workspace_id FROM scorecard_criteria ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (p, ws) in products {
        d.scoring_settings
            .push(settings_in_tx(&mut *conn, WorkspaceId(ws), ProductId(p)).await?);
    }
    let rows = sqlx::query(&format!(
        "SELECT {SCORE_COLS} FROM idea_scores ORDER BY idea_id, framework COLLATE \"C\""
    ))
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        d.idea_scores.push(score_row(r)?);
    }
    let ranks: Vec<(Uuid, String)> = sqlx::query_as("SELECT id, rank FROM ideas ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    d.idea_ranks
        .extend(ranks.into_iter().map(|(id, rank)| IdeaRank {
            idea_id: IdeaId(id),
            rank,
        }));
    let rows = sqlx::query(&format!(
        "SELECT {VIEW_COLS} FROM backlog_views ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        d.backlog_views.push(view_row(r)?);
    }
    Ok(())
}

pub(crate) async fn load(conn: &mut PgConnection, d: &ScoringDump) -> Res<()> {
    for s in &d.scoring_settings {
        if let Some(at) = s.updated_at {
            sqlx::query(
                "INSERT INTO scoring_settings (product_id, workspace_id, primary_framework, \
                 updated_at, version) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(s.product_id.0)
            .bind(s.workspace_id.0)
            .bind(s.primary_framework.as_str())
            .bind(us(at))
            .bind(s.version)
            .execute(&mut *conn)
            .await?;
        }
        for (i, k) in s.criteria.iter().enumerate() {
            sqlx::query(
                "INSERT INTO scorecard_criteria (id, workspace_id, product_id, name, scale, \
                 weight, position) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(k.id)
            .bind(s.workspace_id.0)
            .bind(s.product_id.0)
            .bind(&k.name)
            .bind(k.scale)
            .bind(k.weight)
            .bind(i as i64)
            .execute(&mut *conn)
            .await?;
        }
    }
    for s in &d.idea_scores {
        let inputs =
            serde_json::to_string(&s.inputs).map_err(|e| StoreError::Other(e.to_string()))?;
        sqlx::query(&format!(
            "INSERT INTO idea_scores ({SCORE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(s.idea_id.0)
        .bind(s.framework.as_str())
        .bind(s.workspace_id.0)
        .bind(s.product_id.0)
        .bind(inputs)
        .bind(s.value)
        .bind(s.updated_by.map(|m| m.0))
        .bind(us(s.updated_at))
        .bind(s.version)
        .execute(&mut *conn)
        .await?;
        if s.framework == Framework::Scorecard {
            put_points(
                &mut *conn,
                s.workspace_id,
                s.idea_id,
                s.product_id,
                &s.inputs,
            )
            .await?;
        }
    }
    if !d.idea_ranks.is_empty() {
        sqlx::query("UPDATE ideas SET rank = NULL")
            .execute(&mut *conn)
            .await?;
        for r in &d.idea_ranks {
            sqlx::query("UPDATE ideas SET rank = $1 WHERE id = $2")
                .bind(&r.rank)
                .bind(r.idea_id.0)
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query(
            "UPDATE ideas SET rank = 'z' || lpad(number::text, 12, '0') || 'V' WHERE rank IS NULL",
        )
        .execute(&mut *conn)
        .await?;
    }
    for v in &d.backlog_views {
        insert_view(&mut *conn, v).await?;
    }
    sqlx::query(
        "UPDATE ideas SET score = (SELECT s.value FROM idea_scores s WHERE s.idea_id = ideas.id \
         AND s.framework = coalesce((SELECT x.primary_framework FROM scoring_settings x \
         WHERE x.product_id = ideas.product_id), 'rice'))",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
