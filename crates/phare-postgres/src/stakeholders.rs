//! `impl StakeholderStore for PgStore`: stakeholder groups, prioritization sessions, their
//! invitations and ballots, and the close (one read of the ballots, the aggregation in memory,
//! one write of the results, in one transaction). Same behaviour as the SQLite store; every
//! unit of work runs through `retrying`, and versioned changes lock their row first.

use crate::discovery::{check_product, Res};
use crate::rows::{get, parse, us};
use crate::store::{map_err, retrying};
use crate::PgStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;
use uuid::Uuid;

const GROUP_COLS: &str =
    "id, workspace_id, default_key, name, weight, created_at, updated_at, version";
const SESSION_COLS: &str = "id, workspace_id, product_id, title, description, method, state, \
     deadline, created_by, created_at, updated_at, closed_at, results, version";
const BALLOT_COLS: &str =
    "session_id, member_id, workspace_id, answer, created_at, updated_at, version";

fn group(row: &PgRow) -> StoreResult<StakeholderGroup> {
    Ok(StakeholderGroup {
        id: StakeholderGroupId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        default_key: get::<Option<String>>(row, "default_key")?
            .map(|k| parse(&k, DefaultGroup::parse, "default group"))
            .transpose()?,
        name: get(row, "name")?,
        weight: get(row, "weight")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

fn results_json(v: &SessionResults) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(e.to_string()))
}

fn answer_json(v: &BallotAnswer) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(e.to_string()))
}

fn answer_from(text: &str) -> StoreResult<BallotAnswer> {
    serde_json::from_str(text).map_err(|e| StoreError::Other(format!("ballot answer: {e}")))
}

fn session_row(row: &PgRow) -> StoreResult<PrioritizationSession> {
    Ok(PrioritizationSession {
        id: PrioritizationSessionId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        title: get(row, "title")?,
        description: get(row, "description")?,
        method: parse(
            &get::<String>(row, "method")?,
            SessionMethod::parse,
            "method",
        )?,
        state: parse(&get::<String>(row, "state")?, SessionState::parse, "state")?,
        deadline: get(row, "deadline")?,
        idea_ids: Vec::new(),
        created_by: get::<Option<Uuid>>(row, "created_by")?.map(MemberId),
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        closed_at: get(row, "closed_at")?,
        results: get::<Option<String>>(row, "results")?
            .map(|t| {
                serde_json::from_str(&t)
                    .map_err(|e| StoreError::Other(format!("session results: {e}")))
            })
            .transpose()?,
        version: get(row, "version")?,
    })
}

fn invitation(row: &PgRow) -> StoreResult<SessionInvitation> {
    Ok(SessionInvitation {
        session_id: PrioritizationSessionId(get(row, "session_id")?),
        member_id: MemberId(get(row, "member_id")?),
        group_id: StakeholderGroupId(get(row, "group_id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        invited_at: get(row, "invited_at")?,
        member_name: get(row, "member_name")?,
        answered_at: get(row, "answered_at")?,
    })
}

fn ballot(row: &PgRow) -> StoreResult<Ballot> {
    Ok(Ballot {
        session_id: PrioritizationSessionId(get(row, "session_id")?),
        member_id: MemberId(get(row, "member_id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        answer: answer_from(&get::<String>(row, "answer")?)?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

async fn idea_ids(conn: &mut PgConnection, session: PrioritizationSessionId) -> Res<Vec<IdeaId>> {
    let rows =
        sqlx::query("SELECT idea_id FROM session_ideas WHERE session_id = $1 ORDER BY position")
            .bind(session.0)
            .fetch_all(conn)
            .await?;
    Ok(rows
        .iter()
        .map(|r| get(r, "idea_id").map(IdeaId))
        .collect::<StoreResult<_>>()?)
}

/// The session with its ideas, locked with `lock` (`FOR UPDATE`) or read plainly with `""`.
async fn session_in_tx(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    id: PrioritizationSessionId,
    lock: &str,
) -> Res<PrioritizationSession> {
    let row = sqlx::query(&format!(
        "SELECT {SESSION_COLS} FROM prioritization_sessions WHERE id = $1 AND workspace_id = $2 \
         {lock}"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut *conn)
    .await?;
    let mut s = row
        .as_ref()
        .map(session_row)
        .transpose()?
        .ok_or(StoreError::NotFound)?;
    s.idea_ids = idea_ids(conn, id).await?;
    Ok(s)
}

async fn group_in_tx(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    id: StakeholderGroupId,
    lock: &str,
) -> Res<StakeholderGroup> {
    let row = sqlx::query(&format!(
        "SELECT {GROUP_COLS} FROM stakeholder_groups WHERE id = $1 AND workspace_id = $2 {lock}"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(conn)
    .await?;
    Ok(row
        .as_ref()
        .map(group)
        .transpose()?
        .ok_or(StoreError::NotFound)?)
}

async fn groups_of(conn: &mut PgConnection, ws: WorkspaceId) -> Res<Vec<StakeholderGroup>> {
    let rows = sqlx::query(&format!(
        "SELECT {GROUP_COLS} FROM stakeholder_groups WHERE workspace_id = $1 ORDER BY id"
    ))
    .bind(ws.0)
    .fetch_all(conn)
    .await?;
    let mut out = rows.iter().map(group).collect::<StoreResult<Vec<_>>>()?;
    out.sort_by_key(|g| (group_order(g), g.created_at, g.id));
    Ok(out)
}

async fn insert_group(conn: &mut PgConnection, g: &StakeholderGroup) -> Res<()> {
    sqlx::query(&format!(
        "INSERT INTO stakeholder_groups ({GROUP_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(g.id.0)
    .bind(g.workspace_id.0)
    .bind(g.default_key.map(DefaultGroup::as_str))
    .bind(&g.name)
    .bind(g.weight)
    .bind(us(g.created_at))
    .bind(us(g.updated_at))
    .bind(g.version)
    .execute(conn)
    .await?;
    Ok(())
}

async fn invitations_in_tx(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    session: PrioritizationSessionId,
) -> Res<Vec<SessionInvitation>> {
    let rows = sqlx::query(
        "SELECT i.session_id, i.member_id, i.group_id, i.workspace_id, i.invited_at, \
         m.name AS member_name, b.updated_at AS answered_at \
         FROM session_invitations i JOIN members m ON m.id = i.member_id \
         LEFT JOIN ballots b ON b.session_id = i.session_id AND b.member_id = i.member_id \
         WHERE i.session_id = $1 AND i.workspace_id = $2 \
         ORDER BY m.name COLLATE \"C\", i.member_id",
    )
    .bind(session.0)
    .bind(ws.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(invitation).collect::<StoreResult<_>>()?)
}

async fn ballot_in_tx(
    conn: &mut PgConnection,
    session: PrioritizationSessionId,
    member: MemberId,
) -> Res<Option<Ballot>> {
    let row = sqlx::query(&format!(
        "SELECT {BALLOT_COLS} FROM ballots WHERE session_id = $1 AND member_id = $2"
    ))
    .bind(session.0)
    .bind(member.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(ballot).transpose()?)
}

#[async_trait]
impl StakeholderStore for PgStore {
    async fn list_stakeholder_groups(&self, ws: WorkspaceId) -> StoreResult<Vec<StakeholderGroup>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(groups_of(&mut conn, ws).await?)
    }

    async fn create_stakeholder_group(
        &self,
        g: NewStakeholderGroup,
    ) -> StoreResult<StakeholderGroup> {
        let g = &g;
        retrying("create_stakeholder_group", || async move {
            let mut tx = self.pool.begin().await?;
            let out = StakeholderGroup {
                id: g.id,
                workspace_id: g.workspace_id,
                default_key: None,
                name: g.name.clone(),
                weight: g.weight,
                created_at: us(g.now),
                updated_at: us(g.now),
                version: 1,
            };
            insert_group(&mut tx, &out).await?;
            let out = group_in_tx(&mut tx, g.workspace_id, g.id, "").await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn update_stakeholder_group(
        &self,
        ws: WorkspaceId,
        id: StakeholderGroupId,
        expected_version: i64,
        name: Option<String>,
        weight: f64,
        now: Timestamp,
    ) -> StoreResult<StakeholderGroup> {
        let name = &name;
        retrying("update_stakeholder_group", || async move {
            let mut tx = self.pool.begin().await?;
            let g = group_in_tx(&mut tx, ws, id, "FOR UPDATE").await?;
            if g.version != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            sqlx::query(
                "UPDATE stakeholder_groups SET name = $1, weight = $2, updated_at = $3, \
                 version = version + 1 WHERE id = $4",
            )
            .bind(name.clone().unwrap_or(g.name))
            .bind(weight)
            .bind(us(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            let out = group_in_tx(&mut tx, ws, id, "").await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn delete_stakeholder_group(
        &self,
        ws: WorkspaceId,
        id: StakeholderGroupId,
        expected_version: i64,
    ) -> StoreResult<bool> {
        retrying("delete_stakeholder_group", || async move {
            let mut tx = self.pool.begin().await?;
            let g = group_in_tx(&mut tx, ws, id, "FOR UPDATE").await?;
            if g.version != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            let used = sqlx::query("SELECT 1 FROM session_invitations WHERE group_id = $1 LIMIT 1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
            if used.is_some() {
                return Ok(false);
            }
            sqlx::query("DELETE FROM stakeholder_groups WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    async fn seed_stakeholder_groups(&self, ws: WorkspaceId, now: Timestamp) -> StoreResult<u64> {
        retrying("seed_stakeholder_groups", || async move {
            let mut tx = self.pool.begin().await?;
            // Locking the workspace row makes two seeding instances take turns.
            sqlx::query("SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE")
                .bind(ws.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let any =
                sqlx::query("SELECT 1 FROM stakeholder_groups WHERE workspace_id = $1 LIMIT 1")
                    .bind(ws.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if any.is_some() {
                return Ok(0);
            }
            let groups = default_groups(ws, now);
            for g in &groups {
                insert_group(&mut tx, g).await?;
            }
            tx.commit().await?;
            Ok(groups.len() as u64)
        })
        .await
    }

    async fn create_prioritization_session(
        &self,
        s: NewPrioritizationSession,
    ) -> StoreResult<PrioritizationSession> {
        let s = &s;
        retrying("create_prioritization_session", || async move {
            let mut tx = self.pool.begin().await?;
            check_product(&mut tx, s.workspace_id, s.product_id).await?;
            sqlx::query(&format!(
                "INSERT INTO prioritization_sessions ({SESSION_COLS}) VALUES \
                 ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, NULL, NULL, 1)"
            ))
            .bind(s.id.0)
            .bind(s.workspace_id.0)
            .bind(s.product_id.0)
            .bind(&s.title)
            .bind(&s.description)
            .bind(s.method.as_str())
            .bind(us(s.deadline))
            .bind(s.created_by.map(|m| m.0))
            .bind(us(s.now))
            .bind(us(s.now))
            .execute(&mut *tx)
            .await?;
            for (position, idea) in s.idea_ids.iter().enumerate() {
                sqlx::query(
                    "SELECT 1 FROM ideas WHERE id = $1 AND product_id = $2 AND workspace_id = $3",
                )
                .bind(idea.0)
                .bind(s.product_id.0)
                .bind(s.workspace_id.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
                sqlx::query(
                    "INSERT INTO session_ideas (session_id, idea_id, position) VALUES ($1, $2, $3)",
                )
                .bind(s.id.0)
                .bind(idea.0)
                .bind(i32::try_from(position).unwrap_or(i32::MAX))
                .execute(&mut *tx)
                .await?;
            }
            let out = session_in_tx(&mut tx, s.workspace_id, s.id, "").await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn get_prioritization_session(
        &self,
        ws: WorkspaceId,
        id: PrioritizationSessionId,
    ) -> StoreResult<PrioritizationSession> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(session_in_tx(&mut conn, ws, id, "").await?)
    }

    async fn list_prioritization_sessions(
        &self,
        ws: WorkspaceId,
        filter: &SessionFilter,
    ) -> StoreResult<Vec<PrioritizationSession>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        let mut q = sqlx::QueryBuilder::new(format!(
            "SELECT {SESSION_COLS} FROM prioritization_sessions s WHERE workspace_id = "
        ));
        q.push_bind(ws.0);
        if let Some(p) = filter.product {
            q.push(" AND product_id = ").push_bind(p.0);
        }
        if let Some(m) = filter.invited {
            q.push(
                " AND EXISTS (SELECT 1 FROM session_invitations i \
                 WHERE i.session_id = s.id AND i.member_id = ",
            )
            .push_bind(m.0)
            .push(")");
        }
        q.push(" ORDER BY id DESC LIMIT 500");
        let rows = q.build().fetch_all(&mut *conn).await.map_err(map_err)?;
        let mut out = rows
            .iter()
            .map(session_row)
            .collect::<StoreResult<Vec<_>>>()?;
        for s in &mut out {
            s.idea_ids = idea_ids(&mut conn, s.id).await?;
        }
        Ok(out)
    }

    async fn open_prioritization_session(
        &self,
        ws: WorkspaceId,
        id: PrioritizationSessionId,
        expected_version: i64,
        now: Timestamp,
    ) -> StoreResult<PrioritizationSession> {
        retrying("open_prioritization_session", || async move {
            let mut tx = self.pool.begin().await?;
            let s = session_in_tx(&mut tx, ws, id, "FOR UPDATE").await?;
            if s.version != expected_version || s.state != SessionState::Draft {
                return Err(StoreError::VersionConflict.into());
            }
            sqlx::query(
                "UPDATE prioritization_sessions SET state = 'open', updated_at = $1, \
                 version = version + 1 WHERE id = $2",
            )
            .bind(us(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            let out = session_in_tx(&mut tx, ws, id, "").await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn close_prioritization_session(
        &self,
        ws: WorkspaceId,
        id: PrioritizationSessionId,
        expected_version: i64,
        now: Timestamp,
    ) -> StoreResult<PrioritizationSession> {
        retrying("close_prioritization_session", || async move {
            let mut tx = self.pool.begin().await?;
            // The lock makes a ballot sent meanwhile wait, then see the closed state.
            let s = session_in_tx(&mut tx, ws, id, "FOR UPDATE").await?;
            if s.version != expected_version || s.state == SessionState::Closed {
                return Err(StoreError::VersionConflict.into());
            }
            let groups = groups_of(&mut tx, ws).await?;
            let rows = sqlx::query(
                "SELECT b.member_id, b.answer, i.group_id FROM ballots b \
                 JOIN session_invitations i ON i.session_id = b.session_id \
                 AND i.member_id = b.member_id WHERE b.session_id = $1",
            )
            .bind(id.0)
            .fetch_all(&mut *tx)
            .await?;
            let ballots = rows
                .iter()
                .map(|r| {
                    Ok(CountedBallot {
                        member: MemberId(get(r, "member_id")?),
                        group: StakeholderGroupId(get(r, "group_id")?),
                        answer: answer_from(&get::<String>(r, "answer")?)?,
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
            let invited: std::collections::HashSet<StakeholderGroupId> = sqlx::query(
                "SELECT DISTINCT group_id FROM session_invitations WHERE session_id = $1",
            )
            .bind(id.0)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| get(r, "group_id").map(StakeholderGroupId))
            .collect::<StoreResult<_>>()?;
            let weights: Vec<GroupWeight> = groups
                .iter()
                .filter(|g| invited.contains(&g.id))
                .map(|g| GroupWeight {
                    id: g.id,
                    weight: g.weight,
                })
                .collect();
            let results = aggregate(s.method, &s.idea_ids, &weights, &ballots);
            sqlx::query(
                "UPDATE prioritization_sessions SET state = 'closed', closed_at = $1, \
                 results = $2, updated_at = $3, version = version + 1 WHERE id = $4",
            )
            .bind(us(now))
            .bind(results_json(&results)?)
            .bind(us(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            let mut out = s;
            out.state = SessionState::Closed;
            out.closed_at = Some(us(now));
            out.updated_at = us(now);
            out.results = Some(results);
            out.version += 1;
            Ok(out)
        })
        .await
    }

    async fn invite_stakeholders(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
        invitations: &[(MemberId, StakeholderGroupId)],
        now: Timestamp,
    ) -> StoreResult<Vec<SessionInvitation>> {
        retrying("invite_stakeholders", || async move {
            let mut tx = self.pool.begin().await?;
            let s = session_in_tx(&mut tx, ws, session, "FOR UPDATE").await?;
            if s.state == SessionState::Closed {
                return Err(StoreError::VersionConflict.into());
            }
            for (member, group_id) in invitations {
                sqlx::query("SELECT 1 FROM members WHERE id = $1 AND workspace_id = $2")
                    .bind(member.0)
                    .bind(ws.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                group_in_tx(&mut tx, ws, *group_id, "").await?;
                sqlx::query(
                    "INSERT INTO session_invitations (session_id, member_id, group_id, \
                     workspace_id, invited_at) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (session_id, member_id) DO UPDATE SET group_id = excluded.group_id",
                )
                .bind(session.0)
                .bind(member.0)
                .bind(group_id.0)
                .bind(ws.0)
                .bind(us(now))
                .execute(&mut *tx)
                .await?;
            }
            let out = invitations_in_tx(&mut tx, ws, session).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn session_invitations(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
    ) -> StoreResult<Vec<SessionInvitation>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        session_in_tx(&mut conn, ws, session, "").await?;
        Ok(invitations_in_tx(&mut conn, ws, session).await?)
    }

    async fn get_ballot(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
        member: MemberId,
    ) -> StoreResult<Option<Ballot>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        let b = ballot_in_tx(&mut conn, session, member).await?;
        Ok(b.filter(|b| b.workspace_id == ws))
    }

    async fn put_ballot(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
        member: MemberId,
        expected_version: i64,
        answer: BallotAnswer,
        now: Timestamp,
    ) -> StoreResult<BallotOutcome> {
        let answer = &answer;
        retrying("put_ballot", || async move {
            let mut tx = self.pool.begin().await?;
            // Shared lock: ballots go in side by side, the close (FOR UPDATE) waits for them.
            let s = session_in_tx(&mut tx, ws, session, "FOR SHARE").await?;
            sqlx::query(
                "SELECT 1 FROM session_invitations WHERE session_id = $1 AND member_id = $2",
            )
            .bind(session.0)
            .bind(member.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            match s.state {
                SessionState::Draft => return Ok(BallotOutcome::NotOpen),
                SessionState::Closed => return Ok(BallotOutcome::Closed),
                SessionState::Open if now >= s.deadline => {
                    return Ok(BallotOutcome::DeadlinePassed)
                }
                SessionState::Open => {}
            }
            if answer.method() != s.method {
                return Err(StoreError::Other("a ballot of another method".into()).into());
            }
            let current: Option<(i64,)> = sqlx::query_as(
                "SELECT version FROM ballots WHERE session_id = $1 AND member_id = $2 FOR UPDATE",
            )
            .bind(session.0)
            .bind(member.0)
            .fetch_optional(&mut *tx)
            .await?;
            let text = answer_json(answer)?;
            match current {
                None if expected_version == 0 => {
                    sqlx::query(&format!(
                        "INSERT INTO ballots ({BALLOT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, 1)"
                    ))
                    .bind(session.0)
                    .bind(member.0)
                    .bind(ws.0)
                    .bind(&text)
                    .bind(us(now))
                    .bind(us(now))
                    .execute(&mut *tx)
                    .await?;
                }
                Some((v,)) if v == expected_version => {
                    sqlx::query(
                        "UPDATE ballots SET answer = $1, updated_at = $2, version = version + 1 \
                         WHERE session_id = $3 AND member_id = $4",
                    )
                    .bind(&text)
                    .bind(us(now))
                    .bind(session.0)
                    .bind(member.0)
                    .execute(&mut *tx)
                    .await?;
                }
                _ => return Err(StoreError::VersionConflict.into()),
            }
            let b = ballot_in_tx(&mut tx, session, member)
                .await?
                .ok_or(StoreError::NotFound)?;
            tx.commit().await?;
            Ok(BallotOutcome::Saved(b))
        })
        .await
    }

    async fn session_idea_facts(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
    ) -> StoreResult<Vec<IdeaFacts>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        session_in_tx(&mut conn, ws, session, "").await?;
        let rows = sqlx::query(
            "SELECT i.id, p.key AS product_key, i.number, i.title, i.as_a, i.i_want, i.so_that, \
             i.evidence_count, \
             (SELECT COUNT(DISTINCT f.customer_id) FROM evidence e \
              JOIN feedback f ON f.id = e.feedback_id WHERE e.idea_id = i.id) AS customers, \
             i.score \
             FROM session_ideas si JOIN ideas i ON i.id = si.idea_id \
             JOIN products p ON p.id = i.product_id \
             WHERE si.session_id = $1 AND i.workspace_id = $2 ORDER BY si.position",
        )
        .bind(session.0)
        .bind(ws.0)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(IdeaFacts {
                    id: IdeaId(get(r, "id")?),
                    reference: idea_reference(&get::<String>(r, "product_key")?, get(r, "number")?),
                    title: get(r, "title")?,
                    as_a: get(r, "as_a")?,
                    i_want: get(r, "i_want")?,
                    so_that: get(r, "so_that")?,
                    evidence_count: get(r, "evidence_count")?,
                    customer_count: get(r, "customers")?,
                    score: get(r, "score")?,
                })
            })
            .collect()
    }
}

pub(crate) async fn dump(conn: &mut PgConnection, d: &mut StakeholdersDump) -> Res<()> {
    for r in sqlx::query(&format!(
        "SELECT {GROUP_COLS} FROM stakeholder_groups ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.stakeholder_groups.push(group(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {SESSION_COLS} FROM prioritization_sessions ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.prioritization_sessions.push(session_row(&r)?);
    }
    for s in &mut d.prioritization_sessions {
        s.idea_ids = idea_ids(conn, s.id).await?;
    }
    for r in sqlx::query(
        "SELECT session_id, member_id, group_id, workspace_id, invited_at, \
         '' AS member_name, NULL::timestamptz AS answered_at FROM session_invitations \
         ORDER BY session_id, member_id",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        d.session_invitations.push(invitation(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {BALLOT_COLS} FROM ballots ORDER BY session_id, member_id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.ballots.push(ballot(&r)?);
    }
    Ok(())
}

pub(crate) async fn load(conn: &mut PgConnection, d: &StakeholdersDump) -> Res<()> {
    for g in &d.stakeholder_groups {
        insert_group(conn, g).await?;
    }
    // Sessions go in open, then take their state once their ballots are in: a closed
    // session's ballots are refused by the database (the trigger of migration 0009).
    for s in &d.prioritization_sessions {
        sqlx::query(&format!(
            "INSERT INTO prioritization_sessions ({SESSION_COLS}) VALUES \
             ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(s.id.0)
        .bind(s.workspace_id.0)
        .bind(s.product_id.0)
        .bind(&s.title)
        .bind(&s.description)
        .bind(s.method.as_str())
        .bind(us(s.deadline))
        .bind(s.created_by.map(|m| m.0))
        .bind(us(s.created_at))
        .bind(us(s.updated_at))
        .bind(s.closed_at.map(us))
        .bind(s.results.as_ref().map(results_json).transpose()?)
        .bind(s.version)
        .execute(&mut *conn)
        .await?;
        for (position, idea) in s.idea_ids.iter().enumerate() {
            sqlx::query(
                "INSERT INTO session_ideas (session_id, idea_id, position) VALUES ($1, $2, $3)",
            )
            .bind(s.id.0)
            .bind(idea.0)
            .bind(i32::try_from(position).unwrap_or(i32::MAX))
            .execute(&mut *conn)
            .await?;
        }
    }
    for i in &d.session_invitations {
        sqlx::query(
            "INSERT INTO session_invitations (session_id, member_id, group_id, workspace_id, \
             invited_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(i.session_id.0)
        .bind(i.member_id.0)
        .bind(i.group_id.0)
        .bind(i.workspace_id.0)
        .bind(us(i.invited_at))
        .execute(&mut *conn)
        .await?;
    }
    for b in &d.ballots {
        sqlx::query(&format!(
            "INSERT INTO ballots ({BALLOT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ))
        .bind(b.session_id.0)
        .bind(b.member_id.0)
        .bind(b.workspace_id.0)
        .bind(answer_json(&b.answer)?)
        .bind(us(b.created_at))
        .bind(us(b.updated_at))
        .bind(b.version)
        .execute(&mut *conn)
        .await?;
    }
    for s in &d.prioritization_sessions {
        sqlx::query("UPDATE prioritization_sessions SET state = $1 WHERE id = $2")
            .bind(s.state.as_str())
            .bind(s.id.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
