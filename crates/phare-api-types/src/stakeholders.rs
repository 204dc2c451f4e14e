//! Stakeholder prioritization sessions on the wire: stakeholder groups, sessions, invitations,
//! one's own ballot, and the results of a closed session.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

mirror_enum!(
    /// How stakeholders answer: 100-point allocation, ranking, or MoSCoW vote.
    SessionMethod => phare_domain::SessionMethod { Points, Ranking, Moscow }
);
mirror_enum!(
    /// draft (being prepared), open (answered until the deadline), closed (results computed).
    SessionState => phare_domain::SessionState { Draft, Open, Closed }
);
mirror_enum!(
    /// A MoSCoW vote.
    MoscowCategory => phare_domain::MoscowCategory { Must, Should, Could, Wont }
);
mirror_enum!(
    /// The six groups every workspace starts with.
    DefaultGroup => phare_domain::DefaultGroup { Management, Finance, Marketing, Tech, Design, Business }
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StakeholderGroup {
    pub id: Uuid,
    /// Set for the six default groups; their `name` is empty until renamed (the interface then
    /// shows the translated default name).
    pub default_key: Option<DefaultGroup>,
    pub name: String,
    /// From 0.1 to 100; a group's voice in the weighted ranking.
    pub weight: f64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A group's fields; on create `name` is required (weight 1 by default); on update absent
/// fields stay, and an empty name gives a default group its default name back.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StakeholderGroupWrite {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PrioritizationSession {
    pub id: Uuid,
    pub product_id: Uuid,
    pub title: String,
    pub description: String,
    pub method: SessionMethod,
    pub state: SessionState,
    pub deadline: DateTime<Utc>,
    /// The session's ideas, in the order shown.
    pub idea_ids: Vec<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionCreate {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub method: SessionMethod,
    /// RFC 3339; in the future.
    pub deadline: DateTime<Utc>,
    /// 2 to 500 ideas of the product, in the order to show them.
    pub idea_ids: Vec<Uuid>,
}

/// The facts shown beside an idea on a ballot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SessionIdea {
    pub id: Uuid,
    pub reference: String,
    pub title: String,
    pub as_a: String,
    pub i_want: String,
    pub so_that: String,
    pub evidence_count: i64,
    pub customer_count: i64,
    /// The score in the product's primary framework; null when not scored.
    pub score: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationWrite {
    pub member_id: Uuid,
    pub group_id: Uuid,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInvite {
    /// Members to invite (or whose group to change), 1 to 500.
    pub invitations: Vec<InvitationWrite>,
}

/// Who is invited, in which group, and whether they answered — never what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SessionInvitation {
    pub member_id: Uuid,
    pub member_name: String,
    pub group_id: Uuid,
    pub invited_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// One's own ballot. Before the first answer: `answered` false and version 0 (send
/// `If-Match: "0"` with the first PUT).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Ballot {
    pub session_id: Uuid,
    pub method: SessionMethod,
    pub answered: bool,
    /// 100-point allocation: points per idea id (ideas not listed got none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<BTreeMap<Uuid, u32>>,
    /// Ranking: every idea id, most important first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ranking: Option<Vec<Uuid>>,
    /// MoSCoW: a category per idea id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moscow: Option<BTreeMap<Uuid, MoscowCategory>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// A ballot in the session's method: `points` (each ≥ 0, at most 100 in all), `ranking` (every
/// idea of the session once) or `moscow` (one category per idea). Errors name the field:
/// `points.<idea id>`, `points`, `ranking`, `moscow.<idea id>`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BallotWrite {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<BTreeMap<Uuid, i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<Vec<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moscow: Option<BTreeMap<Uuid, String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupResult {
    pub group_id: Uuid,
    pub default_key: Option<DefaultGroup>,
    /// The group's name now (empty for a default group never renamed).
    pub name: String,
    /// The weight used by the close.
    pub weight: f64,
    pub ballots: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupScore {
    pub group_id: Uuid,
    /// The group's mean normalised score (0 to 1); null when the group has no ballot.
    pub score: Option<f64>,
    pub rank: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IdeaResult {
    pub idea_id: Uuid,
    pub reference: String,
    pub title: String,
    /// 1 = first in the weighted ranking; ties share a rank.
    pub rank: u32,
    /// Weighted score, 0 to 1; null when nobody answered.
    pub score: Option<f64>,
    /// Standard deviation of the groups' scores (0 to 0.5).
    pub disagreement: f64,
    /// Among the most disputed ideas: worth a discussion.
    pub disputed: bool,
    pub groups: Vec<GroupScore>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SessionResults {
    pub session_id: Uuid,
    pub method: SessionMethod,
    pub closed_at: Option<DateTime<Utc>>,
    pub ballots: u32,
    pub groups: Vec<GroupResult>,
    /// In the weighted ranking's order.
    pub ideas: Vec<IdeaResult>,
}
