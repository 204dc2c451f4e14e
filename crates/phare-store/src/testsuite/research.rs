//! Conformance checks of the research contract: personas and their links, competitors and the
//! comparison grid, research notes and captured passages.

use super::{new_member, new_product, new_workspace, t0};
use crate::*;
use chrono::Duration;
use phare_domain::*;

struct World {
    ws: Workspace,
    pm: Member,
    product: Product,
    foreign: Workspace,
    foreign_product: Product,
}

async fn world(s: &dyn Store) -> World {
    let ws = s.create_workspace(new_workspace("lab")).await.unwrap();
    let pm = s
        .create_member(new_member(ws.id, "pm@lab.test", Role::ProductManager))
        .await
        .unwrap();
    let product = s.create_product(new_product(ws.id, "LAB")).await.unwrap();
    let foreign = s
        .create_workspace(new_workspace("other-lab"))
        .await
        .unwrap();
    let foreign_product = s
        .create_product(new_product(foreign.id, "LAB"))
        .await
        .unwrap();
    World {
        ws,
        pm,
        product,
        foreign,
        foreign_product,
    }
}

fn persona(w: &World, name: &str) -> NewPersona {
    NewPersona {
        id: PersonaId::new(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        text: PersonaText {
            name: name.into(),
            description: "Agent d'accueil en mairie".into(),
            goals: "Répondre vite".into(),
            frustrations: "Trop de clics".into(),
        },
        now: t0(),
    }
}

fn feedback(w: &World, text: &str) -> NewFeedback {
    NewFeedback {
        id: FeedbackId::new(),
        workspace_id: w.ws.id,
        product_id: Some(w.product.id),
        text: text.into(),
        source: SourceKind::Interview,
        customer: None,
        contact: None,
        author_id: Some(w.pm.id),
        observed_at: t0(),
        tags: Vec::new(),
        external: None,
        now: t0(),
    }
}

fn idea(w: &World, title: &str) -> NewIdea {
    NewIdea {
        id: IdeaId::new(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        text: IdeaText {
            title: title.into(),
            ..Default::default()
        },
        status: IdeaStatus::Draft,
        owner_id: None,
        tags: Vec::new(),
        created_by: None,
        evidence: None,
        external: None,
        now: t0(),
    }
}

pub async fn personas_are_unique_per_product_and_link_to_ideas_and_feedback(s: &dyn Store) {
    let w = world(s).await;
    let lea = s.create_persona(persona(&w, "Léa")).await.unwrap();
    s.create_persona(persona(&w, "Bruno")).await.unwrap();
    assert!(matches!(
        s.create_persona(persona(&w, "Léa")).await,
        Err(StoreError::Duplicate("name"))
    ));
    assert!(matches!(
        s.create_persona(NewPersona {
            product_id: w.foreign_product.id,
            ..persona(&w, "Stray")
        })
        .await,
        Err(StoreError::NotFound)
    ));
    let names: Vec<String> = s
        .list_personas(w.ws.id, w.product.id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, vec!["Bruno", "Léa"]);
    let lea2 = s
        .update_persona(
            w.ws.id,
            lea.id,
            lea.version,
            PersonaText {
                name: "Léa Martin".into(),
                ..Default::default()
            },
            t0() + Duration::minutes(1),
        )
        .await
        .unwrap();
    assert_eq!(lea2.version, lea.version + 1);
    assert!(matches!(
        s.update_persona(w.ws.id, lea.id, lea.version, PersonaText::default(), t0())
            .await,
        Err(StoreError::VersionConflict)
    ));

    let i = s.create_idea(idea(&w, "Export PDF")).await.unwrap();
    let f = s
        .create_feedback(feedback(&w, "Trop de clics"))
        .await
        .unwrap();
    s.link_persona(w.ws.id, lea.id, PersonaTarget::Idea, i.id.0)
        .await
        .unwrap();
    s.link_persona(w.ws.id, lea.id, PersonaTarget::Idea, i.id.0)
        .await
        .unwrap();
    s.link_persona(w.ws.id, lea.id, PersonaTarget::Feedback, f.id.0)
        .await
        .unwrap();
    let links = s.persona_links(w.ws.id, lea.id).await.unwrap();
    assert_eq!(
        (links.ideas.len(), links.feedback.len()),
        (1, 1),
        "linking twice is harmless"
    );
    assert_eq!(
        s.personas_of(w.ws.id, i.id.0).await.unwrap()[0].name,
        "Léa Martin"
    );
    // An idea of another workspace cannot be linked; another workspace sees no persona.
    let theirs = s
        .create_idea(NewIdea {
            workspace_id: w.foreign.id,
            product_id: w.foreign_product.id,
            ..idea(&w, "theirs")
        })
        .await
        .unwrap();
    assert!(matches!(
        s.link_persona(w.ws.id, lea.id, PersonaTarget::Idea, theirs.id.0)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.get_persona(w.foreign.id, lea.id).await,
        Err(StoreError::NotFound)
    ));
    s.unlink_persona(w.ws.id, lea.id, i.id.0).await.unwrap();
    assert!(matches!(
        s.unlink_persona(w.ws.id, lea.id, i.id.0).await,
        Err(StoreError::NotFound)
    ));
    s.delete_persona(w.ws.id, lea.id, lea2.version)
        .await
        .unwrap();
    assert!(s.personas_of(w.ws.id, f.id.0).await.unwrap().is_empty());
}

pub async fn the_comparison_grid_rates_capabilities_per_competitor(s: &dyn Store) {
    let w = world(s).await;
    let new = |name: &str| NewCompetitor {
        id: CompetitorId::new(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        text: CompetitorText {
            name: name.into(),
            website: "https://example.org".into(),
            strengths: "Prix".into(),
            weaknesses: "Hébergé aux États-Unis".into(),
        },
        now: t0(),
    };
    let canny = s.create_competitor(new("Canny")).await.unwrap();
    let aha = s.create_competitor(new("Aha!")).await.unwrap();
    assert!(matches!(
        s.create_competitor(new("Canny")).await,
        Err(StoreError::Duplicate("name"))
    ));
    let votes = s
        .put_capability(w.ws.id, w.product.id, "Votes", Rating::Have, "", t0())
        .await
        .unwrap();
    let sso = s
        .put_capability(w.ws.id, w.product.id, "SSO", Rating::No, "", t0())
        .await
        .unwrap();
    // Putting the same name again changes our rating, not the row.
    let sso2 = s
        .put_capability(
            w.ws.id,
            w.product.id,
            "SSO",
            Rating::Partial,
            "SAML bientôt",
            t0(),
        )
        .await
        .unwrap();
    assert_eq!((sso2.id, sso2.ours), (sso.id, Rating::Partial));
    for (c, k, r) in [
        (canny.id, votes.id, Rating::Have),
        (canny.id, sso.id, Rating::No),
        (aha.id, sso.id, Rating::Have),
        (canny.id, sso.id, Rating::Partial),
    ] {
        s.rate_competitor(
            w.ws.id,
            CompetitorRating {
                competitor_id: c,
                capability_id: k,
                rating: r,
                note: String::new(),
            },
        )
        .await
        .unwrap();
    }
    let grid = s.comparison_grid(w.ws.id, w.product.id).await.unwrap();
    assert_eq!(
        grid.capabilities
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        vec!["SSO", "Votes"]
    );
    assert_eq!(
        grid.competitors
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Aha!", "Canny"]
    );
    assert_eq!(grid.ratings.len(), 3, "a cell is set, not added twice");
    let cell = grid
        .ratings
        .iter()
        .find(|r| r.competitor_id == canny.id && r.capability_id == sso.id)
        .unwrap();
    assert_eq!(cell.rating, Rating::Partial);
    // A capability of another product cannot be rated against this competitor.
    let theirs = s
        .put_capability(
            w.foreign.id,
            w.foreign_product.id,
            "SSO",
            Rating::Have,
            "",
            t0(),
        )
        .await
        .unwrap();
    assert!(matches!(
        s.rate_competitor(
            w.ws.id,
            CompetitorRating {
                competitor_id: canny.id,
                capability_id: theirs.id,
                rating: Rating::Have,
                note: String::new(),
            },
        )
        .await,
        Err(StoreError::NotFound)
    ));
    let canny2 = s
        .update_competitor(
            w.ws.id,
            canny.id,
            canny.version,
            CompetitorText {
                name: "Canny.io".into(),
                ..Default::default()
            },
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(canny2.name, "Canny.io");
    s.delete_capability(w.ws.id, votes.id).await.unwrap();
    s.delete_competitor(w.ws.id, aha.id, aha.version)
        .await
        .unwrap();
    let grid = s.comparison_grid(w.ws.id, w.product.id).await.unwrap();
    assert_eq!(
        (
            grid.capabilities.len(),
            grid.competitors.len(),
            grid.ratings.len()
        ),
        (1, 1, 1)
    );
}

pub async fn research_notes_page_and_passages_become_evidence_at_once(s: &dyn Store) {
    let w = world(s).await;
    let lea = s.create_persona(persona(&w, "Léa")).await.unwrap();
    let mut notes = Vec::new();
    for n in 0..3 {
        notes.push(
            s.create_research_note(NewResearchNote {
                id: ResearchNoteId::new(),
                workspace_id: w.ws.id,
                product_id: w.product.id,
                text: NoteText {
                    title: format!("Entretien {n}"),
                    participant: "Mme Dupont".into(),
                    notes: "Elle exporte la feuille de route chaque lundi.".into(),
                },
                persona_id: Some(lea.id),
                held_on: t0(),
                created_by: Some(w.pm.id),
                now: t0(),
            })
            .await
            .unwrap(),
        );
    }
    let first = s
        .list_research_notes(w.ws.id, w.product.id, &PageRequest::first(2))
        .await
        .unwrap();
    assert_eq!(
        first.items.iter().map(|n| n.id).collect::<Vec<_>>(),
        vec![notes[2].id, notes[1].id]
    );
    let rest = s
        .list_research_notes(
            w.ws.id,
            w.product.id,
            &PageRequest::new(first.next_cursor, Some(2)),
        )
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    let changed = s
        .update_research_note(
            w.ws.id,
            notes[0].id,
            notes[0].version,
            ResearchNotePatch {
                persona_id: Some(None),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (changed.persona_id, changed.version),
        (None, notes[0].version + 1)
    );
    assert!(matches!(
        s.update_research_note(
            w.ws.id,
            notes[0].id,
            notes[0].version,
            ResearchNotePatch::default()
        )
        .await,
        Err(StoreError::VersionConflict)
    ));

    let i = s
        .create_idea(idea(&w, "Export hebdomadaire"))
        .await
        .unwrap();
    // Without an idea: the passage becomes feedback linked to the persona.
    let f = s
        .capture_passage(CapturedPassage {
            feedback: feedback(&w, "Elle exporte la feuille de route chaque lundi."),
            evidence: None,
            persona: Some(lea.id),
        })
        .await
        .unwrap();
    assert_eq!(f.evidence_count, 0);
    // With an idea: the evidence names the feedback id the caller minted.
    let g = feedback(&w, "Le lundi matin, tout le monde attend l'export.");
    let gid = g.id;
    let linked = s
        .capture_passage(CapturedPassage {
            feedback: g,
            evidence: Some(NewEvidence {
                id: EvidenceId::new(),
                workspace_id: w.ws.id,
                idea_id: i.id,
                feedback_id: gid,
                excerpt: None,
                importance: Importance::Critical,
                created_by: Some(w.pm.id),
                now: t0(),
            }),
            persona: Some(lea.id),
        })
        .await
        .unwrap();
    assert_eq!(linked.evidence_count, 1);
    assert_eq!(linked.state, FeedbackState::Processed);
    assert_eq!(s.get_idea(w.ws.id, i.id).await.unwrap().evidence_count, 1);
    assert_eq!(s.personas_of(w.ws.id, f.id.0).await.unwrap().len(), 1);
    // All or nothing: evidence on an idea of another workspace stores no feedback either.
    let theirs = s
        .create_idea(NewIdea {
            workspace_id: w.foreign.id,
            product_id: w.foreign_product.id,
            ..idea(&w, "theirs")
        })
        .await
        .unwrap();
    let h = feedback(&w, "never stored");
    let hid = h.id;
    assert!(s
        .capture_passage(CapturedPassage {
            feedback: h,
            evidence: Some(NewEvidence {
                id: EvidenceId::new(),
                workspace_id: w.ws.id,
                idea_id: theirs.id,
                feedback_id: hid,
                excerpt: None,
                importance: Importance::Critical,
                created_by: None,
                now: t0(),
            }),
            persona: None,
        })
        .await
        .is_err());
    assert!(matches!(
        s.get_feedback(w.ws.id, hid).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn personas_competitors_and_notes_are_found_by_search(s: &dyn Store) {
    let w = world(s).await;
    let q = |text: &str, kind: SearchKind| SearchQuery {
        terms: phare_domain::text::query_terms(text),
        product: None,
        kinds: vec![kind],
        limit: 10,
    };
    let p = s
        .create_persona(NewPersona {
            text: PersonaText {
                name: "Agent d'accueil".into(),
                frustrations: "Les formulaires papier ralentissent le guichet".into(),
                ..Default::default()
            },
            ..persona(&w, "ignored")
        })
        .await
        .unwrap();
    let c = s
        .create_competitor(NewCompetitor {
            id: CompetitorId::new(),
            workspace_id: w.ws.id,
            product_id: w.product.id,
            text: CompetitorText {
                name: "Canny".into(),
                strengths: "Public roadmaps".into(),
                ..Default::default()
            },
            now: t0(),
        })
        .await
        .unwrap();
    let n = s
        .create_research_note(NewResearchNote {
            id: ResearchNoteId::new(),
            workspace_id: w.ws.id,
            product_id: w.product.id,
            text: NoteText {
                title: "Visite en mairie".into(),
                participant: "Mme Dupont".into(),
                notes: "Elle imprime chaque rendez-vous.".into(),
            },
            persona_id: None,
            held_on: t0(),
            created_by: None,
            now: t0(),
        })
        .await
        .unwrap();
    let found = s
        .search(w.ws.id, &q("formulaire guichet", SearchKind::Persona))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].id, found[0].title.as_str()),
        (p.id.0, "Agent d'accueil")
    );
    let found = s
        .search(w.ws.id, &q("roadmap", SearchKind::Competitor))
        .await
        .unwrap();
    assert_eq!(found.iter().map(|h| h.id).collect::<Vec<_>>(), vec![c.id.0]);
    let found = s
        .search(
            w.ws.id,
            &q("imprimer rendez-vous", SearchKind::ResearchNote),
        )
        .await
        .unwrap();
    assert_eq!(found.iter().map(|h| h.id).collect::<Vec<_>>(), vec![n.id.0]);
    assert_eq!(found[0].title, "Visite en mairie");
    // Edits are searchable at once; deleted records vanish; other workspaces see nothing.
    let c2 = s
        .update_competitor(
            w.ws.id,
            c.id,
            c.version,
            CompetitorText {
                name: "Canny".into(),
                strengths: "Votes".into(),
                ..Default::default()
            },
            t0(),
        )
        .await
        .unwrap();
    assert!(s
        .search(w.ws.id, &q("roadmap", SearchKind::Competitor))
        .await
        .unwrap()
        .is_empty());
    assert!(s
        .search(w.foreign.id, &q("votes", SearchKind::Competitor))
        .await
        .unwrap()
        .is_empty());
    s.delete_competitor(w.ws.id, c.id, c2.version)
        .await
        .unwrap();
    assert!(s
        .search(w.ws.id, &q("votes canny", SearchKind::Competitor))
        .await
        .unwrap()
        .is_empty());
}
