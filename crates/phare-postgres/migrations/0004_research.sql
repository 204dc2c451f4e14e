-- Research: personas (linked to ideas and feedback), competitors and the capability grid
-- ("how do we compare"), research notes (interviews and studies).
--
-- The PostgreSQL twin of crates/phare-sqlite/migrations/0004_research.sql (same tables, columns,
-- nullability and index names). Unique constraints are named: the store maps each name to the
-- field it reports in StoreError::Duplicate.

CREATE TABLE personas (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    product_id   uuid NOT NULL REFERENCES products(id),
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    goals        text NOT NULL DEFAULT '',
    frustrations text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL DEFAULT 1,
    CONSTRAINT personas_product_id_name_key UNIQUE (product_id, name)
);

CREATE TABLE persona_links (
    persona_id   uuid NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
    target_id    uuid NOT NULL,
    target_kind  text NOT NULL,
    workspace_id uuid NOT NULL,
    PRIMARY KEY (persona_id, target_id)
);
CREATE INDEX persona_links_target ON persona_links(target_id);

CREATE TABLE competitors (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    product_id   uuid NOT NULL REFERENCES products(id),
    name         text NOT NULL,
    website      text NOT NULL DEFAULT '',
    strengths    text NOT NULL DEFAULT '',
    weaknesses   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL DEFAULT 1,
    CONSTRAINT competitors_product_id_name_key UNIQUE (product_id, name)
);

CREATE TABLE capabilities (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    product_id   uuid NOT NULL REFERENCES products(id),
    name         text NOT NULL,
    ours         text NOT NULL,
    ours_note    text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    CONSTRAINT capabilities_product_id_name_key UNIQUE (product_id, name)
);

CREATE TABLE competitor_ratings (
    competitor_id uuid NOT NULL REFERENCES competitors(id) ON DELETE CASCADE,
    capability_id uuid NOT NULL REFERENCES capabilities(id) ON DELETE CASCADE,
    rating        text NOT NULL,
    note          text NOT NULL DEFAULT '',
    PRIMARY KEY (competitor_id, capability_id)
);
CREATE INDEX competitor_ratings_capability ON competitor_ratings(capability_id);

CREATE TABLE research_notes (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    product_id   uuid NOT NULL REFERENCES products(id),
    title        text NOT NULL,
    participant  text NOT NULL DEFAULT '',
    persona_id   uuid REFERENCES personas(id) ON DELETE SET NULL,
    held_on      timestamptz NOT NULL,
    notes        text NOT NULL DEFAULT '',
    created_by   uuid REFERENCES members(id),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL DEFAULT 1
);
CREATE INDEX research_notes_product ON research_notes(product_id, id);
