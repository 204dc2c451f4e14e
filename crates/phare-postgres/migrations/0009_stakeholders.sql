-- Stakeholder prioritization sessions (issue #4 part 3): stakeholder groups with weights,
-- sessions on a set of ideas of one product, invitations (member + group), one ballot per
-- invited member, and the results written by the close.
--
-- The PostgreSQL twin of crates/phare-sqlite/migrations/0009_stakeholders.sql (same tables,
-- columns, nullability and index names).

CREATE TABLE stakeholder_groups (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    default_key  text,
    name         text NOT NULL DEFAULT '',
    weight       double precision NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX stakeholder_groups_name ON stakeholder_groups(workspace_id, name)
    WHERE name <> '';
CREATE UNIQUE INDEX stakeholder_groups_default ON stakeholder_groups(workspace_id, default_key)
    WHERE default_key IS NOT NULL;

INSERT INTO stakeholder_groups (id, workspace_id, default_key, name, weight, created_at,
                                updated_at, version)
SELECT gen_random_uuid(), w.id, k.key, '', 1.0, date_trunc('second', now()),
       date_trunc('second', now()), 1
FROM workspaces w,
     (VALUES ('management'), ('finance'), ('marketing'), ('tech'), ('design'), ('business'))
       AS k(key);

CREATE TABLE prioritization_sessions (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    product_id   uuid NOT NULL REFERENCES products(id),
    title        text NOT NULL,
    description  text NOT NULL DEFAULT '',
    method       text NOT NULL,
    state        text NOT NULL,
    deadline     timestamptz NOT NULL,
    created_by   uuid REFERENCES members(id),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    closed_at    timestamptz,
    results      text,
    version      bigint NOT NULL DEFAULT 1
);
CREATE INDEX prioritization_sessions_product ON prioritization_sessions(product_id, id);

CREATE TABLE session_ideas (
    session_id uuid NOT NULL REFERENCES prioritization_sessions(id) ON DELETE CASCADE,
    idea_id    uuid NOT NULL REFERENCES ideas(id),
    position   integer NOT NULL,
    PRIMARY KEY (session_id, idea_id)
);
CREATE INDEX session_ideas_idea ON session_ideas(idea_id);

CREATE TABLE session_invitations (
    session_id   uuid NOT NULL REFERENCES prioritization_sessions(id) ON DELETE CASCADE,
    member_id    uuid NOT NULL REFERENCES members(id),
    group_id     uuid NOT NULL REFERENCES stakeholder_groups(id),
    workspace_id uuid NOT NULL,
    invited_at   timestamptz NOT NULL,
    PRIMARY KEY (session_id, member_id)
);
CREATE INDEX session_invitations_member ON session_invitations(member_id);
CREATE INDEX session_invitations_group ON session_invitations(group_id);

CREATE TABLE ballots (
    session_id   uuid NOT NULL,
    member_id    uuid NOT NULL,
    workspace_id uuid NOT NULL,
    answer       text NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (session_id, member_id),
    FOREIGN KEY (session_id, member_id) REFERENCES session_invitations(session_id, member_id)
        ON DELETE CASCADE
);

-- Ballots are immutable once their session is closed, whatever code runs.
CREATE FUNCTION ballots_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT state FROM prioritization_sessions
        WHERE id = COALESCE(NEW.session_id, OLD.session_id)) = 'closed' THEN
        RAISE EXCEPTION 'ballots are immutable once the session is closed';
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$;
CREATE TRIGGER ballots_frozen BEFORE INSERT OR UPDATE OR DELETE ON ballots
    FOR EACH ROW EXECUTE FUNCTION ballots_frozen();
