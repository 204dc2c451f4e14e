//! `impl Store for PgStore`. Every write is a unit of work run by [`retrying`]: statements that
//! must hold together share one transaction, versioned updates lock the row with
//! `SELECT … FOR UPDATE` before checking its version, and the unit is replayed from the start
//! after a serialization failure or a deadlock. Transactions run at READ COMMITTED with explicit
//! row locks, except `dump` (one REPEATABLE READ snapshot) and `load` (SERIALIZABLE, so two
//! loads into the same empty database cannot both succeed).

use crate::rows::{self, us};
use crate::{PgStore, MIGRATOR};
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use std::future::Future;
use std::time::Duration;

const WORKSPACE_COLS: &str = "id, slug, name, default_locale, created_at, updated_at, version";
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
/// RACI rows in the order SQLite's BINARY collation gives them.
const RACI_SELECT: &str = "SELECT r.product_id, r.member_id, m.name AS member_name, r.raci \
     FROM raci_assignments r JOIN products p ON p.id = r.product_id \
     JOIN members m ON m.id = r.member_id \
     WHERE r.product_id = $1 AND p.workspace_id = $2 ORDER BY m.name COLLATE \"C\", r.raci COLLATE \"C\"";

/// How many times a unit of work runs before a serialization failure or deadlock is reported.
const MAX_ATTEMPTS: u32 = 5;

/// What a unit of work can fail with: a driver error (still carrying its SQLSTATE, so the retry
/// loop can recognise 40001/40P01) or a contract error decided by the store itself.
pub(crate) enum Fail {
    Db(sqlx::Error),
    Store(StoreError),
}

impl From<sqlx::Error> for Fail {
    fn from(e: sqlx::Error) -> Self {
        Fail::Db(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Self {
        Fail::Store(e)
    }
}

impl From<Fail> for StoreError {
    fn from(f: Fail) -> Self {
        match f {
            Fail::Db(e) => map_err(e),
            Fail::Store(e) => e,
        }
    }
}

pub(crate) fn unavailable(e: sqlx::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// Serialization failure or deadlock: the server rolled the transaction back, so running the
/// whole unit again is safe. Nothing else is retried (after an IO error the outcome of a COMMIT
/// is unknown).
fn is_retryable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("40001" | "40P01")),
        _ => false,
    }
}

/// SQLSTATEs that mean "the database cannot serve us right now": connection exceptions (class
/// 08), shutdowns and start-ups (57P01-03), too many connections, a read-only standby after a
/// fail-over, and serialization failures or deadlocks that outlived every retry.
fn is_unavailable_code(code: &str) -> bool {
    code.starts_with("08")
        || matches!(
            code,
            "57P01" | "57P02" | "57P03" | "53300" | "25006" | "40001" | "40P01"
        )
}

/// The field a unique constraint protects, by constraint name (see the migration). The names
/// follow what SQLite reports for the same constraint: the last column of the key, `token` for
/// token hashes, `value` otherwise.
fn duplicate_field(constraint: Option<&str>) -> &'static str {
    match constraint.unwrap_or("") {
        "workspaces_slug_key" => "slug",
        "members_email_key" => "email",
        "products_workspace_id_key_key" | "idempotency_keys_pkey" | "rate_limits_pkey" => "key",
        "product_lines_workspace_id_name_key" => "name",
        "api_tokens_token_hash_key" | "invitations_token_hash_key" | "setup_tokens_pkey" => "token",
        // Discovery (0002): SQLite reports these by their last column, mapped the same way there.
        "customers_workspace_id_name_key_key" => "name",
        "evidence_idea_id_feedback_id_key" => "feedback_id",
        "feedback_external" | "ideas_external" => "external_id",
        // Research (0004).
        "personas_product_id_name_key"
        | "competitors_product_id_name_key"
        | "capabilities_product_id_name_key" => "name",
        // Decisions (0007).
        "notifications_member_id_dedupe_key_key" => "dedupe_key",
        // Scoring (0006).
        "backlog_views_name" => "name",
        // Stakeholder sessions (0009).
        "stakeholder_groups_name" => "name",
        _ => "value",
    }
}

/// Maps driver errors to the contract: unique violations name their field, foreign-key
/// violations are `NotFound`, connection failures are `Unavailable`, the rest is `Other`.
pub(crate) fn map_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Duplicate(duplicate_field(db.constraint()))
        }
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
        sqlx::Error::Database(db) if db.code().as_deref().is_some_and(is_unavailable_code) => {
            StoreError::Unavailable(e.to_string())
        }
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => StoreError::Unavailable(e.to_string()),
        sqlx::Error::RowNotFound => StoreError::NotFound,
        _ => StoreError::Other(e.to_string()),
    }
}

/// Runs a unit of work, and runs it again (up to [`MAX_ATTEMPTS`] in all, with a short jittered
/// backoff) when PostgreSQL aborted it for a serialization failure or a deadlock. `unit` must
/// begin and commit its own transaction, and touch nothing but the database, so that replaying
/// it is safe.
pub(crate) async fn retrying<T, F, Fut>(op: &'static str, mut unit: F) -> StoreResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Fail>>,
{
    let mut attempt = 1;
    loop {
        match unit().await {
            Err(Fail::Db(e)) if attempt < MAX_ATTEMPTS && is_retryable(&e) => {
                tracing::debug!(op, attempt, error = %e, "transaction aborted, running it again");
                tokio::time::sleep(backoff(attempt)).await;
                attempt += 1;
            }
            result => return result.map_err(StoreError::from),
        }
    }
}

/// 5, 10, 20, 40 ms, plus up to as much again of jitter so that two colliding writers part.
fn backoff(attempt: u32) -> Duration {
    let base = 5u64 << attempt.saturating_sub(1).min(6);
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or(0)
        % (base * 1000);
    Duration::from_millis(base) + Duration::from_micros(jitter)
}

/// The row mapped, or `NotFound` when there was none.
fn found<T>(row: Option<PgRow>, map: fn(&PgRow) -> StoreResult<T>) -> StoreResult<T> {
    row.as_ref()
        .map(map)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

fn check_version(current: i64, expected: i64) -> StoreResult<()> {
    if current == expected {
        Ok(())
    } else {
        Err(StoreError::VersionConflict)
    }
}

async fn insert_member(conn: &mut PgConnection, m: &NewMember) -> Result<Member, Fail> {
    let row = sqlx::query(&format!(
        "INSERT INTO members (id, workspace_id, email, name, role, job_title, time_zone, locale, \
         password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
         RETURNING {MEMBER_COLS}"
    ))
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
    .fetch_one(conn)
    .await?;
    Ok(rows::member(&row)?)
}

async fn insert_workspace(conn: &mut PgConnection, w: &NewWorkspace) -> Result<Workspace, Fail> {
    let row = sqlx::query(&format!(
        "INSERT INTO workspaces (id, slug, name, default_locale, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING {WORKSPACE_COLS}"
    ))
    .bind(w.id.0)
    .bind(&w.slug)
    .bind(&w.name)
    .bind(w.default_locale.as_str())
    .bind(us(w.now))
    .fetch_one(conn)
    .await?;
    Ok(rows::workspace(&row)?)
}

/// A product line of this workspace must exist; `NotFound` otherwise.
async fn check_line(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    line: Option<ProductLineId>,
) -> Result<(), Fail> {
    if let Some(line) = line {
        let found = sqlx::query("SELECT 1 FROM product_lines WHERE id = $1 AND workspace_id = $2")
            .bind(line.0)
            .bind(ws.0)
            .fetch_optional(conn)
            .await?;
        if found.is_none() {
            return Err(StoreError::NotFound.into());
        }
    }
    Ok(())
}

async fn raci_in(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    product: ProductId,
) -> Result<Vec<RaciEntry>, Fail> {
    let rows = sqlx::query(RACI_SELECT)
        .bind(product.0)
        .bind(ws.0)
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(rows::raci).collect::<StoreResult<_>>()?)
}

impl PgStore {
    /// One read on the pool, mapped; `NotFound` when no row matches.
    async fn one<T>(
        &self,
        query: sqlx::query::Query<'_, Postgres, sqlx::postgres::PgArguments>,
        map: fn(&PgRow) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let row = query.fetch_optional(&self.pool).await.map_err(map_err)?;
        found(row, map)
    }
}

#[async_trait]
impl Store for PgStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn schema_is_current(&self) -> StoreResult<bool> {
        let applied: Vec<(i64,)> = match sqlx::query_as(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&self.pool)
        .await
        {
            Ok(v) => v,
            // undefined_table: nothing was ever migrated here.
            Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("42P01") => {
                return Ok(false)
            }
            Err(e) => return Err(map_err(e)),
        };
        let known: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
        Ok(applied.into_iter().map(|v| v.0).collect::<Vec<_>>() == known)
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn is_set_up(&self) -> StoreResult<bool> {
        let row: (bool,) = sqlx::query_as("SELECT EXISTS (SELECT 1 FROM workspaces)")
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(row.0)
    }

    async fn create_setup_token(&self, token_hash: &str, expires_at: Timestamp) -> StoreResult<()> {
        retrying("create_setup_token", || async move {
            sqlx::query("INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, $2)")
                .bind(token_hash)
                .bind(us(expires_at))
                .execute(&self.pool)
                .await?;
            Ok(())
        })
        .await
    }

    async fn setup_token_is_valid(&self, token_hash: &str, now: Timestamp) -> StoreResult<bool> {
        let row = sqlx::query(
            "SELECT 1 FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
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
        let (workspace, admin) = (&workspace, &admin);
        retrying("complete_setup", || async move {
            let mut tx = self.pool.begin().await?;
            // A concurrent setup with the same token waits on the row lock, then finds it used.
            let used = sqlx::query(
                "UPDATE setup_tokens SET used_at = $1 \
                 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1",
            )
            .bind(us(now))
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
            if used.rows_affected() != 1 {
                return Err(StoreError::NotFound.into());
            }
            insert_workspace(&mut tx, workspace).await?;
            insert_member(&mut tx, admin).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn create_workspace(&self, w: NewWorkspace) -> StoreResult<Workspace> {
        let w = &w;
        retrying("create_workspace", || async move {
            let mut conn = self.pool.acquire().await?;
            insert_workspace(&mut conn, w).await
        })
        .await
    }

    async fn get_workspace(&self, id: WorkspaceId) -> StoreResult<Workspace> {
        self.one(
            sqlx::query(&format!(
                "SELECT {WORKSPACE_COLS} FROM workspaces WHERE id = $1"
            ))
            .bind(id.0),
            rows::workspace,
        )
        .await
    }

    async fn list_workspaces(&self) -> StoreResult<Vec<Workspace>> {
        let rows = sqlx::query(&format!(
            "SELECT {WORKSPACE_COLS} FROM workspaces ORDER BY slug"
        ))
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
        let patch = &patch;
        retrying("update_workspace", || async move {
            let mut tx = self.pool.begin().await?;
            let row = sqlx::query(&format!(
                "SELECT {WORKSPACE_COLS} FROM workspaces WHERE id = $1 FOR UPDATE"
            ))
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
            let current = found(row, rows::workspace)?;
            check_version(current.version, expected_version)?;
            let row = sqlx::query(&format!(
                "UPDATE workspaces SET name = $1, default_locale = $2, updated_at = $3, \
                 version = version + 1 WHERE id = $4 RETURNING {WORKSPACE_COLS}"
            ))
            .bind(patch.name.clone().unwrap_or(current.name))
            .bind(
                patch
                    .default_locale
                    .unwrap_or(current.default_locale)
                    .as_str(),
            )
            .bind(us(patch.now.unwrap_or_else(now)))
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
            let updated = rows::workspace(&row)?;
            tx.commit().await?;
            Ok(updated)
        })
        .await
    }

    async fn create_member(&self, m: NewMember) -> StoreResult<Member> {
        let m = &m;
        retrying("create_member", || async move {
            let mut conn = self.pool.acquire().await?;
            insert_member(&mut conn, m).await
        })
        .await
    }

    async fn get_member(&self, ws: WorkspaceId, id: MemberId) -> StoreResult<Member> {
        self.one(
            sqlx::query(&format!(
                "SELECT {MEMBER_COLS} FROM members WHERE id = $1 AND workspace_id = $2"
            ))
            .bind(id.0)
            .bind(ws.0),
            rows::member,
        )
        .await
    }

    async fn find_credentials(&self, email: &str) -> StoreResult<Option<(Member, Option<String>)>> {
        let row = sqlx::query(&format!(
            "SELECT {MEMBER_COLS}, password_hash FROM members WHERE email = $1"
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
            "SELECT {MEMBER_COLS} FROM members WHERE workspace_id = $1 AND email > $2 \
             ORDER BY email LIMIT $3"
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
        let p = &p;
        retrying("update_member", || async move {
            let mut tx = self.pool.begin().await?;
            let row = sqlx::query(&format!(
                "SELECT {MEMBER_COLS} FROM members WHERE id = $1 AND workspace_id = $2 FOR UPDATE"
            ))
            .bind(id.0)
            .bind(ws.0)
            .fetch_optional(&mut *tx)
            .await?;
            let c = found(row, rows::member)?;
            check_version(c.version, expected_version)?;
            let disabled = p.disabled.unwrap_or(c.disabled);
            let t = us(p.now.unwrap_or_else(now));
            let row = sqlx::query(&format!(
                "UPDATE members SET name = $1, role = $2, job_title = $3, time_zone = $4, \
                 work_start = $5, work_end = $6, locale = $7, disabled = $8, updated_at = $9, \
                 version = version + 1 WHERE id = $10 RETURNING {MEMBER_COLS}"
            ))
            .bind(p.name.clone().unwrap_or(c.name))
            .bind(p.role.unwrap_or(c.role).as_str())
            .bind(p.job_title.unwrap_or(c.job_title).map(JobTitle::as_str))
            .bind(p.time_zone.clone().unwrap_or(c.time_zone))
            .bind(p.work_start.clone().unwrap_or(c.work_start))
            .bind(p.work_end.clone().unwrap_or(c.work_end))
            .bind(p.locale.unwrap_or(c.locale).map(Locale::as_str))
            .bind(disabled)
            .bind(t)
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
            let updated = rows::member(&row)?;
            if disabled && !c.disabled {
                sqlx::query("DELETE FROM sessions WHERE member_id = $1")
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $1 \
                     WHERE member_id = $2 AND revoked_at IS NULL",
                )
                .bind(t)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(updated)
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
        retrying("set_password", || async move {
            let mut tx = self.pool.begin().await?;
            let r = sqlx::query(
                "UPDATE members SET password_hash = $1, updated_at = $2, version = version + 1 \
                 WHERE id = $3",
            )
            .bind(password_hash)
            .bind(us(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            if r.rows_affected() != 1 {
                return Err(StoreError::NotFound.into());
            }
            sqlx::query("DELETE FROM sessions WHERE member_id = $1 AND id_hash <> $2")
                .bind(id.0)
                .bind(keep_session.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn create_session(&self, s: NewSession) -> StoreResult<()> {
        let s = &s;
        retrying("create_session", || async move {
            sqlx::query(
                "INSERT INTO sessions (id_hash, member_id, created_at, last_seen_at, expires_at) \
                 VALUES ($1, $2, $3, $3, $4)",
            )
            .bind(&s.id_hash)
            .bind(s.member_id.0)
            .bind(us(s.now))
            .bind(us(s.expires_at))
            .execute(&self.pool)
            .await?;
            Ok(())
        })
        .await
    }

    async fn get_session(&self, id_hash: &str) -> StoreResult<Option<(Session, Member)>> {
        let row = sqlx::query(&format!(
            "SELECT s.member_id AS s_member_id, s.created_at AS s_created_at, \
             s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, {MEMBER_COLS_M} \
             FROM sessions s JOIN members m ON m.id = s.member_id WHERE s.id_hash = $1"
        ))
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.map(|r| Ok((rows::session(&r)?, rows::member(&r)?)))
            .transpose()
    }

    async fn touch_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        retrying("touch_session", || async move {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                .bind(us(now))
                .bind(id_hash)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
        .await
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        retrying("delete_session", || async move {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(id_hash)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
        .await
    }

    async fn purge_sessions(&self, now: Timestamp, idle_before: Timestamp) -> StoreResult<u64> {
        retrying("purge_sessions", || async move {
            let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2")
                .bind(us(now))
                .bind(us(idle_before))
                .execute(&self.pool)
                .await?;
            Ok(r.rows_affected())
        })
        .await
    }

    async fn create_token(&self, t: NewToken) -> StoreResult<ApiToken> {
        let t = &t;
        retrying("create_token", || async move {
            let row = sqlx::query(&format!(
                "INSERT INTO api_tokens AS t (id, member_id, name, token_hash, scopes, created_at, \
                 expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {TOKEN_COLS_T}"
            ))
            .bind(t.id.0)
            .bind(t.member_id.0)
            .bind(&t.name)
            .bind(&t.token_hash)
            .bind(rows::scopes_to_text(&t.scopes))
            .bind(us(t.now))
            .bind(t.expires_at.map(us))
            .fetch_one(&self.pool)
            .await?;
            Ok(rows::token(&row)?)
        })
        .await
    }

    async fn get_token_by_hash(&self, token_hash: &str) -> StoreResult<Option<(ApiToken, Member)>> {
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLS_T}, {MEMBER_COLS_M} FROM api_tokens t \
             JOIN members m ON m.id = t.member_id WHERE t.token_hash = $1"
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
            "SELECT {TOKEN_COLS_T} FROM api_tokens t WHERE t.member_id = $1 ORDER BY t.id DESC"
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
        retrying("revoke_token", || async move {
            let row = sqlx::query(&format!(
                "UPDATE api_tokens AS t SET revoked_at = COALESCE(t.revoked_at, $1) \
                 WHERE t.id = $2 AND t.member_id = $3 RETURNING {TOKEN_COLS_T}"
            ))
            .bind(us(now))
            .bind(id.0)
            .bind(member.0)
            .fetch_optional(&self.pool)
            .await?;
            Ok(found(row, rows::token)?)
        })
        .await
    }

    async fn mark_token_used(&self, id: TokenId, now: Timestamp) -> StoreResult<()> {
        retrying("mark_token_used", || async move {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(us(now))
                .bind(id.0)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
        .await
    }

    async fn create_invitation(&self, i: NewInvitation) -> StoreResult<Invitation> {
        let i = &i;
        retrying("create_invitation", || async move {
            let row = sqlx::query(&format!(
                "INSERT INTO invitations (id, workspace_id, email, role, invited_by, token_hash, \
                 created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 RETURNING {INVITATION_COLS}"
            ))
            .bind(i.id.0)
            .bind(i.workspace_id.0)
            .bind(&i.email)
            .bind(i.role.as_str())
            .bind(i.invited_by.0)
            .bind(&i.token_hash)
            .bind(us(i.now))
            .bind(us(i.expires_at))
            .fetch_one(&self.pool)
            .await?;
            Ok(rows::invitation(&row)?)
        })
        .await
    }

    async fn list_invitations(&self, ws: WorkspaceId) -> StoreResult<Vec<Invitation>> {
        let rows = sqlx::query(&format!(
            "SELECT {INVITATION_COLS} FROM invitations WHERE workspace_id = $1 \
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
            "SELECT {INVITATION_COLS} FROM invitations WHERE token_hash = $1"
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
        let m = &m;
        retrying("accept_invitation", || async move {
            let mut tx = self.pool.begin().await?;
            // A concurrent accept waits on the row lock, then finds it accepted.
            let r = sqlx::query(
                "UPDATE invitations SET accepted_at = $1 WHERE token_hash = $2 \
                 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1 \
                 AND workspace_id = $3",
            )
            .bind(us(now))
            .bind(token_hash)
            .bind(m.workspace_id.0)
            .execute(&mut *tx)
            .await?;
            if r.rows_affected() != 1 {
                return Err(StoreError::NotFound.into());
            }
            let member = insert_member(&mut tx, m).await?;
            tx.commit().await?;
            Ok(member)
        })
        .await
    }

    async fn revoke_invitation(
        &self,
        ws: WorkspaceId,
        id: InvitationId,
        now: Timestamp,
    ) -> StoreResult<()> {
        retrying("revoke_invitation", || async move {
            let r = sqlx::query(
                "UPDATE invitations SET revoked_at = COALESCE(revoked_at, $1) \
                 WHERE id = $2 AND workspace_id = $3",
            )
            .bind(us(now))
            .bind(id.0)
            .bind(ws.0)
            .execute(&self.pool)
            .await?;
            if r.rows_affected() != 1 {
                return Err(StoreError::NotFound.into());
            }
            Ok(())
        })
        .await
    }

    async fn create_product_line(&self, l: NewProductLine) -> StoreResult<ProductLine> {
        let l = &l;
        retrying("create_product_line", || async move {
            let row = sqlx::query(&format!(
                "INSERT INTO product_lines (id, workspace_id, name, description, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING {LINE_COLS}"
            ))
            .bind(l.id.0)
            .bind(l.workspace_id.0)
            .bind(&l.name)
            .bind(&l.description)
            .bind(us(l.now))
            .fetch_one(&self.pool)
            .await?;
            Ok(rows::product_line(&row)?)
        })
        .await
    }

    async fn get_product_line(
        &self,
        ws: WorkspaceId,
        id: ProductLineId,
    ) -> StoreResult<ProductLine> {
        self.one(
            sqlx::query(&format!(
                "SELECT {LINE_COLS} FROM product_lines WHERE id = $1 AND workspace_id = $2"
            ))
            .bind(id.0)
            .bind(ws.0),
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
            "SELECT {LINE_COLS} FROM product_lines WHERE workspace_id = $1 AND name > $2 \
             ORDER BY name LIMIT $3"
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
        let p = &p;
        retrying("update_product_line", || async move {
            let mut tx = self.pool.begin().await?;
            let row = sqlx::query(&format!(
                "SELECT {LINE_COLS} FROM product_lines WHERE id = $1 AND workspace_id = $2 \
                 FOR UPDATE"
            ))
            .bind(id.0)
            .bind(ws.0)
            .fetch_optional(&mut *tx)
            .await?;
            let c = found(row, rows::product_line)?;
            check_version(c.version, expected_version)?;
            let row = sqlx::query(&format!(
                "UPDATE product_lines SET name = $1, description = $2, updated_at = $3, \
                 version = version + 1 WHERE id = $4 RETURNING {LINE_COLS}"
            ))
            .bind(p.name.clone().unwrap_or(c.name))
            .bind(p.description.clone().unwrap_or(c.description))
            .bind(us(p.now.unwrap_or_else(now)))
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
            let updated = rows::product_line(&row)?;
            tx.commit().await?;
            Ok(updated)
        })
        .await
    }

    async fn delete_product_line(
        &self,
        ws: WorkspaceId,
        id: ProductLineId,
        expected_version: i64,
    ) -> StoreResult<()> {
        retrying("delete_product_line", || async move {
            let mut tx = self.pool.begin().await?;
            let row: Option<(i64,)> = sqlx::query_as(
                "SELECT version FROM product_lines WHERE id = $1 AND workspace_id = $2 FOR UPDATE",
            )
            .bind(id.0)
            .bind(ws.0)
            .fetch_optional(&mut *tx)
            .await?;
            let (version,) = row.ok_or(StoreError::NotFound)?;
            check_version(version, expected_version)?;
            // Products of the line stay, without a line (ON DELETE SET NULL).
            sqlx::query("DELETE FROM product_lines WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn create_product(&self, p: NewProduct) -> StoreResult<Product> {
        let p = &p;
        retrying("create_product", || async move {
            let mut tx = self.pool.begin().await?;
            check_line(&mut tx, p.workspace_id, p.product_line_id).await?;
            let row = sqlx::query(&format!(
                "INSERT INTO products (id, workspace_id, product_line_id, name, key, description, \
                 pm_model, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
                 RETURNING {PRODUCT_COLS}"
            ))
            .bind(p.id.0)
            .bind(p.workspace_id.0)
            .bind(p.product_line_id.map(|l| l.0))
            .bind(&p.name)
            .bind(&p.key)
            .bind(&p.description)
            .bind(p.pm_model.as_str())
            .bind(us(p.now))
            .fetch_one(&mut *tx)
            .await?;
            let product = rows::product(&row)?;
            tx.commit().await?;
            Ok(product)
        })
        .await
    }

    async fn get_product(&self, ws: WorkspaceId, id: ProductId) -> StoreResult<Product> {
        self.one(
            sqlx::query(&format!(
                "SELECT {PRODUCT_COLS} FROM products WHERE id = $1 AND workspace_id = $2"
            ))
            .bind(id.0)
            .bind(ws.0),
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
            "SELECT {PRODUCT_COLS} FROM products WHERE workspace_id = $1 AND key > $2 \
             AND ($3 OR NOT archived) AND ($4::uuid IS NULL OR product_line_id = $4) \
             ORDER BY key LIMIT $5"
        ))
        .bind(ws.0)
        .bind(after)
        .bind(f.include_archived)
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
        let p = &p;
        retrying("update_product", || async move {
            let mut tx = self.pool.begin().await?;
            let row = sqlx::query(&format!(
                "SELECT {PRODUCT_COLS} FROM products WHERE id = $1 AND workspace_id = $2 FOR UPDATE"
            ))
            .bind(id.0)
            .bind(ws.0)
            .fetch_optional(&mut *tx)
            .await?;
            let c = found(row, rows::product)?;
            check_version(c.version, expected_version)?;
            let line = p.product_line_id.unwrap_or(c.product_line_id);
            check_line(&mut tx, ws, line).await?;
            let row = sqlx::query(&format!(
                "UPDATE products SET product_line_id = $1, name = $2, key = $3, description = $4, \
                 pm_model = $5, archived = $6, updated_at = $7, version = version + 1 \
                 WHERE id = $8 RETURNING {PRODUCT_COLS}"
            ))
            .bind(line.map(|l| l.0))
            .bind(p.name.clone().unwrap_or(c.name))
            .bind(p.key.clone().unwrap_or(c.key))
            .bind(p.description.clone().unwrap_or(c.description))
            .bind(p.pm_model.unwrap_or(c.pm_model).as_str())
            .bind(p.archived.unwrap_or(c.archived))
            .bind(us(p.now.unwrap_or_else(now)))
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
            let updated = rows::product(&row)?;
            tx.commit().await?;
            Ok(updated)
        })
        .await
    }

    async fn get_raci(&self, ws: WorkspaceId, product: ProductId) -> StoreResult<Vec<RaciEntry>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(raci_in(&mut conn, ws, product).await?)
    }

    async fn set_raci(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        entries: &[(MemberId, Raci)],
    ) -> StoreResult<Vec<RaciEntry>> {
        retrying("set_raci", || async move {
            let mut tx = self.pool.begin().await?;
            // Locking the product serialises two replacements of the same table: without it the
            // second could delete nothing it can see and merge its rows into the first's.
            let owned = sqlx::query(
                "SELECT 1 FROM products WHERE id = $1 AND workspace_id = $2 FOR UPDATE",
            )
            .bind(product.0)
            .bind(ws.0)
            .fetch_optional(&mut *tx)
            .await?;
            if owned.is_none() {
                return Err(StoreError::NotFound.into());
            }
            sqlx::query("DELETE FROM raci_assignments WHERE product_id = $1")
                .bind(product.0)
                .execute(&mut *tx)
                .await?;
            for (member, raci) in entries {
                // Inserting through a SELECT on the workspace refuses members of another
                // workspace; a repeated entry is ignored.
                let r = sqlx::query(
                    "INSERT INTO raci_assignments (product_id, member_id, raci) \
                     SELECT $1, id, $2 FROM members WHERE id = $3 AND workspace_id = $4 \
                     ON CONFLICT DO NOTHING",
                )
                .bind(product.0)
                .bind(raci.as_str())
                .bind(member.0)
                .bind(ws.0)
                .execute(&mut *tx)
                .await?;
                if r.rows_affected() == 0 {
                    let exists =
                        sqlx::query("SELECT 1 FROM members WHERE id = $1 AND workspace_id = $2")
                            .bind(member.0)
                            .bind(ws.0)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if exists.is_none() {
                        return Err(StoreError::NotFound.into());
                    }
                }
            }
            let table = raci_in(&mut tx, ws, product).await?;
            tx.commit().await?;
            Ok(table)
        })
        .await
    }

    async fn append_audit(&self, e: AuditEvent) -> StoreResult<()> {
        let e = &e;
        retrying("append_audit", || async move {
            insert_audit(&self.pool, e).await?;
            Ok(())
        })
        .await
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
        // Only the filters asked for go into the statement, so that the cursor condition is an
        // index condition on audit_workspace (workspace_id, id) rather than a filter.
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!(
            "SELECT {AUDIT_COLS} FROM audit_events WHERE workspace_id = "
        ));
        q.push_bind(ws.0);
        if let Some(before) = before {
            q.push(" AND id < ").push_bind(before);
        }
        if let Some(prefix) = &f.action_prefix {
            // An exact, case-sensitive prefix, as in the SQLite store (no LIKE wildcards).
            q.push(" AND left(action, char_length(")
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

    async fn hit_rate_limits(
        &self,
        keys: &[String],
        window_secs: i64,
        now: Timestamp,
    ) -> StoreResult<Vec<i64>> {
        let window_us = window_secs.saturating_mul(1_000_000);
        // Each key once, in one order, so two requests sharing keys lock their rows alike.
        let mut distinct = keys.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let distinct = &distinct;
        // One atomic statement: concurrent hits from several instances serialise on the rows.
        let counted = retrying("hit_rate_limits", || async move {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "INSERT INTO rate_limits AS r (key, window_start, count) \
                 SELECT k, $2, 1 FROM unnest($1::text[]) AS k ORDER BY k \
                 ON CONFLICT (key) DO UPDATE SET \
                   count = CASE WHEN r.window_start + $3 * interval '1 microsecond' \
                                     <= excluded.window_start \
                           THEN 1 ELSE r.count + 1 END, \
                   window_start = CASE WHEN r.window_start + $3 * interval '1 microsecond' \
                                            <= excluded.window_start \
                                  THEN excluded.window_start ELSE r.window_start END \
                 RETURNING key, count",
            )
            .bind(distinct)
            .bind(us(now))
            .bind(window_us)
            .fetch_all(&self.pool)
            .await?;
            Ok(rows)
        })
        .await?;
        keys.iter()
            .map(|key| {
                counted
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, n)| *n)
                    .ok_or_else(|| StoreError::Other(format!("no count for {key}")))
            })
            .collect()
    }

    async fn get_idempotent(
        &self,
        member: MemberId,
        key: &str,
    ) -> StoreResult<Option<IdempotentResponse>> {
        let row: Option<(String, i64, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT request_hash, status, body, etag, location FROM idempotency_keys \
             WHERE member_id = $1 AND key = $2",
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
        retrying("put_idempotent", || async move {
            sqlx::query(
                "INSERT INTO idempotency_keys (member_id, key, request_hash, status, body, etag, \
                 location, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (member_id, key) DO NOTHING",
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
            .await?;
            Ok(())
        })
        .await
    }

    async fn dump(&self) -> StoreResult<Dump> {
        retrying("dump", || async move {
            // One REPEATABLE READ transaction reads every table at the same point in time.
            let mut tx = self
                .pool
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?;
            let mut d = Dump {
                format: DUMP_FORMAT.into(),
                version: DUMP_VERSION,
                exported_at: Some(now()),
                ..Default::default()
            };
            for r in sqlx::query(&format!(
                "SELECT {WORKSPACE_COLS} FROM workspaces ORDER BY id"
            ))
            .fetch_all(&mut *tx)
            .await?
            {
                d.workspaces.push(rows::workspace(&r)?);
            }
            for r in sqlx::query(&format!(
                "SELECT {MEMBER_COLS}, password_hash FROM members ORDER BY id"
            ))
            .fetch_all(&mut *tx)
            .await?
            {
                let password_hash = sqlx::Row::try_get(&r, "password_hash")?;
                d.members.push(MemberRecord {
                    member: rows::member(&r)?,
                    password_hash,
                });
            }
            for r in sqlx::query(&format!(
                "SELECT {LINE_COLS} FROM product_lines ORDER BY id"
            ))
            .fetch_all(&mut *tx)
            .await?
            {
                d.product_lines.push(rows::product_line(&r)?);
            }
            for r in sqlx::query(&format!("SELECT {PRODUCT_COLS} FROM products ORDER BY id"))
                .fetch_all(&mut *tx)
                .await?
            {
                d.products.push(rows::product(&r)?);
            }
            for r in sqlx::query(
                "SELECT r.product_id, r.member_id, m.name AS member_name, r.raci \
                 FROM raci_assignments r JOIN members m ON m.id = r.member_id \
                 ORDER BY r.product_id, r.member_id, r.raci COLLATE \"C\"",
            )
            .fetch_all(&mut *tx)
            .await?
            {
                d.raci.push(rows::raci(&r)?);
            }
            for r in sqlx::query(&format!(
                "SELECT {TOKEN_COLS_T}, t.token_hash FROM api_tokens t ORDER BY t.id"
            ))
            .fetch_all(&mut *tx)
            .await?
            {
                let token_hash = sqlx::Row::try_get(&r, "token_hash")?;
                d.tokens.push(TokenRecord {
                    token: rows::token(&r)?,
                    token_hash,
                });
            }
            for r in sqlx::query(&format!(
                "SELECT {INVITATION_COLS}, token_hash FROM invitations ORDER BY id"
            ))
            .fetch_all(&mut *tx)
            .await?
            {
                let token_hash = sqlx::Row::try_get(&r, "token_hash")?;
                d.invitations.push(InvitationRecord {
                    invitation: rows::invitation(&r)?,
                    token_hash,
                });
            }
            for r in sqlx::query(&format!(
                "SELECT {AUDIT_COLS} FROM audit_events ORDER BY id"
            ))
            .fetch_all(&mut *tx)
            .await?
            {
                d.audit.push(rows::audit(&r)?);
            }
            crate::discovery::dump(&mut tx, &mut d.discovery).await?;
            crate::portal::dump(&mut tx, &mut d.portal).await?;
            crate::research::dump(&mut tx, &mut d.research).await?;
            // decisions (issue #4)
            crate::decisions::dump(&mut tx, &mut d.decisions).await?;
            // specs (issue 4)
            crate::specs::dump(&mut tx, &mut d.specs).await?;
            // scoring slice (issue #4)
            crate::scoring::dump(&mut tx, &mut d.scoring).await?;
            crate::stakeholders::dump(&mut tx, &mut d.stakeholders).await?;
            tx.commit().await?;
            Ok(d)
        })
        .await
    }

    async fn load(&self, d: &Dump) -> StoreResult<()> {
        retrying("load", || async move {
            // SERIALIZABLE: two loads that both saw an empty database cannot both commit; the
            // loser is retried and then finds the database not empty.
            let mut tx = self
                .pool
                .begin_with("BEGIN ISOLATION LEVEL SERIALIZABLE")
                .await?;
            let (n,): (i64,) = sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM workspaces) + (SELECT COUNT(*) FROM audit_events)",
            )
            .fetch_one(&mut *tx)
            .await?;
            if n > 0 {
                return Err(StoreError::NotEmpty.into());
            }
            for w in &d.workspaces {
                sqlx::query(&format!(
                    "INSERT INTO workspaces ({WORKSPACE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                ))
                .bind(w.id.0)
                .bind(&w.slug)
                .bind(&w.name)
                .bind(w.default_locale.as_str())
                .bind(us(w.created_at))
                .bind(us(w.updated_at))
                .bind(w.version)
                .execute(&mut *tx)
                .await?;
            }
            for r in &d.members {
                let m = &r.member;
                sqlx::query(&format!(
                    "INSERT INTO members ({MEMBER_COLS}, password_hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
                ))
                .bind(m.id.0)
                .bind(m.workspace_id.0)
                .bind(&m.email)
                .bind(&m.name)
                .bind(m.role.as_str())
                .bind(m.job_title.map(JobTitle::as_str))
                .bind(&m.time_zone)
                .bind(&m.work_start)
                .bind(&m.work_end)
                .bind(m.locale.map(Locale::as_str))
                .bind(m.disabled)
                .bind(us(m.created_at))
                .bind(us(m.updated_at))
                .bind(m.version)
                .bind(&r.password_hash)
                .execute(&mut *tx)
                .await?;
            }
            for l in &d.product_lines {
                sqlx::query(&format!(
                    "INSERT INTO product_lines ({LINE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                ))
                .bind(l.id.0)
                .bind(l.workspace_id.0)
                .bind(&l.name)
                .bind(&l.description)
                .bind(us(l.created_at))
                .bind(us(l.updated_at))
                .bind(l.version)
                .execute(&mut *tx)
                .await?;
            }
            for p in &d.products {
                sqlx::query(&format!(
                    "INSERT INTO products ({PRODUCT_COLS}) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
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
                .await?;
            }
            for r in &d.raci {
                sqlx::query(
                    "INSERT INTO raci_assignments (product_id, member_id, raci) VALUES ($1, $2, $3)",
                )
                .bind(r.product_id.0)
                .bind(r.member_id.0)
                .bind(r.raci.as_str())
                .execute(&mut *tx)
                .await?;
            }
            for r in &d.tokens {
                let t = &r.token;
                sqlx::query(
                    "INSERT INTO api_tokens (id, member_id, name, token_hash, scopes, created_at, \
                     expires_at, last_used_at, revoked_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(t.id.0)
                .bind(t.member_id.0)
                .bind(&t.name)
                .bind(&r.token_hash)
                .bind(rows::scopes_to_text(&t.scopes))
                .bind(us(t.created_at))
                .bind(t.expires_at.map(us))
                .bind(t.last_used_at.map(us))
                .bind(t.revoked_at.map(us))
                .execute(&mut *tx)
                .await?;
            }
            for r in &d.invitations {
                let i = &r.invitation;
                sqlx::query(&format!(
                    "INSERT INTO invitations ({INVITATION_COLS}, token_hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                ))
                .bind(i.id.0)
                .bind(i.workspace_id.0)
                .bind(&i.email)
                .bind(i.role.as_str())
                .bind(i.invited_by.0)
                .bind(us(i.created_at))
                .bind(us(i.expires_at))
                .bind(i.accepted_at.map(us))
                .bind(i.revoked_at.map(us))
                .bind(&r.token_hash)
                .execute(&mut *tx)
                .await?;
            }
            for e in &d.audit {
                sqlx::query(&format!(
                    "INSERT INTO audit_events ({AUDIT_COLS}) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
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
                .bind(&e.detail)
                .execute(&mut *tx)
                .await?;
            }
            crate::discovery::load(&mut tx, &d.discovery).await?;
            crate::portal::load(&mut tx, &d.portal).await?;
            crate::research::load(&mut tx, &d.research).await?;
            // decisions (issue #4)
            crate::decisions::load(&mut tx, &d.decisions).await?;
            // specs (issue 4)
            crate::specs::load(&mut tx, &d.specs).await?;
            // scoring slice (issue #4)
            crate::scoring::load(&mut tx, &d.scoring).await?;
            crate::stakeholders::load(&mut tx, &d.stakeholders).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }
}

/// Appends one audit event through `ex` (a pool, or a transaction the caller commits).
pub(crate) async fn insert_audit<'e, E>(ex: E, e: &AuditEvent) -> Result<(), sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    sqlx::query(&format!(
        "INSERT INTO audit_events ({AUDIT_COLS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
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
    .bind(&e.detail)
    .execute(ex)
    .await?;
    Ok(())
}
