-- The public portal: each product's opt-in portal, the public face of ideas, portal users with
-- their one-time sign-in codes and sessions, votes, comments, subscriptions, and the outbox of
-- e-mails.
--
-- The PostgreSQL twin of crates/phare-sqlite/migrations/0003_portal.sql: same tables, columns,
-- nullability and index names (tests/schema_parity.rs compares them). Unique constraints carry
-- explicit names: the store maps each name to the field it reports in StoreError::Duplicate.

CREATE TABLE portals (
    product_id   uuid PRIMARY KEY NOT NULL REFERENCES products(id),
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    enabled      boolean NOT NULL DEFAULT false,
    title        text NOT NULL DEFAULT '',
    intro        text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL DEFAULT 1
);

-- The public face of an idea lives on the idea's row, so that the portal's list is one index
-- walk: by product and portal state, in the order asked (trend, votes, or newest).
-- `portal_trend` is log2 of the idea's recency-weighted vote sum (phare_domain::portal);
-- -1e9 means no vote. `portal_version` versions the public face apart from the idea itself.
ALTER TABLE ideas ADD COLUMN portal_state text NOT NULL DEFAULT 'private';
ALTER TABLE ideas ADD COLUMN portal_title text NOT NULL DEFAULT '';
ALTER TABLE ideas ADD COLUMN portal_description text NOT NULL DEFAULT '';
ALTER TABLE ideas ADD COLUMN portal_trend double precision NOT NULL DEFAULT -1000000000.0;
ALTER TABLE ideas ADD COLUMN portal_comment_count bigint NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN portal_published_at timestamptz;
ALTER TABLE ideas ADD COLUMN portal_submitted_by uuid;
ALTER TABLE ideas ADD COLUMN portal_version bigint NOT NULL DEFAULT 1;
CREATE INDEX ideas_portal_trending ON ideas(product_id, portal_state, portal_trend, id);
CREATE INDEX ideas_portal_top ON ideas(product_id, portal_state, vote_count, id);
CREATE INDEX ideas_portal_newest ON ideas(product_id, portal_state, id);

-- End users of the portals, one per e-mail and workspace: a person is a stranger to every other
-- workspace.
CREATE TABLE portal_users (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    email        text NOT NULL,
    display_name text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    CONSTRAINT portal_users_workspace_id_email_key UNIQUE (workspace_id, email)
);

-- One-time sign-in codes, hashed. A code is live while unused, unexpired and under 5 tries;
-- a check locks its row, so tries are counted exactly across instances.
CREATE TABLE portal_codes (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    email        text NOT NULL,
    code_hash    text NOT NULL,
    display_name text NOT NULL DEFAULT '',
    tries        bigint NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX portal_codes_email ON portal_codes(workspace_id, email, id);
CREATE INDEX portal_codes_expiry ON portal_codes(expires_at);

CREATE TABLE portal_sessions (
    id_hash        text PRIMARY KEY NOT NULL,
    portal_user_id uuid NOT NULL REFERENCES portal_users(id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL
);
CREATE INDEX portal_sessions_user ON portal_sessions(portal_user_id);

-- One vote per portal user and idea: the primary key is the rule, whatever the concurrency.
CREATE TABLE portal_votes (
    idea_id        uuid NOT NULL REFERENCES ideas(id),
    portal_user_id uuid NOT NULL REFERENCES portal_users(id),
    workspace_id   uuid NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (idea_id, portal_user_id)
);
CREATE INDEX portal_votes_user ON portal_votes(portal_user_id, idea_id);

CREATE TABLE portal_subscriptions (
    idea_id        uuid NOT NULL REFERENCES ideas(id),
    portal_user_id uuid NOT NULL REFERENCES portal_users(id),
    workspace_id   uuid NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (idea_id, portal_user_id)
);
CREATE INDEX portal_subscriptions_user ON portal_subscriptions(portal_user_id);

-- Comments by a portal user or by a member (exactly one of the two).
CREATE TABLE portal_comments (
    id             uuid PRIMARY KEY NOT NULL,
    workspace_id   uuid NOT NULL REFERENCES workspaces(id),
    product_id     uuid NOT NULL REFERENCES products(id),
    idea_id        uuid NOT NULL REFERENCES ideas(id),
    portal_user_id uuid REFERENCES portal_users(id),
    member_id      uuid REFERENCES members(id),
    body           text NOT NULL,
    hidden         boolean NOT NULL DEFAULT false,
    hidden_by      uuid,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CHECK ((portal_user_id IS NULL) <> (member_id IS NULL))
);
CREATE INDEX portal_comments_idea ON portal_comments(idea_id, id);
CREATE INDEX portal_comments_product ON portal_comments(product_id, id);

-- Every e-mail Phare sends, kept until sent (and after, as a record). Senders claim due rows
-- with UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING, so two instances never
-- send the same message and never wait on each other's claims.
CREATE TABLE outbox (
    id              uuid PRIMARY KEY NOT NULL,
    workspace_id    uuid NOT NULL REFERENCES workspaces(id),
    kind            text NOT NULL,
    to_email        text NOT NULL,
    locale          text NOT NULL,
    payload         text NOT NULL,
    status          text NOT NULL DEFAULT 'queued',
    attempts        bigint NOT NULL DEFAULT 0,
    last_error      text,
    created_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    claimed_at      timestamptz,
    sent_at         timestamptz
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);
CREATE INDEX outbox_workspace ON outbox(workspace_id, id);
