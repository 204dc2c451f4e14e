-- Stakeholder prioritization sessions (issue #4 part 3): stakeholder groups with weights,
-- sessions on a set of ideas of one product, invitations (member + group), one ballot per
-- invited member, and the results written by the close.

CREATE TABLE stakeholder_groups (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    -- management, finance, marketing, tech, design, business: the translated default name is
    -- shown while `name` is empty.
    default_key  TEXT,
    name         TEXT NOT NULL DEFAULT '',
    weight       REAL NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX stakeholder_groups_name ON stakeholder_groups(workspace_id, name)
    WHERE name <> '';
CREATE UNIQUE INDEX stakeholder_groups_default ON stakeholder_groups(workspace_id, default_key)
    WHERE default_key IS NOT NULL;

-- Every existing workspace starts with the six default groups (new ones get them at creation).
INSERT INTO stakeholder_groups (id, workspace_id, default_key, name, weight, created_at,
                                updated_at, version)
SELECT randomblob(16), w.id, k.column1, '', 1.0, CAST(strftime('%s', 'now') AS INTEGER) * 1000000,
       CAST(strftime('%s', 'now') AS INTEGER) * 1000000, 1
FROM workspaces w,
     (VALUES ('management'), ('finance'), ('marketing'), ('tech'), ('design'), ('business')) k;

CREATE TABLE prioritization_sessions (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    product_id   BLOB NOT NULL REFERENCES products(id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    method       TEXT NOT NULL,
    state        TEXT NOT NULL,
    deadline     INTEGER NOT NULL,
    created_by   BLOB REFERENCES members(id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    closed_at    INTEGER,
    -- JSON of the results, written once by the close.
    results      TEXT,
    version      INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX prioritization_sessions_product ON prioritization_sessions(product_id, id);

CREATE TABLE session_ideas (
    session_id BLOB NOT NULL REFERENCES prioritization_sessions(id) ON DELETE CASCADE,
    idea_id    BLOB NOT NULL REFERENCES ideas(id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (session_id, idea_id)
) STRICT;
CREATE INDEX session_ideas_idea ON session_ideas(idea_id);

CREATE TABLE session_invitations (
    session_id   BLOB NOT NULL REFERENCES prioritization_sessions(id) ON DELETE CASCADE,
    member_id    BLOB NOT NULL REFERENCES members(id),
    group_id     BLOB NOT NULL REFERENCES stakeholder_groups(id),
    workspace_id BLOB NOT NULL,
    invited_at   INTEGER NOT NULL,
    PRIMARY KEY (session_id, member_id)
) STRICT;
CREATE INDEX session_invitations_member ON session_invitations(member_id);
CREATE INDEX session_invitations_group ON session_invitations(group_id);

-- One ballot per invited member; the answer is JSON (its method and its points, ranking or
-- categories by idea id).
CREATE TABLE ballots (
    session_id   BLOB NOT NULL,
    member_id    BLOB NOT NULL,
    workspace_id BLOB NOT NULL,
    answer       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (session_id, member_id),
    FOREIGN KEY (session_id, member_id) REFERENCES session_invitations(session_id, member_id)
        ON DELETE CASCADE
) STRICT;

-- Ballots are immutable once their session is closed, whatever code runs.
CREATE TRIGGER ballots_frozen_insert BEFORE INSERT ON ballots
WHEN (SELECT state FROM prioritization_sessions WHERE id = NEW.session_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'ballots are immutable once the session is closed'); END;
CREATE TRIGGER ballots_frozen_update BEFORE UPDATE ON ballots
WHEN (SELECT state FROM prioritization_sessions WHERE id = OLD.session_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'ballots are immutable once the session is closed'); END;
CREATE TRIGGER ballots_frozen_delete BEFORE DELETE ON ballots
WHEN (SELECT state FROM prioritization_sessions WHERE id = OLD.session_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'ballots are immutable once the session is closed'); END;
