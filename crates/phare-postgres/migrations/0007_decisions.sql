-- Decisions (issue #4): the decision log (accept, decline, defer, merge; immutable once written),
-- the database job queue (deferred ideas come back on their date), and members' personal
-- notifications ("My inbox").
--
-- The PostgreSQL twin of crates/phare-sqlite/migrations/0007_decisions.sql (same tables,
-- columns, nullability and index names), except the search entry: here `decisions.terms`
-- (tsvector of the analyzed terms) with the GIN index `decisions_terms`, where SQLite has the
-- FTS5 table `decision_fts`.

CREATE TABLE decisions (
    id               uuid PRIMARY KEY NOT NULL,
    workspace_id     uuid NOT NULL REFERENCES workspaces(id),
    product_id       uuid NOT NULL REFERENCES products(id),
    kind             text NOT NULL,
    rationale        text NOT NULL,
    public_rationale text NOT NULL DEFAULT '',
    until_date       date,
    defer_condition  text NOT NULL DEFAULT '',
    into_idea_id     uuid REFERENCES ideas(id),
    decided_by       uuid REFERENCES members(id),
    decided_at       timestamptz NOT NULL,
    terms            tsvector NOT NULL
);
CREATE INDEX decisions_product ON decisions(product_id, id);
CREATE INDEX decisions_product_kind ON decisions(product_id, kind, id);
CREATE INDEX decisions_into ON decisions(into_idea_id) WHERE into_idea_id IS NOT NULL;
CREATE INDEX decisions_terms ON decisions USING gin (terms) WITH (fastupdate = off);

CREATE TABLE decision_ideas (
    decision_id  uuid NOT NULL REFERENCES decisions(id),
    idea_id      uuid NOT NULL REFERENCES ideas(id),
    ord          integer NOT NULL,
    PRIMARY KEY (decision_id, idea_id)
);
CREATE INDEX decision_ideas_idea ON decision_ideas(idea_id, decision_id);

CREATE TABLE decision_links (
    decision_id  uuid NOT NULL REFERENCES decisions(id),
    kind         text NOT NULL,
    target_id    uuid NOT NULL,
    ord          integer NOT NULL,
    PRIMARY KEY (decision_id, target_id)
);
CREATE INDEX decision_links_target ON decision_links(target_id);

CREATE TABLE decision_consulted (
    decision_id  uuid NOT NULL REFERENCES decisions(id),
    member_id    uuid NOT NULL REFERENCES members(id),
    ord          integer NOT NULL,
    PRIMARY KEY (decision_id, member_id)
);

-- The job queue. A claim is `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`.
CREATE TABLE jobs (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid REFERENCES workspaces(id),
    kind         text NOT NULL,
    payload      text NOT NULL,
    run_at       timestamptz NOT NULL,
    state        text NOT NULL,
    claimed_by   text,
    lease_until  timestamptz,
    attempts     bigint NOT NULL DEFAULT 0,
    last_error   text,
    created_at   timestamptz NOT NULL,
    done_at      timestamptz
);
CREATE INDEX jobs_due ON jobs(state, run_at);

CREATE TABLE notifications (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    member_id    uuid NOT NULL REFERENCES members(id),
    kind         text NOT NULL,
    payload      text NOT NULL,
    dedupe_key   text NOT NULL,
    created_at   timestamptz NOT NULL,
    read_at      timestamptz,
    CONSTRAINT notifications_member_id_dedupe_key_key UNIQUE (member_id, dedupe_key)
);
CREATE INDEX notifications_member ON notifications(member_id, id);
CREATE INDEX notifications_unread ON notifications(member_id) WHERE read_at IS NULL;
