-- The backlog's order by score moves out of the ideas' rows into two narrow tables.
--
-- Why: a weight change (or a change of primary framework) re-scores every idea of a product.
-- With the score in `ideas` and in two of its indexes, that rewrote every wide idea row (47 MB
-- for 100,000 ideas) and moved 200,000 index entries at random: about 1.4 s for 100,000 ideas
-- (docs/PERFORMANCE.md). Here the order is two WITHOUT ROWID tables that a re-scoring empties
-- for the product and fills again in key order, appending page after page.
--
-- The truth of an idea's score stays `idea_scores`: the value of the product's primary framework
-- (RICE when the product has no settings), read through `idea_primary_scores`. The tables hold,
-- for every idea, that value, or -Infinity when it has none, so that unscored ideas come after
-- every scored one (scores are finite), newest first like the scored ones of equal value.
-- Triggers keep them on an idea's insert and status change; the store moves an idea's key when
-- it writes one of its scores, and rebuilds a product's keys after a settings change.
DROP INDEX ideas_score;
DROP INDEX ideas_status_score;
ALTER TABLE ideas DROP COLUMN score;

CREATE VIEW idea_primary_scores AS
SELECT i.id AS idea_id, i.product_id, i.status, s.value AS score
FROM ideas i
LEFT JOIN scoring_settings x ON x.product_id = i.product_id
LEFT JOIN idea_scores s ON s.idea_id = i.id AND s.framework = coalesce(x.primary_framework, 'rice');

CREATE TABLE backlog_by_score (
    product_id BLOB NOT NULL,
    score      REAL NOT NULL,
    idea_id    BLOB NOT NULL,
    PRIMARY KEY (product_id, score, idea_id)
) WITHOUT ROWID, STRICT;

-- The same within a status, for the backlog filtered by status.
CREATE TABLE backlog_by_status_score (
    product_id BLOB NOT NULL,
    status     TEXT NOT NULL,
    score      REAL NOT NULL,
    idea_id    BLOB NOT NULL,
    PRIMARY KEY (product_id, status, score, idea_id)
) WITHOUT ROWID, STRICT;

INSERT INTO backlog_by_score (product_id, score, idea_id)
SELECT product_id, coalesce(score, -1e999), idea_id FROM idea_primary_scores ORDER BY 1, 2, 3;
INSERT INTO backlog_by_status_score (product_id, status, score, idea_id)
SELECT product_id, status, coalesce(score, -1e999), idea_id FROM idea_primary_scores
ORDER BY 1, 2, 3, 4;

CREATE TRIGGER backlog_order_insert AFTER INSERT ON ideas BEGIN
    INSERT INTO backlog_by_score (product_id, score, idea_id)
    SELECT product_id, coalesce(score, -1e999), idea_id FROM idea_primary_scores
    WHERE idea_id = new.id;
    INSERT INTO backlog_by_status_score (product_id, status, score, idea_id)
    SELECT product_id, status, coalesce(score, -1e999), idea_id FROM idea_primary_scores
    WHERE idea_id = new.id;
END;

CREATE TRIGGER backlog_order_status AFTER UPDATE OF status ON ideas
WHEN old.status IS NOT new.status
BEGIN
    UPDATE backlog_by_status_score SET status = new.status
    WHERE product_id = new.product_id AND status = old.status AND idea_id = new.id
      AND score = (SELECT coalesce(score, -1e999) FROM idea_primary_scores
                   WHERE idea_id = new.id);
END;

-- Ideas are never deleted nor moved to another product today; should they be, the order
-- follows rather than keeping a row pointing nowhere.
CREATE TRIGGER backlog_order_delete AFTER DELETE ON ideas BEGIN
    DELETE FROM backlog_by_score WHERE product_id = old.product_id AND idea_id = old.id;
    DELETE FROM backlog_by_status_score WHERE product_id = old.product_id AND idea_id = old.id;
END;
