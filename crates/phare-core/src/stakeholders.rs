//! Stakeholder prioritization sessions: stakeholder groups and their weights, sessions a
//! product manager opens on a set of ideas, the invitations, each stakeholder's private ballot,
//! and the close that computes the results.
//!
//! Who may do what: product managers and admins run sessions ([`Action::RunSessions`]); any
//! member answers a session they are invited to ([`Action::AnswerBallots`] plus the
//! invitation); a session is seen by those who run sessions and by its invited members, and
//! nobody sees another's ballot — before or after the close, only the aggregated results.

use crate::{Action, Actor, CoreError, CoreResult, Phare, RequestMeta};
use phare_domain::validate::{optional_text, required_text};
use phare_domain::*;
use phare_store::*;
use serde_json::json;

/// What a product manager fills in to open a session.
#[derive(Clone, Debug, Default)]
pub struct SessionInput {
    pub title: String,
    pub description: String,
    /// `points`, `ranking` or `moscow`.
    pub method: String,
    pub deadline: Option<Timestamp>,
    pub idea_ids: Vec<IdeaId>,
}

/// One invitation asked for: a member of the workspace in a stakeholder group.
#[derive(Clone, Copy, Debug)]
pub struct InvitationInput {
    pub member_id: MemberId,
    pub group_id: StakeholderGroupId,
}

/// A session as its reader may see it: the session, and whether they run it or answer it.
#[derive(Clone, Debug)]
pub struct SessionAccess {
    pub session: PrioritizationSession,
    /// The reader may run the session (invite, open, close, see who answered).
    pub runs: bool,
    /// The reader's invitation, if invited.
    pub invitation: Option<SessionInvitation>,
}

impl Phare {
    // --- groups -----------------------------------------------------------------------------

    pub async fn list_stakeholder_groups(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
    ) -> CoreResult<Vec<StakeholderGroup>> {
        self.check(actor, meta, Action::ReadWorkspace, "stakeholder_group.read")
            .await?;
        Ok(self
            .store()
            .list_stakeholder_groups(actor.member.workspace_id)
            .await?)
    }

    /// Adds the six default groups when the workspace has none; how many were added.
    pub async fn seed_stakeholder_groups(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
    ) -> CoreResult<u64> {
        self.check(actor, meta, Action::RunSessions, "stakeholder_group.seed")
            .await?;
        let ws = actor.member.workspace_id;
        let n = self.store().seed_stakeholder_groups(ws, now()).await?;
        if n > 0 {
            self.audit_ok(
                actor,
                meta,
                "stakeholder_group.seed",
                "workspace",
                ws,
                json!({ "groups": n }),
            )
            .await;
        }
        Ok(n)
    }

    pub async fn create_stakeholder_group(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        name: &str,
        weight: Option<f64>,
    ) -> CoreResult<StakeholderGroup> {
        self.check(actor, meta, Action::RunSessions, "stakeholder_group.create")
            .await?;
        let mut errors = Invalid::new();
        let name = group_name(&mut errors, "name", name);
        let weight = group_weight(&mut errors, "weight", weight.unwrap_or(1.0));
        errors.into_result()?;
        let g = self
            .store()
            .create_stakeholder_group(NewStakeholderGroup {
                id: StakeholderGroupId::new(),
                workspace_id: actor.member.workspace_id,
                name,
                weight,
                now: now(),
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "stakeholder_group.create",
            "stakeholder_group",
            g.id,
            json!({ "weight": g.weight }),
        )
        .await;
        Ok(g)
    }

    /// Renames and re-weighs a group. A default group given an empty name goes back to its
    /// translated default name.
    pub async fn update_stakeholder_group(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: StakeholderGroupId,
        version: i64,
        name: Option<&str>,
        weight: Option<f64>,
    ) -> CoreResult<StakeholderGroup> {
        self.check(actor, meta, Action::RunSessions, "stakeholder_group.update")
            .await?;
        let ws = actor.member.workspace_id;
        let current = self
            .store()
            .list_stakeholder_groups(ws)
            .await?
            .into_iter()
            .find(|g| g.id == id)
            .ok_or_else(CoreError::not_found)?;
        let mut errors = Invalid::new();
        let name = match name {
            Some(n) if n.trim().is_empty() && current.default_key.is_some() => Some(String::new()),
            Some(n) => Some(group_name(&mut errors, "name", n)),
            None => None,
        };
        let weight = group_weight(&mut errors, "weight", weight.unwrap_or(current.weight));
        errors.into_result()?;
        let g = self
            .store()
            .update_stakeholder_group(ws, id, version, name, weight, now())
            .await?;
        self.audit_ok(
            actor,
            meta,
            "stakeholder_group.update",
            "stakeholder_group",
            g.id,
            json!({ "weight": g.weight }),
        )
        .await;
        Ok(g)
    }

    /// Removes a group no invitation uses (`group_in_use` on the `group` field otherwise).
    pub async fn delete_stakeholder_group(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: StakeholderGroupId,
        version: i64,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::RunSessions, "stakeholder_group.delete")
            .await?;
        let removed = self
            .store()
            .delete_stakeholder_group(actor.member.workspace_id, id, version)
            .await?;
        if !removed {
            return Err(CoreError::field("group", "group_in_use"));
        }
        self.audit_ok(
            actor,
            meta,
            "stakeholder_group.delete",
            "stakeholder_group",
            id,
            json!({}),
        )
        .await;
        Ok(())
    }

    // --- sessions ---------------------------------------------------------------------------

    pub async fn create_prioritization_session(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        input: SessionInput,
    ) -> CoreResult<PrioritizationSession> {
        self.check(actor, meta, Action::RunSessions, "session.create")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_product(ws, product).await?;
        let t = now();
        let mut errors = Invalid::new();
        let title = required_text(&mut errors, "title", &input.title, SESSION_TITLE_MAX);
        if title.contains('\n') {
            errors.add("title", "invalid_characters");
        }
        let description = optional_text(
            &mut errors,
            "description",
            &input.description,
            SESSION_TEXT_MAX,
        );
        let method = SessionMethod::parse(input.method.trim());
        if input.method.trim().is_empty() {
            errors.add("method", "required");
        } else if method.is_none() {
            errors.add("method", "unknown_method");
        }
        match input.deadline {
            None => errors.add("deadline", "required"),
            Some(d) if d <= t => errors.add("deadline", "deadline_in_the_past"),
            Some(_) => {}
        }
        let mut ideas: Vec<IdeaId> = Vec::new();
        for i in &input.idea_ids {
            if !ideas.contains(i) {
                ideas.push(*i);
            }
        }
        if ideas.len() < SESSION_IDEAS_MIN {
            errors.add("idea_ids", "session_too_few_ideas");
        } else if ideas.len() > SESSION_IDEAS_MAX {
            errors.add("idea_ids", "session_too_many_ideas");
        }
        errors.into_result()?;
        let (Some(method), Some(deadline)) = (method, input.deadline) else {
            return Err(CoreError::field("method", "required"));
        };
        let s = self
            .store()
            .create_prioritization_session(NewPrioritizationSession {
                id: PrioritizationSessionId::new(),
                workspace_id: ws,
                product_id: product,
                title,
                description,
                method,
                deadline: to_micros(deadline),
                idea_ids: ideas,
                created_by: Some(actor.member.id),
                now: t,
            })
            .await
            .map_err(|e| match e {
                // The product was found above: a missing row is an idea of another product.
                StoreError::NotFound => CoreError::field("idea_ids", "unknown_idea"),
                other => other.into(),
            })?;
        self.audit_ok(
            actor,
            meta,
            "session.create",
            "prioritization_session",
            s.id,
            json!({ "product_id": product, "method": s.method, "ideas": s.idea_ids.len() }),
        )
        .await;
        Ok(s)
    }

    /// The sessions of a product the reader may see: all of them for those who run sessions,
    /// otherwise the ones they are invited to.
    pub async fn list_prioritization_sessions(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: Option<ProductId>,
    ) -> CoreResult<Vec<PrioritizationSession>> {
        self.check(actor, meta, Action::ReadWorkspace, "session.read")
            .await?;
        let ws = actor.member.workspace_id;
        if let Some(p) = product {
            self.store().get_product(ws, p).await?;
        }
        let runs = crate::policy::authorize(actor, Action::RunSessions).is_ok();
        let filter = SessionFilter {
            product,
            invited: (!runs).then_some(actor.member.id),
        };
        Ok(self
            .store()
            .list_prioritization_sessions(ws, &filter)
            .await?)
    }

    /// The session, for those who run sessions or are invited to it (`forbidden` for the other
    /// members, `not_found` in another workspace).
    pub async fn prioritization_session(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PrioritizationSessionId,
    ) -> CoreResult<SessionAccess> {
        self.check(actor, meta, Action::ReadWorkspace, "session.read")
            .await?;
        let ws = actor.member.workspace_id;
        let session = self.store().get_prioritization_session(ws, id).await?;
        let runs = crate::policy::authorize(actor, Action::RunSessions).is_ok();
        let invitation = self
            .store()
            .session_invitations(ws, id)
            .await?
            .into_iter()
            .find(|i| i.member_id == actor.member.id)
            .map(|mut i| {
                // A member learns whether they answered from their own ballot, not from here.
                i.answered_at = None;
                i
            });
        if !runs && invitation.is_none() {
            self.audit_denied(actor, meta, "session.read").await;
            return Err(CoreError::forbidden());
        }
        Ok(SessionAccess {
            session,
            runs,
            invitation,
        })
    }

    /// The facts beside each idea of the session, for whoever may see the session.
    pub async fn session_idea_facts(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PrioritizationSessionId,
    ) -> CoreResult<Vec<IdeaFacts>> {
        self.prioritization_session(actor, meta, id).await?;
        Ok(self
            .store()
            .session_idea_facts(actor.member.workspace_id, id)
            .await?)
    }

    /// Who is invited, in which group, and whether they answered (never what): for those who
    /// run sessions.
    pub async fn session_invitations(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PrioritizationSessionId,
    ) -> CoreResult<Vec<SessionInvitation>> {
        self.check(actor, meta, Action::RunSessions, "session.invitations")
            .await?;
        Ok(self
            .store()
            .session_invitations(actor.member.workspace_id, id)
            .await?)
    }

    pub async fn invite_stakeholders(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PrioritizationSessionId,
        invitations: &[InvitationInput],
    ) -> CoreResult<Vec<SessionInvitation>> {
        self.check(actor, meta, Action::RunSessions, "session.invite")
            .await?;
        let ws = actor.member.workspace_id;
        let session = self.store().get_prioritization_session(ws, id).await?;
        if session.state == SessionState::Closed {
            return Err(CoreError::field("session", "session_closed"));
        }
        let mut errors = Invalid::new();
        if invitations.is_empty() {
            errors.add("invitations", "required");
        } else if invitations.len() > SESSION_INVITATIONS_MAX {
            errors.add("invitations", "too_many_invitations");
        }
        let groups = self.store().list_stakeholder_groups(ws).await?;
        for (n, inv) in invitations.iter().enumerate() {
            match self.store().get_member(ws, inv.member_id).await {
                Ok(_) => {}
                Err(StoreError::NotFound) => {
                    errors.add(&format!("invitations[{n}].member_id"), "unknown_member")
                }
                Err(e) => return Err(e.into()),
            }
            if !groups.iter().any(|g| g.id == inv.group_id) {
                errors.add(
                    &format!("invitations[{n}].group_id"),
                    "unknown_stakeholder_group",
                );
            }
        }
        errors.into_result()?;
        let pairs: Vec<(MemberId, StakeholderGroupId)> = invitations
            .iter()
            .map(|i| (i.member_id, i.group_id))
            .collect();
        let out = self
            .store()
            .invite_stakeholders(ws, id, &pairs, now())
            .await
            .map_err(|e| match e {
                StoreError::VersionConflict => CoreError::field("session", "session_closed"),
                other => other.into(),
            })?;
        self.audit_ok(
            actor,
            meta,
            "session.invite",
            "prioritization_session",
            id,
            json!({ "members": pairs.iter().map(|(m, _)| m.to_string()).collect::<Vec<_>>() }),
        )
        .await;
        Ok(out)
    }

    /// Draft → open: invited members may answer until the deadline.
    pub async fn open_prioritization_session(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PrioritizationSessionId,
        version: i64,
    ) -> CoreResult<PrioritizationSession> {
        self.check(actor, meta, Action::RunSessions, "session.open")
            .await?;
        let ws = actor.member.workspace_id;
        let current = self.store().get_prioritization_session(ws, id).await?;
        if current.state != SessionState::Draft {
            return Err(CoreError::field("session", "session_not_draft"));
        }
        let s = self
            .store()
            .open_prioritization_session(ws, id, version, now())
            .await?;
        self.audit_ok(
            actor,
            meta,
            "session.open",
            "prioritization_session",
            id,
            json!({}),
        )
        .await;
        Ok(s)
    }

    /// Closes the session and computes its results; ballots are immutable from then on.
    pub async fn close_prioritization_session(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PrioritizationSessionId,
        version: i64,
    ) -> CoreResult<PrioritizationSession> {
        self.check(actor, meta, Action::RunSessions, "session.close")
            .await?;
        let ws = actor.member.workspace_id;
        let current = self.store().get_prioritization_session(ws, id).await?;
        if current.state == SessionState::Closed {
            return Err(CoreError::field("session", "session_closed"));
        }
        let s = self
            .store()
            .close_prioritization_session(ws, id, version, now())
            .await?;
        self.audit_ok(
            actor,
            meta,
            "session.close",
            "prioritization_session",
            id,
            json!({ "ballots": s.results.as_ref().map_or(0, |r| r.ballots) }),
        )
        .await;
        Ok(s)
    }

    /// The results of a closed session with its groups (as they are now: names may have
    /// changed; the weights used are in the results). `not_found` before the close.
    pub async fn session_results(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PrioritizationSessionId,
        exported: bool,
    ) -> CoreResult<(PrioritizationSession, SessionResults, Vec<StakeholderGroup>)> {
        let access = self.prioritization_session(actor, meta, id).await?;
        let Some(results) = access.session.results.clone() else {
            return Err(CoreError::not_found());
        };
        let groups = self
            .store()
            .list_stakeholder_groups(actor.member.workspace_id)
            .await?;
        if exported {
            self.audit_ok(
                actor,
                meta,
                "session.results_export",
                "prioritization_session",
                id,
                json!({}),
            )
            .await;
        }
        Ok((access.session, results, groups))
    }

    // --- ballots ----------------------------------------------------------------------------

    /// The reader's own ballot, if they answered; only an invited member has one.
    pub async fn own_ballot(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PrioritizationSessionId,
    ) -> CoreResult<(SessionAccess, Option<Ballot>)> {
        let access = self.prioritization_session(actor, meta, id).await?;
        if access.invitation.is_none() {
            self.audit_denied(actor, meta, "ballot.read").await;
            return Err(CoreError::forbidden());
        }
        let b = self
            .store()
            .get_ballot(actor.member.workspace_id, id, actor.member.id)
            .await?;
        Ok((access, b))
    }

    /// Saves the reader's own ballot (version 0 for the first). Refused with a field error
    /// when the session is not open, is closed, or its deadline passed; nothing is stored
    /// then.
    pub async fn put_own_ballot(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: PrioritizationSessionId,
        version: i64,
        draft: &BallotDraft,
    ) -> CoreResult<Ballot> {
        self.check(actor, meta, Action::AnswerBallots, "ballot.put")
            .await?;
        let ws = actor.member.workspace_id;
        let session = self.store().get_prioritization_session(ws, id).await?;
        let invited = self
            .store()
            .session_invitations(ws, id)
            .await?
            .iter()
            .any(|i| i.member_id == actor.member.id);
        if !invited {
            self.audit_denied(actor, meta, "ballot.put").await;
            return Err(CoreError::forbidden());
        }
        let t = now();
        refusal(&session, t)?;
        let answer = validate_ballot(session.method, &session.idea_ids, draft)?;
        let outcome = self
            .store()
            .put_ballot(ws, id, actor.member.id, version, answer, t)
            .await?;
        let ballot = match outcome {
            BallotOutcome::Saved(b) => b,
            BallotOutcome::NotOpen => return Err(CoreError::field("session", "session_not_open")),
            BallotOutcome::Closed => return Err(CoreError::field("session", "session_closed")),
            BallotOutcome::DeadlinePassed => {
                return Err(CoreError::field("deadline", "deadline_passed"))
            }
        };
        // The audit says that the member answered, never what.
        self.audit_ok(
            actor,
            meta,
            "ballot.put",
            "prioritization_session",
            id,
            json!({ "version": ballot.version }),
        )
        .await;
        Ok(ballot)
    }
}

/// Why a session takes no ballot at `t`, as the field error shown to the stakeholder.
pub fn refusal(session: &PrioritizationSession, t: Timestamp) -> CoreResult<()> {
    match session.state {
        SessionState::Draft => Err(CoreError::field("session", "session_not_open")),
        SessionState::Closed => Err(CoreError::field("session", "session_closed")),
        SessionState::Open if t >= session.deadline => {
            Err(CoreError::field("deadline", "deadline_passed"))
        }
        SessionState::Open => Ok(()),
    }
}
