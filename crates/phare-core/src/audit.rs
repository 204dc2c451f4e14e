//! The audit trail: every mutation and every security event, appended with who, what, when,
//! from where and how it ended. Details name what changed, never a secret.

use crate::{Actor, CoreResult, Phare};
use phare_domain::{AuditId, WorkspaceId};
use phare_store::{AuditEvent, AuditFilter, Page, PageRequest};

/// Where a request came from, for the audit trail and rate limits.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub request_id: String,
    pub source_ip: String,
}

impl RequestMeta {
    /// For commands run by an operator at the terminal.
    pub fn cli() -> Self {
        Self {
            request_id: format!("cli-{}", uuid_like()),
            source_ip: "local".into(),
        }
    }
}

/// What was typed by an unknown person (an e-mail at login) is kept printable and bounded.
pub(crate) fn printable(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(max).collect()
}

fn uuid_like() -> String {
    AuditId::new().to_string()
}

pub(crate) struct Entry<'a> {
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: Option<String>,
    pub outcome: &'a str,
    pub detail: serde_json::Value,
}

impl Phare {
    /// Appends an event for an actor. An audit write that fails is logged loudly but does not
    /// undo the change the person already made.
    pub(crate) async fn audit(&self, actor: &Actor, meta: &RequestMeta, e: Entry<'_>) {
        self.audit_raw(
            Some(actor.member.workspace_id),
            Some(actor),
            &actor.member.email,
            meta,
            e,
        )
        .await;
    }

    pub(crate) async fn audit_raw(
        &self,
        ws: Option<WorkspaceId>,
        actor: Option<&Actor>,
        label: &str,
        meta: &RequestMeta,
        e: Entry<'_>,
    ) {
        let action = e.action;
        let event = audit_event(ws, actor, label, meta, e);
        if let Err(err) = self.store().append_audit(event).await {
            tracing::error!(request_id = %meta.request_id, action, error = %err, "audit append failed");
        }
    }

    /// The event of a successful change by an actor, for a store method that records it in
    /// the change's own transaction.
    pub(crate) fn success_event(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        action: &str,
        target_kind: &str,
        detail: serde_json::Value,
    ) -> AuditEvent {
        let entry = Entry {
            action,
            target_kind,
            target_id: None,
            outcome: "success",
            detail,
        };
        audit_event(
            Some(actor.member.workspace_id),
            Some(actor),
            &actor.member.email,
            meta,
            entry,
        )
    }

    /// A successful change by an actor on one target: the common case of the trail.
    pub(crate) async fn audit_ok(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        action: &str,
        target_kind: &str,
        target_id: impl ToString,
        detail: serde_json::Value,
    ) {
        let entry = Entry {
            action,
            target_kind,
            target_id: Some(target_id.to_string()),
            outcome: "success",
            detail,
        };
        self.audit(actor, meta, entry).await;
    }

    /// Records a refused action (R19: denied access is a security event).
    pub(crate) async fn audit_denied(&self, actor: &Actor, meta: &RequestMeta, action: &str) {
        self.audit(
            actor,
            meta,
            Entry {
                action,
                target_kind: "policy",
                target_id: None,
                outcome: "denied",
                detail: serde_json::json!({}),
            },
        )
        .await;
    }

    /// The audit trail of the actor's workspace, newest first (admins).
    pub async fn list_audit(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        filter: &AuditFilter,
        page: &PageRequest,
    ) -> CoreResult<Page<AuditEvent>> {
        self.check(actor, meta, crate::Action::ReadAudit, "audit.read")
            .await?;
        // Filters are typed by people: keep them printable and bounded before any database sees
        // them (PostgreSQL refuses NUL bytes).
        let filter = AuditFilter {
            action_prefix: filter.action_prefix.as_deref().map(|p| printable(p, 100)),
            outcome: filter.outcome.as_deref().map(|o| printable(o, 20)),
            ..filter.clone()
        };
        Ok(self
            .store()
            .list_audit(actor.member.workspace_id, &filter, page)
            .await?)
    }
}

fn audit_event(
    ws: Option<WorkspaceId>,
    actor: Option<&Actor>,
    label: &str,
    meta: &RequestMeta,
    e: Entry<'_>,
) -> AuditEvent {
    AuditEvent {
        id: AuditId::new(),
        workspace_id: ws,
        at: phare_store::now(),
        actor_id: actor.map(|a| a.member.id),
        actor_label: printable(label, 200),
        action: e.action.to_owned(),
        target_kind: e.target_kind.to_owned(),
        target_id: e.target_id,
        outcome: e.outcome.to_owned(),
        request_id: meta.request_id.clone(),
        source_ip: meta.source_ip.clone(),
        detail: e.detail,
    }
}
