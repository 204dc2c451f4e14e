//! `impl StakeholderStore for SqliteStore`: stakeholder groups, prioritization sessions, their
//! invitations and ballots, and the close (one read of the ballots, the aggregation in memory,
//! one write of the results, in one transaction).

use crate::db;
use crate::discovery::check_product;
use crate::rows::{get, opt_ts, parse, ts, us};
use crate::SqliteStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use rusqlite::{params, Connection, Row};
use uuid::Uuid;

const GROUP_COLS: &str =
    "id, workspace_id, default_key, name, weight, created_at, updated_at, version";
const SESSION_COLS: &str = "id, workspace_id, product_id, title, description, method, state, \
     deadline, created_by, created_at, updated_at, closed_at, results, version";

fn group(row: &Row<'_>) -> StoreResult<StakeholderGroup> {
    Ok(StakeholderGroup {
        id: StakeholderGroupId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        default_key: get::<Option<String>>(row, "default_key")?
            .map(|k| parse(&k, DefaultGroup::parse, "default group"))
            .transpose()?,
        name: get(row, "name")?,
        weight: get(row, "weight")?,
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

fn results_from(text: Option<String>) -> StoreResult<Option<SessionResults>> {
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| StoreError::Other(format!("session results: {e}")))
    })
    .transpose()
}

fn answer_from(text: &str) -> StoreResult<BallotAnswer> {
    serde_json::from_str(text).map_err(|e| StoreError::Other(format!("ballot answer: {e}")))
}

fn results_json(v: &SessionResults) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(e.to_string()))
}

fn answer_json(v: &BallotAnswer) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(e.to_string()))
}

/// A session without its ideas (see [`session_in_tx`]).
fn session_row(row: &Row<'_>) -> StoreResult<PrioritizationSession> {
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
        deadline: ts(get(row, "deadline")?)?,
        idea_ids: Vec::new(),
        created_by: get::<Option<Uuid>>(row, "created_by")?.map(MemberId),
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        closed_at: opt_ts(get(row, "closed_at")?)?,
        results: results_from(get(row, "results")?)?,
        version: get(row, "version")?,
    })
}

fn idea_ids(c: &Connection, session: PrioritizationSessionId) -> StoreResult<Vec<IdeaId>> {
    db::all(
        c,
        "SELECT idea_id FROM session_ideas WHERE session_id = ? ORDER BY position",
        params![session.0],
        |r| Ok(IdeaId(get(r, "idea_id")?)),
    )
}

fn session_in_tx(
    c: &Connection,
    ws: WorkspaceId,
    id: PrioritizationSessionId,
) -> StoreResult<PrioritizationSession> {
    let mut s = db::one(
        c,
        &format!(
            "SELECT {SESSION_COLS} FROM prioritization_sessions WHERE id = ? AND workspace_id = ?"
        ),
        params![id.0, ws.0],
        session_row,
    )?;
    s.idea_ids = idea_ids(c, id)?;
    Ok(s)
}

fn group_in_tx(
    c: &Connection,
    ws: WorkspaceId,
    id: StakeholderGroupId,
) -> StoreResult<StakeholderGroup> {
    db::one(
        c,
        &format!("SELECT {GROUP_COLS} FROM stakeholder_groups WHERE id = ? AND workspace_id = ?"),
        params![id.0, ws.0],
        group,
    )
}

fn invitation(row: &Row<'_>) -> StoreResult<SessionInvitation> {
    Ok(SessionInvitation {
        session_id: PrioritizationSessionId(get(row, "session_id")?),
        member_id: MemberId(get(row, "member_id")?),
        group_id: StakeholderGroupId(get(row, "group_id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        invited_at: ts(get(row, "invited_at")?)?,
        member_name: get(row, "member_name")?,
        answered_at: opt_ts(get(row, "answered_at")?)?,
    })
}

fn ballot(row: &Row<'_>) -> StoreResult<Ballot> {
    Ok(Ballot {
        session_id: PrioritizationSessionId(get(row, "session_id")?),
        member_id: MemberId(get(row, "member_id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        answer: answer_from(&get::<String>(row, "answer")?)?,
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

const BALLOT_COLS: &str =
    "session_id, member_id, workspace_id, answer, created_at, updated_at, version";

fn insert_groups(c: &Connection, groups: &[StakeholderGroup]) -> StoreResult<()> {
    for g in groups {
        db::exec(
            c,
            &format!(
                "INSERT INTO stakeholder_groups ({GROUP_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            params![
                g.id.0,
                g.workspace_id.0,
                g.default_key.map(DefaultGroup::as_str),
                &g.name,
                g.weight,
                us(g.created_at),
                us(g.updated_at),
                g.version
            ],
        )?;
    }
    Ok(())
}

#[async_trait]
impl StakeholderStore for SqliteStore {
    async fn list_stakeholder_groups(&self, ws: WorkspaceId) -> StoreResult<Vec<StakeholderGroup>> {
        self.read(move |c| {
            let mut out = db::all(
                c,
                &format!(
                    "SELECT {GROUP_COLS} FROM stakeholder_groups WHERE workspace_id = ? ORDER BY id"
                ),
                params![ws.0],
                group,
            )?;
            out.sort_by_key(|g| (group_order(g), g.created_at, g.id));
            Ok(out)
        })
        .await
    }

    async fn create_stakeholder_group(
        &self,
        g: NewStakeholderGroup,
    ) -> StoreResult<StakeholderGroup> {
        self.write(move |c| {
            let out = StakeholderGroup {
                id: g.id,
                workspace_id: g.workspace_id,
                default_key: None,
                name: g.name,
                weight: g.weight,
                created_at: g.now,
                updated_at: g.now,
                version: 1,
            };
            insert_groups(c, std::slice::from_ref(&out))?;
            group_in_tx(c, out.workspace_id, out.id)
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
        self.write(move |c| {
            let g = group_in_tx(c, ws, id)?;
            if g.version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            db::exec(
                c,
                "UPDATE stakeholder_groups SET name = ?, weight = ?, updated_at = ?, \
                 version = version + 1 WHERE id = ?",
                params![name.unwrap_or(g.name), weight, us(now), id.0],
            )?;
            group_in_tx(c, ws, id)
        })
        .await
    }

    async fn delete_stakeholder_group(
        &self,
        ws: WorkspaceId,
        id: StakeholderGroupId,
        expected_version: i64,
    ) -> StoreResult<bool> {
        self.write(move |c| {
            let g = group_in_tx(c, ws, id)?;
            if g.version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            let used = db::opt(
                c,
                "SELECT 1 FROM session_invitations WHERE group_id = ? LIMIT 1",
                params![id.0],
                |_| Ok(()),
            )?;
            if used.is_some() {
                return Ok(false);
            }
            db::exec(
                c,
                "DELETE FROM stakeholder_groups WHERE id = ?",
                params![id.0],
            )?;
            Ok(true)
        })
        .await
    }

    async fn seed_stakeholder_groups(&self, ws: WorkspaceId, now: Timestamp) -> StoreResult<u64> {
        self.write(move |c| {
            db::one(
                c,
                "SELECT 1 FROM workspaces WHERE id = ?",
                params![ws.0],
                |_| Ok(()),
            )?;
            let any = db::opt(
                c,
                "SELECT 1 FROM stakeholder_groups WHERE workspace_id = ? LIMIT 1",
                params![ws.0],
                |_| Ok(()),
            )?;
            if any.is_some() {
                return Ok(0);
            }
            let groups = default_groups(ws, now);
            insert_groups(c, &groups)?;
            Ok(groups.len() as u64)
        })
        .await
    }

    async fn create_prioritization_session(
        &self,
        s: NewPrioritizationSession,
    ) -> StoreResult<PrioritizationSession> {
        self.write(move |c| {
            check_product(c, s.workspace_id, s.product_id)?;
            db::exec(
                c,
                &format!(
                    "INSERT INTO prioritization_sessions ({SESSION_COLS}) \
                     VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, NULL, NULL, 1)"
                ),
                params![
                    s.id.0,
                    s.workspace_id.0,
                    s.product_id.0,
                    &s.title,
                    &s.description,
                    s.method.as_str(),
                    us(s.deadline),
                    s.created_by.map(|m| m.0),
                    us(s.now),
                    us(s.now)
                ],
            )?;
            for (position, idea) in s.idea_ids.iter().enumerate() {
                // The idea must be of this product (and so of this workspace).
                db::one(
                    c,
                    "SELECT 1 FROM ideas WHERE id = ? AND product_id = ? AND workspace_id = ?",
                    params![idea.0, s.product_id.0, s.workspace_id.0],
                    |_| Ok(()),
                )?;
                db::exec(
                    c,
                    "INSERT INTO session_ideas (session_id, idea_id, position) VALUES (?, ?, ?)",
                    params![s.id.0, idea.0, position as i64],
                )?;
            }
            session_in_tx(c, s.workspace_id, s.id)
        })
        .await
    }

    async fn get_prioritization_session(
        &self,
        ws: WorkspaceId,
        id: PrioritizationSessionId,
    ) -> StoreResult<PrioritizationSession> {
        self.read(move |c| session_in_tx(c, ws, id)).await
    }

    async fn list_prioritization_sessions(
        &self,
        ws: WorkspaceId,
        filter: &SessionFilter,
    ) -> StoreResult<Vec<PrioritizationSession>> {
        let filter = filter.clone();
        self.read(move |c| {
            let mut q = db::Sql::new(format!(
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
            let mut out = q.all(c, session_row)?;
            for s in &mut out {
                s.idea_ids = idea_ids(c, s.id)?;
            }
            Ok(out)
        })
        .await
    }

    async fn open_prioritization_session(
        &self,
        ws: WorkspaceId,
        id: PrioritizationSessionId,
        expected_version: i64,
        now: Timestamp,
    ) -> StoreResult<PrioritizationSession> {
        self.write(move |c| {
            let s = session_in_tx(c, ws, id)?;
            if s.version != expected_version || s.state != SessionState::Draft {
                return Err(StoreError::VersionConflict);
            }
            db::exec(
                c,
                "UPDATE prioritization_sessions SET state = 'open', updated_at = ?, \
                 version = version + 1 WHERE id = ?",
                params![us(now), id.0],
            )?;
            session_in_tx(c, ws, id)
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
        self.write(move |c| {
            let s = session_in_tx(c, ws, id)?;
            if s.version != expected_version || s.state == SessionState::Closed {
                return Err(StoreError::VersionConflict);
            }
            let groups = db::all(
                c,
                &format!(
                    "SELECT {GROUP_COLS} FROM stakeholder_groups WHERE workspace_id = ? ORDER BY id"
                ),
                params![ws.0],
                group,
            )?;
            let mut groups: Vec<StakeholderGroup> = groups;
            groups.sort_by_key(|g| (group_order(g), g.created_at, g.id));
            // The one read of the ballots, each with the group of its invitation.
            let ballots = db::all(
                c,
                "SELECT b.member_id, b.answer, i.group_id FROM ballots b \
                 JOIN session_invitations i ON i.session_id = b.session_id \
                 AND i.member_id = b.member_id WHERE b.session_id = ?",
                params![id.0],
                |r| {
                    Ok(CountedBallot {
                        member: MemberId(get(r, "member_id")?),
                        group: StakeholderGroupId(get(r, "group_id")?),
                        answer: answer_from(&get::<String>(r, "answer")?)?,
                    })
                },
            )?;
            // Only the groups of this session's invitations are part of its results.
            let invited: std::collections::HashSet<StakeholderGroupId> = db::all(
                c,
                "SELECT DISTINCT group_id FROM session_invitations WHERE session_id = ?",
                params![id.0],
                |r| Ok(StakeholderGroupId(get(r, "group_id")?)),
            )?
            .into_iter()
            .collect();
            let weights: Vec<GroupWeight> = groups
                .iter()
                .filter(|g| invited.contains(&g.id))
                .map(|g| GroupWeight {
                    id: g.id,
                    weight: g.weight,
                })
                .collect();
            let results = aggregate(s.method, &s.idea_ids, &weights, &ballots);
            db::exec(
                c,
                "UPDATE prioritization_sessions SET state = 'closed', closed_at = ?, results = ?, \
                 updated_at = ?, version = version + 1 WHERE id = ?",
                params![us(now), results_json(&results)?, us(now), id.0],
            )?;
            let mut out = s;
            out.state = SessionState::Closed;
            out.closed_at = Some(now);
            out.updated_at = now;
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
        let invitations = invitations.to_vec();
        self.write(move |c| {
            let s = session_in_tx(c, ws, session)?;
            if s.state == SessionState::Closed {
                return Err(StoreError::VersionConflict);
            }
            for (member, group_id) in &invitations {
                db::one(
                    c,
                    "SELECT 1 FROM members WHERE id = ? AND workspace_id = ?",
                    params![member.0, ws.0],
                    |_| Ok(()),
                )?;
                group_in_tx(c, ws, *group_id)?;
                db::exec(
                    c,
                    "INSERT INTO session_invitations (session_id, member_id, group_id, \
                     workspace_id, invited_at) VALUES (?, ?, ?, ?, ?) \
                     ON CONFLICT (session_id, member_id) DO UPDATE SET group_id = excluded.group_id",
                    params![session.0, member.0, group_id.0, ws.0, us(now)],
                )?;
            }
            invitations_in_tx(c, ws, session)
        })
        .await
    }

    async fn session_invitations(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
    ) -> StoreResult<Vec<SessionInvitation>> {
        self.read(move |c| {
            session_in_tx(c, ws, session)?;
            invitations_in_tx(c, ws, session)
        })
        .await
    }

    async fn get_ballot(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
        member: MemberId,
    ) -> StoreResult<Option<Ballot>> {
        self.read(move |c| {
            db::opt(
                c,
                &format!(
                    "SELECT {BALLOT_COLS} FROM ballots WHERE session_id = ? AND member_id = ? \
                     AND workspace_id = ?"
                ),
                params![session.0, member.0, ws.0],
                ballot,
            )
        })
        .await
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
        self.write(move |c| {
            let s = session_in_tx(c, ws, session)?;
            db::one(
                c,
                "SELECT 1 FROM session_invitations WHERE session_id = ? AND member_id = ?",
                params![session.0, member.0],
                |_| Ok(()),
            )?;
            match s.state {
                SessionState::Draft => return Ok(BallotOutcome::NotOpen),
                SessionState::Closed => return Ok(BallotOutcome::Closed),
                SessionState::Open if now >= s.deadline => {
                    return Ok(BallotOutcome::DeadlinePassed)
                }
                SessionState::Open => {}
            }
            if answer.method() != s.method {
                return Err(StoreError::Other("a ballot of another method".into()));
            }
            let current = db::opt(
                c,
                "SELECT version FROM ballots WHERE session_id = ? AND member_id = ?",
                params![session.0, member.0],
                |r| get::<i64>(r, "version"),
            )?;
            let text = answer_json(&answer)?;
            match current {
                None if expected_version == 0 => {
                    db::exec(
                        c,
                        &format!(
                            "INSERT INTO ballots ({BALLOT_COLS}) VALUES (?, ?, ?, ?, ?, ?, 1)"
                        ),
                        params![session.0, member.0, ws.0, text, us(now), us(now)],
                    )?;
                }
                Some(v) if v == expected_version => {
                    db::exec(
                        c,
                        "UPDATE ballots SET answer = ?, updated_at = ?, version = version + 1 \
                         WHERE session_id = ? AND member_id = ?",
                        params![text, us(now), session.0, member.0],
                    )?;
                }
                _ => return Err(StoreError::VersionConflict),
            }
            let b = db::one(
                c,
                &format!(
                    "SELECT {BALLOT_COLS} FROM ballots WHERE session_id = ? AND member_id = ?"
                ),
                params![session.0, member.0],
                ballot,
            )?;
            Ok(BallotOutcome::Saved(b))
        })
        .await
    }

    async fn session_idea_facts(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
    ) -> StoreResult<Vec<IdeaFacts>> {
        self.read(move |c| {
            session_in_tx(c, ws, session)?;
            db::all(
                c,
                "SELECT i.id, p.key AS product_key, i.number, i.title, i.as_a, i.i_want, \
                 i.so_that, i.evidence_count, \
                 (SELECT COUNT(DISTINCT f.customer_id) FROM evidence e \
                  JOIN feedback f ON f.id = e.feedback_id WHERE e.idea_id = i.id) AS customers, \
                 k.score \
                 FROM session_ideas si JOIN ideas i ON i.id = si.idea_id \
                 JOIN products p ON p.id = i.product_id \
                 JOIN idea_primary_scores k ON k.idea_id = i.id \
                 WHERE si.session_id = ? AND i.workspace_id = ? ORDER BY si.position",
                params![session.0, ws.0],
                |r| {
                    Ok(IdeaFacts {
                        id: IdeaId(get(r, "id")?),
                        reference: idea_reference(
                            &get::<String>(r, "product_key")?,
                            get(r, "number")?,
                        ),
                        title: get(r, "title")?,
                        as_a: get(r, "as_a")?,
                        i_want: get(r, "i_want")?,
                        so_that: get(r, "so_that")?,
                        evidence_count: get(r, "evidence_count")?,
                        customer_count: get(r, "customers")?,
                        score: get(r, "score")?,
                    })
                },
            )
        })
        .await
    }
}

fn invitations_in_tx(
    c: &Connection,
    ws: WorkspaceId,
    session: PrioritizationSessionId,
) -> StoreResult<Vec<SessionInvitation>> {
    db::all(
        c,
        "SELECT i.session_id, i.member_id, i.group_id, i.workspace_id, i.invited_at, \
         m.name AS member_name, b.updated_at AS answered_at \
         FROM session_invitations i JOIN members m ON m.id = i.member_id \
         LEFT JOIN ballots b ON b.session_id = i.session_id AND b.member_id = i.member_id \
         WHERE i.session_id = ? AND i.workspace_id = ? ORDER BY m.name, i.member_id",
        params![session.0, ws.0],
        invitation,
    )
}

pub(crate) fn dump(c: &Connection, d: &mut StakeholdersDump) -> StoreResult<()> {
    d.stakeholder_groups = db::all(
        c,
        &format!("SELECT {GROUP_COLS} FROM stakeholder_groups ORDER BY id"),
        [],
        group,
    )?;
    d.prioritization_sessions = db::all(
        c,
        &format!("SELECT {SESSION_COLS} FROM prioritization_sessions ORDER BY id"),
        [],
        session_row,
    )?;
    for s in &mut d.prioritization_sessions {
        s.idea_ids = idea_ids(c, s.id)?;
    }
    d.session_invitations = db::all(
        c,
        "SELECT session_id, member_id, group_id, workspace_id, invited_at, \
         '' AS member_name, NULL AS answered_at FROM session_invitations \
         ORDER BY session_id, member_id",
        [],
        invitation,
    )?;
    d.ballots = db::all(
        c,
        &format!("SELECT {BALLOT_COLS} FROM ballots ORDER BY session_id, member_id"),
        [],
        ballot,
    )?;
    Ok(())
}

pub(crate) fn load(c: &Connection, d: &StakeholdersDump) -> StoreResult<()> {
    insert_groups(c, &d.stakeholder_groups)?;
    // Sessions go in open, then take their state once their ballots are in: a closed
    // session's ballots are refused by the database (the trigger of migration 0009).
    let sql = format!(
        "INSERT INTO prioritization_sessions ({SESSION_COLS}) \
         VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)"
    );
    for s in &d.prioritization_sessions {
        let results = s.results.as_ref().map(results_json).transpose()?;
        db::exec(
            c,
            &sql,
            params![
                s.id.0,
                s.workspace_id.0,
                s.product_id.0,
                &s.title,
                &s.description,
                s.method.as_str(),
                us(s.deadline),
                s.created_by.map(|m| m.0),
                us(s.created_at),
                us(s.updated_at),
                s.closed_at.map(us),
                results,
                s.version
            ],
        )?;
        for (position, idea) in s.idea_ids.iter().enumerate() {
            db::exec(
                c,
                "INSERT INTO session_ideas (session_id, idea_id, position) VALUES (?, ?, ?)",
                params![s.id.0, idea.0, position as i64],
            )?;
        }
    }
    for i in &d.session_invitations {
        db::exec(
            c,
            "INSERT INTO session_invitations (session_id, member_id, group_id, workspace_id, \
             invited_at) VALUES (?, ?, ?, ?, ?)",
            params![
                i.session_id.0,
                i.member_id.0,
                i.group_id.0,
                i.workspace_id.0,
                us(i.invited_at)
            ],
        )?;
    }
    let sql = format!("INSERT INTO ballots ({BALLOT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for b in &d.ballots {
        db::exec(
            c,
            &sql,
            params![
                b.session_id.0,
                b.member_id.0,
                b.workspace_id.0,
                answer_json(&b.answer)?,
                us(b.created_at),
                us(b.updated_at),
                b.version
            ],
        )?;
    }
    for s in &d.prioritization_sessions {
        db::exec(
            c,
            "UPDATE prioritization_sessions SET state = ? WHERE id = ?",
            params![s.state.as_str(), s.id.0],
        )?;
    }
    Ok(())
}
