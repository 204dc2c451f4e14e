//! Ideas written as user stories, the evidence that supports them, and merging duplicates.

use crate::{Action, Actor, CoreError, CoreResult, Phare, RequestMeta};
use phare_domain::validate::{optional_text, required_text};
use phare_domain::*;
use phare_store::*;
use serde_json::json;

/// The fields of an idea. On create, `product_id` and `title` are required; on update, only the
/// `Some` fields change.
#[derive(Clone, Debug, Default)]
pub struct IdeaInput {
    pub product_id: Option<ProductId>,
    /// A story unless said otherwise; a bug report must fill its whole template.
    pub kind: Option<IdeaKind>,
    pub title: Option<String>,
    pub as_a: Option<String>,
    pub i_want: Option<String>,
    pub so_that: Option<String>,
    pub description: Option<String>,
    pub status: Option<IdeaStatus>,
    pub owner_id: Option<Option<MemberId>>,
    pub tags: Option<Vec<String>>,
    pub bug: BugInput,
    /// Create the idea from this feedback item, keeping the link as evidence.
    pub from_feedback: Option<EvidenceInput>,
    pub external: Option<(String, String)>,
}

/// Parts of a bug report's template; on update, only the `Some` parts change.
#[derive(Clone, Debug, Default)]
pub struct BugInput {
    pub steps: Option<String>,
    pub expected: Option<String>,
    pub actual: Option<String>,
    pub environment: Option<String>,
    pub severity: Option<Option<Severity>>,
}

impl BugInput {
    /// The template after this change to `current`.
    fn over(&self, current: &BugReport) -> BugReport {
        let pick = |new: &Option<String>, old: &String| new.clone().unwrap_or_else(|| old.clone());
        BugReport {
            steps: pick(&self.steps, &current.steps),
            expected: pick(&self.expected, &current.expected),
            actual: pick(&self.actual, &current.actual),
            environment: pick(&self.environment, &current.environment),
            severity: self.severity.unwrap_or(current.severity),
        }
    }

    fn is_empty(&self) -> bool {
        self.steps.is_none()
            && self.expected.is_none()
            && self.actual.is_none()
            && self.environment.is_none()
            && self.severity.is_none()
    }
}

#[derive(Clone, Debug)]
pub struct EvidenceInput {
    pub feedback_id: FeedbackId,
    pub importance: Option<Importance>,
    pub excerpt: Option<String>,
}

fn excerpt(errors: &mut Invalid, e: &EvidenceInput) -> Option<String> {
    e.excerpt
        .as_deref()
        .map(|x| optional_text(errors, "excerpt", x, EXCERPT_MAX))
        .filter(|x| !x.is_empty())
}

fn owner_error(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound => CoreError::field("owner_id", "unknown_member"),
        other => other.into(),
    }
}

impl Phare {
    pub async fn create_idea(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        input: IdeaInput,
    ) -> CoreResult<Idea> {
        self.check(actor, meta, Action::WorkOnDiscovery, "idea.create")
            .await?;
        let ws = actor.member.workspace_id;
        let mut errors = Invalid::new();
        let status = input.status.unwrap_or(IdeaStatus::Draft);
        if status == IdeaStatus::Merged {
            errors.add("status", "use_merge");
        }
        let text = IdeaText {
            kind: input.kind.unwrap_or_default(),
            title: input.title.clone().unwrap_or_default(),
            as_a: input.as_a.clone().unwrap_or_default(),
            i_want: input.i_want.clone().unwrap_or_default(),
            so_that: input.so_that.clone().unwrap_or_default(),
            description: input.description.clone().unwrap_or_default(),
            bug: input.bug.over(&BugReport::default()),
        }
        .validate(status, &mut errors);
        let tags = tags(
            &mut errors,
            "tags",
            input.tags.as_deref().unwrap_or_default(),
        );
        let first = input.from_feedback.as_ref().map(|e| FirstEvidence {
            id: EvidenceId::new(),
            feedback_id: e.feedback_id,
            excerpt: excerpt(&mut errors, e),
            importance: e.importance.unwrap_or(Importance::Important),
        });
        let Some(product_id) = input.product_id else {
            errors.add("product_id", "required");
            return Err(errors.into());
        };
        errors.into_result()?;
        // Each reference below must be of this workspace; the store refuses the rest, and we
        // say which field was wrong.
        self.store()
            .get_product(ws, product_id)
            .await
            .map_err(|_| CoreError::field("product_id", "unknown_product"))?;
        if let Some(f) = &first {
            self.store()
                .get_feedback(ws, f.feedback_id)
                .await
                .map_err(|_| CoreError::field("feedback_id", "unknown_feedback"))?;
        }
        let idea = self
            .store()
            .create_idea(NewIdea {
                id: IdeaId::new(),
                workspace_id: ws,
                product_id,
                text,
                status,
                owner_id: input.owner_id.flatten(),
                tags,
                created_by: Some(actor.member.id),
                evidence: first,
                external: input.external,
                now: now(),
            })
            .await
            .map_err(owner_error)?;
        self.audit_ok(
            actor,
            meta,
            "idea.create",
            "idea",
            idea.id,
            json!({ "reference": idea.reference, "from_feedback": input.from_feedback.map(|f| f.feedback_id) }),
        )
        .await;
        Ok(idea)
    }

    pub async fn get_idea(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: IdeaId,
    ) -> CoreResult<Idea> {
        self.check(actor, meta, Action::ReadDiscovery, "idea.read")
            .await?;
        Ok(self.store().get_idea(actor.member.workspace_id, id).await?)
    }

    /// An idea by its reference (`CHK-42`) in a product.
    pub async fn get_idea_by_number(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        number: i64,
    ) -> CoreResult<Idea> {
        self.check(actor, meta, Action::ReadDiscovery, "idea.read")
            .await?;
        Ok(self
            .store()
            .get_idea_by_number(actor.member.workspace_id, product, number)
            .await?)
    }

    pub async fn list_ideas(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        filter: &IdeaFilter,
        page: &PageRequest,
    ) -> CoreResult<Page<Idea>> {
        self.check(actor, meta, Action::ReadDiscovery, "idea.read")
            .await?;
        Ok(self
            .store()
            .list_ideas(actor.member.workspace_id, filter, page)
            .await?)
    }

    /// The members owning ideas of the product (for owner filters and the owners' names).
    pub async fn list_idea_owners(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
    ) -> CoreResult<Vec<IdeaOwner>> {
        self.check(actor, meta, Action::ReadDiscovery, "idea.read")
            .await?;
        Ok(self
            .store()
            .list_idea_owners(actor.member.workspace_id, product)
            .await?)
    }

    pub async fn update_idea(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: IdeaId,
        version: i64,
        input: IdeaInput,
    ) -> CoreResult<Idea> {
        self.update_idea_noting(actor, meta, id, version, input, "")
            .await
    }

    /// [`update_idea`](Self::update_idea), with a note for the idea's portal followers (the
    /// public part of a decision's rationale, Markdown) when the status changes.
    pub(crate) async fn update_idea_noting(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: IdeaId,
        version: i64,
        input: IdeaInput,
        note: &str,
    ) -> CoreResult<Idea> {
        self.check(actor, meta, Action::WorkOnDiscovery, "idea.update")
            .await?;
        let ws = actor.member.workspace_id;
        let current = self.store().get_idea(ws, id).await?;
        let mut errors = Invalid::new();
        let status = input.status.unwrap_or(current.status);
        status_change(&mut errors, current.status, status);
        // The story rule spans fields: validate the idea as it will be after the change.
        let text = IdeaText {
            kind: input.kind.unwrap_or(current.kind),
            title: input.title.clone().unwrap_or(current.title.clone()),
            as_a: input.as_a.clone().unwrap_or(current.as_a.clone()),
            i_want: input.i_want.clone().unwrap_or(current.i_want.clone()),
            so_that: input.so_that.clone().unwrap_or(current.so_that.clone()),
            description: input
                .description
                .clone()
                .unwrap_or(current.description.clone()),
            bug: input.bug.over(&current.bug),
        }
        .validate(status, &mut errors);
        let tags = input.tags.as_ref().map(|t| tags(&mut errors, "tags", t));
        errors.into_result()?;
        let idea = self
            .store()
            .update_idea(
                ws,
                id,
                version,
                IdeaPatch {
                    kind: input.kind,
                    bug: (!input.bug.is_empty()).then_some(text.bug),
                    title: input.title.map(|_| text.title),
                    as_a: input.as_a.map(|_| text.as_a),
                    i_want: input.i_want.map(|_| text.i_want),
                    so_that: input.so_that.map(|_| text.so_that),
                    description: input.description.map(|_| text.description),
                    status: input.status,
                    owner_id: input.owner_id,
                    tags,
                    actor: Some(actor.member.id),
                    now: Some(now()),
                },
            )
            .await
            .map_err(owner_error)?;
        self.audit_ok(
            actor,
            meta,
            "idea.update",
            "idea",
            idea.id,
            json!({ "status": (idea.status != current.status).then_some(idea.status) }),
        )
        .await;
        // Followers of the idea on the portal hear of a new status.
        self.notify_status_change(&current, &idea, note).await;
        Ok(idea)
    }

    pub async fn list_idea_changes(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: IdeaId,
    ) -> CoreResult<Vec<IdeaChange>> {
        self.check(actor, meta, Action::ReadDiscovery, "idea.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_idea(ws, id).await?;
        Ok(self.store().list_idea_changes(ws, id).await?)
    }

    // --- evidence ---------------------------------------------------------------------------

    pub async fn add_evidence(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
        input: EvidenceInput,
    ) -> CoreResult<Evidence> {
        self.check(actor, meta, Action::WorkOnDiscovery, "evidence.add")
            .await?;
        let ws = actor.member.workspace_id;
        let mut errors = Invalid::new();
        let excerpt = excerpt(&mut errors, &input);
        errors.into_result()?;
        let target = self.store().get_idea(ws, idea).await?;
        if target.status == IdeaStatus::Merged {
            return Err(CoreError::field("idea", "idea_merged"));
        }
        self.store()
            .get_feedback(ws, input.feedback_id)
            .await
            .map_err(|_| CoreError::field("feedback_id", "unknown_feedback"))?;
        let e = self
            .store()
            .add_evidence(NewEvidence {
                id: EvidenceId::new(),
                workspace_id: ws,
                idea_id: idea,
                feedback_id: input.feedback_id,
                excerpt,
                importance: input.importance.unwrap_or(Importance::Important),
                created_by: Some(actor.member.id),
                now: now(),
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "evidence.add",
            "idea",
            idea,
            json!({ "feedback_id": e.feedback_id, "importance": e.importance }),
        )
        .await;
        Ok(e)
    }

    pub async fn remove_evidence(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: EvidenceId,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::WorkOnDiscovery, "evidence.remove")
            .await?;
        self.store()
            .remove_evidence(actor.member.workspace_id, id)
            .await?;
        self.audit_ok(actor, meta, "evidence.remove", "evidence", id, json!({}))
            .await;
        Ok(())
    }

    pub async fn list_idea_evidence(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
    ) -> CoreResult<Vec<EvidenceOnIdea>> {
        self.check(actor, meta, Action::ReadDiscovery, "idea.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_idea(ws, idea).await?;
        Ok(self.store().list_idea_evidence(ws, idea).await?)
    }

    pub async fn list_feedback_ideas(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        feedback: FeedbackId,
    ) -> CoreResult<Vec<EvidenceOnFeedback>> {
        self.check(actor, meta, Action::ReadDiscovery, "feedback.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_feedback(ws, feedback).await?;
        Ok(self.store().list_feedback_ideas(ws, feedback).await?)
    }

    // --- merge ------------------------------------------------------------------------------

    /// Merges `from` into `into`: evidence and votes move, `from` redirects, the merge is
    /// recorded with who and why.
    pub async fn merge_ideas(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        from: IdeaId,
        into: IdeaId,
        reason: &str,
    ) -> CoreResult<Idea> {
        self.check(actor, meta, Action::CurateDiscovery, "idea.merge")
            .await?;
        let ws = actor.member.workspace_id;
        let mut errors = Invalid::new();
        let reason = required_text(&mut errors, "reason", reason, REASON_MAX);
        if from == into {
            errors.add("into", "merge_into_itself");
        }
        errors.into_result()?;
        let source = self.store().get_idea(ws, from).await?;
        let target = self
            .store()
            .get_idea(ws, into)
            .await
            .map_err(|_| CoreError::field("into", "unknown_idea"))?;
        if source.status == IdeaStatus::Merged {
            return Err(CoreError::field("idea", "idea_merged"));
        }
        if target.status == IdeaStatus::Merged {
            return Err(CoreError::field("into", "idea_merged"));
        }
        let kept = self
            .store()
            .merge_ideas(IdeaMerge {
                id: uuid::Uuid::now_v7(),
                workspace_id: ws,
                from_idea_id: from,
                into_idea_id: into,
                actor_id: Some(actor.member.id),
                reason,
                at: now(),
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "idea.merge",
            "idea",
            from,
            json!({ "from": source.reference, "into": kept.reference }),
        )
        .await;
        Ok(kept)
    }

    pub async fn list_merges_into(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
    ) -> CoreResult<Vec<IdeaMerge>> {
        self.check(actor, meta, Action::ReadDiscovery, "idea.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_idea(ws, idea).await?;
        Ok(self.store().list_merges_into(ws, idea).await?)
    }
}
