//! The stakeholder part of the contract: stakeholder groups with weights, prioritization
//! sessions on a set of ideas, invitations, ballots, and the close that turns the ballots into
//! results. Every record is scoped by workspace. The rules that protect a session's fairness
//! are enforced here too, not only above: a ballot is refused once the session is closed or its
//! deadline passed, and closing reads the ballots and writes the results in one transaction.

use crate::{StoreResult, Timestamp};
use async_trait::async_trait;
use phare_domain::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StakeholderGroup {
    pub id: StakeholderGroupId,
    pub workspace_id: WorkspaceId,
    /// Which default group this is (its name is then translated until someone renames it).
    pub default_key: Option<DefaultGroup>,
    /// Empty for a default group never renamed.
    pub name: String,
    pub weight: f64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug)]
pub struct NewStakeholderGroup {
    pub id: StakeholderGroupId,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub weight: f64,
    pub now: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrioritizationSession {
    pub id: PrioritizationSessionId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub title: String,
    pub description: String,
    pub method: SessionMethod,
    pub state: SessionState,
    pub deadline: Timestamp,
    /// The session's ideas, in the order they are shown.
    pub idea_ids: Vec<IdeaId>,
    pub created_by: Option<MemberId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    /// Filled by the close.
    pub results: Option<SessionResults>,
    pub version: i64,
}

impl PrioritizationSession {
    /// Whether a ballot may be sent at `now`.
    pub fn accepts_ballots(&self, now: Timestamp) -> bool {
        self.state == SessionState::Open && now < self.deadline
    }
}

#[derive(Clone, Debug)]
pub struct NewPrioritizationSession {
    pub id: PrioritizationSessionId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub title: String,
    pub description: String,
    pub method: SessionMethod,
    pub deadline: Timestamp,
    pub idea_ids: Vec<IdeaId>,
    pub created_by: Option<MemberId>,
    pub now: Timestamp,
}

/// Which sessions to list.
#[derive(Clone, Debug, Default)]
pub struct SessionFilter {
    pub product: Option<ProductId>,
    /// Only the sessions this member is invited to.
    pub invited: Option<MemberId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInvitation {
    pub session_id: PrioritizationSessionId,
    pub member_id: MemberId,
    pub group_id: StakeholderGroupId,
    pub workspace_id: WorkspaceId,
    pub invited_at: Timestamp,
    /// Read with the invitation, not stored with it: the member's name and whether (and when)
    /// they answered — never what.
    #[serde(skip)]
    pub member_name: String,
    #[serde(skip)]
    pub answered_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ballot {
    pub session_id: PrioritizationSessionId,
    pub member_id: MemberId,
    pub workspace_id: WorkspaceId,
    pub answer: BallotAnswer,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// What became of a ballot sent to the store.
#[derive(Clone, Debug, PartialEq)]
pub enum BallotOutcome {
    Saved(Ballot),
    /// The session is still a draft.
    NotOpen,
    /// The session is closed: ballots are immutable.
    Closed,
    /// The deadline passed.
    DeadlinePassed,
}

/// The facts shown beside an idea on a ballot: the same for every stakeholder, never anything
/// of another's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct IdeaFacts {
    pub id: IdeaId,
    pub reference: String,
    pub title: String,
    pub as_a: String,
    pub i_want: String,
    pub so_that: String,
    pub evidence_count: i64,
    /// Distinct customers behind the evidence.
    pub customer_count: i64,
    /// The idea's score in its product's primary framework; `None` when not scored.
    pub score: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StakeholdersDump {
    pub stakeholder_groups: Vec<StakeholderGroup>,
    pub prioritization_sessions: Vec<PrioritizationSession>,
    pub session_invitations: Vec<SessionInvitation>,
    pub ballots: Vec<Ballot>,
}

#[async_trait]
pub trait StakeholderStore: Send + Sync {
    // --- groups -----------------------------------------------------------------------------
    /// Default groups first (in their fixed order), then the others by creation.
    async fn list_stakeholder_groups(&self, ws: WorkspaceId) -> StoreResult<Vec<StakeholderGroup>>;
    /// `Duplicate("name")` when a group of the workspace has that name.
    async fn create_stakeholder_group(
        &self,
        group: NewStakeholderGroup,
    ) -> StoreResult<StakeholderGroup>;
    async fn update_stakeholder_group(
        &self,
        ws: WorkspaceId,
        id: StakeholderGroupId,
        expected_version: i64,
        name: Option<String>,
        weight: f64,
        now: Timestamp,
    ) -> StoreResult<StakeholderGroup>;
    /// Deletes an unused group; `Ok(false)` (and nothing deleted) when an invitation uses it.
    async fn delete_stakeholder_group(
        &self,
        ws: WorkspaceId,
        id: StakeholderGroupId,
        expected_version: i64,
    ) -> StoreResult<bool>;
    /// Adds the six default groups to a workspace that has no group yet; returns how many it
    /// added (0 when the workspace already has groups).
    async fn seed_stakeholder_groups(&self, ws: WorkspaceId, now: Timestamp) -> StoreResult<u64>;

    // --- sessions ---------------------------------------------------------------------------
    /// `NotFound` when the product is not in the workspace or an idea is not in the product.
    async fn create_prioritization_session(
        &self,
        session: NewPrioritizationSession,
    ) -> StoreResult<PrioritizationSession>;
    async fn get_prioritization_session(
        &self,
        ws: WorkspaceId,
        id: PrioritizationSessionId,
    ) -> StoreResult<PrioritizationSession>;
    /// Newest first, at most 500.
    async fn list_prioritization_sessions(
        &self,
        ws: WorkspaceId,
        filter: &SessionFilter,
    ) -> StoreResult<Vec<PrioritizationSession>>;
    /// Draft → open. `VersionConflict` on a stale version or a session not in draft.
    async fn open_prioritization_session(
        &self,
        ws: WorkspaceId,
        id: PrioritizationSessionId,
        expected_version: i64,
        now: Timestamp,
    ) -> StoreResult<PrioritizationSession>;
    /// Reads the ballots with their invitations' groups and the groups' weights, aggregates
    /// them ([`phare_domain::aggregate`]) and stores the results with the closed state, in one
    /// transaction. `VersionConflict` on a stale version or a closed session.
    async fn close_prioritization_session(
        &self,
        ws: WorkspaceId,
        id: PrioritizationSessionId,
        expected_version: i64,
        now: Timestamp,
    ) -> StoreResult<PrioritizationSession>;

    // --- invitations and ballots ------------------------------------------------------------
    /// Invites members (or changes their group); every member and group must be of the
    /// workspace (`NotFound`), the session not closed (`VersionConflict`).
    async fn invite_stakeholders(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
        invitations: &[(MemberId, StakeholderGroupId)],
        now: Timestamp,
    ) -> StoreResult<Vec<SessionInvitation>>;
    /// With each member's name and when they answered, by name.
    async fn session_invitations(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
    ) -> StoreResult<Vec<SessionInvitation>>;
    async fn get_ballot(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
        member: MemberId,
    ) -> StoreResult<Option<Ballot>>;
    /// Stores the member's ballot (version 0 = none yet). `NotFound` when the member is not
    /// invited; `VersionConflict` on a stale version; the state and the deadline are checked in
    /// the same transaction.
    async fn put_ballot(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
        member: MemberId,
        expected_version: i64,
        answer: BallotAnswer,
        now: Timestamp,
    ) -> StoreResult<BallotOutcome>;
    /// The facts of the session's ideas, in the session's order.
    async fn session_idea_facts(
        &self,
        ws: WorkspaceId,
        session: PrioritizationSessionId,
    ) -> StoreResult<Vec<IdeaFacts>>;
}

/// The six default groups, in their fixed order, each of weight 1.
pub fn default_groups(ws: WorkspaceId, now: Timestamp) -> Vec<StakeholderGroup> {
    DefaultGroup::ALL
        .iter()
        .map(|k| StakeholderGroup {
            id: StakeholderGroupId::new(),
            workspace_id: ws,
            default_key: Some(*k),
            name: String::new(),
            weight: 1.0,
            created_at: now,
            updated_at: now,
            version: 1,
        })
        .collect()
}

/// The position of a default group in the fixed order (others after).
pub fn group_order(g: &StakeholderGroup) -> usize {
    g.default_key
        .and_then(|k| DefaultGroup::ALL.iter().position(|d| *d == k))
        .unwrap_or(DefaultGroup::ALL.len())
}
