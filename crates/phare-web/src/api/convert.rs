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

pub fn customer(c: rec::Customer) -> dto::Customer {
    dto::Customer {
        id: c.id.0,
        name: c.name,
        kind: c.kind.into(),
        segment: c.segment,
        weight: c.weight,
        created_at: c.created_at,
        updated_at: c.updated_at,
        version: c.version,
    }
}

pub fn feedback(f: rec::Feedback) -> dto::Feedback {
    let customer = match (f.customer_id, f.customer_name) {
        (Some(id), Some(name)) => Some(dto::CustomerSummary {
            id: id.0,
            name,
            segment: f.customer_segment,
            weight: f.customer_weight.unwrap_or(1),
        }),
        _ => None,
    };
    dto::Feedback {
        id: f.id.0,
        product_id: f.product_id.map(|p| p.0),
        text: f.text,
        source: f.source.into(),
        origin: f.origin.into(),
        customer,
        contact: f.contact,
        author_id: f.author_id.map(|a| a.0),
        observed_at: f.observed_at,
        state: f.state.into(),
        assignee_id: f.assignee_id.map(|a| a.0),
        tags: f.tags,
        evidence_count: f.evidence_count,
        external_source: f.external_source,
        external_id: f.external_id,
        created_at: f.created_at,
        updated_at: f.updated_at,
        version: f.version,
    }
}

pub fn idea(i: rec::Idea) -> dto::Idea {
    dto::Idea {
        id: i.id.0,
        product_id: i.product_id.0,
        reference: i.reference,
        number: i.number,
        kind: i.kind.into(),
        title: i.title,
        as_a: i.as_a,
        i_want: i.i_want,
        so_that: i.so_that,
        description: i.description,
        bug: (i.kind == phare_domain::IdeaKind::Bug).then(|| dto::BugReport {
            steps: i.bug.steps,
            expected: i.bug.expected,
            actual: i.bug.actual,
            environment: i.bug.environment,
            severity: i.bug.severity.map(Into::into),
        }),
        status: i.status.into(),
        owner_id: i.owner_id.map(|o| o.0),
        merged_into: i.merged_into.map(|m| m.0),
        tags: i.tags,
        evidence_count: i.evidence_count,
        customer_count: i.customer_count,
        vote_count: i.vote_count,
        demand: i.demand,
        created_by: i.created_by.map(|m| m.0),
        created_at: i.created_at,
        updated_at: i.updated_at,
        version: i.version,
    }
}

/// The API's template parts as the core takes them.
pub fn bug_input(b: Option<dto::BugReportInput>) -> phare_core::BugInput {
    let b = b.unwrap_or_default();
    phare_core::BugInput {
        steps: b.steps,
        expected: b.expected,
        actual: b.actual,
        environment: b.environment,
        severity: b.severity.map(|s| Some(s.into())),
    }
}

pub fn idea_change(c: rec::IdeaChange) -> dto::IdeaChange {
    dto::IdeaChange {
        at: c.at,
        actor_id: c.actor_id.map(|a| a.0),
        field: c.field,
        old_value: c.old_value,
        new_value: c.new_value,
    }
}

pub fn evidence(e: rec::Evidence) -> dto::Evidence {
    dto::Evidence {
        id: e.id.0,
        idea_id: e.idea_id.0,
        feedback_id: e.feedback_id.0,
        excerpt: e.excerpt,
        importance: e.importance.into(),
        created_by: e.created_by.map(|m| m.0),
        created_at: e.created_at,
    }
}

/// The customer of a request body as the core takes it.
pub fn customer_ref(c: dto::CustomerRef) -> phare_core::CustomerFields {
    match c {
        dto::CustomerRef::Name(name) => phare_core::CustomerFields {
            name,
            ..Default::default()
        },
        dto::CustomerRef::Details(d) => phare_core::CustomerFields {
            name: d.name,
            kind: d.kind.map(Into::into),
            segment: d.segment,
            weight: d.weight,
        },
    }
}

pub fn persona(p: rec::Persona) -> dto::Persona {
    dto::Persona {
        id: p.id.0,
        product_id: p.product_id.0,
        name: p.name,
        description: p.description,
        goals: p.goals,
        frustrations: p.frustrations,
        created_at: p.created_at,
        updated_at: p.updated_at,
        version: p.version,
    }
}

pub fn competitor(c: rec::Competitor) -> dto::Competitor {
    dto::Competitor {
        id: c.id.0,
        product_id: c.product_id.0,
        name: c.name,
        website: c.website,
        strengths: c.strengths,
        weaknesses: c.weaknesses,
        created_at: c.created_at,
        updated_at: c.updated_at,
        version: c.version,
    }
}

pub fn research_note(n: rec::ResearchNote) -> dto::ResearchNote {
    dto::ResearchNote {
        id: n.id.0,
        product_id: n.product_id.0,
        title: n.title,
        participant: n.participant,
        persona_id: n.persona_id.map(|p| p.0),
        held_on: n.held_on,
        notes: n.notes,
        created_by: n.created_by.map(|m| m.0),
        created_at: n.created_at,
        updated_at: n.updated_at,
        version: n.version,
    }
}

pub fn grid(g: rec::ComparisonGrid) -> dto::ComparisonGrid {
    dto::ComparisonGrid {
        capabilities: g
            .capabilities
            .into_iter()
            .map(|c| dto::Capability {
                id: c.id.0,
                name: c.name,
                ours: c.ours.into(),
                ours_note: c.ours_note,
            })
            .collect(),
        competitors: g.competitors.into_iter().map(competitor).collect(),
        cells: g
            .ratings
            .into_iter()
            .map(|r| dto::GridCell {
                competitor_id: r.competitor_id.0,
                capability_id: r.capability_id.0,
                rating: r.rating.into(),
                note: r.note,
            })
            .collect(),
    }
}
