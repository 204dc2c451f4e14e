//! Conformance checks of the scoring contract: settings and re-scoring, idea scores, the
//! ranked backlog's pages and filters, moves in the manual order (R6: concurrent moves keep
//! one distinct position per idea), saved views, the value/effort matrix, and dumps.

use super::{new_member, new_product, new_workspace, t0};
use crate::*;
use phare_domain::scoring::{compute, Criterion};
use phare_domain::*;

struct World {
    ws: Workspace,
    pm: Member,
    product: Product,
    foreign: Workspace,
}

async fn world(s: &dyn Store) -> World {
    let ws = s.create_workspace(new_workspace("rank")).await.unwrap();
    let pm = s
        .create_member(new_member(ws.id, "pm@rank.test", Role::ProductManager))
        .await
        .unwrap();
    let product = s.create_product(new_product(ws.id, "RNK")).await.unwrap();
    let foreign = s
        .create_workspace(new_workspace("other-rank"))
        .await
        .unwrap();
    World {
        ws,
        pm,
        product,
        foreign,
    }
}

async fn idea(s: &dyn Store, w: &World, title: &str, status: IdeaStatus) -> Idea {
    s.create_idea(NewIdea {
        id: IdeaId::new(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        text: IdeaText {
            title: title.into(),
            so_that: "it helps".into(),
            ..Default::default()
        },
        status,
        owner_id: None,
        tags: Vec::new(),
        created_by: Some(w.pm.id),
        evidence: None,
        external: None,
        now: t0(),
    })
    .await
    .unwrap()
}

fn inputs(pairs: &[(&str, f64)]) -> ScoreInputs {
    ScoreInputs {
        numbers: pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        ..Default::default()
    }
}

async fn score(
    s: &dyn Store,
    w: &World,
    idea: IdeaId,
    framework: Framework,
    i: ScoreInputs,
) -> IdeaScore {
    let criteria = s
        .scoring_settings(w.ws.id, w.product.id)
        .await
        .unwrap()
        .criteria;
    let r = compute(framework, &i, &criteria).unwrap();
    s.put_idea_score(NewIdeaScore {
        workspace_id: w.ws.id,
        idea_id: idea,
        framework,
        inputs: i,
        value: r.value,
        updated_by: Some(w.pm.id),
        now: t0(),
    })
    .await
    .unwrap()
}

fn rice(reach: f64) -> ScoreInputs {
    inputs(&[
        ("reach", reach),
        ("impact", 1.0),
        ("confidence", 1.0),
        ("effort", 1.0),
    ])
}

async fn all_pages(
    s: &dyn Store,
    w: &World,
    sort: BacklogSort,
    filter: &BacklogFilter,
) -> Vec<BacklogItem> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = s
            .backlog(
                w.ws.id,
                w.product.id,
                sort,
                filter,
                &PageRequest::new(after, Some(2)),
            )
            .await
            .unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => after = Some(c),
            None => return out,
        }
    }
}

fn titles(items: &[BacklogItem]) -> Vec<&str> {
    items.iter().map(|i| i.title.as_str()).collect()
}

pub async fn scores_follow_the_primary_framework_and_weights_rescore_at_once(s: &dyn Store) {
    let w = world(s).await;
    let settings = s.scoring_settings(w.ws.id, w.product.id).await.unwrap();
    assert_eq!(settings.version, 0);
    assert_eq!(settings.primary_framework, Framework::Rice);
    let a = idea(s, &w, "A", IdeaStatus::UnderConsideration).await;
    let b = idea(s, &w, "B", IdeaStatus::UnderConsideration).await;
    let stored = score(
        s,
        &w,
        a.id,
        Framework::Rice,
        inputs(&[
            ("reach", 500.0),
            ("impact", 2.0),
            ("confidence", 0.8),
            ("effort", 4.0),
        ]),
    )
    .await;
    assert_eq!(stored.value, 200.0);
    assert_eq!(stored.version, 1);
    score(
        s,
        &w,
        b.id,
        Framework::Ice,
        inputs(&[("impact", 2.0), ("confidence", 3.0), ("ease", 4.0)]),
    )
    .await;
    let items = all_pages(s, &w, BacklogSort::Score, &BacklogFilter::default()).await;
    assert_eq!(titles(&items), vec!["A", "B"]);
    assert_eq!(items[0].score, Some(200.0));
    assert_eq!(items[1].score, None, "B has no RICE score");

    // The primary framework becomes ICE: every idea's score changes at once.
    let k1 = Criterion {
        id: uuid::Uuid::now_v7(),
        name: "Revenue".into(),
        scale: 5.0,
        weight: 3.0,
    };
    let k2 = Criterion {
        id: uuid::Uuid::now_v7(),
        name: "Strategy".into(),
        scale: 10.0,
        weight: 1.0,
    };
    let settings = s
        .put_scoring_settings(
            w.ws.id,
            w.product.id,
            0,
            SettingsUpdate {
                primary_framework: Framework::Ice,
                criteria: vec![k1.clone(), k2.clone()],
                now: t0(),
            },
        )
        .await
        .unwrap();
    assert_eq!(settings.version, 1);
    assert_eq!(settings.criteria, vec![k1.clone(), k2.clone()]);
    let items = all_pages(s, &w, BacklogSort::Score, &BacklogFilter::default()).await;
    assert_eq!(titles(&items), vec!["B", "A"]);
    assert_eq!(items[0].score, Some(24.0));
    assert_eq!(items[1].score, None);
    // A stale version changes nothing.
    let stale = s
        .put_scoring_settings(
            w.ws.id,
            w.product.id,
            0,
            SettingsUpdate {
                primary_framework: Framework::Rice,
                criteria: Vec::new(),
                now: t0(),
            },
        )
        .await;
    assert!(matches!(stale, Err(StoreError::VersionConflict)));
    assert_eq!(
        s.scoring_settings(w.ws.id, w.product.id)
            .await
            .unwrap()
            .criteria
            .len(),
        2
    );

    // The scorecard as primary; a weight change re-scores every idea's stored value.
    let mut card = ScoreInputs::default();
    card.criteria.insert(k1.id, 5.0);
    card.criteria.insert(k2.id, 2.0);
    let stored = score(s, &w, a.id, Framework::Scorecard, card.clone()).await;
    assert_eq!(stored.value, 80.0);
    let k1_light = Criterion {
        weight: 1.0,
        ..k1.clone()
    };
    s.put_scoring_settings(
        w.ws.id,
        w.product.id,
        1,
        SettingsUpdate {
            primary_framework: Framework::Scorecard,
            criteria: vec![k1_light.clone(), k2.clone()],
            now: t0(),
        },
    )
    .await
    .unwrap();
    let expected = compute(Framework::Scorecard, &card, &[k1_light.clone(), k2.clone()])
        .unwrap()
        .value;
    assert_eq!(expected, 60.0);
    let stored = s.idea_scores(w.ws.id, a.id).await.unwrap();
    let card_score = stored
        .iter()
        .find(|x| x.framework == Framework::Scorecard)
        .unwrap();
    assert!(
        (card_score.value - expected).abs() < 1e-6,
        "{}",
        card_score.value
    );
    let items = all_pages(s, &w, BacklogSort::Score, &BacklogFilter::default()).await;
    assert!((items[0].score.unwrap() - expected).abs() < 1e-6);
    assert_eq!(items[0].title, "A");
    // Dropping a criterion removes its points from the sum.
    s.put_scoring_settings(
        w.ws.id,
        w.product.id,
        2,
        SettingsUpdate {
            primary_framework: Framework::Scorecard,
            criteria: vec![k2.clone()],
            now: t0(),
        },
    )
    .await
    .unwrap();
    let items = all_pages(s, &w, BacklogSort::Score, &BacklogFilter::default()).await;
    assert!((items[0].score.unwrap() - 20.0).abs() < 1e-6);

    // Scores list per idea, in framework order; deleting the primary one clears `score`.
    let listed: Vec<Framework> = s
        .idea_scores(w.ws.id, a.id)
        .await
        .unwrap()
        .iter()
        .map(|x| x.framework)
        .collect();
    assert_eq!(listed, vec![Framework::Rice, Framework::Scorecard]);
    s.delete_idea_score(w.ws.id, a.id, Framework::Scorecard)
        .await
        .unwrap();
    let items = all_pages(s, &w, BacklogSort::Score, &BacklogFilter::default()).await;
    assert!(items.iter().all(|i| i.score.is_none()));
    // Another workspace sees and changes nothing.
    assert!(matches!(
        s.idea_scores(w.foreign.id, a.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.scoring_settings(w.foreign.id, w.product.id).await,
        Err(StoreError::NotFound)
    ));
    let foreign = s
        .put_idea_score(NewIdeaScore {
            workspace_id: w.foreign.id,
            idea_id: a.id,
            framework: Framework::Rice,
            inputs: rice(1.0),
            value: 1.0,
            updated_by: None,
            now: t0(),
        })
        .await;
    assert!(matches!(foreign, Err(StoreError::NotFound)));
}

pub async fn the_backlog_pages_by_score_and_by_rank_with_filters(s: &dyn Store) {
    let w = world(s).await;
    let mut made = Vec::new();
    for (n, status) in [
        IdeaStatus::UnderConsideration,
        IdeaStatus::Planned,
        IdeaStatus::UnderConsideration,
        IdeaStatus::Planned,
        IdeaStatus::UnderConsideration,
        IdeaStatus::UnderConsideration,
    ]
    .into_iter()
    .enumerate()
    {
        made.push(idea(s, &w, &format!("I{n}"), status).await);
    }
    // Scores: I0 = 10, I1 = 30, I2 = 30, I3 = 5; I4 and I5 unscored.
    for (i, reach) in [(0, 10.0), (1, 30.0), (2, 30.0), (3, 5.0)] {
        score(s, &w, made[i].id, Framework::Rice, rice(reach)).await;
    }
    s.update_idea(
        w.ws.id,
        made[1].id,
        made[1].version,
        IdeaPatch {
            tags: Some(vec!["mobile".into()]),
            owner_id: Some(Some(w.pm.id)),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let all = all_pages(s, &w, BacklogSort::Score, &BacklogFilter::default()).await;
    // Highest first, ties newest first, then the unscored newest first.
    assert_eq!(titles(&all), vec!["I2", "I1", "I0", "I3", "I5", "I4"]);
    assert_eq!(all[0].reference, "RNK-3");
    let by_rank = all_pages(s, &w, BacklogSort::Rank, &BacklogFilter::default()).await;
    assert_eq!(
        titles(&by_rank),
        vec!["I0", "I1", "I2", "I3", "I4", "I5"],
        "new ideas land at the bottom"
    );
    let planned = BacklogFilter {
        status: Some(IdeaStatus::Planned),
        ..Default::default()
    };
    assert_eq!(
        titles(&all_pages(s, &w, BacklogSort::Score, &planned).await),
        vec!["I1", "I3"]
    );
    let tagged = BacklogFilter {
        tag: Some("mobile".into()),
        ..Default::default()
    };
    assert_eq!(
        titles(&all_pages(s, &w, BacklogSort::Rank, &tagged).await),
        vec!["I1"]
    );
    let owned = BacklogFilter {
        owner: Some(w.pm.id),
        ..Default::default()
    };
    assert_eq!(
        titles(&all_pages(s, &w, BacklogSort::Score, &owned).await),
        vec!["I1"]
    );
    let range = BacklogFilter {
        min_score: Some(6.0),
        max_score: Some(30.0),
        ..Default::default()
    };
    assert_eq!(
        titles(&all_pages(s, &w, BacklogSort::Score, &range).await),
        vec!["I2", "I1", "I0"]
    );
    let by_rank_in_range = all_pages(s, &w, BacklogSort::Rank, &range).await;
    assert_eq!(titles(&by_rank_in_range), vec!["I0", "I1", "I2"]);
    assert_eq!(by_rank_in_range[0].score, Some(10.0));

    // A status change moves the idea from one status's order to the other's, keeping its
    // score; a first score moves an unscored idea up among the scored in both orders.
    let i3 = s.get_idea(w.ws.id, made[3].id).await.unwrap();
    s.update_idea(
        w.ws.id,
        i3.id,
        i3.version,
        IdeaPatch {
            status: Some(IdeaStatus::UnderConsideration),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    score(s, &w, made[4].id, Framework::Rice, rice(20.0)).await;
    let considered = BacklogFilter {
        status: Some(IdeaStatus::UnderConsideration),
        ..Default::default()
    };
    let considered = all_pages(s, &w, BacklogSort::Score, &considered).await;
    assert_eq!(titles(&considered), vec!["I2", "I4", "I0", "I3", "I5"]);
    assert_eq!(considered[3].score, Some(5.0));
    assert_eq!(considered[4].score, None);
    assert_eq!(
        titles(&all_pages(s, &w, BacklogSort::Score, &planned).await),
        vec!["I1"]
    );
    assert_eq!(
        titles(&all_pages(s, &w, BacklogSort::Score, &BacklogFilter::default()).await),
        vec!["I2", "I1", "I4", "I0", "I3", "I5"]
    );
    // Personas filter through their links.
    let persona = s
        .create_persona(NewPersona {
            id: PersonaId::new(),
            workspace_id: w.ws.id,
            product_id: w.product.id,
            text: PersonaText {
                name: "Léa".into(),
                ..Default::default()
            },
            now: t0(),
        })
        .await
        .unwrap();
    s.link_persona(w.ws.id, persona.id, PersonaTarget::Idea, made[4].id.0)
        .await
        .unwrap();
    let of_persona = BacklogFilter {
        persona: Some(persona.id),
        ..Default::default()
    };
    assert_eq!(
        titles(&all_pages(s, &w, BacklogSort::Score, &of_persona).await),
        vec!["I4"]
    );
    // A forged cursor is an empty page, another workspace's product is not found.
    let forged = s
        .backlog(
            w.ws.id,
            w.product.id,
            BacklogSort::Score,
            &BacklogFilter::default(),
            &PageRequest::new(Some(Cursor("x|y".into())), None),
        )
        .await
        .unwrap();
    assert!(forged.items.is_empty());
    let foreign = s
        .backlog(
            w.foreign.id,
            w.product.id,
            BacklogSort::Rank,
            &BacklogFilter::default(),
            &PageRequest::default(),
        )
        .await;
    assert!(matches!(foreign, Err(StoreError::NotFound)));
}

async fn order(s: &dyn Store, w: &World) -> Vec<IdeaId> {
    all_pages(s, w, BacklogSort::Rank, &BacklogFilter::default())
        .await
        .iter()
        .map(|i| i.id)
        .collect()
}

pub async fn moves_place_an_idea_exactly_where_asked(s: &dyn Store) {
    let w = world(s).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            idea(s, &w, &format!("M{n}"), IdeaStatus::UnderConsideration)
                .await
                .id,
        );
    }
    let (a, b, c, d, e) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
    s.move_idea(w.ws.id, e, MoveTo::Top).await.unwrap();
    assert_eq!(order(s, &w).await, vec![e, a, b, c, d]);
    s.move_idea(w.ws.id, e, MoveTo::Bottom).await.unwrap();
    assert_eq!(order(s, &w).await, vec![a, b, c, d, e]);
    s.move_idea(w.ws.id, a, MoveTo::Down).await.unwrap();
    assert_eq!(order(s, &w).await, vec![b, a, c, d, e]);
    s.move_idea(w.ws.id, d, MoveTo::Up).await.unwrap();
    assert_eq!(order(s, &w).await, vec![b, a, d, c, e]);
    s.move_idea(w.ws.id, b, MoveTo::Up).await.unwrap();
    assert_eq!(
        order(s, &w).await,
        vec![b, a, d, c, e],
        "the first stays first"
    );
    s.move_idea(w.ws.id, e, MoveTo::Before(a)).await.unwrap();
    assert_eq!(order(s, &w).await, vec![b, e, a, d, c]);
    s.move_idea(w.ws.id, b, MoveTo::After(c)).await.unwrap();
    assert_eq!(order(s, &w).await, vec![e, a, d, c, b]);
    s.move_idea(w.ws.id, c, MoveTo::Position(0)).await.unwrap();
    assert_eq!(order(s, &w).await, vec![c, e, a, d, b]);
    s.move_idea(w.ws.id, c, MoveTo::Position(2)).await.unwrap();
    assert_eq!(order(s, &w).await, vec![e, a, c, d, b]);
    s.move_idea(w.ws.id, e, MoveTo::Position(99)).await.unwrap();
    assert_eq!(order(s, &w).await, vec![a, c, d, b, e]);
    // A new idea lands at the bottom, after an idea moved to the bottom.
    let f = idea(s, &w, "M5", IdeaStatus::UnderConsideration).await.id;
    assert_eq!(order(s, &w).await, vec![a, c, d, b, e, f]);
    // Merged ideas are skipped by up/down and positions.
    s.merge_ideas(IdeaMerge {
        id: uuid::Uuid::now_v7(),
        workspace_id: w.ws.id,
        from_idea_id: d,
        into_idea_id: c,
        actor_id: Some(w.pm.id),
        reason: "same".into(),
        at: t0(),
    })
    .await
    .unwrap();
    s.move_idea(w.ws.id, b, MoveTo::Up).await.unwrap();
    assert_eq!(order(s, &w).await, vec![a, b, c, e, f]);
    let r = s.idea_rank(w.ws.id, b).await.unwrap();
    assert_eq!(r.id, b);
    // Beside an idea of another product or workspace: not found, nothing moves.
    let other = s.create_product(new_product(w.ws.id, "OTH")).await.unwrap();
    let stranger = s
        .create_idea(NewIdea {
            id: IdeaId::new(),
            workspace_id: w.ws.id,
            product_id: other.id,
            text: IdeaText {
                title: "Elsewhere".into(),
                ..Default::default()
            },
            status: IdeaStatus::UnderConsideration,
            owner_id: None,
            tags: Vec::new(),
            created_by: None,
            evidence: None,
            external: None,
            now: t0(),
        })
        .await
        .unwrap();
    assert!(matches!(
        s.move_idea(w.ws.id, a, MoveTo::Before(stranger.id)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.move_idea(w.foreign.id, a, MoveTo::Top).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(order(s, &w).await, vec![a, b, c, e, f]);
}

/// R6: 8 clients × 500 random moves at once; afterwards every idea has exactly one distinct
/// position, none is lost, and the order is total.
pub async fn concurrent_moves_keep_one_distinct_position_per_idea(s: &dyn Store) {
    let w = world(s).await;
    let mut ids = Vec::new();
    for n in 0..40 {
        ids.push(
            idea(s, &w, &format!("R{n}"), IdeaStatus::UnderConsideration)
                .await
                .id,
        );
    }
    // A small deterministic generator per client (no rand dependency in the contract crate).
    let clients = (0..8u64).map(|client| {
        let ids = ids.clone();
        let ws = w.ws.id;
        Box::pin(async move {
            let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ (client + 1);
            let mut next = move || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            for _ in 0..500 {
                let me = ids[(next() % ids.len() as u64) as usize];
                let other = ids[(next() % ids.len() as u64) as usize];
                let to = match next() % 7 {
                    0 => MoveTo::Top,
                    1 => MoveTo::Bottom,
                    2 => MoveTo::Up,
                    3 => MoveTo::Down,
                    4 => MoveTo::Before(other),
                    5 => MoveTo::After(other),
                    _ => MoveTo::Position((next() % 45) as u32),
                };
                s.move_idea(ws, me, to).await.unwrap();
            }
        })
    });
    join_all(clients.collect()).await;
    let items = all_pages(s, &w, BacklogSort::Rank, &BacklogFilter::default()).await;
    assert_eq!(items.len(), ids.len(), "no idea lost");
    let mut seen = std::collections::HashSet::new();
    for i in &items {
        assert!(seen.insert(i.id), "an idea listed twice");
        assert!(backlog::is_rank_key(&i.rank), "{}", i.rank);
    }
    for pair in items.windows(2) {
        assert!(
            pair[0].rank < pair[1].rank,
            "ties or disorder: {} / {}",
            pair[0].rank,
            pair[1].rank
        );
    }
    let dump = s.dump().await.unwrap();
    let ranks: std::collections::HashSet<&str> = dump
        .scoring
        .idea_ranks
        .iter()
        .map(|r| r.rank.as_str())
        .collect();
    assert_eq!(
        ranks.len(),
        dump.scoring.idea_ranks.len(),
        "every key distinct"
    );
}

pub async fn saved_views_are_private_or_shared(s: &dyn Store) {
    let w = world(s).await;
    let other = s
        .create_member(new_member(w.ws.id, "dev@rank.test", Role::Contributor))
        .await
        .unwrap();
    let view = |owner: MemberId, name: &str, shared: bool| BacklogView {
        id: uuid::Uuid::now_v7(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        owner_id: owner,
        shared,
        name: name.into(),
        query: "sort=score&status=under_consideration".into(),
        created_at: t0(),
        version: 1,
    };
    let mine = s
        .create_backlog_view(view(w.pm.id, "Mine", false))
        .await
        .unwrap();
    s.create_backlog_view(view(w.pm.id, "Team", true))
        .await
        .unwrap();
    s.create_backlog_view(view(other.id, "Theirs", false))
        .await
        .unwrap();
    assert!(matches!(
        s.create_backlog_view(view(w.pm.id, "Mine", true)).await,
        Err(StoreError::Duplicate("name"))
    ));
    let names = |v: Vec<BacklogView>| v.into_iter().map(|v| v.name).collect::<Vec<_>>();
    assert_eq!(
        names(
            s.list_backlog_views(w.ws.id, w.product.id, w.pm.id)
                .await
                .unwrap()
        ),
        vec!["Mine", "Team"]
    );
    assert_eq!(
        names(
            s.list_backlog_views(w.ws.id, w.product.id, other.id)
                .await
                .unwrap()
        ),
        vec!["Team", "Theirs"]
    );
    assert_eq!(s.get_backlog_view(w.ws.id, mine.id).await.unwrap(), mine);
    assert!(matches!(
        s.get_backlog_view(w.foreign.id, mine.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.delete_backlog_view(w.foreign.id, mine.id).await,
        Err(StoreError::NotFound)
    ));
    s.delete_backlog_view(w.ws.id, mine.id).await.unwrap();
    assert_eq!(
        names(
            s.list_backlog_views(w.ws.id, w.product.id, w.pm.id)
                .await
                .unwrap()
        ),
        vec!["Team"]
    );
}

pub async fn saved_views_are_renamed_and_shared_unless_the_name_is_taken(s: &dyn Store) {
    let w = world(s).await;
    let view = |name: &str| BacklogView {
        id: uuid::Uuid::now_v7(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        owner_id: w.pm.id,
        shared: false,
        name: name.into(),
        query: "sort=rank".into(),
        created_at: t0(),
        version: 1,
    };
    let first = s.create_backlog_view(view("First")).await.unwrap();
    s.create_backlog_view(view("Second")).await.unwrap();

    let renamed = s
        .update_backlog_view(
            w.ws.id,
            first.id,
            1,
            BacklogViewPatch {
                name: Some("Quick wins".into()),
                shared: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        renamed,
        BacklogView {
            name: "Quick wins".into(),
            version: 2,
            ..first.clone()
        }
    );
    assert_eq!(
        s.get_backlog_view(w.ws.id, first.id).await.unwrap(),
        renamed
    );

    // A change sent with the version read before the rename is refused and changes nothing.
    assert!(matches!(
        s.update_backlog_view(
            w.ws.id,
            first.id,
            1,
            BacklogViewPatch {
                name: Some("Late".into()),
                shared: Some(true),
            },
        )
        .await,
        Err(StoreError::VersionConflict)
    ));
    assert_eq!(
        s.get_backlog_view(w.ws.id, first.id).await.unwrap(),
        renamed
    );
    let shared = s
        .update_backlog_view(
            w.ws.id,
            first.id,
            2,
            BacklogViewPatch {
                name: None,
                shared: Some(true),
            },
        )
        .await
        .unwrap();
    assert!(shared.shared);
    assert_eq!(shared.name, "Quick wins");
    assert_eq!(shared.version, 3);

    // The owner's other view keeps its name; another workspace does not find the view.
    assert!(matches!(
        s.update_backlog_view(
            w.ws.id,
            first.id,
            3,
            BacklogViewPatch {
                name: Some("Second".into()),
                shared: None,
            },
        )
        .await,
        Err(StoreError::Duplicate("name"))
    ));
    assert!(matches!(
        s.update_backlog_view(
            w.foreign.id,
            first.id,
            3,
            BacklogViewPatch {
                name: Some("Stolen".into()),
                shared: None,
            },
        )
        .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.get_backlog_view(w.ws.id, first.id).await.unwrap(), shared);
}

/// The status rows of an idea's history.
async fn status_history(s: &dyn Store, w: &World, idea: IdeaId) -> Vec<(String, String)> {
    s.list_idea_changes(w.ws.id, idea)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.field == "status")
        .map(|c| (c.old_value, c.new_value))
        .collect()
}

pub async fn a_bulk_status_change_is_all_or_nothing(s: &dyn Store) {
    let w = world(s).await;
    let a = idea(s, &w, "Export", IdeaStatus::UnderConsideration).await;
    let b = idea(s, &w, "Import", IdeaStatus::UnderConsideration).await;
    let c = idea(s, &w, "Archive", IdeaStatus::UnderConsideration).await;
    let done = idea(s, &w, "Done already", IdeaStatus::Planned).await;
    let change = |ideas: &[&Idea]| StatusChange {
        workspace_id: w.ws.id,
        product_id: w.product.id,
        ideas: ideas.iter().map(|i| (i.id, i.version)).collect(),
        status: IdeaStatus::Planned,
        actor: Some(w.pm.id),
        now: t0() + chrono::Duration::hours(1),
    };

    // Someone edits the second idea after the bulk change read it: the whole change is
    // refused with the conflict a stale single update gets, and no idea changed at all.
    let b_now = s
        .update_idea(
            w.ws.id,
            b.id,
            b.version,
            IdeaPatch {
                title: Some("Import, edited".into()),
                actor: Some(w.pm.id),
                now: Some(t0()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let refused = s.change_idea_statuses(change(&[&a, &b, &c])).await;
    assert!(
        matches!(refused, Err(StoreError::VersionConflict)),
        "{refused:?}"
    );
    for (before, now) in [(&a, a.id), (&b_now, b.id), (&c, c.id)] {
        let after = s.get_idea(w.ws.id, now).await.unwrap();
        assert_eq!(after.status, IdeaStatus::UnderConsideration);
        assert_eq!(after.version, before.version, "version of {}", after.title);
        assert!(status_history(s, &w, now).await.is_empty());
    }
    assert!(matches!(
        s.update_idea(w.ws.id, b.id, b.version, IdeaPatch::default())
            .await,
        Err(StoreError::VersionConflict)
    ));

    // An idea of another product (or workspace) refuses the change too.
    let other = s.create_product(new_product(w.ws.id, "OTH")).await.unwrap();
    let stranger = s
        .create_idea(NewIdea {
            product_id: other.id,
            id: IdeaId::new(),
            ..new_idea_like(&w, "Elsewhere")
        })
        .await
        .unwrap();
    assert!(matches!(
        s.change_idea_statuses(change(&[&a, &stranger])).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.get_idea(w.ws.id, a.id).await.unwrap().status,
        IdeaStatus::UnderConsideration
    );

    // With the versions as they are, every idea changes at once; one already planned stays
    // as it is.
    let changed = s
        .change_idea_statuses(change(&[&a, &b_now, &c, &done]))
        .await
        .unwrap();
    assert_eq!(
        changed.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![a.id, b.id, c.id]
    );
    for (before, id) in [(&a, a.id), (&b_now, b.id), (&c, c.id)] {
        let after = s.get_idea(w.ws.id, id).await.unwrap();
        assert_eq!(after.status, IdeaStatus::Planned);
        assert_eq!(after.version, before.version + 1);
        assert_eq!(after.updated_at, t0() + chrono::Duration::hours(1));
        assert_eq!(
            status_history(s, &w, id).await,
            vec![("under_consideration".to_owned(), "planned".to_owned())]
        );
    }
    assert_eq!(s.get_idea(w.ws.id, done.id).await.unwrap(), done);
    // The search entry follows (still found by its words).
    let hits = s
        .search(
            w.ws.id,
            &SearchQuery {
                terms: phare_domain::text::query_terms("Archive"),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(hits.iter().any(|h| h.id == c.id.0), "{hits:?}");
}

fn new_idea_like(w: &World, title: &str) -> NewIdea {
    NewIdea {
        id: IdeaId::new(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        text: IdeaText {
            title: title.into(),
            so_that: "it helps".into(),
            ..Default::default()
        },
        status: IdeaStatus::UnderConsideration,
        owner_id: None,
        tags: Vec::new(),
        created_by: Some(w.pm.id),
        evidence: None,
        external: None,
        now: t0(),
    }
}

pub async fn the_matrix_reads_value_and_effort_and_imports_score_at_once(s: &dyn Store) {
    let w = world(s).await;
    let a = idea(s, &w, "Quick", IdeaStatus::UnderConsideration).await;
    let b = idea(s, &w, "Bet", IdeaStatus::UnderConsideration).await;
    score(
        s,
        &w,
        a.id,
        Framework::ValueEffort,
        inputs(&[("value", 8.0), ("effort", 2.0)]),
    )
    .await;
    score(
        s,
        &w,
        b.id,
        Framework::ValueEffort,
        inputs(&[("value", 6.0), ("effort", 9.0)]),
    )
    .await;
    let m = s.value_effort_matrix(w.ws.id, w.product.id).await.unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(
        (m[0].reference.as_str(), m[0].value, m[0].effort),
        ("RNK-1", 8.0, 2.0)
    );
    assert_eq!(m[1].title, "Bet");
    let n = s
        .import_idea_scores(vec![NewIdeaScore {
            workspace_id: w.ws.id,
            idea_id: b.id,
            framework: Framework::Rice,
            inputs: rice(7.0),
            value: 7.0,
            updated_by: None,
            now: t0(),
        }])
        .await
        .unwrap();
    assert_eq!(n, 1);
    let items = all_pages(s, &w, BacklogSort::Score, &BacklogFilter::default()).await;
    assert_eq!(
        (items[0].title.as_str(), items[0].score),
        ("Bet", Some(7.0))
    );
}

pub async fn scoring_moves_to_a_fresh_database_exactly(from: &dyn Store, to: &dyn Store) {
    let w = world(from).await;
    let a = idea(from, &w, "A", IdeaStatus::UnderConsideration).await;
    let b = idea(from, &w, "B", IdeaStatus::UnderConsideration).await;
    let k = Criterion {
        id: uuid::Uuid::now_v7(),
        name: "Revenue".into(),
        scale: 5.0,
        weight: 2.0,
    };
    from.put_scoring_settings(
        w.ws.id,
        w.product.id,
        0,
        SettingsUpdate {
            primary_framework: Framework::Scorecard,
            criteria: vec![k.clone()],
            now: t0(),
        },
    )
    .await
    .unwrap();
    let mut card = ScoreInputs::default();
    card.criteria.insert(k.id, 4.0);
    score(from, &w, b.id, Framework::Scorecard, card).await;
    score(from, &w, a.id, Framework::Rice, rice(3.0)).await;
    from.move_idea(w.ws.id, b.id, MoveTo::Top).await.unwrap();
    from.create_backlog_view(BacklogView {
        id: uuid::Uuid::now_v7(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        owner_id: w.pm.id,
        shared: true,
        name: "Top".into(),
        query: "sort=rank".into(),
        created_at: t0(),
        // A view renamed twice before the move keeps its version.
        version: 3,
    })
    .await
    .unwrap();
    let dump = from.dump().await.unwrap();
    assert_eq!(dump.scoring.scoring_settings.len(), 1);
    assert_eq!(dump.scoring.idea_scores.len(), 2);
    assert_eq!(dump.scoring.idea_ranks.len(), 2);
    assert_eq!(dump.scoring.backlog_views.len(), 1);
    let text = serde_json::to_string(&dump).unwrap();
    let back: Dump = serde_json::from_str(&text).unwrap();
    to.load(&back).await.unwrap();
    assert_eq!(to.dump().await.unwrap().checksums(), dump.checksums());
    // What is derived was rebuilt: the scores and the manual order, and a weight change
    // still re-scores from the points.
    let w2 = World {
        ws: w.ws.clone(),
        pm: w.pm.clone(),
        product: w.product.clone(),
        foreign: w.foreign.clone(),
    };
    let items = all_pages(to, &w2, BacklogSort::Score, &BacklogFilter::default()).await;
    assert_eq!((items[0].title.as_str(), items[0].score), ("B", Some(80.0)));
    assert_eq!(
        titles(&all_pages(to, &w2, BacklogSort::Rank, &BacklogFilter::default()).await),
        vec!["B", "A"]
    );
    to.put_scoring_settings(
        w.ws.id,
        w.product.id,
        1,
        SettingsUpdate {
            primary_framework: Framework::Scorecard,
            criteria: vec![Criterion { scale: 10.0, ..k }],
            now: t0(),
        },
    )
    .await
    .unwrap();
    let items = all_pages(to, &w2, BacklogSort::Score, &BacklogFilter::default()).await;
    assert!((items[0].score.unwrap() - 40.0).abs() < 1e-6);
}

/// Polls every future on the current task until all are done: a race without spawning (the
/// store is borrowed).
async fn join_all<F: std::future::Future + Unpin>(mut fs: Vec<F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut results: Vec<Option<F::Output>> = fs.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in fs.iter_mut().enumerate() {
            if results[i].is_none() {
                match std::pin::Pin::new(f).poll(cx) {
                    Poll::Ready(v) => results[i] = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    results.into_iter().flatten().collect()
}
