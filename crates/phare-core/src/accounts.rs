//! Accounts: first-admin setup, passwords, login and sessions, personal access tokens,
//! invitations. Secrets are shown once and stored hashed; sessions live in the database so any
//! instance can serve any request.

use crate::audit::Entry;
use crate::passwords::{hash_password, verify_password};
use crate::{secret, Action, Actor, CoreError, CoreResult, Credential, Phare, RequestMeta};
use chrono::Duration;
use phare_domain::validate::{self, NAME_MAX};
use phare_domain::*;
use phare_store::*;
use serde_json::json;

#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// A session unused for this long ends.
    pub idle: Duration,
    /// A session ends this long after login, used or not.
    pub absolute: Duration,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            idle: Duration::hours(12),
            absolute: Duration::days(7),
        }
    }
}

pub enum LoginOutcome {
    /// The cookie value to set (the store keeps only its hash).
    LoggedIn { session_id: String, member: Member },
}

#[derive(Clone, Debug)]
pub struct NewTokenInput {
    pub name: String,
    pub scopes: Vec<Scope>,
    pub expires_in_days: Option<i64>,
}

const LOGIN_WINDOW_SECS: i64 = 15 * 60;
/// Touching the session on every request would be a write per page: once a minute is enough.
const TOUCH_EVERY_SECS: i64 = 60;

pub(crate) fn check_password(errors: &mut Invalid, field: &str, password: &str) {
    if let Some(code) = phare_domain::password::check(password) {
        errors.add(field, code);
    }
}

impl Phare {
    /// Checks the policy; a refusal is audited and returned as `forbidden`.
    pub(crate) async fn check(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        action: Action,
        label: &str,
    ) -> CoreResult<()> {
        match crate::policy::authorize(actor, action) {
            Ok(()) => Ok(()),
            Err(_) => {
                self.audit_denied(actor, meta, label).await;
                Err(CoreError::forbidden())
            }
        }
    }

    // --- setup ------------------------------------------------------------------------------

    /// When nobody has set Phare up yet, mints a one-time setup token (valid 24 h) and returns
    /// it; `None` once a workspace exists.
    pub async fn issue_setup_token(&self) -> CoreResult<Option<String>> {
        if self.store().is_set_up().await? {
            return Ok(None);
        }
        let token = secret::random_token();
        self.store()
            .create_setup_token(&secret::hash(&token), now() + Duration::hours(24))
            .await?;
        Ok(Some(token))
    }

    pub async fn setup_token_is_valid(&self, token: &str) -> CoreResult<bool> {
        if self.store().is_set_up().await? {
            return Ok(false);
        }
        Ok(self
            .store()
            .setup_token_is_valid(&secret::hash(token), now())
            .await?)
    }

    /// Creates the workspace and its first administrator, consuming the setup token.
    #[allow(clippy::too_many_arguments)]
    pub async fn complete_setup(
        &self,
        meta: &RequestMeta,
        token: &str,
        workspace_name: &str,
        admin_name: &str,
        email: &str,
        password: &str,
        locale: Locale,
    ) -> CoreResult<Member> {
        if self.store().is_set_up().await? {
            return Err(CoreError::new(ErrorCode::SetupAlreadyDone));
        }
        let mut errors = Invalid::new();
        let ws_name =
            validate::required_text(&mut errors, "workspace_name", workspace_name, NAME_MAX);
        let name = validate::required_text(&mut errors, "name", admin_name, NAME_MAX);
        let email = validate::email(&mut errors, "email", email);
        check_password(&mut errors, "password", password);
        errors.into_result()?;
        let t = now();
        let mut slug = validate::slugify(&ws_name);
        if slug.len() < 2 {
            slug = "workspace".into();
        }
        let ws = NewWorkspace {
            id: WorkspaceId::new(),
            slug,
            name: ws_name,
            default_locale: locale,
            now: t,
        };
        let admin = NewMember {
            id: MemberId::new(),
            workspace_id: ws.id,
            email: email.clone(),
            name,
            role: Role::Admin,
            job_title: None,
            password_hash: Some(hash_password(password).await?),
            time_zone: "UTC".into(),
            // The admin's language follows their browser until they choose one.
            locale: None,
            now: t,
        };
        let (ws_id, admin_id) = (ws.id, admin.id);
        match self
            .store()
            .complete_setup(&secret::hash(token), t, ws, admin)
            .await
        {
            Ok(()) => {}
            Err(StoreError::NotFound) => return Err(CoreError::new(ErrorCode::SetupTokenInvalid)),
            Err(e) => return Err(e.into()),
        }
        // Stakeholder sessions: every workspace starts with the six default groups.
        if let Err(e) = self.store().seed_stakeholder_groups(ws_id, t).await {
            tracing::warn!(error = %e, "the default stakeholder groups were not added");
        }
        let member = self.store().get_member(ws_id, admin_id).await?;
        let actor = Actor {
            member: member.clone(),
            credential: Credential::Operator,
        };
        self.audit_ok(
            &actor,
            meta,
            "workspace.setup",
            "workspace",
            ws_id,
            json!({}),
        )
        .await;
        Ok(member)
    }

    // --- login and sessions -----------------------------------------------------------------

    /// Checks the rate limits, then the password; on success opens a new session (a fresh id:
    /// the session id rotates at every login).
    pub async fn login(
        &self,
        meta: &RequestMeta,
        email: &str,
        password: &str,
    ) -> CoreResult<LoginOutcome> {
        let email = crate::audit::printable(email.trim(), 254).to_lowercase();
        let t = now();
        let keys = [
            format!("login:ip:{}", meta.source_ip),
            format!("login:email:{email}"),
        ];
        let (by_ip, by_email) = self.hit_two_limits(keys, LOGIN_WINDOW_SECS, t).await?;
        if by_ip > self.config().login_attempts_per_ip
            || by_email > self.config().login_attempts_per_email
        {
            self.audit_raw(
                None,
                None,
                &email,
                meta,
                Entry {
                    action: "auth.login_rate_limited",
                    target_kind: "member",
                    target_id: None,
                    outcome: "denied",
                    detail: json!({}),
                },
            )
            .await;
            return Err(CoreError::rate_limited(LOGIN_WINDOW_SECS as u64));
        }
        let found = self.store().find_credentials(&email).await?;
        let (member, hash) = match found {
            Some((m, h)) => (Some(m), h),
            None => (None, None),
        };
        let ok = verify_password(password, hash).await;
        match member {
            Some(member) if ok && !member.disabled => {
                let session_id = secret::random_token();
                self.store()
                    .create_session(NewSession {
                        id_hash: secret::hash(&session_id),
                        member_id: member.id,
                        now: t,
                        expires_at: t + self.config().sessions.absolute,
                    })
                    .await?;
                let actor = Actor {
                    member: member.clone(),
                    credential: Credential::Operator,
                };
                self.audit_ok(&actor, meta, "auth.login", "member", member.id, json!({}))
                    .await;
                Ok(LoginOutcome::LoggedIn { session_id, member })
            }
            other => {
                let ws = other.as_ref().map(|m| m.workspace_id);
                let reason = if other.as_ref().is_some_and(|m| m.disabled) {
                    "disabled"
                } else {
                    "bad_credentials"
                };
                self.audit_raw(
                    ws,
                    None,
                    &email,
                    meta,
                    Entry {
                        action: "auth.login_failed",
                        target_kind: "member",
                        target_id: other.map(|m| m.id.to_string()),
                        outcome: "failure",
                        detail: json!({ "reason": reason }),
                    },
                )
                .await;
                Err(CoreError::new(ErrorCode::InvalidCredentials))
            }
        }
    }

    /// The actor behind a session cookie, if the session is alive and its member enabled.
    pub async fn resolve_session(&self, session_id: &str) -> CoreResult<Option<Actor>> {
        let id_hash = secret::hash(session_id);
        let Some((session, member)) = self.store().get_session(&id_hash).await? else {
            return Ok(None);
        };
        let t = now();
        let idle_limit = session.last_seen_at + self.config().sessions.idle;
        if member.disabled || session.expires_at <= t || idle_limit <= t {
            self.store().delete_session(&id_hash).await?;
            return Ok(None);
        }
        if (t - session.last_seen_at).num_seconds() >= TOUCH_EVERY_SECS {
            self.store().touch_session(&id_hash, t).await?;
        }
        Ok(Some(Actor {
            member,
            credential: Credential::Session { id_hash },
        }))
    }

    pub async fn logout(&self, actor: &Actor, meta: &RequestMeta) -> CoreResult<()> {
        if let Credential::Session { id_hash } = &actor.credential {
            self.store().delete_session(id_hash).await?;
        }
        self.audit_ok(
            actor,
            meta,
            "auth.logout",
            "member",
            actor.member.id,
            json!({}),
        )
        .await;
        Ok(())
    }

    /// Removes dead sessions; run periodically by the server.
    pub async fn purge_sessions(&self) -> CoreResult<u64> {
        let t = now();
        Ok(self
            .store()
            .purge_sessions(t, t - self.config().sessions.idle)
            .await?)
    }

    // --- tokens -----------------------------------------------------------------------------

    /// The actor behind a bearer token, if the token is live and its member enabled.
    pub async fn resolve_token(&self, token: &str) -> CoreResult<Option<Actor>> {
        let Some((tok, member)) = self.store().get_token_by_hash(&secret::hash(token)).await?
        else {
            return Ok(None);
        };
        let t = now();
        if member.disabled || tok.revoked_at.is_some() || tok.expires_at.is_some_and(|e| e <= t) {
            return Ok(None);
        }
        if tok
            .last_used_at
            .is_none_or(|u| (t - u).num_seconds() >= TOUCH_EVERY_SECS)
        {
            self.store().mark_token_used(tok.id, t).await?;
        }
        Ok(Some(Actor {
            member,
            credential: Credential::Token {
                id: tok.id,
                scopes: tok.scopes,
            },
        }))
    }

    /// Creates a token for the actor; returns it with its secret, which is shown only now.
    pub async fn create_token(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        input: NewTokenInput,
    ) -> CoreResult<(ApiToken, String)> {
        self.check(actor, meta, Action::ManageSelf, "token.create")
            .await?;
        let mut errors = Invalid::new();
        let name = validate::required_text(&mut errors, "name", &input.name, NAME_MAX);
        if input.scopes.is_empty() {
            errors.add("scopes", "required");
        }
        if let Some(d) = input.expires_in_days {
            if !(1..=3650).contains(&d) {
                errors.add("expires_in_days", "out_of_range");
            }
        }
        // A token may not carry the admin scope for someone who is not an admin.
        if input.scopes.contains(&Scope::Admin) && actor.member.role != Role::Admin {
            errors.add("scopes", "scope_not_allowed");
        }
        // A token may only mint tokens it could itself act as: a write token cannot create an
        // admin or all-powerful one (no escalation through the API).
        if let Credential::Token { scopes: own, .. } = &actor.credential {
            let within =
                |wanted: &Scope| own.iter().any(|o| crate::policy::scope_covers(*o, *wanted));
            if !input.scopes.iter().all(within) {
                errors.add("scopes", "scope_not_allowed");
            }
        }
        errors.into_result()?;
        let secret_value = secret::new_api_token();
        let t = now();
        let token = self
            .store()
            .create_token(NewToken {
                id: TokenId::new(),
                member_id: actor.member.id,
                name,
                token_hash: secret::hash(&secret_value),
                scopes: input.scopes,
                expires_at: input.expires_in_days.map(|d| t + Duration::days(d)),
                now: t,
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "token.create",
            "token",
            token.id,
            json!({ "scopes": token.scopes }),
        )
        .await;
        Ok((token, secret_value))
    }

    pub async fn list_tokens(&self, actor: &Actor) -> CoreResult<Vec<ApiToken>> {
        Ok(self.store().list_tokens(actor.member.id).await?)
    }

    pub async fn revoke_token(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: TokenId,
    ) -> CoreResult<ApiToken> {
        self.check(actor, meta, Action::ManageSelf, "token.revoke")
            .await?;
        let token = self
            .store()
            .revoke_token(actor.member.id, id, now())
            .await?;
        self.audit_ok(actor, meta, "token.revoke", "token", id, json!({}))
            .await;
        Ok(token)
    }

    // --- passwords --------------------------------------------------------------------------

    /// Changes one's own password; every other session of the member ends.
    pub async fn change_password(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        current: &str,
        new: &str,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::ManageSelf, "member.change_password")
            .await?;
        let (_, hash) = self
            .store()
            .find_credentials(&actor.member.email)
            .await?
            .ok_or_else(CoreError::not_found)?;
        if !verify_password(current, hash).await {
            return Err(CoreError::field("current_password", "wrong_password"));
        }
        let mut errors = Invalid::new();
        check_password(&mut errors, "new_password", new);
        errors.into_result()?;
        let keep = match &actor.credential {
            Credential::Session { id_hash } => Some(id_hash.as_str()),
            _ => None,
        };
        self.store()
            .set_password(actor.member.id, &hash_password(new).await?, keep, now())
            .await?;
        self.audit_ok(
            actor,
            meta,
            "member.change_password",
            "member",
            actor.member.id,
            json!({}),
        )
        .await;
        Ok(())
    }

    /// An admin sets a member's password (reset); all the member's sessions end.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        member: MemberId,
        new: &str,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::ManageMembers, "member.reset_password")
            .await?;
        let target = self
            .store()
            .get_member(actor.member.workspace_id, member)
            .await?;
        let mut errors = Invalid::new();
        check_password(&mut errors, "password", new);
        errors.into_result()?;
        self.store()
            .set_password(target.id, &hash_password(new).await?, None, now())
            .await?;
        self.audit_ok(
            actor,
            meta,
            "member.reset_password",
            "member",
            target.id,
            json!({}),
        )
        .await;
        Ok(())
    }

    // --- invitations ------------------------------------------------------------------------

    /// Invites someone by e-mail with a role; returns the invitation and its one-time token.
    pub async fn invite(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        email: &str,
        role: Role,
    ) -> CoreResult<(Invitation, String)> {
        self.check(actor, meta, Action::ManageMembers, "invitation.create")
            .await?;
        let mut errors = Invalid::new();
        let email = validate::email(&mut errors, "email", email);
        errors.into_result()?;
        if self.store().find_credentials(&email).await?.is_some() {
            return Err(CoreError {
                fields: vec![FieldError {
                    field: "email".into(),
                    code: "already_taken",
                }],
                ..CoreError::new(ErrorCode::Duplicate)
            });
        }
        let token = secret::random_token();
        let t = now();
        let inv = self
            .store()
            .create_invitation(NewInvitation {
                id: InvitationId::new(),
                workspace_id: actor.member.workspace_id,
                email,
                role,
                invited_by: actor.member.id,
                token_hash: secret::hash(&token),
                now: t,
                expires_at: t + Duration::days(self.config().invitation_days),
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "invitation.create",
            "invitation",
            inv.id,
            json!({ "role": role }),
        )
        .await;
        Ok((inv, token))
    }

    pub async fn list_invitations(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
    ) -> CoreResult<Vec<Invitation>> {
        self.check(actor, meta, Action::ManageMembers, "invitation.read")
            .await?;
        Ok(self
            .store()
            .list_invitations(actor.member.workspace_id)
            .await?)
    }

    pub async fn revoke_invitation(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: InvitationId,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::ManageMembers, "invitation.revoke")
            .await?;
        self.store()
            .revoke_invitation(actor.member.workspace_id, id, now())
            .await?;
        self.audit_ok(
            actor,
            meta,
            "invitation.revoke",
            "invitation",
            id,
            json!({}),
        )
        .await;
        Ok(())
    }

    /// The pending invitation behind a link, if it can still be accepted.
    pub async fn find_invitation(
        &self,
        token: &str,
    ) -> CoreResult<Option<(Invitation, Workspace)>> {
        let Some(inv) = self
            .store()
            .get_invitation_by_hash(&secret::hash(token))
            .await?
        else {
            return Ok(None);
        };
        if inv.accepted_at.is_some() || inv.revoked_at.is_some() || inv.expires_at <= now() {
            return Ok(None);
        }
        let ws = self.store().get_workspace(inv.workspace_id).await?;
        Ok(Some((inv, ws)))
    }

    /// Accepts an invitation: the invited person chooses a name and a password.
    pub async fn accept_invitation(
        &self,
        meta: &RequestMeta,
        token: &str,
        name: &str,
        password: &str,
        locale: Option<Locale>,
    ) -> CoreResult<Member> {
        let (inv, _) = self
            .find_invitation(token)
            .await?
            .ok_or_else(|| CoreError::new(ErrorCode::InvitationInvalid))?;
        let mut errors = Invalid::new();
        let name = validate::required_text(&mut errors, "name", name, NAME_MAX);
        check_password(&mut errors, "password", password);
        errors.into_result()?;
        let t = now();
        let member = self
            .store()
            .accept_invitation(
                &secret::hash(token),
                t,
                NewMember {
                    id: MemberId::new(),
                    workspace_id: inv.workspace_id,
                    email: inv.email.clone(),
                    name,
                    role: inv.role,
                    job_title: None,
                    password_hash: Some(hash_password(password).await?),
                    time_zone: "UTC".into(),
                    locale,
                    now: t,
                },
            )
            .await
            .map_err(|e| match e {
                StoreError::NotFound => CoreError::new(ErrorCode::InvitationInvalid),
                other => other.into(),
            })?;
        let actor = Actor {
            member: member.clone(),
            credential: Credential::Operator,
        };
        self.audit_ok(
            &actor,
            meta,
            "invitation.accept",
            "member",
            member.id,
            json!({ "role": member.role }),
        )
        .await;
        Ok(member)
    }
}

fn now() -> Timestamp {
    phare_store::now()
}
