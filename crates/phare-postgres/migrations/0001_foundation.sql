-- Foundation: workspaces, members, sessions, tokens, invitations, product lines, products, RACI,
-- the append-only audit trail, shared rate counters and idempotent replays.
--
-- The PostgreSQL twin of crates/phare-sqlite/migrations/0001_foundation.sql: same tables, columns,
-- nullability, keys and index names (tests/schema_parity.rs compares them). Ids are uuid,
-- timestamps timestamptz (microseconds, UTC), flags boolean, audit detail jsonb.
--
-- Unique constraints carry explicit names: the store maps each name to the field it reports in
-- StoreError::Duplicate. Columns that lists sort on or page through (slug, email, line name,
-- product key) use the "C" collation, so ordering, cursors and uniqueness compare bytes exactly as
-- SQLite's BINARY collation does, whatever the database's default locale.

CREATE TABLE workspaces (
    id             uuid PRIMARY KEY NOT NULL,
    slug           text COLLATE "C" NOT NULL,
    name           text NOT NULL,
    default_locale text NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    version        bigint NOT NULL DEFAULT 1,
    CONSTRAINT workspaces_slug_key UNIQUE (slug)
);

CREATE TABLE members (
    id            uuid PRIMARY KEY NOT NULL,
    workspace_id  uuid NOT NULL REFERENCES workspaces(id),
    email         text COLLATE "C" NOT NULL,
    name          text NOT NULL,
    role          text NOT NULL,
    job_title     text,
    time_zone     text NOT NULL DEFAULT 'UTC',
    work_start    text NOT NULL DEFAULT '09:00',
    work_end      text NOT NULL DEFAULT '17:00',
    locale        text,
    password_hash text,
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    version       bigint NOT NULL DEFAULT 1,
    CONSTRAINT members_email_key UNIQUE (email)
);
CREATE INDEX members_workspace_email ON members(workspace_id, email);

CREATE TABLE setup_tokens (
    token_hash text NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    CONSTRAINT setup_tokens_pkey PRIMARY KEY (token_hash)
);

CREATE TABLE sessions (
    id_hash      text PRIMARY KEY NOT NULL,
    member_id    uuid NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_member ON sessions(member_id);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY NOT NULL,
    member_id    uuid NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   text NOT NULL,
    scopes       text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_member ON api_tokens(member_id);

CREATE TABLE invitations (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    email        text NOT NULL,
    role         text NOT NULL,
    invited_by   uuid NOT NULL REFERENCES members(id),
    token_hash   text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT invitations_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX invitations_workspace ON invitations(workspace_id, id);

CREATE TABLE product_lines (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    name         text COLLATE "C" NOT NULL,
    description  text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL DEFAULT 1,
    CONSTRAINT product_lines_workspace_id_name_key UNIQUE (workspace_id, name)
);

CREATE TABLE products (
    id              uuid PRIMARY KEY NOT NULL,
    workspace_id    uuid NOT NULL REFERENCES workspaces(id),
    product_line_id uuid REFERENCES product_lines(id) ON DELETE SET NULL,
    name            text NOT NULL,
    key             text COLLATE "C" NOT NULL,
    description     text NOT NULL DEFAULT '',
    pm_model        text NOT NULL,
    archived        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint NOT NULL DEFAULT 1,
    CONSTRAINT products_workspace_id_key_key UNIQUE (workspace_id, key)
);
CREATE INDEX products_line ON products(product_line_id);

CREATE TABLE raci_assignments (
    product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    member_id  uuid NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    raci       text NOT NULL,
    PRIMARY KEY (product_id, member_id, raci)
);

CREATE TABLE audit_events (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid,
    at           timestamptz NOT NULL,
    actor_id     uuid,
    actor_label  text NOT NULL,
    action       text NOT NULL,
    target_kind  text NOT NULL,
    target_id    text,
    outcome      text NOT NULL,
    request_id   text NOT NULL,
    source_ip    text NOT NULL,
    detail       jsonb NOT NULL
);
CREATE INDEX audit_workspace ON audit_events(workspace_id, id);

-- The audit trail is append-only: the database itself refuses to rewrite it. Row triggers do not
-- fire on TRUNCATE, so a statement trigger refuses that too (SQLite has no TRUNCATE).
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE rate_limits (
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    count        bigint NOT NULL,
    CONSTRAINT rate_limits_pkey PRIMARY KEY (key)
);

CREATE TABLE idempotency_keys (
    member_id    uuid NOT NULL,
    key          text NOT NULL,
    request_hash text NOT NULL,
    status       bigint NOT NULL,
    body         text NOT NULL,
    etag         text,
    location     text,
    created_at   timestamptz NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (member_id, key)
);
