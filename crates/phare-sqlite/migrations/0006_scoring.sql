-- Scoring and the ranked backlog (issue #4, parts 1 and 2).
--
-- ideas.score: the value of the product's primary framework for the idea, NULL when unscored,
-- kept current by the store (a score saved, the primary framework or a weight changed).
-- ideas.rank: the idea's key in the product's manual order, compared byte by byte
-- (phare_domain::backlog). A new idea gets 'z' + its 12-digit number + 'V', so it lands at the
-- bottom; a move writes one key between its new neighbours'.
ALTER TABLE ideas ADD COLUMN score REAL;
ALTER TABLE ideas ADD COLUMN rank TEXT;
UPDATE ideas SET rank = printf('z%012dV', number);
CREATE UNIQUE INDEX ideas_rank ON ideas(product_id, rank);
-- The backlog by score, highest first (scanned backwards), and the same within a status.
CREATE INDEX ideas_score ON ideas(product_id, score, id);
CREATE INDEX ideas_status_score ON ideas(product_id, status, score, id);

CREATE TRIGGER ideas_default_rank AFTER INSERT ON ideas WHEN new.rank IS NULL BEGIN
    UPDATE ideas SET rank = printf('z%012dV', new.number) WHERE id = new.id;
END;

-- Per-product settings: the primary framework. A product without a row uses RICE.
CREATE TABLE scoring_settings (
    product_id        BLOB PRIMARY KEY NOT NULL REFERENCES products(id),
    workspace_id      BLOB NOT NULL REFERENCES workspaces(id),
    primary_framework TEXT NOT NULL,
    updated_at        INTEGER NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
) STRICT;

-- The product's custom weighted scorecard: criteria with a scale (points from 0 to scale) and
-- a weight.
CREATE TABLE scorecard_criteria (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    product_id   BLOB NOT NULL REFERENCES products(id),
    name         TEXT NOT NULL,
    scale        REAL NOT NULL,
    weight       REAL NOT NULL,
    position     INTEGER NOT NULL
) STRICT;
CREATE INDEX scorecard_criteria_product ON scorecard_criteria(product_id, position);

-- One idea's score in one framework: the inputs as put in (JSON: numbers, their sources, the
-- category, the scorecard points) and the value.
CREATE TABLE idea_scores (
    idea_id      BLOB NOT NULL REFERENCES ideas(id),
    framework    TEXT NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    product_id   BLOB NOT NULL REFERENCES products(id),
    inputs       TEXT NOT NULL,
    value        REAL NOT NULL,
    updated_by   BLOB REFERENCES members(id),
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (idea_id, framework)
) STRICT;
CREATE INDEX idea_scores_product ON idea_scores(product_id, framework);

-- The scorecard points of each idea, one row per criterion, so that a weight change re-scores
-- a whole product in one statement.
CREATE TABLE idea_criterion_points (
    idea_id      BLOB NOT NULL REFERENCES ideas(id),
    criterion_id BLOB NOT NULL REFERENCES scorecard_criteria(id) ON DELETE CASCADE,
    workspace_id BLOB NOT NULL,
    points       REAL NOT NULL,
    PRIMARY KEY (idea_id, criterion_id)
) STRICT;
CREATE INDEX idea_criterion_points_criterion ON idea_criterion_points(criterion_id);

-- Saved backlog views: a name and the backlog's query string, private or shared.
CREATE TABLE backlog_views (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    product_id   BLOB NOT NULL REFERENCES products(id),
    owner_id     BLOB NOT NULL REFERENCES members(id),
    shared       INTEGER NOT NULL,
    name         TEXT NOT NULL,
    query        TEXT NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX backlog_views_name ON backlog_views(product_id, owner_id, name);
