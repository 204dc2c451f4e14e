-- Decisions (issue #4): the decision log (accept, decline, defer, merge; immutable once written),
-- the database job queue (deferred ideas come back on their date), and members' personal
-- notifications ("My inbox").
--
-- The search entry of a decision is `decision_fts` (FTS5, like search_fts): the analyzed terms of
-- its rationale, public rationale and condition, keyed by the decision id. PostgreSQL keeps the
-- same terms in `decisions.terms` (tsvector + GIN); tests/schema_parity.rs lists the difference.

CREATE TABLE decisions (
    id               BLOB PRIMARY KEY NOT NULL,
    workspace_id     BLOB NOT NULL REFERENCES workspaces(id),
    product_id       BLOB NOT NULL REFERENCES products(id),
    kind             TEXT NOT NULL,
    rationale        TEXT NOT NULL,
    public_rationale TEXT NOT NULL DEFAULT '',
    until_date       TEXT,
    defer_condition  TEXT NOT NULL DEFAULT '',
    into_idea_id     BLOB REFERENCES ideas(id),
    decided_by       BLOB REFERENCES members(id),
    decided_at       INTEGER NOT NULL
) STRICT;
-- A product's log, newest first (ids are time-ordered), and its filters.
CREATE INDEX decisions_product ON decisions(product_id, id);
CREATE INDEX decisions_product_kind ON decisions(product_id, kind, id);
CREATE INDEX decisions_into ON decisions(into_idea_id) WHERE into_idea_id IS NOT NULL;

CREATE TABLE decision_ideas (
    decision_id  BLOB NOT NULL REFERENCES decisions(id),
    idea_id      BLOB NOT NULL REFERENCES ideas(id),
    ord          INTEGER NOT NULL,
    PRIMARY KEY (decision_id, idea_id)
) STRICT;
CREATE INDEX decision_ideas_idea ON decision_ideas(idea_id, decision_id);

-- Evidence items and earlier decisions are checked to exist when the decision is written;
-- prioritization sessions are kept by id (no foreign key).
CREATE TABLE decision_links (
    decision_id  BLOB NOT NULL REFERENCES decisions(id),
    kind         TEXT NOT NULL,
    target_id    BLOB NOT NULL,
    ord          INTEGER NOT NULL,
    PRIMARY KEY (decision_id, target_id)
) STRICT;
CREATE INDEX decision_links_target ON decision_links(target_id);

CREATE TABLE decision_consulted (
    decision_id  BLOB NOT NULL REFERENCES decisions(id),
    member_id    BLOB NOT NULL REFERENCES members(id),
    ord          INTEGER NOT NULL,
    PRIMARY KEY (decision_id, member_id)
) STRICT;

CREATE VIRTUAL TABLE decision_fts USING fts5(
    decision_id UNINDEXED,
    terms,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- The job queue. A claim sets `claimed_by` and `lease_until` in one conditional update.
CREATE TABLE jobs (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB REFERENCES workspaces(id),
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    run_at       INTEGER NOT NULL,
    state        TEXT NOT NULL,
    claimed_by   TEXT,
    lease_until  INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    done_at      INTEGER
) STRICT;
CREATE INDEX jobs_due ON jobs(state, run_at);

CREATE TABLE notifications (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    member_id    BLOB NOT NULL REFERENCES members(id),
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    dedupe_key   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    read_at      INTEGER,
    UNIQUE (member_id, dedupe_key)
) STRICT;
CREATE INDEX notifications_member ON notifications(member_id, id);
CREATE INDEX notifications_unread ON notifications(member_id) WHERE read_at IS NULL;
