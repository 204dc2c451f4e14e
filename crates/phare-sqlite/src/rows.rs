//! Row ↔ record mapping. Ids are 16-byte blobs, timestamps integer microseconds, enums text.

use chrono::TimeZone;
use phare_domain::*;
use phare_store::*;
use rusqlite::types::FromSql;
use rusqlite::Row;

pub fn us(t: Timestamp) -> i64 {
    t.timestamp_micros()
}

pub fn ts(v: i64) -> StoreResult<Timestamp> {
    chrono::Utc
        .timestamp_micros(v)
        .single()
        .ok_or_else(|| StoreError::Other(format!("bad timestamp {v}")))
}

pub fn opt_ts(v: Option<i64>) -> StoreResult<Option<Timestamp>> {
    v.map(ts).transpose()
}

/// A column by name, decoded; a wrong type names the column.
///
/// Finding a column by name scans the statement's column names (a call into SQLite and a
/// `strlen` each): for a 22-column row that was a fifth of an inbox request. So the rows read by
/// [`crate::db::all`] share what their first row found ([`ResultSet`]), and other rows use a
/// table of where each thread last found each name, checked against the column's name.
pub(crate) fn get<T: FromSql>(row: &Row<'_>, col: &str) -> StoreResult<T> {
    let index = column_index(row, col);
    match index {
        Some(i) => row.get(i),
        None => row.get(col),
    }
    .map_err(|e| StoreError::Other(format!("{col}: {e}")))
}

thread_local! {
    /// The result sets [`crate::db::all`] is reading on this thread, innermost last (a row's
    /// mapping may run a query of its own).
    static READING: std::cell::RefCell<Vec<Found>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The columns found so far in one result set: its statement's address, and for each name
/// asked (by the address of the literal) its index.
struct Found {
    statement: usize,
    columns: Vec<(usize, usize)>,
}

/// While alive, the rows of `statement` share the columns their first row found. The
/// statement is borrowed by its rows for the whole read, so no other statement can take its
/// address meanwhile: a row of another statement never matches.
pub(crate) struct ResultSet(());

impl ResultSet {
    pub(crate) fn reading(statement: &rusqlite::Statement<'_>) -> ResultSet {
        let statement = std::ptr::from_ref(statement) as usize;
        READING.with(|r| {
            r.borrow_mut().push(Found {
                statement,
                columns: Vec::with_capacity(32),
            });
        });
        ResultSet(())
    }
}

impl Drop for ResultSet {
    fn drop(&mut self) {
        READING.with(|r| r.borrow_mut().pop());
    }
}

fn column_index(row: &Row<'_>, col: &str) -> Option<usize> {
    let statement = std::ptr::from_ref(row.as_ref()) as usize;
    let address = col.as_ptr() as usize;
    let known = READING.with(|r| {
        let r = r.borrow();
        let found = r.last().filter(|f| f.statement == statement)?;
        Some(
            found
                .columns
                .iter()
                .find(|(a, _)| *a == address)
                .map(|(_, i)| *i),
        )
    });
    match known {
        // Read by `all`, and found by an earlier row.
        Some(Some(i)) => Some(i),
        // Read by `all`, first asked now.
        Some(None) => {
            let i = last_seen_index(row, col)?;
            READING.with(|r| {
                if let Some(found) = r.borrow_mut().last_mut() {
                    found.columns.push((address, i));
                }
            });
            Some(i)
        }
        None => last_seen_index(row, col),
    }
}

/// Where `col` was last found, in a table of 1,024 slots indexed by the address of the name:
/// the names are string literals of the code, so one name keeps one address and the lookup
/// hashes no text (a map keyed by the name's text, hashed on every column of every row, was a
/// tenth of a backlog page). A slot shared by two names, or a name at a new address, only
/// misses: every hit is checked against the statement's column name.
fn last_seen_index(row: &Row<'_>, col: &str) -> Option<usize> {
    use std::cell::RefCell;
    const SLOTS: usize = 1024;
    thread_local! {
        static LAST_SEEN: RefCell<[(usize, usize); SLOTS]> = const { RefCell::new([(0, 0); SLOTS]) };
    }
    let stmt = row.as_ref();
    let address = col.as_ptr() as usize;
    // Fibonacci hashing of the whole address: literals a few bytes apart land far apart.
    let slot = ((address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize % SLOTS;
    let (seen, i) = LAST_SEEN.with(|t| t.borrow()[slot]);
    if seen == address && stmt.column_name(i).is_ok_and(|name| name == col) {
        return Some(i);
    }
    let i = stmt.column_index(col).ok()?;
    LAST_SEEN.with(|t| t.borrow_mut()[slot] = (address, i));
    Some(i)
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

pub fn workspace(row: &Row<'_>) -> StoreResult<Workspace> {
    Ok(Workspace {
        id: WorkspaceId(get(row, "id")?),
        slug: get(row, "slug")?,
        name: get(row, "name")?,
        default_locale: parse(
            &get::<String>(row, "default_locale")?,
            Locale::parse,
            "locale",
        )?,
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

pub fn member(row: &Row<'_>) -> StoreResult<Member> {
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
        disabled: get::<i64>(row, "disabled")? != 0,
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

pub fn session(row: &Row<'_>) -> StoreResult<Session> {
    Ok(Session {
        member_id: MemberId(get(row, "s_member_id")?),
        created_at: ts(get(row, "s_created_at")?)?,
        last_seen_at: ts(get(row, "s_last_seen_at")?)?,
        expires_at: ts(get(row, "s_expires_at")?)?,
    })
}

pub fn scopes_to_text(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn token(row: &Row<'_>) -> StoreResult<ApiToken> {
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
        created_at: ts(get(row, "t_created_at")?)?,
        expires_at: opt_ts(get(row, "t_expires_at")?)?,
        last_used_at: opt_ts(get(row, "t_last_used_at")?)?,
        revoked_at: opt_ts(get(row, "t_revoked_at")?)?,
    })
}

pub fn invitation(row: &Row<'_>) -> StoreResult<Invitation> {
    Ok(Invitation {
        id: InvitationId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        email: get(row, "email")?,
        role: parse(&get::<String>(row, "role")?, Role::parse, "role")?,
        invited_by: MemberId(get(row, "invited_by")?),
        created_at: ts(get(row, "created_at")?)?,
        expires_at: ts(get(row, "expires_at")?)?,
        accepted_at: opt_ts(get(row, "accepted_at")?)?,
        revoked_at: opt_ts(get(row, "revoked_at")?)?,
    })
}

pub fn product_line(row: &Row<'_>) -> StoreResult<ProductLine> {
    Ok(ProductLine {
        id: ProductLineId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        name: get(row, "name")?,
        description: get(row, "description")?,
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

pub fn product(row: &Row<'_>) -> StoreResult<Product> {
    let line: Option<uuid::Uuid> = get(row, "product_line_id")?;
    Ok(Product {
        id: ProductId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_line_id: line.map(ProductLineId),
        name: get(row, "name")?,
        key: get(row, "key")?,
        description: get(row, "description")?,
        pm_model: parse(&get::<String>(row, "pm_model")?, PmModel::parse, "pm model")?,
        archived: get::<i64>(row, "archived")? != 0,
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

pub fn raci(row: &Row<'_>) -> StoreResult<RaciEntry> {
    Ok(RaciEntry {
        product_id: ProductId(get(row, "product_id")?),
        member_id: MemberId(get(row, "member_id")?),
        member_name: get(row, "member_name")?,
        raci: parse(&get::<String>(row, "raci")?, Raci::parse, "raci")?,
    })
}

pub fn audit(row: &Row<'_>) -> StoreResult<AuditEvent> {
    let ws: Option<uuid::Uuid> = get(row, "workspace_id")?;
    let actor: Option<uuid::Uuid> = get(row, "actor_id")?;
    let detail: String = get(row, "detail")?;
    Ok(AuditEvent {
        id: AuditId(get(row, "id")?),
        workspace_id: ws.map(WorkspaceId),
        at: ts(get(row, "at")?)?,
        actor_id: actor.map(MemberId),
        actor_label: get(row, "actor_label")?,
        action: get(row, "action")?,
        target_kind: get(row, "target_kind")?,
        target_id: get(row, "target_id")?,
        outcome: get(row, "outcome")?,
        request_id: get(row, "request_id")?,
        source_ip: get(row, "source_ip")?,
        detail: serde_json::from_str(&detail).map_err(|e| StoreError::Other(e.to_string()))?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::get;
    use crate::db::all;

    /// One name at different places in two statements, the second read while mapping each row
    /// of the first, then the first again: every row finds its own statement's column.
    #[test]
    fn each_result_set_finds_its_own_columns() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE a (x TEXT, id INTEGER); INSERT INTO a VALUES ('a1', 1), ('a2', 2);
             CREATE TABLE b (id INTEGER, y TEXT); INSERT INTO b VALUES (10, 'b');",
        )
        .unwrap();
        let read = |c: &rusqlite::Connection| {
            all(c, "SELECT x, id FROM a ORDER BY id", [], |r| {
                let inner = all(c, "SELECT id, y FROM b", [], |r| get::<i64>(r, "id"))?;
                Ok((get::<i64>(r, "id")?, inner[0], get::<String>(r, "x")?))
            })
            .unwrap()
        };
        let expected = vec![(1, 10, "a1".to_owned()), (2, 10, "a2".to_owned())];
        assert_eq!(read(&c), expected);
        assert_eq!(read(&c), expected);
        // A row read outside `all` (no result set recorded) still finds its column.
        let id: i64 = c
            .query_row("SELECT y, id FROM b", [], |r| {
                Ok(get::<i64>(r, "id").unwrap())
            })
            .unwrap();
        assert_eq!(id, 10);
    }
}
