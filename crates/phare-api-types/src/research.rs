//! Research on the wire: personas, competitors and the comparison grid, research notes.

use super::nullable;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

mirror_enum!(
    /// How well a solution covers a capability.
    Rating => phare_domain::Rating { Have, Partial, No }
);
mirror_enum!(
    /// What a persona is linked to.
    PersonaTarget => phare_domain::PersonaTarget { Idea, Feedback }
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Persona {
    pub id: Uuid,
    pub product_id: Uuid,
    pub name: String,
    /// Markdown.
    pub description: String,
    pub goals: String,
    pub frustrations: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A persona's fields; on create `name` is required, on update absent fields stay.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonaWrite {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goals: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frustrations: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonaLinkCreate {
    pub target_kind: PersonaTarget,
    pub target_id: Uuid,
}

/// The ideas and feedback a persona concerns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PersonaLinks {
    pub ideas: Vec<super::Idea>,
    pub feedback: Vec<super::Feedback>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Competitor {
    pub id: Uuid,
    pub product_id: Uuid,
    pub name: String,
    /// An http or https address, or empty.
    pub website: String,
    pub strengths: String,
    pub weaknesses: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetitorWrite {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strengths: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weaknesses: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Capability {
    pub id: Uuid,
    pub name: String,
    /// Our own product's rating.
    pub ours: Rating,
    pub ours_note: String,
}

/// Adds a capability row, or changes our rating of the row of that name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilityPut {
    pub name: String,
    pub ours: Rating,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ours_note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingPut {
    pub rating: Rating,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GridCell {
    pub competitor_id: Uuid,
    pub capability_id: Uuid,
    pub rating: Rating,
    pub note: String,
}

/// "How do we compare": capabilities × competitors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ComparisonGrid {
    pub capabilities: Vec<Capability>,
    pub competitors: Vec<Competitor>,
    pub cells: Vec<GridCell>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ResearchNote {
    pub id: Uuid,
    pub product_id: Uuid,
    pub title: String,
    pub participant: String,
    pub persona_id: Option<Uuid>,
    pub held_on: DateTime<Utc>,
    /// Markdown.
    pub notes: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A note's fields; on create `title` is required; `persona_id: null` removes the persona.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResearchNoteWrite {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Uuid>)]
    pub persona_id: Option<Option<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_on: Option<DateTime<Utc>>,
}

/// A passage of a note to turn into feedback, optionally linked to an idea as evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PassageCreate {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idea_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<super::Importance>,
}

page_type!(ResearchNotePage of ResearchNote,);
