//! `impl PortalStore for SqliteStore`: portals, the public face of ideas, portal users, codes,
//! sessions, votes, subscriptions, comments and the outbox.
//!
//! Every write runs in a `BEGIN IMMEDIATE` transaction, so writers are serialized by SQLite
//! itself: a vote reads the idea's trend and count, changes them and commits before any other
//! writer starts, and the primary key of `portal_votes` keeps one vote per person and idea.

use crate::discovery::{check_product, insert_evidence, insert_idea, upsert_feedback, Tx};
use crate::rows::{self, get, opt_ts, parse, ts, us};
use crate::store::map_err;
use crate::SqliteStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

const PORTAL_COLS: &str =
    "product_id, workspace_id, enabled, title, intro, created_at, updated_at, version";

const PORTAL_IDEA_SELECT: &str = "SELECT i.id, i.workspace_id, i.product_id, i.number, i.status, \
     i.merged_into, i.portal_state, i.portal_title, i.portal_description, i.vote_count, \
     i.portal_comment_count, i.portal_trend, i.portal_published_at, i.portal_submitted_by, \
     i.created_at, i.portal_version FROM ideas i";

const COMMENT_SELECT: &str = "SELECT c.id, c.workspace_id, c.product_id, c.idea_id, \
     c.portal_user_id, c.member_id, c.body, c.hidden, c.hidden_by, c.created_at, c.updated_at, \
     COALESCE(u.display_name, m.name, '') AS author_name FROM portal_comments c \
     LEFT JOIN portal_users u ON u.id = c.portal_user_id LEFT JOIN members m ON m.id = c.member_id";

const USER_COLS: &str = "id, workspace_id, email, display_name, created_at";

const OUTBOX_COLS: &str = "id, workspace_id, kind, to_email, locale, payload, status, attempts, \
     last_error, created_at, next_attempt_at, sent_at";

// --- rows -------------------------------------------------------------------------------------

fn portal(row: &SqliteRow) -> StoreResult<Portal> {
    Ok(Portal {
        product_id: ProductId(get(row, "product_id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        enabled: get::<i64>(row, "enabled")? != 0,
        title: get(row, "title")?,
        intro: get(row, "intro")?,
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

fn portal_idea(row: &SqliteRow) -> StoreResult<PortalIdea> {
    Ok(PortalIdea {
        idea_id: IdeaId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        number: get(row, "number")?,
        status: parse(&get::<String>(row, "status")?, IdeaStatus::parse, "status")?,
        merged_into: get::<Option<Uuid>>(row, "merged_into")?.map(IdeaId),
        state: parse(
            &get::<String>(row, "portal_state")?,
            PortalState::parse,
            "portal state",
        )?,
        title: get(row, "portal_title")?,
        description: get(row, "portal_description")?,
        vote_count: get(row, "vote_count")?,
        comment_count: get(row, "portal_comment_count")?,
        trend: get(row, "portal_trend")?,
        published_at: opt_ts(get(row, "portal_published_at")?)?,
        submitted_by: get::<Option<Uuid>>(row, "portal_submitted_by")?.map(PortalUserId),
        created_at: ts(get(row, "created_at")?)?,
        portal_version: get(row, "portal_version")?,
    })
}

fn user(row: &SqliteRow) -> StoreResult<PortalUser> {
    Ok(PortalUser {
        id: PortalUserId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        email: get(row, "email")?,
        display_name: get(row, "display_name")?,
        created_at: ts(get(row, "created_at")?)?,
    })
}

fn comment(row: &SqliteRow) -> StoreResult<PortalComment> {
    Ok(PortalComment {
        id: CommentId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        idea_id: IdeaId(get(row, "idea_id")?),
        portal_user_id: get::<Option<Uuid>>(row, "portal_user_id")?.map(PortalUserId),
        member_id: get::<Option<Uuid>>(row, "member_id")?.map(MemberId),
        body: get(row, "body")?,
        hidden: get::<i64>(row, "hidden")? != 0,
        hidden_by: get::<Option<Uuid>>(row, "hidden_by")?.map(MemberId),
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        author_name: get(row, "author_name")?,
    })
}

fn outbox(row: &SqliteRow) -> StoreResult<OutboxMessage> {
    let payload: String = get(row, "payload")?;
    Ok(OutboxMessage {
        id: OutboxId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        kind: parse(&get::<String>(row, "kind")?, OutboxKind::parse, "kind")?,
        to_email: get(row, "to_email")?,
        locale: parse(&get::<String>(row, "locale")?, Locale::parse, "locale")?,
        payload: serde_json::from_str(&payload).map_err(|e| StoreError::Other(e.to_string()))?,
        status: parse(
            &get::<String>(row, "status")?,
            OutboxStatus::parse,
            "status",
        )?,
        attempts: get(row, "attempts")?,
        last_error: get(row, "last_error")?,
        created_at: ts(get(row, "created_at")?)?,
        next_attempt_at: ts(get(row, "next_attempt_at")?)?,
        sent_at: opt_ts(get(row, "sent_at")?)?,
    })
}

// --- helpers inside a transaction ----------------------------------------------------------

async fn portal_idea_in_tx(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    id: IdeaId,
) -> StoreResult<PortalIdea> {
    let row = sqlx::query(&format!(
        "{PORTAL_IDEA_SELECT} WHERE i.id = ? AND i.workspace_id = ?"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    row.as_ref()
        .map(portal_idea)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

/// The idea, if end users may act on it now: published, not merged, on an enabled portal of a
/// product that is not archived. Anything else is `NotFound`, as the public pages say.
async fn public_idea_in_tx(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    id: IdeaId,
) -> StoreResult<PortalIdea> {
    let open: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM ideas i JOIN products p ON p.id = i.product_id \
         JOIN portals o ON o.product_id = i.product_id \
         WHERE i.id = ? AND i.workspace_id = ? AND i.portal_state = 'published' \
         AND i.status <> 'merged' AND o.enabled = 1 AND p.archived = 0",
    )
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    if open.is_none() {
        return Err(StoreError::NotFound);
    }
    portal_idea_in_tx(tx, ws, id).await
}

async fn comment_in_tx(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    id: CommentId,
) -> StoreResult<PortalComment> {
    let row = sqlx::query(&format!(
        "{COMMENT_SELECT} WHERE c.id = ? AND c.workspace_id = ?"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    row.as_ref()
        .map(comment)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

async fn subscribe_in_tx(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    idea: IdeaId,
    user: PortalUserId,
    now: Timestamp,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO portal_subscriptions (idea_id, portal_user_id, workspace_id, created_at) \
         VALUES (?, ?, ?, ?) ON CONFLICT (idea_id, portal_user_id) DO NOTHING",
    )
    .bind(idea.0)
    .bind(user.0)
    .bind(ws.0)
    .bind(us(now))
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(done.rows_affected() > 0)
}

async fn insert_outbox(tx: &mut Tx<'_>, m: &NewOutbox) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO outbox (id, workspace_id, kind, to_email, locale, payload, status, attempts, \
         created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)",
    )
    .bind(m.id.0)
    .bind(m.workspace_id.0)
    .bind(m.kind.as_str())
    .bind(&m.to_email)
    .bind(m.locale.as_str())
    .bind(m.payload.to_string())
    .bind(us(m.now))
    .bind(us(m.now))
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

/// The trend of an idea recomputed from its votes (after a merge, or when the incremental
/// update cannot be trusted).
async fn recomputed_trend(tx: &mut Tx<'_>, idea: IdeaId) -> StoreResult<f64> {
    let times: Vec<(i64,)> =
        sqlx::query_as("SELECT created_at FROM portal_votes WHERE idea_id = ? ORDER BY created_at")
            .bind(idea.0)
            .fetch_all(&mut **tx)
            .await
            .map_err(map_err)?;
    Ok(trend_of(times.into_iter().map(|t| t.0)))
}

/// Moves the votes, subscriptions and comments of a merged idea to the idea that absorbed it,
/// one vote and one subscription per person, and sets both ideas' counters from the rows.
/// Called by `merge_ideas`, inside its transaction.
pub(crate) async fn merge_portal(tx: &mut Tx<'_>, from: &Idea, into: &Idea) -> StoreResult<()> {
    for table in ["portal_votes", "portal_subscriptions"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE idea_id = ? AND portal_user_id IN \
             (SELECT portal_user_id FROM {table} WHERE idea_id = ?)"
        ))
        .bind(from.id.0)
        .bind(into.id.0)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
        sqlx::query(&format!("UPDATE {table} SET idea_id = ? WHERE idea_id = ?"))
            .bind(into.id.0)
            .bind(from.id.0)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    sqlx::query("UPDATE portal_comments SET idea_id = ?, product_id = ? WHERE idea_id = ?")
        .bind(into.id.0)
        .bind(into.product_id.0)
        .bind(from.id.0)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    sqlx::query(
        "UPDATE ideas SET \
         vote_count = (SELECT COUNT(*) FROM portal_votes v WHERE v.idea_id = ideas.id), \
         portal_comment_count = (SELECT COUNT(*) FROM portal_comments c \
            WHERE c.idea_id = ideas.id AND c.hidden = 0) \
         WHERE id IN (?, ?)",
    )
    .bind(from.id.0)
    .bind(into.id.0)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    let trend = recomputed_trend(tx, into.id).await?;
    for (id, t) in [(into.id, trend), (from.id, TREND_NONE)] {
        sqlx::query("UPDATE ideas SET portal_trend = ? WHERE id = ?")
            .bind(t)
            .bind(id.0)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    Ok(())
}

/// Keyset position in a portal list: the sort value and the id of the last row shown.
fn portal_cursor(sort: PortalSort, i: &PortalIdea) -> String {
    match sort {
        PortalSort::Trending => format!("{:?}|{}", i.trend, i.idea_id),
        PortalSort::Top => format!("{}|{}", i.vote_count, i.idea_id),
        PortalSort::Newest => i.idea_id.to_string(),
    }
}

enum After {
    Trend(f64, Uuid),
    Votes(i64, Uuid),
    Id(Uuid),
}

/// `Err(())` for a forged cursor (answered with an empty page).
fn parse_after(sort: PortalSort, page: &PageRequest) -> Result<Option<After>, ()> {
    let Some(c) = &page.after else {
        return Ok(None);
    };
    let id_of = |s: &str| Uuid::parse_str(s).map_err(|_| ());
    match sort {
        PortalSort::Newest => Ok(Some(After::Id(id_of(&c.0)?))),
        PortalSort::Trending | PortalSort::Top => {
            let (v, id) = c.0.split_once('|').ok_or(())?;
            let id = id_of(id)?;
            if sort == PortalSort::Trending {
                let t: f64 = v.parse().map_err(|_| ())?;
                t.is_finite().then_some(Some(After::Trend(t, id))).ok_or(())
            } else {
                Ok(Some(After::Votes(v.parse().map_err(|_| ())?, id)))
            }
        }
    }
}

fn without_code(payload: &serde_json::Value) -> serde_json::Value {
    let mut p = payload.clone();
    if let Some(o) = p.as_object_mut() {
        o.remove("code");
    }
    p
}

/// Constant-time comparison of two hashes, so the time a check takes says nothing about how
/// much of a guess was right.
fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[async_trait]
impl PortalStore for SqliteStore {
    async fn get_portal(&self, ws: WorkspaceId, product: ProductId) -> StoreResult<Portal> {
        self.one(
            &format!("SELECT {PORTAL_COLS} FROM portals WHERE product_id = ? AND workspace_id = ?"),
            |q| q.bind(product.0).bind(ws.0),
            portal,
        )
        .await
    }

    async fn put_portal(&self, p: PortalPut) -> StoreResult<Portal> {
        let mut tx = self.write_tx().await?;
        check_product(&mut tx, p.workspace_id, p.product_id).await?;
        let current: Option<(i64,)> =
            sqlx::query_as("SELECT version FROM portals WHERE product_id = ?")
                .bind(p.product_id.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
        match current {
            None if p.expected_version == 0 => {
                sqlx::query(&format!(
                    "INSERT INTO portals ({PORTAL_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, 1)"
                ))
                .bind(p.product_id.0)
                .bind(p.workspace_id.0)
                .bind(i64::from(p.enabled))
                .bind(&p.title)
                .bind(&p.intro)
                .bind(us(p.now))
                .bind(us(p.now))
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            }
            Some((v,)) if v == p.expected_version => {
                sqlx::query(
                    "UPDATE portals SET enabled = ?, title = ?, intro = ?, updated_at = ?, \
                     version = version + 1 WHERE product_id = ?",
                )
                .bind(i64::from(p.enabled))
                .bind(&p.title)
                .bind(&p.intro)
                .bind(us(p.now))
                .bind(p.product_id.0)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            }
            _ => return Err(StoreError::VersionConflict),
        }
        let row = sqlx::query(&format!(
            "SELECT {PORTAL_COLS} FROM portals WHERE product_id = ?"
        ))
        .bind(p.product_id.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        portal(&row)
    }

    async fn find_public_portal(&self, slug: &str, key: &str) -> StoreResult<PublicPortal> {
        let workspace = self
            .one(
                "SELECT id, slug, name, default_locale, created_at, updated_at, version \
                 FROM workspaces WHERE slug = ?",
                |q| q.bind(slug),
                rows::workspace,
            )
            .await?;
        let product = self
            .one(
                "SELECT id, workspace_id, product_line_id, name, key, description, pm_model, \
                 archived, created_at, updated_at, version FROM products \
                 WHERE workspace_id = ? AND key = ? AND archived = 0",
                |q| q.bind(workspace.id.0).bind(key),
                rows::product,
            )
            .await?;
        let portal = self.get_portal(workspace.id, product.id).await?;
        if !portal.enabled {
            return Err(StoreError::NotFound);
        }
        Ok(PublicPortal {
            workspace,
            product,
            portal,
        })
    }

    async fn get_portal_idea(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<PortalIdea> {
        self.one(
            &format!("{PORTAL_IDEA_SELECT} WHERE i.id = ? AND i.workspace_id = ?"),
            |q| q.bind(idea.0).bind(ws.0),
            portal_idea,
        )
        .await
    }

    async fn get_portal_idea_by_number(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        number: i64,
    ) -> StoreResult<PortalIdea> {
        self.one(
            &format!(
                "{PORTAL_IDEA_SELECT} WHERE i.product_id = ? AND i.number = ? AND i.workspace_id = ?"
            ),
            |q| q.bind(product.0).bind(number).bind(ws.0),
            portal_idea,
        )
        .await
    }

    async fn list_portal_ideas(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        filter: &PortalIdeaFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<PortalIdea>> {
        let Ok(after) = parse_after(filter.sort, page) else {
            return Ok(Page::from_rows(Vec::new(), page, |_: &PortalIdea| {
                String::new()
            }));
        };
        let mut q = QueryBuilder::<Sqlite>::new(PORTAL_IDEA_SELECT);
        q.push(" WHERE i.workspace_id = ")
            .push_bind(ws.0)
            .push(" AND i.product_id = ")
            .push_bind(product.0)
            .push(" AND i.status <> 'merged' AND i.portal_state IN (");
        let states = if filter.states.is_empty() {
            vec![PortalState::Published]
        } else {
            filter.states.clone()
        };
        let mut sep = q.separated(", ");
        for s in &states {
            sep.push_bind(s.as_str());
        }
        q.push(")");
        if let Some(s) = filter.status {
            q.push(" AND i.status = ").push_bind(s.as_str());
        }
        match after {
            Some(After::Trend(t, id)) => {
                q.push(" AND (i.portal_trend, i.id) < (")
                    .push_bind(t)
                    .push(", ")
                    .push_bind(id)
                    .push(")");
            }
            Some(After::Votes(v, id)) => {
                q.push(" AND (i.vote_count, i.id) < (")
                    .push_bind(v)
                    .push(", ")
                    .push_bind(id)
                    .push(")");
            }
            Some(After::Id(id)) => {
                q.push(" AND i.id < ").push_bind(id);
            }
            None => {}
        }
        q.push(match filter.sort {
            PortalSort::Trending => " ORDER BY i.portal_trend DESC, i.id DESC",
            PortalSort::Top => " ORDER BY i.vote_count DESC, i.id DESC",
            PortalSort::Newest => " ORDER BY i.id DESC",
        });
        q.push(" LIMIT ").push_bind(page.fetch_limit());
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        let items = rows
            .iter()
            .map(portal_idea)
            .collect::<StoreResult<Vec<_>>>()?;
        let sort = filter.sort;
        Ok(Page::from_rows(items, page, |i| portal_cursor(sort, i)))
    }

    async fn update_portal_idea(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        expected_version: i64,
        p: PortalIdeaPatch,
    ) -> StoreResult<PortalIdea> {
        let mut tx = self.write_tx().await?;
        let current = portal_idea_in_tx(&mut tx, ws, idea).await?;
        if current.portal_version != expected_version || current.status == IdeaStatus::Merged {
            return Err(StoreError::VersionConflict);
        }
        let (idea_title,): (String,) = sqlx::query_as("SELECT title FROM ideas WHERE id = ?")
            .bind(idea.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let at = p.now.unwrap_or_else(now);
        let state = p.state.unwrap_or(current.state);
        let publishing = state == PortalState::Published;
        let mut title = p.title.unwrap_or(current.title);
        if publishing && title.trim().is_empty() {
            title = idea_title;
        }
        let published_at = match current.published_at {
            None if publishing => Some(at),
            other => other,
        };
        sqlx::query(
            "UPDATE ideas SET portal_state = ?, portal_title = ?, portal_description = ?, \
             portal_published_at = ?, portal_version = portal_version + 1 WHERE id = ?",
        )
        .bind(state.as_str())
        .bind(&title)
        .bind(p.description.unwrap_or(current.description))
        .bind(published_at.map(us))
        .bind(idea.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let after = portal_idea_in_tx(&mut tx, ws, idea).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(after)
    }

    async fn submit_portal_idea(&self, s: PortalSubmission) -> StoreResult<PortalIdea> {
        let ws = s.idea.workspace_id;
        let mut tx = self.write_tx().await?;
        let open: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM portals o JOIN products p ON p.id = o.product_id \
             WHERE o.product_id = ? AND o.workspace_id = ? AND o.enabled = 1 AND p.archived = 0",
        )
        .bind(s.idea.product_id.0)
        .bind(ws.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        if open.is_none() {
            return Err(StoreError::NotFound);
        }
        let (feedback, _) = upsert_feedback(&mut tx, &s.feedback).await?;
        let mut idea = s.idea.clone();
        idea.evidence = Some(FirstEvidence {
            id: s.evidence_id,
            feedback_id: feedback.id,
            excerpt: None,
            importance: Importance::Important,
        });
        insert_idea(&mut tx, &idea).await?;
        sqlx::query(
            "UPDATE ideas SET portal_state = 'pending', portal_title = ?, portal_description = ?, \
             portal_submitted_by = ? WHERE id = ?",
        )
        .bind(&idea.text.title)
        .bind(&idea.text.description)
        .bind(s.submitted_by.0)
        .bind(idea.id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        subscribe_in_tx(&mut tx, ws, idea.id, s.submitted_by, idea.now).await?;
        let out = portal_idea_in_tx(&mut tx, ws, idea.id).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(out)
    }

    async fn create_sign_in_code(&self, c: NewSignInCode) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE portal_codes SET tries = ? WHERE workspace_id = ? AND email = ? \
             AND used_at IS NULL AND expires_at > ? AND tries < ?",
        )
        .bind(SIGN_IN_CODE_TRIES)
        .bind(c.workspace_id.0)
        .bind(&c.email)
        .bind(us(c.now))
        .bind(SIGN_IN_CODE_TRIES)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO portal_codes (id, workspace_id, email, code_hash, display_name, tries, \
             created_at, expires_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
        )
        .bind(c.id)
        .bind(c.workspace_id.0)
        .bind(&c.email)
        .bind(&c.code_hash)
        .bind(&c.display_name)
        .bind(us(c.now))
        .bind(us(c.expires_at))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        insert_outbox(&mut tx, &c.mail).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn verify_sign_in_code(
        &self,
        ws: WorkspaceId,
        email: &str,
        code_hash: &str,
        now: Timestamp,
    ) -> StoreResult<CodeCheck> {
        let mut tx = self.write_tx().await?;
        let live: Option<(Uuid, String, i64, String)> = sqlx::query_as(
            "SELECT id, code_hash, tries, display_name FROM portal_codes \
             WHERE workspace_id = ? AND email = ? AND used_at IS NULL AND expires_at > ? \
             AND tries < ? ORDER BY id DESC LIMIT 1",
        )
        .bind(ws.0)
        .bind(email)
        .bind(us(now))
        .bind(SIGN_IN_CODE_TRIES)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let Some((id, hash, tries, display_name)) = live else {
            return Ok(CodeCheck::NoLiveCode);
        };
        if !same_hash(&hash, code_hash) {
            sqlx::query("UPDATE portal_codes SET tries = tries + 1 WHERE id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            tx.commit().await.map_err(map_err)?;
            return Ok(CodeCheck::Wrong {
                tries_left: (SIGN_IN_CODE_TRIES - tries - 1).max(0),
            });
        }
        sqlx::query("UPDATE portal_codes SET used_at = ? WHERE id = ?")
            .bind(us(now))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO portal_users (id, workspace_id, email, display_name, created_at) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace_id, email) DO NOTHING",
        )
        .bind(PortalUserId::new().0)
        .bind(ws.0)
        .bind(email)
        .bind(&display_name)
        .bind(us(now))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if !display_name.is_empty() {
            // The name typed at this sign-in is the one shown from now on.
            sqlx::query(
                "UPDATE portal_users SET display_name = ? WHERE workspace_id = ? AND email = ?",
            )
            .bind(&display_name)
            .bind(ws.0)
            .bind(email)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        let row = sqlx::query(&format!(
            "SELECT {USER_COLS} FROM portal_users WHERE workspace_id = ? AND email = ?"
        ))
        .bind(ws.0)
        .bind(email)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let u = user(&row)?;
        tx.commit().await.map_err(map_err)?;
        Ok(CodeCheck::Verified(u))
    }

    async fn get_portal_user(&self, ws: WorkspaceId, id: PortalUserId) -> StoreResult<PortalUser> {
        self.one(
            &format!("SELECT {USER_COLS} FROM portal_users WHERE id = ? AND workspace_id = ?"),
            |q| q.bind(id.0).bind(ws.0),
            user,
        )
        .await
    }

    async fn create_portal_session(&self, s: NewPortalSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO portal_sessions (id_hash, portal_user_id, created_at, last_seen_at, \
             expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&s.id_hash)
        .bind(s.portal_user_id.0)
        .bind(us(s.now))
        .bind(us(s.now))
        .bind(us(s.expires_at))
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn get_portal_session(
        &self,
        id_hash: &str,
    ) -> StoreResult<Option<(PortalSession, PortalUser)>> {
        let row = sqlx::query(
            "SELECT s.portal_user_id AS s_user, s.created_at AS s_created_at, \
             s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, u.id, \
             u.workspace_id, u.email, u.display_name, u.created_at \
             FROM portal_sessions s JOIN portal_users u ON u.id = s.portal_user_id \
             WHERE s.id_hash = ?",
        )
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some((
            PortalSession {
                portal_user_id: PortalUserId(get(&r, "s_user")?),
                created_at: ts(get(&r, "s_created_at")?)?,
                last_seen_at: ts(get(&r, "s_last_seen_at")?)?,
                expires_at: ts(get(&r, "s_expires_at")?)?,
            },
            user(&r)?,
        )))
    }

    async fn touch_portal_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE portal_sessions SET last_seen_at = ? WHERE id_hash = ?")
            .bind(us(now))
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_portal_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM portal_sessions WHERE id_hash = ?")
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn purge_portal(&self, now: Timestamp, idle_before: Timestamp) -> StoreResult<u64> {
        let mut tx = self.write_tx().await?;
        let sessions =
            sqlx::query("DELETE FROM portal_sessions WHERE expires_at <= ? OR last_seen_at <= ?")
                .bind(us(now))
                .bind(us(idle_before))
                .execute(&mut *tx)
                .await
                .map_err(map_err)?
                .rows_affected();
        let codes = sqlx::query(
            "DELETE FROM portal_codes WHERE expires_at <= ? OR used_at IS NOT NULL OR tries >= ?",
        )
        .bind(us(now))
        .bind(SIGN_IN_CODE_TRIES)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected();
        let expired = now - chrono::Duration::minutes(SIGN_IN_CODE_MINUTES);
        let mails: Vec<(Uuid, String)> = sqlx::query_as(
            "SELECT id, payload FROM outbox WHERE kind = 'sign_in_code' AND created_at <= ? \
             AND payload LIKE '%\"code\"%'",
        )
        .bind(us(expired))
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        for (id, payload) in mails {
            let p: serde_json::Value =
                serde_json::from_str(&payload).map_err(|e| StoreError::Other(e.to_string()))?;
            sqlx::query("UPDATE outbox SET payload = ? WHERE id = ?")
                .bind(without_code(&p).to_string())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(sessions + codes)
    }

    async fn vote(&self, v: NewVote) -> StoreResult<VoteOutcome> {
        let ws = v.workspace_id;
        let mut tx = self.write_tx().await?;
        let before = public_idea_in_tx(&mut tx, ws, v.idea_id).await?;
        let inserted = sqlx::query(
            "INSERT INTO portal_votes (idea_id, portal_user_id, workspace_id, created_at) \
             VALUES (?, ?, ?, ?) ON CONFLICT (idea_id, portal_user_id) DO NOTHING",
        )
        .bind(v.idea_id.0)
        .bind(v.portal_user_id.0)
        .bind(ws.0)
        .bind(us(v.now))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected()
            > 0;
        if !inserted {
            return Ok(VoteOutcome {
                changed: false,
                idea: before,
            });
        }
        sqlx::query("UPDATE ideas SET vote_count = vote_count + 1, portal_trend = ? WHERE id = ?")
            .bind(trend_with_vote(before.trend, us(v.now)))
            .bind(v.idea_id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        subscribe_in_tx(&mut tx, ws, v.idea_id, v.portal_user_id, v.now).await?;
        let (fb, _) = upsert_feedback(&mut tx, &v.feedback).await?;
        let linked: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM evidence WHERE idea_id = ? AND feedback_id = ?")
                .bind(v.idea_id.0)
                .bind(fb.id.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
        if linked.is_none() {
            insert_evidence(
                &mut tx,
                &NewEvidence {
                    id: v.evidence_id,
                    workspace_id: ws,
                    idea_id: v.idea_id,
                    feedback_id: fb.id,
                    excerpt: None,
                    importance: Importance::NiceToHave,
                    created_by: None,
                    now: v.now,
                },
            )
            .await?;
        }
        let idea = portal_idea_in_tx(&mut tx, ws, v.idea_id).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(VoteOutcome {
            changed: true,
            idea,
        })
    }

    async fn unvote(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        user: PortalUserId,
        _now: Timestamp,
    ) -> StoreResult<VoteOutcome> {
        let mut tx = self.write_tx().await?;
        let before = portal_idea_in_tx(&mut tx, ws, idea).await?;
        if before.status == IdeaStatus::Merged {
            return Err(StoreError::NotFound);
        }
        let removed: Option<(i64,)> = sqlx::query_as(
            "DELETE FROM portal_votes WHERE idea_id = ? AND portal_user_id = ? RETURNING created_at",
        )
        .bind(idea.0)
        .bind(user.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let Some((cast_at,)) = removed else {
            return Ok(VoteOutcome {
                changed: false,
                idea: before,
            });
        };
        let remaining = before.vote_count - 1;
        let trend = match trend_without_vote(before.trend, cast_at, remaining) {
            Some(t) => t,
            None => recomputed_trend(&mut tx, idea).await?,
        };
        sqlx::query("UPDATE ideas SET vote_count = vote_count - 1, portal_trend = ? WHERE id = ?")
            .bind(trend)
            .bind(idea.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let after = portal_idea_in_tx(&mut tx, ws, idea).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(VoteOutcome {
            changed: true,
            idea: after,
        })
    }

    async fn voted_ideas(&self, user: PortalUserId, ideas: &[IdeaId]) -> StoreResult<Vec<IdeaId>> {
        if ideas.is_empty() {
            return Ok(Vec::new());
        }
        let mut q =
            QueryBuilder::<Sqlite>::new("SELECT idea_id FROM portal_votes WHERE portal_user_id = ");
        q.push_bind(user.0).push(" AND idea_id IN (");
        let mut sep = q.separated(", ");
        for i in ideas {
            sep.push_bind(i.0);
        }
        q.push(")");
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter()
            .map(|r| get::<Uuid>(r, "idea_id").map(IdeaId))
            .collect()
    }

    async fn subscribe(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        user: PortalUserId,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let mut tx = self.write_tx().await?;
        public_idea_in_tx(&mut tx, ws, idea).await?;
        let made = subscribe_in_tx(&mut tx, ws, idea, user, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(made)
    }

    async fn unsubscribe(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        user: PortalUserId,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "DELETE FROM portal_subscriptions WHERE idea_id = ? AND portal_user_id = ? \
             AND workspace_id = ?",
        )
        .bind(idea.0)
        .bind(user.0)
        .bind(ws.0)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn is_subscribed(&self, idea: IdeaId, user: PortalUserId) -> StoreResult<bool> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM portal_subscriptions WHERE idea_id = ? AND portal_user_id = ?",
        )
        .bind(idea.0)
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(row.is_some())
    }

    async fn list_subscribers(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<PortalUser>> {
        let rows = sqlx::query(
            "SELECT u.id, u.workspace_id, u.email, u.display_name, u.created_at \
             FROM portal_subscriptions s JOIN portal_users u ON u.id = s.portal_user_id \
             WHERE s.idea_id = ? AND s.workspace_id = ? ORDER BY u.id",
        )
        .bind(idea.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(user).collect()
    }

    async fn add_portal_comment(&self, c: NewPortalComment) -> StoreResult<PortalComment> {
        let ws = c.workspace_id;
        let mut tx = self.write_tx().await?;
        let idea = match c.author {
            CommentAuthor::User(_) => public_idea_in_tx(&mut tx, ws, c.idea_id).await?,
            CommentAuthor::Member(m) => {
                sqlx::query("SELECT 1 FROM members WHERE id = ? AND workspace_id = ?")
                    .bind(m.0)
                    .bind(ws.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .ok_or(StoreError::NotFound)?;
                let i = portal_idea_in_tx(&mut tx, ws, c.idea_id).await?;
                if i.status == IdeaStatus::Merged {
                    return Err(StoreError::VersionConflict);
                }
                i
            }
        };
        let (user, member) = match c.author {
            CommentAuthor::User(u) => (Some(u.0), None),
            CommentAuthor::Member(m) => (None, Some(m.0)),
        };
        sqlx::query(
            "INSERT INTO portal_comments (id, workspace_id, product_id, idea_id, portal_user_id, \
             member_id, body, hidden, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        )
        .bind(c.id.0)
        .bind(ws.0)
        .bind(idea.product_id.0)
        .bind(c.idea_id.0)
        .bind(user)
        .bind(member)
        .bind(&c.body)
        .bind(us(c.now))
        .bind(us(c.now))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query(
            "UPDATE ideas SET portal_comment_count = portal_comment_count + 1 WHERE id = ?",
        )
        .bind(c.idea_id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let out = comment_in_tx(&mut tx, ws, c.id).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(out)
    }

    async fn list_portal_comments(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        include_hidden: bool,
        page: &PageRequest,
    ) -> StoreResult<Page<PortalComment>> {
        let Ok(after) = id_cursor(page) else {
            return Ok(Page::from_rows(Vec::new(), page, |_: &PortalComment| {
                String::new()
            }));
        };
        let mut q = QueryBuilder::<Sqlite>::new(COMMENT_SELECT);
        q.push(" WHERE c.idea_id = ")
            .push_bind(idea.0)
            .push(" AND c.workspace_id = ")
            .push_bind(ws.0);
        if !include_hidden {
            q.push(" AND c.hidden = 0");
        }
        if let Some(a) = after {
            q.push(" AND c.id > ").push_bind(a);
        }
        q.push(" ORDER BY c.id LIMIT ")
            .push_bind(page.fetch_limit());
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        let items = rows.iter().map(comment).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |c| c.id.to_string()))
    }

    async fn list_product_comments(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        page: &PageRequest,
    ) -> StoreResult<Page<PortalComment>> {
        let Ok(after) = id_cursor(page) else {
            return Ok(Page::from_rows(Vec::new(), page, |_: &PortalComment| {
                String::new()
            }));
        };
        let mut q = QueryBuilder::<Sqlite>::new(COMMENT_SELECT);
        q.push(" WHERE c.product_id = ")
            .push_bind(product.0)
            .push(" AND c.workspace_id = ")
            .push_bind(ws.0);
        if let Some(a) = after {
            q.push(" AND c.id < ").push_bind(a);
        }
        q.push(" ORDER BY c.id DESC LIMIT ")
            .push_bind(page.fetch_limit());
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        let items = rows.iter().map(comment).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |c| c.id.to_string()))
    }

    async fn get_portal_comment(
        &self,
        ws: WorkspaceId,
        id: CommentId,
    ) -> StoreResult<PortalComment> {
        self.one(
            &format!("{COMMENT_SELECT} WHERE c.id = ? AND c.workspace_id = ?"),
            |q| q.bind(id.0).bind(ws.0),
            comment,
        )
        .await
    }

    async fn set_comment_hidden(
        &self,
        ws: WorkspaceId,
        id: CommentId,
        hidden: bool,
        by: MemberId,
        now: Timestamp,
    ) -> StoreResult<PortalComment> {
        let mut tx = self.write_tx().await?;
        let current = comment_in_tx(&mut tx, ws, id).await?;
        if current.hidden != hidden {
            sqlx::query(
                "UPDATE portal_comments SET hidden = ?, hidden_by = ?, updated_at = ? WHERE id = ?",
            )
            .bind(i64::from(hidden))
            .bind(hidden.then_some(by.0))
            .bind(us(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            sqlx::query(
                "UPDATE ideas SET portal_comment_count = portal_comment_count + ? WHERE id = ?",
            )
            .bind(if hidden { -1i64 } else { 1 })
            .bind(current.idea_id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        let out = comment_in_tx(&mut tx, ws, id).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(out)
    }

    async fn queue_outbox(&self, messages: Vec<NewOutbox>) -> StoreResult<()> {
        if messages.is_empty() {
            return Ok(());
        }
        let mut tx = self.write_tx().await?;
        for m in &messages {
            insert_outbox(&mut tx, m).await?;
        }
        tx.commit().await.map_err(map_err)
    }

    async fn list_outbox(
        &self,
        ws: WorkspaceId,
        page: &PageRequest,
    ) -> StoreResult<Page<OutboxMessage>> {
        let Ok(after) = id_cursor(page) else {
            return Ok(Page::from_rows(Vec::new(), page, |_: &OutboxMessage| {
                String::new()
            }));
        };
        let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {OUTBOX_COLS} FROM outbox"));
        q.push(" WHERE workspace_id = ").push_bind(ws.0);
        if let Some(a) = after {
            q.push(" AND id < ").push_bind(a);
        }
        q.push(" ORDER BY id DESC LIMIT ")
            .push_bind(page.fetch_limit());
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        let items = rows.iter().map(outbox).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |m| m.id.to_string()))
    }

    async fn claim_outbox(
        &self,
        now: Timestamp,
        stale_before: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<OutboxMessage>> {
        let mut tx = self.write_tx().await?;
        let rows = sqlx::query(&format!(
            "UPDATE outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE (status = 'queued' AND next_attempt_at <= ?) \
               OR (status = 'sending' AND claimed_at < ?) ORDER BY next_attempt_at, id LIMIT ?) \
             RETURNING {OUTBOX_COLS}"
        ))
        .bind(us(now))
        .bind(us(now))
        .bind(us(stale_before))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        let mut out = rows.iter().map(outbox).collect::<StoreResult<Vec<_>>>()?;
        out.sort_by_key(|m| (m.next_attempt_at, m.id));
        Ok(out)
    }

    async fn outbox_sent(&self, id: OutboxId, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT kind, payload FROM outbox WHERE id = ?")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
        let (kind, payload) = row.ok_or(StoreError::NotFound)?;
        let payload: serde_json::Value =
            serde_json::from_str(&payload).map_err(|e| StoreError::Other(e.to_string()))?;
        let payload = if kind == OutboxKind::SignInCode.as_str() {
            without_code(&payload)
        } else {
            payload
        };
        sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL, payload = ? \
             WHERE id = ?",
        )
        .bind(us(now))
        .bind(payload.to_string())
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn outbox_failed(
        &self,
        id: OutboxId,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<()> {
        let error: String = error.chars().take(500).collect();
        let (status, next) = match retry_at {
            Some(t) => (OutboxStatus::Queued, t),
            None => (OutboxStatus::Failed, now),
        };
        sqlx::query(
            "UPDATE outbox SET status = ?, last_error = ?, next_attempt_at = ?, claimed_at = NULL \
             WHERE id = ?",
        )
        .bind(status.as_str())
        .bind(error)
        .bind(us(next))
        .bind(id.0)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }
}

// --- moving data ------------------------------------------------------------------------------

/// Reads the portal tables into the dump, inside the dump's read transaction.
pub(crate) async fn dump(tx: &mut Tx<'_>, d: &mut PortalDump) -> StoreResult<()> {
    for r in sqlx::query(&format!(
        "SELECT {PORTAL_COLS} FROM portals ORDER BY product_id"
    ))
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.portals.push(portal(&r)?);
    }
    for r in sqlx::query(&format!(
        "{PORTAL_IDEA_SELECT} WHERE i.portal_state <> 'private' OR i.portal_title <> '' \
         OR i.portal_description <> '' OR i.portal_published_at IS NOT NULL \
         OR i.portal_submitted_by IS NOT NULL OR i.portal_comment_count <> 0 \
         OR i.portal_trend <> ? OR i.portal_version <> 1 ORDER BY i.id"
    ))
    .bind(TREND_NONE)
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.portal_ideas.push(portal_idea(&r)?);
    }
    for r in sqlx::query(&format!("SELECT {USER_COLS} FROM portal_users ORDER BY id"))
        .fetch_all(&mut **tx)
        .await
        .map_err(map_err)?
    {
        d.portal_users.push(user(&r)?);
    }
    for (idea, u, ws, at) in sqlx::query_as::<_, (Uuid, Uuid, Uuid, i64)>(
        "SELECT idea_id, portal_user_id, workspace_id, created_at FROM portal_votes \
         ORDER BY idea_id, portal_user_id",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.portal_votes.push(PortalVote {
            idea_id: IdeaId(idea),
            portal_user_id: PortalUserId(u),
            workspace_id: WorkspaceId(ws),
            created_at: ts(at)?,
        });
    }
    for (idea, u, ws, at) in sqlx::query_as::<_, (Uuid, Uuid, Uuid, i64)>(
        "SELECT idea_id, portal_user_id, workspace_id, created_at FROM portal_subscriptions \
         ORDER BY idea_id, portal_user_id",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.portal_subscriptions.push(PortalSubscription {
            idea_id: IdeaId(idea),
            portal_user_id: PortalUserId(u),
            workspace_id: WorkspaceId(ws),
            created_at: ts(at)?,
        });
    }
    for r in sqlx::query(&format!("{COMMENT_SELECT} ORDER BY c.id"))
        .fetch_all(&mut **tx)
        .await
        .map_err(map_err)?
    {
        d.portal_comments.push(comment(&r)?);
    }
    for r in sqlx::query(&format!("SELECT {OUTBOX_COLS} FROM outbox ORDER BY id"))
        .fetch_all(&mut **tx)
        .await
        .map_err(map_err)?
    {
        d.outbox.push(outbox(&r)?);
    }
    Ok(())
}

/// Writes the portal tables of a dump, after the discovery tables (ideas must exist).
pub(crate) async fn load(tx: &mut Tx<'_>, d: &PortalDump) -> StoreResult<()> {
    for p in &d.portals {
        sqlx::query(&format!(
            "INSERT INTO portals ({PORTAL_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(p.product_id.0)
        .bind(p.workspace_id.0)
        .bind(i64::from(p.enabled))
        .bind(&p.title)
        .bind(&p.intro)
        .bind(us(p.created_at))
        .bind(us(p.updated_at))
        .bind(p.version)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    for u in &d.portal_users {
        sqlx::query(&format!(
            "INSERT INTO portal_users ({USER_COLS}) VALUES (?, ?, ?, ?, ?)"
        ))
        .bind(u.id.0)
        .bind(u.workspace_id.0)
        .bind(&u.email)
        .bind(&u.display_name)
        .bind(us(u.created_at))
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    for i in &d.portal_ideas {
        // The vote count is the idea's own, loaded with the ideas.
        sqlx::query(
            "UPDATE ideas SET portal_state = ?, portal_title = ?, portal_description = ?, \
             portal_comment_count = ?, portal_trend = ?, portal_published_at = ?, \
             portal_submitted_by = ?, portal_version = ? WHERE id = ?",
        )
        .bind(i.state.as_str())
        .bind(&i.title)
        .bind(&i.description)
        .bind(i.comment_count)
        .bind(i.trend)
        .bind(i.published_at.map(us))
        .bind(i.submitted_by.map(|u| u.0))
        .bind(i.portal_version)
        .bind(i.idea_id.0)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    for (table, rows) in [
        (
            "portal_votes",
            &d.portal_votes
                .iter()
                .map(|v| (v.idea_id, v.portal_user_id, v.workspace_id, v.created_at))
                .collect::<Vec<_>>(),
        ),
        (
            "portal_subscriptions",
            &d.portal_subscriptions
                .iter()
                .map(|v| (v.idea_id, v.portal_user_id, v.workspace_id, v.created_at))
                .collect::<Vec<_>>(),
        ),
    ] {
        for (idea, u, ws, at) in rows {
            sqlx::query(&format!(
                "INSERT INTO {table} (idea_id, portal_user_id, workspace_id, created_at) \
                 VALUES (?, ?, ?, ?)"
            ))
            .bind(idea.0)
            .bind(u.0)
            .bind(ws.0)
            .bind(us(*at))
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
        }
    }
    for c in &d.portal_comments {
        sqlx::query(
            "INSERT INTO portal_comments (id, workspace_id, product_id, idea_id, portal_user_id, \
             member_id, body, hidden, hidden_by, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(c.id.0)
        .bind(c.workspace_id.0)
        .bind(c.product_id.0)
        .bind(c.idea_id.0)
        .bind(c.portal_user_id.map(|u| u.0))
        .bind(c.member_id.map(|m| m.0))
        .bind(&c.body)
        .bind(i64::from(c.hidden))
        .bind(c.hidden_by.map(|m| m.0))
        .bind(us(c.created_at))
        .bind(us(c.updated_at))
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    for m in &d.outbox {
        sqlx::query(&format!(
            "INSERT INTO outbox ({OUTBOX_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(m.id.0)
        .bind(m.workspace_id.0)
        .bind(m.kind.as_str())
        .bind(&m.to_email)
        .bind(m.locale.as_str())
        .bind(m.payload.to_string())
        .bind(m.status.as_str())
        .bind(m.attempts)
        .bind(&m.last_error)
        .bind(us(m.created_at))
        .bind(us(m.next_attempt_at))
        .bind(m.sent_at.map(us))
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}
