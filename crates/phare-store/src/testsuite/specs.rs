//! Conformance checks of the specs contract: spec and feature documentation versions, the
//! version check that refuses a stale save, workspace isolation, and the move to a fresh
//! database.

use super::{new_member, new_product, new_workspace, t0};
use crate::*;
use chrono::Duration;
use phare_domain::specs::*;
use phare_domain::*;

struct World {
    ws: Workspace,
    pm: Member,
    idea: Idea,
    foreign: Workspace,
}

async fn world(s: &dyn Store) -> World {
    let ws = s.create_workspace(new_workspace("spec")).await.unwrap();
    let pm = s
        .create_member(new_member(ws.id, "pm@spec.test", Role::ProductManager))
        .await
        .unwrap();
    let product = s.create_product(new_product(ws.id, "SPC")).await.unwrap();
    let idea = s
        .create_idea(NewIdea {
            id: IdeaId::new(),
            workspace_id: ws.id,
            product_id: product.id,
            text: IdeaText {
                title: "Exporter les critères".into(),
                ..Default::default()
            },
            status: IdeaStatus::Shipped,
            owner_id: None,
            tags: Vec::new(),
            created_by: None,
            evidence: None,
            external: None,
            now: t0(),
        })
        .await
        .unwrap();
    let foreign = s
        .create_workspace(new_workspace("other-spec"))
        .await
        .unwrap();
    World {
        ws,
        pm,
        idea,
        foreign,
    }
}

fn content(context: &str) -> SpecContent {
    SpecContent {
        context: context.into(),
        criteria: vec![Criterion {
            title: "Export".into(),
            given: vec!["une spec".into()],
            when: vec!["j'exporte".into()],
            then: vec!["un fichier .feature".into()],
            state: CriterionState::NotTested,
        }],
        ready: vec![ReadyItem::ValueClear],
        ..SpecContent::empty(SpecLanguage::Fr)
    }
}

fn save(w: &World, expected: i64, context: &str, minutes: i64) -> SpecSave {
    SpecSave {
        workspace_id: w.ws.id,
        idea_id: w.idea.id,
        expected_version: expected,
        content: content(context),
        actor: Some(w.pm.id),
        now: t0() + Duration::minutes(minutes),
    }
}

pub async fn specs_keep_every_version_and_refuse_a_stale_save(s: &dyn Store) {
    let w = world(s).await;
    assert_eq!(s.get_spec(w.ws.id, w.idea.id).await.unwrap(), None);
    assert!(s
        .list_spec_versions(w.ws.id, w.idea.id)
        .await
        .unwrap()
        .is_empty());
    let v1 = s.save_spec(save(&w, 0, "Premier jet", 1)).await.unwrap();
    assert_eq!(v1.version, 1);
    let v2 = s.save_spec(save(&w, 1, "Deuxième jet", 2)).await.unwrap();
    assert_eq!(v2.version, 2);
    // A save made from version 1 (or from "no spec") after version 2: refused, nothing kept.
    for stale in [0, 1, 5] {
        assert!(matches!(
            s.save_spec(save(&w, stale, "Perdu ?", 3)).await,
            Err(StoreError::VersionConflict)
        ));
    }
    let current = s.get_spec(w.ws.id, w.idea.id).await.unwrap().unwrap();
    assert_eq!(current, v2);
    assert_eq!(current.content.context, "Deuxième jet");
    assert_eq!(current.saved_by, Some(w.pm.id));
    let versions = s.list_spec_versions(w.ws.id, w.idea.id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [2, 1]
    );
    assert_eq!(versions[1].saved_at, t0() + Duration::minutes(1));
    let old = s.get_spec_version(w.ws.id, w.idea.id, 1).await.unwrap();
    assert_eq!(old, v1);
    assert!(matches!(
        s.get_spec_version(w.ws.id, w.idea.id, 3).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn concurrent_spec_saves_from_one_version_keep_exactly_one(s: &dyn Store) {
    let w = world(s).await;
    s.save_spec(save(&w, 0, "Base", 0)).await.unwrap();
    let saves: Vec<_> = (0..8)
        .map(|i| s.save_spec(save(&w, 1, &format!("Écrivain {i}"), 1)))
        .collect();
    let results = futures_join(saves).await;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::VersionConflict)))
        .count();
    assert_eq!((ok, conflicts), (1, 7));
    assert_eq!(
        s.list_spec_versions(w.ws.id, w.idea.id)
            .await
            .unwrap()
            .len(),
        2
    );
}

async fn futures_join<F: std::future::Future>(fs: Vec<F>) -> Vec<F::Output> {
    let mut out = Vec::new();
    let handles: Vec<_> = fs.into_iter().map(Box::pin).collect();
    // Polled together so the saves interleave in the backend.
    let mut pending: Vec<_> = handles.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, f) in pending.iter_mut().enumerate() {
            if let Some(fut) = f {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *f = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.extend(results.into_iter().flatten());
    out
}

pub async fn specs_and_docs_of_another_workspace_are_not_found(s: &dyn Store) {
    let w = world(s).await;
    s.save_spec(save(&w, 0, "Secret", 0)).await.unwrap();
    let f = w.foreign.id;
    assert!(matches!(
        s.get_spec(f, w.idea.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.list_spec_versions(f, w.idea.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.get_spec_version(f, w.idea.id, 1).await,
        Err(StoreError::NotFound)
    ));
    let mut other = save(&w, 1, "Intrus", 1);
    other.workspace_id = f;
    assert!(matches!(
        s.save_spec(other).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.save_feature_doc(FeatureDocSave {
            workspace_id: f,
            idea_id: w.idea.id,
            expected_version: 0,
            body: "x".into(),
            public: true,
            actor: None,
            now: t0(),
        })
        .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.get_feature_doc(f, w.idea.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.list_spec_versions(w.ws.id, w.idea.id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(s.get_feature_doc(w.ws.id, w.idea.id).await.unwrap(), None);
}

pub async fn feature_docs_are_versioned_and_published(s: &dyn Store) {
    let w = world(s).await;
    let doc = |expected: i64, body: &str, public: bool| FeatureDocSave {
        workspace_id: w.ws.id,
        idea_id: w.idea.id,
        expected_version: expected,
        body: body.into(),
        public,
        actor: Some(w.pm.id),
        now: t0(),
    };
    let d1 = s
        .save_feature_doc(doc(0, "# Brouillon", false))
        .await
        .unwrap();
    assert_eq!((d1.version, d1.public), (1, false));
    let d2 = s.save_feature_doc(doc(1, "# Guide", true)).await.unwrap();
    assert_eq!((d2.version, d2.public), (2, true));
    assert!(matches!(
        s.save_feature_doc(doc(1, "# Perdu", false)).await,
        Err(StoreError::VersionConflict)
    ));
    assert_eq!(
        s.get_feature_doc(w.ws.id, w.idea.id).await.unwrap(),
        Some(d2)
    );
    let versions = s
        .list_feature_doc_versions(w.ws.id, w.idea.id)
        .await
        .unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [2, 1]
    );
    assert_eq!(
        s.get_feature_doc_version(w.ws.id, w.idea.id, 1)
            .await
            .unwrap(),
        d1
    );
}

pub async fn specs_move_to_a_fresh_database_exactly(from: &dyn Store, to: &dyn Store) {
    let w = world(from).await;
    from.save_spec(save(&w, 0, "Un", 0)).await.unwrap();
    from.save_spec(save(&w, 1, "Deux <b>", 1)).await.unwrap();
    from.save_feature_doc(FeatureDocSave {
        workspace_id: w.ws.id,
        idea_id: w.idea.id,
        expected_version: 0,
        body: "Guide".into(),
        public: true,
        actor: None,
        now: t0(),
    })
    .await
    .unwrap();
    let dump = from.dump().await.unwrap();
    assert_eq!(
        (
            dump.specs.spec_versions.len(),
            dump.specs.feature_doc_versions.len()
        ),
        (2, 1)
    );
    let text = serde_json::to_string(&dump).unwrap();
    let back: Dump = serde_json::from_str(&text).unwrap();
    to.load(&back).await.unwrap();
    assert_eq!(to.dump().await.unwrap().checksums(), dump.checksums());
    let spec = to.get_spec(w.ws.id, w.idea.id).await.unwrap().unwrap();
    assert_eq!(
        (spec.version, spec.content.context.as_str()),
        (2, "Deux <b>")
    );
}
