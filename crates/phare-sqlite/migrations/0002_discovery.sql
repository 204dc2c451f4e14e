-- Discovery: customers, feedback and its inbox, ideas written as user stories, their history,
-- evidence linking feedback to ideas, merges, and the full-text index.
-- Lists are ordered by id: UUIDv7 ids sort by creation time, so "newest first" is `id DESC`.

-- Each product numbers its ideas (CHK-1, CHK-2 …); the counter lives on the product so two
-- writers can never mint the same number.
ALTER TABLE products ADD COLUMN idea_seq INTEGER NOT NULL DEFAULT 0;

CREATE TABLE customers (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    name         TEXT NOT NULL,
    -- lower-cased name: "ACME" and "Acme" are one customer
    name_key     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    segment      TEXT,
    weight       INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, name_key)
) STRICT;

CREATE TABLE feedback (
    id              BLOB PRIMARY KEY NOT NULL,
    workspace_id    BLOB NOT NULL REFERENCES workspaces(id),
    product_id      BLOB REFERENCES products(id),
    text            TEXT NOT NULL,
    source          TEXT NOT NULL,
    origin          TEXT NOT NULL,
    customer_id     BLOB REFERENCES customers(id),
    contact         TEXT,
    author_id       BLOB REFERENCES members(id),
    observed_at     INTEGER NOT NULL,
    state           TEXT NOT NULL,
    assignee_id     BLOB REFERENCES members(id),
    evidence_count  INTEGER NOT NULL DEFAULT 0,
    external_source TEXT,
    external_id     TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
) STRICT;
-- The inbox: per product or workspace-wide, by state, optionally by source, newest first.
CREATE INDEX feedback_inbox ON feedback(product_id, state, id);
CREATE INDEX feedback_inbox_source ON feedback(product_id, source, state, id);
CREATE INDEX feedback_workspace_inbox ON feedback(workspace_id, state, id);
CREATE INDEX feedback_customer ON feedback(customer_id, id);
-- Re-importing a file updates instead of duplicating.
CREATE UNIQUE INDEX feedback_external ON feedback(workspace_id, external_source, external_id);

CREATE TABLE feedback_tags (
    feedback_id  BLOB NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
    tag          TEXT NOT NULL,
    workspace_id BLOB NOT NULL,
    PRIMARY KEY (feedback_id, tag)
) STRICT;
CREATE INDEX feedback_tags_tag ON feedback_tags(workspace_id, tag, feedback_id);

CREATE TABLE ideas (
    id             BLOB PRIMARY KEY NOT NULL,
    workspace_id   BLOB NOT NULL REFERENCES workspaces(id),
    product_id     BLOB NOT NULL REFERENCES products(id),
    number         INTEGER NOT NULL,
    title          TEXT NOT NULL,
    as_a           TEXT NOT NULL DEFAULT '',
    i_want         TEXT NOT NULL DEFAULT '',
    so_that        TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    owner_id       BLOB REFERENCES members(id),
    merged_into    BLOB REFERENCES ideas(id),
    evidence_count INTEGER NOT NULL DEFAULT 0,
    vote_count     INTEGER NOT NULL DEFAULT 0,
    external_source TEXT,
    external_id    TEXT,
    created_by     BLOB REFERENCES members(id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (product_id, number)
) STRICT;
CREATE INDEX ideas_product ON ideas(product_id, id);
CREATE INDEX ideas_product_status ON ideas(product_id, status, id);
CREATE INDEX ideas_workspace ON ideas(workspace_id, id);
CREATE UNIQUE INDEX ideas_external ON ideas(workspace_id, external_source, external_id);

CREATE TABLE idea_tags (
    idea_id      BLOB NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    tag          TEXT NOT NULL,
    workspace_id BLOB NOT NULL,
    PRIMARY KEY (idea_id, tag)
) STRICT;
CREATE INDEX idea_tags_tag ON idea_tags(workspace_id, tag, idea_id);

-- Every change to an idea, field by field, for its history.
CREATE TABLE idea_changes (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL,
    idea_id      BLOB NOT NULL REFERENCES ideas(id),
    at           INTEGER NOT NULL,
    actor_id     BLOB,
    field        TEXT NOT NULL,
    old_value    TEXT NOT NULL,
    new_value    TEXT NOT NULL
) STRICT;
CREATE INDEX idea_changes_idea ON idea_changes(idea_id, id);

CREATE TABLE evidence (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL,
    idea_id      BLOB NOT NULL REFERENCES ideas(id),
    feedback_id  BLOB NOT NULL REFERENCES feedback(id),
    excerpt      TEXT,
    importance   TEXT NOT NULL,
    created_by   BLOB,
    created_at   INTEGER NOT NULL,
    UNIQUE (idea_id, feedback_id)
) STRICT;
CREATE INDEX evidence_feedback ON evidence(feedback_id);

CREATE TABLE idea_merges (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL,
    from_idea_id BLOB NOT NULL REFERENCES ideas(id),
    into_idea_id BLOB NOT NULL REFERENCES ideas(id),
    actor_id     BLOB,
    reason       TEXT NOT NULL,
    at           INTEGER NOT NULL
) STRICT;
CREATE INDEX idea_merges_into ON idea_merges(into_idea_id);

-- One row per searchable record. The analyzed terms (lower-cased, accent-folded, stemmed by
-- phare-domain's analyzer) go into the FTS5 table under the same rowid; the FTS5 table stores
-- no copy of the text (contentless), the records themselves are the content.
CREATE TABLE search_docs (
    doc          INTEGER PRIMARY KEY,
    entity_id    BLOB NOT NULL UNIQUE,
    workspace_id BLOB NOT NULL,
    product_id   BLOB,
    kind         TEXT NOT NULL
) STRICT;
CREATE VIRTUAL TABLE search_fts USING fts5(
    terms,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
