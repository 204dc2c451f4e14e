//! Research: personas, competitors and the "how do we compare" grid, research notes, and
//! turning a passage of a note into feedback linked to an idea.

use crate::{Action, Actor, CoreError, CoreResult, Phare, RequestMeta};
use phare_domain::validate::{optional_text, required_text};
use phare_domain::*;
use phare_store::*;
use serde_json::json;

/// A passage of a research note to capture as feedback.
#[derive(Clone, Debug)]
pub struct PassageInput {
    pub text: String,
    /// The idea it supports, if any; linked as evidence with `importance` (default important).
    pub idea: Option<IdeaId>,
    pub importance: Option<Importance>,
}

#[derive(Clone, Debug, Default)]
pub struct NoteInput {
    pub title: Option<String>,
    pub participant: Option<String>,
    pub notes: Option<String>,
    pub persona_id: Option<Option<PersonaId>>,
    pub held_on: Option<Timestamp>,
}

fn persona_error(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound => CoreError::field("persona_id", "unknown_persona"),
        other => other.into(),
    }
}

impl Phare {
    // --- personas ---------------------------------------------------------------------------

    pub async fn create_persona(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        text: PersonaText,
    ) -> CoreResult<Persona> {
        self.check(actor, meta, Action::WorkOnDiscovery, "persona.create")
            .await?;
        let mut errors = Invalid::new();
        let text = text.validate(&mut errors);
        errors.into_result()?;
        let p = self
            .store()
            .create_persona(NewPersona {
                id: PersonaId::new(),
                workspace_id: actor.member.workspace_id,
                product_id: product,
                text,
                now: now(),
            })
            .await?;
        self.audit_ok(actor, meta, "persona.create", "persona", p.id, json!({}))
            .await;
        Ok(p)
    }

    pub async fn get_persona(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PersonaId,
    ) -> CoreResult<Persona> {
        self.check(actor, meta, Action::ReadDiscovery, "persona.read")
            .await?;
        Ok(self
            .store()
            .get_persona(actor.member.workspace_id, id)
            .await?)
    }

    pub async fn list_personas(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
    ) -> CoreResult<Vec<Persona>> {
        self.check(actor, meta, Action::ReadDiscovery, "persona.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_product(ws, product).await?;
        Ok(self.store().list_personas(ws, product).await?)
    }

    pub async fn update_persona(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PersonaId,
        version: i64,
        text: PersonaText,
    ) -> CoreResult<Persona> {
        self.check(actor, meta, Action::WorkOnDiscovery, "persona.update")
            .await?;
        let mut errors = Invalid::new();
        let text = text.validate(&mut errors);
        errors.into_result()?;
        let p = self
            .store()
            .update_persona(actor.member.workspace_id, id, version, text, now())
            .await?;
        self.audit_ok(actor, meta, "persona.update", "persona", p.id, json!({}))
            .await;
        Ok(p)
    }

    pub async fn delete_persona(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PersonaId,
        version: i64,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::CurateDiscovery, "persona.delete")
            .await?;
        self.store()
            .delete_persona(actor.member.workspace_id, id, version)
            .await?;
        self.audit_ok(actor, meta, "persona.delete", "persona", id, json!({}))
            .await;
        Ok(())
    }

    pub async fn link_persona(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        persona: PersonaId,
        target: PersonaTarget,
        target_id: uuid::Uuid,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::WorkOnDiscovery, "persona.link")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_persona(ws, persona).await?;
        self.store()
            .link_persona(ws, persona, target, target_id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => CoreError::field("target_id", "unknown_target"),
                other => other.into(),
            })?;
        self.audit_ok(
            actor,
            meta,
            "persona.link",
            "persona",
            persona,
            json!({ "target_kind": target, "target_id": target_id }),
        )
        .await;
        Ok(())
    }

    pub async fn unlink_persona(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        persona: PersonaId,
        target_id: uuid::Uuid,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::WorkOnDiscovery, "persona.unlink")
            .await?;
        self.store()
            .unlink_persona(actor.member.workspace_id, persona, target_id)
            .await?;
        self.audit_ok(
            actor,
            meta,
            "persona.unlink",
            "persona",
            persona,
            json!({ "target_id": target_id }),
        )
        .await;
        Ok(())
    }

    pub async fn persona_links(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        persona: PersonaId,
    ) -> CoreResult<PersonaLinks> {
        self.check(actor, meta, Action::ReadDiscovery, "persona.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_persona(ws, persona).await?;
        Ok(self.store().persona_links(ws, persona).await?)
    }

    /// The personas an idea or a feedback item concerns.
    pub async fn personas_of(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        target_id: uuid::Uuid,
    ) -> CoreResult<Vec<Persona>> {
        self.check(actor, meta, Action::ReadDiscovery, "persona.read")
            .await?;
        Ok(self
            .store()
            .personas_of(actor.member.workspace_id, target_id)
            .await?)
    }

    // --- competitors ------------------------------------------------------------------------

    pub async fn create_competitor(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        text: CompetitorText,
    ) -> CoreResult<Competitor> {
        self.check(actor, meta, Action::WorkOnDiscovery, "competitor.create")
            .await?;
        let mut errors = Invalid::new();
        let text = text.validate(&mut errors);
        errors.into_result()?;
        let c = self
            .store()
            .create_competitor(NewCompetitor {
                id: CompetitorId::new(),
                workspace_id: actor.member.workspace_id,
                product_id: product,
                text,
                now: now(),
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "competitor.create",
            "competitor",
            c.id,
            json!({}),
        )
        .await;
        Ok(c)
    }

    pub async fn get_competitor(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: CompetitorId,
    ) -> CoreResult<Competitor> {
        self.check(actor, meta, Action::ReadDiscovery, "competitor.read")
            .await?;
        Ok(self
            .store()
            .get_competitor(actor.member.workspace_id, id)
            .await?)
    }

    pub async fn update_competitor(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: CompetitorId,
        version: i64,
        text: CompetitorText,
    ) -> CoreResult<Competitor> {
        self.check(actor, meta, Action::WorkOnDiscovery, "competitor.update")
            .await?;
        let mut errors = Invalid::new();
        let text = text.validate(&mut errors);
        errors.into_result()?;
        let c = self
            .store()
            .update_competitor(actor.member.workspace_id, id, version, text, now())
            .await?;
        self.audit_ok(
            actor,
            meta,
            "competitor.update",
            "competitor",
            c.id,
            json!({}),
        )
        .await;
        Ok(c)
    }

    pub async fn delete_competitor(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: CompetitorId,
        version: i64,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::CurateDiscovery, "competitor.delete")
            .await?;
        self.store()
            .delete_competitor(actor.member.workspace_id, id, version)
            .await?;
        self.audit_ok(
            actor,
            meta,
            "competitor.delete",
            "competitor",
            id,
            json!({}),
        )
        .await;
        Ok(())
    }

    /// Adds a row to the grid, or changes our own rating on it.
    pub async fn put_capability(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        name: &str,
        ours: Rating,
        ours_note: &str,
    ) -> CoreResult<Capability> {
        self.check(actor, meta, Action::WorkOnDiscovery, "capability.put")
            .await?;
        let mut errors = Invalid::new();
        let name = required_text(&mut errors, "name", name, PERSONA_NAME_MAX);
        let note = optional_text(&mut errors, "ours_note", ours_note, RATING_NOTE_MAX);
        errors.into_result()?;
        let c = self
            .store()
            .put_capability(
                actor.member.workspace_id,
                product,
                &name,
                ours,
                &note,
                now(),
            )
            .await?;
        self.audit_ok(
            actor,
            meta,
            "capability.put",
            "capability",
            c.id,
            json!({ "ours": ours }),
        )
        .await;
        Ok(c)
    }

    pub async fn delete_capability(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: CapabilityId,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::WorkOnDiscovery, "capability.delete")
            .await?;
        self.store()
            .delete_capability(actor.member.workspace_id, id)
            .await?;
        self.audit_ok(
            actor,
            meta,
            "capability.delete",
            "capability",
            id,
            json!({}),
        )
        .await;
        Ok(())
    }

    pub async fn rate_competitor(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        competitor: CompetitorId,
        capability: CapabilityId,
        rating: Rating,
        note: &str,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::WorkOnDiscovery, "competitor.rate")
            .await?;
        let mut errors = Invalid::new();
        let note = optional_text(&mut errors, "note", note, RATING_NOTE_MAX);
        errors.into_result()?;
        self.store()
            .rate_competitor(
                actor.member.workspace_id,
                CompetitorRating {
                    competitor_id: competitor,
                    capability_id: capability,
                    rating,
                    note,
                },
            )
            .await?;
        self.audit_ok(
            actor,
            meta,
            "competitor.rate",
            "competitor",
            competitor,
            json!({ "capability_id": capability, "rating": rating }),
        )
        .await;
        Ok(())
    }

    pub async fn comparison_grid(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
    ) -> CoreResult<ComparisonGrid> {
        self.check(actor, meta, Action::ReadDiscovery, "competitor.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_product(ws, product).await?;
        Ok(self.store().comparison_grid(ws, product).await?)
    }

    // --- research notes ---------------------------------------------------------------------

    pub async fn create_research_note(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        input: NoteInput,
    ) -> CoreResult<ResearchNote> {
        self.check(actor, meta, Action::WorkOnDiscovery, "research_note.create")
            .await?;
        let mut errors = Invalid::new();
        let text = NoteText {
            title: input.title.unwrap_or_default(),
            participant: input.participant.unwrap_or_default(),
            notes: input.notes.unwrap_or_default(),
        }
        .validate(&mut errors);
        errors.into_result()?;
        let at = now();
        let n = self
            .store()
            .create_research_note(NewResearchNote {
                id: ResearchNoteId::new(),
                workspace_id: actor.member.workspace_id,
                product_id: product,
                text,
                persona_id: input.persona_id.flatten(),
                held_on: input.held_on.unwrap_or(at),
                created_by: Some(actor.member.id),
                now: at,
            })
            .await
            .map_err(persona_error)?;
        self.audit_ok(
            actor,
            meta,
            "research_note.create",
            "research_note",
            n.id,
            json!({}),
        )
        .await;
        Ok(n)
    }

    pub async fn get_research_note(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: ResearchNoteId,
    ) -> CoreResult<ResearchNote> {
        self.check(actor, meta, Action::ReadDiscovery, "research_note.read")
            .await?;
        Ok(self
            .store()
            .get_research_note(actor.member.workspace_id, id)
            .await?)
    }

    pub async fn list_research_notes(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        page: &PageRequest,
    ) -> CoreResult<Page<ResearchNote>> {
        self.check(actor, meta, Action::ReadDiscovery, "research_note.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_product(ws, product).await?;
        Ok(self.store().list_research_notes(ws, product, page).await?)
    }

    pub async fn update_research_note(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: ResearchNoteId,
        version: i64,
        input: NoteInput,
    ) -> CoreResult<ResearchNote> {
        self.check(actor, meta, Action::WorkOnDiscovery, "research_note.update")
            .await?;
        let ws = actor.member.workspace_id;
        let current = self.store().get_research_note(ws, id).await?;
        let mut errors = Invalid::new();
        let text = NoteText {
            title: input.title.unwrap_or(current.title),
            participant: input.participant.unwrap_or(current.participant),
            notes: input.notes.unwrap_or(current.notes),
        }
        .validate(&mut errors);
        errors.into_result()?;
        let n = self
            .store()
            .update_research_note(
                ws,
                id,
                version,
                ResearchNotePatch {
                    text: Some(text),
                    persona_id: input.persona_id,
                    held_on: input.held_on,
                    now: Some(now()),
                },
            )
            .await
            .map_err(persona_error)?;
        self.audit_ok(
            actor,
            meta,
            "research_note.update",
            "research_note",
            n.id,
            json!({}),
        )
        .await;
        Ok(n)
    }

    /// Turns a passage of a note into a feedback item (source: interview; the participant as
    /// contact; the note's date as when it was said), linked to the note's persona and, if
    /// given, to an idea as evidence — in one transaction.
    pub async fn capture_passage(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        note: ResearchNoteId,
        input: PassageInput,
    ) -> CoreResult<Feedback> {
        self.check(
            actor,
            meta,
            Action::WorkOnDiscovery,
            "research_note.capture",
        )
        .await?;
        let ws = actor.member.workspace_id;
        let n = self.store().get_research_note(ws, note).await?;
        let mut errors = Invalid::new();
        let text = feedback_text(&mut errors, "text", &input.text);
        errors.into_result()?;
        if let Some(idea) = input.idea {
            let i = self
                .store()
                .get_idea(ws, idea)
                .await
                .map_err(|_| CoreError::field("idea_id", "unknown_idea"))?;
            if i.status == IdeaStatus::Merged {
                return Err(CoreError::field("idea_id", "idea_merged"));
            }
        }
        let at = now();
        let feedback_id = FeedbackId::new();
        let f = self
            .store()
            .capture_passage(CapturedPassage {
                feedback: NewFeedback {
                    id: feedback_id,
                    workspace_id: ws,
                    product_id: Some(n.product_id),
                    text,
                    source: SourceKind::Interview,
                    customer: None,
                    contact: (!n.participant.is_empty()).then(|| n.participant.clone()),
                    author_id: Some(actor.member.id),
                    observed_at: n.held_on,
                    tags: Vec::new(),
                    external: None,
                    now: at,
                },
                evidence: input.idea.map(|idea| NewEvidence {
                    id: EvidenceId::new(),
                    workspace_id: ws,
                    idea_id: idea,
                    feedback_id,
                    excerpt: None,
                    importance: input.importance.unwrap_or(Importance::Important),
                    created_by: Some(actor.member.id),
                    now: at,
                }),
                persona: n.persona_id,
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "research_note.capture",
            "feedback",
            f.id,
            json!({ "note": note, "idea": input.idea }),
        )
        .await;
        Ok(f)
    }
}
