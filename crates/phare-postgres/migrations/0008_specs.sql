-- Specs and feature documentation: every version of an idea's spec and of its documentation
-- page is a row; the current one is the highest version.
--
-- The PostgreSQL twin of crates/phare-sqlite/migrations/0008_specs.sql. The primary key refuses
-- a second save made from the same version (no lost update, even across instances).

CREATE TABLE spec_versions (
    idea_id      uuid NOT NULL REFERENCES ideas(id),
    version      bigint NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    content      text NOT NULL,
    saved_by     uuid,
    saved_at     timestamptz NOT NULL,
    PRIMARY KEY (idea_id, version)
);

CREATE TABLE feature_doc_versions (
    idea_id      uuid NOT NULL REFERENCES ideas(id),
    version      bigint NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    body         text NOT NULL,
    public       boolean NOT NULL DEFAULT false,
    saved_by     uuid,
    saved_at     timestamptz NOT NULL,
    PRIMARY KEY (idea_id, version)
);
