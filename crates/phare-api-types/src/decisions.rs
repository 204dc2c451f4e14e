//! Decisions on the wire: the decision log, and members' notifications ("My inbox").

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

mirror_enum!(
    /// What a decision says: accept (the ideas become planned), decline (declined), defer (until
    /// a date or a condition), merge (into a kept idea).
    DecisionKind => phare_domain::DecisionKind { Accept, Decline, Defer, Merge }
);
mirror_enum!(
    /// What a decision links to.
    DecisionLinkKind => phare_domain::DecisionLinkKind { Evidence, Session, Decision }
);
mirror_enum!(
    /// What a notification is about.
    NotificationKind => phare_domain::NotificationKind { DeferredIdeaReturned }
);

/// A decision to record on the idea of the path (and, optionally, on more ideas of the same
/// product). Decisions are immutable: to change one, record a later decision that links to it
/// in `decision_ids`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionCreate {
    /// One of `accept`, `decline`, `defer`, `merge`.
    #[schema(example = "defer")]
    pub kind: String,
    /// Why (Markdown). Required.
    #[serde(default)]
    pub rationale: String,
    /// What the idea's portal followers are told (Markdown), optional.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub public_rationale: String,
    /// For `defer`: the day the ideas come back to their owners (`YYYY-MM-DD`, not in the past).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2027-03-01")]
    pub until: Option<String>,
    /// For `defer`: the condition to revisit them (a date or a condition is required).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub condition: String,
    /// For `merge`: the kept idea (same product).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub into: Option<Uuid>,
    /// More ideas of the same product decided at once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub idea_ids: Vec<Uuid>,
    /// Evidence items weighed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_ids: Vec<Uuid>,
    /// Prioritization sessions held.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub session_ids: Vec<Uuid>,
    /// Earlier decisions this one follows or supersedes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decision_ids: Vec<Uuid>,
    /// Members consulted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consulted: Vec<Uuid>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DecisionIdea {
    pub id: Uuid,
    /// `CHK-42`.
    pub reference: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DecisionLink {
    pub kind: DecisionLinkKind,
    pub id: Uuid,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Decision {
    pub id: Uuid,
    pub product_id: Uuid,
    pub kind: DecisionKind,
    /// Markdown.
    pub rationale: String,
    /// Markdown; empty when nothing is public.
    pub public_rationale: String,
    pub until: Option<NaiveDate>,
    pub condition: String,
    /// The kept idea of a merge.
    pub into: Option<DecisionIdea>,
    pub ideas: Vec<DecisionIdea>,
    pub links: Vec<DecisionLink>,
    pub decided_by: Option<Uuid>,
    pub consulted: Vec<Uuid>,
    pub decided_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Notification {
    pub id: Uuid,
    pub kind: NotificationKind,
    /// What it is about: for `deferred_idea_returned`, `idea_id`, `reference`, `title`,
    /// `decision_id` and `until`.
    pub data: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

page_type!(DecisionPage of Decision, NotificationPage of Notification);

/// How many notifications were marked read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MarkedRead {
    pub marked: u64,
    pub unread: i64,
}
