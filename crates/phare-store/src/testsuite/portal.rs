//! Conformance checks of the portal contract: portals and their public address, the public face
//! of ideas, votes and their counters, sign-in codes, portal sessions, comments, subscriptions,
//! merges, submissions, the outbox, and moving it all between databases.

use super::{new_member, new_product, new_workspace, t0};
use crate::*;
use chrono::Duration;
use phare_domain::*;

struct World {
    ws: Workspace,
    pm: Member,
    product: Product,
    foreign: Workspace,
}

async fn world(s: &dyn Store, slug: &str) -> World {
    let ws = s.create_workspace(new_workspace(slug)).await.unwrap();
    let pm = s
        .create_member(new_member(
            ws.id,
            &format!("pm@{slug}.test"),
            Role::ProductManager,
        ))
        .await
        .unwrap();
    let product = s.create_product(new_product(ws.id, "CHK")).await.unwrap();
    let foreign = s
        .create_workspace(new_workspace(&format!("{slug}-other")))
        .await
        .unwrap();
    World {
        ws,
        pm,
        product,
        foreign,
    }
}

async fn enable(s: &dyn Store, w: &World) -> Portal {
    s.put_portal(PortalPut {
        workspace_id: w.ws.id,
        product_id: w.product.id,
        expected_version: 0,
        enabled: true,
        title: "Ideas for Checkout".into(),
        intro: "Tell us **what** you need.".into(),
        now: t0(),
    })
    .await
    .unwrap()
}

fn new_idea(w: &World, title: &str, at: Timestamp) -> NewIdea {
    NewIdea {
        id: IdeaId::new(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        text: IdeaText {
            title: title.into(),
            as_a: "buyer".into(),
            i_want: "to pay faster".into(),
            so_that: "internal benefit text".into(),
            description: "internal notes".into(),
            ..Default::default()
        },
        status: IdeaStatus::UnderConsideration,
        owner_id: Some(w.pm.id),
        tags: vec!["internal-tag".into()],
        created_by: Some(w.pm.id),
        evidence: None,
        external: None,
        now: at,
    }
}

async fn published(s: &dyn Store, w: &World, title: &str) -> PortalIdea {
    let i = s.create_idea(new_idea(w, title, t0())).await.unwrap();
    s.update_portal_idea(
        w.ws.id,
        i.id,
        1,
        PortalIdeaPatch {
            state: Some(PortalState::Published),
            now: Some(t0()),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn signed_in(s: &dyn Store, w: &World, email: &str) -> PortalUser {
    s.create_sign_in_code(code(w, email, "123456", t0()))
        .await
        .unwrap();
    match s
        .verify_sign_in_code(
            w.ws.id,
            email,
            &sign_in_code_hash(w.ws.id, email, "123456"),
            t0(),
        )
        .await
        .unwrap()
    {
        CodeCheck::Verified(u) => u,
        other => panic!("{other:?}"),
    }
}

fn code(w: &World, email: &str, code: &str, at: Timestamp) -> NewSignInCode {
    NewSignInCode {
        id: uuid::Uuid::now_v7(),
        workspace_id: w.ws.id,
        email: email.into(),
        code_hash: sign_in_code_hash(w.ws.id, email, code),
        display_name: format!("Name of {email}"),
        now: at,
        expires_at: at + Duration::minutes(SIGN_IN_CODE_MINUTES),
        mail: NewOutbox {
            id: OutboxId::new(),
            workspace_id: w.ws.id,
            kind: OutboxKind::SignInCode,
            to_email: email.into(),
            locale: Locale::Fr,
            payload: serde_json::json!({ "code": code, "product": "Checkout" }),
            now: at,
        },
    }
}

fn vote(w: &World, idea: IdeaId, user: &PortalUser, at: Timestamp) -> NewVote {
    NewVote {
        workspace_id: w.ws.id,
        idea_id: idea,
        portal_user_id: user.id,
        now: at,
        feedback: NewFeedback {
            id: FeedbackId::new(),
            workspace_id: w.ws.id,
            product_id: Some(w.product.id),
            text: "Portal vote".into(),
            source: SourceKind::Portal,
            customer: None,
            contact: Some(user.email.clone()),
            author_id: None,
            observed_at: at,
            tags: Vec::new(),
            external: Some(("portal-vote".into(), format!("{idea}:{}", user.id))),
            now: at,
        },
        evidence_id: EvidenceId::new(),
    }
}

/// Every idea's stored count equals its vote rows, and no one votes twice for one idea.
async fn counts_match_rows(s: &dyn Store) {
    let d = s.dump().await.unwrap();
    let mut seen = std::collections::HashSet::new();
    for v in &d.portal.portal_votes {
        assert!(
            seen.insert((v.idea_id, v.portal_user_id)),
            "two votes {v:?}"
        );
    }
    for i in &d.discovery.ideas {
        let rows = d
            .portal
            .portal_votes
            .iter()
            .filter(|v| v.idea_id == i.id)
            .count() as i64;
        assert_eq!(i.vote_count, rows, "{}", i.reference);
    }
}

pub async fn portals_are_versioned_and_found_by_their_public_address(s: &dyn Store) {
    let w = world(s, "acme").await;
    assert!(matches!(
        s.get_portal(w.ws.id, w.product.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.find_public_portal("acme", "CHK").await,
        Err(StoreError::NotFound)
    ));
    let p = enable(s, &w).await;
    assert_eq!((p.version, p.enabled), (1, true));
    let found = s.find_public_portal("acme", "CHK").await.unwrap();
    assert_eq!(found.product.id, w.product.id);
    assert_eq!(found.workspace.id, w.ws.id);
    // The address is exact: another workspace's slug with this key, or a wrong key, is nothing.
    for (slug, key) in [("acme-other", "CHK"), ("acme", "chk"), ("acme", "PAY")] {
        assert!(
            matches!(
                s.find_public_portal(slug, key).await,
                Err(StoreError::NotFound)
            ),
            "{slug}/{key}"
        );
    }
    // A stale version is refused; creating twice is refused too.
    let put = |version: i64, enabled: bool| PortalPut {
        workspace_id: w.ws.id,
        product_id: w.product.id,
        expected_version: version,
        enabled,
        title: String::new(),
        intro: String::new(),
        now: t0(),
    };
    assert!(matches!(
        s.put_portal(put(0, true)).await,
        Err(StoreError::VersionConflict)
    ));
    let off = s.put_portal(put(1, false)).await.unwrap();
    assert_eq!((off.version, off.enabled), (2, false));
    assert!(matches!(
        s.find_public_portal("acme", "CHK").await,
        Err(StoreError::NotFound)
    ));
    // Another workspace cannot configure this product.
    assert!(matches!(
        s.put_portal(PortalPut {
            workspace_id: w.foreign.id,
            ..put(0, true)
        })
        .await,
        Err(StoreError::NotFound)
    ));
    // An archived product has no public portal.
    s.put_portal(put(2, true)).await.unwrap();
    s.update_product(
        w.ws.id,
        w.product.id,
        w.product.version,
        ProductPatch {
            archived: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        s.find_public_portal("acme", "CHK").await,
        Err(StoreError::NotFound)
    ));
}

pub async fn only_published_ideas_are_listed_in_every_order(s: &dyn Store) {
    let w = world(s, "acme").await;
    enable(s, &w).await;
    let a = published(s, &w, "Pay with a card").await;
    let b = published(s, &w, "Pay in instalments").await;
    let c = published(s, &w, "Split the bill").await;
    let private = s.create_idea(new_idea(&w, "Secret", t0())).await.unwrap();
    let hidden = published(s, &w, "Hidden one").await;
    s.update_portal_idea(
        w.ws.id,
        hidden.idea_id,
        hidden.portal_version,
        PortalIdeaPatch {
            state: Some(PortalState::Hidden),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        a.title, "Pay with a card",
        "the public title starts as the idea's"
    );
    assert!(a.published_at.is_some());
    let users = [
        signed_in(s, &w, "u1@example.org").await,
        signed_in(s, &w, "u2@example.org").await,
        signed_in(s, &w, "u3@example.org").await,
    ];
    // b: two old votes; a: one fresh vote; c: none.
    for u in &users[..2] {
        s.vote(vote(&w, b.idea_id, u, t0() - Duration::days(60)))
            .await
            .unwrap();
    }
    s.vote(vote(&w, a.idea_id, &users[2], t0())).await.unwrap();
    let list = |sort: PortalSort, status: Option<IdeaStatus>, page: PageRequest| {
        let filter = PortalIdeaFilter {
            states: Vec::new(),
            status,
            sort,
        };
        async move {
            s.list_portal_ideas(w.ws.id, w.product.id, &filter, &page)
                .await
                .unwrap()
        }
    };
    let ids = |p: &Page<PortalIdea>| p.items.iter().map(|i| i.idea_id).collect::<Vec<_>>();
    assert_eq!(
        ids(&list(PortalSort::Top, None, PageRequest::default()).await),
        vec![b.idea_id, a.idea_id, c.idea_id]
    );
    assert_eq!(
        ids(&list(PortalSort::Trending, None, PageRequest::default()).await),
        vec![a.idea_id, b.idea_id, c.idea_id],
        "one fresh vote outweighs two from two months ago"
    );
    assert_eq!(
        ids(&list(PortalSort::Newest, None, PageRequest::default()).await),
        vec![c.idea_id, b.idea_id, a.idea_id]
    );
    assert!(
        !ids(&list(PortalSort::Newest, None, PageRequest::default()).await)
            .iter()
            .any(|i| *i == private.id || *i == hidden.idea_id)
    );
    // Pages follow the cursor in every order.
    for sort in PortalSort::ALL {
        let mut seen = Vec::new();
        let mut req = PageRequest::first(1);
        loop {
            let p = list(*sort, None, req).await;
            seen.extend(ids(&p));
            match p.next_cursor {
                Some(c) => req = PageRequest::new(Some(c), Some(1)),
                None => break,
            }
        }
        assert_eq!(seen.len(), 3, "{sort:?}");
        let forged = list(
            *sort,
            None,
            PageRequest::new(Some(Cursor("garbage".into())), None),
        )
        .await;
        assert!(forged.items.is_empty());
    }
    // The status filter.
    s.update_idea(
        w.ws.id,
        c.idea_id,
        1,
        IdeaPatch {
            status: Some(IdeaStatus::Planned),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        ids(&list(
            PortalSort::Top,
            Some(IdeaStatus::Planned),
            PageRequest::default()
        )
        .await),
        vec![c.idea_id]
    );
    // Moderation sees other states when asked.
    let queue = s
        .list_portal_ideas(
            w.ws.id,
            w.product.id,
            &PortalIdeaFilter {
                states: vec![PortalState::Hidden],
                status: None,
                sort: PortalSort::Newest,
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(ids(&queue), vec![hidden.idea_id]);
    // Ideas of another workspace are never in the list.
    assert!(s
        .list_portal_ideas(
            w.foreign.id,
            w.product.id,
            &PortalIdeaFilter::default(),
            &PageRequest::default()
        )
        .await
        .unwrap()
        .items
        .is_empty());
    // A stale version of the public face is refused.
    assert!(matches!(
        s.update_portal_idea(
            w.ws.id,
            a.idea_id,
            a.portal_version - 1,
            PortalIdeaPatch::default()
        )
        .await,
        Err(StoreError::VersionConflict)
    ));
}

pub async fn votes_are_idempotent_and_counters_equal_rows(s: &dyn Store) {
    let w = world(s, "acme").await;
    enable(s, &w).await;
    let idea = published(s, &w, "Dark mode").await;
    let u = signed_in(s, &w, "voter@example.org").await;
    let first = s.vote(vote(&w, idea.idea_id, &u, t0())).await.unwrap();
    assert!(first.changed);
    assert_eq!(first.idea.vote_count, 1);
    assert!(first.idea.trend > TREND_NONE);
    let again = s.vote(vote(&w, idea.idea_id, &u, t0())).await.unwrap();
    assert!(!again.changed, "voting twice changes nothing");
    assert_eq!(again.idea.vote_count, 1);
    assert!(
        s.is_subscribed(idea.idea_id, u.id).await.unwrap(),
        "a voter follows the idea"
    );
    assert_eq!(
        s.voted_ideas(u.id, &[idea.idea_id, IdeaId::new()])
            .await
            .unwrap(),
        vec![idea.idea_id]
    );
    // The vote left one inbox item, from the portal, linked to the idea as evidence.
    let ev = s.list_idea_evidence(w.ws.id, idea.idea_id).await.unwrap();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].feedback.source, SourceKind::Portal);
    assert_eq!(ev[0].feedback.contact.as_deref(), Some("voter@example.org"));
    counts_match_rows(s).await;
    let gone = s.unvote(w.ws.id, idea.idea_id, u.id, t0()).await.unwrap();
    assert!(gone.changed);
    assert_eq!((gone.idea.vote_count, gone.idea.trend), (0, TREND_NONE));
    assert!(
        !s.unvote(w.ws.id, idea.idea_id, u.id, t0())
            .await
            .unwrap()
            .changed
    );
    // Unvoting keeps the inbox item; voting again reuses it (one item per voter and idea).
    s.vote(vote(&w, idea.idea_id, &u, t0() + Duration::hours(1)))
        .await
        .unwrap();
    assert_eq!(
        s.list_idea_evidence(w.ws.id, idea.idea_id)
            .await
            .unwrap()
            .len(),
        1
    );
    let portal_items = s
        .list_feedback(
            w.ws.id,
            &FeedbackFilter {
                source: Some(SourceKind::Portal),
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(portal_items.items.len(), 1);
    counts_match_rows(s).await;
    // Nobody votes for what is not public: private, hidden, merged, other workspace, portal off.
    let private = s.create_idea(new_idea(&w, "Private", t0())).await.unwrap();
    assert!(matches!(
        s.vote(vote(&w, private.id, &u, t0())).await,
        Err(StoreError::NotFound)
    ));
    let mut foreign = vote(&w, idea.idea_id, &u, t0());
    foreign.workspace_id = w.foreign.id;
    assert!(matches!(s.vote(foreign).await, Err(StoreError::NotFound)));
    s.put_portal(PortalPut {
        workspace_id: w.ws.id,
        product_id: w.product.id,
        expected_version: 1,
        enabled: false,
        title: String::new(),
        intro: String::new(),
        now: t0(),
    })
    .await
    .unwrap();
    let other = signed_in(s, &w, "late@example.org").await;
    assert!(matches!(
        s.vote(vote(&w, idea.idea_id, &other, t0())).await,
        Err(StoreError::NotFound)
    ));
    counts_match_rows(s).await;
}

pub async fn imported_votes_count_like_cast_ones_all_or_nothing(s: &dyn Store) {
    let w = world(s, "bulk").await;
    enable(s, &w).await;
    let a = published(s, &w, "Dark mode").await;
    let b = published(s, &w, "Offline mode").await;
    let user = |n: usize| PortalUser {
        id: PortalUserId::new(),
        workspace_id: w.ws.id,
        email: format!("Voter{n}@Example.org"),
        display_name: format!("Voter {n}"),
        created_at: t0(),
    };
    let users: Vec<PortalUser> = (0..5).map(user).collect();
    assert_eq!(s.import_portal_users(users.clone()).await.unwrap(), 5);
    // An address the workspace knows (in any case) is skipped.
    let mut again = user(0);
    again.email = "VOTER0@example.org".into();
    assert_eq!(s.import_portal_users(vec![again]).await.unwrap(), 0);

    let cast = |idea: IdeaId, u: &PortalUser, hours: i64| PortalVote {
        idea_id: idea,
        portal_user_id: u.id,
        workspace_id: w.ws.id,
        created_at: t0() + Duration::hours(hours),
    };
    let mut votes: Vec<PortalVote> = users.iter().map(|u| cast(a.idea_id, u, 1)).collect();
    votes.push(cast(b.idea_id, &users[0], 2));
    votes.push(cast(a.idea_id, &users[0], 3)); // already in this batch: skipped
    assert_eq!(s.import_votes(votes).await.unwrap(), 6);
    let a_now = s.get_portal_idea(w.ws.id, a.idea_id).await.unwrap();
    assert_eq!(a_now.vote_count, 5);
    // The trend is what the same votes cast one by one give.
    let expected = trend_of((0..5).map(|_| (t0() + Duration::hours(1)).timestamp_micros()));
    assert!(
        (a_now.trend - expected).abs() < 1e-9,
        "{} vs {expected}",
        a_now.trend
    );
    // Imported votes leave no inbox item and subscribe nobody.
    assert!(s
        .list_idea_evidence(w.ws.id, a.idea_id)
        .await
        .unwrap()
        .is_empty());
    assert!(!s.is_subscribed(a.idea_id, users[1].id).await.unwrap());
    counts_match_rows(s).await;

    // A batch with one vote for an idea that is not public stores none of its votes.
    let private = s.create_idea(new_idea(&w, "Private", t0())).await.unwrap();
    let extra = user(9);
    s.import_portal_users(vec![extra.clone()]).await.unwrap();
    let refused = vec![cast(b.idea_id, &extra, 4), cast(private.id, &extra, 4)];
    assert!(matches!(
        s.import_votes(refused).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.get_portal_idea(w.ws.id, b.idea_id)
            .await
            .unwrap()
            .vote_count,
        1
    );
    counts_match_rows(s).await;
}

pub async fn concurrent_votes_keep_one_row_per_voter_and_exact_counts(s: &dyn Store) {
    let w = world(s, "acme").await;
    enable(s, &w).await;
    let idea = published(s, &w, "Offline mode").await;
    let mut users = Vec::new();
    for n in 0..12 {
        users.push(signed_in(s, &w, &format!("v{n}@example.org")).await);
    }
    // Each user votes and unvotes in a race with everybody else.
    let mut tasks = Vec::new();
    for (n, u) in users.iter().enumerate() {
        for round in 0..4 {
            let v = vote(&w, idea.idea_id, u, t0() + Duration::seconds(round));
            let ws = w.ws.id;
            let id = idea.idea_id;
            let uid = u.id;
            tasks.push(async move {
                if (n + round as usize) % 3 == 2 {
                    s.unvote(ws, id, uid, t0()).await.map(|_| ())
                } else {
                    s.vote(v).await.map(|_| ())
                }
            });
        }
    }
    for r in join_all(tasks.into_iter().map(Box::pin).collect()).await {
        r.unwrap();
    }
    counts_match_rows(s).await;
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

pub async fn sign_in_codes_expire_and_die_after_five_tries(s: &dyn Store) {
    let w = world(s, "acme").await;
    let email = "ana@example.org";
    let hash = |c: &str| sign_in_code_hash(w.ws.id, email, c);
    s.create_sign_in_code(code(&w, email, "111111", t0()))
        .await
        .unwrap();
    for left in (0..SIGN_IN_CODE_TRIES).rev() {
        assert_eq!(
            s.verify_sign_in_code(w.ws.id, email, &hash("999999"), t0())
                .await
                .unwrap(),
            CodeCheck::Wrong { tries_left: left }
        );
    }
    assert_eq!(
        s.verify_sign_in_code(w.ws.id, email, &hash("111111"), t0())
            .await
            .unwrap(),
        CodeCheck::NoLiveCode,
        "after five wrong tries the right code is dead too"
    );
    // An expired code is dead.
    s.create_sign_in_code(code(&w, email, "222222", t0()))
        .await
        .unwrap();
    let late = t0() + Duration::minutes(SIGN_IN_CODE_MINUTES) + Duration::seconds(1);
    assert_eq!(
        s.verify_sign_in_code(w.ws.id, email, &hash("222222"), late)
            .await
            .unwrap(),
        CodeCheck::NoLiveCode
    );
    // A new code kills the one before it.
    s.create_sign_in_code(code(&w, email, "333333", t0()))
        .await
        .unwrap();
    s.create_sign_in_code(code(&w, email, "444444", t0()))
        .await
        .unwrap();
    assert!(matches!(
        s.verify_sign_in_code(w.ws.id, email, &hash("333333"), t0())
            .await
            .unwrap(),
        CodeCheck::Wrong { .. }
    ));
    let user = match s
        .verify_sign_in_code(w.ws.id, email, &hash("444444"), t0())
        .await
        .unwrap()
    {
        CodeCheck::Verified(u) => u,
        other => panic!("{other:?}"),
    };
    assert_eq!(user.email, email);
    assert_eq!(user.display_name, format!("Name of {email}"));
    // Spent: it works once.
    assert_eq!(
        s.verify_sign_in_code(w.ws.id, email, &hash("444444"), t0())
            .await
            .unwrap(),
        CodeCheck::NoLiveCode
    );
    // The same address in another workspace is another person with no code.
    assert_eq!(
        s.verify_sign_in_code(w.foreign.id, email, &hash("444444"), t0())
            .await
            .unwrap(),
        CodeCheck::NoLiveCode
    );
    // Signing in again finds the same user.
    s.create_sign_in_code(code(&w, email, "555555", t0()))
        .await
        .unwrap();
    assert_eq!(
        s.verify_sign_in_code(w.ws.id, email, &hash("555555"), t0())
            .await
            .unwrap(),
        CodeCheck::Verified(user.clone())
    );
    // Every code went to the outbox; expired codes are blanked by the purge.
    let mails = s
        .list_outbox(w.ws.id, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mails.items.len(), 5);
    assert!(mails.items.iter().all(|m| m.payload.get("code").is_some()));
    s.purge_portal(late + Duration::minutes(30), t0())
        .await
        .unwrap();
    let mails = s
        .list_outbox(w.ws.id, &PageRequest::default())
        .await
        .unwrap();
    assert!(mails.items.iter().all(|m| m.payload.get("code").is_none()));
    assert!(mails
        .items
        .iter()
        .all(|m| m.payload["product"] == "Checkout"));
}

pub async fn portal_sessions_round_trip_and_purge(s: &dyn Store) {
    let w = world(s, "acme").await;
    let u = signed_in(s, &w, "ses@example.org").await;
    let t = t0();
    s.create_portal_session(NewPortalSession {
        id_hash: "h1".into(),
        portal_user_id: u.id,
        now: t,
        expires_at: t + Duration::days(30),
    })
    .await
    .unwrap();
    let (session, who) = s.get_portal_session("h1").await.unwrap().unwrap();
    assert_eq!(who, u);
    assert_eq!(session.last_seen_at, t);
    s.touch_portal_session("h1", t + Duration::hours(1))
        .await
        .unwrap();
    let (session, _) = s.get_portal_session("h1").await.unwrap().unwrap();
    assert_eq!(session.last_seen_at, t + Duration::hours(1));
    assert!(s.get_portal_session("nope").await.unwrap().is_none());
    // Idle past the limit: purged.
    s.purge_portal(t + Duration::days(1), t + Duration::hours(2))
        .await
        .unwrap();
    assert!(s.get_portal_session("h1").await.unwrap().is_none());
    s.create_portal_session(NewPortalSession {
        id_hash: "h2".into(),
        portal_user_id: u.id,
        now: t,
        expires_at: t + Duration::days(30),
    })
    .await
    .unwrap();
    s.delete_portal_session("h2").await.unwrap();
    assert!(s.get_portal_session("h2").await.unwrap().is_none());
}

pub async fn comments_are_counted_hidden_and_listed(s: &dyn Store) {
    let w = world(s, "acme").await;
    enable(s, &w).await;
    let idea = published(s, &w, "Receipts by e-mail").await;
    let u = signed_in(s, &w, "c@example.org").await;
    let say = |author: CommentAuthor, idea: IdeaId, body: &str| NewPortalComment {
        id: CommentId::new(),
        workspace_id: w.ws.id,
        idea_id: idea,
        author,
        body: body.into(),
        now: t0(),
    };
    let c1 = s
        .add_portal_comment(say(CommentAuthor::User(u.id), idea.idea_id, "Yes please"))
        .await
        .unwrap();
    assert_eq!(c1.author_name, u.display_name);
    let c2 = s
        .add_portal_comment(say(
            CommentAuthor::Member(w.pm.id),
            idea.idea_id,
            "Planned for spring",
        ))
        .await
        .unwrap();
    assert_eq!(c2.author_name, w.pm.name);
    assert_eq!(
        s.get_portal_idea(w.ws.id, idea.idea_id)
            .await
            .unwrap()
            .comment_count,
        2
    );
    let hidden = s
        .set_comment_hidden(w.ws.id, c1.id, true, w.pm.id, t0())
        .await
        .unwrap();
    assert!(hidden.hidden);
    assert_eq!(hidden.hidden_by, Some(w.pm.id));
    // Hiding twice counts once.
    s.set_comment_hidden(w.ws.id, c1.id, true, w.pm.id, t0())
        .await
        .unwrap();
    assert_eq!(
        s.get_portal_idea(w.ws.id, idea.idea_id)
            .await
            .unwrap()
            .comment_count,
        1
    );
    let public = s
        .list_portal_comments(w.ws.id, idea.idea_id, false, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        public.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![c2.id]
    );
    let all = s
        .list_portal_comments(w.ws.id, idea.idea_id, true, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.items.len(), 2);
    assert_eq!(
        s.list_product_comments(w.ws.id, w.product.id, &PageRequest::default())
            .await
            .unwrap()
            .items
            .first()
            .map(|c| c.id),
        Some(c2.id),
        "newest first"
    );
    // Portal users comment only on public ideas; members also on private ones.
    let private = s.create_idea(new_idea(&w, "Private", t0())).await.unwrap();
    assert!(matches!(
        s.add_portal_comment(say(CommentAuthor::User(u.id), private.id, "hi"))
            .await,
        Err(StoreError::NotFound)
    ));
    s.add_portal_comment(say(CommentAuthor::Member(w.pm.id), private.id, "note"))
        .await
        .unwrap();
    // Another workspace sees none of it.
    assert!(matches!(
        s.get_portal_comment(w.foreign.id, c1.id).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn merging_moves_votes_comments_and_subscribers_once_per_person(s: &dyn Store) {
    let w = world(s, "acme").await;
    enable(s, &w).await;
    let dup = published(s, &w, "PDF export").await;
    let kept = published(s, &w, "Export to PDF").await;
    let both = signed_in(s, &w, "both@example.org").await;
    let only_dup = signed_in(s, &w, "dup@example.org").await;
    let only_kept = signed_in(s, &w, "kept@example.org").await;
    s.vote(vote(&w, dup.idea_id, &both, t0())).await.unwrap();
    s.vote(vote(&w, kept.idea_id, &both, t0())).await.unwrap();
    s.vote(vote(&w, dup.idea_id, &only_dup, t0()))
        .await
        .unwrap();
    s.vote(vote(&w, kept.idea_id, &only_kept, t0()))
        .await
        .unwrap();
    s.add_portal_comment(NewPortalComment {
        id: CommentId::new(),
        workspace_id: w.ws.id,
        idea_id: dup.idea_id,
        author: CommentAuthor::User(only_dup.id),
        body: "Me too".into(),
        now: t0(),
    })
    .await
    .unwrap();
    s.merge_ideas(IdeaMerge {
        id: uuid::Uuid::now_v7(),
        workspace_id: w.ws.id,
        from_idea_id: dup.idea_id,
        into_idea_id: kept.idea_id,
        actor_id: Some(w.pm.id),
        reason: "Same".into(),
        at: t0() + Duration::hours(1),
    })
    .await
    .unwrap();
    let after = s.get_portal_idea(w.ws.id, kept.idea_id).await.unwrap();
    assert_eq!(after.vote_count, 3, "one vote per person");
    assert_eq!(after.comment_count, 1);
    assert!(after.trend > TREND_NONE);
    let gone = s.get_portal_idea(w.ws.id, dup.idea_id).await.unwrap();
    assert_eq!((gone.vote_count, gone.comment_count), (0, 0));
    assert_eq!(gone.merged_into, Some(kept.idea_id));
    let subscribers = s.list_subscribers(w.ws.id, kept.idea_id).await.unwrap();
    assert_eq!(subscribers.len(), 3);
    assert!(s
        .list_subscribers(w.ws.id, dup.idea_id)
        .await
        .unwrap()
        .is_empty());
    let comments = s
        .list_portal_comments(w.ws.id, kept.idea_id, false, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(comments.items.len(), 1);
    counts_match_rows(s).await;
    // The merged idea is gone from the list and takes no vote.
    let list = s
        .list_portal_ideas(
            w.ws.id,
            w.product.id,
            &PortalIdeaFilter::default(),
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(list.items.len(), 1);
    let newcomer = signed_in(s, &w, "new@example.org").await;
    assert!(matches!(
        s.vote(vote(&w, dup.idea_id, &newcomer, t0())).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn submissions_are_held_with_their_inbox_item(s: &dyn Store) {
    let w = world(s, "acme").await;
    let u = signed_in(s, &w, "sub@example.org").await;
    let submission = |w: &World| PortalSubmission {
        idea: NewIdea {
            created_by: None,
            owner_id: None,
            tags: Vec::new(),
            status: IdeaStatus::Draft,
            text: IdeaText {
                title: "Pay by bank transfer".into(),
                description: "For **large** orders".into(),
                ..Default::default()
            },
            ..new_idea(w, "x", t0())
        },
        submitted_by: u.id,
        feedback: NewFeedback {
            id: FeedbackId::new(),
            workspace_id: w.ws.id,
            product_id: Some(w.product.id),
            text: "Pay by bank transfer\n\nFor **large** orders".into(),
            source: SourceKind::Portal,
            customer: None,
            contact: Some(u.email.clone()),
            author_id: None,
            observed_at: t0(),
            tags: Vec::new(),
            external: None,
            now: t0(),
        },
        evidence_id: EvidenceId::new(),
    };
    // The portal is off: nothing is stored.
    assert!(matches!(
        s.submit_portal_idea(submission(&w)).await,
        Err(StoreError::NotFound)
    ));
    assert!(s
        .list_ideas(w.ws.id, &IdeaFilter::default(), &PageRequest::default())
        .await
        .unwrap()
        .items
        .is_empty());
    enable(s, &w).await;
    let p = s.submit_portal_idea(submission(&w)).await.unwrap();
    assert_eq!(p.state, PortalState::Pending);
    assert_eq!(p.title, "Pay by bank transfer");
    assert_eq!(p.description, "For **large** orders");
    assert_eq!(p.submitted_by, Some(u.id));
    assert!(s.is_subscribed(p.idea_id, u.id).await.unwrap());
    let ev = s.list_idea_evidence(w.ws.id, p.idea_id).await.unwrap();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].feedback.source, SourceKind::Portal);
    // Pending is not public.
    assert!(s
        .list_portal_ideas(
            w.ws.id,
            w.product.id,
            &PortalIdeaFilter::default(),
            &PageRequest::default()
        )
        .await
        .unwrap()
        .items
        .is_empty());
}

pub async fn the_outbox_hands_each_message_to_one_sender(s: &dyn Store) {
    let w = world(s, "acme").await;
    let mut queued = Vec::new();
    for n in 0..20 {
        queued.push(NewOutbox {
            id: OutboxId::new(),
            workspace_id: w.ws.id,
            kind: if n == 0 {
                OutboxKind::SignInCode
            } else {
                OutboxKind::StatusChanged
            },
            to_email: format!("s{n}@example.org"),
            locale: Locale::En,
            payload: serde_json::json!({ "code": "123456", "n": n }),
            now: t0(),
        });
    }
    s.queue_outbox(queued).await.unwrap();
    let (a, b) = tokio::join!(
        s.claim_outbox(t0(), t0() - Duration::minutes(10), 15),
        s.claim_outbox(t0(), t0() - Duration::minutes(10), 15)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.len() + b.len(), 20);
    let mut ids: Vec<OutboxId> = a.iter().chain(b.iter()).map(|m| m.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 20, "no message claimed twice");
    assert!(a
        .iter()
        .all(|m| m.status == OutboxStatus::Sending && m.attempts == 1));
    // Nothing left to claim while the claims are fresh.
    assert!(s
        .claim_outbox(t0(), t0() - Duration::minutes(10), 50)
        .await
        .unwrap()
        .is_empty());
    let code_mail = a
        .iter()
        .chain(b.iter())
        .find(|m| m.kind == OutboxKind::SignInCode)
        .unwrap();
    s.outbox_sent(code_mail.id, t0()).await.unwrap();
    let retry = a
        .iter()
        .chain(b.iter())
        .find(|m| m.kind == OutboxKind::StatusChanged)
        .unwrap();
    s.outbox_failed(
        retry.id,
        "450 try later",
        Some(t0() + Duration::minutes(1)),
        t0(),
    )
    .await
    .unwrap();
    let listed = s
        .list_outbox(w.ws.id, &PageRequest::first(200))
        .await
        .unwrap();
    let find = |id: OutboxId| listed.items.iter().find(|m| m.id == id).unwrap().clone();
    let sent = find(code_mail.id);
    assert_eq!(sent.status, OutboxStatus::Sent);
    assert!(
        sent.payload.get("code").is_none(),
        "a sent code is not kept"
    );
    let again = find(retry.id);
    assert_eq!(again.status, OutboxStatus::Queued);
    assert_eq!(again.last_error.as_deref(), Some("450 try later"));
    // Due again a minute later; a claim that went stale (its sender died) is taken over.
    let later = s
        .claim_outbox(
            t0() + Duration::minutes(2),
            t0() - Duration::minutes(10),
            50,
        )
        .await
        .unwrap();
    assert_eq!(
        later.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![retry.id]
    );
    assert_eq!(later[0].attempts, 2);
    let taken_over = s
        .claim_outbox(t0() + Duration::hours(1), t0() + Duration::minutes(30), 50)
        .await
        .unwrap();
    assert_eq!(
        taken_over.len(),
        19,
        "every unsent claim older than the limit"
    );
    s.outbox_failed(retry.id, "550 no such user", None, t0())
        .await
        .unwrap();
    let listed = s
        .list_outbox(w.ws.id, &PageRequest::first(200))
        .await
        .unwrap();
    assert_eq!(
        listed
            .items
            .iter()
            .find(|m| m.id == retry.id)
            .unwrap()
            .status,
        OutboxStatus::Failed
    );
    assert!(s
        .list_outbox(w.foreign.id, &PageRequest::default())
        .await
        .unwrap()
        .items
        .is_empty());
}

/// A workspace with a portal, published ideas, votes, comments, subscriptions and mail.
pub async fn fill_portal(s: &dyn Store) {
    let w = world(s, "portail").await;
    enable(s, &w).await;
    let a = published(s, &w, "Paiement en trois fois").await;
    let b = published(s, &w, "Reçus par e-mail").await;
    let u = signed_in(s, &w, "lea@example.org").await;
    let v = signed_in(s, &w, "max@example.org").await;
    s.vote(vote(&w, a.idea_id, &u, t0())).await.unwrap();
    s.vote(vote(&w, a.idea_id, &v, t0() - Duration::days(3)))
        .await
        .unwrap();
    s.vote(vote(&w, b.idea_id, &v, t0())).await.unwrap();
    let c = s
        .add_portal_comment(NewPortalComment {
            id: CommentId::new(),
            workspace_id: w.ws.id,
            idea_id: a.idea_id,
            author: CommentAuthor::User(u.id),
            body: "Oui !".into(),
            now: t0(),
        })
        .await
        .unwrap();
    s.set_comment_hidden(w.ws.id, c.id, true, w.pm.id, t0())
        .await
        .unwrap();
    s.add_portal_comment(NewPortalComment {
        id: CommentId::new(),
        workspace_id: w.ws.id,
        idea_id: a.idea_id,
        author: CommentAuthor::Member(w.pm.id),
        body: "Prévu au printemps".into(),
        now: t0(),
    })
    .await
    .unwrap();
}

pub async fn portal_moves_to_a_fresh_database_exactly(from: &dyn Store, to: &dyn Store) {
    fill_portal(from).await;
    let dump = from.dump().await.unwrap();
    let p = &dump.portal;
    assert_eq!(
        (
            p.portals.len(),
            p.portal_ideas.len(),
            p.portal_users.len(),
            p.portal_votes.len(),
            p.portal_comments.len(),
            p.portal_subscriptions.len(),
            p.outbox.len(),
        ),
        (1, 2, 2, 3, 2, 3, 2)
    );
    let text = serde_json::to_string(&dump).unwrap();
    let back: Dump = serde_json::from_str(&text).unwrap();
    to.load(&back).await.unwrap();
    assert_eq!(to.dump().await.unwrap().checksums(), dump.checksums());
    // What end users see is the same on the other side.
    let found = to.find_public_portal("portail", "CHK").await.unwrap();
    let list = to
        .list_portal_ideas(
            found.workspace.id,
            found.product.id,
            &PortalIdeaFilter {
                sort: PortalSort::Top,
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        list.items
            .iter()
            .map(|i| (i.title.as_str(), i.vote_count, i.comment_count))
            .collect::<Vec<_>>(),
        vec![("Paiement en trois fois", 2, 1), ("Reçus par e-mail", 1, 0)]
    );
}
