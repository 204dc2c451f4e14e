//! Records of the store → JSON types of the API. The DTOs leave out what a client must not
//! see (password and token hashes never reach a record here; `workspace_id` is implied).

use phare_api_types as dto;
use phare_store as rec;

pub fn workspace(w: rec::Workspace) -> dto::Workspace {
    dto::Workspace {
        id: w.id.0,
        slug: w.slug,
        name: w.name,
        default_locale: w.default_locale.into(),
        created_at: w.created_at,
        updated_at: w.updated_at,
        version: w.version,
    }
}

pub fn member(m: rec::Member) -> dto::Member {
    dto::Member {
        id: m.id.0,
        email: m.email,
        name: m.name,
        role: m.role.into(),
        job_title: m.job_title.map(Into::into),
        time_zone: m.time_zone,
        work_start: m.work_start,
        work_end: m.work_end,
        locale: m.locale.map(Into::into),
        disabled: m.disabled,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

pub fn invitation(i: rec::Invitation) -> dto::Invitation {
    dto::Invitation {
        id: i.id.0,
        email: i.email,
        role: i.role.into(),
        invited_by: i.invited_by.0,
        created_at: i.created_at,
        expires_at: i.expires_at,
    }
}

pub fn token(t: rec::ApiToken) -> dto::Token {
    dto::Token {
        id: t.id.0,
        name: t.name,
        scopes: t.scopes.into_iter().map(Into::into).collect(),
        created_at: t.created_at,
        expires_at: t.expires_at,
        last_used_at: t.last_used_at,
        revoked_at: t.revoked_at,
    }
}

pub fn product_line(l: rec::ProductLine) -> dto::ProductLine {
    dto::ProductLine {
        id: l.id.0,
        name: l.name,
        description: l.description,
        created_at: l.created_at,
        updated_at: l.updated_at,
        version: l.version,
    }
}

pub fn product(p: rec::Product) -> dto::Product {
    dto::Product {
        id: p.id.0,
        product_line_id: p.product_line_id.map(|l| l.0),
        name: p.name,
        key: p.key,
        description: p.description,
        pm_model: p.pm_model.into(),
        archived: p.archived,
        created_at: p.created_at,
        updated_at: p.updated_at,
        version: p.version,
    }
}

pub fn raci(r: rec::RaciEntry) -> dto::RaciEntry {
    dto::RaciEntry {
        member_id: r.member_id.0,
        member_name: r.member_name,
        raci: r.raci.into(),
    }
}

pub fn audit(e: rec::AuditEvent) -> dto::AuditEvent {
    let outcome = match e.outcome.as_str() {
        "success" => dto::Outcome::Success,
        "denied" => dto::Outcome::Denied,
        _ => dto::Outcome::Failure,
    };
    dto::AuditEvent {
        id: e.id.0,
        at: e.at,
        actor_id: e.actor_id.map(|a| a.0),
        actor_label: e.actor_label,
        action: e.action,
        target_kind: e.target_kind,
        target_id: e.target_id,
        outcome,
        request_id: e.request_id,
        source_ip: e.source_ip,
        detail: e.detail,
    }
}

/// The `next_cursor` of a page, as clients send it back.
pub fn cursor(c: Option<rec::Cursor>) -> Option<String> {
    c.map(|c| c.encode())
}
