-- Foundation: workspaces, members, sessions, tokens, invitations, product lines, products, RACI,
-- the append-only audit trail, shared rate counters and idempotent replays.
-- Timestamps are INTEGER microseconds since the Unix epoch (UTC); ids are 16-byte UUIDv7 blobs.

CREATE TABLE workspaces (
    id             BLOB PRIMARY KEY NOT NULL,
    slug           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    default_locale TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE members (
    id            BLOB PRIMARY KEY NOT NULL,
    workspace_id  BLOB NOT NULL REFERENCES workspaces(id),
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    job_title     TEXT,
    time_zone     TEXT NOT NULL DEFAULT 'UTC',
    work_start    TEXT NOT NULL DEFAULT '09:00',
    work_end      TEXT NOT NULL DEFAULT '17:00',
    locale        TEXT,
    password_hash TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX members_workspace_email ON members(workspace_id, email);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY NOT NULL,
    member_id    BLOB NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_member ON sessions(member_id);

CREATE TABLE api_tokens (
    id           BLOB PRIMARY KEY NOT NULL,
    member_id    BLOB NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
) STRICT;
CREATE INDEX api_tokens_member ON api_tokens(member_id);

CREATE TABLE invitations (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    email        TEXT NOT NULL,
    role         TEXT NOT NULL,
    invited_by   BLOB NOT NULL REFERENCES members(id),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    accepted_at  INTEGER,
    revoked_at   INTEGER
) STRICT;
CREATE INDEX invitations_workspace ON invitations(workspace_id, id);

CREATE TABLE product_lines (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, name)
) STRICT;

CREATE TABLE products (
    id              BLOB PRIMARY KEY NOT NULL,
    workspace_id    BLOB NOT NULL REFERENCES workspaces(id),
    product_line_id BLOB REFERENCES product_lines(id) ON DELETE SET NULL,
    name            TEXT NOT NULL,
    key             TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    pm_model        TEXT NOT NULL,
    archived        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, key)
) STRICT;
CREATE INDEX products_line ON products(product_line_id);

CREATE TABLE raci_assignments (
    product_id BLOB NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    member_id  BLOB NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    raci       TEXT NOT NULL,
    PRIMARY KEY (product_id, member_id, raci)
) STRICT;

CREATE TABLE audit_events (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB,
    at           INTEGER NOT NULL,
    actor_id     BLOB,
    actor_label  TEXT NOT NULL,
    action       TEXT NOT NULL,
    target_kind  TEXT NOT NULL,
    target_id    TEXT,
    outcome      TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    source_ip    TEXT NOT NULL,
    detail       TEXT NOT NULL
) STRICT;
CREATE INDEX audit_workspace ON audit_events(workspace_id, id);

-- The audit trail is append-only: the database itself refuses to rewrite it.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY NOT NULL,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL
) STRICT;

CREATE TABLE idempotency_keys (
    member_id    BLOB NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    etag         TEXT,
    location     TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (member_id, key)
) STRICT;
