//! Conformance checks of the decisions contract: the decision log (immutable, filtered,
//! searched, checked references), the job queue (exactly-once claims, leases, retries) and
//! members' notifications (one per key), and moving them between databases.

use super::{new_member, new_product, new_workspace, t0};
use crate::*;
use chrono::{Duration, NaiveDate};
use phare_domain::*;

struct World {
    ws: Workspace,
    pm: Member,
    viewer: Member,
    product: Product,
    other_product: Product,
    foreign: Workspace,
    foreign_member: Member,
}

async fn world(s: &dyn Store) -> World {
    let ws = s.create_workspace(new_workspace("decide")).await.unwrap();
    let pm = s
        .create_member(new_member(ws.id, "pm@decide.test", Role::ProductManager))
        .await
        .unwrap();
    let viewer = s
        .create_member(new_member(ws.id, "cfo@decide.test", Role::Viewer))
        .await
        .unwrap();
    let product = s.create_product(new_product(ws.id, "CHK")).await.unwrap();
    let other_product = s.create_product(new_product(ws.id, "PAY")).await.unwrap();
    let foreign = s.create_workspace(new_workspace("other")).await.unwrap();
    let foreign_member = s
        .create_member(new_member(foreign.id, "x@other.test", Role::Admin))
        .await
        .unwrap();
    World {
        ws,
        pm,
        viewer,
        product,
        other_product,
        foreign,
        foreign_member,
    }
}

async fn idea(s: &dyn Store, w: &World, product: ProductId, title: &str) -> Idea {
    s.create_idea(NewIdea {
        id: IdeaId::new(),
        workspace_id: w.ws.id,
        product_id: product,
        text: IdeaText {
            title: title.into(),
            as_a: "comptable".into(),
            i_want: title.to_lowercase(),
            so_that: "gagner du temps".into(),
            description: String::new(),
            ..Default::default()
        },
        status: IdeaStatus::UnderConsideration,
        owner_id: Some(w.pm.id),
        tags: Vec::new(),
        created_by: Some(w.pm.id),
        evidence: None,
        external: None,
        now: t0(),
    })
    .await
    .unwrap()
}

async fn evidence(s: &dyn Store, w: &World, idea: IdeaId) -> Evidence {
    let fb = s
        .create_feedback(NewFeedback {
            id: FeedbackId::new(),
            workspace_id: w.ws.id,
            product_id: Some(w.product.id),
            text: "Les exports prennent une heure chaque lundi".into(),
            source: SourceKind::Support,
            customer: None,
            contact: None,
            author_id: Some(w.pm.id),
            observed_at: t0(),
            tags: Vec::new(),
            external: None,
            now: t0(),
        })
        .await
        .unwrap();
    s.add_evidence(NewEvidence {
        id: EvidenceId::new(),
        workspace_id: w.ws.id,
        idea_id: idea,
        feedback_id: fb.id,
        excerpt: None,
        importance: Importance::Critical,
        created_by: Some(w.pm.id),
        now: t0(),
    })
    .await
    .unwrap()
}

fn decision(w: &World, kind: DecisionKind, ideas: &[IdeaId], rationale: &str) -> NewDecision {
    NewDecision {
        id: DecisionId::new(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        kind,
        text: DecisionText {
            rationale: rationale.into(),
            public_rationale: String::new(),
            condition: String::new(),
            until: None,
        },
        into: None,
        ideas: ideas.to_vec(),
        links: Vec::new(),
        decided_by: Some(w.pm.id),
        consulted: Vec::new(),
        now: t0(),
    }
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

fn accept(w: &World, ideas: &[&Idea]) -> (NewDecision, DecisionEffect) {
    let ids: Vec<IdeaId> = ideas.iter().map(|i| i.id).collect();
    (
        decision(w, DecisionKind::Accept, &ids, "Customers keep asking"),
        DecisionEffect::Status(StatusChange {
            workspace_id: w.ws.id,
            product_id: w.product.id,
            ideas: ideas.iter().map(|i| (i.id, i.version)).collect(),
            status: IdeaStatus::Planned,
            actor: Some(w.pm.id),
            now: t0(),
        }),
    )
}

fn merge_into(w: &World, ideas: &[&Idea], kept: &Idea) -> (NewDecision, DecisionEffect) {
    let ids: Vec<IdeaId> = ideas.iter().map(|i| i.id).collect();
    let mut d = decision(w, DecisionKind::Merge, &ids, "Same need");
    d.into = Some(kept.id);
    let merges = ideas
        .iter()
        .map(|i| IdeaMerge {
            id: uuid::Uuid::now_v7(),
            workspace_id: w.ws.id,
            from_idea_id: i.id,
            into_idea_id: kept.id,
            actor_id: Some(w.pm.id),
            reason: "Same need".into(),
            at: t0(),
        })
        .collect();
    (d, DecisionEffect::Merge(merges))
}

pub async fn a_decision_and_its_changes_are_stored_together_or_not_at_all(s: &dyn Store) {
    let w = world(s).await;
    let a = idea(s, &w, w.product.id, "Export comptable").await;
    let b = idea(s, &w, w.product.id, "Export mensuel").await;
    let kept = idea(s, &w, w.product.id, "Exports").await;
    let ev = evidence(s, &w, a.id).await;
    let a = s.get_idea(w.ws.id, a.id).await.unwrap();
    let nothing_decided =
        |id: IdeaId| async move { s.list_idea_decisions(w.ws.id, id).await.unwrap().is_empty() };

    // Accepting two ideas when the second was edited since it was read: neither the decision
    // nor the first idea's new status is stored.
    let b_now = s
        .update_idea(
            w.ws.id,
            b.id,
            b.version,
            IdeaPatch {
                description: Some("Edited meanwhile".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (d, effect) = accept(&w, &[&a, &b]);
    assert!(matches!(
        s.carry_out_decision(d.clone(), effect).await,
        Err(StoreError::VersionConflict)
    ));
    assert!(matches!(
        s.get_decision(w.ws.id, d.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.get_idea(w.ws.id, a.id).await.unwrap(), a);
    assert!(status_history(s, &w, a.id).await.is_empty());
    assert!(nothing_decided(a.id).await);

    // A reference that fails at write time (a member of another workspace consulted) also
    // takes the status changes back.
    let (mut d, effect) = accept(&w, &[&a, &b_now]);
    d.consulted = vec![w.foreign_member.id];
    assert!(matches!(
        s.carry_out_decision(d, effect).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.get_idea(w.ws.id, a.id).await.unwrap(), a);
    assert_eq!(s.get_idea(w.ws.id, b.id).await.unwrap(), b_now);

    // Merging two ideas when the second was merged elsewhere meanwhile: the first keeps its
    // evidence and its status, and no decision is stored.
    let elsewhere = idea(s, &w, w.product.id, "Exports again").await;
    s.merge_ideas(IdeaMerge {
        id: uuid::Uuid::now_v7(),
        workspace_id: w.ws.id,
        from_idea_id: b.id,
        into_idea_id: elsewhere.id,
        actor_id: Some(w.pm.id),
        reason: "Duplicate".into(),
        at: t0(),
    })
    .await
    .unwrap();
    let (d, effect) = merge_into(&w, &[&a, &b_now], &kept);
    assert!(matches!(
        s.carry_out_decision(d.clone(), effect).await,
        Err(StoreError::VersionConflict)
    ));
    assert!(matches!(
        s.get_decision(w.ws.id, d.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.get_idea(w.ws.id, a.id).await.unwrap(), a);
    assert_eq!(s.get_idea(w.ws.id, kept.id).await.unwrap(), kept);
    assert!(s
        .list_merges_into(w.ws.id, kept.id)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        s.list_idea_evidence(w.ws.id, a.id).await.unwrap()[0]
            .evidence
            .id,
        ev.id
    );
    assert!(nothing_decided(kept.id).await);

    // When every part holds, all of it is stored at once.
    let c = idea(s, &w, w.product.id, "Export annuel").await;
    let (d, effect) = accept(&w, &[&a, &c]);
    let (accepted, changed) = s.carry_out_decision(d, effect).await.unwrap();
    assert_eq!(
        changed.iter().map(|i| (i.id, i.status)).collect::<Vec<_>>(),
        vec![(a.id, IdeaStatus::Planned), (c.id, IdeaStatus::Planned)]
    );
    assert_eq!(
        s.get_decision(w.ws.id, accepted.id).await.unwrap(),
        accepted
    );
    for id in [a.id, c.id] {
        assert_eq!(
            status_history(s, &w, id).await,
            vec![("under_consideration".to_owned(), "planned".to_owned())]
        );
    }
    let a_now = s.get_idea(w.ws.id, a.id).await.unwrap();
    let c_now = s.get_idea(w.ws.id, c.id).await.unwrap();
    let (d, effect) = merge_into(&w, &[&a_now, &c_now], &kept);
    let (merge, merged) = s.carry_out_decision(d, effect).await.unwrap();
    assert_eq!(merge.into.as_ref().map(|i| i.idea_id), Some(kept.id));
    assert!(merged.iter().all(|i| i.status == IdeaStatus::Merged));
    assert_eq!(s.list_merges_into(w.ws.id, kept.id).await.unwrap().len(), 2);
    assert_eq!(
        s.list_idea_evidence(w.ws.id, kept.id).await.unwrap()[0]
            .evidence
            .feedback_id,
        ev.feedback_id
    );
    // A deferral until a date is recorded with the job that brings the ideas back, or
    // neither is.
    let e = idea(s, &w, w.product.id, "Export trimestriel").await;
    let mut refused = decision(&w, DecisionKind::Defer, &[e.id], "Later");
    refused.consulted = vec![w.foreign_member.id];
    let job = new_job(t0() + Duration::days(30));
    assert!(matches!(
        s.carry_out_decision(refused, DecisionEffect::Schedule(job.clone()))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(s.get_job(job.id).await, Err(StoreError::NotFound)));
    assert!(nothing_decided(e.id).await);
    let (deferred, none) = s
        .carry_out_decision(
            decision(&w, DecisionKind::Defer, &[e.id], "Later"),
            DecisionEffect::Schedule(job.clone()),
        )
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(s.get_job(job.id).await.unwrap().state, JobState::Queued);
    assert_eq!(s.get_idea(w.ws.id, e.id).await.unwrap(), e);
    assert_eq!(
        s.list_idea_decisions(w.ws.id, e.id).await.unwrap(),
        vec![deferred]
    );
}

pub async fn decisions_are_recorded_listed_filtered_and_searched(s: &dyn Store) {
    let w = world(s).await;
    let a = idea(s, &w, w.product.id, "Export comptable").await;
    let b = idea(s, &w, w.product.id, "Export mensuel").await;
    let ev = evidence(s, &w, a.id).await;
    let session = uuid::Uuid::now_v7();

    let mut first = decision(
        &w,
        DecisionKind::Defer,
        &[a.id, b.id],
        "Les **exports** attendront la refonte de la facturation.",
    );
    first.text.until = NaiveDate::from_ymd_opt(2027, 3, 1);
    first.text.condition = "Once invoicing is rebuilt".into();
    first.text.public_rationale = "Nous y reviendrons en mars.".into();
    first.links = vec![
        DecisionLink {
            kind: DecisionLinkKind::Evidence,
            target_id: ev.id.0,
        },
        DecisionLink {
            kind: DecisionLinkKind::Session,
            target_id: session,
        },
    ];
    first.consulted = vec![w.viewer.id];
    let first = s.record_decision(first).await.unwrap();
    assert_eq!(first.kind, DecisionKind::Defer);
    assert_eq!(
        first.ideas.iter().map(|i| i.idea_id).collect::<Vec<_>>(),
        vec![a.id, b.id]
    );
    assert_eq!(first.ideas[0].reference, a.reference);
    assert_eq!(first.ideas[1].title, "Export mensuel");
    assert_eq!(first.until, NaiveDate::from_ymd_opt(2027, 3, 1));
    assert_eq!(first.links.len(), 2);
    assert_eq!(first.links[1].kind, DecisionLinkKind::Session);
    assert_eq!(first.consulted, vec![w.viewer.id]);
    assert_eq!(s.get_decision(w.ws.id, first.id).await.unwrap(), first);
    // Another workspace does not see it.
    assert!(matches!(
        s.get_decision(w.foreign.id, first.id).await,
        Err(StoreError::NotFound)
    ));

    // A later decision supersedes the first and links to it.
    let mut later = decision(&w, DecisionKind::Accept, &[a.id], "Customers kept asking");
    later.now = t0() + Duration::days(3);
    later.links = vec![DecisionLink {
        kind: DecisionLinkKind::Decision,
        target_id: first.id.0,
    }];
    let later = s.record_decision(later).await.unwrap();
    let mut kept = decision(
        &w,
        DecisionKind::Merge,
        &[b.id],
        "Same need as the accounting export",
    );
    kept.into = Some(a.id);
    kept.decided_by = Some(w.viewer.id);
    kept.now = t0() + Duration::days(5);
    let merged = s.record_decision(kept).await.unwrap();
    assert_eq!(merged.into.as_ref().unwrap().reference, a.reference);

    let all = |f: DecisionFilter| async move {
        s.list_decisions(w.ws.id, w.product.id, &f, &PageRequest::first(50))
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|d| d.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        all(DecisionFilter::default()).await,
        vec![merged.id, later.id, first.id],
        "newest first"
    );
    let by_kind = DecisionFilter {
        kind: Some(DecisionKind::Accept),
        ..Default::default()
    };
    assert_eq!(all(by_kind).await, vec![later.id]);
    let in_range = DecisionFilter {
        from: Some(t0() + Duration::days(1)),
        before: Some(t0() + Duration::days(4)),
        ..Default::default()
    };
    assert_eq!(all(in_range).await, vec![later.id]);
    let by_member = DecisionFilter {
        decided_by: Some(w.viewer.id),
        ..Default::default()
    };
    assert_eq!(all(by_member).await, vec![merged.id]);
    let superseding = DecisionFilter {
        links_to: Some(first.id.0),
        ..Default::default()
    };
    assert_eq!(all(superseding).await, vec![later.id]);
    // The search finds stemmed words of the rationale, the public part and the condition.
    let search = |q: &str| DecisionFilter {
        terms: text::query_terms(q),
        ..Default::default()
    };
    assert_eq!(all(search("facturations")).await, vec![first.id]);
    assert_eq!(all(search("rebuilt invoicing")).await, vec![first.id]);
    assert_eq!(all(search("mars")).await, vec![first.id]);
    assert_eq!(all(search("asked customers")).await, vec![later.id]);
    assert!(all(search("roadmap")).await.is_empty());
    // The other product has none; pages follow the cursor.
    assert!(s
        .list_decisions(
            w.ws.id,
            w.other_product.id,
            &DecisionFilter::default(),
            &PageRequest::first(50)
        )
        .await
        .unwrap()
        .items
        .is_empty());
    let p1 = s
        .list_decisions(
            w.ws.id,
            w.product.id,
            &DecisionFilter::default(),
            &PageRequest::first(2),
        )
        .await
        .unwrap();
    assert_eq!(p1.items.len(), 2);
    let p2 = s
        .list_decisions(
            w.ws.id,
            w.product.id,
            &DecisionFilter::default(),
            &PageRequest::new(p1.next_cursor.clone(), Some(2)),
        )
        .await
        .unwrap();
    assert_eq!(
        p2.items.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![first.id]
    );
    assert!(p2.next_cursor.is_none());

    // Per idea: covering it or keeping it in a merge.
    let of_a: Vec<_> = s
        .list_idea_decisions(w.ws.id, a.id)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(of_a, vec![merged.id, later.id, first.id]);
    let of_b: Vec<_> = s
        .list_idea_decisions(w.ws.id, b.id)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(of_b, vec![merged.id, first.id]);
    assert!(s
        .list_idea_decisions(w.foreign.id, a.id)
        .await
        .unwrap()
        .is_empty());
}

pub async fn decision_references_are_checked_and_nothing_is_stored_on_a_missing_one(s: &dyn Store) {
    let w = world(s).await;
    let a = idea(s, &w, w.product.id, "Export comptable").await;
    let elsewhere = idea(s, &w, w.other_product.id, "Paiement").await;
    let ev = evidence(s, &w, a.id).await;
    let refs = DecisionRefs {
        evidence: vec![ev.id, EvidenceId::new()],
        decisions: vec![DecisionId::new()],
        members: vec![w.pm.id, w.foreign_member.id],
    };
    assert_eq!(
        s.missing_decision_refs(w.ws.id, &refs).await.unwrap(),
        vec!["evidence_ids", "decision_ids", "consulted"]
    );
    let good = DecisionRefs {
        evidence: vec![ev.id],
        decisions: Vec::new(),
        members: vec![w.viewer.id],
    };
    assert!(s
        .missing_decision_refs(w.ws.id, &good)
        .await
        .unwrap()
        .is_empty());

    let mut bad = Vec::new();
    let mut d = decision(&w, DecisionKind::Accept, &[a.id], "ok");
    d.links = vec![DecisionLink {
        kind: DecisionLinkKind::Evidence,
        target_id: uuid::Uuid::now_v7(),
    }];
    bad.push(d);
    let mut d = decision(&w, DecisionKind::Accept, &[a.id], "ok");
    d.consulted = vec![w.foreign_member.id];
    bad.push(d);
    bad.push(decision(
        &w,
        DecisionKind::Accept,
        &[elsewhere.id],
        "other product",
    ));
    let mut d = decision(&w, DecisionKind::Merge, &[a.id], "into another product");
    d.into = Some(elsewhere.id);
    bad.push(d);
    let mut d = decision(&w, DecisionKind::Accept, &[a.id], "wrong workspace");
    d.workspace_id = w.foreign.id;
    bad.push(d);
    for d in bad {
        let what = d.text.rationale.clone();
        assert!(
            matches!(s.record_decision(d).await, Err(StoreError::NotFound)),
            "{what}"
        );
    }
    assert!(s.dump().await.unwrap().decisions.decisions.is_empty());
    assert!(s
        .list_decisions(
            w.ws.id,
            w.product.id,
            &DecisionFilter {
                terms: text::query_terms("workspace"),
                ..Default::default()
            },
            &PageRequest::first(10)
        )
        .await
        .unwrap()
        .items
        .is_empty());
}

fn new_job(run_at: Timestamp) -> NewJob {
    NewJob {
        id: JobId::new(),
        workspace_id: None,
        kind: JobKind::DeferredIdeaReturns,
        payload: serde_json::json!({ "decision_id": uuid::Uuid::now_v7() }),
        run_at,
        now: t0(),
    }
}

pub async fn jobs_are_claimed_when_due_leased_completed_and_retried(s: &dyn Store) {
    let t = t0();
    let due = s.enqueue_job(new_job(t)).await.unwrap();
    let later = s
        .enqueue_job(new_job(t + Duration::days(30)))
        .await
        .unwrap();
    assert_eq!(due.state, JobState::Queued);
    assert_eq!(due.attempts, 0);

    let lease = t + Duration::minutes(5);
    let got = s.claim_jobs("a", t, lease, 10).await.unwrap();
    assert_eq!(got.iter().map(|j| j.id).collect::<Vec<_>>(), vec![due.id]);
    assert_eq!(got[0].state, JobState::Running);
    assert_eq!(got[0].claimed_by.as_deref(), Some("a"));
    assert_eq!(got[0].lease_until, Some(lease));
    assert_eq!(got[0].attempts, 1);
    // Held: nobody else gets it before the lease ends.
    assert!(s.claim_jobs("b", t, lease, 10).await.unwrap().is_empty());
    // The lease ran out (instance "a" died): "b" takes it; "a" can no longer finish it.
    let after = lease + Duration::seconds(1);
    let again = s
        .claim_jobs("b", after, after + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(again.iter().map(|j| j.id).collect::<Vec<_>>(), vec![due.id]);
    assert_eq!(again[0].attempts, 2);
    assert!(!s.complete_job(due.id, "a", after).await.unwrap());
    assert!(!s.fail_job(due.id, "a", "late", None).await.unwrap());
    // A failure with a retry queues it again for that time.
    let retry = after + Duration::minutes(1);
    assert!(s
        .fail_job(due.id, "b", "smtp down", Some(retry))
        .await
        .unwrap());
    let j = s.get_job(due.id).await.unwrap();
    assert_eq!(
        (j.state, j.run_at, j.last_error.as_deref()),
        (JobState::Queued, retry, Some("smtp down"))
    );
    assert!(s
        .claim_jobs("b", after, retry, 10)
        .await
        .unwrap()
        .is_empty());
    let third = s
        .claim_jobs("b", retry, retry + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(third.len(), 1);
    assert!(s.complete_job(due.id, "b", retry).await.unwrap());
    let j = s.get_job(due.id).await.unwrap();
    assert_eq!(
        (j.state, j.done_at, j.attempts),
        (JobState::Done, Some(retry), 3)
    );
    assert!(
        !s.complete_job(due.id, "b", retry).await.unwrap(),
        "done once"
    );
    // Done jobs are never claimed again; the later one waits for its date.
    let far = t + Duration::days(30);
    let last = s
        .claim_jobs("c", far, far + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(
        last.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![later.id]
    );
    assert!(s.fail_job(later.id, "c", "gave up", None).await.unwrap());
    assert_eq!(s.get_job(later.id).await.unwrap().state, JobState::Failed);
    assert!(s
        .claim_jobs("c", far + Duration::days(1), far + Duration::days(2), 10)
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        s.get_job(JobId::new()).await,
        Err(StoreError::NotFound)
    ));
}

/// Two claimers race for `N` due jobs, each taking small batches until none is left: every job
/// is claimed exactly once. On PostgreSQL the backends run this with two stores (two pools) on
/// one database, as two instances would; on SQLite with one store shared by two claimers.
pub async fn jobs_race(a: &dyn Store, b: &dyn Store) {
    const N: usize = 60;
    let t = t0();
    let mut ids = Vec::new();
    for _ in 0..N {
        ids.push(a.enqueue_job(new_job(t)).await.unwrap().id);
    }
    async fn drain(s: &dyn Store, owner: &str) -> Vec<JobId> {
        let t = t0();
        let mut got = Vec::new();
        let mut empty = 0;
        while empty < 3 {
            let batch = s
                .claim_jobs(owner, t, t + Duration::minutes(5), 4)
                .await
                .unwrap();
            if batch.is_empty() {
                empty += 1;
            }
            got.extend(batch.into_iter().map(|j| j.id));
            tokio::task::yield_now().await;
        }
        got
    }
    let (x, y) = tokio::join!(drain(a, "instance-a"), drain(b, "instance-b"));
    let mut all: Vec<JobId> = x.iter().chain(y.iter()).copied().collect();
    all.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(all, expected, "every job claimed exactly once");
    for id in &x {
        assert_eq!(
            a.get_job(*id).await.unwrap().claimed_by.as_deref(),
            Some("instance-a")
        );
    }
    assert!(!x.is_empty() || !y.is_empty());
}

pub async fn jobs_are_claimed_once_by_two_racing_claimers(s: &dyn Store) {
    jobs_race(s, s).await;
}

pub async fn notifications_are_kept_once_per_key_listed_and_read(s: &dyn Store) {
    let w = world(s).await;
    let note = |key: &str, at: Timestamp| NewNotification {
        id: NotificationId::new(),
        workspace_id: w.ws.id,
        member_id: w.pm.id,
        kind: NotificationKind::DeferredIdeaReturned,
        payload: serde_json::json!({ "title": key }),
        dedupe_key: key.into(),
        now: at,
    };
    assert!(s.create_notification(note("job-1", t0())).await.unwrap());
    assert!(
        !s.create_notification(note("job-1", t0())).await.unwrap(),
        "same key"
    );
    assert!(s
        .create_notification(note("job-2", t0() + Duration::seconds(1)))
        .await
        .unwrap());
    let mut foreign = note("job-3", t0());
    foreign.member_id = w.foreign_member.id;
    assert!(matches!(
        s.create_notification(foreign).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.count_unread_notifications(w.ws.id, w.pm.id)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        s.count_unread_notifications(w.ws.id, w.viewer.id)
            .await
            .unwrap(),
        0
    );
    let page = s
        .list_notifications(w.ws.id, w.pm.id, false, &PageRequest::first(1))
        .await
        .unwrap();
    assert_eq!(page.items[0].dedupe_key, "job-2", "newest first");
    let rest = s
        .list_notifications(
            w.ws.id,
            w.pm.id,
            false,
            &PageRequest::new(page.next_cursor.clone(), Some(1)),
        )
        .await
        .unwrap();
    assert_eq!(rest.items[0].dedupe_key, "job-1");
    let first = rest.items[0].id;
    // Another member cannot mark it; its owner can, once.
    assert!(matches!(
        s.mark_notifications_read(w.ws.id, w.viewer.id, Some(first), t0())
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.mark_notifications_read(w.ws.id, w.pm.id, Some(first), t0())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        s.mark_notifications_read(w.ws.id, w.pm.id, Some(first), t0())
            .await
            .unwrap(),
        0
    );
    let unread = s
        .list_notifications(w.ws.id, w.pm.id, true, &PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(unread.items.len(), 1);
    assert_eq!(
        s.mark_notifications_read(w.ws.id, w.pm.id, None, t0())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        s.count_unread_notifications(w.ws.id, w.pm.id)
            .await
            .unwrap(),
        0
    );
    let all = s
        .list_notifications(w.ws.id, w.pm.id, false, &PageRequest::first(10))
        .await
        .unwrap();
    assert!(all.items.iter().all(|n| n.read_at == Some(t0())));
}

pub async fn decisions_move_to_a_fresh_database_exactly(from: &dyn Store, to: &dyn Store) {
    super::fill(from).await;
    let w = world(from).await;
    let a = idea(from, &w, w.product.id, "Export comptable").await;
    let b = idea(from, &w, w.product.id, "Export mensuel").await;
    let ev = evidence(from, &w, a.id).await;
    let mut first = decision(&w, DecisionKind::Defer, &[a.id], "Après la refonte");
    first.text.until = NaiveDate::from_ymd_opt(2027, 3, 1);
    first.links = vec![DecisionLink {
        kind: DecisionLinkKind::Evidence,
        target_id: ev.id.0,
    }];
    first.consulted = vec![w.viewer.id];
    let first = from.record_decision(first).await.unwrap();
    let mut merge = decision(&w, DecisionKind::Merge, &[b.id], "Même besoin");
    merge.into = Some(a.id);
    merge.links = vec![DecisionLink {
        kind: DecisionLinkKind::Decision,
        target_id: first.id.0,
    }];
    from.record_decision(merge).await.unwrap();
    let job = from.enqueue_job(new_job(t0())).await.unwrap();
    from.claim_jobs("a", t0(), t0() + Duration::minutes(5), 1)
        .await
        .unwrap();
    from.enqueue_job(new_job(t0() + Duration::days(1)))
        .await
        .unwrap();
    from.create_notification(NewNotification {
        id: NotificationId::new(),
        workspace_id: w.ws.id,
        member_id: w.pm.id,
        kind: NotificationKind::DeferredIdeaReturned,
        payload: serde_json::json!({ "job": job.id }),
        dedupe_key: job.id.to_string(),
        now: t0(),
    })
    .await
    .unwrap();
    let dump = from.dump().await.unwrap();
    let d = &dump.decisions;
    assert_eq!(
        (d.decisions.len(), d.jobs.len(), d.notifications.len()),
        (2, 2, 1)
    );
    let text = serde_json::to_string(&dump).unwrap();
    let back: Dump = serde_json::from_str(&text).unwrap();
    to.load(&back).await.unwrap();
    assert_eq!(to.dump().await.unwrap().checksums(), dump.checksums());
    // The search entry is rebuilt on load.
    let found = to
        .list_decisions(
            w.ws.id,
            w.product.id,
            &DecisionFilter {
                terms: text::query_terms("refonte"),
                ..Default::default()
            },
            &PageRequest::first(10),
        )
        .await
        .unwrap();
    assert_eq!(
        found.items.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![first.id]
    );
}
