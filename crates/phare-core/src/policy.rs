//! The authorization policy: one table that decides every action. Handlers never decide; they
//! name the action and the core asks [`authorize`].
//!
//! Workspace isolation is not decided here: every store read is scoped by the actor's
//! workspace, so an object of another workspace is "not found" before the policy is asked.

use phare_domain::{ErrorCode, Role, Scope};
use phare_store::Member;

/// Who is acting, and with which credential.
#[derive(Clone, Debug)]
pub struct Actor {
    pub member: phare_store::Member,
    pub credential: Credential,
}

#[derive(Clone, Debug)]
pub enum Credential {
    /// A browser session; carries the hash of its id so a password change can keep it.
    Session { id_hash: String },
    /// A personal access token and its scopes.
    Token {
        id: phare_domain::TokenId,
        scopes: Vec<Scope>,
    },
    /// The operator at the command line with direct database access.
    Operator,
}

/// Everything the policy can be asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Read the workspace's products, product lines, members and RACI.
    ReadWorkspace,
    /// Create, edit or archive products and product lines; set RACI.
    ManageProducts,
    /// Invite members, change roles and job titles, disable, reset passwords.
    ManageMembers,
    /// Rename the workspace, change its default language.
    ManageWorkspace,
    /// Browse the audit trail.
    ReadAudit,
    /// Edit one's own profile and password, manage one's own tokens.
    ManageSelf,
    /// Read feedback, customers, ideas and their evidence; search.
    ReadDiscovery,
    /// Record feedback (a stakeholder relays what a customer said).
    CaptureFeedback,
    /// Triage the inbox, write and edit ideas, link evidence.
    WorkOnDiscovery,
    /// Delete feedback, merge ideas, edit customers' weights, import.
    CurateDiscovery,
    /// Configure a product's public portal; publish, hide and edit what it shows; hide
    /// comments.
    ModeratePortal,
    /// Read the outgoing e-mails (sign-in codes and notifications wait there without SMTP).
    ReadOutbox,
    // --- stakeholder sessions (issue #4 part 3) ---
    /// Edit stakeholder groups and their weights; open, invite to, close prioritization
    /// sessions and read who answered.
    RunSessions,
    /// Answer a prioritization session one is invited to (the invitation is checked too).
    AnswerBallots,
}

/// What each action needs: the least powerful role allowed, and the token scope it falls under.
pub fn requirement(action: Action) -> (Role, Scope) {
    match action {
        Action::ReadWorkspace => (Role::Viewer, Scope::Read),
        Action::ManageProducts => (Role::ProductManager, Scope::Write),
        Action::ManageMembers => (Role::Admin, Scope::Admin),
        Action::ManageWorkspace => (Role::Admin, Scope::Admin),
        Action::ReadAudit => (Role::Admin, Scope::Admin),
        Action::ManageSelf => (Role::Viewer, Scope::Write),
        Action::ReadDiscovery => (Role::Viewer, Scope::Read),
        Action::CaptureFeedback => (Role::Stakeholder, Scope::Write),
        Action::WorkOnDiscovery => (Role::Contributor, Scope::Write),
        Action::CurateDiscovery => (Role::ProductManager, Scope::Write),
        Action::ModeratePortal => (Role::ProductManager, Scope::Write),
        Action::ReadOutbox => (Role::Admin, Scope::Admin),
        Action::RunSessions => (Role::ProductManager, Scope::Write),
        Action::AnswerBallots => (Role::Viewer, Scope::Write),
    }
}

pub const ALL_ACTIONS: [Action; 14] = [
    Action::ReadWorkspace,
    Action::ManageProducts,
    Action::ManageMembers,
    Action::ManageWorkspace,
    Action::ReadAudit,
    Action::ManageSelf,
    Action::ReadDiscovery,
    Action::CaptureFeedback,
    Action::WorkOnDiscovery,
    Action::CurateDiscovery,
    Action::ModeratePortal,
    Action::ReadOutbox,
    Action::RunSessions,
    Action::AnswerBallots,
];

/// True when a token scope `held` includes the powers of scope `wanted`. `All` and `Admin`
/// cover everything (within the owner's role); `Write` covers reading.
pub fn scope_covers(held: Scope, wanted: Scope) -> bool {
    matches!(
        (held, wanted),
        (Scope::All | Scope::Admin, _)
            | (Scope::Write, Scope::Read | Scope::Write)
            | (Scope::Read, Scope::Read)
    )
}

/// True when a token with `scopes` may be used for something needing `needed`.
fn scope_allows(scopes: &[Scope], needed: Scope) -> bool {
    scopes.iter().any(|s| scope_covers(*s, needed))
}

/// The decision. `Err(forbidden)` when the role or the token's scopes do not allow it.
pub fn allows(member: &Member, credential: &Credential, action: Action) -> bool {
    if member.disabled {
        return false;
    }
    let (min_role, scope) = requirement(action);
    let role_ok = member.role.rank() >= min_role.rank();
    let scope_ok = match credential {
        Credential::Token { scopes, .. } => scope_allows(scopes, scope),
        Credential::Session { .. } | Credential::Operator => true,
    };
    role_ok && scope_ok
}

pub fn authorize(actor: &Actor, action: Action) -> Result<(), ErrorCode> {
    if allows(&actor.member, &actor.credential, action) {
        Ok(())
    } else {
        Err(ErrorCode::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: Role) -> Member {
        let t = phare_store::now();
        Member {
            id: phare_domain::MemberId::new(),
            workspace_id: phare_domain::WorkspaceId::new(),
            email: "a@b.test".into(),
            name: "A".into(),
            role,
            job_title: None,
            time_zone: "UTC".into(),
            work_start: "09:00".into(),
            work_end: "17:00".into(),
            locale: None,
            disabled: false,
            created_at: t,
            updated_at: t,
            version: 1,
        }
    }

    #[test]
    fn the_policy_table_by_role() {
        let s = Credential::Session {
            id_hash: String::new(),
        };
        let expect = [
            (Role::Admin, [true; 12]),
            (
                Role::ProductManager,
                [
                    true, true, false, false, false, true, true, true, true, true, true, false,
                ],
            ),
            (
                Role::Contributor,
                [
                    true, false, false, false, false, true, true, true, true, false, false, false,
                ],
            ),
            (
                Role::Stakeholder,
                [
                    true, false, false, false, false, true, true, true, false, false, false, false,
                ],
            ),
            (
                Role::Viewer,
                [
                    true, false, false, false, false, true, true, false, false, false, false, false,
                ],
            ),
        ];
        for (role, row) in expect {
            for (action, allowed) in ALL_ACTIONS.iter().zip(row) {
                assert_eq!(
                    allows(&member(role), &s, *action),
                    allowed,
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn product_managers_run_sessions_and_every_member_may_answer_one() {
        let s = Credential::Session {
            id_hash: String::new(),
        };
        for (role, run) in [
            (Role::Admin, true),
            (Role::ProductManager, true),
            (Role::Contributor, false),
            (Role::Stakeholder, false),
            (Role::Viewer, false),
        ] {
            assert_eq!(
                allows(&member(role), &s, Action::RunSessions),
                run,
                "{role:?}"
            );
            assert!(allows(&member(role), &s, Action::AnswerBallots), "{role:?}");
        }
        let read = Credential::Token {
            id: phare_domain::TokenId::new(),
            scopes: vec![Scope::Read],
        };
        assert!(!allows(
            &member(Role::Stakeholder),
            &read,
            Action::AnswerBallots
        ));
    }

    #[test]
    fn a_read_token_cannot_write_even_for_an_admin() {
        let t = Credential::Token {
            id: phare_domain::TokenId::new(),
            scopes: vec![Scope::Read],
        };
        let admin = member(Role::Admin);
        assert!(allows(&admin, &t, Action::ReadWorkspace));
        assert!(!allows(&admin, &t, Action::ManageProducts));
        assert!(!allows(&admin, &t, Action::ManageMembers));
        let w = Credential::Token {
            id: phare_domain::TokenId::new(),
            scopes: vec![Scope::Write],
        };
        assert!(allows(&admin, &w, Action::ManageProducts));
        assert!(!allows(&admin, &w, Action::ReadAudit));
    }

    #[test]
    fn a_token_never_exceeds_its_owners_role() {
        let all = Credential::Token {
            id: phare_domain::TokenId::new(),
            scopes: vec![Scope::All],
        };
        assert!(!allows(&member(Role::Viewer), &all, Action::ManageProducts));
    }

    #[test]
    fn a_disabled_member_may_do_nothing() {
        let mut m = member(Role::Admin);
        m.disabled = true;
        let s = Credential::Session {
            id_hash: String::new(),
        };
        assert!(ALL_ACTIONS.iter().all(|a| !allows(&m, &s, *a)));
    }
}
