//! Account rules through the use cases on a real SQLite store: session time-outs, disabled
//! members, tokens, invitations, the password policy everywhere a password is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Duration;
use phare_core::*;
use phare_domain::*;
use phare_sqlite::SqliteStore;
use phare_store::{AuditFilter, MemberPatch, PageRequest};
use std::sync::Arc;

const PW: &str = "lighthouse-keeper-42";

async fn app(config: CoreConfig) -> (Phare, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::connect(&format!("sqlite://{}", dir.path().join("p.db").display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    (Phare::new(Arc::new(store), config), dir)
}

fn meta() -> RequestMeta {
    RequestMeta {
        request_id: "test".into(),
        source_ip: "127.0.0.1".into(),
    }
}

async fn signed_in(phare: &Phare, email: &str) -> (String, Actor) {
    let LoginOutcome::LoggedIn { session_id, .. } = phare.login(&meta(), email, PW).await.unwrap();
    let actor = phare.resolve_session(&session_id).await.unwrap().unwrap();
    (session_id, actor)
}

#[tokio::test]
async fn an_idle_session_ends_and_so_does_an_old_one() {
    let config = CoreConfig {
        sessions: SessionConfig {
            idle: Duration::seconds(1),
            absolute: Duration::days(1),
        },
        ..Default::default()
    };
    let (phare, _d) = app(config).await;
    phare
        .operator_create_user(&meta(), "ada@example.org", "Ada", Role::Admin, PW, None)
        .await
        .unwrap();
    let (sid, _) = signed_in(&phare, "ada@example.org").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(
        phare.resolve_session(&sid).await.unwrap().is_none(),
        "idle for longer than the limit"
    );

    let config = CoreConfig {
        sessions: SessionConfig {
            idle: Duration::days(1),
            absolute: Duration::seconds(1),
        },
        ..Default::default()
    };
    let (phare, _d) = app(config).await;
    phare
        .operator_create_user(&meta(), "ada@example.org", "Ada", Role::Admin, PW, None)
        .await
        .unwrap();
    let (sid, _) = signed_in(&phare, "ada@example.org").await;
    assert!(phare.resolve_session(&sid).await.unwrap().is_some());
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(
        phare.resolve_session(&sid).await.unwrap().is_none(),
        "past the absolute limit even when used"
    );
}

#[tokio::test]
async fn disabling_a_member_ends_their_open_session() {
    let (phare, _d) = app(CoreConfig::default()).await;
    let m = phare
        .operator_create_user(&meta(), "ada@example.org", "Ada", Role::Admin, PW, None)
        .await
        .unwrap();
    let (sid, _) = signed_in(&phare, "ada@example.org").await;
    // Two layers hold this: the store deletes the member's sessions in the same transaction,
    // and `resolve_session` refuses a disabled member whatever it finds.
    phare
        .store()
        .update_member(
            m.workspace_id,
            m.id,
            m.version,
            MemberPatch {
                disabled: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(phare.resolve_session(&sid).await.unwrap().is_none());
}

#[tokio::test]
async fn revoked_and_expired_tokens_open_nothing() {
    let (phare, _d) = app(CoreConfig::default()).await;
    phare
        .operator_create_user(&meta(), "ada@example.org", "Ada", Role::Admin, PW, None)
        .await
        .unwrap();
    let actor = phare.operator_actor("ada@example.org").await.unwrap();
    let (tok, secret) = phare
        .create_token(
            &actor,
            &meta(),
            NewTokenInput {
                name: "ci".into(),
                scopes: vec![Scope::Read],
                expires_in_days: Some(30),
            },
        )
        .await
        .unwrap();
    let via_token = phare.resolve_token(&secret).await.unwrap().unwrap();
    assert!(matches!(via_token.credential, Credential::Token { .. }));
    assert!(phare
        .resolve_token("phare_not-a-token")
        .await
        .unwrap()
        .is_none());
    phare.revoke_token(&actor, &meta(), tok.id).await.unwrap();
    assert!(phare.resolve_token(&secret).await.unwrap().is_none());
    let bad = phare
        .create_token(
            &actor,
            &meta(),
            NewTokenInput {
                name: "x".into(),
                scopes: vec![Scope::All],
                expires_in_days: Some(0),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(bad.fields[0].field, "expires_in_days");
}

#[tokio::test]
async fn only_admins_mint_admin_scoped_tokens() {
    let (phare, _d) = app(CoreConfig::default()).await;
    phare
        .operator_create_user(
            &meta(),
            "pm@example.org",
            "Pat",
            Role::ProductManager,
            PW,
            None,
        )
        .await
        .unwrap();
    let pm = phare.operator_actor("pm@example.org").await.unwrap();
    let e = phare
        .create_token(
            &pm,
            &meta(),
            NewTokenInput {
                name: "x".into(),
                scopes: vec![Scope::Admin],
                expires_in_days: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.fields[0].code, "scope_not_allowed");
}

#[tokio::test]
async fn the_password_policy_applies_wherever_a_password_is_set() {
    let (phare, _d) = app(CoreConfig::default()).await;
    let e = phare
        .operator_create_user(
            &meta(),
            "a@example.org",
            "A",
            Role::Admin,
            "password1",
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.fields[0].code, "password_too_common");
    phare
        .operator_create_user(&meta(), "ada@example.org", "Ada", Role::Admin, PW, None)
        .await
        .unwrap();
    let (_, actor) = signed_in(&phare, "ada@example.org").await;
    let e = phare
        .change_password(&actor, &meta(), PW, "short")
        .await
        .unwrap_err();
    assert_eq!(e.fields[0].code, "password_too_short");
    let e = phare
        .change_password(&actor, &meta(), "wrong-current", "another-long-passphrase")
        .await
        .unwrap_err();
    assert_eq!(e.fields[0].code, "wrong_password");
    let (inv, token) = phare
        .invite(&actor, &meta(), "bob@example.org", Role::Viewer)
        .await
        .unwrap();
    assert_eq!(inv.role, Role::Viewer);
    let e = phare
        .accept_invitation(&meta(), &token, "Bob", "qwertyuiop", None)
        .await
        .unwrap_err();
    assert_eq!(e.fields[0].code, "password_too_common");
    let bob = phare
        .accept_invitation(&meta(), &token, "Bob", "a-good-long-passphrase", None)
        .await
        .unwrap();
    assert_eq!(bob.role, Role::Viewer);
    let e = phare
        .reset_password(&actor, &meta(), bob.id, &"x".repeat(129))
        .await
        .unwrap_err();
    assert_eq!(e.fields[0].code, "password_too_long");
    let e = phare
        .invite(&actor, &meta(), "bob@example.org", Role::Viewer)
        .await
        .unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::Duplicate,
        "an existing member cannot be invited again"
    );
}

#[tokio::test]
async fn a_refused_action_changes_nothing_and_is_audited() {
    let (phare, _d) = app(CoreConfig::default()).await;
    phare
        .operator_create_user(&meta(), "ada@example.org", "Ada", Role::Admin, PW, None)
        .await
        .unwrap();
    phare
        .operator_create_user(&meta(), "vic@example.org", "Vic", Role::Viewer, PW, None)
        .await
        .unwrap();
    let viewer = phare.operator_actor("vic@example.org").await.unwrap();
    let e = phare
        .create_product(
            &viewer,
            &meta(),
            ProductInput {
                name: Some("X".into()),
                key: Some("XX".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    let admin = phare.operator_actor("ada@example.org").await.unwrap();
    let products = phare
        .list_products(
            &admin,
            &meta(),
            &Default::default(),
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(products.items.is_empty());
    let denied = phare
        .list_audit(
            &admin,
            &meta(),
            &AuditFilter {
                outcome: Some("denied".into()),
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(denied.items.len(), 1);
    assert_eq!(denied.items[0].action, "product.create");
    assert_eq!(denied.items[0].actor_id, Some(viewer.member.id));
}

#[tokio::test]
async fn nobody_changes_their_own_role_or_disables_themselves() {
    let (phare, _d) = app(CoreConfig::default()).await;
    let m = phare
        .operator_create_user(&meta(), "ada@example.org", "Ada", Role::Admin, PW, None)
        .await
        .unwrap();
    let admin = phare.operator_actor("ada@example.org").await.unwrap();
    let e = phare
        .update_member(
            &admin,
            &meta(),
            m.id,
            m.version,
            MemberInput {
                role: Some(Role::Viewer),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.fields[0].code, "cannot_change_self");
    let e = phare
        .update_member(
            &admin,
            &meta(),
            m.id,
            m.version,
            MemberInput {
                disabled: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.fields[0].code, "cannot_change_self");
}

#[tokio::test]
async fn a_raci_has_one_accountable_and_only_members_of_the_workspace() {
    let (phare, _d) = app(CoreConfig::default()).await;
    let a = phare
        .operator_create_user(&meta(), "ada@example.org", "Ada", Role::Admin, PW, None)
        .await
        .unwrap();
    let b = phare
        .operator_create_user(
            &meta(),
            "bob@example.org",
            "Bob",
            Role::Contributor,
            PW,
            None,
        )
        .await
        .unwrap();
    let stranger = phare
        .operator_create_user(
            &meta(),
            "eve@other.org",
            "Eve",
            Role::Admin,
            PW,
            Some("Other"),
        )
        .await
        .unwrap();
    let admin = phare.operator_actor("ada@example.org").await.unwrap();
    let p = phare
        .create_product(
            &admin,
            &meta(),
            ProductInput {
                name: Some("Portail".into()),
                key: Some("prt".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(p.key, "PRT", "keys are upper-cased");
    let e = phare
        .set_raci(
            &admin,
            &meta(),
            p.id,
            &[(a.id, Raci::Accountable), (b.id, Raci::Accountable)],
        )
        .await
        .unwrap_err();
    assert_eq!(e.fields[0].code, "one_accountable");
    let e = phare
        .set_raci(&admin, &meta(), p.id, &[(stranger.id, Raci::Informed)])
        .await
        .unwrap_err();
    assert_eq!(e.fields[0].code, "unknown_member");
    assert!(phare
        .get_raci(&admin, &meta(), p.id)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn audit_filters_with_control_characters_are_cleaned_not_passed_on() {
    let (phare, _d) = app(CoreConfig::default()).await;
    phare
        .operator_create_user(&meta(), "ada@example.org", "Ada", Role::Admin, PW, None)
        .await
        .unwrap();
    signed_in(&phare, "ada@example.org").await;
    let admin = phare.operator_actor("ada@example.org").await.unwrap();
    let filter = AuditFilter {
        action_prefix: Some("auth.\u{0}".into()),
        outcome: Some("succ\u{0}ess".into()),
        ..Default::default()
    };
    let page = phare
        .list_audit(&admin, &meta(), &filter, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].action, "auth.login");
}
