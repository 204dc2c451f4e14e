-- Specs and feature documentation: every version of an idea's spec (context, use cases,
-- acceptance criteria… as one JSON document) and of its user-facing documentation page is a
-- row; the current one is the highest version. The primary key is what refuses a second save
-- made from the same version (no lost update).

CREATE TABLE spec_versions (
    idea_id      BLOB NOT NULL REFERENCES ideas(id),
    version      INTEGER NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    content      TEXT NOT NULL,
    saved_by     BLOB,
    saved_at     INTEGER NOT NULL,
    PRIMARY KEY (idea_id, version)
) STRICT;

CREATE TABLE feature_doc_versions (
    idea_id      BLOB NOT NULL REFERENCES ideas(id),
    version      INTEGER NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    body         TEXT NOT NULL,
    public       INTEGER NOT NULL DEFAULT 0,
    saved_by     BLOB,
    saved_at     INTEGER NOT NULL,
    PRIMARY KEY (idea_id, version)
) STRICT;
