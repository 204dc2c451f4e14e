//! The portal half of the contract: each product's opt-in public portal, the public face of
//! ideas, portal users with their one-time sign-in codes and sessions, votes, comments,
//! subscriptions, and the outbox of e-mails.
//!
//! What several instances must share lives here, in the database: sessions, code tries, vote
//! rows (one per voter and idea, by a unique key) and the claim on each outgoing e-mail. Counters
//! shown on lists (an idea's `vote_count` and comment count) change in the same transaction as
//! the rows they count. The store never decides who may act: the core does, before calling.

use crate::{Page, PageRequest, StoreResult, Timestamp};
use async_trait::async_trait;
use phare_domain::*;
use serde::{Deserialize, Serialize};

/// A product's portal settings. A product without a row has a disabled portal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Portal {
    pub product_id: ProductId,
    pub workspace_id: WorkspaceId,
    pub enabled: bool,
    /// Shown as the portal's heading; empty means the product's name.
    pub title: String,
    /// Markdown, shown above the idea list.
    pub intro: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug)]
pub struct PortalPut {
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    /// The version the caller read; 0 when the product had no portal row yet.
    pub expected_version: i64,
    pub enabled: bool,
    pub title: String,
    pub intro: String,
    pub now: Timestamp,
}

/// An enabled portal found by its public address, with what the page needs to say whose it is.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicPortal {
    pub workspace: crate::Workspace,
    pub product: crate::Product,
    pub portal: Portal,
}

/// An idea as the portal knows it: its public face, its counters and its state. The idea's
/// internal fields (story, owner, evidence, customers, demand, tags, history) are not here, so
/// no public page can show them by mistake.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalIdea {
    pub idea_id: IdeaId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub number: i64,
    pub status: IdeaStatus,
    pub merged_into: Option<IdeaId>,
    pub state: PortalState,
    /// The public title (set from the idea's title when first published).
    pub title: String,
    /// The public description, Markdown.
    pub description: String,
    pub vote_count: i64,
    /// Visible (not hidden) comments.
    pub comment_count: i64,
    /// See [`phare_domain::trend_of`].
    pub trend: f64,
    pub published_at: Option<Timestamp>,
    /// The portal user who submitted it, for portal submissions.
    pub submitted_by: Option<PortalUserId>,
    pub created_at: Timestamp,
    /// The version of the public face, separate from the idea's own version so that moderating
    /// and editing the idea never conflict.
    pub portal_version: i64,
}

#[derive(Clone, Debug, Default)]
pub struct PortalIdeaPatch {
    pub state: Option<PortalState>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub now: Option<Timestamp>,
}

/// What the portal list shows. `states` empty means published only (the public list).
#[derive(Clone, Debug, PartialEq)]
pub struct PortalIdeaFilter {
    pub states: Vec<PortalState>,
    pub status: Option<IdeaStatus>,
    pub sort: PortalSort,
}

impl Default for PortalIdeaFilter {
    fn default() -> Self {
        Self {
            states: vec![PortalState::Published],
            status: None,
            sort: PortalSort::Trending,
        }
    }
}

/// An idea submitted on the portal: the idea (held as pending), the inbox item that records it,
/// linked as evidence, and the submitter's subscription, stored at once.
#[derive(Clone, Debug)]
pub struct PortalSubmission {
    pub idea: crate::NewIdea,
    pub submitted_by: PortalUserId,
    pub feedback: crate::NewFeedback,
    pub evidence_id: EvidenceId,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalUser {
    pub id: PortalUserId,
    pub workspace_id: WorkspaceId,
    /// Lower-cased; one portal user per e-mail and workspace.
    pub email: String,
    /// May be empty: pages then show a neutral word.
    pub display_name: String,
    pub created_at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct NewSignInCode {
    pub id: uuid::Uuid,
    pub workspace_id: WorkspaceId,
    pub email: String,
    /// See [`sign_in_code_hash`].
    pub code_hash: String,
    /// Kept for the user created at the first successful sign-in.
    pub display_name: String,
    pub now: Timestamp,
    pub expires_at: Timestamp,
    /// The e-mail that carries the code, queued in the same transaction.
    pub mail: NewOutbox,
}

/// What a code check found.
#[derive(Clone, Debug, PartialEq)]
pub enum CodeCheck {
    /// The code was right: it is spent, and this is the user (created at the first sign-in).
    Verified(PortalUser),
    /// Wrong code; this many tries remain on it (0: it is dead now).
    Wrong { tries_left: i64 },
    /// No live code for that address: none asked, expired, used, or out of tries.
    NoLiveCode,
}

/// A one-time code is short (people type it), so its hash is salted with the address it was
/// sent to; what protects it is its 15 minutes and its 5 tries, the hash keeps it out of
/// backups and database reads.
pub fn sign_in_code_hash(workspace: WorkspaceId, email: &str, code: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(
        format!("phare-portal-code:{workspace}:{email}:{code}").as_bytes(),
    ))
}

#[derive(Clone, Debug, PartialEq)]
pub struct PortalSession {
    pub portal_user_id: PortalUserId,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct NewPortalSession {
    /// SHA-256 of the cookie value, hex.
    pub id_hash: String,
    pub portal_user_id: PortalUserId,
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

/// A vote, with the inbox item and evidence it leaves the first time this person votes for
/// this idea (re-voting after an unvote updates the same item: one item per voter and idea).
#[derive(Clone, Debug)]
pub struct NewVote {
    pub workspace_id: WorkspaceId,
    pub idea_id: IdeaId,
    pub portal_user_id: PortalUserId,
    pub now: Timestamp,
    pub feedback: crate::NewFeedback,
    pub evidence_id: EvidenceId,
}

/// What a vote or unvote did; `changed` is false when it was already so (idempotent).
#[derive(Clone, Debug, PartialEq)]
pub struct VoteOutcome {
    pub changed: bool,
    pub idea: PortalIdea,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalVote {
    pub idea_id: IdeaId,
    pub portal_user_id: PortalUserId,
    pub workspace_id: WorkspaceId,
    pub created_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalSubscription {
    pub idea_id: IdeaId,
    pub portal_user_id: PortalUserId,
    pub workspace_id: WorkspaceId,
    pub created_at: Timestamp,
}

/// Who wrote a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentAuthor {
    User(PortalUserId),
    Member(MemberId),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalComment {
    pub id: CommentId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub idea_id: IdeaId,
    pub portal_user_id: Option<PortalUserId>,
    pub member_id: Option<MemberId>,
    /// Markdown; render it through `phare_domain::markdown::render`.
    pub body: String,
    pub hidden: bool,
    pub hidden_by: Option<MemberId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The author's display name (portal user) or name (member), read with the comment.
    #[serde(skip)]
    pub author_name: String,
}

#[derive(Clone, Debug)]
pub struct NewPortalComment {
    pub id: CommentId,
    pub workspace_id: WorkspaceId,
    pub idea_id: IdeaId,
    pub author: CommentAuthor,
    pub body: String,
    pub now: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: OutboxId,
    pub workspace_id: WorkspaceId,
    pub kind: OutboxKind,
    pub to_email: String,
    pub locale: Locale,
    /// What the message says, as data; the web layer composes the translated text from it.
    pub payload: serde_json::Value,
    pub status: OutboxStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub next_attempt_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

#[derive(Clone, Debug)]
pub struct NewOutbox {
    pub id: OutboxId,
    pub workspace_id: WorkspaceId,
    pub kind: OutboxKind,
    pub to_email: String,
    pub locale: Locale,
    pub payload: serde_json::Value,
    pub now: Timestamp,
}

/// What the portal tables hold, in a dump. Sign-in codes and portal sessions are ephemeral, as
/// the team's sessions are, and not included.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortalDump {
    pub portals: Vec<Portal>,
    /// The portal face of every idea that has left the default (private, no public text).
    pub portal_ideas: Vec<PortalIdea>,
    pub portal_users: Vec<PortalUser>,
    pub portal_votes: Vec<PortalVote>,
    pub portal_comments: Vec<PortalComment>,
    pub portal_subscriptions: Vec<PortalSubscription>,
    pub outbox: Vec<OutboxMessage>,
}

#[async_trait]
pub trait PortalStore: Send + Sync {
    // --- settings ---------------------------------------------------------------------------
    /// `NotFound` when the product has no portal row (its portal is off) or is not in `ws`.
    async fn get_portal(&self, ws: WorkspaceId, product: ProductId) -> StoreResult<Portal>;
    /// Creates the row (expected version 0) or updates it (`VersionConflict` on a stale
    /// version). `NotFound` when the product is not in `ws`.
    async fn put_portal(&self, put: PortalPut) -> StoreResult<Portal>;
    /// The enabled portal of a product that is not archived, by workspace slug and product key;
    /// `NotFound` for anything else.
    async fn find_public_portal(&self, slug: &str, key: &str) -> StoreResult<PublicPortal>;

    // --- ideas ------------------------------------------------------------------------------
    async fn get_portal_idea(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<PortalIdea>;
    async fn get_portal_idea_by_number(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        number: i64,
    ) -> StoreResult<PortalIdea>;
    /// Ideas of the product in the filter's states, merged ones left out, in the filter's order
    /// (trending and top fall back to newest first among equals).
    async fn list_portal_ideas(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        filter: &PortalIdeaFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<PortalIdea>>;
    /// Changes the public face if `expected_version` matches its portal version. Publishing for
    /// the first time sets `published_at`, and the public title from the idea's title when none
    /// was given. `VersionConflict` for a merged idea.
    async fn update_portal_idea(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        expected_version: i64,
        patch: PortalIdeaPatch,
    ) -> StoreResult<PortalIdea>;
    /// Stores a portal submission: the idea (pending), its inbox item linked as evidence, the
    /// submitter's subscription. `NotFound` when the product's portal is not enabled.
    async fn submit_portal_idea(&self, submission: PortalSubmission) -> StoreResult<PortalIdea>;

    // --- users, codes, sessions -------------------------------------------------------------
    /// Stores a code (live codes sent earlier to that address die) and queues its e-mail.
    async fn create_sign_in_code(&self, code: NewSignInCode) -> StoreResult<()>;
    /// Checks a code against the newest live code of that address, counting the try; a right
    /// code is spent and its user created if new.
    async fn verify_sign_in_code(
        &self,
        ws: WorkspaceId,
        email: &str,
        code_hash: &str,
        now: Timestamp,
    ) -> StoreResult<CodeCheck>;
    async fn get_portal_user(&self, ws: WorkspaceId, id: PortalUserId) -> StoreResult<PortalUser>;
    async fn create_portal_session(&self, session: NewPortalSession) -> StoreResult<()>;
    async fn get_portal_session(
        &self,
        id_hash: &str,
    ) -> StoreResult<Option<(PortalSession, PortalUser)>>;
    async fn touch_portal_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()>;
    async fn delete_portal_session(&self, id_hash: &str) -> StoreResult<()>;
    /// Removes dead portal sessions and spent or expired codes, and blanks the code of sign-in
    /// e-mails whose code expired (it is useless, and a secret while it lives); returns how many
    /// rows went.
    async fn purge_portal(&self, now: Timestamp, idle_before: Timestamp) -> StoreResult<u64>;

    // --- votes and subscriptions ------------------------------------------------------------
    /// One vote per user and idea: voting again changes nothing. The first vote adds to the
    /// idea's count and trend, subscribes the voter, and records the inbox item. `NotFound`
    /// when the idea is not published on an enabled portal (or merged).
    async fn vote(&self, vote: NewVote) -> StoreResult<VoteOutcome>;
    /// Removes the vote if there is one. The inbox item stays (see the core's `unvote`).
    async fn unvote(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        user: PortalUserId,
        now: Timestamp,
    ) -> StoreResult<VoteOutcome>;
    /// Portal users brought in bulk (the data generator, a portal moved from another tool), in
    /// one transaction; an address the workspace already knows is skipped. Returns how many
    /// were added.
    async fn import_portal_users(&self, users: Vec<PortalUser>) -> StoreResult<u64>;
    /// Votes brought in bulk, as from another tool: each counts in its idea's vote count and
    /// trend like a vote cast on the portal, but records no inbox item and subscribes nobody.
    /// A vote already cast is skipped. All or nothing: `NotFound` when an idea is not
    /// published on an enabled portal (or merged). Returns how many were added.
    async fn import_votes(&self, votes: Vec<PortalVote>) -> StoreResult<u64>;
    /// Which of `ideas` the user has voted for.
    async fn voted_ideas(&self, user: PortalUserId, ideas: &[IdeaId]) -> StoreResult<Vec<IdeaId>>;
    /// `Ok(true)` when a subscription was made. `NotFound` as for votes.
    async fn subscribe(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        user: PortalUserId,
        now: Timestamp,
    ) -> StoreResult<bool>;
    async fn unsubscribe(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        user: PortalUserId,
    ) -> StoreResult<bool>;
    async fn is_subscribed(&self, idea: IdeaId, user: PortalUserId) -> StoreResult<bool>;
    async fn list_subscribers(&self, ws: WorkspaceId, idea: IdeaId)
        -> StoreResult<Vec<PortalUser>>;

    // --- comments ---------------------------------------------------------------------------
    /// A comment by a portal user needs the idea published on an enabled portal; a member's
    /// needs the idea in the workspace. `NotFound` otherwise.
    async fn add_portal_comment(&self, comment: NewPortalComment) -> StoreResult<PortalComment>;
    /// Oldest first; hidden ones only when asked.
    async fn list_portal_comments(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        include_hidden: bool,
        page: &PageRequest,
    ) -> StoreResult<Page<PortalComment>>;
    /// Newest first, every idea of the product, hidden ones included (moderation).
    async fn list_product_comments(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        page: &PageRequest,
    ) -> StoreResult<Page<PortalComment>>;
    async fn get_portal_comment(
        &self,
        ws: WorkspaceId,
        id: CommentId,
    ) -> StoreResult<PortalComment>;
    /// Hides or shows a comment; the idea's comment count follows.
    async fn set_comment_hidden(
        &self,
        ws: WorkspaceId,
        id: CommentId,
        hidden: bool,
        by: MemberId,
        now: Timestamp,
    ) -> StoreResult<PortalComment>;

    // --- outbox -----------------------------------------------------------------------------
    async fn queue_outbox(&self, messages: Vec<NewOutbox>) -> StoreResult<()>;
    /// Newest first.
    async fn list_outbox(
        &self,
        ws: WorkspaceId,
        page: &PageRequest,
    ) -> StoreResult<Page<OutboxMessage>>;
    /// Claims up to `limit` messages due at `now` (queued, or `sending` with a claim older than
    /// `stale_before`: a sender that died), marking them `sending` in one statement, so two
    /// senders never get the same message. The caller sends outside any transaction.
    async fn claim_outbox(
        &self,
        now: Timestamp,
        stale_before: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<OutboxMessage>>;
    /// A claimed message went out. A sign-in code's e-mail loses its code (it has done its job).
    async fn outbox_sent(&self, id: OutboxId, now: Timestamp) -> StoreResult<()>;
    /// A claimed message could not go out: queued again for `retry_at`, or failed for good.
    async fn outbox_failed(
        &self,
        id: OutboxId,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<()>;
}
