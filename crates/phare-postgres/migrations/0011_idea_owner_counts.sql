-- The owners of each product's ideas, counted, kept by a trigger so that every path writing
-- ideas keeps them exact. The PostgreSQL twin of
-- crates/phare-sqlite/migrations/0011_idea_owner_counts.sql: the owner filters read a row per
-- owner here instead of seeking the ideas' (product_id, owner_id) index once per owner.
CREATE TABLE idea_owner_counts (
    product_id uuid NOT NULL,
    owner_id   uuid NOT NULL,
    n          bigint NOT NULL,
    PRIMARY KEY (product_id, owner_id)
);

INSERT INTO idea_owner_counts (product_id, owner_id, n)
SELECT product_id, owner_id, count(*) FROM ideas WHERE owner_id IS NOT NULL GROUP BY 1, 2;

CREATE FUNCTION idea_owner_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.owner_id IS NOT NULL THEN
        UPDATE idea_owner_counts SET n = n - 1
        WHERE product_id = OLD.product_id AND owner_id = OLD.owner_id;
        -- An owner whose last idea goes leaves the list.
        DELETE FROM idea_owner_counts
        WHERE product_id = OLD.product_id AND owner_id = OLD.owner_id AND n <= 0;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.owner_id IS NOT NULL THEN
        INSERT INTO idea_owner_counts (product_id, owner_id, n)
        VALUES (NEW.product_id, NEW.owner_id, 1)
        ON CONFLICT (product_id, owner_id) DO UPDATE SET n = idea_owner_counts.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER idea_owner_counts_insert AFTER INSERT ON ideas
FOR EACH ROW EXECUTE FUNCTION idea_owner_counts();
CREATE TRIGGER idea_owner_counts_delete AFTER DELETE ON ideas
FOR EACH ROW EXECUTE FUNCTION idea_owner_counts();
CREATE TRIGGER idea_owner_counts_update AFTER UPDATE OF product_id, owner_id ON ideas
FOR EACH ROW
WHEN (OLD.product_id IS DISTINCT FROM NEW.product_id OR OLD.owner_id IS DISTINCT FROM NEW.owner_id)
EXECUTE FUNCTION idea_owner_counts();
