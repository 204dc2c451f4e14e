//! `impl DecisionStore for PgStore`: the decision log (searched through `decisions.terms`, a
//! tsvector with a GIN index), the job queue and members' notifications. Same behaviour as the
//! SQLite store; every unit of work runs through `retrying`.
//!
//! Claims: `UPDATE jobs … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …`. Two
//! instances claiming at once lock disjoint rows (a row locked by one is skipped by the other),
//! and a row already claimed and committed no longer matches `state = 'queued'`: each job is
//! claimed once, with no advisory lock.

use crate::discovery::{check_product, idea_in_tx, lock_ideas, merge_in_tx, push_tsquery, Res};
use crate::rows::{get, parse, us};
use crate::scoring::change_statuses_in_tx;
use crate::store::{map_err, retrying};
use crate::PgStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

const DECISION_COLS: &str = "d.id, d.workspace_id, d.product_id, d.kind, d.rationale, \
     d.public_rationale, d.until_date, d.defer_condition, d.into_idea_id, d.decided_by, d.decided_at";
const JOB_COLS: &str = "id, workspace_id, kind, payload, run_at, state, claimed_by, lease_until, \
     attempts, last_error, created_at, done_at";
const NOTIFICATION_COLS: &str =
    "id, workspace_id, member_id, kind, payload, dedupe_key, created_at, read_at";

fn json(v: &str) -> StoreResult<serde_json::Value> {
    serde_json::from_str(v).map_err(|e| StoreError::Other(format!("payload: {e}")))
}

fn decision_row(row: &PgRow) -> StoreResult<Decision> {
    Ok(Decision {
        id: DecisionId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        kind: parse(
            &get::<String>(row, "kind")?,
            DecisionKind::parse,
            "decision kind",
        )?,
        rationale: get(row, "rationale")?,
        public_rationale: get(row, "public_rationale")?,
        until: get(row, "until_date")?,
        condition: get(row, "defer_condition")?,
        into: get::<Option<Uuid>>(row, "into_idea_id")?.map(|id| DecisionIdea {
            idea_id: IdeaId(id),
            reference: String::new(),
            title: String::new(),
        }),
        ideas: Vec::new(),
        links: Vec::new(),
        decided_by: get::<Option<Uuid>>(row, "decided_by")?.map(MemberId),
        consulted: Vec::new(),
        decided_at: get(row, "decided_at")?,
    })
}

fn job(row: &PgRow) -> StoreResult<Job> {
    Ok(Job {
        id: JobId(get(row, "id")?),
        workspace_id: get::<Option<Uuid>>(row, "workspace_id")?.map(WorkspaceId),
        kind: parse(&get::<String>(row, "kind")?, JobKind::parse, "job kind")?,
        payload: json(&get::<String>(row, "payload")?)?,
        run_at: get(row, "run_at")?,
        state: parse(&get::<String>(row, "state")?, JobState::parse, "job state")?,
        claimed_by: get(row, "claimed_by")?,
        lease_until: get(row, "lease_until")?,
        attempts: get(row, "attempts")?,
        last_error: get(row, "last_error")?,
        created_at: get(row, "created_at")?,
        done_at: get(row, "done_at")?,
    })
}

fn notification(row: &PgRow) -> StoreResult<Notification> {
    Ok(Notification {
        id: NotificationId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        member_id: MemberId(get(row, "member_id")?),
        kind: parse(
            &get::<String>(row, "kind")?,
            NotificationKind::parse,
            "notification kind",
        )?,
        payload: json(&get::<String>(row, "payload")?)?,
        dedupe_key: get(row, "dedupe_key")?,
        created_at: get(row, "created_at")?,
        read_at: get(row, "read_at")?,
    })
}

fn idea_of(r: &PgRow) -> StoreResult<DecisionIdea> {
    Ok(DecisionIdea {
        idea_id: IdeaId(get(r, "idea_id")?),
        reference: idea_reference(&get::<String>(r, "key")?, get(r, "number")?),
        title: get(r, "title")?,
    })
}

async fn hydrate(conn: &mut PgConnection, mut out: Vec<Decision>) -> Res<Vec<Decision>> {
    for d in &mut out {
        let rows = sqlx::query(
            "SELECT x.idea_id, i.title, i.number, p.key FROM decision_ideas x \
             JOIN ideas i ON i.id = x.idea_id JOIN products p ON p.id = i.product_id \
             WHERE x.decision_id = $1 ORDER BY x.ord",
        )
        .bind(d.id.0)
        .fetch_all(&mut *conn)
        .await?;
        d.ideas = rows.iter().map(idea_of).collect::<StoreResult<_>>()?;
        if let Some(into) = &d.into {
            let r = sqlx::query(
                "SELECT i.id AS idea_id, i.title, i.number, p.key FROM ideas i \
                 JOIN products p ON p.id = i.product_id WHERE i.id = $1",
            )
            .bind(into.idea_id.0)
            .fetch_one(&mut *conn)
            .await?;
            d.into = Some(idea_of(&r)?);
        }
        let rows = sqlx::query(
            "SELECT kind, target_id FROM decision_links WHERE decision_id = $1 ORDER BY ord",
        )
        .bind(d.id.0)
        .fetch_all(&mut *conn)
        .await?;
        d.links = rows
            .iter()
            .map(|r| {
                Ok(DecisionLink {
                    kind: parse(&get::<String>(r, "kind")?, DecisionLinkKind::parse, "link")?,
                    target_id: get(r, "target_id")?,
                })
            })
            .collect::<StoreResult<_>>()?;
        let rows = sqlx::query(
            "SELECT member_id FROM decision_consulted WHERE decision_id = $1 ORDER BY ord",
        )
        .bind(d.id.0)
        .fetch_all(&mut *conn)
        .await?;
        d.consulted = rows
            .iter()
            .map(|r| Ok(MemberId(get(r, "member_id")?)))
            .collect::<StoreResult<_>>()?;
    }
    Ok(out)
}

async fn decision_in_tx(conn: &mut PgConnection, ws: WorkspaceId, id: DecisionId) -> Res<Decision> {
    let row = sqlx::query(&format!(
        "SELECT {DECISION_COLS} FROM decisions d WHERE d.id = $1 AND d.workspace_id = $2"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let d = decision_row(&row)?;
    Ok(hydrate(conn, vec![d]).await?.remove(0))
}

async fn missing_refs(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    refs: &DecisionRefs,
) -> Res<Vec<&'static str>> {
    let mut out = Vec::new();
    let checks: [(&'static str, &str, Vec<Uuid>); 3] = [
        (
            "evidence_ids",
            "evidence",
            refs.evidence.iter().map(|e| e.0).collect(),
        ),
        (
            "decision_ids",
            "decisions",
            refs.decisions.iter().map(|d| d.0).collect(),
        ),
        (
            "consulted",
            "members",
            refs.members.iter().map(|m| m.0).collect(),
        ),
    ];
    for (field, table, mut ids) in checks {
        ids.sort();
        ids.dedup();
        if ids.is_empty() {
            continue;
        }
        let found: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM {table} WHERE id = ANY($1) AND workspace_id = $2"
        ))
        .bind(&ids)
        .bind(ws.0)
        .fetch_one(&mut *conn)
        .await?;
        if found != ids.len() as i64 {
            out.push(field);
        }
    }
    Ok(out)
}

async fn insert_decision(conn: &mut PgConnection, d: &NewDecision) -> Res<()> {
    check_product(conn, d.workspace_id, d.product_id).await?;
    let refs = DecisionRefs {
        evidence: d
            .links
            .iter()
            .filter(|l| l.kind == DecisionLinkKind::Evidence)
            .map(|l| EvidenceId(l.target_id))
            .collect(),
        decisions: d
            .links
            .iter()
            .filter(|l| l.kind == DecisionLinkKind::Decision)
            .map(|l| DecisionId(l.target_id))
            .collect(),
        members: d.consulted.iter().copied().chain(d.decided_by).collect(),
    };
    if !missing_refs(conn, d.workspace_id, &refs).await?.is_empty() {
        return Err(StoreError::NotFound.into());
    }
    for idea in d.ideas.iter().chain(d.into.iter()) {
        sqlx::query("SELECT 1 FROM ideas WHERE id = $1 AND workspace_id = $2 AND product_id = $3")
            .bind(idea.0)
            .bind(d.workspace_id.0)
            .bind(d.product_id.0)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    }
    sqlx::query(
        "INSERT INTO decisions (id, workspace_id, product_id, kind, rationale, public_rationale, \
         until_date, defer_condition, into_idea_id, decided_by, decided_at, terms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, to_tsvector('simple', $12))",
    )
    .bind(d.id.0)
    .bind(d.workspace_id.0)
    .bind(d.product_id.0)
    .bind(d.kind.as_str())
    .bind(&d.text.rationale)
    .bind(&d.text.public_rationale)
    .bind(d.text.until)
    .bind(&d.text.condition)
    .bind(d.into.map(|i| i.0))
    .bind(d.decided_by.map(|m| m.0))
    .bind(us(d.now))
    .bind(decision_search_text(&d.text))
    .execute(&mut *conn)
    .await?;
    for (i, idea) in d.ideas.iter().enumerate() {
        sqlx::query(
            "INSERT INTO decision_ideas (decision_id, idea_id, ord) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(d.id.0)
        .bind(idea.0)
        .bind(i as i32)
        .execute(&mut *conn)
        .await?;
    }
    for (i, l) in d.links.iter().enumerate() {
        sqlx::query(
            "INSERT INTO decision_links (decision_id, kind, target_id, ord) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(d.id.0)
        .bind(l.kind.as_str())
        .bind(l.target_id)
        .bind(i as i32)
        .execute(&mut *conn)
        .await?;
    }
    for (i, m) in d.consulted.iter().enumerate() {
        sqlx::query(
            "INSERT INTO decision_consulted (decision_id, member_id, ord) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(d.id.0)
        .bind(m.0)
        .bind(i as i32)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn insert_job(conn: &mut PgConnection, j: &NewJob) -> Res<Job> {
    let row = sqlx::query(&format!(
        "INSERT INTO jobs (id, workspace_id, kind, payload, run_at, state, attempts, \
         created_at) VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6) RETURNING {JOB_COLS}"
    ))
    .bind(j.id.0)
    .bind(j.workspace_id.map(|w| w.0))
    .bind(j.kind.as_str())
    .bind(j.payload.to_string())
    .bind(us(j.run_at))
    .bind(us(j.now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(job(&row)?)
}

#[async_trait]
impl DecisionStore for PgStore {
    async fn missing_decision_refs(
        &self,
        ws: WorkspaceId,
        refs: &DecisionRefs,
    ) -> StoreResult<Vec<&'static str>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(missing_refs(&mut conn, ws, refs).await?)
    }

    async fn record_decision(&self, d: NewDecision) -> StoreResult<Decision> {
        let d = &d;
        retrying("record_decision", || async move {
            let mut tx = self.pool.begin().await?;
            insert_decision(&mut tx, d).await?;
            let out = decision_in_tx(&mut tx, d.workspace_id, d.id).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn carry_out_decision(
        &self,
        d: NewDecision,
        effect: DecisionEffect,
    ) -> StoreResult<(Decision, Vec<Idea>)> {
        let (d, effect) = (&d, &effect);
        retrying("carry_out_decision", || async move {
            let mut tx = self.pool.begin().await?;
            // The effect first: the decision's row then shows the ideas as they now are.
            let changed = match effect {
                DecisionEffect::Nothing | DecisionEffect::Schedule(_) => Vec::new(),
                DecisionEffect::Status(change) => change_statuses_in_tx(&mut tx, change).await?,
                DecisionEffect::Merge(merges) => {
                    // Every idea of the decision and the kept one, locked at once in id order,
                    // so that two decisions over the same ideas queue instead of deadlocking.
                    let mut ids: Vec<Uuid> = merges
                        .iter()
                        .flat_map(|m| [m.from_idea_id.0, m.into_idea_id.0])
                        .collect();
                    ids.sort_unstable();
                    ids.dedup();
                    lock_ideas(&mut tx, d.workspace_id, &ids).await?;
                    let mut merged = Vec::with_capacity(merges.len());
                    for m in merges {
                        merge_in_tx(&mut tx, m).await?;
                        merged.push(idea_in_tx(&mut tx, m.workspace_id, m.from_idea_id, "").await?);
                    }
                    merged
                }
            };
            insert_decision(&mut tx, d).await?;
            if let DecisionEffect::Schedule(job) = effect {
                insert_job(&mut tx, job).await?;
            }
            let out = decision_in_tx(&mut tx, d.workspace_id, d.id).await?;
            tx.commit().await?;
            Ok((out, changed))
        })
        .await
    }

    async fn get_decision(&self, ws: WorkspaceId, id: DecisionId) -> StoreResult<Decision> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(decision_in_tx(&mut conn, ws, id).await?)
    }

    async fn list_decisions(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        filter: &DecisionFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Decision>> {
        let Ok(after) = id_cursor(page) else {
            return Ok(Page::from_rows(Vec::new(), page, |_: &Decision| {
                String::new()
            }));
        };
        let mut q = QueryBuilder::<Postgres>::new(format!(
            "SELECT {DECISION_COLS} FROM decisions d WHERE d.product_id = "
        ));
        q.push_bind(product.0)
            .push(" AND d.workspace_id = ")
            .push_bind(ws.0);
        if let Some(a) = after {
            q.push(" AND d.id < ").push_bind(a);
        }
        if let Some(k) = filter.kind {
            q.push(" AND d.kind = ").push_bind(k.as_str());
        }
        if let Some(t) = filter.from {
            q.push(" AND d.decided_at >= ").push_bind(us(t));
        }
        if let Some(t) = filter.before {
            q.push(" AND d.decided_at < ").push_bind(us(t));
        }
        if let Some(m) = filter.decided_by {
            q.push(" AND d.decided_by = ").push_bind(m.0);
        }
        if let Some(target) = filter.links_to {
            q.push(" AND d.id IN (SELECT decision_id FROM decision_links WHERE target_id = ")
                .push_bind(target)
                .push(")");
        }
        if !filter.terms.is_empty() {
            q.push(" AND d.terms @@ ");
            if !push_tsquery(&mut q, &filter.terms, true) {
                return Ok(Page::from_rows(Vec::new(), page, |_: &Decision| {
                    String::new()
                }));
            }
        }
        q.push(" ORDER BY d.id DESC LIMIT ")
            .push_bind(page.fetch_limit());
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        let rows = q.build().fetch_all(&mut *conn).await.map_err(map_err)?;
        let rows = rows
            .iter()
            .map(decision_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let items = hydrate(&mut conn, rows).await?;
        Ok(Page::from_rows(items, page, |d| d.id.to_string()))
    }

    async fn list_idea_decisions(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<Decision>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        let rows = sqlx::query(&format!(
            "SELECT {DECISION_COLS} FROM decisions d WHERE d.workspace_id = $1 AND \
             (d.id IN (SELECT decision_id FROM decision_ideas WHERE idea_id = $2) \
              OR d.into_idea_id = $2) ORDER BY d.id DESC LIMIT 200"
        ))
        .bind(ws.0)
        .bind(idea.0)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        let rows = rows
            .iter()
            .map(decision_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(hydrate(&mut conn, rows).await?)
    }

    async fn enqueue_job(&self, j: NewJob) -> StoreResult<Job> {
        let j = &j;
        retrying("enqueue_job", || async move {
            let mut conn = self.pool.acquire().await?;
            insert_job(&mut conn, j).await
        })
        .await
    }

    async fn get_job(&self, id: JobId) -> StoreResult<Job> {
        let row = sqlx::query(&format!("SELECT {JOB_COLS} FROM jobs WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        job(&row)
    }

    async fn claim_jobs(
        &self,
        owner: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<Job>> {
        retrying("claim_jobs", || async move {
            let mut tx = self.pool.begin().await?;
            let rows = sqlx::query(&format!(
                "UPDATE jobs SET state = 'running', claimed_by = $1, lease_until = $2, \
                 attempts = attempts + 1 \
                 WHERE id IN (SELECT id FROM jobs \
                   WHERE (state = 'queued' AND run_at <= $3) \
                      OR (state = 'running' AND lease_until < $3) \
                   ORDER BY run_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) \
                 RETURNING {JOB_COLS}"
            ))
            .bind(owner)
            .bind(us(lease_until))
            .bind(us(now))
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            let mut out = rows.iter().map(job).collect::<StoreResult<Vec<_>>>()?;
            out.sort_by_key(|j| (j.run_at, j.id));
            Ok(out)
        })
        .await
    }

    async fn complete_job(&self, id: JobId, owner: &str, now: Timestamp) -> StoreResult<bool> {
        retrying("complete_job", || async move {
            let done = sqlx::query(
                "UPDATE jobs SET state = 'done', done_at = $1, lease_until = NULL, \
                 last_error = NULL WHERE id = $2 AND state = 'running' AND claimed_by = $3",
            )
            .bind(us(now))
            .bind(id.0)
            .bind(owner)
            .execute(&self.pool)
            .await?;
            Ok(done.rows_affected() == 1)
        })
        .await
    }

    async fn fail_job(
        &self,
        id: JobId,
        owner: &str,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> StoreResult<bool> {
        retrying("fail_job", || async move {
            let done =
                match retry_at {
                    Some(at) => {
                        sqlx::query(
                            "UPDATE jobs SET state = 'queued', run_at = $1, lease_until = NULL, \
                         last_error = $2 WHERE id = $3 AND state = 'running' AND claimed_by = $4",
                        )
                        .bind(us(at))
                        .bind(error)
                        .bind(id.0)
                        .bind(owner)
                        .execute(&self.pool)
                        .await?
                    }
                    None => sqlx::query(
                        "UPDATE jobs SET state = 'failed', lease_until = NULL, last_error = $1 \
                         WHERE id = $2 AND state = 'running' AND claimed_by = $3",
                    )
                    .bind(error)
                    .bind(id.0)
                    .bind(owner)
                    .execute(&self.pool)
                    .await?,
                };
            Ok(done.rows_affected() == 1)
        })
        .await
    }

    async fn create_notification(&self, n: NewNotification) -> StoreResult<bool> {
        let n = &n;
        retrying("create_notification", || async move {
            let mut tx = self.pool.begin().await?;
            sqlx::query("SELECT 1 FROM members WHERE id = $1 AND workspace_id = $2")
                .bind(n.member_id.0)
                .bind(n.workspace_id.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let done = sqlx::query(
                "INSERT INTO notifications (id, workspace_id, member_id, kind, payload, \
                 dedupe_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (member_id, dedupe_key) DO NOTHING",
            )
            .bind(n.id.0)
            .bind(n.workspace_id.0)
            .bind(n.member_id.0)
            .bind(n.kind.as_str())
            .bind(n.payload.to_string())
            .bind(&n.dedupe_key)
            .bind(us(n.now))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(done.rows_affected() == 1)
        })
        .await
    }

    async fn list_notifications(
        &self,
        ws: WorkspaceId,
        member: MemberId,
        unread_only: bool,
        page: &PageRequest,
    ) -> StoreResult<Page<Notification>> {
        let Ok(after) = id_cursor(page) else {
            return Ok(Page::from_rows(Vec::new(), page, |_: &Notification| {
                String::new()
            }));
        };
        let rows = sqlx::query(&format!(
            "SELECT {NOTIFICATION_COLS} FROM notifications WHERE member_id = $1 \
             AND workspace_id = $2 AND ($3::uuid IS NULL OR id < $3) \
             AND (NOT $4 OR read_at IS NULL) ORDER BY id DESC LIMIT $5"
        ))
        .bind(member.0)
        .bind(ws.0)
        .bind(after)
        .bind(unread_only)
        .bind(page.fetch_limit())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let items = rows
            .iter()
            .map(notification)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |n| n.id.to_string()))
    }

    async fn count_unread_notifications(
        &self,
        ws: WorkspaceId,
        member: MemberId,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "SELECT count(*) FROM notifications WHERE member_id = $1 AND workspace_id = $2 \
             AND read_at IS NULL",
        )
        .bind(member.0)
        .bind(ws.0)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)
    }

    async fn mark_notifications_read(
        &self,
        ws: WorkspaceId,
        member: MemberId,
        id: Option<NotificationId>,
        now: Timestamp,
    ) -> StoreResult<u64> {
        retrying("mark_notifications_read", || async move {
            let mut tx = self.pool.begin().await?;
            let n = match id {
                Some(id) => {
                    sqlx::query(
                        "SELECT 1 FROM notifications WHERE id = $1 AND member_id = $2 \
                         AND workspace_id = $3",
                    )
                    .bind(id.0)
                    .bind(member.0)
                    .bind(ws.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                    sqlx::query(
                        "UPDATE notifications SET read_at = $1 WHERE id = $2 AND read_at IS NULL",
                    )
                    .bind(us(now))
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                }
                None => sqlx::query(
                    "UPDATE notifications SET read_at = $1 WHERE member_id = $2 \
                     AND workspace_id = $3 AND read_at IS NULL",
                )
                .bind(us(now))
                .bind(member.0)
                .bind(ws.0)
                .execute(&mut *tx)
                .await?
                .rows_affected(),
            };
            tx.commit().await?;
            Ok(n)
        })
        .await
    }
}

// --- dump and load ---------------------------------------------------------------------------

pub(crate) async fn dump(conn: &mut PgConnection, d: &mut DecisionsDump) -> Res<()> {
    let rows = sqlx::query(&format!(
        "SELECT {DECISION_COLS} FROM decisions d ORDER BY d.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let rows = rows
        .iter()
        .map(decision_row)
        .collect::<StoreResult<Vec<_>>>()?;
    d.decisions.extend(hydrate(conn, rows).await?);
    for r in sqlx::query(&format!("SELECT {JOB_COLS} FROM jobs ORDER BY id"))
        .fetch_all(&mut *conn)
        .await?
    {
        d.jobs.push(job(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {NOTIFICATION_COLS} FROM notifications ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.notifications.push(notification(&r)?);
    }
    Ok(())
}

pub(crate) async fn load(conn: &mut PgConnection, d: &DecisionsDump) -> Res<()> {
    for x in &d.decisions {
        insert_decision(
            conn,
            &NewDecision {
                id: x.id,
                workspace_id: x.workspace_id,
                product_id: x.product_id,
                kind: x.kind,
                text: decision_text(x),
                into: x.into.as_ref().map(|i| i.idea_id),
                ideas: x.ideas.iter().map(|i| i.idea_id).collect(),
                links: x.links.clone(),
                decided_by: x.decided_by,
                consulted: x.consulted.clone(),
                now: x.decided_at,
            },
        )
        .await?;
    }
    for j in &d.jobs {
        sqlx::query(&format!(
            "INSERT INTO jobs ({JOB_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))
        .bind(j.id.0)
        .bind(j.workspace_id.map(|w| w.0))
        .bind(j.kind.as_str())
        .bind(j.payload.to_string())
        .bind(us(j.run_at))
        .bind(j.state.as_str())
        .bind(&j.claimed_by)
        .bind(j.lease_until.map(us))
        .bind(j.attempts)
        .bind(&j.last_error)
        .bind(us(j.created_at))
        .bind(j.done_at.map(us))
        .execute(&mut *conn)
        .await?;
    }
    for n in &d.notifications {
        sqlx::query(&format!(
            "INSERT INTO notifications ({NOTIFICATION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(n.id.0)
        .bind(n.workspace_id.0)
        .bind(n.member_id.0)
        .bind(n.kind.as_str())
        .bind(n.payload.to_string())
        .bind(&n.dedupe_key)
        .bind(us(n.created_at))
        .bind(n.read_at.map(us))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
