//! `impl PortalStore for SqliteStore`: portals, the public face of ideas, portal users, codes,
//! sessions, votes, subscriptions, comments and the outbox.
//!
//! Every write runs in a `BEGIN IMMEDIATE` transaction on the one writer connection, so writers
//! are serialized: a vote reads the idea's trend and count, changes them and commits before any
//! other writer starts, and the primary key of `portal_votes` keeps one vote per person and idea.

use crate::db::{self, Sql};
use crate::discovery::{check_product, insert_evidence, insert_idea, upsert_feedback};
use crate::rows::{self, get, opt_ts, parse, ts, us};
use crate::SqliteStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use rusqlite::{params, Connection, Row};
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

fn portal(row: &Row<'_>) -> StoreResult<Portal> {
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

fn portal_idea(row: &Row<'_>) -> StoreResult<PortalIdea> {
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

fn user(row: &Row<'_>) -> StoreResult<PortalUser> {
    Ok(PortalUser {
        id: PortalUserId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        email: get(row, "email")?,
        display_name: get(row, "display_name")?,
        created_at: ts(get(row, "created_at")?)?,
    })
}

fn comment(row: &Row<'_>) -> StoreResult<PortalComment> {
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

fn outbox(row: &Row<'_>) -> StoreResult<OutboxMessage> {
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

fn portal_idea_in_tx(c: &Connection, ws: WorkspaceId, id: IdeaId) -> StoreResult<PortalIdea> {
    db::one(
        c,
        &format!("{PORTAL_IDEA_SELECT} WHERE i.id = ? AND i.workspace_id = ?"),
        params![id.0, ws.0],
        portal_idea,
    )
}

/// The idea, if end users may act on it now: published, not merged, on an enabled portal of a
/// product that is not archived. Anything else is `NotFound`, as the public pages say.
fn public_idea_in_tx(c: &Connection, ws: WorkspaceId, id: IdeaId) -> StoreResult<PortalIdea> {
    let open = db::opt(
        c,
        "SELECT 1 FROM ideas i JOIN products p ON p.id = i.product_id \
         JOIN portals o ON o.product_id = i.product_id \
         WHERE i.id = ? AND i.workspace_id = ? AND i.portal_state = 'published' \
         AND i.status <> 'merged' AND o.enabled = 1 AND p.archived = 0",
        params![id.0, ws.0],
        |_| Ok(()),
    )?;
    if open.is_none() {
        return Err(StoreError::NotFound);
    }
    portal_idea_in_tx(c, ws, id)
}

fn comment_in_tx(c: &Connection, ws: WorkspaceId, id: CommentId) -> StoreResult<PortalComment> {
    db::one(
        c,
        &format!("{COMMENT_SELECT} WHERE c.id = ? AND c.workspace_id = ?"),
        params![id.0, ws.0],
        comment,
    )
}

fn subscribe_in_tx(
    c: &Connection,
    ws: WorkspaceId,
    idea: IdeaId,
    user: PortalUserId,
    now: Timestamp,
) -> StoreResult<bool> {
    let done = db::exec(
        c,
        "INSERT INTO portal_subscriptions (idea_id, portal_user_id, workspace_id, created_at) \
         VALUES (?, ?, ?, ?) ON CONFLICT (idea_id, portal_user_id) DO NOTHING",
        params![idea.0, user.0, ws.0, us(now)],
    )?;
    Ok(done > 0)
}

fn insert_outbox(c: &Connection, m: &NewOutbox) -> StoreResult<()> {
    db::exec(
        c,
        "INSERT INTO outbox (id, workspace_id, kind, to_email, locale, payload, status, attempts, \
         created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)",
        params![
            m.id.0,
            m.workspace_id.0,
            m.kind.as_str(),
            &m.to_email,
            m.locale.as_str(),
            m.payload.to_string(),
            us(m.now),
            us(m.now)
        ],
    )?;
    Ok(())
}

/// The trend of an idea recomputed from its votes (after a merge, or when the incremental
/// update cannot be trusted).
fn recomputed_trend(c: &Connection, idea: IdeaId) -> StoreResult<f64> {
    let times: Vec<i64> = db::all(
        c,
        "SELECT created_at FROM portal_votes WHERE idea_id = ? ORDER BY created_at",
        params![idea.0],
        |r| get(r, "created_at"),
    )?;
    Ok(trend_of(times))
}

/// Moves the votes, subscriptions and comments of a merged idea to the idea that absorbed it,
/// one vote and one subscription per person, and sets both ideas' counters from the rows.
/// Called by `merge_ideas`, inside its transaction.
pub(crate) fn merge_portal(c: &Connection, from: &Idea, into: &Idea) -> StoreResult<()> {
    for table in ["portal_votes", "portal_subscriptions"] {
        db::exec(
            c,
            &format!(
                "DELETE FROM {table} WHERE idea_id = ? AND portal_user_id IN \
                 (SELECT portal_user_id FROM {table} WHERE idea_id = ?)"
            ),
            params![from.id.0, into.id.0],
        )?;
        db::exec(
            c,
            &format!("UPDATE {table} SET idea_id = ? WHERE idea_id = ?"),
            params![into.id.0, from.id.0],
        )?;
    }
    db::exec(
        c,
        "UPDATE portal_comments SET idea_id = ?, product_id = ? WHERE idea_id = ?",
        params![into.id.0, into.product_id.0, from.id.0],
    )?;
    db::exec(
        c,
        "UPDATE ideas SET \
         vote_count = (SELECT COUNT(*) FROM portal_votes v WHERE v.idea_id = ideas.id), \
         portal_comment_count = (SELECT COUNT(*) FROM portal_comments c \
            WHERE c.idea_id = ideas.id AND c.hidden = 0) \
         WHERE id IN (?, ?)",
        params![from.id.0, into.id.0],
    )?;
    let trend = recomputed_trend(c, into.id)?;
    for (id, t) in [(into.id, trend), (from.id, TREND_NONE)] {
        db::exec(
            c,
            "UPDATE ideas SET portal_trend = ? WHERE id = ?",
            params![t, id.0],
        )?;
    }
    Ok(())
}

/// The portal of a product, as `get_portal` reads it.
fn portal_in(c: &Connection, ws: WorkspaceId, product: ProductId) -> StoreResult<Portal> {
    db::one(
        c,
        &format!("SELECT {PORTAL_COLS} FROM portals WHERE product_id = ? AND workspace_id = ?"),
        params![product.0, ws.0],
        portal,
    )
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
        self.read_now(move |c| portal_in(c, ws, product)).await
    }

    async fn put_portal(&self, p: PortalPut) -> StoreResult<Portal> {
        // The row read back is decoded after the commit, as before the move to rusqlite.
        self.write(move |c| {
            check_product(c, p.workspace_id, p.product_id)?;
            let current: Option<i64> = db::opt(
                c,
                "SELECT version FROM portals WHERE product_id = ?",
                params![p.product_id.0],
                |r| get(r, "version"),
            )?;
            match current {
                None if p.expected_version == 0 => {
                    db::exec(
                        c,
                        &format!(
                            "INSERT INTO portals ({PORTAL_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, 1)"
                        ),
                        params![
                            p.product_id.0,
                            p.workspace_id.0,
                            i64::from(p.enabled),
                            &p.title,
                            &p.intro,
                            us(p.now),
                            us(p.now)
                        ],
                    )?;
                }
                Some(v) if v == p.expected_version => {
                    db::exec(
                        c,
                        "UPDATE portals SET enabled = ?, title = ?, intro = ?, updated_at = ?, \
                         version = version + 1 WHERE product_id = ?",
                        params![
                            i64::from(p.enabled),
                            &p.title,
                            &p.intro,
                            us(p.now),
                            p.product_id.0
                        ],
                    )?;
                }
                _ => return Err(StoreError::VersionConflict),
            }
            db::one(
                c,
                &format!("SELECT {PORTAL_COLS} FROM portals WHERE product_id = ?"),
                params![p.product_id.0],
                |r| Ok(portal(r)),
            )
        })
        .await?
    }

    async fn find_public_portal(&self, slug: &str, key: &str) -> StoreResult<PublicPortal> {
        let slug = slug.to_owned();
        let key = key.to_owned();
        self.read_now(move |c| {
            let workspace = db::one(
                c,
                "SELECT id, slug, name, default_locale, created_at, updated_at, version \
                 FROM workspaces WHERE slug = ?",
                params![slug],
                rows::workspace,
            )?;
            let product = db::one(
                c,
                "SELECT id, workspace_id, product_line_id, name, key, description, pm_model, \
                 archived, created_at, updated_at, version FROM products \
                 WHERE workspace_id = ? AND key = ? AND archived = 0",
                params![workspace.id.0, key],
                rows::product,
            )?;
            let portal = portal_in(c, workspace.id, product.id)?;
            if !portal.enabled {
                return Err(StoreError::NotFound);
            }
            Ok(PublicPortal {
                workspace,
                product,
                portal,
            })
        })
        .await
    }

    async fn get_portal_idea(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<PortalIdea> {
        self.read_now(move |c| portal_idea_in_tx(c, ws, idea)).await
    }

    async fn get_portal_idea_by_number(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        number: i64,
    ) -> StoreResult<PortalIdea> {
        self.read_now(move |c| {
            db::one(
                c,
                &format!(
                    "{PORTAL_IDEA_SELECT} WHERE i.product_id = ? AND i.number = ? AND i.workspace_id = ?"
                ),
                params![product.0, number, ws.0],
                portal_idea,
            )
        })
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
        let mut q = Sql::new(PORTAL_IDEA_SELECT);
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
        q.push_list(states.iter().map(|s| s.as_str()));
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
        let page = page.clone();
        let sort = filter.sort;
        self.read_now(move |c| {
            let items = q.all(c, portal_idea)?;
            Ok(Page::from_rows(items, &page, |i| portal_cursor(sort, i)))
        })
        .await
    }

    async fn update_portal_idea(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        expected_version: i64,
        p: PortalIdeaPatch,
    ) -> StoreResult<PortalIdea> {
        self.write(move |c| {
            let current = portal_idea_in_tx(c, ws, idea)?;
            if current.portal_version != expected_version || current.status == IdeaStatus::Merged {
                return Err(StoreError::VersionConflict);
            }
            let idea_title: String = db::one(
                c,
                "SELECT title FROM ideas WHERE id = ?",
                params![idea.0],
                |r| get(r, "title"),
            )?;
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
            db::exec(
                c,
                "UPDATE ideas SET portal_state = ?, portal_title = ?, portal_description = ?, \
                 portal_published_at = ?, portal_version = portal_version + 1 WHERE id = ?",
                params![
                    state.as_str(),
                    &title,
                    p.description.unwrap_or(current.description),
                    published_at.map(us),
                    idea.0
                ],
            )?;
            portal_idea_in_tx(c, ws, idea)
        })
        .await
    }

    async fn submit_portal_idea(&self, s: PortalSubmission) -> StoreResult<PortalIdea> {
        let ws = s.idea.workspace_id;
        self.write(move |c| {
            let open = db::opt(
                c,
                "SELECT 1 FROM portals o JOIN products p ON p.id = o.product_id \
                 WHERE o.product_id = ? AND o.workspace_id = ? AND o.enabled = 1 AND p.archived = 0",
                params![s.idea.product_id.0, ws.0],
                |_| Ok(()),
            )?;
            if open.is_none() {
                return Err(StoreError::NotFound);
            }
            let (feedback, _) = upsert_feedback(c, &s.feedback)?;
            let mut idea = s.idea.clone();
            idea.evidence = Some(FirstEvidence {
                id: s.evidence_id,
                feedback_id: feedback.id,
                excerpt: None,
                importance: Importance::Important,
            });
            insert_idea(c, &idea)?;
            db::exec(
                c,
                "UPDATE ideas SET portal_state = 'pending', portal_title = ?, portal_description = ?, \
                 portal_submitted_by = ? WHERE id = ?",
                params![
                    &idea.text.title,
                    &idea.text.description,
                    s.submitted_by.0,
                    idea.id.0
                ],
            )?;
            subscribe_in_tx(c, ws, idea.id, s.submitted_by, idea.now)?;
            portal_idea_in_tx(c, ws, idea.id)
        })
        .await
    }

    async fn create_sign_in_code(&self, code: NewSignInCode) -> StoreResult<()> {
        self.write(move |c| {
            db::exec(
                c,
                "UPDATE portal_codes SET tries = ? WHERE workspace_id = ? AND email = ? \
                 AND used_at IS NULL AND expires_at > ? AND tries < ?",
                params![
                    SIGN_IN_CODE_TRIES,
                    code.workspace_id.0,
                    &code.email,
                    us(code.now),
                    SIGN_IN_CODE_TRIES
                ],
            )?;
            db::exec(
                c,
                "INSERT INTO portal_codes (id, workspace_id, email, code_hash, display_name, tries, \
                 created_at, expires_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                params![
                    code.id,
                    code.workspace_id.0,
                    &code.email,
                    &code.code_hash,
                    &code.display_name,
                    us(code.now),
                    us(code.expires_at)
                ],
            )?;
            insert_outbox(c, &code.mail)
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
        let email = email.to_owned();
        let code_hash = code_hash.to_owned();
        self.write(move |c| {
            let live = db::opt(
                c,
                "SELECT id, code_hash, tries, display_name FROM portal_codes \
                 WHERE workspace_id = ? AND email = ? AND used_at IS NULL AND expires_at > ? \
                 AND tries < ? ORDER BY id DESC LIMIT 1",
                params![ws.0, &email, us(now), SIGN_IN_CODE_TRIES],
                |r| {
                    Ok((
                        get::<Uuid>(r, "id")?,
                        get::<String>(r, "code_hash")?,
                        get::<i64>(r, "tries")?,
                        get::<String>(r, "display_name")?,
                    ))
                },
            )?;
            let Some((id, hash, tries, display_name)) = live else {
                return Ok(CodeCheck::NoLiveCode);
            };
            if !same_hash(&hash, &code_hash) {
                db::exec(
                    c,
                    "UPDATE portal_codes SET tries = tries + 1 WHERE id = ?",
                    params![id],
                )?;
                return Ok(CodeCheck::Wrong {
                    tries_left: (SIGN_IN_CODE_TRIES - tries - 1).max(0),
                });
            }
            db::exec(
                c,
                "UPDATE portal_codes SET used_at = ? WHERE id = ?",
                params![us(now), id],
            )?;
            db::exec(
                c,
                "INSERT INTO portal_users (id, workspace_id, email, display_name, created_at) \
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace_id, email) DO NOTHING",
                params![PortalUserId::new().0, ws.0, &email, &display_name, us(now)],
            )?;
            if !display_name.is_empty() {
                // The name typed at this sign-in is the one shown from now on.
                db::exec(
                    c,
                    "UPDATE portal_users SET display_name = ? WHERE workspace_id = ? AND email = ?",
                    params![&display_name, ws.0, &email],
                )?;
            }
            let u = db::one(
                c,
                &format!(
                    "SELECT {USER_COLS} FROM portal_users WHERE workspace_id = ? AND email = ?"
                ),
                params![ws.0, &email],
                user,
            )?;
            Ok(CodeCheck::Verified(u))
        })
        .await
    }

    async fn get_portal_user(&self, ws: WorkspaceId, id: PortalUserId) -> StoreResult<PortalUser> {
        self.read_now(move |c| {
            db::one(
                c,
                &format!("SELECT {USER_COLS} FROM portal_users WHERE id = ? AND workspace_id = ?"),
                params![id.0, ws.0],
                user,
            )
        })
        .await
    }

    async fn create_portal_session(&self, s: NewPortalSession) -> StoreResult<()> {
        self.write(move |c| {
            db::exec(
                c,
                "INSERT INTO portal_sessions (id_hash, portal_user_id, created_at, last_seen_at, \
                 expires_at) VALUES (?, ?, ?, ?, ?)",
                params![
                    &s.id_hash,
                    s.portal_user_id.0,
                    us(s.now),
                    us(s.now),
                    us(s.expires_at)
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn get_portal_session(
        &self,
        id_hash: &str,
    ) -> StoreResult<Option<(PortalSession, PortalUser)>> {
        let id_hash = id_hash.to_owned();
        self.read_now(move |c| {
            db::opt(
                c,
                "SELECT s.portal_user_id AS s_user, s.created_at AS s_created_at, \
                 s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, u.id, \
                 u.workspace_id, u.email, u.display_name, u.created_at \
                 FROM portal_sessions s JOIN portal_users u ON u.id = s.portal_user_id \
                 WHERE s.id_hash = ?",
                params![id_hash],
                |r| {
                    Ok((
                        PortalSession {
                            portal_user_id: PortalUserId(get(r, "s_user")?),
                            created_at: ts(get(r, "s_created_at")?)?,
                            last_seen_at: ts(get(r, "s_last_seen_at")?)?,
                            expires_at: ts(get(r, "s_expires_at")?)?,
                        },
                        user(r)?,
                    ))
                },
            )
        })
        .await
    }

    async fn touch_portal_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        let id_hash = id_hash.to_owned();
        self.write(move |c| {
            db::exec(
                c,
                "UPDATE portal_sessions SET last_seen_at = ? WHERE id_hash = ?",
                params![us(now), id_hash],
            )?;
            Ok(())
        })
        .await
    }

    async fn delete_portal_session(&self, id_hash: &str) -> StoreResult<()> {
        let id_hash = id_hash.to_owned();
        self.write(move |c| {
            db::exec(
                c,
                "DELETE FROM portal_sessions WHERE id_hash = ?",
                params![id_hash],
            )?;
            Ok(())
        })
        .await
    }

    async fn purge_portal(&self, now: Timestamp, idle_before: Timestamp) -> StoreResult<u64> {
        self.write(move |c| {
            let sessions = db::exec(
                c,
                "DELETE FROM portal_sessions WHERE expires_at <= ? OR last_seen_at <= ?",
                params![us(now), us(idle_before)],
            )?;
            let codes = db::exec(
                c,
                "DELETE FROM portal_codes WHERE expires_at <= ? OR used_at IS NOT NULL OR tries >= ?",
                params![us(now), SIGN_IN_CODE_TRIES],
            )?;
            let expired = now - chrono::Duration::minutes(SIGN_IN_CODE_MINUTES);
            let mails: Vec<(Uuid, String)> = db::all(
                c,
                "SELECT id, payload FROM outbox WHERE kind = 'sign_in_code' AND created_at <= ? \
                 AND payload LIKE '%\"code\"%'",
                params![us(expired)],
                |r| Ok((get(r, "id")?, get(r, "payload")?)),
            )?;
            for (id, payload) in mails {
                let p: serde_json::Value = serde_json::from_str(&payload)
                    .map_err(|e| StoreError::Other(e.to_string()))?;
                db::exec(
                    c,
                    "UPDATE outbox SET payload = ? WHERE id = ?",
                    params![without_code(&p).to_string(), id],
                )?;
            }
            Ok((sessions + codes) as u64)
        })
        .await
    }

    async fn vote(&self, v: NewVote) -> StoreResult<VoteOutcome> {
        let ws = v.workspace_id;
        self.write(move |c| {
            let before = public_idea_in_tx(c, ws, v.idea_id)?;
            let inserted = db::exec(
                c,
                "INSERT INTO portal_votes (idea_id, portal_user_id, workspace_id, created_at) \
                 VALUES (?, ?, ?, ?) ON CONFLICT (idea_id, portal_user_id) DO NOTHING",
                params![v.idea_id.0, v.portal_user_id.0, ws.0, us(v.now)],
            )? > 0;
            if !inserted {
                return Ok(VoteOutcome {
                    changed: false,
                    idea: before,
                });
            }
            db::exec(
                c,
                "UPDATE ideas SET vote_count = vote_count + 1, portal_trend = ? WHERE id = ?",
                params![trend_with_vote(before.trend, us(v.now)), v.idea_id.0],
            )?;
            subscribe_in_tx(c, ws, v.idea_id, v.portal_user_id, v.now)?;
            let (fb, _) = upsert_feedback(c, &v.feedback)?;
            let linked = db::opt(
                c,
                "SELECT 1 FROM evidence WHERE idea_id = ? AND feedback_id = ?",
                params![v.idea_id.0, fb.id.0],
                |_| Ok(()),
            )?;
            if linked.is_none() {
                insert_evidence(
                    c,
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
                )?;
            }
            let idea = portal_idea_in_tx(c, ws, v.idea_id)?;
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
        self.write(move |c| {
            let before = portal_idea_in_tx(c, ws, idea)?;
            if before.status == IdeaStatus::Merged {
                return Err(StoreError::NotFound);
            }
            // SQLite makes the whole change at the first step of a RETURNING statement.
            let removed: Option<i64> = db::opt(
                c,
                "DELETE FROM portal_votes WHERE idea_id = ? AND portal_user_id = ? RETURNING created_at",
                params![idea.0, user.0],
                |r| get(r, "created_at"),
            )?;
            let Some(cast_at) = removed else {
                return Ok(VoteOutcome {
                    changed: false,
                    idea: before,
                });
            };
            let remaining = before.vote_count - 1;
            let trend = match trend_without_vote(before.trend, cast_at, remaining) {
                Some(t) => t,
                None => recomputed_trend(c, idea)?,
            };
            db::exec(
                c,
                "UPDATE ideas SET vote_count = vote_count - 1, portal_trend = ? WHERE id = ?",
                params![trend, idea.0],
            )?;
            let after = portal_idea_in_tx(c, ws, idea)?;
            Ok(VoteOutcome {
                changed: true,
                idea: after,
            })
        })
        .await
    }

    async fn import_portal_users(&self, users: Vec<PortalUser>) -> StoreResult<u64> {
        self.write_alone(move |c| {
            let mut added = 0;
            for u in &users {
                added += db::exec(
                    c,
                    "INSERT INTO portal_users (id, workspace_id, email, display_name, created_at) \
                     VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace_id, email) DO NOTHING",
                    params![
                        u.id.0,
                        u.workspace_id.0,
                        u.email.to_lowercase(),
                        &u.display_name,
                        us(u.created_at)
                    ],
                )? as u64;
            }
            Ok(added)
        })
        .await
    }

    async fn import_votes(&self, votes: Vec<PortalVote>) -> StoreResult<u64> {
        self.write_alone(move |c| {
            // Each idea is checked once, and its count and trend move once per batch.
            use std::collections::hash_map::{Entry, HashMap};
            let mut ideas: HashMap<IdeaId, (i64, f64)> = HashMap::new();
            for v in &votes {
                if let Entry::Vacant(slot) = ideas.entry(v.idea_id) {
                    let idea = public_idea_in_tx(c, v.workspace_id, v.idea_id)?;
                    slot.insert((0, idea.trend));
                }
                let inserted = db::exec(
                    c,
                    "INSERT INTO portal_votes (idea_id, portal_user_id, workspace_id, created_at) \
                     VALUES (?, ?, ?, ?) ON CONFLICT (idea_id, portal_user_id) DO NOTHING",
                    params![v.idea_id.0, v.portal_user_id.0, v.workspace_id.0, us(v.created_at)],
                )?;
                if inserted > 0 {
                    if let Some((added, trend)) = ideas.get_mut(&v.idea_id) {
                        *added += 1;
                        *trend = trend_with_vote(*trend, us(v.created_at));
                    }
                }
            }
            let mut total = 0;
            for (id, (added, trend)) in ideas {
                if added > 0 {
                    db::exec(
                        c,
                        "UPDATE ideas SET vote_count = vote_count + ?, portal_trend = ? WHERE id = ?",
                        params![added, trend, id.0],
                    )?;
                    total += added as u64;
                }
            }
            Ok(total)
        })
        .await
    }

    async fn voted_ideas(&self, user: PortalUserId, ideas: &[IdeaId]) -> StoreResult<Vec<IdeaId>> {
        if ideas.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new("SELECT idea_id FROM portal_votes WHERE portal_user_id = ");
        q.push_bind(user.0).push(" AND idea_id IN (");
        q.push_list(ideas.iter().map(|i| i.0));
        q.push(")");
        self.read(move |c| q.all(c, |r| get::<Uuid>(r, "idea_id").map(IdeaId)))
            .await
    }

    async fn subscribe(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        user: PortalUserId,
        now: Timestamp,
    ) -> StoreResult<bool> {
        self.write(move |c| {
            public_idea_in_tx(c, ws, idea)?;
            subscribe_in_tx(c, ws, idea, user, now)
        })
        .await
    }

    async fn unsubscribe(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        user: PortalUserId,
    ) -> StoreResult<bool> {
        self.write(move |c| {
            let done = db::exec(
                c,
                "DELETE FROM portal_subscriptions WHERE idea_id = ? AND portal_user_id = ? \
                 AND workspace_id = ?",
                params![idea.0, user.0, ws.0],
            )?;
            Ok(done > 0)
        })
        .await
    }

    async fn is_subscribed(&self, idea: IdeaId, user: PortalUserId) -> StoreResult<bool> {
        self.read_now(move |c| {
            let row = db::opt(
                c,
                "SELECT 1 FROM portal_subscriptions WHERE idea_id = ? AND portal_user_id = ?",
                params![idea.0, user.0],
                |_| Ok(()),
            )?;
            Ok(row.is_some())
        })
        .await
    }

    async fn list_subscribers(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<PortalUser>> {
        self.read(move |c| {
            db::all(
                c,
                "SELECT u.id, u.workspace_id, u.email, u.display_name, u.created_at \
                 FROM portal_subscriptions s JOIN portal_users u ON u.id = s.portal_user_id \
                 WHERE s.idea_id = ? AND s.workspace_id = ? ORDER BY u.id",
                params![idea.0, ws.0],
                user,
            )
        })
        .await
    }

    async fn add_portal_comment(&self, n: NewPortalComment) -> StoreResult<PortalComment> {
        let ws = n.workspace_id;
        self.write(move |c| {
            let idea = match n.author {
                CommentAuthor::User(_) => public_idea_in_tx(c, ws, n.idea_id)?,
                CommentAuthor::Member(m) => {
                    db::opt(
                        c,
                        "SELECT 1 FROM members WHERE id = ? AND workspace_id = ?",
                        params![m.0, ws.0],
                        |_| Ok(()),
                    )?
                    .ok_or(StoreError::NotFound)?;
                    let i = portal_idea_in_tx(c, ws, n.idea_id)?;
                    if i.status == IdeaStatus::Merged {
                        return Err(StoreError::VersionConflict);
                    }
                    i
                }
            };
            let (user, member) = match n.author {
                CommentAuthor::User(u) => (Some(u.0), None),
                CommentAuthor::Member(m) => (None, Some(m.0)),
            };
            db::exec(
                c,
                "INSERT INTO portal_comments (id, workspace_id, product_id, idea_id, portal_user_id, \
                 member_id, body, hidden, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                params![
                    n.id.0,
                    ws.0,
                    idea.product_id.0,
                    n.idea_id.0,
                    user,
                    member,
                    &n.body,
                    us(n.now),
                    us(n.now)
                ],
            )?;
            db::exec(
                c,
                "UPDATE ideas SET portal_comment_count = portal_comment_count + 1 WHERE id = ?",
                params![n.idea_id.0],
            )?;
            comment_in_tx(c, ws, n.id)
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
        let mut q = Sql::new(COMMENT_SELECT);
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
        let page = page.clone();
        self.read(move |c| {
            let items = q.all(c, comment)?;
            Ok(Page::from_rows(items, &page, |m| m.id.to_string()))
        })
        .await
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
        let mut q = Sql::new(COMMENT_SELECT);
        q.push(" WHERE c.product_id = ")
            .push_bind(product.0)
            .push(" AND c.workspace_id = ")
            .push_bind(ws.0);
        if let Some(a) = after {
            q.push(" AND c.id < ").push_bind(a);
        }
        q.push(" ORDER BY c.id DESC LIMIT ")
            .push_bind(page.fetch_limit());
        let page = page.clone();
        self.read(move |c| {
            let items = q.all(c, comment)?;
            Ok(Page::from_rows(items, &page, |m| m.id.to_string()))
        })
        .await
    }

    async fn get_portal_comment(
        &self,
        ws: WorkspaceId,
        id: CommentId,
    ) -> StoreResult<PortalComment> {
        self.read(move |c| comment_in_tx(c, ws, id)).await
    }

    async fn set_comment_hidden(
        &self,
        ws: WorkspaceId,
        id: CommentId,
        hidden: bool,
        by: MemberId,
        now: Timestamp,
    ) -> StoreResult<PortalComment> {
        self.write(move |c| {
            let current = comment_in_tx(c, ws, id)?;
            if current.hidden != hidden {
                db::exec(
                    c,
                    "UPDATE portal_comments SET hidden = ?, hidden_by = ?, updated_at = ? WHERE id = ?",
                    params![i64::from(hidden), hidden.then_some(by.0), us(now), id.0],
                )?;
                db::exec(
                    c,
                    "UPDATE ideas SET portal_comment_count = portal_comment_count + ? WHERE id = ?",
                    params![if hidden { -1i64 } else { 1 }, current.idea_id.0],
                )?;
            }
            comment_in_tx(c, ws, id)
        })
        .await
    }

    async fn queue_outbox(&self, messages: Vec<NewOutbox>) -> StoreResult<()> {
        if messages.is_empty() {
            return Ok(());
        }
        self.write(move |c| {
            for m in &messages {
                insert_outbox(c, m)?;
            }
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
        let mut q = Sql::new(format!("SELECT {OUTBOX_COLS} FROM outbox"));
        q.push(" WHERE workspace_id = ").push_bind(ws.0);
        if let Some(a) = after {
            q.push(" AND id < ").push_bind(a);
        }
        q.push(" ORDER BY id DESC LIMIT ")
            .push_bind(page.fetch_limit());
        let page = page.clone();
        self.read(move |c| {
            let items = q.all(c, outbox)?;
            Ok(Page::from_rows(items, &page, |m| m.id.to_string()))
        })
        .await
    }

    async fn claim_outbox(
        &self,
        now: Timestamp,
        stale_before: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<OutboxMessage>> {
        // The claimed rows are decoded after the commit, as before the move to rusqlite: a row
        // that does not decode stays claimed and is not claimed again at once.
        let rows = self
            .write(move |c| {
                db::all(
                    c,
                    &format!(
                        "UPDATE outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1 \
                         WHERE id IN (SELECT id FROM outbox WHERE (status = 'queued' AND next_attempt_at <= ?) \
                           OR (status = 'sending' AND claimed_at < ?) ORDER BY next_attempt_at, id LIMIT ?) \
                         RETURNING {OUTBOX_COLS}"
                    ),
                    params![us(now), us(now), us(stale_before), limit],
                    |r| Ok(outbox(r)),
                )
            })
            .await?;
        let mut out = rows.into_iter().collect::<StoreResult<Vec<_>>>()?;
        out.sort_by_key(|m| (m.next_attempt_at, m.id));
        Ok(out)
    }

    async fn outbox_sent(&self, id: OutboxId, now: Timestamp) -> StoreResult<()> {
        self.write(move |c| {
            let row = db::opt(
                c,
                "SELECT kind, payload FROM outbox WHERE id = ?",
                params![id.0],
                |r| Ok((get::<String>(r, "kind")?, get::<String>(r, "payload")?)),
            )?;
            let (kind, payload) = row.ok_or(StoreError::NotFound)?;
            let payload: serde_json::Value =
                serde_json::from_str(&payload).map_err(|e| StoreError::Other(e.to_string()))?;
            let payload = if kind == OutboxKind::SignInCode.as_str() {
                without_code(&payload)
            } else {
                payload
            };
            db::exec(
                c,
                "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL, payload = ? \
                 WHERE id = ?",
                params![us(now), payload.to_string(), id.0],
            )?;
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
        let error: String = error.chars().take(500).collect();
        let (status, next) = match retry_at {
            Some(t) => (OutboxStatus::Queued, t),
            None => (OutboxStatus::Failed, now),
        };
        self.write(move |c| {
            db::exec(
                c,
                "UPDATE outbox SET status = ?, last_error = ?, next_attempt_at = ?, claimed_at = NULL \
                 WHERE id = ?",
                params![status.as_str(), error, us(next), id.0],
            )?;
            Ok(())
        })
        .await
    }
}

// --- moving data ------------------------------------------------------------------------------

/// Reads the portal tables into the dump, inside the dump's read transaction.
pub(crate) fn dump(c: &Connection, d: &mut PortalDump) -> StoreResult<()> {
    d.portals.extend(db::all(
        c,
        &format!("SELECT {PORTAL_COLS} FROM portals ORDER BY product_id"),
        [],
        portal,
    )?);
    d.portal_ideas.extend(db::all(
        c,
        &format!(
            "{PORTAL_IDEA_SELECT} WHERE i.portal_state <> 'private' OR i.portal_title <> '' \
             OR i.portal_description <> '' OR i.portal_published_at IS NOT NULL \
             OR i.portal_submitted_by IS NOT NULL OR i.portal_comment_count <> 0 \
             OR i.portal_trend <> ? OR i.portal_version <> 1 ORDER BY i.id"
        ),
        params![TREND_NONE],
        portal_idea,
    )?);
    d.portal_users.extend(db::all(
        c,
        &format!("SELECT {USER_COLS} FROM portal_users ORDER BY id"),
        [],
        user,
    )?);
    d.portal_votes.extend(db::all(
        c,
        "SELECT idea_id, portal_user_id, workspace_id, created_at FROM portal_votes \
         ORDER BY idea_id, portal_user_id",
        [],
        |r| {
            Ok(PortalVote {
                idea_id: IdeaId(get(r, "idea_id")?),
                portal_user_id: PortalUserId(get(r, "portal_user_id")?),
                workspace_id: WorkspaceId(get(r, "workspace_id")?),
                created_at: ts(get(r, "created_at")?)?,
            })
        },
    )?);
    d.portal_subscriptions.extend(db::all(
        c,
        "SELECT idea_id, portal_user_id, workspace_id, created_at FROM portal_subscriptions \
         ORDER BY idea_id, portal_user_id",
        [],
        |r| {
            Ok(PortalSubscription {
                idea_id: IdeaId(get(r, "idea_id")?),
                portal_user_id: PortalUserId(get(r, "portal_user_id")?),
                workspace_id: WorkspaceId(get(r, "workspace_id")?),
                created_at: ts(get(r, "created_at")?)?,
            })
        },
    )?);
    d.portal_comments.extend(db::all(
        c,
        &format!("{COMMENT_SELECT} ORDER BY c.id"),
        [],
        comment,
    )?);
    d.outbox.extend(db::all(
        c,
        &format!("SELECT {OUTBOX_COLS} FROM outbox ORDER BY id"),
        [],
        outbox,
    )?);
    Ok(())
}

/// Writes the portal tables of a dump, after the discovery tables (ideas must exist).
pub(crate) fn load(c: &Connection, d: &PortalDump) -> StoreResult<()> {
    for p in &d.portals {
        db::exec(
            c,
            &format!("INSERT INTO portals ({PORTAL_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
            params![
                p.product_id.0,
                p.workspace_id.0,
                i64::from(p.enabled),
                &p.title,
                &p.intro,
                us(p.created_at),
                us(p.updated_at),
                p.version
            ],
        )?;
    }
    for u in &d.portal_users {
        db::exec(
            c,
            &format!("INSERT INTO portal_users ({USER_COLS}) VALUES (?, ?, ?, ?, ?)"),
            params![
                u.id.0,
                u.workspace_id.0,
                &u.email,
                &u.display_name,
                us(u.created_at)
            ],
        )?;
    }
    for i in &d.portal_ideas {
        // The vote count is the idea's own, loaded with the ideas.
        db::exec(
            c,
            "UPDATE ideas SET portal_state = ?, portal_title = ?, portal_description = ?, \
             portal_comment_count = ?, portal_trend = ?, portal_published_at = ?, \
             portal_submitted_by = ?, portal_version = ? WHERE id = ?",
            params![
                i.state.as_str(),
                &i.title,
                &i.description,
                i.comment_count,
                i.trend,
                i.published_at.map(us),
                i.submitted_by.map(|u| u.0),
                i.portal_version,
                i.idea_id.0
            ],
        )?;
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
            db::exec(
                c,
                &format!(
                    "INSERT INTO {table} (idea_id, portal_user_id, workspace_id, created_at) \
                     VALUES (?, ?, ?, ?)"
                ),
                params![idea.0, u.0, ws.0, us(*at)],
            )?;
        }
    }
    for m in &d.portal_comments {
        db::exec(
            c,
            "INSERT INTO portal_comments (id, workspace_id, product_id, idea_id, portal_user_id, \
             member_id, body, hidden, hidden_by, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                m.id.0,
                m.workspace_id.0,
                m.product_id.0,
                m.idea_id.0,
                m.portal_user_id.map(|u| u.0),
                m.member_id.map(|m| m.0),
                &m.body,
                i64::from(m.hidden),
                m.hidden_by.map(|m| m.0),
                us(m.created_at),
                us(m.updated_at)
            ],
        )?;
    }
    for m in &d.outbox {
        db::exec(
            c,
            &format!(
                "INSERT INTO outbox ({OUTBOX_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            params![
                m.id.0,
                m.workspace_id.0,
                m.kind.as_str(),
                &m.to_email,
                m.locale.as_str(),
                m.payload.to_string(),
                m.status.as_str(),
                m.attempts,
                &m.last_error,
                us(m.created_at),
                us(m.next_attempt_at),
                m.sent_at.map(us)
            ],
        )?;
    }
    Ok(())
}
