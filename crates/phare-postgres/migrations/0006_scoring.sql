-- Scoring and the ranked backlog (issue #4, parts 1 and 2). Same schema as SQLite's 0006.
--
-- ideas.score: the value of the product's primary framework for the idea, NULL when unscored,
-- kept current by the store. ideas.rank: the idea's key in the product's manual order,
-- compared byte by byte (hence COLLATE "C"); a new idea gets 'z' + its 12-digit number + 'V'.
ALTER TABLE ideas ADD COLUMN score double precision;
ALTER TABLE ideas ADD COLUMN rank text COLLATE "C";
UPDATE ideas SET rank = 'z' || lpad(number::text, 12, '0') || 'V';
CREATE UNIQUE INDEX ideas_rank ON ideas(product_id, rank);
CREATE INDEX ideas_score ON ideas(product_id, score, id);
CREATE INDEX ideas_status_score ON ideas(product_id, status, score, id);

CREATE FUNCTION ideas_default_rank() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.rank IS NULL THEN
        NEW.rank := 'z' || lpad(NEW.number::text, 12, '0') || 'V';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER ideas_default_rank BEFORE INSERT ON ideas
    FOR EACH ROW EXECUTE FUNCTION ideas_default_rank();

CREATE TABLE scoring_settings (
    product_id        uuid PRIMARY KEY NOT NULL REFERENCES products(id),
    workspace_id      uuid NOT NULL REFERENCES workspaces(id),
    primary_framework text NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           bigint NOT NULL DEFAULT 1
);

CREATE TABLE scorecard_criteria (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    product_id   uuid NOT NULL REFERENCES products(id),
    name         text NOT NULL,
    scale        double precision NOT NULL,
    weight       double precision NOT NULL,
    position     bigint NOT NULL
);
CREATE INDEX scorecard_criteria_product ON scorecard_criteria(product_id, position);

CREATE TABLE idea_scores (
    idea_id      uuid NOT NULL REFERENCES ideas(id),
    framework    text NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    product_id   uuid NOT NULL REFERENCES products(id),
    inputs       text NOT NULL,
    value        double precision NOT NULL,
    updated_by   uuid REFERENCES members(id),
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (idea_id, framework)
);
CREATE INDEX idea_scores_product ON idea_scores(product_id, framework);

CREATE TABLE idea_criterion_points (
    idea_id      uuid NOT NULL REFERENCES ideas(id),
    criterion_id uuid NOT NULL REFERENCES scorecard_criteria(id) ON DELETE CASCADE,
    workspace_id uuid NOT NULL,
    points       double precision NOT NULL,
    PRIMARY KEY (idea_id, criterion_id)
);
CREATE INDEX idea_criterion_points_criterion ON idea_criterion_points(criterion_id);

CREATE TABLE backlog_views (
    id           uuid PRIMARY KEY NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    product_id   uuid NOT NULL REFERENCES products(id),
    owner_id     uuid NOT NULL REFERENCES members(id),
    shared       boolean NOT NULL,
    name         text NOT NULL,
    query        text NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX backlog_views_name ON backlog_views(product_id, owner_id, name);
