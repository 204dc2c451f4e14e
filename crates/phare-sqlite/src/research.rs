//! `impl ResearchStore for SqliteStore`: personas and their links, competitors and the
//! comparison grid, research notes and the passages captured from them.

use crate::discovery::{
    check_product, feedback, feedback_in_tx, idea, index_doc, insert_evidence, unindex_doc,
    upsert_feedback, with_figures, Tx, FEEDBACK_SELECT, IDEA_SELECT,
};
use crate::rows::{get, parse, ts, us};
use crate::store::map_err;
use crate::SqliteStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use sqlx::sqlite::SqliteRow;
use uuid::Uuid;

const PERSONA_COLS: &str =
    "id, workspace_id, product_id, name, description, goals, frustrations, created_at, updated_at, version";
const COMPETITOR_COLS: &str =
    "id, workspace_id, product_id, name, website, strengths, weaknesses, created_at, updated_at, version";
const CAPABILITY_COLS: &str = "id, workspace_id, product_id, name, ours, ours_note, created_at";
const NOTE_COLS: &str = "id, workspace_id, product_id, title, participant, persona_id, held_on, \
     notes, created_by, created_at, updated_at, version";

fn persona(row: &SqliteRow) -> StoreResult<Persona> {
    Ok(Persona {
        id: PersonaId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        name: get(row, "name")?,
        description: get(row, "description")?,
        goals: get(row, "goals")?,
        frustrations: get(row, "frustrations")?,
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

fn competitor(row: &SqliteRow) -> StoreResult<Competitor> {
    Ok(Competitor {
        id: CompetitorId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        name: get(row, "name")?,
        website: get(row, "website")?,
        strengths: get(row, "strengths")?,
        weaknesses: get(row, "weaknesses")?,
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

fn capability(row: &SqliteRow) -> StoreResult<Capability> {
    Ok(Capability {
        id: CapabilityId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        name: get(row, "name")?,
        ours: parse(&get::<String>(row, "ours")?, Rating::parse, "rating")?,
        ours_note: get(row, "ours_note")?,
        created_at: ts(get(row, "created_at")?)?,
    })
}

fn rating(row: &SqliteRow) -> StoreResult<CompetitorRating> {
    Ok(CompetitorRating {
        competitor_id: CompetitorId(get(row, "competitor_id")?),
        capability_id: CapabilityId(get(row, "capability_id")?),
        rating: parse(&get::<String>(row, "rating")?, Rating::parse, "rating")?,
        note: get(row, "note")?,
    })
}

fn note(row: &SqliteRow) -> StoreResult<ResearchNote> {
    Ok(ResearchNote {
        id: ResearchNoteId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        title: get(row, "title")?,
        participant: get(row, "participant")?,
        persona_id: get::<Option<Uuid>>(row, "persona_id")?.map(PersonaId),
        held_on: ts(get(row, "held_on")?)?,
        notes: get(row, "notes")?,
        created_by: get::<Option<Uuid>>(row, "created_by")?.map(MemberId),
        created_at: ts(get(row, "created_at")?)?,
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

fn link(row: &SqliteRow) -> StoreResult<PersonaLink> {
    Ok(PersonaLink {
        persona_id: PersonaId(get(row, "persona_id")?),
        target_id: get(row, "target_id")?,
        target_kind: parse(
            &get::<String>(row, "target_kind")?,
            PersonaTarget::parse,
            "target kind",
        )?,
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
    })
}

async fn persona_in_tx(tx: &mut Tx<'_>, ws: WorkspaceId, id: PersonaId) -> StoreResult<Persona> {
    let row = sqlx::query(&format!(
        "SELECT {PERSONA_COLS} FROM personas WHERE id = ? AND workspace_id = ?"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    row.as_ref()
        .map(persona)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

async fn competitor_in_tx(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    id: CompetitorId,
) -> StoreResult<Competitor> {
    let row = sqlx::query(&format!(
        "SELECT {COMPETITOR_COLS} FROM competitors WHERE id = ? AND workspace_id = ?"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    row.as_ref()
        .map(competitor)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

async fn note_in_tx(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    id: ResearchNoteId,
) -> StoreResult<ResearchNote> {
    let row = sqlx::query(&format!(
        "SELECT {NOTE_COLS} FROM research_notes WHERE id = ? AND workspace_id = ?"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    row.as_ref()
        .map(note)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

async fn index_persona(tx: &mut Tx<'_>, p: &Persona) -> StoreResult<()> {
    let terms = persona_search_text(p);
    index_doc(
        tx,
        p.id.0,
        p.workspace_id,
        Some(p.product_id),
        SearchKind::Persona,
        &terms,
    )
    .await
}

async fn index_competitor(tx: &mut Tx<'_>, c: &Competitor) -> StoreResult<()> {
    let terms = competitor_search_text(c);
    index_doc(
        tx,
        c.id.0,
        c.workspace_id,
        Some(c.product_id),
        SearchKind::Competitor,
        &terms,
    )
    .await
}

async fn index_note(tx: &mut Tx<'_>, n: &ResearchNote) -> StoreResult<()> {
    let terms = note_search_text(n);
    index_doc(
        tx,
        n.id.0,
        n.workspace_id,
        Some(n.product_id),
        SearchKind::ResearchNote,
        &terms,
    )
    .await
}

async fn insert_link(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    persona: PersonaId,
    target: PersonaTarget,
    target_id: Uuid,
) -> StoreResult<()> {
    // The target must be an idea or a feedback item of this workspace.
    let table = match target {
        PersonaTarget::Idea => "ideas",
        PersonaTarget::Feedback => "feedback",
    };
    sqlx::query(&format!(
        "SELECT 1 FROM {table} WHERE id = ? AND workspace_id = ?"
    ))
    .bind(target_id)
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?
    .ok_or(StoreError::NotFound)?;
    sqlx::query(
        "INSERT INTO persona_links (persona_id, target_id, target_kind, workspace_id) \
         VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(persona.0)
    .bind(target_id)
    .bind(target.as_str())
    .bind(ws.0)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

#[async_trait]
impl ResearchStore for SqliteStore {
    async fn create_persona(&self, p: NewPersona) -> StoreResult<Persona> {
        let mut tx = self.write_tx().await?;
        check_product(&mut tx, p.workspace_id, p.product_id).await?;
        sqlx::query(&format!(
            "INSERT INTO personas ({PERSONA_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
        ))
        .bind(p.id.0)
        .bind(p.workspace_id.0)
        .bind(p.product_id.0)
        .bind(&p.text.name)
        .bind(&p.text.description)
        .bind(&p.text.goals)
        .bind(&p.text.frustrations)
        .bind(us(p.now))
        .bind(us(p.now))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let out = persona_in_tx(&mut tx, p.workspace_id, p.id).await?;
        index_persona(&mut tx, &out).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(out)
    }

    async fn get_persona(&self, ws: WorkspaceId, id: PersonaId) -> StoreResult<Persona> {
        self.one(
            &format!("SELECT {PERSONA_COLS} FROM personas WHERE id = ? AND workspace_id = ?"),
            |q| q.bind(id.0).bind(ws.0),
            persona,
        )
        .await
    }

    async fn list_personas(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<Vec<Persona>> {
        let rows = sqlx::query(&format!(
            "SELECT {PERSONA_COLS} FROM personas WHERE product_id = ? AND workspace_id = ? \
             ORDER BY name"
        ))
        .bind(product.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(persona).collect()
    }

    async fn update_persona(
        &self,
        ws: WorkspaceId,
        id: PersonaId,
        expected_version: i64,
        text: PersonaText,
        now: Timestamp,
    ) -> StoreResult<Persona> {
        let mut tx = self.write_tx().await?;
        let p = persona_in_tx(&mut tx, ws, id).await?;
        if p.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        sqlx::query(
            "UPDATE personas SET name = ?, description = ?, goals = ?, frustrations = ?, \
             updated_at = ?, version = version + 1 WHERE id = ?",
        )
        .bind(&text.name)
        .bind(&text.description)
        .bind(&text.goals)
        .bind(&text.frustrations)
        .bind(us(now))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let out = persona_in_tx(&mut tx, ws, id).await?;
        index_persona(&mut tx, &out).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(out)
    }

    async fn delete_persona(
        &self,
        ws: WorkspaceId,
        id: PersonaId,
        expected_version: i64,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let p = persona_in_tx(&mut tx, ws, id).await?;
        if p.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        sqlx::query("DELETE FROM personas WHERE id = ?")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        unindex_doc(&mut tx, id.0).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn link_persona(
        &self,
        ws: WorkspaceId,
        persona: PersonaId,
        target: PersonaTarget,
        target_id: Uuid,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        persona_in_tx(&mut tx, ws, persona).await?;
        insert_link(&mut tx, ws, persona, target, target_id).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn unlink_persona(
        &self,
        ws: WorkspaceId,
        persona: PersonaId,
        target_id: Uuid,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "DELETE FROM persona_links WHERE persona_id = ? AND target_id = ? AND workspace_id = ?",
        )
        .bind(persona.0)
        .bind(target_id)
        .bind(ws.0)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn persona_links(
        &self,
        ws: WorkspaceId,
        persona: PersonaId,
    ) -> StoreResult<PersonaLinks> {
        let ideas = sqlx::query(&format!(
            "{IDEA_SELECT} JOIN persona_links l ON l.target_id = i.id \
             WHERE l.persona_id = ? AND l.workspace_id = ? ORDER BY i.id DESC LIMIT 200"
        ))
        .bind(persona.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let ideas = ideas.iter().map(idea).collect::<StoreResult<Vec<_>>>()?;
        let feedback_rows = sqlx::query(&format!(
            "{FEEDBACK_SELECT} JOIN persona_links l ON l.target_id = f.id \
             WHERE l.persona_id = ? AND l.workspace_id = ? ORDER BY f.id DESC LIMIT 200"
        ))
        .bind(persona.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(PersonaLinks {
            ideas: with_figures(&self.pool, ideas).await?,
            feedback: feedback_rows
                .iter()
                .map(feedback)
                .collect::<StoreResult<Vec<_>>>()?,
        })
    }

    async fn personas_of(&self, ws: WorkspaceId, target_id: Uuid) -> StoreResult<Vec<Persona>> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM personas p JOIN persona_links l ON l.persona_id = p.id \
             WHERE l.target_id = ? AND l.workspace_id = ? ORDER BY p.name",
            PERSONA_COLS
                .split(", ")
                .map(|c| format!("p.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(target_id)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(persona).collect()
    }

    async fn create_competitor(&self, c: NewCompetitor) -> StoreResult<Competitor> {
        let mut tx = self.write_tx().await?;
        check_product(&mut tx, c.workspace_id, c.product_id).await?;
        sqlx::query(&format!(
            "INSERT INTO competitors ({COMPETITOR_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
        ))
        .bind(c.id.0)
        .bind(c.workspace_id.0)
        .bind(c.product_id.0)
        .bind(&c.text.name)
        .bind(&c.text.website)
        .bind(&c.text.strengths)
        .bind(&c.text.weaknesses)
        .bind(us(c.now))
        .bind(us(c.now))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let out = competitor_in_tx(&mut tx, c.workspace_id, c.id).await?;
        index_competitor(&mut tx, &out).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(out)
    }

    async fn get_competitor(&self, ws: WorkspaceId, id: CompetitorId) -> StoreResult<Competitor> {
        self.one(
            &format!("SELECT {COMPETITOR_COLS} FROM competitors WHERE id = ? AND workspace_id = ?"),
            |q| q.bind(id.0).bind(ws.0),
            competitor,
        )
        .await
    }

    async fn update_competitor(
        &self,
        ws: WorkspaceId,
        id: CompetitorId,
        expected_version: i64,
        text: CompetitorText,
        now: Timestamp,
    ) -> StoreResult<Competitor> {
        let mut tx = self.write_tx().await?;
        let (version,): (i64,) =
            sqlx::query_as("SELECT version FROM competitors WHERE id = ? AND workspace_id = ?")
                .bind(id.0)
                .bind(ws.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?
                .ok_or(StoreError::NotFound)?;
        if version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        sqlx::query(
            "UPDATE competitors SET name = ?, website = ?, strengths = ?, weaknesses = ?, \
             updated_at = ?, version = version + 1 WHERE id = ?",
        )
        .bind(&text.name)
        .bind(&text.website)
        .bind(&text.strengths)
        .bind(&text.weaknesses)
        .bind(us(now))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let out = competitor_in_tx(&mut tx, ws, id).await?;
        index_competitor(&mut tx, &out).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(out)
    }

    async fn delete_competitor(
        &self,
        ws: WorkspaceId,
        id: CompetitorId,
        expected_version: i64,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let (version,): (i64,) =
            sqlx::query_as("SELECT version FROM competitors WHERE id = ? AND workspace_id = ?")
                .bind(id.0)
                .bind(ws.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?
                .ok_or(StoreError::NotFound)?;
        if version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        sqlx::query("DELETE FROM competitors WHERE id = ?")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        unindex_doc(&mut tx, id.0).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn put_capability(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        name: &str,
        ours: Rating,
        ours_note: &str,
        now: Timestamp,
    ) -> StoreResult<Capability> {
        let mut tx = self.write_tx().await?;
        check_product(&mut tx, ws, product).await?;
        sqlx::query(
            "INSERT INTO capabilities (id, workspace_id, product_id, name, ours, ours_note, \
             created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (product_id, name) \
             DO UPDATE SET ours = excluded.ours, ours_note = excluded.ours_note",
        )
        .bind(CapabilityId::new().0)
        .bind(ws.0)
        .bind(product.0)
        .bind(name)
        .bind(ours.as_str())
        .bind(ours_note)
        .bind(us(now))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let row = sqlx::query(&format!(
            "SELECT {CAPABILITY_COLS} FROM capabilities WHERE product_id = ? AND name = ?"
        ))
        .bind(product.0)
        .bind(name)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let c = capability(&row)?;
        tx.commit().await.map_err(map_err)?;
        Ok(c)
    }

    async fn delete_capability(&self, ws: WorkspaceId, id: CapabilityId) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM capabilities WHERE id = ? AND workspace_id = ?")
            .bind(id.0)
            .bind(ws.0)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn rate_competitor(&self, ws: WorkspaceId, r: CompetitorRating) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        // Both ends must be of the same product of this workspace.
        sqlx::query(
            "SELECT 1 FROM competitors c JOIN capabilities k ON k.product_id = c.product_id \
             WHERE c.id = ? AND k.id = ? AND c.workspace_id = ?",
        )
        .bind(r.competitor_id.0)
        .bind(r.capability_id.0)
        .bind(ws.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        sqlx::query(
            "INSERT INTO competitor_ratings (competitor_id, capability_id, rating, note) \
             VALUES (?, ?, ?, ?) ON CONFLICT (competitor_id, capability_id) \
             DO UPDATE SET rating = excluded.rating, note = excluded.note",
        )
        .bind(r.competitor_id.0)
        .bind(r.capability_id.0)
        .bind(r.rating.as_str())
        .bind(&r.note)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn comparison_grid(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<ComparisonGrid> {
        let caps = sqlx::query(&format!(
            "SELECT {CAPABILITY_COLS} FROM capabilities WHERE product_id = ? AND workspace_id = ? \
             ORDER BY name"
        ))
        .bind(product.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let comps = sqlx::query(&format!(
            "SELECT {COMPETITOR_COLS} FROM competitors WHERE product_id = ? AND workspace_id = ? \
             ORDER BY name"
        ))
        .bind(product.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let ratings = sqlx::query(
            "SELECT r.competitor_id, r.capability_id, r.rating, r.note FROM competitor_ratings r \
             JOIN competitors c ON c.id = r.competitor_id \
             WHERE c.product_id = ? AND c.workspace_id = ? ORDER BY r.competitor_id, r.capability_id",
        )
        .bind(product.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(ComparisonGrid {
            capabilities: caps.iter().map(capability).collect::<StoreResult<_>>()?,
            competitors: comps.iter().map(competitor).collect::<StoreResult<_>>()?,
            ratings: ratings.iter().map(rating).collect::<StoreResult<_>>()?,
        })
    }

    async fn create_research_note(&self, n: NewResearchNote) -> StoreResult<ResearchNote> {
        let mut tx = self.write_tx().await?;
        check_product(&mut tx, n.workspace_id, n.product_id).await?;
        if let Some(p) = n.persona_id {
            persona_in_tx(&mut tx, n.workspace_id, p).await?;
        }
        sqlx::query(&format!(
            "INSERT INTO research_notes ({NOTE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
        ))
        .bind(n.id.0)
        .bind(n.workspace_id.0)
        .bind(n.product_id.0)
        .bind(&n.text.title)
        .bind(&n.text.participant)
        .bind(n.persona_id.map(|p| p.0))
        .bind(us(n.held_on))
        .bind(&n.text.notes)
        .bind(n.created_by.map(|m| m.0))
        .bind(us(n.now))
        .bind(us(n.now))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let out = note_in_tx(&mut tx, n.workspace_id, n.id).await?;
        index_note(&mut tx, &out).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(out)
    }

    async fn get_research_note(
        &self,
        ws: WorkspaceId,
        id: ResearchNoteId,
    ) -> StoreResult<ResearchNote> {
        self.one(
            &format!("SELECT {NOTE_COLS} FROM research_notes WHERE id = ? AND workspace_id = ?"),
            |q| q.bind(id.0).bind(ws.0),
            note,
        )
        .await
    }

    async fn list_research_notes(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        page: &PageRequest,
    ) -> StoreResult<Page<ResearchNote>> {
        let Ok(after) = id_cursor(page) else {
            return Ok(Page::from_rows(Vec::new(), page, |_: &ResearchNote| {
                String::new()
            }));
        };
        // `X'FF…'` sorts after every id, so the first page starts at the newest note.
        let after = after
            .map(|u| u.as_bytes().to_vec())
            .unwrap_or_else(|| vec![0xff; 17]);
        let rows = sqlx::query(&format!(
            "SELECT {NOTE_COLS} FROM research_notes WHERE product_id = ? AND workspace_id = ? \
             AND id < ? ORDER BY id DESC LIMIT ?"
        ))
        .bind(product.0)
        .bind(ws.0)
        .bind(after)
        .bind(page.fetch_limit())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let items = rows.iter().map(note).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |n| n.id.to_string()))
    }

    async fn update_research_note(
        &self,
        ws: WorkspaceId,
        id: ResearchNoteId,
        expected_version: i64,
        p: ResearchNotePatch,
    ) -> StoreResult<ResearchNote> {
        let current = self.get_research_note(ws, id).await?;
        let mut tx = self.write_tx().await?;
        let (version,): (i64,) =
            sqlx::query_as("SELECT version FROM research_notes WHERE id = ? AND workspace_id = ?")
                .bind(id.0)
                .bind(ws.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?
                .ok_or(StoreError::NotFound)?;
        if version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        if let Some(Some(persona)) = p.persona_id {
            persona_in_tx(&mut tx, ws, persona).await?;
        }
        let text = p.text.unwrap_or(NoteText {
            title: current.title,
            participant: current.participant,
            notes: current.notes,
        });
        sqlx::query(
            "UPDATE research_notes SET title = ?, participant = ?, notes = ?, persona_id = ?, \
             held_on = ?, updated_at = ?, version = version + 1 WHERE id = ?",
        )
        .bind(&text.title)
        .bind(&text.participant)
        .bind(&text.notes)
        .bind(p.persona_id.unwrap_or(current.persona_id).map(|p| p.0))
        .bind(us(p.held_on.unwrap_or(current.held_on)))
        .bind(us(p.now.unwrap_or(current.updated_at)))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let out = note_in_tx(&mut tx, ws, id).await?;
        index_note(&mut tx, &out).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(out)
    }

    async fn capture_passage(&self, c: CapturedPassage) -> StoreResult<Feedback> {
        let ws = c.feedback.workspace_id;
        let mut tx = self.write_tx().await?;
        if let Some(p) = c.persona {
            persona_in_tx(&mut tx, ws, p).await?;
        }
        let (f, _) = upsert_feedback(&mut tx, &c.feedback).await?;
        if let Some(e) = &c.evidence {
            insert_evidence(&mut tx, e).await?;
        }
        if let Some(p) = c.persona {
            insert_link(&mut tx, ws, p, PersonaTarget::Feedback, f.id.0).await?;
        }
        let f = feedback_in_tx(&mut tx, ws, f.id).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(f)
    }
}

// --- moving data ------------------------------------------------------------------------------

pub(crate) async fn dump(tx: &mut Tx<'_>, d: &mut ResearchDump) -> StoreResult<()> {
    for r in sqlx::query(&format!("SELECT {PERSONA_COLS} FROM personas ORDER BY id"))
        .fetch_all(&mut **tx)
        .await
        .map_err(map_err)?
    {
        d.personas.push(persona(&r)?);
    }
    for r in sqlx::query(
        "SELECT persona_id, target_id, target_kind, workspace_id FROM persona_links \
         ORDER BY persona_id, target_id",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.persona_links.push(link(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {COMPETITOR_COLS} FROM competitors ORDER BY id"
    ))
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.competitors.push(competitor(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {CAPABILITY_COLS} FROM capabilities ORDER BY id"
    ))
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.capabilities.push(capability(&r)?);
    }
    for r in sqlx::query(
        "SELECT competitor_id, capability_id, rating, note FROM competitor_ratings \
         ORDER BY competitor_id, capability_id",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.competitor_ratings.push(rating(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {NOTE_COLS} FROM research_notes ORDER BY id"
    ))
    .fetch_all(&mut **tx)
    .await
    .map_err(map_err)?
    {
        d.research_notes.push(note(&r)?);
    }
    Ok(())
}

pub(crate) async fn load(tx: &mut Tx<'_>, d: &ResearchDump) -> StoreResult<()> {
    for p in &d.personas {
        sqlx::query(&format!(
            "INSERT INTO personas ({PERSONA_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(p.id.0)
        .bind(p.workspace_id.0)
        .bind(p.product_id.0)
        .bind(&p.name)
        .bind(&p.description)
        .bind(&p.goals)
        .bind(&p.frustrations)
        .bind(us(p.created_at))
        .bind(us(p.updated_at))
        .bind(p.version)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
        index_persona(tx, p).await?;
    }
    for l in &d.persona_links {
        sqlx::query(
            "INSERT INTO persona_links (persona_id, target_id, target_kind, workspace_id) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(l.persona_id.0)
        .bind(l.target_id)
        .bind(l.target_kind.as_str())
        .bind(l.workspace_id.0)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    for c in &d.competitors {
        sqlx::query(&format!(
            "INSERT INTO competitors ({COMPETITOR_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(c.id.0)
        .bind(c.workspace_id.0)
        .bind(c.product_id.0)
        .bind(&c.name)
        .bind(&c.website)
        .bind(&c.strengths)
        .bind(&c.weaknesses)
        .bind(us(c.created_at))
        .bind(us(c.updated_at))
        .bind(c.version)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
        index_competitor(tx, c).await?;
    }
    for c in &d.capabilities {
        sqlx::query(&format!(
            "INSERT INTO capabilities ({CAPABILITY_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(c.id.0)
        .bind(c.workspace_id.0)
        .bind(c.product_id.0)
        .bind(&c.name)
        .bind(c.ours.as_str())
        .bind(&c.ours_note)
        .bind(us(c.created_at))
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    for r in &d.competitor_ratings {
        sqlx::query(
            "INSERT INTO competitor_ratings (competitor_id, capability_id, rating, note) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(r.competitor_id.0)
        .bind(r.capability_id.0)
        .bind(r.rating.as_str())
        .bind(&r.note)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    for n in &d.research_notes {
        sqlx::query(&format!(
            "INSERT INTO research_notes ({NOTE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(n.id.0)
        .bind(n.workspace_id.0)
        .bind(n.product_id.0)
        .bind(&n.title)
        .bind(&n.participant)
        .bind(n.persona_id.map(|p| p.0))
        .bind(us(n.held_on))
        .bind(&n.notes)
        .bind(n.created_by.map(|m| m.0))
        .bind(us(n.created_at))
        .bind(us(n.updated_at))
        .bind(n.version)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
        index_note(tx, n).await?;
    }
    Ok(())
}
