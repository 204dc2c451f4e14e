//! The research part of the contract: personas, competitors and their comparison grid, and
//! research notes. Like the rest of discovery, every record is scoped by workspace.

use crate::{Feedback, Idea, NewFeedback, Page, PageRequest, StoreResult, Timestamp};
use async_trait::async_trait;
use phare_domain::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Persona {
    pub id: PersonaId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub name: String,
    pub description: String,
    pub goals: String,
    pub frustrations: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug)]
pub struct NewPersona {
    pub id: PersonaId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub text: PersonaText,
    pub now: Timestamp,
}

/// Whom a persona concerns: ideas and feedback items.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PersonaLinks {
    pub ideas: Vec<Idea>,
    pub feedback: Vec<Feedback>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonaLink {
    pub persona_id: PersonaId,
    pub target_id: uuid::Uuid,
    pub target_kind: PersonaTarget,
    pub workspace_id: WorkspaceId,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Competitor {
    pub id: CompetitorId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub name: String,
    pub website: String,
    pub strengths: String,
    pub weaknesses: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug)]
pub struct NewCompetitor {
    pub id: CompetitorId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub text: CompetitorText,
    pub now: Timestamp,
}

/// A row of the comparison grid, with our own product's rating.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Capability {
    pub id: CapabilityId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub name: String,
    pub ours: Rating,
    pub ours_note: String,
    pub created_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompetitorRating {
    pub competitor_id: CompetitorId,
    pub capability_id: CapabilityId,
    pub rating: Rating,
    pub note: String,
}

/// "How do we compare": capabilities (rows, by name) × competitors (columns, by name).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ComparisonGrid {
    pub capabilities: Vec<Capability>,
    pub competitors: Vec<Competitor>,
    pub ratings: Vec<CompetitorRating>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResearchNote {
    pub id: ResearchNoteId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub title: String,
    pub participant: String,
    pub persona_id: Option<PersonaId>,
    pub held_on: Timestamp,
    pub notes: String,
    pub created_by: Option<MemberId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug)]
pub struct NewResearchNote {
    pub id: ResearchNoteId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub text: NoteText,
    pub persona_id: Option<PersonaId>,
    pub held_on: Timestamp,
    pub created_by: Option<MemberId>,
    pub now: Timestamp,
}

/// Changes to a note; `persona_id: Some(None)` removes the persona.
#[derive(Clone, Debug, Default)]
pub struct ResearchNotePatch {
    pub text: Option<NoteText>,
    pub persona_id: Option<Option<PersonaId>>,
    pub held_on: Option<Timestamp>,
    pub now: Option<Timestamp>,
}

/// A passage of a research note captured as feedback, linked to an idea and a persona if
/// given, all at once.
#[derive(Clone, Debug)]
pub struct CapturedPassage {
    pub feedback: NewFeedback,
    pub evidence: Option<crate::NewEvidence>,
    pub persona: Option<PersonaId>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResearchDump {
    pub personas: Vec<Persona>,
    pub persona_links: Vec<PersonaLink>,
    pub competitors: Vec<Competitor>,
    pub capabilities: Vec<Capability>,
    pub competitor_ratings: Vec<CompetitorRating>,
    pub research_notes: Vec<ResearchNote>,
}

#[async_trait]
pub trait ResearchStore: Send + Sync {
    // --- personas ---------------------------------------------------------------------------
    /// `Duplicate("name")` when the product has a persona of that name; `NotFound` when the
    /// product is not in the workspace.
    async fn create_persona(&self, persona: NewPersona) -> StoreResult<Persona>;
    async fn get_persona(&self, ws: WorkspaceId, id: PersonaId) -> StoreResult<Persona>;
    /// By name.
    async fn list_personas(&self, ws: WorkspaceId, product: ProductId)
        -> StoreResult<Vec<Persona>>;
    async fn update_persona(
        &self,
        ws: WorkspaceId,
        id: PersonaId,
        expected_version: i64,
        text: PersonaText,
        now: Timestamp,
    ) -> StoreResult<Persona>;
    /// Deletes the persona and its links; notes keep existing without it.
    async fn delete_persona(
        &self,
        ws: WorkspaceId,
        id: PersonaId,
        expected_version: i64,
    ) -> StoreResult<()>;
    /// Links the persona to an idea or feedback item of the workspace (`NotFound` otherwise);
    /// linking twice is harmless.
    async fn link_persona(
        &self,
        ws: WorkspaceId,
        persona: PersonaId,
        target: PersonaTarget,
        target_id: uuid::Uuid,
    ) -> StoreResult<()>;
    async fn unlink_persona(
        &self,
        ws: WorkspaceId,
        persona: PersonaId,
        target_id: uuid::Uuid,
    ) -> StoreResult<()>;
    /// The ideas and feedback the persona concerns, newest first.
    async fn persona_links(&self, ws: WorkspaceId, persona: PersonaId)
        -> StoreResult<PersonaLinks>;
    /// The personas an idea or a feedback item concerns, by name.
    async fn personas_of(
        &self,
        ws: WorkspaceId,
        target_id: uuid::Uuid,
    ) -> StoreResult<Vec<Persona>>;

    // --- competitors and the grid -----------------------------------------------------------
    async fn create_competitor(&self, competitor: NewCompetitor) -> StoreResult<Competitor>;
    async fn get_competitor(&self, ws: WorkspaceId, id: CompetitorId) -> StoreResult<Competitor>;
    async fn update_competitor(
        &self,
        ws: WorkspaceId,
        id: CompetitorId,
        expected_version: i64,
        text: CompetitorText,
        now: Timestamp,
    ) -> StoreResult<Competitor>;
    async fn delete_competitor(
        &self,
        ws: WorkspaceId,
        id: CompetitorId,
        expected_version: i64,
    ) -> StoreResult<()>;
    /// Adds a capability row, or changes our rating of the one of that name.
    async fn put_capability(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        name: &str,
        ours: Rating,
        ours_note: &str,
        now: Timestamp,
    ) -> StoreResult<Capability>;
    async fn delete_capability(&self, ws: WorkspaceId, id: CapabilityId) -> StoreResult<()>;
    /// Sets one cell of the grid; the competitor and the capability must be of the same
    /// product of the workspace (`NotFound` otherwise).
    async fn rate_competitor(&self, ws: WorkspaceId, rating: CompetitorRating) -> StoreResult<()>;
    async fn comparison_grid(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<ComparisonGrid>;

    // --- research notes ---------------------------------------------------------------------
    async fn create_research_note(&self, note: NewResearchNote) -> StoreResult<ResearchNote>;
    async fn get_research_note(
        &self,
        ws: WorkspaceId,
        id: ResearchNoteId,
    ) -> StoreResult<ResearchNote>;
    /// Newest first.
    async fn list_research_notes(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        page: &PageRequest,
    ) -> StoreResult<Page<ResearchNote>>;
    async fn update_research_note(
        &self,
        ws: WorkspaceId,
        id: ResearchNoteId,
        expected_version: i64,
        patch: ResearchNotePatch,
    ) -> StoreResult<ResearchNote>;
    /// Creates the feedback item, its evidence on the idea and its persona link, all or
    /// nothing (the "two actions" of turning an interview passage into evidence).
    async fn capture_passage(&self, passage: CapturedPassage) -> StoreResult<Feedback>;
}

/// The text a persona is found by.
pub fn persona_search_text(p: &Persona) -> String {
    use phare_domain::markdown::to_plain_text;
    phare_domain::text::index_terms(&format!(
        "{name}\n{name}\n{}\n{}\n{}",
        to_plain_text(&p.description),
        to_plain_text(&p.goals),
        to_plain_text(&p.frustrations),
        name = p.name,
    ))
}

/// The text a competitor is found by.
pub fn competitor_search_text(c: &Competitor) -> String {
    use phare_domain::markdown::to_plain_text;
    phare_domain::text::index_terms(&format!(
        "{name}\n{name}\n{}\n{}",
        to_plain_text(&c.strengths),
        to_plain_text(&c.weaknesses),
        name = c.name,
    ))
}

/// The text a research note is found by.
pub fn note_search_text(n: &ResearchNote) -> String {
    phare_domain::text::index_terms(&format!(
        "{title}\n{title}\n{}\n{}",
        n.participant,
        phare_domain::markdown::to_plain_text(&n.notes),
        title = n.title,
    ))
}
