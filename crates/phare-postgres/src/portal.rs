//! `impl PortalStore for PgStore`. It follows `phare-sqlite/src/portal.rs` statement for
//! statement; what differs is what several writers on one server need:
//!
//! - every write is a unit of work run by [`retrying`];
//! - a vote, an unvote, a comment and a merge lock the idea's row first (`FOR NO KEY UPDATE`),
//!   so the count and the trend they read and write are never stale, and the primary key of
//!   `portal_votes` with `ON CONFLICT DO NOTHING` keeps one vote per person and idea;
//! - a code check locks the code's row, so its tries are counted exactly;
//! - senders claim outbox rows with `FOR UPDATE SKIP LOCKED`: two instances never get the same
//!   message and never wait on each other.

use crate::discovery::{check_product, insert_evidence, insert_idea, upsert_feedback, Res};
use crate::rows::{self, get, parse, us};
use crate::store::{map_err, retrying, Fail};
use crate::PgStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder};
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

fn portal(row: &PgRow) -> StoreResult<Portal> {
    Ok(Portal {
        product_id: ProductId(get(row, "product_id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        enabled: get(row, "enabled")?,
        title: get(row, "title")?,
        intro: get(row, "intro")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

fn portal_idea(row: &PgRow) -> StoreResult<PortalIdea> {
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
        published_at: get(row, "portal_published_at")?,
        submitted_by: get::<Option<Uuid>>(row, "portal_submitted_by")?.map(PortalUserId),
        created_at: get(row, "created_at")?,
        portal_version: get(row, "portal_version")?,
    })
}

fn user(row: &PgRow) -> StoreResult<PortalUser> {
    Ok(PortalUser {
        id: PortalUserId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        email: get(row, "email")?,
        display_name: get(row, "display_name")?,
        created_at: get(row, "created_at")?,
    })
}

fn comment(row: &PgRow) -> StoreResult<PortalComment> {
    Ok(PortalComment {
        id: CommentId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        idea_id: IdeaId(get(row, "idea_id")?),
        portal_user_id: get::<Option<Uuid>>(row, "portal_user_id")?.map(PortalUserId),
        member_id: get::<Option<Uuid>>(row, "member_id")?.map(MemberId),
        body: get(row, "body")?,
        hidden: get(row, "hidden")?,
        hidden_by: get::<Option<Uuid>>(row, "hidden_by")?.map(MemberId),
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        author_name: get(row, "author_name")?,
    })
}

fn outbox(row: &PgRow) -> StoreResult<OutboxMessage> {
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
        created_at: get(row, "created_at")?,
        next_attempt_at: get(row, "next_attempt_at")?,
        sent_at: get(row, "sent_at")?,
    })
}

// --- helpers inside a transaction ----------------------------------------------------------

/// The idea's public face; `lock` is `""` or `"FOR NO KEY UPDATE OF i"`.
async fn portal_idea_in_tx(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    id: IdeaId,
    lock: &str,
) -> Res<PortalIdea> {
    let row = sqlx::query(&format!(
        "{PORTAL_IDEA_SELECT} WHERE i.id = $1 AND i.workspace_id = $2 {lock}"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(conn)
    .await?;
    Ok(row
        .as_ref()
        .map(portal_idea)
        .transpose()?
        .ok_or(StoreError::NotFound)?)
}

/// Locks the idea, then returns it if end users may act on it now: published, not merged, on
/// an enabled portal of a product that is not archived. Anything else is `NotFound`.
async fn public_idea_locked(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    id: IdeaId,
) -> Res<PortalIdea> {
    let idea = portal_idea_in_tx(conn, ws, id, "FOR NO KEY UPDATE OF i").await?;
    let open: Option<(i32,)> = sqlx::query_as(
        "SELECT 1 FROM portals o JOIN products p ON p.id = o.product_id \
         WHERE o.product_id = $1 AND o.enabled AND NOT p.archived",
    )
    .bind(idea.product_id.0)
    .fetch_optional(&mut *conn)
    .await?;
    if open.is_none() || idea.state != PortalState::Published || idea.status == IdeaStatus::Merged {
        return Err(StoreError::NotFound.into());
    }
    Ok(idea)
}

async fn comment_in_tx(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    id: CommentId,
) -> Res<PortalComment> {
    let row = sqlx::query(&format!(
        "{COMMENT_SELECT} WHERE c.id = $1 AND c.workspace_id = $2"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(conn)
    .await?;
    Ok(row
        .as_ref()
        .map(comment)
        .transpose()?
        .ok_or(StoreError::NotFound)?)
}

async fn subscribe_in_tx(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    idea: IdeaId,
    user: PortalUserId,
    now: Timestamp,
) -> Res<bool> {
    let done = sqlx::query(
        "INSERT INTO portal_subscriptions (idea_id, portal_user_id, workspace_id, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (idea_id, portal_user_id) DO NOTHING",
    )
    .bind(idea.0)
    .bind(user.0)
    .bind(ws.0)
    .bind(us(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

async fn insert_outbox(conn: &mut PgConnection, m: &NewOutbox) -> Res<()> {
    sqlx::query(
        "INSERT INTO outbox (id, workspace_id, kind, to_email, locale, payload, status, attempts, \
         created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, $7)",
    )
    .bind(m.id.0)
    .bind(m.workspace_id.0)
    .bind(m.kind.as_str())
    .bind(&m.to_email)
    .bind(m.locale.as_str())
    .bind(m.payload.to_string())
    .bind(us(m.now))
    .execute(conn)
    .await?;
    Ok(())
}

/// The trend of an idea recomputed from its votes (after a merge, or when the incremental
/// update cannot be trusted).
async fn recomputed_trend(conn: &mut PgConnection, idea: IdeaId) -> Res<f64> {
    let times: Vec<(Timestamp,)> = sqlx::query_as(
        "SELECT created_at FROM portal_votes WHERE idea_id = $1 ORDER BY created_at",
    )
    .bind(idea.0)
    .fetch_all(conn)
    .await?;
    Ok(trend_of(times.into_iter().map(|t| t.0.timestamp_micros())))
}

/// Moves the votes, subscriptions and comments of a merged idea to the idea that absorbed it,
/// one vote and one subscription per person, and sets both ideas' counters from the rows.
/// Called by `merge_ideas`, inside its transaction, with both ideas locked.
pub(crate) async fn merge_portal(conn: &mut PgConnection, from: &Idea, into: &Idea) -> Res<()> {
    for table in ["portal_votes", "portal_subscriptions"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE idea_id = $1 AND portal_user_id IN \
             (SELECT portal_user_id FROM {table} WHERE idea_id = $2)"
        ))
        .bind(from.id.0)
        .bind(into.id.0)
        .execute(&mut *conn)
        .await?;
        sqlx::query(&format!(
            "UPDATE {table} SET idea_id = $1 WHERE idea_id = $2"
        ))
        .bind(into.id.0)
        .bind(from.id.0)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE portal_comments SET idea_id = $1, product_id = $2 WHERE idea_id = $3")
        .bind(into.id.0)
        .bind(into.product_id.0)
        .bind(from.id.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE ideas SET \
         vote_count = (SELECT COUNT(*) FROM portal_votes v WHERE v.idea_id = ideas.id), \
         portal_comment_count = (SELECT COUNT(*) FROM portal_comments c \
            WHERE c.idea_id = ideas.id AND NOT c.hidden) \
         WHERE id = ANY($1)",
    )
    .bind([from.id.0, into.id.0].as_slice())
    .execute(&mut *conn)
    .await?;
    let trend = recomputed_trend(conn, into.id).await?;
    for (id, t) in [(into.id, trend), (from.id, TREND_NONE)] {
        sqlx::query("UPDATE ideas SET portal_trend = $1 WHERE id = $2")
            .bind(t)
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
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

/// Constant-time comparison of two hashes.
fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[async_trait]
impl PortalStore for PgStore {
    async fn get_portal(&self, ws: WorkspaceId, product: ProductId) -> StoreResult<Portal> {
        let row = sqlx::query(&format!(
            "SELECT {PORTAL_COLS} FROM portals WHERE product_id = $1 AND workspace_id = $2"
        ))
        .bind(product.0)
        .bind(ws.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref()
            .map(portal)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn put_portal(&self, p: PortalPut) -> StoreResult<Portal> {
        let p = &p;
        retrying("put_portal", || async move {
            let mut tx = self.pool.begin().await?;
            check_product(&mut tx, p.workspace_id, p.product_id).await?;
            let current: Option<(i64,)> =
                sqlx::query_as("SELECT version FROM portals WHERE product_id = $1 FOR UPDATE")
                    .bind(p.product_id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            let row = match current {
                None if p.expected_version == 0 => {
                    // Two first saves at once: the second finds the row and reports a conflict.
                    sqlx::query(&format!(
                        "INSERT INTO portals ({PORTAL_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $6, 1) \
                         ON CONFLICT (product_id) DO NOTHING RETURNING {PORTAL_COLS}"
                    ))
                    .bind(p.product_id.0)
                    .bind(p.workspace_id.0)
                    .bind(p.enabled)
                    .bind(&p.title)
                    .bind(&p.intro)
                    .bind(us(p.now))
                    .fetch_optional(&mut *tx)
                    .await?
                }
                Some((v,)) if v == p.expected_version => Some(
                    sqlx::query(&format!(
                        "UPDATE portals SET enabled = $1, title = $2, intro = $3, updated_at = $4, \
                         version = version + 1 WHERE product_id = $5 RETURNING {PORTAL_COLS}"
                    ))
                    .bind(p.enabled)
                    .bind(&p.title)
                    .bind(&p.intro)
                    .bind(us(p.now))
                    .bind(p.product_id.0)
                    .fetch_one(&mut *tx)
                    .await?,
                ),
                _ => None,
            };
            let Some(row) = row else {
                return Err(StoreError::VersionConflict.into());
            };
            let out = portal(&row)?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn find_public_portal(&self, slug: &str, key: &str) -> StoreResult<PublicPortal> {
        let ws = sqlx::query(
            "SELECT id, slug, name, default_locale, created_at, updated_at, version \
             FROM workspaces WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let workspace = ws
            .as_ref()
            .map(rows::workspace)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        let pr = sqlx::query(
            "SELECT id, workspace_id, product_line_id, name, key, description, pm_model, \
             archived, created_at, updated_at, version FROM products \
             WHERE workspace_id = $1 AND key = $2 AND NOT archived",
        )
        .bind(workspace.id.0)
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let product = pr
            .as_ref()
            .map(rows::product)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
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
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(portal_idea_in_tx(&mut conn, ws, idea, "").await?)
    }

    async fn get_portal_idea_by_number(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        number: i64,
    ) -> StoreResult<PortalIdea> {
        let row = sqlx::query(&format!(
            "{PORTAL_IDEA_SELECT} WHERE i.product_id = $1 AND i.number = $2 AND i.workspace_id = $3"
        ))
        .bind(product.0)
        .bind(number)
        .bind(ws.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref()
            .map(portal_idea)
            .transpose()?
            .ok_or(StoreError::NotFound)
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
        let states: Vec<&str> = if filter.states.is_empty() {
            vec![PortalState::Published.as_str()]
        } else {
            filter.states.iter().map(|s| s.as_str()).collect()
        };
        let mut q = QueryBuilder::<Postgres>::new(PORTAL_IDEA_SELECT);
        q.push(" WHERE i.workspace_id = ")
            .push_bind(ws.0)
            .push(" AND i.product_id = ")
            .push_bind(product.0)
            .push(" AND i.status <> 'merged' AND i.portal_state = ANY(")
            .push_bind(states)
            .push(")");
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
        let p = &p;
        retrying("update_portal_idea", || async move {
            let mut tx = self.pool.begin().await?;
            let current = portal_idea_in_tx(&mut tx, ws, idea, "FOR NO KEY UPDATE OF i").await?;
            if current.portal_version != expected_version || current.status == IdeaStatus::Merged {
                return Err(StoreError::VersionConflict.into());
            }
            let (idea_title,): (String,) = sqlx::query_as("SELECT title FROM ideas WHERE id = $1")
                .bind(idea.0)
                .fetch_one(&mut *tx)
                .await?;
            let at = p.now.unwrap_or_else(now);
            let state = p.state.unwrap_or(current.state);
            let publishing = state == PortalState::Published;
            let mut title = p.title.clone().unwrap_or(current.title);
            if publishing && title.trim().is_empty() {
                title = idea_title;
            }
            let published_at = match current.published_at {
                None if publishing => Some(at),
                other => other,
            };
            sqlx::query(
                "UPDATE ideas SET portal_state = $1, portal_title = $2, portal_description = $3, \
                 portal_published_at = $4, portal_version = portal_version + 1 WHERE id = $5",
            )
            .bind(state.as_str())
            .bind(&title)
            .bind(p.description.clone().unwrap_or(current.description))
            .bind(published_at.map(us))
            .bind(idea.0)
            .execute(&mut *tx)
            .await?;
            let after = portal_idea_in_tx(&mut tx, ws, idea, "").await?;
            tx.commit().await?;
            Ok(after)
        })
        .await
    }

    async fn submit_portal_idea(&self, s: PortalSubmission) -> StoreResult<PortalIdea> {
        let s = &s;
        retrying("submit_portal_idea", || async move {
            let ws = s.idea.workspace_id;
            let mut tx = self.pool.begin().await?;
            let open: Option<(i32,)> = sqlx::query_as(
                "SELECT 1 FROM portals o JOIN products p ON p.id = o.product_id \
                 WHERE o.product_id = $1 AND o.workspace_id = $2 AND o.enabled AND NOT p.archived",
            )
            .bind(s.idea.product_id.0)
            .bind(ws.0)
            .fetch_optional(&mut *tx)
            .await?;
            if open.is_none() {
                return Err(StoreError::NotFound.into());
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
                "UPDATE ideas SET portal_state = 'pending', portal_title = $1, \
                 portal_description = $2, portal_submitted_by = $3 WHERE id = $4",
            )
            .bind(&idea.text.title)
            .bind(&idea.text.description)
            .bind(s.submitted_by.0)
            .bind(idea.id.0)
            .execute(&mut *tx)
            .await?;
            subscribe_in_tx(&mut tx, ws, idea.id, s.submitted_by, idea.now).await?;
            let out = portal_idea_in_tx(&mut tx, ws, idea.id, "").await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn create_sign_in_code(&self, c: NewSignInCode) -> StoreResult<()> {
        let c = &c;
        retrying("create_sign_in_code", || async move {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "UPDATE portal_codes SET tries = $1 WHERE workspace_id = $2 AND email = $3 \
                 AND used_at IS NULL AND expires_at > $4 AND tries < $1",
            )
            .bind(SIGN_IN_CODE_TRIES)
            .bind(c.workspace_id.0)
            .bind(&c.email)
            .bind(us(c.now))
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO portal_codes (id, workspace_id, email, code_hash, display_name, \
                 tries, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $7)",
            )
            .bind(c.id)
            .bind(c.workspace_id.0)
            .bind(&c.email)
            .bind(&c.code_hash)
            .bind(&c.display_name)
            .bind(us(c.now))
            .bind(us(c.expires_at))
            .execute(&mut *tx)
            .await?;
            insert_outbox(&mut tx, &c.mail).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn verify_sign_in_code(
        &self,
        ws: WorkspaceId,
        email: &str,
        code_hash: &str,
        now: Timestamp,
    ) -> StoreResult<CodeCheck> {
        retrying("verify_sign_in_code", || async move {
            let mut tx = self.pool.begin().await?;
            // The code's row lock makes concurrent checks of one code count one try each.
            let live: Option<(Uuid, String, i64, String)> = sqlx::query_as(
                "SELECT id, code_hash, tries, display_name FROM portal_codes \
                 WHERE workspace_id = $1 AND email = $2 AND used_at IS NULL AND expires_at > $3 \
                 AND tries < $4 ORDER BY id DESC LIMIT 1 FOR UPDATE",
            )
            .bind(ws.0)
            .bind(email)
            .bind(us(now))
            .bind(SIGN_IN_CODE_TRIES)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id, hash, tries, display_name)) = live else {
                return Ok(CodeCheck::NoLiveCode);
            };
            if !same_hash(&hash, code_hash) {
                sqlx::query("UPDATE portal_codes SET tries = tries + 1 WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                return Ok(CodeCheck::Wrong {
                    tries_left: (SIGN_IN_CODE_TRIES - tries - 1).max(0),
                });
            }
            sqlx::query("UPDATE portal_codes SET used_at = $1 WHERE id = $2")
                .bind(us(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO portal_users (id, workspace_id, email, display_name, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, email) DO NOTHING",
            )
            .bind(PortalUserId::new().0)
            .bind(ws.0)
            .bind(email)
            .bind(&display_name)
            .bind(us(now))
            .execute(&mut *tx)
            .await?;
            if !display_name.is_empty() {
                // The name typed at this sign-in is the one shown from now on.
                sqlx::query(
                    "UPDATE portal_users SET display_name = $1 WHERE workspace_id = $2 AND email = $3",
                )
                .bind(&display_name)
                .bind(ws.0)
                .bind(email)
                .execute(&mut *tx)
                .await?;
            }
            let row = sqlx::query(&format!(
                "SELECT {USER_COLS} FROM portal_users WHERE workspace_id = $1 AND email = $2"
            ))
            .bind(ws.0)
            .bind(email)
            .fetch_one(&mut *tx)
            .await?;
            let u = user(&row)?;
            tx.commit().await?;
            Ok(CodeCheck::Verified(u))
        })
        .await
    }

    async fn get_portal_user(&self, ws: WorkspaceId, id: PortalUserId) -> StoreResult<PortalUser> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLS} FROM portal_users WHERE id = $1 AND workspace_id = $2"
        ))
        .bind(id.0)
        .bind(ws.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref()
            .map(user)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn create_portal_session(&self, s: NewPortalSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO portal_sessions (id_hash, portal_user_id, created_at, last_seen_at, \
             expires_at) VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(&s.id_hash)
        .bind(s.portal_user_id.0)
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
             WHERE s.id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some((
            PortalSession {
                portal_user_id: PortalUserId(get(&r, "s_user")?),
                created_at: get(&r, "s_created_at")?,
                last_seen_at: get(&r, "s_last_seen_at")?,
                expires_at: get(&r, "s_expires_at")?,
            },
            user(&r)?,
        )))
    }

    async fn touch_portal_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE portal_sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(us(now))
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_portal_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM portal_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn purge_portal(&self, now: Timestamp, idle_before: Timestamp) -> StoreResult<u64> {
        retrying("purge_portal", || async move {
            let mut tx = self.pool.begin().await?;
            let sessions = sqlx::query(
                "DELETE FROM portal_sessions WHERE expires_at <= $1 OR last_seen_at <= $2",
            )
            .bind(us(now))
            .bind(us(idle_before))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let codes = sqlx::query(
                "DELETE FROM portal_codes WHERE expires_at <= $1 OR used_at IS NOT NULL \
                 OR tries >= $2",
            )
            .bind(us(now))
            .bind(SIGN_IN_CODE_TRIES)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let expired = now - chrono::Duration::minutes(SIGN_IN_CODE_MINUTES);
            let mails: Vec<(Uuid, String)> = sqlx::query_as(
                "SELECT id, payload FROM outbox WHERE kind = 'sign_in_code' AND created_at <= $1 \
                 AND payload LIKE '%\"code\"%' FOR UPDATE SKIP LOCKED",
            )
            .bind(us(expired))
            .fetch_all(&mut *tx)
            .await?;
            for (id, payload) in mails {
                let p: serde_json::Value = serde_json::from_str(&payload)
                    .map_err(|e| Fail::Store(StoreError::Other(e.to_string())))?;
                sqlx::query("UPDATE outbox SET payload = $1 WHERE id = $2")
                    .bind(without_code(&p).to_string())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(sessions + codes)
        })
        .await
    }

    async fn vote(&self, v: NewVote) -> StoreResult<VoteOutcome> {
        let v = &v;
        retrying("vote", || async move {
            let ws = v.workspace_id;
            let mut tx = self.pool.begin().await?;
            let before = public_idea_locked(&mut tx, ws, v.idea_id).await?;
            let inserted = sqlx::query(
                "INSERT INTO portal_votes (idea_id, portal_user_id, workspace_id, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (idea_id, portal_user_id) DO NOTHING",
            )
            .bind(v.idea_id.0)
            .bind(v.portal_user_id.0)
            .bind(ws.0)
            .bind(us(v.now))
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0;
            if !inserted {
                tx.commit().await?;
                return Ok(VoteOutcome {
                    changed: false,
                    idea: before,
                });
            }
            sqlx::query(
                "UPDATE ideas SET vote_count = vote_count + 1, portal_trend = $1 WHERE id = $2",
            )
            .bind(trend_with_vote(before.trend, us(v.now).timestamp_micros()))
            .bind(v.idea_id.0)
            .execute(&mut *tx)
            .await?;
            subscribe_in_tx(&mut tx, ws, v.idea_id, v.portal_user_id, v.now).await?;
            let (fb, _) = upsert_feedback(&mut tx, &v.feedback).await?;
            let linked: Option<(i32,)> =
                sqlx::query_as("SELECT 1 FROM evidence WHERE idea_id = $1 AND feedback_id = $2")
                    .bind(v.idea_id.0)
                    .bind(fb.id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
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
            let idea = portal_idea_in_tx(&mut tx, ws, v.idea_id, "").await?;
            tx.commit().await?;
            Ok(VoteOutcome {
                changed: true,
                idea,
            })
        })
        .await
    }

    async fn unvote(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        user: PortalUserId,
        _now: Timestamp,
    ) -> StoreResult<VoteOutcome> {
        retrying("unvote", || async move {
            let mut tx = self.pool.begin().await?;
            let before = portal_idea_in_tx(&mut tx, ws, idea, "FOR NO KEY UPDATE OF i").await?;
            if before.status == IdeaStatus::Merged {
                return Err(StoreError::NotFound.into());
            }
            let removed: Option<(Timestamp,)> = sqlx::query_as(
                "DELETE FROM portal_votes WHERE idea_id = $1 AND portal_user_id = $2 \
                 RETURNING created_at",
            )
            .bind(idea.0)
            .bind(user.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((cast_at,)) = removed else {
                tx.commit().await?;
                return Ok(VoteOutcome {
                    changed: false,
                    idea: before,
                });
            };
            let remaining = before.vote_count - 1;
            let trend =
                match trend_without_vote(before.trend, cast_at.timestamp_micros(), remaining) {
                    Some(t) => t,
                    None => recomputed_trend(&mut tx, idea).await?,
                };
            sqlx::query(
                "UPDATE ideas SET vote_count = vote_count - 1, portal_trend = $1 WHERE id = $2",
            )
            .bind(trend)
            .bind(idea.0)
            .execute(&mut *tx)
            .await?;
            let after = portal_idea_in_tx(&mut tx, ws, idea, "").await?;
            tx.commit().await?;
            Ok(VoteOutcome {
                changed: true,
                idea: after,
            })
        })
        .await
    }

    async fn import_portal_users(&self, users: Vec<PortalUser>) -> StoreResult<u64> {
        let users = &users;
        retrying("import_portal_users", || async move {
            let mut tx = self.pool.begin().await?;
            let mut added = 0;
            for chunk in users.chunks(5_000) {
                added += sqlx::query(
                    "INSERT INTO portal_users (id, workspace_id, email, display_name, created_at) \
                     SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], \
                     $5::timestamptz[]) ON CONFLICT (workspace_id, email) DO NOTHING",
                )
                .bind(chunk.iter().map(|u| u.id.0).collect::<Vec<_>>())
                .bind(chunk.iter().map(|u| u.workspace_id.0).collect::<Vec<_>>())
                .bind(
                    chunk
                        .iter()
                        .map(|u| u.email.to_lowercase())
                        .collect::<Vec<_>>(),
                )
                .bind(
                    chunk
                        .iter()
                        .map(|u| u.display_name.clone())
                        .collect::<Vec<_>>(),
                )
                .bind(chunk.iter().map(|u| us(u.created_at)).collect::<Vec<_>>())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            tx.commit().await?;
            Ok(added)
        })
        .await
    }

    async fn import_votes(&self, votes: Vec<PortalVote>) -> StoreResult<u64> {
        let votes = &votes;
        retrying("import_votes", || async move {
            let mut tx = self.pool.begin().await?;
            // Each idea is checked (and locked) once; its count and trend move once.
            use std::collections::hash_map::{Entry, HashMap};
            let mut ideas: HashMap<IdeaId, f64> = HashMap::new();
            for v in votes {
                if let Entry::Vacant(slot) = ideas.entry(v.idea_id) {
                    let idea = public_idea_locked(&mut tx, v.workspace_id, v.idea_id).await?;
                    slot.insert(idea.trend);
                }
            }
            let mut added: HashMap<IdeaId, i64> = HashMap::new();
            for chunk in votes.chunks(5_000) {
                let rows: Vec<(Uuid, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                    "INSERT INTO portal_votes (idea_id, portal_user_id, workspace_id, created_at) \
                     SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[]) \
                     ON CONFLICT (idea_id, portal_user_id) DO NOTHING RETURNING idea_id, created_at",
                )
                .bind(chunk.iter().map(|v| v.idea_id.0).collect::<Vec<_>>())
                .bind(chunk.iter().map(|v| v.portal_user_id.0).collect::<Vec<_>>())
                .bind(chunk.iter().map(|v| v.workspace_id.0).collect::<Vec<_>>())
                .bind(chunk.iter().map(|v| us(v.created_at)).collect::<Vec<_>>())
                .fetch_all(&mut *tx)
                .await?;
                for (idea, at) in rows {
                    let idea = IdeaId(idea);
                    *added.entry(idea).or_default() += 1;
                    if let Some(trend) = ideas.get_mut(&idea) {
                        *trend = trend_with_vote(*trend, at.timestamp_micros());
                    }
                }
            }
            let mut total = 0;
            for (idea, n) in added {
                sqlx::query(
                    "UPDATE ideas SET vote_count = vote_count + $1, portal_trend = $2 WHERE id = $3",
                )
                .bind(n)
                .bind(ideas[&idea])
                .bind(idea.0)
                .execute(&mut *tx)
                .await?;
                total += n as u64;
            }
            tx.commit().await?;
            Ok(total)
        })
        .await
    }

    async fn voted_ideas(&self, user: PortalUserId, ideas: &[IdeaId]) -> StoreResult<Vec<IdeaId>> {
        if ideas.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Uuid> = ideas.iter().map(|i| i.0).collect();
        let rows: Vec<(Uuid,)> = sqlx::query_as(
            "SELECT idea_id FROM portal_votes WHERE portal_user_id = $1 AND idea_id = ANY($2)",
        )
        .bind(user.0)
        .bind(ids)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows.into_iter().map(|r| IdeaId(r.0)).collect())
    }

    async fn subscribe(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        user: PortalUserId,
        now: Timestamp,
    ) -> StoreResult<bool> {
        retrying("subscribe", || async move {
            let mut tx = self.pool.begin().await?;
            public_idea_locked(&mut tx, ws, idea).await?;
            let made = subscribe_in_tx(&mut tx, ws, idea, user, now).await?;
            tx.commit().await?;
            Ok(made)
        })
        .await
    }

    async fn unsubscribe(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        user: PortalUserId,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "DELETE FROM portal_subscriptions WHERE idea_id = $1 AND portal_user_id = $2 \
             AND workspace_id = $3",
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
        let row: Option<(i32,)> = sqlx::query_as(
            "SELECT 1 FROM portal_subscriptions WHERE idea_id = $1 AND portal_user_id = $2",
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
             WHERE s.idea_id = $1 AND s.workspace_id = $2 ORDER BY u.id",
        )
        .bind(idea.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(user).collect()
    }

    async fn add_portal_comment(&self, c: NewPortalComment) -> StoreResult<PortalComment> {
        let c = &c;
        retrying("add_portal_comment", || async move {
            let ws = c.workspace_id;
            let mut tx = self.pool.begin().await?;
            let idea = match c.author {
                CommentAuthor::User(_) => public_idea_locked(&mut tx, ws, c.idea_id).await?,
                CommentAuthor::Member(m) => {
                    sqlx::query("SELECT 1 FROM members WHERE id = $1 AND workspace_id = $2")
                        .bind(m.0)
                        .bind(ws.0)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::NotFound)?;
                    let i =
                        portal_idea_in_tx(&mut tx, ws, c.idea_id, "FOR NO KEY UPDATE OF i").await?;
                    if i.status == IdeaStatus::Merged {
                        return Err(StoreError::VersionConflict.into());
                    }
                    i
                }
            };
            let (user, member) = match c.author {
                CommentAuthor::User(u) => (Some(u.0), None),
                CommentAuthor::Member(m) => (None, Some(m.0)),
            };
            sqlx::query(
                "INSERT INTO portal_comments (id, workspace_id, product_id, idea_id, \
                 portal_user_id, member_id, body, hidden, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, false, $8, $8)",
            )
            .bind(c.id.0)
            .bind(ws.0)
            .bind(idea.product_id.0)
            .bind(c.idea_id.0)
            .bind(user)
            .bind(member)
            .bind(&c.body)
            .bind(us(c.now))
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE ideas SET portal_comment_count = portal_comment_count + 1 WHERE id = $1",
            )
            .bind(c.idea_id.0)
            .execute(&mut *tx)
            .await?;
            let out = comment_in_tx(&mut tx, ws, c.id).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
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
        let mut q = QueryBuilder::<Postgres>::new(COMMENT_SELECT);
        q.push(" WHERE c.idea_id = ")
            .push_bind(idea.0)
            .push(" AND c.workspace_id = ")
            .push_bind(ws.0);
        if !include_hidden {
            q.push(" AND NOT c.hidden");
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
        let mut q = QueryBuilder::<Postgres>::new(COMMENT_SELECT);
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
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(comment_in_tx(&mut conn, ws, id).await?)
    }

    async fn set_comment_hidden(
        &self,
        ws: WorkspaceId,
        id: CommentId,
        hidden: bool,
        by: MemberId,
        now: Timestamp,
    ) -> StoreResult<PortalComment> {
        retrying("set_comment_hidden", || async move {
            let mut tx = self.pool.begin().await?;
            let current = comment_in_tx(&mut tx, ws, id).await?;
            // The idea first (the order every writer of its counters takes), then the comment.
            portal_idea_in_tx(&mut tx, ws, current.idea_id, "FOR NO KEY UPDATE OF i").await?;
            let changed = sqlx::query(
                "UPDATE portal_comments SET hidden = $1, hidden_by = $2, updated_at = $3 \
                 WHERE id = $4 AND hidden <> $1",
            )
            .bind(hidden)
            .bind(hidden.then_some(by.0))
            .bind(us(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0;
            if changed {
                sqlx::query(
                    "UPDATE ideas SET portal_comment_count = portal_comment_count + $1 WHERE id = $2",
                )
                .bind(if hidden { -1i64 } else { 1 })
                .bind(current.idea_id.0)
                .execute(&mut *tx)
                .await?;
            }
            let out = comment_in_tx(&mut tx, ws, id).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn queue_outbox(&self, messages: Vec<NewOutbox>) -> StoreResult<()> {
        if messages.is_empty() {
            return Ok(());
        }
        let messages = &messages;
        retrying("queue_outbox", || async move {
            let mut tx = self.pool.begin().await?;
            for m in messages {
                insert_outbox(&mut tx, m).await?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
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
        let mut q = QueryBuilder::<Postgres>::new(format!("SELECT {OUTBOX_COLS} FROM outbox"));
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
        retrying("claim_outbox", || async move {
            let mut tx = self.pool.begin().await?;
            let rows = sqlx::query(&format!(
                "UPDATE outbox SET status = 'sending', claimed_at = $1, attempts = attempts + 1 \
                 WHERE id IN (SELECT id FROM outbox \
                   WHERE (status = 'queued' AND next_attempt_at <= $1) \
                      OR (status = 'sending' AND claimed_at < $2) \
                   ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
                 RETURNING {OUTBOX_COLS}"
            ))
            .bind(us(now))
            .bind(us(stale_before))
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            let mut out = rows.iter().map(outbox).collect::<StoreResult<Vec<_>>>()?;
            out.sort_by_key(|m| (m.next_attempt_at, m.id));
            Ok(out)
        })
        .await
    }

    async fn outbox_sent(&self, id: OutboxId, now: Timestamp) -> StoreResult<()> {
        retrying("outbox_sent", || async move {
            let mut tx = self.pool.begin().await?;
            let row: Option<(String, String)> =
                sqlx::query_as("SELECT kind, payload FROM outbox WHERE id = $1 FOR UPDATE")
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (kind, payload) = row.ok_or(StoreError::NotFound)?;
            let payload: serde_json::Value = serde_json::from_str(&payload)
                .map_err(|e| Fail::Store(StoreError::Other(e.to_string())))?;
            let payload = if kind == OutboxKind::SignInCode.as_str() {
                without_code(&payload)
            } else {
                payload
            };
            sqlx::query(
                "UPDATE outbox SET status = 'sent', sent_at = $1, last_error = NULL, payload = $2 \
                 WHERE id = $3",
            )
            .bind(us(now))
            .bind(payload.to_string())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn outbox_failed(
        &self,
        id: OutboxId,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<()> {
        let error: String = error.chars().filter(|c| *c != '\0').take(500).collect();
        let (status, next) = match retry_at {
            Some(t) => (OutboxStatus::Queued, t),
            None => (OutboxStatus::Failed, now),
        };
        sqlx::query(
            "UPDATE outbox SET status = $1, last_error = $2, next_attempt_at = $3, \
             claimed_at = NULL WHERE id = $4",
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

/// Reads the portal tables into the dump, inside the dump's snapshot.
pub(crate) async fn dump(conn: &mut PgConnection, d: &mut PortalDump) -> Res<()> {
    for r in sqlx::query(&format!(
        "SELECT {PORTAL_COLS} FROM portals ORDER BY product_id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.portals.push(portal(&r)?);
    }
    for r in sqlx::query(&format!(
        "{PORTAL_IDEA_SELECT} WHERE i.portal_state <> 'private' OR i.portal_title <> '' \
         OR i.portal_description <> '' OR i.portal_published_at IS NOT NULL \
         OR i.portal_submitted_by IS NOT NULL OR i.portal_comment_count <> 0 \
         OR i.portal_trend <> $1 OR i.portal_version <> 1 ORDER BY i.id"
    ))
    .bind(TREND_NONE)
    .fetch_all(&mut *conn)
    .await?
    {
        d.portal_ideas.push(portal_idea(&r)?);
    }
    for r in sqlx::query(&format!("SELECT {USER_COLS} FROM portal_users ORDER BY id"))
        .fetch_all(&mut *conn)
        .await?
    {
        d.portal_users.push(user(&r)?);
    }
    for (idea, u, ws, at) in sqlx::query_as::<_, (Uuid, Uuid, Uuid, Timestamp)>(
        "SELECT idea_id, portal_user_id, workspace_id, created_at FROM portal_votes \
         ORDER BY idea_id, portal_user_id",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        d.portal_votes.push(PortalVote {
            idea_id: IdeaId(idea),
            portal_user_id: PortalUserId(u),
            workspace_id: WorkspaceId(ws),
            created_at: at,
        });
    }
    for (idea, u, ws, at) in sqlx::query_as::<_, (Uuid, Uuid, Uuid, Timestamp)>(
        "SELECT idea_id, portal_user_id, workspace_id, created_at FROM portal_subscriptions \
         ORDER BY idea_id, portal_user_id",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        d.portal_subscriptions.push(PortalSubscription {
            idea_id: IdeaId(idea),
            portal_user_id: PortalUserId(u),
            workspace_id: WorkspaceId(ws),
            created_at: at,
        });
    }
    for r in sqlx::query(&format!("{COMMENT_SELECT} ORDER BY c.id"))
        .fetch_all(&mut *conn)
        .await?
    {
        d.portal_comments.push(comment(&r)?);
    }
    for r in sqlx::query(&format!("SELECT {OUTBOX_COLS} FROM outbox ORDER BY id"))
        .fetch_all(&mut *conn)
        .await?
    {
        d.outbox.push(outbox(&r)?);
    }
    Ok(())
}

/// Writes the portal tables of a dump, after the discovery tables (ideas must exist).
pub(crate) async fn load(conn: &mut PgConnection, d: &PortalDump) -> Res<()> {
    for p in &d.portals {
        sqlx::query(&format!(
            "INSERT INTO portals ({PORTAL_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(p.product_id.0)
        .bind(p.workspace_id.0)
        .bind(p.enabled)
        .bind(&p.title)
        .bind(&p.intro)
        .bind(us(p.created_at))
        .bind(us(p.updated_at))
        .bind(p.version)
        .execute(&mut *conn)
        .await?;
    }
    for u in &d.portal_users {
        sqlx::query(&format!(
            "INSERT INTO portal_users ({USER_COLS}) VALUES ($1, $2, $3, $4, $5)"
        ))
        .bind(u.id.0)
        .bind(u.workspace_id.0)
        .bind(&u.email)
        .bind(&u.display_name)
        .bind(us(u.created_at))
        .execute(&mut *conn)
        .await?;
    }
    for i in &d.portal_ideas {
        // The vote count is the idea's own, loaded with the ideas.
        sqlx::query(
            "UPDATE ideas SET portal_state = $1, portal_title = $2, portal_description = $3, \
             portal_comment_count = $4, portal_trend = $5, portal_published_at = $6, \
             portal_submitted_by = $7, portal_version = $8 WHERE id = $9",
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
        .execute(&mut *conn)
        .await?;
    }
    let votes: Vec<_> = d
        .portal_votes
        .iter()
        .map(|v| (v.idea_id, v.portal_user_id, v.workspace_id, v.created_at))
        .collect();
    let subscriptions: Vec<_> = d
        .portal_subscriptions
        .iter()
        .map(|v| (v.idea_id, v.portal_user_id, v.workspace_id, v.created_at))
        .collect();
    for (table, rows) in [
        ("portal_votes", &votes),
        ("portal_subscriptions", &subscriptions),
    ] {
        for (idea, u, ws, at) in rows {
            sqlx::query(&format!(
                "INSERT INTO {table} (idea_id, portal_user_id, workspace_id, created_at) \
                 VALUES ($1, $2, $3, $4)"
            ))
            .bind(idea.0)
            .bind(u.0)
            .bind(ws.0)
            .bind(us(*at))
            .execute(&mut *conn)
            .await?;
        }
    }
    for c in &d.portal_comments {
        sqlx::query(
            "INSERT INTO portal_comments (id, workspace_id, product_id, idea_id, portal_user_id, \
             member_id, body, hidden, hidden_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(c.id.0)
        .bind(c.workspace_id.0)
        .bind(c.product_id.0)
        .bind(c.idea_id.0)
        .bind(c.portal_user_id.map(|u| u.0))
        .bind(c.member_id.map(|m| m.0))
        .bind(&c.body)
        .bind(c.hidden)
        .bind(c.hidden_by.map(|m| m.0))
        .bind(us(c.created_at))
        .bind(us(c.updated_at))
        .execute(&mut *conn)
        .await?;
    }
    for m in &d.outbox {
        sqlx::query(&format!(
            "INSERT INTO outbox ({OUTBOX_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
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
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
