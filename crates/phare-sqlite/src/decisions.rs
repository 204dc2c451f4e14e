//! `impl DecisionStore for SqliteStore`: the decision log (with its FTS5 search entry), the job
//! queue and members' notifications.
//!
//! Claims: every write runs on the one writer connection, in `BEGIN IMMEDIATE`; a claim is one
//! `UPDATE … WHERE id IN (SELECT …) RETURNING`, so two claimers (tasks of one process; SQLite has
//! one process per file) can never both take a job.

use crate::db::{self, Sql};
use crate::discovery::{check_product, fts_match, idea_in_tx, merge_in_tx};
use crate::rows::{get, opt_ts, parse, ts, us};
use crate::scoring::change_statuses_in_tx;
use crate::SqliteStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use rusqlite::{params, Connection, Row};
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

fn date(v: Option<String>) -> StoreResult<Option<chrono::NaiveDate>> {
    v.map(|s| parse(&s, parse_date, "date")).transpose()
}

/// The decision's own row; ideas, links and consulted members are filled by [`hydrate`].
fn decision_row(row: &Row<'_>) -> StoreResult<Decision> {
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
        until: date(get(row, "until_date")?)?,
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
        decided_at: ts(get(row, "decided_at")?)?,
    })
}

fn job(row: &Row<'_>) -> StoreResult<Job> {
    Ok(Job {
        id: JobId(get(row, "id")?),
        workspace_id: get::<Option<Uuid>>(row, "workspace_id")?.map(WorkspaceId),
        kind: parse(&get::<String>(row, "kind")?, JobKind::parse, "job kind")?,
        payload: json(&get::<String>(row, "payload")?)?,
        run_at: ts(get(row, "run_at")?)?,
        state: parse(&get::<String>(row, "state")?, JobState::parse, "job state")?,
        claimed_by: get(row, "claimed_by")?,
        lease_until: opt_ts(get(row, "lease_until")?)?,
        attempts: get(row, "attempts")?,
        last_error: get(row, "last_error")?,
        created_at: ts(get(row, "created_at")?)?,
        done_at: opt_ts(get(row, "done_at")?)?,
    })
}

fn notification(row: &Row<'_>) -> StoreResult<Notification> {
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
        created_at: ts(get(row, "created_at")?)?,
        read_at: opt_ts(get(row, "read_at")?)?,
    })
}

/// An idea as a decision shows it, by id (`NotFound` when it is not in the workspace).
fn idea_ref(c: &Connection, ws: WorkspaceId, id: IdeaId) -> StoreResult<DecisionIdea> {
    db::one(
        c,
        "SELECT i.title, i.number, p.key FROM ideas i JOIN products p ON p.id = i.product_id \
         WHERE i.id = ? AND i.workspace_id = ?",
        params![id.0, ws.0],
        |r| {
            Ok(DecisionIdea {
                idea_id: id,
                reference: idea_reference(&get::<String>(r, "key")?, get(r, "number")?),
                title: get(r, "title")?,
            })
        },
    )
}

/// Fills the ideas, links and consulted members of decisions read by [`decision_row`].
fn hydrate(c: &Connection, mut out: Vec<Decision>) -> StoreResult<Vec<Decision>> {
    for d in &mut out {
        d.ideas = db::all(
            c,
            "SELECT x.idea_id, i.title, i.number, p.key FROM decision_ideas x \
             JOIN ideas i ON i.id = x.idea_id JOIN products p ON p.id = i.product_id \
             WHERE x.decision_id = ? ORDER BY x.ord",
            params![d.id.0],
            |r| {
                Ok(DecisionIdea {
                    idea_id: IdeaId(get(r, "idea_id")?),
                    reference: idea_reference(&get::<String>(r, "key")?, get(r, "number")?),
                    title: get(r, "title")?,
                })
            },
        )?;
        if let Some(into) = &d.into {
            d.into = Some(idea_ref(c, d.workspace_id, into.idea_id)?);
        }
        d.links = db::all(
            c,
            "SELECT kind, target_id FROM decision_links WHERE decision_id = ? ORDER BY ord",
            params![d.id.0],
            |r| {
                Ok(DecisionLink {
                    kind: parse(&get::<String>(r, "kind")?, DecisionLinkKind::parse, "link")?,
                    target_id: get(r, "target_id")?,
                })
            },
        )?;
        d.consulted = db::all(
            c,
            "SELECT member_id FROM decision_consulted WHERE decision_id = ? ORDER BY ord",
            params![d.id.0],
            |r| Ok(MemberId(get(r, "member_id")?)),
        )?;
    }
    Ok(out)
}

fn decision_in_tx(c: &Connection, ws: WorkspaceId, id: DecisionId) -> StoreResult<Decision> {
    let d = db::one(
        c,
        &format!("SELECT {DECISION_COLS} FROM decisions d WHERE d.id = ? AND d.workspace_id = ?"),
        params![id.0, ws.0],
        decision_row,
    )?;
    Ok(hydrate(c, vec![d])?.remove(0))
}

fn exists(c: &Connection, table: &str, id: Uuid, ws: WorkspaceId) -> StoreResult<bool> {
    Ok(db::opt(
        c,
        &format!("SELECT 1 AS one FROM {table} WHERE id = ? AND workspace_id = ?"),
        params![id, ws.0],
        |_| Ok(()),
    )?
    .is_some())
}

fn missing_refs(
    c: &Connection,
    ws: WorkspaceId,
    refs: &DecisionRefs,
) -> StoreResult<Vec<&'static str>> {
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
    for (field, table, ids) in checks {
        for id in ids {
            if !exists(c, table, id, ws)? {
                out.push(field);
                break;
            }
        }
    }
    Ok(out)
}

/// The decision's entry in `decision_fts`.
fn index_decision(c: &Connection, id: DecisionId, text: &DecisionText) -> StoreResult<()> {
    db::exec(
        c,
        "INSERT INTO decision_fts (decision_id, terms) VALUES (?, ?)",
        params![id.0, decision_search_text(text)],
    )?;
    Ok(())
}

fn insert_decision(c: &Connection, d: &NewDecision) -> StoreResult<()> {
    check_product(c, d.workspace_id, d.product_id)?;
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
    if !missing_refs(c, d.workspace_id, &refs)?.is_empty() {
        return Err(StoreError::NotFound);
    }
    // Every idea (and the kept one) must be of this product of the workspace.
    for idea in d.ideas.iter().chain(d.into.iter()) {
        db::opt(
            c,
            "SELECT 1 AS one FROM ideas WHERE id = ? AND workspace_id = ? AND product_id = ?",
            params![idea.0, d.workspace_id.0, d.product_id.0],
            |_| Ok(()),
        )?
        .ok_or(StoreError::NotFound)?;
    }
    db::exec(
        c,
        "INSERT INTO decisions (id, workspace_id, product_id, kind, rationale, public_rationale, \
         until_date, defer_condition, into_idea_id, decided_by, decided_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params![
            d.id.0,
            d.workspace_id.0,
            d.product_id.0,
            d.kind.as_str(),
            &d.text.rationale,
            &d.text.public_rationale,
            d.text.until.map(|u| u.format("%Y-%m-%d").to_string()),
            &d.text.condition,
            d.into.map(|i| i.0),
            d.decided_by.map(|m| m.0),
            us(d.now)
        ],
    )?;
    for (i, idea) in d.ideas.iter().enumerate() {
        db::exec(
            c,
            "INSERT INTO decision_ideas (decision_id, idea_id, ord) VALUES (?, ?, ?) \
             ON CONFLICT DO NOTHING",
            params![d.id.0, idea.0, i as i64],
        )?;
    }
    for (i, l) in d.links.iter().enumerate() {
        db::exec(
            c,
            "INSERT INTO decision_links (decision_id, kind, target_id, ord) VALUES (?, ?, ?, ?) \
             ON CONFLICT DO NOTHING",
            params![d.id.0, l.kind.as_str(), l.target_id, i as i64],
        )?;
    }
    for (i, m) in d.consulted.iter().enumerate() {
        db::exec(
            c,
            "INSERT INTO decision_consulted (decision_id, member_id, ord) VALUES (?, ?, ?) \
             ON CONFLICT DO NOTHING",
            params![d.id.0, m.0, i as i64],
        )?;
    }
    index_decision(c, d.id, &d.text)
}

fn insert_job(c: &Connection, j: &NewJob) -> StoreResult<Job> {
    db::one(
        c,
        &format!(
            "INSERT INTO jobs (id, workspace_id, kind, payload, run_at, state, attempts, \
             created_at) VALUES (?, ?, ?, ?, ?, 'queued', 0, ?) RETURNING {JOB_COLS}"
        ),
        params![
            j.id.0,
            j.workspace_id.map(|w| w.0),
            j.kind.as_str(),
            j.payload.to_string(),
            us(j.run_at),
            us(j.now)
        ],
        job,
    )
}

#[async_trait]
impl DecisionStore for SqliteStore {
    async fn missing_decision_refs(
        &self,
        ws: WorkspaceId,
        refs: &DecisionRefs,
    ) -> StoreResult<Vec<&'static str>> {
        let refs = refs.clone();
        self.read(move |c| missing_refs(c, ws, &refs)).await
    }

    async fn record_decision(&self, d: NewDecision) -> StoreResult<Decision> {
        self.write(move |c| {
            insert_decision(c, &d)?;
            decision_in_tx(c, d.workspace_id, d.id)
        })
        .await
    }

    async fn carry_out_decision(
        &self,
        d: NewDecision,
        effect: DecisionEffect,
    ) -> StoreResult<(Decision, Vec<Idea>)> {
        self.write_alone(move |c| {
            // The effect first: the decision's row then shows the ideas as they now are.
            let changed = match &effect {
                DecisionEffect::Nothing | DecisionEffect::Schedule(_) => Vec::new(),
                DecisionEffect::Status(change) => change_statuses_in_tx(c, change)?,
                DecisionEffect::Merge(merges) => {
                    let mut merged = Vec::with_capacity(merges.len());
                    for m in merges {
                        merge_in_tx(c, m)?;
                        merged.push(idea_in_tx(c, m.workspace_id, m.from_idea_id)?);
                    }
                    merged
                }
            };
            insert_decision(c, &d)?;
            if let DecisionEffect::Schedule(job) = &effect {
                insert_job(c, job)?;
            }
            Ok((decision_in_tx(c, d.workspace_id, d.id)?, changed))
        })
        .await
    }

    async fn get_decision(&self, ws: WorkspaceId, id: DecisionId) -> StoreResult<Decision> {
        self.read(move |c| decision_in_tx(c, ws, id)).await
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
        let mut q = Sql::new(format!(
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
            let expr = fts_match(&filter.terms, " AND ");
            if expr.is_empty() {
                return Ok(Page::from_rows(Vec::new(), page, |_: &Decision| {
                    String::new()
                }));
            }
            q.push(" AND d.id IN (SELECT decision_id FROM decision_fts WHERE decision_fts MATCH ")
                .push_bind(format!("terms : ({expr})"))
                .push(")");
        }
        q.push(" ORDER BY d.id DESC LIMIT ")
            .push_bind(page.fetch_limit());
        let items = self
            .read(move |c| {
                let rows = q.all(c, decision_row)?;
                hydrate(c, rows)
            })
            .await?;
        Ok(Page::from_rows(items, page, |d| d.id.to_string()))
    }

    async fn list_idea_decisions(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<Decision>> {
        self.read(move |c| {
            let rows = db::all(
                c,
                &format!(
                    "SELECT {DECISION_COLS} FROM decisions d WHERE d.workspace_id = ? AND \
                     (d.id IN (SELECT decision_id FROM decision_ideas WHERE idea_id = ?) \
                      OR d.into_idea_id = ?) ORDER BY d.id DESC LIMIT 200"
                ),
                params![ws.0, idea.0, idea.0],
                decision_row,
            )?;
            hydrate(c, rows)
        })
        .await
    }

    async fn enqueue_job(&self, j: NewJob) -> StoreResult<Job> {
        self.write(move |c| insert_job(c, &j)).await
    }

    async fn get_job(&self, id: JobId) -> StoreResult<Job> {
        self.read(move |c| {
            db::one(
                c,
                &format!("SELECT {JOB_COLS} FROM jobs WHERE id = ?"),
                params![id.0],
                job,
            )
        })
        .await
    }

    async fn claim_jobs(
        &self,
        owner: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<Job>> {
        let owner = owner.to_owned();
        let mut out = self
            .write(move |c| {
                db::all(
                    c,
                    &format!(
                        "UPDATE jobs SET state = 'running', claimed_by = ?, lease_until = ?, \
                         attempts = attempts + 1 \
                         WHERE id IN (SELECT id FROM jobs WHERE (state = 'queued' AND run_at <= ?) \
                           OR (state = 'running' AND lease_until < ?) ORDER BY run_at, id LIMIT ?) \
                         AND (state = 'queued' OR lease_until < ?) \
                         RETURNING {JOB_COLS}"
                    ),
                    params![owner, us(lease_until), us(now), us(now), limit, us(now)],
                    job,
                )
            })
            .await?;
        out.sort_by_key(|j| (j.run_at, j.id));
        Ok(out)
    }

    async fn complete_job(&self, id: JobId, owner: &str, now: Timestamp) -> StoreResult<bool> {
        let owner = owner.to_owned();
        self.write(move |c| {
            let n = db::exec(
                c,
                "UPDATE jobs SET state = 'done', done_at = ?, lease_until = NULL, last_error = NULL \
                 WHERE id = ? AND state = 'running' AND claimed_by = ?",
                params![us(now), id.0, owner],
            )?;
            Ok(n == 1)
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
        let (owner, error) = (owner.to_owned(), error.to_owned());
        self.write(move |c| {
            let n = match retry_at {
                Some(at) => db::exec(
                    c,
                    "UPDATE jobs SET state = 'queued', run_at = ?, lease_until = NULL, \
                     last_error = ? WHERE id = ? AND state = 'running' AND claimed_by = ?",
                    params![us(at), error, id.0, owner],
                )?,
                None => db::exec(
                    c,
                    "UPDATE jobs SET state = 'failed', lease_until = NULL, last_error = ? \
                     WHERE id = ? AND state = 'running' AND claimed_by = ?",
                    params![error, id.0, owner],
                )?,
            };
            Ok(n == 1)
        })
        .await
    }

    async fn create_notification(&self, n: NewNotification) -> StoreResult<bool> {
        self.write(move |c| {
            if !exists(c, "members", n.member_id.0, n.workspace_id)? {
                return Err(StoreError::NotFound);
            }
            let changed = db::exec(
                c,
                "INSERT INTO notifications (id, workspace_id, member_id, kind, payload, dedupe_key, \
                 created_at) VALUES (?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (member_id, dedupe_key) DO NOTHING",
                params![
                    n.id.0,
                    n.workspace_id.0,
                    n.member_id.0,
                    n.kind.as_str(),
                    n.payload.to_string(),
                    n.dedupe_key,
                    us(n.now)
                ],
            )?;
            Ok(changed == 1)
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
        let after = after
            .map(|u| u.as_bytes().to_vec())
            .unwrap_or_else(|| vec![0xff; 17]);
        let limit = page.fetch_limit();
        let unread = if unread_only {
            " AND read_at IS NULL"
        } else {
            ""
        };
        let items = self
            .read(move |c| {
                db::all(
                    c,
                    &format!(
                        "SELECT {NOTIFICATION_COLS} FROM notifications WHERE member_id = ? \
                         AND workspace_id = ? AND id < ?{unread} ORDER BY id DESC LIMIT ?"
                    ),
                    params![member.0, ws.0, after, limit],
                    notification,
                )
            })
            .await?;
        Ok(Page::from_rows(items, page, |n| n.id.to_string()))
    }

    async fn count_unread_notifications(
        &self,
        ws: WorkspaceId,
        member: MemberId,
    ) -> StoreResult<i64> {
        self.read_now(move |c| {
            db::one(
                c,
                "SELECT count(*) AS n FROM notifications WHERE member_id = ? AND workspace_id = ? \
                 AND read_at IS NULL",
                params![member.0, ws.0],
                |r| get(r, "n"),
            )
        })
        .await
    }

    async fn mark_notifications_read(
        &self,
        ws: WorkspaceId,
        member: MemberId,
        id: Option<NotificationId>,
        now: Timestamp,
    ) -> StoreResult<u64> {
        self.write(move |c| match id {
            Some(id) => {
                let mine = db::opt(
                    c,
                    "SELECT 1 AS one FROM notifications WHERE id = ? AND member_id = ? \
                         AND workspace_id = ?",
                    params![id.0, member.0, ws.0],
                    |_| Ok(()),
                )?;
                mine.ok_or(StoreError::NotFound)?;
                let n = db::exec(
                    c,
                    "UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL",
                    params![us(now), id.0],
                )?;
                Ok(n as u64)
            }
            None => {
                let n = db::exec(
                    c,
                    "UPDATE notifications SET read_at = ? WHERE member_id = ? \
                         AND workspace_id = ? AND read_at IS NULL",
                    params![us(now), member.0, ws.0],
                )?;
                Ok(n as u64)
            }
        })
        .await
    }
}

// --- dump and load ---------------------------------------------------------------------------

pub(crate) fn dump(c: &Connection, d: &mut DecisionsDump) -> StoreResult<()> {
    let rows = db::all(
        c,
        &format!("SELECT {DECISION_COLS} FROM decisions d ORDER BY d.id"),
        [],
        decision_row,
    )?;
    d.decisions.extend(hydrate(c, rows)?);
    d.jobs.extend(db::all(
        c,
        &format!("SELECT {JOB_COLS} FROM jobs ORDER BY id"),
        [],
        job,
    )?);
    d.notifications.extend(db::all(
        c,
        &format!("SELECT {NOTIFICATION_COLS} FROM notifications ORDER BY id"),
        [],
        notification,
    )?);
    Ok(())
}

pub(crate) fn load(c: &Connection, d: &DecisionsDump) -> StoreResult<()> {
    for x in &d.decisions {
        insert_decision(
            c,
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
        )?;
    }
    for j in &d.jobs {
        db::exec(
            c,
            &format!("INSERT INTO jobs ({JOB_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            params![
                j.id.0,
                j.workspace_id.map(|w| w.0),
                j.kind.as_str(),
                j.payload.to_string(),
                us(j.run_at),
                j.state.as_str(),
                j.claimed_by,
                j.lease_until.map(us),
                j.attempts,
                j.last_error,
                us(j.created_at),
                j.done_at.map(us)
            ],
        )?;
    }
    for n in &d.notifications {
        db::exec(
            c,
            &format!(
                "INSERT INTO notifications ({NOTIFICATION_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            params![
                n.id.0,
                n.workspace_id.0,
                n.member_id.0,
                n.kind.as_str(),
                n.payload.to_string(),
                n.dedupe_key,
                us(n.created_at),
                n.read_at.map(us)
            ],
        )?;
    }
    Ok(())
}
