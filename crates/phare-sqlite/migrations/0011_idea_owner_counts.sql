-- The owners of each product's ideas, counted, kept by triggers like `inbox_counts` so that
-- every path writing ideas (forms, API, imports, merges, loading a dump) keeps them exact.
-- The owner filters of the backlog and ideas pages read a row per owner here. They used to seek
-- the (product_id, owner_id) index of the ideas once per owner: 0.85 ms of a 1.6 ms backlog
-- page for 276 owners of 21,837 ideas (docs/PERFORMANCE.md).
CREATE TABLE idea_owner_counts (
    product_id BLOB NOT NULL,
    owner_id   BLOB NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (product_id, owner_id)
) WITHOUT ROWID, STRICT;

INSERT INTO idea_owner_counts (product_id, owner_id, n)
SELECT product_id, owner_id, count(*) FROM ideas WHERE owner_id IS NOT NULL GROUP BY 1, 2;

CREATE TRIGGER idea_owner_counts_insert AFTER INSERT ON ideas WHEN new.owner_id IS NOT NULL
BEGIN
    INSERT INTO idea_owner_counts (product_id, owner_id, n) VALUES (new.product_id, new.owner_id, 1)
    ON CONFLICT (product_id, owner_id) DO UPDATE SET n = n + 1;
END;

-- An owner whose last idea goes leaves the list.
CREATE TRIGGER idea_owner_counts_delete AFTER DELETE ON ideas WHEN old.owner_id IS NOT NULL
BEGIN
    UPDATE idea_owner_counts SET n = n - 1
    WHERE product_id = old.product_id AND owner_id = old.owner_id;
    DELETE FROM idea_owner_counts
    WHERE product_id = old.product_id AND owner_id = old.owner_id AND n <= 0;
END;

CREATE TRIGGER idea_owner_counts_update AFTER UPDATE OF product_id, owner_id ON ideas
WHEN old.product_id IS NOT new.product_id OR old.owner_id IS NOT new.owner_id
BEGIN
    UPDATE idea_owner_counts SET n = n - 1
    WHERE product_id = old.product_id AND owner_id = old.owner_id;
    DELETE FROM idea_owner_counts
    WHERE product_id = old.product_id AND owner_id = old.owner_id AND n <= 0;
    INSERT INTO idea_owner_counts (product_id, owner_id, n)
    SELECT new.product_id, new.owner_id, 1 WHERE new.owner_id IS NOT NULL
    ON CONFLICT (product_id, owner_id) DO UPDATE SET n = n + 1;
END;

