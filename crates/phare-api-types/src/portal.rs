//! The public portal on the wire: a product's portal settings, the public face of ideas, their
//! comments, and the outbox of e-mails. Only the team's moderation is in the API; end users use
//! the portal's pages.

use super::IdeaStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

mirror_enum!(
    /// Where an idea stands on its product's portal: `private` (the default: the public sees
    /// nothing), `pending` (a submission from the portal waiting for moderation), `published`,
    /// `hidden`.
    PortalState => phare_domain::PortalState { Private, Pending, Published, Hidden }
);
mirror_enum!(
    /// What an outgoing e-mail is about.
    OutboxKind => phare_domain::OutboxKind { SignInCode, StatusChanged }
);
mirror_enum!(
    /// An outgoing e-mail's state.
    OutboxStatus => phare_domain::OutboxStatus { Queued, Sending, Sent, Failed }
);

/// A product's public portal. A product never configured has `enabled: false` and version 0.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PortalSettings {
    pub product_id: Uuid,
    pub enabled: bool,
    /// The portal's heading; empty means the product's name.
    pub title: String,
    /// Markdown shown above the idea list.
    pub intro: String,
    /// The portal's address on this server (`/p/{workspace}/{product key}`).
    pub path: String,
    pub version: i64,
}

/// Changes to a product's portal (product managers). Send `If-Match` with the version read
/// (`"0"` for a portal never configured).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalSettingsUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
}

/// The public face of an idea: what the portal shows, nothing internal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PortalIdea {
    pub idea_id: Uuid,
    /// The idea's number in its product (its portal address ends in `/ideas/{number}`).
    pub number: i64,
    pub state: PortalState,
    pub status: IdeaStatus,
    /// The public title.
    pub title: String,
    /// The public description, Markdown.
    pub description: String,
    pub vote_count: i64,
    /// Visible comments.
    pub comment_count: i64,
    pub published_at: Option<DateTime<Utc>>,
    /// True for ideas submitted on the portal.
    pub submitted_on_portal: bool,
    /// The version of the public face (its ETag), separate from the idea's own.
    pub portal_version: i64,
}

/// Moderation of an idea's public face (product managers). `pending` is only where portal
/// submissions wait: an idea cannot be sent back there.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalIdeaUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<PortalState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PortalComment {
    pub id: Uuid,
    pub idea_id: Uuid,
    /// The portal user's display name, or the member's name.
    pub author_name: String,
    /// True when a member wrote it, in the team's name.
    pub by_team: bool,
    /// Markdown; render it through a sanitizer.
    pub body: String,
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
}

/// A reply on the portal in the team's name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalCommentCreate {
    pub body: String,
}

/// Hides a comment from the portal, or shows it again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalCommentUpdate {
    pub hidden: bool,
}

/// An outgoing e-mail, as it was or will be sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OutboxMessage {
    pub id: Uuid,
    pub kind: OutboxKind,
    pub to: String,
    pub status: OutboxStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub subject: String,
    /// The plain-text part (a sign-in code stays in it until it is sent or expires).
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

page_type!(
    PortalIdeaPage of PortalIdea,
    PortalCommentPage of PortalComment,
    OutboxPage of OutboxMessage,
);
