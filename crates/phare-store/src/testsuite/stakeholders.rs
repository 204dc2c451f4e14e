//! Conformance checks of the stakeholder contract: groups and their weights, sessions on a set
//! of ideas, invitations, private ballots refused after the deadline or the close, the close's
//! results, and isolation between workspaces (R1).

use super::{new_member, new_product, new_workspace, t0};
use crate::*;
use chrono::Duration;
use phare_domain::*;

struct World {
    ws: Workspace,
    pm: Member,
    ana: Member,
    bob: Member,
    outsider: Member,
    product: Product,
    ideas: Vec<Idea>,
    foreign: Workspace,
    foreign_product: Product,
}

fn new_idea(ws: WorkspaceId, product: ProductId, title: &str) -> NewIdea {
    NewIdea {
        id: IdeaId::new(),
        workspace_id: ws,
        product_id: product,
        text: IdeaText {
            title: title.into(),
            as_a: "agent d'accueil".into(),
            i_want: "exporter la liste".into(),
            so_that: "la transmettre au maire".into(),
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

async fn world(s: &dyn Store) -> World {
    let ws = s.create_workspace(new_workspace("council")).await.unwrap();
    let pm = s
        .create_member(new_member(ws.id, "pm@council.test", Role::ProductManager))
        .await
        .unwrap();
    let ana = s
        .create_member(new_member(ws.id, "ana@council.test", Role::Stakeholder))
        .await
        .unwrap();
    let bob = s
        .create_member(new_member(ws.id, "bob@council.test", Role::Stakeholder))
        .await
        .unwrap();
    let outsider = s
        .create_member(new_member(ws.id, "eve@council.test", Role::Stakeholder))
        .await
        .unwrap();
    let product = s.create_product(new_product(ws.id, "CHK")).await.unwrap();
    let mut ideas = Vec::new();
    for title in ["Export PDF", "Signature électronique", "Mode hors ligne"] {
        ideas.push(
            s.create_idea(new_idea(ws.id, product.id, title))
                .await
                .unwrap(),
        );
    }
    let foreign = s
        .create_workspace(new_workspace("elsewhere"))
        .await
        .unwrap();
    let foreign_product = s
        .create_product(new_product(foreign.id, "CHK"))
        .await
        .unwrap();
    World {
        ws,
        pm,
        ana,
        bob,
        outsider,
        product,
        ideas,
        foreign,
        foreign_product,
    }
}

fn session(w: &World, method: SessionMethod) -> NewPrioritizationSession {
    NewPrioritizationSession {
        id: PrioritizationSessionId::new(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        title: "Trimestre 1".into(),
        description: "Ce qui compte pour vous".into(),
        method,
        deadline: t0() + Duration::days(7),
        idea_ids: w.ideas.iter().map(|i| i.id).collect(),
        created_by: Some(w.pm.id),
        now: t0(),
    }
}

async fn seeded_groups(s: &dyn Store, ws: WorkspaceId) -> Vec<StakeholderGroup> {
    s.seed_stakeholder_groups(ws, t0()).await.unwrap();
    s.list_stakeholder_groups(ws).await.unwrap()
}

fn ranking(ideas: &[&Idea]) -> BallotAnswer {
    BallotAnswer::Ranking {
        ranking: ideas.iter().map(|i| i.id).collect(),
    }
}

pub async fn stakeholder_groups_are_seeded_once_edited_and_kept_while_used(s: &dyn Store) {
    let w = world(s).await;
    assert_eq!(s.seed_stakeholder_groups(w.ws.id, t0()).await.unwrap(), 6);
    assert_eq!(s.seed_stakeholder_groups(w.ws.id, t0()).await.unwrap(), 0);
    let groups = s.list_stakeholder_groups(w.ws.id).await.unwrap();
    let keys: Vec<_> = groups.iter().map(|g| g.default_key).collect();
    assert_eq!(
        keys,
        DefaultGroup::ALL
            .iter()
            .copied()
            .map(Some)
            .collect::<Vec<_>>()
    );
    assert!(groups.iter().all(|g| g.weight == 1.0 && g.name.is_empty()));
    assert!(s
        .list_stakeholder_groups(w.foreign.id)
        .await
        .unwrap()
        .is_empty());

    let users = s
        .create_stakeholder_group(NewStakeholderGroup {
            id: StakeholderGroupId::new(),
            workspace_id: w.ws.id,
            name: "Usagers".into(),
            weight: 2.5,
            now: t0(),
        })
        .await
        .unwrap();
    assert!(matches!(
        s.create_stakeholder_group(NewStakeholderGroup {
            id: StakeholderGroupId::new(),
            workspace_id: w.ws.id,
            name: "Usagers".into(),
            weight: 1.0,
            now: t0(),
        })
        .await,
        Err(StoreError::Duplicate("name"))
    ));
    assert_eq!(
        s.list_stakeholder_groups(w.ws.id)
            .await
            .unwrap()
            .last()
            .unwrap()
            .id,
        users.id
    );
    let finance = &groups[1];
    let renamed = s
        .update_stakeholder_group(
            w.ws.id,
            finance.id,
            finance.version,
            Some("Direction financière".into()),
            3.0,
            t0() + Duration::minutes(1),
        )
        .await
        .unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.weight, renamed.version),
        ("Direction financière", 3.0, finance.version + 1)
    );
    assert_eq!(renamed.default_key, Some(DefaultGroup::Finance));
    assert!(matches!(
        s.update_stakeholder_group(w.ws.id, finance.id, finance.version, None, 2.0, t0())
            .await,
        Err(StoreError::VersionConflict)
    ));
    // Another workspace cannot touch it.
    assert!(matches!(
        s.update_stakeholder_group(w.foreign.id, finance.id, renamed.version, None, 9.0, t0())
            .await,
        Err(StoreError::NotFound)
    ));

    // A group used by an invitation stays; an unused one goes.
    let sess = s
        .create_prioritization_session(session(&w, SessionMethod::Ranking))
        .await
        .unwrap();
    s.invite_stakeholders(w.ws.id, sess.id, &[(w.ana.id, users.id)], t0())
        .await
        .unwrap();
    assert!(!s
        .delete_stakeholder_group(w.ws.id, users.id, users.version)
        .await
        .unwrap());
    assert!(s
        .delete_stakeholder_group(w.ws.id, groups[5].id, groups[5].version)
        .await
        .unwrap());
    let left = s.list_stakeholder_groups(w.ws.id).await.unwrap();
    assert_eq!(left.len(), 6);
    assert!(left.iter().any(|g| g.id == users.id));
}

pub async fn sessions_hold_ideas_of_one_product_and_stay_in_their_workspace(s: &dyn Store) {
    let w = world(s).await;
    let groups = seeded_groups(s, w.ws.id).await;
    let sess = s
        .create_prioritization_session(session(&w, SessionMethod::Points))
        .await
        .unwrap();
    assert_eq!(sess.state, SessionState::Draft);
    assert_eq!(
        sess.idea_ids,
        w.ideas.iter().map(|i| i.id).collect::<Vec<_>>()
    );
    assert_eq!(
        s.get_prioritization_session(w.ws.id, sess.id)
            .await
            .unwrap(),
        sess
    );
    // R1: another workspace sees nothing.
    assert!(matches!(
        s.get_prioritization_session(w.foreign.id, sess.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.session_invitations(w.foreign.id, sess.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.session_idea_facts(w.foreign.id, sess.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(s
        .list_prioritization_sessions(w.foreign.id, &SessionFilter::default())
        .await
        .unwrap()
        .is_empty());
    // An idea of another product, or a product of another workspace: nothing is created.
    let other = s.create_product(new_product(w.ws.id, "OTH")).await.unwrap();
    let stray = s
        .create_idea(new_idea(w.ws.id, other.id, "Ailleurs"))
        .await
        .unwrap();
    let mut bad = session(&w, SessionMethod::Points);
    bad.idea_ids.push(stray.id);
    assert!(matches!(
        s.create_prioritization_session(bad).await,
        Err(StoreError::NotFound)
    ));
    let mut bad = session(&w, SessionMethod::Points);
    bad.product_id = w.foreign_product.id;
    assert!(matches!(
        s.create_prioritization_session(bad).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.list_prioritization_sessions(w.ws.id, &SessionFilter::default())
            .await
            .unwrap()
            .len(),
        1
    );
    // Invitations: members and groups of the workspace only, all or nothing.
    let foreign_member = s
        .create_member(new_member(
            w.foreign.id,
            "x@elsewhere.test",
            Role::Stakeholder,
        ))
        .await
        .unwrap();
    assert!(matches!(
        s.invite_stakeholders(
            w.ws.id,
            sess.id,
            &[(w.ana.id, groups[0].id), (foreign_member.id, groups[0].id)],
            t0()
        )
        .await,
        Err(StoreError::NotFound)
    ));
    assert!(s
        .session_invitations(w.ws.id, sess.id)
        .await
        .unwrap()
        .is_empty());
    let invited = s
        .invite_stakeholders(
            w.ws.id,
            sess.id,
            &[(w.ana.id, groups[0].id), (w.bob.id, groups[3].id)],
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(invited.len(), 2);
    assert!(invited.iter().all(|i| i.answered_at.is_none()));
    // Inviting again changes the group.
    let invited = s
        .invite_stakeholders(w.ws.id, sess.id, &[(w.ana.id, groups[1].id)], t0())
        .await
        .unwrap();
    let ana = invited.iter().find(|i| i.member_id == w.ana.id).unwrap();
    assert_eq!(ana.group_id, groups[1].id);
    assert_eq!(ana.member_name, w.ana.name);
    let mine = s
        .list_prioritization_sessions(
            w.ws.id,
            &SessionFilter {
                product: Some(w.product.id),
                invited: Some(w.ana.id),
            },
        )
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert!(s
        .list_prioritization_sessions(
            w.ws.id,
            &SessionFilter {
                product: None,
                invited: Some(w.outsider.id),
            },
        )
        .await
        .unwrap()
        .is_empty());
    // The facts beside each idea.
    let facts = s.session_idea_facts(w.ws.id, sess.id).await.unwrap();
    assert_eq!(facts.len(), 3);
    assert_eq!(facts[0].reference, w.ideas[0].reference);
    assert_eq!(facts[0].so_that, "la transmettre au maire");
    assert_eq!((facts[0].evidence_count, facts[0].customer_count), (0, 0));
    assert_eq!(facts[0].score, None);
    // The current score is the idea's score in its product's primary framework (RICE here).
    let numbers = [
        ("reach", 500.0),
        ("impact", 2.0),
        ("confidence", 0.8),
        ("effort", 4.0),
    ];
    s.put_idea_score(NewIdeaScore {
        workspace_id: w.ws.id,
        idea_id: facts[1].id,
        framework: Framework::Rice,
        inputs: ScoreInputs {
            numbers: numbers.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
            ..Default::default()
        },
        value: 200.0,
        updated_by: None,
        now: t0(),
    })
    .await
    .unwrap();
    let facts = s.session_idea_facts(w.ws.id, sess.id).await.unwrap();
    assert_eq!((facts[0].score, facts[1].score), (None, Some(200.0)));
}

pub async fn ballots_are_private_versioned_and_refused_after_the_deadline_or_the_close(
    s: &dyn Store,
) {
    let w = world(s).await;
    let groups = seeded_groups(s, w.ws.id).await;
    let sess = s
        .create_prioritization_session(session(&w, SessionMethod::Ranking))
        .await
        .unwrap();
    s.invite_stakeholders(
        w.ws.id,
        sess.id,
        &[(w.ana.id, groups[0].id), (w.bob.id, groups[3].id)],
        t0(),
    )
    .await
    .unwrap();
    let (a, b, c) = (&w.ideas[0], &w.ideas[1], &w.ideas[2]);
    let at = t0() + Duration::hours(1);
    // A draft takes no ballot.
    assert_eq!(
        s.put_ballot(w.ws.id, sess.id, w.ana.id, 0, ranking(&[a, b, c]), at)
            .await
            .unwrap(),
        BallotOutcome::NotOpen
    );
    assert!(matches!(
        s.open_prioritization_session(w.ws.id, sess.id, sess.version + 1, at)
            .await,
        Err(StoreError::VersionConflict)
    ));
    let sess = s
        .open_prioritization_session(w.ws.id, sess.id, sess.version, at)
        .await
        .unwrap();
    assert_eq!(sess.state, SessionState::Open);
    // R1: nobody answers a session they were not invited to.
    assert!(matches!(
        s.put_ballot(w.ws.id, sess.id, w.outsider.id, 0, ranking(&[a, b, c]), at)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.put_ballot(w.foreign.id, sess.id, w.ana.id, 0, ranking(&[a, b, c]), at)
            .await,
        Err(StoreError::NotFound)
    ));
    let BallotOutcome::Saved(first) = s
        .put_ballot(w.ws.id, sess.id, w.ana.id, 0, ranking(&[a, b, c]), at)
        .await
        .unwrap()
    else {
        panic!("the ballot was refused")
    };
    assert_eq!(first.version, 1);
    // A stale version loses; the right one wins.
    assert!(matches!(
        s.put_ballot(w.ws.id, sess.id, w.ana.id, 0, ranking(&[c, b, a]), at)
            .await,
        Err(StoreError::VersionConflict)
    ));
    let BallotOutcome::Saved(second) = s
        .put_ballot(w.ws.id, sess.id, w.ana.id, 1, ranking(&[c, b, a]), at)
        .await
        .unwrap()
    else {
        panic!("the ballot was refused")
    };
    assert_eq!(second.version, 2);
    assert_eq!(second.answer, ranking(&[c, b, a]));
    // Each member reads their own ballot; Bob has none; another workspace sees none.
    assert_eq!(
        s.get_ballot(w.ws.id, sess.id, w.ana.id).await.unwrap(),
        Some(second.clone())
    );
    assert_eq!(
        s.get_ballot(w.ws.id, sess.id, w.bob.id).await.unwrap(),
        None
    );
    assert_eq!(
        s.get_ballot(w.foreign.id, sess.id, w.ana.id).await.unwrap(),
        None
    );
    // The PM sees who answered, not what.
    let inv = s.session_invitations(w.ws.id, sess.id).await.unwrap();
    let answered: Vec<bool> = inv.iter().map(|i| i.answered_at.is_some()).collect();
    assert_eq!(inv.iter().filter(|i| i.member_id == w.ana.id).count(), 1);
    assert_eq!(answered.iter().filter(|x| **x).count(), 1);
    // After the deadline: refused, nothing changes.
    let late = sess.deadline + Duration::seconds(1);
    assert_eq!(
        s.put_ballot(w.ws.id, sess.id, w.bob.id, 0, ranking(&[a, b, c]), late)
            .await
            .unwrap(),
        BallotOutcome::DeadlinePassed
    );
    assert_eq!(
        s.get_ballot(w.ws.id, sess.id, w.bob.id).await.unwrap(),
        None
    );
    // After the close: immutable.
    let closed = s
        .close_prioritization_session(w.ws.id, sess.id, sess.version, at)
        .await
        .unwrap();
    assert_eq!(closed.state, SessionState::Closed);
    assert_eq!(
        s.put_ballot(w.ws.id, sess.id, w.ana.id, 2, ranking(&[a, b, c]), at)
            .await
            .unwrap(),
        BallotOutcome::Closed
    );
    assert_eq!(
        s.get_ballot(w.ws.id, sess.id, w.ana.id).await.unwrap(),
        Some(second)
    );
    assert!(matches!(
        s.close_prioritization_session(w.ws.id, sess.id, closed.version, at)
            .await,
        Err(StoreError::VersionConflict)
    ));
    assert!(matches!(
        s.invite_stakeholders(w.ws.id, sess.id, &[(w.outsider.id, groups[0].id)], at)
            .await,
        Err(StoreError::VersionConflict)
    ));
}

pub async fn closing_weighs_the_groups_and_stores_the_results_once(s: &dyn Store) {
    let w = world(s).await;
    let groups = seeded_groups(s, w.ws.id).await;
    let (management, tech) = (&groups[0], &groups[3]);
    let management = s
        .update_stakeholder_group(w.ws.id, management.id, management.version, None, 3.0, t0())
        .await
        .unwrap();
    let sess = s
        .create_prioritization_session(session(&w, SessionMethod::Points))
        .await
        .unwrap();
    s.invite_stakeholders(
        w.ws.id,
        sess.id,
        &[
            (w.ana.id, management.id),
            (w.bob.id, tech.id),
            (w.outsider.id, tech.id),
        ],
        t0(),
    )
    .await
    .unwrap();
    let sess = s
        .open_prioritization_session(w.ws.id, sess.id, sess.version, t0())
        .await
        .unwrap();
    let (a, b, c) = (w.ideas[0].id, w.ideas[1].id, w.ideas[2].id);
    let points = |v: Vec<(IdeaId, u32)>| BallotAnswer::Points { points: v };
    for (m, answer) in [
        (w.ana.id, points(vec![(a, 100)])),
        (w.bob.id, points(vec![(b, 100)])),
        (w.outsider.id, points(vec![(b, 50), (c, 50)])),
    ] {
        assert!(matches!(
            s.put_ballot(w.ws.id, sess.id, m, 0, answer, t0())
                .await
                .unwrap(),
            BallotOutcome::Saved(_)
        ));
    }
    let closed = s
        .close_prioritization_session(w.ws.id, sess.id, sess.version, t0() + Duration::hours(2))
        .await
        .unwrap();
    let r = closed.results.clone().unwrap();
    assert_eq!(r.ballots, 3);
    // Only the invited groups take part: management (weight 3) and tech (weight 1).
    assert_eq!(
        r.groups
            .iter()
            .map(|g| (g.group_id, g.ballots))
            .collect::<Vec<_>>(),
        vec![(management.id, 1), (tech.id, 2)]
    );
    // a: (3·1 + 1·0) / 4 = 0.75; b: (0 + 0.75) / 4; c: (0 + 0.25) / 4.
    let order: Vec<IdeaId> = r.ideas.iter().map(|i| i.idea_id).collect();
    assert_eq!(order, vec![a, b, c]);
    assert!((r.ideas[0].score.unwrap() - 0.75).abs() < 1e-9);
    assert_eq!(r.ideas[1].group_ranks, vec![Some(2), Some(1)]);
    assert!(r.ideas[0].disputed);
    // Stored as computed.
    let again = s
        .get_prioritization_session(w.ws.id, sess.id)
        .await
        .unwrap();
    assert_eq!(again, closed);
}

pub async fn stakeholder_sessions_move_to_a_fresh_database_exactly(
    from: &dyn Store,
    to: &dyn Store,
) {
    let w = world(from).await;
    let groups = seeded_groups(from, w.ws.id).await;
    let sess = from
        .create_prioritization_session(session(&w, SessionMethod::Moscow))
        .await
        .unwrap();
    from.invite_stakeholders(w.ws.id, sess.id, &[(w.ana.id, groups[2].id)], t0())
        .await
        .unwrap();
    let sess = from
        .open_prioritization_session(w.ws.id, sess.id, sess.version, t0())
        .await
        .unwrap();
    let answer = BallotAnswer::Moscow {
        moscow: w
            .ideas
            .iter()
            .zip([
                MoscowCategory::Must,
                MoscowCategory::Wont,
                MoscowCategory::Could,
            ])
            .map(|(i, c)| (i.id, c))
            .collect(),
    };
    from.put_ballot(w.ws.id, sess.id, w.ana.id, 0, answer, t0())
        .await
        .unwrap();
    from.close_prioritization_session(w.ws.id, sess.id, sess.version, t0())
        .await
        .unwrap();
    // A second, still open session.
    from.create_prioritization_session(session(&w, SessionMethod::Ranking))
        .await
        .unwrap();
    let dump = from.dump().await.unwrap();
    assert_eq!(dump.stakeholders.prioritization_sessions.len(), 2);
    assert_eq!(dump.stakeholders.ballots.len(), 1);
    let text = serde_json::to_string(&dump).unwrap();
    let back: Dump = serde_json::from_str(&text).unwrap();
    to.load(&back).await.unwrap();
    let again = to.dump().await.unwrap();
    assert_eq!(again.checksums(), dump.checksums());
    assert_eq!(
        to.get_prioritization_session(w.ws.id, sess.id)
            .await
            .unwrap()
            .state,
        SessionState::Closed
    );
}
