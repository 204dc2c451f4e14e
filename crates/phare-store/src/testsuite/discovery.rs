//! Conformance checks of the discovery contract: feedback, customers, ideas, evidence, merges,
//! search, and moving it all between databases.

use super::{new_member, new_product, new_workspace, t0};
use crate::*;
use chrono::Duration;
use phare_domain::*;

struct World {
    ws: Workspace,
    pm: Member,
    product: Product,
    other_product: Product,
    /// A second workspace, to prove isolation.
    foreign: Workspace,
    foreign_product: Product,
}

async fn world(s: &dyn Store) -> World {
    let ws = s.create_workspace(new_workspace("disco")).await.unwrap();
    let pm = s
        .create_member(new_member(ws.id, "pm@disco.test", Role::ProductManager))
        .await
        .unwrap();
    let product = s.create_product(new_product(ws.id, "CHK")).await.unwrap();
    let other_product = s.create_product(new_product(ws.id, "PAY")).await.unwrap();
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
        product,
        other_product,
        foreign,
        foreign_product,
    }
}

fn customer(name: &str, segment: Option<&str>, weight: i64) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        kind: CustomerKind::Organisation,
        segment: segment.map(str::to_owned),
        weight,
    }
}

fn feedback(w: &World, text: &str, source: SourceKind) -> NewFeedback {
    NewFeedback {
        id: FeedbackId::new(),
        workspace_id: w.ws.id,
        product_id: Some(w.product.id),
        text: text.into(),
        source,
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
            as_a: "product manager".into(),
            i_want: title.to_lowercase(),
            so_that: "I save time".into(),
            description: String::new(),
            ..Default::default()
        },
        status: IdeaStatus::Draft,
        owner_id: None,
        tags: Vec::new(),
        created_by: Some(w.pm.id),
        evidence: None,
        external: None,
        now: t0(),
    }
}

fn link(w: &World, idea: IdeaId, fb: FeedbackId, importance: Importance) -> NewEvidence {
    NewEvidence {
        id: EvidenceId::new(),
        workspace_id: w.ws.id,
        idea_id: idea,
        feedback_id: fb,
        excerpt: None,
        importance,
        created_by: Some(w.pm.id),
        now: t0(),
    }
}

pub async fn feedback_is_listed_newest_first_filtered_and_counted(s: &dyn Store) {
    let w = world(s).await;
    let mut a = feedback(&w, "Support says exports are slow", SourceKind::Support);
    a.customer = Some(customer("ACME", Some("enterprise"), 5));
    a.tags = vec!["export".into(), "performance".into()];
    let a = s.create_feedback(a).await.unwrap();
    let mut b = feedback(
        &w,
        "We brainstormed a dark mode",
        SourceKind::TeamBrainstorm,
    );
    b.observed_at = t0() - Duration::days(10);
    let b = s.create_feedback(b).await.unwrap();
    let mut c = feedback(&w, "Acme wants SSO", SourceKind::Sales);
    c.customer = Some(customer("Acme", None, 1));
    c.product_id = None;
    let c = s.create_feedback(c).await.unwrap();
    assert_eq!(a.origin, Origin::External);
    assert_eq!(b.origin, Origin::Internal);
    assert_eq!(a.state, FeedbackState::New);
    assert_eq!(a.tags, vec!["export", "performance"]);
    assert_eq!(a.customer_name.as_deref(), Some("ACME"));
    assert_eq!(a.customer_weight, Some(5));
    // "Acme" is the customer "ACME" already known: names match case-insensitively.
    assert_eq!(c.customer_id, a.customer_id);

    let all = s
        .list_feedback(w.ws.id, &FeedbackFilter::default(), &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        all.items.iter().map(|f| f.id).collect::<Vec<_>>(),
        vec![c.id, b.id, a.id],
        "newest first"
    );
    let ids = |p: Page<Feedback>| p.items.iter().map(|f| f.id).collect::<Vec<_>>();
    let list = |f: FeedbackFilter| async move {
        ids(s
            .list_feedback(w.ws.id, &f, &PageRequest::default())
            .await
            .unwrap())
    };
    assert_eq!(
        list(FeedbackFilter {
            product: Some(Some(w.product.id)),
            source: Some(SourceKind::Support),
            state: Some(FeedbackState::New),
            ..Default::default()
        })
        .await,
        vec![a.id]
    );
    assert_eq!(
        list(FeedbackFilter {
            product: Some(None),
            ..Default::default()
        })
        .await,
        vec![c.id]
    );
    assert_eq!(
        list(FeedbackFilter {
            origin: Some(Origin::Internal),
            ..Default::default()
        })
        .await,
        vec![b.id]
    );
    assert_eq!(
        list(FeedbackFilter {
            customer: a.customer_id,
            ..Default::default()
        })
        .await,
        vec![c.id, a.id]
    );
    assert_eq!(
        list(FeedbackFilter {
            segment: Some("enterprise".into()),
            ..Default::default()
        })
        .await,
        vec![c.id, a.id]
    );
    assert_eq!(
        list(FeedbackFilter {
            tag: Some("export".into()),
            ..Default::default()
        })
        .await,
        vec![a.id]
    );
    assert_eq!(
        list(FeedbackFilter {
            observed_before: Some(t0() - Duration::days(1)),
            ..Default::default()
        })
        .await,
        vec![b.id]
    );
    assert_eq!(
        list(FeedbackFilter {
            observed_from: Some(t0()),
            has_evidence: Some(false),
            ..Default::default()
        })
        .await,
        vec![c.id, a.id]
    );
    // Pages follow the cursor.
    let first = s
        .list_feedback(w.ws.id, &FeedbackFilter::default(), &PageRequest::first(2))
        .await
        .unwrap();
    assert_eq!(first.items.len(), 2);
    let next = s
        .list_feedback(
            w.ws.id,
            &FeedbackFilter::default(),
            &PageRequest::new(first.next_cursor.clone(), Some(2)),
        )
        .await
        .unwrap();
    assert_eq!(ids(next.clone()), vec![a.id]);
    assert!(next.next_cursor.is_none());
    let forged = PageRequest::new(Some(Cursor("not-an-id".into())), None);
    assert!(s
        .list_feedback(w.ws.id, &FeedbackFilter::default(), &forged)
        .await
        .unwrap()
        .items
        .is_empty());

    let counts = s
        .count_feedback(w.ws.id, &FeedbackFilter::default())
        .await
        .unwrap();
    assert_eq!(
        counts,
        FeedbackCounts {
            new: 3,
            processed: 0,
            archived: 0
        }
    );
    // Another workspace sees none of it.
    assert!(matches!(
        s.get_feedback(w.foreign.id, a.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(s
        .list_feedback(
            w.foreign.id,
            &FeedbackFilter::default(),
            &PageRequest::default()
        )
        .await
        .unwrap()
        .items
        .is_empty());
    // A product of another workspace cannot be named.
    let mut stray = feedback(&w, "stray", SourceKind::Other);
    stray.product_id = Some(w.foreign_product.id);
    assert!(matches!(
        s.create_feedback(stray).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn feedback_updates_check_versions_and_bulk_changes_are_all_or_nothing(s: &dyn Store) {
    let w = world(s).await;
    let a = s
        .create_feedback(feedback(&w, "first", SourceKind::Support))
        .await
        .unwrap();
    let b = s
        .create_feedback(feedback(&w, "second", SourceKind::Interview))
        .await
        .unwrap();
    let patch = FeedbackPatch {
        text: Some("first, reworded".into()),
        state: Some(FeedbackState::Processed),
        assignee_id: Some(Some(w.pm.id)),
        tags: Some(vec!["triage".into()]),
        customer: Some(Some(customer("Globex", Some("smb"), 2))),
        now: Some(t0() + Duration::minutes(1)),
        ..Default::default()
    };
    let a2 = s
        .update_feedback(w.ws.id, a.id, a.version, patch.clone())
        .await
        .unwrap();
    assert_eq!(a2.version, a.version + 1);
    assert_eq!(a2.text, "first, reworded");
    assert_eq!(a2.state, FeedbackState::Processed);
    assert_eq!(a2.assignee_id, Some(w.pm.id));
    assert_eq!(a2.tags, vec!["triage"]);
    assert_eq!(a2.customer_name.as_deref(), Some("Globex"));
    assert!(matches!(
        s.update_feedback(w.ws.id, a.id, a.version, patch).await,
        Err(StoreError::VersionConflict)
    ));
    // One foreign id spoils the whole bulk change.
    let foreign = s
        .create_feedback(NewFeedback {
            workspace_id: w.foreign.id,
            product_id: None,
            author_id: None,
            ..feedback(&w, "theirs", SourceKind::Other)
        })
        .await
        .unwrap();
    let archive = FeedbackBulk {
        state: Some(FeedbackState::Archived),
        now: Some(t0()),
        ..Default::default()
    };
    assert!(matches!(
        s.bulk_update_feedback(w.ws.id, &[b.id, foreign.id], archive.clone())
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.get_feedback(w.ws.id, b.id).await.unwrap().state,
        FeedbackState::New
    );
    assert_eq!(
        s.bulk_update_feedback(w.ws.id, &[a.id, b.id], archive)
            .await
            .unwrap(),
        2
    );
    let counts = s
        .count_feedback(
            w.ws.id,
            &FeedbackFilter {
                product: Some(Some(w.product.id)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(counts.archived, 2);
    // Delete checks the version and removes the item.
    let b2 = s.get_feedback(w.ws.id, b.id).await.unwrap();
    assert!(matches!(
        s.delete_feedback(w.ws.id, b.id, b2.version - 1).await,
        Err(StoreError::VersionConflict)
    ));
    s.delete_feedback(w.ws.id, b.id, b2.version).await.unwrap();
    assert!(matches!(
        s.get_feedback(w.ws.id, b.id).await,
        Err(StoreError::NotFound)
    ));
}

/// Compares the counts the store keeps (a filter of product, source and origin only) with a
/// count of the rows themselves (the same filter plus an always-true date bound, which the kept
/// counts cannot answer), for every product scope, source and origin.
async fn assert_counts_match_rows(s: &dyn Store, w: &World, stage: &str) {
    let products = [
        None,
        Some(None),
        Some(Some(w.product.id)),
        Some(Some(w.other_product.id)),
    ];
    let mut filters = Vec::new();
    for product in products {
        filters.push(FeedbackFilter {
            product,
            ..Default::default()
        });
        for source in [
            SourceKind::Support,
            SourceKind::Interview,
            SourceKind::Portal,
        ] {
            filters.push(FeedbackFilter {
                product,
                source: Some(source),
                ..Default::default()
            });
        }
        for origin in [Origin::Internal, Origin::External] {
            filters.push(FeedbackFilter {
                product,
                origin: Some(origin),
                // Counts ignore the state: the kept counts must too.
                state: Some(FeedbackState::New),
                ..Default::default()
            });
        }
    }
    for f in filters {
        assert!(f.counted_sources().is_some(), "{stage}: {f:?}");
        let kept = s.count_feedback(w.ws.id, &f).await.unwrap();
        let scanned = FeedbackFilter {
            observed_from: Some(t0() - Duration::days(365 * 100)),
            ..f.clone()
        };
        assert!(scanned.counted_sources().is_none());
        let rows = s.count_feedback(w.ws.id, &scanned).await.unwrap();
        assert_eq!(kept, rows, "{stage}: {f:?}");
    }
}

pub async fn inbox_counts_stay_exact_through_every_change(s: &dyn Store) {
    let w = world(s).await;
    let mut items = Vec::new();
    for (i, source) in [
        SourceKind::Support,
        SourceKind::Interview,
        SourceKind::Portal,
        SourceKind::Support,
        SourceKind::TeamBrainstorm,
    ]
    .into_iter()
    .enumerate()
    {
        let product = match i % 3 {
            0 => Some(w.product.id),
            1 => Some(w.other_product.id),
            _ => None,
        };
        items.push(
            s.create_feedback(NewFeedback {
                product_id: product,
                ..feedback(&w, &format!("item {i}"), source)
            })
            .await
            .unwrap(),
        );
    }
    // Another workspace's items never show in these counts.
    s.create_feedback(NewFeedback {
        workspace_id: w.foreign.id,
        product_id: Some(w.foreign_product.id),
        author_id: None,
        ..feedback(&w, "theirs", SourceKind::Support)
    })
    .await
    .unwrap();
    assert_counts_match_rows(s, &w, "created").await;
    let total = s
        .count_feedback(w.ws.id, &FeedbackFilter::default())
        .await
        .unwrap();
    assert_eq!(total.new, 5);

    // One item changes state, product and source at once.
    let a = &items[0];
    s.update_feedback(
        w.ws.id,
        a.id,
        a.version,
        FeedbackPatch {
            state: Some(FeedbackState::Processed),
            product_id: Some(Some(w.other_product.id)),
            source: Some(SourceKind::Interview),
            now: Some(t0()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_counts_match_rows(s, &w, "updated").await;

    // A bulk change moves several to no product and archives them.
    s.bulk_update_feedback(
        w.ws.id,
        &[items[1].id, items[3].id],
        FeedbackBulk {
            state: Some(FeedbackState::Archived),
            product_id: Some(None),
            now: Some(t0()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_counts_match_rows(s, &w, "bulk").await;

    // Linking evidence processes a new item; deleting removes it from the counts.
    let idea = s.create_idea(idea(&w, "Export to CSV")).await.unwrap();
    s.add_evidence(link(&w, idea.id, items[4].id, Importance::Important))
        .await
        .unwrap();
    assert_counts_match_rows(s, &w, "evidence").await;
    let b = s.get_feedback(w.ws.id, items[2].id).await.unwrap();
    s.delete_feedback(w.ws.id, b.id, b.version).await.unwrap();
    assert_counts_match_rows(s, &w, "deleted").await;

    // An import that creates and then updates (same external id, another state).
    let imported = |state_text: &str| NewFeedback {
        id: FeedbackId::new(),
        external: Some(("helpdesk".into(), "T-1".into())),
        ..feedback(&w, state_text, SourceKind::Support)
    };
    s.import_feedback(vec![imported("imported")]).await.unwrap();
    s.import_feedback(vec![imported("imported again")])
        .await
        .unwrap();
    assert_counts_match_rows(s, &w, "imported").await;
    let total = s
        .count_feedback(w.ws.id, &FeedbackFilter::default())
        .await
        .unwrap();
    assert_eq!(total.new + total.processed + total.archived, 5);
}

/// A dump loaded into an empty store keeps its inbox counts, items in every state included
/// (SQLite counts loaded items in the store, not by a trigger: its migration 0015). Takes the
/// store to fill and an empty one to load into.
pub async fn a_loaded_dump_keeps_the_inbox_counts(s: &dyn Store, empty: &dyn Store) {
    let w = world(s).await;
    let mut ids = Vec::new();
    for (text, source) in [
        ("Kept new", SourceKind::Support),
        ("Archived", SourceKind::Support),
        ("On no product", SourceKind::Interview),
    ] {
        ids.push(
            s.create_feedback(feedback(&w, text, source))
                .await
                .unwrap()
                .id,
        );
    }
    s.bulk_update_feedback(
        w.ws.id,
        &[ids[1]],
        FeedbackBulk {
            state: Some(FeedbackState::Archived),
            now: Some(t0()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    s.bulk_update_feedback(
        w.ws.id,
        &[ids[2]],
        FeedbackBulk {
            product_id: Some(None),
            now: Some(t0()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    empty.load(&s.dump().await.unwrap()).await.unwrap();
    for filter in [
        FeedbackFilter::default(),
        FeedbackFilter {
            product: Some(Some(w.product.id)),
            source: Some(SourceKind::Support),
            ..Default::default()
        },
        FeedbackFilter {
            product: Some(None),
            ..Default::default()
        },
    ] {
        assert_eq!(
            empty.count_feedback(w.ws.id, &filter).await.unwrap(),
            s.count_feedback(w.ws.id, &filter).await.unwrap(),
            "{filter:?}"
        );
    }
    assert_counts_match_rows(empty, &w, "loaded").await;
}

/// Items of the workspace still in state `new`.
async fn new_items(s: &dyn Store, w: &World) -> i64 {
    s.count_feedback(w.ws.id, &FeedbackFilter::default())
        .await
        .unwrap()
        .new
}

/// Items of a fed import, handed over from another thread the way a file reader does.
fn feed_from(
    chunks: Vec<Vec<NewFeedback>>,
    finish: bool,
) -> (crate::FeedbackFeed, std::thread::JoinHandle<()>) {
    let (sender, feed) = crate::feedback_feed(1);
    let reader = std::thread::spawn(move || {
        for chunk in chunks {
            if sender.send(chunk).is_err() {
                return;
            }
        }
        if finish {
            let _ = sender.finish();
        }
    });
    (feed, reader)
}

pub async fn fed_imports_commit_only_when_the_feed_completes(s: &dyn Store) {
    let w = world(s).await;
    let before = s
        .count_feedback(w.ws.id, &FeedbackFilter::default())
        .await
        .unwrap();
    let chunks = |tag: &str| {
        (0..3)
            .map(|c| {
                (0..1_500)
                    .map(|k| NewFeedback {
                        external: Some(("helpdesk".into(), format!("{tag}-{c}-{k}"))),
                        ..feedback(
                            &w,
                            &format!("Fed item {c}x{k} about receipts"),
                            SourceKind::Support,
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };

    // A reader that stops short (a bad row further on) leaves nothing, although the store
    // had written its first chunks.
    let (feed, reader) = feed_from(chunks("stopped"), false);
    assert!(s.import_feedback_feed(feed).await.is_err());
    reader.join().unwrap();
    assert_eq!(
        s.count_feedback(w.ws.id, &FeedbackFilter::default())
            .await
            .unwrap(),
        before
    );

    // A complete feed stores every item, found by search down to the last chunk's.
    let (feed, reader) = feed_from(chunks("done"), true);
    let counts = s.import_feedback_feed(feed).await.unwrap();
    reader.join().unwrap();
    assert_eq!(
        counts,
        ImportCounts {
            created: 4_500,
            updated: 0
        }
    );
    assert_eq!(new_items(s, &w).await, before.new + 4_500);
    let hits = s.search(w.ws.id, &query("2x1499")).await.unwrap();
    assert_eq!(hits.len(), 1, "the last chunk's items are found");

    // The same file again updates every item instead of duplicating it.
    let (feed, reader) = feed_from(chunks("done"), true);
    let counts = s.import_feedback_feed(feed).await.unwrap();
    reader.join().unwrap();
    assert_eq!(
        counts,
        ImportCounts {
            created: 0,
            updated: 4_500
        }
    );
    assert_counts_match_rows(s, &w, "fed").await;
}

pub async fn imports_update_instead_of_duplicating_and_are_all_or_nothing(s: &dyn Store) {
    let w = world(s).await;
    let mut first = feedback(&w, "Imported once", SourceKind::Support);
    first.external = Some(("canny".into(), "p-1".into()));
    let created = s.create_feedback(first.clone()).await.unwrap();
    let mut again = first.clone();
    again.id = FeedbackId::new();
    again.text = "Imported twice, text updated".into();
    let counts = s
        .import_feedback(vec![again, {
            let mut n = feedback(&w, "A new one", SourceKind::Support);
            n.external = Some(("canny".into(), "p-2".into()));
            n
        }])
        .await
        .unwrap();
    assert_eq!(
        counts,
        ImportCounts {
            created: 1,
            updated: 1
        }
    );
    let back = s.get_feedback(w.ws.id, created.id).await.unwrap();
    assert_eq!(back.text, "Imported twice, text updated");
    assert_eq!(back.external_id.as_deref(), Some("p-1"));

    // A batch with one bad row stores nothing.
    let before = s
        .count_feedback(w.ws.id, &FeedbackFilter::default())
        .await
        .unwrap();
    let mut bad = feedback(&w, "bad product", SourceKind::Support);
    bad.product_id = Some(w.foreign_product.id);
    assert!(s
        .import_feedback(vec![feedback(&w, "good", SourceKind::Support), bad])
        .await
        .is_err());
    assert_eq!(
        s.count_feedback(w.ws.id, &FeedbackFilter::default())
            .await
            .unwrap(),
        before
    );

    // A large import (stores may write it in chunks) is still one unit: a bad row at its end
    // leaves nothing of the rows before it; without it, every row is stored and found.
    let many = |n: usize| {
        (0..n)
            .map(|k| {
                feedback(
                    &w,
                    &format!("Bulk item {k} about invoices"),
                    SourceKind::Support,
                )
            })
            .collect::<Vec<_>>()
    };
    let mut batch = many(4_500);
    let mut bad = feedback(&w, "bad product, last", SourceKind::Support);
    bad.product_id = Some(w.foreign_product.id);
    batch.push(bad);
    assert!(s.import_feedback(batch).await.is_err());
    assert_eq!(
        s.count_feedback(w.ws.id, &FeedbackFilter::default())
            .await
            .unwrap(),
        before
    );
    let batch = many(4_500);
    let last = batch[4_499].id;
    let counts = s.import_feedback(batch).await.unwrap();
    assert_eq!(counts.created, 4_500);
    assert_eq!(new_items(s, &w).await, before.new + 4_500);
    let hits = s.search(w.ws.id, &query("4499")).await.unwrap();
    assert_eq!(
        hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![last.0],
        "the last chunk's items are found"
    );

    // Ideas re-import by external id too, and keep their number.
    let mut i = idea(&w, "Imported idea");
    i.external = Some(("jira".into(), "10001".into()));
    let one = s.create_idea(i.clone()).await.unwrap();
    i.id = IdeaId::new();
    i.text.title = "Imported idea, renamed".into();
    let counts = s.import_ideas(vec![i]).await.unwrap();
    assert_eq!(counts.updated, 1);
    let back = s.get_idea(w.ws.id, one.id).await.unwrap();
    assert_eq!(
        (back.number, back.title.as_str()),
        (1, "Imported idea, renamed")
    );
}

/// What a batch path could get wrong that one item at a time cannot: an external pair repeated
/// within the batch, one customer named in several cases, the tags and index entries of the
/// batch's rows, a link repeated within the batch, the state a link gives, a merged idea.
pub async fn batches_keep_the_rules_of_one_item(s: &dyn Store) {
    let w = world(s).await;
    let known = s
        .create_feedback(NewFeedback {
            customer: Some(customer("Mairie de Lyon", Some("public"), 3)),
            ..feedback(&w, "Known customer", SourceKind::Support)
        })
        .await
        .unwrap();
    let row = |text: &str, customer_name: &str, external: Option<&str>, tags: &[&str]| {
        let mut n = feedback(&w, text, SourceKind::Sales);
        n.customer = Some(customer(customer_name, None, 1));
        n.external = external.map(|e| ("zendesk".to_owned(), e.to_owned()));
        n.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        n
    };
    let batch = vec![
        row(
            "Première version du ticket",
            "Préfecture du Rhône",
            Some("t-1"),
            &["export"],
        ),
        row(
            "Another ticket about calendars",
            "PRÉFECTURE DU RHÔNE",
            Some("t-2"),
            &[],
        ),
        row(
            "Ticket from the city",
            "MAIRIE DE LYON",
            None,
            &["calendrier", "export"],
        ),
        row(
            "Seconde version du ticket",
            "Préfecture du Rhône",
            Some("t-1"),
            &["relance"],
        ),
    ];
    let ids: Vec<FeedbackId> = batch.iter().map(|n| n.id).collect();
    let counts = s.import_feedback(batch).await.unwrap();
    assert_eq!(
        counts,
        ImportCounts {
            created: 3,
            updated: 1
        }
    );
    // The repeated pair is one item, holding the later row.
    let first = s.get_feedback(w.ws.id, ids[0]).await.unwrap();
    assert_eq!(first.text, "Seconde version du ticket");
    assert_eq!(first.tags, vec!["relance".to_owned()]);
    assert!(matches!(
        s.get_feedback(w.ws.id, ids[3]).await,
        Err(StoreError::NotFound)
    ));
    // One customer per name whatever its case; a known customer is reused.
    let second = s.get_feedback(w.ws.id, ids[1]).await.unwrap();
    assert!(first.customer_id.is_some());
    assert_eq!(first.customer_id, second.customer_id);
    let city = s.get_feedback(w.ws.id, ids[2]).await.unwrap();
    assert_eq!(city.customer_id, known.customer_id);
    let mut tags = city.tags.clone();
    tags.sort();
    assert_eq!(tags, vec!["calendrier".to_owned(), "export".to_owned()]);
    // Found by their words, their customer and their tags; the replaced text is gone.
    let ws = w.ws.id;
    let found = |q: &'static str| async move {
        let mut ids: Vec<uuid::Uuid> = s
            .search(ws, &query(q))
            .await
            .unwrap()
            .iter()
            .map(|h| h.id)
            .collect();
        ids.sort();
        ids
    };
    let mut both = vec![ids[0].0, ids[1].0];
    both.sort();
    assert_eq!(found("rhône").await, both);
    assert_eq!(found("calendrier").await, vec![ids[2].0]);
    assert_eq!(found("seconde").await, vec![ids[0].0]);
    assert_eq!(found("relance").await, vec![ids[0].0]);
    assert!(found("première").await.is_empty());

    // Links: a pair repeated within the batch is made once; linking a new item triages it.
    let i = s.create_idea(idea(&w, "Calendar export")).await.unwrap();
    let made = s
        .import_evidence(vec![
            link(&w, i.id, ids[1], Importance::Critical),
            link(&w, i.id, ids[2], Importance::Important),
            link(&w, i.id, ids[1], Importance::NiceToHave),
        ])
        .await
        .unwrap();
    assert_eq!(made, 2);
    assert_eq!(s.get_idea(w.ws.id, i.id).await.unwrap().evidence_count, 2);
    let linked = s.get_feedback(w.ws.id, ids[1]).await.unwrap();
    assert_eq!(
        (linked.evidence_count, linked.state, linked.version),
        (1, FeedbackState::Processed, second.version + 1)
    );
    // A batch naming a merged idea stores none of its links.
    let dup = s
        .create_idea(idea(&w, "Calendar export again"))
        .await
        .unwrap();
    s.merge_ideas(IdeaMerge {
        id: uuid::Uuid::now_v7(),
        workspace_id: w.ws.id,
        from_idea_id: dup.id,
        into_idea_id: i.id,
        actor_id: Some(w.pm.id),
        reason: "Same request".into(),
        at: t0() + Duration::hours(1),
    })
    .await
    .unwrap();
    assert!(s
        .import_evidence(vec![
            link(&w, i.id, ids[0], Importance::Important),
            link(&w, dup.id, ids[0], Importance::Important),
        ])
        .await
        .is_err());
    assert_eq!(
        s.get_feedback(w.ws.id, ids[0])
            .await
            .unwrap()
            .evidence_count,
        0
    );
    assert_eq!(s.get_idea(w.ws.id, i.id).await.unwrap().evidence_count, 2);

    // One item supporting three ideas in one batch: three links counted, triaged once (the
    // pair already linked above is skipped).
    let others = [
        s.create_idea(idea(&w, "Agenda sync")).await.unwrap(),
        s.create_idea(idea(&w, "Agenda export")).await.unwrap(),
    ];
    let before = s.get_feedback(w.ws.id, ids[0]).await.unwrap();
    let made = s
        .import_evidence(vec![
            link(&w, others[0].id, ids[0], Importance::Important),
            link(&w, i.id, ids[2], Importance::Important),
            link(&w, i.id, ids[0], Importance::Critical),
            link(&w, others[1].id, ids[0], Importance::NiceToHave),
        ])
        .await
        .unwrap();
    assert_eq!(made, 3);
    let after = s.get_feedback(w.ws.id, ids[0]).await.unwrap();
    assert_eq!(
        (after.evidence_count, after.state, after.version),
        (3, FeedbackState::Processed, before.version + 1)
    );
    assert_eq!(s.get_idea(w.ws.id, i.id).await.unwrap().evidence_count, 3);
    // A batch naming an item of another workspace stores none of its links.
    let foreign = {
        let mut f = feedback(&w, "Ailleurs", SourceKind::Sales);
        f.workspace_id = w.foreign.id;
        f.product_id = Some(w.foreign_product.id);
        f.author_id = None;
        s.create_feedback(f).await.unwrap()
    };
    let err = s
        .import_evidence(vec![
            link(&w, others[0].id, ids[1], Importance::Important),
            link(&w, others[0].id, foreign.id, Importance::Important),
        ])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    assert_eq!(
        s.get_idea(w.ws.id, others[0].id)
            .await
            .unwrap()
            .evidence_count,
        1
    );
    assert_eq!(
        s.get_feedback(w.ws.id, ids[1])
            .await
            .unwrap()
            .evidence_count,
        1
    );
}

/// A search ranks the newest 1,000 matches only (docs/architecture.md): ranking every match of
/// a common word among a million items is what made searches slow on both backends.
pub async fn search_ranks_the_newest_thousand_matches(s: &dyn Store) {
    let w = world(s).await;
    // Items without the word, so that it stays a telling one for bm25, then 1,001 that match
    // equally. Outside the window, the oldest is never ranked; without it, the oldest would be
    // among the first twenty on PostgreSQL, whose equal ranks come out oldest first.
    let mut batch: Vec<NewFeedback> = (0..2_100)
        .map(|k| feedback(&w, &format!("Le portail du site {k}"), SourceKind::Sales))
        .collect();
    let matching: Vec<NewFeedback> = (0..1_001)
        .map(|_| feedback(&w, "Chaudière en panne", SourceKind::Support))
        .collect();
    let oldest = matching[0].id;
    batch.extend(matching);
    s.import_feedback(batch).await.unwrap();
    let hits = s.search(w.ws.id, &query("chaudière")).await.unwrap();
    assert_eq!(hits.len(), 20);
    assert!(
        hits.iter().all(|h| h.id != oldest.0),
        "the oldest match is outside the window"
    );
}

/// A query whose words the database's index cannot hold ("௰௰", a Tamil numeral, is a word to
/// the analyzer and no lexeme to PostgreSQL's parser) finds nothing: an empty query must not
/// reduce to "any entry of the newest" or "any idea of the product".
pub async fn words_the_index_cannot_hold_find_nothing(s: &dyn Store) {
    let w = world(s).await;
    s.create_feedback(feedback(
        &w,
        "La moitié des exports échoue",
        SourceKind::Support,
    ))
    .await
    .unwrap();
    s.create_idea(idea(&w, "Exports in halves")).await.unwrap();
    let q = query("௰௰");
    assert!(
        !q.terms.is_empty(),
        "the analyzer keeps the word: {:?}",
        q.terms
    );
    assert!(s.search(w.ws.id, &q).await.unwrap().is_empty());
    let terms: Vec<String> = q.terms.concat();
    assert!(s
        .similar_idea_candidates(w.ws.id, w.product.id, &terms, None, 10)
        .await
        .unwrap()
        .is_empty());
}

pub async fn a_capture_and_its_audit_event_commit_together(s: &dyn Store) {
    let w = world(s).await;
    let event = |action: &str| AuditEvent {
        id: AuditId::new(),
        workspace_id: Some(w.ws.id),
        at: t0(),
        actor_id: Some(w.pm.id),
        actor_label: "pm@disco.test".into(),
        action: action.into(),
        target_kind: "feedback".into(),
        target_id: None,
        outcome: "success".into(),
        request_id: "r1".into(),
        source_ip: "127.0.0.1".into(),
        detail: serde_json::json!({ "source": "sales" }),
    };
    let audit = |prefix: &str| AuditFilter {
        action_prefix: Some(prefix.into()),
        ..Default::default()
    };
    let f = s
        .create_feedback_audited(
            feedback(&w, "hello", SourceKind::Sales),
            event("feedback.create"),
        )
        .await
        .unwrap();
    let trail = s
        .list_audit(w.ws.id, &audit("feedback.create"), &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(trail.items.len(), 1);
    assert_eq!(trail.items[0].target_id, Some(f.id.to_string()));

    // A capture that fails (a product of another workspace) leaves neither behind.
    let mut bad = feedback(&w, "nope", SourceKind::Sales);
    bad.product_id = Some(w.foreign_product.id);
    let err = s
        .create_feedback_audited(bad, event("feedback.create.failed"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    let trail = s
        .list_audit(
            w.ws.id,
            &audit("feedback.create.failed"),
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(trail.items.is_empty());
}

pub async fn customers_are_found_by_name_prefix(s: &dyn Store) {
    let w = world(s).await;
    for name in ["Acme Corp", "ACME", "Acmé Labs", "Beta", "acne"] {
        let mut f = feedback(&w, "hello", SourceKind::Sales);
        f.customer = Some(customer(name, None, 1));
        s.create_feedback(f).await.unwrap();
    }
    let mut f = feedback(&w, "hello", SourceKind::Sales);
    f.workspace_id = w.foreign.id;
    f.product_id = Some(w.foreign_product.id);
    f.customer = Some(customer("Acme Elsewhere", None, 1));
    s.create_feedback(f).await.unwrap();

    let names = |v: Vec<Customer>| v.into_iter().map(|c| c.name).collect::<Vec<_>>();
    // Case-insensitive, the exact name first, nothing of another workspace.
    let found = s.find_customers(w.ws.id, "acme", 10).await.unwrap();
    assert_eq!(names(found), vec!["ACME", "Acme Corp"]);
    assert_eq!(
        names(s.find_customers(w.ws.id, "ACMÉ", 10).await.unwrap()),
        vec!["Acmé Labs"]
    );
    assert_eq!(
        names(s.find_customers(w.ws.id, "ac", 2).await.unwrap()),
        vec!["ACME", "Acme Corp"]
    );
    assert!(s
        .find_customers(w.ws.id, "zz", 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(s.find_customers(w.ws.id, "", 10).await.unwrap().len(), 5);
}

pub async fn customers_are_listed_and_updated_with_versions(s: &dyn Store) {
    let w = world(s).await;
    for name in ["Zeta", "alpha", "Beta"] {
        let mut f = feedback(&w, "hello", SourceKind::Sales);
        f.customer = Some(customer(name, None, 1));
        s.create_feedback(f).await.unwrap();
    }
    let page = s
        .list_customers(w.ws.id, &PageRequest::first(2))
        .await
        .unwrap();
    assert_eq!(
        page.items
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        vec!["alpha", "Beta"]
    );
    let rest = s
        .list_customers(w.ws.id, &PageRequest::new(page.next_cursor, Some(2)))
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    let zeta = rest.items[0].clone();
    let z2 = s
        .update_customer(
            w.ws.id,
            zeta.id,
            zeta.version,
            CustomerPatch {
                weight: Some(8),
                segment: Some(Some("public sector".into())),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((z2.weight, z2.version), (8, zeta.version + 1));
    assert!(matches!(
        s.update_customer(w.ws.id, zeta.id, zeta.version, CustomerPatch::default())
            .await,
        Err(StoreError::VersionConflict)
    ));
    assert!(matches!(
        s.update_customer(
            w.ws.id,
            zeta.id,
            z2.version,
            CustomerPatch {
                name: Some("BETA".into()),
                ..Default::default()
            }
        )
        .await,
        Err(StoreError::Duplicate("name"))
    ));
    assert!(matches!(
        s.get_customer(w.foreign.id, zeta.id).await,
        Err(StoreError::NotFound)
    ));
    // A new name is found at once in the customer's feedback; the old one no longer is.
    s.update_customer(
        w.ws.id,
        zeta.id,
        z2.version,
        CustomerPatch {
            name: Some("Quimper Agglo".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(s.search(w.ws.id, &query("quimper")).await.unwrap().len(), 1);
    assert!(s.search(w.ws.id, &query("zeta")).await.unwrap().is_empty());
}

fn bug_template() -> BugReport {
    BugReport {
        steps: "1. Ouvrir la feuille de route\n2. Exporter en PDF".into(),
        expected: "Un fichier PDF".into(),
        actual: "Une page blanche et l'erreur « délai dépassé »".into(),
        environment: "Firefox 133, Windows 11".into(),
        severity: Some(Severity::Major),
    }
}

/// A bug report keeps its kind and template, is listed apart, found by its symptoms, and every
/// change to the template is in its history. Switching to a story keeps the template.
pub async fn bug_reports_keep_their_template_history_and_filter(s: &dyn Store) {
    let w = world(s).await;
    let story = s.create_idea(idea(&w, "Export to PDF")).await.unwrap();
    assert_eq!(
        (story.kind, story.bug.clone()),
        (IdeaKind::Story, BugReport::default())
    );
    let mut new = idea(&w, "Roadmap export fails");
    new.text.kind = IdeaKind::Bug;
    new.text.bug = bug_template();
    let bug = s.create_idea(new).await.unwrap();
    assert_eq!(bug.kind, IdeaKind::Bug);
    assert_eq!(bug.bug, bug_template());
    assert_eq!(
        s.get_idea(w.ws.id, bug.id).await.unwrap().bug,
        bug_template()
    );

    let kind = |k: IdeaKind| IdeaFilter {
        product: Some(w.product.id),
        kind: Some(k),
        ..Default::default()
    };
    let listed = |f: IdeaFilter| async move {
        s.list_ideas(w.ws.id, &f, &PageRequest::default())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(kind(IdeaKind::Bug)).await, vec![bug.id]);
    assert_eq!(listed(kind(IdeaKind::Story)).await, vec![story.id]);
    // The symptom and the environment are searchable ("dépassé", "windows").
    for q in ["délai dépassé", "windows"] {
        let hits = s.search(w.ws.id, &query(q)).await.unwrap();
        assert_eq!(
            hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            vec![bug.id.0],
            "{q}"
        );
    }

    let worse = BugReport {
        severity: Some(Severity::Blocker),
        environment: "Firefox 133, Windows 11, Phare 0.4".into(),
        ..bug_template()
    };
    let changed = s
        .update_idea(
            w.ws.id,
            bug.id,
            bug.version,
            IdeaPatch {
                bug: Some(worse.clone()),
                actor: Some(w.pm.id),
                now: Some(t0() + Duration::minutes(1)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.bug, worse);
    let story_again = s
        .update_idea(
            w.ws.id,
            bug.id,
            changed.version,
            IdeaPatch {
                kind: Some(IdeaKind::Story),
                actor: Some(w.pm.id),
                now: Some(t0() + Duration::minutes(2)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(story_again.kind, IdeaKind::Story);
    assert_eq!(
        story_again.bug, worse,
        "switching kinds loses nothing typed"
    );
    let mut history: Vec<(String, String, String)> = s
        .list_idea_changes(w.ws.id, bug.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.field, c.old_value, c.new_value))
        .collect();
    history.sort();
    assert_eq!(
        history,
        vec![
            (
                "environment".into(),
                "Firefox 133, Windows 11".into(),
                "Firefox 133, Windows 11, Phare 0.4".into()
            ),
            ("kind".into(), "bug".into(), "story".into()),
            ("severity".into(), "major".into(), "blocker".into()),
        ]
    );
    assert!(listed(kind(IdeaKind::Bug)).await.is_empty());
}

/// An owner filter offers the members owning ideas of the product, once each, by name.
pub async fn idea_owners_are_the_members_owning_ideas_of_the_product(s: &dyn Store) {
    let w = world(s).await;
    let zoe = s
        .create_member(new_member(w.ws.id, "zoe@disco.test", Role::Contributor))
        .await
        .unwrap();
    let idle = s
        .create_member(new_member(w.ws.id, "idle@disco.test", Role::Contributor))
        .await
        .unwrap();
    let mut ideas = Vec::new();
    for (title, owner, product) in [
        ("A", Some(zoe.id), w.product.id),
        ("B", Some(zoe.id), w.product.id),
        ("C", Some(w.pm.id), w.product.id),
        ("D", None, w.product.id),
        ("E", Some(idle.id), w.other_product.id),
    ] {
        ideas.push(
            s.create_idea(NewIdea {
                owner_id: owner,
                product_id: product,
                ..idea(&w, title)
            })
            .await
            .unwrap(),
        );
    }
    let owners = |product: ProductId| async move {
        s.list_idea_owners(w.ws.id, product)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.name, m.id))
            .collect::<Vec<_>>()
    };
    let mut expected = vec![(w.pm.name.clone(), w.pm.id), (zoe.name.clone(), zoe.id)];
    expected.sort();
    assert_eq!(owners(w.product.id).await, expected);
    // The list follows every change of owner: C goes to Zoé, so the PM owns nothing here any
    // more; D gets an owner; an owner leaves only with the last of their ideas.
    async fn reassign(s: &dyn Store, w: &World, idea: &mut Idea, owner: Option<MemberId>) {
        *idea = s
            .update_idea(
                w.ws.id,
                idea.id,
                idea.version,
                IdeaPatch {
                    owner_id: Some(owner),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    reassign(s, &w, &mut ideas[2], Some(zoe.id)).await;
    reassign(s, &w, &mut ideas[3], Some(idle.id)).await;
    let mut expected = vec![(idle.name.clone(), idle.id), (zoe.name.clone(), zoe.id)];
    expected.sort();
    assert_eq!(owners(w.product.id).await, expected);
    reassign(s, &w, &mut ideas[0], None).await;
    reassign(s, &w, &mut ideas[1], Some(idle.id)).await;
    assert_eq!(owners(w.product.id).await, expected);
    reassign(s, &w, &mut ideas[2], None).await;
    assert_eq!(
        owners(w.product.id).await,
        vec![(idle.name.clone(), idle.id)]
    );
    assert_eq!(
        owners(w.other_product.id).await,
        vec![(idle.name.clone(), idle.id)]
    );
    assert!(s
        .list_idea_owners(w.foreign.id, w.product.id)
        .await
        .unwrap()
        .is_empty());
    // A renamed owner is listed under the new name, in its place in the order.
    reassign(s, &w, &mut ideas[0], Some(zoe.id)).await;
    let zoe = s.get_member(w.ws.id, zoe.id).await.unwrap();
    s.update_member(
        w.ws.id,
        zoe.id,
        zoe.version,
        MemberPatch {
            name: Some("Aaron Zoé".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        owners(w.product.id).await,
        vec![
            ("Aaron Zoé".to_owned(), zoe.id),
            (idle.name.clone(), idle.id)
        ]
    );
}

pub async fn ideas_are_numbered_per_product_and_keep_their_history(s: &dyn Store) {
    let w = world(s).await;
    let one = s.create_idea(idea(&w, "Export to PDF")).await.unwrap();
    let two = s.create_idea(idea(&w, "Dark mode")).await.unwrap();
    let other = s
        .create_idea(NewIdea {
            product_id: w.other_product.id,
            ..idea(&w, "Pay by card")
        })
        .await
        .unwrap();
    assert_eq!((one.number, one.reference.as_str()), (1, "CHK-1"));
    assert_eq!(two.reference, "CHK-2");
    assert_eq!(other.reference, "PAY-1");
    assert_eq!(
        s.get_idea_by_number(w.ws.id, w.product.id, 2)
            .await
            .unwrap()
            .id,
        two.id
    );
    let changed = s
        .update_idea(
            w.ws.id,
            one.id,
            one.version,
            IdeaPatch {
                title: Some("Export the roadmap to PDF".into()),
                status: Some(IdeaStatus::UnderConsideration),
                owner_id: Some(Some(w.pm.id)),
                tags: Some(vec!["export".into()]),
                actor: Some(w.pm.id),
                now: Some(t0() + Duration::minutes(5)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.version, one.version + 1);
    assert_eq!(changed.tags, vec!["export"]);
    assert!(matches!(
        s.update_idea(w.ws.id, one.id, one.version, IdeaPatch::default())
            .await,
        Err(StoreError::VersionConflict)
    ));
    let history = s.list_idea_changes(w.ws.id, one.id).await.unwrap();
    let mut fields: Vec<&str> = history.iter().map(|c| c.field.as_str()).collect();
    fields.sort();
    assert_eq!(fields, vec!["owner", "status", "tags", "title"]);
    let title = history.iter().find(|c| c.field == "title").unwrap();
    assert_eq!(
        (title.old_value.as_str(), title.new_value.as_str()),
        ("Export to PDF", "Export the roadmap to PDF")
    );
    assert_eq!(title.actor_id, Some(w.pm.id));

    let ids = |f: IdeaFilter| async move {
        s.list_ideas(w.ws.id, &f, &PageRequest::default())
            .await
            .unwrap()
            .items
            .iter()
            .map(|i| i.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(IdeaFilter {
            product: Some(w.product.id),
            ..Default::default()
        })
        .await,
        vec![two.id, one.id]
    );
    assert_eq!(
        ids(IdeaFilter {
            status: Some(IdeaStatus::UnderConsideration),
            ..Default::default()
        })
        .await,
        vec![one.id]
    );
    assert_eq!(
        ids(IdeaFilter {
            tag: Some("export".into()),
            owner: Some(w.pm.id),
            ..Default::default()
        })
        .await,
        vec![one.id]
    );
    assert!(matches!(
        s.get_idea(w.foreign.id, one.id).await,
        Err(StoreError::NotFound)
    ));
    // A product or owner of another workspace cannot be used.
    assert!(matches!(
        s.create_idea(NewIdea {
            product_id: w.foreign_product.id,
            ..idea(&w, "stray")
        })
        .await,
        Err(StoreError::NotFound)
    ));
}

pub async fn evidence_counts_customers_and_demand(s: &dyn Store) {
    let w = world(s).await;
    let mut f1 = feedback(&w, "ACME needs PDF export", SourceKind::Support);
    f1.customer = Some(customer("ACME", None, 5));
    let f1 = s.create_feedback(f1).await.unwrap();
    let f2 = s
        .create_feedback(feedback(&w, "Someone asked for PDF", SourceKind::Survey))
        .await
        .unwrap();
    let i = s.create_idea(idea(&w, "Export to PDF")).await.unwrap();
    let e1 = s
        .add_evidence(link(&w, i.id, f1.id, Importance::Critical))
        .await
        .unwrap();
    s.add_evidence(NewEvidence {
        excerpt: Some("asked for PDF".into()),
        ..link(&w, i.id, f2.id, Importance::NiceToHave)
    })
    .await
    .unwrap();
    assert!(matches!(
        s.add_evidence(link(&w, i.id, f1.id, Importance::Important))
            .await,
        Err(StoreError::Duplicate("feedback_id"))
    ));
    let got = s.get_idea(w.ws.id, i.id).await.unwrap();
    assert_eq!(
        (got.evidence_count, got.customer_count, got.demand),
        (2, 1, 3 * 5 + 1)
    );
    let f1b = s.get_feedback(w.ws.id, f1.id).await.unwrap();
    assert_eq!(f1b.evidence_count, 1);
    assert_eq!(f1b.state, FeedbackState::Processed, "linking triages");
    let on_idea = s.list_idea_evidence(w.ws.id, i.id).await.unwrap();
    assert_eq!(
        on_idea
            .iter()
            .map(|e| e.evidence.importance)
            .collect::<Vec<_>>(),
        vec![Importance::Critical, Importance::NiceToHave]
    );
    assert_eq!(on_idea[0].feedback.customer_name.as_deref(), Some("ACME"));
    assert_eq!(
        on_idea[1].evidence.excerpt.as_deref(),
        Some("asked for PDF")
    );
    let on_feedback = s.list_feedback_ideas(w.ws.id, f1.id).await.unwrap();
    assert_eq!(on_feedback.len(), 1);
    assert_eq!(on_feedback[0].idea.reference, "CHK-1");
    assert_eq!(on_feedback[0].idea.demand, 16);
    assert_eq!(
        s.list_feedback(
            w.ws.id,
            &FeedbackFilter {
                has_evidence: Some(true),
                ..Default::default()
            },
            &PageRequest::default()
        )
        .await
        .unwrap()
        .items
        .len(),
        2
    );

    // Another workspace can neither link nor unlink.
    let theirs = s
        .create_idea(NewIdea {
            workspace_id: w.foreign.id,
            product_id: w.foreign_product.id,
            created_by: None,
            ..idea(&w, "theirs")
        })
        .await
        .unwrap();
    assert!(matches!(
        s.add_evidence(NewEvidence {
            workspace_id: w.foreign.id,
            ..link(&w, theirs.id, f1.id, Importance::Critical)
        })
        .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.remove_evidence(w.foreign.id, e1.id).await,
        Err(StoreError::NotFound)
    ));

    // A batch of links skips pairs already linked and refuses a foreign item, all or nothing.
    let f4 = s
        .create_feedback(feedback(&w, "Also PDF", SourceKind::Interview))
        .await
        .unwrap();
    let theirs_fb = s
        .create_feedback(NewFeedback {
            workspace_id: w.foreign.id,
            product_id: None,
            author_id: None,
            ..feedback(&w, "theirs", SourceKind::Other)
        })
        .await
        .unwrap();
    assert!(s
        .import_evidence(vec![
            link(&w, i.id, f4.id, Importance::Important),
            link(&w, i.id, theirs_fb.id, Importance::Important),
        ])
        .await
        .is_err());
    assert_eq!(s.get_idea(w.ws.id, i.id).await.unwrap().evidence_count, 2);
    assert_eq!(
        s.import_evidence(vec![
            link(&w, i.id, f1.id, Importance::Important),
            link(&w, i.id, f4.id, Importance::Important),
        ])
        .await
        .unwrap(),
        1
    );
    let f4b = s.get_feedback(w.ws.id, f4.id).await.unwrap();
    let e4 = s.list_idea_evidence(w.ws.id, i.id).await.unwrap();
    let e4 = e4
        .iter()
        .find(|e| e.feedback.id == f4.id)
        .unwrap()
        .evidence
        .id;
    s.remove_evidence(w.ws.id, e4).await.unwrap();
    assert_eq!(f4b.evidence_count, 1);

    s.remove_evidence(w.ws.id, e1.id).await.unwrap();
    let got = s.get_idea(w.ws.id, i.id).await.unwrap();
    assert_eq!(
        (got.evidence_count, got.customer_count, got.demand),
        (1, 0, 1)
    );
    // Deleting feedback takes its links with it.
    let f2b = s.get_feedback(w.ws.id, f2.id).await.unwrap();
    s.delete_feedback(w.ws.id, f2.id, f2b.version)
        .await
        .unwrap();
    let got = s.get_idea(w.ws.id, i.id).await.unwrap();
    assert_eq!((got.evidence_count, got.demand), (0, 0));
    assert!(s
        .list_idea_evidence(w.ws.id, i.id)
        .await
        .unwrap()
        .is_empty());

    // An idea created from feedback keeps the link.
    let f3 = s
        .create_feedback(feedback(&w, "Please add SSO", SourceKind::Sales))
        .await
        .unwrap();
    let from = s
        .create_idea(NewIdea {
            evidence: Some(FirstEvidence {
                id: EvidenceId::new(),
                feedback_id: f3.id,
                excerpt: None,
                importance: Importance::Important,
            }),
            ..idea(&w, "Single sign-on")
        })
        .await
        .unwrap();
    assert_eq!((from.evidence_count, from.demand), (1, 2));
    assert_eq!(
        s.get_feedback(w.ws.id, f3.id).await.unwrap().evidence_count,
        1
    );
}

pub async fn merging_moves_evidence_and_redirects(s: &dyn Store) {
    let w = world(s).await;
    let f1 = s
        .create_feedback(feedback(&w, "one", SourceKind::Support))
        .await
        .unwrap();
    let f2 = s
        .create_feedback(feedback(&w, "two", SourceKind::Support))
        .await
        .unwrap();
    let dup = s.create_idea(idea(&w, "PDF export")).await.unwrap();
    let kept = s.create_idea(idea(&w, "Export to PDF")).await.unwrap();
    s.add_evidence(link(&w, dup.id, f1.id, Importance::Critical))
        .await
        .unwrap();
    s.add_evidence(link(&w, dup.id, f2.id, Importance::Important))
        .await
        .unwrap();
    s.add_evidence(link(&w, kept.id, f1.id, Importance::NiceToHave))
        .await
        .unwrap();
    let merge = IdeaMerge {
        id: uuid::Uuid::now_v7(),
        workspace_id: w.ws.id,
        from_idea_id: dup.id,
        into_idea_id: kept.id,
        actor_id: Some(w.pm.id),
        reason: "Same request".into(),
        at: t0() + Duration::hours(1),
    };
    let after = s.merge_ideas(merge.clone()).await.unwrap();
    assert_eq!(after.id, kept.id);
    assert_eq!(after.evidence_count, 2);
    let ev = s.list_idea_evidence(w.ws.id, kept.id).await.unwrap();
    let f1_link = ev.iter().find(|e| e.feedback.id == f1.id).unwrap();
    assert_eq!(
        f1_link.evidence.importance,
        Importance::Critical,
        "the higher importance is kept"
    );
    assert_eq!(
        s.get_feedback(w.ws.id, f1.id).await.unwrap().evidence_count,
        1
    );
    let gone = s.get_idea(w.ws.id, dup.id).await.unwrap();
    assert_eq!(gone.status, IdeaStatus::Merged);
    assert_eq!(gone.merged_into, Some(kept.id));
    assert_eq!(gone.evidence_count, 0);
    assert_eq!(
        s.list_merges_into(w.ws.id, kept.id).await.unwrap(),
        vec![merge.clone()]
    );
    let listed = s
        .list_ideas(w.ws.id, &IdeaFilter::default(), &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1, "merged ideas leave the list");
    // A merged idea takes no new evidence: it only redirects.
    let f3 = s
        .create_feedback(feedback(&w, "three", SourceKind::Support))
        .await
        .unwrap();
    assert!(matches!(
        s.add_evidence(link(&w, dup.id, f3.id, Importance::Important))
            .await,
        Err(StoreError::VersionConflict)
    ));
    // Merging again, or into a merged idea, is refused.
    assert!(s
        .merge_ideas(IdeaMerge {
            id: uuid::Uuid::now_v7(),
            ..merge.clone()
        })
        .await
        .is_err());
    // Across workspaces the other idea simply does not exist.
    let theirs = s
        .create_idea(NewIdea {
            workspace_id: w.foreign.id,
            product_id: w.foreign_product.id,
            created_by: None,
            ..idea(&w, "theirs")
        })
        .await
        .unwrap();
    assert!(matches!(
        s.merge_ideas(IdeaMerge {
            id: uuid::Uuid::now_v7(),
            into_idea_id: theirs.id,
            from_idea_id: kept.id,
            ..merge
        })
        .await,
        Err(StoreError::NotFound)
    ));
}

fn query(q: &str) -> SearchQuery {
    SearchQuery {
        terms: phare_domain::text::query_terms(q),
        product: None,
        kinds: Vec::new(),
        limit: 20,
    }
}

pub async fn search_finds_stemmed_words_in_both_languages_within_the_workspace(s: &dyn Store) {
    let w = world(s).await;
    let fr = s
        .create_feedback(feedback(
            &w,
            "Les exportations en PDF sont très lentes",
            SourceKind::Support,
        ))
        .await
        .unwrap();
    let en = s
        .create_idea(idea(&w, "Export the roadmap to PDF"))
        .await
        .unwrap();
    let _noise = s.create_idea(idea(&w, "Dark mode")).await.unwrap();
    s.create_feedback(NewFeedback {
        workspace_id: w.foreign.id,
        product_id: Some(w.foreign_product.id),
        author_id: None,
        ..feedback(&w, "Export PDF elsewhere", SourceKind::Support)
    })
    .await
    .unwrap();

    let hits = s.search(w.ws.id, &query("exporter pdf")).await.unwrap();
    let found: Vec<uuid::Uuid> = hits.iter().map(|h| h.id).collect();
    assert_eq!(found.len(), 2, "{hits:?}");
    assert!(found.contains(&fr.id.0) && found.contains(&en.id.0));
    let idea_hit = hits.iter().find(|h| h.kind == SearchKind::Idea).unwrap();
    assert_eq!(idea_hit.title, "CHK-1 Export the roadmap to PDF");
    let fb_hit = hits
        .iter()
        .find(|h| h.kind == SearchKind::Feedback)
        .unwrap();
    assert!(fb_hit.text.contains("exportations"));
    // Accents fold: "tres" finds "très".
    assert_eq!(
        s.search(w.ws.id, &query("tres lentes"))
            .await
            .unwrap()
            .len(),
        1
    );
    // Filters by kind and product.
    let only_ideas = SearchQuery {
        kinds: vec![SearchKind::Idea],
        ..query("pdf")
    };
    assert_eq!(s.search(w.ws.id, &only_ideas).await.unwrap().len(), 1);
    let other_product = SearchQuery {
        product: Some(w.other_product.id),
        ..query("pdf")
    };
    assert!(s.search(w.ws.id, &other_product).await.unwrap().is_empty());
    assert!(s.search(w.ws.id, &query("")).await.unwrap().is_empty());
    // Edits are searchable at once; deletions vanish.
    let fr2 = s
        .update_feedback(
            w.ws.id,
            fr.id,
            fr.version,
            FeedbackPatch {
                text: Some("Il manque le mode sombre".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(s.search(w.ws.id, &query("pdf")).await.unwrap().len(), 1);
    assert_eq!(s.search(w.ws.id, &query("sombre")).await.unwrap().len(), 1);
    s.delete_feedback(w.ws.id, fr.id, fr2.version)
        .await
        .unwrap();
    assert!(s
        .search(w.ws.id, &query("sombre"))
        .await
        .unwrap()
        .is_empty());
    // A merged idea is found through the idea that absorbed it, not itself.
    let dup = s.create_idea(idea(&w, "Roadmap PDF export")).await.unwrap();
    s.merge_ideas(IdeaMerge {
        id: uuid::Uuid::now_v7(),
        workspace_id: w.ws.id,
        from_idea_id: dup.id,
        into_idea_id: en.id,
        actor_id: None,
        reason: "duplicate".into(),
        at: t0(),
    })
    .await
    .unwrap();
    let ids: Vec<uuid::Uuid> = s
        .search(w.ws.id, &query("roadmap"))
        .await
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, vec![en.id.0]);
}

pub async fn similar_candidates_share_words_and_stay_in_the_product(s: &dyn Store) {
    let w = world(s).await;
    let export = s
        .create_idea(idea(&w, "Export the roadmap to PDF"))
        .await
        .unwrap();
    let dark = s.create_idea(idea(&w, "Dark mode")).await.unwrap();
    s.create_idea(NewIdea {
        product_id: w.other_product.id,
        ..idea(&w, "PDF invoices")
    })
    .await
    .unwrap();
    let terms: Vec<String> = phare_domain::text::query_terms("PDF export of the roadmap")
        .into_iter()
        .flatten()
        .collect();
    let found = s
        .similar_idea_candidates(w.ws.id, w.product.id, &terms, None, 10)
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![export.id]
    );
    let excluded = s
        .similar_idea_candidates(w.ws.id, w.product.id, &terms, Some(export.id), 10)
        .await
        .unwrap();
    assert!(excluded.is_empty());
    let dark_terms: Vec<String> = phare_domain::text::query_terms("dark")
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(
        s.similar_idea_candidates(w.ws.id, w.product.id, &dark_terms, None, 10)
            .await
            .unwrap()[0]
            .id,
        dark.id
    );
    assert!(s
        .similar_idea_candidates(w.foreign.id, w.product.id, &terms, None, 10)
        .await
        .unwrap()
        .is_empty());
    // A reworded idea is found by its new words only.
    s.update_idea(
        w.ws.id,
        dark.id,
        dark.version,
        IdeaPatch {
            title: Some("Night theme".into()),
            i_want: Some("a night theme".into()),
            now: Some(t0()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(s
        .similar_idea_candidates(w.ws.id, w.product.id, &dark_terms, None, 10)
        .await
        .unwrap()
        .is_empty());
    let night: Vec<String> = phare_domain::text::query_terms("night")
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(
        s.similar_idea_candidates(w.ws.id, w.product.id, &night, None, 10)
            .await
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect::<Vec<_>>(),
        vec![dark.id]
    );
}

/// Discovery data in `s`, touching every table.
pub async fn fill_discovery(s: &dyn Store) {
    let w = world(s).await;
    let mut f = feedback(&w, "Les **exports** PDF sont lents", SourceKind::Support);
    f.customer = Some(customer("ACME", Some("enterprise"), 4));
    f.tags = vec!["export".into()];
    f.external = Some(("canny".into(), "42".into()));
    let f = s.create_feedback(f).await.unwrap();
    let a = s.create_idea(idea(&w, "PDF export")).await.unwrap();
    let b = s.create_idea(idea(&w, "Export to PDF")).await.unwrap();
    s.add_evidence(link(&w, a.id, f.id, Importance::Critical))
        .await
        .unwrap();
    s.update_idea(
        w.ws.id,
        b.id,
        b.version,
        IdeaPatch {
            tags: Some(vec!["export".into()]),
            status: Some(IdeaStatus::Planned),
            // The kept idea is a bug report: its template moves too.
            kind: Some(IdeaKind::Bug),
            bug: Some(bug_template()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    s.merge_ideas(IdeaMerge {
        id: uuid::Uuid::now_v7(),
        workspace_id: w.ws.id,
        from_idea_id: a.id,
        into_idea_id: b.id,
        actor_id: Some(w.pm.id),
        reason: "same".into(),
        at: t0(),
    })
    .await
    .unwrap();
    // Research, touching each of its tables too.
    let p = s
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
    s.link_persona(w.ws.id, p.id, PersonaTarget::Idea, b.id.0)
        .await
        .unwrap();
    let c = s
        .create_competitor(NewCompetitor {
            id: CompetitorId::new(),
            workspace_id: w.ws.id,
            product_id: w.product.id,
            text: CompetitorText {
                name: "Canny".into(),
                ..Default::default()
            },
            now: t0(),
        })
        .await
        .unwrap();
    let k = s
        .put_capability(w.ws.id, w.product.id, "Votes", Rating::Have, "", t0())
        .await
        .unwrap();
    s.rate_competitor(
        w.ws.id,
        CompetitorRating {
            competitor_id: c.id,
            capability_id: k.id,
            rating: Rating::Partial,
            note: "payant".into(),
        },
    )
    .await
    .unwrap();
    s.create_research_note(NewResearchNote {
        id: ResearchNoteId::new(),
        workspace_id: w.ws.id,
        product_id: w.product.id,
        text: NoteText {
            title: "Entretien".into(),
            participant: "Mme Dupont".into(),
            notes: "Notes".into(),
        },
        persona_id: Some(p.id),
        held_on: t0(),
        created_by: Some(w.pm.id),
        now: t0(),
    })
    .await
    .unwrap();
}

pub async fn discovery_moves_to_a_fresh_database_exactly(from: &dyn Store, to: &dyn Store) {
    super::fill(from).await;
    fill_discovery(from).await;
    let dump = from.dump().await.unwrap();
    assert_eq!(
        (
            dump.discovery.customers.len(),
            dump.discovery.feedback.len(),
            dump.discovery.ideas.len(),
            dump.discovery.evidence.len(),
            dump.discovery.idea_merges.len(),
        ),
        (1, 1, 2, 1, 1)
    );
    assert!(!dump.discovery.idea_changes.is_empty());
    let r = &dump.research;
    assert_eq!(
        (
            r.personas.len(),
            r.persona_links.len(),
            r.competitors.len(),
            r.capabilities.len(),
            r.competitor_ratings.len(),
            r.research_notes.len()
        ),
        (1, 1, 1, 1, 1, 1)
    );
    let text = serde_json::to_string(&dump).unwrap();
    let back: Dump = serde_json::from_str(&text).unwrap();
    to.load(&back).await.unwrap();
    assert_eq!(to.dump().await.unwrap().checksums(), dump.checksums());
    // What is derived was rebuilt: the index finds the feedback, and numbering continues.
    let ws = to.list_workspaces().await.unwrap();
    let disco = ws.iter().find(|w| w.slug == "disco").unwrap();
    assert_eq!(to.search(disco.id, &query("lent")).await.unwrap().len(), 1);
    let products = to
        .list_products(disco.id, &ProductFilter::default(), &PageRequest::default())
        .await
        .unwrap();
    let chk = products.items.iter().find(|p| p.key == "CHK").unwrap();
    let next = to
        .create_idea(NewIdea {
            id: IdeaId::new(),
            workspace_id: disco.id,
            product_id: chk.id,
            text: IdeaText {
                title: "Next".into(),
                ..Default::default()
            },
            status: IdeaStatus::Draft,
            owner_id: None,
            tags: Vec::new(),
            created_by: None,
            evidence: None,
            external: None,
            now: t0(),
        })
        .await
        .unwrap();
    assert_eq!(next.reference, "CHK-3");
}
