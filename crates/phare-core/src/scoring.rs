//! Scoring and the ranked backlog: who may score, configure, reorder and save views; inputs
//! checked (by `phare_domain::scoring`) before anything is stored; inputs taken from discovery
//! data resolved here (reach = distinct customers behind the evidence, demand, votes); every
//! change audited.
//!
//! Policy: reading needs `ReadDiscovery` (viewers); scoring an idea, reordering and bulk
//! status changes need `WorkOnDiscovery` (contributors); the scoring settings and shared views
//! need `CurateDiscovery` (product managers); a private view is one's own (`ManageSelf`).

use crate::{Action, Actor, CoreError, CoreResult, Phare, RequestMeta};
use phare_domain::backlog::{score_range, VIEW_NAME_MAX, VIEW_QUERY_MAX};
use phare_domain::scoring::{compute, validate_criteria, Criterion, ScoreResult};
use phare_domain::validate::required_text;
use phare_domain::*;
use phare_store::*;
use serde_json::json;
use std::collections::BTreeMap;

/// A score as typed: numbers by input name, the inputs to read from data instead (input name
/// → `customers`, `demand` or `votes`), a category (MoSCoW, Kano), scorecard points by
/// criterion id.
#[derive(Clone, Debug, Default)]
pub struct ScoreInput {
    pub numbers: BTreeMap<String, f64>,
    pub sources: BTreeMap<String, String>,
    pub category: Option<String>,
    pub criteria: BTreeMap<uuid::Uuid, f64>,
}

/// New scoring settings; a criterion without a known id is a new one.
#[derive(Clone, Debug, Default)]
pub struct SettingsInput {
    pub primary_framework: String,
    pub criteria: Vec<CriterionInput>,
}

#[derive(Clone, Debug, Default)]
pub struct CriterionInput {
    pub id: Option<uuid::Uuid>,
    pub name: String,
    pub scale: f64,
    pub weight: f64,
}

/// A stored score with its breakdown.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoredIdea {
    pub score: IdeaScore,
    pub result: ScoreResult,
}

/// Most ideas one bulk status change touches.
pub const BULK_MAX: usize = 200;

/// Parses a framework name; an unknown one is refused under `field`.
pub fn framework_from(field: &str, text: &str) -> CoreResult<Framework> {
    Framework::parse(text.trim()).ok_or_else(|| CoreError::field(field, "unknown_framework"))
}

/// The breakdown of a stored score, recomputed from its inputs (points of criteria deleted
/// since are left out, as the stored value leaves them out).
fn explain(score: &IdeaScore, criteria: &[Criterion]) -> Option<ScoreResult> {
    let mut inputs = score.inputs.clone();
    inputs
        .criteria
        .retain(|id, _| criteria.iter().any(|c| c.id == *id));
    compute(score.framework, &inputs, criteria).ok()
}

impl Phare {
    // --- settings ---------------------------------------------------------------------------

    pub async fn scoring_settings(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
    ) -> CoreResult<ScoringSettings> {
        self.check(actor, meta, Action::ReadDiscovery, "scoring.read")
            .await?;
        Ok(self
            .store()
            .scoring_settings(actor.member.workspace_id, product)
            .await?)
    }

    /// Replaces the primary framework and the scorecard; the product's ideas are re-scored at
    /// once by the store.
    pub async fn put_scoring_settings(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        version: i64,
        input: SettingsInput,
    ) -> CoreResult<ScoringSettings> {
        self.check(actor, meta, Action::CurateDiscovery, "scoring.settings")
            .await?;
        let ws = actor.member.workspace_id;
        let current = self.store().scoring_settings(ws, product).await?;
        let mut errors = Invalid::new();
        let primary = Framework::parse(input.primary_framework.trim());
        if primary.is_none() {
            errors.add("primary_framework", "unknown_framework");
        }
        let criteria: Vec<Criterion> = input
            .criteria
            .into_iter()
            .map(|c| Criterion {
                // Only ids of this product's criteria are kept: anything else is a new one.
                id: c
                    .id
                    .filter(|id| current.criteria.iter().any(|k| k.id == *id))
                    .unwrap_or_else(uuid::Uuid::now_v7),
                name: c.name,
                scale: c.scale,
                weight: c.weight,
            })
            .collect();
        let criteria = validate_criteria(criteria, &mut errors);
        if primary == Some(Framework::Scorecard) && criteria.is_empty() {
            errors.add("primary_framework", "no_scorecard");
        }
        errors.into_result()?;
        let primary = primary.unwrap_or_default();
        let out = self
            .store()
            .put_scoring_settings(
                ws,
                product,
                version,
                SettingsUpdate {
                    primary_framework: primary,
                    criteria,
                    now: now(),
                },
            )
            .await?;
        self.audit_ok(
            actor,
            meta,
            "scoring.settings",
            "product",
            product,
            json!({ "primary_framework": primary, "criteria": out.criteria.len() }),
        )
        .await;
        Ok(out)
    }

    // --- scores -----------------------------------------------------------------------------

    /// Scores an idea in one framework: inputs read from data are resolved, everything is
    /// checked, then stored (and the idea's `score` follows when it is the primary framework).
    pub async fn score_idea(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: IdeaId,
        framework: Framework,
        input: ScoreInput,
    ) -> CoreResult<ScoredIdea> {
        self.check(actor, meta, Action::WorkOnDiscovery, "idea.score")
            .await?;
        let ws = actor.member.workspace_id;
        let idea = self.store().get_idea(ws, id).await?;
        if idea.merged_into.is_some() {
            return Err(CoreError::field("idea", "idea_merged"));
        }
        let settings = self.store().scoring_settings(ws, idea.product_id).await?;
        let mut errors = Invalid::new();
        let mut inputs = ScoreInputs {
            numbers: input.numbers,
            sources: BTreeMap::new(),
            category: input.category.map(|c| c.trim().to_owned()),
            criteria: input.criteria,
        };
        for (name, source) in input.sources {
            match InputSource::parse(source.trim()) {
                None => errors.add(&name, "unknown_source"),
                Some(InputSource::Typed) => {}
                Some(s) => {
                    let value = match s {
                        InputSource::Customers => idea.customer_count,
                        InputSource::Demand => idea.demand,
                        InputSource::Votes => idea.vote_count,
                        InputSource::Typed => 0,
                    };
                    inputs.numbers.insert(name.clone(), value as f64);
                    inputs.sources.insert(name, s);
                }
            }
        }
        errors.into_result()?;
        let result = compute(framework, &inputs, &settings.criteria)?;
        let score = self
            .store()
            .put_idea_score(NewIdeaScore {
                workspace_id: ws,
                idea_id: id,
                framework,
                inputs,
                value: result.value,
                updated_by: Some(actor.member.id),
                now: now(),
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "idea.score",
            "idea",
            id,
            json!({ "framework": framework, "value": result.value }),
        )
        .await;
        Ok(ScoredIdea { score, result })
    }

    /// Every framework's score of the idea with its breakdown.
    pub async fn idea_scores(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: IdeaId,
    ) -> CoreResult<Vec<ScoredIdea>> {
        self.check(actor, meta, Action::ReadDiscovery, "idea.read")
            .await?;
        let ws = actor.member.workspace_id;
        let idea = self.store().get_idea(ws, id).await?;
        let criteria = self
            .store()
            .scoring_settings(ws, idea.product_id)
            .await?
            .criteria;
        let scores = self.store().idea_scores(ws, id).await?;
        Ok(scores
            .into_iter()
            .filter_map(|score| {
                explain(&score, &criteria).map(|mut result| {
                    // The stored value is the truth (re-scored in SQL after weight changes).
                    result.value = score.value;
                    ScoredIdea { score, result }
                })
            })
            .collect())
    }

    pub async fn delete_idea_score(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: IdeaId,
        framework: Framework,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::WorkOnDiscovery, "idea.score")
            .await?;
        self.store()
            .delete_idea_score(actor.member.workspace_id, id, framework)
            .await?;
        self.audit_ok(
            actor,
            meta,
            "idea.unscore",
            "idea",
            id,
            json!({ "framework": framework }),
        )
        .await;
        Ok(())
    }

    // --- the backlog ------------------------------------------------------------------------

    pub async fn backlog(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        sort: BacklogSort,
        filter: BacklogFilter,
        page: &PageRequest,
    ) -> CoreResult<Page<BacklogItem>> {
        self.check(actor, meta, Action::ReadDiscovery, "backlog.read")
            .await?;
        let mut errors = Invalid::new();
        score_range(filter.min_score, filter.max_score, &mut errors);
        errors.into_result()?;
        Ok(self
            .store()
            .backlog(actor.member.workspace_id, product, sort, &filter, page)
            .await?)
    }

    /// Moves an idea in its product's manual order.
    pub async fn move_idea(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: IdeaId,
        to: MoveTo,
    ) -> CoreResult<RankedIdea> {
        self.check(actor, meta, Action::WorkOnDiscovery, "idea.move")
            .await?;
        let ws = actor.member.workspace_id;
        // The idea itself must exist (404); the one it goes beside is a field of the request.
        self.store().idea_rank(ws, id).await?;
        let out = self
            .store()
            .move_idea(ws, id, to)
            .await
            .map_err(|e| match (e, to) {
                (StoreError::NotFound, MoveTo::Before(_)) => {
                    CoreError::field("before", "unknown_idea")
                }
                (StoreError::NotFound, MoveTo::After(_)) => {
                    CoreError::field("after", "unknown_idea")
                }
                (e, _) => e.into(),
            })?;
        let to_text = match to {
            MoveTo::Top => "top".to_owned(),
            MoveTo::Bottom => "bottom".to_owned(),
            MoveTo::Up => "up".to_owned(),
            MoveTo::Down => "down".to_owned(),
            MoveTo::Position(n) => format!("position {n}"),
            MoveTo::Before(o) => format!("before {o}"),
            MoveTo::After(o) => format!("after {o}"),
        };
        self.audit_ok(
            actor,
            meta,
            "idea.move",
            "idea",
            id,
            json!({ "to": to_text }),
        )
        .await;
        Ok(out)
    }

    /// Changes the status of several ideas of one product. Every idea is checked first (it
    /// must be of the product, not merged, and may take the status); one refusal and nothing
    /// changes.
    pub async fn bulk_idea_status(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        ids: &[IdeaId],
        status: IdeaStatus,
    ) -> CoreResult<u64> {
        self.check(actor, meta, Action::WorkOnDiscovery, "idea.update")
            .await?;
        let ws = actor.member.workspace_id;
        if ids.is_empty() {
            return Err(CoreError::field("ids", "required"));
        }
        if ids.len() > BULK_MAX {
            return Err(CoreError::field("ids", "too_many"));
        }
        let mut ideas = Vec::with_capacity(ids.len());
        for id in ids {
            // An idea of another workspace is not found; one of another product of the
            // workspace is a mistake in the request.
            let idea = self.store().get_idea(ws, *id).await?;
            if idea.product_id != product {
                return Err(CoreError::field("ids", "unknown_idea"));
            }
            let mut errors = Invalid::new();
            status_change(&mut errors, idea.status, status);
            idea.text().validate(status, &mut errors);
            if let Some(f) = errors.0.first() {
                // Name the idea that refuses, under the status field.
                return Err(CoreError {
                    internal: idea.reference.clone(),
                    ..CoreError::field("status", f.code)
                });
            }
            ideas.push(idea);
        }
        // One transaction for every change: an idea edited since it was read above refuses
        // the whole change (a version conflict), and nothing is half applied.
        let changed = self
            .store()
            .change_idea_statuses(StatusChange {
                workspace_id: ws,
                product_id: product,
                ideas: ideas
                    .iter()
                    .filter(|i| i.status != status)
                    .map(|i| (i.id, i.version))
                    .collect(),
                status,
                actor: Some(actor.member.id),
                now: now(),
            })
            .await?;
        self.after_status_changes(actor, meta, &ideas, &changed, "")
            .await;
        Ok(changed.len() as u64)
    }

    /// What follows a status change of several ideas once it is committed, as for one idea
    /// ([`update_idea`](Self::update_idea)): an audit event per idea, and the idea's portal
    /// followers told (with `note`, the public part of a decision's rationale).
    pub(crate) async fn after_status_changes(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        before: &[Idea],
        after: &[Idea],
        note: &str,
    ) {
        for idea in after {
            let Some(current) = before.iter().find(|i| i.id == idea.id) else {
                continue;
            };
            self.audit_ok(
                actor,
                meta,
                "idea.update",
                "idea",
                idea.id,
                json!({ "status": (idea.status != current.status).then_some(idea.status) }),
            )
            .await;
            self.notify_status_change(current, idea, note).await;
        }
    }

    pub async fn value_effort_matrix(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
    ) -> CoreResult<Vec<MatrixPoint>> {
        self.check(actor, meta, Action::ReadDiscovery, "backlog.read")
            .await?;
        Ok(self
            .store()
            .value_effort_matrix(actor.member.workspace_id, product)
            .await?)
    }

    // --- saved views ------------------------------------------------------------------------

    /// Saves a view of the backlog: private to the member, or shared (product managers).
    pub async fn create_backlog_view(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        name: &str,
        query: &str,
        shared: bool,
    ) -> CoreResult<BacklogView> {
        let action = if shared {
            Action::CurateDiscovery
        } else {
            Action::ManageSelf
        };
        self.check(actor, meta, Action::ReadDiscovery, "backlog.view")
            .await?;
        self.check(actor, meta, action, "backlog.view").await?;
        let mut errors = Invalid::new();
        let name = required_text(&mut errors, "name", name, VIEW_NAME_MAX);
        let query = query.trim().trim_start_matches('?');
        if query.chars().count() > VIEW_QUERY_MAX || query.chars().any(char::is_control) {
            errors.add("query", "invalid_characters");
        }
        errors.into_result()?;
        let view = self
            .store()
            .create_backlog_view(BacklogView {
                id: uuid::Uuid::now_v7(),
                workspace_id: actor.member.workspace_id,
                product_id: product,
                owner_id: actor.member.id,
                shared,
                name,
                query: query.to_owned(),
                created_at: now(),
                version: 1,
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "backlog.view.create",
            "backlog_view",
            view.id,
            json!({ "shared": shared }),
        )
        .await;
        Ok(view)
    }

    pub async fn list_backlog_views(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
    ) -> CoreResult<Vec<BacklogView>> {
        self.check(actor, meta, Action::ReadDiscovery, "backlog.read")
            .await?;
        Ok(self
            .store()
            .list_backlog_views(actor.member.workspace_id, product, actor.member.id)
            .await?)
    }

    /// A view the member may see: their own or a shared one.
    pub async fn get_backlog_view(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: uuid::Uuid,
    ) -> CoreResult<BacklogView> {
        self.check(actor, meta, Action::ReadDiscovery, "backlog.read")
            .await?;
        let v = self
            .store()
            .get_backlog_view(actor.member.workspace_id, id)
            .await?;
        if !v.shared && v.owner_id != actor.member.id {
            return Err(CoreError::not_found());
        }
        Ok(v)
    }

    /// Renames one's own view, or makes it shared or private again (sharing needs the right
    /// to share, as when saving). Only the view's owner may change it: a shared view is
    /// everyone's to read, not to rename.
    pub async fn update_backlog_view(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: uuid::Uuid,
        expected_version: i64,
        name: Option<&str>,
        shared: Option<bool>,
    ) -> CoreResult<BacklogView> {
        let v = self.get_backlog_view(actor, meta, id).await?;
        if v.owner_id != actor.member.id {
            self.audit_denied(actor, meta, "backlog.view.update").await;
            return Err(CoreError::forbidden());
        }
        self.check(actor, meta, Action::ManageSelf, "backlog.view.update")
            .await?;
        if shared == Some(true) && !v.shared {
            self.check(actor, meta, Action::CurateDiscovery, "backlog.view.update")
                .await?;
        }
        let mut errors = Invalid::new();
        let name = name.map(|n| required_text(&mut errors, "name", n, VIEW_NAME_MAX));
        errors.into_result()?;
        let updated = self
            .store()
            .update_backlog_view(
                actor.member.workspace_id,
                id,
                expected_version,
                BacklogViewPatch { name, shared },
            )
            .await?;
        self.audit_ok(
            actor,
            meta,
            "backlog.view.update",
            "backlog_view",
            id,
            json!({
                "renamed": updated.name != v.name,
                "shared": updated.shared,
            }),
        )
        .await;
        Ok(updated)
    }

    /// Deletes one's own view, or (product managers) a shared one.
    pub async fn delete_backlog_view(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: uuid::Uuid,
    ) -> CoreResult<()> {
        let v = self.get_backlog_view(actor, meta, id).await?;
        let action = if v.owner_id == actor.member.id {
            Action::ManageSelf
        } else {
            Action::CurateDiscovery
        };
        self.check(actor, meta, action, "backlog.view.delete")
            .await?;
        self.store()
            .delete_backlog_view(actor.member.workspace_id, id)
            .await?;
        self.audit_ok(
            actor,
            meta,
            "backlog.view.delete",
            "backlog_view",
            id,
            json!({}),
        )
        .await;
        Ok(())
    }
}
