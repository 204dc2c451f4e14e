//! The records a store reads and writes. `New*` values are complete rows to insert (ids are
//! minted by the caller); `*Patch` values change only the fields that are `Some`.

use crate::Timestamp;
use phare_domain::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub slug: String,
    pub name: String,
    pub default_locale: Locale,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug)]
pub struct NewWorkspace {
    pub id: WorkspaceId,
    pub slug: String,
    pub name: String,
    pub default_locale: Locale,
    pub now: Timestamp,
}

#[derive(Clone, Debug, Default)]
pub struct WorkspacePatch {
    pub name: Option<String>,
    pub default_locale: Option<Locale>,
    pub now: Option<Timestamp>,
}

/// A member who owns ideas of a product, as an owner filter lists them: only what the filter
/// shows (a product of the large set has hundreds of owners, read on every backlog view).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdeaOwner {
    pub id: MemberId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: MemberId,
    pub workspace_id: WorkspaceId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub job_title: Option<JobTitle>,
    pub time_zone: String,
    pub work_start: String,
    pub work_end: String,
    pub locale: Option<Locale>,
    pub disabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug)]
pub struct NewMember {
    pub id: MemberId,
    pub workspace_id: WorkspaceId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub job_title: Option<JobTitle>,
    pub password_hash: Option<String>,
    pub time_zone: String,
    pub locale: Option<Locale>,
    pub now: Timestamp,
}

#[derive(Clone, Debug, Default)]
pub struct MemberPatch {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub job_title: Option<Option<JobTitle>>,
    pub time_zone: Option<String>,
    pub work_start: Option<String>,
    pub work_end: Option<String>,
    pub locale: Option<Option<Locale>>,
    pub disabled: Option<bool>,
    pub now: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub member_id: MemberId,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct NewSession {
    /// SHA-256 of the cookie value, hex: the cookie itself is never stored.
    pub id_hash: String,
    pub member_id: MemberId,
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub member_id: MemberId,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

#[derive(Clone, Debug)]
pub struct NewToken {
    pub id: TokenId,
    pub member_id: MemberId,
    pub name: String,
    pub token_hash: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<Timestamp>,
    pub now: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: InvitationId,
    pub workspace_id: WorkspaceId,
    pub email: String,
    pub role: Role,
    pub invited_by: MemberId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

#[derive(Clone, Debug)]
pub struct NewInvitation {
    pub id: InvitationId,
    pub workspace_id: WorkspaceId,
    pub email: String,
    pub role: Role,
    pub invited_by: MemberId,
    pub token_hash: String,
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductLine {
    pub id: ProductLineId,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub description: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug)]
pub struct NewProductLine {
    pub id: ProductLineId,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub description: String,
    pub now: Timestamp,
}

#[derive(Clone, Debug, Default)]
pub struct ProductLinePatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub now: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub workspace_id: WorkspaceId,
    pub product_line_id: Option<ProductLineId>,
    pub name: String,
    pub key: String,
    pub description: String,
    pub pm_model: PmModel,
    pub archived: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug)]
pub struct NewProduct {
    pub id: ProductId,
    pub workspace_id: WorkspaceId,
    pub product_line_id: Option<ProductLineId>,
    pub name: String,
    pub key: String,
    pub description: String,
    pub pm_model: PmModel,
    pub now: Timestamp,
}

#[derive(Clone, Debug, Default)]
pub struct ProductPatch {
    pub product_line_id: Option<Option<ProductLineId>>,
    pub name: Option<String>,
    pub key: Option<String>,
    pub description: Option<String>,
    pub pm_model: Option<PmModel>,
    pub archived: Option<bool>,
    pub now: Option<Timestamp>,
}

#[derive(Clone, Debug, Default)]
pub struct ProductFilter {
    pub include_archived: bool,
    pub product_line_id: Option<ProductLineId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaciEntry {
    pub product_id: ProductId,
    pub member_id: MemberId,
    pub member_name: String,
    pub raci: Raci,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: AuditId,
    /// None for events before a workspace is known (a failed login with an unknown e-mail).
    pub workspace_id: Option<WorkspaceId>,
    pub at: Timestamp,
    pub actor_id: Option<MemberId>,
    /// What we know of the actor even without an account: an e-mail tried at login, `cli`, …
    pub actor_label: String,
    /// Dotted verb such as `product.create`, `auth.login`, `token.revoke`.
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    /// `success`, `denied` or `failure`.
    pub outcome: String,
    pub request_id: String,
    pub source_ip: String,
    /// Non-secret details (changed field names, new role…). Never a password or token.
    pub detail: serde_json::Value,
}

#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Matches actions that start with this text (`auth.` for every login event).
    pub action_prefix: Option<String>,
    pub actor_id: Option<MemberId>,
    pub outcome: Option<String>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdempotentResponse {
    /// SHA-256 of method, path and body: a key reused for another request is refused.
    pub request_hash: String,
    pub status: u16,
    pub body: String,
    pub etag: Option<String>,
    pub location: Option<String>,
}

/// A member row with its password hash, as it travels in a dump.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberRecord {
    #[serde(flatten)]
    pub member: Member,
    pub password_hash: Option<String>,
}

/// A token row with its hash, as it travels in a dump (the secret itself is never stored).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenRecord {
    #[serde(flatten)]
    pub token: ApiToken,
    pub token_hash: String,
}

/// An invitation row with its hash, as it travels in a dump.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationRecord {
    #[serde(flatten)]
    pub invitation: Invitation,
    pub token_hash: String,
}
