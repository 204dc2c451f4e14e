//! Deciding: accept, decline, defer or merge one idea or a set of ideas of one product, with
//! a rationale, links to what was in hand, and who took part; the decision log; the job queue's
//! runner (a deferred idea comes back to its owner on its date); members' notifications.
//!
//! A decision changes statuses as a bulk status change does (the idea's history records it,
//! portal followers are told, with the public part of the rationale), and merges as discovery's
//! merge does. Everything is checked before anything is stored; the decision and all of its
//! changes (and, for a deferral until a date, the job that brings the ideas back) are then
//! stored in one transaction (`DecisionStore::carry_out_decision`): a failure on any idea
//! stores neither the decision nor any change.

use crate::{Action, Actor, CoreError, CoreResult, Phare, RequestMeta};
use chrono::{Duration, NaiveTime};
use phare_domain::*;
use phare_store::*;
use serde_json::json;

/// How long a claimed job is this instance's before another may take it over.
pub const JOB_LEASE_SECONDS: i64 = 300;
/// Jobs claimed at once by one poll.
pub const JOB_BATCH: i64 = 20;
/// Runs of a job before it fails for good.
pub const JOB_ATTEMPTS: i64 = 6;

/// What a person decides, as typed on the page, in the API or at the command line. `kind` is
/// text so that an unknown kind is a field error like any other.
#[derive(Clone, Debug, Default)]
pub struct DecisionInput {
    pub kind: String,
    /// The ideas decided on, the first one being the idea the request came from.
    pub idea_ids: Vec<IdeaId>,
    pub rationale: String,
    pub public_rationale: String,
    /// `YYYY-MM-DD`; empty for none.
    pub until: String,
    pub condition: String,
    /// The kept idea of a merge.
    pub into: Option<IdeaId>,
    pub evidence_ids: Vec<EvidenceId>,
    pub session_ids: Vec<uuid::Uuid>,
    pub decision_ids: Vec<DecisionId>,
    pub consulted: Vec<MemberId>,
}

/// Filters of the decision log as asked (parsed by the web layer).
#[derive(Clone, Debug, Default)]
pub struct DecisionQuery {
    pub kind: Option<DecisionKind>,
    pub from: Option<chrono::NaiveDate>,
    /// Inclusive: decisions of that day count.
    pub to: Option<chrono::NaiveDate>,
    pub decided_by: Option<MemberId>,
    pub q: String,
    pub links_to: Option<uuid::Uuid>,
}

fn dedup<T: PartialEq + Copy>(items: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for i in items {
        if !out.contains(i) {
            out.push(*i);
        }
    }
    out
}

/// The first instant of a day, UTC.
fn day_start(d: chrono::NaiveDate) -> Timestamp {
    to_micros(d.and_time(NaiveTime::MIN).and_utc())
}

impl Phare {
    /// Records a decision and carries it out. Bad input (field errors) stores nothing.
    pub async fn decide(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        input: DecisionInput,
    ) -> CoreResult<Decision> {
        self.check(actor, meta, Action::CurateDiscovery, "decision.create")
            .await?;
        let ws = actor.member.workspace_id;
        let t = now();
        let mut errors = Invalid::new();
        let kind = match input.kind.trim() {
            "" => {
                errors.add("kind", "required");
                None
            }
            k => {
                let parsed = DecisionKind::parse(k);
                if parsed.is_none() {
                    errors.add("kind", "unknown_kind");
                }
                parsed
            }
        };
        let until = match input.until.trim() {
            "" => None,
            u => {
                let parsed = parse_date(u);
                if parsed.is_none() {
                    errors.add("until", "invalid_date");
                }
                parsed
            }
        };
        let text = DecisionText {
            rationale: input.rationale.clone(),
            public_rationale: input.public_rationale.clone(),
            condition: input.condition.clone(),
            until,
        }
        .validate(
            kind.unwrap_or(DecisionKind::Defer),
            t.date_naive(),
            &mut errors,
        );
        let ideas = dedup(&input.idea_ids);
        if ideas.is_empty() {
            errors.add("idea_ids", "required");
        } else if ideas.len() > DECISION_IDEAS_MAX {
            errors.add("idea_ids", "too_many");
        }
        for (field, n) in [
            ("evidence_ids", input.evidence_ids.len()),
            ("session_ids", input.session_ids.len()),
            ("decision_ids", input.decision_ids.len()),
            ("consulted", input.consulted.len()),
        ] {
            if n > DECISION_LINKS_MAX {
                errors.add(field, "too_many");
            }
        }
        match (kind, input.into) {
            (Some(DecisionKind::Merge), None) => errors.add("into", "required"),
            (Some(DecisionKind::Merge), Some(into)) if ideas.contains(&into) => {
                errors.add("into", "merge_into_itself")
            }
            (Some(k), Some(_)) if k != DecisionKind::Merge => {
                errors.add("into", "only_when_merging")
            }
            _ => {}
        }
        std::mem::take(&mut errors).into_result()?;
        let Some(kind) = kind else {
            return Err(CoreError::field("kind", "unknown_kind"));
        };

        // The ideas: the first is the one asked about (not found is a 404); the others are
        // fields of the request.
        let mut current = Vec::with_capacity(ideas.len());
        for (i, id) in ideas.iter().enumerate() {
            match self.store().get_idea(ws, *id).await {
                Ok(idea) => current.push(idea),
                Err(StoreError::NotFound) if i == 0 => return Err(CoreError::not_found()),
                Err(StoreError::NotFound) => errors.add("idea_ids", "unknown_idea"),
                Err(e) => return Err(e.into()),
            }
        }
        std::mem::take(&mut errors).into_result()?;
        let product = current[0].product_id;
        if current.iter().any(|i| i.product_id != product) {
            errors.add("idea_ids", "other_product");
        }
        if current.iter().any(|i| i.status == IdeaStatus::Merged) {
            errors.add("idea_ids", "idea_merged");
        }
        if let Some(status) = kind.new_status() {
            // The story rule of the new status (a benefit once out of draft), as an ordinary
            // status change would check it.
            for idea in &current {
                idea.text().validate(status, &mut errors);
            }
        }
        let mut kept_idea = None;
        if let Some(into) = input.into {
            match self.store().get_idea(ws, into).await {
                Ok(kept) if kept.product_id != product => errors.add("into", "other_product"),
                Ok(kept) if kept.status == IdeaStatus::Merged => errors.add("into", "idea_merged"),
                Ok(kept) => kept_idea = Some(kept),
                Err(StoreError::NotFound) => errors.add("into", "unknown_idea"),
                Err(e) => return Err(e.into()),
            }
        }
        let evidence = dedup(&input.evidence_ids);
        let earlier = dedup(&input.decision_ids);
        let consulted = dedup(&input.consulted);
        let refs = DecisionRefs {
            evidence: evidence.clone(),
            decisions: earlier.clone(),
            members: consulted.clone(),
        };
        for field in self.store().missing_decision_refs(ws, &refs).await? {
            errors.add(field, "unknown_reference");
        }
        std::mem::take(&mut errors).into_result()?;

        let mut links: Vec<DecisionLink> = evidence
            .iter()
            .map(|e| DecisionLink {
                kind: DecisionLinkKind::Evidence,
                target_id: e.0,
            })
            .collect();
        links.extend(dedup(&input.session_ids).into_iter().map(|s| DecisionLink {
            kind: DecisionLinkKind::Session,
            target_id: s,
        }));
        links.extend(earlier.iter().map(|d| DecisionLink {
            kind: DecisionLinkKind::Decision,
            target_id: d.0,
        }));
        let decision_id = DecisionId::new();
        // What it changes: statuses as a bulk status change makes them, merges as discovery's
        // merge makes them; stored with the decision in one transaction, so that a failure on
        // any idea (edited or merged since it was read above) stores nothing at all.
        let effect = match (kind, kind.new_status()) {
            (DecisionKind::Merge, _) => {
                let into = kept_idea
                    .as_ref()
                    .ok_or_else(|| CoreError::field("into", "required"))?;
                // The merge keeps a one-line reason; the decision keeps the whole rationale.
                let reason = one_line(&text.rationale, REASON_MAX);
                DecisionEffect::Merge(
                    current
                        .iter()
                        .map(|idea| IdeaMerge {
                            id: uuid::Uuid::now_v7(),
                            workspace_id: ws,
                            from_idea_id: idea.id,
                            into_idea_id: into.id,
                            actor_id: Some(actor.member.id),
                            reason: reason.clone(),
                            at: t,
                        })
                        .collect(),
                )
            }
            (_, Some(status)) => DecisionEffect::Status(StatusChange {
                workspace_id: ws,
                product_id: product,
                ideas: current
                    .iter()
                    .filter(|i| i.status != status)
                    .map(|i| (i.id, i.version))
                    .collect(),
                status,
                actor: Some(actor.member.id),
                now: t,
            }),
            (DecisionKind::Defer, None) => match text.until {
                // The ideas come back to their owners on the day, at its first instant.
                Some(day) => DecisionEffect::Schedule(NewJob {
                    id: JobId::new(),
                    workspace_id: Some(ws),
                    kind: JobKind::DeferredIdeaReturns,
                    payload: json!({ "decision_id": decision_id }),
                    run_at: day_start(day),
                    now: t,
                }),
                None => DecisionEffect::Nothing,
            },
            (_, None) => DecisionEffect::Nothing,
        };
        let (decision, changed) = self
            .store()
            .carry_out_decision(
                NewDecision {
                    id: decision_id,
                    workspace_id: ws,
                    product_id: product,
                    kind,
                    text: text.clone(),
                    into: input.into,
                    ideas: ideas.clone(),
                    links,
                    decided_by: Some(actor.member.id),
                    consulted,
                    now: t,
                },
                effect,
            )
            .await?;
        match (kind, &kept_idea) {
            (DecisionKind::Merge, Some(kept)) => {
                for idea in &current {
                    self.audit_ok(
                        actor,
                        meta,
                        "idea.merge",
                        "idea",
                        idea.id,
                        json!({ "from": idea.reference, "into": kept.reference }),
                    )
                    .await;
                }
            }
            _ => {
                self.after_status_changes(actor, meta, &current, &changed, &text.public_rationale)
                    .await
            }
        }
        self.audit_ok(
            actor,
            meta,
            "decision.create",
            "decision",
            decision.id,
            json!({
                "kind": kind,
                "ideas": decision.ideas.iter().map(|i| i.reference.clone()).collect::<Vec<_>>(),
                "until": text.until,
            }),
        )
        .await;
        Ok(decision)
    }

    pub async fn get_decision(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: DecisionId,
    ) -> CoreResult<Decision> {
        self.check(actor, meta, Action::ReadDiscovery, "decision.read")
            .await?;
        Ok(self
            .store()
            .get_decision(actor.member.workspace_id, id)
            .await?)
    }

    /// A product's decision log, newest first.
    pub async fn list_decisions(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        query: &DecisionQuery,
        page: &PageRequest,
    ) -> CoreResult<Page<Decision>> {
        self.check(actor, meta, Action::ReadDiscovery, "decision.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_product(ws, product).await?;
        let mut errors = Invalid::new();
        if query.q.chars().count() > crate::QUERY_MAX_CHARS {
            errors.add("q", "too_long");
        }
        if let (Some(from), Some(to)) = (query.from, query.to) {
            if to < from {
                errors.add("to", "before_start");
            }
        }
        std::mem::take(&mut errors).into_result()?;
        let terms = if query.q.trim().is_empty() {
            Vec::new()
        } else {
            let t = text::query_terms(&query.q);
            if t.is_empty() {
                // Only characters no word is made of: nothing can match.
                return Ok(Page {
                    items: Vec::new(),
                    next_cursor: None,
                });
            }
            t
        };
        let filter = DecisionFilter {
            kind: query.kind,
            from: query.from.map(day_start),
            before: query.to.and_then(|d| d.succ_opt()).map(day_start),
            decided_by: query.decided_by,
            terms,
            links_to: query.links_to,
        };
        Ok(self
            .store()
            .list_decisions(ws, product, &filter, page)
            .await?)
    }

    /// The decisions about an idea, newest first.
    pub async fn list_idea_decisions(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
    ) -> CoreResult<Vec<Decision>> {
        self.check(actor, meta, Action::ReadDiscovery, "decision.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_idea(ws, idea).await?;
        Ok(self.store().list_idea_decisions(ws, idea).await?)
    }

    // --- the job queue ----------------------------------------------------------------------

    /// Claims the jobs due at `now` for `owner` (this instance) and runs them. Each job is
    /// claimed by one instance only; a job whose instance died is taken over once its lease
    /// ends; what a job does is idempotent (notifications carry the job's key), so a job run
    /// twice after a takeover still notifies once. Returns how many jobs ran.
    pub async fn run_due_jobs(&self, owner: &str, now: Timestamp) -> CoreResult<usize> {
        let jobs = self
            .store()
            .claim_jobs(
                owner,
                now,
                now + Duration::seconds(JOB_LEASE_SECONDS),
                JOB_BATCH,
            )
            .await?;
        let n = jobs.len();
        for job in jobs {
            match self.run_job(&job, now).await {
                Ok(()) => {
                    if !self.store().complete_job(job.id, owner, now).await? {
                        tracing::warn!(job = %job.id, "job claim lost before it completed");
                    }
                }
                Err(e) => {
                    tracing::warn!(job = %job.id, error = %e, "job failed");
                    // Retried after 1, 4, 16, 64 minutes…, then failed for good.
                    let retry_at = (job.attempts < JOB_ATTEMPTS)
                        .then(|| now + Duration::minutes(4_i64.pow(job.attempts as u32 - 1)));
                    let error: String = e.to_string().chars().take(500).collect();
                    self.store()
                        .fail_job(job.id, owner, &error, retry_at)
                        .await?;
                }
            }
        }
        Ok(n)
    }

    async fn run_job(&self, job: &Job, now: Timestamp) -> CoreResult<()> {
        match job.kind {
            JobKind::DeferredIdeaReturns => self.deferred_idea_returns(job, now).await,
        }
    }

    /// A deferred decision's date came: each of its ideas (not merged since) comes back to its
    /// owner (or, without one, to who decided) as a notification in their inbox.
    async fn deferred_idea_returns(&self, job: &Job, now: Timestamp) -> CoreResult<()> {
        let Some(ws) = job.workspace_id else {
            return Ok(());
        };
        let Some(id) = job
            .payload
            .get("decision_id")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse::<DecisionId>().ok())
        else {
            return Ok(());
        };
        let decision = match self.store().get_decision(ws, id).await {
            Ok(d) => d,
            Err(StoreError::NotFound) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        for item in &decision.ideas {
            let idea = match self.store().get_idea(ws, item.idea_id).await {
                Ok(i) => i,
                Err(StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            if idea.status == IdeaStatus::Merged {
                continue;
            }
            let Some(member) = idea.owner_id.or(decision.decided_by) else {
                continue;
            };
            let created = self
                .store()
                .create_notification(NewNotification {
                    id: NotificationId::new(),
                    workspace_id: ws,
                    member_id: member,
                    kind: NotificationKind::DeferredIdeaReturned,
                    payload: json!({
                        "idea_id": idea.id,
                        "reference": idea.reference,
                        "title": idea.title,
                        "decision_id": decision.id,
                        "until": decision.until,
                    }),
                    dedupe_key: format!("{}:{}", job.id, idea.id),
                    now,
                })
                .await;
            match created {
                // A member removed since: nobody to tell.
                Ok(_) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    // --- notifications ----------------------------------------------------------------------

    /// The actor's own notifications, newest first.
    pub async fn list_my_notifications(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        unread_only: bool,
        page: &PageRequest,
    ) -> CoreResult<Page<Notification>> {
        self.check(actor, meta, Action::ReadWorkspace, "notification.read")
            .await?;
        Ok(self
            .store()
            .list_notifications(
                actor.member.workspace_id,
                actor.member.id,
                unread_only,
                page,
            )
            .await?)
    }

    pub async fn count_my_unread_notifications(&self, actor: &Actor) -> CoreResult<i64> {
        crate::policy::authorize(actor, Action::ReadWorkspace)
            .map_err(|_| CoreError::forbidden())?;
        Ok(self
            .store()
            .count_unread_notifications(actor.member.workspace_id, actor.member.id)
            .await?)
    }

    /// Marks one of the actor's notifications read, or all of them (`None`).
    pub async fn mark_my_notifications_read(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: Option<NotificationId>,
    ) -> CoreResult<u64> {
        self.check(actor, meta, Action::ManageSelf, "notification.read_mark")
            .await?;
        Ok(self
            .store()
            .mark_notifications_read(actor.member.workspace_id, actor.member.id, id, now())
            .await?)
    }
}
