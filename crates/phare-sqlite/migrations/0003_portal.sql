-- The public portal: each product's opt-in portal, the public face of ideas, portal users with
-- their one-time sign-in codes and sessions, votes, comments, subscriptions, and the outbox of
-- e-mails. Timestamps are INTEGER microseconds (UTC), ids 16-byte UUIDv7 blobs.

CREATE TABLE portals (
    product_id   BLOB PRIMARY KEY NOT NULL REFERENCES products(id),
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    enabled      INTEGER NOT NULL DEFAULT 0,
    title        TEXT NOT NULL DEFAULT '',
    intro        TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
) STRICT;

-- The public face of an idea lives on the idea's row, so that the portal's list is one index
-- walk: by product and portal state, in the order asked (trend, votes, or newest).
-- `portal_trend` is log2 of the idea's recency-weighted vote sum (phare_domain::portal);
-- -1e9 means no vote. `portal_version` versions the public face apart from the idea itself.
ALTER TABLE ideas ADD COLUMN portal_state TEXT NOT NULL DEFAULT 'private';
ALTER TABLE ideas ADD COLUMN portal_title TEXT NOT NULL DEFAULT '';
ALTER TABLE ideas ADD COLUMN portal_description TEXT NOT NULL DEFAULT '';
ALTER TABLE ideas ADD COLUMN portal_trend REAL NOT NULL DEFAULT -1000000000.0;
ALTER TABLE ideas ADD COLUMN portal_comment_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN portal_published_at INTEGER;
ALTER TABLE ideas ADD COLUMN portal_submitted_by BLOB;
ALTER TABLE ideas ADD COLUMN portal_version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX ideas_portal_trending ON ideas(product_id, portal_state, portal_trend, id);
CREATE INDEX ideas_portal_top ON ideas(product_id, portal_state, vote_count, id);
CREATE INDEX ideas_portal_newest ON ideas(product_id, portal_state, id);

-- End users of the portals, one per e-mail and workspace: a person is a stranger to every other
-- workspace.
CREATE TABLE portal_users (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    email        TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, email)
) STRICT;

-- One-time sign-in codes, hashed. A code is live while unused, unexpired and under 5 tries.
CREATE TABLE portal_codes (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    email        TEXT NOT NULL,
    code_hash    TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    tries        INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
) STRICT;
CREATE INDEX portal_codes_email ON portal_codes(workspace_id, email, id);
CREATE INDEX portal_codes_expiry ON portal_codes(expires_at);

CREATE TABLE portal_sessions (
    id_hash        TEXT PRIMARY KEY NOT NULL,
    portal_user_id BLOB NOT NULL REFERENCES portal_users(id) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_sessions_user ON portal_sessions(portal_user_id);

-- One vote per portal user and idea: the primary key is the rule, whatever the concurrency.
CREATE TABLE portal_votes (
    idea_id        BLOB NOT NULL REFERENCES ideas(id),
    portal_user_id BLOB NOT NULL REFERENCES portal_users(id),
    workspace_id   BLOB NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (idea_id, portal_user_id)
) STRICT;
CREATE INDEX portal_votes_user ON portal_votes(portal_user_id, idea_id);

CREATE TABLE portal_subscriptions (
    idea_id        BLOB NOT NULL REFERENCES ideas(id),
    portal_user_id BLOB NOT NULL REFERENCES portal_users(id),
    workspace_id   BLOB NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (idea_id, portal_user_id)
) STRICT;
CREATE INDEX portal_subscriptions_user ON portal_subscriptions(portal_user_id);

-- Comments by a portal user or by a member (exactly one of the two).
CREATE TABLE portal_comments (
    id             BLOB PRIMARY KEY NOT NULL,
    workspace_id   BLOB NOT NULL REFERENCES workspaces(id),
    product_id     BLOB NOT NULL REFERENCES products(id),
    idea_id        BLOB NOT NULL REFERENCES ideas(id),
    portal_user_id BLOB REFERENCES portal_users(id),
    member_id      BLOB REFERENCES members(id),
    body           TEXT NOT NULL,
    hidden         INTEGER NOT NULL DEFAULT 0,
    hidden_by      BLOB,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CHECK ((portal_user_id IS NULL) <> (member_id IS NULL))
) STRICT;
CREATE INDEX portal_comments_idea ON portal_comments(idea_id, id);
CREATE INDEX portal_comments_product ON portal_comments(product_id, id);

-- Every e-mail Phare sends, kept until sent (and after, as a record). Senders claim due rows
-- with one UPDATE … RETURNING, so two instances never send the same message.
CREATE TABLE outbox (
    id              BLOB PRIMARY KEY NOT NULL,
    workspace_id    BLOB NOT NULL REFERENCES workspaces(id),
    kind            TEXT NOT NULL,
    to_email        TEXT NOT NULL,
    locale          TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    claimed_at      INTEGER,
    sent_at         INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);
CREATE INDEX outbox_workspace ON outbox(workspace_id, id);
