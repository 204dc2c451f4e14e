//! Typed identifiers. Every record key is a UUIDv7 (time-ordered, so B-tree friendly and safe to
//! mint on several instances); the newtypes stop a product id from being passed as a member id.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    )*};
}

id_type!(
    WorkspaceId,
    MemberId,
    ProductLineId,
    ProductId,
    InvitationId,
    TokenId,
    AuditId,
    CustomerId,
    FeedbackId,
    IdeaId,
    EvidenceId,
    PortalUserId,
    CommentId,
    OutboxId,
    PersonaId,
    CompetitorId,
    CapabilityId,
    ResearchNoteId,
    // Stakeholder sessions (issue #4 part 3).
    StakeholderGroupId,
    PrioritizationSessionId,
);

// Decisions (issue #4): the decision log, the job queue, members' notifications.
id_type!(DecisionId, JobId, NotificationId);
