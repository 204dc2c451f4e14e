//! Feedback and customers: capturing what people said, the inbox that triages it, and the
//! customers behind it. Every door (page, API, CLI, import, portal) comes through here.

use crate::{Action, Actor, CoreError, CoreResult, Phare, RequestMeta};
use phare_domain::validate::optional_line;
use phare_domain::*;
use phare_store::*;
use serde_json::json;

/// A customer as typed on a feedback form: a name, and details used only when it is new.
#[derive(Clone, Debug, Default)]
pub struct CustomerFields {
    pub name: String,
    pub kind: Option<CustomerKind>,
    pub segment: Option<String>,
    pub weight: Option<i64>,
}

/// The fields of a feedback item. On create, `text` and `source` are required; on update, only
/// the `Some` fields change.
#[derive(Clone, Debug, Default)]
pub struct FeedbackInput {
    pub product_id: Option<Option<ProductId>>,
    pub text: Option<String>,
    pub source: Option<SourceKind>,
    pub customer: Option<Option<CustomerFields>>,
    pub contact: Option<Option<String>>,
    pub observed_at: Option<Timestamp>,
    pub state: Option<FeedbackState>,
    pub assignee_id: Option<Option<MemberId>>,
    pub tags: Option<Vec<String>>,
    /// `(source system, id there)`, set by imports so a second import updates.
    pub external: Option<(String, String)>,
}

#[derive(Clone, Debug, Default)]
pub struct CustomerUpdate {
    pub name: Option<String>,
    pub kind: Option<CustomerKind>,
    pub segment: Option<Option<String>>,
    pub weight: Option<i64>,
}

fn customer_input(errors: &mut Invalid, c: &CustomerFields) -> CustomerInput {
    let segment = c
        .segment
        .as_deref()
        .and_then(|s| optional_line(errors, "customer_segment", s, SEGMENT_MAX));
    CustomerInput {
        name: customer_name(errors, "customer", &c.name),
        kind: c.kind.unwrap_or(CustomerKind::Organisation),
        segment,
        weight: customer_weight(errors, "customer_weight", c.weight.unwrap_or(1)),
    }
}

/// A product named on feedback that is not in the workspace is a field error.
fn product_error(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound => CoreError::field("product_id", "unknown_product"),
        other => other.into(),
    }
}

/// Validates the input into a patch; `creating` makes text and source required.
fn feedback_patch(input: &FeedbackInput, creating: bool) -> CoreResult<FeedbackPatch> {
    let mut errors = Invalid::new();
    let text = match (&input.text, creating) {
        (Some(t), _) => Some(feedback_text(&mut errors, "text", t)),
        (None, true) => Some(feedback_text(&mut errors, "text", "")),
        (None, false) => None,
    };
    if creating && input.source.is_none() {
        errors.add("source", "required");
    }
    let customer = input.customer.as_ref().map(|c| {
        c.as_ref()
            .filter(|c| !c.name.trim().is_empty())
            .map(|c| customer_input(&mut errors, c))
    });
    let contact = input.contact.as_ref().map(|c| {
        c.as_deref()
            .and_then(|c| optional_line(&mut errors, "contact", c, CONTACT_MAX))
    });
    let tags = input.tags.as_ref().map(|t| tags(&mut errors, "tags", t));
    errors.into_result()?;
    Ok(FeedbackPatch {
        product_id: input.product_id,
        text,
        source: input.source,
        customer,
        contact,
        observed_at: input.observed_at,
        state: input.state,
        assignee_id: input.assignee_id,
        tags,
        now: Some(now()),
    })
}

impl Phare {
    pub async fn create_feedback(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        input: FeedbackInput,
    ) -> CoreResult<Feedback> {
        self.check(actor, meta, Action::CaptureFeedback, "feedback.create")
            .await?;
        let p = feedback_patch(&input, true)?;
        let at = p.now.unwrap_or_else(now);
        let source = p.source.unwrap_or(SourceKind::Other);
        let event = self.success_event(
            actor,
            meta,
            "feedback.create",
            "feedback",
            json!({ "source": source }),
        );
        let f = self
            .store()
            .create_feedback_audited(
                NewFeedback {
                    id: FeedbackId::new(),
                    workspace_id: actor.member.workspace_id,
                    product_id: p.product_id.flatten(),
                    text: p.text.unwrap_or_default(),
                    source,
                    customer: p.customer.flatten(),
                    contact: p.contact.flatten(),
                    author_id: Some(actor.member.id),
                    observed_at: p.observed_at.unwrap_or(at),
                    tags: p.tags.unwrap_or_default(),
                    external: input.external,
                    now: at,
                },
                event,
            )
            .await
            .map_err(product_error)?;
        Ok(f)
    }

    pub async fn get_feedback(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: FeedbackId,
    ) -> CoreResult<Feedback> {
        self.check(actor, meta, Action::ReadDiscovery, "feedback.read")
            .await?;
        Ok(self
            .store()
            .get_feedback(actor.member.workspace_id, id)
            .await?)
    }

    pub async fn list_feedback(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        filter: &FeedbackFilter,
        page: &PageRequest,
    ) -> CoreResult<Page<Feedback>> {
        self.check(actor, meta, Action::ReadDiscovery, "feedback.read")
            .await?;
        Ok(self
            .store()
            .list_feedback(actor.member.workspace_id, filter, page)
            .await?)
    }

    pub async fn count_feedback(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        filter: &FeedbackFilter,
    ) -> CoreResult<FeedbackCounts> {
        self.check(actor, meta, Action::ReadDiscovery, "feedback.read")
            .await?;
        Ok(self
            .store()
            .count_feedback(actor.member.workspace_id, filter)
            .await?)
    }

    pub async fn update_feedback(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: FeedbackId,
        version: i64,
        input: FeedbackInput,
    ) -> CoreResult<Feedback> {
        self.check(actor, meta, Action::WorkOnDiscovery, "feedback.update")
            .await?;
        let patch = feedback_patch(&input, false)?;
        let touched: Vec<&str> = [
            ("text", patch.text.is_some()),
            ("source", patch.source.is_some()),
            ("product_id", patch.product_id.is_some()),
            ("customer", patch.customer.is_some()),
            ("contact", patch.contact.is_some()),
            ("observed_at", patch.observed_at.is_some()),
            ("state", patch.state.is_some()),
            ("assignee_id", patch.assignee_id.is_some()),
            ("tags", patch.tags.is_some()),
        ]
        .iter()
        .filter(|(_, t)| *t)
        .map(|(n, _)| *n)
        .collect();
        let fields = json!({ "fields": touched });
        let f = self
            .store()
            .update_feedback(actor.member.workspace_id, id, version, patch)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => CoreError::not_found(),
                other => other.into(),
            })?;
        self.audit_ok(actor, meta, "feedback.update", "feedback", f.id, fields)
            .await;
        Ok(f)
    }

    /// The inbox's bulk actions: change state, assignee or product of many items at once.
    pub async fn bulk_update_feedback(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        ids: &[FeedbackId],
        change: FeedbackBulk,
    ) -> CoreResult<u64> {
        self.check(actor, meta, Action::WorkOnDiscovery, "feedback.bulk")
            .await?;
        let mut unique: Vec<FeedbackId> = ids.to_vec();
        unique.sort();
        unique.dedup();
        let ids = &unique[..];
        if ids.is_empty() {
            return Err(CoreError::field("ids", "required"));
        }
        if ids.len() > MAX_PAGE_SIZE as usize {
            return Err(CoreError::field("ids", "too_many"));
        }
        if change.state.is_none() && change.assignee_id.is_none() && change.product_id.is_none() {
            return Err(CoreError::field("action", "required"));
        }
        let n = self
            .store()
            .bulk_update_feedback(
                actor.member.workspace_id,
                ids,
                FeedbackBulk {
                    now: Some(now()),
                    ..change.clone()
                },
            )
            .await?;
        self.audit_ok(
            actor,
            meta,
            "feedback.bulk",
            "feedback",
            ids.len(),
            json!({ "count": n, "state": change.state }),
        )
        .await;
        Ok(n)
    }

    pub async fn delete_feedback(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: FeedbackId,
        version: i64,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::CurateDiscovery, "feedback.delete")
            .await?;
        self.store()
            .delete_feedback(actor.member.workspace_id, id, version)
            .await?;
        self.audit_ok(actor, meta, "feedback.delete", "feedback", id, json!({}))
            .await;
        Ok(())
    }

    // --- customers --------------------------------------------------------------------------

    pub async fn list_customers(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        page: &PageRequest,
    ) -> CoreResult<Page<Customer>> {
        self.check(actor, meta, Action::ReadDiscovery, "customer.read")
            .await?;
        Ok(self
            .store()
            .list_customers(actor.member.workspace_id, page)
            .await?)
    }

    pub async fn get_customer(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: CustomerId,
    ) -> CoreResult<Customer> {
        self.check(actor, meta, Action::ReadDiscovery, "customer.read")
            .await?;
        Ok(self
            .store()
            .get_customer(actor.member.workspace_id, id)
            .await?)
    }

    /// Customers whose name starts with `prefix`, for suggestions and for filtering by name.
    pub async fn find_customers(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        prefix: &str,
        limit: i64,
    ) -> CoreResult<Vec<Customer>> {
        self.check(actor, meta, Action::ReadDiscovery, "customer.read")
            .await?;
        Ok(self
            .store()
            .find_customers(actor.member.workspace_id, prefix.trim(), limit.clamp(1, 50))
            .await?)
    }

    /// A customer's weight counts in every idea's demand, so only a PM changes it.
    pub async fn update_customer(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: CustomerId,
        version: i64,
        input: CustomerUpdate,
    ) -> CoreResult<Customer> {
        self.check(actor, meta, Action::CurateDiscovery, "customer.update")
            .await?;
        let mut errors = Invalid::new();
        let name = input
            .name
            .as_deref()
            .map(|n| customer_name(&mut errors, "name", n));
        let segment = input.segment.as_ref().map(|s| {
            s.as_deref()
                .and_then(|s| optional_line(&mut errors, "segment", s, SEGMENT_MAX))
        });
        let weight = input
            .weight
            .map(|w| customer_weight(&mut errors, "weight", w));
        errors.into_result()?;
        let c = self
            .store()
            .update_customer(
                actor.member.workspace_id,
                id,
                version,
                CustomerPatch {
                    name,
                    kind: input.kind,
                    segment,
                    weight,
                    now: Some(now()),
                },
            )
            .await?;
        self.audit_ok(
            actor,
            meta,
            "customer.update",
            "customer",
            c.id,
            json!({ "weight": c.weight }),
        )
        .await;
        Ok(c)
    }
}
