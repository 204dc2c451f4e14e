//! `impl Store for SqliteStore`. Multi-row changes run in `BEGIN IMMEDIATE` transactions;
//! versioned updates read the row, check the version and write it back inside one transaction.

use crate::rows::{self, us};
use crate::{SqliteStore, MIGRATOR};
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use sqlx::sqlite::SqliteRow;
use sqlx::{Sqlite, Transaction};

const MEMBER_COLS: &str = "id, workspace_id, email, name, role, job_title, time_zone, work_start, \
     work_end, locale, disabled, created_at, updated_at, version";
const MEMBER_COLS_M: &str = "m.id, m.workspace_id, m.email, m.name, m.role, m.job_title, \
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

pub(crate) fn unavailable(e: sqlx::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

pub(crate) fn other(e: sqlx::Error) -> StoreError {
    map_err(e)
}

/// Maps driver errors to the contract: unique violations name their field, pool and IO
/// failures are `Unavailable`, the rest is `Other`.
pub(crate) fn map_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            // "UNIQUE constraint failed: products.workspace_id, products.key" → "key"
            let msg = db.message();
            let field = msg.rsplit('.').next().unwrap_or("").trim();
            StoreError::Duplicate(match field {
                "slug" => "slug",
                "email" => "email",
                "key" => "key",
                "name" => "name",
                "token_hash" => "token",
                "name_key" => "name",
                "feedback_id" => "feedback_id",
                "external_id" => "external_id",
                _ => "value",
            })
        }
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(e.to_string())
        }
        sqlx::Error::RowNotFound => StoreError::NotFound,
        _ => StoreError::Other(e.to_string()),
    }
}

impl SqliteStore {
    /// A write transaction that takes the write lock up front.
    pub(crate) async fn write_tx(&self) -> StoreResult<Transaction<'_, Sqlite>> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(map_err)
    }

    pub(crate) async fn one<'q, T>(
        &self,
        sql: &'q str,
        bind: impl FnOnce(
            sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
        ) -> sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
        map: fn(&SqliteRow) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let row = bind(sqlx::query(sql))
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref()
            .map(map)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }
}

async fn member_in_tx(
    tx: &mut Transaction<'_, Sqlite>,
    ws: WorkspaceId,
    id: MemberId,
) -> StoreResult<Member> {
    let row = sqlx::query(&format!(
        "SELECT {MEMBER_COLS} FROM members WHERE id = ? AND workspace_id = ?"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    row.as_ref()
        .map(rows::member)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

async fn insert_member(tx: &mut Transaction<'_, Sqlite>, m: &NewMember) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO members (id, workspace_id, email, name, role, job_title, time_zone, locale, \
         password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(m.id.0)
    .bind(m.workspace_id.0)
    .bind(&m.email)
    .bind(&m.name)
    .bind(m.role.as_str())
    .bind(m.job_title.map(JobTitle::as_str))
    .bind(&m.time_zone)
    .bind(m.locale.map(Locale::as_str))
    .bind(&m.password_hash)
    .bind(us(m.now))
    .bind(us(m.now))
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

async fn insert_workspace(tx: &mut Transaction<'_, Sqlite>, w: &NewWorkspace) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO workspaces (id, slug, name, default_locale, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(w.id.0)
    .bind(&w.slug)
    .bind(&w.name)
    .bind(w.default_locale.as_str())
    .bind(us(w.now))
    .bind(us(w.now))
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

/// A product line of this workspace must exist; `NotFound` otherwise.
async fn check_line(
    tx: &mut Transaction<'_, Sqlite>,
    ws: WorkspaceId,
    line: Option<ProductLineId>,
) -> StoreResult<()> {
    if let Some(line) = line {
        let found = sqlx::query("SELECT 1 FROM product_lines WHERE id = ? AND workspace_id = ?")
            .bind(line.0)
            .bind(ws.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?;
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

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn schema_is_current(&self) -> StoreResult<bool> {
        let applied: Vec<(i64,)> = match sqlx::query_as(
            "SELECT version FROM _sqlx_migrations WHERE success = 1 ORDER BY version",
        )
        .fetch_all(&self.pool)
        .await
        {
            Ok(v) => v,
            Err(sqlx::Error::Database(_)) => return Ok(false),
            Err(e) => return Err(unavailable(e)),
        };
        let known: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
        Ok(applied.into_iter().map(|v| v.0).collect::<Vec<_>>() == known)
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn is_set_up(&self) -> StoreResult<bool> {
        let row: (i64,) = sqlx::query_as("SELECT EXISTS (SELECT 1 FROM workspaces)")
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(row.0 != 0)
    }

    async fn create_setup_token(&self, token_hash: &str, expires_at: Timestamp) -> StoreResult<()> {
        sqlx::query("INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)")
            .bind(token_hash)
            .bind(us(expires_at))
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn setup_token_is_valid(&self, token_hash: &str, now: Timestamp) -> StoreResult<bool> {
        let row = sqlx::query(
            "SELECT 1 FROM setup_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        )
        .bind(token_hash)
        .bind(us(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(row.is_some())
    }

    async fn complete_setup(
        &self,
        token_hash: &str,
        now: Timestamp,
        workspace: NewWorkspace,
        admin: NewMember,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let used = sqlx::query(
            "UPDATE setup_tokens SET used_at = ? \
             WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        )
        .bind(us(now))
        .bind(token_hash)
        .bind(us(now))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if used.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        insert_workspace(&mut tx, &workspace).await?;
        insert_member(&mut tx, &admin).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn create_workspace(&self, w: NewWorkspace) -> StoreResult<Workspace> {
        let mut tx = self.write_tx().await?;
        insert_workspace(&mut tx, &w).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_workspace(w.id).await
    }

    async fn get_workspace(&self, id: WorkspaceId) -> StoreResult<Workspace> {
        self.one(
            "SELECT id, slug, name, default_locale, created_at, updated_at, version \
             FROM workspaces WHERE id = ?",
            |q| q.bind(id.0),
            rows::workspace,
        )
        .await
    }

    async fn list_workspaces(&self) -> StoreResult<Vec<Workspace>> {
        let rows = sqlx::query(
            "SELECT id, slug, name, default_locale, created_at, updated_at, version \
             FROM workspaces ORDER BY slug",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::workspace).collect()
    }

    async fn update_workspace(
        &self,
        id: WorkspaceId,
        expected_version: i64,
        patch: WorkspacePatch,
    ) -> StoreResult<Workspace> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query("SELECT id, slug, name, default_locale, created_at, updated_at, version FROM workspaces WHERE id = ?")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        let current = row
            .as_ref()
            .map(rows::workspace)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        check_version(current.version, expected_version)?;
        sqlx::query("UPDATE workspaces SET name = ?, default_locale = ?, updated_at = ?, version = version + 1 WHERE id = ?")
            .bind(patch.name.unwrap_or(current.name))
            .bind(patch.default_locale.unwrap_or(current.default_locale).as_str())
            .bind(us(patch.now.unwrap_or_else(now)))
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        self.get_workspace(id).await
    }

    async fn create_member(&self, m: NewMember) -> StoreResult<Member> {
        let mut tx = self.write_tx().await?;
        insert_member(&mut tx, &m).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_member(m.workspace_id, m.id).await
    }

    async fn get_member(&self, ws: WorkspaceId, id: MemberId) -> StoreResult<Member> {
        self.one(
            &format!("SELECT {MEMBER_COLS} FROM members WHERE id = ? AND workspace_id = ?"),
            |q| q.bind(id.0).bind(ws.0),
            rows::member,
        )
        .await
    }

    async fn find_credentials(&self, email: &str) -> StoreResult<Option<(Member, Option<String>)>> {
        let row = sqlx::query(&format!(
            "SELECT {MEMBER_COLS}, password_hash FROM members WHERE email = ?"
        ))
        .bind(email)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        match row {
            None => Ok(None),
            Some(r) => {
                let hash: Option<String> =
                    sqlx::Row::try_get(&r, "password_hash").map_err(map_err)?;
                Ok(Some((rows::member(&r)?, hash)))
            }
        }
    }

    async fn list_members(&self, ws: WorkspaceId, page: &PageRequest) -> StoreResult<Page<Member>> {
        let after = page.after.as_ref().map(|c| c.0.clone()).unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {MEMBER_COLS} FROM members WHERE workspace_id = ? AND email > ? ORDER BY email LIMIT ?"
        ))
        .bind(ws.0)
        .bind(after)
        .bind(page.fetch_limit())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let items = rows
            .iter()
            .map(rows::member)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |m| m.email.clone()))
    }

    async fn update_member(
        &self,
        ws: WorkspaceId,
        id: MemberId,
        expected_version: i64,
        p: MemberPatch,
    ) -> StoreResult<Member> {
        let mut tx = self.write_tx().await?;
        let c = member_in_tx(&mut tx, ws, id).await?;
        check_version(c.version, expected_version)?;
        let disabled = p.disabled.unwrap_or(c.disabled);
        let t = p.now.unwrap_or_else(now);
        sqlx::query(
            "UPDATE members SET name = ?, role = ?, job_title = ?, time_zone = ?, work_start = ?, \
             work_end = ?, locale = ?, disabled = ?, updated_at = ?, version = version + 1 WHERE id = ?",
        )
        .bind(p.name.unwrap_or(c.name))
        .bind(p.role.unwrap_or(c.role).as_str())
        .bind(p.job_title.unwrap_or(c.job_title).map(JobTitle::as_str))
        .bind(p.time_zone.unwrap_or(c.time_zone))
        .bind(p.work_start.unwrap_or(c.work_start))
        .bind(p.work_end.unwrap_or(c.work_end))
        .bind(p.locale.unwrap_or(c.locale).map(Locale::as_str))
        .bind(i64::from(disabled))
        .bind(us(t))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if disabled && !c.disabled {
            sqlx::query("DELETE FROM sessions WHERE member_id = ?")
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL",
            )
            .bind(us(t))
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        let m = member_in_tx(&mut tx, ws, id).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(m)
    }

    async fn set_password(
        &self,
        id: MemberId,
        password_hash: &str,
        keep_session: Option<&str>,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let r = sqlx::query("UPDATE members SET password_hash = ?, updated_at = ?, version = version + 1 WHERE id = ?")
            .bind(password_hash)
            .bind(us(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if r.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE member_id = ? AND id_hash <> ?")
            .bind(id.0)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn create_session(&self, s: NewSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, member_id, created_at, last_seen_at, expires_at) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&s.id_hash)
        .bind(s.member_id.0)
        .bind(us(s.now))
        .bind(us(s.now))
        .bind(us(s.expires_at))
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn get_session(&self, id_hash: &str) -> StoreResult<Option<(Session, Member)>> {
        let row = sqlx::query(&format!(
            "SELECT s.member_id AS s_member_id, s.created_at AS s_created_at, \
             s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, {MEMBER_COLS_M} \
             FROM sessions s JOIN members m ON m.id = s.member_id WHERE s.id_hash = ?"
        ))
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.map(|r| Ok((rows::session(&r)?, rows::member(&r)?)))
            .transpose()
    }

    async fn touch_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?")
            .bind(us(now))
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = ?")
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn purge_sessions(&self, now: Timestamp, idle_before: Timestamp) -> StoreResult<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?")
            .bind(us(now))
            .bind(us(idle_before))
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(r.rows_affected())
    }

    async fn create_token(&self, t: NewToken) -> StoreResult<ApiToken> {
        sqlx::query(
            "INSERT INTO api_tokens (id, member_id, name, token_hash, scopes, created_at, expires_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(t.id.0)
        .bind(t.member_id.0)
        .bind(&t.name)
        .bind(&t.token_hash)
        .bind(rows::scopes_to_text(&t.scopes))
        .bind(us(t.now))
        .bind(t.expires_at.map(us))
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        self.one(
            &format!("SELECT {TOKEN_COLS_T} FROM api_tokens t WHERE t.id = ?"),
            |q| q.bind(t.id.0),
            rows::token,
        )
        .await
    }

    async fn get_token_by_hash(&self, token_hash: &str) -> StoreResult<Option<(ApiToken, Member)>> {
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLS_T}, {MEMBER_COLS_M} FROM api_tokens t \
             JOIN members m ON m.id = t.member_id WHERE t.token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.map(|r| Ok((rows::token(&r)?, rows::member(&r)?)))
            .transpose()
    }

    async fn list_tokens(&self, member: MemberId) -> StoreResult<Vec<ApiToken>> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLS_T} FROM api_tokens t WHERE t.member_id = ? ORDER BY t.id DESC"
        ))
        .bind(member.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::token).collect()
    }

    async fn revoke_token(
        &self,
        member: MemberId,
        id: TokenId,
        now: Timestamp,
    ) -> StoreResult<ApiToken> {
        let r = sqlx::query(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND member_id = ?",
        )
        .bind(us(now))
        .bind(id.0)
        .bind(member.0)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        if r.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        self.one(
            &format!("SELECT {TOKEN_COLS_T} FROM api_tokens t WHERE t.id = ?"),
            |q| q.bind(id.0),
            rows::token,
        )
        .await
    }

    async fn mark_token_used(&self, id: TokenId, now: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
            .bind(us(now))
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn create_invitation(&self, i: NewInvitation) -> StoreResult<Invitation> {
        sqlx::query(
            "INSERT INTO invitations (id, workspace_id, email, role, invited_by, token_hash, \
             created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(i.id.0)
        .bind(i.workspace_id.0)
        .bind(&i.email)
        .bind(i.role.as_str())
        .bind(i.invited_by.0)
        .bind(&i.token_hash)
        .bind(us(i.now))
        .bind(us(i.expires_at))
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        self.one(
            &format!("SELECT {INVITATION_COLS} FROM invitations WHERE id = ?"),
            |q| q.bind(i.id.0),
            rows::invitation,
        )
        .await
    }

    async fn list_invitations(&self, ws: WorkspaceId) -> StoreResult<Vec<Invitation>> {
        let rows = sqlx::query(&format!(
            "SELECT {INVITATION_COLS} FROM invitations WHERE workspace_id = ? \
             AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY id DESC LIMIT 500"
        ))
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::invitation).collect()
    }

    async fn get_invitation_by_hash(&self, token_hash: &str) -> StoreResult<Option<Invitation>> {
        let row = sqlx::query(&format!(
            "SELECT {INVITATION_COLS} FROM invitations WHERE token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(rows::invitation).transpose()
    }

    async fn accept_invitation(
        &self,
        token_hash: &str,
        now: Timestamp,
        m: NewMember,
    ) -> StoreResult<Member> {
        let mut tx = self.write_tx().await?;
        let r = sqlx::query(
            "UPDATE invitations SET accepted_at = ? WHERE token_hash = ? AND accepted_at IS NULL \
             AND revoked_at IS NULL AND expires_at > ? AND workspace_id = ?",
        )
        .bind(us(now))
        .bind(token_hash)
        .bind(us(now))
        .bind(m.workspace_id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if r.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        insert_member(&mut tx, &m).await?;
        let member = member_in_tx(&mut tx, m.workspace_id, m.id).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(member)
    }

    async fn revoke_invitation(
        &self,
        ws: WorkspaceId,
        id: InvitationId,
        now: Timestamp,
    ) -> StoreResult<()> {
        let r = sqlx::query(
            "UPDATE invitations SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND workspace_id = ?",
        )
        .bind(us(now))
        .bind(id.0)
        .bind(ws.0)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        if r.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn create_product_line(&self, l: NewProductLine) -> StoreResult<ProductLine> {
        sqlx::query(
            "INSERT INTO product_lines (id, workspace_id, name, description, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(l.id.0)
        .bind(l.workspace_id.0)
        .bind(&l.name)
        .bind(&l.description)
        .bind(us(l.now))
        .bind(us(l.now))
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        self.get_product_line(l.workspace_id, l.id).await
    }

    async fn get_product_line(
        &self,
        ws: WorkspaceId,
        id: ProductLineId,
    ) -> StoreResult<ProductLine> {
        self.one(
            &format!("SELECT {LINE_COLS} FROM product_lines WHERE id = ? AND workspace_id = ?"),
            |q| q.bind(id.0).bind(ws.0),
            rows::product_line,
        )
        .await
    }

    async fn list_product_lines(
        &self,
        ws: WorkspaceId,
        page: &PageRequest,
    ) -> StoreResult<Page<ProductLine>> {
        let after = page.after.as_ref().map(|c| c.0.clone()).unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {LINE_COLS} FROM product_lines WHERE workspace_id = ? AND name > ? ORDER BY name LIMIT ?"
        ))
        .bind(ws.0)
        .bind(after)
        .bind(page.fetch_limit())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let items = rows
            .iter()
            .map(rows::product_line)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |l| l.name.clone()))
    }

    async fn update_product_line(
        &self,
        ws: WorkspaceId,
        id: ProductLineId,
        expected_version: i64,
        p: ProductLinePatch,
    ) -> StoreResult<ProductLine> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(&format!(
            "SELECT {LINE_COLS} FROM product_lines WHERE id = ? AND workspace_id = ?"
        ))
        .bind(id.0)
        .bind(ws.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let c = row
            .as_ref()
            .map(rows::product_line)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        check_version(c.version, expected_version)?;
        sqlx::query("UPDATE product_lines SET name = ?, description = ?, updated_at = ?, version = version + 1 WHERE id = ?")
            .bind(p.name.unwrap_or(c.name))
            .bind(p.description.unwrap_or(c.description))
            .bind(us(p.now.unwrap_or_else(now)))
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        self.get_product_line(ws, id).await
    }

    async fn delete_product_line(
        &self,
        ws: WorkspaceId,
        id: ProductLineId,
        expected_version: i64,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT version FROM product_lines WHERE id = ? AND workspace_id = ?")
                .bind(id.0)
                .bind(ws.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
        let (version,) = row.ok_or(StoreError::NotFound)?;
        check_version(version, expected_version)?;
        sqlx::query("DELETE FROM product_lines WHERE id = ?")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn create_product(&self, p: NewProduct) -> StoreResult<Product> {
        let mut tx = self.write_tx().await?;
        check_line(&mut tx, p.workspace_id, p.product_line_id).await?;
        sqlx::query(
            "INSERT INTO products (id, workspace_id, product_line_id, name, key, description, \
             pm_model, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(p.id.0)
        .bind(p.workspace_id.0)
        .bind(p.product_line_id.map(|l| l.0))
        .bind(&p.name)
        .bind(&p.key)
        .bind(&p.description)
        .bind(p.pm_model.as_str())
        .bind(us(p.now))
        .bind(us(p.now))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        self.get_product(p.workspace_id, p.id).await
    }

    async fn get_product(&self, ws: WorkspaceId, id: ProductId) -> StoreResult<Product> {
        self.one(
            &format!("SELECT {PRODUCT_COLS} FROM products WHERE id = ? AND workspace_id = ?"),
            |q| q.bind(id.0).bind(ws.0),
            rows::product,
        )
        .await
    }

    async fn list_products(
        &self,
        ws: WorkspaceId,
        f: &ProductFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Product>> {
        let after = page.after.as_ref().map(|c| c.0.clone()).unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {PRODUCT_COLS} FROM products WHERE workspace_id = ? AND key > ? \
             AND (? OR archived = 0) AND (? IS NULL OR product_line_id = ?) ORDER BY key LIMIT ?"
        ))
        .bind(ws.0)
        .bind(after)
        .bind(f.include_archived)
        .bind(f.product_line_id.map(|l| l.0))
        .bind(f.product_line_id.map(|l| l.0))
        .bind(page.fetch_limit())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let items = rows
            .iter()
            .map(rows::product)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |p| p.key.clone()))
    }

    async fn update_product(
        &self,
        ws: WorkspaceId,
        id: ProductId,
        expected_version: i64,
        p: ProductPatch,
    ) -> StoreResult<Product> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(&format!(
            "SELECT {PRODUCT_COLS} FROM products WHERE id = ? AND workspace_id = ?"
        ))
        .bind(id.0)
        .bind(ws.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let c = row
            .as_ref()
            .map(rows::product)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        check_version(c.version, expected_version)?;
        let line = p.product_line_id.unwrap_or(c.product_line_id);
        check_line(&mut tx, ws, line).await?;
        sqlx::query(
            "UPDATE products SET product_line_id = ?, name = ?, key = ?, description = ?, \
             pm_model = ?, archived = ?, updated_at = ?, version = version + 1 WHERE id = ?",
        )
        .bind(line.map(|l| l.0))
        .bind(p.name.unwrap_or(c.name))
        .bind(p.key.unwrap_or(c.key))
        .bind(p.description.unwrap_or(c.description))
        .bind(p.pm_model.unwrap_or(c.pm_model).as_str())
        .bind(p.archived.unwrap_or(c.archived))
        .bind(us(p.now.unwrap_or_else(now)))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        self.get_product(ws, id).await
    }

    async fn get_raci(&self, ws: WorkspaceId, product: ProductId) -> StoreResult<Vec<RaciEntry>> {
        let rows = sqlx::query(
            "SELECT r.product_id, r.member_id, m.name AS member_name, r.raci FROM raci_assignments r \
             JOIN products p ON p.id = r.product_id JOIN members m ON m.id = r.member_id \
             WHERE r.product_id = ? AND p.workspace_id = ? ORDER BY m.name, r.raci",
        )
        .bind(product.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::raci).collect()
    }

    async fn set_raci(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        entries: &[(MemberId, Raci)],
    ) -> StoreResult<Vec<RaciEntry>> {
        let mut tx = self.write_tx().await?;
        let owned = sqlx::query("SELECT 1 FROM products WHERE id = ? AND workspace_id = ?")
            .bind(product.0)
            .bind(ws.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        if owned.is_none() {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM raci_assignments WHERE product_id = ?")
            .bind(product.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        for (member, raci) in entries {
            // Inserting through a SELECT on the workspace refuses members of another workspace.
            let r = sqlx::query(
                "INSERT OR IGNORE INTO raci_assignments (product_id, member_id, raci) \
                 SELECT ?, id, ? FROM members WHERE id = ? AND workspace_id = ?",
            )
            .bind(product.0)
            .bind(raci.as_str())
            .bind(member.0)
            .bind(ws.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            if r.rows_affected() == 0 {
                let exists = sqlx::query("SELECT 1 FROM members WHERE id = ? AND workspace_id = ?")
                    .bind(member.0)
                    .bind(ws.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if exists.is_none() {
                    return Err(StoreError::NotFound);
                }
            }
        }
        tx.commit().await.map_err(map_err)?;
        self.get_raci(ws, product).await
    }

    async fn append_audit(&self, e: AuditEvent) -> StoreResult<()> {
        sqlx::query(&format!(
            "INSERT INTO audit_events ({AUDIT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(e.id.0)
        .bind(e.workspace_id.map(|w| w.0))
        .bind(us(e.at))
        .bind(e.actor_id.map(|a| a.0))
        .bind(&e.actor_label)
        .bind(&e.action)
        .bind(&e.target_kind)
        .bind(&e.target_id)
        .bind(&e.outcome)
        .bind(&e.request_id)
        .bind(&e.source_ip)
        .bind(e.detail.to_string())
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
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
        let mut q: sqlx::QueryBuilder<Sqlite> = sqlx::QueryBuilder::new(format!(
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
        let rows = q.build().fetch_all(&self.pool).await.map_err(map_err)?;
        let items = rows
            .iter()
            .map(rows::audit)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |e| e.id.to_string()))
    }

    async fn hit_rate_limit(
        &self,
        key: &str,
        window_secs: i64,
        now: Timestamp,
    ) -> StoreResult<i64> {
        let t = us(now);
        let window = window_secs.saturating_mul(1_000_000);
        let row: (i64,) = sqlx::query_as(
            "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               count = CASE WHEN rate_limits.window_start + ? <= excluded.window_start THEN 1 ELSE rate_limits.count + 1 END, \
               window_start = CASE WHEN rate_limits.window_start + ? <= excluded.window_start THEN excluded.window_start ELSE rate_limits.window_start END \
             RETURNING count",
        )
        .bind(key)
        .bind(t)
        .bind(window)
        .bind(window)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(row.0)
    }

    async fn get_idempotent(
        &self,
        member: MemberId,
        key: &str,
    ) -> StoreResult<Option<IdempotentResponse>> {
        let row: Option<(String, i64, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT request_hash, status, body, etag, location FROM idempotency_keys WHERE member_id = ? AND key = ?",
        )
        .bind(member.0)
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(row.map(
            |(request_hash, status, body, etag, location)| IdempotentResponse {
                request_hash,
                status: u16::try_from(status).unwrap_or(500),
                body,
                etag,
                location,
            },
        ))
    }

    async fn put_idempotent(
        &self,
        member: MemberId,
        key: &str,
        r: &IdempotentResponse,
        now: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO idempotency_keys (member_id, key, request_hash, status, body, etag, location, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (member_id, key) DO NOTHING",
        )
        .bind(member.0)
        .bind(key)
        .bind(&r.request_hash)
        .bind(i64::from(r.status))
        .bind(&r.body)
        .bind(&r.etag)
        .bind(&r.location)
        .bind(us(now))
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn dump(&self) -> StoreResult<Dump> {
        // One read transaction gives a consistent snapshot across tables (WAL readers see a
        // fixed point in time).
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let mut d = Dump {
            format: DUMP_FORMAT.into(),
            version: DUMP_VERSION,
            exported_at: Some(now()),
            ..Default::default()
        };
        for r in sqlx::query("SELECT id, slug, name, default_locale, created_at, updated_at, version FROM workspaces ORDER BY id").fetch_all(&mut *tx).await.map_err(map_err)? {
            d.workspaces.push(rows::workspace(&r)?);
        }
        for r in sqlx::query(&format!(
            "SELECT {MEMBER_COLS}, password_hash FROM members ORDER BY id"
        ))
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?
        {
            let password_hash = sqlx::Row::try_get(&r, "password_hash").map_err(map_err)?;
            d.members.push(MemberRecord {
                member: rows::member(&r)?,
                password_hash,
            });
        }
        for r in sqlx::query(&format!(
            "SELECT {LINE_COLS} FROM product_lines ORDER BY id"
        ))
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?
        {
            d.product_lines.push(rows::product_line(&r)?);
        }
        for r in sqlx::query(&format!("SELECT {PRODUCT_COLS} FROM products ORDER BY id"))
            .fetch_all(&mut *tx)
            .await
            .map_err(map_err)?
        {
            d.products.push(rows::product(&r)?);
        }
        for r in sqlx::query("SELECT r.product_id, r.member_id, m.name AS member_name, r.raci FROM raci_assignments r JOIN members m ON m.id = r.member_id ORDER BY r.product_id, r.member_id, r.raci").fetch_all(&mut *tx).await.map_err(map_err)? {
            d.raci.push(rows::raci(&r)?);
        }
        for r in sqlx::query(&format!(
            "SELECT {TOKEN_COLS_T}, t.token_hash FROM api_tokens t ORDER BY t.id"
        ))
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?
        {
            let token_hash = sqlx::Row::try_get(&r, "token_hash").map_err(map_err)?;
            d.tokens.push(TokenRecord {
                token: rows::token(&r)?,
                token_hash,
            });
        }
        for r in sqlx::query(&format!(
            "SELECT {INVITATION_COLS}, token_hash FROM invitations ORDER BY id"
        ))
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?
        {
            let token_hash = sqlx::Row::try_get(&r, "token_hash").map_err(map_err)?;
            d.invitations.push(InvitationRecord {
                invitation: rows::invitation(&r)?,
                token_hash,
            });
        }
        for r in sqlx::query(&format!(
            "SELECT {AUDIT_COLS} FROM audit_events ORDER BY id"
        ))
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?
        {
            d.audit.push(rows::audit(&r)?);
        }
        crate::discovery::dump(&mut tx, &mut d.discovery).await?;
        crate::portal::dump(&mut tx, &mut d.portal).await?;
        crate::research::dump(&mut tx, &mut d.research).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(d)
    }

    async fn load(&self, d: &Dump) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let (n,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM workspaces) + (SELECT COUNT(*) FROM audit_events)",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        if n > 0 {
            return Err(StoreError::NotEmpty);
        }
        for w in &d.workspaces {
            sqlx::query("INSERT INTO workspaces (id, slug, name, default_locale, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(w.id.0).bind(&w.slug).bind(&w.name).bind(w.default_locale.as_str())
                .bind(us(w.created_at)).bind(us(w.updated_at)).bind(w.version)
                .execute(&mut *tx).await.map_err(map_err)?;
        }
        for r in &d.members {
            let m = &r.member;
            sqlx::query(&format!("INSERT INTO members ({MEMBER_COLS}, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
                .bind(m.id.0).bind(m.workspace_id.0).bind(&m.email).bind(&m.name).bind(m.role.as_str())
                .bind(m.job_title.map(JobTitle::as_str)).bind(&m.time_zone).bind(&m.work_start).bind(&m.work_end)
                .bind(m.locale.map(Locale::as_str)).bind(i64::from(m.disabled)).bind(us(m.created_at))
                .bind(us(m.updated_at)).bind(m.version).bind(&r.password_hash)
                .execute(&mut *tx).await.map_err(map_err)?;
        }
        for l in &d.product_lines {
            sqlx::query(&format!(
                "INSERT INTO product_lines ({LINE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
            ))
            .bind(l.id.0)
            .bind(l.workspace_id.0)
            .bind(&l.name)
            .bind(&l.description)
            .bind(us(l.created_at))
            .bind(us(l.updated_at))
            .bind(l.version)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        for p in &d.products {
            sqlx::query(&format!(
                "INSERT INTO products ({PRODUCT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ))
            .bind(p.id.0)
            .bind(p.workspace_id.0)
            .bind(p.product_line_id.map(|l| l.0))
            .bind(&p.name)
            .bind(&p.key)
            .bind(&p.description)
            .bind(p.pm_model.as_str())
            .bind(p.archived)
            .bind(us(p.created_at))
            .bind(us(p.updated_at))
            .bind(p.version)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        for r in &d.raci {
            sqlx::query(
                "INSERT INTO raci_assignments (product_id, member_id, raci) VALUES (?, ?, ?)",
            )
            .bind(r.product_id.0)
            .bind(r.member_id.0)
            .bind(r.raci.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        for r in &d.tokens {
            let t = &r.token;
            sqlx::query("INSERT INTO api_tokens (id, member_id, name, token_hash, scopes, created_at, expires_at, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(t.id.0).bind(t.member_id.0).bind(&t.name).bind(&r.token_hash)
                .bind(rows::scopes_to_text(&t.scopes)).bind(us(t.created_at)).bind(t.expires_at.map(us))
                .bind(t.last_used_at.map(us)).bind(t.revoked_at.map(us))
                .execute(&mut *tx).await.map_err(map_err)?;
        }
        for r in &d.invitations {
            let i = &r.invitation;
            sqlx::query(&format!("INSERT INTO invitations ({INVITATION_COLS}, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
                .bind(i.id.0).bind(i.workspace_id.0).bind(&i.email).bind(i.role.as_str()).bind(i.invited_by.0)
                .bind(us(i.created_at)).bind(us(i.expires_at)).bind(i.accepted_at.map(us)).bind(i.revoked_at.map(us))
                .bind(&r.token_hash)
                .execute(&mut *tx).await.map_err(map_err)?;
        }
        for e in &d.audit {
            sqlx::query(&format!("INSERT INTO audit_events ({AUDIT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
                .bind(e.id.0).bind(e.workspace_id.map(|w| w.0)).bind(us(e.at)).bind(e.actor_id.map(|a| a.0))
                .bind(&e.actor_label).bind(&e.action).bind(&e.target_kind).bind(&e.target_id)
                .bind(&e.outcome).bind(&e.request_id).bind(&e.source_ip).bind(e.detail.to_string())
                .execute(&mut *tx).await.map_err(map_err)?;
        }
        crate::discovery::load(&mut tx, &d.discovery).await?;
        crate::portal::load(&mut tx, &d.portal).await?;
        crate::research::load(&mut tx, &d.research).await?;
        tx.commit().await.map_err(map_err)
    }
}
