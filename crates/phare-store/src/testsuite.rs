//! The conformance suite: one function per behaviour of the [`Store`] contract. Each backend
//! runs all of them through [`conformance_tests!`](crate::conformance_tests) on a fresh database.

// This module is the shared test suite (compiled only with the `testsuite` feature): a failed
// expectation should panic with its value, as in any test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// decisions (issue #4)
mod decisions;
mod discovery;
mod portal;
mod research;
// decisions (issue #4)
pub use decisions::*;
// specs (issue 4)
mod specs;
pub use discovery::*;
pub use portal::*;
pub use research::*;
// specs (issue 4)
pub use specs::*;
// scoring slice (issue #4)
mod scoring;
// scoring slice (issue #4)
pub use scoring::*;
// Stakeholder sessions (issue #4 part 3).
mod stakeholders;
pub use stakeholders::*;

use crate::*;
use chrono::Duration;
use phare_domain::*;

/// Generates one `#[tokio::test]` per conformance check. `$fresh` is an async fn returning an
/// `Arc<dyn Store>` on an empty, migrated database.
#[macro_export]
macro_rules! conformance_tests {
    ($fresh:path) => {
        $crate::conformance_tests!(@each $fresh;
            migrations_are_current,
            setup_consumes_its_token_once,
            setup_with_an_expired_token_creates_nothing,
            workspaces_update_with_versions,
            members_are_unique_by_email_and_scoped_to_their_workspace,
            member_updates_check_the_version,
            disabling_a_member_ends_sessions_and_revokes_tokens,
            member_pages_follow_the_cursor,
            set_password_keeps_only_the_current_session,
            sessions_round_trip_touch_and_purge,
            tokens_are_found_by_hash_listed_and_revoked_by_their_owner_only,
            invitations_are_accepted_once,
            expired_or_revoked_invitations_cannot_be_accepted,
            product_lines_crud_with_versions,
            products_are_unique_by_key_per_workspace,
            product_updates_check_the_version_and_filters_apply,
            product_pages_follow_the_cursor,
            raci_is_replaced_whole_and_refuses_foreign_members,
            audit_is_append_only_filtered_and_newest_first,
            rate_limit_counts_in_fixed_windows,
            idempotent_responses_are_stored_once,
            dump_and_load_round_trip_exactly,
            load_refuses_a_database_that_holds_data,
            feedback_is_listed_newest_first_filtered_and_counted,
            feedback_updates_check_versions_and_bulk_changes_are_all_or_nothing,
            inbox_counts_stay_exact_through_every_change,
            imports_update_instead_of_duplicating_and_are_all_or_nothing,
            fed_imports_commit_only_when_the_feed_completes,
            batches_keep_the_rules_of_one_item,
            search_ranks_the_newest_thousand_matches,
            words_the_index_cannot_hold_find_nothing,
            customers_are_listed_and_updated_with_versions,
            customers_are_found_by_name_prefix,
            a_capture_and_its_audit_event_commit_together,
            ideas_are_numbered_per_product_and_keep_their_history,
            bug_reports_keep_their_template_history_and_filter,
            idea_owners_are_the_members_owning_ideas_of_the_product,
            evidence_counts_customers_and_demand,
            merging_moves_evidence_and_redirects,
            search_finds_stemmed_words_in_both_languages_within_the_workspace,
            similar_candidates_share_words_and_stay_in_the_product,
            personas_are_unique_per_product_and_link_to_ideas_and_feedback,
            the_comparison_grid_rates_capabilities_per_competitor,
            research_notes_page_and_passages_become_evidence_at_once,
            personas_competitors_and_notes_are_found_by_search,
            portals_are_versioned_and_found_by_their_public_address,
            only_published_ideas_are_listed_in_every_order,
            votes_are_idempotent_and_counters_equal_rows,
            imported_votes_count_like_cast_ones_all_or_nothing,
            concurrent_votes_keep_one_row_per_voter_and_exact_counts,
            sign_in_codes_expire_and_die_after_five_tries,
            portal_sessions_round_trip_and_purge,
            comments_are_counted_hidden_and_listed,
            merging_moves_votes_comments_and_subscribers_once_per_person,
            submissions_are_held_with_their_inbox_item,
            the_outbox_hands_each_message_to_one_sender,
            // decisions (issue #4)
            decisions_are_recorded_listed_filtered_and_searched,
            decision_references_are_checked_and_nothing_is_stored_on_a_missing_one,
            jobs_are_claimed_when_due_leased_completed_and_retried,
            jobs_are_claimed_once_by_two_racing_claimers,
            notifications_are_kept_once_per_key_listed_and_read,
            a_decision_and_its_changes_are_stored_together_or_not_at_all,
            // specs (issue 4)
            specs_keep_every_version_and_refuse_a_stale_save,
            concurrent_spec_saves_from_one_version_keep_exactly_one,
            specs_and_docs_of_another_workspace_are_not_found,
            feature_docs_are_versioned_and_published,
            // scoring slice (issue #4)
            scores_follow_the_primary_framework_and_weights_rescore_at_once,
            the_backlog_pages_by_score_and_by_rank_with_filters,
            moves_place_an_idea_exactly_where_asked,
            concurrent_moves_keep_one_distinct_position_per_idea,
            saved_views_are_private_or_shared,
            saved_views_are_renamed_and_shared_unless_the_name_is_taken,
            a_bulk_status_change_is_all_or_nothing,
            the_matrix_reads_value_and_effort_and_imports_score_at_once,
            // Stakeholder sessions.
            stakeholder_groups_are_seeded_once_edited_and_kept_while_used,
            sessions_hold_ideas_of_one_product_and_stay_in_their_workspace,
            ballots_are_private_versioned_and_refused_after_the_deadline_or_the_close,
            closing_weighs_the_groups_and_stores_the_results_once,
        );
        $crate::conformance_tests!(@pair $fresh;
            discovery_moves_to_a_fresh_database_exactly,
            portal_moves_to_a_fresh_database_exactly,
            // decisions (issue #4)
            decisions_move_to_a_fresh_database_exactly,
            // specs (issue 4)
            specs_move_to_a_fresh_database_exactly,
            // scoring slice (issue #4)
            scoring_moves_to_a_fresh_database_exactly,
            stakeholder_sessions_move_to_a_fresh_database_exactly,
        );
    };
    (@pair $fresh:path; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let from = $fresh().await;
                let to = $fresh().await;
                $crate::testsuite::$name(&*from, &*to).await;
            }
        )*
    };
    (@each $fresh:path; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let store = $fresh().await;
                $crate::testsuite::$name(&*store).await;
            }
        )*
    };
}

pub(crate) fn t0() -> Timestamp {
    to_micros(
        chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00.123456Z")
            .map(|d| d.with_timezone(&chrono::Utc))
            .unwrap_or_else(|_| now()),
    )
}

pub fn new_workspace(slug: &str) -> NewWorkspace {
    NewWorkspace {
        id: WorkspaceId::new(),
        slug: slug.into(),
        name: format!("Workspace {slug}"),
        default_locale: Locale::Fr,
        now: t0(),
    }
}

pub fn new_member(ws: WorkspaceId, email: &str, role: Role) -> NewMember {
    NewMember {
        id: MemberId::new(),
        workspace_id: ws,
        email: email.into(),
        name: format!("Name of {email}"),
        role,
        job_title: Some(JobTitle::Pm),
        password_hash: Some(format!("hash-of-{email}")),
        time_zone: "Europe/Paris".into(),
        locale: None,
        now: t0(),
    }
}

pub fn new_product(ws: WorkspaceId, key: &str) -> NewProduct {
    NewProduct {
        id: ProductId::new(),
        workspace_id: ws,
        product_line_id: None,
        name: format!("Product {key}"),
        key: key.into(),
        description: "Décrit en **Markdown**".into(),
        pm_model: PmModel::Shared,
        now: t0(),
    }
}

async fn workspace_with_admin(s: &dyn Store, slug: &str) -> (Workspace, Member) {
    let ws = s.create_workspace(new_workspace(slug)).await.unwrap();
    let admin = s
        .create_member(new_member(
            ws.id,
            &format!("admin@{slug}.test"),
            Role::Admin,
        ))
        .await
        .unwrap();
    (ws, admin)
}

fn audit_event(ws: Option<WorkspaceId>, action: &str, at: Timestamp, outcome: &str) -> AuditEvent {
    AuditEvent {
        id: AuditId::new(),
        workspace_id: ws,
        at,
        actor_id: None,
        actor_label: "someone@example.org".into(),
        action: action.into(),
        target_kind: "product".into(),
        target_id: Some("p-1".into()),
        outcome: outcome.into(),
        request_id: "req-1".into(),
        source_ip: "127.0.0.1".into(),
        detail: serde_json::json!({"fields": ["name"]}),
    }
}

pub async fn migrations_are_current(s: &dyn Store) {
    s.ping().await.unwrap();
    assert!(s.schema_is_current().await.unwrap());
    assert!(!s.is_set_up().await.unwrap());
    assert!(matches!(s.backend(), "sqlite" | "postgres"));
}

pub async fn setup_consumes_its_token_once(s: &dyn Store) {
    let t = t0();
    s.create_setup_token("tok", t + Duration::hours(1))
        .await
        .unwrap();
    assert!(s.setup_token_is_valid("tok", t).await.unwrap());
    assert!(!s.setup_token_is_valid("other", t).await.unwrap());
    let ws = new_workspace("acme");
    let admin = new_member(ws.id, "ada@acme.test", Role::Admin);
    s.complete_setup("tok", t, ws.clone(), admin.clone())
        .await
        .unwrap();
    assert!(s.is_set_up().await.unwrap());
    assert!(!s.setup_token_is_valid("tok", t).await.unwrap());
    let again = s
        .complete_setup(
            "tok",
            t,
            new_workspace("other"),
            new_member(ws.id, "x@y.test", Role::Admin),
        )
        .await;
    assert!(matches!(again, Err(StoreError::NotFound)), "{again:?}");
    let (m, hash) = s.find_credentials("ada@acme.test").await.unwrap().unwrap();
    assert_eq!(m.role, Role::Admin);
    assert_eq!(m.workspace_id, ws.id);
    assert_eq!(hash.as_deref(), Some("hash-of-ada@acme.test"));
    assert_eq!(s.list_workspaces().await.unwrap().len(), 1);
}

pub async fn setup_with_an_expired_token_creates_nothing(s: &dyn Store) {
    let t = t0();
    s.create_setup_token("old", t - Duration::seconds(1))
        .await
        .unwrap();
    assert!(!s.setup_token_is_valid("old", t).await.unwrap());
    let ws = new_workspace("late");
    let r = s
        .complete_setup(
            "old",
            t,
            ws.clone(),
            new_member(ws.id, "a@late.test", Role::Admin),
        )
        .await;
    assert!(matches!(r, Err(StoreError::NotFound)));
    assert!(!s.is_set_up().await.unwrap());
    assert!(s.find_credentials("a@late.test").await.unwrap().is_none());
}

pub async fn workspaces_update_with_versions(s: &dyn Store) {
    let ws = s.create_workspace(new_workspace("acme")).await.unwrap();
    assert_eq!(ws.version, 1);
    assert_eq!(s.get_workspace(ws.id).await.unwrap(), ws);
    let dup = s.create_workspace(new_workspace("acme")).await;
    assert!(matches!(dup, Err(StoreError::Duplicate("slug"))), "{dup:?}");
    let patch = WorkspacePatch {
        name: Some("Acme SA".into()),
        default_locale: Some(Locale::En),
        now: Some(t0()),
    };
    let up = s.update_workspace(ws.id, 1, patch.clone()).await.unwrap();
    assert_eq!(
        (up.name.as_str(), up.default_locale, up.version),
        ("Acme SA", Locale::En, 2)
    );
    assert!(matches!(
        s.update_workspace(ws.id, 1, patch.clone()).await,
        Err(StoreError::VersionConflict)
    ));
    assert!(matches!(
        s.update_workspace(WorkspaceId::new(), 1, patch).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn members_are_unique_by_email_and_scoped_to_their_workspace(s: &dyn Store) {
    let (a, admin_a) = workspace_with_admin(s, "a").await;
    let (b, _) = workspace_with_admin(s, "b").await;
    let dup = s
        .create_member(new_member(b.id, &admin_a.email, Role::Viewer))
        .await;
    assert!(
        matches!(dup, Err(StoreError::Duplicate("email"))),
        "{dup:?}"
    );
    assert_eq!(s.get_member(a.id, admin_a.id).await.unwrap(), admin_a);
    assert!(matches!(
        s.get_member(b.id, admin_a.id).await,
        Err(StoreError::NotFound)
    ));
    let page = s.list_members(b.id, &PageRequest::default()).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(page.items.iter().all(|m| m.workspace_id == b.id));
    assert_eq!(admin_a.time_zone, "Europe/Paris");
    assert_eq!(
        (admin_a.work_start.as_str(), admin_a.work_end.as_str()),
        ("09:00", "17:00")
    );
}

pub async fn member_updates_check_the_version(s: &dyn Store) {
    let (ws, admin) = workspace_with_admin(s, "acme").await;
    let (other, _) = workspace_with_admin(s, "other").await;
    let patch = MemberPatch {
        name: Some("Ada L.".into()),
        role: Some(Role::ProductManager),
        job_title: Some(Some(JobTitle::Cpo)),
        time_zone: Some("America/Montreal".into()),
        work_start: Some("08:00".into()),
        work_end: Some("16:30".into()),
        locale: Some(Some(Locale::En)),
        disabled: None,
        now: Some(t0()),
    };
    let up = s
        .update_member(ws.id, admin.id, 1, patch.clone())
        .await
        .unwrap();
    assert_eq!(up.version, 2);
    assert_eq!(up.job_title, Some(JobTitle::Cpo));
    assert_eq!(up.locale, Some(Locale::En));
    assert_eq!(up.work_end, "16:30");
    assert!(matches!(
        s.update_member(ws.id, admin.id, 1, patch.clone()).await,
        Err(StoreError::VersionConflict)
    ));
    assert!(matches!(
        s.update_member(other.id, admin.id, 2, patch).await,
        Err(StoreError::NotFound)
    ));
    let clear = MemberPatch {
        job_title: Some(None),
        locale: Some(None),
        ..Default::default()
    };
    let up = s.update_member(ws.id, admin.id, 2, clear).await.unwrap();
    assert_eq!((up.job_title, up.locale, up.version), (None, None, 3));
}

pub async fn disabling_a_member_ends_sessions_and_revokes_tokens(s: &dyn Store) {
    let (ws, admin) = workspace_with_admin(s, "acme").await;
    let t = t0();
    s.create_session(NewSession {
        id_hash: "s1".into(),
        member_id: admin.id,
        now: t,
        expires_at: t + Duration::days(1),
    })
    .await
    .unwrap();
    let tok = s
        .create_token(NewToken {
            id: TokenId::new(),
            member_id: admin.id,
            name: "ci".into(),
            token_hash: "th".into(),
            scopes: vec![Scope::All],
            expires_at: None,
            now: t,
        })
        .await
        .unwrap();
    let up = s
        .update_member(
            ws.id,
            admin.id,
            1,
            MemberPatch {
                disabled: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(up.disabled);
    assert!(s.get_session("s1").await.unwrap().is_none());
    let (tok2, _) = s.get_token_by_hash("th").await.unwrap().unwrap();
    assert_eq!(tok2.id, tok.id);
    assert!(tok2.revoked_at.is_some());
}

pub async fn member_pages_follow_the_cursor(s: &dyn Store) {
    let (ws, _) = workspace_with_admin(s, "acme").await;
    for i in 0..5 {
        s.create_member(new_member(ws.id, &format!("m{i}@acme.test"), Role::Viewer))
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut req = PageRequest::first(2);
    loop {
        let page = s.list_members(ws.id, &req).await.unwrap();
        assert!(page.items.len() <= 2);
        seen.extend(page.items.iter().map(|m| m.email.clone()));
        match page.next_cursor {
            Some(c) => req = PageRequest::new(Some(c), Some(2)),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "members are ordered by e-mail");
    assert_eq!(seen.len(), 6);
}

pub async fn set_password_keeps_only_the_current_session(s: &dyn Store) {
    let (_, admin) = workspace_with_admin(s, "acme").await;
    let t = t0();
    for id in ["keep", "drop1", "drop2"] {
        s.create_session(NewSession {
            id_hash: id.into(),
            member_id: admin.id,
            now: t,
            expires_at: t + Duration::days(1),
        })
        .await
        .unwrap();
    }
    s.set_password(admin.id, "new-hash", Some("keep"), t)
        .await
        .unwrap();
    assert!(s.get_session("keep").await.unwrap().is_some());
    assert!(s.get_session("drop1").await.unwrap().is_none());
    let (_, hash) = s.find_credentials(&admin.email).await.unwrap().unwrap();
    assert_eq!(hash.as_deref(), Some("new-hash"));
    s.set_password(admin.id, "newer", None, t).await.unwrap();
    assert!(s.get_session("keep").await.unwrap().is_none());
}

pub async fn sessions_round_trip_touch_and_purge(s: &dyn Store) {
    let (_, admin) = workspace_with_admin(s, "acme").await;
    let t = t0();
    s.create_session(NewSession {
        id_hash: "a".into(),
        member_id: admin.id,
        now: t,
        expires_at: t + Duration::hours(12),
    })
    .await
    .unwrap();
    s.create_session(NewSession {
        id_hash: "b".into(),
        member_id: admin.id,
        now: t,
        expires_at: t + Duration::minutes(1),
    })
    .await
    .unwrap();
    let (sess, m) = s.get_session("a").await.unwrap().unwrap();
    assert_eq!(m.id, admin.id);
    assert_eq!(sess.created_at, t);
    s.touch_session("a", t + Duration::minutes(30))
        .await
        .unwrap();
    let (sess, _) = s.get_session("a").await.unwrap().unwrap();
    assert_eq!(sess.last_seen_at, t + Duration::minutes(30));
    // "b" is past its absolute limit; "a" was seen after the idle cut-off.
    let purged = s
        .purge_sessions(t + Duration::minutes(5), t + Duration::minutes(10))
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert!(s.get_session("a").await.unwrap().is_some());
    s.delete_session("a").await.unwrap();
    assert!(s.get_session("a").await.unwrap().is_none());
}

pub async fn tokens_are_found_by_hash_listed_and_revoked_by_their_owner_only(s: &dyn Store) {
    let (ws, admin) = workspace_with_admin(s, "acme").await;
    let other = s
        .create_member(new_member(ws.id, "bob@acme.test", Role::Contributor))
        .await
        .unwrap();
    let t = t0();
    let tok = s
        .create_token(NewToken {
            id: TokenId::new(),
            member_id: admin.id,
            name: "ci".into(),
            token_hash: "h1".into(),
            scopes: vec![Scope::Read, Scope::Write],
            expires_at: Some(t + Duration::days(30)),
            now: t,
        })
        .await
        .unwrap();
    assert_eq!(tok.scopes, vec![Scope::Read, Scope::Write]);
    let (found, owner) = s.get_token_by_hash("h1").await.unwrap().unwrap();
    assert_eq!((found, owner.id), (tok.clone(), admin.id));
    assert!(s.get_token_by_hash("nope").await.unwrap().is_none());
    assert_eq!(s.list_tokens(admin.id).await.unwrap().len(), 1);
    assert!(s.list_tokens(other.id).await.unwrap().is_empty());
    assert!(matches!(
        s.revoke_token(other.id, tok.id, t).await,
        Err(StoreError::NotFound)
    ));
    s.mark_token_used(tok.id, t + Duration::minutes(1))
        .await
        .unwrap();
    let revoked = s
        .revoke_token(admin.id, tok.id, t + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(revoked.revoked_at, Some(t + Duration::minutes(2)));
    assert_eq!(revoked.last_used_at, Some(t + Duration::minutes(1)));
}

pub async fn invitations_are_accepted_once(s: &dyn Store) {
    let (ws, admin) = workspace_with_admin(s, "acme").await;
    let t = t0();
    let inv = s
        .create_invitation(NewInvitation {
            id: InvitationId::new(),
            workspace_id: ws.id,
            email: "new@acme.test".into(),
            role: Role::Stakeholder,
            invited_by: admin.id,
            token_hash: "ih".into(),
            now: t,
            expires_at: t + Duration::days(7),
        })
        .await
        .unwrap();
    assert_eq!(s.list_invitations(ws.id).await.unwrap(), vec![inv.clone()]);
    assert_eq!(
        s.get_invitation_by_hash("ih").await.unwrap(),
        Some(inv.clone())
    );
    let mut nm = new_member(ws.id, "new@acme.test", Role::Stakeholder);
    nm.job_title = None;
    let m = s.accept_invitation("ih", t, nm.clone()).await.unwrap();
    assert_eq!(m.role, Role::Stakeholder);
    assert!(s.list_invitations(ws.id).await.unwrap().is_empty());
    nm.id = MemberId::new();
    nm.email = "again@acme.test".into();
    assert!(matches!(
        s.accept_invitation("ih", t, nm).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn expired_or_revoked_invitations_cannot_be_accepted(s: &dyn Store) {
    let (ws, admin) = workspace_with_admin(s, "acme").await;
    let (other, _) = workspace_with_admin(s, "other").await;
    let t = t0();
    let mk = |hash: &str, exp: Timestamp| NewInvitation {
        id: InvitationId::new(),
        workspace_id: ws.id,
        email: format!("{hash}@acme.test"),
        role: Role::Viewer,
        invited_by: admin.id,
        token_hash: hash.into(),
        now: t,
        expires_at: exp,
    };
    s.create_invitation(mk("old", t - Duration::seconds(1)))
        .await
        .unwrap();
    let revoked = s
        .create_invitation(mk("rev", t + Duration::days(1)))
        .await
        .unwrap();
    assert!(matches!(
        s.revoke_invitation(other.id, revoked.id, t).await,
        Err(StoreError::NotFound)
    ));
    s.revoke_invitation(ws.id, revoked.id, t).await.unwrap();
    for h in ["old", "rev"] {
        let r = s
            .accept_invitation(
                h,
                t,
                new_member(ws.id, &format!("{h}@acme.test"), Role::Viewer),
            )
            .await;
        assert!(matches!(r, Err(StoreError::NotFound)), "{h}: {r:?}");
        assert!(s
            .find_credentials(&format!("{h}@acme.test"))
            .await
            .unwrap()
            .is_none());
    }
}

pub async fn product_lines_crud_with_versions(s: &dyn Store) {
    let (ws, _) = workspace_with_admin(s, "acme").await;
    let (other, _) = workspace_with_admin(s, "other").await;
    let line = s
        .create_product_line(NewProductLine {
            id: ProductLineId::new(),
            workspace_id: ws.id,
            name: "Citizen services".into(),
            description: String::new(),
            now: t0(),
        })
        .await
        .unwrap();
    let dup = s
        .create_product_line(NewProductLine {
            id: ProductLineId::new(),
            workspace_id: ws.id,
            name: "Citizen services".into(),
            description: String::new(),
            now: t0(),
        })
        .await;
    assert!(matches!(dup, Err(StoreError::Duplicate("name"))), "{dup:?}");
    assert!(matches!(
        s.get_product_line(other.id, line.id).await,
        Err(StoreError::NotFound)
    ));
    let mut p = new_product(ws.id, "CHK");
    p.product_line_id = Some(line.id);
    let product = s.create_product(p).await.unwrap();
    let up = s
        .update_product_line(
            ws.id,
            line.id,
            1,
            ProductLinePatch {
                name: Some("Services".into()),
                description: Some("d".into()),
                now: Some(t0()),
            },
        )
        .await
        .unwrap();
    assert_eq!((up.name.as_str(), up.version), ("Services", 2));
    assert!(matches!(
        s.delete_product_line(ws.id, line.id, 1).await,
        Err(StoreError::VersionConflict)
    ));
    s.delete_product_line(ws.id, line.id, 2).await.unwrap();
    assert!(matches!(
        s.get_product_line(ws.id, line.id).await,
        Err(StoreError::NotFound)
    ));
    let product = s.get_product(ws.id, product.id).await.unwrap();
    assert_eq!(product.product_line_id, None, "products outlive their line");
    assert_eq!(
        s.list_product_lines(ws.id, &PageRequest::default())
            .await
            .unwrap()
            .items
            .len(),
        0
    );
}

pub async fn products_are_unique_by_key_per_workspace(s: &dyn Store) {
    let (a, _) = workspace_with_admin(s, "a").await;
    let (b, _) = workspace_with_admin(s, "b").await;
    let p = s.create_product(new_product(a.id, "CHK")).await.unwrap();
    assert_eq!(p.version, 1);
    assert!(!p.archived);
    let dup = s.create_product(new_product(a.id, "CHK")).await;
    assert!(matches!(dup, Err(StoreError::Duplicate("key"))), "{dup:?}");
    s.create_product(new_product(b.id, "CHK")).await.unwrap();
    assert!(matches!(
        s.get_product(b.id, p.id).await,
        Err(StoreError::NotFound)
    ));
    let mut bad = new_product(a.id, "LIN");
    bad.product_line_id = Some(ProductLineId::new());
    assert!(
        matches!(s.create_product(bad).await, Err(StoreError::NotFound)),
        "a line must exist in the workspace"
    );
}

pub async fn product_updates_check_the_version_and_filters_apply(s: &dyn Store) {
    let (ws, _) = workspace_with_admin(s, "acme").await;
    let p = s.create_product(new_product(ws.id, "CHK")).await.unwrap();
    let q = s.create_product(new_product(ws.id, "ABC")).await.unwrap();
    let patch = ProductPatch {
        name: Some("Checkout".into()),
        archived: Some(true),
        pm_model: Some(PmModel::ItProjectLead),
        ..Default::default()
    };
    let up = s
        .update_product(ws.id, p.id, 1, patch.clone())
        .await
        .unwrap();
    assert_eq!(
        (up.archived, up.pm_model, up.version),
        (true, PmModel::ItProjectLead, 2)
    );
    assert!(matches!(
        s.update_product(ws.id, p.id, 1, patch).await,
        Err(StoreError::VersionConflict)
    ));
    let key_clash = s
        .update_product(
            ws.id,
            p.id,
            2,
            ProductPatch {
                key: Some("ABC".into()),
                ..Default::default()
            },
        )
        .await;
    assert!(
        matches!(key_clash, Err(StoreError::Duplicate("key"))),
        "{key_clash:?}"
    );
    let active = s
        .list_products(ws.id, &ProductFilter::default(), &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        active.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![q.id]
    );
    let all = s
        .list_products(
            ws.id,
            &ProductFilter {
                include_archived: true,
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        all.items.iter().map(|p| p.key.as_str()).collect::<Vec<_>>(),
        vec!["ABC", "CHK"]
    );
    let line = s
        .create_product_line(NewProductLine {
            id: ProductLineId::new(),
            workspace_id: ws.id,
            name: "L".into(),
            description: String::new(),
            now: t0(),
        })
        .await
        .unwrap();
    s.update_product(
        ws.id,
        q.id,
        1,
        ProductPatch {
            product_line_id: Some(Some(line.id)),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let in_line = s
        .list_products(
            ws.id,
            &ProductFilter {
                include_archived: true,
                product_line_id: Some(line.id),
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(in_line.items.len(), 1);
    let bad_line = s
        .update_product(
            ws.id,
            p.id,
            2,
            ProductPatch {
                product_line_id: Some(Some(ProductLineId::new())),
                ..Default::default()
            },
        )
        .await;
    assert!(
        matches!(bad_line, Err(StoreError::NotFound)),
        "{bad_line:?}"
    );
}

pub async fn product_pages_follow_the_cursor(s: &dyn Store) {
    let (ws, _) = workspace_with_admin(s, "acme").await;
    for k in ["EE", "AA", "CC", "BB", "DD"] {
        s.create_product(new_product(ws.id, k)).await.unwrap();
    }
    let first = s
        .list_products(ws.id, &ProductFilter::default(), &PageRequest::first(2))
        .await
        .unwrap();
    assert_eq!(
        first
            .items
            .iter()
            .map(|p| p.key.as_str())
            .collect::<Vec<_>>(),
        ["AA", "BB"]
    );
    let second = s
        .list_products(
            ws.id,
            &ProductFilter::default(),
            &PageRequest::new(first.next_cursor, Some(2)),
        )
        .await
        .unwrap();
    assert_eq!(
        second
            .items
            .iter()
            .map(|p| p.key.as_str())
            .collect::<Vec<_>>(),
        ["CC", "DD"]
    );
    let third = s
        .list_products(
            ws.id,
            &ProductFilter::default(),
            &PageRequest::new(second.next_cursor, Some(2)),
        )
        .await
        .unwrap();
    assert_eq!(third.items.len(), 1);
    assert_eq!(third.next_cursor, None);
}

pub async fn raci_is_replaced_whole_and_refuses_foreign_members(s: &dyn Store) {
    let (ws, admin) = workspace_with_admin(s, "acme").await;
    let (_, stranger) = workspace_with_admin(s, "other").await;
    let bob = s
        .create_member(new_member(ws.id, "bob@acme.test", Role::Contributor))
        .await
        .unwrap();
    let p = s.create_product(new_product(ws.id, "CHK")).await.unwrap();
    let set = s
        .set_raci(
            ws.id,
            p.id,
            &[
                (admin.id, Raci::Accountable),
                (bob.id, Raci::Responsible),
                (bob.id, Raci::Consulted),
            ],
        )
        .await
        .unwrap();
    assert_eq!(set.len(), 3);
    assert_eq!(s.get_raci(ws.id, p.id).await.unwrap().len(), 3);
    let r = s
        .set_raci(ws.id, p.id, &[(stranger.id, Raci::Informed)])
        .await;
    assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
    assert_eq!(
        s.get_raci(ws.id, p.id).await.unwrap().len(),
        3,
        "a refused change leaves the table as it was"
    );
    let set = s
        .set_raci(ws.id, p.id, &[(bob.id, Raci::Accountable)])
        .await
        .unwrap();
    assert_eq!(
        set,
        vec![RaciEntry {
            product_id: p.id,
            member_id: bob.id,
            member_name: bob.name.clone(),
            raci: Raci::Accountable
        }]
    );
    let (other_ws, _) = (s.list_workspaces().await.unwrap(), ());
    assert_eq!(other_ws.len(), 2);
}

pub async fn audit_is_append_only_filtered_and_newest_first(s: &dyn Store) {
    let (ws, admin) = workspace_with_admin(s, "acme").await;
    let (other, _) = workspace_with_admin(s, "other").await;
    let t = t0();
    for i in 0..5 {
        let mut e = audit_event(
            Some(ws.id),
            if i % 2 == 0 {
                "auth.login"
            } else {
                "product.create"
            },
            t + Duration::seconds(i),
            if i == 4 { "denied" } else { "success" },
        );
        e.actor_id = Some(admin.id);
        s.append_audit(e).await.unwrap();
    }
    s.append_audit(audit_event(Some(other.id), "auth.login", t, "success"))
        .await
        .unwrap();
    s.append_audit(audit_event(None, "auth.login_failed", t, "failure"))
        .await
        .unwrap();
    let all = s
        .list_audit(ws.id, &AuditFilter::default(), &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.items.len(), 5);
    assert!(
        all.items.windows(2).all(|w| w[0].at >= w[1].at),
        "newest first"
    );
    assert_eq!(all.items[0].detail, serde_json::json!({"fields": ["name"]}));
    let logins = s
        .list_audit(
            ws.id,
            &AuditFilter {
                action_prefix: Some("auth.".into()),
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(logins.items.len(), 3);
    let denied = s
        .list_audit(
            ws.id,
            &AuditFilter {
                outcome: Some("denied".into()),
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(denied.items.len(), 1);
    let window = s
        .list_audit(
            ws.id,
            &AuditFilter {
                since: Some(t + Duration::seconds(1)),
                until: Some(t + Duration::seconds(3)),
                actor_id: Some(admin.id),
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(window.items.len(), 3);
    let p1 = s
        .list_audit(ws.id, &AuditFilter::default(), &PageRequest::first(3))
        .await
        .unwrap();
    let p2 = s
        .list_audit(
            ws.id,
            &AuditFilter::default(),
            &PageRequest::new(p1.next_cursor.clone(), Some(3)),
        )
        .await
        .unwrap();
    assert_eq!(p1.items.len() + p2.items.len(), 5);
    assert!(p1
        .items
        .iter()
        .all(|a| p2.items.iter().all(|b| a.id != b.id)));
}

pub async fn rate_limit_counts_in_fixed_windows(s: &dyn Store) {
    let t = t0();
    let hit = |keys: &[&str], at| {
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        async move { s.hit_rate_limits(&keys, 60, at).await.unwrap() }
    };
    for expected in 1..=3 {
        assert_eq!(hit(&["login:1.2.3.4"], t).await, vec![expected]);
    }
    assert_eq!(hit(&["login:5.6.7.8"], t).await, vec![1]);
    // Several keys at once: each counted, answered in the order asked.
    assert_eq!(
        hit(&["login:email:a@b.c", "login:1.2.3.4"], t).await,
        vec![1, 4]
    );
    assert_eq!(
        hit(&["login:1.2.3.4", "login:email:a@b.c"], t).await,
        vec![5, 2]
    );
    assert_eq!(
        hit(&["login:1.2.3.4"], t + Duration::seconds(61)).await,
        vec![1],
        "a new window starts from zero"
    );
}

pub async fn idempotent_responses_are_stored_once(s: &dyn Store) {
    let (_, admin) = workspace_with_admin(s, "acme").await;
    let r1 = IdempotentResponse {
        request_hash: "rh".into(),
        status: 201,
        body: "{\"id\":1}".into(),
        etag: Some("\"1\"".into()),
        location: Some("/api/v1/products/1".into()),
    };
    assert!(s.get_idempotent(admin.id, "k").await.unwrap().is_none());
    s.put_idempotent(admin.id, "k", &r1, t0()).await.unwrap();
    let r2 = IdempotentResponse {
        body: "other".into(),
        ..r1.clone()
    };
    s.put_idempotent(admin.id, "k", &r2, t0()).await.unwrap();
    assert_eq!(s.get_idempotent(admin.id, "k").await.unwrap(), Some(r1));
}

/// Fills a store with one of everything, for the dump tests.
pub async fn fill(s: &dyn Store) {
    let (ws, admin) = workspace_with_admin(s, "acme").await;
    let t = t0();
    let line = s
        .create_product_line(NewProductLine {
            id: ProductLineId::new(),
            workspace_id: ws.id,
            name: "Ligne « citoyens »".into(),
            description: "é\n\"quoted\"".into(),
            now: t,
        })
        .await
        .unwrap();
    let mut p = new_product(ws.id, "CHK");
    p.product_line_id = Some(line.id);
    let p = s.create_product(p).await.unwrap();
    s.set_raci(ws.id, p.id, &[(admin.id, Raci::Accountable)])
        .await
        .unwrap();
    s.create_token(NewToken {
        id: TokenId::new(),
        member_id: admin.id,
        name: "ci".into(),
        token_hash: "th".into(),
        scopes: vec![Scope::All],
        expires_at: Some(t + Duration::days(1)),
        now: t,
    })
    .await
    .unwrap();
    s.create_invitation(NewInvitation {
        id: InvitationId::new(),
        workspace_id: ws.id,
        email: "inv@acme.test".into(),
        role: Role::Viewer,
        invited_by: admin.id,
        token_hash: "ih".into(),
        now: t,
        expires_at: t + Duration::days(7),
    })
    .await
    .unwrap();
    s.append_audit(audit_event(Some(ws.id), "product.create", t, "success"))
        .await
        .unwrap();
    s.append_audit(audit_event(None, "auth.login_failed", t, "failure"))
        .await
        .unwrap();
}

pub async fn dump_and_load_round_trip_exactly(s: &dyn Store) {
    fill(s).await;
    let dump = s.dump().await.unwrap();
    assert!(dump.is_recognised());
    assert_eq!(
        (
            dump.workspaces.len(),
            dump.members.len(),
            dump.products.len(),
            dump.audit.len()
        ),
        (1, 1, 1, 2)
    );
    // Round trip through JSON text, as a backup file would.
    let text = serde_json::to_string(&dump).unwrap();
    let back: Dump = serde_json::from_str(&text).unwrap();
    assert_eq!(back.checksums(), dump.checksums());
}

pub async fn load_refuses_a_database_that_holds_data(s: &dyn Store) {
    let empty = s.dump().await.unwrap();
    assert!(empty.workspaces.is_empty());
    let mut source = Dump {
        format: DUMP_FORMAT.into(),
        version: DUMP_VERSION,
        ..Default::default()
    };
    let ws = Workspace {
        id: WorkspaceId::new(),
        slug: "moved".into(),
        name: "Moved".into(),
        default_locale: Locale::En,
        created_at: t0(),
        updated_at: t0(),
        version: 3,
    };
    source.workspaces.push(ws.clone());
    s.load(&source).await.unwrap();
    assert_eq!(s.get_workspace(ws.id).await.unwrap(), ws);
    assert!(matches!(s.load(&source).await, Err(StoreError::NotEmpty)));
    assert_eq!(
        s.dump().await.unwrap().checksums()["workspaces"],
        source.checksums()["workspaces"]
    );
}
