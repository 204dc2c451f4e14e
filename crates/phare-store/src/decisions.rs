//! The decision log, the database job queue and members' personal notifications.
//!
//! A decision is written once and never changed: a later decision links to it (supersedes it).
//! Job claims live in the database (DESIGN rule 3): a claim is one conditional update, so two
//! instances never run the same job; a claim carries a lease, and a job whose lease ran out (its
//! instance died) is claimed again. A notification carries a key unique per member, so a job run
//! twice still notifies once.

use crate::{Idea, IdeaMerge, Page, PageRequest, StatusChange, StoreResult, Timestamp};
use async_trait::async_trait;
use chrono::NaiveDate;
use phare_domain::*;
use serde::{Deserialize, Serialize};

/// An idea a decision covers (or keeps, for a merge), with what lists show of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionIdea {
    pub idea_id: IdeaId,
    pub reference: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionLink {
    pub kind: DecisionLinkKind,
    pub target_id: uuid::Uuid,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub id: DecisionId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub kind: DecisionKind,
    pub rationale: String,
    pub public_rationale: String,
    pub until: Option<NaiveDate>,
    pub condition: String,
    /// The kept idea of a merge.
    pub into: Option<DecisionIdea>,
    /// In the order given.
    pub ideas: Vec<DecisionIdea>,
    pub links: Vec<DecisionLink>,
    pub decided_by: Option<MemberId>,
    pub consulted: Vec<MemberId>,
    pub decided_at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct NewDecision {
    pub id: DecisionId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub kind: DecisionKind,
    pub text: DecisionText,
    pub into: Option<IdeaId>,
    pub ideas: Vec<IdeaId>,
    pub links: Vec<DecisionLink>,
    pub decided_by: Option<MemberId>,
    pub consulted: Vec<MemberId>,
    pub now: Timestamp,
}

/// What carrying out a decision changes, in the transaction that records it: the decision is
/// stored with all of its effects or not at all.
#[derive(Clone, Debug, Default)]
pub enum DecisionEffect {
    /// Nothing changes (a deferral).
    #[default]
    Nothing,
    /// Accept or decline: the ideas take a status, exactly as
    /// `ScoringStore::change_idea_statuses` changes it.
    Status(StatusChange),
    /// Merge: each merge is made as `DiscoveryStore::merge_ideas` makes it, in order.
    Merge(Vec<IdeaMerge>),
    /// A deferral until a date: the job that brings the ideas back that day, queued as
    /// `enqueue_job` queues it.
    Schedule(NewJob),
}

/// Filters of a product's decision list; every `None` is "any".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecisionFilter {
    pub kind: Option<DecisionKind>,
    /// Decided on or after / before (exclusive) these instants.
    pub from: Option<Timestamp>,
    pub before: Option<Timestamp>,
    pub decided_by: Option<MemberId>,
    /// From `phare_domain::text::query_terms` over the rationale, the public rationale and the
    /// condition; empty means no search.
    pub terms: Vec<Vec<String>>,
    /// Decisions linking to this record (the later decisions of a decision).
    pub links_to: Option<uuid::Uuid>,
}

/// The references a decision makes that must exist in the workspace, checked before anything
/// is stored so that the caller can name the field.
#[derive(Clone, Debug, Default)]
pub struct DecisionRefs {
    pub evidence: Vec<EvidenceId>,
    pub decisions: Vec<DecisionId>,
    pub members: Vec<MemberId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: JobId,
    pub workspace_id: Option<WorkspaceId>,
    pub kind: JobKind,
    pub payload: serde_json::Value,
    pub run_at: Timestamp,
    pub state: JobState,
    pub claimed_by: Option<String>,
    pub lease_until: Option<Timestamp>,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub done_at: Option<Timestamp>,
}

#[derive(Clone, Debug)]
pub struct NewJob {
    pub id: JobId,
    pub workspace_id: Option<WorkspaceId>,
    pub kind: JobKind,
    pub payload: serde_json::Value,
    pub run_at: Timestamp,
    pub now: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    pub workspace_id: WorkspaceId,
    pub member_id: MemberId,
    pub kind: NotificationKind,
    /// What it says, as data; pages and the API compose the text.
    pub payload: serde_json::Value,
    /// Unique per member: the same event never notifies twice.
    pub dedupe_key: String,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

#[derive(Clone, Debug)]
pub struct NewNotification {
    pub id: NotificationId,
    pub workspace_id: WorkspaceId,
    pub member_id: MemberId,
    pub kind: NotificationKind,
    pub payload: serde_json::Value,
    pub dedupe_key: String,
    pub now: Timestamp,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionsDump {
    pub decisions: Vec<Decision>,
    pub jobs: Vec<Job>,
    pub notifications: Vec<Notification>,
}

#[async_trait]
pub trait DecisionStore: Send + Sync {
    // --- decisions --------------------------------------------------------------------------
    /// The fields whose references are missing from the workspace: `evidence_ids`,
    /// `decision_ids`, `consulted`, in that order.
    async fn missing_decision_refs(
        &self,
        ws: WorkspaceId,
        refs: &DecisionRefs,
    ) -> StoreResult<Vec<&'static str>>;
    /// Stores the decision, its ideas, links and consulted members, and its search entry, at
    /// once. `NotFound` when the product, an idea, the kept idea, an evidence item, an earlier
    /// decision or a member is not in the workspace (session links are kept as given).
    async fn record_decision(&self, decision: NewDecision) -> StoreResult<Decision>;
    /// Carries out the decision's effect and records the decision (as `record_decision`) in one
    /// transaction: when any part fails (a stale version, an idea merged meanwhile, a missing
    /// reference), nothing is stored and the error is that part's. Returns the decision and the
    /// ideas the effect changed, as they now are (the merged ideas, for a merge).
    async fn carry_out_decision(
        &self,
        decision: NewDecision,
        effect: DecisionEffect,
    ) -> StoreResult<(Decision, Vec<Idea>)>;
    async fn get_decision(&self, ws: WorkspaceId, id: DecisionId) -> StoreResult<Decision>;
    /// A product's decisions, newest first.
    async fn list_decisions(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        filter: &DecisionFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Decision>>;
    /// The decisions about an idea (covering it, or keeping it in a merge), newest first.
    async fn list_idea_decisions(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<Decision>>;

    // --- the job queue ----------------------------------------------------------------------
    async fn enqueue_job(&self, job: NewJob) -> StoreResult<Job>;
    async fn get_job(&self, id: JobId) -> StoreResult<Job>;
    /// Claims up to `limit` jobs due at `now` (queued with `run_at <= now`, or running with a
    /// lease that ended before `now`) for `owner` until `lease_until`, in one statement: two
    /// claimers, in one process or on two instances, never get the same job.
    async fn claim_jobs(
        &self,
        owner: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<Job>>;
    /// Marks a job done if `owner` still holds it; `false` when the claim was lost (its lease
    /// ran out and another instance took it).
    async fn complete_job(&self, id: JobId, owner: &str, now: Timestamp) -> StoreResult<bool>;
    /// A failed run: queued again for `retry_at`, or failed for good. `false` when the claim
    /// was lost.
    async fn fail_job(
        &self,
        id: JobId,
        owner: &str,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> StoreResult<bool>;

    // --- notifications ----------------------------------------------------------------------
    /// Adds a notification; `false` (and nothing stored) when the member already has one with
    /// this key. `NotFound` when the member is not in the workspace.
    async fn create_notification(&self, n: NewNotification) -> StoreResult<bool>;
    /// A member's notifications, newest first; unread ones only when asked.
    async fn list_notifications(
        &self,
        ws: WorkspaceId,
        member: MemberId,
        unread_only: bool,
        page: &PageRequest,
    ) -> StoreResult<Page<Notification>>;
    async fn count_unread_notifications(
        &self,
        ws: WorkspaceId,
        member: MemberId,
    ) -> StoreResult<i64>;
    /// Marks one notification of this member read (`NotFound` if it is not theirs), or all of
    /// them when `id` is `None`. Returns how many changed.
    async fn mark_notifications_read(
        &self,
        ws: WorkspaceId,
        member: MemberId,
        id: Option<NotificationId>,
        now: Timestamp,
    ) -> StoreResult<u64>;
}

/// The text a decision is found by: its rationale, public rationale and condition.
pub fn decision_search_text(text: &DecisionText) -> String {
    use phare_domain::markdown::to_plain_text;
    phare_domain::text::index_terms(&format!(
        "{}\n{}\n{}",
        to_plain_text(&text.rationale),
        to_plain_text(&text.public_rationale),
        text.condition,
    ))
}

/// The text of a stored decision, for re-indexing after a restore.
pub fn decision_text(d: &Decision) -> DecisionText {
    DecisionText {
        rationale: d.rationale.clone(),
        public_rationale: d.public_rationale.clone(),
        condition: d.condition.clone(),
        until: d.until,
    }
}
