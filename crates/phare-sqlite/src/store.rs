//! `impl Store for SqliteStore`. Multi-row changes run in `BEGIN IMMEDIATE` transactions;
//! versioned updates read the row, check the version and write it back inside one transaction.

use crate::db::{self, map_err, Sql};
use crate::rows::{self, us};
use crate::{SqliteStore, MIGRATOR};
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use rusqlite::{params, Connection};

const MEMBER_COLS: &str = "id, workspace_id, email, name, role, job_title, time_zone, work_start, \
     work_end, locale, disabled, created_at, updated_at, version";
pub(crate) const MEMBER_COLS_M: &str = "m.id, m.workspace_id, m.email, m.name, m.role, m.job_title, \
     m.time_zone, m.work_start, m.work_end, m.locale, m.disabled, m.created_at, m.updated_at, m.version";
const TOKEN_COLS_T: &str = "t.id AS t_id, t.member_id AS t_member_id, t.name AS t_name, \
     t.scopes AS t_scopes, t.created_at AS t_created_at, t.expires_at AS t_expires_at, \
     t.last_used_at AS t_last_used_at, t.revoked_at AS t_revoked_at";
const INVITATION_COLS: &str = "id, workspace_id, email, role, invited_by, created_at, expires_at, \
     accepted_at, revoked_at";
const LINE_COLS: &str = "id, workspace_id, name, description, created_at, updated_at, version";
const PRODUCT_COLS: &str = "id, workspace_id, product_line_id, name, key, description, pm_model, \
     archived, created_at, updated_at, version";
const AUDIT_COLS: &str = "id, workspace_id, at, actor_id, actor_label, action, target_kind, \
     target_id, outcome, request_id, source_ip, detail";

fn member_in_tx(c: &Connection, ws: WorkspaceId, id: MemberId) -> StoreResult<Member> {
    db::one(
        c,
        &format!("SELECT {MEMBER_COLS} FROM members WHERE id = ? AND workspace_id = ?"),
        params![id.0, ws.0],
        rows::member,
    )
}

fn insert_member(c: &Connection, m: &NewMember) -> StoreResult<()> {
    db::exec(
        c,
        "INSERT INTO members (id, workspace_id, email, name, role, job_title, time_zone, locale, \
         password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params![
            m.id.0,
            m.workspace_id.0,
            m.email,
            m.name,
            m.role.as_str(),
            m.job_title.map(JobTitle::as_str),
            m.time_zone,
            m.locale.map(Locale::as_str),
            m.password_hash,
            us(m.now),
            us(m.now),
        ],
    )?;
    Ok(())
}

fn insert_workspace(c: &Connection, w: &NewWorkspace) -> StoreResult<()> {
    db::exec(
        c,
        "INSERT INTO workspaces (id, slug, name, default_locale, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
        params![
            w.id.0,
            w.slug,
            w.name,
            w.default_locale.as_str(),
            us(w.now),
            us(w.now),
        ],
    )?;
    Ok(())
}

/// A product line of this workspace must exist; `NotFound` otherwise.
fn check_line(c: &Connection, ws: WorkspaceId, line: Option<ProductLineId>) -> StoreResult<()> {
    if let Some(line) = line {
        let found = db::opt(
            c,
            "SELECT 1 FROM product_lines WHERE id = ? AND workspace_id = ?",
            params![line.0, ws.0],
            |_| Ok(()),
        )?;
        if found.is_none() {
            return Err(StoreError::NotFound);
        }
    }
    Ok(())
}

fn check_version(current: i64, expected: i64) -> StoreResult<()> {
    if current == expected {
        Ok(())
    } else {
        Err(StoreError::VersionConflict)
    }
}

// Read-backs shared by the getters and by the writes that return what they stored (run inside
// the write's transaction, on the writer connection).

fn workspace_in_tx(c: &Connection, id: WorkspaceId) -> StoreResult<Workspace> {
    db::one(
        c,
        "SELECT id, slug, name, default_locale, created_at, updated_at, version \
         FROM workspaces WHERE id = ?",
        params![id.0],
        rows::workspace,
    )
}

fn token_in_tx(c: &Connection, id: TokenId) -> StoreResult<ApiToken> {
    db::one(
        c,
        &format!("SELECT {TOKEN_COLS_T} FROM api_tokens t WHERE t.id = ?"),
        params![id.0],
        rows::token,
    )
}

fn invitation_in_tx(c: &Connection, id: InvitationId) -> StoreResult<Invitation> {
    db::one(
        c,
        &format!("SELECT {INVITATION_COLS} FROM invitations WHERE id = ?"),
        params![id.0],
        rows::invitation,
    )
}

fn line_in_tx(c: &Connection, ws: WorkspaceId, id: ProductLineId) -> StoreResult<ProductLine> {
    db::one(
        c,
        &format!("SELECT {LINE_COLS} FROM product_lines WHERE id = ? AND workspace_id = ?"),
        params![id.0, ws.0],
        rows::product_line,
    )
}

fn product_in_tx(c: &Connection, ws: WorkspaceId, id: ProductId) -> StoreResult<Product> {
    db::one(
        c,
        &format!("SELECT {PRODUCT_COLS} FROM products WHERE id = ? AND workspace_id = ?"),
        params![id.0, ws.0],
        rows::product,
    )
}

fn raci_in_tx(c: &Connection, ws: WorkspaceId, product: ProductId) -> StoreResult<Vec<RaciEntry>> {
    db::all(
        c,
        "SELECT r.product_id, r.member_id, m.name AS member_name, r.raci FROM raci_assignments r \
         JOIN products p ON p.id = r.product_id JOIN members m ON m.id = r.member_id \
         WHERE r.product_id = ? AND p.workspace_id = ? ORDER BY m.name, r.raci",
        params![product.0, ws.0],
        rows::raci,
    )
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        self.read(|c| {
            c.prepare_cached("SELECT 1")
                .and_then(|mut st| st.query_row([], |_| Ok(())))
                .map_err(db::unavailable)
        })
        .await
    }

    async fn schema_is_current(&self) -> StoreResult<bool> {
        let known: Vec<i64> = MIGRATOR
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .map(|m| m.version)
            .collect();
        let applied = self
            .read(|c| {
                let mut st = match c.prepare_cached(
                    "SELECT version FROM _sqlx_migrations WHERE success = 1 ORDER BY version",
                ) {
                    Ok(st) => st,
                    // Never migrated: the table does not exist yet.
                    Err(rusqlite::Error::SqliteFailure(_, Some(msg)))
                        if msg.contains("no such table") =>
                    {
                        return Ok(None)
                    }
                    Err(e) => return Err(db::unavailable(e)),
                };
                let versions = st
                    .query_map([], |r| r.get::<_, i64>("version"))
                    .and_then(|rows| rows.collect::<Result<Vec<i64>, _>>())
                    .map_err(db::unavailable)?;
                Ok(Some(versions))
            })
            .await?;
        Ok(applied.is_some_and(|v| v == known))
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn is_set_up(&self) -> StoreResult<bool> {
        let n: i64 = self
            .read(|c| {
                db::one(c, "SELECT EXISTS (SELECT 1 FROM workspaces)", [], |r| {
                    r.get(0).map_err(map_err)
                })
            })
            .await?;
        Ok(n != 0)
    }

    async fn create_setup_token(&self, token_hash: &str, expires_at: Timestamp) -> StoreResult<()> {
        let token_hash = token_hash.to_owned();
        self.write(move |c| {
            db::exec(
                c,
                "INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)",
                params![token_hash, us(expires_at)],
            )?;
            Ok(())
        })
        .await
    }

    async fn setup_token_is_valid(&self, token_hash: &str, now: Timestamp) -> StoreResult<bool> {
        let token_hash = token_hash.to_owned();
        let row = self
            .read(move |c| {
                db::opt(
                    c,
                    "SELECT 1 FROM setup_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
                    params![token_hash, us(now)],
                    |_| Ok(()),
                )
            })
            .await?;
        Ok(row.is_some())
    }

    async fn complete_setup(
        &self,
        token_hash: &str,
        now: Timestamp,
        workspace: NewWorkspace,
        admin: NewMember,
    ) -> StoreResult<()> {
        let token_hash = token_hash.to_owned();
        self.write(move |c| {
            let used = db::exec(
                c,
                "UPDATE setup_tokens SET used_at = ? \
                 WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
                params![us(now), token_hash, us(now)],
            )?;
            if used != 1 {
                return Err(StoreError::NotFound);
            }
            insert_workspace(c, &workspace)?;
            insert_member(c, &admin)?;
            Ok(())
        })
        .await
    }

    async fn create_workspace(&self, w: NewWorkspace) -> StoreResult<Workspace> {
        self.write(move |c| {
            insert_workspace(c, &w)?;
            workspace_in_tx(c, w.id)
        })
        .await
    }

    async fn get_workspace(&self, id: WorkspaceId) -> StoreResult<Workspace> {
        self.read_now(move |c| workspace_in_tx(c, id)).await
    }

    async fn list_workspaces(&self) -> StoreResult<Vec<Workspace>> {
        self.read(|c| {
            db::all(
                c,
                "SELECT id, slug, name, default_locale, created_at, updated_at, version \
                 FROM workspaces ORDER BY slug",
                [],
                rows::workspace,
            )
        })
        .await
    }

    async fn update_workspace(
        &self,
        id: WorkspaceId,
        expected_version: i64,
        patch: WorkspacePatch,
    ) -> StoreResult<Workspace> {
        self.write(move |c| {
            let current = db::one(
                c,
                "SELECT id, slug, name, default_locale, created_at, updated_at, version FROM workspaces WHERE id = ?",
                params![id.0],
                rows::workspace,
            )?;
            check_version(current.version, expected_version)?;
            db::exec(
                c,
                "UPDATE workspaces SET name = ?, default_locale = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                params![
                    patch.name.unwrap_or(current.name),
                    patch.default_locale.unwrap_or(current.default_locale).as_str(),
                    us(patch.now.unwrap_or_else(now)),
                    id.0,
                ],
            )?;
            workspace_in_tx(c, id)
        })
        .await
    }

    async fn create_member(&self, m: NewMember) -> StoreResult<Member> {
        self.write(move |c| {
            insert_member(c, &m)?;
            member_in_tx(c, m.workspace_id, m.id)
        })
        .await
    }

    async fn get_member(&self, ws: WorkspaceId, id: MemberId) -> StoreResult<Member> {
        self.read_now(move |c| member_in_tx(c, ws, id)).await
    }

    async fn find_credentials(&self, email: &str) -> StoreResult<Option<(Member, Option<String>)>> {
        let email = email.to_owned();
        self.read(move |c| {
            db::opt(
                c,
                &format!("SELECT {MEMBER_COLS}, password_hash FROM members WHERE email = ?"),
                params![email],
                |r| {
                    let hash: Option<String> = rows::get(r, "password_hash")?;
                    Ok((rows::member(r)?, hash))
                },
            )
        })
        .await
    }

    async fn list_members(&self, ws: WorkspaceId, page: &PageRequest) -> StoreResult<Page<Member>> {
        let after = page.after.as_ref().map(|c| c.0.clone()).unwrap_or_default();
        let limit = page.fetch_limit();
        let items = self
            .read(move |c| {
                db::all(
                    c,
                    &format!(
                        "SELECT {MEMBER_COLS} FROM members WHERE workspace_id = ? AND email > ? ORDER BY email LIMIT ?"
                    ),
                    params![ws.0, after, limit],
                    rows::member,
                )
            })
            .await?;
        Ok(Page::from_rows(items, page, |m| m.email.clone()))
    }

    async fn update_member(
        &self,
        ws: WorkspaceId,
        id: MemberId,
        expected_version: i64,
        p: MemberPatch,
    ) -> StoreResult<Member> {
        self.write(move |c| {
            let cur = member_in_tx(c, ws, id)?;
            check_version(cur.version, expected_version)?;
            let disabled = p.disabled.unwrap_or(cur.disabled);
            let t = p.now.unwrap_or_else(now);
            db::exec(
                c,
                "UPDATE members SET name = ?, role = ?, job_title = ?, time_zone = ?, work_start = ?, \
                 work_end = ?, locale = ?, disabled = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                params![
                    p.name.unwrap_or(cur.name),
                    p.role.unwrap_or(cur.role).as_str(),
                    p.job_title.unwrap_or(cur.job_title).map(JobTitle::as_str),
                    p.time_zone.unwrap_or(cur.time_zone),
                    p.work_start.unwrap_or(cur.work_start),
                    p.work_end.unwrap_or(cur.work_end),
                    p.locale.unwrap_or(cur.locale).map(Locale::as_str),
                    i64::from(disabled),
                    us(t),
                    id.0,
                ],
            )?;
            if disabled && !cur.disabled {
                db::exec(c, "DELETE FROM sessions WHERE member_id = ?", params![id.0])?;
                db::exec(
                    c,
                    "UPDATE api_tokens SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL",
                    params![us(t), id.0],
                )?;
            }
            member_in_tx(c, ws, id)
        })
        .await
    }

    async fn set_password(
        &self,
        id: MemberId,
        password_hash: &str,
        keep_session: Option<&str>,
        now: Timestamp,
    ) -> StoreResult<()> {
        let password_hash = password_hash.to_owned();
        let keep_session = keep_session.map(str::to_owned);
        self.write(move |c| {
            let r = db::exec(
                c,
                "UPDATE members SET password_hash = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                params![password_hash, us(now), id.0],
            )?;
            if r != 1 {
                return Err(StoreError::NotFound);
            }
            db::exec(
                c,
                "DELETE FROM sessions WHERE member_id = ? AND id_hash <> ?",
                params![id.0, keep_session.as_deref().unwrap_or("")],
            )?;
            Ok(())
        })
        .await
    }

    async fn create_session(&self, s: NewSession) -> StoreResult<()> {
        self.write(move |c| {
            db::exec(
                c,
                "INSERT INTO sessions (id_hash, member_id, created_at, last_seen_at, expires_at) \
                 VALUES (?, ?, ?, ?, ?)",
                params![
                    s.id_hash,
                    s.member_id.0,
                    us(s.now),
                    us(s.now),
                    us(s.expires_at),
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn get_session(&self, id_hash: &str) -> StoreResult<Option<(Session, Member)>> {
        let id_hash = id_hash.to_owned();
        self.read_now(move |c| {
            db::opt(
                c,
                &format!(
                    "SELECT s.member_id AS s_member_id, s.created_at AS s_created_at, \
                     s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, {MEMBER_COLS_M} \
                     FROM sessions s JOIN members m ON m.id = s.member_id WHERE s.id_hash = ?"
                ),
                params![id_hash],
                |r| Ok((rows::session(r)?, rows::member(r)?)),
            )
        })
        .await
    }

    async fn touch_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        let id_hash = id_hash.to_owned();
        self.write(move |c| {
            db::exec(
                c,
                "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?",
                params![us(now), id_hash],
            )?;
            Ok(())
        })
        .await
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        let id_hash = id_hash.to_owned();
        self.write(move |c| {
            db::exec(
                c,
                "DELETE FROM sessions WHERE id_hash = ?",
                params![id_hash],
            )?;
            Ok(())
        })
        .await
    }

    async fn purge_sessions(&self, now: Timestamp, idle_before: Timestamp) -> StoreResult<u64> {
        let n = self
            .write(move |c| {
                db::exec(
                    c,
                    "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?",
                    params![us(now), us(idle_before)],
                )
            })
            .await?;
        Ok(n as u64)
    }

    async fn create_token(&self, t: NewToken) -> StoreResult<ApiToken> {
        self.write(move |c| {
            db::exec(
                c,
                "INSERT INTO api_tokens (id, member_id, name, token_hash, scopes, created_at, expires_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
                params![
                    t.id.0,
                    t.member_id.0,
                    t.name,
                    t.token_hash,
                    rows::scopes_to_text(&t.scopes),
                    us(t.now),
                    t.expires_at.map(us),
                ],
            )?;
            token_in_tx(c, t.id)
        })
        .await
    }

    async fn get_token_by_hash(&self, token_hash: &str) -> StoreResult<Option<(ApiToken, Member)>> {
        let token_hash = token_hash.to_owned();
        self.read_now(move |c| {
            db::opt(
                c,
                &format!(
                    "SELECT {TOKEN_COLS_T}, {MEMBER_COLS_M} FROM api_tokens t \
                     JOIN members m ON m.id = t.member_id WHERE t.token_hash = ?"
                ),
                params![token_hash],
                |r| Ok((rows::token(r)?, rows::member(r)?)),
            )
        })
        .await
    }

    async fn list_tokens(&self, member: MemberId) -> StoreResult<Vec<ApiToken>> {
        self.read(move |c| {
            db::all(
                c,
                &format!(
                    "SELECT {TOKEN_COLS_T} FROM api_tokens t WHERE t.member_id = ? ORDER BY t.id DESC"
                ),
                params![member.0],
                rows::token,
            )
        })
        .await
    }

    async fn revoke_token(
        &self,
        member: MemberId,
        id: TokenId,
        now: Timestamp,
    ) -> StoreResult<ApiToken> {
        self.write(move |c| {
            let r = db::exec(
                c,
                "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND member_id = ?",
                params![us(now), id.0, member.0],
            )?;
            if r != 1 {
                return Err(StoreError::NotFound);
            }
            token_in_tx(c, id)
        })
        .await
    }

    async fn mark_token_used(&self, id: TokenId, now: Timestamp) -> StoreResult<()> {
        self.write(move |c| {
            db::exec(
                c,
                "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                params![us(now), id.0],
            )?;
            Ok(())
        })
        .await
    }

    async fn create_invitation(&self, i: NewInvitation) -> StoreResult<Invitation> {
        self.write(move |c| {
            db::exec(
                c,
                "INSERT INTO invitations (id, workspace_id, email, role, invited_by, token_hash, \
                 created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                params![
                    i.id.0,
                    i.workspace_id.0,
                    i.email,
                    i.role.as_str(),
                    i.invited_by.0,
                    i.token_hash,
                    us(i.now),
                    us(i.expires_at),
                ],
            )?;
            invitation_in_tx(c, i.id)
        })
        .await
    }

    async fn list_invitations(&self, ws: WorkspaceId) -> StoreResult<Vec<Invitation>> {
        self.read(move |c| {
            db::all(
                c,
                &format!(
                    "SELECT {INVITATION_COLS} FROM invitations WHERE workspace_id = ? \
                     AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY id DESC LIMIT 500"
                ),
                params![ws.0],
                rows::invitation,
            )
        })
        .await
    }

    async fn get_invitation_by_hash(&self, token_hash: &str) -> StoreResult<Option<Invitation>> {
        let token_hash = token_hash.to_owned();
        self.read(move |c| {
            db::opt(
                c,
                &format!("SELECT {INVITATION_COLS} FROM invitations WHERE token_hash = ?"),
                params![token_hash],
                rows::invitation,
            )
        })
        .await
    }

    async fn accept_invitation(
        &self,
        token_hash: &str,
        now: Timestamp,
        m: NewMember,
    ) -> StoreResult<Member> {
        let token_hash = token_hash.to_owned();
        self.write(move |c| {
            let r = db::exec(
                c,
                "UPDATE invitations SET accepted_at = ? WHERE token_hash = ? AND accepted_at IS NULL \
                 AND revoked_at IS NULL AND expires_at > ? AND workspace_id = ?",
                params![us(now), token_hash, us(now), m.workspace_id.0],
            )?;
            if r != 1 {
                return Err(StoreError::NotFound);
            }
            insert_member(c, &m)?;
            member_in_tx(c, m.workspace_id, m.id)
        })
        .await
    }

    async fn revoke_invitation(
        &self,
        ws: WorkspaceId,
        id: InvitationId,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.write(move |c| {
            let r = db::exec(
                c,
                "UPDATE invitations SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND workspace_id = ?",
                params![us(now), id.0, ws.0],
            )?;
            if r != 1 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    async fn create_product_line(&self, l: NewProductLine) -> StoreResult<ProductLine> {
        self.write(move |c| {
            db::exec(
                c,
                "INSERT INTO product_lines (id, workspace_id, name, description, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?)",
                params![
                    l.id.0,
                    l.workspace_id.0,
                    l.name,
                    l.description,
                    us(l.now),
                    us(l.now),
                ],
            )?;
            line_in_tx(c, l.workspace_id, l.id)
        })
        .await
    }

    async fn get_product_line(
        &self,
        ws: WorkspaceId,
        id: ProductLineId,
    ) -> StoreResult<ProductLine> {
        self.read_now(move |c| line_in_tx(c, ws, id)).await
    }

    async fn list_product_lines(
        &self,
        ws: WorkspaceId,
        page: &PageRequest,
    ) -> StoreResult<Page<ProductLine>> {
        let after = page.after.as_ref().map(|c| c.0.clone()).unwrap_or_default();
        let limit = page.fetch_limit();
        let items = self
            .read(move |c| {
                db::all(
                    c,
                    &format!(
                        "SELECT {LINE_COLS} FROM product_lines WHERE workspace_id = ? AND name > ? ORDER BY name LIMIT ?"
                    ),
                    params![ws.0, after, limit],
                    rows::product_line,
                )
            })
            .await?;
        Ok(Page::from_rows(items, page, |l| l.name.clone()))
    }

    async fn update_product_line(
        &self,
        ws: WorkspaceId,
        id: ProductLineId,
        expected_version: i64,
        p: ProductLinePatch,
    ) -> StoreResult<ProductLine> {
        self.write(move |c| {
            let cur = line_in_tx(c, ws, id)?;
            check_version(cur.version, expected_version)?;
            db::exec(
                c,
                "UPDATE product_lines SET name = ?, description = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                params![
                    p.name.unwrap_or(cur.name),
                    p.description.unwrap_or(cur.description),
                    us(p.now.unwrap_or_else(now)),
                    id.0,
                ],
            )?;
            line_in_tx(c, ws, id)
        })
        .await
    }

    async fn delete_product_line(
        &self,
        ws: WorkspaceId,
        id: ProductLineId,
        expected_version: i64,
    ) -> StoreResult<()> {
        self.write(move |c| {
            let version: i64 = db::one(
                c,
                "SELECT version FROM product_lines WHERE id = ? AND workspace_id = ?",
                params![id.0, ws.0],
                |r| rows::get(r, "version"),
            )?;
            check_version(version, expected_version)?;
            db::exec(c, "DELETE FROM product_lines WHERE id = ?", params![id.0])?;
            Ok(())
        })
        .await
    }

    async fn create_product(&self, p: NewProduct) -> StoreResult<Product> {
        self.write(move |c| {
            check_line(c, p.workspace_id, p.product_line_id)?;
            db::exec(
                c,
                "INSERT INTO products (id, workspace_id, product_line_id, name, key, description, \
                 pm_model, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                params![
                    p.id.0,
                    p.workspace_id.0,
                    p.product_line_id.map(|l| l.0),
                    p.name,
                    p.key,
                    p.description,
                    p.pm_model.as_str(),
                    us(p.now),
                    us(p.now),
                ],
            )?;
            product_in_tx(c, p.workspace_id, p.id)
        })
        .await
    }

    async fn get_product(&self, ws: WorkspaceId, id: ProductId) -> StoreResult<Product> {
        self.read_now(move |c| product_in_tx(c, ws, id)).await
    }

    async fn list_products(
        &self,
        ws: WorkspaceId,
        f: &ProductFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Product>> {
        let after = page.after.as_ref().map(|c| c.0.clone()).unwrap_or_default();
        let limit = page.fetch_limit();
        let include_archived = f.include_archived;
        let line = f.product_line_id.map(|l| l.0);
        let items = self
            .read_now(move |c| {
                db::all(
                    c,
                    &format!(
                        "SELECT {PRODUCT_COLS} FROM products WHERE workspace_id = ? AND key > ? \
                         AND (? OR archived = 0) AND (? IS NULL OR product_line_id = ?) ORDER BY key LIMIT ?"
                    ),
                    params![ws.0, after, include_archived, line, line, limit],
                    rows::product,
                )
            })
            .await?;
        Ok(Page::from_rows(items, page, |p| p.key.clone()))
    }

    async fn update_product(
        &self,
        ws: WorkspaceId,
        id: ProductId,
        expected_version: i64,
        p: ProductPatch,
    ) -> StoreResult<Product> {
        self.write(move |c| {
            let cur = product_in_tx(c, ws, id)?;
            check_version(cur.version, expected_version)?;
            let line = p.product_line_id.unwrap_or(cur.product_line_id);
            check_line(c, ws, line)?;
            db::exec(
                c,
                "UPDATE products SET product_line_id = ?, name = ?, key = ?, description = ?, \
                 pm_model = ?, archived = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                params![
                    line.map(|l| l.0),
                    p.name.unwrap_or(cur.name),
                    p.key.unwrap_or(cur.key),
                    p.description.unwrap_or(cur.description),
                    p.pm_model.unwrap_or(cur.pm_model).as_str(),
                    p.archived.unwrap_or(cur.archived),
                    us(p.now.unwrap_or_else(now)),
                    id.0,
                ],
            )?;
            product_in_tx(c, ws, id)
        })
        .await
    }

    async fn get_raci(&self, ws: WorkspaceId, product: ProductId) -> StoreResult<Vec<RaciEntry>> {
        self.read(move |c| raci_in_tx(c, ws, product)).await
    }

    async fn set_raci(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        entries: &[(MemberId, Raci)],
    ) -> StoreResult<Vec<RaciEntry>> {
        let entries = entries.to_vec();
        self.write(move |c| {
            let owned = db::opt(
                c,
                "SELECT 1 FROM products WHERE id = ? AND workspace_id = ?",
                params![product.0, ws.0],
                |_| Ok(()),
            )?;
            if owned.is_none() {
                return Err(StoreError::NotFound);
            }
            db::exec(
                c,
                "DELETE FROM raci_assignments WHERE product_id = ?",
                params![product.0],
            )?;
            for (member, raci) in &entries {
                // Inserting through a SELECT on the workspace refuses members of another workspace.
                let r = db::exec(
                    c,
                    "INSERT OR IGNORE INTO raci_assignments (product_id, member_id, raci) \
                     SELECT ?, id, ? FROM members WHERE id = ? AND workspace_id = ?",
                    params![product.0, raci.as_str(), member.0, ws.0],
                )?;
                if r == 0 {
                    let exists = db::opt(
                        c,
                        "SELECT 1 FROM members WHERE id = ? AND workspace_id = ?",
                        params![member.0, ws.0],
                        |_| Ok(()),
                    )?;
                    if exists.is_none() {
                        return Err(StoreError::NotFound);
                    }
                }
            }
            raci_in_tx(c, ws, product)
        })
        .await
    }

    async fn append_audit(&self, e: AuditEvent) -> StoreResult<()> {
        self.write(move |c| insert_audit(c, &e)).await
    }

    async fn list_audit(
        &self,
        ws: WorkspaceId,
        f: &AuditFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<AuditEvent>> {
        let before: Option<uuid::Uuid> = match &page.after {
            Some(c) => Some(uuid::Uuid::parse_str(&c.0).map_err(|_| StoreError::NotFound)?),
            None => None,
        };
        // Only the filters asked for go into the statement, so the cursor is an index range on
        // audit_workspace (workspace_id, id) and a deep page does not rescan the newest events.
        let mut q = Sql::new(format!(
            "SELECT {AUDIT_COLS} FROM audit_events WHERE workspace_id = "
        ));
        q.push_bind(ws.0);
        if let Some(before) = before {
            q.push(" AND id < ").push_bind(before);
        }
        if let Some(prefix) = &f.action_prefix {
            // An exact, case-sensitive prefix (LIKE would fold ASCII case and need escaping).
            q.push(" AND substr(action, 1, length(")
                .push_bind(prefix.clone())
                .push(")) = ")
                .push_bind(prefix.clone());
        }
        if let Some(actor) = f.actor_id {
            q.push(" AND actor_id = ").push_bind(actor.0);
        }
        if let Some(outcome) = &f.outcome {
            q.push(" AND outcome = ").push_bind(outcome.clone());
        }
        if let Some(since) = f.since {
            q.push(" AND at >= ").push_bind(us(since));
        }
        if let Some(until) = f.until {
            q.push(" AND at <= ").push_bind(us(until));
        }
        q.push(" ORDER BY id DESC LIMIT ")
            .push_bind(page.fetch_limit());
        let items = self.read(move |c| q.all(c, rows::audit)).await?;
        Ok(Page::from_rows(items, page, |e| e.id.to_string()))
    }

    async fn hit_rate_limits(
        &self,
        keys: &[String],
        window_secs: i64,
        now: Timestamp,
    ) -> StoreResult<Vec<i64>> {
        let keys = keys.to_vec();
        let t = us(now);
        let window = window_secs.saturating_mul(1_000_000);
        self.write(move |c| {
            keys.iter()
                .map(|key| {
                    db::one(
                        c,
                        "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1) \
                         ON CONFLICT (key) DO UPDATE SET \
                           count = CASE WHEN rate_limits.window_start + ? <= excluded.window_start THEN 1 ELSE rate_limits.count + 1 END, \
                           window_start = CASE WHEN rate_limits.window_start + ? <= excluded.window_start THEN excluded.window_start ELSE rate_limits.window_start END \
                         RETURNING count",
                        params![key, t, window, window],
                        |r| rows::get(r, "count"),
                    )
                })
                .collect()
        })
        .await
    }

    async fn get_idempotent(
        &self,
        member: MemberId,
        key: &str,
    ) -> StoreResult<Option<IdempotentResponse>> {
        let key = key.to_owned();
        self.read_now(move |c| {
            db::opt(
                c,
                "SELECT request_hash, status, body, etag, location FROM idempotency_keys WHERE member_id = ? AND key = ?",
                params![member.0, key],
                |r| {
                    let status: i64 = rows::get(r, "status")?;
                    Ok(IdempotentResponse {
                        request_hash: rows::get(r, "request_hash")?,
                        status: u16::try_from(status).unwrap_or(500),
                        body: rows::get(r, "body")?,
                        etag: rows::get(r, "etag")?,
                        location: rows::get(r, "location")?,
                    })
                },
            )
        })
        .await
    }

    async fn put_idempotent(
        &self,
        member: MemberId,
        key: &str,
        r: &IdempotentResponse,
        now: Timestamp,
    ) -> StoreResult<()> {
        let key = key.to_owned();
        let r = r.clone();
        self.write(move |c| {
            db::exec(
                c,
                "INSERT INTO idempotency_keys (member_id, key, request_hash, status, body, etag, location, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (member_id, key) DO NOTHING",
                params![
                    member.0,
                    key,
                    r.request_hash,
                    i64::from(r.status),
                    r.body,
                    r.etag,
                    r.location,
                    us(now),
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn dump(&self) -> StoreResult<Dump> {
        let mut d = Dump {
            format: DUMP_FORMAT.into(),
            version: DUMP_VERSION,
            exported_at: Some(now()),
            ..Default::default()
        };
        self.read(move |c| {
            // One read transaction gives a consistent snapshot across tables (WAL readers see a
            // fixed point in time).
            let tx = c.unchecked_transaction().map_err(map_err)?;
            d.workspaces = db::all(
                &tx,
                "SELECT id, slug, name, default_locale, created_at, updated_at, version FROM workspaces ORDER BY id",
                [],
                rows::workspace,
            )?;
            d.members = db::all(
                &tx,
                &format!("SELECT {MEMBER_COLS}, password_hash FROM members ORDER BY id"),
                [],
                |r| {
                    Ok(MemberRecord {
                        member: rows::member(r)?,
                        password_hash: rows::get(r, "password_hash")?,
                    })
                },
            )?;
            d.product_lines = db::all(
                &tx,
                &format!("SELECT {LINE_COLS} FROM product_lines ORDER BY id"),
                [],
                rows::product_line,
            )?;
            d.products = db::all(
                &tx,
                &format!("SELECT {PRODUCT_COLS} FROM products ORDER BY id"),
                [],
                rows::product,
            )?;
            d.raci = db::all(
                &tx,
                "SELECT r.product_id, r.member_id, m.name AS member_name, r.raci FROM raci_assignments r JOIN members m ON m.id = r.member_id ORDER BY r.product_id, r.member_id, r.raci",
                [],
                rows::raci,
            )?;
            d.tokens = db::all(
                &tx,
                &format!("SELECT {TOKEN_COLS_T}, t.token_hash FROM api_tokens t ORDER BY t.id"),
                [],
                |r| {
                    Ok(TokenRecord {
                        token: rows::token(r)?,
                        token_hash: rows::get(r, "token_hash")?,
                    })
                },
            )?;
            d.invitations = db::all(
                &tx,
                &format!("SELECT {INVITATION_COLS}, token_hash FROM invitations ORDER BY id"),
                [],
                |r| {
                    Ok(InvitationRecord {
                        invitation: rows::invitation(r)?,
                        token_hash: rows::get(r, "token_hash")?,
                    })
                },
            )?;
            d.audit = db::all(
                &tx,
                &format!("SELECT {AUDIT_COLS} FROM audit_events ORDER BY id"),
                [],
                rows::audit,
            )?;
            crate::discovery::dump(&tx, &mut d.discovery)?;
            crate::portal::dump(&tx, &mut d.portal)?;
            crate::research::dump(&tx, &mut d.research)?;
            // decisions (issue #4)
            crate::decisions::dump(&tx, &mut d.decisions)?;
            // specs (issue 4)
            crate::specs::dump(&tx, &mut d.specs)?;
            // scoring slice (issue #4)
            crate::scoring::dump(&tx, &mut d.scoring)?;
            crate::stakeholders::dump(&tx, &mut d.stakeholders)?;
            tx.commit().map_err(map_err)?;
            Ok(d)
        })
        .await
    }

    async fn load(&self, d: &Dump) -> StoreResult<()> {
        // The closure runs on another thread and must own what it writes.
        let d = d.clone();
        self.write_alone(move |c| {
            let n: i64 = db::one(
                c,
                "SELECT (SELECT COUNT(*) FROM workspaces) + (SELECT COUNT(*) FROM audit_events)",
                [],
                |r| r.get(0).map_err(map_err),
            )?;
            if n > 0 {
                return Err(StoreError::NotEmpty);
            }
            for w in &d.workspaces {
                db::exec(
                    c,
                    "INSERT INTO workspaces (id, slug, name, default_locale, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    params![
                        w.id.0,
                        w.slug,
                        w.name,
                        w.default_locale.as_str(),
                        us(w.created_at),
                        us(w.updated_at),
                        w.version,
                    ],
                )?;
            }
            let sql = format!(
                "INSERT INTO members ({MEMBER_COLS}, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            );
            for r in &d.members {
                let m = &r.member;
                db::exec(
                    c,
                    &sql,
                    params![
                        m.id.0,
                        m.workspace_id.0,
                        m.email,
                        m.name,
                        m.role.as_str(),
                        m.job_title.map(JobTitle::as_str),
                        m.time_zone,
                        m.work_start,
                        m.work_end,
                        m.locale.map(Locale::as_str),
                        i64::from(m.disabled),
                        us(m.created_at),
                        us(m.updated_at),
                        m.version,
                        r.password_hash,
                    ],
                )?;
            }
            let sql = format!("INSERT INTO product_lines ({LINE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)");
            for l in &d.product_lines {
                db::exec(
                    c,
                    &sql,
                    params![
                        l.id.0,
                        l.workspace_id.0,
                        l.name,
                        l.description,
                        us(l.created_at),
                        us(l.updated_at),
                        l.version,
                    ],
                )?;
            }
            let sql = format!(
                "INSERT INTO products ({PRODUCT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            );
            for p in &d.products {
                db::exec(
                    c,
                    &sql,
                    params![
                        p.id.0,
                        p.workspace_id.0,
                        p.product_line_id.map(|l| l.0),
                        p.name,
                        p.key,
                        p.description,
                        p.pm_model.as_str(),
                        p.archived,
                        us(p.created_at),
                        us(p.updated_at),
                        p.version,
                    ],
                )?;
            }
            for r in &d.raci {
                db::exec(
                    c,
                    "INSERT INTO raci_assignments (product_id, member_id, raci) VALUES (?, ?, ?)",
                    params![r.product_id.0, r.member_id.0, r.raci.as_str()],
                )?;
            }
            for r in &d.tokens {
                let t = &r.token;
                db::exec(
                    c,
                    "INSERT INTO api_tokens (id, member_id, name, token_hash, scopes, created_at, expires_at, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    params![
                        t.id.0,
                        t.member_id.0,
                        t.name,
                        r.token_hash,
                        rows::scopes_to_text(&t.scopes),
                        us(t.created_at),
                        t.expires_at.map(us),
                        t.last_used_at.map(us),
                        t.revoked_at.map(us),
                    ],
                )?;
            }
            let sql = format!(
                "INSERT INTO invitations ({INVITATION_COLS}, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            );
            for r in &d.invitations {
                let i = &r.invitation;
                db::exec(
                    c,
                    &sql,
                    params![
                        i.id.0,
                        i.workspace_id.0,
                        i.email,
                        i.role.as_str(),
                        i.invited_by.0,
                        us(i.created_at),
                        us(i.expires_at),
                        i.accepted_at.map(us),
                        i.revoked_at.map(us),
                        r.token_hash,
                    ],
                )?;
            }
            let sql = format!(
                "INSERT INTO audit_events ({AUDIT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            );
            for e in &d.audit {
                db::exec(
                    c,
                    &sql,
                    params![
                        e.id.0,
                        e.workspace_id.map(|w| w.0),
                        us(e.at),
                        e.actor_id.map(|a| a.0),
                        e.actor_label,
                        e.action,
                        e.target_kind,
                        e.target_id,
                        e.outcome,
                        e.request_id,
                        e.source_ip,
                        e.detail.to_string(),
                    ],
                )?;
            }
            crate::discovery::load(c, &d.discovery)?;
            crate::portal::load(c, &d.portal)?;
            crate::research::load(c, &d.research)?;
            // decisions (issue #4)
            crate::decisions::load(c, &d.decisions)?;
            // specs (issue 4)
            crate::specs::load(c, &d.specs)?;
            // scoring slice (issue #4)
            crate::scoring::load(c, &d.scoring)?;
            crate::stakeholders::load(c, &d.stakeholders)?;
            Ok(())
        })
        .await
    }
}

/// Appends one audit event on the caller's connection (and so in its transaction).
pub(crate) fn insert_audit(c: &Connection, e: &AuditEvent) -> StoreResult<()> {
    db::exec(
        c,
        &format!(
            "INSERT INTO audit_events ({AUDIT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ),
        params![
            e.id.0,
            e.workspace_id.map(|w| w.0),
            us(e.at),
            e.actor_id.map(|a| a.0),
            e.actor_label,
            e.action,
            e.target_kind,
            e.target_id,
            e.outcome,
            e.request_id,
            e.source_ip,
            e.detail.to_string(),
        ],
    )?;
    Ok(())
}
