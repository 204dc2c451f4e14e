//! Row ↔ record mapping. Ids are uuid, timestamps timestamptz, flags boolean, enums text, the
//! audit detail jsonb.

use phare_domain::*;
use phare_store::*;
use sqlx::postgres::PgRow;
use sqlx::Row;

/// Timestamps are bound at microsecond precision, truncated as the SQLite store truncates
/// (PostgreSQL would round a finer value to the nearest microsecond instead).
pub fn us(t: Timestamp) -> Timestamp {
    to_micros(t)
}

pub(crate) fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    col: &str,
) -> StoreResult<T> {
    row.try_get(col)
        .map_err(|e| StoreError::Other(format!("{col}: {e}")))
}

pub(crate) fn parse<T>(v: &str, f: impl Fn(&str) -> Option<T>, what: &str) -> StoreResult<T> {
    f(v).ok_or_else(|| StoreError::Other(format!("unknown {what} {v:?}")))
}

/// [`parse`] of a nullable column.
pub(crate) fn parse_opt<T>(
    v: Option<String>,
    f: impl Fn(&str) -> Option<T>,
    what: &str,
) -> StoreResult<Option<T>> {
    v.map(|v| parse(&v, f, what)).transpose()
}

pub fn workspace(row: &PgRow) -> StoreResult<Workspace> {
    Ok(Workspace {
        id: WorkspaceId(get(row, "id")?),
        slug: get(row, "slug")?,
        name: get(row, "name")?,
        default_locale: parse(
            &get::<String>(row, "default_locale")?,
            Locale::parse,
            "locale",
        )?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

pub fn member(row: &PgRow) -> StoreResult<Member> {
    let job_title: Option<String> = get(row, "job_title")?;
    let locale: Option<String> = get(row, "locale")?;
    Ok(Member {
        id: MemberId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        email: get(row, "email")?,
        name: get(row, "name")?,
        role: parse(&get::<String>(row, "role")?, Role::parse, "role")?,
        job_title: job_title
            .map(|j| parse(&j, JobTitle::parse, "job title"))
            .transpose()?,
        time_zone: get(row, "time_zone")?,
        work_start: get(row, "work_start")?,
        work_end: get(row, "work_end")?,
        locale: locale
            .map(|l| parse(&l, Locale::parse, "locale"))
            .transpose()?,
        disabled: get(row, "disabled")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

pub fn session(row: &PgRow) -> StoreResult<Session> {
    Ok(Session {
        member_id: MemberId(get(row, "s_member_id")?),
        created_at: get(row, "s_created_at")?,
        last_seen_at: get(row, "s_last_seen_at")?,
        expires_at: get(row, "s_expires_at")?,
    })
}

pub fn scopes_to_text(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn token(row: &PgRow) -> StoreResult<ApiToken> {
    let scopes: String = get(row, "t_scopes")?;
    Ok(ApiToken {
        id: TokenId(get(row, "t_id")?),
        member_id: MemberId(get(row, "t_member_id")?),
        name: get(row, "t_name")?,
        scopes: scopes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| parse(s, Scope::parse, "scope"))
            .collect::<StoreResult<_>>()?,
        created_at: get(row, "t_created_at")?,
        expires_at: get(row, "t_expires_at")?,
        last_used_at: get(row, "t_last_used_at")?,
        revoked_at: get(row, "t_revoked_at")?,
    })
}

pub fn invitation(row: &PgRow) -> StoreResult<Invitation> {
    Ok(Invitation {
        id: InvitationId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        email: get(row, "email")?,
        role: parse(&get::<String>(row, "role")?, Role::parse, "role")?,
        invited_by: MemberId(get(row, "invited_by")?),
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
        accepted_at: get(row, "accepted_at")?,
        revoked_at: get(row, "revoked_at")?,
    })
}

pub fn product_line(row: &PgRow) -> StoreResult<ProductLine> {
    Ok(ProductLine {
        id: ProductLineId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        name: get(row, "name")?,
        description: get(row, "description")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

pub fn product(row: &PgRow) -> StoreResult<Product> {
    let line: Option<uuid::Uuid> = get(row, "product_line_id")?;
    Ok(Product {
        id: ProductId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_line_id: line.map(ProductLineId),
        name: get(row, "name")?,
        key: get(row, "key")?,
        description: get(row, "description")?,
        pm_model: parse(&get::<String>(row, "pm_model")?, PmModel::parse, "pm model")?,
        archived: get(row, "archived")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

pub fn raci(row: &PgRow) -> StoreResult<RaciEntry> {
    Ok(RaciEntry {
        product_id: ProductId(get(row, "product_id")?),
        member_id: MemberId(get(row, "member_id")?),
        member_name: get(row, "member_name")?,
        raci: parse(&get::<String>(row, "raci")?, Raci::parse, "raci")?,
    })
}

pub fn audit(row: &PgRow) -> StoreResult<AuditEvent> {
    let ws: Option<uuid::Uuid> = get(row, "workspace_id")?;
    let actor: Option<uuid::Uuid> = get(row, "actor_id")?;
    Ok(AuditEvent {
        id: AuditId(get(row, "id")?),
        workspace_id: ws.map(WorkspaceId),
        at: get(row, "at")?,
        actor_id: actor.map(MemberId),
        actor_label: get(row, "actor_label")?,
        action: get(row, "action")?,
        target_kind: get(row, "target_kind")?,
        target_id: get(row, "target_id")?,
        outcome: get(row, "outcome")?,
        request_id: get(row, "request_id")?,
        source_ip: get(row, "source_ip")?,
        detail: get(row, "detail")?,
    })
}
