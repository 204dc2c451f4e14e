//! `impl ResearchStore for PgStore`: personas and their links, competitors and the comparison
//! grid, research notes and the passages captured from them. Same behaviour as the SQLite
//! store; every unit of work runs through `retrying`.

use crate::discovery::{
    check_product, feedback, feedback_in_tx, idea, index_doc, insert_evidence, unindex_doc,
    upsert_feedback, with_figures, Res, FEEDBACK_COLS, FEEDBACK_FROM, IDEA_COLS, IDEA_FROM,
};
use crate::rows::{get, parse, us};
use crate::store::{map_err, retrying};
use crate::PgStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;
use uuid::Uuid;

const PERSONA_COLS: &str = "id, workspace_id, product_id, name, description, goals, \
     frustrations, created_at, updated_at, version";
const COMPETITOR_COLS: &str = "id, workspace_id, product_id, name, website, strengths, \
     weaknesses, created_at, updated_at, version";
const CAPABILITY_COLS: &str = "id, workspace_id, product_id, name, ours, ours_note, created_at";
const NOTE_COLS: &str = "id, workspace_id, product_id, title, participant, persona_id, held_on, \
     notes, created_by, created_at, updated_at, version";

fn persona(row: &PgRow) -> StoreResult<Persona> {
    Ok(Persona {
        id: PersonaId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        name: get(row, "name")?,
        description: get(row, "description")?,
        goals: get(row, "goals")?,
        frustrations: get(row, "frustrations")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

fn competitor(row: &PgRow) -> StoreResult<Competitor> {
    Ok(Competitor {
        id: CompetitorId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        name: get(row, "name")?,
        website: get(row, "website")?,
        strengths: get(row, "strengths")?,
        weaknesses: get(row, "weaknesses")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

fn capability(row: &PgRow) -> StoreResult<Capability> {
    Ok(Capability {
        id: CapabilityId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        name: get(row, "name")?,
        ours: parse(&get::<String>(row, "ours")?, Rating::parse, "rating")?,
        ours_note: get(row, "ours_note")?,
        created_at: get(row, "created_at")?,
    })
}

fn rating(row: &PgRow) -> StoreResult<CompetitorRating> {
    Ok(CompetitorRating {
        competitor_id: CompetitorId(get(row, "competitor_id")?),
        capability_id: CapabilityId(get(row, "capability_id")?),
        rating: parse(&get::<String>(row, "rating")?, Rating::parse, "rating")?,
        note: get(row, "note")?,
    })
}

fn note(row: &PgRow) -> StoreResult<ResearchNote> {
    Ok(ResearchNote {
        id: ResearchNoteId(get(row, "id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        title: get(row, "title")?,
        participant: get(row, "participant")?,
        persona_id: get::<Option<Uuid>>(row, "persona_id")?.map(PersonaId),
        held_on: get(row, "held_on")?,
        notes: get(row, "notes")?,
        created_by: get::<Option<Uuid>>(row, "created_by")?.map(MemberId),
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

fn link(row: &PgRow) -> StoreResult<PersonaLink> {
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

/// The persona, locked with `lock` (e.g. `FOR UPDATE`) or read plainly with `""`.
async fn persona_in_tx(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    id: PersonaId,
    lock: &str,
) -> Res<Persona> {
    let row = sqlx::query(&format!(
        "SELECT {PERSONA_COLS} FROM personas WHERE id = $1 AND workspace_id = $2 {lock}"
    ))
    .bind(id.0)
    .bind(ws.0)
    .fetch_optional(conn)
    .await?;
    Ok(row
        .as_ref()
        .map(persona)
        .transpose()?
        .ok_or(StoreError::NotFound)?)
}

/// The version of a row of `table` in the workspace, locked for the update that follows.
async fn locked_version(
    conn: &mut PgConnection,
    table: &str,
    id: Uuid,
    ws: WorkspaceId,
) -> Res<i64> {
    let (v,): (i64,) = sqlx::query_as(&format!(
        "SELECT version FROM {table} WHERE id = $1 AND workspace_id = $2 FOR UPDATE"
    ))
    .bind(id)
    .bind(ws.0)
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(v)
}

async fn index_persona(conn: &mut PgConnection, p: &Persona) -> Res<()> {
    let terms = persona_search_text(p);
    index_doc(
        conn,
        p.id.0,
        p.workspace_id,
        Some(p.product_id),
        SearchKind::Persona,
        &terms,
    )
    .await
}

async fn index_competitor(conn: &mut PgConnection, c: &Competitor) -> Res<()> {
    let terms = competitor_search_text(c);
    index_doc(
        conn,
        c.id.0,
        c.workspace_id,
        Some(c.product_id),
        SearchKind::Competitor,
        &terms,
    )
    .await
}

async fn index_note(conn: &mut PgConnection, n: &ResearchNote) -> Res<()> {
    let terms = note_search_text(n);
    index_doc(
        conn,
        n.id.0,
        n.workspace_id,
        Some(n.product_id),
        SearchKind::ResearchNote,
        &terms,
    )
    .await
}

async fn insert_link(
    conn: &mut PgConnection,
    ws: WorkspaceId,
    persona: PersonaId,
    target: PersonaTarget,
    target_id: Uuid,
) -> Res<()> {
    // The target must be an idea or a feedback item of this workspace.
    let table = match target {
        PersonaTarget::Idea => "ideas",
        PersonaTarget::Feedback => "feedback",
    };
    sqlx::query(&format!(
        "SELECT 1 FROM {table} WHERE id = $1 AND workspace_id = $2"
    ))
    .bind(target_id)
    .bind(ws.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    sqlx::query(
        "INSERT INTO persona_links (persona_id, target_id, target_kind, workspace_id) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(persona.0)
    .bind(target_id)
    .bind(target.as_str())
    .bind(ws.0)
    .execute(conn)
    .await?;
    Ok(())
}

#[async_trait]
impl ResearchStore for PgStore {
    async fn create_persona(&self, p: NewPersona) -> StoreResult<Persona> {
        let p = &p;
        retrying("create_persona", || async move {
            let mut tx = self.pool.begin().await?;
            check_product(&mut tx, p.workspace_id, p.product_id).await?;
            sqlx::query(&format!(
                "INSERT INTO personas ({PERSONA_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)"
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
            .await?;
            let out = persona_in_tx(&mut tx, p.workspace_id, p.id, "").await?;
            index_persona(&mut tx, &out).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn get_persona(&self, ws: WorkspaceId, id: PersonaId) -> StoreResult<Persona> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(persona_in_tx(&mut conn, ws, id, "").await?)
    }

    async fn list_personas(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<Vec<Persona>> {
        let rows = sqlx::query(&format!(
            "SELECT {PERSONA_COLS} FROM personas WHERE product_id = $1 AND workspace_id = $2 \
             ORDER BY name COLLATE \"C\""
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
        let text = &text;
        retrying("update_persona", || async move {
            let mut tx = self.pool.begin().await?;
            if locked_version(&mut tx, "personas", id.0, ws).await? != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            sqlx::query(
                "UPDATE personas SET name = $1, description = $2, goals = $3, frustrations = $4, \
                 updated_at = $5, version = version + 1 WHERE id = $6",
            )
            .bind(&text.name)
            .bind(&text.description)
            .bind(&text.goals)
            .bind(&text.frustrations)
            .bind(us(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            let out = persona_in_tx(&mut tx, ws, id, "").await?;
            index_persona(&mut tx, &out).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn delete_persona(
        &self,
        ws: WorkspaceId,
        id: PersonaId,
        expected_version: i64,
    ) -> StoreResult<()> {
        retrying("delete_persona", || async move {
            let mut tx = self.pool.begin().await?;
            if locked_version(&mut tx, "personas", id.0, ws).await? != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            sqlx::query("DELETE FROM personas WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            unindex_doc(&mut tx, id.0).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn link_persona(
        &self,
        ws: WorkspaceId,
        persona: PersonaId,
        target: PersonaTarget,
        target_id: Uuid,
    ) -> StoreResult<()> {
        retrying("link_persona", || async move {
            let mut tx = self.pool.begin().await?;
            persona_in_tx(&mut tx, ws, persona, "FOR SHARE").await?;
            insert_link(&mut tx, ws, persona, target, target_id).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn unlink_persona(
        &self,
        ws: WorkspaceId,
        persona: PersonaId,
        target_id: Uuid,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "DELETE FROM persona_links WHERE persona_id = $1 AND target_id = $2 \
             AND workspace_id = $3",
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
            "SELECT {IDEA_COLS} {IDEA_FROM} JOIN persona_links l ON l.target_id = i.id \
             WHERE l.persona_id = $1 AND l.workspace_id = $2 ORDER BY i.id DESC LIMIT 200"
        ))
        .bind(persona.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let ideas = ideas.iter().map(idea).collect::<StoreResult<Vec<_>>>()?;
        let feedback_rows = sqlx::query(&format!(
            "SELECT {FEEDBACK_COLS} {FEEDBACK_FROM} JOIN persona_links l ON l.target_id = f.id \
             WHERE l.persona_id = $1 AND l.workspace_id = $2 ORDER BY f.id DESC LIMIT 200"
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
        let cols: Vec<String> = PERSONA_COLS.split(", ").map(|c| format!("p.{c}")).collect();
        let rows = sqlx::query(&format!(
            "SELECT {} FROM personas p JOIN persona_links l ON l.persona_id = p.id \
             WHERE l.target_id = $1 AND l.workspace_id = $2 ORDER BY p.name COLLATE \"C\"",
            cols.join(", ")
        ))
        .bind(target_id)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(persona).collect()
    }

    async fn create_competitor(&self, c: NewCompetitor) -> StoreResult<Competitor> {
        let c = &c;
        retrying("create_competitor", || async move {
            let mut tx = self.pool.begin().await?;
            check_product(&mut tx, c.workspace_id, c.product_id).await?;
            let row = sqlx::query(&format!(
                "INSERT INTO competitors ({COMPETITOR_COLS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) RETURNING {COMPETITOR_COLS}"
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
            .fetch_one(&mut *tx)
            .await?;
            let out = competitor(&row)?;
            index_competitor(&mut tx, &out).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn get_competitor(&self, ws: WorkspaceId, id: CompetitorId) -> StoreResult<Competitor> {
        let row = sqlx::query(&format!(
            "SELECT {COMPETITOR_COLS} FROM competitors WHERE id = $1 AND workspace_id = $2"
        ))
        .bind(id.0)
        .bind(ws.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref()
            .map(competitor)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn update_competitor(
        &self,
        ws: WorkspaceId,
        id: CompetitorId,
        expected_version: i64,
        text: CompetitorText,
        now: Timestamp,
    ) -> StoreResult<Competitor> {
        let text = &text;
        retrying("update_competitor", || async move {
            let mut tx = self.pool.begin().await?;
            if locked_version(&mut tx, "competitors", id.0, ws).await? != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            let row = sqlx::query(&format!(
                "UPDATE competitors SET name = $1, website = $2, strengths = $3, weaknesses = $4, \
                 updated_at = $5, version = version + 1 WHERE id = $6 RETURNING {COMPETITOR_COLS}"
            ))
            .bind(&text.name)
            .bind(&text.website)
            .bind(&text.strengths)
            .bind(&text.weaknesses)
            .bind(us(now))
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
            let out = competitor(&row)?;
            index_competitor(&mut tx, &out).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn delete_competitor(
        &self,
        ws: WorkspaceId,
        id: CompetitorId,
        expected_version: i64,
    ) -> StoreResult<()> {
        retrying("delete_competitor", || async move {
            let mut tx = self.pool.begin().await?;
            if locked_version(&mut tx, "competitors", id.0, ws).await? != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            sqlx::query("DELETE FROM competitors WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            unindex_doc(&mut tx, id.0).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
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
        retrying("put_capability", || async move {
            let mut tx = self.pool.begin().await?;
            check_product(&mut tx, ws, product).await?;
            let row = sqlx::query(&format!(
                "INSERT INTO capabilities ({CAPABILITY_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (product_id, name) DO UPDATE SET ours = excluded.ours, \
                 ours_note = excluded.ours_note RETURNING {CAPABILITY_COLS}"
            ))
            .bind(CapabilityId::new().0)
            .bind(ws.0)
            .bind(product.0)
            .bind(name)
            .bind(ours.as_str())
            .bind(ours_note)
            .bind(us(now))
            .fetch_one(&mut *tx)
            .await?;
            let out = capability(&row)?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn delete_capability(&self, ws: WorkspaceId, id: CapabilityId) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM capabilities WHERE id = $1 AND workspace_id = $2")
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
        let r = &r;
        retrying("rate_competitor", || async move {
            let mut tx = self.pool.begin().await?;
            // Both ends must be of the same product of this workspace.
            sqlx::query(
                "SELECT 1 FROM competitors c JOIN capabilities k ON k.product_id = c.product_id \
                 WHERE c.id = $1 AND k.id = $2 AND c.workspace_id = $3 FOR SHARE",
            )
            .bind(r.competitor_id.0)
            .bind(r.capability_id.0)
            .bind(ws.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            sqlx::query(
                "INSERT INTO competitor_ratings (competitor_id, capability_id, rating, note) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (competitor_id, capability_id) \
                 DO UPDATE SET rating = excluded.rating, note = excluded.note",
            )
            .bind(r.competitor_id.0)
            .bind(r.capability_id.0)
            .bind(r.rating.as_str())
            .bind(&r.note)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn comparison_grid(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<ComparisonGrid> {
        let caps = sqlx::query(&format!(
            "SELECT {CAPABILITY_COLS} FROM capabilities WHERE product_id = $1 \
             AND workspace_id = $2 ORDER BY name COLLATE \"C\""
        ))
        .bind(product.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let comps = sqlx::query(&format!(
            "SELECT {COMPETITOR_COLS} FROM competitors WHERE product_id = $1 \
             AND workspace_id = $2 ORDER BY name COLLATE \"C\""
        ))
        .bind(product.0)
        .bind(ws.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let ratings = sqlx::query(
            "SELECT r.competitor_id, r.capability_id, r.rating, r.note FROM competitor_ratings r \
             JOIN competitors c ON c.id = r.competitor_id \
             WHERE c.product_id = $1 AND c.workspace_id = $2 \
             ORDER BY r.competitor_id, r.capability_id",
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
        let n = &n;
        retrying("create_research_note", || async move {
            let mut tx = self.pool.begin().await?;
            check_product(&mut tx, n.workspace_id, n.product_id).await?;
            if let Some(p) = n.persona_id {
                persona_in_tx(&mut tx, n.workspace_id, p, "FOR SHARE").await?;
            }
            let row = sqlx::query(&format!(
                "INSERT INTO research_notes ({NOTE_COLS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) RETURNING {NOTE_COLS}"
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
            .fetch_one(&mut *tx)
            .await?;
            let out = note(&row)?;
            index_note(&mut tx, &out).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn get_research_note(
        &self,
        ws: WorkspaceId,
        id: ResearchNoteId,
    ) -> StoreResult<ResearchNote> {
        let row = sqlx::query(&format!(
            "SELECT {NOTE_COLS} FROM research_notes WHERE id = $1 AND workspace_id = $2"
        ))
        .bind(id.0)
        .bind(ws.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref()
            .map(note)
            .transpose()?
            .ok_or(StoreError::NotFound)
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
        let rows = sqlx::query(&format!(
            "SELECT {NOTE_COLS} FROM research_notes WHERE product_id = $1 AND workspace_id = $2 \
             AND ($3::uuid IS NULL OR id < $3) ORDER BY id DESC LIMIT $4"
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
        let p = &p;
        retrying("update_research_note", || async move {
            let mut tx = self.pool.begin().await?;
            let row = sqlx::query(&format!(
                "SELECT {NOTE_COLS} FROM research_notes WHERE id = $1 AND workspace_id = $2 \
                 FOR UPDATE"
            ))
            .bind(id.0)
            .bind(ws.0)
            .fetch_optional(&mut *tx)
            .await?;
            let current = row
                .as_ref()
                .map(note)
                .transpose()?
                .ok_or(StoreError::NotFound)?;
            if current.version != expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            if let Some(Some(persona)) = p.persona_id {
                persona_in_tx(&mut tx, ws, persona, "FOR SHARE").await?;
            }
            let text = p.text.clone().unwrap_or(NoteText {
                title: current.title,
                participant: current.participant,
                notes: current.notes,
            });
            let row = sqlx::query(&format!(
                "UPDATE research_notes SET title = $1, participant = $2, notes = $3, \
                 persona_id = $4, held_on = $5, updated_at = $6, version = version + 1 \
                 WHERE id = $7 RETURNING {NOTE_COLS}"
            ))
            .bind(&text.title)
            .bind(&text.participant)
            .bind(&text.notes)
            .bind(p.persona_id.unwrap_or(current.persona_id).map(|p| p.0))
            .bind(us(p.held_on.unwrap_or(current.held_on)))
            .bind(us(p.now.unwrap_or(current.updated_at)))
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
            let out = note(&row)?;
            index_note(&mut tx, &out).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn capture_passage(&self, c: CapturedPassage) -> StoreResult<Feedback> {
        let c = &c;
        let ws = c.feedback.workspace_id;
        retrying("capture_passage", || async move {
            let mut tx = self.pool.begin().await?;
            if let Some(p) = c.persona {
                persona_in_tx(&mut tx, ws, p, "FOR SHARE").await?;
            }
            let (f, _) = upsert_feedback(&mut tx, &c.feedback).await?;
            if let Some(e) = &c.evidence {
                insert_evidence(&mut tx, e).await?;
            }
            if let Some(p) = c.persona {
                insert_link(&mut tx, ws, p, PersonaTarget::Feedback, f.id.0).await?;
            }
            let f = feedback_in_tx(&mut tx, ws, f.id, "").await?;
            tx.commit().await?;
            Ok(f)
        })
        .await
    }
}

// --- moving data ------------------------------------------------------------------------------

pub(crate) async fn dump(conn: &mut PgConnection, d: &mut ResearchDump) -> Res<()> {
    for r in sqlx::query(&format!("SELECT {PERSONA_COLS} FROM personas ORDER BY id"))
        .fetch_all(&mut *conn)
        .await?
    {
        d.personas.push(persona(&r)?);
    }
    for r in sqlx::query(
        "SELECT persona_id, target_id, target_kind, workspace_id FROM persona_links \
         ORDER BY persona_id, target_id",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        d.persona_links.push(link(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {COMPETITOR_COLS} FROM competitors ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.competitors.push(competitor(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {CAPABILITY_COLS} FROM capabilities ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.capabilities.push(capability(&r)?);
    }
    for r in sqlx::query(
        "SELECT competitor_id, capability_id, rating, note FROM competitor_ratings \
         ORDER BY competitor_id, capability_id",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        d.competitor_ratings.push(rating(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {NOTE_COLS} FROM research_notes ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.research_notes.push(note(&r)?);
    }
    Ok(())
}

pub(crate) async fn load(conn: &mut PgConnection, d: &ResearchDump) -> Res<()> {
    for p in &d.personas {
        sqlx::query(&format!(
            "INSERT INTO personas ({PERSONA_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
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
        .execute(&mut *conn)
        .await?;
        index_persona(conn, p).await?;
    }
    for l in &d.persona_links {
        sqlx::query(
            "INSERT INTO persona_links (persona_id, target_id, target_kind, workspace_id) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(l.persona_id.0)
        .bind(l.target_id)
        .bind(l.target_kind.as_str())
        .bind(l.workspace_id.0)
        .execute(&mut *conn)
        .await?;
    }
    for c in &d.competitors {
        sqlx::query(&format!(
            "INSERT INTO competitors ({COMPETITOR_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
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
        .execute(&mut *conn)
        .await?;
        index_competitor(conn, c).await?;
    }
    for c in &d.capabilities {
        sqlx::query(&format!(
            "INSERT INTO capabilities ({CAPABILITY_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ))
        .bind(c.id.0)
        .bind(c.workspace_id.0)
        .bind(c.product_id.0)
        .bind(&c.name)
        .bind(c.ours.as_str())
        .bind(&c.ours_note)
        .bind(us(c.created_at))
        .execute(&mut *conn)
        .await?;
    }
    for r in &d.competitor_ratings {
        sqlx::query(
            "INSERT INTO competitor_ratings (competitor_id, capability_id, rating, note) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(r.competitor_id.0)
        .bind(r.capability_id.0)
        .bind(r.rating.as_str())
        .bind(&r.note)
        .execute(&mut *conn)
        .await?;
    }
    for n in &d.research_notes {
        sqlx::query(&format!(
            "INSERT INTO research_notes ({NOTE_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
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
        .execute(&mut *conn)
        .await?;
        index_note(conn, n).await?;
    }
    Ok(())
}
