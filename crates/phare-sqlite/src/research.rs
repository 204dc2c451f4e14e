//! `impl ResearchStore for SqliteStore`: personas and their links, competitors and the
//! comparison grid, research notes and the passages captured from them.

use crate::db;
use crate::discovery::{
    check_product, feedback, feedback_in_tx, idea, index_doc, insert_evidence, unindex_doc,
    upsert_feedback, with_figures, FEEDBACK_SELECT, IDEA_SELECT,
};
use crate::rows::{get, parse, ts, us};
use crate::SqliteStore;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::*;
use rusqlite::{params, Connection, Row};
use uuid::Uuid;

const PERSONA_COLS: &str =
    "id, workspace_id, product_id, name, description, goals, frustrations, created_at, updated_at, version";
const COMPETITOR_COLS: &str =
    "id, workspace_id, product_id, name, website, strengths, weaknesses, created_at, updated_at, version";
const CAPABILITY_COLS: &str = "id, workspace_id, product_id, name, ours, ours_note, created_at";
const NOTE_COLS: &str = "id, workspace_id, product_id, title, participant, persona_id, held_on, \
     notes, created_by, created_at, updated_at, version";

fn persona(row: &Row<'_>) -> StoreResult<Persona> {
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

fn competitor(row: &Row<'_>) -> StoreResult<Competitor> {
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

fn capability(row: &Row<'_>) -> StoreResult<Capability> {
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

fn rating(row: &Row<'_>) -> StoreResult<CompetitorRating> {
    Ok(CompetitorRating {
        competitor_id: CompetitorId(get(row, "competitor_id")?),
        capability_id: CapabilityId(get(row, "capability_id")?),
        rating: parse(&get::<String>(row, "rating")?, Rating::parse, "rating")?,
        note: get(row, "note")?,
    })
}

fn note(row: &Row<'_>) -> StoreResult<ResearchNote> {
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

fn link(row: &Row<'_>) -> StoreResult<PersonaLink> {
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

fn persona_in_tx(c: &Connection, ws: WorkspaceId, id: PersonaId) -> StoreResult<Persona> {
    db::one(
        c,
        &format!("SELECT {PERSONA_COLS} FROM personas WHERE id = ? AND workspace_id = ?"),
        params![id.0, ws.0],
        persona,
    )
}

fn competitor_in_tx(c: &Connection, ws: WorkspaceId, id: CompetitorId) -> StoreResult<Competitor> {
    db::one(
        c,
        &format!("SELECT {COMPETITOR_COLS} FROM competitors WHERE id = ? AND workspace_id = ?"),
        params![id.0, ws.0],
        competitor,
    )
}

fn note_in_tx(c: &Connection, ws: WorkspaceId, id: ResearchNoteId) -> StoreResult<ResearchNote> {
    db::one(
        c,
        &format!("SELECT {NOTE_COLS} FROM research_notes WHERE id = ? AND workspace_id = ?"),
        params![id.0, ws.0],
        note,
    )
}

fn index_persona(c: &Connection, p: &Persona) -> StoreResult<()> {
    let terms = persona_search_text(p);
    index_doc(
        c,
        p.id.0,
        p.workspace_id,
        Some(p.product_id),
        SearchKind::Persona,
        &terms,
    )
}

fn index_competitor(c: &Connection, comp: &Competitor) -> StoreResult<()> {
    let terms = competitor_search_text(comp);
    index_doc(
        c,
        comp.id.0,
        comp.workspace_id,
        Some(comp.product_id),
        SearchKind::Competitor,
        &terms,
    )
}

fn index_note(c: &Connection, n: &ResearchNote) -> StoreResult<()> {
    let terms = note_search_text(n);
    index_doc(
        c,
        n.id.0,
        n.workspace_id,
        Some(n.product_id),
        SearchKind::ResearchNote,
        &terms,
    )
}

fn insert_link(
    c: &Connection,
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
    db::opt(
        c,
        &format!("SELECT 1 FROM {table} WHERE id = ? AND workspace_id = ?"),
        params![target_id, ws.0],
        |_| Ok(()),
    )?
    .ok_or(StoreError::NotFound)?;
    db::exec(
        c,
        "INSERT INTO persona_links (persona_id, target_id, target_kind, workspace_id) \
         VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        params![persona.0, target_id, target.as_str(), ws.0],
    )?;
    Ok(())
}

/// The `version` column `sql` selects for `id` in `ws` (`NotFound` when there is no such row).
fn version_of(c: &Connection, sql: &str, id: Uuid, ws: WorkspaceId) -> StoreResult<i64> {
    db::opt(c, sql, params![id, ws.0], |r| get::<i64>(r, "version"))?.ok_or(StoreError::NotFound)
}

#[async_trait]
impl ResearchStore for SqliteStore {
    async fn create_persona(&self, p: NewPersona) -> StoreResult<Persona> {
        self.write(move |c| {
            check_product(c, p.workspace_id, p.product_id)?;
            db::exec(
                c,
                &format!(
                    "INSERT INTO personas ({PERSONA_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
                ),
                params![
                    p.id.0,
                    p.workspace_id.0,
                    p.product_id.0,
                    &p.text.name,
                    &p.text.description,
                    &p.text.goals,
                    &p.text.frustrations,
                    us(p.now),
                    us(p.now)
                ],
            )?;
            let out = persona_in_tx(c, p.workspace_id, p.id)?;
            index_persona(c, &out)?;
            Ok(out)
        })
        .await
    }

    async fn get_persona(&self, ws: WorkspaceId, id: PersonaId) -> StoreResult<Persona> {
        self.read_now(move |c| {
            db::one(
                c,
                &format!("SELECT {PERSONA_COLS} FROM personas WHERE id = ? AND workspace_id = ?"),
                params![id.0, ws.0],
                persona,
            )
        })
        .await
    }

    async fn list_personas(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<Vec<Persona>> {
        self.read_now(move |c| {
            db::all(
                c,
                &format!(
                    "SELECT {PERSONA_COLS} FROM personas WHERE product_id = ? AND workspace_id = ? \
                     ORDER BY name"
                ),
                params![product.0, ws.0],
                persona,
            )
        })
        .await
    }

    async fn update_persona(
        &self,
        ws: WorkspaceId,
        id: PersonaId,
        expected_version: i64,
        text: PersonaText,
        now: Timestamp,
    ) -> StoreResult<Persona> {
        self.write(move |c| {
            let p = persona_in_tx(c, ws, id)?;
            if p.version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            db::exec(
                c,
                "UPDATE personas SET name = ?, description = ?, goals = ?, frustrations = ?, \
                 updated_at = ?, version = version + 1 WHERE id = ?",
                params![
                    &text.name,
                    &text.description,
                    &text.goals,
                    &text.frustrations,
                    us(now),
                    id.0
                ],
            )?;
            let out = persona_in_tx(c, ws, id)?;
            index_persona(c, &out)?;
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
        self.write(move |c| {
            let p = persona_in_tx(c, ws, id)?;
            if p.version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            db::exec(c, "DELETE FROM personas WHERE id = ?", params![id.0])?;
            unindex_doc(c, id.0)
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
        self.write(move |c| {
            persona_in_tx(c, ws, persona)?;
            insert_link(c, ws, persona, target, target_id)
        })
        .await
    }

    async fn unlink_persona(
        &self,
        ws: WorkspaceId,
        persona: PersonaId,
        target_id: Uuid,
    ) -> StoreResult<()> {
        self.write(move |c| {
            let done = db::exec(
                c,
                "DELETE FROM persona_links WHERE persona_id = ? AND target_id = ? AND workspace_id = ?",
                params![persona.0, target_id, ws.0],
            )?;
            if done == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    async fn persona_links(
        &self,
        ws: WorkspaceId,
        persona: PersonaId,
    ) -> StoreResult<PersonaLinks> {
        self.read(move |c| {
            let ideas = db::all(
                c,
                &format!(
                    "{IDEA_SELECT} JOIN persona_links l ON l.target_id = i.id \
                     WHERE l.persona_id = ? AND l.workspace_id = ? ORDER BY i.id DESC LIMIT 200"
                ),
                params![persona.0, ws.0],
                idea,
            )?;
            let feedback_rows = db::all(
                c,
                &format!(
                    "{FEEDBACK_SELECT} JOIN persona_links l ON l.target_id = f.id \
                     WHERE l.persona_id = ? AND l.workspace_id = ? ORDER BY f.id DESC LIMIT 200"
                ),
                params![persona.0, ws.0],
                feedback,
            )?;
            Ok(PersonaLinks {
                ideas: with_figures(c, ideas)?,
                feedback: feedback_rows,
            })
        })
        .await
    }

    async fn personas_of(&self, ws: WorkspaceId, target_id: Uuid) -> StoreResult<Vec<Persona>> {
        self.read(move |c| {
            db::all(
                c,
                &format!(
                    "SELECT {} FROM personas p JOIN persona_links l ON l.persona_id = p.id \
                     WHERE l.target_id = ? AND l.workspace_id = ? ORDER BY p.name",
                    PERSONA_COLS
                        .split(", ")
                        .map(|col| format!("p.{col}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                params![target_id, ws.0],
                persona,
            )
        })
        .await
    }

    async fn create_competitor(&self, comp: NewCompetitor) -> StoreResult<Competitor> {
        self.write(move |c| {
            check_product(c, comp.workspace_id, comp.product_id)?;
            db::exec(
                c,
                &format!(
                    "INSERT INTO competitors ({COMPETITOR_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
                ),
                params![
                    comp.id.0,
                    comp.workspace_id.0,
                    comp.product_id.0,
                    &comp.text.name,
                    &comp.text.website,
                    &comp.text.strengths,
                    &comp.text.weaknesses,
                    us(comp.now),
                    us(comp.now)
                ],
            )?;
            let out = competitor_in_tx(c, comp.workspace_id, comp.id)?;
            index_competitor(c, &out)?;
            Ok(out)
        })
        .await
    }

    async fn get_competitor(&self, ws: WorkspaceId, id: CompetitorId) -> StoreResult<Competitor> {
        self.read(move |c| {
            db::one(
                c,
                &format!(
                    "SELECT {COMPETITOR_COLS} FROM competitors WHERE id = ? AND workspace_id = ?"
                ),
                params![id.0, ws.0],
                competitor,
            )
        })
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
        self.write(move |c| {
            let version = version_of(
                c,
                "SELECT version FROM competitors WHERE id = ? AND workspace_id = ?",
                id.0,
                ws,
            )?;
            if version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            db::exec(
                c,
                "UPDATE competitors SET name = ?, website = ?, strengths = ?, weaknesses = ?, \
                 updated_at = ?, version = version + 1 WHERE id = ?",
                params![
                    &text.name,
                    &text.website,
                    &text.strengths,
                    &text.weaknesses,
                    us(now),
                    id.0
                ],
            )?;
            let out = competitor_in_tx(c, ws, id)?;
            index_competitor(c, &out)?;
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
        self.write(move |c| {
            let version = version_of(
                c,
                "SELECT version FROM competitors WHERE id = ? AND workspace_id = ?",
                id.0,
                ws,
            )?;
            if version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            db::exec(c, "DELETE FROM competitors WHERE id = ?", params![id.0])?;
            unindex_doc(c, id.0)
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
        let name = name.to_owned();
        let ours_note = ours_note.to_owned();
        self.write(move |c| {
            check_product(c, ws, product)?;
            db::exec(
                c,
                "INSERT INTO capabilities (id, workspace_id, product_id, name, ours, ours_note, \
                 created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (product_id, name) \
                 DO UPDATE SET ours = excluded.ours, ours_note = excluded.ours_note",
                params![
                    CapabilityId::new().0,
                    ws.0,
                    product.0,
                    &name,
                    ours.as_str(),
                    &ours_note,
                    us(now)
                ],
            )?;
            db::one(
                c,
                &format!(
                    "SELECT {CAPABILITY_COLS} FROM capabilities WHERE product_id = ? AND name = ?"
                ),
                params![product.0, &name],
                capability,
            )
        })
        .await
    }

    async fn delete_capability(&self, ws: WorkspaceId, id: CapabilityId) -> StoreResult<()> {
        self.write(move |c| {
            let done = db::exec(
                c,
                "DELETE FROM capabilities WHERE id = ? AND workspace_id = ?",
                params![id.0, ws.0],
            )?;
            if done == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    async fn rate_competitor(&self, ws: WorkspaceId, r: CompetitorRating) -> StoreResult<()> {
        self.write(move |c| {
            // Both ends must be of the same product of this workspace.
            db::opt(
                c,
                "SELECT 1 FROM competitors c JOIN capabilities k ON k.product_id = c.product_id \
                 WHERE c.id = ? AND k.id = ? AND c.workspace_id = ?",
                params![r.competitor_id.0, r.capability_id.0, ws.0],
                |_| Ok(()),
            )?
            .ok_or(StoreError::NotFound)?;
            db::exec(
                c,
                "INSERT INTO competitor_ratings (competitor_id, capability_id, rating, note) \
                 VALUES (?, ?, ?, ?) ON CONFLICT (competitor_id, capability_id) \
                 DO UPDATE SET rating = excluded.rating, note = excluded.note",
                params![
                    r.competitor_id.0,
                    r.capability_id.0,
                    r.rating.as_str(),
                    &r.note
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn comparison_grid(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<ComparisonGrid> {
        self.read(move |c| {
            let capabilities = db::all(
                c,
                &format!(
                    "SELECT {CAPABILITY_COLS} FROM capabilities WHERE product_id = ? AND workspace_id = ? \
                     ORDER BY name"
                ),
                params![product.0, ws.0],
                capability,
            )?;
            let competitors = db::all(
                c,
                &format!(
                    "SELECT {COMPETITOR_COLS} FROM competitors WHERE product_id = ? AND workspace_id = ? \
                     ORDER BY name"
                ),
                params![product.0, ws.0],
                competitor,
            )?;
            let ratings = db::all(
                c,
                "SELECT r.competitor_id, r.capability_id, r.rating, r.note FROM competitor_ratings r \
                 JOIN competitors c ON c.id = r.competitor_id \
                 WHERE c.product_id = ? AND c.workspace_id = ? ORDER BY r.competitor_id, r.capability_id",
                params![product.0, ws.0],
                rating,
            )?;
            Ok(ComparisonGrid {
                capabilities,
                competitors,
                ratings,
            })
        })
        .await
    }

    async fn create_research_note(&self, n: NewResearchNote) -> StoreResult<ResearchNote> {
        self.write(move |c| {
            check_product(c, n.workspace_id, n.product_id)?;
            if let Some(p) = n.persona_id {
                persona_in_tx(c, n.workspace_id, p)?;
            }
            db::exec(
                c,
                &format!(
                    "INSERT INTO research_notes ({NOTE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
                ),
                params![
                    n.id.0,
                    n.workspace_id.0,
                    n.product_id.0,
                    &n.text.title,
                    &n.text.participant,
                    n.persona_id.map(|p| p.0),
                    us(n.held_on),
                    &n.text.notes,
                    n.created_by.map(|m| m.0),
                    us(n.now),
                    us(n.now)
                ],
            )?;
            let out = note_in_tx(c, n.workspace_id, n.id)?;
            index_note(c, &out)?;
            Ok(out)
        })
        .await
    }

    async fn get_research_note(
        &self,
        ws: WorkspaceId,
        id: ResearchNoteId,
    ) -> StoreResult<ResearchNote> {
        self.read(move |c| {
            db::one(
                c,
                &format!(
                    "SELECT {NOTE_COLS} FROM research_notes WHERE id = ? AND workspace_id = ?"
                ),
                params![id.0, ws.0],
                note,
            )
        })
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
        let limit = page.fetch_limit();
        let items = self
            .read(move |c| {
                db::all(
                    c,
                    &format!(
                        "SELECT {NOTE_COLS} FROM research_notes WHERE product_id = ? AND workspace_id = ? \
                         AND id < ? ORDER BY id DESC LIMIT ?"
                    ),
                    params![product.0, ws.0, after, limit],
                    note,
                )
            })
            .await?;
        Ok(Page::from_rows(items, page, |n| n.id.to_string()))
    }

    async fn update_research_note(
        &self,
        ws: WorkspaceId,
        id: ResearchNoteId,
        expected_version: i64,
        p: ResearchNotePatch,
    ) -> StoreResult<ResearchNote> {
        self.write(move |c| {
            // The current note is read in the same transaction as the write, so the fields the
            // patch leaves alone are those of the version checked below.
            let current = note_in_tx(c, ws, id)?;
            let version = version_of(
                c,
                "SELECT version FROM research_notes WHERE id = ? AND workspace_id = ?",
                id.0,
                ws,
            )?;
            if version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            if let Some(Some(persona)) = p.persona_id {
                persona_in_tx(c, ws, persona)?;
            }
            let text = p.text.unwrap_or(NoteText {
                title: current.title,
                participant: current.participant,
                notes: current.notes,
            });
            db::exec(
                c,
                "UPDATE research_notes SET title = ?, participant = ?, notes = ?, persona_id = ?, \
                 held_on = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                params![
                    &text.title,
                    &text.participant,
                    &text.notes,
                    p.persona_id.unwrap_or(current.persona_id).map(|p| p.0),
                    us(p.held_on.unwrap_or(current.held_on)),
                    us(p.now.unwrap_or(current.updated_at)),
                    id.0
                ],
            )?;
            let out = note_in_tx(c, ws, id)?;
            index_note(c, &out)?;
            Ok(out)
        })
        .await
    }

    async fn capture_passage(&self, cap: CapturedPassage) -> StoreResult<Feedback> {
        let ws = cap.feedback.workspace_id;
        self.write(move |c| {
            if let Some(p) = cap.persona {
                persona_in_tx(c, ws, p)?;
            }
            let (f, _) = upsert_feedback(c, &cap.feedback)?;
            if let Some(e) = &cap.evidence {
                insert_evidence(c, e)?;
            }
            if let Some(p) = cap.persona {
                insert_link(c, ws, p, PersonaTarget::Feedback, f.id.0)?;
            }
            feedback_in_tx(c, ws, f.id)
        })
        .await
    }
}

// --- moving data ------------------------------------------------------------------------------

/// Reads everything of this file into `d`; the caller holds one snapshot for all the dumps.
pub(crate) fn dump(c: &Connection, d: &mut ResearchDump) -> StoreResult<()> {
    d.personas.extend(db::all(
        c,
        &format!("SELECT {PERSONA_COLS} FROM personas ORDER BY id"),
        [],
        persona,
    )?);
    d.persona_links.extend(db::all(
        c,
        "SELECT persona_id, target_id, target_kind, workspace_id FROM persona_links \
         ORDER BY persona_id, target_id",
        [],
        link,
    )?);
    d.competitors.extend(db::all(
        c,
        &format!("SELECT {COMPETITOR_COLS} FROM competitors ORDER BY id"),
        [],
        competitor,
    )?);
    d.capabilities.extend(db::all(
        c,
        &format!("SELECT {CAPABILITY_COLS} FROM capabilities ORDER BY id"),
        [],
        capability,
    )?);
    d.competitor_ratings.extend(db::all(
        c,
        "SELECT competitor_id, capability_id, rating, note FROM competitor_ratings \
         ORDER BY competitor_id, capability_id",
        [],
        rating,
    )?);
    d.research_notes.extend(db::all(
        c,
        &format!("SELECT {NOTE_COLS} FROM research_notes ORDER BY id"),
        [],
        note,
    )?);
    Ok(())
}

/// Writes `d` into an empty database; the caller runs it inside its write transaction.
pub(crate) fn load(c: &Connection, d: &ResearchDump) -> StoreResult<()> {
    let persona_sql =
        format!("INSERT INTO personas ({PERSONA_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for p in &d.personas {
        db::exec(
            c,
            &persona_sql,
            params![
                p.id.0,
                p.workspace_id.0,
                p.product_id.0,
                &p.name,
                &p.description,
                &p.goals,
                &p.frustrations,
                us(p.created_at),
                us(p.updated_at),
                p.version
            ],
        )?;
        index_persona(c, p)?;
    }
    for l in &d.persona_links {
        db::exec(
            c,
            "INSERT INTO persona_links (persona_id, target_id, target_kind, workspace_id) \
             VALUES (?, ?, ?, ?)",
            params![
                l.persona_id.0,
                l.target_id,
                l.target_kind.as_str(),
                l.workspace_id.0
            ],
        )?;
    }
    let competitor_sql = format!(
        "INSERT INTO competitors ({COMPETITOR_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    );
    for comp in &d.competitors {
        db::exec(
            c,
            &competitor_sql,
            params![
                comp.id.0,
                comp.workspace_id.0,
                comp.product_id.0,
                &comp.name,
                &comp.website,
                &comp.strengths,
                &comp.weaknesses,
                us(comp.created_at),
                us(comp.updated_at),
                comp.version
            ],
        )?;
        index_competitor(c, comp)?;
    }
    let capability_sql =
        format!("INSERT INTO capabilities ({CAPABILITY_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for k in &d.capabilities {
        db::exec(
            c,
            &capability_sql,
            params![
                k.id.0,
                k.workspace_id.0,
                k.product_id.0,
                &k.name,
                k.ours.as_str(),
                &k.ours_note,
                us(k.created_at)
            ],
        )?;
    }
    for r in &d.competitor_ratings {
        db::exec(
            c,
            "INSERT INTO competitor_ratings (competitor_id, capability_id, rating, note) \
             VALUES (?, ?, ?, ?)",
            params![
                r.competitor_id.0,
                r.capability_id.0,
                r.rating.as_str(),
                &r.note
            ],
        )?;
    }
    let note_sql = format!(
        "INSERT INTO research_notes ({NOTE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    );
    for n in &d.research_notes {
        db::exec(
            c,
            &note_sql,
            params![
                n.id.0,
                n.workspace_id.0,
                n.product_id.0,
                &n.title,
                &n.participant,
                n.persona_id.map(|p| p.0),
                us(n.held_on),
                &n.notes,
                n.created_by.map(|m| m.0),
                us(n.created_at),
                us(n.updated_at),
                n.version
            ],
        )?;
        index_note(c, n)?;
    }
    Ok(())
}
