//! Specs and feature documentation: who may read and change an idea's spec (contributors and
//! up write, everyone in the workspace reads), the validation of each save, a criterion's state
//! changed alone, and the documentation page of a shipped idea, public on its portal.
//!
//! Publishing rule: a documentation page may be drafted at any status, but it can be made
//! public only while the idea is shipped (`public`: `not_shipped`), and the portal shows it
//! only while the idea is still shipped, published on an enabled portal, and the page public.
//! Making a page public (or private again) is portal moderation: product managers and admins.

use crate::{Action, Actor, CoreError, CoreResult, Phare, RequestMeta};
use phare_domain::specs::{self, CriterionState, SpecContent};
use phare_domain::*;
use phare_store::*;
use serde_json::json;

fn now() -> Timestamp {
    to_micros(chrono::Utc::now())
}

impl Phare {
    /// The idea and its current spec (`None` before the first save).
    pub async fn get_spec(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
    ) -> CoreResult<(Idea, Option<Spec>)> {
        self.check(actor, meta, Action::ReadDiscovery, "spec.read")
            .await?;
        let ws = actor.member.workspace_id;
        let i = self.store().get_idea(ws, idea).await?;
        let spec = self.store().get_spec(ws, idea).await?;
        Ok((i, spec))
    }

    /// Keeps a new version made from `version` (0: the idea had no spec). A stale version is a
    /// `version_conflict` and nothing is stored.
    pub async fn save_spec(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
        version: i64,
        content: SpecContent,
    ) -> CoreResult<Spec> {
        self.check(actor, meta, Action::WorkOnDiscovery, "spec.save")
            .await?;
        let mut errors = Invalid::new();
        let content = content.validate(&mut errors);
        errors.into_result()?;
        let ws = actor.member.workspace_id;
        self.writable_idea(ws, idea).await?;
        let spec = self
            .store()
            .save_spec(SpecSave {
                workspace_id: ws,
                idea_id: idea,
                expected_version: version,
                content,
                actor: Some(actor.member.id),
                now: now(),
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "spec.save",
            "idea",
            idea,
            json!({ "version": spec.version }),
        )
        .await;
        Ok(spec)
    }

    /// Changes one acceptance criterion's state (0-based `index`), as a new version.
    pub async fn set_criterion_state(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
        version: i64,
        index: usize,
        state: CriterionState,
    ) -> CoreResult<Spec> {
        self.check(actor, meta, Action::WorkOnDiscovery, "spec.save")
            .await?;
        let ws = actor.member.workspace_id;
        self.writable_idea(ws, idea).await?;
        let current = self
            .store()
            .get_spec(ws, idea)
            .await?
            .ok_or_else(CoreError::not_found)?;
        if current.version != version {
            return Err(StoreError::VersionConflict.into());
        }
        let mut content = current.content;
        let c = content
            .criteria
            .get_mut(index)
            .ok_or_else(|| CoreError::field("criterion", "unknown_acceptance_criterion"))?;
        if c.state == state {
            return self
                .store()
                .get_spec(ws, idea)
                .await?
                .ok_or_else(CoreError::not_found);
        }
        c.state = state;
        let spec = self
            .store()
            .save_spec(SpecSave {
                workspace_id: ws,
                idea_id: idea,
                expected_version: version,
                content,
                actor: Some(actor.member.id),
                now: now(),
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "spec.criterion_state",
            "idea",
            idea,
            json!({ "version": spec.version, "criterion": index, "state": state.as_str() }),
        )
        .await;
        Ok(spec)
    }

    /// Newest first.
    pub async fn list_spec_versions(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
    ) -> CoreResult<Vec<VersionEntry>> {
        self.check(actor, meta, Action::ReadDiscovery, "spec.read")
            .await?;
        Ok(self
            .store()
            .list_spec_versions(actor.member.workspace_id, idea)
            .await?)
    }

    pub async fn get_spec_version(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
        version: i64,
    ) -> CoreResult<Spec> {
        self.check(actor, meta, Action::ReadDiscovery, "spec.read")
            .await?;
        Ok(self
            .store()
            .get_spec_version(actor.member.workspace_id, idea, version)
            .await?)
    }

    /// A merged idea only redirects: its spec and documentation are frozen.
    async fn writable_idea(&self, ws: WorkspaceId, idea: IdeaId) -> CoreResult<Idea> {
        let i = self.store().get_idea(ws, idea).await?;
        if i.status == IdeaStatus::Merged {
            return Err(StoreError::VersionConflict.into());
        }
        Ok(i)
    }

    // --- feature documentation --------------------------------------------------------------

    pub async fn get_feature_doc(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
    ) -> CoreResult<(Idea, Option<FeatureDoc>)> {
        self.check(actor, meta, Action::ReadDiscovery, "feature_doc.read")
            .await?;
        let ws = actor.member.workspace_id;
        let i = self.store().get_idea(ws, idea).await?;
        let doc = self.store().get_feature_doc(ws, idea).await?;
        Ok((i, doc))
    }

    /// Keeps a new version of the page; an absent `body` or `public` keeps the current one.
    /// `public` may be true only while the idea is shipped; changing it needs the portal
    /// moderation right.
    pub async fn save_feature_doc(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
        version: i64,
        body: Option<&str>,
        public: Option<bool>,
    ) -> CoreResult<FeatureDoc> {
        self.check(actor, meta, Action::WorkOnDiscovery, "feature_doc.save")
            .await?;
        let ws = actor.member.workspace_id;
        let i = self.writable_idea(ws, idea).await?;
        let current = self.store().get_feature_doc(ws, idea).await?;
        let was_public = current.as_ref().is_some_and(|d| d.public);
        let public = public.unwrap_or(was_public);
        let body = body
            .map(str::to_owned)
            .or_else(|| current.as_ref().map(|d| d.body.clone()))
            .unwrap_or_default();
        if public != was_public {
            self.check(actor, meta, Action::ModeratePortal, "feature_doc.publish")
                .await?;
        }
        let mut errors = Invalid::new();
        let body = specs::feature_doc_body(&mut errors, &body);
        if public && i.status != IdeaStatus::Shipped {
            errors.add("public", "not_shipped");
        }
        errors.into_result()?;
        let doc = self
            .store()
            .save_feature_doc(FeatureDocSave {
                workspace_id: ws,
                idea_id: idea,
                expected_version: version,
                body,
                public,
                actor: Some(actor.member.id),
                now: now(),
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "feature_doc.save",
            "idea",
            idea,
            json!({ "version": doc.version, "public": doc.public }),
        )
        .await;
        Ok(doc)
    }

    pub async fn list_feature_doc_versions(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
    ) -> CoreResult<Vec<VersionEntry>> {
        self.check(actor, meta, Action::ReadDiscovery, "feature_doc.read")
            .await?;
        Ok(self
            .store()
            .list_feature_doc_versions(actor.member.workspace_id, idea)
            .await?)
    }

    pub async fn get_feature_doc_version(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
        version: i64,
    ) -> CoreResult<FeatureDoc> {
        self.check(actor, meta, Action::ReadDiscovery, "feature_doc.read")
            .await?;
        Ok(self
            .store()
            .get_feature_doc_version(actor.member.workspace_id, idea, version)
            .await?)
    }

    /// The public documentation page of a published, shipped idea of an open portal; anything
    /// else (draft page, private page, idea not shipped or not published) is `not_found`.
    pub async fn portal_feature_doc(
        &self,
        portal: &PublicPortal,
        idea: &PortalIdea,
    ) -> CoreResult<Option<FeatureDoc>> {
        if idea.status != IdeaStatus::Shipped || idea.state != PortalState::Published {
            return Ok(None);
        }
        let doc = self
            .store()
            .get_feature_doc(portal.workspace.id, idea.idea_id)
            .await?;
        Ok(doc.filter(|d| d.public))
    }
}
