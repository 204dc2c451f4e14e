//! The shared conformance suite on PostgreSQL, each test on its own fresh database, plus checks
//! that only a server shared by several processes can make (concurrent writers, two instances).
//!
//! These tests need a running server, so they are compiled only with the `pg-tests` feature:
//!
//!   scripts/with-postgres cargo test -p phare-postgres --features pg-tests
//!
//! `scripts/with-postgres` starts a throwaway server and sets `PHARE_TEST_DATABASE_URL`. Why a
//! feature rather than a run-time skip: `conformance_tests!` calls `fresh()` and then runs the
//! suite on what it returns, so `fresh()` cannot skip a test, and returning any other store would
//! make a green run a lie. Without the feature, `cargo test --workspace` compiles only
//! `postgres_suite_skipped_needs_the_pg_tests_feature`, which prints that the suite was skipped, and fails when
//! `PHARE_REQUIRE_POSTGRES=1` says this run must exercise PostgreSQL. With the feature, a missing
//! `PHARE_TEST_DATABASE_URL` is an error, not a skip: asking for the PostgreSQL tests and getting
//! none would also be a lie.

// A test states its expectations by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(not(feature = "pg-tests"))]
#[test]
fn postgres_suite_skipped_needs_the_pg_tests_feature() {
    let required = std::env::var("PHARE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "PHARE_REQUIRE_POSTGRES=1 but the PostgreSQL tests are not compiled: run \
         `scripts/with-postgres cargo test -p phare-postgres --features pg-tests`"
    );
    // Straight to stderr, past the harness's output capture, so the line shows in every run.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: PostgreSQL conformance suite (needs a server); run \
         `scripts/with-postgres cargo test -p phare-postgres --features pg-tests`"
    );
}

#[cfg(feature = "pg-tests")]
mod pg {
    use phare_domain::*;
    use phare_postgres::PgStore;
    use phare_store::testsuite::{new_member, new_product, new_workspace};
    use phare_store::*;
    use sqlx::postgres::PgConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    use std::str::FromStr;
    use std::sync::Arc;

    /// Options for a new, empty, uniquely named database on the test server.
    pub async fn fresh_database() -> PgConnectOptions {
        let url = match std::env::var("PHARE_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => url,
            _ => panic!(
                "PHARE_TEST_DATABASE_URL is not set: the `pg-tests` feature needs a PostgreSQL \
                 server; run `scripts/with-postgres cargo test -p phare-postgres --features pg-tests`"
            ),
        };
        let server = PgConnectOptions::from_str(&url).unwrap();
        let name = format!("phare_t_{}", uuid::Uuid::now_v7().simple());
        let mut admin = server.connect().await.unwrap();
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        server.database(&name)
    }

    async fn fresh_pg() -> PgStore {
        let store = PgStore::connect_with(fresh_database().await).await.unwrap();
        store.migrate().await.unwrap();
        store
    }

    async fn fresh() -> Arc<dyn Store> {
        Arc::new(fresh_pg().await)
    }

    phare_store::conformance_tests!(fresh);

    #[tokio::test]
    async fn a_loaded_dump_keeps_the_inbox_counts() {
        phare_store::testsuite::a_loaded_dump_keeps_the_inbox_counts(
            &*fresh().await,
            &*fresh().await,
        )
        .await;
    }

    // --- beyond the shared suite -------------------------------------------------------------

    /// The refusals the shared suite does not reach, run on both backends: each must give the
    /// same error (duplicate tokens, foreign keys, unknown ids, a bad cursor).
    async fn refusals(s: &dyn Store) -> Vec<String> {
        let t = now();
        let ws = s.create_workspace(new_workspace("acme")).await.unwrap();
        let admin = s
            .create_member(new_member(ws.id, "a@acme.test", Role::Admin))
            .await
            .unwrap();
        let token = |hash: &str| NewToken {
            id: TokenId::new(),
            member_id: admin.id,
            name: "ci".into(),
            token_hash: hash.into(),
            scopes: vec![Scope::Read],
            expires_at: None,
            now: t,
        };
        let invitation = |ws: WorkspaceId, hash: &str| NewInvitation {
            id: InvitationId::new(),
            workspace_id: ws,
            email: "x@acme.test".into(),
            role: Role::Viewer,
            invited_by: admin.id,
            token_hash: hash.into(),
            now: t,
            expires_at: t + chrono::Duration::days(1),
        };
        let session = |id_hash: &str, member_id| NewSession {
            id_hash: id_hash.into(),
            member_id,
            now: t,
            expires_at: t + chrono::Duration::days(1),
        };
        let mut out = Vec::new();
        let mut push = |what: &str, r: StoreResult<()>| out.push(format!("{what}: {r:?}"));
        s.create_setup_token("st", t).await.unwrap();
        push("setup token", s.create_setup_token("st", t).await);
        s.create_token(token("th")).await.unwrap();
        push("token", s.create_token(token("th")).await.map(drop));
        s.create_invitation(invitation(ws.id, "ih")).await.unwrap();
        push(
            "invitation",
            s.create_invitation(invitation(ws.id, "ih")).await.map(drop),
        );
        push(
            "invitation in no workspace",
            s.create_invitation(invitation(WorkspaceId::new(), "ih2"))
                .await
                .map(drop),
        );
        s.create_session(session("s", admin.id)).await.unwrap();
        push("session", s.create_session(session("s", admin.id)).await);
        push(
            "session of nobody",
            s.create_session(session("s2", MemberId::new())).await,
        );
        push(
            "member of no workspace",
            s.create_member(new_member(WorkspaceId::new(), "b@acme.test", Role::Viewer))
                .await
                .map(drop),
        );
        push(
            "product of no workspace",
            s.create_product(new_product(WorkspaceId::new(), "X"))
                .await
                .map(drop),
        );
        push(
            "password of nobody",
            s.set_password(MemberId::new(), "h", None, t).await,
        );
        push(
            "revoke unknown invitation",
            s.revoke_invitation(ws.id, InvitationId::new(), t).await,
        );
        push(
            "raci of unknown product",
            s.set_raci(ws.id, ProductId::new(), &[]).await.map(drop),
        );
        push(
            "delete unknown line",
            s.delete_product_line(ws.id, ProductLineId::new(), 1).await,
        );
        push(
            "audit page after garbage",
            s.list_audit(
                ws.id,
                &AuditFilter::default(),
                &PageRequest::new(Some(Cursor("garbage".into())), None),
            )
            .await
            .map(drop),
        );
        out
    }

    #[tokio::test]
    async fn refusals_match_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let lite = phare_sqlite::SqliteStore::connect(&format!(
            "sqlite://{}",
            dir.path().join("phare.db").display()
        ))
        .await
        .unwrap();
        lite.migrate().await.unwrap();
        let expected = refusals(&lite).await;
        assert!(expected.iter().any(|r| r.contains("Duplicate(\"token\")")));
        assert_eq!(refusals(&fresh_pg().await).await, expected);
    }

    // --- what several processes on one server must get right ------------------------------

    #[tokio::test]
    async fn two_processes_can_migrate_at_once() {
        let options = fresh_database().await;
        let a = PgStore::connect_with(options.clone()).await.unwrap();
        let b = PgStore::connect_with(options).await.unwrap();
        let (ra, rb) = tokio::join!(a.migrate(), b.migrate());
        ra.unwrap();
        rb.unwrap();
        assert!(a.schema_is_current().await.unwrap());
        assert!(b.schema_is_current().await.unwrap());
        // And a third run later is a no-op.
        a.migrate().await.unwrap();
    }

    // decisions (issue #4)
    /// Two instances (two pools on one database) race to claim the same due jobs: each job is
    /// claimed by exactly one of them (`FOR UPDATE SKIP LOCKED`, no advisory lock). Run on a
    /// multi-threaded runtime so both claim loops truly overlap.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_instances_claim_each_job_once() {
        let options = fresh_database().await;
        let a = PgStore::connect_with(options.clone()).await.unwrap();
        a.migrate().await.unwrap();
        let b = PgStore::connect_with(options).await.unwrap();
        for _ in 0..5 {
            phare_store::testsuite::jobs_race(&a, &b).await;
        }
    }

    #[tokio::test]
    async fn an_unmigrated_database_is_not_current() {
        let store = PgStore::connect_with(fresh_database().await).await.unwrap();
        assert!(!store.schema_is_current().await.unwrap());
    }

    #[tokio::test]
    async fn an_unreachable_server_is_unavailable() {
        // Port 1 on loopback: nothing listens there.
        let r = PgStore::connect("postgres://postgres@127.0.0.1:1/postgres").await;
        assert!(matches!(r, Err(StoreError::Unavailable(_))));
    }

    #[tokio::test]
    async fn rate_limits_hold_across_instances() {
        let options = fresh_database().await;
        let a = Arc::new(PgStore::connect_with(options.clone()).await.unwrap());
        a.migrate().await.unwrap();
        let b = Arc::new(PgStore::connect_with(options).await.unwrap());
        let t = now();
        let mut tasks = Vec::new();
        for i in 0..100 {
            let s = if i % 2 == 0 { a.clone() } else { b.clone() };
            tasks.push(tokio::spawn(async move {
                let keys = ["login:9.9.9.9".to_string()];
                s.hit_rate_limits(&keys, 60, t).await.unwrap()[0]
            }));
        }
        let mut counts = Vec::new();
        for task in tasks {
            counts.push(task.await.unwrap());
        }
        counts.sort_unstable();
        assert_eq!(
            counts,
            (1..=100).collect::<Vec<i64>>(),
            "every hit counted once"
        );
    }

    #[tokio::test]
    async fn concurrent_versioned_updates_let_exactly_one_writer_win() {
        let store = Arc::new(fresh_pg().await);
        let ws = store.create_workspace(new_workspace("acme")).await.unwrap();
        let p = store
            .create_product(new_product(ws.id, "CHK"))
            .await
            .unwrap();
        for round in 0..20 {
            let version = store.get_product(ws.id, p.id).await.unwrap().version;
            let mut tasks = Vec::new();
            for writer in 0..4 {
                let s = store.clone();
                tasks.push(tokio::spawn(async move {
                    s.update_product(
                        ws.id,
                        p.id,
                        version,
                        ProductPatch {
                            name: Some(format!("round {round} writer {writer}")),
                            ..Default::default()
                        },
                    )
                    .await
                }));
            }
            let (mut ok, mut conflicts) = (0, 0);
            for task in tasks {
                match task.await.unwrap() {
                    Ok(_) => ok += 1,
                    Err(StoreError::VersionConflict) => conflicts += 1,
                    Err(e) => panic!("unexpected {e:?}"),
                }
            }
            assert_eq!((ok, conflicts), (1, 3), "round {round}");
        }
        let last = store.get_product(ws.id, p.id).await.unwrap();
        assert_eq!(last.version, 21);
    }

    #[tokio::test]
    async fn concurrent_raci_replacements_never_merge() {
        let store = Arc::new(fresh_pg().await);
        let ws = store.create_workspace(new_workspace("acme")).await.unwrap();
        let mut members = Vec::new();
        for i in 0..4 {
            members.push(
                store
                    .create_member(new_member(ws.id, &format!("m{i}@acme.test"), Role::Viewer))
                    .await
                    .unwrap(),
            );
        }
        let p = store
            .create_product(new_product(ws.id, "CHK"))
            .await
            .unwrap();
        for _ in 0..10 {
            let mut tasks = Vec::new();
            for m in &members {
                let (s, id) = (store.clone(), m.id);
                tasks.push(tokio::spawn(async move {
                    s.set_raci(
                        ws.id,
                        p.id,
                        &[(id, Raci::Accountable), (id, Raci::Informed)],
                    )
                    .await
                    .unwrap()
                }));
            }
            for task in tasks {
                task.await.unwrap();
            }
            let table = store.get_raci(ws.id, p.id).await.unwrap();
            assert_eq!(table.len(), 2, "one writer's whole table: {table:?}");
            assert_eq!(table[0].member_id, table[1].member_id);
        }
    }

    /// Two restores into the same empty database: PostgreSQL aborts one with a serialization
    /// failure, the store runs it again, and it then finds the database not empty.
    #[tokio::test]
    async fn concurrent_loads_let_one_win_and_retry_the_other() {
        let source = fresh_pg().await;
        phare_store::testsuite::fill(&source).await;
        let dump = Arc::new(source.dump().await.unwrap());
        for round in 0..5 {
            let options = fresh_database().await;
            let a = Arc::new(PgStore::connect_with(options.clone()).await.unwrap());
            a.migrate().await.unwrap();
            let b = Arc::new(PgStore::connect_with(options).await.unwrap());
            let (ra, rb) = {
                let (a, b, d1, d2) = (a.clone(), b.clone(), dump.clone(), dump.clone());
                tokio::join!(
                    tokio::spawn(async move { a.load(&d1).await }),
                    tokio::spawn(async move { b.load(&d2).await })
                )
            };
            let results = [ra.unwrap(), rb.unwrap()];
            let ok = results.iter().filter(|r| r.is_ok()).count();
            let not_empty = results
                .iter()
                .filter(|r| matches!(r, Err(StoreError::NotEmpty)))
                .count();
            assert_eq!((ok, not_empty), (1, 1), "round {round}: {results:?}");
            assert_eq!(a.dump().await.unwrap().checksums(), dump.checksums());
        }
    }

    #[tokio::test]
    async fn an_invitation_is_accepted_once_under_contention() {
        let store = Arc::new(fresh_pg().await);
        let ws = store.create_workspace(new_workspace("acme")).await.unwrap();
        let admin = store
            .create_member(new_member(ws.id, "admin@acme.test", Role::Admin))
            .await
            .unwrap();
        let t = now();
        store
            .create_invitation(NewInvitation {
                id: InvitationId::new(),
                workspace_id: ws.id,
                email: "new@acme.test".into(),
                role: Role::Viewer,
                invited_by: admin.id,
                token_hash: "ih".into(),
                now: t,
                expires_at: t + chrono::Duration::days(1),
            })
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for i in 0..8 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                s.accept_invitation(
                    "ih",
                    t,
                    new_member(ws.id, &format!("taker{i}@acme.test"), Role::Viewer),
                )
                .await
            }));
        }
        let mut accepted = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => accepted += 1,
                Err(StoreError::NotFound) => {}
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!(accepted, 1);
        let page = store
            .list_members(ws.id, &PageRequest::default())
            .await
            .unwrap();
        assert_eq!(page.items.len(), 2);
    }

    // --- discovery: the same answers as SQLite, and exact under contention -------------------

    async fn sqlite_store(dir: &tempfile::TempDir) -> phare_sqlite::SqliteStore {
        let lite = phare_sqlite::SqliteStore::connect(&format!(
            "sqlite://{}",
            dir.path().join("phare.db").display()
        ))
        .await
        .unwrap();
        lite.migrate().await.unwrap();
        lite
    }

    /// A workspace with a product manager and a product `CHK`.
    async fn disco_world(s: &dyn Store) -> (Workspace, Member, Product) {
        let ws = s.create_workspace(new_workspace("disco")).await.unwrap();
        let pm = s
            .create_member(new_member(ws.id, "pm@disco.test", Role::ProductManager))
            .await
            .unwrap();
        let p = s.create_product(new_product(ws.id, "CHK")).await.unwrap();
        (ws, pm, p)
    }

    fn new_feedback(ws: WorkspaceId, product: Option<ProductId>, text: &str) -> NewFeedback {
        NewFeedback {
            id: FeedbackId::new(),
            workspace_id: ws,
            product_id: product,
            text: text.into(),
            source: SourceKind::Support,
            customer: None,
            contact: None,
            author_id: None,
            observed_at: now(),
            tags: Vec::new(),
            external: None,
            now: now(),
        }
    }

    fn new_idea(ws: WorkspaceId, product: ProductId, title: &str) -> NewIdea {
        NewIdea {
            id: IdeaId::new(),
            workspace_id: ws,
            product_id: product,
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
            now: now(),
        }
    }

    fn new_link(
        ws: WorkspaceId,
        idea: IdeaId,
        fb: FeedbackId,
        importance: Importance,
    ) -> NewEvidence {
        NewEvidence {
            id: EvidenceId::new(),
            workspace_id: ws,
            idea_id: idea,
            feedback_id: fb,
            excerpt: None,
            importance,
            created_by: None,
            now: now(),
        }
    }

    /// The discovery refusals, run on both backends: each must give the same error.
    async fn discovery_refusals(s: &dyn Store) -> Vec<String> {
        let (ws, _pm, p) = disco_world(s).await;
        let other = s.create_workspace(new_workspace("other")).await.unwrap();
        let mut out = Vec::new();
        let mut push = |what: &str, r: StoreResult<()>| out.push(format!("{what}: {r:?}"));
        let mut with_customer = new_feedback(ws.id, Some(p.id), "from Acme");
        with_customer.customer = Some(CustomerInput {
            name: "Acme".into(),
            kind: CustomerKind::Organisation,
            segment: None,
            weight: 1,
        });
        let f = s.create_feedback(with_customer).await.unwrap();
        let mut globex = new_feedback(ws.id, None, "from Globex");
        globex.customer = Some(CustomerInput {
            name: "Globex".into(),
            kind: CustomerKind::Person,
            segment: None,
            weight: 2,
        });
        let g = s.create_feedback(globex).await.unwrap();
        let globex_id = g.customer_id.unwrap();
        push(
            "rename a customer to another's name",
            s.update_customer(
                ws.id,
                globex_id,
                1,
                CustomerPatch {
                    name: Some("ACME".into()),
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        );
        push(
            "customer of another workspace",
            s.get_customer(other.id, globex_id).await.map(drop),
        );
        let i = s
            .create_idea(new_idea(ws.id, p.id, "Export"))
            .await
            .unwrap();
        let j = s
            .create_idea(new_idea(ws.id, p.id, "Import"))
            .await
            .unwrap();
        s.add_evidence(new_link(ws.id, i.id, f.id, Importance::Important))
            .await
            .unwrap();
        push(
            "link twice",
            s.add_evidence(new_link(ws.id, i.id, f.id, Importance::Critical))
                .await
                .map(drop),
        );
        push(
            "link unknown feedback",
            s.add_evidence(new_link(
                ws.id,
                i.id,
                FeedbackId::new(),
                Importance::Critical,
            ))
            .await
            .map(drop),
        );
        push(
            "link unknown idea",
            s.add_evidence(new_link(ws.id, IdeaId::new(), f.id, Importance::Critical))
                .await
                .map(drop),
        );
        push(
            "import links, one already made",
            s.import_evidence(vec![
                new_link(ws.id, i.id, f.id, Importance::Critical),
                new_link(ws.id, j.id, f.id, Importance::Critical),
            ])
            .await
            .map(|n| assert_eq!(n, 1)),
        );
        push(
            "remove unknown evidence",
            s.remove_evidence(ws.id, EvidenceId::new()).await,
        );
        push(
            "feedback with a product of nowhere",
            s.create_feedback(new_feedback(ws.id, Some(ProductId::new()), "x"))
                .await
                .map(drop),
        );
        push(
            "feedback with the same tag twice",
            s.create_feedback(NewFeedback {
                tags: vec!["a".into(), "a".into()],
                ..new_feedback(ws.id, None, "x")
            })
            .await
            .map(drop),
        );
        push(
            "feedback by an unknown author",
            s.create_feedback(NewFeedback {
                author_id: Some(MemberId::new()),
                ..new_feedback(ws.id, None, "x")
            })
            .await
            .map(drop),
        );
        push(
            "update feedback with a stale version",
            s.update_feedback(ws.id, f.id, 1, FeedbackPatch::default())
                .await
                .map(drop),
        );
        push(
            "assign feedback to a stranger",
            s.update_feedback(
                ws.id,
                g.id,
                g.version,
                FeedbackPatch {
                    assignee_id: Some(Some(MemberId::new())),
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        );
        push(
            "bulk with an unknown id",
            s.bulk_update_feedback(ws.id, &[g.id, FeedbackId::new()], FeedbackBulk::default())
                .await
                .map(drop),
        );
        push(
            "delete unknown feedback",
            s.delete_feedback(ws.id, FeedbackId::new(), 1).await,
        );
        push(
            "idea in a product of nowhere",
            s.create_idea(new_idea(ws.id, ProductId::new(), "x"))
                .await
                .map(drop),
        );
        push(
            "idea owned by a stranger",
            s.create_idea(NewIdea {
                owner_id: Some(MemberId::new()),
                ..new_idea(ws.id, p.id, "x")
            })
            .await
            .map(drop),
        );
        push(
            "idea id used twice",
            s.create_idea(NewIdea {
                id: i.id,
                ..new_idea(ws.id, p.id, "again")
            })
            .await
            .map(drop),
        );
        push(
            "update idea with a stale version",
            s.update_idea(ws.id, i.id, 0, IdeaPatch::default())
                .await
                .map(drop),
        );
        push(
            "idea by unknown number",
            s.get_idea_by_number(ws.id, p.id, 99).await.map(drop),
        );
        let merge = |from: IdeaId, into: IdeaId| IdeaMerge {
            id: uuid::Uuid::now_v7(),
            workspace_id: ws.id,
            from_idea_id: from,
            into_idea_id: into,
            actor_id: None,
            reason: "dup".into(),
            at: now(),
        };
        push(
            "merge into itself",
            s.merge_ideas(merge(i.id, i.id)).await.map(drop),
        );
        push(
            "merge an unknown idea",
            s.merge_ideas(merge(IdeaId::new(), i.id)).await.map(drop),
        );
        s.merge_ideas(merge(j.id, i.id)).await.unwrap();
        push(
            "merge a merged idea",
            s.merge_ideas(merge(j.id, i.id)).await.map(drop),
        );
        push(
            "merge into a merged idea",
            s.merge_ideas(merge(i.id, j.id)).await.map(drop),
        );
        let forged = PageRequest::new(Some(Cursor("garbage".into())), None);
        push(
            "feedback page after garbage",
            s.list_feedback(ws.id, &FeedbackFilter::default(), &forged)
                .await
                .map(|p| assert!(p.items.is_empty())),
        );
        push(
            "idea page after garbage",
            s.list_ideas(ws.id, &IdeaFilter::default(), &forged)
                .await
                .map(|p| assert!(p.items.is_empty())),
        );
        push(
            "customer page after garbage",
            s.list_customers(ws.id, &forged).await.map(|p| {
                assert_eq!(
                    p.items.len(),
                    1,
                    "names sort after \"garbage\": only \"Globex\""
                )
            }),
        );
        out
    }

    #[tokio::test]
    async fn discovery_refusals_match_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let expected = discovery_refusals(&sqlite_store(&dir).await).await;
        assert!(expected
            .iter()
            .any(|r| r.contains("Duplicate(\"feedback_id\")")));
        assert!(expected.iter().any(|r| r.contains("Duplicate(\"name\")")));
        assert_eq!(discovery_refusals(&fresh_pg().await).await, expected);
    }

    /// Texts that stress the analyzer and both indexes: two languages, accents, elisions,
    /// Markdown, numbers, other scripts, long words, punctuation.
    const CORPUS: &[&str] = &[
        "Les exportations en PDF sont très lentes depuis la mise à jour",
        "L'export CSV perd les accents : « Éléonore » devient « Eleonore »",
        "Export the **roadmap** to PDF and share a link",
        "We need SSO (SAML 2.0) before the Q3 renewal — blocker for ACME",
        "Dark mode, please! Our night-shift operators can't read the screen",
        "Le mode sombre n'est pas appliqué aux e-mails de notification",
        "API rate limits: 429 Too Many Requests after 100 calls/min",
        "Импорт данных из Excel не работает",
        "日本語の検索ができません",
        "Webhooks retry forever when the endpoint returns 500",
        "Supercalifragilisticexpialidociousandthensomemorelettersuntiltoolong word",
        "L'équipe qu'on a rencontrée jusqu'à hier voulait exporter vers Jira",
        "Offline mode for the mobile app; sync when back online",
        "Filtrer les retours par segment et par étiquette",
        "naïve café résumé coöperate",
        "Version 2.3.1 crashes on iOS 17 when printing invoices",
    ];

    const QUERIES: &[&str] = &[
        "export",
        "exporter pdf",
        "PDF",
        "tres lentes",
        "eleonore",
        "sso saml",
        "mode sombre",
        "dark mode",
        "429",
        "данных",
        "日本語の検索ができません",
        "webhook retries",
        "qu'on rencontre",
        "jira",
        "sync online",
        "etiquette segment",
        "cafe resume",
        "naive",
        "ios invoices",
        "2.3.1",
        "supercalifragilisticexpialidocious",
        "the",
        "le la les",
        "nothing-matches-this",
    ];

    /// For each query, the corpus entries found (as sorted indexes), ideas and feedback alike.
    async fn search_sets(s: &dyn Store) -> Vec<(String, Vec<usize>)> {
        let (ws, _pm, p) = disco_world(s).await;
        let mut index = std::collections::HashMap::new();
        for (n, text) in CORPUS.iter().enumerate() {
            let id = if n % 2 == 0 {
                s.create_feedback(new_feedback(ws.id, Some(p.id), text))
                    .await
                    .unwrap()
                    .id
                    .0
            } else {
                s.create_idea(NewIdea {
                    text: IdeaText {
                        title: text.chars().take(30).collect(),
                        description: (*text).into(),
                        ..Default::default()
                    },
                    ..new_idea(ws.id, p.id, "")
                })
                .await
                .unwrap()
                .id
                .0
            };
            index.insert(id, n);
        }
        let mut out = Vec::new();
        for q in QUERIES {
            let query = SearchQuery {
                terms: phare_domain::text::query_terms(q),
                product: None,
                kinds: Vec::new(),
                limit: 100,
            };
            let mut found: Vec<usize> = s
                .search(ws.id, &query)
                .await
                .unwrap()
                .iter()
                .map(|h| index[&h.id])
                .collect();
            found.sort_unstable();
            out.push((format!("search {q:?}"), found));
            let terms: Vec<String> = query.terms.into_iter().flatten().collect();
            let mut similar: Vec<usize> = s
                .similar_idea_candidates(ws.id, p.id, &terms, None, 100)
                .await
                .unwrap()
                .iter()
                .map(|i| index[&i.id.0])
                .collect();
            similar.sort_unstable();
            out.push((format!("similar {q:?}"), similar));
        }
        out
    }

    /// Ranks may differ (FTS5 bm25 against ts_rank), but what matches may not.
    #[tokio::test]
    async fn search_matches_the_same_records_as_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let expected = search_sets(&sqlite_store(&dir).await).await;
        assert!(
            expected
                .iter()
                .filter(|(_, found)| !found.is_empty())
                .count()
                > 20,
            "the corpus must exercise matches: {expected:?}"
        );
        assert_eq!(search_sets(&fresh_pg().await).await, expected);
    }

    #[tokio::test]
    async fn idea_numbers_stay_unique_and_gapless_across_instances() {
        let options = fresh_database().await;
        let a = Arc::new(PgStore::connect_with(options.clone()).await.unwrap());
        a.migrate().await.unwrap();
        let b = Arc::new(PgStore::connect_with(options).await.unwrap());
        let (ws, _pm, p) = disco_world(&*a).await;
        let mut tasks = Vec::new();
        for i in 0..24 {
            let s = if i % 2 == 0 { a.clone() } else { b.clone() };
            tasks.push(tokio::spawn(async move {
                s.create_idea(new_idea(ws.id, p.id, &format!("idea {i}")))
                    .await
                    .unwrap()
                    .number
            }));
        }
        let mut numbers = Vec::new();
        for t in tasks {
            numbers.push(t.await.unwrap());
        }
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=24).collect::<Vec<i64>>());
    }

    #[tokio::test]
    async fn a_customer_named_by_several_writers_at_once_is_created_once() {
        let options = fresh_database().await;
        let a = Arc::new(PgStore::connect_with(options.clone()).await.unwrap());
        a.migrate().await.unwrap();
        let b = Arc::new(PgStore::connect_with(options).await.unwrap());
        let (ws, _pm, p) = disco_world(&*a).await;
        for round in 0..5 {
            let mut tasks = Vec::new();
            for i in 0..8 {
                let s = if i % 2 == 0 { a.clone() } else { b.clone() };
                let name = [format!("NewCo {round}"), format!("newco {round}")][i % 2].clone();
                tasks.push(tokio::spawn(async move {
                    let mut f = new_feedback(ws.id, Some(p.id), "hello");
                    f.customer = Some(CustomerInput {
                        name,
                        kind: CustomerKind::Organisation,
                        segment: None,
                        weight: 1,
                    });
                    s.create_feedback(f).await.unwrap().customer_id.unwrap()
                }));
            }
            let mut ids = std::collections::HashSet::new();
            for t in tasks {
                ids.insert(t.await.unwrap());
            }
            assert_eq!(ids.len(), 1, "round {round}");
        }
        let customers = a
            .list_customers(ws.id, &PageRequest::default())
            .await
            .unwrap();
        assert_eq!(customers.items.len(), 5);
    }

    #[tokio::test]
    async fn concurrent_imports_of_one_external_record_update_it() {
        let options = fresh_database().await;
        let a = Arc::new(PgStore::connect_with(options.clone()).await.unwrap());
        a.migrate().await.unwrap();
        let b = Arc::new(PgStore::connect_with(options).await.unwrap());
        let (ws, _pm, p) = disco_world(&*a).await;
        let mut tasks = Vec::new();
        for i in 0..8 {
            let s = if i % 2 == 0 { a.clone() } else { b.clone() };
            tasks.push(tokio::spawn(async move {
                let mut f = new_feedback(ws.id, Some(p.id), &format!("version {i}"));
                f.external = Some(("csv".into(), "row-1".into()));
                let mut idea = new_idea(ws.id, p.id, &format!("version {i}"));
                idea.external = Some(("jira".into(), "PRJ-1".into()));
                (
                    s.import_feedback(vec![f]).await.unwrap(),
                    s.import_ideas(vec![idea]).await.unwrap(),
                )
            }));
        }
        let (mut feedback_created, mut ideas_created) = (0, 0);
        for t in tasks {
            let (f, i) = t.await.unwrap();
            assert_eq!(f.created + f.updated, 1);
            assert_eq!(i.created + i.updated, 1);
            feedback_created += f.created;
            ideas_created += i.created;
        }
        assert_eq!((feedback_created, ideas_created), (1, 1));
        let counts = a
            .count_feedback(ws.id, &FeedbackFilter::default())
            .await
            .unwrap();
        assert_eq!(counts.new, 1);
        let ideas = a
            .list_ideas(ws.id, &IdeaFilter::default(), &PageRequest::default())
            .await
            .unwrap();
        assert_eq!(ideas.items.len(), 1);
        assert_eq!(ideas.items[0].number, 1);
        assert_eq!(
            ideas.items[0].version, 8,
            "created once, updated seven times"
        );
        // No number was burnt by the imports that lost the race.
        let next = a.create_idea(new_idea(ws.id, p.id, "next")).await.unwrap();
        assert_eq!(next.number, 2);
    }

    /// Every counter equals what it counts.
    async fn assert_counters_exact(s: &dyn Store, ws: WorkspaceId) {
        let ideas = s
            .list_ideas(
                ws,
                &IdeaFilter {
                    include_merged: true,
                    ..Default::default()
                },
                &PageRequest::first(200),
            )
            .await
            .unwrap();
        let mut links = 0;
        for i in &ideas.items {
            let ev = s.list_idea_evidence(ws, i.id).await.unwrap();
            // (A merged idea can hold evidence again: both stores accept links to it.)
            assert_eq!(i.evidence_count, ev.len() as i64, "idea {}", i.reference);
            links += ev.len();
        }
        let feedback = s
            .list_feedback(ws, &FeedbackFilter::default(), &PageRequest::first(200))
            .await
            .unwrap();
        let mut linked = 0;
        for f in &feedback.items {
            let on = s.list_feedback_ideas(ws, f.id).await.unwrap();
            assert_eq!(f.evidence_count, on.len() as i64, "feedback {:?}", f.text);
            if f.evidence_count > 0 {
                assert_ne!(f.state, FeedbackState::New, "linking triages");
            }
            linked += on.len();
        }
        assert_eq!(links, linked);
    }

    #[tokio::test]
    async fn evidence_counters_stay_exact_under_contention() {
        let options = fresh_database().await;
        let a = Arc::new(PgStore::connect_with(options.clone()).await.unwrap());
        a.migrate().await.unwrap();
        let b = Arc::new(PgStore::connect_with(options).await.unwrap());
        let (ws, _pm, p) = disco_world(&*a).await;
        let mut feedback = Vec::new();
        for i in 0..12 {
            feedback.push(
                a.create_feedback(new_feedback(ws.id, Some(p.id), &format!("item {i}")))
                    .await
                    .unwrap(),
            );
        }
        let mut ideas = Vec::new();
        for i in 0..6 {
            ideas.push(
                a.create_idea(new_idea(ws.id, p.id, &format!("idea {i}")))
                    .await
                    .unwrap(),
            );
        }
        // Some links exist before the storm, so that it can remove and move them.
        let mut existing = Vec::new();
        for (n, f) in feedback.iter().enumerate().take(8) {
            let idea = ideas[n % 6].id;
            existing.push(
                a.add_evidence(new_link(ws.id, idea, f.id, Importance::Important))
                    .await
                    .unwrap(),
            );
        }
        let mut tasks: Vec<tokio::task::JoinHandle<()>> = Vec::new();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in 0..60 {
            let s = if n % 2 == 0 { a.clone() } else { b.clone() };
            let idea = ideas[(next() % 6) as usize].id;
            let fb = feedback[(next() % 12) as usize].id;
            let importance = [Importance::NiceToHave, Importance::Critical][n % 2];
            if n % 5 == 0 {
                // A batch of links (the import path), some perhaps linked already.
                let other = ideas[(next() % 6) as usize].id;
                let fb2 = feedback[(next() % 12) as usize].id;
                tasks.push(tokio::spawn(async move {
                    let batch = vec![
                        new_link(ws.id, idea, fb, importance),
                        new_link(ws.id, other, fb2, importance),
                        new_link(ws.id, other, fb, importance),
                    ];
                    match s.import_evidence(batch).await {
                        Ok(_) | Err(StoreError::VersionConflict) | Err(StoreError::NotFound) => {}
                        Err(e) => panic!("import links: {e:?}"),
                    }
                }));
                continue;
            }
            tasks.push(tokio::spawn(async move {
                // VersionConflict: a merge of that idea committed first (it only redirects).
                match s.add_evidence(new_link(ws.id, idea, fb, importance)).await {
                    Ok(_)
                    | Err(StoreError::Duplicate("feedback_id"))
                    | Err(StoreError::VersionConflict)
                    | Err(StoreError::NotFound) => {}
                    Err(e) => panic!("link: {e:?}"),
                }
            }));
        }
        for (n, e) in existing.iter().enumerate().take(4) {
            let s = if n % 2 == 0 { a.clone() } else { b.clone() };
            let id = e.id;
            tasks.push(tokio::spawn(async move {
                match s.remove_evidence(ws.id, id).await {
                    Ok(()) | Err(StoreError::NotFound) => {}
                    Err(e) => panic!("unlink: {e:?}"),
                }
            }));
        }
        for (from, into) in [(0, 1), (2, 3), (4, 1)] {
            let s = b.clone();
            let (from, into) = (ideas[from].id, ideas[into].id);
            tasks.push(tokio::spawn(async move {
                match s
                    .merge_ideas(IdeaMerge {
                        id: uuid::Uuid::now_v7(),
                        workspace_id: ws.id,
                        from_idea_id: from,
                        into_idea_id: into,
                        actor_id: None,
                        reason: "dup".into(),
                        at: now(),
                    })
                    .await
                {
                    Ok(_) | Err(StoreError::VersionConflict) => {}
                    Err(e) => panic!("merge: {e:?}"),
                }
            }));
        }
        for f in feedback.iter().skip(9) {
            let s = a.clone();
            let id = f.id;
            tasks.push(tokio::spawn(async move {
                // Linking bumps the version of a new item: read, then delete, until it holds.
                loop {
                    let version = match s.get_feedback(ws.id, id).await {
                        Ok(f) => f.version,
                        Err(e) => panic!("read: {e:?}"),
                    };
                    match s.delete_feedback(ws.id, id, version).await {
                        Ok(()) => break,
                        Err(StoreError::VersionConflict) => continue,
                        Err(e) => panic!("delete: {e:?}"),
                    }
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_counters_exact(&*a, ws.id).await;
        // The imports of the same links from two instances make each link once.
        let pairs: Vec<(IdeaId, FeedbackId)> =
            (0..9).map(|n| (ideas[5].id, feedback[n].id)).collect();
        // Read before the imports start: spawned tasks run at once on this runtime.
        let before = a.get_idea(ws.id, ideas[5].id).await.unwrap().evidence_count;
        let mut imports = Vec::new();
        for n in 0..4 {
            let s = if n % 2 == 0 { a.clone() } else { b.clone() };
            let items: Vec<NewEvidence> = pairs
                .iter()
                .map(|(i, f)| new_link(ws.id, *i, *f, Importance::Important))
                .collect();
            imports.push(tokio::spawn(async move {
                s.import_evidence(items).await.unwrap()
            }));
        }
        let mut made = 0;
        for t in imports {
            made += t.await.unwrap();
        }
        let after = a.get_idea(ws.id, ideas[5].id).await.unwrap().evidence_count;
        assert_eq!(after, 9);
        assert_eq!(made as i64, after - before);
        assert_counters_exact(&*a, ws.id).await;
    }

    /// A search fills its window of the newest 1,000 matches from the newest recency buckets
    /// backwards (migration 0016, `search_window`): here the matches lie in buckets 40, 30 and 0
    /// of `doc >> 15`, with empty buckets between them, so the window takes a one-bucket step,
    /// a step across several buckets, and the step over all older entries.
    #[tokio::test]
    async fn search_windows_cross_recency_buckets() {
        let options = fresh_database().await;
        let s = PgStore::connect_with(options.clone()).await.unwrap();
        s.migrate().await.unwrap();
        let mut raw = options.connect().await.unwrap();
        let ws = s.create_workspace(new_workspace("buckets")).await.unwrap();
        let p = s.create_product(new_product(ws.id, "BKT")).await.unwrap();
        let batch = |n: usize, text: &str| -> Vec<NewFeedback> {
            (0..n)
                .map(|k| new_feedback(ws.id, Some(p.id), &format!("{text} {k}")))
                .collect()
        };
        let ids = |b: &[NewFeedback]| -> Vec<uuid::Uuid> { b.iter().map(|f| f.id.0).collect() };
        let jump_to_bucket = |b: i64| {
            format!(
                "SELECT setval(pg_get_serial_sequence('search_docs', 'doc'), {})",
                b << 15
            )
        };
        // Bucket 0: 400 strong matches, then 200 more; only the later 200 fit in the window.
        let (old_strong, new_strong) = (
            batch(400, "Chaudière chaudière"),
            batch(200, "Chaudière chaudière"),
        );
        let kept = ids(&new_strong);
        s.import_feedback(old_strong).await.unwrap();
        s.import_feedback(new_strong).await.unwrap();
        // Bucket 30 and bucket 40: 300 and 500 weaker matches.
        let weak = "La chaudière du bâtiment est encore tombée en panne ce matin, numéro";
        sqlx::query(&jump_to_bucket(30))
            .execute(&mut raw)
            .await
            .unwrap();
        let middle = batch(300, weak);
        let middle_ids = ids(&middle);
        s.import_feedback(middle).await.unwrap();
        sqlx::query(&jump_to_bucket(40))
            .execute(&mut raw)
            .await
            .unwrap();
        s.import_feedback(batch(500, weak)).await.unwrap();

        let search = |q: &str, limit: u32| SearchQuery {
            terms: phare_domain::text::query_terms(q),
            product: None,
            kinds: Vec::new(),
            limit,
        };
        // The 100 best of the window are strong matches, all from the later 200: equal ranks
        // come out oldest first, so the earlier 400 would lead if they were ranked.
        let hits = s.search(ws.id, &search("chaudière", 100)).await.unwrap();
        assert_eq!(hits.len(), 100);
        assert!(
            hits.iter().all(|h| kept.contains(&h.id)),
            "outside the window"
        );
        // A word found only in bucket 30 is reached by the step over buckets 26 to 33.
        let hits = s
            .search(ws.id, &search("bâtiment tombée", 100))
            .await
            .unwrap();
        assert_eq!(hits.len(), 100);
        let hits = s.search(ws.id, &search("chaudière 17", 100)).await.unwrap();
        assert_eq!(hits.len(), 4, "item 17 of each batch: {hits:?}");
        assert!(hits.iter().any(|h| middle_ids.contains(&h.id)));
        // A word without a lexeme for PostgreSQL matches nothing in any step, not the bucket.
        assert!(s
            .search(ws.id, &search("௰௰", 100))
            .await
            .unwrap()
            .is_empty());
        // Filters apply at every step: another product has none of these.
        let other = s.create_product(new_product(ws.id, "OTH")).await.unwrap();
        let mut q = search("chaudière", 100);
        q.product = Some(other.id);
        assert!(s.search(ws.id, &q).await.unwrap().is_empty());
    }
}
