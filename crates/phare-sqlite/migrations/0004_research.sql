-- Research: personas (linked to ideas and feedback), competitors and the capability grid
-- ("how do we compare"), research notes (interviews and studies).

CREATE TABLE personas (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    product_id   BLOB NOT NULL REFERENCES products(id),
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    goals        TEXT NOT NULL DEFAULT '',
    frustrations TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (product_id, name)
) STRICT;

-- A persona concerns ideas and feedback items (the target is one or the other).
CREATE TABLE persona_links (
    persona_id   BLOB NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
    target_id    BLOB NOT NULL,
    target_kind  TEXT NOT NULL,
    workspace_id BLOB NOT NULL,
    PRIMARY KEY (persona_id, target_id)
) STRICT;
CREATE INDEX persona_links_target ON persona_links(target_id);

CREATE TABLE competitors (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    product_id   BLOB NOT NULL REFERENCES products(id),
    name         TEXT NOT NULL,
    website      TEXT NOT NULL DEFAULT '',
    strengths    TEXT NOT NULL DEFAULT '',
    weaknesses   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (product_id, name)
) STRICT;

-- The rows of the comparison grid, with our own product's rating.
CREATE TABLE capabilities (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    product_id   BLOB NOT NULL REFERENCES products(id),
    name         TEXT NOT NULL,
    ours         TEXT NOT NULL,
    ours_note    TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    UNIQUE (product_id, name)
) STRICT;

CREATE TABLE competitor_ratings (
    competitor_id BLOB NOT NULL REFERENCES competitors(id) ON DELETE CASCADE,
    capability_id BLOB NOT NULL REFERENCES capabilities(id) ON DELETE CASCADE,
    rating        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (competitor_id, capability_id)
) STRICT;
CREATE INDEX competitor_ratings_capability ON competitor_ratings(capability_id);

CREATE TABLE research_notes (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    product_id   BLOB NOT NULL REFERENCES products(id),
    title        TEXT NOT NULL,
    participant  TEXT NOT NULL DEFAULT '',
    persona_id   BLOB REFERENCES personas(id) ON DELETE SET NULL,
    held_on      INTEGER NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    created_by   BLOB REFERENCES members(id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX research_notes_product ON research_notes(product_id, id);
