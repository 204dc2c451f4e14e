-- The owner filter of the backlog and ideas pages lists the product's owners by name. Reading
-- them through `members` was a seek per owner and a sort: a third of a backlog page's CPU for
-- 276 owners (perf, docs/PERFORMANCE.md). The names are copied beside the counts, so the list
-- is one range of an index, already in order.
ALTER TABLE idea_owner_counts ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE idea_owner_counts ADD COLUMN email TEXT NOT NULL DEFAULT '';
UPDATE idea_owner_counts SET (name, email) =
    (SELECT m.name, m.email FROM members m WHERE m.id = idea_owner_counts.owner_id);
CREATE INDEX idea_owner_counts_names ON idea_owner_counts(product_id, name, email, owner_id);

-- The triggers of migration 0011, now writing the owner's name with a new row.
DROP TRIGGER idea_owner_counts_insert;
DROP TRIGGER idea_owner_counts_update;

CREATE TRIGGER idea_owner_counts_insert AFTER INSERT ON ideas WHEN new.owner_id IS NOT NULL
BEGIN
    INSERT INTO idea_owner_counts (product_id, owner_id, n, name, email)
    SELECT new.product_id, new.owner_id, 1, m.name, m.email FROM members m
    WHERE m.id = new.owner_id
    ON CONFLICT (product_id, owner_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER idea_owner_counts_update AFTER UPDATE OF product_id, owner_id ON ideas
WHEN old.product_id IS NOT new.product_id OR old.owner_id IS NOT new.owner_id
BEGIN
    UPDATE idea_owner_counts SET n = n - 1
    WHERE product_id = old.product_id AND owner_id = old.owner_id;
    DELETE FROM idea_owner_counts
    WHERE product_id = old.product_id AND owner_id = old.owner_id AND n <= 0;
    INSERT INTO idea_owner_counts (product_id, owner_id, n, name, email)
    SELECT new.product_id, new.owner_id, 1, m.name, m.email FROM members m
    WHERE m.id = new.owner_id
    ON CONFLICT (product_id, owner_id) DO UPDATE SET n = n + 1;
END;

-- A renamed member is renamed in every product's list. Rare, and the table holds a row per
-- product and owner (a few thousand at most), so no index on the owner alone.
CREATE TRIGGER idea_owner_counts_member AFTER UPDATE OF name, email ON members
WHEN old.name IS NOT new.name OR old.email IS NOT new.email
BEGIN
    UPDATE idea_owner_counts SET name = new.name, email = new.email WHERE owner_id = new.id;
END;
