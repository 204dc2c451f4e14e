//! The persistence contract: what Phare needs from a database, and nothing about how.
//!
//! Each backend crate (`phare-sqlite`, `phare-postgres`) implements [`Store`]. A store method is
//! one unit of work with its own transaction; no method leaves half a change behind. The
//! conformance suite (feature `testsuite`) runs every method against a backend, so both behave the
//! same. SQL never leaves the backend crates.

mod discovery;
mod feed;
// decisions (issue #4)
mod decisions;
mod dump;
mod page;
mod portal;
mod records;
mod research;
// specs (issue 4)
mod specs;
// scoring slice (issue #4)
mod scoring;
// Stakeholder sessions (issue #4 part 3).
mod stakeholders;
#[cfg(feature = "testsuite")]
pub mod testsuite;

pub use discovery::*;
pub use feed::*;
// decisions (issue #4)
pub use decisions::*;
pub use dump::{Dump, DumpChecksums, DUMP_FORMAT, DUMP_VERSION};
pub use page::{Cursor, Page, PageRequest, MAX_PAGE_SIZE};
pub use portal::*;
pub use records::*;
pub use research::*;
// specs (issue 4)
pub use specs::*;
// scoring slice (issue #4)
pub use scoring::*;
pub use stakeholders::*;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use phare_domain::*;

pub type Timestamp = DateTime<Utc>;

#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The record changed since the caller read it (optimistic concurrency).
    #[error("version conflict")]
    VersionConflict,
    /// A uniqueness rule was broken; the payload names the field (e.g. `key`, `email`).
    #[error("duplicate {0}")]
    Duplicate(&'static str),
    /// The database cannot be reached or is not ready (retryable from the caller's view).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Restore was asked to write into a database that already holds data.
    #[error("the target database is not empty")]
    NotEmpty,
    #[error("database error: {0}")]
    Other(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything Phare persists. Workspace-scoped reads take the workspace id so that a record of
/// another workspace is simply not found: isolation is enforced in the query, not only above it.
#[async_trait]
pub trait Store:
    DiscoveryStore
    + PortalStore
    + ResearchStore
    // decisions (issue #4)
    + DecisionStore
    // specs (issue #4)
    + SpecStore
    // scoring (issue #4)
    + ScoringStore
    // stakeholders (issue #4)
    + StakeholderStore
    + Send
    + Sync
    + 'static
{
    // --- health -----------------------------------------------------------------------------
    /// Cheap round trip to the database.
    async fn ping(&self) -> StoreResult<()>;
    /// True when every migration this build knows is applied (and none unknown).
    async fn schema_is_current(&self) -> StoreResult<bool>;
    /// Backend name for logs and `/readyz`: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    // --- setup ------------------------------------------------------------------------------
    /// True once at least one workspace exists.
    async fn is_set_up(&self) -> StoreResult<bool>;
    async fn create_setup_token(&self, token_hash: &str, expires_at: Timestamp) -> StoreResult<()>;
    async fn setup_token_is_valid(&self, token_hash: &str, now: Timestamp) -> StoreResult<bool>;
    /// Consumes the token and creates the workspace and its first admin, all or nothing.
    /// `NotFound` when the token is unknown, used or expired.
    async fn complete_setup(
        &self,
        token_hash: &str,
        now: Timestamp,
        workspace: NewWorkspace,
        admin: NewMember,
    ) -> StoreResult<()>;

    // --- workspaces -------------------------------------------------------------------------
    async fn create_workspace(&self, workspace: NewWorkspace) -> StoreResult<Workspace>;
    async fn get_workspace(&self, id: WorkspaceId) -> StoreResult<Workspace>;
    async fn list_workspaces(&self) -> StoreResult<Vec<Workspace>>;
    async fn update_workspace(
        &self,
        id: WorkspaceId,
        expected_version: i64,
        patch: WorkspacePatch,
    ) -> StoreResult<Workspace>;

    // --- members ----------------------------------------------------------------------------
    async fn create_member(&self, member: NewMember) -> StoreResult<Member>;
    async fn get_member(&self, ws: WorkspaceId, id: MemberId) -> StoreResult<Member>;
    /// The member and their password hash, by e-mail (any workspace), for login.
    async fn find_credentials(&self, email: &str) -> StoreResult<Option<(Member, Option<String>)>>;
    async fn list_members(&self, ws: WorkspaceId, page: &PageRequest) -> StoreResult<Page<Member>>;
    /// Applies the patch if the version matches. Disabling a member also deletes their sessions
    /// and revokes their tokens in the same transaction.
    async fn update_member(
        &self,
        ws: WorkspaceId,
        id: MemberId,
        expected_version: i64,
        patch: MemberPatch,
    ) -> StoreResult<Member>;
    /// Sets the password hash and ends every session of the member except `keep_session`.
    async fn set_password(
        &self,
        id: MemberId,
        password_hash: &str,
        keep_session: Option<&str>,
        now: Timestamp,
    ) -> StoreResult<()>;

    // --- sessions ---------------------------------------------------------------------------
    async fn create_session(&self, session: NewSession) -> StoreResult<()>;
    /// The session and its member, whatever their state; the caller checks expiry and disabling.
    async fn get_session(&self, id_hash: &str) -> StoreResult<Option<(Session, Member)>>;
    async fn touch_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    /// Removes sessions past their absolute or idle limit; returns how many.
    async fn purge_sessions(&self, now: Timestamp, idle_before: Timestamp) -> StoreResult<u64>;

    // --- personal access tokens ------------------------------------------------------------
    async fn create_token(&self, token: NewToken) -> StoreResult<ApiToken>;
    async fn get_token_by_hash(&self, token_hash: &str) -> StoreResult<Option<(ApiToken, Member)>>;
    async fn list_tokens(&self, member: MemberId) -> StoreResult<Vec<ApiToken>>;
    /// Revokes a token of this member; `NotFound` if it is not theirs.
    async fn revoke_token(
        &self,
        member: MemberId,
        id: TokenId,
        now: Timestamp,
    ) -> StoreResult<ApiToken>;
    async fn mark_token_used(&self, id: TokenId, now: Timestamp) -> StoreResult<()>;

    // --- invitations ------------------------------------------------------------------------
    async fn create_invitation(&self, invitation: NewInvitation) -> StoreResult<Invitation>;
    /// Pending invitations (not accepted, not revoked), newest first.
    async fn list_invitations(&self, ws: WorkspaceId) -> StoreResult<Vec<Invitation>>;
    async fn get_invitation_by_hash(&self, token_hash: &str) -> StoreResult<Option<Invitation>>;
    /// Creates the member and marks the invitation accepted, all or nothing. `NotFound` when the
    /// invitation is unknown, accepted, revoked or expired.
    async fn accept_invitation(
        &self,
        token_hash: &str,
        now: Timestamp,
        member: NewMember,
    ) -> StoreResult<Member>;
    async fn revoke_invitation(
        &self,
        ws: WorkspaceId,
        id: InvitationId,
        now: Timestamp,
    ) -> StoreResult<()>;

    // --- product lines ----------------------------------------------------------------------
    async fn create_product_line(&self, line: NewProductLine) -> StoreResult<ProductLine>;
    async fn get_product_line(
        &self,
        ws: WorkspaceId,
        id: ProductLineId,
    ) -> StoreResult<ProductLine>;
    async fn list_product_lines(
        &self,
        ws: WorkspaceId,
        page: &PageRequest,
    ) -> StoreResult<Page<ProductLine>>;
    async fn update_product_line(
        &self,
        ws: WorkspaceId,
        id: ProductLineId,
        expected_version: i64,
        patch: ProductLinePatch,
    ) -> StoreResult<ProductLine>;
    /// Deletes the line; its products stay, without a line.
    async fn delete_product_line(
        &self,
        ws: WorkspaceId,
        id: ProductLineId,
        expected_version: i64,
    ) -> StoreResult<()>;

    // --- products ---------------------------------------------------------------------------
    async fn create_product(&self, product: NewProduct) -> StoreResult<Product>;
    async fn get_product(&self, ws: WorkspaceId, id: ProductId) -> StoreResult<Product>;
    /// Products ordered by key; archived ones only when asked.
    async fn list_products(
        &self,
        ws: WorkspaceId,
        filter: &ProductFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Product>>;
    async fn update_product(
        &self,
        ws: WorkspaceId,
        id: ProductId,
        expected_version: i64,
        patch: ProductPatch,
    ) -> StoreResult<Product>;
    async fn get_raci(&self, ws: WorkspaceId, product: ProductId) -> StoreResult<Vec<RaciEntry>>;
    /// Replaces the whole RACI table of a product. Every member must belong to the workspace
    /// (`NotFound` otherwise, and nothing changes).
    async fn set_raci(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        entries: &[(MemberId, Raci)],
    ) -> StoreResult<Vec<RaciEntry>>;

    // --- audit ------------------------------------------------------------------------------
    /// Appends an event. The audit table refuses updates and deletes at the database level.
    async fn append_audit(&self, event: AuditEvent) -> StoreResult<()>;
    /// Events newest first.
    async fn list_audit(
        &self,
        ws: WorkspaceId,
        filter: &AuditFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<AuditEvent>>;

    // --- shared counters and replay ---------------------------------------------------------
    /// Counts one hit on each key in a fixed window of `window_secs` and returns each count in
    /// the current window (in the order of `keys`), atomically per key, so the limits hold
    /// across instances. One call for the several limits of a request (per person and per
    /// address): one write instead of one per key.
    async fn hit_rate_limits(
        &self,
        keys: &[String],
        window_secs: i64,
        now: Timestamp,
    ) -> StoreResult<Vec<i64>>;
    /// The response stored for an `Idempotency-Key`, if any.
    async fn get_idempotent(
        &self,
        member: MemberId,
        key: &str,
    ) -> StoreResult<Option<IdempotentResponse>>;
    /// Stores a response for a key; a second store for the same key is ignored.
    async fn put_idempotent(
        &self,
        member: MemberId,
        key: &str,
        response: &IdempotentResponse,
        now: Timestamp,
    ) -> StoreResult<()>;

    // --- moving data ------------------------------------------------------------------------
    /// Every durable record, for backup, export and moving between backends. Sessions, rate
    /// counters, replay entries and setup tokens are ephemeral and not included.
    async fn dump(&self) -> StoreResult<Dump>;
    /// Loads a dump into an empty database in one transaction (`NotEmpty` otherwise).
    async fn load(&self, dump: &Dump) -> StoreResult<()>;
}

/// Timestamps are kept to the microsecond: PostgreSQL stores no finer, and a dump must survive a
/// move between backends unchanged.
pub fn to_micros(t: Timestamp) -> Timestamp {
    use chrono::TimeZone;
    Utc.timestamp_micros(t.timestamp_micros())
        .single()
        .unwrap_or(t)
}

/// The current time, to the microsecond.
pub fn now() -> Timestamp {
    to_micros(Utc::now())
}
