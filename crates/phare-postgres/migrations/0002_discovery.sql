-- Discovery: customers, feedback and its inbox, ideas written as user stories, their history,
-- evidence linking feedback to ideas, merges, and the full-text index.
--
-- The PostgreSQL twin of crates/phare-sqlite/migrations/0002_discovery.sql: same tables, columns,
-- nullability and index names (tests/schema_parity.rs compares them), except the search index,
-- which is by design backend-specific: SQLite keeps the analyzed terms in the FTS5 table
-- `search_fts`; here they are the `terms tsvector` column of `search_docs` with the GIN index
-- `search_docs_terms`.
--
-- Lists are ordered by id: UUIDv7 ids sort by creation time, so "newest first" is `id DESC`
-- (uuid compares bytes, as SQLite compares the blobs). Unique constraints carry explicit names:
-- the store maps each name to the field it reports in StoreError::Duplicate.

-- Each product numbers its ideas (CHK-1, CHK-2 …); the counter lives on the product so two
-- writers can never mint the same number: `UPDATE … SET idea_seq = idea_seq + 1 RETURNING`
-- holds the product row until the idea is committed.
ALTER TABLE products ADD COLUMN idea_seq bigint NOT NULL DEFAULT 0;

CREATE TABLE customers (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    name         text NOT NULL,
    -- lower-cased name (by the store, in Rust): "ACME" and "Acme" are one customer. Lists page
    -- through it, so it compares bytes like SQLite's BINARY collation.
    name_key     text COLLATE "C" NOT NULL,
    kind         text NOT NULL,
    segment      text,
    weight       bigint NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL DEFAULT 1,
    CONSTRAINT customers_workspace_id_name_key_key UNIQUE (workspace_id, name_key)
);

CREATE TABLE feedback (
    id              uuid PRIMARY KEY NOT NULL,
    workspace_id    uuid NOT NULL REFERENCES workspaces(id),
    product_id      uuid REFERENCES products(id),
    text            text NOT NULL,
    source          text NOT NULL,
    origin          text NOT NULL,
    customer_id     uuid REFERENCES customers(id),
    contact         text,
    author_id       uuid REFERENCES members(id),
    observed_at     timestamptz NOT NULL,
    state           text NOT NULL,
    assignee_id     uuid REFERENCES members(id),
    evidence_count  bigint NOT NULL DEFAULT 0,
    external_source text,
    external_id     text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint NOT NULL DEFAULT 1
);
-- The inbox: per product or workspace-wide, by state, optionally by source, newest first.
CREATE INDEX feedback_inbox ON feedback(product_id, state, id);
CREATE INDEX feedback_inbox_source ON feedback(product_id, source, state, id);
CREATE INDEX feedback_workspace_inbox ON feedback(workspace_id, state, id);
CREATE INDEX feedback_customer ON feedback(customer_id, id);
-- Re-importing a file updates instead of duplicating.
CREATE UNIQUE INDEX feedback_external ON feedback(workspace_id, external_source, external_id);

CREATE TABLE feedback_tags (
    feedback_id  uuid NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
    tag          text NOT NULL,
    workspace_id uuid NOT NULL,
    PRIMARY KEY (feedback_id, tag)
);
CREATE INDEX feedback_tags_tag ON feedback_tags(workspace_id, tag, feedback_id);

CREATE TABLE ideas (
    id              uuid PRIMARY KEY NOT NULL,
    workspace_id    uuid NOT NULL REFERENCES workspaces(id),
    product_id      uuid NOT NULL REFERENCES products(id),
    number          bigint NOT NULL,
    title           text NOT NULL,
    as_a            text NOT NULL DEFAULT '',
    i_want          text NOT NULL DEFAULT '',
    so_that         text NOT NULL DEFAULT '',
    description     text NOT NULL DEFAULT '',
    status          text NOT NULL,
    owner_id        uuid REFERENCES members(id),
    merged_into     uuid REFERENCES ideas(id),
    evidence_count  bigint NOT NULL DEFAULT 0,
    vote_count      bigint NOT NULL DEFAULT 0,
    external_source text,
    external_id     text,
    created_by      uuid REFERENCES members(id),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint NOT NULL DEFAULT 1,
    CONSTRAINT ideas_product_id_number_key UNIQUE (product_id, number)
);
CREATE INDEX ideas_product ON ideas(product_id, id);
CREATE INDEX ideas_product_status ON ideas(product_id, status, id);
CREATE INDEX ideas_workspace ON ideas(workspace_id, id);
CREATE UNIQUE INDEX ideas_external ON ideas(workspace_id, external_source, external_id);

CREATE TABLE idea_tags (
    idea_id      uuid NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    tag          text NOT NULL,
    workspace_id uuid NOT NULL,
    PRIMARY KEY (idea_id, tag)
);
CREATE INDEX idea_tags_tag ON idea_tags(workspace_id, tag, idea_id);

-- Every change to an idea, field by field, for its history.
CREATE TABLE idea_changes (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL,
    idea_id      uuid NOT NULL REFERENCES ideas(id),
    at           timestamptz NOT NULL,
    actor_id     uuid,
    field        text NOT NULL,
    old_value    text NOT NULL,
    new_value    text NOT NULL
);
CREATE INDEX idea_changes_idea ON idea_changes(idea_id, id);

CREATE TABLE evidence (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL,
    idea_id      uuid NOT NULL REFERENCES ideas(id),
    feedback_id  uuid NOT NULL REFERENCES feedback(id),
    excerpt      text,
    importance   text NOT NULL,
    created_by   uuid,
    created_at   timestamptz NOT NULL,
    CONSTRAINT evidence_idea_id_feedback_id_key UNIQUE (idea_id, feedback_id)
);
CREATE INDEX evidence_feedback ON evidence(feedback_id);

CREATE TABLE idea_merges (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL,
    from_idea_id uuid NOT NULL REFERENCES ideas(id),
    into_idea_id uuid NOT NULL REFERENCES ideas(id),
    actor_id     uuid,
    reason       text NOT NULL,
    at           timestamptz NOT NULL
);
CREATE INDEX idea_merges_into ON idea_merges(into_idea_id);

-- One row per searchable record. `terms` holds the analyzed terms (lower-cased, accent-folded,
-- stemmed by phare-domain's analyzer, separated by spaces) as `to_tsvector('simple', …)`: the
-- 'simple' configuration only splits and lower-cases, so every language rule stays in Rust, as
-- with SQLite's FTS5 table. The records themselves hold the text.
CREATE TABLE search_docs (
    -- SQLite's `doc INTEGER PRIMARY KEY` (the FTS5 rowid); here it only orders equal ranks.
    doc          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity_id    uuid NOT NULL,
    workspace_id uuid NOT NULL,
    product_id   uuid,
    kind         text NOT NULL,
    terms        tsvector NOT NULL,
    CONSTRAINT search_docs_entity_id_key UNIQUE (entity_id)
);
-- fastupdate off: every write goes straight into the index. With the default pending list, a
-- burst of writes (an import, a restore) is searched by a sequential scan of the whole table until
-- (auto)vacuum merges the list; searches must stay index scans.
CREATE INDEX search_docs_terms ON search_docs USING gin (terms) WITH (fastupdate = off);
